//! Progress read recently from sled, kept in memory for the next page view. This process is
//! the store's only writer (the lock file), so a write made through `SledStore` is the only
//! way stored progress changes; every such write forgets what was kept for that person.

use crate::roadmap::progress::Recorded;
use crate::roadmap::RoadmapId;
use crate::server::identity::IdentityKey;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// At most this many records are kept (about 60 bytes each): beyond it, all are dropped.
const MAX_RECORDS: usize = 500_000;

type Key = (IdentityKey, RoadmapId);

#[derive(Default)]
pub struct Recent {
    /// Counts writes, so a read that raced with one is not kept.
    writes: AtomicU64,
    kept: RwLock<Kept>,
}

#[derive(Default)]
struct Kept {
    by_person: HashMap<Key, Arc<Vec<Recorded>>>,
    records: usize,
}

impl Recent {
    pub fn get(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Option<Arc<Vec<Recorded>>> {
        let kept = self.kept.read().ok()?;
        kept.by_person.get(&(*who, roadmap.clone())).cloned()
    }

    /// Taken before reading from sled; `keep` is refused if a write came in meanwhile.
    pub fn before_reading(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// Keeps what was read, unless some write began after `before_reading`.
    pub fn keep(&self, seen: u64, who: &IdentityKey, roadmap: &RoadmapId, records: Arc<Vec<Recorded>>) {
        let Ok(mut kept) = self.kept.write() else { return };
        // Checked under the lock a writer's `forget` also takes: either this sees its count,
        // or its `forget` comes after this insert and removes it.
        if self.writes.load(Ordering::SeqCst) != seen {
            return;
        }
        if kept.records + records.len() > MAX_RECORDS {
            kept.by_person.clear();
            kept.records = 0;
        }
        kept.records += records.len();
        if let Some(old) = kept.by_person.insert((*who, roadmap.clone()), records) {
            kept.records -= old.len();
        }
    }

    /// Called after every write to `who`'s progress on `roadmap`.
    pub fn forget(&self, who: &IdentityKey, roadmap: &RoadmapId) {
        self.writes.fetch_add(1, Ordering::SeqCst);
        let mut kept = self.kept.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(old) = kept.by_person.remove(&(*who, roadmap.clone())) {
            kept.records -= old.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::{Status, TopicId};

    fn records(n: usize) -> Arc<Vec<Recorded>> {
        let topic = TopicId::parse("dns").expect("id");
        Arc::new(vec![Recorded { topic, status: Status::Done, changed_at: 1 }; n])
    }

    #[test]
    fn a_read_that_raced_with_a_write_is_not_kept() {
        let (recent, who, roadmap) = (Recent::default(), IdentityKey([1; 32]), RoadmapId::parse("r").expect("id"));
        let seen = recent.before_reading();
        recent.forget(&who, &roadmap);
        recent.keep(seen, &who, &roadmap, records(3));
        assert!(recent.get(&who, &roadmap).is_none());
        let seen = recent.before_reading();
        recent.keep(seen, &who, &roadmap, records(3));
        assert_eq!(recent.get(&who, &roadmap).map(|r| r.len()), Some(3));
        recent.forget(&who, &roadmap);
        assert!(recent.get(&who, &roadmap).is_none(), "a write forgets");
    }

    #[test]
    fn what_is_kept_stays_within_its_budget() {
        let recent = Recent::default();
        let roadmap = RoadmapId::parse("r").expect("id");
        for i in 0..=(MAX_RECORDS / 100_000) {
            let who = IdentityKey([i as u8; 32]);
            recent.keep(recent.before_reading(), &who, &roadmap, records(100_000));
        }
        let kept = recent.kept.read().expect("lock");
        assert!(kept.records <= MAX_RECORDS && kept.records == kept.by_person.values().map(|r| r.len()).sum::<usize>());
    }
}
