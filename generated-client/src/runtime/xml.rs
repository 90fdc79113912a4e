//! A small XML reader for awsQuery responses, on quick-xml.
//!
//! Responses are small, so the document is read into a tree of [`Node`]s that borrow from the
//! body where they can: element names and text pieces are slices of the input (no allocation,
//! no second UTF-8 check); only text split by entity references, and attributes, are copied.
//! Names are local names: namespace prefixes and `xmlns` declarations are ignored, as awsQuery
//! clients must. Generated deserializers walk the tree, matching child names and skipping
//! anything they do not know.

use std::borrow::Cow;
use std::fmt;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::time::Format;
use crate::primitives::{Blob, DateTime};

/// Why a response could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    element: String,
    message: String,
}

impl XmlError {
    /// An error about element `element`.
    pub fn custom(element: &str, message: impl Into<String>) -> Self {
        XmlError {
            element: element.to_owned(),
            message: message.into(),
        }
    }

    /// The element at fault (empty when the document as a whole is broken).
    pub fn element(&self) -> &str {
        &self.element
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.element.is_empty() {
            write!(f, "invalid XML: {}", self.message)
        } else {
            write!(f, "invalid XML in <{}>: {}", self.element, self.message)
        }
    }
}

impl std::error::Error for XmlError {}

/// One element: its local name, attributes, text content and child elements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node<'a> {
    name: Cow<'a, str>,
    attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    text: Cow<'a, str>,
    children: Vec<Node<'a>>,
}

impl<'a> Node<'a> {
    /// The local name (`<ns:Foo>` -> `Foo`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The element's own text (entities decoded, CDATA included), untrimmed. Whitespace-only
    /// text that follows a child element (the indentation between children) is not kept, so
    /// an element with children does not pay for concatenating it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Child elements in document order.
    pub fn children(&self) -> std::slice::Iter<'_, Node<'a>> {
        self.children.iter()
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Node<'a>> {
        self.children.iter().find(|c| c.name() == name)
    }

    /// An attribute by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_ref())
    }
}

fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().rposition(|b| *b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

/// `bytes` as a `&'a str` when it is a slice of `input` (quick-xml's events borrow from the
/// document they read, and `input` is UTF-8 already); `None` otherwise.
fn within<'a>(input: &'a str, bytes: &[u8]) -> Option<&'a str> {
    let start = (bytes.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
    let end = start.checked_add(bytes.len())?;
    input.get(start..end)
}

fn utf8<'a>(input: &'a str, bytes: Cow<'_, [u8]>, what: &str) -> Result<Cow<'a, str>, XmlError> {
    if let Some(s) = within(input, &bytes) {
        return Ok(Cow::Borrowed(s));
    }
    match bytes {
        Cow::Borrowed(b) => std::str::from_utf8(b).map(|s| Cow::Owned(s.to_owned())),
        Cow::Owned(b) => String::from_utf8(b)
            .map(Cow::Owned)
            .map_err(|e| e.utf8_error()),
    }
    .map_err(|e| XmlError::custom("", format!("{what} is not UTF-8: {e}")))
}

fn start<'a>(input: &'a str, e: &BytesStart<'_>) -> Result<Node<'a>, XmlError> {
    let name = local(e.name().into_inner());
    let name = match within(input, name) {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(
            std::str::from_utf8(name)
                .map_err(|e| XmlError::custom("", format!("element name is not UTF-8: {e}")))?
                .to_owned(),
        ),
    };
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| XmlError::custom(&name, format!("bad attribute: {err}")))?;
        let key = a.key.into_inner();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            continue;
        }
        let k = std::str::from_utf8(local(key))
            .map_err(|err| XmlError::custom(&name, format!("attribute name is not UTF-8: {err}")))?
            .to_owned();
        let v = a
            .unescape_value()
            .map_err(|err| XmlError::custom(&name, format!("bad attribute `{k}`: {err}")))?
            .into_owned();
        attrs.push((Cow::Owned(k), Cow::Owned(v)));
    }
    Ok(Node {
        name,
        attrs,
        text: Cow::Borrowed(""),
        children: Vec::new(),
    })
}

fn push_text<'a>(node: &mut Node<'a>, piece: Cow<'a, str>) {
    if node.text.is_empty() {
        node.text = piece;
    } else {
        node.text.to_mut().push_str(&piece);
    }
}

