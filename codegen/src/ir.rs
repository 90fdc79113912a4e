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
//! [`MAX_EXAMPLE_ENTRIES`]; `crate::MAX_TEST_VALUE_NESTING` bounds protocol test values.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::Error;
use crate::model::{self, Model, Traits};
use crate::naming::{self, Scope};

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
    /// Operations sorted by wire name.
    pub operations: Vec<Operation>,
    /// Every shape the operations reach, by id (sorted).
    pub shapes: BTreeMap<ShapeId, Shape>,
    pub endpoint_rules: Option<Value>,
    pub endpoint_tests: Option<Value>,
    pub docs: Option<String>,
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
    pub input: ShapeId,
    pub output: ShapeId,
    /// Modeled errors: the operation's, then the service's, without duplicates.
    pub errors: Vec<ShapeId>,
    pub docs: Option<String>,
    pub deprecated: Option<Deprecated>,
    pub paginated: Option<Paginated>,
    /// `smithy.waiters#waitable`, in name order.
    pub waiters: Vec<Waiter>,
    pub examples: Vec<Value>,
    /// `@endpoint(hostPrefix: "{Label}.")`
    pub host_prefix: Option<String>,
    /// `@requestCompression(encodings: [...])`
    pub request_compression: Vec<String>,
    pub request_tests: Vec<Value>,
    pub response_tests: Vec<Value>,
}

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

fn waiters(op: &str, v: Option<&Value>) -> Result<Vec<Waiter>, Error> {
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

#[derive(Debug, Clone, Default)]
pub struct Paginated {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub items: Option<String>,
    pub page_size: Option<String>,
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
    pub home: Home,
    pub kind: ShapeKind,
    pub docs: Option<String>,
    pub sensitive: bool,
    pub deprecated: Option<Deprecated>,
    pub constraints: Constraints,
    pub xml_name: Option<String>,
    pub xml_namespace: Option<XmlNamespace>,
    pub response_tests: Vec<Value>,
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
}

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
    /// The error code on the wire (`awsQueryError` code, else the shape name).
    pub code: String,
    pub http_status: Option<u16>,
    /// `client` or `server`
    pub fault: String,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub wire_name: String,
    /// Field / method identifier, possibly raw (`r#type`).
    pub rust_name: String,
    pub target: ShapeId,
    /// `@required`, checked before sending. False for `@clientOptional` members, which the
    /// service requires but clients treat as optional (see `client_optional`).
    pub required: bool,
    /// `@required` together with `@clientOptional`: documented, not checked by the client.
    pub client_optional: bool,
    pub boxed: bool,
    pub xml_name: Option<String>,
    pub xml_flattened: bool,
    pub xml_attribute: bool,
    pub xml_namespace: Option<XmlNamespace>,
    pub timestamp_format: Option<TimestampFormat>,
    pub default: Option<Value>,
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
    pub pattern: Option<String>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        self.length.is_none() && self.range.is_none() && self.pattern.is_none()
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
        let mut seen = BTreeSet::new();
        let mut stack: Vec<ShapeId> = roots.collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            match &self.shape(&id).kind {
                kind @ (ShapeKind::Structure(_) | ShapeKind::Union(_)) => {
                    stack.extend(kind.members().iter().map(|m| m.target.clone()));
                }
                ShapeKind::List(m) => stack.push(m.target.clone()),
                ShapeKind::Map { key, value } => {
                    stack.push(key.target.clone());
                    stack.push(value.target.clone());
                }
                _ => {}
            }
        }
        seen
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
        Some(Value::String(p)) => Some(p.clone()),
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

/// The most entries (list items, map entries, members) any object or array of a documentation
/// example's input may hold. The emitters show an example as one chain of builder calls, one
/// call per entry, which syn and prettyplease handle recursively; wider examples are left out of
/// the docs, as examples that do not fit the model are.
pub const MAX_EXAMPLE_ENTRIES: usize = 64;

/// The most entries any object or array in `v` holds. Iterative.
fn widest(v: &Value) -> usize {
    let mut most = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                most = most.max(m.len());
                stack.extend(m.values());
            }
            Value::Array(a) => {
                most = most.max(a.len());
                stack.extend(a);
            }
            _ => {}
        }
    }
    most
}

