//! The category tree at `/admin/categories`, with the forms that add, rename, move and
//! delete categories (`marketplace::categories`).

use super::{error_text, refused, uuid_or_404};
use crate::ctx::Ctx;
use crate::marketplace;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, api_failure, render};
use askama::Template;
use krafto_api_types::store::{CreateCategory, UpdateCategory};
use krafto_web::{ApiError, ApiResult};
use poem::web::{Form, Path, Redirect};
use poem::{IntoResponse, Response, handler};
use poem_openapi::types::MaybeUndefined;
use serde::Deserialize;
use uuid::Uuid;

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

async fn categories_page(ctx: &Ctx<'_>, chrome: Chrome, error: Option<&ApiError>) -> Response {
    let all = match crate::catalog::categories(ctx.state, ctx.tenant).await {
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
pub(crate) async fn show_categories(page: OperatorPage<'_>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    categories_page(&ctx, chrome, None).await
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
    page: OperatorPage<'_>,
    Form(form): Form<CategoryForm>,
) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let done = async {
        let body = CreateCategory {
            name: form.name.clone().into(),
            slug: blank_to_none(&form.slug).map(Into::into),
            parent_id: parent(&form.parent_id)?,
            description: None,
            position: 0,
        };
        marketplace::categories::create_category(ctx.state, ctx.tenant, ctx.rid, &actor, &body)
            .await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/categories").into_response(),
        Err(e) => categories_page(&ctx, chrome, Some(&e)).await,
    }
}

/// `POST /admin/categories/{id}`: renames, re-slugs or moves a category.
#[handler]
pub(crate) async fn update_category(
    page: OperatorPage<'_>,
    Path(id): Path<String>,
    Form(form): Form<CategoryForm>,
) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let done = async {
        let id = uuid_or_404(&id)?;
        let body = UpdateCategory {
            name: Some(form.name.clone().into()),
            slug: Some(form.slug.clone().into()),
            parent_id: match parent(&form.parent_id)? {
                Some(p) => MaybeUndefined::Value(p),
                None => MaybeUndefined::Null,
            },
            description: MaybeUndefined::Undefined,
            position: None,
        };
        marketplace::categories::update_category(ctx.state, ctx.tenant, ctx.rid, &actor, id, &body)
            .await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/categories").into_response(),
        Err(e) => categories_page(&ctx, chrome, Some(&e)).await,
    }
}

/// `POST /admin/categories/{id}/delete`: deletes an unused category without children.
#[handler]
pub(crate) async fn delete_category(page: OperatorPage<'_>, Path(id): Path<String>) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let done = async {
        let id = uuid_or_404(&id)?;
        marketplace::categories::delete_category(ctx.state, ctx.tenant, ctx.rid, &actor, id).await
    }
    .await;
    match done {
        Ok(()) => Redirect::see_other("/admin/categories").into_response(),
        Err(e) => categories_page(&ctx, chrome, Some(&e)).await,
    }
}
