//! Smoke test of the generated CloudWatch Logs client (awsJson 1.1) against moto (copied into the
//! generated crate's `tests/` folder by the `generated services` step of `cargo xtask test`; not
//! compiled in the workspace). Needs `SES_CLIENT_MOTO_ENDPOINT`; without it the test prints
//! `SKIPPED: ...`. The longer scenario is `xtask/dropin-json/main.rs`.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use cloudwatch_logs_client::RequestId;
use cloudwatch_logs_client::error::ProvideErrorMetadata;
use cloudwatch_logs_client::operation::create_log_group::CreateLogGroupError;
use cloudwatch_logs_client::types::InputLogEvent;

/// moto keeps state per region; no other test uses this one.
const REGION: &str = "sa-east-1";

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

/// A name unique to this run, so runs against a long-lived server do not collide.
fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{prefix}-{}-{:x}", std::process::id(), nanos % (1 << 40))
}

#[tokio::test]
async fn log_group_stream_events() {
    let Some(endpoint) = endpoint_or_skip("cloudwatch-logs smoke log_group_stream_events") else {
        return;
    };
    let conf = cloudwatch_logs_client::Config::builder()
        .region(REGION)
        .endpoint_url(endpoint.trim())
        .credentials(cloudwatch_logs_client::Credentials::from_keys(
            "AKIDLOGSSMOKE",
            "secret",
            None,
        ))
        .build();
    let client = cloudwatch_logs_client::Client::from_conf(conf);

    let group = format!("/smoke/{}", unique("group"));
    let stream = "smoke-stream";
    let created = client
        .create_log_group()
        .log_group_name(&group)
        .send()
        .await
        .expect("CreateLogGroup");
    assert!(created.request_id().is_some(), "{created:?}");
    client
        .create_log_stream()
        .log_group_name(&group)
        .log_stream_name(stream)
        .send()
        .await
        .expect("CreateLogStream");

    // The same group again: the modeled error.
    let err = client
        .create_log_group()
        .log_group_name(&group)
        .send()
        .await
        .expect_err("CreateLogGroup of an existing group");
    assert_eq!(err.code(), Some("ResourceAlreadyExistsException"), "{err}");
    assert!(
        matches!(
            err.into_service_error(),
            CreateLogGroupError::ResourceAlreadyExistsException(_)
        ),
        "want ResourceAlreadyExistsException"
    );

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    client
        .put_log_events()
        .log_group_name(&group)
        .log_stream_name(stream)
        .log_events(
            InputLogEvent::builder()
                .timestamp(now)
                .message("smoke event one")
                .build()
                .expect("timestamp and message set"),
        )
        .log_events(
            InputLogEvent::builder()
                .timestamp(now + 1)
                .message("smoke event two")
                .build()
                .expect("timestamp and message set"),
        )
        .send()
        .await
        .expect("PutLogEvents");
    let got = client
        .get_log_events()
        .log_group_name(&group)
        .log_stream_name(stream)
        .start_from_head(true)
        .send()
        .await
        .expect("GetLogEvents");
    let messages: Vec<_> = got.events().iter().filter_map(|e| e.message()).collect();
    assert_eq!(
        messages,
        vec!["smoke event one", "smoke event two"],
        "{got:?}"
    );
    let stamps: Vec<_> = got.events().iter().filter_map(|e| e.timestamp()).collect();
    assert_eq!(stamps, vec![now, now + 1]);

    let groups = client
        .describe_log_groups()
        .log_group_name_prefix(&group)
        .send()
        .await
        .expect("DescribeLogGroups");
    let names: Vec<_> = groups
        .log_groups()
        .iter()
        .filter_map(|g| g.log_group_name())
        .collect();
    assert_eq!(names, vec![group.as_str()]);

    client
        .delete_log_group()
        .log_group_name(&group)
        .send()
        .await
        .expect("DeleteLogGroup");
    println!(
        "cloudwatch-logs smoke: CreateLogGroup {group}, CreateLogStream, PutLogEvents x2, GetLogEvents, DescribeLogGroups, DeleteLogGroup"
    );
}
