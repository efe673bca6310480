//! The SQL side of `PgStore`: statements run through each connection's cache of prepared
//! statements, columns read without panicking, error sentences, the schema migration runner,
//! and backup and restore. A
//! backup reads every table from one snapshot (a repeatable-read, read-only transaction) in
//! batches through a portal, so millions of rows are never held in memory at once; a restore
//! writes one batch in one transaction, one multi-row insert (`unnest` of arrays) per table.

use super::{PgStore, MIGRATIONS, MIGRATION_LOCK, SCHEMA_VERSION_PG};
use crate::roadmap::account::Username;
use crate::roadmap::progress::Recorded;
use crate::roadmap::share::ShareCode;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::{IdentityKey, SessionKey};
use crate::server::store::accounts::{AccountRecord, NewSession, ShareRecord};
use crate::server::store::rows::{identity_of, session_of, BackupRow, RowSink};
use crate::server::store::StoreError;
use deadpool_postgres::{Client, GenericClient};
use std::collections::HashMap;
use std::future::Future;
use std::time::Instant;
use tokio_postgres::types::{FromSql, ToSql};
use tokio_postgres::{IsolationLevel, Row};

pub(super) type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

pub(super) async fn exec(c: &impl GenericClient, sql: &str, params: Params<'_>) -> Result<u64, StoreError> {
    let statement = c.prepare_cached(sql).await.map_err(db)?;
    c.execute(&statement, params).await.map_err(db)
}

pub(super) async fn all(c: &impl GenericClient, sql: &str, params: Params<'_>) -> Result<Vec<Row>, StoreError> {
    let statement = c.prepare_cached(sql).await.map_err(db)?;
    c.query(&statement, params).await.map_err(db)
}

pub(super) async fn opt(c: &impl GenericClient, sql: &str, params: Params<'_>) -> Result<Option<Row>, StoreError> {
    let statement = c.prepare_cached(sql).await.map_err(db)?;
    c.query_opt(&statement, params).await.map_err(db)
}

pub(super) async fn one(c: &impl GenericClient, sql: &str, params: Params<'_>) -> Result<Row, StoreError> {
    let statement = c.prepare_cached(sql).await.map_err(db)?;
    c.query_one(&statement, params).await.map_err(db)
}

pub(super) fn col<'a, T: FromSql<'a>>(row: &'a Row, i: usize) -> Result<T, StoreError> {
    row.try_get(i).map_err(db)
}

pub(super) fn db(e: tokio_postgres::Error) -> StoreError {
    StoreError::Io(format!("PostgreSQL: {}", chain(&e)))
}

pub(super) fn cause(e: StoreError) -> String {
    match e {
        StoreError::Io(cause) | StoreError::NotDurable(cause) => cause,
    }
}

/// An error and the causes under it, as one line.
pub(super) fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        text = format!("{text}: {cause}");
        next = cause.source();
    }
    text
}

