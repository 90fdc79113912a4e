//! JSON bodies: a writer into a byte buffer, and a reader driven by serde_json's deserializer.
//!
//! A codec knows the format, not a protocol: member names, envelopes and error layouts are the
//! protocol module's (`crate::protocol::aws_json`). Generated code names members and layouts
//! only: it implements [`JsonValue`] (writing) and [`ReadJson`] (reading) for the shapes of a
//! service, through [`Object`] for structures and [`read_struct`] / [`read_union`] with the
//! readers of this module ([`of`], [`Ts`], [`ListOf`], [`MapOf`], ...) for members.
//!
//! **Reading is bounded and streaming.** Values are read straight from the body into the
//! output types (no intermediate tree), member names are matched without being copied, and
//! unknown members are skipped. Every object and array is one level of [`Depth`]; deeper than
//! the limit (`Config::builder().max_response_depth`, default 128) is an error naming it.
//! serde_json counts the same levels and stops at 128 too, whatever the limit, so no input
//! decides how deep the reader's recursion goes. Unknown members are skipped by serde_json
//! without recursion, so their depth costs only their bytes. Every failure is a typed error (a wrong JSON
//! type, a number that does not fit, bad UTF-8, invalid base64, a bad timestamp), never a
//! panic; the size limit is the send path's, applied before a byte is parsed.
//!
//! **Writing** follows the model's member order; the protocol decides which members it leaves
//! out. Non-finite floats are the strings `"NaN"`, `"Infinity"` and `"-Infinity"`, blobs
//! base64, timestamps in the member's format (epoch seconds by default, as a number).
//! Documents are written without recursion.

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use aws_smithy_types::{Blob, DateTime, Document};
use serde_core::de::{self, DeserializeSeed, Error as _, SeqAccess, Visitor};

use crate::time::Format;

/// The serde traits generated readers name (`runtime::json::MapAccess`, ...): generated crates
/// do not depend on serde themselves.
pub use serde_core::de::{Deserializer, IgnoredAny, MapAccess};

/// A document's number, for the documents generated code builds (model defaults).
pub use aws_smithy_types::Number;

// ------------------------------------------------------------------------------------ writing

/// Writes a JSON document into a buffer.
#[derive(Debug, Default)]
pub struct JsonWriter {
    buf: Vec<u8>,
}

/// Writes one value of a shape (generated per structure, union and enum; the runtime's for
/// scalars, lists and maps).
pub trait JsonValue {
    fn write_json(&self, w: &mut JsonWriter);
}

