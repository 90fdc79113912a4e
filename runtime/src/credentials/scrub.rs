//! Removes secret-shaped strings from text a `credential_process` command wrote (its standard
//! error, a field of its output) before any of it goes into an error message.
//!
//! Each of these is replaced with [`SCRUBBED`], the rest of the text is kept for diagnosis:
//!
//! - the value after a secret key name, as JSON (`"SecretAccessKey": "..."`, `"SessionToken"`)
//!   or as an assignment (`aws_secret_access_key = ...`, `AWS_SESSION_TOKEN=...`), in any case,
//!   with or without the `aws_` prefix and underscores;
//! - AWS access key ids: one of the prefixes AWS documents for unique ids (`AKIA`, `ASIA`,
//!   `AGPA`, `AIDA`, `AROA`, `AIPA`, `ANPA`, `ANVA`, `APKA`, `ABIA`, `ACCA`) and 16 upper-case
//!   letters or digits;
//! - runs of base64 characters (`A-Z a-z 0-9 / + =`) that stand alone (the characters on either
//!   side are not base64 characters) and are exactly 40 long (a secret access key) or 100 or
//!   more (a session token), when they hold both upper- and lower-case letters. That condition
//!   keeps lower-case paths, hex digests and runs of one letter; a random base64 string of 40
//!   characters lacks one case with a probability of about 2 in 10^9.
//! - when the text was cut off (`truncated`), a run of 8 or more such characters (both cases)
//!   at its very end: the start of a secret whose rest was dropped.

use std::sync::LazyLock;

use regex_lite::{Captures, Regex};

/// What a secret is replaced with.
pub(crate) const SCRUBBED: &str = "<redacted>";

/// A secret key name, optionally quoted, `:` or `=`, then the value: a double-quoted string
/// (possibly unterminated: the text may have been cut), a single-quoted one, or a bare word.
static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(["']?(?:aws_?)?(?:secret_?access_?key|session_?token)["']?\s*[:=]\s*)(?:"((?:[^"\\]|\\.)*)("?)|'([^']*)('?)|([^\s"',;}\]]+))"#,
    )
    .expect("KEY_VALUE is a valid regex")
});

/// An access key id (or another AWS unique id) with a documented prefix.
static KEY_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{16}")
        .expect("KEY_ID is a valid regex")
});

/// A maximal run of base64 characters.
static BASE64_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9/+=]+").expect("BASE64_RUN is a valid regex"));

/// Length of a secret access key.
const SECRET_KEY_LEN: usize = 40;
/// Shortest run taken for a session token.
const SESSION_TOKEN_MIN: usize = 100;
/// Shortest run at the end of cut-off text taken for the start of a secret.
const CUT_FRAGMENT_MIN: usize = 8;

fn mixed_case(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_uppercase()) && s.bytes().any(|b| b.is_ascii_lowercase())
}

