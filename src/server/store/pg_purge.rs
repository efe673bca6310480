//! `Store::purge` on PostgreSQL: each rule is a few statements that delete a bounded batch at
//! a time (so no statement outlives the time limit, however much there is to do). Every
//! delete checks an identity's last-seen time in its own WHERE clause: a write that locked
//! and marked the row seen meanwhile (`SET_STATUS_FOR_TOKEN`) makes the delete skip it.

use super::rows_io::{col, exec, one, signed, unsigned};
use super::PgStore;
use crate::server::store::purge::{Purge, Purged};
use crate::server::store::StoreError;
use std::time::Instant;

/// Rows removed per statement.
const BATCH: i64 = 2_000;

/// Anonymous identities last seen before `$1` that hold nothing.
const EMPTY: &str = "WITH gone AS (DELETE FROM identities WHERE key IN (SELECT i.key FROM identities i \
     WHERE coalesce(i.last_seen, i.created_at) < $1 \
     AND NOT EXISTS (SELECT 1 FROM progress p WHERE p.identity = i.key) \
     AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.identity = i.key) \
     AND NOT EXISTS (SELECT 1 FROM profiles f WHERE f.identity = i.key) \
     AND NOT EXISTS (SELECT 1 FROM shares s WHERE s.identity = i.key) LIMIT $2) \
     AND coalesce(last_seen, created_at) < $1 RETURNING key), \
     v AS (DELETE FROM visits WHERE identity IN (SELECT key FROM gone)) \
     SELECT count(*) FROM gone";

/// Anonymous identities last seen before `$1` with no status or note changed since, and everything
/// they hold (one transaction: data-modifying parts of a statement all run).
const UNSEEN: &str = "WITH gone AS (DELETE FROM identities WHERE key IN (SELECT i.key FROM identities i \
     WHERE coalesce(i.last_seen, i.created_at) < $1 \
     AND NOT EXISTS (SELECT 1 FROM progress p WHERE p.identity = i.key AND p.changed_at >= $1) \
     AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.identity = i.key AND n.changed_at >= $1) LIMIT $2) \
     AND coalesce(last_seen, created_at) < $1 RETURNING key), \
     p AS (DELETE FROM progress WHERE identity IN (SELECT key FROM gone)), \
     n AS (DELETE FROM notes WHERE identity IN (SELECT key FROM gone)), \
     v AS (DELETE FROM visits WHERE identity IN (SELECT key FROM gone)), \
     f AS (DELETE FROM profiles WHERE identity IN (SELECT key FROM gone)), \
     s AS (DELETE FROM shares WHERE identity IN (SELECT key FROM gone)) \
     SELECT count(*) FROM gone";

/// Sessions started at or before `$1`, or last used at or before `$3` (`SessionCutoff`).
const SESSIONS: &str = "DELETE FROM sessions WHERE key IN (SELECT key FROM sessions \
     WHERE created_at <= $1 OR coalesce(last_seen, created_at) <= $3 LIMIT $2) \
     AND (created_at <= $1 OR coalesce(last_seen, created_at) <= $3)";

impl PgStore {
    pub(super) async fn purge_now(&self, rules: &Purge) -> Result<Purged, StoreError> {
        let mut purged = Purged::default();
        // Unseen first: what it removes would otherwise be counted as empty.
        loop {
            let at = signed(rules.unseen_before_ms);
            let n = pg!(self, "purge_unseen", |c| {
                let row = one(c, UNSEEN, &[&at, &BATCH]).await?;
                Ok(unsigned(col(&row, 0)?))
            })?;
            purged.unseen += n as usize;
            if n < BATCH as u64 {
                break;
            }
        }
        let at = signed(rules.empty_before_ms);
        loop {
            let n = pg!(self, "purge_empty", |c| {
                let row = one(c, EMPTY, &[&at, &BATCH]).await?;
                Ok(unsigned(col(&row, 0)?))
            })?;
            purged.empty += n as usize;
            if n < BATCH as u64 {
                break;
            }
        }
        let (started, seen) = (signed(rules.sessions.started_after_ms), signed(rules.sessions.seen_after_ms));
        loop {
            let n = pg!(self, "purge_sessions", |c| { exec(c, SESSIONS, &[&started, &BATCH, &seen]).await })?;
            purged.sessions += n as usize;
            if n < BATCH as u64 {
                break;
            }
        }
        Ok(purged)
    }
}
