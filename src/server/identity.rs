//! Identity: a random token in an HttpOnly cookie; the store only ever sees its hash. The
//! token is either an anonymous identity (its hash is the identity key) or a signed-in
//! session (its hash finds the session, which names the account's identity).

use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The cookie that carries a browser's identity token on a plain-http site.
pub const COOKIE_NAME: &str = "backroad_id";
/// Its name on an https site. Browsers keep a `__Host-` cookie only when it is `Secure`,
/// `Path=/` and has no `Domain`, so no other subdomain and no plain-http page can plant or
/// overwrite it (cookie tossing).
pub const SECURE_COOKIE_NAME: &str = "__Host-backroad_id";
/// Random bytes in a token (256 bits).
const TOKEN_BYTES: usize = 32;
/// How long the browser keeps an anonymous identity: 400 days, the longest browsers honour.
pub const COOKIE_MAX_AGE_SECS: u64 = 400 * 24 * 60 * 60;
/// How long a session lasts after signing in: 90 days (then sign in again).
pub const SESSION_MAX_AGE_SECS: u64 = 90 * 24 * 60 * 60;
/// A session not used for this long (30 days) has ended, whatever its age.
pub const SESSION_IDLE_SECS: u64 = 30 * 24 * 60 * 60;

/// A token as the browser holds it (64 hex characters). Never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// What the store keys a person's data by: SHA-256 of their token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IdentityKey(pub [u8; 32]);

/// What the store keys a session by: SHA-256 of the session's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionKey(pub [u8; 32]);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Token {
    /// A fresh random token from the operating system's generator.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut bytes)?;
        Ok(Token(hex(&bytes)))
    }

    /// Accepts only the exact shape we hand out; anything else is as if there were no cookie.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = raw.len() == TOKEN_BYTES * 2 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        ok.then(|| Token(raw.to_owned()))
    }

    pub fn key(&self) -> IdentityKey {
        IdentityKey(Sha256::digest(self.0.as_bytes()).into())
    }

    /// The same hash, read as a session's key.
    pub fn session_key(&self) -> SessionKey {
        SessionKey(self.key().0)
    }

    /// The `Set-Cookie` value that hands this token to the browser as an anonymous identity.
    pub fn set_cookie(&self, secure: bool) -> String {
        cookie(&self.0, COOKIE_MAX_AGE_SECS, secure)
    }

    /// The `Set-Cookie` value that hands this token to the browser as a session.
    pub fn set_session_cookie(&self, secure: bool) -> String {
        cookie(&self.0, SESSION_MAX_AGE_SECS, secure)
    }
}

/// The `Set-Cookie` value that makes the browser forget its identity (sign out).
pub fn clear_cookie(secure: bool) -> String {
    cookie("", 0, secure)
}

/// The `Set-Cookie` value that removes the plain-http name, once the https one is handed out.
pub fn clear_plain_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

/// The identity cookie's name: `__Host-` on an https site.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

fn cookie(value: &str, max_age: u64, secure: bool) -> String {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// The value of the cookie `name` among a request's `Cookie` headers.
pub fn cookie_value<'a>(headers: impl IntoIterator<Item = &'a http::HeaderValue>, name: &str) -> Option<&'a str> {
    headers
        .into_iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim())
}

/// Finds our token among the `Cookie` headers of a request: the `__Host-` one first, else
/// the plain-http name (what a site that moved to https handed out before).
pub fn token_from_cookies<'a>(headers: impl IntoIterator<Item = &'a http::HeaderValue>) -> Option<Token> {
    let headers: Vec<&http::HeaderValue> = headers.into_iter().collect();
    cookie_value(headers.iter().copied(), SECURE_COOKIE_NAME)
        .and_then(Token::parse)
        .or_else(|| cookie_value(headers.iter().copied(), COOKIE_NAME).and_then(Token::parse))
}

/// Whether the request's token came under the plain-http name (on an https site it is
/// handed out again under the `__Host-` one, and the plain one removed).
pub fn token_under_plain_name<'a>(headers: impl IntoIterator<Item = &'a http::HeaderValue>) -> bool {
    let headers: Vec<&http::HeaderValue> = headers.into_iter().collect();
    cookie_value(headers.iter().copied(), SECURE_COOKIE_NAME).and_then(Token::parse).is_none()
        && cookie_value(headers.iter().copied(), COOKIE_NAME).and_then(Token::parse).is_some()
}

