//! The built-in test gateway: used when no `STRIPE_SECRET_KEY` is set, so the whole flow works
//! on a fresh machine. Nothing is charged. Ids are derived from the idempotency key, so a
//! repeated call returns the same object, as Stripe does. Whether a payment succeeds,
//! is declined or fails later is chosen on the platform's test-mode payment page, which
//! feeds the outcome into the same code path as a Stripe webhook.
//!
//! It keeps no books: it remembers nothing between calls (the server and the worker are
//! separate processes, and its ids are derived, not stored), so it lists no activity and says
//! so through [`PaymentGateway::keeps_books`]; reconciliation in test mode checks the ledger
//! against our own records only.

use crate::{
    AccountState, DisputeEvidence, GatewayError, GatewayMode, GatewayMovement, GatewayResult,
    LinkRequest, NewAccount, NewPayment, NewRefund, NewReversal, NewTransfer, Payment,
    PaymentGateway,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};

/// See the module docs.
#[derive(Debug, Clone, Default)]
pub struct TestGateway {
    /// Where test-mode onboarding links lead: `{base}/test-mode/onboarding/{account}`.
    onboarding_base: Option<String>,
}

/// A short stable id for an idempotency key.
fn derive(prefix: &str, key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    format!("{prefix}_test_{}", hex::encode(&digest[..12]))
}

impl TestGateway {
    pub fn new() -> Self {
        Self::default()
    }

    /// Onboarding links lead to `{base}/test-mode/onboarding/{account}` instead of the
    /// caller's return URL's origin.
    pub fn with_onboarding_base(base: impl Into<String>) -> Self {
        Self {
            onboarding_base: Some(base.into()),
        }
    }

    /// The charge behind a test payment once it succeeded (`ch_test_…`, the same for the
    /// same payment), as Stripe reports a payment intent's `latest_charge`.
    pub fn charge_of(payment_id: &str) -> String {
        derive("ch", payment_id)
    }

    /// Whether an id was made by this gateway.
    pub fn owns(id: &str) -> bool {
        id.contains("_test_")
    }
}

impl PaymentGateway for TestGateway {
    fn mode(&self) -> GatewayMode {
        GatewayMode::Test
    }

