//! What the buyer's, the seller's and the operator's order pages share about refunds: the
//! order's money in a sentence, each refund and each request in words, the timeline's refund
//! events, and the refund forms' quantity per line (shown as selects, read back as units).
//!
//! Words only: what may be refunded or asked, and by whom, is `commerce::refunds`' to decide;
//! the forms offer no more than what is left so that a person rarely meets a refusal, and
//! every refusal still comes from there. Nothing here shows an id or a status code.

use crate::commerce::refunds::LineUnits;
use crate::web::Field;
use krafto_api_types::commerce::{OrderEventView, OrderLineView, OrderView};
use krafto_api_types::refunds::{
    PaymentStatusName, RefundRequestStatusName, RefundRequestView, RefundView, SettlementName,
};
use krafto_core::{FieldError, Money};
use krafto_i18n::Locale;
use krafto_web::ApiError;
use std::collections::HashMap;
use uuid::Uuid;

/// The longest reason a refund form takes (as `commerce::refunds` does).
pub(crate) const REASON_MAX: &str = "1000";

/// Who reads a page: what they see of a refund's split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reader {
    Buyer,
    Seller,
    Operator,
}

/// The order's money in a sentence: "Payée", "Remboursée en partie — 42,00 € remboursés".
pub(crate) fn money_status(locale: Locale, v: &OrderView) -> String {
    let amount = locale.money(&Money::of(v.refunded_minor, &v.currency));
    match v.payment_status {
        PaymentStatusName::Paid => locale.t("refund-money-paid"),
        PaymentStatusName::PartiallyRefunded => {
            locale.t_args("refund-money-partly", &[("amount", amount.into())])
        }
        PaymentStatusName::Refunded => {
            locale.t_args("refund-money-refunded", &[("amount", amount.into())])
        }
    }
}

/// Who did something, as a refund's story names them ("le vendeur", "the marketplace").
pub(crate) fn who(locale: Locale, kind: &str) -> String {
    match kind {
        "buyer" | "seller" | "operator" | "staff" => locale.t(&format!("refund-by-{kind}")),
        _ => locale.t("refund-by-system"),
    }
}

fn line_title(l: &OrderLineView) -> String {
    match &l.variant_label {
        Some(v) => format!("{} · {v}", l.title),
        None => l.title.clone(),
    }
}

