//! Commerce rules: what a shop's part of a checkout costs and how it divides (items, shipping,
//! buyer fee; seller, marketplace, Krafto), the order state machine, and who may move an
//! order. Pure: the platform's cart, checkout and order handlers call these and nothing else
//! decides a price or a move.

use crate::money::{Split, apply_bps, split};
use crate::text_enum::text_enum;
use crate::{Bps, Invalid};

/// A marketplace's rates, snapshotted on every checkout. The commission is its default:
/// each line pays its own (see [`crate::commission`]), carried by its [`LineInput`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    /// Commission taken from the seller on item prices, unless an override applies.
    pub commission: Bps,
    /// Krafto's fee, paid out of the commission.
    pub platform_fee: Bps,
    /// Charged to the buyer on top of item prices (kept by the marketplace).
    pub buyer_fee: Bps,
}

/// The rates that apply to a shop's part as a whole (the commission is each line's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShopRates {
    /// Krafto's fee, paid out of each line's commission.
    pub platform_fee: Bps,
    /// Charged to the buyer on top of item prices (kept by the marketplace).
    pub buyer_fee: Bps,
}

impl From<Rates> for ShopRates {
    fn from(r: Rates) -> Self {
        Self {
            platform_fee: r.platform_fee,
            buyer_fee: r.buyer_fee,
        }
    }
}

/// A delivery option's price: `base + per_item × units`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippingRate {
    pub base_minor: i64,
    pub per_item_minor: i64,
}

impl ShippingRate {
    pub fn cost(self, units: i64) -> i64 {
        self.base_minor
            .max(0)
            .saturating_add(self.per_item_minor.max(0).saturating_mul(units.max(0)))
    }
}

/// One line of a shop's part of a cart, with the commission rate it pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInput {
    pub unit_price_minor: i64,
    pub quantity: i64,
    /// Taken from the seller on this line's amount.
    pub commission: Bps,
}

/// A priced line: its amount and how that amount divides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricedLine {
    pub amount_minor: i64,
    pub split: Split,
}

/// What a shop's part of a checkout costs the buyer, and who gets what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopTotals {
    pub lines: Vec<PricedLine>,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    /// What the buyer pays for this shop: items + shipping + buyer fee.
    pub total_minor: i64,
    /// Σ line seller nets (shipping excluded).
    pub seller_net_minor: i64,
    /// Σ line marketplace shares (buyer fee excluded).
    pub tenant_share_minor: i64,
    pub platform_fee_minor: i64,
}

impl ShopTotals {
    /// The whole commission on items (marketplace share plus Krafto's fee).
    pub fn commission_minor(&self) -> i64 {
        self.tenant_share_minor + self.platform_fee_minor
    }

    /// What the seller is paid: item nets plus the shipping they charged.
    pub fn seller_payout_minor(&self) -> i64 {
        self.seller_net_minor + self.shipping_minor
    }

    /// What the marketplace is paid: its commission share plus the buyer fee.
    pub fn tenant_payout_minor(&self) -> i64 {
        self.tenant_share_minor + self.buyer_fee_minor
    }
}

/// Prices one shop's lines. The commission is split per line, at the line's own rate (so
/// each order line carries its own exact amounts); the buyer fee is charged once on the
/// shop's item total; shipping belongs to the seller whole. Invariant (property-tested):
/// every part is non-negative and `total = seller payout + marketplace payout + Krafto fee`.
pub fn price_shop(lines: &[LineInput], shipping: i64, rates: ShopRates) -> ShopTotals {
    let priced: Vec<PricedLine> = lines
        .iter()
        .map(|l| {
            let amount = l.unit_price_minor.max(0).saturating_mul(l.quantity.max(0));
            PricedLine {
                amount_minor: amount,
                split: split(amount, l.commission, rates.platform_fee),
            }
        })
        .collect();
    let items: i64 = priced.iter().map(|l| l.amount_minor).sum();
    let shipping = shipping.max(0);
    let buyer_fee = apply_bps(items, rates.buyer_fee);
    ShopTotals {
        items_minor: items,
        shipping_minor: shipping,
        buyer_fee_minor: buyer_fee,
        total_minor: items + shipping + buyer_fee,
        seller_net_minor: priced.iter().map(|l| l.split.seller_net).sum(),
        tenant_share_minor: priced.iter().map(|l| l.split.tenant_share).sum(),
        platform_fee_minor: priced.iter().map(|l| l.split.platform_fee).sum(),
        lines: priced,
    }
}

