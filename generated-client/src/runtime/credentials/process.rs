//! `credential_process`: a command that prints credentials as JSON.
//!
//! The command runs through the shell (`sh -c` on Unix, `cmd.exe /C` on Windows) on a thread of
//! its own, so the async runtime is never blocked. Its standard output must be:
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
//! profile and file it came from, the exit status and the start of standard error.

use std::fmt;
use std::process::{Command, Output};
use std::time::SystemTime;

use super::env::Env;
use super::json::{self, Value};
use super::profile::ProfileSet;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::runtime::time::{self, Format};

/// Longest excerpt of the command's standard error put into an error.
const STDERR_EXCERPT: usize = 300;

/// Runs a `credential_process` command: the selected profile's, or a given one.
#[derive(Clone)]
pub struct ProcessProvider {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Profile(Env),
    Command(String),
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The command line may carry secrets.
        match &self.source {
            Source::Profile(env) => f
                .debug_struct("ProcessProvider")
                .field("from_profile", env)
                .finish(),
            Source::Command(_) => f
                .debug_struct("ProcessProvider")
                .field("command", &crate::runtime::redact::REDACTED)
                .finish(),
        }
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
        }
    }

    /// This command line.
    pub fn from_command(command: impl Into<String>) -> Self {
        ProcessProvider {
            source: Source::Command(command.into()),
        }
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
                let origin = format!(
                    "credential_process of profile `{}` ({})",
                    profile.name(),
                    prop.location()
                );
                (prop.value().to_owned(), origin)
            }
        };
        let output = run(command)
            .await
            .map_err(|e| CredentialsError::new(format!("{origin}: cannot run the command: {e}")))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stderr = stderr.trim();
            let mut end = stderr.len().min(STDERR_EXCERPT);
            while !stderr.is_char_boundary(end) {
                end -= 1;
            }
            let status = match output.status.code() {
                Some(code) => format!("status {code}"),
                None => "a signal".to_owned(),
            };
            return Err(CredentialsError::new(format!(
                "{origin}: the command exited with {status}; stderr: {:?}",
                &stderr[..end]
            )));
        }
        parse_output(&output.stdout, SystemTime::now())
            .map_err(|e| CredentialsError::new(format!("{origin}: {e}")))
    }
}

/// Runs `command` through the shell on its own thread.
async fn run(command: String) -> Result<Output, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("credential_process".into())
        .spawn(move || {
            let _ = tx.send(shell(&command).output());
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    match rx.await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err("the command's thread ended without a result".into()),
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

/// Parses the command's standard output. `now` decides whether it has already expired.
pub(crate) fn parse_output(stdout: &[u8], now: SystemTime) -> Result<Credentials, String> {
    let text = std::str::from_utf8(stdout).map_err(|_| "its output is not UTF-8".to_owned())?;
    let members =
        json::parse_object(text).map_err(|e| format!("its output is not a JSON object ({e})"))?;
    match members.get("Version") {
        Some(Value::Number(n)) if n == "1" => {}
        Some(Value::Number(n)) => {
            return Err(format!(
                "unsupported Version {n} in its output (expected 1)"
            ));
        }
        Some(_) => return Err("Version in its output is not a number (expected 1)".into()),
        None => return Err("its output has no Version (expected 1)".into()),
    }
    let string = |key: &str, required: bool| -> Result<Option<String>, String> {
        match members.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
            None | Some(Value::Null) if !required => Ok(None),
            Some(Value::String(_)) if !required => Ok(None),
            None | Some(Value::Null) => Err(format!("its output has no {key}")),
            Some(Value::String(_)) => Err(format!("{key} in its output is empty")),
            Some(_) => Err(format!("{key} in its output is not a string")),
        }
    };
    let access_key_id = string("AccessKeyId", true)?.unwrap_or_default();
    let secret = string("SecretAccessKey", true)?.unwrap_or_default();
    let token = string("SessionToken", false)?;
    let mut credentials = Credentials::new(access_key_id, secret, token);
    if let Some(exp) = string("Expiration", false)? {
        let parsed = time::parse(&exp, Format::DateTime)
            .ok()
            .and_then(|t| SystemTime::try_from(t).ok())
            .ok_or_else(|| format!("Expiration `{exp}` in its output is not an RFC 3339 time"))?;
        if parsed <= now {
            return Err(format!("the credentials it returned expired at {exp}"));
        }
        credentials = credentials.with_expiry(parsed);
    }
    Ok(credentials)
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
        assert!(
            !format!("{:?}", ProcessProvider::from_command("tool --token T0K")).contains("T0K")
        );
    }
}
