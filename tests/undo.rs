//! HTTP tests for undo on the real router: one undo puts a topic back exactly (status and
//! time, or nothing recorded), the panel offers it (a plain form that returns to the topic),
//! and what cannot be undone gets a status and a sentence.
#![cfg(feature = "ssr")]

mod support;

use axum::body::Body;
use http::{header, Request, StatusCode};
use support::{app, TestApp};

async fn undo(app: &TestApp, topic: &str, cookie: Option<&str>) -> support::Answer {
    app.post_form("/api/undo_status", &format!("roadmap=backend&topic={topic}"), cookie).await
}

async fn previous(app: &TestApp, topic: &str, cookie: &str) -> serde_json::Value {
    let a = app.post_form("/api/get_previous_status", &format!("roadmap=backend&topic={topic}"), Some(cookie)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()
}

/// The `data-undo` of the panel's undo form and its button's words.
fn offered(page: &str, topic: &str) -> (String, String) {
    let at = page.find(&format!(r#"data-undo-for="{topic}""#)).expect("an undo form");
    let tag = &page[at..at + page[at..].find('>').expect("tag end")];
    let undo = tag.split(r#"data-undo=""#).nth(1).and_then(|v| v.split('"').next()).unwrap_or_default().to_owned();
    let label_at = page.find(&format!(r#"data-undo-label="{topic}">"#)).expect("a label") + topic.len() + 19;
    let label = page[label_at..label_at + page[label_at..].find('<').expect("label end")].to_owned();
    (undo, label)
}

#[tokio::test]
async fn undo_puts_back_the_status_before_with_its_time_and_then_there_is_nothing_to_undo() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let done_at = previous(&app, "dns", &me).await;
    assert_eq!(done_at, serde_json::json!({"was": "unrecorded"}), "a first status puts back nothing recorded");
    app.set_status("dns", "skipped", Some(&me)).await;
    let before = previous(&app, "dns", &me).await;
    assert_eq!(before["was"], "status");
    assert_eq!(before["status"], "done");
    let done_time = before["changed_at"].as_u64().expect("a time");

    let page = app.get("/roadmaps/backend/dns", Some(&me)).await;
    assert_eq!(offered(&page.body, "dns"), ("done".to_owned(), "Undo: back to done".to_owned()), "the panel offers it");

    let undone = undo(&app, "dns", Some(&me)).await;
    assert_eq!(undone.status, StatusCode::OK, "{}", undone.body);
    assert_eq!(undone.json()["statuses"]["dns"], "done");
    assert_eq!(app.statuses(Some(&me)).await["dns"], "done");
    let export = app.post_form("/api/export_progress", "", Some(&me)).await.json();
    let dns = export["roadmaps"]["backend"].as_array().expect("list").iter().find(|e| e["topic"] == "dns").cloned();
    let time = backroad::roadmap::transfer::format_rfc3339(done_time);
    assert_eq!(dns.expect("dns")["changed_at"], time.as_str(), "its time exactly");
    assert_eq!(previous(&app, "dns", &me).await, serde_json::Value::Null, "nothing more to undo");
    let page = app.get("/roadmaps/backend/dns", Some(&me)).await;
    assert_eq!(offered(&page.body, "dns"), (String::new(), String::new()), "the panel no longer offers it");

    let again = undo(&app, "dns", Some(&me)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.error().contains("nothing to undo"), "{}", again.body);
    // A first status undone: no status recorded, "not started" again.
    app.set_status("http", "in_progress", Some(&me)).await;
    assert_eq!(undo(&app, "http", Some(&me)).await.json()["statuses"]["http"], "none");
}

#[tokio::test]
async fn an_undo_without_javascript_returns_to_the_topic() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let form = Request::post("/api/undo_status?return_to=/roadmaps/backend/dns%23t-dns")
        .header(header::HOST, support::HOST)
        .header(header::ORIGIN, support::ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/roadmaps/backend/dns")
        .header(header::COOKIE, &me)
        .body(Body::from("roadmap=backend&topic=dns"))
        .expect("request");
    let answer = app.send(form).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.headers[header::LOCATION], "/roadmaps/backend/dns#t-dns");
    assert_eq!(app.statuses(Some(&me)).await["dns"], "none");
}

#[tokio::test]
async fn what_cannot_be_undone_gets_a_status_and_a_sentence() {
    let (_dir, app) = app().await;
    let nobody = undo(&app, "dns", None).await;
    assert_eq!(nobody.status, StatusCode::CONFLICT, "{}", nobody.body);
    assert!(nobody.identity_cookie().is_none(), "asking makes no identity");
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let bad = undo(&app, "not-a-topic", Some(&me)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.error().contains("has no topic"), "{}", bad.body);
    // Someone else's change is not yours to undo.
    let other = app.set_status("http", "done", None).await.identity_cookie().expect("cookie");
    assert_eq!(undo(&app, "dns", Some(&other)).await.status, StatusCode::CONFLICT);
    assert_eq!(app.statuses(Some(&me)).await["dns"], "done");
    let cross = app
        .post_form_from(Some("https://evil.example"), "/api/undo_status", "roadmap=backend&topic=dns", Some(&me))
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert_eq!(app.statuses(Some(&me)).await["dns"], "done");
}
