//! Contract cases for undo: a status change keeps what it replaced, one undo puts it back
//! exactly (status and time, or no status recorded at all), and what a merge or another
//! identity writes leaves nothing to undo.

use super::{backend, rec, topic, who, BoxFuture, Case};
use crate::roadmap::progress::{Previous, Recorded};
use crate::roadmap::Status;
use crate::server::identity::IdentityKey;
use crate::server::store::Store;
use std::collections::BTreeMap;
use std::sync::Arc;

pub fn cases() -> Vec<Case> {
    list![dyn Store;
        undo_puts_back_the_status_before_and_its_time_exactly,
        undo_of_a_first_status_leaves_no_status_recorded,
        the_same_status_again_keeps_the_older_undo,
        a_merge_leaves_nothing_to_undo_and_undo_is_per_identity,
    ]
}

async fn read(store: &dyn Store, who: &IdentityKey) -> Vec<Recorded> {
    let mut list = store.statuses(who, &backend()).await.expect("statuses").to_vec();
    list.sort_by(|a, b| a.topic.cmp(&b.topic));
    list
}

async fn set(store: &dyn Store, who: &IdentityKey, id: &str, status: Status, at: u64) {
    store.set_status(who, &backend(), &topic(id), status, at).await.expect("set_status");
}

async fn previous(store: &dyn Store, who: &IdentityKey, id: &str) -> Option<Previous> {
    store.previous_status(who, &backend(), &topic(id)).await.expect("previous_status")
}

pub async fn undo_puts_back_the_status_before_and_its_time_exactly(store: Arc<dyn Store>) {
    let a = who(1);
    set(&*store, &a, "dns", Status::Done, 10).await;
    set(&*store, &a, "http", Status::InProgress, 11).await;
    set(&*store, &a, "dns", Status::Skipped, 20).await;
    assert_eq!(previous(&*store, &a, "dns").await, Some(Previous::Status { status: Status::Done, changed_at: 10 }));
    let after = store.undo_status(&a, &backend(), &topic("dns")).await.expect("undo").expect("something to undo");
    let expected = vec![rec("dns", Status::Done, 10), rec("http", Status::InProgress, 11)];
    let mut sorted = after.clone();
    sorted.sort_by(|a, b| a.topic.cmp(&b.topic));
    assert_eq!(sorted, expected, "undo answers the statuses after it");
    assert_eq!(read(&*store, &a).await, expected, "done again, with its own time");
    assert_eq!(previous(&*store, &a, "dns").await, None, "one undo: nothing more to undo");
    assert_eq!(
        store.undo_status(&a, &backend(), &topic("dns")).await.expect("undo"),
        None,
        "a second undo does nothing"
    );
    assert_eq!(read(&*store, &a).await, expected, "and writes nothing");
    // "Not started" is a status like any other.
    set(&*store, &a, "http", Status::None, 30).await;
    store.undo_status(&a, &backend(), &topic("http")).await.expect("undo").expect("something to undo");
    assert_eq!(read(&*store, &a).await[1], rec("http", Status::InProgress, 11));
}

pub async fn undo_of_a_first_status_leaves_no_status_recorded(store: Arc<dyn Store>) {
    let a = who(1);
    set(&*store, &a, "dns", Status::Done, 10).await;
    assert_eq!(previous(&*store, &a, "dns").await, Some(Previous::Unrecorded));
    let after = store.undo_status(&a, &backend(), &topic("dns")).await.expect("undo").expect("something to undo");
    assert!(after.is_empty(), "nothing recorded any more: {after:?}");
    assert!(read(&*store, &a).await.is_empty());
    assert_eq!(previous(&*store, &a, "dns").await, None);
    assert_eq!(store.undo_status(&a, &backend(), &topic("tls")).await.expect("undo"), None, "an untouched topic");
}

pub async fn the_same_status_again_keeps_the_older_undo(store: Arc<dyn Store>) {
    let a = who(1);
    set(&*store, &a, "dns", Status::Done, 10).await;
    set(&*store, &a, "dns", Status::InProgress, 20).await;
    set(&*store, &a, "dns", Status::InProgress, 30).await;
    assert_eq!(read(&*store, &a).await, vec![rec("dns", Status::InProgress, 30)], "the time moves on");
    assert_eq!(previous(&*store, &a, "dns").await, Some(Previous::Status { status: Status::Done, changed_at: 10 }));
}

pub async fn a_merge_leaves_nothing_to_undo_and_undo_is_per_identity(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    set(&*store, &a, "dns", Status::Done, 10).await;
    set(&*store, &a, "dns", Status::Skipped, 20).await;
    set(&*store, &b, "dns", Status::Done, 15).await;
    assert_eq!(store.undo_status(&b, &backend(), &topic("http")).await.expect("undo"), None);
    store.undo_status(&b, &backend(), &topic("dns")).await.expect("undo b").expect("b's own undo");
    assert_eq!(read(&*store, &a).await, vec![rec("dns", Status::Skipped, 20)], "B's undo leaves A's status");
    let incoming = BTreeMap::from([(backend(), vec![rec("dns", Status::InProgress, 40)])]);
    assert_eq!(store.merge_statuses(&a, incoming).await.expect("merge"), 1);
    assert_eq!(previous(&*store, &a, "dns").await, None, "a merged status has nothing to undo");
    assert_eq!(store.undo_status(&a, &backend(), &topic("dns")).await.expect("undo"), None);
    assert_eq!(read(&*store, &a).await, vec![rec("dns", Status::InProgress, 40)]);
}
