//! One module per table; persistence lives on the model types.

mod account;
mod address;
mod audit;
mod cart;
mod category;
mod checkout;
mod commission;
mod dispute;
mod domain;
mod ledger;
mod legal;
mod listing;
mod order;
mod otp;
mod outbox;
mod payment_account;
mod photo;
mod pickup;
mod reconciliation;
mod refund;
mod seller_account;
mod seller_payout;
mod session;
mod shipping;
mod shop;
mod staff;
mod stock;
mod tenant;
mod transfer;
mod user;
mod webhook;

pub use account::Profile;
pub use address::{AddressFields, BuyerAddress};
pub use audit::{Actor, AuditEntry, NewAuditEntry};
pub use cart::{Cart, CartLine};
pub use category::{Category, CategoryChanges, NewCategory, names_in};
pub use checkout::{Checkout, NewCheckout};
pub use commission::{CommissionOverride, CommissionTarget};
pub use dispute::{Dispute, DisputeShare, DisputeState, PaymentRoute};
pub use domain::TenantDomain;
pub use ledger::{Balance, LedgerEntry};
pub use legal::{LegalKind, LegalPage};
pub use listing::{Listing, ListingFields, ListingVariant, MarketplaceSettings, Report};
pub use order::{Order, OrderEventRow, OrderLine, OrderScope};
pub use otp::{OneTimeCode, OtpAddressRequest};
pub use outbox::OutboxMessage;
pub use payment_account::PaymentAccount;
pub use photo::{ListingPhoto, NewListingPhoto};
pub use pickup::PickupPlace;
pub use reconciliation::{
    LedgerMismatch, ReconciliationDifference, ReconciliationRun, RecordedMovement,
    ledger_mismatches, recorded_movements,
};
pub use refund::{
    Debt, Decision, Refund, RefundLine, RefundRecord, RefundRequest, RefundRequestLine,
    TransferReversal,
};
pub use seller_account::{AccountReadiness, SellerAccount};
pub use seller_payout::{PayoutMovementRow, SellerPayout};
pub use session::{RevokedToken, StaffSession, UserSession};
pub use shipping::ShippingOption;
pub use shop::{Shop, ShopImage, ShopProfile, ShopVerification};
pub use staff::Staff;
pub use stock::Stock;
pub use tenant::{NewTenant, Tenant, TenantChanges, TenantFilter};
pub use transfer::{HeldTransfer, MarketplaceSweep, OwedShare, Transfer};
pub use user::User;
pub use webhook::WebhookEvent;
