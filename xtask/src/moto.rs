//! The moto SES emulator used by `cargo xtask test`.
//!
//! * [`ensure_venv`] creates `<root>/target/moto-venv` (a Python virtualenv) and
//!   installs a pinned `moto[server]` into it. A stamp file records the pin, so
//!   later runs skip the install (a venv check costs one `python -c` run).
//! * [`MotoServer`] runs `moto_server` on a free port of 127.0.0.1, with its
//!   output in `target/moto-logs/moto-PORT.log`, and kills it on drop.
//!
//! Facts about moto that the tests rely on (checked with the pinned version):
//! * moto picks the service from the SigV4 credential scope of the
//!   `Authorization` header (`.../us-east-1/ses/aws4_request`); a request
//!   without one is routed to S3. State is kept per account and region.
//! * By default (no `INITIAL_NO_AUTH_ACTION_COUNT`) signatures are not checked.
//!   With `INITIAL_NO_AUTH_ACTION_COUNT=N`, the first N service requests are
//!   free; after that every request must be signed with an access key that was
//!   created inside moto (IAM `CreateAccessKey`) and whose user has a policy
//!   allowing the action. Requests to `/moto-api/...` (the readiness probe
//!   included) do not count.
//! * `POST /moto-api/reset` wipes all state; `POST /moto-api/reset-auth` with a
//!   number as body sets the free-request count anew.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The moto release installed into the venv. Changing it triggers a reinstall.
pub const MOTO_VERSION: &str = "5.2.5";

/// Interpreter used to create the venv; overridable with `XTASK_PYTHON`.
const DEFAULT_PYTHON: &str = "python3";
const PYTHON_ENV_VAR: &str = "XTASK_PYTHON";

const STAMP_FILE: &str = "xtask-moto.stamp";
/// Bump when the stamp format or the install recipe changes.
const STAMP_FORMAT: &str = "xtask-moto-stamp v1";

const VENV_CREATE_TIMEOUT: Duration = Duration::from_secs(180);
const PIP_INSTALL_TIMEOUT: Duration = Duration::from_secs(15 * 60);
const PYTHON_CHECK_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a started `moto_server` gets to answer HTTP.
pub const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
const POLL_INTERVAL: Duration = Duration::from_millis(100);
const LOG_TAIL_LINES: usize = 40;
/// Attempts to start moto when another process grabbed the port in between.
const PORT_ATTEMPTS: usize = 3;

/// The pip requirement installed into the venv.
pub fn moto_requirement() -> String {
    format!("moto[server]=={MOTO_VERSION}")
}

/// `<root>/target/moto-venv`.
pub fn venv_dir(workspace_root: &Path) -> PathBuf {
    workspace_root.join("target").join("moto-venv")
}

/// `<root>/target/moto-logs`.
pub fn log_dir(workspace_root: &Path) -> PathBuf {
    workspace_root.join("target").join("moto-logs")
}

fn venv_bin(venv: &Path, name: &str) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join(format!("{name}.exe"))
    } else {
        venv.join("bin").join(name)
    }
}

/// What the stamp file holds for the current pin.
fn stamp_contents() -> String {
    format!("{STAMP_FORMAT}\nrequirement={}\n", moto_requirement())
}

/// True when the stamp at `path` exists and records exactly `expected`.
fn stamp_is_current(path: &Path, expected: &str) -> bool {
    fs::read_to_string(path).is_ok_and(|s| s == expected)
}

/// Writes the stamp atomically (temp file + rename), so a crash never leaves
/// a half-written stamp that would look valid.
fn write_stamp(path: &Path, contents: &str) -> Result<(), String> {
    let tmp = path.with_extension("stamp.tmp");
    fs::write(&tmp, contents)
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(|e| format!("cannot write moto venv stamp {}: {e}", path.display()))
}

