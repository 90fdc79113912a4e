//! The rule evaluator.

use std::collections::BTreeMap;

use super::partition::PartitionTable;
use super::rules::{
    Condition, DefaultValue, EndpointSpec, Expr, Func, ParamType, Rule, RuleSet, Segment,
};
use super::stdlib;
use super::url::parse_url;
use super::value::{ParamValue, Params, Value};
use super::{Endpoint, EndpointError};

/// Resolves `rules` against `params`, with `partitions` serving `aws.partition`.
pub(super) fn resolve(
    rules: &RuleSet,
    params: &Params,
    partitions: &PartitionTable,
) -> Result<Endpoint, EndpointError> {
    let mut scope = Scope {
        rule_set: rules,
        partitions,
        vars: bind_parameters(rules, params)?,
    };
    match scope.eval_rules(rules.rules)? {
        Some(endpoint) => Ok(endpoint),
        None => Err(EndpointError::NoRuleMatched),
    }
}

/// The parameter values rules start from: supplied by name, else by built-in, else default.
fn bind_parameters(
    rules: &RuleSet,
    params: &Params,
) -> Result<Vec<(&'static str, Value)>, EndpointError> {
    let mut vars = Vec::with_capacity(rules.parameters.len());
    for p in rules.parameters {
        let supplied = params
            .named
            .get(p.name)
            .cloned()
            .or_else(|| p.built_in.and_then(|id| params.built_in(id)));
        let value = match supplied {
            Some(v) => {
                let ok = matches!(
                    (&v, p.ty),
                    (ParamValue::String(_), ParamType::String)
                        | (ParamValue::Bool(_), ParamType::Boolean)
                        | (ParamValue::StringArray(_), ParamType::StringArray)
                );
                if !ok {
                    return Err(EndpointError::InvalidParameter {
                        name: p.name.to_owned(),
                        expected: p.ty.as_str(),
                    });
                }
                Some(v.to_value())
            }
            None => p.default.map(|d| match d {
                DefaultValue::String(s) => Value::from(s),
                DefaultValue::Bool(b) => Value::Bool(b),
                DefaultValue::StringArray(items) => {
                    Value::Array(items.iter().map(|s| Value::from(*s)).collect())
                }
            }),
        };
        match value {
            Some(v) => vars.push((p.name, v)),
            None if p.required => {
                return Err(EndpointError::MissingParameter(p.name.to_owned()));
            }
            None => {}
        }
    }
    Ok(vars)
}

struct Scope<'a> {
    rule_set: &'a RuleSet,
    partitions: &'a PartitionTable,
    /// Set parameters, then variables assigned by the conditions of enclosing rules.
    vars: Vec<(&'static str, Value)>,
}

fn invalid(message: String) -> EndpointError {
    EndpointError::InvalidRuleSet(message)
}

