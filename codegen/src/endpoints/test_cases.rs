//! `smithy.rules#endpointTests` -> `#[test]` functions calling the runtime resolver.

use std::collections::HashSet;

use heck::ToSnakeCase;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

use super::EndpointGenError;
use super::json::{array, describe, field, object, string};

/// One `#[test]` per `endpointTests` case, asserting the exact URL (plus headers and properties
/// when the case gives them) or the exact error message.
///
/// `tests` is the `smithy.rules#endpointTests` trait value. The functions expect
/// `#rules_path::RULES` to be the rule set (as emitted by [`emit_rule_set`]) and use
/// `#runtime_path::endpoint::{resolve, Params, ParamValue, Value}`. Test names come from each
/// case's `documentation`, in snake case, de-duplicated with `_2`, `_3`, ... A case whose
/// `operationInputs` give only built-in (and client) parameters is also resolved from those.
pub fn emit_tests(
    tests: &Value,
    runtime_path: &TokenStream,
    rules_path: &TokenStream,
) -> Result<TokenStream, EndpointGenError> {
    let root = object(tests, "endpointTests")?;
    let cases = array(field(root, "endpointTests", "testCases")?, "testCases")?;
    let ep = quote!(#runtime_path::endpoint);
    let mut names = TestNames::default();
    let mut out = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let at = format!("testCases[{i}]");
        let c = object(case, &at)?;
        let doc = match c.get("documentation") {
            None | Some(Value::Null) => None,
            Some(d) => {
                Some(string(d, &format!("{at}.documentation"))?).filter(|d| !d.trim().is_empty())
            }
        };
        let fn_name = Ident::new(&names.next(doc, i), Span::call_site());
        let label = doc.map_or_else(|| format!("test case {}", i + 1), str::to_owned);

        // Parameters by name.
        let mut setters = Vec::new();
        if let Some(p) = c.get("params").filter(|p| !p.is_null()) {
            let p_at = format!("{at}.params");
            for (name, value) in object(p, &p_at)? {
                let value = param_value(value, &ep, &format!("{p_at}.{name}"))?;
                setters.push(quote!(.with_param(#name, #value)));
            }
        }
        let expect_at = format!("{at}.expect");
        let expect = object(field(c, &at, "expect")?, &expect_at)?;
        let check = expectation(expect, &expect_at, &ep, rules_path, &label)?;

        // The same expectation through built-in values, where the case gives them.
        let mut via_built_ins = Vec::new();
        if let Some(inputs) = c.get("operationInputs").filter(|v| !v.is_null()) {
            let in_at = format!("{at}.operationInputs");
            for (j, input) in array(inputs, &in_at)?.iter().enumerate() {
                let j_at = format!("{in_at}[{j}]");
                if let Some(setters) = built_in_setters(object(input, &j_at)?, &ep, &j_at)? {
                    via_built_ins.push(quote! {
                        let params = #ep::Params::new() #(#setters)*;
                        #check
                    });
                }
            }
        }
        let doc_attr = format!(" {label}");
        out.push(quote! {
            #[doc = #doc_attr]
            #[test]
            fn #fn_name() {
                let params = #ep::Params::new() #(#setters)*;
                #check
                #(#via_built_ins)*
            }
        });
    }
    Ok(quote!(#(#out)*))
}

fn expectation(
    expect: &Map<String, Value>,
    at: &str,
    ep: &TokenStream,
    rules: &TokenStream,
    label: &str,
) -> Result<TokenStream, EndpointGenError> {
    match (expect.get("endpoint"), expect.get("error")) {
        (Some(endpoint), None) => {
            let e_at = format!("{at}.endpoint");
            let e = object(endpoint, &e_at)?;
            let url = string(field(e, &e_at, "url")?, &format!("{e_at}.url"))?;
            let msg = format!("{label}: expected an endpoint");
            let mut checks = vec![quote!(assert_eq!(endpoint.url, #url);)];
            if let Some(h) = e.get("headers").filter(|h| !h.is_null()) {
                let h_at = format!("{e_at}.headers");
                let h = object(h, &h_at)?;
                let n = Literal::usize_unsuffixed(h.len());
                checks.push(quote!(assert_eq!(endpoint.headers.len(), #n);));
                for (name, values) in h {
                    let v_at = format!("{h_at}.{name}");
                    let values = array(values, &v_at)?
                        .iter()
                        .enumerate()
                        .map(|(i, v)| string(v, &format!("{v_at}[{i}]")))
                        .collect::<Result<Vec<_>, _>>()?;
                    checks.push(quote! {
                        assert_eq!(
                            endpoint.header(#name),
                            Some(&[#(::std::string::String::from(#values)),*][..])
                        );
                    });
                }
            }
            if let Some(p) = e.get("properties").filter(|p| !p.is_null()) {
                let p_at = format!("{e_at}.properties");
                let expected = value_tokens(p, ep, &p_at)?;
                checks.push(quote! {
                    assert_eq!(#ep::Value::Record(endpoint.properties.clone()), #expected);
                });
                // The signing overrides the client reads from the first sigv4 auth scheme.
                let sigv4 = p
                    .get("authSchemes")
                    .and_then(Value::as_array)
                    .and_then(|s| {
                        s.iter()
                            .find(|s| s.get("name") == Some(&Value::from("sigv4")))
                    });
                if let Some(s) = sigv4 {
                    for (key, fieldname) in [
                        ("signingRegion", quote!(signing_region)),
                        ("signingName", quote!(signing_name)),
                    ] {
                        let expected = match s.get(key).and_then(Value::as_str) {
                            Some(v) => quote!(Some(#v)),
                            None => quote!(None),
                        };
                        checks.push(quote!(assert_eq!(endpoint.#fieldname.as_deref(), #expected);));
                    }
                }
            }
            Ok(quote! {
                let endpoint = #ep::resolve(&#rules::RULES, &params).expect(#msg);
                #(#checks)*
            })
        }
        (None, Some(error)) => {
            let message = string(error, &format!("{at}.error"))?;
            let msg = format!("{label}: expected the error {message:?}");
            Ok(quote! {
                let error = #ep::resolve(&#rules::RULES, &params).expect_err(#msg);
                assert_eq!(error.to_string(), #message);
            })
        }
        _ => Err(EndpointGenError::BadTest {
            at: at.into(),
            message: "`expect` must have exactly one of `endpoint` and `error`".into(),
        }),
    }
}

/// Setters for an `operationInputs` entry made only of built-in and client parameters;
/// `None` when it needs operation parameters (which map to rule parameters through the
/// operation's context-parameter traits, not known here).
fn built_in_setters(
    input: &Map<String, Value>,
    ep: &TokenStream,
    at: &str,
) -> Result<Option<Vec<TokenStream>>, EndpointGenError> {
    let known = [
        "operationName",
        "builtInParams",
        "clientParams",
        "operationParams",
    ];
    if input.keys().any(|k| !known.contains(&k.as_str())) {
        return Ok(None);
    }
    let non_empty = |k: &str| {
        input
            .get(k)
            .is_some_and(|v| v.as_object().is_none_or(|o| !o.is_empty()))
    };
    if non_empty("operationParams") || !non_empty("builtInParams") {
        return Ok(None);
    }
    let mut setters = Vec::new();
    let b_at = format!("{at}.builtInParams");
    for (id, value) in object(field(input, at, "builtInParams")?, &b_at)? {
        let value = param_value(value, ep, &format!("{b_at}.{id}"))?;
        setters.push(quote!(.with_built_in(#id, #value)));
    }
    if let Some(c) = input.get("clientParams").filter(|v| !v.is_null()) {
        let c_at = format!("{at}.clientParams");
        for (name, value) in object(c, &c_at)? {
            let value = param_value(value, ep, &format!("{c_at}.{name}"))?;
            setters.push(quote!(.with_param(#name, #value)));
        }
    }
    Ok(Some(setters))
}

/// A parameter value: a string, a boolean or an array of strings.
fn param_value(v: &Value, ep: &TokenStream, at: &str) -> Result<TokenStream, EndpointGenError> {
    match v {
        Value::String(s) => Ok(quote!(#s)),
        Value::Bool(b) => Ok(quote!(#b)),
        Value::Array(items) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, v)| string(v, &format!("{at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(quote!(#ep::ParamValue::StringArray(vec![#(::std::string::String::from(#items)),*])))
        }
        other => Err(EndpointGenError::Type {
            at: at.into(),
            expected: "a string, boolean or array of strings",
            found: describe(other),
        }),
    }
}

/// A runtime `Value` constructor for an expected property value.
fn value_tokens(v: &Value, ep: &TokenStream, at: &str) -> Result<TokenStream, EndpointGenError> {
    Ok(match v {
        Value::String(s) => quote!(#ep::Value::String(::std::string::String::from(#s))),
        Value::Bool(b) => quote!(#ep::Value::Bool(#b)),
        Value::Number(n) => {
            let i = n.as_i64().ok_or_else(|| EndpointGenError::Type {
                at: at.into(),
                expected: "an integer",
                found: n.to_string(),
            })?;
            let abs = Literal::u64_unsuffixed(i.unsigned_abs());
            if i < 0 {
                quote!(#ep::Value::Int(-#abs))
            } else {
                quote!(#ep::Value::Int(#abs))
            }
        }
        Value::Array(items) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, v)| value_tokens(v, ep, &format!("{at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(#ep::Value::Array(vec![#(#items),*]))
        }
        Value::Object(obj) if obj.is_empty() => {
            quote!(#ep::Value::Record(::std::collections::BTreeMap::new()))
        }
        Value::Object(obj) => {
            let fields = obj
                .iter()
                .map(|(k, v)| {
                    let v = value_tokens(v, ep, &format!("{at}.{k}"))?;
                    Ok(quote!((#k, #v)))
                })
                .collect::<Result<Vec<_>, EndpointGenError>>()?;
            quote!(#ep::Value::record([#(#fields),*]))
        }
        Value::Null => {
            return Err(EndpointGenError::Type {
                at: at.into(),
                expected: "a property value",
                found: describe(v),
            });
        }
    })
}

/// Deterministic, unique snake-case test names.
#[derive(Default)]
struct TestNames {
    used: HashSet<String>,
}

impl TestNames {
    fn next(&mut self, documentation: Option<&str>, index: usize) -> String {
        let base = documentation
            .map(sanitize)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("case_{}", index + 1));
        let mut name = base.clone();
        let mut n = 2;
        while !self.used.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }
}

/// `For region us-east-1 with FIPS enabled` -> `for_region_us_east_1_with_fips_enabled`.
pub(super) fn sanitize(doc: &str) -> String {
    let snake = doc.to_snake_case();
    let mut out = String::with_capacity(snake.len());
    for c in snake.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "case_");
    }
    // Keywords of any edition (syn accepts some reserved words as identifiers).
    const RESERVED: &[&str] = &[
        "abstract", "async", "await", "become", "box", "do", "dyn", "final", "gen", "macro",
        "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    if !out.is_empty()
        && (RESERVED.contains(&out.as_str()) || syn::parse_str::<Ident>(&out).is_err())
    {
        out.push_str("_case");
    }
    out
}
