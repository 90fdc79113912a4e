//! The generated SES client end to end against the moto SES emulator (the plain server of
//! `cargo xtask test`, `SES_CLIENT_MOTO_ENDPOINT`; signatures are not checked there).
//!
//! Every test that needs moto prints `SKIPPED: ...` to stderr and returns when the variable is
//! absent (plain `cargo test`). Tests run in parallel against one server, whose state is per
//! region: each test uses names made unique per run ([`common::unique`]) and, when it asserts
//! region-wide counters, a region no other test uses.
//!
//! Values asserted below that are moto's own (not what real SES would answer) are marked
//! "moto:"; they were checked against moto 5.2.5, the version `cargo xtask test` installs.

mod common;

use std::collections::HashMap;
use std::net::TcpListener;
use std::time::{Duration, SystemTime};

use common::{assert_moto_request_id, unique};
use ses_client::RequestId;
use ses_client::error::{ProvideErrorMetadata, SdkError};
use ses_client::operation::create_configuration_set::CreateConfigurationSetError;
use ses_client::operation::create_template::CreateTemplateError;
use ses_client::operation::describe_configuration_set::DescribeConfigurationSetError;
use ses_client::operation::get_template::GetTemplateError;
use ses_client::operation::send_email::SendEmailError;
use ses_client::operation::set_identity_mail_from_domain::SetIdentityMailFromDomainError;
use ses_client::primitives::DateTime;
use ses_client::types::{
    BehaviorOnMxFailure, Body, ConfigurationSet, Content, CustomMailFromStatus, Destination,
    IdentityMailFromDomainAttributes, IdentityType, IdentityVerificationAttributes, Message,
    Template, VerificationStatus,
};

/// The plain moto server (no signature checks), set by `cargo xtask test`.
const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";
/// moto: the fixed token `VerifyDomainIdentity` answers with.
const MOTO_DOMAIN_VERIFICATION_TOKEN: &str = "QTKknzFg2J4ygwa+XvHAxUl1hyHoY0gVfZdfjIedHZ0=";
/// moto: the fixed token `GetIdentityVerificationAttributes` answers with.
const MOTO_ATTRIBUTES_VERIFICATION_TOKEN: &str = "ILQMESfEW0p6i6gIJcEWvO65TP5hg6B99hGFZ2lxrIs=";

/// A configuration set with just a name.
fn configuration_set(name: &str) -> ConfigurationSet {
    ConfigurationSet::builder()
        .name(name)
        .build()
        .expect("required members set")
}

/// The endpoint (see `common::endpoint_or_skip` for what happens without it).
fn moto(test: &str) -> Option<String> {
    common::endpoint_or_skip(test, MOTO_ENDPOINT_VAR)
}

/// A client for the plain moto server (any key works there).
fn client(endpoint: &str, region: &str) -> ses_client::Client {
    common::client(endpoint, region, "AKIDEXAMPLE", "secret")
}

fn mail_from_attributes(
    mail_from_domain: Option<&str>,
    status: Option<CustomMailFromStatus>,
    behavior: BehaviorOnMxFailure,
) -> IdentityMailFromDomainAttributes {
    // SES (and moto) leave out MailFromDomain and MailFromDomainStatus when no custom MAIL FROM
    // domain is set, although the model marks them required, so `build()` (which checks them)
    // cannot make every value this helper stands for: set the public fields instead.
    let mut attrs = IdentityMailFromDomainAttributes::default();
    attrs.mail_from_domain = mail_from_domain.map(str::to_owned);
    attrs.mail_from_domain_status = status;
    attrs.behavior_on_mx_failure = Some(behavior);
    attrs
}

async fn get_mail_from(
    client: &ses_client::Client,
    identity: &str,
) -> HashMap<String, IdentityMailFromDomainAttributes> {
    let out = client
        .get_identity_mail_from_domain_attributes()
        .identities(identity)
        .send()
        .await
        .expect("GetIdentityMailFromDomainAttributes");
    assert_moto_request_id(out.request_id(), "GetIdentityMailFromDomainAttributes");
    out.mail_from_domain_attributes
        .expect("MailFromDomainAttributes is missing")
}

