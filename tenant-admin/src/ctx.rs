//! One request context for every control-plane handler and console page: the application
//! state and the request id, borrowed from the request. Handlers take [`Ctx`] (or a role
//! extractor beside it) instead of the same parameters again and again.
//!
//! Role extractors: the API's is the security scheme [`crate::api::Staff`] (answering the
//! 401 problem); the console's is [`crate::console::StaffPage`] (answering with the redirect
//! to the console's sign-in page).

use crate::ControlState;
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::{FromRequest, Request, RequestBody};

/// What a control-plane request carries, borrowed from the request (nothing is cloned).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub(crate) state: &'a ControlState,
    pub(crate) rid: &'a RequestId,
    pub(crate) req: &'a Request,
}

impl<'a> Ctx<'a> {
    /// The context of a request served by the control plane's app.
    pub(crate) fn of(req: &'a Request) -> ApiResult<Self> {
        let missing = |what: &str| {
            ApiError::internal(&format!(
                "{what} missing: route not inside the control plane's app"
            ))
        };
        Ok(Self {
            state: req
                .data::<ControlState>()
                .ok_or_else(|| missing("control-plane state"))?,
            rid: req
                .data::<RequestId>()
                .ok_or_else(|| missing("request id"))?,
            req,
        })
    }

    /// The request id as the audit log records it.
    pub(crate) fn request_id(&self) -> Option<String> {
        Some(self.rid.0.clone())
    }
}

impl<'a> FromRequest<'a> for Ctx<'a> {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        Self::of(req).map_err(Into::into)
    }
}

/// The client address staff login limits count by: the connection's peer, or behind
/// trusted proxies the address the outermost one saw.
pub(crate) fn client_addr(req: &Request) -> Option<String> {
    let hops = req
        .data::<ControlState>()
        .map_or(0, |s| s.trusted_proxy_hops);
    krafto_web::forwarded::request_client_ip(req, hops)
}
