//! Reading the current MAIL FROM setting, setting it only when needed, and disabling it.

use std::fmt;

use crate::Client;
use crate::error::SdkError;
use crate::operation::get_identity_mail_from_domain_attributes::GetIdentityMailFromDomainAttributesError;
use crate::operation::set_identity_mail_from_domain::SetIdentityMailFromDomainError;
use crate::types::{BehaviorOnMxFailure, CustomMailFromStatus, IdentityMailFromDomainAttributes};

use super::plan::MailFromPlan;

/// Where an identity's MAIL FROM setup stands.
///
/// SES moves a newly set MAIL FROM domain from `Pending` to `Success` once it finds the MX
/// record, or to `Failed` when it has not found it for about 72 hours. `TemporaryFailure`
/// means an MX record that was found went missing; SES keeps checking, and it becomes
/// `Success` again or, after about 72 hours, `Failed`. While the status is anything but
/// `Success`, SES sends with its own MAIL FROM domain or rejects the message, as
/// `BehaviorOnMXFailure` says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MailFromStatus {
    /// No custom MAIL FROM domain is set (or the identity is unknown to SES in this region).
    NotSet,
    /// Set; SES has not found the MX record yet.
    Pending,
    /// SES found the MX record; mail uses the custom MAIL FROM domain.
    Success,
    /// SES gave up looking for the MX record. Only setting the domain again restarts the
    /// checks ([`ensure`] does that).
    Failed,
    /// The MX record went missing after a success; SES keeps checking.
    TemporaryFailure,
    /// A status this version does not know, as SES sent it; empty when a domain is set but SES
    /// reported no status at all.
    Unknown(String),
}

impl MailFromStatus {
    /// The status of `attributes` (SES's entry for one identity; `None` when SES returned
    /// none for it).
    pub fn from_attributes(attributes: Option<&IdentityMailFromDomainAttributes>) -> Self {
        let Some(attributes) = attributes else {
            return MailFromStatus::NotSet;
        };
        if attributes
            .mail_from_domain
            .as_deref()
            .is_none_or(str::is_empty)
        {
            return MailFromStatus::NotSet;
        }
        match &attributes.mail_from_domain_status {
            None => MailFromStatus::Unknown(String::new()),
            Some(CustomMailFromStatus::Pending) => MailFromStatus::Pending,
            Some(CustomMailFromStatus::Success) => MailFromStatus::Success,
            Some(CustomMailFromStatus::Failed) => MailFromStatus::Failed,
            Some(CustomMailFromStatus::TemporaryFailure) => MailFromStatus::TemporaryFailure,
            Some(other) => MailFromStatus::Unknown(other.as_str().to_owned()),
        }
    }

    /// The name SES uses (`NotSet` for [`MailFromStatus::NotSet`]).
    pub fn as_str(&self) -> &str {
        match self {
            MailFromStatus::NotSet => "NotSet",
            MailFromStatus::Pending => "Pending",
            MailFromStatus::Success => "Success",
            MailFromStatus::Failed => "Failed",
            MailFromStatus::TemporaryFailure => "TemporaryFailure",
            MailFromStatus::Unknown(s) => s,
        }
    }
}

impl fmt::Display for MailFromStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailFromStatus::Unknown(s) if s.is_empty() => f.write_str("(no status reported)"),
            MailFromStatus::Unknown(s) => write!(f, "{s} (unknown to this client)"),
            other => f.write_str(other.as_str()),
        }
    }
}

/// An identity's MAIL FROM setting as SES reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CurrentMailFrom {
    /// The identity asked about.
    pub identity: String,
    /// The custom MAIL FROM domain, as SES returned it; `None` when not set.
    pub mail_from_domain: Option<String>,
    /// What SES does while the MX record is not confirmed; `None` when SES did not say.
    pub behavior_on_mx_failure: Option<BehaviorOnMxFailure>,
    pub status: MailFromStatus,
}

/// A MAIL FROM setting: the domain and the behavior on MX failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFromSetting {
    pub mail_from_domain: String,
    /// `None` when SES reported no behavior.
    pub behavior_on_mx_failure: Option<BehaviorOnMxFailure>,
}

impl fmt::Display for MailFromSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (on MX failure: {})",
            self.mail_from_domain,
            self.behavior_on_mx_failure
                .as_ref()
                .map_or("not reported", |b| b.as_str())
        )
    }
}

