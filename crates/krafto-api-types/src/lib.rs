//! krafto-api-types
