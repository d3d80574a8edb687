//! Every text a person reads, in French and English, through Fluent (`locales/{fr,en}/*.ftl`,
//! compiled into the binary), and the formatting of money, numbers and dates for a locale.
//!
//! - [`Locale`]: the languages Krafto speaks, read from a marketplace's locale (`fr-FR`) or
//!   a visitor's choice; French unless it is English.
//! - [`Locale::t`] / [`Locale::t_args`]: a message by its key. A key missing from a language
//!   is a test failure (`every_key_exists_in_every_language`); at run time it logs and shows
//!   the other language's text rather than the key.
//! - [`Locale::money`], [`Locale::number`], [`Locale::date`]: "18,00 €" in French, "€18.00"
//!   in English.

mod format;
mod problems;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::HashMap;
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

pub use format::{ENGLISH_WORDS, english_words_in};
pub use problems::CODES as PROBLEM_CODES;

/// A language of Krafto's pages, e-mails and messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Fr, Locale::En];

    /// The language of a locale tag (`fr-FR`, `en`, `en_GB`): English when it says so,
    /// French otherwise.
    pub fn of_tag(tag: &str) -> Self {
        Self::parse(tag).unwrap_or_default()
    }

    /// The language of a tag, if Krafto speaks it.
    pub fn parse(tag: &str) -> Option<Self> {
        match tag.trim().split(['-', '_']).next()? {
            l if l.eq_ignore_ascii_case("fr") => Some(Self::Fr),
            l if l.eq_ignore_ascii_case("en") => Some(Self::En),
            _ => None,
        }
    }

    /// The language tag of `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    /// The language's name in itself, as a language switcher shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Fr => "Français",
            Self::En => "English",
        }
    }

    /// The message `key`.
    pub fn t(self, key: &str) -> String {
        self.t_args(key, &[])
    }

    /// Whether this language has the message `key` (for words looked up from data, such as
    /// an audit entry's action, that fall back to the recorded text when unknown).
    pub fn has(self, key: &str) -> bool {
        BUNDLES.get(&self).is_some_and(|b| b.has_message(key))
    }

    /// The message `key` with its variables (`{ $name }`).
    pub fn t_args(self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.fluent());
        }
        let fluent = (!args.is_empty()).then_some(&fluent);
        if let Some(text) = format(self, key, fluent) {
            return text;
        }
        tracing::warn!(key, locale = self.code(), "a message is missing");
        Locale::ALL
            .into_iter()
            .find_map(|other| format(other, key, fluent))
            .unwrap_or_else(|| key.to_owned())
    }
}

/// A message variable: text, or a number (which also chooses plural forms).
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl Arg {
    fn fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Text(s) => FluentValue::from(s.clone()),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }

        impl From<&$t> for Arg {
            fn from(n: &$t) -> Self {
                Arg::Number(*n as f64)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize);

/// The message files, by name, in each language.
const FILES: &[(&str, &str, &str)] = &[
    (
        "common",
        include_str!("../locales/fr/common.ftl"),
        include_str!("../locales/en/common.ftl"),
    ),
    (
        "storefront",
        include_str!("../locales/fr/storefront.ftl"),
        include_str!("../locales/en/storefront.ftl"),
    ),
    (
        "mail",
        include_str!("../locales/fr/mail.ftl"),
        include_str!("../locales/en/mail.ftl"),
    ),
    (
        "sell",
        include_str!("../locales/fr/sell.ftl"),
        include_str!("../locales/en/sell.ftl"),
    ),
    (
        "payouts",
        include_str!("../locales/fr/payouts.ftl"),
        include_str!("../locales/en/payouts.ftl"),
    ),
    (
        "problems",
        include_str!("../locales/fr/problems.ftl"),
        include_str!("../locales/en/problems.ftl"),
    ),
    (
        "console",
        include_str!("../locales/fr/console.ftl"),
        include_str!("../locales/en/console.ftl"),
    ),
    (
        "account",
        include_str!("../locales/fr/account.ftl"),
        include_str!("../locales/en/account.ftl"),
    ),
    (
        "media",
        include_str!("../locales/fr/media.ftl"),
        include_str!("../locales/en/media.ftl"),
    ),
    (
        "legal",
        include_str!("../locales/fr/legal.ftl"),
        include_str!("../locales/en/legal.ftl"),
    ),
    (
        "audit",
        include_str!("../locales/fr/audit.ftl"),
        include_str!("../locales/en/audit.ftl"),
    ),
    (
        "refunds",
        include_str!("../locales/fr/refunds.ftl"),
        include_str!("../locales/en/refunds.ftl"),
    ),
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<HashMap<Locale, Bundle>> = LazyLock::new(|| {
    Locale::ALL
        .into_iter()
        .map(|locale| (locale, bundle(locale)))
        .collect()
});

fn bundle(locale: Locale) -> Bundle {
    let id: LanguageIdentifier = locale.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Pages are HTML: no Unicode isolation marks around variables.
    bundle.set_use_isolating(false);
    for (name, fr, en) in FILES {
        let source = match locale {
            Locale::Fr => fr,
            Locale::En => en,
        };
        let resource =
            FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(r, errors)| {
                tracing::error!(
                    file = name,
                    locale = locale.code(),
                    ?errors,
                    "a message file has errors"
                );
                r
            });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(
                file = name,
                locale = locale.code(),
                ?errors,
                "a message is defined twice"
            );
        }
    }
    bundle
}

