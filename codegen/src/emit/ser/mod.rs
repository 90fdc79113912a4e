//! `ser.rs`: the request serializers, written by the emitter of the protocol's body format, and
//! per operation `build_<op>`, the call into the runtime's protocol module that frames the body
//! into a request.

mod json;
mod query;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::ir::{HostLabel, HostSegment, Operation};
use crate::protocol::{BodyFormat, Framing};

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let bodies = match cx.protocol.body() {
        BodyFormat::Form(_) => query::emit(cx),
        BodyFormat::Json => json::emit(cx),
    };
    let builds = cx.svc.operations.iter().map(|op| build_fn(cx, op));
    let glue = cx.svc.operations.iter().map(|op| operation_glue(cx, op));
    quote! {
        #bodies
        #(#builds)*
        #(#glue)*
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
        Framing::AwsJson(version) => {
            let spec = json_spec(cx, version);
            let target = crate::protocol::aws_json::target(cx.svc, op);
            quote! {
                let _ = service;
                crate::runtime::protocol::aws_json::write_request(#spec, #target, input)
            }
        }
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

/// The runtime's `aws_json::Spec` of the service.
pub(super) fn json_spec(cx: &Ctx, version: crate::protocol::JsonVersion) -> TokenStream {
    let v = match version {
        crate::protocol::JsonVersion::V1_0 => quote!(V1_0),
        crate::protocol::JsonVersion::V1_1 => quote!(V1_1),
    };
    let query_compatible = crate::protocol::aws_json::query_compatible(cx.svc);
    quote! {
        crate::runtime::protocol::aws_json::Spec {
            version: crate::runtime::protocol::aws_json::Version::#v,
            query_compatible: #query_compatible,
        }
    }
}

/// Per-operation glue the runtime's `Operation` points at: the host prefix of
/// `@endpoint(hostPrefix)` and the filling of unset `@idempotencyToken` members.
fn operation_glue(cx: &Ctx, op: &Operation) -> TokenStream {
    let ty = cx.rust_type(&op.input);
    let st = cx.svc.structure(&op.input);
    let host = op.host_prefix.as_ref().map(|prefix| {
        let name = ident(&op.names.host_prefix_fn);
        let segments = prefix.segments.iter().map(|seg| match seg {
            HostSegment::Literal(text) => quote!(Literal(#text)),
            HostSegment::Label(HostLabel {
                wire_name,
                rust_name,
            }) => {
                let f = ident(rust_name);
                quote!(Label(#wire_name, v.#f.as_deref()))
            }
        });
        let uses_input = prefix
            .segments
            .iter()
            .any(|s| matches!(s, HostSegment::Label(_)));
        let v = if uses_input { quote!(v) } else { quote!(_v) };
        quote! {
            pub(crate) fn #name(#v: &#ty) -> Result<String, crate::runtime::validate::Violation> {
                use crate::runtime::host_prefix::Segment::*;
                crate::runtime::host_prefix::expand(&[#(#segments),*])
            }
        }
    });
    let fill = (!op.idempotency_members.is_empty()).then(|| {
        let name = ident(&op.names.fill_idempotency_fn);
        let fills = st.members.iter().filter(|m| m.idempotency_token).map(|m| {
            let f = ident(&m.rust_name);
            quote! {
                if v.#f.is_none() {
                    v.#f = Some(token());
                }
            }
        });
        quote! {
            pub(crate) fn #name(v: &mut #ty, token: &dyn Fn() -> String) {
                #(#fills)*
            }
        }
    });
    quote!(#host #fill)
}
