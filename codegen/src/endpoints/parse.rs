//! `smithy.rules#endpointRuleSet` JSON -> [`ir::RuleSet`](super::ir::RuleSet), validating
//! everything: JSON types, the engine version, parameter types and defaults, rule types,
//! function names and arities, names in scope, templates and `getAttr` paths. Every error
//! names its location (`rules[1].conditions[0].argv[1]`).
//!
//! Rules and expressions nest; the recursion here follows the JSON, whose depth the model
//! parser bounds (serde_json's recursion limit), so it needs no bound of its own.

use serde_json::{Map, Value};

use super::EndpointGenError;
use super::grammar::{is_identifier, parse_path, parse_template};
use super::ir::{
    Call, Condition, Endpoint, Expr, Function, ParamDefault, ParamType, Parameter, Rule, RuleKind,
    RuleSet, Segment, Template, Version,
};
use super::json::{array, boolean, describe, field, object, string};

/// Parses and validates a rule set.
pub fn rule_set(rule_set: &Value) -> Result<RuleSet, EndpointGenError> {
    let root = object(rule_set, "endpointRuleSet")?;
    let version = string(
        field(root, "endpointRuleSet", "version")?,
        "endpointRuleSet.version",
    )?;
    let version = match version {
        "1.0" => Version::V1_0,
        "1.1" => Version::V1_1,
        other => {
            return Err(EndpointGenError::UnsupportedVersion {
                at: "endpointRuleSet.version".into(),
                version: other.into(),
            });
        }
    };
    let params_json = object(
        field(root, "endpointRuleSet", "parameters")?,
        "endpointRuleSet.parameters",
    )?;
    let mut parameters = Vec::with_capacity(params_json.len());
    for (name, p) in params_json {
        let at = format!("parameters.{name}");
        if !is_identifier(name) {
            return Err(EndpointGenError::Syntax {
                at,
                message: format!("`{name}` is not a valid parameter name"),
            });
        }
        parameters.push(parameter(name, p, &at)?);
    }
    let mut cx = Scope {
        names: parameters.iter().map(|p| p.name.clone()).collect(),
    };
    let rules = array(field(root, "endpointRuleSet", "rules")?, "rules")?
        .iter()
        .enumerate()
        .map(|(i, r)| cx.rule(r, &format!("rules[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RuleSet {
        version,
        parameters,
        rules,
    })
}

fn parameter(name: &str, p: &Value, at: &str) -> Result<Parameter, EndpointGenError> {
    let p = object(p, at)?;
    let ty_name = string(field(p, at, "type")?, &format!("{at}.type"))?;
    let ty = match ty_name.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => {
            return Err(EndpointGenError::UnknownParamType {
                at: format!("{at}.type"),
                ty: ty_name.into(),
            });
        }
    };
    let built_in = match p.get("builtIn") {
        None | Some(Value::Null) => None,
        Some(b) => Some(string(b, &format!("{at}.builtIn"))?.to_owned()),
    };
    let required = match p.get("required") {
        None | Some(Value::Null) => false,
        Some(r) => boolean(r, &format!("{at}.required"))?,
    };
    let default_at = format!("{at}.default");
    let default = match (p.get("default"), ty) {
        (None | Some(Value::Null), _) => None,
        (Some(Value::String(s)), ParamType::String) => Some(ParamDefault::String(s.clone())),
        (Some(Value::Bool(b)), ParamType::Boolean) => Some(ParamDefault::Bool(*b)),
        (Some(Value::Array(items)), ParamType::StringArray) => Some(ParamDefault::StringArray(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| string(v, &format!("{default_at}[{i}]")).map(str::to_owned))
                .collect::<Result<_, _>>()?,
        )),
        (Some(_), ParamType::String | ParamType::Boolean | ParamType::StringArray) => {
            return Err(EndpointGenError::DefaultType {
                at: default_at,
                ty: ty_name.into(),
            });
        }
    };
    Ok(Parameter {
        name: name.to_owned(),
        ty,
        built_in,
        required,
        default,
    })
}

