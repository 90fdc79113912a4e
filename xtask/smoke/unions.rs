//! Smoke test of the generated unions client (copied into the generated crate's `tests/` folder
//! by the `generated services` step of `cargo xtask test`; not compiled in the workspace). It
//! uses only the crate's public API and a scripted HTTP server on 127.0.0.1 that records every
//! request body and answers with a canned response.
//!
//! How the expected bytes were derived. The awsQuery protocol specification says nothing about
//! unions, so these follow botocore, whose query serializer and XML parser handle a union as the
//! structure it is on the wire (AWS's Rust SDK does the same for Redshift's
//! `NamespaceIdentifierUnion`):
//!
//! - Request bodies (botocore `QuerySerializer`): `Action` and `Version` first; then each member
//!   set, in the model's member order (botocore keeps the caller's order; the client writes model
//!   order, so a caller passing members in model order gets the same bytes). A structure or
//!   union member `M` under prefix `P` is `P.M`; only the one member a union holds is written; a
//!   list's item `i` is `P.member.i`, 1-based, or `P.<xmlName>.i` when the list member has an
//!   `@xmlName` (here `Targets.Target.i`); an empty list is `P=`; a timestamp is ISO 8601 with
//!   seconds and `Z`; an integer is its decimal digits; an enum is its value. Keys and values
//!   are percent-encoded with only `A-Za-z0-9-_.~` left as they are (`:` is `%3A`).
//! - Responses (botocore `QueryParser`): the members are children of `<OpResult>`; a union's
//!   value is the one child element it has, named after the member. botocore gives an unknown
//!   element as `SDK_UNKNOWN_MEMBER` (here: `Unknown`), and refuses a union element with no
//!   member or with two (here: a typed `SdkError::ResponseError` naming the union). Where botocore
//!   refuses, and the client does not, is one known member beside an unknown element: the client
//!   keeps the known member, as structures ignore unknown elements (the last test pins that).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use unions_client::error::SdkError;
use unions_client::primitives::DateTime;
use unions_client::types::{
    Credential, Filter, NamespaceIdentifierUnion, NotFilter, ProvisionedIdentifier,
    ServerlessIdentifier, Target, TargetKind,
};

/// Answers one request per entry of `responses` (in order) on 127.0.0.1 from a thread, and sends
/// each request body down the returned channel.
fn serve(responses: Vec<String>) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for body in responses {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
            let mut seen = Vec::new();
            let mut buf = [0u8; 8192];
            let mut request_body = String::new();
            // The head, then as many body bytes as Content-Length says.
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen).into_owned();
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + len {
                        request_body = text[end + 4..end + 4 + len].to_owned();
                        break;
                    }
                }
            }
            let _ = tx.send(request_body);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    (url, rx)
}

fn client(url: String) -> unions_client::Client {
    let conf = unions_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials(unions_client::Credentials::from_keys("AKIDUNIONS", "secret", None))
        .max_attempts(1)
        .build();
    unions_client::Client::from_conf(conf)
}

const REGISTERED: &str = "<RegisterNamespaceResponse xmlns=\"https://unions.example.com/doc/2024-06-01/\">\
    <RegisterNamespaceResult><Status>Registering</Status></RegisterNamespaceResult>\
    <ResponseMetadata><RequestId>req-0</RequestId></ResponseMetadata></RegisterNamespaceResponse>";

fn describe_response(result: &str) -> String {
    format!(
        "<DescribeNamespaceResponse xmlns=\"https://unions.example.com/doc/2024-06-01/\">\
         <DescribeNamespaceResult>{result}</DescribeNamespaceResult>\
         <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeNamespaceResponse>"
    )
}

