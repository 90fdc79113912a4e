//! `de.rs`: the response and error readers, written by the emitter of the protocol's response
//! format.

mod xml;

use proc_macro2::TokenStream;

use super::Ctx;
use crate::protocol::ResponseFormat;

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    match cx.protocol.response() {
        ResponseFormat::Xml => xml::emit(cx),
    }
}
