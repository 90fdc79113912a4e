//! Smithy 2.0 mixins, applied to the JSON AST before its shapes are read.
//!
//! A shape with `"mixins": [{"target": ...}]` gets, in the order the mixins are listed and each
//! mixin already resolved itself (a mixin may have mixins):
//! - the mixin's members first, in the mixin's order, then its own; a member the shape
//!   redeclares (the JSON AST's form of `apply` to an inherited member) keeps the mixin's place
//!   and target, with the mixin member's traits and its own on top (its own win);
//! - the mixin's traits, except `smithy.api#mixin` itself and the traits its `localTraits`
//!   lists; the shape's own traits win over inherited ones, and a later mixin's over an earlier
//!   one's;
//! - what else the mixin declares and the shape does not (`member`, `key` and `value` of
//!   collections, an operation's `input`/`output`, ...); lists (`errors`, `operations`, ...)
//!   are the mixin's entries then the shape's, each once.
//!
//! The walk is iterative (an explicit stack, each shape resolved once), a chain of mixins is at
//! most [`MAX_MIXIN_DEPTH`] deep, and a cycle, a mixin that is not a `@mixin` shape, a mixin of
//! another shape type and two declarations of one member with different targets are errors
//! naming the shape. Shapes that are mixins stay in the model (with their `@mixin` trait); the
//! IR never generates them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::Error;

/// The longest chain of mixins (a shape, its mixin, that mixin's mixin, ...). Smithy's own
/// models nest two deep.
pub const MAX_MIXIN_DEPTH: usize = 32;

/// The trait that marks a shape as a mixin.
pub const MIXIN_TRAIT: &str = "smithy.api#mixin";

/// The keys of a shape that hold one member each.
const SINGLE_MEMBERS: &[&str] = &["member", "key", "value"];

/// Applies every shape's mixins in place, removing the `mixins` keys.
pub(super) fn apply(shapes: &mut Map<String, Value>) -> Result<(), Error> {
    let with_mixins: Vec<String> = shapes
        .iter()
        .filter(|(_, v)| v.get("mixins").is_some())
        .map(|(k, _)| k.clone())
        .collect();
    if with_mixins.is_empty() {
        return Ok(());
    }
    // Shapes in an order where every mixin comes before the shapes that use it.
    let mut order: Vec<String> = Vec::new();
    let mut done: BTreeSet<String> = BTreeSet::new();
    for root in &with_mixins {
        if done.contains(root) {
            continue;
        }
        // (shape, whether its mixins have been pushed); the chain is the stack's unfinished
        // entries.
        let mut stack: Vec<(String, bool)> = vec![(root.clone(), false)];
        let mut on_path: Vec<String> = Vec::new();
        while let Some((id, expanded)) = stack.pop() {
            if expanded {
                on_path.pop();
                if done.insert(id.clone()) {
                    order.push(id);
                }
                continue;
            }
            if done.contains(&id) {
                continue;
            }
            if on_path.contains(&id) {
                return Err(model_error(
                    &id,
                    format!("its mixins form a cycle ({} -> {id})", on_path.join(" -> ")),
                ));
            }
            if on_path.len() >= MAX_MIXIN_DEPTH {
                return Err(model_error(
                    root,
                    format!("its mixins nest more than {MAX_MIXIN_DEPTH} deep"),
                ));
            }
            let mixins = mixin_targets(shapes, &id)?;
            on_path.push(id.clone());
            stack.push((id, true));
            for m in mixins.into_iter().rev() {
                if !done.contains(&m) {
                    stack.push((m, false));
                }
            }
        }
    }
    for id in order {
        resolve_one(shapes, &id)?;
    }
    Ok(())
}

fn model_error(shape: &str, message: String) -> Error {
    Error::Model {
        shape: shape.to_owned(),
        message,
    }
}