/// The URL as it may be shown: never its password.
pub(super) fn redacted(url: &str, parsed: Option<&tokio_postgres::Config>) -> String {
    let Some(config) = parsed else {
        // Unreadable, so shown only if it cannot hold a password.
        let safe = !url.contains('@') && !url.to_ascii_lowercase().contains("password");
        return if safe { url.to_owned() } else { "(a database URL that could not be read)".to_owned() };
    };
    let user = config.get_user().map(|u| format!("{u}{}@", if config.get_password().is_some() { ":***" } else { "" }));
    let ports = config.get_ports();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let name = match host {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            match ports.get(i).or(ports.first()) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    format!("postgres://{}{}/{}", user.unwrap_or_default(), hosts.join(","), config.get_dbname().unwrap_or(""))
}

/// Milliseconds as PostgreSQL's bigint (times past the year 292 million are clamped).
pub(super) fn signed(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

pub(super) fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

pub(super) fn count(value: u64) -> usize {
    usize::try_from(value).unwrap_or(usize::MAX)
}

pub(super) fn key32(bytes: &[u8]) -> Option<[u8; 32]> {
    bytes.try_into().ok()
}

/// The status in a row's columns `at..at + 3` (topic, status, changed_at); `None`, with a
/// warning, when this version cannot read it (it stays in the table untouched).
pub(super) fn recorded(row: &Row, at: usize) -> Result<Option<Recorded>, StoreError> {
    let (topic, code, changed_at): (&str, i16, i64) = (col(row, at)?, col(row, at + 1)?, col(row, at + 2)?);
    match (TopicId::parse(topic), u8::try_from(code).ok().and_then(Status::from_code)) {
        (Ok(topic), Some(status)) => Ok(Some(Recorded { topic, status, changed_at: unsigned(changed_at) })),
        _ => {
            tracing::warn!(%topic, code, "skipping a progress row with an unknown topic id or status");
            Ok(None)
        }
    }
}

pub(super) fn records(rows: &[Row]) -> Result<Vec<Recorded>, StoreError> {
    rows.iter().filter_map(|row| recorded(row, 0).transpose()).collect()
}

pub(super) async fn put_session(c: &impl GenericClient, s: &NewSession) -> Result<(), StoreError> {
    let (key, who) = (s.key.0.as_slice(), s.record.identity.0.as_slice());
    let (created, seen) = (signed(s.record.created_at), signed(s.record.last_seen));
    exec(
        c,
        "INSERT INTO sessions (key, identity, username, created_at, last_seen, device) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (key) DO UPDATE SET identity = excluded.identity, username = excluded.username, \
         created_at = excluded.created_at, last_seen = excluded.last_seen, device = excluded.device",
        &[&key, &who, &s.record.username.as_str(), &created, &seen, &s.record.device],
    )
    .await
    .map(drop)
}

/// Writes `from`'s statuses over `into`'s where newer (ties keep what `into` has).
pub(super) const MERGE_IDENTITY: &str = "INSERT INTO progress (identity, roadmap, topic, status, changed_at) \
     SELECT $1::bytea, roadmap, topic, status, changed_at FROM progress WHERE identity = $2 \
     ON CONFLICT (identity, roadmap, topic) DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at, \
     previous_status = NULL, previous_at = NULL WHERE progress.changed_at < excluded.changed_at";

/// Writes incoming statuses (one per topic) where newer than what is stored.
pub(super) const MERGE_INCOMING: &str = "INSERT INTO progress (identity, roadmap, topic, status, changed_at) \
     SELECT $1::bytea, r, t, s, c FROM unnest($2::text[], $3::text[], $4::smallint[], $5::bigint[]) AS i (r, t, s, c) \
     ON CONFLICT (identity, roadmap, topic) DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at, \
     previous_status = NULL, previous_at = NULL WHERE progress.changed_at < excluded.changed_at";

/// Sets one status and answers every status of the identity on the roadmap, in one statement
/// (the outer select sees the table before the write, so the written row comes from RETURNING).
/// What it replaces is kept for undo (`previous_status`: -1 when nothing was recorded; the
/// same status again keeps the older undo).
pub(super) const SET_STATUS: &str =
    "WITH written AS (INSERT INTO progress (identity, roadmap, topic, status, changed_at, previous_status) \
     VALUES ($1, $2, $3, $4, $5, -1) ON CONFLICT (identity, roadmap, topic) \
     DO UPDATE SET previous_status = CASE WHEN progress.status = excluded.status THEN progress.previous_status ELSE progress.status END, \
     previous_at = CASE WHEN progress.status = excluded.status THEN progress.previous_at ELSE progress.changed_at END, \
     status = excluded.status, changed_at = excluded.changed_at RETURNING topic, status, changed_at) \
     SELECT topic, status, changed_at FROM written UNION ALL SELECT topic, status, changed_at FROM progress \
     WHERE identity = $1 AND roadmap = $2 AND topic <> $3 ORDER BY topic";

/// `SET_STATUS` for whoever a token's hash names (a session started after `$6` and used after
/// `$8`, else an anonymous identity), in the same statement; no row when it names nobody.
/// An identity (or session) last seen at or before `$7` is marked seen by the statement, and
/// only the row that update returns is written for: a purge deleting it at the same moment
/// either removed it first (the update then finds no row, and nothing is written) or waits
/// and then sees it seen. One seen within the day is no purge candidate, so it is written
/// for without taking a lock (no extra write on the common path).
pub(super) const SET_STATUS_FOR_TOKEN: &str =
    "WITH ident AS (SELECT key, coalesce(last_seen, created_at) > $7 AS fresh \
     FROM identities WHERE key = $1), \
     sess AS (SELECT identity FROM sessions WHERE key = $1 AND created_at > $6 \
     AND coalesce(last_seen, created_at) > $8), \
     sseen AS (UPDATE sessions SET last_seen = $5 WHERE key = $1 AND key IN (SELECT $1::bytea FROM sess) \
     AND coalesce(last_seen, created_at) <= $7), \
     seen AS (UPDATE identities SET last_seen = $5 WHERE key IN (SELECT key FROM ident WHERE NOT fresh) \
     AND coalesce(last_seen, created_at) <= $7 RETURNING key), \
     who AS ((SELECT identity FROM sess) UNION ALL (SELECT key FROM ident WHERE fresh) \
     UNION ALL (SELECT key FROM seen) LIMIT 1), \
     written AS (INSERT INTO progress (identity, roadmap, topic, status, changed_at, previous_status) \
     SELECT identity, $2, $3, $4, $5, -1 FROM who ON CONFLICT (identity, roadmap, topic) \
     DO UPDATE SET previous_status = CASE WHEN progress.status = excluded.status THEN progress.previous_status ELSE progress.status END, \
     previous_at = CASE WHEN progress.status = excluded.status THEN progress.previous_at ELSE progress.changed_at END, \
     status = excluded.status, changed_at = excluded.changed_at RETURNING topic, status, changed_at) \
     SELECT topic, status, changed_at FROM written UNION ALL SELECT p.topic, p.status, p.changed_at \
     FROM progress p JOIN who ON p.identity = who.identity WHERE p.roadmap = $2 AND p.topic <> $3 \
     AND EXISTS (SELECT 1 FROM written) ORDER BY topic";

/// Applies the missing migrations in one transaction; answers the version found if it is
/// newer than this build knows (then nothing is changed).
pub(super) async fn migrate(mut client: Client) -> Result<Option<i32>, tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS backroad_schema (version integer PRIMARY KEY, description text NOT NULL, \
         applied_at timestamptz NOT NULL DEFAULT now())",
    )
    .await?;
    let found: Option<i32> = tx.query_one("SELECT max(version) FROM backroad_schema", &[]).await?.try_get(0)?;
    let found = found.unwrap_or(0);
    if found > SCHEMA_VERSION_PG {
        return Ok(Some(found));
    }
    for (version, description, sql) in MIGRATIONS.iter().filter(|(version, ..)| *version > found) {
        tx.batch_execute(sql).await?;
        tx.execute("INSERT INTO backroad_schema (version, description) VALUES ($1, $2)", &[version, description])
            .await?;
        tracing::info!(version, description, "applied a PostgreSQL schema migration");
    }
    tx.commit().await?;
    Ok(None)
}

