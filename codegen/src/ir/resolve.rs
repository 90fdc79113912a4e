//! Resolves shapes reachable from the operations into IR shapes.

use super::*;

pub(super) struct Resolver<'m> {
    pub(super) model: &'m Model,
    pub(super) shapes: BTreeMap<ShapeId, Shape>,
    pub(super) pending: Vec<(ShapeId, ShapeId)>,
    /// Members left out because their targets cannot be carried yet.
    pub(super) omitted: Vec<Omission>,
}

/// Why a value of shape `id` cannot be carried by the IR yet, if it cannot: big numbers and event streams (directly, or as what a list or map holds), and unions of only
/// those. Collections are followed iteratively, at most [`MAX_COLLECTION_NESTING`] deep.
pub(super) fn uncarried(model: &Model, id: &str) -> Option<&'static str> {
    if let Some(why) = uncarried_value(model, id) {
        return Some(why);
    }
    // A union none of whose members can be carried (a `{json: Document}` schema) has no value
    // the IR can hold either. Only direct members are looked at: no recursion.
    match model.shapes.get(id) {
        Some(model::Shape::Union { members, .. })
            if !members.is_empty()
                && members.iter().all(|(_, m)| {
                    m.target == "smithy.api#Unit" || uncarried_value(model, &m.target).is_some()
                }) =>
        {
            Some("no member of its union can be carried yet")
        }
        _ => None,
    }
}

/// [`uncarried`] for values that are not unions of uncarried members.
fn uncarried_value(model: &Model, id: &str) -> Option<&'static str> {
    use model::Shape as M;
    let mut id = id.to_owned();
    for _ in 0..=MAX_COLLECTION_NESTING {
        let prelude;
        let shape = match model.shapes.get(&id) {
            Some(s) => s,
            None => {
                prelude = model::prelude_shape(&id)?;
                &prelude
            }
        };
        return match shape {
            M::BigInteger { .. } => Some("bigInteger values are not supported yet"),
            M::BigDecimal { .. } => Some("bigDecimal values are not supported yet"),
            M::Union { traits, .. } if traits.contains_key("smithy.api#streaming") => {
                Some(super::prune::EVENT_STREAM)
            }
            M::List { member, .. } | M::Set { member, .. } => {
                id = member.target.clone();
                continue;
            }
            M::Map { value, .. } => {
                id = value.target.clone();
                continue;
            }
            _ => None,
        };
    }
    // Deeper than any collection may nest: `check_collections` reports it.
    None
}

