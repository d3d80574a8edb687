//! Krafto's pure domain vocabulary: identifiers, validated newtypes, fees, roles and the
//! tenant templates. Everything here is parse-don't-validate: a value of one of these types
//! has already been checked once, at the edge.
//!
//! This crate must never perform I/O and never depend on another Krafto crate. The one
//! exception is [`env::Env::process`], which reads the process environment once at start-up
//! so that both servers and every crate with settings share one reader. The optional
//! `diesel` feature (krafto-db turns it on) only makes the text-backed status enums read and
//! write themselves as `Text`.

pub mod catalog;
pub mod commerce;
pub mod commission;
pub mod country;
pub mod env;
pub mod fees;
pub mod host;
pub mod id;
pub mod image;
pub mod money;
pub mod refund;
pub mod template;
pub mod text;
mod text_enum;

pub use fees::{Bps, Fees};
pub use host::{HostName, normalize_host};
pub use id::TenantId;
pub use money::Money;
pub use template::{FeatureFlags, Template};
pub use text::{Currency, Email, HexColor, Locale, Slug, WebUrl};

use std::fmt;
use text_enum::text_enum;

/// A value that failed to parse, with a human explanation. The HTTP layer attaches the
/// field name with [`Invalid::at`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// Names the field this error is about.
    pub fn at(self, field: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: self.0,
        }
    }
}

/// A validation failure pinned to one input field (dotted path, e.g. `branding.primary_color`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Collects every field error of one request so the caller sees them all at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the error of `result` (if any) under `field` and returns the value.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                self.0.push(e.at(field));
                None
            }
        }
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was recorded, else every recorded error.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// What a user is inside one marketplace. Staff are not users: they live in the control plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Buyer,
    Seller,
    Operator,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Buyer, Role::Seller, Role::Operator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Seller => "seller",
            Role::Operator => "operator",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| Invalid::new(format!("unknown role `{s}` (buyer, seller, operator)")))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

text_enum! {
    /// Whether a marketplace serves traffic.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum TenantStatus("marketplace status") {
        Active = "active",
        Suspended = "suspended",
    }
}

impl TenantStatus {
    /// The single place that decides which status changes are allowed. Setting the status a
    /// tenant already has is refused so that an audit entry always records a real change.
    pub fn transition(self, to: TenantStatus) -> Result<TenantStatus, Invalid> {
        if self == to {
            return Err(Invalid::new(format!(
                "the marketplace is already {}",
                to.as_str()
            )));
        }
        Ok(to)
    }
}

text_enum! {
    /// Where a message of the transactional outbox stands.
    pub enum OutboxStatus("outbox status") {
        /// Waiting for (or being handled by) the worker.
        Pending = "pending",
        /// Delivered.
        Done = "done",
        /// Given up on (the dead letter), kept for an operator to inspect.
        Dead = "dead",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_round_trips_and_refuses_unknown_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("staff").is_err());
    }

    #[test]
    fn tenant_status_refuses_a_no_op_transition() {
        assert_eq!(
            TenantStatus::Active.transition(TenantStatus::Suspended),
            Ok(TenantStatus::Suspended)
        );
        assert!(
            TenantStatus::Active
                .transition(TenantStatus::Active)
                .is_err()
        );
    }

    #[test]
    fn problems_collects_every_field() {
        let mut p = Problems::new();
        assert_eq!(p.check("a", Ok::<_, Invalid>(1)), Some(1));
        assert_eq!(p.check::<i32>("b", Err(Invalid::new("bad"))), None);
        assert_eq!(p.check::<i32>("c", Err(Invalid::new("worse"))), None);
        let errors = p.finish().unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["b", "c"]
        );
    }
}
