//! Provider chains and the credentials cache.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::env::{Env, EnvironmentProvider};
use super::process::ProcessProvider;
use super::profile::ProfileProvider;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::runtime::config::{SystemClock, TimeSource};

/// Cached credentials are refreshed this long before they expire.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// Credentials without an expiry are reloaded after this long (so rotated keys are seen).
pub const DEFAULT_CACHE_TIME: Duration = Duration::from_secs(15 * 60);

/// Tries providers in order. The first to give credentials wins; one that reports
/// [`not_found`](CredentialsError::not_found) is skipped; any other error stops the chain.
/// When none has credentials, the error lists each source and why.
#[derive(Clone, Default)]
pub struct CredentialsChain {
    links: Vec<(String, Arc<dyn ProvideCredentials>)>,
}

impl fmt::Debug for CredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.links.iter().map(|(name, _)| name))
            .finish()
    }
}

impl CredentialsChain {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a source, tried after those added before; `name` appears in errors.
    pub fn or_else(
        mut self,
        name: impl Into<String>,
        provider: impl ProvideCredentials + 'static,
    ) -> Self {
        self.links.push((name.into(), Arc::new(provider)));
        self
    }

    /// The sources' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.links.iter().map(|(n, _)| n.as_str())
    }

    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut tried: Vec<String> = Vec::new();
        for (name, provider) in &self.links {
            match provider.provide_credentials().await {
                Ok(c) => {
                    tracing::debug!(source = %name, "credentials loaded");
                    return Ok(c);
                }
                Err(e) if e.is_not_found() => {
                    tracing::debug!(source = %name, reason = %e, "no credentials from this source");
                    tried.push(format!("{name} ({e})"));
                }
                Err(e) => {
                    let before = if tried.is_empty() {
                        String::new()
                    } else {
                        format!(" (tried before it: {})", tried.join("; "))
                    };
                    return Err(CredentialsError::new(format!("{name}: {e}{before}")));
                }
            }
        }
        if tried.is_empty() {
            return Err(CredentialsError::not_found(
                "no credential sources are configured",
            ));
        }
        Err(CredentialsError::not_found(format!(
            "tried {}",
            tried.join("; ")
        )))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// Caches another provider's credentials: until [`REFRESH_BEFORE_EXPIRY`] before they expire,
/// or for [`DEFAULT_CACHE_TIME`] when they do not. Concurrent callers wait for one refresh. When
/// a refresh fails while the cached credentials have not expired yet, those are used (with a
/// warning) rather than failing the call.
pub struct CachingProvider {
    inner: Arc<dyn ProvideCredentials>,
    cache: tokio::sync::Mutex<Option<Cached>>,
    clock: Arc<dyn TimeSource>,
    ttl: Duration,
    refresh_before: Duration,
}

struct Cached {
    credentials: Credentials,
    refresh_at: SystemTime,
}

impl fmt::Debug for CachingProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachingProvider")
            .field("inner", &self.inner)
            .field("ttl", &self.ttl)
            .field("refresh_before", &self.refresh_before)
            .finish()
    }
}

impl CachingProvider {
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachingProvider {
            inner: Arc::new(inner),
            cache: tokio::sync::Mutex::new(None),
            clock: Arc::new(SystemClock),
            ttl: DEFAULT_CACHE_TIME,
            refresh_before: REFRESH_BEFORE_EXPIRY,
        }
    }

    /// Reads the time from `clock` (tests).
    pub fn with_time_source(mut self, clock: impl TimeSource + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// How long credentials without an expiry are kept (default [`DEFAULT_CACHE_TIME`]).
    pub fn with_cache_time(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Forgets the cached credentials; the next call loads new ones.
    pub async fn invalidate(&self) {
        *self.cache.lock().await = None;
    }

    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let mut cache = self.cache.lock().await;
        let now = self.clock.now();
        if let Some(c) = cache.as_ref()
            && now < c.refresh_at
        {
            return Ok(c.credentials.clone());
        }
        match self.inner.provide_credentials().await {
            Ok(credentials) => {
                let refresh_at = match credentials.expiry() {
                    Some(exp) => exp.checked_sub(self.refresh_before).unwrap_or(now),
                    None => now + self.ttl,
                };
                tracing::debug!(expiry = ?credentials.expiry(), "credentials cached");
                *cache = Some(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                Ok(credentials)
            }
            Err(e) => match cache.as_ref() {
                Some(c) if c.credentials.expiry().is_none_or(|exp| now < exp) => {
                    tracing::warn!(error = %e, "credentials refresh failed; using the cached ones until they expire");
                    Ok(c.credentials.clone())
                }
                _ => Err(e),
            },
        }
    }
}

impl ProvideCredentials for CachingProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.load())
    }
}

