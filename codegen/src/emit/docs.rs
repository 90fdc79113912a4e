//! Rustdoc text derived from the model's facts (and its documentation, when it has any).

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::{Constraints, EnumVariant, Member, ShapeKind, Structure};
use crate::{Error, Notes, model};

/// `#[doc = "..."]` attributes, one per line of `text`.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// The model's HTML documentation as Markdown (htmd keeps links and escapes `[` `]`, so rustdoc
/// does not read them as intra-doc links). Falls back to dropping tags if the HTML is broken.
pub(crate) fn from_html(html: &str) -> String {
    let md = htmd::convert(html).unwrap_or_else(|_| strip_tags(html));
    md.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            _ => out.push(c),
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// How a shape reads in prose: `String`, `a list of String`, an enum with its values.
pub(crate) fn type_phrase(cx: &super::Ctx, id: &str) -> String {
    let shape = cx.svc.shape(id);
    match &shape.kind {
        ShapeKind::String => "String".into(),
        ShapeKind::Boolean => "bool".into(),
        ShapeKind::Byte => "i8".into(),
        ShapeKind::Short => "i16".into(),
        ShapeKind::Integer => "i32".into(),
        ShapeKind::Long => "i64".into(),
        ShapeKind::Float => "f32".into(),
        ShapeKind::Double => "f64".into(),
        ShapeKind::Timestamp => "timestamp".into(),
        ShapeKind::Blob => "bytes (base64 on the wire)".into(),
        ShapeKind::List(m) => format!("a list of {}", type_phrase(cx, &m.target)),
        ShapeKind::Map { key, value } => {
            format!(
                "a map from {} to {}",
                type_phrase(cx, &key.target),
                type_phrase(cx, &value.target)
            )
        }
        ShapeKind::Enum(variants) => {
            let path = cx.type_path(id).to_string().replace(' ', "");
            let values: Vec<String> = variants.iter().map(|v| format!("`{}`", v.value)).collect();
            format!(
                "[`{}`]({path}), one of {}",
                shape.rust_name,
                values.join(", ")
            )
        }
        ShapeKind::IntEnum(_) | ShapeKind::Structure(_) | ShapeKind::Union(_) => {
            let path = cx.type_path(id).to_string().replace(' ', "");
            format!("[`{}`]({path})", shape.rust_name)
        }
    }
}

pub(crate) fn constraint_text(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((min, max)) = c.length {
        out.push(match (min, max) {
            (Some(a), Some(b)) => format!("Length: {a} to {b}."),
            (Some(a), None) => format!("Length: at least {a}."),
            (None, Some(b)) => format!("Length: at most {b}."),
            (None, None) => String::new(),
        });
    }
    if let Some((min, max)) = c.range {
        out.push(match (min, max) {
            (Some(a), Some(b)) => format!("Range: {a} to {b}."),
            (Some(a), None) => format!("Range: at least {a}."),
            (None, Some(b)) => format!("Range: at most {b}."),
            (None, None) => String::new(),
        });
    }
    if let Some(p) = &c.pattern {
        out.push(format!("Pattern: `{}`.", p.replace('`', "'")));
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Docs for member `m` of structure `owner` (a shape id): the model's text or else the
/// project's note, then the facts.
pub(crate) fn member(cx: &Ctx, owner: &str, m: &Member) -> String {
    let target = cx.svc.shape(&m.target);
    let mut parts = Vec::new();
    if let Some(d) = &m.docs {
        parts.push(from_html(d));
    } else if let Some(note) = member_note(cx, owner, m) {
        parts.push(note.to_owned());
    }
    let mut facts = vec![format!(
        "{} `{}` on the wire.",
        if m.required {
            "**Required.**"
        } else if m.client_optional {
            "Required by the service (`@clientOptional`: not checked before sending)."
        } else {
            "Optional."
        },
        m.wire_name
    )];
    if let Some(default) = &m.default {
        facts.push(format!("Model default: `{default}`."));
    }
    facts.extend(constraint_text(&m.constraints));
    facts.extend(constraint_text(&target.constraints));
    parts.push(facts.join(" "));
    parts.join("\n\n")
}

/// The project's note on member `m` of structure `owner` (a shape id).
pub(crate) fn member_note<'a>(cx: &Ctx<'a>, owner: &str, m: &Member) -> Option<&'a str> {
    let key = format!("{}${}", crate::ir_local(owner), m.wire_name);
    cx.notes.members.get(&key).map(String::as_str)
}

/// The project's note on a structure, error or enum (a shape id).
pub(crate) fn shape_note<'a>(cx: &Ctx<'a>, id: &str) -> Option<&'a str> {
    cx.notes.shapes.get(crate::ir_local(id)).map(String::as_str)
}

