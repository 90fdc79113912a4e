//! Leaving whole operations out: the operations a rule rejects are removed with an
//! [`Omission`] each, and so are the shapes only they reached.

use super::*;

/// The reason `uncarried` gives for an event stream member (the operation is left out).
pub(super) const EVENT_STREAM: &str = "event streams are not supported yet";

/// Removes each operation for which `why` gives a reason, recording it, then every shape no
/// remaining operation reaches (and the omissions of members of those shapes, which the
/// operation's omission explains).
pub fn omit_operations(
    shapes: &mut BTreeMap<ShapeId, Shape>,
    ops: &mut Vec<Operation>,
    omitted: &mut Vec<Omission>,
    why: impl Fn(&Operation, &BTreeMap<ShapeId, Shape>) -> Option<String>,
) {
    let before = ops.len();
    ops.retain(|op| match why(op, shapes) {
        None => true,
        Some(reason) => {
            omitted.push(Omission {
                kind: OmissionKind::Operation,
                item: op.id.clone(),
                reason,
            });
            false
        }
    });
    if ops.len() == before {
        return;
    }
    let keep = reachable(
        shapes,
        ops.iter().flat_map(|o| {
            [o.input.clone(), o.output.clone()]
                .into_iter()
                .chain(o.errors.iter().cloned())
        }),
    );
    shapes.retain(|id, _| keep.contains(id));
    omitted.retain(|o| {
        o.kind != OmissionKind::Member
            || o.item
                .rsplit_once('$')
                .is_some_and(|(owner, _)| keep.contains(owner))
    });
}

/// Every shape of `shapes` reachable from `roots` (iteratively).
pub(super) fn reachable(
    shapes: &BTreeMap<ShapeId, Shape>,
    roots: impl Iterator<Item = ShapeId>,
) -> BTreeSet<ShapeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<ShapeId> = roots.collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(shape) = shapes.get(&id) else {
            continue;
        };
        match &shape.kind {
            kind @ (ShapeKind::Structure(_) | ShapeKind::Union(_)) => {
                stack.extend(kind.members().iter().map(|m| m.target.clone()));
            }
            ShapeKind::List(m) => stack.push(m.target.clone()),
            ShapeKind::Map { key, value } => {
                stack.push(key.target.clone());
                stack.push(value.target.clone());
            }
            scalar_kind!() => {}
        }
    }
    seen
}

/// The IR's own rule, for every protocol: an operation that streams events, or whose input
/// needs a member the IR left out, is left out.
pub(super) fn unsendable(op: &Operation, shapes: &BTreeMap<ShapeId, Shape>) -> Option<String> {
    for (what, id) in [("input", &op.input), ("output", &op.output)] {
        if let Some(m) = shapes
            .get(id)
            .and_then(|s| s.omitted_members.iter().find(|m| m.reason == EVENT_STREAM))
        {
            return Some(format!(
                "event stream operations are not supported yet (its {what} member `{}` is an event stream)",
                m.wire_name
            ));
        }
    }
    let input = reachable(shapes, std::iter::once(op.input.clone()));
    input.iter().find_map(|id| {
        let m = shapes
            .get(id)?
            .omitted_members
            .iter()
            .find(|m| m.required)?;
        Some(format!(
            "its input needs `{id}${}`, which is left out: {}",
            m.wire_name, m.reason
        ))
    })
}
