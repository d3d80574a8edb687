//! The control plane's web console for Krafto staff, at `/`: sign-in, the marketplace list
//! with search, creating a marketplace from a template, and a marketplace's page (branding,
//! fees, domains, feature flags, suspension, Stripe Connect, operators, audit log).
//!
//! Pages are server-rendered and work without JavaScript. Every change goes through the
//! same functions as the JSON API (`marketplaces`, `provision`, `operators`, `stripe`);
//! this module only turns forms into those functions' inputs and their answers (or errors)
//! into pages. It must never decide a rule of its own.
//!
//! One file per resource: `sign_in` (the session), `marketplaces` (the list, search and
//! creating one), `marketplace` (a marketplace's page and its forms). This module holds the
//! routes, the [`StaffPage`] role extractor and the page helpers they share; the layout
//! (`templates/base.html` extends the kit's), the message page, fields, their errors, the
//! flash and the stylesheet are krafto-web's page kit.
//!
//! Session: the staff token from the API's login lives in an `HttpOnly`, `SameSite=Strict`
//! cookie. The POST forms are protected against cross-site requests by the server's form
//! guard (`krafto_web::csrf`, wired in `crate::websec`): a post must come from the console's
//! own origin and carry the session's form token, which the guard puts in every form;
//! anything else is refused before it reaches these handlers.

mod marketplace;
mod marketplaces;
mod sign_in;

use crate::ControlState;
use crate::ctx::Ctx;
use askama::Template;
use krafto_api_types::control::TemplateName;
use krafto_auth::StaffIdentity;
use krafto_db::models::Actor;
use krafto_web::ApiError;
use krafto_web::pages::{cookie, render, stylesheet, summary};
use poem::http::StatusCode;
use poem::web::{Form, Redirect};
use poem::{FromRequest, IntoResponse, Request, RequestBody, Response, Route, get, post};
use std::collections::BTreeMap;

/// The cookie holding the staff token.
pub(crate) const STAFF_COOKIE: &str = "krafto_staff";

/// Adds the console's routes to the server's.
pub(crate) fn routes(route: Route) -> Route {
    route
        .at("/", get(marketplaces::list))
        .at("/sign-in", get(sign_in::page).post(sign_in::sign_in))
        .at("/sign-out", post(sign_in::sign_out))
        .at(
            "/marketplaces/new",
            get(marketplaces::new_page).post(marketplaces::create),
        )
        .at("/marketplaces/:id", get(marketplace::page))
        .at("/marketplaces/:id/:action", post(marketplace::submit))
        .at(
            "/assets/krafto.css",
            get(poem::endpoint::make_sync(|_| stylesheet())),
        )
}

type FormData = Form<BTreeMap<String, String>>;

fn value(form: &BTreeMap<String, String>, key: &str) -> String {
    form.get(key)
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

fn non_empty(form: &BTreeMap<String, String>, key: &str) -> Option<String> {
    Some(value(form, key)).filter(|v| !v.is_empty())
}

/// The signed-in staff member, from the session cookie (an invalid, expired or revoked
/// token counts as signed out).
fn session(ctx: &Ctx<'_>) -> Option<StaffIdentity> {
    let token = cookie(ctx.req, STAFF_COOKIE)?;
    crate::staff::verify(ctx.state, &token).map(|s| s.identity)
}

/// A signed-in staff member on a console page. Without a valid session the request is
/// answered with the redirect to the sign-in page (carried as the extractor's error), and
/// nothing is changed.
pub(crate) struct StaffPage<'a> {
    pub(crate) ctx: Ctx<'a>,
    pub(crate) chrome: Chrome,
    pub(crate) staff: StaffIdentity,
}

impl StaffPage<'_> {
    /// How the audit log names this staff member.
    pub(crate) fn actor(&self) -> Actor {
        crate::staff::actor(&self.staff)
    }
}

impl<'a> FromRequest<'a> for StaffPage<'a> {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let ctx = Ctx::of(req)?;
        let Some(staff) = session(&ctx) else {
            return Err(poem::Error::from_response(
                Redirect::see_other("/sign-in").into_response(),
            ));
        };
        Ok(Self {
            chrome: Chrome::of(&staff, ctx.state),
            ctx,
            staff,
        })
    }
}

/// What every signed-in page shows around its content.
pub(crate) struct Chrome {
    staff: String,
    test_mode: bool,
}

impl Chrome {
    fn of(staff: &StaffIdentity, state: &ControlState) -> Self {
        Self {
            staff: staff.email.clone(),
            test_mode: state.test_mode(),
        }
    }
}

/// The page kit's message page in the console's chrome.
#[derive(Template)]
#[template(path = "kit/message.html")]
struct MessagePage {
    chrome: Option<Chrome>,
    title: String,
    heading: String,
    text: String,
    back: (&'static str, &'static str),
}

fn message(chrome: Option<Chrome>, status: StatusCode, heading: &str, text: &str) -> Response {
    let mut r = render(&MessagePage {
        chrome,
        title: format!("{heading} · Krafto"),
        heading: heading.to_owned(),
        text: text.to_owned(),
        back: ("/", "Back to the marketplaces"),
    });
    r.set_status(status);
    r
}

/// An error of the domain as a page with its status.
fn failure(chrome: Chrome, e: &ApiError) -> Response {
    if e.status.is_server_error() {
        tracing::error!(error = %e.detail, code = %e.code, "a console page failed");
    }
    let heading = if e.status == StatusCode::NOT_FOUND {
        "Not found"
    } else {
        "That did not work"
    };
    message(
        Some(chrome),
        e.status,
        heading,
        &summary(e, krafto_web::pages::Locale::En),
    )
}

/// How a template is named on the console's pages.
fn template_label(t: TemplateName) -> &'static str {
    match t {
        TemplateName::Handmade => "handmade",
        TemplateName::Farm => "farm",
        TemplateName::B2b => "b2b",
    }
}
