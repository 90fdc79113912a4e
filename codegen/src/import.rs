//! `cargo xtask import`: derives the model the project commits from an upstream model.
//!
//! Keeps the API's facts (shapes, members, types, wire traits, constraints, errors, endpoint
//! rules and tests, paginators, waiters, example values) and drops AWS's documentation prose:
//! every `smithy.api#documentation` trait, the `documentation` of examples and of endpoint rule
//! parameters and rules. Shapes and trait keys come out sorted; structure members keep their
//! declaration order (it is the wire order of requests).

use serde_json::{Map, Value};

use crate::error::Error;

pub fn strip_model(upstream_json: &str) -> Result<String, Error> {
    let mut doc: Value =
        serde_json::from_str(upstream_json).map_err(|e| Error::Parse(e.to_string()))?;
    let shapes = doc
        .get_mut("shapes")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| Error::Parse("the document has no `shapes` object".into()))?;
    let mut sorted: Vec<(String, Value)> = std::mem::take(shapes).into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, shape) in &mut sorted {
        strip_shape(shape);
    }
    *shapes = sorted.into_iter().collect();
    if let Some(obj) = doc.as_object_mut() {
        // Metadata carries validator suppressions only; nothing the client needs.
        obj.remove("metadata");
    }
    let mut out = serde_json::to_string_pretty(&doc).map_err(|e| Error::Parse(e.to_string()))?;
    out.push('\n');
    Ok(out)
}

fn strip_traits(traits: &mut Map<String, Value>) {
    traits.remove("smithy.api#documentation");
    traits.remove("smithy.api#externalDocumentation");
    let mut sorted: Vec<(String, Value)> = std::mem::take(traits).into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, value) in &mut sorted {
        match name.as_str() {
            "smithy.api#examples" => {
                for ex in value.as_array_mut().into_iter().flatten() {
                    if let Some(o) = ex.as_object_mut() {
                        o.remove("documentation");
                    }
                }
            }
            "smithy.rules#endpointRuleSet" => strip_rule_docs(value),
            _ => {}
        }
    }
    *traits = sorted.into_iter().collect();
}

/// Removes `documentation` from rule-set parameters and rules (prose), recursively.
fn strip_rule_docs(v: &mut Value) {
    match v {
        Value::Object(o) => {
            o.remove("documentation");
            for (_, child) in o.iter_mut() {
                strip_rule_docs(child);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_rule_docs),
        _ => {}
    }
}

fn strip_shape(shape: &mut Value) {
    let Some(obj) = shape.as_object_mut() else {
        return;
    };
    if let Some(t) = obj.get_mut("traits").and_then(Value::as_object_mut) {
        strip_traits(t);
    }
    for key in ["member", "key", "value"] {
        if let Some(t) = obj
            .get_mut(key)
            .and_then(|m| m.get_mut("traits"))
            .and_then(Value::as_object_mut)
        {
            strip_traits(t);
        }
    }
    if let Some(members) = obj.get_mut("members").and_then(Value::as_object_mut) {
        for (_, m) in members.iter_mut() {
            if let Some(t) = m.get_mut("traits").and_then(Value::as_object_mut) {
                strip_traits(t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_prose_keeps_facts_and_member_order() {
        let upstream = r##"{"smithy":"2.0","metadata":{"x":1},"shapes":{
            "ns#Z":{"type":"string","traits":{"smithy.api#documentation":"<p>z</p>","smithy.api#length":{"min":1}}},
            "ns#A":{"type":"structure","members":{
                "Zed":{"target":"ns#Z","traits":{"smithy.api#required":{},"smithy.api#documentation":"d"}},
                "Alpha":{"target":"ns#Z"}},
              "traits":{"smithy.api#examples":[{"title":"t","documentation":"prose","input":{"Zed":"v"}}]}}}}"##;
        let out = strip_model(upstream).unwrap();
        assert!(!out.contains("documentation"), "{out}");
        assert!(!out.contains("metadata"));
        assert!(out.contains("smithy.api#length"));
        assert!(out.contains("\"title\": \"t\""));
        // shapes sorted, members in declaration order
        assert!(out.find("ns#A").unwrap() < out.find("ns#Z").unwrap());
        assert!(out.find("Zed").unwrap() < out.find("Alpha").unwrap());
        // stable: importing the output again changes nothing
        assert_eq!(strip_model(&out).unwrap(), out);
    }
}
