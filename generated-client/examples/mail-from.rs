//! The MAIL FROM workflow from the command line:
//!
//! ```text
//! cargo run -p ses-client --example mail-from -- <identity> <subdomain> [--reject]
//!     [--max-wait SECS] [--poll-interval SECS] [--verify]
//! cargo run -p ses-client --features dns-check --example mail-from -- ...   # with the DNS check
//! ```
//!
//! Prints the DNS records to publish, looks them up (with the `dns-check` feature), makes SES
//! use the subdomain (only calling `SetIdentityMailFromDomain` when needed), then waits with a
//! progress line until SES reports `Success`, `Failed`, or `--max-wait` (default 60 s) passes.
//! `--reject` makes SES reject mail while the MX record is not confirmed (default: send with
//! SES's own MAIL FROM domain). `--verify` first asks SES to verify the identity (for a
//! domain, it prints the TXT record that proves ownership) — handy against an emulator.
//!
//! The client comes from the environment (`Config::from_env`): `AWS_REGION`, credentials, and
//! `AWS_ENDPOINT_URL` to use an emulator such as moto:
//!
//! ```text
//! AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
//! AWS_ENDPOINT_URL=http://127.0.0.1:5000 \
//!     cargo run -p ses-client --example mail-from -- example.com mail.example.com --verify
//! ```
//!
//! Exit status: 0 when SES reports `Success`, 1 when it does not (or a call fails), 2 for
//! wrong arguments.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use ses_client::mail_from::{self, MailFromPlan, WaitProgress};
use ses_client::types::BehaviorOnMxFailure;

const USAGE: &str = "usage: mail-from <identity> <subdomain> [--reject] [--max-wait SECS] \
                     [--poll-interval SECS] [--verify]";

struct Args {
    identity: String,
    subdomain: String,
    behavior: BehaviorOnMxFailure,
    max_wait: Duration,
    poll_interval: Duration,
    verify: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut behavior = BehaviorOnMxFailure::UseDefaultValue;
    let mut max_wait = Duration::from_secs(60);
    let mut poll_interval = Duration::from_secs(5);
    let mut verify = false;
    let seconds = |flag: &str, value: Option<String>| -> Result<Duration, String> {
        let value = value.ok_or_else(|| format!("{flag} needs a number of seconds"))?;
        value
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| format!("{flag}: `{value}` is not a whole number of seconds"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reject" => behavior = BehaviorOnMxFailure::RejectMessage,
            "--verify" => verify = true,
            "--max-wait" => max_wait = seconds("--max-wait", args.next())?,
            "--poll-interval" => poll_interval = seconds("--poll-interval", args.next())?,
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => positional.push(arg),
        }
    }
    let [identity, subdomain]: [String; 2] = positional
        .try_into()
        .map_err(|p: Vec<String>| format!("expected 2 arguments, got {}", p.len()))?;
    Ok(Args {
        identity,
        subdomain,
        behavior,
        max_wait,
        poll_interval,
        verify,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<bool, Box<dyn std::error::Error>> {
    // One SetIdentityMailFromDomain per second, as SES allows.
    let conf = mail_from::paced(ses_client::Config::from_env()?.to_builder()).build();
    let client = ses_client::Client::from_conf(conf);
    let plan = MailFromPlan::for_client(&client, &args.identity, &args.subdomain)?;

    println!(
        "Identity {} (domain {}), MAIL FROM domain {}, region {} ({}).",
        plan.identity(),
        plan.identity_domain(),
        plan.mail_from_domain(),
        plan.region(),
        plan.partition()
    );
    println!("Publish these records (and no other MX record on that name):");
    for line in plan.zone_lines() {
        println!("  {line}");
    }

    if args.verify {
        verify(&client, &plan).await?;
    }

    #[cfg(feature = "dns-check")]
    {
        println!("DNS check (system resolver):");
        match mail_from::dns::DnsChecker::system().check(&plan).await {
            Ok(report) => {
                for check in report.checks() {
                    println!("  {check}");
                }
            }
            Err(e) => println!("  could not check: {e}"),
        }
    }

    let report = match mail_from::ensure(&client, &plan, args.behavior).await {
        Ok(report) => report,
        Err(e) => {
            eprintln!("(is the identity verified in this region? --verify asks SES to verify it)");
            return Err(e.into());
        }
    };
    println!(
        "MAIL FROM setting: {}; SES status: {}.",
        report.outcome, report.status
    );

    println!(
        "Waiting for SES to confirm (every {}s, at most {}s):",
        args.poll_interval.as_secs(),
        args.max_wait.as_secs()
    );
    let result = mail_from::wait_for_success(&client, &plan)
        .poll_interval(args.poll_interval)
        .max_wait(args.max_wait)
        .on_progress(show_progress)
        .wait()
        .await;
    match result {
        Ok(done) => {
            println!(
                "SES reports Success after {} poll(s), {}s.",
                done.polls,
                done.elapsed.as_secs()
            );
            Ok(true)
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(false)
        }
    }
}

fn show_progress(p: &WaitProgress) {
    let next = match p.next_poll_in {
        Some(d) => format!("next check in {}s", d.as_secs()),
        None => "done".to_owned(),
    };
    println!(
        "  [poll {} at {}s] status {}; {next}",
        p.poll,
        p.elapsed.as_secs(),
        p.status
    );
    let _ = std::io::stdout().flush();
}

/// Asks SES to verify the identity; for a domain, prints the TXT record proving ownership.
async fn verify(
    client: &ses_client::Client,
    plan: &MailFromPlan,
) -> Result<(), Box<dyn std::error::Error>> {
    if plan.identity().contains('@') {
        client
            .verify_email_identity()
            .email_address(plan.identity())
            .send()
            .await?;
        println!(
            "Verification requested: SES sends a confirmation link to {}.",
            plan.identity()
        );
    } else {
        let out = client
            .verify_domain_identity()
            .domain(plan.identity())
            .send()
            .await?;
        let token = out.verification_token.unwrap_or_default();
        println!("Verification requested; publish this record too:");
        println!("  _amazonses.{}. 1800 IN TXT \"{token}\"", plan.identity());
    }
    Ok(())
}
