//! The marketplace's categories: the operators add, rename, move and delete them; every
//! change is audited and refreshes the cached tenant on every instance.

use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::store::{CategoryList, CategoryView, CreateCategory, UpdateCategory};
use krafto_core::text::{bounded_text, line_text};
use krafto_core::{FieldError, Invalid, Problems, Slug};
use krafto_db::TenantTx;
use krafto_db::models::{Actor, AuditEntry, Category, CategoryChanges, NewAuditEntry, NewCategory};
use krafto_web::{ApiError, ApiResult, DbResultExt, RequestId};
use poem_openapi::types::MaybeUndefined;
use uuid::Uuid;

fn view(c: Category) -> CategoryView {
    CategoryView {
        names: names_map(&c.names),
        id: c.id,
        parent_id: c.parent_id,
        slug: c.slug,
        name: c.name,
        description: c.description,
        position: c.position,
        created_at: c.created_at,
        updated_at: c.updated_at,
    }
}

/// A category's stored names as a map (language code → name).
pub(crate) fn names_map(names: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    names
        .as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// The names a category is given in other languages: known language codes, one line each
/// (an empty one is dropped).
fn names(
    p: &mut Problems,
    given: &std::collections::BTreeMap<String, krafto_api_types::Text>,
) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for (code, name) in given {
        let at = format!("names.{code}");
        if krafto_i18n::Locale::parse(code).is_none_or(|l| l.code() != code.as_str()) {
            p.push(FieldError::new(at, "choose one"));
            continue;
        }
        if name.trim().is_empty() {
            continue;
        }
        if let Some(n) = p.check(&at, line_text(name, 80)) {
            out.insert(code.clone(), n.into());
        }
    }
    out.into()
}

/// A category write that hit a unique constraint: the slug is taken.
fn slug_taken() -> ApiError {
    ApiError::conflict(
        Code::SlugTaken,
        "slug",
        "another category of this marketplace already has this slug",
    )
}

async fn find_category(tx: &mut TenantTx, id: Uuid) -> ApiResult<Category> {
    Category::find(tx, id).await.map_err(|e| {
        if e.is_not_found() {
            ApiError::not_found(
                Code::CategoryNotFound,
                format!("no category {id} in this marketplace"),
            )
        } else {
            e.into()
        }
    })
}

/// A parent must exist in this marketplace (row-level security hides every other one).
async fn check_parent(tx: &mut TenantTx, parent: Uuid) -> ApiResult<()> {
    match Category::find(tx, parent).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_not_found() => Err(ApiError::field(FieldError::new(
            "parent_id",
            "no such category in this marketplace",
        ))),
        Err(e) => Err(e.into()),
    }
}

fn description(raw: &str) -> Result<Option<String>, Invalid> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    bounded_text(s, 1000).map(Some)
}

/// Every category, flat.
pub(crate) async fn list_categories(
    state: &AppState,
    tenant: &CurrentTenant,
) -> ApiResult<CategoryList> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let all = Category::all(&mut tx).await?;
    tx.commit().await?;
    Ok(CategoryList {
        items: all.into_iter().map(view).collect(),
    })
}

/// One category of this marketplace.
pub(crate) async fn get_category(
    state: &AppState,
    tenant: &CurrentTenant,
    id: Uuid,
) -> ApiResult<CategoryView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let c = find_category(&mut tx, id).await?;
    tx.commit().await?;
    Ok(view(c))
}

/// Adds a category (under `parent_id`, or at the top level); the slug defaults to one
/// derived from the name.
pub(crate) async fn create_category(
    state: &AppState,
    tenant: &CurrentTenant,
    request_id: &RequestId,
    actor: &Actor,
    body: &CreateCategory,
) -> ApiResult<CategoryView> {
    let mut p = Problems::new();
    let name = p.check("name", line_text(&body.name, 80));
    let other_names = names(&mut p, &body.names);
    let slug = match &body.slug {
        Some(s) => p.check("slug", Slug::parse(s)),
        None => p.check("slug", Slug::from_name(&body.name)),
    };
    let description = p.check(
        "description",
        body.description.as_deref().map_or(Ok(None), description),
    );
    if body.position < 0 {
        p.push(FieldError::new("position", "must be 0 or more"));
    }
    p.finish().map_err(ApiError::validation)?;
    let (Some(name), Some(slug), Some(description)) = (name, slug, description) else {
        return Err(ApiError::internal(&"validated fields missing"));
    };
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    if let Some(parent) = body.parent_id {
        check_parent(&mut tx, parent).await?;
    }
    let created = Category::insert(
        &mut tx,
        &NewCategory {
            tenant_id: tenant.id,
            id: Uuid::now_v7(),
            parent_id: body.parent_id,
            slug: slug.into_string(),
            name,
            description,
            position: body.position,
            names: other_names,
        },
    )
    .await
    .on_conflict(slug_taken)?;
    AuditEntry::record(
        &mut tx,
        &NewAuditEntry::new(
            actor,
            "category.created",
            format!("category:{}", created.id),
            serde_json::json!({ "slug": created.slug, "name": created.name }),
            Some(request_id.0.clone()),
        ),
    )
    .await?;
    tx.commit().await?;
    state.tenant_changed(tenant.id).await;
    Ok(view(created))
}

