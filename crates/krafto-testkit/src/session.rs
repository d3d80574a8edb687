//! A browser without JavaScript for page tests, and the form token a page carries.

use super::*;

/// A browser without JavaScript for page tests over HTTP: it submits forms, keeps the
/// session cookie it starts with or the server sets (and drops it when the server clears
/// it), and never follows redirects, so tests see each 303 and where it points.
///
/// Like a browser, it posts a form with the token of the page it came from: the `_csrf`
/// field of the last page it got (see `krafto_web::csrf`). When it has no page of the
/// current session yet, it opens one first (`/`, following its redirects).
#[derive(Debug, Clone)]
pub struct WebSession {
    http: reqwest::Client,
    base: String,
    host: Option<String>,
    /// The cookie sent with every request, `name=value`.
    pub cookie: Option<String>,
    /// The anonymous cookie the pages' form guard set (`krafto_csrf=…`), kept apart from
    /// `cookie`.
    pub(crate) anonymous: Option<String>,
    /// Any other cookie the server set (`name=value`), sent too, as a browser would (a
    /// guest's cart and the header's cart count beside the session).
    others: Vec<String>,
    /// The form token of the last page, with the cookies it was served for.
    token: Option<(String, String)>,
}

/// The form token a page carries (on `<body>` for htmx, on every post form).
pub fn page_form_token(html: &str) -> Option<String> {
    [r#""X-CSRF-Token":""#, r#"name="_csrf" value=""#]
        .into_iter()
        .find_map(|marker| html.split(marker).nth(1))
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
}

impl WebSession {
    fn new(base: String, host: Option<&str>, cookie: Option<String>) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("an HTTP client"),
            base,
            host: host.map(str::to_owned),
            cookie,
            anonymous: None,
            others: Vec::new(),
            token: None,
        }
    }

    /// A marketplace's pages on `host` (`lyon.krafto.test`), signed in with a user `token`
    /// (the `krafto_session` cookie) when given.
    pub fn storefront(app: &TestApp, host: &str, token: Option<&str>) -> Self {
        Self::new(
            format!("http://{}", app.platforms[0]),
            Some(host),
            token.map(|t| format!("krafto_session={t}")),
        )
    }

    /// The control-plane console, signed out.
    pub fn control(app: &TestApp) -> Self {
        Self::new(format!("http://{}", app.admin), None, None)
    }

    /// The `Cookie` header this session sends (empty without cookies).
    pub fn cookies(&self) -> String {
        self.cookie
            .iter()
            .chain(&self.others)
            .chain(&self.anonymous)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Reply {
        let req = match &self.host {
            Some(h) => req.header("host", h),
            None => req,
        };
        let cookies = self.cookies();
        let req = if cookies.is_empty() {
            req
        } else {
            req.header("cookie", cookies)
        };
        let reply = Reply::from_response(req.send().await.expect("the server answers")).await;
        let set = reply.set_cookies();
        let (anonymous, others): (Vec<&String>, Vec<&String>) = set
            .iter()
            .partition(|c| c.starts_with(&format!("{}=", krafto_web::csrf::ANONYMOUS_COOKIE)));
        let kept = |set: &str| {
            let pair = set.split(';').next().unwrap_or("").trim();
            let empty = pair.split_once('=').is_none_or(|(_, v)| v.is_empty());
            let cleared = empty || set.contains("Max-Age=0;") || set.ends_with("Max-Age=0");
            (!cleared).then(|| pair.to_owned())
        };
        if let Some(set) = anonymous.last() {
            self.anonymous = kept(set);
        }
        let name_of = |pair: &str| {
            let pair = pair.split(';').next().unwrap_or("").trim();
            pair.split_once('=').map_or(pair, |(n, _)| n).to_owned()
        };
        for set in others {
            let name = name_of(set);
            let same = self.cookie.as_deref().is_some_and(|c| name_of(c) == name);
            if same || (self.cookie.is_none() && !self.others.iter().any(|c| name_of(c) == name)) {
                self.cookie = kept(set);
            } else {
                self.others.retain(|c| name_of(c) != name);
                self.others.extend(kept(set));
            }
        }
        if let Some(token) = page_form_token(&reply.text) {
            self.token = Some((token, self.cookies()));
        }
        reply
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(req).await
    }

    /// The form token of this session's pages, opening `/` (and where it redirects) first
    /// when no page of the current session was seen yet. `None` when no page carries one.
    pub async fn form_token(&mut self) -> Option<String> {
        let mut path = "/".to_owned();
        for _ in 0..4 {
            if let Some((token, cookies)) = &self.token
                && *cookies == self.cookies()
            {
                return Some(token.clone());
            }
            let r = self.get(&path).await;
            match r.location() {
                to if r.status.is_redirection() && to.starts_with('/') => path = to.to_owned(),
                _ if page_form_token(&r.text).is_some() => {}
                _ => return None,
            }
        }
        None
    }

    /// Submits a form (`application/x-www-form-urlencoded`) to `path`, with the token of
    /// the session's pages.
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        let token = self.form_token().await;
        let mut fields = form.to_vec();
        if let Some(t) = &token {
            fields.push((krafto_web::csrf::FIELD, t));
        }
        let req = self.http.post(format!("{}{path}", self.base)).form(&fields);
        self.send(req).await
    }

    /// Submits a body built by the test (an upload form's `multipart/form-data`) to `path`,
    /// with the token of the session's pages in its header, as htmx would send it.
    pub async fn post_body(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let token = self.form_token().await;
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = &token {
            req = req.header(krafto_web::csrf::HEADER, t);
        }
        self.send(req).await
    }
}

/// What a browser holds after opening a page of a marketplace, for tests that build their
/// form posts by hand: the anonymous cookie the page set (when the request had no session)
/// and the token its forms carry.
#[derive(Debug, Clone)]
pub struct PageToken {
    pub cookie: Option<String>,
    pub token: String,
}

/// Sends what a page's form sends besides its fields (see [`TestApp::page_token`]).
pub trait PostedFrom {
    #[must_use]
    fn posted_from(self, page: &PageToken) -> Self;
}

impl PostedFrom for reqwest::RequestBuilder {
    fn posted_from(self, page: &PageToken) -> Self {
        let req = self.header(krafto_web::csrf::HEADER, &page.token);
        match &page.cookie {
            // A second `Cookie` header: the request's own cookies stay as the test set them.
            Some(c) => req.header("cookie", c),
            None => req,
        }
    }
}
