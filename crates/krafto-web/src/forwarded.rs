//! The client's address behind trusted proxies.
//!
//! Every proxy appends the address it received the request from to `X-Forwarded-For`, so
//! only the entries at the right end were written by proxies we trust; anything to their
//! left was written by the client and may be anything. With `hops` trusted proxies in front
//! of the server, the client is the `hops`-th entry from the right: the address the
//! outermost trusted proxy saw.

use std::net::IpAddr;

/// The client address of `req` behind `hops` trusted proxies, as text (rate limits count by
/// it).
pub fn request_client_ip(req: &poem::Request, hops: usize) -> Option<String> {
    let peer = req.remote_addr().as_socket_addr().map(|a| a.ip());
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok());
    client_ip(peer, forwarded, hops).map(|ip| ip.to_string())
}

/// The client address of a request that came from `peer`, given its `X-Forwarded-For`
/// values (in order; several headers make one list) and the number of trusted proxies in
/// front of this server (`0`: none, the peer is the client).
///
/// With fewer entries than `hops`, the request passed fewer proxies than configured (it
/// skipped an outer one) and every entry is a trusted proxy's: the leftmost is the client.
/// An entry that is not an address is not trusted: the peer is answered.
pub fn client_ip<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    hops: usize,
) -> Option<IpAddr> {
    if hops == 0 {
        return peer;
    }
    let entries: Vec<&str> = forwarded_for
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let Some(entry) = entries
        .len()
        .checked_sub(hops)
        .map_or(entries.first(), |i| entries.get(i))
    else {
        return peer;
    };
    parse_entry(entry).or(peer)
}

/// `192.0.2.1`, `192.0.2.1:443`, `2001:db8::1`, `[2001:db8::1]:443`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    let host = match entry.strip_prefix('[') {
        Some(rest) => rest.split_once(']')?.0,
        None => entry.rsplit_once(':')?.0,
    };
    host.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn the_client_is_the_entry_the_outermost_trusted_proxy_appended() {
        let peer = ip("10.1.1.1");
        // Not trusting: the peer, whatever the header says.
        assert_eq!(client_ip(peer, ["192.0.2.9"], 0), peer);
        // One proxy: the rightmost entry, not the client-written ones before it.
        assert_eq!(
            client_ip(peer, ["198.51.100.1, 192.0.2.7"], 1),
            ip("192.0.2.7")
        );
        // Two proxies (a CDN, then the ingress): the second from the right.
        assert_eq!(
            client_ip(peer, ["198.51.100.1, 192.0.2.7, 10.2.2.2"], 2),
            ip("192.0.2.7")
        );
        // Several headers are one list.
        assert_eq!(
            client_ip(peer, ["198.51.100.1", "192.0.2.7, 10.2.2.2"], 2),
            ip("192.0.2.7")
        );
        // Fewer entries than proxies: all are trusted, the leftmost is the client.
        assert_eq!(client_ip(peer, ["192.0.2.7"], 2), ip("192.0.2.7"));
        // No header: the peer.
        assert_eq!(client_ip(peer, [], 1), peer);
        // Ports and IPv6.
        assert_eq!(client_ip(peer, ["192.0.2.7:5555"], 1), ip("192.0.2.7"));
        assert_eq!(client_ip(peer, ["[2001:db8::1]:443"], 1), ip("2001:db8::1"));
        assert_eq!(client_ip(peer, ["2001:db8::1"], 1), ip("2001:db8::1"));
        // Garbage where the trusted entry should be: the peer.
        assert_eq!(client_ip(peer, ["192.0.2.7, unknown"], 1), peer);
    }
}
