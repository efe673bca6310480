//! The store seam: what the app needs from storage. Every method is async, every write is
//! durable when its future resolves (sled: after a shared flush; PostgreSQL: after the
//! commit), and each multi-step flow (sign-up, sign-in with merge, password change, import)
//! is one operation, so half of a flow is never visible to another request or node.
//!
//! Backends: `SledStore` (embedded, one process) and `PgStore` (several app servers on one
//! PostgreSQL database). `contract` holds the tests both must pass. Maintenance that only
//! one backend needs (sled's lock file, admin socket, flush) lives with that backend.

mod accounts;
pub mod attempts;
pub mod backup;
pub mod contract;
mod group_commit;
mod pg_store;
mod private;
pub mod purge;
pub mod rows;
mod sled_accounts;
mod sled_impl;
mod sled_notes;
mod sled_purge;
mod sled_recent;
mod sled_store;
mod sled_undo;
mod sled_visits;
mod snapshot;

pub use accounts::{AccountRecord, NewSession, SessionCutoff, SessionRecord, ShareRecord};
pub use attempts::{Attempts, Limit, MemoryAttempts};
pub use pg_store::{PgSettings, PgStore, SCHEMA_VERSION_PG};
pub use purge::{Purge, Purged};
pub use rows::{BackupRow, RowSink};
pub use sled_store::{Faults, SledStore};
pub use snapshot::{
    read_backup, restore_backup, verify_snapshot, write_backup, RestoreError, SnapshotSummary, MAGIC as SNAPSHOT_MAGIC,
};

use crate::roadmap::account::Username;
use crate::roadmap::changes::{VisitRecord, Visits};
use crate::roadmap::notes::NoteRecord;
use crate::roadmap::progress::{Previous, Recorded};
use crate::roadmap::share::ShareCode;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::{IdentityKey, SessionKey};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Version byte at the start of every stored sled value; bump it when the layout changes.
pub const SCHEMA_VERSION: u8 = 1;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// Storage could not be read or written (a full disk, a lost database connection, a
    /// timeout): nothing this call was asked to write was acknowledged.
    #[error("storage failed: {0}")]
    Io(String),
    /// The write reached the store but could not be made durable (sled's flush failed): it
    /// may still reach the disk later, or be lost in a crash.
    #[error("the write is not known to be durable: {0}")]
    NotDurable(String),
}

/// Turns a store failure into the error a request answers with: 503, logged with `context`.
pub fn failed(context: &'static str) -> impl Fn(StoreError) -> crate::error::AppError {
    move |e| match e {
        StoreError::NotDurable(cause) => crate::error::AppError::not_durable(context, cause),
        StoreError::Io(cause) => crate::error::AppError::storage(context, cause),
    }
}

/// Why the store could not be opened at start-up. The messages are for the operator.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "another backroad instance is already using the data directory {0}. Stop that instance, \
         or start this one with BACKROAD_DATA_DIR set to a different directory."
    )]
    Locked(PathBuf),
    #[error("could not open the data directory {path}: {cause}")]
    Io { path: PathBuf, cause: String },
    #[error("could not use the PostgreSQL database {url}: {cause}")]
    Database { url: String, cause: String },
    #[error(
        "the PostgreSQL database {url} has schema version {found}, newer than this backroad \
         knows (version {known}). Start the newer backroad that upgraded it, or upgrade this one."
    )]
    SchemaTooNew { url: String, found: i32, known: i32 },
}

/// What a sign-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUpOutcome {
    /// The account exists, the session is started; the identity's statuses it now owns.
    Created { statuses: usize },
    /// The username is taken; nothing was written.
    Taken,
}

/// What a token's hash names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenLookup {
    Session(SessionRecord),
    /// An anonymous identity, last seen then (ms; its creation if never since).
    Identity {
        last_seen: u64,
    },
    Unknown,
}