text_enum! {
    /// Where an order is.
    pub enum OrderStatus("order status") {
        Placed = "placed",
        Confirmed = "confirmed",
        Shipped = "shipped",
        OutForDelivery = "out_for_delivery",
        Delivered = "delivered",
        Cancelled = "cancelled",
        Refunded = "refunded",
    }
}

/// Something that happens to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEvent {
    /// The seller accepts the order.
    Accept,
    Ship,
    OutForDelivery,
    Deliver,
    /// Before shipping; the buyer is refunded.
    Cancel,
    /// After shipping (a return or a dispute); the buyer is refunded.
    Refund,
}

/// Who moves an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderActor {
    Buyer,
    Seller,
    Operator,
    System,
}

impl OrderActor {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderActor::Buyer => "buyer",
            OrderActor::Seller => "seller",
            OrderActor::Operator => "operator",
            OrderActor::System => "system",
        }
    }
}

impl OrderEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderEvent::Accept => "accept",
            OrderEvent::Ship => "ship",
            OrderEvent::OutForDelivery => "out_for_delivery",
            OrderEvent::Deliver => "deliver",
            OrderEvent::Cancel => "cancel",
            OrderEvent::Refund => "refund",
        }
    }

    /// Whether `actor` may cause this event. Sellers run fulfilment and may cancel; refunds
    /// after shipping are the operator's call; the system (courier tracking) reports delivery.
    pub fn allowed_for(self, actor: OrderActor) -> bool {
        use OrderEvent::*;
        match actor {
            OrderActor::Operator => true,
            OrderActor::Seller => matches!(self, Accept | Ship | OutForDelivery | Deliver | Cancel),
            OrderActor::System => matches!(self, OutForDelivery | Deliver),
            OrderActor::Buyer => false,
        }
    }

    /// Whether the event gives the buyer their money back.
    pub fn refunds(self) -> bool {
        matches!(self, OrderEvent::Cancel | OrderEvent::Refund)
    }

    /// Whether the event needs a reason (it is shown to the buyer).
    pub fn needs_reason(self) -> bool {
        self.refunds()
    }
}

impl OrderStatus {
    /// The one place that decides which moves an order may make.
    pub fn transition(self, event: OrderEvent) -> Result<OrderStatus, Invalid> {
        use OrderEvent as E;
        use OrderStatus::*;
        match (self, event) {
            (Placed, E::Accept) => Ok(Confirmed),
            (Confirmed, E::Ship) => Ok(Shipped),
            (Shipped, E::OutForDelivery) => Ok(OutForDelivery),
            (Shipped | OutForDelivery, E::Deliver) => Ok(Delivered),
            (Placed | Confirmed, E::Cancel) => Ok(Cancelled),
            (Shipped | OutForDelivery | Delivered, E::Refund) => Ok(Refunded),
            (from, event) => Err(Invalid::new(format!(
                "an order that is {} cannot {}",
                from.as_str().replace('_', " "),
                match event {
                    E::Accept => "be accepted",
                    E::Ship => "be shipped",
                    E::OutForDelivery => "go out for delivery",
                    E::Deliver => "be delivered",
                    E::Cancel => "be cancelled (refund it instead once shipped)",
                    E::Refund => "be refunded (cancel it instead before shipping)",
                }
            ))),
        }
    }
}

/// An order number: the marketplace's prefix (up to four letters or digits of its slug,
/// upper-cased) and its running count, e.g. `LYON-000042`.
pub fn order_number(tenant_slug: &str, count: i64) -> String {
    let prefix: String = tenant_slug
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(4)
        .collect::<String>()
        .to_ascii_uppercase();
    let prefix = if prefix.is_empty() {
        "K".to_owned()
    } else {
        prefix
    };
    format!("{prefix}-{count:06}")
}

text_enum! {
    /// Where a checkout stands: created (stock held, payment not yet asked), awaiting the
    /// buyer's payment, paid (orders made), failed (stock released; the buyer may try
    /// again), or paid too late for stock that was sold meanwhile (the payment is refunded).
    pub enum CheckoutStatus("checkout status") {
        Creating = "creating",
        AwaitingPayment = "awaiting_payment",
        Paid = "paid",
        Failed = "failed",
        RefundDue = "refund_due",
    }
}

