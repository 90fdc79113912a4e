//! A model's `smithy.rules#endpointTests`, run in process through the runtime's rules engine.
//!
//! The generator parses the rule set into its endpoint IR (`codegen::endpoints::ir`) and each
//! generated client holds it as a `static` of the runtime's `rules` types. Here the IR is turned
//! into those same types at run time (the strings and slices are leaked: one rule set per model,
//! a few hundred kilobytes for the whole corpus, freed when the command exits) and every test
//! case is checked as the generated `endpoint_tests.rs` checks it: the URL, the headers, the
//! properties and the signing overrides, or the error message. So the corpus's 14,000 cases are
//! a conformance suite of the engine every generated client runs, without building a crate.

use aws_client_runtime::endpoint::{self, rules as rt};
use codegen::endpoints::cases::{
    BuiltInInput, Expectation, ExpectedEndpoint, ParamValue, Property, TestCase,
};
use codegen::endpoints::ir;

/// The outcome of one model's endpoint tests.
#[derive(Debug, Default)]
pub struct Outcome {
    pub passed: usize,
    /// `(case label, what differed)`.
    pub failed: Vec<(String, String)>,
}

/// Runs every case against `rules`.
pub fn run(rules: &ir::RuleSet, cases: &[TestCase]) -> Outcome {
    let rules = rule_set(rules);
    let mut out = Outcome::default();
    for case in cases {
        let mut inputs = vec![params(&case.params)];
        inputs.extend(case.via_built_ins.iter().map(built_ins));
        let failure = inputs
            .iter()
            .enumerate()
            .find_map(|(i, p)| check(rules, p, &case.expect).err().map(|e| (i, e)));
        match failure {
            None => out.passed += 1,
            Some((0, why)) => out.failed.push((case.label.clone(), why)),
            Some((i, why)) => out.failed.push((
                case.label.clone(),
                format!("operationInputs[{}]: {why}", i - 1),
            )),
        }
    }
    out
}

fn check(
    rules: &rt::RuleSet,
    params: &endpoint::Params,
    expect: &Expectation,
) -> Result<(), String> {
    match (endpoint::resolve(rules, params), expect) {
        (Ok(got), Expectation::Endpoint(want)) => compare(&got, want),
        (Err(e), Expectation::Error(message)) if e.to_string() == *message => Ok(()),
        (Err(e), Expectation::Error(message)) => Err(format!(
            "expected the error {message:?}, got the error {:?}",
            e.to_string()
        )),
        (Ok(got), Expectation::Error(message)) => Err(format!(
            "expected the error {message:?}, got the endpoint {}",
            got.url
        )),
        (Err(e), Expectation::Endpoint(want)) => Err(format!(
            "expected the endpoint {}, got the error {:?}",
            want.url,
            e.to_string()
        )),
    }
}

fn compare(got: &endpoint::Endpoint, want: &ExpectedEndpoint) -> Result<(), String> {
    if got.url != want.url {
        return Err(format!("url {:?}, expected {:?}", got.url, want.url));
    }
    if let Some(headers) = &want.headers {
        if got.headers.len() != headers.len() {
            return Err(format!(
                "{} headers, expected {}",
                got.headers.len(),
                headers.len()
            ));
        }
        for (name, values) in headers {
            if got.header(name) != Some(values.as_slice()) {
                return Err(format!(
                    "header {name}: {:?}, expected {values:?}",
                    got.header(name)
                ));
            }
        }
    }
    if let Some(p) = &want.properties {
        let expected = value(p);
        let actual = endpoint::Value::Record(got.properties.clone());
        if actual != expected {
            return Err(format!("properties {actual:?}, expected {expected:?}"));
        }
    }
    if let Some(s) = &want.sigv4 {
        if got.signing_region != s.signing_region {
            return Err(format!(
                "signing region {:?}, expected {:?}",
                got.signing_region, s.signing_region
            ));
        }
        if got.signing_name != s.signing_name {
            return Err(format!(
                "signing name {:?}, expected {:?}",
                got.signing_name, s.signing_name
            ));
        }
    }
    Ok(())
}

fn param_value(v: &ParamValue) -> endpoint::ParamValue {
    match v {
        ParamValue::String(s) => s.as_str().into(),
        ParamValue::Bool(b) => (*b).into(),
        ParamValue::StringArray(items) => endpoint::ParamValue::StringArray(items.clone()),
    }
}

fn params(list: &[(String, ParamValue)]) -> endpoint::Params {
    list.iter().fold(endpoint::Params::new(), |p, (name, v)| {
        p.with_param(name.as_str(), param_value(v))
    })
}