/// Rows fetched per round trip while a backup reads a table.
const BATCH: usize = 5_000;

type Decode = fn(&Row) -> Result<Option<BackupRow>, StoreError>;

/// The tables a backup holds, in the order sled writes them, each in key order.
const TABLES: [(&str, &str, Decode); 7] = [
    (
        "identities",
        "SELECT key, created_at, coalesce(last_seen, created_at) FROM identities ORDER BY key",
        identity_row,
    ),
    (
        "progress",
        "SELECT identity, roadmap, topic, status, changed_at FROM progress ORDER BY identity, roadmap, topic",
        status_row,
    ),
    (
        "notes",
        "SELECT identity, roadmap, topic, note, changed_at FROM notes ORDER BY identity, roadmap, topic",
        super::notes_io::note_row,
    ),
    ("accounts", "SELECT username, identity, password_hash, created_at FROM accounts ORDER BY username", account_row),
    (
        "sessions",
        "SELECT key, identity, username, created_at, coalesce(last_seen, created_at), device FROM sessions ORDER BY key",
        session_row,
    ),
    ("profiles", "SELECT identity, display_name FROM profiles ORDER BY identity", profile_row),
    ("shares", "SELECT code, identity, roadmap, created_at FROM shares ORDER BY code", share_row),
];

