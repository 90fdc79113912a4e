//! The JMESPath subset Smithy waiters use, parsed at generation time: field access, `.*` and
//! `[*]` projections, `[]` flattening, `[n]` indexes, `length()`, comparisons with literals
//! (`` `0` ``, `` `true` ``, `` `"text"` ``, `` `null` ``, `'raw'`), `@`, parentheses, and `&&`,
//! `||`, `!`. The emitter writes the tree as static data the runtime evaluates; anything outside
//! the subset is an error here, not at run time.
//!
//! Depth is bounded: the parser's recursion and the tree it builds (which the emitter and the
//! runtime walk recursively, a path's steps counting one level each) are at most
//! [`MAX_PATH_DEPTH`] deep, else the path is an error.

/// How deeply a waiter path may nest (operators, parentheses, function calls).
pub const MAX_PATH_DEPTH: usize = 32;

/// A parsed path expression.
#[derive(Debug, Clone, PartialEq)]
pub enum PathExpr {
    Literal(PathLiteral),
    /// `@`, the value the expression applies to.
    Current,
    /// `base` followed by field accesses, indexes and projections (never empty).
    Path(Box<PathExpr>, Vec<PathStep>),
    /// `length(arg)`
    Length(Box<PathExpr>),
    Compare(PathCmp, Box<PathExpr>, Box<PathExpr>),
    And(Box<PathExpr>, Box<PathExpr>),
    Or(Box<PathExpr>, Box<PathExpr>),
    Not(Box<PathExpr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathLiteral {
    Null,
    Bool(bool),
    /// Always finite.
    Number(f64),
    String(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Field(String),
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
pub enum PathCmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Parses `text`; the error says what is wrong and where.
pub fn parse(text: &str) -> Result<PathExpr, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        text,
        nesting: 0,
    };
    let (expr, _) = p.or()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.error("unexpected text"));
    }
    Ok(expr)
}

