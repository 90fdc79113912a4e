//! The rule set as Rust data: the abstract syntax of a Smithy `smithy.rules#endpointRuleSet`.
//!
//! Every type here holds only `&'static` references and `Copy` data, so generated code can
//! write a whole rule set as one `static` item (no allocation, no lazy initialisation).
//! Everything the rule set's text grammar says is decided by the generator: template strings
//! arrive split into [`Segment`]s and `getAttr` paths into [`Step`]s, so the evaluator never
//! parses model text.
//!
//! ```
//! use aws_client_runtime::endpoint::rules::*;
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
//!             conditions: &[Condition {
//!                 expr: Expr::Call(Func::IsSet, &[Expr::Ref("Region")]),
//!                 assign: None,
//!             }],
//!             endpoint: EndpointSpec {
//!                 url: Expr::Template(&[
//!                     Segment::Lit("https://example."),
//!                     Segment::Ref("Region"),
//!                     Segment::Lit(".amazonaws.com"),
//!                 ]),
//!                 headers: &[],
//!                 properties: &[],
//!             },
//!         },
//!         Rule::Error { conditions: &[], message: Expr::Str("Missing Region") },
//!     ],
//! };
//! # let _ = &RULES;
//! ```

/// A complete endpoint rule set: its declared parameters and its top-level rules.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RuleSet {
    /// The rules engine version the rule set declares (`"1.0"` for every awsQuery model).
    pub version: &'static str,
    /// The declared parameters, in declaration order.
    pub parameters: &'static [Parameter],
    /// The top-level rules, evaluated in order.
    pub rules: &'static [Rule],
}

impl RuleSet {
    /// The declared parameter called `name`, if any.
    pub fn parameter(&self, name: &str) -> Option<&'static Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }
}

/// One declared rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parameter {
    /// The parameter name as rules refer to it (`Region`, `UseFIPS`, ...).
    pub name: &'static str,
    /// The parameter's type.
    pub ty: ParamType,
    /// The built-in value this parameter is bound to (`AWS::Region`, `SDK::Endpoint`, ...).
    pub built_in: Option<&'static str>,
    /// Whether a value must be present (after applying the default) before rules are evaluated.
    pub required: bool,
    /// The value used when the caller supplies none.
    pub default: Option<DefaultValue>,
}

/// The type of a rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

impl ParamType {
    /// The type's name as rule sets spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Boolean => "boolean",
            ParamType::StringArray => "stringArray",
        }
    }
}

/// A parameter's default value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultValue {
    /// A string default.
    String(&'static str),
    /// A boolean default.
    Bool(bool),
    /// A string-array default.
    StringArray(&'static [&'static str]),
}

/// A rule: conditions plus what happens when they all hold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// Resolve to `endpoint`.
    Endpoint {
        /// Conditions that must all hold.
        conditions: &'static [Condition],
        /// The endpoint to build.
        endpoint: EndpointSpec,
    },
    /// Fail with `message` (a template string or an expression evaluating to a string).
    Error {
        /// Conditions that must all hold.
        conditions: &'static [Condition],
        /// The error message.
        message: Expr,
    },
    /// Evaluate `rules`; a tree whose conditions hold is terminal: if none of its rules
    /// matches, resolution fails with [`EndpointError::NoRuleMatched`](super::EndpointError::NoRuleMatched).
    Tree {
        /// Conditions that must all hold.
        conditions: &'static [Condition],
        /// The subordinate rules.
        rules: &'static [Rule],
    },
}

impl Rule {
    /// The rule's conditions.
    pub fn conditions(&self) -> &'static [Condition] {
        match self {
            Rule::Endpoint { conditions, .. }
            | Rule::Error { conditions, .. }
            | Rule::Tree { conditions, .. } => conditions,
        }
    }
}

/// A condition: a function call ([`Expr::Call`] or [`Expr::GetAttr`]) whose result must be set
/// and not `false`, optionally bound to a name visible to later conditions of the same rule and
/// to a tree's subordinate rules.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Condition {
    /// The function call.
    pub expr: Expr,
    /// The variable the result is assigned to.
    pub assign: Option<&'static str>,
}

/// The endpoint an endpoint rule produces.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EndpointSpec {
    /// The URL: a template string, a reference or a function call evaluating to a string.
    pub url: Expr,
    /// Header names and their values (each a template string or expression).
    pub headers: &'static [(&'static str, &'static [Expr])],
    /// Endpoint properties (for example `authSchemes`); values are literals, arrays, records
    /// and template strings.
    pub properties: &'static [(&'static str, Expr)],
}

