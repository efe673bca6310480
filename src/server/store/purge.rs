//! What the store forgets, and when: anonymous identities nobody can reach any more and
//! sessions past their lifetime. The rules are here; each backend applies them
//! (`Store::purge`), and the server asks every hour (`web::startup`).

use super::accounts::SessionCutoff;
use crate::server::identity::{COOKIE_MAX_AGE_SECS, SESSION_IDLE_SECS, SESSION_MAX_AGE_SECS};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// An anonymous identity's "last seen" is moved on at most this often (once a day), so a
/// busy learner costs one extra write a day, not one per request.
pub const SEEN_EVERY_MS: u64 = DAY_MS;

/// An identity that holds nothing (no status, no display name, no share link) is kept this
/// long after it was last used: long enough for a learner who reset their roadmap to come back.
pub const EMPTY_KEPT_MS: u64 = DAY_MS;

/// Cut-off times (ms since the epoch) for one purge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Purge {
    /// Anonymous identities last seen before this that hold nothing go.
    pub empty_before_ms: u64,
    /// Anonymous identities last seen before this (their cookie has expired in the browser,
    /// which keeps it 400 days from its last renewal) go with everything they hold, unless a
    /// status of theirs changed since.
    pub unseen_before_ms: u64,
    /// Sessions it no longer admits (past 90 days, or idle for 30) go.
    pub sessions: SessionCutoff,
}

impl Purge {
    /// The cut-offs at `now_ms`.
    pub fn at(now_ms: u64) -> Self {
        Purge {
            empty_before_ms: now_ms.saturating_sub(EMPTY_KEPT_MS),
            unseen_before_ms: now_ms.saturating_sub(COOKIE_MAX_AGE_SECS * 1000),
            sessions: session_cutoff(now_ms),
        }
    }
}

/// The sessions that still sign someone in at `now_ms`.
pub fn session_cutoff(now_ms: u64) -> SessionCutoff {
    SessionCutoff {
        started_after_ms: now_ms.saturating_sub(SESSION_MAX_AGE_SECS * 1000),
        seen_after_ms: now_ms.saturating_sub(SESSION_IDLE_SECS * 1000),
    }
}

/// What one purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Identities that held nothing.
    pub empty: usize,
    /// Identities not seen for the cookie's lifetime (with their statuses, name and links).
    pub unseen: usize,
    /// Sessions past their lifetime or idle too long.
    pub sessions: usize,
}

impl Purged {
    pub fn total(&self) -> usize {
        self.empty + self.unseen + self.sessions
    }
}

/// Whether an identity last seen at `last_seen_ms` should be marked seen again at `now_ms`.
pub fn seen_is_stale(last_seen_ms: u64, now_ms: u64) -> bool {
    now_ms.saturating_sub(last_seen_ms) >= SEEN_EVERY_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_offs_are_a_day_the_cookie_lifetime_and_the_session_lifetime_and_idle_time_back() {
        let now = 1_000 * DAY_MS;
        let purge = Purge::at(now);
        assert_eq!(purge.empty_before_ms, 999 * DAY_MS);
        assert_eq!(purge.unseen_before_ms, 600 * DAY_MS);
        assert_eq!(purge.sessions, SessionCutoff { started_after_ms: 910 * DAY_MS, seen_after_ms: 970 * DAY_MS });
        assert_eq!(Purge::at(5).unseen_before_ms, 0, "no underflow near the epoch");
    }

    #[test]
    fn seen_moves_on_once_a_day() {
        assert!(!seen_is_stale(1_000, 1_000 + SEEN_EVERY_MS - 1));
        assert!(seen_is_stale(1_000, 1_000 + SEEN_EVERY_MS));
        assert!(!seen_is_stale(5_000, 1_000), "a clock that went back is not stale");
    }
}
