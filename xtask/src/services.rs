//! The `generated services` step of `cargo xtask test`: one generator for the awsQuery services
//! and, through the same steps, the awsJson ones (SQS, KMS, CloudWatch Logs, DynamoDB) and a
//! trimmed ec2Query one (EC2).
//!
//! Each model below is generated as a standalone crate into `target/services/<name>` (the same
//! `cargo xtask codegen --model M --out DIR` a user runs), given the workspace's `Cargo.lock` (so
//! dependency versions are the ones the workspace tested), given its smoke test from
//! `xtask/smoke/<name>.rs` as `tests/smoke.rs` when there is one, and then built and tested with
//! one `cargo test` per crate. Every crate `cargo xtask test` generates shares
//! `CARGO_TARGET_DIR=target/generated`, so the runtime crate and the dependencies compile once. Any warning fails the step: rustc, rustdoc and clippy run with
//! `-D warnings`, and a `warning:` line from cargo itself counts too.
//!
//! The upstream models are read in place from `$AWS_QUERY_SHARED_DIR/models/` (never copied into
//! the repository); without that folder those services are skipped loudly. The `awkward` fixture
//! (`codegen/tests/fixtures/awkward.json`: names that collide with Rust keywords and with each
//! other, recursion, odd enum values) and the `unions` fixture
//! (`codegen/tests/fixtures/unions.json`: unions as Amazon Redshift uses them, endpoint rules with
//! the rules engine 1.1 functions) are always built.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::step::{SHARED_DIR_VAR, Step, TestContext};

/// Where a service's model comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// `$AWS_QUERY_SHARED_DIR/models/<file>`.
    Shared(&'static str),
    /// A path relative to the workspace root.
    Repo(&'static str),
    /// A `--config` file relative to the workspace root (a trimmed client).
    Config(&'static str),
    /// A `--config` file relative to the workspace root (a trimmed client) whose model is
    /// `$AWS_QUERY_SHARED_DIR/models/<file>` (given as `--model`, which wins over the file's).
    SharedConfig(&'static str, &'static str),
}

/// The services the step generates, builds and tests, in order.
const SERVICES: &[(&str, Source)] = &[
    (
        "awkward",
        Source::Repo("codegen/tests/fixtures/awkward.json"),
    ),
    ("unions", Source::Repo("codegen/tests/fixtures/unions.json")),
    ("sts", Source::Shared("sts.json")),
    ("sns", Source::Shared("sns.json")),
    ("cloudwatch", Source::Shared("cloudwatch.json")),
    ("ses", Source::Shared("ses.json")),
    // awsJson 1.0 with awsQueryCompatible error codes.
    ("sqs", Source::Shared("sqs.json")),
    // awsJson 1.1.
    ("kms", Source::Shared("kms.json")),
    ("cloudwatch-logs", Source::Shared("cloudwatch-logs.json")),
    // awsJson 1.0.
    ("dynamodb", Source::Shared("dynamodb.json")),
    // Only the MAIL FROM operations of the committed SES model (issue #6: trimmed clients).
    (
        "ses-mail-from",
        Source::Config("xtask/trimmed/mail-from.toml"),
    ),
    // An ec2Query client: the operations of one instance lifecycle of the shared EC2 model.
    (
        "ec2",
        Source::SharedConfig("xtask/trimmed/ec2.toml", "ec2.json"),
    ),
];

/// The shared models (file names) this step builds; the corpus step builds the other
/// generated ones.
pub fn shared_models() -> Vec<&'static str> {
    SERVICES
        .iter()
        .filter_map(|(_, s)| match s {
            Source::Shared(file) => Some(*file),
            Source::Repo(_) | Source::Config(_) | Source::SharedConfig(..) => None,
        })
        .collect()
}

/// The names of the services the step builds (their folders under `target/services`).
#[cfg(test)]
pub fn service_names() -> Vec<&'static str> {
    SERVICES.iter().map(|(name, _)| *name).collect()
}

