//! `robustness.rs` (tests only): for every operation, a well-formed sample response built from
//! the output shape and one per modeled error, which the runtime's seeded mutator
//! (`runtime::protocol_tests::fuzz_parsers`) first checks parse as expected, then mutates and
//! feeds through the operation's output and error parsers, failing on any panic.
//!
//! The samples are built here, at generation time, from the IR alone. Recursion through the
//! shape graph is bounded: a structure already on the path is written empty instead of entered
//! again, nesting stops at [`MAX_DEPTH`], and a sample holds at most [`Walk::BUDGET`] aggregates.
//! A union always gets exactly one member (it must, to parse): its first that does not target a
//! union already on the path, or, when the walk is cut short there, its first that does not
//! target a union at all (an empty structure, list or map, or a scalar, ends the recursion).

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::ir::{Member, ShapeKind, number_kind, scalar_kind};
use crate::protocol::ResponseFormat;

/// Deepest nesting of the samples (the Result element is level 0).
const MAX_DEPTH: usize = 12;

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let calls = cx.svc.operations.iter().map(|op| {
        let m = ident(&op.fn_name);
        let members = |id: &str| {
            let mut walk = Walk::new();
            match cx.protocol.response() {
                ResponseFormat::Xml => children(cx, id, 0, &mut walk),
                ResponseFormat::Json => json_members(cx, id, 0, &mut walk),
            }
        };
        let ok = cx.protocol.sample_output(op, &members(&op.output));
        let errors = op.errors.iter().map(|e| {
            let code = cx.svc.error_code(e);
            cx.protocol.sample_error(code, &members(e))
        });
        quote! {
            fuzz_parsers(&crate::operation::#m::OPERATION, #ok, &[#(#errors),*]);
        }
    });
    let share: usize = match cx.protocol.response() {
        ResponseFormat::Xml => 4,
        ResponseFormat::Json => 8,
    };
    quote! {
        //! Robustness: every operation's output and error parsers fed seeded mutations of
        //! well-formed sample responses; no mutation may panic.
        use crate::runtime::protocol_tests::{FUZZ_STATS, fuzz_parsers};

        #[test]
        fn parsers_survive_mutated_responses() {
            #(#calls)*
            let [ok, service, other] = FUZZ_STATS.with(|s| *s.borrow());
            // Enough mutants must still get through the format's reader to the typed parsers
            // (JSON, stricter than XML about a changed byte, lets fewer through).
            assert!(ok + service >= (ok + service + other) / #share, "too few mutants parsed: {ok} outputs, {service} service errors, {other} other errors");
            eprintln!("robustness: {} mutated responses, 0 panics ({ok} outputs, {service} service errors, {other} other typed errors)", ok + service + other);
        }
    }
}

/// Where a sample is being built: the structures and unions on the path (not entered again) and
/// how many more aggregate elements it may hold, so a model with wide fan-out still gets a small
/// sample.
struct Walk {
    path: Vec<String>,
    budget: usize,
}

impl Walk {
    /// At most this many structures, lists and maps per sample.
    const BUDGET: usize = 2_000;

    fn new() -> Self {
        Walk {
            path: Vec::new(),
            budget: Self::BUDGET,
        }
    }

    /// Takes one aggregate element from the budget; false when it is spent.
    fn take(&mut self) -> bool {
        self.budget = self.budget.saturating_sub(1);
        self.budget > 0
    }
}

/// The child elements (and nothing else) of an element holding structure `id`.
fn children(cx: &Ctx, id: &str, depth: usize, walk: &mut Walk) -> String {
    let ShapeKind::Structure(st) = &cx.svc.shape(id).kind else {
        return String::new();
    };
    if depth > MAX_DEPTH || walk.path.iter().any(|p| p == id) {
        return String::new();
    }
    walk.path.push(id.to_owned());
    let mut out = String::new();
    for m in st.members.iter().filter(|m| !m.xml_attribute) {
        let name = m.xml_name.as_deref().unwrap_or(&m.wire_name);
        let target = cx.svc.shape(&m.target);
        match (&target.kind, m.xml_flattened) {
            (ShapeKind::List(item), true) => {
                for _ in 0..2 {
                    out.push_str(&element(cx, name, item, depth + 1, walk));
                }
            }
            (ShapeKind::Map { key, value }, true) => {
                let k = key.xml_name.as_deref().unwrap_or("key");
                let v = value.xml_name.as_deref().unwrap_or("value");
                for i in 0..2 {
                    out.push_str(&format!(
                        "<{name}>{}{}</{name}>",
                        keyed(cx, k, key, i),
                        element(cx, v, value, depth + 1, walk)
                    ));
                }
            }
            (ShapeKind::List(_) | ShapeKind::Map { .. }, false)
            | (ShapeKind::Structure(_) | ShapeKind::Union(_) | scalar_kind!(), _) => {
                out.push_str(&element(cx, name, m, depth + 1, walk))
            }
        }
    }
    walk.path.pop();
    out
}

/// `<name ...>value of m</name>`.
fn element(cx: &Ctx, name: &str, m: &Member, depth: usize, walk: &mut Walk) -> String {
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::Structure(st) => {
            if depth > MAX_DEPTH || walk.path.contains(&m.target) || !walk.take() {
                // Recursion or the budget cut short: an empty structure, which is still a
                // value (a map entry needs one).
                return format!("<{name}></{name}>");
            }
            let attrs: String = st
                .members
                .iter()
                .filter(|a| a.xml_attribute)
                .map(|a| {
                    let n = a.xml_name.as_deref().unwrap_or(&a.wire_name);
                    format!(" {n}=\"{}\"", scalar(cx, a))
                })
                .collect();
            let inner = children(cx, &m.target, depth, walk);
            format!("<{name}{attrs}>{inner}</{name}>")
        }
        ShapeKind::Union(u) => {
            let cut = depth > MAX_DEPTH || walk.path.contains(&m.target) || !walk.take();
            let is_union = |c: &Member| matches!(cx.svc.shape(&c.target).kind, ShapeKind::Union(_));
            let chosen = if cut {
                u.members.iter().find(|c| !is_union(c))
            } else {
                // Not a union already on the path: that one would be cut short.
                u.members
                    .iter()
                    .find(|c| !(is_union(c) && walk.path.contains(&c.target)))
            };
            let Some(chosen) = chosen else {
                // Only unions inside: no finite value exists to write.
                return format!("<{name}></{name}>");
            };
            let member = chosen.xml_name.as_deref().unwrap_or(&chosen.wire_name);
            walk.path.push(m.target.clone());
            // Past the depth limit, the member's own value is cut short too (an empty
            // structure, list or map).
            let inner = element(cx, member, chosen, depth + 1, walk);
            walk.path.pop();
            format!("<{name}>{inner}</{name}>")
        }
        // Two items per level: without the depth limit and the budget, lists of lists double the
        // sample at every level.
        ShapeKind::List(_) | ShapeKind::Map { .. } if depth > MAX_DEPTH || !walk.take() => {
            format!("<{name}></{name}>")
        }
        ShapeKind::List(item) => {
            let member = item.xml_name.as_deref().unwrap_or("member");
            let items: String = (0..2)
                .map(|_| element(cx, member, item, depth + 1, walk))
                .collect();
            format!("<{name}>{items}</{name}>")
        }
        ShapeKind::Map { key, value } => {
            let k = key.xml_name.as_deref().unwrap_or("key");
            let v = value.xml_name.as_deref().unwrap_or("value");
            let entries: String = (0..2)
                .map(|i| {
                    format!(
                        "<entry>{}{}</entry>",
                        keyed(cx, k, key, i),
                        element(cx, v, value, depth + 1, walk)
                    )
                })
                .collect();
            format!("<{name}>{entries}</{name}>")
        }
        scalar_kind!() => format!("<{name}>{}</{name}>", scalar(cx, m)),
    }
}

