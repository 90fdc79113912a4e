//! `smithy.api#paginated`: the operation's trait merged with the service's default, its member
//! names resolved at generation time into the members themselves. A name that does not resolve
//! is an error naming the operation and the member, never a silently dropped paginator.
//!
//! `inputToken` and `pageSize` name top-level input members. `outputToken` and `items` may be
//! paths of output member names separated by `.` (RDS's `EngineDefaults.Marker`): each step is
//! checked here against the structure it reads, every step but the last must target a
//! structure, and a path has at most [`MAX_PAGINATION_PATH_DEPTH`] steps. The generated
//! paginator reads through the resolved chain; a missing structure on the way means no token
//! (the last page) or no items.

use serde_json::Value;

use super::{BTreeMap, Error, Member, Operation, Shape, ShapeId, ShapeKind, Structure, Traits};

/// The most members a `@paginated` path (`outputToken`, `items`) may have. The corpus's longest
/// has two (`EngineDefaults.Marker`); the bound keeps what the model decides (the length of a
/// generated accessor chain) finite.
pub const MAX_PAGINATION_PATH_DEPTH: usize = 8;

/// A resolved `@paginated` operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The input member the next page's token goes to (a string).
    pub input_token: MemberRef,
    /// The output member holding the token for the next page (a string), possibly nested.
    pub output_token: MemberPath,
    /// The output member holding the page's items, if the trait names one.
    pub items: Option<PageItems>,
    /// The input member limiting the page size (an integer), if the trait names one.
    pub page_size: Option<MemberRef>,
}

/// A member of an operation's input or output (or of a structure on a [`MemberPath`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRef {
    pub wire_name: String,
    /// The Rust field.
    pub rust_name: String,
    /// The member's target.
    pub target: ShapeId,
}

/// A member reached from an operation's output through `via`: `EngineDefaults.Marker` is
/// `via: [EngineDefaults]`, `member: Marker`; a top-level member has an empty `via`. Each member
/// of `via` targets a structure whose member is the next step (the last one's is `member`); at
/// most [`MAX_PAGINATION_PATH_DEPTH`] steps in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberPath {
    /// The structure members on the way, outermost first.
    pub via: Vec<MemberRef>,
    /// The member at the end of the path.
    pub member: MemberRef,
}

impl MemberPath {
    /// The path as the model writes it (`EngineDefaults.Marker`).
    pub fn wire_path(&self) -> String {
        let mut out = String::new();
        for m in self.via.iter().chain([&self.member]) {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&m.wire_name);
        }
        out
    }
}

/// The member holding a page's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageItems {
    /// The items member, possibly nested.
    pub path: MemberPath,
    pub kind: ItemsKind,
}

/// What the items member is: a list yields its items, a map its entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemsKind {
    List { item: ShapeId },
    Map { key: ShapeId, value: ShapeId },
}

/// The trait's member names: the operation's, each missing one taken from the service's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Names {
    input_token: Option<String>,
    output_token: Option<String>,
    items: Option<String>,
    page_size: Option<String>,
}

impl Names {
    /// The first step of each output path the trait names (`outputToken`, `items`).
    pub(super) fn output_heads(&self) -> impl Iterator<Item = &str> {
        [&self.output_token, &self.items]
            .into_iter()
            .flatten()
            .map(|p| p.split('.').next().unwrap_or(p))
    }
}

/// The merged names of `@paginated` on operation `op` (with `op_traits`) and on the service, or
/// `None` when the operation is not paginated. A value that is not a string is an error.
pub(super) fn names(
    op: &str,
    op_traits: &Traits,
    service_traits: &Traits,
) -> Result<Option<Names>, Error> {
    let Some(own) = op_traits.get("smithy.api#paginated") else {
        return Ok(None);
    };
    let service = service_traits.get("smithy.api#paginated");
    // Smithy lets the service set defaults for the tokens and the page size, not the items.
    let get = |k: &str| -> Result<Option<String>, Error> {
        let service = service.filter(|_| k != "items");
        for (v, whose) in [(Some(own), op), (service, "the service")] {
            match v.and_then(|v| v.get(k)) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => return Ok(Some(s.clone())),
                Some(other) => {
                    return Err(Error::Model {
                        shape: op.to_owned(),
                        message: format!(
                            "@paginated `{k}` (on {whose}) must be a string, not {other}"
                        ),
                    });
                }
            }
        }
        Ok(None)
    };
    Ok(Some(Names {
        input_token: get("inputToken")?,
        output_token: get("outputToken")?,
        items: get("items")?,
        page_size: get("pageSize")?,
    }))
}

