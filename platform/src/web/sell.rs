//! The seller dashboard at `/sell`: opening a shop, the onboarding wizard (profile →
//! verification → payouts → first listing, its progress read from what is saved), listings
//! (create, edit, publish, archive, CSV import with its per-row report), orders (accept,
//! ship, cancel), payouts with the commission taken on each order, delivery options and shop
//! settings. Every action goes through `catalog::selling` / `commerce::selling`, the same
//! functions as the seller API; this module only turns forms into their inputs and answers
//! into pages. It never decides a selling rule.

use super::account::{require_role, session_user, set_session};
use super::buy::{json_name, status_label};
use super::{Chrome, Field, api_failure, message, render};
use crate::catalog::{self, import, selling};
use crate::commerce::{self, selling as sales};
use crate::{AppState, CurrentTenant};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::catalog::{
    Address, BusinessType, ListingInput, ListingPatch, ListingView, Location, Onboarding, Photo,
    ShopInput, ShopView, VariantInput, VerificationInput,
};
use krafto_api_types::commerce::{OrderAction, OrderView, ShippingOptionInput};
use krafto_auth::UserClaims;
use krafto_core::Role;
use krafto_core::catalog::ListingEvent;
use krafto_core::commerce::{OrderActor, OrderEvent, OrderStatus};
use krafto_web::{ApiError, RequestId};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query, Redirect};
use poem::{IntoResponse, Request, Response, handler};
use poem_openapi::types::MaybeUndefined;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Photo and variant rows offered by the listing form (more than a listing usually needs).
const PHOTO_ROWS: usize = 5;
const VARIANT_ROWS: usize = 4;

/// A submitted form as name → value (the last value wins; every input has its own name).
#[derive(Debug, Default)]
pub(crate) struct FormData(HashMap<String, String>);

impl FormData {
    fn get(&self, k: &str) -> &str {
        self.0.get(k).map_or("", |v| v.trim())
    }

    fn opt(&self, k: &str) -> Option<String> {
        Some(self.get(k).to_owned()).filter(|v| !v.is_empty())
    }

    fn values(&self) -> HashMap<String, String> {
        self.0.clone()
    }
}

impl From<Vec<(String, String)>> for FormData {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().collect())
    }
}

/// The form's conversion problems so far, keyed by input name.
type Errors = HashMap<String, String>;

fn int(f: &FormData, name: &str, errors: &mut Errors) -> Option<i32> {
    let raw = f.get(name);
    if raw.is_empty() {
        return None;
    }
    match raw.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.insert(name.to_owned(), "must be a whole number".into());
            None
        }
    }
}

fn amount(f: &FormData, name: &str, exponent: u32, errors: &mut Errors) -> Option<i64> {
    let raw = f.get(name);
    if raw.is_empty() {
        return None;
    }
    match import::parse_major(raw, exponent) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.insert(name.to_owned(), e.0);
            None
        }
    }
}

fn list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn exponent(currency: &str) -> u32 {
    u32::from(krafto_core::Currency::parse(currency).map_or(2, |c| c.exponent()))
}

/// Minor units as the plain decimal a form shows (`2450` → `24.50`).
fn major_text(minor: i64, currency: &str) -> String {
    let exp = exponent(currency);
    if exp == 0 {
        return minor.to_string();
    }
    let per = 10_i64.pow(exp);
    format!(
        "{}{}.{:0width$}",
        if minor < 0 { "-" } else { "" },
        (minor / per).abs(),
        (minor % per).abs(),
        width = exp as usize
    )
}

/// Where an API field's problem is shown on the listing form.
fn listing_input_name(api: &str) -> String {
    let indexed = |prefix: &str| -> Option<(usize, String)> {
        let rest = api.strip_prefix(prefix)?;
        let (i, field) = rest.split_once(']')?;
        Some((i.parse().ok()?, field.trim_start_matches('.').to_owned()))
    };
    if let Some((i, field)) = indexed("photos[") {
        return format!("photo_{}_{i}", if field == "alt" { "alt" } else { "url" });
    }
    if let Some((i, _)) = indexed("variants[") {
        return format!("variant_options_{i}");
    }
    match api {
        "price_minor" => "price".into(),
        "category_id" => "category".into(),
        "photos" => "photo_url_0".into(),
        "variants" => "variant_options_0".into(),
        a if a.starts_with("dimensions") => "length_mm".into(),
        a => a.to_owned(),
    }
}

/// The API's field problems keyed by the form's input names (`rename` maps one to other).
fn problems(e: &ApiError, rename: impl Fn(&str) -> String) -> Errors {
    let mut m = Errors::new();
    for p in &e.errors {
        m.entry(rename(&p.field))
            .or_insert_with(|| p.message.clone());
    }
    m
}

/// The seller's claims and the page chrome, or the answer that sends them to sign in.
#[expect(
    clippy::result_large_err,
    reason = "the error is the page to answer with, made once per request"
)]
fn seller(
    req: &Request,
    state: &AppState,
    tenant: &CurrentTenant,
) -> Result<(Chrome, UserClaims), Response> {
    require_role(
        req,
        state,
        tenant,
        &[Role::Seller, Role::Operator],
        req.original_uri().path(),
    )
}

/// A domain error as a dashboard answer: no shop yet → the page that opens one.
fn failed(chrome: Chrome, e: &ApiError) -> Response {
    if e.code == Code::NoShop {
        return Redirect::see_other("/sell").into_response();
    }
    if e.status.is_client_error() {
        return message(chrome, e.status, "That did not work", &e.detail);
    }
    api_failure(chrome, e)
}

fn with_status(mut r: Response, status: StatusCode) -> Response {
    r.set_status(status);
    r
}

/// The dashboard's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Overview,
    Listings,
    Orders,
    Payouts,
    Shop,
}

impl Tab {
    fn name(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Listings => "listings",
            Tab::Orders => "orders",
            Tab::Payouts => "payouts",
            Tab::Shop => "shop",
        }
    }
}

// --- overview and the wizard -----------------------------------------------------------

struct Step {
    key: &'static str,
    title: &'static str,
    href: &'static str,
    done: bool,
    detail: String,
    current: bool,
}

fn steps(o: &Onboarding) -> Vec<Step> {
    let known: [(&str, &str, &str); 4] = [
        ("profile", "Shop profile", "/sell/shop"),
        ("verification", "Verification", "/sell/verification"),
        ("payouts", "Payouts", "/sell/payouts"),
        ("first_listing", "First listing", "/sell/listings/new"),
    ];
    o.steps
        .iter()
        .filter_map(|s| {
            let (key, title, href) = known.iter().find(|k| k.0 == s.key)?;
            Some(Step {
                key,
                title,
                href,
                done: s.done,
                // Field names read as words (`profile_image_url` → "profile image url").
                detail: s.detail.replace('_', " "),
                current: o.next_step.as_deref() == Some(*key),
            })
        })
        .collect()
}

struct OrderRow {
    number: String,
    status: String,
    total: String,
    date: String,
    email: String,
}

