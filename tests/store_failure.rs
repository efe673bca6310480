//! When storage fails, requests get a 503 with a sentence and a request id (never the cause),
//! the process stays up, and it serves again as soon as storage answers again.
#![cfg(feature = "ssr")]

mod support;

use backroad::roadmap::account::Username;
use backroad::roadmap::catalog::Catalog;
use backroad::roadmap::progress::Recorded;
use backroad::roadmap::share::ShareCode;
use backroad::roadmap::{RoadmapId, Status, TopicId};
use backroad::server::identity::{IdentityKey, SessionKey};
use backroad::server::startup::router;
use backroad::server::store::{
    AccountRecord, AccountStore, DurableFuture, SessionRecord, ShareRecord, SledStore, SnapshotSummary, Store,
    StoreError,
};
use backroad::server::AppState;
use http::StatusCode;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A real store behind a switch: while `broken`, every operation fails with a message that
/// must never reach a client (as a full or read-only disk would).
struct SwitchableStore {
    inner: SledStore,
    broken: AtomicBool,
}

const SECRET: &str = "/var/lib/secret-path: sled corruption at offset 1234";

impl SwitchableStore {
    fn check(&self) -> Result<(), StoreError> {
        if self.broken.load(Ordering::SeqCst) {
            Err(StoreError::Io(SECRET.into()))
        } else {
            Ok(())
        }
    }
}

impl Store for SwitchableStore {
    fn ping(&self) -> Result<(), StoreError> {
        self.check()?;
        self.inner.ping()
    }
    fn identity_exists(&self, who: &IdentityKey) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.identity_exists(who)
    }
    fn create_identity(&self, who: &IdentityKey, now: u64) -> Result<(), StoreError> {
        self.check()?;
        self.inner.create_identity(who, now)
    }
    fn statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<Vec<Recorded>, StoreError> {
        self.check()?;
        self.inner.statuses(who, roadmap)
    }
    fn set_status(&self, w: &IdentityKey, r: &RoadmapId, t: &TopicId, s: Status, at: u64) -> Result<(), StoreError> {
        self.check()?;
        self.inner.set_status(w, r, t, s, at)
    }
    fn all_statuses(&self, who: &IdentityKey) -> Result<BTreeMap<String, Vec<Recorded>>, StoreError> {
        self.check()?;
        self.inner.all_statuses(who)
    }
    fn clear_statuses(&self, who: &IdentityKey, roadmap: &RoadmapId) -> Result<usize, StoreError> {
        self.check()?;
        self.inner.clear_statuses(who, roadmap)
    }
    fn durable(&self) -> DurableFuture<'_> {
        match self.check() {
            Ok(()) => self.inner.durable(),
            Err(e) => Box::pin(async { Err(e) }),
        }
    }
    fn flush_blocking(&self) -> Result<(), StoreError> {
        self.check()?;
        self.inner.flush_blocking()
    }
    fn write_snapshot(&self, out: &mut dyn std::io::Write) -> Result<SnapshotSummary, StoreError> {
        self.check()?;
        self.inner.write_snapshot(out)
    }
}

impl AccountStore for SwitchableStore {
    fn account(&self, n: &Username) -> Result<Option<AccountRecord>, StoreError> {
        self.check()?;
        self.inner.account(n)
    }
    fn create_account(&self, n: &Username, a: &AccountRecord) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.create_account(n, a)
    }
    fn set_password_hash(&self, n: &Username, h: &str) -> Result<(), StoreError> {
        self.check()?;
        self.inner.set_password_hash(n, h)
    }
    fn forget_identity(&self, w: &IdentityKey) -> Result<(), StoreError> {
        self.check()?;
        self.inner.forget_identity(w)
    }
    fn create_session(&self, k: &SessionKey, s: &SessionRecord) -> Result<(), StoreError> {
        self.check()?;
        self.inner.create_session(k, s)
    }
    fn session(&self, k: &SessionKey) -> Result<Option<SessionRecord>, StoreError> {
        self.check()?;
        self.inner.session(k)
    }
    fn end_session(&self, k: &SessionKey) -> Result<(), StoreError> {
        self.check()?;
        self.inner.end_session(k)
    }
    fn end_sessions_of(&self, w: &IdentityKey, keep: Option<&SessionKey>) -> Result<usize, StoreError> {
        self.check()?;
        self.inner.end_sessions_of(w, keep)
    }
    fn display_name(&self, w: &IdentityKey) -> Result<Option<String>, StoreError> {
        self.check()?;
        self.inner.display_name(w)
    }
    fn set_display_name(&self, w: &IdentityKey, n: Option<&str>) -> Result<(), StoreError> {
        self.check()?;
        self.inner.set_display_name(w, n)
    }
    fn create_share(&self, c: &ShareCode, s: &ShareRecord) -> Result<(), StoreError> {
        self.check()?;
        self.inner.create_share(c, s)
    }
    fn share(&self, c: &ShareCode) -> Result<Option<ShareRecord>, StoreError> {
        self.check()?;
        self.inner.share(c)
    }
    fn shares_of(&self, w: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError> {
        self.check()?;
        self.inner.shares_of(w)
    }
    fn revoke_share(&self, w: &IdentityKey, c: &ShareCode) -> Result<bool, StoreError> {
        self.check()?;
        self.inner.revoke_share(w, c)
    }
}

/// The app on a switchable store, starting broken or not.
fn app_with_switch(broken: bool) -> (tempfile::TempDir, support::TestApp, Arc<SwitchableStore>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = support::settings(dir.path());
    let inner = SledStore::open(&dir.path().join("data")).expect("store");
    let store = Arc::new(SwitchableStore { inner, broken: AtomicBool::new(broken) });
    let state = AppState::new(
        settings.leptos.clone(),
        store.clone(),
        Arc::new(Catalog::builtin().expect("content")),
        &settings.public_url,
    );
    let router = router(state.clone(), settings.max_body_bytes);
    let data_dir = dir.path().to_owned();
    (dir, support::TestApp { router, state, data_dir }, store)
}

fn assert_unavailable_without_details(a: &support::Answer) {
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.body);
    let error = a.error();
    assert!(error.contains("Storage is not answering right now"), "{error}");
    assert!(error.contains("report request id "), "{error}");
    assert!(!a.body.contains("secret-path") && !a.body.contains("sled"), "{}", a.body);
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
    assert!(!page.body.contains("secret-path"));
}

#[tokio::test]
async fn the_server_recovers_when_storage_does_and_nothing_was_half_written() {
    let (_dir, app, store) = app_with_switch(false);
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    store.broken.store(true, Ordering::SeqCst);
    assert_unavailable_without_details(&app.set_status("dns", "skipped", Some(&cookie)).await);
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::SERVICE_UNAVAILABLE);
    store.broken.store(false, Ordering::SeqCst);
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
