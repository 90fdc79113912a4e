//! Smoke test of the generated SQS client (awsJson 1.0 with awsQueryCompatible error codes)
//! against moto (copied into the generated crate's `tests/` folder by the `generated services`
//! step of `cargo xtask test`; not compiled in the workspace). Needs `SES_CLIENT_MOTO_ENDPOINT`;
//! without it the test prints `SKIPPED: ...`. The longer scenario is `xtask/dropin-json/main.rs`.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use sqs_client::RequestId;
use sqs_client::error::ProvideErrorMetadata;
use sqs_client::operation::get_queue_url::GetQueueUrlError;
use sqs_client::types::{MessageAttributeValue, QueueAttributeName};

/// moto keeps state per region; no other test uses this one.
const REGION: &str = "eu-west-3";

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
async fn queue_send_receive_delete() {
    let Some(endpoint) = endpoint_or_skip("sqs smoke queue_send_receive_delete") else {
        return;
    };
    let conf = sqs_client::Config::builder()
        .region(REGION)
        .endpoint_url(endpoint.trim())
        .credentials(sqs_client::Credentials::from_keys(
            "AKIDSQSSMOKE",
            "secret",
            None,
        ))
        .build();
    let client = sqs_client::Client::from_conf(conf);

    let name = unique("smoke-queue");
    let created = client
        .create_queue()
        .queue_name(&name)
        .attributes(QueueAttributeName::VisibilityTimeout, "30")
        .send()
        .await
        .expect("CreateQueue");
    assert!(created.request_id().is_some(), "{created:?}");
    let url = created.queue_url().expect("QueueUrl").to_owned();
    assert!(url.ends_with(&name), "{url}");

    let attrs = client
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::VisibilityTimeout)
        .send()
        .await
        .expect("GetQueueAttributes");
    assert_eq!(
        attrs
            .attributes()
            .and_then(|a| a.get(&QueueAttributeName::VisibilityTimeout))
            .map(String::as_str),
        Some("30"),
        "{attrs:?}"
    );

    let sent = client
        .send_message()
        .queue_url(&url)
        .message_body("hello from the generated SQS client")
        .message_attributes(
            "origin",
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value("smoke")
                .build()
                .expect("data type set"),
        )
        .send()
        .await
        .expect("SendMessage");
    let message_id = sent.message_id().expect("MessageId").to_owned();
    assert!(sent.md5_of_message_body().is_some(), "{sent:?}");

    // At most 5 polls of 1 s each.
    let mut received = Vec::new();
    for _ in 0..5 {
        let out = client
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .message_attribute_names("All")
            .send()
            .await
            .expect("ReceiveMessage");
        received.extend(out.messages().iter().cloned());
        if !received.is_empty() {
            break;
        }
    }
    let [message] = received.as_slice() else {
        panic!("want one message, got {received:?}");
    };
    assert_eq!(message.message_id(), Some(message_id.as_str()));
    assert_eq!(message.body(), Some("hello from the generated SQS client"));
    assert_eq!(
        message
            .message_attributes()
            .and_then(|a| a.get("origin"))
            .and_then(|v| v.string_value()),
        Some("smoke")
    );
    client
        .delete_message()
        .queue_url(&url)
        .receipt_handle(message.receipt_handle().expect("ReceiptHandle"))
        .send()
        .await
        .expect("DeleteMessage");

    client
        .delete_queue()
        .queue_url(&url)
        .send()
        .await
        .expect("DeleteQueue");
    // A missing queue: the awsQueryCompatible code, and the modeled error.
    let err = client
        .get_queue_url()
        .queue_name(&name)
        .send()
        .await
        .expect_err("GetQueueUrl of a deleted queue");
    assert_eq!(
        err.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
        "{err}"
    );
    assert!(
        matches!(
            err.into_service_error(),
            GetQueueUrlError::QueueDoesNotExist(_)
        ),
        "want QueueDoesNotExist"
    );
    println!(
        "sqs smoke: CreateQueue {url}, SendMessage -> {message_id}, ReceiveMessage, DeleteMessage, DeleteQueue, GetQueueUrl -> QueueDoesNotExist"
    );
}
