//! A refund's whole story in a real Chromium on a 390 px phone, in French: a guest asks for
//! one unit back from their order's link, the seller declines with a reason, the guest asks
//! again, the operator accepts in the console, and the guest's page shows the refund. Every
//! page on the way is checked for English and machinery, and for sideways scrolling at 390
//! and 1280 px (screenshots in `screenshots/`).
//!
//! The forms' refusals are `refund_pages.rs`, over HTTP.

use crate::browser::capture;
use crate::catalog::LYON;
use crate::refund_pages::bought;
use crate::tour::assert_speaks_french;
use krafto_testkit::{Browser, TestApp};

const PHONE: (u32, u32) = (390, 844);

/// The text of `css` as a person reads it (WebDriver gives French no-break spaces as spaces).
async fn read(b: &Browser, css: &str) -> String {
    b.text(css).await.replace('\u{a0}', " ")
}

/// Unfolds the buyer's refund form (a `<details>`), clicking its summary until it is open:
/// a click reported as failed may still have toggled it.
async fn unfold_ask_form(b: &Browser) {
    for _ in 0..5 {
        let open = b.prop("#ask-refund-box", "open").await;
        if open == true {
            return;
        }
        b.click("#ask-refund-box summary").await;
    }
    panic!("the refund form does not unfold");
}

/// Opens `path` on a phone and checks it speaks French with no machinery.
async fn on_phone(app: &TestApp, b: &Browser, path: &str) {
    b.set_size(PHONE.0, PHONE.1).await;
    b.goto(&app.storefront_url(LYON, path)).await;
    b.wait_for("main").await;
    assert_speaks_french(path, &b.page_text().await);
}

/// The page as it is now, checked and photographed; ends back on the phone.
async fn looked_at(b: &Browser, name: &str) {
    assert_speaks_french(name, &b.page_text().await);
    capture(b, "refunds", name).await;
    b.set_size(PHONE.0, PHONE.1).await;
}

#[tokio::test]
async fn a_guest_asks_the_seller_declines_the_guest_asks_again_and_the_operator_refunds() {
    let app = TestApp::spawn().await;
    let b = bought(&app).await;

    // The guest asks for one of the two bowls back, from the e-mailed link.
    let guest = Browser::for_app(&app).await;
    on_phone(&app, &guest, &b.page).await;
    assert!(read(&guest, "#money-status").await.contains("Payée"));
    looked_at(&guest, "buyer-order").await;
    unfold_ask_form(&guest).await;
    guest.select("#refund-qty-0", "1").await;
    guest
        .fill("#refund-reason", "Un des bols est arrivé fêlé.")
        .await;
    guest
        .click_and_load("form#ask-refund button[type=submit]")
        .await;
    guest.wait_for("#flash").await;
    assert!(
        read(&guest, "#request-list")
            .await
            .contains("En attente de réponse")
    );
    assert!(
        read(&guest, "ol.timeline")
            .await
            .contains("Demande de remboursement — Un des bols est arrivé fêlé.")
    );
    looked_at(&guest, "buyer-asked").await;

    // The seller sees it among their orders and declines it, saying why.
    let seller = Browser::for_app(&app).await;
    seller
        .sign_in(&app, LYON, &b.shop.owner.user.email, "/sell/orders")
        .await;
    on_phone(&app, &seller, "/sell/orders").await;
    assert!(
        read(&seller, "#refund-requests")
            .await
            .contains("Un des bols est arrivé fêlé.")
    );
    looked_at(&seller, "seller-orders").await;
    seller.click_and_load("#refund-requests a").await;
    seller
        .wait_for_path(&format!("/sell/orders/{}", b.number))
        .await;
    seller.wait_for("form.decline-request").await;
    looked_at(&seller, "seller-order").await;
    seller
        .fill(
            "#decline-reason-0",
            "Envoyez-nous une photo du bol, s’il vous plaît.",
        )
        .await;
    seller
        .click_and_load("form.decline-request button[type=submit]")
        .await;
    seller.wait_for("#flash").await;
    assert!(
        read(&seller, "#request-list")
            .await
            .contains("Refusée par le vendeur")
    );
    looked_at(&seller, "seller-declined").await;

    // The guest reads the answer and asks again.
    on_phone(&app, &guest, &b.page).await;
    let timeline = read(&guest, "ol.timeline").await;
    assert!(
        timeline.contains("Demande refusée : Envoyez-nous une photo du bol, s’il vous plaît."),
        "{timeline}"
    );
    unfold_ask_form(&guest).await;
    guest.select("#refund-qty-0", "1").await;
    guest
        .fill(
            "#refund-reason",
            "La photo est jointe à l’e-mail : fêlure sur le bord.",
        )
        .await;
    guest
        .click_and_load("form#ask-refund button[type=submit]")
        .await;
    guest.wait_for("#flash").await;

    // The operator finds it in the console's refunds and accepts it.
    let op = Browser::for_app(&app).await;
    op.sign_in(&app, LYON, "op@lyon.example", "/admin").await;
    on_phone(&app, &op, "/admin").await;
    assert!(
        op.is_present("#refunds-todo").await,
        "a to-do on the dashboard"
    );
    op.click_and_load("#refunds-todo a").await;
    op.wait_for_path("/admin/refunds").await;
    let listed = read(&op, "#open-requests").await;
    assert!(listed.contains(&b.number), "{listed}");
    assert!(listed.contains("Atelier Terre"), "{listed}");
    assert!(listed.contains("fêlure sur le bord"), "{listed}");
    looked_at(&op, "admin-refunds").await;
    op.click_and_load("#open-requests a").await;
    op.wait_for_path(&format!("/admin/orders/{}", b.number))
        .await;
    looked_at(&op, "admin-order").await;
    op.click_and_load("form.accept-request button[type=submit]")
        .await;
    op.wait_for("#flash").await;
    assert!(
        read(&op, "#request-list")
            .await
            .contains("Acceptée par la place de marché")
    );
    looked_at(&op, "admin-accepted").await;
    app.drain_outbox().await;

    // The guest's page shows the refund, done.
    on_phone(&app, &guest, &b.page).await;
    assert_eq!(
        read(&guest, "#money-status").await,
        "Paiement : Remboursée en partie — 30,00 € remboursés"
    );
    let refund = read(&guest, "#refund-list").await;
    assert!(refund.contains("30,00 €"), "{refund}");
    assert!(refund.contains("effectué"), "{refund}");
    assert!(refund.contains("Bol en grès × 1"), "{refund}");
    assert!(
        read(&guest, "ul.lines").await.contains("1 remboursé"),
        "the line says what was refunded"
    );
    assert!(
        read(&guest, "ol.timeline")
            .await
            .contains("Remboursement de 30,00 € — La photo est jointe")
    );
    looked_at(&guest, "buyer-refunded").await;

    // The seller's payouts say what the refund took back from their earnings.
    on_phone(&app, &seller, "/sell/payouts").await;
    let taken = read(&seller, "#refunds-taken").await;
    assert!(
        taken.contains(&format!("Commande {}", b.number))
            && taken.contains("30,00 € remboursés à l’acheteur par la place de marché")
            && taken.contains("repris sur vos gains — effectué"),
        "{taken}"
    );
    looked_at(&seller, "seller-payouts").await;
    for b in [guest, seller, op] {
        b.close().await;
    }
}
