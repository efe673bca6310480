//! Backups: every row of a store (whichever backend) in one file, checked and restored
//! into an empty store (whichever backend).
//!
//! File layout, version 2 (all lengths u32 big-endian):
//! `MAGIC` ‖ version 2 ‖ rows ‖ `b'Z'` ‖ row count (u64 BE) ‖ SHA-256 of all bytes before it.
//! A row is `b'R'` ‖ len ‖ the JSON of one `BackupRow` (`{"t":"status","identity":…}`).
//! Version 1 files (written by sled-only versions: `b'T'` ‖ len ‖ tree name, then
//! `b'E'` ‖ len ‖ key ‖ len ‖ value per entry, in sled's own layout) are still read, and
//! their entries turned into rows. Our own format rather than a database's dump, so a backup
//! moves between backends and outlives the version that wrote it.

use super::rows::{BackupRow, RowSink, KINDS};
use super::sled_accounts::{decode_account, decode_session, decode_share};
use super::sled_store::{decode_identity, decode_progress};
use super::{Store, StoreError};
use crate::roadmap::account::Username;
use crate::roadmap::share::ShareCode;
use crate::server::identity::{IdentityKey, SessionKey};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// The first bytes of every backup file.
pub const MAGIC: &[u8] = b"BACKROAD SNAPSHOT\n";
const VERSION: u8 = 2;
/// No row we write comes near this; a bigger length means a damaged file.
const MAX_RECORD: usize = 64 * 1024 * 1024;
/// Rows handed to the store per restore call.
const RESTORE_BATCH: usize = 5_000;

/// What a backup holds: rows per kind (`rows::KINDS`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub entries: BTreeMap<String, u64>,
}

impl SnapshotSummary {
    pub fn count(&self, kind: &str) -> u64 {
        self.entries.get(kind).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.entries.values().sum()
    }

    fn add(&mut self, row: &BackupRow) {
        *self.entries.entry(row.kind().to_owned()).or_default() += 1;
    }
}

impl std::fmt::Display for SnapshotSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "identities: {}, statuses: {}, notes: {}, accounts: {}, sessions: {}, display names: {}, share links: {} ({} rows in all)",
            self.count("identities"),
            self.count("progress"),
            self.count("notes"),
            self.count("accounts"),
            self.count("sessions"),
            self.count("profiles"),
            self.count("shares"),
            self.total()
        )
    }
}

/// Why a backup file could not be restored; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("could not read the backup {file}: {cause}")]
    Read { file: PathBuf, cause: String },
    #[error("{file} is not a backroad backup, or it is damaged ({reason}); nothing was restored")]
    Invalid { file: PathBuf, reason: String },
    #[error(
        "{0} already holds data; restore only into an empty store (move the old data directory aside, \
         set BACKROAD_DATA_DIR to a new one, or point BACKROAD_DATABASE_URL at an empty database)"
    )]
    NotEmpty(String),
    #[error("{0}")]
    Open(#[from] super::OpenError),
    #[error("restoring failed: {0}")]
    Write(String),
}

/// Writes hashed bytes to `out`.
struct Hashing<W> {
    out: W,
    hash: Sha256,
    summary: SnapshotSummary,
}

impl<W: Write> Hashing<W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.hash.update(bytes);
        self.out.write_all(bytes)
    }

    fn put_chunk(&mut self, tag: u8, bytes: &[u8]) -> std::io::Result<()> {
        let len = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
        self.put(&[tag])?;
        self.put(&len.to_be_bytes())?;
        self.put(bytes)
    }
}

impl<W: Write + Send> RowSink for Hashing<W> {
    fn row(&mut self, row: BackupRow) -> Result<(), String> {
        let json = serde_json::to_vec(&row).map_err(|e| e.to_string())?;
        self.put_chunk(b'R', &json).map_err(|e| e.to_string())?;
        self.summary.add(&row);
        Ok(())
    }
}

