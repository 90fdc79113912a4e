//! Three generated clients on one `Config`: what a program using SES, SNS and STS builds and
//! links (bench/run.sh measures its crates, its binary and its cold build). It resolves each
//! client's endpoint and makes one call per client against `SESBENCH_ENDPOINT` when that is set
//! (any answer, an error included, counts: the point is the code path, not the service).

use std::time::Duration;

#[tokio::main]
async fn main() {
    let mut builder = ses_client::Config::builder()
        .region("us-east-1")
        .credentials(ses_client::Credentials::from_keys("AKIDBENCH", "secret", None))
        .max_attempts(1)
        .operation_timeout(Duration::from_secs(5));
    if let Ok(endpoint) = std::env::var("SESBENCH_ENDPOINT") {
        builder = builder.endpoint_url(endpoint);
    }
    let conf = builder.build();
    let ses = ses_client::Client::from_conf(conf.clone());
    let sns = sns_client::Client::from_conf(conf.clone());
    let sts = sts_client::Client::from_conf(conf);
    for (name, endpoint) in [
        ("ses", ses.resolved_endpoint().map(|e| e.url)),
        ("sns", sns.resolved_endpoint().map(|e| e.url)),
        ("sts", sts.resolved_endpoint().map(|e| e.url)),
    ] {
        match endpoint {
            Ok(url) => println!("{name}: {url}"),
            Err(e) => println!("{name}: {e}"),
        }
    }
    let (a, b, c) = tokio::join!(
        ses.get_send_quota().send(),
        sns.list_topics().send(),
        sts.get_caller_identity().send(),
    );
    println!(
        "calls: ses {}, sns {}, sts {}",
        a.is_ok(),
        b.is_ok(),
        c.is_ok()
    );
}
