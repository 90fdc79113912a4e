//! Evaluator tests: a hand-written copy of the SES rule set (as the generator emits it) and
//! small rule sets exercising every function, parameter handling, scoping, templates,
//! headers and properties.

use super::partition::{OutputOverrides, Partition, PartitionOutputs, RegionEntry};
use super::rules::*;
use super::*;

const fn param(
    name: &'static str,
    ty: ParamType,
    built_in: Option<&'static str>,
    default: Option<DefaultValue>,
) -> Parameter {
    Parameter {
        name,
        ty,
        built_in,
        required: default.is_some(),
        default,
    }
}

const fn when(func: Func, args: &'static [Expr]) -> Condition {
    Condition {
        expr: Expr::Call(func, args),
        assign: None,
    }
}

const fn assign(func: Func, args: &'static [Expr], name: &'static str) -> Condition {
    bind(Expr::Call(func, args), name)
}

const fn bind(expr: Expr, name: &'static str) -> Condition {
    Condition {
        expr,
        assign: Some(name),
    }
}

const fn url(text: &'static str) -> EndpointSpec {
    EndpointSpec {
        url: Expr::Str(text),
        headers: &[],
        properties: &[],
    }
}

const fn url_t(template: &'static [Segment]) -> EndpointSpec {
    EndpointSpec {
        url: Expr::Template(template),
        headers: &[],
        properties: &[],
    }
}

const AWS_PARAMS: &[Parameter] = &[
    param("Region", ParamType::String, Some("AWS::Region"), None),
    param(
        "UseDualStack",
        ParamType::Boolean,
        Some("AWS::UseDualStack"),
        Some(DefaultValue::Bool(false)),
    ),
    param(
        "UseFIPS",
        ParamType::Boolean,
        Some("AWS::UseFIPS"),
        Some(DefaultValue::Bool(false)),
    ),
    param("Endpoint", ParamType::String, Some("SDK::Endpoint"), None),
];

const FIPS: Condition = when(
    Func::BooleanEquals,
    &[Expr::Ref("UseFIPS"), Expr::Bool(true)],
);
const DUAL: Condition = when(
    Func::BooleanEquals,
    &[Expr::Ref("UseDualStack"), Expr::Bool(true)],
);
const PART_FIPS: Expr = Expr::GetAttr(
    &Expr::Ref("PartitionResult"),
    &[Step::Field("supportsFIPS")],
);
const PART_DUAL: Expr = Expr::GetAttr(
    &Expr::Ref("PartitionResult"),
    &[Step::Field("supportsDualStack")],
);

/// The SES v1 rule set (`com.amazonaws.ses#SimpleEmailService`), written out by hand.
static SES: RuleSet = RuleSet {
    version: "1.0",
    parameters: AWS_PARAMS,
    rules: &[
        Rule::Tree {
            conditions: &[when(Func::IsSet, &[Expr::Ref("Endpoint")])],
            rules: &[
                Rule::Error {
                    conditions: &[FIPS],
                    message: Expr::Str(
                        "Invalid Configuration: FIPS and custom endpoint are not supported",
                    ),
                },
                Rule::Error {
                    conditions: &[DUAL],
                    message: Expr::Str(
                        "Invalid Configuration: Dualstack and custom endpoint are not supported",
                    ),
                },
                Rule::Endpoint {
                    conditions: &[],
                    endpoint: EndpointSpec {
                        url: Expr::Ref("Endpoint"),
                        headers: &[],
                        properties: &[],
                    },
                },
            ],
        },
        Rule::Tree {
            conditions: &[when(Func::IsSet, &[Expr::Ref("Region")])],
            rules: &[Rule::Tree {
                conditions: &[assign(
                    Func::AwsPartition,
                    &[Expr::Ref("Region")],
                    "PartitionResult",
                )],
                rules: &[
                    Rule::Tree {
                        conditions: &[FIPS, DUAL],
                        rules: &[
                            Rule::Tree {
                                conditions: &[
                                    when(Func::BooleanEquals, &[Expr::Bool(true), PART_FIPS]),
                                    when(Func::BooleanEquals, &[Expr::Bool(true), PART_DUAL]),
                                ],
                                rules: &[Rule::Endpoint {
                                    conditions: &[],
                                    endpoint: url_t(&[
                                        Segment::Lit("https://email-fips."),
                                        Segment::Ref("Region"),
                                        Segment::Lit("."),
                                        Segment::Attr(
                                            "PartitionResult",
                                            &[Step::Field("dualStackDnsSuffix")],
                                        ),
                                    ]),
                                }],
                            },
                            Rule::Error {
                                conditions: &[],
                                message: Expr::Str(
                                    "FIPS and DualStack are enabled, but this partition does not support one or both",
                                ),
                            },
                        ],
                    },
                    Rule::Tree {
                        conditions: &[FIPS],
                        rules: &[
                            Rule::Tree {
                                conditions: &[when(
                                    Func::BooleanEquals,
                                    &[PART_FIPS, Expr::Bool(true)],
                                )],
                                rules: &[Rule::Endpoint {
                                    conditions: &[],
                                    endpoint: url_t(&[
                                        Segment::Lit("https://email-fips."),
                                        Segment::Ref("Region"),
                                        Segment::Lit("."),
                                        Segment::Attr(
                                            "PartitionResult",
                                            &[Step::Field("dnsSuffix")],
                                        ),
                                    ]),
                                }],
                            },
                            Rule::Error {
                                conditions: &[],
                                message: Expr::Str(
                                    "FIPS is enabled but this partition does not support FIPS",
                                ),
                            },
                        ],
                    },
                    Rule::Tree {
                        conditions: &[DUAL],
                        rules: &[
                            Rule::Tree {
                                conditions: &[when(
                                    Func::BooleanEquals,
                                    &[Expr::Bool(true), PART_DUAL],
                                )],
                                rules: &[Rule::Endpoint {
                                    conditions: &[],
                                    endpoint: url_t(&[
                                        Segment::Lit("https://email."),
                                        Segment::Ref("Region"),
                                        Segment::Lit("."),
                                        Segment::Attr(
                                            "PartitionResult",
                                            &[Step::Field("dualStackDnsSuffix")],
                                        ),
                                    ]),
                                }],
                            },
                            Rule::Error {
                                conditions: &[],
                                message: Expr::Str(
                                    "DualStack is enabled but this partition does not support DualStack",
                                ),
                            },
                        ],
                    },
                    Rule::Endpoint {
                        conditions: &[],
                        endpoint: url_t(&[
                            Segment::Lit("https://email."),
                            Segment::Ref("Region"),
                            Segment::Lit("."),
                            Segment::Attr("PartitionResult", &[Step::Field("dnsSuffix")]),
                        ]),
                    },
                ],
            }],
        },
        Rule::Error {
            conditions: &[],
            message: Expr::Str("Invalid Configuration: Missing Region"),
        },
    ],
};

