//! awsQuery (`aws.protocols#awsQuery`): form-encoded `POST /` requests naming the `Action` and
//! `Version`, XML responses in an `<{Op}Response><{Op}Result>` envelope, errors in
//! `<ErrorResponse><Error>` with the code of `@awsQueryError` or the shape name.

use super::{BodyFormat, FormFlavor, Framing, Protocol, ResponseFormat};
use crate::ir::{Member, Operation, Service, ShapeKind, TimestampFormat};

/// The awsQuery protocol.
#[derive(Debug, Clone, Copy)]
pub struct AwsQuery;

impl Protocol for AwsQuery {
    fn id(&self) -> &'static str {
        "aws.protocols#awsQuery"
    }

    fn decide(&self, svc: &mut Service) {
        for shape in svc.shapes.values_mut() {
            if let ShapeKind::Structure(st) = &mut shape.kind
                && let Some(e) = &mut st.error
                && let Some(q) = &e.aws_query_error
            {
                e.code = q.code.clone();
                if q.http_status.is_some() {
                    e.http_status = q.http_status;
                }
            }
        }
    }

    fn unsendable(&self, svc: &Service, op: &Operation) -> Option<String> {
        if let Some(what) = super::reached_json_only(svc, op) {
            return Some(format!(
                "documents and sparse collections cannot be sent or read by awsQuery (it reaches {what})"
            ));
        }
        [&op.input, &op.output].into_iter().find_map(|id| {
            svc.shape(id).kind.members().iter().find_map(|m| {
                svc.shape(&m.target).streaming.then(|| {
                    format!(
                        "streaming bodies are not supported by awsQuery (member `{}` streams)",
                        m.wire_name
                    )
                })
            })
        })
    }

    fn default_timestamp_format(&self) -> TimestampFormat {
        TimestampFormat::DateTime
    }

    fn body(&self) -> BodyFormat {
        BodyFormat::Form(FormFlavor::AwsQuery)
    }

    fn response(&self) -> ResponseFormat {
        ResponseFormat::Xml
    }

    fn framing(&self) -> Framing {
        Framing::AwsQuery
    }

    fn runtime_feature(&self) -> &'static str {
        "aws-query"
    }

    fn describe(&self, svc: &Service, op: &Operation) -> String {
        format!(
            "Calls the awsQuery action `{}` of {} (API version `{}`).",
            op.wire_name,
            svc.title.as_deref().unwrap_or(&svc.name),
            svc.api_version
        )
    }

    fn body_key<'m>(&self, m: &'m Member) -> &'m str {
        m.xml_name.as_deref().unwrap_or(&m.wire_name)
    }

    fn sample_output(&self, op: &Operation, result: &str) -> String {
        let wire = &op.wire_name;
        format!(
            "<{wire}Response xmlns=\"urn:sample\"><{wire}Result>{result}</{wire}Result>\
             <ResponseMetadata><RequestId>rid-0</RequestId></ResponseMetadata></{wire}Response>"
        )
    }

    fn sample_error(&self, code: &str, members: &str) -> String {
        format!(
            "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code>\
             <Message>sample</Message>{members}</Error><RequestId>rid-1</RequestId>\
             </ErrorResponse>"
        )
    }
}
