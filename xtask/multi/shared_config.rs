//! One `Config` for three services (issue 13): the SES client of this workspace and the SNS and
//! STS clients `cargo xtask codegen --out` generates, built from one config value, share its
//! credentials cache and connection pool. Copied into `target/services/multi/tests/` by the
//! `generated services` step of `cargo xtask test` (which also checks, with `cargo tree`, that the
//! runtime crate is in the build once); not compiled in the workspace. Needs
//! `SES_CLIENT_MOTO_ENDPOINT`; without it the test prints `SKIPPED: ...`.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_client_runtime::credentials::{CredentialsFuture, ProvideCredentials};

const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";

/// Counts how often it is asked for credentials.
#[derive(Debug, Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(aws_client_runtime::Credentials::from_keys(
                "AKIDMULTISERVICE",
                "multi-service-secret",
                None,
            ))
        })
    }
}

#[tokio::test]
async fn one_config_for_ses_sns_and_sts() {
    let Ok(endpoint) = std::env::var(MOTO_ENDPOINT_VAR) else {
        let line = format!(
            "SKIPPED: multi-service shared config: {MOTO_ENDPOINT_VAR} not set (run cargo xtask test)\n"
        );
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
        return;
    };
    let counter = Counting::default();
    let conf: ses_client::Config = ses_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint.trim())
        .credentials_provider(counter.clone())
        .build();
    // The same type: no conversion between the services' configs.
    let sns_conf: sns_client::Config = conf.clone();
    let sts_conf: sts_client::Config = conf.clone();
    let ses = ses_client::Client::from_conf(conf);
    let sns = sns_client::Client::from_conf(sns_conf);
    let sts = sts_client::Client::from_conf(sts_conf);

    let quota = ses.get_send_quota().send().await.expect("SES GetSendQuota");
    assert!(quota.max24_hour_send.is_some(), "{quota:?}");
    let topic = sns
        .create_topic()
        .name("multi-service-check")
        .send()
        .await
        .expect("SNS CreateTopic");
    assert!(topic.topic_arn.is_some(), "{topic:?}");
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .expect("STS GetCallerIdentity");
    assert!(me.account.is_some(), "{me:?}");
    // A second round on every client: still the one refresh.
    ses.get_send_quota().send().await.expect("SES again");
    sns.list_topics().send().await.expect("SNS ListTopics");
    sts.get_caller_identity().send().await.expect("STS again");
    assert_eq!(
        counter.0.load(Ordering::SeqCst),
        1,
        "one credentials refresh for six calls on three clients"
    );
    println!("multi-service: SES, SNS and STS on one Config, credentials asked once for 6 calls");
}
