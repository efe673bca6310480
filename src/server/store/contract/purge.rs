//! Contract cases for housekeeping: `touch_identity`, `purge`, a write that marks an
//! anonymous identity seen, and the site's secrets. Times are chosen far from the epoch so
//! every cut-off is real.

use super::{account_of, backend, code, new_session, share_of, sign_up_ok, topic, who, BoxFuture, Case};
use crate::roadmap::Status;
use crate::server::identity::{IdentityKey, SessionKey};
use crate::server::store::purge::{Purge, Purged, SEEN_EVERY_MS};
use crate::server::store::{SessionCutoff, Store, TokenLookup};
use std::sync::Arc;

const DAY: u64 = 24 * 60 * 60 * 1000;
/// The store's "now" when things are created.
const T0: u64 = 20_000 * DAY;

async fn seen(store: &dyn Store, who: &IdentityKey) -> Option<u64> {
    match store.lookup_token(who).await.expect("lookup_token") {
        TokenLookup::Identity { last_seen } => Some(last_seen),
        _ => None,
    }
}

pub fn cases() -> Vec<Case> {
    list![dyn Store;
        touch_moves_last_seen_and_never_creates,
        a_write_marks_a_stale_identity_seen,
        purge_removes_empty_identities_after_a_day_and_keeps_what_holds_something,
        purge_removes_unseen_identities_with_everything_they_hold_but_never_accounts,
        purge_ends_expired_sessions_only,
        purged_rows_are_gone_from_a_backup,
        a_secret_is_made_once_and_kept_per_name,
    ]
}

pub async fn touch_moves_last_seen_and_never_creates(store: Arc<dyn Store>) {
    store.create_identity(&who(1), T0).await.expect("create_identity");
    assert_eq!(seen(&*store, &who(1)).await, Some(T0), "created counts as seen");
    store.touch_identity(&who(1), T0 + 5 * DAY).await.expect("touch");
    assert_eq!(seen(&*store, &who(1)).await, Some(T0 + 5 * DAY));
    store.touch_identity(&who(2), T0).await.expect("touching nobody is not an error");
    assert_eq!(store.lookup_token(&who(2)).await.expect("lookup"), TokenLookup::Unknown, "and creates nobody");
}

pub async fn a_write_marks_a_stale_identity_seen(store: Arc<dyn Store>) {
    store.create_identity(&who(1), T0).await.expect("create_identity");
    let soon = T0 + SEEN_EVERY_MS - 1;
    store
        .set_status_for_token(&who(1), SessionCutoff::NONE, &backend(), &topic("dns"), Status::Done, soon)
        .await
        .expect("write");
    assert_eq!(seen(&*store, &who(1)).await, Some(T0), "within a day nothing moves (no extra write)");
    let later = T0 + 30 * DAY;
    store
        .set_status_for_token(&who(1), SessionCutoff::NONE, &backend(), &topic("dns"), Status::Skipped, later)
        .await
        .expect("write");
    assert_eq!(seen(&*store, &who(1)).await, Some(later), "a day or more later the write moves it");
}

pub async fn purge_removes_empty_identities_after_a_day_and_keeps_what_holds_something(store: Arc<dyn Store>) {
    for n in 1..=5 {
        store.create_identity(&who(n), T0).await.expect("create_identity");
    }
    store.set_status(&who(2), &backend(), &topic("dns"), Status::Done, T0).await.expect("status");
    store.set_display_name(&who(3), Some("Cy")).await.expect("name");
    assert!(store.create_share(&code(4), &share_of(who(4), backend(), T0), 50).await.expect("share"));
    store.create_identity(&who(6), T0 + DAY).await.expect("a younger one");
    store.touch_identity(&who(5), T0 + DAY).await.expect("seen later");

    let purged = store.purge(&Purge::at(T0 + DAY + DAY / 2)).await.expect("purge");
    assert_eq!(purged, Purged { empty: 1, unseen: 0, sessions: 0 }, "only the empty one idle for a day");
    assert_eq!(store.lookup_token(&who(1)).await.expect("lookup"), TokenLookup::Unknown, "empty and idle: gone");
    for n in 2..=6 {
        assert!(seen(&*store, &who(n)).await.is_some(), "identity {n} holds something or was seen lately");
    }
    assert_eq!(store.statuses(&who(2), &backend()).await.expect("statuses").len(), 1);
    assert_eq!(store.purge(&Purge::at(T0 + DAY + DAY / 2)).await.expect("again"), Purged::default(), "idempotent");
}

