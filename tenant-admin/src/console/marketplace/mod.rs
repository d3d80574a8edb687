//! A marketplace's page in the console: its hosts, branding, fees, feature flags, status,
//! domains, Stripe Connect account, operators and audit log, each with its form (the forms'
//! actions are in [`forms`]).

mod forms;

pub(super) use forms::submit;

use super::{Chrome, StaffPage, failure, message, template_label, value};
use crate::{ControlState, marketplaces};
use askama::Template;
use krafto_api_types::control::{AuditEntryView, TenantStatusName};
use krafto_web::ApiError;
use krafto_web::pages::{Field, Flash, attach, render};
use poem::http::StatusCode;
use poem::web::Query;
use poem::{FromRequest, Request, RequestBody, Response, handler};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A signed-in staff member on a `/marketplaces/{id}…` page. A path whose id is not a
/// marketplace id is answered with the 404 page (after the session check: signed out, it
/// is the redirect to the sign-in page).
pub(crate) struct MarketplacePage<'a> {
    pub(crate) staff: StaffPage<'a>,
    pub(crate) id: Uuid,
}

impl<'a> FromRequest<'a> for MarketplacePage<'a> {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let staff = StaffPage::from_request(req, body).await?;
        let raw = req.raw_path_param("id").unwrap_or_default();
        match raw.parse() {
            Ok(id) => Ok(Self { staff, id }),
            Err(_) => Err(poem::Error::from_response(message(
                Some(staff.chrome),
                StatusCode::NOT_FOUND,
                "Not found",
                &format!("no marketplace {raw}"),
            ))),
        }
    }
}

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

struct OperatorRow {
    id: String,
    email: String,
    name: String,
    last_sign_in: String,
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
    notice: Flash,
    /// The form a refusal belongs to, and what to say above it.
    error_in: &'static str,
    error: String,
    branding: Vec<Field>,
    fees: Vec<Field>,
    /// Krafto gives its fee back on refunds.
    refund_platform_fee: bool,
    features: Vec<(String, bool)>,
    status_fields: Vec<Field>,
    domain_fields: Vec<Field>,
    operator_fields: Vec<Field>,
    operators: Vec<OperatorRow>,
    stripe_account: Option<String>,
    stripe_charges: bool,
    stripe_payouts: bool,
    stripe_ready: bool,
    stripe_requirements: String,
    onboarding_url: Option<String>,
    audit: Vec<AuditLine>,
    /// The next (older) page of the audit log.
    older_audit: Option<String>,
    /// The latest reconciliation with the payment provider: its day, status and number of
    /// differences (the details are on the marketplace's own console).
    reconciliation: Option<(String, String, i32)>,
}

/// The marketplace's latest reconciliation run, read through the control role's grant on
/// its tenant tables.
async fn last_reconciliation(
    state: &ControlState,
    id: Uuid,
) -> krafto_web::ApiResult<Option<krafto_db::models::ReconciliationRun>> {
    let tenant = crate::provision::load_tenant(state, id).await?;
    let mut tx = state
        .db
        .tenant(&krafto_db::TenantScope::staff(&tenant))
        .await?;
    let runs = krafto_db::models::ReconciliationRun::latest(&mut tx, 1).await?;
    tx.commit().await?;
    Ok(runs.into_iter().next())
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

/// How a refusal of the section's form begins.
fn lead(s: Section) -> Option<&'static str> {
    match s {
        Section::Branding | Section::Fees | Section::Features => Some("Not saved."),
        Section::Status | Section::Domains | Section::Operators => Some("Not changed."),
        Section::Stripe => None,
    }
}

