//! The pages a server answers by itself, outside any handler, in the site's brand and
//! language: the form guard's refusal ([`crate::csrf`]) and [`ProblemPages`], which turns a
//! problem met on the way to a page (a body too large, an unreadable request, a deadline
//! passed, too many requests) into a page a person can read. The API keeps its problems.

use askama::Template;
pub use krafto_i18n::Locale;
use poem::http::{HeaderValue, StatusCode, header};
use poem::web::Html;
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What a server's own pages show of the site they belong to.
#[derive(Debug, Clone, Default)]
pub struct Brand {
    pub name: String,
    /// The `--brand` and `--accent` colours, when the site has its own.
    pub colours: Option<(String, String)>,
    /// The `<body>` class (`console` for the control plane).
    pub body_class: &'static str,
    pub lang: Locale,
}

impl Brand {
    /// Krafto's own brand, in `lang`.
    pub fn krafto(lang: Locale) -> Self {
        Self {
            name: "Krafto".to_owned(),
            lang,
            ..Self::default()
        }
    }
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage<'a> {
    brand: &'a Brand,
    heading: &'a str,
    text: &'a str,
    back: &'a str,
    back_label: String,
}

/// The notice page: `heading`, one sentence, and a link back to `back` (a path of this
/// site), with `status`.
pub fn notice(
    brand: &Brand,
    status: StatusCode,
    heading: &str,
    text: &str,
    back: &str,
) -> Response {
    let page = NoticePage {
        brand,
        heading,
        text,
        back,
        back_label: brand.lang.t("notice-back"),
    };
    let mut r = match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a notice page failed to render");
            text.to_owned().into_response()
        }
    };
    r.set_status(status);
    r
}

/// Where a notice leads back: the page the request came from when the `Referer` names a
/// path of this very host, else the home page.
pub fn back_path(referer: Option<&str>, host: &str) -> String {
    referer
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|r| {
            matches!(r.scheme(), "http" | "https")
                && r.host_str().is_some_and(|h| {
                    let own = host.rsplit_once(':').map_or(host, |(h, _)| h);
                    h.eq_ignore_ascii_case(own)
                })
        })
        .and_then(|r| {
            let path = match r.query() {
                Some(q) => format!("{}?{q}", r.path()),
                None => r.path().to_owned(),
            };
            crate::redirect::local_path(&path).map(str::to_owned)
        })
        .unwrap_or_else(|| "/".to_owned())
}

/// Whether `path` is `prefix` or under it.
pub(crate) fn is_under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The heading and sentence for a problem's status.
fn words(lang: Locale, status: StatusCode, retry_after: Option<u64>) -> (String, String) {
    let key = match status.as_u16() {
        400 => "notice-400",
        413 => "notice-413",
        429 => "notice-429",
        503 | 504 => "notice-503",
        404 | 405 | 410 => "notice-404",
        401 | 403 => "notice-403",
        _ => "notice-500",
    };
    let mut text = lang.t(&format!("{key}-text"));
    if status == StatusCode::TOO_MANY_REQUESTS {
        let secs = retry_after.unwrap_or(1).max(1);
        text = format!(
            "{text} {}",
            lang.t_args("notice-retry-in", &[("secs", secs.into())])
        );
    }
    (lang.t(&format!("{key}-title")), text)
}

/// What the brand of a problem page is chosen by: the request's host, and its cookies (a
/// visitor's choice of language).
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub host: String,
    pub cookies: Vec<HeaderValue>,
}

impl Asked {
    /// The value of the cookie `name`, if the request carried it.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        crate::pages::cookie_in(self.cookies.iter().filter_map(|v| v.to_str().ok()), name)
    }
}

type BrandFuture = Pin<Box<dyn Future<Output = Brand> + Send>>;
type BrandOfHost = Arc<dyn Fn(Asked) -> BrandFuture + Send + Sync>;

/// The middleware: a problem (`application/problem+json`) answered to a page request
/// becomes the notice page for its status, branded by the request's host; its status and
/// `Retry-After` stay. Requests under the exempt prefixes (the API, webhooks, probes) keep
/// their problems. Put it outside the layers that answer problems by themselves (input
/// guard, body limit, deadline); the brand lookup must not wait on the database.
#[derive(Clone)]
pub struct ProblemPages {
    exempt: Vec<&'static str>,
    brand: BrandOfHost,
}

impl std::fmt::Debug for ProblemPages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProblemPages")
            .field("exempt", &self.exempt)
            .finish_non_exhaustive()
    }
}

impl ProblemPages {
    /// Pages branded by `brand`, given the request's host and cookies.
    pub fn new<F, Fut>(brand: F) -> Self
    where
        F: Fn(Asked) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Brand> + Send + 'static,
    {
        Self {
            exempt: Vec::new(),
            brand: Arc::new(move |host| Box::pin(brand(host))),
        }
    }

    /// Leaves `prefix` and everything under it alone (`/api/v1`).
    #[must_use]
    pub fn exempt(mut self, prefix: &'static str) -> Self {
        self.exempt.push(prefix);
        self
    }
}

