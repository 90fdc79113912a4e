//! Evaluates the JMESPath Smithy waiters use: field access, sub-expressions, `[n]` indexes,
//! `.*` and `[*]` projections, `[?expr]` filter projections, `[]` flattening, multi-select
//! lists, literals, comparisons, `&&`, `||`, `!`, `|` and the functions of [`Func`], with the
//! JMESPath specification's semantics (truthiness, projections dropping `null`s, ordering
//! comparisons of anything but numbers giving `null`). A function given arguments of the wrong
//! type gives `null` (JMESPath raises an error: here it means no acceptor matches).
//!
//! The generator parses each path from the model (refusing anything outside this set) and
//! emits the tree as static [`Expr`] data; this module only evaluates it, over [`Value`]s made
//! from typed outputs by generated glue. The tree's depth is bounded by the generator, and the
//! evaluation recurses only along the tree.

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

    /// JMESPath's `type()` name.
    fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "array",
            Value::Object(_) => "object",
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
    /// `[]`: flatten everything before it one level, then apply the rest (up to the next `[]`)
    /// to each item.
    Flatten,
    /// `[?expr]`: the items of a list for which `expr` is truthy, with the rest applied to
    /// each.
    Filter(&'static Expr),
    /// `[a, b]`: each expression applied to the value, as a list (`null` for `null`).
    Select(&'static [Expr]),
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

/// The JMESPath built-in functions a path may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Abs,
    Contains,
    EndsWith,
    Keys,
    Length,
    Max,
    Min,
    NotNull,
    StartsWith,
    Sum,
    ToArray,
    Type,
    Values,
}

/// A literal of a path (`` `0` ``, `` `true` ``, `'text'`, `` `[1, 2]` ``, ...).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    String(&'static str),
    List(&'static [Literal]),
    Object(&'static [(&'static str, Literal)]),
}

impl Literal {
    fn value(&self) -> Value {
        match *self {
            Literal::Null => Value::Null,
            Literal::Bool(b) => Value::Bool(b),
            Literal::Number(n) => Value::Number(n),
            Literal::String(s) => Value::String(s.to_owned()),
            Literal::List(items) => Value::List(items.iter().map(Literal::value).collect()),
            Literal::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.value()))
                    .collect(),
            ),
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
    /// A function and its arguments (their number checked by the generator).
    Call(Func, &'static [Expr]),
    Compare(Cmp, &'static Expr, &'static Expr),
    And(&'static Expr, &'static Expr),
    Or(&'static Expr, &'static Expr),
    Not(&'static Expr),
    /// `left | right`
    Pipe(&'static Expr, &'static Expr),
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
        Expr::Call(f, args) => call(f, args.iter().map(|a| eval(a, cur)).collect()),
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
        Expr::Pipe(a, b) => eval(b, &eval(a, cur)),
    }
}

/// `f` over evaluated arguments; `null` where JMESPath would raise a type error.
fn call(f: Func, args: Vec<Value>) -> Value {
    if f == Func::NotNull {
        return args
            .into_iter()
            .find(|v| *v != Value::Null)
            .unwrap_or(Value::Null);
    }
    let mut args_iter = args.iter();
    let (a, b) = (args_iter.next(), args_iter.next());
    match (f, a, b) {
        (Func::Length, Some(Value::List(l)), _) => Value::Number(l.len() as f64),
        (Func::Length, Some(Value::Object(o)), _) => Value::Number(o.len() as f64),
        (Func::Length, Some(Value::String(s)), _) => Value::Number(s.chars().count() as f64),
        (Func::Contains, Some(Value::String(s)), Some(Value::String(n))) => {
            Value::Bool(s.contains(n.as_str()))
        }
        (Func::Contains, Some(Value::List(l)), Some(x)) => Value::Bool(l.contains(x)),
        (Func::StartsWith, Some(Value::String(s)), Some(Value::String(p))) => {
            Value::Bool(s.starts_with(p.as_str()))
        }
        (Func::EndsWith, Some(Value::String(s)), Some(Value::String(p))) => {
            Value::Bool(s.ends_with(p.as_str()))
        }
        (Func::Abs, Some(Value::Number(n)), _) => Value::Number(n.abs()),
        (Func::Keys, Some(Value::Object(o)), _) => {
            Value::List(o.keys().cloned().map(Value::String).collect())
        }
        (Func::Values, Some(Value::Object(o)), _) => Value::List(o.values().cloned().collect()),
        (Func::Type, Some(v), _) => Value::String(v.type_name().to_owned()),
        (Func::ToArray, Some(Value::List(l)), _) => Value::List(l.clone()),
        (Func::ToArray, Some(v), _) => Value::List(vec![v.clone()]),
        (Func::Sum, Some(Value::List(l)), _) => {
            let mut sum = 0.0;
            for v in l {
                let Value::Number(n) = v else {
                    return Value::Null;
                };
                sum += n;
            }
            Value::Number(sum)
        }
        (Func::Max | Func::Min, Some(Value::List(l)), _) => extreme(l, f == Func::Max),
        _ => Value::Null,
    }
}

