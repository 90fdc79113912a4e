//! Operation traits whose text the generator decides at generation time: `@paginated` resolved
//! to members, `@endpoint(hostPrefix)` split into literals and resolved labels, waiter paths
//! parsed into trees with typed expectations. What does not resolve is an error naming the
//! operation (and the waiter or member), never a silently dropped feature or a run-time parse;
//! a waiter whose path cannot be carried or does not fit the shapes is left out visibly (an
//! `Omission`, and a line in the operation's rustdoc).

use codegen::ir::{
    self, Expected, HostLabel, HostSegment, ItemsKind, Matcher, MemberRef, OmissionKind, PathCmp,
    PathExpr, PathFn, PathLiteral, PathStep,
};
use serde_json::{Value, json};

/// An awsQuery service `example#Svc` (with `service_traits` added) and one operation
/// `example#Op` (with `op_traits`): input `Id` (a `@hostLabel`), `Count` (an integer), `Token`;
/// output `Next`, `Items` (a list), `Pairs` (a map), `Count`.
fn model(service_traits: Value, op_traits: Value) -> String {
    let mut traits = json!({
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
    });
    if let (Some(t), Some(extra)) = (traits.as_object_mut(), service_traits.as_object()) {
        t.extend(extra.clone());
    }
    let doc = json!({ "smithy": "2.0", "shapes": {
        "example#Svc": {
            "type": "service",
            "version": "2020-01-01",
            "operations": [{ "target": "example#Op" }],
            "traits": traits,
        },
        "example#Op": {
            "type": "operation",
            "input": { "target": "example#OpInput" },
            "output": { "target": "example#OpOutput" },
            "traits": op_traits,
        },
        "example#OpInput": {
            "type": "structure",
            "members": {
                "Id": { "target": "smithy.api#String", "traits": { "smithy.api#hostLabel": {} } },
                "Plain": { "target": "smithy.api#String" },
                "Count": { "target": "smithy.api#Integer" },
                "Size": { "target": "smithy.api#Long" },
                "Token": { "target": "smithy.api#String" },
            },
        },
        "example#OpOutput": {
            "type": "structure",
            "members": {
                "Next": { "target": "smithy.api#String" },
                "Items": { "target": "example#Items" },
                "Pairs": { "target": "example#Pairs" },
                "Count": { "target": "smithy.api#Integer" },
            },
        },
        "example#Items": { "type": "list", "member": { "target": "smithy.api#String" } },
        "example#Pairs": {
            "type": "map",
            "key": { "target": "smithy.api#String" },
            "value": { "target": "smithy.api#Integer" },
        },
    }});
    serde_json::to_string_pretty(&doc).unwrap()
}

fn op_of(json: &str) -> ir::Operation {
    let m = codegen::model::parse(json).unwrap();
    let svc = ir::build(&m, &ir::BuildOptions::default()).unwrap();
    svc.operations.into_iter().next().unwrap()
}

/// Why the paginator of the one operation is left out: the IR says so (and records the
/// omission), the operation is still generated, and its docs say why.
fn paginator_left_out(json: &str) -> String {
    let m = codegen::model::parse(json).unwrap();
    let svc = ir::build(&m, &ir::BuildOptions::default()).unwrap();
    let op = &svc.operations[0];
    assert!(op.paginated.is_none());
    let reason = op
        .omitted_paginator
        .clone()
        .expect("the paginator is left out");
    assert!(
        svc.omissions
            .iter()
            .any(|o| o.kind == ir::OmissionKind::Paginator
                && o.item == op.id
                && o.reason == reason),
        "{:?}",
        svc.omissions
    );
    let (files, _) = codegen::generate(json, &codegen::Options::default()).unwrap();
    let ops = files.iter().find(|f| f.path == "client.rs").unwrap();
    assert!(
        ops.contents.contains("The paginator is not generated:"),
        "{}",
        ops.contents
    );
    format!("{}: {reason}", op.id)
}

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

