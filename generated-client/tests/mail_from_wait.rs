//! The MAIL FROM status lifecycle, the waiter and `ensure`'s decisions, against the local fake
//! server with scripted responses (`fake_ses`). Sleeps are recorded and return at once, and a
//! virtual clock moves only when they are asked for, so a wait of hours runs in milliseconds.

#[path = "../../runtime/tests/support/fake_server.rs"]
mod fake_ses;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_ses::{FakeServer, Reply, Request, Sleeps, VirtualClock};
use ses_client::mail_from::{
    self, DEFAULT_MAX_WAIT, DEFAULT_POLL_INTERVAL, EnsureOutcome, MailFromError, MailFromPlan,
    MailFromSetting, MailFromStatus, WaitError, WaitProgress,
};
use ses_client::types::BehaviorOnMxFailure;
use ses_client::{Client, Config, Credentials};

const IDENTITY: &str = "example.com";
const MAIL_FROM: &str = "mail.example.com";
/// Bound on every test; without real sleeping they take milliseconds.
const TEST_BOUND: Duration = Duration::from_secs(30);

/// A `GetIdentityMailFromDomainAttributes` answer for [`IDENTITY`].
fn attributes(domain: Option<&str>, status: Option<&str>, behavior: Option<&str>) -> Reply {
    let mut value = String::new();
    if let Some(d) = domain {
        value.push_str(&format!("<MailFromDomain>{d}</MailFromDomain>"));
    }
    if let Some(s) = status {
        value.push_str(&format!("<MailFromDomainStatus>{s}</MailFromDomainStatus>"));
    }
    if let Some(b) = behavior {
        value.push_str(&format!("<BehaviorOnMXFailure>{b}</BehaviorOnMXFailure>"));
    }
    Reply::new(
        200,
        format!(
            "<GetIdentityMailFromDomainAttributesResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">\
             <GetIdentityMailFromDomainAttributesResult><MailFromDomainAttributes>\
             <entry><key>{IDENTITY}</key><value>{value}</value></entry>\
             </MailFromDomainAttributes></GetIdentityMailFromDomainAttributesResult>\
             <ResponseMetadata><RequestId>req-get</RequestId></ResponseMetadata>\
             </GetIdentityMailFromDomainAttributesResponse>"
        ),
    )
    .request_id("req-get")
    .header("content-type", "text/xml")
}

/// The attributes of a set domain with `status`.
fn status(s: &str) -> Reply {
    attributes(Some(MAIL_FROM), Some(s), Some("UseDefaultValue"))
}

/// A `SetIdentityMailFromDomain` success.
fn set_ok() -> Reply {
    Reply::new(
        200,
        "<SetIdentityMailFromDomainResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">\
         <SetIdentityMailFromDomainResult/><ResponseMetadata><RequestId>req-set</RequestId>\
         </ResponseMetadata></SetIdentityMailFromDomainResponse>",
    )
    .request_id("req-set")
    .header("content-type", "text/xml")
}

/// Answers reads with `statuses` in order (the last one repeated) and writes with success.
fn scripted(statuses: &'static [&'static str]) -> impl Fn(&Request, usize) -> Reply {
    let reads = Arc::new(Mutex::new(0usize));
    move |req: &Request, _| match req.action() {
        Some("SetIdentityMailFromDomain") => set_ok(),
        _ => {
            let mut n = reads.lock().unwrap();
            let s = statuses[(*n).min(statuses.len() - 1)];
            *n += 1;
            status(s)
        }
    }
}

fn fake_client(server: &FakeServer, sleeps: &Sleeps, clock: &VirtualClock) -> Client {
    client_with(Config::builder(), server, sleeps, clock)
}

fn client_with(
    builder: ses_client::ConfigBuilder,
    server: &FakeServer,
    sleeps: &Sleeps,
    clock: &VirtualClock,
) -> Client {
    let conf = builder
        .region("us-east-1")
        .endpoint_url(&server.url)
        .credentials(Credentials::from_keys(
            "AKIDMAILFROM",
            "mail-from-secret",
            None,
        ))
        .sleep_impl(sleeps.sleeper())
        .time_source(clock.source())
        .build();
    Client::from_conf(conf)
}

