//! The shop's delivery options at `/sell/shipping`.

use super::{Errors, FlashQuery, FormData, Tab, amount, failed, flash, int, with_status};
use crate::commerce::selling as sales;
use crate::web::Flash;
use crate::web::account::SellerPage;
use crate::web::{Chrome, Field, attach, render};
use askama::Template;
use krafto_api_types::commerce::{PickupInput, ShippingOptionInput};
use krafto_core::Money;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use uuid::Uuid;

/// One delivery option of the form: its hidden id and its inputs (a pickup place and hours
/// make it a pickup option).
struct ShippingRow {
    index: usize,
    id: String,
    fields: Vec<Field>,
}

impl ShippingRow {
    /// The row's inputs named `{field}_{index}` with their values; `filled` is its position
    /// among the rows sent to the API (whose problems name `options[filled].{field}`).
    fn new(
        index: usize,
        id: String,
        values: [String; 7],
        filled: Option<usize>,
        locale: krafto_i18n::Locale,
    ) -> Self {
        let [name, base, per_item, days_min, days_max, pickup, hours] = values;
        let input = |field: &str, key: &str, value: String, api: &str| {
            Field::new(&format!("{field}_{index}"), &locale.t(key), value)
                .api(&filled.map_or_else(String::new, |n| format!("options[{n}].{api}")))
        };
        Self {
            index,
            id,
            fields: vec![
                input("name", "sell-delivery-name", name, "name"),
                input("base", "sell-delivery-base", base, "base_minor")
                    .attr("inputmode", "decimal"),
                input(
                    "per_item",
                    "sell-delivery-per-item",
                    per_item,
                    "per_item_minor",
                )
                .attr("inputmode", "decimal"),
                input("days_min", "sell-delivery-days-from", days_min, "days_min")
                    .attr("inputmode", "numeric"),
                input("days_max", "sell-delivery-days-to", days_max, "days_max")
                    .attr("inputmode", "numeric"),
                input(
                    "pickup_address",
                    "sell-pickup-address",
                    pickup,
                    "pickup.address",
                )
                .hint(&locale.t("sell-pickup-address-hint")),
                input("pickup_hours", "sell-pickup-hours", hours, "pickup.hours")
                    .hint(&locale.t("sell-pickup-hours-hint")),
            ],
        }
    }

    fn invalid(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }
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
        .map(|(index, o)| {
            let (pickup, hours) = o.pickup.map(|p| (p.address, p.hours)).unwrap_or_default();
            let values = [
                o.name,
                Money::of(o.base_minor, cur).decimal(),
                Money::of(o.per_item_minor, cur).decimal(),
                o.days_min.to_string(),
                o.days_max.to_string(),
                pickup,
                hours,
            ];
            ShippingRow::new(index, o.id.to_string(), values, None, chrome.locale)
        })
        .collect();
    pad_rows(&mut rows, chrome.locale);
    render(&ShippingPage {
        chrome,
        tab: Tab::Shop,
        rows,
        error: String::new(),
        flash: flash(q.done.as_deref()),
    })
}

fn pad_rows(rows: &mut Vec<ShippingRow>, locale: krafto_i18n::Locale) {
    let target = (rows.len() + 2).min(10);
    while rows.len() < target {
        rows.push(ShippingRow::new(
            rows.len(),
            String::new(),
            Default::default(),
            None,
            locale,
        ));
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
        if !f.0.contains_key(&format!("name_{i}")) {
            break;
        }
        let name = f.get(&format!("name_{i}"));
        let id = f.get(&format!("id_{i}"));
        let base = amount(&f, &format!("base_{i}"), currency, &mut errors).unwrap_or(0);
        let per_item = amount(&f, &format!("per_item_{i}"), currency, &mut errors).unwrap_or(0);
        let days_min = int(&f, &format!("days_min_{i}"), &mut errors).unwrap_or(0);
        let days_max = int(&f, &format!("days_max_{i}"), &mut errors).unwrap_or(days_min);
        let filled = (!name.is_empty()).then_some(inputs.len());
        let values = [
            "name",
            "base",
            "per_item",
            "days_min",
            "days_max",
            "pickup_address",
            "pickup_hours",
        ]
        .map(|field| f.get(&format!("{field}_{i}")).to_owned());
        let place = f.get(&format!("pickup_address_{i}")).trim();
        let hours = f.get(&format!("pickup_hours_{i}")).trim();
        // Either of the two makes it a pickup option (the other one is then asked for).
        let pickup = (!place.is_empty() || !hours.is_empty()).then(|| PickupInput {
            address: place.to_owned().into(),
            hours: hours.to_owned().into(),
        });
        let mut row = ShippingRow::new(i, id.to_owned(), values, filled, chrome.locale);
        for field in &mut row.fields {
            field.error = errors.get(&field.name).cloned();
        }
        rows.push(row);
        if filled.is_some() {
            inputs.push(ShippingOptionInput {
                id: Uuid::parse_str(id).ok(),
                name: name.to_owned().into(),
                base_minor: base,
                per_item_minor: per_item,
                days_min,
                days_max,
                pickup,
            });
        }
    }
    let result = if errors.is_empty() {
        sales::set_shipping_options(ctx.state, ctx.tenant, &user, &inputs).await
    } else {
        Err(ApiError::validation(Vec::new()))
    };
    match result {
        Ok(_) => Redirect::see_other("/sell/shipping?done=saved").into_response(),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let error = attach(
                rows.iter_mut().flat_map(|r| &mut r.fields),
                &e,
                chrome.locale,
            );
            pad_rows(&mut rows, chrome.locale);
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
