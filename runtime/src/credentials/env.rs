//! Where configuration is read from: the process environment or a given map.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// The environment variables configuration is read from: the process's ([`Env::process`], the
/// default) or a fixed map ([`Env::from_vars`]) for tests and embedders that must not depend on
/// the process environment. `Debug` shows variable names only, never values.
#[derive(Clone, Default)]
pub struct Env {
    vars: Option<Arc<HashMap<String, String>>>,
}

impl Env {
    /// The process environment, read at each lookup.
    pub fn process() -> Env {
        Env { vars: None }
    }

    /// Exactly these variables; nothing is read from the process.
    pub fn from_vars<I, K, V>(vars: I) -> Env
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env {
            vars: Some(Arc::new(map)),
        }
    }

    /// The value of `name`, trimmed; `None` when unset, empty or not Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        let raw = match &self.vars {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        raw.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    /// The home directory: `HOME`, else (Windows) `USERPROFILE` or `HOMEDRIVE` + `HOMEPATH`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(h) = self.get("HOME") {
            return Some(PathBuf::from(h));
        }
        if let Some(h) = self.get("USERPROFILE") {
            return Some(PathBuf::from(h));
        }
        match (self.get("HOMEDRIVE"), self.get("HOMEPATH")) {
            (Some(d), Some(p)) => Some(PathBuf::from(format!("{d}{p}"))),
            _ => None,
        }
    }

    /// `path` with a leading `~` (alone or followed by a separator) replaced by the home
    /// directory.
    pub fn expand_home(&self, path: &str) -> PathBuf {
        let rest = if path == "~" {
            Some("")
        } else {
            path.strip_prefix("~/").or_else(|| path.strip_prefix("~\\"))
        };
        match (rest, self.home_dir()) {
            (Some(""), Some(home)) => home,
            (Some(rest), Some(home)) => home.join(rest),
            _ => PathBuf::from(path),
        }
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Env::process"),
            Some(map) => {
                let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
                names.sort_unstable();
                f.debug_struct("Env::from_vars")
                    .field("names", &names)
                    .finish()
            }
        }
    }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`, read at each
/// call. When either of the first two is missing, it reports
/// [`not_found`](CredentialsError::not_found) (as AWS's SDKs do), saying which.
#[derive(Debug, Clone, Default)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        EnvironmentProvider { env }
    }

    /// Reads the variables now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let get = |k: &str| self.env.get(k);
        match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
            (Some(ak), Some(sk)) => Ok(Credentials::new(
                ak,
                sk,
                get("AWS_SESSION_TOKEN"),
                None,
                "Environment",
            )),
            (Some(_), None) => Err(CredentialsError::not_found(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            )),
            (None, Some(_)) => Err(CredentialsError::not_found(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
            )),
            (None, None) => Err(CredentialsError::not_found(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_env_reads_nothing_from_the_process() {
        let env = Env::from_vars([("A", " x "), ("EMPTY", "  ")]);
        assert_eq!(env.get("A").as_deref(), Some("x"));
        assert_eq!(env.get("EMPTY"), None);
        assert_eq!(env.get("PATH"), None);
        assert_eq!(env.home_dir(), None);
        let shown = format!("{env:?}");
        assert!(shown.contains("\"A\"") && !shown.contains('x'));
    }

    #[test]
    fn home_and_tilde() {
        let env = Env::from_vars([("HOME", "/home/u")]);
        assert_eq!(
            env.expand_home("~/.aws/config"),
            PathBuf::from("/home/u/.aws/config")
        );
        assert_eq!(env.expand_home("~"), PathBuf::from("/home/u"));
        assert_eq!(env.expand_home("/etc/x"), PathBuf::from("/etc/x"));
        assert_eq!(env.expand_home("~other/x"), PathBuf::from("~other/x"));
        let win = Env::from_vars([("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\u")]);
        assert_eq!(win.home_dir(), Some(PathBuf::from("C:\\Users\\u")));
        let profile = Env::from_vars([("USERPROFILE", "C:\\Users\\p")]);
        assert_eq!(profile.home_dir(), Some(PathBuf::from("C:\\Users\\p")));
    }

    #[test]
    fn environment_provider() {
        let p = EnvironmentProvider::with_env(Env::from_vars([
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ]));
        let c = p.load().unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret_access_key(), c.session_token()),
            ("AKID", "SECRET", Some("TOKEN"))
        );
        let only_id = EnvironmentProvider::with_env(Env::from_vars([("AWS_ACCESS_KEY_ID", "A")]));
        let e = only_id.load().unwrap_err();
        assert!(e.is_not_found());
        assert!(e.message().contains("AWS_SECRET_ACCESS_KEY is not"));
        let only_secret =
            EnvironmentProvider::with_env(Env::from_vars([("AWS_SECRET_ACCESS_KEY", "S")]));
        assert!(
            only_secret
                .load()
                .unwrap_err()
                .message()
                .contains("AWS_ACCESS_KEY_ID is not")
        );
        let none = EnvironmentProvider::with_env(Env::from_vars::<_, String, String>([]));
        let e = none.load().unwrap_err();
        assert!(e.is_not_found() && e.message().contains("are not set"));
    }
}
