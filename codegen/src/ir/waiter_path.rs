//! The JMESPath that Smithy waiters use, parsed at generation time: field access (bare and
//! `"quoted"`), sub-expressions, `[n]` indexes, `[*]` and `.*` projections, `[?expr]` filter
//! projections, `[]` flattening, multi-select lists (`[a, b]`, `.[a, b]`), `@`, parentheses,
//! literals (`` `json` `` of any JSON type, `'raw'`), comparisons (`==`, `!=`, `<`, `<=`, `>`,
//! `>=`), `&&`, `||`, `!`, `|` and the functions of [`PathFn`]. The emitter writes the tree as
//! static data the runtime evaluates; anything else (slices, multi-select hashes, `&expr`
//! function arguments, unknown functions) is an error here, never a run-time surprise.
//!
//! Precedence follows the JMESPath reference implementation (jmespath.py's binding powers):
//! `|` < `||` < `&&` < comparisons < `[]` < projections < `.` < `!` < `[`. So `!A == B` is
//! `(!A) == B`, and `A[*].B[]` flattens the whole projection `A[*].B`.
//!
//! Depth is bounded: the parser's recursion and the tree it builds (which the emitter and the
//! runtime walk recursively, a path's steps counting one level each) are at most
//! [`MAX_PATH_DEPTH`] deep, else the path is an error.

/// How deeply a waiter path may nest (operators, parentheses, function calls, steps).
pub const MAX_PATH_DEPTH: usize = 32;

/// A parsed path expression.
#[derive(Debug, Clone, PartialEq)]
pub enum PathExpr {
    Literal(PathLiteral),
    /// `@`, the value the expression applies to.
    Current,
    /// `base` followed by field accesses, indexes, projections, ... (never empty). Projection
    /// steps apply the steps after them, up to the next [`PathStep::Flatten`], to each item;
    /// `[]` flattens everything before it and projects the steps after it.
    Path(Box<PathExpr>, Vec<PathStep>),
    /// `name(args...)`, its arity checked.
    Call(PathFn, Vec<PathExpr>),
    Compare(PathCmp, Box<PathExpr>, Box<PathExpr>),
    And(Box<PathExpr>, Box<PathExpr>),
    Or(Box<PathExpr>, Box<PathExpr>),
    Not(Box<PathExpr>),
    /// `left | right`: `right` applied to the value of `left` (which ends its projections).
    Pipe(Box<PathExpr>, Box<PathExpr>),
}

/// A JSON literal (`` `...` ``) or raw string (`'...'`).
#[derive(Debug, Clone, PartialEq)]
pub enum PathLiteral {
    Null,
    Bool(bool),
    /// Always finite.
    Number(f64),
    String(String),
    List(Vec<PathLiteral>),
    /// In the literal's key order (a key given twice keeps its last value).
    Object(Vec<(String, PathLiteral)>),
}

#[derive(Debug, Clone, PartialEq)]
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
    /// `[?expr]`: the items of a list for which `expr` (applied to the item) is truthy, with
    /// the rest applied to each.
    Filter(PathExpr),
    /// `[a, b]` (or `.[a, b]`): a list of each expression applied to the value (`null` for
    /// `null`).
    Select(Vec<PathExpr>),
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

/// The JMESPath built-in functions a waiter path may call (those without `&expr` arguments
/// the runtime can evaluate over plain values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathFn {
    /// `abs(number)`
    Abs,
    /// `contains(string|array, any)`
    Contains,
    /// `ends_with(string, string)`
    EndsWith,
    /// `keys(object)`
    Keys,
    /// `length(string|array|object)`
    Length,
    /// `max(array[number]|array[string])`
    Max,
    /// `min(array[number]|array[string])`
    Min,
    /// `not_null(any, ...)`: the first argument that is not `null`.
    NotNull,
    /// `starts_with(string, string)`
    StartsWith,
    /// `sum(array[number])`
    Sum,
    /// `to_array(any)`
    ToArray,
    /// `type(any)`
    Type,
    /// `values(object)`
    Values,
}

impl PathFn {
    /// Every function, for lookups and tests.
    pub const ALL: [PathFn; 13] = [
        PathFn::Abs,
        PathFn::Contains,
        PathFn::EndsWith,
        PathFn::Keys,
        PathFn::Length,
        PathFn::Max,
        PathFn::Min,
        PathFn::NotNull,
        PathFn::StartsWith,
        PathFn::Sum,
        PathFn::ToArray,
        PathFn::Type,
        PathFn::Values,
    ];

