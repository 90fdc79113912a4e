//! Signature checking end to end, against the moto server of `cargo xtask test` that checks
//! SigV4 signatures after 3 free requests (`SES_CLIENT_MOTO_AUTH_ENDPOINT`, started with
//! `INITIAL_NO_AUTH_ACTION_COUNT=3`).
//!
//! This is the only test of the workspace that may use that server: the three free requests
//! are spent, in order, on IAM `CreateUser`, `CreateAccessKey` and `PutUserPolicy` (allowing
//! `ses:*`), sent as raw awsQuery requests signed with `aws_client_runtime::sign::sign` for
//! the service `iam` (moto routes by the credential scope). Every later request must carry a
//! valid signature made with the created key. The test therefore needs a fresh server; it says
//! so when the free requests are already gone.

mod common;

use std::collections::HashMap;
use std::time::SystemTime;

use aws_client_runtime::sign::{self, SigningContext, SigningInput};
use common::{assert_moto_request_id, unique};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use ses_client::RequestId;
use ses_client::error::{ProvideErrorMetadata, SdkError};
use ses_client::operation::get_send_quota::GetSendQuotaError;
use ses_client::operation::verify_domain_identity::VerifyDomainIdentityError;
use ses_client::types::{
    BehaviorOnMxFailure, CustomMailFromStatus, IdentityMailFromDomainAttributes,
};

/// The moto server that checks signatures after 3 free requests, set by `cargo xtask test`.
const MOTO_AUTH_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_AUTH_ENDPOINT";
const FORM: &str = "application/x-www-form-urlencoded";

/// An HTTP response of a raw IAM call.
struct RawResponse {
    status: u16,
    body: String,
}

/// Sends one awsQuery IAM action (API 2010-05-08), signed for `iam` in `us-east-1`.
async fn iam_call(
    http: &reqwest::Client,
    endpoint: &str,
    credentials: &ses_client::Credentials,
    action: &str,
    params: &[(&str, &str)],
) -> RawResponse {
    let mut body = format!("Action={action}&Version=2010-05-08");
    for (k, v) in params {
        body.push('&');
        body.push_str(k);
        body.push('=');
        body.extend(utf8_percent_encode(v, NON_ALPHANUMERIC));
    }
    let uri = format!("{}/", endpoint.trim_end_matches('/'));
    let headers = [("content-type", FORM)];
    let ctx = SigningContext::new(credentials, "us-east-1", "iam", SystemTime::now());
    let signed = sign::sign(
        &SigningInput {
            method: "POST",
            uri: &uri,
            headers: &headers,
            body: body.as_bytes(),
        },
        &ctx,
    )
    .expect("sign the IAM request");
    let mut req = http.post(&uri).header("content-type", FORM);
    for (name, value) in signed {
        req = req.header(name, value);
    }
    let resp = req
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("IAM {action}: {e}"));
    let status = resp.status().as_u16();
    let body = resp
        .text()
        .await
        .unwrap_or_else(|e| panic!("IAM {action} body: {e}"));
    RawResponse { status, body }
}

/// The text of the first `<tag>` element of `xml` (the IAM answers are simple and unescaped
/// in the parts read here).
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(&xml[start..end])
}

fn expect_ok(resp: &RawResponse, what: &str) {
    assert!(
        resp.status == 200,
        "IAM {what} failed with HTTP {} (if this is a 403, the server's 3 free requests were \
         already used: this test needs a fresh SES_CLIENT_MOTO_AUTH_ENDPOINT server, and no \
         other test may use it): {}",
        resp.status,
        resp.body
    );
}

