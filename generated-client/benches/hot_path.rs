//! Micro-benchmarks of the per-call hot path (see BENCHMARKS.md): `cargo bench -p ses-client`.
//!
//! The generated serializers, deserializers and `Operation` statics are crate-private, so the
//! serialize / parse benches drive the public runtime (`runtime::query`, `runtime::xml`) with
//! exactly the calls the generated code makes for these operations (`ser.rs` / `de.rs`), and
//! `call/*` runs the whole generated path (builder, validation, serializer, signing, HTTP,
//! deserializer) against an in-process HTTP/1.1 stub on 127.0.0.1.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use aws_client_runtime::protocol::aws_query::CONTENT_TYPE;
use aws_client_runtime::query::{Key, QueryValue, QueryWriter};
use aws_client_runtime::send::SetRequestId;
use aws_client_runtime::sign::{SigningContext, SigningInput, sign};
use aws_client_runtime::time::Format;
use aws_client_runtime::xml::{self, Document, Node, XmlError};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ses_client::Credentials;
use ses_client::operation::get_send_statistics::GetSendStatisticsOutput;
use ses_client::operation::list_identities::ListIdentitiesOutput;
use ses_client::operation::set_identity_mail_from_domain::SetIdentityMailFromDomainInput;
use ses_client::operation::set_identity_mail_from_domain::SetIdentityMailFromDomainOutput;
use ses_client::types::{BehaviorOnMxFailure, SendDataPoint};

const SET_MAIL_FROM_RESPONSE: &str = r#"<SetIdentityMailFromDomainResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
  <SetIdentityMailFromDomainResult/>
  <ResponseMetadata>
    <RequestId>0d2f5c3a-7e61-4b8e-9f4a-3c1d2e5b6a70</RequestId>
  </ResponseMetadata>
</SetIdentityMailFromDomainResponse>
"#;

fn list_identities_response(members: usize) -> String {
    let mut s = String::from(
        "<ListIdentitiesResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">\n  <ListIdentitiesResult>\n    <Identities>\n",
    );
    for i in 0..members {
        s.push_str(&format!(
            "      <member>user{i}@mail{}.example.com</member>\n",
            i % 17
        ));
    }
    s.push_str("    </Identities>\n    <NextToken>QUFBQUFBQUFBQUFBQUFBQQ==</NextToken>\n  </ListIdentitiesResult>\n  <ResponseMetadata>\n    <RequestId>7ad8e1a2-4c1b-11e5-9e5b-3d3b4f1f2a90</RequestId>\n  </ResponseMetadata>\n</ListIdentitiesResponse>\n");
    s
}

fn get_send_statistics_response(points: usize) -> String {
    let mut s = String::from(
        "<GetSendStatisticsResponse xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\">\n  <GetSendStatisticsResult>\n    <SendDataPoints>\n",
    );
    for i in 0..points {
        let minute = i % 60;
        let hour = (i / 60) % 24;
        s.push_str(&format!(
            "      <member>\n        <DeliveryAttempts>{}</DeliveryAttempts>\n        <Timestamp>2026-11-{:02}T{hour:02}:{minute:02}:00Z</Timestamp>\n        <Rejects>{}</Rejects>\n        <Bounces>{}</Bounces>\n        <Complaints>{}</Complaints>\n      </member>\n",
            1000 + i,
            1 + (i / 1440) % 28,
            i % 3,
            i % 7,
            i % 2
        ));
    }
    s.push_str("    </SendDataPoints>\n  </GetSendStatisticsResult>\n  <ResponseMetadata>\n    <RequestId>c2b2f3c1-4c1b-11e5-9e5b-3d3b4f1f2a90</RequestId>\n  </ResponseMetadata>\n</GetSendStatisticsResponse>\n");
    s
}

