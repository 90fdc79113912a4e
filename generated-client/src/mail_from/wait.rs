//! Waiting until SES reports `Success` for a planned MAIL FROM domain.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;

use crate::Client;

use super::ensure::{MailFromError, MailFromStatus, current, same_domain};
use super::plan::{DnsRecord, MailFromPlan};

/// How often the waiter asks SES by default: every 30 seconds. SES itself checks DNS far less
/// often than that, so asking more often only spends API calls.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(30);

/// The shortest poll interval the waiter uses; shorter settings are raised to it.
pub const MIN_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// How long the waiter waits by default: 72 hours, the time SES keeps looking for the MX
/// record before it reports `Failed`. Waiting longer would only end in that `Failed`.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(72 * 60 * 60);

/// What an injected sleep returns (the same type as the client's `sleep_impl` closures take).
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

type SleepFn = Arc<dyn Fn(Duration) -> SleepFuture + Send + Sync>;
type ClockFn = Arc<dyn Fn() -> SystemTime + Send + Sync>;
type ProgressFn<'a> = Box<dyn FnMut(&WaitProgress) + Send + 'a>;

/// One poll, as reported to the progress callback.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitProgress {
    /// 1 for the first poll.
    pub poll: u32,
    pub status: MailFromStatus,
    /// Time since the wait started.
    pub elapsed: Duration,
    /// When the waiter asks again; `None` when this poll ended the wait.
    pub next_poll_in: Option<Duration>,
}

/// A wait that ended with `Success`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitSuccess {
    pub polls: u32,
    pub elapsed: Duration,
}

/// Why a wait ended without `Success`.
#[derive(Debug)]
#[non_exhaustive]
// `Read` holds an `SdkError` (with its raw response), far larger than the other variants; a
// wait ends with this error once, so its size costs nothing worth a `Box` in the public API.
#[allow(clippy::large_enum_variant)]
pub enum WaitError {
    /// SES reported `Failed`: it stopped looking for the MX record. `expected` holds the
    /// records it needs to find; once they are published, [`super::ensure`] restarts the checks.
    Failed {
        identity: String,
        mail_from_domain: String,
        polls: u32,
        expected: Vec<DnsRecord>,
    },
    /// No MAIL FROM domain is set for the identity, so there is nothing to wait for (call
    /// [`super::ensure`] first).
    NotSet { identity: String, polls: u32 },
    /// SES reports another MAIL FROM domain than the plan's (changed by someone else?).
    OtherDomain {
        identity: String,
        expected: String,
        found: String,
        polls: u32,
    },
    /// `max_wait` passed without `Success` or `Failed`.
    TimedOut {
        identity: String,
        mail_from_domain: String,
        polls: u32,
        max_wait: Duration,
        last_status: MailFromStatus,
    },
    /// Reading the status failed (after the client's own retries).
    Read(MailFromError),
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Failed {
                identity,
                mail_from_domain,
                polls,
                expected,
            } => {
                write!(
                    f,
                    "SES reports Failed for MAIL FROM domain {mail_from_domain} of identity \
                     `{}` (poll {polls}): it did not find the MX record. SES expects exactly \
                     these records:",
                    identity.escape_debug()
                )?;
                for record in expected {
                    write!(f, " `{record}`;")?;
                }
                f.write_str(" publish them, then set the domain again to restart the checks")
            }
            WaitError::NotSet { identity, polls } => write!(
                f,
                "identity `{}` has no MAIL FROM domain set (poll {polls}); set it before waiting",
                identity.escape_debug()
            ),
            WaitError::OtherDomain {
                identity,
                expected,
                found,
                polls,
            } => write!(
                f,
                "identity `{}` has MAIL FROM domain `{}`, not {expected} (poll {polls})",
                identity.escape_debug(),
                found.escape_debug()
            ),
            WaitError::TimedOut {
                identity,
                mail_from_domain,
                polls,
                max_wait,
                last_status,
            } => write!(
                f,
                "MAIL FROM domain {mail_from_domain} of identity `{}` is still {last_status} \
                 after {polls} polls within the maximum wait of {}",
                identity.escape_debug(),
                human(*max_wait)
            ),
            WaitError::Read(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Read(e) => Some(e),
            _ => None,
        }
    }
}

