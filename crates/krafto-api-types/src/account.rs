//! Objects of a buyer's own account (`/store/me`): their profile, their address book and the
//! erasure of their data.

use crate::Text;
use poem_openapi::Object;
use uuid::Uuid;

/// What the signed-in user tells about themselves.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AccountProfile {
    pub email: String,
    pub display_name: Option<String>,
    /// Prefills checkout; sellers see it on the orders it is given for.
    pub phone: Option<String>,
    /// `buyer`, `seller` or `operator`.
    pub role: String,
}

/// The profile as it should be (an absent or empty field clears it).
#[derive(Debug, Clone, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ProfileInput {
    /// At most 120 characters.
    pub display_name: Option<Text>,
    /// Digits, spaces and `+ - ( ) .`, 5 to 32 characters.
    pub phone: Option<Text>,
}

/// A delivery address to save.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AddressInput {
    /// Who receives the parcel.
    pub name: Text,
    pub line1: Text,
    pub line2: Option<Text>,
    pub postal_code: Text,
    pub city: Text,
    pub region: Option<Text>,
    /// ISO 3166-1 alpha-2, one of the delivery countries (European).
    pub country: Text,
    /// Makes it the address checkout proposes first (the first address saved is the default
    /// anyway).
    #[oai(default)]
    pub is_default: bool,
}

/// A saved delivery address.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AddressView {
    pub id: Uuid,
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: String,
    pub city: String,
    pub region: Option<String>,
    pub country: String,
    pub is_default: bool,
}

/// The confirmation that erases an account's personal data.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DeleteAccount {
    /// The account's e-mail address, typed again.
    pub confirm_email: Text,
}
