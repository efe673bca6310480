//! `make bench`, PostgreSQL part (run under `scripts/with-postgres`, which `make bench` does):
//! 1. pgbench's rate for a single-row upsert on a table shaped like ours, 64 clients, on the
//!    same cluster, then durable `set_topic_status` through backroad, 64 connections: ratio.
//! 2. One node against two nodes on one database: writes/s and page requests/s (on 2 cores
//!    this shows what a second node costs, not what it gains).
//! 3. Scale: `BENCH_LEARNERS` (1,000,000) learners with 20 statuses each written straight into
//!    the database (and into sled), then the page and write p99 again, one node's memory, the
//!    sizes on disk, and the time to back up and restore.

use super::{checked, person_with, row, rss_mib, wrk, Load, Row};
use backroad::roadmap::{RoadmapId, Status, TopicId};
use backroad::server::identity::IdentityKey;
use backroad::server::store::{BackupRow, SledStore, Store};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A fresh database on the private cluster; answers its URL.
fn fresh_database(admin: &str) -> String {
    let name = format!("bench_{}", std::process::id() ^ Instant::now().elapsed().subsec_nanos());
    psql(admin, &format!("CREATE DATABASE {name}"));
    let (base, _) = admin.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{name}")
}

fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql").args([url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql]).output();
    let out = out.expect("psql");
    assert!(out.status.success(), "psql failed on {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn pg_bin(name: &str) -> PathBuf {
    let found = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|dirs| dirs.flatten().map(|d| d.path().join("bin").join(name)).filter(|p| p.exists()).max());
    found.unwrap_or_else(|| PathBuf::from(name))
}

/// A release node on `url` with the default pool of 32 connections (`BENCH_PG_POOL` changes
/// it; on 2 cores 64 connections did worse: 0.46× against 0.50–0.57× for 8, 16 and 32).
fn node(root: &Path, site: &Path, url: &str, port: u16, log: &Path) -> Child {
    let child = Command::new(super::process::binary())
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site)
        .env("BACKROAD_DATA_DIR", log.with_extension("unused"))
        .env("BACKROAD_DATABASE_URL", url)
        .env("BACKROAD_DATABASE_POOL_SIZE", std::env::var("BENCH_PG_POOL").unwrap_or_else(|_| "32".to_owned()))
        .env("RUST_LOG", "warn")
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::from(std::fs::File::create(log).expect("log")))
        .spawn()
        .expect("start the release server");
    super::process::wait_healthy(port);
    child
}

/// pgbench, 64 clients, a single-row upsert on a table keyed like `progress`: commits/s.
fn pgbench(url: &str, dir: &Path) -> f64 {
    psql(
        url,
        "CREATE TABLE bench_progress (identity bytea, roadmap text, topic text, status smallint, \
         changed_at bigint, PRIMARY KEY (identity, roadmap, topic))",
    );
    let script = dir.join("upsert.sql");
    std::fs::write(
        &script,
        "\\set id random(1, 64)\n\\set s random(1, 3)\n\
         INSERT INTO bench_progress VALUES (sha256(int8send(:id)), 'backend', 'dns', :s, \
         (extract(epoch from clock_timestamp()) * 1000)::bigint) ON CONFLICT (identity, roadmap, topic) \
         DO UPDATE SET status = excluded.status, changed_at = excluded.changed_at;\n",
    )
    .expect("script");
    let secs = std::env::var("BENCH_SECONDS").unwrap_or_else(|_| "10".to_owned());
    let out = Command::new(pg_bin("pgbench"))
        .args(["-n", "-c", "64", "-j", "2", "-T", &secs, "-f"])
        .arg(&script)
        .arg(url)
        .output()
        .expect("pgbench");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let tps = text.lines().find_map(|l| l.strip_prefix("tps = ")).and_then(|r| r.split_whitespace().next());
    tps.and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("pgbench said: {text}{}", String::from_utf8_lossy(&out.stderr)))
}

fn writes(root: &Path, base: &str, cookies: &[String]) -> Load {
    let script = root.join("benches/writes.lua");
    wrk(
        base,
        &[],
        Some(script.to_str().expect("utf-8 path")),
        &[("BACKROAD_COOKIES", cookies.join(" ")), ("BACKROAD_ORIGIN", base.to_owned())],
    )
}

/// Two seconds of writes first: the pool opens its 64 connections and prepares its
/// statements, which the measured run should not pay for.
fn warm_up(root: &Path, base: &str, cookies: &[String]) {
    let script = root.join("benches/writes.lua");
    let _ = Command::new("wrk")
        .args(["-t2", "-c64", "-d2s", "-s"])
        .arg(script)
        .arg(base)
        .env("BACKROAD_COOKIES", cookies.join(" "))
        .env("BACKROAD_ORIGIN", base)
        .output();
}

