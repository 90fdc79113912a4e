//! The protocol conformance step of `cargo xtask test` (also `cargo xtask conformance`): one
//! run per protocol of [`PROTOCOLS`].
//!
//! For each protocol, generates one client crate from Smithy's protocol test model with its
//! `smithy.test` cases and, when the protocol has one, a document of extra cases (botocore's copy
//! of the suite) as `#[test]`s (`cargo xtask codegen --model ... --out target/conformance/<name>
//! --protocol-tests [--cases ...]`), runs `cargo test` in it (in `target/generated`, the target
//! dir every crate `cargo xtask test` generates shares, so the runtime crate and the dependencies
//! are built once for all of them), and reports one line per suite:
//! `awsquery conformance (smithy): N passed, M failed`. Excluded cases are ignored tests whose
//! reason is printed. Any failure fails the step; absent shared data prints `SKIPPED` loudly.
//!
//! Adding a protocol (ec2Query, awsJson, ...) is one row of [`PROTOCOLS`], once the generator
//! speaks it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::step::{SHARED_DIR_VAR, Step, TestContext};

/// One protocol's conformance suites: a Smithy model carrying `smithy.test` cases (suite
/// `smithy`) and optionally a document of extra cases (its own suite), generated into one crate.
#[derive(Debug, Clone, Copy)]
pub struct Protocol {
    /// The name in output lines and the generated crate's folder (`awsquery`).
    pub name: &'static str,
    /// The Smithy model with the cases, relative to the shared data directory.
    pub model: &'static str,
    /// The extra cases (`--cases`), relative to the shared data directory: (suite, path). The
    /// suite is the test module the generator names after the document's source.
    pub extra: Option<(&'static str, &'static str)>,
}

/// The protocols whose conformance suites run, in order.
pub const PROTOCOLS: &[Protocol] = &[
    Protocol {
        name: "awsquery",
        model: "conformance/awsquery/smithy-awsquery-model.json",
        extra: Some(("botocore", "conformance/awsquery/botocore-query.json")),
    },
    Protocol {
        name: "awsjson1_0",
        model: "conformance/awsjson1_0/smithy-awsjson1_0-model.json",
        extra: None,
    },
    Protocol {
        name: "awsjson1_0-query-compatible",
        model: "conformance/awsjson1_0/smithy-QueryCompatibleJsonRpc10-model.json",
        extra: None,
    },
    Protocol {
        name: "awsjson1_1",
        model: "conformance/awsjson1_1/smithy-awsjson1_1-model.json",
        extra: None,
    },
    Protocol {
        name: "awsjson1_1-machinelearning",
        model: "conformance/awsjson1_1/smithy-AmazonML_20141212-model.json",
        extra: None,
    },
];

/// The suite of the model's own `smithy.test` cases (a test module of `protocol_tests`).
const SMITHY_SUITE: &str = "smithy";

/// Where a protocol's crate is generated, relative to the workspace root.
pub fn out_dir(p: &Protocol) -> String {
    format!("target/conformance/{}", p.name)
}

impl Protocol {
    /// The suites the generated crate holds (test modules of `generated::protocol_tests`).
    fn suites(&self) -> Vec<&'static str> {
        std::iter::once(SMITHY_SUITE)
            .chain(self.extra.map(|(suite, _)| suite))
            .collect()
    }
}

/// Its cargo target dir, relative to the workspace root.
pub const TARGET_DIR: &str = crate::step::GENERATED_TARGET_DIR;

/// The `cargo xtask test` step.
pub fn step<'a>() -> Step<'a> {
    Step::new("protocol conformance", |ctx: &mut TestContext| {
        let shared = ctx
            .env
            .iter()
            .find(|(k, _)| k == SHARED_DIR_VAR)
            .map(|(_, v)| PathBuf::from(v));
        let root = ctx.workspace_root.clone();
        run(&root, shared.as_deref(), |program| ctx.command(program))
    })
}

/// `cargo xtask conformance`: the step on its own.
pub fn run_standalone(root: &Path) -> Result<(), String> {
    let shared = std::env::var(SHARED_DIR_VAR)
        .ok()
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| Some(root.join("..").join("shared")).filter(|d| d.is_dir()));
    run(root, shared.as_deref(), |program| {
        let mut cmd = Command::new(program);
        cmd.current_dir(root);
        cmd
    })
}

