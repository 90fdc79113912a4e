//! The `unions` snapshot (`codegen/tests/snapshots/unions/`) compiled as a client crate, with the
//! tests generated into it.

#[rustfmt::skip]
#[path = "../../codegen/tests/snapshots/unions/mod.rs"]
mod generated;

codegen_fixtures::client_crate_root!();
