//! The control plane's web console for Krafto staff, at `/`: sign-in, the marketplace list
//! with search, creating a marketplace from a template, and a marketplace's page (branding,
//! fees, domains, feature flags, suspension, Stripe Connect, operators, audit log).
//!
//! Pages are server-rendered and work without JavaScript. Every change goes through the
//! same functions as the JSON API (`api`, `provision`, `stripe`); this module only turns
//! forms into those functions' inputs and their answers (or errors) into pages. It must
//! never decide a rule of its own.
//!
//! Session: the staff token from the API's login lives in an `HttpOnly`, `SameSite=Strict`
//! cookie. `SameSite=Strict` is the protection of the POST forms against cross-site
//! requests: a form posted from another site arrives without the cookie and is answered
//! with the sign-in page, changing nothing.

use crate::ControlState;
use crate::api::{self, staff_actor};
use crate::stripe::{self, Provisioned};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::control::{
    AddDomain, AuditEntryView, BrandingInput, BrandingPatch, CreateOperator, CreateTenant,
    FeesInput, StripeLinkRequest, TemplateName, TenantStatusName, TenantView, UpdateTenant,
};
use krafto_auth::StaffIdentity;
use krafto_core::text::percent_encode;
use krafto_web::pages::{cookie, render};
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query, Redirect};
use poem::{IntoResponse, Request, Response, Route, get, handler, post};
use poem_openapi::types::MaybeUndefined;
use std::collections::BTreeMap;
use uuid::Uuid;

/// The cookie holding the staff token.
const STAFF_COOKIE: &str = "krafto_staff";

/// Adds the console's routes to the server's.
pub(crate) fn routes(route: Route) -> Route {
    route
        .at("/", get(tenant_list))
        .at("/sign-in", get(sign_in_page).post(sign_in))
        .at("/sign-out", post(sign_out))
        .at(
            "/marketplaces/new",
            get(new_tenant_page).post(create_tenant),
        )
        .at("/marketplaces/:id", get(tenant_page))
        .at("/marketplaces/:id/:action", post(tenant_action))
        .at("/assets/krafto.css", get(stylesheet))
}

/// `GET /assets/krafto.css`: the product's one stylesheet, the platform's own file.
#[handler]
fn stylesheet() -> Response {
    Response::builder()
        .content_type("text/css; charset=utf-8")
        .header("cache-control", "public, max-age=86400")
        .body(include_str!("../../platform/assets/krafto.css"))
}

type FormData = Form<BTreeMap<String, String>>;

