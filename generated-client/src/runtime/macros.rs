//! Macros that generated code invokes for boilerplate every operation needs, so the generated
//! files stay small and the logic stays here, reviewed once.

// A trimmed client (`--operations`) may have no modeled errors, or no outputs of some kind, so
// not every macro is used in every generated crate.
#![allow(unused_macros, unused_imports)]

/// The trait impls of an operation's error enum: metadata access, `Display` (code, message,
/// status, type, request id) and `Error::source` (the modeled error).
macro_rules! operation_error {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        impl $crate::runtime::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::runtime::error::ErrorMetadata {
                match self {
                    $(Self::$variant(e) => &e.meta,)*
                    Self::Unhandled(m) => m,
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt($crate::runtime::error::ProvideErrorMetadata::meta(self), f)
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
pub(crate) use operation_error;

/// The request-id plumbing of an output type (which has a `_request_id` field).
macro_rules! output_request_id {
    ($name:ty) => {
        impl $crate::runtime::client::SetRequestId for $name {
            fn set_request_id(&mut self, id: ::std::option::Option<::std::string::String>) {
                self._request_id = id;
            }
        }
        impl $crate::runtime::client::RequestId for $name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                self._request_id.as_deref()
            }
        }
    };
}
pub(crate) use output_request_id;

/// The trait impls of a modeled error type (which has a `meta` field).
macro_rules! modeled_error {
    ($name:ident) => {
        impl $crate::runtime::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::runtime::error::ErrorMetadata {
                &self.meta
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.meta, f)
            }
        }
        impl ::std::error::Error for $name {}
        impl $crate::runtime::error::ModeledError for $name {
            fn set_meta(&mut self, meta: $crate::runtime::error::ErrorMetadata) {
                self.meta = meta;
            }
        }
    };
}
pub(crate) use modeled_error;
