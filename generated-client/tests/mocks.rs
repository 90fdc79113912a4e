//! Testing code that uses the client, offline (issue 14): only the public `test-util` API
//! (`mock!`, `mock_client!`, rules and sequences) and the pluggable HTTP client. No test here
//! opens a socket: a client from `mock_client!` points at `http://127.0.0.1:1`, so a request
//! that escaped the mocks would fail with a `DispatchFailure`, which every test would see.
#![cfg(feature = "test-util")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ses_client::client::Waiters;
use ses_client::config::http::{HttpClient, HttpFuture};
use ses_client::error::{ErrorMetadata, ProvideErrorMetadata, SdkError};
use ses_client::operation::create_template::CreateTemplateError;
use ses_client::operation::get_identity_mail_from_domain_attributes::GetIdentityMailFromDomainAttributesOutput;
use ses_client::operation::get_identity_verification_attributes::GetIdentityVerificationAttributesOutput;
use ses_client::operation::list_identities::ListIdentitiesOutput;
use ses_client::operation::set_identity_mail_from_domain::{
    SetIdentityMailFromDomainError, SetIdentityMailFromDomainOutput,
};
use ses_client::test_util::{RuleMode, mock, mock_client};
use ses_client::types::error::AlreadyExistsException;
use ses_client::types::{
    BehaviorOnMxFailure, CustomMailFromStatus, IdentityMailFromDomainAttributes,
    IdentityVerificationAttributes, Template, VerificationStatus,
};

fn attributes(
    domain: Option<&str>,
    status: CustomMailFromStatus,
) -> GetIdentityMailFromDomainAttributesOutput {
    let mut attrs = IdentityMailFromDomainAttributes::default();
    attrs.mail_from_domain = domain.map(str::to_owned);
    attrs.mail_from_domain_status = Some(status);
    attrs.behavior_on_mx_failure = Some(BehaviorOnMxFailure::RejectMessage);
    GetIdentityMailFromDomainAttributesOutput::builder()
        .mail_from_domain_attributes("example.com", attrs)
        .build()
        .expect("the map is set")
}

#[tokio::test]
async fn mail_from_workflow_enable_read_back_disable() {
    let enable = mock!(ses_client::Client::set_identity_mail_from_domain)
        .match_requests(|input| {
            input.identity() == Some("example.com")
                && input.mail_from_domain() == Some("bounces.example.com")
                && input.behavior_on_mx_failure() == Some(&BehaviorOnMxFailure::RejectMessage)
        })
        .then_output(|| SetIdentityMailFromDomainOutput::builder().build());
    let pending = mock!(ses_client::Client::get_identity_mail_from_domain_attributes)
        .match_requests(|input| input.identities() == ["example.com"])
        .then_output(|| attributes(Some("bounces.example.com"), CustomMailFromStatus::Pending));
    let disable = mock!(ses_client::Client::set_identity_mail_from_domain)
        .match_requests(|input| {
            input.identity() == Some("example.com") && input.mail_from_domain().is_none()
        })
        .then_output(|| SetIdentityMailFromDomainOutput::builder().build());
    let client = mock_client!(ses_client, [&enable, &pending, &disable]);

    client
        .set_identity_mail_from_domain()
        .identity("example.com")
        .mail_from_domain("bounces.example.com")
        .behavior_on_mx_failure(BehaviorOnMxFailure::RejectMessage)
        .send()
        .await
        .expect("enabled");
    let out = client
        .get_identity_mail_from_domain_attributes()
        .identities("example.com")
        .send()
        .await
        .expect("read back");
    let attrs = &out.mail_from_domain_attributes()["example.com"];
    assert_eq!(attrs.mail_from_domain(), "bounces.example.com");
    assert_eq!(
        attrs.mail_from_domain_status(),
        &CustomMailFromStatus::Pending
    );
    client
        .set_identity_mail_from_domain()
        .identity("example.com")
        .send()
        .await
        .expect("disabled");
    assert_eq!(
        (enable.num_calls(), pending.num_calls(), disable.num_calls()),
        (1, 1, 1)
    );

    // Sequential mode: every rule is used up; one more call is a typed error, not I/O.
    let err = client
        .get_identity_mail_from_domain_attributes()
        .identities("example.com")
        .send()
        .await
        .expect_err("no rule left");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    assert!(err.to_string().contains("every rule is used up"), "{err}");
}

