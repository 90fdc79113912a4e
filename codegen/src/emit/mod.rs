//! Emitters: one module per concern, each turning the IR into a token stream for one file.

mod client;
mod de;
mod docs;
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

use crate::ir::{Home, Member, Service, ShapeKind};
use crate::{Error, File, Options};

/// Emits every file of `src/generated/` for the service.
pub fn emit(svc: &Service, opts: &Options) -> Result<Vec<File>, Error> {
    let crate_name = if opts.crate_name.is_empty() {
        "ses_client".to_owned()
    } else {
        opts.crate_name.replace('-', "_")
    };
    let cx = Ctx {
        svc,
        crate_name,
        notes: &opts.notes,
    };
    let mut files = vec![
        ("types.rs", types::emit(&cx)),
        ("operation.rs", operations::emit(&cx)),
        ("client.rs", client::emit(&cx)),
        ("ser.rs", ser::emit(&cx)),
        ("de.rs", de::emit(&cx)),
        ("validate.rs", validate::emit(&cx)),
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
    let mut mods = vec![
        "client",
        "de",
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
    if opts.protocol_tests || opts.extra_cases.is_some() {
        files.push((
            "protocol_tests.rs",
            protocol_tests::emit(&cx, opts.extra_cases.as_ref())?,
        ));
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
                contents: render(path, &header, tokens)?,
            })
        })
        .collect()
}

fn module_root(mods: &[&str]) -> TokenStream {
    let decls = mods.iter().map(|m| {
        let id = format_ident!("{}", m);
        match *m {
            "operation" | "types" | "waiters" => quote!(pub mod #id;),
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
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Render {
        file: path.to_owned(),
        message: e.to_string(),
    })?;
    let mut out = String::from(header);
    out.push_str(&prettyplease::unparse(&file));
    Ok(out)
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
}

impl Ctx<'_> {
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
    pub fn shape_fn(&self, prefix: &str, id: &str) -> Ident {
        let shape = self.svc.shape(id);
        let base = heck::ToSnakeCase::to_snake_case(shape.rust_name.as_str());
        format_ident!("{}_{}", prefix, base)
    }

    /// The timestamp format of a member: its own trait, else its target's, else `default`.
    pub fn timestamp_format(&self, m: &Member, default: &str) -> TokenStream {
        let fmt = m.timestamp_format.as_deref().unwrap_or(default);
        match fmt {
            "epoch-seconds" => quote!(crate::runtime::time::Format::EpochSeconds),
            "http-date" => quote!(crate::runtime::time::Format::HttpDate),
            _ => quote!(crate::runtime::time::Format::DateTime),
        }
    }
}
