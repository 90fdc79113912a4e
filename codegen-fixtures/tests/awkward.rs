//! The `awkward` snapshot (`codegen/tests/snapshots/awkward/`) compiled as a client crate, with the
//! tests generated into it.

#[rustfmt::skip]
#[path = "../../codegen/tests/snapshots/awkward/mod.rs"]
mod generated;

codegen_fixtures::client_crate_root!();
