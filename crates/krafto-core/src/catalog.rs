//! Catalog rules: the shop and listing state machines, what buyers may see, and what a
//! listing needs before it can be published. Every rule lives here once; handlers, search
//! and the storefront ask these functions.

use crate::text_enum::text_enum;
use crate::{FieldError, Invalid};

text_enum! {
    /// Where a shop stands.
    pub enum ShopStatus("shop status") {
        Draft = "draft",
        PendingReview = "pending_review",
        Active = "active",
        Suspended = "suspended",
    }
}

/// Something that happens to a shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopEvent {
    /// The seller asks to go live; the operator reviews first when the marketplace says so.
    Submit {
        review_required: bool,
    },
    Approve,
    /// Back to draft, with a reason the seller sees.
    Reject,
    Suspend,
    Reinstate,
}

impl ShopStatus {
    /// The one place that decides which moves a shop may make.
    pub fn transition(self, event: ShopEvent) -> Result<ShopStatus, Invalid> {
        use ShopEvent::*;
        use ShopStatus::*;
        match (self, event) {
            (
                Draft,
                Submit {
                    review_required: true,
                },
            ) => Ok(PendingReview),
            (
                Draft,
                Submit {
                    review_required: false,
                },
            ) => Ok(Active),
            (PendingReview, Approve) => Ok(Active),
            (PendingReview, Reject) => Ok(Draft),
            (Active | PendingReview, Suspend) => Ok(Suspended),
            (Suspended, Reinstate) => Ok(Active),
            (from, event) => Err(Invalid::new(format!(
                "a {} shop cannot {}",
                from.as_str(),
                shop_event_name(event)
            ))),
        }
    }

    /// Whether buyers see the shop and its listings.
    pub fn is_public(self) -> bool {
        matches!(self, ShopStatus::Active)
    }

    /// Statuses whose shops buyers see (for queries).
    pub fn public() -> Vec<ShopStatus> {
        Self::ALL.into_iter().filter(|s| s.is_public()).collect()
    }
}

fn shop_event_name(e: ShopEvent) -> &'static str {
    match e {
        ShopEvent::Submit { .. } => "be submitted",
        ShopEvent::Approve => "be approved",
        ShopEvent::Reject => "be rejected",
        ShopEvent::Suspend => "be suspended",
        ShopEvent::Reinstate => "be reinstated",
    }
}

text_enum! {
    /// Where a listing stands.
    pub enum ListingStatus("listing status") {
        Draft = "draft",
        PendingReview = "pending_review",
        Active = "active",
        OutOfStock = "out_of_stock",
        Rejected = "rejected",
        Archived = "archived",
    }
}

/// Something that happens to a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingEvent {
    Publish {
        review_required: bool,
        in_stock: bool,
    },
    Approve {
        in_stock: bool,
    },
    Reject,
    /// Stock was recounted; only live listings move.
    Stock {
        in_stock: bool,
    },
    Archive,
    Restore,
}

impl ListingStatus {
    fn live(in_stock: bool) -> ListingStatus {
        if in_stock {
            ListingStatus::Active
        } else {
            ListingStatus::OutOfStock
        }
    }

    /// The one place that decides which moves a listing may make.
    pub fn transition(self, event: ListingEvent) -> Result<ListingStatus, Invalid> {
        use ListingEvent::*;
        use ListingStatus::*;
        match (self, event) {
            (
                Draft | Rejected,
                Publish {
                    review_required: true,
                    ..
                },
            ) => Ok(PendingReview),
            (
                Draft | Rejected,
                Publish {
                    review_required: false,
                    in_stock,
                },
            ) => Ok(Self::live(in_stock)),
            (PendingReview, Approve { in_stock }) => Ok(Self::live(in_stock)),
            (PendingReview, Reject) => Ok(Rejected),
            (Active | OutOfStock, Stock { in_stock }) => Ok(Self::live(in_stock)),
            (other, Stock { .. }) => Ok(other),
            (Draft | PendingReview | Active | OutOfStock | Rejected, Archive) => Ok(Archived),
            (Archived, Restore) => Ok(Draft),
            (from, event) => Err(Invalid::new(format!(
                "a listing that is {} cannot {}",
                from.as_str().replace('_', " "),
                match event {
                    Publish { .. } => "be published",
                    Approve { .. } => "be approved",
                    Reject => "be rejected",
                    Stock { .. } => "change stock",
                    Archive => "be archived",
                    Restore => "be restored",
                }
            ))),
        }
    }

