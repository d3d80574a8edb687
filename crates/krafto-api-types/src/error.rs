//! The body of every error response: RFC 9457 problem details with a stable `code`.
//!
//! The error type itself ([`krafto_web::ApiError`]) lives in the HTTP boundary crate, which
//! may know both the database and poem; this crate holds only the shapes.

use poem_openapi::{Enum, Object};

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Object, serde::Serialize)]
#[oai(skip_serializing_if_is_none)]
pub struct FieldProblem {
    /// Dotted path of the field, e.g. `branding.primary_color`.
    pub field: String,
    pub message: String,
}

/// Every machine-readable error code either server answers, rendered snake_case. Clients and
/// pages compare codes as values of this enum, never as strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum, serde::Serialize)]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Code {
    AccountNotFound,
    AddressNotFound,
    AlreadyVerified,
    BadEvent,
    BadRequest,
    BadSignature,
    BelowMinimumOrder,
    CartEmpty,
    CartLineNotFound,
    CartNotPurchasable,
    CategoryHasChildren,
    CategoryInUse,
    CategoryNotFound,
    CheckoutNotFound,
    CodeExpired,
    CommissionNotFound,
    Conflict,
    DatabaseUnavailable,
    DomainNotFound,
    Forbidden,
    FormNotFound,
    HostTaken,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
    InsufficientStock,
    Internal,
    InvalidCode,
    InvalidCredentials,
    InvalidRequest,
    InvalidTransition,
    ListingIncomplete,
    ListingLive,
    ListingNotFound,
    MailUnavailable,
    MethodNotAllowed,
    NoShop,
    NoStripeAccount,
    NoVerification,
    NotFound,
    NotTestMode,
    OperatorExists,
    OrderNotFound,
    OrdersInProgress,
    OutOfStock,
    PayloadTooLarge,
    PaymentRefused,
    PaymentUnavailable,
    ProfileIncomplete,
    RateLimited,
    ReportNotFound,
    SearchUnavailable,
    SellerNotPayable,
    ServiceUnavailable,
    ShopExists,
    ShopNameTaken,
    ShopNotFound,
    ShopSuspended,
    SlugTaken,
    StripeRefused,
    StripeUnavailable,
    TenantNotFound,
    TenantSuspended,
    TooManyAttempts,
    TotalChanged,
    Unauthenticated,
    UnknownTenant,
    UnsupportedMediaType,
    ValidationFailed,
    VerificationNotFound,
    VerificationPending,
    WebhooksNotConfigured,
}

impl Code {
    /// Every code, for the test that each one is used and documented.
    pub const ALL: &[Code] = &[
        Code::AccountNotFound,
        Code::AddressNotFound,
        Code::AlreadyVerified,
        Code::BadEvent,
        Code::BadRequest,
        Code::BadSignature,
        Code::BelowMinimumOrder,
        Code::CartEmpty,
        Code::CartLineNotFound,
        Code::CartNotPurchasable,
        Code::CategoryHasChildren,
        Code::CategoryInUse,
        Code::CategoryNotFound,
        Code::CheckoutNotFound,
        Code::CodeExpired,
        Code::CommissionNotFound,
        Code::Conflict,
        Code::DatabaseUnavailable,
        Code::DomainNotFound,
        Code::Forbidden,
        Code::FormNotFound,
        Code::HostTaken,
        Code::IdempotencyKeyRequired,
        Code::IdempotencyKeyReused,
        Code::InsufficientStock,
        Code::Internal,
        Code::InvalidCode,
        Code::InvalidCredentials,
        Code::InvalidRequest,
        Code::InvalidTransition,
        Code::ListingIncomplete,
        Code::ListingLive,
        Code::ListingNotFound,
        Code::MailUnavailable,
        Code::MethodNotAllowed,
        Code::NoShop,
        Code::NoStripeAccount,
        Code::NoVerification,
        Code::NotFound,
        Code::NotTestMode,
        Code::OperatorExists,
        Code::OrderNotFound,
        Code::OrdersInProgress,
        Code::OutOfStock,
        Code::PayloadTooLarge,
        Code::PaymentRefused,
        Code::PaymentUnavailable,
        Code::ProfileIncomplete,
        Code::RateLimited,
        Code::ReportNotFound,
        Code::SearchUnavailable,
        Code::SellerNotPayable,
        Code::ServiceUnavailable,
        Code::ShopExists,
        Code::ShopNameTaken,
        Code::ShopNotFound,
        Code::ShopSuspended,
        Code::SlugTaken,
        Code::StripeRefused,
        Code::StripeUnavailable,
        Code::TenantNotFound,
        Code::TenantSuspended,
        Code::TooManyAttempts,
        Code::TotalChanged,
        Code::Unauthenticated,
        Code::UnknownTenant,
        Code::UnsupportedMediaType,
        Code::ValidationFailed,
        Code::VerificationNotFound,
        Code::VerificationPending,
        Code::WebhooksNotConfigured,
    ];

