//! Two real server processes on one PostgreSQL database (`BACKROAD_DATABASE_URL`), as a
//! load-balanced deployment runs: whatever one node writes or ends, the other sees at once.
//! Progress, sessions, sign-out, password changes and the failed-sign-in limit are shared.
//! Needs `BACKROAD_TEST_DATABASE_URL` (run under `scripts/with-postgres`, as `make unit` does).
#![cfg(all(feature = "ssr", unix))]

mod support;

use std::path::Path;
use std::process::Child;
use support::pg::{drop_database, fresh_database};
use support::process::{free_port, http, set_status, start_on_database, stderr_of, wait_ready};

/// Not common, 8+ characters: accepted at sign-up.
const PASSWORD: &str = "correct-horse-battery-7";
const NEW_PASSWORD: &str = "staple-orbit-lantern-9";
const WRONG: &str = "wrong-horse-battery-8";

/// The two server processes; killed when dropped, also when an assertion fails (then their
/// stderr is printed to help find out why).
struct Nodes {
    children: Vec<(&'static str, Child)>,
}

impl Drop for Nodes {
    fn drop(&mut self) {
        for (name, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
            if std::thread::panicking() {
                eprintln!("---- stderr of node {name} ----\n{}", stderr_of(child));
            }
        }
    }
}

struct Node {
    name: &'static str,
    port: u16,
}

impl Node {
    fn start(name: &'static str, dir: &Path, url: &str, nodes: &mut Nodes) -> Node {
        let port = free_port();
        let child = start_on_database(port, &dir.join(name), url);
        nodes.children.push((name, child));
        wait_ready(port);
        Node { name, port }
    }

    /// A form POST; answers (status, head, body), panicking if there is no answer at all.
    fn post(&self, path: &str, form: &str, cookie: Option<&str>) -> (u16, String, String) {
        http(self.port, "POST", path, form, cookie).unwrap_or_else(|| panic!("node {}: no answer to {path}", self.name))
    }

    fn json(&self, path: &str, form: &str, cookie: Option<&str>) -> serde_json::Value {
        let (status, _, body) = self.post(path, form, cookie);
        assert_eq!(status, 200, "node {}: {path}: {body}", self.name);
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("node {}: {path} is not JSON ({e}): {body}", self.name))
    }

    /// Who `cookie` is signed in as here (`None` when anonymous).
    fn username(&self, cookie: &str) -> Option<String> {
        self.json("/api/get_account", "", Some(cookie))["username"].as_str().map(str::to_owned)
    }

    /// Signs up (`signup`) or in (`login`) and answers the session cookie.
    fn session(&self, endpoint: &str, user: &str, password: &str) -> String {
        let form = format!("username={user}&password={password}");
        let (status, head, body) = self.post(&format!("/api/{endpoint}"), &form, None);
        assert_eq!(status, 200, "node {}: {endpoint} as {user}: {body}", self.name);
        session_cookie(&head)
            .unwrap_or_else(|| panic!("node {}: {endpoint} set no backroad_id cookie: {head}", self.name))
    }

    fn log_in(&self, user: &str, password: &str) -> (u16, String, String) {
        self.post("/api/login", &format!("username={user}&password={password}"), None)
    }
}

/// The `backroad_id=...` of any `Set-Cookie` in an answer's head.
fn session_cookie(head: &str) -> Option<String> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, value)| value.trim().split(';').next())
        .find(|c| c.starts_with("backroad_id=") && c.len() > "backroad_id=".len())
        .map(str::to_owned)
}

fn header<'a>(head: &'a str, wanted: &str) -> Option<&'a str> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case(wanted))
        .map(|(_, value)| value.trim())
}

