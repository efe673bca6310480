//! Roadmap pages for people with a cookie come from a template filled in with their progress
//! (`server::web::overlay`). These tests render the same page in full for the same person, on the
//! same store, and require the two to be the same bytes (apart from the per-render nonce).

mod support;

use axum::Router;
use backroad::server::web::startup::router_with;
use http::StatusCode;
use support::{app, Answer, TestApp};

/// The app's own router and one that renders every page in full, on one store.
fn with_full_render(app: &TestApp) -> TestApp {
    let router: Router = router_with(app.state.clone(), 1024 * 1024, false);
    TestApp { router, state: app.state.clone(), data_dir: app.data_dir.clone() }
}

/// The page with its nonce blanked: it differs per render (Leptos also writes it into
/// `crossorigin`) and does nothing under a hash policy.
fn without_nonces(page: &str) -> String {
    let nonce = page.split(" nonce=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default();
    if nonce.is_empty() {
        page.to_owned()
    } else {
        page.replace(nonce, "NONCE")
    }
}

/// Topic ids in page order.
fn topic_ids(page: &str) -> Vec<String> {
    let mut ids: Vec<String> =
        page.split(" id=\"t-").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect();
    ids.dedup();
    ids
}

async fn same_page(overlaid: &TestApp, full: &TestApp, path: &str, cookie: &str) -> Answer {
    let a = overlaid.get(path, Some(cookie)).await;
    let b = full.get(path, Some(cookie)).await;
    assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body.get(..300).unwrap_or_default());
    assert_eq!(b.status, StatusCode::OK, "{path}: {}", b.body.get(..300).unwrap_or_default());
    let (a_page, b_page) = (without_nonces(&a.body), without_nonces(&b.body));
    if a_page != b_page {
        let at = a_page.bytes().zip(b_page.bytes()).position(|(x, y)| x != y).unwrap_or(0);
        let near = |s: &str| s.get(at.saturating_sub(200)..(at + 200).min(s.len())).unwrap_or_default().to_owned();
        panic!(
            "{path}: filled-in page differs from the full render at byte {at}:\n{}\n---\n{}",
            near(&a_page),
            near(&b_page)
        );
    }
    assert!(!a.body.contains('\u{E000}') && !a.body.contains('\u{E001}'), "a slot marker was left in the page");
    a
}

