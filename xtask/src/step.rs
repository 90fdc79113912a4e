//! What the steps of `cargo xtask test` share: the [`TestContext`] they run in, the [`Step`]
//! type, and the settings every step that builds generated crates uses. Steps live in their own
//! modules (services, conformance, dropin); `test_cmd` lists and runs them. Nothing here imports
//! a step or the runner, so the modules form no import circle.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::moto::MotoServer;

pub const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";
pub const MOTO_AUTH_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_AUTH_ENDPOINT";
pub const SHARED_DIR_VAR: &str = "AWS_QUERY_SHARED_DIR";

/// Set (to anything) to let `cargo xtask test` and the tests run without the shared data, skipping
/// (loudly) what needs it; without it, missing shared data is an error.
pub const ALLOW_SKIP_VAR: &str = "AWS_QUERY_ALLOW_SKIP";

/// The cargo target dir of every crate `cargo xtask test` generates (conformance, services, the
/// several-services program), relative to the workspace root: one build of the runtime crate
/// and the dependencies for all of them.
pub const GENERATED_TARGET_DIR: &str = "target/generated";
/// The `RUSTFLAGS` of those builds (one value, so they never invalidate each other's artifacts).
pub const GENERATED_RUSTFLAGS: &str = "-D warnings";
/// Their debug info: line tables (readable backtraces), as the workspace's own crates have;
/// full debug info would make `target/generated` several GB.
pub const GENERATED_DEBUG: &str = "line-tables-only";
/// Free (unsigned) requests of the auth-checking server.
pub const AUTH_FREE_REQUESTS: &str = "3";

/// State shared by the steps.
pub struct TestContext {
    pub workspace_root: PathBuf,
    /// Extra environment for every command the steps run.
    pub env: Vec<(String, String)>,
    /// Set by the venv step.
    pub moto_server: Option<PathBuf>,
    /// Running servers; dropped (killed) when the run ends.
    pub servers: Vec<MotoServer>,
}

impl TestContext {
    pub fn new(workspace_root: &Path) -> Self {
        TestContext {
            workspace_root: workspace_root.to_path_buf(),
            env: Vec::new(),
            moto_server: None,
            servers: Vec::new(),
        }
    }

    /// Sets (or replaces) a variable for the commands of later steps.
    pub fn set_env(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.env.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => self.env.push((key.to_string(), value)),
        }
    }

    /// `program`, run in the workspace root with [`Self::env`] applied and
    /// stdio inherited.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.workspace_root);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// The cargo that runs us (`$CARGO`), else `cargo` from PATH, building without incremental
    /// state (each build here runs once; its incremental files doubled the size of `target/`).
    pub fn cargo(&self) -> Command {
        let mut cmd = self.command(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.env("CARGO_INCREMENTAL", "0");
        cmd
    }

    /// Stops all servers (also done by drop).
    pub fn stop_servers(&mut self) {
        for mut server in self.servers.drain(..) {
            server.stop();
        }
    }
}

type StepFn<'a> = Box<dyn FnOnce(&mut TestContext) -> Result<(), String> + 'a>;

/// One named step of `cargo xtask test`.
pub struct Step<'a> {
    pub name: String,
    pub(crate) run: StepFn<'a>,
}

impl<'a> Step<'a> {
    pub fn new(
        name: impl Into<String>,
        run: impl FnOnce(&mut TestContext) -> Result<(), String> + 'a,
    ) -> Self {
        Step {
            name: name.into(),
            run: Box::new(run),
        }
    }

    /// A step that runs the command built by `build` and fails on a
    /// non-zero exit.
    pub fn command(
        name: impl Into<String>,
        build: impl FnOnce(&TestContext) -> Command + 'a,
    ) -> Self {
        Step::new(name, move |ctx| run_command(build(ctx)))
    }
}

/// Runs `cmd` (stdio inherited) and turns a non-zero exit into an error.
pub fn run_command(mut cmd: Command) -> Result<(), String> {
    let shown = std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}
