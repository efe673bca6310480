//! The sled implementation of `Store`: the embedded default, one process per data directory.
//!
//! Layout (all values start with `SCHEMA_VERSION`):
//! - tree `identities`: identity key (32 bytes) -> version, created-at ms (u64 BE), last-seen
//!   ms (u64 BE; absent in values written before it was kept: then created-at counts)
//! - tree `progress`: identity key ‖ roadmap id ‖ 0x00 ‖ topic id -> version, status code,
//!   changed-at ms (u64 BE), and when there is something to undo, the status before (its
//!   code, 0xFF for none recorded) and its time (u64 BE), see `sled_undo`. One person's
//!   progress on a roadmap is one prefix scan.
//! - tree `notes`: identity key ‖ roadmap id ‖ 0x00 ‖ topic id -> version, changed-at ms
//!   (u64 BE), the note's text (UTF-8), see `sled_notes`.
//! - tree `visits`: identity key ‖ roadmap id ‖ 0x00 ‖ topic id (empty for the roadmap) ->
//!   version, last ms (u64 BE), previous ms (u64 BE, `u64::MAX` for none), see `sled_visits`.
//! - the account trees, see `sled_accounts`.
//! - tree `secrets`: name -> 32 random bytes (`Store::secret`; not in backups).
//!
//! Every write is made under the write gate (shared), then waits for a flush that began
//! after it (group commit, `group_commit`) before it resolves. A flow of several writes
//! (sign-up, sign-in with merge, password change, import) holds the gate exclusively, so no
//! other write lands in the middle of it. Maintenance only sled needs (the lock file, the
//! backup socket, a final flush) lives here and in `backup`, not on the trait.

use super::group_commit::GroupCommit;
use super::rows::{BackupRow, RowSink};
use super::sled_accounts::AccountTrees;
use super::sled_recent::Recent;
use super::{OpenError, StoreError, SCHEMA_VERSION};
use crate::roadmap::progress::Recorded;
use crate::roadmap::transfer::newer_than;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::IdentityKey;
use std::collections::BTreeMap;
use std::fs::{File, TryLockError};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Instant;

const LOCK_FILE: &str = "backroad.lock";

/// Failures a test can switch on, to see what a person is told when storage fails: every
/// operation (a dead disk), or only the flush (the write reached sled's memory, not the disk).
#[derive(Debug, Default)]
pub struct Faults {
    pub storage: AtomicBool,
    pub flush: AtomicBool,
}

