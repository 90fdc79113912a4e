//! `ser.rs`: awsQuery request serializers for every shape that flows into a request.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::ir::{HostLabel, HostSegment, Member, Operation, ShapeKind};
use crate::naming;

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let fns = cx.svc.input_closure().into_iter().filter_map(|id| {
        let shape = cx.svc.shape(&id);
        let name = cx.shape_fn("ser", &id);
        let ty = cx.rust_type(&id);
        match &shape.kind {
            ShapeKind::Structure(st) => {
                let v = if st.members.is_empty() { quote!(_v) } else { quote!(v) };
                let w = if st.members.is_empty() { quote!(_w) } else { quote!(w) };
                let p = if st.members.is_empty() { quote!(_prefix) } else { quote!(prefix) };
                let members = st.members.iter().map(|m| {
                    let f = ident(&m.rust_name);
                    let wire = m.xml_name.as_deref().unwrap_or(&m.wire_name);
                    let write = member_value(cx, m, wire);
                    quote! {
                        if let Some(item) = &v.#f {
                            #write
                        }
                    }
                });
                Some(quote! {
                    pub(crate) fn #name(#w: &mut crate::runtime::query::QueryWriter, #p: &str, #v: &#ty) {
                        #(#members)*
                    }
                })
            }
            // The awsQuery protocol says nothing about unions; this follows botocore's query
            // serializer and AWS's Rust SDK, which send a union as the structure it is on the
            // wire: the one member that is set, under the union's prefix
            // (`Prefix.MemberName=value`, nested prefixes as for structures).
            ShapeKind::Union(u) => {
                let arms = u.members.iter().zip(&u.variants).map(|(m, v)| {
                    let v = ident(v);
                    let wire = m.xml_name.as_deref().unwrap_or(&m.wire_name);
                    let write = member_value(cx, m, wire);
                    quote! {
                        #ty::#v(item) => {
                            #write
                        }
                    }
                });
                Some(quote! {
                    pub(crate) fn #name(w: &mut crate::runtime::query::QueryWriter, prefix: &str, v: &#ty) {
                        match v {
                            #(#arms)*
                            // Validation refuses to send `Unknown` (only a response can hold
                            // it); with validation turned off, nothing is written for it.
                            #ty::Unknown => {}
                        }
                    }
                })
            }
            ShapeKind::List(item) => {
                let it = cx.rust_type(&item.target);
                let member_name = item.xml_name.as_deref().unwrap_or("member");
                // A leaf item is written under a key built in place; a structure, list or map
                // item needs its prefix as a string.
                let write = if is_leaf(cx, item) {
                    value(cx, item, quote!(crate::runtime::query::Key::item(prefix, flattened, #member_name, i)), quote!(item))
                } else {
                    let inner = value(cx, item, quote!(&key), quote!(item));
                    quote! {
                        let key = crate::runtime::query::item_key(prefix, flattened, #member_name, i);
                        #inner
                    }
                };
                Some(quote! {
                    pub(crate) fn #name(w: &mut crate::runtime::query::QueryWriter, prefix: &str, flattened: bool, v: &[#it]) {
                        if v.is_empty() {
                            w.string(prefix, "");
                            return;
                        }
                        for (i, item) in v.iter().enumerate() {
                            #write
                        }
                    }
                })
            }
            ShapeKind::Map { key, value: val } => {
                let key_name = key.xml_name.as_deref().unwrap_or("key");
                let value_name = val.xml_name.as_deref().unwrap_or("value");
                let write_key = keyed_value(cx, key, quote!(&entry), key_name, quote!(item_key));
                let write_value = keyed_value(cx, val, quote!(&entry), value_name, quote!(item));
                Some(quote! {
                    pub(crate) fn #name(w: &mut crate::runtime::query::QueryWriter, prefix: &str, flattened: bool, v: &#ty) {
                        // An empty map writes nothing (an empty list writes `Key=`), as
                        // Smithy's awsQuery tests expect.
                        let mut entries: Vec<_> = v.iter().collect();
                        entries.sort_by(|a, b| a.0.cmp(b.0));
                        for (i, (item_key, item)) in entries.into_iter().enumerate() {
                            let entry = crate::runtime::query::item_key(prefix, flattened, "entry", i);
                            #write_key
                            #write_value
                        }
                    }
                })
            }
            _ => None,
        }
    });
    let per_op = cx.svc.operations.iter().map(|op| operation_glue(cx, op));
    quote! {
        //! awsQuery serializers: each writes one shape's members under a key prefix.
        #![allow(clippy::ptr_arg)]
        #(#fns)*
        #(#per_op)*
    }
}

