//! A program written purely against the public API of aws-sdk-ses 1.123.0 and aws-config 1.13.0,
//! as an application would use them: three ways to build a client, the MAIL FROM workflow with
//! the `identity_exists` waiter, sending, both paginator forms, templates, and every kind of
//! `SdkError`. `check-against-aws-sdk-ses.sh` (next to this file) builds it against the real
//! crates and runs it against moto; the same source is meant to compile against ses-client with
//! only the dependency renamed.
//!
//! Needs `SES_CLIENT_MOTO_ENDPOINT` (a moto server); prints `SKIPPED: ...` and exits 0 without it.
//! A failed check or an unexpected error ends the program with a message and exit status 1.
//! Only what aws-sdk-ses 1.123.0 really reports against moto is asserted; comments say where
//! that is moto's behaviour rather than SES's.

use std::fmt::Display;
use std::panic::Location;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_ses::Client;
use aws_sdk_ses::client::Waiters;
use aws_sdk_ses::config::retry::RetryConfig;
use aws_sdk_ses::config::timeout::TimeoutConfig;
use aws_sdk_ses::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ses::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_ses::operation::RequestId;
use aws_sdk_ses::operation::create_template::CreateTemplateError;
use aws_sdk_ses::operation::get_template::GetTemplateError;
use aws_sdk_ses::operation::send_email::SendEmailError;
use aws_sdk_ses::primitives::Blob;
use aws_sdk_ses::types::{
    BehaviorOnMxFailure, Body, Content, CustomMailFromStatus, Destination, Message, RawMessage,
    Template, VerificationStatus,
};
use aws_sdk_ses::waiters::identity_exists::WaitUntilIdentityExistsError;

static PASSED: AtomicUsize = AtomicUsize::new(0);

/// Why the program stops: a failed check, or any error met through `?` (with where it happened).
struct Failure(String);

impl<E: std::error::Error> From<E> for Failure {
    #[track_caller]
    fn from(err: E) -> Self {
        Failure(format!(
            "{}: {}",
            Location::caller(),
            DisplayErrorContext(&err)
        ))
    }
}

fn failure(line: u32, what: impl Display) -> Failure {
    Failure(format!("{}:{line}: {what}", file!()))
}

/// `check!(condition)`: counts a passed check, or stops with the condition's text.
macro_rules! check {
    ($cond:expr) => {
        if $cond {
            PASSED.fetch_add(1, Ordering::Relaxed);
        } else {
            return Err(failure(
                line!(),
                concat!("check failed: ", stringify!($cond)),
            ));
        }
    };
}

/// `check_eq!(got, want)`: like `check!(got == want)`, showing both values when they differ.
macro_rules! check_eq {
    ($got:expr, $want:expr) => {
        match (&$got, &$want) {
            (got, want) if got == want => {
                PASSED.fetch_add(1, Ordering::Relaxed);
            }
            (got, want) => {
                let what = stringify!($got);
                return Err(failure(
                    line!(),
                    format!("{what}: got {got:?}, want {want:?}"),
                ));
            }
        }
    };
}

/// `unexpected!(what, value)`: stops on a result of the wrong shape.
macro_rules! unexpected {
    ($what:expr, $value:expr) => {
        return Err(failure(line!(), format!("{}: got {:?}", $what, $value)))
    };
}

#[tokio::main]
async fn main() {
    let endpoint = std::env::var("SES_CLIENT_MOTO_ENDPOINT").unwrap_or_default();
    if endpoint.is_empty() {
        eprintln!("SKIPPED: dropin: SES_CLIENT_MOTO_ENDPOINT not set");
        return;
    }
    let result = run(&endpoint).await;
    let passed = PASSED.load(Ordering::Relaxed);
    match result {
        Ok(()) => println!("dropin: {passed} checks passed"),
        Err(Failure(msg)) => {
            eprintln!("dropin: FAILED after {passed} passed checks: {msg}");
            std::process::exit(1);
        }
    }
}

