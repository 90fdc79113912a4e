//! Smoke test of the generated DynamoDB client (awsJson 1.0) against moto (copied into the
//! generated crate's `tests/` folder by the `generated services` step of `cargo xtask test`; not
//! compiled in the workspace). Needs `SES_CLIENT_MOTO_ENDPOINT`; without it the test prints
//! `SKIPPED: ...`. The longer scenario (every `AttributeValue` variant, paginators, batch and
//! transactional writes, waiters) is `xtask/dropin-json/main.rs`.

use std::collections::HashMap;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use dynamodb_client::RequestId;
use dynamodb_client::error::ProvideErrorMetadata;
use dynamodb_client::operation::describe_table::DescribeTableError;
use dynamodb_client::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};

/// moto keeps state per region; no other test uses this one.
const REGION: &str = "ca-central-1";

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
async fn table_items_query() {
    let Some(endpoint) = endpoint_or_skip("dynamodb smoke table_items_query") else {
        return;
    };
    let conf = dynamodb_client::Config::builder()
        .region(REGION)
        .endpoint_url(endpoint.trim())
        .credentials(dynamodb_client::Credentials::from_keys(
            "AKIDDDBSMOKE",
            "secret",
            None,
        ))
        .build();
    let client = dynamodb_client::Client::from_conf(conf);

    let table = unique("smoke-table");
    let created = client
        .create_table()
        .table_name(&table)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("name and type set"),
        )
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("sk")
                .attribute_type(ScalarAttributeType::N)
                .build()
                .expect("name and type set"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .expect("name and type set"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("sk")
                .key_type(KeyType::Range)
                .build()
                .expect("name and type set"),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .expect("CreateTable");
    assert!(created.request_id().is_some(), "{created:?}");
    assert_eq!(
        created.table_description().and_then(|t| t.table_name()),
        Some(table.as_str())
    );

    // Three items; the second has a map, a list, a number set and a blob.
    for sk in 1..=3 {
        let mut item: HashMap<String, AttributeValue> = HashMap::new();
        item.insert("pk".into(), AttributeValue::S("smoke".into()));
        item.insert("sk".into(), AttributeValue::N(sk.to_string()));
        if sk == 2 {
            item.insert(
                "m".into(),
                AttributeValue::M(HashMap::from([(
                    "inner".to_owned(),
                    AttributeValue::Bool(true),
                )])),
            );
            item.insert(
                "l".into(),
                AttributeValue::L(vec![
                    AttributeValue::S("x".into()),
                    AttributeValue::Null(true),
                ]),
            );
            item.insert("ns".into(), AttributeValue::Ns(vec!["1.5".into()]));
            item.insert(
                "b".into(),
                AttributeValue::B(dynamodb_client::primitives::Blob::new(vec![0u8, 255])),
            );
        }
        client
            .put_item()
            .table_name(&table)
            .set_item(Some(item))
            .send()
            .await
            .expect("PutItem");
    }

    let got = client
        .get_item()
        .table_name(&table)
        .key("pk", AttributeValue::S("smoke".into()))
        .key("sk", AttributeValue::N("2".into()))
        .consistent_read(true)
        .send()
        .await
        .expect("GetItem");
    let item = got.item().expect("Item");
    assert_eq!(
        item.get("m")
            .and_then(|v| v.as_m().ok())
            .and_then(|m| m.get("inner")),
        Some(&AttributeValue::Bool(true)),
        "{item:?}"
    );
    assert_eq!(
        item.get("l").and_then(|v| v.as_l().ok()).map(Vec::len),
        Some(2)
    );
    assert_eq!(
        item.get("ns").and_then(|v| v.as_ns().ok()),
        Some(&vec!["1.5".to_owned()])
    );
    assert_eq!(
        item.get("b")
            .and_then(|v| v.as_b().ok())
            .map(|b| b.as_ref().to_vec()),
        Some(vec![0u8, 255])
    );

    let queried = client
        .query()
        .table_name(&table)
        .key_condition_expression("pk = :pk AND sk >= :min")
        .expression_attribute_values(":pk", AttributeValue::S("smoke".into()))
        .expression_attribute_values(":min", AttributeValue::N("2".into()))
        .scan_index_forward(false)
        .send()
        .await
        .expect("Query");
    let keys: Vec<_> = queried
        .items()
        .iter()
        .filter_map(|i| i.get("sk").and_then(|v| v.as_n().ok()).cloned())
        .collect();
    assert_eq!(keys, vec!["3", "2"], "{queried:?}");
    assert_eq!(queried.count(), 2);

    client
        .delete_table()
        .table_name(&table)
        .send()
        .await
        .expect("DeleteTable");
    let err = client
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .expect_err("DescribeTable of a deleted table");
    assert_eq!(err.code(), Some("ResourceNotFoundException"), "{err}");
    assert!(
        matches!(
            err.into_service_error(),
            DescribeTableError::ResourceNotFoundException(_)
        ),
        "want ResourceNotFoundException"
    );
    println!(
        "dynamodb smoke: CreateTable {table}, PutItem x3, GetItem, Query, DeleteTable, DescribeTable -> ResourceNotFoundException"
    );
}
