//! Reads roadmap content from TOML text into the domain model, after validation.

use super::changes::{Change, ChangeKind, Day, TopicChange};
use super::content::{Group, Roadmap, Section, Topic, ANY_OF};
use super::ids::{RoadmapId, TopicId};
use super::markdown;
use super::raw::ContentProblem;
pub use super::raw::SourceFile;
use super::raw::{change_kind, ParsedSection, RawChange, RawRoadmap, RawSection};
use super::validate::validate;

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

fn topic_change(raw: &RawChange) -> Option<TopicChange> {
    Some(TopicChange { on: Day::parse(&raw.on)?, kind: change_kind(&raw.change)?, note: raw.note.trim().to_owned() })
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
