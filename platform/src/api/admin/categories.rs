//! `/admin/categories`: the operators' category tools, over [`crate::marketplace::categories`].

use crate::api::store::category_tree;
use crate::api::{ApiTags, Operator, operator_actor};
use crate::ctx::Ctx;
use crate::marketplace::categories;
use krafto_api_types::store::{
    CategoryList, CategoryNode, CategoryView, CreateCategory, UpdateCategory,
};
use krafto_db::models::Category;
use krafto_web::ApiResult;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

pub(crate) struct CategoriesApi;

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

#[OpenApi(prefix_path = "/admin", tag = "ApiTags::Admin")]
impl CategoriesApi {
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
    async fn list_categories(&self, ctx: Ctx<'_>, _op: Operator) -> ApiResult<Json<CategoryList>> {
        categories::list_categories(ctx.state, ctx.tenant)
            .await
            .map(Json)
    }

    #[oai(
        path = "/categories/:id",
        method = "get",
        operation_id = "admin_get_category"
    )]
    async fn get_category(
        &self,
        ctx: Ctx<'_>,
        _op: Operator,
        id: Path<Uuid>,
    ) -> ApiResult<Json<CategoryView>> {
        categories::get_category(ctx.state, ctx.tenant, id.0)
            .await
            .map(Json)
    }

    /// Adds a category (under `parent_id`, or at the top level).
    #[oai(
        path = "/categories",
        method = "post",
        operation_id = "admin_create_category"
    )]
    async fn create_category(
        &self,
        ctx: Ctx<'_>,
        op: Operator,
        body: Json<CreateCategory>,
    ) -> ApiResult<CategoryCreated> {
        let created = categories::create_category(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            &body,
        )
        .await?;
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
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
        body: Json<UpdateCategory>,
    ) -> ApiResult<Json<CategoryView>> {
        categories::update_category(
            ctx.state,
            ctx.tenant,
            ctx.rid,
            &operator_actor(&op.0),
            id.0,
            &body,
        )
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
        ctx: Ctx<'_>,
        op: Operator,
        id: Path<Uuid>,
    ) -> ApiResult<Deleted> {
        categories::delete_category(ctx.state, ctx.tenant, ctx.rid, &operator_actor(&op.0), id.0)
            .await?;
        Ok(Deleted::NoContent)
    }
}
