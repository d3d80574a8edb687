//! Validated text newtypes: slugs, e-mail addresses, colours, currencies, locales, URLs.

use crate::Invalid;
use std::fmt;

macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// A URL-safe identifier: lowercase ASCII letters, digits and single hyphens, 2–63 chars,
/// starting and ending with a letter or digit. Usable as a DNS label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);
string_newtype!(Slug);

/// Labels that would collide with infrastructure hosts.
const RESERVED_SLUGS: &[&str] = &[
    "www", "api", "admin", "control", "app", "mail", "static", "assets", "docs", "status",
];

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.len() < 2 || s.len() > 63 {
            return Err(Invalid::new("must be 2 to 63 characters long"));
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(Invalid::new(
                "may only contain lowercase letters a-z, digits and hyphens",
            ));
        }
        if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(Invalid::new(
                "must start and end with a letter or digit and not contain `--`",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// Like [`Slug::parse`] but also refuses names reserved for infrastructure hosts.
    pub fn parse_tenant(raw: &str) -> Result<Self, Invalid> {
        let slug = Self::parse(raw)?;
        if RESERVED_SLUGS.contains(&slug.as_str()) {
            return Err(Invalid::new(format!("`{slug}` is reserved")));
        }
        Ok(slug)
    }

    /// Derives a slug from a display name: `Céramique & Co` → `ceramique-co`.
    pub fn from_name(name: &str) -> Result<Self, Invalid> {
        let mut out = String::with_capacity(name.len());
        for c in name.chars().flat_map(fold_accent) {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_matches('-').chars().take(63).collect();
        Self::parse(trimmed.trim_end_matches('-'))
    }
}

fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ÿ' | 'ý' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        'ß' => "ss",
        _ => "",
    };
    let own = if folded.is_empty() { Some(c) } else { None };
    folded.chars().chain(own)
}

/// An e-mail address, trimmed and lowercased. Deliberately permissive in the local part
/// (real addresses are odd) but strict on shape and length.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);
string_newtype!(Email);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(Invalid::new("is required"));
        }
        if s.len() > 254 {
            return Err(Invalid::new("must be at most 254 characters"));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(Invalid::new("must look like name@example.com"));
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || local.chars().any(|c| c.is_whitespace() || c.is_control())
            || !domain_ok
        {
            return Err(Invalid::new("must look like name@example.com"));
        }
        Ok(Self(s))
    }
}

/// A colour as `#rrggbb` (lowercased; `#rgb` is expanded).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HexColor(String);
string_newtype!(HexColor);

impl HexColor {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().to_ascii_lowercase();
        let hex = s
            .strip_prefix('#')
            .filter(|h| (h.len() == 6 || h.len() == 3) && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| Invalid::new("must be a hex colour like #1f6feb"))?;
        if hex.len() == 3 {
            let expanded: String = hex.chars().flat_map(|c| [c, c]).collect();
            return Ok(Self(format!("#{expanded}")));
        }
        Ok(Self(s))
    }
}

impl HexColor {
    /// Red, green and blue, 0–255.
    fn rgb(&self) -> [u8; 3] {
        let hex = self.0.trim_start_matches('#');
        let at = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
        [at(0), at(2), at(4)]
    }

