//! Every status column is a text-backed enum of krafto-core: each value must come back from
//! its text unchanged, and a text the enum does not know must be an error that names it (a
//! row with such a status fails to load rather than turning into some other status). The
//! e2e test `every_status_enum_matches_its_check_constraint` checks the same values against
//! the database.

use krafto_core::catalog::{ListingStatus, ReportStatus, ShopStatus, VerificationStatus};
use krafto_core::commerce::{CheckoutStatus, OrderStatus, SettlementStatus};
use krafto_core::{Invalid, OutboxStatus, TenantStatus};
use std::fmt::{Debug, Display};

fn round_trips<E>(all: &[E], unknown: &str)
where
    E: Copy + PartialEq + Debug + Display + TryFrom<String, Error = Invalid> + Into<String>,
{
    for &v in all {
        let text: String = v.into();
        assert_eq!(v.to_string(), text, "{v:?} displays as its stored text");
        assert!(
            !text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{v:?} is stored as `{text}`, not a lowercase snake_case word"
        );
        assert_eq!(E::try_from(text), Ok(v));
    }
    let texts: std::collections::BTreeSet<String> = all.iter().map(|&v| v.into()).collect();
    assert_eq!(texts.len(), all.len(), "two values share a text: {all:?}");
    let err = E::try_from(unknown.to_owned()).expect_err("an unknown text is refused");
    assert!(
        err.to_string().contains(&format!("`{unknown}`")),
        "the error names the unknown text: {err}"
    );
}

#[test]
fn every_status_round_trips_through_its_text_and_unknown_texts_are_refused() {
    round_trips(&ListingStatus::ALL, "sold");
    round_trips(&ShopStatus::ALL, "closed");
    round_trips(&VerificationStatus::ALL, "pending");
    round_trips(&ReportStatus::ALL, "closed");
    round_trips(&OrderStatus::ALL, "lost");
    round_trips(&CheckoutStatus::ALL, "expired");
    round_trips(&SettlementStatus::ALL, "done");
    round_trips(&OutboxStatus::ALL, "failed");
    round_trips(&TenantStatus::ALL, "deleted");
    // Case and spacing are not forgiven: the column holds exactly the text.
    round_trips(&OrderStatus::ALL, "Placed");
    round_trips(&CheckoutStatus::ALL, "awaiting payment");
}
