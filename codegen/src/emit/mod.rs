//! Emitters: one module per concern, each turning the IR into a token stream for one file.

mod client;
mod de;
mod docs;
mod error_meta;
mod examples;
mod operations;
mod protocol_tests;
mod robustness;
mod ser;
mod types;
mod validate;
mod waiters;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Home, Member, Service, ShapeKind, TimestampFormat};
use crate::{Error, File, Options};

/// Emits every file of `src/generated/` for the service, with `protocol_tests.rs` when there
/// are protocol tests (see [`crate::protocol_tests::build`]).
pub fn emit(
    svc: &Service,
    opts: &Options,
    tests: Option<&crate::protocol_tests::Suite>,
) -> Result<Vec<File>, Error> {
    // Doc examples name the crate: the one asked for, else the default for the service.
    let crate_name = if opts.crate_name.is_empty() {
        crate::default_crate_name(&svc.sdk_id)
    } else {
        opts.crate_name.clone()
    }
    .replace('-', "_");
    let cx = Ctx {
        svc,
        crate_name,
        notes: &opts.notes,
        verbatim: Default::default(),
    };
    let mut files = vec![
        ("types.rs", types::emit(&cx)),
        ("operation.rs", operations::emit(&cx)),
        ("client.rs", client::emit(&cx)),
        ("ser.rs", ser::emit(&cx)),
        ("de.rs", de::emit(&cx)),
        ("validate.rs", validate::emit(&cx)?),
    ];
    // A model without endpoint rules (like Smithy's protocol test services) gets the standard
    // regional rules: `https://{endpointPrefix}.{Region}.{dnsSuffix}`, FIPS and dual-stack
    // variants, and a custom endpoint when one is configured.
    let default_rules;
    let rules = match &svc.endpoint_rules {
        Some(rules) => rules,
        None => {
            default_rules = default_rule_set(&svc.endpoint_prefix);
            &default_rules
        }
    };
    let endpoints = crate::endpoints::emit_rule_set(rules, &quote!(crate::runtime))
        .map_err(|e| Error::Endpoints(e.to_string()))?;
    files.push(("endpoints.rs", endpoints));
    files.push(("error_meta.rs", error_meta::emit(&cx)));
    let mut mods = vec![
        "client",
        "de",
        "error_meta",
        "endpoints",
        "operation",
        "ser",
        "types",
        "validate",
    ];
    if let Some(tests) = &svc.endpoint_tests {
        let t =
            crate::endpoints::emit_tests(tests, &quote!(crate::runtime), &quote!(super::endpoints))
                .map_err(|e| Error::Endpoints(e.to_string()))?;
        files.push(("endpoint_tests.rs", t));
        mods.push("endpoint_tests");
    }
    if waiters::any(&cx) {
        files.push(("waiters.rs", waiters::emit(&cx)));
        mods.push("waiters");
    }
    if let Some(suite) = tests {
        files.push(("protocol_tests.rs", protocol_tests::emit(&cx, suite)));
        mods.push("protocol_tests");
    }
    files.push(("robustness.rs", robustness::emit(&cx)));
    mods.push("robustness");
    mods.sort_unstable();
    files.push(("mod.rs", module_root(&mods)));
    let header = header(&opts.source_name);
    files
        .into_iter()
        .map(|(path, tokens)| {
            Ok(File {
                path: path.to_owned(),
                contents: render_with(path, &header, tokens, &cx.verbatim.borrow())?,
            })
        })
        .collect()
}

