use std::path::PathBuf;

use quote::quote;
use serde_json::{Value, json};

use super::*;

fn shared_dir() -> Option<PathBuf> {
    crate::test_support::shared_dir("the test is skipped")
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

/// Parses (proving the tokens are a valid Rust file) and pretty-prints, then drops all
/// whitespace and trailing commas so assertions do not depend on line breaking.
fn render(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("generated code parses as a Rust file");
    squash(&prettyplease::unparse(&file))
}

fn squash(s: &str) -> String {
    let s: String = s.split_whitespace().collect();
    s.replace(",)", ")").replace(",]", "]").replace(",}", "}")
}

#[track_caller]
fn assert_has(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(&squash(needle)),
        "missing {needle:?} in\n{haystack}"
    );
}

fn rt() -> TokenStream {
    quote!(crate::runtime)
}

fn rules_mod() -> TokenStream {
    quote!(super::endpoints)
}

#[ignore = "needs the shared conformance data (AWS_QUERY_SHARED_DIR, default ../shared): run `cargo xtask test`"]
#[test]
fn ses_rule_set_and_tests_emit_valid_rust() {
    let Some(shared) = shared_dir() else { return };
    let data = read_json(shared.join("conformance/endpoints/ses-endpoint-rules-and-tests.json"));

    let rules = render(emit_rule_set(&data["endpointRuleSet"], &rt()).expect("rule set"));
    assert_has(
        &rules,
        "pub static RULES: crate::runtime::endpoint::rules::RuleSet",
    );
    // The static is the only item.
    assert_eq!(rules.matches("pub").count(), 1);
    assert_has(&rules, "built_in: Some(\"AWS::Region\")");
    assert_has(&rules, "Func::AwsPartition");
    assert_has(&rules, "assign: Some(\"PartitionResult\")");
    assert_has(
        &rules,
        r#"Expr::Template(&[
            Segment::Lit("https://email-fips."),
            Segment::Ref("Region"),
            Segment::Lit("."),
            Segment::Attr("PartitionResult", &[Step::Field("dualStackDnsSuffix")]),
        ])"#,
    );
    assert_has(
        &rules,
        r#"Expr::GetAttr(&Expr::Ref("PartitionResult"), &[Step::Field("supportsFIPS")])"#,
    );
    // No template or path text is left for the runtime to parse.
    for text in [
        "{Region}",
        "#dnsSuffix",
        "#supportsFIPS",
        "Expr::Str(\"supportsFIPS\")",
    ] {
        assert!(!rules.contains(text), "{text} in {rules}");
    }
    assert_has(&rules, "\"Invalid Configuration: Missing Region\"");

    let tests = render(emit_tests(&data["endpointTests"], &rt(), &rules_mod()).expect("tests"));
    assert_eq!(tests.matches("#[test]").count(), 47);
    assert_has(
        &tests,
        "fn for_region_af_south_1_with_fips_disabled_and_dual_stack_disabled()",
    );
    assert_has(&tests, "fn missing_region()");
    assert_has(
        &tests,
        "crate::runtime::endpoint::resolve(&super::endpoints::RULES, &params)",
    );
    assert_has(&tests, ".with_param(\"Region\", \"us-iso-east-1\")");
    assert_has(
        &tests,
        "assert_eq!(endpoint.url, \"https://email.us-isob-east-1.sc2s.sgov.gov\")",
    );
    assert_has(
        &tests,
        "assert_eq!(error.to_string(), \"DualStack is enabled but this partition does not support DualStack\");",
    );
    assert_eq!(tests.matches("expect_err(").count(), 7);
    assert_eq!(tests.matches(".expect(\"").count(), 40);
}

