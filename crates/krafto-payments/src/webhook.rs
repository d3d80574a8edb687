//! Stripe webhook signatures and the few event fields Krafto reads.
//!
//! A `Stripe-Signature` header is `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`; each `v1` is
//! HMAC-SHA256 of `"{t}.{body}"` under an endpoint secret. While a secret is being rotated
//! Stripe signs with both, so any `v1` matching any configured secret is accepted. The
//! timestamp must be within the tolerance of now, so a captured delivery cannot be replayed
//! later.

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::Sha256;

/// How far a signature's timestamp may be from now (Stripe's libraries use 5 minutes).
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header is missing or malformed")]
    Malformed,
    #[error("the signature timestamp is outside the {0} s tolerance")]
    Stale(i64),
    #[error("no v1 signature matches a configured webhook secret")]
    Mismatch,
}

/// Checks `header` for `payload` against every secret (see the module docs).
pub fn verify(
    payload: &[u8],
    header: &str,
    secrets: &[SecretString],
    tolerance_secs: i64,
    now_unix: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => timestamp = v.parse::<i64>().ok(),
            Some(("v1", v)) => {
                if let Ok(bytes) = hex::decode(v) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let Some(t) = timestamp else {
        return Err(SignatureError::Malformed);
    };
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now_unix - t).abs() > tolerance_secs {
        return Err(SignatureError::Stale(tolerance_secs));
    }
    for secret in secrets {
        for sig in &signatures {
            // verify_slice compares in constant time.
            if mac(secret.expose_secret(), t, payload)
                .verify_slice(sig)
                .is_ok()
            {
                return Ok(());
            }
        }
    }
    Err(SignatureError::Mismatch)
}

fn mac(secret: &str, t: i64, payload: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac
}

/// The `v1` signature of `payload` at `t` under `secret` (for tests and test tooling).
pub fn sign(payload: &[u8], secret: &str, t: i64) -> String {
    hex::encode(mac(secret, t, payload).finalize().into_bytes())
}

/// A Stripe event, with only the fields Krafto reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Unix seconds; orders events of one object (Stripe may deliver them out of order).
    pub created: i64,
    /// The connected account the event happened on (Connect endpoint deliveries).
    #[serde(default)]
    pub account: Option<String>,
    pub data: EventData,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

impl Event {
    pub fn parse(payload: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(payload)
    }

    /// `data.object.metadata.<key>`.
    pub fn metadata(&self, key: &str) -> Option<&str> {
        self.data
            .object
            .get("metadata")
            .and_then(|m| m.get(key))
            .and_then(|v| v.as_str())
    }

    /// A `charge.dispute.*` event's dispute.
    pub fn dispute(&self) -> Option<DisputeFacts> {
        DisputeFacts::parse(&self.data.object)
    }

    /// A `payment_intent.*` event's charge (`data.object.latest_charge`): Stripe sends its
    /// id, or the charge itself when the event was expanded.
    pub fn latest_charge(&self) -> Option<&str> {
        let charge = self.data.object.get("latest_charge")?;
        charge
            .as_str()
            .or_else(|| charge.get("id").and_then(|v| v.as_str()))
            .filter(|id| !id.is_empty())
    }

    /// A `payout.*` event's payout (of the connected account in `account`).
    pub fn payout(&self) -> Option<PayoutFacts> {
        PayoutFacts::parse(&self.data.object)
    }

