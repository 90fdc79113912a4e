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
];

/// `BehaviorOnMXFailure` -> `BehaviorOnMxFailure`; a name that would shadow a std or runtime type
/// gets a `Value` suffix; one that does not start with a letter gets a `Shape` prefix.
pub fn type_name(smithy_name: &str) -> String {
    let mut name = smithy_name.to_upper_camel_case();
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
    let mut name = smithy_name.to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    escape_keyword(name)
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
    let mut name = smithy_name.to_upper_camel_case();
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

    pub fn claim(&mut self, name: String) -> String {
        // Compare case-insensitively so that `Foo` and `FOO` (or `foo_bar` and `FooBar` after
        // conversion) never produce two items that differ only in case.
        let key = |n: &str| bare(n).to_ascii_lowercase();
        if self.taken.insert(key(&name)) {
            return name;
        }
        let snake = name.chars().all(|c| !c.is_ascii_uppercase());
        let base = bare(&name).to_owned();
        for n in 2.. {
            let candidate = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            if self.taken.insert(key(&candidate)) {
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }
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
    }
}
