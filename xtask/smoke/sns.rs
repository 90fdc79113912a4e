//! Smoke test of the generated SNS client against moto (copied into the generated crate's
//! `tests/` folder by the `generated services` step of `cargo xtask test`; not compiled in the
//! workspace). Needs `SES_CLIENT_MOTO_ENDPOINT`; without it the test prints `SKIPPED: ...`.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use sns_client::RequestId;

const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";
/// moto keeps state per region; no other test uses this one.
const REGION: &str = "eu-north-1";

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
async fn create_topic_publish_list_topics() {
    let Some(endpoint) = endpoint_or_skip("sns smoke create_topic_publish_list_topics") else {
        return;
    };
    let conf = sns_client::Config::builder()
        .region(REGION)
        .endpoint_url(endpoint.trim())
        .credentials(sns_client::Credentials::from_keys("AKIDSNSSMOKE", "secret", None))
        .build();
    let client = sns_client::Client::from_conf(conf);

    // moto pages ListTopics by 100: 101 topics of our own make at least two pages.
    let name = unique("smoke-topic");
    let mut arns = Vec::new();
    for i in 0..101 {
        let out = client
            .create_topic()
            .name(format!("{name}-{i}"))
            .attributes("DisplayName", "smoke")
            .tags(
                sns_client::types::Tag::builder()
                    .key("suite")
                    .value("smoke")
                    .build()
                    .expect("key and value set"),
            )
            .send()
            .await
            .expect("CreateTopic");
        assert!(out.request_id().is_some(), "{out:?}");
        let arn = out.topic_arn.expect("TopicArn");
        assert!(arn.starts_with(&format!("arn:aws:sns:{REGION}:")), "{arn}");
        assert!(arn.ends_with(&format!("{name}-{i}")), "{arn}");
        arns.push(arn);
    }

    let published = client
        .publish()
        .topic_arn(&arns[0])
        .subject("smoke")
        .message("hello from the generated SNS client")
        .message_attributes(
            "origin",
            sns_client::types::MessageAttributeValue::builder()
                .data_type("String")
                .string_value("smoke")
                .build()
                .expect("data type set"),
        )
        .send()
        .await
        .expect("Publish");
    let message_id = published.message_id.expect("MessageId");
    assert!(!message_id.is_empty());

    // Every page, through the generated paginator (it follows NextToken).
    let mut listed = Vec::new();
    let mut pages = 0;
    let mut stream = client.list_topics().into_paginator().send();
    while let Some(page) = stream.next().await {
        let page = page.expect("ListTopics");
        assert!(page.request_id().is_some(), "{page:?}");
        pages += 1;
        listed.extend(
            page.topics
                .unwrap_or_default()
                .into_iter()
                .filter_map(|t| t.topic_arn),
        );
    }
    // The item stream sees the same topics.
    let mut items = client.list_topics().into_paginator().items().send();
    let mut item_count = 0;
    while let Some(topic) = items.next().await {
        topic.expect("ListTopics (items)");
        item_count += 1;
    }
    assert_eq!(item_count, listed.len());
    assert!(pages >= 2, "{pages} page(s) for {} topics", listed.len());
    for arn in &arns {
        assert!(listed.contains(arn), "{arn} not in {listed:?}");
    }
    println!(
        "sns smoke: CreateTopic x101, Publish -> {message_id}, ListTopics -> {} topics in {pages} page(s)",
        listed.len()
    );
}
