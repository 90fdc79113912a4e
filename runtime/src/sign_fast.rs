//! SigV4 for the requests the client sends, with the signing key kept for the day.
//!
//! Every awsQuery request is `POST` to the endpoint's path, no query string, a body, and two or
//! three headers with fixed values. For such a request the canonical request is short and fully
//! determined, so it is written here directly, and the signing key (four HMACs over the secret,
//! the date, the region and the service) is derived once per day, region, service and secret
//! instead of on every call. The key derivation and the final HMAC are aws-sigv4's public
//! functions ([`generate_signing_key`], [`calculate_signature`]).
//!
//! Anything outside that shape (another method, a query, a path that needs encoding or
//! normalising, a header value that needs canonicalising, other signing options) is signed by
//! [`super::sign::sign`] through aws-sigv4's full request signer, as before. The unit tests
//! compare both on a matrix of requests; the SigV4 test suites keep checking the full signer.

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};
use sha2::{Digest, Sha256};

use super::sign::{SigningContext, SigningError, SigningInput, SigningOptions};

/// The signing key of the last (date, region, service, secret), shared by the calls of one
/// client. One entry: a client signs for one region and service, and the date changes daily.
#[derive(Default)]
pub struct SigningKeyCache {
    entry: Mutex<Option<CachedKey>>,
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKeyCache")
    }
}

struct CachedKey {
    date: [u8; 8],
    region: String,
    service: String,
    secret: String,
    /// Shared, so a call takes it without allocating.
    key: std::sync::Arc<[u8]>,
}

impl SigningKeyCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn key(&self, date: [u8; 8], ctx: &SigningContext<'_>) -> std::sync::Arc<[u8]> {
        let secret = ctx.credentials.secret_access_key();
        if let Ok(guard) = self.entry.lock()
            && let Some(e) = guard.as_ref()
            && e.date == date
            && e.region == ctx.region
            && e.service == ctx.service
            && e.secret == secret
        {
            return e.key.clone();
        }
        let key: std::sync::Arc<[u8]> =
            generate_signing_key(secret, ctx.time, ctx.region, ctx.service)
                .as_ref()
                .into();
        if let Ok(mut guard) = self.entry.lock() {
            *guard = Some(CachedKey {
                date,
                region: ctx.region.to_owned(),
                service: ctx.service.to_owned(),
                secret: secret.to_owned(),
                key: key.clone(),
            });
        }
        key
    }
}

