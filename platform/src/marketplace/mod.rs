//! The marketplace itself as its operators run it: its categories, its catalog rules, its
//! commission overrides, its branding and its audit log. Called by the operator API and the
//! operator console alike.

pub(crate) mod audit;
pub(crate) mod branding;
pub(crate) mod categories;
pub(crate) mod commissions;
pub(crate) mod legal;
pub(crate) mod settings;
