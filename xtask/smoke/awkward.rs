//! Smoke test of the generated awkward-names client (copied into the generated crate's `tests/`
//! folder by the `generated services` step of `cargo xtask test`; not compiled in the workspace).
//! The fixture has a recursive structure (`Node.Parent: Node`), so this is where the generated
//! deserializer of a recursive shape meets hostile depth: a local scripted server on 127.0.0.1
//! answers `PutTree` with a `Parent` chain, the call runs in a `tokio::spawn`ed task on tokio's
//! default worker stack, and must either parse (within the nesting limit) or fail with a typed
//! error (beyond it), never overflow the stack.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use awkward_client::error::SdkError;

/// Serves `body` to every request on 127.0.0.1 from a thread; stops after `requests` requests or
/// 60 s without one.
fn serve(body: String, requests: usize) -> String {
    serve_each(vec![body; requests]).0
}

/// Serves `bodies` in order, one per request, on 127.0.0.1 from a thread (stopping after the
/// last or 60 s without a request); the requests' bodies arrive on the receiver.
fn serve_each(bodies: Vec<String>) -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for body in bodies {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
            let mut seen = Vec::new();
            let mut buf = [0u8; 8192];
            // The head, then as many body bytes as Content-Length says.
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen);
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + len {
                        let _ = tx.send(text[end + 4..].to_string());
                        break;
                    }
                }
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    (url, rx)
}

fn tree(parents: usize) -> String {
    format!(
        "<PutTreeResponse><PutTreeResult><Root><Name>leaf</Name>{}{}</Root></PutTreeResult></PutTreeResponse>",
        "<Parent><Name>p</Name>".repeat(parents),
        "</Parent>".repeat(parents)
    )
}

fn client(url: String) -> awkward_client::Client {
    let conf = awkward_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(awkward_client::Credentials::from_keys("AKIDAWKWARD", "secret", None))
        .max_attempts(1)
        .build();
    awkward_client::Client::from_conf(conf)
}

async fn put_tree(
    url: String,
) -> Result<
    awkward_client::operation::put_tree::PutTreeOutput,
    SdkError<awkward_client::operation::put_tree::PutTreeError>,
