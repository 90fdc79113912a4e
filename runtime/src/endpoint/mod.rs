//! Endpoint resolution from Smithy endpoint rule sets (rules engine version 1.0).
//!
//! A service's `smithy.rules#endpointRuleSet` trait is turned by the code generator into a
//! [`RuleSet`] `static` (plain Rust data, see [`rules`]); at run time [`resolve`] evaluates it
//! against [`Params`] and returns the [`Endpoint`] to call, or the rule set's own error message.
//!
//! ```
//! use aws_client_runtime::endpoint::rules::*;
//! use aws_client_runtime::endpoint::{resolve, EndpointError, Params};
//!
//! static RULES: RuleSet = RuleSet {
//!     version: "1.0",
//!     parameters: &[Parameter {
//!         name: "Region",
//!         ty: ParamType::String,
//!         built_in: Some("AWS::Region"),
//!         required: false,
//!         default: None,
//!     }],
//!     rules: &[
//!         Rule::Endpoint {
//!             conditions: &[
//!                 Condition {
//!                     expr: Expr::Call(Func::IsSet, &[Expr::Ref("Region")]),
//!                     assign: None,
//!                 },
//!                 Condition {
//!                     expr: Expr::Call(Func::AwsPartition, &[Expr::Ref("Region")]),
//!                     assign: Some("PartitionResult"),
//!                 },
//!             ],
//!             endpoint: EndpointSpec {
//!                 // "https://email.{Region}.{PartitionResult#dnsSuffix}", split by the generator.
//!                 url: Expr::Template(&[
//!                     Segment::Lit("https://email."),
//!                     Segment::Ref("Region"),
//!                     Segment::Lit("."),
//!                     Segment::Attr("PartitionResult", &[Step::Field("dnsSuffix")]),
//!                 ]),
//!                 headers: &[],
//!                 properties: &[],
//!             },
//!         },
//!         Rule::Error { conditions: &[], message: Expr::Str("Invalid Configuration: Missing Region") },
//!     ],
//! };
//!
//! let endpoint = resolve(&RULES, &Params::new().with_region("cn-north-1")).unwrap();
//! assert_eq!(endpoint.url, "https://email.cn-north-1.amazonaws.com.cn");
//! let error = resolve(&RULES, &Params::new()).unwrap_err();
//! assert_eq!(error, EndpointError::Rule("Invalid Configuration: Missing Region".into()));
//! assert_eq!(error.to_string(), "Invalid Configuration: Missing Region");
//! ```
//!
//! Semantics follow the Smithy rules engine specification: rules are tried in order; a rule
//! applies when each of its conditions evaluates to a set value other than `false` (a
//! condition's `assign` binds that value for the rest of the rule and, for a tree, for its
//! subordinate rules); a tree rule whose conditions hold is terminal. Template strings
//! (`{Region}`, `{PartitionResult#dnsSuffix}`) and `getAttr` paths are split by the generator
//! into [`rules::Segment`]s and [`rules::Step`]s, so nothing here parses rule-set text.
//! `aws.partition` uses the partition table in
//! [`partitions`] (see [`resolve_with`] to supply another).

mod eval;
pub mod partition;
pub mod partitions;
pub mod rules;
pub mod stdlib;
pub mod url;
mod value;

use std::collections::BTreeMap;

pub use partition::PartitionTable;
pub use rules::RuleSet;
pub use value::{ParamValue, Params, Value};

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The URL to send requests to.
    pub url: String,
    /// Headers to add to requests, in rule order, each with its values.
    pub headers: Vec<(String, Vec<String>)>,
    /// Endpoint properties (for example `authSchemes`).
    pub properties: BTreeMap<String, Value>,
    /// `signingRegion` of the first `sigv4` entry in the `authSchemes` property, if any.
    pub signing_region: Option<String>,
    /// `signingName` of the first `sigv4` entry in the `authSchemes` property, if any.
    pub signing_name: Option<String>,
}

impl Endpoint {
    /// An endpoint; the signing overrides are read from `properties`.
    pub fn new(
        url: String,
        headers: Vec<(String, Vec<String>)>,
        properties: BTreeMap<String, Value>,
    ) -> Self {
        let sigv4 = properties
            .get("authSchemes")
            .and_then(Value::as_array)
            .and_then(|schemes| {
                schemes
                    .iter()
                    .find(|s| s.get("name").and_then(Value::as_str) == Some("sigv4"))
            });
        let field = |key: &str| {
            sigv4
                .and_then(|s| s.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Endpoint {
            signing_region: field("signingRegion"),
            signing_name: field("signingName"),
            url,
            headers,
            properties,
        }
    }

    /// The values of header `name` (compared case-insensitively), if the endpoint sets it.
    pub fn header(&self, name: &str) -> Option<&[String]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

/// Why no endpoint was resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EndpointError {
    /// An error rule matched; this is its message, verbatim (templates expanded).
    Rule(String),
    /// A required parameter had no value and no default.
    MissingParameter(String),
    /// A supplied parameter value has the wrong type.
    InvalidParameter {
        /// The parameter.
        name: String,
        /// Its declared type.
        expected: &'static str,
    },
    /// No rule matched (the rule set, or a tree rule whose conditions held, was exhausted).
    NoRuleMatched,
    /// The rule set is malformed (wrong types, unknown names, non-string substitutions);
    /// generated rule sets are validated at generation time, so this indicates a generator bug.
    InvalidRuleSet(String),
}

impl std::fmt::Display for EndpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndpointError::Rule(message) => f.write_str(message),
            EndpointError::MissingParameter(name) => {
                write!(f, "endpoint parameter `{name}` is required but was not set")
            }
            EndpointError::InvalidParameter { name, expected } => {
                write!(f, "endpoint parameter `{name}` must be a {expected}")
            }
            EndpointError::NoRuleMatched => {
                f.write_str("no endpoint rule matched the parameters (rule exhaustion)")
            }
            EndpointError::InvalidRuleSet(message) => {
                write!(f, "invalid endpoint rule set: {message}")
            }
        }
    }
}

impl std::error::Error for EndpointError {}

/// Resolves the endpoint for `params` under `rules`, using the built-in partition table.
pub fn resolve(rules: &RuleSet, params: &Params) -> Result<Endpoint, EndpointError> {
    eval::resolve(rules, params, partitions::built_in())
}

/// [`resolve`] with another partition table (for example newer partition data).
pub fn resolve_with(
    rules: &RuleSet,
    params: &Params,
    partitions: &PartitionTable,
) -> Result<Endpoint, EndpointError> {
    eval::resolve(rules, params, partitions)
}

#[cfg(test)]
mod tests;
