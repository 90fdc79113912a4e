//! A small XML reader for awsQuery responses, on quick-xml.
//!
//! The document is read into a flat table of elements ([`Document`]), each a few machine words
//! that point into the body: element names and text are slices of the input (no allocation, no
//! second UTF-8 check); only text split by entity references, and attributes, are copied.
//! Elements link to their first child and next sibling by index, so building, walking and
//! dropping a document never recurses, however deep it is.
//!
//! Bounds, whatever the input:
//! - **Depth**: an element nested deeper than [`Limits::max_depth`] (default
//!   [`DEFAULT_MAX_DEPTH`], far beyond any AWS response) is an error. Generated deserializers of
//!   recursive shapes recurse once per level, so this limit also bounds their stack use.
//! - **Memory**: the element table takes 24 bytes per element and is sized once from the input
//!   (an element takes at least 4 bytes of input, `<a/>`), so it stays within 6 times the body;
//!   decoded text and attributes add at most the body's size again.
//!
//! Names are local names: namespace prefixes and `xmlns` declarations are ignored, as awsQuery
//! clients must. Generated deserializers walk the tree, matching child names and skipping
//! anything they do not know.

use std::fmt;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::clip;
use crate::primitives::{Blob, DateTime};
use crate::time::Format;

/// The default [`Limits::max_depth`] (the configuration's, [`crate::config::DEFAULT_MAX_RESPONSE_DEPTH`]).
pub const DEFAULT_MAX_DEPTH: usize = crate::config::DEFAULT_MAX_RESPONSE_DEPTH;

/// What a document may cost to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The deepest element nesting accepted (the root is depth 1).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// At most this many characters of an element name go into an error.
const MAX_NAME_IN_ERROR: usize = 64;

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
            element: clip(element, MAX_NAME_IN_ERROR),
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

/// "No element" in the links of the element table.
const NONE: u32 = u32::MAX;
/// Marks a [`Str`] whose `start` indexes [`Document::owned`] instead of the input.
const OWNED: u32 = 1 << 31;

/// A string of the document: a range of the input, or (with [`OWNED`] in `len`) a copied one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Str {
    start: u32,
    len: u32,
}

impl Str {
    const EMPTY: Str = Str { start: 0, len: 0 };
}

/// One element of the table.
#[derive(Debug, Clone, Copy)]
struct Elem {
    name: Str,
    text: Str,
    first_child: u32,
    next_sibling: u32,
}

/// One attribute: the element it belongs to, its local name and its decoded value.
#[derive(Debug, Clone, Copy)]
struct Attr {
    elem: u32,
    name: Str,
    value: Str,
}

/// A parsed document: the element table, borrowing from the input. [`Document::root`] is where
/// reading starts.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    input: &'a str,
    elems: Vec<Elem>,
    /// Text that is not a slice of the input (split by entities or CDATA, or decoded).
    owned: Vec<String>,
    /// Attributes in document order, so sorted by element.
    attrs: Vec<Attr>,
}

/// The root of [`Document::empty`], shared: what an absent element reads as.
pub fn empty_root() -> Node<'static> {
    static EMPTY: std::sync::LazyLock<Document<'static>> =
        std::sync::LazyLock::new(Document::empty);
    EMPTY.root()
}

impl Document<'static> {
    /// A document of one empty, unnamed element: what an empty body reads as.
    pub fn empty() -> Self {
        Document {
            input: "",
            elems: vec![Elem {
                name: Str::EMPTY,
                text: Str::EMPTY,
                first_child: NONE,
                next_sibling: NONE,
            }],
            owned: Vec::new(),
            attrs: Vec::new(),
        }
    }
}

