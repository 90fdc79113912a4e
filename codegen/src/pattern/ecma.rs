//! ECMA-262 pattern syntax, translated into `regex-syntax` syntax with ECMA's meaning.
//!
//! Smithy says a `@pattern` is an ECMA-262 regular expression. It is read here as one with the
//! `u` flag (code points, not UTF-16 units; `\p{..}` property escapes, which the models use and
//! which mean nothing else in ECMA-262), and without `i`, `m`, `s` or `v`. What the two
//! engines' syntaxes share but mean differently is written out explicitly, so that the
//! `regex-syntax` text matches exactly the strings an ECMA engine matches:
//!
//! - `\d` is `[0-9]`, `\w` is `[A-Za-z0-9_]`, `\b`/`\B` are ASCII word boundaries (the `regex`
//!   crate's are Unicode);
//! - `\s` is ECMA's WhiteSpace and LineTerminator set (with U+FEFF, without U+0085);
//! - `.` is any code point but `\n`, `\r`, U+2028 and U+2029;
//! - `[` inside a class, `&&`, `--` and `~~` are literal; `[]` matches nothing, `[^]` anything;
//!   `[\b]` is U+0008;
//! - `\uD83D\uDE00` (a surrogate pair) is one code point; a lone surrogate (`\uD800`, or a
//!   range of them) matches no Rust string, which holds none: it is written as matching
//!   nothing, and in a class it adds nothing.
//!
//! Two liberties beyond the `u` flag's strict syntax, each where every regex dialect reads the
//! text the same way: an escaped ASCII punctuation character or space is that character (Annex
//! B's identity escape; with `u` only syntax characters may be escaped), and a class escape next
//! to `-` in a class leaves the `-` literal (Annex B). Property names are ECMA-262's own
//! (General_Category and binary properties from its tables, `Script=`/`Script_Extensions=` with
//! a script name `regex-syntax` knows). Anything else outside ECMA-262 (Java's `\p{Alnum}`, `\A`,
//! inline flags `(?i)`, POSIX `[[:alpha:]]`, a lone `{` or `}`, a possessive `a++`, a repeated
//! assertion `${1,5}`) is an error, never a guess: such a pattern is not checked.

use super::PatternError;

/// `ECMA-262 WhiteSpace ∪ LineTerminator` (Unicode 15's `Zs`), as `regex-syntax` ranges.
const SPACE: &str = r"\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Z_a-z";
/// `.`: anything but a LineTerminator.
const DOT: &str = r"[^\x{A}\x{D}\x{2028}\x{2029}]";
const ANYTHING: &str = r"[\x{0}-\x{10FFFF}]";
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";

/// What was last written, for the quantifier rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// The start of an alternative: nothing to repeat.
    Nothing,
    /// An atom: a quantifier may follow.
    Atom,
    /// `^`, `$`, `\b`, `\B`: ECMA does not repeat assertions.
    Assertion,
    /// A quantified atom: another quantifier is an error.
    Quantified,
}

/// One item of a class: a code point (a range endpoint, possibly a lone surrogate) or a set
/// (`\d`, `\p{L}`, ...).
enum ClassAtom {
    Char(u32),
    Set(String),
}

const SURROGATES: std::ops::RangeInclusive<u32> = 0xD800..=0xDFFF;

fn invalid(why: impl Into<String>) -> PatternError {
    PatternError::Invalid(why.into())
}

