//! Pages rendered once for every visitor without cookies. Such a visitor sees the same
//! roadmap and topic pages as any other (the content is compiled in), so each page is
//! rendered once per path, compressed once (brotli and gzip, harder than per-response
//! compression could afford) and kept. Its inline scripts are allowed by their SHA-256 in
//! the policy rather than by a nonce, since the same bytes go to everyone. Visitors with a
//! cookie (their own statuses, theme, account) get their own page: roadmap pages filled in
//! from a template (`overlay`), everything else rendered for them.

use crate::server::web::context::TemplateRender;
use crate::server::web::security::hashed_page_policy;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, SET_COOKIE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};

/// More paths than the content has pages; a bound against surprises, not a working limit.
const MAX_PAGES: usize = 2_000;
/// The largest page read back to keep it (pages are ~0.5 MB).
pub(crate) const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// A kept page: its headers (with its policy) and its bytes in each encoding.
struct Kept {
    headers: HeaderMap,
    plain: Bytes,
    gzip: Bytes,
    br: Bytes,
}

#[derive(Default, Clone)]
pub struct PageCache {
    pages: Arc<RwLock<HashMap<String, Arc<Kept>>>>,
    /// One render per path at a time: visitors who arrive while a page is being rendered
    /// wait for it instead of rendering (and compressing) it again themselves.
    filling: Arc<std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

impl PageCache {
    fn kept(&self, path: &str) -> Option<Arc<Kept>> {
        self.pages.read().ok().and_then(|pages| pages.get(path).cloned())
    }

    fn path_lock(&self, path: &str) -> Option<Arc<tokio::sync::Mutex<()>>> {
        let mut filling = self.filling.lock().ok()?;
        Some(filling.entry(path.to_owned()).or_default().clone())
    }

    fn done_filling(&self, path: &str) {
        if let Ok(mut filling) = self.filling.lock() {
            filling.remove(path);
        }
    }
}

/// Only the pages that look the same for every visitor without cookies: the home page, the
/// roadmaps and their topics. Share links (revocable) and account pages are never kept, nor
/// the overlay's templates (`overlay`).
fn keepable(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::GET
        && request.uri().query().is_none()
        && !request.headers().contains_key(COOKIE)
        && request.extensions().get::<TemplateRender>().is_none()
        && (path == "/" || path.starts_with("/roadmaps/"))
}

/// A page that can stand for others: a 200 HTML answer that sets no cookie.
pub(crate) fn is_plain_page(response: &Response) -> bool {
    let html = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    response.status() == StatusCode::OK && html && !response.headers().contains_key(SET_COOKIE)
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

/// The best encoding the client accepts (`q=0` means "not this one").
fn preferred(headers: &HeaderMap) -> Encoding {
    let accepted: Vec<String> = headers
        .get_all(ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next()?.to_ascii_lowercase();
            let refused = parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().ok() == Some(0.0)));
            (!refused).then_some(name)
        })
        .collect();
    let accepts = |name: &str| accepted.iter().any(|a| a == name || a == "*");
    if accepts("br") {
        Encoding::Br
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Standard base64 with padding, as CSP hash sources are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// SHA-256 (base64) of the text of every inline `<script>` of a page.
pub(crate) fn inline_script_hashes(html: &[u8]) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut at = 0;
    while let Some(open) = find(html, b"<script", at) {
        let Some(end_of_tag) = find(html, b">", open) else { break };
        let Some(close) = find(html, b"</script>", end_of_tag) else { break };
        if find(&html[open..end_of_tag], b" src=", 0).is_none() {
            hashes.push(base64(&Sha256::digest(&html[end_of_tag + 1..close])));
        }
        at = close;
    }
    hashes
}