impl<'a> Document<'a> {
    /// The root element.
    pub fn root(&self) -> Node<'_> {
        Node { doc: self, idx: 0 }
    }

    /// How many elements the document has.
    pub fn len(&self) -> usize {
        self.elems.len()
    }

    /// Whether the document has no element (never true for a parsed one).
    pub fn is_empty(&self) -> bool {
        self.elems.is_empty()
    }

    fn str(&self, s: Str) -> &str {
        if s.len & OWNED != 0 {
            self.owned.get(s.start as usize).map_or("", String::as_str)
        } else {
            let start = s.start as usize;
            self.input.get(start..start + s.len as usize).unwrap_or("")
        }
    }

    fn elem(&self, idx: u32) -> Option<&Elem> {
        self.elems.get(idx as usize)
    }

    /// Appends `piece` to element `idx`'s text.
    fn push_text(&mut self, idx: u32, piece: Piece<'_>) -> Result<(), XmlError> {
        let Some(elem) = self.elems.get(idx as usize).copied() else {
            return Ok(());
        };
        let text = elem.text;
        let new = if text.len == 0 {
            match piece {
                Piece::Input(s) => s,
                Piece::Copied(s) => self.own(s.to_owned())?,
            }
        } else if text.len & OWNED != 0 {
            let extra = match piece {
                Piece::Input(s) => self.str(s).to_owned(),
                Piece::Copied(s) => s.to_owned(),
            };
            if let Some(buf) = self.owned.get_mut(text.start as usize) {
                buf.push_str(&extra);
            }
            text
        } else {
            let mut joined = self.str(text).to_owned();
            match piece {
                Piece::Input(s) => joined.push_str(self.str(s)),
                Piece::Copied(s) => joined.push_str(s),
            }
            self.own(joined)?
        };
        if let Some(elem) = self.elems.get_mut(idx as usize) {
            elem.text = new;
        }
        Ok(())
    }

    fn own(&mut self, s: String) -> Result<Str, XmlError> {
        let start = u32::try_from(self.owned.len())
            .ok()
            .filter(|n| *n < OWNED)
            .ok_or_else(|| XmlError::custom("", "too many text pieces"))?;
        self.owned.push(s);
        Ok(Str { start, len: OWNED })
    }
}

/// A piece of text: a slice of the input, or decoded text.
enum Piece<'s> {
    Input(Str),
    Copied(&'s str),
}

/// One element of a [`Document`]: its local name, attributes, text content and child elements.
/// A cheap handle (a reference and an index), passed by value.
#[derive(Clone, Copy)]
pub struct Node<'d> {
    doc: &'d Document<'d>,
    idx: u32,
}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("name", &self.name())
            .field("text", &self.text())
            .finish_non_exhaustive()
    }
}

impl<'d> Node<'d> {
    /// The local name (`<ns:Foo>` -> `Foo`).
    pub fn name(&self) -> &'d str {
        self.doc.elem(self.idx).map_or("", |e| self.doc.str(e.name))
    }

    /// The element's own text (entities decoded, CDATA included), untrimmed. Whitespace-only
    /// text that follows a child element (the indentation between children) is not kept.
    pub fn text(&self) -> &'d str {
        self.doc.elem(self.idx).map_or("", |e| self.doc.str(e.text))
    }

    /// Child elements in document order.
    pub fn children(&self) -> Children<'d> {
        Children {
            doc: self.doc,
            next: self.doc.elem(self.idx).map_or(NONE, |e| e.first_child),
        }
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<Node<'d>> {
        self.children().find(|c| c.name() == name)
    }

    /// An attribute by local name.
    pub fn attr(&self, name: &str) -> Option<&'d str> {
        let attrs = &self.doc.attrs;
        let from = attrs.partition_point(|a| a.elem < self.idx);
        attrs[from..]
            .iter()
            .take_while(|a| a.elem == self.idx)
            .find(|a| self.doc.str(a.name) == name)
            .map(|a| self.doc.str(a.value))
    }
}

/// The children of a [`Node`], in document order.
#[derive(Clone)]
pub struct Children<'d> {
    doc: &'d Document<'d>,
    next: u32,
}

impl<'d> Iterator for Children<'d> {
    type Item = Node<'d>;

    fn next(&mut self) -> Option<Node<'d>> {
        let elem = self.doc.elem(self.next)?;
        let node = Node {
            doc: self.doc,
            idx: self.next,
        };
        self.next = elem.next_sibling;
        Some(node)
    }
}

fn local(qname: &[u8]) -> &[u8] {
    match qname.iter().rposition(|b| *b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    }
}

/// `bytes` as a range of `input` when it is a slice of it (quick-xml's events borrow from the
/// document they read, and `input` is UTF-8 already); `None` otherwise.
fn within(input: &str, bytes: &[u8]) -> Option<Str> {
    let start = (bytes.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
    let end = start.checked_add(bytes.len())?;
    input.get(start..end)?;
    Some(Str {
        start: u32::try_from(start).ok()?,
        len: u32::try_from(bytes.len()).ok().filter(|n| *n < OWNED)?,
    })
}

fn utf8_owned(bytes: &[u8], what: &str) -> Result<String, XmlError> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| XmlError::custom("", format!("{what} is not UTF-8: {e}")))
}