/// What [`ensure`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EnsureOutcome {
    /// The setting already matched the plan and SES had not given up on it: no call was made.
    Unchanged,
    /// No MAIL FROM domain was set; it is now.
    Set,
    /// Another domain or another behavior was set; it was replaced.
    Changed {
        from: MailFromSetting,
        to: MailFromSetting,
    },
    /// The setting matched, but SES had stopped checking it (`Failed`): it was set again,
    /// which restarts SES's checks.
    Restarted,
}

impl fmt::Display for EnsureOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnsureOutcome::Unchanged => f.write_str("unchanged"),
            EnsureOutcome::Set => f.write_str("set"),
            EnsureOutcome::Changed { from, to } => write!(f, "changed from {from} to {to}"),
            EnsureOutcome::Restarted => f.write_str("set again after SES reported Failed"),
        }
    }
}

/// The result of [`ensure`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnsureReport {
    pub outcome: EnsureOutcome,
    /// The status as read after the change (or the unchanged status). Right after a change
    /// SES usually says `Pending`.
    pub status: MailFromStatus,
}

/// What [`disable`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DisableOutcome {
    /// No MAIL FROM domain was set: no call was made.
    AlreadyDisabled,
    /// This domain was set and is now removed.
    Disabled { was: String },
}

/// A failed call of the MAIL FROM workflow, naming the identity and the step.
#[derive(Debug)]
#[non_exhaustive]
pub enum MailFromError {
    /// `GetIdentityMailFromDomainAttributes` failed.
    Read {
        identity: String,
        source: SdkError<GetIdentityMailFromDomainAttributesError>,
    },
    /// `SetIdentityMailFromDomain` failed.
    Write {
        identity: String,
        source: SdkError<SetIdentityMailFromDomainError>,
    },
}

impl fmt::Display for MailFromError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailFromError::Read { identity, source } => write!(
                f,
                "reading the MAIL FROM setting of identity `{}` failed: {source}",
                identity.escape_debug()
            ),
            MailFromError::Write { identity, source } => write!(
                f,
                "changing the MAIL FROM setting of identity `{}` failed: {source}",
                identity.escape_debug()
            ),
        }
    }
}

impl std::error::Error for MailFromError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            MailFromError::Read { source, .. } => Some(source),
            MailFromError::Write { source, .. } => Some(source),
        }
    }
}

/// Domains compare case-insensitively, a trailing dot ignored.
pub(crate) fn same_domain(a: &str, b: &str) -> bool {
    let a = a.strip_suffix('.').unwrap_or(a);
    let b = b.strip_suffix('.').unwrap_or(b);
    a.eq_ignore_ascii_case(b)
}

/// Reads `identity`'s MAIL FROM setting (one `GetIdentityMailFromDomainAttributes` call).
///
/// SES answers with no entry for an identity it does not know in this region; that reads as
/// [`MailFromStatus::NotSet`].
pub async fn current(client: &Client, identity: &str) -> Result<CurrentMailFrom, MailFromError> {
    let out = client
        .get_identity_mail_from_domain_attributes()
        .identities(identity)
        .send()
        .await
        .map_err(|source| MailFromError::Read {
            identity: identity.to_owned(),
            source,
        })?;
    let attributes = out.mail_from_domain_attributes.unwrap_or_default();
    // The entry under the identity as sent; else one that differs only in case (domains).
    let entry = attributes.get(identity).or_else(|| {
        attributes
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(identity))
            .map(|(_, v)| v)
    });
    Ok(CurrentMailFrom {
        identity: identity.to_owned(),
        mail_from_domain: entry
            .and_then(|a| a.mail_from_domain.clone())
            .filter(|d| !d.is_empty()),
        behavior_on_mx_failure: entry.and_then(|a| a.behavior_on_mx_failure.clone()),
        status: MailFromStatus::from_attributes(entry),
    })
}

