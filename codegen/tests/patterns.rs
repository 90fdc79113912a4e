//! Every `@pattern` of the shared models (SES, STS, SNS, CloudWatch), of this repo's SES model
//! and of the fixtures that the generator checks, rewritten for regex-lite (what generated
//! clients match with), matches exactly what an ECMA-262 engine (`regress`, with the `u` flag:
//! what Smithy says a pattern is) matches with the original text: on hand-picked strings (ASCII
//! and other scripts' letters, digits and spaces, punctuation, control characters, empty and
//! long strings), on the string values of the models' own examples, on every boundary of every
//! class of the pattern, and on strings the pattern matches with one character replaced or
//! inserted. Those it does not check are of a known kind, and those it calls not ECMA-262 the
//! ECMA engine rejects too.

use std::path::{Path, PathBuf};

use codegen::pattern::{PatternError, ecma_to_regex_syntax, for_regex_lite};
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::Value;

fn model_files() -> Vec<(String, PathBuf)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    if let Some(shared) = codegen::test_support::shared_dir("checking the repo's models only") {
        for name in ["ses", "sts", "sns", "cloudwatch"] {
            files.push((
                format!("shared/models/{name}.json"),
                shared.join("models").join(format!("{name}.json")),
            ));
        }
    }
    files.push((
        "models/ses.json".into(),
        manifest.join("../models/ses.json"),
    ));
    for name in ["mini", "awkward", "unions"] {
        files.push((
            format!("codegen/tests/fixtures/{name}.json"),
            manifest.join(format!("tests/fixtures/{name}.json")),
        ));
    }
    files
}

/// Every `@pattern` text and every string value of `@examples`, in `v`.
fn collect(v: &Value, patterns: &mut Vec<String>, examples: &mut Vec<String>) {
    let mut stack = vec![(v, false)];
    while let Some((v, in_examples)) = stack.pop() {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    if k == "smithy.api#pattern"
                        && let Some(p) = v.as_str()
                    {
                        patterns.push(p.to_owned());
                    }
                    stack.push((v, in_examples || k == "smithy.api#examples"));
                }
            }
            Value::Array(a) => stack.extend(a.iter().map(|v| (v, in_examples))),
            Value::String(s) if in_examples => examples.push(s.clone()),
            _ => {}
        }
    }
}

/// Patterns exercising ECMA-262 constructs beyond the models' patterns: class escapes and
/// `.` (whose ECMA meaning differs from the `regex` crate's), boundaries, classes with `[`,
/// `&&`, `--`, empty and full classes, lazy and nested repetitions, escapes of every kind.
const EXTRA_PATTERNS: &[&str] = &[
    r"^\s+$",
    r"^\S*$",
    r"^\d+$",
    r"^\D+$",
    r"^\w+$",
    r"^\W+$",
    r"[^\w\s]",
    r"^[\s\S]*$",
    r"^.+$",
    r"^a.c$",
    r"\bab",
    r"a\Bb",
    r"\bfoo\b",
    r"^(\bTSTALIASID\b|[0-9a-zA-Z]+)$",
    r"a*?b",
    r"^(ab){2,3}$",
    r"^(?:a|bc)+?c$",
    r"^x{0}y$",
    r"(?:)",
    r"^a|b$",
    r"^$",
    r"^[[]+$",
    r"^[a&&b--c~~d]+$",
    r"[]",
    r"^[^]$",
    r"^[\b]$",
    r"^[\w-.]+$",
    r"^[+-=]+$",
    r"^[a-zA-Z0-9-_]+$",
    r"^\p{L}+$",
    r"^\P{L}+$",
    r"^[^\p{C}]+$",
    r"^[\p{Lu}\p{Nd}]+$",
    r"^\p{Script=Greek}+$",
    r"^\p{sc=Cyrillic}$",
    r"^\p{ASCII}+$",
    r"^\p{White_Space}+$",
    r"^\p{General_Category=Zs}$",
    r"\u{10FFFF}",
    r"^[\0-\u{10FFFF}]$",
    r"\u{1F600}",
    r"^\uD83D\uDE00$",
    r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]+$",
    r"^(?<name>a)(?<other>b)$",
    r"^[-\]\[^&~#]+$",
    r"\.\+\*\?\(\)\|\[\]\{\}\^\$\/",
    r"^(?:a*)*$",
    r"^(a*)+b$",
    r"^(?:^a)*$",
    r"^\t\n\r\v\f\cA\cz\0 $",
    r"^[\x00-\x1F]+$",
    r"^[\u0000-\u001F]+$",
    "^a\u{2028}b$",
];

