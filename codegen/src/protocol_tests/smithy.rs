//! The cases of the model's own `smithy.test#httpRequestTests` / `httpResponseTests` traits.

use serde_json::Value;

use super::fields::{case_id, check_keys, exclusion, status, str_field, string_list, string_map};
use super::model::{
    Case, ExpectedError, ExpectedRequest, Group, Kind, ModeledError, Response, Run,
};
use super::names::Names;
use super::{DEFAULT_ENDPOINT, case_error, operation_ref, values};
use crate::error::Error;
use crate::ir::{Operation, Service};
use crate::model::Model;

/// The module of these cases.
pub(super) const GROUP: &str = "smithy";
pub(super) const REQUEST_TRAIT: &str = "smithy.test#httpRequestTests";
pub(super) const RESPONSE_TRAIT: &str = "smithy.test#httpResponseTests";

const REQUEST_KEYS: &[&str] = &[
    "id",
    "protocol",
    "method",
    "uri",
    "host",
    "resolvedHost",
    "authScheme",
    "queryParams",
    "forbidQueryParams",
    "requireQueryParams",
    "headers",
    "forbidHeaders",
    "requireHeaders",
    "body",
    "bodyMediaType",
    "params",
    "documentation",
    "tags",
    "appliesTo",
];
const RESPONSE_KEYS: &[&str] = &[
    "id",
    "protocol",
    "code",
    "authScheme",
    "headers",
    "forbidHeaders",
    "requireHeaders",
    "body",
    "bodyMediaType",
    "params",
    "vendorParamsShape",
    "vendorParams",
    "documentation",
    "tags",
    "appliesTo",
];

/// The raw cases of trait `name` on shape `id` (none when the trait is absent or not a list).
pub(super) fn raw_cases<'m>(model: &'m Model, id: &str, name: &str) -> &'m [Value] {
    model
        .shapes
        .get(id)
        .and_then(|s| s.traits())
        .and_then(|t| t.get(name))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Per operation (in wire-name order) its request then response cases, then the response
/// cases of error shapes (in id order), each run against the first operation listing it.
pub(super) fn group(model: &Model, svc: &Service, protocol: &str) -> Result<Group, Error> {
    let mut names = Names::default();
    let mut cases = Vec::new();
    for op in &svc.operations {
        for t in raw_cases(model, &op.id, REQUEST_TRAIT) {
            cases.push(request(svc, protocol, op, t, &mut names)?);
        }
        for t in raw_cases(model, &op.id, RESPONSE_TRAIT) {
            cases.push(response(svc, protocol, op, t, None, &mut names)?);
        }
    }
    for id in svc.shapes.keys() {
        let tests = raw_cases(model, id, RESPONSE_TRAIT);
        let Some(first) = tests.first() else {
            continue;
        };
        let Some(op) = svc.operations.iter().find(|o| o.errors.contains(id)) else {
            let first = first.get("id").and_then(Value::as_str).unwrap_or("?");
            return Err(case_error(
                GROUP,
                first,
                Kind::Error,
                format!("error shape {id} is not an error of any operation"),
            ));
        };
        for t in tests {
            cases.push(response(svc, protocol, op, t, Some(id), &mut names)?);
        }
    }
    Ok(Group {
        module: GROUP.to_owned(),
        cases,
    })
}

fn request(
    svc: &Service,
    protocol: &str,
    op: &Operation,
    t: &Value,
    names: &mut Names,
) -> Result<Case, Error> {
    let id = case_id(t);
    let fail = |m: String| case_error(GROUP, &id, Kind::Request, format!("{}: {m}", op.id));
    let obj = t
        .as_object()
        .ok_or_else(|| fail("a test case must be an object".into()))?;
    check_keys(obj, REQUEST_KEYS, "the case").map_err(fail)?;
    let method = str_field(obj, "method").ok_or_else(|| fail("missing `method`".into()))?;
    let uri = str_field(obj, "uri").ok_or_else(|| fail("missing `uri`".into()))?;
    let expected = ExpectedRequest {
        method,
        uri,
        resolved_host: str_field(obj, "resolvedHost"),
        headers: string_map(obj.get("headers"), "headers").map_err(fail)?,
        require_headers: string_list(obj.get("requireHeaders"), "requireHeaders").map_err(fail)?,
        forbid_headers: string_list(obj.get("forbidHeaders"), "forbidHeaders").map_err(fail)?,
        query_params: string_list(obj.get("queryParams"), "queryParams").map_err(fail)?,
        require_query_params: string_list(obj.get("requireQueryParams"), "requireQueryParams")
            .map_err(fail)?,
        forbid_query_params: string_list(obj.get("forbidQueryParams"), "forbidQueryParams")
            .map_err(fail)?,
        body: str_field(obj, "body"),
        body_media_type: str_field(obj, "bodyMediaType"),
    };
    let run = match excluded(protocol, obj) {
        Some(reason) => Run::Ignored { reason },
        None => Run::Request {
            endpoint: str_field(obj, "host")
                .map_or_else(|| DEFAULT_ENDPOINT.to_owned(), |h| format!("https://{h}")),
            input: values::resolve(svc, &op.input, params(obj), "params").map_err(fail)?,
            expected,
        },
    };
    Ok(Case {
        fn_name: names.claim(&id, Kind::Request),
        kind: Kind::Request,
        operation: operation_ref(op),
        documentation: str_field(obj, "documentation"),
        run,
        id,
    })
}

