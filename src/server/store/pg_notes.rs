//! Private notes on PostgreSQL (table `notes`, schema version 3): reads, writes, the merge an
//! import or a sign-in makes, and the note rows of backup and restore.

use super::rows_io::{all, col, exec, key32, signed, unsigned, Params};
use super::PgStore;
use crate::roadmap::notes::NoteRecord;
use crate::roadmap::{RoadmapId, TopicId};
use crate::server::identity::IdentityKey;
use crate::server::store::rows::BackupRow;
use crate::server::store::StoreError;
use deadpool_postgres::GenericClient;
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;
use tokio_postgres::Row;

/// Writes a note unless the one stored for its topic is as new or newer (`$6` true), or
/// always (`$6` false).
const PUT: &str = "INSERT INTO notes (identity, roadmap, topic, note, changed_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (identity, roadmap, topic) DO UPDATE SET note = excluded.note, changed_at = excluded.changed_at \
     WHERE NOT $6 OR notes.changed_at < excluded.changed_at";

/// Moves the notes of `$2` into `$1` where newer, then deletes them from `$2`.
pub(super) const MERGE_IDENTITY_NOTES: &str =
    "WITH moved AS (INSERT INTO notes (identity, roadmap, topic, note, changed_at) \
     SELECT $1::bytea, roadmap, topic, note, changed_at FROM notes WHERE identity = $2 \
     ON CONFLICT (identity, roadmap, topic) DO UPDATE SET note = excluded.note, changed_at = excluded.changed_at \
     WHERE notes.changed_at < excluded.changed_at RETURNING 1) \
     DELETE FROM notes WHERE identity = $2";

/// Which row of the notes table a backup line came from.
pub(super) type NoteKey = ([u8; 32], RoadmapId, TopicId);

fn note_at(row: &Row, i: usize) -> Result<Option<NoteRecord>, StoreError> {
    let topic: &str = col(row, i)?;
    let Ok(topic) = TopicId::parse(topic) else {
        tracing::warn!(%topic, "skipping a note with an unknown topic id");
        return Ok(None);
    };
    Ok(Some(NoteRecord { topic, text: col(row, i + 1)?, changed_at: unsigned(col(row, i + 2)?) }))
}

impl PgStore {
    pub(super) async fn read_notes(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
    ) -> Result<Vec<NoteRecord>, StoreError> {
        pg!(self, "notes", |c| {
            let sql = "SELECT topic, note, changed_at FROM notes WHERE identity = $1 AND roadmap = $2 ORDER BY topic";
            let rows = all(c, sql, &[&who.0.as_slice(), &roadmap.as_str()]).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                out.extend(note_at(row, 0)?);
            }
            Ok(out)
        })
    }

    pub(super) async fn write_note(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        text: Option<&str>,
        now_ms: u64,
    ) -> Result<(), StoreError> {
        pg!(self, "set_note", |c| {
            let (who, roadmap, topic) = (who.0.as_slice(), roadmap.as_str(), topic.as_str());
            match text {
                Some(text) => exec(c, PUT, &[&who, &roadmap, &topic, &text, &signed(now_ms), &false]).await.map(drop),
                None => {
                    let sql = "DELETE FROM notes WHERE identity = $1 AND roadmap = $2 AND topic = $3";
                    exec(c, sql, &[&who, &roadmap, &topic]).await.map(drop)
                }
            }
        })
    }

    pub(super) async fn read_all_notes(
        &self,
        who: &IdentityKey,
    ) -> Result<BTreeMap<RoadmapId, Vec<NoteRecord>>, StoreError> {
        pg!(self, "all_notes", |c| {
            let sql = "SELECT roadmap, topic, note, changed_at FROM notes WHERE identity = $1 ORDER BY roadmap, topic";
            let mut out: BTreeMap<RoadmapId, Vec<NoteRecord>> = BTreeMap::new();
            for row in all(c, sql, &[&who.0.as_slice()]).await? {
                let roadmap: &str = col(&row, 0)?;
                match (RoadmapId::parse(roadmap), note_at(&row, 1)?) {
                    (Ok(roadmap), Some(note)) => out.entry(roadmap).or_default().push(note),
                    (Err(_), _) => tracing::warn!(%roadmap, "skipping a note with an unknown roadmap id"),
                    (Ok(_), None) => {}
                }
            }
            Ok(out)
        })
    }

    pub(super) async fn delete_notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        pg!(self, "clear_notes", |c| {
            let sql = "DELETE FROM notes WHERE identity = $1 AND roadmap = $2";
            exec(c, sql, &[&who.0.as_slice(), &roadmap.as_str()]).await.map(|n| n as usize)
        })
    }

    pub(super) async fn merge_incoming_notes(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<NoteRecord>>,
    ) -> Result<usize, StoreError> {
        // Several notes for one topic collapse to the newest, as on sled.
        let mut newest: BTreeMap<(RoadmapId, TopicId), (String, u64)> = BTreeMap::new();
        for (roadmap, notes) in incoming {
            for n in notes {
                let key = (roadmap.clone(), n.topic);
                if newest.get(&key).is_none_or(|(_, at)| n.changed_at > *at) {
                    newest.insert(key, (n.text, n.changed_at));
                }
            }
        }
        pg!(self, "merge_notes", |c| {
            let tx = c.transaction().await.map_err(super::rows_io::db)?;
            let mut written = 0;
            for ((roadmap, topic), (text, at)) in &newest {
                let params: Params =
                    &[&who.0.as_slice(), &roadmap.as_str(), &topic.as_str(), text, &signed(*at), &true];
                written += exec(&tx, PUT, params).await? as usize;
            }
            tx.commit().await.map_err(super::rows_io::db)?;
            Ok(written)
        })
    }
}

/// One row of `SELECT identity, roadmap, topic, note, changed_at FROM notes` as a backup row.
pub(super) fn note_row(row: &Row) -> Result<Option<BackupRow>, StoreError> {
    let (who, roadmap) = (key32(col(row, 0)?), RoadmapId::parse(col(row, 1)?));
    let (Some(who), Ok(roadmap), Some(n)) = (who, roadmap, note_at(row, 2)?) else { return Ok(None) };
    Ok(Some(BackupRow::note(&IdentityKey(who), roadmap, n.topic, n.text, n.changed_at)))
}

/// Writes a restore batch's notes (one multi-row insert).
pub(super) async fn restore_notes(
    tx: &impl GenericClient,
    notes: &HashMap<NoteKey, (String, u64)>,
) -> Result<(), StoreError> {
    if notes.is_empty() {
        return Ok(());
    }
    let (mut who, mut roadmaps, mut topics, mut texts, mut times) = (vec![], vec![], vec![], vec![], vec![]);
    for ((k, roadmap, topic), (text, at)) in notes {
        who.push(&k[..]);
        roadmaps.push(roadmap.as_str());
        topics.push(topic.as_str());
        texts.push(text.as_str());
        times.push(signed(*at));
    }
    let sql = "INSERT INTO notes (identity, roadmap, topic, note, changed_at) \
               SELECT * FROM unnest($1::bytea[], $2::text[], $3::text[], $4::text[], $5::bigint[]) \
               ON CONFLICT (identity, roadmap, topic) DO UPDATE SET note = excluded.note, changed_at = excluded.changed_at";
    exec(tx, sql, &[&who, &roadmaps, &topics, &texts, &times]).await.map(drop)
}
