//! Model `@pattern`s, rewritten at generation time for the runtime's regex engine.
//!
//! The runtime matches patterns with `regex-lite`: one small crate without Unicode tables, whose
//! `\w`, `\d`, `\s` and `\b` are ASCII only and which has no `\p{..}` classes. Patterns keep the
//! meaning they have with the `regex` crate in its default Unicode mode (`\w`, `\d`, `\s`
//! Unicode-aware, `\p{..}` classes, Unicode case folding): [`for_regex_lite`] parses a pattern
//! with `regex-syntax` (the parser the `regex` crate compiles from), translates it to its
//! high-level form (HIR), in which every class is an explicit set of ranges and flags are
//! applied, and prints that back with only syntax regex-lite reads the same way. The result is
//! compiled with regex-lite to check it, so that the runtime never meets a pattern it rejects.

use regex_syntax::hir::{self, Class, Hir, HirKind, Look, Visitor};

/// Why a pattern cannot be checked at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// Not a regular expression the `regex` crate accepts (what it reports).
    Invalid(String),
    /// A regular expression regex-lite cannot match with the same meaning (a Unicode word
    /// boundary), or one it rejects once rewritten (too deeply nested, too large).
    Unsupported(String),
}

/// `pattern` (`regex` crate syntax, Unicode mode) rewritten into a pattern regex-lite accepts
/// and matches exactly the same strings with.
pub fn for_regex_lite(pattern: &str) -> Result<String, PatternError> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| PatternError::Invalid(syntax_error(&e)))?;
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
            return Err(PatternError::Unsupported(
                "it has a Unicode word boundary (`\\b`, `\\B`, `\\<`, `\\>` or `\\b{..}`), which \
                 regex-lite only has for ASCII (`(?-u:\\b)` means that)"
                    .into(),
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

    #[test]
    fn ascii_patterns_stay_readable() {
        assert_eq!(ok("^[a-z0-9-]+$"), r"^[\-0-9a-z]+$");
        assert_eq!(ok("^[0-9]+$"), "^[0-9]+$");
        assert_eq!(
            ok(r"^(\+[0-9]{8,}|[0-9]{0,9})$"),
            r"^(\+[0-9]{8,}|[0-9]{0,9})$"
        );
        assert_eq!(ok("a|bc|(?:dx|e)f"), "a|bc|(?:dx|e)f");
        assert_eq!(ok(".*"), ".*");
        assert_eq!(ok("(?s).x"), "(?s:.)x");
        assert_eq!(ok("a b"), r"a\x{20}b");
        assert_eq!(ok("(?:ab)*?c{2}?"), "(?:ab)*?c{2}");
        assert_eq!(ok(r"\u002F"), "/");
        assert_eq!(ok("[^b-y]"), "[\\x{0}-az-\u{10FFFF}]");
    }

    #[test]
    fn unicode_classes_become_ranges() {
        let w = ok(r"^\w+$");
        assert!(w.starts_with("^[0-9A-Z_a-zªµºÀ-ÖØ-ö"), "{w}");
        assert!(!w.contains(r"\w"));
        let l = ok(r"^\p{L}$");
        assert!(!l.contains(r"\p"));
        let re = regex_lite::Regex::new(&l).unwrap();
        assert!(re.is_match("ж") && re.is_match("名") && !re.is_match("1"));
        // Unicode case folding: `k` also matches the Kelvin sign.
        let k = regex_lite::Regex::new(&ok("(?i)^k$")).unwrap();
        assert!(k.is_match("\u{212A}"));
    }

    #[test]
    fn what_cannot_be_rewritten_is_an_error() {
        assert!(
            matches!(for_regex_lite("(unclosed"), Err(PatternError::Invalid(m)) if m.contains("unclosed") && !m.contains('\n'))
        );
        assert!(matches!(
            for_regex_lite(r"\p{Nope}"),
            Err(PatternError::Invalid(_))
        ));
        assert!(
            matches!(for_regex_lite(r"\bword\b"), Err(PatternError::Unsupported(m)) if m.contains("word boundary"))
        );
        // ASCII word boundaries are fine.
        assert_eq!(ok(r"(?-u:\b)x"), r"\bx");
        // Nesting regex-lite does not take (it allows 50 levels).
        let deep = format!("{}a{}", "(".repeat(60), ")".repeat(60));
        assert!(
            matches!(for_regex_lite(&deep), Err(PatternError::Unsupported(m)) if m.contains("regex-lite"))
        );
    }

    #[test]
    fn an_empty_class_matches_nothing() {
        let p = ok(r"[^\x00-\x{10FFFF}]");
        let re = regex_lite::Regex::new(&p).unwrap();
        assert!(!re.is_match("") && !re.is_match("a"));
    }
}
