//! Crash safety on PostgreSQL with the real binary: 50 clients write through two app nodes
//! on one database; nodes are killed with SIGKILL, and PostgreSQL itself is crashed with
//! `pg_ctl -m immediate` and started again under load. Every write answered 200 must be in
//! the database afterwards; while the database is down, writes are answered 503 (never 200,
//! never 500) and the nodes serve again once it is back, without a restart.
//!
//! Runs under `scripts/with-postgres` (`make unit`, `make reliability`): it needs
//! `BACKROAD_TEST_DATABASE_URL`, `BACKROAD_TEST_PG_DATA` and `BACKROAD_TEST_PG_CTL`.
#![cfg(all(feature = "ssr", unix))]

mod support;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::process::{binary, free_port, http, identity_cookie, signal, wait_exit, wait_ready};

const CLIENTS: usize = 50;
const TOPICS: [&str; 8] = ["dns", "http", "https-tls", "git-basics", "ssh", "sql-basics", "rest", "json"];
const STATUSES: [&str; 4] = ["done", "in_progress", "skipped", "none"];

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A node on the database; its log goes to a file (a pipe nobody reads would fill and stall it).
fn node(port: u16, dir: &Path, url: &str) -> Child {
    let log = std::fs::File::create(dir.join(format!("node-{port}.log"))).expect("log file");
    Command::new(binary())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("BACKROAD_DATA_DIR", dir.join("unused"))
        .env("BACKROAD_DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start backroad")
}

/// One browser: what was acknowledged, and writes whose answer never came or was a 503
/// after the request reached the node (they may or may not have been committed).
#[derive(Default, Clone)]
struct Client {
    cookie: Option<String>,
    acked: HashMap<String, String>,
    uncertain: HashMap<String, HashSet<String>>,
}

#[derive(Default)]
struct Counts {
    acked: AtomicU64,
    unavailable: AtomicU64,
}

/// Writes through `ports` in turn until `stop`; every answer is 200, 503 or no answer.
fn write_until(ports: &[u16], mut c: Client, seed: u64, stop: &AtomicBool, counts: &Counts) -> Client {
    let mut n = seed;
    while !stop.load(Ordering::Relaxed) {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let (topic, status) = (TOPICS[(n >> 33) as usize % TOPICS.len()], STATUSES[(n >> 40) as usize % 4]);
        let port = ports[(n >> 50) as usize % ports.len()];
        let form = format!("roadmap=backend&topic={topic}&status={status}");
        match http(port, "POST", "/api/set_topic_status", &form, c.cookie.as_deref()) {
            Some((200, head, _)) => {
                if c.cookie.is_none() {
                    c.cookie = identity_cookie(&head);
                }
                c.acked.insert(topic.to_owned(), status.to_owned());
                c.uncertain.remove(topic);
                counts.acked.fetch_add(1, Ordering::Relaxed);
            }
            Some((503, _, body)) => {
                assert!(body.contains("request id"), "a 503 without a request id: {body}");
                c.uncertain.entry(topic.to_owned()).or_default().insert(status.to_owned());
                counts.unavailable.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(20));
            }
            Some((code, _, body)) => panic!("a valid write got {code}: {body}"),
            None => {
                c.uncertain.entry(topic.to_owned()).or_default().insert(status.to_owned());
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    c
}

/// Counts acknowledged writes the database does not have, reading through `port`.
fn lost(port: u16, clients: &mut [Client]) -> u64 {
    let mut lost = 0;
    for c in clients.iter_mut() {
        let Some(cookie) = c.cookie.clone() else { continue };
        let (status, _, body) =
            http(port, "POST", "/api/get_progress", "roadmap=backend", Some(&cookie)).expect("answer");
        assert_eq!(status, 200, "{body}");
        let summary: serde_json::Value = serde_json::from_str(&body).expect("json");
        for topic in TOPICS {
            let stored = summary["statuses"][topic].as_str().unwrap_or("?").to_owned();
            let expected = c.acked.get(topic).cloned().unwrap_or_else(|| "none".to_owned());
            let maybe = c.uncertain.get(topic).is_some_and(|s| s.contains(&stored));
            if stored != expected && !maybe && c.acked.contains_key(topic) {
                eprintln!("LOST: {topic} acknowledged as {expected}, stored {stored}");
                lost += 1;
            }
            c.acked.insert(topic.to_owned(), stored);
            c.uncertain.remove(topic);
        }
    }
    lost
}

/// Runs the clients against `ports` while `disrupt` runs; answers the writes acknowledged.
fn under_load(ports: &[u16], clients: &mut Vec<Client>, seed: u64, disrupt: impl FnOnce()) -> (u64, u64) {
    let stop = Arc::new(AtomicBool::new(false));
    let counts = Arc::new(Counts::default());
    let handles: Vec<_> = std::mem::take(clients)
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let (stop, counts, ports) = (stop.clone(), counts.clone(), ports.to_vec());
            std::thread::spawn(move || write_until(&ports, c, seed * 1000 + i as u64 + 1, &stop, &counts))
        })
        .collect();
    disrupt();
    stop.store(true, Ordering::Relaxed);
    *clients = handles.into_iter().map(|h| h.join().expect("client thread")).collect();
    (counts.acked.load(Ordering::Relaxed), counts.unavailable.load(Ordering::Relaxed))
}