/// The chain [`Config::from_env`](crate::Config::from_env) uses: environment, then the shared
/// files' static keys, then `credential_process`, cached (see the [module docs](super)).
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    cache: CachingProvider,
}

impl Default for DefaultCredentialsChain {
    fn default() -> Self {
        Self::new()
    }
}

impl DefaultCredentialsChain {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::with_env(Env::process())
    }

    /// Reads `env` (and the files it points at) instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        DefaultCredentialsChain {
            cache: CachingProvider::new(Self::chain(env)),
        }
    }

    /// The uncached chain.
    pub fn chain(env: Env) -> CredentialsChain {
        CredentialsChain::new()
            .or_else("environment", EnvironmentProvider::with_env(env.clone()))
            .or_else(
                "shared config files",
                ProfileProvider::with_env(env.clone()),
            )
            .or_else("credential_process", ProcessProvider::with_env(env))
    }

    /// Reads the time from `clock` for cache expiry (tests).
    pub fn with_time_source(mut self, clock: impl TimeSource + 'static) -> Self {
        self.cache = self.cache.with_time_source(clock);
        self
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::TempDir;
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Debug)]
    struct Counting {
        calls: AtomicU32,
        result: Mutex<Result<Credentials, CredentialsError>>,
    }

    impl Counting {
        fn new(result: Result<Credentials, CredentialsError>) -> Arc<Self> {
            Arc::new(Counting {
                calls: AtomicU32::new(0),
                result: Mutex::new(result),
            })
        }

        fn set(&self, result: Result<Credentials, CredentialsError>) {
            *self.result.lock().unwrap() = result;
        }
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let r = self.result.lock().unwrap().clone();
            Box::pin(async move { r })
        }
    }

    /// A clock tests move by hand.
    #[derive(Debug, Clone)]
    struct Clock(Arc<Mutex<SystemTime>>);

    impl Clock {
        fn at(t: SystemTime) -> Self {
            Clock(Arc::new(Mutex::new(t)))
        }

        fn advance(&self, d: Duration) {
            *self.0.lock().unwrap() += d;
        }
    }

    impl TimeSource for Clock {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }

    fn creds(id: &str) -> Credentials {
        Credentials::new(id, "secret", None)
    }

    #[tokio::test]
    async fn chain_order_and_error_listing() {
        let chain = CredentialsChain::new()
            .or_else(
                "first",
                Counting::new(Err(CredentialsError::not_found("nothing here"))),
            )
            .or_else("second", Counting::new(Ok(creds("SECOND"))))
            .or_else("third", Counting::new(Ok(creds("THIRD"))));
        assert_eq!(chain.load().await.unwrap().access_key_id(), "SECOND");
        assert_eq!(
            chain.names().collect::<Vec<_>>(),
            ["first", "second", "third"]
        );

        let none = CredentialsChain::new()
            .or_else("a", Counting::new(Err(CredentialsError::not_found("no A"))))
            .or_else("b", Counting::new(Err(CredentialsError::not_found("no B"))));
        let e = none.load().await.unwrap_err();
        assert!(e.is_not_found());
        assert_eq!(e.message(), "tried a (no A); b (no B)");

        let third = Counting::new(Ok(creds("NEVER")));
        let broken = CredentialsChain::new()
            .or_else("a", Counting::new(Err(CredentialsError::not_found("no A"))))
            .or_else(
                "b",
                Counting::new(Err(CredentialsError::new("file.ini, line 3: bad"))),
            )
            .or_else("c", third.clone());
        let e = broken.load().await.unwrap_err();
        assert!(!e.is_not_found());
        assert_eq!(
            e.message(),
            "b: file.ini, line 3: bad (tried before it: a (no A))"
        );
        assert_eq!(third.calls.load(Ordering::SeqCst), 0);

        let e = CredentialsChain::new().load().await.unwrap_err();
        assert!(e.message().contains("no credential sources"));
    }

    #[tokio::test]
    async fn cache_refreshes_before_expiry() {
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let clock = Clock::at(t0);
        let inner = Counting::new(Ok(creds("ONE").with_expiry(t0 + Duration::from_secs(3600))));
        let cache = CachingProvider::new(inner.clone()).with_time_source(clock.clone());
        for _ in 0..3 {
            assert_eq!(cache.load().await.unwrap().access_key_id(), "ONE");
        }
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
        // 54 minutes later: still cached. 55 minutes (5 before expiry): refreshed.
        clock.advance(Duration::from_secs(54 * 60));
        cache.load().await.unwrap();
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
        inner.set(Ok(creds("TWO").with_expiry(t0 + Duration::from_secs(7200))));
        clock.advance(Duration::from_secs(60));
        assert_eq!(cache.load().await.unwrap().access_key_id(), "TWO");
        assert_eq!(inner.calls.load(Ordering::SeqCst), 2);

        // A failed refresh keeps credentials that have not expired yet...
        inner.set(Err(CredentialsError::new("process failed")));
        clock.advance(Duration::from_secs(61 * 60)); // 4 min before TWO expires
        assert_eq!(cache.load().await.unwrap().access_key_id(), "TWO");
        // ...but not expired ones.
        clock.advance(Duration::from_secs(5 * 60));
        assert_eq!(cache.load().await.unwrap_err().message(), "process failed");

        // No expiry: kept for the cache time, then reloaded.
        let inner = Counting::new(Ok(creds("STATIC")));
        let cache = CachingProvider::new(inner.clone())
            .with_time_source(clock.clone())
            .with_cache_time(Duration::from_secs(60));
        cache.load().await.unwrap();
        clock.advance(Duration::from_secs(59));
        cache.load().await.unwrap();
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
        clock.advance(Duration::from_secs(1));
        cache.load().await.unwrap();
        assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
        cache.invalidate().await;
        cache.load().await.unwrap();
        assert_eq!(inner.calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_refresh() {
        let inner = Counting::new(Ok(creds("ONE")));
        let cache = Arc::new(CachingProvider::new(inner.clone()));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let c = cache.clone();
            tasks.push(tokio::spawn(async move { c.load().await }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().access_key_id(), "ONE");
        }
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
    }

    /// Each step of the default chain, in order, against files in a temp dir and an env map.
    #[tokio::test]
    async fn default_chain_steps() {
        let dir = TempDir::new("chain");
        let home = dir.path().display().to_string();
        let env_with = |extra: &[(&str, &str)]| {
            let mut vars = vec![("HOME".to_owned(), home.clone())];
            vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
            Env::from_vars(vars)
        };
        let load = |env: Env| async move {
            DefaultCredentialsChain::with_env(env)
                .provide_credentials()
                .await
        };

        // Nothing anywhere: every source tried, each with its reason.
        let e = load(env_with(&[])).await.unwrap_err();
        let m = e.message();
        assert!(m.starts_with("tried environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); shared config files (no profile `default` in "), "{m}");
        assert!(
            m.contains("; credential_process (no profile `default` in "),
            "{m}"
        );

        // 3. credential_process.
        let json = dir.write(
            "creds.json",
            r#"{"Version":1,"AccessKeyId":"PROC","SecretAccessKey":"S","Expiration":"2999-01-01T00:00:00Z"}"#,
        );
        dir.write(
            ".aws/config",
            &format!(
                "[default]\ncredential_process = cat {}\nregion = eu-west-1\n",
                json.display()
            ),
        );
        assert_eq!(load(env_with(&[])).await.unwrap().access_key_id(), "PROC");

        // 2. Static keys in the credentials file win over credential_process.
        dir.write(
            ".aws/credentials",
            "[default]\naws_access_key_id = FILE\naws_secret_access_key = S\n",
        );
        assert_eq!(load(env_with(&[])).await.unwrap().access_key_id(), "FILE");

        // 1. The environment wins over the files.
        let env = env_with(&[("AWS_ACCESS_KEY_ID", "ENV"), ("AWS_SECRET_ACCESS_KEY", "S")]);
        assert_eq!(load(env).await.unwrap().access_key_id(), "ENV");

        // A malformed file stops the chain with file and line.
        let bad = dir.write(".aws/credentials", "[default]\naws_access_key_id\n");
        let e = load(env_with(&[])).await.unwrap_err();
        assert!(!e.is_not_found());
        assert!(
            e.message().starts_with(&format!(
                "shared config files: {}, line 2: expected `key = value`",
                bad.display()
            )),
            "{e}"
        );

        // A failing credential_process stops it too.
        std::fs::remove_file(&bad).unwrap();
        dir.write(".aws/config", "[default]\ncredential_process = exit 7\n");
        let e = load(env_with(&[])).await.unwrap_err();
        assert!(
            e.message().contains("status 7") && e.message().starts_with("credential_process: "),
            "{e}"
        );
    }
}
