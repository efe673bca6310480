//! The contract every storage backend must keep, as tests (for tests; not part of the app).
//! Each case takes a freshly made, empty store and checks one property of the `Store` (or
//! `Attempts`) trait by what it reads back afterwards, so the same suite runs against sled
//! and PostgreSQL (`tests/store_contract.rs`). `cases()` and `attempt_cases()` list them
//! all, so a runner cannot forget one; `durable_across_reopen` and `restore_round_trip`
//! need more than one store and are called on their own.
//!
//! Test code: it panics with a message on the first broken promise.

#![doc(hidden)]

use super::{AccountRecord, Attempts, BackupRow, Limit, NewSession, SessionCutoff, SessionRecord, ShareRecord};
use super::{SignUpOutcome, Store, StoreError};
use crate::roadmap::account::Username;
use crate::roadmap::progress::Recorded;
use crate::roadmap::share::{ShareCode, SHARE_CODE_BYTES};
use crate::roadmap::{RoadmapId, Status, TopicId};
use crate::server::identity::{IdentityKey, SessionKey};
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A boxed, sendable future (what a case or a reopen hands back).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// One property of `Store`: its name and the test, given a fresh, empty store.
pub type Case = (&'static str, fn(Arc<dyn Store>) -> BoxFuture<'static, ()>);
/// One property of `Attempts`: its name and the test, given fresh, empty attempts.
pub type AttemptCase = (&'static str, fn(Arc<dyn Attempts>) -> BoxFuture<'static, ()>);

/// How long the concurrency cases may take before they count as stuck.
const CONCURRENCY_LIMIT: Duration = Duration::from_secs(30);