fn ses(region: Option<&str>, fips: bool, dual: bool) -> Result<Endpoint, EndpointError> {
    let mut p = Params::new()
        .with_param("UseFIPS", fips)
        .with_param("UseDualStack", dual);
    if let Some(r) = region {
        p = p.with_param("Region", r);
    }
    resolve(&SES, &p)
}

fn ses_url(region: &str, fips: bool, dual: bool) -> String {
    match ses(Some(region), fips, dual) {
        Ok(e) => e.url,
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn ses_regional_fips_and_dual_stack_endpoints() {
    assert_eq!(
        ses_url("af-south-1", false, false),
        "https://email.af-south-1.amazonaws.com"
    );
    assert_eq!(
        ses_url("us-east-1", true, false),
        "https://email-fips.us-east-1.amazonaws.com"
    );
    assert_eq!(
        ses_url("us-east-1", true, true),
        "https://email-fips.us-east-1.api.aws"
    );
    assert_eq!(
        ses_url("us-east-1", false, true),
        "https://email.us-east-1.api.aws"
    );
    assert_eq!(
        ses_url("cn-north-1", true, true),
        "https://email-fips.cn-north-1.api.amazonwebservices.com.cn"
    );
    assert_eq!(
        ses_url("cn-north-1", false, false),
        "https://email.cn-north-1.amazonaws.com.cn"
    );
    assert_eq!(
        ses_url("us-gov-east-1", false, true),
        "https://email.us-gov-east-1.api.aws"
    );
    assert_eq!(
        ses_url("us-iso-east-1", true, false),
        "https://email-fips.us-iso-east-1.c2s.ic.gov"
    );
    assert_eq!(
        ses_url("us-isob-east-1", false, false),
        "https://email.us-isob-east-1.sc2s.sgov.gov"
    );
    // Regions not in the table resolve through the expressions or the `aws` fallback.
    assert_eq!(
        ses_url("us-east-9", false, false),
        "https://email.us-east-9.amazonaws.com"
    );
}

#[test]
fn ses_error_rules_return_the_exact_message() {
    assert_eq!(
        ses(Some("us-iso-east-1"), true, true),
        Err(EndpointError::Rule(
            "FIPS and DualStack are enabled, but this partition does not support one or both"
                .into()
        ))
    );
    assert_eq!(
        ses_url("us-isob-east-1", false, true),
        "error: DualStack is enabled but this partition does not support DualStack"
    );
    assert_eq!(
        ses(None, false, false).map_err(|e| e.to_string()),
        Err("Invalid Configuration: Missing Region".to_owned())
    );
    // No parameters at all: the booleans come from the (false) built-ins / defaults.
    assert_eq!(
        resolve(&SES, &Params::new()),
        Err(EndpointError::Rule(
            "Invalid Configuration: Missing Region".into()
        ))
    );
}

#[test]
fn ses_custom_endpoint() {
    let custom = Params::new()
        .with_param("Region", "us-east-1")
        .with_param("UseFIPS", false)
        .with_param("UseDualStack", false)
        .with_param("Endpoint", "https://example.com");
    assert_eq!(
        resolve(&SES, &custom).map(|e| e.url),
        Ok("https://example.com".to_owned())
    );
    // Through the built-in fields instead of names.
    let via_built_ins = Params::new()
        .with_endpoint("https://example.com")
        .with_use_fips(true);
    assert_eq!(
        resolve(&SES, &via_built_ins),
        Err(EndpointError::Rule(
            "Invalid Configuration: FIPS and custom endpoint are not supported".into()
        ))
    );
    let dual = Params::new()
        .with_endpoint("https://example.com")
        .with_use_dual_stack(true);
    assert_eq!(
        resolve(&SES, &dual).map_err(|e| e.to_string()),
        Err("Invalid Configuration: Dualstack and custom endpoint are not supported".to_owned())
    );
    let ok = resolve(&SES, &Params::new().with_endpoint("http://localhost:4566"))
        .expect("custom endpoint");
    assert_eq!(ok.url, "http://localhost:4566");
    assert!(ok.headers.is_empty() && ok.properties.is_empty());
    assert_eq!((ok.signing_region, ok.signing_name), (None, None));
}

#[test]
fn named_values_override_built_ins() {
    let p = Params::new()
        .with_region("eu-west-1")
        .with_param("Region", "eu-west-2")
        .with_use_fips(true)
        .with_param("UseFIPS", false);
    assert_eq!(
        resolve(&SES, &p).map(|e| e.url),
        Ok("https://email.eu-west-2.amazonaws.com".to_owned())
    );
    // Values for undeclared names are ignored.
    let p = Params::new()
        .with_region("eu-west-1")
        .with_param("Bogus", 3.to_string());
    assert_eq!(
        resolve(&SES, &p).map(|e| e.url),
        Ok("https://email.eu-west-1.amazonaws.com".to_owned())
    );
}

#[test]
fn newer_partition_data_changes_iso_dual_stack() {
    // The ISO partition as newer data describes it: dual-stack supported.
    static NEWER: &[Partition] = &[Partition {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &[RegionEntry {
            name: "us-iso-east-1",
            description: "US ISO East",
            overrides: OutputOverrides::NONE,
        }],
        outputs: PartitionOutputs {
            name: "aws-iso",
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "api.aws.ic.gov",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-iso-east-1",
        },
    }];
    let table = PartitionTable::new(NEWER);
    let p = Params::new()
        .with_region("us-iso-east-1")
        .with_use_dual_stack(true);
    assert_eq!(
        resolve_with(&SES, &p, &table).map(|e| e.url),
        Ok("https://email.us-iso-east-1.api.aws.ic.gov".to_owned())
    );
    assert!(resolve(&SES, &p).is_err());
}

// ---------------------------------------------------------------------------------------
// Parameters

static PARAMS: RuleSet = RuleSet {
    version: "1.0",
    parameters: &[
        Parameter {
            name: "Required",
            ty: ParamType::String,
            built_in: None,
            required: true,
            default: None,
        },
        param(
            "WithDefault",
            ParamType::String,
            None,
            Some(DefaultValue::String("fallback")),
        ),
        param(
            "Flag",
            ParamType::Boolean,
            Some("Custom::Flag"),
            Some(DefaultValue::Bool(true)),
        ),
        param(
            "List",
            ParamType::StringArray,
            None,
            Some(DefaultValue::StringArray(&["first", "second"])),
        ),
    ],
    rules: &[Rule::Endpoint {
        conditions: &[
            when(Func::BooleanEquals, &[Expr::Ref("Flag"), Expr::Bool(true)]),
            bind(
                Expr::GetAttr(&Expr::Ref("List"), &[Step::Index(1)]),
                "second",
            ),
        ],
        endpoint: url_t(&[
            Segment::Lit("https://"),
            Segment::Ref("Required"),
            Segment::Lit("."),
            Segment::Ref("WithDefault"),
            Segment::Lit("."),
            Segment::Ref("second"),
            Segment::Lit(".example"),
        ]),
    }],
};

#[test]
fn parameters_required_defaults_built_ins_and_types() {
    let base = Params::new().with_param("Required", "r");
    assert_eq!(
        resolve(&PARAMS, &base).map(|e| e.url),
        Ok("https://r.fallback.second.example".to_owned())
    );
    assert_eq!(
        resolve(&PARAMS, &Params::new()),
        Err(EndpointError::MissingParameter("Required".into()))
    );
    assert_eq!(
        resolve(&PARAMS, &Params::new())
            .map_err(|e| e.to_string())
            .unwrap_err(),
        "endpoint parameter `Required` is required but was not set"
    );
    let p = base
        .clone()
        .with_param("WithDefault", "given")
        .with_param("List", vec!["a".to_owned(), "b".to_owned()]);
    assert_eq!(
        resolve(&PARAMS, &p).map(|e| e.url),
        Ok("https://r.given.b.example".to_owned())
    );
    // A custom built-in, by id; then overridden by name.
    let p = base.clone().with_built_in("Custom::Flag", false);
    assert_eq!(resolve(&PARAMS, &p), Err(EndpointError::NoRuleMatched));
    let p = p.with_param("Flag", true);
    assert!(resolve(&PARAMS, &p).is_ok());
    // Wrong types.
    assert_eq!(
        resolve(&PARAMS, &base.clone().with_param("Flag", "yes")),
        Err(EndpointError::InvalidParameter {
            name: "Flag".into(),
            expected: "boolean"
        })
    );
    assert_eq!(
        resolve(&PARAMS, &Params::new().with_param("Required", true))
            .unwrap_err()
            .to_string(),
        "endpoint parameter `Required` must be a string"
    );
    assert!(matches!(
        resolve(&PARAMS, &base.with_param("List", "x")),
        Err(EndpointError::InvalidParameter {
            expected: "stringArray",
            ..
        })
    ));
}

// ---------------------------------------------------------------------------------------
// Rule structure, scoping, templates

static STRUCTURE: RuleSet = RuleSet {
    version: "1.0",
    parameters: &[
        param("Mode", ParamType::String, None, None),
        param("Region", ParamType::String, Some("AWS::Region"), None),
    ],
    rules: &[
        // A tree whose conditions hold but none of whose rules match is terminal.
        Rule::Tree {
            conditions: &[when(
                Func::StringEquals,
                &[Expr::Ref("Mode"), Expr::Str("dead-end")],
            )],
            rules: &[Rule::Endpoint {
                conditions: &[when(Func::IsSet, &[Expr::Ref("Region")])],
                endpoint: url("https://unreachable"),
            }],
        },
        // Variables assigned in a tree are visible to its rules.
        Rule::Tree {
            conditions: &[
                when(Func::StringEquals, &[Expr::Ref("Mode"), Expr::Str("tree")]),
                assign(Func::AwsPartition, &[Expr::Str("cn-north-1")], "Part"),
            ],
            rules: &[Rule::Endpoint {
                conditions: &[],
                endpoint: url_t(&[
                    Segment::Lit("https://tree."),
                    Segment::Attr("Part", &[Step::Field("dnsSuffix")]),
                    Segment::Lit("/{literal}"),
                ]),
            }],
        },
        // An assignment made by a rule that then fails is not visible afterwards.
        Rule::Endpoint {
            conditions: &[
                assign(Func::UriEncode, &[Expr::Str("leak me")], "leaked"),
                when(Func::StringEquals, &[Expr::Ref("Mode"), Expr::Str("never")]),
            ],
            endpoint: url("https://never"),
        },
        Rule::Endpoint {
            conditions: &[when(
                Func::StringEquals,
                &[Expr::Ref("Mode"), Expr::Str("leak")],
            )],
            endpoint: url_t(&[Segment::Lit("https://"), Segment::Ref("leaked")]),
        },
        // A template substituting a non-string.
        Rule::Endpoint {
            conditions: &[
                when(
                    Func::StringEquals,
                    &[Expr::Ref("Mode"), Expr::Str("bad-template")],
                ),
                assign(Func::AwsPartition, &[Expr::Str("us-east-1")], "Part"),
            ],
            endpoint: url_t(&[
                Segment::Lit("https://"),
                Segment::Attr("Part", &[Step::Field("supportsFIPS")]),
            ]),
        },
        // Error messages are templates too, and may be references.
        Rule::Error {
            conditions: &[when(
                Func::StringEquals,
                &[Expr::Ref("Mode"), Expr::Str("error-template")],
            )],
            message: Expr::Template(&[
                Segment::Lit("mode "),
                Segment::Ref("Mode"),
                Segment::Lit(" in "),
                Segment::Ref("Region"),
                Segment::Lit(" is not supported"),
            ]),
        },
        Rule::Error {
            conditions: &[when(
                Func::StringEquals,
                &[Expr::Ref("Mode"), Expr::Str("error-ref")],
            )],
            message: Expr::Ref("Mode"),
        },
        // Type errors.
        Rule::Endpoint {
            conditions: &[
                when(
                    Func::StringEquals,
                    &[Expr::Ref("Mode"), Expr::Str("type-error")],
                ),
                when(Func::BooleanEquals, &[Expr::Ref("Mode"), Expr::Bool(true)]),
            ],
            endpoint: url("https://never"),
        },
        // Unset arguments make a condition fail rather than erroring.
        Rule::Endpoint {
            conditions: &[when(
                Func::StringEquals,
                &[Expr::Ref("Region"), Expr::Str("us-east-1")],
            )],
            endpoint: url("https://us-east-1.only"),
        },
        Rule::Endpoint {
            conditions: &[when(
                Func::StringEquals,
                &[Expr::Ref("Mode"), Expr::Str("fallthrough")],
            )],
            endpoint: url("https://fallthrough"),
        },
    ],
};

fn structure(mode: &str) -> Result<String, EndpointError> {
    resolve(
        &STRUCTURE,
        &Params::new()
            .with_param("Mode", mode)
            .with_region("eu-west-1"),
    )
    .map(|e| e.url)
}

#[test]
fn tree_rules_are_terminal() {
    assert_eq!(
        resolve(&STRUCTURE, &Params::new().with_param("Mode", "dead-end")),
        Err(EndpointError::NoRuleMatched)
    );
    // With Region set the same tree matches... the endpoint inside it.
    assert_eq!(structure("dead-end"), Ok("https://unreachable".to_owned()));
    // Rule-set exhaustion.
    assert_eq!(structure("nothing"), Err(EndpointError::NoRuleMatched));
    assert_eq!(
        EndpointError::NoRuleMatched.to_string(),
        "no endpoint rule matched the parameters (rule exhaustion)"
    );
}

#[test]
fn assignments_are_scoped_to_their_rule() {
    assert_eq!(
        structure("tree"),
        Ok("https://tree.amazonaws.com.cn/{literal}".to_owned())
    );
    assert_eq!(
        structure("leak"),
        Err(EndpointError::InvalidRuleSet(
            "reference to unknown name `leaked`".into()
        ))
    );
}

#[test]
fn templates_errors_and_type_checks() {
    assert!(matches!(
        structure("bad-template"),
        Err(EndpointError::InvalidRuleSet(m)) if m.contains("not a string")
    ));
    assert_eq!(
        structure("error-template"),
        Err(EndpointError::Rule(
            "mode error-template in eu-west-1 is not supported".into()
        ))
    );
    assert_eq!(
        structure("error-ref"),
        Err(EndpointError::Rule("error-ref".into()))
    );
    assert_eq!(
        structure("type-error"),
        Err(EndpointError::InvalidRuleSet(
            "argument 1 of `booleanEquals` must be a boolean, got string \"type-error\"".into()
        ))
    );
    assert_eq!(
        resolve(&STRUCTURE, &Params::new().with_param("Mode", "fallthrough")).map(|e| e.url),
        Ok("https://fallthrough".to_owned())
    );
    assert_eq!(
        resolve(&STRUCTURE, &Params::new().with_region("us-east-1")).map(|e| e.url),
        Ok("https://us-east-1.only".to_owned())
    );
}

#[test]
fn malformed_rule_sets_error_instead_of_panicking() {
    static ARITY: RuleSet = RuleSet {
        version: "1.0",
        parameters: &[],
        rules: &[Rule::Endpoint {
            conditions: &[when(Func::Not, &[])],
            endpoint: url("https://x"),
        }],
    };
    assert_eq!(
        resolve(&ARITY, &Params::new()),
        Err(EndpointError::InvalidRuleSet(
            "`not` takes 1 argument(s), got 0".into()
        ))
    );
    // A substitution whose path leads nowhere gives no string.
    static MISSING_ATTR: RuleSet = RuleSet {
        version: "1.0",
        parameters: &[],
        rules: &[Rule::Endpoint {
            conditions: &[assign(Func::AwsPartition, &[Expr::Str("us-east-1")], "p")],
            endpoint: url_t(&[
                Segment::Lit("https://"),
                Segment::Attr("p", &[Step::Field("nope"), Step::Index(0)]),
            ]),
        }],
    };
    assert_eq!(
        resolve(&MISSING_ATTR, &Params::new()),
        Err(EndpointError::InvalidRuleSet(
            "template substitution of `p` gives no value, which is not a string".into()
        ))
    );
    // Literal strings are data: the evaluator does not read braces in them as templates.
    static BRACES: RuleSet = RuleSet {
        version: "1.0",
        parameters: &[],
        rules: &[Rule::Endpoint {
            conditions: &[],
            endpoint: url("https://{unclosed}/{{x}}"),
        }],
    };
    assert_eq!(
        resolve(&BRACES, &Params::new()).map(|e| e.url),
        Ok("https://{unclosed}/{{x}}".to_owned())
    );
    static URL_NOT_STRING: RuleSet = RuleSet {
        version: "1.0",
        parameters: &[],
        rules: &[Rule::Endpoint {
            conditions: &[],
            endpoint: EndpointSpec {
                url: Expr::Bool(true),
                headers: &[],
                properties: &[],
            },
        }],
    };
    assert_eq!(
        resolve(&URL_NOT_STRING, &Params::new()),
        Err(EndpointError::InvalidRuleSet(
            "endpoint url must be a string, got boolean true".into()
        ))
    );
}

// ---------------------------------------------------------------------------------------
// Headers and properties

static WITH_PROPERTIES: RuleSet = RuleSet {
    version: "1.0",
    parameters: AWS_PARAMS,
    rules: &[Rule::Endpoint {
        conditions: &[
            when(Func::IsSet, &[Expr::Ref("Region")]),
            assign(
                Func::AwsPartition,
                &[Expr::Ref("Region")],
                "PartitionResult",
            ),
        ],
        endpoint: EndpointSpec {
            url: Expr::Template(&[
                Segment::Lit("https://sts."),
                Segment::Ref("Region"),
                Segment::Lit("."),
                Segment::Attr("PartitionResult", &[Step::Field("dnsSuffix")]),
            ]),
            headers: &[
                ("x-amz-region", &[Expr::Ref("Region")]),
                (
                    "x-multi",
                    &[
                        Expr::Str("a"),
                        Expr::Template(&[Segment::Attr("PartitionResult", &[Step::Field("name")])]),
                        Expr::Call(Func::UriEncode, &[Expr::Str("a b")]),
                    ],
                ),
            ],
            properties: &[
                (
                    "authSchemes",
                    Expr::Array(&[
                        Expr::Record(&[
                            ("name", Expr::Str("sigv4a")),
                            ("signingName", Expr::Str("not-this")),
                        ]),
                        Expr::Record(&[
                            ("name", Expr::Str("sigv4")),
                            ("signingName", Expr::Str("sts")),
                            (
                                "signingRegion",
                                Expr::Template(&[Segment::Attr(
                                    "PartitionResult",
                                    &[Step::Field("implicitGlobalRegion")],
                                )]),
                            ),
                            ("disableDoubleEncoding", Expr::Bool(true)),
                        ]),
                    ]),
                ),
                ("count", Expr::Int(2)),
            ],
        },
    }],
};

#[test]
fn headers_properties_and_auth_schemes() {
    let e = resolve(&WITH_PROPERTIES, &Params::new().with_region("cn-north-1")).expect("endpoint");
    assert_eq!(e.url, "https://sts.cn-north-1.amazonaws.com.cn");
    assert_eq!(
        e.headers,
        vec![
            ("x-amz-region".to_owned(), vec!["cn-north-1".to_owned()]),
            (
                "x-multi".to_owned(),
                vec!["a".to_owned(), "aws-cn".to_owned(), "a%20b".to_owned()]
            ),
        ]
    );
    assert_eq!(
        e.header("X-Amz-Region"),
        Some(&["cn-north-1".to_owned()][..])
    );
    assert_eq!(e.header("absent"), None);
    assert_eq!(e.signing_name.as_deref(), Some("sts"));
    assert_eq!(e.signing_region.as_deref(), Some("cn-northwest-1"));
    assert_eq!(
        Value::Record(e.properties.clone()),
        Value::record([
            (
                "authSchemes",
                Value::Array(vec![
                    Value::record([
                        ("name", Value::from("sigv4a")),
                        ("signingName", Value::from("not-this")),
                    ]),
                    Value::record([
                        ("name", Value::from("sigv4")),
                        ("signingName", Value::from("sts")),
                        ("signingRegion", Value::from("cn-northwest-1")),
                        ("disableDoubleEncoding", Value::Bool(true)),
                    ]),
                ]),
            ),
            ("count", Value::Int(2)),
        ])
    );
}

// ---------------------------------------------------------------------------------------
// Every function through the evaluator: each rule set resolves to `https://{out}` where
// `out` is the assigned result, or fails with "unset" when the function returns no value.

const INPUT_PARAMS: &[Parameter] = &[
    param("Input", ParamType::String, None, None),
    param("Flag", ParamType::Boolean, None, None),
];

fn run(rules: &RuleSet, input: Option<&str>, flag: Option<bool>) -> Result<String, String> {
    let mut p = Params::new();
    if let Some(i) = input {
        p = p.with_param("Input", i);
    }
    if let Some(f) = flag {
        p = p.with_param("Flag", f);
    }
    resolve(rules, &p)
        .map(|e| e.url.trim_start_matches("https://").to_owned())
        .map_err(|e| e.to_string())
}

const UNSET: Rule = Rule::Error {
    conditions: &[],
    message: Expr::Str("unset"),
};

#[test]
fn fn_is_set_and_not() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[when(Func::IsSet, &[Expr::Ref("Input")])],
                endpoint: url("https://set"),
            },
            Rule::Endpoint {
                conditions: &[when(
                    Func::Not,
                    &[Expr::Call(Func::IsSet, &[Expr::Ref("Flag")])],
                )],
                endpoint: url("https://nothing-set"),
            },
            Rule::Endpoint {
                conditions: &[when(Func::Not, &[Expr::Ref("Flag")])],
                endpoint: url("https://flag-false"),
            },
            UNSET,
        ],
    };
    assert_eq!(run(&R, Some(""), None), Ok("set".into()));
    assert_eq!(run(&R, None, None), Ok("nothing-set".into()));
    assert_eq!(run(&R, None, Some(false)), Ok("flag-false".into()));
    assert_eq!(run(&R, None, Some(true)), Err("unset".into()));
}