#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn signed_requests_with_a_moto_iam_key_succeed_and_a_wrong_secret_is_rejected() {
    let test = "signed_requests_with_a_moto_iam_key_succeed_and_a_wrong_secret_is_rejected";
    let Some(endpoint) = common::endpoint_or_skip(test, MOTO_AUTH_ENDPOINT_VAR) else {
        return;
    };
    // reqwest is built without a bundled crypto provider; install ring as the client does.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();

    // --- The three free requests: an IAM user, its access key, a policy allowing SES. ---
    let bootstrap = ses_client::Credentials::from_keys("AKIDEXAMPLE", "bootstrap-secret", None);
    let user = unique("ses-client-auth");
    let resp = iam_call(
        &http,
        &endpoint,
        &bootstrap,
        "CreateUser",
        &[("UserName", &user)],
    )
    .await;
    expect_ok(&resp, "CreateUser");
    assert_eq!(
        element(&resp.body, "UserName"),
        Some(user.as_str()),
        "{}",
        resp.body
    );

    let resp = iam_call(
        &http,
        &endpoint,
        &bootstrap,
        "CreateAccessKey",
        &[("UserName", &user)],
    )
    .await;
    expect_ok(&resp, "CreateAccessKey");
    let key_id = element(&resp.body, "AccessKeyId")
        .expect("AccessKeyId")
        .to_owned();
    let secret = element(&resp.body, "SecretAccessKey")
        .expect("SecretAccessKey")
        .to_owned();
    assert_eq!(element(&resp.body, "Status"), Some("Active"));
    assert!(!key_id.is_empty() && !secret.is_empty(), "{}", resp.body);

    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ses:*","Resource":"*"}]}"#;
    let resp = iam_call(
        &http,
        &endpoint,
        &bootstrap,
        "PutUserPolicy",
        &[
            ("UserName", &user),
            ("PolicyName", "allow-ses"),
            ("PolicyDocument", policy),
        ],
    )
    .await;
    expect_ok(&resp, "PutUserPolicy");

    // --- From here on every request is checked. The created key works for SES. ---
    let region = "us-east-1";
    let good = common::client(&endpoint, region, &key_id, &secret);
    let domain = format!("{}.example.com", unique("auth"));
    let verified = good
        .verify_domain_identity()
        .domain(&domain)
        .send()
        .await
        .expect("VerifyDomainIdentity signed with the moto key");
    assert_eq!(
        verified.verification_token.as_deref(),
        Some("QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=")
    );
    assert_moto_request_id(verified.request_id(), "VerifyDomainIdentity");
    let bounces = format!("bounces.{domain}");
    good.set_identity_mail_from_domain()
        .identity(&domain)
        .mail_from_domain(&bounces)
        .behavior_on_mx_failure(BehaviorOnMxFailure::RejectMessage)
        .send()
        .await
        .expect("SetIdentityMailFromDomain signed with the moto key");
    let attrs = good
        .get_identity_mail_from_domain_attributes()
        .identities(&domain)
        .send()
        .await
        .expect("GetIdentityMailFromDomainAttributes signed with the moto key");
    let expected = IdentityMailFromDomainAttributes::builder()
        .mail_from_domain(&bounces)
        .mail_from_domain_status(CustomMailFromStatus::Success)
        .behavior_on_mx_failure(BehaviorOnMxFailure::RejectMessage)
        .build()
        .expect("required members set");
    assert_eq!(
        attrs.mail_from_domain_attributes,
        Some(HashMap::from([(domain.clone(), expected)]))
    );
    let quota = good
        .get_send_quota()
        .send()
        .await
        .expect("GetSendQuota signed with the moto key");
    assert_eq!(quota.max24_hour_send, Some(200.0));

    // --- The right key id with a wrong secret: 403 SignatureDoesNotMatch. moto answers
    // `<ErrorResponse><Errors><Error>...` without a namespace and with an HTML content type;
    // code and message must still reach the caller. ---
    let wrong = common::client(&endpoint, region, &key_id, "not-the-secret");
    let err = wrong
        .verify_domain_identity()
        .domain(&domain)
        .send()
        .await
        .expect_err("a wrong secret must be rejected");
    assert!(
        matches!(err, SdkError::ServiceError(_)),
        "expected a service error, got {err:?}"
    );
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
    let message = "The request signature we calculated does not match the signature you \
                   provided. Check your AWS Secret Access Key and signing method. Consult the \
                   service documentation for details.";
    assert_eq!(err.message(), Some(message));
    let Some(VerifyDomainIdentityError::Unhandled(unhandled)) = err.as_service_error() else {
        panic!("expected Unhandled, got {err:?}");
    };
    let meta = unhandled.meta();
    assert_eq!(meta.code(), Some("SignatureDoesNotMatch"));
    assert_eq!(meta.status(), 403);
    assert_eq!(meta.error_type(), Some("Sender"));
    // The body has no request id; moto sends it in the `x-amzn-requestid` header.
    assert_moto_request_id(err.request_id(), "SignatureDoesNotMatch error");
    let request_id = err.request_id().unwrap();
    assert_eq!(
        err.to_string(),
        format!(
            "service error: SignatureDoesNotMatch: {message} \
             (HTTP 403, type Sender, request id {request_id})"
        )
    );

    // --- A key moto never issued: 403 InvalidClientTokenId. ---
    let stranger = common::client(&endpoint, region, "AKIAIOSFODNN7EXAMPLE", &secret);
    let err = stranger
        .get_send_quota()
        .send()
        .await
        .expect_err("an unknown key must be rejected");
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.code(), Some("InvalidClientTokenId"));
    assert_eq!(
        err.message(),
        Some("The security token included in the request is invalid.")
    );
    assert!(
        matches!(
            err.as_service_error(),
            Some(GetSendQuotaError::Unhandled(_))
        ),
        "{err:?}"
    );

    // The good key still works after the rejections.
    let again = good
        .get_send_quota()
        .send()
        .await
        .expect("GetSendQuota after the rejections");
    assert_moto_request_id(again.request_id(), "GetSendQuota");
}