    /// WCAG 2 relative luminance.
    fn luminance(&self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.rgb();
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// The WCAG 2 contrast ratio of two colours (1 to 21).
    pub fn contrast(&self, other: &HexColor) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// The same hue darkened just enough to reach `ratio` against `other` (white, say).
    pub fn darkened_to(&self, other: &HexColor, ratio: f64) -> HexColor {
        let [r, g, b] = self.rgb();
        let mut shade = self.clone();
        for step in 1..=100u32 {
            if shade.contrast(other) >= ratio {
                break;
            }
            let keep = 1.0 - f64::from(step) / 100.0;
            let scale = |c: u8| (f64::from(c) * keep).round().clamp(0.0, 255.0) as u8;
            shade = HexColor(format!("#{:02x}{:02x}{:02x}", scale(r), scale(g), scale(b)));
        }
        shade
    }

    /// Refuses a colour that text (or a focus ring) on `background` could not be read
    /// against: under `ratio`, with the measured ratio and a darker shade that passes.
    pub fn readable_on(self, background: &HexColor, ratio: f64) -> Result<Self, Invalid> {
        let measured = self.contrast(background);
        if measured >= ratio {
            return Ok(self);
        }
        Err(Invalid::new(format!(
            "contrast {:.2}:1 with white is under the {ratio}:1 needed to read it; try `{}`",
            (measured * 100.0).floor() / 100.0,
            self.darkened_to(background, ratio).as_str()
        )))
    }

    pub fn white() -> HexColor {
        HexColor("#ffffff".to_owned())
    }
}

/// An ISO 4217 currency code (three uppercase letters) from the set Krafto settles in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Currency(String);
string_newtype!(Currency);

/// Currencies Stripe Connect settles for marketplaces we serve, with their minor-unit
/// exponent. A currency outside this list is refused rather than mispriced.
const CURRENCIES: &[(&str, u8)] = &[
    ("EUR", 2),
    ("USD", 2),
    ("GBP", 2),
    ("CHF", 2),
    ("CAD", 2),
    ("AUD", 2),
    ("SEK", 2),
    ("NOK", 2),
    ("DKK", 2),
    ("PLN", 2),
    ("CZK", 2),
    ("JPY", 0),
];

impl Currency {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().to_ascii_uppercase();
        if CURRENCIES.iter().any(|(code, _)| *code == s) {
            Ok(Self(s))
        } else {
            let known: Vec<&str> = CURRENCIES.iter().map(|(c, _)| *c).collect();
            Err(Invalid::new(format!(
                "unsupported currency `{}` (one of {})",
                raw.trim(),
                known.join(", ")
            )))
        }
    }

    /// Number of decimal places of the minor unit (2 for EUR cents, 0 for JPY).
    pub fn exponent(&self) -> u8 {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map_or(2, |(_, e)| *e)
    }
}

/// A BCP 47 language tag of the simple form `ll` or `ll-RR` (e.g. `fr`, `fr-FR`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Locale(String);
string_newtype!(Locale);

impl Locale {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim().replace('_', "-");
        let mut parts = s.split('-');
        let lang = parts.next().unwrap_or_default();
        let region = parts.next();
        let lang_ok =
            (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_alphabetic());
        let region_ok =
            region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()));
        if !lang_ok || !region_ok || parts.next().is_some() {
            return Err(Invalid::new("must be a language tag like `fr` or `fr-FR`"));
        }
        Ok(Self(match region {
            Some(r) => format!("{}-{}", lang.to_ascii_lowercase(), r.to_ascii_uppercase()),
            None => lang.to_ascii_lowercase(),
        }))
    }
}

/// An absolute `http(s)` URL of at most 2048 characters (logos, images).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WebUrl(String);
string_newtype!(WebUrl);

impl WebUrl {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        if s.len() > 2048 {
            return Err(Invalid::new("must be at most 2048 characters"));
        }
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| Invalid::new("must be an absolute http(s) URL"))?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Invalid::new("must be an absolute http(s) URL"));
        }
        Ok(Self(s.to_owned()))
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters: safe for any query-string
/// key or value.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Checks that free text is non-empty after trimming and at most `max` characters long.
pub fn bounded_text(raw: &str, max: usize) -> Result<String, Invalid> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Invalid::new("must not be empty"));
    }
    if s.chars().count() > max {
        return Err(Invalid::new(format!("must be at most {max} characters")));
    }
    Ok(s.to_owned())
}

/// Optional text: absent or blank is `None`, anything else [`bounded_text`].
pub fn optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => bounded_text(s, max).map(Some),
    }
}

/// One line of text (a name, a title, a tagline): [`bounded_text`] without any control
/// character, so that it can stand in an e-mail header or a page title as it is.
pub fn line_text(raw: &str, max: usize) -> Result<String, Invalid> {
    let s = bounded_text(raw, max)?;
    if s.chars().any(char::is_control) {
        return Err(Invalid::new(
            "must be one line, without line breaks or control characters",
        ));
    }
    Ok(s)
}

