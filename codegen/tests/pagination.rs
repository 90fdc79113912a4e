//! `@paginated` output paths (`outputToken`, `items`): member names separated by `.`, resolved at
//! generation time into chains of members (each step checked against the structure it reads,
//! at most `MAX_PAGINATION_PATH_DEPTH` of them), and generated paginators that read through the
//! chain. Also the real corpus: every `@paginated` operation of every shared model resolves.

use std::path::PathBuf;

use codegen::ir::{self, ItemsKind, MAX_PAGINATION_PATH_DEPTH, MemberPath, MemberRef};
use serde_json::{Value, json};

/// An awsQuery service with one operation `example#Op` carrying `@paginated` `paginated`: input
/// `Token`; output `Next` (a string), `Result` (an `example#Page`). `Page` has `Marker`,
/// `Entries` (a list), `Pairs` (a map) and `Inner`, a `Page` again (so `Inner` is a `Box`).
fn model(paginated: Value) -> String {
    let doc = json!({ "smithy": "2.0", "shapes": {
        "example#Svc": {
            "type": "service",
            "version": "2020-01-01",
            "operations": [{ "target": "example#Op" }],
            "traits": {
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
            },
        },
        "example#Op": {
            "type": "operation",
            "input": { "target": "example#OpInput" },
            "output": { "target": "example#OpOutput" },
            "traits": { "smithy.api#paginated": paginated },
        },
        "example#OpInput": {
            "type": "structure",
            "members": { "Token": { "target": "smithy.api#String" } },
        },
        "example#OpOutput": {
            "type": "structure",
            "members": {
                "Next": { "target": "smithy.api#String" },
                "Result": { "target": "example#Page" },
            },
        },
        "example#Page": {
            "type": "structure",
            "members": {
                "Marker": { "target": "smithy.api#String" },
                "Entries": { "target": "example#Entries" },
                "Pairs": { "target": "example#Pairs" },
                "Inner": { "target": "example#Page" },
            },
        },
        "example#Entries": { "type": "list", "member": { "target": "smithy.api#String" } },
        "example#Pairs": {
            "type": "map",
            "key": { "target": "smithy.api#String" },
            "value": { "target": "smithy.api#Integer" },
        },
    }});
    serde_json::to_string_pretty(&doc).unwrap()
}

fn paginated(output_token: &str, items: Option<&str>) -> String {
    let mut p = json!({ "inputToken": "Token", "outputToken": output_token });
    if let (Some(items), Some(o)) = (items, p.as_object_mut()) {
        o.insert("items".into(), json!(items));
    }
    model(p)
}

fn pagination_of(json: &str) -> ir::Pagination {
    let m = codegen::model::parse(json).unwrap();
    let svc = ir::build(&m, &ir::BuildOptions::default()).unwrap();
    svc.operations
        .into_iter()
        .next()
        .unwrap()
        .paginated
        .unwrap()
}

