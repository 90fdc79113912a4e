//! ec2Query (`aws.protocols#ec2Query`): form-encoded `POST /` requests naming the `Action` and
//! `Version` like awsQuery, but keys from `@ec2QueryName` (else `@xmlName` or the member name,
//! first letter upper-cased), lists always flattened and empty lists not sent; XML responses
//! with the output's members directly in `<{Op}Response>`, errors in
//! `<Response><Errors><Error>` with the shape name as the code.

use super::{BodyFormat, FormFlavor, Framing, Protocol, ResponseFormat};
use crate::ir::{Member, Operation, Service, ShapeKind, TimestampFormat};

/// The ec2Query protocol.
#[derive(Debug, Clone, Copy)]
pub struct Ec2Query;

/// The ec2Query key of a member: `@ec2QueryName` verbatim, else `@xmlName`, else the member
/// name, with its first letter upper-cased.
pub fn query_key(ec2_query_name: Option<&str>, xml_name: Option<&str>, wire_name: &str) -> String {
    if let Some(name) = ec2_query_name {
        return name.to_owned();
    }
    let name = xml_name.unwrap_or(wire_name);
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn key_of(m: &Member) -> String {
    query_key(
        m.ec2_query_name.as_deref(),
        m.xml_name.as_deref(),
        &m.wire_name,
    )
}

impl Protocol for Ec2Query {
    fn id(&self) -> &'static str {
        "aws.protocols#ec2Query"
    }

    /// Error codes are the shape names (the IR's default; ec2Query has no `@awsQueryError`).
    /// Every structure and union member's request key is decided here once
    /// (`query_key`, kept in `Member::ec2_query_name`), so [`body_key`](Protocol::body_key)
    /// borrows it.
    fn decide(&self, svc: &mut Service) {
        for shape in svc.shapes.values_mut() {
            match &mut shape.kind {
                ShapeKind::Structure(st) => {
                    for m in &mut st.members {
                        m.ec2_query_name = Some(key_of(m));
                    }
                }
                ShapeKind::Union(u) => {
                    for m in &mut u.members {
                        m.ec2_query_name = Some(key_of(m));
                    }
                }
                _ => {}
            }
        }
    }

    fn unsendable(&self, svc: &Service, op: &Operation) -> Option<String> {
        if let Some(what) = super::reached_json_only(svc, op) {
            return Some(format!(
                "documents and sparse collections cannot be sent or read by ec2Query (it reaches {what})"
            ));
        }
        [&op.input, &op.output].into_iter().find_map(|id| {
            svc.shape(id).kind.members().iter().find_map(|m| {
                svc.shape(&m.target).streaming.then(|| {
                    format!(
                        "streaming bodies are not supported by ec2Query (member `{}` streams)",
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
        BodyFormat::Form(FormFlavor::Ec2)
    }

    fn response(&self) -> ResponseFormat {
        ResponseFormat::Xml
    }

    fn framing(&self) -> Framing {
        Framing::Ec2Query
    }

    fn runtime_feature(&self) -> &'static str {
        "ec2-query"
    }

    fn xml_list_items_any_name(&self) -> bool {
        true
    }

    fn describe(&self, svc: &Service, op: &Operation) -> String {
        format!(
            "Calls the ec2Query action `{}` of {} (API version `{}`).",
            op.wire_name,
            svc.title.as_deref().unwrap_or(&svc.name),
            svc.api_version
        )
    }

    fn body_key<'m>(&self, m: &'m Member) -> &'m str {
        // `decide` filled `ec2_query_name` of every member; the fallback is for a member it
        // did not see (none today).
        m.ec2_query_name.as_deref().unwrap_or(&m.wire_name)
    }

    fn sample_output(&self, op: &Operation, result: &str) -> String {
        let wire = &op.wire_name;
        format!(
            "<{wire}Response xmlns=\"urn:sample\">{result}<requestId>rid-0</requestId>\
             </{wire}Response>"
        )
    }

    fn sample_error(&self, code: &str, members: &str) -> String {
        format!(
            "<Response><Errors><Error><Code>{code}</Code><Message>sample</Message>{members}\
             </Error></Errors><RequestID>rid-1</RequestID></Response>"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::query_key;

    #[test]
    fn keys_follow_ec2_query_name_then_xml_name_then_the_member_name() {
        assert_eq!(query_key(Some("queryName"), Some("b"), "a"), "queryName");
        assert_eq!(query_key(None, Some("usesXmlName"), "a"), "UsesXmlName");
        assert_eq!(query_key(None, None, "hi"), "Hi");
        assert_eq!(query_key(None, None, ""), "");
    }
}
