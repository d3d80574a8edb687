use super::*;
use poem::http::StatusCode;
use poem::web::Html;
use poem::{EndpointExt, handler};
use std::sync::atomic::{AtomicUsize, Ordering};

const KEY: [u8; 32] = [7; 32];
const HOST: &str = "lyon.krafto.test";

static CHANGES: AtomicUsize = AtomicUsize::new(0);

#[handler]
fn home() -> Html<&'static str> {
    Html(
        r#"<!doctype html><html><body class="x"><form class="search" action="/search"><input name="q"></form>
<form method="post" action="/change" id="change"><button>Go</button></form></body></html>"#,
    )
}

/// Echoes the body it received, so tests see that the guard put it back whole.
#[handler]
async fn change(body: String) -> String {
    CHANGES.fetch_add(1, Ordering::SeqCst);
    body
}

#[handler]
fn sign_in() -> Response {
    Response::builder()
        .content_type("text/html; charset=utf-8")
        .header("set-cookie", "krafto_session=fresh; Path=/; HttpOnly")
        .body(r#"<body><form method="post"></form></body>"#)
}

#[handler]
fn api() -> Html<&'static str> {
    Html(r#"<body><form method="post"></form></body>"#)
}

fn app() -> impl Endpoint<Output = Response> {
    poem::Route::new()
        .at("/", home)
        .at("/change", poem::post(change))
        .at("/sign-in", sign_in)
        .at("/api/v1/thing", api)
        .with(
            FormGuard::new(KEY, "krafto_session")
                .exempt("/api/v1")
                .max_body(64 * 1024)
                .brand(|_| Brand {
                    name: "Lyon Makers".to_owned(),
                    colours: Some(("#8a4b2a".to_owned(), "#ac914e".to_owned())),
                    body_class: "",
                    lang: Locale::Fr,
                }),
        )
}

struct Sent {
    status: StatusCode,
    headers: poem::http::HeaderMap,
    text: String,
}

async fn send(method: Method, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Sent {
    let mut req = Request::builder()
        .method(method)
        .uri(path.parse().unwrap())
        .header("host", HOST);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = app()
        .call(req.body(body))
        .await
        .unwrap_or_else(poem::Error::into_response);
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.into_body().into_string().await.unwrap();
    Sent {
        status,
        headers,
        text,
    }
}

async fn post(headers: &[(&str, &str)], body: &str) -> Sent {
    let mut all = vec![("content-type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    send(Method::POST, "/change", &all, body.as_bytes().to_vec()).await
}

fn token(session: &str) -> String {
    form_token(&KEY, HOST, session)
}

fn refused(s: &Sent) -> bool {
    s.status == StatusCode::FORBIDDEN
        && s.text
            .contains("Cette action doit venir de la page du site")
}

#[test]
fn post_forms_get_the_token_and_get_forms_do_not() {
    let html = r#"<BODY class="console"><form action="/search"><input name="q"></form>
<form method="post" action="/a>b" id="one"><p>x</p></form>
<FORM METHOD=POST action=/two>
<form action='/three' method = 'Post'  >
<form method="get" action="/four"><formx method="post"></formx>
<form data-x='method="post"' action="/five"></form>
<body>"#;
    let out = inject(html, "t0k");
    let hidden = r#"<input type="hidden" name="_csrf" value="t0k">"#;
    assert!(
        out.starts_with(r#"<BODY hx-headers='{"X-CSRF-Token":"t0k"}' class="console">"#),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            r#"<form method="post" action="/a>b" id="one">{hidden}<p>x</p>"#
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("<FORM METHOD=POST action=/two>{hidden}")),
        "{out}"
    );
    assert!(
        out.contains(&format!("<form action='/three' method = 'Post'  >{hidden}")),
        "{out}"
    );
    assert!(out.contains(r#"<form action="/search"><input name="q">"#));
    assert!(out.contains(r#"<form method="get" action="/four"><formx method="post"></formx>"#));
    assert!(out.contains(r#"<form data-x='method="post"' action="/five"></form>"#));
    assert_eq!(out.matches(hidden).count(), 3, "{out}");
    assert!(out.ends_with("<body>"), "only the first body tag: {out}");
    assert_eq!(inject("no tags here", "t"), "no tags here");
    assert_eq!(
        inject("<form method=\"post\"", "t"),
        "<form method=\"post\""
    );
}

#[test]
fn a_token_is_bound_to_its_host_and_its_session() {
    let t = token("s1");
    assert_eq!(t.len(), 64);
    assert!(token_matches(&KEY, HOST, "s1", &t));
    assert!(token_matches(&KEY, "LYON.krafto.test", "s1", &t));
    assert!(!token_matches(&KEY, HOST, "s2", &t));
    assert!(!token_matches(&KEY, "paris.krafto.test", "s1", &t));
    assert!(!token_matches(&[8; 32], HOST, "s1", &t));
    assert!(!token_matches(&KEY, HOST, "s1", "not hex"));
    assert!(!token_matches(&KEY, HOST, "s1", ""));
}

#[tokio::test]
async fn a_visitor_without_a_session_gets_an_anonymous_cookie_and_the_matching_token() {
    let page = send(Method::GET, "/", &[], Vec::new()).await;
    assert_eq!(page.status, StatusCode::OK);
    let cookie = page.headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("krafto_csrf="), "{cookie}");
    assert!(
        cookie.ends_with("; Path=/; HttpOnly; SameSite=Lax"),
        "{cookie}"
    );
    let anonymous = cookie["krafto_csrf=".len()..].split(';').next().unwrap();
    assert_eq!(anonymous.len(), 64);
    let t = token(anonymous);
    assert!(page.text.contains(&format!(
        r#"<form method="post" action="/change" id="change"><input type="hidden" name="_csrf" value="{t}"><button>"#
    )));
    assert!(page.text.contains(&format!(
        r#"<body hx-headers='{{"X-CSRF-Token":"{t}"}}' class="x">"#
    )));
    assert!(
        page.text
            .contains(r#"<form class="search" action="/search"><input name="q"></form>"#)
    );

    // Two visitors, two cookies, two tokens.
    let other = send(Method::GET, "/", &[], Vec::new()).await;
    assert_ne!(other.headers["set-cookie"], page.headers["set-cookie"]);

    // A visitor who has the cookie keeps it; a signed-in one needs none.
    let again = send(
        Method::GET,
        "/",
        &[("cookie", &format!("krafto_csrf={anonymous}"))],
        Vec::new(),
    )
    .await;
    assert!(again.headers.get("set-cookie").is_none());
    assert!(again.text.contains(&t));
    let signed_in = send(
        Method::GET,
        "/",
        &[("cookie", "krafto_session=s1")],
        Vec::new(),
    )
    .await;
    assert!(signed_in.headers.get("set-cookie").is_none());
    assert!(signed_in.text.contains(&token("s1")));
}

#[tokio::test]
async fn a_post_with_its_session_token_passes_with_its_body_whole() {
    let before = CHANGES.load(Ordering::SeqCst);
    let body = format!("name=Glass+art&_csrf={}&slug=", token("a1"));
    let r = post(&[("cookie", "krafto_csrf=a1")], &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.text, body);
    // In the header (htmx), from this very origin as a browser says it.
    let r = post(
        &[
            ("cookie", "krafto_session=s1"),
            ("x-csrf-token", &token("s1")),
            ("origin", "http://lyon.krafto.test"),
            ("sec-fetch-site", "same-origin"),
        ],
        "name=x",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Typed into the address bar, then posted (Sec-Fetch-Site: none), with a same-origin referrer.
    let r = post(
        &[
            ("cookie", "krafto_session=s1"),
            ("x-csrf-token", &token("s1")),
            ("referer", "http://lyon.krafto.test/admin?x=1"),
            ("sec-fetch-site", "none"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(CHANGES.load(Ordering::SeqCst) >= before + 3);
}

#[tokio::test]
async fn a_post_without_the_right_token_is_refused_and_changes_nothing() {
    let cases: Vec<(Vec<(&str, String)>, String)> = vec![
        (vec![("cookie", "krafto_csrf=a1".into())], "name=x".into()),
        (vec![], format!("_csrf={}", token("a1"))),
        (
            vec![("cookie", "krafto_csrf=a2".into())],
            format!("_csrf={}", token("a1")),
        ),
        // With a session, the anonymous cookie's token no longer counts.
        (
            vec![("cookie", "krafto_session=s1; krafto_csrf=a1".into())],
            format!("_csrf={}", token("a1")),
        ),
        (
            vec![
                ("cookie", "krafto_session=s1".into()),
                ("x-csrf-token", "00".into()),
            ],
            String::new(),
        ),
    ];
    for (headers, body) in cases {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = post(&headers, &body).await;
        assert!(refused(&r), "{headers:?} {body}: {} {}", r.status, r.text);
    }
}

#[tokio::test]
async fn a_post_from_another_origin_is_refused_even_with_a_valid_token() {
    let good = token("s1");
    let from = |extra: (&'static str, &'static str)| {
        let good = good.clone();
        async move {
            post(
                &[
                    ("cookie", "krafto_session=s1"),
                    ("x-csrf-token", &good),
                    extra,
                ],
                "name=x",
            )
            .await
        }
    };
    for extra in [
        ("origin", "http://evil.krafto.test"),
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("origin", "http://lyon.krafto.test:8080"),
        ("sec-fetch-site", "same-site"),
        ("sec-fetch-site", "cross-site"),
        ("referer", "http://evil.krafto.test/attack.html"),
        ("referer", "not a url"),
    ] {
        let r = from(extra).await;
        assert!(refused(&r), "{extra:?}: {} {}", r.status, r.text);
    }
    // A page served over https by a TLS-ending proxy posts with an https origin.
    assert_eq!(
        from(("origin", "https://lyon.krafto.test")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_multipart_form_carries_the_token_as_a_part() {
    let boundary = "XyZ";
    let body = |t: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{t}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\
             Content-Type: text/csv\r\n\r\ntitle\nBowl\n\r\n--{boundary}--\r\n"
        )
    };
    let ct = format!("multipart/form-data; boundary={boundary}");
    let ok = body(&token("a1"));
    let r = send(
        Method::POST,
        "/change",
        &[("cookie", "krafto_csrf=a1"), ("content-type", &ct)],
        ok.clone().into_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.text, ok, "the handler reads the body whole");
    let r = send(
        Method::POST,
        "/change",
        &[("cookie", "krafto_csrf=a1"), ("content-type", &ct)],
        body(&token("a2")).into_bytes(),
    )
    .await;
    assert!(refused(&r));
}

#[tokio::test]
async fn a_body_past_the_limit_is_not_read_whole() {
    let big = format!("name={}&_csrf={}", "a".repeat(70 * 1024), token("a1"));
    let r = post(&[("cookie", "krafto_csrf=a1")], &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn the_refusal_page_is_branded_french_and_links_back_to_the_page_of_the_form() {
    let r = post(
        &[
            ("cookie", "krafto_csrf=a1"),
            ("referer", "http://lyon.krafto.test/admin/categories?tab=2"),
        ],
        "name=x",
    )
    .await;
    assert!(refused(&r));
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(r.text.contains(r#"<html lang="fr">"#));
    assert!(r.text.contains("Lyon Makers"));
    assert!(r.text.contains("--brand: #8a4b2a"));
    assert!(
        r.text
            .contains(r#"<a class="button" href="/admin/categories?tab=2">Revenir à la page</a>"#),
        "{}",
        r.text
    );
    let r = post(
        &[
            ("origin", "http://evil.krafto.test"),
            ("referer", "http://evil.krafto.test/x"),
        ],
        "",
    )
    .await;
    assert!(
        r.text.contains(r#"<a class="button" href="/">"#),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn a_page_that_opens_a_session_carries_the_token_of_the_new_session() {
    let r = send(
        Method::GET,
        "/sign-in",
        &[("cookie", "krafto_csrf=a1")],
        Vec::new(),
    )
    .await;
    assert!(r.text.contains(&token("fresh")), "{}", r.text);
    assert!(!r.text.contains(&token("a1")));
}

#[tokio::test]
async fn exempt_paths_are_neither_checked_nor_rewritten() {
    let r = send(
        Method::POST,
        "/api/v1/thing",
        &[("origin", "http://evil.example")],
        Vec::new(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text, r#"<body><form method="post"></form></body>"#);
    assert!(r.headers.get("set-cookie").is_none());
}