fn built_ins(input: &BuiltInInput) -> endpoint::Params {
    let p = input
        .built_ins
        .iter()
        .fold(endpoint::Params::new(), |p, (id, v)| {
            p.with_built_in(id.as_str(), param_value(v))
        });
    // The client's parameters, then what the operation sets (`staticContextParams`).
    input
        .client_params
        .iter()
        .chain(&input.static_params)
        .fold(p, |p, (name, v)| {
            p.with_param(name.as_str(), param_value(v))
        })
}

fn value(p: &Property) -> endpoint::Value {
    match p {
        Property::String(s) => endpoint::Value::String(s.clone()),
        Property::Bool(b) => endpoint::Value::Bool(*b),
        Property::Int(i) => endpoint::Value::Int(*i),
        Property::Array(items) => endpoint::Value::Array(items.iter().map(value).collect()),
        Property::Record(fields) => {
            endpoint::Value::record(fields.iter().map(|(k, v)| (k.clone(), value(v))))
        }
    }
}

// The IR as the runtime's `&'static` rule types. The rule set's nesting is bounded by the
// parser (serde_json's depth limit of 128 on the model), so the recursion here is too.

fn leak<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

fn text(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

fn rule_set(r: &ir::RuleSet) -> &'static rt::RuleSet {
    Box::leak(Box::new(rt::RuleSet {
        version: r.version.as_str(),
        parameters: leak(r.parameters.iter().map(parameter).collect()),
        rules: leak(r.rules.iter().map(rule).collect()),
    }))
}

fn parameter(p: &ir::Parameter) -> rt::Parameter {
    rt::Parameter {
        name: text(&p.name),
        ty: match p.ty {
            ir::ParamType::String => rt::ParamType::String,
            ir::ParamType::Boolean => rt::ParamType::Boolean,
            ir::ParamType::StringArray => rt::ParamType::StringArray,
        },
        built_in: p.built_in.as_deref().map(text),
        required: p.required,
        default: p.default.as_ref().map(|d| match d {
            ir::ParamDefault::String(s) => rt::DefaultValue::String(text(s)),
            ir::ParamDefault::Bool(b) => rt::DefaultValue::Bool(*b),
            ir::ParamDefault::StringArray(items) => {
                rt::DefaultValue::StringArray(leak(items.iter().map(|s| text(s)).collect()))
            }
        }),
    }
}

fn rule(r: &ir::Rule) -> rt::Rule {
    let conditions = leak(r.conditions.iter().map(condition).collect());
    match &r.kind {
        ir::RuleKind::Endpoint(e) => rt::Rule::Endpoint {
            conditions,
            endpoint: rt::EndpointSpec {
                url: expr(&e.url),
                headers: leak(
                    e.headers
                        .iter()
                        .map(|(name, values)| (text(name), leak(values.iter().map(expr).collect())))
                        .collect(),
                ),
                properties: leak(
                    e.properties
                        .iter()
                        .map(|(name, v)| (text(name), expr(v)))
                        .collect(),
                ),
            },
        },
        ir::RuleKind::Error(message) => rt::Rule::Error {
            conditions,
            message: expr(message),
        },
        ir::RuleKind::Tree(rules) => rt::Rule::Tree {
            conditions,
            rules: leak(rules.iter().map(rule).collect()),
        },
    }
}

fn condition(c: &ir::Condition) -> rt::Condition {
    rt::Condition {
        expr: call(&c.call),
        assign: c.assign.as_deref().map(text),
    }
}

fn call(c: &ir::Call) -> rt::Expr {
    match c {
        ir::Call::GetAttr { target, path } => {
            rt::Expr::GetAttr(Box::leak(Box::new(expr(target))), steps(path))
        }
        ir::Call::Func { func, args } => {
            rt::Expr::Call(function(*func), leak(args.iter().map(expr).collect()))
        }
    }
}

fn steps(path: &[ir::Step]) -> &'static [rt::Step] {
    leak(
        path.iter()
            .map(|s| match s {
                ir::Step::Field(f) => rt::Step::Field(text(f)),
                ir::Step::Index(i) => rt::Step::Index(*i),
            })
            .collect(),
    )
}

fn expr(e: &ir::Expr) -> rt::Expr {
    match e {
        ir::Expr::Bool(b) => rt::Expr::Bool(*b),
        ir::Expr::Int(i) => rt::Expr::Int(*i),
        ir::Expr::Str(s) => rt::Expr::Str(text(s)),
        ir::Expr::Template(t) => rt::Expr::Template(leak(
            t.0.iter()
                .map(|s| match s {
                    ir::Segment::Lit(l) => rt::Segment::Lit(text(l)),
                    ir::Segment::Ref(r) => rt::Segment::Ref(text(r)),
                    ir::Segment::Attr(r, path) => rt::Segment::Attr(text(r), steps(path)),
                })
                .collect(),
        )),
        ir::Expr::Ref(r) => rt::Expr::Ref(text(r)),
        ir::Expr::Call(c) => call(c),
        ir::Expr::Array(items) => rt::Expr::Array(leak(items.iter().map(expr).collect())),
        ir::Expr::Record(fields) => rt::Expr::Record(leak(
            fields.iter().map(|(k, v)| (text(k), expr(v))).collect(),
        )),
    }
}