#[ignore = "needs the shared conformance data (AWS_QUERY_SHARED_DIR, default ../shared): run `cargo xtask test`"]
#[test]
fn every_shared_model_emits_valid_rust() {
    let Some(shared) = shared_dir() else { return };
    for (model, cases) in [("ses", 47), ("sts", 73), ("sns", 53), ("cloudwatch", 53)] {
        let doc = read_json(shared.join(format!("models/{model}.json")));
        let service = doc["shapes"]
            .as_object()
            .and_then(|shapes| shapes.values().find(|s| s["type"] == "service"))
            .unwrap_or_else(|| panic!("{model}: no service shape"));
        let traits = &service["traits"];
        let rules = emit_rule_set(&traits["smithy.rules#endpointRuleSet"], &rt())
            .unwrap_or_else(|e| panic!("{model}: {e}"));
        render(rules);
        let tests = emit_tests(&traits["smithy.rules#endpointTests"], &rt(), &rules_mod())
            .unwrap_or_else(|e| panic!("{model}: {e}"));
        let tests = render(tests);
        assert_eq!(tests.matches("#[test]").count(), cases, "{model}");
        if model == "sts" {
            // operationInputs with built-ins are checked a second time through them.
            assert_has(
                &tests,
                ".with_built_in(\"AWS::STS::UseGlobalEndpoint\", true)",
            );
            assert_has(
                &tests,
                "endpoint.signing_region.as_deref(), Some(\"us-east-1\")",
            );
            assert_has(&tests, "crate::runtime::endpoint::Value::record([");
        }
    }
}

fn minimal(rules: Value) -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region", "required": false},
            "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            "Names": {"type": "stringArray", "required": true, "default": ["a", "b"]}
        },
        "rules": rules
    })
}

#[test]
fn emits_every_expression_form() {
    let rs = minimal(json!([
        {
            "type": "tree",
            "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "substring", "argv": [{"ref": "Region"}, 0, 2, false], "assign": "prefix"},
                {"fn": "getAttr", "argv": [{"ref": "Names"}, "[1]"], "assign": "second"}
            ],
            "rules": [
                {
                    "type": "endpoint",
                    "conditions": [
                        {"fn": "not", "argv": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}]}
                    ],
                    "endpoint": {
                        "url": "https://{prefix}.{second}.example/{{x}}",
                        "headers": {"x-a": ["{Region}", {"fn": "uriEncode", "argv": ["a b"]}]},
                        "properties": {
                            "authSchemes": [{"name": "sigv4", "signingRegion": "{Region}", "disableDoubleEncoding": true}],
                            "n": -3,
                            "list": ["x", ["y"]]
                        }
                    }
                },
                {"type": "error", "conditions": [], "error": {"ref": "Region"}}
            ]
        },
        {"type": "error", "conditions": [], "error": "no region"}
    ]));
    let out = render(emit_rule_set(&rs, &quote!(::my_crate::rt)).expect("valid"));
    for needle in [
        "ParamType::StringArray",
        "default: Some(DefaultValue::StringArray(&[\"a\", \"b\"]))",
        "default: Some(DefaultValue::Bool(false))",
        "Expr::Int(0)",
        "Expr::Int(-3)",
        "Func::Substring",
        "assign: Some(\"prefix\")",
        "Expr::Call(Func::BooleanEquals, &[Expr::Ref(\"UseFIPS\"), Expr::Bool(true)])",
        "(\"x-a\", &[Expr::Template(&[Segment::Ref(\"Region\")]), Expr::Call(Func::UriEncode, &[Expr::Str(\"a b\")])])",
        "url: Expr::Template(&[Segment::Lit(\"https://\"), Segment::Ref(\"prefix\"), Segment::Lit(\".\"), Segment::Ref(\"second\"), Segment::Lit(\".example/{x}\")])",
        "Condition { expr: Expr::GetAttr(&Expr::Ref(\"Names\"), &[Step::Index(1)]), assign: Some(\"second\") }",
        "(\"signingRegion\", Expr::Template(&[Segment::Ref(\"Region\")]))",
        "Expr::Str(\"no region\")",
        "Expr::Record(",
        "(\"disableDoubleEncoding\", Expr::Bool(true))",
        "Expr::Array(&[Expr::Str(\"x\"), Expr::Array(&[Expr::Str(\"y\")])])",
        "message: Expr::Ref(\"Region\")",
        "use ::my_crate::rt::endpoint::rules::*;",
    ] {
        assert_has(&out, needle);
    }
}