#[tokio::test]
async fn union_members_serialize_as_botocore_does() {
    let (url, bodies) = serve(vec![REGISTERED.to_owned(), REGISTERED.to_owned()]);
    let client = client(url);
    let out = client
        .register_namespace()
        .service_identifier("svc-1")
        .namespace_identifier(NamespaceIdentifierUnion::ServerlessIdentifier(
            ServerlessIdentifier::builder()
                .namespace_identifier("ns-1")
                .workgroup_identifier("wg-1")
                .build()
                .expect("required members set"),
        ))
        .targets(Target::Arn(
            "arn:aws:redshift:us-east-1:123456789012:namespace:ns-1".to_owned(),
        ))
        .targets(Target::Port(5439))
        .targets(Target::Kind(TargetKind::Workgroup))
        .targets(Target::Since(DateTime::from_secs(1_422_172_800)))
        .filter(Filter::Not(
            NotFilter::builder()
                .filter(Filter::AnyOf(vec![
                    Filter::Prefix("a".to_owned()),
                    Filter::Prefix("b".to_owned()),
                ]))
                .build(),
        ))
        .credential(Credential::Password("hunter2-secret".to_owned()))
        .send()
        .await
        .expect("registered");
    assert_eq!(
        out.status.as_ref().map(|s| s.as_str()),
        Some("Registering")
    );
    assert_eq!(
        bodies.recv().unwrap(),
        "Action=RegisterNamespace&Version=2024-06-01\
         &ServiceIdentifier=svc-1\
         &NamespaceIdentifier.ServerlessIdentifier.NamespaceIdentifier=ns-1\
         &NamespaceIdentifier.ServerlessIdentifier.WorkgroupIdentifier=wg-1\
         &Targets.Target.1.Arn=arn%3Aaws%3Aredshift%3Aus-east-1%3A123456789012%3Anamespace%3Ans-1\
         &Targets.Target.2.Port=5439\
         &Targets.Target.3.Kind=workgroup\
         &Targets.Target.4.Since=2015-01-25T08%3A00%3A00Z\
         &Filter.Not.Filter.AnyOf.member.1.Prefix=a\
         &Filter.Not.Filter.AnyOf.member.2.Prefix=b\
         &Credential.Password=hunter2-secret"
    );

    // The other member of the union, and an empty list (`Targets=`).
    client
        .register_namespace()
        .service_identifier("svc-2")
        .namespace_identifier(NamespaceIdentifierUnion::ProvisionedIdentifier(
            ProvisionedIdentifier::builder()
                .cluster_identifier("cluster-1")
                .build()
                .expect("required members set"),
        ))
        .set_targets(Some(Vec::new()))
        .credential(Credential::RoleArn("arn:aws:iam::123456789012:role/r".to_owned()))
        .send()
        .await
        .expect("registered");
    assert_eq!(
        bodies.recv().unwrap(),
        "Action=RegisterNamespace&Version=2024-06-01\
         &ServiceIdentifier=svc-2\
         &NamespaceIdentifier.ProvisionedIdentifier.ClusterIdentifier=cluster-1\
         &Targets=\
         &Credential.RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"
    );
}

#[tokio::test]
async fn union_members_are_validated_before_sending() {
    let (url, bodies) = serve(Vec::new());
    let incomplete = ServerlessIdentifier::builder()
        .namespace_identifier("ns-1")
        .build();
    assert!(
        incomplete.is_err(),
        "build() checks required members: {incomplete:?}"
    );
    let mut serverless_without_workgroup = ServerlessIdentifier::default();
    serverless_without_workgroup.namespace_identifier = Some("ns-1".to_owned());
    let err = client(url)
        .register_namespace()
        .service_identifier("svc")
        .namespace_identifier(NamespaceIdentifierUnion::ServerlessIdentifier(
            // The builder refuses a value without its required WorkgroupIdentifier; a value
            // built field by field can still lack it, and the request is then refused before
            // any I/O.
            serverless_without_workgroup,
        ))
        .targets(Target::Arn("ok".to_owned()))
        .targets(Target::Port(0))
        .filter(Filter::AnyOf(vec![Filter::Prefix(String::new())]))
        .credential(Credential::Password("short".to_owned()))
        .send()
        .await
        .expect_err("invalid");
    let Some(v) = err.validation_error() else {
        panic!("expected a validation error, got {err:?}");
    };
    let found: Vec<(&str, &str)> = v
        .violations
        .iter()
        .map(|v| (v.path.as_str(), v.rule.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "NamespaceIdentifier.ServerlessIdentifier.WorkgroupIdentifier",
                "is required but was not set"
            ),
            ("Targets[1].Port", "is 0, must be between 1 and 65535"),
            ("Filter.AnyOf[0].Prefix", "has length 0, must be between 1 and 255"),
            ("Credential.Password", "has length 5, must be at least 8"),
        ]
    );
    // The sensitive value is not in the error.
    assert!(!err.to_string().contains("short"), "{err}");
    assert!(
        bodies.recv_timeout(Duration::from_millis(200)).is_err(),
        "nothing may be sent"
    );
}