/// Renames, re-slugs, moves (refusing cycles) or re-orders a category.
pub(crate) async fn update_category(
    state: &AppState,
    tenant: &CurrentTenant,
    request_id: &RequestId,
    actor: &Actor,
    id: Uuid,
    body: &UpdateCategory,
) -> ApiResult<CategoryView> {
    let mut p = Problems::new();
    let mut changes = CategoryChanges::default();
    if let Some(n) = &body.name {
        changes.name = p.check("name", line_text(n, 80));
    }
    if let Some(given) = &body.names {
        changes.names = Some(names(&mut p, given));
    }
    if let Some(s) = &body.slug {
        changes.slug = p.check("slug", Slug::parse(s)).map(Slug::into_string);
    }
    match &body.description {
        MaybeUndefined::Value(d) => changes.description = p.check("description", description(d)),
        MaybeUndefined::Null => changes.description = Some(None),
        MaybeUndefined::Undefined => {}
    }
    if let Some(pos) = body.position {
        if pos < 0 {
            p.push(FieldError::new("position", "must be 0 or more"));
        }
        changes.position = Some(pos);
    }
    p.finish().map_err(ApiError::validation)?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    find_category(&mut tx, id).await?;
    match &body.parent_id {
        MaybeUndefined::Value(parent) => {
            check_parent(&mut tx, *parent).await?;
            if Category::is_self_or_ancestor(&mut tx, id, *parent).await? {
                return Err(ApiError::field(FieldError::new(
                    "parent_id",
                    "a category cannot move under itself or one of its descendants",
                )));
            }
            changes.parent_id = Some(Some(*parent));
        }
        MaybeUndefined::Null => changes.parent_id = Some(None),
        MaybeUndefined::Undefined => {}
    }
    let moved = changes.parent_id.is_some();
    let updated = Category::update(&mut tx, id, changes)
        .await
        .on_conflict(slug_taken)?;
    if moved {
        // Documents carry their category's ancestors; those changed for the whole subtree.
        crate::catalog::announce(
            state,
            &mut tx,
            krafto_search::sync::SyncTarget::Category(updated.id),
        )
        .await?;
    }
    AuditEntry::record(
        &mut tx,
        &NewAuditEntry::new(actor, "category.updated", format!("category:{}", updated.id), serde_json::json!({ "slug": updated.slug, "name": updated.name, "names": updated.names, "parent_id": updated.parent_id }), Some(request_id.0.clone())),
    )
    .await?;
    tx.commit().await?;
    state.tenant_changed(tenant.id).await;
    Ok(view(updated))
}

/// Deletes a category that has no sub-categories and no listings.
pub(crate) async fn delete_category(
    state: &AppState,
    tenant: &CurrentTenant,
    request_id: &RequestId,
    actor: &Actor,
    id: Uuid,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let existing = find_category(&mut tx, id).await?;
    if Category::has_children(&mut tx, id).await? {
        return Err(ApiError::new(
            poem::http::StatusCode::CONFLICT,
            Code::CategoryHasChildren,
            "move or delete its sub-categories first",
        ));
    }
    if krafto_db::models::Listing::category_in_use(&mut tx, id).await? {
        return Err(ApiError::new(
            poem::http::StatusCode::CONFLICT,
            Code::CategoryInUse,
            "listings use this category; move them to another category first",
        ));
    }
    Category::delete(&mut tx, id).await?;
    AuditEntry::record(
        &mut tx,
        &NewAuditEntry::new(
            actor,
            "category.deleted",
            format!("category:{}", existing.id),
            serde_json::json!({ "slug": existing.slug }),
            Some(request_id.0.clone()),
        ),
    )
    .await?;
    tx.commit().await?;
    state.tenant_changed(tenant.id).await;
    Ok(())
}
