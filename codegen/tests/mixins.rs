//! Smithy mixins: a shape with `"mixins"` has the mixins' members first, in each mixin's
//! order (a mixin's own mixins before it), then its own; it inherits the mixins' traits except
//! `@mixin` and `localTraits`; mixins are never types. Every conformance model of
//! `shared/conformance/` builds.

use std::path::PathBuf;

use codegen::ir::{self, ShapeKind};
use serde_json::{Value, json};

/// An awsQuery service whose one operation `Op` takes `ex#Input`, with `shapes` added.
fn model(shapes: Value) -> String {
    let mut all = json!({
        "ex#Svc": {
            "type": "service",
            "version": "2024-01-01",
            "operations": [{ "target": "ex#Op" }],
            "traits": { "aws.protocols#awsQuery": {} },
        },
        "ex#Op": { "type": "operation", "input": { "target": "ex#Input" } },
    });
    if let (Some(a), Some(s)) = (all.as_object_mut(), shapes.as_object()) {
        a.extend(s.clone());
    }
    serde_json::to_string(&json!({ "smithy": "2.0", "shapes": all })).unwrap()
}

fn build(json: &str) -> Result<ir::Service, String> {
    let m = codegen::model::parse(json).map_err(|e| e.to_string())?;
    ir::build(&m, &ir::BuildOptions::default()).map_err(|e| e.to_string())
}

fn error_of(json: &str) -> String {
    match build(json) {
        Ok(_) => panic!("the IR built, expected an error"),
        Err(e) => e,
    }
}

fn string(traits: Value) -> Value {
    json!({ "target": "smithy.api#String", "traits": traits })
}

fn member_names(svc: &ir::Service, id: &str) -> Vec<String> {
    svc.shape(id)
        .kind
        .members()
        .iter()
        .map(|m| m.wire_name.clone())
        .collect()
}

#[test]
fn mixin_members_come_first_recursively_in_order() {
    let json = model(json!({
        "ex#Base": {
            "type": "structure",
            "members": { "B1": string(json!({})), "B2": string(json!({})) },
            "traits": { "smithy.api#mixin": {} },
        },
        "ex#Middle": {
            "type": "structure",
            "mixins": [{ "target": "ex#Base" }],
            "members": { "M1": string(json!({})) },
            "traits": { "smithy.api#mixin": {} },
        },
        "ex#Other": {
            "type": "structure",
            "members": { "O1": string(json!({})) },
            "traits": { "smithy.api#mixin": {} },
        },
        "ex#Input": {
            "type": "structure",
            "mixins": [{ "target": "ex#Middle" }, { "target": "ex#Other" }],
            "members": { "Own": string(json!({})), "Z": string(json!({})) },
        },
    }));
    let svc = build(&json).unwrap();
    assert_eq!(
        member_names(&svc, "ex#Input"),
        ["B1", "B2", "M1", "O1", "Own", "Z"]
    );
    // Mixins are not types of their own.
    for id in ["ex#Base", "ex#Middle", "ex#Other"] {
        assert!(!svc.shapes.contains_key(id), "{id} is generated");
    }
}

#[test]
fn a_members_only_shape_takes_every_member_from_its_mixin() {
    // The conformance models' `...Request` shapes: `"members": {}` and one mixin.
    let json = model(json!({
        "ex#InputOutput": {
            "type": "structure",
            "members": {
                "Foo": string(json!({ "smithy.api#xmlName": "foo" })),
                "Bar": { "target": "smithy.api#Integer" },
            },
            "traits": { "smithy.api#mixin": {}, "smithy.api#xmlNamespace": { "uri": "https://ex" } },
        },
        "ex#Input": {
            "type": "structure",
            "mixins": [{ "target": "ex#InputOutput" }],
            "members": {},
            "traits": { "smithy.api#input": {} },
        },
    }));
    let svc = build(&json).unwrap();
    let input = svc.shape("ex#Input");
    assert_eq!(member_names(&svc, "ex#Input"), ["Foo", "Bar"]);
    assert_eq!(input.kind.members()[0].xml_name.as_deref(), Some("foo"));
    assert_eq!(input.kind.members()[0].rust_name, "foo");
    // The mixin's traits are inherited (here @xmlNamespace).
    assert_eq!(
        input.xml_namespace.as_ref().map(|n| n.uri.as_str()),
        Some("https://ex")
    );
}