/// Resolves the model into the IR for its single awsQuery service.
pub fn build(model: &Model, opts: &BuildOptions) -> Result<Service, Error> {
    let (service_id, svc) = find_service(model)?;
    check_protocol(service_id, svc.traits)?;
    let names = ServiceNames::of(service_id, svc.traits);
    let mut resolver = Resolver {
        model,
        shapes: BTreeMap::new(),
        pending: Vec::new(),
    };
    let mut ops = resolve_operations(&mut resolver, service_id, &svc, opts)?;
    apply_service_pagination(svc.traits, &mut ops);
    let shapes = finish_shapes(resolver, &ops)?;
    let ServiceNames {
        service_name,
        sdk_id,
        endpoint_prefix,
        signing_name,
    } = names;
    let (version, traits) = (svc.version, svc.traits);
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
        operations: ops,
        shapes,
        endpoint_rules: traits.get("smithy.rules#endpointRuleSet").cloned(),
        endpoint_tests: traits.get("smithy.rules#endpointTests").cloned(),
        docs: docs(traits),
    })
}

/// The parts of the model's one service shape the build reads.
struct ServiceParts<'m> {
    version: &'m String,
    operations: &'m [model::Target],
    errors: &'m [model::Target],
    traits: &'m Traits,
}

/// The model's service shape: exactly one, without resources.
fn find_service(model: &Model) -> Result<(&ShapeId, ServiceParts<'_>), Error> {
    let mut services = model
        .shapes
        .iter()
        .filter(|(_, s)| matches!(s, model::Shape::Service { .. }));
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
    if !resources.is_empty() {
        return Err(Error::Unsupported {
            shape: service_id.clone(),
            what: "resources bound to the service (operations must be listed on the service)"
                .into(),
        });
    }
    if !resources.is_empty() {
        return Err(Error::Unsupported {
            shape: service_id.clone(),
            what: "resources bound to the service (operations must be listed on the service)"
                .into(),
        });
    }
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

/// Only awsQuery services are generated.
fn check_protocol(service_id: &ShapeId, traits: &Traits) -> Result<(), Error> {
    let protocols: Vec<&String> = traits
        .keys()
        .filter(|k| k.starts_with("aws.protocols#"))
        .collect();
    if !traits.contains_key("aws.protocols#awsQuery") {
        return Err(Error::Unsupported {
            shape: service_id.clone(),
            what: format!(
                "protocol {}; only aws.protocols#awsQuery is supported",
                if protocols.is_empty() {
                    "(none declared)".to_owned()
                } else {
                    protocols
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        });
    }

    Ok(())
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
) -> Result<Vec<Operation>, Error> {
    let (operations, service_errors) = (svc.operations, svc.errors);
    // Operations, in wire-name order.
    let mut op_ids: Vec<&String> = operations.iter().map(|t| &t.target).collect();
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
        let paginated = traits.get("smithy.api#paginated").map(|p| {
            let get = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
            Paginated {
                input_token: get("inputToken"),
                output_token: get("outputToken"),
                items: get("items"),
                page_size: get("pageSize"),
            }
        });
        let list = |name: &str| -> Vec<Value> {
            traits
                .get(name)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        ops.push(Operation {
            id: op_id.clone(),
            wire_name,
            type_name,
            fn_name,
            input,
            output,
            errors: errs,
            docs: docs(traits),
            deprecated: deprecated(traits),
            paginated,
            waiters: waiters(op_id, traits.get("smithy.waiters#waitable"))?,
            examples: list("smithy.api#examples")
                .into_iter()
                .filter(|ex| {
                    ex.get("input")
                        .is_none_or(|v| widest(v) <= MAX_EXAMPLE_ENTRIES)
                })
                .collect(),
            host_prefix: traits
                .get("smithy.api#endpoint")
                .and_then(|v| v.get("hostPrefix"))
                .and_then(Value::as_str)
                .map(str::to_owned),
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
            request_tests: list("smithy.test#httpRequestTests"),
            response_tests: list("smithy.test#httpResponseTests"),
        });
    }
    Ok(ops)
}

/// Service-level `@paginated` defaults merge into the operations' own.
fn apply_service_pagination(traits: &Traits, ops: &mut [Operation]) {
    if let Some(p) = traits.get("smithy.api#paginated") {
        for op in ops.iter_mut() {
            if let Some(own) = &mut op.paginated {
                let get = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
                own.input_token = own.input_token.take().or_else(|| get("inputToken"));
                own.output_token = own.output_token.take().or_else(|| get("outputToken"));
                own.page_size = own.page_size.take().or_else(|| get("pageSize"));
            }
        }
    }
}

/// Resolves every queued shape, checks what the emitters rely on, and decides homes, names,
/// boxing and sensitivity.
fn finish_shapes(
    mut resolver: Resolver<'_>,
    ops: &[Operation],
) -> Result<BTreeMap<ShapeId, Shape>, Error> {
    resolver.drain()?;
    check_collections(&resolver.shapes)?;
    check_xml_attributes(&resolver.shapes)?;
    let mut shapes = resolver.shapes;
    check_operation_shapes(&shapes, ops)?;
    check_operation_traits(&shapes, ops)?;
    assign_homes_and_names(&mut shapes, ops);
    mark_boxed(&mut shapes);
    mark_sensitive_collections(&mut shapes);

    Ok(shapes)
}

struct Resolver<'m> {
    model: &'m Model,
    shapes: BTreeMap<ShapeId, Shape>,
    pending: Vec<(ShapeId, ShapeId)>,
}

impl Resolver<'_> {
    /// Queues `id` (referenced from `from`) and returns its id.
    fn resolve(&mut self, id: &str, from: &str) -> Result<ShapeId, Error> {
        if !self.model.shapes.contains_key(id) && model::prelude_shape(id).is_none() {
            return Err(Error::Model {
                shape: from.to_owned(),
                message: format!("refers to `{id}`, which the model does not define"),
            });
        }
        if !self.shapes.contains_key(id) {
            self.pending.push((id.to_owned(), from.to_owned()));
        }
        Ok(id.to_owned())
    }

    fn synthetic_unit(&mut self, id: &str) -> ShapeId {
        self.shapes.insert(
            id.to_owned(),
            Shape {
                id: id.to_owned(),
                rust_name: String::new(),
                home: Home::Types,
                kind: ShapeKind::Structure(Structure {
                    members: Vec::new(),
                    error: None,
                }),
                docs: None,
                sensitive: false,
                deprecated: None,
                constraints: Constraints::default(),
                xml_name: None,
                xml_namespace: None,
                response_tests: Vec::new(),
            },
        );
        id.to_owned()
    }

    fn drain(&mut self) -> Result<(), Error> {
        while let Some((id, from)) = self.pending.pop() {
            if self.shapes.contains_key(&id) {
                continue;
            }
            let prelude;
            let raw = match self.model.shapes.get(&id) {
                Some(s) => s,
                None => {
                    prelude = model::prelude_shape(&id).ok_or_else(|| Error::Model {
                        shape: from.clone(),
                        message: format!("refers to `{id}`, which the model does not define"),
                    })?;
                    &prelude
                }
            };
            let shape = self.convert(&id, raw)?;
            self.shapes.insert(id, shape);
        }
        Ok(())
    }

    fn member(&mut self, owner: &str, name: &str, m: &model::Member) -> Result<Member, Error> {
        let member_id = format!("{owner}${name}");
        let target = self.resolve(&m.target, &member_id)?;
        let t = &m.traits;
        let prelude = model::prelude_shape(&m.target);
        let target_shape = self.model.shapes.get(&m.target).or(prelude.as_ref());
        let target_traits = self.model.shapes.get(&m.target).and_then(|s| s.traits());
        let target_sensitive =
            target_traits.is_some_and(|tr| tr.contains_key("smithy.api#sensitive"));
        let target_timestamp_format =
            target_traits.and_then(|tr| str_trait(tr, "smithy.api#timestampFormat"));
        Ok(Member {
            wire_name: name.to_owned(),
            rust_name: naming::snake_ident(name),
            target,
            required: t.contains_key("smithy.api#required")
                && !t.contains_key("smithy.api#clientOptional"),
            client_optional: t.contains_key("smithy.api#required")
                && t.contains_key("smithy.api#clientOptional"),
            boxed: false,
            xml_name: str_trait(t, "smithy.api#xmlName").map(str::to_owned),
            xml_flattened: t.contains_key("smithy.api#xmlFlattened"),
            xml_attribute: t.contains_key("smithy.api#xmlAttribute"),
            xml_namespace: xml_namespace(t),
            timestamp_format: match str_trait(t, "smithy.api#timestampFormat")
                .or(target_timestamp_format)
            {
                None => None,
                Some(text) => Some(TimestampFormat::parse(text).ok_or_else(|| Error::Model {
                    shape: member_id.clone(),
                    message: format!(
                        "@timestampFormat `{text}` is not date-time, epoch-seconds or http-date"
                    ),
                })?),
            },
            default: t.get("smithy.api#default").cloned(),
            docs: docs(t),
            sensitive: target_sensitive || t.contains_key("smithy.api#sensitive"),
            idempotency_token: t.contains_key("smithy.api#idempotencyToken"),
            host_label: t.contains_key("smithy.api#hostLabel"),
            deprecated: deprecated(t),
            constraints: constraints(&member_id, t, target_shape)?,
        })
    }

    fn convert(&mut self, id: &str, raw: &model::Shape) -> Result<Shape, Error> {
        use model::Shape as M;
        let unsupported = |what: &str| Error::Unsupported {
            shape: id.to_owned(),
            what: what.to_owned(),
        };
        let traits = raw.traits().cloned().unwrap_or_default();
        let kind = match raw {
            M::Structure { members, traits } => {
                let mut scope = Scope::new();
                for name in naming::RESERVED_MEMBER_NAMES {
                    scope.reserve(name);
                }
                if traits.contains_key("smithy.api#error") {
                    scope.reserve(naming::ERROR_META_FIELD);
                }
                let mut out = Vec::new();
                for (name, m) in members {
                    let mut member = self.member(id, name, m)?;
                    // Each member also gets a `set_<name>` method.
                    member.rust_name = scope.claim_with(member.rust_name, |n| format!("set_{n}"));
                    out.push(member);
                }
                let error = traits.get("smithy.api#error").map(|fault| {
                    let query = traits.get("aws.protocols#awsQueryError");
                    ErrorInfo {
                        code: query
                            .and_then(|q| q.get("code"))
                            .and_then(Value::as_str)
                            .unwrap_or_else(|| local_name(id))
                            .to_owned(),
                        http_status: query
                            .and_then(|q| q.get("httpResponseCode"))
                            .or_else(|| traits.get("smithy.api#httpError"))
                            .and_then(Value::as_u64)
                            .and_then(|n| u16::try_from(n).ok()),
                        fault: fault.as_str().unwrap_or("client").to_owned(),
                    }
                });
                ShapeKind::Structure(Structure {
                    members: out,
                    error,
                })
            }
            M::Union { members, traits } => {
                if traits.contains_key("smithy.api#streaming") {
                    return Err(unsupported(
                        "event streams (@streaming unions; awsQuery bodies are form-encoded)",
                    ));
                }
                if members.is_empty() {
                    return Err(Error::Model {
                        shape: id.to_owned(),
                        message: "a union needs at least one member".into(),
                    });
                }
                // `is_unknown` is generated next to `is_<member>`/`as_<member>`, and the
                // `Unknown` variant next to the members' variants.
                let mut fns = Scope::new();
                fns.reserve("unknown");
                let mut variants_scope = Scope::new();
                variants_scope.reserve("Unknown");
                let (mut out, mut variants) = (Vec::new(), Vec::new());
                for (name, m) in members {
                    let member_id = format!("{id}${name}");
                    let unsupported_member = |what: &str| Error::Unsupported {
                        shape: member_id.clone(),
                        what: what.to_owned(),
                    };
                    if m.target == "smithy.api#Unit" {
                        // A unit member has no value, so awsQuery would send nothing for it and
                        // the service could not tell which member was chosen.
                        return Err(unsupported_member(
                            "a union member targeting smithy.api#Unit (awsQuery cannot send it)",
                        ));
                    }
                    if m.traits.contains_key("smithy.api#xmlAttribute") {
                        return Err(unsupported_member("@xmlAttribute on a union member"));
                    }
                    if m.traits.contains_key("smithy.api#xmlFlattened") {
                        return Err(unsupported_member("@xmlFlattened on a union member"));
                    }
                    let mut member = self.member(id, name, m)?;
                    // Exactly one member is set by construction; `@required` means nothing here.
                    member.required = false;
                    member.client_optional = false;
                    member.rust_name = fns.claim(member.rust_name);
                    variants.push(variants_scope.claim(naming::variant_name(name)));
                    out.push(member);
                }
                ShapeKind::Union(Union {
                    members: out,
                    variants,
                })
            }
            M::List { member, .. } | M::Set { member, .. } => {
                ShapeKind::List(Box::new(self.member(id, "member", member)?))
            }
            M::Map { key, value, .. } => ShapeKind::Map {
                key: Box::new(self.member(id, "key", key)?),
                value: Box::new(self.member(id, "value", value)?),
            },
            M::Enum { members, .. } => {
                let mut scope = Scope::new();
                scope.reserve("Unknown");
                let mut variants = Vec::new();
                for (name, m) in members {
                    let value = match m.traits.get("smithy.api#enumValue") {
                        None => name.clone(),
                        Some(Value::String(s)) => s.clone(),
                        Some(other) => {
                            return Err(Error::Model {
                                shape: format!("{id}${name}"),
                                message: format!("enumValue must be a string, found {other}"),
                            });
                        }
                    };
                    if variants.iter().any(|v: &EnumVariant| v.value == value) {
                        return Err(Error::Model {
                            shape: format!("{id}${name}"),
                            message: format!("enum value `{value}` is used twice"),
                        });
                    }
                    variants.push(EnumVariant {
                        rust_name: scope.claim(naming::variant_name(name)),
                        value,
                        docs: docs(&m.traits),
                        deprecated: deprecated(&m.traits),
                    });
                }
                ShapeKind::Enum(variants)
            }
            M::IntEnum { members, .. } => {
                let mut scope = Scope::new();
                scope.reserve("Unknown");
                let mut variants = Vec::new();
                for (name, m) in members {
                    let value = m
                        .traits
                        .get("smithy.api#enumValue")
                        .and_then(Value::as_i64)
                        .and_then(|n| i32::try_from(n).ok())
                        .ok_or_else(|| Error::Model {
                            shape: format!("{id}${name}"),
                            message: "intEnum member needs an integer enumValue (32 bits)".into(),
                        })?;
                    let value = i64::from(value);
                    if variants.iter().any(|v: &IntEnumVariant| v.value == value) {
                        return Err(Error::Model {
                            shape: format!("{id}${name}"),
                            message: format!("intEnum value {value} is used twice"),
                        });
                    }
                    variants.push(IntEnumVariant {
                        rust_name: scope.claim(naming::variant_name(name)),
                        value,
                        docs: docs(&m.traits),
                    });
                }
                ShapeKind::IntEnum(variants)
            }
            M::String { traits } => {
                if traits.contains_key("smithy.api#enum") {
                    return Err(unsupported(
                        "Smithy 1.0 `@enum` strings (convert the model to 2.0 enum shapes)",
                    ));
                }
                ShapeKind::String
            }
            M::Blob { traits } if traits.contains_key("smithy.api#streaming") => {
                return Err(unsupported(
                    "streaming blobs (awsQuery bodies are form-encoded)",
                ));
            }
            M::Blob { .. } => ShapeKind::Blob,
            M::Boolean { .. } => ShapeKind::Boolean,
            M::Byte { .. } => ShapeKind::Byte,
            M::Short { .. } => ShapeKind::Short,
            M::Integer { .. } => ShapeKind::Integer,
            M::Long { .. } => ShapeKind::Long,
            M::Float { .. } => ShapeKind::Float,
            M::Double { .. } => ShapeKind::Double,
            M::Timestamp { .. } => ShapeKind::Timestamp,
            M::BigInteger { .. } => return Err(unsupported("bigInteger shapes")),
            M::BigDecimal { .. } => return Err(unsupported("bigDecimal shapes")),
            M::Document { .. } => {
                return Err(unsupported(
                    "document shapes (not serializable in awsQuery)",
                ));
            }
            M::Operation { .. } | M::Service { .. } | M::Resource { .. } => {
                return Err(Error::Model {
                    shape: id.to_owned(),
                    message: "is used as a data type but is an operation, service or resource"
                        .into(),
                });
            }
        };
        Ok(Shape {
            id: id.to_owned(),
            rust_name: String::new(),
            home: Home::Types,
            kind,
            docs: docs(&traits),
            sensitive: traits.contains_key("smithy.api#sensitive"),
            deprecated: deprecated(&traits),
            constraints: constraints(id, &traits, Some(raw))?,
            xml_name: str_trait(&traits, "smithy.api#xmlName").map(str::to_owned),
            xml_namespace: xml_namespace(&traits),
            response_tests: traits
                .get("smithy.test#httpResponseTests")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        })
    }
}

/// Checks what the runtime relies on for `@endpoint(hostPrefix)`, `@hostLabel` and
/// `@idempotencyToken`: every placeholder of a host prefix names a `@hostLabel` string member of
/// the input, and idempotency tokens are strings.
fn check_operation_traits(
    shapes: &BTreeMap<ShapeId, Shape>,
    ops: &[Operation],
) -> Result<(), Error> {
    let is_string = |id: &str| matches!(shapes.get(id).map(|s| &s.kind), Some(ShapeKind::String));
    for op in ops {
        let Some(Shape {
            kind: ShapeKind::Structure(input),
            ..
        }) = shapes.get(&op.input)
        else {
            continue;
        };
        for m in &input.members {
            if m.idempotency_token && !is_string(&m.target) {
                return Err(Error::Model {
                    shape: format!("{}${}", op.input, m.wire_name),
                    message: format!("@idempotencyToken must target a string, not `{}`", m.target),
                });
            }
        }
        let Some(template) = &op.host_prefix else {
            continue;
        };
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(Error::Model {
                    shape: op.id.clone(),
                    message: format!("hostPrefix `{template}` has an unclosed `{{`"),
                });
            };
            let label = &after[..close];
            let member = input.members.iter().find(|m| m.wire_name == label);
            match member {
                Some(m) if m.host_label && is_string(&m.target) => {}
                Some(m) if !m.host_label => {
                    return Err(Error::Model {
                        shape: op.id.clone(),
                        message: format!(
                            "hostPrefix `{template}` uses `{label}`, which lacks @hostLabel"
                        ),
                    });
                }
                Some(m) => {
                    return Err(Error::Model {
                        shape: op.id.clone(),
                        message: format!(
                            "host label `{label}` must target a string, not `{}`",
                            m.target
                        ),
                    });
                }
                None => {
                    return Err(Error::Model {
                        shape: op.id.clone(),
                        message: format!(
                            "hostPrefix `{template}` uses `{label}`, which is not a member of {}",
                            op.input
                        ),
                    });
                }
            }
            rest = &after[close + 1..];
        }
    }
    Ok(())
}