/// The scenario: verify a domain, set its MAIL FROM domain with each behavior on MX
/// failure, read back exactly what was set, then disable the custom MAIL FROM domain.
#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn mail_from_domain_with_both_behaviors_then_disabled() {
    let Some(endpoint) = moto("mail_from_domain_with_both_behaviors_then_disabled") else {
        return;
    };
    let client = client(&endpoint, "us-east-2");
    let domain = format!("{}.example.com", unique("mf"));

    let verified = client
        .verify_domain_identity()
        .domain(&domain)
        .send()
        .await
        .expect("VerifyDomainIdentity");
    assert_eq!(
        verified.verification_token.as_deref(),
        Some(MOTO_DOMAIN_VERIFICATION_TOKEN)
    );
    assert_moto_request_id(verified.request_id(), "VerifyDomainIdentity");

    let attrs = client
        .get_identity_verification_attributes()
        .identities(&domain)
        .send()
        .await
        .expect("GetIdentityVerificationAttributes")
        .verification_attributes
        .expect("VerificationAttributes is missing");
    let expected = IdentityVerificationAttributes::builder()
        // moto: verification succeeds at once (real SES says Pending until the DNS record).
        .verification_status(VerificationStatus::Success)
        .verification_token(MOTO_ATTRIBUTES_VERIFICATION_TOKEN)
        .build()
        .expect("required members set");
    assert_eq!(attrs, HashMap::from([(domain.clone(), expected)]));

    // Nothing set yet: no MAIL FROM domain, the default behavior.
    assert_eq!(
        get_mail_from(&client, &domain).await,
        HashMap::from([(
            domain.clone(),
            mail_from_attributes(None, None, BehaviorOnMxFailure::UseDefaultValue)
        )])
    );

    // UseDefaultValue.
    let bounces = format!("bounces.{domain}");
    let set = client
        .set_identity_mail_from_domain()
        .identity(&domain)
        .mail_from_domain(&bounces)
        .behavior_on_mx_failure(BehaviorOnMxFailure::UseDefaultValue)
        .send()
        .await
        .expect("SetIdentityMailFromDomain (UseDefaultValue)");
    assert_moto_request_id(set.request_id(), "SetIdentityMailFromDomain");
    assert_eq!(
        get_mail_from(&client, &domain).await,
        HashMap::from([(
            domain.clone(),
            // moto: the status is Success at once (real SES: Pending until the MX record).
            mail_from_attributes(
                Some(&bounces),
                Some(CustomMailFromStatus::Success),
                BehaviorOnMxFailure::UseDefaultValue
            )
        )])
    );

    // RejectMessage, with another MAIL FROM domain: both changes are visible.
    let mail = format!("mail.{domain}");
    client
        .set_identity_mail_from_domain()
        .identity(&domain)
        .mail_from_domain(&mail)
        .behavior_on_mx_failure(BehaviorOnMxFailure::RejectMessage)
        .send()
        .await
        .expect("SetIdentityMailFromDomain (RejectMessage)");
    assert_eq!(
        get_mail_from(&client, &domain).await,
        HashMap::from([(
            domain.clone(),
            mail_from_attributes(
                Some(&mail),
                Some(CustomMailFromStatus::Success),
                BehaviorOnMxFailure::RejectMessage
            )
        )])
    );

    // Without MailFromDomain: the custom MAIL FROM domain is disabled. moto answers
    // `<value><BehaviorOnMXFailure>UseDefaultValue</BehaviorOnMXFailure></value>` only.
    client
        .set_identity_mail_from_domain()
        .identity(&domain)
        .send()
        .await
        .expect("SetIdentityMailFromDomain (disable)");
    assert_eq!(
        get_mail_from(&client, &domain).await,
        HashMap::from([(
            domain.clone(),
            mail_from_attributes(None, None, BehaviorOnMxFailure::UseDefaultValue)
        )])
    );
}

/// An error code the operation does not model still reaches the caller with its metadata.
#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn set_mail_from_domain_of_unknown_identity_is_rejected() {
    let Some(endpoint) = moto("set_mail_from_domain_of_unknown_identity_is_rejected") else {
        return;
    };
    let client = client(&endpoint, "us-east-2");
    let identity = format!("{}.com", unique("unknown"));
    let err = client
        .set_identity_mail_from_domain()
        .identity(&identity)
        .mail_from_domain(format!("bounces.{identity}"))
        .behavior_on_mx_failure(BehaviorOnMxFailure::RejectMessage)
        .send()
        .await
        .expect_err("an unknown identity must be rejected");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("InvalidParameterValue"));
    let message = format!("Identity '{identity}' does not exist.");
    assert_eq!(err.message(), Some(message.as_str()));
    assert_moto_request_id(err.request_id(), "SetIdentityMailFromDomain error");
    let Some(SetIdentityMailFromDomainError::Unhandled(unhandled)) = err.as_service_error() else {
        panic!("expected SdkError::ServiceError(Unhandled), got {err:?}");
    };
    assert_eq!(unhandled.meta().error_type(), Some("Sender"));
}

