//! The one layer every request passes through first (`front_door`), doing in one place
//! what each answer needs whatever its route: count it, refuse a `Host` that is not this
//! site's (421) and an over-long address (414), stop it at a deadline (503), then give the
//! answer its caching and security headers. One layer instead of six nested ones: each
//! nested layer cost every request a boxed service, a boxed future and their moves
//! (BENCHMARKS.md, 2026-12-04).

use crate::error::AppError;
use crate::server::state::AppState;
use crate::server::web::security::{add_security_headers, error_response};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, COOKIE, HOST};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::time::{Duration, Instant};

/// The longest address (path and query) answered; no page's own links come near it.
pub const MAX_TARGET_BYTES: usize = 4096;

/// The longest any request may take, its body included; then it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the front door needs to know about the site.
#[derive(Clone)]
pub struct FrontDoor {
    public_url: String,
    public_host: String,
    /// The public URL is https: browsers are told to use nothing else (HSTS).
    https: bool,
    /// Built files under `/pkg/` are named after a hash of their content (`hash-files`).
    hashed_assets: bool,
}

impl FrontDoor {
    pub fn of(state: &AppState) -> Self {
        FrontDoor {
            public_url: state.public_url.clone(),
            public_host: state.public_host.clone(),
            https: state.secure_cookies,
            hashed_assets: state.leptos_options.hash_files,
        }
    }
}

/// Every request, outermost first: counted with its latency (`metrics`), whatever is
/// answered below; a `Host` that is not this site's gets 421 and an address over
/// `MAX_TARGET_BYTES` 414, before any routing or rendering; the rest gets
/// `REQUEST_TIMEOUT`. Whatever comes back (refusals included) gets the headers every answer
/// carries (`security::add_security_headers`), and a hashed built file a year in caches.
pub async fn front_door(State(door): State<FrontDoor>, request: Request, next: Next) -> Response {
    let route = route_of(request.uri().path());
    let started = Instant::now();
    let asset = request.uri().path().starts_with("/pkg/");
    // Built assets are the same for everyone, whatever cookie comes with them.
    let personal = request.headers().contains_key(COOKIE) && !asset;
    let mut response = match refusal(&door, &request) {
        Some(refused) => refused,
        None => within_deadline(next.run(request)).await,
    };
    if asset && door.hashed_assets && response.status() == StatusCode::OK {
        // A new build means new names, so browsers may keep each one for a year. Without
        // hashing the names stay the same across builds and get no such promise.
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    add_security_headers(&mut response, personal, door.https);
    crate::server::metrics::observe_request(route, response.status(), started.elapsed());
    response
}

/// Why `request` is not served at all, if it is not: another site's `Host` (a page on
/// `evil.example` whose name was pointed at 127.0.0.1, DNS rebinding, cannot use the app as
/// if it were its own; requests without `Host` and `/healthz` pass), or an address too long.
fn refusal(door: &FrontDoor, request: &Request) -> Option<Response> {
    let host = request.headers().get(HOST).and_then(|h| h.to_str().ok());
    if request.uri().path() != "/healthz" && host.is_some_and(|h| !host_allowed(h, &door.public_host)) {
        crate::server::metrics::limit_hit("unknown_host");
        return Some(error_response(AppError::Misdirected(format!(
            "This server answers for {}. Open it at that address (or set public-url to the address people use).",
            door.public_url
        ))));
    }
    let length = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if length > MAX_TARGET_BYTES {
        crate::server::metrics::limit_hit("long_target");
        return Some(error_response(AppError::UriTooLong(format!(
            "This address is {} KiB long; the server reads addresses up to {} KiB. Shorten the search or remove \
             what was added to the address.",
            length.div_ceil(1024),
            MAX_TARGET_BYTES / 1024
        ))));
    }
    None
}

/// Stops a request that has taken `REQUEST_TIMEOUT` (a store that hangs, a stuck render), so
/// that it neither holds its connection nor keeps a graceful stop from finishing.
async fn within_deadline(answer: impl std::future::Future<Output = Response>) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, answer).await {
        Ok(response) => response,
        Err(_) => {
            crate::server::metrics::limit_hit("request_timeout");
            tracing::warn!("a request took over {} s and was stopped", REQUEST_TIMEOUT.as_secs());
            error_response(AppError::Unavailable(format!(
                "This took longer than {} seconds, so the server stopped it. Reload to see what was saved, then try \
                 again.",
                REQUEST_TIMEOUT.as_secs()
            )))
        }
    }
}

