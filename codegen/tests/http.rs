//! HTTP bindings in the IR: `@http` read into [`ir::HttpBinding`] with labels resolved to
//! `@httpLabel` input members, each member's [`ir::Location`], `jsonName` and `ec2QueryName`;
//! a binding that does not check is an error naming the operation and the member.

use codegen::ir::{self, Location, UriSegment};
use serde_json::{Value, json};

/// A restJson1 service with one operation `Op` whose input has `members` and whose `@http` is
/// `http`; `extra` shapes are added.
fn model(http: Value, members: Value, extra: Value) -> String {
    let mut shapes = json!({
        "ex#Svc": {
            "type": "service",
            "version": "2024-01-01",
            "operations": [{ "target": "ex#Op" }],
            "traits": { "aws.protocols#restJson1": {} },
        },
        "ex#Op": {
            "type": "operation",
            "input": { "target": "ex#OpInput" },
            "output": { "target": "ex#OpOutput" },
            "traits": { "smithy.api#http": http },
        },
        "ex#OpInput": { "type": "structure", "members": members },
        "ex#OpOutput": {
            "type": "structure",
            "members": {
                "Status": { "target": "smithy.api#Integer", "traits": { "smithy.api#httpResponseCode": {} } },
                "ETag": { "target": "smithy.api#String", "traits": { "smithy.api#httpHeader": "ETag" } },
                "Meta": { "target": "ex#StringMap", "traits": { "smithy.api#httpPrefixHeaders": "x-amz-meta-" } },
                "Body": { "target": "smithy.api#Blob", "traits": { "smithy.api#httpPayload": {} } },
            },
        },
        "ex#StringMap": {
            "type": "map",
            "key": { "target": "smithy.api#String" },
            "value": { "target": "smithy.api#String" },
        },
    });
    if let (Some(s), Some(e)) = (shapes.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    serde_json::to_string(&json!({ "smithy": "2.0", "shapes": shapes })).unwrap()
}

fn label_member(target: &str) -> Value {
    json!({ "target": target, "traits": { "smithy.api#httpLabel": {}, "smithy.api#required": {} } })
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

#[test]
fn an_http_binding_is_read_and_its_labels_resolved() {
    let json = model(
        json!({ "method": "PUT", "uri": "/{Bucket}/{Key+}?x-id=PutObject&uploads", "code": 201 }),
        json!({
            "Bucket": label_member("smithy.api#String"),
            "Key": label_member("smithy.api#String"),
            "VersionId": { "target": "smithy.api#String", "traits": { "smithy.api#httpQuery": "versionId" } },
            "Params": { "target": "ex#StringMap", "traits": { "smithy.api#httpQueryParams": {} } },
            "Type": { "target": "smithy.api#String", "traits": { "smithy.api#httpHeader": "Content-Type" } },
            "Doc": { "target": "smithy.api#String", "traits": { "smithy.api#jsonName": "doc", "aws.protocols#ec2QueryName": "DocQ" } },
        }),
        json!({}),
    );
    let svc = build(&json).unwrap();
    let op = &svc.operations[0];
    let http = op.http.as_ref().expect("@http is read");
    assert_eq!(http.method, "PUT");
    assert_eq!(http.code, 201);
    assert_eq!(http.uri.template, "/{Bucket}/{Key+}?x-id=PutObject&uploads");
    assert_eq!(
        http.query_literals,
        [
            ("x-id".to_owned(), Some("PutObject".to_owned())),
            ("uploads".to_owned(), None)
        ]
    );
    let segments: Vec<String> = http
        .uri
        .segments
        .iter()
        .map(|s| match s {
            UriSegment::Literal(t) => format!("lit {t}"),
            UriSegment::Label(l) => format!("label {} {} {}", l.wire_name, l.rust_name, l.greedy),
        })
        .collect();
    assert_eq!(
        segments,
        [
            "lit /",
            "label Bucket bucket false",
            "lit /",
            "label Key key true"
        ]
    );
    let input = svc.structure(&op.input);
    let locations: Vec<(&str, &Location)> = input
        .members
        .iter()
        .map(|m| (m.wire_name.as_str(), &m.location))
        .collect();
    assert_eq!(
        locations,
        [
            ("Bucket", &Location::Label),
            ("Key", &Location::Label),
            ("VersionId", &Location::Query("versionId".into())),
            ("Params", &Location::QueryParams),
            ("Type", &Location::Header("Content-Type".into())),
            ("Doc", &Location::Body),
        ]
    );
    let doc = &input.members[5];
    assert_eq!(doc.json_name.as_deref(), Some("doc"));
    assert_eq!(doc.ec2_query_name.as_deref(), Some("DocQ"));
    let output = svc.structure(&op.output);
    let locations: Vec<&Location> = output.members.iter().map(|m| &m.location).collect();
    assert_eq!(
        locations,
        [
            &Location::ResponseCode,
            &Location::Header("ETag".into()),
            &Location::PrefixHeaders("x-amz-meta-".into()),
            &Location::Payload,
        ]
    );
}

#[test]
fn the_code_defaults_to_200_and_operations_without_http_have_none() {
    let json = model(json!({ "method": "GET", "uri": "/" }), json!({}), json!({}));
    let svc = build(&json).unwrap();
    let http = svc.operations[0].http.as_ref().unwrap();
    assert_eq!((http.code, http.uri.segments.len()), (200, 1));
    let mini = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mini.json"
    ))
    .unwrap();
    let svc = build(&mini).unwrap();
    assert!(svc.operations.iter().all(|o| o.http.is_none()));
}

