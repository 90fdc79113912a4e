//! `client.rs`: the service description and the `Client` with one method per operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs, examples, ident, operations};

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let svc = cx.svc;
    let methods = svc.operations.iter().map(|op| {
        let f = ident(&op.fn_name);
        let m = ident(&op.fn_name);
        let fluent = ident(&op.names.fluent);
        let d =
            docs::attrs(&(operations::op_doc(cx, op) + &examples::docs(cx, op, &cx.crate_name)));
        let dep = op.deprecated.as_ref().map(|d| {
            let note = d.message.clone().unwrap_or_default();
            quote!(#[deprecated(note = #note)])
        });
        quote! {
            #d
            #dep
            pub fn #f(&self) -> crate::operation::#m::#fluent {
                crate::operation::#m::#fluent::new(self.handle.clone())
            }
        }
    });
    let api_version = &svc.api_version;
    let sdk_id = &svc.sdk_id;
    let signing_name = &svc.signing_name;
    let endpoint_prefix = &svc.endpoint_prefix;
    let env_suffix = svc.sdk_id.to_ascii_uppercase().replace([' ', '-'], "_");
    let title = svc.title.clone().unwrap_or_else(|| svc.name.clone());
    let doc = format!(
        "A client for {title} (API version `{api_version}`).\n\nCheap to clone: clones share one connection pool and configuration."
    );
    // An operation that gzips its requests needs the runtime's `request-compression` feature:
    // without it, the crate does not compile (rather than silently sending uncompressed).
    let compression = cx
        .svc
        .operations
        .iter()
        .any(|op| op.request_compression.iter().any(|e| e == "gzip"))
        .then(|| {
            quote!(
                const _: () = crate::runtime::compression::REQUEST_COMPRESSION_ENABLED;
            )
        });
    let waiters = super::waiters::any(cx).then(|| {
        quote! {
            pub use crate::generated::waiters::Waiters;
        }
    });
    quote! {
        //! The client, and the [`Waiters`] trait that gives it its `wait_until_…` methods.
        #waiters
        #compression
        pub(crate) static SERVICE: crate::runtime::send::ServiceSpec = crate::runtime::send::ServiceSpec {
            sdk_id: #sdk_id,
            api_version: #api_version,
            signing_name: #signing_name,
            endpoint_prefix: #endpoint_prefix,
            env_suffix: #env_suffix,
            endpoint_rules: &crate::generated::endpoints::RULES,
        };

        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: crate::runtime::send::SharedHandle,
        }

        impl Client {
            /// A client with explicit configuration.
            pub fn from_conf(conf: crate::Config) -> Self {
                Self { handle: ::std::sync::Arc::new(crate::runtime::send::Handle::new(conf, &SERVICE)) }
            }
            /// A client from aws-config's shared configuration (feature `aws-config-bridge`), as
            /// aws-sdk-ses's `Client::new(&sdk_config)`: region, credentials provider (so IMDS,
            /// ECS, SSO, web identity and assume-role work through aws-config), endpoint URL,
            /// retry and timeout settings, FIPS and dual-stack.
            #[cfg(feature = "aws-config-bridge")]
            pub fn new(sdk_config: &crate::runtime::config::SdkConfig) -> Self {
                Self::from_conf(crate::config::Builder::from(sdk_config).build())
            }
            /// A client configured from the environment: region, credentials and endpoint.
            pub fn from_env() -> Result<Self, crate::error::ConfigError> {
                Ok(Self::from_conf(crate::Config::from_env()?))
            }
            /// The configuration this client uses.
            pub fn config(&self) -> &crate::Config { self.handle.config() }
            /// The endpoint this client sends to and the region and name it signs for, resolved
            /// once from the model's endpoint rules; an error when the rules reject the
            /// configuration (for example FIPS with a custom endpoint, or no region).
            pub fn resolved_endpoint(&self) -> Result<crate::runtime::send::ResolvedEndpoint, crate::error::ConfigError> {
                self.handle.endpoint().cloned()
            }
            #(#methods)*
        }
    }
}
