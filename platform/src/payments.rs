//! Payment provider callbacks: Stripe webhooks (the platform endpoint and the Connect
//! endpoint) and, in test mode, our own onboarding page that completes a connected account.
//!
//! Webhooks are not routed by host: an event names its marketplace through the payment's
//! metadata or the connected account we stored, never through the request. Every delivery is
//! verified (signature and timestamp), de-duplicated by event id in the transaction that
//! applies it, and safe in any order (see `crate::commerce`).

use crate::commerce::checkout::{EventRef, settle_failed, settle_paid};
use crate::commerce::payouts::apply_account_state;
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_db::TenantScope;
use krafto_db::models::{AccountReadiness, PaymentAccount, Tenant};
use krafto_payments::webhook::{self, DEFAULT_TOLERANCE_SECS, Event};
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Redirect};
use poem::{Body, IntoResponse, Request, Response, handler};
use secrecy::SecretString;
use serde::Deserialize;
use uuid::Uuid;

/// Largest webhook body read (Stripe events are a few KiB).
const MAX_EVENT_BYTES: usize = 512 * 1024;

/// What a delivery did, for Stripe's dashboard and our logs.
#[derive(Debug, serde::Serialize)]
struct Receipt {
    received: bool,
    /// `applied`, `duplicate_or_stale` or `ignored`.
    outcome: &'static str,
}

fn receipt(outcome: &'static str) -> Response {
    poem::web::Json(Receipt {
        received: true,
        outcome,
    })
    .into_response()
}

fn problem(e: ApiError) -> Response {
    krafto_web::problem_response(&e.into())
}

async fn read_verified(
    req: &Request,
    body: Body,
    secrets: &[SecretString],
) -> Result<Event, ApiError> {
    if secrets.is_empty() {
        return Err(ApiError::unavailable(
            Code::WebhooksNotConfigured,
            "no webhook signing secret is configured (STRIPE_WEBHOOK_SECRETS / STRIPE_CONNECT_WEBHOOK_SECRETS)",
        ));
    }
    let bytes = body.into_bytes_limit(MAX_EVENT_BYTES).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::PayloadTooLarge,
            "webhook bodies are at most 512 KiB",
        )
    })?;
    let header = req.header("stripe-signature").unwrap_or("");
    webhook::verify(
        &bytes,
        header,
        secrets,
        DEFAULT_TOLERANCE_SECS,
        chrono::Utc::now().timestamp(),
    )
    .map_err(|e| ApiError::bad_request(Code::BadSignature, e.to_string()))?;
    Event::parse(&bytes).map_err(|e| {
        ApiError::bad_request(Code::BadEvent, format!("the event is not Stripe JSON: {e}"))
    })
}

/// `POST /webhooks/stripe`: payment events of the platform account.
#[handler]
pub(crate) async fn stripe_webhook(req: &Request, body: Body, state: Data<&AppState>) -> Response {
    let event = match read_verified(req, body, &state.payments.webhook_secrets).await {
        Ok(e) => e,
        Err(e) => return problem(e),
    };
    match apply(&state, &event).await {
        Ok(outcome) => receipt(outcome),
        Err(e) => problem(e),
    }
}

/// `POST /webhooks/stripe/connect`: events of connected accounts (sellers, marketplaces).
#[handler]
pub(crate) async fn stripe_connect_webhook(
    req: &Request,
    body: Body,
    state: Data<&AppState>,
) -> Response {
    let secrets = if state.payments.connect_webhook_secrets.is_empty() {
        &state.payments.webhook_secrets
    } else {
        &state.payments.connect_webhook_secrets
    };
    let event = match read_verified(req, body, secrets).await {
        Ok(e) => e,
        Err(e) => return problem(e),
    };
    match apply(&state, &event).await {
        Ok(outcome) => receipt(outcome),
        Err(e) => problem(e),
    }
}

