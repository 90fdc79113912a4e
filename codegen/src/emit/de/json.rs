//! JSON readers (awsJson) for every shape that comes out of a response: `impl JsonStruct` and
//! `impl ReadJson` per structure (member names matched without copying, unknown members
//! skipped, modelled defaults filled), `impl JsonUnion` per union, `impl ReadJson` per enum,
//! and per modeled error the function its operation's `parse_error` calls. Lists, maps and
//! scalars are read in place by the runtime's composable readers.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use crate::emit::{Ctx, ident};
use crate::ir::{DefaultValue, Member, ShapeKind, number_kind};

pub(in crate::emit) fn emit(cx: &Ctx) -> TokenStream {
    let impls = cx.svc.output_closure().into_iter().filter_map(|id| {
        let shape = cx.svc.shape(&id);
        let ty = cx.rust_type(&id);
        match &shape.kind {
            ShapeKind::Structure(st) => {
                let names: Vec<&str> = st.members.iter().map(|m| m.wire_name.as_str()).collect();
                let index_arms = st.members.iter().enumerate().map(|(i, m)| {
                    let wire = m.wire_name.as_str();
                    // Error shapes often model `message` in lower case while services send
                    // either; accept both.
                    if st.error.is_some() && wire.eq_ignore_ascii_case("message") {
                        quote!("message" | "Message" => Some(#i),)
                    } else {
                        quote!(#wire => Some(#i),)
                    }
                });
                let read_arms = st.members.iter().enumerate().map(|(i, m)| {
                    let f = ident(&m.rust_name);
                    let r = reader(cx, m);
                    let boxed = m.boxed.then(|| quote!(.map(Box::new)));
                    quote!(#i => self.#f = json::member(map, #r, depth)? #boxed,)
                });
                let fills: Vec<TokenStream> = st
                    .members
                    .iter()
                    .filter_map(|m| {
                        let d = default_expr(cx, m).or_else(|| zero_expr(cx, m))?;
                        let f = ident(&m.rust_name);
                        let d = if m.boxed { quote!(Box::new(#d)) } else { d };
                        Some(quote! {
                            if self.#f.is_none() {
                                self.#f = Some(#d);
                            }
                        })
                    })
                    .collect();
                let finish = (!fills.is_empty()).then(|| {
                    quote! {
                        fn finish(&mut self) {
                            #(#fills)*
                        }
                    }
                });
                let (key, map_arg, depth_arg, index_arg) = if st.members.is_empty() {
                    (quote!(_key), quote!(map), quote!(_depth), quote!(_index))
                } else {
                    (quote!(key), quote!(map), quote!(depth), quote!(index))
                };
                let index_body = if st.members.is_empty() {
                    quote!(None)
                } else {
                    quote!(match key { #(#index_arms)* _ => None })
                };
                let read_body = if st.members.is_empty() {
                    quote! {
                        map.next_value::<json::IgnoredAny>()?;
                    }
                } else {
                    quote! {
                        match index {
                            #(#read_arms)*
                            _ => {
                                map.next_value::<json::IgnoredAny>()?;
                            }
                        }
                    }
                };
                let error_fn = st.error.as_ref().map(|_| {
                    let de = cx.de_fn(&id);
                    quote! {
                        pub(crate) fn #de(src: json::ErrorBody<'_>) -> Result<#ty, json::JsonError> {
                            src.read()
                        }
                    }
                });
                let _ = key;
                Some(quote! {
                    impl json::JsonStruct for #ty {
                        const MEMBERS: &'static [&'static str] = &[#(#names),*];
                        fn member_index(#key: &str) -> Option<usize> {
                            #index_body
                        }
                        fn read_member<'de, A: json::MapAccess<'de>>(
                            &mut self,
                            #index_arg: usize,
                            #map_arg: &mut A,
                            #depth_arg: json::Depth,
                        ) -> Result<(), A::Error> {
                            #read_body
                            Ok(())
                        }
                        #finish
                    }
                    impl json::ReadJson for #ty {
                        fn read_json<'de, D: json::Deserializer<'de>>(d: D, depth: json::Depth) -> Result<Self, D::Error> {
                            json::read_struct(d, depth)
                        }
                    }
                    #error_fn
                })
            }
            ShapeKind::Union(u) => {
                let names: Vec<&str> = u.members.iter().map(|m| m.wire_name.as_str()).collect();
                let index_arms = u.members.iter().enumerate().map(|(i, m)| {
                    let wire = m.wire_name.as_str();
                    quote!(#wire => Some(#i),)
                });
                let read_arms = u.members.iter().zip(&u.variants).enumerate().map(|(i, (m, v))| {
                    let v = ident(v);
                    let r = reader(cx, m);
                    let wrap = if m.boxed { quote!(|x| Self::#v(Box::new(x))) } else { quote!(Self::#v) };
                    quote!(#i => json::member(map, #r, depth)?.map(#wrap),)
                });
                Some(quote! {
                    impl json::JsonUnion for #ty {
                        const MEMBERS: &'static [&'static str] = &[#(#names),*];
                        fn member_index(key: &str) -> Option<usize> {
                            match key { #(#index_arms)* _ => None }
                        }
                        fn read_variant<'de, A: json::MapAccess<'de>>(
                            index: usize,
                            map: &mut A,
                            depth: json::Depth,
                        ) -> Result<Option<Self>, A::Error> {
                            Ok(match index {
                                #(#read_arms)*
                                _ => {
                                    map.next_value::<json::IgnoredAny>()?;
                                    None
                                }
                            })
                        }
                        fn unknown() -> Self {
                            Self::Unknown
                        }
                    }
                    impl json::ReadJson for #ty {
                        fn read_json<'de, D: json::Deserializer<'de>>(d: D, depth: json::Depth) -> Result<Self, D::Error> {
                            json::read_union(d, depth)
                        }
                    }
                })
            }
            ShapeKind::Enum(_) => Some(quote! {
                impl json::ReadJson for #ty {
                    fn read_json<'de, D: json::Deserializer<'de>>(d: D, _: json::Depth) -> Result<Self, D::Error> {
                        json::read_enum(d)
                    }
                }
            }),
            ShapeKind::IntEnum(_) => Some(quote! {
                impl json::ReadJson for #ty {
                    fn read_json<'de, D: json::Deserializer<'de>>(d: D, _: json::Depth) -> Result<Self, D::Error> {
                        json::read_int_enum(d)
                    }
                }
            }),
            // Lists, maps and other scalars are read in place (`reader`).
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
        //! JSON deserializers: each structure and union reads its members from an object,
        //! ignoring unknown ones; the runtime's readers do lists, maps and scalars.
        #[allow(unused_imports)]
        use crate::runtime::json;
        #(#impls)*
    }
}

/// The runtime reader of values of `m`'s target (see `runtime::json::Reader`).
fn reader(cx: &Ctx, m: &Member) -> TokenStream {
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::Timestamp => {
            let fmt = cx.timestamp_format(m);
            quote!(json::Ts(#fmt))
        }
        ShapeKind::List(item) => {
            let r = reader(cx, item);
            if cx.svc.shape(&m.target).sparse {
                quote!(json::SparseListOf(#r))
            } else {
                quote!(json::ListOf(#r))
            }
        }
        ShapeKind::Map { key, value } => {
            let r = reader(cx, value);
            let k = cx.rust_type(&key.target);
            if cx.svc.shape(&m.target).sparse {
                quote!(json::SparseMapOf(#r, json::key::<#k>()))
            } else {
                quote!(json::MapOf(#r, json::key::<#k>()))
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
        | ShapeKind::Document => {
            let t = cx.rust_type(&m.target);
            quote!(json::of::<#t>())
        }
    }
}

/// The value a reader fills for a `@required` member (without `@clientOptional` or a default)
/// that the body leaves out, as Smithy's error correction asks: the zero value of strings,
/// booleans, numbers, lists, maps, timestamps and blobs; enums, structures, unions and
/// documents stay unset (they have no zero value).
fn zero_expr(cx: &Ctx, m: &Member) -> Option<TokenStream> {
    if !m.required {
        return None;
    }
    Some(match &cx.svc.shape(&m.target).kind {
        ShapeKind::String => quote!(::std::string::String::new()),
        ShapeKind::Boolean => quote!(false),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => quote!(0),
        ShapeKind::Float | ShapeKind::Double => quote!(0.0),
        ShapeKind::List(_) => quote!(::std::vec::Vec::new()),
        ShapeKind::Map { .. } => quote!(::std::collections::HashMap::new()),
        ShapeKind::Timestamp => quote!(crate::primitives::DateTime::from_secs(0)),
        ShapeKind::Blob => quote!(crate::primitives::Blob::new(::std::vec::Vec::new())),
        ShapeKind::Enum(_)
        | ShapeKind::IntEnum(_)
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::Document => return None,
    })
}

/// The value a reader fills for member `m` when the body leaves it out: its `@default`.
fn default_expr(cx: &Ctx, m: &Member) -> Option<TokenStream> {
    let d = m.default.as_ref()?;
    let kind = &cx.svc.shape(&m.target).kind;
    let t = cx.rust_type(&m.target);
    Some(match (d, kind) {
        (DefaultValue::Bool(b), _) => quote!(#b),
        (DefaultValue::Int(n), ShapeKind::IntEnum(_)) => {
            let n = Literal::i32_unsuffixed(*n as i32);
            quote!(<#t>::from(#n))
        }
        (DefaultValue::Int(n), ShapeKind::Byte) => {
            Literal::i8_suffixed(*n as i8).into_token_stream()
        }
        (DefaultValue::Int(n), ShapeKind::Short) => {
            Literal::i16_suffixed(*n as i16).into_token_stream()
        }
        (DefaultValue::Int(n), ShapeKind::Integer) => {
            Literal::i32_suffixed(*n as i32).into_token_stream()
        }
        (DefaultValue::Int(n), ShapeKind::Long) => Literal::i64_suffixed(*n).into_token_stream(),
        (DefaultValue::Int(n), ShapeKind::Float) => {
            Literal::f32_suffixed(*n as f32).into_token_stream()
        }
        (DefaultValue::Int(n), ShapeKind::Double) => {
            Literal::f64_suffixed(*n as f64).into_token_stream()
        }
        (DefaultValue::Float(x), ShapeKind::Float) => {
            Literal::f32_suffixed(*x as f32).into_token_stream()
        }
        (DefaultValue::Float(x), _) => Literal::f64_suffixed(*x).into_token_stream(),
        (DefaultValue::Str(s), ShapeKind::Enum(_)) => quote!(<#t>::from(#s)),
        (DefaultValue::Str(s), _) => quote!(::std::string::String::from(#s)),
        (DefaultValue::Blob(b), _) => {
            use base64::Engine as _;
            match base64::engine::general_purpose::STANDARD.decode(b) {
                Ok(bytes) => {
                    let bytes = Literal::byte_string(&bytes);
                    quote!(crate::primitives::Blob::new(#bytes.to_vec()))
                }
                // Not base64 (the IR keeps the model's text): the runtime's lenient reading.
                Err(_) => quote!(json::blob_default(#b)),
            }
        }
        // Epoch seconds (what models write) become the value here; a date-time text is read
        // by the runtime.
        (DefaultValue::Timestamp(ts), _) => match ts.parse::<f64>() {
            Ok(secs) if secs.fract() == 0.0 && secs.abs() < 1e15 => {
                let secs = Literal::i64_unsuffixed(secs as i64);
                quote!(crate::primitives::DateTime::from_secs(#secs))
            }
            Ok(secs) if secs.is_finite() && secs.abs() < 1e15 => {
                let secs = Literal::f64_unsuffixed(secs);
                quote!(crate::primitives::DateTime::from_secs_f64(#secs))
            }
            _ => quote!(json::timestamp_default(#ts)),
        },
        (DefaultValue::EmptyList, _) => quote!(::std::vec::Vec::new()),
        (DefaultValue::EmptyMap, _) => quote!(::std::collections::HashMap::new()),
        (DefaultValue::Document(j), _) => match serde_json::from_str(j) {
            Ok(v) => document_expr(&v),
            Err(_) => quote!(json::document_default(#j)),
        },
        (DefaultValue::Int(_), _) => return None,
    })
}

/// A `Document` constructor for a model's default value (its depth was bounded when the model
/// was parsed).
fn document_expr(v: &serde_json::Value) -> TokenStream {
    use serde_json::Value;
    let doc = quote!(crate::primitives::Document);
    match v {
        Value::Null => quote!(#doc::Null),
        Value::Bool(b) => quote!(#doc::Bool(#b)),
        Value::String(s) => quote!(#doc::String(::std::string::String::from(#s))),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                let u = Literal::u64_unsuffixed(u);
                quote!(#doc::Number(crate::runtime::json::Number::PosInt(#u)))
            } else if let Some(i) = n.as_i64() {
                let i = Literal::i64_unsuffixed(i);
                quote!(#doc::Number(crate::runtime::json::Number::NegInt(#i)))
            } else {
                let f = Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0));
                quote!(#doc::Number(crate::runtime::json::Number::Float(#f)))
            }
        }
        Value::Array(items) => {
            let items = items.iter().map(document_expr);
            quote!(#doc::Array(::std::vec![#(#items),*]))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = document_expr(v);
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(#doc::Object(::std::collections::HashMap::from([#(#entries),*])))
        }
    }
}
