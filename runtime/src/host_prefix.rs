//! `@endpoint(hostPrefix: "{Label}.")` with `@hostLabel` members: the prefix an operation puts in
//! front of the endpoint's host name (`https://example.com` -> `https://foo.bar.example.com`).
//!
//! Generated code passes the template and the values of the input's host-label members to
//! [`expand`]; each value must be a valid host label (RFC 1123: 1 to 63 letters, digits and
//! hyphens, not starting or ending with a hyphen), else the request is not sent.

use super::validate::Violation;

/// Fills `{Name}` placeholders of `template` with the named labels, validating each value.
pub fn expand(template: &str, labels: &[(&str, Option<&str>)]) -> Result<String, Violation> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(violation(
                template,
                "the host prefix template has an unclosed `{`",
            ));
        };
        let name = &after[..close];
        let value = match labels.iter().find(|(n, _)| *n == name) {
            Some((_, Some(v))) => *v,
            Some((_, None)) => {
                return Err(Violation {
                    path: name.to_owned(),
                    rule: "is required (a host label) but was not set".into(),
                });
            }
            None => {
                return Err(violation(
                    template,
                    &format!("the host prefix names `{name}`, which is not a host label"),
                ));
            }
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
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn violation(template: &str, rule: &str) -> Violation {
    Violation {
        path: format!("(host prefix `{template}`)"),
        rule: rule.to_owned(),
    }
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
        assert_eq!(expand("foo.", &[]).unwrap(), "foo.");
        assert_eq!(
            expand("foo.{label}.", &[("label", Some("bar"))]).unwrap(),
            "foo.bar."
        );
        assert_eq!(
            expand("{a}-{b}.", &[("a", Some("x")), ("b", Some("y1"))]).unwrap(),
            "x-y1."
        );
        let missing = expand("{label}.", &[("label", None)]).unwrap_err();
        assert_eq!(missing.path, "label");
        for bad in ["", "a.b", "-a", "a-", "a b", "ü", &"a".repeat(64)] {
            let e = expand("{label}.", &[("label", Some(bad))]).unwrap_err();
            assert_eq!(e.path, "label", "{bad}");
            assert!(
                e.rule.contains("not a valid host label"),
                "{bad}: {}",
                e.rule
            );
        }
        assert!(
            expand("{nope}.", &[])
                .unwrap_err()
                .rule
                .contains("not a host label")
        );
        assert!(expand("{open.", &[]).unwrap_err().rule.contains("unclosed"));
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
