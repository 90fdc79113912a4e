//! `operation.rs`: one module per operation with its input, output, error enum and fluent
//! builder, and the static description the runtime's `invoke` runs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Ctx, docs, ident, types};
use crate::ir::{Home, Operation, ShapeKind};
use crate::naming;

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let mods = cx.svc.operations.iter().map(|op| operation(cx, op));
    quote! {
        //! One module per operation: input, output, errors and the fluent builder.
        #(#mods)*
    }
}

fn io_type(cx: &Ctx, op: &Operation, id: &str, suffix: &str) -> TokenStream {
    let shape = cx.svc.shape(id);
    if shape.home == Home::Operation(op.fn_name.clone())
        && let ShapeKind::Structure(st) = &shape.kind
    {
        return types::structure(cx, shape, st);
    }
    let alias = format_ident!("{}{}", op.type_name, suffix);
    let path = cx.type_path(id);
    let doc = format!(
        "The {} of `{}` (a shared type).",
        suffix.to_lowercase(),
        op.wire_name
    );
    quote!(#[doc = #doc] pub use #path as #alias;)
}

pub(super) fn op_doc(cx: &Ctx, op: &Operation) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &op.docs {
        parts.push(docs::from_html(d));
    }
    parts.push(format!(
        "Calls the awsQuery action `{}` of {} (API version `{}`).",
        op.wire_name,
        cx.svc.title.as_deref().unwrap_or(&cx.svc.name),
        cx.svc.api_version
    ));
    if !op.errors.is_empty() {
        let names: Vec<String> = op
            .errors
            .iter()
            .map(|e| format!("`{}`", cx.svc.shape(e).rust_name))
            .collect();
        parts.push(format!("Modeled errors: {}.", names.join(", ")));
    }
    parts.join("\n\n")
}

fn operation(cx: &Ctx, op: &Operation) -> TokenStream {
    let m = ident(&op.fn_name);
    let input = format_ident!("{}Input", op.type_name);
    let output = format_ident!("{}Output", op.type_name);
    let error = format_ident!("{}Error", op.type_name);
    let fluent = format_ident!("{}FluentBuilder", op.type_name);
    let input_decl = io_type(cx, op, &op.input, "Input");
    let output_decl = io_type(cx, op, &op.output, "Output");
    let wire = &op.wire_name;
    let mod_doc = format!("The `{wire}` operation.");

    let variants = op.errors.iter().map(|e| {
        let shape = cx.svc.shape(e);
        let v = ident(&shape.rust_name);
        let path = cx.type_path(e);
        let code = cx
            .svc
            .structure(e)
            .error
            .as_ref()
            .map(|i| i.code.clone())
            .unwrap_or_default();
        let d = format!("The service answered with error code `{code}`.");
        quote!(#[doc = #d] #v(#path),)
    });
    let meta_arms = op.errors.iter().map(|e| {
        let v = ident(&cx.svc.shape(e).rust_name);
        quote!(Self::#v(e) => &e.meta,)
    });
    let source_arms = op.errors.iter().map(|e| {
        let v = ident(&cx.svc.shape(e).rust_name);
        quote!(Self::#v(e) => ::std::option::Option::Some(e),)
    });

    let st = cx.svc.structure(&op.input);
    let setters = st.members.iter().map(|mem| {
        let f = ident(&mem.rust_name);
        let set = format_ident!("set_{}", naming::bare(&mem.rust_name));
        let full = cx.member_type(mem);
        let d = docs::attrs(&docs::member(mem, cx.svc.shape(&mem.target)));
        let (arg, ty) = match &cx.svc.shape(&mem.target).kind {
            ShapeKind::Map { key, value } => {
                let k = cx.rust_type(&key.target);
                let v = cx.rust_type(&value.target);
                (quote!(key: impl ::std::convert::Into<#k>, value: impl ::std::convert::Into<#v>), quote!(key, value))
            }
            ShapeKind::List(item) => {
                let t = cx.rust_type(&item.target);
                (quote!(item: impl ::std::convert::Into<#t>), quote!(item))
            }
            _ => {
                let t = cx.rust_type(&mem.target);
                (quote!(input: impl ::std::convert::Into<#t>), quote!(input))
            }
        };
        quote! {
            #d
            pub fn #f(mut self, #arg) -> Self { self.inner = self.inner.#f(#ty); self }
            #[doc = "Sets or clears the value; see the setter above."]
            pub fn #set(mut self, input: #full) -> Self { self.inner = self.inner.#set(input); self }
        }
    });

    let ser = cx.shape_fn("ser", &op.input);
    let validate = cx.shape_fn("validate", &op.input);
    let de_out = cx.shape_fn("de", &op.output);
    let de_err = format_ident!("de_{}_error", naming::bare(&op.fn_name));
    let fluent_doc = format!(
        "Builds and sends a `{wire}` request; see [`crate::Client::{}`].",
        naming::bare(&op.fn_name)
    );

    quote! {
        #[doc = #mod_doc]
        pub mod #m {
            #input_decl
            #output_decl

            #[doc = "Errors `"]
            #[doc = #wire]
            #[doc = "` can return: the modeled ones, then `Unhandled` for any other code."]
            #[derive(Debug)]
            #[non_exhaustive]
            pub enum #error {
                #(#variants)*
                /// An error code this operation does not model (including throttling and auth errors).
                Unhandled(crate::error::ErrorMetadata),
            }
            impl crate::error::ProvideErrorMetadata for #error {
                fn meta(&self) -> &crate::error::ErrorMetadata {
                    match self { #(#meta_arms)* Self::Unhandled(m) => m }
                }
            }
            impl ::std::fmt::Display for #error {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    ::std::fmt::Display::fmt(crate::error::ProvideErrorMetadata::meta(self), f)
                }
            }
            impl ::std::error::Error for #error {
                fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                    match self { #(#source_arms)* Self::Unhandled(_) => ::std::option::Option::None }
                }
            }

            pub(crate) static OPERATION: crate::runtime::client::Operation<#input, #output, #error> =
                crate::runtime::client::Operation {
                    name: #wire,
                    validate: crate::generated::validate::#validate,
                    serialize: crate::generated::ser::#ser,
                    parse_output: crate::generated::de::#de_out,
                    parse_error: crate::generated::de::#de_err,
                };

            /// The fluent builder returned by the client method.
            pub mod builders {
                use super::*;
                #[doc = #fluent_doc]
                #[derive(Clone, Debug)]
                pub struct #fluent {
                    handle: ::std::sync::Arc<crate::runtime::client::Handle>,
                    inner: #input,
                }
                impl #fluent {
                    pub(crate) fn new(handle: ::std::sync::Arc<crate::runtime::client::Handle>) -> Self {
                        Self { handle, inner: ::std::default::Default::default() }
                    }
                    /// The input built so far.
                    pub fn as_input(&self) -> &#input { &self.inner }
                    /// Validates the input, then signs and sends the request (with retries).
                    pub async fn send(self) -> ::std::result::Result<#output, crate::error::SdkError<#error>> {
                        self.handle.invoke(&OPERATION, self.inner).await
                    }
                    #(#setters)*
                }
            }
            pub use builders::#fluent;
        }
    }
}
