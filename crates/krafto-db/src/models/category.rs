use crate::schema::categories;
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A node of a marketplace's category tree.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg))]
pub struct Category {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The name in other languages (`{"en": "Ceramics"}`); `name` is the marketplace's own.
    pub names: serde_json::Value,
}

impl Category {
    /// The category's name in language `code` (`fr`, `en`), else its own name.
    pub fn name_in(&self, code: &str) -> &str {
        names_in(&self.names, code).unwrap_or(&self.name)
    }
}

/// The name in language `code` of a `names` object, when it has one.
pub fn names_in<'a>(names: &'a serde_json::Value, code: &str) -> Option<&'a str> {
    names
        .get(code)
        .and_then(|v| v.as_str())
        .filter(|s| !s.trim().is_empty())
}

#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub position: i32,
    pub names: serde_json::Value,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges {
    pub parent_id: Option<Option<Uuid>>,
    pub slug: Option<String>,
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub position: Option<i32>,
    pub names: Option<serde_json::Value>,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = Bool)]
    flag: bool,
}

impl Category {
    /// The whole tree of the current tenant, parents before children, by position then name.
    pub async fn all(tx: &mut TenantTx) -> DbResult<Vec<Category>> {
        let conn = crate::tx::conn(tx);
        Ok(categories::table
            .select(Category::as_select())
            .order((categories::position.asc(), categories::name.asc()))
            .load(conn)
            .await?)
    }

    pub async fn find(tx: &mut TenantTx, id: Uuid) -> DbResult<Category> {
        let conn = crate::tx::conn(tx);
        Ok(categories::table
            .filter(categories::id.eq(id))
            .select(Category::as_select())
            .first(conn)
            .await?)
    }

    pub async fn insert(tx: &mut TenantTx, new: &NewCategory) -> DbResult<Category> {
        tx.owns_all([new.tenant_id])?;
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(categories::table)
            .values(new)
            .returning(Category::as_returning())
            .get_result(conn)
            .await?)
    }

    pub async fn insert_many(tx: &mut TenantTx, new: &[NewCategory]) -> DbResult<usize> {
        tx.owns_all(new.iter().map(|n| n.tenant_id))?;
        let conn = crate::tx::conn(tx);
        Ok(diesel::insert_into(categories::table)
            .values(new)
            .execute(conn)
            .await?)
    }

    pub async fn update(
        tx: &mut TenantTx,
        id: Uuid,
        mut changes: CategoryChanges,
    ) -> DbResult<Category> {
        let conn = crate::tx::conn(tx);
        changes.updated_at = Some(Utc::now());
        Ok(
            diesel::update(categories::table.filter(categories::id.eq(id)))
                .set(&changes)
                .returning(Category::as_returning())
                .get_result(conn)
                .await?,
        )
    }

    /// Deletes a leaf; `false` when no such category is visible.
    pub async fn delete(tx: &mut TenantTx, id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n = diesel::delete(categories::table.filter(categories::id.eq(id)))
            .execute(conn)
            .await?;
        Ok(n == 1)
    }

    pub async fn has_children(tx: &mut TenantTx, id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let n: i64 = categories::table
            .filter(categories::parent_id.eq(id))
            .count()
            .get_result(conn)
            .await?;
        Ok(n > 0)
    }

    /// Whether `ancestor` is `node` itself or one of its ancestors — moving `ancestor` under
    /// `node` would then make a cycle.
    pub async fn is_self_or_ancestor(
        tx: &mut TenantTx,
        ancestor: Uuid,
        node: Uuid,
    ) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        let row: Flag = diesel::sql_query(
            "WITH RECURSIVE up(id, parent_id) AS (
                 SELECT id, parent_id FROM categories WHERE id = $2
                 UNION ALL
                 SELECT c.id, c.parent_id FROM categories c JOIN up ON c.id = up.parent_id
             )
             SELECT EXISTS (SELECT 1 FROM up WHERE id = $1) AS flag",
        )
        .bind::<SqlUuid, _>(ancestor)
        .bind::<SqlUuid, _>(node)
        .get_result(conn)
        .await?;
        Ok(row.flag)
    }
}
