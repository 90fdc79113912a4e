//! The plan: which identity, which MAIL FROM subdomain, and the two DNS records SES needs there.

use std::fmt;

use crate::Client;

/// The TTL the planned records suggest, in seconds (30 minutes): short enough that a mistake
/// fixed in the zone reaches SES's checks within the hour, long enough not to matter for
/// resolver load. [`MailFromPlan::with_ttl`] picks another.
pub const DEFAULT_TTL: u32 = 1800;

/// The MX preference of the planned record. SES wants exactly one MX record on the MAIL FROM
/// domain, so the value does not rank anything; 10 is what SES shows.
pub const MX_PRIORITY: u16 = 10;

/// A DNS name is at most 253 characters written out without its final dot.
const MAX_NAME_LEN: usize = 253;
/// A label is 1 to 63 characters.
const MAX_LABEL_LEN: usize = 63;
/// Inputs are echoed in error messages up to this many characters.
const SHOWN_LEN: usize = 256;

/// The AWS partitions whose SES MAIL FROM records this module knows.
///
/// Where the values come from:
///
/// - [`Partition::Aws`] and [`Partition::AwsUsGov`]: the region table of feedback endpoints in
///   the SES Developer Guide (section "Custom MAIL FROM domains" of "Regions and Amazon SES"):
///   `feedback-smtp.<region>.amazonses.com` for every commercial region and for
///   `us-gov-west-1`. The SPF value `v=spf1 include:amazonses.com ~all` is the one the guide's
///   MAIL FROM setup page (and the SES console) gives.
/// - [`Partition::AwsCn`]: the same table lists China (Ningxia) with the host
///   `feedback-smtp.ses.cn-northwest-1.amazonaws.com.cn`, a pattern of its own; other `cn-`
///   regions are assumed to follow it. No SPF value for China is documented there, so the one
///   of the other partitions is used. Compare with what the SES console shows for your identity
///   before relying on the China records.
///
/// The region patterns are those of the partitions in the shared endpoint data
/// (`partitions.json`). Other partitions (the ISO ones, the European sovereign cloud) have no
/// documented MAIL FROM records: planning for their regions is
/// [`PlanError::UnsupportedRegion`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Partition {
    /// The commercial partition, `aws`.
    Aws,
    /// AWS GovCloud (US), `aws-us-gov`.
    AwsUsGov,
    /// The China regions, `aws-cn`.
    AwsCn,
}

impl Partition {
    /// The partition of `region`, or `None` when it is not a region of a known partition.
    pub fn of_region(region: &str) -> Option<Partition> {
        let parts: Vec<&str> = region.split('-').collect();
        let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
        let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // Region names are lowercase; `word` above accepts digits too, like `\w`.
        if region.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        match parts.as_slice() {
            ["us", "gov", name, n] if word(name) && number(n) => Some(Partition::AwsUsGov),
            ["cn", name, n] if word(name) && number(n) => Some(Partition::AwsCn),
            [area, name, n]
                if ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"].contains(area)
                    && word(name)
                    && number(n) =>
            {
                Some(Partition::Aws)
            }
            _ => None,
        }
    }

    /// The partition id (`aws`, `aws-us-gov`, `aws-cn`).
    pub fn id(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsCn => "aws-cn",
        }
    }

    /// The mail server the MX record of a MAIL FROM domain points at, for `region`.
    pub fn feedback_host(self, region: &str) -> String {
        match self {
            Partition::Aws | Partition::AwsUsGov => format!("feedback-smtp.{region}.amazonses.com"),
            Partition::AwsCn => format!("feedback-smtp.ses.{region}.amazonaws.com.cn"),
        }
    }

    /// The domain the SPF record includes.
    pub fn spf_include(self) -> &'static str {
        "amazonses.com"
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The type of a planned record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    Mx,
    Txt,
}

impl RecordType {
    /// `MX` or `TXT`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Mx => "MX",
            RecordType::Txt => "TXT",
        }
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One DNS record to publish. Names are written without the final dot; [`DnsRecord::zone_line`]
/// adds it where a zone file needs it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DnsRecord {
    /// `name` receives mail at `exchange` (SES's feedback endpoint).
    Mx {
        name: String,
        priority: u16,
        exchange: String,
        ttl: u32,
    },
    /// A text record; `text` is the value without quotes.
    Txt {
        name: String,
        text: String,
        ttl: u32,
    },
}

impl DnsRecord {
    /// The owner name (the MAIL FROM domain).
    pub fn name(&self) -> &str {
        match self {
            DnsRecord::Mx { name, .. } | DnsRecord::Txt { name, .. } => name,
        }
    }

