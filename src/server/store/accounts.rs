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
