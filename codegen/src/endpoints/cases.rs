//! `smithy.rules#endpointTests` as typed test cases: [`parse`] validates the trait JSON (every
//! error located, e.g. `testCases[3].params.Region`) and decides the test names; the
//! `test_cases` emitter reads only these types.

use std::collections::HashSet;

use heck::ToSnakeCase;
use proc_macro2::Ident;
use serde_json::{Map, Value};

use super::EndpointGenError;
use super::json::{array, describe, field, object, string};

/// One test case.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// The test function's name: unique, a valid identifier.
    pub fn_name: String,
    /// The case's documentation, or `test case N`.
    pub label: String,
    /// Parameters set by name.
    pub params: Vec<(String, ParamValue)>,
    /// What resolution gives.
    pub expect: Expectation,
    /// `operationInputs` made only of built-in (and client) parameters: the same expectation
    /// is checked resolving from each.
    pub via_built_ins: Vec<BuiltInInput>,
}

/// A parameter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An array of strings.
    StringArray(Vec<String>),
}

/// The expected outcome of a case.
#[derive(Clone, Debug, PartialEq)]
pub enum Expectation {
    /// An endpoint.
    Endpoint(ExpectedEndpoint),
    /// An error with exactly this message.
    Error(String),
}

/// An expected endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpectedEndpoint {
    /// The exact URL.
    pub url: String,
    /// When given: every header, with its values.
    pub headers: Option<Vec<(String, Vec<String>)>>,
    /// When given: the properties.
    pub properties: Option<Property>,
    /// When the properties have a `sigv4` auth scheme: its `signingRegion` and `signingName`
    /// (the signing overrides the client reads).
    pub sigv4: Option<Sigv4>,
}

/// The signing overrides of the first `sigv4` auth scheme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sigv4 {
    /// `signingRegion`, when a string.
    pub signing_region: Option<String>,
    /// `signingName`, when a string.
    pub signing_name: Option<String>,
}

/// An expected property value.
#[derive(Clone, Debug, PartialEq)]
pub enum Property {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array.
    Array(Vec<Property>),
    /// A record (fields in the model's order).
    Record(Vec<(String, Property)>),
}

/// Built-in parameters (by built-in id) and client parameters (by name), for one operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuiltInInput {
    /// `operationName`, when given.
    pub operation: Option<String>,
    /// `builtInParams`.
    pub built_ins: Vec<(String, ParamValue)>,
    /// `clientParams`.
    pub client_params: Vec<(String, ParamValue)>,
    /// The operation's `smithy.rules#staticContextParams` (filled in by `ir::build`, which
    /// knows the operations): set after the built-ins, as a client calling it would.
    pub static_params: Vec<(String, ParamValue)>,
}

/// Parses the `smithy.rules#endpointTests` trait value. Test names come from each case's
/// `documentation`, in snake case, de-duplicated with `_2`, `_3`, ...
pub fn parse(tests: &Value) -> Result<Vec<TestCase>, EndpointGenError> {
    let root = object(tests, "endpointTests")?;
    let cases = array(field(root, "endpointTests", "testCases")?, "testCases")?;
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
        let fn_name = names.next(doc, i);
        let label = doc.map_or_else(|| format!("test case {}", i + 1), str::to_owned);
        let params = match c.get("params").filter(|p| !p.is_null()) {
            None => Vec::new(),
            Some(p) => param_values(p, &format!("{at}.params"))?,
        };
        let expect_at = format!("{at}.expect");
        let expect = expectation(object(field(c, &at, "expect")?, &expect_at)?, &expect_at)?;
        let mut via_built_ins = Vec::new();
        if let Some(inputs) = c.get("operationInputs").filter(|v| !v.is_null()) {
            let in_at = format!("{at}.operationInputs");
            for (j, input) in array(inputs, &in_at)?.iter().enumerate() {
                let j_at = format!("{in_at}[{j}]");
                if let Some(input) = built_in_input(object(input, &j_at)?, &j_at)? {
                    via_built_ins.push(input);
                }
            }
        }
        out.push(TestCase {
            fn_name,
            label,
            params,
            expect,
            via_built_ins,
        });
    }
    Ok(out)
}

