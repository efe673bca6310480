//! Optional accounts: sign up (the browser's anonymous progress becomes the account's), sign
//! in (this browser's progress is merged in, newest change wins), sign out, change password.
//! Every sign-in hands out a fresh session token; the caller puts it in the cookie.

use crate::error::AppError;
use crate::roadmap::account::{check_new_password, Username};
use crate::roadmap::transfer::newer_than;
use crate::roadmap::RoadmapId;
use crate::roadmap::TopicId;
use crate::server::identity::{IdentityKey, Token};
use crate::server::progress::{now_ms, Caller, Identity};
use crate::server::rate_limit::{retry_after_secs, RateLimiter};
use crate::server::state::AppState;
use crate::server::store::failed as store_err;
use crate::server::store::{AccountRecord, SessionRecord};
use std::time::Duration;

/// The one answer for an unknown username and a wrong password.
pub const WRONG_CREDENTIALS: &str = "That username and password do not match an account. Check both and try again.";

/// The rate limits around sign-up and sign-in.
pub struct Limits {
    /// Sign-in and sign-up attempts from one client address.
    pub per_client: RateLimiter,
    /// Failed sign-ins (or password checks) for one username.
    pub per_username: RateLimiter,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_client: RateLimiter::new(20, Duration::from_secs(10 * 60)),
            per_username: RateLimiter::new(5, Duration::from_secs(15 * 60)),
        }
    }
}

fn too_many(wait: Duration, what: &str) -> AppError {
    let secs = retry_after_secs(wait);
    let minutes = secs.div_ceil(60);
    AppError::TooManyRequests {
        message: format!("Too many {what}. Wait {minutes} minute(s) and try again."),
        retry_after: secs,
    }
}

/// What a successful sign-up or sign-in tells the person.
pub struct SignedIn {
    pub username: Username,
    /// The session token for the browser's cookie.
    pub token: Token,
    /// Statuses from this browser that now belong to the account.
    pub brought_along: usize,
}

/// Creates an account for the caller. An anonymous caller's progress becomes the account's.
pub async fn sign_up(
    state: &AppState,
    caller: &Caller,
    client: &str,
    username: &str,
    password: &str,
) -> Result<SignedIn, AppError> {
    if let Some(name) = caller.account() {
        return Err(AppError::bad_request(format!(
            "You are signed in as {name}. Sign out first to create another account."
        )));
    }
    state.limits.per_client.check(client).map_err(|w| too_many(w, "attempts from your address"))?;
    state.limits.per_client.hit(client);
    let name = Username::parse(username).map_err(AppError::bad_request)?;
    check_new_password(password, name.as_str()).map_err(AppError::bad_request)?;
    let taken = || AppError::Conflict(format!("The username {name} is taken. Pick another."));
    if state.store.account(&name).map_err(store_err("account lookup"))?.is_some() {
        return Err(taken());
    }
    let password_hash = state.hasher.hash(password).await?;
    let now = now_ms();
    let identity = match caller.key() {
        Some(key) => *key,
        None => Token::generate().map_err(|e| AppError::internal("generating an identity", e))?.key(),
    };
    let account = AccountRecord { identity, password_hash, created_at: now };
    if !state.store.create_account(&name, &account).map_err(store_err("creating an account"))? {
        return Err(taken());
    }
    // The anonymous cookie no longer opens this progress; only sessions do.
    state.store.forget_identity(&identity).map_err(store_err("retiring an identity"))?;
    let brought_along = count_statuses(state, &identity)?;
    let token = start_session(state, &name, identity, now)?;
    state.store.durable().await.map_err(store_err("flushing a sign-up"))?;
    Ok(SignedIn { username: name, token, brought_along })
}

/// Checks a username and password. Unknown users and wrong passwords get the same answer
/// after the same work. This browser's anonymous progress is merged into the account.
pub async fn sign_in(
    state: &AppState,
    caller: &Caller,
    client: &str,
    username: &str,
    password: &str,
) -> Result<SignedIn, AppError> {
    state.limits.per_client.check(client).map_err(|w| too_many(w, "sign-in attempts from your address"))?;
    let name = Username::parse(username).ok();
    let user_key = name.as_ref().map_or_else(|| username.trim().to_ascii_lowercase(), |n| n.as_str().to_owned());
    state.limits.per_username.check(&user_key).map_err(|w| too_many(w, "failed sign-ins for this username"))?;
    state.limits.per_client.hit(client);
    let account = match &name {
        Some(n) => state.store.account(n).map_err(store_err("account lookup"))?,
        None => None,
    };
    let (Some(name), Some(account)) = (name, account) else {
        state.hasher.verify_nothing(password).await?;
        state.limits.per_username.hit(&user_key);
        return Err(AppError::Unauthorized(WRONG_CREDENTIALS.to_owned()));
    };
    if !state.hasher.verify(password, &account.password_hash).await? {
        state.limits.per_username.hit(&user_key);
        return Err(AppError::Unauthorized(WRONG_CREDENTIALS.to_owned()));
    }
    state.limits.per_username.reset(&user_key);
    let mut brought_along = 0;
    match caller {
        Caller::Known(id) if id.session.is_some() => {
            // Switching accounts: the old session ends; nothing moves between accounts.
            if let Some(old) = &id.session {
                state.store.end_session(old).map_err(store_err("ending a session"))?;
            }
        }
        Caller::Known(id) if id.key != account.identity => {
            brought_along = merge_into(state, &id.key, &account.identity)?;
            state.store.forget_identity(&id.key).map_err(store_err("retiring an identity"))?;
        }
        _ => {}
    }
    let token = start_session(state, &name, account.identity, now_ms())?;
    state.store.durable().await.map_err(store_err("flushing a sign-in"))?;
    Ok(SignedIn { username: name, token, brought_along })
}

