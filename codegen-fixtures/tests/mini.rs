//! The `mini` snapshot (`codegen/tests/snapshots/mini/`) compiled as a client crate, with the
//! tests generated into it.

#[rustfmt::skip]
#[path = "../../codegen/tests/snapshots/mini/mod.rs"]
mod generated;

codegen_fixtures::client_crate_root!();
