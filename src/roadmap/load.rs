//! Reads roadmap content from TOML text into the domain model, after validation.

use super::changes::{Change, ChangeKind, Day, TopicChange};
use super::content::{Group, Kind, Resource, Roadmap, Section, Topic, ANY_OF};
use super::ids::{RoadmapId, TopicId};
use super::markdown;
use super::validate::{validate, ContentProblem};
use serde::Deserialize;

/// One content file: where it came from (for messages) and its text.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// `roadmap.toml`: the roadmap and its sections in learning order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoadmap {
    pub id: String,
    pub title: String,
    pub description: String,
    pub sections: Vec<String>,
    /// Topics taken off the roadmap: `retired = [{ id, title, on, note }]`.
    #[serde(default)]
    pub retired: Vec<RawRetired>,
    /// Every topic id ever published (`validate_history::check_published`); left out, not
    /// checked (small test roadmaps).
    #[serde(default)]
    pub published: Option<Vec<String>>,
}

/// A topic taken off the roadmap, as its manifest records it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetired {
    pub id: String,
    pub title: String,
    pub on: String,
    pub note: String,
}

/// One entry of a topic's history: `history = [{ on = "2026-12-03", change = "revised", note = "…" }]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    pub on: String,
    pub change: String,
    pub note: String,
}

/// One section file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub id: String,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub groups: Vec<RawGroup>,
    #[serde(default)]
    pub topics: Vec<RawTopic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    #[serde(default)]
    pub group: Option<String>,
    pub hours: u32,
    pub requires: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub history: Vec<RawChange>,
    pub summary: String,
    pub outcomes: Vec<String>,
    pub resources: Vec<Resource>,
}

/// A section file after parsing, with the name it came from.
pub struct ParsedSection<'a> {
    pub file: &'a str,
    pub section: RawSection,
}

/// Parses and validates one roadmap: its manifest and every section file it lists.
pub fn load_roadmap(manifest: SourceFile<'_>, files: &[SourceFile<'_>]) -> Result<Roadmap, Vec<ContentProblem>> {
    let raw: RawRoadmap = toml::from_str(manifest.text).map_err(|e| vec![ContentProblem::file(manifest.name, e)])?;
    let id = RoadmapId::parse(&raw.id)
        .map_err(|e| vec![ContentProblem::file(manifest.name, format!("roadmap id `{}` {e}", raw.id))])?;
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for section_id in &raw.sections {
        let wanted = format!("/{section_id}.toml");
        let Some(file) = files.iter().find(|f| f.name.ends_with(&wanted)) else {
            problems.push(ContentProblem::file(
                manifest.name,
                format!("section `{section_id}` is listed but no file {section_id}.toml is compiled in"),
            ));
            continue;
        };
        match toml::from_str::<RawSection>(file.text) {
            Ok(section) => parsed.push(ParsedSection { file: file.name, section }),
            Err(e) => problems.push(ContentProblem::file(file.name, e)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let problems = validate(manifest.name, &raw, &parsed);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(build(id, raw, parsed))
}

/// Turns validated raw content into the model. Only called after `validate` found nothing.
fn build(id: RoadmapId, raw: RawRoadmap, parsed: Vec<ParsedSection<'_>>) -> Roadmap {
    let ids = |list: Vec<String>| list.iter().filter_map(|s| TopicId::parse(s).ok()).collect::<Vec<_>>();
    let mut sections = Vec::new();
    let mut groups = Vec::new();
    let mut topics = Vec::new();
    for (index, ParsedSection { section, .. }) in parsed.into_iter().enumerate() {
        let start = topics.len();
        groups.extend(section.groups.into_iter().map(|g| Group { id: g.id, title: g.title }));
        for t in section.topics {
            let Ok(id) = TopicId::parse(&t.id) else { continue };
            topics.push(Topic {
                id,
                title: t.title,
                kind: t.kind,
                group: t.group,
                hours: t.hours,
                requires_any: t.requires.iter().filter_map(|r| r.strip_prefix(ANY_OF)).map(str::to_owned).collect(),
                requires: ids(t.requires),
                aliases: ids(t.aliases),
                summary_html: markdown::to_html(&t.summary),
                summary: t.summary,
                outcomes_html: t.outcomes.iter().map(|o| markdown::inline_html(o)).collect(),
                outcomes: t.outcomes,
                resources: t.resources,
                section: index,
                history: t.history.iter().filter_map(topic_change).collect(),
            });
        }
        sections.push(Section {
            id: section.id,
            title: section.title,
            description: section.description,
            topics: (start..topics.len()).collect(),
        });
    }
    let mut roadmap = Roadmap::new(id, raw.title, raw.description.trim().to_owned(), sections, groups, topics);
    roadmap.retired = raw
        .retired
        .into_iter()
        .filter_map(|r| {
            Some(Change {
                on: Day::parse(&r.on)?,
                topic: r.id,
                title: r.title,
                kind: ChangeKind::Retired,
                note: r.note,
            })
        })
        .collect();
    roadmap
}

/// The kind a history entry's `change` names (`validate` refuses any other word).
pub fn change_kind(word: &str) -> Option<ChangeKind> {
    match word {
        "added" => Some(ChangeKind::Added),
        "revised" => Some(ChangeKind::Revised),
        "renamed" => Some(ChangeKind::Renamed),
        _ => None,
    }
}

fn topic_change(raw: &RawChange) -> Option<TopicChange> {
    Some(TopicChange { on: Day::parse(&raw.on)?, kind: change_kind(&raw.change)?, note: raw.note.trim().to_owned() })
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