/// `text` with every secret-shaped string replaced by [`SCRUBBED`]. `truncated`: `text` is the
/// start of something longer, so a run of base64 characters at its end may be part of a secret.
pub(crate) fn scrub(text: &str, truncated: bool) -> String {
    let text = KEY_VALUE.replace_all(text, |c: &Captures<'_>| {
        let prefix = c.get(1).map_or("", |m| m.as_str());
        if c.get(2).is_some() {
            let close = c.get(3).map_or("", |m| m.as_str());
            format!("{prefix}\"{SCRUBBED}{close}")
        } else if c.get(4).is_some() {
            let close = c.get(5).map_or("", |m| m.as_str());
            format!("{prefix}'{SCRUBBED}{close}")
        } else {
            format!("{prefix}{SCRUBBED}")
        }
    });
    let end = text.len();
    let text = BASE64_RUN.replace_all(&text, |c: &Captures<'_>| {
        let Some(m) = c.get(0) else {
            return String::new();
        };
        let run = m.as_str();
        let secret = mixed_case(run)
            && (run.len() == SECRET_KEY_LEN
                || run.len() >= SESSION_TOKEN_MIN
                || (truncated && m.end() == end && run.len() >= CUT_FRAGMENT_MIN));
        if secret {
            SCRUBBED.to_owned()
        } else {
            run.to_owned()
        }
    });
    KEY_ID.replace_all(&text, SCRUBBED).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_ID_EXAMPLE: &str = "AKIAIOSFODNN7EXAMPLE";
    const SECRET_EXAMPLE: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn token() -> String {
        "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+Ab=".repeat(4)
    }

    #[test]
    fn access_key_ids_of_every_documented_prefix() {
        for prefix in [
            "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA", "ABIA", "ACCA",
        ] {
            let id = format!("{prefix}Z7Q2K4M9X1B3C5D8");
            let out = scrub(&format!("denied for {id}: try again"), false);
            assert_eq!(out, "denied for <redacted>: try again", "{prefix}");
        }
        // Inside other text too (`_` and lower case around it).
        assert_eq!(
            scrub(&format!("key_{KEY_ID_EXAMPLE}_x"), false),
            "key_<redacted>_x"
        );
        // Not a documented prefix, or too short: kept.
        assert_eq!(scrub("AXYZIOSFODNN7EXAMPLE", false), "AXYZIOSFODNN7EXAMPLE");
        assert_eq!(scrub("AKIAIOSFODNN7", false), "AKIAIOSFODNN7");
    }

    #[test]
    fn secret_keys_standing_alone() {
        assert_eq!(
            scrub(&format!("secret is {SECRET_EXAMPLE}."), false),
            "secret is <redacted>."
        );
        assert_eq!(scrub(SECRET_EXAMPLE, false), SCRUBBED);
        assert_eq!(
            scrub(&format!("({SECRET_EXAMPLE})\n"), false),
            "(<redacted>)\n"
        );
        // Part of a longer run: not a 40-character secret.
        let longer = format!("{SECRET_EXAMPLE}Ab12");
        assert_eq!(scrub(&longer, false), longer);
    }

    #[test]
    fn session_tokens() {
        let t = token();
        assert!(t.len() >= SESSION_TOKEN_MIN);
        assert_eq!(
            scrub(&format!("token {t} rejected"), false),
            "token <redacted> rejected"
        );
    }

    #[test]
    fn values_of_secret_keys() {
        let cases = [
            (
                r#"{"AccessKeyId": "x", "SecretAccessKey": "short-secret", "Expiration": "soon"}"#,
                r#"{"AccessKeyId": "x", "SecretAccessKey": "<redacted>", "Expiration": "soon"}"#,
            ),
            (
                r#"{"SessionToken":"tok\"en-1","Version":1}"#,
                r#"{"SessionToken":"<redacted>","Version":1}"#,
            ),
            // Cut off inside the value.
            (
                r#"{"SecretAccessKey": "half-a-sec"#,
                r#"{"SecretAccessKey": "<redacted>"#,
            ),
            (
                "aws_secret_access_key = hunter2-pass\naws_session_token=tok-en\nregion = x",
                "aws_secret_access_key = <redacted>\naws_session_token=<redacted>\nregion = x",
            ),
            (
                "export AWS_SECRET_ACCESS_KEY='my secret'; AWS_SESSION_TOKEN=\"t t\"",
                "export AWS_SECRET_ACCESS_KEY='<redacted>'; AWS_SESSION_TOKEN=\"<redacted>\"",
            ),
            (
                "{'secret_access_key': 'abc', 'session_token': 'def'}",
                "{'secret_access_key': '<redacted>', 'session_token': '<redacted>'}",
            ),
            // Inside a longer name.
            (
                "my_aws_secret_access_key=abc",
                "my_aws_secret_access_key=<redacted>",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(scrub(text, false), want, "{text}");
        }
    }

    #[test]
    fn the_cut_off_start_of_a_secret() {
        let cut = &SECRET_EXAMPLE[..25];
        assert_eq!(scrub(&format!("key {cut}"), true), "key <redacted>");
        // Only at the end of cut-off text.
        assert_eq!(scrub(&format!("key {cut}"), false), format!("key {cut}"));
        assert_eq!(
            scrub(&format!("key {cut} end"), true),
            format!("key {cut} end")
        );
    }

    #[test]
    fn ordinary_text_is_kept() {
        let kept = [
            "error: cannot read /home/user/.aws/sso/cache/0123abcd.json: permission denied",
            "/usr/local/lib/credential-helpers/bin/x1",
            "/opt/vendor/aws/credentialhelper/binaries",
            // 40 characters with dashes.
            "this-is-a-forty-character-word-with-dash",
            // A request id (32 hex digits), a UUID, a SHA-1 (40 lower-case hex digits).
            "RequestId: 4f1c9a7e2b3d4c5e8f90a1b2c3d4e5f6",
            "request 9b2c1d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e failed",
            "commit 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
            "Version 1, exit status 3, retry in 5s",
            "token expired; run `aws sso login --profile dev`",
            &"e".repeat(4096),
            "",
        ];
        for text in kept {
            assert_eq!(scrub(text, false), text);
        }
        // A path at the cut-off end is kept too when it has one case only.
        assert_eq!(scrub("see /var/log/helper", true), "see /var/log/helper");
    }
}
