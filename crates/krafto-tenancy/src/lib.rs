//! krafto-tenancy
