//! Private notes on sled: tree `notes`, one entry per identity, roadmap and topic (the key
//! as in `progress`), the value a version byte, the changed-at time (ms, u64 BE) and the
//! note's text. Callers hold the write gate as for statuses.

use super::rows::{BackupRow, RowSink};
use super::sled_store::{io, progress_prefix, SledStore};
use super::{StoreError, SCHEMA_VERSION};
use crate::roadmap::notes::{newer_notes, NoteRecord};
use crate::roadmap::{RoadmapId, TopicId};
use crate::server::identity::IdentityKey;
use std::collections::BTreeMap;

impl SledStore {
    pub(super) fn read_notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Vec<NoteRecord>, StoreError> {
        let prefix = progress_prefix(who, roadmap);
        let mut out = Vec::new();
        for item in self.notes.scan_prefix(&prefix) {
            let (key, value) = item.map_err(io)?;
            match decode_note(&key, &value) {
                Some((_, _, note)) => out.push(note),
                None => tracing::warn!("skipping a note with an unknown layout"),
            }
        }
        Ok(out)
    }

    pub(super) fn read_all_notes(&self, who: &IdentityKey) -> Result<BTreeMap<RoadmapId, Vec<NoteRecord>>, StoreError> {
        let mut out: BTreeMap<RoadmapId, Vec<NoteRecord>> = BTreeMap::new();
        for item in self.notes.scan_prefix(who.0) {
            let (key, value) = item.map_err(io)?;
            match decode_note(&key, &value) {
                Some((_, roadmap, note)) => out.entry(roadmap).or_default().push(note),
                None => tracing::warn!("skipping a note with an unknown layout"),
            }
        }
        Ok(out)
    }

    pub(super) fn put_note(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        text: Option<&str>,
        at: u64,
    ) -> Result<(), StoreError> {
        let mut key = progress_prefix(who, roadmap);
        key.extend_from_slice(topic.as_str().as_bytes());
        match text {
            Some(text) => {
                let mut value = Vec::with_capacity(9 + text.len());
                value.push(SCHEMA_VERSION);
                value.extend_from_slice(&at.to_be_bytes());
                value.extend_from_slice(text.as_bytes());
                self.notes.insert(key, value).map(drop).map_err(io)
            }
            None => self.notes.remove(key).map(drop).map_err(io),
        }
    }

    pub(super) fn remove_notes(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        let mut cleared = 0;
        for item in self.notes.scan_prefix(progress_prefix(who, roadmap)) {
            let (key, _) = item.map_err(io)?;
            self.notes.remove(key).map_err(io)?;
            cleared += 1;
        }
        Ok(cleared)
    }

    /// Deletes every note of `who`, on every roadmap.
    pub(super) fn remove_all_notes(&self, who: &IdentityKey) -> Result<(), StoreError> {
        for item in self.notes.scan_prefix(who.0) {
            let (key, _) = item.map_err(io)?;
            self.notes.remove(key).map_err(io)?;
        }
        Ok(())
    }

    /// Writes the newer of `incoming` over `who`'s notes; answers how many.
    pub(super) fn put_newer_notes(
        &self,
        who: &IdentityKey,
        incoming: BTreeMap<RoadmapId, Vec<NoteRecord>>,
    ) -> Result<usize, StoreError> {
        let mut written = 0;
        for (roadmap, notes) in incoming {
            let existing = self.read_notes(who, &roadmap)?;
            for n in newer_notes(&existing, notes) {
                self.put_note(who, &roadmap, &n.topic, Some(&n.text), n.changed_at)?;
                written += 1;
            }
        }
        Ok(written)
    }

    pub(super) fn has_notes(&self, who: &IdentityKey) -> Result<bool, StoreError> {
        Ok(self.notes.scan_prefix(who.0).next().transpose().map_err(io)?.is_some())
    }

    /// Whether any note of `who` changed at or after `since_ms`.
    pub(super) fn note_changed_since(&self, who: &IdentityKey, since_ms: u64) -> Result<bool, StoreError> {
        for item in self.notes.scan_prefix(who.0) {
            let (key, value) = item.map_err(io)?;
            if decode_note(&key, &value).is_some_and(|(_, _, n)| n.changed_at >= since_ms) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every note, for a backup (the caller holds the gate).
    pub(super) fn note_rows(&self, sink: &mut (dyn RowSink + Send)) -> Result<(), StoreError> {
        for item in self.notes.iter() {
            let (key, value) = item.map_err(io)?;
            let Some((who, roadmap, n)) = decode_note(&key, &value) else {
                tracing::warn!("backup: skipping a note with an unknown layout");
                continue;
            };
            sink.row(BackupRow::note(&who, roadmap, n.topic, n.text, n.changed_at)).map_err(io)?;
        }
        Ok(())
    }
}

/// A note entry's key and value: whose, which roadmap, the note.
fn decode_note(key: &[u8], value: &[u8]) -> Option<(IdentityKey, RoadmapId, NoteRecord)> {
    let who = IdentityKey(key.get(..32)?.try_into().ok()?);
    let rest = &key[32..];
    let split = rest.iter().position(|b| *b == 0)?;
    let roadmap = RoadmapId::parse(std::str::from_utf8(&rest[..split]).ok()?).ok()?;
    let topic = TopicId::parse(std::str::from_utf8(&rest[split + 1..]).ok()?).ok()?;
    let (version, rest) = value.split_first()?;
    if *version != SCHEMA_VERSION || rest.len() < 8 {
        return None;
    }
    let changed_at = u64::from_be_bytes(rest[..8].try_into().ok()?);
    let text = std::str::from_utf8(&rest[8..]).ok()?.to_owned();
    Some((who, roadmap, NoteRecord { topic, text, changed_at }))
}
