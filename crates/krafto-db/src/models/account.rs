//! A buyer's own account: their profile (name, phone), the guest orders their e-mail proves
//! are theirs, and the erasure of their personal data (orders are kept for accounting,
//! pseudonymised). Always inside the caller's tenant-scoped transaction.

use crate::schema::{buyer_addresses, carts, checkouts, one_time_codes, orders, users};
use crate::{DbResult, TenantTx};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// What a user tells about themselves on their account page.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct Profile {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub display_name: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl Profile {
    pub async fn find(tx: &mut TenantTx, user_id: Uuid) -> DbResult<Profile> {
        let conn = crate::tx::conn(tx);
        Ok(users::table
            .filter(users::id.eq(user_id))
            .filter(users::erased_at.is_null())
            .select(Profile::as_select())
            .first(conn)
            .await?)
    }

    /// Sets the name and phone (`None` clears them).
    pub async fn update(
        tx: &mut TenantTx,
        user_id: Uuid,
        display_name: Option<&str>,
        phone: Option<&str>,
    ) -> DbResult<Profile> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(
            users::table
                .filter(users::id.eq(user_id))
                .filter(users::erased_at.is_null()),
        )
        .set((users::display_name.eq(display_name), users::phone.eq(phone)))
        .returning(Profile::as_returning())
        .get_result(conn)
        .await?)
    }

    /// Gives `user_id` the guest orders and checkouts placed with `email` (the address
    /// their sign-in code proved). Returns how many orders it took.
    pub async fn claim_guest_orders(
        tx: &mut TenantTx,
        user_id: Uuid,
        email: &str,
    ) -> DbResult<usize> {
        let conn = crate::tx::conn(tx);
        diesel::update(
            checkouts::table
                .filter(checkouts::buyer_id.is_null())
                .filter(checkouts::email.eq(email)),
        )
        .set(checkouts::buyer_id.eq(user_id))
        .execute(conn)
        .await?;
        Ok(diesel::update(
            orders::table
                .filter(orders::buyer_id.is_null())
                .filter(orders::email.eq(email)),
        )
        .set(orders::buyer_id.eq(user_id))
        .execute(conn)
        .await?)
    }

    /// Whether the user has orders still on their way (not delivered, cancelled or
    /// refunded): their address is still needed.
    pub async fn has_open_orders(tx: &mut TenantTx, user_id: Uuid) -> DbResult<bool> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::select(diesel::dsl::exists(
            orders::table
                .filter(orders::buyer_id.eq(user_id))
                .filter(orders::status.eq_any([
                    "placed",
                    "confirmed",
                    "shipped",
                    "out_for_delivery",
                ])),
        ))
        .get_result(conn)
        .await?)
    }

    /// Erases the user's personal data: the account's e-mail becomes `pseudonym`, its name
    /// and phone go, and so do its saved addresses, cart and sign-in codes; its orders and
    /// checkouts keep their amounts and lines but lose the e-mail, phone and address (the
    /// country stays, for the accounts). The account can no longer sign in.
    pub async fn erase(tx: &mut TenantTx, user_id: Uuid, pseudonym: &str) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        let email: String = users::table
            .filter(users::id.eq(user_id))
            .select(users::email)
            .for_update()
            .first(conn)
            .await?;
        diesel::delete(buyer_addresses::table.filter(buyer_addresses::user_id.eq(user_id)))
            .execute(conn)
            .await?;
        diesel::delete(carts::table.filter(carts::user_id.eq(user_id)))
            .execute(conn)
            .await?;
        diesel::delete(one_time_codes::table.filter(one_time_codes::email.eq(&email)))
            .execute(conn)
            .await?;
        let kept_address = diesel::dsl::sql::<diesel::sql_types::Jsonb>(
            "jsonb_build_object('country', address -> 'country')",
        );
        diesel::update(orders::table.filter(orders::buyer_id.eq(user_id)))
            .set((
                orders::email.eq(pseudonym),
                orders::phone.eq(None::<String>),
                orders::address.eq(kept_address.clone()),
            ))
            .execute(conn)
            .await?;
        diesel::update(checkouts::table.filter(checkouts::buyer_id.eq(user_id)))
            .set((
                checkouts::email.eq(pseudonym),
                checkouts::phone.eq(None::<String>),
                checkouts::address.eq(kept_address),
            ))
            .execute(conn)
            .await?;
        diesel::update(users::table.filter(users::id.eq(user_id)))
            .set((
                users::email.eq(pseudonym),
                users::display_name.eq(None::<String>),
                users::phone.eq(None::<String>),
                users::erased_at.eq(diesel::dsl::now),
            ))
            .execute(conn)
            .await?;
        Ok(())
    }
}