/// A subtree and its depth.
type Node = (PathExpr, usize);

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
    /// Open `(`, `length(` and `!` around the parse position.
    nesting: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!(
            "invalid waiter path `{}`: {what} at offset {}",
            self.text, self.i
        )
    }

    /// A node over children of depth `depth`, refused beyond the limit.
    fn node(&self, expr: PathExpr, depth: usize) -> Result<Node, String> {
        if depth + 1 > MAX_PATH_DEPTH {
            return Err(self.error(&format!("nested more than {MAX_PATH_DEPTH} levels deep")));
        }
        Ok((expr, depth + 1))
    }

    /// Runs `f` one nesting level deeper, refused beyond the limit.
    fn nested(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<Node, String>,
    ) -> Result<Node, String> {
        if self.nesting >= MAX_PATH_DEPTH {
            return Err(self.error(&format!("nested more than {MAX_PATH_DEPTH} levels deep")));
        }
        self.nesting += 1;
        let r = f(self);
        self.nesting -= 1;
        r
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

    fn or(&mut self) -> Result<Node, String> {
        let (mut left, mut depth) = self.and()?;
        while self.eat("||") {
            let (right, d) = self.and()?;
            (left, depth) =
                self.node(PathExpr::Or(Box::new(left), Box::new(right)), depth.max(d))?;
        }
        Ok((left, depth))
    }

    fn and(&mut self) -> Result<Node, String> {
        let (mut left, mut depth) = self.not()?;
        while self.eat("&&") {
            let (right, d) = self.not()?;
            (left, depth) =
                self.node(PathExpr::And(Box::new(left), Box::new(right)), depth.max(d))?;
        }
        Ok((left, depth))
    }

    fn not(&mut self) -> Result<Node, String> {
        self.ws();
        if self.s.get(self.i) == Some(&b'!') && self.s.get(self.i + 1) != Some(&b'=') {
            self.i += 1;
            let (inner, d) = self.nested(Self::not)?;
            return self.node(PathExpr::Not(Box::new(inner)), d);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Node, String> {
        let (left, dl) = self.path()?;
        let ops = [
            ("==", PathCmp::Eq),
            ("!=", PathCmp::Ne),
            ("<=", PathCmp::Le),
            (">=", PathCmp::Ge),
            ("<", PathCmp::Lt),
            (">", PathCmp::Gt),
        ];
        for (tok, op) in ops {
            if self.eat(tok) {
                let (right, dr) = self.path()?;
                return self.node(
                    PathExpr::Compare(op, Box::new(left), Box::new(right)),
                    dl.max(dr),
                );
            }
        }
        Ok((left, dl))
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        (self.i > start).then(|| self.text[start..self.i].to_owned())
    }

    /// `(or)` or `length(or)`, after the `(`.
    fn parenthesized(&mut self) -> Result<Node, String> {
        self.nested(|p| {
            let inner = p.or()?;
            if !p.eat(")") {
                return Err(p.error("expected `)`"));
            }
            Ok(inner)
        })
    }

    fn path(&mut self) -> Result<Node, String> {
        self.ws();
        let mut steps = Vec::new();
        let (base, depth) = match self.s.get(self.i) {
            Some(b'`') => return self.json_literal(),
            Some(b'\'') => return self.raw_string(),
            Some(b'(') => {
                self.i += 1;
                self.parenthesized()?
            }
            Some(b'@') => {
                self.i += 1;
                (PathExpr::Current, 1)
            }
            Some(b'*') => {
                self.i += 1;
                steps.push(PathStep::Values);
                (PathExpr::Current, 1)
            }
            Some(b'[') => (PathExpr::Current, 1),
            _ => {
                let name = self
                    .ident()
                    .ok_or_else(|| self.error("expected a field name"))?;
                if self.eat("(") {
                    if name != "length" {
                        return Err(self.error(&format!("unsupported function `{name}`")));
                    }
                    let (arg, d) = self.parenthesized()?;
                    self.node(PathExpr::Length(Box::new(arg)), d)?
                } else {
                    steps.push(PathStep::Field(name));
                    (PathExpr::Current, 1)
                }
            }
        };
        loop {
            self.ws();
            if self.eat(".*") {
                steps.push(PathStep::Values);
            } else if self.eat(".") {
                let name = self
                    .ident()
                    .ok_or_else(|| self.error("expected a field name after `.`"))?;
                steps.push(PathStep::Field(name));
            } else if self.eat("[]") {
                steps.push(PathStep::Flatten);
            } else if self.eat("[*]") {
                steps.push(PathStep::Items);
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
                steps.push(PathStep::Index(n));
            } else {
                break;
            }
        }
        if steps.is_empty() {
            Ok((base, depth))
        } else {
            // The runtime applies steps one inside the other (a projection applies the rest
            // to each item), so each step counts as a level.
            let depth = depth + steps.len() - 1;
            self.node(PathExpr::Path(Box::new(base), steps), depth)
        }
    }

    fn raw_string(&mut self) -> Result<Node, String> {
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
        Ok((PathExpr::Literal(PathLiteral::String(s)), 1))
    }

    /// `` `0` ``, `` `true` ``, `` `"text"` ``, `` `null` ``.
    fn json_literal(&mut self) -> Result<Node, String> {
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
            "true" => PathLiteral::Bool(true),
            "false" => PathLiteral::Bool(false),
            "null" => PathLiteral::Null,
            s if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') => {
                PathLiteral::String(s[1..s.len() - 1].to_owned())
            }
            s => match s.parse::<f64>() {
                Ok(n) if n.is_finite() => PathLiteral::Number(n),
                _ => return Err(self.error(&format!("unsupported literal `{s}`"))),
            },
        };
        Ok((PathExpr::Literal(v), 1))
    }
}

#[cfg(test)]
mod tests {
    use super::PathExpr::*;
    use super::PathStep::*;
    use super::*;

    fn field(name: &str) -> PathStep {
        Field(name.into())
    }
    fn path(steps: Vec<PathStep>) -> PathExpr {
        Path(Box::new(Current), steps)
    }
    fn b(e: PathExpr) -> Box<PathExpr> {
        Box::new(e)
    }

