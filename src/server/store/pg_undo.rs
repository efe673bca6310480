//! Undo on PostgreSQL: `progress.previous_status` / `previous_at` hold what the last
//! `set_status` replaced (NULL: nothing to undo; -1: no status was recorded), and one undo
//! puts it back in one transaction, the row locked meanwhile.

use super::rows_io::{all, col, db, exec, opt, records, signed, unsigned};
use super::PgStore;
use crate::roadmap::progress::{Previous, Recorded};
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::IdentityKey;
use crate::server::store::StoreError;
use std::time::Instant;
use tokio_postgres::Row;

/// The status before in a row of (previous_status, previous_at); `None` when there is none
/// or this version cannot read it.
fn previous_in(row: &Row) -> Result<Option<Previous>, StoreError> {
    let (code, at): (Option<i16>, Option<i64>) = (col(row, 0)?, col(row, 1)?);
    Ok(match (code, at) {
        (Some(-1), _) => Some(Previous::Unrecorded),
        (Some(code), Some(at)) => u8::try_from(code)
            .ok()
            .and_then(Status::from_code)
            .map(|status| Previous::Status { status, changed_at: unsigned(at) }),
        _ => None,
    })
}

impl PgStore {
    pub(super) async fn read_previous(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Previous>, StoreError> {
        pg!(self, "previous_status", |c| {
            let sql =
                "SELECT previous_status, previous_at FROM progress WHERE identity = $1 AND roadmap = $2 AND topic = $3";
            match opt(c, sql, &[&who.0.as_slice(), &roadmap.as_str(), &topic.as_str()]).await? {
                Some(row) => previous_in(&row),
                None => Ok(None),
            }
        })
    }

    pub(super) async fn undo(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Vec<Recorded>>, StoreError> {
        pg!(self, "undo_status", |c| {
            let tx = c.transaction().await.map_err(db)?;
            let key = (who.0.as_slice(), roadmap.as_str(), topic.as_str());
            let sql = "SELECT previous_status, previous_at FROM progress \
                       WHERE identity = $1 AND roadmap = $2 AND topic = $3 FOR UPDATE";
            let previous = match opt(&tx, sql, &[&key.0, &key.1, &key.2]).await? {
                Some(row) => previous_in(&row)?,
                None => None,
            };
            let Some(previous) = previous else { return Ok(None) };
            match previous {
                Previous::Unrecorded => {
                    let sql = "DELETE FROM progress WHERE identity = $1 AND roadmap = $2 AND topic = $3";
                    exec(&tx, sql, &[&key.0, &key.1, &key.2]).await?;
                }
                Previous::Status { status, changed_at } => {
                    let sql = "UPDATE progress SET status = $4, changed_at = $5, previous_status = NULL, \
                               previous_at = NULL WHERE identity = $1 AND roadmap = $2 AND topic = $3";
                    let (code, at) = (i16::from(status.code()), signed(changed_at));
                    exec(&tx, sql, &[&key.0, &key.1, &key.2, &code, &at]).await?;
                }
            }
            let sql =
                "SELECT topic, status, changed_at FROM progress WHERE identity = $1 AND roadmap = $2 ORDER BY topic";
            let after = records(&all(&tx, sql, &[&key.0, &key.1]).await?)?;
            tx.commit().await.map_err(db)?;
            Ok(Some(after))
        })
    }
}
