//! A case's JSON values (`params`, expected outputs and errors) read against the shapes they
//! fill, into [`TestValue`]s. A value that does not fit its shape (an unknown member, a string for
//! a number, an integer out of range, ...) is an error locating it in the case.

use serde_json::Value;

use super::MAX_TEST_VALUE_NESTING;
use super::model::{Field, Float, TestValue};
use crate::ir::{Service, ShapeKind};

/// `v` as a value of shape `id`. `at` locates the value in the case (`params.Items[0]`) for
/// error messages. Recursion is bounded: a value nesting deeper than
/// [`MAX_TEST_VALUE_NESTING`] levels is an error.
pub(super) fn resolve(svc: &Service, id: &str, v: &Value, at: &str) -> Result<TestValue, String> {
    value(svc, id, v, at, 0)
}

fn value(svc: &Service, id: &str, v: &Value, at: &str, depth: usize) -> Result<TestValue, String> {
    if depth > MAX_TEST_VALUE_NESTING {
        return Err(format!(
            "{at}: nests more than {MAX_TEST_VALUE_NESTING} levels deep; protocol tests support at most {MAX_TEST_VALUE_NESTING}"
        ));
    }
    let wrong = |what: &str| format!("{at}: expected {what} for {id}, found {v}");
    let inner = |target: &str, x: &Value, at: String| value(svc, target, x, &at, depth + 1);
    let sparse = svc.shape(id).sparse;
    // An entry of a sparse list or map: `null` is a real entry, `None`.
    let entry = |target: &str, x: &Value, at: String| -> Result<TestValue, String> {
        if !sparse {
            return inner(target, x, at);
        }
        Ok(TestValue::Entry(if x.is_null() {
            None
        } else {
            Some(Box::new(inner(target, x, at)?))
        }))
    };
    Ok(match &svc.shape(id).kind {
        ShapeKind::Structure(st) => {
            let map = match v {
                Value::Null => {
                    return Ok(TestValue::Struct {
                        shape: id.to_owned(),
                        fields: Vec::new(),
                    });
                }
                Value::Object(m) => m,
                _ => return Err(wrong("an object")),
            };
            let mut fields = Vec::new();
            for (key, val) in map {
                if val.is_null() {
                    continue;
                }
                let m = st
                    .members
                    .iter()
                    .find(|m| &m.wire_name == key)
                    .ok_or_else(|| format!("{at}: `{key}` is not a member of {id}"))?;
                fields.push(Field {
                    rust_name: m.rust_name.clone(),
                    boxed: m.boxed,
                    value: inner(&m.target, val, format!("{at}.{key}"))?,
                });
            }
            TestValue::Struct {
                shape: id.to_owned(),
                fields,
            }
        }
        ShapeKind::Union(u) => {
            let (key, val) = match v.as_object() {
                Some(m) if m.len() == 1 => m.iter().next(),
                _ => None,
            }
            .ok_or_else(|| wrong("an object with exactly one member"))?;
            let (m, variant) = u
                .members
                .iter()
                .zip(&u.variants)
                .find(|(m, _)| &m.wire_name == key)
                .ok_or_else(|| format!("{at}: `{key}` is not a member of {id}"))?;
            TestValue::Union {
                shape: id.to_owned(),
                variant: variant.clone(),
                boxed: m.boxed,
                value: Box::new(inner(&m.target, val, format!("{at}.{key}"))?),
            }
        }
        ShapeKind::List(item) => {
            let items = v.as_array().ok_or_else(|| wrong("a list"))?;
            TestValue::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| entry(&item.target, x, format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )
        }
        ShapeKind::Map { key, value } => {
            let entries = v.as_object().ok_or_else(|| wrong("an object"))?;
            let mut out = Vec::new();
            for (k, x) in entries {
                let kv = Value::String(k.clone());
                let ke = inner(&key.target, &kv, format!("{at} key {k:?}"))?;
                let ve = entry(&value.target, x, format!("{at}[{k:?}]"))?;
                out.push((ke, ve));
            }
            TestValue::Map(out)
        }
        ShapeKind::String => TestValue::String(v.as_str().ok_or_else(|| wrong("a string"))?.into()),
        ShapeKind::Enum(_) => TestValue::Enum {
            shape: id.to_owned(),
            value: v
                .as_str()
                .ok_or_else(|| wrong("an enum value (a string)"))?
                .to_owned(),
        },
        ShapeKind::IntEnum(_) => TestValue::IntEnum {
            shape: id.to_owned(),
            value: v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| wrong("an intEnum value (a 32-bit integer)"))?,
        },
        ShapeKind::Boolean => TestValue::Boolean(v.as_bool().ok_or_else(|| wrong("a boolean"))?),
        ShapeKind::Byte => TestValue::Byte(int(v, at, id, |n| i8::try_from(n).ok())?),
        ShapeKind::Short => TestValue::Short(int(v, at, id, |n| i16::try_from(n).ok())?),
        ShapeKind::Integer => TestValue::Integer(int(v, at, id, |n| i32::try_from(n).ok())?),
        ShapeKind::Long => TestValue::Long(int(v, at, id, Some)?),
        // A finite f64 past f32's range would become an infinite literal (a panic).
        ShapeKind::Float if v.as_f64().is_some_and(|x| (x as f32).is_infinite()) => {
            return Err(format!("{at}: {v} does not fit a 32-bit float for {id}"));
        }
        ShapeKind::Float => TestValue::Float(float(v, at, id, |x| x as f32)?),
        ShapeKind::Double => TestValue::Double(float(v, at, id, |x| x)?),
        ShapeKind::Timestamp => {
            let Value::Number(n) = v else {
                return Err(wrong("epoch seconds (a number)"));
            };
            let (secs, nanos) =
                epoch_parts(&n.to_string()).ok_or_else(|| wrong("epoch seconds"))?;
            TestValue::Timestamp { secs, nanos }
        }
        ShapeKind::Blob => TestValue::Blob(
            v.as_str()
                .ok_or_else(|| wrong("a blob (its bytes as a UTF-8 string)"))?
                .to_owned(),
        ),
        ShapeKind::Document => TestValue::Document(v.to_string()),
    })
}

