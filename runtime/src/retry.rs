//! Retry policy: which failures are retried, how long to back off, a retry quota so a failing
//! service is not hammered (standard mode, as in AWS's SDKs), the client-side rate limiter of
//! adaptive mode, and per-operation rate limits.
//!
//! # Standard mode (the default)
//!
//! - At most `max_attempts` attempts (default 3), first included.
//! - Retried: connection failures, timeouts, HTTP 500/502/503/504, and the throttling and
//!   transient error codes in [`THROTTLING_CODES`] and [`TRANSIENT_CODES`] at any status
//!   (SES's `Throttling`, "Maximum sending rate exceeded", among them). No other 4xx is retried.
//! - Backoff before retry `n` (1-based): full jitter, a uniformly random duration in
//!   `[0, min(max_backoff, initial_backoff * 2^(n-1))]` (defaults 1 s and 20 s). A response
//!   header `x-amz-retry-after` (milliseconds) replaces the jittered value, capped at
//!   `max_backoff`.
//! - Retry quota per client: 500 tokens; a retry costs 5 (10 after a timeout); a success refunds
//!   the cost of the retry that led to it, or 1 token when it needed none. With the bucket
//!   empty, failures are returned without retrying.
//! - Clock skew: a `RequestTimeTooSkewed`-like error ([`CLOCK_SKEW_CODES`]) whose response `Date`
//!   is more than [`CLOCK_SKEW_THRESHOLD`] from the local clock makes the client store the
//!   offset, sign with the corrected clock from then on, and retry once (within
//!   `max_attempts`, free of quota).
//!
//! # Adaptive mode
//!
//! Standard mode plus [`AdaptiveRateLimiter`], the client-side rate limiter of AWS's SDKs: after
//! the first throttling error every attempt takes a token from a bucket whose fill rate follows
//! CUBIC congestion control: it drops to 70% of the measured send rate on each throttling
//! response and grows back along a cubic curve on successes (never above twice the measured
//! rate). Before the first throttling error it does not limit at all.
//!
//! # Per-operation rate limits
//!
//! [`OperationRateLimiter`] spaces attempts of one operation at least `1 / rate` seconds apart,
//! across all concurrent calls of a client (no bursts), e.g. to stay under SES's 1 call per
//! second for `SetIdentityMailFromDomain`.

use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Why an attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A connection problem or a 5xx answer.
    Transient,
    /// The service said to slow down.
    Throttling,
    /// No answer in time.
    Timeout,
    /// A signature or time error that a skewed local clock explains; retried once, only when
    /// the response's `Date` shows the skew.
    ClockSkew,
}

/// Error codes AWS services use for throttling (retried at any HTTP status).
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes for transient service-side failures (retried at any HTTP status).
pub const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// Error codes a skewed local clock can cause.
pub const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "AuthFailure",
];

/// A response `Date` further than this from the local clock counts as clock skew.
pub const CLOCK_SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// Retry classification of an HTTP status alone.
pub fn classify_status(status: u16) -> Option<Kind> {
    match status {
        500 | 502 | 503 | 504 => Some(Kind::Transient),
        _ => None,
    }
}

/// Retry classification of a service error.
pub fn classify(status: u16, code: &str) -> Option<Kind> {
    if THROTTLING_CODES.contains(&code) {
        Some(Kind::Throttling)
    } else if TRANSIENT_CODES.contains(&code) {
        Some(Kind::Transient)
    } else if CLOCK_SKEW_CODES.contains(&code) {
        Some(Kind::ClockSkew)
    } else {
        classify_status(status)
    }
}

/// The largest backoff before retry number `attempt` (1 = after the first attempt):
/// `min(cap, base * 2^(attempt-1))`.
pub fn backoff_ceiling(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(30));
    exp.min(cap)
}

/// Full-jitter exponential backoff before retry number `attempt` (1 = after the first attempt):
/// a random duration in `[0, min(cap, base * 2^(attempt-1))]`.
pub fn backoff(attempt: u32, base: Duration, cap: Duration) -> Duration {
    backoff_ceiling(attempt, base, cap).mul_f64(random_unit())
}

/// The delay before retry number `attempt`: the service's `x-amz-retry-after` when it sent one
/// (capped at `cap`), else [`backoff`].
pub fn retry_delay(
    attempt: u32,
    base: Duration,
    cap: Duration,
    retry_after: Option<Duration>,
) -> Duration {
    match retry_after {
        Some(d) => d.min(cap),
        None => backoff(attempt, base, cap),
    }
}

/// `x-amz-retry-after`: a whole number of milliseconds.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_millis)
}

