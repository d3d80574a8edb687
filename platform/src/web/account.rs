//! Storefront accounts: sign-in with an e-mailed code (the same code flow as the API; the
//! token is kept in an HttpOnly session cookie) and "My orders".

use super::{Chrome, Field, api_failure, render, summary};
use crate::commerce::orders;
use crate::ctx::Ctx;
use crate::{AppState, CurrentTenant};
use askama::Template;
use krafto_auth::UserClaims;
use krafto_core::Money;
use krafto_core::{Email, Role};
use krafto_db::models::OrderScope;
use poem::http::StatusCode;
use poem::web::{Form, Query, Redirect};
use poem::{FromRequest, IntoResponse, Request, RequestBody, Response, handler};
use serde::Deserialize;

pub(crate) const SESSION_COOKIE: &str = "krafto_session";

pub(crate) use krafto_web::pages::cookie;

/// The page session, verified once per request by the tenant gate: `Some` when the
/// request carried a session cookie, holding the claims when that token is valid for this
/// marketplace.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VerifiedSession(pub(crate) Option<UserClaims>);

/// Verifies the request's session cookie, if any, for `tenant` (called once, by the gate).
pub(crate) fn verify_session(
    req: &Request,
    state: &AppState,
    tenant: uuid::Uuid,
) -> Option<VerifiedSession> {
    let token = cookie(req, SESSION_COOKIE)?;
    Some(VerifiedSession(state.verifier.verify(&token, tenant).ok()))
}

/// The signed-in user of this marketplace, from the session cookie (a token of another
/// marketplace or an expired one counts as signed out). Read from what the gate verified.
pub(crate) fn session_user(req: &Request) -> Option<UserClaims> {
    req.extensions().get::<VerifiedSession>().and_then(|s| s.0)
}

/// Where a page's route sends a signed-out visitor to sign in, when it names the place
/// itself (`.data(SignInAt("/sign-in"))`: a form's post with no page to come back to);
/// otherwise the sign-in page leads back to the page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SignInAt(pub(crate) &'static str);

/// The signed-in user, with the page chrome built from their verified session, when they
/// hold one of `roles`; otherwise the answer to send: a redirect to sign in (then back to
/// `here`, or where the route's [`SignInAt`] says), or a branded 403 page naming the role
/// needed.
#[expect(
    clippy::result_large_err,
    reason = "the error is the page to answer with, made once per request"
)]
pub(crate) fn require_role(
    req: &Request,
    state: &AppState,
    tenant: &CurrentTenant,
    roles: &[Role],
    here: &str,
) -> Result<(Chrome, UserClaims), Response> {
    let Some(user) = session_user(req) else {
        let to = match req.data::<SignInAt>() {
            Some(at) => at.0.to_owned(),
            None => format!("/sign-in?next={}", krafto_core::text::percent_encode(here)),
        };
        return Err(Redirect::see_other(to).into_response());
    };
    let chrome = Chrome::for_user(req, state, tenant, Some(&user));
    if roles.contains(&user.role) {
        return Ok((chrome, user));
    }
    let heading = chrome.t("forbidden-title");
    let text = chrome.t1(
        "forbidden-role",
        "role",
        chrome.t(&format!("role-{}", user.role.as_str())),
    );
    Err(super::message(
        chrome,
        StatusCode::FORBIDDEN,
        &heading,
        &text,
    ))
}

/// A signed-in user of this marketplace on a page, with the page chrome built from their
/// session; anyone else is sent to sign in (then back here).
#[derive(Debug)]
pub(crate) struct SignedInPage<'a> {
    pub(crate) ctx: Ctx<'a>,
    pub(crate) chrome: Chrome,
    pub(crate) user: UserClaims,
}

/// A seller (or an operator) on a page; a buyer gets the branded 403 page.
#[derive(Debug)]
pub(crate) struct SellerPage<'a> {
    pub(crate) ctx: Ctx<'a>,
    pub(crate) chrome: Chrome,
    pub(crate) user: UserClaims,
}

