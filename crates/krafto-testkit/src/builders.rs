//! Fixtures for tests that are not about how they come to be: marketplaces, users, shops,
//! listings and paid orders, built the way the app builds them, in a few milliseconds and
//! without the e-mailed-code dance.
//!
//! - A marketplace is provisioned by the control plane's own `POST /control/v1/tenants`
//!   (its provisioning function is private to `tenant_admin`), so it has exactly the
//!   template's categories, fees and flags a provisioned one has.
//! - Users, shops and listings are written through the models inside the marketplace's own
//!   tenant transaction, moved by the `krafto_core` state machines, and users get a session
//!   token minted with the app's keys, as `POST /auth/otp/verify` would hand out.
//! - A paid order goes through the real cart, checkout and test-gateway payment over HTTP:
//!   the checkout use case is private to the platform and is the thing under test elsewhere.
//!
//! Nothing here writes raw SQL, and nothing here is for tests *about* these flows: those
//! drive the HTTP API or the pages, as a person would.

use crate::TestApp;
use chrono::Utc;
use krafto_auth::UserClaims;
use krafto_core::catalog::{ListingEvent, ListingStatus, ShopEvent, ShopStatus};
use krafto_core::{Email, Role, Slug};
use krafto_db::models::{
    AccountReadiness, Category, Listing, ListingFields, MarketplaceSettings, PaymentAccount,
    SellerAccount, ShippingOption, Shop, ShopProfile, Tenant, User,
};
use krafto_db::{Db, DbRole, TenantScope, TenantTx};
use krafto_payments::{AccountHolder, GatewayMode, NewAccount};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A pool acting as the platform does (the `app` role), for the builders' own transactions.
fn app_pool(app: &TestApp) -> Db {
    app.db.pool(DbRole::App, 1)
}

/// The marketplace's row, as the control plane stored it.
async fn load_tenant(db: &Db, id: Uuid) -> Tenant {
    let mut tx = db.control().await.expect("a control transaction");
    let tenant = Tenant::find(&mut tx, id)
        .await
        .expect("the marketplace exists");
    tx.commit().await.expect("commit");
    tenant
}

async fn tenant_tx(db: &Db, tenant: &Tenant) -> TenantTx {
    // A staff path: the builder acts on a marketplace it has loaded.
    db.tenant(&TenantScope::staff(tenant))
        .await
        .expect("a tenant transaction")
}

/// A provisioned marketplace.
#[derive(Debug, Clone)]
pub struct TestMarket {
    pub tenant: Tenant,
    /// The host it answers on: `{slug}.krafto.test`.
    pub host: String,
}

impl TestMarket {
    pub fn id(&self) -> Uuid {
        self.tenant.id
    }

    /// The marketplace's tenant scope, for tests that read its rows through the models.
    pub fn scope(&self) -> TenantScope {
        TenantScope::staff(&self.tenant)
    }
}

/// Provisions a marketplace: `TenantBuilder::new("lyon").build(&app).await`.
#[derive(Debug, Clone)]
pub struct TenantBuilder {
    slug: String,
    name: Option<String>,
    template: String,
    currency: Option<String>,
    locale: Option<String>,
    fees: serde_json::Map<String, Value>,
    features: BTreeMap<String, bool>,
    tagline: Option<String>,
    shop_review: Option<bool>,
    listing_review: Option<bool>,
    suspended: Option<String>,
}

impl TenantBuilder {
    /// A handmade marketplace named `Market {slug}` with the template's defaults.
    pub fn new(slug: &str) -> Self {
        Self {
            slug: slug.to_owned(),
            name: None,
            template: "handmade".to_owned(),
            currency: None,
            locale: None,
            fees: serde_json::Map::new(),
            features: BTreeMap::new(),
            tagline: None,
            shop_review: None,
            listing_review: None,
            suspended: None,
        }
    }

    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// `handmade`, `farm` or `b2b`.
    pub fn template(mut self, template: &str) -> Self {
        self.template = template.to_owned();
        self
    }

    pub fn currency(mut self, currency: &str) -> Self {
        self.currency = Some(currency.to_owned());
        self
    }

    pub fn locale(mut self, locale: &str) -> Self {
        self.locale = Some(locale.to_owned());
        self
    }

    pub fn tagline(mut self, tagline: &str) -> Self {
        self.tagline = Some(tagline.to_owned());
        self
    }