#[test]
fn fn_boolean_and_string_equals() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[
                    when(Func::BooleanEquals, &[Expr::Ref("Flag"), Expr::Bool(false)]),
                    when(Func::StringEquals, &[Expr::Str("abc"), Expr::Ref("Input")]),
                ],
                endpoint: url("https://both"),
            },
            Rule::Endpoint {
                conditions: &[when(
                    Func::StringEquals,
                    &[Expr::Ref("Input"), Expr::Template(&[Segment::Ref("Input")])],
                )],
                endpoint: url("https://template-equal"),
            },
            UNSET,
        ],
    };
    assert_eq!(run(&R, Some("abc"), Some(false)), Ok("both".into()));
    assert_eq!(
        run(&R, Some("abc"), Some(true)),
        Ok("template-equal".into())
    );
    assert_eq!(
        run(&R, Some("ABC"), Some(false)),
        Ok("template-equal".into())
    );
    // Unset argument: the condition does not hold.
    assert_eq!(run(&R, None, Some(false)), Err("unset".into()));
}

#[test]
fn fn_get_attr_and_template_shorthand() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[
                    assign(Func::AwsParseArn, &[Expr::Ref("Input")], "arn"),
                    bind(
                        Expr::GetAttr(
                            &Expr::Ref("arn"),
                            &[Step::Field("resourceId"), Step::Index(1)],
                        ),
                        "second",
                    ),
                    assign(
                        Func::AwsPartition,
                        &[Expr::Str("us-gov-west-1")],
                        "PartitionResult",
                    ),
                ],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Ref("second"),
                    Segment::Lit("."),
                    Segment::Attr("arn", &[Step::Field("resourceId"), Step::Index(0)]),
                    Segment::Lit("."),
                    Segment::Attr("arn", &[Step::Field("service")]),
                    Segment::Lit("."),
                    Segment::Attr("PartitionResult", &[Step::Field("dnsSuffix")]),
                ]),
            },
            Rule::Endpoint {
                conditions: &[
                    assign(Func::ParseUrl, &[Expr::Ref("Input")], "u"),
                    when(
                        Func::BooleanEquals,
                        &[
                            Expr::GetAttr(&Expr::Ref("u"), &[Step::Field("isIp")]),
                            Expr::Bool(false),
                        ],
                    ),
                ],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Attr("u", &[Step::Field("authority")]),
                ]),
            },
            UNSET,
        ],
    };
    assert_eq!(
        run(&R, Some("arn:aws:sns:us-east-1:123:topic/name"), None),
        Ok("name.topic.sns.amazonaws.com".into())
    );
    // `resourceId[1]` does not exist: the assigning condition fails.
    assert_eq!(
        run(&R, Some("arn:aws:sns:us-east-1:123:topic"), None),
        Err("unset".into())
    );
    assert_eq!(
        run(&R, Some("https://h.example:1"), None),
        Ok("h.example:1".into())
    );
    assert_eq!(run(&R, Some("https://10.0.0.1"), None), Err("unset".into()));
}

