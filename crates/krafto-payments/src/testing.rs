//! A local stand-in for `api.stripe.com`, for tests: [`StripeDouble`] serves the Stripe API
//! requests [`StripeGateway`] makes, answers them with Stripe-shaped JSON, keeps idempotency
//! keys as Stripe does, records every request, and can be told to fail.
//!
//! Compiled for this crate's own tests and, with the `testing` feature, for other crates'
//! tests (`krafto-payments = { workspace = true, features = ["testing"] }` in their
//! `[dev-dependencies]`). Never enable the feature in a production build: the double is no
//! payment provider.
//!
//! What the double does, per request:
//! - it records the request ([`StripeDouble::requests`]);
//! - a request carrying an `Idempotency-Key` seen before is answered with the first answer to
//!   that key when the method, path and form are the same, and with a 400 `idempotency_error`
//!   otherwise; nothing new is created either way;
//! - any other request is answered by the responder: Stripe-like by default
//!   ([`StripeDouble::start`]), or the test's own ([`StripeDouble::start_with`]). A 2xx answer
//!   to a `POST` counts as a created object ([`StripeDouble::created`],
//!   [`StripeDouble::objects`]), and the answer is remembered under its idempotency key
//!   unless Stripe would not keep it (a 5xx, or a request refused before it ran: 401, 404,
//!   409, 429, a parameter that fails validation);
//! - when a fault is armed for the path ([`StripeDouble::fail_first_response`]), the request is
//!   still carried out as above, but answered with a 500 `api_error`;
//! - the list endpoints (`GET /v1/payment_intents`, `/v1/transfers`, `/v1/refunds`,
//!   `/v1/disputes`, `/v1/transfers/{id}/reversals`) serve what was created here as it now
//!   stands (payments settled, transfers with their reversals), newest first, filtered by
//!   `created[gte]`/`created[lt]` and paged by `limit`/`starting_after`; disputes are those
//!   the test recorded ([`StripeDouble::record_dispute`]). Objects are stamped with the time
//!   they were created.

use crate::{StripeConfig, StripeGateway};
use poem::http::StatusCode;
use poem::listener::{Acceptor, Listener, TcpListener};
use secrecy::SecretString;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// One HTTP request as the double received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, e.g. `/v1/transfers`.
    pub path: String,
    /// The query string after `?`, if the URL had one (async-stripe ends a GET in a bare `?`,
    /// which is `Some("")`).
    pub query: Option<String>,
    /// The headers, in the order received, with lowercase names.
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: String,
    /// The decoded `application/x-www-form-urlencoded` body, in order.
    pub form: Vec<(String, String)>,
}

impl RecordedRequest {
    /// The first value of a header; `name` must be lowercase.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a form field, by its full name (e.g. `capabilities[transfers][requested]`).
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `prefix[key]=value` fields, keyed by `key` (e.g. `fields_under("metadata")`).
    pub fn fields_under(&self, prefix: &str) -> BTreeMap<String, String> {
        let open = format!("{prefix}[");
        self.form
            .iter()
            .filter_map(|(n, v)| {
                let key = n.strip_prefix(&open)?.strip_suffix(']')?;
                Some((key.to_owned(), v.clone()))
            })
            .collect()
    }

    /// The `metadata[...]` fields, keyed by what is in the brackets.
    pub fn metadata(&self) -> BTreeMap<String, String> {
        self.fields_under("metadata")
    }

    /// The form's fields in a canonical order (async-stripe sends metadata from a hash map, so
    /// its order varies between otherwise identical requests).
    pub fn sorted_form(&self) -> Vec<(String, String)> {
        let mut form = self.form.clone();
        form.sort();
        form
    }
}

/// An answer of the double: a status and a body, sent as `application/json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The body, as sent (it need not be JSON: a proxy's error page is a fair test).
    pub body: String,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: body.to_string(),
        }
    }

    /// A Stripe error (`{"error": {"type": …, "message": …}}`), e.g. `api_error` or
    /// `invalid_request_error`.
    pub fn error(status: u16, type_: &str, message: &str) -> Self {
        Self::json(
            status,
            json!({"error": {"type": type_, "message": message}}),
        )
    }
}

type Responder = Box<dyn Fn(&RecordedRequest) -> Reply + Send + Sync>;

/// The first request made with an idempotency key, and what it was answered.
#[derive(Debug, Clone)]
struct Remembered {
    method: String,
    path: String,
    form: Vec<(String, String)>,
    reply: Reply,
}