#[test]
fn two_servers_on_one_database_share_progress_sessions_and_limits() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let url = runtime.block_on(fresh_database());
    let dir = tempfile::tempdir().expect("temp dir");
    let mut nodes = Nodes { children: Vec::new() };
    let a = Node::start("a", dir.path(), &url, &mut nodes);
    let b = Node::start("b", dir.path(), &url, &mut nodes);

    // A status written through A is read through B at once.
    let visitor = set_status(a.port, None, "dns", "done");
    let statuses = b.json("/api/get_progress", "roadmap=backend", Some(&visitor))["statuses"].clone();
    assert_eq!(statuses["dns"], "done", "a status written on A reads back on B at once (dns: {})", statuses["dns"]);

    // A session started on A works on B.
    let ada = a.session("signup", "ada_nodes", PASSWORD);
    assert_eq!(b.username(&ada).as_deref(), Some("ada_nodes"), "a session made on A is signed in on B");

    // Signing out on B ends the session on A.
    let (status, _, body) = b.post("/api/logout", "", Some(&ada));
    assert_eq!(status, 200, "logout on B: {body}");
    assert_eq!(a.username(&ada), None, "a session ended on B no longer opens anything on A");

    // A password changed on B ends the other sessions on A.
    a.session("signup", "grace_nodes", PASSWORD);
    let first = a.session("login", "grace_nodes", PASSWORD);
    let old_second = b.session("login", "grace_nodes", PASSWORD);
    assert_eq!(a.username(&first).as_deref(), Some("grace_nodes"), "the first session works on A before");
    let form = format!("password={PASSWORD}&new_password={NEW_PASSWORD}");
    let (status, head, body) = b.post("/api/change_password", &form, Some(&old_second));
    assert_eq!(status, 200, "change_password on B: {body}");
    let second = session_cookie(&head).expect("the browser that changed it gets a new session");
    assert_eq!(a.username(&first), None, "after a password change on B the other session no longer works on A");
    assert_eq!(a.username(&old_second), None, "nor the old token of the browser that changed it");
    assert_eq!(a.username(&second).as_deref(), Some("grace_nodes"), "its new session works on A");

    // Share links, badges, export, import and reset work whichever node is asked.
    let link = a.json("/api/create_share_link", "roadmap=backend", Some(&second));
    let code = link["code"].as_str().expect("a code").to_owned();
    let badge = http(b.port, "GET", &format!("/s/{code}/badge.svg"), "", None).expect("an answer");
    assert_eq!(badge.0, 200, "a link made on A opens on B: {}", badge.2);
    let (status, _, body) = b.post("/api/revoke_share_link", &format!("code={code}"), Some(&second));
    assert_eq!(status, 200, "revoke on B: {body}");
    let gone = http(a.port, "GET", &format!("/s/{code}/badge.svg"), "", None).expect("an answer");
    assert_eq!(gone.0, 404, "a link revoked on B is gone on A");
    set_status(a.port, Some(&second), "http", "done");
    let export = b.json("/api/export_progress", "", Some(&second));
    assert_eq!(export["roadmaps"]["backend"].as_array().map(Vec::len), Some(1), "export on B: {export}");
    let reset = a.json("/api/reset_progress", "roadmap=backend", Some(&second));
    assert!(reset.as_str().is_some_and(|s| s.contains("1 status")), "reset on A: {reset}");
    let data: String = export.to_string().bytes().map(|b| format!("%{b:02X}")).collect();
    let imported = b.json("/api/import_progress", &format!("data={data}"), Some(&second));
    assert_eq!(imported["imported"], 1, "import on B: {imported}");
    let statuses = a.json("/api/get_progress", "roadmap=backend", Some(&second))["statuses"].clone();
    assert_eq!(statuses["http"], "done", "what B imported reads back on A: {statuses}");

    // Failed sign-ins for one username count across both nodes.
    a.session("signup", "lin_nodes", PASSWORD);
    for (i, node) in [&a, &b, &a, &b, &a].into_iter().enumerate() {
        let (status, _, body) = node.log_in("lin_nodes", WRONG);
        assert_eq!(status, 401, "wrong password {} of 5 on node {}: {body}", i + 1, node.name);
    }
    let (status, head, body) = b.log_in("lin_nodes", PASSWORD);
    assert_eq!(status, 429, "the 6th sign-in (on B, right password) after 5 failures on A and B is limited: {body}");
    let retry = header(&head, "retry-after").unwrap_or_else(|| panic!("a 429 carries Retry-After: {head}"));
    assert!(retry.parse::<u64>().is_ok_and(|s| s >= 1), "Retry-After is whole seconds: {retry}");

    drop(nodes);
    runtime.block_on(drop_database(&url));
}
