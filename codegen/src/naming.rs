//! Every Rust name the generator emits is decided here, once.
//!
//! The IR stores both the wire name (as the model spells it) and the Rust name (from these
//! functions); emitters only ever read the stored names.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords that are valid as raw identifiers (`r#type`).
const RAW_OK_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NO_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names that would shadow what generated code uses unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "String",
    "Option",
    "Result",
    "Vec",
    "Box",
    "HashMap",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "Send",
    "Sync",
    "Self",
    "Client",
    "Config",
    "Blob",
    "DateTime",
    "Unknown",
    "Error",
    "Fn",
    "Copy",
    "Eq",
    "PartialEq",
    "Hash",
    "Display",
    "From",
    "Into",
    "Iterator",
    // The catch-all variant of every operation error enum.
    "Unhandled",
];

/// Methods every generated structure, builder or output has besides its members' setters
/// (`builder()`, `build()`, the fluent builder's `send()`, trait methods that an inherent method
/// of the same name would shadow). A member whose snake name is one of these is renamed.
pub const RESERVED_MEMBER_NAMES: &[&str] = &[
    "builder",
    "build",
    "send",
    "as_input",
    "new",
    "default",
    "clone",
    "fmt",
    "eq",
    "ne",
    "hash",
    "into",
    "from",
    "request_id",
    "into_paginator",
];

/// Methods of the generated `Client` besides the operations'.
pub const RESERVED_CLIENT_METHODS: &[&str] =
    &["config", "from_conf", "from_env", "resolved_endpoint"];

/// The field every modeled error structure has besides its members.
pub const ERROR_META_FIELD: &str = "meta";

/// `BehaviorOnMXFailure` -> `BehaviorOnMxFailure`; a name that would shadow a std or runtime type
/// gets a `Value` suffix; one that does not start with a letter gets a `Shape` prefix.
pub fn type_name(smithy_name: &str) -> String {
    let mut name = identifier_chars(smithy_name.to_upper_camel_case());
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("Shape{name}");
    }
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        name.push_str("Value");
    }
    name
}

/// A snake_case identifier for a member, function or module. Keywords become raw identifiers
/// (`r#type`) where Rust allows, else get a trailing underscore.
pub fn snake_ident(smithy_name: &str) -> String {
    let mut name = identifier_chars(smithy_name.to_snake_case());
    if name.is_empty() {
        name = "value".to_owned();
    }
    let starts_ident = |c: char| {
        c.is_ascii_alphabetic() || c == '_' || (!c.is_ascii() && lexes_as_ident(&c.to_string()))
    };
    if !name.starts_with(starts_ident) {
        name = format!("n{name}");
    }
    escape_keyword(name)
}

/// `name` without the characters a Rust identifier cannot hold (`²`, `Ⓐ`: heck keeps every
/// alphanumeric character, Rust only those of Unicode's XID classes). Valid Smithy identifiers
/// are ASCII and come back unchanged; other letters (an enum value `München`) are kept.
fn identifier_chars(name: String) -> String {
    if name.is_ascii() {
        // heck leaves only ASCII letters, digits and `_`.
        return name;
    }
    name.chars()
        .filter(|&c| c.is_ascii() || lexes_as_ident(&format!("a{c}")))
        .collect()
}

/// Whether `text` is exactly one Rust identifier (what `Ident::new` accepts without panicking).
fn lexes_as_ident(text: &str) -> bool {
    let Ok(tokens) = text.parse::<proc_macro2::TokenStream>() else {
        return false;
    };
    let mut tokens = tokens.into_iter();
    matches!(
        (tokens.next(), tokens.next()),
        (Some(proc_macro2::TokenTree::Ident(i)), None) if i == text
    )
}

fn escape_keyword(name: String) -> String {
    if RAW_OK_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else if NO_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// The snake name without a raw-identifier prefix, for composing other names
/// (`set_type`, `ser_type`).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// An enum variant for a wire value: `UseDefaultValue` stays; `us-east-1` -> `UsEast1`;
/// `1024` -> `V1024`; punctuation-only values -> `Value`.
pub fn variant_name(smithy_name: &str) -> String {
    let mut name = identifier_chars(smithy_name.to_upper_camel_case());
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("V{name}");
    }
    if name == "Unknown" || name == "Self" {
        name.push_str("Value");
    }
    name
}