/// The mixins `id` lists, each checked to be a `@mixin` shape of the same type.
fn mixin_targets(shapes: &Map<String, Value>, id: &str) -> Result<Vec<String>, Error> {
    let Some(shape) = shapes.get(id) else {
        return Err(model_error(
            id,
            "is used as a mixin but is not defined".into(),
        ));
    };
    let Some(list) = shape.get("mixins") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| model_error(id, format!("`mixins` must be a list, found {list}")))?;
    let ty = shape
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut out = Vec::new();
    for entry in list {
        let target = entry.get("target").and_then(Value::as_str).ok_or_else(|| {
            model_error(
                id,
                format!("a `mixins` entry must be {{\"target\": ...}}, found {entry}"),
            )
        })?;
        let Some(mixin) = shapes.get(target) else {
            return Err(model_error(
                id,
                format!("mixes in `{target}`, which the model does not define"),
            ));
        };
        if mixin
            .pointer("/traits")
            .and_then(|t| t.get(MIXIN_TRAIT))
            .is_none()
        {
            return Err(model_error(
                id,
                format!("mixes in `{target}`, which is not a mixin (it has no @mixin trait)"),
            ));
        }
        let mixin_ty = mixin
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if mixin_ty != ty {
            return Err(model_error(
                id,
                format!("is a {ty} but mixes in `{target}`, a {mixin_ty}"),
            ));
        }
        if !out.iter().any(|t| t == target) {
            out.push(target.to_owned());
        }
    }
    Ok(out)
}

/// Applies the mixins of `id`, whose own mixins are already applied.
fn resolve_one(shapes: &mut Map<String, Value>, id: &str) -> Result<(), Error> {
    if shapes.get(id).and_then(|s| s.get("mixins")).is_none() {
        return Ok(());
    }
    let mixins = mixin_targets(shapes, id)?;
    let Some(Value::Object(mut local)) = shapes.get(id).cloned() else {
        return Err(model_error(id, "a shape must be a JSON object".into()));
    };
    local.remove("mixins");
    let mut traits = Map::new();
    let mut members = Members::default();
    let mut rest: Map<String, Value> = Map::new();
    for m in &mixins {
        let Some(Value::Object(mixin)) = shapes.get(m) else {
            return Err(model_error(
                id,
                format!("mixes in `{m}`, which is not an object"),
            ));
        };
        let mixin_traits = object(mixin.get("traits"), m, "traits")?;
        let local_only = local_traits(mixin_traits, m)?;
        for (k, v) in mixin_traits {
            if k != MIXIN_TRAIT && !local_only.contains(k) {
                traits.insert(k.clone(), v.clone());
            }
        }
        for (name, member) in object(mixin.get("members"), m, "members")? {
            merge_member(&mut members, id, name, member)?;
        }
        for (k, v) in mixin {
            if matches!(k.as_str(), "type" | "traits" | "members" | "mixins") {
                continue;
            }
            merge_other(&mut rest, id, k, v)?;
        }
    }
    for (name, member) in object(local.get("members"), id, "members")? {
        merge_member(&mut members, id, name, member)?;
    }
    for (k, v) in object(local.get("traits"), id, "traits")? {
        traits.insert(k.clone(), v.clone());
    }
    for (k, v) in &local {
        if matches!(k.as_str(), "type" | "traits" | "members") {
            continue;
        }
        merge_other(&mut rest, id, k, v)?;
    }
    let had_members = local.contains_key("members") || !members.list.is_empty();
    let mut out = Map::new();
    if let Some(ty) = local.get("type") {
        out.insert("type".into(), ty.clone());
    }
    out.extend(rest);
    if had_members {
        out.insert(
            "members".into(),
            Value::Object(members.list.into_iter().collect()),
        );
    }
    if !traits.is_empty() {
        out.insert("traits".into(), Value::Object(traits));
    }
    shapes.insert(id.to_owned(), Value::Object(out));
    Ok(())
}