pub async fn purge_removes_unseen_identities_with_everything_they_hold_but_never_accounts(store: Arc<dyn Store>) {
    let lifetime = 400 * DAY;
    // 1: anonymous, a status, a name and a link, then never again. 2: the same, seen later.
    // 3: an account (its identity retired from the anonymous ones), not seen for years.
    for n in 1..=3 {
        store.create_identity(&who(n), T0).await.expect("create_identity");
        store.set_status(&who(n), &backend(), &topic("dns"), Status::Done, T0).await.expect("status");
        store.set_display_name(&who(n), Some("Someone")).await.expect("name");
        assert!(store.create_share(&code(n), &share_of(who(n), backend(), T0), 50).await.expect("share"));
    }
    store.touch_identity(&who(2), T0 + 300 * DAY).await.expect("seen later");
    let session = new_session(SessionKey([9; 32]), who(3), "ada", T0);
    sign_up_ok(&*store, "ada", &account_of(who(3), "$argon2id$x", T0), &session).await;

    let purged = store.purge(&Purge::at(T0 + lifetime + DAY)).await.expect("purge");
    assert_eq!((purged.unseen, purged.empty), (1, 0), "{purged:?}");
    assert_eq!(store.lookup_token(&who(1)).await.expect("lookup"), TokenLookup::Unknown);
    assert!(store.statuses(&who(1), &backend()).await.expect("statuses").is_empty(), "its statuses went too");
    assert_eq!(store.display_name(&who(1)).await.expect("name"), None, "and its name");
    assert_eq!(store.share(&code(1)).await.expect("share"), None, "and its link");
    assert!(store.shares_of(&who(1)).await.expect("shares").is_empty());

    assert!(seen(&*store, &who(2)).await.is_some(), "seen within the lifetime: kept");
    assert!(store.share(&code(2)).await.expect("share").is_some());
    assert_eq!(store.statuses(&who(3), &backend()).await.expect("statuses").len(), 1, "an account keeps its progress");
    assert_eq!(store.display_name(&who(3)).await.expect("name").as_deref(), Some("Someone"));
    assert!(store.account(&super::user("ada")).await.expect("account").is_some());
}

pub async fn purge_ends_expired_sessions_only(store: Arc<dyn Store>) {
    let old = new_session(SessionKey([1; 32]), who(1), "ada", T0);
    sign_up_ok(&*store, "ada", &account_of(who(1), "$argon2id$x", T0), &old).await;
    store.touch_session(&SessionKey([1; 32]), T0 + 85 * DAY).await.expect("used lately, but too old");
    for n in [2, 3] {
        store.sign_in(&new_session(SessionKey([n; 32]), who(1), "ada", T0 + 50 * DAY), None, None).await.expect("in");
    }
    store.touch_session(&SessionKey([3; 32]), T0 + 80 * DAY).await.expect("used 11 days ago");

    let purged = store.purge(&Purge::at(T0 + 91 * DAY)).await.expect("purge");
    assert_eq!(purged.sessions, 2, "{purged:?}");
    assert_eq!(store.session(&SessionKey([1; 32])).await.expect("session"), None, "90 days old: gone");
    assert_eq!(store.session(&SessionKey([2; 32])).await.expect("session"), None, "41 days unused: gone");
    assert!(store.session(&SessionKey([3; 32])).await.expect("session").is_some(), "41 days old, used lately: kept");
    // Ending all sessions later still works (the index lost the purged ones too).
    let ended = store.change_password(&super::user("ada"), "$argon2id$y", None, None).await.expect("change_password");
    assert_eq!(ended, 1);
}

pub async fn purged_rows_are_gone_from_a_backup(store: Arc<dyn Store>) {
    store.create_identity(&who(1), T0).await.expect("create_identity");
    store.create_identity(&who(2), T0).await.expect("create_identity");
    store.set_status(&who(2), &backend(), &topic("dns"), Status::Done, T0).await.expect("status");
    store.purge(&Purge::at(T0 + 2 * DAY)).await.expect("purge");
    let mut rows = Vec::new();
    store.backup_rows(&mut rows).await.expect("backup_rows");
    let identities: Vec<_> = rows.iter().filter(|r| r.kind() == "identities").collect();
    assert_eq!(identities.len(), 1, "{identities:?}");
    assert_eq!(identities[0], &crate::server::store::BackupRow::identity(&who(2), T0, T0));
}

pub async fn a_secret_is_made_once_and_kept_per_name(store: Arc<dyn Store>) {
    let first = store.secret("form_errors").await.expect("secret");
    assert_ne!(first, [0u8; 32], "random, not zeros");
    assert_eq!(store.secret("form_errors").await.expect("again"), first, "the same on every call");
    assert_ne!(store.secret("other").await.expect("other"), first, "another name, another secret");
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.secret("raced").await.expect("secret") })
        })
        .collect();
    let mut all = Vec::new();
    for racer in racers {
        all.push(racer.await.expect("a racer"));
    }
    assert!(all.windows(2).all(|w| w[0] == w[1]), "callers at once all get the one secret");
    assert!(!store.holds_data().await.expect("holds_data"), "secrets are not data a restore would overwrite");
}