#[test]
fn labels_of_every_scalar_kind_are_carried() {
    let json = model(
        json!({ "method": "GET", "uri": "/{S}/{I}/{B}/{T}/{E}/{N}/{L}" }),
        json!({
            "S": label_member("smithy.api#String"),
            "I": label_member("smithy.api#Integer"),
            "B": label_member("smithy.api#Boolean"),
            "T": label_member("smithy.api#Timestamp"),
            "E": label_member("ex#Color"),
            "N": label_member("ex#Level"),
            "L": label_member("smithy.api#Long"),
        }),
        json!({
            "ex#Color": { "type": "enum", "members": { "RED": { "target": "smithy.api#Unit" } } },
            "ex#Level": { "type": "intEnum", "members": { "ONE": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": 1 } } } },
        }),
    );
    let svc = build(&json).unwrap();
    assert_eq!(
        svc.operations[0]
            .http
            .as_ref()
            .unwrap()
            .uri
            .labels()
            .count(),
        7
    );
}

#[test]
fn a_label_that_is_not_a_member_is_an_error() {
    let e = error_of(&model(
        json!({ "method": "GET", "uri": "/{Missing}" }),
        json!({}),
        json!({}),
    ));
    assert!(e.starts_with("ex#Op: "), "{e}");
    assert!(
        e.contains("the label `{Missing}`, which is not a member of the input ex#OpInput"),
        "{e}"
    );
}

#[test]
fn a_label_whose_member_is_not_an_http_label_is_an_error() {
    let e = error_of(&model(
        json!({ "method": "GET", "uri": "/{Id}" }),
        json!({ "Id": { "target": "smithy.api#String" } }),
        json!({}),
    ));
    assert!(
        e.contains("ex#Op: ") && e.contains("the input member `Id` is not an @httpLabel"),
        "{e}"
    );
}

#[test]
fn an_http_label_member_the_uri_lacks_is_an_error() {
    let e = error_of(&model(
        json!({ "method": "GET", "uri": "/things" }),
        json!({ "Id": label_member("smithy.api#String") }),
        json!({}),
    ));
    assert!(
        e.contains("ex#Op: ")
            && e.contains("`Id` is an @httpLabel, but the URI `/things` has no label `{Id}`"),
        "{e}"
    );
}

#[test]
fn a_greedy_label_before_another_label_is_an_error() {
    let e = error_of(&model(
        json!({ "method": "GET", "uri": "/{Key+}/{Id}" }),
        json!({ "Key": label_member("smithy.api#String"), "Id": label_member("smithy.api#String") }),
        json!({}),
    ));
    assert!(
        e.contains("ex#Op: @http: ") && e.contains("a greedy label must be the last"),
        "{e}"
    );
}

#[test]
fn labels_of_other_kinds_are_errors() {
    let e = error_of(&model(
        json!({ "method": "GET", "uri": "/{Tags}" }),
        json!({ "Tags": label_member("ex#StringMap") }),
        json!({}),
    ));
    assert!(
        e.contains(
            "the label `{Tags}` targets `ex#StringMap`: a label must target a string, number"
        ),
        "{e}"
    );
    let e = error_of(&model(
        json!({ "method": "GET", "uri": "/{N+}" }),
        json!({ "N": label_member("smithy.api#Integer") }),
        json!({}),
    ));
    assert!(e.contains("a greedy label must target a string"), "{e}");
    let e = error_of(&model(
        json!({ "method": "GET", "uri": "/{B}" }),
        json!({ "B": label_member("smithy.api#Blob") }),
        json!({}),
    ));
    assert!(
        e.contains("the label `{B}` targets `smithy.api#Blob`"),
        "{e}"
    );
}

#[test]
fn malformed_http_traits_are_errors_naming_the_operation() {
    for (http, want) in [
        (json!({ "uri": "/" }), "@http method must be a method name"),
        (
            json!({ "method": "GET" }),
            "@http uri must be a string, found nothing",
        ),
        (
            json!({ "method": "GET", "uri": "no-slash" }),
            "does not start with `/`",
        ),
        (
            json!({ "method": "GET", "uri": "/", "code": 99 }),
            "@http code must be an HTTP status",
        ),
        (
            json!({ "method": "GET", "uri": "/", "code": "200" }),
            "@http code must be an HTTP status",
        ),
        (
            json!({ "method": "G ET", "uri": "/" }),
            "@http method must be a method name",
        ),
    ] {
        let e = error_of(&model(http.clone(), json!({}), json!({})));
        assert!(e.starts_with("ex#Op: ") && e.contains(want), "{http}: {e}");
    }
}

#[test]
fn two_location_traits_on_a_member_are_an_error_naming_it() {
    let e = error_of(&model(
        json!({ "method": "GET", "uri": "/" }),
        json!({ "X": { "target": "smithy.api#String", "traits": { "smithy.api#httpHeader": "X", "smithy.api#httpQuery": "x" } } }),
        json!({}),
    ));
    assert!(
        e.starts_with("ex#OpInput$X: has more than one HTTP location trait"),
        "{e}"
    );
}

#[test]
fn payload_and_response_code_members_are_checked() {
    let two = model(
        json!({ "method": "PUT", "uri": "/" }),
        json!({
            "A": { "target": "smithy.api#Blob", "traits": { "smithy.api#httpPayload": {} } },
            "B": { "target": "smithy.api#Blob", "traits": { "smithy.api#httpPayload": {} } },
        }),
        json!({}),
    );
    let e = error_of(&two);
    assert!(
        e.starts_with("ex#OpInput$B: is an @httpPayload, and so is `A`"),
        "{e}"
    );
    let beside = model(
        json!({ "method": "PUT", "uri": "/" }),
        json!({
            "A": { "target": "smithy.api#Blob", "traits": { "smithy.api#httpPayload": {} } },
            "B": { "target": "smithy.api#String" },
        }),
        json!({}),
    );
    let e = error_of(&beside);
    assert!(
        e.starts_with("ex#OpInput$B: is bound to the body, but `A` is the @httpPayload"),
        "{e}"
    );
    let code = model(
        json!({ "method": "PUT", "uri": "/" }),
        json!({ "C": { "target": "smithy.api#String", "traits": { "smithy.api#httpResponseCode": {} } } }),
        json!({}),
    );
    let e = error_of(&code);
    assert!(
        e.starts_with("ex#OpInput$C: is an @httpResponseCode but targets `smithy.api#String`"),
        "{e}"
    );
}
