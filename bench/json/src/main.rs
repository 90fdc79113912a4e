//! `jsonbench[-anchor] OP once | seq N | conc N C`, OP one of `getitem`, `putitem`, `query`,
//! `send`, against `SESBENCH_ENDPOINT` (bench/json/stub/nginx.conf), with fixed dummy credentials
//! and region. See bench/run-json.sh and BENCHMARKS.md ("awsJson: DynamoDB and SQS").
//!
//! One source, written only against the public API of aws-sdk-dynamodb 1.136.0 and aws-sdk-sqs
//! 1.119.0, built twice: bench/json/anchor (the real crates) and bench/json/ours (this project's
//! generated dynamodb-client and sqs-client, renamed to `aws-sdk-dynamodb` / `aws-sdk-sqs` in the
//! manifest). The binary's name (`CARGO_PKG_NAME`) says which build it is.
//!
//! Every call checks what it got back (the item's attributes, 1,000 query items, the message id
//! and the MD5 of the message body), so a response the client did not fully accept counts as an
//! error, and a run with any error exits non-zero.

#[path = "../../common/harness.rs"]
mod harness;

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

/// The SQS message the program sends. bench/json/stub/gen_bodies.py reads these two constants
/// from this file, checks that the MD5 is the body's, and puts it in the stub's SendMessage answer.
const MESSAGE_BODY: &str = "jsonbench: order 42 shipped to 221B Baker Street, London";
const MESSAGE_BODY_MD5: &str = "54651d96f83f299c755feb04ba70d982";
/// Attributes in the stub's GetItem answer and in the item PutItem sends.
const ITEM_ATTRIBUTES: usize = 10;
/// Items in the stub's Query answer (about 1 MB of JSON).
const QUERY_ITEMS: usize = 1000;
const TABLE: &str = "jsonbench";
const QUEUE_URL: &str = "http://127.0.0.1:18440/000000000000/jsonbench";

const WHO: &str = env!("CARGO_PKG_NAME");

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || -> ! {
        eprintln!("usage: {WHO} getitem|putitem|query|send once | seq N | conc N C");
        std::process::exit(64)
    };
    let op = match args.first().map(String::as_str) {
        Some(op @ ("getitem" | "putitem" | "query" | "send")) => op.to_owned(),
        _ => usage(),
    };
    let mode = harness::parse_mode(&args[1..]);
    harness::runtime().block_on(run(op, mode));
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_owned())
}

/// The item PutItem sends: the same shape as the stub's GetItem answer.
fn item() -> HashMap<String, AttributeValue> {
    let mut address = HashMap::new();
    address.insert("street".to_owned(), s("221B Baker Street"));
    address.insert("city".to_owned(), s("London"));
    address.insert("zip".to_owned(), s("NW1 6XE"));
    let mut item = HashMap::new();
    item.insert("pk".to_owned(), s("user#42"));
    item.insert("sk".to_owned(), s("profile"));
    item.insert("name".to_owned(), s("Sherlock Holmes"));
    item.insert("email".to_owned(), s("sherlock@example.com"));
    item.insert("age".to_owned(), n("60"));
    item.insert("balance".to_owned(), n("1234.56"));
    item.insert("active".to_owned(), AttributeValue::Bool(true));
    item.insert(
        "avatar".to_owned(),
        AttributeValue::B(Blob::new(
            b"\x89PNG\r\n\x1a\n-not-really-an-image-".to_vec(),
        )),
    );
    item.insert("address".to_owned(), AttributeValue::M(address));
    item.insert(
        "tags".to_owned(),
        AttributeValue::L(vec![
            s("detective"),
            s("violin"),
            AttributeValue::Null(true),
        ]),
    );
    debug_assert_eq!(item.len(), ITEM_ATTRIBUTES);
    item
}

fn err<E: std::error::Error>(e: E) -> String {
    DisplayErrorContext(e).to_string()
}

async fn run(op: String, mode: harness::Mode) {
    let endpoint = harness::endpoint();
    let label = format!("{WHO} op={op}");
    match op.as_str() {
        "send" => {
            let conf = aws_sdk_sqs::Config::builder()
                .behavior_version(aws_sdk_sqs::config::BehaviorVersion::latest())
                .region(aws_sdk_sqs::config::Region::new("us-east-1"))
                .credentials_provider(aws_sdk_sqs::config::Credentials::new(
                    "AKIDEXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    None,
                    None,
                    "jsonbench",
                ))
                .endpoint_url(endpoint)
                .build();
            let client = aws_sdk_sqs::Client::from_conf(conf);
            harness::run(&label, mode, move || {
                let client = client.clone();
                async move {
                    let out = client
                        .send_message()
                        .queue_url(QUEUE_URL)
                        .message_body(MESSAGE_BODY)
                        .send()
                        .await
                        .map_err(err)?;
                    match (out.message_id(), out.md5_of_message_body()) {
                        (Some(_), Some(MESSAGE_BODY_MD5)) => Ok(()),
                        other => Err(format!("unexpected SendMessage output: {other:?}")),
                    }
                }
            })
            .await;
        }
        _ => {
            let conf = aws_sdk_dynamodb::Config::builder()
                .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
                .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
                .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
                    "AKIDEXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                    None,
                    None,
                    "jsonbench",
                ))
                .endpoint_url(endpoint)
                .build();
            let client = aws_sdk_dynamodb::Client::from_conf(conf);
            match op.as_str() {
                "getitem" => {
                    harness::run(&label, mode, move || {
                        let client = client.clone();
                        async move {
                            let out = client
                                .get_item()
                                .table_name(TABLE)
                                .key("pk", s("user#42"))
                                .key("sk", s("profile"))
                                .send()
                                .await
                                .map_err(err)?;
                            match out.item() {
                                Some(item) if item.len() == ITEM_ATTRIBUTES => Ok(()),
                                other => Err(format!("unexpected GetItem item: {other:?}")),
                            }
                        }
                    })
                    .await
                }
                "putitem" => {
                    let item = Arc::new(item());
                    harness::run(&label, mode, move || {
                        let client = client.clone();
                        let item = item.clone();
                        async move {
                            client
                                .put_item()
                                .table_name(TABLE)
                                .set_item(Some((*item).clone()))
                                .send()
                                .await
                                .map(|_| ())
                                .map_err(err)
                        }
                    })
                    .await
                }
                _ => {
                    harness::run(&label, mode, move || {
                        let client = client.clone();
                        async move {
                            let out = client
                                .query()
                                .table_name(TABLE)
                                .key_condition_expression("pk = :pk")
                                .expression_attribute_values(":pk", s("tenant#7"))
                                .send()
                                .await
                                .map_err(err)?;
                            if out.items().len() == QUERY_ITEMS
                                && out.count() == QUERY_ITEMS as i32
                                && out
                                    .items()
                                    .iter()
                                    .all(|i| matches!(i.get("profile"), Some(AttributeValue::M(_))))
                            {
                                Ok(())
                            } else {
                                Err(format!(
                                    "unexpected Query output: {} items, count {}",
                                    out.items().len(),
                                    out.count()
                                ))
                            }
                        }
                    })
                    .await
                }
            }
        }
    }
}