#[tokio::test]
async fn a_filled_in_page_is_the_full_render_byte_for_byte() {
    let (_dir, app) = app().await;
    let full = with_full_render(&app);
    let anonymous = app.get("/roadmaps/backend", None).await;
    let ids = topic_ids(&anonymous.body);
    assert!(ids.len() >= 160, "{} topics", ids.len());

    // Someone with a status on every third topic, of every kind.
    let mut cookie: Option<String> = None;
    for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let status = ["done", "in_progress", "skipped", "none"][(i / 3) % 4];
        let a = app.set_status(id, status, cookie.as_deref()).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        cookie = cookie.or_else(|| a.identity_cookie());
    }
    let cookie = cookie.expect("an identity");
    let page = same_page(&app, &full, "/roadmaps/backend", &cookie).await;
    // What the person sees is theirs: the first topic was marked done.
    assert!(page.body.contains(&format!(r#"id="t-{}" data-status="done""#, ids[0])), "first topic not done");
    assert!(page.body.contains("in progress"));

    // The same person with a dark theme, a fresh cookie nobody knows, and a theme alone.
    same_page(&app, &full, "/roadmaps/backend", &format!("{cookie}; backroad_theme=dark")).await;
    let stranger = "backroad_id=0000000000000000000000000000000000000000000000000000000000000000";
    same_page(&app, &full, "/roadmaps/backend", stranger).await;
    same_page(&app, &full, "/roadmaps/backend", "backroad_theme=light").await;

    // After a change the next page shows it (nothing of the person is kept between requests).
    app.set_status(&ids[1], "done", Some(&cookie)).await;
    let after = same_page(&app, &full, "/roadmaps/backend", &cookie).await;
    assert!(after.body.contains(&format!(r#"id="t-{}" data-status="done""#, ids[1])));
}

#[tokio::test]
async fn a_signed_in_person_and_a_person_with_everything_done_are_filled_in_too() {
    let (_dir, app) = app().await;
    let full = with_full_render(&app);
    let ids = topic_ids(&app.get("/roadmaps/backend", None).await.body);
    let signed_up = app.account("signup", "overlay-tester", "a-long-enough-passphrase", None).await;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    let session = signed_up.identity_cookie().expect("a session cookie");
    for id in &ids {
        assert_eq!(app.set_status(id, "done", Some(&session)).await.status, StatusCode::OK);
    }
    let page = same_page(&app, &full, "/roadmaps/backend", &session).await;
    assert!(page.body.contains(&format!("{n} of {n} topics done", n = ids.len())), "everything done");
    assert!(page.body.contains("Core path: 100% done"), "the whole path is done");
}

#[tokio::test]
async fn a_filled_in_page_allows_exactly_its_own_scripts() {
    let (_dir, app) = app().await;
    let a = app.set_status("dns", "done", None).await;
    let cookie = a.identity_cookie().expect("an identity");
    let page = app.get("/roadmaps/backend", Some(&cookie)).await;
    let policy = page.headers["content-security-policy"].to_str().expect("policy").to_owned();
    assert!(!policy.contains("'nonce-"), "{policy}");
    let inline =
        page.body.split("<script").skip(1).filter(|tag| !tag.split('>').next().unwrap_or("").contains(" src=")).count();
    assert!(inline >= 2, "{inline} inline scripts");
    assert_eq!(policy.matches("'sha256-").count(), inline, "{policy}");
    // No script carries anyone's data (the page's island reads the statuses from the page),
    // so another person's page has other statuses but the very same scripts and policy.
    let other = app.set_status("http", "skipped", None).await.identity_cookie().expect("an identity");
    let other_page = app.get("/roadmaps/backend", Some(&other)).await;
    assert!(other_page.body.contains(r#"id="t-http" data-status="skipped""#), "their own statuses");
    assert_eq!(other_page.headers["content-security-policy"].to_str().expect("policy"), policy);
}

#[tokio::test]
async fn deep_links_searches_filters_and_shared_pages_are_filled_in_too() {
    let (_dir, app) = app().await;
    let full = with_full_render(&app);
    let a = app.set_status("dns", "done", None).await;
    let cookie = a.identity_cookie().expect("an identity");
    app.set_status("http", "in_progress", Some(&cookie)).await;
    app.set_status("web-hosting", "skipped", Some(&cookie)).await;
    for path in [
        "/roadmaps/backend/dns",
        "/roadmaps/backend?q=sql",
        "/roadmaps/backend?show=hide-done",
        "/roadmaps/backend/http?q=cache&show=core",
    ] {
        let page = same_page(&app, &full, path, &cookie).await;
        assert!(page.body.contains(r#"id="t-dns" data-status="done""#), "{path}: their status");
        // The second answer comes from what was kept for this learner: the same bytes.
        let again = app.get(path, Some(&cookie)).await;
        assert_eq!(without_nonces(&again.body), without_nonces(&page.body), "{path} kept");
    }
    // A shared page, for a viewer with their own cookie and for one without.
    let shared = app.post_form("/api/create_share_link", "roadmap=backend", Some(&cookie)).await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.body);
    let code = shared.json()["code"].as_str().expect("a code").to_owned();
    let stranger = "backroad_theme=dark";
    let page = same_page(&app, &full, &format!("/s/{code}"), stranger).await;
    assert!(page.body.contains(r#"id="t-dns" data-status="done""#), "the owner's status");
    // Their next change shows on the shared page at once.
    app.set_status("dns", "none", Some(&cookie)).await;
    let after = same_page(&app, &full, &format!("/s/{code}"), stranger).await;
    assert!(after.body.contains(r#"id="t-dns" data-status="none""#));
}

/// The opening tag of the element a marker at `at` belongs to, and the attribute it is the
/// value of (`None`: it is the element's content).
fn place_of(page: &str, at: usize) -> (String, Option<String>) {
    let before = &page[..at];
    let open = before.rfind('<').expect("inside the document");
    let inside_tag = before.rfind('>').is_none_or(|close| close < open);
    if inside_tag {
        let tag_end = page[at..].find('>').expect("the tag closes") + at;
        let attribute = before[..before.len() - 2].rsplit([' ', '\n']).next().expect("an attribute").to_owned();
        (page[open..=tag_end].to_owned(), Some(attribute))
    } else {
        (before[open..].to_owned(), None)
    }
}

/// Whether an opening tag matches a compound selector of the forms `Slot::hooks` writes:
/// `[name="value"]`, `[name]`, one after another, `#id` or `.class`; for a descendant selector,
/// its last part, and for `#id …`, the nearest element with an id before the tag is that one.
fn matches(page: &str, at: usize, tag: &str, selector: &str) -> bool {
    let last = selector.rsplit(' ').next().unwrap_or(selector);
    if let Some(ancestor) = selector.strip_prefix('#').and_then(|s| s.split(' ').next()) {
        let nearest = page[..at].rfind(" id=\"").map(|i| &page[i + 5..]);
        if nearest.and_then(|rest| rest.split('"').next()) != Some(ancestor) {
            return false;
        }
    }
    if let Some(id) = last.strip_prefix('#') {
        return tag.contains(&format!(" id=\"{id}\""));
    }
    if let Some(class) = last.strip_prefix('.') {
        let classes = tag.split(" class=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
        return classes.split(' ').any(|c| c == class);
    }
    last.trim_start_matches('[').trim_end_matches(']').split("][").all(|part| match part.split_once('=') {
        Some((name, value)) => tag.contains(&format!(" {name}={value}")),
        None => tag.contains(&format!(" {part}=")),
    })
}

#[tokio::test]
async fn every_slot_of_a_template_sits_where_its_hooks_say() {
    use backroad::roadmap::personal::{Place, Slot, CLOSE, OPEN};
    let (_dir, app) = app().await;
    let full = with_full_render(&app);
    for path in ["/roadmaps/backend", "/roadmaps/backend/dns"] {
        let mut request = http::Request::get(path).header(http::header::ACCEPT, "text/html");
        request = request.extension(backroad::server::web::context::TemplateRender);
        let page = full.send(request.body(axum::body::Body::empty()).expect("request")).await.body;
        let mut checked = 0;
        let mut at = 0;
        while let Some(open) = page[at..].find(OPEN).map(|i| i + at) {
            let close = page[open..].find(CLOSE).expect("closed") + open;
            let slot = Slot::parse(&page[open + OPEN.len_utf8()..close]).expect("a slot");
            at = close;
            let hooks = slot.hooks();
            if hooks.is_empty() {
                continue; // read once by the island, never written again
            }
            let (tag, attribute) = place_of(&page, open);
            let found = hooks.iter().any(|hook| {
                matches(&page, open, &tag, &hook.selector)
                    && match (hook.place, &attribute) {
                        (Place::Attribute(name), Some(a)) => a == name,
                        (Place::Text | Place::Markup, None) => true,
                        _ => false,
                    }
            });
            assert!(found, "{path}: {slot:?} in `{tag}` ({attribute:?}) is not where {hooks:?} say");
            checked += 1;
        }
        assert!(checked > 500, "{path}: only {checked} slots");
    }
}

#[tokio::test]
async fn a_page_with_the_learners_notes_is_the_full_render_byte_for_byte() {
    let (_dir, app) = app().await;
    let full = with_full_render(&app);
    let note = |topic: &str, text: &str| format!("roadmap=backend&topic={topic}&note={}", support::url_encode(text));
    let first = app
        .post_form("/api/set_note", &note("dns", "Trace with `dig +trace`: quokka\n\n<b>x</b> & \"y\"\n\ttab"), None)
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let cookie = first.identity_cookie().expect("an identity");
    app.post_form("/api/set_note", &note("http", "quokka idempotence"), Some(&cookie)).await;
    app.set_status("http", "done", Some(&cookie)).await;
    for path in [
        "/roadmaps/backend",
        "/roadmaps/backend/dns",
        "/roadmaps/backend/http",
        "/roadmaps/backend/rest",
        "/roadmaps/backend?q=quokka",
        "/roadmaps/backend/dns?q=quokka&show=core",
    ] {
        // Twice: the second answer comes from what was kept.
        same_page(&app, &full, path, &cookie).await;
        let page = same_page(&app, &full, path, &cookie).await;
        assert!(page.body.contains(r#"id="t-dns""#), "{path}");
    }
    let searched = same_page(&app, &full, "/roadmaps/backend?q=quokka", &cookie).await;
    assert!(searched.body.contains("Found in your notes:"), "the note hits are shown");
    let panel = same_page(&app, &full, "/roadmaps/backend/dns", &cookie).await;
    assert!(
        panel.body.contains("&lt;b&gt;x&lt;/b&gt; &amp; \"y\"\n\ttab</textarea>"),
        "the editor keeps the text whole"
    );
}
