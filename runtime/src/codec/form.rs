//! The awsQuery and ec2Query request body writer: `Action=...&Version=...&Key=value...`,
//! form-encoded. The two dialects differ in how an empty list is written (see
//! [`QueryWriter::ec2`]); keys and list layouts are the generated serializers' choice.
//!
//! Keys and values are percent-encoded per RFC 3986: unreserved characters (`A-Za-z0-9-_.~`) stay,
//! everything else becomes `%XX` with upper-case hex (spaces are `%20`, never `+`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::primitives::{Blob, DateTime};
use crate::time::{self, Format};

const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Where a value goes: a whole key, `prefix.name`, or item `i` of a list (`prefix.member.N`,
/// or `prefix.N` when flattened). The writer writes the parts one after the other, so a leaf
/// value costs no key string.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    /// A key written as it is.
    Plain(&'a str),
    /// `prefix.name`, or `name` at the top level.
    Member(&'a str, &'a str),
    /// `prefix.member.N` (or `prefix.N` when the member is `None`: flattened), N counting from 1.
    Item(&'a str, Option<&'a str>, usize),
}

impl<'a> Key<'a> {
    /// `prefix.name`, or `name` at the top level.
    pub fn member(prefix: &'a str, name: &'a str) -> Self {
        Key::Member(prefix, name)
    }

    /// Item `i` (0-based) of a list: `prefix.member.{i+1}`, or `prefix.{i+1}` when flattened.
    pub fn item(prefix: &'a str, flattened: bool, member: &'a str, i: usize) -> Self {
        Key::Item(prefix, (!flattened).then_some(member), i + 1)
    }
}

impl<'a> From<&'a str> for Key<'a> {
    fn from(key: &'a str) -> Self {
        Key::Plain(key)
    }
}

impl<'a> From<&'a String> for Key<'a> {
    fn from(key: &'a String) -> Self {
        Key::Plain(key)
    }
}

/// Accumulates one request body.
#[derive(Debug, Clone)]
pub struct QueryWriter {
    body: String,
    /// An empty list is written as `key=` (awsQuery), else not at all (ec2Query).
    empty_list_as_set: bool,
}

impl QueryWriter {
    /// Starts an awsQuery body with `Action` and `Version`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut body = String::with_capacity(256);
        body.push_str("Action=");
        body.extend(utf8_percent_encode(action, QUERY));
        body.push_str("&Version=");
        body.extend(utf8_percent_encode(version, QUERY));
        QueryWriter {
            body,
            empty_list_as_set: true,
        }
    }

    /// Starts an ec2Query body with `Action` and `Version`: like [`new`](Self::new), but an
    /// empty list writes nothing (ec2Query has no way to send one).
    pub fn ec2(action: &str, version: &str) -> Self {
        QueryWriter {
            empty_list_as_set: false,
            ..QueryWriter::new(action, version)
        }
    }

    fn pair(&mut self, key: Key<'_>, value: &str) {
        self.key(key);
        self.body.extend(utf8_percent_encode(value, QUERY));
    }

    /// `&key=`, the key written part by part.
    fn key(&mut self, key: Key<'_>) {
        self.body.push('&');
        match key {
            Key::Plain(k) => self.body.extend(utf8_percent_encode(k, QUERY)),
            Key::Member(prefix, name) => {
                if !prefix.is_empty() {
                    self.body.extend(utf8_percent_encode(prefix, QUERY));
                    self.body.push('.');
                }
                self.body.extend(utf8_percent_encode(name, QUERY));
            }
            Key::Item(prefix, member, n) => {
                self.body.extend(utf8_percent_encode(prefix, QUERY));
                if let Some(m) = member {
                    self.body.push('.');
                    self.body.extend(utf8_percent_encode(m, QUERY));
                }
                use std::fmt::Write as _;
                let _ = write!(self.body, ".{n}");
            }
        }
        self.body.push('=');
    }

    pub fn string<'k>(&mut self, key: impl Into<Key<'k>>, value: &str) {
        self.pair(key.into(), value);
    }

    pub fn boolean<'k>(&mut self, key: impl Into<Key<'k>>, value: bool) {
        self.pair(key.into(), if value { "true" } else { "false" });
    }

    pub fn int<'k>(&mut self, key: impl Into<Key<'k>>, value: i64) {
        // Digits and `-` need no encoding.
        self.key(key.into());
        use std::fmt::Write as _;
        let _ = write!(self.body, "{value}");
    }

    /// `NaN`, `Infinity`, `-Infinity`, else the shortest decimal that reads back the same.
    pub fn float64<'k>(&mut self, key: impl Into<Key<'k>>, value: f64) {
        let s = if value.is_nan() {
            "NaN".to_owned()
        } else if value.is_infinite() {
            if value > 0.0 {
                "Infinity".to_owned()
            } else {
                "-Infinity".to_owned()
            }
        } else {
            value.to_string()
        };
        self.pair(key.into(), &s);
    }

    /// Like [`float64`](Self::float64), printed at `f32` precision (`0.1`, not `0.100000001`).
    pub fn float32<'k>(&mut self, key: impl Into<Key<'k>>, value: f32) {
        if value.is_finite() {
            self.pair(key.into(), &value.to_string());
        } else {
            self.float64(key, f64::from(value));
        }
    }

    pub fn timestamp<'k>(&mut self, key: impl Into<Key<'k>>, value: &DateTime, format: Format) {
        // Formatting fails only for years outside 0001-9999; send epoch seconds then rather than
        // nothing, so the service reports the out-of-range value.
        let s = time::format(value, format).unwrap_or_else(|_| value.secs().to_string());
        self.pair(key.into(), &s);
    }

    pub fn blob<'k>(&mut self, key: impl Into<Key<'k>>, value: &Blob) {
        self.pair(
            key.into(),
            &aws_smithy_types::base64::encode(value.as_ref()),
        );
    }

    /// The finished body.
    pub fn finish(self) -> String {
        self.body
    }
}

