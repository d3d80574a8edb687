//! Host names: normalising the `Host` header and validating custom domains.

use crate::Invalid;
use std::fmt;

/// Normalises a raw `Host` header value: lowercase, port and trailing dot removed.
/// Returns `None` for values that cannot name a marketplace (IP literals, empty, junk).
pub fn normalize_host(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.starts_with('[') {
        return None; // IPv6 literal: never a marketplace
    }
    let without_port = match raw.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return None,
        None => raw,
    };
    let host = without_port.trim_end_matches('.').to_ascii_lowercase();
    HostName::parse(&host).ok().map(HostName::into_string)
}

/// A fully qualified DNS name such as `lyon.krafto.example` or `marche-lyon.fr`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostName(String);

impl HostName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().trim_end_matches('.').to_ascii_lowercase();
        if s.is_empty() || s.len() > 253 {
            return Err(Invalid::new(
                "must be a host name of at most 253 characters",
            ));
        }
        let labels_ok = s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if !labels_ok {
            return Err(Invalid::new(
                "must be a host name like shop.example.com (letters, digits, hyphens, dots)",
            ));
        }
        if s.split('.').all(|l| l.bytes().all(|b| b.is_ascii_digit())) {
            return Err(Invalid::new("must be a host name, not an IP address"));
        }
        Ok(Self(s))
    }

    /// A custom domain must have at least two labels (`example.com`).
    pub fn parse_custom_domain(raw: &str) -> Result<Self, Invalid> {
        let host = Self::parse(raw)?;
        if !host.0.contains('.') {
            return Err(Invalid::new(
                "must be a fully qualified domain like shop.example.com",
            ));
        }
        Ok(host)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The slug this host names under `base_domain` (`lyon.krafto.example` → `lyon`), if it
    /// is exactly one label below it.
    pub fn slug_under<'a>(&'a self, base_domain: &str) -> Option<&'a str> {
        let prefix = self.0.strip_suffix(base_domain)?.strip_suffix('.')?;
        (!prefix.is_empty() && !prefix.contains('.')).then_some(prefix)
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_is_lowercased_and_loses_port_and_trailing_dot() {
        assert_eq!(
            normalize_host("Lyon.Krafto.Example:8080").as_deref(),
            Some("lyon.krafto.example")
        );
        assert_eq!(
            normalize_host("lyon.krafto.example.").as_deref(),
            Some("lyon.krafto.example")
        );
        assert_eq!(normalize_host("[::1]:8080"), None);
        assert_eq!(normalize_host("127.0.0.1:8080"), None);
        assert_eq!(normalize_host("bad host"), None);
        assert_eq!(normalize_host("lyon.localhost:abc"), None);
    }

    #[test]
    fn slug_is_one_label_below_the_base_domain() {
        let h = HostName::parse("lyon.krafto.example").unwrap();
        assert_eq!(h.slug_under("krafto.example"), Some("lyon"));
        assert_eq!(h.slug_under("example"), None);
        let deep = HostName::parse("a.lyon.krafto.example").unwrap();
        assert_eq!(deep.slug_under("krafto.example"), None);
        let other = HostName::parse("xkrafto.example").unwrap();
        assert_eq!(other.slug_under("krafto.example"), None);
    }

    #[test]
    fn custom_domains_need_two_labels() {
        assert!(HostName::parse_custom_domain("marche-lyon.fr").is_ok());
        assert!(HostName::parse_custom_domain("localhost").is_err());
        assert!(HostName::parse_custom_domain("-bad.fr").is_err());
    }
}