impl Kept {
    /// Compresses and hashes a freshly rendered page; blocking work.
    fn new(mut headers: HeaderMap, plain: Bytes) -> std::io::Result<Self> {
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&plain)?;
        let gzip = gzip.finish()?;
        let mut br = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, 9, 22);
        br.write_all(&plain)?;
        br.flush()?;
        let br = br.into_inner();
        let policy = hashed_page_policy(&inline_script_hashes(&plain));
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&policy).map_err(std::io::Error::other)?);
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
        headers.remove(CONTENT_LENGTH);
        Ok(Kept { headers, plain, gzip: gzip.into(), br: br.into() })
    }

    fn answer(&self, encoding: Encoding) -> Response {
        let (body, name) = match encoding {
            Encoding::Br => (&self.br, Some("br")),
            Encoding::Gzip => (&self.gzip, Some("gzip")),
            Encoding::Identity => (&self.plain, None),
        };
        let mut response = Response::new(Body::from(body.clone()));
        *response.headers_mut() = self.headers.clone();
        if let Some(name) = name {
            response.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        response
    }
}

/// Middleware: answers kept pages, and keeps the ones it renders.
pub async fn cached_pages(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    if !keepable(&request) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let encoding = preferred(request.headers());
    if let Some(kept) = cache.kept(&path) {
        crate::server::metrics::page_hit("anonymous");
        return kept.answer(encoding);
    }
    let lock = cache.path_lock(&path);
    let _filling = match &lock {
        Some(lock) => Some(lock.lock().await),
        None => None,
    };
    // Someone else may have kept it while this request waited.
    if let Some(kept) = cache.kept(&path) {
        return kept.answer(encoding);
    }
    // Forgets the path's lock when this request ends, even if its client went away.
    let _forget = Filling { cache: &cache, path: &path };
    render_and_keep(&cache, path.clone(), encoding, request, next).await
}

struct Filling<'a> {
    cache: &'a PageCache,
    path: &'a str,
}

impl Drop for Filling<'_> {
    fn drop(&mut self) {
        self.cache.done_filling(self.path);
    }
}

async fn render_and_keep(
    cache: &PageCache,
    path: String,
    encoding: Encoding,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    if !is_plain_page(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!("reading a page to keep it: {e}");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let headers = parts.headers.clone();
    let plain = bytes.clone();
    match tokio::task::spawn_blocking(move || Kept::new(headers, plain)).await {
        Ok(Ok(kept)) => {
            let kept = Arc::new(kept);
            if let Ok(mut pages) = cache.pages.write() {
                if pages.len() < MAX_PAGES {
                    pages.insert(path, kept.clone());
                }
            }
            kept.answer(encoding)
        }
        // Not kept: answered as rendered (the header middleware gives it a nonce policy).
        Ok(Err(e)) => {
            tracing::error!("could not keep a page: {e}");
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::error!("could not keep a page: {e}");
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b"\x00\x01\x02\xff\xfe"), "AAEC//4=");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let page = br#"<head><script nonce="n">alert(1)</script><script src="/pkg/a.js"></script></head><script type="module">alert(1)</script>"#;
        let hashes = inline_script_hashes(page);
        // sha256("alert(1)") in base64, as `openssl dgst -sha256 -binary | base64` prints it.
        assert_eq!(hashes, vec!["bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="; 2]);
    }

    #[test]
    fn the_encoding_is_the_best_one_the_client_accepts() {
        let with = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).expect("a valid test header"));
            preferred(&h)
        };
        assert_eq!(with("gzip, deflate, br, zstd"), Encoding::Br);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(with("identity"), Encoding::Identity);
        assert_eq!(preferred(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn a_kept_page_decompresses_to_the_rendered_bytes_in_every_encoding() {
        let plain = Bytes::from("<html><script>x()</script>".repeat(100));
        let kept = Kept::new(HeaderMap::new(), plain.clone()).expect("kept");
        let policy = kept.headers[CONTENT_SECURITY_POLICY].to_str().expect("policy").to_owned();
        assert!(policy.contains("'sha256-") && !policy.contains("'nonce-"), "{policy}");
        let mut gunzipped = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&kept.gzip[..]), &mut gunzipped).expect("gzip");
        assert_eq!(gunzipped, plain);
        let mut unbrotlied = Vec::new();
        brotli::BrotliDecompress(&mut &kept.br[..], &mut unbrotlied).expect("br");
        assert_eq!(unbrotlied, plain);
        assert!(kept.br.len() < plain.len() / 10);
    }
}
