//! Retry policy: which failures are retried, how long to back off, and a retry quota so a
//! failing service is not hammered (standard mode, as in AWS's SDKs).

use std::sync::Mutex;
use std::time::Duration;

/// Why an attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A connection problem or a 5xx answer.
    Transient,
    /// The service said to slow down.
    Throttling,
    /// No answer in time.
    Timeout,
}

/// Error codes AWS services use for throttling.
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

/// Error codes for transient service-side failures.
pub const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
];

/// Retry classification of an HTTP status alone.
pub fn classify_status(status: u16) -> Option<Kind> {
    match status {
        500 | 502 | 503 | 504 => Some(Kind::Transient),
        429 => Some(Kind::Throttling),
        _ => None,
    }
}

/// Retry classification of a service error.
pub fn classify(status: u16, code: &str) -> Option<Kind> {
    if THROTTLING_CODES.contains(&code) {
        Some(Kind::Throttling)
    } else if TRANSIENT_CODES.contains(&code) {
        Some(Kind::Transient)
    } else {
        classify_status(status)
    }
}

/// Full-jitter exponential backoff before retry number `attempt` (1 = after the first attempt):
/// a random duration in `[0, min(cap, base * 2^(attempt-1))]`.
pub fn backoff(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(30));
    let ceiling = exp.min(cap);
    ceiling.mul_f64(random_unit())
}

/// A random number in `[0, 1)` from std's randomly seeded hasher (no extra dependency; jitter
/// does not need cryptographic randomness).
fn random_unit() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The retry quota: retries spend tokens (5, or 10 after a timeout); successes refund one. When
/// the bucket is empty, failures are returned without retrying.
#[derive(Debug)]
pub struct RetryState {
    tokens: Mutex<u32>,
}

pub const QUOTA: u32 = 500;
pub const RETRY_COST: u32 = 5;
pub const TIMEOUT_RETRY_COST: u32 = 10;

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

    /// Takes the tokens for one retry, if there are enough.
    pub fn acquire(&self, kind: Kind) -> bool {
        let cost = if kind == Kind::Timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut t = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if *t >= cost {
            *t -= cost;
            true
        } else {
            false
        }
    }

    /// Refunds one token after a success.
    pub fn success(&self) {
        let mut t = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        *t = (*t + 1).min(QUOTA);
    }

    pub fn available(&self) -> u32 {
        *self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(classify(400, "Throttling"), Some(Kind::Throttling));
        assert_eq!(classify(400, "MessageRejected"), None);
        assert_eq!(classify(403, "SignatureDoesNotMatch"), None);
        assert_eq!(classify(503, "ServiceUnavailable"), Some(Kind::Transient));
        assert_eq!(classify(500, "Whatever"), Some(Kind::Transient));
        assert_eq!(classify_status(404), None);
    }

    #[test]
    fn backoff_stays_within_full_jitter_bounds() {
        let base = Duration::from_secs(1);
        let cap = Duration::from_secs(20);
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
    fn quota_runs_out_and_refills() {
        let q = RetryState::new();
        let mut retries = 0;
        while q.acquire(Kind::Transient) {
            retries += 1;
        }
        assert_eq!(retries, QUOTA / RETRY_COST);
        assert!(!q.acquire(Kind::Timeout));
        for _ in 0..10 {
            q.success();
        }
        assert!(q.acquire(Kind::Timeout));
        assert_eq!(q.available(), 0);
    }
}
