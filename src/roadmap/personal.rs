//! What a roadmap page shows of one learner's progress, as named slots. The page components
//! and the server's kept pages (`server::web::pages`) both take every status-dependent value
//! from here, so a page filled in from a kept template reads exactly like a page rendered
//! for that learner from scratch.

use super::changes::Seen;
use super::content::Kind;
use super::path::{path_text, PathProgress};
use super::planner::{next_topics, on_my_path};
use super::progress::{Previous, ProgressSummary};
use super::share::xml_escape;
use super::status::Status;
use super::views::{RoadmapView, TopicCard};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How many "what to learn next" suggestions a page shows.
pub const NEXT_SHOWN: usize = 6;

pub use super::slots::{Hook, Place, Slot, CLOSE, HOOK, OPEN};

/// The learner's notes (`/api/get_notes`: by topic id) as a page of `roadmap` shows them,
/// each rendered by `render` (topic id, text: the server's Markdown for notes,
/// `markdown::note_html`, or nothing where the page does not show it).
pub fn shown_notes(
    roadmap: &RoadmapView,
    notes: BTreeMap<String, crate::roadmap::notes::Note>,
    render: impl Fn(&str, &str) -> String,
) -> BTreeMap<String, ShownNote> {
    notes
        .into_iter()
        .filter_map(|(id, note)| {
            let title = roadmap.topics().find(|t| t.id == id)?.title.clone();
            let html = render(&id, &note.note);
            Some((id, ShownNote { text: note.note, html, title }))
        })
        .collect()
}

/// What of a learner's notes a page with `open` as its panel's topic shows, as one key:
/// which topics have a note, that note's text, and the notes the search finds. Two learners
/// whose statuses and key agree see the same page.
pub fn notes_key(roadmap: &str, notes: &BTreeMap<String, ShownNote>, search: &[String], open: Option<&str>) -> String {
    let mut key = String::new();
    for id in notes.keys() {
        key.push_str(id);
        key.push(' ');
    }
    if let Some(note) = open.and_then(|t| notes.get(t)) {
        key.push('\u{1}');
        key.push_str(&note.text);
    }
    key.push('\u{1}');
    key.push_str(&note_hits(roadmap, notes, search));
    key
}

/// The topics whose note has every word of `search`, as a short list whose links end at the
/// topic's box (`next_steps_keeping` adds the page's search and filter); empty for none.
fn note_hits(roadmap: &str, notes: &BTreeMap<String, ShownNote>, search: &[String]) -> String {
    let mut out = String::new();
    for (id, note) in notes {
        if crate::roadmap::notes::note_matches(&note.text, search) {
            out.push_str(&format!(
                r#"<li><a href="/roadmaps/{roadmap}/{id}#t-{id}">{title}</a> <span class="note-mark">in your note</span></li>"#,
                roadmap = xml_escape(roadmap),
                id = xml_escape(id),
                title = xml_escape(&note.title),
            ));
        }
    }
    if out.is_empty() {
        return out;
    }
    format!(r#"<p class="note-hits-title">Found in your notes:</p><ul>{out}</ul>"#)
}

/// A learner's note on one topic as a page shows it: the text (Markdown as typed), the same
/// rendered (raw HTML escaped, only web links; the server renders it) and the topic's title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownNote {
    pub text: String,
    pub html: String,
    pub title: String,
}

/// A learner's progress on one roadmap with everything derived from it that a page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Personal {
    pub summary: ProgressSummary,
    on_path: HashSet<String>,
    next: HashSet<String>,
    section_done: HashMap<String, u32>,
    section_left: HashMap<String, u32>,
    /// Each section's topic ids, for `SectionNext`.
    section_topics: HashMap<String, Vec<String>>,
    path: PathProgress,
    next_title: &'static str,
    next_steps: String,
    /// The learner's notes by topic id (private: a shared page never has any).
    notes: BTreeMap<String, ShownNote>,
    /// The words of the page's search (`search::query_words`), for `NoteHits`.
    search: Vec<String>,
    /// What the open panel's topic can be put back to (`UndoTo`).
    undo: Option<(String, Previous)>,
    /// What the page tells the learner of content changes (`Since`, `Updated`).
    seen: Seen,
}

