//! The control-plane console, driven over HTTP like a browser without JavaScript: sign-in
//! and its cookie, the marketplace list and search, creating a marketplace from a template,
//! and a marketplace's page (branding, domains, status, Stripe, operators, audit log). Each
//! change is checked where it lands: the API, the storefront, the audit log.

use krafto_core::text::percent_encode;
use krafto_testkit::{AppOptions, Reply, STAFF_EMAIL, STAFF_PASSWORD, TestApp, WebSession};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::time::{Duration, Instant};

/// What staff do in the console beyond plain requests.
trait Staff {
    /// Signs in through the form; the session keeps the cookie.
    async fn sign_in(&mut self);
    /// Posts a form of the page that expects a redirect back to it; returns the target.
    async fn post_ok(&mut self, path: &str, fields: &[(&str, &str)]) -> String;
}

impl Staff for WebSession {
    async fn sign_in(&mut self) {
        let r = self
            .post(
                "/sign-in",
                &[("email", STAFF_EMAIL), ("password", STAFF_PASSWORD)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
        assert!(
            self.cookie
                .as_deref()
                .is_some_and(|c| c.starts_with("krafto_staff=")),
            "a session cookie: {:?}",
            r.set_cookies()
        );
    }

    async fn post_ok(&mut self, path: &str, fields: &[(&str, &str)]) -> String {
        let r = self.post(path, fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.text);
        r.location().to_owned()
    }
}

async fn signed_in(app: &TestApp) -> WebSession {
    let mut b = WebSession::control(app);
    b.sign_in().await;
    b
}

/// The marketplace as the API shows it.
async fn tenant(app: &TestApp, id: &str) -> serde_json::Value {
    let r = app
        .control(Method::GET, &format!("/tenants/{id}"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body
}

async fn tenant_count(app: &TestApp) -> usize {
    let r = app.control(Method::GET, "/tenants", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.body["items"].as_array().unwrap().len()
}

/// Polls the storefront's tenant endpoint on `host` until `done` holds (at most 5 s).
async fn until_store(app: &TestApp, host: &str, done: impl Fn(&Reply) -> bool) {
    let started = Instant::now();
    loop {
        let r = app
            .store(Method::GET, host, "/api/v1/store/tenant", None, None)
            .await;
        if done(&r) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{host} still answers {} {}",
            r.status,
            r.text
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn signed_out_console_pages_redirect_to_sign_in_and_change_nothing() {
    let app = TestApp::spawn().await;
    let mut b = WebSession::control(&app);
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    for path in ["/", "/marketplaces/new", &format!("/marketplaces/{id}")] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(r.location(), "/sign-in", "{path}");
    }
    // A form posted without the session (e.g. from another site) is not acted on.
    let r = b
        .post(
            "/marketplaces/new",
            &[
                ("slug", "paris"),
                ("name", "Paris"),
                ("template", "handmade"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/sign-in");
    let r = b
        .post(
            &format!("/marketplaces/{id}/status"),
            &[("status", "suspended"), ("suspended_reason", "forged")],
        )
        .await;
    assert_eq!(r.location(), "/sign-in");
    assert_eq!(tenant_count(&app).await, 1);
    let api = tenant(&app, id).await;
    assert_eq!(api["status"], "active");

    // A forged or stale cookie is no session.
    b.cookie = Some("krafto_staff=not-a-token".to_owned());
    let r = b.get("/").await;
    assert_eq!(r.location(), "/sign-in");

    let r = b.get("/sign-in").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text
            .contains(r#"<form method="post" action="/sign-in" id="sign-in">"#)
    );
    assert!(r.text.contains(r#"<label for="password">Password</label>"#));

    let css = app.admin_raw(Method::GET, "/assets/krafto.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.text.contains("/* --- control-plane console --- */"));
}

#[tokio::test]
async fn a_wrong_password_shows_an_error_and_sets_no_cookie_and_sign_out_forgets_the_session() {
    let app = TestApp::spawn().await;
    let mut b = WebSession::control(&app);
    let r = b
        .post(
            "/sign-in",
            &[("email", STAFF_EMAIL), ("password", "not the password")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text.contains("Wrong e-mail or password."), "{}", r.text);
    assert!(
        r.text.contains(&format!(r#"value="{STAFF_EMAIL}""#)),
        "the e-mail is kept"
    );
    assert!(r.set_cookies().is_empty(), "{:?}", r.set_cookies());
    let r = b
        .post(
            "/sign-in",
            &[
                ("email", "nobody@krafto.test"),
                ("password", STAFF_PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.set_cookies().is_empty());

    let r = b
        .post(
            "/sign-in",
            &[("email", STAFF_EMAIL), ("password", STAFF_PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    let cookie = r.set_cookies().pop().unwrap();
    assert!(cookie.starts_with("krafto_staff="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    b.cookie = Some(cookie.split(';').next().unwrap().to_owned());
    let r = b.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains(STAFF_EMAIL),
        "the page names who is signed in"
    );
    assert!(r.text.contains(r#"id="sign-out""#));
    // Signed in, the sign-in page sends to the list.
    assert_eq!(b.get("/sign-in").await.location(), "/");

    let r = b.post("/sign-out", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/sign-in");
    let cleared = r.set_cookies().pop().unwrap();
    assert!(cleared.starts_with("krafto_staff=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
}

#[tokio::test]
async fn staff_create_a_marketplace_from_a_template_and_bad_input_is_named_and_kept() {
    let app = TestApp::spawn().await;
    let mut b = signed_in(&app).await;
    let r = b.get("/marketplaces/new").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains(r#"id="create-tenant""#));
    assert!(
        r.text
            .contains(r#"id="template-farm" name="template" value="farm""#)
    );

    let r = b
        .post(
            "/marketplaces/new",
            &[
                ("template", "farm"),
                ("slug", "Bad Slug!"),
                ("name", "Ferme du Coin"),
                ("tagline", "Fresh every day"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains(r#"id="slug-error" class="error">"#),
        "{}",
        r.text
    );
    assert!(
        !r.text.contains("slug: "),
        "the note is the field's own, never under the API's name"
    );
    assert!(r.text.contains(r#"aria-invalid="true""#));
    assert!(r.text.contains(r#"value="Bad Slug!""#), "the slug is kept");
    assert!(
        r.text.contains(r#"value="Ferme du Coin""#),
        "the name is kept"
    );
    assert!(
        r.text.contains(r#"value="Fresh every day""#),
        "the tagline is kept"
    );
    assert!(
        r.text.contains(r#"value="farm" checked"#),
        "the template is kept"
    );
    assert_eq!(tenant_count(&app).await, 0, "nothing was created");

    let r = b
        .post(
            "/marketplaces/new",
            &[("template", "villa"), ("slug", "ferme"), ("name", "Ferme")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text
            .contains(r#"id="template-error" class="error">choose handmade, farm or b2b<"#),
        "{}",
        r.text
    );
    assert_eq!(tenant_count(&app).await, 0);

    let to = b
        .post_ok(
            "/marketplaces/new",
            &[
                ("template", "farm"),
                ("slug", "ferme"),
                ("name", "Ferme du Coin"),
                ("locale", "fr-FR"),
                ("tagline", "Fresh every day"),
            ],
        )
        .await;
    let id = to
        .strip_prefix("/marketplaces/")
        .and_then(|s| s.strip_suffix("?done=created"))
        .unwrap_or_else(|| panic!("{to}"))
        .to_owned();
    let api = tenant(&app, &id).await;
    assert_eq!(api["slug"], "ferme");
    assert_eq!(api["template"], "farm");
    assert_eq!(api["locale"], "fr-FR");
    assert_eq!(api["branding"]["tagline"], "Fresh every day");

    let page = b.get(&to).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Marketplace created."));
    assert!(
        page.text
            .contains(r#"<h1 id="tenant-name">Ferme du Coin</h1>"#)
    );
    assert!(page.text.contains("ferme · farm · EUR · fr-FR"));
    assert!(page.text.contains(r#"id="add-operator""#));

    let list = b.get("/").await;
    assert!(
        list.text.contains(r#"<tr id="tenant-ferme""#),
        "{}",
        list.text
    );
    assert!(list.text.contains("ferme.krafto.test"));

    // A slug already taken is a conflict on the slug field; still one marketplace.
    let r = b
        .post(
            "/marketplaces/new",
            &[
                ("template", "handmade"),
                ("slug", "ferme"),
                ("name", "Other"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.text.contains(
            r#"id="slug-error" class="error">another marketplace already uses this slug<"#
        ),
        "{}",
        r.text
    );
    assert_eq!(tenant_count(&app).await, 1);
}

#[tokio::test]
async fn branding_edited_in_the_console_shows_on_the_storefront_and_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let mut b = signed_in(&app).await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let page = format!("/marketplaces/{id}");

    let r = b
        .post(
            &format!("{page}/branding"),
            &[
                ("display_name", "Lyon Guild"),
                ("logo_url", ""),
                ("primary_color", "red"),
                ("accent_color", "#ac914e"),
                ("tagline", "Made by hand"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains(r#"id="branding-error""#));
    assert!(
        r.text
            .contains(r#"id="primary_color-error" class="error">"#),
        "{}",
        r.text
    );
    assert!(!r.text.contains("branding.primary_color"), "{}", r.text);
    assert!(r.text.contains(r#"value="red""#), "the bad colour is kept");
    assert!(
        r.text.contains(r#"value="Lyon Guild""#),
        "the other values are kept"
    );
    let api = tenant(&app, id).await;
    assert_eq!(
        api["branding"]["display_name"], "Market lyon",
        "nothing changed"
    );

    let to = b
        .post_ok(
            &format!("{page}/branding"),
            &[
                ("display_name", "Lyon Guild"),
                ("logo_url", ""),
                ("primary_color", "#123456"),
                ("accent_color", "#ac914e"),
                ("tagline", "Made by hand"),
            ],
        )
        .await;
    assert_eq!(to, format!("{page}?done=branding#branding"));
    let home = app
        .store(Method::GET, &TestApp::host("lyon"), "/", None, None)
        .await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.text.contains("<title>Lyon Guild</title>"),
        "{}",
        home.text
    );
    assert!(home.text.contains("--brand: #123456"));
    assert!(home.text.contains("Made by hand"));

    let r = b.get(&page).await;
    assert!(r.text.contains(r#"value="Lyon Guild""#));
    assert!(r.text.contains(r#"<table id="audit-log">"#));
    assert!(r.text.contains(r#"<td class="action">tenant.updated</td>"#));
    assert!(r.text.contains(r#"<td class="action">tenant.created</td>"#));
    assert!(
        r.text.contains(STAFF_EMAIL),
        "the audit names the staff member"
    );
}

#[tokio::test]
async fn fees_and_feature_flags_are_saved_through_the_api_rules() {
    let app = TestApp::spawn().await;
    let mut b = signed_in(&app).await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let page = format!("/marketplaces/{id}");

    let r = b
        .post(
            &format!("{page}/fees"),
            &[("seller_commission_bps", "ten"), ("buyer_fee_bps", "150")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text
            .contains(r#"id="seller_commission_bps-error" class="error">must be a whole number<"#),
        "{}",
        r.text
    );
    assert!(!r.text.contains("fees.seller_commission_bps"), "{}", r.text);
    assert!(r.text.contains(r#"value="ten""#));
    let r = b
        .post(
            &format!("{page}/fees"),
            &[("seller_commission_bps", "20000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text
            .contains(r#"id="seller_commission_bps-error" class="error">"#),
        "{}",
        r.text
    );
    let api = tenant(&app, id).await;
    assert_eq!(api["buyer_fee_bps"], 0, "nothing changed");

    b.post_ok(
        &format!("{page}/fees"),
        &[
            ("seller_commission_bps", "1200"),
            ("platform_fee_bps", "200"),
            ("minimum_order_minor", "500"),
            ("buyer_fee_bps", "150"),
        ],
    )
    .await;
    let api = tenant(&app, id).await;
    assert_eq!(api["fees"]["seller_commission_bps"], 1200);
    assert_eq!(api["fees"]["minimum_order_minor"], 500);
    assert_eq!(api["buyer_fee_bps"], 150);

    let flags = api["features"].as_object().unwrap().clone();
    let (on, off): (Vec<_>, Vec<_>) = flags.iter().partition(|(_, v)| **v == json!(true));
    assert!(!on.is_empty() && !off.is_empty(), "{flags:?}");
    // Switch every flag: tick the ones that were off.
    let ticked: Vec<String> = off.iter().map(|(k, _)| format!("feature.{k}")).collect();
    let fields: Vec<(&str, &str)> = ticked.iter().map(|k| (k.as_str(), "on")).collect();
    b.post_ok(&format!("{page}/features"), &fields).await;
    let api = tenant(&app, id).await;
    for (k, v) in &flags {
        assert_eq!(api["features"][k], json!(!v.as_bool().unwrap()), "{k}");
    }
    let r = b.get(&page).await;
    let (k, _) = off[0];
    assert!(r.text.contains(&format!(
        r#"id="feature-{k}" name="feature.{k}" value="on" checked"#
    )));
}

#[tokio::test]
async fn domains_are_added_and_removed_from_the_marketplace_page() {
    let app = TestApp::spawn().await;
    let mut b = signed_in(&app).await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let page = format!("/marketplaces/{id}");

    let r = b
        .post(&format!("{page}/domains"), &[("host", "shop.krafto.test")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains(r#"id="domain-host-error" class="error">"#),
        "{}",
        r.text
    );
    assert!(r.text.contains(r#"value="shop.krafto.test""#));

    let to = b
        .post_ok(
            &format!("{page}/domains"),
            &[("host", "Shop.Lyon.fr"), ("primary", "on")],
        )
        .await;
    assert_eq!(to, format!("{page}?done=domain-added#domains"));
    let api = tenant(&app, id).await;
    assert_eq!(api["domains"][0]["host"], "shop.lyon.fr");
    assert_eq!(api["domains"][0]["primary"], true);
    let r = app
        .store(
            Method::GET,
            "shop.lyon.fr",
            "/api/v1/store/tenant",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "the domain answers: {}", r.text);
    let r = b.get(&page).await;
    assert!(r.text.contains(r#"id="remove-domain-shop.lyon.fr""#));
    assert!(
        r.text
            .contains("shop.lyon.fr <span class=\"badge\">primary</span>")
    );

    // The same host twice is a conflict naming the host.
    let r = b
        .post(&format!("{page}/domains"), &[("host", "shop.lyon.fr")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("this host already points at a marketplace"));

    let to = b
        .post_ok(
            &format!("{page}/remove-domain"),
            &[("host", "shop.lyon.fr")],
        )
        .await;
    assert_eq!(to, format!("{page}?done=domain-removed#domains"));
    let api = tenant(&app, id).await;
    assert_eq!(api["domains"], json!([]));
    let r = b.get(&page).await;
    assert!(!r.text.contains(r#"id="remove-domain-shop.lyon.fr""#));
    assert!(r.text.contains(r#"<td class="action">domain.added</td>"#));
    assert!(r.text.contains(r#"<td class="action">domain.removed</td>"#));

    // The audit log pages by entry: after the newest entry come the older ones only.
    let audit = app
        .control(Method::GET, &format!("/tenants/{id}/audit"), None)
        .await;
    assert_eq!(audit.body["items"][0]["action"], "domain.removed");
    let newest = audit.body["items"][0]["id"].as_str().unwrap();
    let r = b.get(&format!("{page}?audit={newest}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.text.contains(r#"<td class="action">domain.removed</td>"#));
    assert!(r.text.contains(r#"<td class="action">domain.added</td>"#));

    // A form the page does not have is a 404 that changes nothing.
    let r = b
        .post(&format!("{page}/delete-everything"), &[("host", "x.fr")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("has no form `delete-everything`"));
    let r = b.get("/marketplaces/not-a-uuid").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text.contains("no marketplace not-a-uuid"));
    // The page kit's message page, in the console's chrome.
    assert!(
        r.text.contains(r#"<section class="message">"#),
        "{}",
        r.text
    );
    assert!(
        r.text
            .contains(r#"<a class="button" href="/">Back to the marketplaces</a>"#)
    );
    assert!(r.text.contains("<title>Not found · Krafto</title>"));
    // (The form guard adds its `hx-headers` to the body tag.)
    let body_tag = r
        .text
        .split("<body")
        .nth(1)
        .and_then(|t| t.split('>').next());
    assert!(
        body_tag.is_some_and(|t| t.contains(r#"class="console""#)),
        "{body_tag:?}"
    );
}

#[tokio::test]
async fn a_marketplace_suspended_in_the_console_is_refused_by_its_storefront_until_resumed() {
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(
            std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned()),
        ),
        ..AppOptions::default()
    })
    .await;
    let mut b = signed_in(&app).await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let page = format!("/marketplaces/{id}");
    let host = TestApp::host("lyon");
    until_store(&app, &host, |r| r.status == StatusCode::OK).await;

    let r = b
        .post(
            &format!("{page}/status"),
            &[("status", "suspended"), ("suspended_reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text
            .contains(r#"id="suspended_reason-error" class="error">"#),
        "{}",
        r.text
    );
    let api = tenant(&app, id).await;
    assert_eq!(api["status"], "active");

    let to = b
        .post_ok(
            &format!("{page}/status"),
            &[
                ("status", "suspended"),
                ("suspended_reason", "unpaid invoices"),
            ],
        )
        .await;
    assert_eq!(to, format!("{page}?done=suspended#status"));
    until_store(&app, &host, |r| {
        r.status == StatusCode::FORBIDDEN && r.code() == "tenant_suspended"
    })
    .await;
    let r = b.get(&page).await;
    assert!(
        r.text
            .contains(r#"<span class="pill suspended" id="tenant-status">"#)
    );
    assert!(r.text.contains("unpaid invoices"));
    assert!(r.text.contains(r#"id="resume-tenant""#));
    assert!(
        r.text
            .contains(r#"<td class="action">tenant.suspended</td>"#)
    );
    let list = b.get("/").await;
    assert!(
        list.text
            .contains(r#"<span class="pill suspended">suspended</span>"#)
    );

    b.post_ok(&format!("{page}/status"), &[("status", "active")])
        .await;
    until_store(&app, &host, |r| r.status == StatusCode::OK).await;
    let r = b.get(&page).await;
    assert!(
        r.text
            .contains(r#"<span class="pill active" id="tenant-status">"#)
    );
    assert!(r.text.contains(r#"<td class="action">tenant.resumed</td>"#));
}

#[tokio::test]
async fn stripe_account_and_onboarding_link_are_made_from_the_console_in_test_mode() {
    let app = TestApp::spawn().await;
    let mut b = signed_in(&app).await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let page = format!("/marketplaces/{id}");

    let r = b.get(&page).await;
    assert!(
        r.text
            .contains(r#"<dd id="stripe-account-id">none yet</dd>"#)
    );
    assert!(r.text.contains(r#"id="stripe-account""#));
    assert!(
        r.text.contains("Test mode"),
        "the console says payments are simulated"
    );
    // No account yet: a link is refused with the API's explanation, nothing is made.
    let r = b.post(&format!("{page}/stripe-link"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text.contains("has no Stripe account yet"));

    let to = b.post_ok(&format!("{page}/stripe-account"), &[]).await;
    assert_eq!(to, format!("{page}?done=stripe-created#stripe"));
    let api = app
        .control(Method::GET, &format!("/tenants/{id}/stripe"), None)
        .await;
    let account = api.body["account_id"].as_str().unwrap().to_owned();
    assert!(account.starts_with("acct_test_"), "{account}");
    let r = b.get(&to).await;
    assert!(r.text.contains("Stripe account created."));
    assert!(
        r.text
            .contains(&format!(r#"<dd id="stripe-account-id">{account}</dd>"#))
    );
    assert!(r.text.contains(r#"<dd id="stripe-ready">not ready</dd>"#));
    assert!(
        r.text
            .contains(r#"<td class="action">stripe_account.created</td>"#)
    );
    // Again: the same account, nothing new.
    let to = b.post_ok(&format!("{page}/stripe-account"), &[]).await;
    assert_eq!(to, format!("{page}?done=stripe-existing#stripe"));

    let r = b.post(&format!("{page}/stripe-link"), &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains(r#"id="onboarding-url""#), "{}", r.text);
    assert!(
        r.text.contains(&format!(
            r#"<a href="http://lyon.krafto.test/test-mode/onboarding/{account}?return_url="#
        )),
        "a link to the test onboarding page on the marketplace's host: {}",
        r.text
    );
    let list = b.get("/").await;
    assert!(list.text.contains("<td>onboarding</td>"), "{}", list.text);
}

#[tokio::test]
async fn an_operator_is_added_from_the_marketplace_page() {
    let app = TestApp::spawn().await;
    let mut b = signed_in(&app).await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let page = format!("/marketplaces/{id}");

    let r = b
        .post(&format!("{page}/operators"), &[("email", "not-an-address")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text
            .contains(r#"id="operator-email-error" class="error">"#),
        "{}",
        r.text
    );
    assert!(r.text.contains(r#"value="not-an-address""#));

    let to = b
        .post_ok(
            &format!("{page}/operators"),
            &[("email", "ops@lyon.example"), ("display_name", "Camille")],
        )
        .await;
    assert_eq!(to, format!("{page}?done=operator#operators"));
    let r = b.get(&to).await;
    assert!(r.text.contains("Operator added"));
    assert!(r.text.contains(r#"<td class="action">operator.added</td>"#));
    assert!(r.text.contains("ops@lyon.example"));
    // The operator signs in at the marketplace with a code, as an operator.
    let (_, body) = app
        .sign_in(&TestApp::host("lyon"), "ops@lyon.example")
        .await;
    assert_eq!(body["user"]["role"], "operator", "{body}");

    let r = b
        .post(
            &format!("{page}/operators"),
            &[("email", "ops@lyon.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.text
            .contains("is already an operator of this marketplace")
    );
}

#[tokio::test]
async fn staff_see_a_marketplaces_operators_and_remove_one_whose_sessions_end() {
    let app = TestApp::spawn_with(AppOptions {
        redis_url: Some(
            std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned()),
        ),
        ..AppOptions::default()
    })
    .await;
    let mut b = signed_in(&app).await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let page = format!("/marketplaces/{id}");
    let r = b.get(&page).await;
    assert!(r.text.contains(r#"id="no-operators""#), "{}", r.text);
    b.post_ok(
        &format!("{page}/operators"),
        &[("email", "zoe@lyon.example"), ("display_name", "Zoé")],
    )
    .await;
    let token = app.operator_token(id, "lyon", "ana@lyon.example").await;
    // The API lists them by address, with when they last signed in.
    let list = app
        .control(Method::GET, &format!("/tenants/{id}/operators"), None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let items = list.body["items"].as_array().unwrap();
    let emails: Vec<&str> = items.iter().map(|o| o["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["ana@lyon.example", "zoe@lyon.example"]);
    assert!(items[0]["last_sign_in_at"].is_string(), "{}", list.text);
    assert!(items[1].get("last_sign_in_at").is_none(), "{}", list.text);
    assert_eq!(items[1]["display_name"], "Zoé");
    let ana = items[0]["id"].as_str().unwrap().to_owned();
    // The page lists both, each with its remove button.
    let r = b.get(&page).await;
    assert!(
        r.text.contains("<strong>zoe@lyon.example</strong> (Zoé)"),
        "{}",
        r.text
    );
    assert!(r.text.contains("last signed in: never"));
    assert!(r.text.contains(&format!(r#"id="remove-operator-{ana}""#)));
    let to = b
        .post_ok(&format!("{page}/remove-operator"), &[("user_id", &ana)])
        .await;
    assert_eq!(to, format!("{page}?done=operator-removed#operators"));
    let r = b.get(&to).await;
    assert!(
        r.text
            .contains("Operator removed: their sessions have ended")
    );
    assert!(!r.text.contains("<strong>ana@lyon.example</strong>"));
    assert!(
        r.text
            .contains(r#"<td class="action">operator.removed</td>"#)
    );
    // Their token ends on the platform (told through Redis).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let s = app
            .store(
                Method::GET,
                &TestApp::host("lyon"),
                "/api/v1/admin/audit",
                Some(&token),
                None,
            )
            .await
            .status;
        if s == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the removed operator's token still answers {s}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A second click (or a stale tab) changes nothing and says so.
    let to = b
        .post_ok(&format!("{page}/remove-operator"), &[("user_id", &ana)])
        .await;
    assert_eq!(to, format!("{page}?done=operator-gone#operators"));
    let r = b.get(&to).await;
    assert!(r.text.contains("Already done"));
    // A forged form is named on the section and changes nothing.
    let r = b
        .post(&format!("{page}/remove-operator"), &[("user_id", "zoe")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("Not changed."), "{}", r.text);
    let list = app
        .control(Method::GET, &format!("/tenants/{id}/operators"), None)
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_list_shows_each_marketplace_and_search_filters_it_by_slug_name_or_domain() {
    let app = TestApp::spawn().await;
    let mut b = signed_in(&app).await;
    let lyon = app
        .create_tenant_with(
            json!({ "slug": "lyon", "name": "Lyon Makers", "template": "handmade" }),
        )
        .await;
    app.create_tenant_with(json!({ "slug": "paris", "name": "Marché de Paris", "template": "farm", "domains": ["marche-paris.fr"] }))
        .await;
    let lyon_id = lyon["id"].as_str().unwrap();
    app.operator_token(lyon_id, "lyon", "zoe@lyon.example")
        .await;
    app.operator_token(lyon_id, "lyon", "ada@lyon.example")
        .await;

    let all = b.get("/").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.text.contains(r#"<tr id="tenant-lyon""#));
    assert!(all.text.contains(r#"<tr id="tenant-paris""#));
    // Each host is a link to the marketplace.
    assert!(
        all.text.contains(
            r#"<a href="http://paris.krafto.test" rel="noopener">paris.krafto.test</a><br><a href="http://marche-paris.fr" rel="noopener">marche-paris.fr</a>"#
        ),
        "{}",
        all.text
    );
    // The operators, by e-mail address.
    assert!(
        all.text.contains(
            r#"<td class="operators"><a href="mailto:ada@lyon.example">ada@lyon.example</a><br><a href="mailto:zoe@lyon.example">zoe@lyon.example</a></td>"#
        ),
        "{}",
        all.text
    );
    assert!(
        all.text
            .contains(r#"<td class="operators"><span class="muted">none yet</span></td>"#)
    );
    assert!(all.text.contains("<td>farm</td>"));
    // The built-in test gateway: payments run in test mode, nothing is missing.
    assert!(all.text.contains("<td>test mode</td>"), "{}", all.text);
    assert!(!all.text.contains("no account"));
    assert!(
        all.text
            .contains(r#"<span class="pill active">active</span>"#)
    );

    for (q, lyon, paris) in [
        ("LYO", true, false),
        ("de paris", false, true),
        ("marche-paris", false, true),
        ("krafto", false, false),
    ] {
        let r = b.get(&format!("/?q={}", percent_encode(q))).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.text.contains(r#"<tr id="tenant-lyon""#), lyon, "{q}");
        assert_eq!(r.text.contains(r#"<tr id="tenant-paris""#), paris, "{q}");
        assert!(
            r.text.contains(&format!(r#"value="{q}""#)),
            "the query is kept"
        );
    }
    let r = b.get("/?q=nothing-like-it").await;
    assert!(r.text.contains(r#"id="no-tenants""#));
    // The API's list uses the same query.
    let api = app
        .control(Method::GET, "/tenants?q=marche-paris", None)
        .await;
    assert_eq!(api.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(api.body["items"][0]["slug"], "paris");
}
