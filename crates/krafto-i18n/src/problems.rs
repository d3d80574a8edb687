//! The API's refusals as a page says them: each field problem's English message (the API's
//! wording, kept for clients) and each problem code, in the page's language.
//!
//! Field messages are matched by their shape: numbers and `quoted` values become the
//! message's variables, so "must be between 1 and 100" and "must be between 0 and 20" are one
//! message. A message nobody translated says "check this value" on a French page rather than
//! show English; `every_field_message_of_the_code_is_translated` (in the end-to-end tests)
//! reads the sources for messages this table lacks.

use crate::{Arg, Locale};
use std::collections::HashMap;
use std::sync::LazyLock;

/// (key after `field-`, the message as the code words it).
const EXACT: &[(&str, &str)] = &[
    ("blank", "must not be empty"),
    ("required", "is required"),
    ("required-max", "is required (at most 80 characters)"),
    ("control-chars", "must not contain control characters"),
    (
        "one-line",
        "must be one line, without line breaks or control characters",
    ),
    ("max-chars", "must be at most 200 characters"),
    ("at-most-chars", "at most 200 characters"),
    ("chars-range", "1 to 80 characters"),
    ("too-long", "too long"),
    ("too-wide", "too wide"),
    ("whole-number", "must be a whole number"),
    ("zero-or-more", "must be 0 or more"),
    ("between", "must be between 1 and 100"),
    ("between-days", "must be between 0 and 365 days"),
    ("between-hours", "must be between 1 and 168 hours"),
    ("between-mm", "must be between 1 and 100000 mm"),
    ("between-g", "must be between 1 and 1000000 g"),
    (
        "between-minor",
        "must be between 0 and 100000000 minor units",
    ),
    ("range-minor", "must be 0 to 10000000 minor units"),
    ("between-bps", "must be between 0 and 10000 basis points"),
    ("amount", "must be an amount like 24.50"),
    ("percentage", "must be a percentage like 8 or 8.5"),
    ("decimals", "has more than 2 decimals"),
    ("true-false", "must be true or false"),
    ("email-shape", "must look like name@example.com"),
    ("url", "must be an absolute http(s) URL"),
    (
        "contrast",
        "contrast 1.67:1 with white is under the 4.5:1 needed to read it; try `#89743f`",
    ),
    (
        "confirm-email",
        "type the e-mail address of this account to confirm",
    ),
    (
        "pickup-place",
        "1 to 300 characters: where and when buyers collect",
    ),
    ("saved-address", "is not one of your saved addresses"),
    (
        "address-needed",
        "give the delivery address (only orders you collect need none)",
    ),
    ("unreadable", "unreadable"),
    ("choose-picture", "choose at least one picture"),
    ("photos-full", "a listing has at most 10 photos (8 already)"),
    (
        "photos-order",
        "must list every photo of the listing, each once",
    ),
    (
        "country-list",
        "choose a country from the list (we deliver in Europe)",
    ),
    ("hex", "must be a hex colour like #1f6feb"),
    ("country", "must be a two-letter country code like FR"),
    (
        "country-iso",
        "must be an ISO 3166 two-letter code, e.g. FR",
    ),
    ("language", "must be a language tag like `fr` or `fr-FR`"),
    (
        "phone",
        "must be a phone number (digits, spaces, + - ( ) .)",
    ),
    ("code-6", "must be the 6-digit code from the e-mail"),
    (
        "slug-chars",
        "may only contain lowercase letters a-z, digits and hyphens",
    ),
    ("slug-length", "must be 2 to 63 characters long"),
    (
        "slug-ends",
        "must start and end with a letter or digit and not contain `--`",
    ),
    ("slug-reserved", "`shop` is reserved"),
    (
        "host",
        "must be a host name like shop.example.com (letters, digits, hyphens, dots)",
    ),
    ("host-ip", "must be a host name, not an IP address"),
    (
        "host-length",
        "must be a host name of at most 253 characters",
    ),
    (
        "host-fqdn",
        "must be a fully qualified domain like shop.example.com",
    ),
    ("taken", "is taken"),
    ("choose-one", "choose one"),
    ("not-this-one", "not this one"),
    ("entries-max", "at most 10 entries"),
    ("entry-length", "each entry must be 1 to 40 characters"),
    ("links-max", "at most 10 links"),
    ("tags-max", "at most 10 tags"),
    ("photos-max", "at most 10 photos"),
    ("variants-max", "at most 20 variants"),
    ("photos-min", "at least 2 photo(s) needed, 1 given"),
    ("add-photo", "add a photo"),
    ("describe-it", "describe it"),
    ("description-needed", "a description is needed"),
    ("profile-image-needed", "a profile image is needed"),
    ("story-needed", "tell buyers who you are"),
    (
        "story-needed-long",
        "tell buyers who you are and how you make things",
    ),
    ("city-country", "city and country are needed"),
    ("city", "give a city"),
    ("lat-lon", "latitude and longitude go together"),
    (
        "geo",
        "give lat (-90..90), lon (-180..180) and radius_km (0..20000) together",
    ),
    (
        "dimensions",
        "give length, width and height together, or none of them",
    ),
    ("delivery-options-count", "give 1 to 10 delivery options"),
    ("documents-count", "give 1 to 10 document references"),
    (
        "variant-options",
        "give 1 to 5 options, e.g. {\"size\": \"M\"}",
    ),
    (
        "variant-options-length",
        "names up to 30 and values up to 60 characters",
    ),
    (
        "days-order",
        "days must be 0 to 365 with days_min ≤ days_max",
    ),
    ("below-min-price", "must not be below min_price"),
    ("below-minimum", "must not be below the minimum"),
    (
        "fee-above-commission",
        "must not exceed the seller commission it is paid from",
    ),
    (
        "category-loop",
        "a category cannot move under itself or one of its descendants",
    ),
    ("category-unknown", "no such category in this marketplace"),
    ("shop-unknown", "no such shop in this marketplace"),
    (
        "below-platform-fee",
        "must not be below the Krafto platform fee of 200 basis points, which is paid out of the commission",
    ),
    ("shop-or-category", "give a shop or a category"),
    (
        "shop-or-category-not-both",
        "give a shop or a category, not both",
    ),
    (
        "category-slug-unknown",
        "no category `pots` in this marketplace",
    ),
    ("category-slug-unknown-2", "no category with slug `pots`"),
    (
        "delivery-choice",
        "a chosen delivery option is not one of its shop's options in this cart; choose again",
    ),
    (
        "option-repeated",
        "an option id is repeated or belongs to another shop",
    ),
    (
        "guest-phone",
        "guests must give a phone number for the delivery",
    ),
    (
        "guest-email",
        "guests must give an e-mail address for the receipt",
    ),
    ("retry", "could not be checked; retry"),
    ("cursor", "is not a cursor from a previous page"),
    ("cursor-2", "not a cursor from a previous page"),
    ("not-variant", "is not a variant of this listing"),
    ("sku-used", "is used by another variant"),
    ("choose-variant", "this listing has variants: choose one"),
    ("listed-twice", "is listed twice"),
    ("say-why", "say why: the buyer is told"),
    (
        "refund-unknown-line",
        "names a line that is not in this order",
    ),
    ("refund-no-line", "name at least one line to refund"),
    (
        "refund-line-open",
        "a refund request is already open for this line",
    ),
    ("refund-no-such-line", "the order has no line 1"),
    (
        "refund-one-unit",
        "refund at least one unit of each line named",
    ),
    (
        "refund-units-left",
        "line 1 has 2 unit(s) left to refund, not 3",
    ),
    (
        "refund-nothing-left",
        "nothing is left to refund on this order",
    ),
    ("date-like", "must be a date (year-month-day)"),
    (
        "dispute-evidence",
        "say why the payment is legitimate, or give the tracking number, before submitting",
    ),
    (
        "refund-choose-units",
        "choose a quantity for at least one item",
    ),
    (
        "refund-say-what-is-wrong",
        "say what is wrong: the seller reads it",
    ),
    ("csv-empty", "has a header but no rows"),
    ("csv-rows", "more than 5000 rows; split the file"),
    ("csv-column-missing", "required column is missing"),
    (
        "sort",
        "one of relevance, newest, price_asc, price_desc, top_rated, trending",
    ),
    ("validated-missing", "validated listing fields missing"),
];

