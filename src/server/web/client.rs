//! Who the client of a request is, for limits and logs: its address, or behind a trusted
//! reverse proxy the address the proxy names, as the key limits count it under.

use crate::server::services::limits::client_key;
use std::net::IpAddr;

/// The key a request's client is counted under (`limits::client_key`: IPv6 by /64), from
/// its headers and connection info; `unknown` without connection info (in-process tests).
/// `context::caller_address` is the same inside Leptos' context.
pub fn client_key_of(headers: &http::HeaderMap, extensions: &http::Extensions, proxies: &[IpAddr]) -> String {
    let Some(peer) = extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip()) else {
        return "unknown".to_owned();
    };
    let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    if proxies.is_empty() && peer.is_loopback() && !forwarded.is_empty() {
        warn_untrusted_proxy_once(peer);
    }
    client_key(client_address(peer, &forwarded, proxies))
}

/// Says once per process that a local reverse proxy forwards requests without being trusted:
/// then every visitor counts as the proxy's one address against every limit.
fn warn_untrusted_proxy_once(peer: IpAddr) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            "requests from {peer} carry X-Forwarded-For but no trusted-proxies are set: every visitor \
             through that proxy counts as {peer} against the limits (new identities, sign-in). \
             Set BACKROAD_TRUSTED_PROXIES={peer} if it is your reverse proxy."
        );
    }
}

/// Who the client is: the connection's peer, unless the peer is a trusted proxy; then the
/// right-most address of `X-Forwarded-For` that is not a trusted proxy (each proxy appends
/// the address it saw, so anything further left may be made up by the client).
pub fn client_address(peer: IpAddr, forwarded: &[&str], trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops = forwarded.iter().flat_map(|h| h.split(',')).map(str::trim).collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            // A hop we cannot read: the chain is not to be believed beyond it.
            Err(_) => return peer,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy_and_only_its_own_hop() {
        let proxy = [ip("10.0.0.2")];
        // No trusted proxy: the header is whatever the client wrote.
        assert_eq!(client_address(ip("203.0.113.9"), &["198.51.100.1"], &[]), ip("203.0.113.9"));
        assert_eq!(client_address(ip("203.0.113.9"), &["198.51.100.1"], &proxy), ip("203.0.113.9"));
        // Through the proxy: the address it appended, not what the client put before it.
        assert_eq!(client_address(ip("10.0.0.2"), &["1.2.3.4, 198.51.100.1"], &proxy), ip("198.51.100.1"));
        assert_eq!(client_address(ip("10.0.0.2"), &["1.2.3.4", "198.51.100.1, 10.0.0.2"], &proxy), ip("198.51.100.1"));
        // A hop that is not an address ends the trust: the proxy itself is counted.
        assert_eq!(client_address(ip("10.0.0.2"), &["junk"], &proxy), ip("10.0.0.2"));
        assert_eq!(client_address(ip("10.0.0.2"), &[], &proxy), ip("10.0.0.2"));
    }
}