async fn run(endpoint: &str) -> Result<(), Failure> {
    let millis = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let tag = format!("{}-{millis}", std::process::id());
    let domain = format!("dropin-{tag}.example.com");
    let sender = format!("sender-{tag}@mail.example.org");
    let twenty_secs = || {
        TimeoutConfig::builder()
            .operation_timeout(Duration::from_secs(20))
            .build()
    };

    // ---------------------------------------------------------------- 1. three ways to a client
    let sdk_config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "dropin"))
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .timeout_config(twenty_secs())
        .load()
        .await;
    let client = Client::new(&sdk_config);
    let from_builder = Client::from_conf(aws_sdk_ses::config::Builder::from(&sdk_config).build());
    let explicit = aws_sdk_ses::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "explicit"))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .timeout_config(twenty_secs())
        .build();
    let explicit = Client::from_conf(explicit);
    for cl in [&client, &from_builder, &explicit] {
        let conf = cl.config();
        check_eq!(conf.region().map(|r| r.as_ref()), Some("us-east-1"));
        check_eq!(conf.retry_config().map(|r| r.max_attempts()), Some(2));
        let timeouts = conf.timeout_config();
        check_eq!(
            timeouts.and_then(|t| t.operation_timeout()),
            Some(Duration::from_secs(20))
        );
        let quota = cl.get_send_quota().send().await?;
        check!(quota.request_id().is_some());
    }
    let elsewhere = client
        .config()
        .to_builder()
        .region(Region::new("eu-west-1"))
        .build();
    check_eq!(
        elsewhere.region().map(|r| r.to_string()),
        Some("eu-west-1".to_owned())
    );
    check_eq!(client.config().region(), Some(&Region::new("us-east-1")));

    // A client is Clone + Send + Sync, and its futures are Send: calls from spawned tasks.
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let cl = client.clone();
            tokio::spawn(async move { cl.list_identities().send().await })
        })
        .collect();
    for task in tasks {
        check!(task.await?.is_ok());
    }

    // ---------------------------------------------------------------- 2. MAIL FROM
    let verified = client
        .verify_domain_identity()
        .domain(&domain)
        .send()
        .await?;
    check!(!verified.verification_token().is_empty());
    // moto reports every identity it knows as verified ("Success") at once: the first poll wins.
    let waiter = client.wait_until_identity_exists().identities(&domain);
    let final_poll = waiter.wait(Duration::from_secs(30)).await?;
    let attrs = final_poll.into_result()?;
    let status = attrs
        .verification_attributes()
        .get(&domain)
        .map(|a| a.verification_status());
    check_eq!(status, Some(&VerificationStatus::Success));
    // An identity moto does not know: an empty map never matches, so the waiter gives up.
    let waiter = client
        .wait_until_identity_exists()
        .identities(format!("missing-{tag}.invalid"));
    match waiter.wait(Duration::from_secs(1)).await {
        Err(WaitUntilIdentityExistsError::ExceededMaxWait(ctx)) => {
            check_eq!(ctx.max_wait(), Duration::from_secs(1));
            check!(ctx.poll_count() >= 1);
        }
        other => unexpected!("waiter on a missing identity, want ExceededMaxWait", other),
    }

    let mail_from = format!("bounces.{domain}");
    client
        .set_identity_mail_from_domain()
        .identity(&domain)
        .mail_from_domain(&mail_from)
        .behavior_on_mx_failure(BehaviorOnMxFailure::RejectMessage)
        .send()
        .await?;
    let get_mail_from = client
        .get_identity_mail_from_domain_attributes()
        .identities(&domain);
    let out = get_mail_from.clone().send().await?;
    let Some(attrs) = out.mail_from_domain_attributes().get(&domain) else {
        unexpected!("MAIL FROM attributes", out);
    };
    check_eq!(attrs.mail_from_domain(), mail_from.as_str());
    check_eq!(
        attrs.mail_from_domain_status(),
        &CustomMailFromStatus::Success
    );
    check_eq!(
        attrs.behavior_on_mx_failure(),
        &BehaviorOnMxFailure::RejectMessage
    );

    // Disable (no MailFromDomain). moto then leaves MailFromDomain and MailFromDomainStatus out
    // of its answer, and aws-sdk-ses fills those required members with defaults: "" and the
    // status parsed from "no value was set" (not a known variant).
    client
        .set_identity_mail_from_domain()
        .identity(&domain)
        .send()
        .await?;
    let out = get_mail_from.send().await?;
    let Some(attrs) = out.mail_from_domain_attributes().get(&domain) else {
        unexpected!("MAIL FROM attributes once disabled", out);
    };
    check_eq!(attrs.mail_from_domain(), "");
    check_eq!(attrs.mail_from_domain_status().as_str(), "no value was set");
    check!(!CustomMailFromStatus::values().contains(&attrs.mail_from_domain_status().as_str()));
    check_eq!(
        attrs.behavior_on_mx_failure(),
        &BehaviorOnMxFailure::UseDefaultValue
    );

    // ---------------------------------------------------------------- 3. sending
    client
        .verify_email_identity()
        .email_address(&sender)
        .send()
        .await?;
    let destination = Destination::builder()
        .to_addresses("to@example.net")
        .cc_addresses("cc@example.net")
        .build();
    let body = Body::builder()
        .text(Content::builder().data("Hello, text.").build()?)
        .html(Content::builder().data("<p>Hello, html.</p>").build()?)
        .build();
    let message = Message::builder()
        .subject(subject(Some("Hello"))?)
        .body(body)
        .build();
    let send = client.send_email().source(&sender).destination(destination);
    let sent = send.message(message).send().await?;
    check!(!sent.message_id().is_empty());
    let id = send_text_email(&client, &sender, "one@example.net", Some("Hi")).await?;
    check!(!id.is_empty() && id != sent.message_id());
    // A nested builder's BuildError, through `?`, into aws_sdk_ses::Error: nothing is sent.
    match send_text_email(&client, &sender, "one@example.net", None).await {
        Err(err) => {
            check_eq!(err.code(), None);
            check!(!matches!(err, aws_sdk_ses::Error::MessageRejected(_)));
        }
        other => unexpected!("a Content without data", other),
    }
    // An unverified sender: the modeled MessageRejected, through `?`, into aws_sdk_ses::Error.
    let stranger = format!("stranger-{tag}@unverified.example.org");
    match send_text_email(&client, &stranger, "one@example.net", Some("Hi")).await {
        Err(aws_sdk_ses::Error::MessageRejected(e)) => check!(e.message().is_some()),
        other => unexpected!("an unverified sender, want MessageRejected", other),
    }
    let raw = format!(
        "From: {sender}\r\nTo: raw@example.net\r\nSubject: raw {tag}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\r\nHello, raw.\r\n"
    );
    let raw = RawMessage::builder()
        .data(Blob::new(raw.into_bytes()))
        .build()?;
    let raw_sent = client
        .send_raw_email()
        .source(&sender)
        .raw_message(raw)
        .send()
        .await?;
    check!(!raw_sent.message_id().is_empty());
    let quota = client.get_send_quota().send().await?;
    check!(quota.max24_hour_send() > 0.0);
    // moto counts recipients: 2 + 1 + 1 in this run (more if earlier runs used the same moto).
    check!(quota.sent_last24_hours() >= 4.0);
    let stats = client.get_send_statistics().send().await?;
    let Some(point) = stats.send_data_points().first() else {
        unexpected!("send data points", stats);
    };
    check!(point.delivery_attempts() >= 4);
    check!(point.rejects() >= 1);
    check!(point.timestamp().is_some());

    // ---------------------------------------------------------------- 4. listing
    // moto ignores MaxItems and NextToken: one page with every identity, and no next token.
    let mut pages = client
        .list_identities()
        .into_paginator()
        .page_size(1)
        .send();
    let (mut page_count, mut paged) = (0, Vec::new());
    while let Some(page) = pages.next().await {
        let page = page?;
        page_count += 1;
        paged.extend(page.identities().iter().cloned());
        check_eq!(page.next_token(), None);
    }
    check_eq!(page_count, 1);
    check!(paged.contains(&domain) && paged.contains(&sender));
    let items = client.list_identities().into_paginator().items().send();
    let items = items.collect::<Result<Vec<_>, _>>().await?;
    check_eq!(items, paged);
    let plain = client.list_identities().max_items(1).send().await?;
    check!(plain.identities().len() >= 2);
    check_eq!(plain.next_token(), None);

    // ---------------------------------------------------------------- 5. templates
    let name = format!("dropin-{tag}");
    let template = |subject: &str| {
        Template::builder()
            .template_name(&name)
            .subject_part(subject)
            .text_part("Hello {{name}}")
            .html_part("<p>Hello {{name}}</p>")
            .build()
    };
    client
        .create_template()
        .template(template("Welcome")?)
        .send()
        .await?;
    let got = client.get_template().template_name(&name).send().await?;
    let Some(t) = got.template() else {
        unexpected!("get_template", got);
    };
    check_eq!(t.template_name(), name.as_str());
    check_eq!(t.subject_part(), Some("Welcome"));
    check_eq!(t.text_part(), Some("Hello {{name}}"));
    let listed = client.list_templates().send().await?;
    let mut names = listed
        .templates_metadata()
        .iter()
        .filter(|m| m.name() == Some(name.as_str()));
    check!(
        names
            .next()
            .is_some_and(|m| m.created_timestamp().is_some())
    );
    let update = client.update_template().template(template("Welcome back")?);
    update.send().await?;
    let got = client.get_template().template_name(&name).send().await?;
    check_eq!(
        got.template().and_then(|t| t.subject_part()),
        Some("Welcome back")
    );

    // ---------------------------------------------------------------- 6. errors
    // A modeled error: the same template again.
    let err = match client
        .create_template()
        .template(template("Again")?)
        .send()
        .await
    {
        Err(err) => err,
        other => unexpected!("create_template twice", other),
    };
    check_eq!(err.code(), Some("AlreadyExists"));
    check!(err.message().is_some());
    check!(err.request_id().is_some());
    check_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
    // DisplayErrorContext shows the whole chain, down to the service's message.
    check!(
        DisplayErrorContext(&err)
            .to_string()
            .contains(err.message().unwrap_or("?"))
    );
    check!(
        err.as_service_error()
            .is_some_and(|e| e.is_already_exists_exception())
    );
    match &err {
        SdkError::ServiceError(ctx) => {
            check!(ctx.err().is_already_exists_exception());
            check_eq!(ctx.raw().status().as_u16(), 400);
        }
        other => unexpected!("create_template twice, want ServiceError", other),
    }
    let request_id = err.request_id().map(str::to_owned);
    let svc = err.into_service_error();
    check!(svc.is_already_exists_exception());
    check!(matches!(
        svc,
        CreateTemplateError::AlreadyExistsException(_)
    ));
    check_eq!(svc.code(), Some("AlreadyExists"));
    check!(svc.message().is_some());
    check_eq!(svc.request_id().map(str::to_owned), request_id);
    if let CreateTemplateError::AlreadyExistsException(e) = &svc {
        check_eq!(e.message(), svc.message());
        check_eq!(e.name(), None); // moto sends no Name
    }
    let err = aws_sdk_ses::Error::from(svc);
    check!(matches!(err, aws_sdk_ses::Error::AlreadyExistsException(_)));

    // Delete, then the modeled TemplateDoesNotExist.
    client.delete_template().template_name(&name).send().await?;
    match client.get_template().template_name(&name).send().await {
        Err(err) => {
            check_eq!(err.code(), Some("TemplateDoesNotExist"));
            let svc = err.into_service_error();
            check!(svc.is_template_does_not_exist_exception());
            check!(matches!(
                svc,
                GetTemplateError::TemplateDoesNotExistException(_)
            ));
        }
        other => unexpected!("a deleted template", other),
    }

    // A code SendEmail does not model (moto: InvalidParameterValue for an address without @).
    let bad_body = Body::builder()
        .text(Content::builder().data("x").build()?)
        .build();
    let bad = Message::builder()
        .subject(subject(Some("x"))?)
        .body(bad_body)
        .build();
    let bad_destination = Destination::builder().to_addresses("nobody").build();
    let send = client
        .send_email()
        .source(&sender)
        .destination(bad_destination);
    match send.message(bad).send().await {
        Err(SdkError::ServiceError(ctx)) => {
            let e: &SendEmailError = ctx.err();
            check_eq!(e.code(), Some("InvalidParameterValue"));
            check!(!e.is_message_rejected() && e.message().is_some());
            check_eq!(ctx.raw().status().as_u16(), 400);
        }
        other => unexpected!("a send to `nobody`, want ServiceError", other),
    }
    // SetIdentityMailFromDomain models no error at all.
    let unknown = format!("unknown-{tag}.example.com");
    let set = client.set_identity_mail_from_domain().identity(&unknown);
    let err = set
        .mail_from_domain(format!("bounces.{unknown}"))
        .send()
        .await
        .err();
    check_eq!(
        err.as_ref().and_then(|e| e.code()),
        Some("InvalidParameterValue")
    );

    // A required member left out. The one documented difference between the two clients
    // (README, "Switching from aws-sdk-ses"): aws-sdk-ses does not check it and sends the
    // request, which moto answers with InvalidParameterValue (it looks the identity `None` up);
    // ses-client checks every constraint of the model before any I/O and fails with a
    // ConstructionFailure, no raw response, nothing sent. Both arms compile against both crates.
    let set = client
        .set_identity_mail_from_domain()
        .mail_from_domain("bounces.example.com");
    match set.send().await {
        Err(err @ SdkError::ServiceError(_)) => {
            check_eq!(err.code(), Some("InvalidParameterValue"))
        }
        Err(err @ SdkError::ConstructionFailure(_)) => {
            check!(err.raw_response().is_none() && err.code().is_none());
            check!(DisplayErrorContext(&err).to_string().contains("Identity"));
        }
        other => unexpected!("no identity, want ServiceError or ConstructionFailure", other),
    }
    // ConstructionFailure: a BuildError turned into an SdkError by `?`.
    match subject(None) {
        Err(err @ SdkError::ConstructionFailure(_)) => {
            check!(err.raw_response().is_none() && err.code().is_none());
        }
        other => unexpected!("a subject without data, want ConstructionFailure", other),
    }

    // DispatchFailure: nothing listens on the port any more. Retries off: one attempt.
    let dead_port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dead = client.config().to_builder();
    let dead = dead.endpoint_url(format!("http://127.0.0.1:{dead_port}"));
    let dead = Client::from_conf(dead.retry_config(RetryConfig::disabled()).build());
    match dead.get_send_quota().send().await {
        Err(SdkError::DispatchFailure(dispatch)) => {
            check!(dispatch.is_io());
            check!(!dispatch.is_timeout());
        }
        other => unexpected!("a closed port, want DispatchFailure", other),
    }

    // TimeoutError: a listener that accepts and never answers, and a 500 ms operation timeout.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let short = TimeoutConfig::builder()
        .operation_timeout(Duration::from_millis(500))
        .build();
    let slow = client
        .config()
        .to_builder()
        .endpoint_url(format!("http://127.0.0.1:{port}"));
    let slow = Client::from_conf(
        slow.retry_config(RetryConfig::disabled())
            .timeout_config(short)
            .build(),
    );
    let started = Instant::now();
    let result = slow.get_send_quota().send().await;
    silent.abort();
    match result {
        Err(err @ SdkError::TimeoutError(_)) => {
            check!(err.raw_response().is_none() && err.as_service_error().is_none());
        }
        other => unexpected!("a silent server, want TimeoutError", other),
    }
    check!(started.elapsed() < Duration::from_secs(10));
    Ok(())
}

/// What an application writes: every failure funnels into `aws_sdk_ses::Error` with `?`.
async fn send_text_email(
    client: &Client,
    from: &str,
    to: &str,
    text: Option<&str>,
) -> Result<String, aws_sdk_ses::Error> {
    let text = Content::builder()
        .set_data(text.map(str::to_owned))
        .build()?;
    let body = Body::builder().text(text).build();
    let message = Message::builder()
        .subject(subject(Some("Note"))?)
        .body(body)
        .build();
    let to = Destination::builder().to_addresses(to).build();
    let out = client
        .send_email()
        .source(from)
        .destination(to)
        .message(message)
        .send()
        .await?;
    Ok(out.message_id().to_owned())
}

/// A subject line for `send_email`; a missing one is a ConstructionFailure (From<BuildError>).
fn subject(text: Option<&str>) -> Result<Content, SdkError<SendEmailError>> {
    Ok(Content::builder()
        .set_data(text.map(str::to_owned))
        .charset("UTF-8")
        .build()?)
}
