//! Marketplace templates: the kinds of marketplace Krafto serves, each with a starter
//! category tree and feature flags; and the feature-flag vocabulary itself.

use crate::Invalid;
use std::collections::BTreeMap;

/// The kind of marketplace a tenant starts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    Handmade,
    Farm,
    B2b,
}

/// A category of a starter tree: slug, name in each language, children.
#[derive(Debug, Clone, Copy)]
pub struct StarterCategory {
    pub slug: &'static str,
    pub name: Names,
    pub children: &'static [(&'static str, Names)],
}

/// A starter category's name in English and in French.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names {
    pub en: &'static str,
    pub fr: &'static str,
}

impl Names {
    const fn new(en: &'static str, fr: &'static str) -> Self {
        Self { en, fr }
    }

    /// The name in the language of a locale tag (`fr-FR`, `en`): English when it says so.
    pub fn in_locale(self, tag: &str) -> &'static str {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            self.en
        } else {
            self.fr
        }
    }

    /// Both names by language code, as a category's `names` stores them.
    pub fn by_language(self) -> [(&'static str, &'static str); 2] {
        [("en", self.en), ("fr", self.fr)]
    }
}

const HANDMADE: &[StarterCategory] = &[
    StarterCategory {
        slug: "jewellery",
        name: Names::new("Jewellery", "Bijoux"),
        children: &[
            ("necklaces", Names::new("Necklaces", "Colliers")),
            ("earrings", Names::new("Earrings", "Boucles d’oreilles")),
            ("rings", Names::new("Rings", "Bagues")),
        ],
    },
    StarterCategory {
        slug: "home-living",
        name: Names::new("Home & Living", "Maison & déco"),
        children: &[
            ("ceramics", Names::new("Ceramics", "Céramique")),
            ("textiles", Names::new("Textiles", "Textiles")),
            ("candles", Names::new("Candles", "Bougies")),
        ],
    },
    StarterCategory {
        slug: "clothing",
        name: Names::new("Clothing", "Vêtements"),
        children: &[
            ("knitwear", Names::new("Knitwear", "Tricots")),
            ("accessories", Names::new("Accessories", "Accessoires")),
        ],
    },
    StarterCategory {
        slug: "art",
        name: Names::new("Art & Prints", "Art & estampes"),
        children: &[
            ("prints", Names::new("Prints", "Estampes")),
            ("paintings", Names::new("Paintings", "Peintures")),
        ],
    },
];

const FARM: &[StarterCategory] = &[
    StarterCategory {
        slug: "vegetables",
        name: Names::new("Vegetables", "Légumes"),
        children: &[
            (
                "leafy-greens",
                Names::new("Leafy greens", "Salades & feuilles"),
            ),
            ("roots", Names::new("Roots", "Légumes racines")),
        ],
    },
    StarterCategory {
        slug: "fruit",
        name: Names::new("Fruit", "Fruits"),
        children: &[],
    },
    StarterCategory {
        slug: "dairy-eggs",
        name: Names::new("Dairy & Eggs", "Crèmerie & œufs"),
        children: &[
            ("cheese", Names::new("Cheese", "Fromages")),
            ("eggs", Names::new("Eggs", "Œufs")),
        ],
    },
    StarterCategory {
        slug: "meat",
        name: Names::new("Meat", "Viandes"),
        children: &[],
    },
    StarterCategory {
        slug: "pantry",
        name: Names::new("Pantry", "Épicerie"),
        children: &[
            ("honey", Names::new("Honey", "Miel")),
            (
                "preserves",
                Names::new("Preserves", "Conserves & confitures"),
            ),
        ],
    },
];

const B2B: &[StarterCategory] = &[
    StarterCategory {
        slug: "packaging",
        name: Names::new("Packaging", "Emballages"),
        children: &[
            ("boxes", Names::new("Boxes", "Boîtes")),
            ("labels", Names::new("Labels", "Étiquettes")),
        ],
    },
    StarterCategory {
        slug: "raw-materials",
        name: Names::new("Raw materials", "Matières premières"),
        children: &[
            ("wood", Names::new("Wood", "Bois")),
            ("yarn", Names::new("Yarn", "Fils")),
            ("clay", Names::new("Clay", "Argile")),
        ],
    },
    StarterCategory {
        slug: "tools",
        name: Names::new("Tools & Equipment", "Outils & équipement"),
        children: &[],
    },
];

impl Template {
    pub const ALL: [Template; 3] = [Template::Handmade, Template::Farm, Template::B2b];

