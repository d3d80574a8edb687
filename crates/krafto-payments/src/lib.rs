//! Payments: the [`PaymentGateway`] trait Krafto pays through, its two implementations
//! (Stripe, and the built-in [`TestGateway`] used when no `STRIPE_SECRET_KEY` is set), and
//! Stripe webhook signature verification. With the `testing` feature, [`testing`] adds a local
//! Stripe double for other crates' tests.
//!
//! This crate talks to the payment provider and nothing else: it never touches the database
//! and never decides who is owed what (that is `krafto_core::money` and the ledger). Every
//! call that creates something carries a caller-chosen idempotency key, derived from our own
//! ids, so a retried call can never create a second charge, transfer or refund.

mod settings;
mod stripe;
mod test_gateway;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod webhook;

pub use settings::PaymentSettings;
pub use stripe::{StripeConfig, StripeGateway};
pub use test_gateway::TestGateway;

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Whether real money moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GatewayMode {
    /// Stripe with a live or test secret key.
    Stripe,
    /// Krafto's built-in test gateway: nothing is charged, shown to users as test mode.
    Test,
}

impl GatewayMode {
    pub fn as_str(self) -> &'static str {
        match self {
            GatewayMode::Stripe => "stripe",
            GatewayMode::Test => "test",
        }
    }
}

/// Who a connected account pays out to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountHolder {
    /// A marketplace operator (receives its commission).
    Tenant,
    /// A seller's shop (an Express account).
    Seller,
}

/// A connected account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub holder: AccountHolder,
    /// ISO 3166 country, when known.
    pub country: Option<String>,
    pub email: Option<String>,
    /// Stored on the account (`metadata[...]`): at least `tenant_id`, so account events map
    /// back to a marketplace.
    pub metadata: BTreeMap<String, String>,
    pub idempotency_key: String,
}

/// A connected account's readiness, as the provider reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AccountState {
    pub id: String,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    /// Requirements still outstanding (`requirements.currently_due`).
    pub requirements: Vec<String>,
}

/// Where an onboarding link sends the account holder back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRequest {
    pub account_id: String,
    /// Where to go when the link expired and a fresh one is needed.
    pub refresh_url: String,
    /// Where to go after onboarding.
    pub return_url: String,
}

/// One payment for a whole checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub amount_minor: i64,
    /// Lowercase ISO 4217 is what Stripe wants; callers pass our uppercase code.
    pub currency: String,
    /// The checkout id: every transfer of the checkout carries it too.
    pub transfer_group: String,
    pub receipt_email: Option<String>,
    pub description: String,
    /// At least `tenant_id` and `checkout_id`: payment events map back through them.
    pub metadata: BTreeMap<String, String>,
    pub idempotency_key: String,
}

/// A created payment, with what the client needs to pay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: String,
    pub client_secret: Option<String>,
    pub status: String,
}

/// Money moved from the platform balance to a connected account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTransfer {
    pub amount_minor: i64,
    pub currency: String,
    pub destination: String,
    pub transfer_group: String,
    /// The charge the money comes from, so the transfer waits for its funds.
    pub source_transaction: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub idempotency_key: String,
}

/// A refund of part or all of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRefund {
    pub payment_id: String,
    pub amount_minor: i64,
    pub metadata: BTreeMap<String, String>,
    pub idempotency_key: String,
}

/// Part of a transfer taken back from the connected account it went to (a refund or a
/// dispute after the money was sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReversal {
    /// The gateway's id of the transfer.
    pub transfer_id: String,
    pub amount_minor: i64,
    pub metadata: BTreeMap<String, String>,
    pub idempotency_key: String,
}

/// Evidence for a dispute, as the operator prepared it; `submit` sends it to the bank
/// (otherwise Stripe only stages it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisputeEvidence {
    pub dispute_id: String,
    /// Why the charge is legitimate, in the operator's words.
    pub text: Option<String>,
    pub product_description: Option<String>,
    pub shipping_carrier: Option<String>,
    pub shipping_tracking_number: Option<String>,
    /// `YYYY-MM-DD`.
    pub shipping_date: Option<String>,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub submit: bool,
}

/// What kind of money movement the provider reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// A payment received (a succeeded payment intent: what was received).
    Payment,
    /// Money sent from the platform balance to a connected account.
    Transfer,
    /// Part of a transfer taken back from a connected account.
    Reversal,
    /// Money given back to a buyer.
    Refund,
    /// A buyer's bank disputing a payment (the disputed amount).
    Dispute,
}