/// Creates (if needed) the moto virtualenv under `<root>/target/moto-venv`,
/// installs the pinned `moto[server]` into it unless the stamp says it is
/// already there, and returns the path of its `moto_server` executable.
pub fn ensure_venv(workspace_root: &Path) -> Result<PathBuf, String> {
    let venv = venv_dir(workspace_root);
    let python = venv_bin(&venv, "python");
    let moto_server = venv_bin(&venv, "moto_server");
    let stamp = venv.join(STAMP_FILE);
    let expected = stamp_contents();
    let logs = log_dir(workspace_root);

    let python_ok = python.is_file() && python_runs(&python);
    if python_ok && moto_server.is_file() && stamp_is_current(&stamp, &expected) {
        return Ok(moto_server);
    }

    fs::create_dir_all(&logs)
        .map_err(|e| format!("cannot create log directory {}: {e}", logs.display()))?;

    if !python_ok {
        // A venv whose interpreter is gone or broken (e.g. the system Python
        // was upgraded) cannot be repaired in place: start over.
        if venv.exists() {
            eprintln!(
                "xtask: moto venv at {} is unusable, recreating it",
                venv.display()
            );
            fs::remove_dir_all(&venv)
                .map_err(|e| format!("cannot remove broken venv {}: {e}", venv.display()))?;
        }
        let base_python =
            std::env::var(PYTHON_ENV_VAR).unwrap_or_else(|_| DEFAULT_PYTHON.to_string());
        eprintln!("xtask: creating Python venv {}", venv.display());
        let mut cmd = Command::new(&base_python);
        cmd.arg("-m").arg("venv").arg(&venv);
        run_logged(
            &mut cmd,
            "creating the moto virtualenv",
            &logs.join("venv-create.log"),
            VENV_CREATE_TIMEOUT,
        )
        .map_err(|e| {
            format!(
                "{e}\nhint: the moto emulator needs Python 3 with the venv module \
                 (Debian/Ubuntu: apt-get install python3 python3-venv); set \
                 {PYTHON_ENV_VAR} to use another interpreter than `{base_python}`"
            )
        })?;
        if !python.is_file() {
            return Err(format!(
                "`{base_python} -m venv` succeeded but {} does not exist",
                python.display()
            ));
        }
    }

    // No stamp while installing: an interrupted install is redone next time.
    let _ = fs::remove_file(&stamp);
    let requirement = moto_requirement();
    let started = Instant::now();
    eprintln!(
        "xtask: installing {requirement} into {} (only when missing or re-pinned; ~30 s)",
        venv.display()
    );
    let mut cmd = Command::new(&python);
    cmd.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        &requirement,
    ])
    .env("PIP_NO_INPUT", "1");
    run_logged(
        &mut cmd,
        &format!("installing {requirement} with pip"),
        &logs.join("pip-install.log"),
        PIP_INSTALL_TIMEOUT,
    )
    .map_err(|e| {
        format!("{e}\nhint: pip needs access to the Python package registry to install moto")
    })?;
    if !moto_server.is_file() {
        return Err(format!(
            "pip installed {requirement} but {} does not exist",
            moto_server.display()
        ));
    }
    write_stamp(&stamp, &expected)?;
    eprintln!(
        "xtask: installed {requirement} in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(moto_server)
}

/// Whether the venv's interpreter starts at all.
fn python_runs(python: &Path) -> bool {
    let Ok(mut child) = Command::new(python)
        .args(["-c", "import sys"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    matches!(wait_timeout(&mut child, PYTHON_CHECK_TIMEOUT), Ok(Some(s)) if s.success())
}

/// Renders a command as `program arg1 arg2` for messages.
fn display_command(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs `cmd` with stdout+stderr going to `log`, waiting at most `timeout`.
/// On failure the error names the command, its exit status and the log tail.
fn run_logged(cmd: &mut Command, what: &str, log: &Path, timeout: Duration) -> Result<(), String> {
    let shown = display_command(cmd);
    let (out, err) = log_stdio(log)?;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .map_err(|e| spawn_error(what, &shown, &e))?;
    match wait_timeout(&mut child, timeout) {
        Ok(Some(status)) if status.success() => Ok(()),
        Ok(Some(status)) => Err(format!(
            "{what} failed: `{shown}` {}\n{}",
            describe_status(status),
            log_tail_section(log)
        )),
        Ok(None) => {
            kill_and_reap(&mut child);
            Err(format!(
                "{what} failed: `{shown}` did not finish within {}s and was killed\n{}",
                timeout.as_secs(),
                log_tail_section(log)
            ))
        }
        Err(e) => {
            kill_and_reap(&mut child);
            Err(format!("{what} failed: waiting for `{shown}`: {e}"))
        }
    }
}

fn spawn_error(what: &str, shown: &str, e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::NotFound {
        format!("{what} failed: cannot run `{shown}`: program not found ({e})")
    } else {
        format!("{what} failed: cannot run `{shown}`: {e}")
    }
}

fn describe_status(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => format!("was terminated ({status})"),
    }
}

/// Opens (truncating) `log` and returns two handles on it for stdout/stderr.
fn log_stdio(log: &Path) -> Result<(Stdio, Stdio), String> {
    let file =
        File::create(log).map_err(|e| format!("cannot create log {}: {e}", log.display()))?;
    let clone = file
        .try_clone()
        .map_err(|e| format!("cannot duplicate log handle {}: {e}", log.display()))?;
    Ok((Stdio::from(file), Stdio::from(clone)))
}

/// Polls `child` until it exits or `timeout` passes (`Ok(None)`).
fn wait_timeout(child: &mut Child, timeout: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        thread::sleep(POLL_INTERVAL);
    }
}

/// SIGKILLs `child` (if still running) and reaps it, waiting a bounded time.
fn kill_and_reap(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = child.kill();
    let _ = wait_timeout(child, STOP_TIMEOUT);
}

/// The last `n` lines of `text`.
fn tail_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The last lines of a log file (reads at most its last 64 KiB).
fn log_tail(log: &Path, n: usize) -> String {
    const MAX: u64 = 64 * 1024;
    let read = || -> io::Result<String> {
        use std::io::{Seek, SeekFrom};
        let mut f = File::open(log)?;
        let len = f.metadata()?.len();
        f.seek(SeekFrom::Start(len.saturating_sub(MAX)))?;
        let mut buf = Vec::new();
        f.read_to_end(&mut buf)?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    };
    match read() {
        Ok(text) => tail_lines(&text, n),
        Err(e) => format!("(cannot read {}: {e})", log.display()),
    }
}

fn log_tail_section(log: &Path) -> String {
    format!(
        "--- last lines of {} ---\n{}\n--- end of log ---",
        log.display(),
        log_tail(log, LOG_TAIL_LINES)
    )
}

/// A free TCP port on 127.0.0.1 (bind to port 0, read it, release it).
/// Another process may take it before moto binds; [`MotoServer::start`]
/// retries in that case.
pub fn pick_free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot bind a TCP port on 127.0.0.1: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("cannot read the bound port: {e}"))?
        .port();
    drop(listener);
    Ok(port)
}

