//! Contract cases for sessions beyond signing in and out: marking them used, listing an
//! account's devices, signing out everywhere else, and the new session a password change
//! starts for the browser that changed it.

use super::{account_of, backend, new_session, sign_up_ok, topic, user, who, BoxFuture, Case};
use crate::roadmap::Status;
use crate::server::identity::{IdentityKey, SessionKey};
use crate::server::store::{SessionCutoff, Store, TokenLookup};
use std::sync::Arc;

const DAY: u64 = 24 * 60 * 60 * 1000;

pub fn cases() -> Vec<Case> {
    list![dyn Store;
        a_session_keeps_its_device_and_moves_its_last_use_on,
        sessions_of_lists_only_that_accounts_devices,
        end_sessions_of_keeps_only_the_one_asked,
        change_password_starts_the_new_session_it_is_given,
    ]
}

async fn three_sessions(store: &dyn Store) {
    let first = new_session(SessionKey([1; 32]), who(1), "ada", 10 * DAY);
    sign_up_ok(store, "ada", &account_of(who(1), "$argon2id$x", 10 * DAY), &first).await;
    for n in [2, 3] {
        let later = new_session(SessionKey([n; 32]), who(1), "ada", (10 + u64::from(n)) * DAY);
        store.sign_in(&later, None, None).await.expect("sign_in");
    }
    let bob = new_session(SessionKey([9; 32]), who(9), "bob", 10 * DAY);
    sign_up_ok(store, "bob", &account_of(who(9), "$argon2id$b", 10 * DAY), &bob).await;
}

pub async fn a_session_keeps_its_device_and_moves_its_last_use_on(store: Arc<dyn Store>) {
    three_sessions(&*store).await;
    let key = SessionKey([2; 32]);
    let stored = store.session(&key).await.expect("session").expect("a session");
    assert_eq!((stored.device.as_str(), stored.last_seen), ("Device 2", 12 * DAY), "as started");
    store.touch_session(&key, 20 * DAY).await.expect("touch");
    let touched = store.session(&key).await.expect("session").expect("a session");
    assert_eq!((touched.last_seen, touched.created_at), (20 * DAY, 12 * DAY), "last use moves, the start does not");
    match store.lookup_token(&IdentityKey(key.0)).await.expect("lookup") {
        TokenLookup::Session(s) => assert_eq!(s, touched, "lookup_token reads the same"),
        other => panic!("a session, got {other:?}"),
    }
    store.touch_session(&SessionKey([7; 32]), 20 * DAY).await.expect("touching nobody is not an error");
    assert_eq!(store.session(&SessionKey([7; 32])).await.expect("session"), None);

    // A write through the session a day or more after its last use moves it on too.
    let any = SessionCutoff::NONE;
    let (map, dns) = (backend(), topic("dns"));
    store.set_status_for_token(&IdentityKey(key.0), any, &map, &dns, Status::Done, 30 * DAY).await.expect("write");
    assert_eq!(store.session(&key).await.expect("session").expect("a session").last_seen, 30 * DAY);
}

pub async fn sessions_of_lists_only_that_accounts_devices(store: Arc<dyn Store>) {
    three_sessions(&*store).await;
    let mut listed: Vec<(u8, String)> =
        store.sessions_of(&who(1)).await.expect("sessions_of").into_iter().map(|(k, s)| (k.0[0], s.device)).collect();
    listed.sort();
    assert_eq!(listed, vec![(1, "Device 1".into()), (2, "Device 2".into()), (3, "Device 3".into())]);
    assert_eq!(store.sessions_of(&who(9)).await.expect("sessions_of").len(), 1, "bob's own");
    assert!(store.sessions_of(&who(5)).await.expect("sessions_of").is_empty(), "nobody's: none");
}

pub async fn end_sessions_of_keeps_only_the_one_asked(store: Arc<dyn Store>) {
    three_sessions(&*store).await;
    let ended = store.end_sessions_of(&who(1), Some(&SessionKey([2; 32]))).await.expect("end_sessions_of");
    assert_eq!(ended, 2);
    let left: Vec<u8> = store.sessions_of(&who(1)).await.expect("sessions_of").iter().map(|(k, _)| k.0[0]).collect();
    assert_eq!(left, vec![2], "only the kept one");
    assert_eq!(store.session(&SessionKey([1; 32])).await.expect("session"), None);
    assert!(store.session(&SessionKey([9; 32])).await.expect("session").is_some(), "another account untouched");
    assert_eq!(store.end_sessions_of(&who(1), Some(&SessionKey([2; 32]))).await.expect("again"), 0);
}

pub async fn change_password_starts_the_new_session_it_is_given(store: Arc<dyn Store>) {
    three_sessions(&*store).await;
    let fresh = new_session(SessionKey([4; 32]), who(1), "ada", 20 * DAY);
    let ended = store.change_password(&user("ada"), "$argon2id$new", None, Some(&fresh)).await.expect("change");
    assert_eq!(ended, 3, "every old session ended, the current one too");
    let left: Vec<u8> = store.sessions_of(&who(1)).await.expect("sessions_of").iter().map(|(k, _)| k.0[0]).collect();
    assert_eq!(left, vec![4], "only the new session signs in");
    assert_eq!(store.session(&fresh.key).await.expect("session"), Some(fresh.record));
    let account = store.account(&user("ada")).await.expect("account").expect("ada");
    assert_eq!(account.password_hash, "$argon2id$new");
}