#[test]
fn fn_substring_forward_and_reverse() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[
                    assign(
                        Func::Substring,
                        &[
                            Expr::Ref("Input"),
                            Expr::Int(0),
                            Expr::Int(4),
                            Expr::Bool(false),
                        ],
                        "head",
                    ),
                    assign(
                        Func::Substring,
                        &[
                            Expr::Ref("Input"),
                            Expr::Int(0),
                            Expr::Int(4),
                            Expr::Ref("Flag"),
                        ],
                        "maybe_tail",
                    ),
                ],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Ref("head"),
                    Segment::Lit("-"),
                    Segment::Ref("maybe_tail"),
                ]),
            },
            UNSET,
        ],
    };
    assert_eq!(
        run(&R, Some("abcdefgh"), Some(false)),
        Ok("abcd-abcd".into())
    );
    assert_eq!(
        run(&R, Some("abcdefgh"), Some(true)),
        Ok("abcd-efgh".into())
    );
    assert_eq!(run(&R, Some("abc"), Some(true)), Err("unset".into()));
    assert_eq!(
        run(&R, Some("ab\u{e9}defgh"), Some(false)),
        Err("unset".into())
    );
}

#[test]
fn fn_uri_encode() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[assign(Func::UriEncode, &[Expr::Ref("Input")], "enc")],
                endpoint: url_t(&[Segment::Lit("https://x/"), Segment::Ref("enc")]),
            },
            UNSET,
        ],
    };
    assert_eq!(
        run(&R, Some("a b/c?d~"), None),
        Ok("x/a%20b%2Fc%3Fd~".into())
    );
    assert_eq!(run(&R, None, None), Err("unset".into()));
}

