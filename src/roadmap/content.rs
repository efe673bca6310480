//! The roadmap as the app sees it after loading: roadmaps, sections, topics, resources.

use super::history::{Change, ChangeKind, TopicChange};
use super::ids::{RoadmapId, TopicId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// How much a topic matters for every back-end developer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Every back-end developer needs it.
    Core,
    /// Pick one of a group (languages, frameworks, brokers).
    Alternative,
    /// Valuable, not required.
    Optional,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Core => "core",
            Kind::Alternative => "alternative",
            Kind::Optional => "optional",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Core => "Core",
            Kind::Alternative => "Pick one",
            Kind::Optional => "Optional",
        }
    }
}

/// What sort of thing a resource link leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Docs,
    Spec,
    Article,
    Book,
    Course,
    Video,
    Tool,
}

impl ResourceKind {
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Docs => "Official docs",
            ResourceKind::Spec => "Specification",
            ResourceKind::Article => "Article",
            ResourceKind::Book => "Book",
            ResourceKind::Course => "Course",
            ResourceKind::Video => "Video",
            ResourceKind::Tool => "Tool",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub kind: ResourceKind,
    pub title: String,
    pub url: String,
}

/// A set of alternatives of which a learner picks one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub title: String,
}

/// How a section file writes "any one topic of this group" among a topic's prerequisites.
pub const ANY_OF: &str = "any:";

#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub id: TopicId,
    pub title: String,
    pub kind: Kind,
    /// The group id, for alternatives.
    pub group: Option<String>,
    pub hours: u32,
    pub requires: Vec<TopicId>,
    /// Groups of which any one member, done, is a prerequisite (`requires = ["any:language"]`).
    pub requires_any: Vec<String>,
    /// Former ids whose stored progress belongs to this topic.
    pub aliases: Vec<TopicId>,
    /// The explanation as written (Markdown).
    pub summary: String,
    /// The explanation rendered to HTML once, at load time.
    pub summary_html: String,
    pub outcomes: Vec<String>,
    /// The outcomes rendered from Markdown (inline: code spans, emphasis), raw HTML escaped.
    pub outcomes_html: Vec<String>,
    pub resources: Vec<Resource>,
    /// Index into `Roadmap::sections`.
    pub section: usize,
    /// When its content changed, oldest first (none: as in the first edition).
    pub history: Vec<TopicChange>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Indexes into `Roadmap::topics`, in the order written.
    pub topics: Vec<usize>,
}

/// One roadmap, loaded and validated.
#[derive(Debug, Clone)]
pub struct Roadmap {
    pub id: RoadmapId,
    pub title: String,
    pub description: String,
    pub sections: Vec<Section>,
    pub groups: Vec<Group>,
    /// Every topic, section by section, in the order written.
    pub topics: Vec<Topic>,
    /// Topics taken off the roadmap, with when and why (their stored progress stays).
    pub retired: Vec<Change>,
    /// `changes()`, gathered once.
    changes: std::sync::OnceLock<Vec<Change>>,
    by_id: HashMap<String, usize>,
    /// Every topic id, sorted, shared by the progress summaries of this roadmap.
    status_keys: Arc<[Arc<str>]>,
    /// For each topic (by its place in `topics`), its place in `status_keys`.
    status_places: Vec<usize>,
}

impl Roadmap {
    pub fn new(
        id: RoadmapId,
        title: String,
        description: String,
        sections: Vec<Section>,
        groups: Vec<Group>,
        topics: Vec<Topic>,
    ) -> Self {
        // Aliases first, so that a current id always wins over someone's old alias.
        let mut by_id = HashMap::new();
        for (i, t) in topics.iter().enumerate() {
            for alias in &t.aliases {
                by_id.insert(alias.as_str().to_owned(), i);
            }
        }
        for (i, t) in topics.iter().enumerate() {
            by_id.insert(t.id.as_str().to_owned(), i);
        }
        let mut sorted: Vec<(Arc<str>, usize)> =
            topics.iter().enumerate().map(|(i, t)| (Arc::from(t.id.as_str()), i)).collect();
        sorted.sort();
        let mut status_places = vec![0; topics.len()];
        for (place, (_, topic)) in sorted.iter().enumerate() {
            status_places[*topic] = place;
        }
        let status_keys = sorted.into_iter().map(|(key, _)| key).collect();
        Roadmap {
            id,
            title,
            description,
            sections,
            groups,
            topics,
            retired: Vec::new(),
            changes: Default::default(),
            by_id,
            status_keys,
            status_places,
        }
    }