/// Signs `input` when it has the client's request shape (see the module docs), else `None`.
pub fn sign(
    input: &SigningInput<'_>,
    ctx: &SigningContext<'_>,
    cache: &SigningKeyCache,
) -> Option<Result<Vec<(&'static str, String)>, SigningError>> {
    if ctx.options != SigningOptions::CLIENT || input.method != "POST" {
        return None;
    }
    let (host, path) = split_uri(input.uri)?;
    let mut headers: Vec<(&str, &str)> = Vec::with_capacity(input.headers.len() + 3);
    for (name, value) in input.headers {
        // Only lower-case names with plain values: canonicalising others is aws-sigv4's job.
        let plain_name = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-' || b.is_ascii_digit());
        if !plain_name || !plain_value(value) || is_reserved(name) {
            return None;
        }
        headers.push((name, value));
    }
    let token = ctx.credentials.session_token();
    if token.is_some_and(|t| !plain_value(t)) {
        return None;
    }
    let akid = ctx.credentials.access_key_id();
    if !plain_scope(ctx.region) || !plain_scope(ctx.service) || !plain_scope(akid) {
        return None;
    }
    let secs = ctx.time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    let (date, amz_date) = amz_date(secs)?;

    headers.push(("host", host));
    headers.push(("x-amz-date", &amz_date));
    if let Some(t) = token {
        headers.push(("x-amz-security-token", t));
    }
    headers.sort_by(|a, b| a.0.cmp(b.0));
    if headers.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    let signed_headers = headers
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(";");
    let mut canonical = String::with_capacity(256 + input.body.len() / 64);
    canonical.push_str("POST\n");
    canonical.push_str(path);
    canonical.push_str("\n\n");
    for (name, value) in &headers {
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(value);
        canonical.push('\n');
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(&hex::encode(Sha256::digest(input.body)));

    let date_str = std::str::from_utf8(&date).ok()?;
    let scope = format!("{date_str}/{}/{}/aws4_request", ctx.region, ctx.service);
    let mut string_to_sign = String::with_capacity(160);
    let _ = write!(
        string_to_sign,
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let key = cache.key(date, ctx);
    let signature = calculate_signature(&key, string_to_sign.as_bytes());
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={akid}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    let mut out = Vec::with_capacity(3);
    out.push(("x-amz-date", amz_date));
    out.push(("authorization", authorization));
    if let Some(t) = token {
        out.push(("x-amz-security-token", t.to_owned()));
    }
    Some(Ok(out))
}

/// The host (without a default port) and the path of an absolute `http(s)` URI whose path needs
/// no encoding or normalising and which has no query, fragment or user info.
fn split_uri(uri: &str) -> Option<(&str, &str)> {
    let (rest, default_port) = if let Some(r) = uri.strip_prefix("https://") {
        (r, ":443")
    } else if let Some(r) = uri.strip_prefix("http://") {
        (r, ":80")
    } else {
        return None;
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let plain_authority = !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    if !plain_authority {
        return None;
    }
    let host = authority.strip_suffix(default_port).unwrap_or(authority);
    // Unreserved characters and `/` only; no empty, `.` or `..` segments (beyond the root).
    let plain_path = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'~' | b'.'))
        && !path.contains("//")
        && path[1..].split('/').all(|seg| seg != "." && seg != "..");
    if !plain_path {
        return None;
    }
    Some((host, path))
}

/// Visible ASCII and single spaces, no space at either end: the canonical form is the value.
fn plain_value(v: &str) -> bool {
    !v.is_empty()
        && !v.starts_with(' ')
        && !v.ends_with(' ')
        && !v.contains("  ")
        && v.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// A region, service or access key id that can appear in a scope as it is.
fn plain_scope(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Headers the signer writes itself.
fn is_reserved(name: &str) -> bool {
    matches!(
        name,
        "host" | "x-amz-date" | "x-amz-security-token" | "authorization" | "x-amz-content-sha256"
    )
}

/// `YYYYMMDD` and `YYYYMMDDTHHMMSSZ` for seconds since the epoch (years 1970 to 9999).
fn amz_date(secs: u64) -> Option<([u8; 8], String)> {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(i64::try_from(days).ok()?);
    if !(1970..=9999).contains(&y) {
        return None;
    }
    let date = format!("{y:04}{m:02}{d:02}");
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(date.as_bytes());
    let full = format!(
        "{date}T{:02}{:02}{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    );
    Some((bytes, full))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;
    use std::time::{Duration, SystemTime};

    fn sorted(mut v: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
        v.sort();
        v
    }

    #[test]
    fn dates() {
        assert_eq!(amz_date(0).map(|d| d.1), Some("19700101T000000Z".into()));
        assert_eq!(
            amz_date(1_440_938_160).map(|d| d.1),
            Some("20150830T123600Z".into())
        );
        // 2000-02-29 and 2100-03-01 (leap rules).
        assert_eq!(
            amz_date(951_782_400).map(|d| d.1),
            Some("20000229T000000Z".into())
        );
        assert_eq!(
            amz_date(4_107_542_400).map(|d| d.1),
            Some("21000301T000000Z".into())
        );
        assert_eq!(
            amz_date(253_402_300_799).map(|d| d.1),
            Some("99991231T235959Z".into())
        );
        assert!(amz_date(253_402_300_800).is_none());
    }

    /// The fast path gives exactly the headers aws-sigv4's full signer gives, on a matrix of
    /// the requests a client sends, and declines anything else.
    #[test]
    fn same_headers_as_the_full_signer() {
        let cache = SigningKeyCache::new();
        let plain = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "t",
        );
        let session = Credentials::new(
            "ASIAEXAMPLE",
            "secret/with+chars",
            Some("FwoGZXIvYXdzEJr//////////wEaDOMtoken=".into()),
            None,
            "t",
        );
        let uris = [
            "https://email.us-east-1.amazonaws.com/",
            "https://email.us-east-1.amazonaws.com",
            "https://email.us-east-1.amazonaws.com:443/",
            "http://127.0.0.1:5000/",
            "http://localhost:80/",
            "https://vpce-1.email.eu-west-1.vpce.amazonaws.com/custom/path/",
        ];
        let bodies: [&[u8]; 3] = [
            b"",
            b"Action=SetIdentityMailFromDomain&Version=2010-12-01&Identity=example.com",
            &[0xff, 0x00, 0x10, b'a'],
        ];
        let times = [
            UNIX_EPOCH + Duration::from_secs(1_440_938_160),
            UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            // Just before and after midnight: the cached key must change with the date.
            UNIX_EPOCH + Duration::from_secs(1_800_057_599),
            UNIX_EPOCH + Duration::from_secs(1_800_057_600),
            UNIX_EPOCH + Duration::from_millis(1_800_057_600_999),
        ];
        let mut checked = 0;
        for creds in [&plain, &session] {
            for (region, service) in [
                ("us-east-1", "ses"),
                ("eu-west-1", "sns"),
                ("cn-north-1", "sts"),
            ] {
                for uri in uris {
                    for body in bodies {
                        for time in times {
                            for encoding in [None, Some("gzip")] {
                                let mut headers =
                                    vec![("content-type", "application/x-www-form-urlencoded")];
                                if let Some(e) = encoding {
                                    headers.push(("content-encoding", e));
                                }
                                let input = SigningInput {
                                    method: "POST",
                                    uri,
                                    headers: &headers,
                                    body,
                                };
                                let ctx = SigningContext::new(creds, region, service, time);
                                let fast = sign(&input, &ctx, &cache)
                                    .expect("the client's request shape")
                                    .expect("signed");
                                let full = super::super::sign::sign(&input, &ctx).expect("signed");
                                assert_eq!(sorted(fast), sorted(full), "{uri} {region} {time:?}");
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 2 * 3 * 6 * 3 * 5 * 2);
    }

    #[test]
    fn declines_what_needs_canonicalising() {
        let cache = SigningKeyCache::new();
        let creds = Credentials::new("AKID", "secret", None, None, "t");
        let time = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let ctx = SigningContext::new(&creds, "us-east-1", "ses", time);
        let headers = [("content-type", "application/x-www-form-urlencoded")];
        let try_uri = |uri: &str| {
            sign(
                &SigningInput {
                    method: "POST",
                    uri,
                    headers: &headers,
                    body: b"x",
                },
                &ctx,
                &cache,
            )
            .is_some()
        };
        assert!(try_uri("https://example.com/"));
        for declined in [
            "https://example.com/a%20b/",
            "https://example.com/a//b",
            "https://example.com/./a",
            "https://example.com/?q=1",
            "https://user@example.com/",
            "ftp://example.com/",
            "https://bücher.example/",
        ] {
            assert!(!try_uri(declined), "{declined}");
        }
        let odd_headers = [("content-type", "a  b")];
        let odd = SigningInput {
            method: "POST",
            uri: "https://example.com/",
            headers: &odd_headers,
            body: b"x",
        };
        assert!(sign(&odd, &ctx, &cache).is_none());
        let get = SigningInput {
            method: "GET",
            uri: "https://example.com/",
            headers: &headers,
            body: b"",
        };
        assert!(sign(&get, &ctx, &cache).is_none());
        let s3 = ctx.with_options(SigningOptions {
            double_uri_encode: false,
            ..SigningOptions::CLIENT
        });
        let input = SigningInput {
            method: "POST",
            uri: "https://example.com/",
            headers: &headers,
            body: b"x",
        };
        assert!(sign(&input, &s3, &cache).is_none());
    }

    #[test]
    fn the_key_is_derived_once_per_day_region_service_and_secret() {
        let cache = SigningKeyCache::new();
        let a = Credentials::new("AKID", "secret-a", None, None, "t");
        let b = Credentials::new("AKID", "secret-b", None, None, "t");
        let day1 = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let later = day1 + Duration::from_secs(3600);
        let day2 = day1 + Duration::from_secs(86_400);
        let key = |c: &Credentials, t: SystemTime, region: &str| {
            let ctx = SigningContext::new(c, region, "ses", t);
            let (date, _) = amz_date(t.duration_since(UNIX_EPOCH).unwrap().as_secs()).unwrap();
            cache.key(date, &ctx)
        };
        let k1 = key(&a, day1, "us-east-1");
        assert_eq!(key(&a, later, "us-east-1"), k1, "same day: same key");
        assert_ne!(key(&a, day2, "us-east-1"), k1, "next day: new key");
        assert_ne!(key(&b, day1, "us-east-1"), k1, "rotated secret: new key");
        assert_ne!(key(&a, day1, "eu-west-1"), k1, "other region: new key");
        assert_eq!(
            key(&a, day1, "us-east-1"),
            std::sync::Arc::<[u8]>::from(
                generate_signing_key("secret-a", day1, "us-east-1", "ses").as_ref()
            )
        );
    }
}
