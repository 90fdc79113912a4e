//! The `tracing` spans of a call that needed a retry, against the fault-injection server: one
//! `operation` span (service, operation, attempts, outcome, latency) and one `attempt` span per
//! attempt (attempt number, HTTP status, request id, latency), with no credentials or bodies in
//! any span or event. A test binary of its own: a thread-local subscriber is only reliable when no
//! other test's thread registers the same callsites at the same time.

#[path = "support/fake_server.rs"]
mod fake_ses;
#[path = "support/mini.rs"]
mod mini;

use std::sync::Arc;
use std::time::Duration;

use fake_ses::{FakeServer, Sleeps, error, send_quota_ok};
use mini::{Client, Config, Credentials};

const ACCESS_KEY: &str = "AKIDFAULTINJECTION";
const SECRET: &str = "fault-injection-secret-key";

mod capture {
    //! A `tracing` subscriber recording this crate's spans and events as text.

    use std::fmt::Debug;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    /// A recorded span: id, name and fields.
    pub type Span = (u64, String, Vec<(String, String)>);

    #[derive(Default)]
    pub struct Capture {
        next: AtomicU64,
        /// (span id, name, fields)
        pub spans: Mutex<Vec<Span>>,
        pub events: Mutex<Vec<String>>,
    }

    struct Fields<'a>(&'a mut Vec<(String, String)>);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }
        fn record_str(&mut self, field: &Field, value: &str) {
            self.0.push((field.name().to_owned(), value.to_owned()));
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, attrs: &Attributes<'_>) -> Id {
            let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
            let mut fields = Vec::new();
            attrs.record(&mut Fields(&mut fields));
            if attrs.metadata().target().starts_with("aws_client_runtime") {
                self.spans
                    .lock()
                    .unwrap()
                    .push((id, attrs.metadata().name().to_owned(), fields));
            }
            Id::from_u64(id)
        }
        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut spans = self.spans.lock().unwrap();
            if let Some((_, _, fields)) = spans.iter_mut().find(|(id, _, _)| *id == span.into_u64())
            {
                values.record(&mut Fields(fields));
            }
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            if event.metadata().target().starts_with("aws_client_runtime") {
                let mut fields = Vec::new();
                event.record(&mut Fields(&mut fields));
                self.events.lock().unwrap().push(format!("{fields:?}"));
            }
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn spans_per_operation_and_attempt_without_secrets() {
    let cap = Arc::new(capture::Capture::default());
    let _guard = tracing::subscriber::set_default(cap.clone());
    let call = async {
        let server = FakeServer::start(|_, i| {
            let id = format!("req-{i}");
            if i == 0 {
                error(503, "ServiceUnavailable", "down", &id).request_id(&id)
            } else {
                send_quota_ok(&id)
            }
        })
        .await;
        let sleeps = Sleeps::new();
        let conf = Config::builder()
            .region("us-east-1")
            .endpoint_url(&server.url)
            .credentials(Credentials::from_keys(
                ACCESS_KEY,
                SECRET,
                Some("session-token-value".into()),
            ))
            .sleep_impl(sleeps.sleeper())
            .build();
        Client::from_conf(conf)
            .get_send_quota()
            .send()
            .await
            .unwrap();
    };
    tokio::time::timeout(Duration::from_secs(60), call)
        .await
        .expect("the test hung");
    let spans = cap.spans.lock().unwrap().clone();
    let field = |fields: &[(String, String)], name: &str| {
        fields
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let ops: Vec<_> = spans.iter().filter(|(_, n, _)| n == "operation").collect();
    assert_eq!(ops.len(), 1, "{spans:?}");
    let op = &ops[0].2;
    assert_eq!(field(op, "operation").as_deref(), Some("GetSendQuota"));
    assert_eq!(field(op, "service").as_deref(), Some("SES"));
    assert_eq!(field(op, "attempts").as_deref(), Some("2"));
    assert_eq!(field(op, "outcome").as_deref(), Some("success"));
    assert!(field(op, "latency_ms").is_some());
    let attempts: Vec<_> = spans
        .iter()
        .filter(|(_, n, _)| n == "attempt")
        .map(|(_, _, f)| f)
        .collect();
    assert_eq!(attempts.len(), 2, "{spans:?}");
    assert_eq!(field(attempts[0], "attempt").as_deref(), Some("1"));
    assert_eq!(field(attempts[0], "status").as_deref(), Some("503"));
    assert_eq!(field(attempts[0], "request_id").as_deref(), Some("req-0"));
    assert_eq!(field(attempts[1], "attempt").as_deref(), Some("2"));
    assert_eq!(field(attempts[1], "status").as_deref(), Some("200"));
    assert_eq!(field(attempts[1], "request_id").as_deref(), Some("req-1"));
    assert!(field(attempts[1], "latency_ms").is_some());
    let everything = format!("{spans:?} {:?}", cap.events.lock().unwrap());
    for secret in [
        SECRET,
        ACCESS_KEY,
        "session-token-value",
        "Max24HourSend",
        "Action=GetSendQuota",
    ] {
        assert!(
            !everything.contains(secret),
            "`{secret}` was logged: {everything}"
        );
    }
}
