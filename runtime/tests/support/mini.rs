//! A hand-written client of two awsQuery operations, shaped like SES's `GetSendQuota` (no input
//! members; three numbers out) and `GetIdentityVerificationAttributes` (a list in; nothing read
//! out), for the send-path tests of this crate: each operation is a static
//! [`Operation`](aws_client_runtime::send::Operation) whose `build` and `parse` call the awsQuery
//! protocol module, as generated code's do. Nothing here is generated; nothing here is SES's
//! code.

#![allow(dead_code, unused_imports)]

use std::sync::Arc;

use aws_client_runtime::endpoint::RuleSet;
use aws_client_runtime::endpoint::rules::{
    Condition, DefaultValue, EndpointSpec, Expr, Func, ParamType, Parameter, Rule,
};
use aws_client_runtime::error::{ErrorMetadata, SdkError};
use aws_client_runtime::protocol::aws_query;
use aws_client_runtime::query::{Key, List, QueryValue, QueryWriter};
use aws_client_runtime::send::{Handle, Operation, ServiceSpec, SharedHandle};
use aws_client_runtime::xml::{self, Node, XmlError};

pub use aws_client_runtime::error;
pub use aws_client_runtime::{
    Config, ConfigBuilder, Credentials, Env, RequestId, RetryMode, StalledStreamProtection,
};

/// A custom endpoint (`Config::endpoint_url`), else an error: every test names its server.
static RULES: RuleSet = RuleSet {
    version: "1.0",
    parameters: &[
        Parameter {
            name: "Region",
            ty: ParamType::String,
            built_in: Some("AWS::Region"),
            required: false,
            default: None,
        },
        Parameter {
            name: "UseDualStack",
            ty: ParamType::Boolean,
            built_in: Some("AWS::UseDualStack"),
            required: true,
            default: Some(DefaultValue::Bool(false)),
        },
        Parameter {
            name: "UseFIPS",
            ty: ParamType::Boolean,
            built_in: Some("AWS::UseFIPS"),
            required: true,
            default: Some(DefaultValue::Bool(false)),
        },
        Parameter {
            name: "Endpoint",
            ty: ParamType::String,
            built_in: Some("SDK::Endpoint"),
            required: false,
            default: None,
        },
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
        Rule::Error {
            conditions: &[],
            message: Expr::Str("this test service needs an endpoint URL"),
        },
    ],
};

/// The service (SES's names, so the signed scope and the tracing fields read as a real one's).
pub static SERVICE: ServiceSpec = ServiceSpec {
    sdk_id: "SES",
    api_version: "2010-12-01",
    signing_name: "ses",
    endpoint_prefix: "email",
    env_suffix: "SES",
    endpoint_rules: &RULES,
};

aws_client_runtime::operation_error! {
    /// Either operation's error: no modeled error, every code is `Unhandled`.
    OpError [aws_client_runtime::xml::Node<'_>] {}
}

/// `GetSendQuota`'s input: no members.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GetSendQuotaInput {}

impl QueryValue for GetSendQuotaInput {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        let _ = (w, key);
    }
}

/// `GetSendQuota`'s output.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GetSendQuotaOutput {
    pub max24_hour_send: Option<f64>,
    pub max_send_rate: Option<f64>,
    pub sent_last24_hours: Option<f64>,
    _request_id: Option<String>,
}
aws_client_runtime::output_request_id!(GetSendQuotaOutput);

fn de_get_send_quota(node: Node<'_>) -> Result<GetSendQuotaOutput, XmlError> {
    let mut out = GetSendQuotaOutput::default();
    for child in node.children() {
        match child.name() {
            "Max24HourSend" => {
                out.max24_hour_send = Some(xml::parse_float("Max24HourSend", child.text())?)
            }
            "MaxSendRate" => {
                out.max_send_rate = Some(xml::parse_float("MaxSendRate", child.text())?)
            }
            "SentLast24Hours" => {
                out.sent_last24_hours = Some(xml::parse_float("SentLast24Hours", child.text())?)
            }
            _ => {}
        }
    }
    Ok(out)
}

