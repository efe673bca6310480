//! Every topic's status on one roadmap, by topic id: the `statuses` of a progress summary.
//! A summary is built for every status change, so the sorted ids are shared by all the
//! summaries of a roadmap (`Roadmap::status_keys`) and a summary only owns its statuses.
//! On the wire it is a JSON object from topic id to status, in id order.

use super::status::Status;
use serde::de::Deserializer;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMap {
    /// Sorted, no duplicates.
    keys: Arc<[Arc<str>]>,
    values: Vec<Status>,
}

impl StatusMap {
    /// Every key with `Status::None`. `keys` must be sorted without duplicates.
    pub fn none(keys: Arc<[Arc<str>]>) -> Self {
        let values = vec![Status::None; keys.len()];
        StatusMap { keys, values }
    }

    /// `values[i]` for `keys[i]` (`keys` sorted without duplicates, as long as `values`).
    pub fn with_values(keys: Arc<[Arc<str>]>, values: Vec<Status>) -> Self {
        debug_assert_eq!(keys.len(), values.len());
        StatusMap { keys, values }
    }

    fn index(&self, topic: &str) -> Option<usize> {
        self.keys.binary_search_by(|k| (**k).cmp(topic)).ok()
    }

    /// The status of `topic`; `None` for a topic the roadmap does not have.
    pub fn get(&self, topic: &str) -> Option<Status> {
        self.index(topic).map(|i| self.values[i])
    }

    /// Sets `topic`'s status; answers false (and changes nothing) for an unknown topic.
    pub fn set(&mut self, topic: &str, status: Status) -> bool {
        match self.index(topic) {
            Some(i) => {
                self.values[i] = status;
                true
            }
            None => false,
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// (topic id, status), in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Status)> {
        self.keys.iter().map(|k| &**k).zip(self.values.iter().copied())
    }

    /// How many topics have `status`.
    pub fn count(&self, status: Status) -> u32 {
        self.values.iter().filter(|&&s| s == status).count() as u32
    }
}

impl From<BTreeMap<Arc<str>, Status>> for StatusMap {
    fn from(map: BTreeMap<Arc<str>, Status>) -> Self {
        let (keys, values): (Vec<Arc<str>>, Vec<Status>) = map.into_iter().unzip();
        StatusMap { keys: keys.into(), values }
    }
}

impl Serialize for StatusMap {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (topic, status) in self.iter() {
            map.serialize_entry(topic, &status)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for StatusMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<Arc<str>, Status>::deserialize(deserializer).map(StatusMap::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(ids: &[&str]) -> Arc<[Arc<str>]> {
        ids.iter().map(|&id| Arc::from(id)).collect()
    }

    #[test]
    fn statuses_are_found_set_and_counted_by_topic() {
        let mut map = StatusMap::none(keys(&["a", "b", "c"]));
        assert_eq!(map.get("b"), Some(Status::None));
        assert!(map.set("b", Status::Done) && map.set("c", Status::Done));
        assert!(!map.set("zz", Status::Done), "unknown topics change nothing");
        assert_eq!((map.get("b"), map.get("zz")), (Some(Status::Done), None));
        assert_eq!((map.count(Status::Done), map.count(Status::None), map.len()), (2, 1, 3));
    }

    #[test]
    fn the_wire_form_is_an_object_in_id_order_and_reads_back() {
        let mut map = StatusMap::none(keys(&["dns", "http", "tls"]));
        map.set("http", Status::InProgress);
        let json = serde_json::to_string(&map).expect("json");
        assert_eq!(json, r#"{"dns":"none","http":"in_progress","tls":"none"}"#);
        assert_eq!(serde_json::from_str::<StatusMap>(&json).expect("back"), map);
        // Read from any order, kept in id order.
        let read: StatusMap = serde_json::from_str(r#"{"tls":"none","dns":"done"}"#).expect("read");
        assert_eq!(read.iter().collect::<Vec<_>>(), vec![("dns", Status::Done), ("tls", Status::None)]);
    }
}