/// A random number in `[0, 1)` from std's randomly seeded hasher (no extra dependency; jitter
/// does not need cryptographic randomness).
pub(crate) fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Standard or adaptive retries (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    #[default]
    Standard,
    Adaptive,
}

impl FromStr for RetryMode {
    type Err = String;

    /// `standard` or `adaptive`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            _ => Err("expected standard or adaptive".into()),
        }
    }
}

/// The retry quota: retries spend tokens (5, or 10 after a timeout); a success refunds the
/// cost of the retry that led to it, or one token. When the bucket is empty, failures are
/// returned without retrying.
#[derive(Debug)]
pub struct RetryState {
    tokens: Mutex<u32>,
}

pub const QUOTA: u32 = 500;
pub const RETRY_COST: u32 = 5;
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Refunded by a success that needed no retry.
pub const NO_RETRY_INCREMENT: u32 = 1;

impl Default for RetryState {
    fn default() -> Self {
        Self::new()
    }
}

impl RetryState {
    pub fn new() -> Self {
        RetryState {
            tokens: Mutex::new(QUOTA),
        }
    }

    /// Takes the tokens for one retry, if there are enough; returns what it took.
    pub fn acquire(&self, kind: Kind) -> Option<u32> {
        let cost = if kind == Kind::Timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut t = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *t >= cost {
            *t -= cost;
            Some(cost)
        } else {
            None
        }
    }

    /// After a success: refunds `retry_cost` (what the last retry took), or
    /// [`NO_RETRY_INCREMENT`] when the call needed no retry.
    pub fn success(&self, retry_cost: Option<u32>) {
        let mut t = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *t = (*t + retry_cost.unwrap_or(NO_RETRY_INCREMENT)).min(QUOTA);
    }

    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Seconds since the Unix epoch as `f64` (0 before it).
fn seconds(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// The client-side rate limiter of adaptive mode (the algorithm of AWS's SDKs: a token bucket
/// whose fill rate follows CUBIC). Callers ask [`acquire`](Self::acquire) before each attempt
/// and sleep for what it returns, and report each response with [`update`](Self::update).
#[derive(Debug)]
pub struct AdaptiveRateLimiter {
    state: Mutex<Adaptive>,
}

#[derive(Debug)]
struct Adaptive {
    fill_rate: f64,
    max_capacity: f64,
    /// Negative while callers wait for tokens they were promised.
    capacity: f64,
    last_refill: Option<f64>,
    enabled: bool,
    measured_rate: f64,
    last_bucket: f64,
    count: f64,
    last_max_rate: f64,
    last_throttle: f64,
}

/// CUBIC's constants and the bucket's floor, as in AWS's SDKs.
const MIN_FILL_RATE: f64 = 0.5;
const MIN_CAPACITY: f64 = 1.0;
const SMOOTH: f64 = 0.8;
const BETA: f64 = 0.7;
const SCALE_CONSTANT: f64 = 0.4;

impl AdaptiveRateLimiter {
    pub fn new(now: SystemTime) -> Self {
        let now = seconds(now);
        AdaptiveRateLimiter {
            state: Mutex::new(Adaptive {
                fill_rate: MIN_FILL_RATE,
                max_capacity: MIN_CAPACITY,
                capacity: MIN_CAPACITY,
                last_refill: None,
                enabled: false,
                measured_rate: 0.0,
                last_bucket: now.floor(),
                count: 0.0,
                last_max_rate: 0.0,
                last_throttle: now,
            }),
        }
    }

    /// Takes a token for one attempt; returns how long to wait before sending (zero when a
    /// token is there, or before the first throttling error).
    pub fn acquire(&self, now: SystemTime) -> Duration {
        let now = seconds(now);
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if !s.enabled {
            return Duration::ZERO;
        }
        s.refill(now);
        s.capacity -= 1.0;
        if s.capacity >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((-s.capacity / s.fill_rate).min(3600.0))
        }
    }

    /// Reports a response: throttling or not.
    pub fn update(&self, now: SystemTime, throttled: bool) {
        let now = seconds(now);
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.measure(now);
        let rate = if throttled {
            let rate_to_use = if s.enabled {
                s.measured_rate.min(s.fill_rate)
            } else {
                s.measured_rate
            };
            s.last_max_rate = rate_to_use;
            s.last_throttle = now;
            s.enabled = true;
            rate_to_use * BETA
        } else {
            let window = (s.last_max_rate * (1.0 - BETA) / SCALE_CONSTANT).cbrt();
            SCALE_CONSTANT * (now - s.last_throttle - window).powi(3) + s.last_max_rate
        };
        let new_rate = rate.min(2.0 * s.measured_rate);
        s.refill(now);
        s.fill_rate = new_rate.max(MIN_FILL_RATE);
        s.max_capacity = new_rate.max(MIN_CAPACITY);
        s.capacity = s.capacity.min(s.max_capacity);
    }

    /// The current fill rate (tokens per second) and whether the limiter is active.
    pub fn rate(&self) -> (f64, bool) {
        let s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        (s.fill_rate, s.enabled)
    }
}

impl Adaptive {
    fn refill(&mut self, now: f64) {
        if let Some(last) = self.last_refill {
            let fill = (now - last).max(0.0) * self.fill_rate;
            self.capacity = (self.capacity + fill).min(self.max_capacity);
        }
        self.last_refill = Some(now);
    }

