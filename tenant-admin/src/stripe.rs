//! A marketplace's Stripe Connect account, where its commission is paid: created once by
//! staff, onboarded by the operator through a Stripe link (the platform's test-mode page in
//! test mode), kept current by the platform from `account.updated` events.
//!
//! The account is created at the provider before anything is written, with an idempotency
//! key derived from the tenant id, so a retry or a concurrent call gets the same account
//! back; the tenant row is then locked and the id recorded only if none was recorded
//! meanwhile. This module never stores a second account for a marketplace and never changes
//! the readiness columns once a newer report from Stripe was applied. An account that is
//! ready when attached queues the sweep of the share the marketplace was owed until then
//! (the platform's worker runs it).

use crate::ControlState;
use crate::provision::{find_locked, hosts, load_tenant, record};
use krafto_api_types::Code;
use krafto_api_types::commerce::OnboardingLink;
use krafto_api_types::control::{StripeAccountView, StripeLinkRequest};
use krafto_core::{Problems, WebUrl};
use krafto_db::TenantScope;
use krafto_db::models::{
    AccountReadiness, Actor, MarketplaceSweep, NewAuditEntry, OutboxMessage, PaymentAccount,
    Tenant, TenantDomain,
};
use krafto_payments::{
    AccountHolder, GatewayError, LinkRequest, NewAccount, PaymentGateway, TestGateway,
};
use krafto_tenancy::TenantChanged;
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Whether [`create_account`] made the account or found it.
pub(crate) enum Provisioned {
    Created(StripeAccountView),
    Existing(StripeAccountView),
}

fn gateway_error(e: GatewayError) -> ApiError {
    match e {
        GatewayError::Refused(m) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Code::StripeRefused,
            format!("Stripe refused the request: {m}"),
        ),
        GatewayError::Unavailable(m) => ApiError::unavailable(
            Code::StripeUnavailable,
            format!("Stripe is unavailable ({m}); nothing was recorded, retry in a moment"),
        ),
    }
}

/// The tenant's Connect account as stored.
pub(crate) fn account_view(state: &ControlState, t: &Tenant) -> StripeAccountView {
    StripeAccountView {
        account_id: t.stripe_account_id.clone(),
        charges_enabled: t.stripe_charges_enabled,
        payouts_enabled: t.stripe_payouts_enabled,
        requirements: t.stripe_requirements.clone(),
        ready: t.stripe_account_id.is_some()
            && t.stripe_charges_enabled
            && t.stripe_payouts_enabled,
        test_mode: state.test_mode(),
    }
}

/// The marketplace's Connect account and its readiness, as last reported by Stripe; 404
/// when there is no such marketplace.
pub(crate) async fn account(state: &ControlState, id: Uuid) -> ApiResult<StripeAccountView> {
    let tenant = load_tenant(state, id).await?;
    Ok(account_view(state, &tenant))
}

