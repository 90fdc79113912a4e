//! `@endpoint(hostPrefix: "{Label}.")`: the template split at generation time into literal text
//! and labels that refer to the input's `@hostLabel` string members, so the runtime only fills
//! in and validates label values.

use super::{BTreeMap, Error, Operation, Shape, ShapeId, ShapeKind, Structure};

/// A host prefix, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPrefix {
    /// The template as the model wrote it (for docs and messages).
    pub template: String,
    /// Never empty: an empty template means no prefix.
    pub segments: Vec<HostSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostSegment {
    /// Text copied as it is.
    Literal(String),
    /// `{Name}`: the value of an input member.
    Label(HostLabel),
}

/// The input member a `{Name}` placeholder refers to: a `@hostLabel` string member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostLabel {
    /// `Name`, the member's wire name.
    pub wire_name: String,
    /// Its Rust field.
    pub rust_name: String,
}

/// A piece of a template before its labels are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawSegment<'a> {
    Literal(&'a str),
    Label(&'a str),
}

/// Splits `template` at its `{Name}` placeholders. A `{` without its `}`, a `}` without its `{`
/// and an empty or non-identifier name are errors.
pub(crate) fn split(template: &str) -> Result<Vec<RawSegment<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        let Some(open) = rest.find(['{', '}']) else {
            out.push(RawSegment::Literal(rest));
            break;
        };
        if rest[open..].starts_with('}') {
            return Err(format!(
                "hostPrefix `{template}` has a `}}` without its `{{`"
            ));
        }
        if open > 0 {
            out.push(RawSegment::Literal(&rest[..open]));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("hostPrefix `{template}` has an unclosed `{{`"));
        };
        let label = &after[..close];
        if label.is_empty()
            || !label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Err(format!(
                "hostPrefix `{template}` has the label `{{{label}}}`, which is not a member name"
            ));
        }
        out.push(RawSegment::Label(label));
        rest = &after[close + 1..];
    }
    Ok(out)
}

/// The operation's host prefix, its labels resolved against the input's members.
pub(super) fn resolve(
    op: &Operation,
    template: &str,
    shapes: &BTreeMap<ShapeId, Shape>,
) -> Result<Option<HostPrefix>, Error> {
    let bad = |message: String| Error::Model {
        shape: op.id.clone(),
        message,
    };
    let raw = split(template).map_err(bad)?;
    if raw.is_empty() {
        return Ok(None);
    }
    let input: &Structure = match shapes.get(&op.input).map(|s| &s.kind) {
        Some(ShapeKind::Structure(st)) => st,
        _ => {
            return Err(bad(format!(
                "hostPrefix `{template}`: the input {} is not a structure",
                op.input
            )));
        }
    };
    let is_string = |id: &str| matches!(shapes.get(id).map(|s| &s.kind), Some(ShapeKind::String));
    let mut segments = Vec::with_capacity(raw.len());
    for seg in raw {
        let label = match seg {
            RawSegment::Literal(text) => {
                segments.push(HostSegment::Literal(text.to_owned()));
                continue;
            }
            RawSegment::Label(label) => label,
        };
        let Some(m) = input.members.iter().find(|m| m.wire_name == label) else {
            return Err(bad(format!(
                "hostPrefix `{template}` uses `{label}`, which is not a member of {}",
                op.input
            )));
        };
        if !m.host_label {
            return Err(bad(format!(
                "hostPrefix `{template}` uses `{label}`, which lacks @hostLabel"
            )));
        }
        if !is_string(&m.target) {
            return Err(bad(format!(
                "host label `{label}` must target a string, not `{}`",
                m.target
            )));
        }
        segments.push(HostSegment::Label(HostLabel {
            wire_name: m.wire_name.clone(),
            rust_name: m.rust_name.clone(),
        }));
    }
    Ok(Some(HostPrefix {
        template: template.to_owned(),
        segments,
    }))
}

#[cfg(test)]
mod tests {
    use super::RawSegment::{Label, Literal};
    use super::*;

    #[test]
    fn splits_literals_and_labels() {
        assert_eq!(split("foo.").unwrap(), [Literal("foo.")]);
        assert_eq!(split("").unwrap(), []);
        assert_eq!(
            split("foo.{label}.").unwrap(),
            [Literal("foo."), Label("label"), Literal(".")]
        );
        assert_eq!(
            split("{a}-{b_2}.").unwrap(),
            [Label("a"), Literal("-"), Label("b_2"), Literal(".")]
        );
        assert_eq!(split("{a}{b}").unwrap(), [Label("a"), Label("b")]);
    }

    #[test]
    fn malformed_templates_are_errors() {
        for (bad, why) in [
            ("{open.", "unclosed"),
            ("{", "unclosed"),
            ("a}.", "without its"),
            ("{}.", "not a member name"),
            ("{a.b}.", "not a member name"),
            ("{a{b}}.", "not a member name"),
        ] {
            let e = split(bad).unwrap_err();
            assert!(e.contains(why) && e.contains(bad), "{bad}: {e}");
        }
    }
}
