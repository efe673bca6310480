//! Optional accounts: sign up (the browser's anonymous progress becomes the account's), sign
//! in (this browser's progress is merged in, newest change wins), sign out, change password.
//! Every sign-in hands out a fresh session token; the caller puts it in the cookie. Each
//! flow is one store operation, so another server never sees half of it.

use crate::error::AppError;
use crate::roadmap::account::{check_new_password, Username, PASSWORD_MAX, USERNAME_MAX};
use crate::server::identity::{IdentityKey, Token};
use crate::server::services::caller::{now_ms, Caller, Identity};
use crate::server::services::limits::{
    too_many, username_at, PER_CLIENT, PER_KNOWN_DEVICE, PER_PASSWORD_CHANGE, PER_USERNAME_ALL, PER_USERNAME_CLIENT,
};
use crate::server::services::{known_devices, strength};
use crate::server::state::AppState;
use crate::server::state::SiteSecret;
use crate::server::store::failed as store_err;
use crate::server::store::{AccountRecord, NewSession, SessionRecord, SignUpOutcome, StoreError};

/// The one answer for an unknown username and a wrong password.
pub const WRONG_CREDENTIALS: &str = "That username and password do not match an account. Check both and try again.";

/// What a successful sign-up or sign-in tells the person.
pub struct SignedIn {
    pub username: Username,
    /// The session token for the browser's cookie.
    pub token: Token,
    /// Statuses from this browser that now belong to the account.
    pub brought_along: usize,
    /// The value of this browser's known-device cookie (`known_devices`).
    pub device_cookie: String,
}

/// A username and password as typed, the address they came from (for limits) and the
/// device ("Firefox on Linux", for the list of signed-in devices).
pub struct Credentials<'a> {
    pub client: &'a str,
    pub username: &'a str,
    pub password: &'a str,
    pub device: &'a str,
    /// The browser's known-device cookie, if it sent one.
    pub known_device: Option<&'a str>,
}

/// Refuses a username or password longer than any account can have, before any count is
/// kept or any hash is computed for it.
fn check_lengths(given: &Credentials<'_>) -> Result<(), AppError> {
    if given.username.chars().count() > USERNAME_MAX {
        return Err(AppError::bad_request(format!("A username has at most {USERNAME_MAX} characters.")));
    }
    if given.password.chars().count() > PASSWORD_MAX {
        return Err(AppError::bad_request(format!("A password has at most {PASSWORD_MAX} characters.")));
    }
    Ok(())
}

fn attempts_err(e: StoreError) -> AppError {
    store_err("counting sign-in attempts")(e)
}

/// Creates an account for the caller. An anonymous caller's progress becomes the account's.
pub async fn sign_up(state: &AppState, caller: &Caller, given: Credentials<'_>) -> Result<SignedIn, AppError> {
    if let Some(name) = caller.account() {
        return Err(AppError::bad_request(format!(
            "You are signed in as {name}. Sign out first to create another account."
        )));
    }
    check_lengths(&given)?;
    let now = now_ms();
    if let Some(wait) = state.attempts.check(&PER_CLIENT, given.client, now).await.map_err(attempts_err)? {
        return Err(too_many(wait, "attempts from your address"));
    }
    state.attempts.hit(&PER_CLIENT, given.client, now).await.map_err(attempts_err)?;
    let name = Username::parse(given.username).map_err(AppError::bad_request)?;
    check_new_password(given.password, name.as_str()).map_err(AppError::bad_request)?;
    strength::check(given.password, name.as_str())?;
    let taken = || AppError::Conflict(format!("The username {name} is taken. Pick another."));
    if state.store.account(&name).await.map_err(store_err("account lookup"))?.is_some() {
        return Err(taken());
    }
    let password_hash = state.hasher.hash(given.password).await?;
    let identity = match caller.key() {
        Some(key) => *key,
        None => Token::generate().map_err(|e| AppError::internal("generating an identity", e))?.key(),
    };
    let account = AccountRecord { identity, password_hash, created_at: now };
    let (token, session) = new_session(&name, identity, now, given.device)?;
    match state.store.sign_up(&name, &account, &session).await.map_err(store_err("creating an account"))? {
        SignUpOutcome::Taken => Err(taken()),
        SignUpOutcome::Created { statuses } => {
            let device_cookie = known_devices::issue(&device_key(state).await?, name.as_str(), None).cookie_value;
            Ok(SignedIn { username: name, token, brought_along: statuses, device_cookie })
        }
    }
}