/// The confirmations shown after a change (`?done=`).
const NOTICES: &[(&str, &str)] = &[
    ("created", "Marketplace created."),
    ("branding", "Branding saved."),
    ("fees", "Fees saved."),
    ("features", "Feature flags saved."),
    (
        "suspended",
        "Marketplace suspended: its storefront and API refuse every request.",
    ),
    ("resumed", "Marketplace resumed."),
    ("domain-added", "Domain added."),
    ("domain-removed", "Domain removed."),
    (
        "operator",
        "Operator added: they sign in at the marketplace with an e-mailed code.",
    ),
    (
        "operator-removed",
        "Operator removed: their sessions have ended and they keep their account as a buyer or seller.",
    ),
    (
        "operator-gone",
        "Already done: they are no longer an operator of this marketplace.",
    ),
    ("stripe-created", "Stripe account created."),
    (
        "stripe-existing",
        "The marketplace already has a Stripe account.",
    ),
];

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
    let t = match marketplaces::view(state, id).await {
        Ok(t) => t,
        Err(e) => return failure(chrome, &e),
    };
    let audit = match marketplaces::audit(state, id, view.audit_after, Some(50)).await {
        Ok(a) => a,
        Err(e) => return failure(chrome, &e),
    };
    let reconciliation = match last_reconciliation(state, id).await {
        Ok(r) => r.map(|r| {
            let status = match r.status.as_str() {
                "clean" => "no differences",
                "failed" => "the payment provider could not be read",
                _ => "differences found",
            };
            (
                r.day.format("%Y-%m-%d").to_string(),
                status.to_owned(),
                r.differences,
            )
        }),
        Err(e) => return failure(chrome, &e),
    };
    let operators = match crate::operators::list(state, id).await {
        Ok(o) => o.items,
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
            "Reason (shown to staff and operators only)",
            draft_value(Section::Status, "suspended_reason"),
        )
        .required(),
    ];
    let mut domain_fields = vec![
        Field::new(
            "host",
            "Custom domain",
            draft_value(Section::Domains, "host"),
        )
        .id("domain-host")
        .hint("e.g. shop.example.com; point its DNS at Krafto first.")
        .required(),
    ];
    let mut operator_fields = vec![
        Field::new("email", "E-mail", draft_value(Section::Operators, "email"))
            .id("operator-email")
            .kind("email")
            .required(),
        Field::new(
            "display_name",
            "Name (optional)",
            draft_value(Section::Operators, "display_name"),
        )
        .id("operator-display-name"),
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
            let summary = attach(fields, e, krafto_web::pages::Locale::En);
            let error = match lead(section) {
                Some(lead) => format!("{lead} {summary}"),
                None => summary,
            };
            (section_id(section), error)
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
        notice: Flash::from_done(view.done, NOTICES),
        error_in,
        error,
        branding,
        fees,
        refund_platform_fee: match view.draft(Section::Fees) {
            Some(f) => f.contains_key("refund_platform_fee"),
            None => t.fees.refund_platform_fee,
        },
        features: t.features.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        status_fields,
        domain_fields,
        operator_fields,
        operators: operators
            .into_iter()
            .map(|o| OperatorRow {
                id: o.id.to_string(),
                email: o.email,
                name: o.display_name.unwrap_or_default(),
                last_sign_in: o.last_sign_in_at.map_or_else(
                    || "never".to_owned(),
                    |at| at.format("%Y-%m-%d %H:%M UTC").to_string(),
                ),
            })
            .collect(),
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
        reconciliation,
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
        Field::new("display_name", "Display name", display_name)
            .api("branding.display_name")
            .required(),
        Field::new("logo_url", "Logo URL (optional)", logo_url)
            .api("branding.logo_url")
            .kind("url"),
        Field::new("primary_color", "Primary colour", primary)
            .api("branding.primary_color")
            .hint("#rrggbb"),
        Field::new("accent_color", "Accent colour", accent)
            .api("branding.accent_color")
            .hint("#rrggbb"),
        Field::new("tagline", "Tagline (optional)", tagline).api("branding.tagline"),
    ]
}

fn fee_fields(commission: String, platform: String, minimum: String, buyer: String) -> Vec<Field> {
    vec![
        Field::new(
            "seller_commission_bps",
            "Seller commission (basis points)",
            commission,
        )
        .api("fees.seller_commission_bps")
        .hint("1000 = 10% of each sale."),
        Field::new("platform_fee_bps", "Krafto fee (basis points)", platform)
            .api("fees.platform_fee_bps")
            .hint("Paid out of the commission."),
        Field::new(
            "minimum_order_minor",
            "Minimum order (minor units)",
            minimum,
        )
        .api("fees.minimum_order_minor"),
        Field::new("buyer_fee_bps", "Buyer fee (basis points)", buyer)
            .api("fees.buyer_fee_bps")
            .hint("Charged to buyers on top of prices."),
    ]
}

/// `GET /marketplaces/{id}` (`?done=` after a change, `?audit=` for older audit entries).
#[handler]
pub(in crate::console) async fn page(
    Query(query): Query<BTreeMap<String, String>>,
    page: MarketplacePage<'_>,
) -> Response {
    let MarketplacePage { staff, id } = page;
    let view = PageView {
        done: query.get("done").map(String::as_str),
        // A cursor that is not an entry id shows the newest entries.
        audit_after: query.get("audit").and_then(|c| c.parse().ok()),
        ..PageView::default()
    };
    tenant_page_with(staff.ctx.state, staff.chrome, id, view).await
}