#[test]
fn fn_parse_url() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[assign(Func::ParseUrl, &[Expr::Ref("Input")], "url")],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Attr("url", &[Step::Field("scheme")]),
                    Segment::Lit("|"),
                    Segment::Attr("url", &[Step::Field("authority")]),
                    Segment::Lit("|"),
                    Segment::Attr("url", &[Step::Field("path")]),
                    Segment::Lit("|"),
                    Segment::Attr("url", &[Step::Field("normalizedPath")]),
                ]),
            },
            UNSET,
        ],
    };
    assert_eq!(
        run(&R, Some("http://example.com:8080/base"), None),
        Ok("http|example.com:8080|/base|/base/".into())
    );
    assert_eq!(
        run(&R, Some("https://example.com"), None),
        Ok("https|example.com||/".into())
    );
    assert_eq!(
        run(&R, Some("https://example.com/?q"), None),
        Err("unset".into())
    );
    assert_eq!(run(&R, Some("not a url"), None), Err("unset".into()));
}

#[test]
fn fn_is_valid_host_label() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[when(
                    Func::IsValidHostLabel,
                    &[Expr::Ref("Input"), Expr::Bool(false)],
                )],
                endpoint: url("https://label"),
            },
            Rule::Endpoint {
                conditions: &[when(
                    Func::IsValidHostLabel,
                    &[Expr::Ref("Input"), Expr::Bool(true)],
                )],
                endpoint: url("https://subdomains"),
            },
            UNSET,
        ],
    };
    assert_eq!(run(&R, Some("my-host1"), None), Ok("label".into()));
    assert_eq!(run(&R, Some("a.b-c.d"), None), Ok("subdomains".into()));
    assert_eq!(run(&R, Some("a..b"), None), Err("unset".into()));
    assert_eq!(run(&R, Some("-a"), None), Err("unset".into()));
}