    pub fn as_str(self) -> &'static str {
        match self {
            Template::Handmade => "handmade",
            Template::Farm => "farm",
            Template::B2b => "b2b",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| Invalid::new(format!("unknown template `{s}` (handmade, farm, b2b)")))
    }

    pub fn starter_categories(self) -> &'static [StarterCategory] {
        match self {
            Template::Handmade => HANDMADE,
            Template::Farm => FARM,
            Template::B2b => B2B,
        }
    }

    /// The feature set a new marketplace of this kind starts with.
    pub fn default_features(self) -> FeatureFlags {
        use Feature::*;
        let on: &[Feature] = match self {
            Template::Handmade => &[GuestCheckout, SellerVerification, Reviews, GiftWrapping],
            Template::Farm => &[
                GuestCheckout,
                SellByWeight,
                MarketDayPos,
                PickLists,
                Invoices,
                LocalPickup,
            ],
            Template::B2b => &[
                BusinessAccounts,
                RecurringOrders,
                Invoices,
                SellerVerification,
            ],
        };
        let mut flags = FeatureFlags::all_off();
        for f in on {
            flags.0.insert(f.key().to_owned(), true);
        }
        flags
    }

    /// The commission a new marketplace of this kind starts with, in basis points.
    pub fn default_commission_bps(self) -> i64 {
        match self {
            Template::Handmade => 1000,
            Template::Farm => 500,
            Template::B2b => 300,
        }
    }
}

/// Every switchable capability of a marketplace. Unknown flag names are refused so a typo in
/// the control plane never silently does nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    GuestCheckout,
    SellerVerification,
    Reviews,
    GiftWrapping,
    SellByWeight,
    MarketDayPos,
    PickLists,
    Invoices,
    LocalPickup,
    BusinessAccounts,
    RecurringOrders,
}

impl Feature {
    pub const ALL: [Feature; 11] = [
        Feature::GuestCheckout,
        Feature::SellerVerification,
        Feature::Reviews,
        Feature::GiftWrapping,
        Feature::SellByWeight,
        Feature::MarketDayPos,
        Feature::PickLists,
        Feature::Invoices,
        Feature::LocalPickup,
        Feature::BusinessAccounts,
        Feature::RecurringOrders,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Feature::GuestCheckout => "guest_checkout",
            Feature::SellerVerification => "seller_verification",
            Feature::Reviews => "reviews",
            Feature::GiftWrapping => "gift_wrapping",
            Feature::SellByWeight => "sell_by_weight",
            Feature::MarketDayPos => "market_day_pos",
            Feature::PickLists => "pick_lists",
            Feature::Invoices => "invoices",
            Feature::LocalPickup => "local_pickup",
            Feature::BusinessAccounts => "business_accounts",
            Feature::RecurringOrders => "recurring_orders",
        }
    }
}

/// The complete on/off map of a marketplace's features (every known flag present).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureFlags(BTreeMap<String, bool>);

impl FeatureFlags {
    pub fn all_off() -> Self {
        Self(
            Feature::ALL
                .iter()
                .map(|f| (f.key().to_owned(), false))
                .collect(),
        )
    }

    /// Reads stored flags, filling in any flag added since they were written as off.
    pub fn from_stored(map: BTreeMap<String, bool>) -> Self {
        let mut flags = Self::all_off();
        for (k, v) in map {
            if flags.0.contains_key(&k) {
                flags.0.insert(k, v);
            }
        }
        flags
    }

    /// Applies a partial update; names every unknown flag in the error.
    pub fn apply(&mut self, changes: &BTreeMap<String, bool>) -> Result<(), Invalid> {
        let unknown: Vec<&str> = changes
            .keys()
            .filter(|k| !self.0.contains_key(k.as_str()))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            let known: Vec<&str> = Feature::ALL.iter().map(|f| f.key()).collect();
            return Err(Invalid::new(format!(
                "unknown feature flag(s) {} (known: {})",
                unknown.join(", "),
                known.join(", ")
            )));
        }
        for (k, v) in changes {
            self.0.insert(k.clone(), *v);
        }
        Ok(())
    }

    pub fn is_on(&self, feature: Feature) -> bool {
        self.0.get(feature.key()).copied().unwrap_or(false)
    }

    pub fn as_map(&self) -> &BTreeMap<String, bool> {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_has_a_tree_and_its_own_features() {
        for t in Template::ALL {
            assert!(!t.starter_categories().is_empty());
            assert_eq!(Template::parse(t.as_str()), Ok(t));
        }
        assert!(
            Template::Farm
                .default_features()
                .is_on(Feature::SellByWeight)
        );
        assert!(
            !Template::Handmade
                .default_features()
                .is_on(Feature::SellByWeight)
        );
        assert!(
            Template::B2b
                .default_features()
                .is_on(Feature::BusinessAccounts)
        );
    }

    #[test]
    fn unknown_flags_are_refused_and_nothing_is_applied() {
        let mut flags = FeatureFlags::all_off();
        let mut changes = BTreeMap::new();
        changes.insert("reviews".to_owned(), true);
        changes.insert("teleport".to_owned(), true);
        let err = flags.apply(&changes).unwrap_err();
        assert!(err.0.contains("teleport"));
        assert!(!flags.is_on(Feature::Reviews));
    }

    #[test]
    fn stored_flags_gain_new_flags_as_off_and_drop_retired_ones() {
        let mut stored = BTreeMap::new();
        stored.insert("reviews".to_owned(), true);
        stored.insert("retired".to_owned(), true);
        let flags = FeatureFlags::from_stored(stored);
        assert!(flags.is_on(Feature::Reviews));
        assert!(!flags.as_map().contains_key("retired"));
        assert_eq!(flags.as_map().len(), Feature::ALL.len());
    }
}