#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Answers if storage can be read (for a database: reached) right now.
    async fn ping(&self) -> Result<(), StoreError>;
    /// Which backend this is, for logs and `/healthz` ("sled", "postgres").
    fn backend(&self) -> &'static str;

    /// What a cookie's token opens, in one lookup: its hash is either a session's key or an
    /// anonymous identity's key (or neither).
    async fn lookup_token(&self, key: &IdentityKey) -> Result<TokenLookup, StoreError>;

    // ---- identities and progress ----
    async fn identity_exists(&self, who: &IdentityKey) -> Result<bool, StoreError>;
    async fn create_identity(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError>;
    /// Marks an anonymous identity as seen at `now_ms` (nothing if it no longer exists). What
    /// keeps it from `purge`; not waited on to be durable (a crash costs at most a day of it).
    async fn touch_identity(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError>;
    /// Every status this identity recorded on the roadmap, under the topic id it was written
    /// with. Shared, so that a backend that keeps them (sled) hands them out without a copy.
    async fn statuses(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
    ) -> Result<std::sync::Arc<Vec<Recorded>>, StoreError>;
    /// Sets one status (replacing any, whatever its time) and keeps what it replaced for undo
    /// (`previous_status`); durable when it resolves. Answers every status of the identity on
    /// that roadmap after the write.
    async fn set_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        now_ms: u64,
    ) -> Result<Vec<Recorded>, StoreError>;
    /// In one step, for whoever the token with hash `key` names (a session `sessions` admits,
    /// or an anonymous identity): `set_status` for that identity,
    /// answering its statuses on the roadmap. `None` when the token names nobody (then
    /// nothing was written). The identity or session is marked seen too when that is due
    /// (`purge::seen_is_stale`), in the same step, so a purge never removes it mid-write.
    async fn set_status_for_token(
        &self,
        key: &IdentityKey,
        sessions: SessionCutoff,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        now_ms: u64,
    ) -> Result<Option<Vec<Recorded>>, StoreError>;
    /// What `topic`'s status was before its last change by `set_status` (`None`: nothing to
    /// undo, as after a merge, an import, a restore or an undo).
    async fn previous_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Previous>, StoreError>;
    /// In one step: puts `topic` back as it was before its last change (that status and its
    /// time exactly, or no status recorded), leaving nothing more to undo; durable when it
    /// resolves. Answers the identity's statuses on the roadmap after, or `None` when there
    /// was nothing to undo (then nothing was written).
    async fn undo_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Vec<Recorded>>, StoreError>;
    /// Every status an identity recorded, by roadmap.
    async fn all_statuses(&self, who: &IdentityKey) -> Result<BTreeMap<RoadmapId, Vec<Recorded>>, StoreError>;
    /// Deletes an identity's statuses on a roadmap; answers how many there were.
    async fn clear_statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError>;
    /// In one step, writes each incoming record that is newer than what `who` has for its
    /// topic (ties keep what is stored; several incoming records for one topic collapse to
    /// the newest); answers how many were written.
    async fn merge_statuses(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<Recorded>>,
    ) -> Result<usize, StoreError>;

    // ---- private notes (one per topic; never on share links) ----
    /// Every note this identity wrote on the roadmap, under the topic id it was written with.
    async fn notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Vec<NoteRecord>, StoreError>;
    /// Sets one note (`None` deletes it); durable when it resolves.
    async fn set_note(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        text: Option<&str>,
        now_ms: u64,
    ) -> Result<(), StoreError>;
    /// Every note an identity wrote, by roadmap.
    async fn all_notes(&self, who: &IdentityKey) -> Result<BTreeMap<RoadmapId, Vec<NoteRecord>>, StoreError>;
    /// Deletes an identity's notes on a roadmap; answers how many there were.
    async fn clear_notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError>;
    /// In one step, writes each incoming note that is newer than what `who` has for its topic
    /// (as `merge_statuses`); answers how many were written.
    async fn merge_notes(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<NoteRecord>>,
    ) -> Result<usize, StoreError>;

    // ---- visits (when a learner was last on a roadmap, and opened a flagged topic) ----
    /// The identity's visit record of the roadmap and when it opened each recorded topic.
    async fn visits(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Visits, StoreError>;
    /// Writes the roadmap's visit record (`topic` `None`) or when a topic was opened (then
    /// only `last` counts). Not waited on to be durable: losing one makes an older "since".
    async fn set_visit(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: Option<&TopicId>,
        visit: VisitRecord,
    ) -> Result<(), StoreError>;

    // ---- accounts and sessions ----
    async fn account(&self, name: &Username) -> Result<Option<AccountRecord>, StoreError>;
    /// In one step: creates the account unless the name is taken (case as `Username` gives
    /// it), retires the anonymous identity `account.identity` (its token no longer opens
    /// anything; its statuses become the account's) and starts `session`.
    async fn sign_up(
        &self,
        name: &Username,
        account: &AccountRecord,
        session: &NewSession,
    ) -> Result<SignUpOutcome, StoreError>;
    /// In one step: ends the session `end` (switching accounts), moves the statuses and notes
    /// of the anonymous identity `merge_from` into the session's identity where newer (then
    /// clears them and retires that identity), and starts `session`. Answers how many
    /// statuses were written into the account.
    async fn sign_in(
        &self,
        session: &NewSession,
        merge_from: Option<&IdentityKey>,
        end: Option<&SessionKey>,
    ) -> Result<usize, StoreError>;
    /// In one step: stores the account's new password hash, ends every session of its
    /// identity except `keep`, and starts `start` (the current browser's new session, so a
    /// token someone may have seen before the change opens nothing); answers how many ended.
    /// Fails (Io) if there is no account.
    async fn change_password(
        &self,
        name: &Username,
        hash: &str,
        keep: Option<&SessionKey>,
        start: Option<&NewSession>,
    ) -> Result<usize, StoreError>;
    async fn session(&self, key: &SessionKey) -> Result<Option<SessionRecord>, StoreError>;
    async fn end_session(&self, key: &SessionKey) -> Result<(), StoreError>;
    /// Marks a session as used at `now_ms` (nothing if it no longer exists); not waited on
    /// to be durable.
    async fn touch_session(&self, key: &SessionKey, now_ms: u64) -> Result<(), StoreError>;
    /// Every session of an identity (its signed-in devices), in no particular order.
    async fn sessions_of(&self, who: &IdentityKey) -> Result<Vec<(SessionKey, SessionRecord)>, StoreError>;
    /// Ends every session of `who` except `keep` ("sign out everywhere else"); answers how many.
    async fn end_sessions_of(&self, who: &IdentityKey, keep: Option<&SessionKey>) -> Result<usize, StoreError>;

    // ---- display names and share links ----
    async fn display_name(&self, who: &IdentityKey) -> Result<Option<String>, StoreError>;
    async fn set_display_name(&self, who: &IdentityKey, name: Option<&str>) -> Result<(), StoreError>;
    /// Creates the link unless its owner already has `max` links; answers whether it did.
    async fn create_share(&self, code: &ShareCode, share: &ShareRecord, max: usize) -> Result<bool, StoreError>;
    async fn share(&self, code: &ShareCode) -> Result<Option<ShareRecord>, StoreError>;
    /// Every link an identity made, oldest first.
    async fn shares_of(&self, who: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError>;
    /// Revokes a link if `who` owns it; answers whether it did.
    async fn revoke_share(&self, who: &IdentityKey, code: &ShareCode) -> Result<bool, StoreError>;

    // ---- the site's own secrets ----
    /// The secret named `name`: 32 random bytes made the first time any server asks, then the
    /// same for every server on this store (so what one signs, another can check). Not in
    /// backups: a restored site makes new ones.
    async fn secret(&self, name: &str) -> Result<[u8; 32], StoreError>;

    // ---- housekeeping ----
    /// Removes, by the cut-offs in `rules`: anonymous identities that hold nothing, anonymous
    /// identities not seen for the cookie's lifetime (with their statuses, notes, display
    /// name and share links), and sessions past their lifetime or idle too long. Accounts and their
    /// progress are never removed.
    /// Durable when it resolves; answers what went.
    async fn purge(&self, rules: &Purge) -> Result<Purged, StoreError>;

    // ---- backup and restore (one format for every backend, see `snapshot`) ----
    /// Hands every row to `sink`, all from one consistent moment that includes every write
    /// acknowledged before the call.
    async fn backup_rows(&self, sink: &mut (dyn RowSink + Send)) -> Result<(), StoreError>;
    /// Whether the store holds any data at all (a restore needs an empty one).
    async fn holds_data(&self) -> Result<bool, StoreError>;
    /// Writes rows from a backup into an empty store; durable when it resolves.
    async fn restore_rows(&self, rows: Vec<BackupRow>) -> Result<(), StoreError>;
}