impl<E: Endpoint> Middleware<E> for ProblemPages {
    type Output = ProblemPagesEndpoint<E>;
    fn transform(&self, ep: E) -> Self::Output {
        ProblemPagesEndpoint {
            inner: ep,
            pages: self.clone(),
        }
    }
}

pub struct ProblemPagesEndpoint<E> {
    inner: E,
    pages: ProblemPages,
}

impl<E> std::fmt::Debug for ProblemPagesEndpoint<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pages.fmt(f)
    }
}

impl<E: Endpoint> Endpoint for ProblemPagesEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        let path = req.uri().path();
        if self.pages.exempt.iter().any(|p| is_under(path, p)) {
            return self.inner.call(req).await.map(IntoResponse::into_response);
        }
        // Kept as header values (shared bytes, no copy); read only when there is a problem.
        let headers = req.headers();
        let host = headers.get(header::HOST).cloned();
        let referer = headers.get(header::REFERER).cloned();
        let cookies: Vec<HeaderValue> = headers.get_all(header::COOKIE).iter().cloned().collect();
        let resp = match self.inner.call(req).await {
            Ok(r) => r.into_response(),
            Err(e) if e.is_from_response() => e.into_response(),
            Err(e) => crate::problem_response(&e),
        };
        let problem = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"application/problem+json"));
        if !problem {
            return Ok(resp);
        }
        let status = resp.status();
        let retry_after: Option<HeaderValue> = resp.headers().get(header::RETRY_AFTER).cloned();
        let secs = retry_after
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let text = |v: &Option<HeaderValue>| {
            v.as_ref()
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let (host, referer) = (text(&host), text(&referer));
        let brand = (self.pages.brand)(Asked {
            host: host.clone(),
            cookies,
        })
        .await;
        let (heading, text) = words(brand.lang, status, secs);
        let mut page = notice(
            &brand,
            status,
            &heading,
            &text,
            &back_path(Some(referer.as_str()).filter(|r| !r.is_empty()), &host),
        );
        for (name, value) in resp.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                page.headers_mut().append(name.clone(), value.clone());
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::http::Method;
    use poem::{EndpointExt, Route, handler};

    #[handler]
    fn too_big() -> Result<&'static str> {
        Err(crate::ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            krafto_api_types::Code::PayloadTooLarge,
            "the request body is larger than 1 MiB",
        )
        .into())
    }

    #[handler]
    fn busy() -> Result<&'static str> {
        Err(crate::ApiError::rate_limited("too many requests; retry in 7 seconds", 7).into())
    }

    fn app() -> impl Endpoint {
        Route::new()
            .at("/api/v1/upload", too_big)
            .at("/shop/upload", too_big)
            .at("/busy", busy)
            .with(
                ProblemPages::new(|asked: Asked| async move {
                    let host = asked.host;
                    Brand {
                        name: format!("Marché de {host}"),
                        lang: Locale::of_tag(if host.starts_with("en.") {
                            "en-GB"
                        } else {
                            "fr-FR"
                        }),
                        ..Brand::default()
                    }
                })
                .exempt("/api/v1"),
            )
    }

    async fn send(method: Method, path: &str, host: &str, referer: Option<&str>) -> Response {
        let mut req = Request::builder()
            .method(method)
            .uri_str(path)
            .header("host", host);
        if let Some(r) = referer {
            req = req.header("referer", r);
        }
        app().get_response(req.finish()).await
    }

    async fn text(r: Response) -> String {
        r.into_body().into_string().await.unwrap()
    }

    #[tokio::test]
    async fn a_problem_on_a_page_is_a_branded_page_in_the_sites_language_and_the_api_keeps_it() {
        let referer = Some("http://lyon.test/shop/new?step=2");
        let r = send(Method::POST, "/shop/upload", "lyon.test", referer).await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(r.content_type(), Some("text/html; charset=utf-8"));
        let html = text(r).await;
        assert!(html.contains("<html lang=\"fr\">"), "{html}");
        assert!(html.contains("Envoi trop volumineux"));
        assert!(html.contains("Marché de lyon.test"));
        assert!(html.contains(r#"href="/shop/new?step=2""#), "{html}");
        assert!(
            !html.contains("MiB") && !html.contains("payload_too_large"),
            "{html}"
        );

        let r = send(Method::GET, "/busy", "en.test", None).await;
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()["retry-after"], "7");
        let html = text(r).await;
        assert!(html.contains("Try again in 7 seconds."), "{html}");

        let r = send(Method::POST, "/api/v1/upload", "lyon.test", None).await;
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(r.content_type(), Some("application/problem+json"));
    }

    #[test]
    fn the_way_back_is_a_path_of_this_host_only() {
        assert_eq!(
            back_path(Some("http://lyon.test:8080/a?b=1"), "lyon.test:8080"),
            "/a?b=1"
        );
        assert_eq!(back_path(Some("https://evil.test/a"), "lyon.test"), "/");
        assert_eq!(
            back_path(Some("http://lyon.test//evil.test"), "lyon.test"),
            "/"
        );
        assert_eq!(back_path(None, "lyon.test"), "/");
    }
}
