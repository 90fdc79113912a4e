//! The resolved intermediate representation the emitters work from.
//!
//! `build` turns a parsed [`model::Model`] into a [`Service`]: every shape reference resolved (the
//! prelude included), only the shapes the chosen operations reach, Rust names decided once (via
//! `naming`) next to the wire names, recursion broken with `Box`, and unsupported features reported
//! as errors that name the shape and what is unsupported.
//!
//! Whatever the model, nothing here recurses as deep as the model says: walks over the shape
//! graph are iterative, and what the emitters (and syn, prettyplease, htmd) do recursively is
//! bounded by documented limits checked here: [`MAX_COLLECTION_NESTING`] (with lists and maps
//! that contain themselves rejected, as Smithy does), [`MAX_DOC_NESTING`] and
//! [`MAX_EXAMPLE_ENTRIES`] with [`MAX_EXAMPLE_NESTING`], and [`MAX_PATH_DEPTH`] (waiter paths);
//! `crate::MAX_TEST_VALUE_NESTING` bounds protocol test values (read in `crate::protocol_tests`).
//!
//! Model text the runtime would otherwise interpret is decided here too: waiter paths are parsed
//! into [`PathExpr`] trees ([`waiter_path`]), host prefix templates split into [`HostSegment`]s
//! with labels resolved to members, and `@paginated` names resolved to [`MemberRef`]s (output
//! paths to [`MemberPath`] chains).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::Error;
use crate::model::{self, Model, Traits};
use crate::naming::{self, Scope};

mod defaults;
mod names;
pub use defaults::DefaultValue;
mod waiter_check;
pub mod waiter_path;
mod waiters;
pub use names::{MemberNames, OperationNames, ShapeNames, WaiterNames};
pub use waiter_path::{MAX_PATH_DEPTH, PathCmp, PathExpr, PathFn, PathLiteral, PathStep};
use waiters::waiters;
pub use waiters::{Acceptor, AcceptorState, Expected, Matcher, Waiter};
mod checks;
mod examples;
mod host_prefix;
pub mod http;
pub use host_prefix::{HostLabel, HostPrefix, HostSegment};
pub use http::{HttpBinding, Location, UriLabel, UriSegment, UriTemplate};
mod pagination;
pub use pagination::{
    ItemsKind, MAX_PAGINATION_PATH_DEPTH, MemberPath, MemberRef, PageItems, Pagination,
};
mod context_params;
pub use context_params::{ContextParams, FieldStep, InputParam, Leaf, ParamRead};
mod omissions;
pub mod prune;
pub use omissions::{Omission, OmissionKind};
pub mod patterns;
pub use patterns::{Pattern, PatternCheck};
mod resolve;
pub use checks::MAX_COLLECTION_NESTING;
use checks::*;
pub use examples::{Call, Example, ExampleValue, MAX_EXAMPLE_ENTRIES, MAX_EXAMPLE_NESTING};
use resolve::*;

pub type ShapeId = String;

#[derive(Debug, Clone)]
pub struct Service {
    pub id: ShapeId,
    /// The service shape's name (`SimpleEmailService`).
    pub name: String,
    pub api_version: String,
    pub sdk_id: String,
    /// `email-2010-12-01`: names the service in AWS's API reference links.
    pub doc_id: String,
    pub title: Option<String>,
    pub signing_name: String,
    pub endpoint_prefix: String,
    pub xml_namespace: Option<String>,
    /// The protocol traits the service declares (`aws.protocols#awsQuery`, ...), in the
    /// model's order.
    pub protocols: Vec<String>,
    /// Operations sorted by wire name.
    pub operations: Vec<Operation>,
    /// Every shape the operations reach, by id (sorted).
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// `smithy.rules#endpointRuleSet`, parsed and checked; the standard regional rules when the
    /// model has none (like Smithy's protocol test services).
    pub endpoint_rules: crate::endpoints::ir::RuleSet,
    /// `smithy.rules#endpointTests`, parsed.
    pub endpoint_tests: Option<Vec<crate::endpoints::cases::TestCase>>,
    pub docs: Option<String>,
    /// The details of the model the client leaves out (sorted), each also said in the rustdoc
    /// of the item it touches.
    pub omissions: Vec<Omission>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: ShapeId,
    /// The awsQuery `Action`.
    pub wire_name: String,
    /// `SetIdentityMailFromDomain`
    pub type_name: String,
    /// `set_identity_mail_from_domain`
    pub fn_name: String,
    /// The Rust names of the operation's items.
    pub names: OperationNames,
    pub input: ShapeId,
    pub output: ShapeId,
    /// Modeled errors: the operation's, then the service's, without duplicates.
    pub errors: Vec<ShapeId>,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#paginated`, merged with the service's and resolved to members.
    pub paginated: Option<Pagination>,
    /// `smithy.waiters#waitable`, in name order: those the client carries.
    pub waiters: Vec<Waiter>,
    /// The waiters left out, `(name, reason)` in name order (each also an [`Omission`]); the
    /// operation's rustdoc says so.
    pub omitted_waiters: Vec<(String, String)>,
    /// Why the operation's `@paginated` paginator is not generated, when it is not.
    pub omitted_paginator: Option<String>,
    /// `smithy.api#examples` that fit the model, as builder calls.
    pub examples: Vec<Example>,
    /// `@endpoint(hostPrefix: "{Label}.")`, split, its labels resolved (`None` also for an
    /// empty template).
    pub host_prefix: Option<HostPrefix>,
    /// `@requestCompression(encodings: [...])`
    pub request_compression: Vec<String>,
    /// The endpoint rule parameters the operation sets.
    pub context_params: ContextParams,
    /// The output structure has no members: an empty 2xx body is a complete answer, and no
    /// output parser is needed.
    pub output_is_empty: bool,
    /// The input's `@idempotencyToken` members (wire names): unset ones are filled before
    /// sending.
    pub idempotency_members: Vec<String>,
    /// `@http`: method, URI template (labels resolved to input members) and status code;
    /// `None` without the trait (RPC protocols supply their own binding).
    pub http: Option<HttpBinding>,
}

