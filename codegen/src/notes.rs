//! The project's notes file (`models/<service>.notes.json`) checked against the model before
//! generation: every key must name an operation, shape, member or enum value the model has,
//! so a note never silently documents nothing. (Emitters read only the IR; this step reads the
//! model.)

use crate::error::Error;
use crate::model;
use crate::options::Notes;

impl Notes {
    /// Checks that every key names something `model` has: an operation, a structure, error or
    /// (string) enum, a member of a structure, a value of an enum. The whole model counts, not
    /// only the operations a trimmed client keeps, so one notes file serves every trimmed client.
    pub(crate) fn check(&self, model: &model::Model) -> Result<(), Error> {
        use model::Shape as S;
        let mut by_name: std::collections::BTreeMap<&str, Vec<&S>> = Default::default();
        for (id, shape) in &model.shapes {
            by_name
                .entry(crate::naming::ir_local(id))
                .or_default()
                .push(shape);
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
