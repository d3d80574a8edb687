//! A headless Chromium driven through its own chromedriver with [`fantoccini`], for tests
//! that look at the pages the way a buyer does (computed styles, layout, focus, forms
//! submitted by clicks, screenshots).
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
//! browser.click_and_load("header.site form.search button").await;
//! browser.wait_for_text("Results for").await;
//! browser.screenshot_full_page(&screenshot_path("lyon-search-desktop")).await;
//! ```
//!
//! Elements are named by CSS selector, never held: every action and every read finds its
//! element again, and waits poll until their deadline ([`BrowserOptions::timeout`]),
//! taking "no such element" and "stale element reference" as "not yet". So nothing here
//! can touch an element of a page that has since been replaced. A click that loads another
//! page goes through [`Browser::click_and_load`], which waits for the new document: without
//! it the next read may still see the page being left.
//!
//! Every method panics with a message that names what failed (the selector, the URL, the
//! page's text) instead of returning errors: these are test helpers. Nothing here is used by
//! the servers.

use base64::Engine as _;
use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::error::{CmdError, ErrorStatus};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::io::{Read as _, Write as _};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INSTALL_HINT: &str = "the browser tests need Chromium and chromedriver: run `scripts/test` \
(it installs them as root), or `apt-get install chromium chromium-driver`, or set \
KRAFTO_CHROMIUM and KRAFTO_CHROMEDRIVER to their paths";

/// How often waits look again.
const POLL: Duration = Duration::from_millis(50);

/// Set on the page a [`Browser::click_and_load`] leaves; a new document does not have it.
const LEAVING: &str = "__kraftoLeaving";