    /// The function's JMESPath name.
    pub fn name(self) -> &'static str {
        match self {
            PathFn::Abs => "abs",
            PathFn::Contains => "contains",
            PathFn::EndsWith => "ends_with",
            PathFn::Keys => "keys",
            PathFn::Length => "length",
            PathFn::Max => "max",
            PathFn::Min => "min",
            PathFn::NotNull => "not_null",
            PathFn::StartsWith => "starts_with",
            PathFn::Sum => "sum",
            PathFn::ToArray => "to_array",
            PathFn::Type => "type",
            PathFn::Values => "values",
        }
    }

    /// `(at least, at most)` arguments.
    fn arity(self) -> (usize, usize) {
        match self {
            PathFn::Contains | PathFn::EndsWith | PathFn::StartsWith => (2, 2),
            PathFn::NotNull => (1, usize::MAX),
            _ => (1, 1),
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Parses `text`; the error says what is wrong and where.
pub fn parse(text: &str) -> Result<PathExpr, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        text,
        nesting: 0,
    };
    let (expr, _) = p.pipe()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.error("unexpected text"));
    }
    Ok(expr)
}

/// A subtree and its depth.
type Node = (PathExpr, usize);

/// A step and what it adds to the depth of its path.
type StepNode = (PathStep, usize);

