//! Operations that set endpoint rule parameters (`Operation::endpoint_params`): the endpoint is
//! resolved for the call with the client's built-ins plus the operation's parameters, cached
//! by their values; a custom endpoint still applies where the rules say so; operations without
//! parameters keep the client's one endpoint.

#[path = "support/fake_server.rs"]
mod fake_ses;

use std::sync::Arc;

use aws_client_runtime::endpoint::Params;
use aws_client_runtime::endpoint::RuleSet;
use aws_client_runtime::endpoint::rules::{
    Condition, EndpointSpec, Expr, Func, ParamType, Parameter, Rule, Segment,
};
use aws_client_runtime::protocol::Parsed;
use aws_client_runtime::send::{
    ENDPOINT_CACHE_SIZE, Handle, Operation, RequestParts, ServiceSpec, SetRequestId,
};
use aws_client_runtime::{Config, ConfigBuilder, Credentials};
use fake_ses::{FakeServer, Reply, bounded};
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

macro_rules! is_set {
    ($name:literal) => {
        Condition {
            expr: Expr::Call(Func::IsSet, &[Expr::Ref($name)]),
            assign: None,
        }
    };
}

const fn at(url: Expr) -> EndpointSpec {
    EndpointSpec {
        url,
        headers: &[],
        properties: &[],
    }
}

/// 1. `Pinned` (an operation's static parameter) with `Stage`: a host of its own, custom
///    endpoint or not; 2. a custom endpoint; 3. `Local`: that URL, signed for region
///    `staged-1` and service `staged`; 4. `Stage`: `{Stage}.svc.{Region}`; 5. `svc.{Region}`.
static RULES: RuleSet = RuleSet {
    version: "1.0",
    parameters: &[
        param("Region", ParamType::String, Some("AWS::Region")),
        param("Endpoint", ParamType::String, Some("SDK::Endpoint")),
        param("Stage", ParamType::String, None),
        param("Local", ParamType::String, None),
        param("Pinned", ParamType::Boolean, None),
    ],
    rules: &[
        Rule::Endpoint {
            conditions: &[
                Condition {
                    expr: Expr::Call(
                        Func::BooleanEquals,
                        &[Expr::Ref("Pinned"), Expr::Bool(true)],
                    ),
                    assign: None,
                },
                is_set!("Stage"),
            ],
            endpoint: at(Expr::Template(&[
                Segment::Lit("https://"),
                Segment::Ref("Stage"),
                Segment::Lit(".pinned.example.com"),
            ])),
        },
        Rule::Endpoint {
            conditions: &[is_set!("Endpoint")],
            endpoint: at(Expr::Ref("Endpoint")),
        },
        Rule::Endpoint {
            conditions: &[is_set!("Local")],
            endpoint: EndpointSpec {
                url: Expr::Ref("Local"),
                headers: &[],
                properties: &[(
                    "authSchemes",
                    Expr::Array(&[Expr::Record(&[
                        ("name", Expr::Str("sigv4")),
                        ("signingRegion", Expr::Str("staged-1")),
                        ("signingName", Expr::Str("staged")),
                    ])]),
                )],
            },
        },
        Rule::Endpoint {
            conditions: &[is_set!("Region"), is_set!("Stage")],
            endpoint: at(Expr::Template(&[
                Segment::Lit("https://"),
                Segment::Ref("Stage"),
                Segment::Lit(".svc."),
                Segment::Ref("Region"),
                Segment::Lit(".example.com"),
            ])),
        },
        Rule::Endpoint {
            conditions: &[is_set!("Region")],
            endpoint: at(Expr::Template(&[
                Segment::Lit("https://svc."),
                Segment::Ref("Region"),
                Segment::Lit(".example.com"),
            ])),
        },
        Rule::Error {
            conditions: &[],
            message: Expr::Str("no region"),
        },
    ],
};

static SERVICE: ServiceSpec = ServiceSpec {
    sdk_id: "Staged",
    api_version: "2020-01-01",
    signing_name: "svc",
    endpoint_prefix: "svc",
    env_suffix: "STAGED_TEST_SERVICE",
    endpoint_rules: &RULES,
};

