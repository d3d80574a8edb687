//! The store API: the marketplace's public face and what buyers browse (search, listings,
//! shops) and report.

use super::{ApiTags, UserAuth};
use crate::catalog;
use crate::ctx::Ctx;
use crate::{AppState, CurrentTenant};
use krafto_api_types::Prerendered;
use krafto_api_types::catalog::{ListingDetail, ReportInput, ReportView, SearchResults, ShopPage};
use krafto_api_types::store::{CategoryNode, StoreTenant};
use krafto_db::models::Category;
use krafto_web::{ApiError, ApiResult, views};
use poem_openapi::ApiResponse;
use poem_openapi::OpenApi;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) struct StoreApi;

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl StoreApi {
    /// The marketplace's public face: name, branding, currency, fees shown to sellers,
    /// features and the category tree.
    #[oai(path = "/tenant", method = "get", operation_id = "store_tenant")]
    async fn tenant(&self, ctx: Ctx<'_>) -> ApiResult<Prerendered<StoreTenant>> {
        // Served from the tenant cache; dropped whenever the tenant or its categories change.
        let face = ctx
            .state
            .tenants
            .derived(
                ctx.tenant.id,
                "store_face",
                Uuid::nil(),
                Box::pin(load_face(ctx.state, ctx.tenant)),
            )
            .await
            .map_err(|e| ApiError::from(&*e))?;
        Ok((*face).clone())
    }

    /// One of the marketplace's legal pages (`terms`, `legal-notice`, `privacy`,
    /// `contact`); 404 while the marketplace has not written it.
    #[oai(
        path = "/legal/:page",
        method = "get",
        operation_id = "store_legal_page"
    )]
    async fn legal_page(
        &self,
        ctx: Ctx<'_>,
        page: Path<String>,
    ) -> ApiResult<Json<krafto_api_types::legal::LegalPageView>> {
        let kind = crate::marketplace::legal::kind(&page)?;
        crate::marketplace::legal::page(ctx.state, ctx.tenant, kind)
            .await
            .map(Json)
    }
}

async fn load_face(
    state: &AppState,
    tenant: &CurrentTenant,
) -> Result<Prerendered<StoreTenant>, krafto_db::DbError> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let categories = Category::all(&mut tx).await?;
    tx.commit().await?;
    Ok(Prerendered::render(&StoreTenant {
        id: tenant.id,
        slug: tenant.slug.clone(),
        name: tenant.name.clone(),
        branding: views::branding(tenant),
        currency: tenant.currency.clone(),
        locale: tenant.locale.clone(),
        fees: views::fees(tenant),
        features: views::feature_flags(tenant).as_map().clone(),
        categories: category_tree(categories),
    }))
}

/// Nests a flat list (ordered by position) into a forest; orphans are impossible because the
/// foreign key keeps parents alive.
pub(crate) fn category_tree(flat: Vec<Category>) -> Vec<CategoryNode> {
    let mut children: HashMap<Option<Uuid>, Vec<Category>> = HashMap::new();
    for c in flat {
        children.entry(c.parent_id).or_default().push(c);
    }
    fn build(
        parent: Option<Uuid>,
        children: &mut HashMap<Option<Uuid>, Vec<Category>>,
    ) -> Vec<CategoryNode> {
        children
            .remove(&parent)
            .unwrap_or_default()
            .into_iter()
            .map(|c| CategoryNode {
                children: build(Some(c.id), children),
                names: crate::marketplace::categories::names_map(&c.names),
                id: c.id,
                slug: c.slug,
                name: c.name,
                description: c.description,
                position: c.position,
            })
            .collect()
    }
    build(None, &mut children)
}

/// Search results as cards.
/// Buyer-facing catalog endpoints.
pub(crate) struct BrowseApi;

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl BrowseApi {
    /// Searches the marketplace's live listings, with facets and, when nothing matches,
    /// suggestions.
    #[oai(path = "/search", method = "get", operation_id = "store_search")]
    #[expect(
        clippy::too_many_arguments,
        reason = "one parameter per documented query filter"
    )]
    async fn search(
        &self,
        ctx: Ctx<'_>,
        /// Words to find in titles, descriptions, tags, materials and shop names (typos
        /// tolerated).
        q: Query<Option<String>>,
        /// Category slug; its sub-categories are included.
        category: Query<Option<String>>,
        /// Minimum price in minor units.
        min_price: Query<Option<i64>>,
        max_price: Query<Option<i64>>,
        min_rating: Query<Option<f64>>,
        country: Query<Option<String>>,
        region: Query<Option<String>>,
        city: Query<Option<String>>,
        lat: Query<Option<f64>>,
        lon: Query<Option<f64>>,
        radius_km: Query<Option<f64>>,
        /// Comma-separated; every tag must match.
        tags: Query<Option<String>>,
        style: Query<Option<String>>,
        in_stock: Query<Option<String>>,
        verified: Query<Option<String>>,
        /// relevance (default), newest, price_asc, price_desc, top_rated, trending.
        sort: Query<Option<String>>,
        cursor: Query<Option<String>>,
        /// 1–100, default 24.
        limit: Query<Option<i64>>,
    ) -> ApiResult<Json<SearchResults>> {
        let params = catalog::browse::SearchParams {
            q: q.0,
            category: category.0,
            min_price: min_price.0,
            max_price: max_price.0,
            min_rating: min_rating.0,
            country: country.0,
            region: region.0,
            city: city.0,
            lat: lat.0,
            lon: lon.0,
            radius_km: radius_km.0,
            tags: tags.0,
            style: style.0,
            in_stock: in_stock.0,
            verified: verified.0,
            sort: sort.0,
            cursor: cursor.0,
            limit: limit.0,
        };
        Ok(Json(
            catalog::browse::search(
                ctx.state,
                ctx.tenant,
                &params,
                krafto_i18n::Locale::of_tag(&ctx.tenant.locale),
            )
            .await?,
        ))
    }

    /// A live listing's page.
    #[oai(path = "/listings/:id", method = "get", operation_id = "store_listing")]
    async fn listing(&self, ctx: Ctx<'_>, id: Path<Uuid>) -> ApiResult<Json<ListingDetail>> {
        Ok(Json(
            catalog::browse::listing_detail(ctx.state, ctx.tenant, id.0).await?,
        ))
    }

    /// A shop's public page: story, location, badges and live listings.
    #[oai(path = "/shops/:slug", method = "get", operation_id = "store_shop")]
    async fn shop(&self, ctx: Ctx<'_>, slug: Path<String>) -> ApiResult<Json<ShopPage>> {
        Ok(Json(
            catalog::browse::shop_page(ctx.state, ctx.tenant, &slug.0).await?,
        ))
    }

    /// Reports a listing or a shop to the marketplace's operators.
    #[oai(path = "/reports", method = "post", operation_id = "store_report")]
    async fn report(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: Json<ReportInput>,
    ) -> ApiResult<ReportFiled> {
        let r = catalog::browse::file_report(ctx.state, ctx.tenant, auth.0.user_id, &body).await?;
        Ok(ReportFiled::Created(Json(
            crate::moderation::reports::report_view(r),
        )))
    }
}

#[derive(ApiResponse)]
pub(crate) enum ReportFiled {
    #[oai(status = 201)]
    Created(Json<ReportView>),
}
