//! Reading the fields of a raw case object: strings, string lists and maps, HTTP statuses, and
//! the check that no field goes unread. Errors are plain messages the caller puts in a
//! [`crate::Error::Case`] naming the case.

use serde_json::{Map, Value};

pub(super) type Object = Map<String, Value>;

pub(super) fn str_field(obj: &Object, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}

pub(super) fn string_list(v: Option<&Value>, what: &str) -> Result<Vec<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{what}` holds a non-string: {i}"))
            })
            .collect(),
        Some(other) => Err(format!("`{what}` must be a list of strings, found {other}")),
    }
}

pub(super) fn string_map(v: Option<&Value>, what: &str) -> Result<Vec<(String, String)>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|s| (k.clone(), s.to_owned()))
                    .ok_or_else(|| format!("`{what}.{k}` must be a string, found {v}"))
            })
            .collect(),
        Some(other) => Err(format!(
            "`{what}` must be an object of strings, found {other}"
        )),
    }
}

/// Every field of `obj` is one of `known` (fields this generator does not read are rejected,
/// not ignored).
pub(super) fn check_keys(obj: &Object, known: &[&str], what: &str) -> Result<(), String> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "{what} has field `{k}`, which this generator does not support"
        )),
        None => Ok(()),
    }
}

pub(super) fn status(v: Option<&Value>) -> Result<u16, String> {
    v.and_then(Value::as_u64)
        .and_then(|n| u16::try_from(n).ok())
        .ok_or_else(|| {
            format!(
                "the HTTP status must be a number from 0 to 65535, found {}",
                v.unwrap_or(&Value::Null)
            )
        })
}

/// Why a case with this `appliesTo` / `protocol` cannot apply to a client speaking
/// `service_protocol`, if it cannot.
pub(super) fn exclusion(
    service_protocol: &str,
    applies_to: Option<&str>,
    protocol: Option<&str>,
) -> Option<String> {
    if let Some(p) = protocol.filter(|p| *p != service_protocol) {
        return Some(format!(
            "protocol `{p}`: this client speaks {service_protocol} only"
        ));
    }
    match applies_to {
        Some("server") => Some("appliesTo: server (a server-side case; this is a client)".into()),
        _ => None,
    }
}

/// The `id` of a raw case, for error messages.
pub(super) fn case_id(t: &Value) -> String {
    t.get("id")
        .and_then(Value::as_str)
        .unwrap_or("(no id)")
        .to_owned()
}
