//! [`ir::RuleSet`](super::ir::RuleSet) -> the `RULES` static of the runtime's
//! `endpoint::rules` types. Reads only the IR: templates and paths are emitted as the segments
//! and steps the parser made of them.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::ir::{
    Call, Condition, Endpoint, Expr, Function, ParamDefault, ParamType, Parameter, Rule, RuleKind,
    RuleSet, Segment, Step,
};

/// `pub static RULES: #runtime_path::endpoint::rules::RuleSet = ...;`
pub fn rule_set(rules: &RuleSet, runtime_path: &TokenStream) -> TokenStream {
    let version = rules.version.as_str();
    let params = rules.parameters.iter().map(parameter);
    let body = rules.rules.iter().map(rule);
    let rt = quote!(#runtime_path::endpoint::rules);
    let doc = format!(
        " The service's endpoint rule set (`smithy.rules#endpointRuleSet`, version {version})."
    );
    quote! {
        #[doc = #doc]
        ///
        /// Evaluated by `runtime::endpoint::resolve`.
        pub static RULES: #rt::RuleSet = {
            use #rt::*;
            RuleSet {
                version: #version,
                parameters: &[#(#params),*],
                rules: &[#(#body),*],
            }
        };
    }
}

fn parameter(p: &Parameter) -> TokenStream {
    let name = &p.name;
    let ty = match p.ty {
        ParamType::String => quote!(ParamType::String),
        ParamType::Boolean => quote!(ParamType::Boolean),
        ParamType::StringArray => quote!(ParamType::StringArray),
    };
    let built_in = match &p.built_in {
        None => quote!(None),
        Some(b) => quote!(Some(#b)),
    };
    let required = p.required;
    let default = match &p.default {
        None => quote!(None),
        Some(ParamDefault::String(s)) => quote!(Some(DefaultValue::String(#s))),
        Some(ParamDefault::Bool(b)) => quote!(Some(DefaultValue::Bool(#b))),
        Some(ParamDefault::StringArray(items)) => {
            quote!(Some(DefaultValue::StringArray(&[#(#items),*])))
        }
    };
    quote! {
        Parameter {
            name: #name,
            ty: #ty,
            built_in: #built_in,
            required: #required,
            default: #default,
        }
    }
}

fn rule(r: &Rule) -> TokenStream {
    let conditions = r.conditions.iter().map(condition);
    match &r.kind {
        RuleKind::Endpoint(e) => {
            let endpoint = endpoint(e);
            quote!(Rule::Endpoint { conditions: &[#(#conditions),*], endpoint: #endpoint })
        }
        RuleKind::Error(message) => {
            let message = expr(message);
            quote!(Rule::Error { conditions: &[#(#conditions),*], message: #message })
        }
        RuleKind::Tree(rules) => {
            let rules = rules.iter().map(rule);
            quote!(Rule::Tree { conditions: &[#(#conditions),*], rules: &[#(#rules),*] })
        }
    }
}

fn condition(c: &Condition) -> TokenStream {
    let call = call(&c.call);
    let assign = match &c.assign {
        None => quote!(None),
        Some(name) => quote!(Some(#name)),
    };
    quote!(Condition { expr: #call, assign: #assign })
}

fn call(c: &Call) -> TokenStream {
    match c {
        Call::GetAttr { target, path } => {
            let target = expr(target);
            let path = steps(path);
            quote!(Expr::GetAttr(&#target, #path))
        }
        Call::Func { func, args } => {
            let func = Ident::new(func_variant(*func), Span::call_site());
            let args = args.iter().map(expr);
            quote!(Expr::Call(Func::#func, &[#(#args),*]))
        }
    }
}

/// The runtime `Func` variant.
fn func_variant(f: Function) -> &'static str {
    match f {
        Function::IsSet => "IsSet",
        Function::Not => "Not",
        Function::BooleanEquals => "BooleanEquals",
        Function::StringEquals => "StringEquals",
        Function::Substring => "Substring",
        Function::UriEncode => "UriEncode",
        Function::ParseUrl => "ParseUrl",
        Function::IsValidHostLabel => "IsValidHostLabel",
        Function::AwsPartition => "AwsPartition",
        Function::AwsParseArn => "AwsParseArn",
        Function::AwsIsVirtualHostableS3Bucket => "AwsIsVirtualHostableS3Bucket",
        Function::Coalesce => "Coalesce",
        Function::Ite => "Ite",
        Function::Split => "Split",
    }
}

fn expr(e: &Expr) -> TokenStream {
    match e {
        Expr::Bool(b) => quote!(Expr::Bool(#b)),
        Expr::Int(i) => {
            let abs = Literal::u64_unsuffixed(i.unsigned_abs());
            if *i < 0 {
                quote!(Expr::Int(-#abs))
            } else {
                quote!(Expr::Int(#abs))
            }
        }
        Expr::Str(s) => quote!(Expr::Str(#s)),
        Expr::Template(t) => {
            let segments = t.0.iter().map(segment);
            quote!(Expr::Template(&[#(#segments),*]))
        }
        Expr::Ref(name) => quote!(Expr::Ref(#name)),
        Expr::Call(c) => call(c),
        Expr::Array(items) => {
            let items = items.iter().map(expr);
            quote!(Expr::Array(&[#(#items),*]))
        }
        Expr::Record(fields) => {
            let fields = fields.iter().map(|(k, v)| {
                let v = expr(v);
                quote!((#k, #v))
            });
            quote!(Expr::Record(&[#(#fields),*]))
        }
    }
}

fn segment(s: &Segment) -> TokenStream {
    match s {
        Segment::Lit(text) => quote!(Segment::Lit(#text)),
        Segment::Ref(name) => quote!(Segment::Ref(#name)),
        Segment::Attr(name, path) => {
            let path = steps(path);
            quote!(Segment::Attr(#name, #path))
        }
    }
}

fn steps(path: &[Step]) -> TokenStream {
    let steps = path.iter().map(|s| match s {
        Step::Field(name) => quote!(Step::Field(#name)),
        Step::Index(i) => {
            let i = Literal::usize_unsuffixed(*i);
            quote!(Step::Index(#i))
        }
    });
    quote!(&[#(#steps),*])
}

fn endpoint(e: &Endpoint) -> TokenStream {
    let url = expr(&e.url);
    let headers = e.headers.iter().map(|(name, values)| {
        let values = values.iter().map(expr);
        quote!((#name, &[#(#values),*]))
    });
    let properties = e.properties.iter().map(|(key, value)| {
        let value = expr(value);
        quote!((#key, #value))
    });
    quote! {
        EndpointSpec {
            url: #url,
            headers: &[#(#headers),*],
            properties: &[#(#properties),*],
        }
    }
}
