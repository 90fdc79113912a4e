//! Waiter paths checked against the shapes they read: every `.Field` must name a member of the
//! structure (or union) it applies to, `[*]`/`[]`/`[n]`/`[?expr]` must apply to a list and `.*`
//! to a map or structure, a filter's condition is checked against the list's items, functions
//! must get arguments of the JSON types they take (`length` a string, list or object; `contains`
//! a string or list; ...), and `<`/`<=`/`>`/`>=` must compare numbers (anything else is always
//! `null`). A path with a typo would otherwise evaluate to `null` on every poll and the waiter
//! would never match; here the waiter is left out of the client, an [`Omission`] naming the
//! waiter, acceptor and field, said in the operation's rustdoc.
//!
//! The walk follows the path tree, whose depth `waiter_path` bounds.

use std::collections::BTreeMap;

use super::waiter_path::{PathCmp, PathExpr, PathFn, PathStep};
use super::{Matcher, Omission, OmissionKind, Operation, Shape, ShapeId, ShapeKind};

/// What a (sub)expression yields, as far as the shapes tell.
#[derive(Debug, Clone)]
enum Ty {
    /// A value of this shape.
    Shape(ShapeId),
    /// `{"input": .., "output": ..}` of an `inputOutput` matcher.
    InputOutput,
    /// Each element of a projection has this type.
    Each(Box<Ty>),
    /// Anything (literals, function results, comparisons, a union's unknown member).
    Any,
}

/// The JSON type of a value, as the runtime's value view makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Json {
    String,
    Number,
    Boolean,
    Array,
    Object,
    Null,
}

impl Json {
    fn name(self) -> &'static str {
        match self {
            Json::String => "a string",
            Json::Number => "a number",
            Json::Boolean => "a boolean",
            Json::Array => "a list",
            Json::Object => "an object",
            Json::Null => "null (a blob)",
        }
    }
}

/// Checks the paths of every acceptor of `op`'s waiters; a waiter with a path that does not
/// fit is removed from `op.waiters`, recorded in `op.omitted_waiters` and in `omitted`.
pub(super) fn check(
    op: &mut Operation,
    shapes: &BTreeMap<ShapeId, Shape>,
    omitted: &mut Vec<Omission>,
) {
    let mut dropped = Vec::new();
    for w in &op.waiters {
        let cx = Walk { op, shapes };
        let failure = w.acceptors.iter().enumerate().find_map(|(i, a)| {
            let (path, root) = match &a.matcher {
                Matcher::Output { path, .. } => (path, Ty::Shape(op.output.clone())),
                Matcher::InputOutput { path, .. } => (path, Ty::InputOutput),
                Matcher::Success(_) | Matcher::ErrorType(_) => return None,
            };
            cx.expr(path, &root)
                .err()
                .map(|what| format!("acceptor {i}: {what}"))
        });
        if let Some(reason) = failure {
            dropped.push((w.name.clone(), reason));
        }
    }
    for (name, reason) in dropped {
        op.waiters.retain(|w| w.name != name);
        omitted.push(Omission {
            kind: OmissionKind::Waiter,
            item: format!("{}/{name}", op.id),
            reason: reason.clone(),
        });
        op.omitted_waiters.push((name, reason));
    }
    op.omitted_waiters.sort();
}

struct Walk<'a> {
    op: &'a Operation,
    shapes: &'a BTreeMap<ShapeId, Shape>,
}