/// Reads a whole document and returns its root element.
pub fn parse(input: &str) -> Result<Node<'_>, XmlError> {
    let mut reader = Reader::from_str(input);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Node<'_>> = Vec::new();
    let mut root = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            XmlError::custom(
                stack.last().map_or("", |n| n.name()),
                format!("at byte {}: {e}", reader.buffer_position()),
            )
        })?;
        match event {
            Event::Start(e) => stack.push(start(input, &e)?),
            Event::Empty(e) => {
                let node = start(input, &e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => {
                        root = Some(node);
                    }
                }
            }
            Event::End(_) => {
                let Some(node) = stack.pop() else {
                    return Err(XmlError::custom("", "closing tag without an opening tag"));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) => {
                if let Some(node) = stack.last_mut() {
                    if !node.children.is_empty() && t.iter().all(|b| b.is_ascii_whitespace()) {
                        // Indentation between child elements: nobody reads it, and
                        // concatenating it costs an allocation per parent and a copy per child.
                        continue;
                    }
                    let piece = utf8(input, t.into_inner(), "text")?;
                    push_text(node, piece);
                }
            }
            Event::CData(t) => {
                if let Some(node) = stack.last_mut() {
                    let piece = utf8(input, t.into_inner(), "CDATA")?;
                    push_text(node, piece);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(node) = stack.last_mut() {
                    let name = node.name.clone();
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => {
                            let raw = utf8(input, r.into_inner(), "entity")?;
                            quick_xml::escape::resolve_predefined_entity(&raw)
                                .ok_or_else(|| {
                                    XmlError::custom(&name, format!("unknown entity `&{raw};`"))
                                })?
                                .to_owned()
                        }
                        Err(e) => {
                            return Err(XmlError::custom(
                                &name,
                                format!("bad character reference: {e}"),
                            ));
                        }
                    };
                    push_text(node, Cow::Owned(resolved));
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Comment(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(XmlError::custom(
            open.name(),
            "the document ends before this element is closed",
        ));
    }
    root.ok_or_else(|| XmlError::custom("", "the document has no root element"))
}

/// `true` / `false`.
pub fn parse_bool(element: &str, text: &str) -> Result<bool, XmlError> {
    match text.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(XmlError::custom(
            element,
            format!("expected true or false, found `{other}`"),
        )),
    }
}

/// A whole number of type `T`.
pub fn parse_int<T: std::str::FromStr>(element: &str, text: &str) -> Result<T, XmlError>
where
    T::Err: fmt::Display,
{
    text.trim().parse().map_err(|e| {
        XmlError::custom(
            element,
            format!("expected an integer, found `{}`: {e}", text.trim()),
        )
    })
}

/// A float; `NaN`, `Infinity` and `-Infinity` as awsQuery writes them.
pub fn parse_float<T: std::str::FromStr + From<f32>>(
    element: &str,
    text: &str,
) -> Result<T, XmlError>
where
    T::Err: fmt::Display,
{
    match text.trim() {
        "NaN" => Ok(T::from(f32::NAN)),
        "Infinity" => Ok(T::from(f32::INFINITY)),
        "-Infinity" => Ok(T::from(f32::NEG_INFINITY)),
        t => t
            .parse()
            .map_err(|e| XmlError::custom(element, format!("expected a number, found `{t}`: {e}"))),
    }
}

/// A timestamp in the given format.
pub fn parse_timestamp(element: &str, text: &str, format: Format) -> Result<DateTime, XmlError> {
    super::time::parse(text.trim(), format).map_err(|e| XmlError::custom(element, e))
}

/// Base64 content.
pub fn parse_blob(element: &str, text: &str) -> Result<Blob, XmlError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    aws_smithy_types::base64::decode(&compact)
        .map(Blob::new)
        .map_err(|e| XmlError::custom(element, format!("invalid base64: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_text_children_and_ignores_namespaces() {
        let doc = r#"<?xml version="1.0"?>
            <ns:Root xmlns:ns="urn:x" xmlns="urn:y" a="1"><ns:A>x &amp; y&#x21;</ns:A><B/><C><![CDATA[<raw>]]></C></ns:Root>"#;
        let root = parse(doc).unwrap();
        assert_eq!(root.name(), "Root");
        assert_eq!(root.attr("a"), Some("1"));
        assert_eq!(root.attr("xmlns"), None);
        assert_eq!(root.child("A").unwrap().text(), "x & y!");
        assert_eq!(root.child("B").unwrap().text(), "");
        assert_eq!(root.child("C").unwrap().text(), "<raw>");
        assert_eq!(root.children().count(), 3);
    }

    #[test]
    fn keeps_whitespace_of_leaf_text() {
        let root = parse("<R><S>  two  spaces </S><T>&amp; &lt;</T></R>").unwrap();
        assert_eq!(root.child("S").unwrap().text(), "  two  spaces ");
        assert_eq!(root.child("T").unwrap().text(), "& <");
    }

    #[test]
    fn names_and_text_borrow_from_the_input() {
        let doc = "<R>\n  <ns:A>plain</ns:A>\n  <B>x &amp; y</B>\n</R>";
        let root = parse(doc).unwrap();
        let a = root.child("A").unwrap();
        assert!(matches!(a.name, Cow::Borrowed(_)));
        assert!(matches!(a.text, Cow::Borrowed(_)));
        assert_eq!(a.text(), "plain");
        // Split by an entity: copied, decoded.
        assert_eq!(root.child("B").unwrap().text(), "x & y");
        // Indentation before the first child is kept (borrowed); after a child it is skipped;
        // real text after a child is kept.
        assert_eq!(root.text(), "\n  ");
        let mixed = parse("<R>a<B/> <C/>b</R>").unwrap();
        assert_eq!(mixed.text(), "ab");
    }

    #[test]
    fn rejects_broken_documents_with_a_message() {
        for bad in ["", "<A><B></A>", "<A>", "not xml at all", "<A>&bogus;</A>"] {
            let err = parse(bad).unwrap_err();
            assert!(!err.to_string().is_empty(), "{bad}");
        }
        assert!(parse("<A><B>").unwrap_err().to_string().contains("<B>"));
    }

    #[test]
    fn scalars() {
        assert!(parse_bool("x", "true").unwrap());
        assert!(
            parse_bool("x", "yes")
                .unwrap_err()
                .to_string()
                .contains("<x>")
        );
        assert_eq!(parse_int::<i32>("x", " 42 ").unwrap(), 42);
        assert!(parse_int::<i8>("x", "300").is_err());
        assert!(parse_float::<f64>("x", "NaN").unwrap().is_nan());
        assert_eq!(
            parse_float::<f64>("x", "-Infinity").unwrap(),
            f64::NEG_INFINITY
        );
        assert_eq!(parse_float::<f32>("x", "1.5").unwrap(), 1.5);
        assert_eq!(parse_blob("x", "dmFs\n dWU=").unwrap().as_ref(), b"value");
        assert!(parse_blob("x", "!!").is_err());
    }
}
