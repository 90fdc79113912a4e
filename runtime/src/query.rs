//! The awsQuery request body writer: `Action=...&Version=...&Key=value...`, form-encoded.
//!
//! Keys and values are percent-encoded per RFC 3986: unreserved characters (`A-Za-z0-9-_.~`) stay,
//! everything else becomes `%XX` with upper-case hex (spaces are `%20`, never `+`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::time::{self, Format};
use crate::primitives::{Blob, DateTime};

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
}

impl QueryWriter {
    /// Starts a body with `Action` and `Version`.
    pub fn new(action: &str, version: &str) -> Self {
        let mut body = String::with_capacity(256);
        body.push_str("Action=");
        body.extend(utf8_percent_encode(action, QUERY));
        body.push_str("&Version=");
        body.extend(utf8_percent_encode(version, QUERY));
        QueryWriter { body }
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

/// `prefix.name`, or `name` at the top level.
pub fn key(prefix: &str, name: &str) -> String {
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

/// The key of item `i` (0-based) of a list or map: `prefix.member.1`, or `prefix.1` when the
/// member is flattened. `member` is `member` / `entry` or the model's `@xmlName`.
pub fn item_key(prefix: &str, flattened: bool, member: &str, i: usize) -> String {
    if flattened {
        format!("{prefix}.{}", i + 1)
    } else {
        format!("{prefix}.{member}.{}", i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first serializer, written by hand before the generator existed: what
    /// `SetIdentityMailFromDomain` must put on the wire.
    #[test]
    fn set_identity_mail_from_domain_by_hand() {
        let mut w = QueryWriter::new("SetIdentityMailFromDomain", "2010-12-01");
        w.string(&key("", "Identity"), "user@example.com");
        w.string(&key("", "MailFromDomain"), "bounces.example.com");
        w.string(&key("", "BehaviorOnMXFailure"), "UseDefaultValue");
        assert_eq!(
            w.finish(),
            "Action=SetIdentityMailFromDomain&Version=2010-12-01&Identity=user%40example.com\
             &MailFromDomain=bounces.example.com&BehaviorOnMXFailure=UseDefaultValue"
        );
    }

    #[test]
    fn nested_lists_and_maps() {
        let mut w = QueryWriter::new("Op", "1");
        let dest = key("", "Destination");
        let to = key(&dest, "ToAddresses");
        w.string(&item_key(&to, false, "member", 0), "a b+c");
        w.string(&item_key(&to, true, "member", 1), "ü~");
        let entry = item_key("Tags", false, "entry", 0);
        w.string(&key(&entry, "key"), "k");
        assert_eq!(
            w.finish(),
            "Action=Op&Version=1&Destination.ToAddresses.member.1=a%20b%2Bc\
             &Destination.ToAddresses.2=%C3%BC~&Tags.entry.1.key=k"
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
        joined.string(&key("", "Top"), "a");
        joined.string(&key("A.B", "C d"), "b");
        joined.int(&item_key("L", false, "member", 0), -3);
        joined.boolean(&item_key("L", true, "member", 9), true);
        assert_eq!(parts.finish(), joined.finish());
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
