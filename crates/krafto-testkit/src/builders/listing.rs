use super::*;

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
