//! End-to-end tests: both servers against a real Postgres (and Redis where the behaviour
//! needs it), one fresh database per test.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail loudly, like the tests that call them"
)]

mod admin_console;
mod architecture;
mod browser;
mod browser_refunds;
mod buyer;
mod catalog;
mod commerce;
mod commissions;
mod conformance;
mod console;
mod control;
mod control_stripe;
mod demo;
mod disputes;
mod errors;
mod hardening_access;
mod hardening_limits;
mod hardening_web;
mod isolation;
mod jobs;
mod media;
mod openapi;
mod payments;
mod payout_history;
mod payouts;
mod platform;
mod rate_limits;
mod reconcile;
mod redis;
mod refund_pages;
mod refunds;
mod schema;
mod search;
mod seller_dashboard;
mod statuses;
mod storefront;
mod tour;
