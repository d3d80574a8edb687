//! Tests of the Stripe double itself, driven through [`StripeGateway`].

use super::*;
use crate::{
    AccountHolder, GatewayError, LinkRequest, NewAccount, NewPayment, NewRefund, NewTransfer,
    PaymentGateway,
};

fn transfer(key: &str) -> NewTransfer {
    NewTransfer {
        amount_minor: 9_000,
        currency: "EUR".to_owned(),
        destination: "acct_1SellerA".to_owned(),
        transfer_group: "checkout_1".to_owned(),
        source_transaction: None,
        metadata: BTreeMap::from([("shop_order_id".to_owned(), "so-1".to_owned())]),
        idempotency_key: key.to_owned(),
    }
}

#[tokio::test]
async fn a_lost_first_response_still_creates_the_object_and_a_retry_gets_it() {
    let double = StripeDouble::start().await;
    assert!(double.url().starts_with("http://127.0.0.1:"), "{double:?}");
    let gateway = double.gateway();
    double.fail_first_response("/v1/transfers");

    // Stripe made the transfer, but the answer was a 500.
    let err = gateway
        .create_transfer(&transfer("so-1:transfer"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GatewayError::Unavailable(m) if m.contains("HTTP 500") && m.contains("api_error")),
        "{err:?}"
    );
    assert_eq!(double.created("/v1/transfers"), 1, "the transfer was made");
    let made = double.objects("/v1/transfers");
    assert_eq!(made[0]["amount"], 9_000);
    assert_eq!(made[0]["destination"], "acct_1SellerA");
    assert_eq!(made[0]["transfer_group"], "checkout_1");
    assert_eq!(made[0]["metadata"]["shop_order_id"], "so-1");

    // The retry with the same key gets that transfer, and so does every later one.
    let id = gateway
        .create_transfer(&transfer("so-1:transfer"))
        .await
        .unwrap();
    assert_eq!(made[0]["id"], id.as_str());
    assert!(id.starts_with("tr_"), "{id}");
    let again = gateway
        .create_transfer(&transfer("so-1:transfer"))
        .await
        .unwrap();
    assert_eq!(again, id);
    assert_eq!(double.created("/v1/transfers"), 1, "one transfer per key");
    assert_eq!(double.requests_to("/v1/transfers").len(), 3);

    // The fault is used up, and only concerned that path.
    let other = gateway
        .create_transfer(&transfer("so-2:transfer"))
        .await
        .unwrap();
    assert_ne!(other, id);
    assert_eq!(double.created("/v1/transfers"), 2);

    // The same key with other parameters is refused, and creates nothing.
    let mut changed = transfer("so-1:transfer");
    changed.amount_minor += 1;
    let err = gateway.create_transfer(&changed).await.unwrap_err();
    assert!(
        matches!(&err, GatewayError::Refused(m) if m.contains("idempotency_error")),
        "{err:?}"
    );
    assert_eq!(double.created("/v1/transfers"), 2);
}

#[tokio::test]
async fn faults_count_and_apply_to_fresh_requests_only() {
    let double = StripeDouble::start().await;
    let gateway = double.gateway();
    let first = gateway
        .create_transfer(&transfer("so-1:transfer"))
        .await
        .unwrap();
    double.fail_first_response("/v1/transfers");
    double.fail_first_response("/v1/transfers");

    // A replay is not a fresh request: it does not use up a fault.
    let replay = gateway
        .create_transfer(&transfer("so-1:transfer"))
        .await
        .unwrap();
    assert_eq!(replay, first);
    for key in ["so-2:transfer", "so-3:transfer"] {
        let err = gateway.create_transfer(&transfer(key)).await.unwrap_err();
        assert!(err.is_retryable(), "{err:?}");
    }
    assert_eq!(double.created("/v1/transfers"), 3);
    let ids: Vec<String> = double
        .objects("/v1/transfers")
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    for (key, id) in ["so-1:transfer", "so-2:transfer", "so-3:transfer"]
        .into_iter()
        .zip(&ids)
    {
        assert_eq!(
            &gateway.create_transfer(&transfer(key)).await.unwrap(),
            id,
            "{key}"
        );
    }
    assert_eq!(double.created("/v1/transfers"), 3);
}

