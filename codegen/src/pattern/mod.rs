//! Model `@pattern`s (ECMA-262 regular expressions, as Smithy says), rewritten at generation
//! time for the runtime's regex engine.
//!
//! The runtime matches patterns with `regex-lite`: one small crate without Unicode tables, whose
//! `\w`, `\d`, `\s` and `\b` are ASCII only and which has no `\p{..}` classes. [`for_regex_lite`]
//! first translates the ECMA-262 text into `regex-syntax` syntax with ECMA's meaning spelled out
//! ([`ecma`]: `\d` is `[0-9]`, `\w` ASCII, `\s` ECMA's set, `.` without line terminators), then
//! parses that with `regex-syntax` (the parser the `regex` crate compiles from), translates it
//! to its high-level form (HIR), in which every class is an explicit set of ranges, and prints
//! that back with only syntax regex-lite reads the same way. The result is compiled with
//! regex-lite to check it, so that the runtime never meets a pattern it rejects.
//!
//! What no rewrite carries exactly (look-around, back-references) is a [`PatternError`]; the IR
//! (`ir::patterns`) then leaves the pattern unchecked, visibly.

use regex_syntax::hir::{self, Class, Hir, HirKind, Look, Visitor};

mod ecma;

/// Why a pattern cannot be checked at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// Look-ahead or look-behind (`(?=`, `(?!`, `(?<=`, `(?<!`): regex-lite has none.
    LookAround,
    /// A back-reference (`\1`, `\k<name>`): regex-lite has none.
    BackReference,
    /// ES2025 flag modifiers (`(?i:..)`): not carried.
    FlagModifiers,
    /// Not an ECMA-262 regular expression (what is wrong, and where).
    Invalid(String),
    /// Valid, but regex-lite rejects it once rewritten (too deeply nested, too large).
    Unsupported(String),
    /// The ECMA translation produced text `regex-syntax` rejects: a bug of this module.
    Internal(String),
}

impl PatternError {
    /// Why the pattern is not checked, in one line (after "is not checked client-side: ").
    pub fn reason(&self) -> String {
        match self {
            PatternError::LookAround => {
                "look-around is not supported by the regex engine".to_owned()
            }
            PatternError::BackReference => {
                "back-references are not supported by the regex engine".to_owned()
            }
            PatternError::FlagModifiers => {
                "flag modifier groups (`(?i:..)`) are not supported".to_owned()
            }
            PatternError::Invalid(why) => {
                format!("it is not a valid ECMA-262 regular expression: {why}")
            }
            PatternError::Unsupported(why) => format!("the regex engine cannot take it: {why}"),
            PatternError::Internal(why) => {
                format!("the generator could not rewrite it (a generator bug): {why}")
            }
        }
    }

    /// A short name of the kind, for reports: `look-around`, `back-reference`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            PatternError::LookAround => "look-around",
            PatternError::BackReference => "back-reference",
            PatternError::FlagModifiers => "flag modifiers",
            PatternError::Invalid(_) => "not ECMA-262",
            PatternError::Unsupported(_) => "too large for regex-lite",
            PatternError::Internal(_) => "internal",
        }
    }
}

/// `pattern` (ECMA-262, read with the `u` flag) rewritten into a pattern regex-lite accepts and
/// matches exactly the same strings with.
pub fn for_regex_lite(pattern: &str) -> Result<String, PatternError> {
    let text = ecma::translate(pattern)?;
    from_regex_syntax(&text)
}

/// `pattern` (ECMA-262, read with the `u` flag) in `regex` crate syntax (Unicode mode), with
/// the same meaning: the step before the rewrite for regex-lite (tests use it to find the
/// classes' edges).
pub fn ecma_to_regex_syntax(pattern: &str) -> Result<String, PatternError> {
    ecma::translate(pattern)
}

/// `pattern` in `regex` crate syntax (Unicode mode) rewritten for regex-lite.
fn from_regex_syntax(pattern: &str) -> Result<String, PatternError> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| match &e {
            regex_syntax::Error::Parse(p)
                if matches!(p.kind(), regex_syntax::ast::ErrorKind::NestLimitExceeded(_)) =>
            {
                PatternError::Unsupported(syntax_error(&e))
            }
            _ => PatternError::Internal(syntax_error(&e)),
        })?;
    let mut out = String::new();
    let printer = Printer {
        out: &mut out,
        bare_alternation: matches!(hir.kind(), HirKind::Alternation(_)),
        grouped: Vec::new(),
    };
    hir::visit(&hir, printer)?;
    regex_lite::Regex::new(&out).map_err(|e| {
        PatternError::Unsupported(format!("regex-lite rejects it once rewritten ({e})"))
    })?;
    Ok(out)
}

