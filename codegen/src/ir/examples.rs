//! `smithy.api#examples`, read into typed builder calls against the resolved shapes. An example
//! whose input does not fit the model (an unknown member, a value of the wrong type or out of
//! range, a kind of value examples are not shown for), is wider than [`MAX_EXAMPLE_ENTRIES`] or
//! nests deeper than [`MAX_EXAMPLE_NESTING`] is left out of the docs rather than shown wrong.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{Member, Shape, ShapeId, ShapeKind, scalar_kind};
use crate::model::Traits;

/// The most entries (list items, map entries, members) any object or array of a documentation
/// example's input may hold. The emitters show an example as one chain of builder calls, one
/// call per entry, which syn and prettyplease handle recursively; wider examples are left out of
/// the docs, as examples that do not fit the model are.
pub const MAX_EXAMPLE_ENTRIES: usize = 64;

/// The most levels of values (structures, unions, list items, map entries) a documentation
/// example's input may nest below its own members. Each level is a nested builder chain or
/// expression the emitters' syn and prettyplease handle recursively; deeper examples are left
/// out of the docs.
pub const MAX_EXAMPLE_NESTING: usize = 32;

/// One example of an operation, as builder calls on the operation's fluent builder.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The example's title (the operation's name when it has none).
    pub title: String,
    /// Calls on `client.<operation>()`, in the order the input names them.
    pub calls: Vec<Call>,
}

/// One call on a builder.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// `.method(value)`: a member, or one item appended to a list member.
    Set { method: String, value: ExampleValue },
    /// `.method(key, value)`: one entry added to a map member.
    Entry {
        method: String,
        key: ExampleValue,
        value: ExampleValue,
    },
    /// `.set_method(Some(vec![]))`: a list member set to an empty list.
    EmptyList { set_method: String },
}

/// A value as a user would write it in an example.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleValue {
    String(String),
    /// A value of enum `type_name`: its typed `variant` where it has one that is not
    /// deprecated, else `from(value)`.
    Enum {
        type_name: String,
        variant: Option<String>,
        value: String,
    },
    Boolean(bool),
    /// An `integer` or `intEnum` value.
    Integer(i32),
    Long(i64),
    Double(f64),
    /// Whole seconds since the epoch.
    Timestamp(i64),
    /// The bytes, as the UTF-8 string they were written as.
    Blob(String),
    /// A structure built with its builder.
    Struct {
        shape: ShapeId,
        type_name: String,
        calls: Vec<Call>,
    },
    /// A union with its one member set.
    Union {
        type_name: String,
        variant: String,
        boxed: bool,
        value: Box<ExampleValue>,
    },
}

/// The examples of an operation with `traits` and `input`, in the order written, without those
/// left out.
pub(super) fn examples(
    shapes: &BTreeMap<ShapeId, Shape>,
    traits: &Traits,
    wire_name: &str,
    input: &str,
) -> Vec<Example> {
    let Some(list) = traits.get("smithy.api#examples").and_then(Value::as_array) else {
        return Vec::new();
    };
    let reader = Reader { shapes };
    let empty = Map::new();
    list.iter()
        .filter_map(|ex| {
            let value = match ex.get("input") {
                None => &empty,
                Some(v) if widest(v) > MAX_EXAMPLE_ENTRIES => return None,
                Some(v) => v.as_object()?,
            };
            let calls = reader.calls(input, value, 0)?;
            let title = ex.get("title").and_then(Value::as_str).unwrap_or(wire_name);
            Some(Example {
                title: title.to_owned(),
                calls,
            })
        })
        .collect()
}

/// The most entries any object or array in `v` holds. Iterative.
fn widest(v: &Value) -> usize {
    let mut most = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                most = most.max(m.len());
                stack.extend(m.values());
            }
            Value::Array(a) => {
                most = most.max(a.len());
                stack.extend(a);
            }
            _ => {}
        }
    }
    most
}

struct Reader<'a> {
    shapes: &'a BTreeMap<ShapeId, Shape>,
}

