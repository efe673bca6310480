//! HTTP tests for share links, badges, export/import and reset on the real router.
#![cfg(feature = "ssr")]

mod support;

use http::StatusCode;
use support::{app, url_encode};

#[tokio::test]
async fn a_share_link_shows_progress_read_only_until_revoked() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let link = app.post_form("/api/create_share_link", "roadmap=backend", Some(&me)).await;
    assert_eq!(link.status, StatusCode::OK, "{}", link.body);
    let link = link.json();
    let code = link["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 32, "128 random bits");
    assert_eq!(link["url"], format!("http://127.0.0.1:3000/s/{code}"));

    let page = app.get(&format!("/s/{code}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"id="t-dns" data-status="done""#), "the owner's status is shown");
    assert!(page.body.contains("A learner: 0% of the back-end developer roadmap"), "og title with the percent");
    assert!(page.body.contains(r#"property="og:title""#));
    assert!(!page.body.contains("set_topic_status"), "no status controls on a shared page");
    assert!(page.identity_cookie().is_none(), "viewing gives the viewer nothing");

    // Someone else cannot revoke it; the owner can, and then it is gone.
    let other = app.set_status("http", "done", None).await.identity_cookie().expect("cookie");
    let theirs = app.post_form("/api/revoke_share_link", &format!("code={code}"), Some(&other)).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/s/{code}"), None).await.status, StatusCode::OK);
    let listed = app.post_form("/api/get_account", "", Some(&me)).await.json();
    assert_eq!(listed["share_links"][0]["code"], code.as_str());
    let revoked = app.post_form("/api/revoke_share_link", &format!("code={code}"), Some(&me)).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let gone = app.get(&format!("/s/{code}"), None).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(gone.body.contains("does not exist or was revoked"));
    assert_eq!(app.get(&format!("/s/{code}/badge.svg"), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/s/not-a-code", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_badge_is_a_cacheable_svg_with_the_percent_in_two_themes() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let code = app.post_form("/api/create_share_link", "roadmap=backend", Some(&me)).await.json()["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let light = app.get(&format!("/s/{code}/badge.svg"), None).await;
    assert_eq!(light.status, StatusCode::OK);
    assert_eq!(light.headers["content-type"], "image/svg+xml; charset=utf-8");
    assert!(light.headers["cache-control"].to_str().unwrap_or_default().contains("max-age=300"));
    assert!(light.body.starts_with("<svg") && light.body.contains(">0%</text>"), "{}", light.body);
    assert!(light.body.contains("back-end developer roadmap"));
    let dark = app.get(&format!("/s/{code}/badge.svg?theme=dark"), None).await;
    assert_ne!(light.body, dark.body);
}

#[tokio::test]
async fn display_names_are_escaped_on_the_page_and_in_its_data() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let a = app
        .post_form("/api/set_display_name", "display_name=%3C%2Ftitle%3E%3C%2Fscript%3E%3Cscript%3Ealert(1)", Some(&me))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let code = app.post_form("/api/create_share_link", "roadmap=backend", Some(&me)).await.json()["code"]
        .as_str()
        .expect("code")
        .to_owned();
    let page = app.get(&format!("/s/{code}"), None).await;
    assert!(page.body.contains("&lt;/title&gt;&lt;/script&gt;&lt;script&gt;alert(1)"), "shown as text");
    assert!(page.body.contains("<title>&lt;/title&gt;"), "the title is escaped too");
    assert!(!page.body.contains("<script>alert(1)"), "never as markup, not even in the hydration data");
    let badge = app.get(&format!("/s/{code}/badge.svg"), None).await;
    assert!(!badge.body.contains("<script"));
}

#[tokio::test]
async fn export_then_import_into_a_fresh_identity_reproduces_the_statuses() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    app.set_status("http", "in_progress", Some(&me)).await;
    app.set_status("git-basics", "skipped", Some(&me)).await;
    let export = app.post_form("/api/export_progress", "", Some(&me)).await;
    assert_eq!(export.status, StatusCode::OK);
    let doc = export.json();
    assert_eq!(doc["schema"], 2, "schema 2: with notes");
    assert_eq!(doc["roadmaps"]["backend"].as_array().map(Vec::len), Some(3));
    let download = app.get("/account/export.json", Some(&me)).await;
    assert!(download.headers["content-disposition"].to_str().unwrap_or_default().starts_with("attachment;"));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&download.body).expect("json")["roadmaps"], doc["roadmaps"]);

    let data: String = url_encode(&export.body);
    let a = app.post_form("/api/import_progress", &format!("data={data}"), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.json()["imported"], 3);
    let fresh = a.identity_cookie().expect("the importer gets an identity");
    assert_eq!(app.statuses(Some(&fresh)).await, app.statuses(Some(&me)).await);

    // Importing the same file again changes nothing: nothing in it is newer.
    let again = app.post_form("/api/import_progress", &format!("data={data}"), Some(&fresh)).await.json();
    assert_eq!(again["imported"], 0);
}

#[tokio::test]
async fn imports_report_what_they_skip_and_refuse_bad_documents() {
    let (_dir, app) = app().await;
    let doc = r#"{"schema":1,"exported_at":"2026-11-22T00:00:00.000Z","roadmaps":{"backend":[
        {"topic":"dns","status":"done","changed_at":"2026-11-21T10:00:00.000Z"},
        {"topic":"no-such-topic","status":"done","changed_at":"2026-11-21T10:00:00.000Z"}]}}"#;
    let a = app.post_form("/api/import_progress", &format!("data={}", url_encode(doc)), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!((a.json()["imported"].clone(), a.json()["skipped"].clone()), (1.into(), 1.into()));
    assert!(a.json()["message"].as_str().unwrap_or_default().contains("unknown topic `no-such-topic`"));

    let bad = app.post_form("/api/import_progress", "data=%7Bnot+json", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.error().contains("not a backroad export"), "{}", bad.body);
    assert!(bad.identity_cookie().is_none());
}

#[tokio::test]
async fn reset_clears_one_roadmap() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    app.set_status("http", "done", Some(&me)).await;
    let a = app.post_form("/api/reset_progress", "roadmap=backend", Some(&me)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("2 status(es) deleted"), "{}", a.body);
    let statuses = app.statuses(Some(&me)).await;
    assert!(statuses.as_object().expect("map").values().all(|s| s == "none"));
    let bad = app.post_form("/api/reset_progress", "roadmap=nope", Some(&me)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
