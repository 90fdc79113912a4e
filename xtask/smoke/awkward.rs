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
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    std::thread::spawn(move || {
        for _ in 0..requests {
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
    url
}

fn tree(parents: usize) -> String {
    format!(
        "<PutTreeResponse><PutTreeResult><Root><Name>leaf</Name>{}{}</Root></PutTreeResult></PutTreeResponse>",
        "<Parent><Name>p</Name>".repeat(parents),
        "</Parent>".repeat(parents)
    )
}

async fn put_tree(
    url: String,
) -> Result<
    awkward_client::operation::put_tree::PutTreeOutput,
    SdkError<awkward_client::operation::put_tree::PutTreeError>,
> {
    let conf = awkward_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(awkward_client::Credentials::from_keys("AKIDAWKWARD", "secret", None))
        .max_attempts(1)
        .build();
    let client = awkward_client::Client::from_conf(conf);
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
