//! Read-only share links: create, list, revoke, and what `/s/{code}` shows. A link names an
//! identity and a roadmap; it never grants anything but reading.

use crate::error::AppError;
use crate::roadmap::progress::ProgressSummary;
use crate::roadmap::share::{owner_label, ShareCode, SHARE_CODE_BYTES};
use crate::roadmap::RoadmapId;
use crate::server::identity::{IdentityKey, Token};
use crate::server::services::caller::{find_roadmap, now_ms, Caller};
use crate::server::state::AppState;
use crate::server::store::failed as store_err;
use crate::server::store::ShareRecord;

/// Links one person may have at once.
const MAX_LINKS: usize = 50;

/// The address people open, from the configured public URL.
pub fn share_url(state: &AppState, code: &ShareCode) -> String {
    format!("{}/s/{}", state.public_url.trim_end_matches('/'), code.as_str())
}

/// Creates a link to the caller's progress on `roadmap` (a new visitor gets an identity,
/// counted against `client`).
pub async fn create(
    state: &AppState,
    caller: &Caller,
    client: &str,
    roadmap: &str,
) -> Result<(ShareCode, Option<Token>), AppError> {
    let roadmap = find_roadmap(state, roadmap)?;
    let now = now_ms();
    let (key, new_token) = caller.ensure_identity(state, client, now).await?;
    let mut bytes = [0u8; SHARE_CODE_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal("generating a share code", e))?;
    let code = ShareCode::from_bytes(&bytes);
    let share = ShareRecord { identity: key, roadmap: roadmap.id.clone(), created_at: now };
    if !state.store.create_share(&code, &share, MAX_LINKS).await.map_err(store_err("creating a link"))? {
        return Err(AppError::bad_request(format!(
            "You have {MAX_LINKS} share links, the most we keep. Revoke one you no longer need first."
        )));
    }
    Ok((code, new_token))
}

/// Revokes one of the caller's links. Someone else's code, or an unknown one, is a 404.
pub async fn revoke(state: &AppState, caller: &Caller, code: &str) -> Result<(), AppError> {
    let missing = || AppError::not_found("You have no share link with that code. It may have been revoked already.");
    let code = ShareCode::parse(code).ok_or_else(missing)?;
    let key = caller.key().ok_or_else(missing)?;
    if !state.store.revoke_share(key, &code).await.map_err(store_err("revoking a link"))? {
        return Err(missing());
    }
    Ok(())
}

/// The caller's links, oldest first.
pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<(ShareCode, ShareRecord)>, AppError> {
    match caller.key() {
        Some(key) => state.store.shares_of(key).await.map_err(store_err("listing links")),
        None => Ok(Vec::new()),
    }
}

/// What a share link shows: whose progress (their display name or "A learner") on which roadmap.
pub struct SharedProgressView {
    pub owner: String,
    pub roadmap: RoadmapId,
    pub summary: ProgressSummary,
}

/// Resolves a code; revoked and unknown codes are the same 404.
pub async fn open(state: &AppState, code: &str) -> Result<SharedProgressView, AppError> {
    let missing = || AppError::not_found("This share link does not exist or was revoked by its owner.");
    let code = ShareCode::parse(code).ok_or_else(missing)?;
    let share = state.store.share(&code).await.map_err(store_err("reading a link"))?.ok_or_else(missing)?;
    let roadmap = state.catalog.roadmap(share.roadmap.as_str()).ok_or_else(missing)?;
    let records = state.store.statuses(&share.identity, &roadmap.id).await.map_err(store_err("reading progress"))?;
    Ok(SharedProgressView {
        owner: owner_label(display_name(state, &share.identity).await?.as_deref()),
        roadmap: roadmap.id.clone(),
        summary: ProgressSummary::compute(roadmap, records.iter()),
    })
}

pub async fn display_name(state: &AppState, who: &IdentityKey) -> Result<Option<String>, AppError> {
    state.store.display_name(who).await.map_err(store_err("reading a display name"))
}

/// Sets the name share links show (`None`: "A learner"); a new visitor gets an identity
/// (counted against `client`).
pub async fn set_display_name(
    state: &AppState,
    caller: &Caller,
    client: &str,
    name: Option<&str>,
) -> Result<Option<Token>, AppError> {
    let (key, token) = caller.ensure_identity(state, client, now_ms()).await?;
    state.store.set_display_name(&key, name).await.map_err(store_err("storing a display name"))?;
    Ok(token)
}
