//! Who a page is filled in for: the learner a request shows (their statuses, notes, what
//! the open panel can be put back to, what changed since their visit; a shared page's
//! owner), and what filling a template for them takes.

use super::PageKey;
use super::PageKind;
use crate::error::AppError;
use crate::roadmap::changes::Seen;
use crate::roadmap::markdown::note_html;
use crate::roadmap::notes::Note;
use crate::roadmap::personal::{notes_key, shown_notes, statuses_code, Personal};
use crate::roadmap::progress::Previous;
use crate::roadmap::search::query_words;
use crate::roadmap::ProgressSummary;
use crate::server::services::caller::Caller;
use crate::server::services::visits::{self, View};
use crate::server::services::{notes, progress, sharing};
use crate::server::state::AppState;
use crate::server::web::context::cookies_to_refresh;
use axum::http::HeaderMap;
use std::collections::BTreeMap;

/// What filling `key`'s template for `learner` takes.
pub(super) fn filling<'a>(app: &'a AppState, key: &PageKey, learner: Learner) -> Result<Filling<'a>, AppError> {
    let Learner { summary, notes, undo, seen } = learner;
    let view = app
        .catalog
        .view(&summary.roadmap)
        .ok_or_else(|| AppError::internal("filling a page", format!("no roadmap {}", summary.roadmap)))?;
    // Only the open panel shows a note rendered.
    let open = key.open_topic();
    let render = |id: &str, text: &str| if Some(id) == open { note_html(text) } else { String::new() };
    let notes = shown_notes(view, notes, render);
    let undo = open.zip(undo).map(|(t, p)| (t.to_owned(), p));
    Ok(Filling { view, summary, notes, search: query_words(&key.search()), undo, seen })
}

/// A learner's values for one page, before the planner runs (`personal`).
pub(super) struct Filling<'a> {
    view: &'a crate::roadmap::views::RoadmapView,
    summary: ProgressSummary,
    notes: BTreeMap<String, crate::roadmap::personal::ShownNote>,
    search: Vec<String>,
    /// The open panel's topic and what it can be put back to.
    undo: Option<(String, Previous)>,
    seen: Seen,
}

impl Filling<'_> {
    /// What the page of `key` shows of this learner, as a key: two learners alike in it see
    /// the same bytes.
    pub(super) fn shows(&self, key: &PageKey) -> String {
        let notes = notes_key(&self.summary.roadmap, &self.notes, &self.search, key.open_topic());
        let undo = self.undo.as_ref().map_or("", |(_, p)| p.status().as_str());
        format!("{}\u{2}{notes}\u{2}{undo}\u{2}{}", statuses_code(&self.summary), self.seen.key())
    }

    pub(super) fn personal(self) -> Personal {
        let personal =
            Personal::of(self.view, self.summary).with_notes(self.notes).with_search(self.search).with_seen(self.seen);
        match self.undo {
            Some((topic, previous)) => personal.with_undo(&topic, Some(previous)),
            None => personal,
        }
    }
}

/// What a page shows of one learner: their progress, and their own notes (none on a shared
/// page: notes are private).
pub(super) struct Learner {
    pub(super) summary: ProgressSummary,
    pub(super) notes: BTreeMap<String, Note>,
    /// What the open panel's topic can be put back to.
    pub(super) undo: Option<Previous>,
    /// What the page tells them of content changes since their last visit.
    pub(super) seen: Seen,
}

/// The learner a page shows, and what it needs from the request: `None` for a page that is
/// the same for everyone who has none (the kept page), `Err` to render in full instead. With
/// it, the cookies the caller's browser should get back (`context::cookies_to_refresh`).
pub(super) async fn learner_for(
    app: &AppState,
    key: &mut PageKey,
    headers: &HeaderMap,
) -> Result<(Option<Learner>, Vec<String>), ()> {
    match &mut key.kind {
        PageKind::Home => Ok((None, Vec::new())),
        PageKind::Roadmap { roadmap, topic } => match Caller::from_headers(app, headers).await {
            Ok(Caller::Anonymous) => Ok((None, Vec::new())),
            Ok(caller) => {
                let found = app.catalog.roadmap(roadmap).ok_or(())?;
                // One read of the statuses for the summary and for what changed since.
                let records = progress::records(app, &caller, found).await.map_err(|_| ())?;
                let summary = ProgressSummary::compute(found, records.iter());
                let notes = notes::notes_on(app, &caller, found).await.map_err(|_| ())?;
                let undo = match topic {
                    Some(topic) => progress::previous(app, &caller, found, topic).await.map_err(|_| ())?,
                    None => None,
                };
                let seen = visits::on_page(app, &caller, found, &records, topic.as_deref(), View::Record)
                    .await
                    .map_err(|_| ())?;
                Ok((Some(Learner { summary, notes, undo, seen }), cookies_to_refresh(app, &caller, headers)))
            }
            Err(_) => Err(()),
        },
        PageKind::Shared { code, owner } => match sharing::open(app, code).await {
            Ok(shared) => {
                *owner = shared.owner;
                let learner =
                    Learner { summary: shared.summary, notes: BTreeMap::new(), undo: None, seen: Seen::default() };
                Ok((Some(learner), Vec::new()))
            }
            Err(_) => Err(()),
        },
    }
}
