//! `de.rs`: the response and error readers, written by the emitter of the protocol's response
//! format, and per operation `parse_<op>`, the call into the runtime's protocol module that
//! takes the response apart and hands the bodies to those readers.

mod json;
mod xml;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::ir::Operation;
use crate::protocol::{Framing, ResponseFormat};

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let readers = match cx.protocol.response() {
        ResponseFormat::Xml => xml::emit(cx),
        ResponseFormat::Json => json::emit(cx),
    };
    let parses = cx.svc.operations.iter().map(|op| parse_fn(cx, op));
    quote! {
        #readers
        #(#parses)*
    }
}

/// `parse_<op>`: a response as the operation's output or error, by the runtime's protocol
/// module.
fn parse_fn(cx: &Ctx, op: &Operation) -> TokenStream {
    let name = ident(&op.names.parse_fn);
    let module = ident(&op.fn_name);
    let output = ident(&op.names.output);
    let error = ident(&op.names.error);
    let wire = &op.wire_name;
    let empty = op.output_is_empty;
    let body = match cx.protocol.framing() {
        Framing::AwsQuery => {
            let read = if empty {
                quote!(crate::runtime::xml::empty_output)
            } else {
                let f = cx.de_fn(&op.output);
                quote!(#f)
            };
            quote! {
                crate::runtime::protocol::aws_query::read_response(
                    response, limits, #wire, #empty, #read,
                    crate::operation::#module::#error::parse_error,
                )
            }
        }
        Framing::AwsJson(version) => {
            let spec = super::ser::json_spec(cx, version);
            quote! {
                crate::runtime::protocol::aws_json::read_response(
                    response, limits, #spec,
                    crate::operation::#module::#error::parse_error,
                )
            }
        }
        Framing::Ec2Query => {
            let read = if empty {
                quote!(crate::runtime::xml::empty_output)
            } else {
                let f = cx.de_fn(&op.output);
                quote!(#f)
            };
            quote! {
                crate::runtime::protocol::ec2_query::read_response(
                    response, limits, #wire, #empty, #read,
                    crate::operation::#module::#error::parse_error,
                )
            }
        }
    };
    quote! {
        pub(crate) fn #name(
            response: &crate::runtime::protocol::Response<'_>,
            limits: crate::runtime::protocol::Limits,
        ) -> crate::runtime::protocol::Parsed<crate::operation::#module::#output, crate::operation::#module::#error> {
            #body
        }
    }
}