#[derive(Debug, Clone)]
pub struct Deprecated {
    pub message: Option<String>,
    pub since: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Shape {
    pub id: ShapeId,
    /// The Rust type name (unique across the crate).
    pub rust_name: String,
    /// The names of its builder and functions.
    pub names: ShapeNames,
    pub home: Home,
    pub kind: ShapeKind,
    /// Members of the model's structure or union that the IR cannot carry yet (their
    /// omissions are on the service too); the type's docs list them.
    pub omitted_members: Vec<OmittedMember>,
    /// `@streaming` (a blob read or written as a stream of bytes).
    pub streaming: bool,
    /// `@sparse` on a list or map: its entries may be null (`Vec<Option<T>>`,
    /// `HashMap<K, Option<V>>`). Only JSON protocols carry them; the others leave out the
    /// operations that reach one.
    pub sparse: bool,
    pub docs: Option<String>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecated>,
    pub constraints: Constraints,
    pub xml_name: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    /// `@mediaType` (on a string or blob): the media type of its values.
    pub media_type: Option<String>,
}

/// A member left out of a structure or union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OmittedMember {
    pub wire_name: String,
    pub reason: String,
    /// `@required` in the model: an operation whose input needs it is left out too.
    pub required: bool,
}

/// Where a type is declared in the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Home {
    /// `crate::types::Name`
    Types,
    /// `crate::types::error::Name`
    Error,
    /// `crate::operation::<fn_name>::Name`
    Operation(String),
}

#[derive(Debug, Clone)]
pub enum ShapeKind {
    Structure(Structure),
    /// A tagged union: exactly one member is set.
    Union(Union),
    List(Box<Member>),
    Map {
        key: Box<Member>,
        value: Box<Member>,
    },
    Enum(Vec<EnumVariant>),
    IntEnum(Vec<IntEnumVariant>),
    String,
    Blob,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    Timestamp,
    /// Any JSON-like value (`aws_smithy_types::Document`): protocols with JSON bodies carry it
    /// whole; the XML and form protocols cannot (their operations that reach one are left out).
    Document,
}

/// A pattern matching every scalar [`ShapeKind`] (written as one value, read from one text),
/// so that matches over kinds stay exhaustive without a `_` arm.
macro_rules! scalar_kind {
    () => {
        $crate::ir::ShapeKind::String
            | $crate::ir::ShapeKind::Enum(_)
            | $crate::ir::ShapeKind::IntEnum(_)
            | $crate::ir::ShapeKind::Boolean
            | $crate::ir::ShapeKind::Byte
            | $crate::ir::ShapeKind::Short
            | $crate::ir::ShapeKind::Integer
            | $crate::ir::ShapeKind::Long
            | $crate::ir::ShapeKind::Float
            | $crate::ir::ShapeKind::Double
            | $crate::ir::ShapeKind::Timestamp
            | $crate::ir::ShapeKind::Blob
            | $crate::ir::ShapeKind::Document
    };
}
pub(crate) use scalar_kind;

/// A pattern matching every number [`ShapeKind`] (integers and floats).
macro_rules! number_kind {
    () => {
        $crate::ir::ShapeKind::Byte
            | $crate::ir::ShapeKind::Short
            | $crate::ir::ShapeKind::Integer
            | $crate::ir::ShapeKind::Long
            | $crate::ir::ShapeKind::Float
            | $crate::ir::ShapeKind::Double
    };
}
pub(crate) use number_kind;

#[derive(Debug, Clone)]
pub struct Structure {
    pub members: Vec<Member>,
    pub error: Option<ErrorInfo>,
}

/// A union's members and the Rust enum variant of each.
#[derive(Debug, Clone)]
pub struct Union {
    /// In declaration order. `rust_name` is the snake-case name of the `as_`/`is_` accessors.
    pub members: Vec<Member>,
    /// The enum variant of each member, in the same order (`Unknown` is reserved).
    pub variants: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The error code on the wire: the shape name, until the protocol decides
    /// ([`crate::protocol::Protocol::decide`]; awsQuery takes `@awsQueryError`'s code).
    pub code: String,
    /// The HTTP status: `@httpError`, until the protocol decides.
    pub http_status: Option<u16>,
    pub fault: Fault,
    /// `@awsQueryError(code, httpResponseCode)`, as the model says it.
    pub aws_query_error: Option<AwsQueryError>,
}

