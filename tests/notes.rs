//! HTTP tests for private notes on the real router: saving, reading, the note in its panel
//! and its mark on the box, search in one's own notes, privacy (never on a share link or
//! for someone else), bad input, export/import and reset.
#![cfg(feature = "ssr")]

mod support;

use http::StatusCode;
use support::{app, url_encode, TestApp};

async fn save(app: &TestApp, topic: &str, note: &str, cookie: Option<&str>) -> support::Answer {
    let form = format!("roadmap=backend&topic={topic}&note={}", url_encode(note));
    app.post_form("/api/set_note", &form, cookie).await
}

async fn notes(app: &TestApp, cookie: Option<&str>) -> serde_json::Value {
    let a = app.post_form("/api/get_notes", "roadmap=backend", cookie).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    a.json()
}

/// The `data-note` of a topic's box on a page.
fn box_mark(page: &str, topic: &str) -> Option<String> {
    let at = page.find(&format!(r#"id="t-{topic}""#))?;
    let tag = &page[at..at + page[at..].find('>')?];
    let value = tag.split(r#"data-note=""#).nth(1)?;
    Some(value[..value.find('"')?].to_owned())
}

#[tokio::test]
async fn a_note_is_saved_read_back_shown_in_its_panel_and_marked_on_its_box() {
    let (_dir, app) = app().await;
    let text = "Use `dig +trace` to follow **zebrafish**.\n\n<script>alert(1)</script> [ok](https://example.org)";
    let saved = save(&app, "dns", text, None).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let me = saved.identity_cookie().expect("a first note gives the visitor an identity");
    let answer = saved.json();
    assert_eq!(answer["topic"], "dns");
    assert_eq!(answer["note"], text);
    let html = answer["html"].as_str().expect("html");
    assert!(html.contains("<code>dig +trace</code>") && html.contains("<strong>zebrafish</strong>"), "{html}");
    assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"), "raw HTML is shown as text: {html}");

    let all = notes(&app, Some(&me)).await;
    assert_eq!(all["dns"]["note"], text);
    assert!(all["dns"]["changed_at"].as_u64().expect("a time") > 1_700_000_000_000);
    assert_eq!(all.as_object().expect("an object").len(), 1);

    // The panel shows it rendered and in its editor; the box is marked, others are not.
    let page = app.get("/roadmaps/backend/dns", Some(&me)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>zebrafish</strong>"), "the note as it reads");
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped in the editor and the view");
    assert!(!page.body.contains("<script>alert(1)"), "never as markup");
    assert!(page.body.contains("Use `dig +trace` to follow **zebrafish**."), "the Markdown in the editor");
    assert_eq!(box_mark(&page.body, "dns").as_deref(), Some("1"));
    assert_eq!(box_mark(&page.body, "http").as_deref(), Some(""));
    let again = app.get("/roadmaps/backend/dns", Some(&me)).await;
    assert_eq!(again.body, page.body, "the kept page reads the same");
    let roadmap = app.get("/roadmaps/backend", Some(&me)).await;
    assert_eq!(box_mark(&roadmap.body, "dns").as_deref(), Some("1"), "marked on the roadmap page too");
    assert!(!roadmap.body.contains("zebrafish"), "without its panel open the page does not carry the note");

    // A panel opened in place: with the note for its writer, without it for anyone else.
    let panel = app.get("/roadmaps/backend/dns/panel.html", Some(&me)).await;
    assert_eq!(panel.status, StatusCode::OK);
    assert!(panel.body.starts_with("<aside") && panel.body.contains("<strong>zebrafish</strong>"), "{}", panel.body);
    assert_eq!(panel.headers["cache-control"], "private, no-store");
    let anonymous = app.get("/roadmaps/backend/dns/panel.html", None).await;
    let at = anonymous.body.find("zebrafish").unwrap_or(0);
    assert!(!anonymous.body.contains("zebrafish"), "{}", &anonymous.body[at.saturating_sub(300)..at + 100]);
    let stranger = app.set_status("http", "done", None).await.identity_cookie().expect("cookie");
    for path in ["/roadmaps/backend/dns", "/roadmaps/backend/dns/panel.html", "/roadmaps/backend"] {
        let theirs = app.get(path, Some(&stranger)).await;
        assert!(!theirs.body.contains("zebrafish"), "{path}: someone else's note is never shown");
        assert_ne!(box_mark(&theirs.body, "dns").as_deref(), Some("1"), "{path}");
    }
    assert_eq!(notes(&app, Some(&stranger)).await, serde_json::json!({}), "get_notes answers only your own");
    assert_eq!(notes(&app, None).await, serde_json::json!({}));
}

#[tokio::test]
async fn a_search_finds_words_in_your_own_notes_marked_as_such() {
    let (_dir, app) = app().await;
    let me = save(&app, "dns", "Remember the zebra mnemonic", None).await.identity_cookie().expect("cookie");
    for _ in 0..2 {
        // The second time the searched page is kept: it must read the same.
        let page = app.get("/roadmaps/backend?q=zebra+mnemonic", Some(&me)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Found in your notes:"), "the note's topic is listed");
        assert!(page.body.contains(r#"href="/roadmaps/backend/dns?q=zebra+mnemonic#t-dns""#), "linked, search kept");
        assert!(page.body.contains("in your note"), "and marked as a note");
    }
    let theirs = app.get("/roadmaps/backend?q=zebra+mnemonic", None).await;
    assert!(!theirs.body.contains("Found in your notes"), "nobody else's search finds it");
    let half = app.get("/roadmaps/backend?q=zebra+giraffe", Some(&me)).await;
    assert!(!half.body.contains("Found in your notes"), "every word must be in the note");
}

#[tokio::test]
async fn notes_are_never_on_a_share_link_or_its_badge() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    assert_eq!(save(&app, "dns", "private thoughts about resolvers", Some(&me)).await.status, StatusCode::OK);
    let code = app.post_form("/api/create_share_link", "roadmap=backend", Some(&me)).await.json()["code"]
        .as_str()
        .expect("code")
        .to_owned();
    for path in [format!("/s/{code}"), format!("/s/{code}/badge.svg")] {
        let page = app.get(&path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains("private thoughts"), "{path}");
        assert!(!page.body.contains(r#"data-note="1""#), "{path}: no mark either");
    }
    let shared = app.post_form("/api/get_shared_progress", &format!("code={code}"), None).await;
    assert!(!shared.body.contains("private thoughts"), "{}", shared.body);
}

#[tokio::test]
async fn bad_notes_get_a_status_and_a_sentence_and_change_nothing() {
    let (_dir, app) = app().await;
    let me = save(&app, "dns", "kept", None).await.identity_cookie().expect("cookie");
    let most = "é".repeat(10_000);
    assert_eq!(save(&app, "http", &most, Some(&me)).await.status, StatusCode::OK, "10,000 characters fit");
    let over = save(&app, "dns", &"é".repeat(10_001), Some(&me)).await;
    assert_eq!(over.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", over.body);
    assert!(over.error().contains("10001 characters long; a note holds at most 10000"), "{}", over.body);
    let cases = [
        ("roadmap=nope&topic=dns&note=x", "no roadmap"),
        ("roadmap=backend&topic=not-a-topic&note=x", "has no topic"),
        ("roadmap=backend&topic=dns&note=a%00b", "control character"),
        ("roadmap=backend&topic=dns", ""),
    ];
    for (form, says) in cases {
        let bad = app.post_form("/api/set_note", form, Some(&me)).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{form}: {}", bad.body);
        assert!(bad.error().to_lowercase().contains(says), "{form}: {}", bad.body);
    }
    let all = notes(&app, Some(&me)).await;
    assert_eq!(all["dns"]["note"], "kept", "a refused save changes nothing");
    assert_eq!(all["http"]["note"].as_str().map(|n| n.chars().count()), Some(10_000));
    let fresh = save(&app, "dns", &"x".repeat(10_001), None).await;
    assert_eq!(fresh.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(fresh.identity_cookie().is_none(), "a refused first save makes no identity");
    let cross = app
        .post_form_from(Some("https://evil.example"), "/api/set_note", "roadmap=backend&topic=dns&note=x", Some(&me))
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN, "{}", cross.body);
    assert_eq!(notes(&app, Some(&me)).await["dns"]["note"], "kept");
    assert_eq!(
        app.post_form("/api/get_notes", "roadmap=nope", Some(&me)).await.status,
        StatusCode::BAD_REQUEST,
        "an unknown roadmap"
    );
}

#[tokio::test]
async fn an_empty_note_deletes_it_and_its_mark() {
    let (_dir, app) = app().await;
    let me = save(&app, "dns", "first", None).await.identity_cookie().expect("cookie");
    let gone = save(&app, "dns", "  \n ", Some(&me)).await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    assert_eq!(gone.json()["note"], "");
    assert_eq!(notes(&app, Some(&me)).await, serde_json::json!({}));
    let page = app.get("/roadmaps/backend", Some(&me)).await;
    assert_eq!(box_mark(&page.body, "dns").as_deref(), Some(""));
    let nobody = save(&app, "dns", "", None).await;
    assert_eq!(nobody.status, StatusCode::OK);
    assert!(nobody.identity_cookie().is_none(), "deleting nothing makes no identity");
}

#[tokio::test]
async fn notes_go_in_the_export_come_back_by_import_and_stay_through_a_reset_unless_asked() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    save(&app, "dns", "note one", Some(&me)).await;
    save(&app, "http", "note two", Some(&me)).await;
    let export = app.post_form("/api/export_progress", "", Some(&me)).await;
    assert_eq!(export.status, StatusCode::OK);
    let doc = export.json();
    assert_eq!(doc["schema"], 2);
    assert_eq!(doc["notes"]["backend"].as_array().map(Vec::len), Some(2), "{doc}");

    let other = app.set_status("http", "done", None).await.identity_cookie().expect("cookie");
    let imported =
        app.post_form("/api/import_progress", &format!("data={}", url_encode(&export.body)), Some(&other)).await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.body);
    assert!(imported.json()["message"].as_str().unwrap_or_default().contains("and 2 note(s)"), "{}", imported.body);
    assert_eq!(notes(&app, Some(&other)).await["http"]["note"], "note two");

    let kept = app.post_form("/api/reset_progress", "roadmap=backend", Some(&me)).await;
    assert!(kept.body.contains("Your notes were kept"), "{}", kept.body);
    assert_eq!(notes(&app, Some(&me)).await.as_object().map(|o| o.len()), Some(2));
    let bad = app.post_form("/api/reset_progress", "roadmap=backend&notes=maybe", Some(&me)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let both = app.post_form("/api/reset_progress", "roadmap=backend&notes=delete", Some(&me)).await;
    assert!(both.body.contains("2 note(s) deleted"), "{}", both.body);
    assert_eq!(notes(&app, Some(&me)).await, serde_json::json!({}));
}
