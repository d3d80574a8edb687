//! Fetching a picture named by an outside URL (CSV imports), without letting the URL reach
//! anything but the public internet.
//!
//! Only `http` and `https`; the host is resolved here and every address it resolves to must
//! be public (loopback, private, link-local, multicast, unspecified, shared, documentation
//! and other reserved ranges are refused, IPv4 inside IPv6 included); the connection then
//! goes to exactly the addresses checked (no second lookup an attacker could answer
//! differently). Redirects are followed by hand, at most [`MAX_REDIRECTS`], each target
//! checked the same way. The body is read up to the size limit, the whole within a timeout.

use bytes::Bytes;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use url::{Host, Url};

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 3;

/// Why a URL's picture was not fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("not a valid http or https URL")]
    BadUrl,
    #[error("only http and https URLs are fetched")]
    NotHttp,
    #[error("the host does not resolve")]
    Unresolved,
    #[error("the URL leads to a non-public address ({0})")]
    NonPublicAddress(IpAddr),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("the server answered {0}")]
    Status(u16),
    #[error("the file is larger than {0} bytes")]
    TooLarge(usize),
    #[error("no complete answer within the time limit")]
    Timeout,
    #[error("the request failed: {0}")]
    Http(String),
}

/// Fetches pictures by URL.
#[derive(Debug, Clone)]
pub struct Fetcher {
    max_bytes: usize,
    timeout: Duration,
    allow_loopback: bool,
}

impl Fetcher {
    pub fn new(max_bytes: usize, timeout: Duration) -> Self {
        Self {
            max_bytes,
            timeout,
            allow_loopback: false,
        }
    }

    /// A fetcher that also reaches loopback addresses: for tests whose HTTP server listens
    /// on 127.0.0.1. Nothing in the configuration turns this on; only code can, and only
    /// test code does.
    #[must_use]
    pub fn allowing_loopback_for_tests(mut self) -> Self {
        self.allow_loopback = true;
        self
    }

    fn allowed(&self, ip: IpAddr) -> bool {
        is_public(ip) || (self.allow_loopback && ip.is_loopback())
    }

    /// The body at `url`, at most the size limit.
    pub async fn fetch(&self, url: &str) -> Result<Bytes, FetchError> {
        tokio::time::timeout(self.timeout, self.fetch_within(url))
            .await
            .map_err(|_| FetchError::Timeout)?
    }

    async fn fetch_within(&self, url: &str) -> Result<Bytes, FetchError> {
        let mut url = Url::parse(url).map_err(|_| FetchError::BadUrl)?;
        for _ in 0..=MAX_REDIRECTS {
            if !matches!(url.scheme(), "http" | "https") {
                return Err(FetchError::NotHttp);
            }
            let port = url.port_or_known_default().ok_or(FetchError::BadUrl)?;
            let mut builder = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .user_agent("krafto-media");
            match url.host().ok_or(FetchError::BadUrl)? {
                Host::Ipv4(ip) => self.check(&[SocketAddr::new(IpAddr::V4(ip), port)])?,
                Host::Ipv6(ip) => self.check(&[SocketAddr::new(IpAddr::V6(ip), port)])?,
                Host::Domain(domain) => {
                    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((domain, port))
                        .await
                        .map_err(|_| FetchError::Unresolved)?
                        .collect();
                    self.check(&addrs)?;
                    builder = builder.resolve_to_addrs(domain, &addrs);
                }
            }
            let client = builder
                .build()
                .map_err(|e| FetchError::Http(e.to_string()))?;
            let mut resp = client
                .get(url.clone())
                .send()
                .await
                .map_err(|e| FetchError::Http(e.without_url().to_string()))?;
            let status = resp.status();
            if status.is_redirection() {
                let location = resp
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or(FetchError::Status(status.as_u16()))?;
                url = url.join(location).map_err(|_| FetchError::BadUrl)?;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Status(status.as_u16()));
            }
            if resp
                .content_length()
                .is_some_and(|n| n > self.max_bytes as u64)
            {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
            let mut body = Vec::new();
            while let Some(chunk) = resp
                .chunk()
                .await
                .map_err(|e| FetchError::Http(e.without_url().to_string()))?
            {
                if body.len() + chunk.len() > self.max_bytes {
                    return Err(FetchError::TooLarge(self.max_bytes));
                }
                body.extend_from_slice(&chunk);
            }
            return Ok(Bytes::from(body));
        }
        Err(FetchError::TooManyRedirects)
    }

    fn check(&self, addrs: &[SocketAddr]) -> Result<(), FetchError> {
        if addrs.is_empty() {
            return Err(FetchError::Unresolved);
        }
        match addrs.iter().find(|a| !self.allowed(a.ip())) {
            Some(bad) => Err(FetchError::NonPublicAddress(bad.ip())),
            None => Ok(()),
        }
    }
}

/// Whether an address is on the public internet (not loopback, private, link-local,
/// multicast, unspecified, shared, documentation, benchmarking or reserved).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            // NAT64 (64:ff9b::/96) carries an IPv4 address.
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                let [a, b] = s[6].to_be_bytes();
                let [c, d] = s[7].to_be_bytes();
                return is_public_v4(Ipv4Addr::new(a, b, c, d));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || s[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible, ::/96
                || v6 == Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0))
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn only_public_addresses_are_public() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "224.0.0.1",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(!is_public(ip(s)), "{s} counted as public");
        }
        for s in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip(s)), "{s} counted as non-public");
        }
    }

    #[tokio::test]
    async fn loopback_private_and_non_http_urls_are_refused_without_a_request() {
        let f = Fetcher::new(1 << 20, Duration::from_secs(5));
        assert_eq!(
            f.fetch("http://127.0.0.1:9/x.jpg").await.unwrap_err(),
            FetchError::NonPublicAddress(ip("127.0.0.1"))
        );
        assert_eq!(
            f.fetch("http://localhost:9/x.jpg").await.unwrap_err(),
            FetchError::NonPublicAddress(ip("127.0.0.1"))
        );
        assert_eq!(
            f.fetch("http://[::1]:9/x.jpg").await.unwrap_err(),
            FetchError::NonPublicAddress(ip("::1"))
        );
        assert_eq!(
            f.fetch("http://169.254.169.254/latest/meta-data")
                .await
                .unwrap_err(),
            FetchError::NonPublicAddress(ip("169.254.169.254"))
        );
        assert_eq!(
            f.fetch("file:///etc/passwd").await.unwrap_err(),
            FetchError::NotHttp
        );
        assert_eq!(
            f.fetch("ftp://example.com/x.jpg").await.unwrap_err(),
            FetchError::NotHttp
        );
        assert_eq!(f.fetch("not a url").await.unwrap_err(), FetchError::BadUrl);
    }
}