/// The `aws.protocols#awsQueryError` trait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsQueryError {
    pub code: String,
    pub http_status: Option<u16>,
}

/// Who `@error` blames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Client,
    Server,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub wire_name: String,
    /// Field / method identifier, possibly raw (`r#type`).
    pub rust_name: String,
    /// The names of its accessors.
    pub names: MemberNames,
    pub target: ShapeId,
    /// `@required`, checked before sending. False for `@clientOptional` members, which the
    /// service requires but clients treat as optional (see `client_optional`).
    pub required: bool,
    /// `@required` together with `@clientOptional`: documented, not checked by the client.
    pub client_optional: bool,
    /// `@clientOptional` with or without `@required`: a client does not fill the member's
    /// `@default` into a request when it is unset.
    pub default_is_optional: bool,
    pub boxed: bool,
    /// Where the value goes in an HTTP request or response (`@httpLabel`, `@httpQuery`, ...;
    /// [`Location::Body`] without one).
    pub location: Location,
    /// `@jsonName`: the member's key in JSON bodies, when not its wire name.
    pub json_name: Option<String>,
    /// `@ec2QueryName`: the member's key in ec2Query requests, when given.
    pub ec2_query_name: Option<String>,
    pub xml_name: Option<String>,
    pub xml_flattened: bool,
    pub xml_attribute: bool,
    pub xml_namespace: Option<XmlNamespace>,
    pub timestamp_format: Option<TimestampFormat>,
    pub default: Option<DefaultValue>,
    pub docs: Option<String>,
    pub sensitive: bool,
    pub idempotency_token: bool,
    pub host_label: bool,
    pub deprecated: Option<Deprecated>,
    /// Constraints declared on the member itself (the target's are on the target shape).
    pub constraints: Constraints,
}

/// `@timestampFormat`: how a timestamp is written and read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    DateTime,
    EpochSeconds,
    HttpDate,
}

impl TimestampFormat {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "date-time" => Some(TimestampFormat::DateTime),
            "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
            "http-date" => Some(TimestampFormat::HttpDate),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub length: Option<(Option<u64>, Option<u64>)>,
    pub range: Option<(Option<f64>, Option<f64>)>,
    /// `@pattern`, with the decision whether and how the client checks it.
    pub pattern: Option<Pattern>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none()
    }

    /// Whether the client checks any of them (an unchecked `@pattern` is only documented).
    pub fn has_checks(&self) -> bool {
        self.length.is_some()
            || self.range.is_some()
            || self.pattern.as_ref().is_some_and(Pattern::is_checked)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNamespace {
    pub uri: String,
    pub prefix: Option<String>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: String,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecated>,
}

#[derive(Debug, Clone)]
pub struct IntEnumVariant {
    pub rust_name: String,
    pub value: i64,
    pub docs: Option<String>,
}

impl ShapeKind {
    /// The members of a structure or union (empty for every other kind).
    pub fn members(&self) -> &[Member] {
        match self {
            ShapeKind::Structure(st) => &st.members,
            ShapeKind::Union(u) => &u.members,
            _ => &[],
        }
    }

    /// The members of a structure or union, to change in place.
    pub fn members_mut(&mut self) -> std::slice::IterMut<'_, Member> {
        match self {
            ShapeKind::Structure(st) => st.members.iter_mut(),
            ShapeKind::Union(u) => u.members.iter_mut(),
            _ => Default::default(),
        }
    }
}

impl Service {
    pub fn shape(&self, id: &str) -> &Shape {
        match self.shapes.get(id) {
            Some(s) => s,
            // `build` resolves every reference before a Service exists.
            None => unreachable!("unresolved shape reference {id}"),
        }
    }

    pub fn structure(&self, id: &str) -> &Structure {
        match &self.shape(id).kind {
            ShapeKind::Structure(s) => s,
            _ => unreachable!("{id} is not a structure"),
        }
    }

    /// The wire error code of an error structure (empty for a non-error shape).
    pub fn error_code(&self, id: &str) -> &str {
        match &self.shape(id).kind {
            ShapeKind::Structure(Structure { error: Some(e), .. }) => &e.code,
            _ => "",
        }
    }

    /// Shapes whose values flow into requests (need serializers / validation).
    pub fn input_closure(&self) -> BTreeSet<ShapeId> {
        self.closure(self.operations.iter().map(|o| o.input.clone()))
    }

    /// Shapes whose values come out of responses and errors (need deserializers).
    pub fn output_closure(&self) -> BTreeSet<ShapeId> {
        self.closure(
            self.operations
                .iter()
                .flat_map(|o| std::iter::once(o.output.clone()).chain(o.errors.iter().cloned())),
        )
    }

    /// Every shape reachable from `roots` (the roots included).
    pub fn closure(&self, roots: impl Iterator<Item = ShapeId>) -> BTreeSet<ShapeId> {
        prune::reachable(&self.shapes, roots)
    }
}

/// Options that change what the IR keeps.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Keep only these operations (by wire name) and the shapes they reach.
    pub operations: Option<Vec<String>>,
}

fn str_trait<'a>(traits: &'a Traits, name: &str) -> Option<&'a str> {
    traits.get(name).and_then(Value::as_str)
}