/// Writes a value with a rule of its member (a timestamp format, a nested collection of
/// those): `|w, v| w.timestamp(v, Format::DateTime)`.
pub type WriteFn<T> = fn(&mut JsonWriter, &T);

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// The document written.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Appends already-encoded JSON (a literal the generator wrote: a default value).
    pub fn raw(&mut self, json: &str) {
        self.buf.extend_from_slice(json.as_bytes());
    }

    pub fn null(&mut self) {
        self.buf.extend_from_slice(b"null");
    }

    /// A JSON string, escaped.
    pub fn string(&mut self, s: &str) {
        write_escaped(&mut self.buf, s);
    }

    pub fn boolean(&mut self, b: bool) {
        self.buf
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    pub fn int(&mut self, n: i64) {
        self.number(n);
    }

    /// A number as serde_json writes it (itoa, and shortest round-trip floats). Writing into a
    /// `Vec` cannot fail.
    fn number<N: serde_core::Serialize>(&mut self, n: N) {
        let written = serde_json::to_writer(&mut self.buf, &n);
        debug_assert!(written.is_ok());
    }

    /// A double: shortest round-trip form, non-finite values as strings.
    pub fn float64(&mut self, f: f64) {
        if let Some(s) = non_finite(f) {
            self.string(s);
        } else {
            self.number(f);
        }
    }

    /// A float: shortest round-trip form of the `f32`, non-finite values as strings.
    pub fn float32(&mut self, f: f32) {
        if let Some(s) = non_finite(f64::from(f)) {
            self.string(s);
        } else {
            self.number(f);
        }
    }

    /// A blob, base64.
    pub fn blob(&mut self, b: &Blob) {
        let text = aws_smithy_types::base64::encode(b.as_ref());
        self.string(&text);
    }

    /// A timestamp in `format`: epoch seconds as a number (fractions kept), the others as
    /// strings.
    pub fn timestamp(&mut self, t: &DateTime, format: Format) {
        match format {
            Format::EpochSeconds => {
                let secs = t.secs();
                let nanos = t.subsec_nanos();
                if nanos == 0 {
                    self.int(secs);
                } else {
                    self.float64(t.as_secs_f64());
                }
            }
            Format::DateTime | Format::HttpDate => match crate::time::format(t, format) {
                Ok(s) => self.string(&s),
                // A timestamp outside what the format can express (year 10000 or later): the
                // validation of the input refuses it first; epoch seconds say it exactly.
                Err(_) => self.int(t.secs()),
            },
        }
    }

    /// Any value of a shape.
    pub fn value<T: JsonValue + ?Sized>(&mut self, v: &T) {
        v.write_json(self);
    }

    /// An object; members are added through the [`Object`] and it is closed by `end`.
    pub fn object(&mut self) -> Object<'_> {
        self.buf.push(b'{');
        Object {
            w: self,
            first: true,
        }
    }

    /// An array of values written by `item`.
    pub fn list_with<T>(&mut self, v: &[T], item: WriteFn<T>) {
        self.buf.push(b'[');
        for (i, x) in v.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            item(self, x);
        }
        self.buf.push(b']');
    }

    /// A sparse array: `None` entries are `null`.
    pub fn sparse_list_with<T>(&mut self, v: &[Option<T>], item: WriteFn<T>) {
        self.buf.push(b'[');
        for (i, x) in v.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            match x {
                Some(x) => item(self, x),
                None => self.null(),
            }
        }
        self.buf.push(b']');
    }

    /// An object of the map's entries (keys are strings or string enums), each value written
    /// by `value`.
    pub fn map_with<K: AsRef<str>, V>(&mut self, m: &HashMap<K, V>, value: WriteFn<V>) {
        let mut o = self.object();
        for (k, v) in m {
            value(o.key(k.as_ref()), v);
        }
        o.end();
    }

    /// A sparse map: `None` values are `null`.
    pub fn sparse_map_with<K: AsRef<str>, V>(
        &mut self,
        m: &HashMap<K, Option<V>>,
        value: WriteFn<V>,
    ) {
        let mut o = self.object();
        for (k, v) in m {
            let w = o.key(k.as_ref());
            match v {
                Some(v) => value(w, v),
                None => w.null(),
            }
        }
        o.end();
    }

    /// A document, without recursion (its depth is the caller's to choose).
    pub fn document(&mut self, d: &Document) {
        // What is left to write: a value, or the separator / closer of a container.
        enum Step<'a> {
            Value(&'a Document),
            Key(&'a str, &'a Document, bool),
            Item(&'a Document, bool),
            Close(u8),
        }
        let mut stack = vec![Step::Value(d)];
        while let Some(step) = stack.pop() {
            let value = match step {
                Step::Close(c) => {
                    self.buf.push(c);
                    continue;
                }
                Step::Key(k, v, first) => {
                    if !first {
                        self.buf.push(b',');
                    }
                    self.string(k);
                    self.buf.push(b':');
                    v
                }
                Step::Item(v, first) => {
                    if !first {
                        self.buf.push(b',');
                    }
                    v
                }
                Step::Value(v) => v,
            };
            match value {
                Document::Null => self.null(),
                Document::Bool(b) => self.boolean(*b),
                Document::String(s) => self.string(s),
                Document::Number(Number::PosInt(n)) => self.number(*n),
                Document::Number(Number::NegInt(n)) => self.int(*n),
                Document::Number(Number::Float(f)) => self.float64(*f),
                Document::Array(items) => {
                    self.buf.push(b'[');
                    stack.push(Step::Close(b']'));
                    for (i, v) in items.iter().enumerate().rev() {
                        stack.push(Step::Item(v, i == 0));
                    }
                }
                Document::Object(map) => {
                    self.buf.push(b'{');
                    stack.push(Step::Close(b'}'));
                    let entries: Vec<_> = map.iter().collect();
                    for (i, (k, v)) in entries.into_iter().enumerate().rev() {
                        stack.push(Step::Key(k, v, i == 0));
                    }
                }
            }
        }
    }
}

fn non_finite(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("Infinity")
    } else if f == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

