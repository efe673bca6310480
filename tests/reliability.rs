//! Crash safety of the real binary, in the manner of sled's and SQLite's crash tests: many
//! clients write, the server is killed (SIGKILL) or stopped (SIGTERM) at a random moment,
//! and after a restart every write that was acknowledged with a 200 must be there.
//!
//! `make test` runs a few cycles with the debug binary; `make reliability` runs many against
//! the release binary (`BACKROAD_BIN`, `CRASH_CYCLES`, `START_KILLS`).
#![cfg(all(feature = "ssr", unix))]

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::process::{free_port, http, identity_cookie, signal, start, stderr_of, wait_exit, wait_healthy};

const CLIENTS: u64 = 50;
const TOPICS: [&str; 12] = [
    "dns",
    "http",
    "https-tls",
    "git-basics",
    "how-the-internet-works",
    "ssh",
    "sql-basics",
    "rest",
    "json",
    "indexes",
    "postgresql",
    "unit-testing",
];
const STATUSES: [&str; 4] = ["done", "in_progress", "skipped", "none"];

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A small deterministic generator, so a failing run can be told apart by its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
}

/// One client (one browser): what the server acknowledged, and the write in flight when the
/// server went away (which may or may not have landed).
#[derive(Default, Clone)]
struct Client {
    cookie: Option<String>,
    acked: HashMap<String, String>,
    in_flight: Option<(String, String)>,
    writes_acked: u64,
}

/// Writes until the server stops answering or `stop` is set.
fn write_until_gone(port: u16, mut client: Client, seed: u64, stop: Arc<AtomicBool>) -> Client {
    let mut rng = Rng(seed | 1);
    while !stop.load(Ordering::Relaxed) {
        let (topic, status) = (rng.pick(&TOPICS), rng.pick(&STATUSES));
        client.in_flight = Some((topic.to_owned(), status.to_owned()));
        let form = format!("roadmap=backend&topic={topic}&status={status}");
        match http(port, "POST", "/api/set_topic_status", &form, client.cookie.as_deref()) {
            Some((200, head, _)) => {
                if client.cookie.is_none() {
                    client.cookie = identity_cookie(&head);
                }
                client.acked.insert(topic.to_owned(), status.to_owned());
                client.in_flight = None;
                client.writes_acked += 1;
            }
            Some((code, _, body)) => panic!("a valid write got {code}: {body}"),
            None => break,
        }
    }
    client
}

/// Compares what the server has with what it acknowledged; answers the number of lost
/// writes, and makes what is stored the expectation for the next cycle.
fn verify(port: u16, clients: &mut [Client]) -> u64 {
    let mut lost = 0;
    for c in clients.iter_mut() {
        let Some(cookie) = c.cookie.clone() else { continue };
        let (status, _, body) =
            http(port, "POST", "/api/get_progress", "roadmap=backend", Some(&cookie)).expect("answer");
        assert_eq!(status, 200, "{body}");
        let summary: serde_json::Value = serde_json::from_str(&body).expect("json");
        for (topic, expected) in c.acked.clone() {
            let stored = summary["statuses"][&topic].as_str().unwrap_or("?").to_owned();
            let landed_in_flight = c.in_flight.as_ref().is_some_and(|(t, s)| *t == topic && *s == stored);
            if stored != expected && !landed_in_flight {
                eprintln!("LOST: {topic} acknowledged as {expected}, stored {stored}");
                lost += 1;
            }
            c.acked.insert(topic, stored);
        }
        if let Some((topic, _)) = c.in_flight.take() {
            let stored = summary["statuses"][&topic].as_str().unwrap_or("none").to_owned();
            c.acked.insert(topic, stored);
        }
    }
    lost
}

/// Runs clients against a server on `data` and stops it with `how` after a random pause.
/// Answers the writes acknowledged in this cycle and the server's exit status.
fn cycle(data: &Path, clients: &mut Vec<Client>, seed: u64, how: &str) -> (u64, std::process::ExitStatus) {
    let port = free_port();
    let mut server = start(port, data);
    wait_healthy(port);
    let stop = Arc::new(AtomicBool::new(false));
    let before: u64 = clients.iter().map(|c| c.writes_acked).sum();
    let handles: Vec<_> = std::mem::take(clients)
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let stop = stop.clone();
            std::thread::spawn(move || write_until_gone(port, c, seed.wrapping_mul(1000) + i as u64, stop))
        })
        .collect();
    let mut rng = Rng(seed.wrapping_add(0x9e37_79b9));
    std::thread::sleep(Duration::from_millis(300 + rng.next() % 900));
    signal(&server, how);
    let exit = wait_exit(&mut server, Duration::from_secs(20));
    stop.store(true, Ordering::Relaxed);
    *clients = handles.into_iter().map(|h| h.join().expect("client thread")).collect();
    let after: u64 = clients.iter().map(|c| c.writes_acked).sum();
    if how == "TERM" && !exit.success() {
        panic!("SIGTERM gave exit status {exit:?}: {}", stderr_of(&mut server));
    }
    (after - before, exit)
}

fn restart_and_verify(data: &Path, clients: &mut [Client]) -> u64 {
    let port = free_port();
    let mut server = start(port, data);
    wait_healthy(port);
    let lost = verify(port, clients);
    signal(&server, "KILL");
    let _ = wait_exit(&mut server, Duration::from_secs(10));
    lost
}

#[test]
fn no_acknowledged_write_is_lost_to_sigkill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let cycles = setting("CRASH_CYCLES", 3);
    let mut clients = vec![Client::default(); CLIENTS as usize];
    let (mut acked, mut lost) = (0, 0);
    for n in 0..cycles {
        let (writes, _) = cycle(&data, &mut clients, 7 + n, "KILL");
        let cycle_lost = restart_and_verify(&data, &mut clients);
        eprintln!("kill -9 cycle {}: {writes} writes acknowledged, {cycle_lost} lost", n + 1);
        assert!(writes > 0, "the clients wrote nothing before the kill");
        acked += writes;
        lost += cycle_lost;
    }
    eprintln!("kill -9: {cycles} cycles, {acked} writes acknowledged, {lost} lost");
    assert_eq!(lost, 0);
}

#[test]
fn sigterm_under_load_stops_cleanly_and_keeps_every_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut clients = vec![Client::default(); CLIENTS as usize];
    let (writes, exit) = cycle(&data, &mut clients, 99, "TERM");
    assert!(exit.success());
    // An immediate restart works (no stale lock) and has everything.
    let lost = restart_and_verify(&data, &mut clients);
    eprintln!("SIGTERM under load: {writes} writes acknowledged, {lost} lost, exit {exit:?}");
    assert_eq!(lost, 0);
}

#[test]
fn a_kill_during_start_up_never_damages_the_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut clients = vec![Client::default(); 8];
    cycle(&data, &mut clients, 3, "KILL");
    assert_eq!(restart_and_verify(&data, &mut clients), 0);
    let kills = setting("START_KILLS", 10);
    let mut rng = Rng(42);
    for _ in 0..kills {
        let mut server = start(free_port(), &data);
        std::thread::sleep(Duration::from_millis(rng.next() % 101));
        let _ = server.kill();
        let _ = server.wait();
    }
    let lost = restart_and_verify(&data, &mut clients);
    eprintln!("{kills} kills 0-100 ms after launch: the data dir reopened, {lost} writes lost");
    assert_eq!(lost, 0);
}