/// The object at `v` (none: empty), or an error naming `shape` and `what`.
fn object<'a>(
    v: Option<&'a Value>,
    shape: &str,
    what: &str,
) -> Result<&'a Map<String, Value>, Error> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    match v {
        None => Ok(EMPTY.get_or_init(Map::new)),
        Some(Value::Object(o)) => Ok(o),
        Some(other) => Err(model_error(
            shape,
            format!("`{what}` must be an object, found {other}"),
        )),
    }
}

/// The `localTraits` of a mixin's `@mixin` trait: traits it does not pass on.
fn local_traits(traits: &Map<String, Value>, mixin: &str) -> Result<BTreeSet<String>, Error> {
    let Some(list) = traits.get(MIXIN_TRAIT).and_then(|t| t.get("localTraits")) else {
        return Ok(BTreeSet::new());
    };
    let bad = || {
        model_error(
            mixin,
            format!("@mixin localTraits must be a list of shape ids, found {list}"),
        )
    };
    list.as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|v| v.as_str().map(str::to_owned).ok_or_else(bad))
        .collect()
}

/// A shape's members as they are gathered: in order, with an index by name (a shape may
/// inherit many members; each is found without a scan).
#[derive(Default)]
struct Members {
    list: Vec<(String, Value)>,
    index: BTreeMap<String, usize>,
}

/// Adds `member` as member `name` of `owner`: appended, or merged into the member of that name
/// (same target; traits of the later declaration win).
fn merge_member(
    members: &mut Members,
    owner: &str,
    name: &str,
    member: &Value,
) -> Result<(), Error> {
    let Some(existing) = members
        .index
        .get(name)
        .and_then(|&i| members.list.get_mut(i))
        .map(|(_, m)| m)
    else {
        members.index.insert(name.to_owned(), members.list.len());
        members.list.push((name.to_owned(), member.clone()));
        return Ok(());
    };
    let member_id = format!("{owner}${name}");
    let target_of = |v: &Value| v.get("target").and_then(Value::as_str).map(str::to_owned);
    let (old, new) = (target_of(existing), target_of(member));
    if old != new {
        return Err(model_error(
            &member_id,
            format!(
                "is declared twice with different targets (`{}` and `{}`), by a mixin and again",
                old.unwrap_or_default(),
                new.unwrap_or_default()
            ),
        ));
    }
    merge_traits_into(existing, member, &member_id)
}

/// `target`'s traits, then `source`'s on top.
fn merge_traits_into(target: &mut Value, source: &Value, id: &str) -> Result<(), Error> {
    let Some(Value::Object(add)) = source.get("traits") else {
        return Ok(());
    };
    let Value::Object(obj) = target else {
        return Err(model_error(id, "a member must be a JSON object".into()));
    };
    let entry = obj
        .entry("traits")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(traits) = entry else {
        return Err(model_error(
            id,
            format!("`traits` must be an object, found {entry}"),
        ));
    };
    for (k, v) in add {
        traits.insert(k.clone(), v.clone());
    }
    Ok(())
}

/// Merges key `k` of a mixin or of the shape into what the shape ends with: single members
/// merge their traits, lists are concatenated (each entry once), objects merged (later keys
/// win), anything else is the later declaration's.
fn merge_other(rest: &mut Map<String, Value>, id: &str, k: &str, v: &Value) -> Result<(), Error> {
    let Some(existing) = rest.get_mut(k) else {
        rest.insert(k.to_owned(), v.clone());
        return Ok(());
    };
    if SINGLE_MEMBERS.contains(&k) {
        let member_id = format!("{id}${k}");
        let target_of = |v: &Value| v.get("target").cloned();
        if target_of(existing) != target_of(v) {
            return Err(model_error(
                &member_id,
                "is declared with a different target than its mixin's".into(),
            ));
        }
        return merge_traits_into(existing, v, &member_id);
    }
    match (existing, v) {
        (Value::Array(a), Value::Array(b)) => {
            for item in b {
                if !a.contains(item) {
                    a.push(item.clone());
                }
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                a.insert(key.clone(), value.clone());
            }
        }
        (slot, v) => *slot = v.clone(),
    }
    Ok(())
}