/// Every protocol of [`PROTOCOLS`] in turn; the problems of all of them in one error.
fn run(
    root: &Path,
    shared: Option<&Path>,
    command: impl Fn(&std::ffi::OsStr) -> Command,
) -> Result<(), String> {
    let Some(shared) = shared else {
        skipped(
            "protocol",
            &format!("{SHARED_DIR_VAR} is not set and ../shared does not exist"),
        );
        return Ok(());
    };
    let mut problems = Vec::new();
    for protocol in PROTOCOLS {
        if let Err(e) = run_protocol(root, shared, protocol, &command) {
            problems.push(e);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// One protocol: generate its crate, test it, report its suites.
fn run_protocol(
    root: &Path,
    shared: &Path,
    protocol: &Protocol,
    command: &impl Fn(&std::ffi::OsStr) -> Command,
) -> Result<(), String> {
    let name = protocol.name;
    let model = shared.join(protocol.model);
    let extra = protocol.extra.map(|(_, path)| shared.join(path));
    for f in std::iter::once(&model).chain(extra.as_ref()) {
        if !f.is_file() {
            skipped(name, &format!("{} is missing", f.display()));
            return Ok(());
        }
    }
    let out = root.join(out_dir(protocol));
    let mut args: Vec<String> = vec![
        "--model".into(),
        model.to_string_lossy().into_owned(),
        "--out".into(),
        out.to_string_lossy().into_owned(),
        "--protocol-tests".into(),
    ];
    if let Some(extra) = &extra {
        args.push("--cases".into());
        args.push(extra.to_string_lossy().into_owned());
    }
    println!("  cargo xtask codegen {}", args.join(" "));
    crate::codegen_cmd::run(root, &args)?;
    // Pin dependency versions to the workspace's, so nothing is resolved anew.
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, out.join("Cargo.lock"))
            .map_err(|e| format!("cannot copy Cargo.lock into {}: {e}", out.display()))?;
    }

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = command(&cargo);
    cmd.current_dir(&out)
        .env("CARGO_TARGET_DIR", root.join(TARGET_DIR))
        .env("RUSTFLAGS", crate::step::GENERATED_RUSTFLAGS)
        .env("CARGO_PROFILE_DEV_DEBUG", crate::step::GENERATED_DEBUG)
        .env("CARGO_INCREMENTAL", "0")
        .args(["test", "--no-fail-fast", "--lib", "--", "protocol_tests::"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    println!(
        "  (in {}) CARGO_TARGET_DIR={TARGET_DIR} cargo test --no-fail-fast --lib -- protocol_tests::",
        out.display()
    );
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run cargo test in {}: {e}", out.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    let suites = protocol.suites();
    let counts = count(&stdout, &suites);
    let mut problems = Vec::new();
    println!();
    for suite in &suites {
        let c = counts.get(*suite).cloned().unwrap_or_default();
        println!(
            "{name} conformance ({suite}): {} passed, {} failed",
            c.passed,
            c.failed.len()
        );
        for (name, reason) in &c.ignored {
            println!("  excluded: {name}: {reason}");
        }
        for name in &c.failed {
            println!("  FAILED: {name}");
        }
        if !c.failed.is_empty() {
            problems.push(format!("{suite}: {} failed", c.failed.len()));
        }
        if c.passed == 0 && c.ignored.is_empty() {
            problems.push(format!("{suite}: no test passed (did any run?)"));
        }
    }
    if !output.status.success() && problems.is_empty() {
        problems.push(format!("cargo test failed ({})", output.status));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{name} conformance: {}", problems.join("; ")))
    }
}

fn skipped(protocol: &str, why: &str) {
    eprintln!(
        "\n************************************************************************\n\
         SKIPPED: {protocol} conformance: {why}.\n\
         Set {SHARED_DIR_VAR} to the shared data directory to run it.\n\
         ************************************************************************\n"
    );
}

#[derive(Debug, Default, Clone, PartialEq)]
struct Counts {
    passed: usize,
    failed: Vec<String>,
    ignored: Vec<(String, String)>,
}

/// Per suite (of `suites`), the outcome of each `test <path> ... <result>` line of libtest's
/// output.
fn count(stdout: &str, suites: &[&str]) -> BTreeMap<String, Counts> {
    let mut out: BTreeMap<String, Counts> = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((path, result)) = rest.split_once(" ... ") else {
            continue;
        };
        let Some(suite) = suites
            .iter()
            .find(|s| path.contains(&format!("protocol_tests::{s}::")))
        else {
            continue;
        };
        let name = path.rsplit("::").next().unwrap_or(path).to_owned();
        let c = out.entry((*suite).to_owned()).or_default();
        let result = result.trim();
        if result == "ok" {
            c.passed += 1;
        } else if let Some(reason) = result.strip_prefix("ignored") {
            let reason = reason.trim_start_matches(',').trim();
            c.ignored.push((name, reason.to_owned()));
        } else {
            c.failed.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_libtest_lines_per_suite() {
        let out = "running 4 tests\n\
            test generated::protocol_tests::smithy::a_request ... ok\n\
            test generated::protocol_tests::smithy::b_response ... FAILED\n\
            test generated::protocol_tests::botocore::a_request ... ok\n\
            test generated::protocol_tests::smithy::c_request ... ignored, appliesTo: server\n\
            test runtime::x::y ... ok\n\
            test result: FAILED. 2 passed; 1 failed; 1 ignored\n";
        let c = count(out, &PROTOCOLS[0].suites());
        assert_eq!(c["smithy"].passed, 1);
        assert_eq!(c["smithy"].failed, vec!["b_response".to_owned()]);
        assert_eq!(
            c["smithy"].ignored,
            vec![("c_request".to_owned(), "appliesTo: server".to_owned())]
        );
        assert_eq!(c["botocore"].passed, 1);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn every_protocol_has_distinct_names_and_suites() {
        let mut names: Vec<&str> = PROTOCOLS.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PROTOCOLS.len());
        assert_eq!(PROTOCOLS[0].suites(), ["smithy", "botocore"]);
        assert_eq!(out_dir(&PROTOCOLS[0]), "target/conformance/awsquery");
        for p in PROTOCOLS {
            let suites = p.suites();
            assert!(!suites[1..].contains(&SMITHY_SUITE), "{}", p.name);
        }
    }
}
