//! Looking up the planned records in DNS (cargo feature `dns-check`).
//!
//! [`DnsChecker::check`] asks a resolver for the MX and TXT records of the MAIL FROM domain and
//! reports each planned record as [`RecordState::Present`], [`RecordState::Missing`] or
//! [`RecordState::Wrong`] (with what was found). It works before [`super::ensure`] (are the
//! records in place?) and after it (why is SES still `Pending`?).
//!
//! The rules, which follow what SES needs:
//!
//! - MX: present when the name has exactly one MX record and it points at the planned host
//!   (case-insensitive; the priority does not matter with a single record). Several MX records
//!   are wrong even if one of them is right: SES fails the setup when it finds more than one.
//! - SPF: present when the name has exactly one TXT record starting with `v=spf1` and it
//!   contains the planned `include:` (other mechanisms may be there too). Two SPF records make
//!   SPF fail for receivers, so that is wrong as well. TXT records that are not SPF are ignored.
//!
//! A resolver caches: right after a zone change it may still answer with the old records. A
//! fresh resolver is built for every check, so only the name servers' caches matter.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;

use super::plan::{DnsRecord, MailFromPlan, RecordType};

/// The default bound on a whole check (both lookups, every retry): 10 seconds.
pub const DEFAULT_DNS_TIMEOUT: Duration = Duration::from_secs(10);

/// How a check finds its name servers and how long it may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsChecker {
    /// `None`: the system's resolver configuration (`/etc/resolv.conf` on Unix).
    name_servers: Option<Vec<SocketAddr>>,
    timeout: Duration,
}

impl Default for DnsChecker {
    fn default() -> Self {
        DnsChecker::system()
    }
}

impl DnsChecker {
    /// Asks the name servers of the system's resolver configuration, read at each check.
    pub fn system() -> Self {
        DnsChecker {
            name_servers: None,
            timeout: DEFAULT_DNS_TIMEOUT,
        }
    }

    /// Asks only the name server at `addr` (UDP, and TCP when an answer is truncated).
    pub fn with_name_server(addr: SocketAddr) -> Self {
        DnsChecker {
            name_servers: Some(vec![addr]),
            timeout: DEFAULT_DNS_TIMEOUT,
        }
    }

    /// Also asks the name server at `addr` (after the ones given before; replaces the system
    /// configuration).
    pub fn name_server(mut self, addr: SocketAddr) -> Self {
        self.name_servers.get_or_insert_with(Vec::new).push(addr);
        self
    }