fn err(rules: Value) -> EndpointGenError {
    emit_rule_set(&minimal(rules), &rt()).expect_err("invalid rule set")
}

#[test]
fn rejects_malformed_rule_sets_with_located_errors() {
    assert_eq!(
        emit_rule_set(&json!([]), &rt()).unwrap_err().to_string(),
        "endpointRuleSet: expected an object, found an array"
    );
    assert_eq!(
        emit_rule_set(
            &json!({"version": "2.0", "parameters": {}, "rules": []}),
            &rt()
        )
        .unwrap_err()
        .to_string(),
        "endpointRuleSet.version: unsupported rules engine version `2.0` (supported: 1.0, 1.1)"
    );
    assert_eq!(
        emit_rule_set(&json!({"version": "1.0", "rules": []}), &rt())
            .unwrap_err()
            .to_string(),
        "endpointRuleSet: missing required field `parameters`"
    );
    assert_eq!(
        err(json!([{"type": "endpoint", "conditions": [{"fn": "frobnicate", "argv": []}], "endpoint": {"url": "x"}}]))
            .to_string(),
        "rules[0].conditions[0].fn: unsupported function `frobnicate`"
    );
    // Rules engine 1.1: `coalesce` is variadic (at least 2), `ite` and `split` take 3.
    assert_eq!(
        err(json!([{"type": "endpoint", "conditions": [{"fn": "coalesce", "argv": ["a"]}], "endpoint": {"url": "x"}}]))
            .to_string(),
        "rules[0].conditions[0].argv: `coalesce` takes at least 2 argument(s), found 1"
    );
    assert_eq!(
        err(json!([{"type": "endpoint", "conditions": [{"fn": "split", "argv": ["a", "-"]}], "endpoint": {"url": "x"}}]))
            .to_string(),
        "rules[0].conditions[0].argv: `split` takes 3 argument(s), found 2"
    );
    for ok in [
        json!({"fn": "coalesce", "argv": ["a", "b", "c"], "assign": "C"}),
        json!({"fn": "ite", "argv": [true, "a", "b"], "assign": "C"}),
        json!({"fn": "split", "argv": ["a-b", "-", 0], "assign": "C"}),
    ] {
        let rules = json!({"version": "1.1", "parameters": {}, "rules": [
            {"type": "endpoint", "conditions": [ok], "endpoint": {"url": "https://x"}}
        ]});
        emit_rule_set(&rules, &rt()).unwrap();
    }
    assert_eq!(
        err(json!([{"type": "tree", "conditions": [], "rules": [
            {"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}, 1]}], "error": "e"}
        ]}])),
        EndpointGenError::Arity {
            at: "rules[0].rules[0].conditions[0].argv".into(),
            name: "isSet".into(),
            expected: "1".into(),
            found: 2
        }
    );
    assert_eq!(
        err(json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Nope}"}}])),
        EndpointGenError::UnknownReference {
            at: "rules[0].endpoint.url".into(),
            name: "Nope".into()
        }
    );
    // A variable is only in scope in the rule that assigns it (and a tree's children).
    assert_eq!(
        err(json!([
            {"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": ["x"], "assign": "p"}], "endpoint": {"url": "https://{p#name}"}},
            {"type": "error", "conditions": [], "error": "{p#name}"}
        ])),
        EndpointGenError::UnknownReference {
            at: "rules[1].error".into(),
            name: "p".into()
        }
    );
    assert_eq!(
        err(
            json!([{"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": ["x"], "assign": "Region"}], "endpoint": {"url": "x"}}])
        ),
        EndpointGenError::DuplicateName {
            at: "rules[0].conditions[0].assign".into(),
            name: "Region".into()
        }
    );
    assert_eq!(
        err(
            json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region"}}])
        )
        .to_string(),
        "rules[0].endpoint.url: unclosed `{` in template `https://{Region`"
    );
    assert_eq!(
        err(json!([{"type": "endpoint", "conditions": [{"fn": "getAttr", "argv": [{"ref": "Names"}, "a..b"]}], "endpoint": {"url": "x"}}])).to_string(),
        "rules[0].conditions[0].argv[1]: empty segment in attribute path `a..b`"
    );
    assert_eq!(
        err(json!([{"type": "endpoint", "conditions": [{"fn": "getAttr", "argv": [{"ref": "Names"}, {"ref": "Region"}]}], "endpoint": {"url": "x"}}])).to_string(),
        "rules[0].conditions[0].argv[1]: expected a string, found an object"
    );
    assert_eq!(
        err(json!([{"type": "rule", "conditions": []}])),
        EndpointGenError::UnknownRuleType {
            at: "rules[0].type".into(),
            ty: "rule".into()
        }
    );
    assert_eq!(
        err(json!([{"type": "error", "conditions": [{"fn": "not", "argv": [{"x": 1}]}], "error": "e"}])).to_string(),
        "rules[0].conditions[0].argv[0]: expected a reference (`ref`) or function (`fn`) object, found an object"
    );
    assert_eq!(
        err(json!([{"type": "error", "conditions": [{"fn": "substring", "argv": ["a", 0.5, 1, false]}], "error": "e"}])).to_string(),
        "rules[0].conditions[0].argv[1]: expected an integer, found 0.5"
    );
    assert_eq!(
        err(json!([{"type": "endpoint", "conditions": []}])).to_string(),
        "rules[0]: missing required field `endpoint`"
    );
    let bad_param =
        json!({"version": "1.0", "parameters": {"X": {"type": "Integer"}}, "rules": []});
    assert_eq!(
        emit_rule_set(&bad_param, &rt()).unwrap_err().to_string(),
        "parameters.X.type: unknown parameter type `Integer` (expected string, boolean or stringArray)"
    );
    let bad_default = json!({"version": "1.0", "parameters": {"X": {"type": "Boolean", "default": "no"}}, "rules": []});
    assert_eq!(
        emit_rule_set(&bad_default, &rt()).unwrap_err(),
        EndpointGenError::DefaultType {
            at: "parameters.X.default".into(),
            ty: "Boolean".into()
        }
    );
}