/// The names in scope while walking rules: parameters, then the variables assigned by the
/// conditions of the enclosing rules.
struct Scope {
    names: Vec<String>,
}

impl Scope {
    fn rule(&mut self, rule: &Value, at: &str) -> Result<Rule, EndpointGenError> {
        let r = object(rule, at)?;
        let ty = string(field(r, at, "type")?, &format!("{at}.type"))?;
        let mark = self.names.len();
        let conditions = match r.get("conditions") {
            None | Some(Value::Null) => Vec::new(),
            Some(c) => {
                let c_at = format!("{at}.conditions");
                array(c, &c_at)?
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.condition(c, &format!("{c_at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        let kind = match ty {
            "endpoint" => RuleKind::Endpoint(
                self.endpoint(field(r, at, "endpoint")?, &format!("{at}.endpoint"))?,
            ),
            "error" => RuleKind::Error(self.expr(field(r, at, "error")?, &format!("{at}.error"))?),
            "tree" => {
                let rules_at = format!("{at}.rules");
                RuleKind::Tree(
                    array(field(r, at, "rules")?, &rules_at)?
                        .iter()
                        .enumerate()
                        .map(|(i, s)| self.rule(s, &format!("{rules_at}[{i}]")))
                        .collect::<Result<Vec<_>, _>>()?,
                )
            }
            other => {
                return Err(EndpointGenError::UnknownRuleType {
                    at: format!("{at}.type"),
                    ty: other.into(),
                });
            }
        };
        self.names.truncate(mark);
        Ok(Rule { conditions, kind })
    }

    fn condition(&mut self, c: &Value, at: &str) -> Result<Condition, EndpointGenError> {
        let obj = object(c, at)?;
        let call = self.call(obj, at)?;
        let assign = match obj.get("assign") {
            None | Some(Value::Null) => None,
            Some(a) => {
                let a_at = format!("{at}.assign");
                let name = string(a, &a_at)?;
                if !is_identifier(name) {
                    return Err(EndpointGenError::Syntax {
                        at: a_at,
                        message: format!("`{name}` is not a valid variable name"),
                    });
                }
                if self.names.iter().any(|s| s == name) {
                    return Err(EndpointGenError::DuplicateName {
                        at: a_at,
                        name: name.into(),
                    });
                }
                self.names.push(name.to_owned());
                Some(name.to_owned())
            }
        };
        Ok(Condition { call, assign })
    }

    /// A function object (`{"fn": ..., "argv": [...]}`).
    fn call(&self, obj: &Map<String, Value>, at: &str) -> Result<Call, EndpointGenError> {
        let name = string(field(obj, at, "fn")?, &format!("{at}.fn"))?;
        // `getAttr` is not a `Function`: its second argument is a path, not an expression.
        let func = match name {
            "getAttr" => None,
            _ => Some(Function::from_name(name).ok_or_else(|| {
                EndpointGenError::UnknownFunction {
                    at: format!("{at}.fn"),
                    name: name.into(),
                }
            })?),
        };
        let argv_at = format!("{at}.argv");
        let argv = array(field(obj, at, "argv")?, &argv_at)?;
        let arity = |expected: String| EndpointGenError::Arity {
            at: argv_at.clone(),
            name: name.into(),
            expected,
            found: argv.len(),
        };
        let arg = |i: usize| format!("{argv_at}[{i}]");
        let Some(func) = func else {
            let [target, path] = argv.as_slice() else {
                return Err(arity("2".into()));
            };
            let target = self.expr(target, &arg(0))?;
            // The path is a literal, not a template.
            let path_at = arg(1);
            let path = parse_path(string(path, &path_at)?).map_err(|message| {
                EndpointGenError::Syntax {
                    at: path_at,
                    message,
                }
            })?;
            return Ok(Call::GetAttr {
                target: Box::new(target),
                path,
            });
        };
        let (min, max) = func.arity();
        if argv.len() < min || max.is_some_and(|max| argv.len() > max) {
            return Err(arity(match max {
                Some(n) => n.to_string(),
                None => format!("at least {min}"),
            }));
        }
        Ok(Call::Func {
            func,
            args: argv
                .iter()
                .enumerate()
                .map(|(i, a)| self.expr(a, &arg(i)))
                .collect::<Result<_, _>>()?,
        })
    }

    /// An expression in argument position (or an endpoint url / error message / header value).
    fn expr(&self, v: &Value, at: &str) -> Result<Expr, EndpointGenError> {
        match v {
            Value::String(s) => self.template(s, at),
            Value::Bool(b) => Ok(Expr::Bool(*b)),
            Value::Number(n) => n
                .as_i64()
                .map(Expr::Int)
                .ok_or_else(|| EndpointGenError::Type {
                    at: at.into(),
                    expected: "an integer",
                    found: n.to_string(),
                }),
            Value::Array(items) => Ok(Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.expr(v, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )),
            Value::Object(obj) => {
                if let Some(r) = obj.get("ref") {
                    let r_at = format!("{at}.ref");
                    let name = string(r, &r_at)?;
                    self.check_ref(name, &r_at)?;
                    Ok(Expr::Ref(name.to_owned()))
                } else if obj.contains_key("fn") {
                    Ok(Expr::Call(self.call(obj, at)?))
                } else {
                    Err(EndpointGenError::Type {
                        at: at.into(),
                        expected: "a reference (`ref`) or function (`fn`) object",
                        found: describe(v),
                    })
                }
            }
            Value::Null => Err(EndpointGenError::Type {
                at: at.into(),
                expected: "an expression",
                found: describe(v),
            }),
        }
    }

    /// A value inside endpoint properties: objects are records there.
    fn property(&self, v: &Value, at: &str) -> Result<Expr, EndpointGenError> {
        match v {
            Value::Object(obj) if !obj.contains_key("ref") && !obj.contains_key("fn") => {
                Ok(Expr::Record(
                    obj.iter()
                        .map(|(k, v)| Ok((k.clone(), self.property(v, &format!("{at}.{k}"))?)))
                        .collect::<Result<_, EndpointGenError>>()?,
                ))
            }
            Value::Array(items) => Ok(Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.property(v, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )),
            Value::Null
            | Value::Bool(_)
            | Value::Number(_)
            | Value::String(_)
            | Value::Object(_) => self.expr(v, at),
        }
    }

    fn endpoint(&self, v: &Value, at: &str) -> Result<Endpoint, EndpointGenError> {
        let e = object(v, at)?;
        let url = self.expr(field(e, at, "url")?, &format!("{at}.url"))?;
        let mut headers = Vec::new();
        if let Some(h) = e.get("headers").filter(|h| !h.is_null()) {
            let h_at = format!("{at}.headers");
            for (name, values) in object(h, &h_at)? {
                let v_at = format!("{h_at}.{name}");
                let values = array(values, &v_at)?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.expr(v, &format!("{v_at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                headers.push((name.clone(), values));
            }
        }
        let mut properties = Vec::new();
        if let Some(p) = e.get("properties").filter(|p| !p.is_null()) {
            let p_at = format!("{at}.properties");
            for (key, value) in object(p, &p_at)? {
                properties.push((key.clone(), self.property(value, &format!("{p_at}.{key}"))?));
            }
        }
        Ok(Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn check_ref(&self, name: &str, at: &str) -> Result<(), EndpointGenError> {
        if self.names.iter().any(|s| s == name) {
            Ok(())
        } else {
            Err(EndpointGenError::UnknownReference {
                at: at.into(),
                name: name.into(),
            })
        }
    }

    /// A string: a literal when it substitutes nothing, else a checked template.
    fn template(&self, text: &str, at: &str) -> Result<Expr, EndpointGenError> {
        let segments = parse_template(text).map_err(|message| EndpointGenError::Syntax {
            at: at.into(),
            message,
        })?;
        let mut literal = String::new();
        for segment in &segments {
            match segment {
                Segment::Lit(text) => literal.push_str(text),
                Segment::Ref(name) | Segment::Attr(name, _) => self.check_ref(name, at)?,
            }
        }
        let template = Template(segments);
        Ok(if template.has_substitutions() {
            Expr::Template(template)
        } else {
            Expr::Str(literal)
        })
    }
}