/// Appends `s` as a JSON string: `"` and `\` escaped, control characters as `\n`, `\t`, ... or
/// `\u00XX` (what serde_json writes).
fn write_escaped(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => {
                buf.extend_from_slice(&bytes[start..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[usize::from(b >> 4)]);
                buf.push(HEX[usize::from(b & 0xf)]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        buf.extend_from_slice(esc);
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// An object being written (see [`JsonWriter::object`]).
#[derive(Debug)]
pub struct Object<'w> {
    w: &'w mut JsonWriter,
    first: bool,
}

impl Object<'_> {
    /// Starts the member `name` (escaped) and returns the writer for its value.
    pub fn key(&mut self, name: &str) -> &mut JsonWriter {
        if !self.first {
            self.w.buf.push(b',');
        }
        self.first = false;
        self.w.string(name);
        self.w.buf.push(b':');
        self.w
    }

    /// Member `name` if it is set.
    pub fn member<T: JsonValue + ?Sized>(&mut self, name: &str, v: Option<&T>) {
        if let Some(v) = v {
            v.write_json(self.key(name));
        }
    }

    /// Member `name` if it is set, written by `write`.
    pub fn member_with<T: ?Sized>(
        &mut self,
        name: &str,
        v: Option<&T>,
        write: fn(&mut JsonWriter, &T),
    ) {
        if let Some(v) = v {
            write(self.key(name), v);
        }
    }

    /// Member `name`, or its default (`json`, encoded by the generator) when it is not set.
    pub fn member_or<T: JsonValue + ?Sized>(&mut self, name: &str, v: Option<&T>, json: &str) {
        match v {
            Some(v) => v.write_json(self.key(name)),
            None => self.key(name).raw(json),
        }
    }

    /// [`Object::member_or`] with a writer.
    pub fn member_with_or<T: ?Sized>(
        &mut self,
        name: &str,
        v: Option<&T>,
        write: fn(&mut JsonWriter, &T),
        json: &str,
    ) {
        match v {
            Some(v) => write(self.key(name), v),
            None => self.key(name).raw(json),
        }
    }

    /// Closes the object.
    pub fn end(self) {
        self.w.buf.push(b'}');
    }
}

/// A structure's members, written into an object: `nested` is false for the top-level input
/// of a request (whose unset members are not sent) and true inside a value (where members the
/// model gives a default, and does not mark `@clientOptional`, carry it when unset).
pub trait JsonMembers {
    fn write_members(&self, o: &mut Object<'_>, nested: bool);
}

impl JsonValue for str {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}
impl JsonValue for String {
    fn write_json(&self, w: &mut JsonWriter) {
        w.string(self);
    }
}
impl JsonValue for bool {
    fn write_json(&self, w: &mut JsonWriter) {
        w.boolean(*self);
    }
}
macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl JsonValue for $t {
            fn write_json(&self, w: &mut JsonWriter) {
                w.int(i64::from(*self));
            }
        }
    )*};
}
int_value!(i8, i16, i32, i64);
impl JsonValue for f64 {
    fn write_json(&self, w: &mut JsonWriter) {
        w.float64(*self);
    }
}
impl JsonValue for f32 {
    fn write_json(&self, w: &mut JsonWriter) {
        w.float32(*self);
    }
}
impl JsonValue for Blob {
    fn write_json(&self, w: &mut JsonWriter) {
        w.blob(self);
    }
}
/// Epoch seconds, the JSON protocols' default; another format is the member's `WriteFn`.
impl JsonValue for DateTime {
    fn write_json(&self, w: &mut JsonWriter) {
        w.timestamp(self, Format::EpochSeconds);
    }
}
impl JsonValue for Document {
    fn write_json(&self, w: &mut JsonWriter) {
        w.document(self);
    }
}
/// `null` for `None`: the entries of sparse lists and maps.
impl<T: JsonValue> JsonValue for Option<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        match self {
            Some(v) => v.write_json(w),
            None => w.null(),
        }
    }
}
impl<T: JsonValue + ?Sized> JsonValue for Box<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        (**self).write_json(w);
    }
}
impl<T: JsonValue> JsonValue for Vec<T> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.list_with(self, |w, v| v.write_json(w));
    }
}
impl<K: AsRef<str>, T: JsonValue> JsonValue for HashMap<K, T> {
    fn write_json(&self, w: &mut JsonWriter) {
        w.map_with(self, |w, v| v.write_json(w));
    }
}

// ------------------------------------------------------------------------------------ reading

/// A JSON body that cannot be read as the shape it should hold: the parser's message (with
/// its line and column) or the reader's (with the member it was reading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(String);

impl JsonError {
    pub fn new(message: impl Into<String>) -> Self {
        JsonError(message.into())
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

/// What a reader may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The deepest nesting of objects and arrays.
    pub max_depth: usize,
}

/// How many more levels of objects and arrays a value may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Depth {
    left: usize,
    max: usize,
}

impl Depth {
    pub fn new(max: usize) -> Self {
        Depth { left: max, max }
    }

    /// One level down, or the error that says the body nests too deep.
    pub fn enter<E: de::Error>(self) -> Result<Depth, E> {
        match self.left.checked_sub(1) {
            Some(left) => Ok(Depth {
                left,
                max: self.max,
            }),
            None => Err(E::custom(format_args!(
                "the body nests deeper than {} levels (max_response_depth)",
                self.max
            ))),
        }
    }
}

/// Reads a value of one shape (generated per structure, union and enum; the runtime's for
/// scalars). `null` is handled by the member's reader before this is called.
pub trait ReadJson: Sized {
    fn read_json<'de, D: Deserializer<'de>>(d: D, depth: Depth) -> Result<Self, D::Error>;
}

/// Reads a value with a rule of its member: a type's own [`ReadJson`] ([`of`]), a timestamp
/// format ([`Ts`]), a list or map of values read by another reader ([`ListOf`], [`MapOf`] and
/// their sparse forms). Readers compose, so `List<Map<String, Timestamp>>` is
/// `ListOf(MapOf(Ts(Format::DateTime)))`.
pub trait Reader: Copy {
    type Out;
    fn read<'de, D: Deserializer<'de>>(self, d: D, depth: Depth) -> Result<Self::Out, D::Error>;
}

/// The reader of a type with its own [`ReadJson`].
pub struct Of<T>(PhantomData<fn() -> T>);

impl<T> Clone for Of<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Of<T> {}

/// The reader of `T` by its [`ReadJson`].
pub const fn of<T>() -> Of<T> {
    Of(PhantomData)
}

impl<T: ReadJson> Reader for Of<T> {
    type Out = T;
    fn read<'de, D: Deserializer<'de>>(self, d: D, depth: Depth) -> Result<T, D::Error> {
        T::read_json(d, depth)
    }
}

/// A timestamp in a format: epoch seconds are a number (fractions kept), the other formats
/// strings.
#[derive(Debug, Clone, Copy)]
pub struct Ts(pub Format);