    /// Whether the listing itself is on show (its shop must be public too).
    pub fn is_public(self) -> bool {
        matches!(self, ListingStatus::Active | ListingStatus::OutOfStock)
    }

    /// Statuses of listings buyers see (for queries).
    pub fn public() -> Vec<ListingStatus> {
        Self::ALL.into_iter().filter(|s| s.is_public()).collect()
    }
}

/// Whether buyers see a listing: it is live and its shop is public.
pub fn visible_to_buyers(listing: ListingStatus, shop: ShopStatus) -> bool {
    listing.is_public() && shop.is_public()
}

text_enum! {
    /// Where a seller's know-your-customer submission stands.
    pub enum VerificationStatus("verification status") {
        /// Waiting for the operator's review.
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
    }
}

text_enum! {
    /// Where a buyer's report about a listing or shop stands.
    pub enum ReportStatus("report status") {
        /// Waiting for the operator.
        Open = "open",
        /// Closed with action taken.
        Resolved = "resolved",
        /// Closed without action.
        Dismissed = "dismissed",
    }
}

text_enum! {
    /// The unit a marketplace states its review time in.
    pub enum ReviewTimeUnit("review time unit") {
        Hours = "hours",
        Days = "days",
    }
}

/// How long the marketplace's review (of a shop, a listing, a verification) usually takes,
/// as sellers are told: "usually within 2 days". 1 to 168 hours, or 1 to 30 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewTime {
    amount: i32,
    unit: ReviewTimeUnit,
}

impl ReviewTime {
    /// What a marketplace says until its operators change it: 2 days.
    pub const DEFAULT: ReviewTime = ReviewTime {
        amount: 2,
        unit: ReviewTimeUnit::Days,
    };

    /// A review time within its unit's bounds.
    pub fn new(amount: i32, unit: ReviewTimeUnit) -> Result<Self, Invalid> {
        let max = match unit {
            ReviewTimeUnit::Hours => 168,
            ReviewTimeUnit::Days => 30,
        };
        if (1..=max).contains(&amount) {
            Ok(Self { amount, unit })
        } else {
            Err(Invalid::new(match unit {
                ReviewTimeUnit::Hours => "must be between 1 and 168 hours",
                ReviewTimeUnit::Days => "must be between 1 and 30 days",
            }))
        }
    }

    pub fn amount(self) -> i32 {
        self.amount
    }

    pub fn unit(self) -> ReviewTimeUnit {
        self.unit
    }
}

/// Optional listing fields a marketplace can make mandatory for publishing.
pub const REQUIRABLE_FIELDS: &[&str] = &[
    "category",
    "dimensions",
    "materials",
    "weight",
    "tags",
    "style",
    "processing_time",
];

/// What publishing looks at.
#[derive(Debug, Clone, Default)]
pub struct ListingCompleteness {
    pub photos: usize,
    pub description_len: usize,
    pub has_category: bool,
    pub has_dimensions: bool,
    pub materials: usize,
    pub has_weight: bool,
    pub tags: usize,
    pub has_style: bool,
    pub has_processing_time: bool,
}