/// `pattern` (ECMA-262) in `regex-syntax` syntax, with the same meaning.
pub(super) fn translate(pattern: &str) -> Result<String, PatternError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut p = Scanner {
        chars: &chars,
        i: 0,
    };
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut depth = 0usize;
    let mut last = Last::Nothing;
    while let Some(c) = p.next() {
        match c {
            '|' => {
                out.push('|');
                last = Last::Nothing;
            }
            '(' => {
                if p.eat('?') {
                    if p.eat(':') {
                        out.push_str("(?:");
                    } else if p.eat('=') || p.eat('!') {
                        return Err(PatternError::LookAround);
                    } else if p.eat('<') {
                        if p.eat('=') || p.eat('!') {
                            return Err(PatternError::LookAround);
                        }
                        group_name(&mut p)?;
                        out.push('(');
                    } else if modifiers(&mut p) {
                        return Err(PatternError::FlagModifiers);
                    } else {
                        return Err(invalid(
                            "`(?` starts no ECMA-262 group (inline flags such as `(?i)` are not \
                             ECMA-262)",
                        ));
                    }
                } else {
                    out.push('(');
                }
                depth += 1;
                last = Last::Nothing;
            }
            ')' => {
                if depth == 0 {
                    return Err(invalid("an unmatched `)`"));
                }
                depth -= 1;
                out.push(')');
                last = Last::Atom;
            }
            '^' | '$' => {
                out.push(c);
                last = Last::Assertion;
            }
            '.' => {
                out.push_str(DOT);
                last = Last::Atom;
            }
            '[' => {
                class(&mut p, &mut out)?;
                last = Last::Atom;
            }
            '*' | '+' | '?' | '{' => {
                let q = quantifier(&mut p, c)?;
                match last {
                    Last::Atom => {}
                    Last::Nothing => {
                        return Err(invalid(format!("nothing to repeat before `{c}`")));
                    }
                    Last::Assertion => return Err(invalid("an assertion cannot be repeated")),
                    Last::Quantified => {
                        return Err(invalid(
                            "a quantifier after a quantifier (possessive `++`, `{n}+` are not \
                             ECMA-262)",
                        ));
                    }
                }
                out.push_str(&q);
                last = Last::Quantified;
            }
            ']' | '}' => return Err(invalid(format!("a lone `{c}` (escape it: `\\{c}`)"))),
            '\\' => {
                last = escape(&mut p, &mut out)?;
            }
            c => {
                push_char(&mut out, c);
                last = Last::Atom;
            }
        }
    }
    if depth > 0 {
        return Err(invalid("an unclosed `(`"));
    }
    Ok(out)
}

struct Scanner<'a> {
    chars: &'a [char],
    i: usize,
}

impl Scanner<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.i).copied();
        if c.is_some() {
            self.i += 1;
        }
        c
    }
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.i + n).copied()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// Exactly `n` hex digits, as a number (`None`, consuming nothing, if they are not there).
    fn hex(&mut self, n: usize) -> Option<u32> {
        let digits: String = (0..n).map_while(|k| self.peek_at(k)).collect();
        if digits.chars().count() != n || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.i += n;
        u32::from_str_radix(&digits, 16).ok()
    }
    /// Decimal digits (at least one), or `None` consuming nothing; overflow is an error.
    fn decimal(&mut self) -> Result<Option<u32>, PatternError> {
        let start = self.i;
        let mut n: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(d))
                .ok_or_else(|| {
                    PatternError::Unsupported("a repetition count above 4294967295".into())
                })?;
            self.i += 1;
        }
        Ok((self.i > start).then_some(n))
    }
}

/// After `(?<`: a group name and its `>`.
fn group_name(p: &mut Scanner) -> Result<(), PatternError> {
    let mut first = true;
    loop {
        match p.next() {
            Some('>') if !first => return Ok(()),
            Some(c)
                if c == '$' || c == '_' || c.is_alphabetic() || (!first && c.is_alphanumeric()) =>
            {
                first = false;
            }
            _ => return Err(invalid("a malformed group name in `(?<name>`")),
        }
    }
}

/// After `(?`: ES2025 modifiers (`(?i:`, `(?-s:`, `(?ms-i:`), consumed if they are there.
fn modifiers(p: &mut Scanner) -> bool {
    let start = p.i;
    let mut seen_flag = false;
    while let Some(c) = p.peek() {
        match c {
            'i' | 'm' | 's' | '-' => {
                seen_flag |= c != '-';
                p.i += 1;
            }
            ':' if seen_flag => {
                p.i += 1;
                return true;
            }
            _ => break,
        }
    }
    p.i = start;
    false
}

/// A quantifier whose first character `c` was read, in `regex-syntax` syntax.
fn quantifier(p: &mut Scanner, c: char) -> Result<String, PatternError> {
    let mut q = match c {
        '*' | '+' | '?' => c.to_string(),
        _ => {
            let min = p
                .decimal()?
                .ok_or_else(|| invalid("a lone `{` (escape it: `\\{`)"))?;
            let q = if p.eat(',') {
                match p.decimal()? {
                    Some(max) if max < min => {
                        return Err(invalid(format!(
                            "the repetition `{{{min},{max}}}` has its bounds out of order"
                        )));
                    }
                    Some(max) => format!("{{{min},{max}}}"),
                    None => format!("{{{min},}}"),
                }
            } else {
                format!("{{{min}}}")
            };
            if !p.eat('}') {
                return Err(invalid("a lone `{` (escape it: `\\{`)"));
            }
            q
        }
    };
    if p.eat('?') {
        q.push('?');
    }
    Ok(q)
}

