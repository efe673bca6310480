//! Who is asking: the one place a request's cookie becomes a `Caller` (a signed-in session,
//! a known anonymous identity, or nobody yet), and where a new visitor gets an identity
//! (at most `Settings::new_identities_per_hour` from one client address).
//! Server functions reach it through `web::context::state_and_caller`, plain routes through
//! the `Caller` extractor (`web::routes`); nothing else looks identities up.

use crate::error::AppError;
use crate::roadmap::account::Username;
use crate::roadmap::content::Roadmap;
use crate::roadmap::RoadmapId;
use crate::server::identity::{token_from_cookies, IdentityKey, SessionKey, Token};
use crate::server::services::limits::too_many;
use crate::server::state::AppState;
use crate::server::store::purge::{seen_is_stale, session_cutoff};
use crate::server::store::{failed, TokenLookup};
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
    /// An anonymous identity seen today for the first time: its cookie goes back to the
    /// browser, so its 400 days start over (the store keeps it as long; `store::purge`).
    pub renew_cookie: bool,
}

impl Caller {
    /// Resolves a request's cookies to a session or a known anonymous identity, without
    /// creating one. An expired session (90 days old, or unused for 30) counts as no cookie.
    pub async fn from_headers(state: &AppState, headers: &http::HeaderMap) -> Result<Caller, AppError> {
        Self::from_token(state, token_from_cookies(headers.get_all(http::header::COOKIE))).await
    }

    /// As `from_headers`, from the token itself.
    pub async fn from_token(state: &AppState, token: Option<Token>) -> Result<Caller, AppError> {
        let Some(token) = token else { return Ok(Caller::Anonymous) };
        let (key, now) = (token.key(), now_ms());
        match state.store.lookup_token(&key).await.map_err(failed("looking up an identity"))? {
            TokenLookup::Session(session) if session_cutoff(now).admits(&session) => {
                if seen_is_stale(session.last_seen, now) {
                    // Best effort, as for identities: the visit goes on either way.
                    if let Err(e) = state.store.touch_session(&token.session_key(), now).await {
                        tracing::warn!("could not mark a session as used: {e}");
                    }
                }
                Ok(Caller::Known(Identity {
                    key: session.identity,
                    account: Some(session.username),
                    session: Some(token.session_key()),
                    renew_cookie: false,
                }))
            }
            TokenLookup::Session(_) | TokenLookup::Unknown => Ok(Caller::Anonymous),
            TokenLookup::Identity { last_seen } => {
                let renew_cookie = seen_is_stale(last_seen, now);
                if renew_cookie {
                    // Best effort: failing to note a visit must not fail the visit.
                    if let Err(e) = state.store.touch_identity(&key, now).await {
                        tracing::warn!("could not mark an identity as seen: {e}");
                    }
                }
                Ok(Caller::Known(Identity { key, account: None, session: None, renew_cookie }))
            }
        }
    }

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

    /// The caller's identity key; someone we do not know yet gets a new identity, whose
    /// token (returned) must go to their browser. `client` (`limits::client_key`) may start
    /// only so many identities an hour: past that, 429 with how long to wait.
    pub async fn ensure_identity(
        &self,
        state: &AppState,
        client: &str,
        now: u64,
    ) -> Result<(IdentityKey, Option<Token>), AppError> {
        match self {
            Caller::Known(id) => Ok((id.key, None)),
            Caller::Anonymous => {
                let limit = &state.new_identities;
                if limit.max > 0 {
                    let attempts = &state.attempts;
                    if let Some(wait) = attempts.check(limit, client, now).await.map_err(failed("counting visitors"))? {
                        crate::server::metrics::limit_hit("new_identities");
                        super::audit::client_event("new_identity", "limited", client, "new-identities-per-hour");
                        return Err(too_many(wait, "new visitors from your network in the last hour"));
                    }
                    attempts.hit(limit, client, now).await.map_err(failed("counting visitors"))?;
                }
                let token = Token::generate().map_err(|e| AppError::internal("generating an identity", e))?;
                let key = token.key();
                state.store.create_identity(&key, now).await.map_err(failed("creating an identity"))?;
                Ok((key, Some(token)))
            }
        }
    }
}

/// Shows a piece of input in a message, cut short if someone sent a novel.
pub fn quote(raw: &str) -> String {
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

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}
