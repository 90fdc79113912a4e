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

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Segment {
        Segment::Lit(s.into())
    }

    fn field(s: &str) -> Step {
        Step::Field(s.into())
    }

    #[test]
    fn templates_split_into_literal_and_substitution_segments() {
        assert_eq!(
            parse_template("https://email.{Region}.{PartitionResult#dnsSuffix}"),
            Ok(vec![
                lit("https://email."),
                Segment::Ref("Region".into()),
                lit("."),
                Segment::Attr("PartitionResult".into(), vec![field("dnsSuffix")]),
            ])
        );
        assert_eq!(parse_template("plain"), Ok(vec![lit("plain")]));
        assert_eq!(parse_template(""), Ok(vec![]));
        assert_eq!(
            parse_template("{arn#resourceId[1]}{x}"),
            Ok(vec![
                Segment::Attr("arn".into(), vec![field("resourceId"), Step::Index(1)]),
                Segment::Ref("x".into()),
            ])
        );
    }

    #[test]
    fn template_escapes_become_literal_braces_in_one_segment() {
        assert_eq!(
            parse_template("{{literal}} {x}"),
            Ok(vec![lit("{literal} "), Segment::Ref("x".into())])
        );
        assert_eq!(parse_template("a}}b{{"), Ok(vec![lit("a}b{")]));
        assert_eq!(
            parse_template("/{{{x}}}/"),
            Ok(vec![lit("/{"), Segment::Ref("x".into()), lit("}/")])
        );
    }

    #[test]
    fn malformed_templates_are_rejected() {
        for (bad, message) in [
            ("{", "unclosed `{` in template `{`"),
            (
                "https://{Region",
                "unclosed `{` in template `https://{Region`",
            ),
            ("a}b", "unmatched `}` in template `a}b`"),
            ("{}", "invalid substitution `{}` in template `{}`"),
            ("{a b}", "invalid substitution `{a b}` in template `{a b}`"),
            ("{a#}", "invalid substitution `{a#}` in template `{a#}`"),
            ("{#x}", "invalid substitution `{#x}` in template `{#x}`"),
            (
                "x{a{b}",
                "invalid substitution `{a{b}` in template `x{a{b}`",
            ),
            ("{p#a..b}", "empty segment in attribute path `a..b`"),
            (
                "{p#a[x]}",
                "index `x` in attribute path `a[x]` is not a non-negative integer",
            ),
        ] {
            assert_eq!(parse_template(bad), Err(message.to_owned()), "{bad:?}");
        }
    }

    #[test]
    fn paths_split_into_fields_and_indexes() {
        assert_eq!(parse_path("dnsSuffix"), Ok(vec![field("dnsSuffix")]));
        assert_eq!(
            parse_path("a.b[0]"),
            Ok(vec![field("a"), field("b"), Step::Index(0)])
        );
        assert_eq!(
            parse_path("resourceId[12]"),
            Ok(vec![field("resourceId"), Step::Index(12)])
        );
        assert_eq!(parse_path("[1]"), Ok(vec![Step::Index(1)]));
        assert_eq!(
            parse_path("x[1][2]"),
            Ok(vec![field("x"), Step::Index(1), Step::Index(2)])
        );
        // No `[`: a (strange) field name, as the runtime used to accept.
        assert_eq!(parse_path("a]"), Ok(vec![field("a]")]));
        for (bad, message) in [
            ("", "empty segment in attribute path ``"),
            ("a..b", "empty segment in attribute path `a..b`"),
            ("a.", "empty segment in attribute path `a.`"),
            ("a[", "malformed index in attribute path `a[`"),
            ("a[1]b", "malformed index in attribute path `a[1]b`"),
            (
                "a[x]",
                "index `x` in attribute path `a[x]` is not a non-negative integer",
            ),
            (
                "a[-1]",
                "index `-1` in attribute path `a[-1]` is not a non-negative integer",
            ),
        ] {
            assert_eq!(parse_path(bad), Err(message.to_owned()), "{bad:?}");
        }
    }
}