/// One line: what is wrong and where (regex-syntax's own message spans several lines).
fn syntax_error(e: &regex_syntax::Error) -> String {
    match e {
        regex_syntax::Error::Parse(e) => {
            format!("{} (at byte {})", e.kind(), e.span().start.offset)
        }
        regex_syntax::Error::Translate(e) => {
            format!("{} (at byte {})", e.kind(), e.span().start.offset)
        }
        other => other
            .to_string()
            .lines()
            .last()
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// Prints HIR in regex-lite syntax. regex-syntax's own `Printer` writes control characters raw
/// and an empty class as `[a&&b]` (an intersection regex-lite lacks); this one escapes ASCII
/// controls and groups no more than needed. It walks the HIR on the heap
/// ([`hir::visit`]), so nesting never decides the generator's stack depth.
struct Printer<'a> {
    out: &'a mut String,
    /// The next node visited is an alternation that needs no group of its own: the whole
    /// pattern, or the operand of a capture (which is a group already).
    bare_alternation: bool,
    /// For each alternation being printed, whether it opened a group.
    grouped: Vec<bool>,
}

impl Visitor for Printer<'_> {
    type Output = ();
    type Err = PatternError;

    fn finish(self) -> Result<(), PatternError> {
        Ok(())
    }

    fn visit_pre(&mut self, hir: &Hir) -> Result<(), PatternError> {
        match hir.kind() {
            HirKind::Empty => self.out.push_str("(?:)"),
            HirKind::Literal(hir::Literal(bytes)) => {
                let text = std::str::from_utf8(bytes).map_err(|_| {
                    PatternError::Unsupported("it matches bytes that are not UTF-8".into())
                })?;
                for c in text.chars() {
                    push_char(self.out, c, false);
                }
            }
            HirKind::Class(Class::Unicode(cls)) => {
                let ranges: Vec<(char, char)> = cls.iter().map(|r| (r.start(), r.end())).collect();
                push_class(self.out, &ranges);
            }
            // Only `(?-u)` classes of ASCII bytes can be here (the pattern is matched as UTF-8).
            HirKind::Class(Class::Bytes(cls)) => {
                if !cls.is_ascii() {
                    return Err(PatternError::Unsupported(
                        "it has a class of bytes that are not ASCII".into(),
                    ));
                }
                let ranges: Vec<(char, char)> = cls
                    .iter()
                    .map(|r| (char::from(r.start()), char::from(r.end())))
                    .collect();
                push_class(self.out, &ranges);
            }
            HirKind::Look(look) => self.out.push_str(look_syntax(*look)?),
            HirKind::Repetition(rep) => {
                if needs_group(&rep.sub) {
                    self.out.push_str("(?:");
                }
            }
            // For matching alone, captures are plain groups (names and indexes do not matter).
            HirKind::Capture(cap) => {
                self.out.push('(');
                self.bare_alternation = matches!(cap.sub.kind(), HirKind::Alternation(_));
                return Ok(());
            }
            HirKind::Concat(_) => {}
            HirKind::Alternation(_) => {
                let group = !self.bare_alternation;
                if group {
                    self.out.push_str("(?:");
                }
                self.grouped.push(group);
            }
        }
        self.bare_alternation = false;
        Ok(())
    }

    fn visit_post(&mut self, hir: &Hir) -> Result<(), PatternError> {
        match hir.kind() {
            HirKind::Repetition(rep) => {
                if needs_group(&rep.sub) {
                    self.out.push(')');
                }
                match (rep.min, rep.max) {
                    (0, Some(1)) => self.out.push('?'),
                    (0, None) => self.out.push('*'),
                    (1, None) => self.out.push('+'),
                    (m, None) => self.out.push_str(&format!("{{{m},}}")),
                    (m, Some(n)) if m == n => self.out.push_str(&format!("{{{m}}}")),
                    (m, Some(n)) => self.out.push_str(&format!("{{{m},{n}}}")),
                }
                if !rep.greedy && rep.max != Some(rep.min) {
                    self.out.push('?');
                }
            }
            HirKind::Capture(_) => self.out.push(')'),
            HirKind::Alternation(_) => {
                let grouped = self.grouped.pop().unwrap_or(true);
                if grouped {
                    self.out.push(')');
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn visit_alternation_in(&mut self) -> Result<(), PatternError> {
        self.out.push('|');
        Ok(())
    }
}

/// Whether the operand of a repetition must be wrapped in `(?:..)` to be repeated whole.
fn needs_group(sub: &Hir) -> bool {
    match sub.kind() {
        // Printed as one atom, or grouped already.
        HirKind::Class(_) | HirKind::Capture(_) | HirKind::Alternation(_) | HirKind::Empty => false,
        HirKind::Literal(hir::Literal(bytes)) => {
            std::str::from_utf8(bytes).map_or(true, |s| s.chars().count() != 1)
        }
        HirKind::Look(_) | HirKind::Repetition(_) | HirKind::Concat(_) => true,
    }
}

fn look_syntax(look: Look) -> Result<&'static str, PatternError> {
    Ok(match look {
        // Without the `m` flag (never set by this printer), `^` and `$` are `\A` and `\z`, in
        // both crates.
        Look::Start => "^",
        Look::End => "$",
        Look::StartLF => "(?m:^)",
        Look::EndLF => "(?m:$)",
        Look::StartCRLF => "(?mR:^)",
        Look::EndCRLF => "(?mR:$)",
        Look::WordAscii => r"\b",
        Look::WordAsciiNegate => r"\B",
        Look::WordStartAscii => r"\b{start}",
        Look::WordEndAscii => r"\b{end}",
        Look::WordStartHalfAscii => r"\b{start-half}",
        Look::WordEndHalfAscii => r"\b{end-half}",
        _ => {
            return Err(PatternError::Internal(
                "a Unicode word boundary (ECMA-262's are ASCII, and written so)".into(),
            ));
        }
    })
}

/// A class of `ranges` (sorted, not overlapping, not adjacent, as HIR keeps them).
fn push_class(out: &mut String, ranges: &[(char, char)]) {
    const ANY_BUT_LF: &[(char, char)] = &[('\0', '\t'), ('\x0B', char::MAX)];
    const ANY: &[(char, char)] = &[('\0', char::MAX)];
    match ranges {
        // Matches nothing.
        [] => out.push_str(r"[^\x{0}-\x{10FFFF}]"),
        // `.` means this in both crates (no `s` or `R` flag).
        _ if ranges == ANY_BUT_LF => out.push('.'),
        _ if ranges == ANY => out.push_str("(?s:.)"),
        [(a, b)] if a == b => push_char(out, *a, false),
        _ => {
            out.push('[');
            for &(a, b) in ranges {
                push_char(out, a, true);
                if b != a {
                    if u32::from(b) > u32::from(a) + 1 {
                        out.push('-');
                    }
                    push_char(out, b, true);
                }
            }
            out.push(']');
        }
    }
}

/// `c` as a literal, inside a class or outside: printable ASCII as itself (escaped where it is
/// special there), ASCII controls and space as `\x{..}`, anything else as itself. Non-ASCII
/// characters are never special, and taken raw they keep the pattern small: a Unicode class
/// such as `\w` has hundreds of ranges, each of 3 to 9 bytes raw and 13 to 19 escaped. (The
/// generator writes them as `\u{..}` escapes of the Rust string, so generated sources stay
/// ASCII.)
fn push_char(out: &mut String, c: char, in_class: bool) {
    if c.is_ascii_graphic() {
        let special = if in_class {
            matches!(c, '\\' | '[' | ']' | '^' | '-' | '&' | '~')
        } else {
            matches!(
                c,
                '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$'
            )
        };
        if special {
            out.push('\\');
        }
        out.push(c);
    } else if c.is_ascii() {
        out.push_str(&format!(r"\x{{{:X}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(p: &str) -> String {
        for_regex_lite(p).unwrap_or_else(|e| panic!("{p}: {e:?}"))
    }

    fn re(p: &str) -> regex_lite::Regex {
        regex_lite::Regex::new(&ok(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn ascii_patterns_stay_readable() {
        assert_eq!(ok("^[a-z0-9-]+$"), r"^[\-0-9a-z]+$");
        assert_eq!(ok("^[0-9]+$"), "^[0-9]+$");
        assert_eq!(ok(r"^\d+$"), "^[0-9]+$");
        assert_eq!(ok(r"^[\w+=,.@-]*$"), "^[+-.0-9=@-Z_a-z]*$");
        assert_eq!(
            ok(r"^(\+[0-9]{8,}|[0-9]{0,9})$"),
            r"^(\+[0-9]{8,}|[0-9]{0,9})$"
        );
        assert_eq!(ok("a|bc|(?:dx|e)f"), "a|bc|(?:dx|e)f");
        assert_eq!(ok("a b"), r"a\x{20}b");
        assert_eq!(ok("(?:ab)*?c{2}?"), "(?:ab)*?c{2}");
        assert_eq!(ok(r"\u002F\/"), "//");
        assert_eq!(ok(r"^\bx\B"), r"^\bx\B");
    }

    /// ECMA-262's meanings, where the `regex` crate's Unicode mode differs.
    #[test]
    fn ecma_semantics() {
        // `\d`, `\w`: ASCII.
        assert!(!re(r"^\d$").is_match("١") && re(r"^\D$").is_match("١"));
        assert!(!re(r"^\w$").is_match("é") && re(r"^\W$").is_match("é"));
        // `\s`: with U+FEFF, without U+0085.
        let s = re(r"^\s+$");
        assert!(s.is_match("\u{feff}\u{3000}\u{2028}\t\x0B \u{a0}"));
        assert!(!s.is_match("\u{85}") && !s.is_match("\u{180e}"));
        // `.`: no line terminators.
        let dot = re("^.$");
        assert!(dot.is_match("é") && dot.is_match("😀") && dot.is_match("\x0B"));
        for lt in ["\n", "\r", "\u{2028}", "\u{2029}"] {
            assert!(!dot.is_match(lt), "{lt:?}");
        }
        // `\b`: ASCII words, so `é` is not a word character.
        assert!(re(r"\bfoo\b").is_match("éfooé"));
        assert!(!re(r"\Bfoo").is_match("éfoo"));
        // `$` is the end of the input only.
        assert!(!re("^a$").is_match("a\n"));
        // Classes: `[` and `&&` are literal, `[]` matches nothing, `[^]` anything, `[\b]` is
        // a backspace, a class escape beside `-` leaves it literal.
        assert!(re("^[[]$").is_match("[") && re("^[a&&b]+$").is_match("a&&b"));
        assert!(!re("[]").is_match("") && !re("[]").is_match("a"));
        assert!(re("^[^]$").is_match("\n"));
        assert!(re(r"^[\b]$").is_match("\u{8}"));
        let w = re(r"^[\w-.]+$");
        assert!(w.is_match("a-b.c") && !w.is_match("a,b"));
        // `+-=` is a range.
        assert!(re("^[+-=]$").is_match(","));
        // A surrogate pair written as escapes is one code point.
        assert!(re(r"^\uD83D\uDE00$").is_match("😀"));
        assert!(re(r"^[\u0020-\uD7FF\uD800\uDC00-\uDBFF\uDFFF]+$").is_match("a😀"));
        // `\p{..}` with ECMA's names.
        let l = ok(r"^\p{L}$");
        assert!(!l.contains(r"\p"));
        let l = re(r"^[\p{L}\p{Nd}]+$");
        assert!(l.is_match("жé名١") && !l.is_match("!"));
        assert!(re(r"^\p{Script=Greek}+$").is_match("αβ"));
        assert!(re(r"^\P{ASCII}$").is_match("é"));
        // Control, hex, Unicode and identity escapes.
        assert!(re(r"^\cJ\x41\u{1F600}\0\-\:$").is_match("\nA😀\0-:"));
    }

    #[test]
    fn what_cannot_be_carried_is_an_error() {
        let err = |p: &str| for_regex_lite(p).err();
        for p in [r"^(?!aws:).+$", "a(?=b)", "(?<=a)b", r"(?<!\.)$"] {
            assert_eq!(err(p), Some(PatternError::LookAround), "{p}");
        }
        for p in [r"(a)\1", r"(?<n>a)\k<n>"] {
            assert_eq!(err(p), Some(PatternError::BackReference), "{p}");
        }
        assert_eq!(err("(?i:a)"), Some(PatternError::FlagModifiers));
        // Lone surrogates match no Rust string.
        assert!(!re(r"\uD800").is_match("\u{10000}") && !re(r"^[\uD800]$").is_match("a"));
        assert!(re(r"^[^\uD800-\uDFFF]$").is_match("\u{D7FF}"));
        let xml = re(r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\t]*$");
        assert!(xml.is_match("a\t\u{FFFD}") && !xml.is_match("😀") && !xml.is_match("\n"));
        for p in [
            "(unclosed",
            "a)",
            "(?i)a",
            r"\p{Alnum}",
            r"\pL",
            r"\p{Greek}",
            r"^\A[a-z]\z$",
            "a{",
            "a{2,1}",
            "}",
            "a**",
            "a{1}+",
            "^*",
            r"\b+",
            "*a",
            "[[:alpha:]]",
            r"[z-a]",
            r"\x{41}",
            r"\k",
            r"\",
            "[a",
        ] {
            assert!(
                matches!(err(p), Some(PatternError::Invalid(m)) if !m.contains('\n')),
                "{p}: {:?}",
                err(p)
            );
        }
        // Nesting regex-lite does not take (it allows 50 levels).
        let deep = format!("{}a{}", "(".repeat(60), ")".repeat(60));
        assert!(
            matches!(err(&deep), Some(PatternError::Unsupported(m)) if m.contains("regex-lite"))
        );
        // A count that overflows.
        assert!(matches!(
            err("a{99999999999}"),
            Some(PatternError::Unsupported(_))
        ));
    }
}