/// Every field missing for publishing under the marketplace's rules (empty when ready).
pub fn missing_for_publish(
    l: &ListingCompleteness,
    min_photos: usize,
    required: &[String],
) -> Vec<FieldError> {
    let mut missing = Vec::new();
    if l.photos < min_photos {
        missing.push(FieldError::new(
            "photos",
            format!("at least {min_photos} photo(s) needed, {} given", l.photos),
        ));
    }
    if l.description_len == 0 {
        missing.push(FieldError::new("description", "a description is needed"));
    }
    for field in required {
        let (ok, name, msg) = match field.as_str() {
            "category" => (l.has_category, "category_id", "choose a category"),
            "dimensions" => (
                l.has_dimensions,
                "dimensions",
                "length, width and height are needed",
            ),
            "materials" => (l.materials > 0, "materials", "list at least one material"),
            "weight" => (l.has_weight, "weight_g", "the weight is needed"),
            "tags" => (l.tags > 0, "tags", "add at least one tag"),
            "style" => (l.has_style, "style", "the style is needed"),
            "processing_time" => (
                l.has_processing_time,
                "processing_days",
                "the processing time is needed",
            ),
            _ => (true, "", ""),
        };
        if !ok {
            missing.push(FieldError::new(name, msg));
        }
    }
    missing
}

/// An ISO 3166-1 alpha-2 country code, uppercased.
pub fn country_code(raw: &str) -> Result<String, Invalid> {
    let s = raw.trim().to_ascii_uppercase();
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(s)
    } else {
        Err(Invalid::new("must be a two-letter country code like FR"))
    }
}

/// A free-form label (tag, material, style, language): trimmed, lowercased, 1–40 chars.
pub fn label(raw: &str) -> Result<String, Invalid> {
    let s = raw.trim().to_lowercase();
    if s.is_empty() || s.chars().count() > 40 {
        return Err(Invalid::new("each entry must be 1 to 40 characters"));
    }
    if s.chars().any(char::is_control) {
        return Err(Invalid::new("must not contain control characters"));
    }
    Ok(s)
}

