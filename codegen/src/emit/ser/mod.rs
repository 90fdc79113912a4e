//! `ser.rs`: the request serializers, written by the emitter of the protocol's body format, and
//! per operation `build_<op>`, the call into the runtime's protocol module that frames the body
//! into a request, and `endpoint_params_<op>` for an operation that sets endpoint parameters.

mod query;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::endpoints::cases::ParamValue;
use crate::ir::{FieldStep, Leaf, Operation, ParamRead};
use crate::protocol::{BodyFormat, Framing};

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let bodies = match cx.protocol.body() {
        BodyFormat::Form(_) => query::emit(cx),
    };
    let builds = cx.svc.operations.iter().map(|op| build_fn(cx, op));
    let endpoint_params = cx
        .svc
        .operations
        .iter()
        .map(|op| endpoint_params_fn(cx, op));
    quote! {
        #bodies
        #(#builds)*
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
