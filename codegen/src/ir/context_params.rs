//! The endpoint rule parameters an operation sets: `smithy.rules#staticContextParams` (fixed
//! values), `smithy.rules#contextParam` on input members and `smithy.rules#operationContextParams`
//! (values taken from the input).

use serde_json::Value;

use super::{Error, Model, Traits, model};
use crate::endpoints::cases::{ParamValue, param_value};

/// What an operation gives the endpoint rules besides the client's built-ins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextParams {
    /// `staticContextParams`: parameter name and value, in the model's order.
    pub fixed: Vec<(String, ParamValue)>,
    /// Parameters taken from the input: `contextParam` members (`member -> parameter`) and
    /// `operationContextParams` paths (`path -> parameter`), in the model's order.
    pub from_input: Vec<(String, String)>,
}

impl ContextParams {
    pub fn is_empty(&self) -> bool {
        self.fixed.is_empty() && self.from_input.is_empty()
    }
}

/// Reads the context parameters of operation `op` (with `traits`) whose input is `input`.
pub(super) fn read(
    model: &Model,
    op: &str,
    traits: &Traits,
    input: Option<&str>,
) -> Result<ContextParams, Error> {
    let bad = |message: String| Error::Model {
        shape: op.to_owned(),
        message,
    };
    let mut out = ContextParams::default();
    if let Some(v) = traits.get("smithy.rules#staticContextParams") {
        let params = v
            .as_object()
            .ok_or_else(|| bad(format!("staticContextParams must be an object, found {v}")))?;
        for (name, p) in params {
            let value = p
                .get("value")
                .ok_or_else(|| bad(format!("staticContextParams `{name}` needs a `value`")))?;
            let value = param_value(value, &format!("staticContextParams.{name}.value"))
                .map_err(|e| bad(e.to_string()))?;
            out.fixed.push((name.clone(), value));
        }
    }
    if let Some(v) = traits.get("smithy.rules#operationContextParams") {
        let params = v.as_object().ok_or_else(|| {
            bad(format!(
                "operationContextParams must be an object, found {v}"
            ))
        })?;
        for (name, p) in params {
            let path = p.get("path").and_then(Value::as_str).ok_or_else(|| {
                bad(format!(
                    "operationContextParams `{name}` needs a string `path`"
                ))
            })?;
            out.from_input.push((path.to_owned(), name.clone()));
        }
    }
    if let Some(model::Shape::Structure { members, .. }) = input.and_then(|i| model.shapes.get(i)) {
        for (member, m) in members {
            if let Some(p) = m.traits.get("smithy.rules#contextParam") {
                let name = p.get("name").and_then(Value::as_str).ok_or_else(|| {
                    bad(format!(
                        "the contextParam of input member `{member}` needs a string `name`"
                    ))
                })?;
                out.from_input.push((member.clone(), name.to_owned()));
            }
        }
    }
    Ok(out)
}

/// How one endpoint parameter's value is read from the input, as the emitters write it: the
/// `contextParam` members and the `operationContextParams` paths of the subset compiled here
/// ([`ContextParams::plan`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputParam {
    /// The rule-set parameter.
    pub param: String,
    /// The members from the input to the value (field names), each optional.
    pub via: Vec<FieldStep>,
    /// What is read at the end of `via`.
    pub read: ParamRead,
}

/// One member on the way to a value (every one optional in the generated type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// The field (`rust_name`, possibly raw).
    pub rust_name: String,
}

/// What a path's end gives the parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamRead {
    /// A string, an enum (`as_str`) or a boolean.
    Scalar(Leaf),
    /// A list of strings or enums: a `stringArray`.
    List(Leaf),
    /// `keys(M)`: a map's keys (strings or enums), sorted so the value does not depend on the
    /// map's order.
    Keys(Leaf),
    /// `L[*].A.B`: per element of a list of structures, the members `then` down to a string or
    /// an enum; elements where one is unset are skipped (JMESPath drops nulls).
    Project { then: Vec<FieldStep>, leaf: Leaf },
}

/// The type a value is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    String,
    Enum,
    Bool,
}