/// What the double knows, as Stripe would.
#[derive(Debug, Default)]
struct Books {
    /// Idempotency key → its first request and answer.
    by_key: HashMap<String, Remembered>,
    /// Path → the objects created there, in order.
    objects: HashMap<String, Vec<Value>>,
    /// Accounts created here (or onboarded by the test), by id.
    accounts: HashMap<String, Value>,
    /// Payment intents created here, by id.
    payment_intents: HashMap<String, Value>,
    /// Balance transactions the test set up ([`StripeDouble::set_balance_transaction`]).
    balance_transactions: HashMap<String, Value>,
    /// Transfers created here, by id (their `amount_reversed` and `reversals` kept current).
    transfers: HashMap<String, Value>,
    /// Ids of payment intents and transfers, in the order they were created.
    intent_order: Vec<String>,
    transfer_order: Vec<String>,
    /// Refunds created here, and disputes the test recorded, in order.
    refunds: Vec<Value>,
    disputes: Vec<Value>,
    /// A connected account's available balance: what transfers brought in, less reversals,
    /// or what the test set ([`StripeDouble::set_balance`]).
    balances: HashMap<String, i64>,
    /// Numbers the ids of created objects.
    sequence: usize,
    /// Path → how many of its next fresh requests are answered with a 500.
    faults: HashMap<String, usize>,
    /// How long to wait before each answer.
    delay: Option<Duration>,
}

struct Shared {
    requests: Mutex<Vec<RecordedRequest>>,
    books: Mutex<Books>,
    /// The test's own responder; `None` answers like Stripe.
    custom: Option<Responder>,
}

/// Unix seconds now: the `created` of what the double makes.
fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// A lock that a panicking test thread cannot poison for the rest of the test.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A local HTTP server standing in for `api.stripe.com`, on `127.0.0.1` and a free port.
///
/// Start it inside a Tokio runtime; it stops when dropped. By default it answers like
/// Stripe's test mode:
///
/// - `POST /v1/payment_intents`, `POST /v1/transfers`, `POST /v1/refunds`,
///   `POST /v1/accounts`, `POST /v1/account_links`: create an object with a fresh id
///   (`pi_…`, `tr_…`, `re_…`, `acct_…`; links are `https://connect.stripe.com/setup/e/{account}/Double{n}`),
///   echoing the request's amount, currency, destination, transfer group and metadata;
///   missing required parameters are a 400 `invalid_request_error`;
/// - `GET /v1/accounts/{id}`: an account created here as it now stands (requirements due
///   until [`StripeDouble::complete_onboarding`]); any other id as a fully onboarded account;
/// - anything else: 404; a request without `Authorization: Bearer …`: 401.
///
/// ```no_run
/// # async fn example() {
/// use krafto_payments::testing::StripeDouble;
/// let stripe = StripeDouble::start().await;
/// let config = stripe.config(StripeDouble::SECRET_KEY); // or stripe.gateway()
/// // … run the platform with `config`, then:
/// assert_eq!(stripe.created("/v1/transfers"), 1);
/// # }
/// ```
pub struct StripeDouble {
    url: String,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for StripeDouble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StripeDouble")
            .field("url", &self.url)
            .field("requests", &lock(&self.shared.requests).len())
            .field("custom_responder", &self.shared.custom.is_some())
            .finish_non_exhaustive()
    }
}

impl Drop for StripeDouble {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl StripeDouble {
    /// The secret key [`StripeDouble::gateway`] uses (any `Bearer` key is accepted).
    pub const SECRET_KEY: &'static str = "sk_test_double_0123456789abcdef";

    /// Starts a double that answers like Stripe (see [`StripeDouble`]).
    ///
    /// Panics when no local port can be bound: a test double fails loudly.
    pub async fn start() -> Self {
        Self::serve(None).await
    }

    /// Starts a double that answers every request with `respond` instead (a decline, an
    /// outage, a proxy's error page…). Idempotency keys, faults, the delay and the record of
    /// requests and created objects work as with [`StripeDouble::start`].
    pub async fn start_with(
        respond: impl Fn(&RecordedRequest) -> Reply + Send + Sync + 'static,
    ) -> Self {
        Self::serve(Some(Box::new(respond))).await
    }

