//! `ses_client::mail_from::dns` (cargo feature `dns-check`) against a tiny DNS server on
//! 127.0.0.1 (UDP) that this file starts: it answers MX and TXT queries from a table, with
//! NXDOMAIN for names it does not have, or not at all (to test the time-out).
//!
//! Run with `cargo test -p ses-client --features dns-check --test mail_from_dns`.

#![cfg(feature = "dns-check")]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use ses_client::mail_from::dns::{DnsCheckError, DnsChecker, Problem, RecordState};
use ses_client::mail_from::{MailFromPlan, RecordType};
use tokio::net::UdpSocket;

const MAIL_FROM: &str = "mail.example.com";
const SES_MX: &str = "feedback-smtp.us-east-1.amazonses.com";
const SES_SPF: &str = "v=spf1 include:amazonses.com ~all";
/// Bound on every test (real time: the server is real).
const TEST_BOUND: Duration = Duration::from_secs(30);

const TYPE_MX: u16 = 15;
const TYPE_TXT: u16 = 16;

/// The records of one name: MX as (preference, host), TXT as lists of character-strings.
#[derive(Clone, Default)]
struct Records {
    mx: Vec<(u16, String)>,
    txt: Vec<Vec<String>>,
}

impl Records {
    fn mx(mut self, preference: u16, host: &str) -> Self {
        self.mx.push((preference, host.to_owned()));
        self
    }

    fn txt(mut self, strings: &[&str]) -> Self {
        self.txt
            .push(strings.iter().map(|s| (*s).to_owned()).collect());
        self
    }
}

/// A DNS server on 127.0.0.1; stops when dropped.
struct DnsServer {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl DnsServer {
    /// Answers from `zone` (keys lowercase, without the final dot).
    async fn start(zone: HashMap<String, Records>) -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind udp");
        let addr = socket.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            loop {
                let Ok((n, peer)) = socket.recv_from(&mut buf).await else {
                    continue;
                };
                if let Some(reply) = answer(&buf[..n], &zone) {
                    let _ = socket.send_to(&reply, peer).await;
                }
            }
        });
        DnsServer { addr, task }
    }

    /// Reads queries and never answers.
    async fn silent() -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind udp");
        let addr = socket.local_addr().expect("local addr");
        let task = tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while socket.recv_from(&mut buf).await.is_ok() {}
        });
        DnsServer { addr, task }
    }
}

