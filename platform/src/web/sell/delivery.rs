//! The shop's delivery options at `/sell/shipping`.

use super::{Errors, FlashQuery, FormData, Tab, amount, failed, flash, int, with_status};
use crate::commerce::selling as sales;
use crate::web::Flash;
use crate::web::account::SellerPage;
use crate::web::{Chrome, render};
use askama::Template;
use krafto_api_types::commerce::ShippingOptionInput;
use krafto_core::Money;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use uuid::Uuid;

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
    flash: Flash,
}

/// `GET /sell/shipping`: the shop's delivery options, with two empty rows to add more.
#[handler]
pub(crate) async fn shipping(page: SellerPage<'_>, Query(q): Query<FlashQuery>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let options = match sales::shipping_options(ctx.state, ctx.tenant, &user).await {
        Ok(o) => o,
        Err(e) => return failed(chrome, &e),
    };
    let cur = &ctx.tenant.currency;
    let mut rows: Vec<ShippingRow> = options
        .into_iter()
        .enumerate()
        .map(|(index, o)| ShippingRow {
            index,
            id: o.id.to_string(),
            name: o.name,
            base: Money::of(o.base_minor, cur).decimal(),
            per_item: Money::of(o.per_item_minor, cur).decimal(),
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
        flash: flash(q.done.as_deref()),
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
    page: SellerPage<'_>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let f = FormData::from(pairs);
    let currency = ctx.tenant.currency.as_str();
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
        let base = amount(&f, &format!("base_{i}"), currency, &mut errors).unwrap_or(0);
        let per_item = amount(&f, &format!("per_item_{i}"), currency, &mut errors).unwrap_or(0);
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
                name: name.to_owned().into(),
                base_minor: base,
                per_item_minor: per_item,
                days_min,
                days_max,
            },
        ));
    }
    let result = if errors.is_empty() {
        let options: Vec<ShippingOptionInput> = inputs.iter().map(|(_, o)| o.clone()).collect();
        sales::set_shipping_options(ctx.state, ctx.tenant, &user, &options).await
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
                    flash: Flash::default(),
                }),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => failed(chrome, &e),
    }
}
