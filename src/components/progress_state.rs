//! A page's view of the learner's progress on one roadmap, as the server renders it. Every
//! status-dependent value a page shows comes from `slot`, so the server can render the page
//! once as a template and fill it in for each learner, and the browser can set the same
//! values again in place when a status changes (`islands::page_dom`, through `Slot::hooks`).

use crate::roadmap::changes::Seen;
use crate::roadmap::notes::Note;
use crate::roadmap::personal::{shown_notes, Personal, Slot};
use crate::roadmap::progress::Previous;
use crate::roadmap::search::query_words;
use crate::roadmap::views::RoadmapView;
use crate::roadmap::ProgressSummary;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// How the server renders this page, decided by the route that asked for it and provided
/// as context: with one learner's values, or as a template that shows slot markers in their
/// place (filled in per learner afterwards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RenderMode {
    #[default]
    Learner,
    Template,
}

#[derive(Clone, Copy)]
pub struct ProgressState {
    shown: StoredValue<Personal>,
    mode: RenderMode,
}

impl ProgressState {
    /// The values of `summary` on `roadmap`, worked out once for the page.
    pub fn new(summary: ProgressSummary, roadmap: &RoadmapView) -> Self {
        Self::of_learner(summary, BTreeMap::new(), "", None, Seen::default(), roadmap)
    }

    /// As `new`, with the learner's own notes (`/api/get_notes`), the page's search `q`, and
    /// what the open panel's topic can be put back to (`/api/get_previous_status`), and
    /// what the page tells them of content changes (`/api/get_changes_seen`).
    pub fn of_learner(
        summary: ProgressSummary,
        notes: BTreeMap<String, Note>,
        q: &str,
        undo: Option<(String, Previous)>,
        seen: Seen,
        roadmap: &RoadmapView,
    ) -> Self {
        let mode = use_context::<RenderMode>().unwrap_or_default();
        // Pages are rendered on the server only; the browser's island never renders notes.
        #[cfg(feature = "ssr")]
        let render = |_: &str, text: &str| crate::roadmap::markdown::note_html(text);
        #[cfg(not(feature = "ssr"))]
        let render = |_: &str, _: &str| String::new();
        let mut personal = Personal::of(roadmap, summary)
            .with_notes(shown_notes(roadmap, notes, render))
            .with_search(query_words(q))
            .with_seen(seen);
        if let Some((topic, previous)) = undo {
            personal = personal.with_undo(&topic, Some(previous));
        }
        ProgressState { shown: StoredValue::new(personal), mode }
    }

    /// What the page shows in one status-dependent place (a marker in a template).
    pub fn slot(&self, slot: Slot) -> String {
        match self.mode {
            RenderMode::Template => slot.marker(),
            RenderMode::Learner => self.shown.with_value(|p| p.value(&slot).into_owned()),
        }
    }
}
