//! Every waiter path of every model in the shared corpus parses: the JMESPath the AWS models'
//! waiters use is all carried. Where a model builds, none of its waiters is left out for a
//! path the parser cannot read (those left out because a path does not fit the shapes are
//! listed).
//!
//! The corpus is `AWS_QUERY_SHARED_DIR/models`, else `<workspace>/../shared/models`; without
//! it the test says so loudly and passes.

use codegen::ir::{self, OmissionKind, waiter_path};
use serde_json::Value;

/// `(model file, operation, waiter, path)` of every path matcher in `doc`.
fn paths_of(file: &str, doc: &Value, out: &mut Vec<(String, String, String, String)>) {
    let Some(shapes) = doc.get("shapes").and_then(Value::as_object) else {
        return;
    };
    for (id, shape) in shapes {
        let Some(waiters) = shape
            .pointer("/traits/smithy.waiters#waitable")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (name, w) in waiters {
            let acceptors = w.get("acceptors").and_then(Value::as_array);
            for a in acceptors.into_iter().flatten() {
                for key in ["output", "inputOutput"] {
                    if let Some(p) = a.pointer(&format!("/matcher/{key}/path")) {
                        let p = p.as_str().unwrap_or_default().to_owned();
                        out.push((file.to_owned(), id.clone(), name.clone(), p));
                    }
                }
            }
        }
    }
}

#[test]
fn every_waiter_path_of_the_corpus_parses() {
    let Some(files) =
        codegen::test_support::shared_models("no waiter path of the aws models is checked")
    else {
        return;
    };
    let mut paths = Vec::new();
    let mut built = 0;
    let mut with_waiters = 0;
    let mut parse_omissions = Vec::new();
    let mut shape_omissions = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("a model reads");
        let doc: Value = serde_json::from_str(&text).expect("a model is JSON");
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let before = paths.len();
        paths_of(&name, &doc, &mut paths);
        if paths.len() == before {
            continue;
        }
        with_waiters += 1;
        // Where the model builds (some use what the generator refuses elsewhere), its waiters
        // are all carried or left out for a reason other than their path's syntax.
        let Ok(model) = codegen::model::parse(&text) else {
            continue;
        };
        let Ok(svc) = ir::build(&model, &ir::BuildOptions::default()) else {
            continue;
        };
        built += 1;
        for o in svc
            .omissions
            .iter()
            .filter(|o| o.kind == OmissionKind::Waiter)
        {
            if o.reason.contains("invalid waiter path") || o.reason.contains("does not know") {
                parse_omissions.push(format!("{name}: {o}"));
            } else {
                shape_omissions.push(format!("{name}: {o}"));
            }
        }
    }
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|(file, op, waiter, path)| {
            waiter_path::parse(path)
                .err()
                .map(|e| format!("{file}: {op}/{waiter}: {e}"))
        })
        .collect();
    eprintln!(
        "waiter corpus: {} waiter paths in {with_waiters} of {} models, {} parse failures; \
         {built} of those models build: {} waiters left out for their path's syntax, {} for \
         not fitting the shapes",
        paths.len(),
        files.len(),
        failures.len(),
        parse_omissions.len(),
        shape_omissions.len()
    );
    for o in &shape_omissions {
        eprintln!("  left out: {o}");
    }
    assert!(
        !paths.is_empty(),
        "no waiter path found in {} models",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(parse_omissions.is_empty(), "{}", parse_omissions.join("\n"));
}