/// `d` as `1h 2m 3s` (whole seconds; milliseconds below a second).
fn human(d: Duration) -> String {
    let secs = d.as_secs();
    if secs == 0 {
        return format!("{}ms", d.as_millis());
    }
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h "));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m "));
    }
    out.push_str(&format!("{s}s"));
    out
}

/// Polls `GetIdentityMailFromDomainAttributes` until SES reports `Success` for the plan's
/// MAIL FROM domain. Build it with [`wait_for_success`].
///
/// - `Pending`, `TemporaryFailure` and statuses this client does not know: wait and ask again.
/// - `Success`: done.
/// - `Failed`: [`WaitError::Failed`], listing the records SES expects.
/// - No domain set, or another domain: [`WaitError::NotSet`] / [`WaitError::OtherDomain`] at
///   once, since waiting could not change that.
/// - A read that fails after the client's retries ends the wait ([`WaitError::Read`]).
///
/// The wait is bounded: polls every `poll_interval` (default [`DEFAULT_POLL_INTERVAL`], at least
/// [`MIN_POLL_INTERVAL`]) until `max_wait` (default [`DEFAULT_MAX_WAIT`]) has passed, the last
/// poll exactly at `max_wait`, then [`WaitError::TimedOut`]. Time is measured on the injected
/// clock ([`SuccessWaiter::time_source`], default a monotonic clock), and never counts as less
/// than the sleeps already asked for, so a sleep that returns at once cannot make the loop run
/// forever.
///
/// Each poll is reported to the [`on_progress`](SuccessWaiter::on_progress) callback and as a
/// `tracing` event (`info`, `Failed` and time-outs `warn`) inside a `mail_from_wait` span
/// carrying the identity and the MAIL FROM domain.
///
/// The waiter sleeps with tokio's timer unless [`SuccessWaiter::sleep_impl`] gives another
/// sleep. It does not use the client's `sleep_impl`/`time_source` (the client does not expose
/// them); tests inject the same closures in both.
pub struct SuccessWaiter<'a> {
    client: &'a Client,
    plan: &'a MailFromPlan,
    poll_interval: Duration,
    max_wait: Duration,
    progress: Option<ProgressFn<'a>>,
    sleep: Option<SleepFn>,
    clock: Option<ClockFn>,
}

impl fmt::Debug for SuccessWaiter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SuccessWaiter")
            .field("identity", &self.plan.identity())
            .field("mail_from_domain", &self.plan.mail_from_domain())
            .field("poll_interval", &self.poll_interval)
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

/// A waiter for `plan`'s MAIL FROM domain to reach `Success`, with the defaults
/// ([`DEFAULT_POLL_INTERVAL`], [`DEFAULT_MAX_WAIT`]).
pub fn wait_for_success<'a>(client: &'a Client, plan: &'a MailFromPlan) -> SuccessWaiter<'a> {
    SuccessWaiter {
        client,
        plan,
        poll_interval: DEFAULT_POLL_INTERVAL,
        max_wait: DEFAULT_MAX_WAIT,
        progress: None,
        sleep: None,
        clock: None,
    }
}

enum Clock {
    Monotonic(Instant),
    Injected(ClockFn, SystemTime),
}

impl Clock {
    fn elapsed(&self) -> Duration {
        match self {
            Clock::Monotonic(start) => start.elapsed(),
            // A clock that goes backwards counts as no time passed.
            Clock::Injected(now, start) => now().duration_since(*start).unwrap_or_default(),
        }
    }
}

