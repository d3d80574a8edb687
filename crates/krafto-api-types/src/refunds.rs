//! Refunds per order line (seed 002 refunds, seed 000 P-REF): what a buyer asks, what a
//! seller or an operator decides, what each refund gave back and from whom, and what a seller
//! owes back when a transfer could not be reversed.

use crate::Text;
use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use uuid::Uuid;

/// Units of one order line.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct RefundLineAsk {
    /// The order line's `id` (from the order's `lines`).
    pub line_id: Uuid,
    /// How many of its units (at least 1, at most what is left to refund).
    pub quantity: i64,
}

/// A buyer's request for a refund.
#[derive(Debug, Clone, Object)]
pub struct NewRefundRequest {
    pub lines: Vec<RefundLineAsk>,
    /// Why (shown to the seller and the operator; 1 to 1000 characters).
    pub reason: Text,
}

/// A refund made at once by a seller or an operator.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NewRefund {
    /// The units to refund; none: everything left of the order, shipping included.
    #[oai(default)]
    pub lines: Vec<RefundLineAsk>,
    /// Give the shipping back even though some lines stay paid (operators).
    #[oai(default)]
    pub with_shipping: bool,
    /// Why (shown to the buyer; 1 to 1000 characters).
    pub reason: Option<Text>,
}

/// A decision on a refund request.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RefundDecision {
    /// Required to decline (the buyer is told); optional to accept.
    pub reason: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum RefundRequestStatusName {
    Open,
    Accepted,
    Declined,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PaymentStatusName {
    Paid,
    PartiallyRefunded,
    Refunded,
}

/// Where money asked of the payment provider stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum SettlementName {
    /// Recorded; the provider is being asked.
    Pending,
    /// Done at the provider.
    Sent,
    /// Refused by the provider.
    Failed,
}

#[derive(Debug, Clone, Object)]
pub struct RefundRequestLineView {
    pub line_id: Uuid,
    pub title: String,
    pub quantity: i32,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RefundRequestView {
    pub id: Uuid,
    pub order_number: String,
    pub status: RefundRequestStatusName,
    pub reason: String,
    /// `buyer`, `seller`, `operator` or `staff`.
    pub requested_by: String,
    pub lines: Vec<RefundRequestLineView>,
    /// Who decided (`seller`, `operator`, …) and why.
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
pub struct RefundRequestList {
    pub items: Vec<RefundRequestView>,
}

/// One line's part of a refund.
#[derive(Debug, Clone, Object)]
pub struct RefundLineView {
    pub line_id: Uuid,
    pub quantity: i32,
    pub amount_minor: i64,
}

/// A refund: what the buyer gets back, and (sellers, operators) from whom.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RefundView {
    pub id: Uuid,
    pub status: SettlementName,
    pub amount_minor: i64,
    pub currency: String,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub lines: Vec<RefundLineView>,
    pub reason: String,
    /// `buyer`, `seller`, `operator`, `staff` or `system`.
    pub by: Option<String>,
    /// Taken back from the seller (sellers and operators only).
    pub seller_minor: Option<i64>,
    /// Taken back from the marketplace (operators only).
    pub marketplace_minor: Option<i64>,
    /// Given back by Krafto (operators only).
    pub platform_minor: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Money a seller (or the marketplace) owes back because a transfer could not be reversed.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DebtView {
    pub id: Uuid,
    /// `seller:<shop id>` or `tenant`.
    pub recipient: String,
    pub currency: String,
    pub amount_minor: i64,
    pub recovered_minor: i64,
    /// `refund` or `dispute`.
    pub reason: String,
    pub order_number: Option<String>,
    pub created_at: DateTime<Utc>,
    pub settled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Object)]
pub struct DebtList {
    pub items: Vec<DebtView>,
}

/// A dispute (chargeback) of a checkout's payment, as the operator follows it.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DisputeView {
    pub id: Uuid,
    /// Stripe's status: `warning_needs_response`, `warning_under_review`, `warning_closed`,
    /// `needs_response`, `under_review`, `won` or `lost`.
    pub status: String,
    /// Stripe's reason (`fraudulent`, `product_not_received`, …).
    pub reason: String,
    pub amount_minor: i64,
    pub currency: String,
    /// When the evidence must reach the bank.
    pub evidence_due_by: Option<DateTime<Utc>>,
    /// The orders of the disputed payment.
    pub orders: Vec<String>,
    /// Taken from the platform: the amount and the bank's fee.
    pub withdrawn_minor: i64,
    pub fee_minor: i64,
    /// Given back after a win.
    pub reinstated_minor: i64,
    pub evidence: DisputeEvidenceInput,
    pub evidence_submitted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
pub struct DisputeList {
    pub items: Vec<DisputeView>,
}

/// The operator's evidence for a dispute. `submit: true` sends it to the bank (it cannot be
/// changed afterwards); otherwise it is saved and staged at Stripe.
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DisputeEvidenceInput {
    /// Why the payment is legitimate (up to 20000 characters).
    pub text: Option<Text>,
    pub product_description: Option<Text>,
    pub shipping_carrier: Option<Text>,
    pub shipping_tracking_number: Option<Text>,
    /// `YYYY-MM-DD`.
    pub shipping_date: Option<Text>,
    #[oai(default)]
    pub submit: bool,
}