fn value(form: &BTreeMap<String, String>, key: &str) -> String {
    form.get(key)
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

fn non_empty(form: &BTreeMap<String, String>, key: &str) -> Option<String> {
    Some(value(form, key)).filter(|v| !v.is_empty())
}

/// The signed-in staff member, from the session cookie (an invalid or expired token counts
/// as signed out).
fn session(req: &Request, state: &ControlState) -> Option<StaffIdentity> {
    let token = cookie(req, STAFF_COOKIE)?;
    state.keys.verify_staff(&token).ok()
}

/// Why a console request is not served.
enum Refused {
    /// No valid session: the sign-in page.
    SignedOut,
    /// A `/marketplaces/{id}` path whose id is not a marketplace id.
    NoSuchMarketplace { staff: StaffIdentity, raw: String },
}

impl Refused {
    fn response(self, state: &ControlState) -> Response {
        match self {
            Refused::SignedOut => Redirect::see_other("/sign-in").into_response(),
            Refused::NoSuchMarketplace { staff, raw } => message(
                Some(Chrome::of(&staff, state)),
                StatusCode::NOT_FOUND,
                "Not found",
                &format!("no marketplace {raw}"),
            ),
        }
    }
}

/// The signed-in staff member, or the redirect to the sign-in page.
fn require_staff(req: &Request, state: &ControlState) -> Result<StaffIdentity, Refused> {
    session(req, state).ok_or(Refused::SignedOut)
}

fn request_id(req: &Request) -> Option<String> {
    req.data::<RequestId>().map(|r| r.0.clone())
}

fn with_cookie(mut r: Response, value: &str) -> Response {
    if let Ok(v) = value.parse() {
        r.headers_mut().append("set-cookie", v);
    }
    r
}

/// What every signed-in page shows around its content.
struct Chrome {
    staff: String,
    test_mode: bool,
}

impl Chrome {
    fn of(staff: &StaffIdentity, state: &ControlState) -> Self {
        Self {
            staff: staff.email.clone(),
            test_mode: state.test_mode(),
        }
    }
}

/// A labelled input of a form, with the API field its errors are reported under.
struct Field {
    id: &'static str,
    name: &'static str,
    /// The field as the API names it in its errors (`branding.tagline`).
    api: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    hint: &'static str,
    required: bool,
    error: Option<String>,
}

impl Field {
    fn new(id: &'static str, name: &'static str, label: &'static str, value: String) -> Self {
        Self {
            id,
            name,
            api: name,
            label,
            kind: "text",
            value,
            hint: "",
            required: false,
            error: None,
        }
    }

    fn api(mut self, api: &'static str) -> Self {
        self.api = api;
        self
    }

    fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }

    fn hint(mut self, hint: &'static str) -> Self {
        self.hint = hint;
        self
    }

    fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

/// Puts each of the error's field problems on its field; returns the summary to show above
/// the form (the error's own detail, which names every field).
fn attach(fields: &mut [Field], e: &ApiError) -> String {
    for p in &e.errors {
        if let Some(f) = fields
            .iter_mut()
            .find(|f| f.api == p.field || p.field.starts_with(&format!("{}[", f.api)))
        {
            f.error = Some(p.message.clone());
        }
    }
    e.detail.clone()
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Option<Chrome>,
    heading: String,
    text: String,
}

fn message(chrome: Option<Chrome>, status: StatusCode, heading: &str, text: &str) -> Response {
    let mut r = render(&MessagePage {
        chrome,
        heading: heading.to_owned(),
        text: text.to_owned(),
    });
    r.set_status(status);
    r
}

/// An error of the domain as a page with its status.
fn failure(chrome: Chrome, e: &ApiError) -> Response {
    if e.status.is_server_error() {
        tracing::error!(error = %e.detail, code = %e.code, "a console page failed");
    }
    let heading = if e.status == StatusCode::NOT_FOUND {
        "Not found"
    } else {
        "That did not work"
    };
    message(Some(chrome), e.status, heading, &e.detail)
}

// --- sign-in ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Option<Chrome>,
    email: String,
    error: String,
}

/// `GET /sign-in`
#[handler]
fn sign_in_page(req: &Request, state: Data<&ControlState>) -> Response {
    if session(req, &state).is_some() {
        return Redirect::see_other("/").into_response();
    }
    render(&SignInPage {
        chrome: None,
        email: String::new(),
        error: String::new(),
    })
}

/// `POST /sign-in`: the API's login; on success the token goes into the session cookie.
#[handler]
async fn sign_in(state: Data<&ControlState>, Form(form): FormData) -> Response {
    let email = value(&form, "email");
    let password = form.get("password").cloned().unwrap_or_default();
    match api::staff_login(&state, &email, &password).await {
        Ok(t) => {
            let max_age = (t.expires_at - chrono::Utc::now()).num_seconds().max(0);
            with_cookie(
                Redirect::see_other("/").into_response(),
                &format!(
                    "{STAFF_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}",
                    t.token
                ),
            )
        }
        Err(e) => {
            let mut r = render(&SignInPage {
                chrome: None,
                email,
                error: if e.status == StatusCode::UNAUTHORIZED {
                    "Wrong e-mail or password.".to_owned()
                } else {
                    e.detail.clone()
                },
            });
            r.set_status(e.status);
            r
        }
    }
}

