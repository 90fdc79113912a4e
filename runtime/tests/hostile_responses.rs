//! Hostile responses: what a broken proxy or an attacker in the middle could send, against the
//! send path through a hand-written awsQuery operation (`support/mini.rs`) under the
//! **default configuration** (only retries are turned down where
//! a test would otherwise wait for backoff). Every case must end in a typed error, in bounded
//! time and memory, inside a `tokio::spawn`ed task as applications run calls. The server is
//! the local fake on 127.0.0.1; every test is bounded by a timeout and stops its server.

#[path = "support/fake_server.rs"]
mod fake_ses;
#[path = "support/mini.rs"]
mod mini;

use std::time::Duration;

use fake_ses::{FakeServer, Reply, Sleeps, bounded, error};
use mini::error::{ProvideErrorMetadata, SdkError};
use mini::{Client, Config, ConfigBuilder, Credentials};

fn client(
    server: &FakeServer,
    sleeps: &Sleeps,
    tweak: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Client {
    let builder = Config::builder()
        .region("us-east-1")
        .endpoint_url(&server.url)
        .credentials(Credentials::from_keys(
            "AKIDHOSTILE",
            "hostile-secret",
            None,
        ))
        .sleep_impl(sleeps.sleeper());
    Client::from_conf(tweak(builder).build())
}

fn nested(depth: usize) -> String {
    "<a>".repeat(depth) + &"</a>".repeat(depth)
}

/// `GetSendQuota` in a spawned task, as applications call it.
async fn spawned_get_send_quota(c: &Client) -> SdkError<mini::OpError> {
    let c = c.clone();
    tokio::spawn(async move { c.get_send_quota().send().await })
        .await
        .expect("the task must not panic or abort")
        .expect_err("the call must fail")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_xml_in_a_200_is_a_response_error_not_a_stack_overflow() {
    bounded(async {
        let body = format!(
            "<GetSendQuotaResponse><GetSendQuotaResult>{}</GetSendQuotaResult></GetSendQuotaResponse>",
            nested(50_000)
        );
        let server = FakeServer::start(move |_, _| Reply::new(200, body.clone())).await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = spawned_get_send_quota(&c).await;
        let SdkError::ResponseError(r) = &err else {
            panic!("expected a response error, got {err:?}")
        };
        assert_eq!(r.status, 200);
        let shown = err.to_string();
        assert!(shown.contains("nests deeper than 128 elements"), "{shown}");
        assert!(shown.contains("max_response_depth"), "{shown}");
        assert_eq!(server.count(), 1, "a malformed 200 is not retried");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_xml_in_an_error_body_is_a_response_error() {
    bounded(async {
        let body = format!(
            "<ErrorResponse><Error><Code>X</Code>{}</Error></ErrorResponse>",
            nested(50_000)
        );
        let server = FakeServer::start(move |_, _| Reply::new(400, body.clone())).await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = spawned_get_send_quota(&c).await;
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        assert!(err.to_string().contains("deeper than 128"), "{err}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nesting_limit_is_configurable() {
    bounded(async {
        let body = format!(
            "<GetSendQuotaResponse><GetSendQuotaResult><Max24HourSend>5.0</Max24HourSend>{}</GetSendQuotaResult></GetSendQuotaResponse>",
            nested(20)
        );
        let server = FakeServer::start(move |_, _| Reply::new(200, body.clone())).await;
        let sleeps = Sleeps::new();
        let strict = client(&server, &sleeps, |b| b.max_response_depth(10));
        let err = strict.get_send_quota().send().await.unwrap_err();
        assert!(err.to_string().contains("deeper than 10"), "{err}");
        let default = client(&server, &sleeps, |b| b);
        let out = default.get_send_quota().send().await.unwrap();
        assert_eq!(out.max24_hour_send, Some(5.0));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_oversized_body_is_refused_before_reading_it() {
    bounded(async {
        // Declares 500 MB, sends a few bytes: the client must not wait for (or buffer) the rest.
        let server = FakeServer::start(|_, _| Reply::Truncated {
            status: 200,
            declared: 500_000_000,
            body: b"<GetSendQuotaResponse>".to_vec(),
        })
        .await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = spawned_get_send_quota(&c).await;
        let shown = err.to_string();
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        assert!(
            shown.contains("500000000 bytes by its Content-Length"),
            "{shown}"
        );
        assert!(shown.contains("limit of 33554432 bytes"), "{shown}");
        assert!(shown.contains("max_response_size"), "{shown}");
        assert_eq!(server.count(), 1, "not retried");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_chunked_body_stops_at_the_limit() {
    bounded(async {
        let server = FakeServer::start(|_, _| Reply::Chunked {
            status: 200,
            chunk: "<a/>".repeat(16 * 1024).into_bytes(),
            count: None,
            pause: Duration::ZERO,
        })
        .await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = spawned_get_send_quota(&c).await;
        let shown = err.to_string();
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        assert!(
            shown.contains("larger than the limit of 33554432 bytes"),
            "{shown}"
        );
        assert!(shown.contains("reading stopped there"), "{shown}");
        assert_eq!(server.count(), 1, "not retried");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_size_limit_is_configurable() {
    bounded(async {
        let server = FakeServer::start(|_, i| fake_ses::send_quota_ok(&format!("r{i}"))).await;
        let sleeps = Sleeps::new();
        let small = client(&server, &sleeps, |b| b.max_response_size(64));
        let err = small.get_send_quota().send().await.unwrap_err();
        assert!(err.to_string().contains("limit of 64 bytes"), "{err}");
        let default = client(&server, &sleeps, |b| b);
        default.get_send_quota().send().await.unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickling_body_ends_in_a_timeout() {
    bounded(async {
        // One byte every 200 ms: each read comes well within the 60 s read timeout, so only
        // the stalled-stream guard (default: 1 KiB/s over 5 s windows) can end it.
        let server = FakeServer::start(|_, i| {
            let Reply::Respond { body, .. } = fake_ses::send_quota_ok(&format!("r{i}")) else {
                unreachable!()
            };
            Reply::Trickle {
                status: 200,
                body,
                every: Duration::from_millis(200),
            }
        })
        .await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b.max_attempts(1));
        let started = std::time::Instant::now();
        let err = spawned_get_send_quota(&c).await;
        let SdkError::TimeoutError(t) = &err else {
            panic!("expected a timeout, got {err:?}")
        };
        assert!(t.what.contains("stalled_stream_protection"), "{err}");
        assert!(t.after >= Duration::from_secs(5), "{t:?}");
        // Bounded by one window plus slack, not by the body's 60 s.
        assert!(started.elapsed() < Duration::from_secs(30));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stall_guard_is_configurable_and_can_be_switched_off() {
    bounded(async {
        let body = b"<GetSendQuotaResponse><GetSendQuotaResult/></GetSendQuotaResponse>".to_vec();
        let server = FakeServer::start(move |_, _| Reply::Trickle {
            status: 200,
            body: body.clone(),
            every: Duration::from_millis(5),
        })
        .await;
        let sleeps = Sleeps::new();
        // ~67 bytes at 200 B/s: below a 10 KiB/s minimum over 100 ms windows...
        let strict = client(&server, &sleeps, |b| {
            b.max_attempts(1).stalled_stream_protection(
                mini::StalledStreamProtection::enabled()
                    .min_bytes_per_sec(10 * 1024)
                    .grace_period(Duration::from_millis(100)),
            )
        });
        let err = strict.get_send_quota().send().await.unwrap_err();
        assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
        // ...and fine with the guard off.
        let off = client(&server, &sleeps, |b| {
            b.stalled_stream_protection(mini::StalledStreamProtection::disabled())
        });
        off.get_send_quota().send().await.unwrap();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_document_in_a_200_is_the_service_error() {
    bounded(async {
        let server = FakeServer::start(|_, _| {
            let Reply::Respond { body, .. } = error(400, "AccessDenied", "not allowed", "rid-200")
            else {
                unreachable!()
            };
            Reply::new(200, body)
        })
        .await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = spawned_get_send_quota(&c).await;
        let SdkError::ServiceError(ctx) = &err else {
            panic!("expected the service error, got {err:?}")
        };
        let e = ctx.err();
        assert_eq!(e.code(), Some("AccessDenied"));
        assert_eq!(e.message(), Some("not allowed"));
        assert_eq!(e.meta().request_id(), Some("rid-200"));
        assert_eq!(e.meta().status(), 200);
        assert_eq!(server.count(), 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_names_its_status_and_location() {
    bounded(async {
        let server = FakeServer::start(|_, _| {
            Reply::new(302, "").header("Location", "http://elsewhere.invalid/login")
        })
        .await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = spawned_get_send_quota(&c).await;
        let shown = err.to_string();
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        assert!(shown.contains("HTTP 302"), "{shown}");
        assert!(
            shown.contains("redirected to `http://elsewhere.invalid/login`"),
            "{shown}"
        );
        assert_eq!(server.count(), 1, "not followed, not retried");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entity_expansion_and_external_entities_are_not_followed() {
    bounded(async {
        let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<GetSendQuotaResponse><GetSendQuotaResult><Max24HourSend>&lol2;</Max24HourSend></GetSendQuotaResult></GetSendQuotaResponse>"#;
        let server = FakeServer::start(move |_, _| Reply::new(200, laughs)).await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = spawned_get_send_quota(&c).await;
        assert!(err.to_string().contains("unknown entity `&lol2;`"), "{err}");
    })
    .await;
}
