//! HTTP tests for the protections around every request: cross-site refusal, body limits,
//! security headers, and that one person can never change another's progress.
#![cfg(feature = "ssr")]

mod support;

use axum::body::Body;
use http::{header, Request, StatusCode};
use support::app;

#[tokio::test]
async fn cross_site_posts_are_refused_without_changing_anything() {
    let (_dir, app) = app().await;
    let me = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let form = "roadmap=backend&topic=dns&status=none";
    let evil = app.post_form_from(Some("https://evil.example"), "/api/set_topic_status", form, Some(&me)).await;
    assert_eq!(evil.status, StatusCode::FORBIDDEN);
    assert!(evil.error().contains("another site"), "{}", evil.body);
    let silent = app.post_form_from(None, "/api/set_topic_status", form, Some(&me)).await;
    assert_eq!(silent.status, StatusCode::FORBIDDEN);
    assert!(silent.error().contains("Origin: http://127.0.0.1:3000"), "{}", silent.body);
    let logout = app.post_form_from(Some("https://evil.example"), "/api/logout", "", Some(&me)).await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(app.statuses(Some(&me)).await["dns"], "done", "nothing changed");

    // A browser's fetch metadata alone is enough when there is no Origin.
    let req = Request::post("/api/set_topic_status")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, &me)
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form))
        .expect("request");
    assert_eq!(app.send(req).await.status, StatusCode::OK);
    assert_eq!(app.statuses(Some(&me)).await["dns"], "none");
}

#[tokio::test]
async fn one_person_cannot_change_anothers_progress() {
    let (_dir, app) = app().await;
    let ada = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let code = app.post_form("/api/create_share_link", "roadmap=backend", Some(&ada)).await.json()["code"]
        .as_str()
        .expect("code")
        .to_owned();
    // The only way to name a person is one's own cookie: a share code in any field does nothing.
    let grace = app
        .post_form("/api/set_topic_status", &format!("roadmap=backend&topic=dns&status=skipped&code={code}"), None)
        .await;
    assert_eq!(grace.status, StatusCode::OK);
    assert_eq!(app.statuses(Some(&ada)).await["dns"], "done");
    let reset = app.post_form("/api/reset_progress", "roadmap=backend", None).await;
    assert_eq!(reset.status, StatusCode::OK);
    assert_eq!(app.statuses(Some(&ada)).await["dns"], "done");
    let page = app.get(&format!("/s/{code}"), None).await;
    assert!(page.body.contains(r#"id="t-dns" data-status="done""#));
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_and_the_import_takes_more() {
    let (_dir, app) = app().await;
    let big = format!("data={}", "x".repeat(200 * 1024));
    let a = app.post_form("/api/import_progress", &big, None).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "200 KiB is fine for an import: {}", a.body);
    let huge = format!("data={}", "x".repeat(1024 * 1024 + 1));
    let a = app.post_form("/api/import_progress", &huge, None).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.error().contains("1024 KiB"), "{}", a.body);
    let a = app.post_form("/api/login", &big, None).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK, "the server keeps serving");
}

