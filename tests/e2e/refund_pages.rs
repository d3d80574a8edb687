//! The refund pages over HTTP, as a browser without JavaScript sends their forms: the
//! buyer's order page (ask, withdraw), the seller's order page and orders list (decline,
//! accept, refund lines), the console's order page and `/admin/refunds` (requests and
//! debts), the dashboard's to-do and the seller's payouts page in words. A refused form says
//! why on the form, in the page's language, and changes nothing.
//!
//! The whole story in a real browser at 390 px is `browser_refunds.rs`.

use crate::catalog::LYON;
use crate::commerce::count;
use crate::refunds::{paid_order, stripe_market};
use krafto_payments::PaymentSettings;
use krafto_payments::testing::StripeDouble;
use krafto_testkit::builders::{
    ListingBuilder, OrderBuilder, ShopBuilder, TenantBuilder, TestMarket, TestShop, TestUser,
    UserBuilder,
};
use krafto_testkit::{Reply, TestApp, WebSession};
use reqwest::{Method, StatusCode};

/// French punctuation's no-break space, as the pages print it.
const NB: char = '\u{a0}';

/// A French marketplace with an operator, a shop selling a bowl (30 €) and a cup (12 €), and
/// a guest's paid order of two bowls and one cup (delivery 5 €), with the link the guest was
/// e-mailed.
pub(crate) struct Bought {
    pub market: TestMarket,
    pub operator: TestUser,
    pub shop: TestShop,
    pub number: String,
    /// The guest's order page: `/orders/{number}?token=…`.
    pub page: String,
    pub token: String,
}

pub(crate) async fn bought(app: &TestApp) -> Bought {
    let market = TenantBuilder::new("lyon")
        .name("Lyon Makers")
        .locale("fr-FR")
        .build(app)
        .await;
    let operator = UserBuilder::new(&market, "op@lyon.example")
        .operator()
        .build(app)
        .await;
    let shop = ShopBuilder::new(&market, "Atelier Terre")
        .shipping(500, 0)
        .build(app)
        .await;
    let bowl = ListingBuilder::new(&shop, "Bol en grès")
        .price(3000)
        .stock(10)
        .build(app)
        .await;
    let cup = ListingBuilder::new(&shop, "Tasse bleue")
        .price(1200)
        .stock(10)
        .build(app)
        .await;
    let number = another_order(app, &market, &[(&bowl, 2), (&cup, 1)]).await;
    let token = order_token(app, &number);
    Bought {
        page: format!("/orders/{number}?token={token}"),
        market,
        operator,
        shop,
        number,
        token,
    }
}

/// Another paid guest order of the marketplace; its number.
pub(crate) async fn another_order(
    app: &TestApp,
    market: &TestMarket,
    lines: &[(&krafto_db::models::Listing, i64)],
) -> String {
    let mut order = OrderBuilder::new(market);
    for (listing, quantity) in lines {
        order = order.line(listing, *quantity);
    }
    let number = order.build(app).await.number().to_owned();
    app.drain_outbox().await;
    number
}

