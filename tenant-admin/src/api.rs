//! The control plane's JSON API (`/control/v1`), for Krafto staff: turns requests into calls
//! of the domain modules ([`crate::staff`], [`crate::marketplaces`], [`crate::provision`],
//! [`crate::operators`], [`crate::stripe`]) and their answers into responses.

use crate::ControlState;
use crate::ctx::Ctx;
use crate::marketplaces;
use crate::operators;
use crate::provision;
use crate::stripe::{self, Provisioned};
use krafto_api_types::commerce::OnboardingLink;
use krafto_api_types::control::{
    AddDomain, AuditPage, CreateOperator, CreateTenant, DomainView, OperatorList, OperatorView,
    StaffLogin, StripeAccountView, StripeLinkRequest, TenantPage, TenantStatusName, TenantView,
    TokenResponse, UpdateTenant,
};
use krafto_auth::StaffIdentity;
use krafto_db::models::Actor;
use krafto_web::{ApiError, ApiResult};
use poem::Request;
use poem_openapi::auth::Bearer;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi, SecurityScheme, Tags};
use uuid::Uuid;

#[derive(Tags)]
enum ControlTags {
    /// Staff sign-in.
    Auth,
    /// Marketplaces: provisioning, settings, domains, operators, audit.
    Tenants,
    /// Marketplaces' Stripe Connect accounts, where their commission is paid.
    Stripe,
}

/// A staff token from `POST /control/v1/auth/login`.
#[derive(SecurityScheme)]
#[oai(
    rename = "StaffAuth",
    ty = "bearer",
    bearer_format = "biscuit",
    checker = "verify_staff"
)]
pub(crate) struct Staff(pub(crate) StaffIdentity);

async fn verify_staff(req: &Request, bearer: Bearer) -> poem::Result<StaffIdentity> {
    let state = req
        .data::<ControlState>()
        .ok_or_else(|| ApiError::internal(&"state missing"))?;
    let staff = crate::staff::verify(state, &bearer.token)
        .map(|s| s.identity)
        .ok_or_else(|| {
            ApiError::unauthenticated(
                "the staff token is invalid, expired or signed out; log in again",
            )
        })?;
    tracing::Span::current().record("user.id", tracing::field::display(staff.staff_id));
    Ok(staff)
}

impl Staff {
    /// How the audit log names this staff member.
    fn actor(&self) -> Actor {
        crate::staff::actor(&self.0)
    }
}

#[derive(ApiResponse)]
enum TenantCreated {
    /// The marketplace answers at its hosts from now on.
    #[oai(status = 201)]
    Created(Json<TenantView>),
}

#[derive(ApiResponse)]
enum DomainAdded {
    #[oai(status = 201)]
    Created(Json<DomainView>),
}

#[derive(ApiResponse)]
enum OperatorCreated {
    #[oai(status = 201)]
    Created(Json<OperatorView>),
}

#[derive(ApiResponse)]
enum RefundQueued {
    /// The refund is queued: the marketplace's worker makes it (what is left of the order,
    /// shipping included) and the buyer and seller are told.
    #[oai(status = 202)]
    Accepted,
}

/// Why staff refund an order (shown to the buyer).
#[derive(Debug, Clone, poem_openapi::Object)]
struct StaffRefund {
    reason: krafto_api_types::Text,
}

#[derive(ApiResponse)]
enum StripeAccountProvisioned {
    /// The marketplace already had an account: nothing was created.
    #[oai(status = 200)]
    Existing(Json<StripeAccountView>),
    /// The account was created; onboard it with an account link.
    #[oai(status = 201)]
    Created(Json<StripeAccountView>),
}

#[derive(ApiResponse)]
enum Removed {
    #[oai(status = 204)]
    NoContent,
}

pub(crate) struct ControlApi;

