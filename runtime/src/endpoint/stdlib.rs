//! The rules engine's standard library (plus the AWS extension functions) as plain Rust
//! functions. They work on runtime values only: template strings and `getAttr` paths arrive
//! pre-split from the generator (see [`rules`](super::rules)).
//!
//! `isSet`, `not`, `booleanEquals` and `stringEquals` are one-liners in the evaluator; the
//! functions with real logic live here. `aws.partition` is
//! [`PartitionTable::lookup`](super::partition::PartitionTable::lookup) and `parseURL` is
//! [`parse_url`](super::url::parse_url).

use std::fmt::Write as _;

use super::rules::Step;
use super::value::Value;

/// `getAttr`: follows `path` into records and arrays. `None` when a field or element does
/// not exist (or the value has the wrong shape for the step).
pub fn get_attr<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (Step::Field(k), Value::Record(fields)) => fields.get(*k)?,
            (Step::Index(i), Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// `substring`: the ASCII `input[start..stop]`, counted from the end when `reverse`.
/// `None` if the range is empty or out of bounds, or `input` is not ASCII.
pub fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    let start = usize::try_from(start).ok()?;
    let stop = usize::try_from(stop).ok()?;
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to).map(str::to_owned)
}

/// `split` (rules 1.1): the parts of `input` between occurrences of `delimiter`. `limit` 0
/// splits at every occurrence, `limit` n > 0 gives at most n parts (the last holds the rest).
/// An empty input gives one empty part. An empty delimiter or a negative limit is an error (the
/// rule set is invalid).
pub fn split(input: &str, delimiter: &str, limit: i64) -> Result<Vec<String>, String> {
    if delimiter.is_empty() {
        return Err("`split` needs a non-empty delimiter".to_owned());
    }
    let parts: Vec<String> = match usize::try_from(limit) {
        Ok(0) => input.split(delimiter).map(str::to_owned).collect(),
        Ok(n) => input.splitn(n, delimiter).map(str::to_owned).collect(),
        Err(_) => return Err(format!("`split` limit must not be negative, got {limit}")),
    };
    Ok(parts)
}

/// `uriEncode`: RFC 3986 percent-encoding of everything but `A-Z a-z 0-9 - _ . ~`, with
/// upper-case hex digits.
pub fn uri_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for b in input.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `isValidHostLabel`: an RFC 1123 label (`[A-Za-z0-9][A-Za-z0-9-]{0,62}`), or with
/// `allow_sub_domains` several such labels joined by `.`.
pub fn is_valid_host_label(value: &str, allow_sub_domains: bool) -> bool {
    fn label(l: &str) -> bool {
        let bytes = l.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 63
            && bytes[0].is_ascii_alphanumeric()
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    }
    if allow_sub_domains {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// `aws.isVirtualHostableS3Bucket`: whether `value` can be an S3 bucket host label: 3 to 63
/// characters of `a-z 0-9 -` starting and ending with a letter or digit; with
/// `allow_sub_domains` also `.`, but no `..`, `.-` or `-.` and not shaped like an IPv4
/// address.
pub fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    let bytes = value.as_bytes();
    let lower_alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !(3..=63).contains(&bytes.len()) || !lower_alnum(first) || !lower_alnum(last) {
        return false;
    }
    if !allow_sub_domains {
        return bytes.iter().all(|&b| lower_alnum(b) || b == b'-');
    }
    let mut prev = first;
    for &b in &bytes[1..] {
        let ok = match b {
            b'.' => prev != b'.' && prev != b'-',
            b'-' => prev != b'.',
            _ => lower_alnum(b),
        };
        if !ok {
            return false;
        }
        prev = b;
    }
    !is_dotted_quad(value)
}

/// Four dot-separated decimal numbers of at most 255.
fn is_dotted_quad(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u8>().is_ok()
        })
}

