//! `PgStore`: the PostgreSQL implementation of `Store` and `Attempts`, for several app servers
//! on one database. Every operation takes a pooled connection and runs under the configured
//! time limit; a write is durable when its commit returns, and each multi-step flow is one
//! transaction. The schema is embedded (`pg_migrations/`) and brought up to date at start-up.
//! The statements' helpers, the migration runner, backup and restore live in `pg_rows.rs`.
//!
//! Why tokio-postgres with deadpool-postgres: an async driver that pipelines requests on a
//! connection, small, no ORM (the SQL is here to read), and a pool with wait, create and
//! recycle timeouts, so an unreachable database fails a request fast instead of hanging it.

use super::accounts::{AccountRecord, NewSession, SessionRecord, ShareRecord};
use super::rows::{BackupRow, RowSink};
use super::{OpenError, SignUpOutcome, Store, StoreError, TokenLookup};
use crate::roadmap::account::Username;
use crate::roadmap::changes::{VisitRecord, Visits};
use crate::roadmap::notes::NoteRecord;
use crate::roadmap::progress::{Previous, Recorded};
use crate::roadmap::share::ShareCode;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::{IdentityKey, SessionKey};
use deadpool_postgres::{Client, Manager, ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::time::error::Elapsed;
use tokio_postgres::NoTls;

/// Every schema migration, oldest first: version, what it does, its SQL.
const MIGRATIONS: &[(i32, &str, &str)] = &[
    (1, "initial schema", include_str!("pg_migrations/0001_initial.sql")),
    (
        2,
        "last seen of identities and sessions, devices, site secrets",
        include_str!("pg_migrations/0002_last_seen.sql"),
    ),
    (3, "private notes, the status before the last change", include_str!("pg_migrations/0003_notes.sql")),
    (4, "visits, for what changed since a learner's last visit", include_str!("pg_migrations/0004_visits.sql")),
];
/// The newest schema version this build knows (and creates).
pub const SCHEMA_VERSION_PG: i32 = MIGRATIONS[MIGRATIONS.len() - 1].0;
/// Advisory lock held by whoever migrates, so servers starting together take turns ("backroad").
const MIGRATION_LOCK: i64 = 0x6261_636b_726f_6164;
/// A migration may take longer than one request may.
const MIGRATION_TIME: Duration = Duration::from_secs(300);
/// Advisory lock namespace for share links: one owner's links are created one at a time.
const SHARE_LOCK: i32 = 0x7368_6172;
/// Every this many attempts, old attempt rows are swept out.
const SWEEP_EVERY: u64 = 1000;
/// Attempts younger than this are never swept, whatever the windows this server has seen.
const KEEP_ATTEMPTS: Duration = Duration::from_secs(60 * 60);

/// Where the database is and how long anything may take (waiting for a connection,
/// connecting, and each operation's statements).
#[derive(Clone)]
pub struct PgSettings {
    pub url: String,
    pub pool_size: usize,
    pub timeout: Duration,
}

impl std::fmt::Debug for PgSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = redacted(&self.url, self.url.parse().ok().as_ref());
        f.debug_struct("PgSettings")
            .field("url", &url)
            .field("pool_size", &self.pool_size)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The store on PostgreSQL. Cheap to clone: clones share the pool.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    timeout: Duration,
    sweep: Arc<Sweep>,
}

/// When to sweep old attempts: hits so far, and the longest window seen (ms).
#[derive(Default)]
struct Sweep {
    hits: AtomicU64,
    longest_ms: AtomicU64,
}

/// Runs `$body` (the inside of an async block answering `Result<_, StoreError>`) as the store
/// operation `$op`, with `$c` a pooled connection (`&mut Client`), under the time limit, with
/// metrics. A connection whose work ran out of time is cancelled and closed, never reused.
macro_rules! pg {
    ($store:expr, $op:literal, |$c:ident| $body:block) => {{
        let store: &PgStore = $store;
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + store.timeout;
        let result = match store.lease(deadline).await {
            Ok(mut client) => {
                let outcome = {
                    let $c = &mut client;
                    tokio::time::timeout_at(deadline, async move {
                        let answer: Result<_, StoreError> = $body;
                        answer
                    })
                    .await
                };
                store.settle($op, client, outcome)
            }
            Err(e) => Err(e),
        };
        crate::server::metrics::observe_store("postgres", $op, started.elapsed(), result.is_ok());
        result
    }};
}