    /// The bound on a whole check (default [`DEFAULT_DNS_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Looks up the MX and TXT records of `plan`'s MAIL FROM domain and compares them with
    /// the plan. Returns within the timeout.
    pub async fn check(&self, plan: &MailFromPlan) -> Result<DnsReport, DnsCheckError> {
        let resolver = self.resolver()?;
        let deadline = tokio::time::Instant::now() + self.timeout;
        // The absolute name, so no search domain is tried.
        let name = format!("{}.", plan.mail_from_domain());

        let mx_expected = plan.mx_record();
        let mx = self
            .bounded(
                deadline,
                &name,
                RecordType::Mx,
                resolver.mx_lookup(name.as_str()),
            )
            .await?;
        let mx_found: Vec<(u16, String)> = mx
            .iter()
            .filter_map(|r| match r {
                RData::MX(mx) => Some((mx.preference, mx.exchange.to_ascii())),
                _ => None,
            })
            .collect();

        let spf_expected = plan.spf_record();
        let txt = self
            .bounded(
                deadline,
                &name,
                RecordType::Txt,
                resolver.txt_lookup(name.as_str()),
            )
            .await?;
        let txt_found: Vec<String> = txt
            .iter()
            .filter_map(|r| match r {
                // One record may be split into several strings; SPF reads them joined.
                RData::TXT(txt) => Some(
                    txt.txt_data
                        .iter()
                        .map(|s| String::from_utf8_lossy(s))
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect();

        Ok(DnsReport {
            mx: RecordCheck {
                state: judge_mx(&mx_expected, &mx_found),
                expected: mx_expected,
            },
            spf: RecordCheck {
                state: judge_spf(plan.partition().spf_include(), &txt_found),
                expected: spf_expected,
            },
        })
    }

    fn resolver(&self) -> Result<TokioResolver, DnsCheckError> {
        let provider = TokioRuntimeProvider::default();
        let mut builder = match &self.name_servers {
            None => TokioResolver::builder(provider).map_err(|e| DnsCheckError::SystemConfig {
                message: e.to_string(),
            })?,
            Some(addrs) => {
                let servers = addrs
                    .iter()
                    .map(|addr| {
                        let mut server = NameServerConfig::udp_and_tcp(addr.ip());
                        for connection in &mut server.connections {
                            connection.port = addr.port();
                        }
                        server
                    })
                    .collect();
                TokioResolver::builder_with_config(
                    ResolverConfig::from_name_servers(servers),
                    provider,
                )
            }
        };
        let opts: &mut ResolverOpts = builder.options_mut();
        // Two tries per server within the overall bound, which `bounded` enforces anyway.
        opts.timeout = (self.timeout / 2).max(Duration::from_millis(100));
        opts.attempts = 2;
        builder.build().map_err(|e| DnsCheckError::Resolver {
            message: e.to_string(),
        })
    }

    /// `lookup`'s records; none when the name or the type does not exist.
    async fn bounded(
        &self,
        deadline: tokio::time::Instant,
        name: &str,
        record_type: RecordType,
        lookup: impl std::future::Future<Output = Result<hickory_resolver::lookup::Lookup, NetError>>,
    ) -> Result<Vec<RData>, DnsCheckError> {
        let name = name.strip_suffix('.').unwrap_or(name);
        match tokio::time::timeout_at(deadline, lookup).await {
            Err(_) => Err(DnsCheckError::TimedOut {
                name: name.to_owned(),
                record_type,
                timeout: self.timeout,
            }),
            Ok(Ok(found)) => Ok(found.answers().iter().map(|r| r.data.clone()).collect()),
            Ok(Err(e)) if e.is_no_records_found() => Ok(Vec::new()),
            Ok(Err(NetError::Timeout)) => Err(DnsCheckError::TimedOut {
                name: name.to_owned(),
                record_type,
                timeout: self.timeout,
            }),
            Ok(Err(e)) => Err(DnsCheckError::Lookup {
                name: name.to_owned(),
                record_type,
                message: e.to_string(),
            }),
        }
    }
}

fn bare(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn judge_mx(expected: &DnsRecord, found: &[(u16, String)]) -> RecordState {
    let DnsRecord::Mx { exchange, .. } = expected else {
        return RecordState::Missing;
    };
    let shown = || {
        found
            .iter()
            .map(|(p, host)| format!("{p} {}", bare(host)))
            .collect::<Vec<_>>()
    };
    match found {
        [] => RecordState::Missing,
        [(_, host)] if bare(host) == bare(exchange) => RecordState::Present,
        [_] => RecordState::Wrong {
            found: shown(),
            problem: Problem::OtherValue,
        },
        _ => RecordState::Wrong {
            found: shown(),
            problem: Problem::SeveralMx,
        },
    }
}

fn is_spf(text: &str) -> bool {
    let t = text.trim_start();
    t.get(..6).is_some_and(|v| v.eq_ignore_ascii_case("v=spf1"))
        && t[6..].chars().next().is_none_or(char::is_whitespace)
}

fn judge_spf(include: &str, found: &[String]) -> RecordState {
    let spf: Vec<&String> = found.iter().filter(|t| is_spf(t)).collect();
    match spf.as_slice() {
        [] => RecordState::Missing,
        [one] => {
            let wanted = format!("include:{include}");
            let included = one.split_whitespace().any(|term| {
                let term = term.strip_prefix('+').unwrap_or(term);
                let term = term.strip_suffix('.').unwrap_or(term);
                term.eq_ignore_ascii_case(&wanted)
            });
            if included {
                RecordState::Present
            } else {
                RecordState::Wrong {
                    found: vec![(*one).clone()],
                    problem: Problem::OtherValue,
                }
            }
        }
        _ => RecordState::Wrong {
            found: spf.into_iter().cloned().collect(),
            problem: Problem::SeveralSpf,
        },
    }
}

/// The result of a check: one entry per planned record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DnsReport {
    pub mx: RecordCheck,
    pub spf: RecordCheck,
}

impl DnsReport {
    /// Whether both records are present.
    pub fn all_present(&self) -> bool {
        self.mx.state == RecordState::Present && self.spf.state == RecordState::Present
    }

    /// Both checks, MX first.
    pub fn checks(&self) -> [&RecordCheck; 2] {
        [&self.mx, &self.spf]
    }
}

/// One planned record and what DNS has for it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecordCheck {
    pub expected: DnsRecord,
    pub state: RecordState,
}

impl fmt::Display for RecordCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.expected.record_type() {
            RecordType::Mx => "MX",
            RecordType::Txt => "SPF (TXT)",
        };
        write!(f, "{kind} {}: ", self.expected.name())?;
        match &self.state {
            RecordState::Present => write!(f, "present ({})", self.expected.value()),
            RecordState::Missing => write!(f, "missing; add `{}`", self.expected.zone_line()),
            RecordState::Wrong { found, problem } => {
                write!(f, "wrong: {problem}; found")?;
                for (i, value) in found.iter().enumerate() {
                    let sep = if i == 0 { " " } else { ", " };
                    write!(f, "{sep}`{}`", value.escape_debug())?;
                }
                write!(f, "; expected `{}`", self.expected.value())
            }
        }
    }
}

