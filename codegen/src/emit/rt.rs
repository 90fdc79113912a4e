//! The runtime modules generated code names, in one list (read by its test).
//!
//! Generated code reaches the runtime through `crate::runtime` (the alias a generated crate's
//! `lib.rs` declares) and names items of these modules only, in full
//! (`crate::runtime::send::Handle`), so a reader of generated code sees where each comes from.
//! The list is the contract between the emitters and the runtime: a test here fails when an
//! emitter names a module that is not listed, and the snapshot fixtures (compiled by the
//! `codegen-fixtures` crate) fail to build when the runtime lacks one. Moving a runtime item
//! means changing this list and the emitters it names.

/// Every runtime module generated code may name, with what generated code uses it for.
pub(crate) const MODULES: &[(&str, &str)] = &[
    ("compression", "whether request compression is built in"),
    ("config", "SdkConfig, for the aws-config bridge"),
    ("endpoint", "the endpoint rule set and its resolver"),
    ("error", "error metadata and the error traits"),
    ("host_prefix", "host prefix segments"),
    ("json", "the JSON writer and reader (codec::json)"),
    (
        "macros",
        "the item macros (operation!, structure!, string_enum!, ...)",
    ),
    ("paginator", "paginator specs and streams"),
    (
        "protocol",
        "per protocol, the request writer and response reader of build_<op>/parse_<op>",
    ),
    (
        "protocol_tests",
        "support for generated protocol and robustness tests",
    ),
    ("query", "the awsQuery form writer (codec::form)"),
    ("redact", "redaction of sensitive values in Debug"),
    ("send", "the send path: Handle, ServiceSpec, RequestId"),
    ("time", "timestamp formats"),
    ("validate", "constraint violations"),
    ("waiter", "waiter specs, values and polling"),
    ("xml", "the XML reader (codec::xml)"),
];

#[cfg(test)]
mod tests {
    use super::MODULES;

    /// Every `crate::runtime::<module>` the emitters write names a listed module.
    #[test]
    fn emitters_name_only_listed_runtime_modules() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![dir];
        let mut named = std::collections::BTreeSet::new();
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    for (i, _) in text.match_indices("crate::runtime::") {
                        let rest = &text[i + "crate::runtime::".len()..];
                        let m: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        if m.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                            named.insert((m, p.display().to_string()));
                        }
                    }
                }
            }
        }
        assert!(named.len() > 10, "too few runtime paths found: {named:?}");
        let listed: Vec<&str> = MODULES.iter().map(|(m, _)| *m).collect();
        let unlisted: Vec<_> = named
            .iter()
            .filter(|(m, _)| !listed.contains(&m.as_str()))
            .collect();
        assert!(
            unlisted.is_empty(),
            "not in emit::rt::MODULES: {unlisted:?}"
        );
        // And every listed module is named somewhere (the list does not rot).
        for m in listed {
            assert!(
                named.iter().any(|(n, _)| n == m),
                "{m} is listed but no emitter names it"
            );
        }
    }
}
