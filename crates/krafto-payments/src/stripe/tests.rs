//! Tests of [`StripeGateway`] against the local Stripe double of [`crate::testing`], which
//! records every request and answers with Stripe-shaped JSON (replaying the first answer for a
//! repeated idempotency key, as Stripe does), plus one opt-in test against Stripe's real test
//! mode.

use super::*;
use crate::AccountHolder;
use crate::testing::{RecordedRequest, Reply, StripeDouble};
use serde_json::json;

const KEY: &str = StripeDouble::SECRET_KEY;

/// The one request the double received.
fn only_request(double: &StripeDouble) -> RecordedRequest {
    let requests = double.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.into_iter().next().unwrap()
}

fn meta(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn new_payment(key: &str) -> NewPayment {
    NewPayment {
        amount_minor: 12_345,
        currency: "EUR".to_owned(),
        transfer_group: "checkout_0190a1b2".to_owned(),
        receipt_email: Some("buyer+1@example.com".to_owned()),
        description: "Krafto order #1042 & more".to_owned(),
        metadata: meta(&[("tenant_id", "t-7"), ("checkout_id", "checkout_0190a1b2")]),
        idempotency_key: key.to_owned(),
    }
}

/// What every request to Stripe carries, and what none of these may carry.
fn assert_platform_request(req: &RecordedRequest) {
    let bearer = format!("Bearer {KEY}");
    assert_eq!(req.header("authorization"), Some(bearer.as_str()));
    assert_eq!(
        req.header("stripe-account"),
        None,
        "platform calls must not act on a connected account"
    );
    assert!(req.header("stripe-version").is_some_and(|v| !v.is_empty()));
    assert!(
        req.header("user-agent")
            .is_some_and(|v| v.contains("krafto"))
    );
    // async-stripe ends a GET without parameters in a bare `?`.
    assert_eq!(
        req.query.as_deref().unwrap_or_default(),
        "",
        "no query parameters"
    );
}

fn assert_form_post(req: &RecordedRequest, path: &str, idempotency_key: Option<&str>) {
    assert_eq!((req.method.as_str(), req.path.as_str()), ("POST", path));
    assert_platform_request(req);
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(req.header("idempotency-key"), idempotency_key);
}

#[tokio::test]
async fn create_payment_posts_a_payment_intent() {
    let double = StripeDouble::start().await;
    let payment = double
        .gateway()
        .create_payment(&new_payment("checkout_0190a1b2:payment"))
        .await
        .unwrap();

    let req = only_request(&double);
    assert_form_post(
        &req,
        "/v1/payment_intents",
        Some("checkout_0190a1b2:payment"),
    );
    assert_eq!(req.field("amount"), Some("12345"));
    assert_eq!(req.field("currency"), Some("eur"));
    assert_eq!(req.field("transfer_group"), Some("checkout_0190a1b2"));
    assert_eq!(req.field("receipt_email"), Some("buyer+1@example.com"));
    assert_eq!(req.field("description"), Some("Krafto order #1042 & more"));
    assert_eq!(
        req.field("automatic_payment_methods[enabled]"),
        Some("true")
    );
    assert_eq!(
        req.metadata(),
        meta(&[("tenant_id", "t-7"), ("checkout_id", "checkout_0190a1b2")])
    );
    assert_eq!(req.form.len(), 8, "no other parameter: {:?}", req.form);

    assert_eq!(
        payment,
        Payment {
            id: "pi_3Double000001".to_owned(),
            client_secret: Some("pi_3Double000001_secret_Double000001".to_owned()),
            status: "requires_payment_method".to_owned(),
        }
    );
}

#[tokio::test]
async fn create_payment_leaves_out_what_is_not_given() {
    let double = StripeDouble::start().await;
    let mut payment = new_payment("k-2");
    payment.receipt_email = None;
    payment.description = String::new();
    double.gateway().create_payment(&payment).await.unwrap();

    let req = only_request(&double);
    assert_eq!(req.field("receipt_email"), None);
    assert_eq!(req.field("description"), None);
    assert_eq!(req.field("currency"), Some("eur"));
}

#[tokio::test]
async fn repeated_idempotency_key_is_sent_identically_and_replayed() {
    let double = StripeDouble::start().await;
    let gateway = double.gateway();
    let payment = new_payment("checkout_42:payment");
    let first = gateway.create_payment(&payment).await.unwrap();
    let second = gateway.create_payment(&payment).await.unwrap();
    let other = gateway
        .create_payment(&new_payment("checkout_43:payment"))
        .await
        .unwrap();

    let requests = double.requests();
    assert_eq!(requests.len(), 3);
    let (a, b) = (&requests[0], &requests[1]);
    assert_eq!(a.header("idempotency-key"), Some("checkout_42:payment"));
    assert_eq!(b.header("idempotency-key"), Some("checkout_42:payment"));
    assert_eq!(a.path, b.path);
    assert_eq!(a.sorted_form(), b.sorted_form());
    assert_eq!(first, second, "Stripe replays the first answer");
    assert_ne!(first.id, other.id);

    // The same key with other parameters is a mistake Stripe refuses.
    let mut changed = payment.clone();
    changed.amount_minor += 1;
    let err = gateway.create_payment(&changed).await.unwrap_err();
    assert!(
        matches!(&err, GatewayError::Refused(m) if m.contains("idempotency_error")),
        "{err:?}"
    );
}

#[tokio::test]
async fn create_transfer_posts_destination_group_and_source() {
    let double = StripeDouble::start().await;
    let gateway = double.gateway();
    let transfer = NewTransfer {
        amount_minor: 9_000,
        currency: "EUR".to_owned(),
        destination: "acct_1SellerA".to_owned(),
        transfer_group: "checkout_0190a1b2".to_owned(),
        source_transaction: Some("ch_3Source".to_owned()),
        metadata: meta(&[("tenant_id", "t-7"), ("shop_order_id", "so-1")]),
        idempotency_key: "so-1:transfer".to_owned(),
    };
    let id = gateway.create_transfer(&transfer).await.unwrap();
    assert_eq!(id, "tr_1Double000001");

    let req = only_request(&double);
    assert_form_post(&req, "/v1/transfers", Some("so-1:transfer"));
    assert_eq!(req.field("amount"), Some("9000"));
    assert_eq!(req.field("currency"), Some("eur"));
    assert_eq!(req.field("destination"), Some("acct_1SellerA"));
    assert_eq!(req.field("transfer_group"), Some("checkout_0190a1b2"));
    assert_eq!(req.field("source_transaction"), Some("ch_3Source"));
    assert_eq!(
        req.metadata(),
        meta(&[("tenant_id", "t-7"), ("shop_order_id", "so-1")])
    );
    assert_eq!(req.form.len(), 7, "no other parameter: {:?}", req.form);

    let without_source = NewTransfer {
        source_transaction: None,
        idempotency_key: "so-2:transfer".to_owned(),
        ..transfer
    };
    gateway.create_transfer(&without_source).await.unwrap();
    let requests = double.requests();
    assert_eq!(requests[1].field("source_transaction"), None);
    assert_eq!(requests[1].header("idempotency-key"), Some("so-2:transfer"));
}

#[tokio::test]
async fn create_refund_posts_payment_intent_amount_and_metadata() {
    let double = StripeDouble::start().await;
    let refund = NewRefund {
        payment_id: "pi_3Paid".to_owned(),
        amount_minor: 2_500,
        metadata: meta(&[("tenant_id", "t-7"), ("refund_id", "r-9")]),
        idempotency_key: "r-9:refund".to_owned(),
    };
    let id = double.gateway().create_refund(&refund).await.unwrap();
    assert_eq!(id, "re_3Double000001");

    let req = only_request(&double);
    assert_form_post(&req, "/v1/refunds", Some("r-9:refund"));
    assert_eq!(req.field("payment_intent"), Some("pi_3Paid"));
    assert_eq!(req.field("amount"), Some("2500"));
    assert_eq!(
        req.metadata(),
        meta(&[("tenant_id", "t-7"), ("refund_id", "r-9")])
    );
    assert_eq!(req.form.len(), 4, "no other parameter: {:?}", req.form);
}

#[tokio::test]
async fn create_account_posts_an_express_account_with_capabilities() {
    let double = StripeDouble::start().await;
    let gateway = double.gateway();
    let account = NewAccount {
        holder: AccountHolder::Seller,
        country: Some("DE".to_owned()),
        email: Some("maker@example.com".to_owned()),
        metadata: meta(&[("tenant_id", "t-7"), ("shop_id", "s-3")]),
        idempotency_key: "shop:s-3:account".to_owned(),
    };
    let state = gateway.create_account(&account).await.unwrap();

    let req = only_request(&double);
    assert_form_post(&req, "/v1/accounts", Some("shop:s-3:account"));
    assert_eq!(req.field("type"), Some("express"));
    assert_eq!(req.field("country"), Some("DE"));
    assert_eq!(req.field("email"), Some("maker@example.com"));
    assert_eq!(
        req.field("capabilities[card_payments][requested]"),
        Some("true")
    );
    assert_eq!(
        req.field("capabilities[transfers][requested]"),
        Some("true")
    );
    assert_eq!(
        req.metadata(),
        meta(&[("tenant_id", "t-7"), ("shop_id", "s-3")])
    );
    assert_eq!(req.form.len(), 7, "no other parameter: {:?}", req.form);

    assert_eq!(
        state,
        AccountState {
            id: "acct_1Double000001".to_owned(),
            charges_enabled: false,
            payouts_enabled: false,
            details_submitted: false,
            requirements: vec![
                "business_profile.url".to_owned(),
                "business_type".to_owned(),
                "external_account".to_owned(),
                "tos_acceptance.date".to_owned(),
                "tos_acceptance.ip".to_owned(),
            ],
        }
    );

    // Without a country or email, none is sent (Stripe then asks during onboarding).
    let bare = NewAccount {
        holder: AccountHolder::Tenant,
        country: None,
        email: None,
        idempotency_key: "tenant:t-7:account".to_owned(),
        ..account
    };
    gateway.create_account(&bare).await.unwrap();
    let second = &double.requests()[1];
    assert_eq!(second.field("country"), None);
    assert_eq!(second.field("email"), None);
    assert_eq!(second.field("type"), Some("express"));
    assert_eq!(second.header("idempotency-key"), Some("tenant:t-7:account"));
}

#[tokio::test]
async fn account_link_posts_an_onboarding_link() {
    let double = StripeDouble::start().await;
    let url = double
        .gateway()
        .account_link(&LinkRequest {
            account_id: "acct_1SellerA".to_owned(),
            refresh_url: "https://shop.example/seller/onboarding/refresh?x=1&y=2".to_owned(),
            return_url: "https://shop.example/seller/onboarding/done".to_owned(),
        })
        .await
        .unwrap();
    assert_eq!(
        url,
        "https://connect.stripe.com/setup/e/acct_1SellerA/Double1"
    );

    let req = only_request(&double);
    // A link is single-use: asking again must give a fresh one, so no idempotency key.
    assert_form_post(&req, "/v1/account_links", None);
    assert_eq!(req.field("account"), Some("acct_1SellerA"));
    assert_eq!(req.field("type"), Some("account_onboarding"));
    assert_eq!(
        req.field("refresh_url"),
        Some("https://shop.example/seller/onboarding/refresh?x=1&y=2")
    );
    assert_eq!(
        req.field("return_url"),
        Some("https://shop.example/seller/onboarding/done")
    );
    assert_eq!(req.form.len(), 4, "no other parameter: {:?}", req.form);
}

#[tokio::test]
async fn account_gets_the_account_and_maps_its_state() {
    let double = StripeDouble::start().await;
    let state = double.gateway().account("acct_1SellerA").await.unwrap();
    assert_eq!(
        state,
        AccountState {
            id: "acct_1SellerA".to_owned(),
            charges_enabled: true,
            payouts_enabled: true,
            details_submitted: true,
            requirements: vec![],
        }
    );

    let req = only_request(&double);
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("GET", "/v1/accounts/acct_1SellerA")
    );
    assert_platform_request(&req);
    assert_eq!(req.header("idempotency-key"), None);
    assert_eq!(req.body, "");
}