/// An expression.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expr {
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A string literal without substitutions (a template's `{{` / `}}` escapes already
    /// resolved to `{` / `}`).
    Str(&'static str),
    /// A template string with substitutions, pre-split into its segments; it evaluates to
    /// their concatenation.
    Template(&'static [Segment]),
    /// A reference to a parameter or an assigned variable.
    Ref(&'static str),
    /// `getAttr(value, path)`: the path (`a.b[0]` in the rule set) pre-split into steps.
    GetAttr(&'static Expr, &'static [Step]),
    /// A function call.
    Call(Func, &'static [Expr]),
    /// An array literal.
    Array(&'static [Expr]),
    /// A record literal (only in endpoint properties).
    Record(&'static [(&'static str, Expr)]),
}

/// A piece of a template string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Lit(&'static str),
    /// `{Name}`: the string value of a parameter or variable.
    Ref(&'static str),
    /// `{Name#path}`: the string at `path` inside a parameter's or variable's value.
    Attr(&'static str, &'static [Step]),
}

/// One step of a `getAttr` path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A record field (`name`).
    Field(&'static str),
    /// An array element (`[0]`).
    Index(usize),
}

/// The functions of the rules engine's standard library and of the AWS extension (`getAttr`
/// is [`Expr::GetAttr`]: its path is data, not an expression).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// `isSet(value)`: whether the value is set.
    IsSet,
    /// `not(bool)`
    Not,
    /// `booleanEquals(bool, bool)`
    BooleanEquals,
    /// `stringEquals(string, string)`
    StringEquals,
    /// `substring(string, start, stop, reverse)`
    Substring,
    /// `uriEncode(string)`: RFC 3986 percent-encoding.
    UriEncode,
    /// `parseURL(string)`
    ParseUrl,
    /// `isValidHostLabel(string, allowSubDomains)`
    IsValidHostLabel,
    /// `aws.partition(region)`
    AwsPartition,
    /// `aws.parseArn(string)`
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket(string, allowSubDomains)`
    AwsIsVirtualHostableS3Bucket,
    /// `coalesce(a, b, ...)` (rules 1.1): the first argument that is set, else the last
    /// argument's value (set or not). Arguments are evaluated in order, and only as far as needed.
    Coalesce,
    /// `ite(condition, trueValue, falseValue)` (rules 1.1): if-then-else; only the chosen
    /// branch is evaluated.
    Ite,
    /// `split(string, delimiter, limit)` (rules 1.1): the parts of `string` between
    /// occurrences of a non-empty `delimiter`; `limit` 0 splits at every occurrence, `n` > 0
    /// gives at most `n` parts.
    Split,
}

impl Func {
    /// The function's name as rule sets spell it (`fn` field), for error messages.
    pub fn name(self) -> &'static str {
        match self {
            Func::IsSet => "isSet",
            Func::Not => "not",
            Func::BooleanEquals => "booleanEquals",
            Func::StringEquals => "stringEquals",
            Func::Substring => "substring",
            Func::UriEncode => "uriEncode",
            Func::ParseUrl => "parseURL",
            Func::IsValidHostLabel => "isValidHostLabel",
            Func::AwsPartition => "aws.partition",
            Func::AwsParseArn => "aws.parseArn",
            Func::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
            Func::Coalesce => "coalesce",
            Func::Ite => "ite",
            Func::Split => "split",
        }
    }

    /// The fewest arguments the function takes.
    pub fn min_args(self) -> usize {
        match self {
            Func::IsSet | Func::Not | Func::UriEncode | Func::ParseUrl => 1,
            Func::AwsPartition | Func::AwsParseArn => 1,
            Func::BooleanEquals | Func::StringEquals => 2,
            Func::IsValidHostLabel | Func::AwsIsVirtualHostableS3Bucket => 2,
            Func::Coalesce => 2,
            Func::Ite | Func::Split => 3,
            Func::Substring => 4,
        }
    }

    /// The most arguments the function takes; `None` for a variadic function (`coalesce`).
    pub fn max_args(self) -> Option<usize> {
        match self {
            Func::Coalesce => None,
            other => Some(other.min_args()),
        }
    }

    /// Whether the function takes `n` arguments.
    pub fn takes(self, n: usize) -> bool {
        n >= self.min_args() && self.max_args().is_none_or(|max| n <= max)
    }

    /// How many arguments the function takes, in words: `2`, `at least 2`.
    pub fn arity_text(self) -> String {
        match self.max_args() {
            Some(n) => n.to_string(),
            None => format!("at least {}", self.min_args()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arities() {
        assert!(Func::Coalesce.takes(2) && Func::Coalesce.takes(7));
        assert!(!Func::Coalesce.takes(1));
        assert!(Func::Ite.takes(3) && !Func::Ite.takes(2) && !Func::Ite.takes(4));
        assert!(Func::Split.takes(3) && !Func::Split.takes(4));
        assert_eq!(Func::Coalesce.arity_text(), "at least 2");
        assert_eq!(Func::Substring.arity_text(), "4");
    }

    #[test]
    fn rule_sets_are_static_data() {
        static NESTED: RuleSet = RuleSet {
            version: "1.0",
            parameters: &[],
            rules: &[Rule::Tree {
                conditions: &[Condition {
                    expr: Expr::Call(Func::Not, &[Expr::Call(Func::IsSet, &[Expr::Ref("X")])]),
                    assign: Some("y"),
                }],
                rules: &[Rule::Error {
                    conditions: &[],
                    message: Expr::Str("e"),
                }],
            }],
        };
        assert_eq!(NESTED.rules[0].conditions()[0].assign, Some("y"));
        assert!(NESTED.parameter("X").is_none());
        static PATH: Expr = Expr::GetAttr(
            &Expr::Ref("arn"),
            &[Step::Field("resourceId"), Step::Index(1)],
        );
        assert!(matches!(PATH, Expr::GetAttr(_, [_, Step::Index(1)])));
    }
}