/// The deepest nesting of HTML elements documentation keeps its markup for. The emitters turn
/// documentation into Markdown with htmd, which walks the HTML recursively; deeper
/// documentation keeps its text but loses its tags, so no documentation string decides that
/// recursion's depth.
pub const MAX_DOC_NESTING: usize = 64;

fn docs(traits: &Traits) -> Option<String> {
    let html = str_trait(traits, "smithy.api#documentation")?;
    Some(if html_nesting_exceeds(html, MAX_DOC_NESTING) {
        drop_tags(html)
    } else {
        html.to_owned()
    })
}

/// Whether the elements of an HTML fragment may nest deeper than `limit`. A start tag opens an
/// element (not a void one such as `<br>`, nor `<x/>`); an end tag closes the latest element of
/// its name and nothing else (none: ignored). An HTML parser may close more (`<p>` ends an open
/// `<p>`), so this errs on the deep side, never much on the shallow one.
fn html_nesting_exceeds(html: &str, limit: usize) -> bool {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let end_tag = rest.starts_with('/');
        let name: String = rest[usize::from(end_tag)..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let Some(gt) = rest.find('>') else { break };
        let self_closing = rest[..gt].ends_with('/');
        rest = &rest[gt + 1..];
        if name.is_empty() {
            continue;
        }
        if end_tag {
            if let Some(i) = open.iter().rposition(|n| *n == name) {
                open.remove(i);
            }
        } else if !self_closing && !VOID.contains(&name.as_str()) {
            open.push(name);
            if open.len() > limit {
                return true;
            }
        }
    }
    false
}

/// The text of an HTML fragment without its tags (entities are left for the emitters).
fn drop_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn deprecated(traits: &Traits) -> Option<Deprecated> {
    traits.get("smithy.api#deprecated").map(|v| Deprecated {
        message: v.get("message").and_then(Value::as_str).map(str::to_owned),
        since: v.get("since").and_then(Value::as_str).map(str::to_owned),
    })
}

fn xml_namespace(traits: &Traits) -> Option<XmlNamespace> {
    let v = traits.get("smithy.api#xmlNamespace")?;
    Some(XmlNamespace {
        uri: v
            .get("uri")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        prefix: v.get("prefix").and_then(Value::as_str).map(str::to_owned),
    })
}

/// The numbers a `@range` bound must fit, by the type of the value it constrains.
#[derive(Clone, Copy)]
enum NumberType {
    /// `byte`, `short`, `integer`, `long`: whole numbers in `min..=max`.
    Integral {
        name: &'static str,
        min: i64,
        max: i64,
    },
    /// `float`: finite and within `f32`.
    Float,
    /// `double`: finite.
    Double,
    /// Anything else (the emitters do not check `@range` on it).
    Other,
}

impl NumberType {
    fn of(shape: &model::Shape) -> NumberType {
        use model::Shape as M;
        let int = |name, min, max| NumberType::Integral { name, min, max };
        match shape {
            M::Byte { .. } => int("byte", i8::MIN.into(), i8::MAX.into()),
            M::Short { .. } => int("short", i16::MIN.into(), i16::MAX.into()),
            M::Integer { .. } => int("integer", i32::MIN.into(), i32::MAX.into()),
            M::Long { .. } => int("long", i64::MIN, i64::MAX),
            M::Float { .. } => NumberType::Float,
            M::Double { .. } => NumberType::Double,
            _ => NumberType::Other,
        }
    }

    /// Why `n` cannot bound a value of this type, if it cannot.
    fn misfit(self, n: &serde_json::Number) -> Option<String> {
        // serde_json keeps integers exact (`as_i64`/`as_u64`); anything else is an f64.
        let x = n.as_f64().unwrap_or(f64::NAN);
        match self {
            NumberType::Integral { name, min, max } => {
                let fits = match n.as_i64() {
                    Some(i) => (min..=max).contains(&i),
                    // Past `i64::MAX`, or not written as an integer: an f64 that must be whole
                    // and in range (`min`/`max` are powers of two, exact as f64).
                    None if n.as_u64().is_some() => false,
                    None => x.fract() == 0.0 && x >= min as f64 && x < max as f64 + 1.0,
                };
                (!fits).then(|| format!("{name} (whole numbers from {min} to {max})"))
            }
            NumberType::Float => (!(x.is_finite() && x.abs() <= f64::from(f32::MAX)))
                .then(|| "float (a finite 32-bit float)".to_owned()),
            NumberType::Double => (!x.is_finite()).then(|| "double (a finite number)".to_owned()),
            NumberType::Other => (!x.is_finite()).then(|| "a finite number".to_owned()),
        }
    }
}

/// A `@length` bound: a whole number from 0 to `u64::MAX`, exactly (never rounded or clamped).
fn length_bound(n: &serde_json::Number) -> Option<u64> {
    if let Some(u) = n.as_u64() {
        return Some(u);
    }
    let x = n.as_f64()?;
    // 2^64 as f64 is exact; a whole f64 in 0..2^64 converts to u64 exactly (no saturation).
    let whole = x.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&x);
    whole.then_some(x as u64)
}

