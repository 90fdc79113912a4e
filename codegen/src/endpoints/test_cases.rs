//! Typed endpoint test cases ([`cases`](super::cases)) -> `#[test]` functions calling the
//! runtime resolver. Reads only the parsed cases.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::cases::{BuiltInInput, Expectation, ExpectedEndpoint, ParamValue, Property, TestCase};

/// One `#[test]` per case, asserting the exact URL (plus headers and properties when the case
/// gives them) or the exact error message; a case with built-in-only `operationInputs` is
/// also resolved from each of those.
pub fn emit(
    cases: &[TestCase],
    runtime_path: &TokenStream,
    rules_path: &TokenStream,
) -> TokenStream {
    let ep = quote!(#runtime_path::endpoint);
    let tests = cases.iter().map(|case| {
        let fn_name = Ident::new(&case.fn_name, Span::call_site());
        let setters = case.params.iter().map(|(name, value)| {
            let value = param_value(value, &ep);
            quote!(.with_param(#name, #value))
        });
        let check = expectation(&case.expect, &ep, rules_path, &case.label);
        let via_built_ins = case.via_built_ins.iter().map(|input| {
            let setters = built_in_setters(input, &ep);
            quote! {
                let params = #ep::Params::new() #(#setters)*;
                #check
            }
        });
        let doc_attr = format!(" {}", case.label);
        quote! {
            #[doc = #doc_attr]
            #[test]
            fn #fn_name() {
                let params = #ep::Params::new() #(#setters)*;
                #check
                #(#via_built_ins)*
            }
        }
    });
    quote!(#(#tests)*)
}

fn expectation(
    expect: &Expectation,
    ep: &TokenStream,
    rules: &TokenStream,
    label: &str,
) -> TokenStream {
    match expect {
        Expectation::Endpoint(e) => {
            let msg = format!("{label}: expected an endpoint");
            let checks = endpoint_checks(e, ep);
            quote! {
                let endpoint = #ep::resolve(&#rules::RULES, &params).expect(#msg);
                #(#checks)*
            }
        }
        Expectation::Error(message) => {
            let msg = format!("{label}: expected the error {message:?}");
            quote! {
                let error = #ep::resolve(&#rules::RULES, &params).expect_err(#msg);
                assert_eq!(error.to_string(), #message);
            }
        }
    }
}

fn endpoint_checks(e: &ExpectedEndpoint, ep: &TokenStream) -> Vec<TokenStream> {
    let url = &e.url;
    let mut checks = vec![quote!(assert_eq!(endpoint.url, #url);)];
    if let Some(headers) = &e.headers {
        let n = Literal::usize_unsuffixed(headers.len());
        checks.push(quote!(assert_eq!(endpoint.headers.len(), #n);));
        for (name, values) in headers {
            checks.push(quote! {
                assert_eq!(
                    endpoint.header(#name),
                    Some(&[#(::std::string::String::from(#values)),*][..])
                );
            });
        }
    }
    if let Some(p) = &e.properties {
        let expected = value_tokens(p, ep);
        checks.push(quote! {
            assert_eq!(#ep::Value::Record(endpoint.properties.clone()), #expected);
        });
    }
    if let Some(s) = &e.sigv4 {
        for (expected, fieldname) in [
            (&s.signing_region, quote!(signing_region)),
            (&s.signing_name, quote!(signing_name)),
        ] {
            let expected = match expected {
                Some(v) => quote!(Some(#v)),
                None => quote!(None),
            };
            checks.push(quote!(assert_eq!(endpoint.#fieldname.as_deref(), #expected);));
        }
    }
    checks
}

fn built_in_setters(input: &BuiltInInput, ep: &TokenStream) -> Vec<TokenStream> {
    let built_ins = input.built_ins.iter().map(|(id, value)| {
        let value = param_value(value, ep);
        quote!(.with_built_in(#id, #value))
    });
    let client = input
        .client_params
        .iter()
        .chain(&input.static_params)
        .map(|(name, value)| {
            let value = param_value(value, ep);
            quote!(.with_param(#name, #value))
        });
    built_ins.chain(client).collect()
}

fn param_value(v: &ParamValue, ep: &TokenStream) -> TokenStream {
    match v {
        ParamValue::String(s) => quote!(#s),
        ParamValue::Bool(b) => quote!(#b),
        ParamValue::StringArray(items) => {
            quote!(#ep::ParamValue::StringArray(vec![#(::std::string::String::from(#items)),*]))
        }
    }
}

/// A runtime `Value` constructor for an expected property value.
fn value_tokens(v: &Property, ep: &TokenStream) -> TokenStream {
    match v {
        Property::String(s) => quote!(#ep::Value::String(::std::string::String::from(#s))),
        Property::Bool(b) => quote!(#ep::Value::Bool(#b)),
        Property::Int(i) => {
            let abs = Literal::u64_unsuffixed(i.unsigned_abs());
            if *i < 0 {
                quote!(#ep::Value::Int(-#abs))
            } else {
                quote!(#ep::Value::Int(#abs))
            }
        }
        Property::Array(items) => {
            let items = items.iter().map(|v| value_tokens(v, ep));
            quote!(#ep::Value::Array(vec![#(#items),*]))
        }
        Property::Record(fields) if fields.is_empty() => {
            quote!(#ep::Value::Record(::std::collections::BTreeMap::new()))
        }
        Property::Record(fields) => {
            let fields = fields.iter().map(|(k, v)| {
                let v = value_tokens(v, ep);
                quote!((#k, #v))
            });
            quote!(#ep::Value::record([#(#fields),*]))
        }
    }
}
