//! The store contract (`backroad::server::store::contract`) against every backend: sled on
//! a fresh temporary directory per case, PostgreSQL on a fresh database per case (on the
//! server `BACKROAD_TEST_DATABASE_URL` names: run under `scripts/with-postgres`, as
//! `make unit` does). Also: every write survives a reopen, and a backup restores into every
//! backend from every backend.
#![cfg(feature = "ssr")]

mod support;

use backroad::server::store::contract::{self, BoxFuture};
use backroad::server::store::{Attempts, MemoryAttempts, OpenError, SledStore, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::pg::{drop_database, fresh_database, open_pg};

/// Longer than any case should take, so a stuck case fails with its name instead of hanging.
const CASE_LIMIT: Duration = Duration::from_secs(120);

/// Runs one case, printing its name first: a failure's captured output names the case.
async fn run(backend: &str, name: &str, case: BoxFuture<'static, ()>) {
    println!("{backend}: {name}");
    if tokio::time::timeout(CASE_LIMIT, case).await.is_err() {
        panic!("{backend}: {name} did not finish within {CASE_LIMIT:?}");
    }
}

fn open_sled(dir: &Path) -> Arc<dyn Store> {
    Arc::new(SledStore::open(dir).unwrap_or_else(|e| panic!("SledStore::open({}): {e}", dir.display())))
}

/// Sled lets go of its locks (ours, `OpenError::Locked`, and its own on `db/db`, an
/// `OpenError::Io`) a moment after the store is dropped: retry for up to 2 s.
async fn reopen_sled(dir: PathBuf) -> Arc<dyn Store> {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match SledStore::open(&dir) {
            Ok(store) => return Arc::new(store),
            Err(OpenError::Locked(_) | OpenError::Io { .. }) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => panic!("reopening sled in {} (retried for 2 s): {e}", dir.display()),
        }
    }
}

async fn fresh_pg() -> (String, Arc<dyn Store>) {
    let url = fresh_database().await;
    let store: Arc<dyn Store> = Arc::new(open_pg(&url).await);
    (url, store)
}

