//! The category tree at `/admin/categories`, with the forms that add, rename, move and
//! delete categories (`marketplace::categories`).

use super::{DoneQuery, refused, uuid_or_404};
use crate::ctx::Ctx;
use crate::marketplace;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, Field, Flash, api_failure, attach, render, summary};
use askama::Template;
use krafto_api_types::store::{CreateCategory, UpdateCategory};
use krafto_i18n::Locale;
use krafto_web::{ApiError, ApiResult};
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use poem_openapi::types::MaybeUndefined;
use serde::Deserialize;
use uuid::Uuid;

struct CategoryRow {
    id: String,
    name: String,
    /// The name in the marketplace's other language.
    other_name: String,
    slug: String,
    /// The row's form: name, slug and parent.
    fields: Vec<Field>,
    parent_id: String,
    /// Indentation in the tree (0 at the top level).
    depth: usize,
}

#[derive(Template)]
#[template(path = "admin/categories.html")]
struct CategoriesPage {
    chrome: Chrome,
    error: String,
    flash: Flash,
    /// The form adding a category.
    new: Vec<Field>,
    categories: Vec<CategoryRow>,
}

/// Which form of the page was sent, with what was typed into it.
#[derive(Debug, Clone, Copy)]
enum Sent<'a> {
    New(&'a CategoryForm),
    /// A category's row, by the id in its address.
    Row(&'a str, &'a CategoryForm),
    /// A category's delete button (nothing typed).
    Delete,
}

/// A category's parent choices: the top level, then every category but `except`, indented.
fn parents(rows: &[(String, String, usize)], top: &str, except: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), top.to_owned()))
        .chain(
            rows.iter()
                .filter(|(id, _, _)| id != except)
                .map(|(id, name, depth)| (id.clone(), format!("{}{name}", "— ".repeat(*depth)))),
        )
        .collect()
}

