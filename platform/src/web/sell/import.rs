//! Importing listings from pasted CSV at `/sell/import`, with a report for every line.

use super::{Tab, failed, with_status};
use crate::catalog::selling;
use crate::web::account::SellerPage;
use crate::web::{Chrome, Field, render};
use askama::Template;
use krafto_api_types::Code;
use poem::web::Form;
use poem::{Response, handler};
use serde::Deserialize;

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

impl ImportPage {
    /// The box the CSV is pasted into.
    fn csv_field(&self) -> Field {
        Field::new(
            "csv",
            &self.chrome.t("sell-import-paste"),
            self.csv.as_str(),
        )
        .kind("textarea")
        .required()
        .attr("rows", "10")
    }
}

/// `GET /sell/import`.
#[handler]
pub(crate) fn import_page(page: SellerPage<'_>) -> Response {
    let SellerPage { chrome, .. } = page;
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
pub(crate) async fn import_csv(page: SellerPage<'_>, Form(form): Form<ImportForm>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    match selling::import(ctx.state, ctx.tenant, &user, ctx.rid, &form.csv).await {
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