impl MovementKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MovementKind::Payment => "payment",
            MovementKind::Transfer => "transfer",
            MovementKind::Reversal => "reversal",
            MovementKind::Refund => "refund",
            MovementKind::Dispute => "dispute",
        }
    }
}

/// One thing the provider did on the platform account, as it reports it: what reconciliation
/// compares our records with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayMovement {
    pub kind: MovementKind,
    /// The provider's id (`pi_…`, `tr_…`, `trr_…`, `re_…`, `dp_…`).
    pub gateway_id: String,
    /// Always positive: the direction follows from the kind.
    pub amount_minor: i64,
    /// Uppercase ISO 4217, as we store it.
    pub currency: String,
    /// Unix seconds, the provider's `created`.
    pub created: i64,
    /// Our `tenant_id` metadata, when the object carries it.
    pub tenant_id: Option<String>,
    /// Our `checkout_id` metadata, when the object carries it.
    pub checkout_id: Option<String>,
    /// The payment a refund or dispute is about (`pi_…`), when known: disputes carry no
    /// metadata of ours and map back through it.
    pub payment_id: Option<String>,
    /// The transfer a reversal takes back from (`tr_…`).
    pub transfer_id: Option<String>,
}

/// Why a gateway call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    /// The provider refused the request itself (bad parameters, a declined card): retrying
    /// the same request cannot succeed.
    #[error("the payment provider refused the request: {0}")]
    Refused(String),
    /// The provider could not be reached or failed: retry with the same idempotency key.
    #[error("the payment provider is unavailable: {0}")]
    Unavailable(String),
}

impl GatewayError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, GatewayError::Unavailable(_))
    }
}

pub type GatewayResult<T> = Result<T, GatewayError>;

/// The payment provider, as Krafto uses it. Implementations must be safe to call again with
/// the same idempotency key: the second call returns the first call's result.
pub trait PaymentGateway: Send + Sync + fmt::Debug {
    fn mode(&self) -> GatewayMode;

    /// Creates a connected account (Express for sellers).
    fn create_account<'a>(
        &'a self,
        account: &'a NewAccount,
    ) -> BoxFuture<'a, GatewayResult<AccountState>>;

    /// A fresh single-use onboarding link for an account.
    fn account_link<'a>(&'a self, link: &'a LinkRequest) -> BoxFuture<'a, GatewayResult<String>>;

    /// The account's current readiness.
    fn account<'a>(&'a self, account_id: &'a str) -> BoxFuture<'a, GatewayResult<AccountState>>;

    /// One payment (a PaymentIntent) for a whole checkout.
    fn create_payment<'a>(
        &'a self,
        payment: &'a NewPayment,
    ) -> BoxFuture<'a, GatewayResult<Payment>>;

    /// Moves money from the platform balance to a connected account. Returns the transfer id.
    fn create_transfer<'a>(
        &'a self,
        transfer: &'a NewTransfer,
    ) -> BoxFuture<'a, GatewayResult<String>>;

    /// Refunds part or all of a payment. Returns the refund id.
    fn create_refund<'a>(&'a self, refund: &'a NewRefund) -> BoxFuture<'a, GatewayResult<String>>;

    /// Stripe's fee on a charge, from the charge's balance transaction (`txn_…`).
    fn balance_fee<'a>(&'a self, balance_transaction: &'a str)
    -> BoxFuture<'a, GatewayResult<i64>>;

    /// Stages or submits a dispute's evidence.
    fn update_dispute<'a>(
        &'a self,
        evidence: &'a DisputeEvidence,
    ) -> BoxFuture<'a, GatewayResult<()>>;

    /// Whether the provider keeps books of its own that [`PaymentGateway::list_activity`]
    /// reports. The built-in test gateway does not: reconciliation then checks our ledger
    /// alone.
    fn keeps_books(&self) -> bool {
        true
    }

    /// Everything the provider did on the platform account with `created` in
    /// `[from, to)` (Unix seconds), every marketplace at once: payments received, transfers,
    /// transfer reversals (those of transfers made up to 90 days before `from`), refunds and
    /// disputes. Read-only.
    fn list_activity<'a>(
        &'a self,
        from: i64,
        to: i64,
    ) -> BoxFuture<'a, GatewayResult<Vec<GatewayMovement>>>;

    /// Takes part of a transfer back from its connected account. Returns the reversal id.
    /// Refused when the account's balance cannot cover it (the caller records a debt).
    fn reverse_transfer<'a>(
        &'a self,
        reversal: &'a NewReversal,
    ) -> BoxFuture<'a, GatewayResult<String>>;
}

/// Stripe wants lowercase currency codes.
pub(crate) fn stripe_currency(code: &str) -> String {
    code.to_ascii_lowercase()
}
