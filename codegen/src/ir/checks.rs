//! Whole-model checks and marks run after resolution: operation traits, names and homes,
//! collection nesting, XML attributes, sensitivity, boxing of recursive members.

use super::*;

/// Checks what the runtime relies on for `@idempotencyToken`: idempotency tokens are strings.
/// (`@endpoint(hostPrefix)` labels are checked as they are resolved, in `host_prefix`.)
pub(super) fn check_operation_traits(
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
    }
    Ok(())
}

/// Decides where each named type lives and its Rust name. Operation inputs and outputs used by
/// exactly one operation (and nowhere else) become `<Op>Input` / `<Op>Output` in that operation's
/// module, as in AWS's SDKs; errors go to `types::error`; everything else to `types`.
pub(super) fn assign_homes_and_names(shapes: &mut BTreeMap<ShapeId, Shape>, ops: &[Operation]) {
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
pub(super) fn check_collections(shapes: &BTreeMap<ShapeId, Shape>) -> Result<(), Error> {
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
pub(super) fn check_xml_attributes(shapes: &BTreeMap<ShapeId, Shape>) -> Result<(), Error> {
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
pub(super) fn mark_sensitive_collections(shapes: &mut BTreeMap<ShapeId, Shape>) {
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

/// Marks the structure and union members that close a cycle of structures and unions
/// (`A { b: B }`, `B { a: A }`) as boxed: the back edges of a depth-first walk in shape-id
/// order, as typify does, so `A.b` stays inline and only `B.a` is a `Box` (every cycle has a
/// back edge, so every type gets a finite size). Lists and maps already allocate, so cycles
/// through them need nothing. The walk keeps its own stack: linear, and no recursion as deep
/// as the model's chains of structures.
pub(super) fn mark_boxed(shapes: &mut BTreeMap<ShapeId, Shape>) {
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
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        No,
        /// On the current path of the walk.
        OnPath,
        Done,
    }
    let mut seen = vec![Seen::No; ids.len()];
    let mut to_box = Vec::new();
    for root in 0..ids.len() {
        if seen[root] != Seen::No {
            continue;
        }
        // The path being walked, each node with how many of its edges are done.
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        seen[root] = Seen::OnPath;
        while let Some(&(v, done)) = path.last() {
            let Some(&w) = edges[v].get(done) else {
                seen[v] = Seen::Done;
                path.pop();
                continue;
            };
            if let Some(top) = path.last_mut() {
                top.1 += 1;
            }
            match seen[w] {
                Seen::No => {
                    seen[w] = Seen::OnPath;
                    path.push((w, 0));
                }
                Seen::OnPath => to_box.push((ids[v].clone(), ids[w].clone())),
                Seen::Done => {}
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
