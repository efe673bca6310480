//! Content validation: every rule the roadmap's data must follow, each failure a precise message.

use super::content::{Kind, ANY_OF};
use super::ids::TopicId;
pub use super::raw::ContentProblem;
use super::raw::{ParsedSection, RawRoadmap, RawTopic};
use std::collections::{HashMap, HashSet};

pub const SUMMARY_WORDS: std::ops::RangeInclusive<usize> = 80..=200;
pub const OUTCOMES: std::ops::RangeInclusive<usize> = 3..=5;
pub const MIN_RESOURCES: usize = 2;

/// Checks a parsed roadmap against every content rule; an empty list means it is valid.
pub fn validate(manifest: &str, raw: &RawRoadmap, sections: &[ParsedSection<'_>]) -> Vec<ContentProblem> {
    let mut problems = Vec::new();
    let topics: Vec<(&str, usize, &RawTopic)> =
        sections.iter().enumerate().flat_map(|(i, s)| s.section.topics.iter().map(move |t| (s.file, i, t))).collect();

    check_sections(manifest, raw, sections, &mut problems);
    let known = check_ids(&topics, &mut problems);
    let used: HashSet<&str> = topics
        .iter()
        .flat_map(|(_, _, t)| std::iter::once(t.id.as_str()).chain(t.aliases.iter().map(String::as_str)))
        .collect();
    super::validate_history::check_retired(manifest, raw, &used, &mut problems);
    let all: Vec<&RawTopic> = topics.iter().map(|(_, _, t)| *t).collect();
    super::validate_history::check_published(manifest, raw, &all, &mut problems);
    let places = Places::of(sections, &topics);
    for &(file, section, t) in &topics {
        check_topic(file, section, t, &known, &mut problems);
        super::validate_history::check_topic_history(file, t, &mut problems);
        check_order(file, section, t, &places, &mut problems);
    }
    check_groups(sections, &topics, &mut problems);
    if let Some(cycle) = find_cycle(&topics) {
        problems.push(ContentProblem::file(manifest, format!("prerequisites form a cycle: {}", cycle.join(" -> "))));
    }
    problems
}

fn check_sections(
    manifest: &str,
    raw: &RawRoadmap,
    sections: &[ParsedSection<'_>],
    problems: &mut Vec<ContentProblem>,
) {
    if raw.title.trim().is_empty() {
        problems.push(ContentProblem::file(manifest, "the roadmap needs a title"));
    }
    let mut seen = HashSet::new();
    for id in &raw.sections {
        if !seen.insert(id) {
            problems.push(ContentProblem::file(manifest, format!("section `{id}` is listed twice")));
        }
    }
    for (listed, parsed) in raw.sections.iter().zip(sections) {
        if &parsed.section.id != listed {
            problems.push(ContentProblem::file(
                parsed.file,
                format!("the file's id is `{}` but roadmap.toml lists it as `{listed}`", parsed.section.id),
            ));
        }
        if parsed.section.title.trim().is_empty() {
            problems.push(ContentProblem::file(parsed.file, "the section needs a title"));
        }
        if parsed.section.topics.is_empty() {
            problems.push(ContentProblem::file(parsed.file, "the section has no topics"));
        }
    }
}

/// Ids and aliases: well-formed and unique across the roadmap. Returns every known topic id.
fn check_ids<'a>(topics: &[(&str, usize, &'a RawTopic)], problems: &mut Vec<ContentProblem>) -> HashSet<&'a str> {
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for &(file, _, t) in topics {
        for (name, what) in
            std::iter::once((t.id.as_str(), "id")).chain(t.aliases.iter().map(|a| (a.as_str(), "alias")))
        {
            if let Err(e) = TopicId::parse(name) {
                problems.push(ContentProblem::topic(file, &t.id, format!("{what} `{name}` {e}")));
            }
            if let Some(first) = owner.insert(name, &t.id) {
                problems.push(ContentProblem::topic(
                    file,
                    &t.id,
                    format!("{what} `{name}` is already used by topic `{first}`"),
                ));
            }
        }
    }
    topics.iter().map(|(_, _, t)| t.id.as_str()).collect()
}

