//! The drop-in program steps of `cargo xtask test`: programs written against the real AWS SDK for
//! Rust's API, built unchanged against this project's generated crates (renamed to the real
//! crates' names in their manifests, with the `aws-config-bridge` feature) and run against moto.
//!
//! - `xtask/dropin/main.rs` (issue 12), written against aws-sdk-ses 1.123.0 and aws-config 1.13,
//!   built against ses-client; it must print `dropin: N checks passed`. The same source builds
//!   against the real aws-sdk-ses with `xtask/dropin/check-against-aws-sdk-ses.sh`.
//! - `xtask/dropin-json/main.rs`, written against aws-sdk-dynamodb 1.136.0, aws-sdk-sqs 1.119.0,
//!   aws-sdk-kms 1.129.0, aws-sdk-cloudwatchlogs 1.162.0 and aws-config 1.13, built against the
//!   crates the `generated services` step generated from the shared models
//!   (`target/services/{dynamodb,sqs,kms,cloudwatch-logs}`); it must print
//!   `dropin-json: N checks passed`. The same source builds against the real crates with
//!   `xtask/dropin-json/check-against-aws-sdk.sh`.
//!
//! Each crate is written to `target/services/<name>` with `xtask/dropin/Cargo.lock` (aws-config
//! 1.13.0 and what it needs, next to the workspace's versions) and built in the generated crates'
//! target directory, with no warnings allowed.

use std::path::{Path, PathBuf};

use crate::step::{MOTO_ENDPOINT_VAR, SHARED_DIR_VAR, Step, TestContext};

/// aws-config without its HTTP client, SSO or credential_process: the program gives region,
/// endpoint and credentials itself, and only `SdkConfig` is needed from it.
const AWS_CONFIG: &str = "aws-config = { version = \"=1.13.0\", default-features = false, \
                          features = [\"rt-tokio\", \"behavior-version-latest\"] }";

/// One dependency of a drop-in program: the real crate's name, our package and where it is.
struct Dependency {
    /// The name the program uses (`aws-sdk-ses`).
    alias: &'static str,
    /// Our package (`ses-client`).
    package: &'static str,
    /// Its folder.
    path: PathBuf,
}

/// A drop-in program.
struct Program {
    /// The package, the binary, the folder under `target/services` and the summary's prefix
    /// (`<name>: N checks passed`).
    name: &'static str,
    /// Its folder in `xtask/` (with `main.rs`).
    source: &'static str,
    /// What it is built against, for the messages.
    against: &'static str,
}

const SES: Program = Program {
    name: "dropin",
    source: "dropin",
    against: "ses-client",
};

const JSON: Program = Program {
    name: "dropin-json",
    source: "dropin-json",
    against: "dynamodb-client, sqs-client, kms-client and cloudwatch-logs-client",
};

/// The generated services (of the `generated services` step) the JSON program uses: the real
/// crate's name, the service's folder under `target/services`, our package.
const JSON_SERVICES: &[(&str, &str, &str)] = &[
    ("aws-sdk-dynamodb", "dynamodb", "dynamodb-client"),
    ("aws-sdk-sqs", "sqs", "sqs-client"),
    ("aws-sdk-kms", "kms", "kms-client"),
    (
        "aws-sdk-cloudwatchlogs",
        "cloudwatch-logs",
        "cloudwatch-logs-client",
    ),
];

/// The SES step, to append to `cargo xtask test`.
pub fn step<'a>() -> Step<'a> {
    Step::new(
        "drop-in program (written for aws-sdk-ses, built against ses-client, run on moto)",
        |ctx| {
            let deps = vec![Dependency {
                alias: "aws-sdk-ses",
                package: "ses-client",
                path: ctx.workspace_root.join("generated-client"),
            }];
            run(ctx, &SES, &deps)
        },
    )
}

/// The JSON step, to append to `cargo xtask test` after the `generated services` step (it builds
/// against the crates that step generated).
pub fn json_step<'a>() -> Step<'a> {
    Step::new(
        "drop-in program (written for aws-sdk-dynamodb/sqs/kms/cloudwatchlogs, built against the \
         generated crates, run on moto)",
        run_json,
    )
}

