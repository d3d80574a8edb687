//! How a refund divides: the one pure function that decides, from what an order paid (the
//! amounts frozen on its lines at sale) and what earlier refunds already gave back, how much of
//! each line's price, of the shipping and of the buyer fee a new refund returns, and who gives it
//! back (the seller, the marketplace, Krafto).
//!
//! Rules (property-tested below):
//! - a line is never refunded beyond what was paid for it, in quantity or in any part;
//! - every part is non-negative, and the parts always add up (item parts = seller net +
//!   marketplace share + Krafto fee; the buyer's refund = items + shipping + buyer fee =
//!   taken back from the seller + from the marketplace + from Krafto);
//! - refunding everything, in any number of steps, gives back exactly what was paid;
//! - shipping comes back whole when the refund completes the order (or when asked), never in
//!   part; the buyer fee comes back in proportion to the items, whole with the last refund;
//! - Krafto's fee comes back from Krafto when the marketplace's setting says so, otherwise the
//!   marketplace gives it back out of its own share.

use crate::Invalid;

/// The outbox job by which Krafto staff (the control plane) have a marketplace's worker
/// refund what is left of an order: `{"number", "reason", "staff_id"}`.
pub const STAFF_REFUND_JOB: &str = "refund.staff";

/// What one order line was paid, as frozen at sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinePaid {
    pub quantity: i64,
    pub amount_minor: i64,
    pub seller_net_minor: i64,
    pub tenant_share_minor: i64,
    pub platform_fee_minor: i64,
}

/// What earlier refunds took from one line (all of them summed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineRefunded {
    pub quantity: i64,
    pub amount_minor: i64,
    pub seller_net_minor: i64,
    pub tenant_share_minor: i64,
    pub platform_fee_minor: i64,
}

impl LineRefunded {
    /// Adds a refund's part of this line.
    pub fn add(&mut self, part: &LineRefund) {
        self.quantity += part.quantity;
        self.amount_minor += part.amount_minor;
        self.seller_net_minor += part.seller_net_minor;
        self.tenant_share_minor += part.tenant_share_minor;
        self.platform_fee_minor += part.platform_fee_minor;
    }
}

/// What an order paid: its lines, shipping and buyer fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPaid {
    pub lines: Vec<LinePaid>,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
}

/// What earlier refunds of the order gave back (`lines` in the same order as [`OrderPaid`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderRefunded {
    pub lines: Vec<LineRefunded>,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
}

impl OrderRefunded {
    /// Adds a refund to the running totals.
    pub fn add(&mut self, r: &RefundAllocation) {
        for part in &r.lines {
            if self.lines.len() <= part.line {
                self.lines.resize(part.line + 1, LineRefunded::default());
            }
            self.lines[part.line].add(part);
        }
        self.shipping_minor += r.shipping_minor;
        self.buyer_fee_minor += r.buyer_fee_minor;
    }
}

/// A refund asked for: units of lines (by position in [`OrderPaid::lines`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RefundAsk {
    pub lines: Vec<(usize, i64)>,
    /// Give the shipping back even though lines remain (an operator's decision).
    pub with_shipping: bool,
}

/// One line's part of a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRefund {
    pub line: usize,
    pub quantity: i64,
    pub amount_minor: i64,
    pub seller_net_minor: i64,
    pub tenant_share_minor: i64,
    pub platform_fee_minor: i64,
}

/// How a refund divides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundAllocation {
    pub lines: Vec<LineRefund>,
    pub items_minor: i64,
    pub shipping_minor: i64,
    pub buyer_fee_minor: i64,
    /// What the buyer gets back: items + shipping + buyer fee.
    pub total_minor: i64,
    /// Taken back from the seller: item nets + shipping.
    pub seller_minor: i64,
    /// Taken back from the marketplace: its shares + the buyer fee (+ Krafto's fee when
    /// Krafto keeps it).
    pub tenant_minor: i64,
    /// Given back by Krafto: its fee, when the marketplace's setting returns it.
    pub platform_minor: i64,
    /// Whether Krafto's fee comes back from Krafto (otherwise from the marketplace).
    pub platform_fee_returned: bool,
    /// Whether nothing of the order remains paid after this refund.
    pub completes_order: bool,
}

