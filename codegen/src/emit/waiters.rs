//! `waiters.rs`: one waiter type per `smithy.waiters#waitable` entry, its acceptors as static
//! data, and the glue that turns typed inputs/outputs into the runtime's path values.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident, types};
use crate::ir::{
    AcceptorState, Expected, Matcher, Member, PathCmp, PathExpr, PathFn, PathLiteral, PathStep,
    ShapeKind,
};

/// Whether the service has any waiter (the file and client methods exist only then).
pub(super) fn any(cx: &Ctx) -> bool {
    cx.svc.operations.iter().any(|o| !o.waiters.is_empty())
}

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let mut roots = BTreeSet::new();
    let mut items = Vec::new();
    let mut client_methods = Vec::new();
    for op in cx.svc.operations.iter().filter(|o| !o.waiters.is_empty()) {
        roots.insert(op.output.clone());
        let uses_input = op
            .waiters
            .iter()
            .flat_map(|w| &w.acceptors)
            .any(|a| matches!(a.matcher, Matcher::InputOutput { .. }));
        if uses_input {
            roots.insert(op.input.clone());
        }
        let m = ident(&op.fn_name);
        let input = ident(&op.names.input);
        let output = ident(&op.names.output);
        let error = ident(&op.names.error);
        let fluent = ident(&op.names.fluent);
        let input_value = if uses_input {
            let f = cx.value_fn(&op.input);
            quote!(super::#f)
        } else {
            quote!(|_| crate::runtime::waiter::Value::Null)
        };
        let output_value = cx.value_fn(&op.output);
        for w in &op.waiters {
            let ty = ident(&w.names.fluent);
            let old = ident(&w.names.legacy);
            let final_poll = ident(&w.names.final_poll);
            let wait_error = ident(&w.names.error);
            let module = ident(&w.names.module);
            let setters = types::fluent_api(cx, &ty.to_string(), cx.svc.shape(&op.input));
            let name = &w.name;
            let (min, max) = (w.min_delay, w.max_delay);
            let acceptors = w.acceptors.iter().map(|a| {
                let state = match a.state {
                    AcceptorState::Success => quote!(Success),
                    AcceptorState::Failure => quote!(Failure),
                    AcceptorState::Retry => quote!(Retry),
                };
                let matcher = match &a.matcher {
                    Matcher::Output { path, expected } => {
                        let (path, expected) = (path_expr(path), expected_value(expected));
                        quote!(Matcher::Output { path: &#path, expected: #expected })
                    }
                    Matcher::InputOutput { path, expected } => {
                        let (path, expected) = (path_expr(path), expected_value(expected));
                        quote!(Matcher::InputOutput { path: &#path, expected: #expected })
                    }
                    Matcher::Success(b) => quote!(Matcher::Success(#b)),
                    Matcher::ErrorType(code) => quote!(Matcher::ErrorType(#code)),
                };
                quote!(Acceptor { state: State::#state, matcher: #matcher })
            });
            let doc = format!(
                "Waits until `{}` says `{name}`: polls every {min} s at first, backing off to at most {max} s, until an acceptor decides or `max_wait` passes. Get one from `client.wait_until_{}()` (trait [`crate::client::Waiters`]).",
                op.wire_name,
                w.fn_name.trim_start_matches("r#")
            );
            let mod_doc = format!("The `{name}` waiter.");
            let fp_doc = format!(
                "How a `{name}` wait ended: `into_result()` gives the last poll's output or error."
            );
            let err_doc = format!("Why a `{name}` wait ended without success.");
            items.push(quote! {
                #[doc = #mod_doc]
                pub mod #module {
                    static SPEC: crate::runtime::waiter::WaiterSpec = {
                        use crate::runtime::waiter::*;
                        WaiterSpec {
                            name: #name,
                            min_delay: ::std::time::Duration::from_secs(#min),
                            max_delay: ::std::time::Duration::from_secs(#max),
                            acceptors: &[#(#acceptors),*],
                        }
                    };
                    #[doc = #fp_doc]
                    pub type #final_poll = crate::runtime::waiter::FinalPoll<
                        crate::operation::#m::#output,
                        crate::error::SdkError<crate::operation::#m::#error>,
                    >;
                    #[doc = #err_doc]
                    pub type #wait_error = crate::runtime::waiter::WaiterError<crate::operation::#m::#output, crate::operation::#m::#error>;
                    #[doc = #doc]
                    #[derive(Clone, Debug)]
                    pub struct #ty {
                        inner: crate::operation::#m::#fluent,
                    }
                    impl #ty {
                        pub(crate) fn new(inner: crate::operation::#m::#fluent) -> Self { Self { inner } }
                        /// Polls until done or until `max_wait` passes.
                        pub async fn wait(self, max_wait: ::std::time::Duration) -> Result<#final_poll, #wait_error> {
                            self.wait_with_clock(max_wait, &crate::runtime::waiter::TokioClock::new()).await
                        }
                        /// Like [`wait`](Self::wait), with an injected clock (for tests).
                        pub async fn wait_with_clock(self, max_wait: ::std::time::Duration, clock: &dyn crate::runtime::waiter::Clock) -> Result<#final_poll, #wait_error> {
                            let (handle, input) = self.inner.into_parts();
                            let input_value: fn(&crate::operation::#m::#input) -> crate::runtime::waiter::Value = #input_value;
                            crate::runtime::waiter::wait(&handle, &crate::operation::#m::OPERATION, input, &SPEC, max_wait, input_value, super::#output_value, clock).await
                        }
                    }
                    #setters
                }
                #[doc = #doc]
                pub use #module::#ty as #old;
            });
            client_methods.push((ident(&w.names.method), m.clone(), module, ty));
        }
    }
    let closure = cx.svc.closure(roots.iter().cloned());
    let values = closure.iter().filter_map(|id| {
        let f = cx.value_fn(id);
        let ty = cx.rust_type(id);
        let body = match &cx.svc.shape(id).kind {
            ShapeKind::Structure(st) => {
                let fields = st.members.iter().map(|mem| {
                    let fld = ident(&mem.rust_name);
                    let wire = &mem.wire_name;
                    let conv = value_of(cx, mem, quote!(x));
                    quote!(if let Some(x) = &v.#fld { o.insert(#wire.to_owned(), #conv); })
                });
                quote! {
                    #[allow(unused_mut)]
                    let mut o = ::std::collections::BTreeMap::new();
                    #(#fields)*
                    crate::runtime::waiter::Value::Object(o)
                }
            }
            // A union reads as an object with its one member, as in JMESPath over the
            // response; `Unknown` as an empty object.
            ShapeKind::Union(u) => {
                let arms = u.members.iter().zip(&u.variants).map(|(mem, var)| {
                    let var = ident(var);
                    let wire = &mem.wire_name;
                    let conv = value_of(cx, mem, quote!(x));
                    quote!(#ty::#var(x) => { o.insert(#wire.to_owned(), #conv); })
                });
                quote! {
                    let mut o = ::std::collections::BTreeMap::new();
                    match v {
                        #(#arms)*
                        #ty::Unknown => {}
                    }
                    crate::runtime::waiter::Value::Object(o)
                }
            }
            ShapeKind::List(item) => {
                let map = match &cx.svc.shape(&item.target).kind {
                    ShapeKind::Structure(_)
                    | ShapeKind::Union(_)
                    | ShapeKind::List(_)
                    | ShapeKind::Map { .. } => {
                        let f = cx.value_fn(&item.target);
                        quote!(#f)
                    }
                    _ => {
                        let conv = value_of(cx, item, quote!(x));
                        quote!(|x| #conv)
                    }
                };
                if cx.svc.shape(id).sparse {
                    quote!(crate::runtime::waiter::Value::List(v.iter().map(|x| match x {
                        Some(x) => (#map)(x),
                        None => crate::runtime::waiter::Value::Null,
                    }).collect()))
                } else {
                    quote!(crate::runtime::waiter::Value::List(v.iter().map(#map).collect()))
                }
            }
            ShapeKind::Map { key, value } => {
                let k = match cx.svc.shape(&key.target).kind {
                    ShapeKind::Enum(_) => quote!(k.as_str().to_owned()),
                    _ => quote!(k.to_string()),
                };
                let conv = value_of(cx, value, quote!(x));
                let conv = if cx.svc.shape(id).sparse {
                    quote!(match x { Some(x) => #conv, None => crate::runtime::waiter::Value::Null })
                } else {
                    conv
                };
                quote!(crate::runtime::waiter::Value::Object(v.iter().map(|(k, x)| (#k, #conv)).collect()))
            }
            _ => return None,
        };
        let arg = match &cx.svc.shape(id).kind {
            ShapeKind::List(_) => {
                let t = cx.entry_type(id);
                quote!(&[#t])
            }
            _ => quote!(&#ty),
        };
        Some(quote! {
            #[allow(unused_variables)]
            pub(crate) fn #f(v: #arg) -> crate::runtime::waiter::Value { #body }
        })
    });
    let (decls, impls): (Vec<_>, Vec<_>) = client_methods
        .iter()
        .map(|(wf, m, module, ty)| {
            let doc = format!("A waiter: polls until the `{module}` condition holds (see [`crate::waiters::{module}`]).");
            (
                quote!(#[doc = #doc] fn #wf(&self) -> crate::waiters::#module::#ty;),
                quote! {
                    fn #wf(&self) -> crate::waiters::#module::#ty {
                        crate::waiters::#module::#ty::new(self.#m())
                    }
                },
            )
        })
        .unzip();
    quote! {
        //! Waiters from `smithy.waiters#waitable`.
        #(#items)*
        #(#values)*
        /// The waiters, as methods of [`Client`](crate::Client): `use <crate>::client::Waiters;`
        /// then `client.wait_until_…()`, as with AWS's Rust SDK.
        pub trait Waiters {
            #(#decls)*
        }
        impl Waiters for crate::Client {
            #(#impls)*
        }
    }
}

fn value_of(cx: &Ctx, m: &Member, x: TokenStream) -> TokenStream {
    let v = quote!(crate::runtime::waiter::Value);
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map { .. } => {
            let f = cx.value_fn(&m.target);
            quote!(#f(#x))
        }
        ShapeKind::String => quote!(#v::String(#x.clone())),
        ShapeKind::Enum(_) => quote!(#v::String(#x.as_str().to_owned())),
        ShapeKind::IntEnum(_) => quote!(#v::Number(f64::from(#x.value()))),
        ShapeKind::Boolean => quote!(#v::Bool(*#x)),
        ShapeKind::Byte | ShapeKind::Short | ShapeKind::Integer | ShapeKind::Float => {
            quote!(#v::Number(f64::from(*#x)))
        }
        ShapeKind::Double => quote!(#v::Number(*#x)),
        ShapeKind::Long => quote!(#v::Number(*#x as f64)),
        ShapeKind::Timestamp => quote!(#v::Number(#x.as_secs_f64())),
        // A blob or document has no JMESPath value the waiter checks compare.
        ShapeKind::Blob | ShapeKind::Document => quote!(#v::Null),
    }
}

/// `expected` as the runtime's `Expected` (in scope through `use crate::runtime::waiter::*`).
fn expected_value(e: &Expected) -> TokenStream {
    match e {
        Expected::StringEquals(s) => quote!(Expected::StringEquals(#s)),
        Expected::BooleanEquals(b) => quote!(Expected::BooleanEquals(#b)),
        Expected::AllStringEquals(s) => quote!(Expected::AllStringEquals(#s)),
        Expected::AnyStringEquals(s) => quote!(Expected::AnyStringEquals(#s)),
    }
}

/// A literal as the runtime's `Literal`.
fn literal(l: &PathLiteral) -> TokenStream {
    match l {
        PathLiteral::Null => quote!(Literal::Null),
        PathLiteral::Bool(b) => quote!(Literal::Bool(#b)),
        // Finite (`ir::waiter_path` checks); a literal token carries no sign.
        PathLiteral::Number(n) => {
            let abs = proc_macro2::Literal::f64_suffixed(n.abs());
            if n.is_sign_negative() {
                quote!(Literal::Number(-#abs))
            } else {
                quote!(Literal::Number(#abs))
            }
        }
        PathLiteral::String(s) => quote!(Literal::String(#s)),
        PathLiteral::List(items) => {
            let items = items.iter().map(literal);
            quote!(Literal::List(&[#(#items),*]))
        }
        PathLiteral::Object(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let v = literal(v);
                quote!((#k, #v))
            });
            quote!(Literal::Object(&[#(#entries),*]))
        }
    }
}

/// A parsed waiter path as a constant runtime `Expr` (its depth bounded by `ir::waiter_path`).
fn path_expr(e: &PathExpr) -> TokenStream {
    match e {
        PathExpr::Literal(l) => {
            let l = literal(l);
            quote!(Expr::Literal(#l))
        }
        PathExpr::Current => quote!(Expr::Current),
        PathExpr::Path(base, steps) => {
            let base = path_expr(base);
            let steps = steps.iter().map(|s| match s {
                PathStep::Field(name) => quote!(Step::Field(#name)),
                PathStep::Index(i) => {
                    let abs = proc_macro2::Literal::u64_unsuffixed(i.unsigned_abs());
                    if *i < 0 {
                        quote!(Step::Index(-#abs))
                    } else {
                        quote!(Step::Index(#abs))
                    }
                }
                PathStep::Values => quote!(Step::Values),
                PathStep::Items => quote!(Step::Items),
                PathStep::Flatten => quote!(Step::Flatten),
                PathStep::Filter(cond) => {
                    let cond = path_expr(cond);
                    quote!(Step::Filter(&#cond))
                }
                PathStep::Select(items) => {
                    let items = items.iter().map(path_expr);
                    quote!(Step::Select(&[#(#items),*]))
                }
            });
            quote!(Expr::Path(&#base, &[#(#steps),*]))
        }
        PathExpr::Call(f, args) => {
            let f = match f {
                PathFn::Abs => quote!(Abs),
                PathFn::Contains => quote!(Contains),
                PathFn::EndsWith => quote!(EndsWith),
                PathFn::Keys => quote!(Keys),
                PathFn::Length => quote!(Length),
                PathFn::Max => quote!(Max),
                PathFn::Min => quote!(Min),
                PathFn::NotNull => quote!(NotNull),
                PathFn::StartsWith => quote!(StartsWith),
                PathFn::Sum => quote!(Sum),
                PathFn::ToArray => quote!(ToArray),
                PathFn::Type => quote!(Type),
                PathFn::Values => quote!(Values),
            };
            let args = args.iter().map(path_expr);
            quote!(Expr::Call(Func::#f, &[#(#args),*]))
        }
        PathExpr::Compare(op, a, b) => {
            let op = match op {
                PathCmp::Eq => quote!(Eq),
                PathCmp::Ne => quote!(Ne),
                PathCmp::Lt => quote!(Lt),
                PathCmp::Le => quote!(Le),
                PathCmp::Gt => quote!(Gt),
                PathCmp::Ge => quote!(Ge),
            };
            let (a, b) = (path_expr(a), path_expr(b));
            quote!(Expr::Compare(Cmp::#op, &#a, &#b))
        }
        PathExpr::And(a, b) => {
            let (a, b) = (path_expr(a), path_expr(b));
            quote!(Expr::And(&#a, &#b))
        }
        PathExpr::Or(a, b) => {
            let (a, b) = (path_expr(a), path_expr(b));
            quote!(Expr::Or(&#a, &#b))
        }
        PathExpr::Not(a) => {
            let a = path_expr(a);
            quote!(Expr::Not(&#a))
        }
        PathExpr::Pipe(a, b) => {
            let (a, b) = (path_expr(a), path_expr(b));
            quote!(Expr::Pipe(&#a, &#b))
        }
    }
}