    pub fn record_type(&self) -> RecordType {
        match self {
            DnsRecord::Mx { .. } => RecordType::Mx,
            DnsRecord::Txt { .. } => RecordType::Txt,
        }
    }

    /// The value as DNS providers' forms ask for it: `10 feedback-smtp.us-east-1.amazonses.com`
    /// for the MX record, the quoted text for the TXT record.
    pub fn value(&self) -> String {
        match self {
            DnsRecord::Mx {
                priority, exchange, ..
            } => format!("{priority} {exchange}"),
            DnsRecord::Txt { text, .. } => quote_txt(text),
        }
    }

    /// The MX priority; `None` for a TXT record.
    pub fn priority(&self) -> Option<u16> {
        match self {
            DnsRecord::Mx { priority, .. } => Some(*priority),
            DnsRecord::Txt { .. } => None,
        }
    }

    /// The suggested TTL in seconds.
    pub fn ttl(&self) -> u32 {
        match self {
            DnsRecord::Mx { ttl, .. } | DnsRecord::Txt { ttl, .. } => *ttl,
        }
    }

    /// The record as a line of a zone file (RFC 1035 master file format), names absolute:
    /// `mail.example.com. 1800 IN MX 10 feedback-smtp.us-east-1.amazonses.com.`
    pub fn zone_line(&self) -> String {
        match self {
            DnsRecord::Mx {
                name,
                priority,
                exchange,
                ttl,
            } => format!("{name}. {ttl} IN MX {priority} {exchange}."),
            DnsRecord::Txt { name, text, ttl } => {
                format!("{name}. {ttl} IN TXT {}", quote_txt(text))
            }
        }
    }
}

impl fmt::Display for DnsRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.zone_line())
    }
}

