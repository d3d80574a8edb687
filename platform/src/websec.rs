//! The web security of a marketplace's pages, wired from `krafto_web`: the form guard
//! (state-changing page requests must come from the marketplace's own pages, with the
//! session's token; its refusal page wears the marketplace's brand) and the security
//! headers of every answer. The rules themselves live in `krafto_web::csrf` and
//! `krafto_web::headers`; nothing here decides one.

use crate::{AppState, CurrentTenant};
use krafto_web::csrf::{Brand, FormGuard};
use krafto_web::headers::SecurityHeaders;

/// The form guard of the marketplace pages (inside the tenant gate, which it reads the
/// brand from). The API, with its bearer tokens, is not a form.
pub(crate) fn form_guard(state: &AppState) -> FormGuard {
    FormGuard::new(state.keys.form_key(), crate::web::account::SESSION_COOKIE)
        .trust_forwarded_proto(state.trusted_proxy_hops > 0)
        .exempt("/api/v1")
        // The largest body any page takes (the CSV import); tighter limits per route are
        // enforced before the guard reads.
        .max_body(crate::MAX_IMPORT_BODY_BYTES)
        .brand(|req| match req.extensions().get::<CurrentTenant>() {
            Some(t) => Brand {
                name: t.display_name.clone(),
                colours: Some((t.primary_color.clone(), t.accent_color.clone())),
                body_class: "",
            },
            None => Brand {
                name: "Krafto".to_owned(),
                ..Brand::default()
            },
        })
}

/// The headers of every answer; the API docs' viewer is the one inline script allowed.
///
/// Two forms lead off the page's own origin, and browsers hold a form's redirects to the
/// policy's `form-action`: a seller's payouts onboarding goes on to Stripe
/// (`connect.stripe.com`), and in test mode to the test onboarding page and back, on the
/// marketplace's own host as `KRAFTO_STOREFRONT_URL` writes it (whatever host or port the
/// page was opened on).
pub(crate) fn security_headers(state: &AppState) -> SecurityHeaders {
    let marketplaces = state
        .storefront(&format!("*.{}", state.base_domain))
        .trim_end_matches('/')
        .to_owned();
    SecurityHeaders::new(state.trusted_proxy_hops > 0)
        .inline_scripts_under("/docs")
        .form_action("https://connect.stripe.com")
        .form_action(marketplaces)
}