fn member(wire: &str, rust: &str, target: &str) -> MemberRef {
    MemberRef {
        wire_name: wire.into(),
        rust_name: rust.into(),
        target: target.into(),
    }
}

#[test]
fn pagination_resolves_to_members_with_service_defaults() {
    let op = op_of(&model(
        json!({ "smithy.api#paginated": { "inputToken": "Token", "outputToken": "Next", "pageSize": "Plain" } }),
        json!({ "smithy.api#paginated": { "items": "Items", "pageSize": "Count" } }),
    ));
    let p = op.paginated.unwrap();
    assert_eq!(p.input_token, member("Token", "token", "smithy.api#String"));
    assert_eq!(
        p.output_token.member,
        member("Next", "next", "smithy.api#String")
    );
    assert!(p.output_token.via.is_empty());
    // The operation's own pageSize wins over the service's.
    assert_eq!(
        p.page_size,
        Some(member("Count", "count", "smithy.api#Integer"))
    );
    let items = p.items.unwrap();
    assert_eq!(items.path.member, member("Items", "items", "example#Items"));
    assert!(items.path.via.is_empty());
    assert_eq!(
        items.kind,
        ItemsKind::List {
            item: "smithy.api#String".into()
        }
    );

    let op = op_of(&model(
        json!({}),
        json!({ "smithy.api#paginated": { "inputToken": "Token", "outputToken": "Next", "items": "Pairs" } }),
    ));
    let p = op.paginated.unwrap();
    assert_eq!(p.page_size, None);
    assert_eq!(
        p.items.unwrap().kind,
        ItemsKind::Map {
            key: "smithy.api#String".into(),
            value: "smithy.api#Integer".into()
        }
    );
}

#[test]
fn pagination_that_does_not_resolve_leaves_the_paginator_out_naming_the_member() {
    let paginated = |p: Value| model(json!({}), json!({ "smithy.api#paginated": p }));
    let e = paginator_left_out(&paginated(
        json!({ "inputToken": "Nope", "outputToken": "Next" }),
    ));
    assert_mentions(
        &e,
        &[
            "example#Op",
            "inputToken",
            "`Nope`",
            "not a member of example#OpInput",
        ],
    );
    let e = paginator_left_out(&paginated(
        json!({ "inputToken": "Token", "outputToken": "Next", "items": "Gone" }),
    ));
    assert_mentions(&e, &["example#Op", "items", "`Gone`", "example#OpOutput"]);
    let e = paginator_left_out(&paginated(json!({ "inputToken": "Token" })));
    assert_mentions(&e, &["example#Op", "needs `outputToken`"]);
    // Output paths resolve step by step (tests/pagination.rs); this one's first step is not there.
    let e = paginator_left_out(&paginated(
        json!({ "inputToken": "Token", "outputToken": "Result.Next" }),
    ));
    assert_mentions(
        &e,
        &[
            "example#Op",
            "`Result`",
            "`Result.Next`",
            "example#OpOutput",
        ],
    );
    let e = paginator_left_out(&paginated(
        json!({ "inputToken": "Token", "outputToken": "Next", "items": "Count" }),
    ));
    assert_mentions(&e, &["example#Op", "`Count`", "list or map"]);
    let e = paginator_left_out(&paginated(
        json!({ "inputToken": "Count", "outputToken": "Next" }),
    ));
    assert_mentions(
        &e,
        &[
            "example#Op",
            "inputToken",
            "`Count`",
            "string and map tokens",
        ],
    );
    let e = paginator_left_out(&paginated(
        json!({ "inputToken": "Token", "outputToken": "Next", "pageSize": "Size" }),
    ));
    assert_mentions(&e, &["example#Op", "pageSize", "`Size`", "integer"]);
    let e = paginator_left_out(&paginated(
        json!({ "inputToken": 7, "outputToken": "Next" }),
    ));
    assert_mentions(&e, &["example#Op", "inputToken", "must be a string"]);
}