    async fn serve(custom: Option<Responder>) -> Self {
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            books: Mutex::new(Books::default()),
            custom,
        });
        let state = shared.clone();
        let app = poem::endpoint::make(move |req: poem::Request| {
            let state = state.clone();
            async move { state.serve(req).await }
        });
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("the Stripe double could not bind a port on 127.0.0.1");
        let addr = acceptor
            .local_addr()
            .first()
            .and_then(|addr| addr.as_socket_addr().copied())
            .expect("the Stripe double listens on a TCP address");
        let server = tokio::spawn(async move {
            // Runs until aborted on drop.
            let _ = poem::Server::new_with_acceptor(acceptor).run(app).await;
        });
        Self {
            url: format!("http://{addr}"),
            shared,
            server,
        }
    }

    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash): what
    /// [`StripeConfig::base_url`] or `STRIPE_API_BASE` should be.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A configuration that sends requests here, with this secret key.
    pub fn config(&self, secret_key: &str) -> StripeConfig {
        StripeConfig {
            secret_key: SecretString::from(secret_key),
            base_url: Some(self.url.clone()),
        }
    }

    /// A gateway that talks to this double, with [`StripeDouble::SECRET_KEY`].
    pub fn gateway(&self) -> StripeGateway {
        StripeGateway::new(self.config(Self::SECRET_KEY))
            .expect("a loopback double is a valid Stripe base URL")
    }

    /// Every request received so far, in order (replays and refused ones included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// The requests received so far for one path (e.g. `/v1/transfers`), in order.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        lock(&self.shared.requests)
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// How many distinct objects were created at `path` (e.g. `/v1/transfers`): replays of an
    /// idempotency key do not count, requests answered with a fault do.
    pub fn created(&self, path: &str) -> usize {
        lock(&self.shared.books)
            .objects
            .get(path)
            .map_or(0, Vec::len)
    }

    /// The objects created at `path`, in order, as first answered (JSON).
    pub fn objects(&self, path: &str) -> Vec<Value> {
        lock(&self.shared.books)
            .objects
            .get(path)
            .cloned()
            .unwrap_or_default()
    }

    /// Arms a fault: the next request to `path` (e.g. `/v1/transfers`) that is not the replay
    /// of an idempotency key is carried out (the object is created and remembered under its
    /// key) but answered with HTTP 500 `api_error`, as when Stripe acted but the answer was
    /// lost. Retrying with the same key then gets the remembered object. Each call arms one
    /// more fault.
    pub fn fail_first_response(&self, path: &str) {
        *lock(&self.shared.books)
            .faults
            .entry(path.to_owned())
            .or_default() += 1;
    }

    /// Waits this long before every answer from now on (`None`: answer at once), e.g. to make
    /// a gateway time out. The request is carried out before the wait.
    pub fn set_delay(&self, delay: Option<Duration>) {
        lock(&self.shared.books).delay = delay;
    }

    /// Sets a connected account's available balance (as after a payout to its bank): a
    /// transfer reversal beyond it is refused with `balance_insufficient`, as Stripe does.
    pub fn set_balance(&self, account_id: &str, minor: i64) {
        lock(&self.shared.books)
            .balances
            .insert(account_id.to_owned(), minor);
    }

    /// Makes `GET /v1/balance_transactions/{id}` answer a charge's balance transaction of
    /// `amount` with Stripe's `fee` (as Stripe reports a card payment's processing fee).
    pub fn set_balance_transaction(&self, id: &str, amount: i64, fee: i64) {
        lock(&self.shared.books).balance_transactions.insert(
            id.to_owned(),
            json!({
                "id": id,
                "object": "balance_transaction",
                "amount": amount,
                "available_on": 1_680_652_800,
                "balance_type": "payments",
                "created": 1_680_651_737,
                "currency": "eur",
                "description": null,
                "exchange_rate": null,
                "fee": fee,
                "fee_details": [{"amount": fee, "application": null, "currency": "eur", "description": "Stripe processing fees", "type": "stripe_fee"}],
                "net": amount - fee,
                "reporting_category": "charge",
                "source": "ch_3Double",
                "status": "pending",
                "type": "charge",
            }),
        );
    }

    /// A connected account's available balance as the double keeps it.
    pub fn balance(&self, account_id: &str) -> i64 {
        lock(&self.shared.books)
            .balances
            .get(account_id)
            .copied()
            .unwrap_or(0)
    }

    /// Settles a payment intent created here as paid, as if the buyer's card went through:
    /// the intent gets a charge (`latest_charge`, `ch_3Double…`) and `status: succeeded`.
    /// Returns the `payment_intent.succeeded` event Stripe would send (deliver it yourself,
    /// signed), with the intent as `data.object`; `None` when no such intent was created here.
    pub fn payment_succeeded_event(
        &self,
        payment_intent_id: &str,
        event_id: &str,
        created: i64,
    ) -> Option<Value> {
        let mut books = lock(&self.shared.books);
        let n = books.next_number();
        let intent = books.payment_intents.get_mut(payment_intent_id)?;
        if intent["latest_charge"].is_null() {
            intent["latest_charge"] = json!(format!("ch_3Double{n:06}"));
        }
        intent["status"] = json!("succeeded");
        intent["amount_received"] = intent["amount"].clone();
        Some(json!({
            "id": event_id,
            "object": "event",
            "api_version": "2025-03-31.basil",
            "created": created,
            "livemode": false,
            "pending_webhooks": 1,
            "type": "payment_intent.succeeded",
            "data": { "object": intent.clone() },
        }))
    }

    /// Records a dispute as Stripe would list it (`GET /v1/disputes`): the double does not
    /// open disputes itself, the test sends their webhooks. `object` is a Stripe dispute;
    /// its `created` is set to now when missing.
    pub fn record_dispute(&self, mut object: Value) {
        if object["created"].is_null() {
            object["created"] = json!(now());
        }
        lock(&self.shared.books).disputes.push(object);
    }

    /// Records a dispute of `payment_intent` for `amount_minor` (`currency` lowercase, as
    /// Stripe), as a bank opened it: listed from now on, and returned (send its webhooks
    /// yourself).
    pub fn open_dispute(
        &self,
        id: &str,
        payment_intent: &str,
        amount_minor: i64,
        currency: &str,
    ) -> Value {
        let opened = RecordedRequest {
            method: "GET".to_owned(),
            path: String::new(),
            query: None,
            headers: Vec::new(),
            body: String::new(),
            form: vec![("submit".to_owned(), "false".to_owned())],
        };
        let mut object = dispute_json(id, &opened);
        object["amount"] = json!(amount_minor);
        object["currency"] = json!(currency);
        object["payment_intent"] = json!(payment_intent);
        object["created"] = json!(now());
        self.record_dispute(object.clone());
        object
    }

    /// Marks an account as fully onboarded (charges and payouts enabled, nothing due), as if
    /// its holder had finished Stripe's onboarding: `GET /v1/accounts/{id}` says so from now
    /// on. Returns `false` when no account with that id was created here (those already read
    /// as onboarded). Stripe would also send an `account.updated` event: deliver one yourself
    /// if the test needs it.
    pub fn complete_onboarding(&self, account_id: &str) -> bool {
        let mut books = lock(&self.shared.books);
        let Some(account) = books.accounts.get(account_id) else {
            return false;
        };
        let country = account["country"].as_str().unwrap_or("US").to_owned();
        let email = account["email"].as_str().map(str::to_owned);
        let metadata = account["metadata"].clone();
        let done = account_json(account_id, &country, email, metadata, true);
        books.accounts.insert(account_id.to_owned(), done);
        true
    }
}

