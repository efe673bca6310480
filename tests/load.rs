//! The load run (`make reliability`): 64 connections of people reading pages and writing
//! statuses for 60 s against the release binary, with wrk. Passes only with zero errors
//! and zero non-2xx answers, and with no memory growth from the first half of the run to
//! the second. Ignored in `make test`: it needs wrk and a minute.
#![cfg(all(feature = "ssr", target_os = "linux"))]

mod support;

use std::process::Command;
use std::time::Duration;
use support::process::{free_port, http, set_status, start, wait_healthy};
use support::wrk::{figure, Memory};

const PEOPLE: usize = 64;

fn seconds() -> u64 {
    std::env::var("LOAD_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(60)
}

#[test]
#[ignore = "needs wrk and a minute; run by make reliability"]
fn sixty_seconds_of_mixed_load_without_errors_or_memory_growth() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let mut server = start(port, &dir.path().join("data"));
    wait_healthy(port);
    let cookies: Vec<String> = (0..PEOPLE).map(|_| set_status(port, None, "dns", "done")).collect();

    let memory = Memory::sample(server.id());
    let secs = seconds();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/load/mixed.lua");
    let out = Command::new("wrk")
        .args(["-t2", "-c64", &format!("-d{secs}s"), "--timeout", "10s", "--latency", "-s", script])
        .arg(format!("http://127.0.0.1:{port}"))
        .env("BACKROAD_COOKIES", cookies.join(" "))
        .env("BACKROAD_ORIGIN", format!("http://127.0.0.1:{port}"))
        .output()
        .expect("wrk (apt-get install wrk; make reliability installs it)");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{report}");
    assert!(out.status.success(), "wrk failed: {}", String::from_utf8_lossy(&out.stderr));

    let total = report
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .expect("a request count");
    let per_second = figure(&report, "Requests/sec:").expect("requests/s");
    let non_2xx = figure(&report, "Non-2xx or 3xx responses:").unwrap_or(0.0);
    let socket_errors = report.lines().find(|l| l.contains("Socket errors")).map(str::to_owned);

    let (first, second) = memory.peaks(Duration::from_secs(secs / 2));
    println!(
        "load run: {total} requests in {secs} s ({per_second:.0}/s), non-2xx {non_2xx}, socket errors {}; \
         peak RSS first half {} MiB, second half {} MiB",
        socket_errors.as_deref().unwrap_or("none"),
        first / 1024,
        second / 1024
    );

    assert!(total > 0, "no requests were made");
    assert_eq!(non_2xx, 0.0, "every valid request must get a 2xx");
    assert!(socket_errors.is_none(), "{socket_errors:?}");
    // Memory may settle (caches fill), but must not keep growing: the second half's peak
    // stays within 10% (and 8 MiB of slack) of the first half's.
    assert!(second <= first + first / 10 + 8 * 1024, "memory grew: {first} KiB -> {second} KiB");
    assert_eq!(http(port, "GET", "/healthz", "", None).map(|a| a.0), Some(200), "the server still serves");
    let _ = server.kill();
    let _ = server.wait();
}
