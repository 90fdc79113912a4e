//! `ser.rs`: the request serializers, written by the emitter of the protocol's body format, and
//! per operation `build_<op>`, the call into the runtime's protocol module that frames the body
//! into a request, and `endpoint_params_<op>` for an operation that sets endpoint parameters.

mod json;
mod query;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::endpoints::cases::ParamValue;
use crate::ir::{FieldStep, HostLabel, HostSegment, Leaf, Operation, ParamRead};
use crate::protocol::{BodyFormat, Framing};

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let bodies = match cx.protocol.body() {
        BodyFormat::Form(_) => query::emit(cx),
        BodyFormat::Json => json::emit(cx),
    };
    let builds = cx.svc.operations.iter().map(|op| build_fn(cx, op));
    let glue = cx.svc.operations.iter().map(|op| operation_glue(cx, op));
    let endpoint_params = cx
        .svc
        .operations
        .iter()
        .map(|op| endpoint_params_fn(cx, op));
    quote! {
        #bodies
        #(#builds)*
        #(#glue)*
        #(#endpoint_params)*
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

/// `endpoint_params_<op>`: the endpoint rule parameters of an operation with
/// `staticContextParams`, `contextParam` members or `operationContextParams` (their paths
/// compiled by `ir`'s [`plan`](crate::ir::ContextParams::plan); an operation whose paths it
/// cannot read was left out). Nothing for the others.
fn endpoint_params_fn(cx: &Ctx, op: &Operation) -> TokenStream {
    if op.context_params.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&op.names.endpoint_params_fn);
    let input = cx.rust_type(&op.input);
    let fixed = op.context_params.fixed.iter().map(|(param, value)| {
        let value = match value {
            ParamValue::String(s) => quote!(ParamValue::String(#s.to_owned())),
            ParamValue::Bool(b) => quote!(ParamValue::Bool(#b)),
            ParamValue::StringArray(items) => {
                quote!(ParamValue::StringArray(vec![#(#items.to_owned()),*]))
            }
        };
        quote!(p.named.insert(#param.to_owned(), #value);)
    });
    let plan = match op.context_params.plan(cx.svc, &op.input) {
        Ok(plan) => plan,
        // `protocol::leave_out_unsendable` left the operation out.
        Err(_) => return TokenStream::new(),
    };
    let from_input: Vec<TokenStream> = plan
        .iter()
        .map(|ip| {
            let param = &ip.param;
            let reach = chain(quote!(v), &ip.via);
            let value = match &ip.read {
                ParamRead::Scalar(Leaf::Bool) => quote!(ParamValue::Bool(*x)),
                ParamRead::Scalar(l) => {
                    let s = text(*l, quote!(x));
                    quote!(ParamValue::String(#s))
                }
                ParamRead::List(Leaf::String) => quote!(ParamValue::StringArray(x.clone())),
                ParamRead::List(l) => {
                    let conv = owned(*l);
                    quote!(ParamValue::StringArray(x.iter().#conv.collect()))
                }
                ParamRead::Keys(l) => {
                    let conv = owned(*l);
                    quote!({
                        let mut keys: Vec<String> = x.keys().#conv.collect();
                        keys.sort();
                        ParamValue::StringArray(keys)
                    })
                }
                ParamRead::Project { then, leaf } => {
                    let conv = owned(*leaf);
                    if then.is_empty() {
                        quote!(ParamValue::StringArray(x.iter().#conv.collect()))
                    } else {
                        let each = chain(quote!(e), then);
                        quote!(ParamValue::StringArray(
                            x.iter().filter_map(|e| #each.#conv).collect()
                        ))
                    }
                }
            };
            quote! {
                if let Some(x) = #reach {
                    p.named.insert(#param.to_owned(), #value);
                }
            }
        })
        .collect();
    let v = if from_input.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    quote! {
        pub(crate) fn #name(#v: &#input, p: &mut crate::runtime::endpoint::Params) {
            use crate::runtime::endpoint::ParamValue;
            #(#fixed)*
            #(#from_input)*
        }
    }
}

/// `Option<&T>` of the value at the end of `steps` from `root` (a reference): `root.a.as_ref()`,
/// then `.and_then(|x| x.b.as_ref())` per further member.
fn chain(root: TokenStream, steps: &[FieldStep]) -> TokenStream {
    let mut steps = steps.iter().map(|s| ident(&s.rust_name));
    let Some(first) = steps.next() else {
        return quote!(Some(#root));
    };
    let mut out = quote!(#root.#first.as_ref());
    for f in steps {
        out = quote!(#out.and_then(|x| x.#f.as_ref()));
    }
    out
}

/// The adapter of an iterator or option of references to string or enum values that gives
/// owned `String`s.
fn owned(leaf: Leaf) -> TokenStream {
    match leaf {
        Leaf::Enum => quote!(map(|e| e.as_str().to_owned())),
        Leaf::String | Leaf::Bool => quote!(cloned()),
    }
}

/// An owned `String` of a string or enum value `x` (a reference).
fn text(leaf: Leaf, x: TokenStream) -> TokenStream {
    match leaf {
        Leaf::Enum => quote!(#x.as_str().to_owned()),
        Leaf::String | Leaf::Bool => quote!(#x.clone()),
    }
}
