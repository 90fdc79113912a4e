//! Fault injection: the send path (`client.rs`), through a hand-written awsQuery operation
//! (`support/mini.rs`, shaped like SES's `GetSendQuota`), against a local HTTP/1.1 server (127.0.0.1 only)
//! that resets connections, answers 5xx, throttles, sends garbage, truncated or HTML bodies,
//! stalls, and sends a skewed `Date`. Each scenario checks the number of attempts, the backoff
//! the client asked for (through an injected sleep that records and returns at once), and the
//! final error's kind, code, message and request id. Every test is bounded by a timeout.

#[path = "support/fake_server.rs"]
mod fake_ses;
#[path = "support/mini.rs"]
mod mini;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use aws_client_runtime::retry::backoff_ceiling;
use fake_ses::{
    FakeServer, Reply, Request, Sleeps, VirtualClock, bounded, error, http_date, send_quota_ok,
    throttling, verification_ok,
};
use mini::error::{ProvideErrorMetadata, SdkError};
use mini::{Client, Config, ConfigBuilder, Credentials, RequestId, RetryMode};

const ACCESS_KEY: &str = "AKIDFAULTINJECTION";
const SECRET: &str = "fault-injection-secret-key";
const BASE: Duration = Duration::from_secs(1);
const CAP: Duration = Duration::from_secs(20);

