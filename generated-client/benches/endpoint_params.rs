//! The cost of endpoint parameters set by an operation (`Operation::endpoint_params`, see
//! BENCHMARKS.md): `cargo bench -p ses-client --bench endpoint_params`.
//!
//! `Handle::prepare` of one hand-written operation (a tiny form body) with the client's one
//! endpoint (`client`), with a parameter whose endpoint is in the handle's cache (`cached`),
//! and with one of 32 parameter values in turn, more than the cache keeps, so every call
//! resolves the rules (`uncached`); and the rules engine alone for those parameters
//! (`resolve`). The rule set is small (an `aws.partition` lookup and a template), as a
//! regional service's data-plane rule is; DynamoDB's account-based rules run more conditions.

use std::hint::black_box;

use aws_client_runtime::endpoint::rules::{
    Condition, EndpointSpec, Expr, Func, ParamType, Parameter, Rule, Segment, Step,
};
use aws_client_runtime::endpoint::{self, Params, RuleSet};
use aws_client_runtime::protocol::{Limits, Parsed, Response};
use aws_client_runtime::send::{Handle, Operation, RequestParts, ServiceSpec, SetRequestId};
use aws_client_runtime::validate::Violation;
use aws_client_runtime::{Config, Credentials};
use criterion::{Criterion, criterion_group, criterion_main};
use http::Method;

const fn param(name: &'static str, ty: ParamType, built_in: Option<&'static str>) -> Parameter {
    Parameter {
        name,
        ty,
        built_in,
        required: false,
        default: None,
    }
}

static RULES: RuleSet = RuleSet {
    version: "1.0",
    parameters: &[
        param("Region", ParamType::String, Some("AWS::Region")),
        param("Endpoint", ParamType::String, Some("SDK::Endpoint")),
        param("Table", ParamType::String, None),
    ],
    rules: &[
        Rule::Endpoint {
            conditions: &[Condition {
                expr: Expr::Call(Func::IsSet, &[Expr::Ref("Endpoint")]),
                assign: None,
            }],
            endpoint: EndpointSpec {
                url: Expr::Ref("Endpoint"),
                headers: &[],
                properties: &[],
            },
        },
        Rule::Endpoint {
            conditions: &[
                Condition {
                    expr: Expr::Call(Func::IsSet, &[Expr::Ref("Region")]),
                    assign: None,
                },
                Condition {
                    expr: Expr::Call(Func::AwsPartition, &[Expr::Ref("Region")]),
                    assign: Some("PartitionResult"),
                },
                Condition {
                    expr: Expr::Call(Func::IsSet, &[Expr::Ref("Table")]),
                    assign: None,
                },
            ],
            endpoint: EndpointSpec {
                url: Expr::Template(&[
                    Segment::Lit("https://"),
                    Segment::Ref("Table"),
                    Segment::Lit(".tables."),
                    Segment::Ref("Region"),
                    Segment::Lit("."),
                    Segment::Attr("PartitionResult", &[Step::Field("dnsSuffix")]),
                ]),
                headers: &[],
                properties: &[],
            },
        },
        Rule::Endpoint {
            conditions: &[Condition {
                expr: Expr::Call(Func::IsSet, &[Expr::Ref("Region")]),
                assign: None,
            }],
            endpoint: EndpointSpec {
                url: Expr::Template(&[
                    Segment::Lit("https://tables."),
                    Segment::Ref("Region"),
                    Segment::Lit(".amazonaws.com"),
                ]),
                headers: &[],
                properties: &[],
            },
        },
        Rule::Error {
            conditions: &[],
            message: Expr::Str("no region"),
        },
    ],
};

static SERVICE: ServiceSpec = ServiceSpec {
    sdk_id: "Tables",
    api_version: "2020-01-01",
    signing_name: "tables",
    endpoint_prefix: "tables",
    env_suffix: "TABLES_BENCH_SERVICE",
    endpoint_rules: &RULES,
};

#[derive(Clone, Debug, Default)]
struct Input {
    table: Option<String>,
}

#[derive(Debug, Default)]
struct Out;

impl SetRequestId for Out {
    fn set_request_id(&mut self, _: Option<String>) {}
}

aws_client_runtime::operation_error! {
    /// No modeled error.
    OpError [aws_client_runtime::xml::Node<'_>] {}
}

fn build(_: &Input, _: &ServiceSpec) -> Result<RequestParts, Violation> {
    Ok(RequestParts {
        method: Method::POST,
        path_and_query: String::new(),
        headers: Vec::new(),
        body: b"Action=GetItem&Version=2020-01-01".to_vec(),
    })
}

fn parse(_: &Response<'_>, _: Limits) -> Parsed<Out, OpError> {
    Parsed::Output(Out)
}

/// What a generated `endpoint_params_<op>` does for a `contextParam` string member.
fn table_param(input: &Input, p: &mut Params) {
    if let Some(t) = &input.table {
        p.named
            .insert("Table".to_owned(), endpoint::ParamValue::String(t.clone()));
    }
}

static WITH_PARAMS: Operation<Input, Out, OpError> = Operation {
    name: "GetItem",
    validate: |_, _, _| {},
    build,
    parse,
    host_prefix: None,
    endpoint_params: Some(table_param),
    fill_idempotency: None,
    compression: false,
};

static WITHOUT_PARAMS: Operation<Input, Out, OpError> = Operation {
    endpoint_params: None,
    ..WITH_PARAMS
};

fn bench(c: &mut Criterion) {
    let conf = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::from_keys("AKIDBENCH", "bench-secret", None))
        .build();
    let h = Handle::new(conf, &SERVICE);
    let one = Input {
        table: Some("orders".into()),
    };
    let many: Vec<Input> = (0..32)
        .map(|i| Input {
            table: Some(format!("table-{i}")),
        })
        .collect();
    assert_eq!(
        h.prepare(&WITH_PARAMS, &one).unwrap().host(),
        "orders.tables.us-east-1.amazonaws.com"
    );
    let mut g = c.benchmark_group("endpoint");
    g.bench_function("client", |b| {
        b.iter(|| h.prepare(&WITHOUT_PARAMS, black_box(&one)).unwrap())
    });
    g.bench_function("cached", |b| {
        b.iter(|| h.prepare(&WITH_PARAMS, black_box(&one)).unwrap())
    });
    let mut i = 0;
    g.bench_function("uncached", |b| {
        b.iter(|| {
            i = (i + 1) % many.len();
            h.prepare(&WITH_PARAMS, black_box(&many[i])).unwrap()
        })
    });
    let params = Params::new()
        .with_region("us-east-1")
        .with_param("Table", "orders");
    g.bench_function("resolve", |b| {
        b.iter(|| endpoint::resolve(&RULES, black_box(&params)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