#[path = "pg_rows.rs"]
mod rows_io;

#[path = "pg_accounts.rs"]
mod accounts_io;
#[path = "pg_attempts.rs"]
mod attempts_io;
#[path = "pg_notes.rs"]
mod notes_io;
#[path = "pg_purge.rs"]
mod purge_io;
#[path = "pg_sessions.rs"]
mod sessions_io;
#[path = "pg_undo.rs"]
mod undo_io;
#[path = "pg_visits.rs"]
mod visits_io;
use rows_io::{
    all, cause, chain, col, count, exec, key32, migrate, one, opt, recorded, records, redacted, signed, unsigned,
    MERGE_INCOMING, SET_STATUS, SET_STATUS_FOR_TOKEN,
};
use sessions_io::{session_at, SESSION_COLUMNS};

impl PgStore {
    /// Connects, and creates or upgrades the schema. Fails if the database is unreachable
    /// within the timeout, or holds a schema newer than this build knows.
    pub async fn open(settings: &PgSettings) -> Result<PgStore, OpenError> {
        let parsed = settings.url.parse::<tokio_postgres::Config>();
        let url = redacted(&settings.url, parsed.as_ref().ok());
        let fail = |cause: String| OpenError::Database { url: url.clone(), cause };
        let mut config = parsed.map_err(|e| fail(format!("not a PostgreSQL URL: {}", chain(&e))))?;
        config.connect_timeout(settings.timeout).keepalives(true).keepalives_idle(Duration::from_secs(30));
        // A connection whose packets go unanswered this long is closed (and leaves the pool).
        config.tcp_user_timeout(settings.timeout.max(Duration::from_secs(1)));
        if config.get_application_name().is_none() {
            config.application_name("backroad");
        }
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(settings.pool_size.max(1))
            .wait_timeout(Some(settings.timeout))
            .create_timeout(Some(settings.timeout))
            .recycle_timeout(Some(settings.timeout))
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| fail(format!("could not build the connection pool: {e}")))?;
        let store = PgStore { pool, timeout: settings.timeout, sweep: Arc::default() };
        let client = store.lease(tokio::time::Instant::now() + store.timeout).await.map_err(|e| fail(cause(e)))?;
        match tokio::time::timeout(store.timeout.max(MIGRATION_TIME), migrate(client)).await {
            Ok(Ok(None)) => Ok(store),
            Ok(Ok(Some(found))) => Err(OpenError::SchemaTooNew { url, found, known: SCHEMA_VERSION_PG }),
            Ok(Err(e)) => Err(fail(format!("could not bring the schema up to date: {}", chain(&e)))),
            Err(_) => Err(fail(format!("the schema migration took longer than {MIGRATION_TIME:?}"))),
        }
    }

    /// Bytes the database takes on disk.
    pub async fn size_on_disk(&self) -> Result<u64, StoreError> {
        pg!(self, "size_on_disk", |c| {
            let row = one(c, "SELECT pg_database_size(current_database())", &[]).await?;
            Ok(unsigned(col(&row, 0)?))
        })
    }

    async fn lease(&self, deadline: tokio::time::Instant) -> Result<Client, StoreError> {
        match tokio::time::timeout_at(deadline, self.pool.get()).await {
            Ok(Ok(client)) => Ok(client),
            Ok(Err(deadpool_postgres::PoolError::Backend(e))) => {
                Err(StoreError::Io(format!("no connection to PostgreSQL: {}", chain(&e))))
            }
            Ok(Err(e)) => Err(StoreError::Io(format!("no connection to PostgreSQL: {e}"))),
            Err(_) => Err(self.late("connect")),
        }
    }

    fn settle<T>(
        &self,
        op: &str,
        client: Client,
        outcome: Result<Result<T, StoreError>, Elapsed>,
    ) -> Result<T, StoreError> {
        match outcome {
            Ok(answer) => answer,
            Err(_) => {
                self.discard(client);
                Err(self.late(op))
            }
        }
    }

    /// Closes a connection whose request may still be running, and asks the server to cancel it.
    fn discard(&self, client: Client) {
        let cancel = client.cancel_token();
        drop(Object::take(client));
        let limit = self.timeout;
        tokio::spawn(async move {
            let _ = tokio::time::timeout(limit, cancel.cancel_query(NoTls)).await;
        });
    }

    fn late(&self, op: &str) -> StoreError {
        StoreError::Io(format!("PostgreSQL did not answer within {:?} ({op})", self.timeout))
    }
}