fn check_topic(file: &str, section: usize, t: &RawTopic, known: &HashSet<&str>, problems: &mut Vec<ContentProblem>) {
    let mut bad = |message: String| problems.push(ContentProblem::topic(file, &t.id, message));
    if t.title.trim().is_empty() {
        bad("the title is empty".into());
    }
    let words = t.summary.split_whitespace().count();
    if !SUMMARY_WORDS.contains(&words) {
        bad(format!("the summary has {words} words; it needs {} to {}", SUMMARY_WORDS.start(), SUMMARY_WORDS.end()));
    }
    if !OUTCOMES.contains(&t.outcomes.len()) || t.outcomes.iter().any(|o| o.trim().is_empty()) {
        bad(format!(
            "it has {} outcomes; it needs {} to {}, none empty",
            t.outcomes.len(),
            OUTCOMES.start(),
            OUTCOMES.end()
        ));
    }
    if t.resources.len() < MIN_RESOURCES {
        bad(format!("it has {} resources; it needs at least {MIN_RESOURCES}", t.resources.len()));
    }
    for r in &t.resources {
        if let Some(why) = url_problem(&r.url) {
            bad(format!("resource `{}`: {why}", r.url));
        }
        if r.title.trim().is_empty() {
            bad(format!("resource `{}` has no title", r.url));
        }
    }
    if t.hours == 0 {
        bad("hours must be at least 1".into());
    }
    for r in &t.requires {
        if r == &t.id {
            bad("it lists itself as a prerequisite".into());
        } else if r.starts_with(ANY_OF) {
            // Checked with the groups (`check_order`).
        } else if !known.contains(r.as_str()) {
            bad(format!("unknown prerequisite `{r}`"));
        }
    }
    if section > 0 && t.requires.is_empty() {
        bad("only topics of the first section may have no prerequisites".into());
    }
    match (t.kind, &t.group) {
        (Kind::Alternative, None) => bad("an alternative must name its group".into()),
        (Kind::Core | Kind::Optional, Some(g)) => bad(format!("only alternatives belong to a group (found `{g}`)")),
        _ => {}
    }
}

/// Where each topic and group sits: the index of its section in the roadmap's order.
struct Places<'a> {
    topics: HashMap<&'a str, usize>,
    groups: HashMap<&'a str, usize>,
}

impl<'a> Places<'a> {
    fn of(sections: &'a [ParsedSection<'_>], topics: &[(&str, usize, &'a RawTopic)]) -> Self {
        Places {
            topics: topics.iter().map(|&(_, s, t)| (t.id.as_str(), s)).collect(),
            groups: sections
                .iter()
                .enumerate()
                .flat_map(|(i, s)| s.section.groups.iter().map(move |g| (g.id.as_str(), i)))
                .collect(),
        }
    }
}

/// A prerequisite (a topic, or `any:` a group) must come from this section or an earlier one:
/// the roadmap is read in order, and a learner should never be sent forward to come back.
fn check_order(file: &str, section: usize, t: &RawTopic, places: &Places<'_>, problems: &mut Vec<ContentProblem>) {
    for r in &t.requires {
        let (what, place) = match r.strip_prefix(ANY_OF) {
            Some(group) => match places.groups.get(group) {
                Some(&place) => ("group", place),
                None => {
                    problems.push(ContentProblem::topic(
                        file,
                        &t.id,
                        format!("`{r}` names no declared group; write `{ANY_OF}` and a group id from some [[groups]]"),
                    ));
                    continue;
                }
            },
            None => match places.topics.get(r.as_str()) {
                Some(&place) => ("topic", place),
                None => continue,
            },
        };
        if place > section {
            problems.push(ContentProblem::topic(
                file,
                &t.id,
                format!("prerequisite {what} `{r}` comes in a later section; move one of them or drop the edge"),
            ));
        }
    }
}

/// Why a resource URL is not acceptable, if it is not.
fn url_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Some("links must use https://");
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Some("the link has no host");
    }
    if url.chars().any(char::is_whitespace) {
        return Some("the link contains white space");
    }
    let lower = url.to_ascii_lowercase();
    if ["utm_", "fbclid=", "gclid=", "ref_src="].iter().any(|p| lower.contains(p)) {
        return Some("the link carries tracking parameters");
    }
    None
}

