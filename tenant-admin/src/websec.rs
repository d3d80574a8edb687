//! The web security of the staff console, wired from `krafto_web`: the form guard (every
//! console form must come from the console's own pages, with the staff session's token) and
//! the security headers of every answer. The rules live in `krafto_web::csrf` and
//! `krafto_web::headers`; nothing here decides one.

use crate::ControlState;
use krafto_web::csrf::{Brand, FormGuard};
use krafto_web::headers::SecurityHeaders;

/// The console's form guard. The JSON API (bearer tokens), its documents and the operational
/// endpoints are not forms.
pub(crate) fn form_guard(state: &ControlState) -> FormGuard {
    FormGuard::new(state.keys.form_key(), crate::console::STAFF_COOKIE)
        .same_site("Strict")
        .trust_forwarded_proto(state.trusted_proxy_hops > 0)
        .exempt("/control/v1")
        .exempt("/docs")
        .exempt("/openapi.json")
        .exempt("/healthz")
        .exempt("/readyz")
        .exempt("/metrics")
        .brand(|_| Brand {
            name: "Krafto".to_owned(),
            colours: None,
            body_class: "console",
        })
}

/// The headers of every answer; the API docs' viewer is the one inline script allowed.
pub(crate) fn security_headers(state: &ControlState) -> SecurityHeaders {
    SecurityHeaders::new(state.trusted_proxy_hops > 0).inline_scripts_under("/docs")
}