impl Reader<'_> {
    fn shape(&self, id: &str) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// The calls setting `fields` on a builder of structure `id`.
    fn calls(&self, id: &str, fields: &Map<String, Value>, depth: usize) -> Option<Vec<Call>> {
        if depth > MAX_EXAMPLE_NESTING {
            return None;
        }
        let ShapeKind::Structure(st) = &self.shape(id)?.kind else {
            return None;
        };
        let mut calls = Vec::new();
        for (name, v) in fields {
            let m = st.members.iter().find(|m| &m.wire_name == name)?;
            self.setter(&mut calls, m, v, depth)?;
        }
        Some(calls)
    }

    /// The calls setting member `m` to `v`: lists item by item, maps entry by entry.
    fn setter(&self, calls: &mut Vec<Call>, m: &Member, v: &Value, depth: usize) -> Option<()> {
        let method = m.rust_name.clone();
        match (&self.shape(&m.target)?.kind, v) {
            (ShapeKind::List(_), Value::Array(items)) if items.is_empty() => {
                calls.push(Call::EmptyList {
                    set_method: m.names.set.clone(),
                });
            }
            (ShapeKind::List(item), Value::Array(items)) => {
                for i in items {
                    let value = self.value(&item.target, i, depth + 1)?;
                    calls.push(Call::Set {
                        method: method.clone(),
                        value,
                    });
                }
            }
            (ShapeKind::Map { key, value }, Value::Object(entries)) => {
                for (k, val) in entries {
                    calls.push(Call::Entry {
                        method: method.clone(),
                        key: self.value(&key.target, &Value::String(k.clone()), depth + 1)?,
                        value: self.value(&value.target, val, depth + 1)?,
                    });
                }
            }
            _ => {
                let value = self.value(&m.target, v, depth)?;
                calls.push(Call::Set { method, value });
            }
        }
        Some(())
    }

    /// `v` as a value of shape `id`, if it is one examples are shown for.
    fn value(&self, id: &str, v: &Value, depth: usize) -> Option<ExampleValue> {
        if depth > MAX_EXAMPLE_NESTING {
            return None;
        }
        let shape = self.shape(id)?;
        Some(match (&shape.kind, v) {
            (ShapeKind::String, Value::String(s)) => ExampleValue::String(s.clone()),
            (ShapeKind::Enum(variants), Value::String(s)) => ExampleValue::Enum {
                type_name: shape.rust_name.clone(),
                variant: variants
                    .iter()
                    .find(|v| &v.value == s && v.deprecated.is_none())
                    .map(|v| v.rust_name.clone()),
                value: s.clone(),
            },
            (ShapeKind::Boolean, Value::Bool(b)) => ExampleValue::Boolean(*b),
            (ShapeKind::Integer | ShapeKind::IntEnum(_), Value::Number(n)) => {
                ExampleValue::Integer(i32::try_from(n.as_i64()?).ok()?)
            }
            (ShapeKind::Long, Value::Number(n)) => ExampleValue::Long(n.as_i64()?),
            (ShapeKind::Double, Value::Number(n)) => ExampleValue::Double(n.as_f64()?),
            (ShapeKind::Timestamp, Value::Number(n)) => ExampleValue::Timestamp(n.as_i64()?),
            (ShapeKind::Blob, Value::String(s)) => ExampleValue::Blob(s.clone()),
            (ShapeKind::Structure(_), Value::Object(fields)) => ExampleValue::Struct {
                shape: id.to_owned(),
                type_name: shape.rust_name.clone(),
                calls: self.calls(id, fields, depth + 1)?,
            },
            // A union example names exactly one member.
            (ShapeKind::Union(u), Value::Object(fields)) if fields.len() == 1 => {
                let (name, fv) = fields.iter().next()?;
                let (m, variant) = u
                    .members
                    .iter()
                    .zip(&u.variants)
                    .find(|(m, _)| &m.wire_name == name)?;
                ExampleValue::Union {
                    type_name: shape.rust_name.clone(),
                    variant: variant.clone(),
                    boxed: m.boxed,
                    value: Box::new(self.value(&m.target, fv, depth + 1)?),
                }
            }
            (
                ShapeKind::Structure(_)
                | ShapeKind::Union(_)
                | ShapeKind::List(_)
                | ShapeKind::Map { .. }
                | scalar_kind!(),
                _,
            ) => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The examples of `t#Op` in a model whose input has `members`, with `examples` (and
    /// `extra` shapes).
    fn examples_of(members: Value, examples: Value, extra: Value) -> Vec<Example> {
        let mut shapes = json!({
            "t#Svc": {
                "type": "service", "version": "2020-01-01",
                "operations": [{ "target": "t#Op" }],
                "traits": { "aws.protocols#awsQuery": {}, "aws.api#service": { "sdkId": "Test" } }
            },
            "t#Op": {
                "type": "operation",
                "input": { "target": "t#OpInput" },
                "traits": { "smithy.api#examples": examples }
            },
            "t#OpInput": { "type": "structure", "members": members },
        });
        if let (Some(s), Value::Object(more)) = (shapes.as_object_mut(), extra) {
            s.extend(more);
        }
        let doc = json!({ "smithy": "2.0", "shapes": shapes }).to_string();
        let model = crate::model::parse(&doc).unwrap();
        let svc = crate::ir::build(&model, &Default::default()).unwrap();
        svc.operations[0].examples.clone()
    }

    #[test]
    fn examples_become_typed_builder_calls() {
        let members = json!({
            "Name": { "target": "smithy.api#String" },
            "Tags": { "target": "t#Tags" },
            "Empty": { "target": "t#Tags" },
            "Attrs": { "target": "t#Attrs" },
        });
        let extra = json!({
            "t#Tags": { "type": "list", "member": { "target": "smithy.api#Integer" } },
            "t#Attrs": { "type": "map", "key": { "target": "smithy.api#String" },
                         "value": { "target": "smithy.api#Boolean" } },
        });
        let examples = json!([
            { "title": "All", "input": { "Name": "n", "Tags": [1, 2], "Empty": [], "Attrs": { "k": true } } },
            { "input": {} },
        ]);
        let set = |method: &str, value| Call::Set {
            method: method.into(),
            value,
        };
        assert_eq!(
            examples_of(members, examples, extra),
            vec![
                Example {
                    title: "All".into(),
                    calls: vec![
                        set("name", ExampleValue::String("n".into())),
                        set("tags", ExampleValue::Integer(1)),
                        set("tags", ExampleValue::Integer(2)),
                        Call::EmptyList {
                            set_method: "set_empty".into()
                        },
                        Call::Entry {
                            method: "attrs".into(),
                            key: ExampleValue::String("k".into()),
                            value: ExampleValue::Boolean(true),
                        },
                    ],
                },
                Example {
                    title: "Op".into(),
                    calls: vec![],
                },
            ]
        );
    }

    /// Examples that do not fit the model are left out; the others are kept.
    #[test]
    fn examples_that_do_not_fit_are_left_out() {
        let members = json!({
            "Name": { "target": "smithy.api#String" },
            "Count": { "target": "smithy.api#Integer" },
        });
        let examples = json!([
            { "title": "unknown member", "input": { "Nope": "x" } },
            { "title": "wrong type", "input": { "Count": "three" } },
            { "title": "out of range", "input": { "Count": 3_000_000_000_i64 } },
            { "title": "not an object", "input": ["x"] },
            { "title": "fits", "input": { "Count": 3 } },
        ]);
        let kept = examples_of(members, examples, json!({}));
        let titles: Vec<&str> = kept.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["fits"]);
    }

    /// Examples nesting deeper than `MAX_EXAMPLE_NESTING` are left out.
    #[test]
    fn deep_examples_are_left_out() {
        let members = json!({
            "Child": { "target": "t#OpInput" },
            "Name": { "target": "smithy.api#String" },
        });
        let nested = |levels: usize| {
            let mut v = json!({ "Name": "x" });
            for _ in 0..levels {
                v = json!({ "Child": v });
            }
            v
        };
        let examples = json!([
            { "title": "deep", "input": nested(MAX_EXAMPLE_NESTING + 1) },
            { "title": "at the limit", "input": nested(MAX_EXAMPLE_NESTING) },
        ]);
        let kept = examples_of(members, examples, json!({}));
        let titles: Vec<&str> = kept.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["at the limit"]);
    }
}