/// CreateTemplate, GetTemplate, ListTemplates, a duplicate CreateTemplate, DeleteTemplate.
#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn templates_create_get_list_duplicate_delete() {
    let Some(endpoint) = moto("templates_create_get_list_duplicate_delete") else {
        return;
    };
    let client = client(&endpoint, "us-west-1");
    let name = unique("tpl");
    let template = Template::builder()
        .template_name(&name)
        .subject_part("Hello {{name}}")
        .text_part("Dear {{name}}, <welcome> & thanks.")
        .html_part("<h1>Dear {{name}}</h1><p>caf\u{e9} \u{2713}</p>")
        .build()
        .expect("required members set");
    // moto stores the creation time with microseconds; allow for clock granularity.
    let before = DateTime::from(SystemTime::now() - Duration::from_secs(2));
    let created = client
        .create_template()
        .template(template.clone())
        .send()
        .await
        .expect("CreateTemplate");
    assert_moto_request_id(created.request_id(), "CreateTemplate");
    let after = DateTime::from(SystemTime::now() + Duration::from_secs(2));

    let got = client
        .get_template()
        .template_name(&name)
        .send()
        .await
        .expect("GetTemplate");
    assert_eq!(
        got.template,
        Some(template.clone()),
        "the template round-trips exactly"
    );

    let listed = client.list_templates().send().await.expect("ListTemplates");
    let mine: Vec<_> = listed
        .templates_metadata
        .expect("TemplatesMetadata is missing")
        .into_iter()
        .filter(|m| m.name.as_deref() == Some(name.as_str()))
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    let created_at = mine[0]
        .created_timestamp
        .expect("CreatedTimestamp is missing");
    assert!(
        before <= created_at && created_at <= after,
        "CreatedTimestamp {created_at} not within [{before}, {after}]"
    );
    assert_eq!(listed.next_token, None);

    let err = client
        .create_template()
        .template(template)
        .send()
        .await
        .expect_err("a duplicate template name must be rejected");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("AlreadyExists"));
    assert_eq!(err.message(), Some("Duplicate Template Name."));
    let Some(CreateTemplateError::AlreadyExistsException(e)) = err.as_service_error() else {
        panic!("expected AlreadyExistsException, got {err:?}");
    };
    assert_eq!(e.message.as_deref(), Some("Duplicate Template Name."));

    let deleted = client
        .delete_template()
        .template_name(&name)
        .send()
        .await
        .expect("DeleteTemplate");
    assert_moto_request_id(deleted.request_id(), "DeleteTemplate");
    let err = client
        .get_template()
        .template_name(&name)
        .send()
        .await
        .expect_err("deleted");
    assert_eq!(err.code(), Some("TemplateDoesNotExist"));
    let listed = client
        .list_templates()
        .send()
        .await
        .expect("ListTemplates after delete");
    assert!(
        !listed
            .templates_metadata
            .unwrap_or_default()
            .iter()
            .any(|m| m.name.as_deref() == Some(name.as_str())),
        "the deleted template is still listed"
    );
}