fn expectation(expect: &Map<String, Value>, at: &str) -> Result<Expectation, EndpointGenError> {
    match (expect.get("endpoint"), expect.get("error")) {
        (Some(endpoint), None) => {
            let e_at = format!("{at}.endpoint");
            let e = object(endpoint, &e_at)?;
            let url = string(field(e, &e_at, "url")?, &format!("{e_at}.url"))?.to_owned();
            let headers = match e.get("headers").filter(|h| !h.is_null()) {
                None => None,
                Some(h) => {
                    let h_at = format!("{e_at}.headers");
                    let mut headers = Vec::new();
                    for (name, values) in object(h, &h_at)? {
                        let v_at = format!("{h_at}.{name}");
                        headers.push((name.clone(), strings(values, &v_at)?));
                    }
                    Some(headers)
                }
            };
            let (properties, sigv4) = match e.get("properties").filter(|p| !p.is_null()) {
                None => (None, None),
                Some(p) => (Some(property(p, &format!("{e_at}.properties"))?), sigv4(p)),
            };
            Ok(Expectation::Endpoint(ExpectedEndpoint {
                url,
                headers,
                properties,
                sigv4,
            }))
        }
        (None, Some(error)) => Ok(Expectation::Error(
            string(error, &format!("{at}.error"))?.to_owned(),
        )),
        (Some(_), Some(_)) | (None, None) => Err(EndpointGenError::BadTest {
            at: at.into(),
            message: "`expect` must have exactly one of `endpoint` and `error`".into(),
        }),
    }
}

/// The signing overrides of the first `sigv4` entry of `authSchemes`, if there is one.
fn sigv4(properties: &Value) -> Option<Sigv4> {
    let scheme = properties
        .get("authSchemes")
        .and_then(Value::as_array)?
        .iter()
        .find(|s| s.get("name").and_then(Value::as_str) == Some("sigv4"))?;
    let text = |key: &str| scheme.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(Sigv4 {
        signing_region: text("signingRegion"),
        signing_name: text("signingName"),
    })
}

/// An `operationInputs` entry made only of built-in and client parameters; `None` when it
/// needs operation parameters (which map to rule parameters through the operation's
/// context-parameter traits, not known here).
fn built_in_input(
    input: &Map<String, Value>,
    at: &str,
) -> Result<Option<BuiltInInput>, EndpointGenError> {
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
    let built_ins = param_values(
        field(input, at, "builtInParams")?,
        &format!("{at}.builtInParams"),
    )?;
    let client_params = match input.get("clientParams").filter(|v| !v.is_null()) {
        None => Vec::new(),
        Some(c) => param_values(c, &format!("{at}.clientParams"))?,
    };
    let operation = match input.get("operationName").filter(|v| !v.is_null()) {
        None => None,
        Some(v) => Some(string(v, &format!("{at}.operationName"))?.to_owned()),
    };
    Ok(Some(BuiltInInput {
        operation,
        built_ins,
        client_params,
        static_params: Vec::new(),
    }))
}

/// An object of parameter values, in the model's order.
fn param_values(v: &Value, at: &str) -> Result<Vec<(String, ParamValue)>, EndpointGenError> {
    object(v, at)?
        .iter()
        .map(|(name, value)| Ok((name.clone(), param_value(value, &format!("{at}.{name}"))?)))
        .collect()
}

/// A parameter value: a string, a boolean or an array of strings.
pub fn param_value(v: &Value, at: &str) -> Result<ParamValue, EndpointGenError> {
    match v {
        Value::String(s) => Ok(ParamValue::String(s.clone())),
        Value::Bool(b) => Ok(ParamValue::Bool(*b)),
        Value::Array(_) => Ok(ParamValue::StringArray(strings(v, at)?)),
        Value::Null | Value::Number(_) | Value::Object(_) => Err(EndpointGenError::Type {
            at: at.into(),
            expected: "a string, boolean or array of strings",
            found: describe(v),
        }),
    }
}

fn strings(v: &Value, at: &str) -> Result<Vec<String>, EndpointGenError> {
    array(v, at)?
        .iter()
        .enumerate()
        .map(|(i, v)| string(v, &format!("{at}[{i}]")).map(str::to_owned))
        .collect()
}

/// An expected property value. The recursion follows the JSON, whose depth the model parser
/// bounds.
fn property(v: &Value, at: &str) -> Result<Property, EndpointGenError> {
    Ok(match v {
        Value::String(s) => Property::String(s.clone()),
        Value::Bool(b) => Property::Bool(*b),
        Value::Number(n) => Property::Int(n.as_i64().ok_or_else(|| EndpointGenError::Type {
            at: at.into(),
            expected: "an integer",
            found: n.to_string(),
        })?),
        Value::Array(items) => Property::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| property(v, &format!("{at}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(obj) => Property::Record(
            obj.iter()
                .map(|(k, v)| Ok((k.clone(), property(v, &format!("{at}.{k}"))?)))
                .collect::<Result<_, EndpointGenError>>()?,
        ),
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
