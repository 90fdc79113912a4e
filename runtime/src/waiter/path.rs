//! The JMESPath subset Smithy waiters use: field access, `.*` and `[*]` projections, `[]`
//! flattening, `[n]` indexes, `length()`, comparisons with literals, and `&&`, `||`, `!`.
//!
//! Paths come from the model as text; they are parsed when a waiter runs (and every path of the
//! shipped models is parsed in the tests below), evaluated over [`Value`]s made from typed
//! outputs by generated glue.

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

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Index(i64),
    /// `.*`: the values of an object, with the rest of the path applied to each.
    Values,
    /// `[*]`: the items of a list, with the rest applied to each.
    Items,
    /// `[]`: flatten one level, then apply the rest to each item.
    Flatten,
}

#[derive(Debug, Clone, PartialEq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Literal(Value),
    Path(Box<Expr>, Vec<Step>),
    Current,
    Length(Box<Expr>),
    Compare(Cmp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
}

/// A parsed path expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    expr: Expr,
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
            text,
        };
        let expr = p.or()?;
        p.ws();
        if p.i != p.s.len() {
            return Err(p.error("unexpected text"));
        }
        Ok(Path { expr })
    }

    pub fn eval(&self, root: &Value) -> Value {
        eval(&self.expr, root)
    }
}