fn pg_ctl(args: &[&str]) {
    let ctl = std::env::var("BACKROAD_TEST_PG_CTL").expect("run under scripts/with-postgres (BACKROAD_TEST_PG_CTL)");
    let data = std::env::var("BACKROAD_TEST_PG_DATA").expect("run under scripts/with-postgres (BACKROAD_TEST_PG_DATA)");
    let ok = Command::new(ctl).arg("-D").arg(data).args(args).stdout(Stdio::null()).status().expect("pg_ctl");
    assert!(ok.success(), "pg_ctl {args:?} failed");
}

fn database() -> String {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(support::pg::fresh_database())
}

#[test]
fn no_acknowledged_write_is_lost_when_nodes_are_killed() {
    let url = database();
    let dir = tempfile::tempdir().expect("temp dir");
    let cycles = setting("CRASH_CYCLES", 3);
    let mut clients = vec![Client::default(); CLIENTS];
    let (mut acked, mut lost_total) = (0, 0);
    for n in 0..cycles {
        let ports = [free_port(), free_port()];
        let mut nodes: Vec<Child> = ports.iter().map(|p| node(*p, dir.path(), &url)).collect();
        ports.iter().for_each(|p| wait_ready(*p));
        let (writes, _) = under_load(&ports, &mut clients, n + 1, || {
            std::thread::sleep(Duration::from_millis(400 + (n * 337) % 700));
            for node in &nodes {
                signal(node, "KILL");
            }
        });
        for node in &mut nodes {
            wait_exit(node, Duration::from_secs(10));
        }
        let check = free_port();
        let mut reader = node(check, dir.path(), &url);
        wait_ready(check);
        let cycle_lost = lost(check, &mut clients);
        signal(&reader, "KILL");
        wait_exit(&mut reader, Duration::from_secs(10));
        eprintln!("kill -9 of both nodes, cycle {}: {writes} writes acknowledged, {cycle_lost} lost", n + 1);
        assert!(writes > 0, "the clients wrote nothing before the kill");
        acked += writes;
        lost_total += cycle_lost;
    }
    eprintln!("kill -9 on PostgreSQL: {cycles} cycles, {acked} writes acknowledged, {lost_total} lost");
    assert_eq!(lost_total, 0);
}

#[test]
fn no_acknowledged_write_is_lost_when_postgres_crashes_and_the_nodes_recover() {
    let url = database();
    let dir = tempfile::tempdir().expect("temp dir");
    let ports = [free_port(), free_port()];
    let mut nodes: Vec<Child> = ports.iter().map(|p| node(*p, dir.path(), &url)).collect();
    ports.iter().for_each(|p| wait_ready(*p));
    let mut clients = vec![Client::default(); CLIENTS];
    let restarts = setting("PG_RESTARTS", 2);
    let mut down_for = Duration::ZERO;
    let (writes, unavailable) = under_load(&ports, &mut clients, 77, || {
        for _ in 0..restarts {
            std::thread::sleep(Duration::from_millis(700));
            pg_ctl(&["-m", "immediate", "stop"]);
            let stopped = Instant::now();
            // While it is down, a node answers quickly and says so.
            let (status, _, body) = http(ports[0], "GET", "/healthz", "", None).expect("healthz answers");
            assert_eq!(status, 503, "healthz while the database is down: {body}");
            std::thread::sleep(Duration::from_millis(1500));
            pg_ctl(&["-w", "restart"]);
            down_for += stopped.elapsed();
            // The nodes serve again without a restart.
            for port in ports {
                wait_ready(port);
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let lost = lost(ports[1], &mut clients);
    for node in &mut nodes {
        signal(node, "KILL");
        wait_exit(node, Duration::from_secs(10));
    }
    eprintln!(
        "pg_ctl -m immediate under load: {restarts} crashes ({down_for:?} down in all), {writes} writes acknowledged, \
         {unavailable} answered 503, {lost} lost"
    );
    assert!(writes > 0 && unavailable > 0, "the test must see both acknowledged writes and 503s");
    assert_eq!(lost, 0);
}
