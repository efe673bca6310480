//! The records the store keeps for accounts, sessions and share links.

use crate::roadmap::account::Username;
use crate::roadmap::RoadmapId;
use crate::server::identity::{IdentityKey, SessionKey};

/// An account: whose progress it owns and how to check its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    pub identity: IdentityKey,
    /// PHC string (`$argon2id$v=19$m=…`).
    pub password_hash: String,
    pub created_at: u64,
}

/// A signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub identity: IdentityKey,
    pub username: Username,
    pub created_at: u64,
    /// When it was last used (moved on at most once a day; its start until then).
    pub last_seen: u64,
    /// What it is, as its owner would recognise it ("Firefox on Linux"); may be empty.
    pub device: String,
}

/// Which sessions still sign someone in: started after `started_after_ms` (the 90-day
/// lifetime) and used after `seen_after_ms` (the idle timeout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCutoff {
    pub started_after_ms: u64,
    pub seen_after_ms: u64,
}

impl SessionCutoff {
    /// Every session counts (tests, and flows that already checked).
    pub const NONE: SessionCutoff = SessionCutoff { started_after_ms: 0, seen_after_ms: 0 };

    pub fn admits(&self, s: &SessionRecord) -> bool {
        s.created_at > self.started_after_ms && s.last_seen > self.seen_after_ms
    }
}

/// A session to start: the key its token hashes to, and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub key: SessionKey,
    pub record: SessionRecord,
}

/// A read-only link to one person's progress on one roadmap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareRecord {
    pub identity: IdentityKey,
    pub roadmap: RoadmapId,
    pub created_at: u64,
}
