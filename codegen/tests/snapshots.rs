//! Snapshot tests: generated output for small fixture models, compared with the files under
//! `tests/snapshots/`. After an intended change, regenerate them with
//! `EXPECTORATE=overwrite cargo test -p codegen --test snapshots` and review the diff.
//!
//! Every snapshot also compiles, and its generated tests run, under `cargo test`: the
//! `codegen-fixtures` crate (`codegen-fixtures/tests/<fixture>.rs`) includes each one.

use std::path::Path;

fn snapshot(fixture: &str) {
    snapshot_with(fixture, codegen::Options::default());
}

/// The snapshot of `fixture` generated with `opts` (its `source_name` set here).
fn snapshot_with(fixture: &str, opts: codegen::Options) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let model =
        std::fs::read_to_string(dir.join("fixtures").join(format!("{fixture}.json"))).unwrap();
    let opts = codegen::Options {
        source_name: format!("{fixture}.json"),
        ..opts
    };
    let (files, _) = codegen::generate(&model, &opts).unwrap();
    for f in &files {
        expectorate::assert_contents(
            dir.join("snapshots").join(fixture).join(&f.path),
            &f.contents,
        );
    }
    // Generating twice gives the same bytes.
    let (again, _) = codegen::generate(&model, &opts).unwrap();
    assert_eq!(files, again, "generation is not deterministic");
}

#[test]
fn mini_service() {
    snapshot("mini");
}

/// Names that collide with Rust keywords, prelude types, generated methods and each other;
/// recursion through lists and maps; enum values that are not identifiers. The `generated
/// services` step of `cargo xtask test` also builds this crate standalone, warning-free.
#[test]
fn awkward_service() {
    snapshot("awkward");
}

/// Unions the way Amazon Redshift uses them (`NamespaceIdentifierUnion`): as an input member, as
/// an output member, inside a list, recursive through a structure and a list, with a
/// `@sensitive` member; endpoint rules with the rules engine 1.1 functions `ite`, `split` and
/// `coalesce`. The `generated services` step of `cargo xtask test` builds this crate standalone,
/// warning-free, with its smoke test `xtask/smoke/unions.rs` (request bodies and response parses
/// byte for byte).
#[test]
fn unions_service() {
    snapshot("unions");
}

/// Protocol test cases of every kind the generator accepts, generated as tests
/// (`protocol_tests.rs`): the fixture's own `smithy.test` cases (a form request, an XML
/// response, a modeled error, a case for another protocol) and `fixtures/cases/protocol_cases.json`
/// (errors whose code the operation does not model, so they parse into `Unhandled`; a request
/// without a body media type). `codegen-fixtures` compiles and runs them.
#[test]
fn protocol_cases_service() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let cases = std::fs::read_to_string(dir.join("cases/protocol_cases.json")).unwrap();
    snapshot_with(
        "protocol_cases",
        codegen::Options {
            protocol_tests: true,
            extra_cases: Some(serde_json::from_str(&cases).unwrap()),
            ..Default::default()
        },
    );
}
