//! Which commission rate a sold line pays. A marketplace has one seller commission rate; its
//! operators may agree another one with a shop, or set one for a category. The rule, decided
//! here and nowhere else:
//!
//! 1. the shop's override, when the line's shop has one;
//! 2. else the override of the line's category, or of its nearest ancestor that has one (a
//!    subcategory's override beats its parent's, which beats its grandparent's...);
//! 3. else the marketplace's rate.
//!
//! Krafto's platform fee is always the marketplace's, and it is paid out of the commission:
//! an override is never set below it ([`check_override`]), and one that a later raise of the
//! fee left below it counts as the fee (the marketplace's share is then zero, never
//! negative).
//!
//! The platform resolves a rate for each line when a checkout is created and freezes it in
//! the checkout's plan; the order lines carry it from there. A later change of an override
//! (or of the marketplace's rate) never reprices a checkout or an order.

use crate::{Bps, FieldError};
use std::collections::HashMap;
use uuid::Uuid;

/// Where a line's rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateSource {
    /// The rate agreed with the line's shop.
    Shop,
    /// The override of this category: the line's own, or its nearest ancestor with one.
    Category(Uuid),
    /// The marketplace's rate.
    Marketplace,
}

/// The commission rate of one line, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRate {
    pub commission: Bps,
    pub source: RateSource,
}

/// A marketplace's commission rates: its own, its overrides per shop and per category, and
/// its category tree (to walk a category's ancestors).
#[derive(Debug, Clone)]
pub struct CommissionRule {
    marketplace: Bps,
    platform_fee: Bps,
    shops: HashMap<Uuid, Bps>,
    categories: HashMap<Uuid, Bps>,
    parents: HashMap<Uuid, Uuid>,
}

impl CommissionRule {
    /// The marketplace's own rate and Krafto's fee, without overrides yet.
    pub fn new(marketplace: Bps, platform_fee: Bps) -> Self {
        Self {
            marketplace,
            platform_fee,
            shops: HashMap::new(),
            categories: HashMap::new(),
            parents: HashMap::new(),
        }
    }

    /// The rate agreed with `shop`.
    pub fn with_shop(mut self, shop: Uuid, rate: Bps) -> Self {
        self.shops.insert(shop, rate);
        self
    }

    /// The rate of `category` (and of its subcategories without one of their own).
    pub fn with_category(mut self, category: Uuid, rate: Bps) -> Self {
        self.categories.insert(category, rate);
        self
    }

    /// `category` sits under `parent` in the tree.
    pub fn with_parent(mut self, category: Uuid, parent: Uuid) -> Self {
        self.parents.insert(category, parent);
        self
    }

    /// The marketplace's own rate (what a line pays without any override).
    pub fn marketplace(&self) -> Bps {
        self.marketplace
    }

    /// The rate a line of `shop` in `category` pays (see the module's rule).
    pub fn rate(&self, shop: Uuid, category: Option<Uuid>) -> LineRate {
        let (commission, source) = match self.shops.get(&shop) {
            Some(r) => (*r, RateSource::Shop),
            None => match self.category_rate(category) {
                Some((c, r)) => (r, RateSource::Category(c)),
                None => (self.marketplace, RateSource::Marketplace),
            },
        };
        LineRate {
            commission: commission.max(self.platform_fee),
            source,
        }
    }

    /// The override of `category` or of its nearest ancestor with one. The walk is bounded
    /// by the tree's size, so a cycle in the data cannot make it loop.
    fn category_rate(&self, category: Option<Uuid>) -> Option<(Uuid, Bps)> {
        let mut at = category;
        for _ in 0..=self.parents.len() {
            let c = at?;
            if let Some(r) = self.categories.get(&c) {
                return Some((c, *r));
            }
            at = self.parents.get(&c).copied();
        }
        None
    }
}