#[test]
fn fn_aws_partition() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[assign(Func::AwsPartition, &[Expr::Ref("Input")], "p")],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Attr("p", &[Step::Field("name")]),
                    Segment::Lit("|"),
                    Segment::Attr("p", &[Step::Field("dnsSuffix")]),
                    Segment::Lit("|"),
                    Segment::Attr("p", &[Step::Field("dualStackDnsSuffix")]),
                    Segment::Lit("|"),
                    Segment::Attr("p", &[Step::Field("implicitGlobalRegion")]),
                ]),
            },
            UNSET,
        ],
    };
    assert_eq!(
        run(&R, Some("us-west-2"), None),
        Ok("aws|amazonaws.com|api.aws|us-east-1".into())
    );
    assert_eq!(
        run(&R, Some("us-gov-east-1"), None),
        Ok("aws-us-gov|amazonaws.com|api.aws|us-gov-west-1".into())
    );
    assert_eq!(
        run(&R, Some("eu-isoe-west-1"), None),
        Ok("aws-iso-e|cloud.adc-e.uk|cloud.adc-e.uk|eu-isoe-west-1".into())
    );
    assert_eq!(
        run(&R, Some("totally-unknown"), None),
        Ok("aws|amazonaws.com|api.aws|us-east-1".into())
    );
}

