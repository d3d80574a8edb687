//! The operator console at `/admin` on each marketplace's host: the review queue, reports,
//! categories, catalog rules and branding, orders and the audit log, in the marketplace's
//! own brand.
//!
//! Every page and form checks the operator role first, then calls the very functions the
//! operator API calls (`api::moderation`, `api::admin`, `commerce::orders`); nothing here
//! decides a rule of its own. Forms post, then redirect back (no JavaScript needed); a
//! refused form re-renders its page with the API's explanation and status.

use super::{Chrome, api_failure, render};
use crate::api::admin as categories_api;
use crate::api::moderation;
use crate::api::operator_actor;
use crate::catalog::listing_view;
use crate::commerce::{format_money, orders};
use crate::{AppState, CurrentTenant};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::catalog::{MarketplaceSettingsPatch, Reason, ReportDecision, ReportOutcome};
use krafto_api_types::control::BrandingPatch;
use krafto_api_types::store::{CreateCategory, UpdateCategory};
use krafto_core::Role;
use krafto_core::catalog::{REQUIRABLE_FIELDS, ShopEvent};
use krafto_core::commerce::{OrderActor, OrderEvent};
use krafto_db::models::{Actor, Order, OrderScope, Shop};
use krafto_web::{ApiError, ApiResult, RequestId};
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query, Redirect};
use poem::{IntoResponse, Request, Response, handler};
use poem_openapi::types::MaybeUndefined;
use serde::Deserialize;
use std::collections::HashMap;
use super::account::OperatorPage;
use uuid::Uuid;

/// The signed-in operator (as the audit log names them) and the page chrome; otherwise the
/// sign-in redirect or the branded 403.
#[expect(
    clippy::result_large_err,
    reason = "the error is the response itself, sent at once"
)]
fn operator(
    req: &Request,
    state: &AppState,
    tenant: &CurrentTenant,
    here: &str,
) -> Result<(Chrome, Actor), Response> {
    let (chrome, user) = super::account::require_role(req, state, tenant, &[Role::Operator], here)?;
    Ok((chrome, operator_actor(&user)))
}

/// A refused form: its page again with the reason on top and the API's status (4xx), or the
/// generic failure page (5xx).
fn refused(mut page: Response, chrome: Chrome, e: &ApiError) -> Response {
    if !e.status.is_client_error() {
        return api_failure(chrome, e);
    }
    page.set_status(e.status);
    page
}

fn error_text(e: Option<&ApiError>) -> String {
    e.map(|e| e.detail.clone()).unwrap_or_default()
}

fn uuid_or_404(raw: &str) -> ApiResult<Uuid> {
    raw.parse()
        .map_err(|_| ApiError::not_found(Code::NotFound, format!("nothing here has the id {raw}")))
}

fn date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%d %b %Y %H:%M").to_string()
}

// ---------------------------------------------------------------- dashboard

struct Balance {
    account: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    shops: usize,
    listings: usize,
    verifications: usize,
    reports: usize,
    gmv: String,
    balances: Vec<Balance>,
}

/// `GET /admin`: what waits for a decision, and the money.
#[handler]
pub(crate) async fn dashboard(page: OperatorPage<'_>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let loaded = async {
        let pending = moderation::pending(ctx.state, ctx.tenant).await?;
        let mut tx = ctx.tx().await?;
        let ledger = orders::ledger_totals(&mut tx).await?;
        tx.commit().await?;
        Ok::<_, ApiError>((pending, ledger))
    }
    .await;
    let (pending, (gmv, balances)) = match loaded {
        Ok(l) => l,
        Err(e) => return api_failure(chrome, &e),
    };
    render(&DashboardPage {
        shops: pending.shops.len(),
        listings: pending.listings.len(),
        verifications: pending.verifications.len(),
        reports: pending.reports.len(),
        gmv: format_money(gmv, &ctx.tenant.currency),
        balances: balances
            .into_iter()
            .map(|b| Balance {
                amount: format_money(b.amount_minor, &b.currency),
                account: b.account,
            })
            .collect(),
        chrome,
    })
}

// ---------------------------------------------------------------- review queue