/// `POST /sign-out`: forgets the session cookie.
#[handler]
fn sign_out() -> Response {
    with_cookie(
        Redirect::see_other("/sign-in").into_response(),
        &format!("{STAFF_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    )
}

// --- the list --------------------------------------------------------------------------

struct TenantRow {
    id: String,
    name: String,
    slug: String,
    suspended: bool,
    hosts: Vec<String>,
    template: &'static str,
    stripe: &'static str,
}

fn template_label(t: TemplateName) -> &'static str {
    match t {
        TemplateName::Handmade => "handmade",
        TemplateName::Farm => "farm",
        TemplateName::B2b => "b2b",
    }
}

fn stripe_label(v: &TenantView) -> &'static str {
    if v.stripe.ready {
        "ready"
    } else if v.stripe.account_id.is_some() {
        "onboarding"
    } else {
        "no account"
    }
}

#[derive(Template)]
#[template(path = "tenants.html")]
struct ListPage {
    chrome: Option<Chrome>,
    q: String,
    rows: Vec<TenantRow>,
    next: Option<String>,
}

/// `GET /?q=…&cursor=…`: marketplaces, searched by slug, name or domain (the API's list).
#[handler]
async fn tenant_list(
    req: &Request,
    state: Data<&ControlState>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let staff = match require_staff(req, &state) {
        Ok(s) => s,
        Err(r) => return r.response(&state),
    };
    let chrome = Chrome::of(&staff, &state);
    let q = value(&query, "q");
    let cursor = match non_empty(&query, "cursor").map(|c| c.parse::<Uuid>()) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(_)) => {
            return message(
                Some(chrome),
                StatusCode::BAD_REQUEST,
                "Bad page link",
                "cursor: not a page of this list",
            );
        }
    };
    let page = match api::list_tenants(&state, None, Some(&q), cursor, None).await {
        Ok(p) => p,
        Err(e) => return failure(chrome, &e),
    };
    render(&ListPage {
        next: page
            .next_cursor
            .map(|c| format!("/?q={}&cursor={c}", percent_encode(&q))),
        rows: page
            .items
            .iter()
            .map(|t| TenantRow {
                id: t.id.to_string(),
                name: t.name.clone(),
                slug: t.slug.clone(),
                suspended: t.status == TenantStatusName::Suspended,
                hosts: t.hosts.clone(),
                template: template_label(t.template),
                stripe: stripe_label(t),
            })
            .collect(),
        q,
        chrome: Some(chrome),
    })
}

// --- creating a marketplace -----------------------------------------------------------

#[derive(Template)]
#[template(path = "new_tenant.html")]
struct NewTenantPage {
    chrome: Option<Chrome>,
    templates: Vec<TemplateChoice>,
    template_error: Option<String>,
    fields: Vec<Field>,
    error: String,
}

struct TemplateChoice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

/// The templates to choose from, `chosen` checked (handmade when none is).
fn template_choices(chosen: &str) -> Vec<TemplateChoice> {
    TEMPLATES
        .iter()
        .map(|(value, label)| TemplateChoice {
            value,
            label,
            checked: *value == chosen,
        })
        .collect()
}

const TEMPLATES: [(&str, &str); 3] = [
    ("handmade", "Handmade: crafts, jewellery, home"),
    ("farm", "Farm: fresh produce and local food"),
    ("b2b", "B2B: supplies for businesses"),
];

fn new_tenant_fields(form: &BTreeMap<String, String>) -> Vec<Field> {
    vec![
        Field::new("slug", "slug", "Slug", value(form, "slug"))
            .hint("Lowercase letters, digits and dashes: the marketplace's own host name.")
            .required(),
        Field::new("name", "name", "Name", value(form, "name")).required(),
        Field::new("locale", "locale", "Locale", value(form, "locale"))
            .hint("e.g. fr-FR; en by default."),
        Field::new("currency", "currency", "Currency", value(form, "currency"))
            .hint("ISO 4217, EUR by default."),
        Field::new(
            "domain",
            "domain",
            "Custom domain (optional)",
            value(form, "domain"),
        )
        .api("domains"),
        Field::new(
            "tagline",
            "tagline",
            "Tagline (optional)",
            value(form, "tagline"),
        )
        .api("branding.tagline"),
    ]
}

