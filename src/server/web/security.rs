//! Security around every request: cross-site request refusal, request body limits, and the
//! headers every answer carries (Content-Security-Policy, nosniff, Referrer-Policy, framing).

use crate::error::AppError;
use crate::server::state::AppState;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, ORIGIN, REFERRER_POLICY, RETRY_AFTER,
    SET_COOKIE, STRICT_TRANSPORT_SECURITY, VARY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// How big a body the import (an export file) accepts.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// Where page scripts may come from: our files, the inline hydration script carrying this
/// request's nonce, and the WebAssembly they start. Styles allow `style=""` attributes (the
/// skill tree positions its boxes with them); no inline `<style>` is needed.
/// Without a nonce (an HTML answer that carries none) no inline script may run at all.
pub fn page_policy(nonce: Option<&str>) -> String {
    policy_allowing(nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default())
}

/// The page policy for a page kept for many answers: its inline scripts are allowed by
/// their SHA-256 (base64) instead of a nonce, since the same bytes go to everyone.
pub fn hashed_page_policy(hashes: &[String]) -> String {
    policy_allowing(hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect())
}

fn policy_allowing(inline: String) -> String {
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// For answers that are not pages (JSON, files, the badge): no script may run, nothing may
/// frame them. Styles as on pages, so a page document never ends up stricter than its own.
const OTHER_POLICY: &str = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the headers every answer carries (`front_door` calls it for every answer). A page's
/// policy is set where the page is built: a render names its own nonce
/// (`context::page_context`), a kept page or template its scripts' hashes. An HTML answer
/// that comes without one (none should) gets the page policy without any inline script
/// allowed. An answer to someone's cookie (`personal`), or one that hands out a cookie, is
/// theirs alone: no shared or browser cache keeps it unless the route said otherwise. With
/// `https` (the public URL is https), browsers are told to use nothing else for a year
/// (HSTS; not for subdomains, which a self-hosted site may not own).
pub fn add_security_headers(response: &mut Response, personal: bool, https: bool) {
    let personal = personal || response.headers().contains_key(SET_COOKIE);
    if personal && !response.headers().contains_key(CACHE_CONTROL) {
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        let vary = response.headers().get(VARY).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
        if !vary.split(',').any(|v| v.trim() == "cookie" || v.trim() == "*") {
            let value = if vary.is_empty() { "cookie".to_owned() } else { format!("{vary}, cookie") };
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().insert(VARY, value);
            }
        }
    }
    let redirect = response.status().is_redirection();
    let html = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let headers = response.headers_mut();
    if html && !redirect && !headers.contains_key(CONTENT_SECURITY_POLICY) {
        if let Ok(value) = HeaderValue::from_str(&page_policy(None)) {
            headers.insert(CONTENT_SECURITY_POLICY, value);
        }
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if https {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    // A redirect is not a document; its target brings its own policy.
    if !headers.contains_key(CONTENT_SECURITY_POLICY) && !redirect {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(OTHER_POLICY));
    }
}

/// An error answer in our JSON shape, outside of a server function.
pub fn error_response(error: AppError) -> Response {
    let status = error.status();
    let retry = match &error {
        AppError::TooManyRequests { retry_after, .. } | AppError::Busy { retry_after, .. } => Some(*retry_after),
        _ => None,
    };
    let body = serde_json::to_string(&error).unwrap_or_else(|_| "{}".to_owned());
    let mut response = (status, [(CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response();
    if let Some(secs) = retry {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// Refuses state-changing requests that do not come from our own pages: the `Origin` header
/// must name this site (the address in `Host`, or the configured public URL), or, without
/// `Origin`, `Sec-Fetch-Site` must say `same-origin`. Browsers send both; API clients add
/// `Origin` themselves.
pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    match same_origin(request.headers(), &state.public_url) {
        Ok(()) => next.run(request).await,
        Err(why) => {
            let client = super::client::client_key_of(request.headers(), request.extensions(), &state.trusted_proxies);
            crate::server::services::audit::client_event("cross_site", "forbidden", &client, request.uri().path());
            error_response(AppError::Forbidden(why))
        }
    }
}

fn same_origin(headers: &HeaderMap, public_url: &str) -> Result<(), String> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = get(ORIGIN.as_str()) {
        let origin = origin.trim_end_matches('/');
        let host_matches = get(HOST.as_str())
            .is_some_and(|host| origin == format!("http://{host}") || origin == format!("https://{host}"));
        if host_matches || origin.eq_ignore_ascii_case(public_url.trim_end_matches('/')) {
            return Ok(());
        }
        return Err(format!(
            "This request came from another site ({}), so it was refused. Make changes from backroad's own pages.",
            origin.chars().take(80).collect::<String>()
        ));
    }
    match get("sec-fetch-site") {
        Some("same-origin") => Ok(()),
        Some(_) => {
            Err("This request came from another site, so it was refused. Make changes from backroad's own pages."
                .to_owned())
        }
        None => Err(format!(
            "Requests that change something must say where they come from. Send the header `Origin: {}`.",
            public_url.trim_end_matches('/')
        )),
    }
}

/// Answers 413 for bodies over the limit before reading more than the limit: at once when
/// `Content-Length` says so, and after `limit` bytes of a body without a length; 408 for a
/// body that has not arrived within `BODY_TIMEOUT`. Each API
/// route gets its own limit (`startup::router_with`).
pub async fn limit_body(State(BodyLimit(limit)): State<BodyLimit>, request: Request, next: Next) -> Response {
    let too_large = || {
        error_response(AppError::TooLarge(format!(
            "The request body is larger than this endpoint accepts ({} KiB). Send less.",
            limit / 1024
        )))
    };
    let declared = request.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match tokio::time::timeout(BODY_TIMEOUT, to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Ok(Err(_)) if declared.is_none() => too_large(),
        Ok(Err(_)) => error_response(AppError::bad_request("The request body ended early or could not be read.")),
        Err(_) => {
            crate::server::metrics::limit_hit("slow_body");
            error_response(AppError::TimedOut(format!(
                "The request body did not arrive within {} seconds. Send it again.",
                BODY_TIMEOUT.as_secs()
            )))
        }
    }
}

/// How long a request body may take to arrive, in full.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The most bytes a route's request body may hold.
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);
#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("a valid test header"));
        }
        h
    }

    #[test]
    fn same_origin_by_host_or_public_url_or_fetch_metadata() {
        let public = "https://roads.example";
        assert!(
            same_origin(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")]), public).is_ok()
        );
        assert!(
            same_origin(&headers(&[("origin", "https://roads.example"), ("host", "internal:3000")]), public).is_ok()
        );
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")]), public).is_ok());
    }

    #[test]
    fn other_sites_and_silent_clients_are_refused_with_a_sentence() {
        let public = "http://127.0.0.1:3000";
        let evil = same_origin(&headers(&[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")]), public);
        assert!(evil.unwrap_err().contains("another site (https://evil.example)"));
        assert!(same_origin(&headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]), public).is_err());
        assert!(same_origin(&headers(&[("sec-fetch-site", "cross-site")]), public).is_err());
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-site")]), public).is_err());
        assert!(same_origin(&HeaderMap::new(), public).unwrap_err().contains("Origin: http://127.0.0.1:3000"));
    }
}