impl Personal {
    /// Works out the page's values for `summary` on `roadmap` (the planner runs once here).
    pub fn of(roadmap: &RoadmapView, summary: ProgressSummary) -> Self {
        let cards: Vec<&TopicCard> = roadmap.topics().collect();
        let status = |id: &str| summary.status_of(id);
        let on_path = on_my_path(&cards, status).into_iter().map(str::to_owned).collect();
        let ready = next_topics(&cards, status);
        let next = ready.iter().map(|t| t.id.clone()).collect();
        let next_steps = ready.iter().take(NEXT_SHOWN).map(|t| next_item(&roadmap.id, t, status(&t.id))).collect();
        let next_title = if summary.in_progress > 0 {
            "Continue"
        } else if summary.done + summary.skipped == 0 {
            "Start here"
        } else {
            "Up next"
        };
        let section_done = roadmap
            .sections
            .iter()
            .map(|s| (s.id.clone(), s.topics.iter().filter(|t| status(&t.id) == Status::Done).count() as u32))
            .collect();
        let section_left = roadmap
            .sections
            .iter()
            .map(|s| {
                let left = s
                    .topics
                    .iter()
                    .filter(|t| t.kind != Kind::Optional && !matches!(status(&t.id), Status::Done | Status::Skipped))
                    .map(|t| t.hours)
                    .sum();
                (s.id.clone(), left)
            })
            .collect();
        let path = PathProgress::of(&cards, &status);
        let section_topics =
            roadmap.sections.iter().map(|s| (s.id.clone(), s.topics.iter().map(|t| t.id.clone()).collect())).collect();
        Personal {
            summary,
            on_path,
            next,
            section_done,
            section_left,
            section_topics,
            path,
            next_title,
            next_steps,
            notes: BTreeMap::new(),
            search: Vec::new(),
            undo: None,
            seen: Seen::default(),
        }
    }

    /// The same values with what the page tells the learner of content changes.
    pub fn with_seen(mut self, seen: Seen) -> Self {
        self.seen = seen;
        self
    }

    /// The same values with what `topic` (the open panel's) can be put back to.
    pub fn with_undo(mut self, topic: &str, previous: Option<Previous>) -> Self {
        self.undo = previous.map(|p| (topic.to_owned(), p));
        self
    }

    /// The same values with the learner's notes (by topic id).
    pub fn with_notes(mut self, notes: BTreeMap<String, ShownNote>) -> Self {
        self.notes = notes;
        self
    }

    /// The same values for a page searched with `words` (`search::query_words`).
    pub fn with_search(mut self, words: Vec<String>) -> Self {
        self.search = words;
        self
    }

    /// The topics whose note has every word of the search, as list items.
    fn note_hits(&self) -> String {
        note_hits(&self.summary.roadmap, &self.notes, &self.search)
    }

    pub fn status_of(&self, topic: &str) -> Status {
        self.summary.status_of(topic)
    }

    pub fn on_path(&self, topic: &str) -> bool {
        self.on_path.contains(topic)
    }

    pub fn path(&self) -> PathProgress {
        self.path
    }

    fn section_has_next(&self, section: &str) -> bool {
        self.section_topics.get(section).is_some_and(|ids| ids.iter().any(|t| self.next.contains(t)))
    }

