//! Provider chains and the credentials cache.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use super::env::{Env, EnvironmentProvider};
use super::process::{DEFAULT_PROCESS_TIMEOUT, ProcessLimits, ProcessProvider};
use super::profile::ProfileProvider;
use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};
use crate::config::{SystemClock, TimeSource};

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

/// How much longer than the `credential_process` timeout a call waits for another call's
/// refresh of [`DefaultCredentialsChain`]: 10 s.
pub const REFRESH_WAIT_MARGIN: Duration = Duration::from_secs(10);

/// How long a call waits for another call's refresh by default: 70 s, the default
/// `credential_process` timeout ([`DEFAULT_PROCESS_TIMEOUT`]) plus [`REFRESH_WAIT_MARGIN`].
pub const DEFAULT_REFRESH_WAIT: Duration =
    Duration::from_secs(DEFAULT_PROCESS_TIMEOUT.as_secs() + REFRESH_WAIT_MARGIN.as_secs());

/// Caches another provider's credentials: until [`REFRESH_BEFORE_EXPIRY`] before they expire,
/// or for [`DEFAULT_CACHE_TIME`] when they do not. When a refresh fails while the cached
/// credentials have not expired yet, those are used (with a warning) rather than failing the
/// call.
///
/// Concurrent callers wait for one refresh and share its result, failure included (a source
/// that just failed is not run again at once for each of them). They wait at most the
/// [refresh wait](Self::with_refresh_wait) ([`DEFAULT_REFRESH_WAIT`], 70 s), then fail with an
/// error saying another refresh is still running and for how long, so a source that hangs
/// cannot hang every call. (The wait uses tokio's timer; outside a tokio runtime it is not
/// bounded.)
pub struct CachingProvider {
    inner: Arc<dyn ProvideCredentials>,
    state: tokio::sync::Mutex<State>,
    /// Refreshes finished so far; numbers them for [`State::failed`].
    refreshes: AtomicU64,
    /// When the refresh in progress began, for the error of callers that give up on it.
    refreshing_since: std::sync::Mutex<Option<Instant>>,
    clock: Arc<dyn TimeSource>,
    ttl: Duration,
    refresh_before: Duration,
    refresh_wait: Duration,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// The error of the latest refresh and its number, when it failed.
    failed: Option<(u64, CredentialsError)>,
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
            .field("refresh_wait", &self.refresh_wait)
            .finish()
    }
}

/// Marks a refresh as running while it lives (also when its future is dropped midway).
struct Refreshing<'a>(&'a std::sync::Mutex<Option<Instant>>);

impl<'a> Refreshing<'a> {
    fn start(since: &'a std::sync::Mutex<Option<Instant>>) -> Self {
        *since.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        Refreshing(since)
    }
}

