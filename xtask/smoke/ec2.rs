//! Smoke test of the trimmed EC2 client (ec2Query) against moto (copied into the generated
//! crate's `tests/` folder by the `generated services` step of `cargo xtask test`; not compiled
//! in the workspace). Needs `SES_CLIENT_MOTO_ENDPOINT`; without it the test prints `SKIPPED: ...`.

use std::io::Write;
use std::time::Duration;

use ec2_trimmed_client::RequestId;
use ec2_trimmed_client::client::Waiters;
use ec2_trimmed_client::error::ProvideErrorMetadata;
use ec2_trimmed_client::types::{Filter, InstanceType};

const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";
/// moto keeps state per region; no other test uses this one.
const REGION: &str = "ap-southeast-2";
/// An image id moto knows in every region.
const IMAGE_ID: &str = "ami-12c6146b";

/// The endpoint, or `None` after writing a loud SKIPPED line straight to stderr.
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
async fn vpc_subnet_instances_waiter_paginator_and_a_missing_instance() {
    let Some(endpoint) = endpoint_or_skip("ec2 smoke") else {
        return;
    };
    let conf = ec2_trimmed_client::Config::builder()
        .region(REGION)
        .endpoint_url(endpoint)
        .credentials(ec2_trimmed_client::Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .build();
    let client = ec2_trimmed_client::Client::from_conf(conf);

    let vpc = client
        .create_vpc()
        .cidr_block("10.20.0.0/16")
        .send()
        .await
        .expect("CreateVpc")
        .vpc
        .expect("Vpc");
    let vpc_id = vpc.vpc_id.expect("VpcId");
    assert!(vpc_id.starts_with("vpc-"), "{vpc_id}");
    assert_eq!(vpc.cidr_block.as_deref(), Some("10.20.0.0/16"));

    let subnet = client
        .create_subnet()
        .vpc_id(&vpc_id)
        .cidr_block("10.20.1.0/24")
        .send()
        .await
        .expect("CreateSubnet")
        .subnet
        .expect("Subnet");
    let subnet_id = subnet.subnet_id.expect("SubnetId");
    assert_eq!(subnet.vpc_id.as_deref(), Some(vpc_id.as_str()));

    let reservation = client
        .run_instances()
        .image_id(IMAGE_ID)
        .instance_type(InstanceType::from("t2.micro"))
        .min_count(2)
        .max_count(2)
        .subnet_id(&subnet_id)
        .send()
        .await
        .expect("RunInstances");
    assert!(reservation.request_id().is_some(), "{reservation:?}");
    let mut ids: Vec<String> = reservation
        .instances
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| i.instance_id)
        .collect();
    ids.sort();
    assert_eq!(ids.len(), 2, "{ids:?}");

    // Through the paginator (it follows NextToken).
    let mut pages = 0;
    let mut seen = Vec::new();
    let mut stream = client
        .describe_instances()
        .set_instance_ids(Some(ids.clone()))
        .into_paginator()
        .send();
    while let Some(page) = stream.next().await {
        let page = page.expect("DescribeInstances");
        pages += 1;
        for r in page.reservations.unwrap_or_default() {
            for i in r.instances.unwrap_or_default() {
                assert_eq!(i.subnet_id.as_deref(), Some(subnet_id.as_str()));
                seen.extend(i.instance_id);
            }
        }
        assert!(pages < 20, "the paginator does not end");
    }
    seen.sort();
    assert_eq!(seen, ids);

    // The item stream (reservations), with a filter (`Filter.1.Name`, `Filter.1.Value.1` on
    // the wire) and a page size.
    let mut items = client
        .describe_instances()
        .filters(Filter::builder().name("subnet-id").values(&subnet_id).build())
        .max_results(5)
        .into_paginator()
        .items()
        .send();
    let mut filtered = Vec::new();
    while let Some(reservation) = items.next().await {
        let reservation = reservation.expect("DescribeInstances (items)");
        filtered.extend(
            reservation
                .instances
                .unwrap_or_default()
                .into_iter()
                .filter_map(|i| i.instance_id),
        );
        assert!(filtered.len() <= 2, "{filtered:?}");
    }
    filtered.sort();
    assert_eq!(filtered, ids);

    client
        .wait_until_instance_running()
        .set_instance_ids(Some(ids.clone()))
        .wait(Duration::from_secs(120))
        .await
        .expect("InstanceRunning");

    let terminated = client
        .terminate_instances()
        .set_instance_ids(Some(ids.clone()))
        .send()
        .await
        .expect("TerminateInstances");
    assert_eq!(terminated.terminating_instances.map(|t| t.len()), Some(2));

    let err = client
        .describe_instances()
        .instance_ids("i-0123456789abcdef0")
        .send()
        .await
        .expect_err("a missing instance");
    assert_eq!(err.code(), Some("InvalidInstanceID.NotFound"), "{err:?}");
    assert!(err.as_service_error().is_some(), "{err:?}");

    client
        .delete_subnet()
        .subnet_id(&subnet_id)
        .send()
        .await
        .expect("DeleteSubnet");
    client.delete_vpc().vpc_id(&vpc_id).send().await.expect("DeleteVpc");
    println!(
        "ec2 smoke: CreateVpc {vpc_id}, CreateSubnet {subnet_id}, RunInstances x2, \
         DescribeInstances in {pages} page(s), InstanceRunning, TerminateInstances, \
         InvalidInstanceID.NotFound, DeleteSubnet, DeleteVpc"
    );
}
