//! Rustdoc text derived from the model's facts (and its documentation, when it has any).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Constraints, Member, Shape, ShapeKind};

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
        ShapeKind::IntEnum(_) | ShapeKind::Structure(_) => {
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

/// Docs for a structure member: the model's text, then the facts.
pub(crate) fn member(m: &Member, target: &Shape) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &m.docs {
        parts.push(from_html(d));
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