macro_rules! list {
    ($target:ty; $($case:ident),* $(,)?) => {
        vec![$((
            stringify!($case),
            (|s: Arc<$target>| -> BoxFuture<'static, ()> { Box::pin($case(s)) })
                as fn(Arc<$target>) -> BoxFuture<'static, ()>,
        )),*]
    };
}

mod notes;
mod purge;
mod sessions;
mod undo;
mod visits;

/// Every `Store` case, each to run on its own fresh, empty store.
pub fn cases() -> Vec<Case> {
    let mut all = list![dyn Store;
        ping_answers_and_backend_is_named,
        a_token_opens_its_session_or_its_identity_or_nothing,
        set_status_for_token_writes_for_whoever_the_token_names,
        create_identity_makes_it_exist,
        set_status_answers_the_roadmaps_statuses_after_the_write,
        set_status_replaces_whatever_its_time,
        statuses_of_one_identity_never_show_for_another,
        roadmaps_are_separate,
        clear_statuses_counts_and_removes_only_that_roadmap,
        merge_statuses_newest_wins_ties_keep_stored_duplicates_collapse,
        account_is_none_until_signed_up,
        sign_up_creates_account_and_session_and_retires_the_identity,
        sign_up_with_a_taken_name_writes_nothing,
        sign_in_merges_newer_statuses_retires_the_anonymous_identity_and_ends_the_old_session,
        sign_in_without_merge_only_starts_the_session,
        change_password_stores_the_hash_and_ends_every_other_session,
        change_password_for_an_unknown_account_fails,
        end_session_ends_only_that_session,
        display_names_are_set_replaced_and_cleared,
        create_share_stops_at_max_per_owner,
        shares_of_lists_only_own_links_oldest_first,
        revoke_share_only_by_its_owner,
        backup_rows_yields_every_row_of_every_kind,
        holds_data_is_false_when_empty_and_true_after_one_write,
        restore_rows_into_an_empty_store_reproduces_reads,
        concurrent_status_writes_all_complete_and_are_read_back,
        concurrent_sign_ups_for_one_name_create_exactly_one_account,
        concurrent_create_share_never_exceeds_max,
    ];
    all.extend(notes::cases());
    all.extend(purge::cases());
    all.extend(sessions::cases());
    all.extend(undo::cases());
    all.extend(visits::cases());
    all
}

/// Every `Attempts` case, each to run on fresh attempts (no hits counted yet).
pub fn attempt_cases() -> Vec<AttemptCase> {
    list![dyn Attempts;
        attempts_allow_max_then_answer_a_wait_within_the_window,
        attempts_of_other_keys_and_other_limits_are_separate,
        attempts_are_allowed_again_once_the_window_passes,
        attempts_reset_clears_only_that_key_and_limit,
        attempts_counted_concurrently_all_count,
    ]
}

// ---- small builders ----------------------------------------------------------------

fn who(n: u8) -> IdentityKey {
    IdentityKey([n; 32])
}

fn session_key(n: u8) -> SessionKey {
    SessionKey([n; 32])
}

fn code(n: u8) -> ShareCode {
    ShareCode::from_bytes(&[n; SHARE_CODE_BYTES])
}

fn roadmap(id: &str) -> RoadmapId {
    RoadmapId::parse(id).unwrap_or_else(|e| panic!("test setup: roadmap id {id}: {e}"))
}

fn topic(id: &str) -> TopicId {
    TopicId::parse(id).unwrap_or_else(|e| panic!("test setup: topic id {id}: {e}"))
}

fn user(name: &str) -> Username {
    Username::parse(name).unwrap_or_else(|e| panic!("test setup: username {name}: {e}"))
}

fn rec(id: &str, status: Status, changed_at: u64) -> Recorded {
    Recorded { topic: topic(id), status, changed_at }
}

fn backend() -> RoadmapId {
    roadmap("backend")
}

fn frontend() -> RoadmapId {
    roadmap("frontend")
}

fn account_of(identity: IdentityKey, hash: &str, created_at: u64) -> AccountRecord {
    AccountRecord { identity, password_hash: hash.to_owned(), created_at }
}

fn new_session(key: SessionKey, identity: IdentityKey, name: &str, created_at: u64) -> NewSession {
    let device = format!("Device {}", key.0[0]);
    NewSession {
        key,
        record: SessionRecord { identity, username: user(name), created_at, last_seen: created_at, device },
    }
}

fn share_of(identity: IdentityKey, roadmap: RoadmapId, created_at: u64) -> ShareRecord {
    ShareRecord { identity, roadmap, created_at }
}

/// Statuses in topic order, so lists compare whatever order a backend answers in.
fn sorted(mut list: Vec<Recorded>) -> Vec<Recorded> {
    list.sort_by(|a, b| a.topic.cmp(&b.topic));
    list
}

/// Rows in one canonical order (by their JSON form), so backups compare as sets.
fn sorted_rows(mut rows: Vec<BackupRow>) -> Vec<BackupRow> {
    rows.sort_by_cached_key(|r| serde_json::to_string(r).unwrap_or_default());
    rows
}

/// `all_statuses` without roadmaps whose list is empty (a backend may or may not list them).
fn nonempty(all: BTreeMap<RoadmapId, Vec<Recorded>>) -> BTreeMap<RoadmapId, Vec<Recorded>> {
    all.into_iter().filter(|(_, list)| !list.is_empty()).map(|(r, list)| (r, sorted(list))).collect()
}

async fn read(store: &dyn Store, who: &IdentityKey, roadmap: &RoadmapId) -> Vec<Recorded> {
    sorted(store.statuses(who, roadmap).await.unwrap_or_else(|e| panic!("statuses: {e}")).to_vec())
}

async fn read_all(store: &dyn Store, who: &IdentityKey) -> BTreeMap<RoadmapId, Vec<Recorded>> {
    nonempty(store.all_statuses(who).await.unwrap_or_else(|e| panic!("all_statuses: {e}")))
}

async fn set(store: &dyn Store, who: &IdentityKey, roadmap: &RoadmapId, id: &str, status: Status, at: u64) {
    store.set_status(who, roadmap, &topic(id), status, at).await.unwrap_or_else(|e| panic!("set_status {id}: {e}"));
}

async fn rows_of(store: &dyn Store) -> Vec<BackupRow> {
    let mut rows: Vec<BackupRow> = Vec::new();
    store.backup_rows(&mut rows).await.unwrap_or_else(|e| panic!("backup_rows: {e}"));
    sorted_rows(rows)
}

async fn sign_up_ok(store: &dyn Store, name: &str, account: &AccountRecord, session: &NewSession) -> usize {
    match store.sign_up(&user(name), account, session).await {
        Ok(SignUpOutcome::Created { statuses }) => statuses,
        other => panic!("sign_up {name}: expected Created, got {other:?}"),
    }
}

async fn session_of(store: &dyn Store, key: &SessionKey) -> Option<SessionRecord> {
    store.session(key).await.unwrap_or_else(|e| panic!("session: {e}"))
}

// ---- identities and progress --------------------------------------------------------

pub async fn ping_answers_and_backend_is_named(store: Arc<dyn Store>) {
    store.ping().await.unwrap_or_else(|e| panic!("ping on a fresh store: {e}"));
    assert!(
        ["sled", "postgres"].contains(&store.backend()),
        "backend() names a known backend, got {:?}",
        store.backend()
    );
}

pub async fn a_token_opens_its_session_or_its_identity_or_nothing(store: Arc<dyn Store>) {
    use super::TokenLookup;
    assert_eq!(store.lookup_token(&who(1)).await.expect("lookup"), TokenLookup::Unknown, "nothing yet");
    store.create_identity(&who(1), 1_000).await.expect("create_identity");
    assert_eq!(store.lookup_token(&who(1)).await.expect("lookup"), TokenLookup::Identity { last_seen: 1_000 });
    let session = new_session(session_key(7), who(1), "ada", 5_000);
    let account = account_of(who(1), "$argon2id$x", 4_000);
    sign_up_ok(&*store, "ada", &account, &session).await;
    match store.lookup_token(&IdentityKey(session_key(7).0)).await.expect("lookup") {
        TokenLookup::Session(found) => assert_eq!(found, session.record, "the session as it was started"),
        other => panic!("a session's token opens the session, got {other:?}"),
    }
    assert_eq!(
        store.lookup_token(&who(1)).await.expect("lookup"),
        TokenLookup::Unknown,
        "the anonymous token retired at sign-up opens nothing"
    );
}

pub async fn set_status_for_token_writes_for_whoever_the_token_names(store: Arc<dyn Store>) {
    let (map, dns) = (backend(), topic("dns"));
    let unknown =
        store.set_status_for_token(&who(9), SessionCutoff::NONE, &map, &dns, Status::Done, 10).await.expect("write");
    assert_eq!(unknown, None, "a token that names nobody writes nothing");
    assert!(read(&*store, &who(9), &map).await.is_empty(), "nothing written for an unknown token");

    store.create_identity(&who(1), 1).await.expect("create_identity");
    set(&*store, &who(1), &map, "http", Status::Skipped, 5).await;
    let mine =
        store.set_status_for_token(&who(1), SessionCutoff::NONE, &map, &dns, Status::Done, 10).await.expect("write");
    let expected = vec![rec("dns", Status::Done, 10), rec("http", Status::Skipped, 5)];
    assert_eq!(mine.map(sorted), Some(expected.clone()), "an anonymous token writes for its identity");
    assert_eq!(sorted(read(&*store, &who(1), &map).await), expected);

    // A session's token writes for the account's identity, unless the session is too old.
    let session = new_session(session_key(7), who(2), "ada", 5_000);
    sign_up_ok(&*store, "ada", &account_of(who(2), "$argon2id$x", 4_000), &session).await;
    let key = IdentityKey(session_key(7).0);
    let started = |after| SessionCutoff { started_after_ms: after, seen_after_ms: 0 };
    let through = store.set_status_for_token(&key, started(4_999), &map, &dns, Status::InProgress, 20).await;
    let through = through.expect("write");
    assert_eq!(through, Some(vec![rec("dns", Status::InProgress, 20)]), "a live session writes for its account");
    assert_eq!(read(&*store, &who(2), &map).await, vec![rec("dns", Status::InProgress, 20)]);
    let expired = store.set_status_for_token(&key, started(5_000), &map, &dns, Status::Done, 30).await.expect("write");
    assert_eq!(expired, None, "an expired session writes nothing");
    let idle = SessionCutoff { started_after_ms: 0, seen_after_ms: 5_000 };
    let idle = store.set_status_for_token(&key, idle, &map, &dns, Status::Done, 30).await.expect("write");
    assert_eq!(idle, None, "a session idle too long writes nothing");
    assert_eq!(read(&*store, &who(2), &map).await, vec![rec("dns", Status::InProgress, 20)]);
}

pub async fn create_identity_makes_it_exist(store: Arc<dyn Store>) {
    let exists = |n| {
        let store = store.clone();
        async move { store.identity_exists(&who(n)).await.expect("identity_exists") }
    };
    assert!(!exists(1).await, "an identity nobody created does not exist");
    store.create_identity(&who(1), 1_000).await.expect("create_identity");
    assert!(exists(1).await, "a created identity exists");
    assert!(!exists(2).await, "creating one identity does not create another");
    // Creating it again is harmless and it still exists.
    store.create_identity(&who(1), 2_000).await.expect("create_identity again");
    assert!(exists(1).await, "an identity created twice still exists");
}

pub async fn set_status_answers_the_roadmaps_statuses_after_the_write(store: Arc<dyn Store>) {
    let (a, map) = (who(1), backend());
    store.create_identity(&a, 1).await.expect("create_identity");
    let first = store.set_status(&a, &map, &topic("dns"), Status::Done, 100).await.expect("set_status dns");
    assert_eq!(sorted(first), vec![rec("dns", Status::Done, 100)], "the answer holds the status just written");
    let second = store.set_status(&a, &map, &topic("http"), Status::InProgress, 200).await.expect("set_status http");
    let expected = vec![rec("dns", Status::Done, 100), rec("http", Status::InProgress, 200)];
    assert_eq!(sorted(second), expected, "the answer holds every status of the roadmap after the write");
    // A status on another roadmap is not part of this roadmap's answer.
    let other = store.set_status(&a, &frontend(), &topic("css"), Status::Skipped, 300).await.expect("set_status css");
    assert_eq!(sorted(other), vec![rec("css", Status::Skipped, 300)], "the answer is only that roadmap's statuses");
    assert_eq!(read(&*store, &a, &map).await, expected, "statuses() reads back what was written");
}

pub async fn set_status_replaces_whatever_its_time(store: Arc<dyn Store>) {
    let (a, map) = (who(1), backend());
    set(&*store, &a, &map, "dns", Status::Done, 500).await;
    let answer = store.set_status(&a, &map, &topic("dns"), Status::Skipped, 100).await.expect("set_status older");
    assert_eq!(
        sorted(answer),
        vec![rec("dns", Status::Skipped, 100)],
        "set_status replaces a newer stored status (no newest-wins here), one entry per topic"
    );
    set(&*store, &a, &map, "dns", Status::InProgress, 900).await;
    set(&*store, &a, &map, "dns", Status::None, 900).await;
    assert_eq!(
        read(&*store, &a, &map).await,
        vec![rec("dns", Status::None, 900)],
        "the last write wins, also with an equal time"
    );
}

pub async fn statuses_of_one_identity_never_show_for_another(store: Arc<dyn Store>) {
    let (a, b, map) = (who(1), who(2), backend());
    set(&*store, &a, &map, "dns", Status::Done, 10).await;
    set(&*store, &a, &frontend(), "css", Status::Done, 11).await;
    assert_eq!(read(&*store, &b, &map).await, vec![], "another identity sees none of A's statuses");
    assert_eq!(read_all(&*store, &b).await, BTreeMap::new(), "all_statuses of another identity is empty");
    set(&*store, &b, &map, "dns", Status::Skipped, 12).await;
    assert_eq!(read(&*store, &a, &map).await, vec![rec("dns", Status::Done, 10)], "B's write leaves A's status");
    assert_eq!(read(&*store, &b, &map).await, vec![rec("dns", Status::Skipped, 12)], "B reads only its own");
}

pub async fn roadmaps_are_separate(store: Arc<dyn Store>) {
    let a = who(1);
    set(&*store, &a, &backend(), "dns", Status::Done, 10).await;
    set(&*store, &a, &frontend(), "dns", Status::Skipped, 20).await;
    set(&*store, &a, &frontend(), "css", Status::InProgress, 30).await;
    assert_eq!(read(&*store, &a, &backend()).await, vec![rec("dns", Status::Done, 10)], "backend keeps its own dns");
    let front = vec![rec("css", Status::InProgress, 30), rec("dns", Status::Skipped, 20)];
    assert_eq!(read(&*store, &a, &frontend()).await, front, "frontend keeps its own statuses");
    let expected = BTreeMap::from([(backend(), vec![rec("dns", Status::Done, 10)]), (frontend(), front)]);
    assert_eq!(read_all(&*store, &a).await, expected, "all_statuses lists every roadmap with its statuses");
    assert_eq!(read(&*store, &a, &roadmap("devops")).await, vec![], "an untouched roadmap has no statuses");
}

pub async fn clear_statuses_counts_and_removes_only_that_roadmap(store: Arc<dyn Store>) {
    let (a, b, map) = (who(1), who(2), backend());
    for (i, id) in ["dns", "http", "tls"].into_iter().enumerate() {
        set(&*store, &a, &map, id, Status::Done, 10 + i as u64).await;
    }
    set(&*store, &a, &frontend(), "css", Status::Done, 20).await;
    set(&*store, &b, &map, "dns", Status::Skipped, 30).await;
    let cleared = store.clear_statuses(&a, &map).await.expect("clear_statuses");
    assert_eq!(cleared, 3, "clear_statuses answers how many statuses there were");
    assert_eq!(read(&*store, &a, &map).await, vec![], "the roadmap's statuses are gone");
    assert_eq!(read(&*store, &a, &frontend()).await, vec![rec("css", Status::Done, 20)], "other roadmap kept");
    assert_eq!(read(&*store, &b, &map).await, vec![rec("dns", Status::Skipped, 30)], "other identity kept");
    let expected = BTreeMap::from([(frontend(), vec![rec("css", Status::Done, 20)])]);
    assert_eq!(read_all(&*store, &a).await, expected, "all_statuses no longer lists the cleared statuses");
    assert_eq!(store.clear_statuses(&a, &map).await.expect("clear_statuses again"), 0, "nothing left to clear");
}

pub async fn merge_statuses_newest_wins_ties_keep_stored_duplicates_collapse(store: Arc<dyn Store>) {
    let (a, map) = (who(1), backend());
    set(&*store, &a, &map, "dns", Status::Done, 100).await;
    set(&*store, &a, &map, "http", Status::Done, 100).await;
    set(&*store, &a, &map, "tls", Status::Done, 100).await;
    let incoming = BTreeMap::from([
        (
            map.clone(),
            vec![
                rec("dns", Status::Skipped, 200),   // newer: written
                rec("http", Status::Skipped, 50),   // older: stored kept
                rec("tls", Status::Skipped, 100),   // tie: stored kept
                rec("ssh", Status::InProgress, 10), // new topic: written
                rec("git", Status::Done, 5),        // three for one topic:
                rec("git", Status::Skipped, 30),    //   the newest is written,
                rec("git", Status::InProgress, 20), //   once
            ],
        ),
        (frontend(), vec![rec("css", Status::Done, 1)]),
    ]);
    let written = store.merge_statuses(&a, incoming).await.expect("merge_statuses");
    assert_eq!(written, 4, "merge counts what it wrote: dns, ssh, git (once), css");
    let expected = vec![
        rec("dns", Status::Skipped, 200),
        rec("git", Status::Skipped, 30),
        rec("http", Status::Done, 100),
        rec("ssh", Status::InProgress, 10),
        rec("tls", Status::Done, 100),
    ];
    assert_eq!(read(&*store, &a, &map).await, expected, "newest wins, ties keep stored, duplicates collapse");
    assert_eq!(read(&*store, &a, &frontend()).await, vec![rec("css", Status::Done, 1)], "other roadmaps merge too");
    assert_eq!(read_all(&*store, &who(2)).await, BTreeMap::new(), "merging into A writes nothing for others");
    let again = BTreeMap::from([(map.clone(), vec![rec("dns", Status::Done, 200)])]);
    assert_eq!(store.merge_statuses(&a, again).await.expect("merge again"), 0, "a tie writes nothing");
    assert_eq!(read(&*store, &a, &map).await, expected, "a merge that wrote nothing changed nothing");
}

// ---- accounts and sessions ----------------------------------------------------------

pub async fn account_is_none_until_signed_up(store: Arc<dyn Store>) {
    assert_eq!(store.account(&user("ada")).await.expect("account"), None, "no account before sign-up");
    let a = who(1);
    store.create_identity(&a, 1).await.expect("create_identity");
    sign_up_ok(&*store, "ada", &account_of(a, "$argon2id$one", 2), &new_session(session_key(1), a, "ada", 3)).await;
    assert_eq!(store.account(&user("bob")).await.expect("account"), None, "other names stay free");
}

pub async fn sign_up_creates_account_and_session_and_retires_the_identity(store: Arc<dyn Store>) {
    let a = who(1);
    store.create_identity(&a, 1_000).await.expect("create_identity");
    set(&*store, &a, &backend(), "dns", Status::Done, 1_001).await;
    set(&*store, &a, &backend(), "http", Status::InProgress, 1_002).await;
    set(&*store, &a, &frontend(), "css", Status::Skipped, 1_003).await;
    let account = account_of(a, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", 2_000);
    let session = new_session(session_key(7), a, "ada", 2_000);
    let owned = sign_up_ok(&*store, "Ada", &account, &session).await;
    assert_eq!(owned, 3, "sign_up answers how many statuses (on every roadmap) the account now owns");
    assert_eq!(store.account(&user("ada")).await.expect("account"), Some(account), "the account reads back");
    assert_eq!(session_of(&*store, &session.key).await, Some(session.record.clone()), "the session is started");
    assert!(!store.identity_exists(&a).await.expect("identity_exists"), "the anonymous identity is retired");
    let kept = BTreeMap::from([
        (backend(), vec![rec("dns", Status::Done, 1_001), rec("http", Status::InProgress, 1_002)]),
        (frontend(), vec![rec("css", Status::Skipped, 1_003)]),
    ]);
    assert_eq!(read_all(&*store, &a).await, kept, "the statuses stay with the account's identity");
}

pub async fn sign_up_with_a_taken_name_writes_nothing(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    store.create_identity(&a, 1).await.expect("create_identity a");
    let first = account_of(a, "$argon2id$first", 10);
    sign_up_ok(&*store, "ada", &first, &new_session(session_key(1), a, "ada", 10)).await;
    store.create_identity(&b, 20).await.expect("create_identity b");
    set(&*store, &b, &backend(), "dns", Status::Done, 21).await;
    let second = new_session(session_key(2), b, "ada", 30);
    for name in ["ada", "ADA", " Ada "] {
        let outcome = store.sign_up(&user(name), &account_of(b, "$argon2id$second", 30), &second).await;
        assert_eq!(outcome.expect("sign_up"), SignUpOutcome::Taken, "`{name}` is taken (names ignore case)");
    }
    assert_eq!(store.account(&user("ada")).await.expect("account"), Some(first), "the first account is unchanged");
    assert_eq!(session_of(&*store, &second.key).await, None, "no session for the refused sign-up");
    assert!(store.identity_exists(&b).await.expect("identity_exists"), "the refused identity is not retired");
    assert_eq!(read(&*store, &b, &backend()).await, vec![rec("dns", Status::Done, 21)], "its statuses are kept");
    assert!(session_of(&*store, &session_key(1)).await.is_some(), "the first account's session still works");
}

pub async fn sign_in_merges_newer_statuses_retires_the_anonymous_identity_and_ends_the_old_session(
    store: Arc<dyn Store>,
) {
    let (a, anon) = (who(1), who(2));
    store.create_identity(&a, 1).await.expect("create_identity a");
    set(&*store, &a, &backend(), "dns", Status::Done, 100).await;
    set(&*store, &a, &backend(), "http", Status::Done, 300).await;
    let old = new_session(session_key(1), a, "ada", 2);
    sign_up_ok(&*store, "ada", &account_of(a, "$argon2id$h", 2), &old).await;
    store.create_identity(&anon, 150).await.expect("create_identity anon");
    set(&*store, &anon, &backend(), "dns", Status::Skipped, 200).await; // newer: moves
    set(&*store, &anon, &backend(), "http", Status::InProgress, 200).await; // older: account keeps its own
    set(&*store, &anon, &backend(), "ssh", Status::Done, 50).await; // new: moves
    set(&*store, &anon, &frontend(), "css", Status::Done, 10).await; // other roadmap: moves
    let fresh = new_session(session_key(2), a, "ada", 400);
    let written = store.sign_in(&fresh, Some(&anon), Some(&old.key)).await.expect("sign_in");
    assert_eq!(written, 3, "sign_in answers how many statuses it wrote into the account");
    let expected = BTreeMap::from([
        (
            backend(),
            vec![rec("dns", Status::Skipped, 200), rec("http", Status::Done, 300), rec("ssh", Status::Done, 50)],
        ),
        (frontend(), vec![rec("css", Status::Done, 10)]),
    ]);
    assert_eq!(read_all(&*store, &a).await, expected, "newer anonymous statuses moved into the account");
    assert_eq!(read_all(&*store, &anon).await, BTreeMap::new(), "the anonymous statuses are cleared");
    assert!(!store.identity_exists(&anon).await.expect("identity_exists"), "the anonymous identity is retired");
    assert_eq!(session_of(&*store, &old.key).await, None, "the session `end` is ended");
    assert_eq!(session_of(&*store, &fresh.key).await, Some(fresh.record.clone()), "the new session is started");
}

pub async fn sign_in_without_merge_only_starts_the_session(store: Arc<dyn Store>) {
    let a = who(1);
    store.create_identity(&a, 1).await.expect("create_identity");
    set(&*store, &a, &backend(), "dns", Status::Done, 5).await;
    let first = new_session(session_key(1), a, "ada", 2);
    sign_up_ok(&*store, "ada", &account_of(a, "$argon2id$h", 2), &first).await;
    let second = new_session(session_key(2), a, "ada", 10);
    assert_eq!(store.sign_in(&second, None, None).await.expect("sign_in"), 0, "nothing merged, nothing written");
    assert_eq!(session_of(&*store, &second.key).await, Some(second.record.clone()), "the new session works");
    assert_eq!(session_of(&*store, &first.key).await, Some(first.record.clone()), "the other session still works");
    assert_eq!(read(&*store, &a, &backend()).await, vec![rec("dns", Status::Done, 5)], "the statuses are untouched");
}

pub async fn change_password_stores_the_hash_and_ends_every_other_session(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    let ada = account_of(a, "$argon2id$old", 1);
    sign_up_ok(&*store, "ada", &ada, &new_session(session_key(1), a, "ada", 1)).await;
    for n in [2, 3] {
        store.sign_in(&new_session(session_key(n), a, "ada", u64::from(n)), None, None).await.expect("sign_in");
    }
    let bob = new_session(session_key(9), b, "bob", 4);
    sign_up_ok(&*store, "bob", &account_of(b, "$argon2id$bob", 4), &bob).await;

    let ended = store.change_password(&user("ada"), "$argon2id$new", Some(&session_key(2)), None).await;
    assert_eq!(ended.expect("change_password"), 2, "change_password answers how many sessions it ended");
    let stored = store.account(&user("ada")).await.expect("account").expect("the account still exists");
    assert_eq!(stored, AccountRecord { password_hash: "$argon2id$new".to_owned(), ..ada }, "the new hash is stored");
    assert_eq!(session_of(&*store, &session_key(1)).await, None, "another session of the account is ended");
    assert_eq!(session_of(&*store, &session_key(3)).await, None, "every other session of the account is ended");
    assert!(session_of(&*store, &session_key(2)).await.is_some(), "the session `keep` still works");
    assert_eq!(session_of(&*store, &bob.key).await, Some(bob.record), "another account's session is untouched");
    let bob_account = store.account(&user("bob")).await.expect("account").expect("bob");
    assert_eq!(bob_account.password_hash, "$argon2id$bob", "another account's hash is untouched");

    let ended =
        store.change_password(&user("ada"), "$argon2id$newer", None, None).await.expect("change_password again");
    assert_eq!(ended, 1, "without `keep` every session ends");
    assert_eq!(session_of(&*store, &session_key(2)).await, None, "the kept session ends too this time");
}

pub async fn change_password_for_an_unknown_account_fails(store: Arc<dyn Store>) {
    let outcome = store.change_password(&user("nobody"), "$argon2id$x", None, None).await;
    assert!(matches!(outcome, Err(StoreError::Io(_))), "no account: an Io error, got {outcome:?}");
    assert_eq!(store.account(&user("nobody")).await.expect("account"), None, "and no account appears");
}

pub async fn end_session_ends_only_that_session(store: Arc<dyn Store>) {
    let a = who(1);
    let first = new_session(session_key(1), a, "ada", 1);
    sign_up_ok(&*store, "ada", &account_of(a, "$argon2id$h", 1), &first).await;
    let second = new_session(session_key(2), a, "ada", 2);
    store.sign_in(&second, None, None).await.expect("sign_in");
    store.end_session(&first.key).await.expect("end_session");
    assert_eq!(session_of(&*store, &first.key).await, None, "the ended session is gone");
    assert_eq!(session_of(&*store, &second.key).await, Some(second.record), "the other session still works");
    store.end_session(&first.key).await.expect("ending an ended session is not an error");
    store.end_session(&session_key(42)).await.expect("ending an unknown session is not an error");
    assert!(store.account(&user("ada")).await.expect("account").is_some(), "the account outlives its sessions");
}

// ---- display names and share links --------------------------------------------------

pub async fn display_names_are_set_replaced_and_cleared(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    let name = |n| {
        let store = store.clone();
        async move { store.display_name(&who(n)).await.expect("display_name") }
    };
    assert_eq!(name(1).await, None, "no display name until one is set");
    store.set_display_name(&a, Some("Ada “the first” Løvelace")).await.expect("set_display_name");
    assert_eq!(name(1).await.as_deref(), Some("Ada “the first” Løvelace"), "the name reads back exactly");
    store.set_display_name(&b, Some("Bob")).await.expect("set_display_name b");
    store.set_display_name(&a, Some("Ada")).await.expect("set_display_name again");
    assert_eq!(name(1).await.as_deref(), Some("Ada"), "a new name replaces the old");
    store.set_display_name(&a, None).await.expect("clear display name");
    assert_eq!(name(1).await, None, "None clears the name");
    assert_eq!(name(2).await.as_deref(), Some("Bob"), "another identity's name is untouched");
    store.set_display_name(&a, None).await.expect("clearing a cleared name is not an error");
}

pub async fn create_share_stops_at_max_per_owner(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    for n in 1..=3u8 {
        let made = store.create_share(&code(n), &share_of(a, backend(), u64::from(n)), 3).await.expect("create_share");
        assert!(made, "link {n} of 3 is created");
    }
    let refused = store.create_share(&code(4), &share_of(a, backend(), 4), 3).await.expect("create_share 4th");
    assert!(!refused, "the link over max is refused");
    assert_eq!(store.share(&code(4)).await.expect("share"), None, "the refused link does not exist");
    assert_eq!(store.shares_of(&a).await.expect("shares_of").len(), 3, "the owner has max links");
    let other = store.create_share(&code(5), &share_of(b, frontend(), 5), 3).await.expect("create_share b");
    assert!(other, "max counts per owner: another identity can still make links");
    assert_eq!(store.share(&code(5)).await.expect("share"), Some(share_of(b, frontend(), 5)), "it reads back");
}

pub async fn shares_of_lists_only_own_links_oldest_first(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    // Codes in the opposite order to their times, so an order by code would show.
    let made = [(code(9), 100), (code(5), 200), (code(1), 300)];
    for (c, at) in [&made[2], &made[0], &made[1]] {
        assert!(store.create_share(c, &share_of(a, backend(), *at), 10).await.expect("create_share"), "created");
    }
    assert!(store.create_share(&code(7), &share_of(b, backend(), 150), 10).await.expect("create_share b"), "created");
    let listed = store.shares_of(&a).await.expect("shares_of");
    let expected: Vec<(ShareCode, ShareRecord)> =
        made.iter().map(|(c, at)| (c.clone(), share_of(a, backend(), *at))).collect();
    assert_eq!(listed, expected, "shares_of lists only the identity's own links, oldest first");
    assert_eq!(store.share(&code(9)).await.expect("share"), Some(share_of(a, backend(), 100)), "share(code) reads");
    assert_eq!(store.share(&code(3)).await.expect("share"), None, "an unknown code is None");
    assert_eq!(store.shares_of(&who(3)).await.expect("shares_of"), vec![], "no links for a stranger");
}

pub async fn revoke_share_only_by_its_owner(store: Arc<dyn Store>) {
    let (a, b) = (who(1), who(2));
    let record = share_of(a, backend(), 10);
    assert!(store.create_share(&code(1), &record, 5).await.expect("create_share"), "created");
    assert!(!store.revoke_share(&b, &code(1)).await.expect("revoke by b"), "someone else cannot revoke it");
    assert_eq!(store.share(&code(1)).await.expect("share"), Some(record), "the link survives that attempt");
    assert!(store.revoke_share(&a, &code(1)).await.expect("revoke by a"), "the owner revokes it");
    assert_eq!(store.share(&code(1)).await.expect("share"), None, "a revoked link is gone");
    assert_eq!(store.shares_of(&a).await.expect("shares_of"), vec![], "and no longer listed");
    assert!(!store.revoke_share(&a, &code(1)).await.expect("revoke again"), "revoking twice answers false");
    assert!(!store.revoke_share(&a, &code(2)).await.expect("revoke unknown"), "an unknown code answers false");
    assert!(store.create_share(&code(2), &share_of(a, backend(), 11), 1).await.expect("create_share"), "room again");
}

// ---- backup and restore ---------------------------------------------------------------

const HASH_ADA: &str = "$argon2id$v=19$m=19456,t=2,p=1$YWRhc2FsdA$YWRhaGFzaA";
const HASH_BOB: &str = "$argon2id$v=19$m=19456,t=2,p=1$Ym9ic2FsdA$Ym9iaGFzaA";

/// What `fill` wrote, as the rows a backup of it must hold.
fn filled_rows() -> Vec<BackupRow> {
    let (ada, bea, bob) = (who(1), who(2), who(3));
    sorted_rows(vec![
        BackupRow::identity(&bea, 1_000, 1_000),
        BackupRow::status(&bea, backend(), topic("dns"), Status::Done, 1_001),
        BackupRow::status(&bea, frontend(), topic("css"), Status::InProgress, 1_002),
        BackupRow::note(&bea, backend(), topic("dns"), "dig +trace".to_owned(), 1_003),
        BackupRow::status(&ada, backend(), topic("http"), Status::Skipped, 2_001),
        BackupRow::status(&ada, backend(), topic("tls"), Status::None, 2_002),
        BackupRow::account(&user("ada"), &account_of(ada, HASH_ADA, 2_010)),
        BackupRow::account(&user("bob"), &account_of(bob, HASH_BOB, 3_001)),
        BackupRow::session(&session_key(1), &new_session(session_key(1), ada, "ada", 2_010).record),
        BackupRow::session(&session_key(2), &new_session(session_key(2), ada, "ada", 2_020).record),
        BackupRow::profile(&bea, "Bea"),
        BackupRow::profile(&ada, "Ada Lovelace"),
        BackupRow::share(&code(1), &share_of(ada, backend(), 2_030)),
        BackupRow::share(&code(2), &share_of(ada, frontend(), 2_040)),
    ])
}

/// Writes one of everything through the trait: an anonymous identity with statuses and a
/// display name, an account with statuses, two sessions, a profile and two links, and a
/// second account whose only session a password change ended.
async fn fill(store: &dyn Store) {
    let (ada, bea, bob) = (who(1), who(2), who(3));
    store.create_identity(&bea, 1_000).await.expect("create_identity bea");
    set(store, &bea, &backend(), "dns", Status::Done, 1_001).await;
    set(store, &bea, &frontend(), "css", Status::InProgress, 1_002).await;
    store.set_display_name(&bea, Some("Bea")).await.expect("set_display_name bea");
    store.set_note(&bea, &backend(), &topic("dns"), Some("dig +trace"), 1_003).await.expect("set_note bea");

    store.create_identity(&ada, 2_000).await.expect("create_identity ada");
    set(store, &ada, &backend(), "http", Status::Skipped, 2_001).await;
    set(store, &ada, &backend(), "tls", Status::None, 2_002).await;
    let owned =
        sign_up_ok(store, "ada", &account_of(ada, HASH_ADA, 2_010), &new_session(session_key(1), ada, "ada", 2_010))
            .await;
    assert_eq!(owned, 2, "fill: ada's statuses");
    store.sign_in(&new_session(session_key(2), ada, "ada", 2_020), None, None).await.expect("sign_in ada");
    store.set_display_name(&ada, Some("Ada Lovelace")).await.expect("set_display_name ada");
    assert!(store.create_share(&code(1), &share_of(ada, backend(), 2_030), 10).await.expect("share 1"), "fill");
    assert!(store.create_share(&code(2), &share_of(ada, frontend(), 2_040), 10).await.expect("share 2"), "fill");

    store.create_identity(&bob, 3_000).await.expect("create_identity bob");
    let bob_session = new_session(session_key(3), bob, "bob", 3_001);
    sign_up_ok(store, "bob", &account_of(bob, "$argon2id$before", 3_001), &bob_session).await;
    assert_eq!(store.change_password(&user("bob"), HASH_BOB, None, None).await.expect("change_password"), 1, "fill");
}

/// Checks, through reads, that `store` holds exactly what `fill` wrote.
async fn check_filled(store: &dyn Store, what: &str) {
    let (ada, bea, bob) = (who(1), who(2), who(3));
    assert!(store.holds_data().await.expect("holds_data"), "{what}: holds data");
    assert!(store.identity_exists(&bea).await.expect("identity_exists"), "{what}: the anonymous identity exists");
    assert!(!store.identity_exists(&ada).await.expect("identity_exists"), "{what}: ada's identity stays retired");
    assert!(!store.identity_exists(&bob).await.expect("identity_exists"), "{what}: bob's identity stays retired");
    let bea_all = BTreeMap::from([
        (backend(), vec![rec("dns", Status::Done, 1_001)]),
        (frontend(), vec![rec("css", Status::InProgress, 1_002)]),
    ]);
    assert_eq!(read_all(store, &bea).await, bea_all, "{what}: the anonymous statuses");
    let bea_notes = store.notes(&bea, &backend()).await.expect("notes");
    let dns = crate::roadmap::notes::NoteRecord { topic: topic("dns"), text: "dig +trace".into(), changed_at: 1_003 };
    assert_eq!(bea_notes, vec![dns], "{what}: the anonymous identity's note");
    let ada_backend = vec![rec("http", Status::Skipped, 2_001), rec("tls", Status::None, 2_002)];
    assert_eq!(read(store, &ada, &backend()).await, ada_backend, "{what}: the account's statuses");
    assert_eq!(
        store.account(&user("ada")).await.expect("account"),
        Some(account_of(ada, HASH_ADA, 2_010)),
        "{what}: the account"
    );
    assert_eq!(
        store.account(&user("bob")).await.expect("account").map(|a| a.password_hash),
        Some(HASH_BOB.to_owned()),
        "{what}: the changed password hash"
    );
    for (n, at) in [(1, 2_010), (2, 2_020)] {
        let expected = new_session(session_key(n), ada, "ada", at).record;
        assert_eq!(session_of(store, &session_key(n)).await, Some(expected), "{what}: session {n}");
    }
    assert_eq!(session_of(store, &session_key(3)).await, None, "{what}: the ended session stays ended");
    assert_eq!(store.display_name(&ada).await.expect("display_name").as_deref(), Some("Ada Lovelace"), "{what}");
    assert_eq!(store.display_name(&bea).await.expect("display_name").as_deref(), Some("Bea"), "{what}: profile");
    assert_eq!(store.share(&code(1)).await.expect("share"), Some(share_of(ada, backend(), 2_030)), "{what}: share");
    let listed = store.shares_of(&ada).await.expect("shares_of");
    let expected = vec![(code(1), share_of(ada, backend(), 2_030)), (code(2), share_of(ada, frontend(), 2_040))];
    assert_eq!(listed, expected, "{what}: the owner's links, oldest first");
}

pub async fn backup_rows_yields_every_row_of_every_kind(store: Arc<dyn Store>) {
    fill(&*store).await;
    let rows = rows_of(&*store).await;
    let kinds: BTreeSet<&str> = rows.iter().map(BackupRow::kind).collect();
    assert_eq!(kinds, super::rows::KINDS.into_iter().collect(), "a backup holds rows of every kind");
    assert_eq!(rows, filled_rows(), "backup_rows yields exactly the rows written, nothing retired or ended");
    for row in &rows {
        row.check().unwrap_or_else(|e| panic!("a backup row does not check: {e}: {row:?}"));
    }
    // It includes a write acknowledged just before the call.
    set(&*store, &who(2), &backend(), "git", Status::Done, 5_000).await;
    let after = rows_of(&*store).await;
    let git = BackupRow::status(&who(2), backend(), topic("git"), Status::Done, 5_000);
    assert!(after.contains(&git), "a backup includes every write acknowledged before it");
    assert_eq!(after.len(), rows.len() + 1, "and nothing else changed");
}

pub async fn holds_data_is_false_when_empty_and_true_after_one_write(store: Arc<dyn Store>) {
    assert!(!store.holds_data().await.expect("holds_data"), "a fresh store holds no data");
    assert!(rows_of(&*store).await.is_empty(), "a fresh store backs up no rows");
    set(&*store, &who(1), &backend(), "dns", Status::Done, 1).await;
    assert!(store.holds_data().await.expect("holds_data"), "one status is data");
}

pub async fn restore_rows_into_an_empty_store_reproduces_reads(store: Arc<dyn Store>) {
    assert!(!store.holds_data().await.expect("holds_data"), "restore needs an empty store");
    let rows = filled_rows();
    store.restore_rows(rows.clone()).await.expect("restore_rows");
    check_filled(&*store, "after restore_rows").await;
    assert_eq!(rows_of(&*store).await, rows, "a backup of the restored store holds exactly the rows restored");
    // The restored store is an ordinary one: it takes writes and flows.
    set(&*store, &who(2), &backend(), "git", Status::Done, 9_000).await;
    assert_eq!(
        store
            .sign_up(
                &user("ada"),
                &account_of(who(4), "$argon2id$x", 9_001),
                &new_session(session_key(4), who(4), "ada", 9_001)
            )
            .await
            .expect("sign_up"),
        SignUpOutcome::Taken,
        "a restored account's name is taken"
    );
}

/// Writes one of everything into `source` through the trait, backs it up, restores the rows
/// into the empty `target` (possibly another backend) and checks the target reads the same
/// and backs up the same rows.
pub async fn restore_round_trip(source: Arc<dyn Store>, target: Arc<dyn Store>) {
    fill(&*source).await;
    let rows = rows_of(&*source).await;
    assert_eq!(rows, filled_rows(), "the source backs up what was written");
    assert!(!target.holds_data().await.expect("holds_data"), "the target starts empty");
    target.restore_rows(rows.clone()).await.expect("restore_rows");
    check_filled(&*target, &format!("{} restored from {}", target.backend(), source.backend())).await;
    assert_eq!(rows_of(&*target).await, rows, "the restored store backs up the same rows as the original");
}

/// Writes one of everything, hands the store to `reopen` (which drops it and opens the same
/// data again) and checks every write is still there.
pub async fn durable_across_reopen<F>(first: Arc<dyn Store>, reopen: F)
where
    F: FnOnce(Arc<dyn Store>) -> BoxFuture<'static, Arc<dyn Store>>,
{
    fill(&*first).await;
    let before = rows_of(&*first).await;
    assert_eq!(Arc::strong_count(&first), 1, "the suite holds no other handle to the store it reopens");
    let again = reopen(first).await;
    check_filled(&*again, "after reopening").await;
    assert_eq!(rows_of(&*again).await, before, "every acknowledged write survives a reopen");
}

// ---- concurrency -----------------------------------------------------------------------

pub async fn concurrent_status_writes_all_complete_and_are_read_back(store: Arc<dyn Store>) {
    let (a, map) = (who(1), backend());
    store.create_identity(&a, 1).await.expect("create_identity");
    let tasks: Vec<_> = (0..64u64)
        .map(|i| {
            let (store, map) = (store.clone(), map.clone());
            tokio::spawn(async move {
                let id = topic(&format!("topic-{i}"));
                let answer = store.set_status(&a, &map, &id, Status::Done, 1_000 + i).await;
                (id, answer)
            })
        })
        .collect();
    let all = async {
        for task in tasks {
            let (id, answer) = task.await.expect("a writer task panicked");
            let answer = answer.unwrap_or_else(|e| panic!("concurrent set_status {id}: {e}"));
            assert!(answer.iter().any(|r| r.topic == id), "the answer to writing {id} includes it");
        }
    };
    tokio::time::timeout(CONCURRENCY_LIMIT, all).await.expect("64 concurrent status writes finish within 30 s");
    let expected: Vec<Recorded> =
        sorted((0..64u64).map(|i| rec(&format!("topic-{i}"), Status::Done, 1_000 + i)).collect());
    assert_eq!(read(&*store, &a, &map).await, expected, "all 64 concurrent writes are read back");
}

pub async fn concurrent_sign_ups_for_one_name_create_exactly_one_account(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (1..=16u8)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                store.create_identity(&who(n), u64::from(n)).await.expect("create_identity");
                let account = account_of(who(n), &format!("$argon2id${n}"), 100);
                let outcome =
                    store.sign_up(&user("ada"), &account, &new_session(session_key(n), who(n), "ada", 100)).await;
                (n, outcome)
            })
        })
        .collect();
    let outcomes = tokio::time::timeout(CONCURRENCY_LIMIT, async {
        let mut outcomes = Vec::new();
        for task in tasks {
            let (n, outcome) = task.await.expect("a sign-up task panicked");
            outcomes.push((n, outcome.unwrap_or_else(|e| panic!("concurrent sign_up {n}: {e}"))));
        }
        outcomes
    })
    .await
    .expect("16 concurrent sign-ups finish within 30 s");
    let winners: Vec<u8> =
        outcomes.iter().filter(|(_, o)| matches!(o, SignUpOutcome::Created { .. })).map(|(n, _)| *n).collect();
    assert_eq!(winners.len(), 1, "exactly one of 16 concurrent sign-ups for one name is Created: {outcomes:?}");
    let winner = winners[0];
    let account = store.account(&user("ada")).await.expect("account").expect("the account exists");
    assert_eq!(account.identity, who(winner), "the account is the winner's");
    for n in 1..=16u8 {
        let session = session_of(&*store, &session_key(n)).await;
        assert_eq!(session.is_some(), n == winner, "only the winner's session exists (sign-up {n})");
        let exists = store.identity_exists(&who(n)).await.expect("identity_exists");
        assert_eq!(exists, n != winner, "only the winner's identity is retired (sign-up {n})");
    }
}