#[test]
fn host_prefixes_are_split_and_labels_resolved() {
    let op = op_of(&model(
        json!({}),
        json!({ "smithy.api#endpoint": { "hostPrefix": "data-{Id}." } }),
    ));
    let hp = op.host_prefix.unwrap();
    assert_eq!(hp.template, "data-{Id}.");
    assert_eq!(
        hp.segments,
        [
            HostSegment::Literal("data-".into()),
            HostSegment::Label(HostLabel {
                wire_name: "Id".into(),
                rust_name: "id".into()
            }),
            HostSegment::Literal(".".into()),
        ]
    );
    // An empty template is no prefix.
    let op = op_of(&model(
        json!({}),
        json!({ "smithy.api#endpoint": { "hostPrefix": "" } }),
    ));
    assert_eq!(op.host_prefix, None);

    let (files, _) = codegen::generate(
        &model(
            json!({}),
            json!({ "smithy.api#endpoint": { "hostPrefix": "data-{Id}." } }),
        ),
        &codegen::Options::default(),
    )
    .unwrap();
    let ser = files.iter().find(|f| f.path == "ser.rs").unwrap();
    assert!(
        ser.contents
            .contains(r#"&[Literal("data-"), Label("Id", v.id.as_deref()), Literal(".")]"#),
        "{}",
        ser.contents
    );
}

#[test]
fn host_prefixes_that_do_not_resolve_are_errors() {
    let prefix = |t: &str| {
        model(
            json!({}),
            json!({ "smithy.api#endpoint": { "hostPrefix": t } }),
        )
    };
    let e = error_of(&prefix("{Nope}."));
    assert_mentions(
        &e,
        &["example#Op", "`Nope`", "not a member of example#OpInput"],
    );
    let e = error_of(&prefix("{Id."));
    assert_mentions(&e, &["example#Op", "unclosed"]);
    let e = error_of(&prefix("{Plain}."));
    assert_mentions(&e, &["example#Op", "`Plain`", "lacks @hostLabel"]);
    let e = error_of(&prefix("a}."));
    assert_mentions(&e, &["example#Op", "without its"]);
    let e = error_of(&model(
        json!({}),
        json!({ "smithy.api#endpoint": { "hostPrefix": 3 } }),
    ));
    assert_mentions(&e, &["example#Op", "hostPrefix must be a string"]);
}

fn waiter(matcher: Value) -> String {
    model(
        json!({}),
        json!({ "smithy.waiters#waitable": { "Ready": {
            "acceptors": [{ "state": "success", "matcher": matcher }]
        } } }),
    )
}

#[test]
fn waiter_paths_and_expectations_are_typed() {
    let op = op_of(&waiter(json!({ "output": {
        "path": "length(Items[]) > `0`", "expected": "true", "comparator": "booleanEquals"
    } })));
    let path = |steps: Vec<PathStep>| PathExpr::Path(Box::new(PathExpr::Current), steps);
    assert_eq!(
        op.waiters[0].acceptors[0].matcher,
        Matcher::Output {
            path: PathExpr::Compare(
                PathCmp::Gt,
                Box::new(PathExpr::Call(
                    PathFn::Length,
                    vec![path(vec![
                        PathStep::Field("Items".into()),
                        PathStep::Flatten
                    ])]
                )),
                Box::new(PathExpr::Literal(PathLiteral::Number(0.0))),
            ),
            expected: Expected::BooleanEquals(true),
        }
    );
    let op = op_of(&waiter(json!({ "inputOutput": {
        "path": "output.Items", "expected": "x", "comparator": "anyStringEquals"
    } })));
    assert_eq!(
        op.waiters[0].acceptors[0].matcher,
        Matcher::InputOutput {
            path: path(vec![
                PathStep::Field("output".into()),
                PathStep::Field("Items".into())
            ]),
            expected: Expected::AnyStringEquals("x".into()),
        }
    );
}

/// The service built from `json`, its one operation and the omissions.
fn omissions_of(json: &str) -> (ir::Operation, Vec<ir::Omission>) {
    let m = codegen::model::parse(json).unwrap();
    let svc = ir::build(&m, &ir::BuildOptions::default()).unwrap();
    let op = svc.operations.into_iter().next().unwrap();
    (op, svc.omissions)
}

/// A waiter whose path the generator cannot carry (or that does not fit the shapes) is left
/// out, the rest of the service generated: one `Omission` naming `operation/waiter`, and the
/// operation's rustdoc says so.
fn assert_waiter_omitted(matcher: Value, parts: &[&str]) {
    let json = waiter(matcher);
    let (op, omissions) = omissions_of(&json);
    assert!(op.waiters.is_empty(), "{:?}", op.waiters);
    assert_eq!(omissions.len(), 1, "{omissions:?}");
    let o = &omissions[0];
    assert_eq!(o.kind, OmissionKind::Waiter);
    assert_eq!(o.item, "example#Op/Ready");
    for p in parts {
        assert!(o.reason.contains(p), "`{p}` missing from: {}", o.reason);
    }
    assert_eq!(
        op.omitted_waiters,
        vec![("Ready".to_owned(), o.reason.clone())]
    );
    // The client still generates, and its operation docs say what is missing.
    let (files, _) = codegen::generate_with_service_context(&json, &codegen::Options::default())
        .expect("the service generates without the waiter");
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    assert!(
        all.contains("Waiter `Ready` is not generated"),
        "no omission note in the generated docs"
    );
    assert!(!all.contains("wait_until_ready"));
}

#[test]
fn unsupported_waiter_paths_leave_the_waiter_out() {
    assert_waiter_omitted(
        json!({ "output": {
            "path": "Items[1:2]", "expected": "x", "comparator": "anyStringEquals"
        } }),
        &["acceptor 0", "slices", "Items[1:2]"],
    );
    assert_waiter_omitted(
        json!({ "output": {
            "path": "sort(Items)", "expected": "x", "comparator": "anyStringEquals"
        } }),
        &["unsupported function `sort`"],
    );
    let deep = format!("{}Next{}", "(".repeat(5000), ")".repeat(5000));
    assert_waiter_omitted(
        json!({ "output": {
            "path": deep, "expected": "x", "comparator": "stringEquals"
        } }),
        &["levels deep"],
    );
    assert_waiter_omitted(
        json!({ "somethingNew": { "path": "Next" } }),
        &["acceptor 0", "matcher the generator does not know"],
    );
    // A broken model (booleanEquals expects `true` or `false`) is still an error.
    let e = error_of(&waiter(json!({ "output": {
        "path": "Next", "expected": "yes", "comparator": "booleanEquals"
    } })));
    assert_mentions(
        &e,
        &["example#Op", "waiter Ready", "`true` or `false`", "`yes`"],
    );
}

/// One bad waiter among good ones: only it is left out.
#[test]
fn one_bad_waiter_does_not_take_the_others_along() {
    let json = model(
        json!({}),
        json!({ "smithy.waiters#waitable": {
            "Bad": { "acceptors": [{ "state": "success", "matcher": { "output": {
                "path": "Itemz[*]", "expected": "x", "comparator": "anyStringEquals"
            } } }] },
            "Good": { "acceptors": [{ "state": "success", "matcher": { "output": {
                "path": "contains(Items, 'x')", "expected": "true", "comparator": "booleanEquals"
            } } }] },
        } }),
    );
    let (op, omissions) = omissions_of(&json);
    assert_eq!(
        op.waiters
            .iter()
            .map(|w| w.name.as_str())
            .collect::<Vec<_>>(),
        ["Good"]
    );
    assert_eq!(omissions.len(), 1);
    assert_eq!(omissions[0].item, "example#Op/Bad");
    assert!(
        omissions[0]
            .reason
            .contains("`Itemz` is not a member of `OpOutput`")
    );
    let (files, _) =
        codegen::generate_with_service_context(&json, &codegen::Options::default()).unwrap();
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    assert!(all.contains("Waiter `Bad` is not generated: acceptor 0: `Itemz` is not a member"));
    assert!(all.contains("wait_until_good"));
    assert!(all.contains("Func::Contains"));
}

/// Waiter paths are checked against the shapes they read: a field the structure lacks, a
/// projection on something that is not a list or map, a function given the wrong type, an
/// ordering of non-numbers: the waiter is left out, the omission naming the acceptor and the
/// field (a typo would otherwise make the waiter poll until it times out).
#[test]
fn waiter_paths_that_do_not_fit_the_shapes_leave_the_waiter_out() {
    assert_waiter_omitted(
        json!({ "output": {
            "path": "Itemz[*]", "expected": "x", "comparator": "anyStringEquals"
        } }),
        &[
            "acceptor 0",
            "`Itemz` is not a member of `OpOutput`",
            "Next, Items, Pairs, Count",
        ],
    );
    for (key, path, parts) in [
        ("output", "Next[*]", &["`[*]` applies to", "a scalar"][..]),
        (
            "output",
            "Pairs.*.Deep",
            &["`.Deep` applies to", "a scalar"],
        ),
        (
            "inputOutput",
            "input.Nope",
            &["`Nope` is not a member of `OpInput`"],
        ),
        ("inputOutput", "Next", &["starts with `input` or `output`"]),
        ("output", "Next[]", &["`[]` applies to", "a scalar"]),
        (
            "output",
            "Items[?Foo == 'x']",
            &["in the filter", "`.Foo` applies to"],
        ),
        ("output", "Next[?@ == 'x']", &["`[?...]` applies to"]),
        ("output", "[Next, Nope]", &["`Nope` is not a member"]),
        (
            "output",
            "length(Count) > `0`",
            &["`length()` takes", "not `Integer`"],
        ),
        (
            "output",
            "contains(Pairs, 'x')",
            &["`contains()` takes", "an object"],
        ),
        ("output", "starts_with(Next, Count)", &["argument 2"]),
        ("output", "keys(Items)", &["`keys()` takes an object"]),
        (
            "output",
            "Next > `1`",
            &["`>` compares numbers", "a string"],
        ),
        (
            "output",
            "Items[*] <= `1`",
            &["`<=` compares numbers", "a projection"],
        ),
        ("output", "Next | Nope", &["`.Nope` applies to"]),
    ] {
        assert_waiter_omitted(
            json!({ key: {
                "path": path, "expected": "true", "comparator": "booleanEquals"
            } }),
            parts,
        );
    }
    // What fits passes: projections, flattening, map values, filters, multi-selects,
    // functions, comparisons, both roots.
    for (key, path) in [
        ("output", "Items[*]"),
        ("output", "Items[?@ == 'x'] | length(@) > `0`"),
        (
            "output",
            "contains(Items, 'x') && contains(Next, 'x') || starts_with(Next, 'a')",
        ),
        ("output", "[Next, Count][0] == not_null(Next, 'x')"),
        (
            "output",
            "length(Pairs) >= `1` && Pairs.* == `[1]` && !ends_with(Next, 'z')",
        ),
        (
            "output",
            "Count < `3` && max(Pairs.*) > `1` && type(Next) == 'string'",
        ),
        ("output", "length(keys(Pairs)) == length(values(Pairs))"),
        ("output", "length(Items[]) > `0` && Pairs.* != `null`"),
        ("output", "Items[0] == 'a' || !(Count == `1`)"),
        ("inputOutput", "input.Count == output.Count"),
    ] {
        let (op, omissions) = omissions_of(&waiter(json!({ key: {
            "path": path, "expected": "true", "comparator": "booleanEquals"
        } })));
        assert_eq!(op.waiters.len(), 1, "{path}: {omissions:?}");
    }
}