/// How to start a [`Browser`].
#[derive(Debug, Clone)]
pub struct BrowserOptions {
    /// Viewport size in CSS pixels.
    pub width: u32,
    pub height: u32,
    /// Host-resolver rules given to Chromium (`MAP *.krafto.test 127.0.0.1` by default).
    pub host_rules: Vec<String>,
    /// How long a wait (and every find behind an action or a read) waits before failing.
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
    client: Client,
    driver: Child,
    port: u16,
    /// The WebDriver session id, for the blocking end of session in `Drop`; empty once closed.
    session: String,
    timeout: Duration,
    scratch: PathBuf,
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

/// Whether a failed command only means the page is not there yet: the element is not (or
/// no longer) in the document, cannot be reached yet, or the document is being replaced.
/// Anything else (a bad selector, a script error, a lost driver) fails at once.
fn not_yet(e: &CmdError) -> bool {
    let CmdError::Standard(w) = e else {
        return false;
    };
    match w.error {
        ErrorStatus::StaleElementReference
        | ErrorStatus::NoSuchElement
        | ErrorStatus::ElementNotInteractable
        | ErrorStatus::ElementClickIntercepted => true,
        // What chromedriver answers when a command lands while a navigation swaps the
        // document.
        ErrorStatus::JavascriptError | ErrorStatus::UnknownError => {
            let m = w.message.as_ref();
            m.contains("Execution context was destroyed")
                || m.contains("frame detached")
                || m.contains("cannot determine loading status")
                || m.contains("Cannot find context")
        }
        _ => false,
    }
}

/// A Chrome DevTools Protocol command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct DevTools {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
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
        let mut driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        wait_for_driver(&mut driver, port, &driver_log).await;

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
            format!("--user-data-dir={}", scratch.join("profile").display()),
        ];
        if !opts.host_rules.is_empty() {
            args.push(format!(
                "--host-resolver-rules={}",
                opts.host_rules.join(", ")
            ));
        }
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("pageLoadStrategy".into(), json!("normal"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": chromium, "args": args }),
        );
        // chromedriver speaks plain HTTP on loopback: no TLS connector.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let connected = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let client = match connected {
            Ok(c) => c,
            Err(e) => {
                let _ = driver.kill();
                let _ = driver.wait();
                panic!(
                    "cannot start a Chromium session ({}): {e}\nchromedriver log:\n{}",
                    chromium.display(),
                    tail(&driver_log)
                )
            }
        };
        let session = client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("a WebDriver session id");
        let browser = Browser {
            client,
            driver,
            port,
            session,
            timeout: opts.timeout,
            scratch,
        };
        browser.set_size(opts.width, opts.height).await;
        browser
    }

    /// Panics with `what`, the error, the current URL and the start of the page's text.
    async fn fail(&self, what: &str, err: &str) -> ! {
        let url = self
            .client
            .current_url()
            .await
            .map_or_else(|_| "?".to_owned(), |u| u.to_string());
        let text: String = self
            .client
            .execute(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
            .chars()
            .take(2000)
            .collect();
        panic!("browser: {what}: {err}\n  at {url}\n  page text:\n{text}");
    }

    /// Runs `attempt` until it breaks with a value, every [`POLL`], until the deadline.
    /// `Continue(why)` and the errors [`not_yet`] accepts mean "look again"; the last of them
    /// is in the failure message. Any other error fails at once.
    async fn poll<T, F, Fut>(&self, what: &str, mut attempt: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<ControlFlow<T, String>, CmdError>>,
    {
        let start = Instant::now();
        loop {
            let why = match attempt().await {
                Ok(ControlFlow::Break(v)) => return v,
                Ok(ControlFlow::Continue(why)) => why,
                Err(e) if not_yet(&e) => e.to_string(),
                Err(e) => self.fail(what, &e.to_string()).await,
            };
            if start.elapsed() > self.timeout {
                self.fail(what, &format!("{why} (gave up after {:?})", self.timeout))
                    .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The first element matching `css`, found now. Only for use within one attempt of
    /// [`Browser::poll`]: the handle is dropped before the next look.
    async fn find_now(&self, css: &str) -> Result<Element, CmdError> {
        self.client.find(Locator::Css(css)).await
    }

    /// Runs `js` (a function body; `arguments[0]` is the element) on the first element
    /// matching `css`, waiting for it to appear.
    async fn on_element(&self, what: &str, css: &str, js: &str, args: &[Value]) -> Value {
        self.poll(&format!("{what} `{css}`"), move || async move {
            let e = self.find_now(css).await?;
            let mut all = vec![serde_json::to_value(&e).map_err(CmdError::Json)?];
            all.extend_from_slice(args);
            Ok(ControlFlow::Break(self.client.execute(js, all).await?))
        })
        .await
    }

    /// Opens `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        if let Err(e) = self.client.goto(url).await {
            self.fail(&format!("open {url}"), &e.to_string()).await;
        }
    }

    /// The current URL.
    pub async fn url(&self) -> String {
        match self.client.current_url().await {
            Ok(u) => u.to_string(),
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
        match self.client.title().await {
            Ok(t) => t,
            Err(e) => self.fail("read the title", &e.to_string()).await,
        }
    }

    /// Whether an element matches `css` on the page as it is now (no waiting: use it once a
    /// wait has shown the page is the one to look at).
    pub async fn is_present(&self, css: &str) -> bool {
        self.count(css).await > 0
    }

    /// How many elements match `css` on the page as it is now (no waiting).
    pub async fn count(&self, css: &str) -> usize {
        match self.client.find_all(Locator::Css(css)).await {
            Ok(all) => all.len(),
            Err(e) => self.fail(&format!("find `{css}`"), &e.to_string()).await,
        }
    }

    /// Clicks the first element matching `css`, waiting until it is there and can be
    /// clicked. For a click that stays on the page (a checkbox, a radio button); a click
    /// that loads another page is [`Browser::click_and_load`].
    pub async fn click(&self, css: &str) {
        self.poll(&format!("click `{css}`"), move || async move {
            self.find_now(css).await?.click().await?;
            Ok(ControlFlow::Break(()))
        })
        .await;
    }

    /// Clicks the first element matching `css` (a link, a submit button) and waits until
    /// the page it leads to has replaced the current one and finished loading.
    pub async fn click_and_load(&self, css: &str) {
        self.mark_leaving().await;
        self.poll(&format!("click `{css}`"), move || async move {
            // A click that failed may still have started the navigation: never click again
            // once the page is being left.
            if self.left().await? {
                return Ok(ControlFlow::Break(()));
            }
            self.find_now(css).await?.click().await?;
            Ok(ControlFlow::Break(()))
        })
        .await;
        self.wait_for_new_page(&format!("the page `{css}` leads to"))
            .await;
    }

    /// Clicks the first element matching `css` whose visible text contains `text` (a link
    /// among search results) and waits for the page it leads to, as
    /// [`Browser::click_and_load`] does.
    pub async fn click_and_load_with_text(&self, css: &str, text: &str) {
        self.mark_leaving().await;
        self.poll(
            &format!("click the `{css}` that reads {text:?}"),
            move || async move {
                if self.left().await? {
                    return Ok(ControlFlow::Break(()));
                }
                for e in self.client.find_all(Locator::Css(css)).await? {
                    if e.text().await?.contains(text) {
                        e.click().await?;
                        return Ok(ControlFlow::Break(()));
                    }
                }
                Ok(ControlFlow::Continue("no such element".to_owned()))
            },
        )
        .await;
        self.wait_for_new_page(&format!("the page the `{css}` reading {text:?} leads to"))
            .await;
    }

    /// Marks the current document so [`Browser::wait_for_new_page`] can tell it was replaced.
    async fn mark_leaving(&self) {
        let js = &format!("window.{LEAVING} = true;");
        self.poll("mark the page before leaving it", move || async move {
            self.client.execute(js, vec![]).await?;
            Ok(ControlFlow::Break(()))
        })
        .await;
    }

    /// Whether the document marked by [`Browser::mark_leaving`] has been replaced.
    async fn left(&self) -> Result<bool, CmdError> {
        let js = format!("return window.{LEAVING} !== true;");
        Ok(self.client.execute(&js, vec![]).await? == true)
    }

    /// Waits until the document marked by [`Browser::mark_leaving`] is gone and its
    /// successor has loaded.
    async fn wait_for_new_page(&self, what: &str) {
        let js =
            &format!("return window.{LEAVING} !== true && document.readyState === 'complete';");
        self.poll(&format!("wait for {what}"), move || async move {
            Ok(if self.client.execute(js, vec![]).await? == true {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue("still on the page the click was made on".to_owned())
            })
        })
        .await;
    }

    /// Clears the field matching `css`, types `text` into it and waits until it holds that
    /// value.
    pub async fn fill(&self, css: &str, text: &str) {
        self.poll(&format!("type {text:?} into `{css}`"), move || async move {
            let e = self.find_now(css).await?;
            e.clear().await?;
            e.send_keys(text).await?;
            Ok(ControlFlow::Break(()))
        })
        .await;
        self.wait_for_value(css, text).await;
    }

    /// Chooses the file at `path` in the file input matching `css`, as a person picking it in
    /// the file dialog would.
    pub async fn choose_file(&self, css: &str, path: &Path) {
        let path = path.to_string_lossy().into_owned();
        let p = path.as_str();
        self.poll(&format!("choose {p:?} in `{css}`"), move || async move {
            let e = self.find_now(css).await?;
            e.send_keys(p).await?;
            Ok(ControlFlow::Break(()))
        })
        .await;
    }

    /// Waits until the `value` of the first element matching `css` is `value`.
    pub async fn wait_for_value(&self, css: &str, value: &str) {
        self.poll(
            &format!("wait for `{css}` to hold {value:?}"),
            move || async move {
                let e = self.find_now(css).await?;
                let arg = serde_json::to_value(&e).map_err(CmdError::Json)?;
                let now = self
                    .client
                    .execute("return arguments[0].value;", vec![arg])
                    .await?;
                Ok(if now == value {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(format!("it holds {now}"))
                })
            },
        )
        .await;
    }

    /// Chooses the option whose value is `value` in the `<select>` matching `css`.
    pub async fn select(&self, css: &str, value: &str) {
        let script = "const [s, v] = arguments; \
            const o = Array.from(s.options || []).find(o => o.value === v); \
            if (!o) return Array.from(s.options || []).map(o => o.value); \
            s.value = v; s.dispatchEvent(new Event('input', {bubbles: true})); \
            s.dispatchEvent(new Event('change', {bubbles: true})); return null;";
        let options = self
            .on_element(
                &format!("select {value:?} in"),
                css,
                script,
                &[json!(value)],
            )
            .await;
        if !options.is_null() {
            self.fail(
                &format!("select {value:?} in `{css}`"),
                &format!("no such option; the options are {options}"),
            )
            .await;
        }
        self.wait_for_value(css, value).await;
    }

    /// Checks (or unchecks) the checkbox or radio button matching `css`: until it reads
    /// `checked`, finds it again, and clicks it when it is not so yet.
    pub async fn set_checked(&self, css: &str, checked: bool) {
        self.poll(
            &format!("set `{css}` checked={checked}"),
            move || async move {
                let e = self.find_now(css).await?;
                let arg = serde_json::to_value(&e).map_err(CmdError::Json)?;
                let now = self
                    .client
                    .execute("return arguments[0].checked;", vec![arg])
                    .await?;
                if now == checked {
                    return Ok(ControlFlow::Break(()));
                }
                // The click's effect is read on the next look, on an element found again.
                e.click().await?;
                Ok(ControlFlow::Continue(format!("checked was {now}")))
            },
        )
        .await;
    }

    /// The visible text of the first element matching `css` (waiting for it to appear).
    pub async fn text(&self, css: &str) -> String {
        self.poll(&format!("read the text of `{css}`"), move || async move {
            Ok(ControlFlow::Break(self.find_now(css).await?.text().await?))
        })
        .await
    }

    /// The visible text of every element matching `css` on the page as it is now (maybe
    /// none; no waiting for them to appear).
    pub async fn texts(&self, css: &str) -> Vec<String> {
        self.poll(&format!("read the texts of `{css}`"), move || async move {
            let mut texts = Vec::new();
            for e in self.client.find_all(Locator::Css(css)).await? {
                texts.push(e.text().await?);
            }
            Ok(ControlFlow::Break(texts))
        })
        .await
    }

    /// An attribute of the first element matching `css`, as written in the HTML (`None`
    /// when absent; waits for the element to appear).
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.poll(&format!("read @{name} of `{css}`"), move || async move {
            Ok(ControlFlow::Break(
                self.find_now(css).await?.attr(name).await?,
            ))
        })
        .await
    }

    /// A DOM property (`value`, `checked`, ...) of the first element matching `css`, as
    /// JSON (waits for the element to appear).
    pub async fn prop(&self, css: &str, name: &str) -> Value {
        self.on_element(
            &format!("read .{name} of"),
            css,
            "return arguments[0][arguments[1]];",
            &[json!(name)],
        )
        .await
    }

    /// A computed CSS value of the first element matching `css`, as `getComputedStyle`
    /// gives it (`color` → `rgb(138, 75, 42)`; waits for the element to appear).
    pub async fn css(&self, css: &str, property: &str) -> String {
        self.on_element(
            &format!("read the {property} of"),
            css,
            "return getComputedStyle(arguments[0]).getPropertyValue(arguments[1]);",
            &[json!(property)],
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// The visible text of the whole page.
    pub async fn page_text(&self) -> String {
        self.eval("return document.body ? document.body.innerText : ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs `js` as a function body (use `return`) and gives back its JSON result.
    pub async fn eval(&self, js: &str) -> Value {
        match self.client.execute(js, vec![]).await {
            Ok(v) => v,
            Err(e) => {
                self.fail(&format!("run script `{js}`"), &e.to_string())
                    .await
            }
        }
    }

    /// Waits until an element matches `css`.
    pub async fn wait_for(&self, css: &str) {
        self.poll(&format!("wait for `{css}`"), move || async move {
            self.find_now(css).await?;
            Ok(ControlFlow::Break(()))
        })
        .await;
    }

    /// Waits until the page's visible text contains `text`.
    pub async fn wait_for_text(&self, text: &str) {
        self.poll(&format!("wait for the text {text:?}"), move || async move {
            let page = self
                .client
                .execute(
                    "return document.body ? document.body.innerText : ''",
                    vec![],
                )
                .await?;
            Ok(if page.as_str().is_some_and(|p| p.contains(text)) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue("not on the page".to_owned())
            })
        })
        .await;
    }

    /// Waits until the URL's path starts with `prefix`.
    pub async fn wait_for_path(&self, prefix: &str) {
        self.poll(
            &format!("wait for a page under {prefix}"),
            move || async move {
                Ok(if self.path().await.starts_with(prefix) {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue("not reached".to_owned())
                })
            },
        )
        .await;
    }

    /// Presses a key on whatever has focus (see [`keys`]).
    pub async fn press(&self, key: keys::Key) {
        let key = char::from(key);
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        if let Err(e) = self.client.perform_actions(actions).await {
            self.fail(&format!("press {key:?}"), &e.to_string()).await;
        }
    }

    /// Presses a key that leads to another page (Enter in a search box) and waits for it,
    /// as [`Browser::click_and_load`] does.
    pub async fn press_and_load(&self, key: keys::Key) {
        self.mark_leaving().await;
        self.press(key).await;
        self.wait_for_new_page(&format!("the page {key:?} leads to"))
            .await;
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

    /// `[window.innerWidth, window.innerHeight]`, or `None` while no script can run.
    async fn viewport(&self) -> Option<(i64, i64)> {
        let v = self
            .client
            .execute("return [window.innerWidth, window.innerHeight]", vec![])
            .await
            .ok()?;
        Some((v[0].as_i64()?, v[1].as_i64()?))
    }

    /// Resizes the viewport (`window.innerWidth` × `innerHeight`) to `width` × `height`:
    /// fixed through DevTools' device metrics (exact, and immune to a full-page screenshot
    /// having stretched the window), else by resizing the window until it fits.
    pub async fn set_size(&self, width: u32, height: u32) {
        let want = (i64::from(width), i64::from(height));
        let fixed = self
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
            )
            .await
            .is_ok();
        if fixed {
            for _ in 0..40 {
                if self.viewport().await == Some(want) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
        }
        let (mut w, mut h) = want;
        for _ in 0..3 {
            let size = (u32::try_from(w), u32::try_from(h));
            let (Ok(ww), Ok(wh)) = size else { break };
            if let Err(e) = self.client.set_window_size(ww, wh).await {
                self.fail(&format!("resize to {width}×{height}"), &e.to_string())
                    .await;
            }
            let (iw, ih) = self.viewport().await.unwrap_or_default();
            if (iw, ih) == want {
                return;
            }
            // The window has borders or chrome: grow it by the difference.
            w += want.0 - iw;
            h += want.1 - ih;
        }
        let inner = self.viewport().await;
        panic!("browser: could not get a {width}×{height} viewport, got {inner:?}");
    }

    /// Saves a PNG of the viewport to `path`.
    pub async fn screenshot(&self, path: &Path) {
        match self.client.screenshot().await {
            Ok(png) => write_png(path, &png),
            Err(e) => self.fail("take a screenshot", &e.to_string()).await,
        }
    }

    /// Saves a PNG of the whole page, below the fold included, to `path`.
    pub async fn screenshot_full_page(&self, path: &Path) {
        let metrics = match self.cdp("Page.getLayoutMetrics", json!({})).await {
            Ok(v) => v,
            Err(e) => self.fail("measure the page", &e.to_string()).await,
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
            Err(e) => {
                self.fail("take a full-page screenshot", &e.to_string())
                    .await
            }
        };
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("browser: the screenshot is not base64: {e}"));
        write_png(path, &png);
    }

    /// A Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`).
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, CmdError> {
        self.client
            .issue_cmd(DevTools {
                cmd: cmd.to_owned(),
                params,
            })
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
        self.click_and_load("form[action='/sign-in'] button[type=submit]")
            .await;
        self.wait_for("#code").await;
        let code = app
            .latest_code(email)
            .unwrap_or_else(|| panic!("browser: no sign-in code was mailed to {email}"));
        self.fill("#code", &code).await;
        self.click_and_load("form[action='/sign-in/code'] button[type=submit]")
            .await;
        self.wait_for("form[action='/sign-out']").await;
    }

    /// Ends the session and stops chromedriver (dropping does the same, without waiting).
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        self.session.clear();
    }
}

/// Polls chromedriver's port until it listens; fails when it exits or takes over 20 s.
async fn wait_for_driver(driver: &mut Child, port: u16, log: &Path) {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = driver.try_wait() {
            panic!("chromedriver exited at start ({status}):\n{}", tail(log));
        }
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = driver.kill();
            let _ = driver.wait();
            panic!("chromedriver did not listen on port {port}:\n{}", tail(log));
        }
        tokio::time::sleep(POLL).await;
    }
}

fn write_png(path: &Path, png: &[u8]) {
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
            // Drop cannot await, and fantoccini's own end of session is a task that may never
            // run (the test's runtime is shutting down) or lose the race with the kill below:
            // a plain blocking DELETE, so Chromium exits with its driver.
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
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// Keys for [`Browser::press`].
pub mod keys {
    pub use fantoccini::key::Key;

    pub const TAB: Key = Key::Tab;
    pub const ENTER: Key = Key::Enter;
    pub const ESCAPE: Key = Key::Escape;
}