/// Normalises a list of labels: each valid, duplicates removed, at most `max`.
pub fn labels<S: AsRef<str>>(raw: &[S], max: usize) -> Result<Vec<String>, Invalid> {
    if raw.len() > max {
        return Err(Invalid::new(format!("at most {max} entries")));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for r in raw {
        let l = label(r.as_ref())?;
        if !out.contains(&l) {
            out.push(l);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shops_go_live_through_review_only_when_required() {
        let review = ShopEvent::Submit {
            review_required: true,
        };
        let direct = ShopEvent::Submit {
            review_required: false,
        };
        assert_eq!(
            ShopStatus::Draft.transition(review),
            Ok(ShopStatus::PendingReview)
        );
        assert_eq!(ShopStatus::Draft.transition(direct), Ok(ShopStatus::Active));
        assert_eq!(
            ShopStatus::PendingReview.transition(ShopEvent::Reject),
            Ok(ShopStatus::Draft)
        );
        assert_eq!(
            ShopStatus::Active.transition(ShopEvent::Suspend),
            Ok(ShopStatus::Suspended)
        );
        assert_eq!(
            ShopStatus::Suspended.transition(ShopEvent::Reinstate),
            Ok(ShopStatus::Active)
        );
        assert!(ShopStatus::Active.transition(ShopEvent::Approve).is_err());
        assert!(ShopStatus::Suspended.transition(direct).is_err());
        assert!(ShopStatus::Draft.transition(ShopEvent::Reinstate).is_err());
    }

    #[test]
    fn listings_follow_stock_and_review() {
        use ListingEvent::*;
        use ListingStatus::*;
        assert_eq!(
            Draft.transition(Publish {
                review_required: true,
                in_stock: true
            }),
            Ok(PendingReview)
        );
        assert_eq!(
            Draft.transition(Publish {
                review_required: false,
                in_stock: false
            }),
            Ok(OutOfStock)
        );
        assert_eq!(
            PendingReview.transition(Approve { in_stock: true }),
            Ok(Active)
        );
        assert_eq!(PendingReview.transition(Reject), Ok(Rejected));
        assert_eq!(
            Rejected.transition(Publish {
                review_required: true,
                in_stock: true
            }),
            Ok(PendingReview)
        );
        assert_eq!(Active.transition(Stock { in_stock: false }), Ok(OutOfStock));
        assert_eq!(OutOfStock.transition(Stock { in_stock: true }), Ok(Active));
        assert_eq!(
            Draft.transition(Stock { in_stock: true }),
            Ok(Draft),
            "stock never publishes"
        );
        assert_eq!(Active.transition(Archive), Ok(Archived));
        assert_eq!(Archived.transition(Restore), Ok(Draft));
        assert!(
            Active
                .transition(Publish {
                    review_required: false,
                    in_stock: true
                })
                .is_err()
        );
        assert!(
            Archived
                .transition(Publish {
                    review_required: false,
                    in_stock: true
                })
                .is_err()
        );
        assert!(Active.transition(Approve { in_stock: true }).is_err());
    }

    #[test]
    fn buyers_see_live_listings_of_active_shops_only() {
        for l in ListingStatus::ALL {
            for s in ShopStatus::ALL {
                let expected = matches!(l, ListingStatus::Active | ListingStatus::OutOfStock)
                    && s == ShopStatus::Active;
                assert_eq!(visible_to_buyers(l, s), expected, "{l:?} in {s:?}");
            }
        }
        assert_eq!(
            ListingStatus::public(),
            [ListingStatus::Active, ListingStatus::OutOfStock]
        );
        assert_eq!(ShopStatus::public(), [ShopStatus::Active]);
    }

    #[test]
    fn publishing_names_every_missing_field() {
        let l = ListingCompleteness {
            photos: 1,
            description_len: 10,
            ..Default::default()
        };
        let required: Vec<String> = ["dimensions", "materials"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let missing = missing_for_publish(&l, 3, &required);
        let fields: Vec<&str> = missing.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["photos", "dimensions", "materials"]);
        let ready = ListingCompleteness {
            photos: 3,
            description_len: 10,
            has_dimensions: true,
            materials: 1,
            ..Default::default()
        };
        assert!(missing_for_publish(&ready, 3, &required).is_empty());
    }

    #[test]
    fn labels_are_normalised_and_bounded() {
        assert_eq!(
            labels(&["Wool ", "wool", "Linen"], 5).unwrap(),
            ["wool", "linen"]
        );
        assert!(labels(&[""], 5).is_err());
        assert!(labels(&vec!["a".to_owned(); 6], 5).is_err());
        assert_eq!(country_code("fr").unwrap(), "FR");
        assert!(country_code("FRA").is_err());
    }

    #[test]
    fn stored_statuses_round_trip_and_unknown_ones_are_named() {
        for s in ShopStatus::ALL {
            assert_eq!(ShopStatus::try_from(s.as_str().to_owned()), Ok(s));
        }
        for l in ListingStatus::ALL {
            assert_eq!(ListingStatus::try_from(l.as_str().to_owned()), Ok(l));
        }
        let err = ListingStatus::try_from("gone".to_owned()).unwrap_err();
        assert!(err.to_string().contains("`gone`"), "{err}");
        let err = ShopStatus::try_from("closed".to_owned()).unwrap_err();
        assert!(err.to_string().contains("`closed`"), "{err}");
    }

    #[test]
    fn a_review_time_is_1_to_168_hours_or_1_to_30_days() {
        use super::{ReviewTime, ReviewTimeUnit};
        assert!(ReviewTime::new(48, ReviewTimeUnit::Hours).is_ok());
        assert!(ReviewTime::new(168, ReviewTimeUnit::Hours).is_ok());
        assert!(ReviewTime::new(169, ReviewTimeUnit::Hours).is_err());
        assert!(ReviewTime::new(30, ReviewTimeUnit::Days).is_ok());
        assert!(ReviewTime::new(31, ReviewTimeUnit::Days).is_err());
        assert!(ReviewTime::new(0, ReviewTimeUnit::Days).is_err());
        assert_eq!(ReviewTime::DEFAULT.amount(), 2);
        assert_eq!(ReviewTime::DEFAULT.unit(), ReviewTimeUnit::Days);
        assert_eq!(
            ReviewTimeUnit::parse("weeks").unwrap_err().0,
            "unknown review time unit `weeks`"
        );
    }
}
