//! What this crate's tests (unit and integration) share: finding the shared data.

use std::path::PathBuf;

/// The shared conformance and model data: `AWS_QUERY_SHARED_DIR`, else `<workspace>/../shared`.
/// Missing, it fails the calling test, unless `AWS_QUERY_ALLOW_SKIP` is set: then it prints a
/// loud SKIPPED line (saying what the test does `instead`) and returns `None`.
pub fn shared_dir(instead: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("AWS_QUERY_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("AWS_QUERY_ALLOW_SKIP").is_some() {
        let line = format!(
            "SKIPPED: shared data directory {} not found (AWS_QUERY_ALLOW_SKIP is set); {instead}\n",
            dir.display()
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
        return None;
    }
    panic!(
        "shared data directory {} not found: set AWS_QUERY_SHARED_DIR (AWS_QUERY_ALLOW_SKIP=1: \
         {instead})",
        dir.display()
    )
}

/// The model files of the shared corpus (`<shared>/models/*.json`, sorted), for the tests that
/// run over every AWS model; `None` as [`shared_dir`] says (saying what the test does `instead`).
pub fn shared_models(instead: &str) -> Option<Vec<PathBuf>> {
    let dir = shared_dir(instead)?.join("models");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| !p.to_string_lossy().ends_with(".notes.json"))
        .collect();
    files.sort();
    Some(files)
}

/// `pattern` (ECMA-262) as the ECMA engine takes it with the `u` flag, where the generator reads
/// it with one of its two Annex B liberties (`pattern::ecma`), meaning the same: an identity
/// escape of ASCII punctuation or space (`\_`, `\:`, `\-` outside a class) and a `-` beside a
/// class escape in a class (`[\w-.]`) are written as `\xHH`. The rest is kept as it is.
pub fn u_clean(pattern: &str) -> String {
    const SYNTAX: &str = r"^$\.*+?()[]{}|/";
    let chars: Vec<char> = pattern.chars().collect();
    // One escape from `chars[i]` (a `\`): its text and whether it is a class escape (a set).
    let escape = |i: usize| -> (String, bool, usize) {
        let Some(&e) = chars.get(i + 1) else {
            return ("\\".into(), false, i + 1);
        };
        let until_brace = |from: usize| {
            let end = chars[from..]
                .iter()
                .position(|&c| c == '}')
                .map_or(chars.len(), |k| from + k + 1);
            (chars[i..end].iter().collect::<String>(), end)
        };
        match e {
            'p' | 'P' if chars.get(i + 2) == Some(&'{') => {
                let (t, end) = until_brace(i + 2);
                (t, true, end)
            }
            'u' if chars.get(i + 2) == Some(&'{') => {
                let (t, end) = until_brace(i + 2);
                (t, false, end)
            }
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => (format!("\\{e}"), true, i + 2),
            e if (e.is_ascii_punctuation() || e == ' ') && !SYNTAX.contains(e) => {
                (format!(r"\x{:02X}", u32::from(e)), false, i + 2)
            }
            // `\uHHHH`, `\xHH`, `\cX` and the rest: the following characters are plain ones.
            e => (format!("\\{e}"), false, i + 2),
        }
    };
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let (t, _, next) = escape(i);
                out.push_str(&t);
                i = next;
            }
            '[' => {
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                let atom = |i: usize| -> (String, bool, usize) {
                    if chars[i] == '\\' {
                        escape(i)
                    } else {
                        (chars[i].to_string(), false, i + 1)
                    }
                };
                while i < chars.len() && chars[i] != ']' {
                    let (a, a_set, next) = atom(i);
                    i = next;
                    if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&c| c != ']') {
                        let (b, b_set, next) = atom(i + 1);
                        i = next;
                        let dash = if a_set || b_set { r"\x2D" } else { "-" };
                        out.push_str(&format!("{a}{dash}{b}"));
                    } else {
                        out.push_str(&a);
                    }
                }
                if i < chars.len() {
                    out.push(']');
                    i += 1;
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}
