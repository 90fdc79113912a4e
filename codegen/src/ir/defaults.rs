//! `@default`: a member's default value, checked against its target's type and kept typed.

use serde_json::Value;

use crate::error::Error;
use crate::model;

/// A member's `@default`, typed by its target.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    Bool(bool),
    /// A byte, short, integer, long or intEnum (checked to fit the type).
    Int(i64),
    /// A float or double.
    Float(f64),
    /// A string or an enum value.
    Str(String),
    /// A blob, base64 as in the model.
    Blob(String),
    /// A timestamp: epoch seconds, or the model's text.
    Timestamp(String),
    /// `[]`: the only default a list can have.
    EmptyList,
    /// `{}`: the only default a map can have.
    EmptyMap,
    /// A document's default: any JSON value, as JSON text.
    Document(String),
}

impl std::fmt::Display for DefaultValue {
    /// As the model writes it (JSON).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DefaultValue::Bool(b) => write!(f, "{b}"),
            DefaultValue::Int(n) => write!(f, "{n}"),
            DefaultValue::Float(x) => write!(f, "{}", Value::from(*x)),
            DefaultValue::Str(s) | DefaultValue::Blob(s) => {
                write!(f, "{}", Value::from(s.as_str()))
            }
            DefaultValue::Timestamp(t) => write!(f, "{t}"),
            DefaultValue::EmptyList => write!(f, "[]"),
            DefaultValue::EmptyMap => write!(f, "{{}}"),
            DefaultValue::Document(json) => f.write_str(json),
        }
    }
}

/// The `@default` `value` of member `member_id` whose target is `target`, or a codegen error
/// naming the member when the value does not fit the target's type. `None` for `null` (which
/// Smithy uses to remove a default).
pub(super) fn parse(
    member_id: &str,
    target: &model::Shape,
    value: &Value,
) -> Result<Option<DefaultValue>, Error> {
    use model::Shape as M;
    let bad = || Error::Model {
        shape: member_id.to_owned(),
        message: format!("@default {value} does not fit the member's type"),
    };
    let int = |min: i64, max: i64| -> Result<Option<DefaultValue>, Error> {
        match value.as_i64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(DefaultValue::Int(n))),
            _ => Err(bad()),
        }
    };
    if value.is_null() {
        return Ok(None);
    }
    match target {
        M::Boolean { .. } => value
            .as_bool()
            .map(|b| Some(DefaultValue::Bool(b)))
            .ok_or_else(bad),
        M::Byte { .. } => int(i8::MIN.into(), i8::MAX.into()),
        M::Short { .. } => int(i16::MIN.into(), i16::MAX.into()),
        M::Integer { .. } | M::IntEnum { .. } => int(i32::MIN.into(), i32::MAX.into()),
        M::Long { .. } => int(i64::MIN, i64::MAX),
        M::Float { .. } | M::Double { .. } => value
            .as_f64()
            .map(|x| Some(DefaultValue::Float(x)))
            .ok_or_else(bad),
        M::String { .. } | M::Enum { .. } => value
            .as_str()
            .map(|s| Some(DefaultValue::Str(s.to_owned())))
            .ok_or_else(bad),
        M::Blob { .. } => value
            .as_str()
            .map(|s| Some(DefaultValue::Blob(s.to_owned())))
            .ok_or_else(bad),
        M::Timestamp { .. } if value.is_number() || value.is_string() => {
            Ok(Some(DefaultValue::Timestamp(value.to_string())))
        }
        M::List { .. } | M::Set { .. } if value.as_array().is_some_and(Vec::is_empty) => {
            Ok(Some(DefaultValue::EmptyList))
        }
        M::Map { .. } if value.as_object().is_some_and(serde_json::Map::is_empty) => {
            Ok(Some(DefaultValue::EmptyMap))
        }
        M::Document { .. } => Ok(Some(DefaultValue::Document(value.to_string()))),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn shape(ty: &str) -> model::Shape {
        let s = json!({"target": "smithy.api#String"});
        serde_json::from_value(json!({"type": ty, "member": s, "key": s, "value": s}))
            .expect("a shape")
    }

    #[test]
    fn defaults_are_typed_by_their_target() {
        let p = |ty: &str, v: Value| parse("x#S$M", &shape(ty), &v);
        assert_eq!(
            p("boolean", json!(true)).ok(),
            Some(Some(DefaultValue::Bool(true)))
        );
        assert_eq!(
            p("integer", json!(3)).ok(),
            Some(Some(DefaultValue::Int(3)))
        );
        assert_eq!(
            p("double", json!(1.5)).ok(),
            Some(Some(DefaultValue::Float(1.5)))
        );
        assert_eq!(
            p("list", json!([])).ok(),
            Some(Some(DefaultValue::EmptyList))
        );
        assert_eq!(p("string", Value::Null).ok(), Some(None));
        assert_eq!(
            p("string", json!("x"))
                .map(|d| d.map(|d| d.to_string()))
                .ok(),
            Some(Some("\"x\"".to_owned()))
        );
    }

    #[test]
    fn a_default_that_does_not_fit_is_a_codegen_error_naming_the_member() {
        let p = |ty: &str, v: Value| parse("x#S$M", &shape(ty), &v);
        for (ty, v) in [
            ("byte", json!(300)),
            ("integer", json!(1.5)),
            ("boolean", json!("true")),
            ("list", json!(["a"])),
            ("map", json!({"a": 1})),
            ("structure", json!({})),
        ] {
            let err = p(ty, v.clone()).expect_err("refused");
            assert!(
                err.to_string().starts_with("x#S$M: @default"),
                "{ty} {v}: {err}"
            );
        }
    }
}
