//! Degrade per detail: what the IR cannot carry yet is left out visibly (an omission, a line in
//! the rustdoc), and the rest of the service generates. Operations bound through resources and
//! Smithy 1.0 `@enum` strings are carried.

use serde_json::{Value, json};

fn query_traits() -> Value {
    json!({
        "aws.protocols#awsQuery": {},
        "aws.auth#sigv4": { "name": "svc" },
    })
}

/// A service `example#Svc` with `operations` and `resources`, plus `shapes`.
fn model(operations: &[&str], resources: &[&str], shapes: Value) -> String {
    let targets = |ids: &[&str]| {
        ids.iter()
            .map(|t| json!({ "target": t }))
            .collect::<Vec<_>>()
    };
    let mut all = json!({
        "example#Svc": {
            "type": "service",
            "version": "2020-01-01",
            "operations": targets(operations),
            "resources": targets(resources),
            "traits": query_traits(),
        },
    });
    if let (Some(all), Some(shapes)) = (all.as_object_mut(), shapes.as_object()) {
        for (k, v) in shapes {
            all.insert(k.clone(), v.clone());
        }
    }
    serde_json::to_string(&json!({ "smithy": "2.0", "shapes": all })).unwrap()
}

fn op() -> Value {
    json!({ "type": "operation" })
}

fn generate(json: &str) -> (Vec<codegen::File>, codegen::Summary) {
    codegen::generate(json, &codegen::Options::default()).unwrap()
}

fn file<'a>(files: &'a [codegen::File], path: &str) -> &'a str {
    &files.iter().find(|f| f.path == path).unwrap().contents
}

fn omissions(summary: &codegen::Summary) -> Vec<String> {
    summary.omissions.iter().map(|o| o.to_string()).collect()
}

#[test]
fn operations_bound_through_resources_are_client_operations() {
    let json = model(
        &["example#Top"],
        &["example#Bucket"],
        json!({
            "example#Top": op(),
            "example#Bucket": {
                "type": "resource",
                "identifiers": { "Name": { "target": "smithy.api#String" } },
                "create": { "target": "example#CreateBucket" },
                "read": { "target": "example#GetBucket" },
                "update": { "target": "example#UpdateBucket" },
                "delete": { "target": "example#DeleteBucket" },
                "list": { "target": "example#ListBuckets" },
                "put": { "target": "example#PutBucket" },
                "operations": [{ "target": "example#TagBucket" }],
                "collectionOperations": [{ "target": "example#CountBuckets" }],
                "resources": [{ "target": "example#Object" }],
            },
            "example#Object": {
                "type": "resource",
                "read": { "target": "example#GetObject" },
                // A cycle back to the parent is walked once.
                "resources": [{ "target": "example#Bucket" }],
            },
            "example#CreateBucket": op(),
            "example#GetBucket": op(),
            "example#UpdateBucket": op(),
            "example#DeleteBucket": op(),
            "example#ListBuckets": op(),
            "example#PutBucket": op(),
            "example#TagBucket": op(),
            "example#CountBuckets": op(),
            // Bound twice (by the service and a resource): one operation.
            "example#GetObject": op(),
        }),
    );
    let (files, summary) = generate(&json);
    assert_eq!(summary.operations, 10, "{summary}");
    let client = file(&files, "client.rs");
    for f in [
        "top",
        "create_bucket",
        "get_bucket",
        "update_bucket",
        "delete_bucket",
        "list_buckets",
        "put_bucket",
        "tag_bucket",
        "count_buckets",
        "get_object",
    ] {
        assert!(client.contains(&format!("pub fn {f}(")), "{f} missing");
    }
    assert!(summary.omissions.is_empty());
}

#[test]
fn a_resource_that_is_not_a_resource_shape_is_a_model_error() {
    let json = model(&[], &["example#Nope"], json!({ "example#Nope": op() }));
    let e = codegen::generate(&json, &codegen::Options::default()).unwrap_err();
    let e = e.to_string();
    assert!(
        e.contains("example#Nope") && e.contains("not a resource"),
        "{e}"
    );
}

