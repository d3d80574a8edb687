//! The page kit both servers' server-rendered pages share:
//! - the layout (`templates/kit/page.html`: head with the one stylesheet and the viewport of
//!   a phone, header, banner, main and footer slots), which each server's `base.html`
//!   extends, and the message page (`kit/message.html`: a heading, a sentence, a link back)
//!   for refusals, missing pages, errors and confirmations — servers read these through the
//!   template dirs of their `askama.toml`;
//! - the flash and the form-error banner (`kit/macros.html`);
//! - a labelled form [`Field`] (rendered here, so both servers print the same markup), and
//!   [`attach`], which puts the field problems of an [`ApiError`](crate::ApiError) on the
//!   fields and says what to show above the form;
//! - the [`Flash`] shown once after a redirect;
//! - rendering an askama template into a response, reading a cookie, and the stylesheet.
//!
//! No page and no rule lives here: which fields a form has, and what a flash says, belong to
//! the page that shows them. People never see machinery through the kit: a field problem is
//! shown on its field in the page's words, never under the API's name of the field.

mod field;
mod flash;

pub use field::{Field, attach, summary};
pub use flash::Flash;
pub use krafto_i18n::Locale;

use poem::http::StatusCode;
use poem::web::Html;
use poem::{IntoResponse, Request, Response};

/// A template as an HTML response; a template that fails to render is a logged 500.
pub fn render(page: &impl askama::Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be shown",
            )
                .into_response()
        }
    }
}

/// A cookie's value, if the request carries it.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    cookie_in(
        req.headers()
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok()),
        name,
    )
    .map(str::to_owned)
}

/// The value of the cookie `name` among `Cookie` header values.
pub fn cookie_in<'a>(values: impl IntoIterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    values
        .into_iter()
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The product's one stylesheet, served by both servers at `/assets/krafto.css`.
pub const STYLESHEET: &str = include_str!("../assets/krafto.css");

/// `GET /assets/krafto.css`: [`STYLESHEET`], cacheable for a day.
pub fn stylesheet() -> Response {
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header("cache-control", "public, max-age=86400")
        .body(STYLESHEET)
}