    /// The seller commission and Krafto's fee out of it (basis points), and the minimum
    /// order.
    pub fn fees(mut self, commission_bps: i64, platform_fee_bps: i64, minimum_minor: i64) -> Self {
        self.fees
            .insert("seller_commission_bps".to_owned(), json!(commission_bps));
        self.fees
            .insert("platform_fee_bps".to_owned(), json!(platform_fee_bps));
        self.fees
            .insert("minimum_order_minor".to_owned(), json!(minimum_minor));
        self
    }

    /// The fee charged to buyers on top of item prices (basis points).
    pub fn buyer_fee_bps(mut self, bps: i64) -> Self {
        self.fees.insert("buyer_fee_bps".to_owned(), json!(bps));
        self
    }

    /// Overrides one of the template's feature flags.
    pub fn feature(mut self, name: &str, on: bool) -> Self {
        self.features.insert(name.to_owned(), on);
        self
    }

    /// Whether the operator reviews shops before they go live (the default says yes).
    pub fn shop_review(mut self, required: bool) -> Self {
        self.shop_review = Some(required);
        self
    }

    /// Whether the operator reviews listings before they go live (the default says no).
    pub fn listing_review(mut self, required: bool) -> Self {
        self.listing_review = Some(required);
        self
    }

    /// Suspends the marketplace once provisioned (through the control plane, with this
    /// reason).
    pub fn suspended(mut self, reason: &str) -> Self {
        self.suspended = Some(reason.to_owned());
        self
    }

    pub async fn build(self, app: &TestApp) -> TestMarket {
        let mut body = json!({
            "slug": self.slug,
            "name": self.name.clone().unwrap_or_else(|| format!("Market {}", self.slug)),
            "template": self.template,
            "features": self.features,
        });
        if let Some(c) = &self.currency {
            body["currency"] = json!(c);
        }
        if let Some(l) = &self.locale {
            body["locale"] = json!(l);
        }
        if let Some(t) = &self.tagline {
            body["branding"] = json!({ "tagline": t });
        }
        if !self.fees.is_empty() {
            body["fees"] = Value::Object(self.fees.clone());
        }
        let created = app.create_tenant_with(body).await;
        let id: Uuid = created["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("the created marketplace's id");
        if let Some(reason) = &self.suspended {
            let r = app
                .control(
                    Method::PATCH,
                    &format!("/tenants/{id}"),
                    Some(json!({ "status": "suspended", "suspended_reason": reason })),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "suspend: {}", r.text);
        }
        let db = app_pool(app);
        let tenant = load_tenant(&db, id).await;
        if self.shop_review.is_some() || self.listing_review.is_some() {
            let mut tx = tenant_tx(&db, &tenant).await;
            let mut settings = MarketplaceSettings::get(&mut tx).await.expect("settings");
            if let Some(v) = self.shop_review {
                settings.shop_review_required = v;
            }
            if let Some(v) = self.listing_review {
                settings.listing_review_required = v;
            }
            settings.updated_at = Utc::now();
            MarketplaceSettings::save(&mut tx, &settings)
                .await
                .expect("save the settings");
            tx.commit().await.expect("commit");
        }
        TestMarket {
            host: TestApp::host(&tenant.slug),
            tenant,
        }
    }
}

/// A user of a marketplace with a session token minted by the app's keys.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub user: User,
    /// A bearer token (or `krafto_session` cookie value) for the marketplace's host.
    pub token: String,
}

impl TestUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }

    fn signed_in(app: &TestApp, user: User) -> Self {
        let role = Role::parse(&user.role).expect("a stored role");
        let (token, _) = app
            .keys
            .mint_user(
                UserClaims {
                    tenant_id: user.tenant_id,
                    user_id: user.id,
                    role,
                },
                Utc::now(),
            )
            .expect("a session token");
        Self { user, token }
    }
}

/// A signed-in user: `UserBuilder::new(&lyon, "ana@example.com").seller().build(&app)`.
#[derive(Debug, Clone)]
pub struct UserBuilder<'a> {
    market: &'a TestMarket,
    email: String,
    role: Role,
}

impl<'a> UserBuilder<'a> {
    /// A buyer, as a first sign-in makes one.
    pub fn new(market: &'a TestMarket, email: &str) -> Self {
        Self {
            market,
            email: email.to_owned(),
            role: Role::Buyer,
        }
    }