/// Whether the operation's input has `@idempotencyToken` members.
pub(super) fn has_idempotency_token(cx: &Ctx, op: &Operation) -> bool {
    cx.svc
        .structure(&op.input)
        .members
        .iter()
        .any(|m| m.idempotency_token)
}

/// Per-operation glue the runtime's `Operation` points at: the host prefix of
/// `@endpoint(hostPrefix)` and the filling of unset `@idempotencyToken` members.
fn operation_glue(cx: &Ctx, op: &Operation) -> TokenStream {
    let ty = cx.rust_type(&op.input);
    let st = cx.svc.structure(&op.input);
    let bare = naming::bare(&op.fn_name);
    let host = op.host_prefix.as_ref().map(|prefix| {
        let name = quote::format_ident!("host_prefix_{}", bare);
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
    let fill = has_idempotency_token(cx, op).then(|| {
        let name = quote::format_ident!("fill_idempotency_{}", bare);
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

/// Whether a member's value is written as one `key=value` pair (not a structure, union, list
/// or map, which write several under a prefix).
fn is_leaf(cx: &Ctx, m: &Member) -> bool {
    !matches!(
        cx.svc.shape(&m.target).kind,
        ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::List(_) | ShapeKind::Map { .. }
    )
}

/// Writes structure member `item` under `prefix.wire`: a leaf with the key built in place, a
/// nested value under a prefix string.
fn member_value(cx: &Ctx, m: &Member, wire: &str) -> TokenStream {
    keyed_value(cx, m, quote!(prefix), wire, quote!(item))
}

/// Writes `item` under `parent.name` (`parent` an expression of type `&str`).
fn keyed_value(
    cx: &Ctx,
    m: &Member,
    parent: TokenStream,
    name: &str,
    item: TokenStream,
) -> TokenStream {
    if is_leaf(cx, m) {
        value(
            cx,
            m,
            quote!(crate::runtime::query::Key::member(#parent, #name)),
            item,
        )
    } else {
        let inner = value(cx, m, quote!(&key), item);
        quote! {
            let key = crate::runtime::query::key(#parent, #name);
            #inner
        }
    }
}

/// Writes `item` (a reference to the member's value) under `key`.
fn value(cx: &Ctx, m: &Member, key: TokenStream, item: TokenStream) -> TokenStream {
    let flattened = m.xml_flattened;
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::String => quote!(w.string(#key, #item);),
        ShapeKind::Enum(_) => quote!(w.string(#key, #item.as_str());),
        ShapeKind::IntEnum(_) => quote!(w.int(#key, i64::from(#item.value()));),
        ShapeKind::Boolean => quote!(w.boolean(#key, *#item);),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer => {
            quote!(w.int(#key, i64::from(*#item));)
        }
        ShapeKind::Long => quote!(w.int(#key, *#item);),
        ShapeKind::Float => quote!(w.float32(#key, *#item);),
        ShapeKind::Double => quote!(w.float64(#key, *#item);),
        ShapeKind::Timestamp => {
            let fmt = cx.timestamp_format(m, crate::ir::TimestampFormat::DateTime);
            quote!(w.timestamp(#key, #item, #fmt);)
        }
        ShapeKind::Blob => quote!(w.blob(#key, #item);),
        ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let f = cx.shape_fn("ser", &m.target);
            quote!(#f(w, #key, #item);)
        }
        ShapeKind::List(_) | ShapeKind::Map { .. } => {
            let f = cx.shape_fn("ser", &m.target);
            quote!(#f(w, #key, #flattened, #item);)
        }
    }
}