fn check_groups(
    sections: &[ParsedSection<'_>],
    topics: &[(&str, usize, &RawTopic)],
    problems: &mut Vec<ContentProblem>,
) {
    let mut declared: HashMap<&str, &str> = HashMap::new();
    for s in sections {
        for g in &s.section.groups {
            if declared.insert(&g.id, s.file).is_some() {
                problems.push(ContentProblem::file(s.file, format!("group `{}` is declared twice", g.id)));
            }
            if g.title.trim().is_empty() {
                problems.push(ContentProblem::file(s.file, format!("group `{}` needs a title", g.id)));
            }
        }
    }
    for &(file, _, t) in topics {
        if let Some(g) = &t.group {
            if !declared.contains_key(g.as_str()) {
                problems.push(ContentProblem::topic(
                    file,
                    &t.id,
                    format!("group `{g}` is not declared in any [[groups]]"),
                ));
            }
        }
    }
    for (group, file) in declared {
        let members = topics.iter().filter(|(_, _, t)| t.group.as_deref() == Some(group)).count();
        if members < 2 {
            problems.push(ContentProblem::file(
                file,
                format!("alternative group `{group}` has {members} member(s); a choice needs at least 2"),
            ));
        }
    }
}

/// Finds one prerequisite cycle, as the list of ids around it (first id repeated at the end).
fn find_cycle(topics: &[(&str, usize, &RawTopic)]) -> Option<Vec<String>> {
    // `any:` a group depends on every member: a member may not need what needs the group.
    let requires: HashMap<&str, Vec<&str>> = topics
        .iter()
        .map(|(_, _, t)| {
            let reqs = t
                .requires
                .iter()
                .flat_map(|r| match r.strip_prefix(ANY_OF) {
                    Some(group) => topics
                        .iter()
                        .filter(|(_, _, m)| m.group.as_deref() == Some(group))
                        .map(|(_, _, m)| m.id.as_str())
                        .collect(),
                    None => vec![r.as_str()],
                })
                .collect();
            (t.id.as_str(), reqs)
        })
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    let mut marks: HashMap<&str, Mark> = HashMap::new();
    // Iterative depth-first search; the stack holds (topic, index of the next prerequisite).
    for &(_, _, start) in topics {
        if marks.contains_key(start.id.as_str()) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(start.id.as_str(), 0)];
        marks.insert(start.id.as_str(), Mark::Visiting);
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let req = requires.get(node).and_then(|reqs| reqs.get(*next)).copied();
            if let Some(req) = req {
                *next += 1;
                match marks.get(req) {
                    Some(Mark::Visiting) => {
                        let from = stack.iter().position(|(n, _)| *n == req).unwrap_or(0);
                        let mut cycle: Vec<String> = stack[from..].iter().map(|(n, _)| (*n).to_owned()).collect();
                        cycle.push(req.to_owned());
                        return Some(cycle);
                    }
                    Some(Mark::Done) => {}
                    None if requires.contains_key(req) => {
                        marks.insert(req, Mark::Visiting);
                        stack.push((req, 0));
                    }
                    None => {}
                }
            } else {
                marks.insert(node, Mark::Done);
                stack.pop();
            }
        }
    }
    None
}