/// `n` random bytes as lowercase hex, e.g. for request ids. Falls back to the clock if the
/// system generator fails, since an id that is merely unlikely to repeat is still useful.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (nanos >> ((i % 16) * 8)) as u8;
        }
    }
    hex(&bytes)
}

/// 64 hex characters as 32 bytes; anything else is `None`.
pub fn unhex(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if s.len() != 64 {
        return None;
    }
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = u8::from_str_radix(s.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Whether two byte strings are equal, looking at every byte whatever the first difference
/// (for signatures, so the time taken says nothing about how much of one was right).
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// HMAC-SHA256 (RFC 2104) with a 32-byte key.
pub fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut padded = [0u8; BLOCK];
    padded[..32].copy_from_slice(key);
    let inner_key: Vec<u8> = padded.iter().map(|b| b ^ 0x36).collect();
    let outer_key: Vec<u8> = padded.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new().chain_update(&inner_key).chain_update(message).finalize();
    Sha256::new().chain_update(&outer_key).chain_update(inner).finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 1 of RFC 4231 uses a 20-byte key; padded with zeros to 32 it is the same key.
        let mut key = [0u8; 32];
        key[..20].copy_from_slice(&[0x0b; 20]);
        assert_eq!(
            hex(&hmac_sha256(&key, b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
    }

    use http::HeaderValue;

    #[test]
    fn tokens_are_random_256_bit_hex() {
        let a = Token::generate().expect("test setup");
        let b = Token::generate().expect("test setup");
        assert_ne!(a, b);
        assert_eq!(a.0.len(), 64);
        assert!(Token::parse(&a.0).is_some());
    }

    #[test]
    fn the_key_is_a_hash_not_the_token() {
        let t = Token::generate().expect("test setup");
        let key = t.key();
        assert_ne!(hex(&key.0), t.0);
        assert_eq!(key, Token::parse(&t.0).expect("test setup").key());
    }

    #[test]
    fn cookie_is_httponly_lax_and_site_wide() {
        let c = Token::generate().expect("test setup").set_cookie(false);
        assert!(c.starts_with("backroad_id="));
        for part in ["; Path=/", "; HttpOnly", "; SameSite=Lax", "; Max-Age="] {
            assert!(c.contains(part), "{c}");
        }
        assert!(!c.contains("Secure"));
        let secure = Token::generate().expect("test setup").set_cookie(true);
        assert!(secure.starts_with("__Host-backroad_id=") && secure.ends_with("; Secure"), "{secure}");
        assert!(!secure.contains("Domain"), "a __Host- cookie has no Domain");
    }

    #[test]
    fn the_host_cookie_wins_over_the_plain_one() {
        let (new, old) = (Token::generate().expect("test setup"), Token::generate().expect("test setup"));
        let both =
            HeaderValue::from_str(&format!("backroad_id={}; __Host-backroad_id={}", old.0, new.0)).expect("setup");
        assert_eq!(token_from_cookies([&both]), Some(new));
        assert!(!token_under_plain_name([&both]));
        let plain = HeaderValue::from_str(&format!("backroad_id={}", old.0)).expect("test setup");
        assert_eq!(token_from_cookies([&plain]), Some(old));
        assert!(token_under_plain_name([&plain]));
    }

    #[test]
    fn finds_the_token_among_other_cookies() {
        let t = Token::generate().expect("test setup");
        let header = HeaderValue::from_str(&format!("theme=dark; backroad_id={}; x=1", t.0)).expect("test setup");
        assert_eq!(token_from_cookies([&header]), Some(t));
    }

    #[test]
    fn ignores_malformed_tokens() {
        for bad in ["backroad_id=abc", "backroad_id=", "other=1", "backroad_id=ZZ"] {
            let header = HeaderValue::from_str(bad).expect("test setup");
            assert_eq!(token_from_cookies([&header]), None, "{bad}");
        }
        let upper = format!("backroad_id={}", "A".repeat(64));
        assert_eq!(token_from_cookies([&HeaderValue::from_str(&upper).expect("test setup")]), None);
    }
}