/// "Bol × 1, Tasse × 2".
fn items(parts: impl Iterator<Item = (String, i32)>) -> String {
    parts
        .map(|(title, q)| format!("{title} × {q}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A refund as a page shows it.
pub(crate) struct RefundRow {
    /// What the buyer gets back.
    pub amount: String,
    /// When it was made (`datetime`), and in words.
    pub at: String,
    pub when: String,
    /// The items it gives back, with their quantities ("Bol × 1"); empty for shipping only.
    pub items: String,
    /// The delivery given back with it, in words (empty when none).
    pub shipping: String,
    pub reason: String,
    /// Who made it ("par le vendeur").
    pub by: String,
    /// "en cours", "effectué", "n’a pas abouti".
    pub state: String,
    pub done: bool,
    /// What was taken back from the seller (the seller's and the operator's pages).
    pub seller_part: Option<String>,
    /// Where the money came back from (the operator's page): seller, marketplace, Krafto.
    pub split: Option<String>,
}

/// The order's refunds, oldest first, for `reader`.
pub(crate) fn refund_rows(locale: Locale, v: &OrderView, reader: Reader) -> Vec<RefundRow> {
    let money = |m: i64| locale.money(&Money::of(m, &v.currency));
    v.refunds
        .iter()
        .map(|r: &RefundView| RefundRow {
            amount: money(r.amount_minor),
            at: r.created_at.to_rfc3339(),
            when: locale.date_time(r.created_at),
            items: items(r.lines.iter().map(|l| {
                let title = v
                    .lines
                    .iter()
                    .find(|o| o.id == l.line_id)
                    .map(line_title)
                    .unwrap_or_default();
                (title, l.quantity)
            })),
            shipping: if r.shipping_minor > 0 {
                locale.t_args(
                    "refund-with-shipping",
                    &[("amount", money(r.shipping_minor).into())],
                )
            } else {
                String::new()
            },
            reason: r.reason.clone(),
            by: locale.t_args(
                "refund-made-by",
                &[(
                    "who",
                    who(locale, r.by.as_deref().unwrap_or("system")).into(),
                )],
            ),
            state: locale.t(match r.status {
                SettlementName::Pending => "refund-state-pending",
                SettlementName::Sent => "refund-state-sent",
                SettlementName::Failed => "refund-state-failed",
            }),
            done: r.status == SettlementName::Sent,
            seller_part: (reader != Reader::Buyer)
                .then_some(r.seller_minor)
                .flatten()
                .map(|m| {
                    locale.t_args(
                        if reader == Reader::Seller {
                            "refund-seller-part-yours"
                        } else {
                            "refund-seller-part"
                        },
                        &[("amount", money(m).into())],
                    )
                }),
            split: (reader == Reader::Operator).then(|| {
                locale.t_args(
                    "refund-split",
                    &[
                        ("seller", money(r.seller_minor.unwrap_or(0)).into()),
                        (
                            "marketplace",
                            money(r.marketplace_minor.unwrap_or(0)).into(),
                        ),
                        ("platform", money(r.platform_minor.unwrap_or(0)).into()),
                    ],
                )
            }),
        })
        .collect()
}

/// A refund request as a page shows it.
pub(crate) struct RequestRow {
    /// Where its forms post (accept, decline, withdraw); never shown.
    pub id: Uuid,
    pub open: bool,
    pub at: String,
    pub when: String,
    pub items: String,
    pub reason: String,
    /// Where it stands, in words ("En attente de réponse", "Refusée par le vendeur : …").
    pub outcome: String,
    /// The decline form's reason (the seller's and the operator's pages).
    pub decline: Field,
    /// Why the last decision on this request was refused (empty when none).
    pub error: String,
}

/// A decision on a request that was refused: which request, why, and the reason typed.
pub(crate) struct RefusedDecision<'a> {
    pub id: Uuid,
    pub error: &'a ApiError,
    pub reason: String,
}

/// A request's outcome in words.
fn outcome(locale: Locale, r: &RefundRequestView) -> String {
    let by = who(locale, r.decided_by.as_deref().unwrap_or("system"));
    match r.status {
        RefundRequestStatusName::Open => locale.t("refund-request-open"),
        RefundRequestStatusName::Accepted => {
            locale.t_args("refund-request-accepted", &[("who", by.into())])
        }
        RefundRequestStatusName::Declined => locale.t_args(
            "refund-request-declined",
            &[
                ("who", by.into()),
                (
                    "reason",
                    r.decision_reason.clone().unwrap_or_default().into(),
                ),
            ],
        ),
        RefundRequestStatusName::Withdrawn => locale.t("refund-request-withdrawn"),
    }
}

/// The order's requests, open ones first, then the others newest first.
pub(crate) fn request_rows(
    locale: Locale,
    v: &OrderView,
    refused: Option<&RefusedDecision<'_>>,
) -> Vec<RequestRow> {
    let mut requests: Vec<&RefundRequestView> = v.refund_requests.iter().collect();
    requests.sort_by_key(|r| {
        (
            r.status != RefundRequestStatusName::Open,
            -r.created_at.timestamp_micros(),
        )
    });
    requests
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let mine = refused.filter(|f| f.id == r.id);
            let mut decline = Field::new(
                "reason",
                &locale.t("refund-decline-reason"),
                mine.map(|f| f.reason.clone()).unwrap_or_default(),
            )
            .id(&format!("decline-reason-{i}"))
            .kind("textarea")
            .required()
            .attr("maxlength", REASON_MAX)
            .attr("rows", "2");
            let error = mine.map_or_else(String::new, |f| {
                crate::web::attach([&mut decline], f.error, locale)
            });
            RequestRow {
                id: r.id,
                open: r.status == RefundRequestStatusName::Open,
                at: r.created_at.to_rfc3339(),
                when: locale.date_time(r.created_at),
                items: items(r.lines.iter().map(|l| (l.title.clone(), l.quantity))),
                reason: r.reason.clone(),
                outcome: outcome(locale, r),
                decline,
                error,
            }
        })
        .collect()
}

/// A timeline entry in words: what happened, and the reason given (if any).
pub(crate) struct EventWords {
    pub what: String,
    pub reason: Option<String>,
}

