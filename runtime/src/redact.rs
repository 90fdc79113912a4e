//! Keeping secrets out of `Debug` output and logs.

use std::fmt;

/// What `Debug` prints instead of a sensitive value.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Wraps a value whose `Debug` must not show it; `None` still shows as `None`.
pub struct Redacted<'a, T>(pub &'a Option<T>);

impl<T> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => write!(f, "Some({REDACTED})"),
            None => f.write_str("None"),
        }
    }
}

/// Shows as [`REDACTED`] in `Debug`: what a sensitive value that is always present (a union
/// member) prints instead of itself.
pub struct RedactedValue;

impl fmt::Debug for RedactedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_values_not_presence() {
        assert_eq!(
            format!("{:?}", Redacted(&Some("secret"))),
            format!("Some({REDACTED})")
        );
        assert_eq!(format!("{:?}", Redacted::<&str>(&None)), "None");
        assert_eq!(format!("{RedactedValue:?}"), REDACTED);
    }
}