    /// Where the topic `id_or_alias` (an id or a former id) sits in `status_keys`.
    pub fn status_place(&self, id_or_alias: &str) -> Option<usize> {
        self.by_id.get(id_or_alias).map(|&i| self.status_places[i])
    }

    /// Every topic id in sorted order (the keys of a progress summary), cheap to clone.
    pub fn status_keys(&self) -> Arc<[Arc<str>]> {
        self.status_keys.clone()
    }

    /// Finds a topic by its id or by one of its former ids (aliases).
    pub fn topic(&self, id_or_alias: &str) -> Option<&Topic> {
        self.by_id.get(id_or_alias).map(|&i| &self.topics[i])
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// Topics that list `topic` as a prerequisite, or any one of its group.
    pub fn unlocks<'a>(&'a self, topic: &'a Topic) -> impl Iterator<Item = &'a Topic> + 'a {
        self.topics.iter().filter(move |t| {
            t.requires.contains(&topic.id) || topic.group.as_ref().is_some_and(|g| t.requires_any.contains(g))
        })
    }

    /// The roadmap's content history, newest first: every dated change of a topic, and the
    /// retired topics.
    pub fn changes(&self) -> &[Change] {
        self.changes.get_or_init(|| self.gather_changes())
    }

    fn gather_changes(&self) -> Vec<Change> {
        let mut out: Vec<Change> = self
            .topics
            .iter()
            .flat_map(|t| {
                t.history.iter().map(|c| Change {
                    topic: t.id.as_str().to_owned(),
                    title: t.title.clone(),
                    on: c.on,
                    kind: c.kind,
                    note: c.note.clone(),
                })
            })
            .chain(self.retired.iter().cloned())
            .collect();
        // Newest day first; within a day new topics, then revised, renamed, retired, each in
        // the roadmap's own order.
        let rank = |c: &Change| match c.kind {
            ChangeKind::Added => 0,
            ChangeKind::Revised => 1,
            ChangeKind::Renamed => 2,
            ChangeKind::Retired => 3,
        };
        let place = |c: &Change| self.by_id.get(c.topic.as_str()).copied().unwrap_or(usize::MAX);
        out.sort_by(|a, b| {
            b.on.cmp(&a.on)
                .then_with(|| rank(a).cmp(&rank(b)))
                .then_with(|| place(a).cmp(&place(b)))
                .then_with(|| a.topic.cmp(&b.topic))
        });
        out
    }

    /// Focused hours of every core topic.
    pub fn core_hours(&self) -> u32 {
        self.topics.iter().filter(|t| t.kind == Kind::Core).map(|t| t.hours).sum()
    }
}

/// Small hand-made roadmaps for unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// A topic with one-hour effort and no texts; `requires` and `aliases` are topic ids.
    pub fn topic(id: &str, kind: Kind, group: Option<&str>, requires: &[&str], aliases: &[&str]) -> Topic {
        let ids = |list: &[&str]| list.iter().map(|r| TopicId::parse(r).expect("test id")).collect();
        Topic {
            id: TopicId::parse(id).expect("test id"),
            title: id.to_owned(),
            kind,
            group: group.map(str::to_owned),
            hours: 1,
            requires: ids(requires),
            requires_any: vec![],
            aliases: ids(aliases),
            summary: String::new(),
            summary_html: String::new(),
            outcomes: vec![],
            outcomes_html: vec![],
            resources: vec![],
            section: 0,
            history: vec![],
        }
    }

    /// A core topic with prerequisites.
    pub fn core(id: &str, requires: &[&str]) -> Topic {
        topic(id, Kind::Core, None, requires, &[])
    }

    /// A roadmap `r` with all topics in one section `s`.
    pub fn roadmap(topics: Vec<Topic>) -> Roadmap {
        let section = Section {
            id: "s".into(),
            title: "S".into(),
            description: String::new(),
            topics: (0..topics.len()).collect(),
        };
        Roadmap::new(RoadmapId::parse("r").expect("test id"), "R".into(), String::new(), vec![section], vec![], topics)
    }
}