fn plan() -> MailFromPlan {
    MailFromPlan::new(IDENTITY, MAIL_FROM, "us-east-1").expect("plan")
}

/// Progress reports, collected.
#[derive(Clone, Default)]
struct Progress(Arc<Mutex<Vec<WaitProgress>>>);

impl Progress {
    fn callback(&self) -> impl FnMut(&WaitProgress) + Send + 'static {
        let log = self.0.clone();
        move |p: &WaitProgress| log.lock().unwrap().push(p.clone())
    }

    fn seen(&self) -> Vec<(u32, MailFromStatus, Duration, Option<Duration>)> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|p| (p.poll, p.status.clone(), p.elapsed, p.next_poll_in))
            .collect()
    }
}

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(TEST_BOUND, f)
        .await
        .expect("the test took longer than its bound")
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[tokio::test]
async fn waits_through_pending_and_temporary_failure_until_success() {
    bounded(async {
        let server = FakeServer::start(scripted(&[
            "Pending",
            "Pending",
            "TemporaryFailure",
            "Success",
        ]))
        .await;
        let (clock, progress) = (VirtualClock::new(), Progress::default());
        let sleeps = Sleeps::advancing(&clock);
        let client = fake_client(&server, &sleeps, &clock);
        let plan = plan();
        let started = Instant::now();

        let done = mail_from::wait_for_success(&client, &plan)
            .on_progress(progress.callback())
            .sleep_impl(sleeps.sleeper())
            .time_source(clock.source())
            .wait()
            .await
            .expect("SES reports Success at the fourth poll");

        assert_eq!((done.polls, done.elapsed), (4, secs(90)));
        // The default interval, and no real sleeping.
        assert_eq!(sleeps.recorded(), vec![DEFAULT_POLL_INTERVAL; 3]);
        assert!(started.elapsed() < secs(10), "{:?}", started.elapsed());
        assert_eq!(
            progress.seen(),
            vec![
                (1, MailFromStatus::Pending, secs(0), Some(secs(30))),
                (2, MailFromStatus::Pending, secs(30), Some(secs(30))),
                (
                    3,
                    MailFromStatus::TemporaryFailure,
                    secs(60),
                    Some(secs(30))
                ),
                (4, MailFromStatus::Success, secs(90), None),
            ]
        );
        let requests = server.requests();
        assert_eq!(requests.len(), 4);
        for r in &requests {
            assert_eq!(r.action(), Some("GetIdentityMailFromDomainAttributes"));
            assert!(
                r.body.contains("Identities.member.1=example.com"),
                "{}",
                r.body
            );
        }
    })
    .await;
}