#[tokio::test]
async fn a_rule_that_does_not_match_is_an_error_in_sequential_mode() {
    let only_other = mock!(ses_client::Client::set_identity_mail_from_domain)
        .match_requests(|input| input.identity() == Some("other.example"))
        .then_output(|| SetIdentityMailFromDomainOutput::builder().build());
    let client = mock_client!(ses_client, [&only_other]);
    let err = client
        .set_identity_mail_from_domain()
        .identity("example.com")
        .send()
        .await
        .expect_err("does not match");
    assert!(err.to_string().contains("does not match"), "{err}");
    assert_eq!(only_other.num_calls(), 0);
}

#[tokio::test]
async fn modeled_and_unhandled_errors() {
    let exists = mock!(ses_client::Client::create_template).then_error(|| {
        CreateTemplateError::AlreadyExistsException(
            AlreadyExistsException::builder()
                .name("welcome")
                .message("Template welcome already exists.")
                .meta(
                    ErrorMetadata::builder()
                        .code("AlreadyExists")
                        .message("Template welcome already exists.")
                        .request_id("req-1")
                        .build(),
                )
                .build(),
        )
    });
    let unhandled = mock!(ses_client::Client::set_identity_mail_from_domain).then_error(|| {
        SetIdentityMailFromDomainError::generic(
            ErrorMetadata::builder()
                .code("InvalidParameterValue")
                .message("Identity does not exist.")
                .status(400)
                .build(),
        )
    });
    let client = mock_client!(ses_client, RuleMode::MatchAny, [&exists, &unhandled]);

    let template = Template::builder()
        .template_name("welcome")
        .subject_part("Hi")
        .build()
        .expect("name set");
    let err = client
        .create_template()
        .template(template)
        .send()
        .await
        .expect_err("already exists");
    assert_eq!(err.code(), Some("AlreadyExists"));
    assert_eq!(
        err.raw_response().map(|r| r.status().as_u16()),
        Some(400),
        "a modeled error arrives as a 400 response"
    );
    let service = err.into_service_error();
    assert!(service.is_already_exists_exception());
    match &service {
        CreateTemplateError::AlreadyExistsException(e) => assert_eq!(e.name(), Some("welcome")),
        other => panic!("expected AlreadyExistsException, got {other:?}"),
    }
    assert_eq!(exists.num_calls(), 1, "a 4xx error is not retried");

    let err = client
        .set_identity_mail_from_domain()
        .identity("nobody.example")
        .send()
        .await
        .expect_err("unhandled");
    assert_eq!(err.code(), Some("InvalidParameterValue"));
    assert_eq!(err.message(), Some("Identity does not exist."));
    assert!(
        err.to_string().contains("InvalidParameterValue"),
        "Display names the code: {err}"
    );
    assert_eq!(unhandled.num_calls(), 1);
}

#[tokio::test]
async fn a_paginator_over_three_mocked_pages() {
    let page = |ids: &[&str], token: Option<&str>| {
        let mut b = ListIdentitiesOutput::builder().set_next_token(token.map(str::to_owned));
        for id in ids {
            b = b.identities(*id);
        }
        b.build().expect("identities set")
    };
    let pages = mock!(ses_client::Client::list_identities)
        .sequence()
        .output(move || page(&["a.example", "b.example"], Some("t1")))
        .output(move || page(&["c.example"], Some("t2")))
        .output(move || page(&["d.example"], None))
        .build();
    let client = mock_client!(ses_client, [&pages]);
    let items: Vec<String> = client
        .list_identities()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(items, ["a.example", "b.example", "c.example", "d.example"]);
    assert_eq!(pages.num_calls(), 3);
    assert!(pages.is_exhausted());
}

/// The waiter's clock, moved by hand: the polls' delays pass at once.
#[derive(Default)]
struct FakeClock(Mutex<Duration>);

impl ses_client::waiter::Clock for FakeClock {
    fn elapsed(&self) -> Duration {
        self.0.lock().map(|d| *d).unwrap_or_default()
    }
    fn sleep(
        &self,
        d: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        if let Ok(mut now) = self.0.lock() {
            *now += d;
        }
        Box::pin(std::future::ready(()))
    }
}

