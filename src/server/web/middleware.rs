//! Middleware of the API routes (error statuses, tidy redirects and where a form without
//! JavaScript returns to) and `/healthz`. What every request passes is `front_door`.

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
