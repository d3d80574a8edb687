//! Signing in with e-mailed codes, and the signed-in user.

use super::{ApiTags, UserAuth, client_ip};
use crate::ctx::Ctx;
use crate::otp;
use krafto_api_types::store::{Me, OtpStart, OtpStarted, OtpVerify, SignedIn};
use krafto_core::Email;
use krafto_db::models::User;
use krafto_web::{ApiError, ApiResult};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};

pub(crate) struct AuthApi;

#[derive(ApiResponse)]
pub(crate) enum SignedOut {
    /// The token is revoked on every instance.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
pub(crate) enum OtpStartResponse {
    /// A code is on its way (if the address can receive mail).
    #[oai(status = 202)]
    Accepted(Json<OtpStarted>),
}

#[OpenApi(tag = "ApiTags::Auth")]
impl AuthApi {
    /// Sends a six-digit sign-in code to the address. Rate-limited per address (across
    /// marketplaces) and per client.
    #[oai(path = "/auth/otp/start", method = "post", operation_id = "otp_start")]
    async fn otp_start(&self, ctx: Ctx<'_>, body: Json<OtpStart>) -> ApiResult<OtpStartResponse> {
        let email = Email::parse(&body.email).map_err(|e| ApiError::field(e.at("email")))?;
        let ip = client_ip(ctx.req, ctx.state.trusted_proxy_hops);
        let challenge = otp::start(ctx.state, ctx.tenant, &email, ip.as_deref()).await?;
        Ok(OtpStartResponse::Accepted(Json(OtpStarted {
            message: format!("if {email} can receive mail, a sign-in code is on its way"),
            expires_in_seconds: ctx.state.otp.code_ttl.num_seconds(),
            challenge: challenge.to_string(),
        })))
    }

    /// Exchanges a code (with the challenge of the request that sent it) for a session
    /// token; the first sign-in creates a buyer account in this marketplace. Five wrong
    /// guesses end a code.
    #[oai(
        path = "/auth/otp/verify",
        method = "post",
        operation_id = "otp_verify"
    )]
    async fn otp_verify(&self, ctx: Ctx<'_>, body: Json<OtpVerify>) -> ApiResult<Json<SignedIn>> {
        let email = Email::parse(&body.email).map_err(|e| ApiError::field(e.at("email")))?;
        Ok(Json(
            otp::verify(
                ctx.state,
                ctx.tenant,
                &email,
                body.code.trim(),
                &body.challenge,
            )
            .await?,
        ))
    }

    /// Signs out: the bearer token is revoked and refused from now on, on every instance.
    #[oai(path = "/auth/sign-out", method = "post", operation_id = "sign_out")]
    async fn sign_out(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<SignedOut> {
        let _ = auth;
        let token = ctx
            .req
            .header("authorization")
            .and_then(|h| h.get(7..))
            .unwrap_or_default();
        crate::sessions::end(ctx.state, ctx.tenant, token.trim()).await?;
        Ok(SignedOut::NoContent)
    }

    /// The signed-in user.
    #[oai(path = "/me", method = "get", operation_id = "me")]
    async fn me(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<Json<Me>> {
        // Cached with the tenant: every change to a user's role or profile announces a tenant
        // change (see `AppState::tenant_changed`), which drops it on every instance.
        let user_id = auth.0.user_id;
        let (db, scope) = (ctx.state.db.clone(), ctx.scope());
        let load = async move {
            let mut tx = db.tenant(&scope).await?;
            let user = User::find(&mut tx, user_id).await?;
            tx.commit().await?;
            Ok::<_, krafto_db::DbError>(user)
        };
        let user = ctx
            .state
            .tenants
            .derived(ctx.tenant.id, "user", user_id, Box::pin(load))
            .await
            .map_err(|e| {
                if e.is_not_found() {
                    ApiError::unauthenticated("this account no longer exists")
                } else {
                    ApiError::from(&*e)
                }
            })?;
        Ok(Json(Me {
            user: otp::user_view((*user).clone()),
            tenant_id: ctx.tenant.id,
            tenant_slug: ctx.tenant.slug.clone(),
        }))
    }
}