#[tokio::test]
async fn ids_that_would_change_the_path_are_refused_without_a_request() {
    let double = StripeDouble::start().await;
    let gateway = double.gateway();
    for id in ["", "acct_1/../../v1/charges", "acct_1?expand[]=x", "acct 1"] {
        let err = gateway.account(id).await.unwrap_err();
        assert!(matches!(err, GatewayError::Refused(_)), "{id}: {err:?}");
    }
    assert!(double.requests().is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_without_a_request() {
    let double = StripeDouble::start().await;
    let gateway = double.gateway();
    let mut zero = new_payment("k");
    zero.amount_minor = 0;
    let no_key = new_payment("");
    let long_key = new_payment(&"k".repeat(256));
    for payment in [zero, no_key, long_key] {
        let err = gateway.create_payment(&payment).await.unwrap_err();
        assert!(matches!(err, GatewayError::Refused(_)), "{err:?}");
    }
    assert!(double.requests().is_empty());
}

#[tokio::test]
async fn declined_card_402_is_refused_with_stripes_message() {
    let double = StripeDouble::start_with(|_| {
        Reply::json(
            402,
            json!({"error": {
                "charge": "ch_3Declined",
                "code": "card_declined",
                "decline_code": "insufficient_funds",
                "doc_url": "https://stripe.com/docs/error-codes/card-declined",
                "message": "Your card has insufficient funds.",
                "request_log_url": "https://dashboard.stripe.com/test/logs/req_double",
                "type": "card_error",
            }}),
        )
    })
    .await;
    let err = double
        .gateway()
        .create_payment(&new_payment("k-402"))
        .await
        .unwrap_err();
    let GatewayError::Refused(message) = &err else {
        panic!("expected Refused, got {err:?}");
    };
    assert!(
        message.starts_with("Your card has insufficient funds."),
        "{message}"
    );
    assert!(message.contains("card_declined") && message.contains("insufficient_funds"));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn invalid_request_400_is_refused() {
    let double = StripeDouble::start_with(|_| {
        Reply::json(
            400,
            json!({"error": {
                "code": "resource_missing",
                "message": "No such destination: 'acct_1Gone'",
                "param": "destination",
                "type": "invalid_request_error",
            }}),
        )
    })
    .await;
    let transfer = NewTransfer {
        amount_minor: 100,
        currency: "EUR".to_owned(),
        destination: "acct_1Gone".to_owned(),
        transfer_group: "g".to_owned(),
        source_transaction: None,
        metadata: BTreeMap::new(),
        idempotency_key: "k-400".to_owned(),
    };
    let err = double
        .gateway()
        .create_transfer(&transfer)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GatewayError::Refused(m) if m.contains("No such destination") && m.contains("param destination")),
        "{err:?}"
    );
}

#[tokio::test]
async fn server_errors_and_rate_limits_are_unavailable() {
    let replies = [
        Reply::json(
            500,
            json!({"error": {"message": "An unknown error occurred", "type": "api_error"}}),
        ),
        Reply::json(
            503,
            json!({"error": {"message": "Stripe is temporarily unavailable", "type": "api_error"}}),
        ),
        Reply::json(
            429,
            json!({"error": {
                "code": "rate_limit",
                "message": "Request rate limit exceeded.",
                "type": "invalid_request_error",
            }}),
        ),
        Reply::json(
            409,
            json!({"error": {
                "code": "idempotency_key_in_use",
                "message": "There is currently another in-progress request using this Idempotent Key.",
                "type": "invalid_request_error",
            }}),
        ),
        // Not Stripe's JSON at all: a load balancer's error page.
        Reply {
            status: 502,
            body: "<html><body>502 Bad Gateway</body></html>".to_owned(),
        },
    ];
    for reply in replies {
        let status = reply.status;
        let double = StripeDouble::start_with(move |_| reply.clone()).await;
        let err = double
            .gateway()
            .create_payment(&new_payment("k-5xx"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, GatewayError::Unavailable(_)),
            "{status}: {err:?}"
        );
        assert!(err.is_retryable());
        assert_eq!(
            double.requests().len(),
            1,
            "{status}: tried once, the caller retries"
        );
    }
}

#[tokio::test]
async fn unreachable_or_slow_stripe_is_unavailable() {
    // A port nothing listens on any more.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let gateway = StripeGateway::new(StripeConfig {
        secret_key: SecretString::from(KEY),
        base_url: Some(format!("http://{closed}")),
    })
    .unwrap();
    let err = gateway.account("acct_1").await.unwrap_err();
    assert!(matches!(err, GatewayError::Unavailable(_)), "{err:?}");

    let double = StripeDouble::start().await;
    double.set_delay(Some(Duration::from_secs(5)));
    let err = double
        .gateway()
        .with_timeout(Duration::from_millis(200))
        .create_payment(&new_payment("k-slow"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GatewayError::Unavailable(m) if m.contains("in time")),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_secret_key_is_never_shown() {
    let double = StripeDouble::start_with(|_| {
        Reply::json(
            401,
            json!({"error": {
                "message": "Invalid API Key provided: sk_test_********cdef",
                "type": "invalid_request_error",
            }}),
        )
    })
    .await;
    let gateway = double.gateway();
    assert!(!format!("{gateway:?}").contains(KEY));
    let config = StripeConfig::new(SecretString::from(KEY));
    assert!(!format!("{config:?}").contains(KEY));
    let err = gateway.account("acct_1").await.unwrap_err();
    assert!(matches!(err, GatewayError::Refused(_)), "{err:?}");
    assert!(!err.to_string().contains(KEY));
}

#[test]
fn configuration_is_checked() {
    let with = |url: &str| {
        StripeGateway::new(StripeConfig {
            secret_key: SecretString::from(KEY),
            base_url: Some(url.to_owned()),
        })
    };
    for good in [
        "https://api.stripe.com",
        "https://api.stripe.com/",
        "http://127.0.0.1:12111",
        "http://localhost:12111/",
        "http://[::1]:8080",
    ] {
        assert!(with(good).is_ok(), "{good}");
    }
    for bad in [
        "http://api.stripe.com",
        "http://10.0.0.5:12111",
        "http://127.0.0.1.evil.example",
        "http://localhost@evil.example",
        "ftp://127.0.0.1",
        "api.stripe.com",
        "https://",
    ] {
        assert!(matches!(with(bad), Err(GatewayError::Refused(_))), "{bad}");
    }
    assert_eq!(
        checked_base_url("http://127.0.0.1:1").unwrap(),
        "http://127.0.0.1:1/"
    );

    let empty = StripeGateway::new(StripeConfig::new(SecretString::from("  ")));
    assert!(matches!(empty, Err(GatewayError::Refused(_))));
    let not_a_header = StripeGateway::new(StripeConfig::new(SecretString::from("sk_test_\n")));
    assert!(matches!(not_a_header, Err(GatewayError::Refused(m)) if !m.contains("sk_test")));
    let gateway = StripeGateway::new(StripeConfig::new(SecretString::from(KEY))).unwrap();
    assert_eq!(gateway.mode(), GatewayMode::Stripe);
}

/// Stripe's real test mode, end to end. Run it with
/// `STRIPE_TEST_SECRET_KEY=sk_test_… cargo test -p krafto-payments -- --ignored live_`
/// (the account needs Connect enabled). It creates a payment intent and an Express account in
/// that test account and moves no money.
#[tokio::test]
#[ignore = "needs STRIPE_TEST_SECRET_KEY (a Stripe test-mode key)"]
async fn live_stripe_test_mode_round_trip() {
    let key = std::env::var("STRIPE_TEST_SECRET_KEY").expect(
        "STRIPE_TEST_SECRET_KEY must be set to a Stripe test-mode secret key for this test",
    );
    assert!(
        key.starts_with("sk_test_") || key.starts_with("rk_test_"),
        "STRIPE_TEST_SECRET_KEY must be a test-mode key (sk_test_… or rk_test_…), never a live one"
    );
    let gateway = StripeGateway::new(StripeConfig::new(SecretString::from(key))).unwrap();
    let run = uuid::Uuid::new_v4().simple().to_string();

    let payment = NewPayment {
        metadata: meta(&[("tenant_id", "krafto-live-test"), ("checkout_id", &run)]),
        transfer_group: format!("krafto_live_{run}"),
        ..new_payment(&format!("krafto-live-{run}:payment"))
    };
    let created = gateway.create_payment(&payment).await.unwrap();
    assert!(created.id.starts_with("pi_"), "{created:?}");
    assert!(created.client_secret.is_some());
    assert_eq!(created.status, "requires_payment_method");
    let again = gateway.create_payment(&payment).await.unwrap();
    assert_eq!(
        again, created,
        "the same idempotency key gives the same payment"
    );

    let account = gateway
        .create_account(&NewAccount {
            holder: AccountHolder::Seller,
            country: Some("DE".to_owned()),
            email: Some(format!("krafto-live-{run}@example.com")),
            metadata: meta(&[("tenant_id", "krafto-live-test")]),
            idempotency_key: format!("krafto-live-{run}:account"),
        })
        .await
        .unwrap();
    assert!(account.id.starts_with("acct_"), "{account:?}");
    assert!(!account.details_submitted && !account.charges_enabled);
    let fetched = gateway.account(&account.id).await.unwrap();
    assert_eq!(fetched.id, account.id);

    let link = gateway
        .account_link(&LinkRequest {
            account_id: account.id.clone(),
            refresh_url: "https://example.com/refresh".to_owned(),
            return_url: "https://example.com/return".to_owned(),
        })
        .await
        .unwrap();
    assert!(link.starts_with("https://"), "{link}");

    // Nothing was paid and the account is not onboarded: Stripe refuses both, and says why.
    let transfer = gateway
        .create_transfer(&NewTransfer {
            amount_minor: 100,
            currency: "EUR".to_owned(),
            destination: account.id.clone(),
            transfer_group: format!("krafto_live_{run}"),
            source_transaction: None,
            metadata: BTreeMap::new(),
            idempotency_key: format!("krafto-live-{run}:transfer"),
        })
        .await;
    assert!(
        matches!(transfer, Err(GatewayError::Refused(_))),
        "{transfer:?}"
    );
    let refund = gateway
        .create_refund(&NewRefund {
            payment_id: created.id.clone(),
            amount_minor: 100,
            metadata: BTreeMap::new(),
            idempotency_key: format!("krafto-live-{run}:refund"),
        })
        .await;
    assert!(
        matches!(refund, Err(GatewayError::Refused(_))),
        "{refund:?}"
    );
}