/// Letters, digits, spaces and marks of several scripts; ASCII punctuation and controls;
/// characters whose case folds are not ASCII; astral and private-use characters.
const CHARS: &str = "aZ09_-. \t\n\r\x0B\x0C\0\x07\x1b\x7f!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~\
    éÑßÿΩμΆжЖ名前مرحباשלוםनअǅʰªºµ\u{301}١٢४９𝟘½Ⅻ²\u{a0}\u{85}\u{1680}\u{2003}\u{2028}\
    \u{2029}\u{3000}\u{feff}\u{200b}\u{200c}\u{200d}‿\u{212a}ſİı😀𝔘𐐷\u{e000}\u{fffd}\u{d7ff}\
    \u{10ffff}\u{10000}\u{1000}";

fn samples(examples: &[String]) -> Vec<String> {
    let mut s: Vec<String> = [
        "",
        "abc",
        "ABC",
        "abc123",
        "a-b_c.d",
        "hello world",
        "tab\there",
        "line\nbreak",
        "trailing\n",
        "\nleading",
        "crlf\r\n",
        "Ñandú",
        "straße",
        "STRASSE",
        "ΩμέγΑ",
        "Имя-сеанса",
        "名前=値",
        "e\u{301}",
        "١٢٣",
        "user@example.com",
        "tag:value",
        "key=value+1",
        "a/b/c",
        "path/to:thing@x=y,z.",
        "arn:aws:connect:us-east-1:123456789012:instance/12345678-1234-1234-1234-123456789012",
        "arn:aws-us-gov:connect:us-gov-west-1:1:instance/abcdef01-2345-6789-abcd-ef0123456789",
        "arn:aws:iam::123456789012:role/MyRole",
        "arn:aws:iam::123456789012:role/path/to/Rolé",
        "arn:aws:iam::123456789012:role/service-role/My+Role=1,2.3@x-y",
        "arn:aws-cn:iam::1:role/ΩRole",
        "arn:aws:iam::123456789012:role/a b/c",
        "+12065550100",
        "+1234567",
        "123456789",
        "1234567890",
        "US",
        "us",
        "ÜS",
        "SampleCount",
        "Average",
        "p99",
        "p99.9",
        "p100",
        "tm99",
        "tc90.5",
        "wm50",
        "o1.5",
        "u3",
        "p99_E",
        "TM(10%:90%)",
        "TC(:50.5%)",
        "TS(5:100)",
        "WM(%:)",
        "PR(10:20)",
        "TM(10%:90%)_L",
        "IQM",
        "AWS/EC2",
        "a.b",
        "abab",
        "ababab",
        "aab",
        "bcbcc",
        "ab",
        "xy",
        "y",
        "c",
        "\r\nc\r\n",
        "a\nb",
        "\u{1F600}",
        "\t\n\r\x0B\x0C\x07\x00 ",
        ".+*?()|[]{}^$#&-~<>",
        "kK\u{212a}",
        "αβγ",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    s.extend(CHARS.chars().map(String::from));
    s.extend(CHARS.chars().map(|c| format!("{c}{c}{c}")));
    s.push(CHARS.to_owned());
    s.push("x".repeat(1000));
    s.push("é".repeat(300));
    s.push("ab".repeat(2000));
    s.push("9".repeat(500));
    s.push(format!(
        "arn:aws:iam::123456789012:role/{}",
        "a".repeat(600)
    ));
    s.push(format!("{}名", "w".repeat(700)));
    s.extend(examples.iter().cloned());
    s.sort();
    s.dedup();
    s
}

/// Characters on both sides of every range edge of every class of `pattern`.
fn class_edges(pattern: &str) -> Vec<char> {
    let Ok(hir) = ecma_to_regex_syntax(pattern)
        .map_err(|e| format!("{e:?}"))
        .and_then(|p| regex_syntax::parse(&p).map_err(|e| e.to_string()))
    else {
        panic!("`{pattern}` was rewritten, so it translates")
    };
    let mut out = Vec::new();
    let mut stack: Vec<&Hir> = vec![&hir];
    while let Some(h) = stack.pop() {
        match h.kind() {
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.iter() {
                    let (a, b) = (u32::from(r.start()), u32::from(r.end()));
                    out.extend(
                        [a.wrapping_sub(1), a, b, b + 1]
                            .into_iter()
                            .filter_map(char::from_u32),
                    );
                }
            }
            HirKind::Class(Class::Bytes(c)) => {
                for r in c.iter() {
                    let (a, b) = (u32::from(r.start()), u32::from(r.end()));
                    out.extend(
                        [a.wrapping_sub(1), a, b, b + 1]
                            .into_iter()
                            .filter_map(char::from_u32),
                    );
                }
            }
            HirKind::Repetition(r) => stack.push(&r.sub),
            HirKind::Capture(c) => stack.push(&c.sub),
            HirKind::Concat(v) | HirKind::Alternation(v) => stack.extend(v),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Look(_) => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether `s` has a character unassigned in regex-syntax's Unicode version (the generator's
/// tables), which a newer version may have assigned.
fn newer_unicode(s: &str) -> bool {
    static CN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    CN.get_or_init(|| regex::Regex::new(r"\p{Cn}").expect("valid"))
        .is_match(s)
}

fn shown(s: &str) -> String {
    let s: String = s.chars().take(120).collect();
    format!("{s:?}")
}

/// The ECMA-262 reference engine for `pattern`, with the `u` flag (the identity escapes of
/// punctuation the rewrite also takes, which only Annex B allows, written as `\xHH`).
fn ecma(pattern: &str) -> Result<regress::Regex, regress::Error> {
    regress::Regex::with_flags(&codegen::test_support::u_clean(pattern), "u")
}

/// `original` with the ECMA engine and its rewrite with regex-lite agree on every sample;
/// returns how many strings were compared (0 if it is not checked: then of a known kind, and
/// if it is called not ECMA-262, the ECMA engine rejects it too).
fn check(original: &str, base: &[String]) -> usize {
    let rewritten = match for_regex_lite(original) {
        Ok(r) => r,
        Err(PatternError::Internal(e)) => panic!("`{original}`: a translation bug: {e}"),
        Err(PatternError::Invalid(why)) => {
            assert!(
                regress::Regex::with_flags(original, "u").is_err(),
                "`{original}`: called not ECMA-262 ({why}), but the ECMA engine takes it"
            );
            return 0;
        }
        Err(_) => return 0,
    };
    let reference =
        ecma(original).unwrap_or_else(|e| panic!("`{original}` is not valid ECMA-262: {e}"));
    let lite = regex_lite::Regex::new(&rewritten)
        .unwrap_or_else(|e| panic!("regex-lite rejects the rewrite of `{original}`: {e}"));
    let mut compared = 0;
    let mut agree = |s: &str| {
        compared += 1;
        let (want, got) = (reference.find(s).is_some(), lite.is_match(s));
        // The two crates' Unicode versions differ: a character the generator's tables do not
        // know yet may be a letter to the ECMA engine.
        if want != got && newer_unicode(s) {
            return want;
        }
        assert_eq!(
            want,
            got,
            "`{original}` (rewritten `{}`) on {}: ECMA says {want}, regex-lite says {got}",
            shown(&rewritten),
            shown(s)
        );
        want
    };
    let mut positives = Vec::new();
    for s in base {
        if agree(s) {
            positives.push(s.clone());
        }
    }
    let edges = class_edges(original);
    let mut extra_chars: Vec<char> = CHARS.chars().collect();
    extra_chars.extend(&edges);
    for c in &edges {
        let one = c.to_string();
        agree(&one);
        agree(&format!("{c}{c}"));
    }
    // Strings that match, with one character replaced or one inserted (short ones, several
    // positions; every class edge at the middle of the shortest).
    positives.sort_by_key(String::len);
    for p in positives
        .iter()
        .filter(|p| p.chars().count() <= 100)
        .take(8)
    {
        let chars: Vec<char> = p.chars().collect();
        let positions: Vec<usize> = if chars.len() <= 12 {
            (0..=chars.len()).collect()
        } else {
            vec![0, 1, chars.len() / 2, chars.len() - 1, chars.len()]
        };
        for &i in &positions {
            for c in CHARS.chars() {
                let mut replaced = chars.clone();
                if i < replaced.len() {
                    replaced[i] = c;
                    agree(&replaced.iter().collect::<String>());
                }
                let mut inserted = chars.clone();
                inserted.insert(i, c);
                agree(&inserted.iter().collect::<String>());
            }
        }
    }
    if let Some(p) = positives.iter().find(|p| !p.is_empty()) {
        let chars: Vec<char> = p.chars().collect();
        let mid = chars.len() / 2;
        for &c in &extra_chars {
            let mut replaced = chars.clone();
            replaced[mid] = c;
            agree(&replaced.iter().collect::<String>());
        }
    }
    compared
}

#[test]
fn rewritten_patterns_match_what_the_originals_match() {
    let mut patterns = Vec::new();
    let mut examples = Vec::new();
    let mut per_file = Vec::new();
    for (name, path) in model_files() {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let before = patterns.len();
        collect(&doc, &mut patterns, &mut examples);
        per_file.push((name, patterns.len() - before));
    }
    // The models have patterns to check (the shared ones, when present, most of them).
    assert!(
        per_file
            .iter()
            .any(|(n, count)| n.ends_with("mini.json") && *count > 0),
        "{per_file:?}"
    );
    patterns.extend(EXTRA_PATTERNS.iter().map(|p| (*p).to_owned()));
    patterns.sort();
    patterns.dedup();
    let base = samples(&examples);
    let mut compared = 0;
    for p in &patterns {
        compared += check(p, &base);
    }
    eprintln!(
        "{} patterns ({per_file:?} and {} more), {compared} comparisons, {} example strings",
        patterns.len(),
        EXTRA_PATTERNS.len(),
        examples.len()
    );
}

/// The shared STS model's patterns use `\p{L}`, `\p{Z}`, `\p{N}` and Unicode `\w`: after the
/// rewrite none of those is left, and letters of other scripts still match.
#[test]
fn unicode_classes_of_sts_are_explicit() {
    let p = r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$";
    let r = for_regex_lite(p).unwrap();
    assert!(!r.contains(r"\p"), "{r}");
    let re = regex_lite::Regex::new(&r).unwrap();
    for s in ["Ñandú 名前", "session:١٢٣", "a\u{3000}b"] {
        assert!(re.is_match(s), "{s}");
    }
    assert!(!re.is_match("a\tb") && !re.is_match("a!b") && !re.is_match(""));
    let w = for_regex_lite(r"^[\w+=,.@-]*$").unwrap();
    assert!(!w.contains(r"\w"));
}

/// ECMA-262's `\b` is ASCII (`\w` is `[A-Za-z0-9_]`): carried as regex-lite's ASCII `\b`,
/// where the `regex` crate's Unicode one would differ beside a non-ASCII letter.
#[test]
fn word_boundaries_are_ascii() {
    let p = r"\bfoo\b";
    let lite = regex_lite::Regex::new(&for_regex_lite(p).unwrap()).unwrap();
    let ecma = ecma(p).unwrap();
    let unicode = regex::Regex::new(p).unwrap();
    for s in ["foo", "éfooé", "a foo b", "xfoo", "foo_"] {
        assert_eq!(lite.is_match(s), ecma.find(s).is_some(), "{s}");
    }
    assert!(lite.is_match("éfooé") && !unicode.is_match("éfooé"));
}
