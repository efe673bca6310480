//! What changed in the content and since when a learner last looked: dated content history
//! (topics added, revised, renamed, retired), the learner's visits, and what a page tells
//! them ("Since your visit on 12 November: 3 topics updated, 2 new"; "updated since you
//! finished it" on a topic finished before the day of its latest revision and not opened
//! since). A change is dated by day: the line counts changes of the visit's own day too
//! (better told twice than missed); the mark needs the topic finished before that day.

use super::progress::Recorded;
use super::share::xml_escape;
use super::status::Status;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use super::history::{latest_revision, Change, ChangeKind, Day, TopicChange};

/// A pause longer than this starts a new visit: "since your visit" then means the end of
/// the previous one (the default; `Settings::visit_gap`).
pub const VISIT_GAP_MS: u64 = 30 * 60 * 1000;
/// Within a visit, its last-seen time is written again only when older than this (or a
/// sixth of a shorter gap).
pub const VISIT_REFRESH_MS: u64 = 5 * 60 * 1000;

/// When a learner was on a roadmap: the last time (`last`), and where the previous visit
/// ended (`previous`; `None` on their first visit). For a topic, `last` is when they last
/// opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRecord {
    pub previous: Option<u64>,
    pub last: u64,
}

/// The visit record after a page view at `now`, where a pause longer than `gap` (ms) starts
/// a new visit, and whether it must be written.
pub fn arrive(stored: Option<VisitRecord>, now: u64, gap: u64) -> (VisitRecord, bool) {
    let refresh = VISIT_REFRESH_MS.min(gap / 6);
    match stored {
        None => (VisitRecord { previous: None, last: now }, true),
        Some(v) if now.saturating_sub(v.last) > gap => (VisitRecord { previous: Some(v.last), last: now }, true),
        Some(v) if now.saturating_sub(v.last) > refresh => (VisitRecord { last: now, ..v }, true),
        Some(v) => (v, false),
    }
}

/// What a learner's stored visits of one roadmap say: the roadmap's own record, and when
/// each topic was last opened (only topics that were flagged are recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visits {
    pub roadmap: Option<VisitRecord>,
    pub opened: BTreeMap<String, u64>,
}

/// What a roadmap page tells one learner about content changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// The "Since your visit on …" line (markup), empty when there is nothing to say.
    pub since: String,
    /// The topics marked "updated since you finished it", with their panel's line (markup).
    pub updated: BTreeMap<String, String>,
}

impl Seen {
    /// What this shows, as a key: two learners alike in it see the same page.
    pub fn key(&self) -> String {
        let mut key = self.since.clone();
        for id in self.updated.keys() {
            key.push(' ');
            key.push_str(id);
        }
        key
    }
}

/// A topic of the roadmap as far as "what changed" needs it.
pub struct Revisable<'a> {
    pub id: &'a str,
    pub history: &'a [TopicChange],
    pub aliases: &'a [super::ids::TopicId],
}

/// Works out `Seen` for a learner whose visit record (after this view, `arrive`) is
/// `visit`, with their stored statuses `records` (under any id a topic had), the topics
/// they opened (`visits.opened`) and the roadmap's `history` (newest first) and topics.
pub fn seen<'a>(
    roadmap: &str,
    history: &[Change],
    topics: impl Iterator<Item = Revisable<'a>>,
    visit: &VisitRecord,
    opened: &BTreeMap<String, u64>,
    records: &[Recorded],
    now: u64,
) -> Seen {
    // The newest record under each id, read once (every learner page comes through here).
    let mut newest: BTreeMap<&str, &Recorded> = BTreeMap::new();
    for r in records {
        let slot = newest.entry(r.topic.as_str()).or_insert(r);
        if r.changed_at > slot.changed_at {
            *slot = r;
        }
    }
    let mut updated = BTreeMap::new();
    for t in topics {
        let Some(revision) = latest_revision(t.history) else { continue };
        // The newest record under the topic's id or a former one decides.
        let finished = std::iter::once(t.id)
            .chain(t.aliases.iter().map(|a| a.as_str()))
            .filter_map(|id| newest.get(id).copied())
            .max_by_key(|r| r.changed_at)
            .filter(|r| r.status == Status::Done)
            .map(|r| r.changed_at);
        let Some(finished) = finished else { continue };
        let seen_since = opened.get(t.id).is_some_and(|at| *at >= revision.on.start_ms());
        if finished < revision.on.start_ms() && !seen_since {
            let line = format!(
                r#"<strong>Updated since you finished it</strong> ({}): {}"#,
                revision.on.long(),
                xml_escape(&revision.note)
            );
            updated.insert(t.id.to_owned(), line);
        }
    }
    let since =
        visit.previous.map(|p| since_line(roadmap, history, Day::of_ms(p), Day::of_ms(now))).unwrap_or_default();
    Seen { since, updated }
}

/// Counts of the changes dated on or after `visit` (a change is dated by day, so changes of
/// the visit's own day count: better told twice than missed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChangeCounts {
    pub updated: usize,
    pub added: usize,
    pub retired: usize,
}

pub fn counts_since(history: &[Change], visit: Day) -> ChangeCounts {
    let mut topics: BTreeMap<&str, ChangeKind> = BTreeMap::new();
    for c in history.iter().filter(|c| c.on >= visit) {
        let kind = topics.entry(c.topic.as_str()).or_insert(c.kind);
        // A topic new since the visit counts as new, however often it was revised after.
        if c.kind == ChangeKind::Added || c.kind == ChangeKind::Retired {
            *kind = c.kind;
        }
    }
    let mut counts = ChangeCounts::default();
    for kind in topics.values() {
        match kind {
            ChangeKind::Added => counts.added += 1,
            ChangeKind::Retired => counts.retired += 1,
            ChangeKind::Revised | ChangeKind::Renamed => counts.updated += 1,
        }
    }
    counts
}

/// "Since your visit on 12 November: 3 topics updated, 2 new. See what changed", or empty
/// when nothing changed since.
pub fn since_line(roadmap: &str, history: &[Change], visit: Day, today: Day) -> String {
    let c = counts_since(history, visit);
    let mut parts = Vec::new();
    if c.updated > 0 {
        parts.push(format!("{} {} updated", c.updated, if c.updated == 1 { "topic" } else { "topics" }));
    }
    if c.added > 0 {
        parts.push(format!("{} new", c.added));
    }
    if c.retired > 0 {
        parts.push(format!("{} retired", c.retired));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!(
        r#"Since your visit on {}: {}. <a href="/changes?roadmap={}&amp;since={}">See what changed</a>"#,
        visit.short(today),
        parts.join(", "),
        xml_escape(roadmap),
        visit.iso()
    )
}

#[cfg(test)]
#[path = "changes_tests.rs"]
mod tests;