impl Scope<'_> {
    /// `Some` when a rule produced an endpoint; `Err` for error rules and failures.
    fn eval_rules(&mut self, rules: &'static [Rule]) -> Result<Option<Endpoint>, EndpointError> {
        for rule in rules {
            let mark = self.vars.len();
            let outcome = self.eval_rule(rule);
            self.vars.truncate(mark);
            if let Some(endpoint) = outcome? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    fn eval_rule(&mut self, rule: &'static Rule) -> Result<Option<Endpoint>, EndpointError> {
        for condition in rule.conditions() {
            if !self.eval_condition(condition)? {
                return Ok(None);
            }
        }
        match rule {
            Rule::Endpoint { endpoint, .. } => self.build_endpoint(endpoint).map(Some),
            Rule::Error { message, .. } => match self.eval(message)? {
                Some(Value::String(m)) => Err(EndpointError::Rule(m)),
                other => Err(invalid(format!(
                    "error rule message must be a string, got {}",
                    describe(other.as_ref())
                ))),
            },
            // A tree whose conditions hold is terminal.
            Rule::Tree { rules, .. } => match self.eval_rules(rules)? {
                Some(endpoint) => Ok(Some(endpoint)),
                None => Err(EndpointError::NoRuleMatched),
            },
        }
    }

    /// Whether the condition holds; binds its `assign` variable when it does.
    fn eval_condition(&mut self, condition: &'static Condition) -> Result<bool, EndpointError> {
        let value = self.eval(&condition.expr)?;
        let holds = !matches!(value, None | Some(Value::Bool(false)));
        if holds && let (Some(name), Some(v)) = (condition.assign, value) {
            self.vars.push((name, v));
        }
        Ok(holds)
    }

    /// The value of a parameter or variable (`None`: a declared parameter that is not set).
    fn lookup(&self, name: &str) -> Result<Option<&Value>, EndpointError> {
        if let Some((_, v)) = self.vars.iter().rev().find(|(n, _)| *n == name) {
            return Ok(Some(v));
        }
        if self.rule_set.parameter(name).is_some() {
            // A declared parameter that is not set.
            return Ok(None);
        }
        Err(invalid(format!("reference to unknown name `{name}`")))
    }

    fn eval(&self, expr: &'static Expr) -> Result<Option<Value>, EndpointError> {
        Ok(match expr {
            Expr::Bool(b) => Some(Value::Bool(*b)),
            Expr::Int(i) => Some(Value::Int(*i)),
            Expr::Str(text) => Some(Value::from(*text)),
            Expr::Template(segments) => Some(Value::String(self.expand(segments)?)),
            Expr::Ref(name) => self.lookup(name)?.cloned(),
            Expr::GetAttr(target, path) => self
                .eval(target)?
                .and_then(|v| stdlib::get_attr(&v, path).cloned()),
            Expr::Call(func, args) => self.call(*func, args)?,
            Expr::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in *items {
                    out.push(self.eval_required(item, "array element")?);
                }
                Some(Value::Array(out))
            }
            Expr::Record(fields) => {
                let mut out = BTreeMap::new();
                for (key, item) in *fields {
                    out.insert((*key).to_owned(), self.eval_required(item, key)?);
                }
                Some(Value::Record(out))
            }
        })
    }

    fn eval_required(&self, expr: &'static Expr, what: &str) -> Result<Value, EndpointError> {
        self.eval(expr)?
            .ok_or_else(|| invalid(format!("{what} evaluated to no value")))
    }

    fn eval_string(&self, expr: &'static Expr, what: &str) -> Result<String, EndpointError> {
        match self.eval(expr)? {
            Some(Value::String(s)) => Ok(s),
            other => Err(invalid(format!(
                "{what} must be a string, got {}",
                describe(other.as_ref())
            ))),
        }
    }

    /// Concatenates a template's segments (each substitution must give a string); values are
    /// read in place, not cloned.
    fn expand(&self, segments: &'static [Segment]) -> Result<String, EndpointError> {
        let mut out = String::new();
        for segment in segments {
            let (name, value) = match segment {
                Segment::Lit(text) => {
                    out.push_str(text);
                    continue;
                }
                Segment::Ref(name) => (name, self.lookup(name)?),
                Segment::Attr(name, path) => (
                    name,
                    self.lookup(name)?.and_then(|v| stdlib::get_attr(v, path)),
                ),
            };
            match value {
                Some(Value::String(s)) => out.push_str(s),
                other => {
                    return Err(invalid(format!(
                        "template substitution of `{name}` gives {}, which is not a string",
                        describe(other)
                    )));
                }
            }
        }
        Ok(out)
    }

    fn call(&self, func: Func, args: &'static [Expr]) -> Result<Option<Value>, EndpointError> {
        if !func.takes(args.len()) {
            return Err(invalid(format!(
                "`{}` takes {} argument(s), got {}",
                func.name(),
                func.arity_text(),
                args.len()
            )));
        }
        if func == Func::Coalesce {
            // The first argument that is set; else whatever the last one gives (`takes`
            // guarantees at least two arguments).
            let Some((last, first)) = args.split_last() else {
                return Ok(None);
            };
            for arg in first {
                if let Some(v) = self.eval(arg)? {
                    return Ok(Some(v));
                }
            }
            return self.eval(last);
        }
        if func == Func::Ite {
            // An unset condition leaves the result unset, as an unset argument does for every
            // other function (a valid rule set never has one: the condition is a `bool`).
            return match self.eval(&args[0])? {
                None => Ok(None),
                Some(Value::Bool(true)) => self.eval(&args[1]),
                Some(Value::Bool(false)) => self.eval(&args[2]),
                Some(other) => Err(invalid(format!(
                    "argument 1 of `ite` must be a boolean, got {}",
                    describe(Some(&other))
                ))),
            };
        }
        if func == Func::IsSet {
            return Ok(Some(Value::Bool(self.eval(&args[0])?.is_some())));
        }
        // Every other function needs all of its arguments; an unset argument makes the
        // result unset (so a condition using it does not hold).
        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            match self.eval(arg)? {
                Some(v) => values.push(v),
                None => return Ok(None),
            }
        }
        let arg = Args {
            func,
            values: &values,
        };
        Ok(match func {
            Func::IsSet | Func::Coalesce | Func::Ite => None, // handled above
            Func::Split => Some(Value::Array(
                stdlib::split(arg.str(0)?, arg.str(1)?, arg.int(2)?)
                    .map_err(invalid)?
                    .into_iter()
                    .map(Value::String)
                    .collect(),
            )),
            Func::Not => Some(Value::Bool(!arg.bool(0)?)),
            Func::BooleanEquals => Some(Value::Bool(arg.bool(0)? == arg.bool(1)?)),
            Func::StringEquals => Some(Value::Bool(arg.str(0)? == arg.str(1)?)),
            Func::Substring => {
                stdlib::substring(arg.str(0)?, arg.int(1)?, arg.int(2)?, arg.bool(3)?)
                    .map(Value::String)
            }
            Func::UriEncode => Some(Value::String(stdlib::uri_encode(arg.str(0)?))),
            Func::ParseUrl => parse_url(arg.str(0)?).map(|u| u.to_value()),
            Func::IsValidHostLabel => Some(Value::Bool(stdlib::is_valid_host_label(
                arg.str(0)?,
                arg.bool(1)?,
            ))),
            Func::AwsPartition => self.partitions.lookup(arg.str(0)?).map(|p| p.to_value()),
            Func::AwsParseArn => stdlib::parse_arn(arg.str(0)?),
            Func::AwsIsVirtualHostableS3Bucket => Some(Value::Bool(
                stdlib::is_virtual_hostable_s3_bucket(arg.str(0)?, arg.bool(1)?),
            )),
        })
    }

    fn build_endpoint(&self, spec: &'static EndpointSpec) -> Result<Endpoint, EndpointError> {
        let url = self.eval_string(&spec.url, "endpoint url")?;
        let mut headers = Vec::with_capacity(spec.headers.len());
        for (name, values) in spec.headers {
            let mut out = Vec::with_capacity(values.len());
            for v in *values {
                out.push(self.eval_string(v, &format!("header `{name}` value"))?);
            }
            headers.push(((*name).to_owned(), out));
        }
        let mut properties = BTreeMap::new();
        for (key, expr) in spec.properties {
            properties.insert((*key).to_owned(), self.eval_required(expr, key)?);
        }
        Ok(Endpoint::new(url, headers, properties))
    }
}

/// Positional access to evaluated arguments with type checks.
struct Args<'a> {
    func: Func,
    values: &'a [Value],
}

impl Args<'_> {
    fn mismatch(&self, i: usize, expected: &str) -> EndpointError {
        invalid(format!(
            "argument {} of `{}` must be a {expected}, got {}",
            i + 1,
            self.func.name(),
            describe(self.values.get(i))
        ))
    }

    fn bool(&self, i: usize) -> Result<bool, EndpointError> {
        match self.values.get(i) {
            Some(Value::Bool(b)) => Ok(*b),
            _ => Err(self.mismatch(i, "boolean")),
        }
    }

    fn str(&self, i: usize) -> Result<&str, EndpointError> {
        match self.values.get(i) {
            Some(Value::String(s)) => Ok(s),
            _ => Err(self.mismatch(i, "string")),
        }
    }

    fn int(&self, i: usize) -> Result<i64, EndpointError> {
        match self.values.get(i) {
            Some(Value::Int(n)) => Ok(*n),
            _ => Err(self.mismatch(i, "integer")),
        }
    }
}

fn describe(value: Option<&Value>) -> String {
    match value {
        None => "no value".to_owned(),
        Some(v) => format!("{} {v}", v.type_name()),
    }
}
