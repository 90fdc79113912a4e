//! XML deserializers for every shape that comes out of a response (awsQuery; restXml and ec2Query
//! read the same way), and the per-operation error dispatch.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::{Ctx, ident};
use crate::ir::{Member, ShapeKind, scalar_kind};

/// Whether an operation's output has no members and nothing else reads it: its parser is the
/// runtime's generic `xml::empty_output`, not a function of its own.
fn empty_output(cx: &Ctx, id: &str) -> bool {
    let ShapeKind::Structure(st) = &cx.svc.shape(id).kind else {
        return false;
    };
    st.members.is_empty()
        && st.error.is_none()
        && cx.svc.operations.iter().any(|op| op.output == id)
        && !cx.svc.shapes.values().any(|s| match &s.kind {
            ShapeKind::List(item) => item.target == id,
            ShapeKind::Map { key, value } => key.target == id || value.target == id,
            kind => kind.members().iter().any(|m| m.target == id),
        })
}

pub(in crate::emit) fn emit(cx: &Ctx) -> TokenStream {
    let wrapped = wrapped_collections(cx);
    let any_item_name = cx.protocol.xml_list_items_any_name();
    let fns = cx.svc.output_closure().into_iter().filter_map(|id| {
        let shape = cx.svc.shape(&id);
        let name = cx.de_fn(&id);
        let ty = cx.rust_type(&id);
        if empty_output(cx, &id) {
            return None;
        }
        match &shape.kind {
            ShapeKind::Structure(st) => {
                let node = if st.members.is_empty() { quote!(_node) } else { quote!(node) };
                let attrs = st.members.iter().filter(|m| m.xml_attribute).map(|m| {
                    let f = ident(&m.rust_name);
                    let wire = m.xml_name.as_deref().unwrap_or(&m.wire_name);
                    let parse = scalar_from_text(cx, m, quote!(text));
                    quote! {
                        if let Some(text) = node.attr(#wire) {
                            out.#f = Some(#parse);
                        }
                    }
                });
                let arms: Vec<TokenStream> = st.members.iter().filter(|m| !m.xml_attribute).map(|m| {
                    let f = ident(&m.rust_name);
                    let wire = m.xml_name.as_deref().unwrap_or(&m.wire_name);
                    let target = cx.svc.shape(&m.target);
                    match (&target.kind, m.xml_flattened) {
                        (ShapeKind::List(item), true) => {
                            let parse = value(cx, item, quote!(child));
                            quote!(#wire => out.#f.get_or_insert_with(Vec::new).push(#parse),)
                        }
                        (ShapeKind::Map { .. }, true) => {
                            let entry = cx.de_entry_fn(&m.target);
                            quote!(#wire => {
                                let (k, v) = #entry(child)?;
                                out.#f.get_or_insert_with(::std::collections::HashMap::new).insert(k, v);
                            })
                        }
                        (ShapeKind::List(_) | ShapeKind::Map { .. }, false)
                        | (ShapeKind::Structure(_) | ShapeKind::Union(_) | scalar_kind!(), _) => {
                            let parse = value(cx, m, quote!(child));
                            let parse = if m.boxed { quote!(Box::new(#parse)) } else { parse };
                            // Error shapes often model `message` in lower case while every
                            // service sends `<Message>`; accept both.
                            let is_error_message = st.error.is_some() && m.xml_name.is_none() && m.wire_name.eq_ignore_ascii_case("message") && m.wire_name != "Message";
                            if is_error_message {
                                quote!(#wire | "Message" => out.#f = Some(#parse),)
                            } else {
                                quote!(#wire => out.#f = Some(#parse),)
                            }
                        }
                    }
                }).collect();
                let body = if arms.is_empty() {
                    quote!()
                } else {
                    let allow = (arms.len() == 1).then(|| quote!(#[allow(clippy::single_match)]));
                    quote! {
                        for child in node.children() {
                            #allow
                            match child.name() {
                                #(#arms)*
                                _ => {}
                            }
                        }
                    }
                };
                let mutability = if st.members.is_empty() { quote!() } else { quote!(mut) };
                Some(quote! {
                    pub(crate) fn #name(#node: Node<'_>) -> Result<#ty, XmlError> {
                        let #mutability out = <#ty>::default();
                        #(#attrs)*
                        #body
                        Ok(out)
                    }
                })
            }
            // Like botocore's XML parser: the one member element present is the value, an
            // element the model does not name is a member this version does not know
            // (`Unknown`), no member at all is an error. Two known members are an error too; a
            // known member beside unknown elements wins (an unknown element is ignored, as in
            // structures), so the result does not depend on element order.
            ShapeKind::Union(u) => {
                let union_name = crate::naming::ir_local(&id);
                let arms = u.members.iter().zip(&u.variants).map(|(m, v)| {
                    let v = ident(v);
                    let wire = m.xml_name.as_deref().unwrap_or(&m.wire_name);
                    let parse = value(cx, m, quote!(child));
                    let parse = if m.boxed { quote!(Box::new(#parse)) } else { parse };
                    quote!(#wire => #ty::#v(#parse),)
                });
                let two = format!("union `{union_name}` has more than one member set");
                let none = format!("union `{union_name}` has no member set");
                Some(quote! {
                    pub(crate) fn #name(node: Node<'_>) -> Result<#ty, XmlError> {
                        let mut out = None;
                        let mut unknown = false;
                        for child in node.children() {
                            let value = match child.name() {
                                #(#arms)*
                                _ => {
                                    unknown = true;
                                    continue;
                                }
                            };
                            if out.is_some() {
                                return Err(XmlError::custom(node.name(), #two));
                            }
                            out = Some(value);
                        }
                        match out {
                            Some(v) => Ok(v),
                            None if unknown => Ok(#ty::Unknown),
                            None => Err(XmlError::custom(node.name(), #none)),
                        }
                    }
                })
            }
            // A list only ever read flattened has its items parsed in place.
            ShapeKind::List(_) if !wrapped.contains(&id) => None,
            // The protocol's rule (ec2Query: EC2 names list items `<item>` whatever the model
            // says, and models converted from botocore name few): every child is an item.
            ShapeKind::List(item) if any_item_name => {
                let parse = value(cx, item, quote!(child));
                Some(quote! {
                    pub(crate) fn #name(node: Node<'_>) -> Result<#ty, XmlError> {
                        let mut out = Vec::new();
                        for child in node.children() {
                            out.push(#parse);
                        }
                        Ok(out)
                    }
                })
            }
            ShapeKind::List(item) => {
                let member_name = item.xml_name.as_deref().unwrap_or("member");
                let parse = value(cx, item, quote!(child));
                Some(quote! {
                    pub(crate) fn #name(node: Node<'_>) -> Result<#ty, XmlError> {
                        let mut out = Vec::new();
                        for child in node.children().filter(|c| c.name() == #member_name) {
                            out.push(#parse);
                        }
                        Ok(out)
                    }
                })
            }
            ShapeKind::Map { key, value: val } => {
                let entry_fn = cx.de_entry_fn(&id);
                let k = cx.rust_type(&key.target);
                let v = cx.rust_type(&val.target);
                let key_name = key.xml_name.as_deref().unwrap_or("key");
                let value_name = val.xml_name.as_deref().unwrap_or("value");
                let parse_key = value(cx, key, quote!(child));
                let parse_value = value(cx, val, quote!(child));
                // A map only ever read flattened needs its entry reader alone.
                let whole = wrapped.contains(&id).then(|| quote! {
                    pub(crate) fn #name(node: Node<'_>) -> Result<#ty, XmlError> {
                        let mut out = ::std::collections::HashMap::new();
                        for entry in node.children().filter(|c| c.name() == "entry") {
                            let (k, v) = #entry_fn(entry)?;
                            out.insert(k, v);
                        }
                        Ok(out)
                    }
                });
                Some(quote! {
                    #whole
                    pub(crate) fn #entry_fn(node: Node<'_>) -> Result<(#k, #v), XmlError> {
                        let mut key = None;
                        let mut value = None;
                        for child in node.children() {
                            match child.name() {
                                #key_name => key = Some(#parse_key),
                                #value_name => value = Some(#parse_value),
                                _ => {}
                            }
                        }
                        match (key, value) {
                            (Some(k), Some(v)) => Ok((k, v)),
                            _ => Err(XmlError::custom(node.name(), "a map entry needs both a key and a value")),
                        }
                    }
                })
            }
            // Scalars are read in place (`value`).
            scalar_kind!() => None,
        }
    });
    quote! {
        //! XML deserializers: each reads one shape from an element, ignoring unknown children.
        use crate::runtime::xml::{Node, XmlError};
        #(#fns)*
    }
}

/// Lists and maps of the output closure read as a whole element somewhere (a member that is not
/// `@xmlFlattened`, or a list item / map value); the others only appear flattened.
fn wrapped_collections(cx: &Ctx) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for id in cx.svc.output_closure() {
        match &cx.svc.shape(&id).kind {
            kind @ (ShapeKind::Structure(_) | ShapeKind::Union(_)) => {
                out.extend(
                    kind.members()
                        .iter()
                        .filter(|m| !m.xml_flattened)
                        .map(|m| m.target.clone()),
                );
            }
            ShapeKind::List(item) => {
                out.insert(item.target.clone());
            }
            ShapeKind::Map { value, .. } => {
                out.insert(value.target.clone());
            }
            scalar_kind!() => {}
        }
    }
    out
}

/// Parses the member's value from element `node`.
fn value(cx: &Ctx, m: &Member, node: TokenStream) -> TokenStream {
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map { .. } => {
            let f = cx.de_fn(&m.target);
            quote!(#f(#node)?)
        }
        scalar_kind!() => scalar_from_text(cx, m, quote!(#node.text())),
    }
}

/// Parses a scalar member from a text expression (element text or attribute value).
fn scalar_from_text(cx: &Ctx, m: &Member, text: TokenStream) -> TokenStream {
    let name = m.xml_name.as_deref().unwrap_or(&m.wire_name);
    match &cx.svc.shape(&m.target).kind {
        ShapeKind::String => quote!(#text.to_owned()),
        ShapeKind::Enum(_) => {
            let t = cx.rust_type(&m.target);
            quote!(<#t>::from(#text))
        }
        ShapeKind::IntEnum(_) => {
            let t = cx.rust_type(&m.target);
            quote!(<#t>::from(crate::runtime::xml::parse_int::<i32>(#name, #text)?))
        }
        ShapeKind::Boolean => quote!(crate::runtime::xml::parse_bool(#name, #text)?),
        ShapeKind::Byte => quote!(crate::runtime::xml::parse_int::<i8>(#name, #text)?),
        ShapeKind::Short => quote!(crate::runtime::xml::parse_int::<i16>(#name, #text)?),
        ShapeKind::Integer => quote!(crate::runtime::xml::parse_int::<i32>(#name, #text)?),
        ShapeKind::Long => quote!(crate::runtime::xml::parse_int::<i64>(#name, #text)?),
        ShapeKind::Float => quote!(crate::runtime::xml::parse_float::<f32>(#name, #text)?),
        ShapeKind::Double => quote!(crate::runtime::xml::parse_float::<f64>(#name, #text)?),
        ShapeKind::Timestamp => {
            let fmt = cx.timestamp_format(m);
            quote!(crate::runtime::xml::parse_timestamp(#name, #text, #fmt)?)
        }
        ShapeKind::Blob => quote!(crate::runtime::xml::parse_blob(#name, #text)?),
        // Never reached: the XML protocols leave out operations that reach a document.
        ShapeKind::Document => quote! {
            return Err(crate::runtime::xml::XmlError::custom(#name, "a document cannot be read from XML"))
        },
        ShapeKind::Structure(_)
        | ShapeKind::Union(_)
        | ShapeKind::List(_)
        | ShapeKind::Map { .. } => {
            // `ir::build` rejects `@xmlAttribute` on aggregate members.
            unreachable!("aggregate member {} read as text", m.wire_name)
        }
    }
}
