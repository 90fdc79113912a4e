//! `smithy.waiters#waitable`: waiters and their acceptors.

use serde_json::Value;

use super::waiter_path::{self, PathExpr};
use super::{Omission, OmissionKind};
use crate::error::Error;
use crate::naming;

#[derive(Debug, Clone)]
pub struct Waiter {
    /// `IdentityExists`
    pub name: String,
    /// `identity_exists`
    pub fn_name: String,
    /// The Rust names of its items.
    pub names: super::WaiterNames,
    pub min_delay: u64,
    pub max_delay: u64,
    pub deprecated: bool,
    pub acceptors: Vec<Acceptor>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

/// What an acceptor concludes (Smithy's `success`, `failure`, `retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    Success,
    Failure,
    Retry,
}

impl AcceptorState {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "success" => Some(AcceptorState::Success),
            "failure" => Some(AcceptorState::Failure),
            "retry" => Some(AcceptorState::Retry),
            _ => None,
        }
    }
}

/// What a path matcher expects of the value at its path: the comparator and the expected
/// value, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// `stringEquals`: the value is this string.
    StringEquals(String),
    /// `booleanEquals`: the value is this boolean.
    BooleanEquals(bool),
    /// `allStringEquals`: the value is a non-empty list of strings, all this one.
    AllStringEquals(String),
    /// `anyStringEquals`: the value is a list with this string among its items.
    AnyStringEquals(String),
}

impl Expected {
    /// `None` for an unknown comparator; `Err` for a `booleanEquals` whose expected value is not
    /// `true` or `false`.
    fn parse(comparator: &str, expected: &str) -> Option<Result<Self, String>> {
        Some(Ok(match comparator {
            "stringEquals" => Expected::StringEquals(expected.to_owned()),
            "booleanEquals" => match expected {
                "true" => Expected::BooleanEquals(true),
                "false" => Expected::BooleanEquals(false),
                _ => {
                    return Some(Err(format!(
                        "booleanEquals expects `true` or `false`, not `{expected}`"
                    )));
                }
            },
            "allStringEquals" => Expected::AllStringEquals(expected.to_owned()),
            "anyStringEquals" => Expected::AnyStringEquals(expected.to_owned()),
            _ => return None,
        }))
    }
}

/// What an acceptor looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    /// A path over the output.
    Output { path: PathExpr, expected: Expected },
    /// A path over `{"input": ..., "output": ...}`.
    InputOutput { path: PathExpr, expected: Expected },
    /// `true`: the operation succeeded; `false`: it failed with any error.
    Success(bool),
    /// The operation failed with this error code.
    ErrorType(String),
}

/// A waiter left out: its name and why.
pub(super) type LeftOut = (String, String);

