//! The real binary as a child process, and a tiny blocking HTTP/1.1 client for it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// The binary under test: `BACKROAD_BIN` (e.g. the release build) or the one cargo built.
pub fn binary() -> String {
    std::env::var("BACKROAD_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_backroad").to_owned())
}

pub fn start(port: u16, data: &Path) -> Child {
    start_with(port, data, &[])
}

/// As `start`, with more environment variables (settings) for the server.
pub fn start_with(port: u16, data: &Path, env: &[(&str, &str)]) -> Child {
    Command::new(binary())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("BACKROAD_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start backroad")
}

/// As `start`, with everything stored in the PostgreSQL database `database_url`
/// (`BACKROAD_DATABASE_URL`); the data directory is still passed.
pub fn start_on_database(port: u16, data: &Path, database_url: &str) -> Child {
    Command::new(binary())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("BACKROAD_DATA_DIR", data)
        .env("BACKROAD_DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start backroad")
}

/// Waits (up to 30 s) until `GET /healthz` answers 200, whatever the body says.
pub fn wait_ready(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some((200, _, _)) = http(port, "GET", "/healthz", "", None) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the server on port {port} did not answer GET /healthz with 200 within 30 s");
}

/// One HTTP/1.1 request from our own site; returns (status, head, body), or `None` when the
/// server is not there or the answer was cut off.
pub fn http(port: u16, method: &str, path: &str, form: &str, cookie: Option<&str>) -> Option<(u16, String, String)> {
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

/// The `name=value` of the identity cookie an answer's head sets.
pub fn identity_cookie(head: &str) -> Option<String> {
    head.lines()
        .find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .and_then(|c| c.split(';').next())
        .filter(|c| c.starts_with("backroad_id="))
        .map(str::to_owned)
}

/// Sets a status on the backend roadmap as `cookie` (or as a new visitor) and insists on a
/// 200; answers the cookie to use next.
pub fn set_status(port: u16, cookie: Option<&str>, topic: &str, status: &str) -> String {
    let form = format!("roadmap=backend&topic={topic}&status={status}");
    let (code, head, body) = http(port, "POST", "/api/set_topic_status", &form, cookie).expect("an answer");
    assert_eq!(code, 200, "{body}");
    cookie.map(str::to_owned).or_else(|| identity_cookie(&head)).expect("an identity cookie")
}

/// Resident memory of a process in KiB (Linux).
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

pub fn wait_healthy(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Some((200, _, body)) = http(port, "GET", "/healthz", "", None) {
            assert_eq!(body, "ok");
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the server did not become healthy on port {port}");
}

pub fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut text);
    }
    text
}

/// Sends a signal by name (`TERM`, `KILL`) to a child.
pub fn signal(child: &Child, name: &str) {
    let ok = Command::new("kill").args([&format!("-{name}"), &child.id().to_string()]).status().expect("kill");
    assert!(ok.success(), "kill -{name} failed");
}