/// The token of an order's link, from the confirmation e-mail.
pub(crate) fn order_token(app: &TestApp, number: &str) -> String {
    let mail = app
        .mails()
        .into_iter()
        .find(|m| m.contains(&format!("/orders/{number}?token=")))
        .unwrap_or_else(|| panic!("the confirmation e-mail of {number}"));
    mail.split(&format!("/orders/{number}?token="))
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// The form name of the select with `id` (`qty-<line>`).
fn select_name(html: &str, id: &str) -> String {
    html.split(&format!(r#"<select id="{id}" name=""#))
        .nth(1)
        .unwrap_or_else(|| panic!("no select #{id} in:\n{html}"))
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// The action of the first form whose action contains `part`.
fn form_action(html: &str, part: &str) -> String {
    html.split(r#"action=""#)
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().replace("&amp;", "&"))
        .find(|a| a.contains(part))
        .unwrap_or_else(|| panic!("no form posting to …{part}… in:\n{html}"))
}

fn assert_redirected(r: &Reply, to: &str) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert!(
        r.location().starts_with(to),
        "went to {}, not {to}",
        r.location()
    );
}

async fn requests(app: &TestApp) -> i64 {
    count(app, "SELECT count(*) AS n FROM refund_requests").await
}

async fn refunds(app: &TestApp) -> i64 {
    count(app, "SELECT count(*) AS n FROM refunds").await
}

#[tokio::test]
async fn a_buyer_is_told_on_the_form_what_is_missing_then_asks_and_withdraws() {
    let app = TestApp::spawn().await;
    let b = bought(&app).await;
    let mut guest = WebSession::storefront(&app, LYON, None);
    let page = guest.get(&b.page).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(
        page.text
            .contains(&format!("Paiement{NB}: <strong>Payée</strong>")),
        "{}",
        page.text
    );
    assert!(page.text.contains("Demander un remboursement"));
    let bowl = select_name(&page.text, "refund-qty-0");
    let cup = select_name(&page.text, "refund-qty-1");
    // Up to what was bought: two bowls, one cup.
    assert!(
        page.text
            .contains(r#"<option value="2">2</option></select>"#)
    );
    assert!(page.text.contains("2 achetés"), "{}", page.text);
    let ask = form_action(&page.text, "/refund-requests");
    assert_eq!(
        ask,
        format!("/orders/{}/refund-requests?token={}", b.number, b.token)
    );

    // No reason: the reason box says so, what was chosen stays chosen, nothing is asked.
    let r = guest
        .post(
            &ask,
            &[(bowl.as_str(), "1"), (cup.as_str(), "0"), ("reason", "  ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains(&format!(
            r#"<span id="refund-reason-error" class="error">dites ce qui ne va pas{NB}: le vendeur le lira</span>"#
        )),
        "{}",
        r.text
    );
    assert!(
        r.text.contains(r#"<option value="1" selected>1</option>"#),
        "the quantity chosen stays: {}",
        r.text
    );
    // Nothing chosen: said above the form, with the reason kept.
    let r = guest
        .post(
            &ask,
            &[
                (bowl.as_str(), "0"),
                (cup.as_str(), "0"),
                ("reason", "Fêlé"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let said = r
        .text
        .split(r#"id="ask-error">"#)
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(said, "Choisissez une quantité pour au moins un article.");
    assert!(r.text.contains(">Fêlé</textarea>"), "{}", r.text);
    for bad in ["lines", "qty-", "_"] {
        assert!(!said.contains(bad), "no machinery: {said}");
    }
    // Without the order's link, the order does not exist.
    let r = guest
        .post(
            &format!("/orders/{}/refund-requests?token=nope", b.number),
            &[(bowl.as_str(), "1"), ("reason", "Fêlé")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(requests(&app).await, 0, "nothing was asked");

    // Asked: back on the page, which confirms it and lists it as waiting.
    let r = guest
        .post(&ask, &[(bowl.as_str(), "1"), ("reason", "Un bol est fêlé")])
        .await;
    assert_redirected(
        &r,
        &format!("/orders/{}?token={}&done=requested", b.number, b.token),
    );
    let page = guest.get(r.location()).await;
    assert!(
        page.text
            .contains("Votre demande est envoyée au vendeur. Vous recevrez sa réponse"),
        "{}",
        page.text
    );
    let list = page.text.split(r#"id="request-list""#).nth(1).unwrap();
    assert!(list.contains("Bol en grès × 1"), "{list}");
    assert!(list.contains("Un bol est fêlé"));
    assert!(list.contains("En attente de réponse"));
    assert!(
        page.text
            .contains("Demande de remboursement — Un bol est fêlé"),
        "the timeline says it: {}",
        page.text
    );
    // One open request per line: the bowl is no longer offered, the cup still is.
    assert!(!page.text.contains(&format!(r#"name="{bowl}""#)));
    assert!(page.text.contains(&format!(r#"name="{cup}""#)));
    assert_eq!(requests(&app).await, 1);

    // Withdrawn.
    let withdraw = form_action(&page.text, "/withdraw");
    let r = guest.post(&withdraw, &[]).await;
    assert_redirected(
        &r,
        &format!("/orders/{}?token={}&done=withdrawn", b.number, b.token),
    );
    let page = guest.get(r.location()).await;
    assert!(page.text.contains("Votre demande est retirée."));
    assert!(page.text.contains("Retirée"));
    assert!(
        page.text.contains(&format!(r#"name="{bowl}""#)),
        "the bowl is offered again"
    );
    // Withdrawing it again is refused in words, on the page.
    let r = guest.post(&withdraw, &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains(r#"id="withdraw-error""#), "{}", r.text);
}

#[tokio::test]
async fn a_seller_declines_with_a_reason_and_refunds_lines_from_the_order_page() {
    let app = TestApp::spawn().await;
    let b = bought(&app).await;
    let mut guest = WebSession::storefront(&app, LYON, None);
    let page = guest.get(&b.page).await;
    let bowl = select_name(&page.text, "refund-qty-0");
    let cup = select_name(&page.text, "refund-qty-1");
    let ask = form_action(&page.text, "/refund-requests");
    let r = guest
        .post(
            &ask,
            &[
                (bowl.as_str(), "2"),
                ("reason", "Les deux bols sont ébréchés"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    let mut seller = WebSession::storefront(&app, LYON, Some(b.shop.token()));
    // The orders list flags the order and lists the request.
    let list = seller.get("/sell/orders").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let asked = list.text.split(r#"id="refund-requests""#).nth(1).unwrap();
    assert!(asked.contains(&format!(r#"href="/sell/orders/{}#refunds""#, b.number)));
    assert!(
        asked.contains("Bol en grès × 2 — Les deux bols sont ébréchés"),
        "{asked}"
    );
    assert!(
        list.text
            .contains(r#"<span class="badge refund-asked">Remboursement demandé</span>"#)
    );

    let order = format!("/sell/orders/{}", b.number);
    let page = seller.get(&order).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let decline = form_action(&page.text, "/decline");
    // Declining needs a reason: the request's own box says so, and it stays open.
    let r = seller.post(&decline, &[("reason", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text.contains(&format!(
            r#"<span id="decline-reason-0-error" class="error">dites pourquoi{NB}: l’acheteur en est informé</span>"#
        )),
        "{}",
        r.text
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM refund_requests WHERE status = 'open'"
        )
        .await,
        1
    );
    let r = seller
        .post(
            &decline,
            &[("reason", "Envoyez une photo, s’il vous plaît")],
        )
        .await;
    assert_redirected(&r, &format!("{order}?done=declined"));
    let page = seller.get(r.location()).await;
    assert!(
        page.text.contains(&format!(
            "La demande est refusée{NB}; l’acheteur reçoit votre motif par e-mail."
        )),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(&format!(
            "Refusée par le vendeur{NB}: Envoyez une photo, s’il vous plaît"
        )),
        "{}",
        page.text
    );
    // Deciding it again is refused on its row, in words.
    let r = seller.post(&decline, &[("reason", "Encore")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert!(r.text.contains(r#"id="decide-error-0""#), "{}", r.text);
    // The buyer reads the answer, in the list and in the timeline.
    let mine = guest.get(&b.page).await;
    assert!(
        mine.text.contains(&format!(
            "Demande refusée{NB}: Envoyez une photo, s’il vous plaît"
        )),
        "{}",
        mine.text
    );

    // The seller's own refund: a quantity is needed, and a reason; nothing is refunded.
    let refund = form_action(&page.text, "/refunds");
    assert_eq!(refund, format!("{order}/refunds"));
    let r = seller
        .post(
            &refund,
            &[(bowl.as_str(), "0"), (cup.as_str(), "0"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text
            .contains("Choisissez une quantité pour au moins un article."),
        "{}",
        r.text
    );
    assert!(r.text.contains(r#"id="refund-reason-error""#));
    let r = seller
        .post(&refund, &[(bowl.as_str(), "3"), ("reason", "Trop")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(
        r.text
            .contains("Il reste 2 unité(s) à rembourser sur la ligne 1, pas 3."),
        "the domain's refusal in words: {}",
        r.text
    );
    assert_eq!(refunds(&app).await, 0);
    let r = seller
        .post(
            &refund,
            &[(cup.as_str(), "1"), ("reason", "Tasse manquante")],
        )
        .await;
    assert_redirected(&r, &format!("{order}?done=refunded"));
    app.drain_outbox().await;
    let page = seller.get(r.location()).await;
    assert!(
        page.text.contains("Le remboursement est fait"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(&format!(
            "Paiement{NB}: <strong>Remboursée en partie — 12,00{NB}€ remboursés</strong>"
        )),
        "{}",
        page.text
    );
    let refunds_list = page.text.split(r#"id="refund-list""#).nth(1).unwrap();
    assert!(refunds_list.contains("Tasse manquante"), "{refunds_list}");
    assert!(refunds_list.contains("effectué"), "{refunds_list}");
    assert!(refunds_list.contains("par le vendeur"), "{refunds_list}");
    assert!(
        refunds_list.contains("repris sur vos gains"),
        "{refunds_list}"
    );
    assert!(
        !refunds_list.contains("place de marché :"),
        "the marketplace's part is the operator's business"
    );
    // The cup is refunded: no longer offered.
    assert!(!page.text.contains(&format!(r#"name="{cup}""#)));
    assert!(
        page.text.contains("Remboursement de 12,00"),
        "timeline: {}",
        page.text
    );
}

#[tokio::test]
async fn the_console_lists_open_requests_oldest_first_accepts_and_refunds_lines_with_delivery() {
    let app = TestApp::spawn().await;
    let b = bought(&app).await;
    let other_shop = ShopBuilder::new(&b.market, "Fil d’Or")
        .shipping(400, 0)
        .build(&app)
        .await;
    let ring = ListingBuilder::new(&other_shop, "Bague")
        .price(5500)
        .stock(3)
        .build(&app)
        .await;
    let second = another_order(&app, &b.market, &[(&ring, 1)]).await;
    let mut op = WebSession::storefront(&app, LYON, Some(&b.operator.token));
    let empty = op.get("/admin/refunds").await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text);
    assert!(empty.text.contains("Aucune demande en attente."));
    assert!(empty.text.contains("Personne ne doit rien."));
    let dash = op.get("/admin").await;
    assert!(
        !dash.text.contains(r#"id="refunds-todo""#),
        "no to-do without requests"
    );
    assert!(
        dash.text
            .contains(r#"href="/admin/refunds">Remboursements</a>"#),
        "in the console's navigation"
    );

    // Two guests ask, the first order first.
    for (number, reason) in [(&b.number, "Bol fêlé"), (&second, "Bague trop petite")] {
        let mut guest = WebSession::storefront(&app, LYON, None);
        let page = guest
            .get(&format!(
                "/orders/{number}?token={}",
                order_token(&app, number)
            ))
            .await;
        let line = select_name(&page.text, "refund-qty-0");
        let r = guest
            .post(
                &form_action(&page.text, "/refund-requests"),
                &[(line.as_str(), "1"), ("reason", reason)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    }
    let dash = op.get("/admin").await;
    assert!(
        dash.text.contains(
            r#"<strong data-count="refund-requests">2</strong> demandes de remboursement en attente de réponse"#
        ),
        "{}",
        dash.text
    );
    let list = op.get("/admin/refunds").await;
    let table = list
        .text
        .split(r#"id="open-requests""#)
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let first = table.find(&b.number).unwrap();
    let then = table.find(&second).unwrap();
    assert!(first < then, "oldest first: {table}");
    for words in [
        "Atelier Terre",
        "Fil d’Or",
        "Bol fêlé",
        "Bague trop petite",
        "depuis aujourd’hui",
    ] {
        assert!(table.contains(words), "{words}: {table}");
    }
    assert!(table.contains(&format!(r#"href="/admin/orders/{second}#refunds""#)));

    // The operator accepts the second from its order page.
    let order = format!("/admin/orders/{second}");
    let page = op.get(&order).await;
    let r = op.post(&form_action(&page.text, "/accept"), &[]).await;
    assert_redirected(&r, &format!("{order}?done=accepted"));
    app.drain_outbox().await;
    let page = op.get(r.location()).await;
    assert!(
        page.text
            .contains("La demande est acceptée et le remboursement fait"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains("Acceptée par la place de marché"),
        "{}",
        page.text
    );
    let split = page.text.split(r#"class="refund-part">"#).nth(1).unwrap();
    assert!(
        split.starts_with("Repris au vendeur") && split.contains("rendu par Krafto"),
        "{split}"
    );

    // Lines of the first order with the delivery: no reason, nothing refunded.
    let order = format!("/admin/orders/{}", b.number);
    let page = op.get(&order).await;
    assert!(
        page.text.contains("Rembourser aussi la livraison (5,00"),
        "{}",
        page.text
    );
    let cup = select_name(&page.text, "refund-qty-1");
    let refund = form_action(&page.text, "/refunds");
    let before = refunds(&app).await;
    let r = op
        .post(
            &refund,
            &[(cup.as_str(), "1"), ("with_shipping", "on"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains(r#"id="lines-reason-error""#), "{}", r.text);
    assert!(
        r.text
            .contains(r#"name="with_shipping" value="on" checked"#),
        "the box stays ticked"
    );
    assert_eq!(refunds(&app).await, before);
    let r = op
        .post(
            &refund,
            &[
                (cup.as_str(), "1"),
                ("with_shipping", "on"),
                ("reason", "Colis abîmé"),
            ],
        )
        .await;
    assert_redirected(&r, &format!("{order}?done=lines-refunded"));
    let page = op.get(r.location()).await;
    // 12 € for the cup and 5 € of delivery.
    assert!(
        page.text.contains("Remboursement de 17,00"),
        "{}",
        page.text
    );
    assert!(page.text.contains("livraison de 5,00"), "{}", page.text);
    assert!(
        !page.text.contains("Rembourser aussi la livraison"),
        "the delivery is given back already"
    );
    // The first request is still open, and listed.
    let list = op.get("/admin/refunds").await;
    assert!(list.text.contains("Bol fêlé"));
    assert!(!list.text.contains("Bague trop petite"));

    // Only operators.
    let (buyer, _) = app.sign_in(LYON, "bob@example.com").await;
    let r = WebSession::storefront(&app, LYON, Some(&buyer))
        .get("/admin/refunds")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = WebSession::storefront(&app, LYON, Some(&buyer))
        .post(&refund, &[(cup.as_str(), "1"), ("reason", "x")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn what_a_seller_owes_after_a_refund_is_said_on_the_payouts_page_and_in_the_console() {
    let stripe = StripeDouble::start().await;
    let app = TestApp::spawn_with(crate::payments::with_webhooks(PaymentSettings {
        stripe: Some(stripe.config(StripeDouble::SECRET_KEY)),
        ..PaymentSettings::default()
    }))
    .await;
    let sm = stripe_market(&app, &stripe).await;
    let listing = crate::catalog::live_listing(
        &app,
        LYON,
        &sm.seller,
        crate::catalog::listing_body("Bol", 3000),
    )
    .await;
    let number = paid_order(&app, &sm, &listing, 2, "pay-1").await;
    // The seller was paid out to their bank: nothing left to take back from.
    stripe.set_balance(&sm.account, 0);
    let mut op = WebSession::storefront(&app, LYON, Some(&sm.market.operator));
    op.get("/language/fr").await;
    let order = format!("/admin/orders/{number}");
    let page = op.get(&order).await;
    let bowl = select_name(&page.text, "refund-qty-0");
    let r = op
        .post(
            &form_action(&page.text, "/refunds"),
            &[(bowl.as_str(), "1"), ("reason", "Arrivé cassé")],
        )
        .await;
    assert_redirected(&r, &format!("{order}?done=lines-refunded"));
    app.drain_outbox().await;
    let debts = app
        .store(
            Method::GET,
            LYON,
            "/api/v1/seller/payouts/debts",
            Some(&sm.seller),
            None,
        )
        .await;
    let owed = debts.body["items"][0]["amount_minor"].as_i64().unwrap();
    let owed = krafto_i18n::Locale::Fr.money(&krafto_core::Money::of(owed, "EUR"));

    let mut seller = WebSession::storefront(&app, LYON, Some(&sm.seller));
    seller.get("/language/fr").await;
    let payouts = seller.get("/sell/payouts").await;
    assert_eq!(payouts.status, StatusCode::OK, "{}", payouts.text);
    let block = payouts.text.split(r#"id="taken-back""#).nth(1).unwrap();
    assert!(
        block.contains(&format!(
            "Vous devez {owed} à la suite d’un remboursement sur la commande {number}{NB}; cette somme sera déduite de votre prochain virement."
        )),
        "{block}"
    );
    assert!(
        block.contains(&format!("Commande {number}")) && block.contains("Arrivé cassé"),
        "{block}"
    );
    assert!(block.contains(r#"id="negative-balance""#), "{block}");
    crate::tour::assert_speaks_french("payouts", &krafto_testkit::visible_text(&payouts.text));

    let console = op.get("/admin/refunds").await;
    let table = console.text.split(r#"id="debts""#).nth(1).unwrap();
    assert!(table.contains("Atelier"), "who owes, by name: {table}");
    assert!(table.contains(&owed), "{table}");
    assert!(table.contains(&format!(r#"href="/admin/orders/{number}#refunds""#)));
    assert!(table.contains("en cours de recouvrement"), "{table}");
    assert!(!table.contains("seller:"), "no account names: {table}");
}

#[tokio::test]
async fn a_signed_in_buyer_asks_from_their_account_without_the_link() {
    let app = TestApp::spawn().await;
    let market = TenantBuilder::new("lyon").locale("fr-FR").build(&app).await;
    let buyer = UserBuilder::new(&market, "grace@example.com")
        .buyer()
        .build(&app)
        .await;
    let shop = ShopBuilder::new(&market, "Atelier").build(&app).await;
    let vase = ListingBuilder::new(&shop, "Vase")
        .price(4500)
        .build(&app)
        .await;
    let number = OrderBuilder::new(&market)
        .buyer(&buyer)
        .line(&vase, 1)
        .build(&app)
        .await
        .number()
        .to_owned();
    let mut session = WebSession::storefront(&app, LYON, Some(&buyer.token));
    let page = session.get(&format!("/orders/{number}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let ask = form_action(&page.text, "/refund-requests");
    assert_eq!(
        ask,
        format!("/orders/{number}/refund-requests"),
        "no link token needed"
    );
    let vase_line = select_name(&page.text, "refund-qty-0");
    let r = session
        .post(
            &ask,
            &[
                (vase_line.as_str(), "1"),
                ("reason", "Pas la bonne couleur"),
            ],
        )
        .await;
    assert_redirected(&r, &format!("/orders/{number}?done=requested"));
    assert_eq!(requests(&app).await, 1);
    // Someone else signed in cannot ask on it.
    let (other, _) = app.sign_in(LYON, "bob@example.com").await;
    let r = WebSession::storefront(&app, LYON, Some(&other))
        .post(&ask, &[(vase_line.as_str(), "1"), ("reason", "x")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(requests(&app).await, 1);
}
