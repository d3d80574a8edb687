//! Provisioning and tuning marketplaces: the control plane's use cases. Every change is
//! validated completely before anything is written, written in one transaction together
//! with its audit entry, and announced to every platform instance after it commits.

use crate::ControlState;
use krafto_api_types::Code;
use krafto_api_types::control::{AddDomain, CreateTenant, FeesInput, TemplateName, UpdateTenant};
use krafto_core::template::StarterCategory;
use krafto_core::text::{bounded_text, line_text, optional_line_text};
use krafto_core::{
    Bps, Currency, Fees, FieldError, HexColor, HostName, Invalid, Locale, Problems, Slug, Template,
    TenantStatus, WebUrl,
};
use krafto_db::models::{
    Actor, AuditEntry, Category, NewAuditEntry, NewCategory, NewTenant, Tenant, TenantChanges,
    TenantDomain,
};
use krafto_db::{DbError, TenantScope, TenantTx};
use krafto_tenancy::TenantChanged;
use krafto_web::{ApiError, ApiResult, DbResultExt};
use poem_openapi::types::MaybeUndefined;
use serde_json::{Value, json};
use uuid::Uuid;

pub(crate) fn template_of(name: TemplateName) -> Template {
    match name {
        TemplateName::Handmade => Template::Handmade,
        TemplateName::Farm => Template::Farm,
        TemplateName::B2b => Template::B2b,
    }
}

fn default_colors(t: Template) -> (&'static str, &'static str) {
    match t {
        Template::Handmade => ("#8a4b2a", "#ac914e"),
        Template::Farm => ("#2d6a4f", "#c88550"),
        Template::B2b => ("#1d3557", "#457b9d"),
    }
}

/// Krafto's default fee, capped by the commission it is paid from.
const DEFAULT_PLATFORM_FEE_BPS: i64 = 200;

/// A custom domain: a valid FQDN that is not a host of the base domain (those belong to
/// slugs).
fn custom_domain(raw: &str, base_domain: &str) -> Result<HostName, Invalid> {
    let host = HostName::parse_custom_domain(raw)?;
    if host.as_str() == base_domain || host.as_str().ends_with(&format!(".{base_domain}")) {
        return Err(Invalid::new(format!(
            "hosts under {base_domain} are given by the slug; use a domain of your own"
        )));
    }
    Ok(host)
}

fn fees_from(input: &FeesInput, current: Fees, p: &mut Problems) -> Option<Fees> {
    let commission = match input.seller_commission_bps {
        Some(v) => p.check("fees.seller_commission_bps", Bps::new(v))?,
        None => current.seller_commission,
    };
    let platform = match input.platform_fee_bps {
        Some(v) => p.check("fees.platform_fee_bps", Bps::new(v))?,
        None => current.platform_fee,
    };
    let minimum = input
        .minimum_order_minor
        .unwrap_or(current.minimum_order_minor);
    match Fees::new(commission, platform, minimum) {
        Ok(f) => Some(f),
        Err(e) => {
            p.push(e);
            None
        }
    }
}

/// The buyer fee, when the input sets one: `Some(None)` when it is invalid (and reported).
fn buyer_fee_from(input: &FeesInput, p: &mut Problems) -> Option<Option<i32>> {
    input.buyer_fee_bps.map(|v| {
        p.check("fees.buyer_fee_bps", Bps::new(v))
            .map(|b| i32::from(b.get()))
    })
}

/// The stored unique constraint a write tripped, as the API's conflict.
fn conflict(e: DbError) -> ApiError {
    match e.unique_violation() {
        Some(c) if c.contains("slug") => ApiError::conflict(
            Code::SlugTaken,
            "slug",
            "another marketplace already uses this slug",
        ),
        Some(c) if c.contains("tenant_domains") => ApiError::conflict(
            Code::HostTaken,
            "host",
            "this host already points at a marketplace",
        ),
        Some(_) => ApiError::conflict(Code::Conflict, "", "conflicts with an existing record"),
        None => e.into(),
    }
}

