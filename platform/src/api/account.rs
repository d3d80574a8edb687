//! The signed-in buyer's own account (`/store/me`): profile, address book, and the erasure
//! of their personal data. Handlers check who is signed in; `crate::accounts` decides.

use super::{ApiTags, UserAuth};
use crate::accounts::{self, addresses};
use crate::ctx::Ctx;
use krafto_api_types::account::{
    AccountProfile, AddressInput, AddressView, DeleteAccount, ProfileInput,
};
use krafto_web::ApiResult;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

pub(crate) struct AccountApi;

#[derive(ApiResponse)]
pub(crate) enum AddressCreated {
    /// The saved address.
    #[oai(status = 201)]
    Created(Json<AddressView>),
}

#[derive(ApiResponse)]
pub(crate) enum Done {
    /// Done; nothing to return.
    #[oai(status = 204)]
    NoContent,
}

#[OpenApi(prefix_path = "/store", tag = "ApiTags::Store")]
impl AccountApi {
    /// The signed-in user's profile: e-mail, name and phone (checkout prefills them).
    #[oai(path = "/me", method = "get", operation_id = "store_me")]
    async fn me(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<Json<AccountProfile>> {
        Ok(Json(
            accounts::profile(ctx.state, ctx.tenant, &auth.0).await?,
        ))
    }

    /// Sets the signed-in user's name and phone (an absent or blank field clears it).
    #[oai(path = "/me", method = "put", operation_id = "store_me_update")]
    async fn update_me(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: Json<ProfileInput>,
    ) -> ApiResult<Json<AccountProfile>> {
        Ok(Json(
            accounts::update_profile(ctx.state, ctx.tenant, &auth.0, &body).await?,
        ))
    }

    /// Erases the signed-in buyer's personal data, confirmed by typing the account's e-mail:
    /// name, phone, e-mail, saved addresses and cart go; orders stay for the accounts without
    /// the buyer's e-mail, phone or address; every session ends. Refused while an order is
    /// on its way (409 `orders_in_progress`) and for sellers and operators (409 `conflict`).
    #[oai(path = "/me", method = "delete", operation_id = "store_me_delete")]
    async fn delete_me(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: Json<DeleteAccount>,
    ) -> ApiResult<Done> {
        accounts::delete_account(ctx.state, ctx.tenant, &auth.0, &body).await?;
        Ok(Done::NoContent)
    }

    /// The signed-in user's saved delivery addresses, the default first.
    #[oai(
        path = "/me/addresses",
        method = "get",
        operation_id = "store_addresses"
    )]
    async fn addresses(&self, ctx: Ctx<'_>, auth: UserAuth) -> ApiResult<Json<Vec<AddressView>>> {
        Ok(Json(addresses::list(ctx.state, ctx.tenant, &auth.0).await?))
    }

    /// Saves a delivery address (at most 20; the first one is the default).
    #[oai(
        path = "/me/addresses",
        method = "post",
        operation_id = "store_address_create"
    )]
    async fn create_address(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        body: Json<AddressInput>,
    ) -> ApiResult<AddressCreated> {
        Ok(AddressCreated::Created(Json(
            addresses::create(ctx.state, ctx.tenant, &auth.0, &body).await?,
        )))
    }

    /// Replaces a saved address; `is_default: true` makes it the default.
    #[oai(
        path = "/me/addresses/:id",
        method = "put",
        operation_id = "store_address_update"
    )]
    async fn update_address(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
        body: Json<AddressInput>,
    ) -> ApiResult<Json<AddressView>> {
        Ok(Json(
            addresses::update(ctx.state, ctx.tenant, &auth.0, id.0, &body).await?,
        ))
    }

    /// Deletes a saved address (the oldest other one becomes the default if it was).
    #[oai(
        path = "/me/addresses/:id",
        method = "delete",
        operation_id = "store_address_delete"
    )]
    async fn delete_address(
        &self,
        ctx: Ctx<'_>,
        auth: UserAuth,
        id: Path<Uuid>,
    ) -> ApiResult<Done> {
        addresses::delete(ctx.state, ctx.tenant, &auth.0, id.0).await?;
        Ok(Done::NoContent)
    }
}