// ---- sled ----------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sled_keeps_the_store_contract() {
    for (name, case) in contract::cases() {
        let dir = tempfile::tempdir().expect("temp dir");
        run("sled", name, case(open_sled(dir.path()))).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sled_keeps_every_write_across_a_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().to_owned();
    let reopen = move |first: Arc<dyn Store>| -> BoxFuture<'static, Arc<dyn Store>> {
        Box::pin(async move {
            drop(first);
            reopen_sled(path).await
        })
    };
    println!("sled: durable_across_reopen");
    contract::durable_across_reopen(open_sled(dir.path()), reopen).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sled_backup_restores_into_sled() {
    let (from, to) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
    println!("sled -> sled: restore_round_trip");
    contract::restore_round_trip(open_sled(from.path()), open_sled(to.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_attempts_keep_the_attempts_contract() {
    for (name, case) in contract::attempt_cases() {
        let attempts: Arc<dyn Attempts> = Arc::new(MemoryAttempts::default());
        run("memory", name, case(attempts)).await;
    }
}

// ---- PostgreSQL ------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_the_store_contract() {
    for (name, case) in contract::cases() {
        let (url, store) = fresh_pg().await;
        run("postgres", name, case(store)).await;
        drop_database(&url).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_the_attempts_contract() {
    for (name, case) in contract::attempt_cases() {
        let url = fresh_database().await;
        let attempts: Arc<dyn Attempts> = Arc::new(open_pg(&url).await);
        run("postgres", name, case(attempts)).await;
        drop_database(&url).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_write_across_a_reopen() {
    let (url, first) = fresh_pg().await;
    let again = url.clone();
    let reopen = move |first: Arc<dyn Store>| -> BoxFuture<'static, Arc<dyn Store>> {
        Box::pin(async move {
            drop(first);
            let store: Arc<dyn Store> = Arc::new(open_pg(&again).await);
            store
        })
    };
    println!("postgres: durable_across_reopen");
    contract::durable_across_reopen(first, reopen).await;
    drop_database(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_restore_across_backends() {
    {
        println!("postgres -> postgres: restore_round_trip");
        let ((a, from), (b, to)) = (fresh_pg().await, fresh_pg().await);
        contract::restore_round_trip(from, to).await;
        drop_database(&a).await;
        drop_database(&b).await;
    }
    {
        println!("sled -> postgres: restore_round_trip");
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, to) = fresh_pg().await;
        contract::restore_round_trip(open_sled(dir.path()), to).await;
        drop_database(&url).await;
    }
    {
        println!("postgres -> sled: restore_round_trip");
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, from) = fresh_pg().await;
        contract::restore_round_trip(from, open_sled(dir.path())).await;
        drop_database(&url).await;
    }
}

// ---- PostgreSQL schema ---------------------------------------------------------------

/// Servers starting at once on an empty database all come up, and the schema is applied once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_starting_together_migrate_the_schema_once() {
    let url = fresh_database().await;
    let starts: Vec<_> = (0..6)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { open_pg(&url).await })
        })
        .collect();
    for start in starts {
        start.await.expect("every server starts");
    }
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connect");
    tokio::spawn(connection);
    let rows = client.query("SELECT version FROM backroad_schema ORDER BY version", &[]).await.expect("query");
    let versions: Vec<i32> = rows.iter().map(|r| r.get(0)).collect();
    let expected: Vec<i32> = (1..=backroad::server::store::SCHEMA_VERSION_PG).collect();
    assert_eq!(versions, expected, "each migration recorded once");
}

/// A server older than the database's schema refuses to start, and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_server_refuses_a_newer_schema() {
    let url = fresh_database().await;
    drop(open_pg(&url).await);
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connect");
    tokio::spawn(connection);
    client
        .execute("INSERT INTO backroad_schema (version, description) VALUES (999, 'from the future')", &[])
        .await
        .expect("insert");
    let settings =
        backroad::server::store::PgSettings { url: url.clone(), pool_size: 2, timeout: Duration::from_secs(5) };
    let Err(err) = backroad::server::store::PgStore::open(&settings).await else {
        panic!("a schema newer than the binary must be refused")
    };
    assert!(matches!(err, OpenError::SchemaTooNew { found: 999, .. }), "{err}");
    assert!(err.to_string().contains("newer than this backroad knows"), "{err}");
}

#[tokio::test]
async fn a_version_1_database_is_upgraded_and_its_identities_count_as_seen_when_created() {
    use backroad::server::identity::IdentityKey;
    use backroad::server::store::{Purge, TokenLookup};
    let url = fresh_database().await;
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.expect("connect");
    tokio::spawn(connection);
    // The database as version 1 of backroad left it, with one anonymous identity.
    client
        .batch_execute(&format!(
            "CREATE TABLE backroad_schema (version integer PRIMARY KEY, description text NOT NULL, \
             applied_at timestamptz NOT NULL DEFAULT now()); {} \
             INSERT INTO backroad_schema (version, description) VALUES (1, 'initial schema'); \
             INSERT INTO identities (key, created_at) VALUES (decode(repeat('07', 32), 'hex'), 5000)",
            include_str!("../src/server/store/pg_migrations/0001_initial.sql")
        ))
        .await
        .expect("a version 1 schema");
    let store = open_pg(&url).await;
    let key = IdentityKey([7; 32]);
    assert_eq!(store.lookup_token(&key).await.expect("lookup"), TokenLookup::Identity { last_seen: 5000 });
    let version: i32 = client.query_one("SELECT max(version) FROM backroad_schema", &[]).await.expect("q").get(0);
    assert_eq!(version, backroad::server::store::SCHEMA_VERSION_PG);
    store.touch_identity(&key, 9000).await.expect("touch");
    assert_eq!(store.lookup_token(&key).await.expect("lookup"), TokenLookup::Identity { last_seen: 9000 });
    let purged = store.purge(&Purge::at(9000 + 2 * 24 * 3600 * 1000)).await.expect("purge");
    assert_eq!(purged.empty, 1, "an empty identity from version 1 is purged like any other");
    drop(store);
    drop_database(&url).await;
}
