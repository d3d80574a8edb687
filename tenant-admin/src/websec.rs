//! The web security of the staff console, wired from `krafto_web`: the form guard (every
//! console form must come from the console's own pages, with the staff session's token) and
//! the security headers of every answer. The rules live in `krafto_web::csrf` and
//! `krafto_web::headers`; nothing here decides one.

use crate::ControlState;
use krafto_web::csrf::FormGuard;
use krafto_web::headers::SecurityHeaders;
use krafto_web::notice::{Brand, Locale, ProblemPages};

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
        .brand(|_| console_brand())
}

/// What the console's own pages (refusals, problems) show: Krafto's staff console, in
/// English.
fn console_brand() -> Brand {
    Brand {
        body_class: "console",
        ..Brand::krafto(Locale::En)
    }
}

/// The console's pages for problems met before a page answered (a body too large, an
/// unreadable request, a deadline passed); the API and the operational endpoints keep their
/// problems.
pub(crate) fn problem_pages() -> ProblemPages {
    ProblemPages::new(|_| async { console_brand() })
        .exempt("/control/v1")
        .exempt("/docs")
        .exempt("/openapi.json")
        .exempt("/healthz")
        .exempt("/readyz")
        .exempt("/metrics")
        .exempt("/assets")
}

/// The headers of every answer; the API docs' viewer is the one inline script allowed.
pub(crate) fn security_headers(state: &ControlState) -> SecurityHeaders {
    SecurityHeaders::new(state.trusted_proxy_hops > 0).inline_scripts_under("/docs")
}
