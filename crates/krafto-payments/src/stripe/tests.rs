//! Tests of [`StripeGateway`] against a local HTTP double that records every request and
//! answers with Stripe-shaped JSON (replaying the first answer for a repeated idempotency key,
//! as Stripe does), plus one opt-in test against Stripe's real test mode.

use super::*;
use crate::AccountHolder;
use poem::http::StatusCode;
use poem::listener::{Acceptor, Listener, TcpListener};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const KEY: &str = "sk_test_double_0123456789abcdef";

/// One request as the double saw it.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    query: Option<String>,
    /// Lowercase names.
    headers: Vec<(String, String)>,
    raw_body: String,
    /// The decoded `application/x-www-form-urlencoded` body, in order.
    form: Vec<(String, String)>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `prefix[key]=value` fields, e.g. the metadata.
    fn map(&self, prefix: &str) -> BTreeMap<String, String> {
        let open = format!("{prefix}[");
        self.form
            .iter()
            .filter_map(|(n, v)| {
                let key = n.strip_prefix(&open)?.strip_suffix(']')?;
                Some((key.to_owned(), v.clone()))
            })
            .collect()
    }

    /// The form's fields in a canonical order (metadata is a hash map: its order varies).
    fn sorted_form(&self) -> Vec<(String, String)> {
        let mut form = self.form.clone();
        form.sort();
        form
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn parse_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// What the double answers.
#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    body: String,
    delay: Option<Duration>,
}

impl Reply {
    fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: body.to_string(),
            delay: None,
        }
    }
}

/// Form fields, as name/value pairs.
type Form = Vec<(String, String)>;

type Responder = Box<dyn Fn(&Recorded) -> Reply + Send + Sync>;

struct State {
    requests: Mutex<Vec<Recorded>>,
    /// Idempotency key → (the request's canonical form, the answer), as Stripe keeps them.
    by_key: Mutex<HashMap<String, (Form, Reply)>>,
    respond: Responder,
}

/// A local stand-in for `api.stripe.com`, stopped when dropped.
struct Double {
    base_url: String,
    state: Arc<State>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Double {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Double {
    /// A double answering like Stripe's test mode.
    async fn stripe_like() -> Self {
        let counter = AtomicUsize::new(0);
        Self::start(move |req| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            stripe_answer(req, n)
        })
        .await
    }

    async fn start(respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Self {
        let state = Arc::new(State {
            requests: Mutex::new(Vec::new()),
            by_key: Mutex::new(HashMap::new()),
            respond: Box::new(respond),
        });
        let shared = state.clone();
        let app = poem::endpoint::make(move |mut req: poem::Request| {
            let state = shared.clone();
            async move {
                let raw_body = req.take_body().into_string().await.unwrap();
                let recorded = Recorded {
                    method: req.method().to_string(),
                    path: req.uri().path().to_owned(),
                    query: req.uri().query().map(str::to_owned),
                    headers: req
                        .headers()
                        .iter()
                        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
                        .collect(),
                    form: parse_form(&raw_body),
                    raw_body,
                };
                state.requests.lock().unwrap().push(recorded.clone());
                let reply = match recorded.header("idempotency-key") {
                    None => (state.respond)(&recorded),
                    Some(key) => {
                        let seen = state.by_key.lock().unwrap().get(key).cloned();
                        match seen {
                            Some((form, reply)) if form == recorded.sorted_form() => reply,
                            Some(_) => Reply::json(
                                400,
                                json!({"error": {
                                    "type": "idempotency_error",
                                    "message": format!("Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."),
                                }}),
                            ),
                            None => {
                                let reply = (state.respond)(&recorded);
                                // Stripe keeps the outcome of a request that ran, not a 5xx.
                                if reply.status < 500 {
                                    state.by_key.lock().unwrap().insert(
                                        key.to_owned(),
                                        (recorded.sorted_form(), reply.clone()),
                                    );
                                }
                                reply
                            }
                        }
                    }
                };
                if let Some(delay) = reply.delay {
                    tokio::time::sleep(delay).await;
                }
                poem::Response::builder()
                    .status(StatusCode::from_u16(reply.status).unwrap())
                    .header("request-id", "req_double")
                    .content_type("application/json")
                    .body(reply.body)
            }
        });
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .unwrap();
        let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = poem::Server::new_with_acceptor(acceptor).run(app).await;
        });
        Self {
            base_url: format!("http://{addr}"),
            state,
            server,
        }
    }

