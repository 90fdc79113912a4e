//! The endpoint rule set as typed data: what [`parse`](super::parse) makes of the
//! `smithy.rules#endpointRuleSet` trait, and all [`emit`](super::emit) reads.
//!
//! Everything the rule set's text grammar says is decided here, at generation time: template
//! strings are split into [`Segment`]s, `getAttr` paths into [`Step`]s, function names into
//! [`Function`]s with checked arities, and every reference is known to be in scope. A value of
//! these types is a valid rule set.

/// A whole rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSet {
    /// The declared rules engine version.
    pub version: Version,
    /// The parameters, in declaration order.
    pub parameters: Vec<Parameter>,
    /// The top-level rules, in evaluation order.
    pub rules: Vec<Rule>,
}

/// A supported rules engine version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `1.0`
    V1_0,
    /// `1.1` (adds `coalesce`, `ite` and `split`).
    V1_1,
}

impl Version {
    /// As rule sets spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
        }
    }
}

/// A declared parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// The name rules refer to it by (an identifier).
    pub name: String,
    /// Its type.
    pub ty: ParamType,
    /// The built-in it is bound to (`AWS::Region`, ...).
    pub built_in: Option<String>,
    /// Whether it must have a value before rules are evaluated.
    pub required: bool,
    /// Its default value, of its type.
    pub default: Option<ParamDefault>,
}

/// A parameter type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// `string`
    String,
    /// `boolean`
    Boolean,
    /// `stringArray`
    StringArray,
}

/// A parameter default (always of the parameter's type).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamDefault {
    /// For a `string` parameter.
    String(String),
    /// For a `boolean` parameter.
    Bool(bool),
    /// For a `stringArray` parameter.
    StringArray(Vec<String>),
}

/// A rule: conditions, and what happens when they all hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Conditions that must all hold, in order.
    pub conditions: Vec<Condition>,
    /// The rule's outcome.
    pub kind: RuleKind,
}

/// What a rule does when its conditions hold.
#[derive(Clone, Debug, PartialEq)]
pub enum RuleKind {
    /// Resolve to this endpoint.
    Endpoint(Endpoint),
    /// Fail with this message (a string expression).
    Error(Expr),
    /// Evaluate these rules (terminal when the conditions hold).
    Tree(Vec<Rule>),
}

/// A condition: a function call, optionally bound to a new name.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The call.
    pub call: Call,
    /// The variable its result is assigned to (an identifier not already in scope).
    pub assign: Option<String>,
}

/// A function call.
#[derive(Clone, Debug, PartialEq)]
pub enum Call {
    /// `getAttr(target, "path")`: the path is data, already split.
    GetAttr {
        /// The value to look into.
        target: Box<Expr>,
        /// The path.
        path: Vec<Step>,
    },
    /// Any other function, with an argument count it accepts.
    Func {
        /// The function.
        func: Function,
        /// Its arguments.
        args: Vec<Expr>,
    },
}

/// The supported functions other than `getAttr` (see [`Call::GetAttr`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// `isSet`
    IsSet,
    /// `not`
    Not,
    /// `booleanEquals`
    BooleanEquals,
    /// `stringEquals`
    StringEquals,
    /// `substring`
    Substring,
    /// `uriEncode`
    UriEncode,
    /// `parseURL`
    ParseUrl,
    /// `isValidHostLabel`
    IsValidHostLabel,
    /// `aws.partition`
    AwsPartition,
    /// `aws.parseArn`
    AwsParseArn,
    /// `aws.isVirtualHostableS3Bucket`
    AwsIsVirtualHostableS3Bucket,
    /// `coalesce` (rules 1.1)
    Coalesce,
    /// `ite` (rules 1.1)
    Ite,
    /// `split` (rules 1.1)
    Split,
}

impl Function {
    /// Every function, for lookup by name.
    pub const ALL: [Function; 14] = [
        Function::IsSet,
        Function::Not,
        Function::BooleanEquals,
        Function::StringEquals,
        Function::Substring,
        Function::UriEncode,
        Function::ParseUrl,
        Function::IsValidHostLabel,
        Function::AwsPartition,
        Function::AwsParseArn,
        Function::AwsIsVirtualHostableS3Bucket,
        Function::Coalesce,
        Function::Ite,
        Function::Split,
    ];

    /// The function called `name` in a rule set.
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Its name as rule sets spell it.
    pub fn name(self) -> &'static str {
        match self {
            Function::IsSet => "isSet",
            Function::Not => "not",
            Function::BooleanEquals => "booleanEquals",
            Function::StringEquals => "stringEquals",
            Function::Substring => "substring",
            Function::UriEncode => "uriEncode",
            Function::ParseUrl => "parseURL",
            Function::IsValidHostLabel => "isValidHostLabel",
            Function::AwsPartition => "aws.partition",
            Function::AwsParseArn => "aws.parseArn",
            Function::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
            Function::Coalesce => "coalesce",
            Function::Ite => "ite",
            Function::Split => "split",
        }
    }

    /// The fewest and most arguments it takes (`None`: variadic).
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Function::IsSet
            | Function::Not
            | Function::UriEncode
            | Function::ParseUrl
            | Function::AwsPartition
            | Function::AwsParseArn => (1, Some(1)),
            Function::BooleanEquals
            | Function::StringEquals
            | Function::IsValidHostLabel
            | Function::AwsIsVirtualHostableS3Bucket => (2, Some(2)),
            Function::Coalesce => (2, None),
            Function::Ite | Function::Split => (3, Some(3)),
            Function::Substring => (4, Some(4)),
        }
    }
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A string without substitutions (escapes resolved).
    Str(String),
    /// A string with at least one substitution.
    Template(Template),
    /// A parameter or a variable in scope.
    Ref(String),
    /// A function call.
    Call(Call),
    /// An array literal.
    Array(Vec<Expr>),
    /// A record literal (endpoint properties only).
    Record(Vec<(String, Expr)>),
}

/// A template string split into segments: adjacent literal text is one [`Segment::Lit`], and
/// `{{` / `}}` are already `{` / `}` in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template(pub Vec<Segment>);

impl Template {
    /// Whether any segment substitutes a value.
    pub fn has_substitutions(&self) -> bool {
        self.0.iter().any(|s| match s {
            Segment::Lit(_) => false,
            Segment::Ref(_) | Segment::Attr(..) => true,
        })
    }
}

/// A piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Literal text.
    Lit(String),
    /// `{Name}`
    Ref(String),
    /// `{Name#path}`
    Attr(String, Vec<Step>),
}

/// A step of a `getAttr` path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A record field: `name`.
    Field(String),
    /// An array element: `[0]`.
    Index(usize),
}

/// The endpoint an endpoint rule builds.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL (a string expression).
    pub url: Expr,
    /// Headers, in rule order, each with its value expressions.
    pub headers: Vec<(String, Vec<Expr>)>,
    /// Properties, in rule order.
    pub properties: Vec<(String, Expr)>,
}
