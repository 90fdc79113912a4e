//! Cases from a `<protocol>-conformance/1` document (`awsquery-conformance/1`) (such as botocore's copy of the awsQuery
//! suite), mapped onto this service's operations by operation name: each case carries its own
//! small model under its own namespace.

use serde_json::Value;

use super::fields::{
    Object, case_id, check_keys, exclusion, status, str_field, string_list, string_map,
};
use super::model::{
    Case, ExpectedError, ExpectedRequest, Group, Kind, ModeledError, Response, Run,
};
use super::names::Names;
use super::{DEFAULT_ENDPOINT, case_error, operation_ref, values};
use crate::error::Error;
use crate::ir::Service;

/// The format extra case documents for `protocol` are in: `<protocol>-conformance/1`, the
/// protocol's local name in lowercase (`awsquery-conformance/1` for `aws.protocols#awsQuery`).
pub(super) fn format_for(protocol: &str) -> String {
    let local = protocol.rsplit('#').next().unwrap_or(protocol);
    format!("{}-conformance/1", local.to_ascii_lowercase())
}
/// The keys of a case whose values the depth limit applies to.
pub(super) const VALUE_KEYS: &[&str] = &["params", "expected_output", "expected_error"];

const CASE_KEYS: &[&str] = &[
    "id",
    "origin",
    "kind",
    "description",
    "applies_to",
    "service",
    "operation",
    "model",
    "params",
    "client_endpoint",
    "request",
    "response",
    "expected_output",
    "expected_error",
    "notes",
];
const REQUEST_KEYS: &[&str] = &[
    "method",
    "uri",
    "headers",
    "require_headers",
    "forbid_headers",
    "query_params",
    "require_query_params",
    "forbid_query_params",
    "body",
    "body_media_type",
    "resolved_host",
];
const RESPONSE_KEYS: &[&str] = &["status", "headers", "body"];
const ERROR_KEYS: &[&str] = &["shape", "code", "message", "members", "vendor_params"];

/// An error about the document as a whole.
fn bad_document(message: String) -> Error {
    Error::Case {
        id: "(extra cases)".into(),
        message,
    }
}

/// The raw cases of the document (an error if it is not in the format for `protocol`
/// ([`format_for`]) or has no case list).
pub(super) fn raw_cases<'d>(doc: &'d Value, protocol: &str) -> Result<&'d [Value], Error> {
    let format = doc
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("(none)");
    let expected = format_for(protocol);
    if format != expected {
        return Err(bad_document(format!(
            "unsupported format `{format}`; expected `{expected}` (the service speaks {protocol})"
        )));
    }
    doc.get("cases")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .ok_or_else(|| bad_document("the document has no `cases` list".into()))
}

