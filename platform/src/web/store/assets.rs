//! The stylesheet, the pages' script and the vendored htmx.

use poem::{Response, handler};

/// `GET /assets/krafto.css`: the one stylesheet.
#[handler]
pub(crate) fn stylesheet() -> Response {
    asset(krafto_web::pages::STYLESHEET, "text/css; charset=utf-8")
}

/// `GET /assets/krafto.js`: the pages' small enhancements (the branding preview, reading a
/// CSV file into the import form), so that no page carries an inline script.
#[handler]
pub(crate) fn script() -> Response {
    asset(
        include_str!("../../../assets/krafto.js"),
        "text/javascript; charset=utf-8",
    )
}

/// `GET /assets/htmx-2.0.11.min.js`: htmx, vendored from its npm package (licence in
/// `platform/assets/htmx-LICENSE.txt`).
#[handler]
pub(crate) fn htmx() -> Response {
    asset(
        include_str!("../../../assets/htmx-2.0.11.min.js"),
        "text/javascript; charset=utf-8",
    )
}

fn asset(body: &'static str, content_type: &str) -> Response {
    Response::builder()
        .content_type(content_type)
        .header("cache-control", "public, max-age=86400")
        .body(body)
}