fn page(base: &str, cookie: &str) -> Load {
    wrk(
        &format!("{base}/roadmaps/backend"),
        &[format!("Cookie: {cookie}"), "Accept-Encoding: br".to_owned()],
        None,
        &[],
    )
}

/// The same load on two nodes at once; answers the summed rate and the worse p99.
fn on_both(a: impl FnOnce() -> Load + Send, b: impl FnOnce() -> Load + Send) -> (f64, f64, u64) {
    std::thread::scope(|s| {
        let (a, b) = (s.spawn(a), s.spawn(b));
        let (a, b) = (a.join().expect("load"), b.join().expect("load"));
        (a.per_second + b.per_second, a.p99_ms.max(b.p99_ms), a.failures + b.failures)
    })
}

pub fn run(root: &Path, site: &Path, temp: &Path, topics: &[String], rows: &mut Vec<Row>) {
    let Ok(admin) = std::env::var("BACKROAD_TEST_DATABASE_URL") else {
        eprintln!("no PostgreSQL (BACKROAD_TEST_DATABASE_URL): run `make bench`, which starts a private cluster");
        return;
    };
    let url = fresh_database(&admin);
    let reference = pgbench(&url, temp);
    rows.push(row("pgbench single-row upserts/s (64 clients)", reference, "/s"));

    let (pa, pb) = (super::free_port(), super::free_port());
    let mut a = node(root, site, &url, pa, &temp.join("node-a.log"));
    let (base_a, base_b) = (format!("http://127.0.0.1:{pa}"), format!("http://127.0.0.1:{pb}"));
    let writers: Vec<String> = (0..64).map(|_| person_with(pa, topics, 1)).collect();
    warm_up(root, &base_a, &writers);
    let one = writes(root, &base_a, &writers);
    assert_eq!(one.failures, 0, "{} writes failed", one.failures);
    let ratio = one.per_second / reference;
    rows.push(row("postgres: durable writes/s through backroad (64 conns)", one.per_second, "/s"));
    rows.push(checked("postgres: writes ÷ pgbench upserts", ratio, "×", "≥ 0.5×", ratio >= 0.5));
    rows.push(row("postgres: write p50", one.p50_ms, "ms"));
    rows.push(row("postgres: write p99", one.p99_ms, "ms"));
    let hundred = person_with(pa, topics, 100);
    let one_page = page(&base_a, &hundred);
    rows.push(row("postgres: roadmap page, 100 statuses, req/s", one_page.per_second, "req/s"));
    rows.push(row("postgres: roadmap page, 100 statuses, p99", one_page.p99_ms, "ms"));

    let mut b = node(root, site, &url, pb, &temp.join("node-b.log"));
    warm_up(root, &base_b, &writers);
    let (w2, w2_p99, w2_failed) = on_both(|| writes(root, &base_a, &writers), || writes(root, &base_b, &writers));
    assert_eq!(w2_failed, 0, "{w2_failed} writes failed on two nodes");
    let (p2, p2_p99, _) = on_both(|| page(&base_a, &hundred), || page(&base_b, &hundred));
    rows.push(row("two nodes: durable writes/s (2 × 64 conns)", w2, "/s"));
    rows.push(row("two nodes: write p99", w2_p99, "ms"));
    rows.push(row("two nodes ÷ one node: writes", w2 / one.per_second, "×"));
    rows.push(row("two nodes: roadmap page req/s", p2, "req/s"));
    rows.push(row("two nodes: roadmap page p99", p2_p99, "ms"));
    rows.push(row("two nodes ÷ one node: pages", p2 / one_page.per_second, "×"));
    let _ = b.kill();
    let _ = b.wait();

    scale(root, site, temp, &url, &admin, topics, (&mut a, pa), (&one, &one_page), rows);
    let _ = a.kill();
    let _ = a.wait();
}