/// A paginator that does not resolve is left out (the operation stays): why, after the
/// operation's id, as the omission says it. A trait that is not even readable stays an error.
fn error_of(json: &str) -> String {
    let m = codegen::model::parse(json).unwrap();
    let svc = match ir::build(&m, &ir::BuildOptions::default()) {
        Ok(svc) => svc,
        Err(e) => return e.to_string(),
    };
    let op = &svc.operations[0];
    assert!(op.paginated.is_none(), "the paginator resolved");
    let reason = op.omitted_paginator.clone().expect("an omitted paginator");
    assert!(
        svc.omissions
            .iter()
            .any(|o| o.item == op.id && o.reason == reason)
    );
    format!("{}: {reason}", op.id)
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

fn result() -> MemberRef {
    member("Result", "result", "example#Page")
}

fn inner() -> MemberRef {
    member("Inner", "inner", "example#Page")
}

#[test]
fn nested_token_and_items_resolve_to_member_chains() {
    let p = pagination_of(&paginated("Result.Marker", Some("Result.Entries")));
    assert_eq!(
        p.output_token,
        MemberPath {
            via: vec![result()],
            member: member("Marker", "marker", "smithy.api#String"),
        }
    );
    assert_eq!(p.output_token.wire_path(), "Result.Marker");
    let items = p.items.unwrap();
    assert_eq!(
        items.path,
        MemberPath {
            via: vec![result()],
            member: member("Entries", "entries", "example#Entries"),
        }
    );
    assert_eq!(
        items.kind,
        ItemsKind::List {
            item: "smithy.api#String".into()
        }
    );

    // Through a boxed structure, to a map; a top-level token next to nested items.
    let p = pagination_of(&paginated("Next", Some("Result.Inner.Pairs")));
    assert_eq!(p.output_token.via, []);
    assert_eq!(p.output_token.wire_path(), "Next");
    let items = p.items.unwrap();
    assert_eq!(items.path.via, [result(), inner()]);
    assert_eq!(items.path.wire_path(), "Result.Inner.Pairs");
    assert_eq!(
        items.kind,
        ItemsKind::Map {
            key: "smithy.api#String".into(),
            value: "smithy.api#Integer".into()
        }
    );
}

#[test]
fn paths_are_bounded() {
    // `Result`, then `Inner`s, then `Marker`: `steps` members in all.
    let path = |steps: usize| {
        let mut parts = vec!["Result"];
        parts.extend(std::iter::repeat_n("Inner", steps - 2));
        parts.push("Marker");
        parts.join(".")
    };
    let p = pagination_of(&paginated(&path(MAX_PAGINATION_PATH_DEPTH), None));
    assert_eq!(p.output_token.via.len(), MAX_PAGINATION_PATH_DEPTH - 1);
    let long = path(MAX_PAGINATION_PATH_DEPTH + 1);
    let e = error_of(&paginated(&long, None));
    let most = format!("at most {MAX_PAGINATION_PATH_DEPTH}");
    assert_mentions(&e, &["example#Op", "outputToken", &long, &most]);
    // A path of thousands of steps is left out the same way, before any step is looked up.
    let huge = path(10_000);
    let e = error_of(&paginated(&huge, None));
    assert_mentions(&e, &["example#Op", "10000 members", &most]);
}

#[test]
fn bad_path_steps_are_errors_naming_the_operation_and_the_member() {
    let e = error_of(&paginated("Result.Nope", None));
    assert_mentions(
        &e,
        &[
            "example#Op",
            "outputToken",
            "`Nope`",
            "`Result.Nope`",
            "not a member of example#Page",
        ],
    );
    let e = error_of(&paginated("Next", Some("Result.Inner.Gone")));
    assert_mentions(
        &e,
        &[
            "example#Op",
            "items",
            "`Gone`",
            "not a member of example#Page",
        ],
    );
    // A step through something that is not a structure.
    let e = error_of(&paginated("Next.Marker", None));
    assert_mentions(
        &e,
        &[
            "example#Op",
            "outputToken",
            "`Next`",
            "smithy.api#String",
            "not a structure",
        ],
    );
    let e = error_of(&paginated("Next", Some("Result.Entries.Member")));
    assert_mentions(
        &e,
        &[
            "example#Op",
            "items",
            "`Entries`",
            "example#Entries",
            "not a structure",
        ],
    );
    // Empty steps.
    for bad in ["Result..Marker", "Result.", ".Marker", ""] {
        let e = error_of(&paginated(bad, None));
        assert_mentions(&e, &["example#Op", "outputToken", "not a member"]);
    }
    // The end of the path is checked like a top-level member.
    let e = error_of(&paginated("Result.Entries", None));
    assert_mentions(
        &e,
        &[
            "example#Op",
            "outputToken",
            "`Result.Entries`",
            "string and map tokens",
        ],
    );
    let e = error_of(&paginated("Next", Some("Result.Marker")));
    assert_mentions(&e, &["example#Op", "`Result.Marker`", "list or map"]);
    // inputToken and pageSize name top-level input members only.
    let e = error_of(&model(
        json!({ "inputToken": "Token.Inner", "outputToken": "Next" }),
    ));
    assert_mentions(
        &e,
        &["example#Op", "inputToken", "`Token.Inner`", "top-level"],
    );
    let e = error_of(&model(
        json!({ "inputToken": "Token", "outputToken": "Next", "pageSize": "A.B" }),
    ));
    assert_mentions(&e, &["example#Op", "pageSize", "`A.B`", "top-level"]);
}

/// The generated text with all whitespace removed (prettyplease decides where lines break).
fn squeezed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn operation_rs(json: &str) -> String {
    let (files, _) = codegen::generate(json, &codegen::Options::default()).unwrap();
    let f = files.iter().find(|f| f.path == "operation.rs").unwrap();
    f.contents.clone()
}

#[test]
fn generated_paginators_read_through_the_chain() {
    let code = operation_rs(&paginated("Result.Marker", Some("Result.Inner.Entries")));
    let flat = squeezed(&code);
    // A missing `Result` is no token: the `?` returns `None` from the closure.
    assert!(
        flat.contains("next_token:|o|o.result.as_ref()?.marker.as_ref(),"),
        "{code}"
    );
    // A missing `Result` or `Inner` (boxed, moved out of its box) is no items.
    assert!(
        flat.contains("o.result.and_then(|s|s.inner).and_then(|s|s.entries).unwrap_or_default()"),
        "{code}"
    );
    assert!(
        code.contains("following `Result.Marker`") && code.contains("`Result.Inner.Entries`"),
        "{code}"
    );

    let code = operation_rs(&paginated("Result.Inner.Marker", Some("Result.Pairs")));
    let flat = squeezed(&code);
    assert!(
        flat.contains("next_token:|o|o.result.as_ref()?.inner.as_ref()?.marker.as_ref(),"),
        "{code}"
    );
    assert!(
        flat.contains("o.result.and_then(|s|s.pairs).unwrap_or_default().into_iter().collect()"),
        "{code}"
    );

    // Top-level members read as they always have.
    let flat = squeezed(&operation_rs(&paginated("Next", None)));
    assert!(flat.contains("next_token:|o|o.next.as_ref(),"), "{flat}");
}

fn shared_models() -> Option<Vec<PathBuf>> {
    codegen::test_support::shared_models(
        "not checking @paginated paths of the shared corpus (the fixture tests still run)",
    )
}

/// The `@paginated` values of `traits` that are member paths (contain a `.`), by key.
fn dotted(traits: Option<&codegen::model::Traits>) -> Vec<(String, String)> {
    let Some(p) = traits.and_then(|t| t.get("smithy.api#paginated")) else {
        return Vec::new();
    };
    ["inputToken", "outputToken", "items", "pageSize"]
        .into_iter()
        .filter_map(|k| match p.get(k) {
            Some(Value::String(s)) if s.contains('.') => Some((k.to_owned(), s.clone())),
            _ => None,
        })
        .collect()
}

/// What the corpus test found.
#[derive(Default)]
struct Tally {
    /// Models whose whole IR built.
    built: usize,
    /// Operations built alone (`--operations`), their model's whole IR failing for a reason
    /// that is not pagination.
    built_alone: usize,
    /// Operations that could not be built even alone, for a reason that is not pagination.
    masked: Vec<String>,
    paginated: usize,
    nested: usize,
    /// Models not built whole, for a reason that is not pagination.
    other_failures: Vec<String>,
    pagination_failures: Vec<String>,
    /// Tokens that are not strings (DynamoDB's `ExclusiveStartKey` maps), page sizes that are
    /// not integers (Kinesis Video's `long`s) and items the IR left out (documents): limits of
    /// the generated paginator's types, not of paths; those paginators are left out and
    /// reported, not failed.
    type_limits: Vec<String>,
}

impl Tally {
    /// Sorts a failed build's error: `false` when it is not about pagination.
    fn pagination_error(&mut self, name: &str, e: &codegen::Error) -> bool {
        let e = e.to_string();
        if e.contains("only string tokens are supported")
            || e.contains("only integer page sizes are supported")
        {
            self.type_limits.push(format!("{name}: {e}"));
        } else if e.contains("paginat") {
            self.pagination_failures.push(format!("{name}: {e}"));
        } else {
            return false;
        }
        true
    }

    /// Checks every operation of `svc` (built from `model`) against the `@paginated` text.
    fn check(&mut self, name: &str, model: &codegen::model::Model, svc: &ir::Service) {
        let service_paths = model
            .shapes
            .get(svc.id.as_str())
            .map(|s| dotted(s.traits()))
            .unwrap_or_default();
        for op in &svc.operations {
            let traits = model.shapes.get(op.id.as_str()).and_then(|s| s.traits());
            let Some(p) = &op.paginated else {
                match &op.omitted_paginator {
                    Some(why)
                        if why.contains("only string tokens are supported")
                            || why.contains("only integer page sizes are supported")
                            || why.contains("which is left out") =>
                    {
                        self.type_limits.push(format!("{name}: {}: {why}", op.id));
                    }
                    Some(why) => self
                        .pagination_failures
                        .push(format!("{name}: {}: {why}", op.id)),
                    None => assert!(
                        traits.is_none_or(|t| !t.contains_key("smithy.api#paginated")),
                        "{name}: {} is @paginated but has no paginator",
                        op.id
                    ),
                }
                continue;
            };
            self.paginated += 1;
            let mut written = dotted(traits);
            // The service's defaults apply to the tokens and the page size.
            for (k, v) in &service_paths {
                if k != "items" && !written.iter().any(|(own, _)| own == k) {
                    written.push((k.clone(), v.clone()));
                }
            }
            for (key, value) in written {
                let resolved = match key.as_str() {
                    "outputToken" => Some(&p.output_token),
                    "items" => p.items.as_ref().map(|i| &i.path),
                    _ => None,
                };
                let resolved = resolved.unwrap_or_else(|| {
                    panic!("{name}: {} `{key}` `{value}` did not resolve", op.id)
                });
                assert_eq!(resolved.wire_path(), value, "{name}: {}", op.id);
                assert_eq!(resolved.via.len() + 1, value.split('.').count());
                self.nested += 1;
                eprintln!("{name}: {} `{key}` = `{value}` resolved", op.id);
            }
        }
    }
}

/// Every shared model builds its IR without a pagination error; every `@paginated` operation in
/// it gets a paginator, and every path the model writes (on the operation or as the service's
/// default) is resolved to a chain of exactly its steps. A model whose IR fails for another
/// reason (Smithy 1.0 enums, documents, streams) has each `@paginated` operation built alone,
/// so that its pagination is still resolved.
#[test]
fn every_paginated_operation_of_the_corpus_resolves() {
    let Some(files) = shared_models() else {
        return;
    };
    let mut t = Tally::default();
    for path in &files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        let text = std::fs::read_to_string(path).unwrap();
        let model = codegen::model::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let e = match ir::build(&model, &ir::BuildOptions::default()) {
            Ok(svc) => {
                t.built += 1;
                t.check(&name, &model, &svc);
                continue;
            }
            Err(e) => e,
        };
        if t.pagination_error(&name, &e) {
            continue;
        }
        t.other_failures.push(format!("{name}: {e}"));
        let paginated_ops = model.shapes.iter().filter(|(_, s)| {
            matches!(s, codegen::model::Shape::Operation { .. })
                && s.traits()
                    .is_some_and(|t| t.contains_key("smithy.api#paginated"))
        });
        for (id, _) in paginated_ops {
            let wire = id.rsplit('#').next().unwrap_or(id).to_owned();
            let opts = ir::BuildOptions {
                operations: Some(vec![wire]),
            };
            match ir::build(&model, &opts) {
                Ok(svc) => {
                    t.built_alone += 1;
                    t.check(&name, &model, &svc);
                }
                // Not one of the service's operations.
                Err(e) if e.to_string().contains("which the service does not have") => {}
                Err(e) => {
                    if !t.pagination_error(&name, &e) {
                        t.masked.push(format!("{name}: {e}"));
                    }
                }
            }
        }
    }
    eprintln!(
        "@paginated corpus: {} model files, {} built whole, {} operations of the others built \
         alone, {} paginated operations not reached; {} paginated operations resolved, {} nested \
         paths among them",
        files.len(),
        t.built,
        t.built_alone,
        t.masked.len(),
        t.paginated,
        t.nested,
    );
    for f in &t.other_failures {
        eprintln!("  not built whole (not pagination): {f}");
    }
    // The first reason of each model whose paginated operations could not be built alone.
    let mut masked: std::collections::BTreeMap<&str, (usize, &str)> = Default::default();
    for f in &t.masked {
        let (model, reason) = f.split_once(": ").unwrap_or((f, ""));
        masked.entry(model).or_insert((0, reason)).0 += 1;
    }
    for (model, (n, reason)) in masked {
        eprintln!(
            "  {model}: {n} paginated operations not built alone (not pagination), e.g. {reason}"
        );
    }
    for f in &t.type_limits {
        eprintln!("  not built (a token or page size of a type not supported): {f}");
    }
    assert!(
        t.pagination_failures.is_empty(),
        "pagination errors:\n{}",
        t.pagination_failures.join("\n")
    );
    // RDS and ElastiCache's DescribeEngineDefaultParameters, two paths each.
    if files.iter().any(|f| f.ends_with("rds.json")) {
        assert!(t.nested >= 2, "no nested path found in the corpus");
    }
}