async fn device_key(state: &AppState) -> Result<[u8; 32], AppError> {
    state.secret(SiteSecret::KnownDevices).await.map_err(store_err("reading the device secret"))
}

/// Checks a username and password. Unknown users and wrong passwords get the same answer
/// after the same work. This browser's anonymous progress is merged into the account.
/// While the limits hold everyone else back, a browser that signed in to this account
/// before is only slowed down (`known_devices`), with its own count of failures.
pub async fn sign_in(state: &AppState, caller: &Caller, given: Credentials<'_>) -> Result<SignedIn, AppError> {
    check_lengths(&given)?;
    let now = now_ms();
    let attempts = &state.attempts;
    let name = Username::parse(given.username).ok();
    let user_key = name.as_ref().map_or_else(|| given.username.trim().to_ascii_lowercase(), |n| n.as_str().to_owned());
    let key = device_key(state).await?;
    let known = given.known_device.and_then(|c| known_devices::recognise(&key, &user_key, c));
    let here = username_at(&user_key, given.client);
    let mut slowed = false;
    let limits = [
        (&PER_CLIENT, given.client, "sign-in attempts from your address"),
        (&PER_USERNAME_CLIENT, here.as_str(), "failed sign-ins for this username"),
        (&PER_USERNAME_ALL, user_key.as_str(), "failed sign-ins for this username"),
    ];
    for (limit, counted, what) in limits {
        if let Some(wait) = attempts.check(limit, counted, now).await.map_err(attempts_err)? {
            if known.is_none() {
                return Err(too_many(wait, what));
            }
            slowed = true;
        }
    }
    if let Some(id) = &known {
        if let Some(wait) = attempts.check(&PER_KNOWN_DEVICE, id, now).await.map_err(attempts_err)? {
            return Err(too_many(wait, "failed sign-ins from this browser"));
        }
    }
    if slowed {
        tokio::time::sleep(known_devices::SLOWED_BY).await;
    }
    attempts.hit(&PER_CLIENT, given.client, now).await.map_err(attempts_err)?;
    let failed = || async {
        attempts.hit(&PER_USERNAME_CLIENT, &here, now).await?;
        if let Some(id) = &known {
            attempts.hit(&PER_KNOWN_DEVICE, id, now).await?;
        }
        attempts.hit(&PER_USERNAME_ALL, &user_key, now).await
    };
    let account = match &name {
        Some(n) => state.store.account(n).await.map_err(store_err("account lookup"))?,
        None => None,
    };
    let (Some(name), Some(account)) = (name, account) else {
        state.hasher.verify_nothing(given.password).await?;
        failed().await.map_err(attempts_err)?;
        return Err(AppError::Unauthorized(WRONG_CREDENTIALS.to_owned()));
    };
    if !state.hasher.verify(given.password, &account.password_hash).await? {
        failed().await.map_err(attempts_err)?;
        return Err(AppError::Unauthorized(WRONG_CREDENTIALS.to_owned()));
    }
    attempts.reset(&PER_USERNAME_CLIENT, &here).await.map_err(attempts_err)?;
    if let Some(id) = &known {
        attempts.reset(&PER_KNOWN_DEVICE, id).await.map_err(attempts_err)?;
    }
    let device_cookie = known_devices::issue(&key, name.as_str(), known.as_deref()).cookie_value;
    // Switching accounts ends the old session and moves nothing between accounts; an
    // anonymous browser's progress is merged in.
    let (end, merge_from) = match caller {
        Caller::Known(Identity { session: Some(old), .. }) => (Some(old), None),
        Caller::Known(id) if id.key != account.identity => (None, Some(&id.key)),
        _ => (None, None),
    };
    let (token, session) = new_session(&name, account.identity, now, given.device)?;
    let brought_along =
        state.store.sign_in(&session, merge_from, end).await.map_err(store_err("starting a session"))?;
    Ok(SignedIn { username: name, token, brought_along, device_cookie })
}

