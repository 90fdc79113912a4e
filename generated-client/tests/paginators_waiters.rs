//! Paginators and waiters: against moto (more identities than one page; IdentityExists), and
//! against a scripted local server for what moto cannot show (a repeated token, a waiter that
//! retries, with an injected clock).

#[allow(dead_code)]
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_client_runtime::waiter::{Clock, WaiterError};
use ses_client::client::Waiters;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const NS: &str = "http://ses.amazonaws.com/doc/2010-12-01/";

/// Serves the scripted XML bodies in order (the last one repeats), counting requests, on
/// 127.0.0.1. Bounded: it stops after 50 requests.
async fn scripted_server(bodies: Vec<String>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        for n in 0..50usize {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let body = bodies[n.min(bodies.len() - 1)].clone();
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let Ok(k) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if k == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..k]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap())
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            log.lock()
                                .unwrap()
                                .push(text[end + 4..end + 4 + len].to_owned());
                            break;
                        }
                    }
                }
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

fn client(endpoint: &str) -> ses_client::Client {
    common::client(endpoint, "us-east-1", "AKIDEXAMPLE", "secret")
}

fn list_page(ids: &[&str], token: Option<&str>) -> String {
    let members: String = ids
        .iter()
        .map(|i| format!("<member>{i}</member>"))
        .collect();
    let token = token
        .map(|t| format!("<NextToken>{t}</NextToken>"))
        .unwrap_or_default();
    format!(
        "<ListIdentitiesResponse xmlns=\"{NS}\"><ListIdentitiesResult><Identities>{members}</Identities>{token}\
         </ListIdentitiesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListIdentitiesResponse>"
    )
}

#[tokio::test]
async fn paginator_follows_tokens_and_stops_on_a_repeated_one() {
    let (endpoint, seen) = scripted_server(vec![
        list_page(&["a", "b"], Some("t1")),
        list_page(&["c"], Some("t2")),
        // The service repeats t2: the paginator must stop instead of looping forever.
        list_page(&["d"], Some("t2")),
        list_page(&["never"], None),
    ])
    .await;
    let items = client(&endpoint)
        .list_identities()
        .into_paginator()
        .page_size(2)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items, ["a", "b", "c", "d"]);
    let bodies = seen.lock().unwrap().clone();
    assert_eq!(bodies.len(), 3);
    assert_eq!(
        bodies[0],
        "Action=ListIdentities&Version=2010-12-01&MaxItems=2"
    );
    assert_eq!(
        bodies[1],
        "Action=ListIdentities&Version=2010-12-01&NextToken=t1&MaxItems=2"
    );
    assert_eq!(
        bodies[2],
        "Action=ListIdentities&Version=2010-12-01&NextToken=t2&MaxItems=2"
    );
}

/// A clock that records requested sleeps and advances instantly.
#[derive(Default)]
struct FakeClock {
    now: Mutex<Duration>,
    sleeps: Mutex<Vec<Duration>>,
}

impl Clock for FakeClock {
    fn elapsed(&self) -> Duration {
        *self.now.lock().unwrap()
    }
    fn sleep(
        &self,
        d: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        *self.now.lock().unwrap() += d;
        self.sleeps.lock().unwrap().push(d);
        Box::pin(async {})
    }
}

fn verification(status: &str) -> String {
    format!(
        "<GetIdentityVerificationAttributesResponse xmlns=\"{NS}\"><GetIdentityVerificationAttributesResult>\
         <VerificationAttributes><entry><key>example.com</key><value><VerificationStatus>{status}</VerificationStatus>\
         </value></entry></VerificationAttributes></GetIdentityVerificationAttributesResult>\
         </GetIdentityVerificationAttributesResponse>"
    )
}

