//! Money arithmetic: the fee split of a sale and proportional allocation. Amounts are
//! integer minor units; every function here returns parts that are never negative and always
//! add up to the whole, whatever the amount and rates (property-tested below).

use crate::{Bps, Currency, Invalid};
use std::fmt;

/// Minor units per major unit of `currency` (100 for EUR, 1 for JPY; two decimals for a code
/// we do not know).
pub fn minor_per_major(currency: &str) -> i64 {
    10_i64.pow(u32::from(exponent(currency)))
}

fn exponent(currency: &str) -> u8 {
    Currency::parse(currency).map_or(2, |c| c.exponent())
}

/// An amount of one currency in integer minor units: the one place amounts are parsed from
/// what people type and formatted for them to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    minor: i64,
    currency: String,
    exponent: u8,
}

impl Money {
    /// `minor` units of `currency` (an ISO code; one we do not know counts two decimals).
    pub fn of(minor: i64, currency: &str) -> Self {
        let exponent = exponent(currency);
        Self {
            minor,
            currency: currency.trim().to_ascii_uppercase(),
            exponent,
        }
    }

    /// Parses an amount as people type it, in major units (`24.50`, `24,5`, `24`), refusing
    /// signs, exponents and more decimals than the currency has.
    pub fn parse(raw: &str, currency: &str) -> Result<Self, Invalid> {
        let zero = Self::of(0, currency);
        let exponent = usize::from(zero.exponent);
        let s = raw.trim().replace(',', ".");
        let bad = || Invalid::new("must be an amount like 24.50");
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        if frac.len() > exponent {
            return Err(Invalid::new(format!("has more than {exponent} decimals")));
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let frac: i64 = if exponent == 0 {
            0
        } else {
            format!("{frac:0<exponent$}").parse().map_err(|_| bad())?
        };
        let minor = whole
            .checked_mul(zero.minor_per_major())
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        Ok(Self { minor, ..zero })
    }

    pub fn minor(&self) -> i64 {
        self.minor
    }

    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// Minor units per major unit (100 for EUR, 1 for JPY).
    pub fn minor_per_major(&self) -> i64 {
        10_i64.pow(u32::from(self.exponent))
    }

    /// The amount as a plain decimal, as a form field shows it (`24.50`, `-3.05`, `1500`).
    pub fn decimal(&self) -> String {
        if self.exponent == 0 {
            return self.minor.to_string();
        }
        let per = self.minor_per_major();
        format!(
            "{}{}.{:0width$}",
            if self.minor < 0 { "-" } else { "" },
            (self.minor / per).abs(),
            (self.minor % per).abs(),
            width = usize::from(self.exponent)
        )
    }
}

/// `29.90 EUR`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency)
    }
}

/// How one sale amount divides between the seller, the marketplace and Krafto.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// What the seller receives.
    pub seller_net: i64,
    /// The marketplace's share of the commission.
    pub tenant_share: i64,
    /// Krafto's fee, paid out of the commission.
    pub platform_fee: i64,
}

impl Split {
    /// The whole commission (tenant share plus Krafto's fee).
    pub fn commission(&self) -> i64 {
        self.tenant_share + self.platform_fee
    }

    pub fn total(&self) -> i64 {
        self.seller_net + self.commission()
    }
}

/// `amount × bps / 10 000`, rounded half to even (banker's rounding), for `amount ≥ 0`.
pub fn apply_bps(amount: i64, rate: Bps) -> i64 {
    let product = i128::from(amount) * i128::from(rate.get());
    let (q, r) = (product / 10_000, product % 10_000);
    let rounded = match r.cmp(&5_000) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    };
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// The one rounding rule for a sale: the commission is rounded once on the amount; Krafto's
/// fee is rounded on the amount too and never exceeds the commission; the seller gets the
/// rest. Negative amounts are treated as zero (refunds split the original sale instead).
pub fn split(amount: i64, commission: Bps, platform_fee: Bps) -> Split {
    let amount = amount.max(0);
    let commission_minor = apply_bps(amount, commission);
    let fee = apply_bps(amount, platform_fee).min(commission_minor);
    Split {
        seller_net: amount - commission_minor,
        tenant_share: commission_minor - fee,
        platform_fee: fee,
    }
}

/// Divides `total` over `weights` in proportion, by largest remainder: the parts add up to
/// `total` exactly, and ties go to the earlier weight. All-zero weights give everything to
/// the first part. Empty weights give an empty result.
pub fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let total = total.max(0);
    let weights: Vec<i128> = weights.iter().map(|w| i128::from((*w).max(0))).collect();
    let sum: i128 = weights.iter().sum();
    if sum == 0 {
        let mut parts = vec![0; weights.len()];
        parts[0] = total;
        return parts;
    }
    let t = i128::from(total);
    let mut parts: Vec<i128> = weights.iter().map(|w| t * w / sum).collect();
    let mut remainders: Vec<(usize, i128)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (i, t * w % sum))
        .collect();
    remainders.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let short = t - parts.iter().sum::<i128>();
    for (i, _) in remainders.iter().take(usize::try_from(short).unwrap_or(0)) {
        parts[*i] += 1;
    }
    parts
        .into_iter()
        .map(|p| i64::try_from(p).unwrap_or(i64::MAX))
        .collect()
}