impl<'a> SuccessWaiter<'a> {
    /// Time between polls (default 30 s; values under 1 s are raised to 1 s).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval.max(MIN_POLL_INTERVAL);
        self
    }

    /// The longest the wait may take (default 72 h).
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// Called after every poll, including the last.
    pub fn on_progress(mut self, callback: impl FnMut(&WaitProgress) + Send + 'a) -> Self {
        self.progress = Some(Box::new(callback));
        self
    }

    /// The sleep between polls (default: tokio's timer).
    pub fn sleep_impl(
        mut self,
        sleep: impl Fn(Duration) -> SleepFuture + Send + Sync + 'static,
    ) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// The clock the wait is measured on (default: a monotonic clock).
    pub fn time_source(mut self, clock: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Polls until `Success`, `Failed`, or `max_wait`.
    pub async fn wait(self) -> Result<WaitSuccess, WaitError> {
        let span = tracing::info_span!(
            "mail_from_wait",
            identity = self.plan.identity(),
            mail_from_domain = self.plan.mail_from_domain(),
            max_wait_secs = self.max_wait.as_secs(),
        );
        self.run().instrument(span).await
    }

    async fn run(mut self) -> Result<WaitSuccess, WaitError> {
        let plan = self.plan;
        let identity = plan.identity();
        let clock = match &self.clock {
            Some(now) => Clock::Injected(now.clone(), now()),
            None => Clock::Monotonic(Instant::now()),
        };
        let mut slept = Duration::ZERO;
        let mut poll = 0u32;
        loop {
            poll = poll.saturating_add(1);
            let now = current(self.client, identity)
                .await
                .map_err(WaitError::Read)?;
            let elapsed = clock.elapsed().max(slept);
            match &now.mail_from_domain {
                None => {
                    self.report(poll, &now.status, elapsed, None);
                    tracing::warn!(poll, "no MAIL FROM domain set");
                    return Err(WaitError::NotSet {
                        identity: identity.to_owned(),
                        polls: poll,
                    });
                }
                Some(found) if !same_domain(found, plan.mail_from_domain()) => {
                    self.report(poll, &now.status, elapsed, None);
                    tracing::warn!(poll, found = %found, "another MAIL FROM domain is set");
                    return Err(WaitError::OtherDomain {
                        identity: identity.to_owned(),
                        expected: plan.mail_from_domain().to_owned(),
                        found: found.clone(),
                        polls: poll,
                    });
                }
                Some(_) => {}
            }
            match now.status {
                MailFromStatus::Success => {
                    self.report(poll, &now.status, elapsed, None);
                    tracing::info!(
                        poll,
                        status = now.status.as_str(),
                        elapsed_secs = elapsed.as_secs(),
                        "MAIL FROM domain verified"
                    );
                    return Ok(WaitSuccess {
                        polls: poll,
                        elapsed,
                    });
                }
                MailFromStatus::Failed => {
                    self.report(poll, &now.status, elapsed, None);
                    tracing::warn!(
                        poll,
                        status = now.status.as_str(),
                        elapsed_secs = elapsed.as_secs(),
                        "SES gave up on the MAIL FROM domain"
                    );
                    return Err(WaitError::Failed {
                        identity: identity.to_owned(),
                        mail_from_domain: plan.mail_from_domain().to_owned(),
                        polls: poll,
                        expected: plan.records().to_vec(),
                    });
                }
                _ => {}
            }
            let remaining = self.max_wait.saturating_sub(elapsed);
            if remaining.is_zero() {
                self.report(poll, &now.status, elapsed, None);
                tracing::warn!(
                    poll,
                    status = now.status.as_str(),
                    elapsed_secs = elapsed.as_secs(),
                    "gave up waiting for the MAIL FROM domain"
                );
                return Err(WaitError::TimedOut {
                    identity: identity.to_owned(),
                    mail_from_domain: plan.mail_from_domain().to_owned(),
                    polls: poll,
                    max_wait: self.max_wait,
                    last_status: now.status,
                });
            }
            let delay = self.poll_interval.min(remaining);
            self.report(poll, &now.status, elapsed, Some(delay));
            tracing::info!(
                poll,
                status = now.status.as_str(),
                elapsed_secs = elapsed.as_secs(),
                next_poll_secs = delay.as_secs(),
                "waiting for the MAIL FROM domain"
            );
            match &self.sleep {
                Some(sleep) => sleep(delay).await,
                None => tokio::time::sleep(delay).await,
            }
            slept = slept.saturating_add(delay);
        }
    }

    fn report(
        &mut self,
        poll: u32,
        status: &MailFromStatus,
        elapsed: Duration,
        next: Option<Duration>,
    ) {
        if let Some(callback) = &mut self.progress {
            callback(&WaitProgress {
                poll,
                status: status.clone(),
                elapsed,
                next_poll_in: next,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::human;
    use std::time::Duration;

    #[test]
    fn durations_read_as_hours_minutes_seconds() {
        assert_eq!(human(Duration::from_secs(72 * 3600)), "72h 0m 0s");
        assert_eq!(human(Duration::from_secs(95)), "1m 35s");
        assert_eq!(human(Duration::from_secs(5)), "5s");
        assert_eq!(human(Duration::from_millis(250)), "250ms");
    }
}
