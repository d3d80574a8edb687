//! What probing found where the servers' answers and their OpenAPI documents disagreed
//! (issue 11). `scripts/conformance` sends generated requests to both servers; these tests
//! pin each finding with a request written by hand.

use krafto_testkit::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn id_of(t: &Value) -> String {
    t["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_boolean_or_a_number_is_not_taken_as_text_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_tenant("lyon").await);

    for not_text in [json!(false), json!(12)] {
        let r = app
            .control(
                Method::PATCH,
                &format!("/tenants/{id}"),
                Some(json!({ "name": not_text })),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
        assert_eq!(r.code(), "invalid_request", "{}", r.text);
    }
    let t = app
        .control(Method::GET, &format!("/tenants/{id}"), None)
        .await;
    assert_eq!(t.body["name"], "Market lyon", "the name was not replaced");
}

#[tokio::test]
async fn a_nul_character_in_a_body_is_a_400_not_a_500() {
    let app = TestApp::spawn().await;
    let r = app
        .control(
            Method::POST,
            "/tenants",
            Some(json!({ "slug": "lyon", "name": "Ly\u{0}on", "template": "handmade" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    assert!(
        r.text.contains("NUL"),
        "the problem names the NUL: {}",
        r.text
    );
    let list = app.control(Method::GET, "/tenants", None).await;
    assert_eq!(list.body["items"], json!([]), "nothing was created");
}

#[tokio::test]
async fn absent_values_are_left_out_never_null() {
    let app = TestApp::spawn().await;
    let t = app.create_tenant("lyon").await;
    assert!(
        t["branding"].get("logo_url").is_none(),
        "no logo: left out, not null: {t}"
    );
    assert!(t.get("suspended_reason").is_none(), "{t}");
    let page = app.control(Method::GET, "/tenants", None).await;
    assert!(
        page.body.get("next_cursor").is_none(),
        "last page: no cursor, not a null one: {}",
        page.text
    );
    let problem = app.control(Method::GET, "/tenants/not-a-uuid", None).await;
    assert_eq!(problem.status, StatusCode::BAD_REQUEST);
    assert!(
        problem.body.get("errors").is_none(),
        "`errors` is optional in the document and left out when empty"
    );
}

#[tokio::test]
async fn an_undeclared_method_is_a_405_that_names_the_allowed_ones() {
    let app = TestApp::spawn().await;
    let id = id_of(&app.create_tenant("lyon").await);

    let r = app
        .control(Method::PUT, &format!("/tenants/{id}"), Some(json!({})))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.text);
    assert_eq!(r.code(), "method_not_allowed");
    assert_eq!(
        r.headers.get("allow").and_then(|v| v.to_str().ok()),
        Some("GET, HEAD, PATCH")
    );

    let host = TestApp::host("lyon");
    let r = app
        .store(Method::DELETE, &host, "/api/v1/store/search", None, None)
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}", r.text);
    assert_eq!(
        r.headers.get("allow").and_then(|v| v.to_str().ok()),
        Some("GET, HEAD")
    );
}

#[tokio::test]
async fn a_body_without_its_media_type_is_a_documented_415() {
    let app = TestApp::spawn().await;
    let r = app
        .http
        .post(app.admin_url("/control/v1/tenants"))
        .bearer_auth(&app.staff_token)
        .body(r#"{"slug":"lyon","name":"Lyon","template":"handmade"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let doc: Value = serde_json::from_str(&tenant_admin::openapi_json()).unwrap();
    let responses = &doc["paths"]["/tenants"]["post"]["responses"];
    assert!(responses.get("415").is_some(), "415 is documented");
    assert!(responses.get("413").is_some(), "413 is documented");
}