#[tokio::test]
async fn payments_refunds_and_accounts_behave_like_stripe() {
    let double = StripeDouble::start().await;
    let gateway = double.gateway();

    let payment = gateway
        .create_payment(&NewPayment {
            amount_minor: 5_000,
            currency: "EUR".to_owned(),
            transfer_group: "checkout_9".to_owned(),
            receipt_email: None,
            description: String::new(),
            metadata: BTreeMap::from([("checkout_id".to_owned(), "checkout_9".to_owned())]),
            idempotency_key: "checkout_9:payment".to_owned(),
        })
        .await
        .unwrap();
    assert!(payment.id.starts_with("pi_"), "{payment:?}");
    let intent = &double.objects("/v1/payment_intents")[0];
    assert_eq!(intent["id"], payment.id.as_str());
    assert_eq!(intent["currency"], "eur");
    assert_eq!(intent["transfer_group"], "checkout_9");

    let refund = gateway
        .create_refund(&NewRefund {
            payment_id: payment.id.clone(),
            amount_minor: 1_000,
            metadata: BTreeMap::new(),
            idempotency_key: "r-1:refund".to_owned(),
        })
        .await
        .unwrap();
    assert!(refund.starts_with("re_"), "{refund}");
    let made = &double.objects("/v1/refunds")[0];
    assert_eq!(made["payment_intent"], payment.id.as_str());
    assert_eq!(made["amount"], 1_000);
    assert_eq!(made["currency"], "eur");

    let account = gateway
        .create_account(&NewAccount {
            holder: AccountHolder::Seller,
            country: Some("FR".to_owned()),
            email: None,
            metadata: BTreeMap::from([("tenant_id".to_owned(), "t-1".to_owned())]),
            idempotency_key: "shop:s-1:account".to_owned(),
        })
        .await
        .unwrap();
    assert!(account.id.starts_with("acct_"), "{account:?}");
    assert!(!account.details_submitted && !account.requirements.is_empty());
    // Read back as created, until onboarding is complete.
    assert_eq!(gateway.account(&account.id).await.unwrap(), account);
    assert!(double.complete_onboarding(&account.id));
    assert!(!double.complete_onboarding("acct_1Unknown"));
    let ready = gateway.account(&account.id).await.unwrap();
    assert!(ready.charges_enabled && ready.payouts_enabled && ready.details_submitted);
    assert!(ready.requirements.is_empty());
    assert_eq!(double.created("/v1/accounts"), 1);

    // Every link is a fresh one.
    let link = LinkRequest {
        account_id: account.id.clone(),
        refresh_url: "https://shop.example/refresh".to_owned(),
        return_url: "https://shop.example/done".to_owned(),
    };
    let first = gateway.account_link(&link).await.unwrap();
    let second = gateway.account_link(&link).await.unwrap();
    assert_ne!(first, second);
    assert!(first.contains(&account.id), "{first}");
    assert_eq!(double.created("/v1/account_links"), 2);

    // Ids are unique across every kind of object.
    let mut ids = vec![payment.id, refund, account.id];
    ids.extend(
        double
            .objects("/v1/account_links")
            .iter()
            .map(|l| l["url"].as_str().unwrap().to_owned()),
    );
    let numbers: std::collections::BTreeSet<String> = ids
        .iter()
        .map(|id| id.chars().rev().take_while(char::is_ascii_digit).collect())
        .collect();
    assert_eq!(numbers.len(), ids.len(), "{ids:?}");
}

#[tokio::test]
async fn requests_stripe_would_refuse_are_refused_and_not_remembered() {
    let double = StripeDouble::start().await;
    let mut missing = transfer("so-9:transfer");
    missing.destination = String::new();
    let err = double
        .gateway()
        .create_transfer(&missing)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, GatewayError::Refused(m) if m.contains("param destination")),
        "{err:?}"
    );
    // A request that failed validation is not kept under its key: fixed, it goes through.
    let fixed = double
        .gateway()
        .create_transfer(&transfer("so-9:transfer"))
        .await;
    assert!(fixed.is_ok(), "{fixed:?}");
    assert_eq!(double.created("/v1/transfers"), 1);
}

#[test]
fn forms_are_decoded() {
    assert_eq!(
        parse_form("a=1&metadata%5Bk%5D=x+y%26z&bad=%ZZ%4&empty"),
        vec![
            ("a".to_owned(), "1".to_owned()),
            ("metadata[k]".to_owned(), "x y&z".to_owned()),
            ("bad".to_owned(), "%ZZ%4".to_owned()),
            ("empty".to_owned(), String::new()),
        ]
    );
    assert_eq!(percent_decode("caf%C3%A9%21"), "café!");
}

#[tokio::test]
async fn a_succeeded_payment_event_carries_the_charge_that_transfers_name_as_their_source() {
    let double = StripeDouble::start().await;
    let gateway = double.gateway();
    let payment = gateway
        .create_payment(&NewPayment {
            amount_minor: 5_000,
            currency: "EUR".to_owned(),
            transfer_group: "checkout_7".to_owned(),
            receipt_email: None,
            description: String::new(),
            metadata: BTreeMap::from([("checkout_id".to_owned(), "checkout_7".to_owned())]),
            idempotency_key: "checkout_7:payment".to_owned(),
        })
        .await
        .unwrap();
    assert_eq!(
        double.payment_succeeded_event("pi_unknown", "evt_0", 1),
        None
    );
    let event = double
        .payment_succeeded_event(&payment.id, "evt_1", 1_700_000_000)
        .unwrap();
    let parsed = crate::webhook::Event::parse(event.to_string().as_bytes()).unwrap();
    assert_eq!(parsed.kind, "payment_intent.succeeded");
    assert_eq!(parsed.metadata("checkout_id"), Some("checkout_7"));
    assert_eq!(event["data"]["object"]["status"], "succeeded");
    assert_eq!(event["data"]["object"]["amount_received"], 5_000);
    let charge = parsed.latest_charge().unwrap().to_owned();
    assert!(charge.starts_with("ch_3Double"), "{charge}");
    // The same payment keeps its charge however often the event is made.
    let again = double
        .payment_succeeded_event(&payment.id, "evt_2", 1_700_000_001)
        .unwrap();
    assert_eq!(again["data"]["object"]["latest_charge"], charge.as_str());

    gateway
        .create_transfer(&NewTransfer {
            source_transaction: Some(charge.clone()),
            ..transfer("checkout_7:transfer")
        })
        .await
        .unwrap();
    let sent = &double.requests_to("/v1/transfers")[0];
    assert_eq!(sent.field("source_transaction"), Some(charge.as_str()));
    assert_eq!(
        double.objects("/v1/transfers")[0]["source_transaction"],
        charge.as_str()
    );
}
