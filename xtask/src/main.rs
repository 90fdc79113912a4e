//! `cargo xtask`: the project's developer commands (see README.md).
//!
//! - `cargo xtask codegen [--check] [--model PATH --out DIR [--vendor-runtime]] [--operations A,B] [--protocol-tests] [--cases CASES.json]`
//! - `cargo xtask import --from UPSTREAM.json --to models/NAME.json`
//! - `cargo xtask test`
//! - `cargo xtask conformance` (the awsQuery and ec2Query protocol test suites alone)
//! - `cargo xtask corpus [DIR] [--build N|all]` (the generator over every model of a folder)

mod codegen_cmd;
mod conformance;
mod corpus;
mod dropin;
mod moto;
mod services;
mod standalone;
mod step;
mod test_cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn workspace_root() -> PathBuf {
    // xtask/ lives directly under the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--model PATH] [--out DIR [--vendor-runtime]] [--crate-name NAME] [--operations A,B,...] [--config FILE.toml] [--protocol-tests] [--cases CASES.json]
  cargo xtask import --from UPSTREAM_MODEL.json --to models/NAME.json
  cargo xtask test
  cargo xtask conformance
  cargo xtask corpus [DIR] [--build N|all] [--jobs N]

`cargo xtask COMMAND --help` explains each command.";

const CODEGEN_USAGE: &str = "usage: cargo xtask codegen [OPTIONS]

Generates a client from a Smithy JSON AST model of an awsQuery or ec2Query service.

Without --out: regenerates generated-client/src/generated/ from models/ses.json (with
models/ses.notes.json), the files of the ses-client crate.
With --out DIR: writes a standalone crate for the model into DIR.

