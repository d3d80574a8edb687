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

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_error_code_is_answered_somewhere_and_documented() {
    use krafto_api_types::Code;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["platform/src", "tenant-admin/src", "crates"] {
        sources(&root.join(dir), &mut files);
    }
    let definition = root.join("crates/krafto-api-types/src/error.rs");
    let code: String = files
        .iter()
        .filter(|p| p.canonicalize().ok() != definition.canonicalize().ok())
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let documents = [
        std::fs::read_to_string(root.join("openapi/platform.json")).unwrap(),
        std::fs::read_to_string(root.join("openapi/tenant-admin.json")).unwrap(),
    ];
    let mut unused = Vec::new();
    let mut undocumented = Vec::new();
    for c in Code::ALL {
        let variant = format!("{c:?}");
        let used = code
            .match_indices(&format!("Code::{variant}"))
            .any(|(i, _)| {
                // `Code::Foo` but not `Code::FooBar`.
                !code[i + 6 + variant.len()..]
                    .starts_with(|ch: char| ch.is_ascii_alphanumeric() || ch == '_')
            });
        if !used {
            unused.push(c.as_str());
        }
        if !documents
            .iter()
            .all(|d| d.contains(&format!("\"{}\"", c.as_str())))
        {
            undocumented.push(c.as_str());
        }
    }
    assert!(
        unused.is_empty(),
        "error codes no code answers (remove them from krafto_api_types::Code): {unused:?}"
    );
    assert!(
        undocumented.is_empty(),
        "error codes missing from the OpenAPI documents (regenerate with `scripts/openapi`): {undocumented:?}"
    );
}