/// The parse step decides the text grammar: the IR carries segments and steps, not strings.
#[test]
fn parse_splits_templates_and_paths_into_the_ir() {
    use ir::{Call, Expr, Function, RuleKind, Segment, Step};
    let rs = minimal(json!([
        {
            "type": "endpoint",
            "conditions": [
                {"fn": "aws.partition", "argv": ["{Region}"], "assign": "p"},
                {"fn": "getAttr", "argv": [{"ref": "Names"}, "[1]"], "assign": "second"}
            ],
            "endpoint": {
                "url": "https://{second}.{p#dnsSuffix}/{{x}}",
                "headers": {"h": ["{{only escapes}}"]}
            }
        }
    ]));
    let ir = parse::rule_set(&rs).expect("valid");
    assert_eq!(ir.version, ir::Version::V1_0);
    assert_eq!(ir.parameters.len(), 3);
    let rule = &ir.rules[0];
    assert_eq!(
        rule.conditions[0].call,
        Call::Func {
            func: Function::AwsPartition,
            args: vec![Expr::Template(ir::Template(vec![Segment::Ref(
                "Region".into()
            )]))],
        }
    );
    assert_eq!(
        rule.conditions[1].call,
        Call::GetAttr {
            target: Box::new(Expr::Ref("Names".into())),
            path: vec![Step::Index(1)],
        }
    );
    let RuleKind::Endpoint(endpoint) = &rule.kind else {
        panic!("an endpoint rule: {rule:?}");
    };
    assert_eq!(
        endpoint.url,
        Expr::Template(ir::Template(vec![
            Segment::Lit("https://".into()),
            Segment::Ref("second".into()),
            Segment::Lit(".".into()),
            Segment::Attr("p".into(), vec![Step::Field("dnsSuffix".into())]),
            Segment::Lit("/{x}".into()),
        ]))
    );
    // A string without substitutions is a plain literal, its escapes resolved.
    assert_eq!(
        endpoint.headers,
        vec![("h".to_owned(), vec![Expr::Str("{only escapes}".into())])]
    );
    let out = render(emit_rule_set(&rs, &rt()).expect("valid"));
    assert_has(&out, r#"Expr::Str("{only escapes}")"#);
    assert_has(
        &out,
        r#"Segment::Attr("p", &[Step::Field("dnsSuffix")]), Segment::Lit("/{x}")"#,
    );
}

/// Bad templates and paths anywhere are generation errors naming where they are.
#[test]
fn bad_templates_and_paths_are_located_generation_errors() {
    let endpoint = |url: Value, headers: Value| {
        json!([{"type": "endpoint", "conditions": [
            {"fn": "aws.partition", "argv": ["us-east-1"], "assign": "p"}
        ], "endpoint": {"url": url, "headers": headers}}])
    };
    assert_eq!(
        err(endpoint(json!("https://{p#a[x]}"), json!({}))).to_string(),
        "rules[0].endpoint.url: index `x` in attribute path `a[x]` is not a non-negative integer"
    );
    assert_eq!(
        err(endpoint(json!("https://x"), json!({"x-a": ["ok", "}"]}))).to_string(),
        "rules[0].endpoint.headers.x-a[1]: unmatched `}` in template `}`"
    );
    assert_eq!(
        err(endpoint(json!("https://{p#}"), json!({}))).to_string(),
        "rules[0].endpoint.url: invalid substitution `{p#}` in template `https://{p#}`"
    );
    assert_eq!(
        err(json!([{"type": "error", "conditions": [
            {"fn": "getAttr", "argv": [{"ref": "Names"}, "[0]x"], "assign": "n"}
        ], "error": "e"}]))
        .to_string(),
        "rules[0].conditions[0].argv[1]: malformed index in attribute path `[0]x`"
    );
    assert_eq!(
        err(json!([{"type": "error", "conditions": [
            {"fn": "getAttr", "argv": [{"ref": "Names"}]}
        ], "error": "e"}]))
        .to_string(),
        "rules[0].conditions[0].argv: `getAttr` takes 2 argument(s), found 1"
    );
    // Inside a nested call and a property record.
    assert_eq!(
        err(json!([{"type": "error", "conditions": [
            {"fn": "not", "argv": [{"fn": "isSet", "argv": [{"fn": "getAttr", "argv": [{"ref": "Names"}, "a."]}]}]}
        ], "error": "e"}]))
        .to_string(),
        "rules[0].conditions[0].argv[0].argv[0].argv[1]: empty segment in attribute path `a.`"
    );
    assert_eq!(
        err(
            json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x",
            "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region"}]}}}])
        )
        .to_string(),
        "rules[0].endpoint.properties.authSchemes[0].signingRegion: unclosed `{` in template `{Region`"
    );
    // A substitution names something in scope, with or without a path.
    assert_eq!(
        err(endpoint(json!("https://{q#dnsSuffix}"), json!({}))),
        EndpointGenError::UnknownReference {
            at: "rules[0].endpoint.url".into(),
            name: "q".into()
        }
    );
}

