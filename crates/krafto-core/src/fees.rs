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
    fn platform_fee_cannot_exceed_the_commission() {
        let c = Bps::new(800).unwrap();
        assert!(Fees::new(c, Bps::new(200).unwrap(), 0).is_ok());
        let err = Fees::new(c, Bps::new(900).unwrap(), 0).unwrap_err();
        assert_eq!(err.field, "fees.platform_fee_bps");
        assert!(Fees::new(c, c, -1).is_err());
    }
}