#[test]
fn smithy_1_enum_strings_are_enums() {
    let json = model(
        &["example#Op"],
        &[],
        json!({
            "example#Op": { "type": "operation", "input": { "target": "example#In" } },
            "example#In": {
                "type": "structure",
                "members": { "Color": { "target": "example#Color" } },
            },
            "example#Color": {
                "type": "string",
                "traits": { "smithy.api#enum": [
                    { "value": "dark-red", "name": "DARK_RED" },
                    { "value": "blue" },
                    { "value": "old", "deprecated": true },
                ] },
            },
        }),
    );
    let (files, summary) = generate(&json);
    assert!(summary.omissions.is_empty());
    let types = file(&files, "types.rs");
    assert!(types.contains("Color {"), "{types}");
    for v in ["DarkRed", "Blue", "Old", "\"dark-red\"", "\"blue\""] {
        assert!(types.contains(v), "{v} missing");
    }
    let bad = json.replace(r#"{"value":"blue"}"#, r#"{"name":"NO_VALUE"}"#);
    assert_ne!(bad, json);
    let e = codegen::generate(&bad, &Default::default()).unwrap_err();
    assert!(e.to_string().contains("example#Color"), "{e}");
}

/// An operation `example#Op` whose input has `members`, beside `example#Plain`.
fn with_input(members: Value, shapes: Value) -> String {
    let mut all = json!({
        "example#Op": {
            "type": "operation",
            "input": { "target": "example#In" },
            "output": { "target": "example#Out" },
        },
        "example#In": { "type": "structure", "members": members },
        "example#Out": {
            "type": "structure",
            "members": { "Dec": { "target": "smithy.api#BigDecimal" }, "N": { "target": "smithy.api#Integer" } },
        },
        "example#Plain": op(),
    });
    if let (Some(all), Some(shapes)) = (all.as_object_mut(), shapes.as_object()) {
        for (k, v) in shapes {
            all.insert(k.clone(), v.clone());
        }
    }
    model(&["example#Op", "example#Plain"], &[], all)
}

#[test]
fn members_the_ir_cannot_carry_are_left_out_visibly() {
    let json = with_input(
        json!({
            "Name": { "target": "smithy.api#String" },
            "Bigs": { "target": "example#Bigs" },
            "Big": { "target": "smithy.api#BigInteger" },
            "Schema": { "target": "example#Schema" },
        }),
        json!({
            "example#Bigs": { "type": "list", "member": { "target": "smithy.api#BigInteger" } },
            "example#Schema": { "type": "union", "members": { "n": { "target": "smithy.api#BigDecimal" } } },
        }),
    );
    let (files, summary) = generate(&json);
    assert_eq!(
        omissions(&summary),
        [
            "member example#In$Big: bigInteger values are not supported yet",
            "member example#In$Bigs: bigInteger values are not supported yet",
            "member example#In$Schema: no member of its union can be carried yet",
            "member example#Out$Dec: bigDecimal values are not supported yet",
        ]
    );
    assert_eq!(summary.operations, 2);
    let op = file(&files, "operation.rs");
    assert!(
        op.contains(
            "Not generated: the member `Bigs` of the model (bigInteger values are not supported yet)."
        ),
        "{op}"
    );
    assert!(
        op.contains("pub name: Option<String>"),
        "the other members stay: {op}"
    );
}

#[test]
fn an_operation_whose_input_needs_a_member_left_out_is_left_out() {
    let json = with_input(
        json!({
            "Big": { "target": "smithy.api#BigInteger", "traits": { "smithy.api#required": {} } },
        }),
        json!({}),
    );
    let (files, summary) = generate(&json);
    assert_eq!(
        omissions(&summary),
        [
            "operation example#Op: its input needs `example#In$Big`, which is left out: bigInteger values are not supported yet",
        ]
    );
    assert_eq!(summary.operations, 1);
    assert!(!file(&files, "client.rs").contains("pub fn op("));
    assert!(file(&files, "client.rs").contains("pub fn plain("));
}

/// Documents and sparse collections are carried by the IR; awsQuery cannot send or read them,
/// so it leaves out the operations that reach one, and awsJson generates them.
#[test]
fn documents_and_sparse_collections_are_json_only() {
    let json = with_input(
        json!({
            "Doc": { "target": "smithy.api#Document" },
            "Names": { "target": "example#Names" },
        }),
        json!({
            "example#Names": { "type": "list", "member": { "target": "smithy.api#String" }, "traits": { "smithy.api#sparse": {} } },
        }),
    );
    let (files, summary) = generate(&json);
    let o = omissions(&summary);
    assert!(
        o.iter().any(|l| l.starts_with("operation example#Op: documents and sparse collections cannot be sent or read by awsQuery")),
        "{o:?}"
    );
    assert!(!file(&files, "client.rs").contains("pub fn op("));
    let json_model = json.replace("\"aws.protocols#awsQuery\"", "\"aws.protocols#awsJson1_0\"");
    assert_ne!(json_model, json);
    let (files, summary) = generate(&json_model);
    assert!(
        !omissions(&summary)
            .iter()
            .any(|l| l.starts_with("operation example#Op")),
        "{:?}",
        omissions(&summary)
    );
    let types = file(&files, "operation.rs");
    assert!(
        types.contains("pub doc: Option<crate::primitives::Document>"),
        "{types}"
    );
    assert!(
        types.contains("pub names: Option<Vec<Option<String>>>"),
        "{types}"
    );
}

#[test]
fn event_stream_operations_are_left_out() {
    let json = with_input(
        json!({ "Events": { "target": "example#Events" } }),
        json!({
            "example#Events": {
                "type": "union",
                "traits": { "smithy.api#streaming": {} },
                "members": { "Chunk": { "target": "example#Chunk" } },
            },
            "example#Chunk": { "type": "structure", "members": {} },
        }),
    );
    let (files, summary) = generate(&json);
    assert_eq!(
        omissions(&summary),
        [
            "operation example#Op: event stream operations are not supported yet (its input member `Events` is an event stream)"
        ]
    );
    assert!(!file(&files, "client.rs").contains("pub fn op("));
    // Nothing only the left-out operation reached is generated.
    assert!(!file(&files, "types.rs").contains("Chunk"));
}

#[test]
fn the_ir_is_built_for_any_protocol_and_only_emission_refuses_it() {
    let json = model(&["example#Plain"], &[], json!({ "example#Plain": op() }))
        .replace("aws.protocols#awsQuery", "aws.protocols#restJson1");
    let m = codegen::model::parse(&json).unwrap();
    let svc = codegen::ir::build(&m, &Default::default()).unwrap();
    assert_eq!(svc.protocols, ["aws.protocols#restJson1"]);
    let e = codegen::emit_service(&m, svc, &Default::default()).unwrap_err();
    assert!(
        e.to_string().contains("protocol aws.protocols#restJson1"),
        "{e}"
    );
}

/// A service whose `example#Ctl` sets `ApiType` for the endpoint rules, with an endpoint test
/// resolving through it.
fn with_context_params() -> String {
    let rules = json!({
        "version": "1.0",
        "parameters": {
            "Region": { "type": "String", "builtIn": "AWS::Region", "required": true },
            "ApiType": { "type": "String", "required": false },
        },
        "rules": [
            { "conditions": [{ "fn": "stringEquals", "argv": [{ "ref": "ApiType" }, "ControlPlane"] }],
              "endpoint": { "url": "https://control.{Region}.example.com" }, "type": "endpoint" },
            { "conditions": [], "endpoint": { "url": "https://data.{Region}.example.com" }, "type": "endpoint" },
        ],
    });
    let tests = json!({
        "version": "1.0",
        "testCases": [{
            "documentation": "control plane",
            "params": { "Region": "us-east-1", "ApiType": "ControlPlane" },
            "operationInputs": [{ "operationName": "Ctl", "builtInParams": { "AWS::Region": "us-east-1" } }],
            "expect": { "endpoint": { "url": "https://control.us-east-1.example.com" } },
        }],
    });
    let json = model(
        &["example#Ctl", "example#ByName", "example#Plain"],
        &[],
        json!({
            "example#Ctl": {
                "type": "operation",
                "traits": { "smithy.rules#staticContextParams": { "ApiType": { "value": "ControlPlane" } } },
            },
            "example#ByName": { "type": "operation", "input": { "target": "example#ByNameInput" } },
            "example#ByNameInput": {
                "type": "structure",
                "members": { "Name": { "target": "smithy.api#String", "traits": { "smithy.rules#contextParam": { "name": "ApiType" } } } },
            },
            "example#Plain": op(),
        }),
    );
    let mut doc: Value = serde_json::from_str(&json).unwrap();
    let traits = &mut doc["shapes"]["example#Svc"]["traits"];
    traits["smithy.rules#endpointRuleSet"] = rules;
    traits["smithy.rules#endpointTests"] = tests;
    doc.to_string()
}

#[test]
fn endpoint_context_params_are_in_the_ir_and_in_the_endpoint_tests() {
    let m = codegen::model::parse(&with_context_params()).unwrap();
    let svc = codegen::ir::build(&m, &Default::default()).unwrap();
    let ctl = svc
        .operations
        .iter()
        .find(|o| o.wire_name == "Ctl")
        .unwrap();
    assert_eq!(
        ctl.context_params.fixed,
        [(
            "ApiType".to_owned(),
            codegen::endpoints::cases::ParamValue::String("ControlPlane".into())
        )]
    );
    let by_name = svc
        .operations
        .iter()
        .find(|o| o.wire_name == "ByName")
        .unwrap();
    assert_eq!(
        by_name.context_params.from_input,
        [("Name".to_owned(), "ApiType".to_owned())]
    );
    // The endpoint test resolving "as Ctl" sets what Ctl sets, as a client calling it would.
    let case = &svc.endpoint_tests.as_ref().unwrap()[0];
    assert_eq!(case.via_built_ins[0].operation.as_deref(), Some("Ctl"));
    assert_eq!(
        case.via_built_ins[0].static_params,
        ctl.context_params.fixed
    );
}

#[test]
fn operations_setting_endpoint_params_get_a_function_that_sets_them() {
    let (files, summary) = generate(&with_context_params());
    assert_eq!(omissions(&summary), Vec::<String>::new());
    let client = file(&files, "client.rs");
    assert!(client.contains("pub fn plain("));
    assert!(client.contains("pub fn ctl("));
    assert!(client.contains("pub fn by_name("));
    let ser = file(&files, "ser.rs");
    assert!(ser.contains("pub(crate) fn endpoint_params_ctl("), "{ser}");
    assert!(
        ser.contains(r#"p.named.insert("ApiType".to_owned(), ParamValue::String("ControlPlane".to_owned()));"#),
        "{ser}"
    );
    assert!(
        ser.contains("pub(crate) fn endpoint_params_by_name("),
        "{ser}"
    );
    assert!(!ser.contains("endpoint_params_plain"), "{ser}");
    let ops = file(&files, "operation.rs");
    assert!(
        ops.contains("endpoint_params Some(crate::generated::ser::endpoint_params_ctl)"),
        "{ops}"
    );
    assert!(ops.contains("endpoint_params None"), "{ops}");
    // The generated endpoint test still sets the operation's parameter.
    let tests = file(&files, "endpoint_tests.rs");
    assert!(
        tests.contains(r#".with_param("ApiType", "ControlPlane")"#),
        "{tests}"
    );
}

/// `with_context_params` with `ByName` given `operationContextParams` `path`, and its input a
/// member `Inner` (a structure with a string `Name`) and a list `Tags` of numbers.
fn with_context_path(path: &str) -> String {
    let mut doc: Value = serde_json::from_str(&with_context_params()).unwrap();
    let shapes = &mut doc["shapes"];
    shapes["example#ByName"]["traits"] =
        json!({ "smithy.rules#operationContextParams": { "ApiType": { "path": path } } });
    shapes["example#ByNameInput"]["members"]["Inner"] = json!({ "target": "example#Inner" });
    shapes["example#ByNameInput"]["members"]["Tags"] = json!({ "target": "example#Numbers" });
    shapes["example#Inner"] = json!({
        "type": "structure",
        "members": { "Name": { "target": "smithy.api#String" } },
    });
    shapes["example#Numbers"] =
        json!({ "type": "list", "member": { "target": "smithy.api#Integer" } });
    doc.to_string()
}

#[test]
fn endpoint_param_paths_outside_the_compiled_subset_leave_only_that_operation_out() {
    let (files, summary) = generate(&with_context_path("Inner.Name"));
    assert_eq!(omissions(&summary), Vec::<String>::new());
    let ser = file(&files, "ser.rs");
    assert!(
        ser.contains("v.inner.as_ref().and_then(|x| x.name.as_ref())"),
        "{ser}"
    );
    for (path, why) in [
        (
            "Inner.Name | [0]",
            "has path `Inner.Name | [0]`, outside the compiled subset",
        ),
        (
            "Inner.Missing",
            "names `Missing`, which is not a member the client carries there",
        ),
        ("keys(Inner)", "takes `keys` of what is not a map"),
        ("Tags[*]", "projects to values that are not strings"),
        ("Tags", "is a list of neither strings nor enums"),
    ] {
        let (files, summary) = generate(&with_context_path(path));
        let got = omissions(&summary);
        assert_eq!(got.len(), 1, "{path}: {got:?}");
        assert!(
            got[0].starts_with("operation example#ByName: the endpoint parameter `ApiType`")
                && got[0].contains(why),
            "{path}: {got:?}"
        );
        let client = file(&files, "client.rs");
        assert!(!client.contains("pub fn by_name("), "{path}");
        assert!(client.contains("pub fn ctl(") && client.contains("pub fn plain("));
    }
}
