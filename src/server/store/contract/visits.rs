//! Contract cases for visits: a roadmap's record and the topics opened read back as
//! written, per identity and roadmap; a later write replaces; they never keep an identity
//! from the purge and go with it.

use super::{backend, frontend, topic, who, BoxFuture, Case};
use crate::roadmap::changes::{VisitRecord, Visits};
use crate::server::store::purge::{Purge, Purged};
use crate::server::store::Store;
use std::collections::BTreeMap;
use std::sync::Arc;

const DAY: u64 = 24 * 60 * 60 * 1000;
const T0: u64 = 20_000 * DAY;

pub fn cases() -> Vec<Case> {
    list![dyn Store;
        visits_read_back_per_identity_and_roadmap_and_a_write_replaces,
        visits_keep_no_identity_from_the_purge_and_go_with_it,
    ]
}

pub async fn visits_read_back_per_identity_and_roadmap_and_a_write_replaces(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    assert_eq!(store.visits(&a, &backend()).await.expect("visits"), Visits::default(), "nothing at first");
    let first = VisitRecord { previous: None, last: T0 };
    store.set_visit(&a, &backend(), None, first).await.expect("set_visit");
    store
        .set_visit(&a, &backend(), Some(&topic("dns")), VisitRecord { previous: None, last: T0 + 5 })
        .await
        .expect("open");
    store.set_visit(&a, &frontend(), None, VisitRecord { previous: Some(1), last: 2 }).await.expect("other roadmap");
    let read = store.visits(&a, &backend()).await.expect("visits");
    assert_eq!(read, Visits { roadmap: Some(first), opened: BTreeMap::from([("dns".to_owned(), T0 + 5)]) });
    let again = VisitRecord { previous: Some(T0), last: T0 + DAY };
    store.set_visit(&a, &backend(), None, again).await.expect("set_visit again");
    assert_eq!(store.visits(&a, &backend()).await.expect("visits").roadmap, Some(again), "a write replaces");
    assert_eq!(
        store.visits(&a, &frontend()).await.expect("visits").roadmap,
        Some(VisitRecord { previous: Some(1), last: 2 }),
        "roadmaps are separate"
    );
    assert_eq!(store.visits(&b, &backend()).await.expect("visits"), Visits::default(), "never another's");
}

pub async fn visits_keep_no_identity_from_the_purge_and_go_with_it(store: Arc<dyn Store>) {
    store.create_identity(&who(1), T0).await.expect("create_identity");
    store.set_visit(&who(1), &backend(), None, VisitRecord { previous: None, last: T0 }).await.expect("set_visit");
    store
        .set_visit(&who(1), &backend(), Some(&topic("http")), VisitRecord { previous: None, last: T0 })
        .await
        .expect("open");
    let purged = store.purge(&Purge::at(T0 + 2 * DAY)).await.expect("purge");
    assert_eq!(purged, Purged { empty: 1, unseen: 0, sessions: 0 }, "a visit alone is not something kept");
    assert_eq!(store.visits(&who(1), &backend()).await.expect("visits"), Visits::default(), "its visits went with it");
}
