//! Timestamp formats of the wire (`date-time`, `http-date`, `epoch-seconds`).

use aws_smithy_types::date_time::Format as SmithyFormat;

use crate::primitives::DateTime;

/// A Smithy timestamp format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 3339 / ISO 8601 (`2024-01-02T03:04:05Z`), the awsQuery default.
    DateTime,
    /// RFC 7231 (`Tue, 02 Jan 2024 03:04:05 GMT`).
    HttpDate,
    /// Seconds since the epoch, possibly fractional (`1704164645.5`).
    EpochSeconds,
}

impl Format {
    fn smithy(self) -> SmithyFormat {
        match self {
            Format::DateTime => SmithyFormat::DateTime,
            Format::HttpDate => SmithyFormat::HttpDate,
            Format::EpochSeconds => SmithyFormat::EpochSeconds,
        }
    }
}

/// Formats a timestamp for the wire.
pub fn format(t: &DateTime, format: Format) -> Result<String, String> {
    t.fmt(format.smithy())
        .map_err(|e| format!("cannot format timestamp {t:?}: {e}"))
}

/// Parses a timestamp from the wire. `date-time` accepts offsets (`+01:00`) and fractions.
pub fn parse(s: &str, format: Format) -> Result<DateTime, String> {
    let parsed = DateTime::from_str(s, format.smithy());
    match (parsed, format) {
        (Ok(t), _) => Ok(t),
        (Err(_), Format::DateTime) => {
            parse_offset_date_time(s).ok_or_else(|| format!("`{s}` is not an RFC 3339 date-time"))
        }
        (Err(e), _) => Err(format!("`{s}` is not a valid {format:?} timestamp: {e}")),
    }
}

/// RFC 3339 with a numeric offset (`2019-12-16T23:48:18+01:00`), which some services send.
fn parse_offset_date_time(s: &str) -> Option<DateTime> {
    let split = s.len().checked_sub(6)?;
    // Not `split_at`, which panics inside a multi-byte character (`08:00\u{ffff}:00Z`).
    let (main, offset) = s.split_at_checked(split)?;
    let sign = match offset.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = offset[1..].split_once(':')?;
    let secs = (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60) * sign;
    let utc = DateTime::from_str(&format!("{main}Z"), SmithyFormat::DateTime).ok()?;
    Some(DateTime::from_secs_and_nanos(
        utc.secs() - secs,
        utc.subsec_nanos(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_each_format() {
        let t = DateTime::from_secs(1_398_796_238);
        assert_eq!(
            format(&t, Format::DateTime).unwrap(),
            "2014-04-29T18:30:38Z"
        );
        assert_eq!(
            format(&t, Format::HttpDate).unwrap(),
            "Tue, 29 Apr 2014 18:30:38 GMT"
        );
        assert_eq!(format(&t, Format::EpochSeconds).unwrap(), "1398796238");
        for f in [Format::DateTime, Format::HttpDate, Format::EpochSeconds] {
            assert_eq!(parse(&format(&t, f).unwrap(), f).unwrap(), t);
        }
    }

    #[test]
    fn parses_offsets_and_fractions() {
        let t = parse("2019-12-16T23:48:18+01:00", Format::DateTime).unwrap();
        assert_eq!(t.secs(), 1_576_536_498);
        let f = parse("2019-12-16T22:48:18.123Z", Format::DateTime).unwrap();
        assert_eq!(f.subsec_nanos(), 123_000_000);
        let e = parse("1576536498.5", Format::EpochSeconds).unwrap();
        assert_eq!(e.subsec_nanos(), 500_000_000);
        assert!(
            parse("yesterday", Format::DateTime)
                .unwrap_err()
                .contains("yesterday")
        );
        // A multi-byte character where the offset would start is an error, not a panic.
        assert!(parse("2015-01-25T08:00\u{ffff}:00Z", Format::DateTime).is_err());
        assert!(parse("\u{ffff}\u{ffff}", Format::DateTime).is_err());
    }
}