/// Makes SES use `plan`'s MAIL FROM domain with `behavior` for `plan`'s identity, calling
/// `SetIdentityMailFromDomain` only when needed:
///
/// - nothing set: set it ([`EnsureOutcome::Set`]);
/// - another domain (compared case-insensitively, a trailing dot ignored), another behavior,
///   or no behavior reported: set it ([`EnsureOutcome::Changed`]);
/// - the same setting with status `Failed`: set it again so SES checks again
///   ([`EnsureOutcome::Restarted`]);
/// - otherwise nothing is sent ([`EnsureOutcome::Unchanged`]).
///
/// After a change the setting is read again for the status, so a change costs three calls and
/// no change one.
///
/// # Pacing
///
/// SES accepts at most one `SetIdentityMailFromDomain` per second per account. `ensure` makes
/// at most one such call and does not sleep by itself: a pause inside one call cannot space
/// calls made by other tasks. Build the client with [`super::paced`] (which sets
/// `operation_rate_limit("SetIdentityMailFromDomain", 1.0)`): every call of that operation
/// through the client and its clones, retries included, is then spaced one second apart, and a
/// loop or a set of concurrent tasks calling `ensure` stays under the limit. Throttling errors
/// that still happen are retried by the client like any other.
pub async fn ensure(
    client: &Client,
    plan: &MailFromPlan,
    behavior: BehaviorOnMxFailure,
) -> Result<EnsureReport, MailFromError> {
    let identity = plan.identity();
    let now = current(client, identity).await?;
    let wanted = MailFromSetting {
        mail_from_domain: plan.mail_from_domain().to_owned(),
        behavior_on_mx_failure: Some(behavior.clone()),
    };
    let outcome = match &now.mail_from_domain {
        None => EnsureOutcome::Set,
        Some(domain)
            if !same_domain(domain, plan.mail_from_domain())
                || now.behavior_on_mx_failure.as_ref() != Some(&behavior) =>
        {
            EnsureOutcome::Changed {
                from: MailFromSetting {
                    mail_from_domain: domain.clone(),
                    behavior_on_mx_failure: now.behavior_on_mx_failure.clone(),
                },
                to: wanted,
            }
        }
        Some(_) if now.status == MailFromStatus::Failed => EnsureOutcome::Restarted,
        Some(_) => {
            return Ok(EnsureReport {
                outcome: EnsureOutcome::Unchanged,
                status: now.status,
            });
        }
    };
    client
        .set_identity_mail_from_domain()
        .identity(identity)
        .mail_from_domain(plan.mail_from_domain())
        .behavior_on_mx_failure(behavior)
        .send()
        .await
        .map_err(|source| MailFromError::Write {
            identity: identity.to_owned(),
            source,
        })?;
    tracing::info!(
        identity,
        mail_from_domain = plan.mail_from_domain(),
        outcome = %outcome,
        "MAIL FROM domain set"
    );
    let after = current(client, identity).await?;
    Ok(EnsureReport {
        outcome,
        status: after.status,
    })
}

/// Removes `identity`'s custom MAIL FROM domain, so SES uses its own again. A no-op (one read,
/// no write) when none is set, so calling it twice is safe. The pacing advice of [`ensure`]
/// applies.
pub async fn disable(client: &Client, identity: &str) -> Result<DisableOutcome, MailFromError> {
    let now = current(client, identity).await?;
    let Some(was) = now.mail_from_domain else {
        return Ok(DisableOutcome::AlreadyDisabled);
    };
    client
        .set_identity_mail_from_domain()
        .identity(identity)
        .send()
        .await
        .map_err(|source| MailFromError::Write {
            identity: identity.to_owned(),
            source,
        })?;
    tracing::info!(identity, was = %was, "MAIL FROM domain disabled");
    Ok(DisableOutcome::Disabled { was })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_from_attributes() {
        let with = |domain: Option<&str>, status: Option<&str>| {
            IdentityMailFromDomainAttributes::builder()
                .set_mail_from_domain(domain.map(str::to_owned))
                .set_mail_from_domain_status(status.map(CustomMailFromStatus::from))
                .build_unchecked()
        };
        assert_eq!(
            MailFromStatus::from_attributes(None),
            MailFromStatus::NotSet
        );
        assert_eq!(
            MailFromStatus::from_attributes(Some(&with(None, Some("Success")))),
            MailFromStatus::NotSet
        );
        assert_eq!(
            MailFromStatus::from_attributes(Some(&with(Some(""), Some("Pending")))),
            MailFromStatus::NotSet
        );
        for (wire, status) in [
            ("Pending", MailFromStatus::Pending),
            ("Success", MailFromStatus::Success),
            ("Failed", MailFromStatus::Failed),
            ("TemporaryFailure", MailFromStatus::TemporaryFailure),
            ("Verifying", MailFromStatus::Unknown("Verifying".to_owned())),
        ] {
            assert_eq!(
                MailFromStatus::from_attributes(Some(&with(Some("m.example.com"), Some(wire)))),
                status
            );
            assert_eq!(status.as_str(), wire);
        }
        let none = MailFromStatus::from_attributes(Some(&with(Some("m.example.com"), None)));
        assert_eq!(none, MailFromStatus::Unknown(String::new()));
        assert_eq!(none.to_string(), "(no status reported)");
    }

    #[test]
    fn domains_compare_without_case_and_trailing_dot() {
        assert!(same_domain("Mail.Example.com.", "mail.example.com"));
        assert!(!same_domain("mail.example.com", "mail2.example.com"));
        assert!(!same_domain("mail.example.com..", "mail.example.com"));
    }
}