/// The runtime's function for the generator's: the two enums list the same functions (the
/// match is exhaustive, so a function added to one and not the other fails to compile here).
fn function(f: ir::Function) -> rt::Func {
    match f {
        ir::Function::IsSet => rt::Func::IsSet,
        ir::Function::Not => rt::Func::Not,
        ir::Function::BooleanEquals => rt::Func::BooleanEquals,
        ir::Function::StringEquals => rt::Func::StringEquals,
        ir::Function::Substring => rt::Func::Substring,
        ir::Function::UriEncode => rt::Func::UriEncode,
        ir::Function::ParseUrl => rt::Func::ParseUrl,
        ir::Function::IsValidHostLabel => rt::Func::IsValidHostLabel,
        ir::Function::AwsPartition => rt::Func::AwsPartition,
        ir::Function::AwsParseArn => rt::Func::AwsParseArn,
        ir::Function::AwsIsVirtualHostableS3Bucket => rt::Func::AwsIsVirtualHostableS3Bucket,
        ir::Function::Coalesce => rt::Func::Coalesce,
        ir::Function::Ite => rt::Func::Ite,
        ir::Function::Split => rt::Func::Split,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules() -> ir::RuleSet {
        codegen::endpoints::parse::rule_set(&json!({
            "version": "1.0",
            "parameters": {
                "Region": { "type": "String", "builtIn": "AWS::Region", "required": false },
            },
            "rules": [
                {
                    "conditions": [{ "fn": "isSet", "argv": [{ "ref": "Region" }] }],
                    "endpoint": {
                        "url": "https://svc.{Region}.example.com",
                        "headers": { "x-a": ["1"] },
                        "properties": { "authSchemes": [{ "name": "sigv4", "signingRegion": "{Region}" }] },
                    },
                    "type": "endpoint",
                },
                { "conditions": [], "error": "no region", "type": "error" },
            ],
        }))
        .unwrap()
    }

    fn cases(cases: serde_json::Value) -> Vec<TestCase> {
        codegen::endpoints::cases::parse(&json!({ "version": "1.0", "testCases": cases })).unwrap()
    }

    #[test]
    fn passing_and_failing_cases_are_told_apart() {
        let ok_endpoint = json!({
            "url": "https://svc.eu-west-1.example.com",
            "headers": { "x-a": ["1"] },
            "properties": { "authSchemes": [{ "name": "sigv4", "signingRegion": "eu-west-1" }] },
        });
        let got = run(
            &rules(),
            &cases(json!([
                { "documentation": "ok", "params": { "Region": "eu-west-1" }, "expect": { "endpoint": ok_endpoint } },
                { "documentation": "error", "params": {}, "expect": { "error": "no region" } },
                { "documentation": "via built-ins", "params": { "Region": "eu-west-1" },
                  "operationInputs": [{ "operationName": "Op", "builtInParams": { "AWS::Region": "eu-west-1" } }],
                  "expect": { "endpoint": ok_endpoint } },
                { "documentation": "wrong url", "params": { "Region": "eu-west-1" },
                  "expect": { "endpoint": { "url": "https://other" } } },
                { "documentation": "wrong header", "params": { "Region": "eu-west-1" },
                  "expect": { "endpoint": { "url": "https://svc.eu-west-1.example.com", "headers": { "x-a": ["2"] } } } },
                { "documentation": "wrong error", "params": {}, "expect": { "error": "other" } },
                { "documentation": "error expected", "params": { "Region": "eu-west-1" }, "expect": { "error": "no region" } },
                { "documentation": "wrong properties", "params": { "Region": "eu-west-1" },
                  "expect": { "endpoint": { "url": "https://svc.eu-west-1.example.com", "properties": {} } } },
                { "documentation": "built-ins differ", "params": { "Region": "eu-west-1" },
                  "operationInputs": [{ "operationName": "Op", "builtInParams": { "AWS::Region": "us-east-1" } }],
                  "expect": { "endpoint": ok_endpoint } },
            ])),
        );
        assert_eq!(got.passed, 3, "{:?}", got.failed);
        let failed: Vec<&str> = got.failed.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            failed,
            [
                "wrong url",
                "wrong header",
                "wrong error",
                "error expected",
                "wrong properties",
                "built-ins differ"
            ]
        );
        assert!(
            got.failed[5].1.starts_with("operationInputs[0]: url"),
            "{:?}",
            got.failed[5]
        );
    }
}
