//! `ses_client::mail_from::{ensure, disable, current}` end to end against the moto SES emulator
//! (`SES_CLIENT_MOTO_ENDPOINT`, set by `cargo xtask test`, which runs these `#[ignore]`d tests
//! with `--include-ignored`; see `common::endpoint_or_skip` for what happens without it).
//!
//! moto reports `Success` as soon as a MAIL FROM domain is set and drops the domain and the
//! status when it is disabled; it only accepts identities verified first. Names are unique per
//! run, so tests share the server safely.

#[allow(dead_code)] // this binary uses only part of the shared helpers
mod common;

use std::time::Duration;

use common::unique;
use ses_client::mail_from::{
    self, DisableOutcome, EnsureOutcome, MailFromError, MailFromPlan, MailFromSetting,
    MailFromStatus,
};
use ses_client::types::BehaviorOnMxFailure;

const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";
const REGION: &str = "us-west-2";
/// Bound on each test's calls: moto answers in milliseconds.
const TEST_BOUND: Duration = Duration::from_secs(60);

fn moto(test: &str) -> Option<ses_client::Client> {
    let endpoint = common::endpoint_or_skip(test, MOTO_ENDPOINT_VAR)?;
    let conf = mail_from::paced(ses_client::Config::builder())
        .region(REGION)
        .endpoint_url(endpoint)
        .credentials(ses_client::Credentials::from_keys(
            "AKIDEXAMPLE",
            "secret",
            None,
        ))
        .build();
    Some(ses_client::Client::from_conf(conf))
}

async fn verified_domain(client: &ses_client::Client) -> String {
    let domain = format!("{}.example.com", unique("mailfrom"));
    client
        .verify_domain_identity()
        .domain(&domain)
        .send()
        .await
        .expect("VerifyDomainIdentity");
    domain
}

async fn bounded<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(TEST_BOUND, f)
        .await
        .expect("the test took longer than its bound")
}

#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn ensure_sets_then_does_nothing_then_replaces_a_changed_behavior() {
    let Some(client) = moto("ensure_sets_then_does_nothing_then_replaces_a_changed_behavior")
    else {
        return;
    };
    bounded(async {
        let domain = verified_domain(&client).await;
        let mail_from = format!("bounce.{domain}");
        let plan = MailFromPlan::for_client(&client, &domain, &mail_from).expect("plan");

        let before = mail_from::current(&client, &domain).await.expect("current");
        assert_eq!(before.status, MailFromStatus::NotSet);
        assert_eq!(before.mail_from_domain, None);

        let first = mail_from::ensure(&client, &plan, BehaviorOnMxFailure::UseDefaultValue)
            .await
            .expect("first ensure");
        assert_eq!(first.outcome, EnsureOutcome::Set);
        // moto: Success at once (SES would say Pending until it finds the MX record).
        assert_eq!(first.status, MailFromStatus::Success);

        let now = mail_from::current(&client, &domain).await.expect("current");
        assert_eq!(now.mail_from_domain.as_deref(), Some(mail_from.as_str()));
        assert_eq!(
            now.behavior_on_mx_failure,
            Some(BehaviorOnMxFailure::UseDefaultValue)
        );

        let second = mail_from::ensure(&client, &plan, BehaviorOnMxFailure::UseDefaultValue)
            .await
            .expect("second ensure");
        assert_eq!(second.outcome, EnsureOutcome::Unchanged);
        assert_eq!(second.status, MailFromStatus::Success);

        // The same subdomain spelled differently is the same setting.
        let shouting = MailFromPlan::for_client(
            &client,
            &domain.to_uppercase(),
            &format!("{}.", mail_from.to_uppercase()),
        )
        .expect("plan");
        let third = mail_from::ensure(&client, &shouting, BehaviorOnMxFailure::UseDefaultValue)
            .await
            .expect("ensure with another spelling");
        assert_eq!(third.outcome, EnsureOutcome::Unchanged);

        let changed = mail_from::ensure(&client, &plan, BehaviorOnMxFailure::RejectMessage)
            .await
            .expect("ensure with another behavior");
        assert_eq!(
            changed.outcome,
            EnsureOutcome::Changed {
                from: MailFromSetting {
                    mail_from_domain: mail_from.clone(),
                    behavior_on_mx_failure: Some(BehaviorOnMxFailure::UseDefaultValue),
                },
                to: MailFromSetting {
                    mail_from_domain: mail_from.clone(),
                    behavior_on_mx_failure: Some(BehaviorOnMxFailure::RejectMessage),
                },
            }
        );
        let now = mail_from::current(&client, &domain).await.expect("current");
        assert_eq!(
            now.behavior_on_mx_failure,
            Some(BehaviorOnMxFailure::RejectMessage)
        );

        // Another subdomain replaces the first one.
        let other = format!("mail.{domain}");
        let plan2 = MailFromPlan::for_client(&client, &domain, &other).expect("plan");
        let moved = mail_from::ensure(&client, &plan2, BehaviorOnMxFailure::RejectMessage)
            .await
            .expect("ensure with another subdomain");
        assert!(
            matches!(&moved.outcome, EnsureOutcome::Changed { from, to }
                if from.mail_from_domain == mail_from && to.mail_from_domain == other),
            "{moved:?}"
        );
        let now = mail_from::current(&client, &domain).await.expect("current");
        assert_eq!(now.mail_from_domain.as_deref(), Some(other.as_str()));
    })
    .await;
}