    /// An `account.updated` event's account state.
    pub fn account_state(&self) -> Option<crate::AccountState> {
        let o = &self.data.object;
        Some(crate::AccountState {
            id: o.get("id")?.as_str()?.to_owned(),
            charges_enabled: o.get("charges_enabled")?.as_bool()?,
            payouts_enabled: o.get("payouts_enabled")?.as_bool()?,
            details_submitted: o
                .get("details_submitted")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            requirements: o
                .pointer("/requirements/currently_due")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(s: &[&str]) -> Vec<SecretString> {
        s.iter()
            .map(|s| SecretString::from(s.to_string()))
            .collect()
    }

    #[test]
    fn a_signature_under_any_configured_secret_is_accepted() {
        let body = br#"{"id":"evt_1"}"#;
        let header = format!(
            "t=1000,v1={},v1={}",
            sign(body, "old", 1000),
            sign(body, "new", 1000)
        );
        assert_eq!(verify(body, &header, &secrets(&["new"]), 300, 1100), Ok(()));
        assert_eq!(verify(body, &header, &secrets(&["old"]), 300, 1100), Ok(()));
        let only_new = format!("t=1000,v1={}", sign(body, "new", 1000));
        assert_eq!(
            verify(body, &only_new, &secrets(&["old", "new"]), 300, 1000),
            Ok(())
        );
    }

    #[test]
    fn the_latest_charge_is_read_as_an_id_or_an_expanded_object() {
        let event = |charge: serde_json::Value| Event {
            id: "evt_1".into(),
            kind: "payment_intent.succeeded".into(),
            created: 1,
            account: None,
            data: EventData {
                object: serde_json::json!({ "id": "pi_1", "latest_charge": charge }),
            },
        };
        assert_eq!(event("ch_1".into()).latest_charge(), Some("ch_1"));
        assert_eq!(
            event(serde_json::json!({ "id": "ch_2", "object": "charge" })).latest_charge(),
            Some("ch_2")
        );
        assert_eq!(event(serde_json::Value::Null).latest_charge(), None);
        assert_eq!(event("".into()).latest_charge(), None);
    }

    #[test]
    fn tampering_staleness_and_garbage_are_refused() {
        let body = br#"{"id":"evt_1"}"#;
        let header = format!("t=1000,v1={}", sign(body, "s", 1000));
        assert_eq!(
            verify(br#"{"id":"evt_2"}"#, &header, &secrets(&["s"]), 300, 1000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(body, &header, &secrets(&["other"]), 300, 1000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(body, &header, &secrets(&["s"]), 300, 1301),
            Err(SignatureError::Stale(300))
        );
        assert_eq!(
            verify(body, "v1=abc", &secrets(&["s"]), 300, 1000),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(body, "t=1000", &secrets(&["s"]), 300, 1000),
            Err(SignatureError::Malformed)
        );
    }
}

/// What a `charge.dispute.*` event says of a dispute (Stripe's Dispute object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeFacts {
    /// `dp_…`.
    pub id: String,
    /// The disputed payment intent.
    pub payment_intent: String,
    pub charge: Option<String>,
    pub amount_minor: i64,
    /// Uppercase ISO 4217.
    pub currency: String,
    pub reason: String,
    pub status: String,
    /// `evidence_details.due_by` (Unix seconds).
    pub due_by: Option<i64>,
    /// Money taken from the platform's balance: the disputed amount and Stripe's fee (from the
    /// dispute's balance transaction with a negative amount).
    pub withdrawn: Option<(i64, i64)>,
    /// Money given back when the dispute is won: the amount and the fee returned (from the
    /// balance transaction with a positive amount).
    pub reinstated: Option<(i64, i64)>,
}

impl DisputeFacts {
    pub fn parse(o: &serde_json::Value) -> Option<DisputeFacts> {
        if o.get("object").and_then(|v| v.as_str()) != Some("dispute") {
            return None;
        }
        let text = |k: &str| o.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        // `payment_intent` and `charge` are ids, or expanded objects with an id.
        let id_of = |k: &str| {
            o.get(k).and_then(|v| {
                v.as_str()
                    .or_else(|| v.get("id").and_then(|i| i.as_str()))
                    .map(str::to_owned)
            })
        };
        let mut withdrawn = None;
        let mut reinstated = None;
        for t in o
            .get("balance_transactions")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let amount = t.get("amount").and_then(|v| v.as_i64()).unwrap_or(0);
            let fee = t.get("fee").and_then(|v| v.as_i64()).unwrap_or(0);
            if amount < 0 {
                withdrawn = Some((-amount, fee.max(0)));
            } else if amount > 0 {
                reinstated = Some((amount, (-fee).max(0)));
            }
        }
        Some(DisputeFacts {
            id: text("id")?,
            payment_intent: id_of("payment_intent")?,
            charge: id_of("charge"),
            amount_minor: o.get("amount").and_then(|v| v.as_i64())?,
            currency: text("currency")?.to_ascii_uppercase(),
            reason: text("reason").unwrap_or_else(|| "general".to_owned()),
            status: text("status")?,
            due_by: o
                .pointer("/evidence_details/due_by")
                .and_then(|v| v.as_i64()),
            withdrawn,
            reinstated,
        })
    }

    /// Whether the dispute is over (won, lost, or an inquiry closed).
    pub fn is_closed(&self) -> bool {
        matches!(self.status.as_str(), "won" | "lost" | "warning_closed")
    }
}

/// What a `payout.*` event says of a connected account's payout (Stripe's Payout object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutFacts {
    /// `po_…`.
    pub id: String,
    pub amount_minor: i64,
    /// Uppercase ISO 4217.
    pub currency: String,
    /// `pending`, `in_transit`, `paid`, `failed` or `canceled`.
    pub status: String,
    /// When Stripe created the payout (Unix seconds).
    pub created: i64,
    /// When it is expected in the bank (Unix seconds).
    pub arrival_date: Option<i64>,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
}

impl PayoutFacts {
    pub fn parse(o: &serde_json::Value) -> Option<PayoutFacts> {
        if o.get("object").and_then(|v| v.as_str()) != Some("payout") {
            return None;
        }
        let text = |k: &str| {
            o.get(k)
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Some(PayoutFacts {
            id: text("id")?,
            amount_minor: o.get("amount").and_then(|v| v.as_i64())?,
            currency: text("currency")?.to_ascii_uppercase(),
            status: text("status")?,
            created: o.get("created").and_then(|v| v.as_i64())?,
            arrival_date: o.get("arrival_date").and_then(|v| v.as_i64()),
            failure_code: text("failure_code"),
            failure_message: text("failure_message"),
        })
    }
}

#[cfg(test)]
mod payout_tests {
    use super::PayoutFacts;
    use serde_json::json;

    #[test]
    fn a_payout_is_read_with_its_failure_and_anything_else_is_not_a_payout() {
        let failed = PayoutFacts::parse(&json!({
            "id": "po_1", "object": "payout", "amount": 4250, "currency": "eur",
            "status": "failed", "created": 1_700_000_000, "arrival_date": 1_700_086_400,
            "failure_code": "account_closed", "failure_message": "The bank account has been closed."
        }))
        .unwrap();
        assert_eq!(failed.currency, "EUR");
        assert_eq!(failed.amount_minor, 4250);
        assert_eq!(failed.arrival_date, Some(1_700_086_400));
        assert_eq!(failed.failure_code.as_deref(), Some("account_closed"));
        let paid = PayoutFacts::parse(&json!({
            "id": "po_2", "object": "payout", "amount": 100, "currency": "eur",
            "status": "paid", "created": 1, "failure_code": null
        }))
        .unwrap();
        assert_eq!(paid.failure_code, None);
        assert_eq!(paid.arrival_date, None);
        assert!(PayoutFacts::parse(&json!({ "id": "tr_1", "object": "transfer" })).is_none());
        assert!(PayoutFacts::parse(&json!({ "id": "po_3", "object": "payout" })).is_none());
    }
}