/// What `runtime::protocol::aws_query::read_response` does for a 2xx body: parse, check the root name, find
/// `<{Op}Result>`, run the output parser, take the request id from `ResponseMetadata`.
fn parse_success<O: SetRequestId>(
    body: &str,
    op: &str,
    parse_output: impl Fn(Node<'_>) -> Result<O, XmlError>,
) -> O {
    let doc = xml::parse(body).expect("valid XML");
    let root = doc.root();
    let expected = format!("{op}Response");
    assert_eq!(root.name(), expected);
    let result_name = format!("{op}Result");
    let empty = Document::empty();
    let result = root.child(&result_name).unwrap_or(empty.root());
    let mut out = parse_output(result).expect("valid output");
    let request_id = root
        .child("ResponseMetadata")
        .and_then(|m| m.child("RequestId"))
        .map(|n| n.text().trim().to_owned());
    out.set_request_id(request_id);
    out
}

/// `de_list_identities_output` / `de_identity_list` as generated.
fn de_list_identities(node: Node<'_>) -> Result<ListIdentitiesOutput, XmlError> {
    let mut out = ListIdentitiesOutput::default();
    for child in node.children() {
        match child.name() {
            "Identities" => {
                let mut list = Vec::new();
                for m in child.children() {
                    if m.name() == "member" {
                        list.push(m.text().to_owned());
                    }
                }
                out.identities = Some(list);
            }
            "NextToken" => out.next_token = Some(child.text().to_owned()),
            _ => {}
        }
    }
    Ok(out)
}

/// `de_get_send_statistics_output` / `de_send_data_point_list` / `de_send_data_point` as
/// generated.
fn de_get_send_statistics(node: Node<'_>) -> Result<GetSendStatisticsOutput, XmlError> {
    let mut out = GetSendStatisticsOutput::default();
    for child in node.children() {
        if child.name() == "SendDataPoints" {
            let mut list = Vec::new();
            for m in child.children() {
                if m.name() != "member" {
                    continue;
                }
                let mut p = SendDataPoint::default();
                for f in m.children() {
                    match f.name() {
                        "Timestamp" => {
                            p.timestamp = Some(xml::parse_timestamp(
                                "Timestamp",
                                f.text(),
                                Format::DateTime,
                            )?)
                        }
                        "DeliveryAttempts" => {
                            p.delivery_attempts =
                                Some(xml::parse_int::<i64>("DeliveryAttempts", f.text())?)
                        }
                        "Bounces" => p.bounces = Some(xml::parse_int::<i64>("Bounces", f.text())?),
                        "Complaints" => {
                            p.complaints = Some(xml::parse_int::<i64>("Complaints", f.text())?)
                        }
                        "Rejects" => p.rejects = Some(xml::parse_int::<i64>("Rejects", f.text())?),
                        _ => {}
                    }
                }
                list.push(p);
            }
            out.send_data_points = Some(list);
        }
    }
    Ok(out)
}

/// The generated serializer of `SetIdentityMailFromDomain`'s input, after `QueryWriter::new`
/// (what the client runs for each call).
fn serialize_set_mail_from(input: &SetIdentityMailFromDomainInput) -> String {
    let mut w = QueryWriter::new("SetIdentityMailFromDomain", "2010-12-01");
    input.write_query(&mut w, Key::Plain(""));
    w.finish()
}

fn bench_serialize_and_sign(c: &mut Criterion) {
    let input = SetIdentityMailFromDomainInput::builder()
        .identity("example.com")
        .mail_from_domain("bounces.example.com")
        .behavior_on_mx_failure(BehaviorOnMxFailure::UseDefaultValue)
        .build()
        .expect("an input builder never fails");
    let body = serialize_set_mail_from(&input);
    let mut g = c.benchmark_group("request");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("serialize/SetIdentityMailFromDomain", |b| {
        b.iter(|| black_box(serialize_set_mail_from(black_box(&input))))
    });
    let creds = Credentials::from_keys(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    );
    let time = UNIX_EPOCH + Duration::from_secs(1_795_000_000);
    let headers = [("content-type", CONTENT_TYPE)];
    g.bench_function("sign/SetIdentityMailFromDomain", |b| {
        b.iter(|| {
            let ctx = SigningContext::new(&creds, "us-east-1", "ses", time);
            let input = SigningInput {
                method: "POST",
                uri: black_box("http://127.0.0.1:18439/"),
                headers: &headers,
                body: body.as_bytes(),
            };
            black_box(sign(&input, &ctx).expect("signs"))
        })
    });
    // What the client runs since issue 18: the fast path, with the day's signing key cached
    // (the full signer above is its fallback and the reference its tests compare against).
    let keys = aws_client_runtime::sign_fast::SigningKeyCache::new();
    g.bench_function("sign_fast/SetIdentityMailFromDomain", |b| {
        b.iter(|| {
            let ctx = SigningContext::new(&creds, "us-east-1", "ses", time);
            let input = SigningInput {
                method: "POST",
                uri: black_box("http://127.0.0.1:18439/"),
                headers: &headers,
                body: body.as_bytes(),
            };
            black_box(aws_client_runtime::sign_fast::sign(&input, &ctx, &keys))
        })
    });
    // Evidence for BENCHMARKS.md: the parts of a call that could be done once instead of per
    // call. aws-sigv4 derives the signing key (four HMAC-SHA256) on every `sign`, and reqwest
    // parses the URL string (`url::Url`, with IDNA) on every `post(&str)`.
    g.bench_function("sign/generate_signing_key", |b| {
        b.iter(|| {
            let key = aws_sigv4::sign::v4::generate_signing_key(
                black_box(creds.secret_access_key()),
                time,
                "us-east-1",
                "ses",
            );
            black_box(key.as_ref()[0])
        })
    });
    g.bench_function("url_parse/per_call", |b| {
        b.iter(|| black_box(reqwest::Url::parse(black_box("http://127.0.0.1:18439/"))))
    });
    g.finish();
}

fn bench_parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("response");
    g.throughput(Throughput::Bytes(SET_MAIL_FROM_RESPONSE.len() as u64));
    g.bench_function("parse/SetIdentityMailFromDomain", |b| {
        b.iter(|| {
            black_box(parse_success(
                black_box(SET_MAIL_FROM_RESPONSE),
                "SetIdentityMailFromDomain",
                |_| Ok(SetIdentityMailFromDomainOutput::default()),
            ))
        })
    });
    let list = list_identities_response(1000);
    let out = parse_success(&list, "ListIdentities", de_list_identities);
    assert_eq!(out.identities.as_ref().map(Vec::len), Some(1000));
    g.throughput(Throughput::Bytes(list.len() as u64));
    g.bench_function("parse/ListIdentities_1000", |b| {
        b.iter(|| {
            black_box(parse_success(
                black_box(&list),
                "ListIdentities",
                de_list_identities,
            ))
        })
    });
    let stats = get_send_statistics_response(500);
    let out = parse_success(&stats, "GetSendStatistics", de_get_send_statistics);
    assert_eq!(out.send_data_points.as_ref().map(Vec::len), Some(500));
    g.throughput(Throughput::Bytes(stats.len() as u64));
    g.bench_function("parse/GetSendStatistics_500", |b| {
        b.iter(|| {
            black_box(parse_success(
                black_box(&stats),
                "GetSendStatistics",
                de_get_send_statistics,
            ))
        })
    });
    g.finish();
}

