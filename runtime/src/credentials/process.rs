//! `credential_process`: a command that prints credentials as JSON.
//!
//! The command runs through the shell (`sh -c` on Unix, `cmd.exe /C` on Windows) with standard
//! input closed. Its standard output must be:
//!
//! ```json
//! {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
//!  "SessionToken": "...", "Expiration": "2030-01-01T00:00:00Z"}
//! ```
//!
//! `SessionToken` and `Expiration` (RFC 3339) are optional. The provider itself does not cache;
//! [`DefaultCredentialsChain`](super::DefaultCredentialsChain) caches its result until 5 minutes
//! before `Expiration` (wrap a standalone provider in [`CachingProvider`](super::CachingProvider)).
//! Errors never include the command's output or its text (either may hold secrets), only the
//! profile and file it came from, the exit status and the start of standard error. What is
//! quoted of standard error (and of the output's Version and Expiration) is scrubbed first:
//! access key ids, secret keys, session tokens and the values of `SecretAccessKey` /
//! `SessionToken` / `aws_secret_access_key` / `aws_session_token` become `<redacted>` (see
//! `scrub.rs` for the exact shapes).
//!
//! # Limits
//!
//! A command that hangs, floods its output or leaves processes behind cannot hang the program,
//! exhaust its memory or outlive the call:
//!
//! - **Timeout**, [`DEFAULT_PROCESS_TIMEOUT`] (60 s, as in AWS's Go SDK; set it with
//!   [`ProcessProvider::with_timeout`], `DefaultCredentialsChain::with_process_timeout` or
//!   `ConfigBuilder::credential_process_timeout`): a command still running then is killed and
//!   the load fails. The deadline is kept by a thread of its own, so it holds even while nobody
//!   polls the future.
//! - **Output**, [`DEFAULT_PROCESS_OUTPUT_LIMIT`] (64 KiB, as in AWS's Kotlin SDK; 64000 bytes
//!   in Java's; a real answer is a few KiB at most; [`ProcessProvider::with_output_limit`]): a
//!   command that writes more to standard output is killed and the load fails. Standard error is
//!   read as it comes so the command never blocks on it, but only its first 4 KiB are kept (for
//!   messages).
//! - **Drain**, [`PROCESS_OUTPUT_DRAIN_TIME`] (250 ms): once the command has exited, its output
//!   is read until it closes for at most this long. A background process it started that still
//!   holds the output open then is killed, and what was read is used.
//! - **Process group**: on Unix the command runs in a process group of its own, and the whole
//!   group gets `SIGKILL` in each case above and when the caller stops waiting (the future is
//!   dropped, e.g. by an operation timeout), so no helper process outlives the call. Processes
//!   it started that closed its output (daemons) are left alone when it succeeds. Elsewhere only
//!   the command itself is killed. As the group is not the terminal's foreground group, a
//!   command that reads from the terminal (`/dev/tty`) is stopped by the system and killed at
//!   the timeout; its standard input was never the terminal either.

use std::fmt;
use std::io::{self, Read};
#[cfg(not(unix))]
use std::process::Child;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use super::env::Env;
use super::profile::ProfileSet;
use super::scrub::scrub;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::time::{self, Format};

/// How long a `credential_process` command may run before it is killed: 60 s.
pub const DEFAULT_PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// How many bytes a `credential_process` command may write to standard output: 64 KiB.
pub const DEFAULT_PROCESS_OUTPUT_LIMIT: usize = 64 * 1024;

/// How long the output of a command that has exited is read until it closes: 250 ms.
pub const PROCESS_OUTPUT_DRAIN_TIME: Duration = Duration::from_millis(250);

/// How much of the command's standard error is kept; the rest is read and dropped.
const STDERR_KEPT: usize = 4096;

/// Longest excerpt of the command's standard error put into an error.
const STDERR_EXCERPT: usize = 300;

/// What a killed command's error says happened to it.
#[cfg(unix)]
const KILLED: &str = "it was killed, with every process of its process group";
#[cfg(not(unix))]
const KILLED: &str = "it was killed";

/// The timeout and output limit of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProcessLimits {
    pub(crate) timeout: Duration,
    pub(crate) output_limit: usize,
}

impl Default for ProcessLimits {
    fn default() -> Self {
        ProcessLimits {
            timeout: DEFAULT_PROCESS_TIMEOUT,
            output_limit: DEFAULT_PROCESS_OUTPUT_LIMIT,
        }
    }
}

/// Runs a `credential_process` command: the selected profile's, or a given one, within a
/// timeout and an output limit (see [Limits](super#limits)).
///
/// The command runs through the shell with standard input closed. On Unix it runs in a process
/// group of its own, and the whole group is killed (`SIGKILL`) when the command times out,
/// writes more than the output limit, or is abandoned (the future of [`load`](Self::load) is
/// dropped, e.g. by an operation timeout); elsewhere only the command itself is killed. Once the
/// command has exited, its output is read until it closes for at most
/// [`PROCESS_OUTPUT_DRAIN_TIME`] (250 ms); background processes still holding it then are
/// killed and what was read is used. Processes it started that closed its output (daemons) are
/// left running after a clean exit. Being outside the terminal's foreground group, a command
/// that reads from the terminal (`/dev/tty`) is stopped by the system until the timeout.
#[derive(Clone)]
pub struct ProcessProvider {
    source: Source,
    limits: ProcessLimits,
}

