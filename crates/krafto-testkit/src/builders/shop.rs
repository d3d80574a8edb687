use super::*;

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
