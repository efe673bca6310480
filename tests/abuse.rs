//! The abuse run (`make reliability`): for 60 s, real users (64 connections reading pages
//! and writing statuses with their cookies, as in the load run) share the release server
//! with abuse from the same machine: 300 connections sending their request heads a byte a
//! second, and 32 connections of junk page spellings, unknown topics, long and over-long
//! queries and cookieless write floods. Passes when every real request got a 2xx within
//! wrk's timeout, and memory stays bounded; prints the users' latency percentiles.
#![cfg(all(feature = "ssr", target_os = "linux"))]

mod support;

use std::io::Write;
use std::net::TcpStream;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::process::{free_port, http, set_status, start, wait_healthy};
use support::wrk::{figure, Memory};

const PEOPLE: usize = 64;
const SLOW_CLIENTS: usize = 300;

fn seconds() -> u64 {
    std::env::var("ABUSE_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(60)
}

fn wrk(port: u16, connections: u32, secs: u64, script: &str, env: &[(&str, String)]) -> Output {
    Command::new("wrk")
        .args(["-t1", &format!("-c{connections}"), &format!("-d{secs}s"), "--timeout", "10s", "--latency", "-s"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/load/").to_owned() + script)
        .arg(format!("http://127.0.0.1:{port}"))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .expect("wrk (apt-get install wrk; make reliability installs it)")
}

/// Keeps `count` connections open, each sending a request head one byte a second and
/// opening a new one when the server cuts it; answers how many the server cut.
fn slow_clients(port: u16, count: usize, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let cut = Arc::new(AtomicU64::new(0));
        let workers: Vec<_> = (0..count.div_ceil(30))
            .map(|_| {
                let (stop, cut) = (stop.clone(), cut.clone());
                std::thread::spawn(move || {
                    let head = b"GET /roadmaps/backend HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
                    let mut open: Vec<(TcpStream, usize)> = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        while open.len() < 30 {
                            match TcpStream::connect(("127.0.0.1", port)) {
                                Ok(s) => open.push((s, 0)),
                                Err(_) => break,
                            }
                        }
                        open.retain_mut(|(s, sent)| {
                            let byte = head.get(*sent).copied().unwrap_or(b'x');
                            *sent += 1;
                            let alive = s.write_all(&[byte]).is_ok();
                            if !alive {
                                cut.fetch_add(1, Ordering::Relaxed);
                            }
                            alive
                        });
                        std::thread::sleep(Duration::from_secs(1));
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
        cut.load(Ordering::Relaxed)
    })
}

#[test]
#[ignore = "needs wrk and a minute; run by make reliability"]
fn real_users_are_served_beside_slow_clients_junk_addresses_and_write_floods() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let mut server = start(port, &dir.path().join("data"));
    wait_healthy(port);
    let cookies: Vec<String> = (0..PEOPLE).map(|_| set_status(port, None, "dns", "done")).collect();
    let origin = format!("http://127.0.0.1:{port}");
    let secs = seconds();

    let stop = Arc::new(AtomicBool::new(false));
    let memory = Memory::sample(server.id());
    let slow = slow_clients(port, SLOW_CLIENTS, stop.clone());
    let abuse = {
        let origin = origin.clone();
        std::thread::spawn(move || wrk(port, 32, secs, "abuse.lua", &[("BACKROAD_ORIGIN", origin)]))
    };
    let users = wrk(
        port,
        PEOPLE as u32,
        secs,
        "mixed.lua",
        &[("BACKROAD_COOKIES", cookies.join(" ")), ("BACKROAD_ORIGIN", origin.clone())],
    );
    let abuse = abuse.join().expect("abuse");
    stop.store(true, Ordering::Relaxed);
    let cut = slow.join().expect("slow clients");
    let (first, second) = memory.peaks(Duration::from_secs(secs / 2));

    let report = String::from_utf8_lossy(&users.stdout).into_owned();
    let abuse_report = String::from_utf8_lossy(&abuse.stdout).into_owned();
    println!("real users:\n{report}\nabuse:\n{abuse_report}");
    assert!(users.status.success(), "wrk failed: {}", String::from_utf8_lossy(&users.stderr));
    let per_second = figure(&report, "Requests/sec:").expect("requests/s");
    let (p50, p99) = (figure(&report, "50%").expect("p50"), figure(&report, "99%").expect("p99"));
    let non_2xx = figure(&report, "Non-2xx or 3xx responses:").unwrap_or(0.0);
    let socket_errors = report.lines().find(|l| l.contains("Socket errors")).map(str::to_owned);
    let abuse_per_second = figure(&abuse_report, "Requests/sec:").unwrap_or(0.0);
    println!(
        "abuse run: real users {per_second:.0} requests/s, p50 {p50:.1} ms, p99 {p99:.1} ms, non-2xx {non_2xx}, \
         socket errors {}; abuse {abuse_per_second:.0} requests/s; {cut} slow connections cut by the server; \
         peak RSS first half {} MiB, second half {} MiB",
        socket_errors.as_deref().unwrap_or("none"),
        first / 1024,
        second / 1024
    );

    assert_eq!(non_2xx, 0.0, "every real user's request must get a 2xx");
    assert!(socket_errors.is_none(), "real users saw {socket_errors:?}");
    assert!(cut >= SLOW_CLIENTS as u64 / 2 || secs < 20, "the server cuts slow heads ({cut} cut)");
    assert!(second <= first + first / 10 + 16 * 1024, "memory grew: {first} KiB -> {second} KiB");
    assert!(second < 512 * 1024, "memory stays bounded: {second} KiB");
    assert_eq!(http(port, "GET", "/healthz", "", None).map(|a| a.0), Some(200), "the server still serves");
    let _ = server.kill();
    let _ = server.wait();
}