pub(crate) async fn record(tx: &mut TenantTx, entry: NewAuditEntry) -> ApiResult<()> {
    Ok(AuditEntry::record(tx, &entry).await?)
}

/// Creates a marketplace with its domains, the template's category tree and feature flags.
pub(crate) async fn create_tenant(
    state: &ControlState,
    actor: &Actor,
    input: &CreateTenant,
    request_id: Option<String>,
) -> ApiResult<Tenant> {
    let template = template_of(input.template);
    let mut p = Problems::new();
    let slug = p.check("slug", Slug::parse_tenant(&input.slug));
    let name = p.check("name", line_text(&input.name, 120));
    let currency = p.check(
        "currency",
        Currency::parse(input.currency.as_deref().unwrap_or("EUR")),
    );
    let locale = p.check(
        "locale",
        Locale::parse(input.locale.as_deref().unwrap_or("en")),
    );
    let mut domains = Vec::new();
    for (i, raw) in input.domains.iter().enumerate() {
        let field = format!("domains[{i}]");
        if let Some(h) = p.check(&field, custom_domain(raw, state.tenants_base_domain())) {
            if domains.contains(&h) {
                p.push(FieldError::new(field, "is listed twice"));
            } else {
                domains.push(h);
            }
        }
    }
    let b = input.branding.clone().unwrap_or_default();
    let (primary, accent) = default_colors(template);
    let display_name = p.check(
        "branding.display_name",
        line_text(b.display_name.as_deref().unwrap_or(&input.name), 120),
    );
    let logo_url = p.check(
        "branding.logo_url",
        b.logo_url.as_deref().map(WebUrl::parse).transpose(),
    );
    let primary_color = p.check(
        "branding.primary_color",
        HexColor::parse(b.primary_color.as_deref().unwrap_or(primary))
            .and_then(|c| c.readable_on(&HexColor::white(), 4.5)),
    );
    let accent_color = p.check(
        "branding.accent_color",
        HexColor::parse(b.accent_color.as_deref().unwrap_or(accent))
            .and_then(|c| c.readable_on(&HexColor::white(), 3.0)),
    );
    let tagline = p.check(
        "branding.tagline",
        optional_line_text(b.tagline.as_deref(), 200),
    );
    let commission = template.default_commission_bps();
    let defaults = Fees::new(
        Bps::new(commission).map_err(|e| ApiError::internal(&e))?,
        Bps::new(DEFAULT_PLATFORM_FEE_BPS.min(commission)).map_err(|e| ApiError::internal(&e))?,
        0,
    )
    .map_err(|e| ApiError::internal(&e))?;
    let fees_input = input.fees.clone().unwrap_or_default();
    let fees = fees_from(&fees_input, defaults, &mut p);
    let buyer_fee = buyer_fee_from(&fees_input, &mut p);
    let mut features = template.default_features();
    if let Err(e) = features.apply(&input.features) {
        p.push(e.at("features"));
    }
    p.finish().map_err(ApiError::validation)?;
    let (
        Some(slug),
        Some(name),
        Some(currency),
        Some(locale),
        Some(display_name),
        Some(logo_url),
        Some(primary_color),
        Some(accent_color),
        Some(tagline),
        Some(fees),
    ) = (
        slug,
        name,
        currency,
        locale,
        display_name,
        logo_url,
        primary_color,
        accent_color,
        tagline,
        fees,
    )
    else {
        return Err(ApiError::internal(&"validated fields missing"));
    };

    let id = Uuid::now_v7();
    let new = NewTenant {
        id,
        slug: slug.into_string(),
        name,
        template: template.as_str().to_owned(),
        currency: currency.into_string(),
        locale: locale.into_string(),
        display_name,
        logo_url: logo_url.map(WebUrl::into_string),
        primary_color: primary_color.into_string(),
        accent_color: accent_color.into_string(),
        tagline,
        seller_commission_bps: i32::from(fees.seller_commission.get()),
        platform_fee_bps: i32::from(fees.platform_fee.get()),
        minimum_order_minor: fees.minimum_order_minor,
        features: json!(features.as_map()),
        refund_platform_fee: input
            .fees
            .as_ref()
            .and_then(|f| f.refund_platform_fee)
            .unwrap_or(false),
    };
    let mut tx = state.db.tenant(&TenantScope::provisioning(&new)).await?;
    let mut tenant = Tenant::insert(&mut tx, &new).await.map_err(conflict)?;
    if let Some(Some(bps)) = buyer_fee {
        let changes = TenantChanges {
            buyer_fee_bps: Some(bps),
            ..TenantChanges::default()
        };
        tenant = Tenant::update(&mut tx, id, changes).await?;
    }
    for (i, host) in domains.iter().enumerate() {
        TenantDomain::insert(
            &mut tx,
            &TenantDomain::new(id, host.as_str().to_owned(), true, i == 0),
        )
        .await
        .on_conflict(|| {
            ApiError::conflict(
                Code::HostTaken,
                &format!("domains[{i}]"),
                format!("{host} already points at a marketplace"),
            )
        })?;
    }
    seed_categories(&mut tx, template.starter_categories(), &tenant.locale).await?;
    record(
        &mut tx,
        NewAuditEntry::new(actor, "tenant.created", format!("tenant:{id}"), json!({ "slug": tenant.slug, "template": tenant.template, "domains": domains.iter().map(HostName::as_str).collect::<Vec<_>>() }), request_id),
    )
    .await?;
    tx.commit().await?;
    state
        .changes
        .publish(&TenantChanged {
            tenant_id: id,
            hosts: hosts(
                state,
                &tenant,
                domains.into_iter().map(HostName::into_string),
            ),
        })
        .await;
    Ok(tenant)
}