/// Hands out names that are unique within one scope, deterministically: the first claimant keeps
/// the name, later ones get `2`, `3`, ... appended (with `_` for snake names).
#[derive(Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks a name as used without handing it out.
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(bare(name).to_ascii_lowercase());
    }

    /// Whether `name` has been neither claimed nor reserved (compared as [`Scope::claim`] does).
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(&bare(name).to_ascii_lowercase())
    }

    /// Claims a name such that `companion(name)` is free too, and reserves that companion:
    /// a member `foo` also needs its setter `set_foo`, a map `Foo` its entry parser `entry_foo`.
    pub fn claim_with(&mut self, name: String, companion: impl Fn(&str) -> String) -> String {
        loop {
            let candidate = self.claim(name.clone());
            let other = companion(bare(&candidate));
            if self.is_free(&other) {
                self.reserve(&other);
                return candidate;
            }
        }
    }

    pub fn claim(&mut self, name: String) -> String {
        // Compare case-insensitively so that `Foo` and `FOO` (or `foo_bar` and `FooBar` after
        // conversion) never produce two items that differ only in case.
        let key = |n: &str| bare(n).to_ascii_lowercase();
        if self.taken.insert(key(&name)) {
            return name;
        }
        let snake = name.chars().all(|c| !c.is_ascii_uppercase());
        // `self_` + 2 must not become `self__2` (not snake case); `Ec2` + 2 becomes `Ec2_2`.
        let base = bare(&name).trim_end_matches('_').to_owned();
        let separator = if snake || base.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        for n in 2.. {
            let candidate = format!("{base}{separator}{n}");
            if self.taken.insert(key(&candidate)) {
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
}

/// The name part of a shape id (`com.amazonaws.ses#Identity` -> `Identity`).
pub(crate) fn ir_local(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_follow_rust_conventions() {
        assert_eq!(type_name("BehaviorOnMXFailure"), "BehaviorOnMxFailure");
        assert_eq!(
            type_name("SetIdentityMailFromDomainRequest"),
            "SetIdentityMailFromDomainRequest"
        );
        assert_eq!(type_name("String"), "StringValue");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(type_name("1stThing"), "Shape1stThing");
    }

    #[test]
    fn members_become_snake_case_and_keywords_are_escaped() {
        assert_eq!(snake_ident("BehaviorOnMXFailure"), "behavior_on_mx_failure");
        assert_eq!(snake_ident("MailFromDomain"), "mail_from_domain");
        assert_eq!(snake_ident("Type"), "r#type");
        assert_eq!(snake_ident("Self"), "self_");
        assert_eq!(snake_ident("2xx"), "n2xx");
        assert_eq!(bare("r#type"), "type");
    }

    #[test]
    fn variants_are_valid_identifiers() {
        assert_eq!(variant_name("UseDefaultValue"), "UseDefaultValue");
        assert_eq!(variant_name("us-east-1"), "UsEast1");
        assert_eq!(variant_name("1024"), "V1024");
        assert_eq!(variant_name("*"), "Value");
        assert_eq!(variant_name("Unknown"), "UnknownValue");
        assert_eq!(variant_name("München"), "München");
    }

    #[test]
    fn characters_rust_rejects_are_dropped() {
        // heck keeps every alphanumeric character; `Ident::new` would panic on these.
        assert_eq!(snake_ident("a²b"), "ab");
        assert_eq!(snake_ident("Ⓐ"), "value");
        assert_eq!(snake_ident("٣x"), "n٣x");
        assert_eq!(snake_ident("über"), "über");
        assert_eq!(type_name("Ⓐ²"), "Shape");
        assert_eq!(type_name("Ärger"), "ShapeÄrger");
        assert_eq!(variant_name("²"), "Value");
        for name in ["a²b", "Ⓐ", "٣x", "über", "x\u{301}"] {
            proc_macro2::Ident::new(&snake_ident(name), proc_macro2::Span::call_site());
            proc_macro2::Ident::new(&type_name(name), proc_macro2::Span::call_site());
            proc_macro2::Ident::new(&variant_name(name), proc_macro2::Span::call_site());
        }
    }

    #[test]
    fn scope_disambiguates_deterministically() {
        let mut s = Scope::new();
        assert_eq!(s.claim("foo".into()), "foo");
        assert_eq!(s.claim("foo".into()), "foo_2");
        assert_eq!(s.claim("Foo".into()), "Foo2");
        let mut t = Scope::new();
        t.reserve("Unknown");
        assert_eq!(t.claim("Unknown".into()), "Unknown2");
        assert_eq!(t.claim("r#type".into()), "r#type");
        assert_eq!(t.claim("r#type".into()), "type_2");
        assert_eq!(t.claim("self_".into()), "self_");
        assert_eq!(t.claim("self_".into()), "self_2");
        assert_eq!(t.claim("UsEast1".into()), "UsEast1");
        assert_eq!(t.claim("UsEast1".into()), "UsEast1_2");
    }

    #[test]
    fn companions_are_claimed_together() {
        let mut s = Scope::new();
        let setter = |n: &str| format!("set_{n}");
        assert_eq!(s.claim_with("set_kind".into(), setter), "set_kind");
        // `kind` would need `set_kind`, which is a member now.
        assert_eq!(s.claim_with("kind".into(), setter), "kind_2");
        assert!(!s.is_free("set_kind_2"));
        assert!(s.is_free("kind_3"));
    }
}
