//! HTTP tests for "what changed since your last visit" on the real router: a learner visits,
//! the content is revised (the server restarted on a content folder with a revision dated
//! today), and on return the roadmap page says what changed since and marks the topic they
//! had finished before its revision until they open it; `/changes`, `/changes.atom` and
//! `/api/list_changes`, with their bad input.
#![cfg(feature = "ssr")]

mod support;

use backroad::roadmap::changes::{counts_since, Day, VisitRecord};
use backroad::roadmap::{RoadmapId, Status, TopicId};
use backroad::server::identity::{IdentityKey, Token};
use http::StatusCode;
use std::path::Path;
use support::{app_on, app_on_with, TestApp};

const DAY_MS: u64 = 86_400_000;

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as u64
}

fn key_of(cookie: &str) -> IdentityKey {
    Token::parse(cookie.split_once('=').expect("name=value").1).expect("a token").key()
}

/// A copy of the built-in content in `to`, with `revised` given a revision and `added`
/// marked new, both dated today.
fn revised_content(to: &Path, revised: &str, added: &str) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/content/backend");
    let dest = to.join("backend");
    std::fs::create_dir_all(&dest).expect("content folder");
    let today = Day::of_ms(now()).iso();
    for entry in std::fs::read_dir(from).expect("content") {
        let path = entry.expect("entry").path();
        let mut text = std::fs::read_to_string(&path).expect("read");
        for (topic, change, note) in
            [(revised, "revised", "Now covers zebrafish resolvers."), (added, "added", "New: quokka routing.")]
        {
            let Some(at) = text.find(&format!("\nid = \"{topic}\"\n")) else { continue };
            let aliases = at + text[at..].find("\naliases = ").expect("aliases line") + 1;
            let end = aliases + text[aliases..].find('\n').expect("line end") + 1;
            assert!(!text[end..].starts_with("history"), "{topic} has a history already; pick another");
            text.insert_str(
                end,
                &format!("history = [{{ on = \"{today}\", change = \"{change}\", note = \"{note}\" }}]\n"),
            );
        }
        std::fs::write(dest.join(path.file_name().expect("name")), text).expect("write");
    }
}