impl Shared {
    async fn serve(&self, mut req: poem::Request) -> poem::Response {
        let (body, unreadable) = match req.take_body().into_string().await {
            Ok(body) => (body, None),
            Err(e) => (String::new(), Some(e.to_string())),
        };
        let recorded = RecordedRequest {
            method: req.method().to_string(),
            path: req.uri().path().to_owned(),
            query: req.uri().query().map(str::to_owned),
            headers: req
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            form: parse_form(&body),
            body,
        };
        lock(&self.requests).push(recorded.clone());
        let (reply, delay) = match unreadable {
            Some(e) => (
                Reply::error(
                    400,
                    "invalid_request_error",
                    &format!("unreadable body: {e}"),
                ),
                None,
            ),
            None => self.answer(&recorded),
        };
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        poem::Response::builder()
            .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
            .header("request-id", "req_double")
            .content_type("application/json")
            .body(reply.body)
    }

    /// The answer to a request, and how long to wait before giving it.
    fn answer(&self, req: &RecordedRequest) -> (Reply, Option<Duration>) {
        // One lock for the whole decision: concurrent requests with one key see one outcome.
        let mut books = lock(&self.books);
        let delay = books.delay;
        let key = req.header("idempotency-key");
        if let Some(key) = key
            && let Some(first) = books.by_key.get(key)
        {
            let same = first.method == req.method
                && first.path == req.path
                && first.form == req.sorted_form();
            let reply = if same {
                first.reply.clone()
            } else {
                Reply::error(
                    400,
                    "idempotency_error",
                    &format!(
                        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."
                    ),
                )
            };
            return (reply, delay);
        }
        let reply = match &self.custom {
            Some(respond) => respond(req),
            None => books.stripe_answer(req),
        };
        if req.method == "POST" && (200..300).contains(&reply.status) {
            let object = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
            books
                .objects
                .entry(req.path.clone())
                .or_default()
                .push(object);
        }
        if let Some(key) = key
            && saved(&reply)
        {
            books.by_key.insert(
                key.to_owned(),
                Remembered {
                    method: req.method.clone(),
                    path: req.path.clone(),
                    form: req.sorted_form(),
                    reply: reply.clone(),
                },
            );
        }
        if let Some(armed) = books.faults.get_mut(&req.path)
            && *armed > 0
        {
            *armed -= 1;
            let fault = Reply::error(
                500,
                "api_error",
                "An unknown error occurred (a fault armed in the Stripe double).",
            );
            return (fault, delay);
        }
        (reply, delay)
    }
}