/// A timeline entry: a move of the order (`status`: its new status in words), a refund
/// ("Remboursement de 30,00 €"), a request, or a declined request.
pub(crate) fn event_words(
    locale: Locale,
    e: &OrderEventView,
    currency: &str,
    status: String,
) -> EventWords {
    let reason = e.reason.clone().filter(|r| !r.trim().is_empty());
    let what = match e.kind.as_str() {
        "refund" => locale.t_args(
            "refund-event-refund",
            &[(
                "amount",
                locale
                    .money(&Money::of(e.amount_minor.unwrap_or(0), currency))
                    .into(),
            )],
        ),
        "refund_requested" => locale.t("refund-event-requested"),
        "refund_declined" => locale.t("refund-event-declined"),
        _ => status,
    };
    EventWords { what, reason }
}

/// A timeline entry as one sentence for the buyer: "Remboursement de 30,00 € — cassé",
/// "Demande refusée : photo nécessaire".
pub(crate) fn event_sentence(
    locale: Locale,
    e: &OrderEventView,
    currency: &str,
    status: String,
) -> String {
    let w = event_words(locale, e, currency, status);
    match (e.kind.as_str(), w.reason) {
        ("refund_declined", Some(r)) => {
            locale.t_args("refund-event-declined-why", &[("reason", r.into())])
        }
        (_, Some(r)) => format!("{} — {r}", w.what),
        (_, None) => w.what,
    }
}

/// The form's name for a line's quantity.
fn quantity_name(line: &OrderLineView) -> String {
    format!("qty-{}", line.id)
}

/// One line of a refund form: the line's words and its quantity select.
pub(crate) struct QuantityRow {
    pub field: Field,
}

/// The refund form's quantity selects: one per line that has units `left` (0 up to that
/// many), keeping what was chosen (`values`, by form name). Problems on the lines are said
/// above the form, not on a select.
pub(crate) fn quantity_rows(
    locale: Locale,
    v: &OrderView,
    left: impl Fn(&OrderLineView) -> i32,
    values: &HashMap<String, String>,
) -> Vec<QuantityRow> {
    v.lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let n = left(l);
            (n > 0).then(|| {
                let name = quantity_name(l);
                let field = Field::new(
                    &name,
                    &line_title(l),
                    values.get(&name).cloned().unwrap_or_else(|| "0".to_owned()),
                )
                .id(&format!("refund-qty-{i}"))
                .api("")
                .select((0..=n).map(|q| (q.to_string(), q.to_string())).collect())
                .hint(&locale.t_args(
                    "refund-qty-hint",
                    &[
                        ("bought", l.quantity.into()),
                        ("refunded", l.refunded_quantity.into()),
                    ],
                ));
                QuantityRow { field }
            })
        })
        .collect()
}

/// Units of each line the buyer may still ask for: none on a line with an open request
/// (one open request per line), else what is not refunded.
pub(crate) fn askable(v: &OrderView) -> impl Fn(&OrderLineView) -> i32 + '_ {
    |l| {
        let asked = v
            .refund_requests
            .iter()
            .filter(|r| r.status == RefundRequestStatusName::Open)
            .any(|r| r.lines.iter().any(|q| q.line_id == l.id));
        if asked || v.payment_status == PaymentStatusName::Refunded {
            0
        } else {
            (l.quantity - l.refunded_quantity).max(0)
        }
    }
}

/// Units of each line a seller or an operator may still refund.
pub(crate) fn refundable(v: &OrderView) -> impl Fn(&OrderLineView) -> i32 + '_ {
    |l| {
        if v.payment_status == PaymentStatusName::Refunded {
            0
        } else {
            (l.quantity - l.refunded_quantity).max(0)
        }
    }
}

/// The delivery the buyer paid that no refund gave back yet.
pub(crate) fn shipping_left(v: &OrderView) -> i64 {
    let given: i64 = v
        .refunds
        .iter()
        .filter(|r| r.status != SettlementName::Failed)
        .map(|r| r.shipping_minor)
        .sum();
    (v.shipping_minor - given).max(0)
}

/// A refund form as sent: its values by name (to show them again), the units it asks for,
/// and its reason.
pub(crate) struct RefundForm {
    pub values: HashMap<String, String>,
    pub units: Vec<LineUnits>,
    pub reason: String,
}