/// Ends the caller's session on the server; answers whether there was one. An anonymous
/// browser keeps its identity (signing out must not throw its progress away).
pub async fn sign_out(state: &AppState, caller: &Caller) -> Result<bool, AppError> {
    let Caller::Known(Identity { session: Some(session), .. }) = caller else { return Ok(false) };
    state.store.end_session(session).await.map_err(store_err("ending a session"))?;
    Ok(true)
}

/// What a password change did: how many other sessions ended, and this browser's new
/// session (the old token opens nothing any more), whose token must go to its cookie.
pub struct PasswordChanged {
    pub others_ended: usize,
    pub token: Token,
}

/// Changes the signed-in caller's password, ends every session of the account and starts a
/// new one for this browser, in one step.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    current: &str,
    new_password: &str,
) -> Result<PasswordChanged, AppError> {
    let signed_out = || AppError::Unauthorized("Sign in first to change your password.".to_owned());
    let (Caller::Known(id), Some(name)) = (caller, caller.account()) else { return Err(signed_out()) };
    let now = now_ms();
    if new_password.chars().count() > PASSWORD_MAX || current.chars().count() > PASSWORD_MAX {
        return Err(AppError::bad_request(format!("A password has at most {PASSWORD_MAX} characters.")));
    }
    if let Some(wait) = state.attempts.check(&PER_PASSWORD_CHANGE, name.as_str(), now).await.map_err(attempts_err)? {
        return Err(too_many(wait, "wrong current passwords"));
    }
    check_new_password(new_password, name.as_str()).map_err(AppError::bad_request)?;
    strength::check(new_password, name.as_str())?;
    let account = state.store.account(name).await.map_err(store_err("account lookup"))?.ok_or_else(signed_out)?;
    if !state.hasher.verify(current, &account.password_hash).await? {
        state.attempts.hit(&PER_PASSWORD_CHANGE, name.as_str(), now).await.map_err(attempts_err)?;
        return Err(AppError::Unauthorized("The current password is wrong. Check it and try again.".to_owned()));
    }
    let hash = state.hasher.hash(new_password).await?;
    let device = match &id.session {
        Some(key) => state.store.session(key).await.map_err(store_err("reading a session"))?.map(|s| s.device),
        None => None,
    };
    let (token, session) = new_session(name, id.key, now, device.as_deref().unwrap_or_default())?;
    let ended = state
        .store
        .change_password(name, &hash, None, Some(&session))
        .await
        .map_err(store_err("changing a password"))?;
    Ok(PasswordChanged { others_ended: ended.saturating_sub(usize::from(id.session.is_some())), token })
}

/// One signed-in device of the caller's account.
pub struct Device {
    pub session: SessionRecord,
    /// The device asking.
    pub this_one: bool,
}

/// The signed-in caller's devices, this one first, then the most recently used.
pub async fn devices(state: &AppState, caller: &Caller) -> Result<Vec<Device>, AppError> {
    let Caller::Known(Identity { key, session: Some(current), .. }) = caller else { return Ok(Vec::new()) };
    let cutoff = crate::server::store::purge::session_cutoff(now_ms());
    let mut list: Vec<Device> = state
        .store
        .sessions_of(key)
        .await
        .map_err(store_err("listing sessions"))?
        .into_iter()
        .filter(|(_, s)| cutoff.admits(s))
        .map(|(k, session)| Device { this_one: k == *current, session })
        .collect();
    list.sort_by(|a, b| b.this_one.cmp(&a.this_one).then(b.session.last_seen.cmp(&a.session.last_seen)));
    Ok(list)
}

/// Ends every session of the signed-in caller's account but this browser's; answers how many.
pub async fn sign_out_elsewhere(state: &AppState, caller: &Caller) -> Result<usize, AppError> {
    let Caller::Known(Identity { key, session: Some(current), .. }) = caller else {
        return Err(AppError::Unauthorized("Sign in first: only an account has other devices.".to_owned()));
    };
    state.store.end_sessions_of(key, Some(current)).await.map_err(store_err("ending sessions"))
}

fn new_session(
    name: &Username,
    identity: IdentityKey,
    now: u64,
    device: &str,
) -> Result<(Token, NewSession), AppError> {
    let token = Token::generate().map_err(|e| AppError::internal("generating a session", e))?;
    let device = device.to_owned();
    let record = SessionRecord { identity, username: name.clone(), created_at: now, last_seen: now, device };
    Ok((token.clone(), NewSession { key: token.session_key(), record }))
}