pub async fn concurrent_create_share_never_exceeds_max(store: Arc<dyn Store>) {
    let a = who(1);
    let tasks: Vec<_> = (1..=20u8)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                let made = store.create_share(&code(n), &share_of(a, backend(), u64::from(n)), 5).await;
                (n, made)
            })
        })
        .collect();
    let made = tokio::time::timeout(CONCURRENCY_LIMIT, async {
        let mut made = BTreeSet::new();
        for task in tasks {
            let (n, outcome) = task.await.expect("a create_share task panicked");
            if outcome.unwrap_or_else(|e| panic!("concurrent create_share {n}: {e}")) {
                made.insert(code(n).as_str().to_owned());
            }
        }
        made
    })
    .await
    .expect("20 concurrent create_share finish within 30 s");
    assert_eq!(made.len(), 5, "exactly max (5) of 20 concurrent create_share answer true");
    let listed: BTreeSet<String> =
        store.shares_of(&a).await.expect("shares_of").into_iter().map(|(c, _)| c.as_str().to_owned()).collect();
    assert_eq!(listed, made, "exactly the 5 links that answered true exist");
}

// ---- attempts ----------------------------------------------------------------------------

const WINDOW: Duration = Duration::from_secs(60);
const SIGN_IN: Limit = Limit { name: "contract-sign-in", max: 3, window: WINDOW };
const SIGN_UP: Limit = Limit { name: "contract-sign-up", max: 3, window: WINDOW };
/// Far from zero, so `now - window` does not saturate.
const T0: u64 = 1_800_000_000_000;