/// Ends the caller's session on the server; answers whether there was one. An anonymous
/// browser keeps its identity (signing out must not throw its progress away).
pub async fn sign_out(state: &AppState, caller: &Caller) -> Result<bool, AppError> {
    let Caller::Known(Identity { session: Some(session), .. }) = caller else { return Ok(false) };
    state.store.end_session(session).map_err(store_err("ending a session"))?;
    state.store.durable().await.map_err(store_err("flushing a sign-out"))?;
    Ok(true)
}

/// Changes the signed-in caller's password and ends their other sessions; answers how many.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    current: &str,
    new_password: &str,
) -> Result<usize, AppError> {
    let (Caller::Known(id), Some(name)) = (caller, caller.account()) else {
        return Err(AppError::Unauthorized("Sign in first to change your password.".to_owned()));
    };
    state.limits.per_username.check(name.as_str()).map_err(|w| too_many(w, "wrong passwords for this username"))?;
    check_new_password(new_password, name.as_str()).map_err(AppError::bad_request)?;
    let account = state
        .store
        .account(name)
        .map_err(store_err("account lookup"))?
        .ok_or_else(|| AppError::Unauthorized("Sign in first to change your password.".to_owned()))?;
    if !state.hasher.verify(current, &account.password_hash).await? {
        state.limits.per_username.hit(name.as_str());
        return Err(AppError::Unauthorized("The current password is wrong. Check it and try again.".to_owned()));
    }
    let hash = state.hasher.hash(new_password).await?;
    state.store.set_password_hash(name, &hash).map_err(store_err("storing a password"))?;
    let ended = state.store.end_sessions_of(&id.key, id.session.as_ref()).map_err(store_err("ending sessions"))?;
    state.store.durable().await.map_err(store_err("flushing a password change"))?;
    Ok(ended)
}

fn start_session(state: &AppState, name: &Username, identity: IdentityKey, now: u64) -> Result<Token, AppError> {
    let token = Token::generate().map_err(|e| AppError::internal("generating a session", e))?;
    let session = SessionRecord { identity, username: name.clone(), created_at: now };
    state.store.create_session(&token.session_key(), &session).map_err(store_err("creating a session"))?;
    Ok(token)
}

fn count_statuses(state: &AppState, who: &IdentityKey) -> Result<usize, AppError> {
    let all = state.store.all_statuses(who).map_err(store_err("reading progress"))?;
    Ok(all.values().map(Vec::len).sum())
}

/// Moves `from`'s statuses into `into` where they are newer, then clears `from`'s. Answers
/// how many were written.
pub fn merge_into(state: &AppState, from: &IdentityKey, into: &IdentityKey) -> Result<usize, AppError> {
    let mut written = 0;
    for (roadmap, incoming) in state.store.all_statuses(from).map_err(store_err("reading progress"))? {
        let Ok(roadmap_id) = RoadmapId::parse(&roadmap) else { continue };
        written += write_newer(state, into, &roadmap_id, incoming)?;
        state.store.clear_statuses(from, &roadmap_id).map_err(store_err("clearing progress"))?;
    }
    Ok(written)
}

/// Writes the records of `incoming` that are newer than what `who` has; answers how many.
pub fn write_newer(
    state: &AppState,
    who: &IdentityKey,
    roadmap: &RoadmapId,
    incoming: Vec<crate::roadmap::progress::Recorded>,
) -> Result<usize, AppError> {
    let existing = state.store.statuses(who, roadmap).map_err(store_err("reading progress"))?;
    let newer = newer_than(&existing, incoming);
    for r in &newer {
        let Ok(topic) = TopicId::parse(&r.topic) else { continue };
        state.store.set_status(who, roadmap, &topic, r.status, r.changed_at).map_err(store_err("writing a status"))?;
    }
    Ok(newer.len())
}