#[tokio::test]
async fn waiter_retries_until_success_with_backoff_bounds() {
    let (endpoint, seen) = scripted_server(vec![
        verification("Pending"),
        verification("Pending"),
        verification("Success"),
    ])
    .await;
    let clock = FakeClock::default();
    let out = client(&endpoint)
        .wait_until_identity_exists()
        .identities("example.com")
        .wait_with_clock(Duration::from_secs(300), &clock)
        .await
        .unwrap();
    let out = out.into_result().expect("expected an output");
    let attrs = out.verification_attributes.unwrap();
    assert_eq!(
        attrs["example.com"]
            .verification_status
            .as_ref()
            .map(|s| s.as_str()),
        Some("Success")
    );
    assert_eq!(seen.lock().unwrap().len(), 3);
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 2);
    // minDelay 3 s: the first retry waits exactly 3 s, the second between 3 and 6 s.
    assert_eq!(sleeps[0], Duration::from_secs(3));
    assert!(
        sleeps[1] >= Duration::from_secs(3) && sleeps[1] <= Duration::from_secs(6),
        "{sleeps:?}"
    );
}

#[tokio::test]
async fn waiter_gives_up_at_max_wait() {
    let (endpoint, seen) = scripted_server(vec![verification("Pending")]).await;
    let clock = FakeClock::default();
    let err = client(&endpoint)
        .wait_until_identity_exists()
        .identities("example.com")
        .wait_with_clock(Duration::from_secs(20), &clock)
        .await
        .unwrap_err();
    let WaiterError::ExceededMaxWait(ctx) = err else {
        panic!("expected ExceededMaxWait, got {err}")
    };
    let attempts = ctx.poll_count();
    assert_eq!(ctx.max_wait(), Duration::from_secs(20));
    assert_eq!(attempts as usize, seen.lock().unwrap().len());
    assert!(attempts >= 2);
    // Never sleeps past max_wait.
    assert!(
        clock.elapsed() <= Duration::from_secs(20),
        "{:?}",
        clock.elapsed()
    );
}

#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn moto_lists_more_identities_than_one_page_and_waits_for_a_domain() {
    let Some(endpoint) = common::endpoint_or_skip(
        "moto_lists_more_identities_than_one_page_and_waits_for_a_domain",
        "SES_CLIENT_MOTO_ENDPOINT",
    ) else {
        return;
    };
    // A region of its own, so the identity count is exact.
    let client = common::client(&endpoint, "sa-east-1", "AKIDEXAMPLE", "secret");
    let before = client
        .list_identities()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    let base = common::unique("page");
    let mut created = Vec::new();
    for i in 0..25 {
        let email = format!("{base}-{i}@example.com");
        client
            .verify_email_identity()
            .email_address(&email)
            .send()
            .await
            .unwrap();
        created.push(email);
    }
    // moto (5.2.5) ignores MaxItems for SES ListIdentities and answers in one page without a
    // NextToken, so against moto this shows the paginator ending on the last page; several pages
    // are shown by the scripted server above and, against moto, by SNS ListTopics (moto pages
    // it by 100) in the SNS smoke test of `cargo xtask test`.
    let pages = client
        .list_identities()
        .into_paginator()
        .page_size(10)
        .send()
        .try_collect()
        .await
        .unwrap();
    let total: usize = pages
        .iter()
        .map(|p| p.identities.as_ref().map_or(0, Vec::len))
        .sum();
    assert_eq!(total, before.len() + 25);
    let items = client
        .list_identities()
        .into_paginator()
        .page_size(10)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap();
    for email in &created {
        assert!(items.contains(email), "{email} missing");
    }

    let domain = format!("{base}.example.com");
    client
        .verify_domain_identity()
        .domain(&domain)
        .send()
        .await
        .unwrap();
    let done = client
        .wait_until_identity_exists()
        .identities(&domain)
        .wait(Duration::from_secs(30))
        .await
        .unwrap();
    let out = done.into_result().unwrap();
    let attrs = out.verification_attributes.unwrap();
    // moto: domains verify at once (real SES says Pending until DNS is checked).
    assert_eq!(
        attrs[&domain]
            .verification_status
            .as_ref()
            .map(|s| s.as_str()),
        Some("Success")
    );
}
