//! "This browser signed in to this account before" (OWASP's device cookies): after a
//! successful sign-in the browser gets a cookie naming a random device id and a signature
//! of it with the username (HMAC under the store's `known_devices` secret; the username is
//! not in the cookie). When a username is under attack (its failed sign-ins hit a limit),
//! a browser without the cookie must wait; one with it is only slowed down and gets its own
//! count of failures, so someone guessing elsewhere cannot lock the owner out.

use crate::server::identity::{hex, hmac_sha256, same_bytes, unhex};
use std::time::Duration;

/// How long a known device waits before its password is checked while the username is
/// under attack.
pub const SLOWED_BY: Duration = Duration::from_secs(2);

/// A device's mark: its random id, as the cookie carries it with its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceMark {
    pub id: String,
    pub cookie_value: String,
}

fn signature(key: &[u8; 32], username: &str, id: &str) -> [u8; 32] {
    hmac_sha256(key, format!("{username}\0{id}").as_bytes())
}

/// A new mark for `username` on this device (or the same id again, re-signed).
pub fn issue(key: &[u8; 32], username: &str, keep_id: Option<&str>) -> DeviceMark {
    let id = match keep_id {
        Some(id) => id.to_owned(),
        None => crate::server::identity::random_hex(16),
    };
    let cookie_value = format!("{id}.{}", hex(&signature(key, username, &id)));
    DeviceMark { id, cookie_value }
}

/// The device id in `cookie_value` if this site signed it for `username`.
pub fn recognise(key: &[u8; 32], username: &str, cookie_value: &str) -> Option<String> {
    let (id, sig) = cookie_value.split_once('.')?;
    let ok_id = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    let given = unhex(sig)?;
    (ok_id && same_bytes(&given, &signature(key, username, id))).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_is_recognised_only_for_its_username_and_key() {
        let key = [3u8; 32];
        let mark = issue(&key, "ada", None);
        assert_eq!(recognise(&key, "ada", &mark.cookie_value).as_deref(), Some(mark.id.as_str()));
        assert_eq!(recognise(&key, "bob", &mark.cookie_value), None, "another username");
        assert_eq!(recognise(&[4u8; 32], "ada", &mark.cookie_value), None, "another site");
        assert_eq!(recognise(&key, "ada", "0123.abcd"), None, "made up");
        assert!(!mark.cookie_value.contains("ada"), "the username is not in the cookie");
        assert_eq!(issue(&key, "ada", Some(&mark.id)), mark, "re-signing keeps the id");
    }
}
