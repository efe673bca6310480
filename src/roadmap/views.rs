//! What the pages need from the content, shaped for the wire: lean for lists, full for one topic.

use super::content::{Kind, Resource, Roadmap, Topic};
use super::layout::{layout_roadmap, SectionLayout};
use serde::{Deserialize, Serialize};

/// A roadmap on the home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapCard {
    pub id: String,
    pub title: String,
    pub description: String,
    pub sections: u32,
    pub topics: u32,
    pub core_hours: u32,
}

/// A whole roadmap for its page: sections and topic cards, no long texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub sections: Vec<SectionView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub topics: Vec<TopicCard>,
    /// Where each topic and prerequisite edge goes in the section's skill-tree picture.
    pub graph: SectionLayout,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicCard {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    /// The alternatives group, for `kind = alternative`.
    pub group: Option<String>,
    pub hours: u32,
    pub requires: Vec<String>,
}

/// A link to another topic of the same roadmap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicLink {
    pub id: String,
    pub title: String,
}

/// Everything the topic page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicView {
    pub roadmap_id: String,
    pub roadmap_title: String,
    pub section_title: String,
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub group_title: Option<String>,
    pub hours: u32,
    /// Rendered from our own Markdown at load time; raw HTML in the source is escaped.
    pub summary_html: String,
    pub outcomes: Vec<String>,
    /// The same outcomes as HTML (`Topic::outcomes_html`).
    pub outcomes_html: Vec<String>,
    pub resources: Vec<Resource>,
    pub requires: Vec<TopicLink>,
    pub unlocks: Vec<TopicLink>,
}

impl TopicLink {
    pub fn of(t: &Topic) -> Self {
        TopicLink { id: t.id.to_string(), title: t.title.clone() }
    }
}

impl RoadmapCard {
    pub fn of(r: &Roadmap) -> Self {
        RoadmapCard {
            id: r.id.to_string(),
            title: r.title.clone(),
            description: r.description.clone(),
            sections: r.sections.len() as u32,
            topics: r.topics.len() as u32,
            core_hours: r.core_hours(),
        }
    }
}

impl RoadmapView {
    /// Builds the view, layout included; meant to be computed once per roadmap.
    pub fn of(r: &Roadmap) -> Self {
        let sections = r
            .sections
            .iter()
            .zip(layout_roadmap(r))
            .map(|(s, graph)| SectionView {
                id: s.id.clone(),
                title: s.title.clone(),
                description: s.description.clone(),
                topics: s
                    .topics
                    .iter()
                    .map(|&i| {
                        let t = &r.topics[i];
                        TopicCard {
                            id: t.id.to_string(),
                            title: t.title.clone(),
                            kind: t.kind,
                            group: t.group.clone(),
                            hours: t.hours,
                            requires: t.requires.iter().map(ToString::to_string).collect(),
                        }
                    })
                    .collect(),
                graph,
            })
            .collect();
        RoadmapView { id: r.id.to_string(), title: r.title.clone(), description: r.description.clone(), sections }
    }

    /// What the browser needs to follow a learner's progress on the page: the topics with
    /// their prerequisites, groups and hours. No descriptions or pictures: the page already
    /// shows those.
    pub fn outline(&self) -> RoadmapView {
        let sections = self
            .sections
            .iter()
            .map(|s| SectionView {
                id: s.id.clone(),
                title: String::new(),
                description: String::new(),
                topics: s.topics.clone(),
                graph: SectionLayout::default(),
            })
            .collect();
        RoadmapView { id: self.id.clone(), title: self.title.clone(), description: self.description.clone(), sections }
    }

    /// The outline as text, for the page's island: a first line with the roadmap, then per
    /// section a `§` line and one line per topic, fields split by tabs (id, title, kind,
    /// group, hours, prerequisites split by spaces). A fifth of its JSON once that is escaped
    /// into an attribute; `from_outline_code` reads it back.
    pub fn outline_code(&self) -> String {
        let clean = |s: &str| s.replace(['\t', '\n'], " ");
        let mut out = format!("{}\t{}\t{}", self.id, clean(&self.title), clean(&self.description));
        for section in &self.sections {
            out.push_str(&format!("\n§\t{}", section.id));
            for t in &section.topics {
                let kind = match t.kind {
                    Kind::Core => 'c',
                    Kind::Alternative => 'a',
                    Kind::Optional => 'o',
                };
                out.push_str(&format!(
                    "\n{}\t{}\t{kind}\t{}\t{}\t{}",
                    t.id,
                    clean(&t.title),
                    t.group.as_deref().unwrap_or(""),
                    t.hours,
                    t.requires.join(" ")
                ));
            }
        }
        out
    }

    /// Reads `outline_code` back; `None` if it is not one.
    pub fn from_outline_code(code: &str) -> Option<RoadmapView> {
        let mut lines = code.split('\n');
        let mut head = lines.next()?.split('\t');
        let (id, title, description) = (head.next()?, head.next()?, head.next()?);
        let mut sections: Vec<SectionView> = Vec::new();
        for line in lines {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["§", section] => sections.push(SectionView {
                    id: (*section).to_owned(),
                    title: String::new(),
                    description: String::new(),
                    topics: Vec::new(),
                    graph: SectionLayout::default(),
                }),
                [id, title, kind, group, hours, requires] => {
                    let kind = match *kind {
                        "c" => Kind::Core,
                        "a" => Kind::Alternative,
                        "o" => Kind::Optional,
                        _ => return None,
                    };
                    sections.last_mut()?.topics.push(TopicCard {
                        id: (*id).to_owned(),
                        title: (*title).to_owned(),
                        kind,
                        group: (!group.is_empty()).then(|| (*group).to_owned()),
                        hours: hours.parse().ok()?,
                        requires: requires.split(' ').filter(|r| !r.is_empty()).map(str::to_owned).collect(),
                    });
                }
                _ => return None,
            }
        }
        Some(RoadmapView { id: id.to_owned(), title: title.to_owned(), description: description.to_owned(), sections })
    }

    /// Every topic card, section by section.
    pub fn topics(&self) -> impl Iterator<Item = &TopicCard> {
        self.sections.iter().flat_map(|s| s.topics.iter())
    }
}

impl TopicView {
    pub fn of(r: &Roadmap, t: &Topic) -> Self {
        TopicView {
            roadmap_id: r.id.to_string(),
            roadmap_title: r.title.clone(),
            section_title: r.sections[t.section].title.clone(),
            id: t.id.to_string(),
            title: t.title.clone(),
            kind: t.kind,
            group_title: t.group.as_deref().and_then(|g| r.group(g)).map(|g| g.title.clone()),
            hours: t.hours,
            summary_html: t.summary_html.clone(),
            outcomes_html: t.outcomes_html.clone(),
            outcomes: t.outcomes.clone(),
            resources: t.resources.clone(),
            requires: t.requires.iter().filter_map(|id| r.topic(id.as_str())).map(TopicLink::of).collect(),
            unlocks: r.unlocks(&t.id).map(TopicLink::of).collect(),
        }
    }
}
