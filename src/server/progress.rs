//! Reading and recording a learner's progress: input checks, identity, store, durability.

use crate::error::AppError;
use crate::roadmap::content::Roadmap;
use crate::roadmap::progress::ProgressSummary;
use crate::roadmap::{RoadmapId, Status};
use crate::server::identity::{IdentityKey, Token};
use crate::server::state::AppState;
use std::time::{SystemTime, UNIX_EPOCH};

/// Who is asking: the identity from their cookie if the store knows it.
pub enum Caller {
    Known(IdentityKey),
    Anonymous,
}

/// Shows a piece of input in a message, cut short if someone sent a novel.
fn quote(raw: &str) -> String {
    let mut shown: String = raw.chars().take(40).collect();
    if shown.len() < raw.len() {
        shown.push('…');
    }
    format!("`{shown}`")
}

/// Finds the roadmap a request names, or says how to fix the request.
pub fn find_roadmap<'a>(state: &'a AppState, raw: &str) -> Result<&'a Roadmap, AppError> {
    RoadmapId::parse(raw).ok().and_then(|id| state.catalog.roadmap(id.as_str())).ok_or_else(|| {
        let known: Vec<&str> = state.catalog.roadmaps().iter().map(|r| r.id.as_str()).collect();
        AppError::bad_request(format!("There is no roadmap {}. Use one of: {}.", quote(raw), known.join(", ")))
    })
}

/// Resolves the caller's cookie to a known identity, without creating one.
pub fn identify(state: &AppState, token: Option<Token>) -> Result<Caller, AppError> {
    let Some(token) = token else { return Ok(Caller::Anonymous) };
    let key = token.key();
    let known = state.store.identity_exists(&key).map_err(|e| AppError::internal("identity lookup", e))?;
    Ok(if known { Caller::Known(key) } else { Caller::Anonymous })
}

/// The caller's progress on a roadmap; all `none` for someone we do not know.
pub fn progress(state: &AppState, caller: &Caller, roadmap: &str) -> Result<ProgressSummary, AppError> {
    let roadmap = find_roadmap(state, roadmap)?;
    let records = match caller {
        Caller::Known(key) => {
            state.store.statuses(key, &roadmap.id).map_err(|e| AppError::internal("reading progress", e))?
        }
        Caller::Anonymous => Vec::new(),
    };
    Ok(ProgressSummary::compute(roadmap, records))
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

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Records a checked change for the caller and waits until it is on disk. A caller without
/// a known identity gets a new one; the returned token (if any) must go to their browser.
pub async fn record(
    state: &AppState,
    caller: Caller,
    change: StatusChange<'_>,
) -> Result<(ProgressSummary, Option<Token>), AppError> {
    let store = &state.store;
    let now = now_ms();
    let (key, new_token) = match caller {
        Caller::Known(key) => (key, None),
        Caller::Anonymous => {
            let token = Token::generate().map_err(|e| AppError::internal("generating an identity", e))?;
            let key = token.key();
            store.create_identity(&key, now).map_err(|e| AppError::internal("creating an identity", e))?;
            (key, Some(token))
        }
    };
    store
        .set_status(&key, &change.roadmap.id, &change.topic, change.status, now)
        .map_err(|e| AppError::internal("writing a status", e))?;
    store.durable().await.map_err(|e| AppError::internal("flushing a status", e))?;
    let records = store.statuses(&key, &change.roadmap.id).map_err(|e| AppError::internal("reading progress", e))?;
    Ok((ProgressSummary::compute(change.roadmap, records), new_token))
}