impl Reader for Ts {
    type Out = DateTime;
    fn read<'de, D: Deserializer<'de>>(self, d: D, _: Depth) -> Result<DateTime, D::Error> {
        struct V(Format);
        impl Visitor<'_> for V {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.0 {
                    Format::EpochSeconds => f.write_str("a timestamp in epoch seconds"),
                    Format::DateTime => f.write_str("an RFC 3339 date-time string"),
                    Format::HttpDate => f.write_str("an HTTP-date string"),
                }
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<DateTime, E> {
                match (self.0, i64::try_from(n)) {
                    (Format::EpochSeconds, Ok(n)) => Ok(DateTime::from_secs(n)),
                    _ => Err(E::invalid_type(de::Unexpected::Unsigned(n), &self)),
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<DateTime, E> {
                match self.0 {
                    Format::EpochSeconds => Ok(DateTime::from_secs(n)),
                    _ => Err(E::invalid_type(de::Unexpected::Signed(n), &self)),
                }
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<DateTime, E> {
                // Within about 292 billion years either way, as DateTime holds it.
                match self.0 {
                    Format::EpochSeconds if n.is_finite() && n.abs() < 9.2e18 => {
                        Ok(DateTime::from_secs_f64(n))
                    }
                    _ => Err(E::invalid_value(de::Unexpected::Float(n), &self)),
                }
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<DateTime, E> {
                crate::time::parse(s, self.0).map_err(E::custom)
            }
        }
        d.deserialize_any(V(self.0))
    }
}

/// A dense list: `null` entries are dropped.
#[derive(Debug, Clone, Copy)]
pub struct ListOf<R>(pub R);

/// A sparse list: `null` entries are kept as `None`.
#[derive(Debug, Clone, Copy)]
pub struct SparseListOf<R>(pub R);

/// A dense map with keys of type `K` (`String` or a string enum): entries whose value is
/// `null` are dropped.
#[derive(Debug)]
pub struct MapOf<R, K>(pub R, pub Key<K>);

/// A sparse map: `null` values are kept as `None`.
#[derive(Debug)]
pub struct SparseMapOf<R, K>(pub R, pub Key<K>);

impl<R: Copy, K> Clone for MapOf<R, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: Copy, K> Copy for MapOf<R, K> {}
impl<R: Copy, K> Clone for SparseMapOf<R, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: Copy, K> Copy for SparseMapOf<R, K> {}

/// The key type of a map reader.
pub struct Key<K>(PhantomData<fn() -> K>);

impl<K> fmt::Debug for Key<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key")
    }
}
impl<K> Clone for Key<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for Key<K> {}

/// Map keys of type `K`, made from the key's text.
pub const fn key<K>() -> Key<K> {
    Key(PhantomData)
}

/// A map key made from its text without an intermediate copy.
struct KeyOf<K>(PhantomData<fn() -> K>);

impl<'de, K: for<'a> From<&'a str>> DeserializeSeed<'de> for KeyOf<K> {
    type Value = K;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K, D::Error> {
        d.deserialize_str(self)
    }
}

impl<K: for<'a> From<&'a str>> Visitor<'_> for KeyOf<K> {
    type Value = K;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<K, E> {
        Ok(K::from(s))
    }
}

/// The seed that reads a value or `null` (`None`) with a reader.
#[derive(Debug, Clone, Copy)]
pub struct Opt<R>(pub R, pub Depth);

impl<'de, R: Reader> DeserializeSeed<'de> for Opt<R> {
    type Value = Option<R::Out>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<R::Out>, D::Error> {
        struct V<R>(R, Depth);
        impl<'de, R: Reader> Visitor<'de> for V<R> {
            type Value = Option<R::Out>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                self.0.read(d, self.1).map(Some)
            }
        }
        d.deserialize_option(V(self.0, self.1))
    }
}

macro_rules! list_reader {
    ($name:ident, $out:ty, $keep:expr) => {
        impl<R: Reader> Reader for $name<R> {
            type Out = $out;
            fn read<'de, D: Deserializer<'de>>(self, d: D, depth: Depth) -> Result<$out, D::Error> {
                struct V<R>(R, Depth);
                impl<'de, R: Reader> Visitor<'de> for V<R> {
                    type Value = $out;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("an array")
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$out, A::Error> {
                        let mut out = Vec::new();
                        while let Some(item) = seq.next_element_seed(Opt(self.0, self.1))? {
                            #[allow(clippy::redundant_closure_call)]
                            ($keep)(&mut out, item);
                        }
                        Ok(out)
                    }
                }
                d.deserialize_seq(V(self.0, depth.enter()?))
            }
        }
    };
}
list_reader!(
    ListOf,
    Vec<R::Out>,
    |out: &mut Vec<R::Out>, item: Option<R::Out>| {
        if let Some(v) = item {
            out.push(v)
        }
    }
);
list_reader!(
    SparseListOf,
    Vec<Option<R::Out>>,
    |out: &mut Vec<Option<R::Out>>, item| out.push(item)
);

