//! The Stripe implementation of [`PaymentGateway`] (being written: see the helper's work).

use crate::{
    AccountState, GatewayError, GatewayMode, GatewayResult, LinkRequest, NewAccount, NewPayment,
    NewRefund, NewTransfer, Payment, PaymentGateway,
};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use secrecy::SecretString;

/// How to reach Stripe.
#[derive(Debug, Clone)]
pub struct StripeConfig {
    pub secret_key: SecretString,
    /// `https://api.stripe.com` unless set (tests point it at a local double).
    pub base_url: Option<String>,
}

/// Stripe, through async-stripe.
#[derive(Debug, Clone)]
pub struct StripeGateway {
    config: StripeConfig,
}

impl StripeGateway {
    pub fn new(config: StripeConfig) -> Result<Self, GatewayError> {
        Ok(Self { config })
    }
}

fn pending<'a, T: Send + 'a>() -> BoxFuture<'a, GatewayResult<T>> {
    async {
        Err(GatewayError::Unavailable(
            "the Stripe client is not written yet".into(),
        ))
    }
    .boxed()
}

impl PaymentGateway for StripeGateway {
    fn mode(&self) -> GatewayMode {
        let _ = &self.config;
        GatewayMode::Stripe
    }
    fn create_account<'a>(
        &'a self,
        _: &'a NewAccount,
    ) -> BoxFuture<'a, GatewayResult<AccountState>> {
        pending()
    }
    fn account_link<'a>(&'a self, _: &'a LinkRequest) -> BoxFuture<'a, GatewayResult<String>> {
        pending()
    }
    fn account<'a>(&'a self, _: &'a str) -> BoxFuture<'a, GatewayResult<AccountState>> {
        pending()
    }
    fn create_payment<'a>(&'a self, _: &'a NewPayment) -> BoxFuture<'a, GatewayResult<Payment>> {
        pending()
    }
    fn create_transfer<'a>(&'a self, _: &'a NewTransfer) -> BoxFuture<'a, GatewayResult<String>> {
        pending()
    }
    fn create_refund<'a>(&'a self, _: &'a NewRefund) -> BoxFuture<'a, GatewayResult<String>> {
        pending()
    }
}