/// Writes a backup of everything in `store` to `out` (one consistent moment that holds every
/// write acknowledged before the call).
pub async fn write_backup(store: &dyn Store, out: impl Write + Send) -> Result<SnapshotSummary, StoreError> {
    let io = |e: std::io::Error| StoreError::Io(format!("writing the backup: {e}"));
    let mut w = Hashing { out: BufWriter::new(out), hash: Sha256::new(), summary: SnapshotSummary::default() };
    w.put(MAGIC).map_err(io)?;
    w.put(&[VERSION]).map_err(io)?;
    for kind in KINDS {
        w.summary.entries.insert(kind.to_owned(), 0);
    }
    store.backup_rows(&mut w).await?;
    w.put(b"Z").map_err(io)?;
    let total = w.summary.total();
    w.put(&total.to_be_bytes()).map_err(io)?;
    let digest = std::mem::take(&mut w.hash).finalize();
    w.out.write_all(&digest).map_err(io)?;
    w.out.flush().map_err(io)?;
    Ok(w.summary)
}

/// One record read back from a backup.
enum Record {
    Row(Vec<u8>),
    Tree(Vec<u8>),
    Entry(Vec<u8>, Vec<u8>),
}

/// Reads a backup record by record, hashing as it goes.
struct Reader<R> {
    input: R,
    hash: Sha256,
}

impl<R: Read> Reader<R> {
    fn take(&mut self, n: usize) -> Result<Vec<u8>, String> {
        let mut buf = vec![0; n];
        self.input.read_exact(&mut buf).map_err(|_| "it ends too early".to_owned())?;
        self.hash.update(&buf);
        Ok(buf)
    }

    fn take_len(&mut self) -> Result<usize, String> {
        let bytes = self.take(4)?;
        let len = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        if len > MAX_RECORD {
            return Err(format!("a record claims {len} bytes"));
        }
        Ok(len)
    }

    /// The next record, or `None` at the trailer (which it checks).
    fn next(&mut self, seen: u64) -> Result<Option<Record>, String> {
        let tag = self.take(1)?[0];
        match tag {
            b'R' => {
                let len = self.take_len()?;
                Ok(Some(Record::Row(self.take(len)?)))
            }
            b'T' => {
                let len = self.take_len()?;
                Ok(Some(Record::Tree(self.take(len)?)))
            }
            b'E' => {
                let len = self.take_len()?;
                let key = self.take(len)?;
                let len = self.take_len()?;
                Ok(Some(Record::Entry(key, self.take(len)?)))
            }
            b'Z' => {
                let count = self.take(8)?;
                let expected = std::mem::take(&mut self.hash).finalize();
                let mut digest = [0u8; 32];
                self.input.read_exact(&mut digest).map_err(|_| "it ends too early".to_owned())?;
                if digest[..] != expected[..] {
                    return Err("its checksum does not match".to_owned());
                }
                let mut count_bytes = [0u8; 8];
                count_bytes.copy_from_slice(&count);
                if u64::from_be_bytes(count_bytes) != seen {
                    return Err("its entry count does not match".to_owned());
                }
                if self.input.read(&mut [0u8; 1]).map_err(|e| e.to_string())? != 0 {
                    return Err("there are bytes after its end".to_owned());
                }
                Ok(None)
            }
            other => Err(format!("unexpected record type {other}")),
        }
    }
}

/// A version 1 entry (sled's layout) as a row; `None` for index trees and unreadable values.
fn v1_row(tree: &[u8], key: &[u8], value: &[u8]) -> Option<BackupRow> {
    let key32 = || <[u8; 32]>::try_from(key).ok();
    match tree {
        b"identities" => {
            let (created, seen) = decode_identity(value)?;
            Some(BackupRow::identity(&IdentityKey(key32()?), created, seen))
        }
        b"progress" => {
            let (who, roadmap, r) = decode_progress(key, value)?;
            Some(BackupRow::status(&who, roadmap, r.topic, r.status, r.changed_at))
        }
        b"accounts" => {
            let name = Username::parse(std::str::from_utf8(key).ok()?).ok()?;
            Some(BackupRow::account(&name, &decode_account(value)?))
        }
        b"sessions" => Some(BackupRow::session(&SessionKey(key32()?), &decode_session(value)?)),
        b"profiles" => Some(BackupRow::profile(&IdentityKey(key32()?), std::str::from_utf8(value).ok()?)),
        b"shares" => {
            let code = ShareCode::parse(std::str::from_utf8(key).ok()?)?;
            Some(BackupRow::share(&code, &decode_share(value)?))
        }
        _ => None,
    }
}