#[cfg(test)]
mod money_tests {
    use super::Money;

    #[test]
    fn amounts_parse_in_major_units_and_format_back() {
        assert_eq!(Money::parse("24.50", "EUR").unwrap().minor(), 2450);
        assert_eq!(Money::parse("24,5", "EUR").unwrap().minor(), 2450);
        assert_eq!(Money::parse("24", "EUR").unwrap().minor(), 2400);
        assert_eq!(Money::parse("1500", "JPY").unwrap().minor(), 1500);
        for bad in [
            "",
            "-1",
            "1.234",
            "abc",
            "1.2.3",
            "1e3",
            "99999999999999999999",
        ] {
            assert!(Money::parse(bad, "EUR").is_err(), "{bad}");
        }
        assert!(Money::parse("1.5", "JPY").is_err(), "JPY has no decimals");
        assert_eq!(Money::of(2990, "EUR").to_string(), "29.90 EUR");
        assert_eq!(Money::of(-305, "EUR").to_string(), "-3.05 EUR");
        assert_eq!(Money::of(5, "EUR").decimal(), "0.05");
        assert_eq!(Money::of(1500, "JPY").to_string(), "1500 JPY");
        assert_eq!(Money::of(1500, "jpy").minor_per_major(), 1);
        assert_eq!(Money::of(100, "XXX").minor_per_major(), 100);
    }

    #[test]
    fn what_is_formatted_parses_back_to_the_same_amount() {
        for minor in [0, 1, 9, 10, 99, 100, 2450, 123_456_789] {
            for cur in ["EUR", "JPY"] {
                let m = Money::of(minor, cur);
                assert_eq!(Money::parse(&m.decimal(), cur).unwrap(), m);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bps(v: u16) -> Bps {
        Bps::new(i64::from(v)).unwrap()
    }

    #[test]
    fn a_typical_sale_splits_as_expected() {
        // 24.50 EUR at 10% commission of which 2% is Krafto's.
        let s = split(2450, bps(1000), bps(200));
        assert_eq!(
            s,
            Split {
                seller_net: 2205,
                tenant_share: 196,
                platform_fee: 49
            }
        );
        assert_eq!(s.total(), 2450);
    }

    #[test]
    fn half_cents_round_to_even() {
        assert_eq!(apply_bps(5, bps(1000)), 0, "0.5 rounds to 0");
        assert_eq!(apply_bps(15, bps(1000)), 2, "1.5 rounds to 2");
        assert_eq!(apply_bps(25, bps(1000)), 2, "2.5 rounds to 2");
        assert_eq!(apply_bps(26, bps(1000)), 3);
    }

    #[test]
    fn allocation_is_proportional_and_exact() {
        assert_eq!(allocate(100, &[1, 1, 1]), [34, 33, 33]);
        assert_eq!(allocate(1000, &[2450, 1200]), [671, 329]);
        assert_eq!(allocate(7, &[0, 0]), [7, 0]);
        assert!(allocate(7, &[]).is_empty());
    }

    proptest! {
        #[test]
        fn every_split_is_non_negative_and_adds_up(amount in 0i64..=10_000_000_000, c in 0u16..=10_000, f in 0u16..=10_000) {
            let (commission, fee) = (bps(c), bps(f.min(c)));
            let s = split(amount, commission, fee);
            prop_assert!(s.seller_net >= 0 && s.tenant_share >= 0 && s.platform_fee >= 0, "{s:?}");
            prop_assert_eq!(s.total(), amount);
            prop_assert_eq!(s.commission(), apply_bps(amount, commission));
        }

        #[test]
        fn even_a_fee_above_the_commission_never_goes_negative(amount in 0i64..=1_000_000_000, c in 0u16..=10_000, f in 0u16..=10_000) {
            let s = split(amount, bps(c), bps(f));
            prop_assert!(s.tenant_share >= 0 && s.seller_net >= 0);
            prop_assert_eq!(s.total(), amount);
        }

        #[test]
        fn allocation_always_sums_to_the_total(total in 0i64..=1_000_000_000, weights in proptest::collection::vec(0i64..=10_000_000, 1..20)) {
            let parts = allocate(total, &weights);
            prop_assert_eq!(parts.len(), weights.len());
            prop_assert!(parts.iter().all(|p| *p >= 0));
            prop_assert_eq!(parts.iter().sum::<i64>(), total);
            let sum: i64 = weights.iter().sum();
            if sum > 0 {
                for (p, w) in parts.iter().zip(&weights) {
                    // Each part is within one unit of its exact share.
                    let exact = i128::from(total) * i128::from(*w);
                    let p = i128::from(*p) * i128::from(sum);
                    prop_assert!((p - exact).abs() < i128::from(sum), "part off by more than one unit");
                }
            }
        }
    }
}
