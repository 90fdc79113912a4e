//! Input validation before any network I/O: the checks generated from `@required`, `@length`,
//! `@range` and `@pattern` report here, and every violation of one request is collected.

use std::fmt;
use std::sync::OnceLock;

use regex_lite::Regex;

/// One broken rule: where (`Destination.ToAddresses[2]`) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub path: String,
    pub rule: String,
}

/// The violations found in one request.
#[derive(Debug, Default)]
pub struct Violations {
    list: Vec<Violation>,
}

/// `parent.Member`, or `Member` at the top.
pub fn child(parent: &str, member: &str) -> String {
    if parent.is_empty() {
        member.to_owned()
    } else {
        format!("{parent}.{member}")
    }
}

/// `parent[i]` (0-based, like botocore) or `parent[key]`.
pub fn index(parent: &str, i: impl fmt::Display) -> String {
    format!("{parent}[{i}]")
}

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn into_vec(self) -> Vec<Violation> {
        self.list
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn push(&mut self, path: String, rule: String) {
        self.list.push(Violation { path, rule });
    }

    pub fn missing(&mut self, parent: &str, member: &str) {
        self.push(child(parent, member), "is required but was not set".into());
    }

    /// A union at `path` holds `Unknown`: a member this client does not know, which only a
    /// response can produce and which cannot be sent.
    pub fn unknown_union_member(&mut self, path: &str, union: &str) {
        self.push(
            path.to_owned(),
            format!(
                "holds a member of union `{union}` this client does not know (`Unknown`, read \
                 from a response), which cannot be sent"
            ),
        );
    }

    pub fn length(&mut self, path: &str, len: u64, min: Option<u64>, max: Option<u64>) {
        if min.is_some_and(|m| len < m) || max.is_some_and(|m| len > m) {
            self.push(
                path.to_owned(),
                format!("has length {len}, {}", bounds(min, max)),
            );
        }
    }

    pub fn range(&mut self, path: &str, value: f64, min: Option<f64>, max: Option<f64>) {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            self.push(path.to_owned(), format!("is {value}, {}", bounds(min, max)));
        }
    }

    pub fn pattern(&mut self, path: &str, value: &str, pattern: &Pattern) {
        match pattern.regex() {
            Ok(re) if re.is_match(value) => {}
            Ok(_) => self.push(
                path.to_owned(),
                format!("does not match the pattern `{}`", pattern.source),
            ),
            Err(e) => self.push(
                path.to_owned(),
                format!(
                    "cannot be checked: the model's pattern `{}` does not compile ({e})",
                    pattern.source
                ),
            ),
        }
    }
}

fn bounds<T: fmt::Display>(min: Option<T>, max: Option<T>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("must be between {a} and {b}"),
        (Some(a), None) => format!("must be at least {a}"),
        (None, Some(b)) => format!("must be at most {b}"),
        (None, None) => "has no bounds".to_owned(),
    }
}

/// A model `@pattern`, compiled on first use and then shared.
///
/// Matching uses `regex-lite`, whose `\w`, `\d`, `\s` are ASCII only and which has no `\p{..}`
/// classes. The generator therefore passes two texts: the pattern as the model writes it (shown
/// in violations) and the same pattern rewritten (ECMA-262's `\d`, `\w`, `\s`, `.` spelled out,
/// Unicode classes as explicit ranges) so that regex-lite matches exactly what an ECMA-262
/// engine matches with the model's text (Smithy patterns are ECMA-262). It checks at generation
/// time that regex-lite accepts the rewritten text; a pattern it cannot carry is not checked.
pub struct Pattern {
    source: &'static str,
    regex: &'static str,
    compiled: OnceLock<Result<Regex, String>>,
}

impl Pattern {
    /// `source`: the model's pattern; `regex`: what regex-lite compiles (the generator's
    /// rewrite of `source`, or `source` itself where it needs none).
    pub const fn new(source: &'static str, regex: &'static str) -> Self {
        Pattern {
            source,
            regex,
            compiled: OnceLock::new(),
        }
    }

    /// The model's pattern, as violations show it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    fn regex(&self) -> Result<&Regex, &str> {
        self.compiled
            .get_or_init(|| Regex::new(self.regex).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_violation_with_paths() {
        let mut v = Violations::new();
        v.missing("", "Identity");
        v.length(
            &child(&index("Destination.ToAddresses", 2), "x"),
            0,
            Some(1),
            None,
        );
        v.length("Ok", 3, Some(1), Some(5));
        v.range("N", 11.0, Some(1.0), Some(10.0));
        static P: Pattern = Pattern::new("^[a-z]+$", "^[a-z]+$");
        v.pattern("P", "abc", &P);
        v.pattern("Q", "ABC", &P);
        static BAD: Pattern = Pattern::new("(", "(");
        v.pattern("R", "x", &BAD);
        v.unknown_union_member("Choice", "ChoiceUnion");
        let list = v.into_vec();
        let paths: Vec<&str> = list.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Identity",
                "Destination.ToAddresses[2].x",
                "N",
                "Q",
                "R",
                "Choice"
            ]
        );
        assert_eq!(
            list[5].rule,
            "holds a member of union `ChoiceUnion` this client does not know (`Unknown`, read \
             from a response), which cannot be sent"
        );
        assert_eq!(list[0].rule, "is required but was not set");
        assert_eq!(list[1].rule, "has length 0, must be at least 1");
        assert_eq!(list[2].rule, "is 11, must be between 1 and 10");
        assert!(list[3].rule.contains("^[a-z]+$"));
        assert!(list[4].rule.contains("cannot be checked"));
    }

    /// Violations show the model's text; matching uses the rewritten one.
    #[test]
    fn matches_with_the_rewrite_and_shows_the_source() {
        // The mechanism: a source and a rewrite that differ (a Unicode `\w` as explicit ranges,
        // a few here; the generator reads `\w` as ECMA-262 does, ASCII, and rewrites `\p{..}`).
        static W: Pattern =
            Pattern::new(r"^[\w]+$", "^[0-9A-Z_a-z\u{AA}\u{B5}\u{BA}\u{C0}-\u{D6}]+$");
        assert_eq!(W.source(), r"^[\w]+$");
        let mut v = Violations::new();
        v.pattern("A", "Ab_9", &W);
        v.pattern("B", "Ñµ_À", &W);
        v.pattern("C", "a b", &W);
        v.pattern("D", "", &W);
        let list = v.into_vec();
        let paths: Vec<&str> = list.iter().map(|v| v.path.as_str()).collect();
        assert_eq!(paths, ["C", "D"]);
        assert_eq!(list[0].rule, r"does not match the pattern `^[\w]+$`");
    }

    /// regex-lite alone: ASCII `\w`, no `\p{..}` (why the generator rewrites patterns).
    #[test]
    fn regex_lite_classes_are_ascii() {
        let w = Regex::new(r"^\w+$").unwrap();
        assert!(w.is_match("abc_1"));
        assert!(!w.is_match("é"));
        assert!(Regex::new(r"\p{L}").is_err());
        // A pattern regex-lite rejects is a violation, never a panic.
        static P: Pattern = Pattern::new(r"^\p{L}+$", r"^\p{L}+$");
        let mut v = Violations::new();
        v.pattern("P", "a", &P);
        assert!(v.into_vec()[0].rule.contains("cannot be checked"));
    }
}
