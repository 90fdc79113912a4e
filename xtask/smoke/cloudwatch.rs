//! Smoke test of the generated CloudWatch client against moto (copied into the generated crate's
//! `tests/` folder by the `generated services` step of `cargo xtask test`; not compiled in the
//! workspace). Needs `SES_CLIENT_MOTO_ENDPOINT`; without it the test prints `SKIPPED: ...`.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use cloudwatch_client::RequestId;
use cloudwatch_client::primitives::DateTime;
use cloudwatch_client::types::{Dimension, DimensionFilter, MetricDatum, StandardUnit, Statistic};

const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";
/// moto keeps state per region; no other test uses this one.
const REGION: &str = "ap-southeast-2";

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
async fn put_metric_data_then_list_and_statistics() {
    let Some(endpoint) = endpoint_or_skip("cloudwatch smoke put_metric_data") else {
        return;
    };
    let conf = cloudwatch_client::Config::builder()
        .region(REGION)
        .endpoint_url(endpoint.trim())
        .credentials(cloudwatch_client::Credentials::from_keys(
            "AKIDCWSMOKE",
            "secret",
            None,
        ))
        .build();
    let client = cloudwatch_client::Client::from_conf(conf);

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    let namespace = format!("Smoke/{}/{now}", std::process::id());
    let dimension = Dimension::builder().name("Host").value("smoke-1").build();
    let mut put = client.put_metric_data().namespace(&namespace);
    for (i, value) in [1.5, 2.5, 4.0].into_iter().enumerate() {
        put = put.metric_data(
            MetricDatum::builder()
                .metric_name("Requests")
                .dimensions(dimension.clone())
                .timestamp(DateTime::from_secs(
                    now - 60 + i64::try_from(i).unwrap_or(0),
                ))
                .value(value)
                .unit(StandardUnit::Count)
                .build(),
        );
    }
    let out = put.send().await.expect("PutMetricData");
    assert!(out.request_id().is_some(), "{out:?}");

    // A body past the 10 KiB default threshold of `@requestCompression`: sent gzipped.
    let mut big = client.put_metric_data().namespace(&namespace);
    for i in 0..200 {
        big = big.metric_data(
            MetricDatum::builder()
                .metric_name("Bulk")
                .dimensions(
                    Dimension::builder()
                        .name("Shard")
                        .value(format!("shard-{i:03}"))
                        .build(),
                )
                .timestamp(DateTime::from_secs(now - 30))
                .value(f64::from(i))
                .unit(StandardUnit::Milliseconds)
                .build(),
        );
    }
    big.send().await.expect("PutMetricData (compressed)");
    let bulk = client
        .list_metrics()
        .namespace(&namespace)
        .metric_name("Bulk")
        .send()
        .await
        .expect("ListMetrics (Bulk)");
    assert_eq!(bulk.metrics.unwrap_or_default().len(), 200);

    let listed = client
        .list_metrics()
        .namespace(&namespace)
        .dimensions(
            DimensionFilter::builder()
                .name("Host")
                .value("smoke-1")
                .build(),
        )
        .send()
        .await
        .expect("ListMetrics");
    let metrics = listed.metrics.unwrap_or_default();
    assert_eq!(metrics.len(), 1, "{metrics:?}");
    assert_eq!(metrics[0].metric_name.as_deref(), Some("Requests"));
    assert_eq!(metrics[0].namespace.as_deref(), Some(namespace.as_str()));
    assert_eq!(
        metrics[0].dimensions.as_deref(),
        Some(&[dimension.clone()][..])
    );

    let stats = client
        .get_metric_statistics()
        .namespace(&namespace)
        .metric_name("Requests")
        .dimensions(dimension)
        .start_time(DateTime::from_secs(now - 600))
        .end_time(DateTime::from_secs(now + 600))
        .period(3600)
        .statistics(Statistic::Sum)
        .statistics(Statistic::Maximum)
        .statistics(Statistic::SampleCount)
        .send()
        .await
        .expect("GetMetricStatistics");
    assert_eq!(stats.label.as_deref(), Some("Requests"));
    let points = stats.datapoints.unwrap_or_default();
    assert_eq!(points.len(), 1, "{points:?}");
    assert_eq!(points[0].sum, Some(8.0), "{points:?}");
    assert_eq!(points[0].maximum, Some(4.0), "{points:?}");
    assert_eq!(points[0].sample_count, Some(3.0), "{points:?}");
    println!(
        "cloudwatch smoke: PutMetricData x3 + 200 (gzipped), ListMetrics -> 1 metric, GetMetricStatistics -> {:?}",
        points[0]
    );
}
