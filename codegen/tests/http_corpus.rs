//! HTTP bindings over the shared corpus of AWS models: every model's IR builds (no AWS model is
//! refused for its `@http` binding or a member's location), and the bindings it carries are
//! counted: operations with `@http`, labels (greedy ones too), query literals and members by
//! location, with the number of models using each, which must agree with what the model
//! files say.
//!
//! The corpus is `AWS_QUERY_SHARED_DIR/models`, else `<workspace>/../shared/models`; without
//! it the test says so loudly and passes.

use std::collections::BTreeMap;

use codegen::ir::{self, Location};
use serde_json::Value;

/// The name of a location, for counting.
fn kind(l: &Location) -> &'static str {
    match l {
        Location::Body => "body",
        Location::Label => "httpLabel",
        Location::Query(_) => "httpQuery",
        Location::QueryParams => "httpQueryParams",
        Location::Header(_) => "httpHeader",
        Location::PrefixHeaders(_) => "httpPrefixHeaders",
        Location::Payload => "httpPayload",
        Location::ResponseCode => "httpResponseCode",
    }
}

/// The location traits any member of the model file applies.
fn traits_in_file(doc: &Value) -> Vec<&'static str> {
    let names = [
        "httpLabel",
        "httpQuery",
        "httpQueryParams",
        "httpHeader",
        "httpPrefixHeaders",
        "httpPayload",
        "httpResponseCode",
    ];
    let shapes = doc["shapes"].as_object().cloned().unwrap_or_default();
    names
        .into_iter()
        .filter(|n| {
            let t = format!("smithy.api#{n}");
            shapes.values().any(|s| {
                s["members"]
                    .as_object()
                    .is_some_and(|m| m.values().any(|m| m["traits"].get(&t).is_some()))
            })
        })
        .collect()
}

fn models_ir_has(svc: &ir::Service, k: &str) -> bool {
    svc.shapes
        .values()
        .any(|s| s.kind.members().iter().any(|m| kind(&m.location) == k))
}

#[test]
fn every_corpus_model_builds_with_its_http_bindings() {
    let Some(files) =
        codegen::test_support::shared_models("no http binding of the aws models is checked")
    else {
        return;
    };
    let mut failures = Vec::new();
    // Member counts by location, and models using each (from the IR and from the files).
    let mut members: BTreeMap<&str, usize> = BTreeMap::new();
    let mut models_ir: BTreeMap<&str, usize> = BTreeMap::new();
    let mut models_file: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut models, mut with_http, mut ops, mut http_ops) = (0, 0, 0, 0);
    let (mut labels, mut greedy, mut query_literals, mut non_200) = (0, 0, 0, 0);
    for f in &files {
        let text = std::fs::read_to_string(f).expect("a model reads");
        let doc: Value = serde_json::from_str(&text).expect("a model is JSON");
        let built = codegen::model::parse(&text)
            .and_then(|m| ir::build(&m, &ir::BuildOptions::default()).map(|svc| (m, svc)));
        let (model, svc) = match built {
            Ok(built) => built,
            Err(e) => {
                failures.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        models += 1;
        ops += svc.operations.len();
        let mut any_http = false;
        for op in &svc.operations {
            let Some(http) = &op.http else { continue };
            any_http = true;
            http_ops += 1;
            labels += http.uri.labels().count();
            greedy += http.uri.labels().filter(|l| l.greedy).count();
            query_literals += http.query_literals.len();
            non_200 += usize::from(http.code != 200);
        }
        with_http += usize::from(any_http);
        let mut used = Vec::new();
        for shape in svc.shapes.values() {
            for m in shape.kind.members() {
                let k = kind(&m.location);
                // The IR's location is the one trait the model file gives the member.
                let declared = match model.shapes.get(&shape.id) {
                    Some(
                        codegen::model::Shape::Structure { members, .. }
                        | codegen::model::Shape::Union { members, .. },
                    ) => members
                        .iter()
                        .find(|(n, _)| *n == m.wire_name)
                        .map(|(_, mm)| {
                            mm.traits
                                .keys()
                                .filter_map(|t| t.strip_prefix("smithy.api#"))
                                .filter(|t| t.starts_with("http") && *t != "httpError")
                                .collect::<Vec<_>>()
                        }),
                    _ => None,
                };
                if let Some(declared) = declared {
                    let want: Vec<&str> = if k == "body" { vec![] } else { vec![k] };
                    if declared != want {
                        failures.push(format!(
                            "{}: {}${}: the IR says {k}, the model {declared:?}",
                            f.display(),
                            shape.id,
                            m.wire_name
                        ));
                    }
                }
                if k != "body" {
                    *members.entry(k).or_default() += 1;
                    if !used.contains(&k) {
                        used.push(k);
                    }
                }
            }
        }
        for k in used {
            *models_ir.entry(k).or_default() += 1;
        }
        for k in traits_in_file(&doc) {
            *models_file.entry(k).or_default() += 1;
            if !models_ir_has(&svc, k) {
                let name = f
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned();
                eprintln!(
                    "http_corpus: {name} applies @{k}, but to no member the IR carries (see its omissions)"
                );
                // Only a model whose IR leaves something out (an event stream operation, say)
                // may lose a location.
                if svc.omissions.is_empty() {
                    failures.push(format!("{name}: @{k} is lost without an omission"));
                }
            }
        }
    }
    eprintln!(
        "http_corpus: {models} of {} models built; {with_http} with @http operations; \
         {http_ops} of {ops} operations with @http ({labels} labels, {greedy} greedy, \
         {query_literals} query literals, {non_200} with a code other than 200)",
        files.len()
    );
    for (k, n) in &members {
        eprintln!(
            "http_corpus: @{k}: {n} members in {} models (the model files: {})",
            models_ir.get(k).copied().unwrap_or(0),
            models_file.get(k).copied().unwrap_or(0)
        );
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(http_ops > 0 && labels > 0 && greedy > 0);
}
