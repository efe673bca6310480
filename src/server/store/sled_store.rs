//! The sled implementation of `Store`.
//!
//! Layout (all values start with `SCHEMA_VERSION`):
//! - tree `identities`: identity key (32 bytes) -> version, created-at ms (u64 BE)
//! - tree `progress`: identity key ‖ roadmap id ‖ 0x00 ‖ topic id -> version, status code,
//!   changed-at ms (u64 BE). One person's progress on a roadmap is one prefix scan.

use super::group_commit::GroupCommit;
use super::sled_accounts::AccountTrees;
use super::{DurableFuture, OpenError, Store, StoreError, SCHEMA_VERSION};
use crate::roadmap::progress::Recorded;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::IdentityKey;
use std::collections::BTreeMap;
use std::fs::{File, TryLockError};
use std::path::Path;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

const LOCK_FILE: &str = "backroad.lock";

pub struct SledStore {
    db: sled::Db,
    identities: sled::Tree,
    progress: sled::Tree,
    account_trees: AccountTrees,
    commit: GroupCommit,
    /// Every write holds this shared; a backup holds it exclusively, so it sees one moment.
    gate: RwLock<()>,
    /// Held for the life of the process: a second instance on the same directory fails.
    _lock: File,
}

pub(super) fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(e.to_string())
}

impl SledStore {
    /// Opens (or creates) the store in `dir`. Fails with `OpenError::Locked` when another
    /// process holds it.
    pub fn open(dir: &Path) -> Result<Self, OpenError> {
        let fail = |cause: &dyn std::fmt::Display| OpenError::Io { path: dir.to_owned(), cause: cause.to_string() };
        std::fs::create_dir_all(dir).map_err(|e| fail(&e))?;
        let lock =
            File::options().create(true).truncate(false).write(true).open(dir.join(LOCK_FILE)).map_err(|e| fail(&e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(OpenError::Locked(dir.to_owned())),
            Err(TryLockError::Error(e)) => return Err(fail(&e)),
        }
        let db = sled::Config::new().path(dir.join("db")).open().map_err(|e| fail(&e))?;
        let identities = db.open_tree("identities").map_err(|e| fail(&e))?;
        let progress = db.open_tree("progress").map_err(|e| fail(&e))?;
        let account_trees = AccountTrees::open(&db).map_err(|e| fail(&e))?;
        let flusher = db.clone();
        let commit =
            GroupCommit::start(move || flusher.flush().map(|_| ()).map_err(|e| e.to_string())).map_err(|e| fail(&e))?;
        Ok(SledStore { db, identities, progress, account_trees, commit, gate: RwLock::new(()), _lock: lock })
    }

    /// Taken by every write (they run side by side; only a backup waits for them).
    pub(super) fn writing(&self) -> RwLockReadGuard<'_, ()> {
        self.gate.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Holds every write back until dropped.
    pub(super) fn hold_writes(&self) -> RwLockWriteGuard<'_, ()> {
        self.gate.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn db(&self) -> &sled::Db {
        &self.db
    }

    pub(super) fn accounts(&self) -> &AccountTrees {
        &self.account_trees
    }

    pub(super) fn identities_tree(&self) -> &sled::Tree {
        &self.identities
    }

    /// Bytes sled uses on disk.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        self.db.size_on_disk().map_err(io)
    }
}

fn progress_prefix(who: &IdentityKey, roadmap: &RoadmapId) -> Vec<u8> {
    let mut key = Vec::with_capacity(32 + roadmap.as_str().len() + 1 + 32);
    key.extend_from_slice(&who.0);
    key.extend_from_slice(roadmap.as_str().as_bytes());
    key.push(0);
    key
}

fn encode_status(status: Status, changed_at: u64) -> [u8; 10] {
    let mut v = [0u8; 10];
    v[0] = SCHEMA_VERSION;
    v[1] = status.code();
    v[2..].copy_from_slice(&changed_at.to_be_bytes());
    v
}

fn decode_status(value: &[u8]) -> Option<(Status, u64)> {
    match value {
        [SCHEMA_VERSION, code, rest @ ..] if rest.len() == 8 => {
            let mut at = [0u8; 8];
            at.copy_from_slice(rest);
            Some((Status::from_code(*code)?, u64::from_be_bytes(at)))
        }
        _ => None,
    }
}

impl Store for SledStore {
    fn ping(&self) -> Result<(), StoreError> {
        self.identities.first().map(|_| ()).map_err(io)
    }

    fn identity_exists(&self, who: &IdentityKey) -> Result<bool, StoreError> {
        self.identities.contains_key(who.0).map_err(io)
    }

    fn create_identity(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError> {
        let _writing = self.writing();
        let mut value = [0u8; 9];
        value[0] = SCHEMA_VERSION;
        value[1..].copy_from_slice(&now_ms.to_be_bytes());
        self.identities.insert(who.0, &value[..]).map(|_| ()).map_err(io)
    }

    fn statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Vec<Recorded>, StoreError> {
        let prefix = progress_prefix(who, roadmap);
        let mut out = Vec::new();
        for item in self.progress.scan_prefix(&prefix) {
            let (key, value) = item.map_err(io)?;
            let topic = String::from_utf8_lossy(&key[prefix.len()..]).into_owned();
            match decode_status(&value) {
                Some((status, changed_at)) => out.push(Recorded { topic, status, changed_at }),
                // A value this version cannot read stays on disk untouched; it is not shown.
                None => tracing::warn!(%topic, "skipping a progress value with an unknown layout"),
            }
        }
        Ok(out)
    }

    fn set_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        now_ms: u64,
    ) -> Result<(), StoreError> {
        let _writing = self.writing();
        let mut key = progress_prefix(who, roadmap);
        key.extend_from_slice(topic.as_str().as_bytes());
        self.progress.insert(key, &encode_status(status, now_ms)[..]).map(|_| ()).map_err(io)
    }

    fn all_statuses(&self, who: &IdentityKey) -> Result<BTreeMap<String, Vec<Recorded>>, StoreError> {
        let mut out: BTreeMap<String, Vec<Recorded>> = BTreeMap::new();
        for item in self.progress.scan_prefix(who.0) {
            let (key, value) = item.map_err(io)?;
            let rest = &key[32..];
            let Some(split) = rest.iter().position(|b| *b == 0) else { continue };
            let roadmap = String::from_utf8_lossy(&rest[..split]).into_owned();
            let topic = String::from_utf8_lossy(&rest[split + 1..]).into_owned();
            if let Some((status, changed_at)) = decode_status(&value) {
                out.entry(roadmap).or_default().push(Recorded { topic, status, changed_at });
            }
        }
        Ok(out)
    }

    fn clear_statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        let _writing = self.writing();
        let mut cleared = 0;
        for item in self.progress.scan_prefix(progress_prefix(who, roadmap)) {
            let (key, _) = item.map_err(io)?;
            self.progress.remove(key).map_err(io)?;
            cleared += 1;
        }
        Ok(cleared)
    }

    fn durable(&self) -> DurableFuture<'_> {
        Box::pin(self.commit.wait())
    }

    fn flush_blocking(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(io)
    }

    fn write_snapshot(&self, out: &mut dyn std::io::Write) -> Result<super::SnapshotSummary, StoreError> {
        self.snapshot_to(out)
    }
}

#[cfg(test)]
#[path = "sled_store_tests.rs"]
mod tests;