fn format(locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
    let bundle = BUNDLES.get(&locale)?;
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(
            key,
            locale = locale.code(),
            ?errors,
            "a message did not format cleanly"
        );
    }
    Some(text.into_owned())
}

/// Every message key of `locale`, from the files themselves.
pub fn keys(locale: Locale) -> Vec<String> {
    FILES
        .iter()
        .flat_map(|(_, fr, en)| {
            let source = match locale {
                Locale::Fr => *fr,
                Locale::En => *en,
            };
            let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(r, _)| r);
            resource
                .entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_file_parses_in_every_language() {
        for (name, fr, en) in FILES {
            for (lang, source) in [("fr", fr), ("en", en)] {
                if let Err((_, errors)) = FluentResource::try_new((*source).to_owned()) {
                    panic!("locales/{lang}/{name}.ftl: {errors:?}");
                }
            }
        }
    }

    #[test]
    fn every_key_exists_in_every_language() {
        let fr: BTreeSet<String> = keys(Locale::Fr).into_iter().collect();
        let en: BTreeSet<String> = keys(Locale::En).into_iter().collect();
        let only_fr: Vec<_> = fr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        assert!(
            only_fr.is_empty() && only_en.is_empty(),
            "missing in English: {only_fr:?}; missing in French: {only_en:?}"
        );
        assert_eq!(
            fr.len(),
            keys(Locale::Fr).len(),
            "a French key is defined twice"
        );
        assert_eq!(
            en.len(),
            keys(Locale::En).len(),
            "an English key is defined twice"
        );
    }

    #[test]
    fn messages_take_their_variables_and_plurals_in_each_language() {
        assert_eq!(
            Locale::Fr.t_args("notice-retry-in", &[("secs", 1.into())]),
            "Réessayez dans 1 seconde."
        );
        assert_eq!(
            Locale::Fr.t_args("notice-retry-in", &[("secs", 7.into())]),
            "Réessayez dans 7 secondes."
        );
        assert_eq!(
            Locale::En.t_args("notice-retry-in", &[("secs", 1.into())]),
            "Try again in 1 second."
        );
        assert_eq!(Locale::En.t("nav-cart"), "Cart");
        assert_eq!(Locale::Fr.t("nav-cart"), "Panier");
        assert_eq!(Locale::Fr.t("no-such-key"), "no-such-key");
    }

    #[test]
    fn a_locale_tag_names_its_language() {
        assert_eq!(Locale::of_tag("fr-FR"), Locale::Fr);
        assert_eq!(Locale::of_tag("en_GB"), Locale::En);
        assert_eq!(Locale::of_tag("de-DE"), Locale::Fr);
        assert_eq!(Locale::parse("de"), None);
    }
}
