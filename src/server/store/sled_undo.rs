//! Undo on sled: a status written by `set_status` carries the status it replaced (its code,
//! 0xFF when none was recorded, and its time) after its own, so one undo puts it back exactly.
//! Merges, imports and restores write the plain value: nothing to undo. Callers hold the gate.

use super::sled_store::{decode_status, encode_status, io, progress_prefix, SledStore};
use super::StoreError;
use crate::roadmap::progress::Previous;
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::IdentityKey;

/// The code of "no status was recorded before".
const UNRECORDED: u8 = 0xFF;

fn key_of(who: &IdentityKey, roadmap: &RoadmapId, topic: &TopicId) -> Vec<u8> {
    let mut key = progress_prefix(who, roadmap);
    key.extend_from_slice(topic.as_str().as_bytes());
    key
}

/// The status before, in a stored value that has one.
fn decode_previous(value: &[u8]) -> Option<Previous> {
    let rest = value.get(10..)?;
    let (code, at) = rest.split_first()?;
    if *code == UNRECORDED {
        return Some(Previous::Unrecorded);
    }
    let changed_at = u64::from_be_bytes(at.try_into().ok()?);
    Some(Previous::Status { status: Status::from_code(*code)?, changed_at })
}

fn encode(status: Status, at: u64, previous: Option<Previous>) -> Vec<u8> {
    let mut value = encode_status(status, at).to_vec();
    match previous {
        None => {}
        Some(Previous::Unrecorded) => {
            value.push(UNRECORDED);
            value.extend_from_slice(&0u64.to_be_bytes());
        }
        Some(Previous::Status { status, changed_at }) => {
            value.push(status.code());
            value.extend_from_slice(&changed_at.to_be_bytes());
        }
    }
    value
}

impl SledStore {
    /// Writes a status and keeps what it replaces for undo (`Previous::after_writing`).
    pub(super) fn put_status_with_undo(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
        status: Status,
        at: u64,
    ) -> Result<(), StoreError> {
        let key = key_of(who, roadmap, topic);
        let before = self.progress.get(&key).map_err(io)?;
        let before = before.as_ref().and_then(|v| Some((decode_status(v)?.0, decode_status(v)?.1, decode_previous(v))));
        let value = encode(status, at, Previous::after_writing(status, before));
        let written = self.progress.insert(key, value).map(drop).map_err(io);
        self.forget_recent(who, roadmap);
        written
    }

    pub(super) fn previous_of(
        &self,
        who: &IdentityKey,
        roadmap: &RoadmapId,
        topic: &TopicId,
    ) -> Result<Option<Previous>, StoreError> {
        Ok(self.progress.get(key_of(who, roadmap, topic)).map_err(io)?.and_then(|v| decode_previous(&v)))
    }

    /// Puts the status before back (or removes the record); answers whether there was one.
    pub(super) fn undo_now(&self, who: &IdentityKey, roadmap: &RoadmapId, topic: &TopicId) -> Result<bool, StoreError> {
        let key = key_of(who, roadmap, topic);
        let Some(previous) = self.progress.get(&key).map_err(io)?.and_then(|v| decode_previous(&v)) else {
            return Ok(false);
        };
        let written = match previous {
            Previous::Unrecorded => self.progress.remove(key).map(drop).map_err(io),
            Previous::Status { status, changed_at } => {
                self.progress.insert(key, &encode_status(status, changed_at)[..]).map(drop).map_err(io)
            }
        };
        self.forget_recent(who, roadmap);
        written.map(|()| true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_and_without_a_status_before_read_back() {
        for previous in
            [None, Some(Previous::Unrecorded), Some(Previous::Status { status: Status::Done, changed_at: 7 })]
        {
            let value = encode(Status::Skipped, 42, previous);
            assert_eq!(decode_status(&value), Some((Status::Skipped, 42)));
            assert_eq!(decode_previous(&value), previous);
        }
    }
}
