//! A program written purely against the public API of aws-sdk-dynamodb 1.136.0, aws-sdk-sqs
//! 1.119.0, aws-sdk-kms 1.129.0, aws-sdk-cloudwatchlogs 1.162.0 and aws-config 1.13.0, as an
//! application would use them: one `SdkConfig` for four JSON-protocol clients; DynamoDB tables,
//! items with every `AttributeValue` variant, conditions, both paginator forms, batch and
//! transactional writes and the table waiters; an SQS queue's message life cycle; a KMS key's
//! encrypt / decrypt / data key; CloudWatch Logs events. `check-against-aws-sdk.sh` (next to this
//! file) builds it against the real crates and runs it against moto; the same source is meant to
//! compile against this project's generated crates with only the dependencies renamed.
//!
//! Needs `SES_CLIENT_MOTO_ENDPOINT` (a moto server; the same variable as the SES drop-in program);
//! prints `SKIPPED: ...` and exits 0 without it. Every check prints its number; a failed check or
//! an unexpected error ends the program with a message and exit status 1. Only what the real
//! crates report against moto 5.2.5 is asserted; comments say where that is moto's behaviour.

use std::collections::HashMap;
use std::fmt::Display;
use std::panic::Location;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_dynamodb::operation::describe_table::DescribeTableError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Delete, DeleteRequest,
    GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType, Put, PutRequest,
    ReturnValue, ScalarAttributeType, TableStatus, TransactWriteItem, Update, WriteRequest,
};
use aws_sdk_sqs::operation::get_queue_url::GetQueueUrlError;
use aws_sdk_sqs::types::{
    DeleteMessageBatchRequestEntry, MessageAttributeValue, QueueAttributeName,
    SendMessageBatchRequestEntry,
};

type Item = HashMap<String, AttributeValue>;

static PASSED: AtomicUsize = AtomicUsize::new(0);

/// Why the program stops: a failed check, or any error met through `?` (with where it happened).
struct Failure(String);

impl<E: std::error::Error> From<E> for Failure {
    #[track_caller]
    fn from(err: E) -> Self {
        Failure(format!(
            "{}: {}",
            Location::caller(),
            DisplayErrorContext(&err)
        ))
    }
}

fn failure(line: u32, what: impl Display) -> Failure {
    Failure(format!("{}:{line}: {what}", file!()))
}

/// Counts a passed check and prints it with its number.
fn passed(line: u32, what: &str) {
    let n = PASSED.fetch_add(1, Ordering::Relaxed) + 1;
    let what = what.split_whitespace().collect::<Vec<_>>().join(" ");
    println!("  ok {n:3} (line {line}): {what}");
}

/// `check!(condition)`: counts a passed check, or stops with the condition's text.
macro_rules! check {
    ($cond:expr) => {
        if $cond {
            passed(line!(), stringify!($cond));
        } else {
            return Err(failure(
                line!(),
                concat!("check failed: ", stringify!($cond)),
            ));
        }
    };
}

/// `check_eq!(got, want)`: like `check!(got == want)`, showing both values when they differ.
macro_rules! check_eq {
    ($got:expr, $want:expr) => {
        match (&$got, &$want) {
            (got, want) if got == want => {
                passed(
                    line!(),
                    concat!(stringify!($got), " == ", stringify!($want)),
                );
            }
            (got, want) => {
                let what = stringify!($got);
                return Err(failure(
                    line!(),
                    format!("{what}: got {got:?}, want {want:?}"),
                ));
            }
        }
    };
}

/// `unexpected!(what, value)`: stops on a result of the wrong shape.
macro_rules! unexpected {
    ($what:expr, $value:expr) => {
        return Err(failure(line!(), format!("{}: got {:?}", $what, $value)))
    };
}

#[tokio::main]
async fn main() {
    let endpoint = std::env::var("SES_CLIENT_MOTO_ENDPOINT").unwrap_or_default();
    if endpoint.is_empty() {
        eprintln!("SKIPPED: dropin-json: SES_CLIENT_MOTO_ENDPOINT not set");
        return;
    }
    let result = run(&endpoint).await;
    let passed = PASSED.load(Ordering::Relaxed);
    match result {
        Ok(()) => println!("dropin-json: {passed} checks passed"),
        Err(Failure(msg)) => {
            eprintln!("dropin-json: FAILED after {passed} passed checks: {msg}");
            std::process::exit(1);
        }
    }
}

