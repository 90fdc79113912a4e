//! `error_meta.rs`: the service's `Error`, one variant per modeled error of the service, with
//! `From` every operation's error and every operation's `SdkError`, as AWS's Rust SDK has it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, ident};
use crate::ir::{Home, ShapeKind};

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let errors: Vec<_> = cx
        .svc
        .shapes
        .values()
        .filter(|s| s.home == Home::Error && matches!(s.kind, ShapeKind::Structure(_)))
        .collect();
    let variants = errors.iter().map(|s| {
        let v = ident(&s.rust_name);
        let path = cx.type_path(&s.id);
        let doc = format!("The modeled error `{}`.", cx.svc.error_code(&s.id));
        quote!(#[doc = #doc] #v(#path),)
    });
    let names: Vec<_> = errors.iter().map(|s| ident(&s.rust_name)).collect();
    let froms = cx.svc.operations.iter().map(|op| {
        let m = ident(&op.fn_name);
        let e = ident(&op.names.error);
        let vs = op
            .errors
            .iter()
            .map(|id| ident(&cx.svc.shape(id).rust_name));
        quote! {
            use crate::operation::#m::#e;
            crate::runtime::macros::service_error_from!(Error, #e { #(#vs),* });
        }
    });
    quote! {
        //! The service's error type.
        /// Any error of this service: the modeled ones, and `Unhandled` for every other code and
        /// for failures that are not service errors. Every operation's error and `SdkError`
        /// converts into it with `?`, so one function can return `Result<_, Error>` whatever it
        /// calls.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            #(#variants)*
            /// Any other error: an unmodeled code, or a failure that was not a service error.
            /// Read it through [`ProvideErrorMetadata`](crate::error::ProvideErrorMetadata) and
            /// `Error::source` rather than matching on it.
            Unhandled(crate::error::Unhandled),
        }
        crate::runtime::macros::service_error!(Error { #(#names),* });
        #(#froms)*
    }
}
