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
pub(crate) mod me;
pub(crate) mod refunds;
pub(crate) mod report;
pub(crate) mod sell;
mod store;
pub(crate) mod upload;

pub(crate) use store::home::home;
pub(crate) use store::{
    category_page, days, htmx, legal_page, listing_page, media_file, script, search_page,
    shop_page, stylesheet,
};

use crate::{AppState, CurrentTenant};
use askama::Template;
use krafto_i18n::Locale;
use poem::http::StatusCode;
use poem::web::Redirect;
use poem::{IntoResponse, Response};

/// What every page shows around its content: the marketplace's brand.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    /// The language of the page: the visitor's choice (the `krafto_lang` cookie), else the
    /// marketplace's.
    pub locale: Locale,
    pub name: String,
    pub logo_url: Option<String>,
    /// The uploaded logo (wins over `logo_url`), shown 40 pixels tall.
    pub logo: Option<HeaderLogo>,
    pub primary: String,
    pub accent: String,
    pub tagline: Option<String>,
    /// The search box's current text.
    pub query: String,
    /// The search box's placeholder, in the words of the marketplace's kind.
    pub search_hint: String,
    pub test_mode: bool,
    /// The marketplace's plan names Krafto ("Powered by Krafto" in the footer).
    pub powered_by: bool,
    /// A buyer is signed in (the header offers their orders and signing out).
    pub signed_in: bool,
    /// The signed-in user's role: sellers get a link to their dashboard, operators to the
    /// console.
    pub role: Option<krafto_core::Role>,
    /// Units in the visitor's cart, as the cart pages last counted them (a cookie: the
    /// header costs no query).
    pub cart_count: u32,
}

impl Chrome {
    pub(crate) fn of(req: &poem::Request, state: &AppState, t: &CurrentTenant) -> Self {
        Self::for_user(req, state, t, account::session_user(req).as_ref())
    }

    /// The chrome for a user whose session was already verified (no second check).
    pub(crate) fn for_user(
        req: &poem::Request,
        state: &AppState,
        t: &CurrentTenant,
        user: Option<&krafto_auth::UserClaims>,
    ) -> Self {
        let locale = locale_of(req, t);
        Self {
            signed_in: user.is_some(),
            role: user.map(|u| u.role),
            locale,
            name: t.display_name.clone(),
            powered_by: t.powered_by,
            logo_url: t.logo_url.clone(),
            logo: krafto_web::views::stored_image(t.logo_image.as_ref()).map(|i| HeaderLogo {
                src: i.src_at_least(HeaderLogo::HEIGHT * 4),
                srcset: i.srcset(),
                width: i.width_at(HeaderLogo::HEIGHT),
            }),
            primary: t.primary_color.clone(),
            accent: t.accent_color.clone(),
            tagline: t.tagline.clone(),
            query: String::new(),
            search_hint: locale.t(match t.template.as_str() {
                "farm" => "search-hint-farm",
                "b2b" => "search-hint-b2b",
                _ => "search-hint-handmade",
            }),
            test_mode: state.test_mode(),
            cart_count: buy::cart_count(req),
        }
    }
}

/// The marketplace's uploaded logo in the page header: `height` CSS pixels tall, its width
/// following the picture's shape, the browser choosing among the stored widths.
#[derive(Debug, Clone)]
pub(crate) struct HeaderLogo {
    pub src: String,
    pub srcset: String,
    /// The width shown, in CSS pixels (the `sizes` of the `srcset`).
    pub width: i32,
}

impl HeaderLogo {
    /// The header's logo height, in CSS pixels.
    pub(crate) const HEIGHT: i32 = 40;
}

impl Chrome {
    /// The message `key` in the page's language.
    pub(crate) fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    /// The message `key` with one variable.
    pub(crate) fn t1(&self, key: &str, name: &str, value: impl Into<krafto_i18n::Arg>) -> String {
        self.locale.t_args(key, &[(name, value.into())])
    }

    /// The message `key` with two variables.
    pub(crate) fn t2(
        &self,
        key: &str,
        n1: &str,
        v1: impl Into<krafto_i18n::Arg>,
        n2: &str,
        v2: impl Into<krafto_i18n::Arg>,
    ) -> String {
        self.locale.t_args(key, &[(n1, v1.into()), (n2, v2.into())])
    }

    /// The other languages the visitor may switch to.
    pub(crate) fn other_locales(&self) -> Vec<Locale> {
        Locale::ALL
            .into_iter()
            .filter(|l| *l != self.locale)
            .collect()
    }
}

/// The cookie holding a visitor's choice of language.
pub(crate) const LANG_COOKIE: &str = "krafto_lang";

/// The language of a page: the visitor's choice, else the marketplace's locale.
pub(crate) fn locale_of(req: &poem::Request, t: &CurrentTenant) -> Locale {
    krafto_web::pages::cookie(req, LANG_COOKIE)
        .and_then(|c| Locale::parse(&c))
        .unwrap_or_else(|| Locale::of_tag(&t.locale))
}

/// `GET /language/{code}`: remembers the visitor's language for a year and goes back to
/// the page they were on (a path of this site), or home.
#[poem::handler]
pub(crate) fn choose_language(req: &poem::Request) -> Response {
    let code = req.raw_path_param("code").unwrap_or_default();
    let host = req.header("host").unwrap_or_default();
    let back = krafto_web::notice::back_path(req.header("referer"), host);
    let Some(locale) = Locale::parse(code) else {
        return Redirect::see_other(back).into_response();
    };
    let secure = req.uri().scheme_str() == Some("https");
    let mut r = Redirect::see_other(back).into_response();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{}",
        locale.code(),
        if secure { "; Secure" } else { "" }
    );
    if let Ok(v) = poem::http::HeaderValue::from_str(&cookie) {
        r.headers_mut().append(poem::http::header::SET_COOKIE, v);
    }
    r
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
        back: ("/", chrome.t1("back-to", "name", chrome.name.as_str())),
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
        not_found(chrome)
    } else {
        tracing::error!(error = %e.detail, "a page failed to load");
        let (heading, text) = (chrome.t("notice-500-title"), chrome.t("notice-500-text"));
        message(chrome, e.status, &heading, &text)
    }
}

/// The branded 404 page, in the page's language.
pub(crate) fn not_found(chrome: Chrome) -> Response {
    let (heading, text) = (chrome.t("notice-404-title"), chrome.t("notice-404-text"));
    message(chrome, StatusCode::NOT_FOUND, &heading, &text)
}

pub(crate) use krafto_web::pages::{Field, Flash, attach, render, summary};