/// An open element while reading: its index and its last child so far.
struct Open {
    idx: u32,
    last_child: u32,
}

struct Builder<'a> {
    doc: Document<'a>,
    stack: Vec<Open>,
    root: Option<u32>,
    limits: Limits,
}

impl<'a> Builder<'a> {
    fn open_name(&self) -> &str {
        self.stack
            .last()
            .and_then(|o| self.doc.elem(o.idx))
            .map_or("", |e| self.doc.str(e.name))
    }

    /// Adds an element for start tag `e` under the innermost open element; returns its index.
    fn add(&mut self, e: &BytesStart<'_>) -> Result<u32, XmlError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(XmlError::custom(
                self.open_name(),
                format!(
                    "the document nests deeper than {} elements (the limit is \
                     Config::builder().max_response_depth)",
                    self.limits.max_depth
                ),
            ));
        }
        if self.stack.is_empty() && self.root.is_some() {
            return Err(XmlError::custom("", "more than one root element"));
        }
        let input = self.doc.input;
        let raw = local(e.name().into_inner());
        let name = match within(input, raw) {
            Some(s) => s,
            None => {
                let owned = utf8_owned(raw, "element name")?;
                self.doc.own(owned)?
            }
        };
        let idx = u32::try_from(self.doc.elems.len())
            .ok()
            .filter(|n| *n != NONE)
            .ok_or_else(|| XmlError::custom("", "too many elements"))?;
        for a in e.attributes() {
            let a = a.map_err(|err| {
                XmlError::custom(self.doc.str(name), format!("bad attribute: {err}"))
            })?;
            let key = a.key.into_inner();
            if key == b"xmlns" || key.starts_with(b"xmlns:") {
                continue;
            }
            let key = local(key);
            let k = match within(input, key) {
                Some(s) => s,
                None => {
                    let owned = utf8_owned(key, "attribute name")?;
                    self.doc.own(owned)?
                }
            };
            let v = match a.unescape_value() {
                Ok(std::borrow::Cow::Borrowed(v)) => match within(input, v.as_bytes()) {
                    Some(s) => s,
                    None => self.doc.own(v.to_owned())?,
                },
                Ok(std::borrow::Cow::Owned(v)) => self.doc.own(v)?,
                Err(err) => {
                    return Err(XmlError::custom(
                        self.doc.str(name),
                        format!("bad attribute `{}`: {err}", self.doc.str(k)),
                    ));
                }
            };
            self.doc.attrs.push(Attr {
                elem: idx,
                name: k,
                value: v,
            });
        }
        self.doc.elems.push(Elem {
            name,
            text: Str::EMPTY,
            first_child: NONE,
            next_sibling: NONE,
        });
        match self.stack.last_mut() {
            Some(parent) => {
                if parent.last_child == NONE {
                    if let Some(p) = self.doc.elems.get_mut(parent.idx as usize) {
                        p.first_child = idx;
                    }
                } else if let Some(prev) = self.doc.elems.get_mut(parent.last_child as usize) {
                    prev.next_sibling = idx;
                }
                parent.last_child = idx;
            }
            None => self.root = Some(idx),
        }
        Ok(idx)
    }
}

/// Reads a whole document with the default [`Limits`].
pub fn parse(input: &str) -> Result<Document<'_>, XmlError> {
    parse_with(input, Limits::default())
}