    /// The code as it appears in a problem (`shop_not_found`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::AccountNotFound => "account_not_found",
            Code::AddressNotFound => "address_not_found",
            Code::AlreadyVerified => "already_verified",
            Code::BadEvent => "bad_event",
            Code::BadRequest => "bad_request",
            Code::BadSignature => "bad_signature",
            Code::BelowMinimumOrder => "below_minimum_order",
            Code::CartEmpty => "cart_empty",
            Code::CartLineNotFound => "cart_line_not_found",
            Code::CartNotPurchasable => "cart_not_purchasable",
            Code::CategoryHasChildren => "category_has_children",
            Code::CategoryInUse => "category_in_use",
            Code::CategoryNotFound => "category_not_found",
            Code::CheckoutNotFound => "checkout_not_found",
            Code::CodeExpired => "code_expired",
            Code::CommissionNotFound => "commission_not_found",
            Code::Conflict => "conflict",
            Code::DatabaseUnavailable => "database_unavailable",
            Code::DomainNotFound => "domain_not_found",
            Code::Forbidden => "forbidden",
            Code::FormNotFound => "form_not_found",
            Code::HostTaken => "host_taken",
            Code::IdempotencyKeyRequired => "idempotency_key_required",
            Code::IdempotencyKeyReused => "idempotency_key_reused",
            Code::InsufficientStock => "insufficient_stock",
            Code::Internal => "internal",
            Code::InvalidCode => "invalid_code",
            Code::InvalidCredentials => "invalid_credentials",
            Code::InvalidRequest => "invalid_request",
            Code::InvalidTransition => "invalid_transition",
            Code::ListingIncomplete => "listing_incomplete",
            Code::ListingLive => "listing_live",
            Code::ListingNotFound => "listing_not_found",
            Code::MailUnavailable => "mail_unavailable",
            Code::MethodNotAllowed => "method_not_allowed",
            Code::NoShop => "no_shop",
            Code::NoStripeAccount => "no_stripe_account",
            Code::NoVerification => "no_verification",
            Code::NotFound => "not_found",
            Code::NotTestMode => "not_test_mode",
            Code::OperatorExists => "operator_exists",
            Code::OrderNotFound => "order_not_found",
            Code::OrdersInProgress => "orders_in_progress",
            Code::OutOfStock => "out_of_stock",
            Code::PayloadTooLarge => "payload_too_large",
            Code::PaymentRefused => "payment_refused",
            Code::PaymentUnavailable => "payment_unavailable",
            Code::ProfileIncomplete => "profile_incomplete",
            Code::RateLimited => "rate_limited",
            Code::ReportNotFound => "report_not_found",
            Code::SearchUnavailable => "search_unavailable",
            Code::SellerNotPayable => "seller_not_payable",
            Code::ServiceUnavailable => "service_unavailable",
            Code::ShopExists => "shop_exists",
            Code::ShopNameTaken => "shop_name_taken",
            Code::ShopNotFound => "shop_not_found",
            Code::ShopSuspended => "shop_suspended",
            Code::SlugTaken => "slug_taken",
            Code::StripeRefused => "stripe_refused",
            Code::StripeUnavailable => "stripe_unavailable",
            Code::TenantNotFound => "tenant_not_found",
            Code::TenantSuspended => "tenant_suspended",
            Code::TooManyAttempts => "too_many_attempts",
            Code::TotalChanged => "total_changed",
            Code::Unauthenticated => "unauthenticated",
            Code::UnknownTenant => "unknown_tenant",
            Code::UnsupportedMediaType => "unsupported_media_type",
            Code::ValidationFailed => "validation_failed",
            Code::VerificationNotFound => "verification_not_found",
            Code::VerificationPending => "verification_pending",
            Code::WebhooksNotConfigured => "webhooks_not_configured",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of every error response (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Object, serde::Serialize)]
#[oai(skip_serializing_if_is_none)]
pub struct Problem {
    /// A URI naming the problem type.
    #[oai(rename = "type")]
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// Human explanation of this occurrence, including what to do next where possible.
    pub detail: String,
    /// Stable machine-readable code, e.g. `unknown_tenant`, `validation_failed`.
    pub code: Code,
    /// The first offending field, when the problem is about input.
    #[oai(skip_serializing_if_is_none)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every offending field, for validation failures.
    #[oai(default, skip_serializing_if_is_empty)]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}
