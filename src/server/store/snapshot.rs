//! Backups: a consistent copy of every sled tree in one file, checked and restored into an
//! empty data directory.
//!
//! File layout, version 1 (all lengths u32 big-endian):
//! `MAGIC` ‖ version 1 ‖ records ‖ `b'Z'` ‖ entry count (u64 BE) ‖ SHA-256 of all bytes before it.
//! A record is either `b'T'` ‖ len ‖ tree name (the entries that follow belong to it) or
//! `b'E'` ‖ len ‖ key ‖ len ‖ value. Our own format rather than sled's `export`, so a backup
//! outlives the sled version that wrote it.

use super::sled_store::{io, SledStore};
use super::{OpenError, Store, StoreError};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// The first bytes of every backup file.
pub const MAGIC: &[u8] = b"BACKROAD SNAPSHOT\n";
const VERSION: u8 = 1;
/// No key or value we write comes near this; a bigger length means a damaged file.
const MAX_RECORD: usize = 64 * 1024 * 1024;

/// What a backup holds: entries per tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub entries: BTreeMap<String, u64>,
}

impl SnapshotSummary {
    pub fn count(&self, tree: &str) -> u64 {
        self.entries.get(tree).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.entries.values().sum()
    }
}

impl std::fmt::Display for SnapshotSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "identities: {}, statuses: {}, accounts: {}, sessions: {}, share links: {} ({} entries in all)",
            self.count("identities"),
            self.count("progress"),
            self.count("accounts"),
            self.count("sessions"),
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
        "the data directory {0} already holds data; restore only into an empty directory \
         (move the old one aside, or set BACKROAD_DATA_DIR to a new directory)"
    )]
    NotEmpty(PathBuf),
    #[error("{0}")]
    Open(#[from] OpenError),
    #[error("restoring into {dir} failed: {cause}")]
    Write { dir: PathBuf, cause: String },
}

