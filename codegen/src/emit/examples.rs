//! `smithy.api#examples` as compile-checked (`no_run`) rustdoc examples on client methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::{Ctx, ident};
use crate::ir::{Member, Operation, ShapeKind};
use crate::naming;

/// Markdown for every example of the operation (empty when it has none, or when an example
/// does not fit the model, which is then left out rather than shown wrong).
pub(super) fn docs(cx: &Ctx, op: &Operation, crate_name: &str) -> String {
    let mut out = String::new();
    for ex in &op.examples {
        let empty = serde_json::Map::new();
        let input = match ex.get("input") {
            None => &empty,
            Some(v) => match v.as_object() {
                Some(o) => o,
                None => continue,
            },
        };
        let Some(chain) = fluent_chain(cx, op, input) else {
            continue;
        };
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
        let title = ex
            .get("title")
            .and_then(Value::as_str)
            .unwrap_or(&op.wire_name);
        out.push_str(&format!(
            "\n\n# Example: {}\n\n```no_run\n",
            title.replace('\n', " ")
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

fn fluent_chain(
    cx: &Ctx,
    op: &Operation,
    input: &serde_json::Map<String, Value>,
) -> Option<TokenStream> {
    let f = ident(&op.fn_name);
    let mut chain = quote!(client.#f());
    let st = cx.svc.structure(&op.input);
    for (name, v) in input {
        let m = st.members.iter().find(|m| &m.wire_name == name)?;
        chain = setter_call(cx, chain, m, v)?;
    }
    Some(chain)
}

/// `chain.member(value)`, with lists appended item by item and maps entry by entry.
fn setter_call(cx: &Ctx, chain: TokenStream, m: &Member, v: &Value) -> Option<TokenStream> {
    let f = ident(&m.rust_name);
    let set = format_ident!("set_{}", naming::bare(&m.rust_name));
    match (&cx.svc.shape(&m.target).kind, v) {
        (ShapeKind::List(_), Value::Array(items)) if items.is_empty() => {
            Some(quote!(#chain.#set(Some(vec![]))))
        }
        (ShapeKind::List(item), Value::Array(items)) => {
            let mut c = chain;
            for i in items {
                let value = expr(cx, &item.target, i)?;
                c = quote!(#c.#f(#value));
            }
            Some(c)
        }
        (ShapeKind::Map { key, value }, Value::Object(entries)) => {
            let mut c = chain;
            for (k, val) in entries {
                let kv = expr(cx, &key.target, &Value::String(k.clone()))?;
                let vv = expr(cx, &value.target, val)?;
                c = quote!(#c.#f(#kv, #vv));
            }
            Some(c)
        }
        _ => {
            let value = expr(cx, &m.target, v)?;
            Some(quote!(#chain.#f(#value)))
        }
    }
}

/// A Rust expression for value `v` of shape `id`, as a user would write it.
fn expr(cx: &Ctx, id: &str, v: &Value) -> Option<TokenStream> {
    let krate_id = format_ident!("__CRATE__");
    let shape = cx.svc.shape(id);
    Some(match (&shape.kind, v) {
        (ShapeKind::String, Value::String(s)) => quote!(#s),
        (ShapeKind::Enum(variants), Value::String(s)) => {
            let t = ident(&shape.rust_name);
            // The typed variant where the value has one (and it is not deprecated); `from`
            // keeps any other value.
            match variants
                .iter()
                .find(|v| &v.value == s && v.deprecated.is_none())
            {
                Some(v) => {
                    let v = ident(&v.rust_name);
                    quote!(#krate_id::types::#t::#v)
                }
                None => quote!(#krate_id::types::#t::from(#s)),
            }
        }
        (ShapeKind::Boolean, Value::Bool(b)) => quote!(#b),
        (ShapeKind::Integer | ShapeKind::IntEnum(_), Value::Number(n)) => {
            let n = i32::try_from(n.as_i64()?).ok()?;
            quote!(#n)
        }
        (ShapeKind::Long, Value::Number(n)) => {
            let n = n.as_i64()?;
            quote!(#n)
        }
        (ShapeKind::Double, Value::Number(n)) => {
            let n = n.as_f64()?;
            quote!(#n)
        }
        (ShapeKind::Timestamp, Value::Number(n)) => {
            let n = n.as_i64()?;
            quote!(#krate_id::primitives::DateTime::from_secs(#n))
        }
        (ShapeKind::Blob, Value::String(s)) => {
            quote!(#krate_id::primitives::Blob::new(#s.as_bytes().to_vec()))
        }
        (ShapeKind::Structure(st), Value::Object(fields)) => {
            let t = ident(&shape.rust_name);
            let mut chain = quote!(#krate_id::types::#t::builder());
            for (name, fv) in fields {
                let m = st.members.iter().find(|m| &m.wire_name == name)?;
                chain = setter_call(cx, chain, m, fv)?;
            }
            if super::types::build_returns_result(cx, st) {
                quote!(#chain.build()?)
            } else {
                quote!(#chain.build())
            }
        }
        // A union example names exactly one member.
        (ShapeKind::Union(u), Value::Object(fields)) if fields.len() == 1 => {
            let t = ident(&shape.rust_name);
            let (name, fv) = fields.iter().next()?;
            let i = u.members.iter().position(|m| &m.wire_name == name)?;
            let (m, v) = (&u.members[i], ident(&u.variants[i]));
            let inner = expr(cx, &m.target, fv)?;
            let inner = if m.boxed {
                quote!(Box::new(#inner))
            } else {
                inner
            };
            quote!(#krate_id::types::#t::#v(#inner))
        }
        _ => return None,
    })
}
