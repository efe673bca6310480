//! Sessions on PostgreSQL: reading them (one decoder for every query that returns one),
//! marking them used, listing and ending an identity's sessions.

use super::rows_io::{all, col, exec, key32, opt, signed, unsigned};
use super::PgStore;
use crate::roadmap::account::Username;
use crate::server::identity::{IdentityKey, SessionKey};
use crate::server::store::accounts::SessionRecord;
use crate::server::store::StoreError;
use std::time::Instant;
use tokio_postgres::Row;

/// The columns `session_at` reads, in its order.
pub(super) const SESSION_COLUMNS: &str = "identity, username, created_at, coalesce(last_seen, created_at), device";

/// The session in columns `at..at + 5` (`SESSION_COLUMNS`); `None`, with a warning, for a
/// row this version cannot read.
pub(super) fn session_at(row: &Row, at: usize) -> Result<Option<SessionRecord>, StoreError> {
    let identity: Option<&[u8]> = col(row, at)?;
    let username: Option<&str> = col(row, at + 1)?;
    match (identity.and_then(key32), username.map(Username::parse)) {
        (Some(identity), Some(Ok(username))) => Ok(Some(SessionRecord {
            identity: IdentityKey(identity),
            username,
            created_at: unsigned(col(row, at + 2)?),
            last_seen: unsigned(col(row, at + 3)?),
            device: col::<Option<String>>(row, at + 4)?.unwrap_or_default(),
        })),
        _ => {
            tracing::warn!("skipping a session row this version cannot read");
            Ok(None)
        }
    }
}

impl PgStore {
    pub(super) async fn read_session(&self, key: &SessionKey) -> Result<Option<SessionRecord>, StoreError> {
        pg!(self, "session", |c| {
            let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE key = $1");
            match opt(c, &sql, &[&key.0.as_slice()]).await? {
                Some(row) => session_at(&row, 0),
                None => Ok(None),
            }
        })
    }

    pub(super) async fn mark_session_seen(&self, key: &SessionKey, now_ms: u64) -> Result<(), StoreError> {
        pg!(self, "touch_session", |c| {
            let sql = "UPDATE sessions SET last_seen = $2 WHERE key = $1";
            exec(c, sql, &[&key.0.as_slice(), &signed(now_ms)]).await.map(drop)
        })
    }

    pub(super) async fn list_sessions(
        &self,
        who: &IdentityKey,
    ) -> Result<Vec<(SessionKey, SessionRecord)>, StoreError> {
        pg!(self, "sessions_of", |c| {
            let sql = format!("SELECT key, {SESSION_COLUMNS} FROM sessions WHERE identity = $1");
            let mut out = Vec::new();
            for row in all(c, &sql, &[&who.0.as_slice()]).await? {
                if let (Some(key), Some(session)) = (key32(col(&row, 0)?), session_at(&row, 1)?) {
                    out.push((SessionKey(key), session));
                }
            }
            Ok(out)
        })
    }

    pub(super) async fn end_sessions_except(
        &self,
        who: &IdentityKey,
        keep: Option<&SessionKey>,
    ) -> Result<usize, StoreError> {
        pg!(self, "end_sessions_of", |c| {
            let sql = "DELETE FROM sessions WHERE identity = $1 AND key IS DISTINCT FROM $2::bytea";
            let ended = exec(c, sql, &[&who.0.as_slice(), &keep.map(|k| k.0.as_slice())]).await?;
            Ok(usize::try_from(ended).unwrap_or(usize::MAX))
        })
    }
}
