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