/// `GET /marketplaces/new`
#[handler]
fn new_tenant_page(req: &Request, state: Data<&ControlState>) -> Response {
    let staff = match require_staff(req, &state) {
        Ok(s) => s,
        Err(r) => return r.response(&state),
    };
    render(&NewTenantPage {
        chrome: Some(Chrome::of(&staff, &state)),
        templates: template_choices("handmade"),
        template_error: None,
        fields: new_tenant_fields(&BTreeMap::new()),
        error: String::new(),
    })
}

/// `POST /marketplaces/new`: provisions through the API's function; a refusal shows the
/// form again with the entered values and each problem on its field.
#[handler]
async fn create_tenant(
    req: &Request,
    state: Data<&ControlState>,
    Form(form): FormData,
) -> Response {
    let staff = match require_staff(req, &state) {
        Ok(s) => s,
        Err(r) => return r.response(&state),
    };
    let template_raw = value(&form, "template");
    let template = match template_raw.as_str() {
        "handmade" => Ok(TemplateName::Handmade),
        "farm" => Ok(TemplateName::Farm),
        "b2b" => Ok(TemplateName::B2b),
        _ => Err(ApiError::field(krafto_core::FieldError::new(
            "template",
            "choose handmade, farm or b2b",
        ))),
    };
    let result = match template {
        Ok(template) => {
            let input = CreateTenant {
                slug: value(&form, "slug"),
                name: value(&form, "name"),
                template,
                currency: non_empty(&form, "currency"),
                locale: non_empty(&form, "locale"),
                domains: non_empty(&form, "domain").into_iter().collect(),
                branding: Some(BrandingInput {
                    tagline: non_empty(&form, "tagline"),
                    ..BrandingInput::default()
                }),
                fees: None,
                features: BTreeMap::new(),
            };
            crate::provision::create_tenant(&state, &staff_actor(&staff), &input, request_id(req))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(t) => {
            Redirect::see_other(format!("/marketplaces/{}?done=created", t.id)).into_response()
        }
        Err(e) if e.status.is_client_error() => {
            let mut fields = new_tenant_fields(&form);
            let error = attach(&mut fields, &e);
            let mut r = render(&NewTenantPage {
                chrome: Some(Chrome::of(&staff, &state)),
                templates: template_choices(&template_raw),
                template_error: e
                    .errors
                    .iter()
                    .find(|p| p.field == "template")
                    .map(|p| p.message.clone()),
                fields,
                error,
            });
            r.set_status(e.status);
            r
        }
        Err(e) => failure(Chrome::of(&staff, &state), &e),
    }
}

// --- a marketplace's page -------------------------------------------------------------

/// Which form of the tenant page a refusal belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Branding,
    Fees,
    Features,
    Status,
    Domains,
    Operators,
    Stripe,
}

struct AuditLine {
    at: String,
    actor: String,
    action: String,
    target: String,
    details: String,
}

impl AuditLine {
    fn of(e: &AuditEntryView) -> Self {
        Self {
            at: e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            actor: e.actor.clone(),
            action: e.action.clone(),
            target: e.target.clone(),
            details: if e.details.as_object().is_some_and(|o| o.is_empty()) {
                String::new()
            } else {
                e.details.to_string()
            },
        }
    }
}

struct DomainRow {
    host: String,
    primary: bool,
}

#[derive(Template)]
#[template(path = "tenant.html")]
struct TenantPage {
    chrome: Option<Chrome>,
    id: String,
    name: String,
    slug: String,
    template: &'static str,
    currency: String,
    locale: String,
    suspended: bool,
    suspended_reason: Option<String>,
    storefront: String,
    hosts: Vec<String>,
    domains: Vec<DomainRow>,
    notice: Option<&'static str>,
    /// The form a refusal belongs to, and what to say above it.
    error_in: &'static str,
    error: String,
    branding: Vec<Field>,
    fees: Vec<Field>,
    features: Vec<(String, bool)>,
    status_fields: Vec<Field>,
    domain_fields: Vec<Field>,
    operator_fields: Vec<Field>,
    stripe_account: Option<String>,
    stripe_charges: bool,
    stripe_payouts: bool,
    stripe_ready: bool,
    stripe_requirements: String,
    onboarding_url: Option<String>,
    audit: Vec<AuditLine>,
    /// The next (older) page of the audit log.
    older_audit: Option<String>,
}

