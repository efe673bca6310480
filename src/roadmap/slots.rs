//! The per-learner values of a roadmap page, each defined once: its marker in a template
//! (`Slot::marker`, `Slot::parse`), where it sits in the page's markup for the browser to
//! write a new value to (`Slot::hooks`), and which a page of a roadmap holds (`Slot::all_of`).
//! Their values for one learner are `personal::Personal::value`.

use super::status::Status;
use super::views::RoadmapView;

/// Where a template marks a slot: private-use characters that no content, escaping or
/// markup produces.
pub const OPEN: char = '\u{E000}';
pub const CLOSE: char = '\u{E001}';

/// One status-dependent value of a roadmap page. Each value is defined here once: its
/// marker in a template (`marker`/`parse`), its value for a learner (`Personal::value`) and
/// where it sits in the page's markup (`hooks`), which the browser writes a new value to.
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
    /// `data-next` of a topic: whether it can be started now (its prerequisites are settled
    /// and it is neither done nor skipped).
    Next(String),
    /// How many topics of a section are done.
    SectionDone(String),
    /// Focused hours left in a section: its core topics and alternatives not done or
    /// skipped (optional topics are not counted).
    SectionLeft(String),
    /// `data-next` of a section's tile: whether one of its topics can be started now.
    SectionNext(String),
    /// Percent of the core path done (the learner's picks counted).
    Percent,
    /// "N of M topics done, …": counts of every status.
    ProgressText,
    /// "Core path: P% done · about H focused hours left …".
    PathText,
    /// The heading of the next-steps card: "Start here", "Continue" or "Up next".
    NextTitle,
    /// The "what to learn next" list items, as HTML.
    NextSteps,
    /// Every status of the roadmap in one attribute, where the page's island starts from
    /// (`topic=d` pairs; `Personal::statuses_code`).
    Statuses,
    /// `data-note` of a topic's box: `1` when the learner wrote a note on it, else empty
    /// (short: every box carries it).
    Noted(String),
    /// The learner's note on a topic as the text of its editor (escaped markup), in the
    /// topic's open panel.
    NoteText(String),
    /// The learner's note on a topic rendered (Markdown, raw HTML escaped), in its panel.
    NoteHtml(String),
    /// The topics whose note has every word of the page's search, as list items.
    NoteHits,
    /// `data-undo` of a topic's undo form (in its open panel): the status its last change
    /// replaced, or empty when there is nothing to undo.
    UndoTo(String),
    /// The undo button's words: "Undo: back to done".
    UndoLabel(String),
    /// "Since your visit on 12 November: 3 topics updated, 2 new" with a link to the
    /// changes (markup), or empty.
    Since,
    /// `data-updated` of a topic's box: `1` when it was finished before its latest revision
    /// and not opened since, else empty.
    Updated(String),
    /// In a topic's open panel: "Updated since you finished it (date): what changed", or empty.
    UpdatedNote(String),
}

/// Where in an element a slot's value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Attribute(&'static str),
    Text,
    Markup,
}

/// One place a slot shows in a page: the elements matching `selector`, and where in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    pub selector: String,
    pub place: Place,
}

impl Hook {
    fn new(selector: String, place: Place) -> Self {
        Hook { selector, place }
    }
}

/// The attribute naming a page-wide slot's element (`data-hook="progress-text"`).
pub const HOOK: &str = "data-hook";

impl Slot {
    /// The slot as a template writes it.
    pub fn marker(&self) -> String {
        let code = match self {
            Slot::Status(t) => format!("s {t}"),
            Slot::Label(t) => format!("l {t}"),
            Slot::Pressed(t, s) => format!("p {t} {}", s.as_str()),
            Slot::OnPath(t) => format!("o {t}"),
            Slot::Next(t) => format!("x {t}"),
            Slot::SectionDone(s) => format!("c {s}"),
            Slot::SectionLeft(s) => format!("cl {s}"),
            Slot::SectionNext(s) => format!("cx {s}"),
            Slot::Percent => "%".to_owned(),
            Slot::ProgressText => "t".to_owned(),
            Slot::PathText => "h".to_owned(),
            Slot::NextTitle => "nt".to_owned(),
            Slot::NextSteps => "n".to_owned(),
            Slot::Statuses => "all".to_owned(),
            Slot::Noted(t) => format!("m {t}"),
            Slot::NoteText(t) => format!("mt {t}"),
            Slot::NoteHtml(t) => format!("mh {t}"),
            Slot::NoteHits => "mq".to_owned(),
            Slot::UndoTo(t) => format!("u {t}"),
            Slot::UndoLabel(t) => format!("ul {t}"),
            Slot::Since => "cs".to_owned(),
            Slot::Updated(t) => format!("up {t}"),
            Slot::UpdatedNote(t) => format!("un {t}"),
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
            ("x", Some(t), None) => Slot::Next(t.to_owned()),
            ("c", Some(s), None) => Slot::SectionDone(s.to_owned()),
            ("cl", Some(s), None) => Slot::SectionLeft(s.to_owned()),
            ("cx", Some(s), None) => Slot::SectionNext(s.to_owned()),
            ("%", None, None) => Slot::Percent,
            ("t", None, None) => Slot::ProgressText,
            ("h", None, None) => Slot::PathText,
            ("nt", None, None) => Slot::NextTitle,
            ("n", None, None) => Slot::NextSteps,
            ("all", None, None) => Slot::Statuses,
            ("m", Some(t), None) => Slot::Noted(t.to_owned()),
            ("mt", Some(t), None) => Slot::NoteText(t.to_owned()),
            ("mh", Some(t), None) => Slot::NoteHtml(t.to_owned()),
            ("mq", None, None) => Slot::NoteHits,
            ("u", Some(t), None) => Slot::UndoTo(t.to_owned()),
            ("ul", Some(t), None) => Slot::UndoLabel(t.to_owned()),
            ("cs", None, None) => Slot::Since,
            ("up", Some(t), None) => Slot::Updated(t.to_owned()),
            ("un", Some(t), None) => Slot::UpdatedNote(t.to_owned()),
            _ => return None,
        };
        words.next().is_none().then_some(slot)
    }

