//! Basis points and a marketplace's fee schedule.

use crate::{FieldError, Invalid};

/// A rate in basis points: 0 (0%) to 10 000 (100%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bps(u16);

impl Bps {
    pub const MAX: u16 = 10_000;

    pub fn new(value: i64) -> Result<Self, Invalid> {
        u16::try_from(value)
            .ok()
            .filter(|v| *v <= Self::MAX)
            .map(Self)
            .ok_or_else(|| {
                Invalid::new(format!("must be between 0 and {} basis points", Self::MAX))
            })
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

/// A rate typed as a percentage (`8`, `8,5`, `12.25`, `8 %`) in basis points (`850`), with
/// at most two decimals. The range is the caller's to check (with [`Bps::new`]).
pub fn percent_to_bps(raw: &str) -> Result<i64, Invalid> {
    let bad = || Invalid::new("must be a percentage like 8 or 8.5");
    let s = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, decimals) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(decimals.is_empty() || digits(decimals)) || decimals.len() > 2 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let cents: i64 = format!("{decimals:0<2}").parse().map_err(|_| bad())?;
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(cents))
        .ok_or_else(bad)
}

/// What a marketplace charges: the commission taken from sellers, the part of it that goes to
/// Krafto, and the smallest order accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fees {
    pub seller_commission: Bps,
    pub platform_fee: Bps,
    /// In minor units of the tenant's currency.
    pub minimum_order_minor: i64,
}

impl Fees {
    /// Checks the schedule as a whole: Krafto's fee is paid out of the commission, so it can
    /// never exceed it (the tenant's share would be negative).
    pub fn new(
        seller_commission: Bps,
        platform_fee: Bps,
        minimum_order_minor: i64,
    ) -> Result<Self, FieldError> {
        if platform_fee > seller_commission {
            return Err(FieldError::new(
                "fees.platform_fee_bps",
                "must not exceed the seller commission it is paid from",
            ));
        }
        if !(0..=100_000_000).contains(&minimum_order_minor) {
            return Err(FieldError::new(
                "fees.minimum_order_minor",
                "must be between 0 and 100000000 minor units",
            ));
        }
        Ok(Self {
            seller_commission,
            platform_fee,
            minimum_order_minor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bps_range_is_inclusive_0_to_10000() {
        assert!(Bps::new(0).is_ok());
        assert!(Bps::new(10_000).is_ok());
        assert!(Bps::new(10_001).is_err());
        assert!(Bps::new(-1).is_err());
    }

    #[test]
    fn percentages_are_read_as_people_type_them() {
        assert_eq!(percent_to_bps("8"), Ok(800));
        assert_eq!(percent_to_bps(" 8,5 % "), Ok(850));
        assert_eq!(percent_to_bps("12.25"), Ok(1225));
        assert_eq!(percent_to_bps("0"), Ok(0));
        assert_eq!(percent_to_bps("100"), Ok(10_000));
        assert_eq!(percent_to_bps("101"), Ok(10_100));
        for bad in [
            "",
            "-1",
            "8.125",
            "huit",
            ".5",
            "1e3",
            "99999999999999999999",
        ] {
            assert!(percent_to_bps(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn platform_fee_cannot_exceed_the_commission() {
        let c = Bps::new(800).unwrap();
        assert!(Fees::new(c, Bps::new(200).unwrap(), 0).is_ok());
        let err = Fees::new(c, Bps::new(900).unwrap(), 0).unwrap_err();
        assert_eq!(err.field, "fees.platform_fee_bps");
        assert!(Fees::new(c, c, -1).is_err());
    }
}