impl Key<'_> {
    /// The key as one string: the prefix under which a structure writes its members.
    pub fn to_prefix(self) -> String {
        match self {
            Key::Plain(k) => k.to_owned(),
            Key::Member(prefix, name) => key(prefix, name),
            Key::Item(prefix, Some(member), n) => format!("{prefix}.{member}.{n}"),
            Key::Item(prefix, None, n) => format!("{prefix}.{n}"),
        }
    }
}

/// A value that writes itself under a key: one `key=value` pair for a scalar, an enum or a
/// timestamp (awsQuery's default `date-time` format), `key.Member=...` pairs for a structure or
/// union. Generated code implements it for the model's structures, unions and enums.
pub trait QueryValue {
    /// Writes the value under `key`.
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>);
}

/// Writes one item, entry value or member under a key: [`QueryWriter::value`] for a
/// [`QueryValue`], else a function that knows the layout (a nested list, a timestamp format).
pub type WriteFn<T> = fn(&mut QueryWriter, Key<'_>, &T);

/// How a list is laid out: `Key.member.N` (wrapped, the item name `member` or the model's
/// `@xmlName`) or `Key.N` (`@xmlFlattened`), N counting from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct List {
    pub flattened: bool,
    pub member: &'static str,
}

impl List {
    /// `Key.member.N`.
    pub const MEMBER: List = List {
        flattened: false,
        member: "member",
    };
    /// `Key.N`.
    pub const FLAT: List = List {
        flattened: true,
        member: "member",
    };
}

/// How a map is laid out: `Key.entry.N.key` / `Key.entry.N.value` (wrapped), or `Key.N.key` /
/// `Key.N.value` (`@xmlFlattened`), with the model's `@xmlName`s for key and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Map {
    pub flattened: bool,
    pub key: &'static str,
    pub value: &'static str,
}

impl Map {
    /// `Key.entry.N.key` and `Key.entry.N.value`.
    pub const ENTRY: Map = Map {
        flattened: false,
        key: "key",
        value: "value",
    };
    /// `Key.N.key` and `Key.N.value`.
    pub const FLAT: Map = Map {
        flattened: true,
        key: "key",
        value: "value",
    };
}

/// The protocol's rules for members, lists and maps, so generated serializers only name
/// members and layouts.
impl QueryWriter {
    /// Writes `v` under `key`.
    pub fn value<T: QueryValue + ?Sized>(&mut self, key: Key<'_>, v: &T) {
        v.write_query(self, key);
    }

    /// Writes member `name` under `prefix` when it is set; an absent member writes nothing.
    pub fn member<T: QueryValue>(&mut self, prefix: &str, name: &str, v: &Option<T>) {
        if let Some(v) = v {
            v.write_query(self, Key::member(prefix, name));
        }
    }

    /// [`member`](Self::member), written by `write` (a nested list or map, a timestamp in
    /// another format).
    pub fn member_with<T>(&mut self, prefix: &str, name: &str, v: &Option<T>, write: WriteFn<T>) {
        if let Some(v) = v {
            write(self, Key::member(prefix, name), v);
        }
    }

    /// A list member of [`QueryValue`] items; see [`list_at`](Self::list_at).
    pub fn list<T: QueryValue>(
        &mut self,
        prefix: &str,
        name: &str,
        layout: List,
        v: &Option<Vec<T>>,
    ) {
        if let Some(v) = v {
            self.list_at(Key::member(prefix, name), layout, v, QueryWriter::value);
        }
    }