#[tokio::test]
async fn a_waiter_that_succeeds_on_the_third_poll() {
    let status = |s: VerificationStatus| {
        GetIdentityVerificationAttributesOutput::builder()
            .verification_attributes(
                "example.com",
                IdentityVerificationAttributes::builder()
                    .verification_status(s)
                    .build()
                    .expect("status set"),
            )
            .build()
            .expect("map set")
    };
    let polls = mock!(ses_client::Client::get_identity_verification_attributes)
        .sequence()
        .output(move || status(VerificationStatus::Pending))
        .times(2)
        .output(move || status(VerificationStatus::Success))
        .build();
    let client = mock_client!(ses_client, [&polls]);
    let clock = FakeClock::default();
    let done = client
        .wait_until_identity_exists()
        .identities("example.com")
        .wait_with_clock(Duration::from_secs(300), &clock)
        .await
        .expect("success on the third poll");
    let out = done.into_result().expect("an output");
    assert_eq!(
        out.verification_attributes()["example.com"].verification_status(),
        &VerificationStatus::Success
    );
    assert_eq!(polls.num_calls(), 3);
}

#[tokio::test]
async fn throttling_is_retried_then_succeeds() {
    let flaky = mock!(ses_client::Client::set_identity_mail_from_domain)
        .sequence()
        .error(|| {
            SetIdentityMailFromDomainError::generic(
                ErrorMetadata::builder()
                    .code("Throttling")
                    .message("Rate exceeded")
                    .status(400)
                    .build(),
            )
        })
        .output(|| SetIdentityMailFromDomainOutput::builder().build())
        .build();
    let client = mock_client!(ses_client, [&flaky]);
    client
        .set_identity_mail_from_domain()
        .identity("example.com")
        .send()
        .await
        .expect("retried");
    assert_eq!(flaky.num_calls(), 2, "one throttled attempt, one retry");

    // A raw HTTP 503 is retried too, through the same parsing as a real response.
    let unavailable = mock!(ses_client::Client::set_identity_mail_from_domain)
        .sequence()
        .http_status(503, None)
        .times(2)
        .http_status(
            200,
            Some(
                "<SetIdentityMailFromDomainResponse><SetIdentityMailFromDomainResult/>\
                 <ResponseMetadata><RequestId>ok-3</RequestId></ResponseMetadata>\
                 </SetIdentityMailFromDomainResponse>"
                    .to_owned(),
            ),
        )
        .build();
    let client = mock_client!(ses_client, [&unavailable]);
    let out = client
        .set_identity_mail_from_domain()
        .identity("example.com")
        .send()
        .await
        .expect("third attempt");
    assert_eq!(
        ses_client::operation::RequestId::request_id(&out),
        Some("ok-3")
    );
    assert_eq!(unavailable.num_calls(), 3);

    // Attempts are bounded: with max_attempts 2, two 503s are the error.
    let always = mock!(ses_client::Client::set_identity_mail_from_domain)
        .sequence()
        .http_status(503, None)
        .repeatedly()
        .build();
    let client = mock_client!(ses_client, RuleMode::Sequential, [&always], |b| b
        .max_attempts(2));
    let err = client
        .set_identity_mail_from_domain()
        .identity("example.com")
        .send()
        .await
        .expect_err("503 twice");
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(always.num_calls(), 2);
}

/// A plugged-in HTTP client that records what it is given and answers from a list.
#[derive(Debug, Default)]
struct Recorder {
    seen: Mutex<Vec<http::Request<bytes::Bytes>>>,
    answers: Mutex<Vec<(u16, &'static str)>>,
}

impl HttpClient for Recorder {
    fn send(&self, request: http::Request<bytes::Bytes>) -> HttpFuture<'_> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(request);
        }
        let answer = self.answers.lock().ok().and_then(|mut a| {
            if a.is_empty() {
                None
            } else {
                Some(a.remove(0))
            }
        });
        Box::pin(async move {
            let (status, body) = answer.ok_or("no answer left")?;
            let mut response = http::Response::new(bytes::Bytes::from_static(body.as_bytes()));
            *response.status_mut() = http::StatusCode::from_u16(status)?;
            response
                .headers_mut()
                .insert("x-amzn-requestid", http::HeaderValue::from_static("rec-1"));
            Ok(response)
        })
    }
}

