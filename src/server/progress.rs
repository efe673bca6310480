//! Reading and recording a learner's progress: input checks, identity, store, durability.

use crate::error::AppError;
use crate::roadmap::account::Username;
use crate::roadmap::content::Roadmap;
use crate::roadmap::progress::ProgressSummary;
use crate::roadmap::{RoadmapId, Status};
use crate::server::identity::{IdentityKey, SessionKey, Token, SESSION_MAX_AGE_SECS};
use crate::server::state::AppState;
use crate::server::store::failed;
use std::time::{SystemTime, UNIX_EPOCH};

/// Who is asking: the identity from their cookie if the store knows it.
pub enum Caller {
    Known(Identity),
    Anonymous,
}

/// A known identity, and the account and session it came through when signed in.
pub struct Identity {
    pub key: IdentityKey,
    pub account: Option<Username>,
    pub session: Option<SessionKey>,
}

impl Caller {
    pub fn key(&self) -> Option<&IdentityKey> {
        match self {
            Caller::Known(id) => Some(&id.key),
            Caller::Anonymous => None,
        }
    }

    pub fn account(&self) -> Option<&Username> {
        match self {
            Caller::Known(id) => id.account.as_ref(),
            Caller::Anonymous => None,
        }
    }
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

/// Resolves the caller's cookie to a session or a known anonymous identity, without
/// creating one. An expired session counts as no cookie.
pub fn identify(state: &AppState, token: Option<Token>) -> Result<Caller, AppError> {
    let Some(token) = token else { return Ok(Caller::Anonymous) };
    let lookup = failed("looking up an identity");
    let session_key = token.session_key();
    if let Some(session) = state.store.session(&session_key).map_err(&lookup)? {
        if now_ms().saturating_sub(session.created_at) < SESSION_MAX_AGE_SECS * 1000 {
            return Ok(Caller::Known(Identity {
                key: session.identity,
                account: Some(session.username),
                session: Some(session_key),
            }));
        }
        return Ok(Caller::Anonymous);
    }
    let key = token.key();
    let known = state.store.identity_exists(&key).map_err(&lookup)?;
    Ok(if known { Caller::Known(Identity { key, account: None, session: None }) } else { Caller::Anonymous })
}

/// The caller's progress on a roadmap; all `none` for someone we do not know.
pub fn progress(state: &AppState, caller: &Caller, roadmap: &str) -> Result<ProgressSummary, AppError> {
    let roadmap = find_roadmap(state, roadmap)?;
    let records = match caller {
        Caller::Known(id) => state.store.statuses(&id.key, &roadmap.id).map_err(failed("reading progress"))?,
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

pub fn now_ms() -> u64 {
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
    let (key, new_token) = ensure_identity(state, &caller, now)?;
    store
        .set_status(&key, &change.roadmap.id, &change.topic, change.status, now)
        .map_err(failed("writing a status"))?;
    store.durable().await.map_err(failed("flushing a status"))?;
    let records = store.statuses(&key, &change.roadmap.id).map_err(failed("reading progress"))?;
    Ok((ProgressSummary::compute(change.roadmap, records), new_token))
}

/// The caller's identity key; someone we do not know yet gets a new identity, whose token
/// (returned) must go to their browser.
pub fn ensure_identity(state: &AppState, caller: &Caller, now: u64) -> Result<(IdentityKey, Option<Token>), AppError> {
    match caller {
        Caller::Known(id) => Ok((id.key, None)),
        Caller::Anonymous => {
            let token = Token::generate().map_err(|e| AppError::internal("generating an identity", e))?;
            let key = token.key();
            state.store.create_identity(&key, now).map_err(failed("creating an identity"))?;
            Ok((key, Some(token)))
        }
    }
}
