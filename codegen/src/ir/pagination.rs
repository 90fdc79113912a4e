//! `smithy.api#paginated`: the operation's trait merged with the service's default, its member
//! names resolved at generation time into the members themselves. A name that does not resolve
//! is an error naming the operation and the member, never a silently dropped paginator.

use serde_json::Value;

use super::{BTreeMap, Error, Member, Operation, Shape, ShapeId, ShapeKind, Structure, Traits};

/// A resolved `@paginated` operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The input member the next page's token goes to (a string).
    pub input_token: MemberRef,
    /// The output member holding the token for the next page (a string).
    pub output_token: MemberRef,
    /// The output member holding the page's items, if the trait names one.
    pub items: Option<PageItems>,
    /// The input member limiting the page size (an integer), if the trait names one.
    pub page_size: Option<MemberRef>,
}

/// A member of an operation's input or output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRef {
    pub wire_name: String,
    /// The Rust field.
    pub rust_name: String,
    /// The member's target.
    pub target: ShapeId,
}

/// The member holding a page's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageItems {
    pub member: MemberRef,
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
    let output_token = member(
        op,
        "outputToken",
        output,
        &op.output,
        required("outputToken", names.output_token.as_deref())?,
    )?;
    for (key, m) in [("inputToken", &input_token), ("outputToken", &output_token)] {
        if !matches!(kind(&m.target), Some(ShapeKind::String)) {
            return Err(Error::Unsupported {
                shape: op.id.clone(),
                what: format!(
                    "@paginated `{key}` `{}` targets `{}`; only string tokens are supported",
                    m.wire_name, m.target
                ),
            });
        }
    }
    let items = match &names.items {
        None => None,
        Some(name) => {
            let m = member(op, "items", output, &op.output, name)?;
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
            Some(PageItems { member: m, kind })
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

/// The member `name` of `st` (shape `id`). A dotted path (`Result.NextToken`), which Smithy
/// allows for `outputToken` and `items`, is unsupported: no awsQuery model here uses one.
fn member(
    op: &Operation,
    key: &str,
    st: &Structure,
    id: &str,
    name: &str,
) -> Result<MemberRef, Error> {
    if name.contains('.') {
        return Err(Error::Unsupported {
            shape: op.id.clone(),
            what: format!(
                "@paginated `{key}` is the path `{name}`; only top-level members are supported"
            ),
        });
    }
    let found: Option<&Member> = st.members.iter().find(|m| m.wire_name == name);
    let m = found.ok_or_else(|| Error::Model {
        shape: op.id.clone(),
        message: format!("@paginated `{key}` names `{name}`, which is not a member of {id}"),
    })?;
    Ok(MemberRef {
        wire_name: m.wire_name.clone(),
        rust_name: m.rust_name.clone(),
        target: m.target.clone(),
    })
}
