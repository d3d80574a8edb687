use super::ApiTags;
use crate::{AppState, CurrentTenant};
use krafto_api_types::store::{CategoryNode, StoreTenant};
use krafto_api_types::{ApiResult, Prerendered};
use krafto_db::models::Category;
use krafto_web::views;
use poem::web::Data;
use poem_openapi::OpenApi;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) struct StoreApi;

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl StoreApi {
    /// The marketplace's public face: name, branding, currency, fees shown to sellers,
    /// features and the category tree.
    #[oai(path = "/tenant", method = "get", operation_id = "store_tenant")]
    async fn tenant(
        &self,
        state: Data<&AppState>,
        tenant: Data<&CurrentTenant>,
    ) -> ApiResult<Prerendered<StoreTenant>> {
        // Served from the tenant cache; dropped whenever the tenant or its categories change.
        let face = state
            .tenants
            .derived(
                tenant.id,
                "store_face",
                Uuid::nil(),
                Box::pin(load_face(&state, &tenant)),
            )
            .await
            .map_err(|e| views::db_error_ref(&e))?;
        Ok((*face).clone())
    }
}

async fn load_face(
    state: &AppState,
    tenant: &CurrentTenant,
) -> Result<Prerendered<StoreTenant>, krafto_db::DbError> {
    let mut tx = state.db.tenant(tenant.id).await?;
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