#[test]
fn test_cases_names_and_expectations() {
    let tests = json!({
        "version": "1.0",
        "testCases": [
            {"documentation": "For region us-east-1 with FIPS enabled", "params": {"Region": "us-east-1", "UseFIPS": true},
             "expect": {"endpoint": {"url": "https://a", "headers": {"x-h": ["1", "2"]}, "properties": {}}}},
            {"documentation": "For region us-east-1 with FIPS enabled", "params": {},
             "expect": {"error": "boom"}},
            {"documentation": "for_region_us_east_1_with_fips_enabled_2", "expect": {"error": "e"}},
            {"documentation": "1 weird -- name!", "params": {"L": ["a"]}, "expect": {"error": "e"}},
            {"documentation": "fn", "expect": {"error": "e"}},
            {"expect": {"error": "e"}},
            {"documentation": "", "expect": {"error": "e"}}
        ]
    });
    let out = render(emit_tests(&tests, &rt(), &rules_mod()).expect("valid"));
    for needle in [
        "fn for_region_us_east_1_with_fips_enabled()",
        "fn for_region_us_east_1_with_fips_enabled_2()",
        "fn for_region_us_east_1_with_fips_enabled_2_2()",
        "fn case_1_weird_name()",
        "fn fn_case()",
        "fn case_6()",
        "fn case_7()",
        "assert_eq!(endpoint.headers.len(), 1);",
        "crate::runtime::endpoint::Value::Record(::std::collections::BTreeMap::new())",
        "crate::runtime::endpoint::ParamValue::StringArray(vec![::std::string::String::from(\"a\")])",
        ".with_param(\"UseFIPS\", true)",
        "assert_eq!(error.to_string(), \"boom\");",
    ] {
        assert_has(&out, needle);
    }
    // Same input, same output.
    let again = render(emit_tests(&tests, &rt(), &rules_mod()).expect("valid"));
    assert_eq!(out, again);
}