    pub fn role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    pub fn buyer(self) -> Self {
        self.role(Role::Buyer)
    }

    /// A seller (with no shop yet: see [`ShopBuilder`]).
    pub fn seller(self) -> Self {
        self.role(Role::Seller)
    }

    pub fn operator(self) -> Self {
        self.role(Role::Operator)
    }

    pub async fn build(self, app: &TestApp) -> TestUser {
        let email = Email::parse(&self.email).expect("a valid e-mail address");
        let db = app_pool(app);
        let mut tx = tenant_tx(&db, &self.market.tenant).await;
        let user = match self.role {
            Role::Operator => {
                User::make_operator(&mut tx, email.as_str(), None)
                    .await
                    .expect("make an operator")
                    .0
            }
            Role::Buyer | Role::Seller => {
                let (user, _) = User::sign_in(&mut tx, email.as_str())
                    .await
                    .expect("create the account");
                if self.role == Role::Seller {
                    User::become_seller(&mut tx, user.id)
                        .await
                        .expect("make a seller")
                } else {
                    user
                }
            }
        };
        let signed_in = TestUser::signed_in(app, user);
        // Remembered as the user's session, as sign-in does, so removing them ends it.
        let revocation_id = app.keys.revocation_id(&signed_in.token).expect("a token");
        krafto_db::models::UserSession::record(
            &mut tx,
            &revocation_id,
            signed_in.user.id,
            Utc::now() + krafto_auth::USER_TOKEN_TTL,
        )
        .await
        .expect("record the session");
        tx.commit().await.expect("commit");
        signed_in
    }
}

/// A shop, its owner (signed in as a seller) and its payout account when it has one.
#[derive(Debug, Clone)]
pub struct TestShop {
    pub shop: Shop,
    pub owner: TestUser,
    pub market: TestMarket,
    /// The seller's (test-mode) connected account, ready to be paid.
    pub account_id: Option<String>,
}

impl TestShop {
    pub fn id(&self) -> Uuid {
        self.shop.id
    }

    /// The owner's session token.
    pub fn token(&self) -> &str {
        &self.owner.token
    }
}

/// The complete profile a shop gets unless told otherwise: enough to submit, in Lyon.
fn default_profile(name: &str) -> ShopProfile {
    ShopProfile {
        name: name.to_owned(),
        story: Some("We turn clay into bowls in a small workshop by the Saône.".to_owned()),
        city: Some("Lyon".to_owned()),
        region: Some("Auvergne-Rhône-Alpes".to_owned()),
        country: Some("FR".to_owned()),
        latitude: Some(45.764),
        longitude: Some(4.8357),
        profile_image_url: Some("https://img.example/p.jpg".to_owned()),
        banner_url: None,
        social_links: json!({ "instagram": "https://instagram.com/atelier" }),
        return_policy: Some("Returns within 14 days.".to_owned()),
        processing_days_min: Some(1),
        processing_days_max: Some(3),
        languages: vec!["fr".to_owned(), "en".to_owned()],
    }
}

/// A shop: `ShopBuilder::new(&lyon, "Atelier Terre").shipping(500, 0).build(&app)`. By
/// default it is live, has a complete profile in Lyon, a payout account that completed
/// test-mode onboarding and one delivery option (`Colissimo`, 4.90 + 1.00 per item).
#[derive(Debug, Clone)]
pub struct ShopBuilder<'a> {
    market: &'a TestMarket,
    owner: Option<&'a TestUser>,
    owner_email: Option<String>,
    slug: Option<String>,
    profile: ShopProfile,
    status: ShopStatus,
    payable: bool,
    shipping: Option<(i64, i64)>,
}

impl<'a> ShopBuilder<'a> {
    pub fn new(market: &'a TestMarket, name: &str) -> Self {
        Self {
            market,
            owner: None,
            owner_email: None,
            slug: None,
            profile: default_profile(name),
            status: ShopStatus::Active,
            payable: true,
            shipping: Some((490, 100)),
        }
    }

    /// The shop's owner (made a seller, as opening a shop does); by default a new user.
    pub fn owner(mut self, owner: &'a TestUser) -> Self {
        self.owner = Some(owner);
        self
    }