/// Where a server's log goes: `target/moto-logs` next to the venv
/// `target/moto-venv/bin/moto_server` lives in, else the temp dir.
fn default_log_dir(moto_server: &Path) -> PathBuf {
    moto_server
        .parent() // bin
        .and_then(Path::parent) // moto-venv
        .filter(|venv| venv.file_name().is_some_and(|n| n == "moto-venv"))
        .and_then(Path::parent) // target
        .map(|target| target.join("moto-logs"))
        .unwrap_or_else(|| std::env::temp_dir().join("moto-logs"))
}

/// A running `moto_server` on 127.0.0.1. Dropping it kills the process and
/// waits for it, so it stops on every path out, panics included (on Ctrl-C,
/// the terminal's SIGINT reaches it too: it stays in our process group).
#[derive(Debug)]
pub struct MotoServer {
    child: Child,
    port: u16,
    log_path: PathBuf,
}

enum StartError {
    /// moto exited because another process bound the port first.
    PortTaken(String),
    Fatal(String),
}

impl MotoServer {
    /// Starts `moto_server -H 127.0.0.1 -p PORT` on a free port with the
    /// given extra environment (e.g. `("INITIAL_NO_AUTH_ACTION_COUNT", "3")`)
    /// and waits (at most [`STARTUP_TIMEOUT`]) until it answers HTTP.
    ///
    /// `INITIAL_NO_AUTH_ACTION_COUNT` is not inherited from our environment:
    /// auth checking is on only when `env` asks for it.
    pub fn start(moto_server: &Path, env: &[(&str, &str)]) -> Result<MotoServer, String> {
        Self::start_with(
            moto_server,
            env,
            &default_log_dir(moto_server),
            STARTUP_TIMEOUT,
        )
    }

