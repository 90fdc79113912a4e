//! `smithy.api#examples` as compile-checked (`no_run`) rustdoc examples on client methods, from
//! the typed builder calls of `ir::Example`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Ctx, ident};
use crate::ir::{Call, ExampleValue, Operation};

/// Markdown for every example of the operation (empty when it has none).
pub(super) fn docs(cx: &Ctx, op: &Operation, crate_name: &str) -> String {
    let mut out = String::new();
    for ex in &op.examples {
        let f = ident(&op.fn_name);
        let chain = calls(cx, quote!(client.#f()), &ex.calls);
        let body: TokenStream = quote! {
            async fn example(client: &__CRATE__::Client) -> Result<(), Box<dyn std::error::Error>> {
                let output = #chain.send().await?;
                println!("{output:?}");
                Ok(())
            }
        };
        let Ok(file) = syn::parse2::<syn::File>(body) else {
            continue;
        };
        let code = prettyplease::unparse(&file).replace("__CRATE__", crate_name);
        out.push_str(&format!(
            "\n\n# Example: {}\n\n```no_run\n",
            ex.title.replace('\n', " ")
        ));
        for line in code.lines() {
            // Hide the wrapper: keep only the body visible.
            let hidden = line.starts_with("async fn") || line == "}" || line.trim() == "Ok(())";
            if hidden {
                out.push_str("# ");
            }
            out.push_str(line.strip_prefix("    ").unwrap_or(line));
            out.push('\n');
        }
        out.push_str("```");
    }
    out
}

/// `chain` with each call appended.
fn calls(cx: &Ctx, chain: TokenStream, calls: &[Call]) -> TokenStream {
    calls.iter().fold(chain, |c, call| match call {
        Call::Set { method, value } => {
            let (f, v) = (ident(method), expr(cx, value));
            quote!(#c.#f(#v))
        }
        Call::Entry { method, key, value } => {
            let (f, k, v) = (ident(method), expr(cx, key), expr(cx, value));
            quote!(#c.#f(#k, #v))
        }
        Call::EmptyList { set_method } => {
            let set = ident(set_method);
            quote!(#c.#set(Some(vec![])))
        }
    })
}

/// A Rust expression for `v`, as a user would write it.
fn expr(cx: &Ctx, v: &ExampleValue) -> TokenStream {
    let krate_id = format_ident!("__CRATE__");
    match v {
        ExampleValue::String(s) => quote!(#s),
        ExampleValue::Enum {
            type_name,
            variant: Some(variant),
            ..
        } => {
            let (t, v) = (ident(type_name), ident(variant));
            quote!(#krate_id::types::#t::#v)
        }
        ExampleValue::Enum {
            type_name,
            variant: None,
            value,
        } => {
            let t = ident(type_name);
            quote!(#krate_id::types::#t::from(#value))
        }
        ExampleValue::Boolean(b) => quote!(#b),
        ExampleValue::Integer(n) => quote!(#n),
        ExampleValue::Long(n) => quote!(#n),
        ExampleValue::Double(n) => quote!(#n),
        ExampleValue::Timestamp(n) => quote!(#krate_id::primitives::DateTime::from_secs(#n)),
        ExampleValue::Blob(s) => {
            quote!(#krate_id::primitives::Blob::new(#s.as_bytes().to_vec()))
        }
        ExampleValue::Struct {
            shape,
            type_name,
            calls: fields,
        } => {
            let t = ident(type_name);
            let chain = calls(cx, quote!(#krate_id::types::#t::builder()), fields);
            if super::types::build_returns_result(cx, cx.svc.structure(shape)) {
                quote!(#chain.build()?)
            } else {
                quote!(#chain.build())
            }
        }
        ExampleValue::Union {
            type_name,
            variant,
            boxed,
            value,
        } => {
            let (t, v) = (ident(type_name), ident(variant));
            // A variant holds its value as is: a string member is a `String`, where a setter
            // takes `impl Into<String>`.
            let inner = match &**value {
                ExampleValue::String(s) => quote!(#s.to_owned()),
                other => expr(cx, other),
            };
            let inner = if *boxed {
                quote!(Box::new(#inner))
            } else {
                inner
            };
            quote!(#krate_id::types::#t::#v(#inner))
        }
    }
}