/// The largest (`max`) or smallest item of a list of numbers or of strings; `null` for an
/// empty list or mixed items.
fn extreme(items: &[Value], max: bool) -> Value {
    let mut best: Option<&Value> = None;
    for v in items {
        let better = match (best, v) {
            (None, Value::Number(_) | Value::String(_)) => true,
            (Some(Value::Number(b)), Value::Number(x)) => (max && x > b) || (!max && x < b),
            (Some(Value::String(b)), Value::String(x)) => (max && x > b) || (!max && x < b),
            _ => return Value::Null,
        };
        if better {
            best = Some(v);
        }
    }
    best.cloned().unwrap_or(Value::Null)
}

/// The items with `rest` applied to each, `null`s dropped.
fn project(items: Vec<Value>, rest: &[Step]) -> Value {
    Value::List(
        items
            .into_iter()
            .map(|v| segment(v, rest))
            .filter(|v| *v != Value::Null)
            .collect(),
    )
}

/// `steps` over `v`. A `[]` ends the projections before it (as in JMESPath, where `[]` binds
/// looser than the other steps): the steps before it apply first, then the result is
/// flattened and the steps up to the next `[]` apply to each item.
fn apply(v: Value, steps: &[Step]) -> Value {
    let mut parts = steps.split(|s| matches!(s, Step::Flatten));
    let mut v = segment(v, parts.next().unwrap_or_default());
    for part in parts {
        v = match v {
            Value::List(l) => {
                let mut flat = Vec::with_capacity(l.len());
                for item in l {
                    match item {
                        Value::List(inner) => flat.extend(inner),
                        other => flat.push(other),
                    }
                }
                project(flat, part)
            }
            _ => Value::Null,
        };
    }
    v
}

