//! Protocols: the only place in codegen where a protocol's rules live.
//!
//! After [`ir::build`](crate::ir::build) (which is protocol-neutral), [`for_service`] picks the
//! [`Protocol`] from the service's protocol traits. The pipeline then lets it
//! [`decide`](Protocol::decide) what the IR leaves to the protocol (error codes and statuses),
//! leave out what it cannot send ([`unsendable`](Protocol::unsendable)), and the emitters ask
//! it for the rest: the default timestamp format, the body format and its key rule, the
//! operation's description and the sample responses of the robustness tests.
//!
//! Adding a protocol is one file here (and an entry in [`PROTOCOLS`]), perhaps a body-format
//! emitter in `emit/ser/` or `emit/de/`, and its runtime module. Imports run one way: this
//! module reads `ir`, `emit` reads this module, and `ir` reads neither.

pub mod aws_json;
mod aws_query;
mod ec2_query;

pub use aws_json::AwsJson;
pub use aws_query::AwsQuery;
pub use ec2_query::Ec2Query;

use std::collections::BTreeMap;

use crate::error::Error;
use crate::ir::{Member, Operation, Service, TimestampFormat};

/// How a protocol writes request bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `application/x-www-form-urlencoded` key/value pairs (awsQuery, ec2Query).
    Form(FormFlavor),
    /// One JSON object of the members under their body keys (awsJson).
    Json,
}

/// The dialects of the form body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormFlavor {
    /// awsQuery: keys are `@xmlName` else the member name; lists and maps wrapped unless
    /// `@xmlFlattened`; an empty list is written as `Key=`.
    AwsQuery,
    /// ec2Query: keys are `@ec2QueryName`, else `@xmlName` or the member name with the first
    /// letter upper-cased; lists always flattened (`Key.N`); an empty list is not sent.
    Ec2,
}

/// How response bodies are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseFormat {
    /// XML, members by `@xmlName` (awsQuery, ec2Query, restXml).
    Xml,
    /// JSON, members by their body keys (awsJson).
    Json,
}

/// How an RPC protocol frames an operation's request and response around the bodies: what the
/// emitters' per-operation `build_<op>` and `parse_<op>` call in the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// awsQuery: `Action` and `Version` lead the form body; the output sits in
    /// `<{Op}Response><{Op}Result>`, errors in `<ErrorResponse><Error>`
    /// (`runtime::protocol::aws_query`).
    AwsQuery,
    /// awsJson: `X-Amz-Target` names the operation, the bodies are the input and output
    /// objects (`runtime::protocol::aws_json`).
    AwsJson(JsonVersion),
    /// ec2Query: `Action` and `Version` lead the form body; the output's members sit directly
    /// in `<{Op}Response>`, errors in `<Response><Errors><Error>`
    /// (`runtime::protocol::ec2_query`).
    Ec2Query,
}

/// The two versions of awsJson (which differ only in their Content-Type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonVersion {
    V1_0,
    V1_1,
}

/// One protocol's rules, as codegen needs them.
pub trait Protocol: Sync {
    /// The protocol trait's shape id (`aws.protocols#awsQuery`).
    fn id(&self) -> &'static str;

    /// Decides what the IR leaves to the protocol: each error's wire code and HTTP status.
    fn decide(&self, svc: &mut Service);

    /// Why operation `op` cannot be sent with this protocol by the generated client, if it
    /// cannot: it is then left out, visibly.
    fn unsendable(&self, svc: &Service, op: &Operation) -> Option<String>;

    /// The timestamp format of a body member without `@timestampFormat`.
    fn default_timestamp_format(&self) -> TimestampFormat;

    /// How request bodies are written.
    fn body(&self) -> BodyFormat;

    /// How response bodies are read.
    fn response(&self) -> ResponseFormat;

    /// How requests and responses are framed around the bodies.
    fn framing(&self) -> Framing;

    /// The runtime feature a generated crate of this protocol turns on (its protocol module
    /// and codecs).
    fn runtime_feature(&self) -> &'static str;

    /// Whether an XML response's wrapped list takes every child element as an item, whatever
    /// its name (ec2Query: EC2 sends `<item>` whatever the model says), rather than only those
    /// named as the model says.
    fn xml_list_items_any_name(&self) -> bool {
        false
    }