/// Reads a whole backup, handing each row to `each`; checks the header, the structure, every
/// row, the count and the checksum.
pub fn read_backup(
    file: &Path,
    mut each: impl FnMut(BackupRow) -> Result<(), String>,
) -> Result<SnapshotSummary, RestoreError> {
    let invalid = |reason: String| RestoreError::Invalid { file: file.to_owned(), reason };
    let opened = File::open(file).map_err(|e| RestoreError::Read { file: file.to_owned(), cause: e.to_string() })?;
    let mut r = Reader { input: BufReader::new(opened), hash: Sha256::new() };
    let head = r.take(MAGIC.len() + 1).map_err(|_| invalid("it does not start like one".to_owned()))?;
    if &head[..MAGIC.len()] != MAGIC {
        return Err(invalid("it does not start like one".to_owned()));
    }
    let version = head[MAGIC.len()];
    if version != 1 && version != VERSION {
        return Err(invalid(format!("format version {version} is not one this version reads")));
    }
    let mut summary = SnapshotSummary::default();
    for kind in KINDS {
        summary.entries.insert(kind.to_owned(), 0);
    }
    let mut tree: Option<Vec<u8>> = None;
    let mut seen = 0u64;
    while let Some(record) = r.next(seen).map_err(invalid)? {
        let row = match record {
            Record::Row(json) if version == VERSION => {
                seen += 1;
                let row: BackupRow =
                    serde_json::from_slice(&json).map_err(|e| invalid(format!("row {seen} is unreadable: {e}")))?;
                row.check().map_err(|e| invalid(format!("row {seen}: {e}")))?;
                row
            }
            Record::Tree(name) if version == 1 => {
                tree = Some(name);
                continue;
            }
            Record::Entry(key, value) if version == 1 => {
                seen += 1;
                let name = tree.as_ref().ok_or_else(|| invalid("an entry comes before any tree".to_owned()))?;
                match v1_row(name, &key, &value) {
                    Some(row) => row,
                    None => continue,
                }
            }
            _ => return Err(invalid(format!("a record does not belong in a version {version} file"))),
        };
        summary.add(&row);
        each(row).map_err(RestoreError::Write)?;
    }
    Ok(summary)
}

/// Checks a backup file completely without restoring it.
pub fn verify_snapshot(file: &Path) -> Result<SnapshotSummary, RestoreError> {
    read_backup(file, |_| Ok(()))
}

