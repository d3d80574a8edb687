//! The storefront: server-rendered pages at each marketplace's host, branded with its
//! colours, logo, name and tagline (CSS variables over one stylesheet), progressively
//! enhanced with a vendored htmx. Pages read through the same domain code as the API
//! (search engine, catalog rules, commerce); nothing here decides a rule of its own.
//!
//! One module per part of the site (`store/` the public pages, `account` signing in, `buy`,
//! `sell`, `admin`, `report`); this file holds what every page shares: the marketplace's
//! chrome (filled into `templates/base.html`, which extends the kit's layout) and the message
//! page. The layout, the message page's markup, fields, field errors, flashes and rendering
//! are krafto-web's page kit; the pages' few enhancements are in `assets/krafto.js` (no
//! inline script).

pub(crate) mod account;
pub(crate) mod admin;
pub(crate) mod buy;
pub(crate) mod report;
pub(crate) mod sell;
mod store;

pub(crate) use store::home::home;
pub(crate) use store::{
    category_page, demo_picture, htmx, listing_page, script, search_page, shop_page, stylesheet,
};

use crate::{AppState, CurrentTenant};
use askama::Template;
use poem::Response;
use poem::http::StatusCode;

/// What every page shows around its content: the marketplace's brand.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    pub lang: String,
    pub name: String,
    pub logo_url: Option<String>,
    pub primary: String,
    pub accent: String,
    pub tagline: Option<String>,
    /// The search box's current text.
    pub query: String,
    /// The search box's placeholder, in the words of the marketplace's kind.
    pub search_hint: &'static str,
    pub test_mode: bool,
    /// A buyer is signed in (the header offers their orders and signing out).
    pub signed_in: bool,
    /// The signed-in user's role: sellers get a link to their dashboard, operators to the
    /// console.
    pub role: Option<krafto_core::Role>,
}

impl Chrome {
    pub(crate) fn of(req: &poem::Request, state: &AppState, t: &CurrentTenant) -> Self {
        Self::for_user(state, t, account::session_user(req).as_ref())
    }

    /// The chrome for a user whose session was already verified (no second check).
    pub(crate) fn for_user(
        state: &AppState,
        t: &CurrentTenant,
        user: Option<&krafto_auth::UserClaims>,
    ) -> Self {
        Self {
            signed_in: user.is_some(),
            role: user.map(|u| u.role),
            lang: t.locale.split('-').next().unwrap_or("en").to_owned(),
            name: t.display_name.clone(),
            logo_url: t.logo_url.clone(),
            primary: t.primary_color.clone(),
            accent: t.accent_color.clone(),
            tagline: t.tagline.clone(),
            query: String::new(),
            search_hint: match t.template.as_str() {
                "farm" => "Search fresh produce",
                "b2b" => "Search products and suppliers",
                _ => "Search handmade goods",
            },
            test_mode: state.test_mode(),
        }
    }
}

/// The page kit's message page in the marketplace's chrome.
#[derive(Template)]
#[template(path = "kit/message.html")]
struct MessagePage {
    chrome: Chrome,
    title: String,
    heading: String,
    text: String,
    back: (&'static str, String),
}

/// A message as a page of the marketplace (a refusal, an error, a confirmation): its status,
/// a heading, what to do next, and the way back to the marketplace.
pub(crate) fn message(chrome: Chrome, status: StatusCode, heading: &str, text: &str) -> Response {
    let mut r = render(&MessagePage {
        title: format!("{heading} · {}", chrome.name),
        back: ("/", format!("Back to {}", chrome.name)),
        chrome,
        heading: heading.to_owned(),
        text: text.to_owned(),
    });
    r.set_status(status);
    r
}

/// Maps a domain error to a page: 404s keep their explanation, anything else is a retry.
fn api_failure(chrome: Chrome, e: &krafto_web::ApiError) -> Response {
    if e.status == StatusCode::NOT_FOUND {
        message(chrome, StatusCode::NOT_FOUND, "Not found", &e.detail)
    } else {
        tracing::error!(error = %e.detail, "a page failed to load");
        message(
            chrome,
            e.status,
            "Something went wrong",
            "This page is unavailable for a moment. Please try again.",
        )
    }
}

pub(crate) use krafto_web::pages::{Field, Flash, attach, render, summary};