/// The module the document's cases go in: the first word of its source's name, lowercase
/// (`botocore`), or `extra` when that is not a usable, distinct module name.
fn module_name(doc: &Value) -> String {
    let source = doc
        .get("source")
        .and_then(|s| s.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("extra");
    source
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .filter(|m| m != super::smithy::GROUP && m.starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or_else(|| "extra".to_owned())
}

pub(super) fn group(svc: &Service, protocol: &str, doc: &Value) -> Result<Group, Error> {
    let list = raw_cases(doc, protocol)?;
    let module = module_name(doc);
    let mut names = Names::default();
    let mut cases = Vec::new();
    for c in list {
        cases.push(case(svc, protocol, &module, c, &mut names)?);
    }
    Ok(Group { module, cases })
}

/// What a case expects, read before its values are.
enum Expectation<'c> {
    Request(ExpectedRequest),
    Response(Response, &'c Value),
    Error(Response, &'c Object, Option<&'c String>),
}

fn case(
    svc: &Service,
    protocol: &str,
    group: &str,
    c: &Value,
    names: &mut Names,
) -> Result<Case, Error> {
    let id = case_id(c);
    let kind = match c.get("kind").and_then(Value::as_str) {
        Some("request") => Kind::Request,
        Some("response") => Kind::Response,
        Some("error") => Kind::Error,
        other => {
            return Err(case_error(
                group,
                &id,
                Kind::Request,
                format!("unknown kind {other:?} (expected request, response or error)"),
            ));
        }
    };
    let fail = |m: String| case_error(group, &id, kind, m);
    let obj = c
        .as_object()
        .ok_or_else(|| fail("a case must be an object".into()))?;
    check_keys(obj, CASE_KEYS, "the case").map_err(fail)?;
    let op_id = str_field(obj, "operation").ok_or_else(|| fail("missing `operation`".into()))?;
    let op_name = crate::naming::ir_local(&op_id);
    let op = svc
        .operations
        .iter()
        .find(|o| o.wire_name == op_name)
        .ok_or_else(|| {
            fail(format!(
                "operation {op_id}: {} has no operation `{op_name}`",
                svc.id
            ))
        })?;
    let expectation = match kind {
        Kind::Request => Expectation::Request(request(obj).map_err(fail)?),
        Kind::Response | Kind::Error => {
            let r = obj
                .get("response")
                .and_then(Value::as_object)
                .ok_or_else(|| fail("a response case needs a `response` object".into()))?;
            check_keys(r, RESPONSE_KEYS, "`response`").map_err(fail)?;
            let response = Response {
                status: status(r.get("status")).map_err(fail)?,
                headers: string_map(r.get("headers"), "response.headers").map_err(fail)?,
                body: str_field(r, "body").unwrap_or_default(),
            };
            if kind == Kind::Response {
                let output = obj.get("expected_output").unwrap_or(&Value::Null);
                Expectation::Response(response, output)
            } else {
                let e = obj
                    .get("expected_error")
                    .and_then(Value::as_object)
                    .ok_or_else(|| fail("an error case needs an `expected_error` object".into()))?;
                check_keys(e, ERROR_KEYS, "`expected_error`").map_err(fail)?;
                // The modeled error it names, if any: one of the operation's, by name.
                let shape = match str_field(e, "shape") {
                    None => None,
                    Some(s) => {
                        let name = crate::naming::ir_local(&s);
                        let found = op
                            .errors
                            .iter()
                            .find(|id| crate::naming::ir_local(id) == name);
                        Some(found.ok_or_else(|| {
                            fail(format!(
                                "error shape {s}: operation {} has no error `{name}`",
                                op.id
                            ))
                        })?)
                    }
                };
                Expectation::Error(response, e, shape)
            }
        }
    };
    let fail_value = |m: String| case_error(group, &id, kind, format!("{}: {m}", op.id));
    let run = match (
        exclusion(
            protocol,
            obj.get("applies_to").and_then(Value::as_str),
            None,
        ),
        expectation,
    ) {
        (Some(reason), _) => Run::Ignored { reason },
        (None, Expectation::Request(expected)) => {
            let params = obj.get("params").unwrap_or(&Value::Null);
            Run::Request {
                endpoint: str_field(obj, "client_endpoint")
                    .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned()),
                input: values::resolve(svc, &op.input, params, "params").map_err(fail_value)?,
                expected,
            }
        }
        (None, Expectation::Response(response, output)) => Run::Response {
            response,
            expected: values::resolve(svc, &op.output, output, "params").map_err(fail_value)?,
        },
        (None, Expectation::Error(response, e, shape)) => {
            let members = e.get("members").unwrap_or(&Value::Null);
            let modeled = shape.map(|shape| (shape, members));
            let code = str_field(e, "code")
                .or_else(|| modeled.and_then(|(shape, _)| super::smithy::error_code(svc, shape)));
            let modeled = match modeled {
                None => None,
                Some((shape, members)) => Some(ModeledError {
                    variant: svc.shape(shape).rust_name.clone(),
                    members: values::resolve(svc, shape, members, "members").map_err(fail_value)?,
                }),
            };
            Run::Error {
                response,
                expected: ExpectedError {
                    modeled,
                    code,
                    message: str_field(e, "message"),
                    error_type: e
                        .get("vendor_params")
                        .and_then(|v| v.get("type"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                },
            }
        }
    };
    Ok(Case {
        fn_name: names.claim(&id, kind),
        kind,
        operation: operation_ref(op),
        documentation: str_field(obj, "description"),
        run,
        id,
    })
}

/// The `request` object of a request case.
fn request(obj: &Object) -> Result<ExpectedRequest, String> {
    let r = obj
        .get("request")
        .and_then(Value::as_object)
        .ok_or("a request case needs a `request` object")?;
    check_keys(r, REQUEST_KEYS, "`request`")?;
    let list = |key: &str| string_list(r.get(key), &format!("request.{key}"));
    Ok(ExpectedRequest {
        method: str_field(r, "method").ok_or("missing `request.method`")?,
        uri: str_field(r, "uri").ok_or("missing `request.uri`")?,
        resolved_host: str_field(r, "resolved_host"),
        headers: string_map(r.get("headers"), "request.headers")?,
        require_headers: list("require_headers")?,
        forbid_headers: list("forbid_headers")?,
        query_params: list("query_params")?,
        require_query_params: list("require_query_params")?,
        forbid_query_params: list("forbid_query_params")?,
        body: str_field(r, "body"),
        body_media_type: str_field(r, "body_media_type"),
    })
}