struct ShopItem {
    id: String,
    name: String,
    slug: String,
    place: String,
    story: String,
    since: String,
}

struct PhotoItem {
    url: String,
    alt: String,
}

struct ListingItem {
    id: String,
    title: String,
    price: String,
    description: String,
    shop: String,
    quantity: i32,
    photos: Vec<PhotoItem>,
    since: String,
}

struct VerificationItem {
    id: String,
    legal_name: String,
    business_type: String,
    shop: String,
    since: String,
}

#[derive(Template)]
#[template(path = "admin/review.html")]
struct ReviewPage {
    chrome: Chrome,
    error: String,
    shops: Vec<ShopItem>,
    listings: Vec<ListingItem>,
    verifications: Vec<VerificationItem>,
}

async fn review_page(
    state: &AppState,
    tenant: &CurrentTenant,
    chrome: Chrome,
    error: Option<&ApiError>,
) -> Response {
    let loaded = async {
        let p = moderation::pending(state, tenant).await?;
        // The shops named by listings and verifications, read once each.
        let mut names: HashMap<Uuid, String> =
            p.shops.iter().map(|s| (s.id, s.name.clone())).collect();
        let wanted: Vec<Uuid> = p
            .listings
            .iter()
            .map(|l| l.shop_id)
            .chain(p.verifications.iter().map(|v| v.shop_id))
            .collect();
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        for id in wanted {
            if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id) {
                e.insert(Shop::find(&mut tx, id).await?.name);
            }
        }
        tx.commit().await?;
        Ok::<_, ApiError>((p, names))
    }
    .await;
    let (p, names) = match loaded {
        Ok(l) => l,
        Err(e) => return api_failure(chrome, &e),
    };
    let shop_name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    let page = render(&ReviewPage {
        error: error_text(error),
        verifications: p
            .verifications
            .iter()
            .map(|v| VerificationItem {
                id: v.id.to_string(),
                legal_name: v.legal_name.clone(),
                business_type: v.business_type.clone(),
                shop: shop_name(&v.shop_id),
                since: date(v.submitted_at),
            })
            .collect(),
        listings: p
            .listings
            .into_iter()
            .map(|l| {
                let shop = shop_name(&l.shop_id);
                let since = date(l.updated_at);
                let v = listing_view(l, Vec::new());
                ListingItem {
                    id: v.id.to_string(),
                    price: format_money(v.price_minor, &v.currency),
                    description: v.description.chars().take(400).collect(),
                    quantity: v.quantity,
                    photos: v
                        .photos
                        .into_iter()
                        .take(4)
                        .map(|ph| PhotoItem {
                            alt: if ph.alt.trim().is_empty() {
                                v.title.clone()
                            } else {
                                ph.alt
                            },
                            url: ph.url,
                        })
                        .collect(),
                    title: v.title,
                    shop,
                    since,
                }
            })
            .collect(),
        shops: p
            .shops
            .into_iter()
            .map(|s| ShopItem {
                id: s.id.to_string(),
                place: [s.city, s.country]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                story: s.story.unwrap_or_default().chars().take(400).collect(),
                since: date(s.updated_at),
                name: s.name,
                slug: s.slug,
            })
            .collect(),
        chrome: chrome.clone(),
    });
    match error {
        Some(e) => refused(page, chrome, e),
        None => page,
    }
}