macro_rules! map_reader {
    ($name:ident, $out:ty, $keep:expr) => {
        impl<R: Reader, K: for<'a> From<&'a str> + Eq + std::hash::Hash> Reader for $name<R, K> {
            type Out = $out;
            fn read<'de, D: Deserializer<'de>>(self, d: D, depth: Depth) -> Result<$out, D::Error> {
                struct V<R, K>(R, Depth, PhantomData<fn() -> K>);
                impl<'de, R: Reader, K: for<'a> From<&'a str> + Eq + std::hash::Hash> Visitor<'de>
                    for V<R, K>
                {
                    type Value = $out;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$out, A::Error> {
                        let mut out = HashMap::new();
                        while let Some(k) = map.next_key_seed(KeyOf::<K>(PhantomData))? {
                            let v = map.next_value_seed(Opt(self.0, self.1))?;
                            #[allow(clippy::redundant_closure_call)]
                            ($keep)(&mut out, k, v);
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V(self.0, depth.enter()?, PhantomData))
            }
        }
    };
}
map_reader!(
    MapOf,
    HashMap<K, R::Out>,
    |out: &mut HashMap<K, R::Out>, k, v: Option<R::Out>| {
        if let Some(v) = v {
            out.insert(k, v);
        }
    }
);
map_reader!(
    SparseMapOf,
    HashMap<K, Option<R::Out>>,
    |out: &mut HashMap<K, Option<R::Out>>, k, v| {
        out.insert(k, v);
    }
);

impl ReadJson for String {
    fn read_json<'de, D: Deserializer<'de>>(d: D, _: Depth) -> Result<Self, D::Error> {
        <String as de::Deserialize>::deserialize(d)
    }
}
impl ReadJson for bool {
    fn read_json<'de, D: Deserializer<'de>>(d: D, _: Depth) -> Result<Self, D::Error> {
        <bool as de::Deserialize>::deserialize(d)
    }
}
macro_rules! int_read {
    ($($t:ty),*) => {$(
        impl ReadJson for $t {
            fn read_json<'de, D: Deserializer<'de>>(d: D, _: Depth) -> Result<Self, D::Error> {
                <$t as de::Deserialize>::deserialize(d)
            }
        }
    )*};
}
int_read!(i8, i16, i32, i64);

/// A float: a number, or one of the strings `NaN`, `Infinity`, `-Infinity`.
struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<f64, E> {
        Ok(n)
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<f64, E> {
        Ok(n as f64)
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<f64, E> {
        Ok(n as f64)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<f64, E> {
        match s {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_value(de::Unexpected::Str(s), &self)),
        }
    }
}

impl ReadJson for f64 {
    fn read_json<'de, D: Deserializer<'de>>(d: D, _: Depth) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
}
impl ReadJson for f32 {
    fn read_json<'de, D: Deserializer<'de>>(d: D, _: Depth) -> Result<Self, D::Error> {
        let f = d.deserialize_any(FloatVisitor)?;
        if f.is_finite() && f.abs() > f64::from(f32::MAX) {
            return Err(D::Error::custom(format_args!(
                "{f} does not fit a 32-bit float"
            )));
        }
        Ok(f as f32)
    }
}

impl ReadJson for Blob {
    fn read_json<'de, D: Deserializer<'de>>(d: D, _: Depth) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Blob;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Blob, E> {
                aws_smithy_types::base64::decode(s)
                    .map(Blob::new)
                    .map_err(|e| E::custom(format_args!("invalid base64: {e}")))
            }
        }
        d.deserialize_str(V)
    }
}

/// Epoch seconds (the JSON protocols' default format).
impl ReadJson for DateTime {
    fn read_json<'de, D: Deserializer<'de>>(d: D, depth: Depth) -> Result<Self, D::Error> {
        Ts(Format::EpochSeconds).read(d, depth)
    }
}

/// A document: any JSON value, each object and array one level of depth.
impl ReadJson for Document {
    fn read_json<'de, D: Deserializer<'de>>(d: D, depth: Depth) -> Result<Self, D::Error> {
        struct V(Depth);
        impl<'de> DeserializeSeed<'de> for V {
            type Value = Document;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
                d.deserialize_any(self)
            }
        }
        impl<'de> Visitor<'de> for V {
            type Value = Document;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
                Ok(Document::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Document, E> {
                Ok(Document::Null)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Document, E> {
                Ok(Document::Bool(b))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Document, E> {
                Ok(Document::Number(Number::PosInt(n)))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Document, E> {
                Ok(if n < 0 {
                    Document::Number(Number::NegInt(n))
                } else {
                    Document::Number(Number::PosInt(n.unsigned_abs()))
                })
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Document, E> {
                Ok(Document::Number(Number::Float(n)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Document, E> {
                Ok(Document::String(s.to_owned()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Document, E> {
                Ok(Document::String(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
                let depth = self.0.enter()?;
                let mut out = Vec::new();
                while let Some(v) = seq.next_element_seed(V(depth))? {
                    out.push(v);
                }
                Ok(Document::Array(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
                let depth = self.0.enter()?;
                let mut out = HashMap::new();
                while let Some(k) = map.next_key::<String>()? {
                    let v = map.next_value_seed(V(depth))?;
                    out.insert(k, v);
                }
                Ok(Document::Object(out))
            }
        }
        d.deserialize_any(V(depth))
    }
}

/// A structure, as generated code describes it to [`read_struct`].
pub trait JsonStruct: Default {
    /// The member names, indexed as [`JsonStruct::member_index`] numbers them.
    const MEMBERS: &'static [&'static str];
    /// The index of the member named `key` on the wire, if the structure has one.
    fn member_index(key: &str) -> Option<usize>;
    /// Reads member `index`'s value, the next value of `map`.
    fn read_member<'de, A: MapAccess<'de>>(
        &mut self,
        index: usize,
        map: &mut A,
        depth: Depth,
    ) -> Result<(), A::Error>;
    /// Fills what the model says a reader fills when the body leaves it out (defaults).
    fn finish(&mut self) {}
}

/// Matches a member name against a structure's or union's members without copying it.
struct KeySeed(fn(&str) -> Option<usize>);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<usize>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<usize>, E> {
        Ok((self.0)(s))
    }
}

/// Reads structure `T` from an object: each known member by its reader, unknown members
/// skipped, a repeated member's last value kept.
pub fn read_struct<'de, T: JsonStruct, D: Deserializer<'de>>(
    d: D,
    depth: Depth,
) -> Result<T, D::Error> {
    struct V<T>(Depth, PhantomData<fn() -> T>);
    impl<'de, T: JsonStruct> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut out = T::default();
            while let Some(key) = map.next_key_seed(KeySeed(T::member_index))? {
                match key {
                    Some(i) => {
                        if let Err(e) = out.read_member(i, &mut map, self.0) {
                            let name = T::MEMBERS.get(i).copied().unwrap_or("?");
                            return Err(A::Error::custom(format_args!("`{name}`: {e}")));
                        }
                    }
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            out.finish();
            Ok(out)
        }
    }
    d.deserialize_map(V(depth.enter()?, PhantomData))
}

/// Reads the value of member `index` of a structure with `reader` (`None` for `null`).
pub fn member<'de, A: MapAccess<'de>, R: Reader>(
    map: &mut A,
    reader: R,
    depth: Depth,
) -> Result<Option<R::Out>, A::Error> {
    map.next_value_seed(Opt(reader, depth))
}

/// A union, as generated code describes it to [`read_union`].
pub trait JsonUnion: Sized {
    /// The variant names, indexed as [`JsonUnion::member_index`] numbers them.
    const MEMBERS: &'static [&'static str];
    fn member_index(key: &str) -> Option<usize>;
    /// Reads the value of variant `index`; `None` for `null` (the member is not set).
    fn read_variant<'de, A: MapAccess<'de>>(
        index: usize,
        map: &mut A,
        depth: Depth,
    ) -> Result<Option<Self>, A::Error>;
    /// The variant for a member this version does not know.
    fn unknown() -> Self;
}

/// Reads union `T` from an object: the one member set is the value; `__type` is ignored; a
/// member the model does not name is `Unknown` unless a known one is set; two set members, or
/// none at all, are errors.
pub fn read_union<'de, T: JsonUnion, D: Deserializer<'de>>(
    d: D,
    depth: Depth,
) -> Result<T, D::Error> {
    struct V<T>(Depth, PhantomData<fn() -> T>);
    impl<'de, T: JsonUnion> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object with one member set")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
            let mut out: Option<T> = None;
            let mut unknown = false;
            // `__type` (a server's type tag) is ignored, not an unknown member.
            fn classify<T: JsonUnion>(key: &str) -> Option<usize> {
                match key {
                    "__type" => Some(usize::MAX),
                    _ => T::member_index(key),
                }
            }
            while let Some(key) = map.next_key_seed(KeySeed(classify::<T>))? {
                match key {
                    Some(usize::MAX) => {
                        map.next_value::<IgnoredAny>()?;
                    }
                    Some(i) => match T::read_variant(i, &mut map, self.0) {
                        Ok(Some(v)) => {
                            if out.is_some() {
                                return Err(A::Error::custom(
                                    "a union has more than one member set",
                                ));
                            }
                            out = Some(v);
                        }
                        Ok(None) => {}
                        Err(e) => {
                            let name = T::MEMBERS.get(i).copied().unwrap_or("?");
                            return Err(A::Error::custom(format_args!("`{name}`: {e}")));
                        }
                    },
                    None => {
                        unknown = true;
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            match out {
                Some(v) => Ok(v),
                None if unknown => Ok(T::unknown()),
                None => Err(A::Error::custom("a union has no member set")),
            }
        }
    }
    d.deserialize_map(V(depth.enter()?, PhantomData))
}

/// Reads a string enum through its `From<&str>` (unknown values kept as sent).
pub fn read_enum<'de, T: for<'a> From<&'a str>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    struct V<T>(PhantomData<fn() -> T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            Ok(T::from(s))
        }
    }
    d.deserialize_str(V(PhantomData))
}

/// Reads an int enum through its `From<i32>`.
pub fn read_int_enum<'de, T: From<i32>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    <i32 as de::Deserialize>::deserialize(d).map(T::from)
}

/// A blob `@default` (base64 in the model, checked by the generator): its bytes.
pub fn blob_default(base64: &str) -> Blob {
    Blob::new(aws_smithy_types::base64::decode(base64).unwrap_or_default())
}

/// A timestamp `@default`: epoch seconds, or an RFC 3339 date-time (checked by the generator).
pub fn timestamp_default(text: &str) -> DateTime {
    crate::time::parse(text, Format::EpochSeconds)
        .or_else(|_| crate::time::parse(text, Format::DateTime))
        .unwrap_or(DateTime::from_secs(0))
}

/// A document `@default` (JSON written by the generator).
pub fn document_default(json: &str) -> Document {
    from_slice(json.as_bytes(), Limits { max_depth: 128 }).unwrap_or(Document::Null)
}

/// Reads a whole body as `T` within `limits`: the value, then nothing but whitespace.
pub fn from_slice<T: ReadJson>(body: &[u8], limits: Limits) -> Result<T, JsonError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let v = T::read_json(&mut de, Depth::new(limits.max_depth))
        .map_err(|e| JsonError(e.to_string()))?;
    de.end().map_err(|e| JsonError(e.to_string()))?;
    Ok(v)
}

/// Reads a whole body as `T`: an empty body (only whitespace) is an object with nothing set.
pub fn from_body<T: ReadJson>(body: &[u8], limits: Limits) -> Result<T, JsonError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return from_slice(b"{}", limits);
    }
    from_slice(body, limits)
}

/// An error response's JSON body, as a modeled error's reader gets it, with the error's name
/// the protocol found (which picked the modeled error).
#[derive(Debug, Clone, Copy)]
pub struct ErrorBody<'a> {
    body: &'a [u8],
    limits: Limits,
    name: &'a str,
}

impl<'a> ErrorBody<'a> {
    pub fn new(body: &'a [u8], limits: Limits, name: &'a str) -> Self {
        ErrorBody { body, limits, name }
    }

    /// The error's name (`QueueDoesNotExist`), namespace and suffix taken off.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The modeled error's members.
    pub fn read<T: ReadJson>(self) -> Result<T, JsonError> {
        from_body(self.body, self.limits)
    }
}

impl crate::error::ErrorSource for ErrorBody<'_> {
    fn error_name(&self) -> Option<&str> {
        Some(self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_depth: 128 };

    #[derive(Debug, Default, PartialEq)]
    struct Item {
        name: Option<String>,
        size: Option<i32>,
        tags: Option<Vec<String>>,
        when: Option<DateTime>,
        child: Option<Box<Item>>,
        ratio: Option<f64>,
    }

    impl JsonStruct for Item {
        const MEMBERS: &'static [&'static str] =
            &["Name", "Size", "Tags", "When", "Child", "Ratio"];
        fn member_index(key: &str) -> Option<usize> {
            Self::MEMBERS.iter().position(|m| *m == key)
        }
        fn read_member<'de, A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
            depth: Depth,
        ) -> Result<(), A::Error> {
            match index {
                0 => self.name = member(map, of::<String>(), depth)?,
                1 => self.size = member(map, of::<i32>(), depth)?,
                2 => self.tags = member(map, ListOf(of::<String>()), depth)?,
                3 => self.when = member(map, Ts(Format::DateTime), depth)?,
                4 => self.child = member(map, of::<Item>(), depth)?.map(Box::new),
                5 => self.ratio = member(map, of::<f64>(), depth)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }
    impl ReadJson for Item {
        fn read_json<'de, D: Deserializer<'de>>(d: D, depth: Depth) -> Result<Self, D::Error> {
            read_struct(d, depth)
        }
    }
    impl JsonValue for Item {
        fn write_json(&self, w: &mut JsonWriter) {
            let mut o = w.object();
            o.member("Name", self.name.as_ref());
            o.member("Size", self.size.as_ref());
            o.member("Tags", self.tags.as_ref());
            o.member_with("When", self.when.as_ref(), |w, t| {
                w.timestamp(t, Format::DateTime)
            });
            o.member("Child", self.child.as_ref());
            o.member("Ratio", self.ratio.as_ref());
            o.end();
        }
    }

    #[test]
    fn a_structure_round_trips_and_unknown_members_are_skipped() {
        let item = Item {
            name: Some("a \"b\"\n\u{1}é".into()),
            size: Some(-3),
            tags: Some(vec!["x".into(), "y".into()]),
            when: Some(DateTime::from_secs(1_422_172_800)),
            child: Some(Box::new(Item {
                ratio: Some(f64::NAN),
                ..Item::default()
            })),
            ratio: Some(0.5),
        };
        let mut w = JsonWriter::new();
        item.write_json(&mut w);
        let body = w.finish();
        let text = std::str::from_utf8(&body).unwrap();
        assert_eq!(
            text,
            r#"{"Name":"a \"b\"\n\u0001é","Size":-3,"Tags":["x","y"],"When":"2015-01-25T08:00:00Z","Child":{"Ratio":"NaN"},"Ratio":0.5}"#
        );
        let back: Item = from_slice(&body, LIMITS).unwrap();
        assert_eq!(back.name, item.name);
        assert!(back.child.unwrap().ratio.unwrap().is_nan());
        let with_unknown =
            br#"{"Other":{"deep":[1,2,{"x":null}]},"Size":7,"Tags":["a",null,"b"],"Name":null}"#;
        let v: Item = from_slice(with_unknown, LIMITS).unwrap();
        assert_eq!(v.size, Some(7));
        assert_eq!(v.tags, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(v.name, None);
    }

    #[test]
    fn wrong_types_and_numbers_that_do_not_fit_are_errors_naming_the_member() {
        let e = from_slice::<Item>(br#"{"Size":"seven"}"#, LIMITS).unwrap_err();
        assert!(e.to_string().contains("`Size`"), "{e}");
        let e = from_slice::<Item>(br#"{"Size":3000000000}"#, LIMITS).unwrap_err();
        assert!(e.to_string().contains("`Size`"), "{e}");
        let e = from_slice::<Item>(br#"{"Size":1.5}"#, LIMITS).unwrap_err();
        assert!(e.to_string().contains("`Size`"), "{e}");
        let e = from_slice::<Item>(b"{\"Name\":\"\xff\"}", LIMITS).unwrap_err();
        assert!(!e.to_string().is_empty());
        let e = from_slice::<Item>(br#"{"Size":1} x"#, LIMITS).unwrap_err();
        assert!(e.to_string().contains("trailing"), "{e}");
        let e = from_slice::<Item>(br#"[1]"#, LIMITS).unwrap_err();
        assert!(e.to_string().contains("object"), "{e}");
    }

    #[test]
    fn nesting_is_bounded_for_known_unknown_and_document_members() {
        let deep = |n: usize| {
            let mut s = String::new();
            for _ in 0..n {
                s.push_str(r#"{"Child":"#);
            }
            s.push_str("{}");
            for _ in 0..n {
                s.push('}');
            }
            s
        };
        assert!(from_slice::<Item>(deep(10).as_bytes(), LIMITS).is_ok());
        let e = from_slice::<Item>(deep(10).as_bytes(), Limits { max_depth: 5 }).unwrap_err();
        assert!(e.to_string().contains("deeper than 5"), "{e}");
        // Far deeper than any limit: an error, not a stack overflow.
        assert!(from_slice::<Item>(deep(100_000).as_bytes(), LIMITS).is_err());
        // An unknown member is skipped by serde_json without recursion, whatever its depth
        // (its cost is bounded by the body's size).
        let unknown = format!(
            r#"{{"Other":{}1{},"Size":2}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(
            from_slice::<Item>(unknown.as_bytes(), LIMITS).unwrap().size,
            Some(2)
        );
        let doc = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(from_slice::<Document>(doc.as_bytes(), LIMITS).is_err());
        let doc = format!("{}1{}", "[".repeat(3), "]".repeat(3));
        let d = from_slice::<Document>(doc.as_bytes(), LIMITS).unwrap();
        assert!(matches!(d, Document::Array(_)));
    }

    #[test]
    fn documents_are_written_without_recursion() {
        let mut d = Document::Number(Number::NegInt(-1));
        for _ in 0..200_000 {
            d = Document::Array(vec![d]);
        }
        let mut w = JsonWriter::new();
        w.document(&d);
        assert_eq!(w.as_bytes().len(), 400_002);
        // Dropping a deep document recurses in aws-smithy-types; take it apart by hand.
        let mut cur = d;
        while let Document::Array(mut v) = cur {
            cur = v.pop().unwrap_or(Document::Null);
        }
        let doc = Document::Object(HashMap::from([(
            "k\"".to_owned(),
            Document::Array(vec![
                Document::Bool(true),
                Document::Null,
                Document::Number(Number::Float(1.5)),
                Document::String("s".into()),
            ]),
        )]));
        let mut w = JsonWriter::new();
        w.document(&doc);
        assert_eq!(w.as_bytes(), br#"{"k\"":[true,null,1.5,"s"]}"#);
    }

    #[test]
    fn floats_blobs_and_timestamps() {
        let mut w = JsonWriter::new();
        w.float64(f64::INFINITY);
        w.float64(f64::NEG_INFINITY);
        w.float32(0.1);
        w.blob(&Blob::new("value"));
        w.timestamp(
            &DateTime::from_secs_f64(946_845_296.123),
            Format::EpochSeconds,
        );
        w.timestamp(&DateTime::from_secs(1), Format::HttpDate);
        assert_eq!(
            std::str::from_utf8(w.as_bytes()).unwrap(),
            r#""Infinity""-Infinity"0.1"dmFsdWU="946845296.123"Thu, 01 Jan 1970 00:00:01 GMT""#
        );
        let f: f64 = from_slice(br#""-Infinity""#, LIMITS).unwrap();
        assert_eq!(f, f64::NEG_INFINITY);
        assert!(from_slice::<f64>(br#""nan""#, LIMITS).is_err());
        assert!(from_slice::<f32>(b"1e300", LIMITS).is_err());
        let b: Blob = from_slice(br#""dmFsdWU=""#, LIMITS).unwrap();
        assert_eq!(b.as_ref(), b"value");
        assert!(from_slice::<Blob>(br#""!!""#, LIMITS).is_err());
        let t: DateTime = from_slice(b"946845296.123", LIMITS).unwrap();
        assert_eq!(t.secs(), 946_845_296);
        assert_eq!(t.subsec_nanos() / 1_000_000, 123);
        assert!(from_slice::<DateTime>(b"1e300", LIMITS).is_err());
    }
}