fn section_id(s: Section) -> &'static str {
    match s {
        Section::Branding => "branding",
        Section::Fees => "fees",
        Section::Features => "features",
        Section::Status => "status",
        Section::Domains => "domains",
        Section::Operators => "operators",
        Section::Stripe => "stripe",
    }
}

/// The confirmation shown after a change (`?done=`); only these fixed texts are shown.
fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => "Marketplace created.",
        "branding" => "Branding saved.",
        "fees" => "Fees saved.",
        "features" => "Feature flags saved.",
        "suspended" => "Marketplace suspended: its storefront and API refuse every request.",
        "resumed" => "Marketplace resumed.",
        "domain-added" => "Domain added.",
        "domain-removed" => "Domain removed.",
        "operator" => "Operator added: they sign in at the marketplace with an e-mailed code.",
        "stripe-created" => "Stripe account created.",
        "stripe-existing" => "The marketplace already has a Stripe account.",
        _ => return None,
    })
}

/// What a marketplace's page shows besides the marketplace itself.
#[derive(Default)]
struct PageView<'a> {
    /// `?done=`: the change just made.
    done: Option<&'a str>,
    /// A refused form: its section, the values entered (shown again) and the refusal.
    refused: Option<(Section, &'a BTreeMap<String, String>, &'a ApiError)>,
    /// A fresh Stripe onboarding link.
    onboarding_url: Option<String>,
    /// `?audit=`: the audit log page after this entry.
    audit_after: Option<Uuid>,
}

impl PageView<'_> {
    /// The entered values of `section`'s form when that form was refused.
    fn draft(&self, section: Section) -> Option<&BTreeMap<String, String>> {
        self.refused
            .filter(|(s, _, _)| *s == section)
            .map(|(_, f, _)| f)
    }
}

