//! The `tracing` output of the MAIL FROM waiter: one `mail_from_wait` span naming the identity
//! and the MAIL FROM domain, and one event per poll inside it. A test binary of its own, since a
//! thread-local subscriber is only reliable when no other test registers the same callsites
//! at the same time.

#[path = "../../runtime/tests/support/fake_server.rs"]
mod fake_ses;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fake_ses::{FakeServer, Reply, Request, Sleeps, VirtualClock};
use ses_client::mail_from::{self, MailFromPlan};
use ses_client::{Client, Config, Credentials};

mod capture {
    //! A subscriber recording this crate's spans, and its events with the span they happened
    //! in (a current-thread runtime enters spans on this thread only).

    use std::fmt::Debug;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    pub type Fields = Vec<(String, String)>;

    #[derive(Default)]
    pub struct Capture {
        next: AtomicU64,
        /// (id, name, fields) of spans from `ses_client`.
        pub spans: Mutex<Vec<(u64, String, Fields)>>,
        /// (level, id of the innermost entered span, fields) of events from `ses_client`.
        pub events: Mutex<Vec<(String, Option<u64>, Fields)>>,
        entered: Mutex<Vec<u64>>,
    }

    struct Visitor<'a>(&'a mut Fields);

    impl Visit for Visitor<'_> {
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
            if attrs.metadata().target().starts_with("ses_client") {
                let mut fields = Vec::new();
                attrs.record(&mut Visitor(&mut fields));
                self.spans
                    .lock()
                    .unwrap()
                    .push((id, attrs.metadata().name().to_owned(), fields));
            }
            Id::from_u64(id)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            if event.metadata().target().starts_with("ses_client") {
                let mut fields = Vec::new();
                event.record(&mut Visitor(&mut fields));
                let parent = self.entered.lock().unwrap().last().copied();
                self.events.lock().unwrap().push((
                    event.metadata().level().to_string(),
                    parent,
                    fields,
                ));
            }
        }
        fn enter(&self, id: &Id) {
            self.entered.lock().unwrap().push(id.into_u64());
        }
        fn exit(&self, id: &Id) {
            let mut entered = self.entered.lock().unwrap();
            if let Some(i) = entered.iter().rposition(|e| *e == id.into_u64()) {
                entered.remove(i);
            }
        }
    }
}

fn attributes(status: &str) -> Reply {
    Reply::new(
        200,
        format!(
            "<GetIdentityMailFromDomainAttributesResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">\
             <GetIdentityMailFromDomainAttributesResult><MailFromDomainAttributes>\
             <entry><key>example.com</key><value><MailFromDomain>mail.example.com</MailFromDomain>\
             <MailFromDomainStatus>{status}</MailFromDomainStatus>\
             <BehaviorOnMXFailure>UseDefaultValue</BehaviorOnMXFailure></value></entry>\
             </MailFromDomainAttributes></GetIdentityMailFromDomainAttributesResult>\
             <ResponseMetadata><RequestId>req</RequestId></ResponseMetadata>\
             </GetIdentityMailFromDomainAttributesResponse>"
        ),
    )
    .header("content-type", "text/xml")
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn the_wait_is_one_span_with_an_event_per_poll() {
    let cap = Arc::new(capture::Capture::default());
    let _guard = tracing::subscriber::set_default(cap.clone());
    let run = async {
        let polls = Arc::new(Mutex::new(0usize));
        let server = FakeServer::start(move |_: &Request, _| {
            let mut n = polls.lock().unwrap();
            *n += 1;
            attributes(if *n < 3 { "Pending" } else { "Success" })
        })
        .await;
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let conf = Config::builder()
            .region("us-east-1")
            .endpoint_url(&server.url)
            .credentials(Credentials::from_keys(
                "AKIDTRACING",
                "tracing-secret",
                None,
            ))
            .sleep_impl(sleeps.sleeper())
            .time_source(clock.source())
            .build();
        let client = Client::from_conf(conf);
        let plan = MailFromPlan::new("example.com", "mail.example.com", "us-east-1").unwrap();
        mail_from::wait_for_success(&client, &plan)
            .max_wait(Duration::from_secs(600))
            .sleep_impl(sleeps.sleeper())
            .time_source(clock.source())
            .wait()
            .await
            .expect("Success at the third poll");
    };
    tokio::time::timeout(Duration::from_secs(30), run)
        .await
        .expect("the test hung");

    let spans = cap.spans.lock().unwrap().clone();
    let waits: Vec<_> = spans
        .iter()
        .filter(|(_, name, _)| name == "mail_from_wait")
        .collect();
    assert_eq!(waits.len(), 1, "{spans:?}");
    let (wait_id, _, wait_fields) = waits[0];
    assert_eq!(field(wait_fields, "identity"), Some("example.com"));
    assert_eq!(
        field(wait_fields, "mail_from_domain"),
        Some("mail.example.com")
    );
    assert_eq!(field(wait_fields, "max_wait_secs"), Some("600"));

    let events = cap.events.lock().unwrap().clone();
    let polls: Vec<_> = events
        .iter()
        .filter(|(_, parent, fields)| *parent == Some(*wait_id) && field(fields, "poll").is_some())
        .map(|(level, _, fields)| {
            (
                level.clone(),
                field(fields, "poll").unwrap_or_default().to_owned(),
                field(fields, "status").unwrap_or_default().to_owned(),
                field(fields, "elapsed_secs").unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String, String)> = [
        ("INFO", "1", "Pending", "0"),
        ("INFO", "2", "Pending", "30"),
        ("INFO", "3", "Success", "60"),
    ]
    .iter()
    .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
    .collect();
    assert_eq!(polls, expected, "{events:?}");
    let everything = format!("{spans:?} {events:?}");
    assert!(!everything.contains("tracing-secret"), "{everything}");
}