    /// The first line of an operation's docs (what it calls, on which API version).
    fn describe(&self, svc: &Service, op: &Operation) -> String;

    /// The key a body member is written under.
    fn body_key<'m>(&self, m: &'m Member) -> &'m str;

    /// A well-formed sample response of operation `op` around `result` (the output's members,
    /// already in the response format), for the robustness tests.
    fn sample_output(&self, op: &Operation, result: &str) -> String;

    /// A well-formed sample error response with wire code `code` and the error's members.
    fn sample_error(&self, code: &str, members: &str) -> String;
}

/// Every protocol the emitters speak, in the order a service's traits are matched.
pub static PROTOCOLS: &[&dyn Protocol] = &[
    &AwsQuery,
    &Ec2Query,
    &AwsJson(JsonVersion::V1_0),
    &AwsJson(JsonVersion::V1_1),
];

/// The protocol of `svc`: the first of [`PROTOCOLS`] that the service declares. A service
/// declaring none of them is refused, naming what it declares.
pub fn for_service(svc: &Service) -> Result<&'static dyn Protocol, Error> {
    if let Some(p) = PROTOCOLS
        .iter()
        .find(|p| svc.protocols.iter().any(|declared| declared == p.id()))
    {
        return Ok(*p);
    }
    let supported: Vec<&str> = PROTOCOLS.iter().map(|p| p.id()).collect();
    Err(Error::Unsupported {
        shape: svc.id.clone(),
        what: format!(
            "protocol {}; supported: {}",
            if svc.protocols.is_empty() {
                "(none declared)".to_owned()
            } else {
                svc.protocols.join(", ")
            },
            supported.join(", ")
        ),
    })
}

/// Why a generated client of any protocol cannot send `op` yet, if it cannot: the endpoint
/// parameters it takes from its input must be readable by the compiled subset of paths
/// ([`ContextParams::plan`](crate::ir::ContextParams::plan)), else the endpoint it resolves
/// would be the wrong one.
fn client_unsendable(svc: &Service, op: &Operation) -> Option<String> {
    if op.context_params.is_empty() {
        return None;
    }
    op.context_params.plan(svc, &op.input).err()
}

/// The document shape or `@sparse` collection operation `op` reaches through its input, output
/// or errors, if any, and which it is: protocols without a JSON body cannot carry either. The
/// walk is iterative over the shape graph.
pub(crate) fn reached_json_only(svc: &Service, op: &Operation) -> Option<String> {
    use crate::ir::ShapeKind;
    let mut seen = std::collections::BTreeSet::new();
    let mut todo: Vec<&str> = [op.input.as_str(), op.output.as_str()]
        .into_iter()
        .chain(op.errors.iter().map(String::as_str))
        .collect();
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        let shape = svc.shape(id);
        let kind = &shape.kind;
        if shape.sparse {
            return Some(format!("the sparse collection `{id}`"));
        }
        match kind {
            ShapeKind::Document => return Some(format!("the document `{id}`")),
            ShapeKind::List(item) => todo.push(&item.target),
            ShapeKind::Map { key, value } => {
                todo.push(&key.target);
                todo.push(&value.target);
            }
            ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                todo.extend(kind.members().iter().map(|m| m.target.as_str()));
            }
            ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
            | ShapeKind::String
            | ShapeKind::Blob
            | ShapeKind::Boolean
            | ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Float
            | ShapeKind::Double
            | ShapeKind::Timestamp => {}
        }
    }
    None
}

/// Leaves out, in place, every operation of `svc` that `protocol` (or any client today) cannot
/// send, with an omission each, and the shapes only they reached.
pub fn leave_out_unsendable(protocol: &dyn Protocol, svc: &mut Service) {
    let reasons: BTreeMap<String, String> = svc
        .operations
        .iter()
        .filter_map(|op| {
            let why = protocol
                .unsendable(svc, op)
                .or_else(|| client_unsendable(svc, op))?;
            Some((op.id.clone(), why))
        })
        .collect();
    if reasons.is_empty() {
        return;
    }
    crate::ir::prune::omit_operations(
        &mut svc.shapes,
        &mut svc.operations,
        &mut svc.omissions,
        |op, _| reasons.get(&op.id).cloned(),
    );
    svc.omissions.sort();
}
