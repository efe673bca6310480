//! When storage fails, clients get a generic 500 with a request id, never the cause.
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
    AccountRecord, AccountStore, DurableFuture, SessionRecord, ShareRecord, Store, StoreError,
};
use backroad::server::AppState;
use http::StatusCode;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A store whose every operation fails with a message that must never reach a client.
struct BrokenStore;

const SECRET: &str = "/var/lib/secret-path: sled corruption at offset 1234";

impl Store for BrokenStore {
    fn ping(&self) -> Result<(), StoreError> {
        Err(StoreError::Io(SECRET.into()))
    }
    fn identity_exists(&self, _: &IdentityKey) -> Result<bool, StoreError> {
        Err(StoreError::Io(SECRET.into()))
    }
    fn create_identity(&self, _: &IdentityKey, _: u64) -> Result<(), StoreError> {
        Err(StoreError::Io(SECRET.into()))
    }
    fn statuses(&self, _: &IdentityKey, _: &RoadmapId) -> Result<Vec<Recorded>, StoreError> {
        Err(StoreError::Io(SECRET.into()))
    }
    fn set_status(&self, _: &IdentityKey, _: &RoadmapId, _: &TopicId, _: Status, _: u64) -> Result<(), StoreError> {
        Err(StoreError::Io(SECRET.into()))
    }
    fn all_statuses(&self, _: &IdentityKey) -> Result<BTreeMap<String, Vec<Recorded>>, StoreError> {
        Err(StoreError::Io(SECRET.into()))
    }
    fn clear_statuses(&self, _: &IdentityKey, _: &RoadmapId) -> Result<usize, StoreError> {
        Err(StoreError::Io(SECRET.into()))
    }
    fn durable(&self) -> DurableFuture<'_> {
        Box::pin(async { Err(StoreError::Io(SECRET.into())) })
    }
    fn flush_blocking(&self) -> Result<(), StoreError> {
        Err(StoreError::Io(SECRET.into()))
    }
}

fn broken<T>() -> Result<T, StoreError> {
    Err(StoreError::Io(SECRET.into()))
}

impl AccountStore for BrokenStore {
    fn account(&self, _: &Username) -> Result<Option<AccountRecord>, StoreError> {
        broken()
    }
    fn create_account(&self, _: &Username, _: &AccountRecord) -> Result<bool, StoreError> {
        broken()
    }
    fn set_password_hash(&self, _: &Username, _: &str) -> Result<(), StoreError> {
        broken()
    }
    fn forget_identity(&self, _: &IdentityKey) -> Result<(), StoreError> {
        broken()
    }
    fn create_session(&self, _: &SessionKey, _: &SessionRecord) -> Result<(), StoreError> {
        broken()
    }
    fn session(&self, _: &SessionKey) -> Result<Option<SessionRecord>, StoreError> {
        broken()
    }
    fn end_session(&self, _: &SessionKey) -> Result<(), StoreError> {
        broken()
    }
    fn end_sessions_of(&self, _: &IdentityKey, _: Option<&SessionKey>) -> Result<usize, StoreError> {
        broken()
    }
    fn display_name(&self, _: &IdentityKey) -> Result<Option<String>, StoreError> {
        broken()
    }
    fn set_display_name(&self, _: &IdentityKey, _: Option<&str>) -> Result<(), StoreError> {
        broken()
    }
    fn create_share(&self, _: &ShareCode, _: &ShareRecord) -> Result<(), StoreError> {
        broken()
    }
    fn share(&self, _: &ShareCode) -> Result<Option<ShareRecord>, StoreError> {
        broken()
    }
    fn shares_of(&self, _: &IdentityKey) -> Result<Vec<(ShareCode, ShareRecord)>, StoreError> {
        broken()
    }
    fn revoke_share(&self, _: &IdentityKey, _: &ShareCode) -> Result<bool, StoreError> {
        broken()
    }
}

fn broken_app() -> (tempfile::TempDir, support::TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = support::settings(dir.path());
    let state = AppState::new(
        settings.leptos.clone(),
        Arc::new(BrokenStore),
        Arc::new(Catalog::builtin().expect("content")),
        &settings.public_url,
    );
    let router = router(state.clone(), settings.max_body_bytes);
    let data_dir = dir.path().to_owned();
    (dir, support::TestApp { router, state, data_dir })
}

#[tokio::test]
async fn a_failing_store_gives_500_with_a_request_id_and_no_details() {
    let (_dir, app) = broken_app();
    let a = app.set_status("dns", "done", None).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
    let body = a.json();
    let request_id = body["request_id"].as_str().expect("a request id").to_owned();
    assert_eq!(request_id.len(), 16);
    let error = body["error"].as_str().unwrap_or_default();
    assert!(error.contains("Something went wrong on our side"), "{error}");
    assert!(error.contains(&request_id));
    assert!(!a.body.contains("secret-path") && !a.body.contains("sled"), "{}", a.body);
    assert!(a.identity_cookie().is_none());

    let read =
        app.post_form("/api/get_progress", "roadmap=backend", Some(&format!("backroad_id={}", "a".repeat(64)))).await;
    assert_eq!(read.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!read.body.contains("secret-path"));
}

#[tokio::test]
async fn healthz_reports_an_unavailable_store() {
    let (_dir, app) = broken_app();
    let a = app.get("/healthz", None).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!a.body.contains("secret-path"));
}

#[tokio::test]
async fn input_errors_still_come_first() {
    let (_dir, app) = broken_app();
    let a = app.set_status("nope", "done", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}
