use crate::schema::users;
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A person's account inside one marketplace.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct User {
    pub tenant_id: Uuid,
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub display_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    pub async fn find(tx: &mut TenantTx, id: Uuid) -> DbResult<User> {
        let conn = crate::tx::conn(tx);
        Ok(users::table
            .filter(users::id.eq(id))
            .select(User::as_select())
            .first(conn)
            .await?)
    }

    pub async fn find_by_email(tx: &mut TenantTx, email: &str) -> DbResult<Option<User>> {
        let conn = crate::tx::conn(tx);
        Ok(users::table
            .filter(users::email.eq(email))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Records a successful sign-in, creating a buyer account on the first one.
    pub async fn sign_in(tx: &mut TenantTx, email: &str) -> DbResult<(User, bool)> {
        let tenant_id = tx.tenant_id().get();
        let conn = crate::tx::conn(tx);
        let now = Utc::now();
        let inserted = diesel::insert_into(users::table)
            .values(&User {
                tenant_id,
                id: Uuid::now_v7(),
                email: email.to_owned(),
                role: "buyer".to_owned(),
                display_name: None,
                created_at: now,
                last_login_at: Some(now),
            })
            .on_conflict((users::tenant_id, users::email))
            .do_nothing()
            .returning(User::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        if let Some(user) = inserted {
            return Ok((user, true));
        }
        let user = diesel::update(users::table.filter(users::email.eq(email)))
            .set(users::last_login_at.eq(now))
            .returning(User::as_returning())
            .get_result(conn)
            .await?;
        Ok((user, false))
    }

    /// Makes `email` an operator of this tenant: creates the account, or promotes an existing
    /// one. Returns the user and whether it already was an operator.
    pub async fn make_operator(
        tx: &mut TenantTx,
        email: &str,
        display_name: Option<&str>,
    ) -> DbResult<(User, bool)> {
        let tenant_id = tx.tenant_id().get();
        if let Some(existing) = Self::find_by_email(tx, email).await? {
            let conn = crate::tx::conn(tx);
            if existing.role == "operator" {
                return Ok((existing, true));
            }
            let user = diesel::update(users::table.filter(users::id.eq(existing.id)))
                .set(users::role.eq("operator"))
                .returning(User::as_returning())
                .get_result(conn)
                .await?;
            return Ok((user, false));
        }
        let conn = crate::tx::conn(tx);
        let user = diesel::insert_into(users::table)
            .values(&User {
                tenant_id,
                id: Uuid::now_v7(),
                email: email.to_owned(),
                role: "operator".to_owned(),
                display_name: display_name.map(str::to_owned),
                created_at: Utc::now(),
                last_login_at: None,
            })
            .returning(User::as_returning())
            .get_result(conn)
            .await?;
        Ok((user, false))
    }

    /// The marketplace's operators, by e-mail address.
    pub async fn operators(tx: &mut TenantTx) -> DbResult<Vec<User>> {
        let conn = crate::tx::conn(tx);
        Ok(users::table
            .filter(users::role.eq("operator"))
            .order(users::email.asc())
            .select(User::as_select())
            .load(conn)
            .await?)
    }

    /// Takes the operator role from `id`: they keep their account as a seller when they own
    /// a shop, as a buyer otherwise. `None` when `id` is no operator of this marketplace.
    pub async fn remove_operator(tx: &mut TenantTx, id: Uuid) -> DbResult<Option<User>> {
        use crate::schema::shops;
        let conn = crate::tx::conn(tx);
        let owns_shop: bool = diesel::select(diesel::dsl::exists(
            shops::table.filter(shops::owner_id.eq(id)),
        ))
        .get_result(conn)
        .await?;
        let role = if owns_shop { "seller" } else { "buyer" };
        Ok(diesel::update(
            users::table
                .filter(users::id.eq(id))
                .filter(users::role.eq("operator")),
        )
        .set(users::role.eq(role))
        .returning(User::as_returning())
        .get_result(conn)
        .await
        .optional()?)
    }

    /// Makes a buyer a seller (operators keep their role). Returns the user as it now is.
    pub async fn become_seller(tx: &mut TenantTx, id: Uuid) -> DbResult<User> {
        let promoted = diesel::update(
            users::table
                .filter(users::id.eq(id))
                .filter(users::role.eq("buyer")),
        )
        .set(users::role.eq("seller"))
        .returning(User::as_returning())
        .get_result(crate::tx::conn(tx))
        .await
        .optional()?;
        match promoted {
            Some(user) => Ok(user),
            None => Self::find(tx, id).await,
        }
    }
}
