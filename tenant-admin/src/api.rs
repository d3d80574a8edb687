use crate::ControlState;
use crate::provision;
use crate::stripe::{self, Provisioned};
use chrono::Utc;
use krafto_api_types::Code;
use krafto_api_types::commerce::OnboardingLink;
use krafto_api_types::control::{
    AddDomain, AuditPage, CreateOperator, CreateTenant, DomainView, OperatorView, StaffLogin,
    StripeAccountView, StripeLinkRequest, TemplateName, TenantPage, TenantStatusName, TenantView,
    TokenResponse, UpdateTenant,
};
use krafto_auth::StaffIdentity;
use krafto_core::{Email, FieldError};
use krafto_db::TenantScope;
use krafto_db::models::{Actor, AuditEntry, Staff, Tenant, TenantDomain, TenantFilter};
use krafto_web::views;
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::Request;
use poem::web::Data;
use poem_openapi::auth::Bearer;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi, SecurityScheme, Tags};
use secrecy::SecretString;
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
#[oai(ty = "bearer", bearer_format = "biscuit", checker = "verify_staff")]
pub(crate) struct StaffAuth(StaffIdentity);

async fn verify_staff(req: &Request, bearer: Bearer) -> poem::Result<StaffIdentity> {
    let state = req
        .data::<ControlState>()
        .ok_or_else(|| ApiError::internal(&"state missing"))?;
    let staff = state.keys.verify_staff(&bearer.token).map_err(|_| {
        ApiError::unauthenticated("the staff token is invalid or expired; log in again")
    })?;
    tracing::Span::current().record("user.id", tracing::field::display(staff.staff_id));
    Ok(staff)
}

/// A staff member as the author of a change (audit log).
pub(crate) fn staff_actor(staff: &StaffIdentity) -> Actor {
    Actor {
        kind: "staff",
        id: Some(staff.staff_id),
        label: staff.email.clone(),
    }
}

