//! Evaluates the JMESPath subset Smithy waiters use: field access, `.*` and `[*]` projections,
//! `[]` flattening, `[n]` indexes, `length()`, comparisons with literals, and `&&`, `||`, `!`.
//!
//! The generator parses each path from the model (refusing anything outside the subset) and
//! emits the tree as static [`Expr`] data; this module only evaluates it, over [`Value`]s made
//! from typed outputs by generated glue. The tree's depth is bounded by the generator.

use std::collections::BTreeMap;

/// A JSON-like view of a typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    fn truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(_) => true,
            Value::String(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }
}

/// One step of a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    Field(&'static str),
    /// `[n]`; negative counts from the end.
    Index(i64),
    /// `.*`: the values of an object, with the rest of the path applied to each.
    Values,
    /// `[*]`: the items of a list, with the rest applied to each.
    Items,
    /// `[]`: flatten one level, then apply the rest to each item.
    Flatten,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A literal of a path (`` `0` ``, `` `true` ``, `'text'`, ...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    String(&'static str),
}

impl Literal {
    fn value(&self) -> Value {
        match *self {
            Literal::Null => Value::Null,
            Literal::Bool(b) => Value::Bool(b),
            Literal::Number(n) => Value::Number(n),
            Literal::String(s) => Value::String(s.to_owned()),
        }
    }
}

/// A path expression, as the generator parsed it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expr {
    Literal(Literal),
    /// `@`, the value the expression applies to.
    Current,
    /// The base, then the steps.
    Path(&'static Expr, &'static [Step]),
    Length(&'static Expr),
    Compare(Cmp, &'static Expr, &'static Expr),
    And(&'static Expr, &'static Expr),
    Or(&'static Expr, &'static Expr),
    Not(&'static Expr),
}

impl Expr {
    /// The value of the expression over `root`.
    pub fn eval(&self, root: &Value) -> Value {
        eval(self, root)
    }
}

fn eval(e: &Expr, cur: &Value) -> Value {
    match *e {
        Expr::Literal(l) => l.value(),
        Expr::Current => cur.clone(),
        Expr::Path(base, steps) => apply(eval(base, cur), steps),
        Expr::Length(inner) => match eval(inner, cur) {
            Value::List(l) => Value::Number(l.len() as f64),
            Value::Object(o) => Value::Number(o.len() as f64),
            Value::String(s) => Value::Number(s.chars().count() as f64),
            _ => Value::Null,
        },
        Expr::Compare(op, a, b) => compare(op, &eval(a, cur), &eval(b, cur)),
        Expr::And(a, b) => {
            let left = eval(a, cur);
            if left.truthy() { eval(b, cur) } else { left }
        }
        Expr::Or(a, b) => {
            let left = eval(a, cur);
            if left.truthy() { left } else { eval(b, cur) }
        }
        Expr::Not(a) => Value::Bool(!eval(a, cur).truthy()),
    }
}

fn project(items: Vec<Value>, rest: &[Step]) -> Value {
    Value::List(
        items
            .into_iter()
            .map(|v| apply(v, rest))
            .filter(|v| *v != Value::Null)
            .collect(),
    )
}

fn apply(v: Value, steps: &[Step]) -> Value {
    let Some((step, rest)) = steps.split_first() else {
        return v;
    };
    match (step, v) {
        (Step::Field(name), Value::Object(mut o)) => {
            apply(o.remove(*name).unwrap_or(Value::Null), rest)
        }
        (Step::Index(i), Value::List(mut l)) => {
            let len = l.len() as i64;
            let idx = if *i < 0 { len + i } else { *i };
            if (0..len).contains(&idx) {
                apply(l.swap_remove(idx as usize), rest)
            } else {
                Value::Null
            }
        }
        (Step::Values, Value::Object(o)) => project(o.into_values().collect(), rest),
        (Step::Items, Value::List(l)) => project(l, rest),
        (Step::Flatten, Value::List(l)) => {
            let mut flat = Vec::new();
            for item in l {
                match item {
                    Value::List(inner) => flat.extend(inner),
                    other => flat.push(other),
                }
            }
            project(flat, rest)
        }
        _ => Value::Null,
    }
}

fn compare(op: Cmp, a: &Value, b: &Value) -> Value {
    let (x, y) = match (op, a, b) {
        (Cmp::Eq, ..) => return Value::Bool(a == b),
        (Cmp::Ne, ..) => return Value::Bool(a != b),
        (_, Value::Number(x), Value::Number(y)) => (x, y),
        _ => return Value::Null,
    };
    Value::Bool(match op {
        Cmp::Eq => x == y,
        Cmp::Ne => x != y,
        Cmp::Lt => x < y,
        Cmp::Le => x <= y,
        Cmp::Gt => x > y,
        Cmp::Ge => x >= y,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    /// `VerificationAttributes.*.VerificationStatus`, as the generator emits it.
    static SES_IDENTITY_EXISTS: Expr = Expr::Path(
        &Expr::Current,
        &[
            Step::Field("VerificationAttributes"),
            Step::Values,
            Step::Field("VerificationStatus"),
        ],
    );

    #[test]
    fn ses_identity_exists_path() {
        let p = &SES_IDENTITY_EXISTS;
        let attrs = |statuses: &[&str]| {
            obj(&[(
                "VerificationAttributes",
                Value::Object(
                    statuses
                        .iter()
                        .enumerate()
                        .map(|(i, st)| (format!("id{i}"), obj(&[("VerificationStatus", s(st))])))
                        .collect(),
                ),
            )])
        };
        assert_eq!(
            p.eval(&attrs(&["Success", "Pending"])),
            Value::List(vec![s("Success"), s("Pending")])
        );
        assert_eq!(p.eval(&attrs(&[])), Value::List(vec![]));
        assert_eq!(p.eval(&obj(&[])), Value::Null);
    }

    /// `length(MetricAlarms[]) > `0``
    static CLOUDWATCH_ALARM_EXISTS: Expr = Expr::Compare(
        Cmp::Gt,
        &Expr::Length(&Expr::Path(
            &Expr::Current,
            &[Step::Field("MetricAlarms"), Step::Flatten],
        )),
        &Expr::Literal(Literal::Number(0.0)),
    );

    #[test]
    fn cloudwatch_length_comparison() {
        let p = &CLOUDWATCH_ALARM_EXISTS;
        let with = |n: usize| obj(&[("MetricAlarms", Value::List(vec![obj(&[]); n]))]);
        assert_eq!(p.eval(&with(0)), Value::Bool(false));
        assert_eq!(p.eval(&with(2)), Value::Bool(true));
        assert_eq!(p.eval(&obj(&[])), Value::Null);
    }

    const T: Expr = Expr::Path(&Expr::Current, &[Step::Field("T")]);
    const B: Expr = Expr::Path(&Expr::Current, &[Step::Field("B")]);
    const THREE: Expr = Expr::Literal(Literal::Number(3.0));

    #[test]
    fn projections_indexes_and_logic() {
        let doc = obj(&[
            ("A", Value::List(vec![Value::List(vec![s("x")]), s("y")])),
            (
                "B",
                Value::List(vec![
                    obj(&[("C", s("1"))]),
                    obj(&[("D", s("2"))]),
                    obj(&[("C", s("3"))]),
                ]),
            ),
            ("T", Value::Bool(true)),
        ]);
        let path = |steps: &'static [Step]| Expr::Path(&Expr::Current, steps);
        // A[]
        assert_eq!(
            path(&[Step::Field("A"), Step::Flatten]).eval(&doc),
            Value::List(vec![s("x"), s("y")])
        );
        // B[*].C
        assert_eq!(
            path(&[Step::Field("B"), Step::Items, Step::Field("C")]).eval(&doc),
            Value::List(vec![s("1"), s("3")])
        );
        // B[-1].C
        assert_eq!(
            path(&[Step::Field("B"), Step::Index(-1), Step::Field("C")]).eval(&doc),
            s("3")
        );
        // B[5].C
        assert_eq!(
            path(&[Step::Field("B"), Step::Index(5), Step::Field("C")]).eval(&doc),
            Value::Null
        );
        // B[0].C == '1'
        assert_eq!(
            Expr::Compare(
                Cmp::Eq,
                &Expr::Path(
                    &Expr::Current,
                    &[Step::Field("B"), Step::Index(0), Step::Field("C")]
                ),
                &Expr::Literal(Literal::String("1")),
            )
            .eval(&doc),
            Value::Bool(true)
        );
        // T && !T
        assert_eq!(Expr::And(&T, &Expr::Not(&T)).eval(&doc), Value::Bool(false));
        // Missing || T
        assert_eq!(
            Expr::Or(&Expr::Path(&Expr::Current, &[Step::Field("Missing")]), &T).eval(&doc),
            Value::Bool(true)
        );
        // length(B) >= `3`, length(B) != `3`, length(B) < `3`
        assert_eq!(
            Expr::Compare(Cmp::Ge, &Expr::Length(&B), &THREE).eval(&doc),
            Value::Bool(true)
        );
        assert_eq!(
            Expr::Compare(Cmp::Ne, &Expr::Length(&B), &THREE).eval(&doc),
            Value::Bool(false)
        );
        assert_eq!(
            Expr::Compare(Cmp::Lt, &Expr::Length(&B), &THREE).eval(&doc),
            Value::Bool(false)
        );
        // Ordering compares numbers only.
        assert_eq!(Expr::Compare(Cmp::Le, &T, &THREE).eval(&doc), Value::Null);
        // `*`: an object's values; the `null` literal; `@`.
        assert_eq!(
            Expr::Path(&Expr::Current, &[Step::Values]).eval(&obj(&[("k", s("v"))])),
            Value::List(vec![s("v")])
        );
        assert_eq!(Expr::Literal(Literal::Null).eval(&doc), Value::Null);
        assert_eq!(Expr::Current.eval(&doc), doc);
    }
}