async fn run(endpoint: &str) -> Result<(), Failure> {
    let millis = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let tag = format!("{}-{millis}", std::process::id());

    let sdk_config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new(
            "AKID",
            "SECRET",
            None,
            None,
            "dropin-json",
        ))
        .load()
        .await;

    println!("-- DynamoDB");
    dynamodb(&aws_sdk_dynamodb::Client::new(&sdk_config), &tag).await?;
    println!("-- SQS");
    sqs(&aws_sdk_sqs::Client::new(&sdk_config), &tag).await?;
    println!("-- KMS");
    // The other way to a client: a service `Config` built from the shared `SdkConfig`.
    let kms_config = aws_sdk_kms::config::Builder::from(&sdk_config).build();
    kms(&aws_sdk_kms::Client::from_conf(kms_config)).await?;
    println!("-- CloudWatch Logs");
    logs(&aws_sdk_cloudwatchlogs::Client::new(&sdk_config), &tag).await?;
    Ok(())
}

// ==================================================================== DynamoDB

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

/// The same value with every set (SS, NS, BS) sorted: DynamoDB sets have no order.
fn normalized(value: &AttributeValue) -> AttributeValue {
    match value {
        AttributeValue::Ss(v) => {
            let mut v = v.clone();
            v.sort();
            AttributeValue::Ss(v)
        }
        AttributeValue::Ns(v) => {
            let mut v = v.clone();
            v.sort();
            AttributeValue::Ns(v)
        }
        AttributeValue::Bs(v) => {
            let mut v = v.clone();
            v.sort_by(|a, b| a.as_ref().cmp(b.as_ref()));
            AttributeValue::Bs(v)
        }
        AttributeValue::M(m) => AttributeValue::M(normalized_item(m)),
        AttributeValue::L(l) => AttributeValue::L(l.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

fn normalized_item(item: &Item) -> Item {
    item.iter()
        .map(|(k, v)| (k.clone(), normalized(v)))
        .collect()
}

/// The items' `sk` numbers, in order.
fn sort_keys(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| i.get("sk").and_then(|v| v.as_n().ok()).cloned())
        .collect()
}

async fn dynamodb(client: &aws_sdk_dynamodb::Client, tag: &str) -> Result<(), Failure> {
    let table = format!("dropin-json-{tag}");

    // ---------------------------------------------------------------- the table
    let created = client
        .create_table()
        .table_name(&table)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("sk")
                .attribute_type(ScalarAttributeType::N)
                .build()?,
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("owner")
                .attribute_type(ScalarAttributeType::S)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()?,
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("sk")
                .key_type(KeyType::Range)
                .build()?,
        )
        .global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name("by-owner")
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name("owner")
                        .key_type(KeyType::Hash)
                        .build()?,
                )
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()?,
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await?;
    let description = created.table_description();
    check_eq!(
        description.and_then(|t| t.table_name()),
        Some(table.as_str())
    );

    let final_poll = client
        .wait_until_table_exists()
        .table_name(&table)
        .wait(Duration::from_secs(30))
        .await?;
    let described = final_poll.into_result()?;
    check_eq!(
        described.table().and_then(|t| t.table_status()),
        Some(&TableStatus::Active)
    );

    // ---------------------------------------------------------------- one item, every variant
    let blob = Blob::new(vec![0u8, 1, 2, 254, 255]);
    let mut inner = Item::new();
    inner.insert("name".to_owned(), s("inner"));
    inner.insert("depth".to_owned(), n(2));
    let full: Item = [
        ("pk", s("user#1")),
        ("sk", n(1)),
        ("owner", s("alice")),
        ("s", s("hello, dynamo")),
        ("n", AttributeValue::N("42.5".to_owned())),
        ("b", AttributeValue::B(blob.clone())),
        (
            "ss",
            AttributeValue::Ss(vec!["red".to_owned(), "green".to_owned()]),
        ),
        (
            "ns",
            AttributeValue::Ns(vec!["1".to_owned(), "2.5".to_owned(), "-3".to_owned()]),
        ),
        (
            "bs",
            AttributeValue::Bs(vec![Blob::new(vec![1u8]), Blob::new(vec![2u8, 3])]),
        ),
        ("m", AttributeValue::M(inner.clone())),
        (
            "l",
            AttributeValue::L(vec![
                s("first"),
                n(2),
                AttributeValue::Bool(true),
                AttributeValue::Null(true),
                AttributeValue::L(vec![s("nested")]),
            ]),
        ),
        ("null", AttributeValue::Null(true)),
        ("bool", AttributeValue::Bool(false)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();

    client
        .put_item()
        .table_name(&table)
        .set_item(Some(full.clone()))
        .send()
        .await?;
    let got = client
        .get_item()
        .table_name(&table)
        .key("pk", s("user#1"))
        .key("sk", n(1))
        .consistent_read(true)
        .send()
        .await?;
    let Some(item) = got.item() else {
        unexpected!("get_item of the full item", got);
    };
    check_eq!(normalized_item(item), normalized_item(&full));
    // Each variant through its accessor.
    check_eq!(
        item.get("s")
            .and_then(|v| v.as_s().ok())
            .map(String::as_str),
        Some("hello, dynamo")
    );
    check_eq!(
        item.get("n")
            .and_then(|v| v.as_n().ok())
            .map(String::as_str),
        Some("42.5")
    );
    check_eq!(item.get("b").and_then(|v| v.as_b().ok()), Some(&blob));
    check_eq!(
        item.get("ss").and_then(|v| v.as_ss().ok()).map(Vec::len),
        Some(2)
    );
    check_eq!(
        item.get("ns").and_then(|v| v.as_ns().ok()).map(Vec::len),
        Some(3)
    );
    check_eq!(
        item.get("bs").and_then(|v| v.as_bs().ok()).map(Vec::len),
        Some(2)
    );
    check_eq!(item.get("m").and_then(|v| v.as_m().ok()), Some(&inner));
    check_eq!(
        item.get("l").and_then(|v| v.as_l().ok()).map(Vec::len),
        Some(5)
    );
    check_eq!(item.get("null").and_then(|v| v.as_null().ok()), Some(&true));
    check_eq!(
        item.get("bool").and_then(|v| v.as_bool().ok()),
        Some(&false)
    );
    check!(
        item.get("bool")
            .is_some_and(|v| v.is_bool() && !v.is_null())
    );

    // A projection: only two attributes.
    let projected = client
        .get_item()
        .table_name(&table)
        .key("pk", s("user#1"))
        .key("sk", n(1))
        .projection_expression("#s, m.#name")
        .expression_attribute_names("#s", "s")
        .expression_attribute_names("#name", "name")
        .send()
        .await?;
    let keys = projected.item().map(|i| {
        let mut k: Vec<_> = i.keys().cloned().collect();
        k.sort();
        k
    });
    check_eq!(keys, Some(vec!["m".to_owned(), "s".to_owned()]));

    // A conditional put that fails: the item exists.
    let result = client
        .put_item()
        .table_name(&table)
        .set_item(Some(full.clone()))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await;
    match result {
        Err(err) => {
            check_eq!(err.code(), Some("ConditionalCheckFailedException"));
            match err.into_service_error() {
                PutItemError::ConditionalCheckFailedException(e) => {
                    check!(e.message().is_some());
                }
                other => unexpected!("want ConditionalCheckFailedException", other),
            }
        }
        Ok(out) => unexpected!("a conditional put over an existing item succeeded", out),
    }

    // Update: SET, arithmetic, ADD to a set, REMOVE; the new image comes back.
    let updated = client
        .update_item()
        .table_name(&table)
        .key("pk", s("user#1"))
        .key("sk", n(1))
        .update_expression("SET #s = :s, #n = #n + :inc ADD #ss :more REMOVE #null")
        .condition_expression("#bool = :false")
        .expression_attribute_names("#s", "s")
        .expression_attribute_names("#n", "n")
        .expression_attribute_names("#ss", "ss")
        .expression_attribute_names("#null", "null")
        .expression_attribute_names("#bool", "bool")
        .expression_attribute_values(":s", s("updated"))
        .expression_attribute_values(":inc", n(1))
        .expression_attribute_values(":more", AttributeValue::Ss(vec!["blue".to_owned()]))
        .expression_attribute_values(":false", AttributeValue::Bool(false))
        .return_values(ReturnValue::AllNew)
        .send()
        .await?;
    let Some(new) = updated.attributes() else {
        unexpected!("update_item with ALL_NEW", updated);
    };
    check_eq!(new.get("s"), Some(&s("updated")));
    check_eq!(
        new.get("n").and_then(|v| v.as_n().ok()).map(String::as_str),
        Some("43.5")
    );
    check_eq!(
        new.get("ss").map(normalized),
        Some(AttributeValue::Ss(vec![
            "blue".to_owned(),
            "green".to_owned(),
            "red".to_owned()
        ]))
    );
    check!(!new.contains_key("null"));

    // Delete with the old image back, then the item is gone.
    let deleted = client
        .delete_item()
        .table_name(&table)
        .key("pk", s("user#1"))
        .key("sk", n(1))
        .return_values(ReturnValue::AllOld)
        .send()
        .await?;
    check_eq!(
        deleted.attributes().and_then(|a| a.get("s")),
        Some(&s("updated"))
    );
    let gone = client
        .get_item()
        .table_name(&table)
        .key("pk", s("user#1"))
        .key("sk", n(1))
        .send()
        .await?;
    check!(gone.item().is_none());

    // ---------------------------------------------------------------- batch write
    // Seven items under one partition key; the odd ones belong to bob (the index's key).
    let writes = (1..=7)
        .map(|i| {
            let owner = if i % 2 == 1 { "bob" } else { "carol" };
            let item: Item = [
                ("pk".to_owned(), s("batch")),
                ("sk".to_owned(), n(i)),
                ("owner".to_owned(), s(owner)),
                ("payload".to_owned(), s(&format!("item {i}"))),
            ]
            .into_iter()
            .collect();
            let put = PutRequest::builder().set_item(Some(item)).build()?;
            Ok(WriteRequest::builder().put_request(put).build())
        })
        .collect::<Result<Vec<_>, aws_sdk_dynamodb::error::BuildError>>()?;
    let batch = client
        .batch_write_item()
        .request_items(&table, writes)
        .send()
        .await?;
    check!(batch.unprocessed_items().is_none_or(|u| u.is_empty()));

    // ---------------------------------------------------------------- query, both paginator forms
    let query = client
        .query()
        .table_name(&table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", s("batch"))
        .limit(2);
    let mut pages = query.clone().into_paginator().send();
    let (mut page_count, mut largest, mut paged) = (0, 0, Vec::new());
    while let Some(page) = pages.next().await {
        let page = page?;
        page_count += 1;
        largest = largest.max(page.count());
        paged.extend(page.items().iter().cloned());
    }
    check!(page_count >= 4);
    check_eq!(largest, 2);
    let all: Vec<String> = (1..=7).map(|i| i.to_string()).collect();
    check_eq!(sort_keys(&paged), all);
    let items = query.into_paginator().items().send();
    let items = items.collect::<Result<Vec<_>, _>>().await?;
    check_eq!(items, paged);

    // On the index, one item a page; then a range condition, highest sort key first.
    let by_owner = client
        .query()
        .table_name(&table)
        .index_name("by-owner")
        .key_condition_expression("#o = :o")
        .expression_attribute_names("#o", "owner")
        .expression_attribute_values(":o", s("bob"))
        .limit(1)
        .into_paginator()
        .items()
        .send();
    let mut bobs = sort_keys(&by_owner.collect::<Result<Vec<_>, _>>().await?);
    bobs.sort();
    check_eq!(bobs, vec!["1", "3", "5", "7"]);
    let descending = client
        .query()
        .table_name(&table)
        .key_condition_expression("pk = :pk AND sk > :min")
        .expression_attribute_values(":pk", s("batch"))
        .expression_attribute_values(":min", n(4))
        .scan_index_forward(false)
        .send()
        .await?;
    check_eq!(sort_keys(descending.items()), vec!["7", "6", "5"]);
    check_eq!(descending.count(), 3);

    // ---------------------------------------------------------------- scan, both paginator forms
    let scan = client.scan().table_name(&table).limit(3);
    let mut pages = scan.clone().into_paginator().send();
    let (mut page_count, mut scanned) = (0, Vec::new());
    while let Some(page) = pages.next().await {
        let page = page?;
        page_count += 1;
        scanned.extend(page.items().iter().cloned());
    }
    check!(page_count >= 3);
    let mut keys = sort_keys(&scanned);
    keys.sort();
    check_eq!(keys, all);
    let items = scan.into_paginator().items().send();
    let items = items.collect::<Result<Vec<_>, _>>().await?;
    check_eq!(items.len(), 7);
    let filtered = client
        .scan()
        .table_name(&table)
        .filter_expression("#o = :o")
        .expression_attribute_names("#o", "owner")
        .expression_attribute_values(":o", s("carol"))
        .send()
        .await?;
    check_eq!(filtered.count(), 3);

    // ---------------------------------------------------------------- transactions
    let key = |sk: i64| -> Item {
        [("pk".to_owned(), s("batch")), ("sk".to_owned(), n(sk))]
            .into_iter()
            .collect()
    };
    let tx_item: Item = [
        ("pk".to_owned(), s("tx")),
        ("sk".to_owned(), n(1)),
        ("owner".to_owned(), s("dave")),
    ]
    .into_iter()
    .collect();
    client
        .transact_write_items()
        .transact_items(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&table)
                        .set_item(Some(tx_item))
                        .condition_expression("attribute_not_exists(pk)")
                        .build()?,
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .update(
                    Update::builder()
                        .table_name(&table)
                        .set_key(Some(key(1)))
                        .update_expression("SET note = :note")
                        .expression_attribute_values(":note", s("touched"))
                        .build()?,
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name(&table)
                        .set_key(Some(key(2)))
                        .build()?,
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .condition_check(
                    ConditionCheck::builder()
                        .table_name(&table)
                        .set_key(Some(key(3)))
                        .condition_expression("attribute_exists(pk)")
                        .build()?,
                )
                .build(),
        )
        .send()
        .await?;
    let tx = client
        .get_item()
        .table_name(&table)
        .key("pk", s("tx"))
        .key("sk", n(1))
        .send()
        .await?;
    check_eq!(tx.item().and_then(|i| i.get("owner")), Some(&s("dave")));
    let touched = client
        .get_item()
        .table_name(&table)
        .set_key(Some(key(1)))
        .send()
        .await?;
    check_eq!(
        touched.item().and_then(|i| i.get("note")),
        Some(&s("touched"))
    );
    let removed = client
        .get_item()
        .table_name(&table)
        .set_key(Some(key(2)))
        .send()
        .await?;
    check!(removed.item().is_none());
    // A transaction whose condition fails: nothing of it is written.
    let result = client
        .transact_write_items()
        .transact_items(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&table)
                        .set_item(Some(key(100)))
                        .build()?,
                )
                .build(),
        )
        .transact_items(
            TransactWriteItem::builder()
                .condition_check(
                    ConditionCheck::builder()
                        .table_name(&table)
                        .set_key(Some(key(3)))
                        .condition_expression("attribute_not_exists(pk)")
                        .build()?,
                )
                .build(),
        )
        .send()
        .await;
    match result.map_err(|e| e.into_service_error()) {
        Err(TransactWriteItemsError::TransactionCanceledException(e)) => {
            check!(e.message().is_some());
        }
        other => unexpected!(
            "a failing transaction, want TransactionCanceledException",
            other
        ),
    }
    let not_written = client
        .get_item()
        .table_name(&table)
        .set_key(Some(key(100)))
        .send()
        .await?;
    check!(not_written.item().is_none());

    // A batch delete of the rest.
    let deletes = [1, 3, 4, 5, 6, 7]
        .into_iter()
        .map(|sk| {
            let delete = DeleteRequest::builder().set_key(Some(key(sk))).build()?;
            Ok(WriteRequest::builder().delete_request(delete).build())
        })
        .collect::<Result<Vec<_>, aws_sdk_dynamodb::error::BuildError>>()?;
    let batch = client
        .batch_write_item()
        .request_items(&table, deletes)
        .send()
        .await?;
    check!(batch.unprocessed_items().is_none_or(|u| u.is_empty()));
    let left = client.scan().table_name(&table).send().await?;
    check_eq!(left.count(), 1);

    // ---------------------------------------------------------------- describe, delete
    let described = client.describe_table().table_name(&table).send().await?;
    let Some(t) = described.table() else {
        unexpected!("describe_table", described);
    };
    check_eq!(t.table_name(), Some(table.as_str()));
    check_eq!(t.key_schema().len(), 2);
    check!(
        t.key_schema()
            .iter()
            .any(|k| k.attribute_name() == "sk" && k.key_type() == &KeyType::Range)
    );
    check_eq!(t.attribute_definitions().len(), 3);
    let indexes: Vec<_> = t
        .global_secondary_indexes()
        .iter()
        .filter_map(|i| i.index_name())
        .collect();
    check_eq!(indexes, vec!["by-owner"]);
    check!(t.table_arn().is_some_and(|arn| arn.ends_with(&table)));

    client.delete_table().table_name(&table).send().await?;
    client
        .wait_until_table_not_exists()
        .table_name(&table)
        .wait(Duration::from_secs(30))
        .await?;
    match client.describe_table().table_name(&table).send().await {
        Err(err) => {
            check_eq!(err.code(), Some("ResourceNotFoundException"));
            check!(matches!(
                err.into_service_error(),
                DescribeTableError::ResourceNotFoundException(_)
            ));
        }
        Ok(out) => unexpected!("describe_table of a deleted table", out),
    }
    Ok(())
}

// ==================================================================== SQS

async fn sqs(client: &aws_sdk_sqs::Client, tag: &str) -> Result<(), Failure> {
    use aws_sdk_sqs::error::ProvideErrorMetadata;
    use aws_sdk_sqs::primitives::Blob;

    let name = format!("dropin-json-{tag}");
    let created = client
        .create_queue()
        .queue_name(&name)
        .attributes(QueueAttributeName::VisibilityTimeout, "30")
        .attributes(QueueAttributeName::MessageRetentionPeriod, "3600")
        .attributes(QueueAttributeName::DelaySeconds, "0")
        .send()
        .await?;
    let Some(url) = created.queue_url().map(str::to_owned) else {
        unexpected!("create_queue", created);
    };
    check!(url.ends_with(&name));
    let got = client.get_queue_url().queue_name(&name).send().await?;
    check_eq!(got.queue_url(), Some(url.as_str()));
    let attrs = client
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await?;
    let attrs = attrs.attributes();
    check_eq!(
        attrs
            .and_then(|a| a.get(&QueueAttributeName::VisibilityTimeout))
            .map(String::as_str),
        Some("30")
    );
    check_eq!(
        attrs
            .and_then(|a| a.get(&QueueAttributeName::MessageRetentionPeriod))
            .map(String::as_str),
        Some("3600")
    );

    // ---------------------------------------------------------------- send
    let sent = client
        .send_message()
        .queue_url(&url)
        .message_body("hello, queue")
        .message_attributes(
            "color",
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value("blue")
                .build()?,
        )
        .message_attributes(
            "count",
            MessageAttributeValue::builder()
                .data_type("Number")
                .string_value("3")
                .build()?,
        )
        .message_attributes(
            "raw",
            MessageAttributeValue::builder()
                .data_type("Binary")
                .binary_value(Blob::new(vec![9u8, 8, 7]))
                .build()?,
        )
        .send()
        .await?;
    check!(sent.message_id().is_some_and(|id| !id.is_empty()));
    check!(sent.md5_of_message_body().is_some());
    check!(sent.md5_of_message_attributes().is_some());

    let entries = (1..=3)
        .map(|i| {
            SendMessageBatchRequestEntry::builder()
                .id(format!("m{i}"))
                .message_body(format!("batch {i}"))
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let batch = client
        .send_message_batch()
        .queue_url(&url)
        .set_entries(Some(entries))
        .send()
        .await?;
    check_eq!(batch.successful().len(), 3);
    check!(batch.failed().is_empty());
    let mut ids: Vec<_> = batch.successful().iter().map(|e| e.id()).collect();
    ids.sort();
    check_eq!(ids, vec!["m1", "m2", "m3"]);

    // ---------------------------------------------------------------- receive (long polling)
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
            .await?;
        received.extend(out.messages().iter().cloned());
        if received.len() >= 4 {
            break;
        }
    }
    let mut bodies: Vec<_> = received.iter().filter_map(|m| m.body()).collect();
    bodies.sort();
    check_eq!(
        bodies,
        vec!["batch 1", "batch 2", "batch 3", "hello, queue"]
    );
    let Some(hello) = received.iter().find(|m| m.body() == Some("hello, queue")) else {
        unexpected!("the first message", received);
    };
    let attributes = hello.message_attributes();
    let color = attributes.and_then(|a| a.get("color"));
    check_eq!(color.and_then(|v| v.string_value()), Some("blue"));
    check_eq!(color.map(|v| v.data_type()), Some("String"));
    let count = attributes.and_then(|a| a.get("count"));
    check_eq!(count.map(|v| v.data_type()), Some("Number"));
    check_eq!(count.and_then(|v| v.string_value()), Some("3"));
    let raw = attributes.and_then(|a| a.get("raw"));
    check_eq!(
        raw.and_then(|v| v.binary_value())
            .map(|b| b.as_ref().to_vec()),
        Some(vec![9u8, 8, 7])
    );
    check_eq!(hello.message_id(), sent.message_id());
    check!(received.iter().all(|m| m.receipt_handle().is_some()));

    // Everything is in flight (visibility 30 s): nothing more to receive.
    let out = client
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(1)
        .send()
        .await?;
    check!(out.messages().is_empty());

    // Visible again at once: the hello message comes back, with a new receipt handle.
    client
        .change_message_visibility()
        .queue_url(&url)
        .receipt_handle(hello.receipt_handle().unwrap_or_default())
        .visibility_timeout(0)
        .send()
        .await?;
    let mut again = None;
    for _ in 0..5 {
        let out = client
            .receive_message()
            .queue_url(&url)
            .max_number_of_messages(1)
            .wait_time_seconds(1)
            .send()
            .await?;
        if let Some(m) = out.messages().first() {
            again = Some(m.clone());
            break;
        }
    }
    let Some(again) = again else {
        unexpected!("the message made visible again", "nothing after 5 polls");
    };
    check_eq!(again.body(), Some("hello, queue"));

    // ---------------------------------------------------------------- delete in a batch
    let mut handles: Vec<_> = received
        .iter()
        .filter(|m| m.body() != Some("hello, queue"))
        .filter_map(|m| m.receipt_handle())
        .collect();
    handles.extend(again.receipt_handle());
    let entries = handles
        .iter()
        .enumerate()
        .map(|(i, handle)| {
            DeleteMessageBatchRequestEntry::builder()
                .id(format!("d{i}"))
                .receipt_handle(*handle)
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let deleted = client
        .delete_message_batch()
        .queue_url(&url)
        .set_entries(Some(entries))
        .send()
        .await?;
    check_eq!(deleted.successful().len(), 4);
    check!(deleted.failed().is_empty());

    // ---------------------------------------------------------------- purge
    client
        .send_message()
        .queue_url(&url)
        .message_body("to be purged")
        .send()
        .await?;
    client.purge_queue().queue_url(&url).send().await?;
    let out = client
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(1)
        .send()
        .await?;
    check!(out.messages().is_empty());

    // ---------------------------------------------------------------- a missing queue
    let missing = format!("missing-{tag}");
    match client.get_queue_url().queue_name(&missing).send().await {
        Err(err) => {
            println!("  get_queue_url({missing}): code {:?}", err.code());
            check_eq!(err.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
            let svc = err.into_service_error();
            check!(svc.is_queue_does_not_exist());
            check!(matches!(svc, GetQueueUrlError::QueueDoesNotExist(_)));
            check_eq!(svc.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        }
        Ok(out) => unexpected!("get_queue_url of a missing queue", out),
    }

    client.delete_queue().queue_url(&url).send().await?;
    match client.get_queue_url().queue_name(&name).send().await {
        Err(err) => check!(matches!(
            err.into_service_error(),
            GetQueueUrlError::QueueDoesNotExist(_)
        )),
        Ok(out) => unexpected!("get_queue_url of a deleted queue", out),
    }
    Ok(())
}

// ==================================================================== KMS

async fn kms(client: &aws_sdk_kms::Client) -> Result<(), Failure> {
    use aws_sdk_kms::primitives::Blob;
    use aws_sdk_kms::types::{DataKeySpec, KeySpec, KeyState, KeyUsageType};

    let created = client
        .create_key()
        .description("dropin-json key")
        .key_usage(KeyUsageType::EncryptDecrypt)
        .key_spec(KeySpec::SymmetricDefault)
        .send()
        .await?;
    let Some(meta) = created.key_metadata() else {
        unexpected!("create_key", created);
    };
    let key_id = meta.key_id().to_owned();
    check!(!key_id.is_empty());
    check!(meta.enabled());
    check_eq!(meta.key_state(), Some(&KeyState::Enabled));
    check_eq!(meta.description(), Some("dropin-json key"));
    check!(meta.arn().is_some_and(|arn| arn.ends_with(&key_id)));

    let plaintext = b"the drop-in secret".to_vec();
    let encrypted = client
        .encrypt()
        .key_id(&key_id)
        .plaintext(Blob::new(plaintext.clone()))
        .encryption_context("purpose", "dropin")
        .send()
        .await?;
    let Some(ciphertext) = encrypted.ciphertext_blob() else {
        unexpected!("encrypt", encrypted);
    };
    check!(ciphertext.as_ref() != plaintext.as_slice());
    check!(encrypted.key_id().is_some_and(|k| k.ends_with(&key_id)));
    let decrypted = client
        .decrypt()
        .ciphertext_blob(ciphertext.clone())
        .encryption_context("purpose", "dropin")
        .send()
        .await?;
    check_eq!(
        decrypted.plaintext().map(|b| b.as_ref()),
        Some(plaintext.as_slice())
    );
    check!(decrypted.key_id().is_some_and(|k| k.ends_with(&key_id)));

    let data_key = client
        .generate_data_key()
        .key_id(&key_id)
        .key_spec(DataKeySpec::Aes256)
        .send()
        .await?;
    let (Some(key_plain), Some(key_cipher)) = (data_key.plaintext(), data_key.ciphertext_blob())
    else {
        unexpected!("generate_data_key", data_key);
    };
    check_eq!(key_plain.as_ref().len(), 32);
    let unwrapped = client
        .decrypt()
        .ciphertext_blob(key_cipher.clone())
        .send()
        .await?;
    check_eq!(unwrapped.plaintext(), Some(key_plain));

    let scheduled = client
        .schedule_key_deletion()
        .key_id(&key_id)
        .pending_window_in_days(7)
        .send()
        .await?;
    check!(scheduled.deletion_date().is_some());
    Ok(())
}

// ==================================================================== CloudWatch Logs

async fn logs(client: &aws_sdk_cloudwatchlogs::Client, tag: &str) -> Result<(), Failure> {
    use aws_sdk_cloudwatchlogs::types::InputLogEvent;

    let group = format!("/dropin-json/{tag}");
    let stream = "stream-1";
    client
        .create_log_group()
        .log_group_name(&group)
        .send()
        .await?;
    client
        .create_log_stream()
        .log_group_name(&group)
        .log_stream_name(stream)
        .send()
        .await?;
    let groups = client
        .describe_log_groups()
        .log_group_name_prefix(&group)
        .send()
        .await?;
    let names: Vec<_> = groups
        .log_groups()
        .iter()
        .filter_map(|g| g.log_group_name())
        .collect();
    check_eq!(names, vec![group.as_str()]);

    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis())?;
    client
        .put_log_events()
        .log_group_name(&group)
        .log_stream_name(stream)
        .log_events(
            InputLogEvent::builder()
                .timestamp(now)
                .message("first event: alpha")
                .build()?,
        )
        .log_events(
            InputLogEvent::builder()
                .timestamp(now + 1)
                .message("second event: beta")
                .build()?,
        )
        .send()
        .await?;

    let got = client
        .get_log_events()
        .log_group_name(&group)
        .log_stream_name(stream)
        .start_from_head(true)
        .send()
        .await?;
    let messages: Vec<_> = got.events().iter().filter_map(|e| e.message()).collect();
    check_eq!(messages, vec!["first event: alpha", "second event: beta"]);
    let stamps: Vec<_> = got.events().iter().filter_map(|e| e.timestamp()).collect();
    check_eq!(stamps, vec![now, now + 1]);

    let found = client
        .filter_log_events()
        .log_group_name(&group)
        .filter_pattern("beta")
        .send()
        .await?;
    check_eq!(found.events().len(), 1);
    let event = found.events().first();
    check_eq!(event.and_then(|e| e.message()), Some("second event: beta"));
    check_eq!(event.and_then(|e| e.log_stream_name()), Some(stream));
    check_eq!(event.and_then(|e| e.timestamp()), Some(now + 1));

    client
        .delete_log_group()
        .log_group_name(&group)
        .send()
        .await?;
    let groups = client
        .describe_log_groups()
        .log_group_name_prefix(&group)
        .send()
        .await?;
    check!(groups.log_groups().is_empty());
    Ok(())
}