/// Which steps may follow an operand (jmespath.py's binding powers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Any step.
    Free,
    /// The operand of `!`: indexes and `[*]` only; once a projection starts, `Projection`.
    Tight,
    /// The right side of a projection inside `!`: any step but `[]`.
    Projection,
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
    /// Open `(`, function calls, filters, multi-selects and `!` around the parse position.
    nesting: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        format!(
            "invalid waiter path `{}`: {what} at offset {}",
            self.text, self.i
        )
    }

    fn too_deep(&self) -> String {
        self.error(&format!("nested more than {MAX_PATH_DEPTH} levels deep"))
    }

    /// A node over children of depth `depth`, refused beyond the limit.
    fn node(&self, expr: PathExpr, depth: usize) -> Result<Node, String> {
        if depth + 1 > MAX_PATH_DEPTH {
            return Err(self.too_deep());
        }
        Ok((expr, depth + 1))
    }

    /// Runs `f` one nesting level deeper, refused beyond the limit.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        if self.nesting >= MAX_PATH_DEPTH {
            return Err(self.too_deep());
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

    /// The next byte after whitespace.
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn starts_with(&mut self, token: &str) -> bool {
        self.ws();
        self.s
            .get(self.i..)
            .is_some_and(|rest| rest.starts_with(token.as_bytes()))
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.starts_with(token) {
            self.i += token.len();
            true
        } else {
            false
        }
    }

    fn pipe(&mut self) -> Result<Node, String> {
        let (mut left, mut depth) = self.or()?;
        while self.starts_with("|") && !self.starts_with("||") {
            self.i += 1;
            let (right, d) = self.or()?;
            (left, depth) = self.node(
                PathExpr::Pipe(Box::new(left), Box::new(right)),
                depth.max(d),
            )?;
        }
        Ok((left, depth))
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
        let (mut left, mut depth) = self.comparison()?;
        while self.eat("&&") {
            let (right, d) = self.comparison()?;
            (left, depth) =
                self.node(PathExpr::And(Box::new(left), Box::new(right)), depth.max(d))?;
        }
        Ok((left, depth))
    }

    fn comparison_op(&mut self) -> Option<PathCmp> {
        let ops = [
            ("==", PathCmp::Eq),
            ("!=", PathCmp::Ne),
            ("<=", PathCmp::Le),
            (">=", PathCmp::Ge),
            ("<", PathCmp::Lt),
            (">", PathCmp::Gt),
        ];
        ops.into_iter()
            .find_map(|(tok, op)| self.eat(tok).then_some(op))
    }

    /// Comparisons, left-associative (`A == B == C` is `(A == B) == C`).
    fn comparison(&mut self) -> Result<Node, String> {
        let (mut left, mut depth) = self.unary()?;
        while let Some(op) = self.comparison_op() {
            let (right, d) = self.unary()?;
            (left, depth) = self.node(
                PathExpr::Compare(op, Box::new(left), Box::new(right)),
                depth.max(d),
            )?;
        }
        Ok((left, depth))
    }

    /// An operand with its steps; `!` binds tighter than `.` (`!A.B` is `(!A).B`), as in
    /// jmespath.py.
    fn unary(&mut self) -> Result<Node, String> {
        if self.starts_with("!") && !self.starts_with("!=") {
            self.i += 1;
            let (inner, d) = self.nested(Self::tight)?;
            let not = self.node(PathExpr::Not(Box::new(inner)), d)?;
            let mut steps = Vec::new();
            self.postfix(&mut steps, Mode::Free)?;
            return self.finish(not, steps);
        }
        let (base, mut steps) = self.primary()?;
        self.postfix(&mut steps, Mode::Free)?;
        self.finish(base, steps)
    }

    /// The operand of `!`.
    fn tight(&mut self) -> Result<Node, String> {
        if self.starts_with("!") && !self.starts_with("!=") {
            self.i += 1;
            let (inner, d) = self.nested(Self::tight)?;
            return self.node(PathExpr::Not(Box::new(inner)), d);
        }
        let (base, mut steps) = self.primary()?;
        self.postfix(&mut steps, Mode::Tight)?;
        self.finish(base, steps)
    }

    /// `base` with `steps`, each step a level (the runtime applies them one inside the
    /// other: a projection applies the rest to each item), plus what filters and
    /// multi-selects nest.
    fn finish(&self, base: Node, steps: Vec<StepNode>) -> Result<Node, String> {
        if steps.is_empty() {
            return Ok(base);
        }
        let cost: usize = steps.iter().map(|(_, c)| c).sum();
        let (base, depth) = base;
        let steps = steps.into_iter().map(|(s, _)| s).collect();
        self.node(PathExpr::Path(Box::new(base), steps), depth + cost - 1)
    }

    /// What an operand starts with: a literal, `(expr)`, `@`, a function call, or steps
    /// applied to `@` (a field, `*`, a bracket).
    fn primary(&mut self) -> Result<(Node, Vec<StepNode>), String> {
        let current = (PathExpr::Current, 1);
        match self.peek() {
            Some(b'`') => Ok((self.json_literal()?, Vec::new())),
            Some(b'\'') => Ok((self.raw_string()?, Vec::new())),
            Some(b'(') => {
                self.i += 1;
                let inner = self.nested(|p| {
                    let inner = p.pipe()?;
                    if !p.eat(")") {
                        return Err(p.error("expected `)`"));
                    }
                    Ok(inner)
                })?;
                Ok((inner, Vec::new()))
            }
            Some(b'@') => {
                self.i += 1;
                Ok((current, Vec::new()))
            }
            Some(b'*') => {
                self.i += 1;
                Ok((current, vec![(PathStep::Values, 1)]))
            }
            Some(b'[') => {
                let step = self.bracket(true)?;
                Ok((current, vec![step]))
            }
            Some(b'"') => {
                let name = self.quoted()?;
                Ok((current, vec![(PathStep::Field(name), 1)]))
            }
            Some(b'{') => Err(self.error("multi-select hashes (`{...}`) are not supported")),
            Some(b'&') => Err(self.error("expression references (`&...`) are not supported")),
            _ => {
                let name = self
                    .ident()
                    .ok_or_else(|| self.error("expected a field name"))?;
                if self.eat("(") {
                    Ok((self.call(&name)?, Vec::new()))
                } else {
                    Ok((current, vec![(PathStep::Field(name), 1)]))
                }
            }
        }
    }

    /// The arguments of `name(`, after the `(`.
    fn call(&mut self, name: &str) -> Result<Node, String> {
        let f = PathFn::from_name(name)
            .ok_or_else(|| self.error(&format!("unsupported function `{name}`")))?;
        let (args, depth) = self.nested(|p| {
            let mut args = Vec::new();
            let mut depth = 0;
            if p.eat(")") {
                return Ok((args, depth));
            }
            loop {
                if p.peek() == Some(b'&') {
                    return Err(p.error("expression references (`&...`) are not supported"));
                }
                let (arg, d) = p.pipe()?;
                args.push(arg);
                depth = depth.max(d);
                if p.eat(")") {
                    return Ok((args, depth));
                }
                if !p.eat(",") {
                    return Err(p.error("expected `,` or `)`"));
                }
            }
        })?;
        let (min, max) = f.arity();
        if args.len() < min || args.len() > max {
            let wanted = match (min, max) {
                (min, usize::MAX) => format!("at least {min} argument(s)"),
                (min, max) if min == max => format!("{min} argument(s)"),
                (min, max) => format!("{min} to {max} arguments"),
            };
            return Err(self.error(&format!("`{name}` takes {wanted}, not {}", args.len())));
        }
        self.node(PathExpr::Call(f, args), depth)
    }

    /// Steps after an operand, as far as `mode` allows.
    fn postfix(&mut self, steps: &mut Vec<StepNode>, mode: Mode) -> Result<(), String> {
        loop {
            let projecting = steps.iter().any(|(s, _)| {
                matches!(
                    s,
                    PathStep::Items | PathStep::Values | PathStep::Filter(_) | PathStep::Flatten
                )
            });
            let mode = match mode {
                Mode::Tight if projecting => Mode::Projection,
                m => m,
            };
            match self.peek() {
                Some(b'.') if mode != Mode::Tight => {
                    self.i += 1;
                    let step = match self.peek() {
                        Some(b'*') => {
                            self.i += 1;
                            (PathStep::Values, 1)
                        }
                        Some(b'[') => {
                            self.i += 1;
                            self.select()?
                        }
                        Some(b'"') => (PathStep::Field(self.quoted()?), 1),
                        _ => {
                            let name = self
                                .ident()
                                .ok_or_else(|| self.error("expected a field name after `.`"))?;
                            if self.starts_with("(") {
                                return Err(self.error(&format!(
                                    "a function call after `.` (`.{name}(...)`) is not supported"
                                )));
                            }
                            (PathStep::Field(name), 1)
                        }
                    };
                    steps.push(step);
                }
                Some(b'[') => {
                    let stop = match mode {
                        Mode::Free => false,
                        Mode::Projection => self.starts_with("[]"),
                        Mode::Tight => self.starts_with("[]") || self.starts_with("[?"),
                    };
                    if stop {
                        return Ok(());
                    }
                    steps.push(self.bracket(false)?);
                }
                _ => return Ok(()),
            }
        }
    }

    /// `[]`, `[*]`, `[?expr]`, `[n]`, or (where an operand starts) a multi-select list.
    fn bracket(&mut self, allow_select: bool) -> Result<StepNode, String> {
        if self.eat("[]") {
            return Ok((PathStep::Flatten, 1));
        }
        if self.eat("[?") {
            let (cond, d) = self.nested(|p| {
                let cond = p.pipe()?;
                if !p.eat("]") {
                    return Err(p.error("expected `]` after the filter"));
                }
                Ok(cond)
            })?;
            return Ok((PathStep::Filter(cond), d + 1));
        }
        if !self.eat("[") {
            return Err(self.error("expected `[`"));
        }
        if self.eat("*") {
            if !self.eat("]") {
                return Err(self.error("expected `]`"));
            }
            return Ok((PathStep::Items, 1));
        }
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {
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
                if self.starts_with(":") {
                    return Err(self.error("slices (`[a:b]`) are not supported"));
                }
                if !self.eat("]") {
                    return Err(self.error("expected `]`"));
                }
                Ok((PathStep::Index(n), 1))
            }
            Some(b':') => Err(self.error("slices (`[a:b]`) are not supported")),
            _ if allow_select => self.select(),
            _ => Err(self.error("expected an index")),
        }
    }

    /// A multi-select list, after its `[`.
    fn select(&mut self) -> Result<StepNode, String> {
        let (items, depth) = self.nested(|p| {
            let mut items = Vec::new();
            let mut depth = 0;
            loop {
                let (item, d) = p.pipe()?;
                items.push(item);
                depth = depth.max(d);
                if p.eat("]") {
                    return Ok((items, depth));
                }
                if !p.eat(",") {
                    return Err(p.error("expected `,` or `]`"));
                }
            }
        })?;
        Ok((PathStep::Select(items), depth + 1))
    }

    /// An unquoted identifier: `[A-Za-z_][A-Za-z0-9_]*`.
    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        if !self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            return None;
        }
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        Some(self.text[start..self.i].to_owned())
    }

    /// The text up to the unescaped `close` (a `\` escapes the next byte), after the opening
    /// delimiter; the position moves past `close`.
    fn delimited(&mut self, close: u8, what: &str) -> Result<&str, String> {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i] != close {
            self.i += if self.s[self.i] == b'\\' { 2 } else { 1 };
        }
        if self.i >= self.s.len() {
            return Err(self.error(&format!("unterminated {what}")));
        }
        let text = self
            .text
            .get(start..self.i)
            .ok_or_else(|| self.error(&format!("malformed {what}")))?;
        self.i += 1;
        Ok(text)
    }

    /// `"quoted identifier"`, a JSON string.
    fn quoted(&mut self) -> Result<String, String> {
        let start = self.i;
        self.i += 1;
        self.delimited(b'"', "quoted identifier")?;
        let raw = &self.text[start..self.i];
        serde_json::from_str(raw).map_err(|e| self.error(&format!("bad quoted identifier: {e}")))
    }

    /// `'raw string'`: `\'` is a quote and `\\` a backslash; any other `\` is kept.
    fn raw_string(&mut self) -> Result<Node, String> {
        self.i += 1;
        let raw = self.delimited(b'\'', "string")?;
        let mut s = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                s.push(c);
                continue;
            }
            match chars.next() {
                Some(q @ ('\'' | '\\')) => s.push(q),
                Some(other) => {
                    s.push('\\');
                    s.push(other);
                }
                None => s.push('\\'),
            }
        }
        Ok((PathExpr::Literal(PathLiteral::String(s)), 1))
    }

    /// `` `json` ``: any JSON value (`` \` `` is a backtick), numbers finite.
    fn json_literal(&mut self) -> Result<Node, String> {
        self.i += 1;
        let raw = self.delimited(b'`', "literal")?.replace("\\`", "`");
        let value: serde_json::Value = serde_json::from_str(raw.trim())
            .map_err(|_| self.error(&format!("unsupported literal `{}`", raw.trim())))?;
        let (lit, depth) = literal(&value, 1)
            .map_err(|why| self.error(&format!("literal `{}`: {why}", raw.trim())))?;
        Ok((PathExpr::Literal(lit), depth))
    }
}