/// An operator of this marketplace on a page; anyone else signed in gets the branded 403.
#[derive(Debug)]
pub(crate) struct OperatorPage<'a> {
    pub(crate) ctx: Ctx<'a>,
    pub(crate) chrome: Chrome,
    pub(crate) user: UserClaims,
}

impl OperatorPage<'_> {
    /// How the audit log names this operator.
    pub(crate) fn actor(&self) -> krafto_db::models::Actor {
        crate::api::operator_actor(&self.user)
    }
}

macro_rules! page_role {
    ($name:ident, $roles:expr) => {
        impl<'a> FromRequest<'a> for $name<'a> {
            async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
                let ctx = Ctx::of(req)?;
                let (chrome, user) = require_role(req, ctx.state, ctx.tenant, $roles, &here(req))
                    .map_err(poem::Error::from_response)?;
                Ok(Self { ctx, chrome, user })
            }
        }
    };
}

page_role!(SignedInPage, &[Role::Buyer, Role::Seller, Role::Operator]);
page_role!(SellerPage, &[Role::Seller, Role::Operator]);
page_role!(OperatorPage, &[Role::Operator]);

/// Where to come back to after signing in: this page; after a form's post (which cannot be
/// replayed by a redirect), the section it belongs to (`/admin`, `/sell`).
fn here(req: &Request) -> String {
    let uri = req.original_uri();
    if req.method() != poem::http::Method::GET {
        let section = uri.path().split('/').nth(1).unwrap_or_default();
        return format!("/{section}");
    }
    match uri.query() {
        Some(q) => format!("{}?{q}", uri.path()),
        None => uri.path().to_owned(),
    }
}

/// Adds the session cookie holding `token` to a response (after sign-in, or when a new
/// token carries a new role, e.g. after opening a shop). The cookie lives exactly as long as
/// the token.
pub(crate) fn set_session(
    r: &mut Response,
    token: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
) {
    let max_age = (expires_at - chrono::Utc::now()).num_seconds().max(0);
    if let Ok(v) = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}; Expires={}",
        expires_at.format("%a, %d %b %Y %H:%M:%S GMT")
    )
    .parse()
    {
        r.headers_mut().append("set-cookie", v);
    }
}

/// Only paths of this site are followed after signing in (never an open redirect: see
/// [`krafto_web::redirect`]); anything else leads to the buyer's orders.
fn local_path(next: &str) -> String {
    krafto_web::redirect::local_path_or(next, "/my/orders")
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    code_step: bool,
    email: String,
    /// The challenge of the code sent (the code step's hidden field).
    challenge: String,
    next: String,
    error: String,
}

impl SignInPage {
    fn email_field(&self) -> Field {
        Field::new("email", &self.chrome.t("field-email"), self.email.as_str())
            .kind("email")
            .autocomplete("email")
            .required()
    }