async fn check(attempts: &dyn Attempts, limit: &Limit, key: &str, now_ms: u64) -> Option<Duration> {
    attempts.check(limit, key, now_ms).await.unwrap_or_else(|e| panic!("check {key}: {e}"))
}

async fn hit(attempts: &dyn Attempts, limit: &Limit, key: &str, now_ms: u64) {
    attempts.hit(limit, key, now_ms).await.unwrap_or_else(|e| panic!("hit {key}: {e}"));
}

/// Uses up `key`'s attempts under `limit` at T0, T0+1, T0+2.
async fn use_up(attempts: &dyn Attempts, limit: &Limit, key: &str) {
    for i in 0..u64::from(limit.max) {
        hit(attempts, limit, key, T0 + i).await;
    }
}

pub async fn attempts_allow_max_then_answer_a_wait_within_the_window(attempts: Arc<dyn Attempts>) {
    let attempts = &*attempts;
    assert_eq!(check(attempts, &SIGN_IN, "ada", T0).await, None, "no attempts yet: allowed");
    for i in 0..u64::from(SIGN_IN.max) {
        assert_eq!(check(attempts, &SIGN_IN, "ada", T0 + i).await, None, "attempt {} of max is allowed", i + 1);
        hit(attempts, &SIGN_IN, "ada", T0 + i).await;
    }
    let now = T0 + 10;
    let wait = check(attempts, &SIGN_IN, "ada", now).await.expect("after max attempts, a wait");
    assert!(wait > Duration::ZERO && wait <= WINDOW, "the wait is within the window: {wait:?}");
    // The oldest attempt (T0) leaves the window at T0 + 60 s: 59.99 s from now.
    let until_oldest_leaves = Duration::from_millis(T0 + 60_000 - now);
    assert!(
        wait + Duration::from_millis(2) >= until_oldest_leaves,
        "the wait lasts until the oldest attempt leaves the window ({until_oldest_leaves:?}), got {wait:?}"
    );
    let later = check(attempts, &SIGN_IN, "ada", now + 30_000).await.expect("still limited half a window later");
    assert!(later < wait, "the wait shrinks as time passes: {later:?} then {wait:?}");
}