#[tokio::test]
async fn a_custom_http_client_sees_the_signed_request() {
    let recorder = Arc::new(Recorder::default());
    if let Ok(mut answers) = recorder.answers.lock() {
        answers.push((
            500,
            "<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>",
        ));
        answers.push((200, "<SetIdentityMailFromDomainResponse><SetIdentityMailFromDomainResult/></SetIdentityMailFromDomainResponse>"));
    }
    let conf = ses_client::Config::builder()
        .region("eu-west-1")
        .credentials_provider(ses_client::Credentials::new(
            "AKIDRECORDER",
            "secret",
            None,
            None,
            "test",
        ))
        .initial_backoff(Duration::ZERO)
        .http_client(recorder.clone())
        .build();
    let client = ses_client::Client::from_conf(conf);
    let out = client
        .set_identity_mail_from_domain()
        .identity("example.com")
        .mail_from_domain("bounces.example.com")
        .send()
        .await
        .expect("the second attempt succeeds");
    assert_eq!(
        ses_client::operation::RequestId::request_id(&out),
        Some("rec-1")
    );

    let seen = recorder.seen.lock().map(|s| s.len()).unwrap_or(0);
    assert_eq!(seen, 2, "a 500 is retried through the plugged-in client");
    let seen = recorder.seen.lock().expect("lock");
    let request = &seen[0];
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(
        request.uri().to_string(),
        "https://email.eu-west-1.amazonaws.com/"
    );
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "application/x-www-form-urlencoded");
    let auth = header("authorization");
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDRECORDER/")
            && auth.contains("/eu-west-1/ses/aws4_request")
            && auth.contains("Signature="),
        "{auth}"
    );
    assert!(!header("x-amz-date").is_empty());
    assert_eq!(
        request.body().as_ref(),
        b"Action=SetIdentityMailFromDomain&Version=2010-12-01&Identity=example.com&MailFromDomain=bounces.example.com"
    );
}

#[tokio::test]
async fn a_plugged_in_client_failure_is_a_dispatch_failure_and_the_size_limit_holds() {
    // No answers: the client fails every attempt.
    let failing = Arc::new(Recorder::default());
    let client = ses_client::Client::from_conf(
        ses_client::Config::builder()
            .region("us-east-1")
            .credentials(ses_client::Credentials::from_keys("AKID", "secret", None))
            .max_attempts(2)
            .initial_backoff(Duration::ZERO)
            .http_client(failing.clone())
            .build(),
    );
    let err = client.get_send_quota().send().await.expect_err("no answer");
    match &err {
        SdkError::DispatchFailure(d) => assert!(d.is_other(), "{d:?}"),
        other => panic!("expected DispatchFailure, got {other:?}"),
    }
    assert_eq!(failing.seen.lock().map(|s| s.len()).unwrap_or(0), 2);

    // A body over max_response_size is refused, as from the built-in client.
    let big = Arc::new(Recorder::default());
    if let Ok(mut answers) = big.answers.lock() {
        answers.push((200, "<GetSendQuotaResponse><GetSendQuotaResult><Max24HourSend>1</Max24HourSend></GetSendQuotaResult></GetSendQuotaResponse>"));
    }
    let client = ses_client::Client::from_conf(
        ses_client::Config::builder()
            .region("us-east-1")
            .credentials(ses_client::Credentials::from_keys("AKID", "secret", None))
            .max_response_size(16)
            .http_client(big)
            .build(),
    );
    let err = client.get_send_quota().send().await.expect_err("too big");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert!(err.to_string().contains("max_response_size"), "{err}");
}

#[tokio::test]
async fn a_service_errors_raw_response_keeps_status_headers_and_body() {
    let recorder = Arc::new(Recorder::default());
    if let Ok(mut answers) = recorder.answers.lock() {
        answers.push((
            400,
            "<ErrorResponse><Error><Type>Sender</Type><Code>MessageRejected</Code>\
             <Message>Email address is not verified.</Message></Error></ErrorResponse>",
        ));
    }
    let client = ses_client::Client::from_conf(
        ses_client::Config::builder()
            .region("us-east-1")
            .credentials(ses_client::Credentials::from_keys("AKID", "secret", None))
            .http_client(recorder)
            .build(),
    );
    let err = client.get_send_quota().send().await.expect_err("a 400");
    assert_eq!(err.code(), Some("MessageRejected"));
    assert_eq!(
        ses_client::operation::RequestId::request_id(&err),
        Some("rec-1")
    );
    let raw = err.raw_response().expect("the raw response");
    assert_eq!(raw.status().as_u16(), 400);
    assert_eq!(raw.headers().get("x-amzn-requestid"), Some("rec-1"));
    let body = raw
        .body()
        .bytes()
        .map(|b| String::from_utf8_lossy(b).into_owned());
    assert!(body.is_some_and(|b| b.contains("MessageRejected")));
}
