//! `backroad backup` and `backroad restore` as an operator runs them: a backup taken while
//! the server runs and writes, restored into an empty directory, serves every person's
//! progress and account as they were at the backup.
#![cfg(all(feature = "ssr", unix))]

mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::process::{binary, free_port, http, set_status as set, signal, start, wait_exit, wait_healthy};

const TOPICS: [&str; 5] = ["dns", "http", "ssh", "sql-basics", "rest"];
const STATUSES: [&str; 3] = ["done", "in_progress", "skipped"];

fn command(args: &[&str], data: &Path) -> Output {
    Command::new(binary()).args(args).env("BACKROAD_DATA_DIR", data).output().expect("run backroad")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn statuses(port: u16, cookie: &str) -> serde_json::Value {
    let (code, _, body) = http(port, "POST", "/api/get_progress", "roadmap=backend", Some(cookie)).expect("answer");
    assert_eq!(code, 200, "{body}");
    serde_json::from_str::<serde_json::Value>(&body).expect("json")["statuses"].clone()
}

#[test]
fn a_backup_of_a_running_server_restores_everyone_as_they_were() {
    let temp = tempfile::tempdir().expect("temp dir");
    let data = temp.path().join("data");
    let port = free_port();
    let mut server = start(port, &data);
    wait_healthy(port);

    // Twenty people with progress, and one account.
    let mut people = Vec::new();
    for i in 0..20 {
        let mut cookie = None;
        for (n, topic) in TOPICS.iter().enumerate() {
            cookie = Some(set(port, cookie.as_deref(), topic, STATUSES[(i + n) % 3]));
        }
        people.push(cookie.expect("cookie"));
    }
    let (code, _, body) =
        http(port, "POST", "/api/signup", "username=ada&password=lovelace-engine-1843", None).expect("answer");
    assert!(code == 200 || code == 302, "{code}: {body}");
    let before: Vec<_> = people.iter().map(|c| statuses(port, c)).collect();

    // Someone keeps writing while the backup is taken: it must neither block nor break it.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let writer = {
        let (stop, written) = (stop.clone(), written.clone());
        std::thread::spawn(move || {
            let mut cookie = None;
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                cookie = Some(set(port, cookie.as_deref(), TOPICS[n % 5], STATUSES[n % 3]));
                written.fetch_add(1, Ordering::Relaxed);
                n += 1;
            }
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    let file = temp.path().join("backup.snap");
    let made = command(&["backup", file.to_str().expect("utf-8 path")], &data);
    assert!(made.status.success(), "{}", text(&made));
    assert!(text(&made).contains("statuses: ") && text(&made).contains("accounts: 1,"), "{}", text(&made));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700, "only the server's user may enter the data directory");
        assert_eq!(mode(&file), 0o600, "only its user may read a backup (password hashes, share codes)");
    }
    let during = written.load(Ordering::Relaxed);
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("writer");
    assert!(written.load(Ordering::Relaxed) > during, "writes went on after the backup");

    // A change after the backup is not in it.
    set(port, Some(&people[0]), "dns", "skipped");
    signal(&server, "TERM");
    assert!(wait_exit(&mut server, Duration::from_secs(10)).success());

    // Restore refuses a directory that holds data, and leaves it alone.
    let refused = command(&["restore", file.to_str().expect("utf-8 path")], &data);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("already holds data"), "{}", text(&refused));

    // Restore into an empty directory and serve it.
    let copy = temp.path().join("restored");
    let restored = command(&["restore", file.to_str().expect("utf-8 path")], &copy);
    assert!(restored.status.success(), "{}", text(&restored));
    let port = free_port();
    let mut again = start(port, &copy);
    wait_healthy(port);
    let after: Vec<_> = people.iter().map(|c| statuses(port, c)).collect();
    assert_eq!(after, before, "every person's statuses as at the backup");
    let (code, _, body) =
        http(port, "POST", "/api/login", "username=ada&password=lovelace-engine-1843", None).expect("answer");
    assert!(code == 200 || code == 302, "the account signs in after a restore: {code} {body}");
    let _ = again.kill();
    let _ = again.wait();

    // With the server stopped, the command reads the store itself; that copy has the late change.
    let offline = temp.path().join("offline.snap");
    let made = command(&["backup", offline.to_str().expect("utf-8 path")], &data);
    assert!(made.status.success(), "{}", text(&made));
    let copy = temp.path().join("restored-offline");
    assert!(command(&["restore", offline.to_str().expect("utf-8 path")], &copy).status.success());
    let port = free_port();
    let mut third = start(port, &copy);
    wait_healthy(port);
    assert_eq!(statuses(port, &people[0])["dns"], "skipped");
    let _ = third.kill();
    let _ = third.wait();
}

#[test]
fn backing_up_a_directory_without_data_says_so() {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = command(&["backup", "/nonexistent-dir/x.snap"], &temp.path().join("nothing"));
    assert!(!out.status.success());
    assert!(text(&out).contains("there is no data in"), "{}", text(&out));
    assert!(!temp.path().join("nothing").join("db").exists());
}