    fn gateway(&self) -> StripeGateway {
        StripeGateway::new(StripeConfig {
            secret_key: SecretString::from(KEY),
            base_url: Some(self.base_url.clone()),
        })
        .unwrap()
    }

    fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    fn only_request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "{requests:#?}");
        requests.into_iter().next().unwrap()
    }
}

fn metadata_of(recorded: &Recorded) -> Value {
    let map: serde_json::Map<String, Value> = recorded
        .map("metadata")
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    Value::Object(map)
}

/// Stripe-shaped answers (taken from Stripe's API reference examples), echoing the request.
fn stripe_answer(req: &Recorded, n: usize) -> Reply {
    let form = |name: &str| req.field(name).map(str::to_owned);
    let amount = |name: &str| {
        form(name)
            .map(|a| Value::from(a.parse::<i64>().unwrap()))
            .unwrap_or(Value::Null)
    };
    match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/v1/payment_intents") => {
            let id = format!("pi_3Double{n:06}");
            Reply::json(
                200,
                json!({
                    "id": id,
                    "object": "payment_intent",
                    "amount": amount("amount"),
                    "amount_capturable": 0,
                    "amount_details": {"tip": {}},
                    "amount_received": 0,
                    "application": null,
                    "application_fee_amount": null,
                    "automatic_payment_methods": {"allow_redirects": "always", "enabled": true},
                    "canceled_at": null,
                    "cancellation_reason": null,
                    "capture_method": "automatic_async",
                    "client_secret": format!("{id}_secret_Double{n:06}"),
                    "confirmation_method": "automatic",
                    "created": 1_680_800_504,
                    "currency": form("currency"),
                    "customer": null,
                    "description": form("description"),
                    "last_payment_error": null,
                    "latest_charge": null,
                    "livemode": false,
                    "metadata": metadata_of(req),
                    "next_action": null,
                    "on_behalf_of": null,
                    "payment_method": null,
                    "payment_method_configuration_details": {"id": "pmc_1Double", "parent": null},
                    "payment_method_types": ["card", "link"],
                    "processing": null,
                    "receipt_email": form("receipt_email"),
                    "review": null,
                    "setup_future_usage": null,
                    "shipping": null,
                    "source": null,
                    "statement_descriptor": null,
                    "statement_descriptor_suffix": null,
                    "status": "requires_payment_method",
                    "transfer_data": null,
                    "transfer_group": form("transfer_group"),
                }),
            )
        }
        ("POST", "/v1/transfers") => {
            let id = format!("tr_1Double{n:06}");
            Reply::json(
                200,
                json!({
                    "id": id,
                    "object": "transfer",
                    "amount": amount("amount"),
                    "amount_reversed": 0,
                    "balance_transaction": "txn_1Double",
                    "created": 1_678_043_844,
                    "currency": form("currency"),
                    "description": null,
                    "destination": form("destination"),
                    "destination_payment": "py_1Double",
                    "livemode": false,
                    "metadata": metadata_of(req),
                    "reversals": {
                        "object": "list",
                        "data": [],
                        "has_more": false,
                        "total_count": 0,
                        "url": format!("/v1/transfers/{id}/reversals"),
                    },
                    "reversed": false,
                    "source_transaction": form("source_transaction"),
                    "source_type": "card",
                    "transfer_group": form("transfer_group"),
                }),
            )
        }
        ("POST", "/v1/refunds") => Reply::json(
            200,
            json!({
                "id": format!("re_3Double{n:06}"),
                "object": "refund",
                "amount": amount("amount"),
                "balance_transaction": "txn_3Double",
                "charge": "ch_3Double",
                "created": 1_692_942_318,
                "currency": "eur",
                "metadata": metadata_of(req),
                "payment_intent": form("payment_intent"),
                "reason": null,
                "receipt_number": null,
                "source_transfer_reversal": null,
                "status": "succeeded",
                "transfer_reversal": null,
            }),
        ),
        ("POST", "/v1/accounts") => Reply::json(
            200,
            account_json(
                &format!("acct_1Double{n:06}"),
                form("country").as_deref().unwrap_or("US"),
                form("email"),
                metadata_of(req),
                false,
            ),
        ),
        ("GET", path) if path.starts_with("/v1/accounts/") => {
            let id = path.trim_start_matches("/v1/accounts/");
            Reply::json(
                200,
                account_json(id, "DE", None, json!({"tenant_id": "t-1"}), true),
            )
        }
        ("POST", "/v1/account_links") => Reply::json(
            200,
            json!({
                "object": "account_link",
                "created": 1_680_577_733,
                "expires_at": 1_680_578_033,
                "url": format!("https://connect.stripe.com/setup/e/{}/Double{n}", form("account").unwrap()),
            }),
        ),
        _ => Reply::json(
            404,
            json!({"error": {
                "type": "invalid_request_error",
                "message": format!("Unrecognized request URL ({} {}).", req.method, req.path),
            }}),
        ),
    }
}

