//! The committed OpenAPI documents must be what the code produces.

fn check(name: &str, generated: &str) {
    let path = format!("{}/../openapi/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed.trim() == generated.trim(),
        "{path} differs from what the code generates; regenerate it with `scripts/openapi` and commit the result"
    );
}

#[test]
fn committed_openapi_documents_match_the_code() {
    check("platform", &platform::openapi_json());
    check("tenant-admin", &tenant_admin::openapi_json());
}