/// `v` as a literal at nesting level `level`, and its depth (serde_json bounds the JSON's
/// nesting; this bounds it further).
fn literal(v: &serde_json::Value, level: usize) -> Result<(PathLiteral, usize), String> {
    use serde_json::Value as J;
    if level > MAX_PATH_DEPTH {
        return Err(format!("nested more than {MAX_PATH_DEPTH} levels deep"));
    }
    Ok(match v {
        J::Null => (PathLiteral::Null, 1),
        J::Bool(b) => (PathLiteral::Bool(*b), 1),
        J::Number(n) => match n.as_f64() {
            Some(f) if f.is_finite() => (PathLiteral::Number(f), 1),
            _ => return Err(format!("the number {n} is out of range")),
        },
        J::String(s) => (PathLiteral::String(s.clone()), 1),
        J::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut depth = 0;
            for item in items {
                let (l, d) = literal(item, level + 1)?;
                out.push(l);
                depth = depth.max(d);
            }
            (PathLiteral::List(out), depth + 1)
        }
        J::Object(map) => {
            let mut out = Vec::with_capacity(map.len());
            let mut depth = 0;
            for (k, item) in map {
                let (l, d) = literal(item, level + 1)?;
                out.push((k.clone(), l));
                depth = depth.max(d);
            }
            (PathLiteral::Object(out), depth + 1)
        }
    })
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
    fn s(v: &str) -> PathExpr {
        Literal(PathLiteral::String(v.into()))
    }
    fn num(n: f64) -> PathExpr {
        Literal(PathLiteral::Number(n))
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
                b(Call(
                    PathFn::Length,
                    vec![path(vec![field("MetricAlarms"), Flatten])]
                )),
                b(num(0.0))
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
        assert_eq!(parse("[*]").unwrap(), path(vec![Items]));
        assert_eq!(parse("[]").unwrap(), path(vec![Flatten]));
        assert_eq!(parse("@").unwrap(), Current);
        assert_eq!(
            parse("B[0].C == 'x'").unwrap(),
            Compare(
                PathCmp::Eq,
                b(path(vec![field("B"), Index(0), field("C")])),
                b(s("x"))
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
            ("A > B", PathCmp::Gt),
            ("A == B", PathCmp::Eq),
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
            ("`12`", PathLiteral::Number(12.0)),
            ("`[]`", PathLiteral::List(vec![])),
            (
                "`[1, \"a\"]`",
                PathLiteral::List(vec![
                    PathLiteral::Number(1.0),
                    PathLiteral::String("a".into()),
                ]),
            ),
            (
                "`{\"k\": [true]}`",
                PathLiteral::Object(vec![(
                    "k".into(),
                    PathLiteral::List(vec![PathLiteral::Bool(true)]),
                )]),
            ),
            ("`\"a\\`b\"`", PathLiteral::String("a`b".into())),
            ("'it\\'s'", PathLiteral::String("it's".into())),
            ("'a\\\\b'", PathLiteral::String("a\\b".into())),
            ("'a\\nb'", PathLiteral::String("a\\nb".into())),
        ] {
            assert_eq!(parse(text).unwrap(), Literal(lit), "{text}");
        }
    }

    #[test]
    fn functions_parse_with_their_arity() {
        assert_eq!(
            parse("contains(Names, 'x')").unwrap(),
            Call(PathFn::Contains, vec![path(vec![field("Names")]), s("x")])
        );
        assert_eq!(
            parse("not_null(A, B, `1`)").unwrap(),
            Call(
                PathFn::NotNull,
                vec![path(vec![field("A")]), path(vec![field("B")]), num(1.0)]
            )
        );
        for f in PathFn::ALL {
            let args = match f {
                PathFn::Contains | PathFn::EndsWith | PathFn::StartsWith => "A, B",
                _ => "A",
            };
            let text = format!("{}({args})", f.name());
            assert!(
                matches!(parse(&text).unwrap(), Call(g, _) if g == f),
                "{text}"
            );
        }
        for bad in ["length()", "length(A, B)", "contains(A)", "not_null()"] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("takes"), "{bad}: {e}");
        }
    }

    #[test]
    fn filters_flattens_and_multi_selects_parse() {
        assert_eq!(
            parse("Items[?State == 'ok'].Name").unwrap(),
            path(vec![
                field("Items"),
                Filter(Compare(
                    PathCmp::Eq,
                    b(path(vec![field("State")])),
                    b(s("ok"))
                )),
                field("Name")
            ])
        );
        // ECS's services-stable waiter.
        assert_eq!(
            parse("length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`")
                .unwrap(),
            Compare(
                PathCmp::Eq,
                b(Call(
                    PathFn::Length,
                    vec![path(vec![
                        field("services"),
                        Filter(Not(b(And(
                            b(Compare(
                                PathCmp::Eq,
                                b(Call(PathFn::Length, vec![path(vec![field("deployments")])])),
                                b(num(1.0))
                            )),
                            b(Compare(
                                PathCmp::Eq,
                                b(path(vec![field("runningCount")])),
                                b(path(vec![field("desiredCount")]))
                            ))
                        ))))
                    ])]
                )),
                b(num(0.0))
            )
        );
        assert_eq!(
            parse("Reservations[].Instances[].State.Name").unwrap(),
            path(vec![
                field("Reservations"),
                Flatten,
                field("Instances"),
                Flatten,
                field("State"),
                field("Name")
            ])
        );
        assert_eq!(
            parse("[A, B.C]").unwrap(),
            path(vec![Select(vec![
                path(vec![field("A")]),
                path(vec![field("B"), field("C")])
            ])])
        );
        assert_eq!(
            parse("X.[A, `1`][0]").unwrap(),
            path(vec![
                field("X"),
                Select(vec![path(vec![field("A")]), num(1.0)]),
                Index(0)
            ])
        );
        assert_eq!(
            parse("[?@ == 'x']").unwrap(),
            path(vec![Filter(Compare(PathCmp::Eq, b(Current), b(s("x"))))])
        );
        assert_eq!(
            parse("\"with space\".\"q\\\"\"").unwrap(),
            path(vec![field("with space"), field("q\"")])
        );
        assert_eq!(
            parse("A[*].B | [0]").unwrap(),
            Pipe(
                b(path(vec![field("A"), Items, field("B")])),
                b(path(vec![Index(0)]))
            )
        );
    }

    #[test]
    fn precedence_follows_jmespath_py() {
        // `!` binds tighter than comparisons and `.`, looser than `[`.
        assert_eq!(
            parse("!A == B").unwrap(),
            Compare(
                PathCmp::Eq,
                b(Not(b(path(vec![field("A")])))),
                b(path(vec![field("B")]))
            )
        );
        assert_eq!(
            parse("!A.B").unwrap(),
            Path(b(Not(b(path(vec![field("A")])))), vec![field("B")])
        );
        assert_eq!(
            parse("!A[0]").unwrap(),
            Not(b(path(vec![field("A"), Index(0)])))
        );
        // A projection inside `!` takes the steps after it, but not `[]`.
        assert_eq!(
            parse("!A[*].B[]").unwrap(),
            Path(
                b(Not(b(path(vec![field("A"), Items, field("B")])))),
                vec![Flatten]
            )
        );
        // Comparisons chain to the left; `&&` binds tighter than `||`, `||` than `|`.
        assert_eq!(
            parse("A == B != C").unwrap(),
            Compare(
                PathCmp::Ne,
                b(Compare(
                    PathCmp::Eq,
                    b(path(vec![field("A")])),
                    b(path(vec![field("B")]))
                )),
                b(path(vec![field("C")]))
            )
        );
        assert!(matches!(parse("A || B && C").unwrap(), Or(_, r) if matches!(*r, And(..))));
        assert!(matches!(parse("A || B | C").unwrap(), Pipe(l, _) if matches!(*l, Or(..))));
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
            "sort_by(A, &B)",
            "A[1:2]",
            "A[:2]",
            "{a: A}",
            "A.length(@)",
            "A[?B == 'x'",
            "[A, B",
            "`unterminated",
            "`inf`",
            "`1e999`",
            "`not json`",
            "A ] B",
            "'x",
            "\"x",
            "(A",
            "é",
            "A.é",
            "A[é]",
            "A == `é`",
            "1A",
            "A.1",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(&format!("`{bad}`")), "{bad}: {e}");
        }
    }

    #[test]
    fn non_ascii_text_is_kept_in_literals() {
        assert_eq!(
            parse("A == 'é'").unwrap(),
            Compare(PathCmp::Eq, b(path(vec![field("A")])), b(s("é")))
        );
        assert_eq!(
            parse("`\"ü\"`").unwrap(),
            Literal(PathLiteral::String("ü".into()))
        );
        assert_eq!(parse("'\\é'").unwrap(), s("\\é"));
    }

    /// Random text over the grammar's characters: an answer for each, never a panic.
    #[test]
    fn random_text_never_panics() {
        let alphabet: Vec<char> = "ab_ .*[]?@!=<>&|(),'`\"\\:{}-0123456789é".chars().collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut parsed = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 24) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            if parse(&text).is_ok() {
                parsed += 1;
            }
        }
        assert!(parsed > 0);
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
        let cmp_chain = |n: usize| parse(&vec!["A"; n].join(" == "));
        cmp_chain(MAX_PATH_DEPTH - 2).unwrap();
        assert!(cmp_chain(100_000).unwrap_err().contains("levels deep"));
        let pipes = |n: usize| parse(&vec!["A"; n].join(" | "));
        pipes(MAX_PATH_DEPTH - 2).unwrap();
        assert!(pipes(100_000).unwrap_err().contains("levels deep"));
        let lengths = |n: usize| parse(&format!("{}A{}", "length(".repeat(n), ")".repeat(n)));
        lengths(MAX_PATH_DEPTH / 2).unwrap();
        assert!(lengths(10_000).unwrap_err().contains("levels deep"));
        // The runtime applies a path's steps one inside the other: they count too.
        let steps = |n: usize| parse(&vec!["A[*]"; n].join("."));
        steps(MAX_PATH_DEPTH / 4).unwrap();
        assert!(steps(100_000).unwrap_err().contains("levels deep"));
        let filters = |n: usize| parse(&format!("{}A{}", "A[?".repeat(n), "]".repeat(n)));
        filters(MAX_PATH_DEPTH / 4).unwrap();
        assert!(filters(100_000).unwrap_err().contains("levels deep"));
        let selects = |n: usize| parse(&format!("{}A{}", "[".repeat(n), "]".repeat(n)));
        selects(MAX_PATH_DEPTH / 4).unwrap();
        assert!(selects(100_000).unwrap_err().contains("levels deep"));
        let lists = |n: usize| parse(&format!("`{}{}`", "[".repeat(n), "]".repeat(n)));
        lists(MAX_PATH_DEPTH / 2).unwrap();
        assert!(lists(100).unwrap_err().contains("levels deep"));
        // serde_json's own recursion limit answers first for very deep JSON: an error too.
        assert!(lists(100_000).is_err());
        // A deep filter inside a long path: the path's depth counts what its steps nest.
        let deep_filter = format!("A[?{}B].C.D.E.F.G", "!".repeat(25));
        assert!(parse(&deep_filter).unwrap_err().contains("levels deep"));
    }
}