/// Decides where each named type lives and its Rust name. Operation inputs and outputs used by
/// exactly one operation (and nowhere else) become `<Op>Input` / `<Op>Output` in that operation's
/// module, as in AWS's SDKs; errors go to `types::error`; everything else to `types`.
fn assign_homes_and_names(shapes: &mut BTreeMap<ShapeId, Shape>, ops: &[Operation]) {
    let mut member_refs: BTreeMap<ShapeId, usize> = BTreeMap::new();
    for s in shapes.values() {
        let targets: Vec<&ShapeId> = match &s.kind {
            ShapeKind::Structure(_) | ShapeKind::Union(_) => {
                s.kind.members().iter().map(|m| &m.target).collect()
            }
            ShapeKind::List(m) => vec![&m.target],
            ShapeKind::Map { key, value } => vec![&key.target, &value.target],
            _ => vec![],
        };
        for t in targets {
            *member_refs.entry(t.clone()).or_default() += 1;
        }
    }
    let mut io_refs: BTreeMap<ShapeId, usize> = BTreeMap::new();
    for op in ops {
        *io_refs.entry(op.input.clone()).or_default() += 1;
        *io_refs.entry(op.output.clone()).or_default() += 1;
    }
    let mut types_scope = Scope::new();
    // Operation modules hold `<Op>Input`, `<Op>Output`, `<Op>Error`; reserve those so a model
    // shape that happens to be called `FooInput` cannot shadow them through a glob import.
    for op in ops {
        for suffix in ["Input", "Output", "Error", "FluentBuilder", "Paginator"] {
            types_scope.reserve(&format!("{}{suffix}", op.type_name));
        }
    }
    for op in ops {
        for (id, suffix) in [(&op.input, "Input"), (&op.output, "Output")] {
            let exclusive = io_refs.get(id) == Some(&1) && !member_refs.contains_key(id);
            if let Some(s) = shapes.get_mut(id)
                && exclusive
                && matches!(s.kind, ShapeKind::Structure(_))
            {
                s.home = Home::Operation(op.fn_name.clone());
                s.rust_name = format!("{}{suffix}", op.type_name);
            }
        }
    }
    for s in shapes.values_mut() {
        if !s.rust_name.is_empty() {
            continue;
        }
        if matches!(&s.kind, ShapeKind::Structure(st) if st.error.is_some()) {
            s.home = Home::Error;
        }
        let name = naming::type_name(local_name(&s.id));
        s.rust_name = if matches!(s.kind, ShapeKind::Map { .. }) {
            // A map's entries are read by `de_entry_<map>`, which must not be `de_<EntryMap>`.
            types_scope.claim_with(name, |n| format!("Entry{n}"))
        } else {
            types_scope.claim(name)
        };
    }
}