#[test]
fn fn_aws_parse_arn() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[assign(Func::AwsParseArn, &[Expr::Ref("Input")], "arn")],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Attr("arn", &[Step::Field("partition")]),
                    Segment::Lit("|"),
                    Segment::Attr("arn", &[Step::Field("service")]),
                    Segment::Lit("|"),
                    Segment::Attr("arn", &[Step::Field("region")]),
                    Segment::Lit("|"),
                    Segment::Attr("arn", &[Step::Field("accountId")]),
                    Segment::Lit("|"),
                    Segment::Attr("arn", &[Step::Field("resourceId"), Step::Index(0)]),
                ]),
            },
            UNSET,
        ],
    };
    assert_eq!(
        run(
            &R,
            Some("arn:aws-cn:s3:cn-north-1:123456789012:accesspoint/ap"),
            None
        ),
        Ok("aws-cn|s3|cn-north-1|123456789012|accesspoint".into())
    );
    assert_eq!(
        run(&R, Some("arn:aws:s3:::bucket"), None),
        Ok("aws|s3|||bucket".into())
    );
    assert_eq!(run(&R, Some("arn:aws:s3"), None), Err("unset".into()));
}

#[test]
fn fn_aws_is_virtual_hostable_s3_bucket() {
    static R: RuleSet = RuleSet {
        version: "1.0",
        parameters: INPUT_PARAMS,
        rules: &[
            Rule::Endpoint {
                conditions: &[when(
                    Func::AwsIsVirtualHostableS3Bucket,
                    &[Expr::Ref("Input"), Expr::Bool(false)],
                )],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Ref("Input"),
                    Segment::Lit(".s3"),
                ]),
            },
            Rule::Endpoint {
                conditions: &[when(
                    Func::AwsIsVirtualHostableS3Bucket,
                    &[Expr::Ref("Input"), Expr::Bool(true)],
                )],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Ref("Input"),
                    Segment::Lit(".dotted.s3"),
                ]),
            },
            UNSET,
        ],
    };
    assert_eq!(run(&R, Some("my-bucket"), None), Ok("my-bucket.s3".into()));
    assert_eq!(
        run(&R, Some("my.bucket"), None),
        Ok("my.bucket.dotted.s3".into())
    );
    assert_eq!(run(&R, Some("My-Bucket"), None), Err("unset".into()));
    assert_eq!(run(&R, Some("10.1.2.3"), None), Err("unset".into()));
}

/// Rules engine 1.1: `coalesce`, `ite` and `split` (semantics from the Smithy rules engine
/// standard library).
static V11: RuleSet = RuleSet {
    version: "1.1",
    parameters: &[
        param("Region", ParamType::String, Some("AWS::Region"), None),
        param(
            "UseFIPS",
            ParamType::Boolean,
            Some("AWS::UseFIPS"),
            Some(DefaultValue::Bool(false)),
        ),
        param("Stage", ParamType::String, None, None),
    ],
    rules: &[Rule::Endpoint {
        conditions: &[
            // The first set value: Stage, else Region, else "nowhere".
            assign(
                Func::Coalesce,
                &[
                    Expr::Ref("Stage"),
                    Expr::Ref("Region"),
                    Expr::Str("nowhere"),
                ],
                "Where",
            ),
            assign(
                Func::Ite,
                &[Expr::Ref("UseFIPS"), Expr::Str("-fips"), Expr::Str("")],
                "Suffix",
            ),
            assign(
                Func::Split,
                &[Expr::Ref("Where"), Expr::Str("-"), Expr::Int(2)],
                "Parts",
            ),
            bind(
                Expr::GetAttr(&Expr::Ref("Parts"), &[Step::Index(0)]),
                "First",
            ),
            assign(
                Func::Coalesce,
                &[
                    Expr::GetAttr(&Expr::Ref("Parts"), &[Step::Index(1)]),
                    Expr::Str("none"),
                ],
                "Rest",
            ),
        ],
        endpoint: url_t(&[
            Segment::Lit("https://"),
            Segment::Ref("First"),
            Segment::Ref("Suffix"),
            Segment::Lit("."),
            Segment::Ref("Rest"),
        ]),
    }],
};