    /// A new owner with this address (default: `{slug}@sellers.example`).
    pub fn owner_email(mut self, email: &str) -> Self {
        self.owner_email = Some(email.to_owned());
        self
    }

    /// Default: derived from the name, as opening a shop does.
    pub fn slug(mut self, slug: &str) -> Self {
        self.slug = Some(slug.to_owned());
        self
    }

    /// Replaces the whole profile (its name included).
    pub fn profile(mut self, profile: ShopProfile) -> Self {
        self.profile = profile;
        self
    }

    /// Where the shop is.
    pub fn located(mut self, city: &str, country: &str, latitude: f64, longitude: f64) -> Self {
        self.profile.city = Some(city.to_owned());
        self.profile.region = None;
        self.profile.country = Some(country.to_owned());
        self.profile.latitude = Some(latitude);
        self.profile.longitude = Some(longitude);
        self
    }

    /// `Active` (the default), `Draft`, `PendingReview` or `Suspended`.
    pub fn status(mut self, status: ShopStatus) -> Self {
        self.status = status;
        self
    }

    pub fn draft(self) -> Self {
        self.status(ShopStatus::Draft)
    }

    /// Whether the seller completed payout onboarding (default yes).
    pub fn payable(mut self, payable: bool) -> Self {
        self.payable = payable;
        self
    }

    /// One delivery option, `Colissimo`, costing `base_minor` + `per_item_minor` per unit.
    pub fn shipping(mut self, base_minor: i64, per_item_minor: i64) -> Self {
        self.shipping = Some((base_minor, per_item_minor));
        self
    }

    /// No delivery option: buyers cannot check out.
    pub fn no_shipping(mut self) -> Self {
        self.shipping = None;
        self
    }

    pub async fn build(self, app: &TestApp) -> TestShop {
        let slug = match &self.slug {
            Some(s) => s.clone(),
            None => Slug::from_name(&self.profile.name)
                .expect("a shop name that makes a slug")
                .to_string(),
        };
        let owner = match self.owner {
            Some(o) => o.clone(),
            None => {
                let email = self
                    .owner_email
                    .clone()
                    .unwrap_or_else(|| format!("{slug}@sellers.example"));
                UserBuilder::new(self.market, &email).build(app).await
            }
        };
        let tenant = &self.market.tenant;
        let db = app_pool(app);
        let mut tx = tenant_tx(&db, tenant).await;
        let shop = Shop::create(&mut tx, owner.id(), &slug, &self.profile)
            .await
            .expect("create the shop");
        let owner_row = User::become_seller(&mut tx, owner.id())
            .await
            .expect("make the owner a seller");
        // Live the way a submission makes it live when no review is required.
        let status = match self.status {
            ShopStatus::Active => ShopStatus::Draft
                .transition(ShopEvent::Submit {
                    review_required: false,
                })
                .expect("a draft shop may go live"),
            other => other,
        };
        let shop = if status == ShopStatus::Draft {
            shop
        } else {
            Shop::set_status(&mut tx, shop.id, status, None)
                .await
                .expect("set the shop's status")
        };
        let account_id = if self.payable {
            Some(payable_account(app, &mut tx, &shop, &owner_row.email).await)
        } else {
            None
        };
        if let Some((base_minor, per_item_minor)) = self.shipping {
            ShippingOption::replace(
                &mut tx,
                shop.id,
                &[ShippingOption {
                    tenant_id: tenant.id,
                    id: Uuid::now_v7(),
                    shop_id: shop.id,
                    name: "Colissimo".to_owned(),
                    base_minor,
                    per_item_minor,
                    days_min: 2,
                    days_max: 4,
                    position: 0,
                }],
            )
            .await
            .expect("set the delivery option");
        }
        tx.commit().await.expect("commit");
        TestShop {
            shop,
            owner: TestUser::signed_in(app, owner_row),
            market: self.market.clone(),
            account_id,
        }
    }
}