fn int<T>(v: &Value, at: &str, id: &str, fit: impl Fn(i64) -> Option<T>) -> Result<T, String> {
    v.as_i64()
        .and_then(fit)
        .ok_or_else(|| format!("{at}: expected an integer in range for {id}, found {v}"))
}

fn float<T>(v: &Value, at: &str, id: &str, of: impl Fn(f64) -> T) -> Result<Float<T>, String> {
    match v {
        Value::String(s) if s == "NaN" => Ok(Float::NaN),
        Value::String(s) if s == "Infinity" => Ok(Float::Infinity),
        Value::String(s) if s == "-Infinity" => Ok(Float::NegInfinity),
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(Float::Finite(of(x))),
            _ => Err(format!("{at}: {n} is not a finite number for {id}")),
        },
        _ => Err(format!(
            "{at}: expected a number or NaN / Infinity / -Infinity for {id}, found {v}"
        )),
    }
}

/// Whole seconds and nanoseconds of a decimal epoch-seconds literal (`946845296.123`), exact to
/// the digits written (no float rounding).
fn epoch_parts(text: &str) -> Option<(i64, u32)> {
    if text.contains(['e', 'E']) {
        // serde_json prints large or tiny floats in exponent form; go through f64 then.
        let x: f64 = text.parse().ok()?;
        let secs = x.floor();
        let nanos = ((x - secs) * 1e9).round() as u32;
        return Some((secs as i64, nanos.min(999_999_999)));
    }
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let whole: i64 = whole.parse().ok()?;
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().ok()?
    };
    Some(match (neg, nanos) {
        (false, n) => (whole, n),
        (true, 0) => (-whole, 0),
        (true, n) => (-whole - 1, 1_000_000_000 - n),
    })
}

/// How many levels of objects and arrays `v` nests (a scalar: 0). Iterative.
pub(super) fn nesting(v: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(v, 0)];
    while let Some((v, depth)) = stack.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match v {
            Value::Object(m) => Box::new(m.values()),
            Value::Array(a) => Box::new(a.iter()),
            _ => continue,
        };
        deepest = deepest.max(depth + 1);
        stack.extend(children.map(|c| (c, depth + 1)));
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_parts_are_exact() {
        assert_eq!(epoch_parts("1422172800"), Some((1_422_172_800, 0)));
        assert_eq!(
            epoch_parts("946845296.123"),
            Some((946_845_296, 123_000_000))
        );
        assert_eq!(epoch_parts("-1.5"), Some((-2, 500_000_000)));
        assert_eq!(epoch_parts("-3"), Some((-3, 0)));
        assert_eq!(epoch_parts("1e3"), Some((1000, 0)));
        assert_eq!(epoch_parts("x"), None);
    }

    #[test]
    fn nesting_counts_levels() {
        assert_eq!(nesting(&serde_json::json!(1)), 0);
        assert_eq!(nesting(&serde_json::json!({ "a": [1] })), 2);
    }
}