    #[test]
    fn each_construct_parses() {
        assert_eq!(
            parse("VerificationAttributes.*.VerificationStatus").unwrap(),
            path(vec![
                field("VerificationAttributes"),
                Values,
                field("VerificationStatus")
            ])
        );
        assert_eq!(
            parse("length(MetricAlarms[]) > `0`").unwrap(),
            Compare(
                PathCmp::Gt,
                b(Length(b(path(vec![field("MetricAlarms"), Flatten])))),
                b(Literal(PathLiteral::Number(0.0)))
            )
        );
        assert_eq!(
            parse("B[*].C").unwrap(),
            path(vec![field("B"), Items, field("C")])
        );
        assert_eq!(
            parse("B[-1].C").unwrap(),
            path(vec![field("B"), Index(-1), field("C")])
        );
        assert_eq!(parse("*.A").unwrap(), path(vec![Values, field("A")]));
        assert_eq!(parse("[0]").unwrap(), path(vec![Index(0)]));
        assert_eq!(parse("@").unwrap(), Current);
        assert_eq!(
            parse("B[0].C == 'x'").unwrap(),
            Compare(
                PathCmp::Eq,
                b(path(vec![field("B"), Index(0), field("C")])),
                b(Literal(PathLiteral::String("x".into())))
            )
        );
        assert_eq!(
            parse("T && !T || U").unwrap(),
            Or(
                b(And(
                    b(path(vec![field("T")])),
                    b(Not(b(path(vec![field("T")]))))
                )),
                b(path(vec![field("U")]))
            )
        );
        assert_eq!(
            parse("(A).B").unwrap(),
            Path(b(path(vec![field("A")])), vec![field("B")])
        );
        for (text, cmp) in [
            ("A != B", PathCmp::Ne),
            ("A < B", PathCmp::Lt),
            ("A <= B", PathCmp::Le),
            ("A >= B", PathCmp::Ge),
        ] {
            assert!(
                matches!(parse(text).unwrap(), Compare(c, _, _) if c == cmp),
                "{text}"
            );
        }
        for (text, lit) in [
            ("`true`", PathLiteral::Bool(true)),
            ("`false`", PathLiteral::Bool(false)),
            ("`null`", PathLiteral::Null),
            ("` \"text\" `", PathLiteral::String("text".into())),
            ("`-1.5`", PathLiteral::Number(-1.5)),
        ] {
            assert_eq!(parse(text).unwrap(), Literal(lit), "{text}");
        }
    }

    #[test]
    fn bad_paths_are_errors_naming_the_path() {
        for bad in [
            "",
            "A.",
            "A[",
            "A[x]",
            "length(A",
            "sort(A)",
            "A[?B == 'x']",
            "`unterminated",
            "`inf`",
            "`1e999`",
            "`{}`",
            "A ] B",
            "'x",
            "(A",
            "é",
            "A.é",
            "A[é]",
            "A == `é`",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(&format!("`{bad}`")), "{bad}: {e}");
        }
    }

    #[test]
    fn non_ascii_text_is_kept_in_literals() {
        assert_eq!(
            parse("A == 'é'").unwrap(),
            Compare(
                PathCmp::Eq,
                b(path(vec![field("A")])),
                b(Literal(PathLiteral::String("é".into())))
            )
        );
        assert_eq!(
            parse("`\"ü\"`").unwrap(),
            Literal(PathLiteral::String("ü".into()))
        );
    }

    #[test]
    fn depth_is_bounded() {
        let ok = |n: usize| parse(&format!("{}A{}", "(".repeat(n), ")".repeat(n)));
        ok(MAX_PATH_DEPTH - 1).unwrap();
        assert!(ok(100_000).unwrap_err().contains("levels deep"));
        let nots = |n: usize| parse(&format!("{}A", "!".repeat(n)));
        nots(MAX_PATH_DEPTH - 2).unwrap();
        assert!(nots(100_000).unwrap_err().contains("levels deep"));
        // Long chains build deep trees through loops, not recursion: bounded all the same.
        let chain = |n: usize| parse(&vec!["A"; n].join(" || "));
        chain(MAX_PATH_DEPTH - 2).unwrap();
        assert!(chain(100_000).unwrap_err().contains("levels deep"));
        let lengths = |n: usize| parse(&format!("{}A{}", "length(".repeat(n), ")".repeat(n)));
        lengths(MAX_PATH_DEPTH / 2).unwrap();
        assert!(lengths(10_000).unwrap_err().contains("levels deep"));
        // The runtime applies a path's steps one inside the other: they count too.
        let steps = |n: usize| parse(&vec!["A[*]"; n].join("."));
        steps(MAX_PATH_DEPTH / 4).unwrap();
        assert!(steps(100_000).unwrap_err().contains("levels deep"));
    }
}
