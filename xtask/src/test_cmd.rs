//! `cargo xtask test`: the workspace tests against moto, as a list of steps.
//!
//! Steps run in order; each prints a header and its elapsed time, the first
//! failure stops the run, and a summary table closes it. The moto servers
//! live in the [`TestContext`] and are stopped (dropped) before the summary,
//! on every path out, panics included.
//!
//! Environment given to the test processes:
//! * `SES_CLIENT_MOTO_ENDPOINT`: `http://127.0.0.1:PORT` of a moto server
//!   that does not check signatures. Any number of tests may use it; state is
//!   shared by all of them (moto keeps it per account and region), so tests
//!   should use names of their own.
//! * `SES_CLIENT_MOTO_AUTH_ENDPOINT`: a second moto server started with
//!   `INITIAL_NO_AUTH_ACTION_COUNT=3`. Its first three service requests are
//!   free, every later one must carry a valid SigV4 signature made with an
//!   access key created in moto. **Exactly one test in the whole workspace may
//!   use this endpoint**: it spends the three free requests on IAM
//!   `CreateUser`, `CreateAccessKey` and `PutUserPolicy` (a policy allowing
//!   the SES actions), then signs with that key; a bad signature is answered
//!   with HTTP 403 `SignatureDoesNotMatch`. A second user of the endpoint
//!   would race for the free requests.
//! * `AWS_QUERY_SHARED_DIR`: passed through when set, else `<root>/../shared`
//!   when that exists; otherwise a loud warning says shared-data tests skip.
//!
//! Tests should skip (not fail) when these variables are absent, so that a
//! plain `cargo test` still works; `cargo xtask test` always sets the moto
//! ones and fails if moto cannot start.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::moto::{self, MotoServer};

use crate::step::{
    ALLOW_SKIP_VAR, AUTH_FREE_REQUESTS, MOTO_AUTH_ENDPOINT_VAR, MOTO_ENDPOINT_VAR, SHARED_DIR_VAR,
    Step, TestContext,
};

/// The steps of `cargo xtask test`, in order.
pub fn steps<'a>() -> Vec<Step<'a>> {
    let mut steps = vec![
        // Cheap checks first, so a stale or unformatted tree fails in seconds.
        // In process: the same `codegen --check` a developer runs, without a second cargo.
        Step::new("codegen --check", |ctx| {
            crate::codegen_cmd::run(&ctx.workspace_root, &["--check".to_owned()])
        }),
        Step::command("cargo fmt --check", |ctx| {
            let mut cmd = ctx.cargo();
            cmd.args(["fmt", "--all", "--check"]);
            cmd
        }),
        Step::command("cargo clippy -D warnings", |ctx| {
            let mut cmd = ctx.cargo();
            cmd.args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]);
            cmd
        }),
        // Optional features (`aws-config-bridge`, `dns-check`) linted too; the test step below
        // builds with all of them, so their tests run.
        Step::command("cargo clippy --all-features -D warnings", |ctx| {
            let mut cmd = ctx.cargo();
            cmd.args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ]);
            cmd
        }),
        Step::new("moto venv", |ctx| {
            let server = moto::ensure_venv(&ctx.workspace_root)?;
            ctx.moto_server = Some(server);
            Ok(())
        }),
        Step::new("start moto servers", start_moto_servers),
        // Tests that need moto or the shared data are `#[ignore]`d (a plain `cargo test` lists
        // them as ignored, with the reason); here both are present, so they run.
        Step::command("cargo test --workspace --all-features", |ctx| {
            let mut cmd = ctx.cargo();
            cmd.args([
                "test",
                "--workspace",
                "--all-features",
                "--",
                "--include-ignored",
            ]);
            cmd
        }),
    ];
    // ---------------------------------------------------------------------
    // HOOK: later steps go here, in the order they should run, e.g.
    //   steps.push(Step::command("conformance", |ctx| { ... }));
    //   steps.push(Step::command("codegen --check", |ctx| { ... }));
    // Each step gets the context: `ctx.cargo()` / `ctx.command(..)` build
    // commands that run in the workspace root with the moto endpoints and
    // AWS_QUERY_SHARED_DIR set; the servers are still running.
    // ---------------------------------------------------------------------
    steps.extend(extra_steps());
    steps
}

