//! The limits around sign-up and sign-in, counted where every app server sees the same
//! counts (`store::Attempts`: the database when it is shared, memory on sled).

use crate::error::AppError;
use crate::server::store::attempts::retry_after_secs;
use crate::server::store::Limit;
use std::time::Duration;

/// Sign-in and sign-up attempts from one client address.
pub const PER_CLIENT: Limit = Limit { name: "client", max: 20, window: Duration::from_secs(10 * 60) };
/// Failed sign-ins for one username from one client address: someone elsewhere guessing
/// cannot lock the owner out.
pub const PER_USERNAME_CLIENT: Limit = Limit { name: "username", max: 5, window: Duration::from_secs(15 * 60) };
/// Failed sign-ins for one username from everywhere: guessing spread over many addresses
/// is still slowed down, far above what the owner's typos reach.
pub const PER_USERNAME_ALL: Limit = Limit { name: "username_all", max: 100, window: Duration::from_secs(15 * 60) };
/// Failed sign-ins from one browser that signed in to the account before (its device
/// cookie, `known_devices`): such a browser is not held back by the limits above, so it
/// gets this count of its own (a stolen cookie is no way around guessing).
pub const PER_KNOWN_DEVICE: Limit = Limit { name: "known_device", max: 5, window: Duration::from_secs(15 * 60) };
/// Wrong current passwords when a signed-in person changes theirs: its own count, so failed
/// sign-ins by others never block it.
pub const PER_PASSWORD_CHANGE: Limit = Limit { name: "password_change", max: 5, window: Duration::from_secs(15 * 60) };

/// The key a client address is counted under: an IPv4 address whole, an IPv6 address by
/// its /64 (one household or server gets a whole /64, so counting single addresses would
/// let one client take billions of turns); an IPv4 address mapped into IPv6 as IPv4.
pub fn client_key(addr: std::net::IpAddr) -> String {
    match addr {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The key failed sign-ins are counted under, for one username from one client.
pub fn username_at(username: &str, client: &str) -> String {
    format!("{username} {client}")
}

/// The 429 a person gets, with how long to wait.
pub fn too_many(wait: Duration, what: &str) -> AppError {
    let secs = retry_after_secs(wait);
    let minutes = secs.div_ceil(60);
    AppError::TooManyRequests {
        message: format!("Too many {what}. Wait {minutes} minute(s) and try again."),
        retry_after: secs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_by_their_64_and_mapped_ipv4_as_ipv4() {
        let key = |s: &str| client_key(s.parse().expect("an address"));
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:ffff:1:2:3"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(key("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(key("192.0.2.7"), "192.0.2.7");
    }
}
