//! Buying: carts, their pricing, checkouts, payment settlement, orders and payouts. The one
//! implementation of these rules, called by the API handlers, the webhook endpoint, the
//! test-mode pages and the worker alike.
//!
//! Prices, splits and order moves are decided by `krafto_core::commerce` (each line's
//! commission rate by `krafto_core::commission`); this module loads what they need, inside
//! the tenant's transaction, and writes what they decide. It must never price anything
//! itself or move money outside a balanced ledger journal.

pub(crate) mod checkout;
pub(crate) mod disputes;
pub(crate) mod orders;
pub(crate) mod payout_history;
pub(crate) mod payouts;
pub mod reconcile;
pub(crate) mod refunds;
pub(crate) mod releases;
pub(crate) mod selling;
pub(crate) mod stripe_fees;
pub(crate) mod sweeps;

use crate::catalog::photos_of;
use diesel::prelude::*;
use krafto_api_types::Code;
use krafto_api_types::commerce::{
    CartLineView, CartShop, CartView, DeliveryOptionView, LineIssue, PickupView,
};
use krafto_core::Bps;
use krafto_core::FieldError;
use krafto_core::catalog::visible_to_buyers;
use krafto_core::commerce::{LineInput, Rates, ShippingRate, price_shop};
use krafto_core::commission::CommissionRule;
use krafto_db::models::{
    Cart, CartLine, Listing, ListingVariant, PickupPlace, SellerAccount, ShippingOption, Shop,
    Tenant,
};
use krafto_db::schema::{listing_variants, listings, shops};
use krafto_db::{DbResult, TenantTx};
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A cart line holds 1 to 1000 units.
pub(crate) fn check_quantity(q: i32) -> ApiResult<()> {
    if (1..=1000).contains(&q) {
        Ok(())
    } else {
        Err(ApiError::field(FieldError::new(
            "quantity",
            "must be between 1 and 1000",
        )))
    }
}

/// Why a cart line cannot be bought, for people (`available` units are left).
pub(crate) fn issue_text(issue: LineIssue, available: i32) -> String {
    match issue {
        LineIssue::Unavailable => "no longer on sale".to_owned(),
        LineIssue::SellerNotPayable => "the seller cannot take payments yet".to_owned(),
        LineIssue::OutOfStock => "sold out".to_owned(),
        LineIssue::InsufficientStock => format!("only {available} left"),
    }
}

/// The rates of a marketplace now (snapshotted into checkouts and order lines).
pub(crate) fn rates_of(t: &Tenant) -> ApiResult<Rates> {
    let bps = |v: i32| Bps::new(i64::from(v)).map_err(|e| ApiError::internal(&e));
    Ok(Rates {
        commission: bps(t.seller_commission_bps)?,
        platform_fee: bps(t.platform_fee_bps)?,
        buyer_fee: bps(t.buyer_fee_bps)?,
    })
}

