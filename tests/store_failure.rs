//! When storage fails, requests get a 503 with a sentence and a request id (never the cause),
//! the process stays up, and it serves again as soon as storage answers again. A write that
//! reached the store but could not be flushed is answered with what is true: it may not be kept.
#![cfg(feature = "ssr")]

mod support;

use backroad::roadmap::catalog::Catalog;
use backroad::server::store::{Faults, MemoryAttempts, SledStore};
use backroad::server::web::startup::router;
use backroad::server::AppState;
use http::StatusCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The app on a sled store whose failures a test switches, starting broken or not.
fn app_with_switch(broken: bool) -> (tempfile::TempDir, support::TestApp, Arc<Faults>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = support::settings(dir.path());
    let faults = Arc::new(Faults::default());
    faults.storage.store(broken, Ordering::SeqCst);
    let store = SledStore::open_with_faults(&dir.path().join("data"), faults.clone()).expect("store");
    let state = AppState::new(
        &settings,
        Arc::new(store),
        Arc::new(MemoryAttempts::default()),
        Arc::new(Catalog::builtin().expect("content")),
    );
    let router = router(state.clone(), settings.max_body_bytes);
    let data_dir = dir.path().to_owned();
    (dir, support::TestApp { router, state, data_dir }, faults)
}

fn assert_unavailable_without_details(a: &support::Answer) {
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.body);
    let error = a.error();
    assert!(error.contains("Storage is not answering right now"), "{error}");
    assert!(error.contains("report request id "), "{error}");
    assert!(!a.body.contains("injected") && !a.body.contains("sled"), "{}", a.body);
}

#[tokio::test]
async fn a_failing_store_gives_503_with_a_sentence_and_no_details() {
    let (_dir, app, _) = app_with_switch(true);
    let a = app.set_status("dns", "done", None).await;
    assert_unavailable_without_details(&a);
    assert!(a.identity_cookie().is_none());
    let cookie = format!("backroad_id={}", "a".repeat(64));
    assert_unavailable_without_details(&app.post_form("/api/get_progress", "roadmap=backend", Some(&cookie)).await);
    assert_unavailable_without_details(&app.account("signup", "ada", "river+stone+lantern", None).await);
    let page = app.get("/roadmaps/backend", Some(&cookie)).await;
    assert!(!page.body.contains("injected"));
}

#[tokio::test]
async fn the_server_recovers_when_storage_does_and_nothing_was_half_written() {
    let (_dir, app, store) = app_with_switch(false);
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    store.storage.store(true, Ordering::SeqCst);
    assert_unavailable_without_details(&app.set_status("dns", "skipped", Some(&cookie)).await);
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::SERVICE_UNAVAILABLE);
    store.storage.store(false, Ordering::SeqCst);
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(app.statuses(Some(&cookie)).await["dns"], "done", "the refused change left no trace");
    assert_eq!(app.set_status("dns", "skipped", Some(&cookie)).await.status, StatusCode::OK);
    assert_eq!(app.statuses(Some(&cookie)).await["dns"], "skipped");
}

#[tokio::test]
async fn input_errors_still_come_first() {
    let (_dir, app, _) = app_with_switch(true);
    let a = app.set_status("nope", "done", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

/// The half-write the old double could not see: the status reaches sled, the flush fails.
/// The answer must not say "nothing was changed"; it says the change may not be kept, and a
/// reload shows what is there.
#[tokio::test]
async fn a_write_whose_flush_fails_is_answered_with_what_is_true() {
    let (_dir, app, faults) = app_with_switch(false);
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    faults.flush.store(true, Ordering::SeqCst);
    let a = app.set_status("http", "in_progress", Some(&cookie)).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.body);
    let error = a.error();
    assert!(!error.contains("nothing was changed"), "{error}");
    assert!(error.contains("may not be kept") && error.contains("Reload the page"), "{error}");
    assert!(error.contains("report request id "), "{error}");
    faults.flush.store(false, Ordering::SeqCst);
    // What the reload shows is what the store holds: the change reached it.
    assert_eq!(app.statuses(Some(&cookie)).await["http"], "in_progress");
}
