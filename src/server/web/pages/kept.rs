//! Kept bytes: a page in each encoding a browser may ask for, the policy that allows its
//! inline scripts (by their hashes, known when the page is built), and one bounded store for
//! everything kept, counted in bytes.

use crate::server::web::security::hashed_page_policy;
use axum::body::{Body, Bytes};
use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::io::Write;

/// A page in the encodings it is sent in.
pub struct Encoded {
    plain: Bytes,
    gzip: Bytes,
    /// Brotli, when it was made.
    br: Option<Bytes>,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum Encoding {
    Br,
    Gzip,
    Identity,
}

impl Encoded {
    /// The smallest encodings, for pages everyone gets: worth the time, once.
    pub fn best(plain: String) -> std::io::Result<Self> {
        let plain = Bytes::from(plain);
        let (gzip, br) = (gzip(&plain, flate2::Compression::best())?, brotli(&plain, 9)?);
        Ok(Encoded { plain, gzip, br: Some(br) })
    }

    /// Quicker encodings, for one learner's page (made again after each of their changes,
    /// in ~10 ms, then kept): gzip as hard as for everyone, brotli a little lighter.
    pub fn quick(plain: String) -> std::io::Result<Self> {
        let plain = Bytes::from(plain);
        let (gzip, br) = (gzip(&plain, flate2::Compression::best())?, brotli(&plain, 7)?);
        Ok(Encoded { plain, gzip, br: Some(br) })
    }

    /// Bytes held, for the store's budget.
    pub fn weight(&self) -> usize {
        self.plain.len() + self.gzip.len() + self.br.as_ref().map_or(0, Bytes::len)
    }

    /// The answer in the best encoding the client takes, with `headers`.
    pub fn answer(&self, headers: &HeaderMap, encoding: Encoding) -> Response {
        let (body, name) = match (encoding, &self.br) {
            (Encoding::Br, Some(br)) => (br, Some("br")),
            (Encoding::Br | Encoding::Gzip, _) => (&self.gzip, Some("gzip")),
            (Encoding::Identity, _) => (&self.plain, None),
        };
        let mut response = Response::new(Body::from(body.clone()));
        *response.headers_mut() = headers.clone();
        if let Some(name) = name {
            response.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        response
    }
}

fn gzip(plain: &[u8], level: flate2::Compression) -> std::io::Result<Bytes> {
    let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(plain.len() / 4), level);
    gz.write_all(plain)?;
    Ok(gz.finish()?.into())
}

fn brotli(plain: &[u8], quality: u32) -> std::io::Result<Bytes> {
    let mut br = brotli::CompressorWriter::new(Vec::new(), 64 * 1024, quality, 22);
    br.write_all(plain)?;
    br.flush()?;
    Ok(br.into_inner().into())
}

/// The headers of a kept page: HTML, its policy (its inline scripts' hashes: the same bytes
/// go to many people, so a nonce would stand for nothing), varying by encoding.
pub fn page_headers(html: &str) -> Result<HeaderMap, String> {
    // Room for what every answer adds (encoding, length, the security headers, cookies), so
    // that a copy per answer does not grow.
    let mut headers = HeaderMap::with_capacity(16);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    let policy = hashed_page_policy(&inline_script_hashes(html.as_bytes()));
    headers.insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&policy).map_err(|e| e.to_string())?,
    );
    Ok(headers)
}

/// The best encoding the client accepts (`q=0` means "not this one").
pub fn preferred(headers: &HeaderMap) -> Encoding {
    let accepts = |wanted: &str| {
        headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let named = parts.next().is_some_and(|name| name.eq_ignore_ascii_case(wanted) || name == "*");
            named && !parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().ok() == Some(0.0)))
        })
    };
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
pub fn inline_script_hashes(html: &[u8]) -> Vec<String> {
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

/// A store bounded by the bytes of what it holds: adding past the budget drops the oldest
/// entries first. Something bigger than the whole budget is not kept at all.
pub struct Bounded<K, V> {
    entries: HashMap<K, (V, usize)>,
    order: VecDeque<K>,
    bytes: usize,
    budget: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> Bounded<K, V> {
    pub fn new(budget: usize) -> Self {
        Bounded { entries: HashMap::new(), order: VecDeque::new(), bytes: 0, budget }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.entries.get(key).map(|(v, _)| v.clone())
    }

    /// Keeps `value`, which holds `weight` bytes; false if it is too big to keep.
    pub fn insert(&mut self, key: K, value: V, weight: usize) -> bool {
        if weight > self.budget {
            return false;
        }
        if let Some((_, old)) = self.entries.remove(&key) {
            self.bytes -= old;
            self.order.retain(|k| k != &key);
        }
        while self.bytes + weight > self.budget {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some((_, w)) = self.entries.remove(&oldest) {
                self.bytes -= w;
            }
        }
        self.bytes += weight;
        self.order.push_back(key.clone());
        self.entries.insert(key, (value, weight));
        true
    }

    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
        assert_eq!(with("GZip;q=1.0"), Encoding::Gzip);
        assert_eq!(with("br;q=0, *"), Encoding::Br);
        assert_eq!(with("br;q=0, gzip;q=0"), Encoding::Identity);
        assert_eq!(preferred(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn kept_pages_decompress_to_the_page_in_every_encoding() {
        let plain = "<html><script>x()</script>".repeat(100);
        for kept in [Encoded::best(plain.clone()).expect("best"), Encoded::quick(plain.clone()).expect("quick")] {
            let mut gunzipped = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&kept.gzip[..]), &mut gunzipped)
                .expect("gzip");
            assert_eq!(gunzipped, plain);
            if let Some(br) = &kept.br {
                let mut unbrotlied = Vec::new();
                brotli::BrotliDecompress(&mut &br[..], &mut unbrotlied).expect("br");
                assert_eq!(unbrotlied, plain.as_bytes());
            }
        }
        let headers = page_headers(&plain).expect("headers");
        let policy = headers[axum::http::header::CONTENT_SECURITY_POLICY].to_str().expect("policy").to_owned();
        assert!(policy.contains("'sha256-") && !policy.contains("'nonce-"), "{policy}");
    }

    #[test]
    fn the_store_keeps_to_its_budget_dropping_the_oldest() {
        let mut store = Bounded::new(100);
        assert!(store.insert("a", 1, 40));
        assert!(store.insert("b", 2, 40));
        assert!(store.insert("c", 3, 40));
        assert_eq!((store.get(&"a"), store.get(&"b"), store.get(&"c")), (None, Some(2), Some(3)));
        assert_eq!(store.bytes(), 80);
        assert!(!store.insert("huge", 4, 101), "bigger than the whole budget");
        assert!(store.insert("b", 5, 10), "replacing counts the new size");
        assert_eq!((store.bytes(), store.len()), (50, 2));
    }
}
