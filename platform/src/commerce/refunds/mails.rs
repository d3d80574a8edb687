//! The e-mails of refunds: made, requested, declined.

use super::*;

async fn owner_email(tx: &mut TenantTx, shop_id: Uuid) -> ApiResult<Option<String>> {
    Ok(Shop::owner_emails(tx, &[shop_id])
        .await?
        .into_iter()
        .next()
        .map(|(_, e)| e))
}

pub(super) async fn refund_mails(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    o: &Order,
    a: &RefundAllocation,
    reason: &str,
) -> ApiResult<()> {
    let locale = Locale::of_tag(&tenant.locale);
    let base = state.storefront(&state.tenant_host(tenant));
    let money = |m: i64| locale.money(&Money::of(m, &o.currency));
    let url = format!(
        "{base}/orders/{}?token={}",
        o.number,
        state.keys.order_access_token(o.tenant_id, o.id)
    );
    let args = |extra: Vec<(&'static str, krafto_i18n::Arg)>| {
        let mut v: Vec<(&str, krafto_i18n::Arg)> = vec![
            ("number", o.number.as_str().into()),
            ("amount", money(a.total_minor).into()),
            ("reason", reason.into()),
            ("name", tenant.display_name.as_str().into()),
        ];
        v.extend(extra);
        v
    };
    mail(
        tx,
        tenant,
        &o.email,
        locale.t_args("mail-refund-subject", &args(vec![])),
        format!(
            "{}\n{}\n",
            locale.t_args("mail-refund-buyer", &args(vec![])),
            locale.t_args("mail-follow", &[("url", url.into())]),
        ),
    )
    .await?;
    if let Some(owner) = owner_email(tx, o.shop_id).await? {
        mail(
            tx,
            tenant,
            &owner,
            locale.t_args("mail-refund-subject", &args(vec![])),
            format!(
                "{}\n",
                locale.t_args(
                    "mail-refund-seller",
                    &args(vec![("part", money(a.seller_minor).into())])
                ),
            ),
        )
        .await?;
    }
    Ok(())
}

pub(super) async fn request_mail(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    o: &Order,
) -> ApiResult<()> {
    let Some(owner) = owner_email(tx, o.shop_id).await? else {
        return Ok(());
    };
    let locale = Locale::of_tag(&tenant.locale);
    let base = state.storefront(&state.tenant_host(tenant));
    mail(
        tx,
        tenant,
        &owner,
        locale.t_args(
            "mail-refund-requested-subject",
            &[
                ("number", o.number.as_str().into()),
                ("name", tenant.display_name.as_str().into()),
            ],
        ),
        format!(
            "{}\n",
            locale.t_args(
                "mail-refund-requested-body",
                &[
                    ("number", o.number.as_str().into()),
                    ("url", format!("{base}/sell/orders/{}", o.number).into()),
                ],
            )
        ),
    )
    .await
}

pub(super) async fn declined_mail(
    state: &AppState,
    tx: &mut TenantTx,
    tenant: &Tenant,
    o: &Order,
    reason: &str,
) -> ApiResult<()> {
    let locale = Locale::of_tag(&tenant.locale);
    let base = state.storefront(&state.tenant_host(tenant));
    let url = format!(
        "{base}/orders/{}?token={}",
        o.number,
        state.keys.order_access_token(o.tenant_id, o.id)
    );
    mail(
        tx,
        tenant,
        &o.email,
        locale.t_args(
            "mail-refund-declined-subject",
            &[
                ("number", o.number.as_str().into()),
                ("name", tenant.display_name.as_str().into()),
            ],
        ),
        format!(
            "{}\n{}\n",
            locale.t_args(
                "mail-refund-declined-body",
                &[
                    ("number", o.number.as_str().into()),
                    ("reason", reason.into())
                ],
            ),
            locale.t_args("mail-follow", &[("url", url.into())]),
        ),
    )
    .await
}