#[derive(Clone)]
enum Source {
    Profile(Env),
    Command(String),
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("ProcessProvider");
        // The command line may carry secrets.
        match &self.source {
            Source::Profile(env) => s.field("from_profile", env),
            Source::Command(_) => s.field("command", &crate::redact::REDACTED),
        };
        s.field("timeout", &self.limits.timeout)
            .field("output_limit", &self.limits.output_limit)
            .finish()
    }
}

impl Default for ProcessProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl ProcessProvider {
    /// The `credential_process` of the profile the process environment selects.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// The `credential_process` of the profile `env` selects.
    pub fn with_env(env: Env) -> Self {
        ProcessProvider {
            source: Source::Profile(env),
            limits: ProcessLimits::default(),
        }
    }

    /// This command line.
    pub fn from_command(command: impl Into<String>) -> Self {
        ProcessProvider {
            source: Source::Command(command.into()),
            limits: ProcessLimits::default(),
        }
    }

    /// Kills the command (with its process group, on Unix) and fails when it runs longer than
    /// `timeout` (default [`DEFAULT_PROCESS_TIMEOUT`], 60 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.limits.timeout = timeout;
        self
    }

    /// Kills the command and fails when it writes more than `bytes` to standard output (default
    /// [`DEFAULT_PROCESS_OUTPUT_LIMIT`], 64 KiB).
    pub fn with_output_limit(mut self, bytes: usize) -> Self {
        self.limits.output_limit = bytes;
        self
    }

    pub(crate) fn with_limits(mut self, limits: ProcessLimits) -> Self {
        self.limits = limits;
        self
    }

    /// The timeout, see [`with_timeout`](Self::with_timeout).
    pub fn timeout(&self) -> Duration {
        self.limits.timeout
    }

    /// The output limit in bytes, see [`with_output_limit`](Self::with_output_limit).
    pub fn output_limit(&self) -> usize {
        self.limits.output_limit
    }

    /// Runs the command and parses its output.
    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let (command, origin) = match &self.source {
            Source::Command(c) => (c.clone(), "credential_process".to_owned()),
            Source::Profile(env) => {
                let set =
                    ProfileSet::load(env).map_err(|e| CredentialsError::new(e.to_string()))?;
                let profile = set.require_selected()?;
                let Some(prop) = profile.property("credential_process") else {
                    return Err(CredentialsError::not_found(format!(
                        "profile `{}` has no credential_process",
                        profile.name()
                    )));
                };
                if prop.value().is_empty() {
                    return Err(CredentialsError::new(format!(
                        "profile `{}` ({}): credential_process is empty",
                        profile.name(),
                        prop.location()
                    )));
                }
                let origin = format!("profile `{}` ({})", profile.name(), prop.location());
                (prop.value().to_owned(), origin)
            }
        };
        let limits = self.limits;
        let output = run(&command, limits)
            .await
            .map_err(|e| CredentialsError::new(format!("{origin}: {}", e.describe(limits))))?;
        if !output.status.success() {
            let status = match output.status.code() {
                Some(code) => format!("status {code}"),
                None => "a signal".to_owned(),
            };
            return Err(CredentialsError::new(format!(
                "{origin}: the command exited with {status}; stderr: {:?}",
                excerpt(&output.stderr)
            )));
        }
        parse_output(&output.stdout, SystemTime::now())
            .map_err(|e| CredentialsError::new(format!("{origin}: {e}")))
    }
}

/// The start of the command's standard error, with secret-shaped strings replaced (see
/// [`scrub`](super::scrub)), trimmed, for a message. Scrubbed whole before it is cut, so a
/// secret across the cut is replaced entirely.
fn excerpt(stderr: &[u8]) -> String {
    let stderr = String::from_utf8_lossy(stderr);
    // `read_keeping` keeps the first STDERR_KEPT bytes: at that size, it may have been cut.
    let stderr = scrub(&stderr, stderr.len() >= STDERR_KEPT);
    cut(stderr.trim(), STDERR_EXCERPT)
}