#[test]
fn traits_local_to_the_mixin_and_mixin_itself_are_not_inherited_and_local_ones_win() {
    let json = model(json!({
        "ex#Mixin": {
            "type": "structure",
            "members": { "A": string(json!({ "smithy.api#documentation": "mixin doc" })) },
            "traits": {
                "smithy.api#mixin": { "localTraits": ["smithy.api#sensitive"] },
                "smithy.api#sensitive": {},
                "smithy.api#documentation": "from the mixin",
                "smithy.api#deprecated": { "message": "old" },
            },
        },
        "ex#Input": {
            "type": "structure",
            "mixins": [{ "target": "ex#Mixin" }],
            "members": {
                // Redeclared to add a trait: keeps the mixin's place and target.
                "A": string(json!({ "smithy.api#required": {} })),
                "B": string(json!({})),
            },
            "traits": { "smithy.api#documentation": "local" },
        },
    }));
    let svc = build(&json).unwrap();
    let input = svc.shape("ex#Input");
    assert_eq!(member_names(&svc, "ex#Input"), ["A", "B"]);
    assert!(!input.sensitive, "localTraits are not inherited");
    assert_eq!(input.docs.as_deref(), Some("local"));
    assert_eq!(
        input.deprecated.as_ref().and_then(|d| d.message.as_deref()),
        Some("old")
    );
    let a = &input.kind.members()[0];
    assert!(a.required);
    assert_eq!(a.docs.as_deref(), Some("mixin doc"));
    let m = codegen::model::parse(&json).unwrap();
    assert!(!m.shapes["ex#Input"].is_mixin());
    assert!(m.shapes["ex#Mixin"].is_mixin());
}

#[test]
fn a_diamond_of_mixins_gives_each_member_once() {
    let json = model(json!({
        "ex#Root": { "type": "structure", "members": { "R": string(json!({})) }, "traits": { "smithy.api#mixin": {} } },
        "ex#Left": { "type": "structure", "mixins": [{ "target": "ex#Root" }], "members": { "L": string(json!({})) }, "traits": { "smithy.api#mixin": {} } },
        "ex#Right": { "type": "structure", "mixins": [{ "target": "ex#Root" }], "members": { "Rt": string(json!({})) }, "traits": { "smithy.api#mixin": {} } },
        "ex#Input": { "type": "structure", "mixins": [{ "target": "ex#Left" }, { "target": "ex#Right" }], "members": {} },
    }));
    let svc = build(&json).unwrap();
    assert_eq!(member_names(&svc, "ex#Input"), ["R", "L", "Rt"]);
}

