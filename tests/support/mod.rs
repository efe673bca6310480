//! Shared helpers for the HTTP tests: a real router on a temporary data directory, and
//! small request builders. Included by each test file with `mod support;`.

#![allow(dead_code, reason = "each test file uses a different subset")]

pub mod pg;
pub mod process;
pub mod wrk;

use axum::body::Body;
use axum::Router;
use backroad::server::web::startup::{build_state, router};
use backroad::server::{AppState, Settings};
use http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// The address tests pretend the app is reached at, and the origin of its own pages.
pub const HOST: &str = "127.0.0.1:3000";
pub const ORIGIN: &str = "http://127.0.0.1:3000";

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub data_dir: PathBuf,
}

pub fn settings(data_dir: &Path) -> Settings {
    let dir = data_dir.to_string_lossy().into_owned();
    Settings::load_from(Path::new("Leptos.toml"), |name| (name == "BACKROAD_DATA_DIR").then(|| dir.clone()))
        .expect("settings")
}

/// Whether this run's HTTP tests use PostgreSQL (`BACKROAD_TEST_STORE=postgres`, as
/// `make unit` runs them a second time) instead of sled.
pub fn on_postgres() -> bool {
    std::env::var("BACKROAD_TEST_STORE").is_ok_and(|v| v == "postgres")
}

/// Starts the app on `data_dir`, retrying briefly while a previous instance lets go of it.
/// On PostgreSQL the directory only remembers which fresh database it stands for, so a
/// restart on the same directory finds the same data.
pub async fn app_on(data_dir: &Path) -> TestApp {
    app_on_with(data_dir, |_| {}).await
}

/// As `app_on`, with settings changed first (a public https URL, a limit).
pub async fn app_on_with(data_dir: &Path, change: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = settings(data_dir);
    change(&mut settings);
    if on_postgres() {
        let remembered = data_dir.join("test-database-url");
        let url = match std::fs::read_to_string(&remembered) {
            Ok(url) => url,
            Err(_) => {
                let url = pg::fresh_database().await;
                std::fs::create_dir_all(data_dir).expect("data dir");
                std::fs::write(&remembered, &url).expect("remember the database");
                url
            }
        };
        settings.database_url = Some(url);
        // Debug builds rendering many pages at once on 2 cores can keep a query waiting for
        // the CPU longer than the 3 s a production server allows.
        settings.database_timeout = std::time::Duration::from_secs(15);
    }
    let mut last = None;
    for _ in 0..100 {
        match build_state(&settings).await {
            Ok((state, _backend)) => {
                let router = router(state.clone(), settings.max_body_bytes);
                return TestApp { router, state, data_dir: data_dir.to_owned() };
            }
            Err(e) => {
                last = Some(e);
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
    panic!("could not start the app: {last:?}");
}

/// A fresh app on a temporary directory (kept alive by the returned guard).
pub async fn app() -> (tempfile::TempDir, TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app_on(&dir.path().join("data")).await;
    (dir, app)
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The sentence of a JSON error answer (empty when there is none).
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }

    /// The `name=value` part of the cookie `name`, if the answer set one.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let prefix = format!("{name}=");
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&prefix))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
    }

    /// The `name=value` part of our identity cookie, if the answer set one.
    pub fn identity_cookie(&self) -> Option<String> {
        self.cookie("backroad_id")
    }

    pub fn set_cookie_header(&self) -> Option<String> {
        self.headers.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }
}

impl TestApp {
    pub async fn send(&self, request: Request<Body>) -> Answer {
        // A stalled response fails the test with its address instead of hanging the run.
        let what = format!("{} {}", request.method(), request.uri());
        let exchange = async {
            let response: Response<Body> = self.router.clone().oneshot(request).await.expect("router answers");
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.into_body().collect().await.expect("body").to_bytes();
            Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
        };
        tokio::time::timeout(std::time::Duration::from_secs(20), exchange)
            .await
            .unwrap_or_else(|_| panic!("{what}: no complete answer within 20 s"))
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut req = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    /// A form post as an API client sends it from our own site (JSON answer).
    pub async fn post_form(&self, path: &str, form: &str, cookie: Option<&str>) -> Answer {
        self.post_form_from(Some(ORIGIN), path, form, cookie).await
    }

    /// A form post with the given `Origin` header (none when `None`).
    pub async fn post_form_from(&self, origin: Option<&str>, path: &str, form: &str, cookie: Option<&str>) -> Answer {
        let mut req = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(origin) = origin {
            req = req.header(header::ORIGIN, origin);
        }
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(form.to_owned())).expect("request")).await
    }

    /// A form post to `/api/{endpoint}` as if it came from the client at `addr` (an
    /// `ip:port`; without one, in-process requests have no client address at all).
    pub async fn post_from(&self, addr: &str, endpoint: &str, form: &str, cookie: Option<&str>) -> Answer {
        let addr: std::net::SocketAddr = addr.parse().expect("a socket address");
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .extension(axum::extract::ConnectInfo(addr));
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(form.to_owned())).expect("request")).await
    }

    /// Signs up (or in, with `endpoint = "login"`) and returns the session cookie.
    pub async fn account(&self, endpoint: &str, user: &str, password: &str, cookie: Option<&str>) -> Answer {
        self.post_form(&format!("/api/{endpoint}"), &format!("username={user}&password={password}"), cookie).await
    }

    /// The caller's statuses on the back-end roadmap, as JSON.
    pub async fn statuses(&self, cookie: Option<&str>) -> serde_json::Value {
        let a = self.post_form("/api/get_progress", "roadmap=backend", cookie).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        a.json()["statuses"].clone()
    }

    pub async fn set_status(&self, topic: &str, status: &str, cookie: Option<&str>) -> Answer {
        self.post_form("/api/set_topic_status", &format!("roadmap=backend&topic={topic}&status={status}"), cookie).await
    }
}

/// Every file under `dir`, concatenated: to check what reached the disk.
pub fn all_bytes_under(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.extend(bytes);
            }
        }
    }
    out
}

/// Percent-encodes a form value.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