async fn tenant_page_with(
    state: &ControlState,
    chrome: Chrome,
    id: Uuid,
    view: PageView<'_>,
) -> Response {
    let t = match api::load_view(state, id).await {
        Ok(t) => t,
        Err(e) => return failure(chrome, &e),
    };
    let audit = match api::audit(state, id, view.audit_after, Some(50)).await {
        Ok(a) => a,
        Err(e) => return failure(chrome, &e),
    };
    let b = &t.branding;
    let mut branding = match view.draft(Section::Branding) {
        Some(f) => branding_fields(
            value(f, "display_name"),
            value(f, "logo_url"),
            value(f, "primary_color"),
            value(f, "accent_color"),
            value(f, "tagline"),
        ),
        None => branding_fields(
            b.display_name.clone(),
            b.logo_url.clone().unwrap_or_default(),
            b.primary_color.clone(),
            b.accent_color.clone(),
            b.tagline.clone().unwrap_or_default(),
        ),
    };
    let mut fees = match view.draft(Section::Fees) {
        Some(f) => fee_fields(
            value(f, "seller_commission_bps"),
            value(f, "platform_fee_bps"),
            value(f, "minimum_order_minor"),
            value(f, "buyer_fee_bps"),
        ),
        None => fee_fields(
            t.fees.seller_commission_bps.to_string(),
            t.fees.platform_fee_bps.to_string(),
            t.fees.minimum_order_minor.to_string(),
            t.buyer_fee_bps.to_string(),
        ),
    };
    let draft_value = |s: Section, k: &str| view.draft(s).map(|f| value(f, k)).unwrap_or_default();
    let mut status_fields = vec![
        Field::new(
            "suspended_reason",
            "suspended_reason",
            "Reason (shown to staff and operators only)",
            draft_value(Section::Status, "suspended_reason"),
        )
        .required(),
    ];
    let mut domain_fields = vec![
        Field::new(
            "domain-host",
            "host",
            "Custom domain",
            draft_value(Section::Domains, "host"),
        )
        .hint("e.g. shop.example.com; point its DNS at Krafto first.")
        .required(),
    ];
    let mut operator_fields = vec![
        Field::new(
            "operator-email",
            "email",
            "E-mail",
            draft_value(Section::Operators, "email"),
        )
        .kind("email")
        .required(),
        Field::new(
            "operator-display-name",
            "display_name",
            "Name (optional)",
            draft_value(Section::Operators, "display_name"),
        ),
    ];
    let (error_in, error) = match view.refused {
        Some((section, _, e)) => {
            let fields: &mut [Field] = match section {
                Section::Branding => &mut branding,
                Section::Fees => &mut fees,
                Section::Status => &mut status_fields,
                Section::Domains => &mut domain_fields,
                Section::Operators => &mut operator_fields,
                Section::Features | Section::Stripe => &mut [],
            };
            (section_id(section), attach(fields, e))
        }
        None => ("", String::new()),
    };
    let status = view.refused.map_or(StatusCode::OK, |(_, _, e)| e.status);
    let mut r = render(&TenantPage {
        chrome: Some(chrome),
        id: t.id.to_string(),
        name: t.name.clone(),
        slug: t.slug.clone(),
        template: template_label(t.template),
        currency: t.currency.clone(),
        locale: t.locale.clone(),
        suspended: t.status == TenantStatusName::Suspended,
        suspended_reason: t.suspended_reason.clone(),
        storefront: state.storefront(&state.slug_host(&t.slug)),
        hosts: t.hosts.clone(),
        domains: t
            .domains
            .iter()
            .map(|d| DomainRow {
                host: d.host.clone(),
                primary: d.primary,
            })
            .collect(),
        notice: view.done.and_then(notice),
        error_in,
        error,
        branding,
        fees,
        features: t.features.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        status_fields,
        domain_fields,
        operator_fields,
        stripe_account: t.stripe.account_id.clone(),
        stripe_charges: t.stripe.charges_enabled,
        stripe_payouts: t.stripe.payouts_enabled,
        stripe_ready: t.stripe.ready,
        stripe_requirements: t.stripe.requirements.join(", "),
        onboarding_url: view.onboarding_url,
        audit: audit.items.iter().map(AuditLine::of).collect(),
        older_audit: audit
            .next_cursor
            .map(|c| format!("/marketplaces/{}?audit={c}#audit", t.id)),
    });
    r.set_status(status);
    r
}

fn branding_fields(
    display_name: String,
    logo_url: String,
    primary: String,
    accent: String,
    tagline: String,
) -> Vec<Field> {
    vec![
        Field::new("display_name", "display_name", "Display name", display_name)
            .api("branding.display_name")
            .required(),
        Field::new("logo_url", "logo_url", "Logo URL (optional)", logo_url)
            .api("branding.logo_url")
            .kind("url"),
        Field::new("primary_color", "primary_color", "Primary colour", primary)
            .api("branding.primary_color")
            .hint("#rrggbb"),
        Field::new("accent_color", "accent_color", "Accent colour", accent)
            .api("branding.accent_color")
            .hint("#rrggbb"),
        Field::new("tagline", "tagline", "Tagline (optional)", tagline).api("branding.tagline"),
    ]
}

fn fee_fields(commission: String, platform: String, minimum: String, buyer: String) -> Vec<Field> {
    vec![
        Field::new(
            "seller_commission_bps",
            "seller_commission_bps",
            "Seller commission (basis points)",
            commission,
        )
        .api("fees.seller_commission_bps")
        .hint("1000 = 10% of each sale."),
        Field::new(
            "platform_fee_bps",
            "platform_fee_bps",
            "Krafto fee (basis points)",
            platform,
        )
        .api("fees.platform_fee_bps")
        .hint("Paid out of the commission."),
        Field::new(
            "minimum_order_minor",
            "minimum_order_minor",
            "Minimum order (minor units)",
            minimum,
        )
        .api("fees.minimum_order_minor"),
        Field::new(
            "buyer_fee_bps",
            "buyer_fee_bps",
            "Buyer fee (basis points)",
            buyer,
        )
        .api("fees.buyer_fee_bps")
        .hint("Charged to buyers on top of prices."),
    ]
}

