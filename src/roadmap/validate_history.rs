//! Content rules for the history a roadmap keeps of itself: each topic's dated changes and
//! the manifest's retired topics. Every change carries a one-line note, so a revision date
//! never moves without saying what changed; dates in the future are refused by
//! `backroad check-content` (`future_dates`), which knows today's date.

use super::changes::Day;
use super::raw::{change_kind, ContentProblem, RawRoadmap, RawTopic};
use super::TopicId;
use std::collections::HashSet;

/// The longest change note, in characters: one line.
pub const MAX_NOTE_CHARS: usize = 200;

/// A topic's `history`: real dates, oldest first, a known kind, a one-line note; "added" at
/// most once and first; "renamed" only with an alias to have been renamed from.
pub fn check_topic_history(file: &str, t: &RawTopic, problems: &mut Vec<ContentProblem>) {
    let mut bad = |message: String| problems.push(ContentProblem::topic(file, &t.id, message));
    let mut last: Option<Day> = None;
    for (i, c) in t.history.iter().enumerate() {
        let n = i + 1;
        let Some(on) = Day::parse(&c.on) else {
            bad(format!("history entry {n}: `on = \"{}\"` is not a date; write it as YYYY-MM-DD", c.on));
            continue;
        };
        if last.is_some_and(|l| on < l) {
            bad(format!("history entry {n} ({}) is older than the one before it; list changes oldest first", c.on));
        }
        last = Some(on);
        match change_kind(&c.change) {
            None => bad(format!(
                "history entry {n}: change `{}` is not one of added, revised, renamed (a removed topic goes in the manifest's `retired`)",
                c.change
            )),
            Some(super::changes::ChangeKind::Added) if i > 0 => {
                bad(format!("history entry {n}: a topic is added once, in its first history entry"))
            }
            Some(super::changes::ChangeKind::Renamed) if t.aliases.is_empty() => bad(format!(
                "history entry {n}: a renamed topic keeps its former id in `aliases`, so that progress follows it"
            )),
            Some(_) => {}
        }
        check_note(&c.note, &mut |m| bad(format!("history entry {n}: {m}")));
    }
}

/// The manifest's `retired` topics: a valid id no current topic or alias uses, a date, a note.
pub fn check_retired(manifest: &str, raw: &RawRoadmap, used: &HashSet<&str>, problems: &mut Vec<ContentProblem>) {
    for r in &raw.retired {
        let mut bad = |message: String| problems.push(ContentProblem::topic(manifest, &r.id, message));
        if let Err(e) = TopicId::parse(&r.id) {
            bad(format!("retired id `{}` {e}", r.id));
        }
        if used.contains(r.id.as_str()) {
            bad("is listed as retired but a topic or alias still uses this id".into());
        }
        if r.title.trim().is_empty() {
            bad("a retired topic keeps its title, for the list of changes".into());
        }
        if Day::parse(&r.on).is_none() {
            bad(format!("retired `on = \"{}\"` is not a date; write it as YYYY-MM-DD", r.on));
        }
        check_note(&r.note, &mut |m| bad(format!("retired: {m}")));
    }
}

/// The manifest's `published` ledger, when it has one: every id in it is still carried (by a
/// topic, as an alias, or as retired), and every topic's id is in it. So no topic, and
/// nobody's progress on it, is dropped without a word.
pub fn check_published(manifest: &str, raw: &RawRoadmap, topics: &[&RawTopic], problems: &mut Vec<ContentProblem>) {
    let Some(published) = &raw.published else { return };
    let listed: HashSet<&str> = published.iter().map(String::as_str).collect();
    let carried: HashSet<&str> = topics
        .iter()
        .flat_map(|t| std::iter::once(t.id.as_str()).chain(t.aliases.iter().map(String::as_str)))
        .chain(raw.retired.iter().map(|r| r.id.as_str()))
        .collect();
    for id in published.iter().filter(|id| !carried.contains(id.as_str())) {
        problems.push(ContentProblem::topic(
            manifest,
            id,
            "was published but no topic carries it: keep it in `aliases` of the topic that replaced it, or list it in `retired`",
        ));
    }
    for t in topics.iter().filter(|t| !listed.contains(t.id.as_str())) {
        problems.push(ContentProblem::topic(
            manifest,
            &t.id,
            "is not in `published`: add its id there (and give the topic a history entry `added`)",
        ));
    }
}

fn check_note(note: &str, bad: &mut dyn FnMut(String)) {
    let chars = note.trim().chars().count();
    if chars == 0 {
        bad("the note is empty; say in one line what changed for the learner".into());
    } else if chars > MAX_NOTE_CHARS {
        bad(format!("the note has {chars} characters; keep it to one line of at most {MAX_NOTE_CHARS}"));
    }
    if note.contains('\n') {
        bad("the note spans several lines; keep it to one".into());
    }
}

/// Every change of `roadmap` dated after `today` (`backroad check-content` refuses them: a
/// learner would be told of a change that has not happened).
pub fn future_dates(roadmap: &super::content::Roadmap, today: Day) -> Vec<ContentProblem> {
    roadmap
        .changes()
        .iter()
        .filter(|c| c.on > today)
        .map(|c| {
            ContentProblem::topic(
                roadmap.id.as_str(),
                &c.topic,
                format!(
                    "the change dated {} is in the future (today is {}); date it on the day it is published",
                    c.on.iso(),
                    today.iso()
                ),
            )
        })
        .collect()
}