    /// Where the slot shows in a page, for the browser to write a new value to. The page's
    /// components put the same attributes on the same elements; tests/overlay.rs checks
    /// that every marker of a template sits where its hooks say.
    pub fn hooks(&self) -> Vec<Hook> {
        let page = |name: &str, place| vec![Hook::new(format!(r#"[{HOOK}="{name}"]"#), place)];
        match self {
            Slot::Status(t) => vec![
                Hook::new(format!("#t-{t}"), Place::Attribute("data-status")),
                Hook::new(format!(r#"[data-topic-id="{t}"]"#), Place::Attribute("data-status")),
                Hook::new(format!(r#"[data-from="{t}"]"#), Place::Attribute("data-from-status")),
            ],
            Slot::Label(t) => vec![
                Hook::new(format!(r#"#t-{t} .node-label"#), Place::Text),
                Hook::new(format!(r#"[data-label-for="{t}"]"#), Place::Text),
            ],
            Slot::Pressed(t, s) => vec![Hook::new(
                format!(r#"[data-controls-for="{t}"] [value="{}"]"#, s.as_str()),
                Place::Attribute("aria-pressed"),
            )],
            Slot::OnPath(t) => {
                vec![Hook::new(format!("#t-{t}"), Place::Attribute("data-on-path"))]
            }
            Slot::Next(t) => {
                vec![Hook::new(format!("#t-{t}"), Place::Attribute("data-next"))]
            }
            Slot::SectionDone(s) => vec![
                Hook::new(format!(r#"[data-section-done="{s}"]"#), Place::Text),
                Hook::new(format!(r#"[data-section-bar="{s}"]"#), Place::Attribute("value")),
            ],
            Slot::SectionLeft(s) => vec![Hook::new(format!(r#"[data-section-left="{s}"]"#), Place::Text)],
            Slot::SectionNext(s) => {
                vec![Hook::new(format!(r#"[data-section-tile="{s}"]"#), Place::Attribute("data-next"))]
            }
            Slot::Percent => {
                let mut hooks = page("percent", Place::Attribute("value"));
                hooks.extend(page("percent-text", Place::Text));
                hooks
            }
            Slot::ProgressText => page("progress-text", Place::Text),
            Slot::PathText => page("path-text", Place::Text),
            Slot::NextTitle => page("next-title", Place::Text),
            Slot::NextSteps => page("next-steps", Place::Markup),
            // Read once when the page starts; never written again.
            Slot::Statuses => vec![],
            Slot::Noted(t) => vec![Hook::new(format!("#t-{t}"), Place::Attribute("data-note"))],
            Slot::NoteText(t) => vec![Hook::new(format!(r#"[data-note-text="{t}"]"#), Place::Markup)],
            Slot::NoteHtml(t) => vec![Hook::new(format!(r#"[data-note-view="{t}"]"#), Place::Markup)],
            Slot::NoteHits => page("note-hits", Place::Markup),
            Slot::UndoTo(t) => vec![Hook::new(format!(r#"[data-undo-for="{t}"]"#), Place::Attribute("data-undo"))],
            Slot::UndoLabel(t) => vec![Hook::new(format!(r#"[data-undo-label="{t}"]"#), Place::Text)],
            Slot::Since => page("since", Place::Markup),
            Slot::Updated(t) => vec![Hook::new(format!("#t-{t}"), Place::Attribute("data-updated"))],
            Slot::UpdatedNote(t) => {
                vec![Hook::new(format!(r#"[data-updated-note="{t}"]"#), Place::Markup)]
            }
        }
    }

    /// Every slot a page of `roadmap` can hold, page-wide ones first.
    pub fn all_of(roadmap: &RoadmapView) -> Vec<Slot> {
        let mut slots = vec![
            Slot::Percent,
            Slot::ProgressText,
            Slot::PathText,
            Slot::NextTitle,
            Slot::NextSteps,
            Slot::Statuses,
            Slot::Since,
        ];
        for section in &roadmap.sections {
            slots.push(Slot::SectionDone(section.id.clone()));
            slots.push(Slot::SectionLeft(section.id.clone()));
            slots.push(Slot::SectionNext(section.id.clone()));
        }
        for t in roadmap.topics() {
            let id = &t.id;
            slots.extend([
                Slot::Status(id.clone()),
                Slot::Label(id.clone()),
                Slot::OnPath(id.clone()),
                Slot::Next(id.clone()),
            ]);
            slots.extend(Status::ALL.into_iter().map(|s| Slot::Pressed(id.clone(), s)));
            slots.push(Slot::Noted(id.clone()));
            // Only a topic with a revision can be "updated since you finished it".
            if t.revisable {
                slots.push(Slot::Updated(id.clone()));
            }
        }
        slots
    }

    /// The slots a page holds for `topic`'s open panel only (its note, its undo, what
    /// changed since the learner finished it).
    pub fn of_panel(topic: &str) -> [Slot; 5] {
        let t = || topic.to_owned();
        [Slot::NoteText(t()), Slot::NoteHtml(t()), Slot::UndoTo(t()), Slot::UndoLabel(t()), Slot::UpdatedNote(t())]
    }
}