/// `text` in double quotes, with `"` and `\` escaped.
fn quote_txt(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Which input a [`PlanError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DomainRole {
    /// The domain of the identity (the identity itself, or the part after `@`).
    Identity,
    /// The MAIL FROM subdomain.
    MailFrom,
}

impl fmt::Display for DomainRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DomainRole::Identity => "identity domain",
            DomainRole::MailFrom => "MAIL FROM domain",
        })
    }
}

/// What is wrong with one label of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LabelProblem {
    /// Two dots in a row, or a dot at the start.
    Empty,
    /// Longer than 63 characters.
    TooLong {
        length: usize,
    },
    /// Not a letter, digit or hyphen.
    BadCharacter(char),
    LeadingHyphen,
    TrailingHyphen,
}

impl fmt::Display for LabelProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelProblem::Empty => f.write_str("is empty (two dots in a row, or a leading dot)"),
            LabelProblem::TooLong { length } => {
                write!(
                    f,
                    "is {length} characters long (at most {MAX_LABEL_LEN} are allowed)"
                )
            }
            LabelProblem::BadCharacter(c) => write!(
                f,
                "contains {:?}: only letters, digits and hyphens are allowed (write international \
                 names in their xn-- form)",
                c
            ),
            LabelProblem::LeadingHyphen => f.write_str("starts with a hyphen"),
            LabelProblem::TrailingHyphen => f.write_str("ends with a hyphen"),
        }
    }
}

/// Why a plan could not be made. Every message names the offending input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlanError {
    /// The identity or the MAIL FROM domain is empty (or only a dot).
    Empty { role: DomainRole },
    /// An email identity without a local part (`@example.com`).
    InvalidIdentity { identity: String, reason: String },
    /// The domain is longer than 253 characters.
    TooLong {
        role: DomainRole,
        domain: String,
        length: usize,
    },
    /// One label of the domain is not a valid DNS label.
    InvalidLabel {
        role: DomainRole,
        domain: String,
        label: String,
        problem: LabelProblem,
    },
    /// The MAIL FROM domain is not below the identity's domain.
    NotASubdomain {
        mail_from_domain: String,
        identity_domain: String,
    },
    /// The MAIL FROM domain is the identity's domain itself.
    SameAsIdentityDomain { domain: String },
    /// The region belongs to no partition with known MAIL FROM records (see [`Partition`]).
    UnsupportedRegion { region: String },
    /// [`MailFromPlan::for_client`] with a client that has no region.
    NoRegion,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Empty { role } => write!(f, "the {role} is empty"),
            PlanError::InvalidIdentity { identity, reason } => {
                write!(f, "identity {}: {reason}", shown(identity))
            }
            PlanError::TooLong {
                role,
                domain,
                length,
            } => write!(
                f,
                "{role} {} is {length} characters long; a DNS name has at most {MAX_NAME_LEN}",
                shown(domain)
            ),
            PlanError::InvalidLabel {
                role,
                domain,
                label,
                problem,
            } => write!(
                f,
                "{role} {}: label {} {problem}",
                shown(domain),
                shown(label)
            ),
            PlanError::NotASubdomain {
                mail_from_domain,
                identity_domain,
            } => write!(
                f,
                "MAIL FROM domain {} is not a subdomain of the identity's domain {}",
                shown(mail_from_domain),
                shown(identity_domain)
            ),
            PlanError::SameAsIdentityDomain { domain } => write!(
                f,
                "MAIL FROM domain {} is the identity's domain itself; use a subdomain of it, \
                 such as `mail.{}`",
                shown(domain),
                truncated(domain)
            ),
            PlanError::UnsupportedRegion { region } => write!(
                f,
                "region {}: the SES MAIL FROM records are only known for regions of the \
                 partitions aws, aws-us-gov and aws-cn",
                shown(region)
            ),
            PlanError::NoRegion => {
                f.write_str("the client has no region configured, and the MX record depends on it")
            }
        }
    }
}

impl std::error::Error for PlanError {}

/// `s` for an error message: at most [`SHOWN_LEN`] characters, control characters escaped,
/// in backquotes.
fn shown(s: &str) -> String {
    format!("`{}`", truncated(s))
}

fn truncated(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(SHOWN_LEN)
        .flat_map(char::escape_debug)
        .collect();
    if s.chars().nth(SHOWN_LEN).is_some() {
        out.push_str("...");
    }
    out
}

/// Lowercases `input`, drops one trailing dot and checks it is a DNS name of LDH labels.
fn normalize(input: &str, role: DomainRole) -> Result<String, PlanError> {
    let trimmed = input.strip_suffix('.').unwrap_or(input);
    if trimmed.is_empty() {
        return Err(PlanError::Empty { role });
    }
    let domain = trimmed.to_ascii_lowercase();
    for label in domain.split('.') {
        let problem = if label.is_empty() {
            Some(LabelProblem::Empty)
        } else if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            Some(LabelProblem::BadCharacter(c))
        } else if label.len() > MAX_LABEL_LEN {
            Some(LabelProblem::TooLong {
                length: label.len(),
            })
        } else if label.starts_with('-') {
            Some(LabelProblem::LeadingHyphen)
        } else if label.ends_with('-') {
            Some(LabelProblem::TrailingHyphen)
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(PlanError::InvalidLabel {
                role,
                domain: input.to_owned(),
                label: label.to_owned(),
                problem,
            });
        }
    }
    if domain.len() > MAX_NAME_LEN {
        return Err(PlanError::TooLong {
            role,
            domain: input.to_owned(),
            length: domain.len(),
        });
    }
    Ok(domain)
}

/// A validated MAIL FROM setup: the identity, its domain, the MAIL FROM subdomain, and the
/// region whose SES endpoint the MX record points at.
///
/// ```
/// use ses_client::mail_from::MailFromPlan;
///
/// let plan = MailFromPlan::new("user@Example.com", "Mail.example.com.", "eu-west-1")?;
/// assert_eq!(plan.identity_domain(), "example.com");
/// assert_eq!(plan.mail_from_domain(), "mail.example.com");
/// assert_eq!(
///     plan.zone_lines(),
///     [
///         "mail.example.com. 1800 IN MX 10 feedback-smtp.eu-west-1.amazonses.com.",
///         "mail.example.com. 1800 IN TXT \"v=spf1 include:amazonses.com ~all\"",
///     ]
/// );
/// # Ok::<(), ses_client::mail_from::PlanError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFromPlan {
    identity: String,
    identity_domain: String,
    mail_from_domain: String,
    region: String,
    partition: Partition,
    ttl: u32,
}

impl MailFromPlan {
    /// Validates `identity` (a domain, or an email address whose domain is the part after the
    /// last `@`) and `mail_from_domain` (a proper subdomain of that domain), case-insensitively
    /// and with a trailing dot tolerated, for SES in `region`.
    pub fn new(
        identity: &str,
        mail_from_domain: &str,
        region: &str,
    ) -> Result<MailFromPlan, PlanError> {
        let (identity, identity_domain) = match identity.rsplit_once('@') {
            Some((local, domain)) => {
                if local.is_empty() {
                    return Err(PlanError::InvalidIdentity {
                        identity: identity.to_owned(),
                        reason: "an email address needs a local part before `@`".to_owned(),
                    });
                }
                (
                    identity.to_owned(),
                    normalize(domain, DomainRole::Identity)?,
                )
            }
            None => {
                // SES (like DNS) treats domain identities case-insensitively and lists them in
                // lowercase.
                let domain = normalize(identity, DomainRole::Identity)?;
                (domain.clone(), domain)
            }
        };
        let mail_from = normalize(mail_from_domain, DomainRole::MailFrom)?;
        if mail_from == identity_domain {
            return Err(PlanError::SameAsIdentityDomain {
                domain: mail_from_domain.to_owned(),
            });
        }
        let below = mail_from
            .strip_suffix(identity_domain.as_str())
            .is_some_and(|prefix| prefix.ends_with('.'));
        if !below {
            return Err(PlanError::NotASubdomain {
                mail_from_domain: mail_from_domain.to_owned(),
                identity_domain,
            });
        }
        let partition =
            Partition::of_region(region).ok_or_else(|| PlanError::UnsupportedRegion {
                region: region.to_owned(),
            })?;
        Ok(MailFromPlan {
            identity,
            identity_domain,
            mail_from_domain: mail_from,
            region: region.to_owned(),
            partition,
            ttl: DEFAULT_TTL,
        })
    }

    /// [`MailFromPlan::new`] for the region `client` is configured with.
    pub fn for_client(
        client: &Client,
        identity: &str,
        mail_from_domain: &str,
    ) -> Result<MailFromPlan, PlanError> {
        let region = client.config().region().ok_or(PlanError::NoRegion)?;
        MailFromPlan::new(identity, mail_from_domain, region.as_ref())
    }

    /// The same plan with another suggested TTL (seconds) on both records.
    pub fn with_ttl(mut self, ttl: u32) -> MailFromPlan {
        self.ttl = ttl;
        self
    }

    /// The identity sent to SES: a domain identity lowercase without a trailing dot, an email
    /// address as given (its local part may be case-sensitive).
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// The identity's domain, lowercase.
    pub fn identity_domain(&self) -> &str {
        &self.identity_domain
    }

    /// The MAIL FROM domain, lowercase, without a trailing dot: what is sent to SES.
    pub fn mail_from_domain(&self) -> &str {
        &self.mail_from_domain
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn partition(&self) -> Partition {
        self.partition
    }

    pub fn ttl(&self) -> u32 {
        self.ttl
    }

    /// The MX record: `<mail from> MX 10 <SES feedback host of the region>`.
    pub fn mx_record(&self) -> DnsRecord {
        DnsRecord::Mx {
            name: self.mail_from_domain.clone(),
            priority: MX_PRIORITY,
            exchange: self.partition.feedback_host(&self.region),
            ttl: self.ttl,
        }
    }

    /// The SPF record: `<mail from> TXT "v=spf1 include:amazonses.com ~all"`. When the
    /// subdomain already has an SPF record, merge the `include:` into it instead: a name may
    /// have only one.
    pub fn spf_record(&self) -> DnsRecord {
        DnsRecord::Txt {
            name: self.mail_from_domain.clone(),
            text: format!("v=spf1 include:{} ~all", self.partition.spf_include()),
            ttl: self.ttl,
        }
    }

    /// Both records, MX first.
    pub fn records(&self) -> [DnsRecord; 2] {
        [self.mx_record(), self.spf_record()]
    }

    /// Both records as zone-file lines.
    pub fn zone_lines(&self) -> [String; 2] {
        [self.mx_record().zone_line(), self.spf_record().zone_line()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_follow_the_endpoint_data_patterns() {
        for (region, partition) in [
            ("us-east-1", Some(Partition::Aws)),
            ("il-central-1", Some(Partition::Aws)),
            ("mx-central-1", Some(Partition::Aws)),
            ("us-gov-west-1", Some(Partition::AwsUsGov)),
            ("us-gov-east-1", Some(Partition::AwsUsGov)),
            ("cn-north-1", Some(Partition::AwsCn)),
            ("cn-northwest-1", Some(Partition::AwsCn)),
            ("us-iso-east-1", None),
            ("us-isob-east-1", None),
            ("eu-isoe-west-1", None),
            ("eusc-de-east-1", None),
            ("US-EAST-1", None),
            ("us-east-1.evil.com", None),
            ("us-east-x", None),
            ("", None),
        ] {
            assert_eq!(Partition::of_region(region), partition, "{region}");
        }
    }

    #[test]
    fn txt_values_are_quoted_with_escapes() {
        assert_eq!(quote_txt(r#"a"b\c"#), r#""a\"b\\c""#);
    }

    #[test]
    fn long_inputs_are_cut_in_messages() {
        let long = "a".repeat(1000);
        let err = MailFromPlan::new(&long, "mail.example.com", "us-east-1").unwrap_err();
        let text = err.to_string();
        // The domain and the label, each cut at SHOWN_LEN characters.
        assert!(text.len() < 2 * SHOWN_LEN + 100, "{text}");
        assert_eq!(text.matches("...`").count(), 2, "{text}");
    }
}