/// Reads a whole document within `limits`.
pub fn parse_with(input: &str, limits: Limits) -> Result<Document<'_>, XmlError> {
    if u32::try_from(input.len()).map_or(true, |n| n >= OWNED) {
        return Err(XmlError::custom("", "the document is larger than 2 GiB"));
    }
    // Every element starts with `<` and takes at least 4 bytes (`<a/>`): size the table once.
    let lts = input.bytes().filter(|b| *b == b'<').count();
    let mut b = Builder {
        doc: Document {
            input,
            elems: Vec::with_capacity(lts.min(input.len() / 4)),
            owned: Vec::new(),
            attrs: Vec::new(),
        },
        stack: Vec::new(),
        root: None,
        limits,
    };
    let mut reader = Reader::from_str(input);
    reader.config_mut().trim_text(false);
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                return Err(XmlError::custom(
                    b.open_name(),
                    format!("at byte {}: {e}", reader.buffer_position()),
                ));
            }
        };
        match event {
            Event::Start(e) => {
                let idx = b.add(&e)?;
                b.stack.push(Open {
                    idx,
                    last_child: NONE,
                });
            }
            Event::Empty(e) => {
                b.add(&e)?;
            }
            Event::End(_) => {
                if b.stack.pop().is_none() {
                    return Err(XmlError::custom("", "closing tag without an opening tag"));
                }
            }
            Event::Text(t) => {
                let Some(open) = b.stack.last() else {
                    continue;
                };
                if open.last_child != NONE && t.iter().all(|c| c.is_ascii_whitespace()) {
                    // Indentation between child elements: nobody reads it, and
                    // concatenating it costs an allocation per parent and a copy per child.
                    continue;
                }
                let idx = open.idx;
                let raw = t.into_inner();
                match within(input, &raw) {
                    Some(s) => b.doc.push_text(idx, Piece::Input(s))?,
                    None => b
                        .doc
                        .push_text(idx, Piece::Copied(&utf8_owned(&raw, "text")?))?,
                }
            }
            Event::CData(t) => {
                let Some(idx) = b.stack.last().map(|o| o.idx) else {
                    continue;
                };
                let raw = t.into_inner();
                match within(input, &raw) {
                    Some(s) => b.doc.push_text(idx, Piece::Input(s))?,
                    None => b
                        .doc
                        .push_text(idx, Piece::Copied(&utf8_owned(&raw, "CDATA")?))?,
                }
            }
            Event::GeneralRef(r) => {
                let Some(idx) = b.stack.last().map(|o| o.idx) else {
                    continue;
                };
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let raw = utf8_owned(&r.into_inner(), "entity")?;
                        match quick_xml::escape::resolve_predefined_entity(&raw) {
                            Some(s) => s.to_owned(),
                            None => {
                                return Err(XmlError::custom(
                                    b.open_name(),
                                    format!("unknown entity `&{};`", clip(&raw, MAX_NAME_IN_ERROR)),
                                ));
                            }
                        }
                    }
                    Err(e) => {
                        return Err(XmlError::custom(
                            b.open_name(),
                            format!("bad character reference: {e}"),
                        ));
                    }
                };
                b.doc.push_text(idx, Piece::Copied(&resolved))?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Comment(_) => {}
        }
    }
    if !b.stack.is_empty() {
        return Err(XmlError::custom(
            b.open_name(),
            "the document ends before this element is closed",
        ));
    }
    match b.root {
        // The root is the first element added.
        Some(0) => Ok(b.doc),
        _ => Err(XmlError::custom("", "the document has no root element")),
    }
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
    crate::time::parse(text.trim(), format).map_err(|e| XmlError::custom(element, e))
}

/// Base64 content.
pub fn parse_blob(element: &str, text: &str) -> Result<Blob, XmlError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    aws_smithy_types::base64::decode(&compact)
        .map(Blob::new)
        .map_err(|e| XmlError::custom(element, format!("invalid base64: {e}")))
}

/// The output parser of an operation whose output has no members: its value is the default.
/// Generated code points at it instead of writing one function per operation.
#[doc(hidden)]
/// XML errors are picked by their `<Code>`.
impl crate::error::ErrorSource for Node<'_> {}

