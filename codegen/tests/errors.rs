//! The generator never panics on a model: what it cannot generate is one clear error naming the
//! service, the shape at fault and what is wrong or unsupported (as `cargo xtask codegen` reports
//! it, through `generate_with_service_context`).

use serde_json::{Value, json};

/// A minimal awsQuery service `example#Svc` with one operation `example#Op`, plus `extra` shapes
/// (which may replace the defaults).
fn model(service_traits: Value, extra: Value) -> String {
    let mut shapes = json!({
        "example#Svc": {
            "type": "service",
            "version": "2020-01-01",
            "operations": [{ "target": "example#Op" }],
            "traits": service_traits,
        },
        "example#Op": {
            "type": "operation",
            "input": { "target": "example#OpInput" },
            "output": { "target": "smithy.api#Unit" },
        },
        "example#OpInput": {
            "type": "structure",
            "members": { "Name": { "target": "smithy.api#String" } },
        },
    });
    if let (Some(shapes), Some(extra)) = (shapes.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            shapes.insert(k.clone(), v.clone());
        }
    }
    serde_json::to_string_pretty(&json!({ "smithy": "2.0", "shapes": shapes })).unwrap()
}

fn query_traits() -> Value {
    json!({
        "aws.protocols#awsQuery": {},
        "aws.auth#sigv4": { "name": "svc" },
        "smithy.rules#endpointRuleSet": {
            "version": "1.0",
            "parameters": { "Endpoint": { "builtIn": "SDK::Endpoint", "required": false, "type": "String" } },
            "rules": [
                { "conditions": [{ "fn": "isSet", "argv": [{ "ref": "Endpoint" }] }],
                  "endpoint": { "url": { "ref": "Endpoint" } }, "type": "endpoint" },
                { "conditions": [], "error": "no endpoint", "type": "error" }
            ]
        }
    })
}

/// The error message of generating `json`, which must fail.
fn error_of(json: &str) -> String {
    match codegen::generate_with_service_context(json, &codegen::Options::default()) {
        Ok(_) => panic!("generation succeeded, expected an error"),
        Err(e) => e.to_string(),
    }
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for p in parts {
        assert!(message.contains(p), "`{p}` missing from: {message}");
    }
}

#[test]
fn the_base_model_generates() {
    let (files, summary) = codegen::generate(
        &model(query_traits(), json!({})),
        &codegen::Options::default(),
    )
    .unwrap();
    assert_eq!(summary.operations, 1);
    assert!(files.iter().any(|f| f.path == "types.rs"));
}

#[test]
fn aws_json_protocol_is_unsupported() {
    let mut traits = query_traits();
    let t = traits.as_object_mut().unwrap();
    t.remove("aws.protocols#awsQuery");
    t.insert("aws.protocols#awsJson1_0".into(), json!({}));
    let e = error_of(&model(traits, json!({})));
    assert_mentions(
        &e,
        &[
            "example#Svc",
            "unsupported",
            "aws.protocols#awsJson1_0",
            "awsQuery",
        ],
    );
}

#[test]
fn rest_xml_protocol_is_unsupported() {
    let mut traits = query_traits();
    let t = traits.as_object_mut().unwrap();
    t.remove("aws.protocols#awsQuery");
    t.insert("aws.protocols#restXml".into(), json!({}));
    let e = error_of(&model(traits, json!({})));
    assert_mentions(&e, &["example#Svc", "unsupported", "aws.protocols#restXml"]);
}

#[test]
fn union_shapes_are_unsupported() {
    let extra = json!({
        "example#OpInput": {
            "type": "structure",
            "members": { "Choice": { "target": "example#Choice" } },
        },
        "example#Choice": {
            "type": "union",
            "members": {
                "A": { "target": "smithy.api#String" },
                "B": { "target": "smithy.api#Integer" },
            },
        },
    });
    let e = error_of(&model(query_traits(), extra));
    assert_mentions(
        &e,
        &["example#Svc", "example#Choice", "unsupported", "union"],
    );
}

#[test]
fn dangling_references_name_the_member() {
    let extra = json!({
        "example#OpInput": {
            "type": "structure",
            "members": { "Ghost": { "target": "example#Missing" } },
        },
    });
    let e = error_of(&model(query_traits(), extra));
    assert_mentions(
        &e,
        &[
            "example#Svc",
            "example#OpInput$Ghost",
            "example#Missing",
            "does not define",
        ],
    );
}

#[test]
fn malformed_json_names_the_shape() {
    let good = model(query_traits(), json!({}));
    // Cut the document inside the input structure's members.
    let at = good.find("\"Name\"").unwrap();
    let broken = format!("{}\"Name\": {{ \"target\": ", &good[..at]);
    let e = error_of(&broken);
    assert_mentions(&e, &["cannot parse the model", "example#OpInput"]);
    // A stray character instead of a value.
    let broken = good.replacen("\"version\": \"2020-01-01\"", "\"version\": 2020-01-01", 1);
    let e = error_of(&broken);
    assert_mentions(&e, &["cannot parse the model", "example#Svc"]);
    // Not JSON at all.
    let e = error_of("this is not a model");
    assert_mentions(&e, &["cannot parse the model", "line 1"]);
}

#[test]
fn invalid_shapes_are_named() {
    let extra = json!({ "example#OpInput": { "type": "structure", "members": 7 } });
    let e = error_of(&model(query_traits(), extra));
    assert_mentions(&e, &["example#OpInput", "not a valid Smithy shape"]);
    let extra = json!({ "example#Odd": { "type": "teapot" } });
    let e = error_of(&model(query_traits(), extra));
    assert_mentions(&e, &["example#Odd", "not a valid Smithy shape", "teapot"]);
}

#[test]
fn operation_shapes_must_fit() {
    let extra = json!({
        "example#Op": {
            "type": "operation",
            "input": { "target": "smithy.api#String" },
        },
    });
    let e = error_of(&model(query_traits(), extra));
    assert_mentions(
        &e,
        &["example#Svc", "example#Op", "input", "not a structure"],
    );
    let extra = json!({
        "example#Op": {
            "type": "operation",
            "errors": [{ "target": "example#NotAnError" }],
        },
        "example#NotAnError": { "type": "structure", "members": {} },
    });
    let e = error_of(&model(query_traits(), extra));
    assert_mentions(&e, &["example#NotAnError", "@error"]);
}

#[test]
fn duplicate_enum_values_are_errors() {
    let extra = json!({
        "example#OpInput": {
            "type": "structure",
            "members": { "Kind": { "target": "example#Kind" } },
        },
        "example#Kind": {
            "type": "enum",
            "members": {
                "A": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "a" } },
                "B": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "a" } },
            },
        },
    });
    let e = error_of(&model(query_traits(), extra));
    assert_mentions(&e, &["example#Kind$B", "used twice"]);
}

#[test]
fn streaming_blobs_are_unsupported() {
    let extra = json!({
        "example#OpInput": {
            "type": "structure",
            "members": { "Body": { "target": "example#Stream" } },
        },
        "example#Stream": { "type": "blob", "traits": { "smithy.api#streaming": {} } },
    });
    let e = error_of(&model(query_traits(), extra));
    assert_mentions(
        &e,
        &["example#Svc", "example#Stream", "unsupported", "streaming"],
    );
}