impl RefundForm {
    /// Reads the quantities of `v`'s lines and the reason from a posted form.
    pub(crate) fn read(pairs: Vec<(String, String)>, v: &OrderView) -> Self {
        let values: HashMap<String, String> = pairs.into_iter().collect();
        let units = v
            .lines
            .iter()
            .filter_map(|l| {
                let q = values.get(&quantity_name(l))?.trim().parse::<i64>().ok()?;
                (q != 0).then_some(LineUnits {
                    line_id: l.id,
                    quantity: q,
                })
            })
            .collect();
        let reason = values.get("reason").cloned().unwrap_or_default();
        Self {
            values,
            units,
            reason,
        }
    }

    /// Whether a box of the form is ticked (`name=on`).
    pub(crate) fn ticked(&self, name: &str) -> bool {
        self.values.get(name).is_some_and(|v| !v.is_empty())
    }

    /// The form's own refusal before anything is asked of the domain: a quantity that is
    /// not a whole number, none chosen (a refund naming no line would give back the whole
    /// order), or no reason (`say_why`: the words for whoever fills the form in).
    pub(crate) fn check(&self, v: &OrderView, say_why: &'static str) -> Result<(), ApiError> {
        let mut problems = Vec::new();
        let unreadable = v.lines.iter().any(|l| {
            self.values
                .get(&quantity_name(l))
                .is_some_and(|q| !q.trim().is_empty() && q.trim().parse::<i64>().is_err())
        });
        if unreadable {
            problems.push(FieldError::new("lines", "must be a whole number"));
        } else if self.units.is_empty() {
            problems.push(FieldError::new(
                "lines",
                "choose a quantity for at least one item",
            ));
        }
        if self.reason.trim().is_empty() {
            problems.push(FieldError::new("reason", say_why));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(problems))
        }
    }
}