/// `value × num / den`, rounded down, without overflow (`den > 0`).
fn part_of(value: i64, num: i64, den: i64) -> i64 {
    let v = i128::from(value) * i128::from(num) / i128::from(den);
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Divides a refund. `return_platform_fee` is the marketplace's setting. Errors name the
/// problem in words (a line that does not exist, a quantity beyond what remains, nothing
/// asked).
pub fn allocate_refund(
    paid: &OrderPaid,
    refunded: &OrderRefunded,
    ask: &RefundAsk,
    return_platform_fee: bool,
) -> Result<RefundAllocation, Invalid> {
    let before = |i: usize| refunded.lines.get(i).copied().unwrap_or_default();
    let mut wanted = vec![0i64; paid.lines.len()];
    for &(line, quantity) in &ask.lines {
        let Some(w) = wanted.get_mut(line) else {
            return Err(Invalid::new(format!(
                "the order has no line {}",
                line.saturating_add(1)
            )));
        };
        if quantity < 1 {
            return Err(Invalid::new("refund at least one unit of each line named"));
        }
        *w = w.saturating_add(quantity);
    }
    let mut lines = Vec::new();
    for (i, (&want, paid_line)) in wanted.iter().zip(&paid.lines).enumerate() {
        if want == 0 {
            continue;
        }
        let done = before(i);
        let left_qty = paid_line.quantity - done.quantity;
        if want > left_qty {
            return Err(Invalid::new(format!(
                "line {} has {} unit(s) left to refund, not {want}",
                i + 1,
                left_qty.max(0)
            )));
        }
        lines.push(line_part(i, paid_line, &done, want, left_qty));
    }
    let items: i64 = lines.iter().map(|l| l.amount_minor).sum();
    let completes_order = paid
        .lines
        .iter()
        .enumerate()
        .all(|(i, l)| before(i).quantity + wanted[i] >= l.quantity);
    if lines.is_empty() && !(ask.with_shipping || completes_order) {
        return Err(Invalid::new("name at least one line to refund"));
    }
    let shipping_left = (paid.shipping_minor - refunded.shipping_minor).max(0);
    let shipping = if completes_order || ask.with_shipping {
        shipping_left
    } else {
        0
    };
    let fee_left = (paid.buyer_fee_minor - refunded.buyer_fee_minor).max(0);
    let items_left: i64 = paid
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.amount_minor - before(i).amount_minor).max(0))
        .sum();
    let buyer_fee = if completes_order {
        fee_left
    } else if items_left > 0 {
        part_of(fee_left, items, items_left).min(fee_left)
    } else {
        0
    };
    let nets: i64 = lines.iter().map(|l| l.seller_net_minor).sum();
    let shares: i64 = lines.iter().map(|l| l.tenant_share_minor).sum();
    let fees: i64 = lines.iter().map(|l| l.platform_fee_minor).sum();
    let total = items + shipping + buyer_fee;
    if total == 0 && lines.is_empty() {
        return Err(Invalid::new("nothing is left to refund on this order"));
    }
    Ok(RefundAllocation {
        lines,
        items_minor: items,
        shipping_minor: shipping,
        buyer_fee_minor: buyer_fee,
        total_minor: total,
        seller_minor: nets + shipping,
        tenant_minor: shares + buyer_fee + if return_platform_fee { 0 } else { fees },
        platform_minor: if return_platform_fee { fees } else { 0 },
        platform_fee_returned: return_platform_fee,
        completes_order,
    })
}

