//! The HTTP vocabulary shared by both servers: request and response objects (poem-openapi)
//! and the problem body every error is rendered as (`application/problem+json`, a stable `code`).
//!
//! This crate must never depend on diesel or the database crate: API shapes change for API
//! reasons, tables for storage reasons.

pub mod account;
pub mod catalog;
pub mod commerce;
pub mod control;
mod csv_body;
mod error;
pub mod legal;
mod prerendered;
pub mod refunds;
pub mod store;
mod text;

pub use csv_body::CsvBody;
pub use error::{Code, FieldProblem, Problem};
pub use prerendered::Prerendered;
pub use text::Text;

use poem_openapi::Object;

/// A marketplace's look: shown on every page of its storefront.
#[derive(Debug, Clone, PartialEq, Object, serde::Serialize)]
#[oai(skip_serializing_if_is_none)]
pub struct Branding {
    /// Name shown in the header and e-mails.
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// `#rrggbb`.
    pub primary_color: String,
    /// `#rrggbb`.
    pub accent_color: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tagline: Option<String>,
    /// The uploaded logo (`POST /admin/branding/logo`), shown instead of `logo_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo: Option<ImageView>,
}

/// An uploaded picture (a shop's logo or banner, a marketplace's logo): re-encoded as WebP
/// without its metadata and stored in up to three widths (320, 640 and 1280 pixels, never
/// wider than the original), each served with a long cache lifetime.
#[derive(Debug, Clone, PartialEq, Eq, Object, serde::Serialize)]
pub struct ImageView {
    /// The picture about 640 pixels wide.
    pub url: String,
    /// Every stored width (`/media/…/320.webp 320w, …`), for `srcset`.
    pub srcset: String,
    /// The stored widths, ascending.
    pub widths: Vec<i32>,
    /// The size of the picture as uploaded (after turning it upright).
    pub width: i32,
    pub height: i32,
}

/// A marketplace's fee schedule.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FeeSchedule {
    /// Commission taken from each sale, in basis points (1000 = 10%).
    pub seller_commission_bps: i32,
    /// Krafto's share, paid out of the commission, in basis points.
    pub platform_fee_bps: i32,
    /// Smallest accepted order, in minor units of the marketplace currency.
    pub minimum_order_minor: i64,
    /// Whether Krafto gives its fee back when an order is refunded (otherwise the
    /// marketplace returns it out of its share).
    pub refund_platform_fee: bool,
}