pub async fn attempts_of_other_keys_and_other_limits_are_separate(attempts: Arc<dyn Attempts>) {
    let attempts = &*attempts;
    use_up(attempts, &SIGN_IN, "ada").await;
    assert!(check(attempts, &SIGN_IN, "ada", T0 + 5).await.is_some(), "ada is limited");
    assert_eq!(check(attempts, &SIGN_IN, "bob", T0 + 5).await, None, "another key is not");
    assert_eq!(check(attempts, &SIGN_IN, "ada2", T0 + 5).await, None, "a key with ada as a prefix is not");
    assert_eq!(check(attempts, &SIGN_UP, "ada", T0 + 5).await, None, "the same key under another limit is not");
    hit(attempts, &SIGN_IN, "bob", T0 + 6).await;
    assert_eq!(check(attempts, &SIGN_IN, "bob", T0 + 7).await, None, "one attempt by bob is not max");
}

pub async fn attempts_are_allowed_again_once_the_window_passes(attempts: Arc<dyn Attempts>) {
    let attempts = &*attempts;
    use_up(attempts, &SIGN_IN, "ada").await; // at T0, T0+1, T0+2
    let window = 60_000;
    assert!(
        check(attempts, &SIGN_IN, "ada", T0 + window - 1).await.is_some(),
        "just inside the window all attempts still count"
    );
    assert_eq!(
        check(attempts, &SIGN_IN, "ada", T0 + window + 3).await,
        None,
        "once the window has passed the attempts no longer count"
    );
    hit(attempts, &SIGN_IN, "ada", T0 + window + 4).await;
    assert_eq!(check(attempts, &SIGN_IN, "ada", T0 + window + 5).await, None, "one new attempt is not max");
    hit(attempts, &SIGN_IN, "ada", T0 + window + 6).await;
    hit(attempts, &SIGN_IN, "ada", T0 + window + 7).await;
    assert!(
        check(attempts, &SIGN_IN, "ada", T0 + window + 8).await.is_some(),
        "max new attempts in a new window limit again"
    );
}