/// A map key element; keys differ per entry so both entries survive.
fn keyed(cx: &Ctx, name: &str, key: &Member, i: usize) -> String {
    let value = match &cx.svc.shape(&key.target).kind {
        ShapeKind::Enum(variants) => variants
            .get(i)
            .map_or_else(|| format!("k{i}"), |v| escape(&v.value)),
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map { .. }
        | ShapeKind::String
        | ShapeKind::IntEnum(_)
        | ShapeKind::Boolean
        | number_kind!()
        | ShapeKind::Timestamp
        | ShapeKind::Blob
        | ShapeKind::Document => format!("k{i}"),
    };
    format!("<{name}>{value}</{name}>")
}

/// A valid text value for a scalar member.
fn scalar(cx: &Ctx, m: &Member) -> String {
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::String => "s &amp; t".to_owned(),
        ShapeKind::Enum(variants) => variants
            .first()
            .map_or_else(|| "v".to_owned(), |v| escape(&v.value)),
        ShapeKind::IntEnum(variants) => variants.first().map_or(1, |v| v.value).to_string(),
        ShapeKind::Boolean => "true".to_owned(),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => "7".to_owned(),
        ShapeKind::Float | ShapeKind::Double => "1.5".to_owned(),
        ShapeKind::Timestamp => match cx.timestamp_format_of(m) {
            crate::ir::TimestampFormat::EpochSeconds => "1422172800".to_owned(),
            crate::ir::TimestampFormat::HttpDate => "Sun, 25 Jan 2015 08:00:00 GMT".to_owned(),
            crate::ir::TimestampFormat::DateTime => "2015-01-25T08:00:00Z".to_owned(),
        },
        ShapeKind::Blob => "dmFsdWU=".to_owned(),
        // Not in XML samples: the XML protocols leave out operations that reach a document.
        ShapeKind::Document => String::new(),
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map { .. } => String::new(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The members (`"Name":value,...`, without braces) of a JSON object holding structure `id`.
fn json_members(cx: &Ctx, id: &str, depth: usize, walk: &mut Walk) -> String {
    let ShapeKind::Structure(st) = &cx.svc.shape(id).kind else {
        return String::new();
    };
    if depth > MAX_DEPTH || walk.path.iter().any(|p| p == id) {
        return String::new();
    }
    walk.path.push(id.to_owned());
    let members: Vec<String> = st
        .members
        .iter()
        .map(|m| {
            let key = serde_json::Value::from(cx.protocol.body_key(m)).to_string();
            format!("{key}:{}", json_value(cx, m, depth + 1, walk))
        })
        .collect();
    walk.path.pop();
    members.join(",")
}

/// A JSON value of member `m`'s target (bounded as [`element`] is).
fn json_value(cx: &Ctx, m: &Member, depth: usize, walk: &mut Walk) -> String {
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::Structure(_) => {
            if depth > MAX_DEPTH || walk.path.contains(&m.target) || !walk.take() {
                return "{}".to_owned();
            }
            format!("{{{}}}", json_members(cx, &m.target, depth, walk))
        }
        ShapeKind::Union(u) => {
            let cut = depth > MAX_DEPTH || walk.path.contains(&m.target) || !walk.take();
            let is_union = |c: &Member| matches!(cx.svc.shape(&c.target).kind, ShapeKind::Union(_));
            let chosen = if cut {
                u.members.iter().find(|c| !is_union(c))
            } else {
                u.members
                    .iter()
                    .find(|c| !(is_union(c) && walk.path.contains(&c.target)))
            };
            let Some(chosen) = chosen else {
                return "{}".to_owned();
            };
            let key = serde_json::Value::from(cx.protocol.body_key(chosen)).to_string();
            walk.path.push(m.target.clone());
            let inner = json_value(cx, chosen, depth + 1, walk);
            walk.path.pop();
            format!("{{{key}:{inner}}}")
        }
        ShapeKind::List(_) | ShapeKind::Map { .. } if depth > MAX_DEPTH || !walk.take() => {
            match cx.svc.shape(&m.target).kind {
                ShapeKind::List(_) => "[]".to_owned(),
                _ => "{}".to_owned(),
            }
        }
        ShapeKind::List(item) => {
            let items: Vec<String> = (0..2)
                .map(|_| json_value(cx, item, depth + 1, walk))
                .collect();
            format!("[{}]", items.join(","))
        }
        ShapeKind::Map { key, value } => {
            let entries: Vec<String> = (0..2)
                .map(|i| {
                    let k = match &cx.svc.shape(&key.target).kind {
                        ShapeKind::Enum(variants) => variants
                            .get(i)
                            .map_or_else(|| format!("k{i}"), |v| v.value.clone()),
                        _ => format!("k{i}"),
                    };
                    let k = serde_json::Value::from(k).to_string();
                    format!("{k}:{}", json_value(cx, value, depth + 1, walk))
                })
                .collect();
            format!("{{{}}}", entries.join(","))
        }
        ShapeKind::String => "\"s & t\"".to_owned(),
        ShapeKind::Enum(variants) => {
            serde_json::Value::from(variants.first().map_or("v", |v| v.value.as_str())).to_string()
        }
        ShapeKind::IntEnum(variants) => variants.first().map_or(1, |v| v.value).to_string(),
        ShapeKind::Boolean => "true".to_owned(),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Long => "7".to_owned(),
        ShapeKind::Float | ShapeKind::Double => "1.5".to_owned(),
        ShapeKind::Timestamp => match cx.timestamp_format_of(m) {
            crate::ir::TimestampFormat::EpochSeconds => "1422172800".to_owned(),
            crate::ir::TimestampFormat::HttpDate => "\"Sun, 25 Jan 2015 08:00:00 GMT\"".to_owned(),
            crate::ir::TimestampFormat::DateTime => "\"2015-01-25T08:00:00Z\"".to_owned(),
        },
        ShapeKind::Blob => "\"dmFsdWU=\"".to_owned(),
        ShapeKind::Document => r#"{"doc":[1,"two",{"x":null}],"n":1.5}"#.to_owned(),
    }
}