/// Whether Stripe keeps an answer under its idempotency key: only once the request started
/// to run, so not a server error, nor a request refused before running (no or a bad key, an
/// unknown URL, a concurrent use of the key, rate limiting, parameters that fail validation).
fn saved(reply: &Reply) -> bool {
    if reply.status >= 500 || matches!(reply.status, 401 | 404 | 409 | 429) {
        return false;
    }
    let code = serde_json::from_str::<Value>(&reply.body)
        .ok()
        .and_then(|body| body["error"]["code"].as_str().map(str::to_owned));
    !(reply.status == 400 && code.is_some_and(|c| c.starts_with("parameter_")))
}

/// A 400 for a missing or malformed parameter, as Stripe words it.
fn param_error(code: &str, param: &str, message: String) -> Reply {
    Reply::json(
        400,
        json!({"error": {
            "type": "invalid_request_error",
            "code": code,
            "message": message,
            "param": param,
        }}),
    )
}

fn missing(param: &str) -> Reply {
    param_error(
        "parameter_missing",
        param,
        format!("Missing required param: {param}."),
    )
}

fn required<'r>(req: &'r RecordedRequest, param: &str) -> Result<&'r str, Reply> {
    req.field(param)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing(param))
}

fn integer(req: &RecordedRequest, param: &str) -> Result<Option<i64>, Reply> {
    req.field(param)
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                param_error(
                    "parameter_invalid_integer",
                    param,
                    format!("Invalid integer: {v}"),
                )
            })
        })
        .transpose()
}

fn metadata_json(req: &RecordedRequest) -> Value {
    Value::Object(
        req.metadata()
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect::<Map<String, Value>>(),
    )
}

impl Books {
    fn next_number(&mut self) -> usize {
        self.sequence += 1;
        self.sequence
    }