/// The value of `attribute` on the box of `topic`.
fn box_attr(page: &str, topic: &str, attribute: &str) -> Option<String> {
    let at = page.find(&format!(r#"id="t-{topic}""#))?;
    let tag = &page[at..at + page[at..].find('>')?];
    let value = tag.split(&format!(r#"{attribute}=""#)).nth(1)?;
    Some(value[..value.find('"')?].to_owned())
}

/// The "since your visit" line's inner markup.
fn since_line(page: &str) -> String {
    let Some(at) = page.find(r#"data-hook="since""#) else { return "(no line)".into() };
    let open = at + page[at..].find('>').expect("tag end") + 1;
    page[open..open + page[open..].find("</p>").expect("line end")].to_owned()
}

async fn backdate(app: &TestApp, who: &IdentityKey, topic: &str, status: Status, ms: u64) {
    let (roadmap, topic) = (RoadmapId::parse("backend").expect("id"), TopicId::parse(topic).expect("id"));
    app.state.store.set_status(who, &roadmap, &topic, status, ms).await.expect("set_status");
}

#[tokio::test]
async fn a_return_after_a_revision_says_what_changed_and_marks_what_was_finished_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let me;
    {
        let app = app_on(&data).await;
        me = app.set_status("http", "done", None).await.identity_cookie().expect("an identity");
        let first = app.get("/roadmaps/backend", Some(&me)).await;
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(since_line(&first.body), "", "the first visit says nothing");
        assert_eq!(box_attr(&first.body, "http", "data-updated"), None, "never revised: no mark at all");
        // The visit and the finish happened days ago (as if the learner had been away).
        let who = key_of(&me);
        let roadmap = RoadmapId::parse("backend").expect("id");
        let stored = app.state.store.visits(&who, &roadmap).await.expect("visits");
        assert!(stored.roadmap.is_some_and(|v| v.previous.is_none()), "the visit is recorded: {stored:?}");
        let away = now() - 3 * DAY_MS;
        app.state
            .store
            .set_visit(&who, &roadmap, None, VisitRecord { previous: None, last: away })
            .await
            .expect("visit");
        backdate(&app, &who, "http", Status::Done, away - 1_000).await;
        backdate(&app, &who, "rest", Status::Done, away - 1_000).await;
    }
    let content = dir.path().join("content");
    revised_content(&content, "http", "git-basics");
    let app = app_on_with(&data, |s| s.content_dir = Some(content.clone())).await;

    let back = app.get("/roadmaps/backend", Some(&me)).await;
    assert_eq!(back.status, StatusCode::OK);
    let away_day = Day::of_ms(now() - 3 * DAY_MS);
    let line = since_line(&back.body);
    // The built-in content's own changes since that day, plus the two made here.
    let builtin = backroad::roadmap::catalog::Catalog::builtin().expect("content");
    let before = counts_since(builtin.roadmap("backend").expect("backend").changes(), away_day);
    let plural = |n: usize| if n == 1 { "topic" } else { "topics" };
    let expected = format!(
        "Since your visit on {}: {} {} updated, {} new.",
        away_day.short(Day::of_ms(now())),
        before.updated + 1,
        plural(before.updated + 1),
        before.added + 1
    );
    assert!(line.starts_with(&expected), "{line}");
    assert!(line.contains(&format!(r#"href="/changes?roadmap=backend&amp;since={}""#, away_day.iso())), "{line}");
    assert_eq!(box_attr(&back.body, "http", "data-updated").as_deref(), Some("1"), "finished before its revision");
    assert_eq!(box_attr(&back.body, "rest", "data-updated"), None, "finished, never revised: no mark");
    assert_eq!(box_attr(&back.body, "git-basics", "data-updated"), None, "new, not finished");
    assert_eq!(box_attr(&back.body, "dns", "data-updated").as_deref(), Some(""), "revised, not finished");
    let reload = app.get("/roadmaps/backend", Some(&me)).await;
    assert_eq!(since_line(&reload.body), line, "reloads within the visit say the same");

    // Opening the topic shows what changed; from then on its box is no longer marked.
    let panel = app.get("/roadmaps/backend/http", Some(&me)).await;
    assert!(panel.body.contains("<strong>Updated since you finished it</strong>"), "the panel says so");
    assert!(panel.body.contains("Now covers zebrafish resolvers."), "with the change note");
    let after = app.get("/roadmaps/backend", Some(&me)).await;
    assert_eq!(box_attr(&after.body, "http", "data-updated").as_deref(), Some(""), "opened: no longer marked");
    assert!(since_line(&after.body).starts_with(&expected), "the line stays for the visit");
    let panel_again = app.get("/roadmaps/backend/http", Some(&me)).await;
    assert!(!panel_again.body.contains("Updated since you finished it"), "the panel no longer either");
    assert!(panel_again.body.contains("Now covers zebrafish resolvers."), "the latest change is shown to all");

    // Someone without a cookie, and a newcomer who finishes the revised topic today: nothing.
    let anonymous = app.get("/roadmaps/backend", None).await;
    assert_eq!(since_line(&anonymous.body), "");
    assert_eq!(box_attr(&anonymous.body, "http", "data-updated").as_deref(), Some(""));
    let newcomer = app.set_status("http", "done", None).await.identity_cookie().expect("identity");
    for _ in 0..2 {
        let theirs = app.get("/roadmaps/backend", Some(&newcomer)).await;
        assert_eq!(since_line(&theirs.body), "", "a newcomer has no earlier visit");
        assert_eq!(box_attr(&theirs.body, "http", "data-updated").as_deref(), Some(""), "finished after the revision");
    }

    // The list of changes, filtered by the visit's day, and the feed.
    let changes = app.get(&format!("/changes?roadmap=backend&since={}", Day::of_ms(now()).iso()), None).await;
    assert_eq!(changes.status, StatusCode::OK);
    assert!(changes.body.contains("Now covers zebrafish resolvers.") && changes.body.contains("New: quokka routing."));
    assert!(!changes.body.contains("ALIAS/ANAME"), "older changes are left out with since");
    let all = app.get("/changes", None).await;
    assert!(all.body.contains("ALIAS/ANAME") && all.body.contains("zebrafish"), "every change without since");
    assert!(all.body.find("zebrafish") < all.body.find("ALIAS/ANAME"), "newest first");
    let feed = app.get("/changes.atom", None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.headers["content-type"].to_str().expect("type").starts_with("application/atom+xml"));
    assert!(feed.body.starts_with("<?xml") && feed.body.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom""#));
    assert!(feed.body.contains("<summary>Now covers zebrafish resolvers.</summary>"), "{}", &feed.body[..600]);
    assert!(feed.body.contains("/roadmaps/backend/http"), "entries link to their topic");
    assert!(back.body.contains(r#"type="application/atom+xml""#), "the roadmap page links the feed");
}

#[tokio::test]
async fn the_list_of_changes_refuses_bad_input_with_a_sentence() {
    let (_dir, app) = support::app().await;
    let bad = app.post_form("/api/list_changes", "since=12+November", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(bad.error().contains("is not a date. Write it as YYYY-MM-DD"), "{}", bad.body);
    let none = app.post_form("/api/list_changes", "roadmap=nope", None).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST, "{}", none.body);
    assert!(none.error().contains("There is no roadmap"), "{}", none.body);
    let ok = app.post_form("/api/list_changes", "roadmap=backend&since=2026-12-03", None).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let list = ok.json();
    let changes = list[0]["changes"].as_array().expect("changes");
    assert!(changes.len() >= 40, "the 2027 content's changes: {}", changes.len());
    assert!(changes.iter().all(|c| c["on"].as_str().is_some_and(|d| d >= "2026-12-03")), "{changes:?}");
    let page = app.get("/changes?since=yesterday", None).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST, "the page says so too");
    assert!(page.body.contains("is not a date"), "{}", page.body);
    let seen = app.post_form("/api/get_changes_seen", "roadmap=backend", None).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json(), serde_json::json!({"since": "", "updated": {}}), "nothing for someone unknown");
}
