//! The web security of a marketplace's pages, wired from `krafto_web`: the form guard
//! (state-changing page requests must come from the marketplace's own pages, with the
//! session's token; its refusal page wears the marketplace's brand) and the security
//! headers of every answer. The rules themselves live in `krafto_web::csrf` and
//! `krafto_web::headers`; nothing here decides one.

use crate::{AppState, CurrentTenant};
use krafto_web::csrf::FormGuard;
use krafto_web::headers::SecurityHeaders;
use krafto_web::notice::{Asked, Brand, Locale, ProblemPages};

/// The form guard of the marketplace pages (inside the tenant gate, which it reads the
/// brand from). The API, with its bearer tokens, is not a form.
pub(crate) fn form_guard(state: &AppState) -> FormGuard {
    FormGuard::new(state.keys.form_key(), crate::web::account::SESSION_COOKIE)
        .trust_forwarded_proto(state.trusted_proxy_hops > 0)
        .exempt("/api/v1")
        // The largest body any page takes (a picture upload); tighter limits per route are
        // enforced before the guard reads.
        .max_body(crate::MAX_UPLOAD_BODY_BYTES.max(crate::MAX_IMPORT_BODY_BYTES))
        .brand(|req| {
            req.extensions().get::<CurrentTenant>().map_or_else(
                || Brand::krafto(Locale::Fr),
                |t| brand(t, crate::web::locale_of(req, t)),
            )
        })
}

/// What a marketplace's own pages (refusals, problems) show of it, in `lang`.
fn brand(t: &krafto_db::models::Tenant, lang: Locale) -> Brand {
    Brand {
        name: t.display_name.clone(),
        colours: Some((t.primary_color.clone(), t.accent_color.clone())),
        body_class: "",
        lang,
    }
}

/// The pages for problems met before a marketplace's page answered (a body too large, an
/// unreadable request, a deadline passed, too many attempts), in the brand of the
/// marketplace the host names when it is cached (the database is never asked: it may be what
/// failed). The API, webhooks, documents and probes keep their problems.
pub(crate) fn problem_pages(state: &AppState) -> ProblemPages {
    let tenants = state.tenants.clone();
    ProblemPages::new(move |asked: Asked| {
        let tenants = tenants.clone();
        async move {
            let chosen = asked
                .cookie(crate::web::LANG_COOKIE)
                .and_then(Locale::parse);
            tenants.cached(&asked.host).await.map_or_else(
                || Brand::krafto(chosen.unwrap_or_default()),
                |t| brand(&t, chosen.unwrap_or_else(|| Locale::of_tag(&t.locale))),
            )
        }
    })
    .exempt("/api")
    .exempt("/webhooks")
    .exempt("/docs")
    .exempt("/openapi.json")
    .exempt("/healthz")
    .exempt("/readyz")
    .exempt("/metrics")
    .exempt("/assets")
    .exempt("/test-mode")
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