/// (key after `field-`, the start of messages that carry free text, and a part they
/// contain).
const PREFIXES: &[(&str, &str, &str)] = &[
    ("csv-header", "unreadable header", ""),
    ("csv-unreadable", "unreadable:", ""),
    ("csv-unknown-column", "unknown column", ""),
    ("unknown-field", "unknown field", ""),
    ("listing-state", "a listing that is ", ""),
    ("not-found-here", "no ", " with this id here"),
    ("currency", "unsupported currency", ""),
    ("role", "unknown role", ""),
    ("template", "unknown template", ""),
    ("feature", "unknown feature flag", ""),
    ("marketplace-state", "the marketplace is already", ""),
    ("shop-state", "a ", " shop cannot "),
    ("order-state", "an order that is ", ""),
];

/// Every problem code (snake_case, as the API writes it) with its `problem-` message.
pub const CODES: &[&str] = &[
    "address-not-found",
    "orders-in-progress",
    "account-not-found",
    "already-verified",
    "bad-event",
    "bad-request",
    "bad-signature",
    "below-minimum-order",
    "cart-empty",
    "cart-line-not-found",
    "cart-not-purchasable",
    "category-has-children",
    "category-in-use",
    "category-not-found",
    "checkout-not-found",
    "code-expired",
    "commission-not-found",
    "conflict",
    "database-unavailable",
    "domain-not-found",
    "forbidden",
    "form-not-found",
    "host-taken",
    "idempotency-key-required",
    "idempotency-key-reused",
    "insufficient-stock",
    "internal",
    "invalid-code",
    "invalid-credentials",
    "invalid-request",
    "invalid-transition",
    "listing-incomplete",
    "listing-live",
    "listing-not-found",
    "mail-unavailable",
    "method-not-allowed",
    "no-shop",
    "no-stripe-account",
    "no-verification",
    "not-found",
    "not-test-mode",
    "operator-exists",
    "order-not-found",
    "out-of-stock",
    "payload-too-large",
    "payment-refused",
    "payment-unavailable",
    "profile-incomplete",
    "rate-limited",
    "report-not-found",
    "search-unavailable",
    "seller-not-payable",
    "service-unavailable",
    "shop-exists",
    "shop-name-taken",
    "shop-not-found",
    "shop-suspended",
    "slug-taken",
    "stripe-refused",
    "stripe-unavailable",
    "tenant-not-found",
    "tenant-suspended",
    "too-many-attempts",
    "total-changed",
    "unauthenticated",
    "unknown-tenant",
    "unsupported-media-type",
    "validation-failed",
    "verification-not-found",
    "verification-pending",
    "webhooks-not-configured",
];