/// The marketplace a verified event names in its metadata (404 when it is not one of ours).
async fn marketplace_of(state: &AppState, tenant_id: Uuid) -> ApiResult<TenantScope> {
    let mut tx = state.db.control().await?;
    let tenant = Tenant::find(&mut tx, tenant_id).await?;
    tx.commit().await?;
    // The verified event resolved the marketplace: its payment carries the tenant's id.
    Ok(TenantScope::resolved(&tenant))
}

/// Applies one verified event. Unknown marketplaces, checkouts and accounts are
/// acknowledged and ignored (retrying could never help).
pub(crate) async fn apply(state: &AppState, event: &Event) -> ApiResult<&'static str> {
    let r = EventRef {
        id: &event.id,
        kind: &event.kind,
    };
    let result = match event.kind.as_str() {
        "payment_intent.succeeded"
        | "payment_intent.payment_failed"
        | "payment_intent.canceled" => {
            let ids = event
                .metadata("tenant_id")
                .and_then(|t| t.parse::<Uuid>().ok())
                .zip(
                    event
                        .metadata("checkout_id")
                        .and_then(|c| c.parse::<Uuid>().ok()),
                );
            let Some((tenant_id, checkout_id)) = ids else {
                tracing::info!(event.id = %event.id, "payment event without Krafto metadata; ignored");
                return Ok("ignored");
            };
            // An unknown marketplace is a 404, ignored below like an unknown checkout.
            match marketplace_of(state, tenant_id).await {
                Ok(scope) if event.kind == "payment_intent.succeeded" => {
                    settle_paid(
                        state,
                        &scope,
                        checkout_id,
                        Some(r),
                        event.created,
                        event.latest_charge(),
                    )
                    .await
                }
                Ok(scope) => {
                    let reason = event
                        .data
                        .object
                        .pointer("/last_payment_error/message")
                        .and_then(|v| v.as_str())
                        .unwrap_or(if event.kind == "payment_intent.canceled" {
                            "the payment was cancelled"
                        } else {
                            "the payment failed"
                        })
                        .to_owned();
                    settle_failed(state, &scope, checkout_id, Some(r), event.created, &reason).await
                }
                Err(e) => Err(e),
            }
        }
        "charge.succeeded" | "charge.updated" => {
            let o = &event.data.object;
            let id_of = |k: &str| {
                o.get(k)
                    .and_then(|v| v.as_str().or_else(|| v.get("id").and_then(|i| i.as_str())))
            };
            let Some(payment_intent) = id_of("payment_intent") else {
                return Ok("ignored");
            };
            return match crate::commerce::stripe_fees::on_charge(
                state,
                payment_intent,
                id_of("balance_transaction"),
                r,
            )
            .await
            {
                Ok(true) => Ok("applied"),
                Ok(false) => Ok("ignored"),
                Err(e) if e.status == StatusCode::NOT_FOUND => Ok("ignored"),
                Err(e) => Err(e),
            };
        }
        "charge.dispute.created"
        | "charge.dispute.updated"
        | "charge.dispute.closed"
        | "charge.dispute.funds_withdrawn"
        | "charge.dispute.funds_reinstated" => {
            let Some(facts) = event.dispute() else {
                return Err(ApiError::bad_request(
                    Code::BadEvent,
                    "a dispute event without a dispute object",
                ));
            };
            return match crate::commerce::disputes::apply_event(state, &facts, r, event.created)
                .await
            {
                Ok(true) => Ok("applied"),
                Ok(false) => Ok("ignored"),
                Err(e) if e.status == StatusCode::NOT_FOUND => Ok("ignored"),
                Err(e) => Err(e),
            };
        }
        "payout.created" | "payout.updated" | "payout.paid" | "payout.failed"
        | "payout.canceled" => {
            let Some(facts) = event.payout() else {
                return Err(ApiError::bad_request(
                    Code::BadEvent,
                    "a payout event without a payout object",
                ));
            };
            return crate::commerce::payout_history::apply_event(
                state,
                event.account.as_deref(),
                &facts,
                r,
                event.created,
            )
            .await;
        }
        "account.updated" => {
            let Some(account) = event.account_state() else {
                return Err(ApiError::bad_request(
                    Code::BadEvent,
                    "account.updated without an account object",
                ));
            };
            let readiness = AccountReadiness {
                charges_enabled: account.charges_enabled,
                payouts_enabled: account.payouts_enabled,
                details_submitted: account.details_submitted,
                requirements: account.requirements,
            };
            return match apply_account_state(state, &account.id, &readiness, Some(r), event.created)
                .await?
            {
                Some(_) => Ok("applied"),
                None => Ok("ignored"),
            };
        }
        _ => return Ok("ignored"),
    };
    match result {
        Ok(()) => Ok("applied"),
        // The marketplace or the checkout is not ours (another deployment's test data).
        Err(e) if e.status == StatusCode::NOT_FOUND => Ok("ignored"),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct OnboardingQuery {
    return_url: Option<String>,
}

/// The connected account behind a test-mode link, if it belongs to this host's marketplace.
async fn test_account(
    state: &AppState,
    tenant: &CurrentTenant,
    account: &str,
) -> Result<PaymentAccount, Response> {
    if !state.test_mode() {
        return Err(problem(ApiError::not_found(
            Code::NotTestMode,
            "payments are real here: onboarding happens on Stripe",
        )));
    }
    let route = async {
        let mut tx = state.db.control().await?;
        let route = PaymentAccount::find(&mut tx, account).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(route)
    }
    .await
    .map_err(problem)?;
    route.filter(|r| r.tenant_id == tenant.id).ok_or_else(|| {
        problem(ApiError::not_found(
            Code::AccountNotFound,
            format!("no account {account} in this marketplace"),
        ))
    })
}

/// `GET /test-mode/onboarding/{account}`: what Stripe's onboarding would be, in test mode.
#[handler]
pub(crate) async fn test_onboarding_page(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(account): Path<String>,
    query: poem::web::Query<OnboardingQuery>,
) -> Response {
    let route = match test_account(&state, &tenant, &account).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let who = if route.holder == "tenant" {
        "the marketplace"
    } else {
        "your shop"
    };
    crate::web::render(&TestOnboardingPage {
        chrome: crate::web::Chrome::of(req, &state, &tenant),
        who,
        account,
        return_url: query.return_url.clone().unwrap_or_default(),
    })
}

#[derive(askama::Template)]
#[template(path = "test_onboarding.html")]
struct TestOnboardingPage {
    chrome: crate::web::Chrome,
    who: &'static str,
    account: String,
    return_url: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OnboardingForm {
    return_url: Option<String>,
}

/// `POST /test-mode/onboarding/{account}`: completes the test account (as Stripe's
/// `account.updated` would) and goes back to where the link came from on this host.
#[handler]
pub(crate) async fn test_onboarding_complete(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(account): Path<String>,
    form: Form<OnboardingForm>,
) -> Response {
    if let Err(resp) = test_account(&state, &tenant, &account).await {
        return resp;
    }
    let ready = AccountReadiness {
        charges_enabled: true,
        payouts_enabled: true,
        details_submitted: true,
        requirements: Vec::new(),
    };
    if let Err(e) = apply_account_state(
        &state,
        &account,
        &ready,
        None,
        chrono::Utc::now().timestamp(),
    )
    .await
    {
        return problem(e);
    }
    // Only back to a page of this same host: never an open redirect.
    let host = req.header("host").unwrap_or("");
    let back = form
        .return_url
        .as_deref()
        .filter(|u| {
            u.strip_prefix("http://")
                .or_else(|| u.strip_prefix("https://"))
                .is_some_and(|rest| rest.split('/').next() == Some(host))
        })
        .map(str::to_owned);
    match back {
        Some(url) => Redirect::see_other(url).into_response(),
        None => crate::web::message(
            crate::web::Chrome::of(req, &state, &tenant),
            StatusCode::OK,
            "Payouts enabled",
            "Test onboarding is complete: this account can take payments. You can close this page.",
        ),
    }
}