/// Resolves the names against the operation's input and output.
pub(super) fn resolve<'n>(
    op: &Operation,
    names: &'n Names,
    shapes: &BTreeMap<ShapeId, Shape>,
) -> Result<Pagination, Error> {
    let model = |message: String| Error::Model {
        shape: op.id.clone(),
        message,
    };
    let structure = |id: &str| -> Result<&Structure, Error> {
        match shapes.get(id).map(|s| &s.kind) {
            Some(ShapeKind::Structure(st)) => Ok(st),
            _ => Err(model(format!("@paginated: {id} is not a structure"))),
        }
    };
    let kind = |id: &str| shapes.get(id).map(|s| &s.kind);
    let (input, output) = (structure(&op.input)?, structure(&op.output)?);
    let required = |key: &str, name: Option<&'n str>| {
        name.ok_or_else(|| {
            model(format!(
                "@paginated needs `{key}` (on the operation or the service)"
            ))
        })
    };
    let input_token = member(
        op,
        "inputToken",
        input,
        &op.input,
        required("inputToken", names.input_token.as_deref())?,
    )?;
    let output_token = path(
        op,
        "outputToken",
        output,
        &op.output,
        required("outputToken", names.output_token.as_deref())?,
        shapes,
    )?;
    for (key, shown, m) in [
        ("inputToken", input_token.wire_name.clone(), &input_token),
        (
            "outputToken",
            output_token.wire_path(),
            &output_token.member,
        ),
    ] {
        if !matches!(
            kind(&m.target),
            Some(ShapeKind::String | ShapeKind::Map { .. })
        ) {
            return Err(Error::Unsupported {
                shape: op.id.clone(),
                what: format!(
                    "@paginated `{key}` `{shown}` targets `{}`; only string and map tokens are supported",
                    m.target
                ),
            });
        }
    }
    // The token goes from one page's output into the next input as it is (DynamoDB's
    // `LastEvaluatedKey` -> `ExclusiveStartKey`, a map): both sides hold the same shape.
    let same = input_token.target == output_token.member.target
        || matches!(
            (kind(&input_token.target), kind(&output_token.member.target)),
            (Some(ShapeKind::String), Some(ShapeKind::String))
        );
    if !same {
        return Err(Error::Unsupported {
            shape: op.id.clone(),
            what: format!(
                "@paginated `inputToken` `{}` targets `{}` but `outputToken` `{}` targets `{}`; the token must be the same shape on both sides",
                input_token.wire_name,
                input_token.target,
                output_token.wire_path(),
                output_token.member.target
            ),
        });
    }
    let items = match &names.items {
        None => None,
        Some(name) => {
            let p = path(op, "items", output, &op.output, name, shapes)?;
            let m = &p.member;
            let kind = match kind(&m.target) {
                Some(ShapeKind::List(item)) => ItemsKind::List {
                    item: item.target.clone(),
                },
                Some(ShapeKind::Map { key, value }) => ItemsKind::Map {
                    key: key.target.clone(),
                    value: value.target.clone(),
                },
                _ => {
                    return Err(model(format!(
                        "@paginated `items` `{name}` must target a list or map, not `{}`",
                        m.target
                    )));
                }
            };
            Some(PageItems { path: p, kind })
        }
    };
    let page_size = match &names.page_size {
        None => None,
        Some(name) => {
            let m = member(op, "pageSize", input, &op.input, name)?;
            if !matches!(kind(&m.target), Some(ShapeKind::Integer)) {
                return Err(Error::Unsupported {
                    shape: op.id.clone(),
                    what: format!(
                        "@paginated `pageSize` `{name}` targets `{}`; only integer page sizes are supported",
                        m.target
                    ),
                });
            }
            Some(m)
        }
    };
    Ok(Pagination {
        input_token,
        output_token,
        items,
        page_size,
    })
}

/// The member `name` of `st` (shape `id`): a top-level member (`inputToken`, `pageSize`), which
/// Smithy does not let be a path.
fn member(
    op: &Operation,
    key: &str,
    st: &Structure,
    id: &str,
    name: &str,
) -> Result<MemberRef, Error> {
    if name.contains('.') {
        return Err(Error::Model {
            shape: op.id.clone(),
            message: format!(
                "@paginated `{key}` is the path `{name}`; it must name a top-level member of {id}"
            ),
        });
    }
    step(op, key, name, name, st, id)
}

/// The member path `name` (`EngineDefaults.Marker`, or one member name) from `st` (shape `id`),
/// each step checked against the structure it reads.
fn path(
    op: &Operation,
    key: &str,
    st: &Structure,
    id: &str,
    name: &str,
    shapes: &BTreeMap<ShapeId, Shape>,
) -> Result<MemberPath, Error> {
    let model = |message: String| Error::Model {
        shape: op.id.clone(),
        message: format!("@paginated `{key}` `{name}`: {message}"),
    };
    let steps: Vec<&str> = name.split('.').collect();
    if steps.len() > MAX_PAGINATION_PATH_DEPTH {
        return Err(Error::Unsupported {
            shape: op.id.clone(),
            what: format!(
                "@paginated `{key}` `{name}` is a path of {} members; at most {MAX_PAGINATION_PATH_DEPTH} are supported",
                steps.len()
            ),
        });
    }
    let Some((last, via_names)) = steps.split_last() else {
        return Err(model("is empty".into()));
    };
    let (mut st, mut id) = (st, id.to_owned());
    let mut via = Vec::with_capacity(via_names.len());
    for s in via_names {
        let m = step(op, key, name, s, st, &id)?;
        st = match shapes.get(&m.target).map(|s| &s.kind) {
            Some(ShapeKind::Structure(next)) => next,
            _ => {
                return Err(model(format!(
                    "`{s}` targets `{}`, which is not a structure, so the path cannot go on",
                    m.target
                )));
            }
        };
        id.clone_from(&m.target);
        via.push(m);
    }
    let member = step(op, key, name, last, st, &id)?;
    Ok(MemberPath { via, member })
}

/// The member `name` of `st` (shape `id`), one step of the `@paginated` value `whole`.
fn step(
    op: &Operation,
    key: &str,
    whole: &str,
    name: &str,
    st: &Structure,
    id: &str,
) -> Result<MemberRef, Error> {
    let found: Option<&Member> = st.members.iter().find(|m| m.wire_name == name);
    let m = found.ok_or_else(|| {
        let name = if name.is_empty() { "(empty)" } else { name };
        let of = if whole == name {
            String::new()
        } else {
            format!(" (in the path `{whole}`)")
        };
        Error::Model {
            shape: op.id.clone(),
            message: format!(
                "@paginated `{key}` names `{name}`{of}, which is not a member of {id}"
            ),
        }
    })?;
    Ok(MemberRef {
        wire_name: m.wire_name.clone(),
        rust_name: m.rust_name.clone(),
        target: m.target.clone(),
    })
}