/// The seller's account, created by the app's (test) gateway with the key the platform's
/// onboarding uses, and recorded as the test onboarding page leaves it: ready.
async fn payable_account(app: &TestApp, tx: &mut TenantTx, shop: &Shop, email: &str) -> String {
    let gateway = app
        .settings
        .payments
        .gateway()
        .expect("the payment gateway");
    assert_eq!(
        gateway.mode(),
        GatewayMode::Test,
        "ShopBuilder makes payable shops in test mode only"
    );
    let tenant_id = tx.tenant_id().get();
    let created = gateway
        .create_account(&NewAccount {
            holder: AccountHolder::Seller,
            country: shop.country.clone(),
            email: Some(email.to_owned()),
            metadata: BTreeMap::from([
                ("tenant_id".to_owned(), tenant_id.to_string()),
                ("shop_id".to_owned(), shop.id.to_string()),
            ]),
            idempotency_key: format!("seller-account:{tenant_id}:{}", shop.id),
        })
        .await
        .expect("a test account");
    SellerAccount::create(
        tx,
        shop.id,
        &created.id,
        &AccountReadiness {
            charges_enabled: true,
            payouts_enabled: true,
            details_submitted: true,
            requirements: Vec::new(),
        },
    )
    .await
    .expect("record the seller account");
    PaymentAccount::register(tx, &created.id, "seller")
        .await
        .expect("route the account");
    created.id
}

/// A listing: `ListingBuilder::new(&shop, "Blue bowl").price(2400).build(&app)`. By default
/// it is live (published with no review: `active`, or `out_of_stock` with no stock), 25.00,
/// 3 in stock, with a description, a tag, a material and one photo.
#[derive(Debug, Clone)]
pub struct ListingBuilder<'a> {
    shop: &'a TestShop,
    fields: ListingFields,
    category: Option<String>,
    live: bool,
}

impl<'a> ListingBuilder<'a> {
    pub fn new(shop: &'a TestShop, title: &str) -> Self {
        Self {
            shop,
            fields: ListingFields {
                title: title.to_owned(),
                description: "Made by hand, one at a time.".to_owned(),
                price_minor: 2500,
                quantity: 3,
                tags: vec!["handmade".to_owned()],
                materials: vec!["stoneware".to_owned()],
                photos: json!([{ "url": "https://img.example/1.jpg", "alt": title }]),
                ..ListingFields::default()
            },
            category: None,
            live: true,
        }
    }

    /// The price in minor units.
    pub fn price(mut self, minor: i64) -> Self {
        self.fields.price_minor = minor;
        self
    }

    pub fn stock(mut self, quantity: i32) -> Self {
        self.fields.quantity = quantity;
        self
    }

    pub fn description(mut self, text: &str) -> Self {
        self.fields.description = text.to_owned();
        self
    }

    pub fn tags(mut self, tags: &[&str]) -> Self {
        self.fields.tags = tags.iter().map(|t| (*t).to_owned()).collect();
        self
    }

    pub fn materials(mut self, materials: &[&str]) -> Self {
        self.fields.materials = materials.iter().map(|m| (*m).to_owned()).collect();
        self
    }

    pub fn style(mut self, style: &str) -> Self {
        self.fields.style = Some(style.to_owned());
        self
    }

    /// One photo at `url` (alt text: the title), replacing the default.
    pub fn photo(mut self, url: &str) -> Self {
        self.fields.photos = json!([{ "url": url, "alt": self.fields.title }]);
        self
    }

    /// The marketplace's category with this slug (from its template's tree).
    pub fn category(mut self, slug: &str) -> Self {
        self.category = Some(slug.to_owned());
        self
    }

    /// Any other field.
    pub fn fields(mut self, edit: impl FnOnce(&mut ListingFields)) -> Self {
        edit(&mut self.fields);
        self
    }

    /// Left a draft instead of published.
    pub fn draft(mut self) -> Self {
        self.live = false;
        self
    }

    pub async fn build(mut self, app: &TestApp) -> Listing {
        let tenant = &self.shop.market.tenant;
        let db = app_pool(app);
        let mut tx = tenant_tx(&db, tenant).await;
        if let Some(slug) = &self.category {
            let all = Category::all(&mut tx).await.expect("the category tree");
            let found = all
                .iter()
                .find(|c| &c.slug == slug)
                .unwrap_or_else(|| panic!("no category `{slug}` in {}", tenant.slug));
            self.fields.category_id = Some(found.id);
        }
        let listing = Listing::create(&mut tx, self.shop.id(), &tenant.currency, &self.fields)
            .await
            .expect("create the listing");
        let listing = if self.live {
            let to = ListingStatus::Draft
                .transition(ListingEvent::Publish {
                    review_required: false,
                    in_stock: listing.quantity > 0,
                })
                .expect("a draft may be published");
            Listing::set_status(&mut tx, listing.id, to, None)
                .await
                .expect("publish the listing")
        } else {
            listing
        };
        tx.commit().await.expect("commit");
        listing
    }
}

