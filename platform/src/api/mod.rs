//! The platform's API surface, one module per audience.

mod account;
pub(crate) mod admin;
mod auth;
mod commerce;
pub(crate) mod moderation;
mod seller;
mod store;

pub(crate) use account::AccountApi;
pub(crate) use admin::AdminApi;
pub(crate) use auth::AuthApi;
pub(crate) use commerce::{BuyApi, OrdersAdminApi, SellingApi};
pub(crate) use moderation::ModerationApi;
pub(crate) use seller::SellerApi;
pub(crate) use store::BrowseApi;
pub(crate) use store::StoreApi;

use crate::{AppState, CurrentTenant};
use krafto_auth::UserClaims;
use krafto_core::Role;
use krafto_web::{ApiError, ApiResult};
use poem::Request;
use poem_openapi::auth::Bearer;
use poem_openapi::{SecurityScheme, Tags};

#[derive(Tags)]
pub(crate) enum ApiTags {
    /// What buyers see: the marketplace, its catalogue.
    Store,
    /// Signing in with e-mailed codes; the current user.
    Auth,
    /// Sellers: their shop, verification and listings.
    Seller,
    /// The marketplace operator's tools.
    Admin,
}

/// A biscuit token from `POST /api/v1/auth/otp/verify`, valid only on the host of the
/// marketplace that issued it.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", bearer_format = "biscuit", checker = "verify_user")]
pub(crate) struct UserAuth(UserClaims);

async fn verify_user(req: &Request, bearer: Bearer) -> poem::Result<UserClaims> {
    let (Some(state), Some(tenant)) = (
        req.data::<AppState>(),
        req.extensions().get::<CurrentTenant>(),
    ) else {
        return Err(ApiError::internal(&"auth ran outside the tenant gate").into());
    };
    let claims = state.verifier.verify(&bearer.token, tenant.id).map_err(|_| {
        ApiError::unauthenticated(
            "the token is invalid, expired, or was issued by another marketplace; sign in again on this host",
        )
    })?;
    tracing::Span::current().record("user.id", tracing::field::display(claims.user_id));
    Ok(claims)
}

// The role extractors are the same bearer scheme as `UserAuth` in the documents (one
// `UserAuth` security scheme); each refuses, with a 403 problem naming the role needed, a
// signed-in user who does not hold it. Their doc comments must stay identical to
// `UserAuth`'s: the documents keep one description for the scheme.

/// A biscuit token from `POST /api/v1/auth/otp/verify`, valid only on the host of the
/// marketplace that issued it.
#[derive(SecurityScheme)]
#[oai(
    rename = "UserAuth",
    ty = "bearer",
    bearer_format = "biscuit",
    checker = "verify_operator"
)]
pub(crate) struct Operator(pub(crate) UserClaims);

/// A biscuit token from `POST /api/v1/auth/otp/verify`, valid only on the host of the
/// marketplace that issued it.
#[derive(SecurityScheme)]
#[oai(
    rename = "UserAuth",
    ty = "bearer",
    bearer_format = "biscuit",
    checker = "verify_seller"
)]
pub(crate) struct Seller(pub(crate) UserClaims);

async fn verify_operator(req: &Request, bearer: Bearer) -> poem::Result<UserClaims> {
    Ok(holding(verify_user(req, bearer).await?, &[Role::Operator])?)
}

/// Sellers, and operators (who may act on any shop's behalf where the API allows it).
async fn verify_seller(req: &Request, bearer: Bearer) -> poem::Result<UserClaims> {
    Ok(holding(
        verify_user(req, bearer).await?,
        &[Role::Seller, Role::Operator],
    )?)
}

/// `claims` when they hold one of `roles`; a 403 problem naming them otherwise.
fn holding(claims: UserClaims, roles: &[Role]) -> ApiResult<UserClaims> {
    if roles.contains(&claims.role) {
        return Ok(claims);
    }
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    Err(ApiError::forbidden(format!(
        "this needs the {} role; you are signed in as {}",
        names.join(" or "),
        claims.role
    )))
}

/// The audit actor of a signed-in operator.
pub(crate) fn operator_actor(c: &UserClaims) -> krafto_db::models::Actor {
    krafto_db::models::Actor {
        kind: "operator",
        id: Some(c.user_id),
        label: c.user_id.to_string(),
    }
}

/// The signed-in user when the request carries a bearer token (a bad token is refused,
/// not ignored), for operations open to guests and buyers alike.
pub(crate) fn optional_user(req: &Request) -> ApiResult<Option<UserClaims>> {
    let Some(header) = req.header("authorization") else {
        return Ok(None);
    };
    let (Some(state), Some(tenant)) = (
        req.data::<AppState>(),
        req.extensions().get::<CurrentTenant>(),
    ) else {
        return Err(ApiError::internal(&"auth ran outside the tenant gate"));
    };
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or_else(|| {
            ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")
        })?;
    let claims = state.verifier.verify(token.trim(), tenant.id).map_err(|_| {
        ApiError::unauthenticated(
            "the token is invalid, expired, or was issued by another marketplace; sign in again on this host",
        )
    })?;
    tracing::Span::current().record("user.id", tracing::field::display(claims.user_id));
    Ok(Some(claims))
}

/// The client address used for rate limiting, behind `trusted_proxy_hops` proxies (see
/// [`krafto_web::forwarded::client_ip`]).
pub(crate) fn client_ip(req: &Request, trusted_proxy_hops: usize) -> Option<String> {
    krafto_web::forwarded::request_client_ip(req, trusted_proxy_hops)
}