/// The most lists and maps that may nest directly inside each other (`Vec<Vec<...>>`). Emitters
/// render a collection's type (and its prose) by recursing into its items; this limit, with the
/// rejection of collections that contain themselves, bounds that recursion whatever the model.
/// Every other walk over the shape graph is iterative.
pub const MAX_COLLECTION_NESTING: usize = 32;

/// Lists and maps must not contain themselves without a structure or union in between (Smithy forbids
/// it, and such a value could never be written down), nest at most [`MAX_COLLECTION_NESTING`]
/// levels deep, and have string (or enum) keys. Iterative: the model decides no recursion depth.
fn check_collections(shapes: &BTreeMap<ShapeId, Shape>) -> Result<(), Error> {
    let kind = |id: &str| shapes.get(id).map(|s| &s.kind);
    let is_collection =
        |id: &str| matches!(kind(id), Some(ShapeKind::List(_) | ShapeKind::Map { .. }));
    for (id, shape) in shapes {
        if let ShapeKind::Map { key, .. } = &shape.kind
            && !matches!(
                kind(&key.target),
                Some(ShapeKind::String | ShapeKind::Enum(_))
            )
        {
            return Err(Error::Model {
                shape: format!("{id}$key"),
                message: format!(
                    "a map key must target a string or enum shape, not `{}`",
                    key.target
                ),
            });
        }
    }
    // The collections a collection's values directly hold.
    let inner = |id: &str| -> Vec<&str> {
        let targets: Vec<&str> = match kind(id) {
            Some(ShapeKind::List(m)) => vec![&m.target],
            Some(ShapeKind::Map { key, value }) => vec![&key.target, &value.target],
            _ => Vec::new(),
        };
        targets.into_iter().filter(|t| is_collection(t)).collect()
    };
    // Depth-first, with an explicit stack: `depth` holds finished collections and how many
    // levels they nest (a list of strings: 1); `path` the collections being explored, each with
    // its inner collections and how many of those are done.
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    for start in shapes
        .keys()
        .map(String::as_str)
        .filter(|id| is_collection(id))
    {
        if depth.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&str, Vec<&str>, usize)> = vec![(start, inner(start), 0)];
        let mut on_path: BTreeSet<&str> = BTreeSet::from([start]);
        while let Some((id, children, done)) = path.last_mut() {
            let Some(&child) = children.get(*done) else {
                let d = 1 + children
                    .iter()
                    .filter_map(|c| depth.get(c))
                    .max()
                    .unwrap_or(&0);
                depth.insert(*id, d);
                on_path.remove(*id);
                path.pop();
                continue;
            };
            *done += 1;
            if depth.contains_key(child) {
                continue;
            }
            if on_path.contains(child) {
                let mut cycle: Vec<&str> = path
                    .iter()
                    .map(|(p, ..)| *p)
                    .skip_while(|p| *p != child)
                    .collect();
                // Name the cycle from its first shape in id order, so the error is stable.
                let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
                cycle.rotate_left(first);
                let what = match kind(cycle[0]) {
                    Some(ShapeKind::Map { .. }) => "map",
                    _ => "list",
                };
                let chain = cycle
                    .iter()
                    .chain(cycle.first())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" -> ");
                return Err(Error::Model {
                    shape: cycle[0].to_owned(),
                    message: format!(
                        "a {what} that contains itself without passing through a structure or \
                         union ({chain}), which Smithy does not allow"
                    ),
                });
            }
            on_path.insert(child);
            path.push((child, inner(child), 0));
        }
    }
    // The deepest first (by id among equals), so the error names the outermost collection.
    if let Some((id, d)) = depth
        .iter()
        .filter(|(_, d)| **d > MAX_COLLECTION_NESTING)
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
    {
        return Err(Error::Model {
            shape: (*id).to_owned(),
            message: format!(
                "lists and maps nested {d} levels deep directly inside each other; the \
                 generator supports at most {MAX_COLLECTION_NESTING} (a structure or union in \
                 between resets the count)"
            ),
        });
    }
    Ok(())
}

