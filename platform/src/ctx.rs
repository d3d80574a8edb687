//! One request context for every handler and page on a marketplace host: the application
//! state, the marketplace the host gate resolved, the request id, and the page session the
//! gate verified. Handlers take [`Ctx`] (or a role extractor built on it) instead of the same
//! four parameters again and again.
//!
//! Role extractors: the API's are security schemes in [`crate::api`] (`UserAuth`,
//! `Operator`, `Seller`), answering 401/403 problems; the pages' are in
//! [`crate::web::account`] (`SignedInPage`, `SellerPage`, `OperatorPage`), answering with a
//! sign-in redirect or a branded 403 page.

use crate::{AppState, CurrentTenant};
use krafto_auth::UserClaims;
use krafto_db::{TenantScope, TenantTx};
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::{FromRequest, Request, RequestBody};

/// What a request on a marketplace host carries, borrowed from the request (nothing is
/// cloned). Only routes behind the tenant gate can extract it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub(crate) state: &'a AppState,
    pub(crate) tenant: &'a CurrentTenant,
    pub(crate) rid: &'a RequestId,
    pub(crate) req: &'a Request,
}

impl<'a> Ctx<'a> {
    /// The door to this marketplace's data.
    pub(crate) fn scope(&self) -> TenantScope {
        self.tenant.scope()
    }

    /// Opens a transaction scoped to this marketplace.
    pub(crate) async fn tx(&self) -> ApiResult<TenantTx> {
        Ok(self.state.db.tenant(&self.tenant.scope()).await?)
    }

    /// The page session's user, when the request carries a valid session cookie of this
    /// marketplace (verified once by the gate).
    pub(crate) fn session(&self) -> Option<UserClaims> {
        crate::web::account::session_user(self.req)
    }
}

impl<'a> FromRequest<'a> for Ctx<'a> {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Self::of(req).map_err(Into::into)
    }
}

impl<'a> Ctx<'a> {
    /// The context of a request that passed the tenant gate.
    pub(crate) fn of(req: &'a Request) -> ApiResult<Self> {
        let missing = |what: &str| {
            ApiError::internal(&format!("{what} missing: route not behind the tenant gate"))
        };
        Ok(Self {
            state: req
                .data::<AppState>()
                .ok_or_else(|| missing("application state"))?,
            tenant: req
                .extensions()
                .get::<CurrentTenant>()
                .ok_or_else(|| missing("marketplace"))?,
            rid: req
                .extensions()
                .get::<RequestId>()
                .ok_or_else(|| missing("request id"))?,
            req,
        })
    }
}
