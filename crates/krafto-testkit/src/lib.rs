//! krafto-testkit