    fn create_account<'a>(
        &'a self,
        account: &'a NewAccount,
    ) -> BoxFuture<'a, GatewayResult<AccountState>> {
        let id = derive("acct", &account.idempotency_key);
        async move {
            Ok(AccountState {
                id,
                requirements: vec!["test_mode_onboarding".to_owned()],
                ..AccountState::default()
            })
        }
        .boxed()
    }

    fn account_link<'a>(&'a self, link: &'a LinkRequest) -> BoxFuture<'a, GatewayResult<String>> {
        async move {
            // The test onboarding page lives on the server that asked for the link (its
            // return URL's origin) unless a base was configured.
            let base = match &self.onboarding_base {
                Some(b) => b.trim_end_matches('/').to_owned(),
                None => origin(&link.return_url).ok_or_else(|| {
                    GatewayError::Refused(format!(
                        "return_url `{}` is not an absolute http(s) URL",
                        link.return_url
                    ))
                })?,
            };
            Ok(format!(
                "{base}/test-mode/onboarding/{}?return_url={}",
                link.account_id,
                krafto_core::text::percent_encode(&link.return_url)
            ))
        }
        .boxed()
    }

    fn account<'a>(&'a self, account_id: &'a str) -> BoxFuture<'a, GatewayResult<AccountState>> {
        async move {
            Err(GatewayError::Refused(format!(
                "test mode: the state of {account_id} is kept by Krafto (complete it on the test onboarding page)"
            )))
        }
        .boxed()
    }

    fn create_payment<'a>(
        &'a self,
        payment: &'a NewPayment,
    ) -> BoxFuture<'a, GatewayResult<Payment>> {
        async move {
            if payment.amount_minor <= 0 {
                return Err(GatewayError::Refused("amount must be positive".to_owned()));
            }
            let id = derive("pi", &payment.idempotency_key);
            let secret = derive("secret", &format!("{id}:{}", payment.idempotency_key));
            Ok(Payment {
                client_secret: Some(format!("{id}_{secret}")),
                id,
                status: "requires_payment_method".to_owned(),
            })
        }
        .boxed()
    }

    fn create_transfer<'a>(
        &'a self,
        transfer: &'a NewTransfer,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        async move {
            if transfer.amount_minor <= 0 {
                return Err(GatewayError::Refused("amount must be positive".to_owned()));
            }
            Ok(derive("tr", &transfer.idempotency_key))
        }
        .boxed()
    }

    fn create_refund<'a>(&'a self, refund: &'a NewRefund) -> BoxFuture<'a, GatewayResult<String>> {
        async move {
            if refund.amount_minor <= 0 {
                return Err(GatewayError::Refused("amount must be positive".to_owned()));
            }
            Ok(derive("re", &refund.idempotency_key))
        }
        .boxed()
    }

    fn balance_fee<'a>(
        &'a self,
        _balance_transaction: &'a str,
    ) -> BoxFuture<'a, GatewayResult<i64>> {
        // Nothing is charged in test mode, so nothing is taken for it.
        async move { Ok(0) }.boxed()
    }

    fn update_dispute<'a>(
        &'a self,
        _evidence: &'a DisputeEvidence,
    ) -> BoxFuture<'a, GatewayResult<()>> {
        // Test mode has no banks: there is nothing to send the evidence to.
        async move { Ok(()) }.boxed()
    }

    fn keeps_books(&self) -> bool {
        false
    }

    fn list_activity<'a>(
        &'a self,
        _from: i64,
        _to: i64,
    ) -> BoxFuture<'a, GatewayResult<Vec<GatewayMovement>>> {
        async move { Ok(Vec::new()) }.boxed()
    }

    fn reverse_transfer<'a>(
        &'a self,
        reversal: &'a NewReversal,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        async move {
            if reversal.amount_minor <= 0 {
                return Err(GatewayError::Refused("amount must be positive".to_owned()));
            }
            Ok(derive("trr", &reversal.idempotency_key))
        }
        .boxed()
    }
}

/// `scheme://host[:port]` of an absolute http(s) URL.
fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .filter(|h| !h.is_empty())?;
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[tokio::test]
    async fn same_idempotency_key_gives_the_same_payment() {
        let g = TestGateway::new();
        let p = NewPayment {
            amount_minor: 1234,
            currency: "EUR".into(),
            transfer_group: "c1".into(),
            receipt_email: None,
            description: "x".into(),
            metadata: BTreeMap::new(),
            idempotency_key: "checkout:c1".into(),
        };
        let a = g.create_payment(&p).await.unwrap();
        let b = g.create_payment(&p).await.unwrap();
        assert_eq!(a, b);
        let other = g
            .create_payment(&NewPayment {
                idempotency_key: "checkout:c2".into(),
                ..p
            })
            .await
            .unwrap();
        assert_ne!(a.id, other.id);
        assert!(TestGateway::owns(&a.id));
        assert_eq!(TestGateway::charge_of(&a.id), TestGateway::charge_of(&a.id));
        assert_ne!(
            TestGateway::charge_of(&a.id),
            TestGateway::charge_of(&other.id)
        );
        assert!(TestGateway::charge_of(&a.id).starts_with("ch_test_"));
    }

    #[tokio::test]
    async fn onboarding_link_points_at_the_return_urls_origin() {
        let link = TestGateway::new()
            .account_link(&LinkRequest {
                account_id: "acct_test_1".into(),
                refresh_url: "http://lyon.localhost:8080/sell".into(),
                return_url: "http://lyon.localhost:8080/sell/payouts?x=1".into(),
            })
            .await
            .unwrap();
        assert_eq!(
            link,
            "http://lyon.localhost:8080/test-mode/onboarding/acct_test_1?return_url=http%3A%2F%2Flyon.localhost%3A8080%2Fsell%2Fpayouts%3Fx%3D1"
        );
    }
}
