//! Macros that generated code invokes for boilerplate every operation needs, so the generated
//! files stay small and the logic stays here, reviewed once.

//! Exported (`#[macro_export]`) because generated crates call them, hidden from the docs because
//! nothing else should; `crate::macros::operation_error!` and the like name them.

/// What an error enum of modeled errors plus `Unhandled` implements (an operation's error and a
/// service's `Error` alike): metadata, request id, `Display` (the error's own), `Error::source`
/// (the modeled error, or what `Unhandled` stands for).
#[doc(hidden)]
#[macro_export]
macro_rules! error_enum_impls {
    ($name:ident { $($variant:ident),* }) => {
        impl $crate::error::ProvideErrorMetadata for $name {
            fn meta(&self) -> &$crate::error::ErrorMetadata {
                match self {
                    $(Self::$variant(e) => $crate::error::ProvideErrorMetadata::meta(e),)*
                    Self::Unhandled(u) => u.meta(),
                }
            }
        }
        impl $crate::send::RequestId for $name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                $crate::error::ProvideErrorMetadata::meta(self).request_id()
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $(Self::$variant(e) => ::std::fmt::Display::fmt(e, f),)*
                    Self::Unhandled(u) => ::std::fmt::Display::fmt(u, f),
                }
            }
        }
        impl ::std::error::Error for $name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$variant(e) => ::std::option::Option::Some(e),)*
                    Self::Unhandled(u) => u.source().map(|s| s as &(dyn ::std::error::Error + 'static)),
                }
            }
        }
    };
}
pub use crate::error_enum_impls;