pub fn empty_output<O: Default>(_node: Node<'_>) -> Result<O, XmlError> {
    Ok(O::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_text_children_and_ignores_namespaces() {
        let doc = r#"<?xml version="1.0"?>
            <ns:Root xmlns:ns="urn:x" xmlns="urn:y" a="1"><ns:A>x &amp; y&#x21;</ns:A><B/><C><![CDATA[<raw>]]></C></ns:Root>"#;
        let doc = parse(doc).unwrap();
        let root = doc.root();
        assert_eq!(root.name(), "Root");
        assert_eq!(root.attr("a"), Some("1"));
        assert_eq!(root.attr("xmlns"), None);
        assert_eq!(root.child("A").unwrap().text(), "x & y!");
        assert_eq!(root.child("B").unwrap().text(), "");
        assert_eq!(root.child("C").unwrap().text(), "<raw>");
        assert_eq!(root.children().count(), 3);
        assert_eq!(doc.len(), 4);
    }

    #[test]
    fn attributes_belong_to_their_element() {
        let doc = parse(r#"<R x="r"><A x="a" y="&lt;"/><B/><C x="c"/></R>"#).unwrap();
        let root = doc.root();
        let names: Vec<_> = root.children().map(|c| (c.name(), c.attr("x"))).collect();
        assert_eq!(names, [("A", Some("a")), ("B", None), ("C", Some("c"))]);
        assert_eq!(root.attr("x"), Some("r"));
        assert_eq!(root.child("A").unwrap().attr("y"), Some("<"));
        assert_eq!(root.child("A").unwrap().attr("z"), None);
    }

    #[test]
    fn keeps_whitespace_of_leaf_text() {
        let doc = parse("<R><S>  two  spaces </S><T>&amp; &lt;</T></R>").unwrap();
        let root = doc.root();
        assert_eq!(root.child("S").unwrap().text(), "  two  spaces ");
        assert_eq!(root.child("T").unwrap().text(), "& <");
    }

    #[test]
    fn names_and_text_borrow_from_the_input() {
        let input = "<R>\n  <ns:A>plain</ns:A>\n  <B>x &amp; y</B>\n</R>";
        let doc = parse(input).unwrap();
        let a = doc.elems[1];
        assert_eq!(a.name.len & OWNED, 0);
        assert_eq!(a.text.len & OWNED, 0);
        assert_eq!(doc.root().child("A").unwrap().text(), "plain");
        // Split by an entity: copied, decoded.
        assert_eq!(doc.root().child("B").unwrap().text(), "x & y");
        assert_eq!(doc.owned.len(), 1);
        // Indentation before the first child is kept (borrowed); after a child it is skipped;
        // real text after a child is kept.
        assert_eq!(doc.root().text(), "\n  ");
        let mixed = parse("<R>a<B/> <C/>b</R>").unwrap();
        assert_eq!(mixed.root().text(), "ab");
    }

    #[test]
    fn rejects_broken_documents_with_a_message() {
        for bad in [
            "",
            "<A><B></A>",
            "<A>",
            "not xml at all",
            "<A>&bogus;</A>",
            "<A/><B/>",
            "</A>",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(!err.to_string().is_empty(), "{bad}");
        }
        assert!(parse("<A><B>").unwrap_err().to_string().contains("<B>"));
    }

    fn nested(depth: usize) -> String {
        let mut s = String::with_capacity(depth * 7);
        for _ in 0..depth {
            s.push_str("<a>");
        }
        for _ in 0..depth {
            s.push_str("</a>");
        }
        s
    }

    #[test]
    fn nesting_is_limited_and_the_error_names_the_limit() {
        assert!(parse(&nested(DEFAULT_MAX_DEPTH)).is_ok());
        let err = parse(&nested(DEFAULT_MAX_DEPTH + 1)).unwrap_err();
        assert!(err.to_string().contains("deeper than 128"), "{err}");
        assert!(err.to_string().contains("max_response_depth"), "{err}");
        let tight = Limits { max_depth: 3 };
        assert!(parse_with(&nested(3), tight).is_ok());
        assert!(parse_with(&nested(4), tight).is_err());
        // 50,000 levels (the attack that used to overflow the stack) end in the same error,
        // on a thread with a small stack.
        let deep = nested(50_000);
        let err = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || parse(&deep).map(|d| d.len()).unwrap_err().to_string())
            .unwrap()
            .join()
            .unwrap();
        assert!(err.contains("deeper than"), "{err}");
    }

    #[test]
    fn a_deep_document_within_a_raised_limit_is_walked_and_dropped_without_recursion() {
        let depth = 200_000;
        let input = nested(depth);
        let deep = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                let doc = parse_with(
                    &input,
                    Limits {
                        max_depth: usize::MAX,
                    },
                )
                .unwrap();
                let mut n = doc.root();
                let mut levels = 1;
                while let Some(c) = n.child("a") {
                    n = c;
                    levels += 1;
                }
                levels
                // `doc` dropped here: a flat table.
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(deep, depth);
    }

    #[test]
    fn the_element_table_is_sized_once_within_six_bytes_per_input_byte() {
        let input = "<r>".to_owned() + &"<a/>".repeat(10_000) + "</r>";
        let doc = parse(&input).unwrap();
        assert_eq!(doc.len(), 10_001);
        assert!(doc.elems.capacity() <= input.len() / 4);
        assert_eq!(std::mem::size_of::<Elem>(), 24);
        // Stray `<`s do not inflate the table beyond a quarter of the input.
        let junk = "<".repeat(4_000);
        assert!(parse(&junk).is_err());
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