/// Optional [`line_text`]: absent or blank is `None`.
pub fn optional_line_text(raw: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => line_text(s, max).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_text_has_no_line_break_or_control_character() {
        assert_eq!(line_text("  Lyon Makers ", 20).unwrap(), "Lyon Makers");
        for bad in [
            "Lyon\r\nBcc: x@example.com",
            "a\nb",
            "a\tb",
            "a\u{0}b",
            "a\u{7f}b",
        ] {
            assert!(line_text(bad, 100).is_err(), "{bad:?}");
        }
        assert_eq!(optional_line_text(Some("  "), 10).unwrap(), None);
        assert!(optional_line_text(Some("a\rb"), 10).is_err());
        // Multi-line text elsewhere keeps its line breaks.
        assert!(bounded_text("a\nb", 10).is_ok());
    }

    #[test]
    fn slugs_are_dns_labels_and_reserved_names_are_refused_for_tenants() {
        assert_eq!(Slug::parse("lyon").unwrap().as_str(), "lyon");
        assert!(Slug::parse("Lyon").is_err());
        assert!(Slug::parse("-lyon").is_err());
        assert!(Slug::parse("ly--on").is_err());
        assert!(Slug::parse("l").is_err());
        assert!(Slug::parse(&"a".repeat(64)).is_err());
        assert!(Slug::parse_tenant("www").is_err());
        assert!(Slug::parse("www").is_ok());
    }

    #[test]
    fn slug_from_name_folds_accents_and_punctuation() {
        assert_eq!(
            Slug::from_name("Céramique & Co").unwrap().as_str(),
            "ceramique-co"
        );
        assert_eq!(
            Slug::from_name("  Œuvres  d'Art ").unwrap().as_str(),
            "oeuvres-d-art"
        );
        assert!(Slug::from_name("!!").is_err());
    }

    #[test]
    fn emails_are_normalised_and_shapes_checked() {
        assert_eq!(
            Email::parse(" Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "a na@example.com",
            "ana@exa..mple.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn colours_are_hex_and_short_forms_expand() {
        assert_eq!(HexColor::parse("#ABC").unwrap().as_str(), "#aabbcc");
        assert_eq!(HexColor::parse("#1f6feb").unwrap().as_str(), "#1f6feb");
        let white = HexColor::white();
        let black = HexColor::parse("#000").unwrap();
        assert!((black.contrast(&white) - 21.0).abs() < 1e-9);
        assert!((white.contrast(&white) - 1.0).abs() < 1e-9);
        let yellow = HexColor::parse("#e9c46a").unwrap();
        let refused = yellow
            .clone()
            .readable_on(&white, 4.5)
            .unwrap_err()
            .to_string();
        assert!(refused.starts_with("contrast 1.6"), "{refused}");
        let suggested = yellow.darkened_to(&white, 4.5);
        assert!(suggested.contrast(&white) >= 4.5, "{suggested:?}");
        assert!(
            suggested.contrast(&white) < 4.8,
            "just dark enough, not black: {suggested:?}"
        );
        assert!(
            refused.ends_with(&format!("`{}`", suggested.as_str())),
            "{refused}"
        );
        assert!(
            HexColor::parse("#8a4b2a")
                .unwrap()
                .readable_on(&white, 4.5)
                .is_ok()
        );
        for bad in ["1f6feb", "#1f6fe", "#ggg", "red", "#1f6feb00"] {
            assert!(HexColor::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn currencies_and_locales_are_normalised() {
        assert_eq!(Currency::parse("eur").unwrap().as_str(), "EUR");
        assert_eq!(Currency::parse("JPY").unwrap().exponent(), 0);
        assert!(Currency::parse("XXX").is_err());
        assert_eq!(Locale::parse("fr_fr").unwrap().as_str(), "fr-FR");
        assert_eq!(Locale::parse("en").unwrap().as_str(), "en");
        assert!(Locale::parse("french").is_err());
        assert!(Locale::parse("fr-FR-x").is_err());
    }

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(WebUrl::parse("https://cdn.example.com/logo.png").is_ok());
        assert!(WebUrl::parse("javascript:alert(1)").is_err());
        assert!(WebUrl::parse("https:///nohost").is_err());
        assert!(WebUrl::parse("https://a b.com").is_err());
    }
}
