//! Property-based bad input on the real router: random, huge, unicode, missing, duplicated
//! and mistyped fields, wrong content types, truncated bodies and absurd path segments, at
//! every server function and page. Never a panic or a 500, no internal details in an error,
//! and a refused request changes nothing. (`PROPTEST_CASES` sets the number of cases.)
#![cfg(feature = "ssr")]

mod support;

use axum::body::Body;
use http::{header, Request, StatusCode};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::{url_encode, Answer, TestApp, ORIGIN};

const ENDPOINTS: [&str; 24] = [
    "set_topic_status",
    "get_progress",
    "search_topics",
    "set_theme",
    "list_roadmaps",
    "get_roadmap",
    "get_topic",
    "signup",
    "login",
    "logout",
    "change_password",
    "sign_out_elsewhere",
    "get_account",
    "set_display_name",
    "create_share_link",
    "revoke_share_link",
    "get_shared_progress",
    "export_progress",
    "import_progress",
    "reset_progress",
    "set_note",
    "get_notes",
    "undo_status",
    "get_previous_status",
];
const FIELDS: [&str; 14] = [
    "roadmap",
    "topic",
    "status",
    "q",
    "theme",
    "username",
    "password",
    "new_password",
    "display_name",
    "code",
    "data",
    "note",
    "notes",
    "x",
];
const CONTENT_TYPES: [&str; 6] = [
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "multipart/form-data; boundary=zz",
    "application/x-www-form-urlencoded; charset=utf-16",
    "",
];
/// What an error body must never contain: paths, Debug output, storage or panic text.
const LEAKS: [&str; 8] = ["/tmp", "/root", "src/", "sled", "panicked", "Io(", "Error {", "RUST_BACKTRACE"];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("done".to_owned()),
        Just("backend".to_owned()),
        Just("dns".to_owned()),
        "[a-z_-]{1,12}",
        any::<String>(),
        "\\PC{0,40}",
        (1usize..70_000).prop_map(|n| "é".repeat(n / 2)),
        Just("%00%ff%fe".to_owned()),
        Just("../../etc/passwd".to_owned()),
    ]
}

#[derive(Debug, Clone)]
enum Probe {
    Call { endpoint: &'static str, content_type: &'static str, fields: Vec<(String, String)>, raw: bool, cut: usize },
    Page { path: String },
}

fn probe() -> impl Strategy<Value = Probe> {
    let field = (prop_oneof![proptest::sample::select(FIELDS.to_vec()).prop_map(str::to_owned), text()], text());
    let call = (
        proptest::sample::select(ENDPOINTS.to_vec()),
        proptest::sample::select(CONTENT_TYPES.to_vec()),
        proptest::collection::vec(field, 0..6),
        any::<bool>(),
        any::<usize>(),
    )
        .prop_map(|(endpoint, content_type, fields, raw, cut)| Probe::Call {
            endpoint,
            content_type,
            fields,
            raw,
            cut,
        });
    let segment = prop_oneof!["[a-z0-9-]{0,70}", "\\PC{1,20}", Just("..".to_owned()), Just("%2e%2e".to_owned())];
    let page = (0..5usize, segment).prop_map(|(kind, seg)| {
        let seg = url_encode(&seg);
        let path = match kind {
            0 => format!("/roadmaps/{seg}"),
            1 => format!("/roadmaps/backend/{seg}"),
            2 => format!("/s/{seg}"),
            3 => format!("/s/{seg}/badge.svg?theme={seg}"),
            _ => format!("/roadmaps/backend?q={seg}&show={seg}"),
        };
        Probe::Page { path }
    });
    prop_oneof![3 => call, 1 => page]
}

fn request(p: &Probe, cookie: &str) -> Request<Body> {
    match p {
        Probe::Call { endpoint, content_type, fields, raw, cut } => {
            let mut body = if *raw {
                fields.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
            } else {
                fields.iter().map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v))).collect::<Vec<_>>().join("&")
            };
            // Sometimes the body is cut short (on a character boundary).
            if *cut % 4 == 0 && !body.is_empty() {
                let mut at = cut % body.len();
                while !body.is_char_boundary(at) {
                    at -= 1;
                }
                body.truncate(at);
            }
            let mut req = Request::post(format!("/api/{endpoint}"))
                .header(header::HOST, support::HOST)
                .header(header::ORIGIN, ORIGIN)
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, cookie);
            if !content_type.is_empty() {
                req = req.header(header::CONTENT_TYPE, *content_type);
            }
            req.body(Body::from(body)).expect("request")
        }
        Probe::Page { path } => {
            Request::get(path.as_str()).header(header::COOKIE, cookie).body(Body::empty()).expect("request")
        }
    }
}

async fn snapshot(app: &TestApp, cookie: &str) -> (serde_json::Value, serde_json::Value) {
    let progress = app.post_form("/api/get_progress", "roadmap=backend", Some(cookie)).await.json();
    let mut account = app.post_form("/api/get_account", "", Some(cookie)).await.json();
    account["share_links"] = account["share_links"].as_array().map(|l| l.len()).into();
    (progress, account)
}

fn check(p: &Probe, a: &Answer) -> Result<(), TestCaseError> {
    prop_assert!(a.status != StatusCode::INTERNAL_SERVER_ERROR, "{p:?} → 500: {}", a.body);
    prop_assert!(a.status.as_u16() < 500, "{p:?} → {}: {}", a.status, a.body);
    if a.status.is_client_error() && a.headers.get(header::CONTENT_TYPE).is_some_and(|v| v == "application/json") {
        for leak in LEAKS {
            prop_assert!(!a.body.contains(leak), "{p:?} leaked {leak:?}: {}", a.body);
        }
        let error = a.json()["error"].as_str().unwrap_or_default().to_owned();
        prop_assert!(error.len() > 10, "{p:?}: no sentence in {}", a.body);
    }
    Ok(())
}

#[test]
fn bad_input_never_breaks_the_server_or_the_data() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (_dir, app) = rt.block_on(support::app());
    let cookie = rt.block_on(async {
        let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
        app.set_status("http", "skipped", Some(&cookie)).await;
        app.post_form("/api/create_share_link", "roadmap=backend", Some(&cookie)).await;
        cookie
    });
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = runner.run(&probe(), |p| {
        rt.block_on(async {
            let before = snapshot(&app, &cookie).await;
            let a = app.send(request(&p, &cookie)).await;
            check(&p, &a)?;
            if a.status.is_client_error() {
                prop_assert_eq!(snapshot(&app, &cookie).await, before, "a refused {:?} changed data", p);
            }
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
