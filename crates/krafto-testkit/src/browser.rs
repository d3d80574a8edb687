//! A small W3C WebDriver client: a headless Chromium driven through its own chromedriver,
//! for tests that look at the pages the way a buyer does (computed styles, layout, focus,
//! forms submitted by clicks, screenshots).
//!
//! Marketplace hosts (`*.krafto.test`) resolve to loopback inside the browser, so a test
//! opens `app.storefront_url("lyon.krafto.test", "/")` (`http://lyon.krafto.test:PORT/`) and
//! the tenant gate sees the same Host header a real deployment would. With
//! [`Browser::for_app`] every port of those hosts reaches the app's platform, so the
//! port-less links the servers write (e-mails, demo pictures) work too.
//!
//! ```ignore
//! let app = TestApp::spawn().await;
//! let browser = Browser::for_app(&app).await;
//! browser.goto(&app.storefront_url("lyon.krafto.test", "/")).await;
//! browser.fill("#site-q", "bowl").await;
//! browser.click("header.site form.search button").await;
//! browser.wait_for_text("Results for").await;
//! browser.screenshot_full_page(&screenshot_path("lyon-search-desktop")).await;
//! ```
//!
//! Every method panics with a message that names what failed (the selector, the URL, the
//! page's text) instead of returning errors: these are test helpers. Nothing here is used by
//! the servers.

use base64::Engine as _;
use serde_json::{Value, json};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The key WebDriver uses for an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

const INSTALL_HINT: &str = "the browser tests need Chromium and chromedriver: run `scripts/test` \
(it installs them as root), or `apt-get install chromium chromium-driver`, or set \
KRAFTO_CHROMIUM and KRAFTO_CHROMEDRIVER to their paths";

/// How to start a [`Browser`].
#[derive(Debug, Clone)]
pub struct BrowserOptions {
    /// Viewport size in CSS pixels.
    pub width: u32,
    pub height: u32,
    /// Host-resolver rules given to Chromium (`MAP *.krafto.test 127.0.0.1` by default).
    pub host_rules: Vec<String>,
    /// How long `wait_for*` waits before failing.
    pub timeout: Duration,
}

impl BrowserOptions {
    /// Every `*.krafto.test` URL, whatever its port (`http://lyon.krafto.test/...` as in
    /// e-mails and demo pictures, or `app.storefront_url(..)`), reaches platform instance 0
    /// of `app`.
    pub fn for_app(app: &crate::TestApp) -> BrowserOptions {
        let target = app.platforms[0];
        BrowserOptions {
            host_rules: vec![
                format!("MAP *.{} {target}", crate::BASE_DOMAIN),
                format!("MAP {} {target}", crate::BASE_DOMAIN),
            ],
            ..BrowserOptions::default()
        }
    }
}

impl Default for BrowserOptions {
    fn default() -> Self {
        BrowserOptions {
            width: 1280,
            height: 900,
            host_rules: vec![
                format!("MAP *.{} 127.0.0.1", crate::BASE_DOMAIN),
                format!("MAP {} 127.0.0.1", crate::BASE_DOMAIN),
            ],
            timeout: Duration::from_secs(20),
        }
    }
}

/// A headless Chromium session. Closing it (or dropping it) ends the session and stops the
/// chromedriver it started.
#[derive(Debug)]
pub struct Browser {
    driver: Child,
    driver_log: PathBuf,
    port: u16,
    session: String,
    http: reqwest::Client,
    timeout: Duration,
    profile: PathBuf,
}

/// An element found on the current page.
#[derive(Debug, Clone)]
pub struct Element<'b> {
    browser: &'b Browser,
    id: String,
    /// The selector it was found by (for messages).
    pub selector: String,
}

/// A path, PNG file name and all, under [`screenshots_dir`].
pub fn screenshot_path(name: &str) -> PathBuf {
    screenshots_dir().join(format!("{name}.png"))
}

