//! Middleware around the routes: error statuses and tidy redirects for server functions,
//! year-long caching of hashed assets, and `/healthz`.

use crate::server::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, Response, StatusCode};
use axum::response::IntoResponse;

/// The header Leptos puts on a server function's error response.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// Error bodies are small; anything bigger is left alone.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// Leptos answers every server function error with 500. Our errors carry their own status
/// (`{"error": …, "status": 400}`): put it on the response so clients see 400, 404 or 503.
pub async fn server_fn_error_status(mut response: Response<Body>) -> Response<Body> {
    tidy_form_redirect(&mut response);
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.").into_response();
    };
    #[derive(serde::Deserialize)]
    struct Status {
        status: u16,
        retry_after: Option<u64>,
    }
    if let Ok(wire) = serde_json::from_slice::<Status>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(wire.status) {
            if status.is_client_error() || status.is_server_error() {
                parts.status = status;
            }
        }
        if let Some(secs) = wire.retry_after {
            parts.headers.insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
    }
    parts.headers.insert(axum::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Response::from_parts(parts, Body::from(bytes))
}

/// After a plain form post Leptos redirects back to the page with an empty query (`…?`)
/// where the query held no error; drop the lone `?` so the address bar stays clean.
fn tidy_form_redirect(response: &mut Response<Body>) {
    if !response.status().is_redirection() {
        return;
    }
    let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok());
    if let Some(tidy) = location.and_then(|l| l.strip_suffix('?')).and_then(|l| HeaderValue::from_str(l).ok()) {
        response.headers_mut().insert(LOCATION, tidy);
    }
}

/// `GET /healthz`: 200 `ok` when the store answers, 503 `unhealthy: …` otherwise (a load
/// balancer takes the node out until it answers again).
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok".to_owned()),
        Err(e) => {
            tracing::error!("health check: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("unhealthy: the {} store is not answering", state.store.backend()),
            )
        }
    }
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
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] => "/",
        ["roadmaps", _] => "/roadmaps/{roadmap}",
        ["roadmaps", _, _] => "/roadmaps/{roadmap}/{topic}",
        // The endpoint's own name (`set_topic_status`); unknown names share one label.
        ["api", name] => API.iter().find(|n| *n == name).copied().unwrap_or("/api/other"),
        ["s", _] => "/s/{code}",
        ["s", _, "badge.svg"] => "/s/{code}/badge.svg",
        ["pkg", ..] => "/pkg/*",
        ["healthz"] => "/healthz",
        ["account" | "signup" | "login" | "logout", ..] => "/account pages",
        _ => "other",
    }
}

/// Counts every answer (kept pages included: this is the outermost layer) by route and
/// status, with its latency.
pub async fn count_requests(request: axum::extract::Request, next: axum::middleware::Next) -> Response<Body> {
    let route = route_of(request.uri().path());
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    crate::server::metrics::observe_request(route, response.status().as_u16(), started.elapsed());
    response
}

/// Answers 421 for a `Host` that is not this site's: the public URL's host, `localhost`, or
/// an IP address. A page on `evil.example` whose name was pointed at 127.0.0.1 (DNS
/// rebinding) then cannot use the app as if it were its own; requests without `Host` and
/// `/healthz` pass.
pub async fn known_host(
    State(state): State<crate::server::state::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response<Body> {
    let host = request.headers().get(axum::http::header::HOST).and_then(|h| h.to_str().ok());
    if request.uri().path() == "/healthz" || host.is_none_or(|h| host_allowed(h, &state.public_host)) {
        return next.run(request).await;
    }
    crate::server::metrics::limit_hit("unknown_host");
    crate::server::web::security::error_response(crate::error::AppError::Misdirected(format!(
        "This server answers for {}. Open it at that address (or set public-url to the address people use).",
        state.public_url
    )))
}

/// Whether `host` (a `Host` header: name or address, maybe a port) names this site, whose
/// public host is `public_host` (`state::host_of`).
fn host_allowed(host: &str, public_host: &str) -> bool {
    let asked = crate::server::state::host_of(host);
    asked == public_host
        || asked == "localhost"
        || asked.parse::<std::net::Ipv4Addr>().is_ok()
        || asked
            .strip_prefix('[')
            .and_then(|a| a.strip_suffix(']'))
            .is_some_and(|a| a.parse::<std::net::Ipv6Addr>().is_ok())
}

/// The longest address (path and query) answered; no page's own links come near it.
pub const MAX_TARGET_BYTES: usize = 4096;

/// Refuses an address over `MAX_TARGET_BYTES` before any routing or rendering (414).
pub async fn bound_target(request: axum::extract::Request, next: axum::middleware::Next) -> Response<Body> {
    let length = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if length > MAX_TARGET_BYTES {
        crate::server::metrics::limit_hit("long_target");
        return crate::server::web::security::error_response(crate::error::AppError::UriTooLong(format!(
            "This address is {} KiB long; the server reads addresses up to {} KiB. Shorten the search or remove \
             what was added to the address.",
            length.div_ceil(1024),
            MAX_TARGET_BYTES / 1024
        )));
    }
    next.run(request).await
}

/// The longest any request may take, its body included; then it is answered 503.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Stops a request that has taken `REQUEST_TIMEOUT` (a store that hangs, a stuck render), so
/// that it neither holds its connection nor keeps a graceful stop from finishing.
pub async fn request_deadline(request: axum::extract::Request, next: axum::middleware::Next) -> Response<Body> {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            crate::server::metrics::limit_hit("request_timeout");
            tracing::warn!("a request took over {} s and was stopped", REQUEST_TIMEOUT.as_secs());
            crate::server::web::security::error_response(crate::error::AppError::Unavailable(format!(
                "This took longer than {} seconds, so the server stopped it. Reload to see what was saved, then try \
                 again.",
                REQUEST_TIMEOUT.as_secs()
            )))
        }
    }
}