/// What a checkout bought, frozen when it was created: orders are made from this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Plan {
    pub shops: Vec<PlanShop>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PlanShop {
    pub shop_id: Uuid,
    pub shop_name: String,
    pub option_id: Uuid,
    pub option_name: String,
    /// Where and when the buyer collects, when the option is a pickup (plans made before
    /// pickups existed have none).
    #[serde(default)]
    pub pickup: Option<PickupView>,
    pub shipping_minor: i64,
    pub lines: Vec<PlanLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PlanLine {
    pub listing_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub title: String,
    pub variant_label: Option<String>,
    pub unit_price_minor: i64,
    pub quantity: i32,
    /// The commission rate this line pays, resolved by `krafto_core::commission` when the
    /// plan was made and frozen here (plans made before rates were per line have none: they
    /// pay the checkout's rate).
    #[serde(default)]
    pub commission_bps: Option<i32>,
}

impl PlanLine {
    /// The line's frozen commission rate, or `default` (the checkout's rate) for a plan made
    /// before rates were per line.
    pub(crate) fn commission_bps(&self, default: i32) -> i32 {
        self.commission_bps.unwrap_or(default)
    }

    fn input(&self, default: Bps) -> ApiResult<LineInput> {
        let commission = match self.commission_bps {
            Some(v) => Bps::new(i64::from(v)).map_err(|e| ApiError::internal(&e))?,
            None => default,
        };
        Ok(LineInput {
            unit_price_minor: self.unit_price_minor,
            quantity: i64::from(self.quantity),
            commission,
        })
    }
}

impl PlanShop {
    /// The shop's lines as priced, each at its frozen rate (`default` for plans without).
    pub(crate) fn line_inputs(&self, default: Bps) -> ApiResult<Vec<LineInput>> {
        self.lines.iter().map(|l| l.input(default)).collect()
    }
}

impl Plan {
    /// Whether anything of the plan is delivered (a shipping address is needed), rather
    /// than collected.
    pub(crate) fn ships(&self) -> bool {
        self.shops.iter().any(|s| s.pickup.is_none())
    }

    /// The plan's part for one shop.
    pub(crate) fn shop(&self, shop_id: Uuid) -> Option<&PlanShop> {
        self.shops.iter().find(|s| s.shop_id == shop_id)
    }

    /// Every (listing, variant, quantity) of the plan, in a fixed order (stock is always
    /// locked in this order, so two checkouts cannot deadlock).
    pub(crate) fn items(&self) -> Vec<(Uuid, Option<Uuid>, i32)> {
        let mut items: Vec<(Uuid, Option<Uuid>, i32)> = self
            .shops
            .iter()
            .flat_map(|s| {
                s.lines
                    .iter()
                    .map(|l| (l.listing_id, l.variant_id, l.quantity))
            })
            .collect();
        items.sort();
        items
    }

    pub(crate) fn parse(v: &serde_json::Value) -> ApiResult<Plan> {
        serde_json::from_value(v.clone()).map_err(|e| ApiError::internal(&e))
    }
}

/// A shop's lines as priced (the shop is `None` for listings that no longer exist).
type PricedGroup<'a> = (Option<&'a Shop>, Vec<(CartLineView, Option<PlanLine>)>);

/// A cart priced against today's catalogue.
#[derive(Debug)]
pub(crate) struct PricedCart {
    pub view: CartView,
    /// What checkout would buy (only when everything is purchasable).
    pub plan: Option<Plan>,
}

/// `size: M, colour: red` from a variant's options.
pub(crate) fn variant_label(v: &ListingVariant) -> Option<String> {
    let label = v
        .options
        .as_object()?
        .iter()
        .map(|(k, val)| format!("{k}: {}", val.as_str().unwrap_or(&val.to_string())))
        .collect::<Vec<_>>()
        .join(", ");
    Some(label).filter(|l| !l.is_empty())
}

/// Loads what pricing needs for these listings: the listings, their variants and shops.
async fn load_catalog(
    tx: &mut TenantTx,
    listing_ids: &[Uuid],
) -> DbResult<(
    HashMap<Uuid, Listing>,
    HashMap<Uuid, ListingVariant>,
    HashMap<Uuid, Shop>,
)> {
    let ls: Vec<Listing> = tx
        .fetch_all(
            listings::table
                .filter(listings::id.eq_any(listing_ids.to_vec()))
                .select(Listing::as_select()),
        )
        .await?;
    let vs: Vec<ListingVariant> = tx
        .fetch_all(
            listing_variants::table
                .filter(listing_variants::listing_id.eq_any(listing_ids.to_vec()))
                .select(ListingVariant::as_select()),
        )
        .await?;
    let shop_ids: Vec<Uuid> = ls.iter().map(|l| l.shop_id).collect();
    let ss: Vec<Shop> = tx
        .fetch_all(
            shops::table
                .filter(shops::id.eq_any(shop_ids))
                .select(Shop::as_select()),
        )
        .await?;
    Ok((
        ls.into_iter().map(|l| (l.id, l)).collect(),
        vs.into_iter().map(|v| (v.id, v)).collect(),
        ss.into_iter().map(|s| (s.id, s)).collect(),
    ))
}

/// Whether buyers can see a listing of a shop (the catalog rule).
pub(crate) fn on_sale(l: &Listing, s: &Shop) -> bool {
    visible_to_buyers(l.status, s.status)
}

