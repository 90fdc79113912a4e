//! Validation before any network I/O: every violation of one request in one error, and a
//! switch to turn it off. The client points at a closed port, so any I/O would show up as a
//! dispatch error instead.

use ses_client::error::SdkError;

/// The validation error inside a construction failure, if that is what `err` is.
fn validation_error<E>(err: &SdkError<E>) -> Option<&ses_client::error::ValidationError> {
    match err {
        SdkError::ConstructionFailure(c) => c.validation_error(),
        _ => None,
    }
}

fn closed_port_client(validation: bool) -> ses_client::Client {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let conf = ses_client::Config::builder()
        .region("us-east-1")
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .credentials(ses_client::Credentials::from_keys(
            "AKIDEXAMPLE",
            "secret",
            None,
        ))
        .max_attempts(1)
        .validation(validation)
        .build();
    ses_client::Client::from_conf(conf)
}

#[tokio::test]
async fn three_mistakes_in_one_error() {
    let err = closed_port_client(true)
        .put_identity_policy()
        .policy_name("p".repeat(70))
        .policy("")
        .send()
        .await
        .unwrap_err();
    let Some(v) = validation_error(&err) else {
        panic!("expected a validation error, got {err:?}")
    };
    assert_eq!(v.operation, "PutIdentityPolicy");
    let found: Vec<(&str, &str)> = v
        .violations
        .iter()
        .map(|x| (x.path.as_str(), x.rule.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("Identity", "is required but was not set"),
            ("PolicyName", "has length 70, must be between 1 and 64"),
            ("Policy", "has length 0, must be at least 1"),
        ]
    );
    assert_eq!(
        err.to_string(),
        "invalid PutIdentityPolicy request (3 problems):\n  - Identity: is required but was not set\n  \
         - PolicyName: has length 70, must be between 1 and 64\n  - Policy: has length 0, must be at least 1"
    );
}

#[tokio::test]
async fn nested_paths_patterns_and_ranges() {
    use ses_client::types::{ConnectAction, ReceiptAction, ReceiptRule, S3Action};
    let err = closed_port_client(true)
        .create_receipt_rule()
        .rule_set_name("set")
        .rule(
            ReceiptRule::builder()
                .name("rule")
                .actions(
                    ReceiptAction::builder()
                        .s3_action(
                            S3Action::builder()
                                .bucket_name("b")
                                .build()
                                .expect("required members set"),
                        )
                        .build(),
                )
                .actions(
                    ReceiptAction::builder()
                        .connect_action(
                            ConnectAction::builder()
                                .instance_arn("arn:aws:connect:us-east-1:1:instance/not-a-uuid")
                                .iam_role_arn("not-an-arn")
                                .build()
                                .expect("required members set"),
                        )
                        .build(),
                )
                .build()
                .expect("required members set"),
        )
        .send()
        .await
        .unwrap_err();
    let Some(v) = validation_error(&err) else {
        panic!("expected a validation error, got {err:?}")
    };
    let found: Vec<(&str, &str)> = v
        .violations
        .iter()
        .map(|x| (x.path.as_str(), x.rule.as_str()))
        .collect();
    assert_eq!(found.len(), 3, "{v}");
    assert_eq!(found[0].0, "Rule.Actions[1].ConnectAction.InstanceARN");
    assert!(
        found[0]
            .1
            .starts_with("does not match the pattern `^arn:(aws|aws-us-gov):connect:"),
        "{v}"
    );
    assert_eq!(
        found[1],
        (
            "Rule.Actions[1].ConnectAction.IAMRoleARN",
            "has length 10, must be between 20 and 2048"
        )
    );
    assert_eq!(found[2].0, "Rule.Actions[1].ConnectAction.IAMRoleARN");
    assert!(found[2].1.starts_with("does not match the pattern"), "{v}");

    let err = closed_port_client(true)
        .list_custom_verification_email_templates()
        .max_results(51)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid ListCustomVerificationEmailTemplates request (1 problem):\n  - MaxResults: is 51, must be between 1 and 50"
    );
}

#[tokio::test]
async fn validation_can_be_turned_off() {
    let err = closed_port_client(false)
        .put_identity_policy()
        .send()
        .await
        .unwrap_err();
    // Sent (and failed to connect) rather than rejected.
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
}
