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
fn aws_json_services_generate_with_the_json_codec() {
    for (protocol, content_type) in [
        ("aws.protocols#awsJson1_0", "V1_0"),
        ("aws.protocols#awsJson1_1", "V1_1"),
    ] {
        let mut traits = query_traits();
        let t = traits.as_object_mut().unwrap();
        t.remove("aws.protocols#awsQuery");
        t.insert(protocol.into(), json!({}));
        // HTTP binding traits do not apply to awsJson: a header-bound member (DynamoDB has one)
        // is written into the body like any other.
        let input = json!({
            "example#OpInput": {
                "type": "structure",
                "members": {
                    "Name": { "target": "smithy.api#String" },
                    "Token": { "target": "smithy.api#String", "traits": { "smithy.api#httpHeader": "x-token" } },
                },
            },
        });
        let (files, summary) =
            codegen::generate(&model(traits, input), &codegen::Options::default()).unwrap();
        assert_eq!(summary.operations, 1);
        assert_eq!(summary.protocol_feature, "aws-json");
        let ser = files.iter().find(|f| f.path == "ser.rs").unwrap();
        assert!(
            ser.contents.contains("aws_json::write_request"),
            "{}",
            ser.contents
        );
        assert!(ser.contents.contains(content_type), "{}", ser.contents);
        assert!(ser.contents.contains("\"Svc.Op\""), "{}", ser.contents);
        assert!(
            ser.contents
                .contains("o.member(\"Token\", self.token.as_ref())"),
            "{}",
            ser.contents
        );
    }
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

/// Unions generate (issue 16); what awsQuery cannot carry in one is one error naming the member.
#[test]
fn unions_generate_and_what_awsquery_cannot_send_is_named() {
    let union = |members: Value| {
        json!({
            "example#OpInput": {
                "type": "structure",
                "members": { "Choice": { "target": "example#Choice" } },
            },
            "example#Choice": { "type": "union", "members": members },
        })
    };
    let ok = union(json!({
        "A": { "target": "smithy.api#String" },
        "B": { "target": "smithy.api#Integer" },
    }));
    let (files, _) =
        codegen::generate(&model(query_traits(), ok), &codegen::Options::default()).unwrap();
    let types = files.iter().find(|f| f.path == "types.rs").unwrap();
    assert!(
        types.contents.contains("pub enum Choice {"),
        "{}",
        types.contents
    );

    // A member without a value is left out of the union (visibly), not the service.
    let unit = union(json!({
        "A": { "target": "smithy.api#String" },
        "Nothing": { "target": "smithy.api#Unit" },
    }));
    let (files, summary) =
        codegen::generate(&model(query_traits(), unit), &codegen::Options::default()).unwrap();
    let omitted: Vec<String> = summary.omissions.iter().map(|o| o.to_string()).collect();
    assert_eq!(
        omitted,
        [
            "member example#Choice$Nothing: union members without a value (smithy.api#Unit) are not supported yet"
        ]
    );
    let types = files.iter().find(|f| f.path == "types.rs").unwrap();
    assert!(
        types
            .contents
            .contains("Not generated: the member `Nothing` of the model"),
        "{}",
        types.contents
    );

    let flattened = union(json!({
        "A": { "target": "example#Strings", "traits": { "smithy.api#xmlFlattened": {} } },
    }));
    let mut flattened = flattened;
    flattened["example#Strings"] =
        json!({ "type": "list", "member": { "target": "smithy.api#String" } });
    let e = error_of(&model(query_traits(), flattened));
    assert_mentions(&e, &["example#Choice$A", "unsupported", "@xmlFlattened"]);

    let empty = union(json!({}));
    let e = error_of(&model(query_traits(), empty));
    assert_mentions(&e, &["example#Choice", "at least one member"]);
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
fn streaming_operations_are_left_out_of_an_awsquery_client() {
    let extra = json!({
        "example#Svc": {
            "type": "service",
            "version": "2020-01-01",
            "operations": [{ "target": "example#Op" }, { "target": "example#Other" }],
            "traits": query_traits(),
        },
        "example#OpInput": {
            "type": "structure",
            "members": { "Body": { "target": "example#Stream" } },
        },
        "example#Stream": { "type": "blob", "traits": { "smithy.api#streaming": {} } },
        "example#Other": { "type": "operation" },
    });
    let (files, summary) = codegen::generate(
        &model(query_traits(), extra.clone()),
        &codegen::Options::default(),
    )
    .unwrap();
    let omitted: Vec<String> = summary.omissions.iter().map(|o| o.to_string()).collect();
    assert_eq!(
        omitted,
        [
            "operation example#Op: streaming bodies are not supported by awsQuery (member `Body` streams)"
        ]
    );
    assert_eq!(summary.operations, 1);
    let client = files.iter().find(|f| f.path == "client.rs").unwrap();
    assert!(client.contents.contains("fn other("), "{}", client.contents);
    assert!(!client.contents.contains("fn op("), "{}", client.contents);
    // The IR keeps the operation and marks the blob: a protocol with streaming bodies sends it.
    let m = codegen::model::parse(&model(query_traits(), extra)).unwrap();
    let svc = codegen::ir::build(&m, &Default::default()).unwrap();
    assert!(svc.shape("example#Stream").streaming);
    assert_eq!(svc.operations.len(), 2);
}

/// `example#OpInput` with one member `Value` targeting `target`, plus `extra` shapes.
fn with_member(target: &str, extra: Value) -> String {
    let mut shapes = json!({
        "example#OpInput": {
            "type": "structure",
            "members": { "Value": { "target": target } },
        },
    });
    if let (Some(shapes), Some(extra)) = (shapes.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            shapes.insert(k.clone(), v.clone());
        }
    }
    model(query_traits(), shapes)
}

#[test]
fn a_list_of_itself_is_an_error() {
    let json = with_member(
        "example#Nest",
        json!({ "example#Nest": { "type": "list", "member": { "target": "example#Nest" } } }),
    );
    let e = error_of(&json);
    assert_mentions(
        &e,
        &[
            "example#Svc",
            "example#Nest",
            "contains itself",
            "structure",
        ],
    );
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn a_list_map_cycle_is_an_error() {
    let json = with_member(
        "example#Items",
        json!({
            "example#Items": { "type": "list", "member": { "target": "example#ByName" } },
            "example#ByName": {
                "type": "map",
                "key": { "target": "smithy.api#String" },
                "value": { "target": "example#Items" },
            },
        }),
    );
    let e = error_of(&json);
    assert_mentions(
        &e,
        &[
            "example#Svc",
            "example#Items",
            "example#ByName",
            "contains itself",
        ],
    );
}

#[test]
fn a_map_of_itself_is_an_error() {
    let json = with_member(
        "example#Tree",
        json!({
            "example#Tree": {
                "type": "map",
                "key": { "target": "smithy.api#String" },
                "value": { "target": "example#Tree" },
            },
        }),
    );
    let e = error_of(&json);
    assert_mentions(
        &e,
        &["example#Svc", "example#Tree", "a map that contains itself"],
    );
}

#[test]
fn map_keys_must_be_strings() {
    let json = with_member(
        "example#Keys",
        json!({
            "example#Keys": {
                "type": "map",
                "key": { "target": "example#Keys" },
                "value": { "target": "smithy.api#String" },
            },
        }),
    );
    let e = error_of(&json);
    assert_mentions(&e, &["example#Keys$key", "string", "example#Keys`"]);
}

#[test]
fn recursion_through_a_structure_is_fine() {
    // `Node { children: [Node] }`: allowed (the list allocates).
    let json = with_member(
        "example#Node",
        json!({
            "example#Node": {
                "type": "structure",
                "members": { "Children": { "target": "example#Nodes" } },
            },
            "example#Nodes": { "type": "list", "member": { "target": "example#Node" } },
        }),
    );
    codegen::generate_with_service_context(&json, &codegen::Options::default()).unwrap();
}

#[test]
fn deeply_nested_collections_are_an_error() {
    // 200 lists, each of the next: not a cycle, but deeper than the generator allows.
    let e = error_of(&with_member("example#L0", nested_collections(200)));
    assert_mentions(
        &e,
        &[
            "example#Svc",
            "example#L0",
            "nested 200 levels",
            "at most 32",
        ],
    );
}

/// `example#L0` .. `example#L{n-1}`: lists and maps by turns, each holding the next, the last
/// holding strings.
fn nested_collections(n: usize) -> Value {
    let mut extra = serde_json::Map::new();
    for i in 0..n {
        let next = if i + 1 == n {
            "smithy.api#String".to_owned()
        } else {
            format!("example#L{}", i + 1)
        };
        let shape = if i % 2 == 0 {
            json!({ "type": "list", "member": { "target": next } })
        } else {
            json!({ "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": next } })
        };
        extra.insert(format!("example#L{i}"), shape);
    }
    Value::Object(extra)
}

/// Generates `json` (with protocol tests) on a thread with a 2 MiB stack (what spawned threads
/// get by default; `cargo xtask codegen` runs on a main thread of 8 MiB).
fn generate_on_small_stack(json: String) -> Result<(), String> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let opts = codegen::Options {
                protocol_tests: true,
                ..Default::default()
            };
            codegen::generate_with_service_context(&json, &opts)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn collections_nested_to_the_limit_generate() {
    let json = with_member("example#L0", nested_collections(32));
    generate_on_small_stack(json).unwrap();
}

#[test]
fn deeply_nested_documentation_loses_its_markup() {
    let json = with_member("smithy.api#String", json!({})).replacen(
        "\"type\": \"structure\",",
        &format!(
            "\"type\": \"structure\", \"traits\": {{ \"smithy.api#documentation\": \"{}deep{}\" }},",
            "<b>".repeat(100_000),
            "</b>".repeat(3)
        ),
        1,
    );
    generate_on_small_stack(json).unwrap();
}

#[test]
fn deeply_nested_protocol_test_values_are_errors() {
    let mut params = json!({ "Name": "x" });
    for _ in 0..40 {
        params = json!({ "Child": params });
    }
    let extra = json!({
        "example#Op": {
            "type": "operation",
            "input": { "target": "example#Node" },
            "traits": { "smithy.test#httpRequestTests": [{
                "id": "Deep", "protocol": "aws.protocols#awsQuery", "method": "POST", "uri": "/",
                "params": params,
            }] },
        },
        "example#Node": {
            "type": "structure",
            "members": {
                "Child": { "target": "example#Node" },
                "Name": { "target": "smithy.api#String" },
            },
        },
    });
    let e = generate_on_small_stack(model(query_traits(), extra)).unwrap_err();
    assert_mentions(
        &e,
        &["example#Svc", "Deep", "params", "41 levels", "at most 16"],
    );
}

#[test]
fn wide_examples_are_left_out() {
    let extra = json!({
        "example#Op": {
            "type": "operation",
            "input": { "target": "example#OpInput" },
            "traits": { "smithy.api#examples": [
                { "title": "Wide", "input": { "Names": vec!["x"; 20_000] } },
                { "title": "Narrow", "input": { "Names": ["x", "y"] } },
            ] },
        },
        "example#OpInput": {
            "type": "structure",
            "members": { "Names": { "target": "example#Names" } },
        },
        "example#Names": { "type": "list", "member": { "target": "smithy.api#String" } },
    });
    let json = model(query_traits(), extra);
    let (files, _) = codegen::generate(&json, &codegen::Options::default()).unwrap();
    let client = files.iter().find(|f| f.path == "client.rs").unwrap();
    assert!(client.contents.contains("Example: Narrow"));
    assert!(!client.contents.contains("Example: Wide"));
}

#[test]
fn long_chains_of_structures_generate() {
    // 1000 structures, each holding the next: valid, and no recursion as deep as the chain.
    let mut extra = serde_json::Map::new();
    for i in 0..1000 {
        let members = if i == 999 {
            json!({ "Leaf": { "target": "smithy.api#String", "traits": { "smithy.api#required": {} } } })
        } else {
            json!({ "Next": { "target": format!("example#S{}", i + 1) } })
        };
        extra.insert(
            format!("example#S{i}"),
            json!({ "type": "structure", "members": members }),
        );
    }
    let json = with_member("example#S0", Value::Object(extra));
    // A thread with a small stack: recursion as deep as the chain would overflow it.
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            codegen::generate_with_service_context(&json, &codegen::Options::default()).unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
}

/// `example#OpInput$Value` targeting a shape of `kind` with `traits`.
fn constrained(kind: &str, traits: Value) -> String {
    with_member(
        "example#Bounded",
        json!({ "example#Bounded": { "type": kind, "traits": traits } }),
    )
}

#[test]
fn fractional_length_bounds_are_errors() {
    let e = error_of(&constrained(
        "string",
        json!({ "smithy.api#length": { "min": 1.5 } }),
    ));
    assert_mentions(
        &e,
        &["example#Svc", "example#Bounded", "@length", "min", "1.5"],
    );
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn huge_length_bounds_are_errors() {
    let e = error_of(&constrained(
        "string",
        json!({ "smithy.api#length": { "max": 1e30 } }),
    ));
    assert_mentions(&e, &["example#Bounded", "@length", "max", "1e+30"]);
}

#[test]
fn negative_or_non_numeric_length_bounds_are_errors() {
    let e = error_of(&constrained(
        "string",
        json!({ "smithy.api#length": { "min": -1 } }),
    ));
    assert_mentions(&e, &["example#Bounded", "@length", "min", "-1"]);
    let e = error_of(&constrained(
        "blob",
        json!({ "smithy.api#length": { "max": "ten" } }),
    ));
    assert_mentions(&e, &["example#Bounded", "@length", "max", "\"ten\""]);
    let e = error_of(&constrained("string", json!({ "smithy.api#length": 3 })));
    assert_mentions(&e, &["example#Bounded", "@length", "object"]);
}

#[test]
fn inverted_bounds_are_errors() {
    let e = error_of(&constrained(
        "string",
        json!({ "smithy.api#length": { "min": 5, "max": 2 } }),
    ));
    assert_mentions(&e, &["example#Bounded", "@length", "min 5", "max 2"]);
    let e = error_of(&constrained(
        "integer",
        json!({ "smithy.api#range": { "min": 10, "max": -10 } }),
    ));
    assert_mentions(&e, &["example#Bounded", "@range", "min 10", "max -10"]);
}

#[test]
fn range_bounds_must_fit_the_type() {
    let e = error_of(&constrained(
        "byte",
        json!({ "smithy.api#range": { "max": 300 } }),
    ));
    assert_mentions(
        &e,
        &["example#Svc", "example#Bounded", "@range", "300", "byte"],
    );
    let e = error_of(&constrained(
        "integer",
        json!({ "smithy.api#range": { "min": 0.5 } }),
    ));
    assert_mentions(&e, &["example#Bounded", "@range", "0.5", "integer"]);
    let e = error_of(&constrained(
        "long",
        json!({ "smithy.api#range": { "max": 1e30 } }),
    ));
    assert_mentions(&e, &["example#Bounded", "@range", "1e+30", "long"]);
    let e = error_of(&constrained(
        "float",
        json!({ "smithy.api#range": { "max": 1e300 } }),
    ));
    assert_mentions(&e, &["example#Bounded", "@range", "float"]);
    // A bound on a member is checked against the member's target.
    let json = with_member(
        "smithy.api#Short",
        json!({}),
    )
    .replacen(
        "\"target\": \"smithy.api#Short\"",
        "\"target\": \"smithy.api#Short\", \"traits\": { \"smithy.api#range\": { \"min\": -40000 } }",
        1,
    );
    let e = error_of(&json);
    assert_mentions(&e, &["example#OpInput$Value", "@range", "-40000", "short"]);
    // What does fit generates.
    for (kind, range) in [
        ("byte", json!({ "min": -128, "max": 127 })),
        (
            "long",
            json!({ "min": -9223372036854775808i64, "max": 9223372036854775807i64 }),
        ),
        ("double", json!({ "min": -0.5, "max": 1e300 })),
        ("float", json!({ "min": 0.25 })),
    ] {
        let json = constrained(kind, json!({ "smithy.api#range": range }));
        codegen::generate_with_service_context(&json, &codegen::Options::default())
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
}

#[test]
fn names_that_are_not_identifiers_still_generate() {
    // Not valid Smithy identifiers, but the generator must not panic on them.
    let json = with_member("smithy.api#String", json!({})).replacen("\"Value\"", "\"Ⓐ²\"", 1);
    match codegen::generate_with_service_context(&json, &codegen::Options::default()) {
        Ok(_) => {}
        Err(e) => assert!(!e.to_string().contains('\n'), "{e}"),
    }
}

#[test]
fn errors_are_one_line_whatever_the_model_holds() {
    // A shape id with a newline in it, dangling.
    let json = with_member("example#Line\nBreak", json!({}));
    let e = error_of(&json);
    assert!(!e.contains('\n'), "{e}");
    assert_mentions(&e, &["example#OpInput$Value", "example#Line\\u{a}Break"]);
}

#[test]
fn waiters_must_fit_smithy_rules() {
    let waiter = |name: &str, min: u64| {
        json!({
            "example#Op": {
                "type": "operation",
                "input": { "target": "example#OpInput" },
                "traits": { "smithy.waiters#waitable": { name: {
                    "minDelay": min,
                    "acceptors": [{ "state": "success", "matcher": { "success": true } }],
                } } },
            },
        })
    };
    let e = error_of(&model(query_traits(), waiter("1stTry", 2)));
    assert_mentions(&e, &["example#Op", "waiter name `1stTry`"]);
    let e = error_of(&model(query_traits(), waiter("Done", 0)));
    assert_mentions(&e, &["example#Op", "waiter Done", "minDelay 0"]);
    let e = error_of(&model(query_traits(), waiter("Done", 500)));
    assert_mentions(&e, &["example#Op", "waiter Done", "maxDelay 120"]);
}

#[test]
fn wide_fan_out_keeps_the_robustness_samples_small() {
    // S0 has 10 members of type S1, S1 10 of type S2, ..., S11 10 strings: 10^12 leaves if a
    // sample followed every path.
    let mut extra = serde_json::Map::new();
    for i in 0..12 {
        let next = if i == 11 {
            "smithy.api#String".to_owned()
        } else {
            format!("example#S{}", i + 1)
        };
        let members: serde_json::Map<String, Value> = (0..10)
            .map(|m| (format!("M{m}"), json!({ "target": next })))
            .collect();
        extra.insert(
            format!("example#S{i}"),
            json!({ "type": "structure", "members": members }),
        );
    }
    extra.insert(
        "example#Op".into(),
        json!({ "type": "operation", "input": { "target": "example#OpInput" }, "output": { "target": "example#S0" } }),
    );
    let json = model(query_traits(), Value::Object(extra));
    let (files, _) = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || codegen::generate_with_service_context(&json, &Default::default()))
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    let robustness = files
        .iter()
        .find(|f| f.path == "robustness.rs")
        .expect("robustness.rs");
    assert!(
        robustness.contents.len() < 1 << 20,
        "{} bytes",
        robustness.contents.len()
    );
}

/// A `@pattern` the generated client cannot check (look-around, a back-reference, text that
/// is not ECMA-262) never refuses the service: it is left out of validation, listed as an
/// omission naming where it is declared, and the item's docs say so.
#[test]
fn patterns_that_cannot_be_checked_are_left_out_visibly() {
    let cases = [
        (
            "^(?!aws:)[a-z:]+$",
            "look-around is not supported by the regex engine",
        ),
        ("^(a)\\1$", "back-references are not supported"),
        (
            "^(unclosed$",
            "not a valid ECMA-262 regular expression: an unclosed `(`",
        ),
        ("^[\\p{Alnum}]+$", "is not an ECMA-262 Unicode property"),
    ];
    for (pattern, why) in cases {
        // On the shape, and (another pattern) on the member.
        let json = model(
            query_traits(),
            json!({
                "example#OpInput": {
                    "type": "structure",
                    "members": {
                        "Value": { "target": "example#Bounded" },
                        "Name": {
                            "target": "smithy.api#String",
                            "traits": { "smithy.api#pattern": pattern },
                        },
                        "Checked": {
                            "target": "smithy.api#String",
                            "traits": { "smithy.api#pattern": "^[a-z]+\\b$" },
                        },
                    },
                },
                "example#Bounded": { "type": "string", "traits": { "smithy.api#pattern": pattern } },
            }),
        );
        let (files, summary) =
            codegen::generate_with_service_context(&json, &codegen::Options::default())
                .unwrap_or_else(|e| panic!("{pattern}: {e}"));
        let omitted: Vec<(&str, &str)> = summary
            .omissions
            .iter()
            .map(|o| (o.item.as_str(), o.reason.as_str()))
            .collect();
        let text = format!(
            "Pattern `{}` is not checked client-side: ",
            pattern.replace('`', "'")
        );
        assert_eq!(omitted.len(), 2, "{pattern}: {omitted:?}");
        for ((item, reason), want) in omitted
            .iter()
            .zip(["example#Bounded", "example#OpInput$Name"])
        {
            assert_eq!(*item, want);
            assert!(
                reason.starts_with(&text) && reason.contains(why),
                "{reason}"
            );
            assert!(
                summary
                    .omissions
                    .iter()
                    .all(|o| o.kind == codegen::ir::OmissionKind::Pattern)
            );
        }
        let file = |path: &str| {
            &files
                .iter()
                .find(|f| f.path == path)
                .unwrap_or_else(|| panic!("{path}"))
                .contents
        };
        // Not checked; the other member's pattern (an ASCII `\b`) still is.
        let validate = file("validate.rs");
        let source_literal = format!("{pattern:?}");
        assert!(!validate.contains(&source_literal), "{validate}");
        assert!(validate.contains(r#""^[a-z]+\\b$""#), "{validate}");
        assert_eq!(validate.matches("out.pattern(").count(), 1, "{validate}");
        // The docs say so, on the member and on the shape.
        let docs: String = files.iter().map(|f| f.contents.as_str()).collect();
        let said = docs.matches("is not checked client-side").count();
        assert!(said >= 2, "{pattern}: said {said} times");
        assert!(docs.contains(why), "{pattern}");
    }
    // Unicode classes are checked, rewritten as ranges.
    let json = constrained("string", json!({ "smithy.api#pattern": "^[\\p{L}\\w]+$" }));
    let (files, summary) = codegen::generate(&json, &codegen::Options::default()).unwrap();
    assert!(summary.omissions.is_empty(), "{:?}", summary.omissions);
    let validate = files.iter().find(|f| f.path == "validate.rs").unwrap();
    // The classes' characters are `\u{..}` escapes of the Rust string: the source stays ASCII.
    assert!(validate.contents.is_ascii());
    assert!(validate.contents.contains("\\u{"), "{}", validate.contents);
}

#[test]
fn unknown_timestamp_formats_and_waiter_comparators_are_named() {
    let json = model(
        query_traits(),
        json!({
            "example#OpInput": {
                "type": "structure",
                "members": {
                    "When": {
                        "target": "smithy.api#Timestamp",
                        "traits": { "smithy.api#timestampFormat": "unix-millis" }
                    }
                }
            }
        }),
    );
    assert_mentions(
        &error_of(&json),
        &["example#OpInput$When", "@timestampFormat `unix-millis`"],
    );

    let json = model(
        query_traits(),
        json!({
            "example#Op": {
                "type": "operation",
                "input": { "target": "example#OpInput" },
                "output": { "target": "smithy.api#Unit" },
                "traits": { "smithy.waiters#waitable": { "Done": {
                    "acceptors": [{ "state": "success", "matcher": { "output": {
                        "path": "Name", "expected": "x", "comparator": "regexMatches"
                    } } }]
                } } }
            }
        }),
    );
    assert_mentions(&error_of(&json), &["waiter Done", "known comparator"]);
}