/// `@xmlAttribute` only fits members whose value is text.
fn check_xml_attributes(shapes: &BTreeMap<ShapeId, Shape>) -> Result<(), Error> {
    for (id, shape) in shapes {
        let ShapeKind::Structure(st) = &shape.kind else {
            continue;
        };
        for m in st.members.iter().filter(|m| m.xml_attribute) {
            let aggregate = matches!(
                shapes.get(&m.target).map(|t| &t.kind),
                Some(
                    ShapeKind::Structure(_)
                        | ShapeKind::Union(_)
                        | ShapeKind::List(_)
                        | ShapeKind::Map { .. }
                )
            );
            if aggregate {
                return Err(Error::Unsupported {
                    shape: format!("{id}${}", m.wire_name),
                    what: "@xmlAttribute on a structure, union, list or map member".into(),
                });
            }
        }
    }
    Ok(())
}

/// A structure or union member whose value holds sensitive data anywhere inside a list or map
/// of it (a list of `@sensitive` strings, a map with sensitive values) is redacted in `Debug` as
/// a whole.
fn mark_sensitive_collections(shapes: &mut BTreeMap<ShapeId, Shape>) {
    // Whether `start`, or anything a list or map of it holds (through lists and maps), is
    // sensitive. Iterative.
    fn deep(shapes: &BTreeMap<ShapeId, Shape>, start: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(shape) = shapes.get(id) else {
                continue;
            };
            if shape.sensitive {
                return true;
            }
            let members: Vec<&Member> = match &shape.kind {
                ShapeKind::List(m) => vec![m],
                ShapeKind::Map { key, value } => vec![key, value],
                _ => Vec::new(),
            };
            for m in members {
                if m.sensitive {
                    return true;
                }
                stack.push(&m.target);
            }
        }
        false
    }
    let mut marks = Vec::new();
    for (id, shape) in shapes.iter() {
        for (i, m) in shape.kind.members().iter().enumerate() {
            let collection = matches!(
                shapes.get(&m.target).map(|t| &t.kind),
                Some(ShapeKind::List(_) | ShapeKind::Map { .. })
            );
            if !m.sensitive && collection && deep(shapes, &m.target) {
                marks.push((id.clone(), i));
            }
        }
    }
    for (id, i) in marks {
        if let Some(m) = shapes
            .get_mut(&id)
            .and_then(|s| s.kind.members_mut().nth(i))
        {
            m.sensitive = true;
        }
    }
}

