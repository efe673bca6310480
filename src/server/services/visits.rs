//! A learner's visits and what a page tells them of content changes: the roadmap page
//! records the visit (written only when a new one starts or the last is stale) and the
//! opening of a topic flagged "updated since you finished it" (which ends the flag).

use crate::error::AppError;
use crate::roadmap::changes::{arrive, seen, Revisable, Seen};
use crate::roadmap::content::Roadmap;
use crate::roadmap::progress::Recorded;
use crate::server::services::caller::{now_ms, Caller};
use crate::server::state::AppState;
use crate::server::store::failed;

/// Whether a page view writes down the visit (`Record`) or only reads it (`Look`: a page
/// rendered in full, a panel fetched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Record,
    Look,
}

/// What the roadmap page (with `open`'s panel, if any) tells the caller of changes, given
/// their stored statuses (`progress::records`), and, for `View::Record`, the visit written
/// down. Nothing for someone we do not know. A visit that cannot be written is logged, not
/// an error: the page is still right.
pub async fn on_page(
    state: &AppState,
    caller: &Caller,
    roadmap: &Roadmap,
    records: &[Recorded],
    open: Option<&str>,
    view: View,
) -> Result<Seen, AppError> {
    let Some(key) = caller.key() else { return Ok(Seen::default()) };
    let now = now_ms();
    let visits = state.store.visits(key, &roadmap.id).await.map_err(failed("reading your last visit"))?;
    let (visit, write) = arrive(visits.roadmap, now, state.visit_gap_ms);
    let topics = roadmap.topics.iter().filter(|t| !t.history.is_empty()).map(|t| Revisable {
        id: t.id.as_str(),
        history: &t.history,
        aliases: &t.aliases,
    });
    // The first visit says nothing: there is no "since" yet, and nothing to have missed.
    let shown = match visits.roadmap {
        None => Seen::default(),
        Some(_) => seen(roadmap.id.as_str(), roadmap.changes(), topics, &visit, &visits.opened, records, now),
    };
    if view == View::Record {
        if write {
            if let Err(e) = state.store.set_visit(key, &roadmap.id, None, visit).await {
                tracing::warn!("could not record a visit: {e}");
            }
        }
        opened(state, caller, roadmap, open, &shown).await;
    }
    Ok(shown)
}

/// Records that the caller opened `open`'s panel when it was flagged, which ends the flag
/// from their next page on (the panel they open still says what changed).
pub async fn opened(state: &AppState, caller: &Caller, roadmap: &Roadmap, open: Option<&str>, shown: &Seen) {
    let (Some(key), Some(open)) = (caller.key(), open) else { return };
    let Some(topic) = roadmap.topic(open).filter(|t| shown.updated.contains_key(t.id.as_str())) else { return };
    let visit = crate::roadmap::changes::VisitRecord { previous: None, last: now_ms() };
    if let Err(e) = state.store.set_visit(key, &roadmap.id, Some(&topic.id), visit).await {
        tracing::warn!("could not record an opened topic: {e}");
    }
}
