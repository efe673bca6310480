//! The real binary as an operator runs it: start, write, second instance refused, SIGTERM
//! stops cleanly, restart keeps the data.
#![cfg(all(feature = "ssr", unix))]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn start(port: u16, data: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_backroad"))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("BACKROAD_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start backroad")
}

/// One HTTP/1.1 request; returns (status, head, body).
fn http(port: u16, method: &str, path: &str, form: &str, cookie: Option<&str>) -> Option<(u16, String, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nAccept: application/json\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n{cookie}\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, head.to_owned(), body.to_owned()))
}

fn wait_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some((200, _, body)) = http(port, "GET", "/healthz", "", None) {
            assert_eq!(body, "ok");
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("the server did not become healthy on port {port}");
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut text);
    }
    text
}

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
    let cookie = head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .expect("an identity cookie")
        .to_owned();

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
