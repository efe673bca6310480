//! When PostgreSQL cannot be reached, every request that needs it gets a 503 with a sentence
//! and a request id within a few seconds (no hang, no 500, nothing acknowledged), `/healthz`
//! says unhealthy, and the server serves again once the database is back, without a restart.
//! The database is reached through a proxy the test cuts and restores.
#![cfg(feature = "ssr")]

mod support;

use http::StatusCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// A TCP proxy to `target`; while `cut`, it drops every connection it holds and refuses new ones.
struct Proxy {
    port: u16,
    cut: Arc<AtomicBool>,
}

async fn proxy(target: String) -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
    let port = listener.local_addr().expect("addr").port();
    let cut = Arc::new(AtomicBool::new(false));
    let flag = cut.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else { continue };
            if flag.load(Ordering::SeqCst) {
                continue; // dropped: the connection is closed at once
            }
            let (target, flag) = (target.clone(), flag.clone());
            tokio::spawn(async move {
                let Ok(mut server) = TcpStream::connect(&target).await else { return };
                let pipe = tokio::io::copy_bidirectional(&mut client, &mut server);
                let watch = async {
                    while !flag.load(Ordering::SeqCst) {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                };
                tokio::select! {
                    _ = pipe => {}
                    () = watch => {}
                }
            });
        }
    });
    Proxy { port, cut }
}

/// The database URL with its host and port replaced by the proxy's.
fn through(url: &str, port: u16) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let (auth, after) = rest.split_once('@').map_or(("", rest), |(a, r)| (a, r));
    let path = after.split_once('/').map_or("", |(_, p)| p);
    let auth = if auth.is_empty() { String::new() } else { format!("{auth}@") };
    format!("{scheme}://{auth}127.0.0.1:{port}/{path}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_gives_503_quickly_and_the_server_recovers() {
    let url = support::pg::fresh_database().await;
    let target = {
        let rest = url.split_once('@').map_or(url.as_str(), |(_, r)| r);
        rest.split('/').next().expect("host:port").to_owned()
    };
    let proxy = proxy(target).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = support::settings(&dir.path().join("data"));
    settings.database_url = Some(through(&url, proxy.port));
    let (state, _backend) = backroad::server::web::startup::build_state(&settings).await.expect("start on postgres");
    let router = backroad::server::web::startup::router(state.clone(), settings.max_body_bytes);
    let app = support::TestApp { router, state, data_dir: dir.path().to_owned() };

    let cookie = app.set_status("dns", "done", None).await.identity_cookie().expect("cookie");
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);

    proxy.cut.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(100)).await;
    for (what, answer) in [
        ("a status write", app.set_status("dns", "skipped", Some(&cookie)).await),
        ("a progress read", app.post_form("/api/get_progress", "roadmap=backend", Some(&cookie)).await),
        ("a sign-up", app.account("signup", "ada", "river+stone+lantern", None).await),
    ] {
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{what}: {}", answer.body);
        let error = answer.error();
        assert!(error.contains("report request id "), "{what}: {error}");
        assert!(!answer.body.contains("postgres") && !answer.body.contains("127.0.0.1"), "{what}: {}", answer.body);
    }
    let started = Instant::now();
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(health.body.contains("unhealthy"), "{}", health.body);
    assert!(started.elapsed() < Duration::from_secs(8), "healthz took {:?}", started.elapsed());

    proxy.cut.store(false, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.get("/healthz", None).await.status != StatusCode::OK {
        assert!(Instant::now() < deadline, "the server did not serve again after the database came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.statuses(Some(&cookie)).await["dns"], "done", "the refused change was not written");
    assert_eq!(app.set_status("dns", "skipped", Some(&cookie)).await.status, StatusCode::OK);
    assert_eq!(app.statuses(Some(&cookie)).await["dns"], "skipped");
}
