//! What a roadmap page shows of one learner's progress, as named slots. The page components
//! and the server's page overlay (`server::web::overlay`) both take every status-dependent value
//! from here, so a page filled in from a kept template reads exactly like a page rendered
//! for that learner from scratch.

use super::content::Kind;
use super::planner::{next_topics, on_my_path};
use super::progress::ProgressSummary;
use super::share::xml_escape;
use super::status::Status;
use super::views::{RoadmapView, TopicCard};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// How many "what to learn next" suggestions a page shows.
pub const NEXT_SHOWN: usize = 6;

/// Where a template marks a slot: private-use characters that no content, escaping or
/// markup produces.
pub const OPEN: char = '\u{E000}';
pub const CLOSE: char = '\u{E001}';

/// One status-dependent value of a roadmap page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Slot {
    /// A topic's status as an attribute value: `done`, `in_progress`, `skipped`, `none`.
    Status(String),
    /// A topic's status in words.
    Label(String),
    /// `aria-pressed` of one status button of a topic.
    Pressed(String, Status),
    /// `data-on-path` of a topic: whether it is on the learner's own path.
    OnPath(String),
    /// How many topics of a section are done.
    SectionDone(String),
    /// The roadmap's percent done.
    Percent,
    /// "N of M done (P%)…", the progress bar's text.
    ProgressText,
    /// Focused hours left on the core path.
    HoursLeft,
    /// The "what to learn next" list items, as HTML.
    NextSteps,
}

impl Slot {
    /// The slot as a template writes it.
    pub fn marker(&self) -> String {
        let code = match self {
            Slot::Status(t) => format!("s {t}"),
            Slot::Label(t) => format!("l {t}"),
            Slot::Pressed(t, s) => format!("p {t} {}", s.as_str()),
            Slot::OnPath(t) => format!("o {t}"),
            Slot::SectionDone(s) => format!("c {s}"),
            Slot::Percent => "%".to_owned(),
            Slot::ProgressText => "t".to_owned(),
            Slot::HoursLeft => "h".to_owned(),
            Slot::NextSteps => "n".to_owned(),
        };
        format!("{OPEN}{code}{CLOSE}")
    }

    /// Reads a marker's code (the text between `OPEN` and `CLOSE`).
    pub fn parse(code: &str) -> Option<Slot> {
        let mut words = code.split(' ');
        let slot = match (words.next()?, words.next(), words.next()) {
            ("s", Some(t), None) => Slot::Status(t.to_owned()),
            ("l", Some(t), None) => Slot::Label(t.to_owned()),
            ("p", Some(t), Some(s)) => Slot::Pressed(t.to_owned(), Status::parse(s).ok()?),
            ("o", Some(t), None) => Slot::OnPath(t.to_owned()),
            ("c", Some(s), None) => Slot::SectionDone(s.to_owned()),
            ("%", None, None) => Slot::Percent,
            ("t", None, None) => Slot::ProgressText,
            ("h", None, None) => Slot::HoursLeft,
            ("n", None, None) => Slot::NextSteps,
            _ => return None,
        };
        words.next().is_none().then_some(slot)
    }
}

/// A learner's progress on one roadmap with everything derived from it that a page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Personal {
    pub summary: ProgressSummary,
    on_path: HashSet<String>,
    section_done: HashMap<String, u32>,
    hours_left: u32,
    next_steps: String,
}

impl Personal {
    /// Works out the page's values for `summary` on `roadmap` (the planner runs once here).
    pub fn of(roadmap: &RoadmapView, summary: ProgressSummary) -> Self {
        let cards: Vec<&TopicCard> = roadmap.topics().collect();
        let status = |id: &str| summary.status_of(id);
        let on_path = on_my_path(&cards, status).into_iter().map(str::to_owned).collect();
        let next_steps =
            next_topics(&cards, status).into_iter().take(NEXT_SHOWN).map(|t| next_item(&roadmap.id, t)).collect();
        let section_done = roadmap
            .sections
            .iter()
            .map(|s| (s.id.clone(), s.topics.iter().filter(|t| status(&t.id) == Status::Done).count() as u32))
            .collect();
        let hours_left = cards
            .iter()
            .filter(|t| t.kind == Kind::Core && !matches!(status(&t.id), Status::Done | Status::Skipped))
            .map(|t| t.hours)
            .sum();
        Personal { summary, on_path, section_done, hours_left, next_steps }
    }

    pub fn status_of(&self, topic: &str) -> Status {
        self.summary.status_of(topic)
    }

    pub fn on_path(&self, topic: &str) -> bool {
        self.on_path.contains(topic)
    }

    /// The text a slot stands for, escaped for where the slot sits (attribute or text; the
    /// next-steps slot is markup).
    pub fn value(&self, slot: &Slot) -> Cow<'static, str> {
        match slot {
            Slot::Status(t) => self.status_of(t).as_str().into(),
            Slot::Label(t) => self.status_of(t).label().into(),
            Slot::Pressed(t, s) => if self.status_of(t) == *s { "true" } else { "false" }.into(),
            Slot::OnPath(t) => if self.on_path(t) { "true" } else { "false" }.into(),
            Slot::SectionDone(s) => self.section_done.get(s).copied().unwrap_or(0).to_string().into(),
            Slot::Percent => self.summary.percent.to_string().into(),
            Slot::ProgressText => progress_text(&self.summary).into(),
            Slot::HoursLeft => self.hours_left.to_string().into(),
            Slot::NextSteps => self.next_steps.clone().into(),
        }
    }
}

/// "N of M done (P%)", with what is in progress or skipped when there is any.
pub fn progress_text(s: &ProgressSummary) -> String {
    let mut text = format!("{} of {} done ({}%)", s.done, s.total, s.percent);
    if s.in_progress > 0 {
        text.push_str(&format!(", {} in progress", s.in_progress));
    }
    if s.skipped > 0 {
        text.push_str(&format!(", {} skipped", s.skipped));
    }
    text
}

/// Where a next-steps item's link ends: the page's query goes just before it.
const LINK_END: &str = r#"" data-noscroll="">"#;

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
/// (the page's script opens its links in place).
fn next_item(roadmap: &str, t: &TopicCard) -> String {
    format!(
        r#"<li data-next-id="{id}"><a href="/roadmaps/{roadmap}/{id}" data-noscroll="">{title}</a><span class="topic-kind">{kind}</span><span class="topic-hours">≈{hours} h</span></li>"#,
        id = xml_escape(&t.id),
        roadmap = xml_escape(roadmap),
        title = xml_escape(&t.title),
        kind = t.kind.label(),
        hours = t.hours,
    )
}

#[cfg(test)]
#[path = "personal_tests.rs"]
mod tests;
