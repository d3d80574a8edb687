//! Signing in to the console: the API's staff login, its token kept in the session cookie
//! (`HttpOnly`, `SameSite=Strict`); signing out forgets it.

use super::{Chrome, FormData, STAFF_COOKIE, session, value};
use crate::ctx::Ctx;
use askama::Template;
use krafto_web::pages::{Field, render, summary};
use poem::http::StatusCode;
use poem::web::{Form, Redirect};
use poem::{IntoResponse, Response, handler};

fn with_cookie(mut r: Response, value: &str) -> Response {
    if let Ok(v) = value.parse() {
        r.headers_mut().append("set-cookie", v);
    }
    r
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Option<Chrome>,
    email: String,
    error: String,
}

impl SignInPage {
    fn fields(&self) -> [Field; 2] {
        [
            Field::new("email", "E-mail", self.email.as_str())
                .kind("email")
                .autocomplete("username")
                .required(),
            Field::new("password", "Password", "")
                .kind("password")
                .autocomplete("current-password")
                .required(),
        ]
    }
}

/// `GET /sign-in`
#[handler]
pub(super) fn page(ctx: Ctx<'_>) -> Response {
    if session(&ctx).is_some() {
        return Redirect::see_other("/").into_response();
    }
    render(&SignInPage {
        chrome: None,
        email: String::new(),
        error: String::new(),
    })
}

/// `POST /sign-in`: the API's login; on success the token goes into the session cookie.
#[handler]
pub(super) async fn sign_in(ctx: Ctx<'_>, Form(form): FormData) -> Response {
    let email = value(&form, "email");
    let password = form.get("password").cloned().unwrap_or_default();
    let client = crate::ctx::client_addr(ctx.req);
    match crate::staff::login(ctx.state, &email, &password, client.as_deref()).await {
        Ok(t) => {
            let max_age = (t.expires_at - chrono::Utc::now()).num_seconds().max(0);
            with_cookie(
                Redirect::see_other("/").into_response(),
                &format!(
                    "{STAFF_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}",
                    t.token
                ),
            )
        }
        Err(e) => {
            let mut r = render(&SignInPage {
                chrome: None,
                email,
                error: if e.status == StatusCode::UNAUTHORIZED {
                    "Wrong e-mail or password.".to_owned()
                } else {
                    summary(&e, krafto_web::pages::Locale::En)
                },
            });
            r.set_status(e.status);
            r
        }
    }
}

/// `POST /sign-out`: revokes the session's token on every instance and forgets the cookie.
#[handler]
pub(super) async fn sign_out(ctx: Ctx<'_>) -> Response {
    if let Some(token) = krafto_web::pages::cookie(ctx.req, STAFF_COOKIE)
        && let Err(e) = crate::staff::sign_out(ctx.state, &token).await
    {
        tracing::error!(error = %e.detail, "signing out could not revoke the staff session");
        let mut r = render(&SignInPage {
            chrome: None,
            email: String::new(),
            error: "Signing out did not work; try again.".to_owned(),
        });
        r.set_status(e.status);
        return r;
    }
    with_cookie(
        Redirect::see_other("/sign-in").into_response(),
        &format!("{STAFF_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    )
}
