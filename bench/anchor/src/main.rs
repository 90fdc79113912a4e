//! `sesbench-anchor once | seq N | conc N C`: SetIdentityMailFromDomain through the official
//! aws-sdk-ses against `SESBENCH_ENDPOINT`, with fixed dummy credentials and region. See
//! bench/run.sh.

#[path = "../../common/harness.rs"]
mod harness;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_ses::config::Credentials;
use aws_sdk_ses::error::DisplayErrorContext;
use aws_sdk_ses::types::BehaviorOnMxFailure;

fn main() {
    let mode = harness::parse_args();
    harness::runtime().block_on(run(mode));
}

async fn run(mode: harness::Mode) {
    let conf = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "sesbench",
        ))
        .endpoint_url(harness::endpoint())
        .load()
        .await;
    let client = aws_sdk_ses::Client::new(&conf);
    harness::run("sesbench-anchor", mode, move || {
        let client = client.clone();
        async move {
            client
                .set_identity_mail_from_domain()
                .identity("example.com")
                .mail_from_domain("bounces.example.com")
                .behavior_on_mx_failure(BehaviorOnMxFailure::UseDefaultValue)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| DisplayErrorContext(e).to_string())
        }
    })
    .await;
}
