//! The commission rates at `/admin/commissions`: the marketplace's rate and Krafto's fee (as
//! agreed with Krafto), the minimum order, and the rates agreed with shops or set for
//! categories, with the forms that add, change and remove them
//! (`marketplace::commissions`). Rates are typed and shown as percentages.

use super::{DoneQuery, date, refused, uuid_or_404};
use crate::ctx::Ctx;
use crate::marketplace::commissions;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, Field, Flash, api_failure, attach, render, summary};
use askama::Template;
use krafto_api_types::commerce::{CommissionAppliesTo, SetCommission};
use krafto_core::Money;
use krafto_core::fees::percent_to_bps;
use krafto_db::models::{Category, Shop, User};
use krafto_i18n::Locale;
use krafto_web::{ApiError, ApiResult};
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

struct OverrideRow {
    id: String,
    /// The shop's or category's name.
    name: String,
    /// `Boutique « Atelier Terre » : 8 %`.
    headline: String,
    /// Said when Krafto's fee was raised above the rate since: what lines pay instead.
    applied: String,
    note: String,
    /// When and by whom it was last changed.
    changed: String,
    /// The row's form: the rate and the note (the target is a hidden field).
    fields: Vec<Field>,
    /// The hidden field naming what the row applies to (`shop:…`, `category:…`).
    target: String,
}

#[derive(Template)]
#[template(path = "admin/commissions.html")]
struct CommissionsPage {
    chrome: Chrome,
    error: String,
    flash: Flash,
    marketplace_rate: String,
    platform_fee: String,
    minimum_order: String,
    /// The form adding an override: what it applies to, the rate, the note.
    new: Vec<Field>,
    overrides: Vec<OverrideRow>,
}