/// An operation's error enum: one variant per modeled error, then `Unhandled`; its trait impls
/// (metadata access, `Display` (code, message, status, type, request id), `Error::source`, the
/// request id), the constructors and `is_…` checks AWS's Rust SDK has (`generic`, `unhandled`,
/// `meta`), and `parse_error`, which picks the variant by error code.
///
/// `[Source]` is the type the protocol reads a modeled error from (`xml::Node<'_>`,
/// `json::ErrorBody<'_>`). Per variant: `Variant(Type) is_variant "Code" parser;`, where
/// `parser` reads the modeled error's members from a `Source`.
#[doc(hidden)]
#[macro_export]
macro_rules! operation_error {
    ($(#[$attr:meta])* $name:ident [$src:ty] { $($variant:ident($ty:ty) $is:ident $code:literal $de:path;)* }) => {
        $(#[$attr])*
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("The service answered with error code `", $code, "`.")]
                $variant($ty),
            )*
            /// An error code this operation does not model (including throttling and auth
            /// errors), or a failure that was not a service error
            /// ([`SdkError::into_service_error`](crate::error::SdkError::into_service_error)).
            /// Read it through [`ProvideErrorMetadata`](crate::error::ProvideErrorMetadata)
            /// rather than matching on it.
            Unhandled($crate::error::Unhandled),
        }
        $crate::error_enum_impls!($name { $($variant),* });
        impl $crate::error::CreateUnhandledError for $name {
            fn create_unhandled_error(
                source: $crate::error::BoxError,
                meta: ::std::option::Option<$crate::error::ErrorMetadata>,
            ) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(
                    meta.unwrap_or_default(),
                    ::std::option::Option::Some(source),
                ))
            }
        }
        impl $name {
            /// An error with this metadata and no modeled type (`Unhandled`), as a service error
            /// with an unmodeled code arrives.
            pub fn generic(meta: $crate::error::ErrorMetadata) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(meta, ::std::option::Option::None))
            }
            /// An `Unhandled` error caused by `err`.
            pub fn unhandled(
                err: impl ::std::convert::Into<$crate::error::BoxError>,
            ) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(
                    ::std::default::Default::default(),
                    ::std::option::Option::Some(err.into()),
                ))
            }
            /// Code, message, `Type`, request id and HTTP status.
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                $crate::error::ProvideErrorMetadata::meta(self)
            }
            $(
                #[doc = concat!("Whether this is `", stringify!($variant), "`.")]
                pub fn $is(&self) -> bool {
                    matches!(self, Self::$variant(_))
                }
            )*
            /// The variant for the error code in `meta`, its members read from `node` (what the
            /// protocol reads a modeled error from: the `<Error>` element of an XML protocol, the
            /// body of a JSON one); `Unhandled` for a code the operation does not model, or when
            /// the modeled error's members do not parse.
            #[doc(hidden)]
            pub fn parse_error(meta: $crate::error::ErrorMetadata, node: $src) -> Self {
                let name = $crate::error::ErrorSource::error_name(&node)
                    .or(meta.code())
                    .unwrap_or_default()
                    .to_owned();
                #[allow(clippy::match_single_binding)]
                match name.as_str() {
                    $($code => $crate::error::modeled(meta, node, $de, Self::$variant, Self::generic),)*
                    _ => {
                        let _ = node;
                        Self::generic(meta)
                    }
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
        impl $crate::send::SetRequestId for $name {
            fn set_request_id(&mut self, id: ::std::option::Option<::std::string::String>) {
                self._request_id = id;
            }
        }
        impl $crate::send::RequestId for $name {
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
        impl $crate::send::RequestId for $name {
            fn request_id(&self) -> ::std::option::Option<&str> {
                self.meta.request_id()
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
        impl $name {
            /// Code, message, `Type`, request id and HTTP status.
            pub fn meta(&self) -> &$crate::error::ErrorMetadata {
                &self.meta
            }
        }
    };
}
pub use crate::modeled_error;

/// The read side and the builder of a generated structure, as AWS's Rust SDK shapes them:
/// getters on the type (`Option<&str>`, `&[T]`, `Option<&T>`, or the value itself for a member
/// the model requires or defaults), and a separate `…Builder` with a setter, `set_…` and `get_…`
/// per member and a `build()` that returns `Result<_, BuildError>` (`result`: required members
/// are checked), the type itself (`plain`), or, for operation inputs, `Result` that never fails
/// (`input`; required members are checked when the request is sent, with every other rule).
///
/// Per member: `field set_field get_field [Option<T>] getter-kind [..] setter-kind [..] required|optional;`.
/// Getter kinds: `str`, `str_req`, `list [T]`, `list_boxed [T]`, `copy [T]`, `copy_or [T, default]`,
/// `by_ref [T]`, `by_ref_boxed [T]`, `by_ref_req [T, default]`. Setter kinds: `one [T]`,
/// `boxed [T]`, `push [T]`, `insert [K, V]`.
/// `extra [name: T]` fields (request id, error metadata) are carried by the builder as they are.
#[doc(hidden)]
#[macro_export]
macro_rules! structure {
    (
        $name:ident, $builder:ident, $build:ident, $debug:ident, extra [$($xf:ident: $xty:ty),*];
        $( $(#[$doc:meta])* $field:ident $set:ident $get:ident [$fty:ty] $gk:ident [$($ga:tt)*] $sk:ident [$($sa:tt)*] $req:ident; )*
    ) => {
        #[allow(deprecated)]
        impl $name {
            $( $crate::structure!(@get $gk [$($ga)*] [$(#[$doc])*] $field); )*
            #[doc = concat!("A builder for [`", stringify!($name), "`].")]
            pub fn builder() -> $builder {
                <$builder as ::std::default::Default>::default()
            }
        }
        #[doc = concat!("A builder for [`", stringify!($name), "`]: a setter, `set_…` and `get_…` per member, then `build()`.")]
        #[derive(Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $builder {
            $( pub(crate) $field: $fty, )*
            $( pub(crate) $xf: $xty, )*
        }
        #[allow(deprecated)]
        impl $builder {
            $(
                $crate::structure!(@set $sk [$($sa)*] [$(#[$doc])*] $field);
                $(#[$doc])*
                pub fn $set(mut self, input: $fty) -> Self {
                    self.$field = input;
                    self
                }
                $(#[$doc])*
                pub fn $get(&self) -> &$fty {
                    &self.$field
                }
            )*
            $crate::structure!(@build $build $name { $($field $req,)* } { $($xf)* });
        }
        $crate::structure!(@debug $debug $builder { $($field)* });
    };

    (@get str [] [$($doc:tt)*] $f:ident) => {
        $($doc)* pub fn $f(&self) -> ::std::option::Option<&str> { self.$f.as_deref() }
    };
    (@get str_req [] [$($doc:tt)*] $f:ident) => {
        $($doc)* pub fn $f(&self) -> &str { self.$f.as_deref().unwrap_or_default() }
    };
    (@get list [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        ///
        #[doc = concat!("Empty when the value is absent; `.", stringify!($f), ".is_none()` tells the two apart.")]
        pub fn $f(&self) -> &[$t] { self.$f.as_deref().unwrap_or_default() }
    };
    (@get list_boxed [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)* pub fn $f(&self) -> &[$t] { self.$f.as_deref().map(|v| v.as_slice()).unwrap_or_default() }
    };
    (@get copy [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)* pub fn $f(&self) -> ::std::option::Option<$t> { self.$f }
    };
    (@get copy_or [$t:ty, $d:expr] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        ///
        #[doc = concat!("`", stringify!($d), "` when the value is absent; `.", stringify!($f), ".is_none()` tells the two apart.")]
        pub fn $f(&self) -> $t { self.$f.unwrap_or($d) }
    };
    (@get by_ref [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)* pub fn $f(&self) -> ::std::option::Option<&$t> { self.$f.as_ref() }
    };
    (@get by_ref_boxed [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)* pub fn $f(&self) -> ::std::option::Option<&$t> { self.$f.as_deref() }
    };
    (@get by_ref_req [$t:ty, $d:expr] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        ///
        #[doc = concat!("An empty value when it is absent; `.", stringify!($f), ".is_none()` tells the two apart.")]
        pub fn $f(&self) -> &$t {
            static EMPTY: ::std::sync::LazyLock<$t> = ::std::sync::LazyLock::new(|| $d);
            self.$f.as_ref().unwrap_or(&EMPTY)
        }
    };

    (@set one [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        pub fn $f(mut self, input: impl ::std::convert::Into<$t>) -> Self {
            self.$f = ::std::option::Option::Some(input.into());
            self
        }
    };
    (@set boxed [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        pub fn $f(mut self, input: impl ::std::convert::Into<$t>) -> Self {
            self.$f = ::std::option::Option::Some(::std::boxed::Box::new(input.into()));
            self
        }
    };
    (@set push [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        ///
        /// Appends one item (`set_…` replaces the whole list).
        pub fn $f(mut self, input: impl ::std::convert::Into<$t>) -> Self {
            self.$f.get_or_insert_with(::std::default::Default::default).push(input.into());
            self
        }
    };
    (@set insert [$k:ty, $v:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        ///
        /// Adds one entry (`set_…` replaces the whole map).
        pub fn $f(mut self, k: impl ::std::convert::Into<$k>, v: impl ::std::convert::Into<$v>) -> Self {
            self.$f.get_or_insert_with(::std::default::Default::default).insert(k.into(), v.into());
            self
        }
    };

    (@build plain $name:ident { $($f:ident $req:ident,)* } { $($xf:ident)* }) => {
        #[doc = concat!("Builds the [`", stringify!($name), "`].")]
        pub fn build(self) -> $name {
            self.build_unchecked()
        }
        $crate::structure!(@unchecked $name { $($f)* } { $($xf)* });
    };
    (@build input $name:ident { $($f:ident $req:ident,)* } { $($xf:ident)* }) => {
        #[doc = concat!("Builds the [`", stringify!($name), "`]. It never fails: required members are checked, with every other constraint of the model, when the request is sent.")]
        pub fn build(self) -> ::std::result::Result<$name, $crate::error::BuildError> {
            ::std::result::Result::Ok(self.build_unchecked())
        }
        $crate::structure!(@unchecked $name { $($f)* } { $($xf)* });
    };
    (@build result $name:ident { $($f:ident $req:ident,)* } { $($xf:ident)* }) => {
        #[doc = concat!("Builds the [`", stringify!($name), "`], or says which required member is missing.")]
        pub fn build(self) -> ::std::result::Result<$name, $crate::error::BuildError> {
            $( $crate::structure!(@check $req $name $f self); )*
            ::std::result::Result::Ok(self.build_unchecked())
        }
        $crate::structure!(@unchecked $name { $($f)* } { $($xf)* });
    };
    (@unchecked $name:ident { $($f:ident)* } { $($xf:ident)* }) => {
        /// The value as built so far, nothing checked (a request is validated when sent).
        #[allow(dead_code)]
        pub(crate) fn build_unchecked(self) -> $name {
            $name { $($f: self.$f,)* $($xf: self.$xf,)* }
        }
    };
    (@check required $name:ident $f:ident $s:ident) => {
        if $s.$f.is_none() {
            return ::std::result::Result::Err($crate::error::BuildError::missing_field(
                stringify!($f),
                concat!(stringify!($f), " was not specified but it is required when building ", stringify!($name)),
            ));
        }
    };
    (@check optional $name:ident $f:ident $s:ident) => {};

    (@debug derive $builder:ident { $($f:ident)* }) => {
        impl ::std::fmt::Debug for $builder {
            #[allow(deprecated)]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($builder)) $(.field(stringify!($f), &self.$f))* .finish()
            }
        }
    };
    (@debug redacted $builder:ident { $($f:ident)* }) => {
        /// Members may be `@sensitive`: no value is shown.
        impl ::std::fmt::Debug for $builder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($builder)).finish_non_exhaustive()
            }
        }
    };
}
pub use crate::structure;

/// The member setters and `get_…` getters of a fluent builder (or a waiter), which delegate to
/// `self.inner`, a builder with methods of the same names.
#[doc(hidden)]
#[macro_export]
macro_rules! fluent_setters {
    (
        $name:ty;
        $( $(#[$doc:meta])* $field:ident $set:ident $get:ident [$fty:ty] $sk:ident [$($sa:tt)*]; )*
    ) => {
        #[allow(deprecated)]
        impl $name {
            $(
                $crate::fluent_setters!(@set $sk [$($sa)*] [$(#[$doc])*] $field);
                $(#[$doc])*
                pub fn $set(mut self, input: $fty) -> Self {
                    self.inner = self.inner.$set(input);
                    self
                }
                $(#[$doc])*
                pub fn $get(&self) -> &$fty {
                    self.inner.$get()
                }
            )*
        }
    };
    (@set insert [$k:ty, $v:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        pub fn $f(mut self, k: impl ::std::convert::Into<$k>, v: impl ::std::convert::Into<$v>) -> Self {
            self.inner = self.inner.$f(k, v);
            self
        }
    };
    (@set $sk:ident [$t:ty] [$($doc:tt)*] $f:ident) => {
        $($doc)*
        pub fn $f(mut self, input: impl ::std::convert::Into<$t>) -> Self {
            self.inner = self.inner.$f(input);
            self
        }
    };
}
pub use crate::fluent_setters;

/// An operation's static description (the function pointers the client calls), its fluent
/// builder (`new`, `as_input`, `send`, the member setters) in a `builders` module, and, where
/// the input is the operation's own, `send_with` on the input builder.
///
/// `into_parts [yes]` gives the fluent builder `into_parts()` (paginators and waiters take it
/// apart); `send_with [crate::Client]` names the client type, `send_with []` omits it.
/// The member lines are [`fluent_setters!`]'s.
///
/// The description's `build` and `parse` are the protocol's, written by the emitter of the
/// service's protocol into `ser.rs` and `de.rs` (one call each into `crate::protocol::…`); this
/// macro knows no protocol. The send path sees only the two function pointers.
#[doc(hidden)]
#[macro_export]
macro_rules! operation {
    (
        $(#[$fdoc:meta])*
        $fluent:ident, $method:ident, $wire:literal;
        input $input:ident $input_builder:ident, output $output:ident $output_builder:ident, error $error:ident;
        validate $validate:path, build $build:path, parse $parse:path;
        host_prefix $hp:expr, endpoint_params $ep:expr, fill_idempotency $fi:expr, compression $comp:literal;
        into_parts [$($ip:ident)?], send_with [$($client:path)?];
        $($setters:tt)*
    ) => {
        pub(crate) static OPERATION: $crate::send::Operation<$input, $output, $error> =
            $crate::send::Operation {
                name: $wire,
                validate: $validate,
                build: $build,
                parse: $parse,
                host_prefix: $hp,
                endpoint_params: $ep,
                fill_idempotency: $fi,
                compression: $comp,
            };
        /// The fluent builder returned by the client method, and the input's and output's
        /// builders.
        pub mod builders {
            use super::*;
            pub use super::{$input_builder, $output_builder};
            $(#[$fdoc])*
            #[derive(Clone, Debug)]
            pub struct $fluent {
                handle: $crate::send::SharedHandle,
                inner: $input_builder,
            }
            impl $fluent {
                pub(crate) fn new(handle: $crate::send::SharedHandle) -> Self {
                    Self { handle, inner: ::std::default::Default::default() }
                }
                /// The input built so far.
                pub fn as_input(&self) -> &$input_builder {
                    &self.inner
                }
                /// Validates the input, then signs and sends the request (with retries).
                pub async fn send(self) -> ::std::result::Result<$output, $crate::error::SdkError<$error>> {
                    self.handle.invoke(&OPERATION, self.inner.build_unchecked()).await
                }
                $(
                    $crate::operation!(@into_parts $ip);
                    pub(crate) fn into_parts(self) -> ($crate::send::SharedHandle, $input) {
                        (self.handle, self.inner.build_unchecked())
                    }
                )?
            }
            $crate::fluent_setters! { $fluent; $($setters)* }
            $(
                impl $input_builder {
                    /// Sends this input with `client`.
                    pub async fn send_with(
                        self,
                        client: &$client,
                    ) -> ::std::result::Result<$output, $crate::error::SdkError<$error>> {
                        let mut fluent = client.$method();
                        fluent.inner = self;
                        fluent.send().await
                    }
                }
            )?
        }
        pub use builders::$fluent;
    };
    (@into_parts yes) => {};
}
pub use crate::operation;

/// A string enum of the model: one variant per value, then `Unknown` for values this version
/// does not know (kept as sent); `as_str`, `values`, `From<&str>`, `FromStr`, `AsRef<str>`,
/// and `Display`. The protocol's body emitters write its codec impls.
///
/// Per variant: `Variant = "wire value",` with its doc and `#[deprecated]` attributes.
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($(#[$attr:meta])* $name:ident { $($(#[$vattr:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$attr])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[allow(deprecated)]
        pub enum $name {
            $($(#[$vattr])* $variant,)*
            /// A value this version of the client does not know.
            Unknown($crate::primitives::UnknownVariantValue),
        }
        #[allow(deprecated)]
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(v) => v.as_str(),
                }
            }
            /// Every value the model defines.
            pub const fn values() -> &'static [&'static str] {
                &[$($value),*]
            }
        }
        #[allow(deprecated)]
        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($value => Self::$variant,)*
                    other => Self::Unknown($crate::primitives::UnknownVariantValue::new(other)),
                }
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }
        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub use crate::string_enum;

/// An integer enum of the model: one variant per value, then `Unknown(i32)`; `value`,
/// and `From<i32>`. The protocol's body emitters write its codec impls.
#[doc(hidden)]
#[macro_export]
macro_rules! int_enum {
    ($(#[$attr:meta])* $name:ident { $($(#[$vattr:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$attr])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vattr])* $variant,)*
            /// A value this version of the client does not know.
            Unknown(i32),
        }
        impl $name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i32 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(n) => *n,
                }
            }
        }
        impl ::std::convert::From<i32> for $name {
            fn from(n: i32) -> Self {
                match n {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }
    };
}
pub use crate::int_enum;

/// The trait impls of a service's `Error` (every modeled error of the service, and
/// `Unhandled`), as AWS's Rust SDK has it: metadata, request id, `Display`, `Error::source`,
/// and `From<BuildError>` (so `?` on a builder works in a function returning it).
#[doc(hidden)]
#[macro_export]
macro_rules! service_error {
    ($name:ident { $($variant:ident),* $(,)? }) => {
        $crate::error_enum_impls!($name { $($variant),* });
        impl ::std::convert::From<$crate::error::BuildError> for $name {
            fn from(e: $crate::error::BuildError) -> Self {
                Self::Unhandled($crate::error::Unhandled::new(
                    ::std::default::Default::default(),
                    ::std::option::Option::Some(::std::boxed::Box::new(e)),
                ))
            }
        }
    };
}
pub use crate::service_error;

/// `From<OperationError>` and `From<SdkError<OperationError, R>>` for a service's `Error`.
#[doc(hidden)]
#[macro_export]
macro_rules! service_error_from {
    ($name:ident, $op:ident { $($variant:ident),* $(,)? }) => {
        impl ::std::convert::From<$op> for $name {
            fn from(e: $op) -> Self {
                match e {
                    $($op::$variant(inner) => Self::$variant(inner),)*
                    $op::Unhandled(u) => Self::Unhandled(u),
                }
            }
        }
        impl<R> ::std::convert::From<$crate::error::SdkError<$op, R>> for $name
        where
            R: ::std::fmt::Debug + ::std::marker::Send + ::std::marker::Sync + 'static,
        {
            fn from(e: $crate::error::SdkError<$op, R>) -> Self {
                match e {
                    $crate::error::SdkError::ServiceError(ctx) => Self::from(ctx.into_err()),
                    other => {
                        let meta = $crate::error::ProvideErrorMetadata::meta(&other).clone();
                        Self::Unhandled($crate::error::Unhandled::new(
                            meta,
                            ::std::option::Option::Some(::std::boxed::Box::new(other)),
                        ))
                    }
                }
            }
        }
    };
}
pub use crate::service_error_from;

#[cfg(test)]
#[allow(dead_code)] // the macros make every accessor; the tests use some
mod tests {
    use crate::error::{BuildError, ProvideErrorMetadata};

    #[derive(Clone, Default, PartialEq, Debug)]
    #[non_exhaustive]
    pub struct Attrs {
        pub domain: Option<String>,
        pub status: Option<Status>,
        pub tags: Option<Vec<String>>,
        pub counts: Option<std::collections::HashMap<String, i32>>,
        pub enabled: Option<bool>,
        pub rate: Option<f64>,
        pub note: Option<String>,
    }

    #[derive(Clone, Debug, PartialEq)]
    pub enum Status {
        Success,
        Unknown(String),
    }

    impl From<&str> for Status {
        fn from(s: &str) -> Self {
            match s {
                "Success" => Status::Success,
                other => Status::Unknown(other.to_owned()),
            }
        }
    }

    crate::structure! {
        Attrs, AttrsBuilder, result, derive, extra [];
        /// Required string.
        domain set_domain get_domain [Option<String>] str_req [] one [String] required;
        /// Required enum.
        status set_status get_status [Option<Status>] by_ref_req [Status, Status::from("no value was set")] one [Status] required;
        /// A list.
        tags set_tags get_tags [Option<Vec<String>>] list [String] push [String] optional;
        /// A map.
        counts set_counts get_counts [Option<std::collections::HashMap<String, i32>>] by_ref [std::collections::HashMap<String, i32>] insert [String, i32] optional;
        /// A defaulted boolean.
        enabled set_enabled get_enabled [Option<bool>] copy_or [bool, true] one [bool] optional;
        /// An optional number.
        rate set_rate get_rate [Option<f64>] copy [f64] one [f64] optional;
        /// An optional string.
        note set_note get_note [Option<String>] str [] one [String] optional;
    }

    #[test]
    fn builders_set_and_build_checks_required_members() {
        let built = Attrs::builder()
            .domain("bounces.example.com")
            .status("Success")
            .tags("a")
            .tags("b")
            .counts("x", 1)
            .counts("y", 2)
            .rate(1.5)
            .build()
            .expect("required members set");
        assert_eq!(built.domain(), "bounces.example.com");
        assert_eq!(built.status(), &Status::Success);
        assert_eq!(built.tags(), ["a", "b"]);
        assert_eq!(built.counts().map(|m| m.len()), Some(2));
        assert!(built.enabled(), "the default when absent");
        assert_eq!(built.enabled, None, "the field still says it was absent");
        assert_eq!(built.rate(), Some(1.5));
        assert_eq!(built.note(), None);

        let missing: Result<Attrs, BuildError> = Attrs::builder().domain("d").build();
        let err = missing.expect_err("status is required");
        assert!(err.to_string().contains("status"), "{err}");

        // set_/get_ replace and read the whole value.
        let b = Attrs::builder()
            .tags("a")
            .set_tags(Some(vec!["z".into()]))
            .set_note(Some("n".into()));
        assert_eq!(b.get_tags().as_deref(), Some(&["z".to_owned()][..]));
        assert_eq!(b.get_note().as_deref(), Some("n"));
    }

    #[test]
    fn getters_of_absent_required_members_answer_as_aws_sdk_rust_fills_them() {
        let empty = Attrs::default();
        assert_eq!(empty.domain(), "");
        assert_eq!(
            empty.status(),
            &Status::Unknown("no value was set".to_owned())
        );
        assert!(empty.tags().is_empty());
        assert_eq!(empty.counts(), None);
    }

    #[derive(Debug, Default, Clone, PartialEq)]
    pub struct Oops {
        pub meta: crate::error::ErrorMetadata,
    }
    crate::modeled_error!(Oops);

    fn de_oops(node: crate::xml::Node<'_>) -> Result<Oops, crate::xml::XmlError> {
        match node.children().find(|c| c.name() == "Fail") {
            Some(_) => Err(crate::xml::XmlError::custom("Oops", "cannot read it")),
            None => Ok(Oops::default()),
        }
    }
    crate::operation_error!(OpError [crate::xml::Node<'_>] {
        Oops(Oops) is_oops "OopsCode" de_oops;
    });

    #[test]
    fn operation_errors_read_like_aws_sdk_rusts() {
        let meta = crate::error::ErrorMetadata::builder()
            .code("Oops")
            .message("it broke")
            .request_id("r-1")
            .status(400)
            .build();
        let e = OpError::Oops(Oops { meta: meta.clone() });
        assert!(e.is_oops());
        assert_eq!(e.code(), Some("Oops"));
        assert_eq!(e.message(), Some("it broke"));
        assert_eq!(crate::RequestId::request_id(&e), Some("r-1"));
        assert!(std::error::Error::source(&e).is_some());
        let g = OpError::generic(meta);
        assert!(!g.is_oops());
        assert_eq!(g.code(), Some("Oops"));
        assert_eq!(g.to_string(), "Oops: it broke (HTTP 400, request id r-1)");
        // `parse_error` picks the variant by code; another code, or members that do not
        // parse, give `Unhandled` with the metadata kept.
        let doc = crate::xml::parse("<Error><Code>OopsCode</Code></Error>").expect("xml");
        let code = |c: &str| crate::error::ErrorMetadata::builder().code(c).build();
        let parsed = OpError::parse_error(code("OopsCode"), doc.root());
        assert!(parsed.is_oops());
        assert_eq!(
            parsed.code(),
            Some("OopsCode"),
            "metadata set on the modeled error"
        );
        let other = OpError::parse_error(code("Other"), doc.root());
        assert!(matches!(other, OpError::Unhandled(_)));
        assert_eq!(other.code(), Some("Other"));
        let bad = crate::xml::parse("<Error><Fail/></Error>").expect("xml");
        let unreadable = OpError::parse_error(code("OopsCode"), bad.root());
        assert!(matches!(unreadable, OpError::Unhandled(_)));
        let empty: Result<Attrs, _> = crate::xml::empty_output(doc.root());
        assert_eq!(empty.ok(), Some(Attrs::default()));
        let u = OpError::unhandled("boom");
        assert_eq!(u.code(), None);
        assert_eq!(u.to_string(), "boom");
        assert_eq!(
            std::error::Error::source(&u).map(|s| s.to_string()),
            Some("boom".to_owned())
        );
    }
}