fn module_root(mods: &[&str]) -> TokenStream {
    let decls = mods.iter().map(|m| {
        let id = format_ident!("{}", m);
        match *m {
            "client" | "operation" | "types" | "waiters" => quote!(pub mod #id;),
            "endpoint_tests" | "protocol_tests" | "robustness" => quote!(#[cfg(test)] mod #id;),
            _ => quote!(pub(crate) mod #id;),
        }
    });
    quote! {
        // Generated code reads and writes every member, deprecated ones included; users of
        // deprecated items still get the warning.
        #![allow(deprecated)]
        #(#decls)*
        pub use client::Client;
        pub use error_meta::Error;
    }
}

/// Endpoint rules for a service whose model has none, in the shape AWS uses for regional
/// services.
fn default_rule_set(prefix: &str) -> serde_json::Value {
    // `endpointPrefix` may be derived from an SDK id with spaces (`Query Protocol`).
    let prefix: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let eq = |param: &str, value: bool| serde_json::json!({"fn": "booleanEquals", "argv": [{"ref": param}, value]});
    let endpoint = |url: String| {
        serde_json::json!({
            "conditions": [],
            "endpoint": {"url": url, "properties": {}, "headers": {}},
            "type": "endpoint"
        })
    };
    let variant = |conditions: Vec<serde_json::Value>, url: String| {
        serde_json::json!({
            "conditions": conditions,
            "rules": [endpoint(url)],
            "type": "tree"
        })
    };
    serde_json::json!({
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
            "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true, "default": false, "type": "Boolean"},
            "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
        },
        "rules": [
            {
                "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}},
                "type": "endpoint"
            },
            {
                "conditions": [
                    {"fn": "isSet", "argv": [{"ref": "Region"}]},
                    {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
                ],
                "rules": [
                    variant(
                        vec![eq("UseFIPS", true), eq("UseDualStack", true)],
                        format!("https://{prefix}-fips.{{Region}}.{{PartitionResult#dualStackDnsSuffix}}"),
                    ),
                    variant(
                        vec![eq("UseFIPS", true)],
                        format!("https://{prefix}-fips.{{Region}}.{{PartitionResult#dnsSuffix}}"),
                    ),
                    variant(
                        vec![eq("UseDualStack", true)],
                        format!("https://{prefix}.{{Region}}.{{PartitionResult#dualStackDnsSuffix}}"),
                    ),
                    endpoint(format!("https://{prefix}.{{Region}}.{{PartitionResult#dnsSuffix}}"))
                ],
                "type": "tree"
            },
            {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
        ]
    })
}

fn header(source: &str) -> String {
    format!(
        "// @generated by `cargo xtask codegen` from {source}. Do not edit by hand:\n\
         // change the generator (codegen/) or the model and regenerate.\n\n"
    )
}

/// Formats a token stream as a Rust file with prettyplease, behind the `@generated` header.
pub fn render(path: &str, header: &str, tokens: TokenStream) -> Result<String, Error> {
    render_with(path, header, tokens, &[])
}

/// [`render`], then puts each verbatim block (see [`Ctx::verbatim`]) where its placeholder
/// line is, indented like it.
fn render_with(
    path: &str,
    header: &str,
    tokens: TokenStream,
    blocks: &[String],
) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Render {
        file: path.to_owned(),
        message: e.to_string(),
    })?;
    let mut out = String::from(header);
    for line in prettyplease::unparse(&file).split_inclusive('\n') {
        let trimmed = line.trim();
        let block = trimmed
            .strip_prefix(VERBATIM)
            .and_then(|rest| rest.strip_suffix("!();"))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| blocks.get(n));
        match block {
            Some(text) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                for l in text.lines() {
                    if !l.is_empty() {
                        out.push_str(indent);
                    }
                    out.push_str(l);
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    Ok(out)
}

/// The name of a verbatim block's placeholder macro call: `__codegen_verbatim_<n>!();`.
const VERBATIM: &str = "__codegen_verbatim_";

/// Rust source text of a type (`Option<crate::types::Kind>`), as prettyplease prints it.
pub(crate) fn type_text(t: &TokenStream) -> String {
    let file: syn::File = syn::parse_quote!(type T = #t;);
    let text = prettyplease::unparse(&file);
    text.trim()
        .trim_start_matches("type T = ")
        .trim_end_matches(';')
        .to_owned()
}

/// An identifier from a name decided in `naming` (which may be raw, `r#type`).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Shared lookups for the emitters.
pub(crate) struct Ctx<'a> {
    pub svc: &'a Service,
    /// Descriptions in the project's own words.
    pub notes: &'a crate::Notes,
    /// The crate's Rust name, for doc examples.
    pub crate_name: String,
    /// Blocks of source text laid out by hand (macro invocations, whose bodies prettyplease
    /// can only print as a run of tokens), put in place by [`render_with`].
    pub verbatim: std::cell::RefCell<Vec<String>>,
}

impl Ctx<'_> {
    /// A placeholder item for `text`, which rendering puts in its place verbatim.
    pub fn verbatim(&self, text: String) -> TokenStream {
        let mut blocks = self.verbatim.borrow_mut();
        let id = format_ident!("{VERBATIM}{}", blocks.len());
        blocks.push(text);
        quote!(#id!();)
    }

    /// The path of a named (structure, union or enum) type as seen from anywhere in the crate.
    pub fn type_path(&self, id: &str) -> TokenStream {
        let shape = self.svc.shape(id);
        let name = ident(&shape.rust_name);
        match &shape.home {
            Home::Types => quote!(crate::types::#name),
            Home::Error => quote!(crate::types::error::#name),
            Home::Operation(m) => {
                let m = ident(m);
                quote!(crate::operation::#m::#name)
            }
        }
    }

    /// The Rust type of a value of shape `id`.
    pub fn rust_type(&self, id: &str) -> TokenStream {
        match &self.svc.shape(id).kind {
            ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_) => self.type_path(id),
            ShapeKind::List(m) => {
                let t = self.rust_type(&m.target);
                quote!(Vec<#t>)
            }
            ShapeKind::Map { key, value } => {
                let k = self.rust_type(&key.target);
                let v = self.rust_type(&value.target);
                quote!(::std::collections::HashMap<#k, #v>)
            }
            ShapeKind::String => quote!(String),
            ShapeKind::Blob => quote!(crate::primitives::Blob),
            ShapeKind::Boolean => quote!(bool),
            ShapeKind::Byte => quote!(i8),
            ShapeKind::Short => quote!(i16),
            ShapeKind::Integer => quote!(i32),
            ShapeKind::Long => quote!(i64),
            ShapeKind::Float => quote!(f32),
            ShapeKind::Double => quote!(f64),
            ShapeKind::Timestamp => quote!(crate::primitives::DateTime),
        }
    }

    /// The field type of a structure member: always optional, boxed where it closes a cycle.
    pub fn member_type(&self, m: &Member) -> TokenStream {
        let t = self.rust_type(&m.target);
        if m.boxed {
            quote!(Option<Box<#t>>)
        } else {
            quote!(Option<#t>)
        }
    }

    /// A function-name fragment unique to a shape (`identity_mail_from_domain_attributes`).
    /// `de_<shape>`, decided by the naming pass.
    pub fn de_fn(&self, id: &str) -> Ident {
        ident(&self.svc.shape(id).names.de_fn)
    }

    /// `de_entry_<map>`, decided by the naming pass.
    pub fn de_entry_fn(&self, id: &str) -> Ident {
        ident(&self.svc.shape(id).names.de_entry_fn)
    }

    /// `validate_<shape>`, decided by the naming pass.
    pub fn validate_fn(&self, id: &str) -> Ident {
        ident(&self.svc.shape(id).names.validate_fn)
    }

    /// `value_<shape>`, decided by the naming pass.
    pub fn value_fn(&self, id: &str) -> Ident {
        ident(&self.svc.shape(id).names.value_fn)
    }

    /// The timestamp format of a member: its own trait, else its target's, else `default`.
    pub fn timestamp_format(&self, m: &Member, default: TimestampFormat) -> TokenStream {
        match m.timestamp_format.unwrap_or(default) {
            TimestampFormat::EpochSeconds => quote!(crate::runtime::time::Format::EpochSeconds),
            TimestampFormat::HttpDate => quote!(crate::runtime::time::Format::HttpDate),
            TimestampFormat::DateTime => quote!(crate::runtime::time::Format::DateTime),
        }
    }
}
