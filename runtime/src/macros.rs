//! Macros that generated code invokes for boilerplate every operation needs, so the generated
//! files stay small and the logic stays here, reviewed once.

//! Exported (`#[macro_export]`) because generated crates call them, hidden from the docs because
//! nothing else should; `crate::macros::operation_error!` and the like name them.

/// The trait impls of an operation's error enum: metadata access, `Display` (code, message,
/// status, type, request id) and `Error::source` (the modeled error).
#[doc(hidden)]
#[macro_export]
macro_rules! operation_error {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                match self {
                    $(Self::$variant(e) => &e.meta,)*
                    Self::Unhandled(m) => m,
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt($crate::error::ProvideErrorMetadata::meta(self), f)
            }
        }
        impl ::std::error::Error for $name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(e) => ::std::option::Option::Some(e),)*
                    Self::Unhandled(_) => ::std::option::Option::None,
                }
            }
        }
    };
}
pub use crate::operation_error;

/// The request-id plumbing of an output type (which has a `_request_id` field).
#[doc(hidden)]
#[macro_export]
macro_rules! output_request_id {
    ($name:ty) => {
        impl $crate::client::SetRequestId for $name {
            fn set_request_id(&mut self, id: ::std::option::Option<::std::string::String>) {
                self._request_id = id;
            }
        }
        impl $crate::client::RequestId for $name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                self._request_id.as_deref()
            }
        }
    };
}
pub use crate::output_request_id;

/// The trait impls of a modeled error type (which has a `meta` field).
#[doc(hidden)]
#[macro_export]
macro_rules! modeled_error {
    ($name:ident) => {
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                &self.meta
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.meta, f)
            }
        }
        impl ::std::error::Error for $name {}
        impl $crate::error::ModeledError for $name {
            fn set_meta(&mut self, meta: $crate::error::ErrorMetadata) {
                self.meta = meta;
            }
        }
    };
}
pub use crate::modeled_error;