#[tokio::test]
async fn pages_carry_a_policy_whose_nonce_is_on_their_scripts() {
    let (_dir, app) = app().await;
    // A page rendered for someone: their account page; its policy is set as the page is
    // built (`context::page_context`), never found by reading the body. (Roadmap, topic and
    // shared pages are kept or filled in from a template, allowed by hashes: tests/overlay.rs.)
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let page = app.get("/account", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csp = page.headers["content-security-policy"].to_str().expect("header").to_owned();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("'unsafe-inline' 'nonce") && csp.contains("script-src 'self' 'nonce-"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce");
    assert!(nonce.len() >= 16);
    assert!(page.body.contains(&format!(r#"nonce="{nonce}""#)), "the hydration script carries it");
    let scripts = page.body.matches("<script").count();
    assert_eq!(scripts, page.body.matches(&format!(r#"nonce="{nonce}""#)).count(), "every inline script has it");
    let again = app.get("/account", Some(&cookie)).await;
    assert!(!again.headers["content-security-policy"].to_str().unwrap_or_default().contains(nonce), "one per response");
    for answer in [&page, &app.get("/healthz", None).await, &app.get("/nope", None).await] {
        assert_eq!(answer.headers["x-content-type-options"], "nosniff");
        assert_eq!(answer.headers["referrer-policy"], "same-origin");
        assert!(answer.headers["content-security-policy"]
            .to_str()
            .unwrap_or_default()
            .contains("frame-ancestors 'none'"));
    }
}

#[tokio::test]
async fn answers_for_someone_are_never_stored_and_vary_by_cookie() {
    let (_dir, app) = app().await;
    let first = app.set_status("dns", "done", None).await;
    assert_eq!(first.headers[header::CACHE_CONTROL], "private, no-store", "the answer that hands out a cookie");
    let me = first.identity_cookie().expect("cookie");
    let page = app.get("/roadmaps/backend", Some(&me)).await;
    assert_eq!(page.headers[header::CACHE_CONTROL], "private, no-store");
    assert!(page.headers[header::VARY].to_str().expect("vary").contains("cookie"));
    let api = app.post_form("/api/get_progress", "roadmap=backend", Some(&me)).await;
    assert_eq!(api.headers[header::CACHE_CONTROL], "private, no-store");
    assert!(api.headers[header::VARY].to_str().expect("vary").contains("cookie"));
    let account = app.get("/account", Some(&me)).await;
    assert_eq!(account.headers[header::CACHE_CONTROL], "private, no-store");
    // A visitor without cookies gets the page everyone gets, which caches may keep.
    let anonymous = app.get("/roadmaps/backend", None).await;
    assert!(!anonymous.headers.contains_key(header::CACHE_CONTROL), "{:?}", anonymous.headers);
}

#[tokio::test]
async fn a_host_that_is_not_this_sites_gets_421_and_nothing_is_done() {
    let (_dir, app) = app().await;
    let get = |host: &'static str, path: &'static str| {
        Request::get(path)
            .header(header::HOST, host)
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .expect("req")
    };
    let rebound = app.send(get("evil.example:3000", "/roadmaps/backend")).await;
    assert_eq!(rebound.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(rebound.error().contains("This server answers for http://127.0.0.1:3000"), "{}", rebound.body);
    let write = Request::post("/api/set_topic_status")
        .header(header::HOST, "evil.example:3000")
        .header(header::ORIGIN, "http://evil.example:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from("roadmap=backend&topic=dns&status=done"))
        .expect("req");
    let refused = app.send(write).await;
    assert_eq!(refused.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(refused.cookie("backroad_id").is_none(), "no identity was made");
    for host in ["127.0.0.1:3000", "localhost:3000", "[::1]:3000"] {
        let req = Request::get("/roadmaps/backend").header(header::HOST, host).body(Body::empty()).expect("req");
        assert_eq!(app.send(req).await.status, StatusCode::OK, "{host}");
    }
    assert_eq!(app.send(get("evil.example", "/healthz")).await.status, StatusCode::OK, "health checks pass");
}

#[tokio::test]
async fn one_network_starts_only_so_many_new_identities_an_hour() {
    let (_dir, app) = app().await;
    let limit = app.state.new_identities.max;
    assert!(limit > 0, "the limit is on by default");
    let write = "roadmap=backend&topic=dns&status=done";
    let mut first = None;
    for i in 1..=limit {
        let a = app.post_from(&format!("[2001:db8:5:6::{i:x}]:1"), "set_topic_status", write, None).await;
        assert_eq!(a.status, StatusCode::OK, "visitor {i}: {}", a.body);
        first = first.or(a.identity_cookie());
    }
    let first = first.expect("an identity cookie");
    // Another address of the same /64, and every write that would start an identity.
    for (endpoint, form) in [
        ("set_topic_status", write),
        ("create_share_link", "roadmap=backend"),
        ("set_display_name", "display_name=Flood"),
    ] {
        let over = app.post_from("[2001:db8:5:6:ffff::1]:9", endpoint, form, None).await;
        assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS, "{endpoint}: {}", over.body);
        assert!(over.error().contains("new visitors from your network"), "{}", over.body);
        let wait: u64 = over.headers[header::RETRY_AFTER].to_str().expect("ascii").parse().expect("seconds");
        assert!((1..=3600).contains(&wait), "Retry-After {wait}");
        assert!(over.identity_cookie().is_none(), "no identity was started");
    }
    // Someone the store knows writes as before, from the same network; reading starts nothing.
    let known = app.post_from("[2001:db8:5:6:ffff::1]:9", "set_topic_status", write, Some(&first)).await;
    assert_eq!(known.status, StatusCode::OK, "{}", known.body);
    let read = app.post_from("[2001:db8:5:6:ffff::1]:9", "get_progress", "roadmap=backend", None).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    // Another network is someone else.
    let elsewhere = app.post_from("[2001:db8:5:7::1]:1", "set_topic_status", write, None).await;
    assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.body);
}

#[tokio::test]
async fn an_identity_first_seen_today_gets_its_cookie_again_and_is_marked_seen() {
    use backroad::server::identity::Token;
    use backroad::server::store::TokenLookup;
    let (_dir, app) = app().await;
    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    let key = Token::parse(cookie.trim_start_matches("backroad_id=")).expect("a token").key();
    let seen = || async {
        match app.state.store.lookup_token(&key).await.expect("lookup") {
            TokenLookup::Identity { last_seen } => last_seen,
            other => panic!("not an identity: {other:?}"),
        }
    };
    let now = seen().await;
    let fresh = app.get("/roadmaps/backend", Some(&cookie)).await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert_eq!(fresh.identity_cookie(), None, "seen today already: no cookie again");

    // Last seen 30 days ago: the page marks it seen and sends the same cookie for 400 days.
    app.state.store.touch_identity(&key, now - 30 * 24 * 3600 * 1000).await.expect("touch");
    let page = app.get("/roadmaps/backend", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.identity_cookie().as_deref(), Some(cookie.as_str()), "the same identity, renewed");
    let header = page.set_cookie_header().expect("set-cookie");
    assert!(header.contains("Max-Age=34560000") && header.contains("HttpOnly"), "{header}");
    assert!(seen().await >= now, "marked seen today");
    assert_eq!(app.get("/roadmaps/backend", Some(&cookie)).await.identity_cookie(), None, "once a day");

    // The same through the API.
    app.state.store.touch_identity(&key, now - 2 * 24 * 3600 * 1000).await.expect("touch");
    let api = app.post_form("/api/get_progress", "roadmap=backend", Some(&cookie)).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.identity_cookie().as_deref(), Some(cookie.as_str()));
}

/// A sign-in sent by a browser without JavaScript from the sign-in page.
fn plain_login(form: &str) -> Request<Body> {
    Request::post("/api/login")
        .header(header::HOST, support::HOST)
        .header(header::ORIGIN, support::ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/login")
        .body(Body::from(form.to_owned()))
        .expect("request")
}

#[tokio::test]
async fn only_form_errors_this_site_signed_are_shown_on_its_pages() {
    let (_dir, app) = app().await;
    let refused = app.send(plain_login("username=nobody&password=wrong-password")).await;
    assert!(refused.status.is_redirection(), "{}", refused.status);
    let location = refused.headers[header::LOCATION].to_str().expect("ascii").to_owned();
    assert!(location.contains("__err=") && location.contains("&__sig="), "{location}");
    let back = location.trim_start_matches(support::ORIGIN);
    let shown = app.get(back, None).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("do not match an account"), "the genuine error is shown");

    // The same error without its signature, or with another one, is someone else's link.
    let (unsigned, _) = back.split_once("&__sig=").expect("a signature");
    let forged_sig = format!("{unsigned}&__sig={}", "0".repeat(64));
    for link in [unsigned.to_owned(), forged_sig] {
        let page = app.get(&link, None).await;
        assert_eq!(page.status, StatusCode::OK, "{link}");
        assert!(!page.body.contains("do not match an account"), "{link}: an unsigned error is not shown");
        assert!(page.body.contains("Sign in"), "the page itself is");
    }
}

#[tokio::test]
async fn on_an_https_site_cookies_are_host_prefixed_and_secure_and_hsts_is_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = support::app_on_with(&dir.path().join("data"), |s| {
        s.public_url = "https://roads.example".to_owned();
    })
    .await;
    let write = app.set_status("dns", "done", None).await;
    assert_eq!(write.status, StatusCode::OK, "{}", write.body);
    let set = write.set_cookie_header().expect("a cookie");
    assert!(set.starts_with("__Host-backroad_id=") && set.contains("; Secure") && set.contains("; Path=/"), "{set}");
    assert!(!set.contains("Domain"), "{set}");
    assert_eq!(write.headers["strict-transport-security"], "max-age=31536000");
    let cookie = write.cookie("__Host-backroad_id").expect("cookie");
    assert_eq!(app.statuses(Some(&cookie)).await["dns"], "done");

    // A browser that still has the plain-http name from before the site moved to https keeps
    // its progress and is moved to the new name (the old one removed).
    let token = cookie.trim_start_matches("__Host-");
    let moved = app.post_form("/api/get_progress", "roadmap=backend", Some(token)).await;
    assert_eq!(moved.json()["statuses"]["dns"], "done", "the same identity");
    assert_eq!(moved.cookie("__Host-backroad_id").as_deref(), Some(cookie.as_str()));
    let cleared: Vec<&str> = moved.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(cleared.iter().any(|c| c.starts_with("backroad_id=;") && c.contains("Max-Age=0")), "{cleared:?}");
    let page = app.get("/roadmaps/backend", Some(token)).await;
    assert_eq!(page.cookie("__Host-backroad_id").as_deref(), Some(cookie.as_str()), "pages move it too");

    // Once moved, nothing more is sent; the theme cookie is prefixed too.
    let settled = app.post_form("/api/get_progress", "roadmap=backend", Some(&cookie)).await;
    assert!(settled.set_cookie_header().is_none(), "{:?}", settled.set_cookie_header());
    let theme = app.post_form("/api/set_theme", "theme=dark", Some(&cookie)).await;
    assert!(theme.set_cookie_header().is_some_and(|c| c.starts_with("__Host-backroad_theme=dark")), "{}", theme.body);
}

#[tokio::test]
async fn on_a_plain_http_site_there_is_no_hsts_and_cookies_keep_their_name() {
    let (_dir, app) = app().await;
    let write = app.set_status("dns", "done", None).await;
    assert!(write.set_cookie_header().is_some_and(|c| c.starts_with("backroad_id=") && !c.contains("Secure")));
    assert!(!write.headers.contains_key("strict-transport-security"));
}