/// `name` in wire format (uncompressed labels).
fn encode_name(name: &str, out: &mut Vec<u8>) {
    for label in name.trim_end_matches('.').split('.') {
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
}

/// The response to one query, or `None` for a packet that is not a query we understand.
fn answer(query: &[u8], zone: &HashMap<String, Records>) -> Option<Vec<u8>> {
    if query.len() < 12 || u16::from_be_bytes([query[4], query[5]]) != 1 {
        return None;
    }
    // The question: a name of labels, then type and class.
    let mut i = 12;
    let mut labels = Vec::new();
    loop {
        let len = *query.get(i)? as usize;
        i += 1;
        if len == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(query.get(i..i + len)?).to_ascii_lowercase());
        i += len;
    }
    let qtype = u16::from_be_bytes([*query.get(i)?, *query.get(i + 1)?]);
    let question_end = i + 4;
    let name = labels.join(".");

    let flags_in = u16::from_be_bytes([query[2], query[3]]);
    let (rcode, answers): (u16, Vec<(u16, Vec<u8>)>) = match zone.get(&name) {
        None => (3, Vec::new()), // NXDOMAIN
        Some(records) => {
            let mut answers = Vec::new();
            if qtype == TYPE_MX {
                for (preference, host) in &records.mx {
                    let mut rdata = preference.to_be_bytes().to_vec();
                    encode_name(host, &mut rdata);
                    answers.push((TYPE_MX, rdata));
                }
            }
            if qtype == TYPE_TXT {
                for strings in &records.txt {
                    let mut rdata = Vec::new();
                    for s in strings {
                        rdata.push(s.len() as u8);
                        rdata.extend_from_slice(s.as_bytes());
                    }
                    answers.push((TYPE_TXT, rdata));
                }
            }
            (0, answers)
        }
    };

    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(&query[0..2]); // id
    // QR, the query's opcode and RD, AA, RA, the response code.
    let flags = 0x8000 | (flags_in & 0x7900) | 0x0400 | 0x0080 | rcode;
    out.extend_from_slice(&flags.to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&(answers.len() as u16).to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(query.get(12..question_end)?);
    for (rtype, rdata) in answers {
        out.extend_from_slice(&[0xC0, 0x0C]); // the name of the question
        out.extend_from_slice(&rtype.to_be_bytes());
        out.extend_from_slice(&1u16.to_be_bytes()); // IN
        out.extend_from_slice(&300u32.to_be_bytes());
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(&rdata);
    }
    Some(out)
}

fn plan() -> MailFromPlan {
    MailFromPlan::new("example.com", MAIL_FROM, "us-east-1").expect("plan")
}

async fn check(
    zone: Vec<(&str, Records)>,
    plan: &MailFromPlan,
) -> ses_client::mail_from::dns::DnsReport {
    let zone = zone
        .into_iter()
        .map(|(name, records)| (name.to_owned(), records))
        .collect();
    let server = DnsServer::start(zone).await;
    tokio::time::timeout(
        TEST_BOUND,
        DnsChecker::with_name_server(server.addr)
            .timeout(Duration::from_secs(10))
            .check(plan),
    )
    .await
    .expect("the check took longer than the test's bound")
    .expect("the check should get answers")
}

#[tokio::test]
async fn correct_records_are_present() {
    let records = Records::default()
        .mx(10, SES_MX)
        .txt(&["google-site-verification=abc"])
        .txt(&[SES_SPF]);
    let report = check(vec![(MAIL_FROM, records)], &plan()).await;
    assert_eq!(report.mx.state, RecordState::Present);
    assert_eq!(report.spf.state, RecordState::Present);
    assert!(report.all_present());
    assert_eq!(report.mx.expected, plan().mx_record());
    assert_eq!(report.spf.expected, plan().spf_record());
    assert_eq!(
        report.mx.to_string(),
        "MX mail.example.com: present (10 feedback-smtp.us-east-1.amazonses.com)"
    );
    assert_eq!(
        report.spf.to_string(),
        "SPF (TXT) mail.example.com: present (\"v=spf1 include:amazonses.com ~all\")"
    );

    // Host names compare without case; the priority does not matter with a single MX; an SPF
    // record split into two strings is read joined; other mechanisms may be there.
    let records = Records::default()
        .mx(20, "Feedback-SMTP.US-East-1.AmazonSES.com")
        .txt(&["v=spf1 ip4:192.0.2.0/24 include:amazon", "ses.com -all"]);
    let report = check(vec![(MAIL_FROM, records)], &plan()).await;
    assert!(report.all_present(), "{report:?}");
}

#[tokio::test]
async fn records_that_are_not_there_are_missing() {
    // The name does not exist at all (NXDOMAIN).
    let report = check(vec![("example.com", Records::default())], &plan()).await;
    assert_eq!(report.mx.state, RecordState::Missing);
    assert_eq!(report.spf.state, RecordState::Missing);
    assert!(!report.all_present());
    assert_eq!(
        report.mx.to_string(),
        "MX mail.example.com: missing; add `mail.example.com. 1800 IN MX 10 \
         feedback-smtp.us-east-1.amazonses.com.`"
    );
    assert_eq!(
        report.spf.to_string(),
        "SPF (TXT) mail.example.com: missing; add `mail.example.com. 1800 IN TXT \"v=spf1 \
         include:amazonses.com ~all\"`"
    );

    // The name exists with other records only (no MX, no SPF among its TXT records).
    let records = Records::default().txt(&["hello"]);
    let report = check(vec![(MAIL_FROM, records)], &plan()).await;
    assert_eq!(report.mx.state, RecordState::Missing);
    assert_eq!(report.spf.state, RecordState::Missing);

    // Only the MX is there.
    let records = Records::default().mx(10, SES_MX);
    let report = check(vec![(MAIL_FROM, records)], &plan()).await;
    assert_eq!(report.mx.state, RecordState::Present);
    assert_eq!(report.spf.state, RecordState::Missing);
}

#[tokio::test]
async fn wrong_records_say_what_was_found() {
    let records = Records::default()
        .mx(20, "mx.example.net")
        .txt(&["v=spf1 -all"]);
    let report = check(vec![(MAIL_FROM, records)], &plan()).await;
    assert_eq!(
        report.mx.state,
        RecordState::Wrong {
            found: vec!["20 mx.example.net".to_owned()],
            problem: Problem::OtherValue,
        }
    );
    assert_eq!(
        report.spf.state,
        RecordState::Wrong {
            found: vec!["v=spf1 -all".to_owned()],
            problem: Problem::OtherValue,
        }
    );
    assert_eq!(
        report.mx.to_string(),
        "MX mail.example.com: wrong: another value; found `20 mx.example.net`; expected \
         `10 feedback-smtp.us-east-1.amazonses.com`"
    );
    assert_eq!(
        report.spf.to_string(),
        "SPF (TXT) mail.example.com: wrong: another value; found `v=spf1 -all`; expected \
         `\"v=spf1 include:amazonses.com ~all\"`"
    );

    // The MX host of another region is wrong too.
    let records = Records::default()
        .mx(10, "feedback-smtp.eu-west-1.amazonses.com")
        .txt(&[SES_SPF]);
    let report = check(vec![(MAIL_FROM, records)], &plan()).await;
    assert!(
        matches!(
            &report.mx.state,
            RecordState::Wrong {
                problem: Problem::OtherValue,
                ..
            }
        ),
        "{report:?}"
    );
}

#[tokio::test]
async fn several_records_are_wrong_even_when_one_of_them_is_right() {
    let records = Records::default()
        .mx(10, SES_MX)
        .mx(20, "backup-mx.example.net")
        .txt(&[SES_SPF])
        .txt(&["v=spf1 include:_spf.example.net ~all"]);
    let report = check(vec![(MAIL_FROM, records)], &plan()).await;
    match &report.mx.state {
        RecordState::Wrong { found, problem } => {
            assert_eq!(*problem, Problem::SeveralMx);
            let mut found = found.clone();
            found.sort();
            assert_eq!(
                found,
                vec![
                    format!("10 {SES_MX}"),
                    "20 backup-mx.example.net".to_owned()
                ]
            );
        }
        other => panic!("expected Wrong, got {other:?}"),
    }
    assert!(
        matches!(&report.spf.state, RecordState::Wrong { problem: Problem::SeveralSpf, found } if found.len() == 2),
        "{report:?}"
    );
    assert!(
        report
            .mx
            .to_string()
            .contains("more than one MX record (SES needs exactly one)"),
        "{}",
        report.mx
    );
}

#[tokio::test]
async fn the_china_host_is_checked_for_a_china_plan() {
    let plan = MailFromPlan::new("example.cn", "mail.example.cn", "cn-northwest-1").expect("plan");
    let records = Records::default()
        .mx(10, "feedback-smtp.ses.cn-northwest-1.amazonaws.com.cn")
        .txt(&[SES_SPF]);
    let report = check(vec![("mail.example.cn", records)], &plan).await;
    assert!(report.all_present(), "{report:?}");
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout_within_the_bound() {
    let server = DnsServer::silent().await;
    let started = Instant::now();
    let err = tokio::time::timeout(
        TEST_BOUND,
        DnsChecker::with_name_server(server.addr)
            .timeout(Duration::from_millis(400))
            .check(&plan()),
    )
    .await
    .expect("the check must end by itself")
    .expect_err("no answer");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(
        err,
        DnsCheckError::TimedOut {
            name: MAIL_FROM.to_owned(),
            record_type: RecordType::Mx,
            timeout: Duration::from_millis(400),
        }
    );
    assert_eq!(
        err.to_string(),
        "DNS lookup of the MX records of mail.example.com got no answer within 400ms"
    );
}
