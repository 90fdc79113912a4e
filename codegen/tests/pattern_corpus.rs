//! Every `@pattern` of every shared AWS model (`$AWS_QUERY_SHARED_DIR/models/*.json`, default
//! `../shared` beside the workspace), on shapes and members, through the IR's decision
//! (`ir::patterns::decide`): none panics, none is a translation bug, and those not checked are
//! of the known kinds only. Prints the counts (distinct patterns and uses, checked and not
//! checked by reason); each checked pattern also agrees with an ECMA-262 engine (`regress`, `u`
//! flag) on fixed strings and on strings around every edge of its classes, and each one called
//! not ECMA-262 that engine refuses too.

use std::collections::BTreeMap;

use codegen::ir::{PatternCheck, patterns::decide};
use codegen::pattern::PatternError;
use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::Value;

/// `(item, pattern)` for every shape and member of `doc` that declares `@pattern`.
fn uses(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let pattern = |v: &Value| {
        v.get("traits")
            .and_then(|t| t.get("smithy.api#pattern"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let Some(shapes) = doc.get("shapes").and_then(Value::as_object) else {
        return out;
    };
    for (id, shape) in shapes {
        if let Some(p) = pattern(shape) {
            out.push((id.clone(), p));
        }
        let mut members: Vec<(&str, &Value)> = shape
            .get("members")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default();
        for k in ["member", "key", "value"] {
            if let Some(m) = shape.get(k) {
                members.push((k, m));
            }
        }
        for (name, m) in members {
            if let Some(p) = pattern(m) {
                out.push((format!("{id}${name}"), p));
            }
        }
    }
    out
}

/// Characters on both sides of every range edge of every class of `pattern` (as translated).
fn class_edges(pattern: &str) -> Vec<char> {
    let Some(hir) = codegen::pattern::ecma_to_regex_syntax(pattern)
        .ok()
        .and_then(|p| regex_syntax::parse(&p).ok())
    else {
        return Vec::new();
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
            HirKind::Class(Class::Bytes(_)) | HirKind::Empty | HirKind::Literal(_) => {}
            HirKind::Look(_) => {}
            HirKind::Repetition(r) => stack.push(&r.sub),
            HirKind::Capture(c) => stack.push(&c.sub),
            HirKind::Concat(v) | HirKind::Alternation(v) => stack.extend(v),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether `s` has a character unassigned in regex-syntax's Unicode version (the generator's
/// tables), which the ECMA engine's newer version may have assigned.
fn newer_unicode(s: &str) -> bool {
    static CN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    CN.get_or_init(|| regex::Regex::new(r"\p{Cn}").expect("valid"))
        .is_match(s)
}

#[derive(Default)]
struct Count {
    distinct: usize,
    uses: usize,
    services: usize,
}

#[test]
fn every_corpus_pattern_is_decided() {
    let Some(files) =
        codegen::test_support::shared_models("no pattern of the aws models is measured")
    else {
        return;
    };
    // Pattern -> (uses, services using it).
    let mut by_pattern: BTreeMap<String, (usize, std::collections::BTreeSet<String>)> =
        BTreeMap::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("model");
        let doc: Value = serde_json::from_str(&text).expect("model JSON");
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (_, p) in uses(&doc) {
            let e = by_pattern.entry(p).or_default();
            e.0 += 1;
            e.1.insert(name.clone());
        }
    }
    let mut counts: BTreeMap<&'static str, Count> = BTreeMap::new();
    let mut services: BTreeMap<&'static str, std::collections::BTreeSet<String>> = BTreeMap::new();
    let mut examples: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let mut compared = 0;
    let mut comparisons = 0;
    let samples: Vec<String> = [
        "",
        "a",
        "A",
        "abc",
        "a-b_c.d",
        "hello world",
        "a\tb",
        "a\nb",
        "a\rb",
        "\u{85}",
        "\u{feff}",
        "\u{2028}",
        "é",
        "Ñandú",
        "名前",
        "١٢٣",
        "arn:aws:iam::123456789012:role/x",
        "user@example.com",
        "aws:tag",
        "x😀",
        "0",
        "12345678",
        "_",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for (p, (n, svcs)) in &by_pattern {
        let decided = decide(p);
        let kind = match &decided.check {
            PatternCheck::RegexLite(re) => {
                let lite = regex_lite::Regex::new(re).expect("checked when decided");
                // With the `u` flag (the identity escapes of punctuation the rewrite also takes,
                // which only Annex B allows, written as `\xHH`).
                let reference = regress::Regex::with_flags(&codegen::test_support::u_clean(p), "u");
                match &reference {
                    Ok(_) => compared += 1,
                    Err(e) => disagreements.push(format!("`{p}`: checked, but regress: {e}")),
                }
                if let Ok(reference) = reference {
                    let mut strings = samples.clone();
                    // Around every edge of its classes, alone, repeated, and in place of the
                    // middle character of a string it matches.
                    let edges = class_edges(p);
                    let positive = samples
                        .iter()
                        .filter(|s| !s.is_empty() && lite.is_match(s))
                        .map(|s| s.chars().collect::<Vec<char>>())
                        .next();
                    for &c in &edges {
                        strings.push(c.to_string());
                        strings.push(format!("{c}{c}{c}"));
                        if let Some(chars) = &positive {
                            let mut replaced = chars.clone();
                            replaced[chars.len() / 2] = c;
                            strings.push(replaced.into_iter().collect());
                        }
                    }
                    for s in &strings {
                        if reference.find(s).is_some() != lite.is_match(s) && !newer_unicode(s) {
                            disagreements.push(format!("`{p}` on {s:?}"));
                        }
                    }
                    comparisons += strings.len();
                }
                "checked"
            }
            PatternCheck::NotChecked(e) => {
                assert!(
                    !matches!(e, PatternError::Internal(_)),
                    "`{p}`: a translation bug: {e:?}"
                );
                // What is called not ECMA-262, an ECMA engine refuses too.
                if let PatternError::Invalid(why) = e
                    && regress::Regex::with_flags(p, "u").is_ok()
                {
                    disagreements.push(format!("`{p}`: called not ECMA-262 ({why})"));
                }
                e.kind()
            }
        };
        let c = counts.entry(kind).or_default();
        c.distinct += 1;
        c.uses += n;
        services
            .entry(kind)
            .or_default()
            .extend(svcs.iter().cloned());
        let ex = examples.entry(kind).or_default();
        if ex.len() < 3 {
            ex.push(match &decided.check {
                PatternCheck::NotChecked(e) => format!("`{p}`: {}", e.reason()),
                PatternCheck::RegexLite(_) => format!("`{p}`"),
            });
        }
    }
    for (kind, s) in &services {
        if let Some(c) = counts.get_mut(kind) {
            c.services = s.len();
        }
    }
    let total_uses: usize = counts.values().map(|c| c.uses).sum();
    eprintln!(
        "{} models, {} distinct patterns, {total_uses} uses (shapes and members)",
        files.len(),
        by_pattern.len()
    );
    for (kind, c) in &counts {
        eprintln!(
            "  {kind:<26} {:>5} distinct {:>5} uses {:>4} services",
            c.distinct, c.uses, c.services
        );
        for e in &examples[kind] {
            eprintln!("      e.g. {}", e.chars().take(160).collect::<String>());
        }
    }
    eprintln!(
        "  checked patterns compared with the ECMA engine: {compared} ({comparisons} strings)"
    );
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    let known = [
        "checked",
        "look-around",
        "back-reference",
        "flag modifiers",
        "not ECMA-262",
        "too large for regex-lite",
    ];
    for kind in counts.keys() {
        assert!(known.contains(kind), "unknown kind {kind}");
    }
    if files.len() > 100 {
        assert!(counts["checked"].distinct * 10 > by_pattern.len() * 9);
    }
}
