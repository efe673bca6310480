//! Contract cases for private notes: set, replace, delete with an empty note, one identity's
//! notes never another's, clearing one roadmap, the newest-wins merge, a sign-in that brings
//! a device's notes into the account, and the purge rules (a note is something an identity
//! holds; an unseen identity's notes go with it).

use super::{account_of, backend, frontend, new_session, session_key, sign_up_ok, topic, who, BoxFuture, Case};
use crate::roadmap::notes::{NoteRecord, MAX_NOTE_CHARS};
use crate::roadmap::RoadmapId;
use crate::server::identity::IdentityKey;
use crate::server::store::purge::{Purge, Purged};
use crate::server::store::{Store, TokenLookup};
use std::collections::BTreeMap;
use std::sync::Arc;

const DAY: u64 = 24 * 60 * 60 * 1000;
const T0: u64 = 20_000 * DAY;

pub fn cases() -> Vec<Case> {
    list![dyn Store;
        a_note_is_set_replaced_and_deleted_by_an_empty_one,
        a_long_note_reads_back_exactly,
        notes_of_one_identity_never_show_for_another_and_roadmaps_are_separate,
        clear_notes_counts_and_removes_only_that_roadmaps_notes,
        merge_notes_newest_wins_and_ties_keep_stored,
        sign_in_brings_the_devices_newer_notes_into_the_account,
        a_note_keeps_an_identity_from_the_empty_purge_and_goes_with_an_unseen_one,
    ]
}

fn note(id: &str, text: &str, at: u64) -> NoteRecord {
    NoteRecord { topic: topic(id), text: text.to_owned(), changed_at: at }
}

async fn notes_of(store: &dyn Store, who: &IdentityKey, roadmap: &RoadmapId) -> Vec<NoteRecord> {
    let mut list = store.notes(who, roadmap).await.unwrap_or_else(|e| panic!("notes: {e}"));
    list.sort_by(|a, b| a.topic.cmp(&b.topic));
    list
}

async fn put(store: &dyn Store, who: &IdentityKey, roadmap: &RoadmapId, id: &str, text: Option<&str>, at: u64) {
    store.set_note(who, roadmap, &topic(id), text, at).await.unwrap_or_else(|e| panic!("set_note {id}: {e}"));
}

pub async fn a_note_is_set_replaced_and_deleted_by_an_empty_one(store: Arc<dyn Store>) {
    let (a, map) = (who(1), backend());
    assert_eq!(notes_of(&*store, &a, &map).await, vec![], "no notes at first");
    put(&*store, &a, &map, "dns", Some("Use `dig +trace`."), 10).await;
    put(&*store, &a, &map, "http", Some("Idempotent: GET, PUT, DELETE"), 11).await;
    let expected = vec![note("dns", "Use `dig +trace`.", 10), note("http", "Idempotent: GET, PUT, DELETE", 11)];
    assert_eq!(notes_of(&*store, &a, &map).await, expected, "both notes read back");
    put(&*store, &a, &map, "dns", Some("Rewritten"), 5).await;
    assert_eq!(notes_of(&*store, &a, &map).await[0], note("dns", "Rewritten", 5), "a save replaces, whatever its time");
    put(&*store, &a, &map, "dns", None, 20).await;
    assert_eq!(notes_of(&*store, &a, &map).await, vec![expected[1].clone()], "an empty note deletes it");
    put(&*store, &a, &map, "tls", None, 21).await;
    assert_eq!(notes_of(&*store, &a, &map).await.len(), 1, "deleting a note that is not there is no error");
    assert!(store.holds_data().await.expect("holds_data"), "a note is data");
}

pub async fn a_long_note_reads_back_exactly(store: Arc<dyn Store>) {
    let text: String = "Ünïcödé 🚀 <b>&amp;</b>\n\t".chars().cycle().take(MAX_NOTE_CHARS).collect();
    put(&*store, &who(1), &backend(), "dns", Some(&text), 10).await;
    let read = notes_of(&*store, &who(1), &backend()).await;
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].text.chars().count(), MAX_NOTE_CHARS, "every character is kept");
    assert_eq!(read[0].text, text, "byte for byte");
}

pub async fn notes_of_one_identity_never_show_for_another_and_roadmaps_are_separate(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    put(&*store, &a, &backend(), "dns", Some("a's backend"), 10).await;
    put(&*store, &a, &frontend(), "dns", Some("a's frontend"), 11).await;
    assert_eq!(notes_of(&*store, &b, &backend()).await, vec![], "another identity sees none of A's notes");
    assert!(store.all_notes(&b).await.expect("all_notes").values().all(Vec::is_empty), "nor in all_notes");
    put(&*store, &b, &backend(), "dns", Some("b's"), 12).await;
    assert_eq!(notes_of(&*store, &a, &backend()).await, vec![note("dns", "a's backend", 10)], "B's note leaves A's");
    let all: BTreeMap<RoadmapId, Vec<NoteRecord>> =
        store.all_notes(&a).await.expect("all_notes").into_iter().filter(|(_, l)| !l.is_empty()).collect();
    let expected = BTreeMap::from([
        (backend(), vec![note("dns", "a's backend", 10)]),
        (frontend(), vec![note("dns", "a's frontend", 11)]),
    ]);
    assert_eq!(all, expected, "all_notes lists every roadmap's notes of A");
}

