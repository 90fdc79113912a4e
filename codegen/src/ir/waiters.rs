//! `smithy.waiters#waitable`: waiters and their acceptors.

use serde_json::Value;

use crate::Error;
use crate::naming;

#[derive(Debug, Clone)]
pub struct Waiter {
    /// `IdentityExists`
    pub name: String,
    /// `identity_exists`
    pub fn_name: String,
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

/// How a path matcher compares the value at its path with `expected`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    StringEquals,
    BooleanEquals,
    AllStringEquals,
    AnyStringEquals,
}

impl Comparator {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "stringEquals" => Some(Comparator::StringEquals),
            "booleanEquals" => Some(Comparator::BooleanEquals),
            "allStringEquals" => Some(Comparator::AllStringEquals),
            "anyStringEquals" => Some(Comparator::AnyStringEquals),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    Output {
        path: String,
        expected: String,
        comparator: Comparator,
    },
    InputOutput {
        path: String,
        expected: String,
        comparator: Comparator,
    },
    Success(bool),
    ErrorType(String),
}

pub(super) fn waiters(op: &str, v: Option<&Value>) -> Result<Vec<Waiter>, Error> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let bad = |message: String| Error::Model {
        shape: op.to_owned(),
        message,
    };
    let map = v
        .as_object()
        .ok_or_else(|| bad("smithy.waiters#waitable must be an object".into()))?;
    let mut out = Vec::new();
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
            let path_matcher = |key: &str| -> Result<Option<(String, String, Comparator)>, Error> {
                let Some(p) = m.get(key) else { return Ok(None) };
                let get = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
                let cmp = get("comparator").as_deref().and_then(Comparator::parse);
                match (get("path"), get("expected"), cmp) {
                    (Some(path), Some(expected), Some(cmp)) => Ok(Some((path, expected, cmp))),
                    _ => Err(bad(format!(
                        "waiter {name}: acceptor {i}: `{key}` needs path, expected and a known comparator"
                    ))),
                }
            };
            let matcher = if let Some((path, expected, comparator)) = path_matcher("output")? {
                Matcher::Output {
                    path,
                    expected,
                    comparator,
                }
            } else if let Some((path, expected, comparator)) = path_matcher("inputOutput")? {
                Matcher::InputOutput {
                    path,
                    expected,
                    comparator,
                }
            } else if let Some(b) = m.get("success").and_then(Value::as_bool) {
                Matcher::Success(b)
            } else if let Some(code) = m.get("errorType").and_then(Value::as_str) {
                Matcher::ErrorType(code.to_owned())
            } else {
                return Err(Error::Unsupported {
                    shape: op.to_owned(),
                    what: format!("waiter {name}: acceptor {i} matcher {m}"),
                });
            };
            acceptors.push(Acceptor { state, matcher });
        }
        out.push(Waiter {
            fn_name: naming::snake_ident(name),
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
    Ok(out)
}
