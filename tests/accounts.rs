//! HTTP tests on the real router for accounts: sign-up keeps anonymous progress, sign-in
//! merges it, sessions, password changes, the same answer for every failed sign-in, limits.
#![cfg(feature = "ssr")]

mod support;

use http::StatusCode;
use support::app;

const PW: &str = "correct+horse+battery";

#[tokio::test]
async fn signing_up_keeps_this_browsers_progress_and_retires_the_anonymous_cookie() {
    let (_dir, app) = app().await;
    let anon = app.set_status("dns", "done", None).await.identity_cookie().expect("anonymous cookie");
    let a = app.account("signup", "Ada_L", PW, Some(&anon)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let session = a.identity_cookie().expect("a session cookie");
    assert_ne!(session, anon, "a fresh token at sign-up");
    let header = a.set_cookie_header().unwrap_or_default();
    assert!(header.contains("HttpOnly") && header.contains("SameSite=Lax"), "{header}");
    assert_eq!(app.statuses(Some(&session)).await["dns"], "done");
    // The old anonymous token no longer opens the account's progress.
    assert_eq!(app.statuses(Some(&anon)).await["dns"], "none");
    let me = app.post_form("/api/get_account", "", Some(&session)).await.json();
    assert_eq!(me["username"], "ada_l");
}

#[tokio::test]
async fn usernames_are_unique_regardless_of_case_and_inputs_are_checked() {
    let (_dir, app) = app().await;
    assert_eq!(app.account("signup", "ada", PW, None).await.status, StatusCode::OK);
    let taken = app.account("signup", "ADA", PW, None).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.error().contains("taken"), "{}", taken.body);
    let short = app.account("signup", "al", PW, None).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.error().contains("3 to 32 characters"));
    let common = app.account("signup", "grace", "password123", None).await;
    assert_eq!(common.status, StatusCode::BAD_REQUEST);
    assert!(common.error().contains("guessed quickly"), "{}", common.body);
    let weak = app.account("signup", "grace", "short", None).await;
    assert!(weak.error().contains("at least 8"));
    assert!(weak.identity_cookie().is_none());
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let (_dir, app) = app().await;
    app.account("signup", "ada", PW, None).await;
    let wrong = app.account("login", "ada", "not-the-password", None).await;
    let unknown = app.account("login", "nobody", "not-the-password", None).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!((wrong.status, wrong.body.clone()), (unknown.status, unknown.body.clone()));
    assert!(wrong.identity_cookie().is_none() && unknown.identity_cookie().is_none());
}

#[tokio::test]
async fn each_sign_in_gets_a_new_session_and_sign_out_ends_it_on_the_server() {
    let (_dir, app) = app().await;
    let first = app.account("signup", "ada", PW, None).await.identity_cookie().expect("session");
    let anon = app.set_status("dns", "done", None).await.identity_cookie().expect("anonymous cookie");
    let second = app.account("login", "ada", PW, Some(&anon)).await.identity_cookie().expect("session");
    assert_ne!(second, anon, "no session fixation: the cookie sent in is not kept");
    assert_ne!(second, first);
    let out = app.post_form("/api/logout", "", Some(&second)).await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(out.set_cookie_header().unwrap_or_default().contains("Max-Age=0"));
    // Replaying the old cookie does not work: the session is gone on the server.
    let me = app.post_form("/api/get_account", "", Some(&second)).await.json();
    assert_eq!(me["username"], serde_json::Value::Null);
    assert_eq!(app.statuses(Some(&second)).await["dns"], "none");
    // An anonymous browser that "signs out" keeps its progress.
    let anon = app.set_status("http", "done", None).await.identity_cookie().expect("anonymous cookie");
    let a = app.post_form("/api/logout", "", Some(&anon)).await;
    assert!(a.body.contains("not signed in") && a.set_cookie_header().is_none(), "{}", a.body);
    assert_eq!(app.statuses(Some(&anon)).await["http"], "done");
    // The other session still works.
    let me = app.post_form("/api/get_account", "", Some(&first)).await.json();
    assert_eq!(me["username"], "ada");
}

