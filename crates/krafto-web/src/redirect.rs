//! Where a page may send a person after an action (`next` after signing in): only a path of
//! the same host, checked after normalisation, so that no value can make a redirect leave the
//! site (an open redirect).
//!
//! Browsers forgive a lot in a `Location`: they read `\` as `/` (`/\evil.example` is
//! `//evil.example`, another host), drop tabs and newlines anywhere (`/<TAB>/evil.example`),
//! and a value may arrive percent-encoded once more than expected. So the value is refused,
//! never repaired, when its raw form or any of its percent-decoded forms holds a backslash,
//! a `//`, whitespace or a control character, or when it does not start with one `/`.

use percent_encoding::percent_decode_str;

/// Longest path followed (a sign-in `next` is a page of the site, never a document).
const MAX_LEN: usize = 2048;

/// How many times a value is percent-decoded while looking for a hidden `//` or `\`.
const DECODE_ROUNDS: usize = 3;

/// `next` when it is an absolute path of this host that no browser reads as another host;
/// `None` otherwise.
pub fn local_path(next: &str) -> Option<&str> {
    if next.len() > MAX_LEN || !next.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let mut form = next.to_owned();
    for _ in 0..=DECODE_ROUNDS {
        if !safe_form(&form) {
            return None;
        }
        let decoded = percent_decode_str(&form).decode_utf8_lossy().into_owned();
        if decoded == form {
            return Some(next);
        }
        form = decoded;
    }
    // Encoded more times than any page of ours does: not a link we made.
    None
}

/// One form of the value: a single leading `/`, then no `//`, no `\`, no whitespace or
/// control character (a scheme cannot come before the leading `/`).
fn safe_form(s: &str) -> bool {
    s.starts_with('/')
        && !s.contains("//")
        && !s.contains('\\')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\u{FEFF}')
}

/// `next` when safe (see [`local_path`]), `fallback` otherwise.
pub fn local_path_or(next: &str, fallback: &str) -> String {
    local_path(next).unwrap_or(fallback).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_site_are_followed_as_they_are() {
        for ok in [
            "/",
            "/my/orders",
            "/sell?done=opened",
            "/admin/orders/A-1042",
            "/search?q=bol+bleu&sort=new",
            "/shops/caf%C3%A9",
            "/listings/1#reviews",
        ] {
            assert_eq!(local_path(ok), Some(ok), "{ok}");
        }
    }

    #[test]
    fn what_probing_found_and_its_relatives_are_refused() {
        for bad in [
            // Found by probing: a backslash, a tab inside the path.
            "/\\evil.example",
            "/\t/evil.example",
            "/\\/evil.example",
            "\\/evil.example",
            // Another host, written or encoded.
            "//evil.example",
            "///evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%252F%252Fevil.example",
            "/%09/evil.example",
            "/%0A/evil.example",
            "/%0d%0a/evil.example",
            "/%00",
            "/%20/evil.example",
            "/%E2%80%8B/x%0b",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/\u{0}",
            "/\u{7f}",
            "/caf\u{e9}",
            "/a//b",
            // Not a path.
            "",
            "evil.example",
            "https://evil.example/",
            "http:/evil.example",
            "javascript:alert(1)",
            "data:text/html,x",
            " /my/orders",
            "./my/orders",
            "?next=/",
            "#top",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_value_encoded_more_than_any_link_of_ours_is_refused() {
        let mut v = "/x%2Fy".to_owned();
        for _ in 0..DECODE_ROUNDS + 1 {
            v = v.replace('%', "%25");
        }
        assert_eq!(local_path(&v), None, "{v}");
        assert_eq!(local_path("/x%25y"), Some("/x%25y"));
        assert_eq!(local_path(&"/a".repeat(MAX_LEN)), None);
    }

    #[test]
    fn a_refused_value_falls_back() {
        assert_eq!(local_path_or("/\\evil.example", "/my/orders"), "/my/orders");
        assert_eq!(local_path_or("/sell", "/my/orders"), "/sell");
    }
}
