//! Smoke test of the trimmed MAIL FROM client (copied into the generated crate's tests/ by
//! `cargo xtask test`).

use std::io::Write;
use std::time::Duration;

use ses_mail_from_client::client::Waiters;
use ses_mail_from_client::types::BehaviorOnMxFailure;

#[tokio::test]
async fn mail_from_workflow_with_only_four_operations() {
    let Some(endpoint) = std::env::var("SES_CLIENT_MOTO_ENDPOINT").ok().filter(|v| !v.is_empty()) else {
        let _ = writeln!(std::io::stderr().lock(), "SKIPPED: trimmed mail-from client: SES_CLIENT_MOTO_ENDPOINT not set");
        return;
    };
    let conf = ses_mail_from_client::Config::builder()
        .region("eu-central-1")
        .endpoint_url(endpoint)
        .credentials(ses_mail_from_client::Credentials::from_keys("AKIDEXAMPLE", "secret", None))
        .build();
    let client = ses_mail_from_client::Client::from_conf(conf);
    let domain = format!("trimmed-{}.example.com", std::process::id());
    client.verify_domain_identity().domain(&domain).send().await.unwrap();
    client.wait_until_identity_exists().identities(&domain).wait(Duration::from_secs(30)).await.unwrap();
    client
        .set_identity_mail_from_domain()
        .identity(&domain)
        .mail_from_domain(format!("bounces.{domain}"))
        .behavior_on_mx_failure(BehaviorOnMxFailure::RejectMessage)
        .send()
        .await
        .unwrap();
    let out = client.get_identity_mail_from_domain_attributes().identities(&domain).send().await.unwrap();
    let attrs = &out.mail_from_domain_attributes.unwrap()[&domain];
    assert_eq!(attrs.mail_from_domain.as_deref(), Some(format!("bounces.{domain}").as_str()));
    assert_eq!(attrs.behavior_on_mx_failure, Some(BehaviorOnMxFailure::RejectMessage));
}
