//! Real sockets against the real router behind the real listening loop: clients that send
//! slowly or not at all, too many connections, a stop while a request hangs, and addresses
//! too long to read. None of them may hold the server, and each gets a clear end.
#![cfg(feature = "ssr")]

mod support;

use backroad::server::web::listener::{serve, Limits};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

/// The app served on a free local port with `limits`; dropping the sender stops it.
async fn listening(
    limits: Limits,
) -> (tempfile::TempDir, SocketAddr, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let (dir, app) = support::app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("its address");
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, app.router, limits, async move {
        let _ = stopped.await;
    }));
    (dir, addr, stop, server)
}

fn quick(header_timeout: Duration) -> Limits {
    Limits { header_timeout, ..Limits::default() }
}

/// Reads until the server closes the connection (or `within` passes): what it sent, and when.
async fn read_to_close(stream: &mut TcpStream, within: Duration) -> (String, Option<Duration>) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match tokio::time::timeout(within.saturating_sub(started.elapsed()), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), Some(started.elapsed())),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), None),
        }
    }
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAccept: text/html\r\n\r\n")
}

#[tokio::test]
async fn a_request_head_sent_too_slowly_is_cut_off() {
    let (_dir, addr, _stop, _server) = listening(quick(Duration::from_secs(1))).await;
    let mut slow = TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n").await.expect("half a head");
    let (_, closed) = read_to_close(&mut slow, Duration::from_secs(5)).await;
    let closed = closed.expect("the server closes a connection whose head never ends");
    assert!(closed >= Duration::from_millis(900) && closed < Duration::from_secs(3), "closed after {closed:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let (_dir, addr, _stop, _server) = listening(quick(Duration::from_secs(1))).await;
    let mut client = TcpStream::connect(addr).await.expect("connect");
    client.write_all(get("/healthz").as_bytes()).await.expect("request");
    let (answer, closed) = read_to_close(&mut client, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let closed = closed.expect("an idle connection does not stay open");
    assert!(closed < Duration::from_secs(3), "closed after {closed:?}");
}

#[tokio::test]
async fn a_body_that_stalls_gets_408_with_a_sentence() {
    let (_dir, addr, _stop, _server) = listening(Limits::default()).await;
    let mut client = TcpStream::connect(addr).await.expect("connect");
    let head = "POST /api/set_topic_status HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nOrigin: http://127.0.0.1:3000\r\n\
                Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\nContent-Length: 100\r\n\r\n";
    client.write_all(head.as_bytes()).await.expect("head");
    client.write_all(b"roadmap=backend").await.expect("a little of the body");
    let started = Instant::now();
    let (answer, _) = read_to_close(&mut client, Duration::from_secs(20)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive within 10 seconds"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(15), "answered after {:?}", started.elapsed());
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let limits = Limits { max_connections: 2, ..Limits::default() };
    let (_dir, addr, _stop, _server) = listening(limits).await;
    let idle_a = TcpStream::connect(addr).await.expect("connect");
    let _idle_b = TcpStream::connect(addr).await.expect("connect");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut third = TcpStream::connect(addr).await.expect("the kernel queues it");
    third.write_all(get("/healthz").as_bytes()).await.expect("request");
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(700), third.read(&mut buf)).await;
    assert!(early.is_err(), "a third connection is not served while two are open");
    drop(idle_a);
    let n = tokio::time::timeout(Duration::from_secs(5), third.read(&mut buf))
        .await
        .expect("served once a place is free")
        .expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn a_stop_finishes_within_its_grace_even_when_a_request_hangs() {
    let limits = Limits { shutdown_grace: Duration::from_secs(1), ..Limits::default() };
    let (_dir, addr, stop, server) = listening(limits).await;
    let mut hanging = TcpStream::connect(addr).await.expect("connect");
    let head = "POST /api/set_topic_status HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nContent-Length: 100\r\n\r\n";
    hanging.write_all(head.as_bytes()).await.expect("a head and no body");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    drop(stop);
    tokio::time::timeout(Duration::from_secs(5), server).await.expect("the server stops").expect("cleanly");
    assert!(started.elapsed() < Duration::from_secs(3), "stopped after {:?}", started.elapsed());
    assert!(TcpStream::connect(addr).await.is_err(), "no longer listening");
}

#[tokio::test]
async fn an_address_over_4_kib_is_refused_with_414_before_any_rendering() {
    let (_dir, addr, _stop, _server) = listening(Limits::default()).await;
    let mut client = TcpStream::connect(addr).await.expect("connect");
    let long = format!("/roadmaps/backend?q={}", "a".repeat(5000));
    client.write_all(get(&long).as_bytes()).await.expect("request");
    let (answer, _) = read_to_close(&mut client, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 414"), "{}", &answer[..answer.len().min(200)]);
    assert!(answer.contains("reads addresses up to 4 KiB"), "{answer}");
    // A search at its own limit is still a page.
    let mut client = TcpStream::connect(addr).await.expect("connect");
    client.write_all(get(&format!("/roadmaps/backend?q={}", "a".repeat(100))).as_bytes()).await.expect("request");
    let mut buf = [0u8; 64];
    let n = client.read(&mut buf).await.expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
}