/// The set a class escape (`d`, `D`, `w`, `W`, `s`, `S`) stands for, as a `regex-syntax` class.
fn class_escape(c: char) -> Option<String> {
    let (neg, ranges) = match c {
        'd' => (false, DIGIT),
        'D' => (true, DIGIT),
        'w' => (false, WORD),
        'W' => (true, WORD),
        's' => (false, SPACE),
        'S' => (true, SPACE),
        _ => return None,
    };
    Some(format!("[{}{ranges}]", if neg { "^" } else { "" }))
}

/// After `\` outside a class: writes the escape, returns what it was.
fn escape(p: &mut Scanner, out: &mut String) -> Result<Last, PatternError> {
    let c = p.next().ok_or_else(|| invalid("a `\\` at the end"))?;
    if let Some(set) = class_escape(c) {
        out.push_str(&set);
        return Ok(Last::Atom);
    }
    match c {
        'b' => out.push_str(r"(?-u:\b)"),
        'B' => out.push_str(r"(?-u:\B)"),
        'p' | 'P' => {
            out.push_str(&property(p, c == 'P')?);
            return Ok(Last::Atom);
        }
        '1'..='9' => return Err(PatternError::BackReference),
        'k' if p.peek() == Some('<') => return Err(PatternError::BackReference),
        _ => {
            match char::from_u32(char_escape(p, c)?) {
                Some(c) => push_char(out, c),
                // A lone surrogate: no Rust string holds one.
                None => out.push_str(NOTHING),
            }
            return Ok(Last::Atom);
        }
    }
    Ok(Last::Assertion)
}

/// The code point of escape `\c...` (`c` read): control, hex, Unicode and identity escapes. A
/// lone surrogate is returned as such.
fn char_escape(p: &mut Scanner, c: char) -> Result<u32, PatternError> {
    let code = match c {
        'n' => 0x0A,
        'r' => 0x0D,
        't' => 0x09,
        'f' => 0x0C,
        'v' => 0x0B,
        '0' if !p.peek().is_some_and(|d| d.is_ascii_digit()) => 0,
        '0' => return Err(invalid("an octal escape (`\\0` followed by a digit)")),
        'c' => match p.peek() {
            Some(l) if l.is_ascii_alphabetic() => {
                p.i += 1;
                u32::from(l) % 32
            }
            _ => return Err(invalid("`\\c` not followed by a letter")),
        },
        'x' => p
            .hex(2)
            .ok_or_else(|| invalid("`\\x` not followed by two hex digits"))?,
        'u' => unicode_escape(p)?,
        c if c.is_ascii_punctuation() || c == ' ' => u32::from(c),
        c => return Err(invalid(format!("`\\{c}` is not an ECMA-262 escape"))),
    };
    Ok(code)
}

/// After `\u`: `HHHH` (a surrogate pair written as two escapes is one code point) or `{H..}`.
fn unicode_escape(p: &mut Scanner) -> Result<u32, PatternError> {
    if p.eat('{') {
        let start = p.i;
        while p.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
            p.i += 1;
        }
        let digits: String = p.chars[start..p.i].iter().collect();
        let v = u32::from_str_radix(&digits, 16)
            .ok()
            .filter(|v| *v <= 0x10FFFF);
        return match (v, p.eat('}')) {
            (Some(v), true) => Ok(v),
            _ => Err(invalid("a malformed `\\u{..}` escape")),
        };
    }
    let hi = p
        .hex(4)
        .ok_or_else(|| invalid("`\\u` not followed by four hex digits"))?;
    if (0xD800..0xDC00).contains(&hi) && p.peek() == Some('\\') && p.peek_at(1) == Some('u') {
        let save = p.i;
        p.i += 2;
        match p.hex(4) {
            Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                return Ok(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
            }
            _ => p.i = save,
        }
    }
    Ok(hi)
}

