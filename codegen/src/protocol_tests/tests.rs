//! The parse step end to end: malformed cases and values that do not fit are errors naming
//! the case, at generation time; good cases become typed values and named tests.

use serde_json::Value;

use super::*;

/// A one-operation awsQuery model; `op_traits` and `input_members` are spliced in.
fn model(op_traits: &str, input_members: &str) -> String {
    format!(
        r#"{{
  "smithy": "2.0",
  "shapes": {{
"t#Svc": {{
  "type": "service", "version": "2020-01-01",
  "operations": [{{ "target": "t#Op" }}],
  "traits": {{ "aws.protocols#awsQuery": {{}}, "aws.api#service": {{ "sdkId": "Test" }} }}
}},
"t#Op": {{
  "type": "operation",
  "input": {{ "target": "t#OpInput" }},
  "output": {{ "target": "t#OpOutput" }},
  "traits": {{ {op_traits} }}
}},
"t#OpInput": {{ "type": "structure", "members": {{ {input_members} }} }},
"t#OpOutput": {{ "type": "structure", "members": {{ "Name": {{ "target": "smithy.api#String" }} }} }}
  }}
}}"#
    )
}

const MEMBERS: &str =
    r#""Name": { "target": "smithy.api#String" }, "Count": { "target": "smithy.api#Integer" }"#;

fn request_case(params: &str) -> String {
    format!(
        r#""smithy.test#httpRequestTests": [{{
            "id": "MyCase", "protocol": "aws.protocols#awsQuery", "method": "POST", "uri": "/",
            "body": "Action=Op&Version=2020-01-01", "params": {params}
        }}]"#
    )
}

fn generate(model: &str, extra: Option<Value>) -> Result<String, Error> {
    let opts = crate::Options {
        protocol_tests: true,
        extra_cases: extra,
        source_name: "test.json".into(),
        ..Default::default()
    };
    let (files, _) = crate::generate(model, &opts)?;
    let tests = files.iter().find(|f| f.path == "protocol_tests.rs");
    Ok(tests.map(|f| f.contents.clone()).unwrap_or_default())
}

fn case_message(r: Result<String, Error>) -> String {
    match r {
        Err(e @ Error::Case { .. }) => e.to_string(),
        Err(other) => panic!("expected a case error, got {other}"),
        Ok(_) => panic!("expected a case error, generation succeeded"),
    }
}

