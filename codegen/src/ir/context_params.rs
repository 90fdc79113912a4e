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