    /// Stripe-shaped answers (after Stripe's API reference examples), echoing the request.
    fn stripe_answer(&mut self, req: &RecordedRequest) -> Reply {
        let authorised = req
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|key| !key.trim().is_empty());
        if !authorised {
            return Reply::error(
                401,
                "invalid_request_error",
                "You did not provide an API key.",
            );
        }
        let answer = match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/v1/payment_intents") => self.payment_intent(req),
            ("POST", "/v1/transfers") => self.transfer(req),
            ("POST", "/v1/refunds") => self.refund(req),
            ("POST", path) if path.starts_with("/v1/disputes/") => {
                let id = path.trim_start_matches("/v1/disputes/").to_owned();
                Ok(dispute_json(&id, req))
            }
            ("POST", path)
                if path.starts_with("/v1/transfers/") && path.ends_with("/reversals") =>
            {
                let id = path
                    .trim_start_matches("/v1/transfers/")
                    .trim_end_matches("/reversals")
                    .to_owned();
                self.reversal(req, &id)
            }
            ("GET", "/v1/payment_intents") => {
                let all = self
                    .intent_order
                    .iter()
                    .filter_map(|id| self.payment_intents.get(id).cloned())
                    .collect();
                Ok(self.list(req, "/v1/payment_intents", all))
            }
            ("GET", "/v1/transfers") => {
                let all = self
                    .transfer_order
                    .iter()
                    .filter_map(|id| self.transfers.get(id).cloned())
                    .collect();
                Ok(self.list(req, "/v1/transfers", all))
            }
            ("GET", path) if path.starts_with("/v1/transfers/") && path.ends_with("/reversals") => {
                let id = path
                    .trim_start_matches("/v1/transfers/")
                    .trim_end_matches("/reversals");
                let mut all: Vec<Value> = self
                    .transfers
                    .get(id)
                    .and_then(|t| t["reversals"]["data"].as_array().cloned())
                    .unwrap_or_default();
                all.reverse();
                Ok(self.list(req, path, all))
            }
            ("GET", "/v1/refunds") => Ok(self.list(req, "/v1/refunds", self.refunds.clone())),
            ("GET", "/v1/disputes") => Ok(self.list(req, "/v1/disputes", self.disputes.clone())),
            ("POST", "/v1/accounts") => self.account(req),
            ("POST", "/v1/account_links") => self.account_link(req),
            ("GET", path) if path.starts_with("/v1/balance_transactions/") => {
                let id = path.trim_start_matches("/v1/balance_transactions/");
                self.balance_transactions.get(id).cloned().ok_or_else(|| {
                    Reply::json(
                        404,
                        json!({"error": {"type": "invalid_request_error", "code": "resource_missing",
                            "message": format!("No such balance transaction: '{id}'"), "param": "id"}}),
                    )
                })
            }
            ("GET", path) if path.starts_with("/v1/accounts/") => {
                let id = path.trim_start_matches("/v1/accounts/");
                Ok(self.accounts.get(id).cloned().unwrap_or_else(|| {
                    account_json(id, "DE", None, Value::Object(Map::new()), true)
                }))
            }
            _ => Err(Reply::error(
                404,
                "invalid_request_error",
                &format!("Unrecognized request URL ({} {}).", req.method, req.path),
            )),
        };
        match answer {
            Ok(object) => Reply::json(200, object),
            Err(reply) => reply,
        }
    }

    fn payment_intent(&mut self, req: &RecordedRequest) -> Result<Value, Reply> {
        let amount = integer(req, "amount")?.ok_or_else(|| missing("amount"))?;
        let currency = required(req, "currency")?;
        let n = self.next_number();
        let id = format!("pi_3Double{n:06}");
        let intent = json!({
            "id": id,
            "object": "payment_intent",
            "amount": amount,
            "amount_capturable": 0,
            "amount_details": {"tip": {}},
            "amount_received": 0,
            "application": null,
            "application_fee_amount": null,
            "automatic_payment_methods": {
                "allow_redirects": "always",
                "enabled": req.field("automatic_payment_methods[enabled]") == Some("true"),
            },
            "canceled_at": null,
            "cancellation_reason": null,
            "capture_method": "automatic_async",
            "client_secret": format!("{id}_secret_Double{n:06}"),
            "confirmation_method": "automatic",
            "created": now(),
            "currency": currency,
            "customer": null,
            "description": req.field("description"),
            "last_payment_error": null,
            "latest_charge": null,
            "livemode": false,
            "metadata": metadata_json(req),
            "next_action": null,
            "on_behalf_of": null,
            "payment_method": null,
            "payment_method_configuration_details": {"id": "pmc_1Double", "parent": null},
            "payment_method_types": ["card", "link"],
            "processing": null,
            "receipt_email": req.field("receipt_email"),
            "review": null,
            "setup_future_usage": null,
            "shipping": null,
            "source": null,
            "statement_descriptor": null,
            "statement_descriptor_suffix": null,
            "status": "requires_payment_method",
            "transfer_data": null,
            "transfer_group": req.field("transfer_group"),
        });
        self.intent_order.push(id.clone());
        self.payment_intents.insert(id, intent.clone());
        Ok(intent)
    }

    fn transfer(&mut self, req: &RecordedRequest) -> Result<Value, Reply> {
        let amount = integer(req, "amount")?;
        let currency = required(req, "currency")?;
        let destination = required(req, "destination")?;
        let n = self.next_number();
        let id = format!("tr_1Double{n:06}");
        *self.balances.entry(destination.to_owned()).or_default() += amount.unwrap_or(0);
        let transfer = json!({
            "id": id,
            "object": "transfer",
            "amount": amount.unwrap_or(0),
            "amount_reversed": 0,
            "balance_transaction": format!("txn_1Double{n:06}"),
            "created": now(),
            "currency": currency,
            "description": req.field("description"),
            "destination": destination,
            "destination_payment": format!("py_1Double{n:06}"),
            "livemode": false,
            "metadata": metadata_json(req),
            "reversals": {
                "object": "list",
                "data": [],
                "has_more": false,
                "total_count": 0,
                "url": format!("/v1/transfers/{id}/reversals"),
            },
            "reversed": false,
            "source_transaction": req.field("source_transaction"),
            "source_type": "card",
            "transfer_group": req.field("transfer_group"),
        });
        self.transfer_order.push(id.clone());
        self.transfers.insert(id, transfer.clone());
        Ok(transfer)
    }

    /// `POST /v1/transfers/{id}/reversals`: never more than what is left of the transfer,
    /// and never more than the connected account's available balance.
    fn reversal(&mut self, req: &RecordedRequest, transfer_id: &str) -> Result<Value, Reply> {
        let Some(transfer) = self.transfers.get(transfer_id).cloned() else {
            return Err(Reply::json(
                404,
                json!({"error": {"type": "invalid_request_error", "code": "resource_missing",
                    "message": format!("No such transfer: '{transfer_id}'"), "param": "id"}}),
            ));
        };
        let amount = transfer["amount"].as_i64().unwrap_or(0);
        let reversed = transfer["amount_reversed"].as_i64().unwrap_or(0);
        let wanted = integer(req, "amount")?.unwrap_or(amount - reversed);
        if wanted <= 0 || wanted > amount - reversed {
            return Err(Reply::json(
                400,
                json!({"error": {"type": "invalid_request_error", "param": "amount",
                    "message": format!("Amount ({wanted}) is greater than the amount left to reverse ({}).", amount - reversed)}}),
            ));
        }
        let destination = transfer["destination"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let balance = self.balances.entry(destination).or_default();
        if *balance < wanted {
            return Err(Reply::json(
                400,
                json!({"error": {"type": "invalid_request_error", "code": "balance_insufficient",
                    "message": "The connected account has insufficient funds to cover this transfer reversal."}}),
            ));
        }
        *balance -= wanted;
        let n = self.next_number();
        let object = json!({
            "id": format!("trr_1Double{n:06}"),
            "object": "transfer_reversal",
            "amount": wanted,
            "balance_transaction": format!("txn_1Double{n:06}"),
            "created": now(),
            "currency": transfer["currency"],
            "destination_payment_refund": format!("pyr_1Double{n:06}"),
            "metadata": metadata_json(req),
            "source_refund": null,
            "transfer": transfer_id,
        });
        if let Some(t) = self.transfers.get_mut(transfer_id) {
            t["amount_reversed"] = json!(reversed + wanted);
            t["reversed"] = json!(reversed + wanted == amount);
            if let Some(list) = t["reversals"]["data"].as_array_mut() {
                list.insert(0, object.clone());
                let count = list.len();
                t["reversals"]["total_count"] = json!(count);
            }
        }
        Ok(object)
    }

    fn refund(&mut self, req: &RecordedRequest) -> Result<Value, Reply> {
        let amount = integer(req, "amount")?;
        let payment_intent = req.field("payment_intent");
        if payment_intent.is_none() && req.field("charge").is_none() {
            return Err(param_error(
                "parameter_missing",
                "payment_intent",
                "One of the following params should be provided for this request: payment_intent or charge.".to_owned(),
            ));
        }
        // A payment intent created here lends its currency and, by default, its amount.
        let intent = payment_intent.and_then(|id| self.payment_intents.get(id));
        let currency = intent
            .and_then(|pi| pi["currency"].as_str())
            .unwrap_or("eur")
            .to_owned();
        let amount = amount
            .or_else(|| intent.and_then(|pi| pi["amount"].as_i64()))
            .unwrap_or(0);
        let n = self.next_number();
        let refund = json!({
            "id": format!("re_3Double{n:06}"),
            "object": "refund",
            "amount": amount,
            "balance_transaction": format!("txn_3Double{n:06}"),
            "charge": req.field("charge").unwrap_or("ch_3Double"),
            "created": now(),
            "currency": currency,
            "metadata": metadata_json(req),
            "payment_intent": payment_intent,
            "reason": req.field("reason"),
            "receipt_number": null,
            "source_transfer_reversal": null,
            "status": "succeeded",
            "transfer_reversal": null,
        });
        self.refunds.push(refund.clone());
        Ok(refund)
    }

    /// `GET` of a list endpoint: what was created here, newest first, within
    /// `created[gte]`/`created[lt]`, after `starting_after`, at most `limit`.
    fn list(&self, req: &RecordedRequest, url: &str, all: Vec<Value>) -> Value {
        let query = parse_form(req.query.as_deref().unwrap_or_default());
        let get = |name: &str| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let gte = get("created[gte]").and_then(|v| v.parse::<i64>().ok());
        let lt = get("created[lt]").and_then(|v| v.parse::<i64>().ok());
        let limit = get("limit")
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(10);
        let mut matching: Vec<Value> = all
            .into_iter()
            .rev()
            .filter(|o| {
                let created = o["created"].as_i64().unwrap_or(0);
                gte.is_none_or(|g| created >= g) && lt.is_none_or(|l| created < l)
            })
            .collect();
        if let Some(after) = get("starting_after") {
            match matching.iter().position(|o| o["id"] == json!(after)) {
                Some(i) => {
                    matching.drain(..=i);
                }
                None => matching.clear(),
            }
        }
        let has_more = matching.len() > limit;
        matching.truncate(limit);
        json!({"object": "list", "data": matching, "has_more": has_more, "url": url})
    }

    fn account(&mut self, req: &RecordedRequest) -> Result<Value, Reply> {
        let n = self.next_number();
        let id = format!("acct_1Double{n:06}");
        let account = account_json(
            &id,
            req.field("country").unwrap_or("US"),
            req.field("email").map(str::to_owned),
            metadata_json(req),
            false,
        );
        self.accounts.insert(id, account.clone());
        Ok(account)
    }

    fn account_link(&mut self, req: &RecordedRequest) -> Result<Value, Reply> {
        let account = required(req, "account")?;
        required(req, "type")?;
        let n = self.next_number();
        Ok(json!({
            "object": "account_link",
            "created": 1_680_577_733,
            "expires_at": 1_680_578_033,
            "url": format!("https://connect.stripe.com/setup/e/{account}/Double{n}"),
        }))
    }
}