fn client(
    server: &FakeServer,
    sleeps: &Sleeps,
    tweak: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Client {
    client_at(&server.url, sleeps, tweak)
}

fn client_at(
    url: &str,
    sleeps: &Sleeps,
    tweak: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Client {
    let builder = Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(Credentials::from_keys(ACCESS_KEY, SECRET, None))
        .sleep_impl(sleeps.sleeper());
    Client::from_conf(tweak(builder).build())
}

/// Each recorded backoff is within full jitter's bound for its retry.
fn assert_backoff(sleeps: &[Duration], expected_retries: usize) {
    assert_eq!(sleeps.len(), expected_retries, "sleeps: {sleeps:?}");
    for (i, d) in sleeps.iter().enumerate() {
        let ceiling = backoff_ceiling(i as u32 + 1, BASE, CAP);
        assert!(
            *d <= ceiling,
            "backoff {} was {d:?}, above {ceiling:?}",
            i + 1
        );
    }
}

fn req_id(i: usize) -> String {
    format!("req-{i}")
}

// ---------------------------------------------------------------------------------------------
// Connection faults

#[tokio::test]
async fn connection_reset_every_attempt() {
    bounded(async {
        let server = FakeServer::start(|_, _| Reply::Reset).await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 3);
        assert_backoff(&sleeps.recorded(), 2);
        let SdkError::DispatchFailure(d) = &err else {
            panic!("expected a dispatch error, got {err:?}")
        };
        assert!(!d.message.is_empty());
        assert_eq!(
            (err.code(), err.request_id(), err.status()),
            (None, None, None)
        );
    })
    .await;
}

#[tokio::test]
async fn connection_reset_then_success() {
    bounded(async {
        let server = FakeServer::start(|_, i| {
            if i == 0 {
                Reply::Reset
            } else {
                send_quota_ok(&req_id(i))
            }
        })
        .await;
        let sleeps = Sleeps::new();
        let out = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap();
        assert_eq!(out.max_send_rate, Some(1.0));
        assert_eq!(out.request_id(), Some("req-1"));
        assert_eq!(server.count(), 2);
        assert_backoff(&sleeps.recorded(), 1);
    })
    .await;
}

#[tokio::test]
async fn connection_refused() {
    bounded(async {
        // A port nothing listens on.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let sleeps = Sleeps::new();
        let err = client_at(&url, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
        assert_backoff(&sleeps.recorded(), 2);
    })
    .await;
}

#[tokio::test]
async fn truncated_body_connection_closed_early() {
    bounded(async {
        let server = FakeServer::start(|_, _| Reply::Truncated {
            status: 200,
            declared: 500,
            body: b"<GetSendQuotaResponse><GetSendQuotaResult><Max24".to_vec(),
        })
        .await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        // The body broke off: a transport failure, retried.
        assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
        assert_eq!(server.count(), 3);
        assert_backoff(&sleeps.recorded(), 2);
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// 5xx

#[tokio::test]
async fn service_unavailable_503_every_attempt() {
    bounded(async {
        let server = FakeServer::start(|_, i| {
            error(
                503,
                "ServiceUnavailable",
                "Service is unavailable. Please try again later.",
                &req_id(i),
            )
        })
        .await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 3);
        assert_backoff(&sleeps.recorded(), 2);
        assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
        assert_eq!(err.code(), Some("ServiceUnavailable"));
        assert_eq!(
            err.message(),
            Some("Service is unavailable. Please try again later.")
        );
        assert_eq!(
            err.request_id(),
            Some("req-2"),
            "the last attempt's request id"
        );
        assert_eq!(err.status(), Some(503));
    })
    .await;
}

#[tokio::test]
async fn internal_error_500_then_success() {
    bounded(async {
        let server = FakeServer::start(|_, i| {
            if i < 2 {
                error(500, "InternalFailure", "internal", &req_id(i))
            } else {
                send_quota_ok(&req_id(i))
            }
        })
        .await;
        let sleeps = Sleeps::new();
        let out = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap();
        assert_eq!(out.request_id(), Some("req-2"));
        assert_eq!(server.count(), 3);
        assert_backoff(&sleeps.recorded(), 2);
    })
    .await;
}

#[tokio::test]
async fn bad_gateway_502_html_then_success() {
    bounded(async {
        let server = FakeServer::start(|_, i| {
            if i == 0 {
                Reply::new(502, "<html><body><h1>502 Bad Gateway</h1></body></html>")
            } else {
                send_quota_ok(&req_id(i))
            }
        })
        .await;
        let sleeps = Sleeps::new();
        client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap();
        assert_eq!(server.count(), 2);
        assert_backoff(&sleeps.recorded(), 1);
    })
    .await;
}

#[tokio::test]
async fn gateway_timeout_504_html_every_attempt() {
    bounded(async {
        let server = FakeServer::start(|_, i| {
            Reply::new(504, "<html><body>Gateway Timeout</body></html>").request_id(&req_id(i))
        })
        .await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 3);
        assert_backoff(&sleeps.recorded(), 2);
        let SdkError::ResponseError(r) = &err else {
            panic!("expected a response error, got {err:?}")
        };
        assert_eq!(r.status, 504);
        assert!(r.body_excerpt.contains("Gateway Timeout"));
        assert_eq!(err.request_id(), Some("req-2"));
        assert_eq!(err.code(), None);
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Throttling

#[tokio::test]
async fn throttling_twice_then_success() {
    bounded(async {
        let server = FakeServer::start(|_, i| {
            if i < 2 {
                throttling(&req_id(i))
            } else {
                send_quota_ok(&req_id(i))
            }
        })
        .await;
        let sleeps = Sleeps::new();
        let out = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap();
        assert_eq!(out.request_id(), Some("req-2"));
        assert_eq!(server.count(), 3);
        assert_backoff(&sleeps.recorded(), 2);
    })
    .await;
}

#[tokio::test]
async fn throttling_exhausts_attempts() {
    bounded(async {
        let server = FakeServer::start(|_, i| throttling(&req_id(i))).await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b.max_attempts(4));
        let err = c.get_send_quota().send().await.unwrap_err();
        assert_eq!(server.count(), 4);
        assert_backoff(&sleeps.recorded(), 3);
        assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
        assert_eq!(err.code(), Some("Throttling"));
        assert_eq!(err.message(), Some("Maximum sending rate exceeded."));
        assert_eq!(err.request_id(), Some("req-3"));
        assert_eq!(err.status(), Some(400));
        let meta = err.as_service_error().unwrap().meta();
        assert_eq!(meta.error_type(), Some("Sender"));
    })
    .await;
}

#[tokio::test]
async fn retry_after_header_is_honoured_and_capped() {
    bounded(async {
        let server = FakeServer::start(|_, i| match i {
            0 => throttling(&req_id(i)).header("x-amz-retry-after", "1500"),
            1 => error(503, "ServiceUnavailable", "busy", &req_id(i))
                .header("x-amz-retry-after", "600000"),
            _ => send_quota_ok(&req_id(i)),
        })
        .await;
        let sleeps = Sleeps::new();
        client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap();
        assert_eq!(sleeps.recorded(), [Duration::from_millis(1500), CAP]);
    })
    .await;
}

#[tokio::test]
async fn configured_backoff_bounds() {
    bounded(async {
        let server = FakeServer::start(|_, i| throttling(&req_id(i))).await;
        let sleeps = Sleeps::new();
        let (base, cap) = (Duration::from_millis(100), Duration::from_millis(300));
        let c = client(&server, &sleeps, |b| {
            b.max_attempts(6).initial_backoff(base).max_backoff(cap)
        });
        c.get_send_quota().send().await.unwrap_err();
        let rec = sleeps.recorded();
        assert_eq!(rec.len(), 5);
        for (i, d) in rec.iter().enumerate() {
            assert!(*d <= backoff_ceiling(i as u32 + 1, base, cap), "{rec:?}");
            assert!(*d <= cap);
        }
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Not retried

#[tokio::test]
async fn client_errors_are_not_retried() {
    bounded(async {
        for (status, code) in [
            (400, "MessageRejected"),
            (400, "LimitExceeded"),
            (403, "AccessDenied"),
            (404, "NotFound"),
            (429, "TooManyCooks"),
        ] {
            let server = FakeServer::start(move |_, i| error(status, code, "no", &req_id(i))).await;
            let sleeps = Sleeps::new();
            let err = client(&server, &sleeps, |b| b)
                .get_send_quota()
                .send()
                .await
                .unwrap_err();
            assert_eq!(server.count(), 1, "{code}");
            assert!(sleeps.recorded().is_empty());
            assert_eq!(err.code(), Some(code));
            assert_eq!(err.request_id(), Some("req-0"));
            assert_eq!(err.status(), Some(status));
        }
    })
    .await;
}

#[tokio::test]
async fn garbage_body_on_200() {
    bounded(async {
        let server =
            FakeServer::start(|_, i| Reply::new(200, "\u{1}garbage<<<&&&").request_id(&req_id(i)))
                .await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 1);
        assert!(sleeps.recorded().is_empty());
        let SdkError::ResponseError(r) = &err else {
            panic!("expected a response error, got {err:?}")
        };
        assert_eq!(r.status, 200);
        assert!(r.body_excerpt.contains("garbage"));
        assert_eq!(err.request_id(), Some("req-0"));
    })
    .await;
}

#[tokio::test]
async fn truncated_xml_on_200() {
    bounded(async {
        let server = FakeServer::start(|_, i| {
            Reply::new(
                200,
                "<GetSendQuotaResponse><GetSendQuotaResult><Max24HourSend>20",
            )
            .request_id(&req_id(i))
        })
        .await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 1);
        let SdkError::ResponseError(r) = &err else {
            panic!("expected a response error, got {err:?}")
        };
        assert_eq!((r.status, r.request_id.as_deref()), (200, Some("req-0")));
        assert!(r.body_excerpt.starts_with("<GetSendQuotaResponse>"));
    })
    .await;
}

#[tokio::test]
async fn html_body_on_200() {
    bounded(async {
        let server = FakeServer::start(|_, _| {
            Reply::new(
                200,
                "<html><head><title>Captive portal</title></head><body>Log in</body></html>",
            )
        })
        .await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 1);
        let SdkError::ResponseError(r) = &err else {
            panic!("expected a response error, got {err:?}")
        };
        assert_eq!(r.problem, "expected <GetSendQuotaResponse>, found <html>");
        assert_eq!(err.request_id(), None);
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Timeouts

#[tokio::test]
async fn stall_past_the_attempt_timeout() {
    bounded(async {
        let server = FakeServer::start(|_, _| Reply::Stall).await;
        let sleeps = Sleeps::new();
        let limit = Duration::from_millis(200);
        let err = client(&server, &sleeps, |b| b.attempt_timeout(limit))
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        let SdkError::TimeoutError(t) = &err else {
            panic!("expected a timeout, got {err:?}")
        };
        assert_eq!((t.what, t.after), ("attempt", limit));
        assert_eq!(server.count(), 3);
        assert_backoff(&sleeps.recorded(), 2);
    })
    .await;
}

#[tokio::test]
async fn stall_past_the_read_timeout() {
    bounded(async {
        let server = FakeServer::start(|_, i| {
            if i == 0 {
                Reply::Stall
            } else {
                send_quota_ok(&req_id(i))
            }
        })
        .await;
        let sleeps = Sleeps::new();
        let limit = Duration::from_millis(200);
        let out = client(&server, &sleeps, |b| b.read_timeout(Some(limit)))
            .get_send_quota()
            .send()
            .await
            .unwrap();
        assert_eq!(out.request_id(), Some("req-1"));
        assert_eq!(server.count(), 2);

        let server = FakeServer::start(|_, _| Reply::Stall).await;
        let err = client(&server, &sleeps, |b| {
            b.read_timeout(Some(limit)).max_attempts(1)
        })
        .get_send_quota()
        .send()
        .await
        .unwrap_err();
        let SdkError::TimeoutError(t) = &err else {
            panic!("expected a timeout, got {err:?}")
        };
        assert_eq!((t.what, t.after), ("read", limit));
        assert_eq!(server.count(), 1);
    })
    .await;
}

#[tokio::test]
async fn stall_past_the_operation_timeout() {
    bounded(async {
        let server = FakeServer::start(|_, _| Reply::Stall).await;
        let sleeps = Sleeps::new();
        let limit = Duration::from_millis(300);
        let started = std::time::Instant::now();
        let err = client(&server, &sleeps, |b| b.operation_timeout(limit))
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        let SdkError::TimeoutError(t) = &err else {
            panic!("expected a timeout, got {err:?}")
        };
        assert_eq!((t.what, t.after), ("operation", limit));
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(server.count(), 1);
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Clock skew

/// A server whose clock is `skew` ahead; it rejects signatures more than 5 minutes off its clock
/// with `code` and sends its time in `Date`.
async fn skewed_server(skew: Duration, status: u16, code: &'static str) -> FakeServer {
    FakeServer::start(move |r: &Request, i| {
        let server_now = SystemTime::now() + skew;
        let signed = r.amz_date().unwrap_or(SystemTime::UNIX_EPOCH);
        let off = server_now
            .duration_since(signed)
            .unwrap_or_else(|e| e.duration());
        let reply = if off > Duration::from_secs(300) {
            error(
                status,
                code,
                "Signature expired: is now earlier than the server time",
                &req_id(i),
            )
        } else {
            send_quota_ok(&req_id(i))
        };
        reply.header("Date", http_date(server_now))
    })
    .await
}

#[tokio::test]
async fn skewed_date_corrects_the_signing_clock_and_retries_once() {
    bounded(async {
        let skew = Duration::from_secs(3600);
        let server = skewed_server(skew, 403, "SignatureDoesNotMatch").await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let out = c.get_send_quota().send().await.unwrap();
        assert_eq!(out.request_id(), Some("req-1"));
        let reqs = server.requests();
        assert_eq!(reqs.len(), 2);
        assert!(
            sleeps.recorded().is_empty(),
            "a clock correction needs no backoff"
        );
        let first = reqs[0].amz_date().unwrap();
        let second = reqs[1].amz_date().unwrap();
        let moved = second.duration_since(first).unwrap();
        assert!(
            moved > Duration::from_secs(3500) && moved < Duration::from_secs(3700),
            "{moved:?}"
        );
        // The offset is kept: the next call needs one attempt.
        c.get_send_quota().send().await.unwrap();
        assert_eq!(server.count(), 3);
    })
    .await;
}

#[tokio::test]
async fn skewed_date_request_time_too_skewed_behind() {
    bounded(async {
        // The local clock is ahead of the service's (the server is behind).
        let server = FakeServer::start(|r: &Request, i| {
            let server_now = SystemTime::now() - Duration::from_secs(900);
            let signed = r.amz_date().unwrap_or(SystemTime::UNIX_EPOCH);
            let off = signed
                .duration_since(server_now)
                .unwrap_or_else(|e| e.duration());
            let reply = if off > Duration::from_secs(300) {
                error(
                    400,
                    "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.",
                    &req_id(i),
                )
            } else {
                send_quota_ok(&req_id(i))
            };
            reply.header("Date", http_date(server_now))
        })
        .await;
        let sleeps = Sleeps::new();
        client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap();
        assert_eq!(server.count(), 2);
    })
    .await;
}

#[tokio::test]
async fn signature_error_without_skew_is_not_retried() {
    bounded(async {
        // Date agrees with the local clock: a real signature problem, returned at once.
        let server = FakeServer::start(|_, i| {
            error(
                403,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
                &req_id(i),
            )
        })
        .await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 1);
        assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
        assert_eq!(err.request_id(), Some("req-0"));
    })
    .await;
}

#[tokio::test]
async fn persistent_skew_error_is_retried_only_once() {
    bounded(async {
        // The server always rejects and always claims a skewed time.
        let server = FakeServer::start(|_, i| {
            error(
                403,
                "InvalidSignatureException",
                "Signature expired",
                &req_id(i),
            )
            .header(
                "Date",
                http_date(SystemTime::now() + Duration::from_secs(86_400 * (i as u64 + 1))),
            )
        })
        .await;
        let sleeps = Sleeps::new();
        let err = client(&server, &sleeps, |b| b.max_attempts(5))
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 2);
        assert_eq!(err.code(), Some("InvalidSignatureException"));
        assert_eq!(err.request_id(), Some("req-1"));
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Retry quota, adaptive mode, rate limits

#[tokio::test]
async fn retry_quota_runs_out() {
    bounded(async {
        let server =
            FakeServer::start(|_, i| error(503, "ServiceUnavailable", "down", &req_id(i))).await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b.max_attempts(1000));
        let err = c.get_send_quota().send().await.unwrap_err();
        // 500 tokens, 5 per retry: 100 retries, then the failure is returned.
        assert_eq!(server.count(), 101);
        assert_eq!(err.code(), Some("ServiceUnavailable"));
        // The bucket is empty: the next call gets no retry at all.
        c.get_send_quota().send().await.unwrap_err();
        assert_eq!(server.count(), 102);
    })
    .await;
}

#[tokio::test]
async fn operation_rate_limit_spaces_calls() {
    bounded(async {
        let server = FakeServer::start(|r: &Request, i| match r.action() {
            Some("GetSendQuota") => send_quota_ok(&req_id(i)),
            _ => verification_ok(&req_id(i)),
        })
        .await;
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let c = client(&server, &sleeps, |b| {
            b.operation_rate_limit("GetSendQuota", 2.0)
                .time_source(clock.source())
        });
        for _ in 0..4 {
            c.get_send_quota().send().await.unwrap();
        }
        // Other operations are not limited.
        for _ in 0..3 {
            c.get_identity_verification_attributes()
                .identities("a@example.com")
                .send()
                .await
                .unwrap();
        }
        assert_eq!(sleeps.recorded(), [Duration::from_millis(500); 3]);

        // Concurrent calls are spaced too (reservations stack up on a clock that stands still).
        let still = VirtualClock::new();
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| {
            b.operation_rate_limit("GetSendQuota", 1.0)
                .time_source(still.source())
        });
        let calls: Vec<_> = (0..4).map(|_| c.get_send_quota().send()).collect();
        for r in futures_join_all(calls).await {
            r.unwrap();
        }
        let mut rec = sleeps.recorded();
        rec.sort();
        assert_eq!(rec, [1, 2, 3].map(Duration::from_secs));
    })
    .await;
}

#[tokio::test]
async fn adaptive_mode_backs_off_on_throttling() {
    bounded(async {
        // Throttles the first 3 requests, then answers.
        let server = FakeServer::start(|_, i| {
            if i < 3 {
                throttling(&req_id(i))
            } else {
                send_quota_ok(&req_id(i))
            }
        })
        .await;
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let c = client(&server, &sleeps, |b| {
            b.retry_mode(RetryMode::Adaptive)
                .max_attempts(5)
                .time_source(clock.source())
        });
        c.get_send_quota().send().await.unwrap();
        assert_eq!(server.count(), 4);
        // Once throttled, the limiter makes sends wait for tokens on top of the 3 backoffs: the
        // follow-up calls, sent back to back, each wait (the fill rate is near its 0.5/s floor,
        // so no wait is longer than 2 s, and backoff never exceeds 4 s here).
        for _ in 0..3 {
            c.get_send_quota().send().await.unwrap();
        }
        let rec = sleeps.recorded();
        assert!(
            rec.len() >= 3 + 3,
            "adaptive mode did not wait for tokens: {rec:?}"
        );
        assert!(rec.iter().all(|d| *d <= Duration::from_secs(4)), "{rec:?}");
        assert_eq!(server.count(), 7);

        // Standard mode with the same server does not rate-limit.
        let server = FakeServer::start(|_, i| {
            if i < 3 {
                throttling(&req_id(i))
            } else {
                send_quota_ok(&req_id(i))
            }
        })
        .await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b.max_attempts(5));
        c.get_send_quota().send().await.unwrap();
        for _ in 0..3 {
            c.get_send_quota().send().await.unwrap();
        }
        assert_backoff(&sleeps.recorded(), 3);
    })
    .await;
}

/// Joins futures without a dependency on `futures`.
async fn futures_join_all<F>(futures: Vec<F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task panicked"));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Concurrency

/// The call number in an identity `call-N@example.com` of the body.
fn call_number(r: &Request) -> Option<usize> {
    let start = r.body.find("call-")? + 5;
    let digits: String = r.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_calls_half_throttled() {
    bounded(async {
        // Even-numbered calls are always throttled; odd ones succeed.
        let server = FakeServer::start(|r: &Request, i| match call_number(r) {
            Some(n) if n.is_multiple_of(2) => throttling(&req_id(i)),
            Some(_) => verification_ok(&req_id(i)),
            None => error(400, "InvalidParameterValue", "no call number", &req_id(i)),
        })
        .await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b.max_attempts(3));
        let calls: Vec<_> = (0..100usize)
            .map(|n| {
                let c = c.clone();
                async move {
                    (
                        n,
                        c.get_identity_verification_attributes()
                            .identities(format!("call-{n}@example.com"))
                            .send()
                            .await,
                    )
                }
            })
            .collect();
        let results = futures_join_all(calls).await;
        let mut per_call: HashMap<usize, usize> = HashMap::new();
        for r in server.requests() {
            *per_call.entry(call_number(&r).unwrap()).or_default() += 1;
        }
        for (n, result) in results {
            if !n.is_multiple_of(2) {
                let out = result.unwrap_or_else(|e| panic!("call {n}: {e:?}"));
                assert!(out.request_id().is_some());
                assert_eq!(per_call[&n], 1, "call {n}");
            } else {
                let err = result.expect_err("throttled call succeeded");
                assert_eq!(err.code(), Some("Throttling"), "call {n}: {err:?}");
                assert_eq!(err.message(), Some("Maximum sending rate exceeded."));
                assert_eq!(per_call[&n], 3, "call {n} attempts");
            }
        }
        assert_eq!(server.count(), 50 + 50 * 3);
        assert_eq!(sleeps.recorded().len(), 100);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hundred_concurrent_calls_every_other_request_throttled_adaptive() {
    bounded(async {
        let n = Arc::new(AtomicUsize::new(0));
        let counter = n.clone();
        let server = FakeServer::start(move |_, i| {
            if counter.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
                throttling(&req_id(i))
            } else {
                verification_ok(&req_id(i))
            }
        })
        .await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| {
            b.retry_mode(RetryMode::Adaptive).max_attempts(3)
        });
        let calls: Vec<_> = (0..100)
            .map(|k| {
                let c = c.clone();
                async move {
                    c.get_identity_verification_attributes()
                        .identities(format!("call-{k}@example.com"))
                        .send()
                        .await
                }
            })
            .collect();
        let results = futures_join_all(calls).await;
        let mut per_call: HashMap<usize, usize> = HashMap::new();
        for r in server.requests() {
            *per_call.entry(call_number(&r).unwrap()).or_default() += 1;
        }
        let (mut ok, mut throttled) = (0, 0);
        for (k, result) in results.into_iter().enumerate() {
            match result {
                Ok(_) => ok += 1,
                Err(e) => {
                    assert_eq!(e.code(), Some("Throttling"), "call {k}: {e:?}");
                    assert_eq!(per_call[&k], 3, "call {k} gave up early");
                    throttled += 1;
                }
            }
            assert!((1..=3).contains(&per_call[&k]));
        }
        assert_eq!(ok + throttled, 100);
        assert!(ok >= 50, "{ok} succeeded");
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Observability (the tracing spans are checked in `faults_tracing.rs`, a binary of its own so no
// other test's thread races its thread-local subscriber)

#[test]
fn debug_of_config_and_credentials_is_redacted() {
    let conf = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::from_keys(
            ACCESS_KEY,
            SECRET,
            Some("session-token-value".into()),
        ))
        .build();
    let shown = format!("{conf:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains("session-token-value"),
        "{shown}"
    );
    let creds = format!(
        "{:?}",
        Credentials::from_keys(ACCESS_KEY, SECRET, Some("session-token-value".into()))
    );
    assert!(
        !creds.contains(SECRET) && !creds.contains("session-token-value"),
        "{creds}"
    );
    let client = Client::from_conf(conf);
    assert!(!format!("{client:?}").contains(SECRET));
}

#[tokio::test]
async fn no_region_is_the_same_clear_error_with_or_without_an_endpoint_and_sends_nothing() {
    bounded(async {
        let server = FakeServer::start(|_, i| send_quota_ok(&req_id(i))).await;
        for endpoint in [None, Some(server.url.clone())] {
            let mut b =
                Config::builder().credentials(Credentials::from_keys(ACCESS_KEY, SECRET, None));
            if let Some(url) = &endpoint {
                b = b.endpoint_url(url);
            }
            let err = Client::from_conf(b.build())
                .get_send_quota()
                .send()
                .await
                .unwrap_err();
            assert!(
                matches!(
                    &err,
                    SdkError::ConstructionFailure(c)
                        if c.config_error() == Some(&mini::error::ConfigError::NoRegion)
                ),
                "{err:?}"
            );
            let shown = err.to_string();
            assert!(shown.contains("no region: set AWS_REGION"), "{shown}");
            assert!(shown.contains("Config::builder().region(..)"), "{shown}");
        }
        assert_eq!(server.count(), 0, "nothing was sent");
    })
    .await;
}

#[tokio::test]
async fn no_credentials_error_lists_every_source() {
    bounded(async {
        let server = FakeServer::start(|_, i| send_quota_ok(&req_id(i))).await;
        let dir =
            std::env::temp_dir().join(format!("ses-client-faults-nocreds-{}", std::process::id()));
        let conf =
            Config::from_env_with(mini::Env::from_vars([("HOME", dir.display().to_string())]))
                .unwrap()
                .to_builder()
                .region("us-east-1")
                .endpoint_url(&server.url)
                .build();
        let err = Client::from_conf(conf)
            .get_send_quota()
            .send()
            .await
            .unwrap_err();
        assert_eq!(server.count(), 0, "nothing is sent without credentials");
        let text = err.to_string();
        for source in [
            "environment (",
            "shared config files (",
            "credential_process (",
        ] {
            assert!(text.contains(source), "{text}");
        }
        assert!(text.contains(&dir.display().to_string()), "{text}");
    })
    .await;
}

/// The fake server's request helpers.
#[test]
fn helpers_are_consistent() {
    let r = Request {
        method: "POST".into(),
        path: "/".into(),
        headers: vec![("X-Amz-Date".into(), "20240102T030405Z".into())],
        body: "Action=GetSendQuota&Version=2010-12-01".into(),
        received_at: SystemTime::now(),
    };
    assert_eq!(r.action(), Some("GetSendQuota"));
    let t = r.amz_date().unwrap();
    assert_eq!(
        t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs(),
        1_704_164_645
    );
}