  --check               write nothing; fail and name each file that would change
  --model PATH          the model (default models/ses.json); NAME.notes.json beside NAME.json
                        (models/ses.notes.json) adds descriptions when present
  --out DIR             write a standalone crate into DIR (Cargo.toml, src/lib.rs,
                        src/generated/); it depends on this workspace's runtime/ by path
  --vendor-runtime      with --out: copy the runtime crate into DIR/vendor/aws-client-runtime
                        and depend on that copy instead (a self-contained tree)
  --crate-name NAME     with --out: the package name (default: from the model's sdkId,
                        e.g. sts-client)
  --operations A,B,...  only these operations (by name) and the shapes they reach
  --config FILE.toml    read the options from a file: keys model, out, crate-name, operations,
                        protocol-tests (paths relative to the file; see xtask/trimmed/)
  --protocol-tests      add the model's smithy.test cases as #[test]s (module protocol_tests)
  --cases CASES.json    add the cases of an awsquery-conformance/1 document (botocore's copy)
  -h, --help            this text";

const IMPORT_USAGE: &str =
    "usage: cargo xtask import --from UPSTREAM_MODEL.json --to models/NAME.json

Derives the model this project commits from an upstream Smithy JSON AST: shapes, traits,
constraints, errors, endpoint rules and tests, paginators, waiters and example values are kept;
documentation prose is dropped; the output is sorted and stable.

  --from PATH    the upstream model (e.g. ../shared/models/ses.json)
  --to PATH      where to write the derived model
  -h, --help     this text";

const TEST_USAGE: &str = "usage: cargo xtask test

Everything CI runs (.ci/run runs exactly this): codegen --check, cargo fmt --check, clippy
-D warnings (without and with --all-features), the moto SES emulator (installed from PyPI into
target/moto-venv, started on 127.0.0.1), cargo test --workspace --all-features including the
tests that need moto or the shared data, the protocol conformance suites, the generated
services (STS, SNS, CloudWatch, SES, the awkward fixture, the trimmed client, the
several-services program) built, tested and clippy-checked warning-free, the corpus (every
model of ../shared/models through the generator and its endpoint tests; the other awsQuery
crates built and clippy-checked) and the drop-in program.

Environment:
  AWS_QUERY_SHARED_DIR   the shared data (models, conformance cases, SigV4 suites);
                         default ../shared. Missing shared data is an error...
  AWS_QUERY_ALLOW_SKIP   ...unless this is set: then what needs it is skipped, loudly.

  -h, --help     this text";

const CONFORMANCE_USAGE: &str = "usage: cargo xtask conformance

For each protocol of its table (awsQuery, ec2Query), generates a client from Smithy's protocol
test model with its cases and, for awsQuery, botocore's copy of them
(target/conformance/<protocol>), runs them, and prints one line per suite:
`awsquery conformance (smithy|botocore): N passed, M failed`, `ec2query conformance (smithy): ...`. Needs
AWS_QUERY_SHARED_DIR (default ../shared).

  -h, --help     this text";

/// The usage text of `command`.
fn usage(command: &str) -> &'static str {
    match command {
        "codegen" => CODEGEN_USAGE,
        "import" => IMPORT_USAGE,
        "test" => TEST_USAGE,
        "conformance" => CONFORMANCE_USAGE,
        "corpus" => corpus::USAGE,
        _ => USAGE,
    }
}

/// Runs `cargo xtask ARGS`: `Ok(Some(text))` when help was asked for.
fn dispatch(root: &Path, args: &[String]) -> Result<Option<&'static str>, String> {
    let Some(command) = args.first().map(String::as_str) else {
        return Err(format!("missing command\n{USAGE}"));
    };
    let rest = &args[1..];
    if matches!(command, "-h" | "--help" | "help") {
        return Ok(Some(USAGE));
    }
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        return Ok(Some(usage(command)));
    }
    let with_usage = |e: String| format!("{e}\n\n{}", usage(command));
    match command {
        "codegen" => codegen_cmd::run(root, rest).map_err(|e| {
            if e.starts_with("unknown argument") || e.contains("needs a value") {
                with_usage(e)
            } else {
                e
            }
        }),
        "import" => codegen_cmd::import(root, rest).map_err(|e| {
            if e.starts_with("unknown argument") || e.starts_with("import needs") {
                with_usage(e)
            } else {
                e
            }
        }),
        "test" | "conformance" if !rest.is_empty() => Err(with_usage(format!(
            "unknown argument `{}` for {command}",
            rest[0]
        ))),
        "test" => test_cmd::run_tests(root),
        "conformance" => conformance::run_standalone(root),
        "corpus" => corpus::run(root, rest).map_err(|e| {
            if e.starts_with("unknown argument") || e.contains("--build") || e.contains("--jobs") {
                with_usage(e)
            } else {
                e
            }
        }),
        other => Err(format!("unknown command `{other}`\n{USAGE}")),
    }
    .map(|()| None)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&workspace_root(), &args) {
        Ok(Some(help)) => {
            println!("{help}");
            ExitCode::SUCCESS
        }
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Option<&'static str>, String> {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        dispatch(Path::new("/nonexistent"), &args)
    }

    #[test]
    fn every_command_answers_help_with_its_full_usage() {
        assert_eq!(run(&["--help"]).unwrap(), Some(USAGE));
        for (command, text) in [
            ("codegen", CODEGEN_USAGE),
            ("import", IMPORT_USAGE),
            ("test", TEST_USAGE),
            ("conformance", CONFORMANCE_USAGE),
            ("corpus", corpus::USAGE),
        ] {
            assert_eq!(run(&[command, "--help"]).unwrap(), Some(text), "{command}");
            assert_eq!(run(&[command, "-h"]).unwrap(), Some(text), "{command}");
        }
        assert!(CODEGEN_USAGE.contains("--config"));
        assert!(CODEGEN_USAGE.contains("--vendor-runtime"));
    }

    #[test]
    fn unknown_arguments_fail_with_the_usage() {
        let e = run(&["codegen", "--bogus"]).unwrap_err();
        assert!(e.contains("unknown argument `--bogus`"), "{e}");
        assert!(e.contains(CODEGEN_USAGE), "{e}");
        let e = run(&["test", "--bogus"]).unwrap_err();
        assert!(e.contains(TEST_USAGE), "{e}");
        let e = run(&["import", "--bogus"]).unwrap_err();
        assert!(e.contains(IMPORT_USAGE), "{e}");
        assert!(run(&["frobnicate"]).unwrap_err().contains(USAGE));
        assert!(run(&[]).unwrap_err().contains(USAGE));
    }
}
