//! Typed access to the trait JSON, with errors naming the location.

use serde_json::{Map, Value};

use super::EndpointGenError;

pub(super) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

pub(super) fn object<'a>(
    v: &'a Value,
    at: &str,
) -> Result<&'a Map<String, Value>, EndpointGenError> {
    v.as_object().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "an object",
        found: describe(v),
    })
}

pub(super) fn array<'a>(v: &'a Value, at: &str) -> Result<&'a Vec<Value>, EndpointGenError> {
    v.as_array().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "an array",
        found: describe(v),
    })
}

pub(super) fn string<'a>(v: &'a Value, at: &str) -> Result<&'a str, EndpointGenError> {
    v.as_str().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "a string",
        found: describe(v),
    })
}

pub(super) fn boolean(v: &Value, at: &str) -> Result<bool, EndpointGenError> {
    v.as_bool().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "a boolean",
        found: describe(v),
    })
}

pub(super) fn field<'a>(
    obj: &'a Map<String, Value>,
    at: &str,
    name: &'static str,
) -> Result<&'a Value, EndpointGenError> {
    obj.get(name).ok_or_else(|| EndpointGenError::MissingField {
        at: at.into(),
        field: name,
    })
}