    /// The smoothed send rate, measured in half-second buckets.
    fn measure(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.count += 1.0;
        if bucket > self.last_bucket {
            let current = self.count / (bucket - self.last_bucket);
            self.measured_rate = current * SMOOTH + self.measured_rate * (1.0 - SMOOTH);
            self.count = 0.0;
            self.last_bucket = bucket;
        }
    }
}

/// Spaces attempts of one operation at least `1 / per_second` apart (no bursts).
#[derive(Debug)]
pub struct OperationRateLimiter {
    interval: Duration,
    next: Mutex<Option<SystemTime>>,
}

impl OperationRateLimiter {
    /// `per_second` must be positive and finite; anything else gives `None`.
    pub fn new(per_second: f64) -> Option<Self> {
        if !(per_second.is_finite() && per_second > 0.0) {
            return None;
        }
        let interval = Duration::try_from_secs_f64(1.0 / per_second).ok()?;
        Some(OperationRateLimiter {
            interval,
            next: Mutex::new(None),
        })
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Reserves the next free slot; returns how long to wait for it.
    pub fn reserve(&self, now: SystemTime) -> Duration {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let slot = match *next {
            Some(n) if n > now => n,
            _ => now,
        };
        *next = Some(slot + self.interval);
        slot.duration_since(now).unwrap_or(Duration::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        for code in [
            "Throttling",
            "ThrottlingException",
            "ThrottledException",
            "RequestThrottledException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
            "BandwidthLimitExceeded",
            "LimitExceededException",
            "RequestThrottled",
            "SlowDown",
            "PriorRequestNotComplete",
        ] {
            assert_eq!(classify(400, code), Some(Kind::Throttling), "{code}");
        }
        assert_eq!(classify(400, "RequestTimeout"), Some(Kind::Transient));
        assert_eq!(
            classify(408, "RequestTimeoutException"),
            Some(Kind::Transient)
        );
        assert_eq!(classify(400, "MessageRejected"), None);
        // SES's sending quota is `LimitExceeded` (not a throttle): not retried.
        assert_eq!(classify(400, "LimitExceeded"), None);
        assert_eq!(
            classify(403, "SignatureDoesNotMatch"),
            Some(Kind::ClockSkew)
        );
        assert_eq!(classify(400, "RequestTimeTooSkewed"), Some(Kind::ClockSkew));
        assert_eq!(classify(503, "ServiceUnavailable"), Some(Kind::Transient));
        assert_eq!(classify(500, "Whatever"), Some(Kind::Transient));
        for status in [500, 502, 503, 504] {
            assert_eq!(classify_status(status), Some(Kind::Transient));
        }
        for status in [400, 401, 403, 404, 409, 413, 429, 501, 505] {
            assert_eq!(classify_status(status), None, "{status}");
        }
    }

    #[test]
    fn backoff_stays_within_full_jitter_bounds() {
        let base = Duration::from_secs(1);
        let cap = Duration::from_secs(20);
        assert_eq!(backoff_ceiling(1, base, cap), Duration::from_secs(1));
        assert_eq!(backoff_ceiling(2, base, cap), Duration::from_secs(2));
        assert_eq!(backoff_ceiling(5, base, cap), Duration::from_secs(16));
        assert_eq!(backoff_ceiling(6, base, cap), cap);
        assert_eq!(backoff_ceiling(100, base, cap), cap);
        for attempt in 1..10 {
            let ceiling = (base * 2u32.pow(attempt - 1)).min(cap);
            for _ in 0..50 {
                assert!(backoff(attempt, base, cap) <= ceiling);
            }
        }
        // Not always zero: jitter is random.
        assert!((0..50).any(|_| backoff(3, base, cap) > Duration::ZERO));
    }

    #[test]
    fn retry_after_replaces_jitter_up_to_the_cap() {
        let (base, cap) = (Duration::from_secs(1), Duration::from_secs(20));
        assert_eq!(
            parse_retry_after(" 1500 "),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-5"), None);
        let d = retry_delay(1, base, cap, Some(Duration::from_millis(1500)));
        assert_eq!(d, Duration::from_millis(1500));
        assert_eq!(
            retry_delay(1, base, cap, Some(Duration::from_secs(60))),
            cap
        );
        assert!(retry_delay(1, base, cap, None) <= base);
    }

    #[test]
    fn retry_modes_parse() {
        assert_eq!("standard".parse(), Ok(RetryMode::Standard));
        assert_eq!(" Adaptive ".parse(), Ok(RetryMode::Adaptive));
        assert!("legacy".parse::<RetryMode>().is_err());
        assert_eq!(RetryMode::default(), RetryMode::Standard);
    }

    #[test]
    fn quota_runs_out_and_refills() {
        let q = RetryState::new();
        let mut retries = 0;
        while q.acquire(Kind::Transient).is_some() {
            retries += 1;
        }
        assert_eq!(retries, QUOTA / RETRY_COST);
        assert_eq!(q.acquire(Kind::Timeout), None);
        for _ in 0..10 {
            q.success(None);
        }
        assert_eq!(q.acquire(Kind::Timeout), Some(TIMEOUT_RETRY_COST));
        assert_eq!(q.available(), 0);
        // A success after a retry refunds that retry's cost.
        q.success(Some(RETRY_COST));
        assert_eq!(q.available(), RETRY_COST);
        // Never above the quota.
        let full = RetryState::new();
        full.success(Some(TIMEOUT_RETRY_COST));
        assert_eq!(full.available(), QUOTA);
    }

    fn at(secs: f64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs_f64(1_700_000_000.0 + secs)
    }

    #[test]
    fn adaptive_limiter_is_off_until_throttled_then_backs_off_and_recovers() {
        let l = AdaptiveRateLimiter::new(at(0.0));
        // Ten requests a second, all fine: no waiting.
        let mut t = 0.0;
        for _ in 0..50 {
            assert_eq!(l.acquire(at(t)), Duration::ZERO);
            l.update(at(t), false);
            t += 0.1;
        }
        assert!(!l.rate().1);
        // Throttled: the limiter turns on at 70% of the measured rate (about 10/s).
        l.update(at(t), true);
        let (rate, on) = l.rate();
        assert!(on);
        assert!((5.0..=7.5).contains(&rate), "{rate}");
        // Sending faster than the fill rate makes callers wait.
        let waits: Vec<Duration> = (0..20).map(|_| l.acquire(at(t))).collect();
        assert!(
            waits.last().copied().unwrap_or_default() > Duration::from_secs(1),
            "{waits:?}"
        );
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        // More throttling: lower again.
        t += 0.5;
        l.update(at(t), true);
        let (lower, _) = l.rate();
        assert!(lower < rate, "{lower} < {rate}");
        // Successes at a steady pace: the rate climbs back (cubic), past the last maximum.
        let mut rates = Vec::new();
        for _ in 0..100 {
            t += 0.1;
            l.update(at(t), false);
            rates.push(l.rate().0);
        }
        assert!(
            rates.last().copied().unwrap_or_default() > lower,
            "{rates:?}"
        );
    }

    #[test]
    fn adaptive_rate_never_drops_below_the_floor() {
        let l = AdaptiveRateLimiter::new(at(0.0));
        for i in 0..20 {
            l.update(at(i as f64 * 3.0), true);
        }
        let (rate, on) = l.rate();
        assert!(on && rate >= MIN_FILL_RATE, "{rate}");
        // Two tokens at 0.5/s: the second waits up to 2 s (the first may find the bucket full).
        let t = at(100.0);
        let first = l.acquire(t);
        let second = l.acquire(t);
        assert!(
            second > first && second <= Duration::from_secs(2),
            "{first:?} {second:?}"
        );
    }

    #[test]
    fn operation_rate_limit_spaces_attempts() {
        assert!(OperationRateLimiter::new(0.0).is_none());
        assert!(OperationRateLimiter::new(-1.0).is_none());
        assert!(OperationRateLimiter::new(f64::NAN).is_none());
        assert!(OperationRateLimiter::new(f64::INFINITY).is_none());
        let l = OperationRateLimiter::new(2.0).unwrap();
        assert_eq!(l.interval(), Duration::from_millis(500));
        let t = at(0.0);
        assert_eq!(l.reserve(t), Duration::ZERO);
        assert_eq!(l.reserve(t), Duration::from_millis(500));
        assert_eq!(l.reserve(t), Duration::from_millis(1000));
        // After a quiet period, no wait and no burst credit.
        let later = at(10.0);
        assert_eq!(l.reserve(later), Duration::ZERO);
        assert_eq!(l.reserve(later), Duration::from_millis(500));
    }
}