/// An Express account: fresh (requirements due) or fully onboarded.
fn account_json(
    id: &str,
    country: &str,
    email: Option<String>,
    metadata: Value,
    done: bool,
) -> Value {
    let due: Vec<&str> = if done {
        vec![]
    } else {
        vec![
            "business_profile.url",
            "business_type",
            "external_account",
            "tos_acceptance.date",
            "tos_acceptance.ip",
        ]
    };
    let status = if done { "active" } else { "inactive" };
    json!({
        "id": id,
        "object": "account",
        "business_profile": {
            "annual_revenue": null,
            "estimated_worker_count": null,
            "mcc": null,
            "name": null,
            "product_description": null,
            "support_address": null,
            "support_email": null,
            "support_phone": null,
            "support_url": null,
            "url": null,
        },
        "business_type": null,
        "capabilities": {"card_payments": status, "transfers": status},
        "charges_enabled": done,
        "controller": {
            "fees": {"payer": "application"},
            "is_controller": true,
            "losses": {"payments": "application"},
            "requirement_collection": "stripe",
            "stripe_dashboard": {"type": "express"},
            "type": "application",
        },
        "country": country,
        "created": 1_695_830_751,
        "default_currency": "eur",
        "details_submitted": done,
        "email": email,
        "external_accounts": {
            "object": "list",
            "data": [],
            "has_more": false,
            "total_count": 0,
            "url": format!("/v1/accounts/{id}/external_accounts"),
        },
        "future_requirements": {
            "alternatives": [],
            "current_deadline": null,
            "currently_due": [],
            "disabled_reason": null,
            "errors": [],
            "eventually_due": [],
            "past_due": [],
            "pending_verification": [],
        },
        "metadata": metadata,
        "payouts_enabled": done,
        "requirements": {
            "alternatives": [],
            "current_deadline": null,
            "currently_due": due,
            "disabled_reason": if done { Value::Null } else { json!("requirements.past_due") },
            "errors": [],
            "eventually_due": due,
            "past_due": due,
            "pending_verification": [],
        },
        "tos_acceptance": {"date": null, "ip": null, "user_agent": null},
        "type": "express",
    })
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
fn assert_platform_request(req: &Recorded) {
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

fn assert_form_post(req: &Recorded, path: &str, idempotency_key: Option<&str>) {
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
    let double = Double::stripe_like().await;
    let payment = double
        .gateway()
        .create_payment(&new_payment("checkout_0190a1b2:payment"))
        .await
        .unwrap();

    let req = double.only_request();
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
        req.map("metadata"),
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
    let double = Double::stripe_like().await;
    let mut payment = new_payment("k-2");
    payment.receipt_email = None;
    payment.description = String::new();
    double.gateway().create_payment(&payment).await.unwrap();

    let req = double.only_request();
    assert_eq!(req.field("receipt_email"), None);
    assert_eq!(req.field("description"), None);
    assert_eq!(req.field("currency"), Some("eur"));
}

#[tokio::test]
async fn repeated_idempotency_key_is_sent_identically_and_replayed() {
    let double = Double::stripe_like().await;
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
    let double = Double::stripe_like().await;
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

    let req = double.only_request();
    assert_form_post(&req, "/v1/transfers", Some("so-1:transfer"));
    assert_eq!(req.field("amount"), Some("9000"));
    assert_eq!(req.field("currency"), Some("eur"));
    assert_eq!(req.field("destination"), Some("acct_1SellerA"));
    assert_eq!(req.field("transfer_group"), Some("checkout_0190a1b2"));
    assert_eq!(req.field("source_transaction"), Some("ch_3Source"));
    assert_eq!(
        req.map("metadata"),
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
    let double = Double::stripe_like().await;
    let refund = NewRefund {
        payment_id: "pi_3Paid".to_owned(),
        amount_minor: 2_500,
        metadata: meta(&[("tenant_id", "t-7"), ("refund_id", "r-9")]),
        idempotency_key: "r-9:refund".to_owned(),
    };
    let id = double.gateway().create_refund(&refund).await.unwrap();
    assert_eq!(id, "re_3Double000001");

    let req = double.only_request();
    assert_form_post(&req, "/v1/refunds", Some("r-9:refund"));
    assert_eq!(req.field("payment_intent"), Some("pi_3Paid"));
    assert_eq!(req.field("amount"), Some("2500"));
    assert_eq!(
        req.map("metadata"),
        meta(&[("tenant_id", "t-7"), ("refund_id", "r-9")])
    );
    assert_eq!(req.form.len(), 4, "no other parameter: {:?}", req.form);
}

#[tokio::test]
async fn create_account_posts_an_express_account_with_capabilities() {
    let double = Double::stripe_like().await;
    let gateway = double.gateway();
    let account = NewAccount {
        holder: AccountHolder::Seller,
        country: Some("DE".to_owned()),
        email: Some("maker@example.com".to_owned()),
        metadata: meta(&[("tenant_id", "t-7"), ("shop_id", "s-3")]),
        idempotency_key: "shop:s-3:account".to_owned(),
    };
    let state = gateway.create_account(&account).await.unwrap();

    let req = double.only_request();
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
        req.map("metadata"),
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
    let double = Double::stripe_like().await;
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

    let req = double.only_request();
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
    let double = Double::stripe_like().await;
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

    let req = double.only_request();
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("GET", "/v1/accounts/acct_1SellerA")
    );
    assert_platform_request(&req);
    assert_eq!(req.header("idempotency-key"), None);
    assert_eq!(req.raw_body, "");
}

#[tokio::test]
async fn ids_that_would_change_the_path_are_refused_without_a_request() {
    let double = Double::stripe_like().await;
    let gateway = double.gateway();
    for id in ["", "acct_1/../../v1/charges", "acct_1?expand[]=x", "acct 1"] {
        let err = gateway.account(id).await.unwrap_err();
        assert!(matches!(err, GatewayError::Refused(_)), "{id}: {err:?}");
    }
    assert!(double.requests().is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_without_a_request() {
    let double = Double::stripe_like().await;
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
    let double = Double::start(|_| {
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
    let double = Double::start(|_| {
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
            delay: None,
        },
    ];
    for reply in replies {
        let status = reply.status;
        let double = Double::start(move |_| reply.clone()).await;
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

    let double = Double::start(|req| Reply {
        delay: Some(Duration::from_secs(5)),
        ..stripe_answer(req, 1)
    })
    .await;
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
    let double = Double::start(|_| {
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
