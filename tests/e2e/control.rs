//! The control plane: staff auth, provisioning, validation, conflicts, tuning, audit.

use krafto_testkit::{STAFF_EMAIL, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn fields(r: &krafto_testkit::Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn staff_login_refuses_wrong_passwords_and_unknown_addresses_alike() {
    let app = TestApp::spawn().await;
    for (email, password) in [
        (STAFF_EMAIL, "wrong password"),
        ("nobody@krafto.test", "correct horse battery"),
    ] {
        let r = app
            .control_as(
                None,
                Method::POST,
                "/auth/login",
                Some(json!({ "email": email, "password": password })),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.code(), "invalid_credentials");
        assert_eq!(r.headers["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn the_control_api_needs_a_staff_token() {
    let app = TestApp::spawn().await;
    let r = app.control_as(None, Method::GET, "/tenants", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "unauthenticated");
    let t = app.create_tenant("lyon").await;
    let (user_token, _) = app.sign_in("lyon.krafto.test", "ana@example.com").await;
    let r = app
        .control_as(Some(&user_token), Method::GET, "/tenants", None)
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "a marketplace token is not a staff token"
    );
    let r = app
        .control_as(
            Some("garbage"),
            Method::GET,
            &format!("/tenants/{}", t["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_new_marketplace_gets_its_template_and_answers_at_its_hosts_at_once() {
    let app = TestApp::spawn().await;
    let t = app
        .create_tenant_with(json!({
            "slug": "ferme", "name": "La Ferme", "template": "farm", "currency": "eur", "locale": "fr_FR",
            "domains": ["marche-ferme.fr"],
            "branding": { "primary_color": "#357", "tagline": "Du champ à l'assiette" },
            "fees": { "seller_commission_bps": 600, "platform_fee_bps": 150, "minimum_order_minor": 1500 },
            "features": { "reviews": true }
        }))
        .await;
    assert_eq!(t["status"], "active");
    assert_eq!(t["template"], "farm");
    assert_eq!(t["currency"], "EUR");
    assert_eq!(t["locale"], "fr-FR");
    assert_eq!(t["hosts"], json!(["ferme.krafto.test", "marche-ferme.fr"]));
    assert_eq!(t["branding"]["primary_color"], "#335577");
    assert_eq!(t["branding"]["display_name"], "La Ferme");
    assert_eq!(
        t["fees"],
        json!({ "seller_commission_bps": 600, "platform_fee_bps": 150, "minimum_order_minor": 1500, "refund_platform_fee": false })
    );
    assert_eq!(t["features"]["sell_by_weight"], true, "farm template flag");
    assert_eq!(t["features"]["reviews"], true, "override applied");
    assert_eq!(t["features"]["business_accounts"], false);
    for host in [
        "ferme.krafto.test",
        "marche-ferme.fr",
        "MARCHE-FERME.FR:443",
    ] {
        let r = app
            .store(Method::GET, host, "/api/v1/store/tenant", None, None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{host}: {}", r.text);
        assert_eq!(r.body["slug"], "ferme");
        let top: Vec<&str> = r.body["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["slug"].as_str().unwrap())
            .collect();
        assert_eq!(top, ["vegetables", "fruit", "dairy-eggs", "meat", "pantry"]);
        assert_eq!(
            r.body["categories"][0]["children"][0]["slug"],
            "leafy-greens"
        );
    }
    let audit = app
        .control(
            Method::GET,
            &format!("/tenants/{}/audit", t["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(audit.body["items"][0]["action"], "tenant.created");
    assert_eq!(audit.body["items"][0]["actor"], STAFF_EMAIL);
}

#[tokio::test]
async fn invalid_marketplace_input_names_every_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let r = app
        .control(
            Method::POST,
            "/tenants",
            Some(json!({
                "slug": "Bad Slug", "name": "", "template": "handmade", "currency": "XXX",
                "domains": ["localhost", "shop.krafto.test"],
                "branding": { "primary_color": "red", "logo_url": "javascript:alert(1)" },
                "fees": { "seller_commission_bps": 10001 },
                "features": { "teleport": true }
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.code(), "validation_failed");
    let f = fields(&r);
    for expected in [
        "slug",
        "name",
        "currency",
        "domains[0]",
        "domains[1]",
        "branding.primary_color",
        "branding.logo_url",
        "fees.seller_commission_bps",
        "features",
    ] {
        assert!(
            f.iter().any(|x| x == expected),
            "{expected} not named in {f:?}"
        );
    }
    let r = app.control(Method::POST, "/tenants", Some(json!({ "slug": "ok", "name": "Ok", "template": "handmade", "fees": { "seller_commission_bps": 100, "platform_fee_bps": 300 } }))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r), ["fees.platform_fee_bps"]);
    let r = app
        .control(
            Method::POST,
            "/tenants",
            Some(json!({ "slug": "ok", "template": "handmade" })),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "missing name: {}",
        r.text
    );
    assert_eq!(r.code(), "invalid_request");
    let list = app.control(Method::GET, "/tenants", None).await;
    assert_eq!(list.body["items"], json!([]), "nothing was written");
}

#[tokio::test]
async fn duplicate_slugs_and_hosts_are_conflicts_that_write_nothing() {
    let app = TestApp::spawn().await;
    app.create_tenant_with(json!({ "slug": "lyon", "name": "Lyon", "template": "handmade", "domains": ["lyon-makers.fr"] })).await;
    let r = app
        .control(
            Method::POST,
            "/tenants",
            Some(json!({ "slug": "lyon", "name": "Lyon 2", "template": "farm" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "slug_taken");
    assert_eq!(r.body["field"], "slug");
    let r = app.control(Method::POST, "/tenants", Some(json!({ "slug": "paris", "name": "Paris", "template": "handmade", "domains": ["Lyon-Makers.fr"] }))).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.code(), "host_taken");
    assert_eq!(r.body["field"], "domains[0]");
    let list = app.control(Method::GET, "/tenants", None).await;
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        1,
        "paris was rolled back whole"
    );
    let r = app
        .store(
            Method::GET,
            "paris.krafto.test",
            "/api/v1/store/tenant",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn patch_changes_branding_fees_and_flags_and_records_each_change() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let r = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({
                "branding": { "display_name": "Lyon Makers", "accent_color": "#008000", "logo_url": "https://cdn.example.com/l.png" },
                "fees": { "seller_commission_bps": 1200 },
                "features": { "gift_wrapping": false }
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["branding"]["display_name"], "Lyon Makers");
    assert_eq!(
        r.body["branding"]["logo_url"],
        "https://cdn.example.com/l.png"
    );
    assert_eq!(r.body["fees"]["seller_commission_bps"], 1200);
    assert_eq!(
        r.body["fees"]["platform_fee_bps"], 200,
        "untouched fee kept"
    );
    assert_eq!(r.body["features"]["gift_wrapping"], false);
    let r = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "branding": { "logo_url": null } })),
        )
        .await;
    assert_eq!(
        r.body["branding"]["logo_url"],
        serde_json::Value::Null,
        "null clears"
    );
    let bad = app.control(Method::PATCH, &format!("/tenants/{id}"), Some(json!({ "fees": { "platform_fee_bps": 5000 }, "branding": { "accent_color": "green" } }))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&bad),
        ["branding.accent_color", "fees.platform_fee_bps"]
    );
    let after = app
        .control(Method::GET, &format!("/tenants/{id}"), None)
        .await;
    assert_eq!(
        after.body["branding"]["accent_color"], "#008000",
        "a refused patch changes nothing"
    );
    let audit = app
        .control(Method::GET, &format!("/tenants/{id}/audit"), None)
        .await;
    let items = audit.body["items"].as_array().unwrap();
    let actions: Vec<&str> = items
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["tenant.updated", "tenant.updated", "tenant.created"]
    );
    assert_eq!(
        items[1]["details"]["fees"]["from"],
        json!({ "seller_commission_bps": 1000, "platform_fee_bps": 200, "minimum_order_minor": 0 })
    );
    assert_eq!(
        items[1]["details"]["fees"]["to"],
        json!({ "seller_commission_bps": 1200, "platform_fee_bps": 200, "minimum_order_minor": 0 })
    );
    assert!(
        items[0]["request_id"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
}

#[tokio::test]
async fn suspending_needs_a_reason_and_status_moves_are_checked() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let r = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "status": "suspended" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r), ["suspended_reason"]);
    let r = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "status": "active" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "already active");
    assert_eq!(fields(&r), ["status"]);
    let r = app
        .control(
            Method::PATCH,
            &format!("/tenants/{id}"),
            Some(json!({ "status": "suspended", "suspended_reason": "unpaid invoices" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "suspended");
    assert_eq!(r.body["suspended_reason"], "unpaid invoices");
    let audit = app
        .control(Method::GET, &format!("/tenants/{id}/audit"), None)
        .await;
    assert_eq!(audit.body["items"][0]["action"], "tenant.suspended");
    let list = app
        .control(Method::GET, "/tenants?status=suspended", None)
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    let list = app
        .control(Method::GET, "/tenants?status=active", None)
        .await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn domains_are_added_and_removed_and_mistakes_are_named() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let other = app.create_tenant("paris").await;
    let id = t["id"].as_str().unwrap();
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/domains"),
            Some(json!({ "host": "Shop.Lyon.fr", "primary": true })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["host"], "shop.lyon.fr");
    let r = app
        .store(
            Method::GET,
            "shop.lyon.fr",
            "/api/v1/store/tenant",
            None,
            None,
        )
        .await;
    assert_eq!(r.body["slug"], "lyon");
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{}/domains", other["id"].as_str().unwrap()),
            Some(json!({ "host": "shop.lyon.fr" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "host_taken");
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/domains"),
            Some(json!({ "host": "x.krafto.test" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["field"], "host");
    let r = app
        .control(
            Method::DELETE,
            &format!(
                "/tenants/{}/domains/shop.lyon.fr",
                other["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "another tenant cannot remove it"
    );
    let r = app
        .control(
            Method::DELETE,
            &format!("/tenants/{id}/domains/shop.lyon.fr"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app
        .control(
            Method::DELETE,
            &format!("/tenants/{id}/domains/shop.lyon.fr"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "domain_not_found");
    let r = app
        .control(
            Method::POST,
            "/tenants/00000000-0000-0000-0000-000000000000/domains",
            Some(json!({ "host": "a.example.com" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "tenant_not_found");
}

#[tokio::test]
async fn an_operator_is_created_once_and_signs_in_at_the_marketplace_host() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    let id = t["id"].as_str().unwrap();
    let r = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/operators"),
            Some(json!({ "email": "Op@Lyon.Example" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.body["email"], "op@lyon.example");
    assert_eq!(r.body["role"], "operator");
    assert_eq!(r.body["sign_in_url"], "http://lyon.krafto.test");
    let again = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/operators"),
            Some(json!({ "email": "op@lyon.example" })),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "operator_exists");
    let (_, signed_in) = app.sign_in("lyon.krafto.test", "op@lyon.example").await;
    assert_eq!(signed_in["user"]["role"], "operator");
    assert_eq!(signed_in["user"]["id"], r.body["id"]);
    let bad = app
        .control(
            Method::POST,
            &format!("/tenants/{id}/operators"),
            Some(json!({ "email": "not-an-email" })),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "email");
}

#[tokio::test]
async fn the_tenant_list_pages_with_a_cursor_and_searches() {
    let app = TestApp::spawn().await;
    for slug in ["aa", "bb", "cc"] {
        app.create_tenant(slug).await;
    }
    let p1 = app.control(Method::GET, "/tenants?limit=2", None).await;
    let slugs: Vec<&str> = p1.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["aa", "bb"]);
    let cursor = p1.body["next_cursor"].as_str().unwrap();
    let p2 = app
        .control(
            Method::GET,
            &format!("/tenants?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    let slugs: Vec<&str> = p2.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["cc"]);
    assert!(p2.body["next_cursor"].is_null());
    let q = app.control(Method::GET, "/tenants?q=B", None).await;
    assert_eq!(q.body["items"][0]["slug"], "bb");
    let bad = app.control(Method::GET, "/tenants?limit=0", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "limit");
}
