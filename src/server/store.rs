//! The store seam: what the app needs from storage, so another backend can be added later.
//! Only sled is implemented (`sled_store`).

mod accounts;
mod group_commit;
mod sled_accounts;
mod sled_store;
mod snapshot;

pub use accounts::{AccountRecord, AccountStore, SessionRecord, ShareRecord};
pub use sled_store::SledStore;
pub use snapshot::{restore_snapshot, verify_snapshot, RestoreError, SnapshotSummary, MAGIC as SNAPSHOT_MAGIC};

use crate::roadmap::progress::Recorded;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::IdentityKey;
use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

/// Version byte at the start of every stored value; bump it when the layout changes.
pub const SCHEMA_VERSION: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage I/O failed: {0}")]
    Io(String),
    #[error("the background flusher has stopped")]
    FlusherGone,
}

/// Turns a store failure into the error a request answers with: 503, logged with `context`.
pub fn failed(context: &'static str) -> impl Fn(StoreError) -> crate::error::AppError {
    move |e| crate::error::AppError::storage(context, e)
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
}

/// A future the store returns for durability; boxed so `Store` stays object-safe.
pub type DurableFuture<'a> = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send + 'a>>;

pub trait Store: AccountStore + Send + Sync + 'static {
    /// Answers if storage can be read.
    fn ping(&self) -> Result<(), StoreError>;
    fn identity_exists(&self, who: &IdentityKey) -> Result<bool, StoreError>;
    fn create_identity(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError>;
    /// Every status this identity recorded on the roadmap, under the topic id it was written with.
    fn statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Vec<Recorded>, StoreError>;
    fn set_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        now_ms: u64,
    ) -> Result<(), StoreError>;
    /// Every status an identity recorded, by roadmap id.
    fn all_statuses(&self, who: &IdentityKey) -> Result<BTreeMap<String, Vec<Recorded>>, StoreError>;
    /// Deletes an identity's statuses on a roadmap; answers how many there were.
    fn clear_statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError>;
    /// Resolves once every write made before this call is on disk. Concurrent callers share
    /// flushes (group commit).
    fn durable(&self) -> DurableFuture<'_>;
    /// Flushes everything now, blocking the calling thread; for shutdown.
    fn flush_blocking(&self) -> Result<(), StoreError>;
    /// Writes a backup of everything (one consistent moment, after a flush) to `out`;
    /// blocks the calling thread. See `snapshot` for the format.
    fn write_snapshot(&self, out: &mut dyn std::io::Write) -> Result<SnapshotSummary, StoreError>;
}
