//! The `protocol_cases` snapshot (`codegen/tests/snapshots/protocol_cases/`) compiled as a client crate, with the
//! tests generated into it.

#[rustfmt::skip]
#[path = "../../codegen/tests/snapshots/protocol_cases/mod.rs"]
mod generated;

codegen_fixtures::client_crate_root!();