#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn disable_twice_is_safe() {
    let Some(client) = moto("disable_twice_is_safe") else {
        return;
    };
    bounded(async {
        let domain = verified_domain(&client).await;
        let mail_from = format!("bounce.{domain}");
        let plan = MailFromPlan::for_client(&client, &domain, &mail_from).expect("plan");

        // Nothing set yet: no call at all (moto would answer a disabling call with a 500).
        assert_eq!(
            mail_from::disable(&client, &domain)
                .await
                .expect("disable before anything was set"),
            DisableOutcome::AlreadyDisabled
        );

        mail_from::ensure(&client, &plan, BehaviorOnMxFailure::UseDefaultValue)
            .await
            .expect("ensure");
        assert_eq!(
            mail_from::disable(&client, &domain).await.expect("disable"),
            DisableOutcome::Disabled {
                was: mail_from.clone()
            }
        );
        assert_eq!(
            mail_from::disable(&client, &domain)
                .await
                .expect("disable again"),
            DisableOutcome::AlreadyDisabled
        );
        let now = mail_from::current(&client, &domain).await.expect("current");
        assert_eq!(now.status, MailFromStatus::NotSet);
        assert_eq!(now.mail_from_domain, None);

        // And it can be set again afterwards.
        let again = mail_from::ensure(&client, &plan, BehaviorOnMxFailure::UseDefaultValue)
            .await
            .expect("ensure after disable");
        assert_eq!(again.outcome, EnsureOutcome::Set);
    })
    .await;
}

#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn an_email_identity_gets_a_subdomain_of_its_domain() {
    let Some(client) = moto("an_email_identity_gets_a_subdomain_of_its_domain") else {
        return;
    };
    bounded(async {
        let domain = format!("{}.example.com", unique("mailfrom-email"));
        let address = format!("sender@{domain}");
        client
            .verify_email_identity()
            .email_address(&address)
            .send()
            .await
            .expect("VerifyEmailIdentity");
        let mail_from = format!("mail.{domain}");
        let plan = MailFromPlan::for_client(&client, &address, &mail_from).expect("plan");
        let report = mail_from::ensure(&client, &plan, BehaviorOnMxFailure::RejectMessage)
            .await
            .expect("ensure");
        assert_eq!(report.outcome, EnsureOutcome::Set);
        let now = mail_from::current(&client, &address)
            .await
            .expect("current");
        assert_eq!(now.mail_from_domain.as_deref(), Some(mail_from.as_str()));
        assert_eq!(
            now.behavior_on_mx_failure,
            Some(BehaviorOnMxFailure::RejectMessage)
        );
    })
    .await;
}

#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn an_unverified_identity_is_a_write_error_naming_it() {
    let Some(client) = moto("an_unverified_identity_is_a_write_error_naming_it") else {
        return;
    };
    bounded(async {
        let domain = format!("{}.example.com", unique("mailfrom-unverified"));
        let plan =
            MailFromPlan::for_client(&client, &domain, &format!("mail.{domain}")).expect("plan");
        let err = mail_from::ensure(&client, &plan, BehaviorOnMxFailure::UseDefaultValue)
            .await
            .expect_err("moto refuses unverified identities");
        assert!(
            matches!(&err, MailFromError::Write { identity, .. } if *identity == domain),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "changing the MAIL FROM setting of identity `{domain}` failed:"
            )),
            "{text}"
        );
        // moto: its message for an identity it does not know.
        assert!(text.contains("does not exist"), "{text}");
    })
    .await;
}