/// The error path: code, message, `Type`, request id, status and Display all reach the caller,
/// and the modeled error variant is chosen.
#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn get_missing_template_reports_code_message_type_request_id_and_status() {
    let Some(endpoint) =
        moto("get_missing_template_reports_code_message_type_request_id_and_status")
    else {
        return;
    };
    let client = client(&endpoint, "us-west-1");
    let name = unique("missing-tpl");
    let err = client
        .get_template()
        .template_name(&name)
        .send()
        .await
        .expect_err("a missing template must be an error");

    assert!(matches!(err, SdkError::ServiceError(_)), "{err:?}");
    assert_eq!(err.code(), Some("TemplateDoesNotExist"));
    assert_eq!(err.message(), Some("Invalid Template Name."));
    assert_eq!(err.status(), Some(400));
    assert_moto_request_id(err.request_id(), "GetTemplate error");
    let request_id = err.request_id().unwrap().to_owned();

    let service = err.as_service_error().unwrap();
    assert_eq!(service.meta().error_type(), Some("Sender"));
    assert_eq!(service.meta().status(), 400);
    let GetTemplateError::TemplateDoesNotExistException(e) = service else {
        panic!("expected TemplateDoesNotExistException, got {service:?}");
    };
    assert_eq!(e.message.as_deref(), Some("Invalid Template Name."));
    assert_eq!(e.code(), Some("TemplateDoesNotExist"));
    assert_eq!(e.request_id(), Some(request_id.as_str()));

    assert_eq!(
        err.to_string(),
        format!(
            "service error: TemplateDoesNotExist: Invalid Template Name. \
             (HTTP 400, type Sender, request id {request_id})"
        )
    );
    assert_eq!(
        service.to_string(),
        format!(
            "TemplateDoesNotExist: Invalid Template Name. \
             (HTTP 400, type Sender, request id {request_id})"
        )
    );
    // The error chain leads to the modeled exception.
    let source = std::error::Error::source(&err).expect("SdkError::ServiceError has a source");
    assert_eq!(source.to_string(), service.to_string());
}

/// CreateConfigurationSet, ListConfigurationSets, DescribeConfigurationSet, and the errors of
/// a duplicate and a missing configuration set (whose message has XML entities in it).
#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn configuration_sets_create_list_describe() {
    let Some(endpoint) = moto("configuration_sets_create_list_describe") else {
        return;
    };
    let client = client(&endpoint, "eu-west-1");
    let name = unique("cs");
    let created = client
        .create_configuration_set()
        .configuration_set(configuration_set(&name))
        .send()
        .await
        .expect("CreateConfigurationSet");
    assert_moto_request_id(created.request_id(), "CreateConfigurationSet");

    let listed = client
        .list_configuration_sets()
        .send()
        .await
        .expect("ListConfigurationSets");
    let mine: Vec<_> = listed
        .configuration_sets
        .expect("ConfigurationSets is missing")
        .into_iter()
        .filter(|c| c.name.as_deref() == Some(name.as_str()))
        .collect();
    assert_eq!(mine, vec![configuration_set(&name)]);

    let described = client
        .describe_configuration_set()
        .configuration_set_name(&name)
        .send()
        .await
        .expect("DescribeConfigurationSet");
    assert_eq!(described.configuration_set, Some(configuration_set(&name)));
    // moto answers `<EventDestinations/>`: no destinations.
    assert_eq!(described.event_destinations.unwrap_or_default(), vec![]);
    assert_eq!(described.tracking_options, None);
    assert_eq!(described.delivery_options, None);
    assert_eq!(described.reputation_options, None);

    let err = client
        .create_configuration_set()
        .configuration_set(configuration_set(&name))
        .send()
        .await
        .expect_err("a duplicate configuration set must be rejected");
    assert_eq!(err.code(), Some("ConfigurationSetAlreadyExists"));
    let message = format!("Configuration set <{name}> already exists");
    assert_eq!(err.message(), Some(message.as_str()));
    assert!(
        matches!(
            err.as_service_error(),
            Some(CreateConfigurationSetError::ConfigurationSetAlreadyExistsException(_))
        ),
        "{err:?}"
    );

    let missing = unique("missing-cs");
    let err = client
        .describe_configuration_set()
        .configuration_set_name(&missing)
        .send()
        .await
        .expect_err("a missing configuration set must be an error");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("ConfigurationSetDoesNotExist"));
    // moto escapes the angle brackets (`&lt;`, `&gt;`); the client must unescape them.
    let message = format!("Configuration set <{missing}> does not exist.");
    assert_eq!(err.message(), Some(message.as_str()));
    assert!(
        matches!(
            err.as_service_error(),
            Some(DescribeConfigurationSetError::ConfigurationSetDoesNotExistException(_))
        ),
        "{err:?}"
    );
}

