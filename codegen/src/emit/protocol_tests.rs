//! `protocol_tests.rs`: one `#[test]` per protocol test case, from the typed cases of
//! [`crate::protocol_tests`] (read, checked, resolved and named there): one module per group.
//!
//! Each case's values become Rust constructor expressions. Request tests build the typed input,
//! run the runtime's request building (`Handle::prepare`) and check method, URI, host, headers
//! and the exact body; response tests feed status, headers and body to the runtime's parser and
//! compare every member deeply; error tests check the error variant, code, type, message and
//! members. The checks live in the runtime's `protocol_test` module; the tests are data. Cases
//! that cannot apply to a client are ignored tests whose reason says why.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};

use super::{Ctx, ident};
use crate::ir::{ShapeKind, number_kind};
use crate::protocol_tests::{
    Case, ExpectedError, ExpectedRequest, Float, Response, Run, Suite, TestValue,
};

/// Emits the tests for every case of `suite`.
pub(super) fn emit(cx: &Ctx, suite: &Suite) -> TokenStream {
    let deep_eq = deep_eq_impls(cx);
    let modules = suite.groups.iter().map(|group| {
        let tests = group.cases.iter().map(|case| test_fn(cx, case));
        let m = format_ident!("{}", group.module);
        let doc = format!("{} case(s) from {}.", group.cases.len(), group.module);
        quote! {
            #[doc = #doc]
            mod #m {
                #(#tests)*
            }
        }
    });
    quote! {
        //! Protocol tests generated from the model's `smithy.test` traits and extra case files.
        #![allow(deprecated, clippy::field_reassign_with_default, clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)]
        #(#deep_eq)*
        #(#modules)*
    }
}

fn test_fn(cx: &Ctx, case: &Case) -> TokenStream {
    let f = ident(&case.fn_name);
    let mut doc = format!(
        "`{}` ({}) on `{}`.",
        case.id,
        case.kind.suffix(),
        case.operation.wire_name
    );
    if let Some(d) = &case.documentation {
        doc.push_str("\n\n");
        doc.push_str(d.trim());
    }
    let body = match &case.run {
        Run::Ignored { reason } => {
            return quote! {
                #[doc = #doc]
                #[test]
                #[ignore = #reason]
                fn #f() {}
            };
        }
        Run::Request {
            endpoint,
            input,
            expected,
        } => request_body(cx, case, endpoint, input, expected),
        Run::Response { response, expected } => response_body(cx, case, response, expected),
        Run::Error { response, expected } => error_body(cx, case, response, expected),
    };
    quote! {
        #[doc = #doc]
        #[test]
        fn #f() {
            #body
        }
    }
}