/// The reason box of a refund form.
pub(crate) fn reason_field(label: &str, id: &str, value: &str) -> Field {
    Field::new("reason", label, value)
        .id(id)
        .kind("textarea")
        .required()
        .attr("maxlength", REASON_MAX)
        .attr("rows", "3")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use krafto_api_types::commerce::{OrderShop, OrderStatusName};

    const NB: char = '\u{a0}';

    fn line(title: &str, quantity: i32, refunded: i32) -> OrderLineView {
        OrderLineView {
            id: Uuid::now_v7(),
            listing_id: Uuid::now_v7(),
            variant_id: None,
            title: title.to_owned(),
            variant_label: None,
            unit_price_minor: 3000,
            quantity,
            amount_minor: 3000 * i64::from(quantity),
            refunded_quantity: refunded,
            fees: None,
        }
    }

    fn order(lines: Vec<OrderLineView>, status: PaymentStatusName, refunded: i64) -> OrderView {
        OrderView {
            number: "LYON-000042".to_owned(),
            status: OrderStatusName::Delivered,
            shop: OrderShop {
                id: Uuid::now_v7(),
                name: "Atelier".to_owned(),
                slug: "atelier".to_owned(),
            },
            currency: "EUR".to_owned(),
            items_minor: 6000,
            shipping_minor: 500,
            buyer_fee_minor: 0,
            total_minor: 6500,
            shipping_option: "Colissimo".to_owned(),
            pickup: None,
            tracking_number: None,
            email: "ada@example.com".to_owned(),
            phone: None,
            address: serde_json::Value::Null,
            lines,
            timeline: Vec::new(),
            fees: None,
            payment_status: status,
            refunded_minor: refunded,
            refunds: Vec::new(),
            refund_requests: Vec::new(),
            created_at: Utc::now(),
        }
    }

    fn event(kind: &str, amount: Option<i64>, reason: Option<&str>) -> OrderEventView {
        OrderEventView {
            status: OrderStatusName::Delivered,
            from_status: Some(OrderStatusName::Delivered),
            actor: "seller".to_owned(),
            reason: reason.map(str::to_owned),
            at: Utc::now(),
            kind: kind.to_owned(),
            amount_minor: amount,
        }
    }

    #[test]
    fn the_money_of_an_order_is_one_sentence_in_each_language() {
        let v = order(
            vec![line("Bol", 2, 1)],
            PaymentStatusName::PartiallyRefunded,
            4200,
        );
        assert_eq!(
            money_status(Locale::Fr, &v),
            format!("Remboursée en partie — 42,00{NB}€ remboursés")
        );
        assert_eq!(
            money_status(Locale::En, &v),
            "Partly refunded — €42.00 refunded"
        );
        let paid = order(vec![line("Bol", 2, 0)], PaymentStatusName::Paid, 0);
        assert_eq!(money_status(Locale::Fr, &paid), "Payée");
    }

    #[test]
    fn refund_events_read_as_sentences_and_moves_keep_their_status() {
        let fr = Locale::Fr;
        let e = event("refund", Some(3000), Some("cassé à la livraison"));
        assert_eq!(
            event_sentence(fr, &e, "EUR", "Livrée".into()),
            format!("Remboursement de 30,00{NB}€ — cassé à la livraison")
        );
        let e = event("refund_declined", None, Some("photo nécessaire"));
        assert_eq!(
            event_sentence(fr, &e, "EUR", "Livrée".into()),
            format!("Demande refusée{NB}: photo nécessaire")
        );
        let w = event_words(fr, &e, "EUR", "Livrée".into());
        assert_eq!(w.what, "Demande de remboursement refusée");
        assert_eq!(w.reason.as_deref(), Some("photo nécessaire"));
        let e = event("refund_requested", None, Some("fêlé"));
        assert_eq!(
            event_sentence(fr, &e, "EUR", "Livrée".into()),
            "Demande de remboursement — fêlé"
        );
        let e = event("status", None, None);
        assert_eq!(event_sentence(fr, &e, "EUR", "Livrée".into()), "Livrée");
    }

    #[test]
    fn a_line_offers_what_is_left_and_says_what_was_bought_and_refunded() {
        let v = order(
            vec![line("Bol", 3, 1), line("Tasse", 1, 1), line("Vase", 1, 0)],
            PaymentStatusName::PartiallyRefunded,
            3000,
        );
        let rows = quantity_rows(Locale::Fr, &v, refundable(&v), &HashMap::new());
        assert_eq!(rows.len(), 2, "the cup is refunded in full");
        let bowl = &rows[0].field;
        assert_eq!(bowl.id, "refund-qty-0");
        assert_eq!(bowl.value, "0");
        assert_eq!(
            bowl.options
                .iter()
                .map(|o| o.0.as_str())
                .collect::<Vec<_>>(),
            ["0", "1", "2"]
        );
        assert_eq!(bowl.hint, "3 achetés, 1 déjà remboursé");
        assert_eq!(rows[1].field.hint, "1 acheté");
        assert_eq!(rows[1].field.id, "refund-qty-2");
        let en = quantity_rows(Locale::En, &v, refundable(&v), &HashMap::new());
        assert_eq!(en[0].field.hint, "3 bought, 1 already refunded");
        assert_eq!(bowl.name, format!("qty-{}", v.lines[0].id));
        assert!(
            bowl.api.is_empty(),
            "problems on the lines are said above the form"
        );
    }

    #[test]
    fn a_refund_form_reads_quantities_and_refuses_none_or_no_reason_before_asking() {
        let v = order(
            vec![line("Bol", 2, 0), line("Tasse", 1, 0)],
            PaymentStatusName::Paid,
            0,
        );
        let name = |i: usize| format!("qty-{}", v.lines[i].id);
        let form = RefundForm::read(
            vec![
                (name(0), "0".into()),
                (name(1), "1".into()),
                ("reason".into(), "cassée".into()),
            ],
            &v,
        );
        assert!(form.check(&v, "say why: the buyer is told").is_ok());
        assert_eq!(form.units.len(), 1);
        assert_eq!(form.units[0].line_id, v.lines[1].id);
        assert_eq!(form.units[0].quantity, 1);

        let none = RefundForm::read(vec![(name(0), "0".into())], &v);
        let e = none.check(&v, "say why: the buyer is told").unwrap_err();
        let fields: Vec<(&str, &str)> = e
            .errors
            .iter()
            .map(|p| (p.field.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("lines", "choose a quantity for at least one item"),
                ("reason", "say why: the buyer is told")
            ]
        );
        let odd = RefundForm::read(
            vec![(name(0), "deux".into()), ("reason".into(), "x".into())],
            &v,
        );
        let e = odd.check(&v, "say why: the buyer is told").unwrap_err();
        assert_eq!(e.errors[0].message, "must be a whole number");
    }
}
