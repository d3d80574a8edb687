use super::*;

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
