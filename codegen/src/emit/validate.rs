//! `validate.rs`: checks from the model's constraint traits (`@required`, `@length`, `@range`,
//! `@pattern`), run before any network I/O. Violations are collected, not short-circuited.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Ctx, ident};
use crate::error::Error;
use crate::ir::{Constraints, Member, PatternCheck, ShapeKind, number_kind, scalar_kind};

/// The `static`s of the patterns checked, by the model's pattern text: the name, and the text
/// rewritten for the runtime's regex-lite.
type Patterns = BTreeMap<String, (proc_macro2::Ident, String)>;

/// `@pattern`s are checked as the IR decided (`ir::patterns`): those it left unchecked get no
/// check here (their docs and `Service::omissions` say so).
pub(super) fn emit(cx: &Ctx) -> Result<TokenStream, Error> {
    let mut patterns = Patterns::new();
    let mut fns = Vec::new();
    let inputs: Vec<&str> = cx.svc.operations.iter().map(|o| o.input.as_str()).collect();
    for id in cx.svc.input_closure() {
        // Shapes with nothing to check get no function; operation inputs always get one, as
        // the runtime calls it.
        if !inputs.contains(&id.as_str()) && !has_checks(cx, &id) {
            continue;
        }
        let shape = cx.svc.shape(&id);
        let name = cx.validate_fn(&id);
        let ty = cx.rust_type(&id);
        match &shape.kind {
            ShapeKind::Structure(st) => {
                let checks: Vec<TokenStream> = st
                    .members
                    .iter()
                    .map(|m| {
                        let f = ident(&m.rust_name);
                        let wire = &m.wire_name;
                        let required = m.required.then(|| {
                            quote! {
                                if v.#f.is_none() { out.missing(path, #wire); }
                            }
                        });
                        let inner = value_checks(cx, m, quote!(item), &mut patterns)?;
                        let inner = inner.map(|body| {
                            quote! {
                                if let Some(item) = &v.#f {
                                    let path = &child(path, #wire);
                                    #body
                                }
                            }
                        });
                        Ok(quote!(#required #inner))
                    })
                    .collect::<Result<_, Error>>()?;
                let used = checks.iter().any(|c| !c.is_empty());
                let (v, out, path) = if used {
                    (quote!(v), quote!(out), quote!(path))
                } else {
                    (quote!(_v), quote!(_out), quote!(_path))
                };
                fns.push(quote! {
                    pub(crate) fn #name(#out: &mut Violations, #path: &str, #v: &#ty) {
                        #(#checks)*
                    }
                });
            }
            // Exactly one member is set by construction; what is left to check is the member's
            // own constraints, and that `Unknown` (which only a response can hold) is not sent.
            ShapeKind::Union(u) => {
                let arms: Vec<TokenStream> = u
                    .members
                    .iter()
                    .zip(&u.variants)
                    .map(|(m, v)| {
                        let v = ident(v);
                        let wire = &m.wire_name;
                        Ok(match value_checks(cx, m, quote!(item), &mut patterns)? {
                            Some(body) => quote! {
                                #ty::#v(item) => {
                                    let path = &child(path, #wire);
                                    #body
                                }
                            },
                            None => quote!(#ty::#v(_) => {}),
                        })
                    })
                    .collect::<Result<_, Error>>()?;
                let union_name = crate::naming::ir_local(&id);
                fns.push(quote! {
                    pub(crate) fn #name(out: &mut Violations, path: &str, v: &#ty) {
                        match v {
                            #(#arms)*
                            #ty::Unknown => out.unknown_union_member(path, #union_name),
                        }
                    }
                });
            }
            ShapeKind::List(item) => {
                let inner =
                    value_checks(cx, item, quote!(item), &mut patterns)?.unwrap_or_default();
                let it = cx.entry_type(&id);
                let skip_null =
                    shape_sparse(cx, &id).then(|| quote!(let Some(item) = item else { continue };));
                fns.push(quote! {
                    #[allow(unused_variables)]
                    pub(crate) fn #name(out: &mut Violations, path: &str, v: &[#it]) {
                        for (i, item) in v.iter().enumerate() {
                            #skip_null
                            let path = &index(path, i);
                            #inner
                        }
                    }
                });
            }
            ShapeKind::Map { value, .. } => {
                let inner =
                    value_checks(cx, value, quote!(item), &mut patterns)?.unwrap_or_default();
                let skip_null =
                    shape_sparse(cx, &id).then(|| quote!(let Some(item) = item else { continue };));
                fns.push(quote! {
                    #[allow(unused_variables)]
                    pub(crate) fn #name(out: &mut Violations, path: &str, v: &#ty) {
                        for (key, item) in v.iter() {
                            #skip_null
                            let path = &index(path, key);
                            #inner
                        }
                    }
                });
            }
            scalar_kind!() => {}
        }
    }
    // Both texts: the model's is what violations show; the rewritten one is what is matched.
    let statics = patterns
        .iter()
        .map(|(source, (name, re))| {
            let re = escaped_literal(re)?;
            Ok(quote!(static #name: Pattern = Pattern::new(#source, #re);))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(quote! {
        //! Input validation from the model's constraint traits.
        #[allow(unused_imports)]
        use crate::runtime::validate::{Pattern, Violations, child, index};
        #(#statics)*
        #(#fns)*
    })
}

/// Checks for one present value of member `m` (bound to `item`, a reference), or `None` when
/// the value has nothing to check.
fn value_checks(
    cx: &Ctx,
    m: &Member,
    item: TokenStream,
    patterns: &mut Patterns,
) -> Result<Option<TokenStream>, Error> {
    let target = cx.svc.shape(&m.target);
    let mut out = Vec::new();
    for c in [&m.constraints, &target.constraints] {
        out.extend(constraint_checks(c, &target.kind, &item, patterns));
    }
    let nested = match &target.kind {
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map { .. }
            if has_checks(cx, &m.target) =>
        {
            let f = cx.validate_fn(&m.target);
            Some(quote!(#f(out, path, #item);))
        }
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map { .. }
        | scalar_kind!() => None,
    };
    out.extend(nested);
    Ok((!out.is_empty()).then(|| quote!(#(#out)*)))
}

/// The checks of constraints `c`.
fn constraint_checks(
    c: &Constraints,
    kind: &ShapeKind,
    item: &TokenStream,
    patterns: &mut Patterns,
) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let opt_u = |v: Option<u64>| match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let opt_f = |v: Option<f64>| match v {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    if let Some((min, max)) = c.length {
        let len = match kind {
            ShapeKind::String => Some(quote!(#item.chars().count())),
            ShapeKind::List(_) | ShapeKind::Map { .. } => Some(quote!(#item.len())),
            ShapeKind::Blob => Some(quote!(#item.as_ref().len())),
            // The IR accepts `@length` only where it has a meaning.
            ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
            | ShapeKind::Boolean
            | number_kind!()
            | ShapeKind::Timestamp
            | ShapeKind::Document => None,
        };
        if let Some(len) = len {
            let (min, max) = (opt_u(min), opt_u(max));
            out.push(quote!(out.length(path, #len as u64, #min, #max);));
        }
    }
    if let Some((min, max)) = c.range {
        let num = match kind {
            ShapeKind::Byte
            | ShapeKind::Short
            | ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::Float => Some(quote!(*#item as f64)),
            ShapeKind::Double => Some(quote!(*#item)),
            ShapeKind::Structure(_)
            | ShapeKind::Union(_)
            | ShapeKind::List(_)
            | ShapeKind::Map { .. }
            | ShapeKind::String
            | ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
            | ShapeKind::Boolean
            | ShapeKind::Timestamp
            | ShapeKind::Blob
            | ShapeKind::Document => None,
        };
        if let Some(num) = num {
            let (min, max) = (opt_f(min), opt_f(max));
            out.push(quote!(out.range(path, #num, #min, #max);));
        }
    }
    if let (Some(p), ShapeKind::String) = (&c.pattern, kind) {
        match &p.check {
            PatternCheck::RegexLite(re) => {
                let name = match patterns.get(&p.source) {
                    Some((name, _)) => name.clone(),
                    None => {
                        let name = format_ident!("PATTERN_{}", patterns.len());
                        patterns.insert(p.source.clone(), (name.clone(), re.clone()));
                        name
                    }
                };
                out.push(quote!(out.pattern(path, #item, &#name);));
            }
            // Documented on the item, listed in `Service::omissions`.
            PatternCheck::NotChecked(_) => {}
        }
    }
    out
}

/// `s` as a Rust string literal with every character outside printable ASCII escaped
/// (`\u{..}`): a rewritten pattern holds the characters of its Unicode classes raw (3 to 9
/// bytes a range in the binary, not 13 to 19), and generated sources show them as escapes.
fn escaped_literal(s: &str) -> Result<proc_macro2::Literal, Error> {
    let mut src = String::with_capacity(s.len() + 2);
    src.push('"');
    for c in s.chars() {
        match c {
            '"' => src.push_str("\\\""),
            '\\' => src.push_str("\\\\"),
            ' '..='~' => src.push(c),
            c => src.push_str(&format!("\\u{{{:X}}}", u32::from(c))),
        }
    }
    src.push('"');
    src.parse()
        .map_err(|e: proc_macro2::LexError| Error::Render {
            file: "validate.rs".into(),
            message: format!("a pattern's string literal does not lex: {e}"),
        })
}

/// Whether validating a value of this shape can ever report anything (a union always can).
/// Iterative: a chain of nested structures as long as the model likes must not decide the
/// generator's recursion depth.
fn has_checks(cx: &Ctx, id: &str) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let members: Vec<&Member> = match &cx.svc.shape(id).kind {
            // A union can always hold `Unknown`, which must not be sent.
            ShapeKind::Union(_) => return true,
            ShapeKind::Structure(st) => st.members.iter().collect(),
            ShapeKind::List(m) => vec![m],
            ShapeKind::Map { value, .. } => vec![value],
            scalar_kind!() => Vec::new(),
        };
        for m in members {
            if m.required
                || m.constraints.has_checks()
                || cx.svc.shape(&m.target).constraints.has_checks()
            {
                return true;
            }
            stack.push(&m.target);
        }
    }
    false
}

/// Whether list or map `id` is `@sparse` (its null entries are not checked).
fn shape_sparse(cx: &Ctx, id: &str) -> bool {
    cx.svc.shape(id).sparse
}