#[tokio::test]
async fn signing_in_merges_this_browsers_progress_newest_change_wins() {
    let (_dir, app) = app().await;
    let ada = app.account("signup", "ada", PW, None).await.identity_cookie().expect("session");
    app.set_status("dns", "done", Some(&ada)).await;
    app.set_status("http", "done", Some(&ada)).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    // Later, on another device without signing in:
    let other = app.set_status("dns", "in_progress", None).await.identity_cookie().expect("anonymous cookie");
    app.set_status("https-tls", "skipped", Some(&other)).await;
    let a = app.account("login", "ada", PW, Some(&other)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.json().as_str().unwrap_or_default().contains("2 status(es) from this browser were merged"), "{}", a.body);
    let session = a.identity_cookie().expect("session");
    let statuses = app.statuses(Some(&session)).await;
    assert_eq!(statuses["dns"], "in_progress", "the newer change wins");
    assert_eq!(statuses["http"], "done", "the account's own change stays");
    assert_eq!(statuses["https-tls"], "skipped");
    assert_eq!(app.statuses(Some(&ada)).await, statuses, "every device sees the merge");
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let (_dir, app) = app().await;
    let one = app.account("signup", "ada", PW, None).await.identity_cookie().expect("session");
    let two = app.account("login", "ada", PW, None).await.identity_cookie().expect("session");
    let wrong =
        app.post_form("/api/change_password", "password=nope-nope&new_password=a+new+long+one", Some(&one)).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let a =
        app.post_form("/api/change_password", &format!("password={PW}&new_password=a+new+long+one"), Some(&one)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body.contains("1 other session(s) were signed out"), "{}", a.body);
    let rotated = a.identity_cookie().expect("this browser gets a new session");
    assert_ne!(rotated, one, "a new token, not the old one again");
    assert_eq!(app.post_form("/api/get_account", "", Some(&two)).await.json()["username"], serde_json::Value::Null);
    let old = app.post_form("/api/get_account", "", Some(&one)).await.json();
    assert_eq!(old["username"], serde_json::Value::Null, "the old token opens nothing (someone may have seen it)");
    assert_eq!(app.post_form("/api/get_account", "", Some(&rotated)).await.json()["username"], "ada");
    assert_eq!(app.account("login", "ada", PW, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.account("login", "ada", "a+new+long+one", None).await.status, StatusCode::OK);
    let anonymous = app.post_form("/api/change_password", "password=x&new_password=y", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.error().contains("Sign in first"));
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_username_with_retry_after() {
    let (_dir, app) = app().await;
    app.account("signup", "ada", PW, None).await;
    for _ in 0..5 {
        assert_eq!(app.account("login", "ada", "wrong-password", None).await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = app.account("login", "ada", PW, None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    let retry: u64 = limited.headers["retry-after"].to_str().expect("header").parse().expect("seconds");
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(limited.error().contains("Wait"), "{}", limited.body);
    // Another username is not affected.
    assert_eq!(app.account("login", "grace", "wrong-password", None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn attempts_are_limited_per_client_address() {
    let (_dir, app) = app().await;
    let mut statuses = Vec::new();
    for i in 0..21 {
        statuses.push(app.account("login", &format!("user{i}"), "wrong-password", None).await.status);
    }
    assert!(statuses[..20].iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert_eq!(statuses[20], StatusCode::TOO_MANY_REQUESTS);
    let signup = app.account("signup", "newcomer", PW, None).await;
    assert_eq!(signup.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_guesser_elsewhere_cannot_lock_the_owner_out_nor_block_their_password_change() {
    let (_dir, app) = app().await;
    let login = |addr: &'static str, pw: &'static str| {
        let app = &app;
        async move { app.post_from(addr, "login", &format!("username=ada&password={pw}"), None).await }
    };
    assert_eq!(
        app.post_from("192.0.2.1:1", "signup", &format!("username=ada&password={PW}"), None).await.status,
        StatusCode::OK
    );
    for _ in 0..5 {
        assert_eq!(login("203.0.113.9:4000", "wrong-password").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login("203.0.113.9:4001", PW).await.status, StatusCode::TOO_MANY_REQUESTS, "the guesser waits");
    let owner = login("198.51.100.7:5000", PW).await;
    assert_eq!(owner.status, StatusCode::OK, "the owner, elsewhere, signs in: {}", owner.body);
    let session = owner.cookie("backroad_id").expect("a session cookie");
    // Changing the password counts its own wrong answers, not the guesser's failures.
    let change = |current: &str| format!("password={current}&new_password=a+new+long+one");
    let wrong = app.post_from("198.51.100.7:5000", "change_password", &change("nope-nope"), Some(&session)).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let right = app.post_from("198.51.100.7:5000", "change_password", &change(PW), Some(&session)).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
}

#[tokio::test]
async fn ipv6_clients_are_counted_by_their_64() {
    let (_dir, app) = app().await;
    for i in 1..=20 {
        let addr = format!("[2001:db8:0:0::{i:x}]:4000");
        let a = app.post_from(&addr, "login", &format!("username=user{i}&password=wrong-password"), None).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let same_64 = app.post_from("[2001:db8::ffff:1]:1", "login", "username=x1&password=wrong-password", None).await;
    assert_eq!(same_64.status, StatusCode::TOO_MANY_REQUESTS, "another address of the same /64");
    let next_64 = app.post_from("[2001:db8:0:1::1]:1", "login", "username=x2&password=wrong-password", None).await;
    assert_eq!(next_64.status, StatusCode::UNAUTHORIZED, "a neighbouring /64 is someone else");
}

#[tokio::test]
async fn over_long_usernames_and_passwords_are_refused_before_any_count_or_hash() {
    let (_dir, app) = app().await;
    let long = "a".repeat(60_000);
    for _ in 0..25 {
        let a = app.post_from("192.0.2.50:1", "login", &format!("username={long}&password=x"), None).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert!(a.error().contains("at most 32 characters"), "{}", a.body);
    }
    let pw = app.post_from("192.0.2.50:1", "login", &format!("username=ada&password={}", "p".repeat(5000)), None).await;
    assert_eq!(pw.status, StatusCode::BAD_REQUEST);
    assert!(pw.error().contains("at most 128 characters"), "{}", pw.body);
    // None of these counted: the address still has all its attempts.
    let a = app.post_from("192.0.2.50:1", "login", "username=ada&password=wrong-password", None).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
}

/// A form post as the browser `agent` sends it.
async fn post_as(
    app: &support::TestApp,
    agent: &str,
    endpoint: &str,
    form: &str,
    cookie: Option<&str>,
) -> support::Answer {
    let mut req = http::Request::post(format!("/api/{endpoint}"))
        .header(http::header::HOST, support::HOST)
        .header(http::header::ORIGIN, support::ORIGIN)
        .header(http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::USER_AGENT, agent);
    if let Some(c) = cookie {
        req = req.header(http::header::COOKIE, c);
    }
    app.send(req.body(axum::body::Body::from(form.to_owned())).expect("request")).await
}

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const PHONE: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

#[tokio::test]
async fn the_account_lists_its_devices_and_signs_out_everywhere_else() {
    let (_dir, app) = app().await;
    let form = format!("username=ada&password={PW}");
    let laptop = post_as(&app, FIREFOX, "signup", &form, None).await.identity_cookie().expect("session");
    let phone = post_as(&app, PHONE, "login", &form, None).await.identity_cookie().expect("session");
    let me = post_as(&app, FIREFOX, "get_account", "", Some(&laptop)).await.json();
    let devices = me["devices"].as_array().expect("devices").clone();
    assert_eq!(devices.len(), 2, "{me}");
    assert_eq!(devices[0]["label"], "Firefox on Linux");
    assert_eq!(devices[0]["this_device"], true, "this device first");
    assert_eq!(devices[1]["label"], "Chrome on Android");
    assert_eq!(devices[1]["this_device"], false);
    assert!(devices[1]["last_used"].as_str().is_some_and(|t| t.ends_with('Z')), "{}", devices[1]);

    let done = post_as(&app, FIREFOX, "sign_out_elsewhere", "", Some(&laptop)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Signed out on 1 other device(s)"), "{}", done.body);
    assert_eq!(app.post_form("/api/get_account", "", Some(&phone)).await.json()["username"], serde_json::Value::Null);
    let me = app.post_form("/api/get_account", "", Some(&laptop)).await.json();
    assert_eq!(me["username"], "ada", "this device stays signed in");
    assert_eq!(me["devices"].as_array().map(Vec::len), Some(1));
    let again = app.post_form("/api/sign_out_elsewhere", "", Some(&laptop)).await;
    assert!(again.body.contains("no other device"), "{}", again.body);
    let anonymous = app.post_form("/api/sign_out_elsewhere", "", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.error().contains("Sign in first"), "{}", anonymous.body);
}

#[tokio::test]
async fn a_session_unused_for_30_days_signs_nobody_in() {
    use backroad::server::identity::Token;
    let (_dir, app) = app().await;
    let session = app.account("signup", "ada", PW, None).await.identity_cookie().expect("session");
    assert_eq!(app.set_status("dns", "done", Some(&session)).await.status, StatusCode::OK);
    let key = Token::parse(session.trim_start_matches("backroad_id=")).expect("a token").session_key();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as u64;
    app.state.store.touch_session(&key, now - 29 * 24 * 3600 * 1000).await.expect("touch");
    assert_eq!(app.post_form("/api/get_account", "", Some(&session)).await.json()["username"], "ada", "29 days: fine");
    app.state.store.touch_session(&key, now - 31 * 24 * 3600 * 1000).await.expect("touch");
    assert_eq!(app.post_form("/api/get_account", "", Some(&session)).await.json()["username"], serde_json::Value::Null);
    let write = app.set_status("http", "done", Some(&session)).await;
    assert_eq!(write.status, StatusCode::OK);
    assert!(write.identity_cookie().is_some_and(|c| c != session), "an idle session writes nothing for the account");
    let back = app.account("login", "ada", PW, None).await.identity_cookie().expect("signed in again");
    let statuses = app.statuses(Some(&back)).await;
    assert_eq!((statuses["dns"].as_str(), statuses["http"].as_str()), (Some("done"), Some("none")), "{statuses}");
}

#[tokio::test]
async fn a_browser_that_signed_in_before_is_slowed_not_locked_out_by_guessing_from_everywhere() {
    let (_dir, app) = app().await;
    let signup = app.post_from("192.0.2.1:1", "signup", &format!("username=ada&password={PW}"), None).await;
    assert_eq!(signup.status, StatusCode::OK, "{}", signup.body);
    let device = signup.cookie("backroad_device").expect("a known-device cookie");
    let all: Vec<&str> =
        signup.headers.get_all(http::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(all.iter().any(|c| c.starts_with("backroad_device=") && c.contains("SameSite=Strict")), "{all:?}");
    // 100 wrong guesses from 20 addresses: the username is held back everywhere.
    for n in 0..100 {
        let from = format!("203.0.113.{}:1", n / 5 + 1);
        let guess = app.post_from(&from, "login", "username=ada&password=wrong-password", None).await;
        assert_eq!(guess.status, StatusCode::UNAUTHORIZED, "guess {n}: {}", guess.body);
    }
    let stranger = app.post_from("198.51.100.9:1", "login", &format!("username=ada&password={PW}"), None).await;
    assert_eq!(stranger.status, StatusCode::TOO_MANY_REQUESTS, "a browser never seen before waits");

    // The owner's browser, from a new address: a little slower, but in.
    let started = std::time::Instant::now();
    let owner = app.post_from("198.51.100.10:1", "login", &format!("username=ada&password={PW}"), Some(&device)).await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.body);
    assert!(started.elapsed() >= std::time::Duration::from_secs(2), "slowed down, {:?}", started.elapsed());

    // The cookie is no way around guessing: it has its own five failures.
    for _ in 0..5 {
        let wrong =
            app.post_from("198.51.100.10:1", "login", "username=ada&password=wrong-password", Some(&device)).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    let sixth = app.post_from("198.51.100.10:1", "login", &format!("username=ada&password={PW}"), Some(&device)).await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS, "{}", sixth.body);
    assert!(sixth.error().contains("from this browser"), "{}", sixth.body);
    // A cookie made up, or one for another username, counts for nothing.
    let forged = app
        .post_from("198.51.100.11:1", "login", &format!("username=ada&password={PW}"), Some("backroad_device=00.00"))
        .await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);
}
