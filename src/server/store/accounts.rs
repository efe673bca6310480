//! The store seam for accounts, sessions, display names and share links.

use super::StoreError;
use crate::roadmap::account::Username;
use crate::roadmap::share::ShareCode;
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

/// A read-only link to one person's progress on one roadmap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareRecord {
    pub identity: IdentityKey,
    pub roadmap: String,
    pub created_at: u64,
}

pub trait AccountStore {
    fn account(&self, name: &Username) -> Result<Option<AccountRecord>, StoreError>;
    /// Creates the account unless the name is taken; answers whether it did.
    fn create_account(&self, name: &Username, account: &AccountRecord) -> Result<bool, StoreError>;
    fn set_password_hash(&self, name: &Username, hash: &str) -> Result<(), StoreError>;
    /// Removes an anonymous identity: its token no longer resolves (its progress stays,
    /// reachable through an account that owns it, or not at all).
    fn forget_identity(&self, who: &IdentityKey) -> Result<(), StoreError>;

    fn create_session(&self, key: &SessionKey, session: &SessionRecord) -> Result<(), StoreError>;
    fn session(&self, key: &SessionKey) -> Result<Option<SessionRecord>, StoreError>;
    fn end_session(&self, key: &SessionKey) -> Result<(), StoreError>;
    /// Ends every session of an identity except `keep`; answers how many ended.
    fn end_sessions_of(&self, who: &IdentityKey, keep: Option<&SessionKey>) -> Result<usize, StoreError>;

    fn display_name(&self, who: &IdentityKey) -> Result<Option<String>, StoreError>;
    fn set_display_name(&self, who: &IdentityKey, name: Option<&str>) -> Result<(), StoreError>;

    fn create_share(&self, code: &ShareCode, share: &ShareRecord) -> Result<(), StoreError>;
    fn share(&self, code: &ShareCode) -> Result<Option<ShareRecord>, StoreError>;
    /// Every link an identity made, oldest first.
    fn shares_of(&self, who: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError>;
    /// Revokes a link if `who` owns it; answers whether it did.
    fn revoke_share(&self, who: &IdentityKey, code: &ShareCode) -> Result<bool, StoreError>;
}