/// Which form of the page was sent, with what was typed into it.
#[derive(Debug, Clone, Copy)]
enum Sent<'a> {
    New(&'a CommissionForm),
    /// An override's row, by its target.
    Row(&'a CommissionForm),
    /// A remove button (nothing typed).
    Remove,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CommissionForm {
    /// `shop:{id}` or `category:{id}`.
    #[serde(default)]
    target: String,
    /// A percentage (`8`, `8,5`).
    #[serde(default)]
    rate: String,
    #[serde(default)]
    note: String,
}

/// The choices of what an override applies to: every shop, then every category (indented
/// under its parent), by name.
fn targets(
    chrome: &Chrome,
    shops: &[(Uuid, String)],
    categories: &[Category],
) -> Vec<(String, String)> {
    fn walk(
        all: &[Category],
        parent: Option<Uuid>,
        depth: usize,
        chrome: &Chrome,
        out: &mut Vec<(String, String)>,
    ) {
        let mut children: Vec<&Category> = all.iter().filter(|c| c.parent_id == parent).collect();
        children.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        for c in children {
            out.push((
                format!("category:{}", c.id),
                format!(
                    "{}{}",
                    "— ".repeat(depth),
                    chrome.t1("console-commission-category", "name", c.name.as_str())
                ),
            ));
            // Depth is bounded by the data (cycles are refused on every move).
            if depth < 32 {
                walk(all, Some(c.id), depth + 1, chrome, out);
            }
        }
    }
    let mut out = vec![(String::new(), chrome.t("console-commission-choose"))];
    out.extend(shops.iter().map(|(id, name)| {
        (
            format!("shop:{id}"),
            chrome.t1("console-commission-shop", "name", name.as_str()),
        )
    }));
    walk(categories, None, 0, chrome, &mut out);
    out
}

/// A rate in basis points as a percentage typed into a form (`8,5` in French).
fn typed_percent(locale: Locale, bps: i32) -> String {
    let text = format!("{:.2}", f64::from(bps) / 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.').to_owned();
    match locale {
        Locale::Fr => text.replace('.', ","),
        Locale::En => text,
    }
}

/// The rates, the overrides and their forms; a refused form is said above them and marked
/// on its fields, keeping what was typed into it.
async fn commissions_page(
    ctx: &Ctx<'_>,
    chrome: Chrome,
    flash: Flash,
    error: Option<(&ApiError, Sent<'_>)>,
) -> Response {
    let loaded = async {
        let view = commissions::list(ctx.state, ctx.tenant).await?;
        let categories = crate::catalog::categories(ctx.state, ctx.tenant).await?;
        let mut tx = ctx.tx().await?;
        let shops = Shop::names(&mut tx, None, commissions::MAX_SHOP_CHOICES).await?;
        let mut people: HashMap<Uuid, String> = HashMap::new();
        for id in view.items.iter().filter_map(|o| o.updated_by) {
            if !people.contains_key(&id)
                && let Ok(u) = User::find(&mut tx, id).await
            {
                let name = u
                    .display_name
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or(u.email);
                people.insert(id, name);
            }
        }
        tx.commit().await?;
        Ok::<_, ApiError>((view, categories, shops, people))
    }
    .await;
    let (view, categories, shops, people) = match loaded {
        Ok(l) => l,
        Err(e) => return api_failure(chrome, &e),
    };
    let locale = chrome.locale;
    let sent = error.map(|(_, s)| s);
    let mut overrides: Vec<OverrideRow> = view
        .items
        .iter()
        .map(|o| {
            let (target, name, kind) = match o.applies_to {
                CommissionAppliesTo::Shop => (
                    format!("shop:{}", o.shop_id.unwrap_or_default()),
                    o.shop_name.clone().unwrap_or_default(),
                    "console-commission-shop",
                ),
                CommissionAppliesTo::Category => (
                    format!("category:{}", o.category_id.unwrap_or_default()),
                    o.category_name.clone().unwrap_or_default(),
                    "console-commission-category",
                ),
            };
            let headline = chrome.t2(
                "console-commission-headline",
                "target",
                chrome.t1(kind, "name", name.as_str()),
                "rate",
                locale.percent_bps(o.commission_bps.into()),
            );
            let (rate, note) = match sent {
                Some(Sent::Row(f)) if f.target == target => (f.rate.clone(), f.note.clone()),
                _ => (
                    typed_percent(locale, o.commission_bps),
                    o.note.clone().unwrap_or_default(),
                ),
            };
            let changed = match o.updated_by.and_then(|id| people.get(&id)) {
                Some(who) => chrome.t2(
                    "console-commission-changed-by",
                    "when",
                    date(locale, o.updated_at),
                    "who",
                    who.as_str(),
                ),
                None => date(locale, o.updated_at),
            };
            let key = o.id.to_string();
            OverrideRow {
                fields: vec![
                    Field::new(
                        "rate",
                        &chrome.t1("console-commission-rate-of", "name", name.as_str()),
                        rate,
                    )
                    .id(&format!("rate-{key}"))
                    .api("commission_bps")
                    .label_hidden()
                    .required()
                    .attr("inputmode", "decimal")
                    .attr("size", "6")
                    .attr("maxlength", "6"),
                    Field::new(
                        "note",
                        &chrome.t1("console-commission-note-of", "name", name.as_str()),
                        note,
                    )
                    .id(&format!("note-{key}"))
                    .label_hidden()
                    .attr("placeholder", chrome.t("console-commission-note"))
                    .attr("maxlength", "300"),
                ],
                applied: if o.effective_commission_bps == o.commission_bps {
                    String::new()
                } else {
                    chrome.t1(
                        "console-commission-applied",
                        "rate",
                        locale.percent_bps(o.effective_commission_bps.into()),
                    )
                },
                note: o.note.clone().unwrap_or_default(),
                id: key,
                name,
                headline,
                changed,
                target,
            }
        })
        .collect();
    let typed = match sent {
        Some(Sent::New(f)) => Some(f),
        _ => None,
    };
    let value = |v: fn(&CommissionForm) -> &String| typed.map(v).cloned().unwrap_or_default();
    let mut new = vec![
        Field::new(
            "target",
            &chrome.t("console-commission-applies-to"),
            value(|f| &f.target),
        )
        .id("new-commission-target")
        .api("shop_id")
        .required()
        .select(targets(&chrome, &shops, &categories)),
        Field::new(
            "rate",
            &chrome.t("console-commission-rate"),
            value(|f| &f.rate),
        )
        .id("new-commission-rate")
        .api("commission_bps")
        .required()
        .attr("inputmode", "decimal")
        .attr("maxlength", "6")
        .hint(&chrome.t1(
            "console-commission-rate-hint",
            "fee",
            locale.percent_bps(view.platform_fee_bps.into()),
        )),
        Field::new(
            "note",
            &chrome.t("console-commission-note"),
            value(|f| &f.note),
        )
        .id("new-commission-note")
        .attr("maxlength", "300"),
    ];
    let text = match error {
        None => String::new(),
        Some((e, Sent::New(_))) => attach(&mut new, e, locale),
        Some((e, Sent::Row(f))) => attach(
            overrides
                .iter_mut()
                .filter(|r| r.target == f.target)
                .flat_map(|r| &mut r.fields),
            e,
            locale,
        ),
        Some((e, Sent::Remove)) => summary(e, locale),
    };
    let minimum = ctx.tenant.minimum_order_minor;
    let page = render(&CommissionsPage {
        chrome: chrome.clone(),
        error: text,
        flash,
        marketplace_rate: locale.percent_bps(view.marketplace_commission_bps.into()),
        platform_fee: locale.percent_bps(view.platform_fee_bps.into()),
        minimum_order: if minimum > 0 {
            locale.money(&Money::of(minimum, &ctx.tenant.currency))
        } else {
            chrome.t("console-commission-no-minimum")
        },
        new,
        overrides,
    });
    match error {
        Some((e, _)) => refused(page, chrome, e),
        None => page,
    }
}

/// `GET /admin/commissions`: the rates, with forms to add, change and remove overrides.
#[handler]
pub(crate) async fn show_commissions(
    page: OperatorPage<'_>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let flash = Flash::from_done(
        q.done.as_deref(),
        &[
            ("saved", "console-done-commission-saved"),
            ("removed", "console-done-commission-removed"),
        ],
    );
    commissions_page(&ctx, chrome, flash, None).await
}

/// The form as the API takes it: the target split into a shop or a category, the
/// percentage in basis points.
fn to_request(form: &CommissionForm) -> ApiResult<SetCommission> {
    let id = |raw: &str| raw.parse::<Uuid>().ok();
    let (shop_id, category_id) = match form.target.trim().split_once(':') {
        Some(("shop", raw)) => (id(raw), None),
        Some(("category", raw)) => (None, id(raw)),
        _ => (None, None),
    };
    // The API's words, said in the page's language by the page kit.
    let commission_bps =
        percent_to_bps(&form.rate).map_err(|e| ApiError::field(e.at("commission_bps")))?;
    Ok(SetCommission {
        shop_id,
        category_id,
        commission_bps,
        note: Some(form.note.clone().into()),
    })
}

/// `POST /admin/commissions`: sets the rate of a shop or a category (`target`: `shop:{id}`
/// or `category:{id}`; `rate`: a percentage; `note`). Adds an override, or changes the
/// one of a row.
#[handler]
pub(crate) async fn save_commission(
    page: OperatorPage<'_>,
    Form(form): Form<CommissionForm>,
    Query(q): Query<RowQuery>,
) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let done = async {
        let body = to_request(&form)?;
        commissions::set(ctx.state, ctx.tenant, ctx.rid, &actor, &body).await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/commissions?done=saved").into_response(),
        Err(e) => {
            let sent = if q.row.is_some() {
                Sent::Row(&form)
            } else {
                Sent::New(&form)
            };
            commissions_page(&ctx, chrome, Flash::default(), Some((&e, sent))).await
        }
    }
}

/// Whether a form was a row's (`?row=1`) rather than the one adding an override.
#[derive(Debug, Deserialize)]
pub(crate) struct RowQuery {
    row: Option<String>,
}

/// `POST /admin/commissions/{id}/remove`: removes an override.
#[handler]
pub(crate) async fn remove_commission(page: OperatorPage<'_>, Path(id): Path<String>) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let done = async {
        let id = uuid_or_404(chrome.locale, &id)?;
        commissions::remove(ctx.state, ctx.tenant, ctx.rid, &actor, id).await
    }
    .await;
    match done {
        Ok(()) => Redirect::see_other("/admin/commissions?done=removed").into_response(),
        Err(e) => commissions_page(&ctx, chrome, Flash::default(), Some((&e, Sent::Remove))).await,
    }
}
