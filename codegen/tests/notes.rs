//! Notes: descriptions in the project's own words (`models/ses.notes.json`), rendered into the
//! generated rustdoc. The SES notes cover every operation, member and enum value; a key naming
//! something the model does not have is an error; notes show up where the emitters document
//! members, enum values and types.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    let path = workspace().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ses_notes() -> codegen::Notes {
    codegen::parse_notes(&read("models/ses.notes.json")).expect("models/ses.notes.json parses")
}

fn local(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, n)| n)
}

/// The local names of the operations of the model's service.
fn operations(model: &Value) -> BTreeSet<String> {
    let shapes = model["shapes"].as_object().unwrap();
    let service = shapes
        .values()
        .find(|s| s["type"] == "service")
        .expect("a service shape");
    service["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| local(t["target"].as_str().unwrap()).to_owned())
        .collect()
}

#[test]
fn every_ses_operation_has_a_note() {
    let text = read("models/ses.json");
    let model: Value = serde_json::from_str(&text).unwrap();
    let ops = operations(&model);
    assert_eq!(ops.len(), 71, "SES v1 has 71 operations");
    let notes = ses_notes();
    let missing: Vec<&String> = ops
        .iter()
        .filter(|op| !notes.operations.contains_key(*op))
        .collect();
    assert!(missing.is_empty(), "operations without a note: {missing:?}");
    assert_eq!(notes.operations.len(), 71);
    // Every key names something the model has (generation checks them all).
    let opts = codegen::Options {
        notes,
        ..Default::default()
    };
    codegen::generate(&text, &opts).expect("the SES notes fit the SES model");
}

/// Every member of every structure, and every enum value, is described; only the `message` of
/// an error says what it is by its name alone.
#[test]
fn every_ses_member_and_enum_value_has_a_note() {
    let model: Value = serde_json::from_str(&read("models/ses.json")).unwrap();
    let notes = ses_notes();
    let mut missing = Vec::new();
    for (id, shape) in model["shapes"].as_object().unwrap() {
        let name = local(id);
        let is_error = shape["traits"].get("smithy.api#error").is_some();
        let members = shape["members"].as_object().into_iter().flatten();
        match shape["type"].as_str() {
            Some("structure") => {
                for (member, _) in members {
                    let key = format!("{name}${member}");
                    let self_explained = is_error && member == "message";
                    if !self_explained && !notes.members.contains_key(&key) {
                        missing.push(key);
                    }
                }
            }
            Some("enum") => {
                for (member, m) in members {
                    let value = m["traits"]["smithy.api#enumValue"]
                        .as_str()
                        .unwrap_or(member);
                    let key = format!("{name}${value}");
                    if !notes.enums.contains_key(&key) {
                        missing.push(key);
                    }
                }
            }
            _ => {}
        }
    }
    assert!(missing.is_empty(), "without a note: {missing:?}");
}

fn mini() -> String {
    read("codegen/tests/fixtures/mini.json")
}

fn generate_mini(notes: Value) -> Result<Vec<codegen::File>, String> {
    let notes = codegen::parse_notes(&notes.to_string()).map_err(|e| e.to_string())?;
    let opts = codegen::Options {
        notes,
        ..Default::default()
    };
    codegen::generate(&mini(), &opts)
        .map(|(files, _)| files)
        .map_err(|e| e.to_string())
}

#[test]
fn keys_the_model_does_not_have_are_errors_naming_them() {
    let cases = [
        json!({"operations": {"NoSuchOperation": "x"}}),
        json!({"operations": {"Thing": "x"}}),
        json!({"shapes": {"NoSuchShape": "x"}}),
        json!({"shapes": {"PutThing": "x"}}),
        json!({"members": {"PutThingRequest$NoSuchMember": "x"}}),
        json!({"members": {"NoSuchStructure$Name": "x"}}),
        json!({"members": {"PutThingRequestName": "x"}}),
        json!({"members": {"Kind$SMALL": "x"}}),
        json!({"enums": {"Kind$medium": "x"}}),
        // Enum values are keyed by their wire value, not by the member name.
        json!({"enums": {"Kind$SMALL": "x"}}),
        json!({"enums": {"Thing$Name": "x"}}),
    ];
    for notes in cases {
        let (section, entries) = notes.as_object().unwrap().iter().next().unwrap();
        let key = entries.as_object().unwrap().keys().next().unwrap();
        let err = generate_mini(notes.clone()).expect_err(&format!("{notes} is rejected"));
        assert!(
            err.contains(&format!("`{section}` key `{key}`")),
            "{notes}: the error names the key: {err}"
        );
    }
}

#[test]
fn malformed_notes_files_are_errors() {
    for (notes, expected) in [
        (json!({"member": {}}), "unknown section `member`"),
        (json!({"members": ["x"]}), "`members` must be an object"),
        (
            json!({"operations": {"PutThing": 1}}),
            "`operations` key `PutThing` must be a non-empty string",
        ),
        (
            json!({"enums": {"Kind$small": "  "}}),
            "`enums` key `Kind$small` must be a non-empty string",
        ),
        (json!(["x"]), "expected a JSON object"),
    ] {
        let err = codegen::parse_notes(&notes.to_string()).expect_err(&notes.to_string());
        assert!(err.to_string().contains(expected), "{notes}: {err}");
    }
}

#[test]
fn the_original_format_still_reads() {
    let notes =
        codegen::parse_notes(r#"{"about": "text", "operations": {"PutThing": "Stores a thing."}}"#)
            .unwrap();
    assert_eq!(notes.operations["PutThing"], "Stores a thing.");
    assert!(notes.members.is_empty() && notes.enums.is_empty() && notes.shapes.is_empty());
}

/// A trimmed client keeps a subset of the operations; notes about the others are still valid.
#[test]
fn notes_on_operations_a_trimmed_client_leaves_out_are_accepted() {
    let notes = codegen::parse_notes(
        &json!({
            "operations": {"PutThing": "Stores a thing."},
            "members": {"PutThingRequest$Size": "How big."}
        })
        .to_string(),
    )
    .unwrap();
    let opts = codegen::Options {
        notes,
        operations: Some(vec!["GetThings".into()]),
        ..Default::default()
    };
    let (files, _) = codegen::generate(&mini(), &opts).unwrap();
    assert!(files.iter().all(|f| !f.contents.contains("How big.")));
}

fn file<'a>(files: &'a [codegen::File], path: &str) -> &'a str {
    &files.iter().find(|f| f.path == path).unwrap().contents
}

