//! The endpoint the rules give is where requests go, and what they are signed for: FIPS and
//! dual-stack requests are captured on their way out through a local HTTPS proxy (the client
//! honours `HTTPS_PROXY`), which records the `CONNECT host:port` the client asks for.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A proxy on 127.0.0.1 that records each CONNECT target and refuses it. Bounded: 10 requests.
async fn capturing_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        for _ in 0..10 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let mut buf = vec![0u8; 2048];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            if let Some(line) = head.lines().next() {
                log.lock().unwrap().push(line.to_owned());
            }
            let _ = sock
                .write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    (format!("http://{addr}"), seen)
}

fn client(region: &str, fips: bool, dual_stack: bool) -> ses_client::Client {
    let conf = ses_client::Config::builder()
        .region(region)
        .use_fips(fips)
        .use_dual_stack(dual_stack)
        .credentials(ses_client::Credentials::from_keys(
            "AKIDEXAMPLE",
            "secret",
            None,
        ))
        .max_attempts(1)
        .build();
    ses_client::Client::from_conf(conf)
}

#[tokio::test]
async fn fips_and_dual_stack_requests_go_where_the_rules_say() {
    let (proxy, seen) = capturing_proxy().await;
    // This test binary has a single test, so setting the process environment is safe here.
    unsafe { std::env::set_var("HTTPS_PROXY", &proxy) };

    let cases = [
        (
            "us-east-1",
            true,
            false,
            "email-fips.us-east-1.amazonaws.com",
        ),
        ("us-east-1", false, true, "email.us-east-1.api.aws"),
        (
            "us-gov-west-1",
            true,
            false,
            "email-fips.us-gov-west-1.amazonaws.com",
        ),
        (
            "cn-north-1",
            false,
            false,
            "email.cn-north-1.amazonaws.com.cn",
        ),
    ];
    for (region, fips, dual, host) in cases {
        let c = client(region, fips, dual);
        let resolved = c.resolved_endpoint().unwrap();
        assert_eq!(resolved.url, format!("https://{host}/"));
        assert_eq!(resolved.signing_region, region);
        assert_eq!(resolved.signing_name, "ses");
        let err = c.get_send_quota().send().await.unwrap_err();
        assert!(
            matches!(err, ses_client::error::SdkError::DispatchFailure(_)),
            "{err:?}"
        );
        let last = seen.lock().unwrap().last().cloned().unwrap_or_default();
        assert_eq!(
            last,
            format!("CONNECT {host}:443 HTTP/1.1"),
            "{region} fips={fips} dual={dual}"
        );
    }

    // A rule that yields an error is a configuration error, before any I/O.
    let before = seen.lock().unwrap().len();
    let conf = ses_client::Config::builder()
        .region("us-east-1")
        .use_fips(true)
        .endpoint_url("https://example.com")
        .credentials(ses_client::Credentials::from_keys(
            "AKIDEXAMPLE",
            "secret",
            None,
        ))
        .build();
    let err = ses_client::Client::from_conf(conf)
        .get_send_quota()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "configuration error: endpoint resolution failed: Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    let no_region = ses_client::Config::builder()
        .credentials(ses_client::Credentials::from_keys("A", "B", None))
        .build();
    let err = ses_client::Client::from_conf(no_region)
        .get_send_quota()
        .send()
        .await
        .unwrap_err();
    // The clear configuration error, not the rule set's "Missing Region".
    assert!(
        err.to_string()
            .starts_with("configuration error: no region: set AWS_REGION"),
        "{err}"
    );
    assert_eq!(
        seen.lock().unwrap().len(),
        before,
        "no request may leave for a misconfigured client"
    );
}

/// The URL parser has no Unicode IDNA backend (the workspace holds `idna_adapter` at 1.0.0):
/// a non-ASCII endpoint host is a configuration error naming the fix, before any I/O.
#[tokio::test]
async fn a_non_ascii_endpoint_host_is_refused_with_the_punycode_hint() {
    let conf = ses_client::Config::builder()
        .region("us-east-1")
        .credentials(ses_client::Credentials::from_keys("AKID", "secret", None))
        .endpoint_url("https://bücher.example/")
        .build();
    let client = ses_client::Client::from_conf(conf);
    let err = client.get_send_quota().send().await.unwrap_err();
    let config = err.config_error().expect("a configuration error");
    assert!(
        matches!(
            config,
            ses_client::error::ConfigError::InvalidEndpoint { .. }
        ),
        "{config:?}"
    );
    assert!(err.to_string().contains("xn--"), "{err}");
    // Its ASCII form is accepted.
    let conf = ses_client::Config::builder()
        .region("us-east-1")
        .credentials(ses_client::Credentials::from_keys("AKID", "secret", None))
        .endpoint_url("https://xn--bcher-kva.example/")
        .build();
    let resolved = ses_client::Client::from_conf(conf).resolved_endpoint();
    assert_eq!(
        resolved.map(|e| e.url).ok().as_deref(),
        Some("https://xn--bcher-kva.example/")
    );
}
