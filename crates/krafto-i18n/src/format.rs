//! Money, numbers and dates as people of each language write them.

use crate::Locale;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use krafto_core::Money;

/// U+202F, the narrow no-break space French puts between thousands.
const THIN: char = '\u{202f}';
/// U+00A0, the no-break space French puts before a currency symbol.
const NBSP: char = '\u{a0}';

fn symbol(currency: &str) -> Option<&'static str> {
    Some(match currency {
        "EUR" => "€",
        "GBP" => "£",
        "USD" => "$",
        _ => return None,
    })
}

/// `1234567` as `1 234 567` (French) or `1,234,567` (English).
fn grouped(locale: Locale, n: u64) -> String {
    let digits = n.to_string();
    let sep = match locale {
        Locale::Fr => THIN,
        Locale::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

impl Locale {
    /// A whole number, grouped by thousands.
    pub fn number(self, n: i64) -> String {
        let sign = if n < 0 { "-" } else { "" };
        format!("{sign}{}", grouped(self, n.unsigned_abs()))
    }

    /// An amount: `18,00 €`, `1 234,50 €`, `12,00 CHF` in French; `€18.00`, `€1,234.50`,
    /// `CHF 12.00` in English.
    pub fn money(self, money: &Money) -> String {
        let per = money.minor_per_major();
        let minor = money.minor();
        let sign = if minor < 0 { "-" } else { "" };
        let whole = grouped(self, (minor / per).unsigned_abs());
        let decimals = per.to_string().len() - 1;
        let number = if decimals == 0 {
            whole
        } else {
            let point = match self {
                Locale::Fr => ',',
                Locale::En => '.',
            };
            format!("{whole}{point}{:0decimals$}", (minor % per).unsigned_abs())
        };
        let currency = money.currency();
        match (self, symbol(currency)) {
            (Locale::Fr, Some(s)) => format!("{sign}{number}{NBSP}{s}"),
            (Locale::Fr, None) => format!("{sign}{number}{NBSP}{currency}"),
            (Locale::En, Some(s)) => format!("{sign}{s}{number}"),
            (Locale::En, None) => format!("{sign}{currency}{NBSP}{number}"),
        }
    }

    /// A rate in basis points as a percentage: `1250` → `12,5 %` (French, with a no-break
    /// space) or `12.5 %` (English).
    pub fn percent_bps(self, bps: i64) -> String {
        let text = format!("{:.2}", bps as f64 / 100.0);
        let text = text.trim_end_matches('0').trim_end_matches('.');
        match self {
            Locale::Fr => format!("{}{NBSP}%", text.replace('.', ",")),
            Locale::En => format!("{text} %"),
        }
    }

    /// A day: `30 nov. 2026`, `30 Nov 2026`.
    pub fn date(self, day: NaiveDate) -> String {
        const FR: [&str; 12] = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ];
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let month = day.month0() as usize;
        let name = match self {
            Locale::Fr => FR[month],
            Locale::En => EN[month],
        };
        format!("{} {name} {}", day.day(), day.year())
    }

    /// A moment, to the minute (UTC): `30 nov. 2026 à 14:05`, `30 Nov 2026, 14:05`.
    pub fn date_time(self, at: DateTime<Utc>) -> String {
        let (h, m) = (at.hour(), at.minute());
        match self {
            Locale::Fr => format!("{} à {h:02}:{m:02}", self.date(at.date_naive())),
            Locale::En => format!("{}, {h:02}:{m:02}", self.date(at.date_naive())),
        }
    }
}

/// Words and phrases of Krafto's English pages that have no place on a French page: a test
/// strips a French page to its visible text and fails on any of them.
pub const ENGLISH_WORDS: &[&str] = &[
    "Search",
    "Cart",
    "Sign in",
    "Sign out",
    "My orders",
    "Your shop",
    "Back to",
    "Add to cart",
    "Checkout",
    "Shipping",
    "Delivery",
    "Sort",
    "Filters",
    "Apply",
    "Newest",
    "Powered by",
    "Browse",
    "Featured",
    "Nothing",
    "Sell on",
    "Payments by",
    "Test mode",
    "Quantity",
    "Remove",
    "Save",
    "Continue",
    "looking for",
    "Made by",
    "Track every",
    "Price",
    "Seller",
    "Open your shop",
    "New in",
    "Not found",
    "Something went wrong",
    "Try again",
];

/// The words of [`ENGLISH_WORDS`] found as whole words in `text`.
pub fn english_words_in(text: &str) -> Vec<&'static str> {
    ENGLISH_WORDS
        .iter()
        .copied()
        .filter(|w| {
            text.match_indices(w).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + w.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_the_way_each_language_writes_it() {
        let eur = |m| Money::of(m, "EUR");
        assert_eq!(Locale::Fr.money(&eur(1800)), "18,00\u{a0}€");
        assert_eq!(Locale::En.money(&eur(1800)), "€18.00");
        assert_eq!(Locale::Fr.money(&eur(123_450)), "1\u{202f}234,50\u{a0}€");
        assert_eq!(Locale::En.money(&eur(123_450)), "€1,234.50");
        assert_eq!(Locale::Fr.money(&eur(-5)), "-0,05\u{a0}€");
        assert_eq!(Locale::En.money(&Money::of(1200, "CHF")), "CHF\u{a0}12.00");
        assert_eq!(
            Locale::Fr.money(&Money::of(1500, "JPY")),
            "1\u{202f}500\u{a0}JPY"
        );
        assert_eq!(Locale::En.number(1_234_567), "1,234,567");
        assert_eq!(Locale::Fr.percent_bps(1250), "12,5\u{a0}%");
        assert_eq!(Locale::En.percent_bps(1200), "12 %");
        assert_eq!(Locale::En.percent_bps(5), "0.05 %");
    }

    #[test]
    fn dates_are_written_the_way_each_language_writes_them() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T14:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(Locale::Fr.date_time(at), "30 nov. 2026 à 14:05");
        assert_eq!(Locale::En.date_time(at), "30 Nov 2026, 14:05");
    }

    #[test]
    fn english_words_are_found_whole_only() {
        assert_eq!(english_words_in("Panier · Rechercher"), Vec::<&str>::new());
        assert_eq!(english_words_in("Ajouter au Cart"), ["Cart"]);
        assert!(english_words_in("Cartes postales").is_empty());
        assert!(english_words_in("Theatre").is_empty());
    }
}