#[OpenApi]
impl ControlApi {
    /// Exchanges a staff e-mail and password for a token.
    #[oai(
        path = "/auth/login",
        method = "post",
        tag = "ControlTags::Auth",
        operation_id = "staff_login"
    )]
    async fn login(&self, ctx: Ctx<'_>, body: Json<StaffLogin>) -> ApiResult<Json<TokenResponse>> {
        Ok(Json(
            crate::staff::login(
                ctx.state,
                &body.email,
                &body.password,
                crate::ctx::client_addr(ctx.req).as_deref(),
            )
            .await?,
        ))
    }

    /// Signs the staff token out: it is refused from then on, on every instance.
    #[oai(
        path = "/auth/sign-out",
        method = "post",
        tag = "ControlTags::Auth",
        operation_id = "staff_sign_out"
    )]
    async fn sign_out(&self, ctx: Ctx<'_>, staff: Staff) -> ApiResult<Removed> {
        let _ = staff;
        // The guard above accepted this bearer token (`Bearer ` is 7 bytes).
        let token = ctx
            .req
            .header("authorization")
            .and_then(|h| h.get(7..))
            .unwrap_or_default();
        crate::staff::sign_out(ctx.state, token.trim()).await?;
        Ok(Removed::NoContent)
    }

    /// Provisions a marketplace from a template (categories and feature flags).
    #[oai(
        path = "/tenants",
        method = "post",
        tag = "ControlTags::Tenants",
        operation_id = "create_tenant"
    )]
    async fn create_tenant(
        &self,
        ctx: Ctx<'_>,
        staff: Staff,
        body: Json<CreateTenant>,
    ) -> ApiResult<TenantCreated> {
        let tenant =
            provision::create_tenant(ctx.state, &staff.actor(), &body, ctx.request_id()).await?;
        Ok(TenantCreated::Created(Json(
            marketplaces::view(ctx.state, tenant.id).await?,
        )))
    }

    /// Lists marketplaces, oldest first.
    #[oai(
        path = "/tenants",
        method = "get",
        tag = "ControlTags::Tenants",
        operation_id = "list_tenants"
    )]
    async fn list_tenants(
        &self,
        ctx: Ctx<'_>,
        _staff: Staff,
        status: Query<Option<TenantStatusName>>,
        /// Case-insensitive substring of slug, name or custom domain.
        q: Query<Option<String>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<Uuid>>,
        /// 1–200, default 50.
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<TenantPage>> {
        Ok(Json(
            marketplaces::list(ctx.state, status.0, q.0.as_deref(), cursor.0, limit.0).await?,
        ))
    }

    #[oai(
        path = "/tenants/:id",
        method = "get",
        tag = "ControlTags::Tenants",
        operation_id = "get_tenant"
    )]
    async fn get_tenant(
        &self,
        ctx: Ctx<'_>,
        _staff: Staff,
        id: Path<Uuid>,
    ) -> ApiResult<Json<TenantView>> {
        Ok(Json(marketplaces::view(ctx.state, id.0).await?))
    }

    /// Changes branding, fees, flags, or suspends/resumes the marketplace. Takes effect on
    /// every platform instance within a second (Redis) or the cache TTL.
    #[oai(
        path = "/tenants/:id",
        method = "patch",
        tag = "ControlTags::Tenants",
        operation_id = "update_tenant"
    )]
    async fn update_tenant(
        &self,
        ctx: Ctx<'_>,
        staff: Staff,
        id: Path<Uuid>,
        body: Json<UpdateTenant>,
    ) -> ApiResult<Json<TenantView>> {
        provision::update_tenant(ctx.state, &staff.actor(), id.0, &body, ctx.request_id()).await?;
        Ok(Json(marketplaces::view(ctx.state, id.0).await?))
    }

    /// Points a custom domain at the marketplace.
    #[oai(
        path = "/tenants/:id/domains",
        method = "post",
        tag = "ControlTags::Tenants",
        operation_id = "add_domain"
    )]
    async fn add_domain(
        &self,
        ctx: Ctx<'_>,
        staff: Staff,
        id: Path<Uuid>,
        body: Json<AddDomain>,
    ) -> ApiResult<DomainAdded> {
        let d =
            provision::add_domain(ctx.state, &staff.actor(), id.0, &body, ctx.request_id()).await?;
        Ok(DomainAdded::Created(Json(marketplaces::domain_view(d))))
    }

    #[oai(
        path = "/tenants/:id/domains/:host",
        method = "delete",
        tag = "ControlTags::Tenants",
        operation_id = "remove_domain"
    )]
    async fn remove_domain(
        &self,
        ctx: Ctx<'_>,
        staff: Staff,
        id: Path<Uuid>,
        host: Path<String>,
    ) -> ApiResult<Removed> {
        provision::remove_domain(ctx.state, &staff.actor(), id.0, &host.0, ctx.request_id())
            .await?;
        Ok(Removed::NoContent)
    }

    /// Refunds what is left of one of the marketplace's orders (shipping included), saying
    /// why; carried out by the marketplace's worker like an operator's refund.
    #[oai(
        path = "/tenants/:id/orders/:number/refunds",
        method = "post",
        tag = "ControlTags::Tenants",
        operation_id = "refund_order"
    )]
    async fn refund_order(
        &self,
        ctx: Ctx<'_>,
        staff: Staff,
        id: Path<Uuid>,
        number: Path<String>,
        body: Json<StaffRefund>,
    ) -> ApiResult<RefundQueued> {
        crate::refunds::request(
            ctx.state,
            &staff.actor(),
            id.0,
            &number.0,
            &body.reason,
            ctx.request_id(),
        )
        .await?;
        Ok(RefundQueued::Accepted)
    }

    /// The marketplace's operators, by e-mail address.
    #[oai(
        path = "/tenants/:id/operators",
        method = "get",
        tag = "ControlTags::Tenants",
        operation_id = "list_operators"
    )]
    async fn list_operators(
        &self,
        ctx: Ctx<'_>,
        _staff: Staff,
        id: Path<Uuid>,
    ) -> ApiResult<Json<OperatorList>> {
        Ok(Json(operators::list(ctx.state, id.0).await?))
    }

    /// Creates (or promotes) an operator account; the operator signs in at the marketplace's
    /// host with an e-mailed code.
    #[oai(
        path = "/tenants/:id/operators",
        method = "post",
        tag = "ControlTags::Tenants",
        operation_id = "add_operator"
    )]
    async fn add_operator(
        &self,
        ctx: Ctx<'_>,
        staff: Staff,
        id: Path<Uuid>,
        body: Json<CreateOperator>,
    ) -> ApiResult<OperatorCreated> {
        Ok(OperatorCreated::Created(Json(
            operators::add(ctx.state, &staff.actor(), id.0, &body, ctx.request_id()).await?,
        )))
    }

    /// Takes the operator role from a user (who stays a seller if they own a shop, a buyer
    /// otherwise) and ends every session they hold, on every instance.
    #[oai(
        path = "/tenants/:id/operators/:user_id",
        method = "delete",
        tag = "ControlTags::Tenants",
        operation_id = "remove_operator"
    )]
    async fn remove_operator(
        &self,
        ctx: Ctx<'_>,
        staff: Staff,
        id: Path<Uuid>,
        user_id: Path<Uuid>,
    ) -> ApiResult<Removed> {
        operators::remove(ctx.state, &staff.actor(), id.0, user_id.0, ctx.request_id()).await?;
        Ok(Removed::NoContent)
    }

    /// Creates the marketplace's Stripe Connect account (where its commission is paid), or
    /// returns the one it has (200). Safe to retry: Stripe is called with a key derived from
    /// the marketplace id, so concurrent or repeated calls end with one account.
    #[oai(
        path = "/tenants/:id/stripe/account",
        method = "post",
        tag = "ControlTags::Stripe",
        operation_id = "create_stripe_account"
    )]
    async fn create_stripe_account(
        &self,
        ctx: Ctx<'_>,
        staff: Staff,
        id: Path<Uuid>,
    ) -> ApiResult<StripeAccountProvisioned> {
        Ok(
            match stripe::create_account(ctx.state, &staff.actor(), id.0, ctx.request_id()).await? {
                Provisioned::Created(v) => StripeAccountProvisioned::Created(Json(v)),
                Provisioned::Existing(v) => StripeAccountProvisioned::Existing(Json(v)),
            },
        )
    }

    /// A fresh single-use onboarding link for the marketplace's Stripe account, to hand to
    /// its operator. In test mode it leads to the test onboarding page on the marketplace's
    /// host. 409 `no_stripe_account` until the account is created.
    #[oai(
        path = "/tenants/:id/stripe/account-link",
        method = "post",
        tag = "ControlTags::Stripe",
        operation_id = "create_stripe_account_link"
    )]
    async fn create_stripe_account_link(
        &self,
        ctx: Ctx<'_>,
        _staff: Staff,
        id: Path<Uuid>,
        body: Json<Option<StripeLinkRequest>>,
    ) -> ApiResult<Json<OnboardingLink>> {
        let input = body.0.unwrap_or_default();
        Ok(Json(stripe::account_link(ctx.state, id.0, &input).await?))
    }

    /// The marketplace's Stripe account and its readiness, as last reported by Stripe
    /// (`account_id` is `null` until created).
    #[oai(
        path = "/tenants/:id/stripe",
        method = "get",
        tag = "ControlTags::Stripe",
        operation_id = "get_stripe_account"
    )]
    async fn get_stripe_account(
        &self,
        ctx: Ctx<'_>,
        _staff: Staff,
        id: Path<Uuid>,
    ) -> ApiResult<Json<StripeAccountView>> {
        Ok(Json(stripe::account(ctx.state, id.0).await?))
    }

    /// The marketplace's audit log, newest first.
    #[oai(
        path = "/tenants/:id/audit",
        method = "get",
        tag = "ControlTags::Tenants",
        operation_id = "tenant_audit"
    )]
    async fn audit(
        &self,
        ctx: Ctx<'_>,
        _staff: Staff,
        id: Path<Uuid>,
        cursor: Query<Option<Uuid>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<AuditPage>> {
        Ok(Json(
            marketplaces::audit(ctx.state, id.0, cursor.0, limit.0).await?,
        ))
    }
}
