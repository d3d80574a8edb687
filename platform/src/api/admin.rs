use super::store::category_tree;
use super::{ApiTags, Operator, UserAuth};
use crate::ctx::Ctx;
use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::control::AuditPage;
use krafto_api_types::store::{
    CategoryList, CategoryNode, CategoryView, CreateCategory, UpdateCategory,
};
use krafto_core::text::bounded_text;
use krafto_core::{FieldError, Invalid, Problems, Role, Slug};
use krafto_db::TenantTx;
use krafto_db::models::{Actor, AuditEntry, Category, CategoryChanges, NewAuditEntry, NewCategory};
use krafto_web::{ApiError, ApiResult, DbResultExt, RequestId};
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

pub(crate) struct AdminApi;

#[derive(ApiResponse)]
pub(crate) enum CategoryCreated {
    #[oai(status = 201)]
    Created(Json<CategoryView>),
}

#[derive(ApiResponse)]
pub(crate) enum Deleted {
    #[oai(status = 204)]
    NoContent,
}

fn view(c: Category) -> CategoryView {
    CategoryView {
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

fn operator(auth: &UserAuth) -> ApiResult<Actor> {
    Ok(super::operator_actor(auth.require(&[Role::Operator])?))
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

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl AdminApi {
    /// The category tree, nested.
    #[oai(
        path = "/categories/tree",
        method = "get",
        operation_id = "admin_category_tree"
    )]
    async fn category_tree(
        &self,
        ctx: Ctx<'_>,
        _operator: Operator,
    ) -> ApiResult<Json<Vec<CategoryNode>>> {
        let mut tx = ctx.tx().await?;
        let all = Category::all(&mut tx).await?;
        tx.commit().await?;
        Ok(Json(category_tree(all)))
    }

    /// Every category, flat.
    #[oai(
        path = "/categories",
        method = "get",
        operation_id = "admin_list_categories"
    )]
    async fn list_categories(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
    ) -> ApiResult<Json<CategoryList>> {
        auth.require(&[Role::Operator])?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let all = Category::all(&mut tx).await?;
        tx.commit().await?;
        Ok(Json(CategoryList {
            items: all.into_iter().map(view).collect(),
        }))
    }

    #[oai(
        path = "/categories/:id",
        method = "get",
        operation_id = "admin_get_category"
    )]
    async fn get_category(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Json<CategoryView>> {
        auth.require(&[Role::Operator])?;
        let mut tx = state.db.tenant(&tenant.scope()).await?;
        let c = find_category(&mut tx, id.0).await?;
        tx.commit().await?;
        Ok(Json(view(c)))
    }

    /// Adds a category (under `parent_id`, or at the top level).
    #[oai(
        path = "/categories",
        method = "post",
        operation_id = "admin_create_category"
    )]
    async fn create_category(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        request_id: Data<&RequestId>,
        auth: UserAuth,
        body: Json<CreateCategory>,
    ) -> ApiResult<CategoryCreated> {
        let created =
            create_category(&state, &tenant, &request_id, &operator(&auth)?, &body).await?;
        Ok(CategoryCreated::Created(Json(created)))
    }

    /// Renames, re-slugs, moves (refusing cycles) or re-orders a category.
    #[oai(
        path = "/categories/:id",
        method = "patch",
        operation_id = "admin_update_category"
    )]
    async fn update_category(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        request_id: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<UpdateCategory>,
    ) -> ApiResult<Json<CategoryView>> {
        update_category(&state, &tenant, &request_id, &operator(&auth)?, id.0, &body)
            .await
            .map(Json)
    }

    /// Deletes a category that has no sub-categories.
    #[oai(
        path = "/categories/:id",
        method = "delete",
        operation_id = "admin_delete_category"
    )]
    async fn delete_category(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        request_id: Data<&RequestId>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Deleted> {
        delete_category(&state, &tenant, &request_id, &operator(&auth)?, id.0).await?;
        Ok(Deleted::NoContent)
    }

    /// The marketplace's audit log, newest first.
    #[oai(path = "/audit", method = "get", operation_id = "admin_audit")]
    async fn audit_log(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
        auth: UserAuth,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<Uuid>>,
        /// 1–200, default 50.
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<AuditPage>> {
        auth.require(&[Role::Operator])?;
        audit(&state, &tenant, cursor.0, limit.0).await.map(Json)
    }
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
    let name = p.check("name", bounded_text(&body.name, 80));
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
        changes.name = p.check("name", bounded_text(n, 80));
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
        &NewAuditEntry::new(actor, "category.updated", format!("category:{}", updated.id), serde_json::json!({ "slug": updated.slug, "name": updated.name, "parent_id": updated.parent_id }), Some(request_id.0.clone())),
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

/// The marketplace's audit log, newest first (`limit` 1–200, default 50).
pub(crate) async fn audit(
    state: &AppState,
    tenant: &CurrentTenant,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> ApiResult<AuditPage> {
    let limit = limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::field(FieldError::new(
            "limit",
            "must be between 1 and 200",
        )));
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let rows = AuditEntry::page(&mut tx, cursor, limit).await?;
    tx.commit().await?;
    Ok(krafto_web::views::audit_page(rows, limit))
}