#[test]
fn emits_one_test_per_case() {
    let code = generate(
        &model(&request_case(r#"{"Name": "x", "Count": 3}"#), MEMBERS),
        None,
    )
    .unwrap();
    assert!(code.contains("fn my_case_request()"), "{code}");
    assert!(
        code.contains("v.count = Some(3i32)") || code.contains("Some(3i32)"),
        "{code}"
    );
    let mods = generate(&model("", MEMBERS), None).unwrap();
    assert!(mods.contains("mod smithy"), "{mods}");
}

#[test]
fn a_case_naming_an_unknown_member_fails_with_its_id() {
    let msg = case_message(generate(
        &model(&request_case(r#"{"Nope": 1}"#), MEMBERS),
        None,
    ));
    assert!(msg.contains("smithy/MyCase (request)"), "{msg}");
    assert!(msg.contains("t#Op"), "{msg}");
    assert!(msg.contains("`Nope` is not a member of t#OpInput"), "{msg}");
}

#[test]
fn a_value_of_the_wrong_type_fails_with_its_path() {
    let msg = case_message(generate(
        &model(&request_case(r#"{"Count": "three"}"#), MEMBERS),
        None,
    ));
    assert!(msg.contains("MyCase"), "{msg}");
    assert!(msg.contains("params.Count"), "{msg}");
    let msg = case_message(generate(
        &model(&request_case(r#"{"Count": 3000000000}"#), MEMBERS),
        None,
    ));
    assert!(msg.contains("in range"), "{msg}");
}

#[test]
fn a_malformed_case_names_the_case_and_the_shape() {
    let traits = r#""smithy.test#httpRequestTests": [{ "id": "NoMethod", "protocol": "aws.protocols#awsQuery", "uri": "/" }]"#;
    let msg = case_message(generate(&model(traits, MEMBERS), None));
    assert!(msg.contains("smithy/NoMethod (request)"), "{msg}");
    assert!(msg.contains("t#Op: missing `method`"), "{msg}");
    let traits = r#""smithy.test#httpResponseTests": [{ "id": "Odd", "protocol": "aws.protocols#awsQuery", "code": 200, "surprise": 1 }]"#;
    let msg = case_message(generate(&model(traits, MEMBERS), None));
    assert!(msg.contains("smithy/Odd (response)"), "{msg}");
    assert!(msg.contains("`surprise`"), "{msg}");
}

#[test]
fn server_only_cases_are_listed_as_ignored_with_a_reason() {
    let traits = r#""smithy.test#httpResponseTests": [{ "id": "ServerOnly", "protocol": "aws.protocols#awsQuery", "code": 200, "appliesTo": "server" }]"#;
    let code = generate(&model(traits, MEMBERS), None).unwrap();
    assert!(code.contains("fn server_only_response()"), "{code}");
    assert!(code.contains("#[ignore = \"appliesTo: server"), "{code}");
}

#[test]
fn the_filter_is_the_services_protocol() {
    let traits = r#""smithy.test#httpResponseTests": [{ "id": "Ec2Only", "protocol": "aws.protocols#ec2Query", "code": 200 }]"#;
    let code = generate(&model(traits, MEMBERS), None).unwrap();
    assert!(
        code.contains("#[ignore = \"protocol `aws.protocols#ec2Query`: this client speaks aws.protocols#awsQuery only\"]"),
        "{code}"
    );
    // The extra document's format follows the protocol.
    assert_eq!(
        extra::format_for("aws.protocols#awsQuery"),
        "awsquery-conformance/1"
    );
    assert_eq!(
        extra::format_for("aws.protocols#ec2Query"),
        "ec2query-conformance/1"
    );
    let msg = case_message(generate(
        &model("", MEMBERS),
        Some(serde_json::json!({ "format": "ec2query-conformance/1", "cases": [] })),
    ));
    assert!(
        msg.contains(
            "expected `awsquery-conformance/1` (the service speaks aws.protocols#awsQuery)"
        ),
        "{msg}"
    );
}

/// An error case whose code the operation does not model parses into `Unhandled`: the test
/// checks code, message and status through the error's metadata and the raw response, never
/// through methods `Unhandled` lacks.
#[test]
fn an_unmodeled_error_case_checks_through_the_metadata() {
    let doc = extra(serde_json::json!([{
        "id": "Throttled", "kind": "error", "operation": "elsewhere#Op",
        "response": { "status": 400, "body": "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>slow down</Message></Error></ErrorResponse>" },
        "expected_error": { "code": "Throttling", "message": "slow down", "vendor_params": { "type": "Sender" } }
    }]));
    let code = generate(&model("", MEMBERS), Some(doc)).unwrap();
    assert!(code.contains("OpError::Unhandled(_) => {}"), "{code}");
    assert!(
        code.contains("crate::runtime::error::ProvideErrorMetadata::meta(&error)"),
        "{code}"
    );
    assert!(code.contains("error.raw().status().as_u16()"), "{code}");
    assert!(!code.contains("e.code()"), "{code}");
}

fn extra(cases: Value) -> Value {
    serde_json::json!({
        "format": "awsquery-conformance/1",
        "source": { "name": "botocore" },
        "cases": cases,
    })
}

#[test]
fn extra_cases_map_to_operations_by_name() {
    let doc = extra(serde_json::json!([{
        "id": "Other", "kind": "response", "operation": "elsewhere#Op",
        "response": { "status": 200, "headers": {}, "body": "<OpResponse><OpResult><Name>n</Name></OpResult></OpResponse>" },
        "expected_output": { "Name": "n" }
    }]));
    let code = generate(&model("", MEMBERS), Some(doc)).unwrap();
    assert!(code.contains("mod botocore"), "{code}");
    assert!(code.contains("fn other_response()"), "{code}");
}

#[test]
fn an_extra_case_that_cannot_be_mapped_fails_with_its_id() {
    let doc = extra(
        serde_json::json!([{ "id": "Lost", "kind": "request", "operation": "elsewhere#Missing",
        "request": { "method": "POST", "uri": "/" } }]),
    );
    let msg = case_message(generate(&model("", MEMBERS), Some(doc)));
    assert!(msg.contains("botocore/Lost (request)"), "{msg}");
    assert!(msg.contains("no operation `Missing`"), "{msg}");
    let doc = extra(
        serde_json::json!([{ "id": "BadErr", "kind": "error", "operation": "elsewhere#Op",
        "response": { "status": 400, "body": "" }, "expected_error": { "shape": "elsewhere#Nope", "code": "Nope" } }]),
    );
    let msg = case_message(generate(&model("", MEMBERS), Some(doc)));
    assert!(msg.contains("botocore/BadErr (error)"), "{msg}");
    assert!(msg.contains("no error `Nope`"), "{msg}");
    let msg = case_message(generate(
        &model("", MEMBERS),
        Some(serde_json::json!({ "format": "other" })),
    ));
    assert!(msg.contains("unsupported format `other`"), "{msg}");
}

#[test]
fn malformed_operation_traits_name_the_shape() {
    let host = r#""smithy.api#endpoint": { "hostPrefix": "{Name}." }"#;
    match generate(&model(host, MEMBERS), None) {
        Err(Error::Model { shape, message }) => {
            assert_eq!(shape, "t#Op");
            assert!(message.contains("lacks @hostLabel"), "{message}");
        }
        other => panic!("expected a model error, got {other:?}"),
    }
    let token = r#""Token": { "target": "smithy.api#Integer", "traits": { "smithy.api#idempotencyToken": {} } }"#;
    match generate(&model("", token), None) {
        Err(Error::Model { shape, message }) => {
            assert_eq!(shape, "t#OpInput$Token");
            assert!(message.contains("must target a string"), "{message}");
        }
        other => panic!("expected a model error, got {other:?}"),
    }
}

/// The model and its IR, parsed and built.
fn service(json: &str) -> (crate::model::Model, crate::ir::Service) {
    let model = crate::model::parse(json).unwrap();
    let svc = crate::ir::build(&model, &Default::default()).unwrap();
    (model, svc)
}

/// The parse step alone (no emission): the case's values typed against the shapes, its
/// test named.
#[test]
fn params_become_typed_values_and_tests_get_their_names() {
    let (m, svc) = service(&model(
        &request_case(r#"{"Name": "x", "Count": 3, "Gone": null}"#),
        &format!(r#"{MEMBERS}, "Gone": {{ "target": "smithy.api#String" }}"#),
    ));
    let suite = build(&m, &svc, "aws.protocols#awsQuery", None).unwrap();
    let [group] = &suite.groups[..] else {
        panic!("one group: {suite:?}")
    };
    assert_eq!(group.module, "smithy");
    let [case] = &group.cases[..] else {
        panic!("one case: {group:?}")
    };
    assert_eq!(case.fn_name, "my_case_request");
    assert_eq!(case.operation.module, "op");
    assert_eq!(case.operation.error_enum, "OpError");
    let Run::Request {
        endpoint,
        input,
        expected,
    } = &case.run
    else {
        panic!("a request: {case:?}")
    };
    assert_eq!(endpoint, "https://example.com");
    assert_eq!(expected.method, "POST");
    let field = |rust_name: &str, value| Field {
        rust_name: rust_name.into(),
        boxed: false,
        value,
    };
    assert_eq!(
        *input,
        TestValue::Struct {
            shape: "t#OpInput".into(),
            fields: vec![
                field("name", TestValue::String("x".into())),
                field("count", TestValue::Integer(3)),
            ],
        }
    );
}

/// A value that does not fit its shape is an error of the parse step, naming the case, its
/// operation and where the value is: found before anything is emitted.
#[test]
fn a_value_that_does_not_fit_is_rejected_by_the_parse_step() {
    for (params, wants) in [
        (
            r#"{"Count": 3.5}"#,
            "params.Count: expected an integer in range",
        ),
        (
            r#"{"Count": 2147483648}"#,
            "params.Count: expected an integer in range",
        ),
        (r#"{"Name": ["x"]}"#, "params.Name: expected a string"),
        (r#"["x"]"#, "params: expected an object"),
        (
            r#"{"Name": "x", "Other": 1}"#,
            "`Other` is not a member of t#OpInput",
        ),
    ] {
        let (m, svc) = service(&model(&request_case(params), MEMBERS));
        match build(&m, &svc, "aws.protocols#awsQuery", None) {
            Err(Error::Case { id, message }) => {
                assert_eq!(id, "smithy/MyCase (request)", "{params}");
                assert!(message.starts_with("t#Op: "), "{message}");
                assert!(message.contains(wants), "{params}: {message}");
            }
            other => panic!("{params}: expected a case error, got {other:?}"),
        }
    }
}

/// A field this generator does not read is rejected, naming the case, in both formats.
#[test]
fn unknown_keys_are_rejected_with_the_case_id() {
    let traits = r#""smithy.test#httpRequestTests": [{ "id": "Extra", "protocol": "aws.protocols#awsQuery", "method": "POST", "uri": "/", "bodyy": "" }]"#;
    let (m, svc) = service(&model(traits, MEMBERS));
    let msg = build(&m, &svc, "aws.protocols#awsQuery", None)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("smithy/Extra (request)"), "{msg}");
    assert!(msg.contains("the case has field `bodyy`"), "{msg}");

    let (m, svc) = service(&model("", MEMBERS));
    for (case, wants) in [
        (
            serde_json::json!({ "id": "R", "kind": "request", "operation": "x#Op",
                "request": { "method": "POST", "uri": "/", "bodyy": "" } }),
            ("botocore/R (request)", "`request` has field `bodyy`"),
        ),
        (
            serde_json::json!({ "id": "S", "kind": "response", "operation": "x#Op",
                "response": { "status": 200, "stauts": 1 } }),
            ("botocore/S (response)", "`response` has field `stauts`"),
        ),
        (
            serde_json::json!({ "id": "E", "kind": "error", "operation": "x#Op",
                "response": { "status": 400 }, "expected_error": { "kode": "X" } }),
            ("botocore/E (error)", "`expected_error` has field `kode`"),
        ),
        (
            serde_json::json!({ "id": "C", "kind": "request", "operation": "x#Op", "oops": 1,
                "request": { "method": "POST", "uri": "/" } }),
            ("botocore/C (request)", "the case has field `oops`"),
        ),
    ] {
        let doc = extra(serde_json::json!([case]));
        match build(&m, &svc, "aws.protocols#awsQuery", Some(&doc)) {
            Err(Error::Case { id, message }) => {
                assert_eq!(id, wants.0);
                assert!(message.contains(wants.1), "{message}");
            }
            other => panic!("expected a case error for {}, got {other:?}", wants.0),
        }
    }
}

/// Values nest at most `MAX_TEST_VALUE_NESTING` levels: resolving one deeper is an error
/// (the parse step checks the raw JSON first; this is the typed conversion's own bound).
#[test]
fn typed_values_are_bounded_in_depth() {
    let members =
        r#""Child": { "target": "t#OpInput" }, "Name": { "target": "smithy.api#String" }"#;
    let (_, svc) = service(&model("", members));
    let nested = |levels: usize| {
        let mut v = serde_json::json!({ "Name": "x" });
        for _ in 1..levels {
            v = serde_json::json!({ "Child": v });
        }
        v
    };
    let fits = values::resolve(&svc, "t#OpInput", &nested(MAX_TEST_VALUE_NESTING), "params");
    assert!(fits.is_ok(), "{fits:?}");
    let msg = values::resolve(
        &svc,
        "t#OpInput",
        &nested(MAX_TEST_VALUE_NESTING + 1),
        "params",
    )
    .unwrap_err();
    assert!(msg.contains("nests more than 16 levels"), "{msg}");
    // Through the whole step, the raw value's depth is reported first.
    let traits = request_case(&nested(MAX_TEST_VALUE_NESTING + 1).to_string());
    let (m, svc) = service(&model(&traits, members));
    match build(&m, &svc, "aws.protocols#awsQuery", None) {
        Err(Error::Case { id, message }) => {
            assert_eq!(id, "smithy/MyCase");
            assert!(
                message.contains("`params` nests 17 levels deep"),
                "{message}"
            );
        }
        other => panic!("expected a case error, got {other:?}"),
    }
}