/// The signed-in staff member and the marketplace id of a `/marketplaces/{id}…` path.
fn staff_and_id(
    req: &Request,
    state: &ControlState,
    raw: &str,
) -> Result<(StaffIdentity, Uuid), Refused> {
    let staff = require_staff(req, state)?;
    match raw.parse() {
        Ok(id) => Ok((staff, id)),
        Err(_) => Err(Refused::NoSuchMarketplace {
            staff,
            raw: raw.to_owned(),
        }),
    }
}

/// `GET /marketplaces/{id}` (`?done=` after a change, `?audit=` for older audit entries).
#[handler]
async fn tenant_page(
    req: &Request,
    state: Data<&ControlState>,
    Path(raw): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let (staff, id) = match staff_and_id(req, &state, &raw) {
        Ok(v) => v,
        Err(r) => return r.response(&state),
    };
    let view = PageView {
        done: query.get("done").map(String::as_str),
        // A cursor that is not an entry id shows the newest entries.
        audit_after: query.get("audit").and_then(|c| c.parse().ok()),
        ..PageView::default()
    };
    tenant_page_with(&state, Chrome::of(&staff, &state), id, view).await
}

/// The forms of a marketplace's page, by the last segment of their action URL.
fn section_of(action: &str) -> Option<Section> {
    Some(match action {
        "branding" => Section::Branding,
        "fees" => Section::Fees,
        "features" => Section::Features,
        "status" => Section::Status,
        "domains" | "remove-domain" => Section::Domains,
        "operators" => Section::Operators,
        "stripe-account" | "stripe-link" => Section::Stripe,
        _ => return None,
    })
}

/// `POST /marketplaces/{id}/{action}`: one form of the marketplace's page. After a change:
/// back to the page with its confirmation; after a refusal of bad input: the page again with
/// the entered values and the problem on its field (and the refusal's status).
#[handler]
async fn tenant_action(
    req: &Request,
    state: Data<&ControlState>,
    Path((raw, action)): Path<(String, String)>,
    Form(form): FormData,
) -> Response {
    let (staff, id) = match staff_and_id(req, &state, &raw) {
        Ok(v) => v,
        Err(r) => return r.response(&state),
    };
    let chrome = Chrome::of(&staff, &state);
    let Some(section) = section_of(&action) else {
        return message(
            Some(chrome),
            StatusCode::NOT_FOUND,
            "Not found",
            &format!("a marketplace's page has no form `{action}`"),
        );
    };
    let result = if action == "stripe-link" {
        // Links are single-use: shown on the page, never put in a redirect or a bookmark.
        match stripe::account_link(&state, id, &StripeLinkRequest::default()).await {
            Ok(link) => {
                let view = PageView {
                    onboarding_url: Some(link.url),
                    ..PageView::default()
                };
                return tenant_page_with(&state, chrome, id, view).await;
            }
            Err(e) => Err(e),
        }
    } else {
        perform(&state, req, &staff, id, &action, &form).await
    };
    match result {
        Ok(done) => Redirect::see_other(format!(
            "/marketplaces/{id}?done={done}#{}",
            section_id(section)
        ))
        .into_response(),
        Err(e) if e.status.is_client_error() && e.status != StatusCode::NOT_FOUND => {
            let view = PageView {
                refused: Some((section, &form, &e)),
                ..PageView::default()
            };
            tenant_page_with(&state, chrome, id, view).await
        }
        Err(e) => failure(chrome, &e),
    }
}

/// A whole number typed into a form; empty means "unchanged".
fn number(form: &BTreeMap<String, String>, key: &str, api: &str) -> ApiResult<Option<i64>> {
    match non_empty(form, key) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            ApiError::field(krafto_core::FieldError::new(api, "must be a whole number"))
        }),
    }
}