pub async fn clear_notes_counts_and_removes_only_that_roadmaps_notes(store: Arc<dyn Store>) {
    let (a, map) = (who(1), backend());
    put(&*store, &a, &map, "dns", Some("one"), 10).await;
    put(&*store, &a, &map, "http", Some("two"), 11).await;
    put(&*store, &a, &frontend(), "css", Some("three"), 12).await;
    put(&*store, &who(2), &map, "dns", Some("someone else's"), 13).await;
    store.set_status(&a, &map, &topic("dns"), crate::roadmap::Status::Done, 14).await.expect("status");
    assert_eq!(store.clear_notes(&a, &map).await.expect("clear_notes"), 2, "answers how many there were");
    assert_eq!(notes_of(&*store, &a, &map).await, vec![], "that roadmap's notes are gone");
    assert_eq!(notes_of(&*store, &a, &frontend()).await.len(), 1, "another roadmap's are kept");
    assert_eq!(notes_of(&*store, &who(2), &map).await.len(), 1, "another identity's are kept");
    assert_eq!(store.statuses(&a, &map).await.expect("statuses").len(), 1, "statuses are not notes");
    assert_eq!(store.clear_notes(&a, &map).await.expect("again"), 0, "nothing left to clear");
}

pub async fn merge_notes_newest_wins_and_ties_keep_stored(store: Arc<dyn Store>) {
    let (a, map) = (who(1), backend());
    put(&*store, &a, &map, "dns", Some("stored"), 100).await;
    put(&*store, &a, &map, "http", Some("stored"), 100).await;
    put(&*store, &a, &map, "tls", Some("stored"), 100).await;
    let incoming = BTreeMap::from([(
        map.clone(),
        vec![
            note("dns", "incoming, newer", 200),
            note("http", "incoming, older", 50),
            note("tls", "incoming, tie", 100),
            note("git", "first", 5),
            note("git", "newest", 30),
            note("git", "middle", 20),
        ],
    )]);
    assert_eq!(store.merge_notes(&a, incoming).await.expect("merge_notes"), 2, "dns and git (once) are written");
    let expected = vec![
        note("dns", "incoming, newer", 200),
        note("git", "newest", 30),
        note("http", "stored", 100),
        note("tls", "stored", 100),
    ];
    assert_eq!(notes_of(&*store, &a, &map).await, expected);
}

pub async fn sign_in_brings_the_devices_newer_notes_into_the_account(store: Arc<dyn Store>) {
    let (account, device) = (who(1), who(2));
    store.create_identity(&account, 1).await.expect("create_identity");
    sign_up_ok(&*store, "ada", &account_of(account, "$argon2id$x", 2), &new_session(session_key(1), account, "ada", 2))
        .await;
    put(&*store, &account, &backend(), "dns", Some("account, older"), 10).await;
    put(&*store, &account, &backend(), "http", Some("account, newer"), 30).await;
    store.create_identity(&device, 3).await.expect("create_identity device");
    put(&*store, &device, &backend(), "dns", Some("device, newer"), 20).await;
    put(&*store, &device, &backend(), "http", Some("device, older"), 15).await;
    put(&*store, &device, &frontend(), "css", Some("device only"), 16).await;
    store.sign_in(&new_session(session_key(2), account, "ada", 40), Some(&device), None).await.expect("sign_in");
    let expected = vec![note("dns", "device, newer", 20), note("http", "account, newer", 30)];
    assert_eq!(notes_of(&*store, &account, &backend()).await, expected, "the newer note of each topic wins");
    assert_eq!(notes_of(&*store, &account, &frontend()).await, vec![note("css", "device only", 16)]);
    assert_eq!(notes_of(&*store, &device, &backend()).await, vec![], "the device's identity keeps none");
}

pub async fn a_note_keeps_an_identity_from_the_empty_purge_and_goes_with_an_unseen_one(store: Arc<dyn Store>) {
    store.create_identity(&who(1), T0).await.expect("create_identity");
    store.create_identity(&who(2), T0).await.expect("create_identity");
    put(&*store, &who(1), &backend(), "dns", Some("mine"), T0).await;
    let purged = store.purge(&Purge::at(T0 + 2 * DAY)).await.expect("purge");
    assert_eq!(purged, Purged { empty: 1, unseen: 0, sessions: 0 }, "only the identity without a note is empty");
    assert!(matches!(store.lookup_token(&who(1)).await.expect("lookup"), TokenLookup::Identity { .. }));
    // Long after: the identity that was never seen again goes, with its note.
    let much_later = Purge::at(T0 + 5 * 365 * DAY);
    assert_eq!(store.purge(&much_later).await.expect("purge").unseen, 1, "the unseen identity goes");
    assert_eq!(notes_of(&*store, &who(1), &backend()).await, vec![], "and its notes with it");
    assert!(!store.holds_data().await.expect("holds_data"), "nothing is left");
}
