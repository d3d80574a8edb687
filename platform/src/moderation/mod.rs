//! Moderation: operators' decisions on what sellers put on the marketplace (shops, listings,
//! seller verifications) and on what people report. Called by the operator API and the
//! operator console alike.

pub(crate) mod reports;
pub(crate) mod review;

/// How many items of each kind a moderation queue holds at most.
const QUEUE_LIMIT: i64 = 200;
