//! Objects of the catalog: shops, verification, listings, moderation, reports, search.

use crate::{ImageView, Text};
use chrono::{DateTime, Utc};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Enum, Object};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Location {
    pub city: Option<Text>,
    pub region: Option<Text>,
    /// ISO 3166-1 alpha-2, e.g. `FR`.
    pub country: Option<Text>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A shop's profile, as the seller writes it.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ShopInput {
    pub name: Text,
    pub story: Option<Text>,
    pub location: Option<Location>,
    pub profile_image_url: Option<Text>,
    pub banner_url: Option<Text>,
    /// e.g. `{"instagram": "https://instagram.com/…"}`.
    #[oai(default)]
    pub social_links: BTreeMap<String, String>,
    pub return_policy: Option<Text>,
    pub processing_days_min: Option<i32>,
    pub processing_days_max: Option<i32>,
    /// Language tags the seller answers in, e.g. `fr`, `en`.
    #[oai(default)]
    pub languages: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ShopStatusName {
    Draft,
    PendingReview,
    Active,
    Suspended,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ShopView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub story: Option<String>,
    pub location: Location,
    pub profile_image_url: Option<String>,
    pub banner_url: Option<String>,
    /// The uploaded logo (`POST /seller/shop/logo`), shown instead of `profile_image_url`.
    pub logo: Option<ImageView>,
    /// The uploaded banner (`POST /seller/shop/banner`), shown instead of `banner_url`.
    pub banner: Option<ImageView>,
    pub social_links: BTreeMap<String, String>,
    pub return_policy: Option<String>,
    pub processing_days_min: Option<i32>,
    pub processing_days_max: Option<i32>,
    pub languages: Vec<String>,
    pub status: ShopStatusName,
    /// Why the shop was sent back or suspended.
    pub status_reason: Option<String>,
    pub verified: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The shop just opened, and a fresh token carrying the seller role.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ShopOpened {
    pub shop: ShopView,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OnboardingStep {
    /// `profile`, `verification`, `payouts`, `first_listing`.
    pub key: String,
    pub done: bool,
    /// What is missing, or where things stand.
    pub detail: String,
}

/// The seller's resumable checklist.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Onboarding {
    pub steps: Vec<OnboardingStep>,
    /// The first step not done yet.
    pub next_step: Option<String>,
    pub complete: bool,
    pub shop_status: ShopStatusName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum BusinessType {
    Individual,
    SoleTrader,
    Company,
    Association,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Address {
    pub line1: Text,
    pub line2: Option<Text>,
    pub postal_code: Text,
    pub city: Text,
    pub country: Text,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VerificationInput {
    pub legal_name: Text,
    pub business_type: BusinessType,
    pub address: Address,
    /// References to documents held by the identity provider or file store.
    pub document_refs: Vec<Text>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VerificationView {
    pub id: Uuid,
    pub shop_id: Uuid,
    pub status: String,
    pub legal_name: String,
    pub business_type: String,
    pub submitted_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Photo {
    pub url: String,
    /// Describes the photo for people who cannot see it.
    pub alt: String,
    /// Every stored width of an uploaded photo (`/media/…/320.webp 320w, …`), for `srcset`.
    /// Absent for photos given by URL; ignored when sent.
    #[oai(read_only)]
    pub srcset: Option<String>,
}

/// A photo uploaded for a listing: re-encoded as WebP without its metadata, stored in up to
/// three widths (320, 640 and 1280 pixels, never wider than the original).
#[derive(Debug, Clone, PartialEq, Object)]
pub struct ListingPhotoView {
    pub id: Uuid,
    /// Photos are shown in ascending position, before the photos given by URL.
    pub position: i32,
    /// Describes the photo for people who cannot see it.
    pub alt: String,
    /// The photo about 640 pixels wide.
    pub url: String,
    /// Every stored width, for `srcset`.
    pub srcset: String,
    /// The stored widths, ascending.
    pub widths: Vec<i32>,
    /// The size of the picture as uploaded (after turning it upright).
    pub width: i32,
    pub height: i32,
}

/// Changes to one uploaded photo.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PhotoPatch {
    /// The new text alternative (at most 300 characters).
    pub alt: Option<Text>,
}

/// The listing's uploaded photos in their new order: every photo id, each once.
#[derive(Debug, Clone, Object)]
pub struct PhotoOrder {
    pub ids: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Dimensions {
    pub length_mm: i32,
    pub width_mm: i32,
    pub height_mm: i32,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VariantInput {
    pub sku: Option<Text>,
    /// e.g. `{"size": "M", "colour": "indigo"}`.
    pub options: BTreeMap<String, String>,
    /// Overrides the listing price when set.
    pub price_minor: Option<i64>,
    pub quantity: i32,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct VariantView {
    pub id: Uuid,
    pub sku: Option<String>,
    pub options: BTreeMap<String, String>,
    pub price_minor: i64,
    pub quantity: i32,
}

/// A listing as the seller writes it. With variants, stock is theirs and `quantity` is
/// ignored.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ListingInput {
    pub title: Text,
    #[oai(default)]
    pub description: Text,
    /// In minor units of the marketplace currency.
    pub price_minor: i64,
    #[oai(default)]
    pub quantity: i32,
    pub category_id: Option<Uuid>,
    #[oai(default)]
    pub tags: Vec<Text>,
    #[oai(default)]
    pub materials: Vec<Text>,
    pub dimensions: Option<Dimensions>,
    pub weight_g: Option<i32>,
    pub processing_days: Option<i32>,
    pub style: Option<Text>,
    #[oai(default)]
    pub photos: Vec<Photo>,
    #[oai(default)]
    pub variants: Vec<VariantInput>,
}

/// Listing changes; absent fields stay, `null` clears an optional one.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ListingPatch {
    pub title: Option<Text>,
    pub description: Option<Text>,
    pub price_minor: Option<i64>,
    pub quantity: Option<i32>,
    pub category_id: MaybeUndefined<Uuid>,
    pub tags: Option<Vec<Text>>,
    pub materials: Option<Vec<Text>>,
    pub dimensions: MaybeUndefined<Dimensions>,
    pub weight_g: MaybeUndefined<i32>,
    pub processing_days: MaybeUndefined<i32>,
    pub style: MaybeUndefined<Text>,
    pub photos: Option<Vec<Photo>>,
    pub variants: Option<Vec<VariantInput>>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ListingView {
    pub id: Uuid,
    pub shop_id: Uuid,
    pub title: String,
    pub description: String,
    pub price_minor: i64,
    pub currency: String,
    /// Units in stock (the sum over variants when there are any).
    pub quantity: i32,
    pub category_id: Option<Uuid>,
    pub tags: Vec<String>,
    pub materials: Vec<String>,
    pub dimensions: Option<Dimensions>,
    pub weight_g: Option<i32>,
    pub processing_days: Option<i32>,
    pub style: Option<String>,
    pub photos: Vec<Photo>,
    pub variants: Vec<VariantView>,
    pub status: String,
    pub status_reason: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ListingPage {
    pub items: Vec<ListingView>,
    pub next_cursor: Option<String>,
}

/// One line of a CSV import report.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportRow {
    /// 1-based line number in the file (the header is line 1).
    pub line: i64,
    pub ok: bool,
    pub listing_id: Option<Uuid>,
    pub errors: Vec<crate::FieldProblem>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ImportReport {
    pub imported: i64,
    pub rejected: i64,
    pub rows: Vec<ImportRow>,
}

/// A reason, required when refusing or suspending.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Reason {
    pub reason: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReviewKind {
    Shop,
    Listing,
    Verification,
    Report,
}

/// Something waiting for the operator.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReviewItem {
    pub kind: ReviewKind,
    pub id: Uuid,
    /// Shop name, listing title, legal name, or the report reason.
    pub title: String,
    pub shop_id: Option<Uuid>,
    pub detail: Option<String>,
    pub waiting_since: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReviewQueue {
    /// Oldest first.
    pub items: Vec<ReviewItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReportTarget {
    Listing,
    Shop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReportReason {
    ProhibitedItem,
    Counterfeit,
    Offensive,
    Misleading,
    IntellectualProperty,
    Other,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReportInput {
    pub target_kind: ReportTarget,
    pub target_id: Uuid,
    pub reason: ReportReason,
    pub details: Option<Text>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReportView {
    pub id: Uuid,
    pub target_kind: String,
    pub target_id: Uuid,
    pub reason: String,
    pub details: Option<String>,
    pub status: String,
    pub resolution: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReportOutcome {
    /// Action was taken.
    Resolved,
    /// Nothing wrong.
    Dismissed,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReportDecision {
    pub outcome: ReportOutcome,
    pub resolution: Text,
}

/// The operator's catalog rules.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MarketplaceSettingsView {
    pub shop_review_required: bool,
    pub listing_review_required: bool,
    pub min_photos: i32,
    /// Any of `category`, `dimensions`, `materials`, `weight`, `tags`, `style`,
    /// `processing_time`.
    pub required_listing_fields: Vec<String>,
    /// How long a review usually takes, as sellers are told ("usually within 2 days").
    pub expected_review_time: ReviewTimeView,
    /// When sellers are paid (the marketplace's own share follows its sellers).
    pub payout_timing: PayoutTimingName,
    /// With `after_delivery`: how many days after delivery sellers are paid (0 to 60).
    pub payout_delay_days: i32,
}

/// When a marketplace's sellers are paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PayoutTimingName {
    /// As soon as the buyer's payment succeeds.
    AtPayment,
    /// When the seller ships the order.
    AtShipping,
    /// `payout_delay_days` days after the order is delivered (a hold for disputes).
    AfterDelivery,
}

/// How long the marketplace's review of a shop, a listing or a verification usually takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Object)]
pub struct ReviewTimeView {
    /// 1 to 168 hours, or 1 to 30 days.
    pub amount: i32,
    pub unit: ReviewTimeUnitName,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReviewTimeUnitName {
    Hours,
    Days,
}

#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MarketplaceSettingsPatch {
    pub shop_review_required: Option<bool>,
    pub listing_review_required: Option<bool>,
    pub min_photos: Option<i32>,
    pub required_listing_fields: Option<Vec<Text>>,
    /// 1 to 168 hours, or 1 to 30 days (2 days until changed).
    pub expected_review_time: Option<ReviewTimeView>,
    /// When sellers are paid (`at_payment` until changed). Sales already made keep their
    /// held transfers until their order's next move (shipping or delivery) or due date.
    pub payout_timing: Option<PayoutTimingName>,
    /// 0 to 60 days after delivery (7 until changed); used with `after_delivery`.
    pub payout_delay_days: Option<i32>,
}

/// A seller as buyers see it on a card.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ShopCard {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub verified: bool,
    /// The shop's uploaded logo (on a listing's page and a shop's listings; search results
    /// leave it out).
    pub logo: Option<ImageView>,
}

/// A listing in search results and shop pages.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ListingCard {
    pub id: Uuid,
    pub title: String,
    pub price_minor: i64,
    pub currency: String,
    pub photo: Option<Photo>,
    pub shop: ShopCard,
    /// `verified_seller`, `sold_out`.
    pub badges: Vec<String>,
    pub location: Location,
    pub rating: Option<f64>,
    pub rating_count: i32,
    pub in_stock: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CategoryFacet {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PriceBandFacet {
    pub min_minor: i64,
    /// Open-ended when absent.
    pub max_minor: Option<i64>,
    pub count: i64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Facets {
    pub categories: Vec<CategoryFacet>,
    pub price_bands: Vec<PriceBandFacet>,
}

/// A way out of an empty result.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Suggestion {
    /// `broader_category` or `remove_filter`.
    pub kind: String,
    pub label: String,
    /// Results the suggested search has.
    pub count: i64,
    /// The query parameters of the suggested search.
    pub params: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SearchResults {
    pub items: Vec<ListingCard>,
    pub total: i64,
    pub facets: Facets,
    pub next_cursor: Option<String>,
    /// Present when nothing matched.
    pub suggestions: Vec<Suggestion>,
    /// The engine that answered (`postgres` or `opensearch`).
    pub engine: String,
}

/// A listing's public page.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ListingDetail {
    pub listing: ListingView,
    pub shop: ShopCard,
    pub purchasable: bool,
}

/// A shop's public page.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ShopPage {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub story: Option<String>,
    pub location: Location,
    pub profile_image_url: Option<String>,
    pub banner_url: Option<String>,
    /// The shop's uploaded logo, shown instead of `profile_image_url`.
    pub logo: Option<ImageView>,
    /// The shop's uploaded banner, shown instead of `banner_url`.
    pub banner: Option<ImageView>,
    pub social_links: BTreeMap<String, String>,
    pub return_policy: Option<String>,
    pub processing_days_min: Option<i32>,
    pub processing_days_max: Option<i32>,
    pub languages: Vec<String>,
    /// `verified_seller`.
    pub badges: Vec<String>,
    /// Placeholder until reviews land: no rating yet.
    pub rating: Option<f64>,
    pub rating_count: i32,
    pub listings: Vec<ListingCard>,
    pub member_since: DateTime<Utc>,
}