impl Drop for Refreshing<'_> {
    fn drop(&mut self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

impl CachingProvider {
    pub fn new(inner: impl ProvideCredentials + 'static) -> Self {
        CachingProvider {
            inner: Arc::new(inner),
            state: tokio::sync::Mutex::new(State::default()),
            refreshes: AtomicU64::new(0),
            refreshing_since: std::sync::Mutex::new(None),
            clock: Arc::new(SystemClock),
            ttl: DEFAULT_CACHE_TIME,
            refresh_before: REFRESH_BEFORE_EXPIRY,
            refresh_wait: DEFAULT_REFRESH_WAIT,
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

    /// How long a call waits for another call's refresh before it fails (default
    /// [`DEFAULT_REFRESH_WAIT`], 70 s). Make it longer than the inner provider can take.
    pub fn with_refresh_wait(mut self, wait: Duration) -> Self {
        self.refresh_wait = wait;
        self
    }

    /// The refresh wait, see [`with_refresh_wait`](Self::with_refresh_wait).
    pub fn refresh_wait(&self) -> Duration {
        self.refresh_wait
    }

    /// Forgets the cached credentials; the next call loads new ones.
    pub async fn invalidate(&self) {
        *self.state.lock().await = State::default();
    }

    /// The cache, waiting at most the refresh wait for a refresh another call is running.
    async fn lock(&self) -> Result<tokio::sync::MutexGuard<'_, State>, CredentialsError> {
        if let Ok(state) = self.state.try_lock() {
            return Ok(state);
        }
        if tokio::runtime::Handle::try_current().is_err() {
            return Ok(self.state.lock().await);
        }
        match tokio::time::timeout(self.refresh_wait, self.state.lock()).await {
            Ok(state) => Ok(state),
            Err(_) => {
                let since = *self
                    .refreshing_since
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                let running = match since {
                    Some(t) => format!(" has been running for {:.1?} and", t.elapsed()),
                    None => String::new(),
                };
                Err(CredentialsError::new(format!(
                    "another call's refresh of the credentials{running} has not finished; \
                     gave up waiting for it after {:?}",
                    self.refresh_wait
                )))
            }
        }
    }

    pub async fn load(&self) -> Result<Credentials, CredentialsError> {
        let seen = self.refreshes.load(Ordering::SeqCst);
        let mut state = self.lock().await?;
        let now = self.clock.now();
        if let Some(c) = state.cached.as_ref()
            && now < c.refresh_at
        {
            return Ok(c.credentials.clone());
        }
        let result = match &state.failed {
            // A refresh that ended while this call waited failed: share its error.
            Some((n, e)) if *n > seen => Err(e.clone()),
            _ => {
                let refreshing = Refreshing::start(&self.refreshing_since);
                let result = self.inner.provide_credentials().await;
                drop(refreshing);
                let n = self.refreshes.fetch_add(1, Ordering::SeqCst) + 1;
                state.failed = result.as_ref().err().map(|e| (n, e.clone()));
                result
            }
        };
        match result {
            Ok(credentials) => {
                let refresh_at = match credentials.expiry() {
                    Some(exp) => exp.checked_sub(self.refresh_before).unwrap_or(now),
                    None => now + self.ttl,
                };
                tracing::debug!(expiry = ?credentials.expiry(), "credentials cached");
                state.cached = Some(Cached {
                    credentials: credentials.clone(),
                    refresh_at,
                });
                Ok(credentials)
            }
            Err(e) => match state.cached.as_ref() {
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

/// The chain [`Config::from_env`](crate::config::Config::from_env) uses: environment, then the shared
/// files' static keys, then `credential_process`, cached (see the [module docs](super)).
///
/// Its `credential_process` runs within a timeout ([`DEFAULT_PROCESS_TIMEOUT`], 60 s) and an
/// output limit ([`DEFAULT_PROCESS_OUTPUT_LIMIT`](super::DEFAULT_PROCESS_OUTPUT_LIMIT), 64 KiB);
/// calls wait for another call's refresh at most that timeout plus [`REFRESH_WAIT_MARGIN`] (70 s
/// by default).
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    env: Env,
    limits: ProcessLimits,
    /// Set by [`with_refresh_wait`](Self::with_refresh_wait); else derived from the timeout.
    refresh_wait: Option<Duration>,
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
        let limits = ProcessLimits::default();
        DefaultCredentialsChain {
            cache: CachingProvider::new(Self::chain_with(env.clone(), limits))
                .with_refresh_wait(limits.timeout.saturating_add(REFRESH_WAIT_MARGIN)),
            env,
            limits,
            refresh_wait: None,
        }
    }

    /// The uncached chain.
    pub fn chain(env: Env) -> CredentialsChain {
        Self::chain_with(env, ProcessLimits::default())
    }

    fn chain_with(env: Env, limits: ProcessLimits) -> CredentialsChain {
        CredentialsChain::new()
            .or_else("environment", EnvironmentProvider::with_env(env.clone()))
            .or_else(
                "shared config files",
                ProfileProvider::with_env(env.clone()),
            )
            .or_else(
                "credential_process",
                ProcessProvider::with_env(env).with_limits(limits),
            )
    }

    /// Kills `credential_process` (with its process group, on Unix) and fails when it runs
    /// longer than `timeout` (default [`DEFAULT_PROCESS_TIMEOUT`], 60 s). Unless set with
    /// [`with_refresh_wait`](Self::with_refresh_wait), calls wait for another call's refresh
    /// `timeout` plus [`REFRESH_WAIT_MARGIN`].
    pub fn with_process_timeout(mut self, timeout: Duration) -> Self {
        self.limits.timeout = timeout;
        self.rebuild()
    }

    /// Kills `credential_process` and fails when it writes more than `bytes` to standard output
    /// (default [`DEFAULT_PROCESS_OUTPUT_LIMIT`](super::DEFAULT_PROCESS_OUTPUT_LIMIT), 64 KiB).
    pub fn with_process_output_limit(mut self, bytes: usize) -> Self {
        self.limits.output_limit = bytes;
        self.rebuild()
    }

    /// How long a call waits for another call's refresh before it fails (default: the
    /// `credential_process` timeout plus [`REFRESH_WAIT_MARGIN`]).
    pub fn with_refresh_wait(mut self, wait: Duration) -> Self {
        self.refresh_wait = Some(wait);
        self.cache.refresh_wait = wait;
        self
    }

    pub(crate) fn with_process_limits(mut self, limits: ProcessLimits) -> Self {
        self.limits = limits;
        self.rebuild()
    }

    /// The chain again with the current limits (nothing is cached before the first call).
    fn rebuild(mut self) -> Self {
        self.cache.inner = Arc::new(Self::chain_with(self.env.clone(), self.limits));
        self.cache.refresh_wait = self
            .refresh_wait
            .unwrap_or_else(|| self.limits.timeout.saturating_add(REFRESH_WAIT_MARGIN));
        self
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
        Credentials::from_keys(id, "secret", None)
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
        let inner = Counting::new(Ok(Credentials::new(
            "ONE",
            "secret",
            None,
            Some(t0 + Duration::from_secs(3600)),
            "test",
        )));
        let cache = CachingProvider::new(inner.clone()).with_time_source(clock.clone());
        for _ in 0..3 {
            assert_eq!(cache.load().await.unwrap().access_key_id(), "ONE");
        }
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
        // 54 minutes later: still cached. 55 minutes (5 before expiry): refreshed.
        clock.advance(Duration::from_secs(54 * 60));
        cache.load().await.unwrap();
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
        inner.set(Ok(Credentials::new(
            "TWO",
            "secret",
            None,
            Some(t0 + Duration::from_secs(7200)),
            "test",
        )));
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

    /// A source that takes `delay` (forever when `None`), then fails; counts its calls.
    #[derive(Debug)]
    struct Slow {
        delay: Option<Duration>,
        calls: AtomicU32,
    }

    impl ProvideCredentials for Slow {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                match self.delay {
                    Some(d) => tokio::time::sleep(d).await,
                    None => std::future::pending::<()>().await,
                }
                Err(CredentialsError::new("the helper failed"))
            })
        }
    }

    #[tokio::test]
    async fn waiters_give_up_on_a_refresh_that_never_ends() {
        let slow = Arc::new(Slow {
            delay: None,
            calls: AtomicU32::new(0),
        });
        let cache = Arc::new(
            CachingProvider::new(slow.clone()).with_refresh_wait(Duration::from_millis(300)),
        );
        assert_eq!(cache.refresh_wait(), Duration::from_millis(300));
        let holder = {
            let cache = cache.clone();
            tokio::spawn(async move { cache.load().await })
        };
        while slow.calls.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let started = Instant::now();
        let e = tokio::time::timeout(Duration::from_secs(5), cache.load())
            .await
            .expect("the waiter hung")
            .unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert!(!e.is_not_found());
        let m = e.message();
        assert!(
            m.starts_with("another call's refresh of the credentials has been running for "),
            "{m}"
        );
        assert!(
            m.ends_with(" and has not finished; gave up waiting for it after 300ms"),
            "{m}"
        );
        // The holder gives up in turn (its future dropped): the next call runs the source.
        holder.abort();
        let _ = holder.await;
        let e = tokio::time::timeout(Duration::from_millis(50), cache.load()).await;
        assert!(
            e.is_err(),
            "the source never ends, so this call waits for it"
        );
        assert_eq!(slow.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn waiters_share_a_failed_refresh() {
        let slow = Arc::new(Slow {
            delay: Some(Duration::from_millis(200)),
            calls: AtomicU32::new(0),
        });
        let cache = Arc::new(CachingProvider::new(slow.clone()));
        let tasks: Vec<_> = (0..5)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.load().await })
            })
            .collect();
        for t in tasks {
            let e = t.await.unwrap().unwrap_err();
            assert_eq!(e.message(), "the helper failed");
        }
        assert_eq!(slow.calls.load(Ordering::SeqCst), 1);
        // A later call tries again.
        cache.load().await.unwrap_err();
        assert_eq!(slow.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn default_chain_limits_and_refresh_wait() {
        let chain = DefaultCredentialsChain::with_env(Env::from_vars::<_, String, String>([]));
        assert_eq!(chain.cache.refresh_wait(), DEFAULT_REFRESH_WAIT);
        assert_eq!(DEFAULT_REFRESH_WAIT, Duration::from_secs(70));
        let chain = chain.with_process_timeout(Duration::from_secs(2));
        assert_eq!(chain.cache.refresh_wait(), Duration::from_secs(12));
        assert_eq!(chain.limits.timeout, Duration::from_secs(2));
        let chain = chain
            .with_refresh_wait(Duration::from_secs(1))
            .with_process_output_limit(10);
        assert_eq!(chain.cache.refresh_wait(), Duration::from_secs(1));
        assert_eq!(chain.limits.output_limit, 10);
        let shown = format!("{chain:?}");
        assert!(shown.contains("output_limit: 10"), "{shown}");
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