/// `@length`, `@range` and `@pattern` of `shape` (a shape, or a member `ns#Shape$member`) whose
/// values are of shape `value_type` (the shape itself, or the member's target). Bounds that are
/// not numbers, do not fit the type, or have min above max are errors naming the shape and the
/// trait, never rounded or clamped.
fn constraints(
    shape: &str,
    traits: &Traits,
    value_type: Option<&model::Shape>,
) -> Result<Constraints, Error> {
    let bad = |message: String| Error::Model {
        shape: shape.to_owned(),
        message,
    };
    // `min` and `max` of a `@length`/`@range` value, as JSON numbers.
    let bounds = |name: &str, v: &Value| -> Result<[Option<serde_json::Number>; 2], Error> {
        let obj = v.as_object().ok_or_else(|| {
            bad(format!(
                "@{name} must be an object with `min` and/or `max`, found {v}"
            ))
        })?;
        let get = |key: &str| match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => Ok(Some(n.clone())),
            Some(other) => Err(bad(format!(
                "@{name} {key} must be a number, found {other}"
            ))),
        };
        Ok([get("min")?, get("max")?])
    };
    let mut c = Constraints::default();
    if let Some(v) = traits.get("smithy.api#length") {
        let [min, max] = bounds("length", v)?;
        let mut out = [None, None];
        for ((key, n), slot) in ["min", "max"].iter().zip([&min, &max]).zip(&mut out) {
            if let Some(n) = n {
                *slot = Some(length_bound(n).ok_or_else(|| {
                    bad(format!(
                        "@length {key} must be a whole number from 0 to {}, found {n}",
                        u64::MAX
                    ))
                })?);
            }
        }
        if let [Some(lo), Some(hi)] = out
            && lo > hi
        {
            return Err(bad(format!("@length min {lo} is greater than max {hi}")));
        }
        c.length = Some((out[0], out[1]));
    }
    if let Some(v) = traits.get("smithy.api#range") {
        let [min, max] = bounds("range", v)?;
        let ty = value_type.map_or(NumberType::Other, NumberType::of);
        for (key, n) in [("min", &min), ("max", &max)] {
            if let Some(n) = n
                && let Some(what) = ty.misfit(n)
            {
                return Err(bad(format!("@range {key} {n} does not fit {what}")));
            }
        }
        if let (Some(lo), Some(hi)) = (&min, &max) {
            let inverted = match (lo.as_i64(), hi.as_i64()) {
                (Some(a), Some(b)) => a > b,
                _ => lo.as_f64() > hi.as_f64(),
            };
            if inverted {
                return Err(bad(format!("@range min {lo} is greater than max {hi}")));
            }
        }
        let f = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
        c.range = Some((f(&min), f(&max)));
    }
    c.pattern = match traits.get("smithy.api#pattern") {
        None => None,
        Some(Value::String(p)) => Some(patterns::decide(p)),
        Some(other) => return Err(bad(format!("@pattern must be a string, found {other}"))),
    };
    Ok(c)
}

fn local_name(id: &str) -> &str {
    let name = id.rsplit_once('#').map_or(id, |(_, n)| n);
    // A member id (`ns#Shape$member`) names the member.
    name.rsplit_once('$').map_or(name, |(_, m)| m)
}