impl PgStore {
    /// Every row to `sink`. Each step (not the whole copy, which may take minutes) has the
    /// time limit; a copy that fails closes its connection.
    pub(super) async fn backup(&self, sink: &mut (dyn RowSink + Send)) -> Result<(), StoreError> {
        let started = Instant::now();
        let result = match self.lease(tokio::time::Instant::now() + self.timeout).await {
            Ok(mut client) => {
                let copied = self.copy(&mut client, sink).await;
                if copied.is_err() {
                    self.discard(client);
                }
                copied
            }
            Err(e) => Err(e),
        };
        crate::server::metrics::observe_store("postgres", "backup_rows", started.elapsed(), result.is_ok());
        result
    }

    async fn copy(&self, client: &mut Client, sink: &mut (dyn RowSink + Send)) -> Result<(), StoreError> {
        let snapshot = client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true);
        let tx = self.step(snapshot.start()).await?;
        for (table, sql, decode) in TABLES {
            let portal = self.step(tx.bind(sql, &[])).await?;
            loop {
                let rows = self.step(tx.query_portal(&portal, BATCH as i32)).await?;
                for row in &rows {
                    match decode(row)? {
                        Some(out) => sink.row(out).map_err(|e| StoreError::Io(format!("backup: {e}")))?,
                        None => tracing::warn!(table, "backup: skipping a row this version cannot read"),
                    }
                }
                if rows.len() < BATCH {
                    break;
                }
            }
        }
        self.step(tx.commit()).await
    }

    async fn step<T>(&self, work: impl Future<Output = Result<T, tokio_postgres::Error>>) -> Result<T, StoreError> {
        tokio::time::timeout(self.timeout, work).await.map_err(|_| self.late("backup_rows"))?.map_err(db)
    }

    /// Writes a batch of backup rows in one transaction; durable when it resolves.
    pub(super) async fn restore(&self, rows: Vec<BackupRow>) -> Result<(), StoreError> {
        let batch = Batch::of(rows).map_err(|e| StoreError::Io(format!("restore: {e}")))?;
        pg!(self, "restore_rows", |c| {
            let tx = c.transaction().await.map_err(db)?;
            batch.write(&tx).await?;
            tx.commit().await.map_err(db)
        })
    }
}

fn identity_row(row: &Row) -> Result<Option<BackupRow>, StoreError> {
    let (created_at, last_seen) = (unsigned(col(row, 1)?), unsigned(col(row, 2)?));
    Ok(key32(col(row, 0)?).map(|key| BackupRow::identity(&IdentityKey(key), created_at, last_seen)))
}

fn status_row(row: &Row) -> Result<Option<BackupRow>, StoreError> {
    let (who, roadmap) = (key32(col(row, 0)?), RoadmapId::parse(col(row, 1)?));
    let (Some(who), Ok(roadmap), Some(r)) = (who, roadmap, recorded(row, 2)?) else { return Ok(None) };
    Ok(Some(BackupRow::status(&IdentityKey(who), roadmap, r.topic, r.status, r.changed_at)))
}

fn account_row(row: &Row) -> Result<Option<BackupRow>, StoreError> {
    let (Ok(name), Some(who)) = (Username::parse(col(row, 0)?), key32(col(row, 1)?)) else { return Ok(None) };
    let account =
        AccountRecord { identity: IdentityKey(who), password_hash: col(row, 2)?, created_at: unsigned(col(row, 3)?) };
    Ok(Some(BackupRow::account(&name, &account)))
}

