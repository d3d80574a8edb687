//! Objects of the control plane API (`/control/v1`).

use crate::Text;
use crate::{Branding, FeeSchedule};
use chrono::{DateTime, Utc};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{Enum, Object};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StaffLogin {
    pub email: Text,
    #[oai(write_only)]
    pub password: Text,
}

/// A bearer token and when it stops working.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TokenResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum TemplateName {
    Handmade,
    Farm,
    B2b,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum TenantStatusName {
    Active,
    Suspended,
}

/// Branding on creation: anything left out takes a sensible default.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BrandingInput {
    pub display_name: Option<Text>,
    pub logo_url: Option<Text>,
    pub primary_color: Option<Text>,
    pub accent_color: Option<Text>,
    pub tagline: Option<Text>,
}

/// Fees on creation: anything left out takes the template's default.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FeesInput {
    pub seller_commission_bps: Option<i64>,
    pub platform_fee_bps: Option<i64>,
    pub minimum_order_minor: Option<i64>,
    /// Charged to buyers on top of item prices and kept by the marketplace, in basis points
    /// (0 to 10000, default 0).
    pub buyer_fee_bps: Option<i64>,
    /// Whether Krafto gives its own fee back when an order is refunded (default false: the
    /// marketplace returns it out of its share).
    pub refund_platform_fee: Option<bool>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateTenant {
    /// DNS label: the marketplace answers at `{slug}.{KRAFTO_BASE_DOMAIN}`.
    pub slug: Text,
    pub name: Text,
    pub template: TemplateName,
    /// ISO 4217, default `EUR`.
    pub currency: Option<Text>,
    /// e.g. `fr-FR`, default `en`.
    pub locale: Option<Text>,
    /// Custom domains; the first is primary.
    #[oai(default)]
    pub domains: Vec<Text>,
    pub branding: Option<BrandingInput>,
    pub fees: Option<FeesInput>,
    /// Overrides of the template's feature flags.
    #[oai(default)]
    pub features: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DomainView {
    pub host: String,
    pub verified: bool,
    pub primary: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TenantView {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub status: TenantStatusName,
    pub suspended_reason: Option<String>,
    pub template: TemplateName,
    pub currency: String,
    pub locale: String,
    pub branding: Branding,
    pub fees: FeeSchedule,
    /// Charged to buyers on top of item prices and kept by the marketplace, in basis points.
    pub buyer_fee_bps: i32,
    /// The marketplace's Stripe Connect account, where its commission is paid.
    pub stripe: StripeAccountView,
    pub features: BTreeMap<String, bool>,
    /// White label: buyers and sellers see "Powered by Krafto" only when this is on.
    pub powered_by: bool,
    /// The API's documentation is served on the marketplace's hosts.
    pub public_api: bool,
    /// Replies to the marketplace's e-mails go here.
    pub support_email: Option<String>,
    /// Every host the marketplace answers on: `{slug}.{base domain}` first.
    pub hosts: Vec<String>,
    pub domains: Vec<DomainView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TenantPage {
    pub items: Vec<TenantView>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Branding changes; `null` clears an optional field.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct BrandingPatch {
    pub display_name: Option<Text>,
    pub logo_url: MaybeUndefined<Text>,
    pub primary_color: Option<Text>,
    pub accent_color: Option<Text>,
    pub tagline: MaybeUndefined<Text>,
}

#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UpdateTenant {
    pub name: Option<Text>,
    pub branding: Option<BrandingPatch>,
    pub fees: Option<FeesInput>,
    /// Flags to switch; unknown names are refused.
    pub features: Option<BTreeMap<String, bool>>,
    /// `suspended` takes the marketplace offline at once; `active` resumes it.
    pub status: Option<TenantStatusName>,
    /// Required when suspending; shown to nobody but staff and operators.
    pub suspended_reason: Option<Text>,
    /// Show "Powered by Krafto" to buyers and sellers (off: nothing names Krafto).
    pub powered_by: Option<bool>,
    /// Serve the API's documentation on the marketplace's hosts.
    pub public_api: Option<bool>,
    /// Where replies to the marketplace's e-mails go; `null` removes it.
    pub support_email: MaybeUndefined<Text>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AddDomain {
    pub host: Text,
    #[oai(default)]
    pub primary: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateOperator {
    pub email: Text,
    pub display_name: Option<Text>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OperatorView {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub email: String,
    pub role: String,
    pub display_name: Option<String>,
    /// Where the operator signs in (with an e-mailed code).
    pub sign_in_url: String,
    /// When they last signed in to the marketplace (never, when absent).
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

/// A marketplace's operators.
#[derive(Debug, Clone, Object)]
pub struct OperatorList {
    pub items: Vec<OperatorView>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditEntryView {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub actor_kind: String,
    /// The user or staff member who acted, when one did (none for the system).
    pub actor_id: Option<Uuid>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub details: serde_json::Value,
    pub request_id: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditPage {
    pub items: Vec<AuditEntryView>,
    pub next_cursor: Option<String>,
}

/// A marketplace's Stripe Connect account (its commission is paid there), as last reported
/// by Stripe.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StripeAccountView {
    /// `null` until created with `POST /tenants/{id}/stripe/account`.
    pub account_id: Option<String>,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    /// Requirements still outstanding, as Stripe names them.
    pub requirements: Vec<String>,
    /// Charges and payouts are both enabled: the marketplace can be paid its commission.
    pub ready: bool,
    /// Payments run through Krafto's built-in test gateway: nothing is charged.
    pub test_mode: bool,
}

/// Where Stripe sends the marketplace's operator after onboarding; both default to the
/// marketplace's storefront.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StripeLinkRequest {
    /// Where to go after onboarding.
    pub return_url: Option<Text>,
    /// Where to go when the link has expired and a fresh one is needed.
    pub refresh_url: Option<Text>,
}
