//! The form body writer (awsQuery): `impl QueryValue` for every shape that flows into a
//! request, naming members (under the protocol's key rule) and layouts only.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{Ctx, ident};
use crate::ir::{Member, ShapeKind, TimestampFormat, number_kind, scalar_kind};

pub(in crate::emit) fn emit(cx: &Ctx) -> TokenStream {
    let impls = cx.svc.input_closure().into_iter().filter_map(|id| {
        let shape = cx.svc.shape(&id);
        let ty = cx.rust_type(&id);
        let body = match &shape.kind {
            ShapeKind::Structure(st) if st.members.is_empty() => quote!(let _ = (w, key);),
            ShapeKind::Structure(st) => {
                let members = st.members.iter().map(|m| member(cx, m));
                quote! {
                    let prefix = &key.to_prefix();
                    #(#members)*
                }
            }
            // The awsQuery protocol says nothing about unions; this follows botocore's query
            // serializer and AWS's Rust SDK, which send a union as the structure it is on the
            // wire: the one member that is set, under the union's prefix
            // (`Prefix.MemberName=value`, nested prefixes as for structures).
            ShapeKind::Union(u) => {
                let arms = u.members.iter().zip(&u.variants).map(|(m, v)| {
                    let v = ident(v);
                    let name = cx.protocol.body_key(m);
                    let write = write(cx, m, quote!(Key::member(prefix, #name)), quote!(item));
                    quote!(Self::#v(item) => #write,)
                });
                quote! {
                    let prefix = &key.to_prefix();
                    match self {
                        #(#arms)*
                        // Validation refuses to send `Unknown` (only a response can hold it);
                        // with validation turned off, nothing is written for it.
                        Self::Unknown => {}
                    }
                }
            }
            ShapeKind::Enum(_) => quote!(w.string(key, self.as_str());),
            ShapeKind::IntEnum(_) => quote!(w.int(key, i64::from(self.value()));),
            // Other scalars, lists and maps are written by the runtime's own impls and writers.
            ShapeKind::List(_)
            | ShapeKind::Map { .. }
            | ShapeKind::String
            | ShapeKind::Boolean
            | number_kind!()
            | ShapeKind::Timestamp
            | ShapeKind::Blob
            | ShapeKind::Document => return None,
        };
        Some(quote! {
            impl QueryValue for #ty {
                fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
                    #body
                }
            }
        })
    });
    quote! {
        //! awsQuery serializers: each shape writes its members under its key through the
        //! runtime's writer, which owns the protocol's rules (keys, list numbering, empty lists,
        //! map entries).
        #[allow(unused_imports)]
        use crate::runtime::query::{Key, List, Map, QueryValue, QueryWriter};
        #(#impls)*
    }
}

/// The statement writing structure member `m` (an `Option`) under `prefix`.
fn member(cx: &Ctx, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    let name = cx.protocol.body_key(m);
    let with_writer = || {
        let write = writer(cx, m);
        quote!(w.member_with(prefix, #name, &self.#f, #write);)
    };
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::List(item) if !m.boxed && writes_itself(cx, item) => {
            let layout = list_layout(m, item);
            quote!(w.list(prefix, #name, #layout, &self.#f);)
        }
        ShapeKind::Map { key, value } if !m.boxed && writes_itself(cx, value) => {
            let layout = map_layout(m, key, value);
            quote!(w.map(prefix, #name, #layout, &self.#f);)
        }
        // A boxed collection, or one of nested collections or formatted timestamps.
        ShapeKind::List(_) | ShapeKind::Map { .. } => with_writer(),
        ShapeKind::Structure(_) | ShapeKind::Union(_) | scalar_kind!() => {
            if writes_itself(cx, m) {
                quote!(w.member(prefix, #name, &self.#f);)
            } else {
                with_writer()
            }
        }
    }
}

/// Whether a value of `m`'s target is written by its `QueryValue` impl (not a list or map, and
/// a timestamp only in the default format).
fn writes_itself(cx: &Ctx, m: &Member) -> bool {
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::List(_) | ShapeKind::Map { .. } => false,
        ShapeKind::Timestamp => cx.timestamp_format_of(m) == TimestampFormat::DateTime,
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::String
        | ShapeKind::Enum(_)
        | ShapeKind::IntEnum(_)
        | ShapeKind::Boolean
        | number_kind!()
        | ShapeKind::Blob
        // Never reached: the form protocols leave out operations that reach a document.
        | ShapeKind::Document => true,
    }
}

/// A `WriteFn` for values of `m`'s target: `QueryWriter::value`, or a closure for a nested
/// list or map or a timestamp in another format.
fn writer(cx: &Ctx, m: &Member) -> TokenStream {
    if writes_itself(cx, m) {
        return quote!(QueryWriter::value);
    }
    let write = write(cx, m, quote!(k), quote!(v));
    quote!(|w, k, v| #write)
}

/// The expression writing `value` (a reference to a value of `m`'s target) under `key`.
fn write(cx: &Ctx, m: &Member, key: TokenStream, value: TokenStream) -> TokenStream {
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::List(item) => {
            let layout = list_layout(m, item);
            let item = writer(cx, item);
            quote!(w.list_at(#key, #layout, #value, #item))
        }
        ShapeKind::Map { key: k, value: v } => {
            let layout = map_layout(m, k, v);
            let v = writer(cx, v);
            quote!(w.map_at(#key, #layout, #value, #v))
        }
        ShapeKind::Timestamp if !writes_itself(cx, m) => {
            let fmt = cx.timestamp_format(m);
            quote!(w.timestamp(#key, #value, #fmt))
        }
        ShapeKind::Structure(_) | ShapeKind::Union(_) | scalar_kind!() => {
            quote!(w.value(#key, #value))
        }
    }
}

/// The runtime's `List` layout of list member `m`: flattened, and the item's `@xmlName`.
fn list_layout(m: &Member, item: &Member) -> TokenStream {
    match (m.xml_flattened, item.xml_name.as_deref()) {
        // A flattened list names no item.
        (true, _) => quote!(List::FLAT),
        (false, None) => quote!(List::MEMBER),
        (false, Some(name)) => quote!(List { flattened: false, member: #name }),
    }
}

/// The runtime's `Map` layout of map member `m`: flattened, and the key's and value's
/// `@xmlName`s.
fn map_layout(m: &Member, key: &Member, value: &Member) -> TokenStream {
    let flattened = m.xml_flattened;
    match (key.xml_name.as_deref(), value.xml_name.as_deref()) {
        (None, None) if flattened => quote!(Map::FLAT),
        (None, None) => quote!(Map::ENTRY),
        (k, v) => {
            let k = k.unwrap_or("key");
            let v = v.unwrap_or("value");
            quote!(Map { flattened: #flattened, key: #k, value: #v })
        }
    }
}