/// Whether `host` (a `Host` header: name or address, maybe a port) names this site, whose
/// public host is `public_host` (`state::host_of`: lowercased, without port). Read in place,
/// as every request asks it.
fn host_allowed(host: &str, public_host: &str) -> bool {
    let host = host.trim();
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, after)) if after.is_empty() || after.starts_with(':') => &host[..inside.len() + 2],
            _ => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case(public_host)
        || name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|a| a.strip_suffix(']'))
            .is_some_and(|a| a.parse::<std::net::Ipv6Addr>().is_ok())
}

/// The route a path belongs to, from a fixed list (never the raw path, so a flood of odd
/// addresses cannot grow the metrics).
fn route_of(path: &str) -> &'static str {
    const API: [&str; 20] = [
        "set_topic_status",
        "get_progress",
        "search_topics",
        "set_theme",
        "signup",
        "login",
        "logout",
        "change_password",
        "sign_out_elsewhere",
        "get_account",
        "set_display_name",
        "create_share_link",
        "revoke_share_link",
        "get_shared_progress",
        "export_progress",
        "import_progress",
        "reset_progress",
        "list_roadmaps",
        "get_roadmap",
        "get_topic",
    ];
    let mut parts = path.trim_start_matches('/').split('/');
    let parts = [parts.next(), parts.next(), parts.next(), parts.next()];
    match parts {
        [Some(""), None, ..] => "/",
        [Some("roadmaps"), Some(_), None, _] => "/roadmaps/{roadmap}",
        [Some("roadmaps"), Some(_), Some(_), None] => "/roadmaps/{roadmap}/{topic}",
        // The endpoint's own name (`set_topic_status`); unknown names share one label.
        [Some("api"), Some(name), None, _] => API.iter().find(|n| **n == name).copied().unwrap_or("/api/other"),
        [Some("s"), Some(_), None, _] => "/s/{code}",
        [Some("s"), Some(_), Some("badge.svg"), None] => "/s/{code}/badge.svg",
        [Some("pkg"), ..] => "/pkg/*",
        [Some("healthz"), None, ..] => "/healthz",
        [Some("account" | "signup" | "login" | "logout"), ..] => "/account pages",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_sites_names_and_addresses_are_answered() {
        let public = &crate::server::state::host_of("https://roads.example");
        for ok in ["roads.example", "ROADS.example:443", "localhost:3000", "127.0.0.1:3000", "[::1]:3000", "10.0.0.7"] {
            assert!(host_allowed(ok, public), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "roads.example.evil.example",
            "localhost.evil.example",
            "[::1.evil]",
            "[::1]evil.example",
            "127.0.0.1.evil.example",
            "",
        ] {
            assert!(!host_allowed(bad, public), "{bad}");
        }
        assert!(host_allowed("0.0.0.0:3000", &crate::server::state::host_of("http://0.0.0.0:3000")));
    }

    #[test]
    fn routes_are_named_from_a_fixed_list() {
        assert_eq!(route_of("/"), "/");
        assert_eq!(route_of("/roadmaps/backend"), "/roadmaps/{roadmap}");
        assert_eq!(route_of("/roadmaps/backend/dns"), "/roadmaps/{roadmap}/{topic}");
        assert_eq!(route_of("/roadmaps/backend/dns/panel.html"), "other");
        assert_eq!(route_of("/api/set_topic_status"), "set_topic_status");
        assert_eq!(route_of("/api/made_up"), "/api/other");
        assert_eq!(route_of("/s/abc"), "/s/{code}");
        assert_eq!(route_of("/s/abc/badge.svg"), "/s/{code}/badge.svg");
        assert_eq!(route_of("/pkg/backroad.wasm"), "/pkg/*");
        assert_eq!(route_of("/healthz"), "/healthz");
        assert_eq!(route_of("/account/export.json"), "/account pages");
        assert_eq!(route_of("/favicon.ico"), "other");
    }
}
