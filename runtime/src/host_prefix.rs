//! `@endpoint(hostPrefix: "{Label}.")` with `@hostLabel` members: the prefix an operation puts in
//! front of the endpoint's host name (`https://example.com` -> `https://foo.bar.example.com`).
//!
//! The generator splits the template into [`Segment`]s (checking that every label names a string
//! `@hostLabel` member), so nothing here reads a template. Generated code passes the segments,
//! labels holding the input's member values, to [`expand`]; each label value must be a valid host
//! label (RFC 1123: 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen),
//! else the request is not sent.

use super::validate::Violation;

/// One piece of a host prefix, as the generator split it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Text copied as it is.
    Literal(&'static str),
    /// `{Name}`: the value of the `@hostLabel` member with wire name `Name`, if set.
    Label(&'static str, Option<&'a str>),
}

/// The prefix the segments spell, each label validated.
pub fn expand(segments: &[Segment<'_>]) -> Result<String, Violation> {
    let mut out = String::with_capacity(32);
    for s in segments {
        match *s {
            Segment::Literal(text) => out.push_str(text),
            Segment::Label(name, value) => push_label(&mut out, name, value)?,
        }
    }
    Ok(out)
}

/// Appends the value of host label `name`, which must be set and a valid host label.
pub fn push_label(out: &mut String, name: &str, value: Option<&str>) -> Result<(), Violation> {
    let Some(value) = value else {
        return Err(Violation {
            path: name.to_owned(),
            rule: "is required (a host label) but was not set".into(),
        });
    };
    if !is_valid_host_label(value) {
        return Err(Violation {
            path: name.to_owned(),
            rule: format!(
                "`{value}` is not a valid host label (1 to 63 letters, digits or hyphens, not starting or ending with a hyphen)"
            ),
        });
    }
    out.push_str(value);
    Ok(())
}

/// RFC 1123 host label.
pub fn is_valid_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Puts `prefix` in front of the host of `url` (`https://example.com/x` + `foo.` ->
/// `https://foo.example.com/x`). Fails when the URL has no `scheme://host`.
pub fn apply(url: &str, prefix: &str) -> Result<String, String> {
    let Some(i) = url.find("://") else {
        return Err(format!(
            "cannot add host prefix `{prefix}` to `{url}`: no scheme"
        ));
    };
    let host_start = i + 3;
    let authority_end = url[host_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |j| host_start + j);
    // Skip user info (`user:pass@`), which no endpoint should carry but a URL may.
    let host_start = url[host_start..authority_end]
        .rfind('@')
        .map_or(host_start, |j| host_start + j + 1);
    if host_start >= authority_end {
        return Err(format!(
            "cannot add host prefix `{prefix}` to `{url}`: no host"
        ));
    }
    let mut out = String::with_capacity(url.len() + prefix.len());
    out.push_str(&url[..host_start]);
    out.push_str(prefix);
    out.push_str(&url[host_start..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_and_validates_labels() {
        use Segment::{Label, Literal};
        assert_eq!(expand(&[Literal("foo.")]).unwrap(), "foo.");
        assert_eq!(
            expand(&[Literal("foo."), Label("label", Some("bar")), Literal(".")]).unwrap(),
            "foo.bar."
        );
        assert_eq!(
            expand(&[
                Label("a", Some("x")),
                Literal("-"),
                Label("b", Some("y1")),
                Literal(".")
            ])
            .unwrap(),
            "x-y1."
        );
        let missing = expand(&[Label("label", None), Literal(".")]).unwrap_err();
        assert_eq!(missing.path, "label");
        assert!(missing.rule.contains("not set"), "{}", missing.rule);
        for bad in ["", "a.b", "-a", "a-", "a b", "ü", &"a".repeat(64)] {
            let e = expand(&[Label("label", Some(bad)), Literal(".")]).unwrap_err();
            assert_eq!(e.path, "label", "{bad}");
            assert!(
                e.rule.contains("not a valid host label"),
                "{bad}: {}",
                e.rule
            );
        }
        let mut out = String::from("x.");
        push_label(&mut out, "L", Some("ok-1")).unwrap();
        assert_eq!(out, "x.ok-1");
    }

    #[test]
    fn applies_to_the_host() {
        assert_eq!(
            apply("https://example.com/", "foo.").unwrap(),
            "https://foo.example.com/"
        );
        assert_eq!(
            apply("https://example.com", "a.b.").unwrap(),
            "https://a.b.example.com"
        );
        assert_eq!(
            apply("http://u:p@example.com:8080/x", "p.").unwrap(),
            "http://u:p@p.example.com:8080/x"
        );
        assert!(apply("example.com", "p.").is_err());
        assert!(apply("https:///x", "p.").is_err());
    }
}