/// An override's rate as given: 0 to 10 000 basis points, and never below Krafto's fee,
/// which is paid out of it. The error names the field `commission_bps`.
pub fn check_override(commission_bps: i64, platform_fee: Bps) -> Result<Bps, FieldError> {
    let rate = Bps::new(commission_bps).map_err(|e| e.at("commission_bps"))?;
    if rate < platform_fee {
        return Err(FieldError::new(
            "commission_bps",
            format!(
                "must not be below the Krafto platform fee of {} basis points, which is paid out of the commission",
                platform_fee.get()
            ),
        ));
    }
    Ok(rate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn bps(v: u16) -> Bps {
        Bps::new(i64::from(v)).unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// Crafts (1) > Ceramics (2) > Bowls (3); Jewellery (4) stands alone.
    fn tree(rule: CommissionRule) -> CommissionRule {
        rule.with_parent(id(2), id(1)).with_parent(id(3), id(2))
    }

    #[test]
    fn without_overrides_every_line_pays_the_marketplace_rate() {
        let rule = tree(CommissionRule::new(bps(1000), bps(200)));
        for category in [None, Some(id(1)), Some(id(3)), Some(id(4)), Some(id(99))] {
            assert_eq!(
                rule.rate(id(100), category),
                LineRate {
                    commission: bps(1000),
                    source: RateSource::Marketplace
                }
            );
        }
    }

    #[test]
    fn the_shops_rate_beats_every_category_rate() {
        let rule = tree(CommissionRule::new(bps(1000), bps(200)))
            .with_shop(id(100), bps(800))
            .with_category(id(3), bps(500))
            .with_category(id(1), bps(1500));
        assert_eq!(
            rule.rate(id(100), Some(id(3))),
            LineRate {
                commission: bps(800),
                source: RateSource::Shop
            }
        );
        assert_eq!(rule.rate(id(100), None).commission, bps(800));
        // Another shop of the same category pays the category's rate.
        assert_eq!(rule.rate(id(101), Some(id(3))).commission, bps(500));
    }

    #[test]
    fn the_nearest_category_with_a_rate_wins() {
        let rule = tree(CommissionRule::new(bps(1000), bps(200)))
            .with_category(id(1), bps(1500))
            .with_category(id(2), bps(600));
        // Bowls has none: its parent Ceramics has one, nearer than Crafts.
        assert_eq!(
            rule.rate(id(100), Some(id(3))),
            LineRate {
                commission: bps(600),
                source: RateSource::Category(id(2))
            }
        );
        assert_eq!(
            rule.rate(id(100), Some(id(2))).source,
            RateSource::Category(id(2))
        );
        assert_eq!(
            rule.rate(id(100), Some(id(1))).source,
            RateSource::Category(id(1))
        );
        assert_eq!(
            rule.rate(id(100), Some(id(4))).source,
            RateSource::Marketplace
        );
    }

    #[test]
    fn a_rate_left_below_a_raised_platform_fee_counts_as_the_fee() {
        let rule = CommissionRule::new(bps(1000), bps(300))
            .with_shop(id(100), bps(200))
            .with_category(id(1), bps(100));
        assert_eq!(rule.rate(id(100), None).commission, bps(300));
        assert_eq!(rule.rate(id(100), None).source, RateSource::Shop);
        assert_eq!(rule.rate(id(101), Some(id(1))).commission, bps(300));
    }

    #[test]
    fn a_cycle_in_the_tree_ends_the_walk() {
        let rule = CommissionRule::new(bps(1000), bps(0))
            .with_parent(id(1), id(2))
            .with_parent(id(2), id(1));
        assert_eq!(
            rule.rate(id(100), Some(id(1))).source,
            RateSource::Marketplace
        );
    }

    #[test]
    fn overrides_are_refused_outside_the_range_or_below_the_platform_fee() {
        assert_eq!(check_override(800, bps(200)), Ok(bps(800)));
        assert_eq!(check_override(200, bps(200)), Ok(bps(200)));
        assert_eq!(check_override(10_000, bps(200)), Ok(bps(10_000)));
        let above = check_override(10_001, bps(200)).unwrap_err();
        assert_eq!(above.field, "commission_bps");
        assert!(above.message.contains("between 0 and 10000"), "{above}");
        assert!(check_override(-1, bps(0)).is_err());
        let below = check_override(150, bps(200)).unwrap_err();
        assert_eq!(below.field, "commission_bps");
        assert!(below.message.contains("platform fee of 200"), "{below}");
    }

    proptest! {
        /// Over random trees and overrides: the rate is the shop's when it has one, else the
        /// first override met walking up from the line's category, else the marketplace's;
        /// and never below the platform fee.
        #[test]
        fn the_rate_follows_the_rule_on_any_tree(
            // parents[i] is the parent of category i+1, always an earlier category (or none).
            parents in proptest::collection::vec(proptest::option::of(0usize..64), 0..16),
            category_rates in proptest::collection::vec(proptest::option::of(0u16..=10_000), 16),
            shop_rate in proptest::option::of(0u16..=10_000),
            marketplace in 0u16..=10_000,
            platform_fee in 0u16..=10_000,
            line_category in proptest::option::of(0usize..17),
        ) {
            let n = parents.len() + 1;
            let parent_of = |i: usize| -> Option<usize> {
                if i == 0 { None } else { parents[i - 1].map(|p| p % i) }
            };
            let mut rule = CommissionRule::new(bps(marketplace), bps(platform_fee));
            for (i, rate) in category_rates.iter().enumerate().take(n) {
                if let Some(p) = parent_of(i) {
                    rule = rule.with_parent(id(i as u128), id(p as u128));
                }
                if let Some(r) = rate {
                    rule = rule.with_category(id(i as u128), bps(*r));
                }
            }
            let shop = id(1000);
            if let Some(r) = shop_rate {
                rule = rule.with_shop(shop, bps(r));
            }
            let line_category = line_category.filter(|c| *c < n);
            // The expected answer, the slow way.
            let mut chain = Vec::new();
            let mut at = line_category;
            while let Some(c) = at {
                chain.push(c);
                at = parent_of(c);
            }
            let expected = match shop_rate {
                Some(r) => (r, RateSource::Shop),
                None => chain
                    .iter()
                    .find_map(|c| category_rates[*c].map(|r| (r, RateSource::Category(id(*c as u128)))))
                    .unwrap_or((marketplace, RateSource::Marketplace)),
            };
            let got = rule.rate(shop, line_category.map(|c| id(c as u128)));
            prop_assert_eq!(got.source, expected.1);
            prop_assert_eq!(got.commission, bps(expected.0.max(platform_fee)));
            prop_assert!(got.commission >= bps(platform_fee));
        }
    }
}