/// `aws.parseArn`: splits `arn:partition:service:region:account-id:resource` into the record
/// `{partition, service, region, accountId, resourceId}` where `resourceId` is the resource
/// split on `:` and `/`. `None` unless the input has all six parts, starts with `arn` and has
/// a non-empty partition, service and resource.
pub fn parse_arn(input: &str) -> Option<Value> {
    let mut parts = input.splitn(6, ':');
    let (arn, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(Value::from)
        .collect::<Vec<_>>();
    Some(Value::record([
        ("partition", Value::from(partition)),
        ("service", Value::from(service)),
        ("region", Value::from(region)),
        ("accountId", Value::from(account)),
        ("resourceId", Value::Array(resource_id)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_attr_follows_records_and_arrays() {
        let v = Value::record([
            (
                "a",
                Value::record([("b", Value::Array(vec!["x".into(), "y".into()]))]),
            ),
            ("flag", Value::Bool(true)),
        ]);
        use Step::{Field, Index};
        let get = |p: &[Step]| get_attr(&v, p).cloned();
        assert_eq!(get(&[Field("a"), Field("b"), Index(0)]), Some("x".into()));
        assert_eq!(get(&[Field("a"), Field("b"), Index(1)]), Some("y".into()));
        assert_eq!(get(&[Field("a"), Field("b"), Index(2)]), None);
        assert_eq!(get(&[Field("flag")]), Some(Value::Bool(true)));
        assert_eq!(get(&[Field("missing")]), None);
        assert_eq!(get(&[Field("flag"), Field("deeper")]), None);
        assert_eq!(get(&[Field("a"), Index(0)]), None);
        assert_eq!(
            get(&[Field("a"), Field("b")]),
            Some(Value::Array(vec!["x".into(), "y".into()]))
        );
        assert_eq!(get(&[Index(0)]), None);
        assert_eq!(get_attr(&v, &[]), Some(&v));
    }

    /// The examples of the Smithy rules engine standard library's `split` section.
    #[test]
    fn split_as_the_spec_examples() {
        let ok = |input, delimiter, limit| split(input, delimiter, limit).unwrap();
        assert_eq!(ok("a--b--c", "--", 0), ["a", "b", "c"]);
        assert_eq!(ok("a--b--c", "--", 2), ["a", "b--c"]);
        assert_eq!(ok("a--b--c", "--", 1), ["a--b--c"]);
        assert_eq!(ok("", "--", 0), [""]);
        assert_eq!(ok("--", "--", 0), ["", ""]);
        assert_eq!(ok("----", "--", 0), ["", "", ""]);
        assert_eq!(ok("--b--", "--", 0), ["", "b", ""]);
        assert_eq!(
            ok("--x-s3--azid--suffix", "--", 0),
            ["", "x-s3", "azid", "suffix"]
        );
        assert_eq!(
            ok("--x-s3--azid--suffix", "--", 2),
            ["", "x-s3--azid--suffix"]
        );
        assert_eq!(ok("abc", "x", 0), ["abc"]);
        assert_eq!(ok("mybucket", "--", 1), ["mybucket"]);
        // More parts allowed than there are: all of them.
        assert_eq!(ok("a-b", "-", 5), ["a", "b"]);
        assert!(
            split("abc", "", 0)
                .unwrap_err()
                .contains("non-empty delimiter")
        );
        assert!(split("abc", "-", -1).unwrap_err().contains("negative"));
    }

    #[test]
    fn substring_forward_and_reverse() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd".into()));
        assert_eq!(substring("abcdefg", 1, 3, false), Some("bc".into()));
        assert_eq!(substring("abcdefg", 0, 7, false), Some("abcdefg".into()));
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg".into()));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef".into()));
        // Out of range, empty range, negative and non-ASCII input.
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("abcdef", 3, 3, false), None);
        assert_eq!(substring("abcdef", 4, 2, false), None);
        assert_eq!(substring("abcdef", -1, 2, false), None);
        assert_eq!(substring("abcdef", 0, -2, true), None);
        assert_eq!(substring("ab\u{e9}cdef", 0, 2, false), None);
        assert_eq!(substring("", 0, 1, false), None);
    }

    #[test]
    fn uri_encode_rfc3986() {
        assert_eq!(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(uri_encode("a b"), "a%20b");
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("\u{e9}\u{1f600}"), "%C3%A9%F0%9F%98%80");
        assert_eq!(uri_encode(""), "");
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("a", false));
        assert!(is_valid_host_label("Foo-Bar9", false));
        assert!(is_valid_host_label("0abc", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-abc", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(!is_valid_host_label("caf\u{e9}", false));
        // allowSubDomains
        assert!(is_valid_host_label("a.b.c", true));
        assert!(is_valid_host_label("abc", true));
        assert!(is_valid_host_label(
            &format!("{0}.{0}", "a".repeat(63)),
            true
        ));
        assert!(!is_valid_host_label("a..b", true));
        assert!(!is_valid_host_label(".a", true));
        assert!(!is_valid_host_label("a.", true));
        assert!(!is_valid_host_label("a.-b", true));
        assert!(!is_valid_host_label("", true));
    }

    #[test]
    fn virtual_hostable_buckets() {
        assert!(is_virtual_hostable_s3_bucket("bucket-name", false));
        assert!(is_virtual_hostable_s3_bucket("abc", false));
        assert!(is_virtual_hostable_s3_bucket(&"a".repeat(63), false));
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
        assert!(!is_virtual_hostable_s3_bucket("Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket-", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket.name", false));
        assert!(!is_virtual_hostable_s3_bucket("bucket_name", false));
        assert!(!is_virtual_hostable_s3_bucket("", false));
        // allowSubDomains
        assert!(is_virtual_hostable_s3_bucket("bucket.name", true));
        assert!(is_virtual_hostable_s3_bucket("a.b-c.d", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket..name", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket-.name", true));
        assert!(!is_virtual_hostable_s3_bucket("bucket.-name", true));
        assert!(!is_virtual_hostable_s3_bucket("Bucket.name", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.5.4", true));
        assert!(is_virtual_hostable_s3_bucket("192.168.5.256", true));
        assert!(is_virtual_hostable_s3_bucket("1.2.3", true));
        assert!(!is_virtual_hostable_s3_bucket(".bucket", true));
    }

    #[test]
    fn arn_parsing() {
        let arn = parse_arn("arn:aws:s3:us-east-2:012345678:outpost:op-1234").expect("valid");
        assert_eq!(arn.get("partition"), Some(&"aws".into()));
        assert_eq!(arn.get("service"), Some(&"s3".into()));
        assert_eq!(arn.get("region"), Some(&"us-east-2".into()));
        assert_eq!(arn.get("accountId"), Some(&"012345678".into()));
        assert_eq!(
            arn.get("resourceId"),
            Some(&Value::Array(vec!["outpost".into(), "op-1234".into()]))
        );
        let arn = parse_arn("arn:aws-cn:sns::123:topic/a:b").expect("valid");
        assert_eq!(arn.get("region"), Some(&"".into()));
        assert_eq!(
            arn.get("resourceId"),
            Some(&Value::Array(vec!["topic".into(), "a".into(), "b".into()]))
        );
        let arn = parse_arn("arn:aws:iam:::role").expect("valid");
        assert_eq!(arn.get("accountId"), Some(&"".into()));
        assert_eq!(
            arn.get("resourceId"),
            Some(&Value::Array(vec!["role".into()]))
        );
        for bad in [
            "",
            "arn",
            "arn:aws:s3:us-east-2:012345678",
            "arn:aws:s3:us-east-2:012345678:",
            "arn::s3:us-east-2:1:res",
            "arn:aws::us-east-2:1:res",
            "nra:aws:s3:us-east-2:1:res",
            "ARN:aws:s3:us-east-2:1:res",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad:?}");
        }
    }
}