#[async_trait::async_trait]
impl Store for PgStore {
    async fn ping(&self) -> Result<(), StoreError> {
        pg!(self, "ping", |c| { exec(c, "SELECT 1", &[]).await.map(drop) })
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn lookup_token(&self, key: &IdentityKey) -> Result<TokenLookup, StoreError> {
        pg!(self, "lookup_token", |c| {
            // One round trip: the session with this key, else the identity with it.
            let sql = format!(
                "SELECT {SESSION_COLUMNS} FROM sessions WHERE key = $1 UNION ALL \
                 SELECT NULL, NULL, 0, coalesce(last_seen, created_at), NULL FROM identities WHERE key = $1 LIMIT 1"
            );
            let Some(row) = opt(c, &sql, &[&key.0.as_slice()]).await? else { return Ok(TokenLookup::Unknown) };
            let identity: Option<&[u8]> = col(&row, 0)?;
            if identity.is_none() {
                return Ok(TokenLookup::Identity { last_seen: unsigned(col(&row, 3)?) });
            }
            Ok(session_at(&row, 0)?.map_or(TokenLookup::Unknown, TokenLookup::Session))
        })
    }

    async fn identity_exists(&self, who: &IdentityKey) -> Result<bool, StoreError> {
        pg!(self, "identity_exists", |c| {
            Ok(opt(c, "SELECT 1 FROM identities WHERE key = $1", &[&who.0.as_slice()]).await?.is_some())
        })
    }

    async fn create_identity(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError> {
        pg!(self, "create_identity", |c| {
            let sql = "INSERT INTO identities (key, created_at, last_seen) VALUES ($1, $2, $2) \
                       ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at, last_seen = excluded.last_seen";
            exec(c, sql, &[&who.0.as_slice(), &signed(now_ms)]).await.map(drop)
        })
    }

    async fn touch_identity(&self, who: &IdentityKey, now_ms: u64) -> Result<(), StoreError> {
        pg!(self, "touch_identity", |c| {
            let sql = "UPDATE identities SET last_seen = $2 WHERE key = $1";
            exec(c, sql, &[&who.0.as_slice(), &signed(now_ms)]).await.map(drop)
        })
    }

    async fn statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Arc<Vec<Recorded>>, StoreError> {
        pg!(self, "statuses", |c| {
            let sql =
                "SELECT topic, status, changed_at FROM progress WHERE identity = $1 AND roadmap = $2 ORDER BY topic";
            records(&all(c, sql, &[&who.0.as_slice(), &roadmap.as_str()]).await?).map(Arc::new)
        })
    }

    async fn set_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        now_ms: u64,
    ) -> Result<Vec<Recorded>, StoreError> {
        pg!(self, "set_status", |c| {
            let (code, at) = (i16::from(status.code()), signed(now_ms));
            records(&all(c, SET_STATUS, &[&who.0.as_slice(), &roadmap.as_str(), &topic.as_str(), &code, &at]).await?)
        })
    }

    async fn set_status_for_token(
        &self,
        key: &IdentityKey,
        sessions: super::SessionCutoff,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        now_ms: u64,
    ) -> Result<Option<Vec<Recorded>>, StoreError> {
        pg!(self, "set_status_for_token", |c| {
            let (code, at) = (i16::from(status.code()), signed(now_ms));
            let (since, seen) = (signed(sessions.started_after_ms), signed(sessions.seen_after_ms));
            let stale = signed(now_ms.saturating_sub(super::purge::SEEN_EVERY_MS));
            let params: [&(dyn tokio_postgres::types::ToSql + Sync); 8] =
                [&key.0.as_slice(), &roadmap.as_str(), &topic.as_str(), &code, &at, &since, &stale, &seen];
            let rows = all(c, SET_STATUS_FOR_TOKEN, &params).await?;
            // The statement writes a row whenever the token names someone, so no row means nobody.
            if rows.is_empty() {
                return Ok(None);
            }
            records(&rows).map(Some)
        })
    }

    async fn previous_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Previous>, StoreError> {
        self.read_previous(who, roadmap, topic).await
    }

    async fn undo_status(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Vec<Recorded>>, StoreError> {
        self.undo(who, roadmap, topic).await
    }

    async fn all_statuses(&self, who: &IdentityKey) -> Result<BTreeMap<RoadmapId, Vec<Recorded>>, StoreError> {
        pg!(self, "all_statuses", |c| {
            let sql =
                "SELECT roadmap, topic, status, changed_at FROM progress WHERE identity = $1 ORDER BY roadmap, topic";
            let mut out: BTreeMap<RoadmapId, Vec<Recorded>> = BTreeMap::new();
            for row in all(c, sql, &[&who.0.as_slice()]).await? {
                let roadmap: &str = col(&row, 0)?;
                match (RoadmapId::parse(roadmap), recorded(&row, 1)?) {
                    (Ok(roadmap), Some(record)) => out.entry(roadmap).or_default().push(record),
                    (Err(_), _) => tracing::warn!(%roadmap, "skipping a progress row with an unknown roadmap id"),
                    (Ok(_), None) => {}
                }
            }
            Ok(out)
        })
    }

    async fn clear_statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        pg!(self, "clear_statuses", |c| {
            let sql = "DELETE FROM progress WHERE identity = $1 AND roadmap = $2";
            exec(c, sql, &[&who.0.as_slice(), &roadmap.as_str()]).await.map(count)
        })
    }

    async fn merge_statuses(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<Recorded>>,
    ) -> Result<usize, StoreError> {
        // Several records for one topic collapse to the newest (the first of equals), as in sled.
        let mut newest: BTreeMap<(RoadmapId, TopicId), (Status, u64)> = BTreeMap::new();
        for (roadmap, records) in incoming {
            for r in records {
                let slot = newest.entry((roadmap.clone(), r.topic)).or_insert((r.status, r.changed_at));
                if r.changed_at > slot.1 {
                    *slot = (r.status, r.changed_at);
                }
            }
        }
        let roadmaps: Vec<&str> = newest.keys().map(|(roadmap, _)| roadmap.as_str()).collect();
        let topics: Vec<&str> = newest.keys().map(|(_, topic)| topic.as_str()).collect();
        let codes: Vec<i16> = newest.values().map(|(status, _)| i16::from(status.code())).collect();
        let times: Vec<i64> = newest.values().map(|(_, at)| signed(*at)).collect();
        if roadmaps.is_empty() {
            return Ok(0);
        }
        pg!(self, "merge_statuses", |c| {
            exec(c, MERGE_INCOMING, &[&who.0.as_slice(), &roadmaps, &topics, &codes, &times]).await.map(count)
        })
    }

    async fn notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Vec<NoteRecord>, StoreError> {
        self.read_notes(who, roadmap).await
    }

    async fn set_note(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        text: Option<&str>,
        now_ms: u64,
    ) -> Result<(), StoreError> {
        self.write_note(who, roadmap, topic, text, now_ms).await
    }

    async fn visits(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Visits, StoreError> {
        self.read_visits(who, roadmap).await
    }

    async fn set_visit(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: Option<&TopicId>,
        visit: VisitRecord,
    ) -> Result<(), StoreError> {
        self.write_visit(who, roadmap, topic, visit).await
    }

    async fn all_notes(&self, who: &IdentityKey) -> Result<BTreeMap<RoadmapId, Vec<NoteRecord>>, StoreError> {
        self.read_all_notes(who).await
    }

    async fn clear_notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        self.delete_notes(who, roadmap).await
    }

    async fn merge_notes(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<NoteRecord>>,
    ) -> Result<usize, StoreError> {
        self.merge_incoming_notes(who, incoming).await
    }

    async fn account(&self, name: &Username) -> Result<Option<AccountRecord>, StoreError> {
        pg!(self, "account", |c| {
            let sql = "SELECT identity, password_hash, created_at FROM accounts WHERE username = $1";
            let Some(row) = opt(c, sql, &[&name.as_str()]).await? else { return Ok(None) };
            let Some(identity) = key32(col(&row, 0)?) else {
                tracing::warn!(%name, "skipping an account whose identity is not 32 bytes");
                return Ok(None);
            };
            let created_at = unsigned(col(&row, 2)?);
            Ok(Some(AccountRecord { identity: IdentityKey(identity), password_hash: col(&row, 1)?, created_at }))
        })
    }

    async fn sign_up(
        &self,
        name: &Username,
        account: &AccountRecord,
        session: &NewSession,
    ) -> Result<SignUpOutcome, StoreError> {
        self.sign_up_in_db(name, account, session).await
    }

    async fn sign_in(
        &self,
        session: &NewSession,
        merge_from: Option<&IdentityKey>,
        end: Option<&SessionKey>,
    ) -> Result<usize, StoreError> {
        self.sign_in_in_db(session, merge_from, end).await
    }

    async fn change_password(
        &self,
        name: &Username,
        hash: &str,
        keep: Option<&SessionKey>,
        start: Option<&NewSession>,
    ) -> Result<usize, StoreError> {
        self.change_password_in_db(name, hash, keep, start).await
    }

    async fn session(&self, key: &SessionKey) -> Result<Option<SessionRecord>, StoreError> {
        self.read_session(key).await
    }

    async fn touch_session(&self, key: &SessionKey, now_ms: u64) -> Result<(), StoreError> {
        self.mark_session_seen(key, now_ms).await
    }

    async fn sessions_of(&self, who: &IdentityKey) -> Result<Vec<(SessionKey, SessionRecord)>, StoreError> {
        self.list_sessions(who).await
    }

    async fn end_sessions_of(&self, who: &IdentityKey, keep: Option<&SessionKey>) -> Result<usize, StoreError> {
        self.end_sessions_except(who, keep).await
    }

    async fn end_session(&self, key: &SessionKey) -> Result<(), StoreError> {
        pg!(self, "end_session", |c| {
            exec(c, "DELETE FROM sessions WHERE key = $1", &[&key.0.as_slice()]).await.map(drop)
        })
    }

    async fn display_name(&self, who: &IdentityKey) -> Result<Option<String>, StoreError> {
        self.display_name_in_db(who).await
    }

    async fn set_display_name(&self, who: &IdentityKey, name: Option<&str>) -> Result<(), StoreError> {
        self.set_display_name_in_db(who, name).await
    }

    async fn create_share(&self, code: &ShareCode, share: &ShareRecord, max: usize) -> Result<bool, StoreError> {
        self.create_share_in_db(code, share, max).await
    }

    async fn share(&self, code: &ShareCode) -> Result<Option<ShareRecord>, StoreError> {
        self.share_in_db(code).await
    }

    async fn shares_of(&self, who: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError> {
        self.shares_of_in_db(who).await
    }

    async fn revoke_share(&self, who: &IdentityKey, code: &ShareCode) -> Result<bool, StoreError> {
        self.revoke_share_in_db(who, code).await
    }

    async fn secret(&self, name: &str) -> Result<[u8; 32], StoreError> {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|e| StoreError::Io(e.to_string()))?;
        pg!(self, "secret", |c| {
            // Whoever inserts first wins; everyone reads the winner's.
            let insert = "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
            exec(c, insert, &[&name, &fresh.as_slice()]).await?;
            let row = one(c, "SELECT value FROM secrets WHERE name = $1", &[&name]).await?;
            let value: &[u8] = col(&row, 0)?;
            key32(value).ok_or_else(|| StoreError::Io(format!("the secret {name} has an unknown layout")))
        })
    }

    async fn purge(&self, rules: &super::Purge) -> Result<super::Purged, StoreError> {
        self.purge_now(rules).await
    }

    async fn backup_rows(&self, sink: &mut (dyn RowSink + Send)) -> Result<(), StoreError> {
        self.backup(sink).await
    }

    async fn holds_data(&self) -> Result<bool, StoreError> {
        pg!(self, "holds_data", |c| {
            let sql = "SELECT EXISTS (SELECT 1 FROM identities) OR EXISTS (SELECT 1 FROM progress) \
                       OR EXISTS (SELECT 1 FROM notes) \
                       OR EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM sessions) \
                       OR EXISTS (SELECT 1 FROM profiles) OR EXISTS (SELECT 1 FROM shares)";
            col(&one(c, sql, &[]).await?, 0)
        })
    }

    async fn restore_rows(&self, rows: Vec<BackupRow>) -> Result<(), StoreError> {
        self.restore(rows).await
    }
}