/// Prices a cart's lines as of now: availability, stock, seller readiness and prices are
/// checked on every call; lines that cannot be bought are flagged, never dropped.
pub(crate) async fn price_cart(
    tx: &mut TenantTx,
    tenant: &Tenant,
    lines: &[CartLine],
    choices: &HashMap<Uuid, Uuid>,
    test_mode: bool,
) -> ApiResult<PricedCart> {
    let rates = rates_of(tenant)?;
    let commissions = crate::marketplace::commissions::rule(tx, rates).await?;
    let listing_ids: Vec<Uuid> = lines.iter().map(|l| l.listing_id).collect();
    let (listings, variants, shops) = load_catalog(tx, &listing_ids).await?;
    let shop_ids: Vec<Uuid> = shops.keys().copied().collect();
    let ready: Vec<Uuid> = SellerAccount::ready_shops(tx, &shop_ids).await?;
    let options = ShippingOption::of_shops(tx, &shop_ids).await?;
    let option_ids: Vec<Uuid> = options.iter().map(|o| o.id).collect();
    let places = PickupPlace::of_options(tx, &option_ids).await?;
    let pickup_of = |o: &ShippingOption| {
        places
            .iter()
            .find(|p| p.option_id == o.id)
            .map(|p| PickupView {
                address: p.address.clone(),
                hours: p.hours.clone(),
            })
    };

    // Group lines by shop, in order of first appearance.
    let mut groups: Vec<PricedGroup<'_>> = Vec::new();
    let mut index: BTreeMap<Option<Uuid>, usize> = BTreeMap::new();
    for line in lines {
        let listing = listings.get(&line.listing_id);
        let shop = listing.and_then(|l| shops.get(&l.shop_id));
        let variant = line.variant_id.and_then(|v| variants.get(&v));
        let (view, plan_line) = price_line(line, listing, variant, shop, &ready, &commissions);
        let key = shop.map(|s| s.id);
        let at = *index.entry(key).or_insert_with(|| {
            groups.push((shop, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push((view, plan_line));
    }

    let mut cart_shops = Vec::new();
    let mut plan_shops = Vec::new();
    let mut all_purchasable = !lines.is_empty();
    for (shop, priced) in groups {
        let purchasable_lines: Vec<&PlanLine> =
            priced.iter().filter_map(|(_, p)| p.as_ref()).collect();
        let units: i64 = purchasable_lines
            .iter()
            .map(|l| i64::from(l.quantity))
            .sum();
        let shop_options: Vec<&ShippingOption> = match shop {
            Some(s) => options.iter().filter(|o| o.shop_id == s.id).collect(),
            None => Vec::new(),
        };
        let cost = |o: &ShippingOption| {
            ShippingRate {
                base_minor: o.base_minor,
                per_item_minor: o.per_item_minor,
            }
            .cost(units)
        };
        let chosen = shop
            .and_then(|s| choices.get(&s.id))
            .and_then(|id| shop_options.iter().find(|o| o.id == *id))
            .or_else(|| shop_options.iter().min_by_key(|o| (cost(o), o.position)))
            .copied();
        let inputs: Vec<LineInput> = purchasable_lines
            .iter()
            .map(|l| l.input(rates.commission))
            .collect::<ApiResult<_>>()?;
        let shipping = if units > 0 {
            chosen.map(cost).unwrap_or(0)
        } else {
            0
        };
        let totals = price_shop(&inputs, shipping, rates.into());
        let shop_ok = shop.is_some()
            && chosen.is_some()
            && !priced.is_empty()
            && priced.iter().all(|(v, _)| v.purchasable);
        all_purchasable &= shop_ok;
        if let (Some(s), Some(o), true) = (shop, chosen, shop_ok) {
            plan_shops.push(PlanShop {
                shop_id: s.id,
                shop_name: s.name.clone(),
                option_id: o.id,
                option_name: o.name.clone(),
                pickup: pickup_of(o),
                shipping_minor: shipping,
                lines: purchasable_lines.into_iter().cloned().collect(),
            });
        }
        cart_shops.push(CartShop {
            shop_id: shop.map(|s| s.id).unwrap_or_default(),
            shop_name: shop.map(|s| s.name.clone()).unwrap_or_default(),
            shop_slug: shop.map(|s| s.slug.clone()).unwrap_or_default(),
            delivery_options: shop_options
                .iter()
                .map(|o| DeliveryOptionView {
                    id: o.id,
                    name: o.name.clone(),
                    cost_minor: cost(o),
                    days_min: o.days_min,
                    days_max: o.days_max,
                    pickup: pickup_of(o),
                })
                .collect(),
            delivery_option_id: chosen.map(|o| o.id),
            lines: priced.into_iter().map(|(v, _)| v).collect(),
            items_minor: totals.items_minor,
            shipping_minor: totals.shipping_minor,
            buyer_fee_minor: totals.buyer_fee_minor,
            total_minor: totals.total_minor,
            purchasable: shop_ok,
        });
    }
    let sum = |f: fn(&CartShop) -> i64| cart_shops.iter().map(f).sum::<i64>();
    let view = CartView {
        cart_token: None,
        currency: tenant.currency.clone(),
        items_minor: sum(|s| s.items_minor),
        shipping_minor: sum(|s| s.shipping_minor),
        buyer_fee_minor: sum(|s| s.buyer_fee_minor),
        total_minor: sum(|s| s.total_minor),
        shops: cart_shops,
        purchasable: all_purchasable,
        test_mode,
    };
    Ok(PricedCart {
        plan: all_purchasable.then_some(Plan { shops: plan_shops }),
        view,
    })
}

fn price_line(
    line: &CartLine,
    listing: Option<&Listing>,
    variant: Option<&ListingVariant>,
    shop: Option<&Shop>,
    ready: &[Uuid],
    commissions: &CommissionRule,
) -> (CartLineView, Option<PlanLine>) {
    let unit_price = variant
        .and_then(|v| v.price_minor)
        .or(listing.map(|l| l.price_minor))
        .unwrap_or(line.added_price_minor);
    let available = match (line.variant_id, variant, listing) {
        (Some(_), Some(v), Some(l)) => v.quantity.min(l.quantity),
        (None, _, Some(l)) => l.quantity,
        _ => 0,
    };
    let issue = match (listing, shop) {
        (Some(l), Some(s)) if on_sale(l, s) && (line.variant_id.is_none() || variant.is_some()) => {
            if !ready.contains(&s.id) {
                Some(LineIssue::SellerNotPayable)
            } else if available <= 0 {
                Some(LineIssue::OutOfStock)
            } else if available < line.quantity {
                Some(LineIssue::InsufficientStock)
            } else {
                None
            }
        }
        _ => Some(LineIssue::Unavailable),
    };
    let title = listing.map(|l| l.title.clone()).unwrap_or_default();
    let label = variant.and_then(variant_label);
    let view = CartLineView {
        id: line.id,
        listing_id: line.listing_id,
        variant_id: line.variant_id,
        title: title.clone(),
        variant_label: label.clone(),
        photo_url: listing.and_then(|l| photos_of(&l.photos).into_iter().next().map(|p| p.url)),
        unit_price_minor: unit_price,
        price_changed_from_minor: (line.added_price_minor != unit_price)
            .then_some(line.added_price_minor),
        quantity: line.quantity,
        amount_minor: unit_price * i64::from(line.quantity),
        available_quantity: available.max(0),
        purchasable: issue.is_none(),
        issue,
    };
    let plan = match (issue, listing, shop) {
        (None, Some(l), Some(s)) => Some(PlanLine {
            listing_id: line.listing_id,
            variant_id: line.variant_id,
            title,
            variant_label: label,
            unit_price_minor: unit_price,
            quantity: line.quantity,
            commission_bps: Some(i32::from(
                commissions.rate(s.id, l.category_id).commission.get(),
            )),
        }),
        _ => None,
    };
    (view, plan)
}

/// A cart (or no cart: empty) as priced now.
pub(crate) async fn cart_view(
    tx: &mut TenantTx,
    tenant: &Tenant,
    cart: Option<&Cart>,
    test_mode: bool,
) -> ApiResult<CartView> {
    let lines = match cart {
        Some(c) => Cart::lines(tx, c.id).await?,
        None => Vec::new(),
    };
    Ok(price_cart(tx, tenant, &lines, &HashMap::new(), test_mode)
        .await?
        .view)
}

/// How a request identifies its cart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CartOwner<'a> {
    pub user_id: Option<Uuid>,
    pub guest_token: Option<&'a str>,
}

/// The request's cart. A signed-in buyer presenting a guest token gets the guest cart merged
/// into theirs (the guest cart is then gone). With `create`, a cart is made when there is
/// none, and a new guest token is returned for guests.
pub(crate) async fn resolve_cart(
    tx: &mut TenantTx,
    owner: CartOwner<'_>,
    create: bool,
) -> ApiResult<(Option<Cart>, Option<String>)> {
    let guest = match owner.guest_token {
        Some(t) => Cart::of_guest(tx, &krafto_auth::secret_hash(t)).await?,
        None => None,
    };
    match owner.user_id {
        Some(user) => {
            let mine = match Cart::of_user(tx, user).await? {
                Some(c) => Some(c),
                None if create || guest.is_some() => {
                    Some(Cart::create(tx, Some(user), None).await?)
                }
                None => None,
            };
            if let (Some(g), Some(m)) = (&guest, &mine) {
                Cart::merge(tx, g.id, m.id).await?;
            }
            Ok((mine, None))
        }
        None => match guest {
            Some(g) => Ok((Some(g), None)),
            None if create => {
                let token = krafto_auth::random_token();
                let cart = Cart::create(tx, None, Some(&krafto_auth::secret_hash(&token))).await?;
                Ok((Some(cart), Some(token)))
            }
            None => Ok((None, None)),
        },
    }
}

/// Sets a line's quantity (`Some`) or removes the line (`None`) in the owner's cart, then
/// touches the cart. 404 `cart_line_not_found` when the cart has no such line (or there is
/// no cart). The caller checks the quantity first (`check_quantity`).
pub(crate) async fn change_cart_line(
    tx: &mut TenantTx,
    owner: CartOwner<'_>,
    line: Uuid,
    quantity: Option<i32>,
) -> ApiResult<Cart> {
    let (cart, _) = resolve_cart(tx, owner, false).await?;
    let missing = || {
        ApiError::not_found(
            Code::CartLineNotFound,
            format!("no line {line} in your cart"),
        )
    };
    let cart = cart.ok_or_else(missing)?;
    if let Some(q) = quantity {
        let lines = Cart::lines(tx, cart.id).await?;
        let current = lines.iter().find(|l| l.id == line).ok_or_else(missing)?;
        // Asking for more than before needs the stock for it; fewer is always fine.
        if q > current.quantity {
            let (title, available) = stock_of(tx, current).await?;
            if q > available {
                return Err(ApiError::conflict(
                    Code::InsufficientStock,
                    "quantity",
                    format!("only {available} of “{title}” left"),
                ));
            }
        }
    }
    let found = match quantity {
        Some(q) => Cart::set_quantity(tx, cart.id, line, q).await,
        None => Cart::remove(tx, cart.id, line).await,
    }?;
    if !found {
        return Err(missing());
    }
    Cart::touch(tx, cart.id).await?;
    Ok(cart)
}

/// The title of a cart line's item and how many units of it are on sale now.
async fn stock_of(tx: &mut TenantTx, line: &CartLine) -> ApiResult<(String, i32)> {
    let listing = match Listing::find(tx, line.listing_id).await {
        Ok(l) => l,
        Err(e) if e.is_not_found() => return Ok((String::new(), 0)),
        Err(e) => return Err(e.into()),
    };
    let available = match line.variant_id {
        None => listing.quantity,
        Some(v) => ListingVariant::of_listing(tx, listing.id)
            .await?
            .iter()
            .find(|x| x.id == v)
            .map_or(0, |x| x.quantity.min(listing.quantity)),
    };
    Ok((listing.title, available.max(0)))
}

/// Adds `quantity` of an item to the owner's cart (made if needed; a guest gets a new token,
/// returned with the cart). Refused unless the item is on sale (404), its seller can take
/// payments (409 `seller_not_payable`) and there is enough stock for the cart (409
/// `insufficient_stock`). Shared by the store API and the storefront.
pub(crate) async fn add_to_cart(
    tx: &mut TenantTx,
    owner: CartOwner<'_>,
    listing_id: Uuid,
    variant_id: Option<Uuid>,
    quantity: i32,
) -> ApiResult<(Cart, Option<String>)> {
    check_quantity(quantity)?;
    let gone = || {
        ApiError::not_found(
            Code::ListingNotFound,
            format!("listing {} is not on sale here", listing_id),
        )
    };
    let listing = Listing::find(tx, listing_id)
        .await
        .map_err(|e| if e.is_not_found() { gone() } else { e.into() })?;
    let shop = Shop::find(tx, listing.shop_id).await?;
    if !on_sale(&listing, &shop) {
        return Err(gone());
    }
    let variants = ListingVariant::of_listing(tx, listing.id).await?;
    let (price, available) = match (variant_id, variants.is_empty()) {
        (None, true) => (listing.price_minor, listing.quantity),
        (None, false) => {
            return Err(ApiError::field(FieldError::new(
                "variant_id",
                "this listing has variants: choose one",
            )));
        }
        (Some(v), _) => {
            let variant = variants.iter().find(|x| x.id == v).ok_or_else(|| {
                ApiError::field(FieldError::new(
                    "variant_id",
                    "is not a variant of this listing",
                ))
            })?;
            (
                variant.price_minor.unwrap_or(listing.price_minor),
                variant.quantity.min(listing.quantity),
            )
        }
    };
    if !SellerAccount::of_shop(tx, shop.id)
        .await?
        .is_some_and(|a| a.ready())
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::SellerNotPayable,
            format!(
                "{} cannot take payments yet, so this item cannot be bought for now",
                shop.name
            ),
        ));
    }
    let (cart, token) = resolve_cart(tx, owner, true).await?;
    let cart = cart.ok_or_else(|| ApiError::internal(&"no cart after create"))?;
    let in_cart = Cart::lines(tx, cart.id)
        .await?
        .iter()
        .filter(|l| l.listing_id == listing.id && l.variant_id == variant_id)
        .map(|l| l.quantity)
        .sum::<i32>();
    if in_cart + quantity > available {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::InsufficientStock,
            format!(
                "only {available} of “{}” left (your cart has {in_cart})",
                listing.title
            ),
        ));
    }
    Cart::add(tx, cart.id, listing.id, variant_id, quantity, price).await?;
    Cart::touch(tx, cart.id).await?;
    Ok((cart, token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(line: serde_json::Value) -> Plan {
        let v = json!({ "shops": [{
            "shop_id": Uuid::nil(), "shop_name": "Atelier", "option_id": Uuid::nil(),
            "option_name": "Colissimo", "shipping_minor": 0, "lines": [line]
        }] });
        Plan::parse(&v).ok().unwrap()
    }

    #[test]
    fn a_line_pays_its_frozen_rate_and_an_older_plans_line_the_checkouts() {
        let base = json!({
            "listing_id": Uuid::nil(), "variant_id": null, "title": "Bol",
            "variant_label": null, "unit_price_minor": 1000, "quantity": 2
        });
        let checkout_rate = Bps::new(1200).unwrap();
        // Made before rates were per line: no rate of its own.
        let old = plan(base.clone());
        assert_eq!(old.shops[0].lines[0].commission_bps(1200), 1200);
        let inputs = old.shops[0].line_inputs(checkout_rate).ok().unwrap();
        assert_eq!(inputs[0].commission, checkout_rate);
        assert_eq!(inputs[0].quantity, 2);
        let mut frozen = base;
        frozen["commission_bps"] = json!(800);
        let new = plan(frozen);
        assert_eq!(new.shops[0].lines[0].commission_bps(1200), 800);
        let inputs = new.shops[0].line_inputs(checkout_rate).ok().unwrap();
        assert_eq!(inputs[0].commission, Bps::new(800).unwrap());
    }
}
