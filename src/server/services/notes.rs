//! A learner's private notes: checked before anything is written, read under the topics'
//! current ids. Notes are only ever read for their owner (never for a share link).

use crate::error::AppError;
use crate::roadmap::content::Roadmap;
use crate::roadmap::markdown::note_html;
use crate::roadmap::notes::{checked_note, notes_by_topic, Note, NoteError, SavedNote};
use crate::server::identity::Token;
use crate::server::services::caller::{find_roadmap, now_ms, quote, Caller};
use crate::server::state::AppState;
use crate::server::store::failed;
use std::collections::BTreeMap;

/// The caller's notes on a roadmap by topic id; none for someone we do not know.
pub async fn notes(state: &AppState, caller: &Caller, roadmap: &str) -> Result<BTreeMap<String, Note>, AppError> {
    let roadmap = find_roadmap(state, roadmap)?;
    notes_on(state, caller, roadmap).await
}

/// As `notes`, for a roadmap already found.
pub async fn notes_on(
    state: &AppState,
    caller: &Caller,
    roadmap: &Roadmap,
) -> Result<BTreeMap<String, Note>, AppError> {
    let Some(key) = caller.key() else { return Ok(BTreeMap::new()) };
    let records = state.store.notes(key, &roadmap.id).await.map_err(failed("reading notes"))?;
    Ok(notes_by_topic(roadmap, &records))
}

/// Saves (or, when it is empty, deletes) the caller's note on one topic; durable when it
/// answers. Someone we do not know yet gets an identity (counted against `client`), whose
/// token (returned) must go to their browser.
pub async fn save(
    state: &AppState,
    caller: &Caller,
    client: &str,
    roadmap: &str,
    topic: &str,
    note: &str,
) -> Result<(SavedNote, Option<Token>), AppError> {
    let roadmap = find_roadmap(state, roadmap)?;
    let topic = roadmap.topic(topic).map(|t| t.id.clone()).ok_or_else(|| {
        AppError::bad_request(format!(
            "The {} roadmap has no topic {}. Use a topic id as it appears in the topic's address.",
            roadmap.id,
            quote(topic)
        ))
    })?;
    let text = checked_note(note).map_err(|e| match e {
        NoteError::TooLong { .. } => AppError::TooLarge(e.to_string()),
        NoteError::Control => AppError::bad_request(e.to_string()),
    })?;
    let now = now_ms();
    if text.is_none() && caller.key().is_none() {
        // Deleting what a new visitor never wrote: nothing to store, no identity to make.
        return Ok((
            SavedNote { topic: topic.to_string(), note: String::new(), changed_at: now, html: String::new() },
            None,
        ));
    }
    let (key, token) = caller.ensure_identity(state, client, now).await?;
    state.store.set_note(&key, &roadmap.id, &topic, text.as_deref(), now).await.map_err(failed("saving a note"))?;
    let note = text.unwrap_or_default();
    let html = note_html(&note);
    Ok((SavedNote { topic: topic.to_string(), note, changed_at: now, html }, token))
}