fn response(
    svc: &Service,
    protocol: &str,
    op: &Operation,
    t: &Value,
    error_shape: Option<&String>,
    names: &mut Names,
) -> Result<Case, Error> {
    let id = case_id(t);
    let kind = if error_shape.is_some() {
        Kind::Error
    } else {
        Kind::Response
    };
    let holder = error_shape.unwrap_or(&op.id);
    let fail = |m: String| case_error(GROUP, &id, kind, format!("{holder}: {m}"));
    let obj = t
        .as_object()
        .ok_or_else(|| fail("a test case must be an object".into()))?;
    check_keys(obj, RESPONSE_KEYS, "the case").map_err(fail)?;
    let response = Response {
        status: status(obj.get("code")).map_err(fail)?,
        headers: string_map(obj.get("headers"), "headers").map_err(fail)?,
        body: str_field(obj, "body").unwrap_or_default(),
    };
    // Values are read against the operation's shapes: errors name the operation.
    let fail_value = |m: String| case_error(GROUP, &id, kind, format!("{}: {m}", op.id));
    let run = match (excluded(protocol, obj), error_shape) {
        (Some(reason), _) => Run::Ignored { reason },
        (None, None) => Run::Response {
            response,
            expected: values::resolve(svc, &op.output, params(obj), "params")
                .map_err(fail_value)?,
        },
        (None, Some(shape)) => {
            let vendor = obj.get("vendorParams");
            let vendor_str = |key: &str| {
                vendor
                    .and_then(|v| v.get(key))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            };
            let members =
                values::resolve(svc, shape, params(obj), "members").map_err(fail_value)?;
            Run::Error {
                response,
                expected: ExpectedError {
                    code: vendor_str("code").or_else(|| error_code(svc, shape)),
                    message: None,
                    error_type: vendor_str("type"),
                    modeled: Some(ModeledError {
                        variant: svc.shape(shape).rust_name.clone(),
                        members,
                    }),
                },
            }
        }
    };
    Ok(Case {
        fn_name: names.claim(&id, kind),
        kind,
        operation: operation_ref(op),
        documentation: str_field(obj, "documentation"),
        run,
        id,
    })
}

/// The error code of error structure `shape`.
pub(super) fn error_code(svc: &Service, shape: &str) -> Option<String> {
    svc.structure(shape).error.as_ref().map(|e| e.code.clone())
}

fn params(obj: &super::fields::Object) -> &Value {
    obj.get("params").unwrap_or(&Value::Null)
}

fn excluded(protocol: &str, obj: &super::fields::Object) -> Option<String> {
    exclusion(
        protocol,
        obj.get("appliesTo").and_then(Value::as_str),
        obj.get("protocol").and_then(Value::as_str),
    )
    .or_else(|| {
        let id = obj.get("id").and_then(Value::as_str)?;
        CUSTOMIZATIONS
            .iter()
            .find(|(case, _)| *case == id)
            .map(|(_, why)| (*why).to_owned())
    })
}

/// Cases of Smithy's suites that test an SDK customization of one service rather than the
/// protocol, with the customization they need; this generator builds none of these yet, so the
/// cases are listed as skipped with the reason.
const CUSTOMIZATIONS: &[(&str, &str)] = &[(
    "MachinelearningPredictEndpoint",
    "SDK customization, not built: Amazon Machine Learning's `Predict` sends the request to the \
     host of its `PredictEndpoint` member instead of the resolved endpoint",
)];