impl Resolver<'_> {
    /// Queues `id` (referenced from `from`) and returns its id.
    pub(super) fn resolve(&mut self, id: &str, from: &str) -> Result<ShapeId, Error> {
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

    pub(super) fn synthetic_unit(&mut self, id: &str) -> ShapeId {
        self.shapes.insert(
            id.to_owned(),
            Shape {
                id: id.to_owned(),
                rust_name: String::new(),
                names: ShapeNames::default(),
                home: Home::Types,
                kind: ShapeKind::Structure(Structure {
                    members: Vec::new(),
                    error: None,
                }),
                omitted_members: Vec::new(),
                streaming: false,
                sparse: false,
                docs: None,
                sensitive: false,
                deprecated: None,
                constraints: Constraints::default(),
                xml_name: None,
                xml_namespace: None,
                media_type: None,
            },
        );
        id.to_owned()
    }

    pub(super) fn drain(&mut self) -> Result<(), Error> {
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
            if raw.is_mixin() {
                return Err(Error::Model {
                    shape: from,
                    message: format!(
                        "refers to `{id}`, which is a mixin (@mixin): a mixin is not a type of its own"
                    ),
                });
            }
            let shape = self.convert(&id, raw)?;
            self.shapes.insert(id, shape);
        }
        Ok(())
    }

    pub(super) fn member(
        &mut self,
        owner: &str,
        name: &str,
        m: &model::Member,
    ) -> Result<Member, Error> {
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
            names: MemberNames::default(),
            target,
            required: t.contains_key("smithy.api#required")
                && !t.contains_key("smithy.api#clientOptional"),
            client_optional: t.contains_key("smithy.api#required")
                && t.contains_key("smithy.api#clientOptional"),
            default_is_optional: t.contains_key("smithy.api#clientOptional"),
            boxed: false,
            location: http::location(&member_id, t)?,
            json_name: str_trait(t, "smithy.api#jsonName").map(str::to_owned),
            ec2_query_name: str_trait(t, "smithy.api#ec2QueryName").map(str::to_owned),
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
            default: match (t.get("smithy.api#default"), target_shape) {
                (Some(v), Some(target)) => defaults::parse(&member_id, target, v)?,
                _ => None,
            },
            docs: docs(t),
            sensitive: target_sensitive || t.contains_key("smithy.api#sensitive"),
            idempotency_token: t.contains_key("smithy.api#idempotencyToken"),
            host_label: t.contains_key("smithy.api#hostLabel"),
            deprecated: deprecated(t),
            constraints: constraints(&member_id, t, target_shape)?,
        })
    }

    /// Leaves member `name` of `owner` out: recorded on the shape (for its docs) and as an
    /// omission.
    fn omit_member(
        &mut self,
        owner: &str,
        name: &str,
        m: &model::Member,
        why: &str,
        on_shape: &mut Vec<OmittedMember>,
    ) {
        let required = m.traits.contains_key("smithy.api#required");
        on_shape.push(OmittedMember {
            wire_name: name.to_owned(),
            reason: why.to_owned(),
            required,
        });
        self.omitted.push(Omission {
            kind: OmissionKind::Member,
            item: format!("{owner}${name}"),
            reason: why.to_owned(),
        });
    }

    pub(super) fn convert(&mut self, id: &str, raw: &model::Shape) -> Result<Shape, Error> {
        use model::Shape as M;
        let unsupported = |what: &str| Error::Unsupported {
            shape: id.to_owned(),
            what: what.to_owned(),
        };
        let traits = raw.traits().cloned().unwrap_or_default();
        let mut omitted_members = Vec::new();
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
                    if let Some(why) = uncarried(self.model, &m.target) {
                        self.omit_member(id, name, m, why, &mut omitted_members);
                        continue;
                    }
                    let mut member = self.member(id, name, m)?;
                    // Each member also gets a `set_<name>` method.
                    member.rust_name = scope.claim_with(member.rust_name, |n| format!("set_{n}"));
                    out.push(member);
                }
                let error = match traits.get("smithy.api#error") {
                    None => None,
                    Some(fault) => Some((
                        match fault.as_str() {
                            Some("client") => Fault::Client,
                            Some("server") => Fault::Server,
                            _ => {
                                return Err(Error::Model {
                                    shape: id.to_owned(),
                                    message: format!(
                                        "@error must be \"client\" or \"server\", found {fault}"
                                    ),
                                });
                            }
                        },
                        traits.get("aws.protocols#awsQueryError"),
                    )),
                };
                let status = |v: Option<&Value>| {
                    v.and_then(Value::as_u64)
                        .and_then(|n| u16::try_from(n).ok())
                };
                let error = error.map(|(fault, query)| ErrorInfo {
                    code: local_name(id).to_owned(),
                    http_status: status(traits.get("smithy.api#httpError")),
                    fault,
                    aws_query_error: query.map(|q| AwsQueryError {
                        code: q
                            .get("code")
                            .and_then(Value::as_str)
                            .unwrap_or_else(|| local_name(id))
                            .to_owned(),
                        http_status: status(q.get("httpResponseCode")),
                    }),
                });
                ShapeKind::Structure(Structure {
                    members: out,
                    error,
                })
            }
            M::Union { members, traits } => {
                if traits.contains_key("smithy.api#streaming") {
                    // Members targeting event streams are left out (`uncarried`), so only a
                    // model that uses one as a plain value gets here.
                    return Err(unsupported(
                        "an event stream (@streaming union) used as a value",
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
                        // A unit member has no value: the emitters have no variant without one
                        // yet (and awsQuery could not send it: the service could not tell which
                        // member was chosen).
                        self.omit_member(
                            id,
                            name,
                            m,
                            "union members without a value (smithy.api#Unit) are not supported yet",
                            &mut omitted_members,
                        );
                        continue;
                    }
                    if let Some(why) = uncarried(self.model, &m.target) {
                        self.omit_member(id, name, m, why, &mut omitted_members);
                        continue;
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
                if out.is_empty() {
                    return Err(unsupported(
                        "a union none of whose members can be carried yet (see the omissions)",
                    ));
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
            M::String { traits } => match traits.get("smithy.api#enum") {
                Some(values) => ShapeKind::Enum(smithy1_enum(id, values)?),
                None => ShapeKind::String,
            },
            M::Blob { .. } => ShapeKind::Blob,
            M::Boolean { .. } => ShapeKind::Boolean,
            M::Byte { .. } => ShapeKind::Byte,
            M::Short { .. } => ShapeKind::Short,
            M::Integer { .. } => ShapeKind::Integer,
            M::Long { .. } => ShapeKind::Long,
            M::Float { .. } => ShapeKind::Float,
            M::Double { .. } => ShapeKind::Double,
            M::Timestamp { .. } => ShapeKind::Timestamp,
            // Members targeting these are left out (`uncarried`); reaching one otherwise (as an
            // operation's input, say) is a model the IR cannot carry.
            M::BigInteger { .. } => return Err(unsupported("bigInteger shapes")),
            M::BigDecimal { .. } => return Err(unsupported("bigDecimal shapes")),
            M::Document { .. } => ShapeKind::Document,
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
            names: ShapeNames::default(),
            home: Home::Types,
            kind,
            omitted_members,
            streaming: matches!(raw, M::Blob { .. }) && traits.contains_key("smithy.api#streaming"),
            sparse: matches!(raw, M::List { .. } | M::Set { .. } | M::Map { .. })
                && traits.contains_key("smithy.api#sparse"),
            docs: docs(&traits),
            sensitive: traits.contains_key("smithy.api#sensitive"),
            deprecated: deprecated(&traits),
            constraints: constraints(id, &traits, Some(raw))?,
            xml_name: str_trait(&traits, "smithy.api#xmlName").map(str::to_owned),
            xml_namespace: xml_namespace(&traits),
            media_type: str_trait(&traits, "smithy.api#mediaType").map(str::to_owned),
        })
    }
}

/// A Smithy 1.0 `@enum` trait on a string (`[{"value": .., "name": .., "documentation": ..,
/// "deprecated": ..}, ...]`): the variants of the equivalent 2.0 enum shape. A variant is named
/// after `name`, else after its value.
fn smithy1_enum(id: &str, values: &Value) -> Result<Vec<EnumVariant>, Error> {
    let bad = |message: String| Error::Model {
        shape: id.to_owned(),
        message,
    };
    let entries = values
        .as_array()
        .ok_or_else(|| bad(format!("@enum must be a list of values, found {values}")))?;
    if entries.is_empty() {
        return Err(bad("@enum lists no values".into()));
    }
    let mut scope = Scope::new();
    scope.reserve("Unknown");
    let mut variants: Vec<EnumVariant> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let value = e
            .get("value")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("@enum entry {i} needs a string `value`")))?;
        if variants.iter().any(|v| v.value == value) {
            return Err(bad(format!("@enum value `{value}` is listed twice")));
        }
        let name = e.get("name").and_then(Value::as_str).unwrap_or(value);
        let docs = e
            .get("documentation")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let deprecated =
            (e.get("deprecated").and_then(Value::as_bool) == Some(true)).then_some(Deprecated {
                message: None,
                since: None,
            });
        variants.push(EnumVariant {
            rust_name: scope.claim(naming::variant_name(name)),
            value: value.to_owned(),
            docs,
            deprecated,
        });
    }
    Ok(variants)
}