/// Files under `/pkg/` are named after a hash of their content when the build hashes them
/// (`hash-files`): a new build means new names, so browsers may keep each one for a year.
/// Without hashing the names stay the same across builds and get no such promise.
pub async fn cache_hashed_assets(
    State(hashed): State<bool>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response<Body> {
    let asset = hashed && request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if asset && response.status() == StatusCode::OK {
        response
            .headers_mut()
            .insert(axum::http::header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    response
}

/// A form that names where to go afterwards (`?return_to=/roadmaps/…#t-dns` on its action):
/// once the change is made, a browser without JavaScript is sent there with 303, so it lands
/// where the learner was, at the topic's box. Only addresses on this site are followed; a
/// refused change keeps Leptos' redirect, which carries the error.
pub async fn form_return(request: axum::extract::Request, next: axum::middleware::Next) -> Response<Body> {
    let back = (request.method() == axum::http::Method::POST).then(|| return_to(request.uri())).flatten();
    let host = request.headers().get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).map(str::to_owned);
    let mut response = next.run(request).await;
    // Leptos sends a form without JavaScript back to its `Referer`: only ever to this site.
    let location = response.headers().get(LOCATION).and_then(|v| v.to_str().ok());
    if response.status().is_redirection() && location.is_some_and(|l| !on_this_site(l, host.as_deref())) {
        response.headers_mut().insert(LOCATION, HeaderValue::from_static("/"));
    }
    let Some(back) = back else { return response };
    let failed = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()).is_some_and(|l| l.contains("__err="));
    if response.status() == StatusCode::FOUND && !failed {
        if let Ok(value) = HeaderValue::from_str(&back) {
            *response.status_mut() = StatusCode::SEE_OTHER;
            response.headers_mut().insert(LOCATION, value);
        }
    }
    response
}

/// Whether a redirect target stays on this site: a path, or an absolute address whose
/// authority is the request's own `Host`.
fn on_this_site(location: &str, host: Option<&str>) -> bool {
    if location.starts_with('/') {
        return !location.starts_with("//") && !location.starts_with("/\\");
    }
    let rest = location.strip_prefix("https://").or_else(|| location.strip_prefix("http://"));
    match (rest, host) {
        (Some(rest), Some(host)) => rest.split(['/', '?', '#']).next() == Some(host),
        _ => false,
    }
}

/// The request's `return_to`, when it is a path on this site: it starts with one `/`, is at
/// most 2 kB of visible ASCII.
fn return_to(uri: &axum::http::Uri) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Back {
        return_to: String,
    }
    let back = axum::extract::Query::<Back>::try_from_uri(uri).ok()?.0.return_to;
    let local = back.starts_with('/') && !back.starts_with("//") && !back.starts_with("/\\");
    let plain = back.len() <= 2048 && back.bytes().all(|b| b.is_ascii_graphic());
    (local && plain).then_some(back)
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
        for bad in ["evil.example:3000", "roads.example.evil.example", "localhost.evil.example", "[::1.evil]"] {
            assert!(!host_allowed(bad, public), "{bad}");
        }
        assert!(host_allowed("0.0.0.0:3000", &crate::server::state::host_of("http://0.0.0.0:3000")));
    }

    #[test]
    fn redirects_stay_on_this_site() {
        let host = Some("roads.example");
        assert!(on_this_site("/roadmaps/backend?__err=x", host));
        assert!(on_this_site("https://roads.example/roadmaps/backend", host));
        assert!(!on_this_site("https://evil.example/", host));
        assert!(!on_this_site("https://roads.example.evil.example/", host));
        assert!(!on_this_site("//evil.example/", host));
        assert!(!on_this_site("javascript:alert(1)", host));
        assert!(!on_this_site("https://roads.example/", None));
    }

    #[test]
    fn only_local_addresses_are_returned_to() {
        let uri = |q: &str| format!("/api/set_topic_status?{q}").parse::<axum::http::Uri>().expect("uri");
        assert_eq!(
            return_to(&uri("return_to=/roadmaps/backend/dns%23t-dns")).as_deref(),
            Some("/roadmaps/backend/dns#t-dns")
        );
        assert_eq!(return_to(&uri("return_to=//evil.example/")), None);
        assert_eq!(return_to(&uri("return_to=https://evil.example/")), None);
        assert_eq!(return_to(&uri("return_to=/\\evil.example")), None);
        assert_eq!(return_to(&uri("return_to=/a%0d%0aSet-Cookie:x")), None);
        assert_eq!(return_to(&uri("other=1")), None);
    }
}