/// Restores a backup into `store`, which must hold no data yet (`target` names it in the
/// message). The file is checked in full before anything is written.
pub async fn restore_backup(store: &dyn Store, file: &Path, target: &str) -> Result<SnapshotSummary, RestoreError> {
    verify_snapshot(file)?;
    let write = |e: StoreError| RestoreError::Write(e.to_string());
    if store.holds_data().await.map_err(write)? {
        return Err(RestoreError::NotEmpty(target.to_owned()));
    }
    // Read in batches on this thread, write each batch before reading on.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<BackupRow>>(2);
    let path = file.to_owned();
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(RESTORE_BATCH);
        let summary = read_backup(&path, |row| {
            batch.push(row);
            if batch.len() >= RESTORE_BATCH {
                tx.blocking_send(std::mem::take(&mut batch)).map_err(|_| "the restore stopped".to_owned())?;
            }
            Ok(())
        })?;
        if !batch.is_empty() {
            tx.blocking_send(batch).map_err(|_| RestoreError::Write("the restore stopped".to_owned()))?;
        }
        Ok::<_, RestoreError>(summary)
    });
    while let Some(batch) = rx.recv().await {
        store.restore_rows(batch).await.map_err(write)?;
    }
    reader.await.map_err(|e| RestoreError::Write(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::{RoadmapId, Status, TopicId};
    use crate::server::store::SledStore;

    async fn filled(dir: &Path) -> SledStore {
        let store = SledStore::open(dir).expect("open");
        let roadmap = RoadmapId::parse("backend").expect("id");
        for i in 0..20u8 {
            let who = IdentityKey([i; 32]);
            store.create_identity(&who, 1_000).await.expect("identity");
            for (n, topic) in ["dns", "http", "ssh"].iter().enumerate() {
                let status = [Status::Done, Status::InProgress, Status::Skipped][(i as usize + n) % 3];
                let topic = TopicId::parse(topic).expect("id");
                store.set_status(&who, &roadmap, &topic, status, 2_000 + u64::from(i)).await.expect("write");
            }
        }
        store
    }

    fn sorted(mut rows: Vec<BackupRow>) -> Vec<String> {
        let mut out: Vec<String> = rows.drain(..).map(|r| serde_json::to_string(&r).expect("json")).collect();
        out.sort();
        out
    }

    #[tokio::test]
    async fn a_backup_restores_every_row_into_an_empty_store() {
        let temp = tempfile::tempdir().expect("temp");
        let file = temp.path().join("backup.snap");
        let original = filled(&temp.path().join("a")).await;
        let written = write_backup(&original, File::create(&file).expect("create")).await.expect("backup");
        assert_eq!(written.count("identities"), 20);
        assert_eq!(written.count("progress"), 60);

        let copy = SledStore::open(&temp.path().join("b")).expect("open");
        let restored = restore_backup(&copy, &file, "b").await.expect("restore");
        assert_eq!(restored, written);
        let (mut before, mut after) = (Vec::new(), Vec::new());
        original.backup_rows(&mut before).await.expect("rows");
        copy.backup_rows(&mut after).await.expect("rows");
        assert_eq!(sorted(after), sorted(before));

        let err = restore_backup(&copy, &file, "the store b").await.expect_err("not empty");
        assert!(err.to_string().contains("the store b already holds data"), "{err}");
    }

    #[tokio::test]
    async fn a_version_1_file_from_a_sled_only_release_still_restores() {
        // MAGIC, version 1, one identity tree entry and one progress entry, in sled's layout.
        let who = [7u8; 32];
        let mut progress_key = who.to_vec();
        progress_key.extend_from_slice(b"backend\0dns");
        let mut bytes = MAGIC.to_vec();
        bytes.push(1);
        let chunk = |out: &mut Vec<u8>, tag: u8, b: &[u8]| {
            out.push(tag);
            out.extend_from_slice(&(b.len() as u32).to_be_bytes());
            out.extend_from_slice(b);
        };
        chunk(&mut bytes, b'T', b"identities");
        chunk(&mut bytes, b'E', &who);
        bytes.extend_from_slice(&9u32.to_be_bytes());
        bytes.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 3, 232]);
        chunk(&mut bytes, b'T', b"progress");
        chunk(&mut bytes, b'E', &progress_key);
        bytes.extend_from_slice(&10u32.to_be_bytes());
        bytes.extend_from_slice(&[1, Status::Done.code(), 0, 0, 0, 0, 0, 0, 7, 208]);
        bytes.push(b'Z');
        bytes.extend_from_slice(&2u64.to_be_bytes());
        let digest = Sha256::digest(&bytes);
        bytes.extend_from_slice(&digest);
        let temp = tempfile::tempdir().expect("temp");
        let file = temp.path().join("v1.snap");
        std::fs::write(&file, bytes).expect("write");

        let store = SledStore::open(&temp.path().join("data")).expect("open");
        let summary = restore_backup(&store, &file, "data").await.expect("restore");
        assert_eq!((summary.count("identities"), summary.count("progress")), (1, 1));
        assert!(store.identity_exists(&IdentityKey(who)).await.expect("read"));
        let got = store.statuses(&IdentityKey(who), &RoadmapId::parse("backend").expect("id")).await.expect("read");
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].topic.as_str(), got[0].status, got[0].changed_at), ("dns", Status::Done, 2_000));
    }

    #[tokio::test]
    async fn damaged_or_foreign_files_are_refused_before_anything_is_written() {
        let temp = tempfile::tempdir().expect("temp");
        let file = temp.path().join("backup.snap");
        let original = filled(&temp.path().join("a")).await;
        write_backup(&original, File::create(&file).expect("create")).await.expect("backup");
        let bytes = std::fs::read(&file).expect("read");
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("truncated", bytes[..bytes.len() / 2].to_vec()),
            ("one byte changed", {
                let mut b = bytes.clone();
                let middle = b.len() / 2;
                b[middle] ^= 1;
                b
            }),
            ("foreign", b"{\"schema\":1}".to_vec()),
            ("trailing bytes", [bytes.clone(), vec![0]].concat()),
        ];
        for (what, damaged) in cases {
            let bad = temp.path().join(format!("{what}.snap"));
            std::fs::write(&bad, damaged).expect("write");
            let target = SledStore::open(&temp.path().join(format!("restore-{what}"))).expect("open");
            let err = restore_backup(&target, &bad, what).await.expect_err(what);
            assert!(err.to_string().contains("nothing was restored"), "{what}: {err}");
            assert!(!target.holds_data().await.expect("read"), "{what}: a damaged backup must write nothing");
        }
    }
}