/// VerifyEmailIdentity, VerifyDomainIdentity, ListIdentities (all, by type), DeleteIdentity.
#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn identities_verify_list_by_type_delete() {
    let Some(endpoint) = moto("identities_verify_list_by_type_delete") else {
        return;
    };
    let client = client(&endpoint, "eu-west-2");
    let tag = unique("id");
    let email = format!("someone@{tag}.example.org");
    let domain = format!("{tag}.example.net");

    let verified = client
        .verify_email_identity()
        .email_address(&email)
        .send()
        .await
        .expect("VerifyEmailIdentity");
    assert_moto_request_id(verified.request_id(), "VerifyEmailIdentity");
    client
        .verify_domain_identity()
        .domain(&domain)
        .send()
        .await
        .expect("VerifyDomainIdentity");

    // The identities of this test, in the order the service listed them.
    let list = |identity_type: Option<IdentityType>| {
        let client = client.clone();
        let tag = tag.clone();
        async move {
            let out = client
                .list_identities()
                .set_identity_type(identity_type)
                .send()
                .await
                .expect("ListIdentities");
            assert_eq!(out.next_token, None);
            let mut mine: Vec<String> = out
                .identities
                .expect("Identities is missing")
                .into_iter()
                .filter(|i| i.contains(&tag))
                .collect();
            mine.sort();
            mine
        }
    };
    let mut both = vec![domain.clone(), email.clone()];
    both.sort();
    assert_eq!(list(None).await, both);
    assert_eq!(
        list(Some(IdentityType::EmailAddress)).await,
        vec![email.clone()]
    );
    assert_eq!(list(Some(IdentityType::Domain)).await, vec![domain.clone()]);

    let deleted = client
        .delete_identity()
        .identity(&email)
        .send()
        .await
        .expect("DeleteIdentity");
    assert_moto_request_id(deleted.request_id(), "DeleteIdentity");
    assert_eq!(list(None).await, vec![domain.clone()]);
    assert_eq!(
        list(Some(IdentityType::EmailAddress)).await,
        Vec::<String>::new()
    );

    client
        .delete_identity()
        .identity(&domain)
        .send()
        .await
        .expect("DeleteIdentity (domain)");
    assert_eq!(list(None).await, Vec::<String>::new());
}

/// SendEmail from a verified identity moves GetSendQuota and GetSendStatistics by exactly the
/// number of recipients; an unverified sender is a MessageRejected error and counts as a
/// reject. Uses a region of its own (the counters are region-wide) and works by differences,
/// so re-running against the same server passes too.
#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn send_email_updates_quota_and_statistics() {
    let Some(endpoint) = moto("send_email_updates_quota_and_statistics") else {
        return;
    };
    let client = client(&endpoint, "ap-southeast-2");

    let quota = client.get_send_quota().send().await.expect("GetSendQuota");
    // moto: a fixed quota of 200 messages a day at 1 per second.
    assert_eq!(quota.max24_hour_send, Some(200.0));
    assert_eq!(quota.max_send_rate, Some(1.0));
    let sent_before = quota.sent_last24_hours.expect("SentLast24Hours is missing");

    let stats = client
        .get_send_statistics()
        .send()
        .await
        .expect("GetSendStatistics");
    let points = stats.send_data_points.expect("SendDataPoints is missing");
    // moto: always exactly one data point with the running totals.
    assert_eq!(points.len(), 1, "{points:?}");
    let attempts_before = points[0].delivery_attempts.expect("DeliveryAttempts");
    let rejects_before = points[0].rejects.expect("Rejects");

    let sender = format!("sender@{}.example.com", unique("send"));
    client
        .verify_email_identity()
        .email_address(&sender)
        .send()
        .await
        .expect("VerifyEmailIdentity");
    let message = Message::builder()
        .subject(
            Content::builder()
                .data("Greetings \u{2709}")
                .charset("UTF-8")
                .build()
                .expect("required members set"),
        )
        .body(
            Body::builder()
                .text(
                    Content::builder()
                        .data("Plain text & more")
                        .build()
                        .expect("required members set"),
                )
                .html(
                    Content::builder()
                        .data("<p>HTML</p>")
                        .build()
                        .expect("required members set"),
                )
                .build(),
        )
        .build();
    let destination = Destination::builder()
        .to_addresses("to1@example.com")
        .to_addresses("to2@example.com")
        .cc_addresses("cc@example.com")
        .build();
    let sent = client
        .send_email()
        .source(&sender)
        .destination(destination.clone())
        .message(message.clone())
        .send()
        .await
        .expect("SendEmail");
    let message_id = sent.message_id.as_deref().expect("MessageId is missing");
    assert!(!message_id.is_empty());
    assert_moto_request_id(sent.request_id(), "SendEmail");

    let quota = client
        .get_send_quota()
        .send()
        .await
        .expect("GetSendQuota after sending");
    assert_eq!(quota.sent_last24_hours, Some(sent_before + 3.0));
    assert_eq!(quota.max24_hour_send, Some(200.0));

    let unverified = format!("nobody@{}.example.com", unique("unverified"));
    let err = client
        .send_email()
        .source(&unverified)
        .destination(destination)
        .message(message)
        .send()
        .await
        .expect_err("an unverified sender must be rejected");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.code(), Some("MessageRejected"));
    let text = format!("Email address not verified {unverified}");
    assert_eq!(err.message(), Some(text.as_str()));
    let Some(SendEmailError::MessageRejected(e)) = err.as_service_error() else {
        panic!("expected MessageRejected, got {err:?}");
    };
    assert_eq!(e.message.as_deref(), Some(text.as_str()));

    let stats = client
        .get_send_statistics()
        .send()
        .await
        .expect("GetSendStatistics after");
    let points = stats.send_data_points.expect("SendDataPoints is missing");
    assert_eq!(points.len(), 1, "{points:?}");
    let p = &points[0];
    assert_eq!(p.delivery_attempts, Some(attempts_before + 3));
    assert_eq!(p.rejects, Some(rejects_before + 1));
    assert_eq!(p.bounces, Some(0));
    assert_eq!(p.complaints, Some(0));
    // moto: the timestamp of the data point is "now".
    let ts = p.timestamp.expect("Timestamp is missing");
    let now = DateTime::from(SystemTime::now());
    assert!(
        (now.secs() - ts.secs()).abs() <= 60,
        "Timestamp {ts} is not close to {now}"
    );
}

