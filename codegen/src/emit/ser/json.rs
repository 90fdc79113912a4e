//! The JSON body writer (awsJson): `impl JsonMembers` and `impl JsonValue` for every structure
//! of the input closure, `impl JsonValue` for its unions and enums, naming members (under the
//! protocol's key rule) and their writers only.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{Ctx, ident};
use crate::ir::{Member, ShapeKind, TimestampFormat, number_kind};

pub(in crate::emit) fn emit(cx: &Ctx) -> TokenStream {
    let impls = cx.svc.input_closure().into_iter().filter_map(|id| {
        let shape = cx.svc.shape(&id);
        let ty = cx.rust_type(&id);
        match &shape.kind {
            ShapeKind::Structure(st) => {
                let defaults = st.members.iter().any(|m| nested_default(cx, m).is_some());
                let nested = if defaults {
                    quote!(nested)
                } else {
                    quote!(_nested)
                };
                let o = if st.members.is_empty() {
                    quote!(_o)
                } else {
                    quote!(o)
                };
                let members = st.members.iter().map(|m| member(cx, m));
                Some(quote! {
                    impl JsonMembers for #ty {
                        fn write_members(&self, #o: &mut Object<'_>, #nested: bool) {
                            #(#members)*
                        }
                    }
                    impl JsonValue for #ty {
                        fn write_json(&self, w: &mut JsonWriter) {
                            let mut o = w.object();
                            self.write_members(&mut o, true);
                            o.end();
                        }
                    }
                })
            }
            ShapeKind::Union(u) => {
                let arms = u.members.iter().zip(&u.variants).map(|(m, v)| {
                    let v = ident(v);
                    let name = cx.protocol.body_key(m);
                    // `item` is `&T`, or `&Box<T>` for a boxed member.
                    let item = if m.boxed {
                        quote!(&**item)
                    } else {
                        quote!(item)
                    };
                    let write = match writer(cx, m) {
                        Some(f) => quote!(o.member_with(#name, Some(#item), #f)),
                        None => quote!(o.member(#name, Some(#item))),
                    };
                    quote!(Self::#v(item) => #write,)
                });
                Some(quote! {
                    impl JsonValue for #ty {
                        fn write_json(&self, w: &mut JsonWriter) {
                            let mut o = w.object();
                            match self {
                                #(#arms)*
                                // Validation refuses to send `Unknown` (only a response can
                                // hold it); with validation turned off it is written as `{}`.
                                Self::Unknown => {}
                            }
                            o.end();
                        }
                    }
                })
            }
            ShapeKind::Enum(_) => Some(quote! {
                impl JsonValue for #ty {
                    fn write_json(&self, w: &mut JsonWriter) {
                        w.string(self.as_str());
                    }
                }
            }),
            ShapeKind::IntEnum(_) => Some(quote! {
                impl JsonValue for #ty {
                    fn write_json(&self, w: &mut JsonWriter) {
                        w.int(i64::from(self.value()));
                    }
                }
            }),
            // Other scalars, lists and maps are written by the runtime's impls, or by the
            // writer of the member that holds them.
            ShapeKind::List(_)
            | ShapeKind::Map { .. }
            | ShapeKind::String
            | ShapeKind::Boolean
            | number_kind!()
            | ShapeKind::Timestamp
            | ShapeKind::Blob
            | ShapeKind::Document => None,
        }
    });
    quote! {
        //! JSON serializers: each structure writes its members in model order through the
        //! runtime's writer, which owns the format (escaping, numbers, base64, timestamps).
        #[allow(unused_imports)]
        use crate::runtime::json::{JsonMembers, JsonValue, JsonWriter, Object};
        #(#impls)*
    }
}

/// The JSON text of member `m`'s `@default`, when a nested structure sends it for an unset
/// member (a default the client does not mark optional).
fn nested_default(cx: &Ctx, m: &Member) -> Option<String> {
    let d = m.default.as_ref()?;
    if m.default_is_optional {
        return None;
    }
    // A timestamp default is epoch seconds or text in the model; sent only when that is what
    // the member's format writes.
    if let crate::ir::DefaultValue::Timestamp(t) = d {
        let numeric = t.parse::<f64>().is_ok();
        return (numeric == (cx.timestamp_format_of(m) == TimestampFormat::EpochSeconds)).then(
            || {
                if numeric {
                    t.clone()
                } else {
                    serde_json::Value::from(t.as_str()).to_string()
                }
            },
        );
    }
    Some(d.to_string())
}

/// The statement writing structure member `m` (an `Option`).
fn member(cx: &Ctx, m: &Member) -> TokenStream {
    let f = ident(&m.rust_name);
    let name = cx.protocol.body_key(m);
    let value = if m.boxed {
        quote!(self.#f.as_deref())
    } else {
        quote!(self.#f.as_ref())
    };
    let plain = match writer(cx, m) {
        Some(w) => quote!(o.member_with(#name, #value, #w)),
        None => quote!(o.member(#name, #value)),
    };
    match nested_default(cx, m) {
        None => quote!(#plain;),
        Some(json) => {
            let with_default = match writer(cx, m) {
                Some(w) => quote!(o.member_with_or(#name, #value, #w, #json)),
                None => quote!(o.member_or(#name, #value, #json)),
            };
            quote! {
                if nested {
                    #with_default;
                } else {
                    #plain;
                }
            }
        }
    }
}

/// A `WriteFn` for values of `m`'s target when its `JsonValue` impl does not write it the way
/// the member says (a timestamp in another format than epoch seconds, a collection of those).
fn writer(cx: &Ctx, m: &Member) -> Option<TokenStream> {
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::Timestamp => {
            if cx.timestamp_format_of(m) == TimestampFormat::EpochSeconds {
                None
            } else {
                let fmt = cx.timestamp_format(m);
                Some(quote!(|w, v| w.timestamp(v, #fmt)))
            }
        }
        // A sparse collection's `None` entries are `null` (the runtime's impl for `Option`).
        ShapeKind::List(item) => {
            let item = writer(cx, item)?;
            if cx.svc.shape(&m.target).sparse {
                Some(quote!(|w, v| w.sparse_list_with(v, #item)))
            } else {
                Some(quote!(|w, v| w.list_with(v, #item)))
            }
        }
        ShapeKind::Map { value, .. } => {
            let value = writer(cx, value)?;
            if cx.svc.shape(&m.target).sparse {
                Some(quote!(|w, v| w.sparse_map_with(v, #value)))
            } else {
                Some(quote!(|w, v| w.map_with(v, #value)))
            }
        }
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::String
        | ShapeKind::Enum(_)
        | ShapeKind::IntEnum(_)
        | ShapeKind::Boolean
        | number_kind!()
        | ShapeKind::Blob
        | ShapeKind::Document => None,
    }
}
