//! Runtime values of the rules engine and the caller-supplied parameter values.

use std::collections::BTreeMap;
use std::fmt;

/// A value computed while evaluating rules; also the type of endpoint properties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// A record (JSON object).
    Record(BTreeMap<String, Value>),
}

impl Value {
    /// A record from `(key, value)` pairs.
    pub fn record<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Record(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The fields, if this is a record.
    pub fn as_record(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Record(fields) => Some(fields),
            _ => None,
        }
    }

    /// The field `key`, if this is a record that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_record().and_then(|r| r.get(key))
    }

    /// The name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Record(_) => "record",
        }
    }
}

impl fmt::Display for Value {
    /// JSON-like rendering (strings quoted), for diagnostics.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Record(fields) => {
                f.write_str("{")?;
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::Array(items)
    }
}

/// A caller-supplied value for a rule-set parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// For `string` parameters.
    String(String),
    /// For `boolean` parameters.
    Bool(bool),
    /// For `stringArray` parameters.
    StringArray(Vec<String>),
}

impl ParamValue {
    pub(crate) fn to_value(&self) -> Value {
        match self {
            ParamValue::String(s) => Value::String(s.clone()),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(items) => {
                Value::Array(items.iter().cloned().map(Value::String).collect())
            }
        }
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::String(s.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::String(s)
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(items: Vec<String>) -> Self {
        ParamValue::StringArray(items)
    }
}

impl From<&[&str]> for ParamValue {
    fn from(items: &[&str]) -> Self {
        ParamValue::StringArray(items.iter().map(|s| (*s).to_owned()).collect())
    }
}

/// The values endpoint resolution starts from.
///
/// A parameter's value is looked up in this order:
/// 1. [`named`](Params::named), by parameter name (`"Region"`, `"UseGlobalEndpoint"`, ...):
///    for client context parameters and for the rule set's own test cases;
/// 2. if the parameter is bound to a built-in: [`built_ins`](Params::built_ins) by built-in
///    id, then the typed fields for the four standard AWS built-ins
///    ([`region`](Params::region) = `AWS::Region`, [`use_fips`](Params::use_fips) =
///    `AWS::UseFIPS`, [`use_dual_stack`](Params::use_dual_stack) = `AWS::UseDualStack`,
///    [`endpoint`](Params::endpoint) = `SDK::Endpoint`);
/// 3. the parameter's default.
///
/// The boolean built-ins are always supplied (`false` means "not enabled"), as in the AWS SDKs.
/// Values for names the rule set does not declare are ignored.
///
/// ```
/// use aws_client_runtime::endpoint::Params;
///
/// let params = Params::new().with_region("eu-west-1").with_use_fips(true);
/// let sts = Params::new()
///     .with_region("us-west-2")
///     .with_built_in("AWS::STS::UseGlobalEndpoint", true);
/// # let _ = (params, sts);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// `AWS::Region`.
    pub region: Option<String>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: a custom endpoint URL.
    pub endpoint: Option<String>,
    /// Other built-ins by id (for example `AWS::STS::UseGlobalEndpoint`); an entry here also
    /// overrides the typed field of a standard built-in.
    pub built_ins: BTreeMap<String, ParamValue>,
    /// Values by parameter name; these take precedence over built-ins.
    pub named: BTreeMap<String, ParamValue>,
}

impl Params {
    /// No values: every built-in unset (booleans `false`).
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets `AWS::Region`.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets `AWS::UseFIPS`.
    pub fn with_use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = use_fips;
        self
    }

    /// Sets `AWS::UseDualStack`.
    pub fn with_use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = use_dual_stack;
        self
    }

    /// Sets `SDK::Endpoint`.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets a built-in by id, e.g. `("AWS::STS::UseGlobalEndpoint", true)`.
    pub fn with_built_in(mut self, id: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.built_ins.insert(id.into(), value.into());
        self
    }

    /// Sets a parameter by its name in the rule set, e.g. `("UseFIPS", true)`.
    pub fn with_param(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.named.insert(name.into(), value.into());
        self
    }

    /// The value supplied for the built-in `id`, if any.
    pub fn built_in(&self, id: &str) -> Option<ParamValue> {
        if let Some(v) = self.built_ins.get(id) {
            return Some(v.clone());
        }
        match id {
            "AWS::Region" => self.region.clone().map(ParamValue::String),
            "AWS::UseFIPS" => Some(ParamValue::Bool(self.use_fips)),
            "AWS::UseDualStack" => Some(ParamValue::Bool(self.use_dual_stack)),
            "SDK::Endpoint" => self.endpoint.clone().map(ParamValue::String),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_come_from_fields_unless_overridden() {
        let p = Params::new()
            .with_region("us-east-1")
            .with_use_fips(true)
            .with_endpoint("https://example.com");
        assert_eq!(p.built_in("AWS::Region"), Some("us-east-1".into()));
        assert_eq!(p.built_in("AWS::UseFIPS"), Some(true.into()));
        assert_eq!(p.built_in("AWS::UseDualStack"), Some(false.into()));
        assert_eq!(
            p.built_in("SDK::Endpoint"),
            Some("https://example.com".into())
        );
        assert_eq!(p.built_in("AWS::STS::UseGlobalEndpoint"), None);
        let p = p
            .with_built_in("AWS::Region", "eu-west-1")
            .with_built_in("AWS::STS::UseGlobalEndpoint", true);
        assert_eq!(p.built_in("AWS::Region"), Some("eu-west-1".into()));
        assert_eq!(p.built_in("AWS::STS::UseGlobalEndpoint"), Some(true.into()));
    }

    #[test]
    fn values_convert_and_display() {
        let v = Value::record([
            ("a", Value::from("x")),
            ("b", Value::Array(vec![true.into(), 3i64.into()])),
        ]);
        assert_eq!(v.to_string(), r#"{"a": "x", "b": [true, 3]}"#);
        assert_eq!(v.get("a").and_then(Value::as_str), Some("x"));
        assert_eq!(
            v.get("b").and_then(Value::as_array).map(<[_]>::len),
            Some(2)
        );
        assert_eq!(v.type_name(), "record");
        assert_eq!(
            ParamValue::from(&["a", "b"][..]).to_value(),
            Value::Array(vec!["a".into(), "b".into()])
        );
        assert_eq!(ParamValue::from(false).to_value().as_bool(), Some(false));
    }
}