    /// Each item under `key.member.N` (or `key.N` when flattened); an empty list is written as
    /// `key=` so that the service sees it was set (awsQuery), or not at all (ec2Query,
    /// [`QueryWriter::ec2`]).
    pub fn list_at<T>(&mut self, key: Key<'_>, layout: List, v: &[T], item: WriteFn<T>) {
        if v.is_empty() {
            if self.empty_list_as_set {
                self.string(key, "");
            }
            return;
        }
        let prefix = key.to_prefix();
        for (i, value) in v.iter().enumerate() {
            item(
                self,
                Key::item(&prefix, layout.flattened, layout.member, i),
                value,
            );
        }
    }

    /// A map member of [`QueryValue`] values; see [`map_at`](Self::map_at).
    pub fn map<K: QueryValue + Ord, V: QueryValue>(
        &mut self,
        prefix: &str,
        name: &str,
        layout: Map,
        v: &Option<std::collections::HashMap<K, V>>,
    ) {
        if let Some(v) = v {
            self.map_at(Key::member(prefix, name), layout, v, QueryWriter::value);
        }
    }

    /// Each entry under `key.entry.N.key` and `key.entry.N.value` (or `key.N.…` when
    /// flattened), in key order so the body is the same on every call. An empty map writes
    /// nothing (unlike a list), as Smithy's awsQuery tests expect.
    pub fn map_at<K: QueryValue + Ord, V>(
        &mut self,
        key: Key<'_>,
        layout: Map,
        v: &std::collections::HashMap<K, V>,
        value: WriteFn<V>,
    ) {
        if v.is_empty() {
            return;
        }
        let prefix = key.to_prefix();
        let mut entries: Vec<_> = v.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (i, (k, v)) in entries.into_iter().enumerate() {
            let entry = Key::item(&prefix, layout.flattened, "entry", i).to_prefix();
            k.write_query(self, Key::member(&entry, layout.key));
            value(self, Key::member(&entry, layout.value), v);
        }
    }
}

impl QueryValue for str {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        w.string(key, self);
    }
}

impl QueryValue for String {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        w.string(key, self);
    }
}

impl QueryValue for bool {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        w.boolean(key, *self);
    }
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
                w.int(key, i64::from(*self));
            }
        }
    )*};
}
int_value!(i8, i16, i32, i64);

impl QueryValue for f32 {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        w.float32(key, *self);
    }
}

impl QueryValue for f64 {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        w.float64(key, *self);
    }
}

impl QueryValue for Blob {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        w.blob(key, self);
    }
}

/// In awsQuery's default format, `date-time`; other formats go through [`WriteFn`]s that call
/// [`QueryWriter::timestamp`].
impl QueryValue for DateTime {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        w.timestamp(key, self, Format::DateTime);
    }
}

impl<T: QueryValue + ?Sized> QueryValue for Box<T> {
    fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
        (**self).write_query(w, key);
    }
}

