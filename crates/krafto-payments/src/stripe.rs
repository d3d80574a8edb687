//! The Stripe implementation of [`PaymentGateway`], built on async-stripe 1.x.
//!
//! What it does: turns each gateway call into one Stripe API request on the platform account
//! (separate charges and transfers: no `Stripe-Account` header), with the caller's idempotency
//! key as the `Idempotency-Key` header of every create, and maps Stripe's answers back into
//! Krafto's types. Stripe's 4xx refusals become [`GatewayError::Refused`]; network failures,
//! time-outs, 409/424/429 and 5xx become [`GatewayError::Unavailable`], which the caller may
//! retry with the same key.
//!
//! What it must never do: log, format or return the secret key; retry on its own with a key of
//! its own making (a retry must reuse the caller's key, so it is left to the caller); send the
//! key over plain HTTP to anything but a loopback test double; or act on a connected account
//! without saying so in a `Stripe-Account` header.

use crate::{
    AccountState, DisputeEvidence, GatewayError, GatewayMode, GatewayMovement, GatewayResult,
    LinkRequest, MovementKind, NewAccount, NewPayment, NewRefund, NewReversal, NewTransfer,
    Payment, PaymentGateway, stripe_currency,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::time::Duration;
use stripe::{ApiErrors, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_connect::account::{
    CreateAccount, CreateAccountCapabilities, CreateAccountCapabilitiesCardPayments,
    CreateAccountCapabilitiesTransfers, CreateAccountType, RetrieveAccount,
};
use stripe_connect::account_link::{CreateAccountLink, CreateAccountLinkType};
use stripe_connect::transfer::{CreateTransfer, ListTransfer};
use stripe_connect::transfer_reversal::CreateIdTransferReversal;
use stripe_core::balance_transaction::RetrieveBalanceTransaction;
use stripe_core::dispute::{ListDispute, UpdateDispute, UpdateDisputeEvidence};
use stripe_core::payment_intent::{
    CreatePaymentIntent, CreatePaymentIntentAutomaticPaymentMethods, ListPaymentIntent,
};
use stripe_core::refund::{CreateRefund, ListRefund};
use stripe_types::{Currency, RangeBoundsTs, RangeQueryTs};

/// How far before a window reversals are looked for: Stripe lists reversals per transfer, so
/// the transfers they may belong to are listed from this long before.
const REVERSAL_LOOKBACK_SECS: i64 = 90 * 24 * 3600;

/// Stripe's largest page.
const PAGE: i64 = 100;

/// How long one Stripe request may take before it counts as [`GatewayError::Unavailable`].
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How to reach Stripe.
#[derive(Debug, Clone)]
pub struct StripeConfig {
    /// The platform's secret key (`sk_live_…` or `sk_test_…`); a restricted key works if it
    /// may write accounts, account links, payment intents, transfers and refunds.
    pub secret_key: SecretString,
    /// `https://api.stripe.com` unless set (tests point it at a local double). Requests go to
    /// `{base_url}/v1/…`. Must be `https://`, except plain `http://` to a loopback address.
    pub base_url: Option<String>,
}

impl StripeConfig {
    /// Stripe itself, with this secret key.
    pub fn new(secret_key: SecretString) -> Self {
        Self {
            secret_key,
            base_url: None,
        }
    }
}

/// Stripe, through async-stripe. Cheap to clone; its `Debug` output never shows the key.
#[derive(Debug, Clone)]
pub struct StripeGateway {
    client: stripe::Client,
    timeout: Duration,
}

impl StripeGateway {
    /// A gateway for this configuration. Refused when the key is empty or unusable as a
    /// header, or the base URL is not `https://` (nor `http://` to a loopback address).
    pub fn new(config: StripeConfig) -> Result<Self, GatewayError> {
        let secret = config.secret_key.expose_secret();
        if secret.trim().is_empty() {
            return Err(GatewayError::Refused(
                "the Stripe secret key is empty".to_owned(),
            ));
        }
        let mut builder = stripe::ClientBuilder::new(secret).app_info(
            "krafto",
            Some(env!("CARGO_PKG_VERSION").to_owned()),
            None,
        );
        if let Some(url) = config.base_url {
            builder = builder.url(checked_base_url(&url)?);
        }
        // The builder's errors name the offending setting, never its value.
        let client = builder
            .build()
            .map_err(|e| GatewayError::Refused(format!("invalid Stripe configuration: {e}")))?;
        Ok(Self {
            client,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same gateway with another per-request time-out (default 30 s). A request that
    /// times out is [`GatewayError::Unavailable`]: it may still have been carried out, so it
    /// must be retried with the same idempotency key.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// The base URL as async-stripe wants it (ending in `/`, so `v1/…` is appended to it), once it
/// is known not to send the key in the clear to another machine.
fn checked_base_url(url: &str) -> GatewayResult<String> {
    let url = url.trim();
    let secure = if let Some(rest) = url.strip_prefix("https://") {
        !rest.is_empty()
    } else if let Some(rest) = url.strip_prefix("http://") {
        is_loopback(rest)
    } else {
        false
    };
    if !secure {
        return Err(GatewayError::Refused(format!(
            "the Stripe base URL `{url}` must be https:// (plain http:// only to a loopback address)"
        )));
    }
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

/// Whether the authority at the start of `rest` (`host[:port][/…]`) is a loopback host.
fn is_loopback(rest: &str) -> bool {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return false;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Sends the caller's idempotency key, once: async-stripe's own retrying strategies would make
/// up a key of their own, which a later retry by the caller could not repeat.
fn idempotent(key: &str) -> GatewayResult<RequestStrategy> {
    IdempotencyKey::new(key)
        .map(RequestStrategy::Idempotent)
        .map_err(|e| GatewayError::Refused(format!("invalid idempotency key: {e}")))
}

fn positive(amount_minor: i64) -> GatewayResult<i64> {
    if amount_minor > 0 {
        Ok(amount_minor)
    } else {
        Err(GatewayError::Refused("amount must be positive".to_owned()))
    }
}

fn currency(code: &str) -> Currency {
    // Infallible: a code async-stripe does not know is sent as it is.
    let Ok(currency) = stripe_currency(code).parse();
    currency
}

/// Stripe ids go into request paths: anything but `[A-Za-z0-9_]` could change the path.
fn checked_id(id: &str) -> GatewayResult<&str> {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(id)
    } else {
        Err(GatewayError::Refused(format!("`{id}` is not a Stripe id")))
    }
}

fn metadata(map: &BTreeMap<String, String>) -> HashMap<String, String> {
    map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn account_state(account: stripe_connect::Account) -> AccountState {
    AccountState {
        id: account.id.as_str().to_owned(),
        charges_enabled: account.charges_enabled.unwrap_or(false),
        payouts_enabled: account.payouts_enabled.unwrap_or(false),
        details_submitted: account.details_submitted.unwrap_or(false),
        requirements: account
            .requirements
            .and_then(|r| r.currently_due)
            .unwrap_or_default(),
    }
}

/// Statuses worth retrying with the same key (Stripe's own list: a conflicting concurrent
/// request with the key, a failed dependency, rate limiting, server errors).
fn transient(status: u16) -> bool {
    matches!(status, 409 | 424 | 429) || status >= 500
}

/// Stripe's message, then the codes that say why.
fn describe(error: &ApiErrors) -> String {
    let mut text = error
        .message
        .clone()
        .unwrap_or_else(|| format!("Stripe {}", error.type_.as_str()));
    let mut details = vec![error.type_.as_str().to_owned()];
    if let Some(code) = &error.code {
        details.push(format!("code {}", code.as_str()));
    }
    if let Some(decline) = &error.decline_code {
        details.push(format!("decline_code {decline}"));
    }
    if let Some(param) = &error.param {
        details.push(format!("param {param}"));
    }
    text.push_str(&format!(" ({})", details.join(", ")));
    text
}

/// Maps an async-stripe error, for the request that tried to `action`.
fn gateway_error(action: &str, error: StripeError) -> GatewayError {
    let mapped = match error {
        StripeError::Stripe(api, status) if transient(status) => {
            GatewayError::Unavailable(format!(
                "Stripe failed to {action} (HTTP {status}): {}",
                describe(&api)
            ))
        }
        StripeError::Stripe(api, _) => GatewayError::Refused(describe(&api)),
        StripeError::ClientError(e) => {
            GatewayError::Unavailable(format!("could not reach Stripe to {action}: {e}"))
        }
        StripeError::Timeout => {
            GatewayError::Unavailable(format!("Stripe did not answer in time to {action}"))
        }
        // An answer that is not Stripe's JSON: a proxy's error page, or a success whose body
        // we cannot read. Either way retrying with the same key is safe, and may be needed.
        StripeError::JSONDeserialize(e) => {
            GatewayError::Unavailable(format!("unreadable answer from Stripe to {action}: {e}"))
        }
        StripeError::ConfigError(e) => GatewayError::Refused(format!("could not {action}: {e}")),
    };
    match &mapped {
        GatewayError::Refused(e) => tracing::info!(error = %e, "Stripe refused a request"),
        GatewayError::Unavailable(e) => tracing::warn!(error = %e, "Stripe request failed"),
    }
    mapped
}

fn window(from: i64, to: i64) -> RangeQueryTs {
    RangeQueryTs::Bounds(RangeBoundsTs {
        gte: Some(from),
        lt: Some(to),
        ..RangeBoundsTs::default()
    })
}

fn upper(currency: &Currency) -> String {
    currency.to_string().to_ascii_uppercase()
}

fn ours(metadata: Option<&HashMap<String, String>>, key: &str) -> Option<String> {
    metadata.and_then(|m| m.get(key)).cloned()
}

impl StripeGateway {
    /// Succeeded payment intents created in the window, by what was received.
    async fn list_payments(&self, from: i64, to: i64) -> GatewayResult<Vec<GatewayMovement>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut request = ListPaymentIntent::new()
                .created(window(from, to))
                .limit(PAGE);
            if let Some(a) = &after {
                request = request.starting_after(a);
            }
            let page = request
                .customize()
                .request_strategy(RequestStrategy::Once)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("list payment intents", e))?;
            after = page.data.last().map(|p| p.id.as_str().to_owned());
            for p in &page.data {
                if p.amount_received > 0 {
                    out.push(GatewayMovement {
                        kind: MovementKind::Payment,
                        gateway_id: p.id.as_str().to_owned(),
                        amount_minor: p.amount_received,
                        currency: upper(&p.currency),
                        created: p.created,
                        tenant_id: ours(Some(&p.metadata), "tenant_id"),
                        checkout_id: ours(Some(&p.metadata), "checkout_id"),
                        payment_id: Some(p.id.as_str().to_owned()),
                        transfer_id: None,
                    });
                }
            }
            if !page.has_more || after.is_none() {
                return Ok(out);
            }
        }
    }

    /// Transfers created in the window, and the reversals created in it of transfers made
    /// since [`REVERSAL_LOOKBACK_SECS`] before.
    async fn list_transfers(&self, from: i64, to: i64) -> GatewayResult<Vec<GatewayMovement>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut request = ListTransfer::new()
                .created(window(from - REVERSAL_LOOKBACK_SECS, to))
                .limit(PAGE);
            if let Some(a) = &after {
                request = request.starting_after(a);
            }
            let page = request
                .customize()
                .request_strategy(RequestStrategy::Once)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("list transfers", e))?;
            after = page.data.last().map(|t| t.id.as_str().to_owned());
            for t in &page.data {
                let tenant_id = ours(Some(&t.metadata), "tenant_id");
                let checkout_id = ours(Some(&t.metadata), "checkout_id");
                if (from..to).contains(&t.created) {
                    out.push(GatewayMovement {
                        kind: MovementKind::Transfer,
                        gateway_id: t.id.as_str().to_owned(),
                        amount_minor: t.amount,
                        currency: upper(&t.currency),
                        created: t.created,
                        tenant_id: tenant_id.clone(),
                        checkout_id: checkout_id.clone(),
                        payment_id: None,
                        transfer_id: None,
                    });
                }
                // Stripe embeds the first reversals; a transfer is reversed a handful of
                // times at most, but a longer list is read in full.
                let mut reversals = t.reversals.data.clone();
                if t.reversals.has_more {
                    reversals = self.list_reversals(t.id.as_str()).await?;
                }
                for r in reversals.iter().filter(|r| (from..to).contains(&r.created)) {
                    out.push(GatewayMovement {
                        kind: MovementKind::Reversal,
                        gateway_id: r.id.as_str().to_owned(),
                        amount_minor: r.amount,
                        currency: upper(&r.currency),
                        created: r.created,
                        tenant_id: ours(r.metadata.as_ref(), "tenant_id").or(tenant_id.clone()),
                        checkout_id: ours(r.metadata.as_ref(), "checkout_id")
                            .or(checkout_id.clone()),
                        payment_id: None,
                        transfer_id: Some(t.id.as_str().to_owned()),
                    });
                }
            }
            if !page.has_more || after.is_none() {
                return Ok(out);
            }
        }
    }

    async fn list_reversals(
        &self,
        transfer_id: &str,
    ) -> GatewayResult<Vec<stripe_connect::TransferReversal>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut request = stripe_connect::transfer_reversal::ListIdTransferReversal::new(
                checked_id(transfer_id)?,
            )
            .limit(PAGE);
            if let Some(a) = &after {
                request = request.starting_after(a);
            }
            let page = request
                .customize()
                .request_strategy(RequestStrategy::Once)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("list transfer reversals", e))?;
            after = page.data.last().map(|r| r.id.as_str().to_owned());
            let more = page.has_more;
            out.extend(page.data);
            if !more || after.is_none() {
                return Ok(out);
            }
        }
    }

    async fn list_refunds(&self, from: i64, to: i64) -> GatewayResult<Vec<GatewayMovement>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut request = ListRefund::new().created(window(from, to)).limit(PAGE);
            if let Some(a) = &after {
                request = request.starting_after(a);
            }
            let page = request
                .customize()
                .request_strategy(RequestStrategy::Once)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("list refunds", e))?;
            after = page.data.last().map(|r| r.id.as_str().to_owned());
            for r in &page.data {
                // A failed or canceled refund gave nothing back.
                if matches!(r.status.as_deref(), Some("failed" | "canceled")) {
                    continue;
                }
                out.push(GatewayMovement {
                    kind: MovementKind::Refund,
                    gateway_id: r.id.as_str().to_owned(),
                    amount_minor: r.amount,
                    currency: upper(&r.currency),
                    created: r.created,
                    tenant_id: ours(r.metadata.as_ref(), "tenant_id"),
                    checkout_id: ours(r.metadata.as_ref(), "checkout_id"),
                    payment_id: r
                        .payment_intent
                        .as_ref()
                        .map(|p| p.id().as_str().to_owned()),
                    transfer_id: None,
                });
            }
            if !page.has_more || after.is_none() {
                return Ok(out);
            }
        }
    }

    async fn list_disputes(&self, from: i64, to: i64) -> GatewayResult<Vec<GatewayMovement>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut request = ListDispute::new().created(window(from, to)).limit(PAGE);
            if let Some(a) = &after {
                request = request.starting_after(a);
            }
            let page = request
                .customize()
                .request_strategy(RequestStrategy::Once)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("list disputes", e))?;
            after = page.data.last().map(|d| d.id.as_str().to_owned());
            for d in &page.data {
                out.push(GatewayMovement {
                    kind: MovementKind::Dispute,
                    gateway_id: d.id.as_str().to_owned(),
                    amount_minor: d.amount,
                    currency: upper(&d.currency),
                    created: d.created,
                    tenant_id: ours(Some(&d.metadata), "tenant_id"),
                    checkout_id: ours(Some(&d.metadata), "checkout_id"),
                    payment_id: d
                        .payment_intent
                        .as_ref()
                        .map(|p| p.id().as_str().to_owned()),
                    transfer_id: None,
                });
            }
            if !page.has_more || after.is_none() {
                return Ok(out);
            }
        }
    }
}