/// Depth-first, siblings by position then name.
fn tree_rows(all: &[krafto_db::models::Category], other: Locale) -> Vec<CategoryRow> {
    fn walk(
        all: &[krafto_db::models::Category],
        other: Locale,
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
                other_name: krafto_db::models::names_in(&c.names, other.code())
                    .unwrap_or_default()
                    .to_owned(),
                slug: c.slug.clone(),
                fields: Vec::new(),
                parent_id: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
                depth,
            });
            // Depth is bounded by the data (cycles are refused on every move).
            if depth < 32 {
                walk(all, other, Some(c.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(all, other, None, 0, &mut out);
    out
}

/// The tree and its forms; a refused form is said above them and marked on its fields,
/// keeping what was typed into it.
async fn categories_page(
    ctx: &Ctx<'_>,
    chrome: Chrome,
    flash: Flash,
    error: Option<(&ApiError, Sent<'_>)>,
) -> Response {
    let all = match crate::catalog::categories(ctx.state, ctx.tenant).await {
        Ok(a) => a,
        Err(e) => return api_failure(chrome, &e),
    };
    let other = other_language(ctx);
    let language = chrome.t(&format!("language-{}", other.code()));
    let mut rows = tree_rows(&all, other);
    let choices: Vec<(String, String, usize)> = rows
        .iter()
        .map(|r| (r.id.clone(), r.name.clone(), r.depth))
        .collect();
    let sent = error.map(|(_, s)| s);
    let mut new = {
        let f = match sent {
            Some(Sent::New(f)) => Some(f),
            _ => None,
        };
        let value = |v: fn(&CategoryForm) -> &String| f.map(v).cloned().unwrap_or_default();
        vec![
            Field::new(
                "name",
                &chrome.t("console-category-name"),
                value(|f| &f.name),
            )
            .id("new-category-name")
            .required()
            .attr("maxlength", "80"),
            Field::new(
                "other_name",
                &chrome.t1("console-category-name-in", "language", language.as_str()),
                value(|f| &f.other_name),
            )
            .id("new-category-other-name")
            .attr("maxlength", "80")
            .api(&format!("names.{}", other.code())),
            Field::new(
                "slug",
                &chrome.t("console-category-slug"),
                value(|f| &f.slug),
            )
            .id("new-category-slug")
            .attr("maxlength", "63")
            .attr("pattern", "[a-z0-9-]+"),
            Field::new(
                "parent_id",
                &chrome.t("console-category-parent"),
                value(|f| &f.parent_id),
            )
            .id("new-category-parent")
            .select(parents(
                &choices,
                &chrome.t("console-category-no-parent"),
                "",
            )),
        ]
    };
    let top_level = chrome.t("console-category-top-level");
    for r in &mut rows {
        let (name, other_name, slug, parent) = match sent {
            Some(Sent::Row(id, f)) if id == r.id => (
                f.name.clone(),
                f.other_name.clone(),
                f.slug.clone(),
                f.parent_id.clone(),
            ),
            _ => (
                r.name.clone(),
                r.other_name.clone(),
                r.slug.clone(),
                r.parent_id.clone(),
            ),
        };
        r.fields = vec![
            Field::new(
                "name",
                &chrome.t1("console-category-name-of", "name", &r.name),
                name,
            )
            .id(&format!("name-{}", r.id))
            .label_hidden()
            .required()
            .attr("maxlength", "80"),
            Field::new(
                "other_name",
                &chrome.t2(
                    "console-category-name-in-of",
                    "language",
                    language.as_str(),
                    "name",
                    r.name.as_str(),
                ),
                other_name,
            )
            .id(&format!("other-name-{}", r.id))
            .label_hidden()
            .attr("placeholder", &language)
            .attr("maxlength", "80")
            .api(&format!("names.{}", other.code())),
            Field::new(
                "slug",
                &chrome.t1("console-category-slug-of", "name", &r.name),
                slug,
            )
            .id(&format!("slug-{}", r.id))
            .label_hidden()
            .required()
            .attr("maxlength", "63"),
            Field::new(
                "parent_id",
                &chrome.t1("console-category-parent-of", "name", &r.name),
                parent,
            )
            .id(&format!("parent-{}", r.id))
            .label_hidden()
            .select(parents(&choices, &top_level, &r.id)),
        ];
    }
    let Some((e, sent)) = error else {
        return render(&CategoriesPage {
            chrome,
            flash,
            error: String::new(),
            new,
            categories: rows,
        });
    };
    let text = match sent {
        Sent::New(_) => attach(&mut new, e, chrome.locale),
        Sent::Row(id, _) => attach(
            rows.iter_mut()
                .filter(|r| r.id == id)
                .flat_map(|r| &mut r.fields),
            e,
            chrome.locale,
        ),
        Sent::Delete => summary(e, chrome.locale),
    };
    let page = render(&CategoriesPage {
        chrome: chrome.clone(),
        flash,
        error: text,
        new,
        categories: rows,
    });
    refused(page, chrome, e)
}

/// `GET /admin/categories`: the tree, with forms to add, rename, move and delete.
#[handler]
pub(crate) async fn show_categories(
    page: OperatorPage<'_>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let flash = Flash::from_done(
        q.done.as_deref(),
        &[
            ("created", "console-done-category-created"),
            ("saved", "console-done-category-saved"),
            ("deleted", "console-done-category-deleted"),
        ],
    );
    categories_page(&ctx, chrome, flash, None).await
}

/// The language of the marketplace that is not its own: categories are named in both.
fn other_language(ctx: &Ctx<'_>) -> Locale {
    let own = Locale::of_tag(&ctx.tenant.locale);
    Locale::ALL.into_iter().find(|l| *l != own).unwrap_or(own)
}

/// The other language's name as the API takes it (blank: none).
fn other_names(
    ctx: &Ctx<'_>,
    form: &CategoryForm,
) -> std::collections::BTreeMap<String, krafto_api_types::Text> {
    std::iter::once((
        other_language(ctx).code().to_owned(),
        form.other_name.clone().into(),
    ))
    .collect()
}

#[derive(Debug, Deserialize)]
pub(crate) struct CategoryForm {
    #[serde(default)]
    name: String,
    /// The name in the marketplace's other language.
    #[serde(default)]
    other_name: String,
    #[serde(default)]
    slug: String,
    /// Blank: the top level.
    #[serde(default)]
    parent_id: String,
}

fn parent(locale: Locale, raw: &str) -> ApiResult<Option<Uuid>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        ApiError::field(krafto_core::FieldError::new(
            "parent_id",
            locale.t("console-category-no-such-parent"),
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
            names: other_names(&ctx, &form),
            slug: blank_to_none(&form.slug).map(Into::into),
            parent_id: parent(chrome.locale, &form.parent_id)?,
            description: None,
            position: 0,
        };
        marketplace::categories::create_category(ctx.state, ctx.tenant, ctx.rid, &actor, &body)
            .await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/categories?done=created").into_response(),
        Err(e) => {
            categories_page(&ctx, chrome, Flash::default(), Some((&e, Sent::New(&form)))).await
        }
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
        let id = uuid_or_404(chrome.locale, &id)?;
        let body = UpdateCategory {
            name: Some(form.name.clone().into()),
            names: Some(other_names(&ctx, &form)),
            slug: Some(form.slug.clone().into()),
            parent_id: match parent(chrome.locale, &form.parent_id)? {
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
        Ok(_) => Redirect::see_other("/admin/categories?done=saved").into_response(),
        Err(e) => {
            categories_page(
                &ctx,
                chrome,
                Flash::default(),
                Some((&e, Sent::Row(&id, &form))),
            )
            .await
        }
    }
}

/// `POST /admin/categories/{id}/delete`: deletes an unused category without children.
#[handler]
pub(crate) async fn delete_category(page: OperatorPage<'_>, Path(id): Path<String>) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let done = async {
        let id = uuid_or_404(chrome.locale, &id)?;
        marketplace::categories::delete_category(ctx.state, ctx.tenant, ctx.rid, &actor, id).await
    }
    .await;
    match done {
        Ok(()) => Redirect::see_other("/admin/categories?done=deleted").into_response(),
        Err(e) => categories_page(&ctx, chrome, Flash::default(), Some((&e, Sent::Delete))).await,
    }
}
