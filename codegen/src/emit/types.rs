//! `types.rs`: structures (with their builders), enums and modeled error types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Ctx, docs, ident};
use crate::ir::{EnumVariant, Home, IntEnumVariant, Shape, ShapeKind, Structure, Union};
use crate::naming;

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let mut types = Vec::new();
    let mut errors = Vec::new();
    for shape in cx.svc.shapes.values() {
        match (&shape.home, &shape.kind) {
            (Home::Types, ShapeKind::Structure(st)) => types.push(structure(cx, shape, st)),
            (Home::Types, ShapeKind::Union(u)) => types.push(union(cx, shape, u)),
            (Home::Types, ShapeKind::Enum(v)) => types.push(string_enum(cx, shape, v)),
            (Home::Types, ShapeKind::IntEnum(v)) => types.push(int_enum(shape, v)),
            (Home::Error, ShapeKind::Structure(st)) => errors.push(error_struct(cx, shape, st)),
            _ => {}
        }
    }
    quote! {
        //! Data types shared by the operations: structures, enums and modeled errors.
        #(#types)*
        /// Errors the service models, one type per error shape.
        pub mod error {
            #(#errors)*
        }
    }
}

fn shape_docs(cx: &Ctx, shape: &Shape, what: &str) -> TokenStream {
    let mut text = match (&shape.docs, docs::shape_note(cx, &shape.id)) {
        (Some(d), _) => docs::from_html(d),
        (None, Some(note)) => note.to_owned(),
        (None, None) => format!(
            "The `{}` {what} of the service model.",
            crate::ir_local(&shape.id)
        ),
    };
    let c = docs::constraint_text(&shape.constraints);
    if !c.is_empty() {
        text.push_str("\n\n");
        text.push_str(&c.join(" "));
    }
    if what != "enum" {
        text.push_str(&format!(
            "\n\nAWS API reference: <https://docs.aws.amazon.com/goto/WebAPI/{}/{}>",
            cx.svc.doc_id,
            crate::ir_local(&shape.id)
        ));
    }
    let mut out = docs::attrs(&text);
    if let Some(d) = &shape.deprecated {
        let note = d.message.clone().unwrap_or_default();
        out.extend(quote!(#[deprecated(note = #note)]));
    }
    out
}

/// The fields of a structure.
fn fields(cx: &Ctx, st: &Structure) -> Vec<TokenStream> {
    let owner = docs::owner_of(cx, st);
    st.members
        .iter()
        .map(|m| {
            let f = ident(&m.rust_name);
            let t = cx.member_type(m);
            let d = docs::attrs(&docs::member(cx, owner, m));
            let dep = m.deprecated.as_ref().map(|d| {
                let note = d.message.clone().unwrap_or_default();
                quote!(#[deprecated(note = #note)])
            });
            quote!(#d #dep pub #f: #t,)
        })
        .collect()
}

/// `#[derive(Debug)]`, or a `Debug` impl that redacts `@sensitive` members; `extra` names
/// fields the generator adds (`meta`, `_request_id`).
fn debug(name: &proc_macro2::Ident, st: &Structure, extra: &[&str]) -> (TokenStream, TokenStream) {
    if !st.members.iter().any(|m| m.sensitive) {
        return (quote!(Debug,), quote!());
    }
    let entries = st.members.iter().map(|m| {
        let f = ident(&m.rust_name);
        let label = naming::bare(&m.rust_name);
        if m.sensitive {
            quote!(.field(#label, &crate::runtime::redact::Redacted(&self.#f)))
        } else {
            quote!(.field(#label, &self.#f))
        }
    });
    let extra = extra.iter().map(|e| {
        let f = format_ident!("{}", e);
        quote!(.field(#e, &self.#f))
    });
    let label = name.to_string();
    let imp = quote! {
        impl std::fmt::Debug for #name {
            #[allow(deprecated)]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#entries)* #(#extra)* .finish()
            }
        }
    };
    (quote!(), imp)
}

/// `#[allow(deprecated)]` where a member is deprecated (generated code touches every field).
fn allow_deprecated(st: &Structure) -> TokenStream {
    if st.members.iter().any(|m| m.deprecated.is_some()) {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    }
}

/// Builder-style setters on the type itself: `Foo::builder().a("x").b(1).build()`.
pub(super) fn setters(cx: &Ctx, st: &Structure) -> Vec<TokenStream> {
    let owner = docs::owner_of(cx, st);
    st.members
        .iter()
        .map(|m| {
            let f = ident(&m.rust_name);
            let set = format_ident!("set_{}", naming::bare(&m.rust_name));
            let full = cx.member_type(m);
            let wire = &m.wire_name;
            let note = docs::member_note(cx, owner, m)
                .map(|n| format!("\n\n{n}"))
                .unwrap_or_default();
            let target = cx.svc.shape(&m.target);
            let adder = match &target.kind {
                ShapeKind::List(item) => {
                    let it = cx.rust_type(&item.target);
                    let doc = docs::attrs(&format!("Appends an item to `{wire}`.{note}"));
                    quote! {
                        #doc
                        pub fn #f(mut self, item: impl Into<#it>) -> Self {
                            self.#f.get_or_insert_with(Vec::new).push(item.into());
                            self
                        }
                    }
                }
                ShapeKind::Map { key, value } => {
                    let k = cx.rust_type(&key.target);
                    let v = cx.rust_type(&value.target);
                    let doc = docs::attrs(&format!("Adds an entry to `{wire}`.{note}"));
                    quote! {
                        #doc
                        pub fn #f(mut self, key: impl Into<#k>, value: impl Into<#v>) -> Self {
                            self.#f.get_or_insert_with(::std::collections::HashMap::new).insert(key.into(), value.into());
                            self
                        }
                    }
                }
                _ => {
                    let t = cx.rust_type(&m.target);
                    let doc = docs::attrs(&format!("Sets `{wire}`.{note}"));
                    let value = if m.boxed { quote!(Box::new(input.into())) } else { quote!(input.into()) };
                    quote! {
                        #doc
                        pub fn #f(mut self, input: impl Into<#t>) -> Self {
                            self.#f = Some(#value);
                            self
                        }
                    }
                }
            };
            let doc = format!("Sets or clears `{wire}`.");
            quote! {
                #adder
                #[doc = #doc]
                pub fn #set(mut self, input: #full) -> Self {
                    self.#f = input;
                    self
                }
            }
        })
        .collect()
}

pub(super) fn structure(cx: &Ctx, shape: &Shape, st: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let doc = shape_docs(cx, shape, "structure");
    let is_output = cx.svc.operations.iter().any(|op| op.output == shape.id);
    let is_input = cx.svc.operations.iter().any(|op| op.input == shape.id);
    let mut fields = fields(cx, st);
    let allow = allow_deprecated(st);
    let (derive, debug) = debug(&name, st, if is_output { &["_request_id"] } else { &[] });
    let request_id = is_output.then(|| {
        fields.push(quote!(_request_id: Option<String>,));
        quote!(crate::runtime::macros::output_request_id!(#name);)
    });
    // Builders for shared types (request parts, and values tests build to compare with).
    // Operation inputs are built through the fluent builder; operation outputs are only read.
    let builder = (!is_input && !is_output && !st.members.is_empty()).then(|| {
        let setters = setters(cx, st);
        quote! {
            #allow
            impl #name {
                /// A new, empty value to fill in with the setters below (they consume and return it).
                pub fn builder() -> Self { Self::default() }
                #(#setters)*
                /// Finishes building. Required members are checked when a request is sent.
                pub fn build(self) -> Self { self }
            }
        }
    });
    quote! {
        #request_id
        #doc
        #[derive(Clone, Default, PartialEq, #derive)]
        #[non_exhaustive]
        #allow
        pub struct #name { #(#fields)* }
        #builder
        #debug
    }
}

/// A union as a Rust enum: one variant per member (boxed where it closes a cycle), plus
/// `Unknown` for a member this version does not know, which only a response can produce (the
/// variant is `#[non_exhaustive]`, so users cannot construct it) and which fails validation if
/// it is sent back. `as_<member>`/`is_<member>`/`is_unknown` accessors, as in AWS's Rust SDK.
fn union(cx: &Ctx, shape: &Shape, u: &Union) -> TokenStream {
    let name = ident(&shape.rust_name);
    let mut doc = shape_docs(cx, shape, "union");
    doc.extend(quote! {
        #[doc = ""]
        #[doc = " Exactly one member is set: each variant is one member of the union."]
    });
    let members: Vec<_> = u.members.iter().zip(&u.variants).collect();
    let decl = members.iter().map(|(m, v)| {
        let v = ident(v);
        let t = cx.rust_type(&m.target);
        let t = if m.boxed { quote!(Box<#t>) } else { t };
        let mut text = match (&m.docs, docs::member_note(cx, &shape.id, m)) {
            (Some(d), _) => format!("{}\n\n", docs::from_html(d)),
            (None, Some(note)) => format!("{note}\n\n"),
            (None, None) => String::new(),
        };
        text.push_str(&format!(
            "`{}` on the wire: {}.",
            m.wire_name,
            docs::type_phrase(cx, &m.target)
        ));
        for c in docs::constraint_text(&m.constraints)
            .into_iter()
            .chain(docs::constraint_text(&cx.svc.shape(&m.target).constraints))
        {
            text.push(' ');
            text.push_str(&c);
        }
        if m.sensitive {
            text.push_str(" Sensitive: `Debug` shows it redacted.");
        }
        let d = docs::attrs(&text);
        let dep = m.deprecated.as_ref().map(|d| {
            let note = d.message.clone().unwrap_or_default();
            quote!(#[deprecated(note = #note)])
        });
        quote!(#d #dep #v(#t),)
    });
    let accessors = members.iter().map(|(m, v)| {
        let v = ident(v);
        let t = cx.rust_type(&m.target);
        let bare = naming::bare(&m.rust_name);
        let as_fn = format_ident!("as_{}", bare);
        let is_fn = format_ident!("is_{}", bare);
        let value = if m.boxed {
            quote!(v.as_ref())
        } else {
            quote!(v)
        };
        let as_doc = format!(
            " The `{}` value, or `Err(self)` when another member is set.",
            m.wire_name
        );
        let is_doc = format!(" Whether the `{}` member is set.", m.wire_name);
        quote! {
            #[doc = #as_doc]
            pub fn #as_fn(&self) -> Result<&#t, &Self> {
                if let Self::#v(v) = self { Ok(#value) } else { Err(self) }
            }
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                self.#as_fn().is_ok()
            }
        }
    });
    let (derive, debug) = if u.members.iter().any(|m| m.sensitive) {
        let arms = members.iter().map(|(m, v)| {
            let label = v.to_string();
            let v = ident(v);
            if m.sensitive {
                quote!(Self::#v(_) => f.debug_tuple(#label).field(&crate::runtime::redact::RedactedValue).finish(),)
            } else {
                quote!(Self::#v(v) => f.debug_tuple(#label).field(v).finish(),)
            }
        });
        let imp = quote! {
            #[allow(deprecated)]
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        #(#arms)*
                        Self::Unknown => f.write_str("Unknown"),
                    }
                }
            }
        };
        (quote!(), imp)
    } else {
        (quote!(Debug,), quote!())
    };
    quote! {
        #doc
        #[derive(Clone, PartialEq, #derive)]
        #[non_exhaustive]
        #[allow(deprecated)]
        pub enum #name {
            #(#decl)*
            /// A member this version of the client does not know, received in a response.
            /// It cannot be sent: a request holding it fails validation before any I/O.
            #[non_exhaustive]
            Unknown,
        }
        #[allow(deprecated)]
        impl #name {
            #(#accessors)*
            /// Whether this holds a member this version of the client does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown)
            }
        }
        #debug
    }
}

fn error_struct(cx: &Ctx, shape: &Shape, st: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let doc = shape_docs(cx, shape, "error");
    let fields = fields(cx, st);
    let allow = allow_deprecated(st);
    let (derive, debug) = debug(&name, st, &["meta"]);
    let code = st
        .error
        .as_ref()
        .map(|e| e.code.clone())
        .unwrap_or_default();
    let code_doc = format!("The error code `{code}`.");
    quote! {
        #doc
        #[derive(Clone, Default, PartialEq, #derive)]
        #[non_exhaustive]
        #allow
        pub struct #name {
            #(#fields)*
            /// Code, message, `Type`, request id and HTTP status of the error response.
            pub meta: crate::error::ErrorMetadata,
        }
        impl #name {
            #[doc = #code_doc]
            pub const CODE: &'static str = #code;
        }
        crate::runtime::macros::modeled_error!(#name);
        #debug
    }
}

fn string_enum(cx: &Ctx, shape: &Shape, variants: &[EnumVariant]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let values_list: Vec<String> = variants.iter().map(|v| format!("`{}`", v.value)).collect();
    let mut text = match (&shape.docs, docs::shape_note(cx, &shape.id)) {
        (Some(d), _) => docs::from_html(d),
        (None, Some(note)) => note.to_owned(),
        (None, None) => format!(
            "The `{}` enum of the service model.",
            crate::ir_local(&shape.id)
        ),
    };
    text.push_str(&format!(
        "\n\nKnown values: {}. Values this version does not know yet are kept in `Unknown`.",
        values_list.join(", ")
    ));
    let doc = docs::attrs(&text);
    let decl = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let d = docs::attrs(&docs::enum_value(cx, &shape.id, v));
        let dep = v.deprecated.as_ref().map(|_| quote!(#[deprecated]));
        quote!(#d #dep #id,)
    });
    let to_str = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let s = &v.value;
        quote!(Self::#id => #s,)
    });
    let from_str = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let s = &v.value;
        quote!(#s => Self::#id,)
    });
    let values = variants.iter().map(|v| &v.value);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[allow(deprecated)]
        pub enum #name {
            #(#decl)*
            /// A value this version of the client does not know.
            Unknown(crate::primitives::UnknownVariantValue),
        }
        #[allow(deprecated)]
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self { #(#to_str)* Self::Unknown(v) => v.as_str() }
            }
            /// Every value the model defines.
            pub const fn values() -> &'static [&'static str] { &[#(#values),*] }
        }
        #[allow(deprecated)]
        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                match s { #(#from_str)* other => Self::Unknown(crate::primitives::UnknownVariantValue::new(other)) }
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Ok(Self::from(s)) }
        }
        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str { self.as_str() }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str(self.as_str()) }
        }
    }
}

fn int_enum(shape: &Shape, variants: &[IntEnumVariant]) -> TokenStream {
    let name = ident(&shape.rust_name);
    let text = match &shape.docs {
        Some(d) => docs::from_html(d),
        None => format!(
            "The `{}` integer enum of the service model.",
            crate::ir_local(&shape.id)
        ),
    };
    let doc = docs::attrs(&text);
    let decl = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let d = v
            .docs
            .as_deref()
            .map(docs::from_html)
            .unwrap_or_else(|| format!("`{}`", v.value));
        quote!(#[doc = #d] #id,)
    });
    let to_int = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let n = v.value as i32;
        quote!(Self::#id => #n,)
    });
    let from_int = variants.iter().map(|v| {
        let id = ident(&v.rust_name);
        let n = v.value as i32;
        quote!(#n => Self::#id,)
    });
    quote! {
        #doc
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            /// A value this version of the client does not know.
            Unknown(i32),
        }
        impl #name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i32 { match self { #(#to_int)* Self::Unknown(n) => *n } }
        }
        impl ::std::convert::From<i32> for #name {
            fn from(n: i32) -> Self { match n { #(#from_int)* other => Self::Unknown(other) } }
        }
    }
}
