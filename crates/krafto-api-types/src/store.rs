//! Objects of the platform API (storefront, auth, operator).

use crate::Text;
use crate::{Branding, FeeSchedule};
use chrono::{DateTime, Utc};
use poem_openapi::Object;
use poem_openapi::types::MaybeUndefined;
use std::collections::BTreeMap;
use uuid::Uuid;

/// A category with its sub-categories.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CategoryNode {
    pub id: Uuid,
    pub slug: String,
    /// The name in the marketplace's language.
    pub name: String,
    /// The name in each language it was given in (`{"en": "Ceramics"}`).
    pub names: BTreeMap<String, String>,
    pub description: Option<String>,
    pub position: i32,
    pub children: Vec<CategoryNode>,
}

/// The public face of a marketplace.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StoreTenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub branding: Branding,
    pub currency: String,
    pub locale: String,
    /// What sellers pay, shown to prospective sellers.
    pub fees: FeeSchedule,
    pub features: BTreeMap<String, bool>,
    pub categories: Vec<CategoryNode>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OtpStart {
    pub email: Text,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OtpStarted {
    /// Always the same message, whether or not the address has an account.
    pub message: String,
    pub expires_in_seconds: i64,
    /// Send it back with the code to `POST /auth/otp/verify`: wrong guesses count against
    /// this code only, and nobody without it can use up its attempts.
    pub challenge: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OtpVerify {
    pub email: Text,
    /// The six digits from the e-mail.
    pub code: Text,
    /// The `challenge` of the `POST /auth/otp/start` answer that sent the code.
    pub challenge: Text,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub display_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SignedIn {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserView,
    /// True when this sign-in created the account.
    pub new_account: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Me {
    pub user: UserView,
    pub tenant_id: Uuid,
    pub tenant_slug: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CategoryView {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    /// The name in the marketplace's language.
    pub name: String,
    /// The name in each language it was given in (`{"en": "Ceramics"}`).
    pub names: BTreeMap<String, String>,
    pub description: Option<String>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CategoryList {
    pub items: Vec<CategoryView>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CreateCategory {
    pub name: Text,
    /// The name in other languages, by language code (`fr`, `en`).
    #[oai(default)]
    pub names: BTreeMap<String, Text>,
    /// Derived from the name when absent.
    pub slug: Option<Text>,
    pub parent_id: Option<Uuid>,
    pub description: Option<Text>,
    #[oai(default)]
    pub position: i32,
}

/// Category changes; `parent_id: null` moves it to the top level.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UpdateCategory {
    pub name: Option<Text>,
    /// The name in other languages, by language code (`fr`, `en`); an empty name removes
    /// that language's.
    pub names: Option<BTreeMap<String, Text>>,
    pub slug: Option<Text>,
    pub parent_id: MaybeUndefined<Uuid>,
    pub description: MaybeUndefined<Text>,
    pub position: Option<i32>,
}

/// One rate limit of a marketplace and the requests it refused.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RateLimitCount {
    /// `client` (API requests per client address), `marketplace` (API requests to this
    /// marketplace from everyone) or `sign_in` (sign-in requests per client address).
    pub limit: String,
    /// The quota, e.g. `100/s` or `30/m`; absent when this limit is off.
    pub quota: Option<String>,
    /// Requests refused by this limit over the last 24 hours.
    pub refused: u64,
}

/// Requests this marketplace refused for going over a rate limit (`GET /admin/rate-limits`).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RateLimitReport {
    /// The window counted, in hours (24).
    pub window_hours: u32,
    /// Every limit, refused requests included.
    pub limits: Vec<RateLimitCount>,
    /// Requests refused by any limit over the window.
    pub refused_total: u64,
}