pub async fn attempts_reset_clears_only_that_key_and_limit(attempts: Arc<dyn Attempts>) {
    let attempts = &*attempts;
    use_up(attempts, &SIGN_IN, "ada").await;
    use_up(attempts, &SIGN_IN, "bob").await;
    use_up(attempts, &SIGN_UP, "ada").await;
    attempts.reset(&SIGN_IN, "ada").await.expect("reset");
    assert_eq!(check(attempts, &SIGN_IN, "ada", T0 + 5).await, None, "a reset key is allowed again");
    assert!(check(attempts, &SIGN_IN, "bob", T0 + 5).await.is_some(), "another key stays limited");
    assert!(check(attempts, &SIGN_UP, "ada", T0 + 5).await.is_some(), "the key under another limit stays limited");
    hit(attempts, &SIGN_IN, "ada", T0 + 6).await;
    assert_eq!(check(attempts, &SIGN_IN, "ada", T0 + 7).await, None, "after a reset counting starts from zero");
    attempts.reset(&SIGN_IN, "nobody").await.expect("resetting an unknown key is not an error");
}

pub async fn attempts_counted_concurrently_all_count(attempts: Arc<dyn Attempts>) {
    let twenty = Limit { name: "contract-concurrent", max: 20, window: WINDOW };
    let twenty_one = Limit { max: 21, ..twenty };
    let tasks: Vec<_> = (0..20u64)
        .map(|i| {
            let attempts = attempts.clone();
            tokio::spawn(async move { attempts.hit(&twenty, "ada", T0 + i).await })
        })
        .collect();
    tokio::time::timeout(CONCURRENCY_LIMIT, async {
        for task in tasks {
            task.await.expect("a hit task panicked").unwrap_or_else(|e| panic!("concurrent hit: {e}"));
        }
    })
    .await
    .expect("20 concurrent hits finish within 30 s");
    assert!(
        check(&*attempts, &twenty, "ada", T0 + 30).await.is_some(),
        "20 concurrent hits all count: max 20 is used up"
    );
    assert_eq!(check(&*attempts, &twenty_one, "ada", T0 + 30).await, None, "and no more than 20 were counted");
}