#[test]
fn rejects_malformed_test_cases() {
    let e = |cases: Value| {
        emit_tests(&json!({"testCases": cases}), &rt(), &rules_mod())
            .expect_err("invalid")
            .to_string()
    };
    assert_eq!(
        e(json!([{"expect": {}}])),
        "testCases[0].expect: `expect` must have exactly one of `endpoint` and `error`"
    );
    assert_eq!(
        e(json!([{"params": {}}])),
        "testCases[0]: missing required field `expect`"
    );
    assert_eq!(
        e(json!([{"params": {"X": 1}, "expect": {"error": "e"}}])),
        "testCases[0].params.X: expected a string, boolean or array of strings, found number 1"
    );
    assert_eq!(
        e(json!([{"expect": {"endpoint": {}}}])),
        "testCases[0].expect.endpoint: missing required field `url`"
    );
    assert_eq!(
        emit_tests(&json!({}), &rt(), &rules_mod())
            .unwrap_err()
            .to_string(),
        "endpointTests: missing required field `testCases`"
    );
}

#[test]
fn sanitized_names() {
    assert_eq!(sanitize("Missing region"), "missing_region");
    assert_eq!(
        sanitize("UseGlobalEndpoint with legacy region `ap-northeast-1`"),
        "use_global_endpoint_with_legacy_region_ap_northeast_1"
    );
    assert_eq!(sanitize("  --  "), "");
    assert_eq!(sanitize("gen"), "gen_case");
    assert_eq!(sanitize("2 regions"), "case_2_regions");
    assert_eq!(sanitize("Ünïcode naïve"), "n_code_na_ve");
}

#[test]
fn function_names_round_trip() {
    for f in ir::Function::ALL {
        assert_eq!(ir::Function::from_name(f.name()), Some(f));
    }
    // `getAttr` is a call form of its own (its path is data), not a `Function`.
    for name in ["getAttr", "frobnicate", "ParseURL"] {
        assert_eq!(ir::Function::from_name(name), None, "{name}");
    }
    assert_eq!(ir::Function::Coalesce.arity(), (2, None));
    assert_eq!(ir::Function::Substring.arity(), (4, Some(4)));
}