pub static GET_SEND_QUOTA: Operation<GetSendQuotaInput, GetSendQuotaOutput, OpError> = Operation {
    name: "GetSendQuota",
    validate: |_, _, _| {},
    build: |input, service| aws_query::write_request("GetSendQuota", service.api_version, input),
    parse: |response, limits| {
        aws_query::read_response(
            response,
            limits,
            "GetSendQuota",
            false,
            de_get_send_quota,
            OpError::parse_error,
        )
    },
    host_prefix: None,
    endpoint_params: None,
    fill_idempotency: None,
    compression: false,
};

/// `GetIdentityVerificationAttributes`'s input: the identities.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VerificationInput {
    pub identities: Option<Vec<String>>,
}

impl QueryValue for VerificationInput {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        let prefix = &key.to_prefix();
        w.list(prefix, "Identities", List::MEMBER, &self.identities);
    }
}

/// `GetIdentityVerificationAttributes`'s output, of which only the request id is read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VerificationOutput {
    _request_id: Option<String>,
}
aws_client_runtime::output_request_id!(VerificationOutput);

pub static GET_IDENTITY_VERIFICATION_ATTRIBUTES: Operation<
    VerificationInput,
    VerificationOutput,
    OpError,
> = Operation {
    name: "GetIdentityVerificationAttributes",
    validate: |_, _, _| {},
    build: |input, service| {
        aws_query::write_request(
            "GetIdentityVerificationAttributes",
            service.api_version,
            input,
        )
    },
    parse: |response, limits| {
        aws_query::read_response(
            response,
            limits,
            "GetIdentityVerificationAttributes",
            false,
            xml::empty_output,
            OpError::parse_error,
        )
    },
    host_prefix: None,
    endpoint_params: None,
    fill_idempotency: None,
    compression: false,
};

/// The client: the shared handle, and one method per operation.
#[derive(Clone, Debug)]
pub struct Client {
    handle: SharedHandle,
}

impl Client {
    pub fn from_conf(conf: Config) -> Self {
        Client {
            handle: Arc::new(Handle::new(conf, &SERVICE)),
        }
    }

    pub fn get_send_quota(&self) -> GetSendQuota {
        GetSendQuota {
            handle: self.handle.clone(),
        }
    }

    pub fn get_identity_verification_attributes(&self) -> GetIdentityVerificationAttributes {
        GetIdentityVerificationAttributes {
            handle: self.handle.clone(),
            input: VerificationInput::default(),
        }
    }
}

/// A `GetSendQuota` call.
pub struct GetSendQuota {
    handle: SharedHandle,
}

impl GetSendQuota {
    pub async fn send(self) -> Result<GetSendQuotaOutput, SdkError<OpError>> {
        self.handle
            .invoke(&GET_SEND_QUOTA, GetSendQuotaInput::default())
            .await
    }
}

/// A `GetIdentityVerificationAttributes` call.
pub struct GetIdentityVerificationAttributes {
    handle: SharedHandle,
    input: VerificationInput,
}

impl GetIdentityVerificationAttributes {
    /// Adds an identity.
    pub fn identities(mut self, identity: impl Into<String>) -> Self {
        self.input
            .identities
            .get_or_insert_with(Vec::new)
            .push(identity.into());
        self
    }

    pub async fn send(self) -> Result<VerificationOutput, SdkError<OpError>> {
        self.handle
            .invoke(&GET_IDENTITY_VERIFICATION_ATTRIBUTES, self.input)
            .await
    }
}

/// The metadata of an error, for tests that look at it whole.
pub fn meta_of(err: &SdkError<OpError>) -> Option<&ErrorMetadata> {
    err.as_service_error().map(OpError::meta)
}