#[tokio::test]
async fn failed_ends_the_wait_with_the_records_ses_expects() {
    bounded(async {
        let server = FakeServer::start(scripted(&["Pending", "Failed"])).await;
        let (clock, progress) = (VirtualClock::new(), Progress::default());
        let sleeps = Sleeps::advancing(&clock);
        let client = fake_client(&server, &sleeps, &clock);
        let plan = plan();

        let err = mail_from::wait_for_success(&client, &plan)
            .poll_interval(secs(60))
            .on_progress(progress.callback())
            .sleep_impl(sleeps.sleeper())
            .time_source(clock.source())
            .wait()
            .await
            .expect_err("Failed ends the wait");

        match &err {
            WaitError::Failed {
                identity,
                mail_from_domain,
                polls,
                expected,
            } => {
                assert_eq!(identity, IDENTITY);
                assert_eq!(mail_from_domain, MAIL_FROM);
                assert_eq!(*polls, 2);
                assert_eq!(expected, &plan.records().to_vec());
            }
            other => panic!("expected Failed, got {other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "SES reports Failed for MAIL FROM domain mail.example.com of identity `example.com` \
             (poll 2): it did not find the MX record. SES expects exactly these records: \
             `mail.example.com. 1800 IN MX 10 feedback-smtp.us-east-1.amazonses.com.`; \
             `mail.example.com. 1800 IN TXT \"v=spf1 include:amazonses.com ~all\"`; \
             publish them, then set the domain again to restart the checks"
        );
        assert_eq!(sleeps.recorded(), vec![secs(60)]);
        assert_eq!(
            progress.seen(),
            vec![
                (1, MailFromStatus::Pending, secs(0), Some(secs(60))),
                (2, MailFromStatus::Failed, secs(60), None),
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn the_maximum_wait_is_honoured_to_the_second() {
    bounded(async {
        let server = FakeServer::start(scripted(&["Pending"])).await;
        let (clock, progress) = (VirtualClock::new(), Progress::default());
        let sleeps = Sleeps::advancing(&clock);
        let client = fake_client(&server, &sleeps, &clock);
        let plan = plan();

        let err = mail_from::wait_for_success(&client, &plan)
            .max_wait(secs(100))
            .on_progress(progress.callback())
            .sleep_impl(sleeps.sleeper())
            .time_source(clock.source())
            .wait()
            .await
            .expect_err("never Success");

        // Polls at 0, 30, 60, 90 and, the last one, exactly at 100 s.
        assert_eq!(
            sleeps.recorded(),
            vec![secs(30), secs(30), secs(30), secs(10)]
        );
        assert_eq!(server.count(), 5);
        assert!(
            matches!(
                &err,
                WaitError::TimedOut { polls: 5, max_wait, last_status: MailFromStatus::Pending, .. }
                    if *max_wait == secs(100)
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "MAIL FROM domain mail.example.com of identity `example.com` is still Pending after 5 \
             polls within the maximum wait of 1m 40s"
        );
        let seen = progress.seen();
        assert_eq!(seen.len(), 5);
        assert_eq!(
            seen.last(),
            Some(&(5, MailFromStatus::Pending, secs(100), None))
        );
        assert_eq!(
            seen[3],
            (4, MailFromStatus::Pending, secs(90), Some(secs(10)))
        );
    })
    .await;
}

#[tokio::test]
async fn a_sleep_that_does_not_move_any_clock_still_ends_the_wait() {
    bounded(async {
        let server = FakeServer::start(scripted(&["TemporaryFailure"])).await;
        // The client's and the waiter's sleeps return at once and no clock moves: the waiter
        // counts the time it asked to sleep.
        let sleeps = Sleeps::new();
        let client = fake_client(&server, &sleeps, &VirtualClock::new());
        let plan = plan();

        let err = mail_from::wait_for_success(&client, &plan)
            .max_wait(secs(90))
            .sleep_impl(sleeps.sleeper())
            .wait()
            .await
            .expect_err("never Success");
        assert!(
            matches!(
                err,
                WaitError::TimedOut {
                    polls: 4,
                    last_status: MailFromStatus::TemporaryFailure,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(sleeps.recorded(), vec![secs(30); 3]);
    })
    .await;
}

#[tokio::test]
async fn the_defaults_and_the_shortest_poll_interval() {
    assert_eq!(DEFAULT_POLL_INTERVAL, secs(30));
    assert_eq!(DEFAULT_MAX_WAIT, secs(72 * 3600));
    bounded(async {
        let server = FakeServer::start(scripted(&["Pending"])).await;
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let client = fake_client(&server, &sleeps, &clock);
        let plan = plan();
        let err = mail_from::wait_for_success(&client, &plan)
            .poll_interval(Duration::ZERO)
            .max_wait(secs(3))
            .sleep_impl(sleeps.sleeper())
            .time_source(clock.source())
            .wait()
            .await
            .expect_err("never Success");
        // A zero interval is raised to one second.
        assert_eq!(sleeps.recorded(), vec![secs(1); 3]);
        assert!(
            matches!(err, WaitError::TimedOut { polls: 4, .. }),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn an_unknown_status_keeps_the_waiter_waiting() {
    bounded(async {
        let server = FakeServer::start(scripted(&["Verifying", "Success"])).await;
        let (clock, progress) = (VirtualClock::new(), Progress::default());
        let sleeps = Sleeps::advancing(&clock);
        let client = fake_client(&server, &sleeps, &clock);
        let plan = plan();
        mail_from::wait_for_success(&client, &plan)
            .on_progress(progress.callback())
            .sleep_impl(sleeps.sleeper())
            .time_source(clock.source())
            .wait()
            .await
            .expect("Success after the unknown status");
        let statuses: Vec<MailFromStatus> = progress.seen().into_iter().map(|p| p.1).collect();
        assert_eq!(
            statuses,
            vec![
                MailFromStatus::Unknown("Verifying".to_owned()),
                MailFromStatus::Success
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn no_domain_or_another_domain_ends_the_wait_at_once() {
    bounded(async {
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let plan = plan();

        let server =
            FakeServer::start(|_: &Request, _| attributes(None, None, Some("UseDefaultValue")))
                .await;
        let client = fake_client(&server, &sleeps, &clock);
        let err = mail_from::wait_for_success(&client, &plan)
            .sleep_impl(sleeps.sleeper())
            .wait()
            .await
            .expect_err("nothing to wait for");
        assert!(matches!(err, WaitError::NotSet { polls: 1, .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "identity `example.com` has no MAIL FROM domain set (poll 1); set it before waiting"
        );

        let server = FakeServer::start(|_: &Request, _| {
            attributes(Some("bounce.example.com"), Some("Pending"), None)
        })
        .await;
        let client = fake_client(&server, &sleeps, &clock);
        let err = mail_from::wait_for_success(&client, &plan)
            .sleep_impl(sleeps.sleeper())
            .wait()
            .await
            .expect_err("another domain");
        assert_eq!(
            err.to_string(),
            "identity `example.com` has MAIL FROM domain `bounce.example.com`, not \
             mail.example.com (poll 1)"
        );
        assert!(sleeps.recorded().is_empty());

        // The plan's domain in another spelling is the same domain.
        let server = FakeServer::start(|_: &Request, _| {
            attributes(Some("Mail.EXAMPLE.com."), Some("Success"), None)
        })
        .await;
        let client = fake_client(&server, &sleeps, &clock);
        mail_from::wait_for_success(&client, &plan)
            .sleep_impl(sleeps.sleeper())
            .wait()
            .await
            .expect("same domain, Success");
    })
    .await;
}

#[tokio::test]
async fn a_failing_read_ends_the_wait_naming_the_identity() {
    bounded(async {
        let server = FakeServer::start(|_: &Request, _| {
            fake_ses::error(403, "AccessDenied", "not allowed", "req-denied")
        })
        .await;
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let client = fake_client(&server, &sleeps, &clock);
        let plan = plan();
        let err = mail_from::wait_for_success(&client, &plan)
            .sleep_impl(sleeps.sleeper())
            .wait()
            .await
            .expect_err("AccessDenied");
        assert!(
            matches!(&err, WaitError::Read(MailFromError::Read { identity, .. }) if identity == IDENTITY),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with("reading the MAIL FROM setting of identity `example.com` failed: "),
            "{text}"
        );
        assert!(text.contains("AccessDenied"), "{text}");
        assert_eq!(server.count(), 1, "a 403 is not retried");
    })
    .await;
}

#[tokio::test]
async fn ensure_sets_the_domain_again_when_ses_gave_up() {
    bounded(async {
        let server = FakeServer::start(scripted(&["Failed", "Pending"])).await;
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let client = fake_client(&server, &sleeps, &clock);
        let report = mail_from::ensure(&client, &plan(), BehaviorOnMxFailure::UseDefaultValue)
            .await
            .expect("ensure");
        assert_eq!(report.outcome, EnsureOutcome::Restarted);
        assert_eq!(report.status, MailFromStatus::Pending);
        let requests = server.requests();
        let actions: Vec<_> = requests.iter().map(|r| r.action()).collect();
        assert_eq!(
            actions,
            vec![
                Some("GetIdentityMailFromDomainAttributes"),
                Some("SetIdentityMailFromDomain"),
                Some("GetIdentityMailFromDomainAttributes"),
            ]
        );
        let set = &requests[1].body;
        for part in [
            "Identity=example.com",
            "MailFromDomain=mail.example.com",
            "BehaviorOnMXFailure=UseDefaultValue",
        ] {
            assert!(set.contains(part), "{part} missing from {set}");
        }
    })
    .await;
}

#[tokio::test]
async fn ensure_compares_case_insensitively_and_treats_a_missing_behavior_as_different() {
    bounded(async {
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);

        // Same domain in another spelling, same behavior: nothing is written.
        let server = FakeServer::start(|_: &Request, _| {
            attributes(
                Some("MAIL.Example.com."),
                Some("Success"),
                Some("UseDefaultValue"),
            )
        })
        .await;
        let client = fake_client(&server, &sleeps, &clock);
        let report = mail_from::ensure(&client, &plan(), BehaviorOnMxFailure::UseDefaultValue)
            .await
            .expect("ensure");
        assert_eq!(report.outcome, EnsureOutcome::Unchanged);
        assert_eq!(report.status, MailFromStatus::Success);
        assert_eq!(server.count(), 1);

        // No behavior reported: written.
        let server = FakeServer::start(|req: &Request, _| match req.action() {
            Some("SetIdentityMailFromDomain") => set_ok(),
            _ => attributes(Some(MAIL_FROM), Some("Success"), None),
        })
        .await;
        let client = fake_client(&server, &sleeps, &clock);
        let report = mail_from::ensure(&client, &plan(), BehaviorOnMxFailure::RejectMessage)
            .await
            .expect("ensure");
        assert_eq!(
            report.outcome,
            EnsureOutcome::Changed {
                from: MailFromSetting {
                    mail_from_domain: MAIL_FROM.to_owned(),
                    behavior_on_mx_failure: None,
                },
                to: MailFromSetting {
                    mail_from_domain: MAIL_FROM.to_owned(),
                    behavior_on_mx_failure: Some(BehaviorOnMxFailure::RejectMessage),
                },
            }
        );
        assert_eq!(
            report.outcome.to_string(),
            "changed from mail.example.com (on MX failure: not reported) to mail.example.com \
             (on MX failure: RejectMessage)"
        );
        assert_eq!(server.count(), 3);
    })
    .await;
}

#[tokio::test]
async fn ensure_relies_on_the_clients_rate_limit_for_pacing() {
    bounded(async {
        // Nothing is ever set, so every ensure writes.
        let handler = |req: &Request, _| match req.action() {
            Some("SetIdentityMailFromDomain") => set_ok(),
            _ => attributes(None, None, Some("UseDefaultValue")),
        };

        // A paced client spaces the writes one second apart on its clock.
        let server = FakeServer::start(handler).await;
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let client = client_with(
            mail_from::paced(Config::builder()),
            &server,
            &sleeps,
            &clock,
        );
        assert_eq!(
            client
                .config()
                .operation_rate_limit(mail_from::SET_OPERATION),
            Some(1.0)
        );
        for _ in 0..3 {
            let report = mail_from::ensure(&client, &plan(), BehaviorOnMxFailure::UseDefaultValue)
                .await
                .expect("ensure");
            assert_eq!(report.outcome, EnsureOutcome::Set);
        }
        assert_eq!(sleeps.recorded(), vec![secs(1), secs(1)]);

        // Without it, ensure itself never sleeps.
        let server = FakeServer::start(handler).await;
        let clock = VirtualClock::new();
        let sleeps = Sleeps::advancing(&clock);
        let client = fake_client(&server, &sleeps, &clock);
        for _ in 0..3 {
            mail_from::ensure(&client, &plan(), BehaviorOnMxFailure::UseDefaultValue)
                .await
                .expect("ensure");
        }
        assert!(sleeps.recorded().is_empty(), "{:?}", sleeps.recorded());
    })
    .await;
}

#[test]
fn the_workflow_futures_can_be_spawned() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::from_conf(Config::builder().region("us-east-1").build());
    let plan = plan();
    assert_send(&mail_from::ensure(
        &client,
        &plan,
        BehaviorOnMxFailure::UseDefaultValue,
    ));
    assert_send(&mail_from::disable(&client, IDENTITY));
    assert_send(&mail_from::current(&client, IDENTITY));
    assert_send(
        &mail_from::wait_for_success(&client, &plan)
            .on_progress(|_| {})
            .wait(),
    );
}