fn strs(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

fn pairs(items: &[(String, String)]) -> TokenStream {
    let p = items.iter().map(|(k, v)| quote!((#k, #v)));
    quote!(&[#(#p),*])
}

fn opt_str(v: &Option<String>) -> TokenStream {
    match v {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn request_body(
    cx: &Ctx,
    case: &Case,
    endpoint: &str,
    input: &TestValue,
    r: &ExpectedRequest,
) -> TokenStream {
    let m = ident(&case.operation.module);
    let input = value_expr(cx, input);
    let ExpectedRequest {
        method,
        uri,
        resolved_host,
        headers,
        require_headers,
        forbid_headers,
        query_params,
        require_query_params,
        forbid_query_params,
        body,
        body_media_type,
    } = r;
    let resolved_host = opt_str(resolved_host);
    let headers = pairs(headers);
    let require = strs(require_headers);
    let forbid = strs(forbid_headers);
    let qp = strs(query_params);
    let rqp = strs(require_query_params);
    let fqp = strs(forbid_query_params);
    let body = opt_str(body);
    let media = opt_str(body_media_type);
    quote! {
        let input = #input;
        let request = crate::runtime::protocol_tests::prepare(
            &crate::operation::#m::OPERATION,
            &crate::generated::client::SERVICE,
            #endpoint,
            &input,
        );
        crate::runtime::protocol_tests::check_request(
            &request,
            &crate::runtime::protocol_tests::ExpectedRequest {
                method: #method,
                uri: #uri,
                resolved_host: #resolved_host,
                headers: #headers,
                require_headers: #require,
                forbid_headers: #forbid,
                query_params: #qp,
                require_query_params: #rqp,
                forbid_query_params: #fqp,
                body: #body,
                body_media_type: #media,
            },
        );
    }
}

fn parse_call(case: &Case, r: &Response) -> TokenStream {
    let m = ident(&case.operation.module);
    let status = r.status;
    let headers = pairs(&r.headers);
    let body = &r.body;
    quote! {
        let parsed = crate::runtime::protocol_tests::parse(
            &crate::operation::#m::OPERATION,
            #status,
            #headers,
            #body,
        );
    }
}

fn response_body(cx: &Ctx, case: &Case, response: &Response, expected: &TestValue) -> TokenStream {
    let parse = parse_call(case, response);
    let expected = value_expr(cx, expected);
    quote! {
        #parse
        let output = match parsed {
            ::std::result::Result::Ok(output) => output,
            ::std::result::Result::Err(e) => panic!("expected an output, got an error: {e:?}"),
        };
        let expected = #expected;
        crate::runtime::protocol_tests::assert_deep_eq(&output, &expected, "the parsed output");
    }
}

fn error_body(cx: &Ctx, case: &Case, response: &Response, e: &ExpectedError) -> TokenStream {
    let parse = parse_call(case, response);
    let m = ident(&case.operation.module);
    let err_ty = ident(&case.operation.error_enum);
    let status = response.status;
    // Code, type and message through the operation error's metadata (`ProvideErrorMetadata`,
    // which every operation error implements, whatever its variant: a modeled error's
    // inherent methods and `Unhandled`'s differ); the status through the raw response.
    let code_check = e
        .code
        .as_ref()
        .map(|c| quote!(assert_eq!(meta.code(), ::std::option::Option::Some(#c), "error code");));
    let type_check = e.error_type.as_ref().map(
        |t| quote!(assert_eq!(meta.error_type(), ::std::option::Option::Some(#t), "error type");),
    );
    let message_check = e.message.as_ref().map(
        |t| quote!(assert_eq!(meta.message(), ::std::option::Option::Some(#t), "error message");),
    );
    let variant_check = match &e.modeled {
        Some(modeled) => {
            let v = ident(&modeled.variant);
            let label = v.to_string();
            let expected = value_expr(cx, &modeled.members);
            quote! {
                match error {
                    crate::operation::#m::#err_ty::#v(e) => {
                        let expected = #expected;
                        crate::runtime::protocol_tests::assert_deep_eq(&e, &expected, "the error's members");
                    }
                    #[allow(unreachable_patterns)]
                    other => panic!("expected the {} variant, got {other:?}", #label),
                }
            }
        }
        None => quote! {
            match error {
                crate::operation::#m::#err_ty::Unhandled(_) => {}
                #[allow(unreachable_patterns)]
                other => panic!("expected the Unhandled variant, got {other:?}"),
            }
        },
    };
    quote! {
        #parse
        let error = match parsed {
            ::std::result::Result::Err(crate::error::SdkError::ServiceError(error)) => error,
            ::std::result::Result::Err(other) => panic!("expected a service error, got {other:?}"),
            ::std::result::Result::Ok(output) => panic!("expected an error, got {output:?}"),
        };
        assert_eq!(error.raw().status().as_u16(), #status, "HTTP status");
        let error = error.into_err();
        {
            let meta = crate::runtime::error::ProvideErrorMetadata::meta(&error);
            #code_check
            #type_check
            #message_check
            assert_eq!(meta.status(), #status, "HTTP status in the error's metadata");
        }
        #variant_check
    }
}

/// `DeepEq` for every structure and enum a response can hold: structures member by member
/// (outputs without their request id, errors without their metadata), enums by value.
fn deep_eq_impls(cx: &Ctx) -> Vec<TokenStream> {
    let rt = quote!(crate::runtime::protocol_tests);
    cx.svc
        .output_closure()
        .into_iter()
        .filter_map(|id| {
            let shape = cx.svc.shape(&id);
            let ty = cx.rust_type(&id);
            match &shape.kind {
                ShapeKind::Structure(st) => {
                    let checks: Vec<TokenStream> = st
                        .members
                        .iter()
                        .map(|m| {
                            let f = ident(&m.rust_name);
                            let label = &m.wire_name;
                            quote!(#rt::DeepEq::deep_diff(&self.#f, &expected.#f, &#rt::field(path, #label), out);)
                        })
                        .collect();
                    let (e, p, o) = if checks.is_empty() {
                        (quote!(_expected), quote!(_path), quote!(_out))
                    } else {
                        (quote!(expected), quote!(path), quote!(out))
                    };
                    Some(quote! {
                        impl #rt::DeepEq for #ty {
                            fn deep_diff(&self, #e: &Self, #p: &str, #o: &mut ::std::vec::Vec<::std::string::String>) {
                                #(#checks)*
                            }
                        }
                    })
                }
                // The same member: compared inside; anything else: compared as a whole.
                ShapeKind::Union(u) => {
                    let arms = u.members.iter().zip(&u.variants).map(|(m, v)| {
                        let v = ident(v);
                        let label = &m.wire_name;
                        quote!((#ty::#v(a), #ty::#v(e)) => #rt::DeepEq::deep_diff(a, e, &#rt::field(path, #label), out),)
                    });
                    Some(quote! {
                        impl #rt::DeepEq for #ty {
                            fn deep_diff(&self, expected: &Self, path: &str, out: &mut ::std::vec::Vec<::std::string::String>) {
                                match (self, expected) {
                                    #(#arms)*
                                    _ => #rt::eq_diff(self, expected, path, out),
                                }
                            }
                        }
                    })
                }
                ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => Some(quote! {
                    impl #rt::DeepEq for #ty {
                        fn deep_diff(&self, expected: &Self, path: &str, out: &mut ::std::vec::Vec<::std::string::String>) {
                            #rt::eq_diff(self, expected, path, out);
                        }
                    }
                }),
                // Collections and scalars: the runtime's own `DeepEq` impls.
                ShapeKind::List(_) | ShapeKind::Map { .. } | ShapeKind::String | ShapeKind::Blob | ShapeKind::Boolean | number_kind!() | ShapeKind::Timestamp | ShapeKind::Document => None,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// A Rust expression for a value (its depth is bounded by `MAX_TEST_VALUE_NESTING`).
fn value_expr(cx: &Ctx, v: &TestValue) -> TokenStream {
    let boxed = |boxed: bool, e: TokenStream| {
        if boxed {
            quote!(::std::boxed::Box::new(#e))
        } else {
            e
        }
    };
    match v {
        TestValue::Struct { shape, fields } => {
            let ty = cx.rust_type(shape);
            // Assignments rather than a struct literal: outputs have a private field.
            if fields.is_empty() {
                return quote!(<#ty as ::std::default::Default>::default());
            }
            let fields = fields.iter().map(|field| {
                let f = ident(&field.rust_name);
                let e = boxed(field.boxed, value_expr(cx, &field.value));
                quote!(v.#f = ::std::option::Option::Some(#e);)
            });
            quote!({
                let mut v = <#ty as ::std::default::Default>::default();
                #(#fields)*
                v
            })
        }
        TestValue::Union {
            shape,
            variant,
            boxed: is_boxed,
            value,
        } => {
            let ty = cx.rust_type(shape);
            let variant = ident(variant);
            let e = boxed(*is_boxed, value_expr(cx, value));
            quote!(#ty::#variant(#e))
        }
        TestValue::List(items) if items.is_empty() => quote!(::std::vec::Vec::new()),
        TestValue::List(items) => {
            let items = items.iter().map(|x| value_expr(cx, x));
            quote!(::std::vec![#(#items),*])
        }
        TestValue::Map(entries) if entries.is_empty() => {
            quote!(::std::collections::HashMap::new())
        }
        TestValue::Map(entries) => {
            let entries = entries.iter().map(|(k, x)| {
                let (k, x) = (value_expr(cx, k), value_expr(cx, x));
                quote!((#k, #x))
            });
            quote!(::std::collections::HashMap::from([#(#entries),*]))
        }
        TestValue::String(s) => quote!(::std::string::String::from(#s)),
        TestValue::Enum { shape, value } => {
            let ty = cx.rust_type(shape);
            quote!(<#ty>::from(#value))
        }
        TestValue::IntEnum { shape, value } => {
            let ty = cx.rust_type(shape);
            let lit = Literal::i32_suffixed(*value);
            quote!(<#ty>::from(#lit))
        }
        TestValue::Boolean(b) => quote!(#b),
        TestValue::Byte(n) => Literal::i8_suffixed(*n).into_token_stream(),
        TestValue::Short(n) => Literal::i16_suffixed(*n).into_token_stream(),
        TestValue::Integer(n) => Literal::i32_suffixed(*n).into_token_stream(),
        TestValue::Long(n) => Literal::i64_suffixed(*n).into_token_stream(),
        TestValue::Float(x) => float(x, quote!(f32), |x| Literal::f32_suffixed(*x)),
        TestValue::Double(x) => float(x, quote!(f64), |x| Literal::f64_suffixed(*x)),
        TestValue::Timestamp { secs, nanos } => {
            quote!(crate::primitives::DateTime::from_secs_and_nanos(#secs, #nanos))
        }
        TestValue::Blob(s) => quote!(crate::primitives::Blob::new(#s)),
        TestValue::Document(json) => quote!(crate::runtime::protocol_tests::document(#json)),
        TestValue::Entry(None) => quote!(::std::option::Option::None),
        TestValue::Entry(Some(v)) => {
            let v = value_expr(cx, v);
            quote!(::std::option::Option::Some(#v))
        }
    }
}

fn float<T>(x: &Float<T>, ty: TokenStream, lit: impl Fn(&T) -> Literal) -> TokenStream {
    match x {
        Float::Finite(x) => {
            let l = lit(x);
            quote!(#l)
        }
        Float::NaN => quote!(#ty::NAN),
        Float::Infinity => quote!(#ty::INFINITY),
        Float::NegInfinity => quote!(#ty::NEG_INFINITY),
    }
}