fn session_row(row: &Row) -> Result<Option<BackupRow>, StoreError> {
    let (Some(key), Some(record)) = (key32(col(row, 0)?), super::sessions_io::session_at(row, 1)?) else {
        return Ok(None);
    };
    Ok(Some(BackupRow::session(&SessionKey(key), &record)))
}

fn profile_row(row: &Row) -> Result<Option<BackupRow>, StoreError> {
    let name: &str = col(row, 1)?;
    Ok(key32(col(row, 0)?).map(|who| BackupRow::profile(&IdentityKey(who), name)))
}

fn share_row(row: &Row) -> Result<Option<BackupRow>, StoreError> {
    let (code, who, roadmap) = (ShareCode::parse(col(row, 0)?), key32(col(row, 1)?), RoadmapId::parse(col(row, 2)?));
    let (Some(code), Some(who), Ok(roadmap)) = (code, who, roadmap) else { return Ok(None) };
    let share = ShareRecord { identity: IdentityKey(who), roadmap, created_at: unsigned(col(row, 3)?) };
    Ok(Some(BackupRow::share(&code, &share)))
}

type Key = [u8; 32];

/// One restore batch, checked and grouped by table. A key given twice keeps its last row (as
/// sled does); one insert cannot touch a row twice.
#[derive(Default)]
struct Batch {
    identities: HashMap<Key, (u64, u64)>,
    progress: HashMap<(Key, RoadmapId, TopicId), (Status, u64)>,
    notes: HashMap<super::notes_io::NoteKey, (String, u64)>,
    accounts: HashMap<Username, (Key, String, u64)>,
    sessions: HashMap<Key, (Key, Username, u64, u64, String)>,
    profiles: HashMap<Key, String>,
    shares: HashMap<String, (Key, RoadmapId, u64)>,
}

impl Batch {
    fn of(rows: Vec<BackupRow>) -> Result<Batch, String> {
        let mut b = Batch::default();
        for row in rows {
            match row {
                BackupRow::Identity { key, created_at, last_seen } => {
                    b.identities.insert(identity_of(&key)?.0, (created_at, last_seen.unwrap_or(created_at)));
                }
                BackupRow::Status { identity, roadmap, topic, status, changed_at } => {
                    b.progress.insert((identity_of(&identity)?.0, roadmap, topic), (status, changed_at));
                }
                BackupRow::Note { identity, roadmap, topic, note, changed_at } => {
                    b.notes.insert((identity_of(&identity)?.0, roadmap, topic), (note, changed_at));
                }
                BackupRow::Account { username, identity, password_hash, created_at } => {
                    b.accounts.insert(username, (identity_of(&identity)?.0, password_hash, created_at));
                }
                BackupRow::Session { key, identity, username, created_at, last_seen, device } => {
                    let seen = last_seen.unwrap_or(created_at);
                    b.sessions
                        .insert(session_of(&key)?.0, (identity_of(&identity)?.0, username, created_at, seen, device));
                }
                BackupRow::Profile { identity, display_name } => {
                    b.profiles.insert(identity_of(&identity)?.0, display_name);
                }
                BackupRow::Share { code, identity, roadmap, created_at } => {
                    let code = ShareCode::parse(&code).ok_or_else(|| format!("`{code}` is not a share code"))?;
                    b.shares.insert(code.as_str().to_owned(), (identity_of(&identity)?.0, roadmap, created_at));
                }
            }
        }
        Ok(b)
    }

