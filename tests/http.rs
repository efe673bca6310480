//! HTTP tests on the real router: pages, the progress API, identity cookies, bad input.
#![cfg(feature = "ssr")]

mod support;

use axum::body::Body;
use http::{header, Request, StatusCode};
use support::{all_bytes_under, app, app_on, TestApp};

fn topic_count(app: &TestApp) -> usize {
    app.state.catalog.roadmap("backend").expect("backend roadmap").topics.len()
}

#[tokio::test]
async fn healthz_answers_ok() {
    let (_dir, app) = app().await;
    let a = app.get("/healthz", None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, "ok");
}

#[tokio::test]
async fn home_lists_the_backend_roadmap() {
    let (_dir, app) = app().await;
    let a = app.get("/", None).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains(r#"href="/roadmaps/backend""#), "{}", a.body);
    assert!(a.body.contains("Back-end developer"));
    assert!(a.body.contains(r#"<html lang="en""#));
}

#[tokio::test]
async fn roadmap_page_renders_every_topic_with_its_status() {
    let (_dir, app) = app().await;
    let a = app.get("/roadmaps/backend", None).await;
    assert_eq!(a.status, StatusCode::OK);
    let roadmap = app.state.catalog.roadmap("backend").expect("backend");
    for t in &roadmap.topics {
        let marker = format!(r#"id="t-{}" data-status="none""#, t.id);
        assert!(a.body.contains(&marker), "missing {marker}");
        assert!(a.body.contains(&format!(r#"href="/roadmaps/backend/{0}#t-{0}""#, t.id)), "{} has a box link", t.id);
    }
    // The status controls are in each topic's panel, not repeated under the trees.
    assert_eq!(a.body.matches(r#"name="status""#).count(), 0, "no status buttons on the roadmap page");
    for s in &roadmap.sections {
        assert!(a.body.contains(&html_escape(&s.title)), "section {}", s.title);
    }
    // Each topic appears once, as a box in its skill tree (a list on narrow screens).
    assert_eq!(a.body.matches(" id=\"t-").count(), topic_count(&app));
    assert_eq!(a.body.matches(r#"class="node""#).count(), topic_count(&app));
    let edge = a.body.find("<path").map(|i| &a.body[i..(i + 120).min(a.body.len())]);
    assert!(a.body.contains(r#"<path d="M"#) && a.body.contains(" data-from-status="), "first path: {edge:?}");
    assert!(a.body.contains("what to learn next"));
    assert!(a.body.contains("Start here"), "a first visit is told where to start");
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[tokio::test]
async fn topic_page_is_a_full_deep_link() {
    let (_dir, app) = app().await;
    let roadmap = app.state.catalog.roadmap("backend").expect("backend");
    let t = roadmap.topic("https-tls").expect("https-tls");
    let a = app.get("/roadmaps/backend/https-tls", None).await;
    assert_eq!(a.status, StatusCode::OK);
    // The topic is a panel beside its roadmap, both complete in the first response.
    assert!(a.body.contains(r#"data-topic-id="https-tls" data-status="none" class="topic-panel">"#), "{}", a.body);
    assert!(a.body.contains(&format!(r#"tabindex="-1">{}</h2>"#, html_escape(&t.title))), "{}", a.body);
    assert!(a.body.contains(&format!("<title>{} · backroad</title>", html_escape(&t.title))));
    assert_eq!(a.body.matches("<title>").count(), 1);
    assert_eq!(a.body.matches(r#"property="og:title""#).count(), 1, "one preview title, the topic's");
    assert!(a.body.contains(r#"aria-label="Skill tree: Foundations""#));
    assert!(a.body.contains(&t.resources[0].url));
    assert!(a.body.contains(&html_escape(&t.outcomes[0])));
    // its prerequisite is linked
    assert!(a.body.contains(r#"href="/roadmaps/backend/http#t-http""#));
    // Close is a plain link back, and the search and filter in the address are kept.
    let filtered = app.get("/roadmaps/backend/https-tls?show=core", None).await;
    assert!(filtered.body.contains(r#"href="/roadmaps/backend?show=core""#), "{}", filtered.body);
}

#[tokio::test]
async fn a_topic_that_needs_any_one_language_says_so_and_waits_for_one_done() {
    let (_dir, app) = app().await;
    let page = app.get("/roadmaps/backend/unit-testing", None).await;
    let panel = &page.body[page.body.find(r#"class="topic-panel""#).expect("the panel")..];
    let needs = &panel[panel.find(r#"class="any-of""#).expect("an any-of prerequisite")..];
    let needs = &needs[..needs.find("</li>").expect("its end")];
    assert!(needs.contains("Any one language: "), "{needs}");
    for language in ["python#t-python", "go#t-go", "kotlin#t-kotlin"] {
        assert!(needs.contains(&format!(r#"href="/roadmaps/backend/{language}""#)), "{language} in {needs}");
    }
    // The box says it too, although no edge is drawn for a group.
    assert!(page.body.contains("Also needs: any one language (Languages)"), "a box's hint");
    // Python's panel lists what knowing it unlocks.
    let python = app.get("/roadmaps/backend/python", None).await;
    let unlocks = &python.body[python.body.find(r#"class="unlocks""#).expect("unlocks")..];
    assert!(unlocks[..unlocks.find("</ul>").expect("end")].contains("/roadmaps/backend/unit-testing#"));
}

#[tokio::test]
async fn unknown_pages_are_friendly_404s() {
    let (_dir, app) = app().await;
    for path in ["/roadmaps/nope", "/roadmaps/backend/no-such-topic", "/no/such/page", "/roadmaps/backend/DNS"] {
        let a = app.get(path, None).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
        assert!(a.body.contains("Not found"), "{path}: {}", a.body);
        assert!(a.body.contains(r#"href="/""#), "{path} links home");
    }
}

#[tokio::test]
async fn a_status_is_set_read_back_and_kept_per_browser() {
    let (_dir, app) = app().await;
    let a = app.set_status("dns", "done", None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let summary = a.json();
    assert_eq!(summary["roadmap"], "backend");
    assert_eq!(summary["done"], 1);
    assert_eq!(summary["total"], topic_count(&app));
    assert_eq!(summary["statuses"]["dns"], "done");
    assert_eq!(summary["statuses"]["http"], "none");
    let cookie = a.identity_cookie().expect("the first write creates an identity");

    let back = app.post_form("/api/get_progress", "roadmap=backend", Some(&cookie)).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.json()["statuses"]["dns"], "done");
    assert!(back.identity_cookie().is_none(), "no new identity for a known browser");

    let page = app.get("/roadmaps/backend", Some(&cookie)).await;
    assert!(page.body.contains(r#"id="t-dns" data-status="done""#));

    // Another browser sees nothing of it.
    let stranger = app.post_form("/api/get_progress", "roadmap=backend", None).await;
    assert_eq!(stranger.json()["statuses"]["dns"], "none");
    assert_eq!(stranger.json()["done"], 0);
    assert!(stranger.identity_cookie().is_none(), "reading never creates an identity");
    let other_page = app.get("/roadmaps/backend", None).await;
    assert!(other_page.body.contains(r#"id="t-dns" data-status="none""#));
}

#[tokio::test]
async fn percent_counts_done_over_total_minus_skipped() {
    let (_dir, app) = app().await;
    let first = app.set_status("dns", "done", None).await;
    let cookie = first.identity_cookie().expect("cookie");
    app.set_status("http", "skipped", Some(&cookie)).await;
    let a = app.set_status("https-tls", "in_progress", Some(&cookie)).await;
    let s = a.json();
    let total = topic_count(&app) as u64;
    assert_eq!((s["done"].as_u64(), s["skipped"].as_u64(), s["in_progress"].as_u64()), (Some(1), Some(1), Some(1)));
    assert_eq!(s["percent"].as_u64(), Some(100 / (total - 1)));
    let reset = app.set_status("dns", "none", Some(&cookie)).await.json();
    assert_eq!(reset["done"], 0);
    assert_eq!(reset["statuses"]["dns"], "none");
}

#[tokio::test]
async fn the_identity_cookie_is_httponly_lax_and_only_its_hash_is_stored() {
    let (_dir, app) = app().await;
    let a = app.set_status("dns", "done", None).await;
    let header = a.set_cookie_header().expect("set-cookie");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(header.contains(part), "{header}");
    }
    let cookie = a.identity_cookie().expect("cookie");
    let token = cookie.trim_start_matches("backroad_id=");
    assert_eq!(token.len(), 64, "256 random bits as hex");
    let on_disk = all_bytes_under(&app.data_dir);
    assert!(!on_disk.windows(token.len()).any(|w| w == token.as_bytes()), "the raw token must not be stored");
}

#[tokio::test]
async fn a_forged_cookie_does_not_become_an_identity() {
    let (_dir, app) = app().await;
    let forged = format!("backroad_id={}", "ab".repeat(32));
    let a = app.set_status("dns", "done", Some(&forged)).await;
    assert_eq!(a.status, StatusCode::OK);
    let issued = a.identity_cookie().expect("a fresh identity replaces an unknown one");
    assert_ne!(issued, forged);
    let via_forged = app.post_form("/api/get_progress", "roadmap=backend", Some(&forged)).await;
    assert_eq!(via_forged.json()["statuses"]["dns"], "none");
}

#[tokio::test]
async fn bad_input_is_a_400_with_a_sentence_and_nothing_is_written() {
    let (_dir, app) = app().await;
    let cases = [
        ("roadmap=nope&topic=dns&status=done", "There is no roadmap `nope`"),
        ("roadmap=backend&topic=nope&status=done", "has no topic `nope`"),
        ("roadmap=backend&topic=dns&status=finished", "`finished` is not a status"),
        ("roadmap=backend&topic=dns", "missing field `status`"),
        ("roadmap=backend&status=done", "missing field `topic`"),
        ("", "missing field"),
        ("roadmap=backend&topic=dns&status=done&status=none", "could not be read"),
    ];
    for (form, expected) in cases {
        let a = app.post_form("/api/set_topic_status", form, None).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{form}: {}", a.body);
        let error = a.error();
        assert!(error.contains(expected), "{form}: {error}");
        assert!(error.ends_with('.'), "a sentence: {error}");
        assert!(a.identity_cookie().is_none(), "{form}: nothing written, no identity");
    }
    let a = app.post_form("/api/get_progress", "roadmap=../etc", None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.error().contains("There is no roadmap"));
}

#[tokio::test]
async fn bad_input_leaves_existing_progress_alone() {
    let (_dir, app) = app().await;
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let a = app.set_status("dns", "bogus", Some(&cookie)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let back = app.post_form("/api/get_progress", "roadmap=backend", Some(&cookie)).await;
    assert_eq!(back.json()["statuses"]["dns"], "done");
}

/// A browser's form post without JavaScript, setting DNS to `status` (`status=…`).
fn html_form(referer: &str, cookie: Option<&str>, status: &str) -> Request<Body> {
    let mut req = Request::post("/api/set_topic_status")
        .header(header::HOST, support::HOST)
        .header(header::ORIGIN, support::ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::REFERER, referer);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(format!("roadmap=backend&topic=dns&{status}"))).expect("request")
}

#[tokio::test]
async fn a_plain_html_form_post_redirects_back_with_the_cookie() {
    let (_dir, app) = app().await;
    let a = app.send(html_form("http://127.0.0.1:3000/roadmaps/backend", None, "status=in_progress")).await;
    assert!(a.status.is_redirection(), "{}", a.status);
    assert_eq!(
        a.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()),
        Some("http://127.0.0.1:3000/roadmaps/backend")
    );
    let cookie = a.identity_cookie().expect("cookie on the redirect");
    let page = app.get("/roadmaps/backend", Some(&cookie)).await;
    assert!(page.body.contains(r#"id="t-dns" data-status="in_progress""#));
    // A Referer elsewhere is never followed: the form comes back to this site.
    let away = app.send(html_form("https://evil.example/phish", Some(&cookie), "status=done")).await;
    assert!(away.status.is_redirection(), "{}", away.status);
    assert_eq!(away.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()), Some("/"));
}

#[tokio::test]
async fn server_functions_only_take_post_and_bounded_bodies() {
    let (_dir, app) = app().await;
    let get = app.send(Request::get("/api/set_topic_status").body(Body::empty()).expect("request")).await;
    assert!(matches!(get.status, StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_FOUND), "{}", get.status);
    let huge = format!("roadmap=backend&topic=dns&status=done&pad={}", "x".repeat(200_000));
    // With a Content-Length, as browsers and curl send it: refused before reading.
    let sized = Request::post("/api/set_topic_status")
        .header(header::ORIGIN, support::ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, huge.len())
        .body(Body::from(huge.clone()))
        .expect("request");
    let a = app.send(sized).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.identity_cookie().is_none());
    assert!(a.error().contains("larger than this endpoint accepts (64 KiB)"), "{}", a.body);
    // Without one (streamed): cut off after 64 KiB, the same answer.
    let a = app.post_form("/api/set_topic_status", &huge, None).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.body);
    assert!(a.error().contains("larger than this endpoint accepts"));
    assert!(a.identity_cookie().is_none());
}

#[tokio::test]
async fn progress_survives_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let cookie = {
        let app = app_on(&data).await;
        let a = app.set_status("git-basics", "done", None).await;
        assert_eq!(a.status, StatusCode::OK);
        a.identity_cookie().expect("cookie")
    };
    let app = app_on(&data).await;
    let back = app.post_form("/api/get_progress", "roadmap=backend", Some(&cookie)).await;
    assert_eq!(back.json()["statuses"]["git-basics"], "done");
}

#[tokio::test]
async fn the_theme_cookie_is_rendered_by_the_server() {
    let (_dir, app) = app().await;
    let a = app.post_form("/api/set_theme", "theme=dark", None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let cookie = a.cookie("backroad_theme").expect("theme cookie");
    assert_eq!(cookie, "backroad_theme=dark");
    let page = app.get("/roadmaps/backend", Some(&cookie)).await;
    assert!(page.body.contains(r#"data-theme="dark""#), "the server renders the chosen theme");
    let plain = app.get("/roadmaps/backend", None).await;
    assert!(plain.body.contains(r#"data-theme="system""#));
    let bad = app.post_form("/api/set_theme", "theme=purple", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.error().contains("system, light or dark"));
}

#[tokio::test]
async fn roadmap_and_topic_pages_have_share_previews() {
    let (_dir, app) = app().await;
    let roadmap = app.get("/roadmaps/backend", None).await;
    assert!(roadmap.body.contains(r#"property="og:title""#), "open graph title");
    assert!(roadmap.body.contains(r#"content="Back-end developer roadmap""#));
    let topic = app.get("/roadmaps/backend/dns", None).await;
    assert!(topic.body.contains(r#"content="DNS · Back-end developer""#));
    assert!(topic.body.contains(r#"name="description""#));
}

/// Concurrent renders of one page: each must be complete, with a policy for its scripts (a
/// nonce when rendered for someone, hashes when kept for visitors without cookies). (A title
/// read from a memo that a re-run render had disposed panicked here, an empty reply.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_page_renders_all_complete() {
    let (_dir, app) = app().await;
    let app = std::sync::Arc::new(app);
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let mut tasks = Vec::new();
    for i in 0..120 {
        let (app, cookie) = (app.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            let path = if i % 2 == 0 { "/roadmaps/backend?show=core" } else { "/roadmaps/backend/dns" };
            app.get(path, (i % 3 == 0).then_some(cookie.as_str())).await
        }));
    }
    for task in tasks {
        let page = task.await.expect("the render did not panic");
        assert_eq!(page.status, StatusCode::OK, "{}", &page.body[..page.body.len().min(600)]);
        assert!(
            page.body.contains("</html>") && page.body.contains("id=\"t-dns\""),
            "a complete page: {} … {}",
            &page.body[..page.body.len().min(300)],
            &page.body[page.body.len().saturating_sub(600)..]
        );
        let csp = page.headers["content-security-policy"].to_str().unwrap_or_default().to_owned();
        assert!(csp.contains("'nonce-") || csp.contains("'sha256-"), "{csp}");
    }
}

/// Visitors without cookies get a page rendered once and kept: the same bytes for everyone,
/// its inline scripts allowed by their hashes; people with a cookie get their own statuses.
#[tokio::test]
async fn anonymous_pages_are_kept_with_hashed_scripts_and_people_see_their_own() {
    let (_dir, app) = app().await;
    let first = app.get("/roadmaps/backend/dns", None).await;
    assert_eq!(first.status, StatusCode::OK);
    let kept = app.get("/roadmaps/backend/dns", None).await;
    assert_eq!(kept.status, StatusCode::OK);
    assert_eq!(first.body, kept.body, "one page for every visitor without cookies");
    let csp = kept.headers["content-security-policy"].to_str().expect("header").to_owned();
    assert!(!csp.contains("'nonce-"), "{csp}");
    let inline_scripts = kept.body.matches("<script").count() - kept.body.matches("<script src=").count();
    assert!(inline_scripts > 0);
    assert_eq!(csp.matches("'sha256-").count(), inline_scripts, "every inline script is allowed by its hash: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");

    // Someone marks a topic: their page shows it, a visitor without cookies still sees none.
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let own = app.get("/roadmaps/backend/dns", Some(&cookie)).await;
    assert!(own.body.contains(r#"id="t-dns" data-status="done""#), "their own status");
    let anonymous = app.get("/roadmaps/backend/dns", None).await;
    assert!(anonymous.body.contains(r#"id="t-dns" data-status="none""#));
    // Addresses with a query (search, filters) are rendered each time.
    let searched = app.get("/roadmaps/backend?q=dns", None).await;
    assert_eq!(searched.status, StatusCode::OK);
    assert!(searched.body.contains("dns"));
}

/// Built files carry a hash of their content in their names, so they are cacheable for a
/// year; anything else under the site keeps the default (revalidate).
#[tokio::test]
async fn hashed_assets_are_cacheable_for_a_year() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).expect("site");
    std::fs::write(site.join("pkg/backroad.0123abcd.js"), "export default 1;").expect("asset");
    std::fs::write(site.join("favicon.svg"), "<svg/>").expect("icon");
    let mut settings = support::settings(&dir.path().join("data"));
    // Tests run without the build's hash list (so their pages use plain names); the header
    // rule itself is what is tested here.
    settings.leptos.hash_files = true;
    settings.leptos.site_root = site.to_string_lossy().into_owned().into();
    let (state, _backend) = backroad::server::web::startup::build_state(&settings).await.expect("state");
    let app = TestApp {
        router: backroad::server::web::startup::router(state.clone(), settings.max_body_bytes),
        state,
        data_dir: dir.path().join("data"),
    };
    let asset = app.get("/pkg/backroad.0123abcd.js", None).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    let icon = app.get("/favicon.svg", None).await;
    assert_eq!(icon.status, StatusCode::OK);
    assert!(!icon.headers.contains_key(header::CACHE_CONTROL), "unhashed files are not promised a year");
}

#[tokio::test]
async fn next_steps_keep_the_search_and_filter_of_the_page() {
    let (_dir, app) = app().await;
    let next_links = |page: &str| -> Vec<String> {
        let list = page.split(r#"data-hook="next-steps">"#).nth(1).unwrap_or_default();
        let list = list.split("</ol>").next().unwrap_or_default();
        list.split("<a href=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_owned).collect()
    };
    let plain = next_links(&app.get("/roadmaps/backend", None).await.body);
    assert!(!plain.is_empty(), "no next steps");
    assert!(plain.iter().all(|href| href.starts_with("/roadmaps/backend/") && !href.contains('?')), "{plain:?}");
    // Each link lands at its topic's box.
    assert!(plain.iter().all(|href| href.contains("#t-")), "{plain:?}");
    let filtered = next_links(&app.get("/roadmaps/backend?show=core", None).await.body);
    assert_eq!(filtered.len(), plain.len());
    assert!(filtered.iter().all(|href| href.contains("?show=core#t-")), "{filtered:?}");
}

/// `/metrics` is not on the public router (an operator gives it its own address); what it
/// would serve counts requests by route and status, store operations and flush batches.
#[tokio::test]
async fn metrics_count_requests_and_store_operations_and_are_not_public() {
    let (_dir, app) = app().await;
    assert_eq!(app.set_status("dns", "done", None).await.status, StatusCode::OK);
    assert_eq!(app.get("/roadmaps/backend", None).await.status, StatusCode::OK);
    assert_eq!(app.get("/roadmaps/backend", None).await.status, StatusCode::OK);
    assert_eq!(app.get("/metrics", None).await.status, StatusCode::NOT_FOUND, "metrics must not be public");
    let text = backroad::server::metrics::render();
    for wanted in [
        r#"backroad_http_requests_total{route="set_topic_status",status="200"}"#,
        r#"backroad_http_request_duration_seconds_bucket{route="/roadmaps/{roadmap}""#,
        r#"backroad_store_operation_duration_seconds_count{backend="#,
        r#"backroad_cached_page_hits_total{kind="anonymous"}"#,
    ] {
        assert!(text.contains(wanted), "missing {wanted} in:\n{text}");
    }
    if !support::on_postgres() {
        assert!(text.contains(r#"backroad_durable_write_batch_size_count{backend="sled"}"#), "{text}");
    }
}

#[tokio::test]
async fn outcomes_render_their_code_spans() {
    let (_dir, app) = app().await;
    let page = app.get("/roadmaps/backend/dns", None).await;
    assert!(page.body.contains("You can use <code>dig</code> to query"), "outcomes render Markdown");
    assert!(!page.body.contains("`dig`"), "no raw backticks");
}

#[tokio::test]
async fn the_roadmap_page_is_small_and_other_spellings_are_redirected() {
    let (_dir, app) = app().await;
    let page = app.get("/roadmaps/backend", None).await;
    if let Ok(to) = std::env::var("BACKROAD_DUMP_PAGE") {
        std::fs::write(to, &page.body).expect("dump");
    }
    assert!(page.body.len() <= 150_000, "{} bytes of HTML", page.body.len());
    let odd = app.get("/roadmaps/%62ackend/%64ns", None).await;
    assert_eq!(odd.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(odd.headers[header::LOCATION], "/roadmaps/backend/dns");
    // A query is rebuilt from what it means: unknown parameters leave no trace in links.
    let junk = app.get("/roadmaps/backend?utm_source=x&show=core", None).await;
    assert!(!junk.body.contains("utm_source"), "the raw query is not echoed");
    assert!(junk.body.contains("?show=core"));
}

#[tokio::test]
async fn a_topics_panel_is_served_alone_for_panels_opened_in_place() {
    let (_dir, app) = app().await;
    let panel = app.get("/roadmaps/backend/dns/panel.html?show=core", None).await;
    assert_eq!(panel.status, StatusCode::OK, "{}", panel.body);
    assert!(panel.body.starts_with("<aside") && panel.body.ends_with("</aside>"), "{}", panel.body);
    assert!(panel.body.contains(r#"data-topic-id="dns""#) && panel.body.contains("Mark DNS as done"));
    assert!(panel.body.contains("?show=core#t-dns"), "its links keep the filter");
    assert!(panel.body.len() < 20_000, "{} bytes: the panel, not the page", panel.body.len());
    assert_eq!(app.get("/roadmaps/backend/panel.html", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/roadmaps/backend/nope/panel.html", None).await.status, StatusCode::NOT_FOUND);
}

/// The count of `backroad_cached_page_hits_total` for `kind` so far in this process.
fn page_hits(kind: &str) -> f64 {
    let text = backroad::server::metrics::render();
    let wanted = format!(r#"backroad_cached_page_hits_total{{kind="{kind}"}} "#);
    text.lines().find_map(|l| l.strip_prefix(&wanted)).and_then(|v| v.trim().parse().ok()).unwrap_or(0.0)
}

#[tokio::test]
async fn a_search_asked_for_once_is_rendered_not_kept_and_kept_when_asked_again() {
    let (_dir, app) = app().await;
    let address = "/roadmaps/backend?q=tls+handshake";
    let (once, anonymous) = (page_hits("searched_once"), page_hits("anonymous"));
    let first = app.get(address, None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(page_hits("searched_once"), once + 1.0, "the first time it is rendered in full, nothing kept");
    let second = app.get(address, None).await;
    let third = app.get(address, None).await;
    assert_eq!(page_hits("searched_once"), once + 1.0, "asked again, it is made into a kept page");
    assert!(page_hits("anonymous") >= anonymous + 2.0, "and then answered from it");
    let matches = |body: &str| body.matches("data-match").count();
    assert!(matches(&first.body) > 0, "the search found topics");
    assert_eq!(matches(&first.body), matches(&second.body), "the same page either way");
    assert_eq!(second.body, third.body);
}

/// The bytes of `path` as a browser that accepts `encoding` gets them, decoded, with the
/// encoding the server chose.
async fn fetched_in(app: &TestApp, path: &str, encoding: &str, post: bool) -> (StatusCode, Option<String>, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = if post {
        Request::post(path)
            .header(header::ORIGIN, support::ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
    } else {
        Request::get(path).header(header::ACCEPT, "text/html")
    };
    let request = request.header(header::ACCEPT_ENCODING, encoding).body(Body::empty()).expect("request");
    let response = app.router.clone().oneshot(request).await.expect("router answers");
    let status = response.status();
    let chosen = response.headers().get(header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    let mut plain = Vec::new();
    match chosen.as_deref() {
        Some("br") => std::io::Read::read_to_end(&mut brotli::Decompressor::new(&bytes[..], 4096), &mut plain),
        Some("gzip") => std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut plain),
        None => {
            plain.extend_from_slice(&bytes);
            Ok(bytes.len())
        }
        Some(other) => panic!("{path}: unexpected encoding {other}"),
    }
    .unwrap_or_else(|e| panic!("{path}: the {chosen:?} body does not decode: {e}"));
    (status, chosen, String::from_utf8(plain).expect("UTF-8"))
}

#[tokio::test]
async fn every_kind_of_answer_comes_compressed_as_the_browser_accepts_and_decodes_whole() {
    let (_dir, app) = app().await;
    // A kept page, a page rendered in full (an unknown topic), a page Leptos renders itself,
    // a server function's JSON: each in br, in gzip, and plain for a client that takes neither.
    let cases = [
        ("/roadmaps/backend", false, StatusCode::OK, "</html>"),
        ("/roadmaps/backend/no-such-topic", false, StatusCode::NOT_FOUND, "</html>"),
        ("/login", false, StatusCode::OK, "</html>"),
        ("/api/list_roadmaps", true, StatusCode::OK, "\"backend\""),
    ];
    for (path, post, status, ending) in cases {
        let (plain_status, plain_encoding, plain) = fetched_in(&app, path, "identity", post).await;
        assert_eq!((plain_status, plain_encoding), (status, None), "{path} plain");
        for (accepted, chosen) in [("gzip, deflate, br, zstd", "br"), ("gzip", "gzip")] {
            let (got_status, got_encoding, decoded) = fetched_in(&app, path, accepted, post).await;
            assert_eq!(got_status, status, "{path} with {accepted}");
            assert_eq!(got_encoding.as_deref(), Some(chosen), "{path} with {accepted}");
            assert!(decoded.contains(ending), "{path} with {accepted} decodes to a whole answer");
            // Rendered pages carry a fresh nonce each time; the rest of the text is the same.
            assert_eq!(decoded.len(), plain.len(), "{path} with {accepted} decodes to as many bytes as plain");
        }
    }
}