fn run_json(ctx: &mut TestContext) -> Result<(), String> {
    if !ctx.env.iter().any(|(k, _)| k == SHARED_DIR_VAR) {
        // The services step skipped these crates (loudly) too.
        let line = format!(
            "\n************************************************************************\n\
             SKIPPED: the dropin-json program: {SHARED_DIR_VAR} is not set, so the DynamoDB,\n\
             SQS, KMS and CloudWatch Logs crates were not generated.\n\
             ************************************************************************\n"
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
        return Ok(());
    }
    let services = ctx.workspace_root.join("target").join("services");
    let deps = JSON_SERVICES
        .iter()
        .map(|&(alias, dir, package)| {
            let path = services.join(dir);
            if path.join("Cargo.toml").is_file() {
                Ok(Dependency {
                    alias,
                    package,
                    path,
                })
            } else {
                Err(format!(
                    "{} is missing: the `generated services` step generates it",
                    path.display()
                ))
            }
        })
        .collect::<Result<Vec<_>, String>>()?;
    run(ctx, &JSON, &deps)
}

fn run(ctx: &mut TestContext, program: &Program, deps: &[Dependency]) -> Result<(), String> {
    let root = ctx.workspace_root.clone();
    let name = program.name;
    let endpoint = ctx
        .env
        .iter()
        .find(|(k, _)| k == MOTO_ENDPOINT_VAR)
        .map(|(_, v)| v.clone())
        .ok_or_else(|| format!("{MOTO_ENDPOINT_VAR} is not set: moto was not started"))?;
    let out = root.join("target").join("services").join(name);
    write_crate(&root, program, deps, &out)?;
    let target_dir = root.join(crate::step::GENERATED_TARGET_DIR);
    println!("  -- {name}: cargo build");
    let mut cmd = ctx.cargo();
    cmd.current_dir(&out)
        .args(["build", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTFLAGS", crate::step::GENERATED_RUSTFLAGS)
        .env("CARGO_PROFILE_DEV_DEBUG", crate::step::GENERATED_DEBUG);
    crate::services::run_without_warnings(cmd, name)?;
    let exe = target_dir
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    println!("  -- {name}: run against {endpoint}");
    let output = ctx
        .command(&exe)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    eprint!("{stderr}");
    let n = check_outcome(name, output.status.success(), &stdout, &stderr)?;
    println!(
        "  drop-in program {name}: {n} checks passed against {}",
        program.against
    );
    Ok(())
}

/// Passing means: exit 0 and the summary line `<name>: N checks passed` with N > 0, and nothing
/// skipped. Returns N.
fn check_outcome(name: &str, success: bool, stdout: &str, stderr: &str) -> Result<u32, String> {
    if !success {
        return Err(format!(
            "the drop-in program {name} failed (its message is above)"
        ));
    }
    if stderr.contains("SKIPPED") {
        return Err(format!("the drop-in program {name} skipped its checks"));
    }
    let passed = stdout.lines().find_map(|l| {
        l.strip_prefix(name)?
            .strip_prefix(": ")?
            .strip_suffix(" checks passed")?
            .parse::<u32>()
            .ok()
    });
    match passed {
        Some(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "the drop-in program did not print `{name}: N checks passed`"
        )),
    }
}

/// The manifest: the program's dependencies renamed to the real crates' names.
fn manifest(program: &Program, deps: &[Dependency]) -> String {
    let mut text = format!(
        "# Written by `cargo xtask test` (xtask/src/dropin.rs). Do not edit.\n\
         [package]\nname = \"{}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n",
        program.name
    );
    for dep in deps {
        let alias = dep.alias.replace('-', "_");
        text += &format!(
            "# The program says `{alias}`; here that name is {}.\n\
             {} = {{ package = \"{}\", path = \"{}\", features = [\"aws-config-bridge\"] }}\n",
            dep.package,
            dep.alias,
            dep.package,
            dep.path.to_string_lossy().replace('\\', "/"),
        );
    }
    text += &format!(
        "{AWS_CONFIG}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\", \"time\"] }}\n\n\
         [workspace]\n"
    );
    text
}

/// `target/services/<name>`: the manifest, the program and the lock file.
fn write_crate(
    root: &Path,
    program: &Program,
    deps: &[Dependency],
    out: &Path,
) -> Result<(), String> {
    let copy = |from: &Path, to: &str| -> Result<(), String> {
        let dest = out.join(to);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::copy(from, &dest)
            .map(|_| ())
            .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), dest.display()))
    };
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    std::fs::write(out.join("Cargo.toml"), manifest(program, deps))
        .map_err(|e| format!("cannot write {}: {e}", out.join("Cargo.toml").display()))?;
    let xtask = root.join("xtask");
    copy(&xtask.join(program.source).join("main.rs"), "src/main.rs")?;
    // aws-config 1.13.0 next to the workspace's versions, for every program: the JSON program's
    // own lock file pins the real aws-sdk-* crates' dependencies instead.
    copy(&xtask.join("dropin").join("Cargo.lock"), "Cargo.lock")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_needs_exit_zero_the_summary_and_no_skip() {
        let ok = |name, success, stdout, stderr| check_outcome(name, success, stdout, stderr);
        assert_eq!(ok("dropin", true, "dropin: 80 checks passed\n", ""), Ok(80));
        assert!(ok("dropin", false, "dropin: 80 checks passed\n", "").is_err());
        assert!(ok("dropin", true, "", "SKIPPED: dropin: not set").is_err());
        assert!(ok("dropin", true, "dropin: 0 checks passed\n", "").is_err());
        assert!(ok("dropin", true, "something else\n", "").is_err());
        assert_eq!(
            ok(
                "dropin-json",
                true,
                "  ok 1\ndropin-json: 98 checks passed\n",
                ""
            ),
            Ok(98)
        );
        // One program's summary is not the other's.
        assert!(ok("dropin", true, "dropin-json: 98 checks passed\n", "").is_err());
        assert!(ok("dropin-json", true, "dropin: 80 checks passed\n", "").is_err());
    }

    #[test]
    fn manifests_rename_every_dependency() {
        let deps: Vec<_> = JSON_SERVICES
            .iter()
            .map(|&(alias, dir, package)| Dependency {
                alias,
                package,
                path: PathBuf::from("/w/target/services").join(dir),
            })
            .collect();
        let text = manifest(&JSON, &deps);
        assert!(text.contains("name = \"dropin-json\""), "{text}");
        assert!(
            text.contains(
                "aws-sdk-cloudwatchlogs = { package = \"cloudwatch-logs-client\", path = \
                 \"/w/target/services/cloudwatch-logs\", features = [\"aws-config-bridge\"] }"
            ),
            "{text}"
        );
        assert_eq!(
            text.matches("features = [\"aws-config-bridge\"]").count(),
            4
        );
        assert!(text.contains("version = \"=1.13.0\""), "{text}");
        let parsed: toml::Table = text.parse().expect("a valid manifest");
        let names: Vec<_> = parsed["dependencies"]
            .as_table()
            .expect("dependencies")
            .keys()
            .cloned()
            .collect();
        for (alias, _, _) in JSON_SERVICES {
            assert!(names.iter().any(|n| n == alias), "{alias} in {names:?}");
        }
    }

    #[test]
    fn json_services_are_generated_by_the_services_step() {
        let models = crate::services::shared_models();
        for (_, dir, _) in JSON_SERVICES {
            assert!(
                crate::services::service_names().contains(dir),
                "{dir} is not a service of the generated services step ({models:?})"
            );
        }
    }

    #[test]
    fn programs_exist() {
        let root = crate::workspace_root();
        for p in [&SES, &JSON] {
            assert!(root.join("xtask").join(p.source).join("main.rs").is_file());
        }
        assert!(root.join("xtask/dropin/Cargo.lock").is_file());
    }
}