text_enum! {
    /// Where a transfer or a refund (money the payment gateway is asked to move) stands.
    pub enum SettlementStatus("settlement status") {
        /// Recorded, not yet due: a transfer waiting for the marketplace's payout timing
        /// (the order's shipping, or a number of days after its delivery). Never a refund.
        Held = "held",
        /// Recorded and queued for the worker.
        Pending = "pending",
        /// The gateway accepted it.
        Sent = "sent",
        /// The gateway refused it for good.
        Failed = "failed",
    }
}

text_enum! {
    /// Where an order's money stands, apart from its fulfilment (as Shopify's financial
    /// status): paid, partly given back, or all given back.
    pub enum PaymentStatus("payment status") {
        Paid = "paid",
        PartiallyRefunded = "partially_refunded",
        Refunded = "refunded",
    }
}

text_enum! {
    /// A request to refund some units of an order: open until the seller or an operator
    /// accepts (the refund is made) or declines it, or the buyer withdraws it.
    pub enum RefundRequestStatus("refund request status") {
        Open = "open",
        Accepted = "accepted",
        Declined = "declined",
        Withdrawn = "withdrawn",
    }
}

impl OrderStatus {
    /// The move a refund of everything left makes: cancelled before shipping, refunded after.
    pub fn fully_refunded(self) -> OrderStatus {
        match self {
            OrderStatus::Placed | OrderStatus::Confirmed | OrderStatus::Cancelled => {
                OrderStatus::Cancelled
            }
            _ => OrderStatus::Refunded,
        }
    }
}

text_enum! {
    /// When a marketplace's sellers are paid (the marketplace's own share follows the
    /// sellers of each checkout).
    pub enum PayoutTiming("payout timing") {
        /// As soon as the payment succeeds.
        AtPayment = "at_payment",
        /// When the seller ships the order.
        AtShipping = "at_shipping",
        /// A number of days after the order is delivered (a hold for disputes).
        AfterDelivery = "after_delivery",
    }
}

/// The most days a marketplace may hold sellers' money after delivery.
pub const MAX_PAYOUT_DELAY_DAYS: i32 = 60;

/// A payout delay after delivery, in days: 0 to [`MAX_PAYOUT_DELAY_DAYS`].
pub fn payout_delay_days(days: i32) -> Result<i32, crate::Invalid> {
    if (0..=MAX_PAYOUT_DELAY_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(crate::Invalid::new("must be between 0 and 60 days"))
    }
}

/// What an order's move means for the seller's held transfer under the marketplace's
/// current timing: release it now, schedule it some days ahead, or nothing yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayoutRelease {
    /// Nothing falls due with this move.
    Keep,
    /// Due now.
    Now,
    /// Due this many days from now.
    InDays(i32),
}

impl PayoutTiming {
    /// Whether a sale's transfers are held when the payment succeeds.
    pub fn holds_at_payment(self) -> bool {
        self != PayoutTiming::AtPayment
    }