async fn seed_categories(
    tx: &mut TenantTx,
    tree: &[StarterCategory],
    locale: &str,
) -> ApiResult<()> {
    let tenant_id = tx.tenant_id().get();
    let mut rows = Vec::new();
    for (i, top) in tree.iter().enumerate() {
        let top_id = Uuid::now_v7();
        rows.push(NewCategory {
            tenant_id,
            id: top_id,
            parent_id: None,
            slug: top.slug.to_owned(),
            name: top.name.in_locale(locale).to_owned(),
            description: None,
            position: i32::try_from(i).unwrap_or(0),
            names: names_json(top.name),
        });
        for (j, (slug, name)) in top.children.iter().enumerate() {
            rows.push(NewCategory {
                tenant_id,
                id: Uuid::now_v7(),
                parent_id: Some(top_id),
                slug: (*slug).to_owned(),
                name: name.in_locale(locale).to_owned(),
                description: None,
                position: i32::try_from(j).unwrap_or(0),
                names: names_json(*name),
            });
        }
    }
    // Parents first: the self-referencing foreign key is checked row by row.
    Category::insert_many(tx, &rows).await?;
    Ok(())
}

/// A starter category's names in every language, as `categories.names` keeps them.
fn names_json(names: krafto_core::template::Names) -> serde_json::Value {
    names
        .by_language()
        .into_iter()
        .map(|(code, name)| (code.to_owned(), serde_json::Value::from(name)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Every host of the marketplace (its slug host first), to announce a change on.
pub(crate) fn hosts(
    state: &ControlState,
    tenant: &Tenant,
    domains: impl IntoIterator<Item = String>,
) -> Vec<String> {
    std::iter::once(state.slug_host(&tenant.slug))
        .chain(domains)
        .collect()
}

/// A missing marketplace as 404 `tenant_not_found` naming its id; other errors as usual.
pub(crate) fn tenant_missing(id: Uuid) -> impl FnOnce(DbError) -> ApiError {
    move |e| {
        if e.is_not_found() {
            ApiError::not_found(Code::TenantNotFound, format!("no marketplace {id}"))
        } else {
            e.into()
        }
    }
}

/// The marketplace, unlocked, read in a control transaction; 404 when there is none.
pub(crate) async fn load_tenant(state: &ControlState, id: Uuid) -> ApiResult<Tenant> {
    let mut ctl = state.db.control().await?;
    let tenant = Tenant::find(&mut ctl, id)
        .await
        .map_err(tenant_missing(id))?;
    ctl.commit().await?;
    Ok(tenant)
}

/// The transaction's marketplace, locked for the rest of the transaction; 404 when there is
/// none.
pub(crate) async fn find_locked(tx: &mut TenantTx) -> ApiResult<Tenant> {
    let id = tx.tenant_id().get();
    Tenant::find_for_update(tx, id)
        .await
        .map_err(tenant_missing(id))
}

fn diff(changes: &mut serde_json::Map<String, Value>, field: &str, from: Value, to: Value) {
    if from != to {
        changes.insert(field.to_owned(), json!({ "from": from, "to": to }));
    }
}

/// Applies a partial update. Returns the tenant as it now is.
pub(crate) async fn update_tenant(
    state: &ControlState,
    actor: &Actor,
    id: Uuid,
    input: &UpdateTenant,
    request_id: Option<String>,
) -> ApiResult<Tenant> {
    let tenant = load_tenant(state, id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    let current = find_locked(&mut tx).await?;
    let mut p = Problems::new();
    let mut c = TenantChanges::default();
    if let Some(n) = &input.name {
        c.name = p.check("name", line_text(n, 120));
    }
    if let Some(b) = &input.branding {
        krafto_web::views::branding_changes(b, "branding.", &mut p, &mut c);
    }
    if let Some(f) = &input.fees {
        let now = Fees::new(
            Bps::new(i64::from(current.seller_commission_bps))
                .map_err(|e| ApiError::internal(&e))?,
            Bps::new(i64::from(current.platform_fee_bps)).map_err(|e| ApiError::internal(&e))?,
            current.minimum_order_minor,
        )
        .map_err(|e| ApiError::internal(&e))?;
        if let Some(fees) = fees_from(f, now, &mut p) {
            c.seller_commission_bps = Some(i32::from(fees.seller_commission.get()));
            c.platform_fee_bps = Some(i32::from(fees.platform_fee.get()));
            c.minimum_order_minor = Some(fees.minimum_order_minor);
        }
        c.buyer_fee_bps = buyer_fee_from(f, &mut p).flatten();
        c.refund_platform_fee = f.refund_platform_fee;
    }
    if let Some(flags) = &input.features {
        let mut features = krafto_web::views::feature_flags(&current);
        match features.apply(flags) {
            Ok(()) => c.features = Some(json!(features.as_map())),
            Err(e) => p.push(e.at("features")),
        }
    }
    c.powered_by = input.powered_by;
    c.public_api = input.public_api;
    match &input.support_email {
        MaybeUndefined::Value(e) => {
            c.support_email = p
                .check("support_email", krafto_core::Email::parse(e))
                .map(|e| Some(e.as_str().to_owned()));
        }
        MaybeUndefined::Null => c.support_email = Some(None),
        MaybeUndefined::Undefined => {}
    }
    let mut status_action = None;
    if let Some(s) = input.status {
        let to = crate::marketplaces::status_of(s);
        if let Some(to) = p.check("status", current.status.transition(to)) {
            c.status = Some(to);
            match to {
                TenantStatus::Suspended => {
                    let reason = p.check(
                        "suspended_reason",
                        bounded_text(input.suspended_reason.as_deref().unwrap_or(""), 500),
                    );
                    c.suspended_reason = reason.map(Some);
                    status_action = Some("tenant.suspended");
                }
                TenantStatus::Active => {
                    c.suspended_reason = Some(None);
                    status_action = Some("tenant.resumed");
                }
            }
        }
    } else if input.suspended_reason.is_some() {
        p.push(FieldError::new(
            "suspended_reason",
            "only accepted together with status `suspended`",
        ));
    }
    p.finish().map_err(ApiError::validation)?;

    let updated = Tenant::update(&mut tx, id, c).await.map_err(conflict)?;
    let mut changed = serde_json::Map::new();
    diff(
        &mut changed,
        "name",
        json!(current.name),
        json!(updated.name),
    );
    diff(
        &mut changed,
        "branding",
        json!(krafto_web::views::branding(&current)),
        json!(krafto_web::views::branding(&updated)),
    );
    diff(
        &mut changed,
        "fees",
        json!({
            "seller_commission_bps": current.seller_commission_bps,
            "platform_fee_bps": current.platform_fee_bps,
            "minimum_order_minor": current.minimum_order_minor
        }),
        json!({
            "seller_commission_bps": updated.seller_commission_bps,
            "platform_fee_bps": updated.platform_fee_bps,
            "minimum_order_minor": updated.minimum_order_minor
        }),
    );
    diff(
        &mut changed,
        "buyer_fee_bps",
        json!(current.buyer_fee_bps),
        json!(updated.buyer_fee_bps),
    );
    diff(
        &mut changed,
        "refund_platform_fee",
        json!(current.refund_platform_fee),
        json!(updated.refund_platform_fee),
    );
    diff(
        &mut changed,
        "features",
        current.features.clone(),
        updated.features.clone(),
    );
    diff(
        &mut changed,
        "status",
        json!(current.status),
        json!(updated.status),
    );
    diff(
        &mut changed,
        "white_label",
        json!({
            "powered_by": current.powered_by,
            "public_api": current.public_api,
            "support_email": current.support_email
        }),
        json!({
            "powered_by": updated.powered_by,
            "public_api": updated.public_api,
            "support_email": updated.support_email
        }),
    );
    if changed.is_empty() {
        tx.rollback().await?;
        return Ok(current);
    }
    let action = status_action.unwrap_or("tenant.updated");
    if let Some(reason) = &updated.suspended_reason {
        changed.insert("suspended_reason".to_owned(), json!(reason));
    }
    record(
        &mut tx,
        NewAuditEntry::new(
            actor,
            action,
            format!("tenant:{id}"),
            Value::Object(changed),
            request_id,
        ),
    )
    .await?;
    let domains = TenantDomain::for_tenant(&mut tx, id).await?;
    tx.commit().await?;
    state
        .changes
        .publish(&TenantChanged {
            tenant_id: id,
            hosts: hosts(state, &updated, domains.into_iter().map(|d| d.host)),
        })
        .await;
    Ok(updated)
}

pub(crate) async fn add_domain(
    state: &ControlState,
    actor: &Actor,
    id: Uuid,
    input: &AddDomain,
    request_id: Option<String>,
) -> ApiResult<TenantDomain> {
    let host = custom_domain(&input.host, state.tenants_base_domain())
        .map_err(|e| ApiError::field(e.at("host")))?;
    let tenant = load_tenant(state, id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    find_locked(&mut tx).await?;
    let domain = TenantDomain::insert(
        &mut tx,
        &TenantDomain::new(id, host.as_str().to_owned(), true, input.primary),
    )
    .await
    .map_err(conflict)?;
    record(
        &mut tx,
        NewAuditEntry::new(
            actor,
            "domain.added",
            format!("domain:{host}"),
            json!({ "primary": input.primary }),
            request_id,
        ),
    )
    .await?;
    tx.commit().await?;
    state
        .changes
        .publish(&TenantChanged {
            tenant_id: id,
            hosts: vec![host.into_string()],
        })
        .await;
    Ok(domain)
}

pub(crate) async fn remove_domain(
    state: &ControlState,
    actor: &Actor,
    id: Uuid,
    raw_host: &str,
    request_id: Option<String>,
) -> ApiResult<()> {
    let host = HostName::parse(raw_host).map_err(|e| ApiError::field(e.at("host")))?;
    let tenant = load_tenant(state, id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    find_locked(&mut tx).await?;
    if !TenantDomain::delete(&mut tx, id, host.as_str()).await? {
        return Err(ApiError::not_found(
            Code::DomainNotFound,
            format!("{host} is not a domain of this marketplace"),
        ));
    }
    record(
        &mut tx,
        NewAuditEntry::new(
            actor,
            "domain.removed",
            format!("domain:{host}"),
            json!({}),
            request_id,
        ),
    )
    .await?;
    tx.commit().await?;
    state
        .changes
        .publish(&TenantChanged {
            tenant_id: id,
            hosts: vec![host.into_string()],
        })
        .await;
    Ok(())
}
