//! A 3xx is reported with its status, never followed, whatever the protocol (awsQuery services
//! do not redirect, and a followed redirect would resend a signed body to another host). Through
//! a hand-written operation (`support/mini.rs`).

#[path = "support/mini.rs"]
mod mini;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[tokio::test]
async fn redirects_are_not_followed() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        for _ in 0..5 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 8192];
            let _ = sock.read(&mut buf).await;
            let resp = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://{addr}/elsewhere\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = sock.write_all(resp.as_bytes()).await;
        }
    });
    let conf = mini::Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://{addr}"))
        .credentials(mini::Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .build();
    let err = mini::Client::from_conf(conf)
        .get_send_quota()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(307), "{err:?}");
    assert!(
        matches!(err, mini::error::SdkError::ResponseError(_)),
        "{err:?}"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "the redirect must not be followed or retried"
    );
}
