//! The resolved intermediate representation the emitters work from.
//!
//! `build` turns a parsed [`model::Model`] into a [`Service`]: every shape reference resolved (the
//! prelude included), only the shapes the chosen operations reach, Rust names decided once (via
//! `naming`) next to the wire names, recursion broken with `Box`, and unsupported features reported
//! as errors that name the shape and what is unsupported.

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
    /// `success`, `failure` or `retry`
    pub state: String,
    pub matcher: Matcher,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Matcher {
    Output {
        path: String,
        expected: String,
        comparator: String,
    },
    InputOutput {
        path: String,
        expected: String,
        comparator: String,
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
        let mut acceptors = Vec::new();
        for (i, a) in w
            .get("acceptors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let state = a
                .get("state")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if !["success", "failure", "retry"].contains(&state.as_str()) {
                return Err(bad(format!(
                    "waiter {name}: acceptor {i} has state `{state}`"
                )));
            }
            let m = a
                .get("matcher")
                .ok_or_else(|| bad(format!("waiter {name}: acceptor {i} has no matcher")))?;
            let path_matcher = |key: &str| -> Result<Option<(String, String, String)>, Error> {
                let Some(p) = m.get(key) else { return Ok(None) };
                let get = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
                match (get("path"), get("expected"), get("comparator")) {
                    (Some(path), Some(expected), Some(cmp))
                        if [
                            "stringEquals",
                            "booleanEquals",
                            "allStringEquals",
                            "anyStringEquals",
                        ]
                        .contains(&cmp.as_str()) =>
                    {
                        Ok(Some((path, expected, cmp)))
                    }
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
    pub timestamp_format: Option<String>,
    pub default: Option<Value>,
    pub docs: Option<String>,
    pub sensitive: bool,
    pub idempotency_token: bool,
    pub host_label: bool,
    pub deprecated: Option<Deprecated>,
    /// Constraints declared on the member itself (the target's are on the target shape).
    pub constraints: Constraints,
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
                ShapeKind::Structure(s) => stack.extend(s.members.iter().map(|m| m.target.clone())),
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

fn docs(traits: &Traits) -> Option<String> {
    str_trait(traits, "smithy.api#documentation").map(str::to_owned)
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

fn constraints(shape: &str, traits: &Traits) -> Result<Constraints, Error> {
    let bound = |v: &Value, key: &str| -> Result<Option<f64>, Error> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(n) => n.as_f64().map(Some).ok_or_else(|| Error::Model {
                shape: shape.to_owned(),
                message: format!("`{key}` of a length/range trait is not a number: {n}"),
            }),
        }
    };
    let mut c = Constraints::default();
    if let Some(v) = traits.get("smithy.api#length") {
        let min = bound(v, "min")?.map(|n| n as u64);
        let max = bound(v, "max")?.map(|n| n as u64);
        c.length = Some((min, max));
    }
    if let Some(v) = traits.get("smithy.api#range") {
        c.range = Some((bound(v, "min")?, bound(v, "max")?));
    }
    c.pattern = str_trait(traits, "smithy.api#pattern").map(str::to_owned);
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

/// Resolves the model into the IR for its single awsQuery service.
pub fn build(model: &Model, opts: &BuildOptions) -> Result<Service, Error> {
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
        errors: service_errors,
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

    let mut resolver = Resolver {
        model,
        shapes: BTreeMap::new(),
        pending: Vec::new(),
    };

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
        }) = model.shapes.get(op_id)
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
            examples: list("smithy.api#examples"),
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
    // Service-level paginated defaults merge into operations.
    if let Some(p) = traits.get("smithy.api#paginated") {
        for op in &mut ops {
            if let Some(own) = &mut op.paginated {
                let get = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_owned);
                own.input_token = own.input_token.take().or_else(|| get("inputToken"));
                own.output_token = own.output_token.take().or_else(|| get("outputToken"));
                own.page_size = own.page_size.take().or_else(|| get("pageSize"));
            }
        }
    }

    resolver.drain()?;
    check_xml_attributes(&resolver.shapes)?;
    let mut shapes = resolver.shapes;
    check_operation_shapes(&shapes, &ops)?;
    check_operation_traits(&shapes, &ops)?;
    assign_homes_and_names(&mut shapes, &ops);
    mark_boxed(&mut shapes);
    mark_sensitive_collections(&mut shapes);

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
            timestamp_format: str_trait(t, "smithy.api#timestampFormat")
                .or(target_timestamp_format)
                .map(str::to_owned),
            default: t.get("smithy.api#default").cloned(),
            docs: docs(t),
            sensitive: target_sensitive || t.contains_key("smithy.api#sensitive"),
            idempotency_token: t.contains_key("smithy.api#idempotencyToken"),
            host_label: t.contains_key("smithy.api#hostLabel"),
            deprecated: deprecated(t),
            constraints: constraints(&member_id, t)?,
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
            M::Union { .. } => {
                return Err(unsupported("union shapes (not used by awsQuery services)"));
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
            constraints: constraints(id, &traits)?,
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
            ShapeKind::Structure(st) => st.members.iter().map(|m| &m.target).collect(),
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

/// `@xmlAttribute` only fits members whose value is text.
fn check_xml_attributes(shapes: &BTreeMap<ShapeId, Shape>) -> Result<(), Error> {
    for (id, shape) in shapes {
        let ShapeKind::Structure(st) = &shape.kind else {
            continue;
        };
        for m in st.members.iter().filter(|m| m.xml_attribute) {
            let aggregate = matches!(
                shapes.get(&m.target).map(|t| &t.kind),
                Some(ShapeKind::Structure(_) | ShapeKind::List(_) | ShapeKind::Map { .. })
            );
            if aggregate {
                return Err(Error::Unsupported {
                    shape: format!("{id}${}", m.wire_name),
                    what: "@xmlAttribute on a structure, list or map member".into(),
                });
            }
        }
    }
    Ok(())
}

/// A member whose value holds sensitive data anywhere inside a list or map of it (a list of
/// `@sensitive` strings, a map with sensitive values) is redacted in `Debug` as a whole.
fn mark_sensitive_collections(shapes: &mut BTreeMap<ShapeId, Shape>) {
    fn deep(shapes: &BTreeMap<ShapeId, Shape>, id: &str, seen: &mut BTreeSet<ShapeId>) -> bool {
        if !seen.insert(id.to_owned()) {
            return false;
        }
        let Some(shape) = shapes.get(id) else {
            return false;
        };
        shape.sensitive
            || match &shape.kind {
                ShapeKind::List(m) => m.sensitive || deep(shapes, &m.target, seen),
                ShapeKind::Map { key, value } => {
                    key.sensitive
                        || value.sensitive
                        || deep(shapes, &key.target, seen)
                        || deep(shapes, &value.target, seen)
                }
                _ => false,
            }
    }
    let mut marks = Vec::new();
    for (id, shape) in shapes.iter() {
        if let ShapeKind::Structure(st) = &shape.kind {
            for (i, m) in st.members.iter().enumerate() {
                let collection = matches!(
                    shapes.get(&m.target).map(|t| &t.kind),
                    Some(ShapeKind::List(_) | ShapeKind::Map { .. })
                );
                if !m.sensitive && collection && deep(shapes, &m.target, &mut BTreeSet::new()) {
                    marks.push((id.clone(), i));
                }
            }
        }
    }
    for (id, i) in marks {
        if let Some(Shape {
            kind: ShapeKind::Structure(st),
            ..
        }) = shapes.get_mut(&id)
        {
            st.members[i].sensitive = true;
        }
    }
}

/// Marks structure members that close a cycle of structures (`A { b: B }`, `B { a: A }`) as
/// boxed. Lists and maps already allocate, so cycles through them need nothing.
fn mark_boxed(shapes: &mut BTreeMap<ShapeId, Shape>) {
    let edges: BTreeMap<ShapeId, Vec<ShapeId>> = shapes
        .iter()
        .filter_map(|(id, s)| match &s.kind {
            ShapeKind::Structure(st) => Some((
                id.clone(),
                st.members
                    .iter()
                    .filter(|m| {
                        matches!(
                            shapes.get(&m.target).map(|t| &t.kind),
                            Some(ShapeKind::Structure(_))
                        )
                    })
                    .map(|m| m.target.clone())
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let reaches = |from: &ShapeId, to: &ShapeId| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            if &n == to {
                return true;
            }
            if seen.insert(n.clone())
                && let Some(next) = edges.get(&n)
            {
                stack.extend(next.iter().cloned());
            }
        }
        false
    };
    let mut to_box = Vec::new();
    for (id, targets) in &edges {
        for t in targets {
            if reaches(t, id) {
                to_box.push((id.clone(), t.clone()));
            }
        }
    }
    for (id, target) in to_box {
        if let Some(Shape {
            kind: ShapeKind::Structure(st),
            ..
        }) = shapes.get_mut(&id)
        {
            for m in st.members.iter_mut().filter(|m| m.target == target) {
                m.boxed = true;
            }
        }
    }
}
