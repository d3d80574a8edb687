//! The stylesheet, the pages' script, the vendored htmx and the generated demo pictures.

use poem::http::StatusCode;
use poem::web::Path;
use poem::{IntoResponse, Response, handler};

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

/// `GET /assets/demo/{name}.svg`: a generated placeholder picture for demo data (a colour
/// and the initials derived from the name), so the demo needs no image hosting.
#[handler]
pub(crate) fn demo_picture(Path(name): Path<String>) -> Response {
    let Some(stem) = name.strip_suffix(".svg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if stem.is_empty()
        || stem.len() > 80
        || !stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    let hash = stem
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let hue = hash % 360;
    let initials: String = stem
        .split('-')
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .take(2)
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_ascii_uppercase();
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" role="img"><rect width="400" height="400" fill="hsl({hue} 45% 62%)"/><circle cx="200" cy="200" r="120" fill="hsl({hue} 50% 80%)"/><text x="200" y="228" font-family="system-ui,sans-serif" font-size="96" font-weight="700" text-anchor="middle" fill="hsl({hue} 40% 25%)">{initials}</text></svg>"##
    );
    Response::builder()
        .content_type("image/svg+xml")
        .header("cache-control", "public, max-age=86400")
        .body(svg)
}