#[derive(Template)]
#[template(path = "sell/overview.html")]
struct OverviewPage {
    chrome: Chrome,
    tab: Tab,
    shop: ShopView,
    shop_status: String,
    steps: Vec<Step>,
    done_count: usize,
    complete: bool,
    can_submit: bool,
    orders: Vec<OrderRow>,
    flash: String,
}

#[derive(Template)]
#[template(path = "sell/open.html")]
struct OpenShopPage {
    chrome: Chrome,
    tab: Tab,
    signed_in: bool,
    fields: Vec<Field>,
    error: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct FlashQuery {
    done: Option<String>,
}

fn flash_text(done: Option<&str>) -> String {
    match done {
        Some("opened") => "Your shop is open. Follow the steps below to start selling.",
        Some("submitted") => "Your shop was submitted.",
        Some("saved") => "Saved.",
        Some("verification") => "Thank you: your details were sent for verification.",
        Some("payouts") => "Welcome back from Stripe. Your payout status is below.",
        _ => "",
    }
    .to_owned()
}

/// `GET /sell`: the wizard and a summary for sellers; the way to open a shop for others.
#[handler]
pub(crate) async fn overview(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Query(q): Query<FlashQuery>,
) -> Response {
    let user = session_user(req);
    let chrome = Chrome::for_user(&state, &tenant, user.as_ref());
    let Some(user) = user else {
        return open_page(chrome, false, &FormData::default(), &Errors::new(), "");
    };
    let shop = match selling::shop(&state, &tenant, &user).await {
        Ok(s) => s,
        Err(e) if e.code == Code::NoShop => {
            return open_page(chrome, true, &FormData::default(), &Errors::new(), "");
        }
        Err(e) => return failed(chrome, &e),
    };
    let onboarding = match selling::onboarding(&state, &tenant, &user).await {
        Ok(o) => o,
        Err(e) => return failed(chrome, &e),
    };
    let recent = match sales::orders(&state, &tenant, &user, None, None, Some(5)).await {
        Ok(p) => p.items,
        Err(e) => return failed(chrome, &e),
    };
    let steps = steps(&onboarding);
    let profile_done = steps.iter().any(|s| s.key == "profile" && s.done);
    render(&OverviewPage {
        tab: Tab::Overview,
        done_count: steps.iter().filter(|s| s.done).count(),
        complete: onboarding.complete,
        can_submit: profile_done
            && matches!(json_name(&shop.status).as_str(), "draft" | "rejected"),
        steps,
        orders: recent
            .into_iter()
            .map(|o| OrderRow {
                status: status_label(&o.status),
                total: commerce::format_money(o.total_minor, &o.currency),
                date: o.created_at.format("%d %b %Y").to_string(),
                email: o.email,
                number: o.number,
            })
            .collect(),
        shop_status: status_label(&shop.status),
        shop,
        flash: flash_text(q.done.as_deref()),
        chrome,
    })
}

fn open_page(
    chrome: Chrome,
    signed_in: bool,
    f: &FormData,
    errors: &Errors,
    error: &str,
) -> Response {
    let values = f.values();
    render(&OpenShopPage {
        chrome,
        tab: Tab::Overview,
        signed_in,
        fields: vec![
            Field::text("name", "Shop name", &values, errors).required(),
            Field::text("city", "City", &values, errors),
            Field::text("country", "Country code (e.g. FR)", &values, errors),
        ],
        error: error.to_owned(),
    })
}

/// `POST /sell/open`: opens the signed-in user's shop; their session now carries the seller
/// role.
#[handler]
pub(crate) async fn open_shop(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let user = session_user(req);
    let chrome = Chrome::for_user(&state, &tenant, user.as_ref());
    let Some(user) = user else {
        return Redirect::see_other("/sign-in?next=/sell").into_response();
    };
    let f = FormData::from(pairs);
    let input = ShopInput {
        name: f.get("name").to_owned(),
        story: None,
        location: (f.opt("city").is_some() || f.opt("country").is_some()).then(|| Location {
            city: f.opt("city"),
            region: None,
            country: f.opt("country"),
            latitude: None,
            longitude: None,
        }),
        profile_image_url: None,
        banner_url: None,
        social_links: BTreeMap::new(),
        return_policy: None,
        processing_days_min: None,
        processing_days_max: None,
        languages: Vec::new(),
    };
    match selling::open_shop(&state, &tenant, &user, &rid, &input).await {
        Ok(opened) => {
            let mut r = Redirect::see_other("/sell?done=opened").into_response();
            set_session(&mut r, &opened.token);
            r
        }
        Err(e) if e.status.is_client_error() => {
            let errors = problems(&e, shop_input_name);
            let summary = if errors.is_empty() {
                e.detail.clone()
            } else {
                String::new()
            };
            with_status(open_page(chrome, true, &f, &errors, &summary), e.status)
        }
        Err(e) => api_failure(chrome, &e),
    }
}

/// `POST /sell/submit`: asks for the shop to go live (or into review).
#[handler]
pub(crate) async fn submit_shop(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match selling::submit_shop(&state, &tenant, &user, &rid).await {
        Ok(_) => Redirect::see_other("/sell?done=submitted").into_response(),
        Err(e) if e.code == Code::ProfileIncomplete => with_status(
            message(
                chrome,
                e.status,
                "Your profile is not complete yet",
                &format!(
                    "Add {} on the shop profile page, then submit again.",
                    e.errors
                        .iter()
                        .map(|p| format!("{} ({})", p.field.replace('_', " "), p.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ),
            e.status,
        ),
        Err(e) => failed(chrome, &e),
    }
}

// --- shop profile (settings) -------------------------------------------------------------

fn shop_input_name(api: &str) -> String {
    match api {
        "location" | "location.city" => "city".into(),
        "location.country" => "country".into(),
        "location.region" => "region".into(),
        a => a.to_owned(),
    }
}

#[derive(Template)]
#[template(path = "sell/shop.html")]
struct ShopPage {
    chrome: Chrome,
    tab: Tab,
    slug: String,
    fields: Vec<Field>,
    story: String,
    return_policy: String,
    errors: Errors,
    error: String,
    flash: String,
}

fn shop_values(s: &ShopView) -> HashMap<String, String> {
    let mut v = HashMap::new();
    let mut put = |k: &str, val: Option<String>| {
        v.insert(k.to_owned(), val.unwrap_or_default());
    };
    put("name", Some(s.name.clone()));
    put("story", s.story.clone());
    put("city", s.location.city.clone());
    put("region", s.location.region.clone());
    put("country", s.location.country.clone());
    put("profile_image_url", s.profile_image_url.clone());
    put("banner_url", s.banner_url.clone());
    put("return_policy", s.return_policy.clone());
    put(
        "processing_days_min",
        s.processing_days_min.map(|d| d.to_string()),
    );
    put(
        "processing_days_max",
        s.processing_days_max.map(|d| d.to_string()),
    );
    put("languages", Some(s.languages.join(", ")));
    v
}

fn shop_page(
    chrome: Chrome,
    slug: String,
    values: &HashMap<String, String>,
    errors: Errors,
    error: String,
    flash: String,
) -> Response {
    let text = |n: &str, l: &str| Field::text(n, l, values, &errors);
    render(&ShopPage {
        chrome,
        tab: Tab::Shop,
        slug,
        fields: vec![
            text("name", "Shop name").required(),
            text("city", "City"),
            text("region", "Region"),
            text("country", "Country code (e.g. FR)"),
            text("profile_image_url", "Profile image (URL)").kind("url"),
            text("banner_url", "Banner image (URL)").kind("url"),
            text("processing_days_min", "Processing time: from (days)").kind("number"),
            text("processing_days_max", "Processing time: to (days)").kind("number"),
            text("languages", "Languages (comma-separated, e.g. fr, en)"),
        ],
        story: values.get("story").cloned().unwrap_or_default(),
        return_policy: values.get("return_policy").cloned().unwrap_or_default(),
        errors,
        error,
        flash,
    })
}

/// `GET /sell/shop`: the shop's profile and settings.
#[handler]
pub(crate) async fn shop_settings(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Query(q): Query<FlashQuery>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match selling::shop(&state, &tenant, &user).await {
        Ok(s) => shop_page(
            chrome,
            s.slug.clone(),
            &shop_values(&s),
            Errors::new(),
            String::new(),
            flash_text(q.done.as_deref()),
        ),
        Err(e) => failed(chrome, &e),
    }
}

/// `POST /sell/shop`: saves the profile (social links and anything the form does not show
/// are kept as they are).
#[handler]
pub(crate) async fn save_shop(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let current = match selling::shop(&state, &tenant, &user).await {
        Ok(s) => s,
        Err(e) => return failed(chrome, &e),
    };
    let f = FormData::from(pairs);
    let mut errors = Errors::new();
    let input = ShopInput {
        name: f.get("name").to_owned(),
        story: f.opt("story"),
        location: Some(Location {
            city: f.opt("city"),
            region: f.opt("region"),
            country: f.opt("country"),
            latitude: current.location.latitude,
            longitude: current.location.longitude,
        }),
        profile_image_url: f.opt("profile_image_url"),
        banner_url: f.opt("banner_url"),
        social_links: current.social_links.clone(),
        return_policy: f.opt("return_policy"),
        processing_days_min: int(&f, "processing_days_min", &mut errors),
        processing_days_max: int(&f, "processing_days_max", &mut errors),
        languages: list(f.get("languages")),
    };
    let result = if errors.is_empty() {
        selling::update_shop(&state, &tenant, &user, &input).await
    } else {
        Err(ApiError::validation(Vec::new()))
    };
    match result {
        Ok(_) => Redirect::see_other("/sell/shop?done=saved").into_response(),
        Err(e) if e.status.is_client_error() => {
            errors.extend(problems(&e, shop_input_name));
            with_status(
                shop_page(
                    chrome,
                    current.slug,
                    &f.values(),
                    errors,
                    "Please correct the fields marked below.".into(),
                    String::new(),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => failed(chrome, &e),
    }
}

// --- verification ----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "sell/verification.html")]
struct VerificationPage {
    chrome: Chrome,
    tab: Tab,
    /// The latest submission's state, when there is one.
    status: Option<String>,
    reason: Option<String>,
    can_submit: bool,
    fields: Vec<Field>,
    business_type: String,
    documents: String,
    errors: Errors,
    error: String,
}

const BUSINESS_TYPES: [(&str, &str); 4] = [
    ("individual", "Individual"),
    ("sole_trader", "Sole trader"),
    ("company", "Company"),
    ("association", "Association"),
];

fn verification_page(
    chrome: Chrome,
    latest: Option<krafto_api_types::catalog::VerificationView>,
    values: &HashMap<String, String>,
    errors: Errors,
    error: String,
) -> Response {
    let status = latest.as_ref().map(|v| v.status.clone());
    let text = |n: &str, l: &str| Field::text(n, l, values, &errors);
    render(&VerificationPage {
        chrome,
        tab: Tab::Overview,
        can_submit: !matches!(status.as_deref(), Some("submitted" | "approved")),
        reason: latest.and_then(|v| v.decision_reason),
        status,
        fields: vec![
            text("legal_name", "Legal name").required(),
            text("line1", "Address").required(),
            text("line2", "Address (line 2)"),
            text("postal_code", "Postal code").required(),
            text("city", "City").required(),
            text("country", "Country code (e.g. FR)").required(),
        ],
        business_type: values.get("business_type").cloned().unwrap_or_default(),
        documents: values.get("documents").cloned().unwrap_or_default(),
        errors,
        error,
    })
}

/// `GET /sell/verification`: the verification's state, and the form when one may submit.
#[handler]
pub(crate) async fn verification(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let latest = match selling::verification(&state, &tenant, &user).await {
        Ok(v) => Some(v),
        Err(e) if e.code == Code::NoVerification => None,
        Err(e) => return failed(chrome, &e),
    };
    verification_page(
        chrome,
        latest,
        &HashMap::new(),
        Errors::new(),
        String::new(),
    )
}

/// `POST /sell/verification`: sends the details for the marketplace to check.
#[handler]
pub(crate) async fn submit_verification(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let f = FormData::from(pairs);
    let mut errors = Errors::new();
    let business_type = match f.get("business_type") {
        "individual" => Some(BusinessType::Individual),
        "sole_trader" => Some(BusinessType::SoleTrader),
        "company" => Some(BusinessType::Company),
        "association" => Some(BusinessType::Association),
        _ => {
            errors.insert("business_type".into(), "choose a business type".into());
            None
        }
    };
    let result = match business_type {
        Some(business_type) => {
            let input = VerificationInput {
                legal_name: f.get("legal_name").to_owned(),
                business_type,
                address: Address {
                    line1: f.get("line1").to_owned(),
                    line2: f.opt("line2"),
                    postal_code: f.get("postal_code").to_owned(),
                    city: f.get("city").to_owned(),
                    country: f.get("country").to_owned(),
                },
                document_refs: f
                    .get("documents")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            };
            selling::submit_verification(&state, &tenant, &user, &rid, &input).await
        }
        None => Err(ApiError::validation(Vec::new())),
    };
    match result {
        Ok(_) => Redirect::see_other("/sell?done=verification").into_response(),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            errors.extend(problems(&e, |a| match a.strip_prefix("address.") {
                Some(rest) => rest.to_owned(),
                None if a == "document_refs" => "documents".to_owned(),
                None => a.to_owned(),
            }));
            with_status(
                verification_page(
                    chrome,
                    None,
                    &f.values(),
                    errors,
                    "Please correct the fields marked below.".into(),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => failed(chrome, &e),
    }
}

// --- payouts and delivery --------------------------------------------------------------

struct FeeRow {
    number: String,
    status: String,
    items: String,
    shipping: String,
    commission: String,
    platform_fee: String,
    payout: String,
}

#[derive(Template)]
#[template(path = "sell/payouts.html")]
struct PayoutsPage {
    chrome: Chrome,
    tab: Tab,
    ready: bool,
    connected: bool,
    requirements: Vec<String>,
    test_mode: bool,
    earned: String,
    transferred: String,
    refunded: String,
    pending: String,
    orders: Vec<FeeRow>,
    flash: String,
}

/// `GET /sell/payouts`: whether buyers can pay the shop, its balance from the ledger, and
/// what each recent order paid out after commission.
#[handler]
pub(crate) async fn payouts(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Query(q): Query<FlashQuery>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let loaded = async {
        let status = sales::payout_status(&state, &tenant, &user).await?;
        let balance = sales::payout_balance(&state, &tenant, &user).await?;
        let recent = sales::recent_orders(&state, &tenant, &user, 20).await?;
        Ok::<_, ApiError>((status, balance, recent))
    }
    .await;
    let (status, balance, recent) = match loaded {
        Ok(v) => v,
        Err(e) => return failed(chrome, &e),
    };
    let money = |m: i64| commerce::format_money(m, &balance.currency);
    render(&PayoutsPage {
        tab: Tab::Payouts,
        ready: status.ready,
        connected: status.account_id.is_some(),
        requirements: status.requirements,
        test_mode: status.test_mode,
        earned: money(balance.earned_minor),
        transferred: money(balance.transferred_minor),
        refunded: money(balance.refunded_minor),
        pending: money(balance.pending_minor),
        orders: recent.iter().map(fee_row).collect(),
        flash: flash_text(q.done.as_deref()),
        chrome,
    })
}

fn fee_row(o: &OrderView) -> FeeRow {
    let money = |m: i64| commerce::format_money(m, &o.currency);
    let fees = o.fees.as_ref();
    FeeRow {
        number: o.number.clone(),
        status: status_label(&o.status),
        items: money(o.items_minor),
        shipping: money(o.shipping_minor),
        commission: money(fees.map_or(0, |f| f.commission_minor)),
        platform_fee: money(fees.map_or(0, |f| f.platform_fee_minor)),
        payout: money(fees.map_or(0, |f| f.seller_payout_minor)),
    }
}

/// `POST /sell/payouts/onboarding`: on to Stripe's onboarding (or the test page), back to
/// `/sell/payouts` afterwards.
#[handler]
pub(crate) async fn payouts_onboarding(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match sales::payouts_onboarding(&state, &tenant, &user, None).await {
        Ok(link) => Redirect::see_other(&link.url).into_response(),
        Err(e) => failed(chrome, &e),
    }
}

struct ShippingRow {
    index: usize,
    id: String,
    name: String,
    base: String,
    per_item: String,
    days_min: String,
    days_max: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "sell/shipping.html")]
struct ShippingPage {
    chrome: Chrome,
    tab: Tab,
    rows: Vec<ShippingRow>,
    error: String,
    flash: String,
}

/// `GET /sell/shipping`: the shop's delivery options, with two empty rows to add more.
#[handler]
pub(crate) async fn shipping(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Query(q): Query<FlashQuery>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let options = match sales::shipping_options(&state, &tenant, &user).await {
        Ok(o) => o,
        Err(e) => return failed(chrome, &e),
    };
    let cur = &tenant.currency;
    let mut rows: Vec<ShippingRow> = options
        .into_iter()
        .enumerate()
        .map(|(index, o)| ShippingRow {
            index,
            id: o.id.to_string(),
            name: o.name,
            base: major_text(o.base_minor, cur),
            per_item: major_text(o.per_item_minor, cur),
            days_min: o.days_min.to_string(),
            days_max: o.days_max.to_string(),
            error: None,
        })
        .collect();
    pad_rows(&mut rows);
    render(&ShippingPage {
        chrome,
        tab: Tab::Shop,
        rows,
        error: String::new(),
        flash: flash_text(q.done.as_deref()),
    })
}

fn pad_rows(rows: &mut Vec<ShippingRow>) {
    let target = (rows.len() + 2).min(10);
    while rows.len() < target {
        rows.push(ShippingRow {
            index: rows.len(),
            id: String::new(),
            name: String::new(),
            base: String::new(),
            per_item: String::new(),
            days_min: String::new(),
            days_max: String::new(),
            error: None,
        });
    }
}

/// `POST /sell/shipping`: replaces the delivery options with the filled rows.
#[handler]
pub(crate) async fn save_shipping(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let f = FormData::from(pairs);
    let exp = exponent(&tenant.currency);
    let mut rows = Vec::new();
    let mut inputs = Vec::new();
    let mut errors = Errors::new();
    for i in 0..10 {
        let name = f.get(&format!("name_{i}"));
        let id = f.get(&format!("id_{i}"));
        if !f.0.contains_key(&format!("name_{i}")) {
            break;
        }
        let row_errors_before = errors.len();
        let base = amount(&f, &format!("base_{i}"), exp, &mut errors).unwrap_or(0);
        let per_item = amount(&f, &format!("per_item_{i}"), exp, &mut errors).unwrap_or(0);
        let days_min = int(&f, &format!("days_min_{i}"), &mut errors).unwrap_or(0);
        let days_max = int(&f, &format!("days_max_{i}"), &mut errors).unwrap_or(days_min);
        rows.push(ShippingRow {
            index: i,
            id: id.to_owned(),
            name: name.to_owned(),
            base: f.get(&format!("base_{i}")).to_owned(),
            per_item: f.get(&format!("per_item_{i}")).to_owned(),
            days_min: f.get(&format!("days_min_{i}")).to_owned(),
            days_max: f.get(&format!("days_max_{i}")).to_owned(),
            error: (errors.len() > row_errors_before)
                .then(|| "Amounts are like 4.90 and days are whole numbers.".to_owned()),
        });
        if name.is_empty() {
            continue;
        }
        inputs.push((
            i,
            ShippingOptionInput {
                id: Uuid::parse_str(id).ok(),
                name: name.to_owned(),
                base_minor: base,
                per_item_minor: per_item,
                days_min,
                days_max,
            },
        ));
    }
    let result = if errors.is_empty() {
        let options: Vec<ShippingOptionInput> = inputs.iter().map(|(_, o)| o.clone()).collect();
        sales::set_shipping_options(&state, &tenant, &user, &options).await
    } else {
        Err(ApiError::validation(Vec::new()))
    };
    match result {
        Ok(_) => Redirect::see_other("/sell/shipping?done=saved").into_response(),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let mut summary = Vec::new();
            for p in &e.errors {
                // `options[n].field` names the n-th filled row.
                let row = p
                    .field
                    .strip_prefix("options[")
                    .and_then(|r| r.split_once(']'))
                    .and_then(|(n, _)| n.parse::<usize>().ok())
                    .and_then(|n| inputs.get(n))
                    .map(|(i, _)| *i);
                match row.and_then(|i| rows.iter_mut().find(|r| r.index == i)) {
                    Some(r) => r.error = Some(p.message.clone()),
                    None => summary.push(p.message.clone()),
                }
            }
            let error = if summary.is_empty() {
                "Please correct the rows marked below.".to_owned()
            } else {
                summary.join("; ")
            };
            pad_rows(&mut rows);
            with_status(
                render(&ShippingPage {
                    chrome,
                    tab: Tab::Shop,
                    rows,
                    error,
                    flash: String::new(),
                }),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => failed(chrome, &e),
    }
}

// --- listings --------------------------------------------------------------------------

struct ListingRow {
    id: String,
    title: String,
    price: String,
    quantity: i32,
    status: String,
    status_class: String,
    reason: Option<String>,
    photo: Option<String>,
    photo_alt: String,
    public: bool,
}

#[derive(Template)]
#[template(path = "sell/listings.html")]
struct ListingsPage {
    chrome: Chrome,
    tab: Tab,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    listings: Vec<ListingRow>,
    next: Option<String>,
    flash: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ListingsQuery {
    status: Option<String>,
    cursor: Option<Uuid>,
    done: Option<String>,
}

/// `GET /sell/listings`: the shop's listings, filtered by status, newest first.
#[handler]
pub(crate) async fn listings(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Query(q): Query<ListingsQuery>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let status = q.status.clone().filter(|s| !s.is_empty());
    let page = match selling::listings(
        &state,
        &tenant,
        &user,
        status.as_deref(),
        q.cursor,
        Some(50),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return failed(chrome, &e),
    };
    render(&ListingsPage {
        tab: Tab::Listings,
        statuses: vec![
            ("", "All"),
            ("draft", "Drafts"),
            ("pending_review", "In review"),
            ("active", "Live"),
            ("out_of_stock", "Out of stock"),
            ("rejected", "Rejected"),
            ("archived", "Archived"),
        ],
        status: status.clone().unwrap_or_default(),
        listings: page
            .items
            .into_iter()
            .map(|l| ListingRow {
                id: l.id.to_string(),
                price: commerce::format_money(l.price_minor, &l.currency),
                quantity: l.quantity,
                public: matches!(l.status.as_str(), "active" | "out_of_stock"),
                status: l.status.replace('_', " "),
                status_class: l.status.replace('_', "-"),
                reason: l.status_reason,
                photo: l.photos.first().map(|p| p.url.clone()),
                photo_alt: l.photos.first().map(|p| p.alt.clone()).unwrap_or_default(),
                title: l.title,
            })
            .collect(),
        next: page.next_cursor.map(|c| {
            format!(
                "/sell/listings?cursor={c}{}",
                status.map(|s| format!("&status={s}")).unwrap_or_default()
            )
        }),
        flash: match q.done.as_deref() {
            Some("deleted") => "The listing was deleted.".into(),
            Some("imported") => "Imported rows are saved as drafts.".into(),
            d => flash_text(d),
        },
        chrome,
    })
}

struct Row {
    a: Field,
    b: Field,
    c: Field,
    d: Field,
}

#[derive(Template)]
#[template(path = "sell/listing_form.html")]
struct ListingFormPage {
    chrome: Chrome,
    tab: Tab,
    /// `None` for a new listing.
    id: Option<String>,
    status: String,
    reason: Option<String>,
    main: Vec<Field>,
    details: Vec<Field>,
    description: String,
    category: String,
    categories: Vec<(String, String)>,
    photos: Vec<Row>,
    variants: Vec<Row>,
    /// Variants are folded away until a listing has (or tries to have) one.
    has_variants: bool,
    errors: Errors,
    error: String,
    /// Fields the marketplace requires before publishing that the listing lacks.
    missing: Vec<String>,
    flash: String,
}

fn listing_values(l: &ListingView) -> HashMap<String, String> {
    let mut v = HashMap::new();
    let mut put = |k: String, val: String| {
        v.insert(k, val);
    };
    put("title".into(), l.title.clone());
    put("description".into(), l.description.clone());
    put("price".into(), major_text(l.price_minor, &l.currency));
    put("quantity".into(), l.quantity.to_string());
    put(
        "category".into(),
        l.category_id.map(|c| c.to_string()).unwrap_or_default(),
    );
    put("tags".into(), l.tags.join(", "));
    put("materials".into(), l.materials.join(", "));
    if let Some(d) = &l.dimensions {
        put("length_mm".into(), d.length_mm.to_string());
        put("width_mm".into(), d.width_mm.to_string());
        put("height_mm".into(), d.height_mm.to_string());
    }
    put(
        "weight_g".into(),
        l.weight_g.map(|w| w.to_string()).unwrap_or_default(),
    );
    put(
        "processing_days".into(),
        l.processing_days.map(|w| w.to_string()).unwrap_or_default(),
    );
    put("style".into(), l.style.clone().unwrap_or_default());
    for (i, p) in l.photos.iter().enumerate() {
        put(format!("photo_url_{i}"), p.url.clone());
        put(format!("photo_alt_{i}"), p.alt.clone());
    }
    for (i, var) in l.variants.iter().enumerate() {
        put(
            format!("variant_options_{i}"),
            var.options
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; "),
        );
        put(
            format!("variant_sku_{i}"),
            var.sku.clone().unwrap_or_default(),
        );
        if var.price_minor != l.price_minor {
            put(
                format!("variant_price_{i}"),
                major_text(var.price_minor, &l.currency),
            );
        }
        put(format!("variant_quantity_{i}"), var.quantity.to_string());
    }
    v
}

struct ListingFormState<'a> {
    listing: Option<&'a ListingView>,
    values: HashMap<String, String>,
    errors: Errors,
    error: String,
    missing: Vec<String>,
    flash: String,
}

async fn listing_form(
    state: &AppState,
    tenant: &CurrentTenant,
    chrome: Chrome,
    s: ListingFormState<'_>,
) -> Response {
    let categories = match catalog::categories(state, tenant).await {
        Ok(c) => c,
        Err(e) => return failed(chrome, &e),
    };
    let values = &s.values;
    let errors = &s.errors;
    let text = |n: &str, l: &str| Field::text(n, l, values, errors);
    let rows = |count: usize, make: &dyn Fn(usize) -> Row| (0..count).map(make).collect();
    let photo_count = (0..PHOTO_ROWS.max(
        values
            .keys()
            .filter(|k| k.starts_with("photo_url_"))
            .count(),
    ))
        .count();
    render(&ListingFormPage {
        tab: Tab::Listings,
        id: s.listing.map(|l| l.id.to_string()),
        status: s
            .listing
            .map_or_else(|| "new".to_owned(), |l| l.status.replace('_', " ")),
        reason: s.listing.and_then(|l| l.status_reason.clone()),
        main: vec![
            text("title", "Title").required(),
            text("price", &format!("Price ({})", tenant.currency)).required(),
            text("quantity", "Quantity in stock").kind("number"),
        ],
        details: vec![
            text("tags", "Tags (comma-separated)"),
            text("materials", "Materials (comma-separated)"),
            text("processing_days", "Processing time (days)").kind("number"),
            text("weight_g", "Weight (g)").kind("number"),
            text("length_mm", "Length (mm)").kind("number"),
            text("width_mm", "Width (mm)").kind("number"),
            text("height_mm", "Height (mm)").kind("number"),
            text("style", "Style"),
        ],
        description: values.get("description").cloned().unwrap_or_default(),
        category: values.get("category").cloned().unwrap_or_default(),
        categories: catalog_options(&categories),
        photos: rows(photo_count, &|i| Row {
            a: text(&format!("photo_url_{i}"), &format!("Photo {} URL", i + 1)).kind("url"),
            b: text(
                &format!("photo_alt_{i}"),
                &format!("Photo {} description (alt text)", i + 1),
            ),
            c: text("", ""),
            d: text("", ""),
        }),
        variants: rows(VARIANT_ROWS, &|i| Row {
            a: text(
                &format!("variant_options_{i}"),
                &format!("Variant {}: options (e.g. Colour=Blue; Size=M)", i + 1),
            ),
            b: text(&format!("variant_sku_{i}"), "SKU"),
            c: text(&format!("variant_price_{i}"), "Price (if different)"),
            d: text(&format!("variant_quantity_{i}"), "Quantity").kind("number"),
        }),
        has_variants: values
            .iter()
            .any(|(k, v)| k.starts_with("variant_options_") && !v.trim().is_empty())
            || errors.keys().any(|k| k.starts_with("variant_")),
        errors: s.errors.clone(),
        error: s.error,
        missing: s.missing,
        flash: s.flash,
        chrome,
    })
}

/// Categories as `(id, indented name)`, parents before their children.
fn catalog_options(all: &[krafto_db::models::Category]) -> Vec<(String, String)> {
    fn walk(
        all: &[krafto_db::models::Category],
        parent: Option<Uuid>,
        depth: usize,
        out: &mut Vec<(String, String)>,
    ) {
        for c in all.iter().filter(|c| c.parent_id == parent) {
            out.push((
                c.id.to_string(),
                format!("{}{}", "— ".repeat(depth), c.name),
            ));
            walk(all, Some(c.id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(all, None, 0, &mut out);
    out
}

/// The listing form as the API's input; conversion problems (a price that is not an amount)
/// are named by input. The listing rules themselves are checked by `selling`.
fn listing_input(f: &FormData, currency: &str) -> Result<ListingInput, Errors> {
    let exp = exponent(currency);
    let mut errors = Errors::new();
    let price = amount(f, "price", exp, &mut errors);
    if price.is_none() && !errors.contains_key("price") {
        errors.insert("price".into(), "give the price, e.g. 24.50".into());
    }
    let category = match f.get("category") {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.insert("category".into(), "choose a category from the list".into());
                None
            }
        },
    };
    let length = int(f, "length_mm", &mut errors);
    let width = int(f, "width_mm", &mut errors);
    let height = int(f, "height_mm", &mut errors);
    let dimensions = catalog::dimensions(length, width, height).unwrap_or_else(|e| {
        errors.insert("length_mm".into(), e.0);
        None
    });
    let photos = (0..PHOTO_ROWS * 2)
        .filter_map(|i| {
            let url = f.get(&format!("photo_url_{i}"));
            (!url.is_empty()).then(|| Photo {
                url: url.to_owned(),
                alt: f.get(&format!("photo_alt_{i}")).to_owned(),
            })
        })
        .collect();
    let mut variants = Vec::new();
    for i in 0..VARIANT_ROWS {
        let options_raw = f.get(&format!("variant_options_{i}"));
        if options_raw.is_empty() {
            continue;
        }
        let mut options = BTreeMap::new();
        for part in options_raw
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.split_once('=').or_else(|| part.split_once(':')) {
                Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
                    options.insert(k.trim().to_owned(), v.trim().to_owned());
                }
                _ => {
                    errors.insert(
                        format!("variant_options_{i}"),
                        "write options as Name=Value, separated by ;".into(),
                    );
                }
            }
        }
        variants.push(VariantInput {
            sku: f.opt(&format!("variant_sku_{i}")),
            options,
            price_minor: amount(f, &format!("variant_price_{i}"), exp, &mut errors),
            quantity: int(f, &format!("variant_quantity_{i}"), &mut errors).unwrap_or(0),
        });
    }
    let input = ListingInput {
        title: f.get("title").to_owned(),
        description: f.get("description").to_owned(),
        price_minor: price.unwrap_or(0),
        quantity: int(f, "quantity", &mut errors).unwrap_or(0),
        category_id: category,
        tags: list(f.get("tags")),
        materials: list(f.get("materials")),
        dimensions,
        weight_g: int(f, "weight_g", &mut errors),
        processing_days: int(f, "processing_days", &mut errors),
        style: f.opt("style"),
        photos,
        variants,
    };
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// Every field of the form, as a patch that sets them all (what the form shows is what the
/// listing becomes).
fn full_patch(i: ListingInput) -> ListingPatch {
    let set = |v: Option<i32>| v.map_or(MaybeUndefined::Null, MaybeUndefined::Value);
    ListingPatch {
        title: Some(i.title),
        description: Some(i.description),
        price_minor: Some(i.price_minor),
        quantity: Some(i.quantity),
        category_id: i
            .category_id
            .map_or(MaybeUndefined::Null, MaybeUndefined::Value),
        tags: Some(i.tags),
        materials: Some(i.materials),
        dimensions: i
            .dimensions
            .map_or(MaybeUndefined::Null, MaybeUndefined::Value),
        weight_g: set(i.weight_g),
        processing_days: set(i.processing_days),
        style: i.style.map_or(MaybeUndefined::Null, MaybeUndefined::Value),
        photos: Some(i.photos),
        variants: Some(i.variants),
    }
}

/// `GET /sell/listings/new`.
#[handler]
pub(crate) async fn new_listing(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    let (chrome, _) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut values = HashMap::new();
    values.insert("quantity".to_owned(), "1".to_owned());
    listing_form(
        &state,
        &tenant,
        chrome,
        ListingFormState {
            listing: None,
            values,
            errors: Errors::new(),
            error: String::new(),
            missing: Vec::new(),
            flash: String::new(),
        },
    )
    .await
}

/// `GET /sell/listings/{id}`: the edit form.
#[handler]
pub(crate) async fn edit_listing(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(id): Path<Uuid>,
    Query(q): Query<FlashQuery>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let l = match selling::listing(&state, &tenant, &user, id).await {
        Ok(l) => l,
        Err(e) => return failed(chrome, &e),
    };
    listing_form(
        &state,
        &tenant,
        chrome,
        ListingFormState {
            values: listing_values(&l),
            listing: Some(&l),
            errors: Errors::new(),
            error: String::new(),
            missing: Vec::new(),
            flash: match q.done.as_deref() {
                Some("published") => format!(
                    "Published: the listing is {}.",
                    if l.status == "pending_review" {
                        "waiting for the marketplace's review"
                    } else {
                        "live"
                    }
                ),
                d => flash_text(d),
            },
        },
    )
    .await
}

/// `POST /sell/listings` (new) and `POST /sell/listings/{id}` (edit): saves, then publishes
/// when the seller pressed "Save and publish". A refused publish lists the missing fields.
#[handler]
pub(crate) async fn save_listing(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    id: Option<Path<Uuid>>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let f = FormData::from(pairs);
    let publish = f.get("then") == "publish";
    let id = id.map(|p| p.0);
    let existing = match id {
        Some(id) => match selling::listing(&state, &tenant, &user, id).await {
            Ok(l) => Some(l),
            Err(e) => return failed(chrome, &e),
        },
        None => None,
    };
    fn refused<'a>(
        f: &FormData,
        errors: Errors,
        error: String,
        listing: Option<&'a ListingView>,
    ) -> ListingFormState<'a> {
        ListingFormState {
            listing,
            values: f.values(),
            errors,
            error,
            missing: Vec::new(),
            flash: String::new(),
        }
    }
    let input = match listing_input(&f, &tenant.currency) {
        Ok(i) => i,
        Err(errors) => {
            let s = refused(
                &f,
                errors,
                "Please correct the fields marked below.".into(),
                existing.as_ref(),
            );
            return with_status(
                listing_form(&state, &tenant, chrome, s).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let saved = match id {
        Some(id) => selling::update_listing(&state, &tenant, &user, id, &full_patch(input)).await,
        None => selling::create_listing(&state, &tenant, &user, &input).await,
    };
    let saved = match saved {
        Ok(l) => l,
        Err(e) if e.status.is_client_error() && e.code != Code::NoShop => {
            let errors = problems(&e, listing_input_name);
            let summary = if errors.is_empty() {
                e.detail.clone()
            } else {
                "Please correct the fields marked below.".into()
            };
            let status = e.status;
            let s = refused(&f, errors, summary, existing.as_ref());
            return with_status(listing_form(&state, &tenant, chrome, s).await, status);
        }
        Err(e) => return failed(chrome, &e),
    };
    if !publish {
        return Redirect::see_other(format!("/sell/listings/{}?done=saved", saved.id))
            .into_response();
    }
    match selling::publish(&state, &tenant, &user, &rid, saved.id).await {
        Ok(_) => Redirect::see_other(format!("/sell/listings/{}?done=published", saved.id))
            .into_response(),
        Err(e) if e.status.is_client_error() && e.code != Code::NoShop => {
            let missing = e
                .errors
                .iter()
                .map(|p| format!("{}: {}", p.field.replace('_', " "), p.message))
                .collect();
            let status = e.status;
            let s = ListingFormState {
                values: listing_values(&saved),
                listing: Some(&saved),
                errors: problems(&e, listing_input_name),
                error: format!("Saved as a draft, but not published: {}", e.detail),
                missing,
                flash: String::new(),
            };
            with_status(listing_form(&state, &tenant, chrome, s).await, status)
        }
        Err(e) => failed(chrome, &e),
    }
}

/// `POST /sell/listings/{id}/{action}`: publish, archive, restore or delete.
#[handler]
pub(crate) async fn listing_action(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path((id, action)): Path<(Uuid, String)>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let result = match action.as_str() {
        "publish" => selling::publish(&state, &tenant, &user, &rid, id)
            .await
            .map(|_| "published"),
        "archive" => selling::step(&state, &tenant, &user, id, ListingEvent::Archive)
            .await
            .map(|_| "saved"),
        "restore" => selling::step(&state, &tenant, &user, id, ListingEvent::Restore)
            .await
            .map(|_| "saved"),
        "delete" => {
            return match selling::delete_listing(&state, &tenant, &user, id).await {
                Ok(()) => Redirect::see_other("/sell/listings?done=deleted").into_response(),
                Err(e) => failed(chrome, &e),
            };
        }
        _ => {
            return message(
                chrome,
                StatusCode::NOT_FOUND,
                "Not found",
                "There is no such listing action.",
            );
        }
    };
    match result {
        Ok(done) => Redirect::see_other(format!("/sell/listings/{id}?done={done}")).into_response(),
        Err(e) if e.code == Code::ListingIncomplete => {
            let listing = match selling::listing(&state, &tenant, &user, id).await {
                Ok(l) => l,
                Err(e) => return failed(chrome, &e),
            };
            let status = e.status;
            let s = ListingFormState {
                values: listing_values(&listing),
                listing: Some(&listing),
                errors: problems(&e, listing_input_name),
                error: format!("Not published: {}", e.detail),
                missing: e
                    .errors
                    .iter()
                    .map(|p| format!("{}: {}", p.field.replace('_', " "), p.message))
                    .collect(),
                flash: String::new(),
            };
            with_status(listing_form(&state, &tenant, chrome, s).await, status)
        }
        Err(e) => failed(chrome, &e),
    }
}

// --- CSV import ------------------------------------------------------------------------

struct ImportLine {
    line: i64,
    ok: bool,
    listing_id: Option<String>,
    problems: String,
}

#[derive(Template)]
#[template(path = "sell/import.html")]
struct ImportPage {
    chrome: Chrome,
    tab: Tab,
    csv: String,
    report: Option<(i64, i64)>,
    lines: Vec<ImportLine>,
    error: String,
}

/// `GET /sell/import`.
#[handler]
pub(crate) fn import_page(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    let (chrome, _) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    render(&ImportPage {
        chrome,
        tab: Tab::Listings,
        csv: String::new(),
        report: None,
        lines: Vec::new(),
        error: String::new(),
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct ImportForm {
    csv: String,
}

/// `POST /sell/import`: imports the pasted CSV and shows what happened to every line.
#[handler]
pub(crate) async fn import_csv(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Form(form): Form<ImportForm>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match selling::import(&state, &tenant, &user, &rid, &form.csv).await {
        Ok(report) => render(&ImportPage {
            chrome,
            tab: Tab::Listings,
            csv: String::new(),
            report: Some((report.imported, report.rejected)),
            lines: report
                .rows
                .into_iter()
                .map(|r| ImportLine {
                    line: r.line,
                    ok: r.ok,
                    listing_id: r.listing_id.map(|i| i.to_string()),
                    problems: r
                        .errors
                        .iter()
                        .map(|p| format!("{}: {}", p.field, p.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                })
                .collect(),
            error: String::new(),
        }),
        Err(e) if e.status.is_client_error() && e.code != Code::NoShop => {
            let detail = if e.errors.is_empty() {
                e.detail.clone()
            } else {
                e.errors
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            with_status(
                render(&ImportPage {
                    chrome,
                    tab: Tab::Listings,
                    csv: form.csv.clone(),
                    report: None,
                    lines: Vec::new(),
                    error: detail,
                }),
                e.status,
            )
        }
        Err(e) => failed(chrome, &e),
    }
}

// --- orders ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "sell/orders.html")]
struct OrdersPage {
    chrome: Chrome,
    tab: Tab,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    orders: Vec<OrderRow>,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OrdersQuery {
    status: Option<String>,
    cursor: Option<String>,
}

/// `GET /sell/orders`: the shop's orders, newest first, filtered by status.
#[handler]
pub(crate) async fn orders(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Query(q): Query<OrdersQuery>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let status = q.status.clone().filter(|s| !s.is_empty());
    let page = match sales::orders(
        &state,
        &tenant,
        &user,
        status.as_deref(),
        q.cursor.as_deref(),
        Some(50),
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return failed(chrome, &e),
    };
    render(&OrdersPage {
        tab: Tab::Orders,
        statuses: vec![
            ("", "All"),
            ("placed", "To accept"),
            ("confirmed", "To ship"),
            ("shipped", "Shipped"),
            ("delivered", "Delivered"),
            ("cancelled", "Cancelled"),
            ("refunded", "Refunded"),
        ],
        status: status.clone().unwrap_or_default(),
        orders: page
            .items
            .into_iter()
            .map(|o| OrderRow {
                status: status_label(&o.status),
                total: commerce::format_money(o.total_minor, &o.currency),
                date: o.created_at.format("%d %b %Y").to_string(),
                email: o.email,
                number: o.number,
            })
            .collect(),
        next: page.next_cursor.map(|c| {
            format!(
                "/sell/orders?cursor={}{}",
                krafto_core::text::percent_encode(&c),
                status.map(|s| format!("&status={s}")).unwrap_or_default()
            )
        }),
        chrome,
    })
}

struct LineRow {
    title: String,
    variant: Option<String>,
    quantity: i32,
    amount: String,
    commission: String,
    platform_fee: String,
    net: String,
}

struct EventRow {
    status: String,
    actor: String,
    reason: Option<String>,
    at: String,
}

#[derive(Template)]
#[template(path = "sell/order.html")]
struct SellerOrderPage {
    chrome: Chrome,
    tab: Tab,
    number: String,
    status: String,
    email: String,
    address: Vec<String>,
    shipping_option: String,
    tracking: Option<String>,
    lines: Vec<LineRow>,
    fees: FeeRow,
    total: String,
    timeline: Vec<EventRow>,
    /// The moves this order may make now, as `(action path, label)`.
    can_accept: bool,
    can_ship: bool,
    can_out: bool,
    can_deliver: bool,
    can_cancel: bool,
    error: String,
}

fn may(status: Option<OrderStatus>, e: OrderEvent) -> bool {
    e.allowed_for(OrderActor::Seller) && status.is_some_and(|s| s.transition(e).is_ok())
}

fn order_page(chrome: Chrome, o: OrderView, error: String) -> Response {
    let money = |m: i64| commerce::format_money(m, &o.currency);
    let st = OrderStatus::parse(&json_name(&o.status)).ok();
    let address = [
        "name",
        "line1",
        "line2",
        "postal_code",
        "city",
        "region",
        "country",
    ]
    .iter()
    .filter_map(|k| {
        o.address
            .get(*k)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    })
    .filter(|v| !v.is_empty())
    .collect();
    render(&SellerOrderPage {
        tab: Tab::Orders,
        fees: fee_row(&o),
        number: o.number.clone(),
        status: status_label(&o.status),
        email: o.email.clone(),
        address,
        shipping_option: o.shipping_option.clone(),
        tracking: o.tracking_number.clone(),
        lines: o
            .lines
            .iter()
            .map(|l| LineRow {
                title: l.title.clone(),
                variant: l.variant_label.clone(),
                quantity: l.quantity,
                amount: money(l.amount_minor),
                commission: l.fees.as_ref().map_or_else(String::new, |f| {
                    format!(
                        "{} ({:.1} %)",
                        money(f.marketplace_share_minor + f.platform_fee_minor),
                        f64::from(f.commission_bps) / 100.0
                    )
                }),
                platform_fee: l
                    .fees
                    .as_ref()
                    .map_or_else(String::new, |f| money(f.platform_fee_minor)),
                net: l
                    .fees
                    .as_ref()
                    .map_or_else(String::new, |f| money(f.seller_net_minor)),
            })
            .collect(),
        total: money(o.total_minor),
        timeline: o
            .timeline
            .iter()
            .map(|e| EventRow {
                status: status_label(&e.status),
                actor: e.actor.clone(),
                reason: e.reason.clone(),
                at: e.at.format("%d %b %Y %H:%M").to_string(),
            })
            .collect(),
        can_accept: may(st, OrderEvent::Accept),
        can_ship: may(st, OrderEvent::Ship),
        can_out: may(st, OrderEvent::OutForDelivery),
        can_deliver: may(st, OrderEvent::Deliver),
        can_cancel: may(st, OrderEvent::Cancel),
        error,
        chrome,
    })
}

/// `GET /sell/orders/{number}`: the order, its commission per line and what may happen next.
#[handler]
pub(crate) async fn order(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(number): Path<String>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match sales::order(&state, &tenant, &user, &number).await {
        Ok(o) => order_page(chrome, o, String::new()),
        Err(e) => failed(chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct MoveForm {
    reason: Option<String>,
    tracking_number: Option<String>,
}

/// `POST /sell/orders/{number}/{accept|ship|out-for-delivery|deliver|cancel}`.
#[handler]
pub(crate) async fn order_action(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path((number, action)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Response {
    let (chrome, user) = match seller(req, &state, &tenant) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let event = match action.as_str() {
        "accept" => OrderEvent::Accept,
        "ship" => OrderEvent::Ship,
        "out-for-delivery" => OrderEvent::OutForDelivery,
        "deliver" => OrderEvent::Deliver,
        "cancel" => OrderEvent::Cancel,
        _ => {
            return message(
                chrome,
                StatusCode::NOT_FOUND,
                "Not found",
                "There is no such order action.",
            );
        }
    };
    let act = OrderAction {
        reason: form.reason.filter(|r| !r.trim().is_empty()),
        tracking_number: form.tracking_number.filter(|t| !t.trim().is_empty()),
    };
    match sales::order_move(&state, &tenant, &user, &number, event, &act).await {
        Ok(_) => Redirect::see_other(format!(
            "/sell/orders/{}",
            krafto_core::text::percent_encode(&number)
        ))
        .into_response(),
        Err(e) if e.status.is_client_error() && e.code != Code::NoShop => {
            let detail = match e.errors.first() {
                Some(p) => format!("{}: {}", p.field, p.message),
                None => e.detail.clone(),
            };
            let status = e.status;
            match sales::order(&state, &tenant, &user, &number).await {
                Ok(o) => with_status(order_page(chrome, o, detail), status),
                Err(e) => failed(chrome, &e),
            }
        }
        Err(e) => failed(chrome, &e),
    }
}

/// The dashboard's routes, nested at `/sell` behind the tenant gate.
pub(crate) fn routes() -> poem::Route {
    use poem::{get, post};
    poem::Route::new()
        .at("/", get(overview))
        .at("/open", post(open_shop))
        .at("/submit", post(submit_shop))
        .at("/shop", get(shop_settings).post(save_shop))
        .at("/verification", get(verification).post(submit_verification))
        .at("/payouts", get(payouts))
        .at("/payouts/onboarding", post(payouts_onboarding))
        .at("/shipping", get(shipping).post(save_shipping))
        .at("/listings", get(listings).post(save_listing))
        .at("/listings/new", get(new_listing))
        .at("/listings/:id", get(edit_listing).post(save_listing))
        .at("/listings/:id/:action", post(listing_action))
        .at("/import", get(import_page).post(import_csv))
        .at("/orders", get(orders))
        .at("/orders/:number", get(order))
        .at("/orders/:number/:action", post(order_action))
}
