//! Reading and recording a learner's progress: input checks first, then the store (each
//! write durable before it answers).

use crate::error::AppError;
use crate::roadmap::content::Roadmap;
use crate::roadmap::progress::{Previous, ProgressSummary};
use crate::roadmap::Status;
use crate::server::identity::Token;
use crate::server::services::caller::{find_roadmap, now_ms, quote, Caller};
use crate::server::state::AppState;
use crate::server::store::failed;
use crate::server::store::purge::session_cutoff;

/// The caller's progress on a roadmap; all `none` for someone we do not know.
pub async fn progress(state: &AppState, caller: &Caller, roadmap: &str) -> Result<ProgressSummary, AppError> {
    let roadmap = find_roadmap(state, roadmap)?;
    let records = match caller {
        Caller::Known(id) => state.store.statuses(&id.key, &roadmap.id).await.map_err(failed("reading progress"))?,
        Caller::Anonymous => return Ok(ProgressSummary::none(roadmap)),
    };
    Ok(ProgressSummary::compute(roadmap, records.iter()))
}

/// The caller's stored statuses on a roadmap (under any id a topic had), as the store keeps
/// them; none for someone we do not know.
pub async fn records(
    state: &AppState,
    caller: &Caller,
    roadmap: &Roadmap,
) -> Result<std::sync::Arc<Vec<crate::roadmap::progress::Recorded>>, AppError> {
    match caller {
        Caller::Known(id) => state.store.statuses(&id.key, &roadmap.id).await.map_err(failed("reading progress")),
        Caller::Anonymous => Ok(Default::default()),
    }
}

/// What a status change needs, checked.
pub struct StatusChange<'a> {
    pub roadmap: &'a Roadmap,
    pub topic: crate::roadmap::TopicId,
    pub status: Status,
}

/// Checks a status change before anything is written.
pub fn check_change<'a>(
    state: &'a AppState,
    roadmap: &str,
    topic: &str,
    status: &str,
) -> Result<StatusChange<'a>, AppError> {
    let roadmap = find_roadmap(state, roadmap)?;
    let topic = roadmap.topic(topic).map(|t| t.id.clone()).ok_or_else(|| {
        AppError::bad_request(format!(
            "The {} roadmap has no topic {}. Use a topic id as it appears in the topic's address.",
            roadmap.id,
            quote(topic)
        ))
    })?;
    let status = Status::parse(status).map_err(|_| {
        AppError::bad_request(format!("{} is not a status. Use done, in_progress, skipped or none.", quote(status)))
    })?;
    Ok(StatusChange { roadmap, topic, status })
}

/// Records a checked change for whoever the cookie's `token` names, finding them and writing
/// in one store operation (one statement on PostgreSQL); answers once it is durable. Someone
/// the store does not know gets a new identity (counted against `client`), whose token
/// (returned) must go to their browser.
pub async fn record_for(
    state: &AppState,
    token: Option<Token>,
    client: &str,
    change: StatusChange<'_>,
) -> Result<(ProgressSummary, Option<Token>), AppError> {
    let now = now_ms();
    if let Some(token) = &token {
        let sessions = session_cutoff(now);
        let written = state
            .store
            .set_status_for_token(&token.key(), sessions, &change.roadmap.id, &change.topic, change.status, now)
            .await
            .map_err(failed("writing a status"))?;
        if let Some(records) = written {
            return Ok((ProgressSummary::compute(change.roadmap, records), None));
        }
    }
    record(state, Caller::Anonymous, client, change).await
}

/// Records a checked change for the caller; answers once it is durable. A caller without a
/// known identity gets a new one (counted against `client`); the returned token (if any)
/// must go to their browser.
pub async fn record(
    state: &AppState,
    caller: Caller,
    client: &str,
    change: StatusChange<'_>,
) -> Result<(ProgressSummary, Option<Token>), AppError> {
    let now = now_ms();
    let (key, new_token) = caller.ensure_identity(state, client, now).await?;
    let records = state
        .store
        .set_status(&key, &change.roadmap.id, &change.topic, change.status, now)
        .await
        .map_err(failed("writing a status"))?;
    Ok((ProgressSummary::compute(change.roadmap, records), new_token))
}

/// What the caller's status on `topic` was before their last change (`None`: nothing to
/// undo, or nobody we know). `topic` is a current topic id.
pub async fn previous(
    state: &AppState,
    caller: &Caller,
    roadmap: &Roadmap,
    topic: &str,
) -> Result<Option<Previous>, AppError> {
    let (Some(key), Some(topic)) = (caller.key(), roadmap.topic(topic)) else { return Ok(None) };
    state.store.previous_status(key, &roadmap.id, &topic.id).await.map_err(failed("reading a status"))
}

/// Puts the caller's status on a topic back as it was before their last change (its status
/// and time exactly); durable when it answers. 409 when there is nothing to undo.
pub async fn undo(state: &AppState, caller: &Caller, roadmap: &str, topic: &str) -> Result<ProgressSummary, AppError> {
    let change = check_change(state, roadmap, topic, Status::None.as_str())?;
    let nothing = || {
        AppError::Conflict(format!(
            "There is nothing to undo for {}: it was not changed since it was last put back, merged or imported.",
            quote(topic)
        ))
    };
    let Some(key) = caller.key() else { return Err(nothing()) };
    let after = state
        .store
        .undo_status(key, &change.roadmap.id, &change.topic)
        .await
        .map_err(failed("undoing a status"))?
        .ok_or_else(nothing)?;
    Ok(ProgressSummary::compute(change.roadmap, after))
}
