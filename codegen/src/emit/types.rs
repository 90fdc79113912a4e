//! `types.rs`: structures (with their builders), enums and modeled error types.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::{Ctx, docs, ident, indent, type_text};
use crate::ir::{
    DefaultValue, EnumVariant, Home, IntEnumVariant, Member, Shape, ShapeKind, Structure, Union,
    number_kind, scalar_kind,
};
use crate::naming;

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let mut types = Vec::new();
    let mut errors = Vec::new();
    let mut builders = Vec::new();
    let mut error_builders = Vec::new();
    for shape in cx.svc.shapes.values() {
        let builder = ident(&shape.names.builder);
        match (&shape.home, &shape.kind) {
            (Home::Types, ShapeKind::Structure(st)) => {
                builders.push(builder);
                types.push(structure(cx, shape, st))
            }
            (Home::Types, ShapeKind::Union(u)) => types.push(union(cx, shape, u)),
            (Home::Types, ShapeKind::Enum(v)) => types.push(string_enum(cx, shape, v)),
            (Home::Types, ShapeKind::IntEnum(v)) => types.push(int_enum(cx, shape, v)),
            (Home::Error, ShapeKind::Structure(st)) => {
                error_builders.push(builder);
                errors.push(error_struct(cx, shape, st))
            }
            // Operation inputs and outputs are declared in their operation's module; scalars,
            // lists, maps and the rest have no type of their own.
            (Home::Operation(_), _)
            | (Home::Error, ShapeKind::Union(_) | ShapeKind::List(_) | ShapeKind::Map { .. })
            | (Home::Error | Home::Types, scalar_kind!())
            | (Home::Types, ShapeKind::List(_) | ShapeKind::Map { .. }) => {}
        }
    }
    let uses = |names: &[proc_macro2::Ident]| {
        (!names.is_empty()).then(|| quote!(pub use super::{#(#names),*};))
    };
    let (builders_use, error_builders_use) = (uses(&builders), uses(&error_builders));
    quote! {
        //! Data types shared by the operations: structures, enums and modeled errors.
        #(#types)*
        /// The builders of the structures in this module, where AWS's Rust SDK has them.
        pub mod builders {
            #builders_use
        }
        /// Errors the service models, one type per error shape.
        pub mod error {
            #(#errors)*
            /// The builders of the error types.
            pub mod builders {
                #error_builders_use
            }
        }
    }
}

fn shape_docs(cx: &Ctx, shape: &Shape, what: &str) -> TokenStream {
    let mut text = match (&shape.docs, docs::shape_note(cx, &shape.id)) {
        (Some(d), _) => docs::from_html(d),
        (None, Some(note)) => note.to_owned(),
        (None, None) => format!(
            "The `{}` {what} of the service model.",
            crate::naming::ir_local(&shape.id)
        ),
    };
    let c = docs::constraint_text(&shape.constraints);
    if !c.is_empty() {
        text.push_str("\n\n");
        text.push_str(&c.join(" "));
    }
    for m in &shape.omitted_members {
        text.push_str(&format!(
            "\n\nNot generated: the member `{}` of the model ({}).",
            m.wire_name, m.reason
        ));
    }
    if what != "enum" {
        text.push_str(&format!(
            "\n\nAWS API reference: <https://docs.aws.amazon.com/goto/WebAPI/{}/{}>",
            cx.svc.doc_id,
            crate::naming::ir_local(&shape.id)
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

/// What a structure is, for its builder: an operation input (whose `build()` never fails), an
/// operation output (carries the request id), a modeled error (carries the error metadata), or
/// a shared type.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Input,
    Output,
    Error,
    Shared,
}

/// Whether AWS's Rust SDK gives a member a non-`Option` field (so its getter returns the value
/// and its builder's `build()` checks it): a member the model requires or defaults, outside
/// operation inputs, unless it targets a structure or union (those stay optional there too).
fn non_optional(cx: &Ctx, m: &Member, role: Role) -> bool {
    role != Role::Input
        && (m.required || m.default.is_some())
        && !m.boxed
        && !matches!(
            cx.svc.shape(&m.target).kind,
            ShapeKind::Structure(_) | ShapeKind::Union(_)
        )
}

/// Whether a structure has members its builder's `build()` checks (then it returns `Result`).
fn required_members(cx: &Ctx, st: &Structure, role: Role) -> bool {
    st.members
        .iter()
        .any(|m| non_optional(cx, m, role) && m.default.is_none())
}

/// Whether a shared structure's `build()` returns `Result` (doc examples add `?`).
pub(super) fn build_returns_result(cx: &Ctx, st: &Structure) -> bool {
    required_members(cx, st, Role::Shared)
}

/// The literal of a numeric or boolean `@default`, typed like the member.
fn default_literal(kind: &ShapeKind, value: Option<&DefaultValue>) -> TokenStream {
    use proc_macro2::Literal;
    let n = match value {
        Some(DefaultValue::Int(n)) => *n as f64,
        Some(DefaultValue::Float(x)) => *x,
        _ => 0.0,
    };
    let int = match value {
        Some(DefaultValue::Int(n)) => *n,
        _ => 0,
    };
    match kind {
        ShapeKind::Boolean => {
            let b = matches!(value, Some(DefaultValue::Bool(true)));
            quote!(#b)
        }
        // The IR checked that an integer default fits its type.
        ShapeKind::Byte => Literal::i8_suffixed(int as i8).into_token_stream(),
        ShapeKind::Short => Literal::i16_suffixed(int as i16).into_token_stream(),
        ShapeKind::Integer => Literal::i32_suffixed(int as i32).into_token_stream(),
        ShapeKind::Long => Literal::i64_suffixed(int).into_token_stream(),
        ShapeKind::Float => Literal::f32_suffixed(n as f32).into_token_stream(),
        // Only numbers and booleans have `copy_or` getters, which this is for.
        ShapeKind::Double
        | ShapeKind::String
        | ShapeKind::Enum(_)
        | ShapeKind::IntEnum(_)
        | ShapeKind::Timestamp
        | ShapeKind::Blob
        | ShapeKind::Document
        | ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map { .. } => Literal::f64_suffixed(n).into_token_stream(),
    }
}

/// The doc comment and attributes of a member, as `///` lines.
fn member_doc_lines(cx: &Ctx, owner: &str, m: &Member) -> String {
    let mut out = String::new();
    for line in docs::member(cx, owner, m).lines() {
        if line.is_empty() {
            out.push_str("///\n");
        } else {
            out.push_str(&format!("/// {line}\n"));
        }
    }
    if let Some(d) = &m.deprecated {
        let note = d.message.clone().unwrap_or_default();
        out.push_str(&format!("#[deprecated(note = {note:?})]\n"));
    }
    out
}

/// `field set_field get_field [Option<T>]`: the names and field type of a member.
fn member_head(cx: &Ctx, m: &Member) -> String {
    format!(
        "{} {} {} [{}]",
        m.rust_name,
        m.names.set,
        m.names.get,
        type_text(&cx.member_type(m))
    )
}

/// One member line of a `structure!` invocation (see the runtime's `macros::structure`).
fn member_spec(cx: &Ctx, owner: &str, m: &Member, role: Role) -> String {
    let t = type_text(&cx.rust_type(&m.target));
    let value = non_optional(cx, m, role);
    let kind = &cx.svc.shape(&m.target).kind;
    let getter = match kind {
        ShapeKind::String if value => "str_req []".to_owned(),
        ShapeKind::String => "str []".to_owned(),
        ShapeKind::List(item) => {
            let _ = item;
            let it = type_text(&cx.entry_type(&m.target));
            if m.boxed {
                format!("list_boxed [{it}]")
            } else {
                format!("list [{it}]")
            }
        }
        ShapeKind::Boolean | number_kind!() => {
            if value {
                let d = default_literal(kind, m.default.as_ref());
                format!("copy_or [{t}, {d}]")
            } else {
                format!("copy [{t}]")
            }
        }
        ShapeKind::IntEnum(_) if value => {
            let n = match m.default {
                Some(DefaultValue::Int(n)) => n as i32,
                _ => 0,
            };
            format!("copy_or [{t}, {t}::from({n})]")
        }
        ShapeKind::IntEnum(_) => format!("copy [{t}]"),
        ShapeKind::Enum(_) if value => {
            // As AWS's Rust SDK fills a required enum the response left out.
            let d = match &m.default {
                Some(DefaultValue::Str(s)) => s.as_str(),
                _ => "no value was set",
            };
            format!("by_ref_req [{t}, {t}::from({d:?})]")
        }
        ShapeKind::Map { .. } | ShapeKind::Blob if value => {
            format!("by_ref_req [{t}, ::std::default::Default::default()]")
        }
        ShapeKind::Timestamp if value => {
            format!("by_ref_req [{t}, crate::primitives::DateTime::from_secs(0)]")
        }
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::Enum(_)
        | ShapeKind::Map { .. }
        | ShapeKind::Blob
        | ShapeKind::Document
        | ShapeKind::Timestamp => {
            if m.boxed {
                format!("by_ref_boxed [{t}]")
            } else {
                format!("by_ref [{t}]")
            }
        }
    };
    let req = if value && m.default.is_none() {
        "required"
    } else {
        "optional"
    };
    format!(
        "{}{} {getter} {} {req};\n",
        member_doc_lines(cx, owner, m),
        member_head(cx, m),
        setter_kind(cx, m)
    )
}

/// How a builder sets a member: append to a list, insert into a map, box, or set.
fn setter_kind(cx: &Ctx, m: &Member) -> String {
    let t = type_text(&cx.rust_type(&m.target));
    if m.boxed {
        return format!("boxed [{t}]");
    }
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::List(_) => {
            format!("push [{}]", type_text(&cx.entry_type(&m.target)))
        }
        ShapeKind::Map { key, .. } => format!(
            "insert [{}, {}]",
            type_text(&cx.rust_type(&key.target)),
            type_text(&cx.entry_type(&m.target))
        ),
        ShapeKind::Structure(_) | ShapeKind::Union(_) | scalar_kind!() => format!("one [{t}]"),
    }
}

/// The `structure!` invocation of a structure: getters on it, and its builder.
pub(super) fn structure_api(cx: &Ctx, shape: &Shape, st: &Structure, role: Role) -> TokenStream {
    let builder = &shape.names.builder;
    let owner = shape.id.as_str();
    let members: String = st
        .members
        .iter()
        .map(|m| member_spec(cx, owner, m, role))
        .collect();
    let build = if role == Role::Input {
        "input"
    } else if required_members(cx, st, role) {
        "result"
    } else {
        "plain"
    };
    let debug = if st.members.iter().any(|m| m.sensitive) {
        "redacted"
    } else {
        "derive"
    };
    // A structure can be an operation's input and another's output at once: it carries the
    // request id then too.
    let is_output = cx.svc.operations.iter().any(|op| op.output == shape.id);
    let extra = match role {
        Role::Error => "meta: crate::error::ErrorMetadata",
        _ if is_output => "_request_id: Option<String>",
        _ => "",
    };
    cx.verbatim(format!(
        "crate::runtime::macros::structure! {{\n    {}, {builder}, {build}, {debug}, extra [{extra}];\n{}}}\n",
        shape.rust_name,
        indent(&members)
    ))
}

/// The `fluent_setters!` invocation for a fluent builder (or waiter) whose `inner` is the
/// input's builder (or the operation's fluent builder).
pub(super) fn fluent_api(cx: &Ctx, target: &str, input: &Shape) -> TokenStream {
    cx.verbatim(format!(
        "crate::runtime::macros::fluent_setters! {{\n    {target};\n{}}}\n",
        indent(&fluent_members(cx, input))
    ))
}

/// The member lines of a `fluent_setters!` invocation (also the tail of `operation!`'s).
pub(super) fn fluent_members(cx: &Ctx, input: &Shape) -> String {
    let ShapeKind::Structure(st) = &input.kind else {
        return String::new();
    };
    st.members
        .iter()
        .map(|m| {
            format!(
                "{}{} {};\n",
                member_doc_lines(cx, &input.id, m),
                member_head(cx, m),
                setter_kind(cx, m)
            )
        })
        .collect()
}

pub(super) fn structure(cx: &Ctx, shape: &Shape, st: &Structure) -> TokenStream {
    let name = ident(&shape.rust_name);
    let doc = shape_docs(cx, shape, "structure");
    let is_output = cx.svc.operations.iter().any(|op| op.output == shape.id);
    let is_input = cx.svc.operations.iter().any(|op| op.input == shape.id);
    let role = if is_input {
        Role::Input
    } else if is_output {
        Role::Output
    } else {
        Role::Shared
    };
    let mut fields = fields(cx, st);
    let allow = allow_deprecated(st);
    let (derive, debug) = debug(&name, st, if is_output { &["_request_id"] } else { &[] });
    let request_id = is_output.then(|| {
        fields.push(quote!(pub(crate) _request_id: Option<String>,));
        quote!(crate::runtime::macros::output_request_id!(#name);)
    });
    let api = structure_api(cx, shape, st, role);
    quote! {
        #request_id
        #doc
        #[derive(Clone, Default, PartialEq, #derive)]
        #[non_exhaustive]
        #allow
        pub struct #name { #(#fields)* }
        #api
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
        let as_fn = ident(&m.names.as_fn);
        let is_fn = ident(&m.names.is_fn);
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
    let api = structure_api(cx, shape, st, Role::Error);
    let builder = ident(&shape.names.builder);
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
        #api
        impl #builder {
            /// Sets the error metadata (code, message, request id, ...).
            pub fn meta(mut self, meta: crate::error::ErrorMetadata) -> Self {
                self.meta = meta;
                self
            }
            /// Sets or clears the error metadata.
            pub fn set_meta(mut self, meta: Option<crate::error::ErrorMetadata>) -> Self {
                self.meta = meta.unwrap_or_default();
                self
            }
        }
        #debug
    }
}

fn string_enum(cx: &Ctx, shape: &Shape, variants: &[EnumVariant]) -> TokenStream {
    let values_list: Vec<String> = variants.iter().map(|v| format!("`{}`", v.value)).collect();
    let mut text = match (&shape.docs, docs::shape_note(cx, &shape.id)) {
        (Some(d), _) => docs::from_html(d),
        (None, Some(note)) => note.to_owned(),
        (None, None) => format!(
            "The `{}` enum of the service model.",
            crate::naming::ir_local(&shape.id)
        ),
    };
    text.push_str(&format!(
        "\n\nKnown values: {}. Values this version does not know yet are kept in `Unknown`.",
        values_list.join(", ")
    ));
    let lines: String = variants
        .iter()
        .map(|v| {
            let dep = if v.deprecated.is_some() {
                "#[deprecated]\n"
            } else {
                ""
            };
            format!(
                "{}{dep}{} = {:?},\n",
                doc_lines(&docs::enum_value(cx, &shape.id, v)),
                v.rust_name,
                v.value
            )
        })
        .collect();
    cx.verbatim(format!(
        "crate::runtime::macros::string_enum! {{\n{}    {} {{\n{}    }}\n}}\n",
        indent(&doc_lines(&text)),
        shape.rust_name,
        indent(&indent(&lines))
    ))
}

/// `text` as `///` lines.
fn doc_lines(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "///\n".to_owned()
            } else {
                format!("/// {l}\n")
            }
        })
        .collect()
}

fn int_enum(cx: &Ctx, shape: &Shape, variants: &[IntEnumVariant]) -> TokenStream {
    let text = match &shape.docs {
        Some(d) => docs::from_html(d),
        None => format!(
            "The `{}` integer enum of the service model.",
            crate::naming::ir_local(&shape.id)
        ),
    };
    let lines: String = variants
        .iter()
        .map(|v| {
            let d = v
                .docs
                .as_deref()
                .map(docs::from_html)
                .unwrap_or_else(|| format!("`{}`", v.value));
            format!("{}{} = {},\n", doc_lines(&d), v.rust_name, v.value as i32)
        })
        .collect();
    cx.verbatim(format!(
        "crate::runtime::macros::int_enum! {{\n{}    {} {{\n{}    }}\n}}\n",
        indent(&doc_lines(&text)),
        shape.rust_name,
        indent(&indent(&lines))
    ))
}