/// Marks structure and union members that close a cycle of structures and unions (`A { b: B }`,
/// `B { a: A }`) as boxed: a member whose structure or union target reaches back to its owner
/// through structures and unions, that is, lies in the owner's strongly connected component. Lists and maps already allocate, so
/// cycles through them need nothing. Tarjan's algorithm with an explicit stack: linear, and no
/// recursion as deep as the model's chains of structures.
fn mark_boxed(shapes: &mut BTreeMap<ShapeId, Shape>) {
    let ids: Vec<&ShapeId> = shapes
        .iter()
        .filter(|(_, s)| matches!(s.kind, ShapeKind::Structure(_) | ShapeKind::Union(_)))
        .map(|(id, _)| id)
        .collect();
    let position: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = ids
        .iter()
        .map(|id| match shapes.get(*id) {
            Some(s) => s
                .kind
                .members()
                .iter()
                .filter_map(|m| position.get(m.target.as_str()).copied())
                .collect(),
            None => Vec::new(),
        })
        .collect();
    let n = ids.len();
    let unvisited = usize::MAX;
    // Tarjan's bookkeeping: discovery index, lowest index reachable, component of each node.
    let (mut index, mut low) = (vec![unvisited; n], vec![0; n]);
    let mut component = vec![unvisited; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let (mut next_index, mut components) = (0, 0);
    for root in 0..n {
        if index[root] != unvisited {
            continue;
        }
        // The nodes being explored, each with how many of its edges are done.
        let mut calls: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, done)) = calls.last() {
            if let Some(&w) = edges[v].get(done) {
                if let Some(top) = calls.last_mut() {
                    top.1 += 1;
                }
                if index[w] == unvisited {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    let mut to_box = Vec::new();
    for (v, targets) in edges.iter().enumerate() {
        for &w in targets {
            if component[v] == component[w] {
                to_box.push((ids[v].clone(), ids[w].clone()));
            }
        }
    }
    for (id, target) in to_box {
        if let Some(shape) = shapes.get_mut(&id) {
            for m in shape.kind.members_mut().filter(|m| m.target == target) {
                m.boxed = true;
            }
        }
    }
}