/// Operation inputs and outputs must be structures, errors structures with `@error`.
fn check_operation_shapes(
    shapes: &BTreeMap<ShapeId, Shape>,
    ops: &[Operation],
) -> Result<(), Error> {
    let kind = |id: &str| shapes.get(id).map(|s| &s.kind);
    for op in ops {
        for (what, id) in [("input", &op.input), ("output", &op.output)] {
            if !matches!(kind(id), Some(ShapeKind::Structure(_))) {
                return Err(Error::Model {
                    shape: op.id.clone(),
                    message: format!("its {what} `{id}` is not a structure"),
                });
            }
        }
        for id in &op.errors {
            if !matches!(kind(id), Some(ShapeKind::Structure(st)) if st.error.is_some()) {
                return Err(Error::Model {
                    shape: id.clone(),
                    message: format!(
                        "listed as an error of `{}` but is not a structure with the @error trait",
                        op.id
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Resolves the model into the IR for its single service, whatever its protocol.
pub fn build(model: &Model, opts: &BuildOptions) -> Result<Service, Error> {
    let (service_id, svc) = find_service(model)?;
    let names = ServiceNames::of(service_id, svc.traits);
    let mut resolver = Resolver {
        model,
        shapes: BTreeMap::new(),
        pending: Vec::new(),
        omitted: Vec::new(),
    };
    // What is left out, from every pass; sorted into `Service::omissions` at the end.
    let mut omitted: Vec<Omission> = Vec::new();
    let mut ops = resolve_operations(&mut resolver, service_id, &svc, opts, &mut omitted)?;
    let shapes = finish_shapes(resolver, &mut ops, &mut omitted)?;
    resolve_operation_traits(model, svc.traits, &shapes, &mut ops, &mut omitted)?;
    for op in &mut ops {
        if let Some(traits) = model.shapes.get(&op.id).and_then(model::Shape::traits) {
            op.examples = examples::examples(&shapes, traits, &op.wire_name, &op.input);
        }
        op.output_is_empty = shapes
            .get(&op.output)
            .is_some_and(|s| s.kind.members().is_empty());
        op.idempotency_members = shapes
            .get(&op.input)
            .map(|s| {
                s.kind
                    .members()
                    .iter()
                    .filter(|m| m.idempotency_token)
                    .map(|m| m.wire_name.clone())
                    .collect()
            })
            .unwrap_or_default();
    }
    let ServiceNames {
        service_name,
        sdk_id,
        endpoint_prefix,
        signing_name,
    } = names;
    let (version, traits) = (svc.version, svc.traits);
    let (endpoint_rules, mut endpoint_tests) = endpoint_rules(traits, &endpoint_prefix)?;
    if let Some(cases) = &mut endpoint_tests {
        fill_static_params(model, &svc.operations, cases)?;
    }
    let aws_service = traits.get("aws.api#service");
    Ok(Service {
        id: service_id.clone(),
        name: service_name,
        api_version: version.clone(),
        doc_id: aws_service
            .and_then(|v| v.get("docId"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{}-{}", endpoint_prefix, version)),
        sdk_id,
        title: str_trait(traits, "smithy.api#title").map(str::to_owned),
        signing_name,
        endpoint_prefix,
        xml_namespace: xml_namespace(traits).map(|n| n.uri),
        protocols: traits
            .keys()
            .filter(|k| k.starts_with("aws.protocols#"))
            .cloned()
            .collect(),
        operations: ops,
        shapes,
        endpoint_rules,
        endpoint_tests,
        docs: docs(traits),
        omissions: {
            omitted.sort();
            omitted.dedup();
            omitted
        },
    })
}

/// Gives each endpoint test input that names an operation that operation's
/// `staticContextParams`, read from the model (so that a client trimmed with `--operations`
/// still runs every case). An input naming an operation the service does not have keeps none.
fn fill_static_params(
    model: &Model,
    service_ops: &[&String],
    cases: &mut [crate::endpoints::cases::TestCase],
) -> Result<(), Error> {
    for input in cases.iter_mut().flat_map(|c| c.via_built_ins.iter_mut()) {
        let Some(name) = &input.operation else {
            continue;
        };
        let Some(id) = service_ops.iter().find(|id| local_name(id) == name) else {
            continue;
        };
        if let Some(traits) = model.shapes.get(id.as_str()).and_then(model::Shape::traits) {
            input.static_params = context_params::read(model, id, traits, None)?.fixed;
        }
    }
    Ok(())
}

/// The parts of the model's one service shape the build reads.
struct ServiceParts<'m> {
    version: &'m String,
    /// The operations listed on the service and those bound through its resources, each once.
    operations: Vec<&'m String>,
    errors: &'m [model::Target],
    traits: &'m Traits,
}

/// The model's service shape: exactly one.
fn find_service(model: &Model) -> Result<(&ShapeId, ServiceParts<'_>), Error> {
    let mut services = model
        .shapes
        .iter()
        .filter(|(_, s)| matches!(s, model::Shape::Service { .. }) && !s.is_mixin());
    let (service_id, service_shape) = services.next().ok_or(Error::NoService)?;
    if let Some((other, _)) = services.next() {
        return Err(Error::Model {
            shape: other.clone(),
            message: format!(
                "the model has more than one service ({service_id} and {other}); generate one at a time"
            ),
        });
    }
    let model::Shape::Service {
        version,
        operations,
        traits,
        errors,
        resources,
    } = service_shape
    else {
        unreachable!("filtered to services above")
    };
    let operations = bound_operations(model, service_id, operations, resources)?;
    Ok((
        service_id,
        ServiceParts {
            version,
            operations,
            errors,
            traits,
        },
    ))
}

/// The most resources a service may bind, counted over the whole resource tree (AWS's largest
/// binds a few dozen): a model cannot make the walk below unbounded.
pub const MAX_RESOURCES: usize = 10_000;

/// The operations of the service: those it lists, then those its resources bind (lifecycle
/// `create`/`put`/`read`/`update`/`delete`/`list`, `operations`, `collectionOperations`, and
/// those of nested resources), each once. The walk is iterative; a resource bound twice (or in
/// a cycle) is visited once.
fn bound_operations<'m>(
    model: &'m Model,
    service_id: &'m ShapeId,
    operations: &'m [model::Target],
    resources: &'m [model::Target],
) -> Result<Vec<&'m String>, Error> {
    let mut out: Vec<&'m String> = Vec::new();
    let mut seen_ops = BTreeSet::new();
    let mut push = |id: &'m String, out: &mut Vec<&'m String>| {
        if seen_ops.insert(id) {
            out.push(id);
        }
    };
    for t in operations {
        push(&t.target, &mut out);
    }
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(&'m String, &'m String)> = resources
        .iter()
        .rev()
        .map(|r| (&r.target, service_id))
        .collect();
    while let Some((id, parent)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        if seen.len() > MAX_RESOURCES {
            return Err(Error::Model {
                shape: service_id.clone(),
                message: format!("binds more than {MAX_RESOURCES} resources"),
            });
        }
        let Some(model::Shape::Resource {
            create,
            put,
            read,
            update,
            delete,
            list,
            operations,
            collection_operations,
            resources,
            ..
        }) = model.shapes.get(id)
        else {
            return Err(Error::Model {
                shape: parent.clone(),
                message: format!("binds `{id}` as a resource, which is not a resource shape"),
            });
        };
        let lifecycle = [create, put, read, update, delete, list];
        for t in lifecycle.into_iter().flatten() {
            push(&t.target, &mut out);
        }
        for t in operations.iter().chain(collection_operations) {
            push(&t.target, &mut out);
        }
        stack.extend(resources.iter().rev().map(|r| (&r.target, id)));
    }
    Ok(out)
}

/// The names a service goes by: its shape name, SDK id, endpoint prefix and signing name.
struct ServiceNames {
    service_name: String,
    sdk_id: String,
    endpoint_prefix: String,
    signing_name: String,
}

impl ServiceNames {
    fn of(service_id: &ShapeId, traits: &Traits) -> Self {
        let aws_service = traits.get("aws.api#service");
        let service_name = local_name(service_id).to_owned();
        let sdk_id = aws_service
            .and_then(|v| v.get("sdkId"))
            .and_then(Value::as_str)
            .unwrap_or(&service_name)
            .to_owned();
        let endpoint_prefix = aws_service
            .and_then(|v| v.get("endpointPrefix"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| sdk_id.to_ascii_lowercase());
        let signing_name = traits
            .get("aws.auth#sigv4")
            .and_then(|v| v.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| endpoint_prefix.clone());

        ServiceNames {
            service_name,
            sdk_id,
            endpoint_prefix,
            signing_name,
        }
    }
}

/// The service's operations (all, or those `--operations` names), in wire-name order, with their
/// shapes queued for resolution.
fn resolve_operations(
    resolver: &mut Resolver<'_>,
    service_id: &ShapeId,
    svc: &ServiceParts<'_>,
    opts: &BuildOptions,
    omitted: &mut Vec<Omission>,
) -> Result<Vec<Operation>, Error> {
    let service_errors = svc.errors;
    // Operations, in wire-name order.
    let mut op_ids: Vec<&String> = svc.operations.clone();
    op_ids.sort_by_key(|id| local_name(id));
    if let Some(wanted) = &opts.operations {
        for w in wanted {
            if !op_ids.iter().any(|id| local_name(id) == w) {
                return Err(Error::Model {
                    shape: service_id.clone(),
                    message: format!("--operations names `{w}`, which the service does not have"),
                });
            }
        }
        op_ids.retain(|id| wanted.iter().any(|w| w == local_name(id)));
    }

    let mut op_scope = Scope::new();
    for name in naming::RESERVED_CLIENT_METHODS {
        op_scope.reserve(name);
    }
    // `FooBar` and `Foo_Bar` must not both become `FooBar` (their `FooBarInput`s would clash).
    let mut op_type_scope = Scope::new();
    let mut ops = Vec::new();
    for op_id in op_ids {
        let Some(model::Shape::Operation {
            input,
            output,
            errors,
            traits,
        }) = resolver.model.shapes.get(op_id)
        else {
            return Err(Error::Model {
                shape: op_id.clone(),
                message: "listed as an operation of the service but is not an operation shape"
                    .into(),
            });
        };
        let wire_name = local_name(op_id).to_owned();
        let type_name = op_type_scope.claim(naming::type_name(&wire_name));
        let fn_name = op_scope.claim(naming::snake_ident(&wire_name));
        let context_params = context_params::read(
            resolver.model,
            op_id,
            traits,
            input.as_ref().map(|t| t.target.as_str()),
        )?;
        let input = match input {
            Some(t) if t.target != "smithy.api#Unit" => resolver.resolve(&t.target, op_id)?,
            _ => resolver.synthetic_unit(&format!("{op_id}Input")),
        };
        let output = match output {
            Some(t) if t.target != "smithy.api#Unit" => resolver.resolve(&t.target, op_id)?,
            _ => resolver.synthetic_unit(&format!("{op_id}Output")),
        };
        let mut errs = Vec::new();
        for e in errors.iter().chain(service_errors.iter()) {
            let id = resolver.resolve(&e.target, op_id)?;
            if !errs.contains(&id) {
                errs.push(id);
            }
        }
        let (waiters, omitted_waiters) =
            waiters(op_id, traits.get("smithy.waiters#waitable"), omitted)?;
        ops.push(Operation {
            id: op_id.clone(),
            wire_name,
            names: OperationNames::new(&type_name, &fn_name),
            type_name,
            fn_name,
            input,
            output,
            errors: errs,
            docs: docs(traits),
            deprecated: deprecated(traits),
            // Both need the resolved members: `resolve_operation_traits` sets them.
            paginated: None,
            waiters,
            omitted_waiters,
            omitted_paginator: None,
            // Read once the shapes are resolved (`build`).
            examples: Vec::new(),
            host_prefix: None,
            request_compression: traits
                .get("smithy.api#requestCompression")
                .and_then(|v| v.get("encodings"))
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            context_params,
            // Set once the shapes are resolved (`build`).
            output_is_empty: false,
            idempotency_members: Vec::new(),
            // Needs the resolved members: `resolve_operation_traits` sets it.
            http: None,
        });
    }
    Ok(ops)
}

/// Resolves what operation traits name by member: `@paginated` (merged with the service's
/// defaults), `@endpoint(hostPrefix)` and `@http`.
fn resolve_operation_traits(
    model: &Model,
    service_traits: &Traits,
    shapes: &BTreeMap<ShapeId, Shape>,
    ops: &mut [Operation],
    omitted: &mut Vec<Omission>,
) -> Result<(), Error> {
    for op in ops.iter_mut() {
        let Some(model::Shape::Operation { traits, .. }) = model.shapes.get(&op.id) else {
            return Err(Error::Model {
                shape: op.id.clone(),
                message: "is not an operation shape".into(),
            });
        };
        waiter_check::check(op, shapes, omitted);
        // A paginator that cannot be carried (a token that is not a string, a member left
        // out, a name the output lacks) is left out; the operation is still a plain call.
        let names = pagination::names(&op.id, traits, service_traits);
        let paginated = match &names {
            Ok(Some(n)) => pagination::resolve(op, n, shapes).map(Some),
            Ok(None) => Ok(None),
            Err(e) => Err(Error::Model {
                shape: op.id.clone(),
                message: e.to_string(),
            }),
        };
        match paginated {
            Ok(p) => op.paginated = p,
            Err(e) => {
                let reason = match e {
                    Error::Unsupported { what, .. } => what,
                    Error::Model { message, .. } => message,
                    other => other.to_string(),
                };
                let reason = match &names {
                    Ok(Some(n)) => left_out_reason(op, n, shapes),
                    _ => None,
                }
                .unwrap_or(reason);
                op.omitted_paginator = Some(reason.clone());
                omitted.push(Omission {
                    kind: OmissionKind::Paginator,
                    item: op.id.clone(),
                    reason,
                });
            }
        }
        let template = match traits
            .get("smithy.api#endpoint")
            .map(|v| v.get("hostPrefix"))
        {
            None | Some(None) => None,
            Some(Some(Value::String(t))) => Some(t),
            Some(Some(other)) => {
                return Err(Error::Model {
                    shape: op.id.clone(),
                    message: format!("@endpoint hostPrefix must be a string, not {other}"),
                });
            }
        };
        if let Some(template) = template {
            op.host_prefix = host_prefix::resolve(op, template, shapes)?;
        }
        op.http = http::resolve(op, traits, shapes)?;
    }
    Ok(())
}

/// When a paginator names an output member that the IR left out (its items are documents, say),
/// that is the reason to give, not "not a member".
fn left_out_reason(
    op: &Operation,
    names: &pagination::Names,
    shapes: &BTreeMap<ShapeId, Shape>,
) -> Option<String> {
    let omitted = &shapes.get(&op.output)?.omitted_members;
    let m = names
        .output_heads()
        .find_map(|head| omitted.iter().find(|m| m.wire_name == head))?;
    Some(format!(
        "@paginated names the output member `{}`, which is left out: {}",
        m.wire_name, m.reason
    ))
}

/// Resolves every queued shape, checks what the emitters rely on, and decides homes, names,
/// boxing and sensitivity.
fn finish_shapes(
    mut resolver: Resolver<'_>,
    ops: &mut Vec<Operation>,
    omitted: &mut Vec<Omission>,
) -> Result<BTreeMap<ShapeId, Shape>, Error> {
    resolver.drain()?;
    omitted.append(&mut resolver.omitted);
    prune::omit_operations(&mut resolver.shapes, ops, omitted, prune::unsendable);
    check_collections(&resolver.shapes)?;
    check_xml_attributes(&resolver.shapes)?;
    http::check_structures(&resolver.shapes)?;
    let mut shapes = resolver.shapes;
    check_operation_shapes(&shapes, ops)?;
    check_operation_traits(&shapes, ops)?;
    assign_homes_and_names(&mut shapes, ops);
    names::assign(&mut shapes);
    mark_boxed(&mut shapes);
    mark_sensitive_collections(&mut shapes);
    // Each `@pattern` is decided as its shape is resolved (`constraints`); those left unchecked
    // are listed here, once the shapes (after pruning) are known.
    patterns::omissions(&shapes, omitted);
    Ok(shapes)
}

/// The service's endpoint rule set (or the standard regional one) and its tests, parsed into
/// the endpoint IR; a rule set the runtime cannot evaluate is an error here.
fn endpoint_rules(
    traits: &Traits,
    endpoint_prefix: &str,
) -> Result<
    (
        crate::endpoints::ir::RuleSet,
        Option<Vec<crate::endpoints::cases::TestCase>>,
    ),
    Error,
> {
    let fail = |e: crate::endpoints::EndpointGenError| Error::Endpoints(e.to_string());
    let rules = match traits.get("smithy.rules#endpointRuleSet") {
        Some(rules) => crate::endpoints::parse::rule_set(rules),
        None => {
            crate::endpoints::parse::rule_set(&crate::endpoints::default_rule_set(endpoint_prefix))
        }
    }
    .map_err(fail)?;
    let tests = traits
        .get("smithy.rules#endpointTests")
        .map(crate::endpoints::cases::parse)
        .transpose()
        .map_err(fail)?;
    Ok((rules, tests))
}
