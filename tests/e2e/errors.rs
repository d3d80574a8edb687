//! Error bodies keep their shape: one snapshot (`snapshots/`) per kind of refusal a client
//! meets, with ids and request ids redacted. A changed snapshot is a changed API: look at
//! it with `cargo insta review`, and accept it only if clients may see the new shape.

use crate::catalog::LYON;
use insta::internals::Content;
use krafto_testkit::{Reply, ShopBuilder, TenantBuilder, TestApp, UserBuilder};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

/// What a client sees of an error: the status, the media type, the request id it can quote
/// and the problem itself.
fn seen(r: &Reply) -> Value {
    let header = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    json!({
        "status": r.status.as_u16(),
        "content_type": header("content-type"),
        "request_id": header("x-request-id"),
        "body": r.body,
    })
}

/// Whether `s` starts with a UUID in its hyphenated form.
fn starts_with_uuid(s: &[u8]) -> bool {
    s.len() >= 36
        && s[..36].iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// Replaces every id inside a text with `[id]`.
fn scrub_ids(v: Content) -> Content {
    let Some(text) = v.as_str() else {
        return v;
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if starts_with_uuid(rest.as_bytes()) {
            out.push_str("[id]");
            rest = &rest[36..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    Content::from(out)
}

/// Snapshots what a client sees of an error response, its ids redacted.
macro_rules! assert_problem_snapshot {
    ($reply:expr) => {
        insta::assert_json_snapshot!(seen(&$reply), {
            ".request_id" => insta::dynamic_redaction(|v, _| {
                assert!(
                    v.as_str().is_some_and(|s| !s.is_empty()),
                    "every answer carries a request id, got {v:?}"
                );
                "[request-id]"
            }),
            ".body.detail" => insta::dynamic_redaction(|v, _| scrub_ids(v)),
            ".body.errors[].message" => insta::dynamic_redaction(|v, _| scrub_ids(v)),
        })
    };
}

#[tokio::test]
async fn an_unknown_host_is_answered_404_unknown_tenant() {
    let app = TestApp::spawn().await;
    TenantBuilder::new("lyon").build(&app).await;
    let r = app
        .store(
            Method::GET,
            "nope.krafto.test",
            "/api/v1/store/tenant",
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_problem_snapshot!(r);
}

#[tokio::test]
async fn a_suspended_marketplace_is_answered_403_tenant_suspended() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon")
        .suspended("unpaid invoices")
        .build(&app)
        .await;
    let r = app
        .store(Method::GET, &lyon.host, "/api/v1/store/tenant", None, None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_problem_snapshot!(r);
}

#[tokio::test]
async fn a_validation_failure_names_every_field() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let buyer = UserBuilder::new(&lyon, "ana@example.com").build(&app).await;
    let r = app
        .store(
            Method::POST,
            &lyon.host,
            "/api/v1/seller/shop",
            Some(&buyer.token),
            Some(json!({
                "name": "",
                "location": { "country": "France", "latitude": 95.0, "longitude": 2.0 },
                "banner_url": "ftp://x"
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem_snapshot!(r);
}

#[tokio::test]
async fn a_call_without_a_token_is_answered_401() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let r = app
        .store(Method::GET, &lyon.host, "/api/v1/me", None, None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_problem_snapshot!(r);
}

#[tokio::test]
async fn a_buyer_on_an_operator_route_is_answered_403_naming_the_role() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let buyer = UserBuilder::new(&lyon, "ana@example.com").build(&app).await;
    let r = app
        .store(
            Method::GET,
            &lyon.host,
            "/api/v1/admin/review-queue",
            Some(&buyer.token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_problem_snapshot!(r);
}

#[tokio::test]
async fn a_missing_listing_is_answered_404_naming_it() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let r = app
        .store(
            Method::GET,
            &lyon.host,
            &format!("/api/v1/store/listings/{}", Uuid::now_v7()),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_problem_snapshot!(r);
}

#[tokio::test]
async fn a_second_shop_is_a_409_conflict_naming_the_field() {
    let app = TestApp::spawn().await;
    let lyon = TenantBuilder::new("lyon").build(&app).await;
    let shop = ShopBuilder::new(&lyon, "Atelier").build(&app).await;
    let r = app
        .store(
            Method::POST,
            &lyon.host,
            "/api/v1/seller/shop",
            Some(&shop.owner.token),
            Some(json!({ "name": "Second" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_problem_snapshot!(r);
}

/// Sends request headers declaring a body of `length` bytes, and no body: the limit is
/// checked on the declared length, before anything is read.
async fn declare_body(app: &TestApp, host: &str, path: &str, length: usize) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(app.platforms[0])
        .await
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\ncontent-length: {length}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let mut buf = [0_u8; 4096];
    let read = async {
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            raw.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&raw);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let expected = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                if n == 0 || body.len() >= expected {
                    return;
                }
            }
            assert!(n > 0, "the connection closed before the answer was whole");
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(10), read)
        .await
        .expect("the server answers without waiting for the body");
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let mut headers = HeaderMap::new();
    for line in lines {
        let (k, v) = line.split_once(':').unwrap();
        headers.insert(
            HeaderName::from_bytes(k.trim().as_bytes()).unwrap(),
            HeaderValue::from_str(v.trim()).unwrap(),
        );
    }
    Reply {
        status: StatusCode::from_u16(status).unwrap(),
        headers,
        body: serde_json::from_str(body).unwrap_or(Value::Null),
        text: body.to_owned(),
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_answered_413_before_it_is_read() {
    let app = TestApp::spawn().await;
    TenantBuilder::new("lyon").build(&app).await;
    let r = declare_body(
        &app,
        LYON,
        "/api/v1/auth/otp/start",
        platform::MAX_BODY_BYTES + 1,
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text);
    assert_problem_snapshot!(r);
}

/// The validation messages written in the code (`Invalid::new("…")`,
/// `FieldError::new(field, "…")`), read from the sources of the crates whose refusals reach
/// a page; a format string's placeholders read as a number.
fn messages_in_the_code() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![root.join("crates"), root.join("platform/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            let name = path.to_string_lossy();
            if name.contains("krafto-testkit") || name.ends_with("tests.rs") {
                continue;
            }
            if path.is_dir() {
                dirs.push(path);
            } else if name.ends_with(".rs") {
                files.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).expect("a source file");
        // Unit tests write made-up messages.
        let source = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (call, skip_first) in [("Invalid::new(", false), ("FieldError::new(", true)] {
            for (at, _) in source.match_indices(call) {
                let mut rest = &source[at + call.len()..];
                if skip_first {
                    let mut depth = 0;
                    let mut in_string = false;
                    let mut end = None;
                    let mut chars = rest.char_indices();
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' if in_string => {
                                chars.next();
                            }
                            '"' => in_string = !in_string,
                            '(' | '[' if !in_string => depth += 1,
                            ')' | ']' if !in_string && depth > 0 => depth -= 1,
                            ',' if !in_string && depth == 0 => {
                                end = Some(i + 1);
                                break;
                            }
                            _ => {}
                        }
                    }
                    let Some(end) = end else { continue };
                    rest = &rest[end..];
                }
                let rest = rest.trim_start();
                let (formatted, rest) = match rest.strip_prefix("format!(") {
                    Some(r) => (true, r.trim_start()),
                    None => (false, rest),
                };
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                let mut text = String::new();
                let mut chars = rest.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('\n') => {
                                for c in chars.by_ref() {
                                    if !c.is_whitespace() {
                                        text.push(c);
                                        break;
                                    }
                                }
                            }
                            Some(c) => text.push(c),
                            None => {}
                        },
                        c => text.push(c),
                    }
                }
                if formatted {
                    let mut plain = String::new();
                    let mut inside = false;
                    for c in text.chars() {
                        match c {
                            '{' => inside = true,
                            '}' if inside => {
                                inside = false;
                                plain.push('1');
                            }
                            _ if inside => {}
                            c => plain.push(c),
                        }
                    }
                    text = plain;
                }
                found.push((file.display().to_string(), text));
            }
        }
    }
    assert!(
        found.len() > 50,
        "the scan found only {} messages: has the code moved?",
        found.len()
    );
    found
}

#[test]
fn every_field_message_of_the_code_is_translated() {
    let missing: Vec<String> = messages_in_the_code()
        .into_iter()
        .filter(|(_, m)| !krafto_i18n::Locale::knows_field_problem(m))
        .map(|(file, m)| format!("{file}: {m:?}"))
        .collect();
    assert!(
        missing.is_empty(),
        "add these messages to crates/krafto-i18n/src/problems.rs and locales/*/problems.ftl:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_problem_code_has_a_sentence_in_each_language() {
    for code in krafto_api_types::Code::ALL {
        let key = code.as_str().replace('_', "-");
        assert!(
            krafto_i18n::PROBLEM_CODES.contains(&key.as_str()),
            "problem-{key} is missing from locales/*/problems.ftl and problems::CODES"
        );
        let french = krafto_i18n::Locale::Fr.problem(code.as_str(), "");
        assert!(
            !french.starts_with("problem-") && krafto_i18n::english_words_in(&french).is_empty(),
            "{key}: {french}"
        );
    }
}
