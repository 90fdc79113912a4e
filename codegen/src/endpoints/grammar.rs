//! The two small text grammars inside rule sets, decided at generation time: template strings
//! (`https://{Region}.{PartitionResult#dnsSuffix}`, `{{` / `}}` for literal braces) and
//! `getAttr` paths (`dnsSuffix`, `resourceId[0]`, `a.b[1]`). Errors are messages; the caller
//! adds the location.

use super::ir::{Segment, Step};

/// A parameter, variable or template substitution name.
pub fn is_identifier(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Splits a template string into literal text and substitutions (`{name}`, `{name#path}`),
/// merging adjacent literal text and resolving `{{` and `}}`.
pub fn parse_template(template: &str) -> Result<Vec<Segment>, String> {
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        literal.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            literal.push('{');
            rest = after;
        } else if let Some(after) = tail.strip_prefix("}}") {
            literal.push('}');
            rest = after;
        } else if tail.starts_with('}') {
            return Err(format!("unmatched `}}` in template `{template}`"));
        } else {
            let close = tail
                .find('}')
                .ok_or_else(|| format!("unclosed `{{` in template `{template}`"))?;
            let inner = &tail[1..close];
            let (name, path) = match inner.split_once('#') {
                Some((n, p)) => (n, Some(p)),
                None => (inner, None),
            };
            if !is_identifier(name) || path.is_some_and(str::is_empty) || inner.contains('{') {
                return Err(format!(
                    "invalid substitution `{{{inner}}}` in template `{template}`"
                ));
            }
            if !literal.is_empty() {
                segments.push(Segment::Lit(std::mem::take(&mut literal)));
            }
            segments.push(match path {
                None => Segment::Ref(name.to_owned()),
                Some(path) => Segment::Attr(name.to_owned(), parse_path(path)?),
            });
            rest = &tail[close + 1..];
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        segments.push(Segment::Lit(literal));
    }
    Ok(segments)
}

/// Splits a `getAttr` path into field names and array indexes.
pub fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        if part.is_empty() {
            return Err(format!("empty segment in attribute path `{path}`"));
        }
        let (key, mut rest) = match part.find('[') {
            Some(i) => part.split_at(i),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(Step::Field(key.to_owned()));
        }
        while !rest.is_empty() {
            let (index, after) = rest
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .ok_or_else(|| format!("malformed index in attribute path `{path}`"))?;
            let index = index.parse::<usize>().map_err(|_| {
                format!("index `{index}` in attribute path `{path}` is not a non-negative integer")
            })?;
            steps.push(Step::Index(index));
            rest = after;
        }
    }
    Ok(steps)
}
