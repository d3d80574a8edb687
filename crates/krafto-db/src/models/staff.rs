use crate::schema::staff;
use crate::{ControlTx, DbResult};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

/// A Krafto staff member (control plane only).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff, check_for_backend(diesel::pg::Pg))]
pub struct Staff {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl Staff {
    pub async fn find_by_email(tx: &mut ControlTx, email: &str) -> DbResult<Option<Staff>> {
        let conn = crate::tx::conn(tx);
        Ok(staff::table
            .filter(staff::email.eq(email))
            .select(Staff::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Creates the staff member, or sets a new password when the e-mail exists.
    /// Returns whether a new row was created.
    pub async fn upsert(
        tx: &mut ControlTx,
        email: &str,
        password_hash: &str,
    ) -> DbResult<(Staff, bool)> {
        let existing = Self::find_by_email(tx, email).await?;
        let conn = crate::tx::conn(tx);
        let created = existing.is_none();
        let row = diesel::insert_into(staff::table)
            .values(&Staff {
                id: Uuid::now_v7(),
                email: email.to_owned(),
                password_hash: password_hash.to_owned(),
                disabled: false,
                created_at: Utc::now(),
                last_login_at: None,
            })
            .on_conflict(staff::email)
            .do_update()
            .set(staff::password_hash.eq(password_hash))
            .returning(Staff::as_returning())
            .get_result(conn)
            .await?;
        Ok((row, created))
    }

    /// Disables the staff member with this e-mail (they can no longer sign in); `None` when
    /// there is none.
    pub async fn disable(tx: &mut ControlTx, email: &str) -> DbResult<Option<Staff>> {
        let conn = crate::tx::conn(tx);
        Ok(diesel::update(staff::table.filter(staff::email.eq(email)))
            .set(staff::disabled.eq(true))
            .returning(Staff::as_returning())
            .get_result(conn)
            .await
            .optional()?)
    }

    pub async fn touch_login(tx: &mut ControlTx, id: Uuid) -> DbResult<()> {
        let conn = crate::tx::conn(tx);
        diesel::update(staff::table.find(id))
            .set(staff::last_login_at.eq(Utc::now()))
            .execute(conn)
            .await?;
        Ok(())
    }
}