#[tokio::test]
async fn union_members_parse_as_botocore_does() {
    let (url, _bodies) = serve(vec![describe_response(
        "<NamespaceIdentifier><ProvisionedIdentifier><ClusterIdentifier>cluster-1</ClusterIdentifier>\
         </ProvisionedIdentifier></NamespaceIdentifier>\
         <Targets><Target><Kind>cluster</Kind></Target><Target><Port>5439</Port></Target>\
         <Target><Since>2015-01-25T08:00:00Z</Since></Target></Targets>\
         <Filter><AnyOf><member><Prefix>a</Prefix></member>\
         <member><Not><Filter><Prefix>b</Prefix></Filter></Not></member></AnyOf></Filter>\
         <Credential><Password>hunter2-secret</Password></Credential>",
    )]);
    let out = client(url)
        .describe_namespace()
        .service_identifier("svc")
        .send()
        .await
        .expect("described");
    let id = out.namespace_identifier.as_ref().expect("identifier");
    assert_eq!(
        id,
        &NamespaceIdentifierUnion::ProvisionedIdentifier(
            ProvisionedIdentifier::builder()
                .cluster_identifier("cluster-1")
                .build()
                .expect("required members set")
        )
    );
    assert!(id.is_provisioned_identifier() && !id.is_serverless_identifier());
    assert_eq!(
        id.as_provisioned_identifier()
            .ok()
            .and_then(|p| p.cluster_identifier.as_deref()),
        Some("cluster-1")
    );
    assert!(id.as_serverless_identifier().is_err());
    assert_eq!(
        out.targets,
        Some(vec![
            Target::Kind(TargetKind::Cluster),
            Target::Port(5439),
            Target::Since(DateTime::from_secs(1_422_172_800)),
        ])
    );
    assert_eq!(
        out.filter,
        Some(Filter::AnyOf(vec![
            Filter::Prefix("a".to_owned()),
            Filter::Not(
                NotFilter::builder()
                    .filter(Filter::Prefix("b".to_owned()))
                    .build()
            ),
        ]))
    );
    let credential = out.credential.as_ref().expect("credential");
    assert_eq!(credential.as_password().map(String::as_str), Ok("hunter2-secret"));
    // `@sensitive`: Debug redacts the member, of the union and of the output holding it.
    for shown in [format!("{credential:?}"), format!("{out:?}")] {
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("Password(*** Sensitive Data Redacted ***)"), "{shown}");
    }
}

#[tokio::test]
async fn an_unknown_member_parses_as_unknown_and_cannot_be_sent_back() {
    let (url, bodies) = serve(vec![describe_response(
        "<NamespaceIdentifier><FutureIdentifier><Id>x</Id></FutureIdentifier></NamespaceIdentifier>\
         <Targets><Target><Port>1</Port><Comment>a member this client does not know</Comment></Target>\
         </Targets>",
    )]);
    let client = client(url);
    let out = client
        .describe_namespace()
        .service_identifier("svc")
        .send()
        .await
        .expect("described");
    let id = out.namespace_identifier.clone().expect("identifier");
    assert!(id.is_unknown(), "{id:?}");
    assert!(!id.is_provisioned_identifier() && !id.is_serverless_identifier());
    // A known member beside an unknown element: the known member.
    assert_eq!(out.targets, Some(vec![Target::Port(1)]));
    let _ = bodies.recv().unwrap();

    let err = client
        .register_namespace()
        .service_identifier("svc")
        .namespace_identifier(id)
        .send()
        .await
        .expect_err("Unknown cannot be sent");
    let Some(v) = err.validation_error() else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(v.violations.len(), 1, "{err}");
    assert_eq!(v.violations[0].path, "NamespaceIdentifier");
    assert!(
        v.violations[0]
            .rule
            .contains("union `NamespaceIdentifierUnion` this client does not know"),
        "{err}"
    );
    assert!(
        bodies.recv_timeout(Duration::from_millis(200)).is_err(),
        "nothing may be sent"
    );
}

#[tokio::test]
async fn a_union_with_no_member_or_two_is_a_response_error() {
    for (result, problem) in [
        (
            "<NamespaceIdentifier></NamespaceIdentifier>",
            "invalid XML in <NamespaceIdentifier>: union `NamespaceIdentifierUnion` has no member set",
        ),
        (
            "<NamespaceIdentifier><ProvisionedIdentifier><ClusterIdentifier>c</ClusterIdentifier>\
             </ProvisionedIdentifier><ServerlessIdentifier><NamespaceIdentifier>n</NamespaceIdentifier>\
             </ServerlessIdentifier></NamespaceIdentifier>",
            "invalid XML in <NamespaceIdentifier>: union `NamespaceIdentifierUnion` has more than one member set",
        ),
        (
            "<Targets><Target><Port>1</Port><Port>2</Port></Target></Targets>",
            "invalid XML in <Target>: union `Target` has more than one member set",
        ),
    ] {
        let (url, _bodies) = serve(vec![describe_response(result)]);
        let err = client(url)
            .describe_namespace()
            .service_identifier("svc")
            .send()
            .await
            .expect_err("not a valid union");
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        assert!(err.to_string().contains(problem), "{err}");
    }
}