/// Paid orders, as the checkout answered once the test payment succeeded.
#[derive(Debug, Clone)]
pub struct TestOrder {
    /// The checkout as `POST /store/checkout/{id}/test-payment` answered (`status: paid`).
    pub checkout: Value,
    /// One order number per shop, in the checkout's order.
    pub numbers: Vec<String>,
}

impl TestOrder {
    /// The first (or only) order's number.
    pub fn number(&self) -> &str {
        &self.numbers[0]
    }
}

/// A paid order from a cart of listings, through the real cart, checkout and test-gateway
/// payment over HTTP: `OrderBuilder::new(&lyon).line(&bowl, 2).build(&app)`. A guest
/// (Ada Lovelace, `ada@example.com`) buys unless a buyer is given.
#[derive(Debug, Clone)]
pub struct OrderBuilder<'a> {
    market: &'a TestMarket,
    buyer: Option<&'a TestUser>,
    lines: Vec<(Uuid, i64)>,
    idempotency_key: String,
}

impl<'a> OrderBuilder<'a> {
    pub fn new(market: &'a TestMarket) -> Self {
        Self {
            market,
            buyer: None,
            lines: Vec::new(),
            idempotency_key: format!("builder-{}", Uuid::new_v4().simple()),
        }
    }

    /// A signed-in buyer (their account's e-mail is the order's).
    pub fn buyer(mut self, buyer: &'a TestUser) -> Self {
        self.buyer = Some(buyer);
        self
    }

    pub fn line(mut self, listing: &Listing, quantity: i64) -> Self {
        self.lines.push((listing.id, quantity));
        self
    }

    pub async fn build(self, app: &TestApp) -> TestOrder {
        assert!(!self.lines.is_empty(), "an order needs at least one line");
        let host = self.market.host.as_str();
        let token = self.buyer.map(|b| b.token.as_str());
        let mut cart: Option<String> = None;
        for (listing, quantity) in &self.lines {
            let mut headers = Vec::new();
            if let Some(c) = &cart {
                headers.push(("x-cart-token", c.as_str()));
            }
            let r = app
                .store_with(
                    Method::POST,
                    host,
                    "/api/v1/store/cart/lines",
                    token,
                    &headers,
                    Some(json!({ "listing_id": listing, "quantity": quantity })),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "add to cart: {}", r.text);
            if let Some(t) = r.body["cart_token"].as_str() {
                cart = Some(t.to_owned());
            }
        }
        let address = json!({ "name": "Ada Lovelace", "line1": "3 rue Mercière", "postal_code": "69002", "city": "Lyon", "country": "fr" });
        let body = match self.buyer {
            Some(_) => json!({ "address": address }),
            None => {
                json!({ "email": "ada@example.com", "phone": "+33 6 12 34 56 78", "address": address })
            }
        };
        let mut headers = vec![("idempotency-key", self.idempotency_key.as_str())];
        if let Some(c) = &cart {
            headers.push(("x-cart-token", c.as_str()));
        }
        let co = app
            .store_with(
                Method::POST,
                host,
                "/api/v1/store/checkout",
                token,
                &headers,
                Some(body),
            )
            .await;
        assert_eq!(co.status, StatusCode::CREATED, "checkout: {}", co.text);
        let id = co.body["id"].as_str().expect("the checkout's id");
        let paid = app
            .store(
                Method::POST,
                host,
                &format!("/api/v1/store/checkout/{id}/test-payment"),
                None,
                Some(json!({ "client_secret": co.body["payment"]["client_secret"], "outcome": "succeed" })),
            )
            .await;
        assert_eq!(paid.status, StatusCode::OK, "test payment: {}", paid.text);
        assert_eq!(paid.body["status"], "paid", "{}", paid.text);
        let numbers = paid.body["orders"]
            .as_array()
            .expect("the paid checkout's orders")
            .iter()
            .map(|o| o["number"].as_str().expect("an order number").to_owned())
            .collect();
        TestOrder {
            checkout: paid.body,
            numbers,
        }
    }
}
