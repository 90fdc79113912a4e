//! The send path carries whatever request an operation's protocol builds: method, path and
//! query, headers, body. Here a hand-written operation that is not awsQuery (a `GET` with a path,
//! a query and an `x-amz-target` header, no body) goes through both transports (the built-in
//! client against the local fake server, and a plugged-in `HttpClient`), and its protocol
//! headers are signed; the awsQuery operation of `support/mini.rs` still posts its form to `/`.

#[path = "support/fake_server.rs"]
mod fake_ses;
#[path = "support/mini.rs"]
mod mini;

use std::sync::{Arc, Mutex};

use aws_client_runtime::error::SdkError;
use aws_client_runtime::http::{HttpClient, HttpFuture};
use aws_client_runtime::protocol::Parsed;
use aws_client_runtime::send::{Handle, Operation, RequestParts, SetRequestId};
use aws_client_runtime::validate::Violation;
use aws_client_runtime::{Config, Credentials};
use bytes::Bytes;
use fake_ses::{FakeServer, Reply, bounded, send_quota_ok};
use http::{HeaderName, Method};

/// The input: the thing to get (empty: the protocol cannot place it).
#[derive(Clone, Debug, Default)]
struct GetThingInput {
    name: String,
}

/// The output: the response's status and body.
#[derive(Debug, Default)]
struct GetThingOutput {
    status: u16,
    body: String,
    request_id: Option<String>,
}

impl SetRequestId for GetThingOutput {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id;
    }
}

static GET_THING: Operation<GetThingInput, GetThingOutput, mini::OpError> = Operation {
    name: "GetThing",
    validate: |_, _, _| {},
    build: |input, _service| {
        if input.name.is_empty() {
            return Err(Violation {
                path: "Name".into(),
                rule: "the label `Name` must not be empty".into(),
            });
        }
        Ok(RequestParts {
            method: Method::GET,
            path_and_query: format!("/things/{}?verbose=1", input.name),
            headers: vec![(
                HeaderName::from_static("x-amz-target"),
                "Things.GetThing".into(),
            )],
            body: Vec::new(),
        })
    },
    parse: |response, _limits| {
        let mut out = GetThingOutput {
            status: response.status,
            body: String::from_utf8_lossy(response.body).into_owned(),
            request_id: None,
        };
        out.set_request_id(response.request_id.map(str::to_owned));
        Parsed::Output(out)
    },
    host_prefix: None,
    endpoint_params: None,
    fill_idempotency: None,
    compression: false,
};

fn handle(conf: aws_client_runtime::ConfigBuilder) -> Handle {
    let conf = conf
        .region("us-east-1")
        .credentials(Credentials::from_keys("AKIDSEAM", "seam-secret", None))
        .build();
    Handle::new(conf, &mini::SERVICE)
}

/// `SignedHeaders=` of an `Authorization` header.
fn signed_headers(auth: &str) -> &str {
    auth.split("SignedHeaders=")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_protocols_method_path_and_headers_are_sent_and_signed() {
    bounded(async {
        let server = FakeServer::start(|_, _| Reply::new(200, "thing").request_id("rid-get")).await;
        let h = handle(Config::builder().endpoint_url(format!("{}/base", server.url)));
        let input = GetThingInput { name: "a".into() };
        let out = h.invoke(&GET_THING, input).await.unwrap();
        assert_eq!((out.status, out.body.as_str()), (200, "thing"));
        assert_eq!(out.request_id.as_deref(), Some("rid-get"));
        let reqs = server.requests();
        assert_eq!(reqs.len(), 1);
        let r = &reqs[0];
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/base/things/a?verbose=1");
        assert_eq!(r.header("x-amz-target"), Some("Things.GetThing"));
        assert_eq!(r.header("content-type"), None, "no protocol set one");
        let auth = r.header("authorization").unwrap_or_default();
        assert_eq!(
            signed_headers(auth),
            "host;x-amz-date;x-amz-target",
            "{auth}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_awsquery_operation_still_posts_its_form_to_the_endpoint() {
    bounded(async {
        let server = FakeServer::start(|_, _| send_quota_ok("rid-q")).await;
        let conf = Config::builder()
            .region("us-east-1")
            .endpoint_url(&server.url)
            .credentials(Credentials::from_keys("AKIDSEAM", "seam-secret", None))
            .build();
        let out = mini::Client::from_conf(conf)
            .get_send_quota()
            .send()
            .await
            .unwrap();
        assert_eq!(out.max_send_rate, Some(1.0));
        let r = &server.requests()[0];
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/");
        assert_eq!(
            r.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(r.body, "Action=GetSendQuota&Version=2010-12-01");
        let auth = r.header("authorization").unwrap_or_default();
        assert_eq!(
            signed_headers(auth),
            "content-type;host;x-amz-date",
            "{auth}"
        );
    })
    .await;
}

/// A plugged-in client that records the request and answers 200.
#[derive(Debug, Default, Clone)]
struct Recorder(Arc<Mutex<Vec<http::Request<Bytes>>>>);

impl HttpClient for Recorder {
    fn send(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        if let Ok(mut seen) = self.0.lock() {
            seen.push(request);
        }
        Box::pin(async {
            let mut response = http::Response::new(Bytes::from_static(b"plugged"));
            response
                .headers_mut()
                .insert("x-amzn-requestid", http::HeaderValue::from_static("rid-p"));
            Ok(response)
        })
    }
}

#[tokio::test]
async fn a_plugged_in_client_gets_the_protocols_request() {
    let recorder = Recorder::default();
    let h = handle(
        Config::builder()
            .endpoint_url("https://things.example.com")
            .http_client(recorder.clone()),
    );
    let input = GetThingInput { name: "b".into() };
    let out = h.invoke(&GET_THING, input).await.unwrap();
    assert_eq!(out.body, "plugged");
    assert_eq!(out.request_id.as_deref(), Some("rid-p"));
    let seen = recorder.0.lock().unwrap();
    let req = &seen[0];
    assert_eq!(req.method(), Method::GET);
    assert_eq!(
        req.uri().to_string(),
        "https://things.example.com/things/b?verbose=1"
    );
    assert_eq!(req.headers()["x-amz-target"], "Things.GetThing");
    assert!(req.headers().get("content-type").is_none());
    let auth = req.headers()["authorization"].to_str().unwrap();
    assert_eq!(signed_headers(auth), "host;x-amz-date;x-amz-target");
}

#[tokio::test]
async fn a_request_the_protocol_cannot_build_is_a_validation_error_and_sends_nothing() {
    let recorder = Recorder::default();
    let h = handle(
        Config::builder()
            .endpoint_url("https://things.example.com")
            .http_client(recorder.clone()),
    );
    let err = h
        .invoke(&GET_THING, GetThingInput::default())
        .await
        .unwrap_err();
    let Some(v) = err.validation_error() else {
        panic!("a validation error, got {err:?}")
    };
    assert_eq!(v.operation, "GetThing");
    assert!(matches!(err, SdkError::ConstructionFailure(_)));
    assert!(
        err.to_string()
            .contains("the label `Name` must not be empty"),
        "{err}"
    );
    assert!(recorder.0.lock().unwrap().is_empty(), "nothing was sent");
}
