//! `operation.rs`: one module per operation with its input, output, error enum and fluent
//! builder, and the static description the runtime's `invoke` runs.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Ctx, docs, ident, indent, types};
use crate::ir::{Home, ItemsKind, MemberPath, Operation, ShapeKind};
use crate::naming;
use crate::protocol::ResponseFormat;

pub(super) fn emit(cx: &Ctx) -> TokenStream {
    let mods = cx.svc.operations.iter().map(|op| operation(cx, op));
    quote! {
        //! One module per operation: input, output, errors and the fluent builder.
        /// The request id AWS assigned to a call: on outputs, operation errors and `SdkError`.
        pub use crate::runtime::send::RequestId;
        #(#mods)*
    }
}

/// Which of an operation's two structures.
#[derive(Clone, Copy)]
enum Io {
    Input,
    Output,
}

fn io_type(cx: &Ctx, op: &Operation, io: Io) -> TokenStream {
    let (id, alias, builder_alias, what) = match io {
        Io::Input => (&op.input, &op.names.input, &op.names.input_builder, "input"),
        Io::Output => (
            &op.output,
            &op.names.output,
            &op.names.output_builder,
            "output",
        ),
    };
    let shape = cx.svc.shape(id);
    if shape.home == Home::Operation(op.fn_name.clone())
        && let ShapeKind::Structure(st) = &shape.kind
    {
        return types::structure(cx, shape, st);
    }
    let alias = ident(alias);
    let builder_alias = ident(builder_alias);
    let path = cx.type_path(id);
    let builder = ident(&shape.names.builder);
    let builder_path = match &shape.home {
        Home::Error => quote!(crate::types::error::#builder),
        Home::Types | Home::Operation(_) => quote!(crate::types::#builder),
    };
    let doc = format!("The {what} of `{}` (a shared type).", op.wire_name);
    quote!(#[doc = #doc] pub use #path as #alias; #[doc = #doc] pub use #builder_path as #builder_alias;)
}

pub(super) fn op_doc(cx: &Ctx, op: &Operation) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &op.docs {
        parts.push(docs::from_html(d));
    } else if let Some(note) = cx.notes.operations.get(&op.wire_name) {
        parts.push(note.clone());
    }
    parts.push(cx.protocol.describe(cx.svc, op));
    let members = |id: &str| -> Vec<String> {
        cx.svc
            .structure(id)
            .members
            .iter()
            .map(|m| {
                let mut line = format!(
                    "- `{}` (`{}`): {}{}",
                    naming::bare(&m.rust_name),
                    m.wire_name,
                    docs::type_phrase(cx, &m.target),
                    if m.required {
                        ", **required**"
                    } else {
                        ", optional"
                    }
                );
                for c in docs::constraint_text(&m.constraints)
                    .into_iter()
                    .chain(docs::constraint_text(&cx.svc.shape(&m.target).constraints))
                {
                    line.push_str("; ");
                    line.push_str(c.trim_end_matches('.'));
                }
                if let Some(note) = docs::member_note(cx, id, m) {
                    line.push_str(". ");
                    line.push_str(note);
                }
                line
            })
            .collect()
    };
    let input = members(&op.input);
    let input_path = cx.type_path(&op.input).to_string().replace(' ', "");
    parts.push(if input.is_empty() {
        "**Input:** none.".to_owned()
    } else {
        format!("**Input** ([`{}`]({input_path}), set with the builder's methods of the same names):\n{}", cx.svc.shape(&op.input).rust_name, input.join("\n"))
    });
    let output = members(&op.output);
    let output_path = cx.type_path(&op.output).to_string().replace(' ', "");
    parts.push(if output.is_empty() {
        format!(
            "**Output:** [`{}`]({output_path}), empty but for the request id.",
            cx.svc.shape(&op.output).rust_name
        )
    } else {
        format!(
            "**Output** ([`{}`]({output_path})):\n{}",
            cx.svc.shape(&op.output).rust_name,
            output.join("\n")
        )
    });
    if let Some(p) = &op.paginated {
        let items = match &p.items {
            Some(items) => format!(", `.items()` for each of `{}`", items.path.wire_path()),
            None => String::new(),
        };
        parts.push(format!(
            "**Paginated:** `{}().into_paginator()` pages through results (`.send()` for pages{items}).",
            naming::bare(&op.fn_name)
        ));
    }
    for w in &op.waiters {
        parts.push(format!(
            "**Waiter:** `{}()` polls this operation until `{}` holds.",
            w.names.method, w.name
        ));
    }
    if let Some(reason) = &op.omitted_paginator {
        parts.push(format!("The paginator is not generated: {reason}."));
    }
    for (name, reason) in &op.omitted_waiters {
        parts.push(format!("Waiter `{name}` is not generated: {reason}."));
    }
    let errors: Vec<String> = op
        .errors
        .iter()
        .map(|e| {
            let path = cx.type_path(e).to_string().replace(' ', "");
            let code = cx.svc.error_code(e).to_owned();
            format!("[`{}`]({path}) (`{code}`)", cx.svc.shape(e).rust_name)
        })
        .collect();
    parts.push(if errors.is_empty() {
        "**Errors:** none modeled; every service error arrives as `Unhandled`, with its code, message and request id.".to_owned()
    } else {
        format!("**Errors:** {}; any other code arrives as `Unhandled`.", errors.join(", "))
    });
    parts.push(format!(
        "AWS API reference: <https://docs.aws.amazon.com/goto/WebAPI/{}/{}>",
        cx.svc.doc_id, op.wire_name
    ));
    parts.join("\n\n")
}

fn operation(cx: &Ctx, op: &Operation) -> TokenStream {
    let m = ident(&op.fn_name);
    let names = &op.names;
    let (input, output, error, fluent) = (&names.input, &names.output, &names.error, &names.fluent);
    let input_decl = io_type(cx, op, Io::Input);
    let output_decl = io_type(cx, op, Io::Output);
    let wire = &op.wire_name;
    let error_doc = format!(
        "Errors `{wire}` can return: the modeled ones, then `Unhandled` for any other code."
    );
    let mod_doc = format!("The `{wire}` operation.");

    let (input_builder, output_builder) = (&names.input_builder, &names.output_builder);
    let variants: String = op
        .errors
        .iter()
        .map(|e| {
            let shape = cx.svc.shape(e);
            format!(
                "    {}({}) {} {:?} crate::generated::de::{};\n",
                shape.rust_name,
                super::type_text(&cx.type_path(e)),
                shape.names.is_fn,
                cx.svc.error_code(e),
                shape.names.de_fn
            )
        })
        .collect();
    let variants = if variants.is_empty() {
        "{}".to_owned()
    } else {
        format!("{{\n{}    }}", indent(&variants))
    };
    let source = match cx.protocol.response() {
        ResponseFormat::Xml => "crate::runtime::xml::Node<'_>",
        ResponseFormat::Json => "crate::runtime::json::ErrorBody<'_>",
    };
    let errors = cx.verbatim(format!(
        "crate::runtime::macros::operation_error! {{\n    /// {error_doc}\n    {error} [{source}] {variants}\n}}\n"
    ));

    let setters = types::fluent_members(cx, cx.svc.shape(&op.input));
    // Paginators and waiters take the builder apart; other operations have no use for it.
    let into_parts = if op.paginated.is_some() || !op.waiters.is_empty() {
        "yes"
    } else {
        ""
    };
    let paginator = paginator(cx, op);
    // Only an input of its own: a shared input type would get one `send_with` per operation.
    let send_with = if cx.svc.shape(&op.input).home == Home::Operation(op.fn_name.clone()) {
        "crate::Client"
    } else {
        ""
    };
    let validate = cx.validate_fn(&op.input);
    let (build, parse) = (&names.build_fn, &names.parse_fn);
    let host_prefix = match &op.host_prefix {
        Some(_) => format!("Some(crate::generated::ser::{})", names.host_prefix_fn),
        None => "None".to_owned(),
    };
    let endpoint_params = if op.context_params.is_empty() {
        "None".to_owned()
    } else {
        format!("Some(crate::generated::ser::{})", names.endpoint_params_fn)
    };
    let fill_idempotency = if !op.idempotency_members.is_empty() {
        format!("Some(crate::generated::ser::{})", names.fill_idempotency_fn)
    } else {
        "None".to_owned()
    };
    let compression = op.request_compression.iter().any(|e| e == "gzip");
    let fluent_doc = format!(
        "Builds and sends a `{wire}` request; see [`crate::Client::{}`].",
        naming::bare(&op.fn_name)
    );
    let operation = cx.verbatim(format!(
        "crate::runtime::macros::operation! {{\n    /// {fluent_doc}\n    {fluent}, {m}, {wire:?};\n    \
         input {input} {input_builder}, output {output} {output_builder}, error {error};\n    \
         validate crate::generated::validate::{validate}, build crate::generated::ser::{build}, parse crate::generated::de::{parse};\n    \
         host_prefix {host_prefix}, endpoint_params {endpoint_params}, fill_idempotency {fill_idempotency}, compression {compression};\n    \
         into_parts [{into_parts}], send_with [{send_with}];\n{}}}\n",
        indent(&setters)
    ));

    quote! {
        #[doc = #mod_doc]
        pub mod #m {
            #input_decl
            #output_decl
            #errors
            #operation
            #paginator
        }
    }
}

/// The output token read through its path (`o` the page), an `Option<&K>`: `o.next.as_ref()`,
/// or `o.engine_defaults.as_ref()?.marker.as_ref()` through a structure that may be missing
/// (the closure returns `Option`, so a missing one is no token). `ir::pagination` checked every
/// step and bounded the path's length.
fn token_chain(path: &MemberPath) -> TokenStream {
    let via = path.via.iter().map(|m| ident(&m.rust_name));
    let last = ident(&path.member.rust_name);
    quote!(o #(.#via.as_ref()?)* .#last.as_ref())
}

/// The items member taken out of the page `o` through its path, an `Option` of the list or map:
/// `o.things`, or `o.engine_defaults.and_then(|s| s.parameters)` (a missing structure on the way
/// is no items; a boxed one, `Option<Box<_>>`, gives up its field the same way). Lists and maps
/// are never boxed (`ir::checks::mark_boxed`), so the end needs no unboxing.
fn items_chain(path: &MemberPath) -> TokenStream {
    let first = path.via.first().unwrap_or(&path.member);
    let head = ident(&first.rust_name);
    let rest = path.via.iter().skip(1).chain(
        // The last member, unless it is also the first.
        (!path.via.is_empty()).then_some(&path.member),
    );
    let rest = rest.map(|m| ident(&m.rust_name));
    quote!(o.#head #(.and_then(|s| s.#rest))*)
}

/// `into_paginator()` on the fluent builder and the paginator type, for `@paginated`
/// operations (their members resolved in `ir::pagination`).
fn paginator(cx: &Ctx, op: &Operation) -> TokenStream {
    let Some(p) = &op.paginated else {
        return quote!();
    };
    let out_tok = p.output_token.wire_path();
    let names = &op.names;
    let input = ident(&names.input);
    let output = ident(&names.output);
    let error = ident(&names.error);
    let fluent = ident(&names.fluent);
    let paginator = ident(&names.paginator);
    let items_ty = ident(&names.paginator_items);
    let in_f = ident(&p.input_token.rust_name);
    // `String`, or the map a DynamoDB `LastEvaluatedKey` is (`ir::pagination` checked that both
    // sides hold the same shape).
    let token = cx.rust_type(&p.input_token.target);
    let next_token = token_chain(&p.output_token);
    let items = p.items.as_ref().map(|items| {
        let ty = match &items.kind {
            ItemsKind::List { item } => cx.rust_type(item),
            ItemsKind::Map { key, value } => {
                let (k, v) = (cx.rust_type(key), cx.rust_type(value));
                quote!((#k, #v))
            }
        };
        (&items.path, &items.kind, ty)
    });
    let (items_alias, items_use) = match &items {
        Some((_, _, t)) => (
            quote! {
                /// What `items()` returns; `send()` starts the stream of items.
                pub type #items_ty = crate::runtime::paginator::PaginatorItems<#input, #output, #error, #t, #token>;
            },
            quote!(pub use super::#items_ty;),
        ),
        None => (quote!(), quote!()),
    };
    let (item_ty, items_fn, items_method) = match &items {
        Some((path, kind, t)) => {
            let doc = format!("A stream of the `{}` of every page.", path.wire_path());
            let items = items_chain(path);
            let take = match kind {
                ItemsKind::List { .. } => quote!(|o| #items.unwrap_or_default()),
                // A map's entries, in no particular order.
                ItemsKind::Map { .. } => {
                    quote!(|o| #items.unwrap_or_default().into_iter().collect())
                }
            };
            (
                t.clone(),
                take,
                quote! {
                    #[doc = #doc]
                    pub fn items(self) -> #items_ty {
                        crate::runtime::paginator::PaginatorItems::new(self.handle, &OPERATION, self.input, &PAGINATION)
                    }
                },
            )
        }
        None => (quote!(()), quote!(|_| Vec::new()), quote!()),
    };
    // `ir::pagination` accepts only integer page sizes.
    let page_size = p.page_size.as_ref().map(|m| {
        let f = ident(&m.rust_name);
        let doc = format!("Asks for at most `n` results per page (`{}`).", m.wire_name);
        quote! {
            #[doc = #doc]
            pub fn page_size(mut self, n: i32) -> Self { self.input.#f = Some(n); self }
        }
    });
    let doc = format!(
        "Pages through `{}`, following `{out_tok}` until the service stops returning one.",
        op.wire_name
    );
    quote! {
        static PAGINATION: crate::runtime::paginator::PaginationSpec<#input, #output, #item_ty, #token> = crate::runtime::paginator::PaginationSpec {
            next_token: |o| #next_token,
            set_token: |i, t| i.#in_f = Some(t),
            items: #items_fn,
        };
        impl #fluent {
            #[doc = #doc]
            pub fn into_paginator(self) -> #paginator {
                let (handle, input) = self.into_parts();
                #paginator { handle, input }
            }
        }
        #[doc = #doc]
        pub struct #paginator {
            handle: crate::runtime::send::SharedHandle,
            input: #input,
        }
        #items_alias
        /// The paginator types, where AWS's Rust SDK has them.
        pub mod paginator {
            pub use super::#paginator;
            #items_use
        }
        impl #paginator {
            /// Accepted for compatibility: a page whose token repeats the previous one always
            /// ends the stream (a service bug would otherwise loop forever).
            pub fn stop_on_duplicate_token(self, _stop: bool) -> Self { self }
            #page_size
            /// A stream of pages (also `next().await` without a futures crate).
            pub fn send(self) -> crate::runtime::paginator::PageStream<#input, #output, #error, #token> {
                crate::runtime::paginator::PageStream::new(self.handle, &OPERATION, self.input, &PAGINATION)
            }
            #items_method
        }
    }
}
