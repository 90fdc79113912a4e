//! awsJson 1.0 and 1.1 (`aws.protocols#awsJson1_0`, `aws.protocols#awsJson1_1`): `POST /` with
//! `X-Amz-Target: {service shape}.{operation}`, the input as one JSON object (members under
//! their names: `@jsonName` is not honoured, HTTP bindings do not apply), JSON responses, errors
//! named by `X-Amzn-Errortype` / `__type` / `code`; `@awsQueryCompatible` services take the
//! error code from `x-amzn-query-error`.

use super::{BodyFormat, Framing, JsonVersion, Protocol, ResponseFormat};
use crate::ir::{Member, Operation, Service, TimestampFormat};

/// An awsJson protocol, by version.
#[derive(Debug, Clone, Copy)]
pub struct AwsJson(pub JsonVersion);

/// The `@awsQueryCompatible` trait: the service was awsQuery before, and its errors keep the
/// awsQuery codes.
const QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";

/// Whether `svc` carries `@awsQueryCompatible`.
pub fn query_compatible(svc: &Service) -> bool {
    svc.protocols.iter().any(|p| p == QUERY_COMPATIBLE)
}

/// The `X-Amz-Target` of `op`: the service shape's name (not its sdkId), a dot, the
/// operation's name.
pub fn target(svc: &Service, op: &Operation) -> String {
    format!("{}.{}", crate::naming::ir_local(&svc.id), op.wire_name)
}

impl Protocol for AwsJson {
    fn id(&self) -> &'static str {
        match self.0 {
            JsonVersion::V1_0 => "aws.protocols#awsJson1_0",
            JsonVersion::V1_1 => "aws.protocols#awsJson1_1",
        }
    }

    /// The wire code of an error is its shape's name (the IR's choice); `@awsQueryError` codes
    /// arrive in `x-amzn-query-error` at run time and are not matched on.
    fn decide(&self, _svc: &mut Service) {}

    fn unsendable(&self, svc: &Service, op: &Operation) -> Option<String> {
        [&op.input, &op.output].into_iter().find_map(|id| {
            svc.shape(id).kind.members().iter().find_map(|m| {
                svc.shape(&m.target).streaming.then(|| {
                    format!(
                        "streaming bodies are not supported by awsJson yet (member `{}` streams)",
                        m.wire_name
                    )
                })
            })
        })
    }

    fn default_timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::EpochSeconds
    }

    fn body(&self) -> BodyFormat {
        BodyFormat::Json
    }

    fn response(&self) -> ResponseFormat {
        ResponseFormat::Json
    }

    fn framing(&self) -> Framing {
        Framing::AwsJson(self.0)
    }

    fn runtime_feature(&self) -> &'static str {
        "aws-json"
    }

    fn describe(&self, svc: &Service, op: &Operation) -> String {
        let version = match self.0 {
            JsonVersion::V1_0 => "1.0",
            JsonVersion::V1_1 => "1.1",
        };
        format!(
            "Calls `{}` of {} over awsJson {version} (`X-Amz-Target: {}`, API version `{}`).",
            op.wire_name,
            svc.title.as_deref().unwrap_or(&svc.name),
            target(svc, op),
            svc.api_version
        )
    }

    fn body_key<'m>(&self, m: &'m Member) -> &'m str {
        &m.wire_name
    }

    fn sample_output(&self, _op: &Operation, result: &str) -> String {
        format!("{{{result}}}")
    }

    fn sample_error(&self, code: &str, members: &str) -> String {
        let sep = if members.is_empty() { "" } else { "," };
        format!("{{\"__type\":\"{code}\",\"message\":\"sample\"{sep}{members}}}")
    }
}
