//! End-to-end tests: both servers against a real Postgres (and Redis where the behaviour
//! needs it), one fresh database per test.

mod control;
mod isolation;
mod openapi;
mod platform;
mod redis;
mod schema;
