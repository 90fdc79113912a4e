//! `ses_client::mail_from::MailFromPlan`: validation of the identity and the MAIL FROM
//! subdomain, and the DNS records for each partition. No network.

use ses_client::mail_from::{
    DnsRecord, DomainRole, LabelProblem, MailFromPlan, Partition, PlanError, RecordType,
};

fn err(identity: &str, mail_from: &str) -> PlanError {
    MailFromPlan::new(identity, mail_from, "us-east-1").expect_err("the plan should be refused")
}

#[test]
fn a_domain_that_is_not_below_the_identity_is_refused() {
    let e = err("example.com", "mail.example.org");
    assert_eq!(
        e,
        PlanError::NotASubdomain {
            mail_from_domain: "mail.example.org".to_owned(),
            identity_domain: "example.com".to_owned(),
        }
    );
    assert_eq!(
        e.to_string(),
        "MAIL FROM domain `mail.example.org` is not a subdomain of the identity's domain \
         `example.com`"
    );
    // A suffix that is not on a label boundary is not a subdomain either.
    assert!(matches!(
        err("example.com", "mailexample.com"),
        PlanError::NotASubdomain { .. }
    ));
    // Nor is the parent of the identity's domain.
    assert!(matches!(
        err("mail.example.com", "example.com"),
        PlanError::NotASubdomain { .. }
    ));
}

#[test]
fn the_identity_domain_itself_is_refused_whatever_its_case_or_trailing_dot() {
    let e = err("example.com", "Example.COM.");
    assert_eq!(
        e,
        PlanError::SameAsIdentityDomain {
            domain: "Example.COM.".to_owned()
        }
    );
    assert_eq!(
        e.to_string(),
        "MAIL FROM domain `Example.COM.` is the identity's domain itself; use a subdomain of it, \
         such as `mail.Example.COM.`"
    );
    assert!(matches!(
        err("user@example.com", "example.com"),
        PlanError::SameAsIdentityDomain { .. }
    ));
}