/// `<repository root>/screenshots/` (ignored by git), created when missing.
pub fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../screenshots")
        .components()
        .collect::<PathBuf>();
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn find_binary(var: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    candidates.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

impl Browser {
    /// A 1280×900 headless Chromium that resolves marketplace hosts to loopback.
    pub async fn launch() -> Browser {
        Self::launch_with(BrowserOptions::default()).await
    }

    /// A 1280×900 headless Chromium for `app`'s marketplaces (see [`BrowserOptions::for_app`]).
    pub async fn for_app(app: &crate::TestApp) -> Browser {
        Self::launch_with(BrowserOptions::for_app(app)).await
    }

    pub async fn launch_with(opts: BrowserOptions) -> Browser {
        let chromium = find_binary(
            "KRAFTO_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        )
        .unwrap_or_else(|| panic!("Chromium not found: {INSTALL_HINT}"));
        let chromedriver = find_binary("KRAFTO_CHROMEDRIVER", &["chromedriver"])
            .unwrap_or_else(|| panic!("chromedriver not found: {INSTALL_HINT}"));
        let port = free_port();
        let scratch =
            std::env::temp_dir().join(format!("krafto-browser-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&scratch).expect("browser scratch directory");
        let driver_log = scratch.join("chromedriver.log");
        let log = std::fs::File::create(&driver_log).expect("chromedriver log file");
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let profile = scratch.join("profile");
        let mut browser = Browser {
            driver,
            driver_log,
            port,
            session: String::new(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("http client"),
            timeout: opts.timeout,
            profile: scratch,
        };
        browser.wait_for_driver().await;
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-extensions".to_owned(),
            "--no-first-run".to_owned(),
            "--hide-scrollbars".to_owned(),
            "--force-device-scale-factor=1".to_owned(),
            format!("--window-size={},{}", opts.width, opts.height),
            format!("--user-data-dir={}", profile.display()),
        ];
        if !opts.host_rules.is_empty() {
            args.push(format!(
                "--host-resolver-rules={}",
                opts.host_rules.join(", ")
            ));
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        }}});
        let created = browser
            .raw(reqwest::Method::POST, "/session", Some(caps))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start a Chromium session ({}): {e}\nchromedriver log:\n{}",
                    chromium.display(),
                    tail(&browser.driver_log)
                )
            });
        browser.session = created["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        browser.set_size(opts.width, opts.height).await;
        browser
    }

    async fn wait_for_driver(&mut self) {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!(
                    "chromedriver exited at start ({status}):\n{}",
                    tail(&self.driver_log)
                );
            }
            if let Ok(v) = self.raw(reqwest::Method::GET, "/status", None).await
                && v["ready"] == true
            {
                return;
            }
            if start.elapsed() > Duration::from_secs(20) {
                panic!(
                    "chromedriver did not become ready on port {}:\n{}",
                    self.port,
                    tail(&self.driver_log)
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// One WebDriver call; `Ok(value)` or the driver's error text.
    async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        let mut req = self.http.request(method.clone(), &url);
        // POST bodies are required by the protocol, even empty.
        if method == reqwest::Method::POST {
            req = req.json(&body.unwrap_or_else(|| json!({})));
        }
        let resp = req
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = resp.status();
        let text = resp.text().await.map_err(|e| format!("{path}: {e}"))?;
        let v: Value = serde_json::from_str(&text)
            .map_err(|_| format!("{method} {path}: {status}: {text}"))?;
        if status.is_success() {
            Ok(v["value"].clone())
        } else {
            Err(format!(
                "{} ({}): {}",
                v["value"]["error"].as_str().unwrap_or("error"),
                status,
                v["value"]["message"]
                    .as_str()
                    .unwrap_or(&text)
                    .lines()
                    .next()
                    .unwrap_or_default()
            ))
        }
    }

    /// A call in this session (`path` after `/session/{id}`).
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        self.raw(method, &format!("/session/{}{path}", self.session), body)
            .await
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// Panics with `what`, the error, the current URL and the start of the page's text.
    async fn fail(&self, what: &str, err: &str) -> ! {
        let url = self.get("/url").await.unwrap_or_default();
        let text = self
            .eval_raw("return document.body ? document.body.innerText : ''")
            .await
            .unwrap_or_default();
        let text: String = text
            .as_str()
            .unwrap_or_default()
            .chars()
            .take(2000)
            .collect();
        panic!(
            "browser: {what}: {err}\n  at {}\n  page text:\n{text}",
            url.as_str().unwrap_or("?")
        );
    }

    async fn eval_raw(&self, js: &str) -> Result<Value, String> {
        self.post("/execute/sync", json!({ "script": js, "args": [] }))
            .await
    }

    /// Opens `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        if let Err(e) = self.post("/url", json!({ "url": url })).await {
            self.fail(&format!("open {url}"), &e).await;
        }
    }

    /// The current URL.
    pub async fn url(&self) -> String {
        match self.get("/url").await {
            Ok(v) => v.as_str().unwrap_or_default().to_owned(),
            Err(e) => panic!("browser: read the URL: {e}"),
        }
    }

    /// The current URL's path and query (`/orders/LYON-000001?token=...`).
    pub async fn path(&self) -> String {
        let url = self.url().await;
        let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        after_scheme
            .find('/')
            .map_or("/".to_owned(), |i| after_scheme[i..].to_owned())
    }

    pub async fn title(&self) -> String {
        match self.get("/title").await {
            Ok(v) => v.as_str().unwrap_or_default().to_owned(),
            Err(e) => self.fail("read the title", &e).await,
        }
    }

    /// The first element matching `css`, if any (no waiting).
    pub async fn try_find(&self, css: &str) -> Option<Element<'_>> {
        match self
            .post("/element", json!({ "using": "css selector", "value": css }))
            .await
        {
            Ok(v) => Some(self.element(&v, css)),
            Err(e) if e.starts_with("no such element") => None,
            Err(e) => self.fail(&format!("find `{css}`"), &e).await,
        }
    }

    fn element(&self, v: &Value, css: &str) -> Element<'_> {
        Element {
            browser: self,
            id: v[ELEMENT_KEY].as_str().unwrap_or_default().to_owned(),
            selector: css.to_owned(),
        }
    }

    /// The first element matching `css`; fails when there is none.
    pub async fn find(&self, css: &str) -> Element<'_> {
        match self.try_find(css).await {
            Some(e) => e,
            None => self.fail(&format!("find `{css}`"), "no such element").await,
        }
    }

    /// Every element matching `css` (maybe none).
    pub async fn find_all(&self, css: &str) -> Vec<Element<'_>> {
        match self
            .post(
                "/elements",
                json!({ "using": "css selector", "value": css }),
            )
            .await
        {
            Ok(Value::Array(items)) => items.iter().map(|v| self.element(v, css)).collect(),
            Ok(other) => panic!("browser: find all `{css}`: unexpected {other}"),
            Err(e) => self.fail(&format!("find all `{css}`"), &e).await,
        }
    }

    /// Clicks the first element matching `css` (waiting for it to appear).
    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await;
    }

    /// Clears the field matching `css` and types `text` into it.
    pub async fn fill(&self, css: &str, text: &str) {
        self.wait_for(css).await.fill(text).await;
    }

    /// Chooses the option whose value is `value` in the `<select>` matching `css`.
    pub async fn select(&self, css: &str, value: &str) {
        self.wait_for(css).await.select(value).await;
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> String {
        match self
            .eval_raw("return document.body ? document.body.innerText : ''")
            .await
        {
            Ok(v) => v.as_str().unwrap_or_default().to_owned(),
            Err(e) => self.fail("read the page text", &e).await,
        }
    }

    /// Runs `js` as a function body (use `return`) and gives back its JSON result.
    pub async fn eval(&self, js: &str) -> Value {
        match self.eval_raw(js).await {
            Ok(v) => v,
            Err(e) => self.fail(&format!("run script `{js}`"), &e).await,
        }
    }

    /// Waits until an element matches `css`.
    pub async fn wait_for(&self, css: &str) -> Element<'_> {
        let start = Instant::now();
        loop {
            if let Some(e) = self.try_find(css).await {
                return e;
            }
            if start.elapsed() > self.timeout {
                self.fail(
                    &format!("wait for `{css}`"),
                    &format!("nothing matched within {:?}", self.timeout),
                )
                .await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page's visible text contains `text`.
    pub async fn wait_for_text(&self, text: &str) {
        let start = Instant::now();
        loop {
            let page = self
                .eval_raw("return document.body ? document.body.innerText : ''")
                .await
                .unwrap_or_default();
            if page.as_str().is_some_and(|p| p.contains(text)) {
                return;
            }
            if start.elapsed() > self.timeout {
                self.fail(
                    &format!("wait for the text {text:?}"),
                    &format!("not on the page within {:?}", self.timeout),
                )
                .await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the URL's path starts with `prefix`.
    pub async fn wait_for_path(&self, prefix: &str) {
        let start = Instant::now();
        loop {
            if self.path().await.starts_with(prefix) {
                return;
            }
            if start.elapsed() > self.timeout {
                self.fail(
                    &format!("wait for a page under {prefix}"),
                    &format!("not reached within {:?}", self.timeout),
                )
                .await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Presses a key on whatever has focus (`"\u{E004}"` is Tab, see [`keys`]).
    pub async fn press(&self, key: &str) {
        let actions = json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": [
            { "type": "keyDown", "value": key }, { "type": "keyUp", "value": key },
        ]}]});
        if let Err(e) = self.post("/actions", actions).await {
            self.fail(&format!("press {key:?}"), &e).await;
        }
    }

    /// A short description of the focused element (`a.skip "Skip to content"`).
    pub async fn focused(&self) -> String {
        self.eval(
            "const e = document.activeElement; if (!e) return ''; \
             return e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ').join('.') : '') \
             + (e.id ? '#' + e.id : '') + ' \"' + (e.innerText || e.value || '').trim() + '\"';",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Resizes the viewport (`window.innerWidth` × `innerHeight`) to `width` × `height`:
    /// fixed through DevTools' device metrics (exact, and immune to a full-page screenshot
    /// having stretched the window), else by resizing the window until it fits.
    pub async fn set_size(&self, width: u32, height: u32) {
        let fixed = self
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
            )
            .await
            .is_ok();
        if fixed {
            for _ in 0..40 {
                let inner = self
                    .eval_raw("return [window.innerWidth, window.innerHeight]")
                    .await
                    .unwrap_or_default();
                if inner[0].as_i64() == Some(i64::from(width))
                    && inner[1].as_i64() == Some(i64::from(height))
                {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(25)).await;
            }
        }
        let (mut w, mut h) = (i64::from(width), i64::from(height));
        for _ in 0..3 {
            if let Err(e) = self
                .post("/window/rect", json!({ "width": w, "height": h }))
                .await
            {
                self.fail(&format!("resize to {width}×{height}"), &e).await;
            }
            let inner = self
                .eval_raw("return [window.innerWidth, window.innerHeight]")
                .await
                .unwrap_or_default();
            let (iw, ih) = (
                inner[0].as_i64().unwrap_or(0),
                inner[1].as_i64().unwrap_or(0),
            );
            if iw == i64::from(width) && ih == i64::from(height) {
                return;
            }
            // The window has borders or chrome: grow it by the difference.
            w += i64::from(width) - iw;
            h += i64::from(height) - ih;
        }
        let inner = self
            .eval("return [window.innerWidth, window.innerHeight]")
            .await;
        panic!("browser: could not get a {width}×{height} viewport, got {inner}");
    }

    /// Saves a PNG of the viewport to `path`.
    pub async fn screenshot(&self, path: &Path) {
        let data = match self.get("/screenshot").await {
            Ok(v) => v,
            Err(e) => self.fail("take a screenshot", &e).await,
        };
        write_png(path, data.as_str().unwrap_or_default());
    }

    /// Saves a PNG of the whole page, below the fold included, to `path`.
    pub async fn screenshot_full_page(&self, path: &Path) {
        let metrics = match self.cdp("Page.getLayoutMetrics", json!({})).await {
            Ok(v) => v,
            Err(e) => self.fail("measure the page", &e).await,
        };
        let size = &metrics["cssContentSize"];
        let clip = json!({
            "x": 0, "y": 0, "scale": 1,
            "width": size["width"].as_f64().unwrap_or(1280.0).ceil(),
            "height": size["height"].as_f64().unwrap_or(900.0).ceil(),
        });
        let shot = match self
            .cdp(
                "Page.captureScreenshot",
                json!({ "format": "png", "captureBeyondViewport": true, "clip": clip }),
            )
            .await
        {
            Ok(v) => v,
            Err(e) => self.fail("take a full-page screenshot", &e).await,
        };
        write_png(path, shot["data"].as_str().unwrap_or_default());
    }

    /// A Chrome DevTools Protocol command through chromedriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.post("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
            .await
    }

    /// Signs `email` in on marketplace `host` (`lyon.krafto.test`) through the storefront's
    /// e-mailed-code form, like a person would, and lands on `next` (a path such as `/sell`).
    pub async fn sign_in(&self, app: &crate::TestApp, host: &str, email: &str, next: &str) {
        let next: String = next
            .chars()
            .map(|c| match c {
                '?' => "%3F".to_owned(),
                '&' => "%26".to_owned(),
                '=' => "%3D".to_owned(),
                '#' => "%23".to_owned(),
                c => c.to_string(),
            })
            .collect();
        self.goto(&app.storefront_url(host, &format!("/sign-in?next={next}")))
            .await;
        self.fill("#email", email).await;
        self.click("form[action='/sign-in'] button[type=submit]")
            .await;
        self.wait_for("#code").await;
        let code = app
            .latest_code(email)
            .unwrap_or_else(|| panic!("browser: no sign-in code was mailed to {email}"));
        self.fill("#code", &code).await;
        self.click("form[action='/sign-in/code'] button[type=submit]")
            .await;
        self.wait_for("form[action='/sign-out']").await;
    }

    /// Sets a cookie on the current page's site (open a page of that host first).
    pub async fn add_cookie(&self, name: &str, value: &str) {
        if let Err(e) = self
            .post(
                "/cookie",
                json!({ "cookie": { "name": name, "value": value, "path": "/" } }),
            )
            .await
        {
            self.fail(&format!("set the cookie {name}"), &e).await;
        }
    }

    /// Ends the session and stops chromedriver (dropping does the same, without waiting).
    pub async fn close(mut self) {
        let _ = self.call(reqwest::Method::DELETE, "", None).await;
        self.session.clear();
    }
}

fn write_png(path: &Path, b64: &str) {
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap_or_else(|e| panic!("browser: the screenshot is not base64: {e}"));
    assert!(
        png.starts_with(b"\x89PNG"),
        "browser: the screenshot is not a PNG"
    );
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    std::fs::write(path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Whether `reply` holds a whole HTTP response (headers and `Content-Length` bytes of body).
fn reply_complete(reply: &[u8]) -> bool {
    let Some(end) = reply.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&reply[..end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    reply.len() >= end + 4 + length
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Drop cannot await: a plain blocking DELETE, so Chromium exits with its driver.
            if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                let _ = write!(
                    s,
                    "DELETE /session/{} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    self.session, self.port
                );
                // Read the whole reply (chromedriver may keep the connection open).
                let mut reply = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = s.read(&mut buf) {
                    reply.extend_from_slice(&buf[..n]);
                    if reply_complete(&reply) {
                        break;
                    }
                }
            }
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Element<'_> {
    async fn fail(&self, what: &str, err: &str) -> ! {
        self.browser
            .fail(&format!("{what} `{}`", self.selector), err)
            .await
    }

    pub async fn click(&self) {
        if let Err(e) = self
            .browser
            .post(&format!("/element/{}/click", self.id), json!({}))
            .await
        {
            self.fail("click", &e).await;
        }
    }

    /// Clears the field and types `text`.
    pub async fn fill(&self, text: &str) {
        if let Err(e) = self
            .browser
            .post(&format!("/element/{}/clear", self.id), json!({}))
            .await
        {
            self.fail("clear", &e).await;
        }
        if let Err(e) = self
            .browser
            .post(
                &format!("/element/{}/value", self.id),
                json!({ "text": text }),
            )
            .await
        {
            self.fail("type into", &e).await;
        }
    }

    /// Chooses the option whose value is `value` (this element is a `<select>`).
    pub async fn select(&self, value: &str) {
        let script = "const [s, v] = arguments; \
            const o = Array.from(s.options || []).find(o => o.value === v); \
            if (!o) return Array.from(s.options || []).map(o => o.value); \
            s.value = v; s.dispatchEvent(new Event('input', {bubbles: true})); \
            s.dispatchEvent(new Event('change', {bubbles: true})); return null;";
        match self
            .browser
            .post(
                "/execute/sync",
                json!({ "script": script, "args": [{ ELEMENT_KEY: self.id }, value] }),
            )
            .await
        {
            Ok(Value::Null) => {}
            Ok(options) => {
                self.fail(
                    &format!("select {value:?} in"),
                    &format!("no such option; the options are {options}"),
                )
                .await
            }
            Err(e) => self.fail(&format!("select {value:?} in"), &e).await,
        }
    }

    /// Visible text.
    pub async fn text(&self) -> String {
        match self
            .browser
            .get(&format!("/element/{}/text", self.id))
            .await
        {
            Ok(v) => v.as_str().unwrap_or_default().to_owned(),
            Err(e) => self.fail("read the text of", &e).await,
        }
    }

    /// An attribute as written in the HTML (`None` when absent).
    pub async fn attr(&self, name: &str) -> Option<String> {
        match self
            .browser
            .get(&format!("/element/{}/attribute/{name}", self.id))
            .await
        {
            Ok(v) => v.as_str().map(str::to_owned),
            Err(e) => self.fail(&format!("read @{name} of"), &e).await,
        }
    }

    /// A DOM property (`value`, `checked`, ...).
    pub async fn prop(&self, name: &str) -> Value {
        match self
            .browser
            .get(&format!("/element/{}/property/{name}", self.id))
            .await
        {
            Ok(v) => v,
            Err(e) => self.fail(&format!("read .{name} of"), &e).await,
        }
    }

    /// A computed CSS value as `getComputedStyle` gives it (`color` → `rgb(138, 75, 42)`).
    pub async fn css(&self, property: &str) -> String {
        match self
            .browser
            .post(
                "/execute/sync",
                json!({
                    "script": "return getComputedStyle(arguments[0]).getPropertyValue(arguments[1]);",
                    "args": [{ ELEMENT_KEY: self.id }, property],
                }),
            )
            .await
        {
            Ok(v) => v.as_str().unwrap_or_default().to_owned(),
            Err(e) => self.fail(&format!("read the {property} of"), &e).await,
        }
    }
}

/// WebDriver key codes for [`Browser::press`].
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const ESCAPE: &str = "\u{E00C}";
}
