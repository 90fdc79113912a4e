//! The hand-written runtime that generated code calls into.
//!
//! Everything under `runtime/` is ordinary, reviewed Rust with its own unit tests. The code under
//! `generated/` is thin typed glue produced by `cargo xtask codegen`; all protocol logic (query
//! writing, XML reading, signing, endpoint rules, retries, error parsing) lives here.

pub mod client;
pub mod compression;
pub mod config;
pub mod credentials;
pub mod endpoint;
pub mod error;
pub mod host_prefix;
pub mod idempotency;
pub(crate) mod macros;
pub mod paginator;
#[cfg(test)]
// Support for generated protocol tests (`--protocol-tests`); compiled for tests only.
#[cfg(test)]
pub mod protocol_test;
pub mod query;
pub mod redact;
pub mod retry;
pub mod sign;
pub mod time;
pub mod validate;
pub mod waiter;
pub mod xml;
