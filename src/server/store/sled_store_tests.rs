//! sled-only store tests on a temporary database, one per test: what the contract suite
//! (`store::contract`, run for every backend by `tests/store_contract.rs`) cannot see.

use super::*;
use crate::server::store::Store;
use std::time::Duration;

fn ids() -> (RoadmapId, TopicId, TopicId) {
    (
        RoadmapId::parse("backend").expect("test setup"),
        TopicId::parse("dns").expect("test setup"),
        TopicId::parse("http").expect("test setup"),
    )
}

fn who(n: u8) -> IdentityKey {
    IdentityKey([n; 32])
}

/// Dropping sled does not wait for its file lock to go; retry briefly, as a restart would.
fn reopen(dir: &Path) -> SledStore {
    for _ in 0..100 {
        match SledStore::open(dir) {
            Ok(store) => return store,
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    panic!("could not reopen {}", dir.display());
}

#[test]
fn a_second_open_of_the_same_directory_is_refused_with_a_sentence() {
    let dir = tempfile::tempdir().expect("test setup");
    let _first = SledStore::open(dir.path()).expect("test setup");
    let Err(err) = SledStore::open(dir.path()) else { panic!("second open must fail") };
    assert!(matches!(err, OpenError::Locked(_)));
    assert!(err.to_string().contains("another backroad instance is already using the data directory"));
}

#[tokio::test]
async fn values_carry_the_schema_version_and_unknown_layouts_are_skipped() {
    let dir = tempfile::tempdir().expect("test setup");
    let store = SledStore::open(dir.path()).expect("test setup");
    let (backend, dns, http) = ids();
    store.set_status(&who(1), &backend, &dns, Status::Done, 5).await.expect("test setup");
    let mut key = progress_prefix(&who(1), &backend);
    key.extend_from_slice(b"dns");
    assert_eq!(store.progress.get(&key).expect("test setup").expect("test setup")[0], SCHEMA_VERSION);
    let mut future = progress_prefix(&who(1), &backend);
    future.extend_from_slice(http.as_str().as_bytes());
    store.progress.insert(future, &[99u8, 1, 2][..]).expect("test setup");
    let got = store.statuses(&who(1), &backend).await.expect("test setup");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].topic, dns);
}

/// A write that reached sled but whose flush failed is not acknowledged as saved: the answer
/// says it may not be kept (`NotDurable`), and once the disk is back it is there.
#[tokio::test]
async fn a_failed_flush_is_reported_as_not_durable_not_as_nothing_changed() {
    let dir = tempfile::tempdir().expect("test setup");
    let faults = Arc::new(Faults::default());
    let store = SledStore::open_with_faults(dir.path(), faults.clone()).expect("test setup");
    let (backend, dns, _) = ids();
    faults.flush.store(true, Ordering::SeqCst);
    let err = store.set_status(&who(1), &backend, &dns, Status::Done, 7).await.expect_err("the flush fails");
    assert!(matches!(err, StoreError::NotDurable(_)), "{err:?}");
    faults.flush.store(false, Ordering::SeqCst);
    let got = store.statuses(&who(1), &backend).await.expect("read");
    assert_eq!(*got, vec![Recorded { topic: dns.clone(), status: Status::Done, changed_at: 7 }]);
    // The next write's flush covers it: after a reopen it is still there.
    store.set_status(&who(2), &backend, &dns, Status::Done, 8).await.expect("write");
    drop(store);
    let again = reopen(dir.path());
    assert_eq!(again.statuses(&who(1), &backend).await.expect("read").len(), 1);
}

/// Disk growth: a million status updates over 10,000 identity-topic keys, three times with a
/// reopen in between. Records bytes on disk against live data and fails if the file keeps
/// growing from cycle to cycle. Slow: `make reliability` runs it (`--ignored`).
#[test]
#[ignore = "slow: run by make reliability"]
fn disk_use_levels_off_under_a_million_updates() {
    const UPDATES: u64 = 1_000_000;
    let dir = tempfile::tempdir().expect("test setup");
    let roadmap = RoadmapId::parse("backend").expect("test setup");
    let topics: Vec<TopicId> = (0..100).map(|t| TopicId::parse(&format!("topic-{t}")).expect("test setup")).collect();
    let statuses = [Status::Done, Status::InProgress, Status::Skipped, Status::None];
    let mut sizes = Vec::new();
    let mut live = 0u64;
    for cycle in 0..3u64 {
        let store = reopen(dir.path());
        let started = std::time::Instant::now();
        for n in 0..UPDATES {
            let key = n % 10_000;
            let who = IdentityKey([(key / 100) as u8; 32]);
            // A value that changes every time (writing the same value costs sled nothing).
            let status = statuses[((n / 10_000 + cycle) % 4) as usize];
            // The raw write: this measures sled's disk use, not the flush rate.
            store
                .put_status(&who, &roadmap, &topics[(key % 100) as usize], status, cycle * UPDATES + n)
                .expect("write");
        }
        store.flush_blocking().expect("flush");
        let secs = started.elapsed().as_secs_f64();
        drop(store);
        let store = reopen(dir.path());
        let size = store.size_on_disk().expect("size");
        live = store.progress.iter().map(|kv| kv.map(|(k, v)| (k.len() + v.len()) as u64).unwrap_or(0)).sum();
        eprintln!(
            "cycle {}: {UPDATES} updates in {secs:.1} s ({:.0}/s); {size} bytes on disk, {live} bytes live, ratio {:.1}",
            cycle + 1,
            UPDATES as f64 / secs,
            size as f64 / live as f64
        );
        assert_eq!(store.progress.len(), 10_000, "one value per key");
        sizes.push(size);
    }
    assert!(live > 0);
    assert!(sizes[2] <= sizes[0] * 3 / 2, "disk use keeps growing: {sizes:?}");
}

#[tokio::test]
async fn an_identity_written_before_last_seen_was_kept_counts_as_seen_when_created() {
    use crate::server::store::TokenLookup;
    let dir = tempfile::tempdir().expect("test setup");
    let store = SledStore::open(dir.path()).expect("test setup");
    let mut old = vec![SCHEMA_VERSION];
    old.extend_from_slice(&5_000u64.to_be_bytes());
    store.identities.insert(who(1).0, old).expect("test setup");
    assert_eq!(store.lookup_token(&who(1)).await.expect("lookup"), TokenLookup::Identity { last_seen: 5_000 });
    store.touch_identity(&who(1), 9_000).await.expect("touch");
    assert_eq!(store.lookup_token(&who(1)).await.expect("lookup"), TokenLookup::Identity { last_seen: 9_000 });
    let mut rows = Vec::new();
    store.backup_rows(&mut rows).await.expect("backup");
    assert_eq!(rows, vec![BackupRow::identity(&who(1), 5_000, 9_000)], "created-at is kept");
}