/// The waiters of operation `op` (in name order), and those left out, `(name, reason)`, each
/// also pushed onto `omitted`. A path the generator cannot carry (outside the JMESPath
/// `waiter_path` parses, or a matcher it does not know) leaves its waiter out; a model that
/// breaks Smithy's rules for waiters (names, delays, states, comparators) is an error.
pub(super) fn waiters(
    op: &str,
    v: Option<&Value>,
    omitted: &mut Vec<Omission>,
) -> Result<(Vec<Waiter>, Vec<LeftOut>), Error> {
    let Some(v) = v else {
        return Ok((Vec::new(), Vec::new()));
    };
    let bad = |message: String| Error::Model {
        shape: op.to_owned(),
        message,
    };
    let map = v
        .as_object()
        .ok_or_else(|| bad("smithy.waiters#waitable must be an object".into()))?;
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    for (name, w) in map {
        let delay = |k: &str, default: u64| w.get(k).map_or(Some(default), Value::as_u64);
        let (Some(min_delay), Some(max_delay)) = (delay("minDelay", 2), delay("maxDelay", 120))
        else {
            return Err(bad(format!(
                "waiter {name}: minDelay/maxDelay must be whole seconds"
            )));
        };
        // Smithy's rules; the name also becomes a Rust type (`<Name>Waiter`) and static.
        let mut chars = name.chars();
        if !(chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.all(|c| c.is_ascii_alphanumeric()))
        {
            return Err(bad(format!(
                "waiter name `{name}` must start with an uppercase letter and hold only ASCII letters and digits"
            )));
        }
        if min_delay < 1 || max_delay < min_delay {
            return Err(bad(format!(
                "waiter {name}: needs 1 <= minDelay <= maxDelay, found minDelay {min_delay}, maxDelay {max_delay}"
            )));
        }
        let mut acceptors = Vec::new();
        // Why the waiter is left out: its first acceptor the generator cannot carry.
        let mut omit: Option<String> = None;
        for (i, a) in w
            .get("acceptors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let state_text = a.get("state").and_then(Value::as_str).unwrap_or_default();
            let Some(state) = AcceptorState::parse(state_text) else {
                return Err(bad(format!(
                    "waiter {name}: acceptor {i} has state `{state_text}`"
                )));
            };
            let m = a
                .get("matcher")
                .ok_or_else(|| bad(format!("waiter {name}: acceptor {i} has no matcher")))?;
            // `Ok(None)`: no such matcher; `Ok(Some(Err(why)))`: a path the generator cannot
            // carry.
            type Parsed = Option<Result<(PathExpr, Expected), String>>;
            let path_matcher = |key: &str| -> Result<Parsed, Error> {
                let Some(p) = m.get(key) else { return Ok(None) };
                let get = |k: &str| p.get(k).and_then(Value::as_str);
                let (Some(path), Some(expected), Some(cmp)) =
                    (get("path"), get("expected"), get("comparator"))
                else {
                    return Err(bad(format!(
                        "waiter {name}: acceptor {i}: `{key}` needs path, expected and a known comparator"
                    )));
                };
                let expected = match Expected::parse(cmp, expected) {
                    Some(Ok(e)) => e,
                    Some(Err(why)) => {
                        return Err(bad(format!("waiter {name}: acceptor {i}: {why}")));
                    }
                    None => {
                        return Err(bad(format!(
                            "waiter {name}: acceptor {i}: `{key}` needs path, expected and a known comparator (not `{cmp}`)"
                        )));
                    }
                };
                Ok(Some(
                    waiter_path::parse(path)
                        .map(|path| (path, expected))
                        .map_err(|why| format!("acceptor {i}: {why}")),
                ))
            };
            let matcher = match (path_matcher("output")?, path_matcher("inputOutput")?) {
                (Some(Ok((path, expected))), _) => Matcher::Output { path, expected },
                (None, Some(Ok((path, expected)))) => Matcher::InputOutput { path, expected },
                (Some(Err(why)), _) | (None, Some(Err(why))) => {
                    omit.get_or_insert(why);
                    continue;
                }
                (None, None) => {
                    if let Some(b) = m.get("success").and_then(Value::as_bool) {
                        Matcher::Success(b)
                    } else if let Some(code) = m.get("errorType").and_then(Value::as_str) {
                        Matcher::ErrorType(code.to_owned())
                    } else {
                        let mut text = m.to_string();
                        if text.len() > 200 {
                            let cut = (0..=200).rev().find(|&c| text.is_char_boundary(c));
                            text.truncate(cut.unwrap_or(0));
                            text.push_str("...");
                        }
                        omit.get_or_insert(format!(
                            "acceptor {i}: a matcher the generator does not know: {text}"
                        ));
                        continue;
                    }
                }
            };
            acceptors.push(Acceptor { state, matcher });
        }
        if let Some(reason) = omit {
            omitted.push(Omission {
                kind: OmissionKind::Waiter,
                item: format!("{op}/{name}"),
                reason: reason.clone(),
            });
            left_out.push((name.clone(), reason));
            continue;
        }
        let fn_name = naming::snake_ident(name);
        out.push(Waiter {
            names: super::WaiterNames::new(name, &fn_name),
            fn_name,
            name: name.clone(),
            min_delay,
            max_delay,
            deprecated: w
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            acceptors,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    left_out.sort();
    Ok((out, left_out))
}