impl StaffAuth {
    fn actor(&self) -> Actor {
        staff_actor(&self.0)
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

fn template_name(t: &str) -> TemplateName {
    match t {
        "farm" => TemplateName::Farm,
        "b2b" => TemplateName::B2b,
        _ => TemplateName::Handmade,
    }
}

fn domain_view(d: TenantDomain) -> DomainView {
    DomainView {
        host: d.host,
        verified: d.verified,
        primary: d.is_primary,
        created_at: d.created_at,
    }
}

fn tenant_view(state: &ControlState, t: &Tenant, domains: Vec<TenantDomain>) -> TenantView {
    let mut hosts = vec![state.slug_host(&t.slug)];
    hosts.extend(
        domains
            .iter()
            .filter(|d| d.verified)
            .map(|d| d.host.clone()),
    );
    TenantView {
        id: t.id,
        slug: t.slug.clone(),
        name: t.name.clone(),
        status: if t.status == "suspended" {
            TenantStatusName::Suspended
        } else {
            TenantStatusName::Active
        },
        suspended_reason: t.suspended_reason.clone(),
        template: template_name(&t.template),
        currency: t.currency.clone(),
        locale: t.locale.clone(),
        branding: views::branding(t),
        fees: views::fees(t),
        buyer_fee_bps: t.buyer_fee_bps,
        stripe: stripe::account_view(state, t),
        features: views::feature_flags(t).as_map().clone(),
        hosts,
        domains: domains.into_iter().map(domain_view).collect(),
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

pub(crate) async fn load_view(state: &ControlState, id: Uuid) -> ApiResult<TenantView> {
    let mut tx = state.db.control().await?;
    let tenant = Tenant::find(&mut tx, id)
        .await
        .map_err(provision::tenant_missing(id))?;
    let domains = TenantDomain::for_tenant(&mut tx, id).await?;
    tx.commit().await?;
    Ok(tenant_view(state, &tenant, domains))
}

/// Exchanges a staff e-mail and password for a token (`POST /auth/login` and the console's
/// sign-in form). A wrong address, an unknown or disabled account and a wrong password are
/// one answer, 401 `invalid_credentials`, and take the same time.
pub(crate) async fn staff_login(
    state: &ControlState,
    email: &str,
    password: &str,
) -> ApiResult<TokenResponse> {
    let refused = || {
        ApiError::unauthenticated("wrong e-mail or password").with_code(Code::InvalidCredentials)
    };
    let password = SecretString::from(password.to_owned());
    let Ok(email) = Email::parse(email) else {
        krafto_auth::verify_password_dummy(&password);
        return Err(refused());
    };
    let mut tx = state.db.control().await?;
    let staff = Staff::find_by_email(&mut tx, email.as_str()).await?;
    let Some(staff) = staff.filter(|s| !s.disabled) else {
        krafto_auth::verify_password_dummy(&password);
        return Err(refused());
    };
    let hash = staff.password_hash.clone();
    let ok = tokio::task::spawn_blocking(move || krafto_auth::verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if !ok {
        return Err(refused());
    }
    Staff::touch_login(&mut tx, staff.id).await?;
    tx.commit().await?;
    let (token, expires_at) = state
        .keys
        .mint_staff(
            &StaffIdentity {
                staff_id: staff.id,
                email: staff.email,
            },
            Utc::now(),
        )
        .map_err(|e| ApiError::internal(&e))?;
    Ok(TokenResponse { token, expires_at })
}

/// A page size of 1–200 (50 when absent), or the 422 naming `limit`.
fn page_limit(limit: Option<i64>) -> ApiResult<i64> {
    let limit = limit.unwrap_or(50);
    if (1..=200).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::field(FieldError::new(
            "limit",
            "must be between 1 and 200",
        )))
    }
}

/// One page of marketplaces, oldest first, filtered by status and by a case-insensitive
/// substring of slug, name or custom domain (`GET /tenants` and the console's list).
pub(crate) async fn list_tenants(
    state: &ControlState,
    status: Option<TenantStatusName>,
    q: Option<&str>,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> ApiResult<TenantPage> {
    let limit = page_limit(limit)?;
    let status = status.map(|s| match s {
        TenantStatusName::Active => "active",
        TenantStatusName::Suspended => "suspended",
    });
    let mut tx = state.db.control().await?;
    let filter = TenantFilter {
        status,
        query: q.map(str::trim).filter(|s| !s.is_empty()),
        after: cursor,
        limit,
    };
    let tenants = Tenant::list(&mut tx, &filter).await?;
    let ids: Vec<Uuid> = tenants.iter().map(|t| t.id).collect();
    let mut domains = TenantDomain::for_tenants(&mut tx, &ids).await?;
    tx.commit().await?;
    let next_cursor = (i64::try_from(tenants.len()).unwrap_or(0) == limit)
        .then(|| tenants.last().map(|t| t.id.to_string()))
        .flatten();
    let items = tenants
        .iter()
        .map(|t| {
            let mine: Vec<TenantDomain> = domains.extract_if(.., |d| d.tenant_id == t.id).collect();
            tenant_view(state, t, mine)
        })
        .collect();
    Ok(TenantPage { items, next_cursor })
}

/// Makes an e-mail address an operator of the marketplace (`POST /tenants/{id}/operators`
/// and the console's form).
pub(crate) async fn add_operator(
    state: &ControlState,
    actor: &Actor,
    id: Uuid,
    input: &CreateOperator,
    request_id: Option<String>,
) -> ApiResult<OperatorView> {
    let (tenant, user) = provision::add_operator(
        state,
        actor,
        id,
        &input.email,
        input.display_name.as_deref(),
        request_id,
    )
    .await?;
    let host = state.slug_host(&tenant.slug);
    Ok(OperatorView {
        id: user.id,
        tenant_id: tenant.id,
        email: user.email,
        role: user.role,
        sign_in_url: state.storefront(&host),
    })
}

/// One page of the marketplace's audit log, newest first (`GET /tenants/{id}/audit` and the
/// console's tenant page).
pub(crate) async fn audit(
    state: &ControlState,
    id: Uuid,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> ApiResult<AuditPage> {
    let limit = page_limit(limit)?;
    let tenant = provision::load_tenant(state, id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    let rows = AuditEntry::page(&mut tx, cursor, limit).await?;
    tx.commit().await?;
    Ok(views::audit_page(rows, limit))
}

fn rid(r: &RequestId) -> Option<String> {
    Some(r.0.clone())
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
    async fn login(
        &self,
        state: Data<&ControlState>,
        body: Json<StaffLogin>,
    ) -> ApiResult<Json<TokenResponse>> {
        Ok(Json(
            staff_login(&state, &body.email, &body.password).await?,
        ))
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
        state: Data<&ControlState>,
        request_id: Data<&RequestId>,
        auth: StaffAuth,
        body: Json<CreateTenant>,
    ) -> ApiResult<TenantCreated> {
        let tenant =
            provision::create_tenant(&state, &auth.actor(), &body, rid(&request_id)).await?;
        Ok(TenantCreated::Created(Json(
            load_view(&state, tenant.id).await?,
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
        state: Data<&ControlState>,
        _auth: StaffAuth,
        status: Query<Option<TenantStatusName>>,
        /// Case-insensitive substring of slug, name or custom domain.
        q: Query<Option<String>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<Uuid>>,
        /// 1–200, default 50.
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<TenantPage>> {
        Ok(Json(
            list_tenants(&state, status.0, q.0.as_deref(), cursor.0, limit.0).await?,
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
        state: Data<&ControlState>,
        _auth: StaffAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<TenantView>> {
        Ok(Json(load_view(&state, id.0).await?))
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
        state: Data<&ControlState>,
        request_id: Data<&RequestId>,
        auth: StaffAuth,
        id: Path<Uuid>,
        body: Json<UpdateTenant>,
    ) -> ApiResult<Json<TenantView>> {
        provision::update_tenant(&state, &auth.actor(), id.0, &body, rid(&request_id)).await?;
        Ok(Json(load_view(&state, id.0).await?))
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
        state: Data<&ControlState>,
        request_id: Data<&RequestId>,
        auth: StaffAuth,
        id: Path<Uuid>,
        body: Json<AddDomain>,
    ) -> ApiResult<DomainAdded> {
        let d = provision::add_domain(&state, &auth.actor(), id.0, &body, rid(&request_id)).await?;
        Ok(DomainAdded::Created(Json(domain_view(d))))
    }

    #[oai(
        path = "/tenants/:id/domains/:host",
        method = "delete",
        tag = "ControlTags::Tenants",
        operation_id = "remove_domain"
    )]
    async fn remove_domain(
        &self,
        state: Data<&ControlState>,
        request_id: Data<&RequestId>,
        auth: StaffAuth,
        id: Path<Uuid>,
        host: Path<String>,
    ) -> ApiResult<Removed> {
        provision::remove_domain(&state, &auth.actor(), id.0, &host.0, rid(&request_id)).await?;
        Ok(Removed::NoContent)
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
        state: Data<&ControlState>,
        request_id: Data<&RequestId>,
        auth: StaffAuth,
        id: Path<Uuid>,
        body: Json<CreateOperator>,
    ) -> ApiResult<OperatorCreated> {
        Ok(OperatorCreated::Created(Json(
            add_operator(&state, &auth.actor(), id.0, &body, rid(&request_id)).await?,
        )))
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
        state: Data<&ControlState>,
        request_id: Data<&RequestId>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> ApiResult<StripeAccountProvisioned> {
        Ok(
            match stripe::create_account(&state, &auth.actor(), id.0, rid(&request_id)).await? {
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
        state: Data<&ControlState>,
        _auth: StaffAuth,
        id: Path<Uuid>,
        body: Json<Option<StripeLinkRequest>>,
    ) -> ApiResult<Json<OnboardingLink>> {
        let input = body.0.unwrap_or_default();
        Ok(Json(stripe::account_link(&state, id.0, &input).await?))
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
        state: Data<&ControlState>,
        _auth: StaffAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<StripeAccountView>> {
        let tenant = provision::load_tenant(&state, id.0).await?;
        Ok(Json(stripe::account_view(&state, &tenant)))
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
        state: Data<&ControlState>,
        _auth: StaffAuth,
        id: Path<Uuid>,
        cursor: Query<Option<Uuid>>,
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<AuditPage>> {
        Ok(Json(audit(&state, id.0, cursor.0, limit.0).await?))
    }
}
