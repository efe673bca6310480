//! Pages rendered once for every visitor without cookies. Such a visitor sees the same
//! roadmap and topic pages as any other (the content is compiled in), so their HTML is kept
//! per path; each answer gets a fresh CSP nonce swapped into the kept copy, so no two
//! answers share one. Visitors with a cookie (their own statuses, theme, account) are
//! always rendered for themselves.

use crate::server::security::page_nonce;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// More paths than the content has pages; a bound against surprises, not a working limit.
const MAX_PAGES: usize = 2_000;
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// A kept page: its headers and its body split at every place the nonce stood.
struct Kept {
    headers: HeaderMap,
    pieces: Vec<Bytes>,
}

#[derive(Default, Clone)]
pub struct PageCache {
    pages: Arc<RwLock<HashMap<String, Arc<Kept>>>>,
}

/// Only the pages that look the same for every visitor without cookies: the roadmaps and
/// their topics. Share links (revocable) and account pages are never kept.
fn keepable(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && request.uri().query().is_none()
        && !request.headers().contains_key(COOKIE)
        && (path == "/" || path.starts_with("/roadmaps/"))
}

/// 128 random bits, base64url without padding (the shape Leptos' own nonces have).
fn fresh_nonce() -> Option<String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let mut bits = u128::from_be_bytes(bytes);
    // 22 characters of 6 bits cover 132 bits; the top 4 are zero.
    let mut out = [0u8; 22];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(bits & 63) as usize];
        bits >>= 6;
    }
    String::from_utf8(out.to_vec()).ok()
}

fn split_at_nonce(body: &Bytes, nonce: &str) -> Vec<Bytes> {
    let needle = nonce.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + needle.len() <= body.len() {
        if &body[i..i + needle.len()] == needle {
            pieces.push(body.slice(start..i));
            i += needle.len();
            start = i;
        } else {
            i += 1;
        }
    }
    pieces.push(body.slice(start..));
    pieces
}

impl Kept {
    fn answer(&self) -> Option<Response> {
        let nonce = fresh_nonce()?;
        let nonces = (self.pieces.len() - 1) * nonce.len();
        let mut body = Vec::with_capacity(self.pieces.iter().map(Bytes::len).sum::<usize>() + nonces);
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(nonce.as_bytes());
            }
            body.extend_from_slice(piece);
        }
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = self.headers.clone();
        Some(response)
    }
}

/// Middleware: answers kept pages, and keeps the ones it renders.
pub async fn cached_pages(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    if !keepable(&request) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let kept = cache.pages.read().ok().and_then(|pages| pages.get(&path).cloned());
    if let Some(answer) = kept.and_then(|kept| kept.answer()) {
        return answer;
    }
    let response = next.run(request).await;
    let html = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if response.status() != StatusCode::OK || !html || response.headers().contains_key(SET_COOKIE) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!("reading a page to keep it: {e}");
            return Response::from_parts(parts, Body::empty());
        }
    };
    parts.headers.remove(CONTENT_LENGTH);
    // Every page carries a nonce; one without is answered but not kept.
    if let Some(nonce) = page_nonce(&bytes) {
        let kept = Arc::new(Kept { headers: parts.headers.clone(), pieces: split_at_nonce(&bytes, nonce) });
        if let Ok(mut pages) = cache.pages.write() {
            if pages.len() < MAX_PAGES {
                pages.insert(path, kept);
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_fresh_and_shaped_like_leptos_ones() {
        let a = fresh_nonce().expect("nonce");
        let b = fresh_nonce().expect("nonce");
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'), "{a}");
    }

    #[test]
    fn a_kept_page_gets_the_new_nonce_everywhere_the_old_one_stood() {
        let page = Bytes::from_static(b"<script nonce=\"OLD\">a</script><link crossorigin=\"OLD\">OLD");
        let kept = Kept { headers: HeaderMap::new(), pieces: split_at_nonce(&page, "OLD") };
        assert_eq!(kept.pieces.len(), 4);
        let answer = kept.answer().expect("answer");
        let body = futures_body(answer);
        assert!(!body.contains("OLD"), "{body}");
        let nonce = page_nonce(body.as_bytes()).expect("a nonce").to_owned();
        assert_eq!(body.matches(&nonce).count(), 3);
    }

    fn futures_body(response: Response) -> String {
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let bytes = runtime.block_on(to_bytes(response.into_body(), usize::MAX)).expect("body");
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }
}
