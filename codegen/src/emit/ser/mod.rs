//! `ser.rs`: the request serializers, written by the emitter of the protocol's body format.

mod query;

use proc_macro2::TokenStream;

use super::Ctx;
use crate::protocol::BodyFormat;

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    match cx.protocol.body() {
        BodyFormat::Form(_) => query::emit(cx),
    }
}