    /// The text a slot stands for, escaped for where the slot sits (attribute or text; the
    /// next-steps slot is markup).
    pub fn value(&self, slot: &Slot) -> Cow<'static, str> {
        let yes = |b: bool| Cow::Borrowed(if b { "true" } else { "false" });
        match slot {
            Slot::Status(t) => self.status_of(t).as_str().into(),
            Slot::Label(t) => self.status_of(t).label().into(),
            Slot::Pressed(t, s) => yes(self.status_of(t) == *s),
            Slot::OnPath(t) => yes(self.on_path(t)),
            Slot::Next(t) => yes(self.next.contains(t)),
            Slot::SectionDone(s) => self.section_done.get(s).copied().unwrap_or(0).to_string().into(),
            Slot::SectionLeft(s) => format!("≈{} h left", self.section_left.get(s).copied().unwrap_or(0)).into(),
            Slot::SectionNext(s) => yes(self.section_has_next(s)),
            Slot::Percent => self.path.percent().to_string().into(),
            Slot::ProgressText => progress_text(&self.summary).into(),
            Slot::PathText => path_text(&self.path).into(),
            Slot::NextTitle => self.next_title.into(),
            Slot::NextSteps => self.next_steps.clone().into(),
            Slot::Statuses => statuses_code(&self.summary).into(),
            Slot::Noted(t) => Cow::Borrowed(if self.notes.contains_key(t) { "1" } else { "" }),
            Slot::NoteText(t) => self.notes.get(t).map_or("".into(), |n| text_escape(&n.text).into()),
            Slot::NoteHtml(t) => self.notes.get(t).map_or("".into(), |n| n.html.clone().into()),
            Slot::NoteHits => self.note_hits().into(),
            Slot::UndoTo(t) => self.undo_of(t).map_or("", |s| s.as_str()).into(),
            Slot::UndoLabel(t) => self.undo_of(t).map_or(Cow::Borrowed(""), |s| undo_label(s).into()),
            Slot::Since => self.seen.since.clone().into(),
            Slot::Updated(t) => Cow::Borrowed(if self.seen.updated.contains_key(t) { "1" } else { "" }),
            Slot::UpdatedNote(t) => self.seen.updated.get(t).map_or(Cow::Borrowed(""), |l| l.clone().into()),
        }
    }

    fn undo_of(&self, topic: &str) -> Option<Status> {
        self.undo.as_ref().filter(|(t, _)| t == topic).map(|(_, p)| p.status())
    }
}

/// The undo button's words for putting a topic back to `status`.
pub fn undo_label(status: Status) -> String {
    format!("Undo: back to {}", status.label())
}

/// Text as markup that reads back as the same text, line breaks and tabs kept (a note's
/// editor holds it).
pub fn text_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Every status other than "not started" as `topic=d` pairs separated by spaces (d, p or
/// s): an attribute value that needs no escaping, read back by `parse_statuses`.
pub fn statuses_code(summary: &ProgressSummary) -> String {
    let mut out = String::new();
    for (topic, status) in summary.statuses.iter() {
        let code = match status {
            Status::Done => 'd',
            Status::InProgress => 'p',
            Status::Skipped => 's',
            Status::None => continue,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(topic);
        out.push('=');
        out.push(code);
    }
    out
}

/// Reads `statuses_code` back; anything malformed is left out.
pub fn parse_statuses(code: &str) -> Vec<(&str, Status)> {
    code.split(' ')
        .filter_map(|pair| {
            let (topic, s) = pair.split_once('=')?;
            let status = match s {
                "d" => Status::Done,
                "p" => Status::InProgress,
                "s" => Status::Skipped,
                _ => return None,
            };
            (!topic.is_empty()).then_some((topic, status))
        })
        .collect()
}

/// "N of M done (P%)", with what is in progress or skipped when there is any.
pub fn progress_text(s: &ProgressSummary) -> String {
    let mut text = format!("{} of {} topics done", s.done, s.total);
    if s.in_progress > 0 {
        text.push_str(&format!(", {} in progress", s.in_progress));
    }
    if s.skipped > 0 {
        text.push_str(&format!(", {} skipped", s.skipped));
    }
    text
}

/// Where a next-steps item's address ends: the page's query goes just before its fragment.
const LINK_END: &str = "#t-";

/// The next-steps items with the page's search and filter (`search`, without its `?`, as
/// the address has it) kept in their links, like every other topic link on the page.
pub fn next_steps_keeping(items: &str, search: &str) -> String {
    if search.is_empty() {
        items.to_owned()
    } else {
        items.replace(LINK_END, &format!("?{}{LINK_END}", xml_escape(search)))
    }
}

/// One "what to learn next" item. Plain markup: the page sets it as the list's inner HTML
/// (the page's script opens its links in place). Each link ends at the topic's box
/// (`#t-{id}`), so without JavaScript the page opens where the topic is.
fn next_item(roadmap: &str, t: &TopicCard, status: Status) -> String {
    format!(
        r#"<li data-next-id="{id}" data-status="{status}"><a href="/roadmaps/{roadmap}/{id}#t-{id}">{title}</a> <span class="topic-hours">≈{hours} h</span></li>"#,
        id = xml_escape(&t.id),
        roadmap = xml_escape(roadmap),
        title = xml_escape(&t.title),
        status = status.as_str(),
        hours = t.hours,
    )
}

#[cfg(test)]
#[path = "personal_tests.rs"]
mod tests;