fn eval(e: &Expr, cur: &Value) -> Value {
    match e {
        Expr::Literal(v) => v.clone(),
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
            apply(o.remove(name).unwrap_or(Value::Null), rest)
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

fn compare(op: &Cmp, a: &Value, b: &Value) -> Value {
    match op {
        Cmp::Eq => Value::Bool(a == b),
        Cmp::Ne => Value::Bool(a != b),
        _ => match (a, b) {
            (Value::Number(x), Value::Number(y)) => Value::Bool(match op {
                Cmp::Lt => x < y,
                Cmp::Le => x <= y,
                Cmp::Gt => x > y,
                _ => x >= y,
            }),
            _ => Value::Null,
        },
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!(
            "invalid waiter path `{}`: {what} at offset {}",
            self.text, self.i
        )
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(token.as_bytes()) {
            self.i += token.len();
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.eat("||") {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.eat("&&") {
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        self.ws();
        if self.s.get(self.i) == Some(&b'!') && self.s.get(self.i + 1) != Some(&b'=') {
            self.i += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let left = self.path()?;
        let ops = [
            ("==", Cmp::Eq),
            ("!=", Cmp::Ne),
            ("<=", Cmp::Le),
            (">=", Cmp::Ge),
            ("<", Cmp::Lt),
            (">", Cmp::Gt),
        ];
        for (tok, op) in ops {
            if self.eat(tok) {
                let right = self.path()?;
                return Ok(Expr::Compare(op, Box::new(left), Box::new(right)));
            }
        }
        Ok(left)
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        (self.i > start).then(|| String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn path(&mut self) -> Result<Expr, String> {
        self.ws();
        let mut steps = Vec::new();
        let base = match self.s.get(self.i) {
            Some(b'`') => return self.json_literal(),
            Some(b'\'') => return self.raw_string(),
            Some(b'(') => {
                self.i += 1;
                let inner = self.or()?;
                if !self.eat(")") {
                    return Err(self.error("expected `)`"));
                }
                inner
            }
            Some(b'@') => {
                self.i += 1;
                Expr::Current
            }
            Some(b'*') => {
                self.i += 1;
                steps.push(Step::Values);
                Expr::Current
            }
            Some(b'[') => Expr::Current,
            _ => {
                let name = self
                    .ident()
                    .ok_or_else(|| self.error("expected a field name"))?;
                if self.eat("(") {
                    if name != "length" {
                        return Err(self.error(&format!("unsupported function `{name}`")));
                    }
                    let arg = self.or()?;
                    if !self.eat(")") {
                        return Err(self.error("expected `)`"));
                    }
                    Expr::Length(Box::new(arg))
                } else {
                    steps.push(Step::Field(name));
                    Expr::Current
                }
            }
        };
        loop {
            self.ws();
            if self.eat(".*") {
                steps.push(Step::Values);
            } else if self.eat(".") {
                let name = self
                    .ident()
                    .ok_or_else(|| self.error("expected a field name after `.`"))?;
                steps.push(Step::Field(name));
            } else if self.eat("[]") {
                steps.push(Step::Flatten);
            } else if self.eat("[*]") {
                steps.push(Step::Items);
            } else if self.eat("[") {
                self.ws();
                let start = self.i;
                if self.s.get(self.i) == Some(&b'-') {
                    self.i += 1;
                }
                while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
                    self.i += 1;
                }
                let n: i64 = self.text[start..self.i]
                    .parse()
                    .map_err(|_| self.error("expected an index"))?;
                if !self.eat("]") {
                    return Err(self.error("expected `]`"));
                }
                steps.push(Step::Index(n));
            } else {
                break;
            }
        }
        Ok(if steps.is_empty() {
            base
        } else {
            Expr::Path(Box::new(base), steps)
        })
    }

    fn raw_string(&mut self) -> Result<Expr, String> {
        self.i += 1;
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i] != b'\'' {
            self.i += 1;
        }
        if self.i >= self.s.len() {
            return Err(self.error("unterminated string"));
        }
        let s = self.text[start..self.i].to_owned();
        self.i += 1;
        Ok(Expr::Literal(Value::String(s)))
    }

    /// `` `0` ``, `` `true` ``, `` `"text"` ``, `` `null` ``.
    fn json_literal(&mut self) -> Result<Expr, String> {
        self.i += 1;
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i] != b'`' {
            self.i += 1;
        }
        if self.i >= self.s.len() {
            return Err(self.error("unterminated literal"));
        }
        let raw = self.text[start..self.i].trim();
        self.i += 1;
        let v = match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            s if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') => {
                Value::String(s[1..s.len() - 1].to_owned())
            }
            s => Value::Number(
                s.parse()
                    .map_err(|_| self.error(&format!("unsupported literal `{s}`")))?,
            ),
        };
        Ok(Expr::Literal(v))
    }
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

    #[test]
    fn ses_identity_exists_path() {
        let p = Path::parse("VerificationAttributes.*.VerificationStatus").unwrap();
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

    #[test]
    fn cloudwatch_length_comparison() {
        let p = Path::parse("length(MetricAlarms[]) > `0`").unwrap();
        let with = |n: usize| obj(&[("MetricAlarms", Value::List(vec![obj(&[]); n]))]);
        assert_eq!(p.eval(&with(0)), Value::Bool(false));
        assert_eq!(p.eval(&with(2)), Value::Bool(true));
        assert_eq!(p.eval(&obj(&[])), Value::Null);
    }

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
        assert_eq!(
            Path::parse("A[]").unwrap().eval(&doc),
            Value::List(vec![s("x"), s("y")])
        );
        assert_eq!(
            Path::parse("B[*].C").unwrap().eval(&doc),
            Value::List(vec![s("1"), s("3")])
        );
        assert_eq!(Path::parse("B[-1].C").unwrap().eval(&doc), s("3"));
        assert_eq!(
            Path::parse("B[0].C == '1'").unwrap().eval(&doc),
            Value::Bool(true)
        );
        assert_eq!(
            Path::parse("T && !T").unwrap().eval(&doc),
            Value::Bool(false)
        );
        assert_eq!(
            Path::parse("Missing || T").unwrap().eval(&doc),
            Value::Bool(true)
        );
        assert_eq!(
            Path::parse("length(B) >= `3`").unwrap().eval(&doc),
            Value::Bool(true)
        );
        assert_eq!(
            Path::parse("length(B) != `3`").unwrap().eval(&doc),
            Value::Bool(false)
        );
    }

    #[test]
    fn bad_paths_are_errors_not_panics() {
        for bad in [
            "",
            "A.",
            "A[",
            "length(A",
            "sort(A)",
            "`unterminated",
            "A ] B",
            "'x",
        ] {
            assert!(Path::parse(bad).is_err(), "{bad}");
        }
    }
}