fn v11(params: Params) -> Result<String, EndpointError> {
    resolve(&V11, &params).map(|e| e.url)
}

#[test]
fn coalesce_ite_and_split() {
    // Region only: split at most once, no FIPS suffix.
    assert_eq!(
        v11(Params::new().with_region("us-west-2")),
        Ok("https://us.west-2".to_owned())
    );
    // Stage wins over Region; one part, so coalesce falls back to "none"; FIPS suffix.
    assert_eq!(
        v11(Params::new()
            .with_region("us-west-2")
            .with_param("Stage", "beta")
            .with_use_fips(true)),
        Ok("https://beta-fips.none".to_owned())
    );
    // Neither set: the last argument.
    assert_eq!(v11(Params::new()), Ok("https://nowhere.none".to_owned()));
}

#[test]
fn coalesce_and_ite_evaluate_only_what_they_need() {
    // `Undeclared` errors whenever it is evaluated.
    static LAZY: RuleSet = RuleSet {
        version: "1.1",
        parameters: &[param("Stage", ParamType::String, None, None)],
        rules: &[
            Rule::Endpoint {
                conditions: &[
                    when(Func::StringEquals, &[Expr::Ref("Stage"), Expr::Str("a")]),
                    assign(
                        Func::Coalesce,
                        &[Expr::Str("set"), Expr::Ref("Undeclared")],
                        "X",
                    ),
                    assign(
                        Func::Ite,
                        &[Expr::Bool(true), Expr::Str("yes"), Expr::Ref("Undeclared")],
                        "Y",
                    ),
                ],
                endpoint: url_t(&[
                    Segment::Lit("https://"),
                    Segment::Ref("X"),
                    Segment::Lit("."),
                    Segment::Ref("Y"),
                ]),
            },
            Rule::Endpoint {
                conditions: &[
                    when(Func::StringEquals, &[Expr::Ref("Stage"), Expr::Str("b")]),
                    assign(
                        Func::Ite,
                        &[Expr::Bool(false), Expr::Str("yes"), Expr::Ref("Undeclared")],
                        "Y",
                    ),
                ],
                endpoint: url_t(&[Segment::Lit("https://"), Segment::Ref("Y")]),
            },
            // Every argument unset: the result is unset, so the condition does not hold.
            Rule::Endpoint {
                conditions: &[
                    when(Func::StringEquals, &[Expr::Ref("Stage"), Expr::Str("c")]),
                    when(
                        Func::Coalesce,
                        &[
                            Expr::Call(
                                Func::Substring,
                                &[
                                    Expr::Ref("Stage"),
                                    Expr::Int(0),
                                    Expr::Int(5),
                                    Expr::Bool(false),
                                ],
                            ),
                            Expr::Call(
                                Func::Substring,
                                &[
                                    Expr::Ref("Stage"),
                                    Expr::Int(3),
                                    Expr::Int(9),
                                    Expr::Bool(false),
                                ],
                            ),
                        ],
                    ),
                ],
                endpoint: url("https://unreachable"),
            },
            Rule::Endpoint {
                conditions: &[],
                endpoint: url("https://fallback"),
            },
        ],
    };
    let stage = |s: &str| resolve(&LAZY, &Params::new().with_param("Stage", s)).map(|e| e.url);
    assert_eq!(stage("a"), Ok("https://set.yes".to_owned()));
    assert_eq!(
        stage("b"),
        Err(EndpointError::InvalidRuleSet(
            "reference to unknown name `Undeclared`".into()
        ))
    );
    assert_eq!(stage("c"), Ok("https://fallback".to_owned()));
}

#[test]
fn coalesce_ite_and_split_reject_bad_arguments() {
    static BAD: RuleSet = RuleSet {
        version: "1.1",
        parameters: &[param("Mode", ParamType::String, None, None)],
        rules: &[
            Rule::Endpoint {
                conditions: &[
                    when(
                        Func::StringEquals,
                        &[Expr::Ref("Mode"), Expr::Str("delimiter")],
                    ),
                    when(
                        Func::Split,
                        &[Expr::Str("a-b"), Expr::Str(""), Expr::Int(0)],
                    ),
                ],
                endpoint: url("https://x"),
            },
            Rule::Endpoint {
                conditions: &[
                    when(Func::StringEquals, &[Expr::Ref("Mode"), Expr::Str("limit")]),
                    when(
                        Func::Split,
                        &[Expr::Str("a-b"), Expr::Str("-"), Expr::Int(-1)],
                    ),
                ],
                endpoint: url("https://x"),
            },
            Rule::Endpoint {
                conditions: &[
                    when(Func::StringEquals, &[Expr::Ref("Mode"), Expr::Str("ite")]),
                    when(
                        Func::Ite,
                        &[Expr::Str("true"), Expr::Str("a"), Expr::Str("b")],
                    ),
                ],
                endpoint: url("https://x"),
            },
            Rule::Endpoint {
                conditions: &[
                    when(Func::StringEquals, &[Expr::Ref("Mode"), Expr::Str("arity")]),
                    when(Func::Coalesce, &[Expr::Str("only")]),
                ],
                endpoint: url("https://x"),
            },
        ],
    };
    let mode = |m: &str| resolve(&BAD, &Params::new().with_param("Mode", m)).map(|e| e.url);
    assert_eq!(
        mode("delimiter"),
        Err(EndpointError::InvalidRuleSet(
            "`split` needs a non-empty delimiter".into()
        ))
    );
    assert_eq!(
        mode("limit"),
        Err(EndpointError::InvalidRuleSet(
            "`split` limit must not be negative, got -1".into()
        ))
    );
    assert_eq!(
        mode("ite"),
        Err(EndpointError::InvalidRuleSet(
            "argument 1 of `ite` must be a boolean, got string \"true\"".into()
        ))
    );
    assert_eq!(
        mode("arity"),
        Err(EndpointError::InvalidRuleSet(
            "`coalesce` takes at least 2 argument(s), got 1".into()
        ))
    );
}
