//! The `drop-in program` step of `cargo xtask test` (issue 12): `xtask/dropin/main.rs`, a
//! program written against aws-sdk-ses 1.123.0 and aws-config 1.13's API, built unchanged
//! against ses-client (renamed to `aws_sdk_ses` in its manifest, with the `aws-config-bridge`
//! feature) and run against moto. It must print `dropin: N checks passed`.
//!
//! The same source builds against the real aws-sdk-ses with
//! `xtask/dropin/check-against-aws-sdk-ses.sh`. The crate is written to `target/services/dropin`
//! with `xtask/dropin/Cargo.lock` (aws-config 1.13.0 and what it needs, next to the workspace's
//! versions) and built in the generated crates' target directory, with no warnings allowed.

use std::path::Path;

use crate::step::{MOTO_ENDPOINT_VAR, Step, TestContext};

/// aws-config without its HTTP client, SSO or credential_process: the program gives region,
/// endpoint and credentials itself, and only `SdkConfig` is needed from it.
const AWS_CONFIG: &str = "aws-config = { version = \"=1.13.0\", default-features = false, \
                          features = [\"rt-tokio\", \"behavior-version-latest\"] }";

/// The step, to append to `cargo xtask test`.
pub fn step<'a>() -> Step<'a> {
    Step::new(
        "drop-in program (written for aws-sdk-ses, built against ses-client, run on moto)",
        run,
    )
}

fn run(ctx: &mut TestContext) -> Result<(), String> {
    let root = ctx.workspace_root.clone();
    let endpoint = ctx
        .env
        .iter()
        .find(|(k, _)| k == MOTO_ENDPOINT_VAR)
        .map(|(_, v)| v.clone())
        .ok_or_else(|| format!("{MOTO_ENDPOINT_VAR} is not set: moto was not started"))?;
    let out = root.join("target").join("services").join("dropin");
    write_crate(&root, &out)?;
    let target_dir = root.join(crate::step::GENERATED_TARGET_DIR);
    println!("  -- dropin: cargo build");
    let mut cmd = ctx.cargo();
    cmd.current_dir(&out)
        .args(["build", "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTFLAGS", crate::step::GENERATED_RUSTFLAGS)
        .env("CARGO_PROFILE_DEV_DEBUG", crate::step::GENERATED_DEBUG);
    crate::services::run_without_warnings(cmd, "dropin")?;
    let exe = target_dir
        .join("debug")
        .join(format!("dropin{}", std::env::consts::EXE_SUFFIX));
    println!("  -- dropin: run against {endpoint}");
    let output = ctx
        .command(&exe)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    print!("{stdout}");
    eprint!("{stderr}");
    check_outcome(output.status.success(), &stdout, &stderr)
}

/// Passing means: exit 0 and the summary line, and nothing skipped.
fn check_outcome(success: bool, stdout: &str, stderr: &str) -> Result<(), String> {
    if !success {
        return Err("the drop-in program failed (its message is above)".into());
    }
    if stderr.contains("SKIPPED") {
        return Err("the drop-in program skipped its checks".into());
    }
    let passed = stdout.lines().find_map(|l| {
        l.strip_prefix("dropin: ")?
            .strip_suffix(" checks passed")?
            .parse::<u32>()
            .ok()
    });
    match passed {
        Some(n) if n > 0 => {
            println!("  drop-in program: {n} checks passed against ses-client");
            Ok(())
        }
        _ => Err("the drop-in program did not print `dropin: N checks passed`".into()),
    }
}

/// `target/services/dropin`: the manifest, the program and the lock file.
fn write_crate(root: &Path, out: &Path) -> Result<(), String> {
    let client = root.join("generated-client");
    let manifest = format!(
        "# Written by `cargo xtask test` (xtask/src/dropin.rs). Do not edit.\n\
         [package]\nname = \"dropin\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n\
         # The program says `aws_sdk_ses`; here that name is ses-client.\n\
         aws-sdk-ses = {{ package = \"ses-client\", path = \"{}\", features = [\"aws-config-bridge\"] }}\n\
         {AWS_CONFIG}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\", \"time\"] }}\n\n\
         [workspace]\n",
        client.to_string_lossy().replace('\\', "/"),
    );
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
    std::fs::write(out.join("Cargo.toml"), manifest)
        .map_err(|e| format!("cannot write {}: {e}", out.join("Cargo.toml").display()))?;
    let dir = root.join("xtask").join("dropin");
    copy(&dir.join("main.rs"), "src/main.rs")?;
    copy(&dir.join("Cargo.lock"), "Cargo.lock")
}

#[cfg(test)]
mod tests {
    use super::check_outcome;

    #[test]
    fn outcome_needs_exit_zero_the_summary_and_no_skip() {
        assert!(check_outcome(true, "dropin: 80 checks passed\n", "").is_ok());
        assert!(check_outcome(false, "dropin: 80 checks passed\n", "").is_err());
        assert!(check_outcome(true, "", "SKIPPED: dropin: not set").is_err());
        assert!(check_outcome(true, "dropin: 0 checks passed\n", "").is_err());
        assert!(check_outcome(true, "something else\n", "").is_err());
    }
}