/// The first `max` bytes of `text` (at a character boundary).
fn cut(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

/// What a command that ran to its end left.
#[derive(Debug)]
struct RunOutput {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Why a command gave no output to parse.
#[derive(Debug)]
enum RunError {
    /// It could not be started.
    Start(String),
    /// It ran past the timeout; what it had written to standard error.
    TimedOut { stderr: Vec<u8> },
    /// It wrote more than the output limit to standard output.
    Overflow,
    /// Watching it failed.
    Failed(String),
    /// The caller stopped waiting (the future was dropped); nobody sees this one.
    Abandoned,
}

impl RunError {
    fn describe(&self, limits: ProcessLimits) -> String {
        match self {
            RunError::Start(e) => format!("cannot run the command: {e}"),
            RunError::TimedOut { stderr } => {
                let stderr = excerpt(stderr);
                let stderr = if stderr.is_empty() {
                    String::new()
                } else {
                    format!("; stderr: {stderr:?}")
                };
                format!(
                    "the command did not finish within {:?}, the credential_process timeout; \
                     {KILLED}{stderr}",
                    limits.timeout
                )
            }
            RunError::Overflow => format!(
                "the command wrote more than {} bytes to standard output, the credential_process \
                 output limit; {KILLED}",
                limits.output_limit
            ),
            RunError::Failed(e) => format!("{e}; {KILLED}"),
            RunError::Abandoned => "the caller stopped waiting for the command".to_owned(),
        }
    }
}

/// What the threads watching a command report to its supervisor.
enum Event {
    /// Standard output closed (`Ok`), overflowed or could not be read.
    Stdout(Result<(), StreamEnd>),
    /// Standard error closed or could not be read.
    Stderr,
    /// The command exited.
    Exited(io::Result<ExitStatus>),
    /// The caller stopped waiting.
    Abandoned,
}

enum StreamEnd {
    Overflow,
    Io(io::Error),
}

/// The command's process group on Unix (the command itself elsewhere), killable from any
/// thread, at most once.
struct Group {
    #[cfg(unix)]
    pgid: libc::pid_t,
    #[cfg(not(unix))]
    child: Mutex<Child>,
    /// Set once the group was killed or the run ended with nothing to kill: from then on,
    /// [`Group::kill`] does nothing (the group id may be reused once the group is gone).
    settled: AtomicBool,
}

impl Group {
    /// Kills the whole group with `SIGKILL` (unless settled already).
    fn kill(&self) {
        if self.settled.swap(true, Ordering::SeqCst) {
            return;
        }
        #[cfg(unix)]
        {
            // SAFETY: kill(2) takes two integers and touches no memory of this process. The
            // group id is the command's pid, above 1 (checked in `run`), so the negative value
            // names exactly the command's process group, never this process's own (0) or every
            // process (-1).
            let _ = unsafe { libc::kill(-self.pgid, libc::SIGKILL) };
        }
        #[cfg(not(unix))]
        {
            let _ = lock(&self.child).kill();
        }
    }

    /// The run ended cleanly: leave whatever is left of the group alone.
    fn settle(&self) {
        self.settled.store(true, Ordering::SeqCst);
    }
}

/// Kills the group when the caller stops waiting: dropped with the future of
/// [`ProcessProvider::load`].
struct KillOnDrop {
    group: Arc<Group>,
    events: Sender<Event>,
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // Directly, so the group is gone even when the program exits right after; the event
        // tells the supervisor to stop.
        self.group.kill();
        let _ = self.events.send(Event::Abandoned);
    }
}

/// A mutex's contents, also after a thread panicked holding it (a buffer stays usable).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn spawn_thread(name: &str, f: impl FnOnce() + Send + 'static) -> Result<(), String> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(f)
        .map(drop)
        .map_err(|e| format!("cannot start a thread: {e}"))
}

/// Runs `command` through the shell within `limits`. Only the start happens on the caller's
/// thread; threads of their own read the output, wait for the command and keep the deadline.
async fn run(command: &str, limits: ProcessLimits) -> Result<RunOutput, RunError> {
    let started = Instant::now();
    let mut cmd = shell(command);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().map_err(|e| RunError::Start(e.to_string()))?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(RunError::Start("its output is not captured".into()));
    };
    let (events_tx, events) = mpsc::channel();

    #[cfg(unix)]
    let group = {
        let pgid = match libc::pid_t::try_from(child.id()) {
            Ok(pid) if pid > 1 => pid,
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(RunError::Start(format!(
                    "unexpected process id {}",
                    child.id()
                )));
            }
        };
        let group = Arc::new(Group {
            pgid,
            settled: AtomicBool::new(false),
        });
        let tx = events_tx.clone();
        let waited = spawn_thread("credential_process-wait", move || {
            let _ = tx.send(Event::Exited(child.wait()));
        });
        if let Err(e) = waited {
            // The command cannot be reaped without that thread; it stays a zombie until the
            // program exits, but runs no more.
            group.kill();
            return Err(RunError::Start(e));
        }
        group
    };
    #[cfg(not(unix))]
    let group = {
        let group = Arc::new(Group {
            child: Mutex::new(child),
            settled: AtomicBool::new(false),
        });
        let (tx, g) = (events_tx.clone(), group.clone());
        let waited = spawn_thread("credential_process-wait", move || {
            let exited = loop {
                let status = lock(&g.child).try_wait();
                match status {
                    Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                    Ok(Some(s)) => break Ok(s),
                    Err(e) => break Err(e),
                }
            };
            let _ = tx.send(Event::Exited(exited));
        });
        if let Err(e) = waited {
            group.kill();
            return Err(RunError::Start(e));
        }
        group
    };
    // From here on, dropping this future kills the group.
    let guard = KillOnDrop {
        group: group.clone(),
        events: events_tx.clone(),
    };

    let out = Arc::new(Mutex::new(Vec::new()));
    let err = Arc::new(Mutex::new(Vec::new()));
    let (tx, buf, limit) = (events_tx.clone(), out.clone(), limits.output_limit);
    let reader = spawn_thread("credential_process-stdout", move || {
        let end = read_capped(stdout, &buf, limit);
        let _ = tx.send(Event::Stdout(end));
    });
    let (tx, buf) = (events_tx, err.clone());
    let reader = reader.and_then(|()| {
        spawn_thread("credential_process-stderr", move || {
            read_keeping(stderr, &buf, STDERR_KEPT);
            let _ = tx.send(Event::Stderr);
        })
    });
    if let Err(e) = reader {
        group.kill();
        return Err(RunError::Start(e));
    }

    let (done_tx, done) = tokio::sync::oneshot::channel();
    let supervisor = group.clone();
    spawn_thread("credential_process", move || {
        let deadline = started.checked_add(limits.timeout);
        let result = match supervise(&events, &supervisor, deadline) {
            Ok(status) => Ok(RunOutput {
                status,
                stdout: std::mem::take(&mut *lock(&out)),
                stderr: std::mem::take(&mut *lock(&err)),
            }),
            Err(RunError::TimedOut { .. }) => Err(RunError::TimedOut {
                stderr: std::mem::take(&mut *lock(&err)),
            }),
            Err(e) => Err(e),
        };
        let _ = done_tx.send(result);
    })
    .inspect_err(|_| group.kill())
    .map_err(RunError::Start)?;

    let result = match done.await {
        Ok(result) => result,
        Err(_) => Err(RunError::Failed(
            "the thread watching the command ended without a result".into(),
        )),
    };
    // Settled by now: the supervisor killed the group or found nothing left to kill.
    drop(guard);
    result
}