/// A dispute after `POST /v1/disputes/{id}`: the evidence sent echoed back, and
/// `under_review` once submitted.
fn dispute_json(id: &str, req: &RecordedRequest) -> Value {
    let sent = req.fields_under("evidence");
    let mut evidence = Map::new();
    for field in [
        "access_activity_log",
        "billing_address",
        "cancellation_policy",
        "cancellation_policy_disclosure",
        "cancellation_rebuttal",
        "customer_communication",
        "customer_email_address",
        "customer_name",
        "customer_purchase_ip",
        "customer_signature",
        "duplicate_charge_documentation",
        "duplicate_charge_explanation",
        "duplicate_charge_id",
        "product_description",
        "receipt",
        "refund_policy",
        "refund_policy_disclosure",
        "refund_refusal_explanation",
        "service_date",
        "service_documentation",
        "shipping_address",
        "shipping_carrier",
        "shipping_date",
        "shipping_documentation",
        "shipping_tracking_number",
        "uncategorized_file",
        "uncategorized_text",
    ] {
        evidence.insert(
            field.to_owned(),
            sent.get(field)
                .map_or(Value::Null, |v| Value::String(v.clone())),
        );
    }
    evidence.insert("enhanced_evidence".to_owned(), json!({}));
    let submitted = req.field("submit") != Some("false");
    json!({
        "id": id,
        "object": "dispute",
        "amount": 1000,
        "balance_transactions": [],
        "charge": "ch_1Double",
        "created": 1_680_651_737,
        "currency": "eur",
        "enhanced_eligibility_types": [],
        "evidence": evidence,
        "evidence_details": {
            "due_by": 1_681_516_799,
            "enhanced_eligibility": {},
            "has_evidence": !sent.is_empty(),
            "past_due": false,
            "submission_count": u8::from(submitted),
        },
        "is_charge_refundable": false,
        "livemode": false,
        "metadata": {},
        "network_reason_code": null,
        "payment_intent": null,
        "payment_method_details": null,
        "reason": "general",
        "status": if submitted { "under_review" } else { "needs_response" },
    })
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

/// Decodes one `application/x-www-form-urlencoded` name or value; malformed escapes are kept
/// as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let escaped = bytes
                    .get(i + 1..i + 3)
                    .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|hex| std::str::from_utf8(hex).ok())
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                match escaped {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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

#[cfg(test)]
mod tests;