/// Docs for a value of enum `id`: the model's text or else the project's note (with the wire
/// value), or just the wire value.
pub(crate) fn enum_value(cx: &Ctx, id: &str, v: &EnumVariant) -> String {
    if let Some(d) = &v.docs {
        return from_html(d);
    }
    let key = format!("{}${}", crate::ir_local(id), v.value);
    match cx.notes.enums.get(&key) {
        Some(note) => format!("{note}\n\n`{}` on the wire.", v.value),
        None => format!("`{}`", v.value),
    }
}

/// The id of the shape whose structure is `st` (which must be one of the service's).
pub(crate) fn owner_of<'a>(cx: &Ctx<'a>, st: &Structure) -> &'a str {
    cx.svc
        .shapes
        .values()
        .find(|s| matches!(&s.kind, ShapeKind::Structure(x) if std::ptr::eq(x, st)))
        .map_or("", |s| s.id.as_str())
}

impl Notes {
    /// Checks that every key names something `model` has: an operation, a structure, error or
    /// (string) enum, a member of a structure, a value of an enum. The whole model counts, not
    /// only the operations a trimmed client keeps, so one notes file serves every trimmed client.
    pub(crate) fn check(&self, model: &model::Model) -> Result<(), Error> {
        use model::Shape as S;
        let mut by_name: std::collections::BTreeMap<&str, Vec<&S>> = Default::default();
        for (id, shape) in &model.shapes {
            by_name.entry(crate::ir_local(id)).or_default().push(shape);
        }
        let shapes = |name: &str| by_name.get(name).map(Vec::as_slice).unwrap_or_default();
        let fail = |section: &str, key: &str, message: String| Error::Model {
            shape: format!("notes: `{section}` key `{key}`"),
            message,
        };
        for key in self.operations.keys() {
            if !shapes(key).iter().any(|s| matches!(s, S::Operation { .. })) {
                return Err(fail(
                    "operations",
                    key,
                    "the model has no such operation".into(),
                ));
            }
        }
        for key in self.shapes.keys() {
            let typed = |s: &&S| matches!(s, S::Structure { .. } | S::Enum { .. });
            if !shapes(key).iter().any(typed) {
                return Err(fail(
                    "shapes",
                    key,
                    "the model has no structure or enum of that name".into(),
                ));
            }
        }
        for key in self.members.keys() {
            let Some((owner, member)) = key.split_once('$') else {
                return Err(fail("members", key, "expected `Structure$Member`".into()));
            };
            let structures: Vec<&model::Members> = shapes(owner)
                .iter()
                .filter_map(|s| match s {
                    S::Structure { members, .. } => Some(members),
                    _ => None,
                })
                .collect();
            if structures.is_empty() {
                return Err(fail(
                    "members",
                    key,
                    format!("the model has no structure `{owner}`"),
                ));
            }
            if !structures
                .iter()
                .any(|ms| ms.iter().any(|(name, _)| name == member))
            {
                let known: Vec<&str> = structures
                    .iter()
                    .flat_map(|ms| ms.iter().map(|(n, _)| n.as_str()))
                    .collect();
                return Err(fail(
                    "members",
                    key,
                    format!(
                        "structure `{owner}` has no member `{member}` (it has: {})",
                        known.join(", ")
                    ),
                ));
            }
        }
        for key in self.enums.keys() {
            let Some((owner, value)) = key.split_once('$') else {
                return Err(fail("enums", key, "expected `Enum$value`".into()));
            };
            let mut values = Vec::new();
            let mut found = false;
            for s in shapes(owner) {
                if let S::Enum { members, .. } = s {
                    found = true;
                    values.extend(members.iter().map(|(name, m)| {
                        m.traits
                            .get("smithy.api#enumValue")
                            .and_then(serde_json::Value::as_str)
                            .unwrap_or(name)
                            .to_owned()
                    }));
                }
            }
            if !found {
                return Err(fail(
                    "enums",
                    key,
                    format!("the model has no enum `{owner}`"),
                ));
            }
            if !values.iter().any(|v| v == value) {
                return Err(fail(
                    "enums",
                    key,
                    format!(
                        "enum `{owner}` has no value `{value}` (it has: {})",
                        values.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_markdown_with_links_and_escaped_brackets() {
        let md = from_html(
            "<p>See the <a href=\"https://example.com/x\">guide</a> and <code>x</code>.</p><p>A [note].</p>",
        );
        assert_eq!(
            md,
            "See the [guide](https://example.com/x) and `x`.\n\nA \\[note\\]."
        );
        assert_eq!(strip_tags("<p>a [b] &amp; c</p>"), "a \\[b\\] & c");
    }
}