/// ECMA-262's General_Category values (and aliases), which `\p{..}` may name alone.
const GENERAL_CATEGORIES: &[&str] = &[
    "C",
    "Other",
    "Cc",
    "Control",
    "cntrl",
    "Cf",
    "Format",
    "Cn",
    "Unassigned",
    "Co",
    "Private_Use",
    "Cs",
    "Surrogate",
    "L",
    "Letter",
    "LC",
    "Cased_Letter",
    "Ll",
    "Lowercase_Letter",
    "Lm",
    "Modifier_Letter",
    "Lo",
    "Other_Letter",
    "Lt",
    "Titlecase_Letter",
    "Lu",
    "Uppercase_Letter",
    "M",
    "Mark",
    "Combining_Mark",
    "Mc",
    "Spacing_Mark",
    "Me",
    "Enclosing_Mark",
    "Mn",
    "Nonspacing_Mark",
    "N",
    "Number",
    "Nd",
    "Decimal_Number",
    "digit",
    "Nl",
    "Letter_Number",
    "No",
    "Other_Number",
    "P",
    "Punctuation",
    "punct",
    "Pc",
    "Connector_Punctuation",
    "Pd",
    "Dash_Punctuation",
    "Pe",
    "Close_Punctuation",
    "Pf",
    "Final_Punctuation",
    "Pi",
    "Initial_Punctuation",
    "Po",
    "Other_Punctuation",
    "Ps",
    "Open_Punctuation",
    "S",
    "Symbol",
    "Sc",
    "Currency_Symbol",
    "Sk",
    "Modifier_Symbol",
    "Sm",
    "Math_Symbol",
    "So",
    "Other_Symbol",
    "Z",
    "Separator",
    "Zl",
    "Line_Separator",
    "Zp",
    "Paragraph_Separator",
    "Zs",
    "Space_Separator",
];

/// ECMA-262's binary Unicode properties (and aliases).
const BINARY_PROPERTIES: &[&str] = &[
    "ASCII",
    "ASCII_Hex_Digit",
    "AHex",
    "Alphabetic",
    "Alpha",
    "Any",
    "Assigned",
    "Bidi_Control",
    "Bidi_C",
    "Bidi_Mirrored",
    "Bidi_M",
    "Case_Ignorable",
    "CI",
    "Cased",
    "Changes_When_Casefolded",
    "CWCF",
    "Changes_When_Casemapped",
    "CWCM",
    "Changes_When_Lowercased",
    "CWL",
    "Changes_When_NFKC_Casefolded",
    "CWKCF",
    "Changes_When_Titlecased",
    "CWT",
    "Changes_When_Uppercased",
    "CWU",
    "Dash",
    "Default_Ignorable_Code_Point",
    "DI",
    "Deprecated",
    "Dep",
    "Diacritic",
    "Dia",
    "Emoji",
    "Emoji_Component",
    "EComp",
    "Emoji_Modifier",
    "EMod",
    "Emoji_Modifier_Base",
    "EBase",
    "Emoji_Presentation",
    "EPres",
    "Extended_Pictographic",
    "ExtPict",
    "Extender",
    "Ext",
    "Grapheme_Base",
    "Gr_Base",
    "Grapheme_Extend",
    "Gr_Ext",
    "Hex_Digit",
    "Hex",
    "IDS_Binary_Operator",
    "IDSB",
    "IDS_Trinary_Operator",
    "IDST",
    "ID_Continue",
    "IDC",
    "ID_Start",
    "IDS",
    "Ideographic",
    "Ideo",
    "Join_Control",
    "Join_C",
    "Logical_Order_Exception",
    "LOE",
    "Lowercase",
    "Lower",
    "Math",
    "Noncharacter_Code_Point",
    "NChar",
    "Pattern_Syntax",
    "Pat_Syn",
    "Pattern_White_Space",
    "Pat_WS",
    "Quotation_Mark",
    "QMark",
    "Radical",
    "Regional_Indicator",
    "RI",
    "Sentence_Terminal",
    "STerm",
    "Soft_Dotted",
    "SD",
    "Terminal_Punctuation",
    "Term",
    "Unified_Ideograph",
    "UIdeo",
    "Uppercase",
    "Upper",
    "Variation_Selector",
    "VS",
    "White_Space",
    "space",
    "XID_Continue",
    "XIDC",
    "XID_Start",
    "XIDS",
];