/// The country of a locale's region (`fr-FR` → `FR`), when it has one.
fn country_of(locale: &str) -> Option<String> {
    locale
        .split(['-', '_'])
        .nth(1)
        .filter(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
        .map(str::to_ascii_uppercase)
}

/// Creates the marketplace's Connect account unless it has one.
pub(crate) async fn create_account(
    state: &ControlState,
    actor: &Actor,
    id: Uuid,
    request_id: Option<String>,
) -> ApiResult<Provisioned> {
    let tenant = load_tenant(state, id).await?;
    if tenant.stripe_account_id.is_some() {
        return Ok(Provisioned::Existing(account_view(state, &tenant)));
    }
    let created = state
        .gateway
        .create_account(&NewAccount {
            holder: AccountHolder::Tenant,
            country: country_of(&tenant.locale),
            // No contact address is kept for a marketplace: Stripe asks during onboarding.
            email: None,
            metadata: BTreeMap::from([
                ("tenant_id".to_owned(), tenant.id.to_string()),
                ("tenant_slug".to_owned(), tenant.slug.clone()),
            ]),
            idempotency_key: format!("tenant-account:{}", tenant.id),
        })
        .await
        .map_err(gateway_error)?;

    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    let current = find_locked(&mut tx).await?;
    if current.stripe_account_id.is_some() {
        // A concurrent call recorded it first (the same account: the key is the same).
        tx.rollback().await?;
        return Ok(Provisioned::Existing(account_view(state, &current)));
    }
    Tenant::set_stripe_account(&mut tx, id, &created.id).await?;
    // What Stripe said at creation, unless a newer report was applied (state_at 0).
    Tenant::apply_stripe_state(
        &mut tx,
        &created.id,
        &AccountReadiness {
            charges_enabled: created.charges_enabled,
            payouts_enabled: created.payouts_enabled,
            details_submitted: created.details_submitted,
            requirements: created.requirements.clone(),
        },
        0,
    )
    .await?;
    PaymentAccount::register(&mut tx, &created.id, "tenant").await?;
    record(
        &mut tx,
        NewAuditEntry::new(
            actor,
            "stripe_account.created",
            format!("stripe_account:{}", created.id),
            json!({ "account_id": created.id, "test_mode": state.test_mode() }),
            request_id,
        ),
    )
    .await?;
    let updated = Tenant::find(&mut tx, id).await?;
    if updated.stripe_charges_enabled && updated.stripe_payouts_enabled {
        // Attached ready: the platform's worker sweeps the share owed to the marketplace
        // until now (a sweep with nothing owed does nothing).
        OutboxMessage::enqueue(&mut tx, MarketplaceSweep::JOB_KIND, json!({})).await?;
    }
    let domains = TenantDomain::for_tenant(&mut tx, id).await?;
    tx.commit().await?;
    state
        .changes
        .publish(&TenantChanged {
            tenant_id: id,
            hosts: hosts(state, &updated, domains.into_iter().map(|d| d.host)),
        })
        .await;
    Ok(Provisioned::Created(account_view(state, &updated)))
}

/// A fresh onboarding link for the marketplace's account.
pub(crate) async fn account_link(
    state: &ControlState,
    id: Uuid,
    input: &StripeLinkRequest,
) -> ApiResult<OnboardingLink> {
    let mut p = Problems::new();
    let return_url = input
        .return_url
        .as_deref()
        .and_then(|u| p.check("return_url", WebUrl::parse(u)));
    let refresh_url = input
        .refresh_url
        .as_deref()
        .and_then(|u| p.check("refresh_url", WebUrl::parse(u)));
    p.finish().map_err(ApiError::validation)?;

    let tenant = load_tenant(state, id).await?;
    let Some(account_id) = tenant.stripe_account_id.clone() else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::NoStripeAccount,
            format!(
                "marketplace {id} has no Stripe account yet; create it with POST /control/v1/tenants/{id}/stripe/account"
            ),
        ));
    };
    let storefront = state.storefront(&state.slug_host(&tenant.slug));
    let link = LinkRequest {
        account_id: account_id.clone(),
        refresh_url: refresh_url.map_or_else(|| storefront.clone(), WebUrl::into_string),
        return_url: return_url.map_or_else(|| storefront.clone(), WebUrl::into_string),
    };
    let url = if state.test_mode() {
        // The test onboarding page is served by the platform on the marketplace's host.
        TestGateway::with_onboarding_base(storefront)
            .account_link(&link)
            .await
    } else {
        state.gateway.account_link(&link).await
    }
    .map_err(gateway_error)?;
    Ok(OnboardingLink {
        account_id,
        url,
        test_mode: state.test_mode(),
    })
}

#[cfg(test)]
mod tests {
    use super::country_of;

    #[test]
    fn a_locale_region_is_the_account_country() {
        assert_eq!(country_of("fr-FR").as_deref(), Some("FR"));
        assert_eq!(country_of("de_at").as_deref(), Some("AT"));
        assert_eq!(country_of("en"), None);
        assert_eq!(country_of("es-419"), None);
    }
}