/// Steps without `[]` over `v`: a projection applies the steps after it to each item.
fn segment(v: Value, steps: &[Step]) -> Value {
    let Some((step, rest)) = steps.split_first() else {
        return v;
    };
    match (step, v) {
        (Step::Field(name), Value::Object(mut o)) => {
            segment(o.remove(*name).unwrap_or(Value::Null), rest)
        }
        (Step::Index(i), Value::List(mut l)) => {
            let len = l.len() as i64;
            let idx = if *i < 0 { len + i } else { *i };
            if (0..len).contains(&idx) {
                segment(l.swap_remove(idx as usize), rest)
            } else {
                Value::Null
            }
        }
        (Step::Values, Value::Object(o)) => project(o.into_values().collect(), rest),
        (Step::Items, Value::List(l)) => project(l, rest),
        (Step::Filter(cond), Value::List(l)) => project(
            l.into_iter().filter(|v| eval(cond, v).truthy()).collect(),
            rest,
        ),
        (Step::Select(_), Value::Null) => Value::Null,
        (Step::Select(exprs), v) => segment(
            Value::List(exprs.iter().map(|e| eval(e, &v)).collect()),
            rest,
        ),
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
        &Expr::Call(
            Func::Length,
            &[Expr::Path(
                &Expr::Current,
                &[Step::Field("MetricAlarms"), Step::Flatten],
            )],
        ),
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
    const LENGTH_B: Expr = Expr::Call(Func::Length, &[B]);
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
            Expr::Compare(Cmp::Ge, &LENGTH_B, &THREE).eval(&doc),
            Value::Bool(true)
        );
        assert_eq!(
            Expr::Compare(Cmp::Ne, &LENGTH_B, &THREE).eval(&doc),
            Value::Bool(false)
        );
        assert_eq!(
            Expr::Compare(Cmp::Lt, &LENGTH_B, &THREE).eval(&doc),
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

    fn list(items: Vec<Value>) -> Value {
        Value::List(items)
    }
    fn n(x: f64) -> Value {
        Value::Number(x)
    }
    const CUR: Expr = Expr::Current;
    const fn field(name: &'static str) -> Step {
        Step::Field(name)
    }
    const NAMES: Expr = Expr::Path(&Expr::Current, &[field("Names")]);
    const NAME: Expr = Expr::Path(&Expr::Current, &[field("Name")]);
    const OBJ: Expr = Expr::Path(&Expr::Current, &[field("Obj")]);
    const NUMS: Expr = Expr::Path(&Expr::Current, &[field("Nums")]);
    const MISSING: Expr = Expr::Path(&Expr::Current, &[field("Missing")]);
    const X: Expr = Expr::Literal(Literal::String("x"));
    const ONE: Expr = Expr::Literal(Literal::Number(1.0));

    fn fn_doc() -> Value {
        obj(&[
            ("Names", list(vec![s("x"), s("y"), n(1.0)])),
            ("Name", s("prefix-x-suffix")),
            ("Obj", obj(&[("a", n(1.0)), ("b", s("two"))])),
            ("Nums", list(vec![n(3.0), n(-4.0), n(2.5)])),
        ])
    }

    #[test]
    fn functions_follow_jmespath() {
        let doc = fn_doc();
        let call = |f: Func, args: &'static [Expr]| Expr::Call(f, args).eval(&doc);
        // length: strings (in characters), arrays, objects; anything else is a type error.
        assert_eq!(call(Func::Length, &[NAMES]), n(3.0));
        assert_eq!(call(Func::Length, &[OBJ]), n(2.0));
        assert_eq!(
            Expr::Call(Func::Length, &[Expr::Literal(Literal::String("héllo"))]).eval(&doc),
            n(5.0)
        );
        assert_eq!(call(Func::Length, &[ONE]), Value::Null);
        assert_eq!(call(Func::Length, &[MISSING]), Value::Null);
        // contains: a string with a string, an array with any value.
        assert_eq!(call(Func::Contains, &[NAMES, X]), Value::Bool(true));
        assert_eq!(call(Func::Contains, &[NAMES, ONE]), Value::Bool(true));
        assert_eq!(
            call(
                Func::Contains,
                &[NAMES, Expr::Literal(Literal::String("z"))]
            ),
            Value::Bool(false)
        );
        assert_eq!(
            call(
                Func::Contains,
                &[NAME, Expr::Literal(Literal::String("-x-"))]
            ),
            Value::Bool(true)
        );
        assert_eq!(call(Func::Contains, &[NAME, ONE]), Value::Null);
        assert_eq!(call(Func::Contains, &[OBJ, X]), Value::Null);
        assert_eq!(
            call(
                Func::StartsWith,
                &[NAME, Expr::Literal(Literal::String("prefix"))]
            ),
            Value::Bool(true)
        );
        assert_eq!(
            call(
                Func::EndsWith,
                &[NAME, Expr::Literal(Literal::String("prefix"))]
            ),
            Value::Bool(false)
        );
        assert_eq!(call(Func::EndsWith, &[NAMES, X]), Value::Null);
        assert_eq!(
            Expr::Call(Func::Abs, &[Expr::Literal(Literal::Number(-2.0))]).eval(&doc),
            n(2.0)
        );
        assert_eq!(call(Func::Keys, &[OBJ]), list(vec![s("a"), s("b")]));
        assert_eq!(call(Func::Values, &[OBJ]), list(vec![n(1.0), s("two")]));
        assert_eq!(call(Func::Keys, &[NAMES]), Value::Null);
        assert_eq!(call(Func::Type, &[NAMES]), s("array"));
        assert_eq!(call(Func::Type, &[MISSING]), s("null"));
        assert_eq!(call(Func::Type, &[OBJ]), s("object"));
        assert_eq!(
            call(Func::NotNull, &[MISSING, NAME, ONE]),
            s("prefix-x-suffix")
        );
        assert_eq!(call(Func::NotNull, &[MISSING]), Value::Null);
        assert_eq!(
            call(Func::ToArray, &[NAME]),
            list(vec![s("prefix-x-suffix")])
        );
        assert_eq!(
            call(Func::ToArray, &[NUMS]),
            list(vec![n(3.0), n(-4.0), n(2.5)])
        );
        assert_eq!(call(Func::Sum, &[NUMS]), n(1.5));
        assert_eq!(call(Func::Sum, &[NAMES]), Value::Null);
        assert_eq!(call(Func::Max, &[NUMS]), n(3.0));
        assert_eq!(call(Func::Min, &[NUMS]), n(-4.0));
        assert_eq!(call(Func::Max, &[NAMES]), Value::Null);
        assert_eq!(
            Expr::Call(Func::Min, &[Expr::Literal(Literal::List(&[]))]).eval(&doc),
            Value::Null
        );
        assert_eq!(
            Expr::Call(
                Func::Max,
                &[Expr::Literal(Literal::List(&[
                    Literal::String("a"),
                    Literal::String("c"),
                    Literal::String("b")
                ]))]
            )
            .eval(&doc),
            s("c")
        );
    }

    #[test]
    fn comparisons_follow_jmespath() {
        let doc = fn_doc();
        let cmp = |op: Cmp, a: Literal, b: Literal| {
            Expr::Compare(
                op,
                &*Box::leak(Box::new(Expr::Literal(a))),
                &*Box::leak(Box::new(Expr::Literal(b))),
            )
            .eval(&doc)
        };
        use Literal as L;
        for (op, a, b, want) in [
            (Cmp::Lt, L::Number(1.0), L::Number(2.0), Value::Bool(true)),
            (Cmp::Le, L::Number(2.0), L::Number(2.0), Value::Bool(true)),
            (Cmp::Gt, L::Number(1.0), L::Number(2.0), Value::Bool(false)),
            (Cmp::Ge, L::Number(2.0), L::Number(2.0), Value::Bool(true)),
            (Cmp::Eq, L::Number(1.0), L::Number(1.0), Value::Bool(true)),
            (Cmp::Ne, L::String("a"), L::String("b"), Value::Bool(true)),
            // Ordering anything but numbers is null.
            (Cmp::Lt, L::String("a"), L::String("b"), Value::Null),
            (Cmp::Ge, L::Bool(true), L::Bool(false), Value::Null),
            (Cmp::Gt, L::Null, L::Number(1.0), Value::Null),
            // Equality is deep, across every type.
            (
                Cmp::Eq,
                L::List(&[L::Number(1.0), L::Object(&[("k", L::Null)])]),
                L::List(&[L::Number(1.0), L::Object(&[("k", L::Null)])]),
                Value::Bool(true),
            ),
            (Cmp::Eq, L::Null, L::Bool(false), Value::Bool(false)),
            (Cmp::Ne, L::List(&[]), L::Object(&[]), Value::Bool(true)),
        ] {
            assert_eq!(cmp(op, a, b), want, "{op:?} {a:?} {b:?}");
        }
    }

    #[test]
    fn filters_flattens_selects_and_pipes() {
        // Reservations[].Instances[].State.Name: `[]` flattens the whole projection before it.
        let inst = |st: &str| obj(&[("State", obj(&[("Name", s(st))]))]);
        let doc = obj(&[(
            "Reservations",
            list(vec![
                obj(&[("Instances", list(vec![inst("running"), inst("pending")]))]),
                obj(&[("Instances", list(vec![inst("running")]))]),
                obj(&[]),
            ]),
        )]);
        static NAMES_FLAT: Expr = Expr::Path(
            &Expr::Current,
            &[
                field("Reservations"),
                Step::Flatten,
                field("Instances"),
                Step::Flatten,
                field("State"),
                field("Name"),
            ],
        );
        assert_eq!(
            NAMES_FLAT.eval(&doc),
            list(vec![s("running"), s("pending"), s("running")])
        );
        // Reservations[*].Instances[*].State.Name keeps one list per reservation.
        static NAMES_NESTED: Expr = Expr::Path(
            &Expr::Current,
            &[
                field("Reservations"),
                Step::Items,
                field("Instances"),
                Step::Items,
                field("State"),
                field("Name"),
            ],
        );
        assert_eq!(
            NAMES_NESTED.eval(&doc),
            list(vec![
                list(vec![s("running"), s("pending")]),
                list(vec![s("running")])
            ])
        );
        // ...and `[]` after it flattens that: Reservations[*].Instances[*].State.Name[]
        static NESTED_FLAT: Expr = Expr::Path(&NAMES_NESTED, &[Step::Flatten]);
        assert_eq!(NESTED_FLAT.eval(&doc), NAMES_FLAT.eval(&doc));
        // `[]` on something not a list is null.
        assert_eq!(
            Expr::Path(&NAME, &[Step::Flatten]).eval(&fn_doc()),
            Value::Null
        );

        // length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`
        static DEPLOYMENTS: Expr = Expr::Path(&Expr::Current, &[field("deployments")]);
        static RUNNING: Expr = Expr::Path(&Expr::Current, &[field("runningCount")]);
        static DESIRED: Expr = Expr::Path(&Expr::Current, &[field("desiredCount")]);
        static SETTLED: Expr = Expr::And(
            &Expr::Compare(Cmp::Eq, &Expr::Call(Func::Length, &[DEPLOYMENTS]), &ONE),
            &Expr::Compare(Cmp::Eq, &RUNNING, &DESIRED),
        );
        static STABLE: Expr = Expr::Compare(
            Cmp::Eq,
            &Expr::Call(
                Func::Length,
                &[Expr::Path(
                    &Expr::Current,
                    &[field("services"), Step::Filter(&Expr::Not(&SETTLED))],
                )],
            ),
            &Expr::Literal(Literal::Number(0.0)),
        );
        let svc = |deployments: usize, running: f64, desired: f64| {
            obj(&[
                ("deployments", list(vec![obj(&[]); deployments])),
                ("runningCount", n(running)),
                ("desiredCount", n(desired)),
            ])
        };
        let services = |s: Vec<Value>| obj(&[("services", list(s))]);
        assert_eq!(
            STABLE.eval(&services(vec![svc(1, 2.0, 2.0), svc(1, 1.0, 1.0)])),
            Value::Bool(true)
        );
        assert_eq!(
            STABLE.eval(&services(vec![svc(1, 2.0, 2.0), svc(2, 1.0, 1.0)])),
            Value::Bool(false)
        );
        assert_eq!(
            STABLE.eval(&services(vec![svc(1, 1.0, 2.0)])),
            Value::Bool(false)
        );
        // A filter then more steps; on a non-list it is null.
        static OK_NAMES: Expr = Expr::Path(
            &Expr::Current,
            &[
                field("Items"),
                Step::Filter(&Expr::Compare(
                    Cmp::Eq,
                    &Expr::Path(&Expr::Current, &[field("State")]),
                    &Expr::Literal(Literal::String("ok")),
                )),
                field("Name"),
            ],
        );
        let item = |name: &str, st: &str| obj(&[("Name", s(name)), ("State", s(st))]);
        assert_eq!(
            OK_NAMES.eval(&obj(&[(
                "Items",
                list(vec![item("a", "ok"), item("b", "bad"), item("c", "ok")])
            )])),
            list(vec![s("a"), s("c")])
        );
        assert_eq!(OK_NAMES.eval(&obj(&[("Items", s("x"))])), Value::Null);
        // [?@ == 'x'] over a list of strings.
        static XS: Expr = Expr::Path(
            &Expr::Current,
            &[Step::Filter(&Expr::Compare(Cmp::Eq, &CUR, &X))],
        );
        assert_eq!(
            XS.eval(&list(vec![s("x"), s("y"), s("x")])),
            list(vec![s("x"), s("x")])
        );

        // Multi-select lists keep nulls; over null they are null; inside a projection, one per item.
        static PAIR: Expr = Expr::Path(&Expr::Current, &[Step::Select(&[NAME, MISSING])]);
        assert_eq!(
            PAIR.eval(&fn_doc()),
            list(vec![s("prefix-x-suffix"), Value::Null])
        );
        assert_eq!(PAIR.eval(&Value::Null), Value::Null);
        static PAIRS: Expr = Expr::Path(
            &Expr::Current,
            &[
                field("Items"),
                Step::Items,
                Step::Select(&[NAME]),
                Step::Index(0),
            ],
        );
        assert_eq!(
            PAIRS.eval(&obj(&[(
                "Items",
                list(vec![item("a", "ok"), item("b", "ok")])
            )])),
            list(vec![s("a"), s("b")])
        );
        // Items[*].Name | [0]: the pipe ends the projection.
        static FIRST: Expr = Expr::Pipe(
            &Expr::Path(
                &Expr::Current,
                &[field("Items"), Step::Items, field("Name")],
            ),
            &Expr::Path(&Expr::Current, &[Step::Index(0)]),
        );
        assert_eq!(
            FIRST.eval(&obj(&[(
                "Items",
                list(vec![item("a", "ok"), item("b", "ok")])
            )])),
            s("a")
        );
        // Object and list literals.
        assert_eq!(
            Expr::Literal(Literal::Object(&[(
                "k",
                Literal::List(&[Literal::Bool(true)])
            )]))
            .eval(&Value::Null),
            obj(&[("k", list(vec![Value::Bool(true)]))])
        );
        // Truthiness: `!` of empty things is true, of numbers false.
        for (v, want) in [
            (list(vec![]), true),
            (obj(&[]), true),
            (s(""), true),
            (Value::Bool(false), true),
            (Value::Null, true),
            (n(0.0), false),
            (s(" "), false),
        ] {
            assert_eq!(Expr::Not(&CUR).eval(&v), Value::Bool(want), "{v:?}");
        }
    }
}
