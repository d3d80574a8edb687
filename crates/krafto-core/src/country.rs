//! The countries buyers may have their orders delivered to: the European countries the
//! marketplaces' sellers ship to. Codes are ISO 3166-1 alpha-2; people see each country's
//! name in their language (messages `country-XX`), never the code.

use crate::Invalid;

/// Where orders can be delivered: the European Union, the EEA, Switzerland, the United
/// Kingdom and the microstates inside them.
pub const DELIVERY_COUNTRIES: &[&str] = &[
    "AD", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR",
    "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MT", "NL", "NO", "PL", "PT", "RO", "SE",
    "SI", "SK", "SM",
];

/// A delivery country from its code (any case, surrounding spaces ignored).
pub fn delivery_country(raw: &str) -> Result<&'static str, Invalid> {
    let code = raw.trim().to_ascii_uppercase();
    DELIVERY_COUNTRIES
        .iter()
        .find(|c| **c == code)
        .copied()
        .ok_or_else(|| Invalid::new("choose a country from the list (we deliver in Europe)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_country_is_one_of_the_list_in_any_case() {
        assert_eq!(delivery_country(" fr "), Ok("FR"));
        assert_eq!(delivery_country("GB"), Ok("GB"));
        assert!(delivery_country("US").is_err());
        assert!(delivery_country("France").is_err());
        let mut sorted = DELIVERY_COUNTRIES.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, DELIVERY_COUNTRIES, "sorted, no duplicates");
    }
}
