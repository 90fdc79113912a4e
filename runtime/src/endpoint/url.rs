//! `parseURL`: splits an endpoint URL into the parts rules can inspect.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::value::Value;

/// The result of `parseURL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedUrl {
    /// `http` or `https` (lower case), without `://`.
    pub scheme: String,
    /// Host and port as written (userinfo removed).
    pub authority: String,
    /// The path as written: empty for `https://example.com`.
    pub path: String,
    /// The path, starting and ending with `/`.
    pub normalized_path: String,
    /// Whether the host is an IPv4 or (bracketed) IPv6 address.
    pub is_ip: bool,
}

impl ParsedUrl {
    /// The record `parseURL` returns (`scheme`, `authority`, `path`, `normalizedPath`, `isIp`).
    pub fn to_value(&self) -> Value {
        Value::record([
            ("scheme", Value::from(self.scheme.as_str())),
            ("authority", Value::from(self.authority.as_str())),
            ("path", Value::from(self.path.as_str())),
            ("normalizedPath", Value::from(self.normalized_path.as_str())),
            ("isIp", Value::Bool(self.is_ip)),
        ])
    }
}

/// Parses an absolute `http`/`https` URL. `None` for anything else, including URLs with a
/// query string or fragment (the rules engine rejects those), an empty or malformed host, or
/// a non-numeric port.
pub fn parse_url(input: &str) -> Option<ParsedUrl> {
    if input
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#')
    {
        return None;
    }
    let (scheme, rest) = input.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    // Userinfo is not part of the authority rules see.
    let authority = match authority.rsplit_once('@') {
        Some((_, host_port)) => host_port,
        None => authority,
    };
    let is_ip = check_authority(authority)?;
    let normalized_path = if path.is_empty() {
        "/".to_owned()
    } else if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(ParsedUrl {
        scheme,
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// Validates `host[:port]`; `Some(is_ip)` when valid.
fn check_authority(authority: &str) -> Option<bool> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (v6, after) = bracketed.split_once(']')?;
        v6.parse::<Ipv6Addr>().ok()?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (None, port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(authority), None),
        }
    };
    if let Some(port) = port {
        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        port.parse::<u16>().ok()?;
    }
    match host {
        None => Some(true),
        Some(host) => {
            let valid = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '%'));
            valid.then(|| host.parse::<Ipv4Addr>().is_ok())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &str) -> Option<(String, String, String, String, bool)> {
        parse_url(url).map(|u| (u.scheme, u.authority, u.path, u.normalized_path, u.is_ip))
    }

    fn some(
        s: &str,
        a: &str,
        p: &str,
        n: &str,
        ip: bool,
    ) -> Option<(String, String, String, String, bool)> {
        Some((s.into(), a.into(), p.into(), n.into(), ip))
    }

    #[test]
    fn specification_examples() {
        assert_eq!(
            parts("https://example.com"),
            some("https", "example.com", "", "/", false)
        );
        assert_eq!(parts("https://example.com:8443?foo=bar&faz=baz"), None);
        assert_eq!(
            parts("http://example.com:80/foo/bar"),
            some("http", "example.com:80", "/foo/bar", "/foo/bar/", false)
        );
        assert_eq!(
            parts("https://127.0.0.1"),
            some("https", "127.0.0.1", "", "/", true)
        );
        assert_eq!(
            parts("https://[fe80::1]"),
            some("https", "[fe80::1]", "", "/", true)
        );
    }

    #[test]
    fn paths_ports_and_ips() {
        assert_eq!(
            parts("https://example.com/"),
            some("https", "example.com", "/", "/", false)
        );
        assert_eq!(
            parts("https://example.com/a/b/"),
            some("https", "example.com", "/a/b/", "/a/b/", false)
        );
        assert_eq!(
            parts("HTTPS://Example.com:443/x"),
            some("https", "Example.com:443", "/x", "/x/", false)
        );
        assert_eq!(
            parts("http://[::1]:8080/p"),
            some("http", "[::1]:8080", "/p", "/p/", true)
        );
        assert_eq!(
            parts("http://user:pw@host.example:1/"),
            some("http", "host.example:1", "/", "/", false)
        );
        // Four numeric labels that are not an address are a host name.
        assert_eq!(parse_url("https://300.1.1.1").map(|u| u.is_ip), Some(false));
        assert_eq!(
            parse_url("https://10.0.0.1:9000").map(|u| u.is_ip),
            Some(true)
        );
    }

    #[test]
    fn rejects_malformed_urls() {
        for bad in [
            "",
            "example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://example.com/path?x",
            "https://example.com#frag",
            "https://exa mple.com",
            "https://example.com:",
            "https://example.com:http",
            "https://example.com:70000",
            "https://[fe80::1",
            "https://[not-an-ip]",
            "https://[::1]x",
            "https://a/b\n",
        ] {
            assert_eq!(parse_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn record_shape() {
        let v = parse_url("https://example.com/a")
            .map(|u| u.to_value())
            .expect("valid");
        assert_eq!(v.get("scheme"), Some(&Value::from("https")));
        assert_eq!(v.get("authority"), Some(&Value::from("example.com")));
        assert_eq!(v.get("path"), Some(&Value::from("/a")));
        assert_eq!(v.get("normalizedPath"), Some(&Value::from("/a/")));
        assert_eq!(v.get("isIp"), Some(&Value::Bool(false)));
    }
}