pub struct SledStore {
    db: sled::Db,
    identities: sled::Tree,
    pub(super) progress: sled::Tree,
    pub(super) notes: sled::Tree,
    pub(super) visits: sled::Tree,
    account_trees: AccountTrees,
    commit: GroupCommit,
    faults: Arc<Faults>,
    /// Every write holds this shared; a flow of writes or a backup holds it exclusively.
    gate: RwLock<()>,
    /// Progress read lately, for the next page view; every progress write forgets its part.
    recent: Recent,
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
        Self::open_with_faults(dir, Arc::default())
    }

    /// As `open`, with failures a test can switch on.
    pub fn open_with_faults(dir: &Path, faults: Arc<Faults>) -> Result<Self, OpenError> {
        let fail = |cause: &dyn std::fmt::Display| OpenError::Io { path: dir.to_owned(), cause: cause.to_string() };
        if super::private::private_dir(dir).map_err(|e| fail(&e))? {
            tracing::info!("made the data directory {} private (mode 0700)", dir.display());
        }
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
        let notes = db.open_tree("notes").map_err(|e| fail(&e))?;
        let visits = db.open_tree("visits").map_err(|e| fail(&e))?;
        let account_trees = AccountTrees::open(&db).map_err(|e| fail(&e))?;
        let (flusher, flush_faults) = (db.clone(), faults.clone());
        let commit = GroupCommit::start_with(
            move || {
                if flush_faults.flush.load(Ordering::SeqCst) || flush_faults.storage.load(Ordering::SeqCst) {
                    return Err("flush failed (injected by a test)".to_owned());
                }
                flusher.flush().map(|_| ()).map_err(|e| e.to_string())
            },
            |writers| crate::server::metrics::observe_batch("sled", writers),
        )
        .map_err(|e| fail(&e))?;
        Ok(SledStore {
            db,
            identities,
            progress,
            notes,
            visits,
            account_trees,
            commit,
            faults,
            gate: RwLock::new(()),
            recent: Recent::default(),
            _lock: lock,
        })
    }

    /// Whether a data directory holds a sled store (a restore needs one that does not).
    pub fn exists_in(dir: &Path) -> bool {
        dir.join("db").exists()
    }

    /// Taken by every write (they run side by side; only a flow or a backup waits for them).
    pub(super) fn writing(&self) -> RwLockReadGuard<'_, ()> {
        self.gate.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Holds every other write back until dropped.
    pub(super) fn hold_writes(&self) -> RwLockWriteGuard<'_, ()> {
        self.gate.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn accounts(&self) -> &AccountTrees {
        &self.account_trees
    }

    pub(super) fn identities_tree(&self) -> &sled::Tree {
        &self.identities
    }

    /// The site's secrets (name -> 32 bytes); not part of backups.
    pub(super) fn secrets_tree(&self) -> Result<sled::Tree, StoreError> {
        self.db.open_tree("secrets").map_err(io)
    }

    /// Fails when a test switched storage off.
    pub(super) fn check(&self) -> Result<(), StoreError> {
        if self.faults.storage.load(Ordering::SeqCst) {
            return Err(StoreError::Io("storage failed (injected by a test)".to_owned()));
        }
        Ok(())
    }

    /// Resolves once a flush that began after every write so far has finished.
    pub(super) async fn durable(&self) -> Result<(), StoreError> {
        self.commit.wait().await.map_err(StoreError::NotDurable)
    }

    /// Runs one operation: fault check, the work, metrics.
    pub(super) fn timed<T>(
        &self,
        op: &'static str,
        work: impl FnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let result = self.check().and_then(|()| work());
        crate::server::metrics::observe_store("sled", op, started.elapsed(), result.is_ok());
        result
    }

    /// Flushes everything now, blocking the calling thread; for shutdown and restores.
    pub fn flush_blocking(&self) -> Result<(), StoreError> {
        self.db.flush().map(|_| ()).map_err(io)
    }

    /// Bytes sled uses on disk.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        self.db.size_on_disk().map_err(io)
    }

    // ---- progress, without the gate (callers hold it) ----

    /// As `read_statuses`, from memory when this person's progress was read since it last changed.
    pub(super) fn recent_statuses(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
    ) -> Result<Arc<Vec<Recorded>>, StoreError> {
        if let Some(kept) = self.recent.get(who, roadmap) {
            return Ok(kept);
        }
        let seen = self.recent.before_reading();
        let records = Arc::new(self.read_statuses(who, roadmap)?);
        self.recent.keep(seen, who, roadmap, records.clone());
        Ok(records)
    }

    pub(super) fn read_statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Vec<Recorded>, StoreError> {
        let prefix = progress_prefix(who, roadmap);
        let mut out = Vec::new();
        for item in self.progress.scan_prefix(&prefix) {
            let (key, value) = item.map_err(io)?;
            let topic = String::from_utf8_lossy(&key[prefix.len()..]).into_owned();
            match (TopicId::parse(&topic), decode_status(&value)) {
                (Ok(topic), Some((status, changed_at))) => out.push(Recorded { topic, status, changed_at }),
                // A value this version cannot read stays on disk untouched; it is not shown.
                _ => tracing::warn!(%topic, "skipping a progress value with an unknown layout"),
            }
        }
        Ok(out)
    }

    pub(super) fn read_all_statuses(
        &self,
        who: &IdentityKey,
    ) -> Result<BTreeMap<RoadmapId, Vec<Recorded>>, StoreError> {
        let mut out: BTreeMap<RoadmapId, Vec<Recorded>> = BTreeMap::new();
        for item in self.progress.scan_prefix(who.0) {
            let (key, value) = item.map_err(io)?;
            match decode_progress(&key, &value) {
                Some((_, roadmap, record)) => out.entry(roadmap).or_default().push(record),
                None => tracing::warn!("skipping a progress entry with an unknown layout"),
            }
        }
        Ok(out)
    }

    pub(super) fn put_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        at: u64,
    ) -> Result<(), StoreError> {
        let mut key = progress_prefix(who, roadmap);
        key.extend_from_slice(topic.as_str().as_bytes());
        let written = self.progress.insert(key, &encode_status(status, at)[..]).map(|_| ()).map_err(io);
        self.recent.forget(who, roadmap);
        written
    }

    /// Forgets what was read lately of `who`'s progress on `roadmap` (a write changed it).
    pub(super) fn forget_recent(&self, who: &IdentityKey, roadmap: &RoadmapId) {
        self.recent.forget(who, roadmap);
    }

    pub(super) fn remove_statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        let mut cleared = 0;
        for item in self.progress.scan_prefix(progress_prefix(who, roadmap)) {
            let (key, _) = item.map_err(io)?;
            let removed = self.progress.remove(key).map_err(io);
            self.recent.forget(who, roadmap);
            removed?;
            cleared += 1;
        }
        Ok(cleared)
    }

    /// Writes the newer of `incoming` over `who`'s statuses; answers how many.
    pub(super) fn put_newer(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<Recorded>>,
    ) -> Result<usize, StoreError> {
        let mut written = 0;
        for (roadmap, records) in incoming {
            let existing = self.read_statuses(who, &roadmap)?;
            for r in newer_than(&existing, records) {
                self.put_status(who, &roadmap, &r.topic, r.status, r.changed_at)?;
                written += 1;
            }
        }
        Ok(written)
    }

    pub(super) fn count_statuses(&self, who: &IdentityKey) -> Result<usize, StoreError> {
        let mut n = 0;
        for item in self.progress.scan_prefix(who.0) {
            item.map_err(io)?;
            n += 1;
        }
        Ok(n)
    }

    pub(super) fn has_statuses(&self, who: &IdentityKey) -> Result<bool, StoreError> {
        Ok(self.progress.scan_prefix(who.0).next().transpose().map_err(io)?.is_some())
    }

    /// Whether any status of `who` changed at or after `since_ms`.
    pub(super) fn status_changed_since(&self, who: &IdentityKey, since_ms: u64) -> Result<bool, StoreError> {
        for item in self.progress.scan_prefix(who.0) {
            let (_, value) = item.map_err(io)?;
            if decode_status(&value).is_some_and(|(_, at)| at >= since_ms) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Deletes every status of `who`, on every roadmap.
    pub(super) fn remove_all_statuses(&self, who: &IdentityKey) -> Result<(), StoreError> {
        for item in self.progress.scan_prefix(who.0) {
            let (key, value) = item.map_err(io)?;
            if let Some((_, roadmap, _)) = decode_progress(&key, &value) {
                self.recent.forget(who, &roadmap);
            }
            self.progress.remove(key).map_err(io)?;
        }
        Ok(())
    }

    pub(super) fn put_identity(&self, who: &IdentityKey, created_at: u64, last_seen: u64) -> Result<(), StoreError> {
        let mut value = [0u8; 17];
        value[0] = SCHEMA_VERSION;
        value[1..9].copy_from_slice(&created_at.to_be_bytes());
        value[9..].copy_from_slice(&last_seen.to_be_bytes());
        self.identities.insert(who.0, &value[..]).map(|_| ()).map_err(io)
    }

    /// An identity's creation and last-seen times, if it exists.
    pub(super) fn get_identity(&self, who: &IdentityKey) -> Result<Option<(u64, u64)>, StoreError> {
        Ok(self.identities.get(who.0).map_err(io)?.and_then(|v| decode_identity(&v)))
    }

    /// Moves an identity's last-seen time on (only if it exists; the caller holds the gate).
    pub(super) fn put_seen(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError> {
        match self.get_identity(who)? {
            Some((created_at, _)) => self.put_identity(who, created_at, now_ms),
            None => Ok(()),
        }
    }

    /// Every identity and status row, for a backup (the caller holds the gate).
    pub(super) fn progress_rows(&self, sink: &mut (dyn RowSink + Send)) -> Result<(), StoreError> {
        for item in self.identities.iter() {
            let (key, value) = item.map_err(io)?;
            let (Ok(key), Some((created, seen))) = (<[u8; 32]>::try_from(&key[..]), decode_identity(&value)) else {
                tracing::warn!("backup: skipping an identity with an unknown layout");
                continue;
            };
            sink.row(BackupRow::identity(&IdentityKey(key), created, seen)).map_err(io)?;
        }
        for item in self.progress.iter() {
            let (key, value) = item.map_err(io)?;
            let Some((who, roadmap, r)) = decode_progress(&key, &value) else {
                tracing::warn!("backup: skipping a progress entry with an unknown layout");
                continue;
            };
            sink.row(BackupRow::status(&who, roadmap, r.topic, r.status, r.changed_at)).map_err(io)?;
        }
        Ok(())
    }

    pub(super) fn has_progress_data(&self) -> Result<bool, StoreError> {
        Ok(!self.identities.is_empty() || !self.progress.is_empty() || !self.notes.is_empty())
    }
}

pub(super) fn progress_prefix(who: &IdentityKey, roadmap: &RoadmapId) -> Vec<u8> {
    let mut key = Vec::with_capacity(32 + roadmap.as_str().len() + 1 + 32);
    key.extend_from_slice(&who.0);
    key.extend_from_slice(roadmap.as_str().as_bytes());
    key.push(0);
    key
}

pub(super) fn encode_status(status: Status, changed_at: u64) -> [u8; 10] {
    let mut v = [0u8; 10];
    v[0] = SCHEMA_VERSION;
    v[1] = status.code();
    v[2..].copy_from_slice(&changed_at.to_be_bytes());
    v
}

pub(super) fn decode_status(value: &[u8]) -> Option<(Status, u64)> {
    match value {
        // 8 bytes of time, or 8 and the status before it (9 more, `sled_undo`).
        [SCHEMA_VERSION, code, rest @ ..] if rest.len() == 8 || rest.len() == 17 => {
            Some((Status::from_code(*code)?, u64::from_be_bytes(rest[..8].try_into().ok()?)))
        }
        _ => None,
    }
}

/// An identity value: its creation and last-seen times (ms).
pub(super) fn decode_identity(value: &[u8]) -> Option<(u64, u64)> {
    let at = |bytes: &[u8]| bytes.try_into().ok().map(u64::from_be_bytes);
    match value {
        [SCHEMA_VERSION, rest @ ..] if rest.len() == 8 => at(rest).map(|created| (created, created)),
        [SCHEMA_VERSION, rest @ ..] if rest.len() == 16 => Some((at(&rest[..8])?, at(&rest[8..])?)),
        _ => None,
    }
}

/// A progress entry's key and value: whose, which roadmap, the record.
pub(super) fn decode_progress(key: &[u8], value: &[u8]) -> Option<(IdentityKey, RoadmapId, Recorded)> {
    let who = IdentityKey(key.get(..32)?.try_into().ok()?);
    let rest = &key[32..];
    let split = rest.iter().position(|b| *b == 0)?;
    let roadmap = RoadmapId::parse(std::str::from_utf8(&rest[..split]).ok()?).ok()?;
    let topic = TopicId::parse(std::str::from_utf8(&rest[split + 1..]).ok()?).ok()?;
    let (status, changed_at) = decode_status(value)?;
    Some((who, roadmap, Recorded { topic, status, changed_at }))
}

#[cfg(test)]
#[path = "sled_store_tests.rs"]
mod tests;