/// What DNS has for one planned record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordState {
    Present,
    /// No record of that kind (for SPF: no TXT record starting with `v=spf1`).
    Missing,
    /// Records are there but not what SES needs; `found` holds them (MX as `priority host`,
    /// SPF as text).
    Wrong {
        found: Vec<String>,
        problem: Problem,
    },
}

/// Why a record is [`RecordState::Wrong`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Problem {
    /// One record with another value (another MX host; an SPF record without the include).
    OtherValue,
    /// More than one MX record.
    SeveralMx,
    /// More than one SPF record.
    SeveralSpf,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::OtherValue => "another value",
            Problem::SeveralMx => "more than one MX record (SES needs exactly one)",
            Problem::SeveralSpf => "more than one SPF record (a name may have only one)",
        })
    }
}

/// Why a check could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DnsCheckError {
    /// The system resolver configuration could not be read.
    SystemConfig { message: String },
    /// The resolver could not be set up.
    Resolver { message: String },
    /// No answer within the timeout.
    TimedOut {
        name: String,
        record_type: RecordType,
        timeout: Duration,
    },
    /// The lookup failed (a server failure, a refused query, a network error).
    Lookup {
        name: String,
        record_type: RecordType,
        message: String,
    },
}

impl fmt::Display for DnsCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DnsCheckError::SystemConfig { message } => {
                write!(
                    f,
                    "cannot read the system's DNS resolver configuration: {message}"
                )
            }
            DnsCheckError::Resolver { message } => {
                write!(f, "cannot set up the DNS resolver: {message}")
            }
            DnsCheckError::TimedOut {
                name,
                record_type,
                timeout,
            } => write!(
                f,
                "DNS lookup of the {record_type} records of {name} got no answer within {timeout:?}"
            ),
            DnsCheckError::Lookup {
                name,
                record_type,
                message,
            } => write!(
                f,
                "DNS lookup of the {record_type} records of {name} failed: {message}"
            ),
        }
    }
}

impl std::error::Error for DnsCheckError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spf_detection_and_include_matching() {
        assert!(is_spf("v=spf1 include:amazonses.com ~all"));
        assert!(is_spf("V=SPF1"));
        assert!(!is_spf("v=spf10 -all"));
        assert!(!is_spf("google-site-verification=abc"));
        let ok = |t: &str| judge_spf("amazonses.com", &[t.to_owned()]);
        assert_eq!(
            ok("v=spf1 include:amazonses.com ~all"),
            RecordState::Present
        );
        assert_eq!(
            ok("v=spf1 ip4:192.0.2.1 +include:AmazonSES.com. -all"),
            RecordState::Present
        );
        assert!(matches!(
            ok("v=spf1 include:amazonses.com.evil ~all"),
            RecordState::Wrong { .. }
        ));
        assert_eq!(ok("hello"), RecordState::Missing);
    }
}
