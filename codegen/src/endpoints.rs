//! Endpoint rules: turns a service's `smithy.rules#endpointRuleSet` trait into runtime data and
//! its `smithy.rules#endpointTests` trait into `#[test]` functions.
//!
//! The runtime side is `runtime::endpoint` in the client crate. The rule set goes through a
//! typed IR: [`parse`] turns the trait JSON into an [`ir::RuleSet`], validating it completely
//! (types, function names and arities, references in scope, templates, attribute paths) and
//! deciding its text grammar (templates split into segments, `getAttr` paths into steps);
//! [`emit`] writes that IR as the runtime's plain data, so the runtime evaluator parses no model
//! text and never reports an invalid generated rule set.
//!
//! Modules: [`ir`] (the types), [`grammar`] (template and path syntax), [`parse`] (JSON -> IR),
//! [`emit`] (IR -> tokens); [`cases`] (`endpointTests` JSON -> typed cases) and `test_cases`
//! (cases -> `#[test]`s); `json` (typed JSON access).
//!
//! Contract with the rest of the generator:
//! * [`emit_rule_set`] produces the contents of one module (e.g. `generated/endpoints.rs`): a
//!   single item, `pub static RULES: <runtime>::endpoint::rules::RuleSet`.
//! * [`emit_tests`] produces bare `#[test]` functions for a `#[cfg(test)]` module; `rules_path`
//!   is the path of the module holding `RULES`, and the tests call
//!   `<runtime>::endpoint::resolve(&#rules_path::RULES, &params)` and use
//!   `<runtime>::endpoint::{Params, ParamValue, Value}`.

pub mod cases;
pub mod emit;
pub mod grammar;
pub mod ir;
mod json;
pub mod parse;
mod test_cases;

use proc_macro2::TokenStream;
use serde_json::Value;

#[cfg(test)]
use cases::sanitize;

/// What is wrong with a rule set or its tests. `at` locates the fault, e.g.
/// `rules[1].rules[0].conditions[0].argv[1]` or `testCases[3].params.Region`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointGenError {
    /// A value has the wrong JSON type.
    #[error("{at}: expected {expected}, found {found}")]
    Type {
        at: String,
        expected: &'static str,
        found: String,
    },
    /// A required field is absent.
    #[error("{at}: missing required field `{field}`")]
    MissingField { at: String, field: &'static str },
    /// The rule set declares a rules engine version this generator does not support.
    #[error("{at}: unsupported rules engine version `{version}` (supported: 1.0, 1.1)")]
    UnsupportedVersion { at: String, version: String },
    /// A function the runtime does not implement.
    #[error("{at}: unsupported function `{name}`")]
    UnknownFunction { at: String, name: String },
    /// A function called with the wrong number of arguments.
    #[error("{at}: `{name}` takes {expected} argument(s), found {found}")]
    Arity {
        at: String,
        name: String,
        /// `2`, or `at least 2` for a variadic function.
        expected: String,
        found: usize,
    },
    /// A rule whose `type` is not `endpoint`, `error` or `tree`.
    #[error("{at}: unknown rule type `{ty}` (expected endpoint, error or tree)")]
    UnknownRuleType { at: String, ty: String },
    /// A parameter whose `type` is not `string`, `boolean` or `stringArray`.
    #[error("{at}: unknown parameter type `{ty}` (expected string, boolean or stringArray)")]
    UnknownParamType { at: String, ty: String },
    /// A parameter default whose type differs from the parameter's.
    #[error("{at}: default value does not match the parameter type `{ty}`")]
    DefaultType { at: String, ty: String },
    /// A reference (or template substitution) to a name that is neither a parameter nor a
    /// variable assigned in scope.
    #[error("{at}: `{name}` is neither a parameter nor a variable assigned in scope")]
    UnknownReference { at: String, name: String },
    /// An `assign` that reuses a parameter or in-scope variable name.
    #[error("{at}: `{name}` is already a parameter or a variable in scope")]
    DuplicateName { at: String, name: String },
    /// A malformed template string or `getAttr` path.
    #[error("{at}: {message}")]
    Syntax { at: String, message: String },
    /// A malformed `endpointTests` case.
    #[error("{at}: {message}")]
    BadTest { at: String, message: String },
}

// ---------------------------------------------------------------------------------------------
// Rule set

/// Rust tokens that construct the rule set as runtime data: one item,
/// `pub static RULES: #runtime_path::endpoint::rules::RuleSet` (plain `&'static` data, built at
/// compile time).
///
/// `runtime_path` is the path to the runtime module as seen from the generated code, e.g.
/// `crate::runtime`.
pub fn emit_rule_set(
    rule_set: &Value,
    runtime_path: &TokenStream,
) -> Result<TokenStream, EndpointGenError> {
    Ok(emit::rule_set(&parse::rule_set(rule_set)?, runtime_path))
}

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
    Ok(test_cases::emit(
        &cases::parse(tests)?,
        runtime_path,
        rules_path,
    ))
}

/// [`emit_tests`] for cases already parsed (the IR's).
pub fn emit_test_cases(
    cases: &[cases::TestCase],
    runtime_path: &TokenStream,
    rules_path: &TokenStream,
) -> TokenStream {
    test_cases::emit(cases, runtime_path, rules_path)
}

/// Endpoint rules for a service whose model has none, in the shape AWS uses for regional
/// services.
pub fn default_rule_set(prefix: &str) -> serde_json::Value {
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

#[cfg(test)]
mod tests;