/// One line's part: the last units take exactly what remains; earlier ones take their share
/// of what remains, rounded down, Krafto's fee and the marketplace's share first and the seller
/// the rest (moved to the others if it would exceed what the seller has left).
fn line_part(
    i: usize,
    paid: &LinePaid,
    done: &LineRefunded,
    want: i64,
    left_qty: i64,
) -> LineRefund {
    let left_amount = (paid.amount_minor - done.amount_minor).max(0);
    let left_net = (paid.seller_net_minor - done.seller_net_minor).max(0);
    let left_share = (paid.tenant_share_minor - done.tenant_share_minor).max(0);
    let left_fee = (paid.platform_fee_minor - done.platform_fee_minor).max(0);
    if want == left_qty {
        return LineRefund {
            line: i,
            quantity: want,
            amount_minor: left_amount,
            seller_net_minor: left_net,
            tenant_share_minor: left_share,
            platform_fee_minor: left_fee,
        };
    }
    let amount = part_of(left_amount, want, left_qty);
    let mut fee = part_of(left_fee, want, left_qty);
    let mut share = part_of(left_share, want, left_qty);
    let mut net = amount - fee - share;
    if net > left_net {
        let mut excess = net - left_net;
        net = left_net;
        let to_share = excess.min(left_share - share);
        share += to_share;
        excess -= to_share;
        fee += excess.min(left_fee - fee);
    }
    LineRefund {
        line: i,
        quantity: want,
        amount_minor: net + share + fee,
        seller_net_minor: net,
        tenant_share_minor: share,
        platform_fee_minor: fee,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bps;
    use crate::money::split;
    use proptest::prelude::*;

    fn line(unit: i64, qty: i64, commission: u16, fee: u16) -> LinePaid {
        let amount = unit * qty;
        let s = split(
            amount,
            Bps::new(i64::from(commission)).unwrap(),
            Bps::new(i64::from(fee)).unwrap(),
        );
        LinePaid {
            quantity: qty,
            amount_minor: amount,
            seller_net_minor: s.seller_net,
            tenant_share_minor: s.tenant_share,
            platform_fee_minor: s.platform_fee,
        }
    }

    #[test]
    fn two_of_three_units_return_their_price_and_no_shipping() {
        let paid = OrderPaid {
            lines: vec![line(1000, 3, 1000, 200), line(500, 1, 1000, 200)],
            shipping_minor: 490,
            buyer_fee_minor: 105,
        };
        let r = allocate_refund(
            &paid,
            &OrderRefunded::default(),
            &RefundAsk {
                lines: vec![(0, 2)],
                with_shipping: false,
            },
            false,
        )
        .unwrap();
        assert_eq!(r.items_minor, 2000);
        assert_eq!(r.shipping_minor, 0);
        // 105 × 2000 / 3500, rounded down.
        assert_eq!(r.buyer_fee_minor, 60);
        assert_eq!(r.lines[0].seller_net_minor, 1800);
        assert_eq!(r.lines[0].tenant_share_minor, 160);
        assert_eq!(r.lines[0].platform_fee_minor, 40);
        assert_eq!(r.seller_minor, 1800);
        assert_eq!(r.tenant_minor, 160 + 60 + 40, "Krafto keeps its fee");
        assert_eq!(r.platform_minor, 0);
        assert!(!r.completes_order);
        let mut done = OrderRefunded::default();
        done.add(&r);
        let rest = allocate_refund(
            &paid,
            &done,
            &RefundAsk {
                lines: vec![(0, 1), (1, 1)],
                with_shipping: false,
            },
            true,
        )
        .unwrap();
        assert!(rest.completes_order);
        assert_eq!(rest.shipping_minor, 490);
        assert_eq!(rest.buyer_fee_minor, 45);
        assert_eq!(rest.items_minor, 1500);
        assert_eq!(
            rest.platform_minor,
            rest.lines.iter().map(|l| l.platform_fee_minor).sum::<i64>()
        );
    }

    #[test]
    fn asking_beyond_what_remains_is_refused_in_words() {
        let paid = OrderPaid {
            lines: vec![line(1000, 1, 1000, 200)],
            shipping_minor: 0,
            buyer_fee_minor: 0,
        };
        let ask = |lines: Vec<(usize, i64)>| RefundAsk {
            lines,
            with_shipping: false,
        };
        let none = OrderRefunded::default();
        assert!(allocate_refund(&paid, &none, &ask(vec![(0, 2)]), false).is_err());
        assert!(allocate_refund(&paid, &none, &ask(vec![(1, 1)]), false).is_err());
        assert!(allocate_refund(&paid, &none, &ask(vec![(0, 0)]), false).is_err());
        assert!(allocate_refund(&paid, &none, &ask(vec![]), false).is_err());
        let all = allocate_refund(&paid, &none, &ask(vec![(0, 1)]), false).unwrap();
        let mut done = OrderRefunded::default();
        done.add(&all);
        assert!(
            allocate_refund(&paid, &done, &ask(vec![]), false).is_err(),
            "nothing left"
        );
    }

    fn order() -> impl Strategy<Value = OrderPaid> {
        (
            proptest::collection::vec(
                (1i64..200_000, 1i64..12, 0u16..=10_000, 0u16..=10_000),
                1..5,
            ),
            0i64..5_000,
            0i64..3_000,
        )
            .prop_map(|(lines, shipping, fee)| OrderPaid {
                lines: lines
                    .into_iter()
                    .map(|(unit, qty, c, f)| line(unit, qty, c, f.min(c)))
                    .collect(),
                shipping_minor: shipping,
                buyer_fee_minor: fee,
            })
    }

    proptest! {
        #[test]
        fn any_sequence_of_refunds_adds_up_and_never_exceeds_what_was_paid(
            paid in order(),
            steps in proptest::collection::vec(proptest::collection::vec((0usize..5, 1i64..12), 1..4), 1..8),
            shipping_early in any::<bool>(),
            return_fee in any::<bool>(),
        ) {
            let mut done = OrderRefunded::default();
            let mut total_back = 0i64;
            for (n, step) in steps.iter().enumerate() {
                let ask = RefundAsk { lines: step.clone(), with_shipping: shipping_early && n == 0 };
                let Ok(r) = allocate_refund(&paid, &done, &ask, return_fee) else { continue };
                prop_assert_eq!(r.total_minor, r.items_minor + r.shipping_minor + r.buyer_fee_minor);
                prop_assert_eq!(r.total_minor, r.seller_minor + r.tenant_minor + r.platform_minor);
                for l in &r.lines {
                    prop_assert!(l.seller_net_minor >= 0 && l.tenant_share_minor >= 0 && l.platform_fee_minor >= 0);
                    prop_assert_eq!(l.amount_minor, l.seller_net_minor + l.tenant_share_minor + l.platform_fee_minor);
                }
                prop_assert!(r.shipping_minor == 0 || r.shipping_minor == paid.shipping_minor);
                done.add(&r);
                total_back += r.total_minor;
                for (i, p) in paid.lines.iter().enumerate() {
                    let d = done.lines.get(i).copied().unwrap_or_default();
                    prop_assert!(d.quantity <= p.quantity);
                    prop_assert!(d.amount_minor <= p.amount_minor);
                    prop_assert!(d.seller_net_minor <= p.seller_net_minor);
                    prop_assert!(d.tenant_share_minor <= p.tenant_share_minor);
                    prop_assert!(d.platform_fee_minor <= p.platform_fee_minor);
                }
                prop_assert!(done.buyer_fee_minor <= paid.buyer_fee_minor);
                prop_assert!(done.shipping_minor <= paid.shipping_minor);
            }
            // Whatever happened, refunding the rest gives back exactly what was paid.
            let rest: Vec<(usize, i64)> = paid.lines.iter().enumerate()
                .map(|(i, l)| (i, l.quantity - done.lines.get(i).map_or(0, |d| d.quantity)))
                .filter(|(_, q)| *q > 0)
                .collect();
            if let Ok(r) = allocate_refund(&paid, &done, &RefundAsk { lines: rest, with_shipping: false }, return_fee) {
                prop_assert!(r.completes_order);
                done.add(&r);
                total_back += r.total_minor;
            }
            let items: i64 = paid.lines.iter().map(|l| l.amount_minor).sum();
            prop_assert_eq!(total_back, items + paid.shipping_minor + paid.buyer_fee_minor);
            for (i, p) in paid.lines.iter().enumerate() {
                let d = done.lines[i];
                prop_assert_eq!((d.quantity, d.seller_net_minor, d.tenant_share_minor, d.platform_fee_minor),
                    (p.quantity, p.seller_net_minor, p.tenant_share_minor, p.platform_fee_minor));
            }
        }
    }
}
