//! Protocol test cases, read into typed data the emitter walks (`emit::protocol_tests`): the
//! model's `smithy.test#httpRequestTests` / `httpResponseTests` traits (group `smithy`) and an
//! optional document of extra cases in the `<protocol>-conformance/1` format (`awsquery-conformance/1`
//! for an awsQuery service), such as botocore's copy of the same suite (a group named after its
//! source, e.g. `botocore`). The protocol is the one [`crate::protocol::for_service`] chose for the service.
//!
//! Everything about a case is decided here: each field is read and checked (a field this
//! generator does not read is rejected, not ignored), each value (`params`, an expected output or
//! error) is resolved against the shape it fills into a [`TestValue`], and each test gets its
//! function name. Cases that cannot apply to a client (`appliesTo: server`, another protocol)
//! become [`Run::Ignored`] with the reason, so every case is listed. A case that cannot become a
//! test (a missing or unknown field, an unknown member, a value of the wrong type, an operation
//! the service lacks) is an [`Error::Case`] naming it: `smithy/MyCase (request)`.
//!
//! Values nest at most [`MAX_TEST_VALUE_NESTING`] levels: each level becomes a nested Rust
//! expression in the generated test, which syn and prettyplease parse and print recursively.

mod extra;
mod fields;
pub mod model;
mod names;
mod smithy;
mod values;

use serde_json::Value;

pub use model::*;

use crate::error::Error;
use crate::ir::{Operation, Service};

/// The deepest a value of a protocol test case (`params`, an expected output or error) may
/// nest. Each level becomes a nested Rust expression in the generated test, which syn and
/// prettyplease parse and print recursively; this bounds that recursion (JSON itself nests at
/// most 128 levels).
pub const MAX_TEST_VALUE_NESTING: usize = 16;

/// The endpoint of request cases that name none (as Smithy's test runners use).
const DEFAULT_ENDPOINT: &str = "https://example.com";

/// Every case of the model (read from its traits, run against `svc`'s operations) and of
/// `extra`, typed.
pub fn build(
    model: &crate::model::Model,
    svc: &Service,
    protocol: &str,
    extra: Option<&Value>,
) -> Result<Suite, Error> {
    check_nesting(model, svc, extra)?;
    let mut groups = vec![smithy::group(model, svc, protocol)?];
    if let Some(doc) = extra {
        groups.push(extra::group(svc, protocol, doc)?);
    }
    Ok(Suite { groups })
}

fn case_error(group: &str, id: &str, kind: Kind, message: impl Into<String>) -> Error {
    Error::Case {
        id: format!("{group}/{id} ({})", kind.suffix()),
        message: message.into(),
    }
}

fn operation_ref(op: &Operation) -> OperationRef {
    OperationRef {
        wire_name: op.wire_name.clone(),
        module: op.fn_name.clone(),
        error_enum: format!("{}Error", op.type_name),
    }
}

/// Every value of every case (ignored ones too) nests at most [`MAX_TEST_VALUE_NESTING`]
/// levels, checked before anything else is read.
fn check_nesting(
    model: &crate::model::Model,
    svc: &Service,
    extra: Option<&Value>,
) -> Result<(), Error> {
    let op_cases = svc.operations.iter().flat_map(|op| {
        smithy::raw_cases(model, &op.id, smithy::REQUEST_TRAIT)
            .iter()
            .chain(smithy::raw_cases(model, &op.id, smithy::RESPONSE_TRAIT))
    });
    let shape_cases = svc
        .shapes
        .keys()
        .flat_map(|id| smithy::raw_cases(model, id, smithy::RESPONSE_TRAIT));
    let smithy = op_cases
        .chain(shape_cases)
        .map(|case| ("smithy", case, &["params"][..]));
    let extra = extra
        .and_then(|doc| doc.get("cases"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|case| ("extra", case, extra::VALUE_KEYS));
    for (group, case, keys) in smithy.chain(extra) {
        for key in keys {
            let Some(value) = case.get(key) else { continue };
            let depth = values::nesting(value);
            if depth > MAX_TEST_VALUE_NESTING {
                let id = case.get("id").and_then(Value::as_str).unwrap_or("(no id)");
                return Err(Error::Case {
                    id: format!("{group}/{id}"),
                    message: format!(
                        "`{key}` nests {depth} levels deep; protocol tests support at most {MAX_TEST_VALUE_NESTING}"
                    ),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
