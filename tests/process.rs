//! The real binary as an operator runs it: start, write, second instance refused, SIGTERM
//! stops cleanly, restart keeps the data.
#![cfg(all(feature = "ssr", unix))]

mod support;

use std::process::Command;
use std::time::Duration;
use support::process::{free_port, http, start, stderr_of, wait_exit, wait_healthy};

#[test]
fn write_refuse_second_instance_stop_and_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let port = free_port();
    let mut server = start(port, &data);
    wait_healthy(port);

    let (status, head, body) =
        http(port, "POST", "/api/set_topic_status", "roadmap=backend&topic=ssh&status=done", None).expect("answer");
    assert_eq!(status, 200, "{body}");
    let cookie = support::process::identity_cookie(&head).expect("an identity cookie");

    // A second instance on the same data directory refuses to start, quickly and in words.
    let mut second = start(free_port(), &data);
    let exit = wait_exit(&mut second, Duration::from_secs(5));
    assert!(!exit.success());
    assert!(stderr_of(&mut second).contains("another backroad instance is already using the data directory"));
    // ...and the first keeps serving.
    assert_eq!(http(port, "GET", "/healthz", "", None).map(|a| a.0), Some(200));

    // SIGTERM: a clean stop with exit code 0.
    let pid = server.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let exit = wait_exit(&mut server, Duration::from_secs(10));
    assert!(exit.success(), "exit status {exit:?}: {}", stderr_of(&mut server));

    // An immediate restart on the same directory works and still has the status.
    let port = free_port();
    let mut again = start(port, &data);
    wait_healthy(port);
    let (status, _, body) = http(port, "POST", "/api/get_progress", "roadmap=backend", Some(&cookie)).expect("answer");
    assert_eq!(status, 200);
    let summary: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(summary["statuses"]["ssh"], "done");
    let _ = again.kill();
    let _ = again.wait();
}

#[test]
fn the_log_records_security_events_and_requests_without_secrets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    // The log goes to standard output.
    let mut server = Command::new(support::process::binary())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("BACKROAD_DATA_DIR", dir.path().join("data"))
        .env("BACKROAD_ACCESS_LOG", "1")
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start backroad");
    wait_healthy(port);
    let password = "river stone lantern";
    let (status, head, _) =
        http(port, "POST", "/api/signup", &format!("username=ada&password={password}"), None).expect("answer");
    assert_eq!(status, 200);
    let session = support::process::identity_cookie(&head).expect("a session");
    let (status, _, _) = http(port, "POST", "/api/login", "username=ada&password=not-her-password", None).expect("a");
    assert_eq!(status, 401);
    let _ = http(port, "GET", "/roadmaps/backend?q=privatesearchword", "", Some(&session));
    let pid = server.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    wait_exit(&mut server, Duration::from_secs(10));
    let mut log = String::new();
    std::io::Read::read_to_string(&mut server.stdout.take().expect("stdout"), &mut log).expect("the log");

    let line = |needles: &[&str]| log.lines().any(|l| needles.iter().all(|n| l.contains(n)));
    assert!(line(&["security event", "event=\"sign_up\"", "outcome=\"ok\"", "username=\"ada\""]), "{log}");
    assert!(line(&["security event", "event=\"sign_in\"", "outcome=\"denied\"", "client=\"127.0.0.1\""]), "{log}");
    assert!(line(&["request", "method=POST", "path=/api/login", "status=401"]), "{log}");
    assert!(line(&["request", "method=GET", "path=/roadmaps/backend", "status=200"]), "{log}");
    let token = session.split('=').nth(1).expect("a token");
    for secret in [password, "not-her-password", token, "privatesearchword"] {
        assert!(!log.contains(secret), "the log holds {secret:?}:\n{log}");
    }
}
