//! Error sentences in the address. A form sent without JavaScript that is refused comes back
//! to its page as `…?__path=/api/login&__err=<the error>`, and Leptos shows that error on the
//! page. Anyone could write such a link ("your account is locked, unlock it at …") and have
//! our sign-in page show it, so the redirect that carries one is signed here (`__sig`, an
//! HMAC-SHA256 under the store's `form_errors` secret, the same on every server) and a page
//! asked with an unsigned or altered one is drawn without it.

use crate::server::identity::{hmac_sha256, same_bytes};
use crate::server::state::{AppState, SiteSecret};
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, Response, Uri};
use axum::middleware::Next;

const PATH: &str = "__path";
const ERR: &str = "__err";
const SIG: &str = "__sig";

/// After a server function: a redirect that carries an error gets its signature.
pub async fn sign_form_errors(State(app): State<AppState>, request: Request, next: Next) -> Response<Body> {
    let mut response = next.run(request).await;
    let Some(location) = response.headers().get(LOCATION).and_then(|v| v.to_str().ok()) else { return response };
    if !location.contains("__err=") {
        return response;
    }
    let signed = match app.secret(SiteSecret::FormErrors).await {
        Ok(key) => signed_location(&key, location),
        Err(e) => {
            tracing::warn!("cannot sign a form error, it will not be shown: {e}");
            None
        }
    };
    if let Some(value) = signed.and_then(|s| HeaderValue::from_str(&s).ok()) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// Before a page: an error in the address that this site did not sign is taken out of it.
pub async fn drop_unsigned_form_errors(State(app): State<AppState>, request: Request, next: Next) -> Response<Body> {
    next.run(unsigned_errors_dropped(&app, request).await).await
}

/// `request` with any error in its address that this site did not sign taken out (for the
/// page routes, which call it before they render, so the kept pages need no extra layer).
pub async fn unsigned_errors_dropped(app: &AppState, mut request: Request) -> Request {
    // Cheap first: a key of ours starts with `__`, written plainly or percent-escaped.
    let carries = request.uri().query().is_some_and(|q| q.contains("__") || q.contains("%5F") || q.contains("%5f"));
    if !carries {
        return request;
    }
    let pairs = pairs(request.uri());
    if pairs.iter().any(|(k, _)| [PATH, ERR, SIG].contains(&k.as_str())) {
        let genuine = match app.secret(SiteSecret::FormErrors).await {
            Ok(key) => is_signed(&key, &pairs),
            Err(_) => false,
        };
        if !genuine {
            if let Some(uri) = without_form_error(request.uri()) {
                *request.uri_mut() = uri;
            }
        }
    }
    request
}

/// The address's query as decoded pairs (none if it does not parse).
fn pairs(uri: &Uri) -> Vec<(String, String)> {
    Query::<Vec<(String, String)>>::try_from_uri(uri).map(|q| q.0).unwrap_or_default()
}

/// The only value of `name` among `pairs`; `None` when missing or given more than once.
fn only<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let mut found = pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

fn signature(key: &[u8; 32], path: &str, err: &str) -> [u8; 32] {
    let mut message = Vec::with_capacity(path.len() + err.len() + 1);
    message.extend_from_slice(path.as_bytes());
    message.push(0);
    message.extend_from_slice(err.as_bytes());
    hmac_sha256(key, &message)
}

/// `location` with the signature of its error added, before any `#fragment`.
fn signed_location(key: &[u8; 32], location: &str) -> Option<String> {
    let (before, fragment) = match location.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (location, None),
    };
    let pairs = pairs(&before.parse::<Uri>().ok()?);
    let (path, err) = (only(&pairs, PATH)?, only(&pairs, ERR)?);
    let sig = crate::server::identity::hex(&signature(key, path, err));
    let mut out = format!("{before}&{SIG}={sig}");
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    Some(out)
}

/// Whether `pairs` hold one error, one path and this site's signature of them.
fn is_signed(key: &[u8; 32], pairs: &[(String, String)]) -> bool {
    let (Some(path), Some(err), Some(sig)) = (only(pairs, PATH), only(pairs, ERR), only(pairs, SIG)) else {
        return false;
    };
    let Some(given) = crate::server::identity::unhex(sig) else { return false };
    same_bytes(&given, &signature(key, path, err))
}

/// The address without `__path`, `__err` and `__sig` (the rest as it was written).
fn without_form_error(uri: &Uri) -> Option<Uri> {
    let query = uri.query()?;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|part| {
            let key = pairs(&format!("/?{part}").parse().unwrap_or_default()).into_iter().next().map(|(k, _)| k);
            !key.is_some_and(|k| [PATH, ERR, SIG].contains(&k.as_str()))
        })
        .collect();
    let rebuilt = if kept.is_empty() { uri.path().to_owned() } else { format!("{}?{}", uri.path(), kept.join("&")) };
    rebuilt.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_location_verifies_and_any_change_does_not() {
        let key = [7u8; 32];
        let location = "http://127.0.0.1:3000/login?__path=%2Fapi%2Flogin&__err=eyJlIjoxfQ%3D%3D#form";
        let signed = signed_location(&key, location).expect("signed");
        assert!(signed.ends_with("#form") && signed.contains("&__sig="), "{signed}");
        let uri: Uri = signed.split('#').next().expect("before").parse().expect("uri");
        assert!(is_signed(&key, &pairs(&uri)));
        assert!(!is_signed(&[8u8; 32], &pairs(&uri)), "another key");
        let altered: Uri = uri.to_string().replace("eyJlIjoxfQ", "eyJlIjoyfQ").parse().expect("uri");
        assert!(!is_signed(&key, &pairs(&altered)), "another error");
        let doubled: Uri = format!("{uri}&__err=eA%3D%3D").parse().expect("uri");
        assert!(!is_signed(&key, &pairs(&doubled)), "a second error beside the signed one");
    }

    #[test]
    fn an_unsigned_error_is_taken_out_and_the_rest_kept() {
        let uri: Uri = "/login?next=%2Faccount&__path=%2Fapi%2Flogin&%5F%5Ferr=abc&__sig=00".parse().expect("uri");
        assert_eq!(without_form_error(&uri).expect("uri").to_string(), "/login?next=%2Faccount");
        let only_error: Uri = "/account?__err=abc".parse().expect("uri");
        assert_eq!(without_form_error(&only_error).expect("uri").to_string(), "/account");
    }
}