/// `learners` × 20 statuses straight into PostgreSQL, then the same loads again.
#[allow(clippy::too_many_arguments, reason = "one bench step with the run's context")]
fn scale(
    root: &Path,
    site: &Path,
    temp: &Path,
    url: &str,
    admin: &str,
    topics: &[String],
    (node_a, port): (&mut Child, u16),
    (empty_writes, empty_page): (&Load, &Load),
    rows: &mut Vec<Row>,
) {
    let learners = setting("BENCH_LEARNERS", 1_000_000);
    let twenty: Vec<String> = topics.iter().take(20).map(|t| format!("'{t}'")).collect();
    let started = Instant::now();
    psql(url, &format!("INSERT INTO identities SELECT sha256(int8send(g)), 0 FROM generate_series(1, {learners}) g"));
    psql(
        url,
        &format!(
            "INSERT INTO progress SELECT sha256(int8send(g)), 'backend', t.topic, \
             (ARRAY[{},{},{}])[1 + (g + t.n) % 3], g FROM generate_series(1, {learners}) g \
             CROSS JOIN unnest(ARRAY[{}]) WITH ORDINALITY AS t(topic, n)",
            Status::Done.code(),
            Status::InProgress.code(),
            Status::Skipped.code(),
            twenty.join(",")
        ),
    );
    psql(url, "VACUUM ANALYZE");
    eprintln!("{learners} learners × 20 statuses generated in {:.0} s", started.elapsed().as_secs_f64());
    let rows_now: f64 = psql(url, "SELECT count(*) FROM progress").parse().unwrap_or(f64::NAN);
    rows.push(row(&format!("scale: statuses in the database ({learners} learners)"), rows_now, "rows"));
    let size: f64 = psql(url, "SELECT pg_database_size(current_database())").parse().unwrap_or(f64::NAN);
    rows.push(row("scale: PostgreSQL database size", size / 1e6, "MB"));

    let base = format!("http://127.0.0.1:{port}");
    let writers: Vec<String> = (0..64).map(|_| person_with(port, topics, 1)).collect();
    let hundred = person_with(port, topics, 100);
    let w = writes(root, &base, &writers);
    let p = page(&base, &hundred);
    rows.push(row("scale: write p99 (empty store: see above)", w.p99_ms, "ms"));
    rows.push(row("scale: write p99 ÷ empty-store write p99", w.p99_ms / empty_writes.p99_ms, "×"));
    rows.push(row("scale: roadmap page p99", p.p99_ms, "ms"));
    rows.push(row("scale: roadmap page p99 ÷ empty-store p99", p.p99_ms / empty_page.p99_ms, "×"));
    let rss = rss_mib(node_a.id());
    rows.push(checked("scale: resident memory of one node", rss, "MiB", "< 200 MiB", rss < 200.0));

    // Backup, and restore into an empty database, with the binary's own commands.
    let file = temp.join("scale.snap");
    let timed = |args: &[&str], db: &str| {
        let started = Instant::now();
        let out = Command::new(super::process::binary())
            .args(args)
            .env("BACKROAD_DATABASE_URL", db)
            .current_dir(root)
            .output()
            .expect("backroad");
        assert!(out.status.success(), "backroad {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        started.elapsed().as_secs_f64()
    };
    let backup_s = timed(&["backup", file.to_str().expect("path")], url);
    let bytes = std::fs::metadata(&file).map_or(0, |m| m.len());
    rows.push(row("scale: backroad backup (PostgreSQL)", backup_s, "s"));
    rows.push(row("scale: backup file size", bytes as f64 / 1e6, "MB"));
    let target = fresh_database(admin);
    let restore_s = timed(&["restore", file.to_str().expect("path")], &target);
    rows.push(row("scale: backroad restore into an empty PostgreSQL", restore_s, "s"));
    let _ = site;

    sled_size(temp, learners, topics, rows);
    let _ = std::fs::remove_file(&file);
}

/// The same learners written straight into a sled store: its size on disk.
fn sled_size(temp: &Path, learners: u64, topics: &[String], rows: &mut Vec<Row>) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let store = SledStore::open(&temp.join("sled-scale")).expect("sled");
    let roadmap = RoadmapId::parse("backend").expect("id");
    let ids: Vec<TopicId> = topics.iter().take(20).map(|t| TopicId::parse(t).expect("id")).collect();
    let statuses = [Status::Done, Status::InProgress, Status::Skipped];
    let started = Instant::now();
    rt.block_on(async {
        let mut batch = Vec::with_capacity(20_000);
        for g in 0..learners {
            let mut key = [0u8; 32];
            key[..8].copy_from_slice(&g.to_be_bytes());
            let who = IdentityKey(key);
            batch.push(BackupRow::identity(&who, 0, 0));
            for (n, topic) in ids.iter().enumerate() {
                batch.push(BackupRow::status(&who, roadmap.clone(), topic.clone(), statuses[(g as usize + n) % 3], g));
            }
            if batch.len() >= 20_000 {
                store.restore_rows(std::mem::take(&mut batch)).await.expect("write");
            }
        }
        store.restore_rows(batch).await.expect("write");
    });
    store.flush_blocking().expect("flush");
    eprintln!("{learners} learners into sled in {:.0} s", started.elapsed().as_secs_f64());
    let size = store.size_on_disk().unwrap_or(0);
    rows.push(row("scale: sled size on disk", size as f64 / 1e6, "MB"));
}