> {
    let client = client(url);
    tokio::spawn(async move {
        client
            .put_tree()
            .root(awkward_client::types::Node::default())
            .send()
            .await
    })
    .await
    .expect("the task must not panic or abort")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recursive_shape_parses_up_to_the_nesting_limit() {
    // Response, Result, Root: 3 levels; with 124 parents the last parent's <Name> is at level
    // 128, the default limit.
    let out = put_tree(serve(tree(124), 1)).await.expect("within the limit");
    let mut depth = 0;
    let mut node = out.root.as_ref();
    while let Some(n) = node {
        depth += 1;
        node = n.parent.as_deref();
    }
    assert_eq!(depth, 125);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recursive_shape_nested_past_the_limit_is_a_typed_error() {
    for parents in [125, 100_000] {
        let err = put_tree(serve(tree(parents), 1)).await.expect_err("too deep");
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        assert!(
            err.to_string().contains("nests deeper than 128 elements"),
            "{err}"
        );
    }
}

/// A `ListThings` page: `Things` entries, `Tags`, and the token for the next page.
fn things_page(things: &[(&str, &str)], tags: &[&str], next: Option<&str>) -> String {
    let things: String = things
        .iter()
        .map(|(k, v)| format!("<entry><key>{k}</key><value>{v}</value></entry>"))
        .collect();
    let tags: String = tags.iter().map(|t| format!("<member>{t}</member>")).collect();
    let next = next.map_or(String::new(), |n| format!("<NextPage>{n}</NextPage>"));
    format!(
        "<ListThingsResponse><ListThingsResult>{next}<Things>{things}</Things><Tags>{tags}</Tags></ListThingsResult></ListThingsResponse>"
    )
}

/// The paginator follows the service-level default tokens (`Next` <- `NextPage`) and yields the
/// entries of the `Things` map as items.
#[tokio::test]
async fn the_paginator_follows_tokens_and_yields_map_entries() {
    let (url, requests) = serve_each(vec![
        things_page(&[("a", "1"), ("b", "2")], &[], Some("p2")),
        things_page(&[("c", "3")], &[], None),
    ]);
    let mut items = client(url)
        .list_things()
        .id("i")
        .into_paginator()
        .page_size(2)
        .items()
        .send();
    let mut got = Vec::new();
    while let Some(item) = items.next().await {
        got.push(item.expect("page"));
    }
    got.sort();
    let want: Vec<(String, String)> = [("a", "1"), ("b", "2"), ("c", "3")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(got, want);
    let first = requests.recv().expect("first request");
    assert!(first.contains("Max=2") && !first.contains("Next="), "{first}");
    let second = requests.recv().expect("second request");
    assert!(second.contains("Next=p2"), "{second}");
}

/// The waiters' paths, parsed at generation time, decide as the model says.
#[tokio::test]
async fn waiters_decide_with_pre_parsed_paths() {
    use awkward_client::client::Waiters;
    // Not done (one thing, no "done" tag), then done (two things).
    let (url, _requests) = serve_each(vec![
        things_page(&[("a", "1")], &["x"], Some("p")),
        things_page(&[("a", "1"), ("b", "2")], &[], Some("p")),
    ]);
    let clock = InstantClock::default();
    let poll = client(url)
        .wait_until_things_listed()
        .id("i")
        .wait_with_clock(Duration::from_secs(60), &clock)
        .await
        .expect("success on the second poll");
    assert!(poll.into_result().is_ok());
    // `Tags[-1] == `"done"`` alone succeeds too.
    let (url, _requests) = serve_each(vec![things_page(&[], &["a", "done"], None)]);
    client(url)
        .wait_until_things_listed()
        .id("i")
        .wait_with_clock(Duration::from_secs(60), &clock)
        .await
        .expect("success on the first poll");
    // `Tags[*]` with "failed" among them: the failure acceptor.
    let (url, _requests) = serve_each(vec![things_page(&[], &["failed", "x"], None)]);
    let err = client(url)
        .wait_until_things_listed()
        .id("i")
        .wait_with_clock(Duration::from_secs(60), &clock)
        .await
        .expect_err("failure state");
    assert!(
        matches!(err, awkward_client::waiters::things_listed::WaitUntilThingsListedError::FailureState(_)),
        "{err:?}"
    );
    // allStringEquals over `Tags`.
    let (url, _requests) = serve_each(vec![things_page(&[], &["a", "a"], None)]);
    client(url)
        .wait_until_things_tagged()
        .id("i")
        .wait_with_clock(Duration::from_secs(60), &clock)
        .await
        .expect("all tags are `a`");
}

/// A clock whose sleeps return at once.
#[derive(Default)]
struct InstantClock {
    slept: std::sync::Mutex<Duration>,
}

impl aws_client_runtime::waiter::Clock for InstantClock {
    fn elapsed(&self) -> Duration {
        *self.slept.lock().unwrap()
    }
    fn sleep(
        &self,
        d: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        *self.slept.lock().unwrap() += d;
        Box::pin(std::future::ready(()))
    }
}

/// Host labels are checked before any I/O: the split template's labels name the member.
#[tokio::test]
async fn host_labels_are_validated_by_name() {
    // A closed port: any I/O would be a dispatch error instead.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let c = client(format!("http://127.0.0.1:{port}"));
    let violation = |err: SdkError<awkward_client::operation::put_zone::PutZoneError>| match err {
        SdkError::ConstructionFailure(f) => f
            .validation_error()
            .map(|v| v.to_string())
            .unwrap_or_else(|| panic!("{f:?}")),
        other => panic!("{other:?}"),
    };
    let e = violation(c.put_zone().zone("no dots.").name("n").send().await.unwrap_err());
    assert!(e.contains("Zone") && e.contains("not a valid host label"), "{e}");
    let e = violation(c.put_zone().zone("z").send().await.unwrap_err());
    assert!(e.contains("Name") && e.contains("is required (a host label)"), "{e}");
}