/// Waits for the command to exit and its output to close, within `deadline` (none: forever).
/// Returns its exit status; kills the group on timeout, overflow, abandonment, and when the
/// output is still open [`PROCESS_OUTPUT_DRAIN_TIME`] after the exit.
fn supervise(
    events: &Receiver<Event>,
    group: &Group,
    deadline: Option<Instant>,
) -> Result<ExitStatus, RunError> {
    let mut status: Option<ExitStatus> = None;
    let (mut stdout_open, mut stderr_open) = (true, true);
    // Once it has exited: when to stop waiting for the output to close.
    let mut drain_until: Option<Instant> = None;
    let mut killed_for_drain = false;
    let fail = |e: RunError| {
        group.kill();
        Err(e)
    };
    loop {
        if let Some(status) = status
            && !stdout_open
            && !stderr_open
        {
            group.settle();
            return Ok(status);
        }
        let event = match drain_until.or(deadline) {
            Some(until) => events.recv_timeout(until.saturating_duration_since(Instant::now())),
            None => events.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(Event::Stdout(Ok(()))) => stdout_open = false,
            Ok(Event::Stdout(Err(StreamEnd::Overflow))) => return fail(RunError::Overflow),
            Ok(Event::Stdout(Err(StreamEnd::Io(e)))) => {
                return fail(RunError::Failed(format!(
                    "cannot read the command's standard output: {e}"
                )));
            }
            Ok(Event::Stderr) => stderr_open = false,
            Ok(Event::Exited(Ok(s))) => {
                status = Some(s);
                let now = Instant::now();
                drain_until = Some(now.checked_add(PROCESS_OUTPUT_DRAIN_TIME).unwrap_or(now));
            }
            Ok(Event::Exited(Err(e))) => {
                return fail(RunError::Failed(format!(
                    "cannot wait for the command: {e}"
                )));
            }
            Ok(Event::Abandoned) => return fail(RunError::Abandoned),
            Err(RecvTimeoutError::Timeout) => {
                let now = Instant::now();
                match (status, drain_until) {
                    (Some(status), Some(until)) if now >= until => {
                        if killed_for_drain {
                            // Still open: a process outside the group holds it. Use what
                            // was read.
                            return Ok(status);
                        }
                        tracing::warn!(
                            "credential_process exited, but processes it started kept its \
                             output open; they are killed"
                        );
                        group.kill();
                        killed_for_drain = true;
                        // Their death closes the output; give the readers a moment to see it.
                        drain_until =
                            Some(now.checked_add(PROCESS_OUTPUT_DRAIN_TIME).unwrap_or(now));
                    }
                    (None, _) if deadline.is_some_and(|d| now >= d) => {
                        return fail(RunError::TimedOut { stderr: Vec::new() });
                    }
                    _ => {}
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                return fail(RunError::Failed("lost track of the command".into()));
            }
        }
    }
}

/// Reads `pipe` to its end into `buf`; stops at once when it holds more than `limit` bytes.
fn read_capped(mut pipe: impl Read, buf: &Mutex<Vec<u8>>, limit: usize) -> Result<(), StreamEnd> {
    let mut chunk = [0u8; 8192];
    loop {
        match pipe.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                let mut buf = lock(buf);
                if buf.len().saturating_add(n) > limit {
                    return Err(StreamEnd::Overflow);
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(StreamEnd::Io(e)),
        }
    }
}

/// Reads `pipe` to its end, keeping its first `keep` bytes in `buf`.
fn read_keeping(mut pipe: impl Read, buf: &Mutex<Vec<u8>>, keep: usize) {
    let mut chunk = [0u8; 8192];
    loop {
        match pipe.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                let mut buf = lock(buf);
                let room = keep.saturating_sub(buf.len()).min(n);
                buf.extend_from_slice(&chunk[..room]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

fn shell(command: &str) -> Command {
    if cfg!(windows) {
        let mut c = Command::new("cmd.exe");
        c.arg("/C").arg(command);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c").arg(command);
        c
    }
}

/// Longest text of a field of the command's output quoted in an error (scrubbed first).
const FIELD_EXCERPT: usize = 64;

/// What kind of JSON value `v` is, for a message.
fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Parses the command's standard output. `now` decides whether it has already expired.
///
/// Errors never quote the output, except the Version number and the Expiration text, which are
/// scrubbed and cut to [`FIELD_EXCERPT`] bytes. serde_json's own errors name a line and column,
/// never the text; its recursion limit (128) bounds the nesting (the size is bounded by the
/// output limit).
pub(crate) fn parse_output(stdout: &[u8], now: SystemTime) -> Result<Credentials, String> {
    use serde_json::Value;

    let text = std::str::from_utf8(stdout).map_err(|_| "its output is not UTF-8".to_owned())?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("its output is not a JSON object (invalid JSON: {e})"))?;
    let Value::Object(members) = value else {
        return Err(format!(
            "its output is not a JSON object (it is {})",
            kind(&value)
        ));
    };
    match members.get("Version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(Value::Number(n)) => {
            return Err(format!(
                "unsupported Version {} in its output (expected 1)",
                cut(&scrub(&n.to_string(), false), FIELD_EXCERPT)
            ));
        }
        Some(v) => {
            return Err(format!(
                "Version in its output is not a number but {} (expected 1)",
                kind(v)
            ));
        }
        None => return Err("its output has no Version (expected 1)".into()),
    }
    let string = |key: &str, required: bool| -> Result<Option<String>, String> {
        match members.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
            None | Some(Value::Null) if !required => Ok(None),
            Some(Value::String(_)) if !required => Ok(None),
            None | Some(Value::Null) => Err(format!("its output has no {key}")),
            Some(Value::String(_)) => Err(format!("{key} in its output is empty")),
            Some(v) => Err(format!(
                "{key} in its output is not a string but {}",
                kind(v)
            )),
        }
    };
    let access_key_id = string("AccessKeyId", true)?.unwrap_or_default();
    let secret = string("SecretAccessKey", true)?.unwrap_or_default();
    let token = string("SessionToken", false)?;
    let mut expiry = None;
    if let Some(exp) = string("Expiration", false)? {
        let shown = || cut(&scrub(&exp, false), FIELD_EXCERPT);
        let parsed = time::parse(&exp, Format::DateTime)
            .ok()
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or_else(|| {
                format!(
                    "Expiration `{}` in its output is not an RFC 3339 time",
                    shown()
                )
            })?;
        if parsed <= now {
            return Err(format!(
                "the credentials it returned expired at {}",
                shown()
            ));
        }
        expiry = Some(parsed);
    }
    Ok(Credentials::new(
        access_key_id,
        secret,
        token,
        expiry,
        "CredentialProcess",
    ))
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::TempDir;
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    const NOW: u64 = 1_700_000_000; // 2023-11-14T22:13:20Z

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn parses_version_1_output() {
        let c = parse_output(
            br#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "SK",
                 "SessionToken": "TOK", "Expiration": "2023-11-14T23:13:20Z"}"#,
            at(NOW),
        )
        .unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret_access_key(), c.session_token()),
            ("AKID", "SK", Some("TOK"))
        );
        assert_eq!(c.expiry(), Some(at(NOW + 3600)));
        let c = parse_output(
            br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":null,"Expiration":"2023-11-15T00:13:20+01:00"}"#,
            at(NOW),
        )
        .unwrap();
        assert_eq!(c.session_token(), None);
        assert_eq!(c.expiry(), Some(at(NOW + 3600)));
    }

    #[test]
    fn rejects_bad_output_without_leaking_it() {
        let cases: [(&[u8], &str); 10] = [
            (b"AKID SECRETVALUE", "not a JSON object"),
            (b"\xff", "not UTF-8"),
            (br#"{"AccessKeyId":"A","SecretAccessKey":"SECRETVALUE"}"#, "no Version"),
            (br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"SECRETVALUE"}"#, "unsupported Version 2"),
            (br#"{"Version":"1","AccessKeyId":"A","SecretAccessKey":"SECRETVALUE"}"#, "not a number"),
            (br#"{"Version":1,"SecretAccessKey":"SECRETVALUE"}"#, "no AccessKeyId"),
            (br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":""}"#, "SecretAccessKey in its output is empty"),
            (br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":5}"#, "not a string"),
            (br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"SECRETVALUE","Expiration":"tomorrow"}"#, "not an RFC 3339 time"),
            (br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"SECRETVALUE","Expiration":"2023-11-14T22:00:00Z"}"#, "expired at 2023-11-14T22:00:00Z"),
        ];
        for (out, problem) in cases {
            let e = parse_output(out, at(NOW)).unwrap_err();
            assert!(e.contains(problem), "{e}");
            assert!(!e.contains("SECRETVALUE"), "{e}");
        }
    }

    #[tokio::test]
    async fn runs_the_profile_command() {
        let dir = TempDir::new("process");
        let json = dir.write(
            "out.json",
            r#"{"Version": 1, "AccessKeyId": "FROMPROC", "SecretAccessKey": "S", "Expiration": "2999-01-01T00:00:00Z"}"#,
        );
        let cfg = dir.write(
            "config",
            &format!("[profile p]\ncredential_process = cat {}\n", json.display()),
        );
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", cfg.display().to_string()),
            ("AWS_PROFILE", "p".into()),
        ]);
        let c = ProcessProvider::with_env(env.clone()).load().await.unwrap();
        assert_eq!(c.access_key_id(), "FROMPROC");
        assert!(c.expiry().is_some());

        // A failing command: exit status and stderr, with where it was configured.
        dir.write(
            "config",
            "[profile p]\ncredential_process = echo SECRETOUT; echo 'no session' >&2; exit 3\n",
        );
        let e = ProcessProvider::with_env(env.clone())
            .load()
            .await
            .unwrap_err();
        assert!(!e.is_not_found());
        let m = e.message();
        assert!(m.contains("profile `p`") && m.contains("line 2"), "{m}");
        assert!(m.contains("status 3") && m.contains("no session"), "{m}");
        assert!(!m.contains("SECRETOUT"), "{m}");

        // Garbage output.
        dir.write(
            "config",
            "[profile p]\ncredential_process = echo SECRETOUT\n",
        );
        let e = ProcessProvider::with_env(env.clone())
            .load()
            .await
            .unwrap_err();
        assert!(e.message().contains("not a JSON object") && !e.message().contains("SECRETOUT"));

        // No credential_process: not found.
        dir.write("config", "[profile p]\nregion = x\n");
        let e = ProcessProvider::with_env(env).load().await.unwrap_err();
        assert!(e.is_not_found(), "{e}");

        let c = ProcessProvider::from_command(format!("cat {}", json.display()))
            .load()
            .await
            .unwrap();
        assert_eq!(c.access_key_id(), "FROMPROC");
        let e = ProcessProvider::from_command("exit 1")
            .load()
            .await
            .unwrap_err();
        assert!(
            e.message()
                .starts_with("credential_process: the command exited with status 1")
        );
        let shown = format!(
            "{:?}",
            ProcessProvider::from_command("tool --token T0K")
                .with_timeout(Duration::from_secs(5))
                .with_output_limit(100)
        );
        assert!(!shown.contains("T0K"), "{shown}");
        assert!(shown.contains("timeout: 5s") && shown.contains("output_limit: 100"));
        let p = ProcessProvider::from_command("x");
        assert_eq!(
            (p.timeout(), p.output_limit()),
            (DEFAULT_PROCESS_TIMEOUT, DEFAULT_PROCESS_OUTPUT_LIMIT)
        );
    }

    #[test]
    fn output_readers_cap_and_keep() {
        let buf = Mutex::new(Vec::new());
        assert!(read_capped(&[7u8; 20_000][..], &buf, 20_000).is_ok());
        assert_eq!(lock(&buf).len(), 20_000);
        let buf = Mutex::new(Vec::new());
        let end = read_capped(&[7u8; 20_001][..], &buf, 20_000);
        assert!(matches!(end, Err(StreamEnd::Overflow)));
        assert!(lock(&buf).len() <= 20_000);
        let buf = Mutex::new(Vec::new());
        read_keeping(&[b'e'; 100_000][..], &buf, 10);
        assert_eq!(*lock(&buf), b"eeeeeeeeee");
        assert_eq!(excerpt(&[b'e'; 1000]).len(), STDERR_EXCERPT);
    }

    /// Helper processes the tests start (a pid file each), checked and, whatever happens,
    /// killed at the end of the test.
    #[cfg(unix)]
    struct Helpers {
        dir: TempDir,
    }

    #[cfg(unix)]
    impl Helpers {
        fn new(tag: &str) -> Self {
            Helpers {
                dir: TempDir::new(tag),
            }
        }

        /// `name`'s pid file, for `echo $$ > FILE` in a helper.
        fn pid_file(&self, name: &str) -> String {
            self.dir.path().join(name).display().to_string()
        }

        fn pid(&self, name: &str) -> Option<i32> {
            let text = std::fs::read_to_string(self.dir.path().join(name)).ok()?;
            text.trim().parse().ok()
        }

        /// Waits up to 5 s for `name`'s pid.
        fn wait_pid(&self, name: &str) -> i32 {
            for _ in 0..500 {
                if let Some(pid) = self.pid(name) {
                    return pid;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            panic!("the helper never wrote its pid to {name}");
        }

        /// Whether `name` ends (gone or a zombie) within 3 s.
        fn ends(&self, name: &str) -> bool {
            let pid = self.wait_pid(name);
            (0..300).any(|_| {
                let gone = !alive(pid);
                if !gone {
                    std::thread::sleep(Duration::from_millis(10));
                }
                gone
            })
        }
    }

    #[cfg(unix)]
    impl Drop for Helpers {
        fn drop(&mut self) {
            let Ok(entries) = std::fs::read_dir(self.dir.path()) else {
                return;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(pid) = self.pid(&name)
                    && alive(pid)
                {
                    // SAFETY: kill(2) with a pid this test's helper wrote and that is alive.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
            }
        }
    }

    /// Whether `pid` runs (a zombie, which has exited, does not).
    #[cfg(unix)]
    fn alive(pid: i32) -> bool {
        if std::path::Path::new("/proc/self").exists() {
            return std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                stat.rsplit_once(") ")
                    .is_some_and(|(_, rest)| !rest.starts_with('Z'))
            });
        }
        // SAFETY: kill(2) with signal 0 only checks that the process exists.
        unsafe { libc::kill(pid, 0) == 0 }
    }

    const JSON: &str = r#"{"Version": 1, "AccessKeyId": "AKIDHELPER", "SecretAccessKey": "S"}"#;

    #[cfg(unix)]
    #[tokio::test]
    async fn timeout_kills_the_group_and_shows_stderr() {
        let h = Helpers::new("process-timeout");
        let p = ProcessProvider::from_command(format!(
            "echo $$ > {}; echo waiting for approval >&2; sleep 987 & echo $! > {}; wait",
            h.pid_file("sh"),
            h.pid_file("sleep")
        ))
        .with_timeout(Duration::from_millis(500));
        let started = Instant::now();
        let e = p.load().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3), "{e}");
        assert_eq!(
            e.message(),
            "credential_process: the command did not finish within 500ms, the credential_process \
             timeout; it was killed, with every process of its process group; stderr: \
             \"waiting for approval\""
        );
        assert!(h.ends("sh") && h.ends("sleep"));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn stdout_flood_is_cut_at_the_limit() {
        let h = Helpers::new("process-flood");
        let p = ProcessProvider::from_command(format!("echo $$ > {}; exec yes", h.pid_file("yes")))
            .with_output_limit(1000);
        let started = Instant::now();
        let e = p.load().await.unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3), "{e}");
        assert_eq!(
            e.message(),
            "credential_process: the command wrote more than 1000 bytes to standard output, the \
             credential_process output limit; it was killed, with every process of its process \
             group"
        );
        assert!(h.ends("yes"));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn stderr_is_drained_and_only_its_start_kept() {
        let e = ProcessProvider::from_command(
            "head -c 3000000 /dev/zero | tr '\\0' e >&2; echo SECRETOUT; exit 3",
        )
        .load()
        .await
        .unwrap_err();
        let m = e.message();
        assert!(m.contains("status 3") && !m.contains("SECRETOUT"), "{m}");
        assert!(
            m.contains(&format!("{:?}", "e".repeat(STDERR_EXCERPT))),
            "{m}"
        );
        let c =
            ProcessProvider::from_command(format!("head -c 3000000 /dev/zero >&2; echo '{JSON}'"))
                .load()
                .await
                .unwrap();
        assert_eq!(c.access_key_id(), "AKIDHELPER");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn output_held_open_after_exit_is_read_briefly_then_its_holders_killed() {
        let h = Helpers::new("process-held");
        let started = Instant::now();
        let c = ProcessProvider::from_command(format!(
            "echo '{JSON}'; sleep 987 & echo $! > {}",
            h.pid_file("sleep")
        ))
        .load()
        .await
        .unwrap();
        assert_eq!(c.access_key_id(), "AKIDHELPER");
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(h.ends("sleep"));
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn daemons_that_closed_the_output_are_left_alone() {
        let h = Helpers::new("process-daemon");
        let c = ProcessProvider::from_command(format!(
            "sleep 987 </dev/null >/dev/null 2>&1 & echo $! > {}; echo '{JSON}'",
            h.pid_file("daemon")
        ))
        .load()
        .await
        .unwrap();
        assert_eq!(c.access_key_id(), "AKIDHELPER");
        let pid = h.wait_pid("daemon");
        std::thread::sleep(PROCESS_OUTPUT_DRAIN_TIME * 2);
        assert!(alive(pid), "a daemon was killed after a clean run");
        // `Helpers` kills it.
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn dropping_the_future_kills_the_group() {
        let h = Helpers::new("process-drop");
        let p = ProcessProvider::from_command(format!(
            "echo $$ > {}; sleep 987 & echo $! > {}; wait",
            h.pid_file("sh"),
            h.pid_file("sleep")
        ));
        let mut call = Box::pin(p.load());
        let pids = async {
            while h.pid("sh").is_none() || h.pid("sleep").is_none() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::select! {
            r = &mut call => panic!("the helper returned: {r:?}"),
            () = pids => {}
        }
        drop(call);
        assert!(h.ends("sh") && h.ends("sleep"));
    }

    const LEAKED_KEY_ID: &str = "AKIAZ7Q2K4M9X1B3C5D8";
    const LEAKED_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzLeAkEdKEY";
    const JSON_KEY_ID: &str = "ASIAQ3W5E7R9T1Y2U4I6";
    const JSON_SECRET: &str = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
    const JSON_TOKEN: &str = "short-session-token";

    /// `e`'s `Display`, `Debug` and the `Display` and `Debug` of every error in its `source()`
    /// chain, one per line.
    fn everything_shown(e: &(dyn std::error::Error + 'static)) -> String {
        let mut shown = format!("{e}\n{e:?}\n");
        let mut source = e.source();
        while let Some(s) = source {
            shown.push_str(&format!("{s}\n{s:?}\n"));
            source = s.source();
        }
        shown
    }

    fn assert_no_secrets(shown: &str) {
        for secret in [
            LEAKED_KEY_ID,
            LEAKED_SECRET,
            JSON_KEY_ID,
            JSON_SECRET,
            JSON_TOKEN,
            // No fragment either.
            &LEAKED_SECRET[..20],
            &JSON_SECRET[20..],
        ] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_failing_helper_s_secrets_are_scrubbed_from_the_error() {
        let dir = TempDir::new("process-leak");
        let doc = format!(
            r#"{{"Version": 1, "AccessKeyId": "{JSON_KEY_ID}", "SecretAccessKey": "{JSON_SECRET}", "SessionToken": "{JSON_TOKEN}"}}"#
        );
        let script = dir.write(
            "helper.sh",
            &format!(
                "echo '{doc}'\n\
                 echo '{doc}' >&2\n\
                 echo 'login failed for key {LEAKED_KEY_ID} with secret {LEAKED_SECRET}' >&2\n\
                 echo 'see /var/log/helper.log' >&2\n\
                 exit 1\n"
            ),
        );
        let e = ProcessProvider::from_command(format!("sh {}", script.display()))
            .load()
            .await
            .unwrap_err();
        let shown = everything_shown(&e);
        assert_no_secrets(&shown);
        for kept in [
            "credential_process: the command exited with status 1",
            "Version",
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "login failed for key",
            "with secret",
            "see /var/log/helper.log",
            "<redacted>",
        ] {
            assert!(e.to_string().contains(kept), "{kept} not in {e}");
            assert!(format!("{e:?}").contains(kept), "{kept} not in {e:?}");
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_timed_out_helper_s_secrets_are_scrubbed_from_the_error() {
        let h = Helpers::new("process-leak-timeout");
        let e = ProcessProvider::from_command(format!(
            "echo $$ > {}; echo 'waiting; aws_session_token = {JSON_TOKEN} key {LEAKED_KEY_ID} \
             secret {LEAKED_SECRET}' >&2; exec sleep 987",
            h.pid_file("sh")
        ))
        .with_timeout(Duration::from_millis(500))
        .load()
        .await
        .unwrap_err();
        let shown = everything_shown(&e);
        assert_no_secrets(&shown);
        assert!(
            e.message().ends_with(
                "stderr: \"waiting; aws_session_token = <redacted> key <redacted> secret \
                 <redacted>\""
            ),
            "{e}"
        );
        assert!(h.ends("sh"));
    }

    #[test]
    fn quoted_output_fields_are_scrubbed() {
        let out = format!(
            r#"{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"{LEAKED_SECRET}"}}"#
        );
        let e = parse_output(out.as_bytes(), at(NOW)).unwrap_err();
        assert_eq!(
            e,
            "Expiration `<redacted>` in its output is not an RFC 3339 time"
        );
        let long = format!(
            r#"{{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"{}"}}"#,
            "x".repeat(1000)
        );
        let e = parse_output(long.as_bytes(), at(NOW)).unwrap_err();
        assert!(e.contains(&"x".repeat(FIELD_EXCERPT)), "{e}");
        assert!(!e.contains(&"x".repeat(FIELD_EXCERPT + 1)), "{e}");
    }

    #[test]
    fn json_errors_say_which_field_and_type() {
        let cases: [(&[u8], &str); 7] = [
            (
                b"[1, 2]",
                "its output is not a JSON object (it is an array)",
            ),
            (
                b"\"AKID\"",
                "its output is not a JSON object (it is a string)",
            ),
            (
                b"{\"Version\": 1,",
                "its output is not a JSON object (invalid JSON: ",
            ),
            (
                br#"{"Version":true}"#,
                "Version in its output is not a number but a boolean",
            ),
            (br#"{"Version":1.5}"#, "unsupported Version 1.5"),
            (
                br#"{"Version":1,"AccessKeyId":["A"],"SecretAccessKey":"S"}"#,
                "AccessKeyId in its output is not a string but an array",
            ),
            (
                br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":{}}"#,
                "SessionToken in its output is not a string but an object",
            ),
        ];
        for (out, want) in cases {
            let e = parse_output(out, at(NOW)).unwrap_err();
            assert!(e.starts_with(want), "{e}");
        }
        // Nesting beyond serde_json's recursion limit is an error, not a stack overflow.
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        let e = parse_output(deep.as_bytes(), at(NOW)).unwrap_err();
        assert!(e.contains("recursion limit"), "{e}");
        // Nested members that are not read, unknown members and duplicates (the last wins).
        let c = parse_output(
            br#"{"Version":1,"AccessKeyId":"OLD","Extra":{"x":[1,{"y":null}]},"AccessKeyId":"NEW","SecretAccessKey":"S"}"#,
            at(NOW),
        )
        .unwrap();
        assert_eq!(c.access_key_id(), "NEW");
    }

    #[tokio::test]
    async fn a_command_that_cannot_start() {
        // `sh` itself starts; a missing program is its exit status 127.
        let e = ProcessProvider::from_command("/nonexistent/credential-helper")
            .load()
            .await
            .unwrap_err();
        assert!(
            e.message().contains("the command exited with status"),
            "{e}"
        );
    }
}
