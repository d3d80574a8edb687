//! Objects of buying and selling: carts, checkouts, orders, payouts, shipping options.
//! Money is always integer minor units of `currency`.

use crate::Text;
use chrono::{DateTime, Utc};
use poem_openapi::{Enum, Object};
use uuid::Uuid;

fn one() -> i32 {
    1
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AddCartLine {
    pub listing_id: Uuid,
    /// Required when the listing has variants.
    pub variant_id: Option<Uuid>,
    /// 1 to 1000.
    #[oai(default = "one")]
    pub quantity: i32,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UpdateCartLine {
    /// 1 to 1000; remove a line with DELETE.
    pub quantity: i32,
}

/// Why a cart line cannot be bought as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum LineIssue {
    /// The listing or its shop is no longer on sale.
    Unavailable,
    /// The seller cannot receive payments yet.
    SellerNotPayable,
    OutOfStock,
    /// Fewer units are left than the line asks for (see `available_quantity`).
    InsufficientStock,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CartLineView {
    pub id: Uuid,
    pub listing_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub title: String,
    pub variant_label: Option<String>,
    pub photo_url: Option<String>,
    /// Today's price.
    pub unit_price_minor: i64,
    /// The price when the line was added, when it has changed since.
    pub price_changed_from_minor: Option<i64>,
    pub quantity: i32,
    pub amount_minor: i64,
    pub available_quantity: i32,
    pub purchasable: bool,
    pub issue: Option<LineIssue>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DeliveryOptionView {
    pub id: Uuid,
    pub name: String,
    /// For this shop's lines in the cart.
    pub cost_minor: i64,
    pub days_min: i32,
    pub days_max: i32,
    /// Set for an option collected at the seller's: no shipping address is needed for it.
    pub pickup: Option<PickupView>,
}

/// Where and when a pickup option is collected.
#[derive(Debug, Clone, PartialEq, Eq, Object, serde::Serialize, serde::Deserialize)]
#[oai(skip_serializing_if_is_none)]
pub struct PickupView {
    pub address: String,
    /// The opening hours, as the seller wrote them.
    pub hours: String,
}

/// Where and when buyers collect a pickup option.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PickupInput {
    /// 1 to 300 characters.
    pub address: Text,
    /// The opening hours, 1 to 300 characters (e.g. "Saturdays 9:00–12:00").
    pub hours: Text,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CartShop {
    pub shop_id: Uuid,
    pub shop_name: String,
    pub shop_slug: String,
    pub lines: Vec<CartLineView>,
    pub delivery_options: Vec<DeliveryOptionView>,
    /// The option priced into the totals (the cheapest unless one was chosen).
    pub delivery_option_id: Option<Uuid>,
    pub items_minor: i64,
    pub shipping_minor: i64,
    /// Charged by the marketplace on top of item prices, if it charges one.
    pub buyer_fee_minor: i64,
    pub total_minor: i64,
    /// Only purchasable lines count towards the totals.
    pub purchasable: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CartView {
    /// Returned once, when a guest cart is created: send it back as `X-Cart-Token`.
    pub cart_token: Option<String>,
    pub currency: String,
    pub shops: Vec<CartShop>,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    /// What the buyer will pay for the purchasable lines.
    pub total_minor: i64,
    /// Whether checkout can proceed (every line purchasable, every shop deliverable).
    pub purchasable: bool,
    /// Payments run through the built-in test gateway: nothing is charged.
    pub test_mode: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ShippingAddress {
    pub name: Text,
    pub line1: Text,
    pub line2: Option<Text>,
    pub postal_code: Text,
    pub city: Text,
    pub region: Option<Text>,
    /// ISO 3166-1 alpha-2.
    pub country: Text,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DeliveryChoice {
    pub shop_id: Uuid,
    pub option_id: Uuid,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CheckoutRequest {
    /// Required for guests; defaults to the account's e-mail when signed in.
    pub email: Option<Text>,
    /// Required for guests.
    pub phone: Option<Text>,
    /// Where to deliver: required unless every chosen option is a pickup (or `address_id`
    /// names a saved address).
    pub address: Option<ShippingAddress>,
    /// A saved address of the signed-in buyer (`/store/me/addresses`), instead of `address`.
    pub address_id: Option<Uuid>,
    /// Signed-in buyers: also save `address` to the address book.
    #[oai(default)]
    pub save_address: bool,
    /// One per shop; shops left out get their cheapest option.
    #[oai(default)]
    pub delivery: Vec<DeliveryChoice>,
    /// The total the buyer saw; the checkout is refused (409 `total_changed`) if it differs.
    pub expected_total_minor: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum CheckoutStatus {
    /// The payment is being created.
    Creating,
    AwaitingPayment,
    Paid,
    /// The payment failed or the hold expired: stock was released, the cart kept.
    Failed,
    /// Paid after the hold expired and the stock was gone: the payment is being refunded.
    RefundDue,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PaymentView {
    /// The PaymentIntent id.
    pub id: String,
    /// For Stripe.js `confirmPayment` (or the test-mode payment call).
    pub client_secret: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderRef {
    pub number: String,
    pub shop_name: String,
    pub total_minor: i64,
    /// Opens the order without signing in (also sent by e-mail).
    pub access_token: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CheckoutView {
    pub id: Uuid,
    pub status: CheckoutStatus,
    pub currency: String,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub total_minor: i64,
    /// `stripe` or `test`.
    pub gateway: String,
    pub test_mode: bool,
    pub payment: Option<PaymentView>,
    /// When the stock hold ends if the payment has not succeeded.
    pub expires_at: DateTime<Utc>,
    pub failure_reason: Option<String>,
    /// The orders, once paid (one per shop).
    pub orders: Vec<OrderRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum TestOutcome {
    Succeed,
    /// The card is declined at once.
    Decline,
    /// Accepted for processing, then fails a few seconds later.
    FailLater,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TestPayment {
    pub client_secret: Text,
    pub outcome: TestOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum OrderStatusName {
    Placed,
    Confirmed,
    Shipped,
    OutForDelivery,
    Delivered,
    Cancelled,
    Refunded,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderLineView {
    /// Names the line in a refund request.
    pub id: Uuid,
    pub listing_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub title: String,
    pub variant_label: Option<String>,
    pub unit_price_minor: i64,
    pub quantity: i32,
    pub amount_minor: i64,
    /// Units already refunded (or being refunded).
    pub refunded_quantity: i32,
    /// The split of this line (sellers and operators only).
    pub fees: Option<LineFees>,
}

/// The rates snapshotted at sale time and what they came to.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LineFees {
    pub commission_bps: i32,
    pub platform_fee_bps: i32,
    pub seller_net_minor: i64,
    pub marketplace_share_minor: i64,
    pub platform_fee_minor: i64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderEventView {
    pub status: OrderStatusName,
    pub from_status: Option<OrderStatusName>,
    /// `buyer`, `seller`, `operator` or `system`.
    pub actor: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
    /// `status` (a move), `refund_requested`, `refund_declined` or `refund`.
    pub kind: String,
    /// The amount of a refund event.
    pub amount_minor: Option<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderShop {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
}

/// The order's money as the seller and operator see it.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderFees {
    pub commission_minor: i64,
    pub platform_fee_minor: i64,
    pub seller_net_minor: i64,
    /// Item nets plus shipping: what the seller is paid.
    pub seller_payout_minor: i64,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderView {
    pub number: String,
    pub status: OrderStatusName,
    pub shop: OrderShop,
    pub currency: String,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    pub total_minor: i64,
    pub shipping_option: String,
    /// Set when the order is collected at the seller's: where and when.
    pub pickup: Option<PickupView>,
    pub tracking_number: Option<String>,
    pub email: String,
    /// Given at checkout, when it asked for it.
    pub phone: Option<String>,
    pub address: serde_json::Value,
    pub lines: Vec<OrderLineView>,
    /// Oldest first.
    pub timeline: Vec<OrderEventView>,
    pub fees: Option<OrderFees>,
    /// Paid, partially refunded or refunded (apart from fulfilment).
    pub payment_status: crate::refunds::PaymentStatusName,
    /// Given back so far (pending refunds included).
    pub refunded_minor: i64,
    pub refunds: Vec<crate::refunds::RefundView>,
    pub refund_requests: Vec<crate::refunds::RefundRequestView>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderSummary {
    pub number: String,
    pub status: OrderStatusName,
    pub shop_id: Uuid,
    pub currency: String,
    pub total_minor: i64,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderPage {
    pub items: Vec<OrderSummary>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderAction {
    /// Required to cancel or refund; shown to the buyer.
    pub reason: Option<Text>,
    /// With `ship`.
    pub tracking_number: Option<Text>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OnboardingLink {
    pub account_id: String,
    pub url: String,
    pub test_mode: bool,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PayoutStatus {
    pub account_id: Option<String>,
    pub charges_enabled: bool,
    pub payouts_enabled: bool,
    pub details_submitted: bool,
    /// Outstanding requirements, as Stripe names them.
    pub requirements: Vec<String>,
    /// Buyers can pay this shop.
    pub ready: bool,
    pub test_mode: bool,
}

/// A seller's money, read from the ledger.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SellerBalance {
    pub currency: String,
    /// Item nets plus shipping of every paid order.
    pub earned_minor: i64,
    /// Sent to the seller's account.
    pub transferred_minor: i64,
    /// Given back to buyers.
    pub refunded_minor: i64,
    /// Taken back from the seller's account after refunds.
    pub reversed_minor: i64,
    /// Owed by the seller because a refund could not be taken back from their account;
    /// netted from their next transfers.
    pub owed_minor: i64,
    /// Owed to the seller and not yet sent (negative: owed by the seller after refunds).
    pub pending_minor: i64,
    /// The part of `pending_minor` the marketplace holds until it is due (it pays its
    /// sellers when they ship, or some days after delivery).
    pub held_minor: i64,
    /// The held payouts, soonest due first.
    pub held: Vec<HeldPayout>,
}

/// Money recorded for the seller that the marketplace pays later.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldPayout {
    pub amount_minor: i64,
    pub currency: String,
    /// The order it is for.
    pub order_number: Option<String>,
    /// What it waits for.
    pub waiting_for: PayoutWait,
    /// When it falls due, once known (the order was delivered).
    pub due_at: Option<DateTime<Utc>>,
}

/// What a held payout waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PayoutWait {
    /// The seller shipping the order.
    Shipping,
    /// The order's delivery (then the marketplace's delay).
    Delivery,
    /// Its due date (`due_at`).
    DueDate,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ShippingOptionInput {
    /// Keep an existing option's id so buyers' choices stay valid.
    pub id: Option<Uuid>,
    pub name: Text,
    /// Charged once per order.
    pub base_minor: i64,
    /// Charged per unit.
    #[oai(default)]
    pub per_item_minor: i64,
    pub days_min: i32,
    pub days_max: i32,
    /// Makes it a pickup option: buyers collect at this place, in these hours.
    pub pickup: Option<PickupInput>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ShippingOptionView {
    pub id: Uuid,
    pub name: String,
    pub base_minor: i64,
    pub per_item_minor: i64,
    pub days_min: i32,
    pub days_max: i32,
    pub pickup: Option<PickupView>,
}

/// What a commission override applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum CommissionAppliesTo {
    /// One shop: every line it sells.
    Shop,
    /// One category: its lines and its subcategories' (unless one has its own rate).
    Category,
}

/// A commission rate agreed with a shop or set for a category, replacing the marketplace's
/// rate on the lines it applies to. A line pays its shop's rate if the shop has one, else
/// its category's or the nearest ancestor category's with one, else the marketplace's. The
/// rate is frozen on each order line at sale: changing it never changes past sales.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CommissionOverrideView {
    pub id: Uuid,
    pub applies_to: CommissionAppliesTo,
    pub shop_id: Option<Uuid>,
    pub shop_name: Option<String>,
    pub category_id: Option<Uuid>,
    /// The category's name in the marketplace's language.
    pub category_name: Option<String>,
    /// 0 to 10000 basis points (100 = 1%).
    pub commission_bps: i32,
    /// What lines pay now: `commission_bps`, or Krafto's fee when that was raised above it
    /// since.
    pub effective_commission_bps: i32,
    /// Operators' own note (why this rate), never shown to sellers.
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The operator who made it (absent once their account is gone).
    pub created_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<Uuid>,
}

/// The marketplace's commission rates: its own and its overrides.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CommissionsView {
    /// What a line pays without an override (agreed with Krafto; changed in the control
    /// plane).
    pub marketplace_commission_bps: i32,
    /// Krafto's fee, paid out of every line's commission: no override may be below it.
    pub platform_fee_bps: i32,
    /// Shops' overrides first, then categories', each by name.
    pub items: Vec<CommissionOverrideView>,
}

/// Sets the commission rate of one shop or one category (made if it has none, replaced if
/// it has one). Give `shop_id` or `category_id`, not both.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SetCommission {
    pub shop_id: Option<Uuid>,
    pub category_id: Option<Uuid>,
    /// 0 to 10000 basis points (100 = 1%), not below the marketplace's `platform_fee_bps`.
    pub commission_bps: i64,
    /// Why this rate (one line, up to 300 characters); blank or absent: none.
    pub note: Option<Text>,
}

/// Where a seller's Stripe payout stands (Stripe's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PayoutState {
    Pending,
    InTransit,
    Paid,
    Failed,
    Canceled,
}

impl PayoutState {
    pub fn parse(s: &str) -> Option<PayoutState> {
        Some(match s {
            "pending" => PayoutState::Pending,
            "in_transit" => PayoutState::InTransit,
            "paid" => PayoutState::Paid,
            "failed" => PayoutState::Failed,
            "canceled" => PayoutState::Canceled,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PayoutState::Pending => "pending",
            PayoutState::InTransit => "in_transit",
            PayoutState::Paid => "paid",
            PayoutState::Failed => "failed",
            PayoutState::Canceled => "canceled",
        }
    }
}

/// What moved a seller's money into (or out of) a payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum PayoutMovementKind {
    /// An order's items and shipping.
    Sale,
    /// Money given back to a buyer (taken back from a transfer, or before it was sent).
    Refund,
    /// A debt recovered from a transfer.
    Debt,
    /// The marketplace's commission and Krafto's fee on an order.
    Commission,
}

/// One movement of a payout; amounts the seller loses are negative.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PayoutMovement {
    pub at: DateTime<Utc>,
    pub kind: PayoutMovementKind,
    pub order_number: Option<String>,
    pub amount_minor: i64,
    pub currency: String,
}

/// A seller's Stripe payout to their bank and what it contains. The contents are the
/// transfers (and reversals) since the previous paid payout up to this one's creation: an
/// approximation of Stripe's own balance transactions.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PayoutView {
    /// Stripe's payout id (`po_…`).
    pub id: String,
    pub shop_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    pub status: PayoutState,
    pub created_at: DateTime<Utc>,
    pub arrival_date: Option<DateTime<Utc>>,
    /// Stripe's failure code (`account_closed`, ...), when it failed.
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub movements: Vec<PayoutMovement>,
}

/// A page of payouts, newest first.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PayoutHistoryPage {
    pub items: Vec<PayoutView>,
    /// The next page's number, when there is one.
    pub next_page: Option<i64>,
}