impl PaymentGateway for StripeGateway {
    fn mode(&self) -> GatewayMode {
        GatewayMode::Stripe
    }

    fn create_account<'a>(
        &'a self,
        account: &'a NewAccount,
    ) -> BoxFuture<'a, GatewayResult<AccountState>> {
        async move {
            let strategy = idempotent(&account.idempotency_key)?;
            let mut capabilities = CreateAccountCapabilities::new();
            capabilities.card_payments = Some(CreateAccountCapabilitiesCardPayments {
                requested: Some(true),
            });
            capabilities.transfers = Some(CreateAccountCapabilitiesTransfers {
                requested: Some(true),
            });
            let mut request = CreateAccount::new()
                .type_(CreateAccountType::Express)
                .capabilities(capabilities)
                .metadata(metadata(&account.metadata));
            if let Some(country) = &account.country {
                request = request.country(country);
            }
            if let Some(email) = &account.email {
                request = request.email(email);
            }
            let created = request
                .customize()
                .request_strategy(strategy)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("create an account", e))?;
            Ok(account_state(created))
        }
        .boxed()
    }

    fn account_link<'a>(&'a self, link: &'a LinkRequest) -> BoxFuture<'a, GatewayResult<String>> {
        async move {
            // Not idempotent on purpose: every call must give a fresh single-use link.
            let created = CreateAccountLink::new(
                checked_id(&link.account_id)?,
                CreateAccountLinkType::AccountOnboarding,
            )
            .refresh_url(&link.refresh_url)
            .return_url(&link.return_url)
            .customize()
            .request_strategy(RequestStrategy::Once)
            .timeout(self.timeout)
            .send(&self.client)
            .await
            .map_err(|e| gateway_error("create an account link", e))?;
            Ok(created.url)
        }
        .boxed()
    }

    fn account<'a>(&'a self, account_id: &'a str) -> BoxFuture<'a, GatewayResult<AccountState>> {
        async move {
            let account = RetrieveAccount::new(checked_id(account_id)?)
                .customize()
                .request_strategy(RequestStrategy::Once)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("retrieve an account", e))?;
            Ok(account_state(account))
        }
        .boxed()
    }

    fn create_payment<'a>(
        &'a self,
        payment: &'a NewPayment,
    ) -> BoxFuture<'a, GatewayResult<Payment>> {
        async move {
            let strategy = idempotent(&payment.idempotency_key)?;
            let mut request = CreatePaymentIntent::new(
                positive(payment.amount_minor)?,
                currency(&payment.currency),
            )
            .automatic_payment_methods(CreatePaymentIntentAutomaticPaymentMethods::new(true))
            .transfer_group(&payment.transfer_group)
            .metadata(metadata(&payment.metadata));
            if !payment.description.is_empty() {
                request = request.description(&payment.description);
            }
            if let Some(email) = &payment.receipt_email {
                request = request.receipt_email(email);
            }
            let intent = request
                .customize()
                .request_strategy(strategy)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("create a payment intent", e))?;
            Ok(Payment {
                id: intent.id.as_str().to_owned(),
                client_secret: intent.client_secret,
                status: intent.status.as_str().to_owned(),
            })
        }
        .boxed()
    }

    fn create_transfer<'a>(
        &'a self,
        transfer: &'a NewTransfer,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        async move {
            let strategy = idempotent(&transfer.idempotency_key)?;
            let mut request =
                CreateTransfer::new(currency(&transfer.currency), &transfer.destination)
                    .amount(positive(transfer.amount_minor)?)
                    .transfer_group(&transfer.transfer_group)
                    .metadata(metadata(&transfer.metadata));
            if let Some(source) = &transfer.source_transaction {
                request = request.source_transaction(source);
            }
            let created = request
                .customize()
                .request_strategy(strategy)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("create a transfer", e))?;
            Ok(created.id.as_str().to_owned())
        }
        .boxed()
    }

    fn create_refund<'a>(&'a self, refund: &'a NewRefund) -> BoxFuture<'a, GatewayResult<String>> {
        async move {
            let strategy = idempotent(&refund.idempotency_key)?;
            let created = CreateRefund::new()
                .payment_intent(checked_id(&refund.payment_id)?)
                .amount(positive(refund.amount_minor)?)
                .metadata(metadata(&refund.metadata))
                .customize()
                .request_strategy(strategy)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("create a refund", e))?;
            Ok(created.id.as_str().to_owned())
        }
        .boxed()
    }

    fn balance_fee<'a>(
        &'a self,
        balance_transaction: &'a str,
    ) -> BoxFuture<'a, GatewayResult<i64>> {
        async move {
            let txn = RetrieveBalanceTransaction::new(checked_id(balance_transaction)?)
                .customize()
                .request_strategy(RequestStrategy::Once)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("read a balance transaction", e))?;
            Ok(txn.fee)
        }
        .boxed()
    }

    fn update_dispute<'a>(&'a self, e: &'a DisputeEvidence) -> BoxFuture<'a, GatewayResult<()>> {
        async move {
            let mut evidence = UpdateDisputeEvidence::new();
            evidence.uncategorized_text.clone_from(&e.text);
            evidence
                .product_description
                .clone_from(&e.product_description);
            evidence.shipping_carrier.clone_from(&e.shipping_carrier);
            evidence
                .shipping_tracking_number
                .clone_from(&e.shipping_tracking_number);
            evidence.shipping_date.clone_from(&e.shipping_date);
            evidence.customer_name.clone_from(&e.customer_name);
            evidence
                .customer_email_address
                .clone_from(&e.customer_email);
            UpdateDispute::new(checked_id(&e.dispute_id)?)
                .evidence(evidence)
                .submit(e.submit)
                .customize()
                .request_strategy(RequestStrategy::Once)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|err| gateway_error("update a dispute", err))?;
            Ok(())
        }
        .boxed()
    }

    fn list_activity<'a>(
        &'a self,
        from: i64,
        to: i64,
    ) -> BoxFuture<'a, GatewayResult<Vec<GatewayMovement>>> {
        async move {
            let mut out = self.list_payments(from, to).await?;
            out.extend(self.list_transfers(from, to).await?);
            out.extend(self.list_refunds(from, to).await?);
            out.extend(self.list_disputes(from, to).await?);
            Ok(out)
        }
        .boxed()
    }

    fn reverse_transfer<'a>(
        &'a self,
        reversal: &'a NewReversal,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        async move {
            let strategy = idempotent(&reversal.idempotency_key)?;
            let created = CreateIdTransferReversal::new(checked_id(&reversal.transfer_id)?)
                .amount(positive(reversal.amount_minor)?)
                .metadata(metadata(&reversal.metadata))
                .customize()
                .request_strategy(strategy)
                .timeout(self.timeout)
                .send(&self.client)
                .await
                .map_err(|e| gateway_error("reverse a transfer", e))?;
            Ok(created.id.as_str().to_owned())
        }
        .boxed()
    }
}

#[cfg(test)]
mod tests;
