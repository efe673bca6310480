//! What the pages need from the content, shaped for the wire: lean for lists, full for one topic.

use super::content::{Kind, Resource, Roadmap, Topic, ANY_OF};
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
    /// Whether its content was ever revised, so that someone may have finished it before a
    /// revision (`Slot::Updated`); the browser's outline does not carry it (always false).
    pub revisable: bool,
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
    /// Groups of which any one member is needed (`any:`).
    pub requires_any: Vec<GroupNeed>,
    pub unlocks: Vec<TopicLink>,
    /// When its content changed, newest first (empty: as in the first edition).
    #[serde(default)]
    pub history: Vec<crate::roadmap::changes::TopicChange>,
}

/// How a requirement of any one member of group `g` reads: "any one language".
pub fn any_one(g: &str) -> String {
    format!("any one {}", g.replace('-', " "))
}

/// "Any one language": the group, and the topics that would do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupNeed {
    pub group: String,
    pub members: Vec<TopicLink>,
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
                            requires: t
                                .requires
                                .iter()
                                .map(ToString::to_string)
                                .chain(t.requires_any.iter().map(|g| format!("{ANY_OF}{g}")))
                                .collect(),
                            revisable: crate::roadmap::changes::latest_revision(&t.history).is_some(),
                        }
                    })
                    .collect(),
                graph,
            })
            .collect();
        RoadmapView { id: r.id.to_string(), title: r.title.clone(), description: r.description.clone(), sections }
    }

    /// What the browser needs to follow a learner's progress on the page: the topics with
    /// their prerequisites, groups and hours. No titles, descriptions or pictures: the page
    /// already shows those (the island reads titles off the boxes, `set_titles`).
    pub fn outline(&self) -> RoadmapView {
        let sections = self
            .sections
            .iter()
            .map(|s| SectionView {
                id: s.id.clone(),
                title: String::new(),
                description: String::new(),
                topics: s
                    .topics
                    .iter()
                    .map(|t| TopicCard { title: String::new(), revisable: false, ..t.clone() })
                    .collect(),
                graph: SectionLayout::default(),
            })
            .collect();
        RoadmapView { id: self.id.clone(), title: String::new(), description: String::new(), sections }
    }

    /// The outline as text, for the page's island, in characters that need no escaping in
    /// an attribute or JSON: the roadmap's id, then per section `/§id` and per topic
    /// `/id,kind,group,hours,requires`, where kind is c, a or o and requires are the
    /// positions of prerequisites among all topics (from 0) or `*group` for `any:group`,
    /// joined by `.`. `from_outline_code` reads it back.
    pub fn outline_code(&self) -> String {
        let position: std::collections::HashMap<&str, usize> =
            self.topics().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
        let mut out = self.id.clone();
        for section in &self.sections {
            out.push_str(&format!("/§{}", section.id));
            for t in &section.topics {
                let kind = match t.kind {
                    Kind::Core => 'c',
                    Kind::Alternative => 'a',
                    Kind::Optional => 'o',
                };
                let requires: Vec<String> = t
                    .requires
                    .iter()
                    .filter_map(|r| match r.strip_prefix(ANY_OF) {
                        Some(group) => Some(format!("*{group}")),
                        None => position.get(r.as_str()).map(ToString::to_string),
                    })
                    .collect();
                out.push_str(&format!(
                    "/{},{kind},{},{},{}",
                    t.id,
                    t.group.as_deref().unwrap_or(""),
                    t.hours,
                    requires.join(".")
                ));
            }
        }
        out
    }

    /// Reads `outline_code` back; `None` if it is not one.
    pub fn from_outline_code(code: &str) -> Option<RoadmapView> {
        let mut parts = code.split('/');
        let id = parts.next()?;
        let mut sections: Vec<SectionView> = Vec::new();
        // Topic ids in order, and each topic's prerequisites as written, resolved at the end.
        let mut ids: Vec<String> = Vec::new();
        let mut pending: Vec<(usize, usize, String)> = Vec::new();
        for part in parts {
            if let Some(section) = part.strip_prefix('§') {
                sections.push(SectionView {
                    id: section.to_owned(),
                    title: String::new(),
                    description: String::new(),
                    topics: Vec::new(),
                    graph: SectionLayout::default(),
                });
                continue;
            }
            let [topic, kind, group, hours, requires] = part.split(',').collect::<Vec<_>>()[..] else { return None };
            let kind = match kind {
                "c" => Kind::Core,
                "a" => Kind::Alternative,
                "o" => Kind::Optional,
                _ => return None,
            };
            let section = sections.len().checked_sub(1)?;
            pending.push((section, sections[section].topics.len(), requires.to_owned()));
            ids.push(topic.to_owned());
            sections[section].topics.push(TopicCard {
                id: topic.to_owned(),
                title: String::new(),
                kind,
                group: (!group.is_empty()).then(|| group.to_owned()),
                hours: hours.parse().ok()?,
                requires: Vec::new(),
                revisable: false,
            });
        }
        for (section, index, requires) in pending {
            let resolved = requires
                .split('.')
                .filter(|r| !r.is_empty())
                .map(|r| match r.strip_prefix('*') {
                    Some(group) => Some(format!("{ANY_OF}{group}")),
                    None => ids.get(r.parse::<usize>().ok()?).cloned(),
                })
                .collect::<Option<Vec<String>>>()?;
            sections[section].topics[index].requires = resolved;
        }
        Some(RoadmapView { id: id.to_owned(), title: String::new(), description: String::new(), sections })
    }

    /// Gives each topic card its title (`title_of(id)`), for an outline read back in the
    /// browser.
    pub fn set_titles(&mut self, title_of: impl Fn(&str) -> Option<String>) {
        for t in self.sections.iter_mut().flat_map(|s| s.topics.iter_mut()) {
            if let Some(title) = title_of(&t.id) {
                t.title = title;
            }
        }
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
            requires_any: t
                .requires_any
                .iter()
                .map(|g| GroupNeed {
                    group: g.clone(),
                    members: r.topics.iter().filter(|m| m.group.as_deref() == Some(g)).map(TopicLink::of).collect(),
                })
                .collect(),
            unlocks: r.unlocks(t).map(TopicLink::of).collect(),
            history: t.history.iter().rev().cloned().collect(),
        }
    }
}
