//! The custom MAIL FROM workflow in one place: plan the DNS records, set the domain only when
//! needed, wait for SES to confirm it, and (feature `dns-check`) look the records up yourself.
//!
//! **Hand-written, SES-specific**: this module is a customization layer on top of the
//! generated operations (`GetIdentityMailFromDomainAttributes`, `SetIdentityMailFromDomain`),
//! kept apart from the generated code in `src/generated/` and never touched by
//! `cargo xtask codegen`. It uses only the client's public API.
//!
//! # The steps
//!
//! 1. [`MailFromPlan::new`] (or [`MailFromPlan::for_client`]) checks that the MAIL FROM domain is
//!    a proper subdomain of the identity's domain (for an email identity, the part after `@`),
//!    made of valid DNS labels, and gives the two records to publish on it: an MX record
//!    pointing at SES's feedback host of the region, and an SPF record allowing SES to send
//!    for it ([`DnsRecord`], also as zone-file lines).
//! 2. [`ensure`] reads the current setting and calls `SetIdentityMailFromDomain` only when the
//!    domain or the behavior on MX failure is missing or different (or SES gave up on it),
//!    reporting [`EnsureOutcome`] and the [`MailFromStatus`]; [`disable`] removes the domain
//!    and does nothing when none is set.
//! 3. [`wait_for_success`] polls until SES reports `Success`, with a progress callback, a
//!    bounded wait, and an error listing the expected records if SES reports `Failed`.
//! 4. With the `dns-check` feature, `dns::DnsChecker` looks the records up and says which are
//!    present, missing or wrong.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use ses_client::mail_from::{self, MailFromPlan};
//! use ses_client::types::BehaviorOnMxFailure;
//!
//! let conf = mail_from::paced(ses_client::Config::from_env()?.to_builder()).build();
//! let client = ses_client::Client::from_conf(conf);
//! let plan = MailFromPlan::for_client(&client, "example.com", "mail.example.com")?;
//! for line in plan.zone_lines() {
//!     println!("{line}");
//! }
//! let report = mail_from::ensure(&client, &plan, BehaviorOnMxFailure::UseDefaultValue).await?;
//! println!("{} (status {})", report.outcome, report.status);
//! mail_from::wait_for_success(&client, &plan)
//!     .max_wait(Duration::from_secs(3600))
//!     .on_progress(|p| println!("poll {}: {}", p.poll, p.status))
//!     .wait()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Rate limit
//!
//! SES accepts one `SetIdentityMailFromDomain` call per second. [`ensure`] and [`disable`] make
//! at most one each and rely on the client for pacing: build it with [`paced`] so that every
//! call of the operation through that client is spaced, across tasks too.

#[cfg(feature = "dns-check")]
pub mod dns;
mod ensure;
mod plan;
mod wait;

pub use ensure::{
    CurrentMailFrom, DisableOutcome, EnsureOutcome, EnsureReport, MailFromError, MailFromSetting,
    MailFromStatus, current, disable, ensure,
};
pub use plan::{
    DEFAULT_TTL, DnsRecord, DomainRole, LabelProblem, MX_PRIORITY, MailFromPlan, Partition,
    PlanError, RecordType,
};
pub use wait::{
    DEFAULT_MAX_WAIT, DEFAULT_POLL_INTERVAL, MIN_POLL_INTERVAL, SleepFuture, SuccessWaiter,
    WaitError, WaitProgress, WaitSuccess, wait_for_success,
};

/// The operation SES limits to one call per second.
pub const SET_OPERATION: &str = "SetIdentityMailFromDomain";

/// `builder` with SES's limit for [`SET_OPERATION`]: one call per second from the client built
/// from it (`operation_rate_limit("SetIdentityMailFromDomain", 1.0)`).
pub fn paced(builder: crate::ConfigBuilder) -> crate::ConfigBuilder {
    builder.operation_rate_limit(SET_OPERATION, 1.0)
}
