//! Waiter paths checked against the shapes they read: every `.Field` must name a member of the
//! structure (or union) it applies to, `[*]`/`[]`/`[n]` must apply to a list and `.*` to a map
//! or structure. A path with a typo would otherwise evaluate to `null` on every poll and the
//! waiter would never match; here it is a codegen error naming the waiter, acceptor and field.
//!
//! The walk follows the path tree, whose depth `waiter_path` bounds.

use std::collections::BTreeMap;

use super::waiter_path::{PathExpr, PathStep};
use super::{Matcher, Operation, Shape, ShapeId, ShapeKind};
use crate::error::Error;

/// What a (sub)expression yields, as far as the shapes tell.
#[derive(Debug, Clone)]
enum Ty {
    /// A value of this shape.
    Shape(ShapeId),
    /// `{"input": .., "output": ..}` of an `inputOutput` matcher.
    InputOutput,
    /// Each element of a projection has this type.
    Each(Box<Ty>),
    /// Anything (literals, `length()`, comparisons, a union's unknown member).
    Any,
}

/// Checks the paths of every acceptor of `op`'s waiters.
pub(super) fn check(op: &Operation, shapes: &BTreeMap<ShapeId, Shape>) -> Result<(), Error> {
    for w in &op.waiters {
        for (i, a) in w.acceptors.iter().enumerate() {
            let (path, root) = match &a.matcher {
                Matcher::Output { path, .. } => (path, Ty::Shape(op.output.clone())),
                Matcher::InputOutput { path, .. } => (path, Ty::InputOutput),
                Matcher::Success(_) | Matcher::ErrorType(_) => continue,
            };
            let cx = Walk { op, shapes };
            cx.expr(path, &root).map_err(|what| Error::Model {
                shape: op.id.clone(),
                message: format!("waiter {}: acceptor {i}: {what}", w.name),
            })?;
        }
    }
    Ok(())
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
            PathExpr::Length(arg) => self.expr(arg, current).map(|_| Ty::Any),
            PathExpr::Compare(_, a, b) | PathExpr::And(a, b) | PathExpr::Or(a, b) => {
                self.expr(a, current)?;
                self.expr(b, current)?;
                Ok(Ty::Any)
            }
            PathExpr::Not(a) => self.expr(a, current).map(|_| Ty::Any),
        }
    }

    fn step(&self, ty: &Ty, step: &PathStep) -> Result<Ty, String> {
        match ty {
            Ty::Any => Ok(Ty::Any),
            // A projection applies the rest of the path to each element.
            Ty::Each(inner) => Ok(Ty::Each(Box::new(self.step(inner, step)?))),
            Ty::InputOutput => match step {
                PathStep::Field(f) if f == "input" => Ok(Ty::Shape(self.op.input.clone())),
                PathStep::Field(f) if f == "output" => Ok(Ty::Shape(self.op.output.clone())),
                PathStep::Field(f) => Err(format!(
                    "`{f}`: an inputOutput path starts with `input` or `output`"
                )),
                PathStep::Values => Ok(Ty::Each(Box::new(Ty::Any))),
                PathStep::Index(_) | PathStep::Items | PathStep::Flatten => {
                    Err("an inputOutput path starts with `input` or `output`".into())
                }
            },
            Ty::Shape(id) => self.shape_step(id, step),
        }
    }

    fn shape_step(&self, id: &ShapeId, step: &PathStep) -> Result<Ty, String> {
        let Some(shape) = self.shapes.get(id) else {
            return Ok(Ty::Any);
        };
        let name = &shape.rust_name;
        match (&shape.kind, step) {
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
            (ShapeKind::List(item), PathStep::Flatten) => {
                // `[]` flattens a list of lists one level, and leaves other items as they are.
                let inner = match self.shapes.get(&item.target).map(|s| &s.kind) {
                    Some(ShapeKind::List(inner)) => inner.target.clone(),
                    _ => item.target.clone(),
                };
                Ok(Ty::Each(Box::new(Ty::Shape(inner))))
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