    fn code_field(&self) -> Field {
        Field::new("code", &self.chrome.t("field-code"), "")
            .autocomplete("one-time-code")
            .required()
            .attr("inputmode", "numeric")
            .attr("pattern", "[0-9]{6}")
            .attr("maxlength", "6")
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// `GET /sign-in`: asks for the e-mail address.
#[handler]
pub(crate) fn sign_in_page(ctx: Ctx<'_>, Query(q): Query<NextQuery>) -> Response {
    render(&SignInPage {
        chrome: Chrome::of(ctx.req, ctx.state, ctx.tenant),
        code_step: false,
        email: String::new(),
        challenge: String::new(),
        next: local_path(q.next.as_deref().unwrap_or("")),
        error: String::new(),
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct EmailForm {
    email: String,
    next: Option<String>,
}

/// `POST /sign-in`: sends the code and asks for it.
#[handler]
pub(crate) async fn send_code(ctx: Ctx<'_>, form: Form<EmailForm>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let next = local_path(form.next.as_deref().unwrap_or(""));
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(e) => {
            let mut r = render(&SignInPage {
                chrome,
                code_step: false,
                email: form.email.clone(),
                challenge: String::new(),
                next,
                error: e.0,
            });
            r.set_status(StatusCode::UNPROCESSABLE_ENTITY);
            return r;
        }
    };
    let ip = crate::api::client_ip(ctx.req, ctx.state.trusted_proxy_hops);
    let challenge = match crate::otp::start(ctx.state, ctx.tenant, &email, ip.as_deref()).await {
        Ok(challenge) => challenge,
        Err(e) if e.status.is_client_error() => {
            let mut r = render(&SignInPage {
                error: summary(&e, chrome.locale),
                chrome,
                code_step: false,
                email: email.as_str().to_owned(),
                challenge: String::new(),
                next,
            });
            r.set_status(e.status);
            return r;
        }
        Err(e) => return api_failure(chrome, &e),
    };
    render(&SignInPage {
        chrome,
        code_step: true,
        email: email.as_str().to_owned(),
        challenge: challenge.to_string(),
        next,
        error: String::new(),
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    email: String,
    code: String,
    #[serde(default)]
    challenge: String,
    next: Option<String>,
}

/// `POST /sign-in/code`: checks the code and opens the session.
#[handler]
pub(crate) async fn check_code(ctx: Ctx<'_>, form: Form<CodeForm>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let next = local_path(form.next.as_deref().unwrap_or(""));
    let retry = |chrome: Chrome, status: StatusCode, error: String| {
        let mut r = render(&SignInPage {
            chrome,
            code_step: true,
            email: form.email.clone(),
            challenge: form.challenge.clone(),
            next: next.clone(),
            error,
        });
        r.set_status(status);
        r
    };
    let Ok(email) = Email::parse(&form.email) else {
        let error = chrome.t("sign-in-bad-email");
        return retry(chrome, StatusCode::UNPROCESSABLE_ENTITY, error);
    };
    match crate::otp::verify(
        ctx.state,
        ctx.tenant,
        &email,
        form.code.trim(),
        &form.challenge,
    )
    .await
    {
        Ok(signed_in) => {
            let mut r = Redirect::see_other(&next).into_response();
            set_session(&mut r, &signed_in.token, signed_in.expires_at);
            r
        }
        Err(e) if e.status.is_client_error() => {
            let said = summary(&e, chrome.locale);
            retry(chrome, e.status, said)
        }
        Err(e) => api_failure(chrome, &e),
    }
}

/// `POST /sign-out`: ends the session: its token is revoked on every instance, and the
/// cookie forgotten.
#[handler]
pub(crate) async fn sign_out(ctx: Ctx<'_>) -> Response {
    if let Some(token) = cookie(ctx.req, SESSION_COOKIE)
        && let Err(e) = crate::sessions::end(ctx.state, ctx.tenant, &token).await
    {
        tracing::error!(error = %e.detail, "signing out could not revoke the session");
        return api_failure(Chrome::of(ctx.req, ctx.state, ctx.tenant), &e);
    }
    let mut r = Redirect::see_other("/").into_response();
    if let Ok(v) = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0").parse() {
        r.headers_mut().append("set-cookie", v);
    }
    // The account's cart stays with the account.
    super::buy::set_cart_count(&mut r, 0);
    r
}

struct OrderRow {
    number: String,
    status: String,
    total: String,
    date: String,
}

#[derive(Template)]
#[template(path = "my_orders.html")]
struct MyOrdersPage {
    chrome: Chrome,
    orders: Vec<OrderRow>,
}

/// `GET /my/orders`: the signed-in user's orders (sign in first otherwise: its route sends
/// to `/sign-in?next=/my/orders`, as its links have always named it).
#[handler]
pub(crate) async fn my_orders(page: SignedInPage<'_>) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let page = async {
        let mut tx = ctx.tx().await?;
        let p = orders::page(
            &mut tx,
            OrderScope::Buyer(user.user_id),
            None,
            None,
            Some(100),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, krafto_web::ApiError>(p)
    }
    .await;
    match page {
        Ok(p) => render(&MyOrdersPage {
            orders: p
                .items
                .into_iter()
                .map(|o| OrderRow {
                    status: super::buy::status_label(chrome.locale, &o.status),
                    total: chrome.locale.money(&Money::of(o.total_minor, &o.currency)),
                    date: chrome.locale.date(o.created_at.date_naive()),
                    number: o.number,
                })
                .collect(),
            chrome,
        }),
        Err(e) => api_failure(chrome, &e),
    }
}