#[test]
fn invalid_labels_are_named() {
    let cases: Vec<(&str, &str, LabelProblem)> = vec![
        (
            "mail_from.example.com",
            "mail_from",
            LabelProblem::BadCharacter('_'),
        ),
        ("-mail.example.com", "-mail", LabelProblem::LeadingHyphen),
        ("mail-.example.com", "mail-", LabelProblem::TrailingHyphen),
        ("mail..example.com", "", LabelProblem::Empty),
        (".mail.example.com", "", LabelProblem::Empty),
        ("mäil.example.com", "mäil", LabelProblem::BadCharacter('ä')),
        (
            "mail .example.com",
            "mail ",
            LabelProblem::BadCharacter(' '),
        ),
    ];
    for (domain, label, problem) in cases {
        assert_eq!(
            err("example.com", domain),
            PlanError::InvalidLabel {
                role: DomainRole::MailFrom,
                domain: domain.to_owned(),
                label: label.to_owned(),
                problem,
            },
            "{domain}"
        );
    }
    let long_label = "a".repeat(64);
    let e = err("example.com", &format!("{long_label}.example.com"));
    assert!(
        matches!(
            &e,
            PlanError::InvalidLabel {
                problem: LabelProblem::TooLong { length: 64 },
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("is 64 characters long (at most 63 are allowed)"),
        "{e}"
    );
    // 63 characters is fine.
    MailFromPlan::new(
        "example.com",
        &format!("{}.example.com", "a".repeat(63)),
        "us-east-1",
    )
    .expect("a 63-character label is valid");

    let e = err("example.com", "mail_from.example.com");
    assert_eq!(
        e.to_string(),
        "MAIL FROM domain `mail_from.example.com`: label `mail_from` contains '_': only letters, \
         digits and hyphens are allowed (write international names in their xn-- form)"
    );
    let e = err("exa mple.com", "mail.example.com");
    assert!(
        matches!(
            &e,
            PlanError::InvalidLabel {
                role: DomainRole::Identity,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().starts_with("identity domain `exa mple.com`"),
        "{e}"
    );
}

#[test]
fn names_longer_than_253_characters_are_refused() {
    // 4 labels of 63 plus dots = 255 characters, below example.com.
    let long = format!("{}.example.com", vec!["a".repeat(60); 4].join("."));
    assert!(long.len() > 253);
    let e = err("example.com", &long);
    assert!(
        matches!(e, PlanError::TooLong { role: DomainRole::MailFrom, length, .. } if length == long.len()),
        "{e:?}"
    );
    assert!(e.to_string().contains("a DNS name has at most 253"), "{e}");
    // Exactly 253 (without the final dot) is fine, with or without that dot.
    let labels = [
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(49),
    ];
    let exact = format!("{}.example.com", labels.join("."));
    assert_eq!(exact.len(), 253);
    MailFromPlan::new("example.com", &exact, "us-east-1").expect("253 characters");
    MailFromPlan::new("example.com", &format!("{exact}."), "us-east-1").expect("with the dot");
}

#[test]
fn empty_inputs_and_broken_email_identities_are_refused() {
    assert_eq!(
        err("example.com", ""),
        PlanError::Empty {
            role: DomainRole::MailFrom
        }
    );
    assert_eq!(
        err("example.com", ".").to_string(),
        "the MAIL FROM domain is empty"
    );
    assert_eq!(
        err("", "mail.example.com"),
        PlanError::Empty {
            role: DomainRole::Identity
        }
    );
    let e = err("@example.com", "mail.example.com");
    assert!(matches!(e, PlanError::InvalidIdentity { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "identity `@example.com`: an email address needs a local part before `@`"
    );
    assert_eq!(
        err("user@", "mail.example.com"),
        PlanError::Empty {
            role: DomainRole::Identity
        }
    );
}

#[test]
fn an_email_identity_uses_the_domain_after_the_at_sign() {
    let plan = MailFromPlan::new("user@example.com", "mail.example.com", "us-east-1")
        .expect("valid email identity");
    assert_eq!(plan.identity(), "user@example.com");
    assert_eq!(plan.identity_domain(), "example.com");
    assert_eq!(plan.mail_from_domain(), "mail.example.com");

    // Case-insensitive, trailing dots tolerated; the identity keeps its spelling.
    let plan = MailFromPlan::new("User@Example.COM", "Bounce.Mail.EXAMPLE.com.", "us-east-1")
        .expect("valid, deeper subdomain");
    assert_eq!(plan.identity(), "User@Example.COM");
    assert_eq!(plan.identity_domain(), "example.com");
    assert_eq!(plan.mail_from_domain(), "bounce.mail.example.com");

    // The domain of an email is the part after the last `@`.
    assert!(matches!(
        err("user@example.com", "mail.example.org"),
        PlanError::NotASubdomain { identity_domain, .. } if identity_domain == "example.com"
    ));

    let plan = MailFromPlan::new("Example.com.", "mail.example.com", "us-east-1")
        .expect("domain identity with a trailing dot");
    assert_eq!(plan.identity(), "example.com");
}

#[test]
fn records_for_a_commercial_region() {
    let plan = MailFromPlan::new("example.com", "mail.example.com", "us-east-1").expect("plan");
    assert_eq!(plan.partition(), Partition::Aws);
    assert_eq!(plan.region(), "us-east-1");
    let [mx, spf] = plan.records();
    assert_eq!(
        mx,
        DnsRecord::Mx {
            name: "mail.example.com".to_owned(),
            priority: 10,
            exchange: "feedback-smtp.us-east-1.amazonses.com".to_owned(),
            ttl: 1800,
        }
    );
    assert_eq!(mx.record_type(), RecordType::Mx);
    assert_eq!(mx.name(), "mail.example.com");
    assert_eq!(mx.priority(), Some(10));
    assert_eq!(mx.ttl(), 1800);
    assert_eq!(mx.value(), "10 feedback-smtp.us-east-1.amazonses.com");
    assert_eq!(
        spf,
        DnsRecord::Txt {
            name: "mail.example.com".to_owned(),
            text: "v=spf1 include:amazonses.com ~all".to_owned(),
            ttl: 1800,
        }
    );
    assert_eq!(spf.record_type(), RecordType::Txt);
    assert_eq!(spf.priority(), None);
    assert_eq!(spf.value(), "\"v=spf1 include:amazonses.com ~all\"");
    assert_eq!(
        plan.zone_lines(),
        [
            "mail.example.com. 1800 IN MX 10 feedback-smtp.us-east-1.amazonses.com.",
            "mail.example.com. 1800 IN TXT \"v=spf1 include:amazonses.com ~all\"",
        ]
    );
    assert_eq!(spf.to_string(), spf.zone_line());

    let plan = plan.with_ttl(300);
    assert_eq!(
        plan.zone_lines()[0],
        "mail.example.com. 300 IN MX 10 feedback-smtp.us-east-1.amazonses.com."
    );
}

#[test]
fn records_for_govcloud() {
    let plan = MailFromPlan::new("example.gov", "mail.example.gov", "us-gov-west-1").expect("plan");
    assert_eq!(plan.partition(), Partition::AwsUsGov);
    assert_eq!(plan.partition().id(), "aws-us-gov");
    assert_eq!(
        plan.zone_lines(),
        [
            "mail.example.gov. 1800 IN MX 10 feedback-smtp.us-gov-west-1.amazonses.com.",
            "mail.example.gov. 1800 IN TXT \"v=spf1 include:amazonses.com ~all\"",
        ]
    );
}

#[test]
fn records_for_china() {
    let plan = MailFromPlan::new("example.cn", "mail.example.cn", "cn-north-1").expect("plan");
    assert_eq!(plan.partition(), Partition::AwsCn);
    assert_eq!(
        plan.zone_lines(),
        [
            "mail.example.cn. 1800 IN MX 10 feedback-smtp.ses.cn-north-1.amazonaws.com.cn.",
            "mail.example.cn. 1800 IN TXT \"v=spf1 include:amazonses.com ~all\"",
        ]
    );
    let plan = MailFromPlan::new("example.cn", "mail.example.cn", "cn-northwest-1").expect("plan");
    assert_eq!(
        plan.mx_record().value(),
        "10 feedback-smtp.ses.cn-northwest-1.amazonaws.com.cn"
    );
}

#[test]
fn regions_of_other_partitions_are_refused() {
    for region in ["us-iso-east-1", "eusc-de-east-1", "local", "", "US-EAST-1"] {
        let e = MailFromPlan::new("example.com", "mail.example.com", region)
            .expect_err("no records known");
        assert_eq!(
            e,
            PlanError::UnsupportedRegion {
                region: region.to_owned()
            }
        );
    }
    assert_eq!(
        MailFromPlan::new("example.com", "mail.example.com", "us-iso-east-1")
            .unwrap_err()
            .to_string(),
        "region `us-iso-east-1`: the SES MAIL FROM records are only known for regions of the \
         partitions aws, aws-us-gov and aws-cn"
    );
}

#[test]
fn a_plan_for_a_client_takes_its_region() {
    let conf = ses_client::Config::builder().region("eu-west-1").build();
    let client = ses_client::Client::from_conf(conf);
    let plan = MailFromPlan::for_client(&client, "example.com", "mail.example.com").expect("plan");
    assert_eq!(plan.region(), "eu-west-1");
    assert_eq!(
        plan.mx_record().value(),
        "10 feedback-smtp.eu-west-1.amazonses.com"
    );

    let client = ses_client::Client::from_conf(ses_client::Config::builder().build());
    let e = MailFromPlan::for_client(&client, "example.com", "mail.example.com").unwrap_err();
    assert_eq!(e, PlanError::NoRegion);
    assert_eq!(
        e.to_string(),
        "the client has no region configured, and the MX record depends on it"
    );
}