/// Runs one form of a marketplace's page through the API's function; returns which
/// confirmation to show.
async fn perform(
    state: &ControlState,
    req: &Request,
    staff: &StaffIdentity,
    id: Uuid,
    action: &str,
    form: &BTreeMap<String, String>,
) -> ApiResult<&'static str> {
    let actor = staff_actor(staff);
    let rid = request_id(req);
    let update = |input: UpdateTenant| async move {
        crate::provision::update_tenant(state, &actor, id, &input, rid)
            .await
            .map(|_| ())
    };
    match action {
        // An empty logo URL or tagline clears it.
        "branding" => {
            let clearable = |k: &str| match non_empty(form, k) {
                Some(v) => MaybeUndefined::Value(v),
                None => MaybeUndefined::Null,
            };
            update(UpdateTenant {
                branding: Some(BrandingPatch {
                    display_name: Some(value(form, "display_name")),
                    logo_url: clearable("logo_url"),
                    primary_color: Some(value(form, "primary_color")),
                    accent_color: Some(value(form, "accent_color")),
                    tagline: clearable("tagline"),
                }),
                ..UpdateTenant::default()
            })
            .await?;
            Ok("branding")
        }
        // An empty box leaves that fee as it is.
        "fees" => {
            let fees = FeesInput {
                seller_commission_bps: number(
                    form,
                    "seller_commission_bps",
                    "fees.seller_commission_bps",
                )?,
                platform_fee_bps: number(form, "platform_fee_bps", "fees.platform_fee_bps")?,
                minimum_order_minor: number(
                    form,
                    "minimum_order_minor",
                    "fees.minimum_order_minor",
                )?,
                buyer_fee_bps: number(form, "buyer_fee_bps", "fees.buyer_fee_bps")?,
            };
            update(UpdateTenant {
                fees: Some(fees),
                ..UpdateTenant::default()
            })
            .await?;
            Ok("fees")
        }
        // Every flag the marketplace has, on when its box is ticked.
        "features" => {
            let current = api::load_view(state, id).await?;
            let flags = current
                .features
                .keys()
                .map(|k| (k.clone(), form.contains_key(&format!("feature.{k}"))))
                .collect();
            update(UpdateTenant {
                features: Some(flags),
                ..UpdateTenant::default()
            })
            .await?;
            Ok("features")
        }
        // `status=suspended` with a reason, or `status=active`.
        "status" => {
            let (status, reason, done) = match value(form, "status").as_str() {
                "suspended" => (
                    TenantStatusName::Suspended,
                    Some(value(form, "suspended_reason")),
                    "suspended",
                ),
                "active" => (TenantStatusName::Active, None, "resumed"),
                _ => {
                    return Err(ApiError::field(krafto_core::FieldError::new(
                        "status",
                        "must be `active` or `suspended`",
                    )));
                }
            };
            update(UpdateTenant {
                status: Some(status),
                suspended_reason: reason,
                ..UpdateTenant::default()
            })
            .await?;
            Ok(done)
        }
        "domains" => {
            let input = AddDomain {
                host: value(form, "host"),
                primary: form.contains_key("primary"),
            };
            crate::provision::add_domain(state, &staff_actor(staff), id, &input, request_id(req))
                .await?;
            Ok("domain-added")
        }
        "remove-domain" => {
            crate::provision::remove_domain(
                state,
                &staff_actor(staff),
                id,
                &value(form, "host"),
                request_id(req),
            )
            .await?;
            Ok("domain-removed")
        }
        "operators" => {
            let input = CreateOperator {
                email: value(form, "email"),
                display_name: non_empty(form, "display_name"),
            };
            api::add_operator(state, &staff_actor(staff), id, &input, request_id(req)).await?;
            Ok("operator")
        }
        "stripe-account" => Ok(
            match stripe::create_account(state, &staff_actor(staff), id, request_id(req)).await? {
                Provisioned::Created(_) => "stripe-created",
                Provisioned::Existing(_) => "stripe-existing",
            },
        ),
        _ => Err(ApiError::not_found(
            Code::FormNotFound,
            format!("a marketplace's page has no form `{action}`"),
        )),
    }
}