/// A keep-alive HTTP/1.1 stub on 127.0.0.1 answering every request with `body`.
fn spawn_stub(body: &'static str) -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = std_listener.local_addr().expect("local addr");
    std_listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("stub runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nx-amzn-RequestId: 0d2f5c3a-7e61-4b8e-9f4a-3c1d2e5b6a70\r\n\r\n{body}",
                body.len()
            );
            let response: &'static [u8] = Box::leak(response.into_bytes().into_boxed_slice());
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(async move {
                    let mut buf = Vec::with_capacity(4096);
                    let mut chunk = [0u8; 4096];
                    loop {
                        // One request: headers, then Content-Length bytes of body.
                        let request_len = loop {
                            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                                let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                                let len = head
                                    .lines()
                                    .find_map(|l| l.strip_prefix("content-length:"))
                                    .and_then(|v| v.trim().parse::<usize>().ok())
                                    .unwrap_or(0);
                                if buf.len() >= end + 4 + len {
                                    break end + 4 + len;
                                }
                            }
                            match sock.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                            }
                        };
                        buf.drain(..request_len);
                        if sock.write_all(response).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    });
    addr
}

fn bench_call(c: &mut Criterion) {
    let addr = spawn_stub(SET_MAIL_FROM_RESPONSE);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let conf = ses_client::Config::builder()
        .region("us-east-1")
        .credentials(Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .endpoint_url(format!("http://{addr}"))
        .build();
    let client = ses_client::Client::from_conf(conf);
    let call = || async {
        client
            .set_identity_mail_from_domain()
            .identity("example.com")
            .mail_from_domain("bounces.example.com")
            .behavior_on_mx_failure(BehaviorOnMxFailure::UseDefaultValue)
            .send()
            .await
            .expect("stub answers")
    };
    rt.block_on(call());
    let mut g = c.benchmark_group("call");
    g.bench_function("SetIdentityMailFromDomain/loopback", |b| {
        b.iter(|| black_box(rt.block_on(call())))
    });
    g.finish();
}

criterion_group!(benches, bench_serialize_and_sign, bench_parse, bench_call);
criterion_main!(benches);