impl Walk<'_> {
    fn expr(&self, e: &PathExpr, current: &Ty) -> Result<Ty, String> {
        match e {
            PathExpr::Literal(_) => Ok(Ty::Any),
            PathExpr::Current => Ok(current.clone()),
            PathExpr::Path(base, steps) => {
                let mut ty = self.expr(base, current)?;
                for step in steps {
                    ty = self.step(&ty, step)?;
                }
                Ok(ty)
            }
            PathExpr::Call(f, args) => {
                let mut tys = Vec::with_capacity(args.len());
                for a in args {
                    tys.push(self.expr(a, current)?);
                }
                self.call(*f, &tys)
            }
            PathExpr::Compare(op, a, b) => {
                let (ta, tb) = (self.expr(a, current)?, self.expr(b, current)?);
                let token = match op {
                    PathCmp::Eq | PathCmp::Ne => return Ok(Ty::Any),
                    PathCmp::Lt => "<",
                    PathCmp::Le => "<=",
                    PathCmp::Gt => ">",
                    PathCmp::Ge => ">=",
                };
                for t in [&ta, &tb] {
                    match self.json(t) {
                        None | Some(Json::Number) => {}
                        Some(_) => {
                            return Err(format!(
                                "`{token}` compares numbers, and {} is not one (the comparison would always be null)",
                                self.describe(t)
                            ));
                        }
                    }
                }
                Ok(Ty::Any)
            }
            PathExpr::And(a, b) | PathExpr::Or(a, b) => {
                self.expr(a, current)?;
                self.expr(b, current)?;
                Ok(Ty::Any)
            }
            PathExpr::Not(a) => self.expr(a, current).map(|_| Ty::Any),
            PathExpr::Pipe(a, b) => {
                // A projection's result is a plain list on the right of `|`.
                let left = match self.expr(a, current)? {
                    Ty::Each(_) => Ty::Any,
                    t => t,
                };
                self.expr(b, &left)
            }
        }
    }

    /// The JSON type of `ty`, when the shapes tell.
    fn json(&self, ty: &Ty) -> Option<Json> {
        match ty {
            Ty::Any => None,
            Ty::Each(_) => Some(Json::Array),
            Ty::InputOutput => Some(Json::Object),
            Ty::Shape(id) => Some(match &self.shapes.get(id)?.kind {
                ShapeKind::String | ShapeKind::Enum(_) => Json::String,
                ShapeKind::Boolean => Json::Boolean,
                ShapeKind::Byte
                | ShapeKind::Short
                | ShapeKind::Integer
                | ShapeKind::Long
                | ShapeKind::Float
                | ShapeKind::Double
                | ShapeKind::IntEnum(_)
                | ShapeKind::Timestamp => Json::Number,
                ShapeKind::Blob | ShapeKind::Document => Json::Null,
                ShapeKind::List(_) => Json::Array,
                ShapeKind::Structure(_) | ShapeKind::Union(_) | ShapeKind::Map { .. } => {
                    Json::Object
                }
            }),
        }
    }

    fn describe(&self, ty: &Ty) -> String {
        match ty {
            Ty::Shape(id) => match (self.shapes.get(id), self.json(ty)) {
                (Some(s), Some(j)) => format!("`{}` ({})", s.rust_name, j.name()),
                _ => format!("`{id}`"),
            },
            Ty::Each(_) => "a projection (a list)".into(),
            Ty::InputOutput => "the inputOutput object".into(),
            Ty::Any => "a value".into(),
        }
    }

    /// `f` applied to arguments of types `args` (their number checked by the parser).
    fn call(&self, f: PathFn, args: &[Ty]) -> Result<Ty, String> {
        use Json::*;
        let takes: &[&[Json]] = match f {
            PathFn::Length => &[&[String, Array, Object]],
            PathFn::Contains => &[&[String, Array]],
            PathFn::StartsWith | PathFn::EndsWith => &[&[String], &[String]],
            PathFn::Keys | PathFn::Values => &[&[Object]],
            PathFn::Abs => &[&[Number]],
            PathFn::Sum | PathFn::Max | PathFn::Min => &[&[Array]],
            PathFn::NotNull | PathFn::ToArray | PathFn::Type => &[],
        };
        for (i, (arg, allowed)) in args.iter().zip(takes).enumerate() {
            if let Some(j) = self.json(arg)
                && !allowed.contains(&j)
            {
                let names: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
                return Err(format!(
                    "`{}()` takes {} as argument {}, not {}",
                    f.name(),
                    names.join(" or "),
                    i + 1,
                    self.describe(arg)
                ));
            }
        }
        Ok(Ty::Any)
    }

    /// `ty` after `step`.
    fn step(&self, ty: &Ty, step: &PathStep) -> Result<Ty, String> {
        if let PathStep::Flatten = step {
            return self.flatten(ty);
        }
        match ty {
            Ty::Any => {
                // Nothing to check the field names against; the conditions and selections are
                // walked all the same.
                match step {
                    PathStep::Filter(cond) => {
                        self.expr(cond, &Ty::Any)?;
                    }
                    PathStep::Select(items) => {
                        for item in items {
                            self.expr(item, &Ty::Any)?;
                        }
                    }
                    _ => {}
                }
                Ok(Ty::Any)
            }
            // A projection applies the rest of the path (up to `[]`) to each element.
            Ty::Each(inner) => Ok(Ty::Each(Box::new(self.step(inner, step)?))),
            Ty::InputOutput => match step {
                PathStep::Field(f) if f == "input" => Ok(Ty::Shape(self.op.input.clone())),
                PathStep::Field(f) if f == "output" => Ok(Ty::Shape(self.op.output.clone())),
                PathStep::Field(f) => Err(format!(
                    "`{f}`: an inputOutput path starts with `input` or `output`"
                )),
                PathStep::Values => Ok(Ty::Each(Box::new(Ty::Any))),
                PathStep::Select(items) => {
                    for item in items {
                        self.expr(item, ty)?;
                    }
                    Ok(Ty::Any)
                }
                PathStep::Index(_) | PathStep::Items | PathStep::Flatten | PathStep::Filter(_) => {
                    Err("an inputOutput path starts with `input` or `output`".into())
                }
            },
            Ty::Shape(id) => self.shape_step(id, step),
        }
    }

    /// `[]`: flattens what is before it (ending its projections), then projects.
    fn flatten(&self, ty: &Ty) -> Result<Ty, String> {
        let item = |t: &Ty| -> Ty {
            match t {
                Ty::Each(inner) => (**inner).clone(),
                Ty::Shape(id) => match self.shapes.get(id).map(|s| &s.kind) {
                    Some(ShapeKind::List(item)) => Ty::Shape(item.target.clone()),
                    _ => t.clone(),
                },
                other => other.clone(),
            }
        };
        match ty {
            Ty::Any => Ok(Ty::Each(Box::new(Ty::Any))),
            // A projection's list of results, flattened one level.
            Ty::Each(inner) => Ok(Ty::Each(Box::new(item(inner)))),
            Ty::InputOutput => Err("an inputOutput path starts with `input` or `output`".into()),
            Ty::Shape(id) => match self.shapes.get(id).map(|s| &s.kind) {
                None => Ok(Ty::Each(Box::new(Ty::Any))),
                // `[]` flattens a list of lists one level, and leaves other items as they are.
                Some(ShapeKind::List(list_item)) => Ok(Ty::Each(Box::new(item(&Ty::Shape(
                    list_item.target.clone(),
                ))))),
                Some(kind) => Err(format!(
                    "`[]` applies to `{}`, {}",
                    self.shapes
                        .get(id)
                        .map_or(id.as_str(), |s| s.rust_name.as_str()),
                    what(kind)
                )),
            },
        }
    }

    fn shape_step(&self, id: &ShapeId, step: &PathStep) -> Result<Ty, String> {
        let Some(shape) = self.shapes.get(id) else {
            return Ok(Ty::Any);
        };
        let name = &shape.rust_name;
        match (&shape.kind, step) {
            // `[a, b]` applies to any value: each item is checked against it.
            (_, PathStep::Select(items)) => {
                let here = Ty::Shape(id.clone());
                for item in items {
                    self.expr(item, &here)?;
                }
                Ok(Ty::Any)
            }
            (ShapeKind::Structure(_) | ShapeKind::Union(_), PathStep::Field(f)) => {
                let members = shape.kind.members();
                match members.iter().find(|m| &m.wire_name == f) {
                    Some(m) => Ok(Ty::Shape(m.target.clone())),
                    None => Err(format!(
                        "`{f}` is not a member of `{name}` (members: {})",
                        members
                            .iter()
                            .map(|m| m.wire_name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                }
            }
            (ShapeKind::Structure(_) | ShapeKind::Union(_), PathStep::Values) => {
                Ok(Ty::Each(Box::new(Ty::Any)))
            }
            (ShapeKind::Map { value, .. }, PathStep::Values) => {
                Ok(Ty::Each(Box::new(Ty::Shape(value.target.clone()))))
            }
            (ShapeKind::List(item), PathStep::Index(_)) => Ok(Ty::Shape(item.target.clone())),
            (ShapeKind::List(item), PathStep::Items) => {
                Ok(Ty::Each(Box::new(Ty::Shape(item.target.clone()))))
            }
            (ShapeKind::List(item), PathStep::Filter(cond)) => {
                let item = Ty::Shape(item.target.clone());
                self.expr(cond, &item)
                    .map_err(|why| format!("in the filter over `{name}`: {why}"))?;
                Ok(Ty::Each(Box::new(item)))
            }
            (kind, step) => Err(format!(
                "{} applies to `{name}`, {}",
                describe(step),
                what(kind)
            )),
        }
    }
}

fn describe(step: &PathStep) -> String {
    match step {
        PathStep::Field(f) => format!("`.{f}`"),
        PathStep::Index(n) => format!("`[{n}]`"),
        PathStep::Values => "`.*`".to_owned(),
        PathStep::Items => "`[*]`".to_owned(),
        PathStep::Flatten => "`[]`".to_owned(),
        PathStep::Filter(_) => "`[?...]`".to_owned(),
        PathStep::Select(_) => "`[...]`".to_owned(),
    }
}

fn what(kind: &ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Structure(_) => "a structure",
        ShapeKind::Union(_) => "a union",
        ShapeKind::List(_) => "a list",
        ShapeKind::Map { .. } => "a map",
        super::scalar_kind!() => "a scalar",
    }
}