static SHAPES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    EXACT
        .iter()
        .map(|(key, example)| (shape(example).0, *key))
        .collect()
});

/// The message with its numbers and `quoted` values taken out as variables (`n1`, `v1`...).
fn shape(message: &str) -> (String, Vec<(String, Arg)>) {
    let mut out = String::with_capacity(message.len());
    let mut args = Vec::new();
    let (mut numbers, mut values) = (0, 0);
    let chars: Vec<char> = message.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_number = c.is_ascii_digit()
            || (c == '-'
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                && (i == 0 || chars[i - 1] == ' '));
        if c == '`' {
            if let Some(len) = chars[i + 1..].iter().position(|&c| c == '`') {
                values += 1;
                let value: String = chars[i + 1..i + 1 + len].iter().collect();
                args.push((format!("v{values}"), Arg::Text(value)));
                out.push_str("`v`");
                i += len + 2;
                continue;
            }
        } else if starts_number {
            let mut j = i + 1;
            while j < chars.len()
                && (chars[j].is_ascii_digit()
                    || (chars[j] == '.' && chars.get(j + 1).is_some_and(char::is_ascii_digit)))
            {
                j += 1;
            }
            let text: String = chars[i..j].iter().collect();
            numbers += 1;
            args.push((
                format!("n{numbers}"),
                text.parse::<f64>().map_or(Arg::Text(text), Arg::Number),
            ));
            out.push('#');
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    (out, args)
}

/// `message` starts with `start` and contains `part`.
fn known_by(message: &str, start: &str, part: &str) -> bool {
    let m = message.trim();
    m.starts_with(start) && m.contains(part)
}

impl Locale {
    /// A field problem's message (the API's English wording) in this language: an English
    /// page keeps the API's words, which may name what they refuse.
    pub fn field_problem(self, message: &str) -> String {
        if self == Locale::En {
            return message.to_owned();
        }
        let (shaped, args) = shape(message);
        let key = SHAPES.get(&shaped).copied().or_else(|| {
            PREFIXES
                .iter()
                .find(|(_, start, part)| known_by(message, start, part))
                .map(|(key, _, _)| *key)
        });
        match key {
            Some(key) => {
                let args: Vec<(&str, Arg)> =
                    args.iter().map(|(n, a)| (n.as_str(), a.clone())).collect();
                self.t_args(&format!("field-{key}"), &args)
            }
            None => self.t("field-other"),
        }
    }

    /// Whether `message` has a translation (not the "check this value" fallback).
    pub fn knows_field_problem(message: &str) -> bool {
        SHAPES.contains_key(&shape(message).0)
            || PREFIXES
                .iter()
                .any(|(_, start, part)| known_by(message, start, part))
    }

    /// What a refusal with `code` (snake_case) says; an English page keeps the API's own
    /// sentence (`detail`), which says more.
    pub fn problem(self, code: &str, detail: &str) -> String {
        if self == Locale::En && !detail.is_empty() {
            return detail.to_owned();
        }
        let key = format!("problem-{}", code.replace('_', "-"));
        if CODES.contains(&code.replace('_', "-").as_str()) {
            self.t(&key)
        } else {
            self.t("problem-invalid-request")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_message_is_said_with_its_numbers_in_french() {
        assert_eq!(
            Locale::Fr.field_problem("must be between 1 and 100"),
            "doit être entre 1 et 100"
        );
        assert_eq!(
            Locale::Fr.field_problem("must be between -90 and 90"),
            "doit être entre -90 et 90"
        );
        assert_eq!(
            Locale::Fr.field_problem("`shop` is reserved"),
            "«\u{a0}shop\u{a0}» est réservé"
        );
        assert_eq!(
            Locale::En.field_problem("must not be empty"),
            "must not be empty"
        );
        assert_eq!(
            Locale::Fr.field_problem("a listing that is draft cannot approve"),
            "impossible dans l’état actuel de l’annonce"
        );
    }

    #[test]
    fn an_unknown_message_is_not_shown_in_english_on_a_french_page() {
        assert_eq!(
            Locale::Fr.field_problem("flux capacitor misaligned"),
            "vérifiez cette valeur"
        );
        assert_eq!(
            Locale::En.field_problem("flux capacitor misaligned"),
            "flux capacitor misaligned"
        );
    }

    #[test]
    fn every_example_has_its_own_shape() {
        let mut seen = HashMap::new();
        for (key, example) in EXACT {
            if let Some(other) = seen.insert(shape(example).0, key) {
                panic!("`{key}` and `{other}` have the same shape: keep one");
            }
        }
    }

    #[test]
    fn a_problem_code_is_said_in_french_and_keeps_the_apis_sentence_in_english() {
        assert_eq!(
            Locale::Fr.problem("cart_empty", "The cart is empty."),
            "Votre panier est vide."
        );
        assert_eq!(
            Locale::En.problem("cart_empty", "The cart has no lines."),
            "The cart has no lines."
        );
    }
}