/// The input: the parameters the operations take from it.
#[derive(Clone, Debug, Default)]
struct StageInput {
    stage: Option<String>,
    local: Option<String>,
}

impl StageInput {
    fn stage(stage: &str) -> Self {
        StageInput {
            stage: Some(stage.to_owned()),
            local: None,
        }
    }
}

#[derive(Debug, Default)]
struct Out {
    request_id: Option<String>,
}

impl SetRequestId for Out {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id;
    }
}

aws_client_runtime::operation_error! {
    /// No modeled error.
    OpError [aws_client_runtime::xml::Node<'_>] {}
}

fn build(
    _: &StageInput,
    _: &ServiceSpec,
) -> Result<RequestParts, aws_client_runtime::validate::Violation> {
    Ok(RequestParts {
        method: Method::POST,
        path_and_query: String::new(),
        headers: Vec::new(),
        body: b"Action=Staged".to_vec(),
    })
}

fn parse(
    response: &aws_client_runtime::protocol::Response<'_>,
    _: aws_client_runtime::protocol::Limits,
) -> Parsed<Out, OpError> {
    let mut out = Out::default();
    out.set_request_id(response.request_id.map(str::to_owned));
    Parsed::Output(out)
}

/// What a generated `endpoint_params_<op>` does for `contextParam` members.
fn from_input(input: &StageInput, p: &mut Params) {
    if let Some(s) = &input.stage {
        p.named.insert("Stage".to_owned(), s.clone().into());
    }
    if let Some(l) = &input.local {
        p.named.insert("Local".to_owned(), l.clone().into());
    }
}

/// An operation whose input members are endpoint parameters.
static STAGED: Operation<StageInput, Out, OpError> = Operation {
    name: "Staged",
    validate: |_, _, _| {},
    build,
    parse,
    host_prefix: None,
    endpoint_params: Some(from_input),
    fill_idempotency: None,
    compression: false,
};

/// `STAGED` with the static parameter `Pinned` too.
static PINNED: Operation<StageInput, Out, OpError> = Operation {
    name: "Pinned",
    endpoint_params: Some(|input, p| {
        p.named.insert("Pinned".to_owned(), true.into());
        from_input(input, p);
    }),
    ..STAGED
};

/// The same input, no endpoint parameters: the client's endpoint.
static PLAIN: Operation<StageInput, Out, OpError> = Operation {
    name: "Plain",
    endpoint_params: None,
    ..STAGED
};

fn handle(conf: ConfigBuilder) -> Handle {
    let conf = conf
        .region("us-east-1")
        .credentials(Credentials::from_keys("AKIDSTAGE", "stage-secret", None))
        .build();
    Handle::new(conf, &SERVICE)
}

fn host(
    h: &Handle,
    op: &'static Operation<StageInput, Out, OpError>,
    input: &StageInput,
) -> String {
    h.prepare(op, input).unwrap().host().to_owned()
}

#[test]
fn an_operation_parameter_picks_the_host_of_the_call() {
    let h = handle(Config::builder());
    assert_eq!(
        host(&h, &STAGED, &StageInput::stage("beta")),
        "beta.svc.us-east-1.example.com"
    );
    assert_eq!(
        host(&h, &STAGED, &StageInput::stage("gamma")),
        "gamma.svc.us-east-1.example.com"
    );
    assert_eq!(
        host(&h, &STAGED, &StageInput::default()),
        "svc.us-east-1.example.com",
        "no parameter set: the rules' other endpoint"
    );
    assert_eq!(
        host(&h, &PLAIN, &StageInput::stage("beta")),
        "svc.us-east-1.example.com",
        "an operation without endpoint parameters: the client's endpoint"
    );
    assert_eq!(
        h.endpoint().unwrap().url,
        "https://svc.us-east-1.example.com/"
    );
}

#[test]
fn the_cache_answers_repeated_parameters_without_resolving_again() {
    let h = handle(Config::builder());
    let beta = StageInput::stage("beta");
    let first = h.endpoint_for(&STAGED, &beta).unwrap();
    let again = h.endpoint_for(&STAGED, &beta).unwrap();
    assert!(
        Arc::ptr_eq(&first, &again),
        "the cached endpoint, not a new one"
    );
    // Another operation with the same parameter values shares the entry.
    let other_op = Operation {
        name: "Other",
        ..STAGED
    };
    assert!(Arc::ptr_eq(
        &first,
        &h.endpoint_for(&other_op, &beta).unwrap()
    ));
    let gamma = h
        .endpoint_for(&STAGED, &StageInput::stage("gamma"))
        .unwrap();
    assert!(!Arc::ptr_eq(&first, &gamma));
    assert_eq!(gamma.url, "https://gamma.svc.us-east-1.example.com/");
    // Without parameters: the client's endpoint, resolved once.
    let plain = h.endpoint_for(&PLAIN, &beta).unwrap();
    assert!(Arc::ptr_eq(&plain, &h.endpoint_for(&PLAIN, &beta).unwrap()));
    assert!(Arc::ptr_eq(
        &plain,
        &h.endpoint_for(&STAGED, &StageInput::default()).unwrap()
    ));
    // Least recently used out: `beta` used again (after `gamma`), then one new value more
    // than the cache has room for besides the two: `gamma` is out, `beta` is kept.
    assert!(Arc::ptr_eq(
        &first,
        &h.endpoint_for(&STAGED, &beta).unwrap()
    ));
    for i in 0..ENDPOINT_CACHE_SIZE - 1 {
        h.endpoint_for(&STAGED, &StageInput::stage(&format!("s{i}")))
            .unwrap();
    }
    assert!(Arc::ptr_eq(
        &first,
        &h.endpoint_for(&STAGED, &beta).unwrap()
    ));
    let gamma_again = h
        .endpoint_for(&STAGED, &StageInput::stage("gamma"))
        .unwrap();
    assert!(
        !Arc::ptr_eq(&gamma, &gamma_again),
        "evicted, so resolved again"
    );
    assert_eq!(gamma, gamma_again, "to the same endpoint");
}

#[test]
fn a_custom_endpoint_wins_where_the_rules_say_so() {
    let h = handle(Config::builder().endpoint_url("https://custom.example.com"));
    assert_eq!(
        host(&h, &STAGED, &StageInput::stage("beta")),
        "custom.example.com"
    );
    assert_eq!(
        host(&h, &PLAIN, &StageInput::default()),
        "custom.example.com"
    );
    assert_eq!(
        host(&h, &PINNED, &StageInput::stage("beta")),
        "beta.pinned.example.com",
        "the rules put the pinned operation's rule before the custom endpoint"
    );
    assert_eq!(
        host(&h, &PINNED, &StageInput::default()),
        "custom.example.com"
    );
}

#[test]
fn without_a_region_calls_with_parameters_are_refused_too() {
    let conf = Config::builder()
        .credentials(Credentials::from_keys("AKIDSTAGE", "stage-secret", None))
        .build();
    let h = Handle::new(conf, &SERVICE);
    // No region: every call is refused, with parameters or not.
    assert!(h.prepare(&STAGED, &StageInput::stage("beta")).is_err());
    assert!(h.prepare(&PLAIN, &StageInput::default()).is_err());
}

#[tokio::test]
async fn the_call_is_sent_to_and_signed_for_the_endpoint_of_its_parameters() {
    bounded(async {
        let server = FakeServer::start(|_, _| Reply::new(200, "").request_id("rid-staged")).await;
        let h = handle(Config::builder());
        let input = StageInput {
            stage: None,
            local: Some(format!("{}/staged", server.url)),
        };
        let out = h.invoke(&STAGED, input).await.unwrap();
        assert_eq!(out.request_id.as_deref(), Some("rid-staged"));
        let reqs = server.requests();
        assert_eq!(reqs.len(), 1);
        assert_eq!(reqs[0].path, "/staged/");
        let auth = reqs[0].header("authorization").unwrap_or_default();
        assert!(auth.contains("/staged-1/staged/aws4_request"), "{auth}");
    })
    .await;
}