/// `prefix.name`, or `name` at the top level.
fn key(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        let mut k = String::with_capacity(prefix.len() + 1 + name.len());
        k.push_str(prefix);
        k.push('.');
        k.push_str(name);
        k
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// The first serializer, written by hand before the generator existed: what
    /// `SetIdentityMailFromDomain` must put on the wire.
    #[test]
    fn set_identity_mail_from_domain_by_hand() {
        let mut w = QueryWriter::new("SetIdentityMailFromDomain", "2010-12-01");
        w.string(Key::member("", "Identity"), "user@example.com");
        w.string(Key::member("", "MailFromDomain"), "bounces.example.com");
        w.string(Key::member("", "BehaviorOnMXFailure"), "UseDefaultValue");
        assert_eq!(
            w.finish(),
            "Action=SetIdentityMailFromDomain&Version=2010-12-01&Identity=user%40example.com\
             &MailFromDomain=bounces.example.com&BehaviorOnMXFailure=UseDefaultValue"
        );
    }

    #[test]
    fn keys_written_in_parts_equal_the_joined_keys() {
        let mut parts = QueryWriter::new("Op", "1");
        parts.string(Key::member("", "Top"), "a");
        parts.string(Key::member("A.B", "C d"), "b");
        parts.int(Key::item("L", false, "member", 0), -3);
        parts.boolean(Key::item("L", true, "member", 9), true);
        let mut joined = QueryWriter::new("Op", "1");
        for (k, v) in [
            ("Top", "a"),
            ("A.B.C d", "b"),
            ("L.member.1", "-3"),
            ("L.10", "true"),
        ] {
            joined.string(k, v);
        }
        assert_eq!(parts.finish(), joined.finish());
        assert_eq!(Key::member("", "Top").to_prefix(), "Top");
        assert_eq!(Key::item("L", false, "x", 1).to_prefix(), "L.x.2");
        assert_eq!(Key::item("L", true, "x", 1).to_prefix(), "L.2");
    }

    /// A structure as generated code writes it.
    struct Dest {
        to: Option<Vec<String>>,
        tags: Option<HashMap<String, String>>,
        when: Option<DateTime>,
        nested: Option<Vec<Vec<i32>>>,
        name: Option<String>,
    }

    impl QueryValue for Dest {
        fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
            let prefix = &key.to_prefix();
            w.member(prefix, "Name", &self.name);
            w.list(prefix, "To", List::MEMBER, &self.to);
            w.map(prefix, "Tags", Map::ENTRY, &self.tags);
            w.member_with(prefix, "When", &self.when, |w, k, v| {
                w.timestamp(k, v, Format::EpochSeconds)
            });
            w.member_with(prefix, "Nested", &self.nested, |w, k, v| {
                w.list_at(k, List::FLAT, v, |w, k, v| {
                    w.list_at(
                        k,
                        List {
                            flattened: false,
                            member: "n",
                        },
                        v,
                        QueryWriter::value,
                    )
                })
            });
        }
    }

    #[test]
    fn the_writer_owns_the_rules_for_members_lists_and_maps() {
        let dest = Dest {
            to: Some(vec!["a b+c".into(), "ü~".into()]),
            tags: Some(HashMap::from([
                ("z".into(), "1".into()),
                ("a".into(), "2".into()),
            ])),
            when: Some(DateTime::from_secs(1_422_172_800)),
            nested: Some(vec![vec![1, 2], vec![]]),
            name: None,
        };
        let mut w = QueryWriter::new("Op", "1");
        w.value(Key::member("", "Destination"), &dest);
        assert_eq!(
            w.finish(),
            "Action=Op&Version=1&Destination.To.member.1=a%20b%2Bc&Destination.To.member.2=%C3%BC~\
             &Destination.Tags.entry.1.key=a&Destination.Tags.entry.1.value=2\
             &Destination.Tags.entry.2.key=z&Destination.Tags.entry.2.value=1\
             &Destination.When=1422172800\
             &Destination.Nested.1.n.1=1&Destination.Nested.1.n.2=2&Destination.Nested.2="
        );
    }

    #[test]
    fn an_empty_list_is_sent_as_set_and_an_empty_map_is_not_sent() {
        let dest = Dest {
            to: Some(Vec::new()),
            tags: Some(HashMap::new()),
            when: None,
            nested: None,
            name: Some(String::new()),
        };
        let mut w = QueryWriter::new("Op", "1");
        w.value(Key::Plain(""), &dest);
        assert_eq!(w.finish(), "Action=Op&Version=1&Name=&To=");
        let map_layout = Map {
            flattened: true,
            key: "K",
            value: "V",
        };
        let mut w = QueryWriter::new("Op", "1");
        let tags = Some(HashMap::from([("k".to_owned(), Box::new(7_i64))]));
        w.map("P", "M", map_layout, &tags);
        assert_eq!(w.finish(), "Action=Op&Version=1&P.M.1.K=k&P.M.1.V=7");
    }

    #[test]
    fn ec2_bodies_send_no_empty_list() {
        let dest = Dest {
            to: Some(Vec::new()),
            tags: None,
            when: None,
            nested: Some(vec![vec![], vec![3]]),
            name: Some("n".into()),
        };
        let mut w = QueryWriter::ec2("Op", "1");
        w.value(Key::Plain(""), &dest);
        assert_eq!(w.finish(), "Action=Op&Version=1&Name=n&Nested.2.n.1=3");
    }

    #[test]
    fn scalars() {
        let mut w = QueryWriter::new("Op", "1");
        w.boolean("B", true);
        w.int("I", -7);
        w.float64("F", 1.5);
        w.float64("N", f64::NAN);
        w.float64("P", f64::INFINITY);
        w.float64("M", f64::NEG_INFINITY);
        w.float32("G", 0.1);
        w.timestamp("T", &DateTime::from_secs(1_422_172_800), Format::DateTime);
        w.blob("L", &Blob::new(b"value".to_vec()));
        w.string("E", "");
        assert_eq!(
            w.finish(),
            "Action=Op&Version=1&B=true&I=-7&F=1.5&N=NaN&P=Infinity&M=-Infinity&G=0.1\
             &T=2015-01-25T08%3A00%3A00Z&L=dmFsdWU%3D&E="
        );
    }
}
