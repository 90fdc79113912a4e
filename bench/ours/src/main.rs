//! `sesbench once | seq N | conc N C`: SetIdentityMailFromDomain through ses-client against
//! `SESBENCH_ENDPOINT`, with fixed dummy credentials and region. See bench/run.sh.

#[path = "../../common/harness.rs"]
mod harness;

use ses_client::types::BehaviorOnMxFailure;

fn main() {
    let mode = harness::parse_args();
    harness::runtime().block_on(run(mode));
}

async fn run(mode: harness::Mode) {
    let conf = ses_client::Config::builder()
        .region("us-east-1")
        .credentials(ses_client::Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .endpoint_url(harness::endpoint())
        .build();
    let client = ses_client::Client::from_conf(conf);
    harness::run("sesbench", mode, move || {
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
                .map_err(|e| e.to_string())
        }
    })
    .await;
}
