//! One module per table; persistence lives on the model types.

mod audit;
mod category;
mod commerce;
mod domain;
mod listing;
mod otp;
mod outbox;
mod shop;
mod staff;
mod tenant;
mod user;

pub use audit::{Actor, AuditEntry, NewAuditEntry};
pub use category::{Category, CategoryChanges, NewCategory};
pub use commerce::{
    AccountReadiness, Balance, Cart, CartLine, Checkout, LedgerEntry, NewCheckout, Order,
    OrderEventRow, OrderLine, OrderScope, PaymentAccount, Refund, SellerAccount, ShippingOption,
    Stock, Transfer, WebhookEvent,
};
pub use domain::TenantDomain;
pub use listing::{Listing, ListingFields, ListingVariant, MarketplaceSettings, Report};
pub use otp::OneTimeCode;
pub use outbox::OutboxMessage;
pub use shop::{Shop, ShopProfile, ShopVerification};
pub use staff::Staff;
pub use tenant::{NewTenant, Tenant, TenantChanges, TenantFilter};
pub use user::User;
