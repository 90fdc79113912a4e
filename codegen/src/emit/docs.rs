//! Rustdoc text derived from the model's facts (and its documentation, when it has any).

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use crate::ir::{Constraints, EnumVariant, Member, ShapeKind, Structure};

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
        ShapeKind::Document => "a document (any JSON value)".into(),
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
        out.push(
            p.not_checked_text()
                .unwrap_or_else(|| format!("Pattern: `{}`.", p.source.replace('`', "'"))),
        );
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
    let key = format!("{}${}", crate::naming::ir_local(owner), m.wire_name);
    cx.notes.members.get(&key).map(String::as_str)
}

/// The project's note on a structure, error or enum (a shape id).
pub(crate) fn shape_note<'a>(cx: &Ctx<'a>, id: &str) -> Option<&'a str> {
    cx.notes
        .shapes
        .get(crate::naming::ir_local(id))
        .map(String::as_str)
}

/// Docs for a value of enum `id`: the model's text or else the project's note (with the wire
/// value), or just the wire value.
pub(crate) fn enum_value(cx: &Ctx, id: &str, v: &EnumVariant) -> String {
    if let Some(d) = &v.docs {
        return from_html(d);
    }
    let key = format!("{}${}", crate::naming::ir_local(id), v.value);
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