/// Steps added after `cargo test --workspace` (see the HOOK in [`steps`]).
fn extra_steps<'a>() -> Vec<Step<'a>> {
    vec![
        crate::conformance::step(),
        // Every awsQuery model of ../shared (and the awkward fixture) as a standalone crate,
        // built and tested (smoke scenarios against moto included) with no warnings.
        crate::services::step(),
        // Every model of ../shared/models through the generator and its endpoint tests; the
        // awsQuery crates the services step does not build, built and clippy-checked.
        crate::corpus::step(),
        // A program written for aws-sdk-ses, built unchanged against ses-client, run on moto.
        crate::dropin::step(),
        // A program written for aws-sdk-dynamodb, -sqs, -kms and -cloudwatchlogs, built unchanged
        // against the crates the services step generated, run on moto.
        crate::dropin::json_step(),
    ]
}

fn start_moto_servers(ctx: &mut TestContext) -> Result<(), String> {
    let moto_server = ctx
        .moto_server
        .clone()
        .ok_or("internal error: the moto venv step did not run")?;

    let plain = MotoServer::start(&moto_server, &[])
        .map_err(|e| format!("cannot start the moto server (plain mode): {e}"))?;
    println!(
        "  {MOTO_ENDPOINT_VAR}={} (log: {})",
        plain.endpoint(),
        plain.log_path().display()
    );
    ctx.set_env(MOTO_ENDPOINT_VAR, plain.endpoint());
    ctx.servers.push(plain);

    let auth = MotoServer::start(
        &moto_server,
        &[("INITIAL_NO_AUTH_ACTION_COUNT", AUTH_FREE_REQUESTS)],
    )
    .map_err(|e| format!("cannot start the moto server (signature checking mode): {e}"))?;
    println!(
        "  {MOTO_AUTH_ENDPOINT_VAR}={} (INITIAL_NO_AUTH_ACTION_COUNT={AUTH_FREE_REQUESTS}, log: {})",
        auth.endpoint(),
        auth.log_path().display()
    );
    ctx.set_env(MOTO_AUTH_ENDPOINT_VAR, auth.endpoint());
    ctx.servers.push(auth);
    Ok(())
}

/// `AWS_QUERY_SHARED_DIR` for the tests: the caller's value, else
/// `<root>/../shared` if it is a directory, else `None`.
fn shared_dir(workspace_root: &Path, from_env: Option<String>) -> Option<PathBuf> {
    if let Some(dir) = from_env.filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let default = workspace_root.join("..").join("shared");
    default
        .is_dir()
        .then(|| default.canonicalize().unwrap_or(default))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    Ok,
    Failed,
    Skipped,
}

#[derive(Debug)]
pub struct StepOutcome {
    pub name: String,
    pub status: StepStatus,
    pub elapsed: Duration,
    pub error: Option<String>,
}

/// Runs `steps` in order, stopping at the first failure (later steps are
/// reported as skipped). Prints a header and the elapsed time of each step.
pub fn run_steps(ctx: &mut TestContext, steps: Vec<Step<'_>>) -> Vec<StepOutcome> {
    let total = steps.len();
    let mut outcomes = Vec::with_capacity(total);
    let mut failed = false;
    for (i, step) in steps.into_iter().enumerate() {
        if failed {
            outcomes.push(StepOutcome {
                name: step.name,
                status: StepStatus::Skipped,
                elapsed: Duration::ZERO,
                error: None,
            });
            continue;
        }
        println!("\n==> xtask test [{}/{total}] {}", i + 1, step.name);
        let started = Instant::now();
        let result = (step.run)(ctx);
        let elapsed = started.elapsed();
        let (status, error) = match result {
            Ok(()) => {
                println!("<== {}: ok ({})", step.name, fmt_duration(elapsed));
                (StepStatus::Ok, None)
            }
            Err(e) => {
                eprintln!(
                    "<== {}: FAILED ({})\nerror: {e}",
                    step.name,
                    fmt_duration(elapsed)
                );
                failed = true;
                (StepStatus::Failed, Some(e))
            }
        };
        outcomes.push(StepOutcome {
            name: step.name,
            status,
            elapsed,
            error,
        });
    }
    outcomes
}

fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 60.0 {
        format!("{}m{:04.1}s", (secs / 60.0).floor(), secs % 60.0)
    } else {
        format!("{secs:.1}s")
    }
}

/// The closing table.
fn summary_table(outcomes: &[StepOutcome]) -> String {
    let width = outcomes
        .iter()
        .map(|o| o.name.len())
        .chain(std::iter::once("step".len()))
        .max()
        .unwrap_or(4);
    let mut out = String::from("\n==> xtask test summary\n");
    out += &format!("  {:<width$}  {:<7}  {:>9}\n", "step", "result", "time");
    for o in outcomes {
        let (status, time) = match o.status {
            StepStatus::Ok => ("ok", fmt_duration(o.elapsed)),
            StepStatus::Failed => ("FAILED", fmt_duration(o.elapsed)),
            StepStatus::Skipped => ("skipped", "-".to_string()),
        };
        out += &format!("  {:<width$}  {status:<7}  {time:>9}\n", o.name);
    }
    let total: Duration = outcomes.iter().map(|o| o.elapsed).sum();
    out += &format!(
        "  {:<width$}  {:<7}  {:>9}\n",
        "total",
        "",
        fmt_duration(total)
    );
    out
}

/// The heart of `cargo xtask test`: installs moto if needed, starts the two
/// moto servers, runs `cargo test --workspace` (and the steps added at the
/// HOOK in [`steps`]) with their endpoints exported, stops the servers and
/// prints a summary. Errors when any step failed, moto's start included.
pub fn run_tests(workspace_root: &Path) -> Result<(), String> {
    let mut ctx = TestContext::new(workspace_root);
    let allow_skip = std::env::var_os(ALLOW_SKIP_VAR).is_some();
    match shared_dir(workspace_root, std::env::var(SHARED_DIR_VAR).ok()) {
        Some(dir) if dir.is_dir() => {
            println!("xtask test: {SHARED_DIR_VAR}={}", dir.display());
            ctx.set_env(SHARED_DIR_VAR, dir.to_string_lossy().into_owned());
        }
        found => {
            let what = match found {
                Some(dir) => format!("{SHARED_DIR_VAR}={} is not a directory", dir.display()),
                None => format!(
                    "{SHARED_DIR_VAR} is not set and {} does not exist",
                    workspace_root.join("..").join("shared").display()
                ),
            };
            if !allow_skip {
                return Err(format!(
                    "{what}: the shared data (models, conformance cases, SigV4 suites) is \
                     missing. Set {SHARED_DIR_VAR} to it, or set {ALLOW_SKIP_VAR}=1 to run \
                     without it (its tests and services are then skipped, loudly)"
                ));
            }
            eprintln!(
                "\n\
                 ************************************************************************\n\
                 WARNING: {what}.\n\
                 {ALLOW_SKIP_VAR} is set: tests that need the shared data (models,\n\
                 conformance cases) are SKIPPED.\n\
                 ************************************************************************\n"
            );
            ctx.set_env(ALLOW_SKIP_VAR, "1");
        }
    }

    let outcomes = run_steps(&mut ctx, steps());
    if !ctx.servers.is_empty() {
        ctx.stop_servers();
        println!("xtask test: moto servers stopped");
    }
    print!("{}", summary_table(&outcomes));

    match outcomes.iter().find(|o| o.status == StepStatus::Failed) {
        // The full error was printed under the step's header; repeat its
        // first line so the caller's message stands on its own.
        Some(failed) => Err(format!(
            "xtask test failed at step `{}`: {}",
            failed.name,
            failed
                .error
                .as_deref()
                .and_then(|e| e.lines().next())
                .unwrap_or("(no detail)")
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    #[test]
    fn steps_run_in_order_and_stop_at_first_failure() {
        let log = RefCell::new(Vec::new());
        let mut ctx = TestContext::new(Path::new("."));
        let steps = vec![
            Step::new("one", |ctx: &mut TestContext| {
                log.borrow_mut().push("one");
                ctx.set_env("A", "1");
                Ok(())
            }),
            Step::new("two", |ctx: &mut TestContext| {
                log.borrow_mut().push("two");
                assert_eq!(ctx.env, vec![("A".to_string(), "1".to_string())]);
                Err("boom".to_string())
            }),
            Step::new("three", |_: &mut TestContext| {
                log.borrow_mut().push("three");
                Ok(())
            }),
        ];
        let outcomes = run_steps(&mut ctx, steps);
        assert_eq!(*log.borrow(), vec!["one", "two"]);
        let statuses: Vec<_> = outcomes.iter().map(|o| o.status).collect();
        assert_eq!(
            statuses,
            vec![StepStatus::Ok, StepStatus::Failed, StepStatus::Skipped]
        );
        assert_eq!(outcomes[1].error.as_deref(), Some("boom"));

        let table = summary_table(&outcomes);
        assert!(table.contains("one"), "{table}");
        assert!(table.contains("FAILED"), "{table}");
        assert!(table.contains("skipped"), "{table}");
        assert!(table.contains("total"), "{table}");
    }

    #[test]
    fn default_steps_check_first_then_moto_then_cargo_test() {
        let names: Vec<_> = steps().into_iter().map(|s| s.name).collect();
        assert_eq!(
            &names[..7],
            [
                "codegen --check",
                "cargo fmt --check",
                "cargo clippy -D warnings",
                "cargo clippy --all-features -D warnings",
                "moto venv",
                "start moto servers",
                "cargo test --workspace --all-features"
            ]
        );
    }

    #[test]
    fn set_env_replaces() {
        let mut ctx = TestContext::new(Path::new("."));
        ctx.set_env("K", "a");
        ctx.set_env("K", "b");
        assert_eq!(ctx.env, vec![("K".to_string(), "b".to_string())]);
        let cmd = ctx.command("true");
        assert!(
            cmd.get_envs()
                .any(|(k, v)| k == "K" && v == Some(std::ffi::OsStr::new("b")))
        );
    }

    #[test]
    fn servers_step_without_venv_fails_clearly() {
        let mut ctx = TestContext::new(Path::new("."));
        let err = start_moto_servers(&mut ctx).unwrap_err();
        assert!(err.contains("venv"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn command_step_reports_failure() {
        let mut ctx = TestContext::new(Path::new("."));
        let outcomes = run_steps(
            &mut ctx,
            vec![
                Step::command("true", |ctx| ctx.command("true")),
                Step::command("false", |ctx| ctx.command("false")),
            ],
        );
        assert_eq!(outcomes[0].status, StepStatus::Ok);
        assert_eq!(outcomes[1].status, StepStatus::Failed);
        assert!(
            outcomes[1]
                .error
                .as_deref()
                .unwrap()
                .contains("`false` failed")
        );
    }

    #[test]
    fn shared_dir_resolution() {
        let root = std::env::temp_dir().join(format!("xtask-shared-{}", std::process::id()));
        let ws = root.join("main");
        std::fs::create_dir_all(&ws).unwrap();
        // Explicit value wins, even if it does not exist.
        assert_eq!(
            shared_dir(&ws, Some("/explicit".into())),
            Some(PathBuf::from("/explicit"))
        );
        // No ../shared: none.
        assert_eq!(shared_dir(&ws, None), None);
        assert_eq!(shared_dir(&ws, Some(String::new())), None);
        // ../shared exists: used, canonicalized.
        std::fs::create_dir_all(root.join("shared")).unwrap();
        assert_eq!(
            shared_dir(&ws, None),
            Some(root.join("shared").canonicalize().unwrap())
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn durations() {
        assert_eq!(fmt_duration(Duration::from_millis(1234)), "1.2s");
        assert_eq!(fmt_duration(Duration::from_secs(125)), "2m05.0s");
    }
}