/// The step, to append to `cargo xtask test`.
pub fn step<'a>() -> Step<'a> {
    Step::new(
        "generated services (build + test + clippy, no warnings)",
        run,
    )
}

fn run(ctx: &mut TestContext) -> Result<(), String> {
    let root = ctx.workspace_root.clone();
    let shared = ctx
        .env
        .iter()
        .find(|(k, _)| k == SHARED_DIR_VAR)
        .map(|(_, v)| PathBuf::from(v));
    let target_dir = root.join(crate::step::GENERATED_TARGET_DIR);
    let mut skipped = Vec::new();
    let mut done = Vec::new();
    for &(name, source) in SERVICES {
        let out = root.join("target").join("services").join(name);
        match (source, &shared) {
            (Source::Config(rel), _) => {
                println!("  -- {name}: generating from {rel}");
                let args = [
                    "--config".to_owned(),
                    root.join(rel).to_string_lossy().into_owned(),
                    "--out".to_owned(),
                    out.to_string_lossy().into_owned(),
                ];
                crate::codegen_cmd::run(&root, &args)
                    .map_err(|e| format!("generating {rel} failed: {e}"))?;
            }
            (Source::SharedConfig(rel, file), Some(dir)) => {
                println!("  -- {name}: generating from {rel}");
                let args = [
                    "--config".to_owned(),
                    root.join(rel).to_string_lossy().into_owned(),
                    "--model".to_owned(),
                    dir.join("models").join(file).to_string_lossy().into_owned(),
                    "--out".to_owned(),
                    out.to_string_lossy().into_owned(),
                ];
                crate::codegen_cmd::run(&root, &args)
                    .map_err(|e| format!("generating {rel} failed: {e}"))?;
            }
            (Source::SharedConfig(..), None) => {
                skipped.push(name);
                continue;
            }
            (Source::Repo(rel), _) => generate(
                &root,
                &root.join(rel),
                &out,
                name == VENDORED_RUNTIME_SERVICE,
            )?,
            (Source::Shared(file), Some(dir)) => generate(
                &root,
                &dir.join("models").join(file),
                &out,
                name == VENDORED_RUNTIME_SERVICE,
            )?,
            (Source::Shared(_), None) => {
                skipped.push(name);
                continue;
            }
        }
        install_lock_and_smoke(&root, name, &out)?;
        println!("  -- {name}: cargo test");
        let mut cmd = ctx.cargo();
        cmd.current_dir(&out)
            // Every feature: aws-config's SdkConfig and the mocks of `test_util` build too.
            .args(["test", "--all-features", "--manifest-path"])
            .arg(out.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target_dir)
            .env("RUSTFLAGS", crate::step::GENERATED_RUSTFLAGS)
            .env("CARGO_PROFILE_DEV_DEBUG", crate::step::GENERATED_DEBUG)
            .env("CARGO_INCREMENTAL", "0")
            .env("RUSTDOCFLAGS", "-D warnings");
        run_without_warnings(cmd, name)?;
        println!("  -- {name}: cargo clippy");
        let mut cmd = ctx.cargo();
        cmd.current_dir(&out)
            .args([
                "clippy",
                "--all-targets",
                "--all-features",
                "--manifest-path",
            ])
            .arg(out.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target_dir)
            .env("RUSTFLAGS", crate::step::GENERATED_RUSTFLAGS)
            .env("CARGO_PROFILE_DEV_DEBUG", crate::step::GENERATED_DEBUG)
            .env("CARGO_INCREMENTAL", "0")
            .args(["--", "-D", "warnings"]);
        run_without_warnings(cmd, name)?;
        done.push(name);
    }
    if done.contains(&"sns") && done.contains(&"sts") {
        multi_service(&root, ctx, &target_dir)?;
        done.push("multi (ses + sns + sts on one Config)");
    }
    println!(
        "  generated services built and tested warning-free: {}",
        done.join(", ")
    );
    if !skipped.is_empty() {
        let line = format!(
            "\n************************************************************************\n\
             SKIPPED: generated services {}: {SHARED_DIR_VAR} is not set, so the upstream\n\
             models are not available. Set it to the shared data directory.\n\
             ************************************************************************\n",
            skipped.join(", ")
        );
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
    Ok(())
}

/// The several-services program: `target/services/multi`, depending on this workspace's
/// `ses-client` and runtime and on the generated `sns` and `sts` crates, with the test
/// `xtask/multi/shared_config.rs` (one `Config` for the three clients, one credentials refresh).
/// Checks with `cargo tree` that the runtime crate is in its build once, then tests it.
fn multi_service(root: &Path, ctx: &TestContext, target_dir: &Path) -> Result<(), String> {
    let out = root.join("target").join("services").join("multi");
    let services = root.join("target").join("services");
    let path = |p: PathBuf| p.to_string_lossy().replace('\\', "/");
    let manifest = format!(
        "# Written by `cargo xtask test` (xtask/src/services.rs). Do not edit.\n\
         [package]\nname = \"multi-service-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n\
         ses-client = {{ path = \"{}\" }}\n\
         sns-client = {{ path = \"{}\" }}\n\
         sts-client = {{ path = \"{}\" }}\n\
         aws-client-runtime = {{ path = \"{}\" }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n\
         [workspace]\n",
        path(root.join("generated-client")),
        path(services.join("sns")),
        path(services.join("sts")),
        path(root.join("runtime")),
    );
    let write = |rel: &str, text: &str| -> Result<(), String> {
        let p = out.join(rel);
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    write("Cargo.toml", &manifest)?;
    write(
        "src/lib.rs",
        "//! Only its test matters: tests/shared_config.rs.\n",
    )?;
    let test = root.join("xtask").join("multi").join("shared_config.rs");
    let text = std::fs::read_to_string(&test)
        .map_err(|e| format!("cannot read {}: {e}", test.display()))?;
    write("tests/shared_config.rs", &text)?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock into {}: {e}", out.display()))?;

    println!("  -- multi: cargo tree (the runtime crate once)");
    let mut tree = ctx.cargo();
    tree.current_dir(&out)
        .args([
            "tree", "--edges", "normal", "--prefix", "none", "--format", "{p}",
        ])
        .env("CARGO_TARGET_DIR", target_dir);
    let listing = tree
        .output()
        .map_err(|e| format!("cannot run cargo tree in {}: {e}", out.display()))?;
    if !listing.status.success() {
        return Err(format!(
            "cargo tree in {} failed: {}",
            out.display(),
            String::from_utf8_lossy(&listing.stderr)
        ));
    }
    let mut runtimes: Vec<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter(|l| l.starts_with("aws-client-runtime "))
        .map(|l| l.trim_end_matches(" (*)").to_owned())
        .collect();
    runtimes.sort();
    runtimes.dedup();
    if runtimes.len() != 1 {
        return Err(format!(
            "the several-services program should build the runtime crate once, found: {runtimes:?}"
        ));
    }
    println!("  runtime crate in the build once: {}", runtimes[0]);

    println!("  -- multi: cargo test");
    let mut cmd = ctx.cargo();
    cmd.current_dir(&out)
        .args(["test", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .args(["--", "--nocapture"])
        .env("CARGO_TARGET_DIR", target_dir)
        .env("RUSTFLAGS", crate::step::GENERATED_RUSTFLAGS)
        .env("CARGO_PROFILE_DEV_DEBUG", crate::step::GENERATED_DEBUG)
        .env("CARGO_INCREMENTAL", "0");
    run_without_warnings(cmd, "multi")
}

/// The service generated with `--vendor-runtime` (its own copy of the runtime crate, in
/// `vendor/`), so both ways a standalone crate gets the runtime are built and tested; the others
/// depend on `runtime/` by path.
const VENDORED_RUNTIME_SERVICE: &str = "awkward";

/// `cargo xtask codegen --model MODEL --out OUT [--vendor-runtime]`, in process.
fn generate(root: &Path, model: &Path, out: &Path, vendor: bool) -> Result<(), String> {
    println!(
        "  -- generating from {}{}",
        model.display(),
        if vendor { " (--vendor-runtime)" } else { "" }
    );
    let mut args = vec![
        "--model".to_owned(),
        model.to_string_lossy().into_owned(),
        "--out".to_owned(),
        out.to_string_lossy().into_owned(),
    ];
    if vendor {
        args.push("--vendor-runtime".to_owned());
    }
    crate::codegen_cmd::run(root, &args)
        .map_err(|e| format!("generating {} failed: {e}", model.display()))
}

/// Gives the crate the workspace's lock file (cargo trims what the crate does not use) and its
/// smoke test, if it has one.
fn install_lock_and_smoke(root: &Path, name: &str, out: &Path) -> Result<(), String> {
    let copy = |from: &Path, to: &Path| -> Result<(), String> {
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::copy(from, to)
            .map(drop)
            .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
    };
    copy(&root.join("Cargo.lock"), &out.join("Cargo.lock"))?;
    let smoke = root.join("xtask").join("smoke").join(format!("{name}.rs"));
    let dest = out.join("tests").join("smoke.rs");
    if smoke.is_file() {
        copy(&smoke, &dest)?;
    } else if dest.exists() {
        std::fs::remove_file(&dest)
            .map_err(|e| format!("cannot remove {}: {e}", dest.display()))?;
    }
    Ok(())
}

/// Runs `cmd` with stdout inherited and stderr echoed line by line; fails when it fails or when
/// any line of its stderr is a warning.
pub(crate) fn run_without_warnings(mut cmd: Command, name: &str) -> Result<(), String> {
    let mut child = cmd
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo for {name}: {e}"))?;
    let mut warnings = Vec::new();
    if let Some(stderr) = child.stderr.take() {
        let mut echo = std::io::stderr();
        for line in BufReader::new(stderr).lines() {
            let line = line.map_err(|e| format!("cannot read cargo's output for {name}: {e}"))?;
            let _ = writeln!(echo, "{line}");
            if is_warning(&line) {
                warnings.push(line);
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for cargo for {name}: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`{}` of the generated {name} crate failed ({status})",
            shown(&cmd)
        ));
    }
    if !warnings.is_empty() {
        return Err(format!(
            "the generated {name} crate builds with {} warning(s):\n{}",
            warnings.len(),
            warnings.join("\n")
        ));
    }
    Ok(())
}

/// `cargo <subcommand>` of `cmd`, for messages.
fn shown(cmd: &Command) -> String {
    let sub = cmd
        .get_args()
        .next()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("cargo {sub}")
}

/// A warning line of cargo or rustc (`warning: ...`, possibly colored off).
fn is_warning(line: &str) -> bool {
    line.trim_start().starts_with("warning")
        && line
            .trim_start()
            .trim_start_matches("warning")
            .starts_with([':', '['])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_lines() {
        assert!(is_warning("warning: unused variable: `x`"));
        assert!(is_warning("warning[E0001]: something"));
        assert!(is_warning("  warning: `x` (lib) generated 1 warning"));
        assert!(!is_warning("test warnings_are_reported ... ok"));
        assert!(!is_warning("   Compiling warnings v0.1.0"));
    }

    #[test]
    fn failures_name_the_cargo_subcommand() {
        let mut cmd = Command::new("cargo");
        cmd.args(["build", "--manifest-path", "x/Cargo.toml"]);
        assert_eq!(shown(&cmd), "cargo build");
    }

    #[test]
    fn every_smoke_test_belongs_to_a_service() {
        let dir = crate::workspace_root().join("xtask").join("smoke");
        let entries = std::fs::read_dir(&dir).unwrap();
        for e in entries {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let service = name.trim_end_matches(".rs");
            assert!(
                SERVICES.iter().any(|(n, _)| *n == service),
                "xtask/smoke/{name} matches no service of the step"
            );
        }
    }

    #[test]
    fn repo_models_exist() {
        let root = crate::workspace_root();
        for (name, source) in SERVICES {
            if let Source::Repo(rel) = source {
                assert!(root.join(rel).is_file(), "{name}: {rel} is missing");
            }
        }
    }
}
