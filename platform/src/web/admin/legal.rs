//! The legal pages at `/admin/legal`: one form per page (terms of sale, legal notice,
//! privacy, contact), saved through `marketplace::legal`.

use super::{DoneQuery, date, refused};
use crate::marketplace::legal;
use crate::web::account::OperatorPage;
use crate::web::store::legal::title;
use crate::web::{Chrome, Field, Flash, api_failure, attach, not_found, render};
use askama::Template;
use krafto_db::models::LegalKind;
use krafto_web::ApiError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

struct LegalForm {
    slug: &'static str,
    title: String,
    status: String,
    written: bool,
    body: Field,
}

#[derive(Template)]
#[template(path = "admin/legal.html")]
struct LegalPagesPage {
    chrome: Chrome,
    error: String,
    flash: Flash,
    pages: Vec<LegalForm>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct BodyForm {
    #[serde(default)]
    body: String,
}

/// The four forms; a refused one keeps what was typed and carries the reason.
async fn legal_pages(
    page: OperatorPage<'_>,
    flash: Flash,
    refusal: Option<(&ApiError, LegalKind, &str)>,
) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let written = match legal::written(ctx.state, ctx.tenant).await {
        Ok(w) => w,
        Err(e) => return api_failure(chrome, &e),
    };
    let mut pages: Vec<LegalForm> = LegalKind::ALL
        .into_iter()
        .map(|k| {
            let p = written.iter().find(|p| p.kind == k);
            let name = title(&chrome, k);
            let typed = refusal.filter(|(_, rk, _)| *rk == k).map(|(_, _, t)| t);
            LegalForm {
                slug: k.slug(),
                status: match p {
                    Some(p) => chrome.t1(
                        "console-legal-published",
                        "date",
                        date(chrome.locale, p.updated_at),
                    ),
                    None => chrome.t("console-legal-missing"),
                },
                written: p.is_some(),
                body: Field::new(
                    "body",
                    &chrome.t1("console-legal-body", "page", name.as_str()),
                    typed.map_or_else(
                        || p.map(|p| p.body.clone()).unwrap_or_default(),
                        str::to_owned,
                    ),
                )
                .id(&format!("body-{}", k.slug()))
                .kind("textarea")
                .label_hidden()
                .attr("rows", "12")
                .attr("maxlength", legal::MAX_CHARS.to_string()),
                title: name,
            }
        })
        .collect();
    let mut r = render(&LegalPagesPage {
        error: match refusal {
            Some((e, kind, _)) => attach(
                pages
                    .iter_mut()
                    .filter(|p| p.slug == kind.slug())
                    .map(|p| &mut p.body),
                e,
                chrome.locale,
            ),
            None => String::new(),
        },
        flash,
        pages,
        chrome: chrome.clone(),
    });
    if let Some((e, ..)) = refusal {
        r = refused(r, chrome, e);
    }
    r
}

/// `GET /admin/legal`: the legal pages and their forms.
#[handler]
pub(crate) async fn show_legal(page: OperatorPage<'_>, Query(q): Query<DoneQuery>) -> Response {
    let flash = Flash::from_done(
        q.done.as_deref(),
        &[
            ("saved", "console-legal-saved"),
            ("removed", "console-legal-removed"),
        ],
    );
    legal_pages(page, flash, None).await
}

/// `POST /admin/legal/{page}`: saves one page (an empty text takes it down).
#[handler]
pub(crate) async fn save_legal(
    page: OperatorPage<'_>,
    Path(slug): Path<String>,
    Form(form): Form<BodyForm>,
) -> Response {
    let Ok(kind) = legal::kind(&slug) else {
        return not_found(page.chrome);
    };
    let actor = page.actor();
    let ctx = &page.ctx;
    match legal::save(ctx.state, ctx.tenant, ctx.rid, &actor, kind, &form.body).await {
        Ok(v) => {
            let done = if v.updated_at.is_some() {
                "saved"
            } else {
                "removed"
            };
            Redirect::see_other(format!("/admin/legal?done={done}#{}", kind.slug())).into_response()
        }
        Err(e) => legal_pages(page, Flash::default(), Some((&e, kind, &form.body))).await,
    }
}