/// After `\p` or `\P`: `{Name=Value}` or `{Value}` with ECMA-262's names, as `regex-syntax`.
fn property(p: &mut Scanner, negated: bool) -> Result<String, PatternError> {
    if !p.eat('{') {
        return Err(invalid(
            "`\\p` not followed by `{` (`\\pL` is not ECMA-262)",
        ));
    }
    let start = p.i;
    while p.peek().is_some_and(|c| c != '}') {
        p.i += 1;
    }
    let body: String = p.chars[start..p.i].iter().collect();
    if !p.eat('}') {
        return Err(invalid("an unclosed `\\p{`"));
    }
    let script_value = |v: &str| {
        v.starts_with(|c: char| c.is_ascii_uppercase())
            && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let inner = match body.split_once('=') {
        Some(("General_Category" | "gc", v)) if GENERAL_CATEGORIES.contains(&v) => {
            format!("gc={v}")
        }
        Some(("Script" | "sc", v)) if script_value(v) => format!("sc={v}"),
        Some(("Script_Extensions" | "scx", v)) if script_value(v) => format!("scx={v}"),
        None if GENERAL_CATEGORIES.contains(&body.as_str()) => format!("gc={body}"),
        None if BINARY_PROPERTIES.contains(&body.as_str()) => body.clone(),
        _ => {
            return Err(invalid(format!(
                "`\\p{{{body}}}` is not an ECMA-262 Unicode property"
            )));
        }
    };
    Ok(format!("\\{}{{{inner}}}", if negated { 'P' } else { 'p' }))
}

/// After `[`: the class, written to `out`.
fn class(p: &mut Scanner, out: &mut String) -> Result<(), PatternError> {
    let negated = p.eat('^');
    let mut items = String::new();
    loop {
        let a = match p.next() {
            None => return Err(invalid("an unclosed `[`")),
            Some(']') => break,
            Some(c) => class_atom(p, c)?,
        };
        // `a-b`, unless `-` ends the class.
        if p.peek() == Some('-') && p.peek_at(1).is_some_and(|c| c != ']') {
            p.i += 1;
            let b = match p.next() {
                Some(c) => class_atom(p, c)?,
                None => return Err(invalid("an unclosed `[`")),
            };
            match (a, b) {
                (ClassAtom::Char(x), ClassAtom::Char(y)) => {
                    if x > y {
                        return Err(invalid(format!(
                            "the class range `\\u{{{x:X}}}-\\u{{{y:X}}}` is out of order"
                        )));
                    }
                    push_range(&mut items, x, y);
                }
                // Annex B: a class escape at either end leaves the `-` literal.
                (a, b) => {
                    push_atom(&mut items, a);
                    push_char(&mut items, '-');
                    push_atom(&mut items, b);
                }
            }
        } else {
            push_atom(&mut items, a);
        }
    }
    // `[]` and `[^]`, or a class of lone surrogates only.
    match (!items.is_empty(), negated) {
        (false, false) => out.push_str(NOTHING),
        (false, true) => out.push_str(ANYTHING),
        (true, _) => {
            out.push('[');
            if negated {
                out.push('^');
            }
            out.push_str(&items);
            out.push(']');
        }
    }
    Ok(())
}

fn push_atom(out: &mut String, a: ClassAtom) {
    match a {
        ClassAtom::Char(c) => push_range(out, c, c),
        ClassAtom::Set(s) => out.push_str(&s),
    }
}

/// The code points `lo..=hi` of a class without the surrogates (which no Rust string holds).
fn push_range(out: &mut String, lo: u32, hi: u32) {
    for (a, b) in [
        (lo, hi.min(SURROGATES.start() - 1)),
        (lo.max(SURROGATES.end() + 1), hi),
    ] {
        if a > b {
            continue;
        }
        if let (Some(a), Some(b)) = (char::from_u32(a), char::from_u32(b)) {
            push_char(out, a);
            if b != a {
                out.push('-');
                push_char(out, b);
            }
        }
    }
}

/// One class atom whose first character `c` was read.
fn class_atom(p: &mut Scanner, c: char) -> Result<ClassAtom, PatternError> {
    if c != '\\' {
        return Ok(ClassAtom::Char(u32::from(c)));
    }
    let e = p.next().ok_or_else(|| invalid("an unclosed `[`"))?;
    if let Some(set) = class_escape(e) {
        return Ok(ClassAtom::Set(set));
    }
    Ok(match e {
        'b' => ClassAtom::Char(0x08),
        'p' | 'P' => ClassAtom::Set(property(p, e == 'P')?),
        '-' => ClassAtom::Char(u32::from('-')),
        '1'..='9' => {
            return Err(invalid(
                "a decimal escape in a class (`[\\1]`) is not ECMA-262",
            ));
        }
        'B' | 'k' => return Err(invalid(format!("`\\{e}` in a class is not ECMA-262"))),
        e => ClassAtom::Char(char_escape(p, e)?),
    })
}

/// `c` as a `regex-syntax` literal, in a class or outside: ASCII letters and digits as
/// themselves, anything else ASCII as `\x{..}`, other characters raw (never special there).
fn push_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || !c.is_ascii() {
        out.push(c);
    } else {
        out.push_str(&format!(r"\x{{{:X}}}", u32::from(c)));
    }
}
