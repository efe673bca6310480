//! Visits on sled: tree `visits`, one entry per identity, roadmap and place (the key as in
//! `progress`, with an empty topic id for the roadmap itself), the value a version byte,
//! the last time (ms, u64 BE) and the previous visit's end (ms, u64 BE; `u64::MAX`: none).

use super::sled_store::{io, progress_prefix, SledStore};
use super::{StoreError, SCHEMA_VERSION};
use crate::roadmap::changes::{VisitRecord, Visits};
use crate::roadmap::{RoadmapId, TopicId};
use crate::server::identity::IdentityKey;

const NONE: u64 = u64::MAX;

impl SledStore {
    pub(super) fn read_visits(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Visits, StoreError> {
        let prefix = progress_prefix(who, roadmap);
        let mut out = Visits::default();
        for item in self.visits.scan_prefix(&prefix) {
            let (key, value) = item.map_err(io)?;
            let Some(visit) = decode(&value) else {
                tracing::warn!("skipping a visit with an unknown layout");
                continue;
            };
            match std::str::from_utf8(&key[prefix.len()..]) {
                Ok("") => out.roadmap = Some(visit),
                Ok(topic) => {
                    out.opened.insert(topic.to_owned(), visit.last);
                }
                Err(_) => tracing::warn!("skipping a visit with an unreadable topic id"),
            }
        }
        Ok(out)
    }

    pub(super) fn put_visit(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: Option<&TopicId>,
        visit: VisitRecord,
    ) -> Result<(), StoreError> {
        let mut key = progress_prefix(who, roadmap);
        if let Some(topic) = topic {
            key.extend_from_slice(topic.as_str().as_bytes());
        }
        let mut value = Vec::with_capacity(17);
        value.push(SCHEMA_VERSION);
        value.extend_from_slice(&visit.last.to_be_bytes());
        value.extend_from_slice(&visit.previous.unwrap_or(NONE).to_be_bytes());
        self.visits.insert(key, value).map(drop).map_err(io)
    }

    /// Forgets every visit of `who` (with the identity itself).
    pub(super) fn remove_all_visits(&self, who: &IdentityKey) -> Result<(), StoreError> {
        for item in self.visits.scan_prefix(who.0) {
            let (key, _) = item.map_err(io)?;
            self.visits.remove(key).map_err(io)?;
        }
        Ok(())
    }
}

fn decode(value: &[u8]) -> Option<VisitRecord> {
    let (version, rest) = value.split_first()?;
    if *version != SCHEMA_VERSION || rest.len() != 16 {
        return None;
    }
    let last = u64::from_be_bytes(rest[..8].try_into().ok()?);
    let previous = u64::from_be_bytes(rest[8..].try_into().ok()?);
    Some(VisitRecord { last, previous: (previous != NONE).then_some(previous) })
}