/// A successful output carries the request id (`RequestId` trait), for an output with members
/// and for one without.
#[ignore = "needs the moto emulator (SES_CLIENT_MOTO_ENDPOINT): run `cargo xtask test`"]
#[tokio::test]
async fn successful_outputs_carry_the_request_id() {
    let Some(endpoint) = moto("successful_outputs_carry_the_request_id") else {
        return;
    };
    let client = client(&endpoint, "eu-central-1");
    let quota = client.get_send_quota().send().await.expect("GetSendQuota");
    assert_moto_request_id(quota.request_id(), "GetSendQuota");
    let name = unique("rid");
    let created = client
        .create_configuration_set()
        .configuration_set(configuration_set(&name))
        .send()
        .await
        .expect("CreateConfigurationSet");
    assert_moto_request_id(created.request_id(), "CreateConfigurationSet");
    // Every call gets an id of its own.
    assert_ne!(quota.request_id(), created.request_id());
}

/// A missing required member (`Identity`) is rejected before any network I/O: the client points
/// at a closed port, yet the error is a validation error (in `SdkError::ConstructionFailure`)
/// naming the operation and the member, not a dispatch error. A valid request through the same
/// client shows the port really is closed. Needs no moto.
#[tokio::test]
async fn missing_required_identity_is_rejected_before_any_io() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
        listener.local_addr().unwrap().port()
    };
    let conf = ses_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(ses_client::Credentials::from_keys(
            "AKIDEXAMPLE",
            "secret",
            None,
        ))
        .max_attempts(1)
        .build();
    let client = ses_client::Client::from_conf(conf);

    let err = client
        .set_identity_mail_from_domain()
        .mail_from_domain("bounces.example.com")
        .behavior_on_mx_failure(BehaviorOnMxFailure::RejectMessage)
        .send()
        .await
        .expect_err("Identity is required");
    let Some(v) = (match &err {
        SdkError::ConstructionFailure(c) => c.validation_error(),
        _ => None,
    }) else {
        panic!("expected a validation error (SdkError::ConstructionFailure), got {err:?}");
    };
    assert_eq!(v.operation, "SetIdentityMailFromDomain");
    assert_eq!(v.violations.len(), 1, "{v:?}");
    assert_eq!(v.violations[0].path, "Identity");
    assert_eq!(v.violations[0].rule, "is required but was not set");
    assert_eq!(
        err.to_string(),
        "invalid SetIdentityMailFromDomain request (1 problem):\n  - Identity: is required but was not set"
    );
    assert_eq!(err.status(), None);
    assert_eq!(err.code(), None);
    assert_eq!(err.request_id(), None);

    // Control: with Identity set, the request is sent and fails at the transport level.
    let err = client
        .set_identity_mail_from_domain()
        .identity("example.com")
        .send()
        .await
        .expect_err("nothing listens on the port");
    assert!(
        matches!(err, SdkError::DispatchFailure(_)),
        "expected a dispatch error, got {err:?}"
    );
}