    /// What `event` means for a transfer still held. Shipping releases it unless the
    /// marketplace waits for delivery; delivery releases anything still held, after the
    /// delay when the marketplace waits for delivery (a timing changed after the sale is
    /// honoured at the next move, and never strands money).
    pub fn on_order_event(self, event: OrderEvent, delay_days: i32) -> PayoutRelease {
        match (event, self) {
            (OrderEvent::Ship, PayoutTiming::AfterDelivery) => PayoutRelease::Keep,
            (OrderEvent::Ship, _) => PayoutRelease::Now,
            (OrderEvent::Deliver, PayoutTiming::AfterDelivery) if delay_days > 0 => {
                PayoutRelease::InDays(delay_days)
            }
            (OrderEvent::Deliver, _) => PayoutRelease::Now,
            _ => PayoutRelease::Keep,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shipping_and_delivery_release_held_transfers_by_the_marketplace_timing() {
        use PayoutRelease::{InDays, Keep, Now};
        use PayoutTiming::{AfterDelivery, AtPayment, AtShipping};
        assert!(!AtPayment.holds_at_payment());
        assert!(AtShipping.holds_at_payment() && AfterDelivery.holds_at_payment());
        assert_eq!(AtShipping.on_order_event(OrderEvent::Ship, 7), Now);
        assert_eq!(AtShipping.on_order_event(OrderEvent::Accept, 7), Keep);
        assert_eq!(AfterDelivery.on_order_event(OrderEvent::Ship, 7), Keep);
        assert_eq!(
            AfterDelivery.on_order_event(OrderEvent::OutForDelivery, 7),
            Keep
        );
        assert_eq!(
            AfterDelivery.on_order_event(OrderEvent::Deliver, 7),
            InDays(7)
        );
        assert_eq!(AfterDelivery.on_order_event(OrderEvent::Deliver, 0), Now);
        // Switched to paying at payment after the sale: the next move pays.
        assert_eq!(AtPayment.on_order_event(OrderEvent::Ship, 7), Now);
        assert_eq!(AtShipping.on_order_event(OrderEvent::Deliver, 7), Now);
        assert_eq!(AfterDelivery.on_order_event(OrderEvent::Cancel, 7), Keep);
        assert!(payout_delay_days(0).is_ok() && payout_delay_days(60).is_ok());
        assert!(payout_delay_days(61).is_err() && payout_delay_days(-1).is_err());
    }

    fn bps(v: u16) -> Bps {
        Bps::new(i64::from(v)).unwrap()
    }

    fn line(unit_price_minor: i64, quantity: i64, commission: u16) -> LineInput {
        LineInput {
            unit_price_minor,
            quantity,
            commission: bps(commission),
        }
    }

    proptest! {
        /// Any lines, each at its own commission rate (above or below Krafto's fee): every
        /// part is non-negative and the parts add up, line by line and for the shop.
        #[test]
        fn a_shop_total_always_divides_exactly_and_never_negatively(
            lines in proptest::collection::vec((1i64..10_000_000, 1i64..100, 0u16..=10_000), 0..8),
            shipping in 0i64..1_000_000,
            platform_fee in 0u16..=10_000,
            buyer_fee in 0u16..=10_000,
        ) {
            let rates = ShopRates { platform_fee: bps(platform_fee), buyer_fee: bps(buyer_fee) };
            let input: Vec<LineInput> = lines.iter().map(|(p, q, c)| line(*p, *q, *c)).collect();
            let t = price_shop(&input, shipping, rates);
            prop_assert!(t.seller_net_minor >= 0 && t.tenant_share_minor >= 0 && t.platform_fee_minor >= 0);
            prop_assert!(t.buyer_fee_minor >= 0);
            prop_assert_eq!(t.total_minor, t.seller_payout_minor() + t.tenant_payout_minor() + t.platform_fee_minor);
            prop_assert_eq!(t.items_minor, t.seller_net_minor + t.commission_minor());
            for (l, (p, q, c)) in t.lines.iter().zip(&lines) {
                prop_assert_eq!(l.amount_minor, p * q);
                prop_assert_eq!(l.split.total(), l.amount_minor);
                // Each line's commission is its own rate on its own amount.
                prop_assert_eq!(
                    l.split.tenant_share + l.split.platform_fee,
                    crate::money::apply_bps(p * q, bps(*c))
                );
                prop_assert!(l.split.platform_fee <= crate::money::apply_bps(p * q, bps(platform_fee)));
            }
        }

        /// A line is priced the same alone or among other lines at other rates: one line's
        /// rate never moves another line's money.
        #[test]
        fn each_line_is_priced_at_its_own_rate_whatever_the_others_pay(
            lines in proptest::collection::vec((1i64..10_000_000, 1i64..100, 0u16..=10_000), 1..8),
            platform_fee in 0u16..=2_000,
            buyer_fee in 0u16..=1_000,
        ) {
            let rates = ShopRates { platform_fee: bps(platform_fee), buyer_fee: bps(buyer_fee) };
            let input: Vec<LineInput> = lines.iter().map(|(p, q, c)| line(*p, *q, *c)).collect();
            let together = price_shop(&input, 0, rates);
            for (i, l) in input.iter().enumerate() {
                let alone = price_shop(std::slice::from_ref(l), 0, rates);
                prop_assert_eq!(alone.lines[0], together.lines[i]);
            }
        }

        /// With one rate for every line, pricing is what a single marketplace rate gives.
        #[test]
        fn one_rate_for_every_line_is_the_marketplace_rate(
            lines in proptest::collection::vec((1i64..10_000_000, 1i64..100), 0..8),
            commission in 0u16..=10_000,
            fee_share in 0u16..=10_000,
        ) {
            let platform_fee = u16::try_from(u32::from(commission) * u32::from(fee_share) / 10_000).unwrap();
            let rates = ShopRates { platform_fee: bps(platform_fee), buyer_fee: bps(0) };
            let input: Vec<LineInput> = lines.iter().map(|(p, q)| line(*p, *q, commission)).collect();
            let t = price_shop(&input, 0, rates);
            for (l, (p, q)) in t.lines.iter().zip(&lines) {
                prop_assert_eq!(l.split, split(p * q, bps(commission), bps(platform_fee)));
            }
        }
    }

    #[test]
    fn a_worked_example_matches_the_fee_schedule() {
        // 12% commission of which 2% is Krafto's, 1.5% buyer fee.
        let rates = ShopRates {
            platform_fee: bps(200),
            buyer_fee: bps(150),
        };
        let t = price_shop(&[line(2500, 2, 1200), line(999, 1, 1200)], 490, rates);
        assert_eq!(t.items_minor, 5999);
        assert_eq!(
            t.lines[0].split.tenant_share + t.lines[0].split.platform_fee,
            600
        );
        assert_eq!(t.lines[0].split.platform_fee, 100);
        assert_eq!(
            t.lines[1].split.tenant_share + t.lines[1].split.platform_fee,
            120
        );
        assert_eq!(t.buyer_fee_minor, 90);
        assert_eq!(t.total_minor, 5999 + 490 + 90);
        assert_eq!(t.seller_payout_minor(), 5999 - 720 + 490);
    }

    #[test]
    fn lines_at_different_rates_each_pay_their_own() {
        // A negotiated 8% on the first line, the marketplace's 12% on the second; Krafto's
        // 2% on both.
        let rates = ShopRates {
            platform_fee: bps(200),
            buyer_fee: bps(0),
        };
        let t = price_shop(&[line(5000, 1, 800), line(5000, 1, 1200)], 0, rates);
        assert_eq!(t.lines[0].split.seller_net, 4600);
        assert_eq!(t.lines[0].split.tenant_share, 300);
        assert_eq!(t.lines[1].split.seller_net, 4400);
        assert_eq!(t.lines[1].split.tenant_share, 500);
        assert_eq!(t.platform_fee_minor, 200);
        assert_eq!(t.commission_minor(), 1000);
    }

    #[test]
    fn shipping_is_base_plus_per_item() {
        assert_eq!(
            ShippingRate {
                base_minor: 490,
                per_item_minor: 0
            }
            .cost(3),
            490
        );
        assert_eq!(
            ShippingRate {
                base_minor: 0,
                per_item_minor: 250
            }
            .cost(3),
            750
        );
        assert_eq!(
            ShippingRate {
                base_minor: 300,
                per_item_minor: 100
            }
            .cost(2),
            500
        );
    }

    #[test]
    fn orders_move_only_along_the_fulfilment_path() {
        use OrderEvent::*;
        use OrderStatus::*;
        assert_eq!(Placed.transition(Accept), Ok(Confirmed));
        assert_eq!(Confirmed.transition(Ship), Ok(Shipped));
        assert_eq!(
            Shipped.transition(OrderEvent::OutForDelivery),
            Ok(OrderStatus::OutForDelivery)
        );
        assert_eq!(
            OrderStatus::OutForDelivery.transition(Deliver),
            Ok(Delivered)
        );
        assert_eq!(Placed.transition(Cancel), Ok(Cancelled));
        assert_eq!(Delivered.transition(Refund), Ok(Refunded));
        assert!(Placed.transition(Ship).is_err());
        assert!(Shipped.transition(Cancel).is_err());
        assert!(Cancelled.transition(Accept).is_err());
        assert!(Refunded.transition(Refund).is_err());
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Ok(s));
        }
    }

    #[test]
    fn sellers_fulfil_and_cancel_but_only_operators_refund() {
        assert!(OrderEvent::Cancel.allowed_for(OrderActor::Seller));
        assert!(!OrderEvent::Refund.allowed_for(OrderActor::Seller));
        assert!(OrderEvent::Refund.allowed_for(OrderActor::Operator));
        assert!(!OrderEvent::Accept.allowed_for(OrderActor::Buyer));
    }

    #[test]
    fn order_numbers_are_prefixed_by_the_marketplace() {
        assert_eq!(order_number("lyon", 42), "LYON-000042");
        assert_eq!(order_number("la-ferme-du-coin", 1), "LAFE-000001");
        assert_eq!(order_number("-", 7), "K-000007");
    }
}