/// Writes hashed bytes to `out`.
struct Hashing<W> {
    out: W,
    hash: Sha256,
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

impl SledStore {
    /// Writes every tree to `out` while writes are held back, after a flush: the copy is
    /// one moment of the store, and everything acknowledged before it is in it.
    pub(super) fn snapshot_to(&self, out: &mut dyn Write) -> Result<SnapshotSummary, StoreError> {
        let _quiet = self.hold_writes();
        self.flush_blocking()?;
        let mut w = Hashing { out: BufWriter::new(out), hash: Sha256::new() };
        w.put(MAGIC).map_err(io)?;
        w.put(&[VERSION]).map_err(io)?;
        let mut summary = SnapshotSummary::default();
        for name in self.db().tree_names() {
            let tree = self.db().open_tree(&name).map_err(io)?;
            w.put_chunk(b'T', &name).map_err(io)?;
            let mut count = 0u64;
            for item in tree.iter() {
                let (key, value) = item.map_err(io)?;
                w.put_chunk(b'E', &key).map_err(io)?;
                w.put(&u32::try_from(value.len()).map_err(io)?.to_be_bytes()).map_err(io)?;
                w.put(&value).map_err(io)?;
                count += 1;
            }
            summary.entries.insert(String::from_utf8_lossy(&name).into_owned(), count);
        }
        w.put(b"Z").map_err(io)?;
        w.put(&summary.total().to_be_bytes()).map_err(io)?;
        let digest = w.hash.finalize();
        w.out.write_all(&digest).map_err(io)?;
        w.out.flush().map_err(io)?;
        Ok(summary)
    }
}

/// One record read back from a backup.
enum Record {
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
    fn next(&mut self, entries_seen: u64) -> Result<Option<Record>, String> {
        let tag = self.take(1)?[0];
        match tag {
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
                if u64::from_be_bytes(count_bytes) != entries_seen {
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

/// Reads a whole backup, handing each entry to `each` (tree name, key, value); checks the
/// header, the structure, the count and the checksum.
fn read_snapshot(
    file: &Path,
    mut each: impl FnMut(&[u8], Vec<u8>, Vec<u8>) -> Result<(), String>,
) -> Result<SnapshotSummary, RestoreError> {
    let invalid = |reason: String| RestoreError::Invalid { file: file.to_owned(), reason };
    let opened = File::open(file).map_err(|e| RestoreError::Read { file: file.to_owned(), cause: e.to_string() })?;
    let mut r = Reader { input: BufReader::new(opened), hash: Sha256::new() };
    let head = r.take(MAGIC.len() + 1).map_err(|_| invalid("it does not start like one".to_owned()))?;
    if &head[..MAGIC.len()] != MAGIC {
        return Err(invalid("it does not start like one".to_owned()));
    }
    if head[MAGIC.len()] != VERSION {
        return Err(invalid(format!("format version {} is not one this version reads", head[MAGIC.len()])));
    }
    let mut summary = SnapshotSummary::default();
    let mut tree: Option<Vec<u8>> = None;
    let mut seen = 0u64;
    while let Some(record) = r.next(seen).map_err(invalid)? {
        match record {
            Record::Tree(name) => {
                summary.entries.entry(String::from_utf8_lossy(&name).into_owned()).or_default();
                tree = Some(name);
            }
            Record::Entry(key, value) => {
                let name = tree.as_ref().ok_or_else(|| invalid("an entry comes before any tree".to_owned()))?;
                *summary.entries.entry(String::from_utf8_lossy(name).into_owned()).or_default() += 1;
                seen += 1;
                each(name, key, value).map_err(|cause| RestoreError::Write { dir: file.to_owned(), cause })?;
            }
        }
    }
    Ok(summary)
}

/// Checks a backup file completely without restoring it.
pub fn verify_snapshot(file: &Path) -> Result<SnapshotSummary, RestoreError> {
    read_snapshot(file, |_, _, _| Ok(()))
}

/// Restores a backup into `dir`, which must hold no data yet. The file is checked in full
/// before anything is written; the store is flushed before this returns.
pub fn restore_snapshot(file: &Path, dir: &Path) -> Result<SnapshotSummary, RestoreError> {
    verify_snapshot(file)?;
    if dir.join("db").exists() {
        return Err(RestoreError::NotEmpty(dir.to_owned()));
    }
    let store = SledStore::open(dir)?;
    let failed = |cause: String| RestoreError::Write { dir: dir.to_owned(), cause };
    let mut trees: BTreeMap<Vec<u8>, sled::Tree> = BTreeMap::new();
    let summary = read_snapshot(file, |name, key, value| {
        if !trees.contains_key(name) {
            trees.insert(name.to_vec(), store.db().open_tree(name).map_err(|e| e.to_string())?);
        }
        let tree = &trees[name];
        tree.insert(key, value).map(|_| ()).map_err(|e| e.to_string())
    })?;
    // Trees that were empty in the backup exist again too.
    for name in summary.entries.keys() {
        store.db().open_tree(name.as_bytes()).map_err(|e| failed(e.to_string()))?;
    }
    store.flush_blocking().map_err(|e| failed(e.to_string()))?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::{RoadmapId, Status, TopicId};
    use crate::server::identity::IdentityKey;

    fn filled(dir: &Path) -> SledStore {
        let store = SledStore::open(dir).expect("open");
        for i in 0..20u8 {
            let who = IdentityKey([i; 32]);
            store.create_identity(&who, 1_000).expect("identity");
            for (n, topic) in ["dns", "http", "ssh"].iter().enumerate() {
                let status = [Status::Done, Status::InProgress, Status::Skipped][(i as usize + n) % 3];
                let roadmap = RoadmapId::parse("backend").expect("id");
                let topic = TopicId::parse(topic).expect("id");
                store.set_status(&who, &roadmap, &topic, status, 2_000 + u64::from(i)).expect("write");
            }
        }
        store
    }

    #[test]
    fn a_backup_restores_every_status_into_an_empty_directory() {
        let temp = tempfile::tempdir().expect("temp");
        let file = temp.path().join("backup.snap");
        let original = filled(&temp.path().join("a"));
        let written = original.write_snapshot(&mut File::create(&file).expect("create")).expect("snapshot");
        assert_eq!(written.count("identities"), 20);
        assert_eq!(written.count("progress"), 60);

        let restored = restore_snapshot(&file, &temp.path().join("b")).expect("restore");
        assert_eq!(restored, written);
        drop(original);
        // sled lets go of its lock a moment after the restore's store is dropped.
        let copy = (0..100)
            .find_map(|_| {
                SledStore::open(&temp.path().join("b")).ok().or_else(|| {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    None
                })
            })
            .expect("reopen");
        let roadmap = RoadmapId::parse("backend").expect("id");
        for i in 0..20u8 {
            let who = IdentityKey([i; 32]);
            assert!(copy.identity_exists(&who).expect("read"));
            let mut got: Vec<_> = copy.statuses(&who, &roadmap).expect("read");
            got.sort_by(|a, b| a.topic.cmp(&b.topic));
            assert_eq!(got.len(), 3);
            assert_eq!(got[0].topic, "dns");
            assert_eq!(got[0].status, [Status::Done, Status::InProgress, Status::Skipped][i as usize % 3]);
            assert_eq!(got[0].changed_at, 2_000 + u64::from(i));
        }
    }

    #[test]
    fn damaged_or_foreign_files_and_used_directories_are_refused_untouched() {
        let temp = tempfile::tempdir().expect("temp");
        let file = temp.path().join("backup.snap");
        filled(&temp.path().join("a")).write_snapshot(&mut File::create(&file).expect("create")).expect("snapshot");
        let bytes = std::fs::read(&file).expect("read");

        // Restoring over existing data is refused and leaves it as it was.
        let err = restore_snapshot(&file, &temp.path().join("a")).expect_err("not empty");
        assert!(err.to_string().contains("already holds data"), "{err}");

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
            let target = temp.path().join(format!("restore-{what}"));
            let err = restore_snapshot(&bad, &target).expect_err(what);
            assert!(err.to_string().contains("nothing was restored"), "{what}: {err}");
            assert!(!target.join("db").exists(), "{what}: a damaged backup must not create a store");
        }
    }
}