    fn start_with(
        moto_server: &Path,
        env: &[(&str, &str)],
        log_dir: &Path,
        timeout: Duration,
    ) -> Result<MotoServer, String> {
        if !moto_server.is_file() {
            return Err(format!(
                "cannot start moto: {} does not exist (run ensure_venv first)",
                moto_server.display()
            ));
        }
        fs::create_dir_all(log_dir)
            .map_err(|e| format!("cannot create log directory {}: {e}", log_dir.display()))?;
        let mut last_error = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let port = pick_free_port()?;
            match Self::try_start(moto_server, env, log_dir, port, timeout) {
                Ok(server) => return Ok(server),
                Err(StartError::PortTaken(e)) => last_error = e,
                Err(StartError::Fatal(e)) => return Err(e),
            }
        }
        Err(last_error)
    }

    fn try_start(
        moto_server: &Path,
        env: &[(&str, &str)],
        log_dir: &Path,
        port: u16,
        timeout: Duration,
    ) -> Result<MotoServer, StartError> {
        let log_path = log_dir.join(format!("moto-{port}.log"));
        let (out, err) = log_stdio(&log_path).map_err(StartError::Fatal)?;
        let mut cmd = Command::new(moto_server);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env_remove("INITIAL_NO_AUTH_ACTION_COUNT")
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let shown = display_command(&cmd);
        let child = cmd
            .spawn()
            .map_err(|e| StartError::Fatal(spawn_error("starting moto", &shown, &e)))?;
        // From here on, Drop kills the process whatever happens.
        let mut server = MotoServer {
            child,
            port,
            log_path,
        };
        server.wait_ready(&shown, timeout)?;
        Ok(server)
    }

    fn wait_ready(&mut self, shown: &str, timeout: Duration) -> Result<(), StartError> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    let tail = log_tail(&self.log_path, LOG_TAIL_LINES);
                    let msg = format!(
                        "moto could not start: `{shown}` {} before answering\n{}",
                        describe_status(status),
                        log_tail_section(&self.log_path)
                    );
                    return Err(if tail.contains("Address already in use") {
                        StartError::PortTaken(msg)
                    } else {
                        StartError::Fatal(msg)
                    });
                }
                Ok(None) => {}
                Err(e) => {
                    return Err(StartError::Fatal(format!(
                        "moto could not start: cannot poll `{shown}`: {e}"
                    )));
                }
            }
            if probe_http(self.port) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(StartError::Fatal(format!(
                    "moto could not start: `{shown}` did not answer HTTP on 127.0.0.1:{} \
                     within {}s\n{}",
                    self.port,
                    timeout.as_secs(),
                    log_tail_section(&self.log_path)
                )));
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The file that receives the server's stdout and stderr.
    pub fn log_path(&self) -> &Path {
        &self.log_path
    }

    /// Kills the server and waits (bounded) for it; idempotent. Drop calls it.
    pub fn stop(&mut self) {
        kill_and_reap(&mut self.child);
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// True when 127.0.0.1:`port` answers `GET /moto-api/` with HTTP 200.
/// Every step is bounded by a timeout.
fn probe_http(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let timeout = Some(Duration::from_secs(2));
    if stream.set_read_timeout(timeout).is_err() || stream.set_write_timeout(timeout).is_err() {
        return false;
    }
    let request =
        format!("GET /moto-api/ HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    // Read the whole (small) response so the server never sees a reset.
    let mut response = Vec::new();
    if stream.take(1024 * 1024).read_to_end(&mut response).is_err() {
        return false;
    }
    is_http_200(&response)
}

fn is_http_200(response: &[u8]) -> bool {
    let status_line = response.split(|&b| b == b'\n').next().unwrap_or_default();
    let status_line = String::from_utf8_lossy(status_line);
    let mut parts = status_line.split_whitespace();
    matches!(
        (parts.next(), parts.next()),
        (Some(version), Some("200")) if version.starts_with("HTTP/1.")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-moto-test-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn picked_port_is_free_and_bindable() {
        let port = pick_free_port().unwrap();
        assert_ne!(port, 0);
        // The port was released, so we can bind it ourselves.
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
        assert_eq!(listener.local_addr().unwrap().port(), port);
    }

    #[test]
    fn picked_ports_differ_while_held() {
        let a = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = pick_free_port().unwrap();
        assert_ne!(port, a.local_addr().unwrap().port());
    }

    #[test]
    fn requirement_is_pinned() {
        let req = moto_requirement();
        assert!(req.starts_with("moto[server]=="), "{req}");
        let version = req.trim_start_matches("moto[server]==");
        assert_eq!(version.split('.').count(), 3, "{version}");
        assert!(
            version.split('.').all(|p| p.parse::<u32>().is_ok()),
            "{version}"
        );
        assert!(stamp_contents().contains(&req));
    }

    #[test]
    fn stamp_logic() {
        let dir = scratch_dir("stamp");
        let stamp = dir.join(STAMP_FILE);
        let want = stamp_contents();
        assert!(!stamp_is_current(&stamp, &want), "missing stamp is stale");
        write_stamp(&stamp, &want).unwrap();
        assert!(stamp_is_current(&stamp, &want));
        assert!(!dir.join("xtask-moto.stamp.tmp").exists());
        // A different pin (or format) invalidates it.
        let other = want.replace(MOTO_VERSION, "0.0.1");
        assert!(!stamp_is_current(&stamp, &other));
        fs::write(&stamp, "garbage").unwrap();
        assert!(!stamp_is_current(&stamp, &want));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn venv_layout() {
        let root = Path::new("/w");
        assert_eq!(venv_dir(root), Path::new("/w/target/moto-venv"));
        let server = venv_bin(&venv_dir(root), "moto_server");
        if cfg!(unix) {
            assert_eq!(server, Path::new("/w/target/moto-venv/bin/moto_server"));
        }
        assert_eq!(default_log_dir(&server), Path::new("/w/target/moto-logs"));
        assert_eq!(
            default_log_dir(Path::new("/usr/bin/moto_server")),
            std::env::temp_dir().join("moto-logs")
        );
    }

    #[test]
    fn tails() {
        assert_eq!(tail_lines("a\nb\nc\n", 2), "b\nc");
        assert_eq!(tail_lines("a", 5), "a");
        assert_eq!(tail_lines("", 5), "");
    }

    #[test]
    fn http_status_parsing() {
        assert!(is_http_200(b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\nbody"));
        assert!(is_http_200(b"HTTP/1.0 200 OK\r\n"));
        assert!(!is_http_200(b"HTTP/1.1 404 NOT FOUND\r\n"));
        assert!(!is_http_200(b"SSH-2.0-OpenSSH\r\n"));
        assert!(!is_http_200(b""));
    }

    #[test]
    fn probe_of_closed_port_is_false() {
        let port = pick_free_port().unwrap();
        assert!(!probe_http(port));
    }

    #[test]
    fn missing_executable_is_a_clear_error() {
        let err = MotoServer::start(Path::new("/nonexistent/moto_server"), &[]).unwrap_err();
        assert!(err.contains("cannot start moto"), "{err}");
        assert!(err.contains("/nonexistent/moto_server"), "{err}");
    }

    #[cfg(unix)]
    fn fake_server(dir: &Path, script: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("moto_server");
        fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[cfg(unix)]
    #[test]
    fn early_exit_reports_log_tail() {
        let dir = scratch_dir("early-exit");
        let server = fake_server(&dir, "echo \"boom: args $*\" >&2\nexit 3");
        let err = MotoServer::start_with(&server, &[], &dir, Duration::from_secs(10)).unwrap_err();
        assert!(err.contains("moto could not start"), "{err}");
        assert!(err.contains("exited with status 3"), "{err}");
        assert!(err.contains("boom: args -H 127.0.0.1 -p "), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn port_taken_is_retried_then_reported() {
        let dir = scratch_dir("port-taken");
        let server = fake_server(
            &dir,
            "echo 'OSError: [Errno 98] Address already in use' >&2\nexit 1",
        );
        let err = MotoServer::start_with(&server, &[], &dir, Duration::from_secs(10)).unwrap_err();
        assert!(err.contains("Address already in use"), "{err}");
        // One log per attempt.
        let logs = fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("moto-")
            })
            .count();
        assert_eq!(logs, PORT_ATTEMPTS);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn silent_server_times_out_and_is_killed() {
        let dir = scratch_dir("silent");
        let marker = dir.join("env.txt");
        let server = fake_server(
            &dir,
            &format!(
                "echo \"count=$INITIAL_NO_AUTH_ACTION_COUNT extra=$EXTRA\" > {}\nexec sleep 60",
                marker.display()
            ),
        );
        let started = Instant::now();
        let err = MotoServer::start_with(
            &server,
            &[("EXTRA", "yes")],
            &dir,
            Duration::from_millis(700),
        )
        .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(20), "bounded wait");
        assert!(err.contains("did not answer HTTP"), "{err}");
        // Extra env reached the process; an inherited auth count would not.
        assert_eq!(
            fs::read_to_string(&marker).unwrap().trim(),
            "count= extra=yes"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Under `cargo xtask test`, the harness's plain moto server answers SES.
    #[test]
    fn harness_endpoint_answers_ses() {
        let Ok(endpoint) = std::env::var("SES_CLIENT_MOTO_ENDPOINT") else {
            eprintln!("SES_CLIENT_MOTO_ENDPOINT not set (not under `cargo xtask test`): skipped");
            return;
        };
        let hostport = endpoint.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(hostport).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let body = "Action=GetSendQuota&Version=2010-12-01";
        let request = format!(
            "POST / HTTP/1.0\r\nHost: {hostport}\r\n\
             Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ses/aws4_request, SignedHeaders=host, Signature=x\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(is_http_200(response.as_bytes()), "{response}");
        assert!(
            response.contains("<Max24HourSend>200.0</Max24HourSend>"),
            "{response}"
        );
    }
}
