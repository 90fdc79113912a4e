//! Hostile responses the generated SES client must survive with its own operations: a modeled
//! error with a huge message, an empty 200 for an output with members. The protocol-neutral
//! cases (deep XML, oversized and endless bodies, stalls, redirects, entities) run in the
//! runtime crate against a hand-written operation (`runtime/tests/hostile_responses.rs`).

#[path = "../../runtime/tests/support/fake_server.rs"]
mod fake_ses;

use fake_ses::{FakeServer, Reply, Sleeps, bounded, error};
use ses_client::error::{ProvideErrorMetadata, SdkError};
use ses_client::{Client, Config, ConfigBuilder, Credentials};

fn client(
    server: &FakeServer,
    sleeps: &Sleeps,
    tweak: impl FnOnce(ConfigBuilder) -> ConfigBuilder,
) -> Client {
    let builder = Config::builder()
        .region("us-east-1")
        .endpoint_url(&server.url)
        .credentials(Credentials::from_keys(
            "AKIDHOSTILE",
            "hostile-secret",
            None,
        ))
        .sleep_impl(sleeps.sleeper());
    Client::from_conf(tweak(builder).build())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_error_message_is_capped_in_display_but_kept_whole() {
    bounded(async {
        let message = "\u{1b}[31mred\n".to_owned() + &"m".repeat(20_000_000);
        let body = error(400, "MessageRejected", &message, "rid-1");
        let server = FakeServer::start(move |_, _| body.clone()).await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = c
            .send_email()
            .source("a@example.com")
            .destination(
                ses_client::types::Destination::builder()
                    .to_addresses("b@example.com")
                    .build(),
            )
            .message(
                ses_client::types::Message::builder()
                    .subject(
                        ses_client::types::Content::builder()
                            .data("s")
                            .build()
                            .expect("required members set"),
                    )
                    .body(ses_client::types::Body::builder().build())
                    .build(),
            )
            .send()
            .await
            .unwrap_err();
        let shown = err.to_string();
        assert!(shown.len() < 2_000, "Display is {} bytes", shown.len());
        assert!(
            shown.contains("MessageRejected: \\u{1b}[31mred\\nmmm"),
            "{shown}"
        );
        assert!(shown.contains("more bytes)"), "{shown}");
        assert!(shown.contains("request id rid-1"), "{shown}");
        assert_eq!(err.message().map(str::len), Some(message.len()));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_200_is_an_error_when_the_output_has_members() {
    bounded(async {
        let server = FakeServer::start(|_, _| Reply::new(200, "")).await;
        let sleeps = Sleeps::new();
        let c = client(&server, &sleeps, |b| b);
        let err = c
            .get_identity_mail_from_domain_attributes()
            .identities("example.com")
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
        assert!(
            err.to_string().contains(
                "the body is empty, but GetIdentityMailFromDomainAttributes returns data"
            ),
            "{err}"
        );
        // An operation whose output has no members may answer with an empty body.
        c.set_identity_mail_from_domain()
            .identity("example.com")
            .send()
            .await
            .unwrap();
    })
    .await;
}