/// `GET /admin/review`: shops, listings and verifications awaiting a decision.
#[handler]
pub(crate) async fn review(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    match operator(req, &state, &tenant, "/admin/review") {
        Ok((chrome, _)) => review_page(&state, &tenant, chrome, None).await,
        Err(r) => r,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// What a review form decides about.
#[derive(Debug, Clone, Copy)]
enum Decided {
    Shop,
    Listing,
    Verification,
}

async fn decide(
    req: &Request,
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    what: Decided,
    raw_id: &str,
    reject: Option<&ReasonForm>,
) -> Response {
    let (chrome, actor) = match operator(req, state, tenant, "/admin/review") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let done = async {
        let id = uuid_or_404(raw_id)?;
        let why = match reject {
            Some(f) => Some(moderation::reason(&Reason {
                reason: f.reason.clone(),
            })?),
            None => None,
        };
        match (what, why) {
            (Decided::Shop, None) => moderation::shop_move(
                state,
                tenant,
                rid,
                &actor,
                id,
                ShopEvent::Approve,
                None,
                "shop.approved",
            )
            .await
            .map(drop),
            (Decided::Shop, Some(r)) => moderation::shop_move(
                state,
                tenant,
                rid,
                &actor,
                id,
                ShopEvent::Reject,
                Some(r),
                "shop.rejected",
            )
            .await
            .map(drop),
            (Decided::Listing, why) => {
                let action = if why.is_some() {
                    "listing.rejected"
                } else {
                    "listing.approved"
                };
                moderation::listing_move(state, tenant, rid, &actor, id, why, action)
                    .await
                    .map(drop)
            }
            (Decided::Verification, why) => {
                moderation::decide_verification(state, tenant, rid, &actor, id, why)
                    .await
                    .map(drop)
            }
        }
    }
    .await;
    match done {
        Ok(()) => Redirect::see_other("/admin/review").into_response(),
        Err(e) => review_page(state, tenant, chrome, Some(&e)).await,
    }
}

/// `POST /admin/shops/{id}/approve`
#[handler]
pub(crate) async fn approve_shop(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
) -> Response {
    decide(req, &state, &tenant, &rid, Decided::Shop, &id, None).await
}

/// `POST /admin/shops/{id}/reject` (`reason` required)
#[handler]
pub(crate) async fn reject_shop(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide(req, &state, &tenant, &rid, Decided::Shop, &id, Some(&form)).await
}

/// `POST /admin/listings/{id}/approve`
#[handler]
pub(crate) async fn approve_listing(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
) -> Response {
    decide(req, &state, &tenant, &rid, Decided::Listing, &id, None).await
}

/// `POST /admin/listings/{id}/reject` (`reason` required)
#[handler]
pub(crate) async fn reject_listing(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide(
        req,
        &state,
        &tenant,
        &rid,
        Decided::Listing,
        &id,
        Some(&form),
    )
    .await
}

/// `POST /admin/verifications/{id}/approve`
#[handler]
pub(crate) async fn approve_verification(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
) -> Response {
    decide(req, &state, &tenant, &rid, Decided::Verification, &id, None).await
}

/// `POST /admin/verifications/{id}/reject` (`reason` required)
#[handler]
pub(crate) async fn reject_verification(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    decide(
        req,
        &state,
        &tenant,
        &rid,
        Decided::Verification,
        &id,
        Some(&form),
    )
    .await
}

// ---------------------------------------------------------------- reports

struct ReportItem {
    id: String,
    reason: String,
    details: String,
    target_kind: String,
    target_href: String,
    since: String,
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ReportsPage {
    chrome: Chrome,
    error: String,
    reports: Vec<ReportItem>,
}

async fn reports_page(
    state: &AppState,
    tenant: &CurrentTenant,
    chrome: Chrome,
    error: Option<&ApiError>,
) -> Response {
    let p = match moderation::pending(state, tenant).await {
        Ok(p) => p,
        Err(e) => return api_failure(chrome, &e),
    };
    let mut tx = match state.db.tenant(&tenant.scope()).await {
        Ok(tx) => tx,
        Err(e) => return api_failure(chrome, &ApiError::from(e)),
    };
    let mut items = Vec::new();
    for r in p.reports {
        // Shops are linked by slug; a shop gone since is shown without a link.
        let target_href = match r.target_kind.as_str() {
            "listing" => format!("/listings/{}", r.target_id),
            _ => Shop::find(&mut tx, r.target_id)
                .await
                .map(|s| format!("/shops/{}", s.slug))
                .unwrap_or_default(),
        };
        items.push(ReportItem {
            id: r.id.to_string(),
            reason: r.reason,
            details: r.details.unwrap_or_default(),
            target_kind: r.target_kind,
            target_href,
            since: date(r.created_at),
        });
    }
    if let Err(e) = tx.commit().await {
        return api_failure(chrome, &ApiError::from(e));
    }
    let page = render(&ReportsPage {
        chrome: chrome.clone(),
        error: error_text(error),
        reports: items,
    });
    match error {
        Some(e) => refused(page, chrome, e),
        None => page,
    }
}

/// `GET /admin/reports`: open reports, oldest first.
#[handler]
pub(crate) async fn reports(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    match operator(req, &state, &tenant, "/admin/reports") {
        Ok((chrome, _)) => reports_page(&state, &tenant, chrome, None).await,
        Err(r) => r,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResolveForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    resolution: String,
}

/// `POST /admin/reports/{id}/resolve` (`outcome` resolved or dismissed, `resolution` note)
#[handler]
pub(crate) async fn resolve_report(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
    Form(form): Form<ResolveForm>,
) -> Response {
    let (chrome, actor) = match operator(req, &state, &tenant, "/admin/reports") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let done = async {
        let id = uuid_or_404(&id)?;
        let outcome = match form.outcome.as_str() {
            "resolved" => ReportOutcome::Resolved,
            "dismissed" => ReportOutcome::Dismissed,
            _ => {
                return Err(ApiError::field(krafto_core::FieldError::new(
                    "outcome",
                    "must be `resolved` or `dismissed`",
                )));
            }
        };
        let decision = ReportDecision {
            outcome,
            resolution: form.resolution.clone(),
        };
        moderation::resolve_report(&state, &tenant, &rid, &actor, id, &decision).await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/reports").into_response(),
        Err(e) => reports_page(&state, &tenant, chrome, Some(&e)).await,
    }
}

// ---------------------------------------------------------------- categories

struct CategoryRow {
    id: String,
    name: String,
    slug: String,
    parent_id: String,
    /// Indentation in the tree (0 at the top level).
    depth: usize,
    /// The depth as dashes, for the parent choices.
    indent: String,
}

#[derive(Template)]
#[template(path = "admin/categories.html")]
struct CategoriesPage {
    chrome: Chrome,
    error: String,
    categories: Vec<CategoryRow>,
}

/// Depth-first, siblings by position then name.
fn tree_rows(all: &[krafto_db::models::Category]) -> Vec<CategoryRow> {
    fn walk(
        all: &[krafto_db::models::Category],
        parent: Option<Uuid>,
        depth: usize,
        out: &mut Vec<CategoryRow>,
    ) {
        let mut children: Vec<_> = all.iter().filter(|c| c.parent_id == parent).collect();
        children.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        for c in children {
            out.push(CategoryRow {
                id: c.id.to_string(),
                name: c.name.clone(),
                slug: c.slug.clone(),
                parent_id: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
                indent: "— ".repeat(depth),
                depth,
            });
            // Depth is bounded by the data (cycles are refused on every move).
            if depth < 32 {
                walk(all, Some(c.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(all, None, 0, &mut out);
    out
}

async fn categories_page(
    state: &AppState,
    tenant: &CurrentTenant,
    chrome: Chrome,
    error: Option<&ApiError>,
) -> Response {
    let all = match crate::catalog::categories(state, tenant).await {
        Ok(a) => a,
        Err(e) => return api_failure(chrome, &e),
    };
    let page = render(&CategoriesPage {
        chrome: chrome.clone(),
        error: error_text(error),
        categories: tree_rows(&all),
    });
    match error {
        Some(e) => refused(page, chrome, e),
        None => page,
    }
}

/// `GET /admin/categories`: the tree, with forms to add, rename, move and delete.
#[handler]
pub(crate) async fn categories(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    match operator(req, &state, &tenant, "/admin/categories") {
        Ok((chrome, _)) => categories_page(&state, &tenant, chrome, None).await,
        Err(r) => r,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CategoryForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    slug: String,
    /// Blank: the top level.
    #[serde(default)]
    parent_id: String,
}

fn parent(raw: &str) -> ApiResult<Option<Uuid>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        ApiError::field(krafto_core::FieldError::new(
            "parent_id",
            "no such category in this marketplace",
        ))
    })
}

fn blank_to_none(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|s| !s.is_empty())
}

/// `POST /admin/categories`: adds a category (`name`, optional `slug`, `parent_id`).
#[handler]
pub(crate) async fn create_category(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Form(form): Form<CategoryForm>,
) -> Response {
    let (chrome, actor) = match operator(req, &state, &tenant, "/admin/categories") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let done = async {
        let body = CreateCategory {
            name: form.name.clone(),
            slug: blank_to_none(&form.slug),
            parent_id: parent(&form.parent_id)?,
            description: None,
            position: 0,
        };
        categories_api::create_category(&state, &tenant, &rid, &actor, &body).await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/categories").into_response(),
        Err(e) => categories_page(&state, &tenant, chrome, Some(&e)).await,
    }
}

/// `POST /admin/categories/{id}`: renames, re-slugs or moves a category.
#[handler]
pub(crate) async fn update_category(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
    Form(form): Form<CategoryForm>,
) -> Response {
    let (chrome, actor) = match operator(req, &state, &tenant, "/admin/categories") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let done = async {
        let id = uuid_or_404(&id)?;
        let body = UpdateCategory {
            name: Some(form.name.clone()),
            slug: Some(form.slug.clone()),
            parent_id: match parent(&form.parent_id)? {
                Some(p) => MaybeUndefined::Value(p),
                None => MaybeUndefined::Null,
            },
            description: MaybeUndefined::Undefined,
            position: None,
        };
        categories_api::update_category(&state, &tenant, &rid, &actor, id, &body).await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/categories").into_response(),
        Err(e) => categories_page(&state, &tenant, chrome, Some(&e)).await,
    }
}

/// `POST /admin/categories/{id}/delete`: deletes an unused category without children.
#[handler]
pub(crate) async fn delete_category(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Path(id): Path<String>,
) -> Response {
    let (chrome, actor) = match operator(req, &state, &tenant, "/admin/categories") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let done = async {
        let id = uuid_or_404(&id)?;
        categories_api::delete_category(&state, &tenant, &rid, &actor, id).await
    }
    .await;
    match done {
        Ok(()) => Redirect::see_other("/admin/categories").into_response(),
        Err(e) => categories_page(&state, &tenant, chrome, Some(&e)).await,
    }
}

// ---------------------------------------------------------------- settings and branding

struct FieldChoice {
    name: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    error: String,
    shop_review_required: bool,
    listing_review_required: bool,
    min_photos: String,
    fields: Vec<FieldChoice>,
    display_name: String,
    primary_color: String,
    accent_color: String,
    logo_url: String,
    tagline: String,
    /// The preview's colours: as typed when valid, otherwise the stored ones (nothing but a
    /// colour ever reaches the style attribute).
    preview_primary: String,
    preview_accent: String,
    /// The fees agreed with Krafto (shown; changed in the control plane).
    commission: String,
    platform_fee: String,
    buyer_fee: String,
}

/// Basis points as a percentage for people (`1250` → `12.5 %`).
fn percent(bps: i32) -> String {
    let text = format!("{:.2}", f64::from(bps) / 100.0);
    format!("{} %", text.trim_end_matches('0').trim_end_matches('.'))
}

/// The branding form as typed (kept when refused, so nothing typed is lost).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BrandingForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    primary_color: String,
    #[serde(default)]
    accent_color: String,
    #[serde(default)]
    logo_url: String,
    #[serde(default)]
    tagline: String,
}

async fn settings_page(
    state: &AppState,
    tenant: &CurrentTenant,
    chrome: Chrome,
    error: Option<&ApiError>,
    typed: Option<&BrandingForm>,
) -> Response {
    let s = match moderation::settings(state, tenant).await {
        Ok(s) => s,
        Err(e) => return api_failure(chrome, &e),
    };
    let stored = BrandingForm {
        display_name: tenant.display_name.clone(),
        primary_color: tenant.primary_color.clone(),
        accent_color: tenant.accent_color.clone(),
        logo_url: tenant.logo_url.clone().unwrap_or_default(),
        tagline: tenant.tagline.clone().unwrap_or_default(),
    };
    let b = typed.cloned().unwrap_or(stored);
    let colour = |typed: &str, stored: &str| {
        krafto_core::HexColor::parse(typed)
            .map(krafto_core::HexColor::into_string)
            .unwrap_or_else(|_| stored.to_owned())
    };
    let preview_primary = colour(&b.primary_color, &tenant.primary_color);
    let preview_accent = colour(&b.accent_color, &tenant.accent_color);
    let page = render(&SettingsPage {
        chrome: chrome.clone(),
        error: error_text(error),
        shop_review_required: s.shop_review_required,
        listing_review_required: s.listing_review_required,
        min_photos: s.min_photos.to_string(),
        fields: REQUIRABLE_FIELDS
            .iter()
            .map(|f| FieldChoice {
                name: f,
                checked: s.required_listing_fields.iter().any(|r| r == f),
            })
            .collect(),
        display_name: b.display_name,
        primary_color: b.primary_color,
        accent_color: b.accent_color,
        logo_url: b.logo_url,
        tagline: b.tagline,
        preview_primary,
        preview_accent,
        commission: percent(tenant.seller_commission_bps),
        platform_fee: percent(tenant.platform_fee_bps),
        buyer_fee: percent(tenant.buyer_fee_bps),
    });
    match error {
        Some(e) => refused(page, chrome, e),
        None => page,
    }
}

/// `GET /admin/settings`: the catalog rules and the marketplace's branding.
#[handler]
pub(crate) async fn settings(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
) -> Response {
    match operator(req, &state, &tenant, "/admin/settings") {
        Ok((chrome, _)) => settings_page(&state, &tenant, chrome, None, None).await,
        Err(r) => r,
    }
}

/// `POST /admin/settings`: `shop_review_required`, `listing_review_required` (checkboxes),
/// `min_photos`, `required_listing_fields` (repeated).
#[handler]
pub(crate) async fn save_settings(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (chrome, actor) = match operator(req, &state, &tenant, "/admin/settings") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let value = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim());
    let done = async {
        let min_photos = match value("min_photos").unwrap_or("") {
            "" => None,
            v => Some(v.parse::<i32>().map_err(|_| {
                ApiError::field(krafto_core::FieldError::new(
                    "min_photos",
                    "must be a whole number between 0 and 20",
                ))
            })?),
        };
        let patch = MarketplaceSettingsPatch {
            // An unticked checkbox sends nothing: absent means off.
            shop_review_required: Some(value("shop_review_required").is_some()),
            listing_review_required: Some(value("listing_review_required").is_some()),
            min_photos,
            required_listing_fields: Some(
                pairs
                    .iter()
                    .filter(|(k, _)| k == "required_listing_fields")
                    .map(|(_, v)| v.clone())
                    .collect(),
            ),
        };
        moderation::update_settings(&state, &tenant, &rid, &actor, &patch).await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/settings").into_response(),
        Err(e) => settings_page(&state, &tenant, chrome, Some(&e), None).await,
    }
}

/// `POST /admin/branding`: `display_name`, `primary_color`, `accent_color` (`#rrggbb`),
/// `logo_url` and `tagline` (blank removes them).
#[handler]
pub(crate) async fn save_branding(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    rid: Data<&RequestId>,
    Form(form): Form<BrandingForm>,
) -> Response {
    let (chrome, actor) = match operator(req, &state, &tenant, "/admin/settings") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let optional = |v: &str| match v.trim() {
        "" => MaybeUndefined::Null,
        v => MaybeUndefined::Value(v.to_owned()),
    };
    let patch = BrandingPatch {
        display_name: Some(form.display_name.clone()),
        logo_url: optional(&form.logo_url),
        primary_color: Some(form.primary_color.clone()),
        accent_color: Some(form.accent_color.clone()),
        tagline: optional(&form.tagline),
    };
    match moderation::update_branding(&state, &tenant, &rid, &actor, &patch).await {
        Ok(_) => Redirect::see_other("/admin/settings").into_response(),
        Err(e) => settings_page(&state, &tenant, chrome, Some(&e), Some(&form)).await,
    }
}

// ---------------------------------------------------------------- orders

struct OrderRow {
    number: String,
    status: String,
    total: String,
    email: String,
    date: String,
}

#[derive(Template)]
#[template(path = "admin/orders.html")]
struct OrdersPage {
    chrome: Chrome,
    error: String,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    orders: Vec<OrderRow>,
    next: Option<String>,
}

const STATUSES: &[(&str, &str)] = &[
    ("placed", "Placed"),
    ("confirmed", "Confirmed"),
    ("shipped", "Shipped"),
    ("out_for_delivery", "Out for delivery"),
    ("delivered", "Delivered"),
    ("cancelled", "Cancelled"),
    ("refunded", "Refunded"),
];

#[derive(Debug, Deserialize)]
pub(crate) struct OrdersQuery {
    status: Option<String>,
    cursor: Option<String>,
}

/// `GET /admin/orders?status=&cursor=`: every order of the marketplace, newest first.
#[handler]
pub(crate) async fn orders_list(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Query(q): Query<OrdersQuery>,
) -> Response {
    let (chrome, _) = match operator(req, &state, &tenant, "/admin/orders") {
        Ok(o) => o,
        Err(r) => return r,
    };
    let status = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let cursor = q.cursor.as_deref().filter(|c| !c.is_empty());
    let page = async {
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let p = orders::page(&mut tx, OrderScope::Marketplace, status, cursor, Some(25)).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(p)
    }
    .await;
    let (items, next, error) = match page {
        Ok(p) => (p.items, p.next_cursor, None),
        Err(e) if e.status.is_client_error() => (Vec::new(), None, Some(e)),
        Err(e) => return api_failure(chrome, &e),
    };
    let status = status.unwrap_or("").to_owned();
    let r = render(&OrdersPage {
        chrome: chrome.clone(),
        error: error_text(error.as_ref()),
        next: next.map(|c| {
            format!(
                "/admin/orders?status={}&cursor={}",
                krafto_core::text::percent_encode(&status),
                krafto_core::text::percent_encode(&c)
            )
        }),
        status,
        statuses: STATUSES.to_vec(),
        orders: items
            .into_iter()
            .map(|o| OrderRow {
                status: super::buy::status_label(&o.status),
                total: format_money(o.total_minor, &o.currency),
                date: date(o.created_at),
                email: o.email,
                number: o.number,
            })
            .collect(),
    });
    match error {
        Some(e) => refused(r, chrome, &e),
        None => r,
    }
}

struct LineRow {
    title: String,
    quantity: i32,
    amount: String,
    commission: String,
}

struct EventRow {
    status: String,
    actor: String,
    reason: String,
    at: String,
}

#[derive(Template)]
#[template(path = "admin/order.html")]
struct OrderPage {
    chrome: Chrome,
    error: String,
    number: String,
    status: String,
    shop: String,
    email: String,
    date: String,
    lines: Vec<LineRow>,
    items: String,
    shipping: String,
    buyer_fee: String,
    total: String,
    commission: String,
    platform_fee: String,
    seller_payout: String,
    timeline: Vec<EventRow>,
}

async fn order_page(
    state: &AppState,
    tenant: &CurrentTenant,
    chrome: Chrome,
    number: &str,
    error: Option<&ApiError>,
) -> Response {
    let found = async {
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let o = Order::by_number(&mut tx, number)
            .await?
            .ok_or_else(|| orders::not_found(number))?;
        let v = orders::view(&mut tx, o, true).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(v)
    }
    .await;
    let v = match found {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let money = |m: i64| format_money(m, &v.currency);
    let fees = v.fees.as_ref();
    let page = render(&OrderPage {
        chrome: chrome.clone(),
        error: error_text(error),
        number: v.number.clone(),
        status: super::buy::status_label(&v.status),
        shop: v.shop.name.clone(),
        email: v.email.clone(),
        date: date(v.created_at),
        lines: v
            .lines
            .iter()
            .map(|l| LineRow {
                title: match &l.variant_label {
                    Some(label) => format!("{} ({label})", l.title),
                    None => l.title.clone(),
                },
                quantity: l.quantity,
                amount: money(l.amount_minor),
                commission: l
                    .fees
                    .as_ref()
                    .map(|f| {
                        format!(
                            "{} ({} bps)",
                            money(f.marketplace_share_minor + f.platform_fee_minor),
                            f.commission_bps
                        )
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        items: money(v.items_minor),
        shipping: money(v.shipping_minor),
        buyer_fee: money(v.buyer_fee_minor),
        total: money(v.total_minor),
        commission: money(fees.map_or(0, |f| f.commission_minor)),
        platform_fee: money(fees.map_or(0, |f| f.platform_fee_minor)),
        seller_payout: money(fees.map_or(0, |f| f.seller_payout_minor)),
        timeline: v
            .timeline
            .iter()
            .map(|e| EventRow {
                status: super::buy::status_label(&e.status),
                actor: e.actor.clone(),
                reason: e.reason.clone().unwrap_or_default(),
                at: date(e.at),
            })
            .collect(),
    });
    match error {
        Some(e) => refused(page, chrome, e),
        None => page,
    }
}

/// `GET /admin/orders/{number}`: lines, commission and timeline, with cancel and refund.
#[handler]
pub(crate) async fn order(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(number): Path<String>,
) -> Response {
    let here = format!(
        "/admin/orders/{}",
        krafto_core::text::percent_encode(&number)
    );
    match operator(req, &state, &tenant, &here) {
        Ok((chrome, _)) => order_page(&state, &tenant, chrome, &number, None).await,
        Err(r) => r,
    }
}

async fn order_move(
    req: &Request,
    state: &AppState,
    tenant: &CurrentTenant,
    number: &str,
    event: OrderEvent,
    reason: &str,
) -> Response {
    let here = format!(
        "/admin/orders/{}",
        krafto_core::text::percent_encode(number)
    );
    let (chrome, actor) = match operator(req, state, tenant, &here) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let by = orders::OrderActorRef {
        actor: OrderActor::Operator,
        user_id: actor.id,
        shop_id: None,
    };
    match orders::apply(state, tenant, number, event, by, Some(reason), None).await {
        Ok(_) => Redirect::see_other(&here).into_response(),
        Err(e) if e.status == StatusCode::NOT_FOUND => api_failure(chrome, &e),
        Err(e) => order_page(state, tenant, chrome, number, Some(&e)).await,
    }
}

/// `POST /admin/orders/{number}/cancel` (`reason` required)
#[handler]
pub(crate) async fn cancel_order(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(number): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    order_move(
        req,
        &state,
        &tenant,
        &number,
        OrderEvent::Cancel,
        &form.reason,
    )
    .await
}

/// `POST /admin/orders/{number}/refund` (`reason` required)
#[handler]
pub(crate) async fn refund_order(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Path(number): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Response {
    order_move(
        req,
        &state,
        &tenant,
        &number,
        OrderEvent::Refund,
        &form.reason,
    )
    .await
}

// ---------------------------------------------------------------- audit log

struct AuditRow {
    at: String,
    actor: String,
    action: String,
    target: String,
    details: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditLogPage {
    chrome: Chrome,
    entries: Vec<AuditRow>,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AuditQuery {
    cursor: Option<String>,
}

/// `GET /admin/audit?cursor=`: who did what, newest first, 50 a page.
#[handler]
pub(crate) async fn audit(
    req: &Request,
    state: Data<&AppState>,
    tenant: Data<&CurrentTenant>,
    Query(q): Query<AuditQuery>,
) -> Response {
    let (chrome, _) = match operator(req, &state, &tenant, "/admin/audit") {
        Ok(o) => o,
        Err(r) => return r,
    };
    // A cursor that is not one of ours starts from the newest entry again.
    let cursor = q.cursor.as_deref().and_then(|c| c.parse::<Uuid>().ok());
    match categories_api::audit(&state, &tenant, cursor, Some(50)).await {
        Ok(p) => render(&AuditLogPage {
            chrome,
            next: p.next_cursor.map(|c| format!("/admin/audit?cursor={c}")),
            entries: p
                .items
                .into_iter()
                .map(|e| AuditRow {
                    at: date(e.at),
                    actor: format!("{} {}", e.actor_kind, e.actor),
                    action: e.action,
                    target: e.target,
                    details: e.details.to_string(),
                })
                .collect(),
        }),
        Err(e) => api_failure(chrome, &e),
    }
}
