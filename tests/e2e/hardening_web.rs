//! Web security of the pages (issue 11): forms refuse cross-site and token-less posts on the
//! storefront, the operator and seller pages and the staff console; every page carries the
//! security headers (HSTS and `Secure` cookies over https); sign-in never redirects off the
//! site.

use crate::catalog::{LYON, market};
use krafto_testkit::{Reply, STAFF_EMAIL, STAFF_PASSWORD, TestApp, WebSession};
use reqwest::{Method, StatusCode};

/// The marketplace's origin as a browser writes it in `Origin`.
const LYON_ORIGIN: &str = "http://lyon.krafto.test";
/// Another marketplace: the same site (registrable domain), another origin.
const EVIL_ORIGIN: &str = "http://evil.krafto.test";
/// The refusal page's sentence, in French and in English (a marketplace's pages speak its
/// locale; the staff console speaks English).
const REFUSED: [&str; 2] = [
    "Cette action doit venir de la page du site",
    "This action must come from the site’s own page",
];

/// Posts `form` to `path` on `host` (platform instance 0 or the console when `host` is
/// `None`) with exactly `headers`, as a page of another site (or a script) would.
async fn forge(
    app: &TestApp,
    host: Option<&str>,
    path: &str,
    headers: &[(&str, &str)],
    form: &[(&str, &str)],
) -> Reply {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = match host {
        Some(_) => format!("http://{}{path}", app.platforms[0]),
        None => app.admin_url(path),
    };
    let mut req = http.post(url).form(form);
    if let Some(h) = host {
        req = req.header("host", h);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    Reply::from_response(req.send().await.unwrap()).await
}

fn assert_refused(a: &Reply, what: &str) {
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{what}: {}", a.text);
    let content_type = a.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("text/html"),
        "{what}: {content_type}"
    );
    let sentence = if a.text.contains(r#"<html lang="fr">"#) {
        REFUSED[0]
    } else {
        assert!(a.text.contains(r#"<html lang="en">"#), "{what}: {}", a.text);
        REFUSED[1]
    };
    assert!(a.text.contains(sentence), "{what}: {}", a.text);
    assert!(
        a.text.contains(r#"class="button" href="/""#),
        "a link back: {}",
        a.text
    );
    assert!(
        !a.text.contains(r#""code""#),
        "never a problem body: {}",
        a.text
    );
}

/// The categories of Lyon as its operator's page lists them.
async fn category_page(app: &TestApp, operator: &str) -> String {
    let r = WebSession::storefront(app, LYON, Some(operator))
        .get("/admin/categories")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.text
}

#[tokio::test]
async fn a_form_posted_from_another_marketplace_changes_nothing() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let session = format!("krafto_session={}", m.operator);
    // What a page on evil.krafto.test can make the operator's browser send: the cookie (same
    // site), and the browser's own word of where the form comes from.
    for (i, headers) in [
        vec![("origin", EVIL_ORIGIN), ("sec-fetch-site", "same-site")],
        vec![("origin", EVIL_ORIGIN)],
        vec![("referer", "http://evil.krafto.test/prize.html")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("origin", "null")],
    ]
    .into_iter()
    .enumerate()
    {
        let mut headers = headers;
        headers.push(("cookie", &session));
        let name = format!("Forged {i}");
        let a = forge(
            &app,
            Some(LYON),
            "/admin/categories",
            &headers,
            &[("name", name.as_str()), ("slug", ""), ("parent_id", "")],
        )
        .await;
        assert_refused(&a, &format!("{headers:?}"));
    }
    assert!(!category_page(&app, &m.operator).await.contains("Forged"));
    // A cross-site sign-out or cart change is refused too.
    let a = forge(
        &app,
        Some(LYON),
        "/sign-out",
        &[("origin", EVIL_ORIGIN), ("cookie", &session)],
        &[],
    )
    .await;
    assert_refused(&a, "sign-out");
    let a = forge(
        &app,
        Some(LYON),
        "/cart/add",
        &[("origin", EVIL_ORIGIN)],
        &[("listing_id", "x")],
    )
    .await;
    assert_refused(&a, "cart");
}

#[tokio::test]
async fn a_staff_console_post_from_another_site_adds_no_operator() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let mut staff = WebSession::control(&app);
    let signed_in = staff
        .post(
            "/sign-in",
            &[("email", STAFF_EMAIL), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.text
    );
    let cookie = staff.cookie.clone().unwrap();
    let path = format!("/marketplaces/{id}/operators");
    for headers in [
        vec![
            ("origin", "http://evil.krafto.test"),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![("origin", "http://evil.krafto.test")],
        // The console's own origin, but no token of the session: a script, not the page.
        vec![],
    ] {
        let mut headers = headers;
        headers.push(("cookie", &cookie));
        let a = forge(
            &app,
            None,
            &path,
            &headers,
            &[
                ("email", "intruder@evil.example"),
                ("display_name", "Mallory"),
            ],
        )
        .await;
        assert_refused(&a, &format!("{headers:?}"));
        assert!(
            a.text.contains(r#"<html lang="en">"#),
            "the console speaks English"
        );
    }
    let page = staff.get(&format!("/marketplaces/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.text.contains("intruder@evil.example"),
        "{}",
        page.text
    );
    // From the page itself, the same form works.
    let added = staff
        .post(
            &path,
            &[("email", "ops@lyon.example"), ("display_name", "Camille")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert!(
        staff
            .get(&format!("/marketplaces/{id}"))
            .await
            .text
            .contains("ops@lyon.example")
    );
}

#[tokio::test]
async fn a_same_origin_post_needs_the_token_of_its_own_session() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let session = format!("krafto_session={}", m.operator);
    let fields = |name: &'static str| [("name", name), ("slug", ""), ("parent_id", "")];
    // The right origin, but nothing from the page.
    let a = forge(
        &app,
        Some(LYON),
        "/admin/categories",
        &[
            ("origin", LYON_ORIGIN),
            ("sec-fetch-site", "same-origin"),
            ("cookie", &session),
        ],
        &fields("No token"),
    )
    .await;
    assert_refused(&a, "no token");
    // A token taken from a page the attacker opened, under their own (anonymous) session.
    let mut visitor = WebSession::storefront(&app, LYON, None);
    let theirs = visitor.form_token().await.unwrap();
    let mut with_theirs = fields("Their token").to_vec();
    with_theirs.push(("_csrf", &theirs));
    let a = forge(
        &app,
        Some(LYON),
        "/admin/categories",
        &[("cookie", &session)],
        &with_theirs,
    )
    .await;
    assert_refused(&a, "another session's token");
    // The token of another marketplace's page, for the same session cookie.
    market(&app, "paris", false).await;
    let mut on_paris = WebSession::storefront(&app, &TestApp::host("paris"), Some(&m.operator));
    let paris_token = on_paris.form_token().await.unwrap();
    let a = forge(
        &app,
        Some(LYON),
        "/admin/categories",
        &[("cookie", &session), ("x-csrf-token", &paris_token)],
        &fields("Paris token"),
    )
    .await;
    assert_refused(&a, "another host's token");
    assert!(!category_page(&app, &m.operator).await.contains("token"));

    // The operator's own page gives the token: in the form, or in the header htmx sends.
    let mut operator = WebSession::storefront(&app, LYON, Some(&m.operator));
    let page = operator.get("/admin/categories").await;
    let token = page
        .text
        .split(r#"<input type="hidden" name="_csrf" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the form carries the token")
        .to_owned();
    let mut with_token = fields("Glass art").to_vec();
    with_token.push(("_csrf", &token));
    let a = forge(
        &app,
        Some(LYON),
        "/admin/categories",
        &[
            ("origin", LYON_ORIGIN),
            ("sec-fetch-site", "same-origin"),
            ("cookie", &session),
        ],
        &with_token,
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let a = forge(
        &app,
        Some(LYON),
        "/admin/categories",
        &[
            ("cookie", &session),
            ("x-csrf-token", &token),
            ("hx-request", "true"),
        ],
        &fields("Wood turning"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text);
    let list = category_page(&app, &m.operator).await;
    assert!(
        list.contains("Glass art") && list.contains("Wood turning"),
        "{list}"
    );
}

#[tokio::test]
async fn every_post_form_carries_the_token_and_get_forms_never_do() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let mut operator = WebSession::storefront(&app, LYON, Some(&m.operator));
    let page = operator.get("/admin/categories").await;
    let token = operator.form_token().await.unwrap();
    let hidden = format!(r#"<input type="hidden" name="_csrf" value="{token}">"#);
    let posts = page.text.matches(r#"method="post""#).count();
    assert!(posts >= 2, "{}", page.text);
    assert_eq!(page.text.matches(&hidden).count(), posts, "{}", page.text);
    for form in page.text.split("<form").skip(1) {
        let start_tag = form.split('>').next().unwrap();
        let after = &form[start_tag.len() + 1..];
        assert_eq!(
            after.starts_with(&hidden),
            start_tag.contains(r#"method="post""#),
            "<form{start_tag}>"
        );
    }
    assert!(
        page.text
            .contains(r#"<form class="search" action="/search" role="search">"#)
    );
    assert!(
        page.text.contains(&format!(
            r#"<body hx-headers='{{"X-CSRF-Token":"{token}"}}'>"#
        )),
        "htmx sends the token as a header"
    );

    // A visitor without a session gets an anonymous cookie with the session cookie's flags.
    let visitor = WebSession::storefront(&app, LYON, None)
        .get("/sign-in")
        .await;
    let cookie = visitor
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("krafto_csrf="))
        .expect("an anonymous cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(visitor.text.contains(
        r#"<form method="post" action="/sign-in"><input type="hidden" name="_csrf" value=""#
    ));

    // The console's forms too, with a strict cookie like the staff session's.
    let console = WebSession::control(&app).get("/sign-in").await;
    assert!(console.text.contains(r#"<form method="post" action="/sign-in" id="sign-in"><input type="hidden" name="_csrf" value=""#), "{}", console.text);
    let cookie = console.set_cookies().pop().unwrap();
    assert!(
        cookie.starts_with("krafto_csrf=") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
}

#[tokio::test]
async fn the_api_and_the_webhooks_are_not_forms() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let http = &app.http;
    let r = http
        .post(format!(
            "http://{}/api/v1/admin/categories",
            app.platforms[0]
        ))
        .header("host", LYON)
        .header("origin", EVIL_ORIGIN)
        .header("sec-fetch-site", "cross-site")
        .bearer_auth(&m.operator)
        .json(&serde_json::json!({ "name": "By the API" }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    let r = http
        .post(format!("http://{}/webhooks/stripe", app.platforms[0]))
        .header("origin", EVIL_ORIGIN)
        .header("stripe-signature", "t=1,v1=00")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), StatusCode::FORBIDDEN);
    let text = r.text().await.unwrap();
    assert!(!REFUSED.iter().any(|s| text.contains(s)), "{text}");
    let r = app.control(Method::GET, "/tenants", None).await;
    assert_eq!(r.status, StatusCode::OK);
}

/// The security headers every page must carry.
/// How the platform's forms may leave its pages: to Stripe's onboarding, and to the test
/// onboarding page on a marketplace host as the storefront URL writes it.
const PLATFORM_FORMS: &str = "'self' https://connect.stripe.com http://*.krafto.test";
const CONSOLE_FORMS: &str = "'self'";

fn assert_secured(r: &Reply, what: &str, https: bool, forms: &str) {
    let h = |name: &str| {
        r.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let csp = h("content-security-policy");
    let img = if https {
        "'self' https: data:"
    } else {
        "'self' https: http: data:"
    };
    assert_eq!(
        csp,
        format!(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src {img}; frame-ancestors 'none'; base-uri 'self'; form-action {forms}; \
             object-src 'none'"
        ),
        "{what}"
    );
    assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(
        h("referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    assert_eq!(h("x-frame-options"), "DENY", "{what}");
    let hsts = h("strict-transport-security");
    if https {
        assert_eq!(hsts, "max-age=31536000", "{what}");
    } else {
        assert_eq!(hsts, "", "no HSTS over http: {what}");
    }
}

#[tokio::test]
async fn every_page_of_both_servers_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let m = market(&app, "lyon", false).await;
    let mut visitor = WebSession::storefront(&app, LYON, None);
    for path in [
        "/",
        "/sign-in",
        "/cart",
        "/search?q=bol",
        "/no-such-page",
        "/admin",
    ] {
        let r = visitor.get(path).await;
        assert_secured(&r, path, false, PLATFORM_FORMS);
    }
    let mut operator = WebSession::storefront(&app, LYON, Some(&m.operator));
    for path in ["/admin", "/admin/settings", "/sell"] {
        let r = operator.get(path).await;
        assert_secured(&r, path, false, PLATFORM_FORMS);
    }
    let refused = forge(
        &app,
        Some(LYON),
        "/cart/add",
        &[("origin", EVIL_ORIGIN)],
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_secured(&refused, "the refusal page", false, PLATFORM_FORMS);
    let mut console = WebSession::control(&app);
    for path in ["/sign-in", "/", "/marketplaces/new"] {
        let r = console.get(path).await;
        assert_secured(&r, path, false, CONSOLE_FORMS);
    }
    // An answer of the API carries them too (an error page rendered by a browser is a page).
    let r = app
        .store(Method::GET, LYON, "/api/v1/store/tenant", None, None)
        .await;
    assert_secured(&r, "api", false, PLATFORM_FORMS);
}

#[tokio::test]
async fn over_https_pages_get_hsts_and_every_cookie_is_secure() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    // Both servers run behind the trusted proxy in the test app, which says https.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |url: String, host: Option<&'static str>| {
        let http = &http;
        async move {
            let mut req = http.get(url).header("x-forwarded-proto", "https");
            if let Some(h) = host {
                req = req.header("host", h);
            }
            Reply::from_response(req.send().await.unwrap()).await
        }
    };
    let page = get(format!("http://{}/sign-in", app.platforms[0]), Some(LYON)).await;
    assert_secured(&page, "storefront over https", true, PLATFORM_FORMS);
    let cookies = page.set_cookies();
    assert!(!cookies.is_empty());
    for c in &cookies {
        assert!(
            c.ends_with("; Secure") && c.contains("HttpOnly") && c.contains("SameSite=Lax"),
            "{c}"
        );
    }
    let console = get(app.admin_url("/sign-in"), None).await;
    assert_secured(&console, "console over https", true, CONSOLE_FORMS);
    for c in console.set_cookies() {
        assert!(
            c.contains("; Secure") && c.contains("HttpOnly") && c.contains("SameSite=Strict"),
            "{c}"
        );
    }
    // The staff session cookie, set by signing in over https.
    let mut staff = WebSession::control(&app);
    let token = staff.form_token().await.unwrap();
    let anonymous = staff.cookies();
    let r = http
        .post(app.admin_url("/sign-in"))
        .header("x-forwarded-proto", "https")
        .header("cookie", anonymous)
        .form(&[
            ("email", STAFF_EMAIL),
            ("password", STAFF_PASSWORD),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    let r = Reply::from_response(r).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let session = r.set_cookies().pop().unwrap();
    assert!(
        session.starts_with("krafto_staff=") && session.ends_with("; Secure"),
        "{session}"
    );
}

/// Signs in on Lyon through the pages with `next`, and returns where the code step sends.
async fn sign_in_then(app: &TestApp, email: &str, next: &str) -> String {
    let mut web = WebSession::storefront(app, LYON, None);
    let form = web
        .post("/sign-in", &[("email", email), ("next", next)])
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text);
    let challenge = form
        .text
        .split(r#"name="challenge" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let code = app.latest_code(email).unwrap();
    let r = web
        .post(
            "/sign-in/code",
            &[
                ("email", email),
                ("code", &code),
                ("challenge", &challenge),
                ("next", next),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    r.location().to_owned()
}

#[tokio::test]
async fn sign_in_never_sends_anyone_off_the_site() {
    let app = TestApp::spawn().await;
    app.create_tenant("lyon").await;
    for (i, next) in [
        "/\\evil.example",
        "/\t/evil.example",
        "//evil.example",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "https://evil.example/",
    ]
    .into_iter()
    .enumerate()
    {
        let to = sign_in_then(&app, &format!("buyer{i}@example.com"), next).await;
        assert_eq!(to, "/my/orders", "{next:?}");
    }
    assert_eq!(
        sign_in_then(&app, "seller@example.com", "/sell?step=profile").await,
        "/sell?step=profile",
        "a page of the site is followed"
    );
    // The sign-in page does not even carry the value into its form.
    let r = WebSession::storefront(&app, LYON, None)
        .get("/sign-in?next=%2F%5Cevil.example")
        .await;
    assert!(
        r.text.contains(r#"name="next" value="/my/orders""#),
        "{}",
        r.text
    );
}
