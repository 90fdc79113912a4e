//! Every `@pattern` of the shared models (SES, STS, SNS, CloudWatch), of this repo's SES model
//! and of the fixtures, rewritten for regex-lite (what generated clients match with), matches
//! exactly what the `regex` crate (Unicode mode, what the model's text means to this project)
//! matches with the original text: on hand-picked strings (ASCII and other scripts' letters,
//! digits and spaces, punctuation, control characters, empty and long strings), on the string
//! values of the models' own examples, on every boundary of every class of the pattern, and on
//! strings the pattern matches with one character replaced or inserted.

use std::path::{Path, PathBuf};

use codegen::pattern::{PatternError, for_regex_lite};
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

/// Patterns exercising what the rewrite prints beyond the models' patterns: flags, negated and
/// set-operation classes, anchors, boundaries, lazy and nested repetitions, escapes.
const EXTRA_PATTERNS: &[&str] = &[
    r"(?i)^straße$",
    r"(?i)^k+$",
    r"(?i)^[a-zä]+$",
    r"^\s+$",
    r"^\S*$",
    r"^\D+$",
    r"^\W+$",
    r"[^\w\s]",
    r"^.+$",
    r"(?s)^.+$",
    r"(?m)^a$",
    r"(?mR)^c$",
    r"(?-u:\b)ab",
    r"a(?-u:\B)b",
    r"^(?-u:\w)+$",
    r"a*?b",
    r"^(ab){2,3}$",
    r"^(?:a|bc)+?c$",
    r"^x{0}y$",
    r"(?:)",
    r"^a|b$",
    r"^$",
    r"(?U)^a+b?$",
    r"^[\p{Greek}&&\p{Ll}]+$",
    r"^[a-z--aeiou]+$",
    r"^[\p{L}~~\p{Lu}]$",
    r"^\pN+$",
    r"\PL",
    r"^[[:alpha:]]+$",
    r"[[:^digit:]]",
    r"^\p{Han}+$",
    r"^\p{sc=Latin}$",
    r"\x{10FFFF}",
    r"^[\x00-\x{10FFFF}]$",
    r"[^\x00-\x{10FFFF}]",
    r"\u{1F600}",
    r"\U0001F600",
    r"(?x) a b # comment",
    r"^(?P<name>a)(?<other>b)$",
    r"^[-\]\[^&~#]+$",
    r"\.\+\*\?\(\)\|\[\]\{\}\^\$\#\&\-\~<>",
    r"^(?:a*)*$",
    r"^(a*)+b$",
    r"^(?:^a)*$",
    r"^\t\n\r\x0B\x0C\x07\x00 $",
    r"^[\u0000-\u001F]+$",
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
    let hir = regex_syntax::parse(pattern).expect("parsed before");
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

fn shown(s: &str) -> String {
    let s: String = s.chars().take(120).collect();
    format!("{s:?}")
}

/// `original` with the `regex` crate and its rewrite with regex-lite agree on every sample;
/// returns how many strings were compared.
fn check(original: &str, base: &[String]) -> usize {
    let reference = regex::Regex::new(original)
        .unwrap_or_else(|e| panic!("`{original}` is not a valid regex: {e}"));
    let rewritten = for_regex_lite(original)
        .unwrap_or_else(|e| panic!("`{original}` cannot be rewritten: {e:?}"));
    let lite = regex_lite::Regex::new(&rewritten)
        .unwrap_or_else(|e| panic!("regex-lite rejects the rewrite of `{original}`: {e}"));
    let mut compared = 0;
    let mut agree = |s: &str| {
        compared += 1;
        let (want, got) = (reference.is_match(s), lite.is_match(s));
        assert_eq!(
            want,
            got,
            "`{original}` (rewritten `{}`) on {}: regex says {want}, regex-lite says {got}",
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

/// Unicode word boundaries have no regex-lite equivalent: an error, not a silent change.
#[test]
fn unicode_word_boundaries_are_refused() {
    for p in [r"\bx", r"x\B", r"\<x", r"x\>", r"\b{start}x"] {
        assert!(
            matches!(for_regex_lite(p), Err(PatternError::Unsupported(_))),
            "{p}"
        );
    }
}