#[test]
fn mixins_of_other_shape_kinds_apply_too() {
    let json = model(json!({
        "ex#BaseList": { "type": "list", "member": { "target": "smithy.api#String" }, "traits": { "smithy.api#mixin": {}, "smithy.api#length": { "max": 3 } } },
        "ex#Names": { "type": "list", "mixins": [{ "target": "ex#BaseList" }] },
        "ex#BaseEnum": { "type": "enum", "members": { "A": { "target": "smithy.api#Unit" } }, "traits": { "smithy.api#mixin": {} } },
        "ex#Letters": { "type": "enum", "mixins": [{ "target": "ex#BaseEnum" }], "members": { "B": { "target": "smithy.api#Unit" } } },
        "ex#Input": {
            "type": "structure",
            "members": { "Names": { "target": "ex#Names" }, "Letter": { "target": "ex#Letters" } },
        },
    }));
    let svc = build(&json).unwrap();
    let names = svc.shape("ex#Names");
    assert!(matches!(&names.kind, ShapeKind::List(m) if m.target == "smithy.api#String"));
    assert_eq!(names.constraints.length, Some((None, Some(3))));
    match &svc.shape("ex#Letters").kind {
        ShapeKind::Enum(v) => {
            let values: Vec<&str> = v.iter().map(|v| v.value.as_str()).collect();
            assert_eq!(values, ["A", "B"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn broken_mixins_are_errors_naming_the_shape() {
    let cycle = model(json!({
        "ex#A": { "type": "structure", "mixins": [{ "target": "ex#B" }], "members": {}, "traits": { "smithy.api#mixin": {} } },
        "ex#B": { "type": "structure", "mixins": [{ "target": "ex#A" }], "members": {}, "traits": { "smithy.api#mixin": {} } },
        "ex#Input": { "type": "structure", "mixins": [{ "target": "ex#A" }], "members": {} },
    }));
    let e = error_of(&cycle);
    assert!(e.contains("its mixins form a cycle"), "{e}");
    let not_mixin = model(json!({
        "ex#Plain": { "type": "structure", "members": {} },
        "ex#Input": { "type": "structure", "mixins": [{ "target": "ex#Plain" }], "members": {} },
    }));
    let e = error_of(&not_mixin);
    assert!(
        e.contains("ex#Input: mixes in `ex#Plain`, which is not a mixin"),
        "{e}"
    );
    let missing = model(json!({
        "ex#Input": { "type": "structure", "mixins": [{ "target": "ex#Gone" }], "members": {} },
    }));
    let e = error_of(&missing);
    assert!(
        e.contains("ex#Input: mixes in `ex#Gone`, which the model does not define"),
        "{e}"
    );
    let other_type = model(json!({
        "ex#S": { "type": "string", "traits": { "smithy.api#mixin": {} } },
        "ex#Input": { "type": "structure", "mixins": [{ "target": "ex#S" }], "members": {} },
    }));
    let e = error_of(&other_type);
    assert!(
        e.contains("ex#Input: is a structure but mixes in `ex#S`, a string"),
        "{e}"
    );
    let clash = model(json!({
        "ex#M": { "type": "structure", "members": { "A": string(json!({})) }, "traits": { "smithy.api#mixin": {} } },
        "ex#Input": { "type": "structure", "mixins": [{ "target": "ex#M" }], "members": { "A": { "target": "smithy.api#Integer" } } },
    }));
    let e = error_of(&clash);
    assert!(
        e.contains("ex#Input$A: is declared twice with different targets"),
        "{e}"
    );
    let targets_mixin = model(json!({
        "ex#M": { "type": "structure", "members": {}, "traits": { "smithy.api#mixin": {} } },
        "ex#Input": { "type": "structure", "members": { "A": { "target": "ex#M" } } },
    }));
    let e = error_of(&targets_mixin);
    assert!(
        e.contains("ex#Input$A: refers to `ex#M`, which is a mixin"),
        "{e}"
    );
}

#[test]
fn a_long_chain_of_mixins_is_refused_not_followed() {
    let mut shapes = serde_json::Map::new();
    let depth = codegen::model::mixins::MAX_MIXIN_DEPTH + 5;
    for i in 0..depth {
        let mut s = json!({ "type": "structure", "members": { format!("M{i}"): string(json!({})) }, "traits": { "smithy.api#mixin": {} } });
        if i + 1 < depth {
            s["mixins"] = json!([{ "target": format!("ex#Mix{}", i + 1) }]);
        }
        shapes.insert(format!("ex#Mix{i}"), s);
    }
    shapes.insert(
        "ex#Input".into(),
        json!({ "type": "structure", "mixins": [{ "target": "ex#Mix0" }], "members": {} }),
    );
    let e = error_of(&model(Value::Object(shapes)));
    assert!(e.contains("its mixins nest more than"), "{e}");
    // Within the limit, every member arrives, the deepest mixin's first.
    let mut shapes = serde_json::Map::new();
    for i in 0..10 {
        let mut s = json!({ "type": "structure", "members": { format!("M{i}"): string(json!({})) }, "traits": { "smithy.api#mixin": {} } });
        if i < 9 {
            s["mixins"] = json!([{ "target": format!("ex#Mix{}", i + 1) }]);
        }
        shapes.insert(format!("ex#Mix{i}"), s);
    }
    shapes.insert(
        "ex#Input".into(),
        json!({ "type": "structure", "mixins": [{ "target": "ex#Mix0" }], "members": {} }),
    );
    let svc = build(&model(Value::Object(shapes))).unwrap();
    let want: Vec<String> = (0..10).rev().map(|i| format!("M{i}")).collect();
    assert_eq!(member_names(&svc, "ex#Input"), want);
}

fn conformance_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("AWS_QUERY_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    }
    .join("conformance");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED mixins conformance: no conformance models at {} (set \
             AWS_QUERY_SHARED_DIR); NO CONFORMANCE MODEL'S IR WAS BUILT",
            dir.display()
        );
        None
    }
}

#[test]
fn the_ir_of_every_conformance_model_builds() {
    let Some(dir) = conformance_dir() else { return };
    let mut files = Vec::new();
    for proto in std::fs::read_dir(&dir).expect("the conformance directory reads") {
        let proto = proto.expect("an entry reads").path();
        if !proto.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&proto).expect("a protocol directory reads") {
            let f = f.expect("an entry reads").path();
            let name = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if name.starts_with("smithy-") && name.ends_with(".json") {
                files.push(f);
            }
        }
    }
    files.sort();
    let (mut built, mut with_mixins, mut read, mut failures) = (0, 0, 0, Vec::new());
    for f in &files {
        let text = std::fs::read_to_string(f).expect("a model reads");
        let doc: Value = serde_json::from_str(&text).expect("a model is JSON");
        if doc.get("smithy").is_none() {
            // Not a Smithy JSON AST (`awsquery/smithy-awsquery.json` is another export).
            continue;
        }
        read += 1;
        let mixes = doc["shapes"]
            .as_object()
            .is_some_and(|s| s.values().any(|v| v.get("mixins").is_some()));
        match build(&text) {
            Ok(svc) => {
                built += 1;
                with_mixins += usize::from(mixes);
                // No structure the IR carries is a mixin or lost its mixin's members.
                for (id, s) in &doc["shapes"].as_object().cloned().unwrap_or_default() {
                    if s.pointer("/traits/smithy.api#mixin").is_some() {
                        assert!(
                            !svc.shapes.contains_key(id),
                            "{}: mixin {id} generated",
                            f.display()
                        );
                    }
                }
            }
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    eprintln!(
        "conformance: {built} of {read} Smithy JSON AST models' IR built ({with_mixins} of them \
         with mixins; {} files read)",
        files.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(built >= 13, "only {built} conformance models found");
}

#[test]
fn conformance_request_shapes_take_their_mixin_members() {
    let Some(dir) = conformance_dir() else { return };
    let path = dir.join("restxml/smithy-restxml-model.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: no {}", path.display());
        return;
    };
    let svc = build(&text).unwrap();
    let id = "aws.protocoltests.restxml#SimpleScalarPropertiesRequest";
    let doc: Value = serde_json::from_str(&text).unwrap();
    let mixin = &doc["shapes"]["aws.protocoltests.restxml#SimpleScalarPropertiesInputOutput"];
    let want: Vec<String> = mixin["members"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert!(!want.is_empty());
    assert_eq!(member_names(&svc, id), want);
    // The inherited @xmlNamespace of XmlNamespacesInputOutput.
    let ns = svc.shape("aws.protocoltests.restxml#XmlNamespacesRequest");
    assert!(ns.xml_namespace.is_some());
}