/// A path of `operationContextParams` in the compiled subset.
#[derive(Debug, PartialEq, Eq)]
enum PathSyntax<'p> {
    /// `A.B.C`
    Fields(Vec<&'p str>),
    /// `keys(A.B)`
    Keys(Vec<&'p str>),
    /// `A.B[*].C.D` (the fields before and after `[*]`)
    Project(Vec<&'p str>, Vec<&'p str>),
}

fn parse_path(path: &str) -> Option<PathSyntax<'_>> {
    fn fields(s: &str) -> Option<Vec<&str>> {
        let parts: Vec<&str> = s.split('.').collect();
        let ident = |p: &&str| {
            let mut c = p.chars();
            c.next()
                .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        parts.iter().all(ident).then_some(parts)
    }
    let path = path.trim();
    if let Some(inner) = path.strip_prefix("keys(").and_then(|r| r.strip_suffix(')')) {
        return fields(inner.trim()).map(PathSyntax::Keys);
    }
    if let Some((list, rest)) = path.split_once("[*]") {
        let then = match rest {
            "" => Vec::new(),
            r => fields(r.strip_prefix('.')?)?,
        };
        return Some(PathSyntax::Project(fields(list)?, then));
    }
    fields(path).map(PathSyntax::Fields)
}

impl ContextParams {
    /// How each parameter taken from the input is read, checked against the input's members
    /// and the rule set's parameter types; `Err` says why one cannot be (the operation is then
    /// left out). Parameters the rule set does not declare are dropped (the rules would ignore
    /// them).
    pub fn plan(&self, svc: &super::Service, input: &str) -> Result<Vec<InputParam>, String> {
        use crate::endpoints::ir::ParamType;
        let declared = |name: &str| {
            svc.endpoint_rules
                .parameters
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.ty)
        };
        for (name, value) in &self.fixed {
            let ty = match value {
                ParamValue::String(_) => ParamType::String,
                ParamValue::Bool(_) => ParamType::Boolean,
                ParamValue::StringArray(_) => ParamType::StringArray,
            };
            if declared(name).is_some_and(|d| d != ty) {
                return Err(format!(
                    "the static endpoint parameter `{name}` is not of the rule set's type"
                ));
            }
        }
        let mut out = Vec::new();
        for (source, name) in &self.from_input {
            let Some(declared) = declared(name) else {
                continue;
            };
            let is_member = self.is_member(svc, input, source);
            let syntax = if is_member {
                PathSyntax::Fields(vec![source.as_str()])
            } else {
                parse_path(source).ok_or_else(|| {
                    format!(
                        "the endpoint parameter `{name}` has path `{source}`, outside the \
                         compiled subset (`A.B`, `keys(A)`, `A[*].B`)"
                    )
                })?
            };
            let why = |what: &str| format!("the endpoint parameter `{name}` ({source}) {what}");
            let (via, read) = match syntax {
                PathSyntax::Fields(chain) => {
                    let (via, target) = walk(svc, input, &chain).map_err(|e| why(&e))?;
                    let read = match leaf(svc, &target) {
                        Some(l) => ParamRead::Scalar(l),
                        None => match &svc.shape(&target).kind {
                            super::ShapeKind::List(m) => match leaf(svc, &m.target) {
                                Some(l) if l != Leaf::Bool => ParamRead::List(l),
                                _ => return Err(why("is a list of neither strings nor enums")),
                            },
                            _ => {
                                return Err(why(
                                    "is neither a string, an enum, a boolean nor a list of strings",
                                ));
                            }
                        },
                    };
                    (via, read)
                }
                PathSyntax::Keys(chain) => {
                    let (via, target) = walk(svc, input, &chain).map_err(|e| why(&e))?;
                    match &svc.shape(&target).kind {
                        super::ShapeKind::Map { key, .. } => match leaf(svc, &key.target) {
                            Some(l) if l != Leaf::Bool => (via, ParamRead::Keys(l)),
                            _ => return Err(why("has map keys that are not strings")),
                        },
                        _ => return Err(why("takes `keys` of what is not a map")),
                    }
                }
                PathSyntax::Project(list, then) => {
                    let (via, target) = walk(svc, input, &list).map_err(|e| why(&e))?;
                    let super::ShapeKind::List(elem) = &svc.shape(&target).kind else {
                        return Err(why("projects what is not a list"));
                    };
                    let (then, end) = if then.is_empty() {
                        (Vec::new(), elem.target.clone())
                    } else {
                        walk(svc, &elem.target, &then).map_err(|e| why(&e))?
                    };
                    match leaf(svc, &end) {
                        Some(l) if l != Leaf::Bool => (via, ParamRead::Project { then, leaf: l }),
                        _ => return Err(why("projects to values that are not strings")),
                    }
                }
            };
            let ty = match read {
                ParamRead::Scalar(Leaf::Bool) => ParamType::Boolean,
                ParamRead::Scalar(_) => ParamType::String,
                _ => ParamType::StringArray,
            };
            if ty != declared {
                return Err(why("is not of the rule set's parameter type"));
            }
            out.push(InputParam {
                param: name.clone(),
                via,
                read,
            });
        }
        Ok(out)
    }

    /// Whether `source` is a `contextParam` member name (else a path).
    fn is_member(&self, svc: &super::Service, input: &str, source: &str) -> bool {
        svc.structure(input)
            .members
            .iter()
            .any(|m| m.wire_name == source)
    }
}

/// Follows member names `chain` from structure `from`: every member but the last is a
/// structure; returns the steps and the last member's target.
fn walk(
    svc: &super::Service,
    from: &str,
    chain: &[&str],
) -> Result<(Vec<FieldStep>, String), String> {
    let mut at = from.to_owned();
    let mut via = Vec::new();
    for name in chain {
        let super::ShapeKind::Structure(st) = &svc.shape(&at).kind else {
            return Err(format!("reads `{name}` of what is not a structure"));
        };
        let m = st
            .members
            .iter()
            .find(|m| m.wire_name == *name)
            .ok_or_else(|| {
                format!("names `{name}`, which is not a member the client carries there")
            })?;
        via.push(FieldStep {
            rust_name: m.rust_name.clone(),
        });
        at = m.target.clone();
    }
    Ok((via, at))
}

fn leaf(svc: &super::Service, id: &str) -> Option<Leaf> {
    match svc.shape(id).kind {
        super::ShapeKind::String => Some(Leaf::String),
        super::ShapeKind::Enum(_) => Some(Leaf::Enum),
        super::ShapeKind::Boolean => Some(Leaf::Bool),
        _ => None,
    }
}