#[test]
fn notes_appear_where_members_enum_values_and_types_are_documented() {
    let files = generate_mini(json!({
        "operations": {"PutThing": "Stores a thing, replacing one of the same name."},
        "shapes": {
            "Thing": "A stored thing, as listed.",
            "Kind": "How big a thing is.",
            "ThingTooBig": "The thing is over the size limit."
        },
        "members": {
            "PutThingRequest$Kind": "The size class of the thing. Absent: `small`.",
            "Thing$Parent": "The thing this one belongs to; absent for a top-level thing."
        },
        "enums": {"Kind$small": "Fits in a pocket."}
    }))
    .unwrap();
    let operation = file(&files, "operation.rs");
    let types = file(&files, "types.rs");
    let client = file(&files, "client.rs");

    // The input field and the fluent builder's setter: the note, then the facts.
    let member_doc = "/// The size class of the thing. Absent: `small`.\n        ///\n        /// Optional. `Kind` on the wire.\n        pub kind:";
    assert!(operation.contains(member_doc), "{operation}");
    // The fluent builder's setter, getter and `set_` (one `operation!` line each member).
    let setter_doc = "/// The size class of the thing. Absent: `small`.\n        ///\n        /// Optional. `Kind` on the wire.\n        kind set_kind get_kind ";
    assert!(operation.contains(setter_doc), "{operation}");

    // The client method: the operation's note, and the member's in the list of inputs.
    assert!(client.contains("/// Stores a thing, replacing one of the same name.\n"));
    assert!(
        client.contains("optional. The size class of the thing. Absent: `small`.\n"),
        "{client}"
    );

    // A shared structure: its own note, a field's and the builder setter's.
    assert!(types.contains("/// A stored thing, as listed.\n"));
    assert!(types.contains(
        "/// The thing this one belongs to; absent for a top-level thing.\n    ///\n    /// Optional. `Parent` on the wire.\n    pub parent:"
    ));
    // The getter and the builder's setters (one `structure!` line).
    assert!(types.contains(
        "/// The thing this one belongs to; absent for a top-level thing.\n    ///\n    /// Optional. `Parent` on the wire.\n    parent set_parent get_parent "
    ), "{types}");

    // The enum, a value with a note (and its wire value), a value without one; an error type.
    assert!(types.contains("/// How big a thing is.\n"));
    assert!(
        types.contains(
            "/// Fits in a pocket.\n        ///\n        /// `small` on the wire.\n        Small = \"small\","
        ),
        "{types}"
    );
    assert!(
        types.contains("/// `large`\n        Large = \"large\","),
        "{types}"
    );
    assert!(types.contains("/// The thing is over the size limit.\n"));
}

/// Doc examples name an enum value by its typed variant, and keep `from` for values the enum
/// does not define.
#[test]
fn examples_use_typed_enum_variants() {
    let mut model: Value = serde_json::from_str(&mini()).unwrap();
    model["shapes"]["example.mini#PutThing"]["traits"] = json!({
        "smithy.api#examples": [
            {"title": "A known kind", "input": {"Name": "a", "Kind": "large"}},
            {"title": "A kind this client does not know", "input": {"Name": "b", "Kind": "huge"}}
        ]
    });
    let (files, _) = codegen::generate(&model.to_string(), &Default::default()).unwrap();
    let client = file(&files, "client.rs");
    assert!(
        client.contains(".kind(mini_client::types::Kind::Large)"),
        "{client}"
    );
    assert!(client.contains(".kind(mini_client::types::Kind::from(\"huge\"))"));
    assert!(!client.contains("Kind::from(\"large\")"));
}

/// A union variant in a doc example holds an owned value (`Filter::Prefix("logs/".to_owned())`,
/// as DynamoDB's `AttributeValue::S` examples need), where a setter takes the `&str` as is.
#[test]
fn examples_give_union_variants_owned_strings() {
    let mut model: Value =
        serde_json::from_str(&read("codegen/tests/fixtures/unions.json")).unwrap();
    model["shapes"]["example.unions#RegisterNamespace"]["traits"]["smithy.api#examples"] = json!([
        {
            "title": "A filter by prefix",
            "input": {
                "ServiceIdentifier": "svc",
                "NamespaceIdentifier": {
                    "ServerlessIdentifier": {"NamespaceIdentifier": "ns", "WorkgroupIdentifier": "wg"}
                },
                "Filter": {"Prefix": "logs/"},
                "Targets": [{"Port": 443}]
            }
        }
    ]);
    let (files, _) = codegen::generate(&model.to_string(), &Default::default()).unwrap();
    let client = file(&files, "client.rs");
    assert!(
        client.contains("types::Filter::Prefix(\"logs/\".to_owned())"),
        "{client}"
    );
    assert!(client.contains(".service_identifier(\"svc\")"), "{client}");
    assert!(!client.contains("Filter::Prefix(\"logs/\")"), "{client}");
}
