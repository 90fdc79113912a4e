//! `ser.rs`: the request serializers, written by the emitter of the protocol's body format, and
//! per operation `build_<op>`, the call into the runtime's protocol module that frames the body
//! into a request.

mod query;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::ir::Operation;
use crate::protocol::{BodyFormat, Framing};

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let bodies = match cx.protocol.body() {
        BodyFormat::Form(_) => query::emit(cx),
    };
    let builds = cx.svc.operations.iter().map(|op| build_fn(cx, op));
    quote! {
        #bodies
        #(#builds)*
    }
}

/// `build_<op>`: the operation's input as a request, by the runtime's protocol module.
fn build_fn(cx: &Ctx, op: &Operation) -> TokenStream {
    let name = ident(&op.names.build_fn);
    let input = cx.rust_type(&op.input);
    let wire = &op.wire_name;
    let body = match cx.protocol.framing() {
        Framing::AwsQuery => quote! {
            crate::runtime::protocol::aws_query::write_request(#wire, service.api_version, input)
        },
        Framing::Ec2Query => quote! {
            crate::runtime::protocol::ec2_query::write_request(#wire, service.api_version, input)
        },
    };
    quote! {
        pub(crate) fn #name(
            input: &#input,
            service: &crate::runtime::send::ServiceSpec,
        ) -> Result<crate::runtime::send::RequestParts, crate::runtime::validate::Violation> {
            #body
        }
    }
}
