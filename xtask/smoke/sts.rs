//! Smoke test of the generated STS client against moto (copied into the generated crate's
//! `tests/` folder by the `generated services` step of `cargo xtask test`; not compiled in the
//! workspace). Needs `SES_CLIENT_MOTO_ENDPOINT`; without it the test prints `SKIPPED: ...`.

use std::io::Write;

use sts_client::RequestId;

const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";

/// The endpoint, or `None` after writing a loud SKIPPED line straight to stderr (the harness
/// would hide an `eprintln!` of a passing test).
fn endpoint_or_skip(test: &str) -> Option<String> {
    let endpoint = std::env::var(MOTO_ENDPOINT_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty());
    if endpoint.is_none() {
        let line = format!("SKIPPED: {test}: {MOTO_ENDPOINT_VAR} not set (run cargo xtask test)\n");
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
    endpoint
}

#[tokio::test]
async fn get_caller_identity() {
    let Some(endpoint) = endpoint_or_skip("sts smoke get_caller_identity") else {
        return;
    };
    let conf = sts_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint.trim())
        .credentials(sts_client::Credentials::from_keys("AKIDSTSSMOKE", "secret", None))
        .build();
    let client = sts_client::Client::from_conf(conf);
    let out = client
        .get_caller_identity()
        .send()
        .await
        .expect("GetCallerIdentity");
    // moto: its default account, and an ARN naming it.
    let account = out.account.as_deref().expect("Account");
    assert_eq!(account.len(), 12, "{out:?}");
    assert!(account.chars().all(|c| c.is_ascii_digit()), "{out:?}");
    let arn = out.arn.as_deref().expect("Arn");
    assert!(arn.starts_with("arn:aws:"), "{out:?}");
    assert!(arn.contains(account), "{out:?}");
    assert!(out.user_id.is_some(), "{out:?}");
    assert!(out.request_id().is_some(), "{out:?}");
    println!("sts smoke: GetCallerIdentity -> account {account}, arn {arn}");
}

/// The mocks of `test_util` in a generated crate other than SES: no moto, no network.
#[cfg(feature = "test-util")]
#[tokio::test]
async fn mocked_get_caller_identity_needs_no_network() {
    use sts_client::operation::get_caller_identity::GetCallerIdentityOutput;
    use sts_client::test_util::{mock, mock_client};
    let rule = mock!(sts_client::Client::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .account("123456789012")
            .build()
    });
    let client = mock_client!(sts_client, [&rule]);
    let out = client
        .get_caller_identity()
        .send()
        .await
        .expect("answered by the rule");
    assert_eq!(out.account(), Some("123456789012"));
    assert_eq!(rule.num_calls(), 1);
}