    async fn write(&self, tx: &impl GenericClient) -> Result<(), StoreError> {
        if !self.identities.is_empty() {
            let (mut keys, mut created, mut seen): (Vec<&[u8]>, Vec<i64>, Vec<i64>) = (vec![], vec![], vec![]);
            for (k, (at, last)) in &self.identities {
                keys.push(&k[..]);
                created.push(signed(*at));
                seen.push(signed(*last));
            }
            let sql = "INSERT INTO identities (key, created_at, last_seen) \
                       SELECT * FROM unnest($1::bytea[], $2::bigint[], $3::bigint[]) \
                       ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at, last_seen = excluded.last_seen";
            exec(tx, sql, &[&keys, &created, &seen]).await?;
        }
        if !self.progress.is_empty() {
            let (mut who, mut roadmaps, mut topics, mut codes, mut times) = (vec![], vec![], vec![], vec![], vec![]);
            for ((k, roadmap, topic), (status, at)) in &self.progress {
                who.push(&k[..]);
                roadmaps.push(roadmap.as_str());
                topics.push(topic.as_str());
                codes.push(i16::from(status.code()));
                times.push(signed(*at));
            }
            let sql = "INSERT INTO progress (identity, roadmap, topic, status, changed_at) \
                       SELECT * FROM unnest($1::bytea[], $2::text[], $3::text[], $4::smallint[], $5::bigint[]) \
                       ON CONFLICT (identity, roadmap, topic) \
                       DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at";
            exec(tx, sql, &[&who, &roadmaps, &topics, &codes, &times]).await?;
        }
        super::notes_io::restore_notes(tx, &self.notes).await?;
        if !self.accounts.is_empty() {
            let (mut names, mut who, mut hashes, mut times) = (vec![], vec![], vec![], vec![]);
            for (name, (k, hash, at)) in &self.accounts {
                names.push(name.as_str());
                who.push(&k[..]);
                hashes.push(hash.as_str());
                times.push(signed(*at));
            }
            let sql = "INSERT INTO accounts (username, identity, password_hash, created_at) \
                       SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[], $4::bigint[]) ON CONFLICT (username) \
                       DO UPDATE SET identity = excluded.identity, password_hash = excluded.password_hash, \
                       created_at = excluded.created_at";
            exec(tx, sql, &[&names, &who, &hashes, &times]).await?;
        }
        if !self.sessions.is_empty() {
            let (mut keys, mut who, mut names, mut times) = (vec![], vec![], vec![], vec![]);
            let (mut seen, mut devices) = (vec![], vec![]);
            for (k, (identity, name, at, last, device)) in &self.sessions {
                keys.push(&k[..]);
                who.push(&identity[..]);
                names.push(name.as_str());
                times.push(signed(*at));
                seen.push(signed(*last));
                devices.push(device.as_str());
            }
            let sql = "INSERT INTO sessions (key, identity, username, created_at, last_seen, device) \
                       SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::text[], $4::bigint[], $5::bigint[], \
                       $6::text[]) ON CONFLICT (key) DO UPDATE SET identity = excluded.identity, \
                       username = excluded.username, created_at = excluded.created_at, \
                       last_seen = excluded.last_seen, device = excluded.device";
            exec(tx, sql, &[&keys, &who, &names, &times, &seen, &devices]).await?;
        }
        if !self.profiles.is_empty() {
            let (who, names): (Vec<&[u8]>, Vec<&str>) = self.profiles.iter().map(|(k, n)| (&k[..], n.as_str())).unzip();
            let sql = "INSERT INTO profiles (identity, display_name) SELECT * FROM unnest($1::bytea[], $2::text[]) \
                       ON CONFLICT (identity) DO UPDATE SET display_name = excluded.display_name";
            exec(tx, sql, &[&who, &names]).await?;
        }
        if !self.shares.is_empty() {
            let (mut codes, mut who, mut roadmaps, mut times) = (vec![], vec![], vec![], vec![]);
            for (code, (k, roadmap, at)) in &self.shares {
                codes.push(code.as_str());
                who.push(&k[..]);
                roadmaps.push(roadmap.as_str());
                times.push(signed(*at));
            }
            let sql = "INSERT INTO shares (code, identity, roadmap, created_at) \
                       SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[], $4::bigint[]) ON CONFLICT (code) \
                       DO UPDATE SET identity = excluded.identity, roadmap = excluded.roadmap, \
                       created_at = excluded.created_at";
            exec(tx, sql, &[&codes, &who, &roadmaps, &times]).await?;
        }
        Ok(())
    }
}
