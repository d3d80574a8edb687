use super::*;

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
