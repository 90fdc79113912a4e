//! `@pattern`: decided once, at generation time, per declaration.
//!
//! A model pattern is an ECMA-262 regular expression. [`decide`] rewrites it for the runtime's
//! `regex-lite` where that is exact ([`crate::pattern::for_regex_lite`]); a pattern no rewrite
//! carries exactly (look-around, back-references, text that is not ECMA-262) is not checked
//! client-side, as aws-sdk-rust checks none: the value is sent and the service judges it.
//! [`omissions`] lists one [`Omission`] per shape or member that declares such a pattern, and the
//! rustdoc of each says so. The emitters only read the decision.

use std::collections::BTreeMap;

use super::{Constraints, Member, Omission, OmissionKind, Shape, ShapeId, ShapeKind};
use crate::pattern::{PatternError, for_regex_lite};

/// A `@pattern` and what the client does with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The model's text (shown in violations and docs).
    pub source: String,
    pub check: PatternCheck,
}

/// How a pattern is checked before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternCheck {
    /// Matched with regex-lite, with this text (the source rewritten, same meaning).
    RegexLite(String),
    /// Not checked client-side, and why.
    NotChecked(PatternError),
}

impl Pattern {
    /// Whether the client checks it.
    pub fn is_checked(&self) -> bool {
        matches!(self.check, PatternCheck::RegexLite(_))
    }

    /// The sentence the docs and the omission use for an unchecked pattern (`None` if checked).
    pub fn not_checked_text(&self) -> Option<String> {
        match &self.check {
            PatternCheck::RegexLite(_) => None,
            PatternCheck::NotChecked(e) => Some(format!(
                "Pattern `{}` is not checked client-side: {}.",
                self.source.replace('`', "'"),
                e.reason()
            )),
        }
    }
}

/// The decision for the model pattern `source`.
pub fn decide(source: &str) -> Pattern {
    Pattern {
        source: source.to_owned(),
        check: match for_regex_lite(source) {
            Ok(re) => PatternCheck::RegexLite(re),
            Err(e) => PatternCheck::NotChecked(e),
        },
    }
}

/// One omission per string shape, and per member targeting one, that declares a pattern the
/// client does not check (patterns elsewhere never apply: `@pattern` is for strings).
pub(super) fn omissions(shapes: &BTreeMap<ShapeId, Shape>, omitted: &mut Vec<Omission>) {
    let is_string = |id: &str| matches!(shapes.get(id).map(|s| &s.kind), Some(ShapeKind::String));
    let mut record = |item: String, c: &Constraints| {
        if let Some(p) = &c.pattern
            && let Some(text) = p.not_checked_text()
        {
            omitted.push(Omission {
                kind: OmissionKind::Pattern,
                item,
                reason: text,
            });
        }
    };
    for (id, shape) in shapes {
        if matches!(shape.kind, ShapeKind::String) {
            record(id.clone(), &shape.constraints);
        }
        let members: Vec<&Member> = match &shape.kind {
            ShapeKind::Structure(st) => st.members.iter().collect(),
            ShapeKind::Union(u) => u.members.iter().collect(),
            ShapeKind::List(m) => vec![m],
            ShapeKind::Map { key, value } => vec![key, value],
            super::scalar_kind!() => Vec::new(),
        };
        for m in members {
            if is_string(&m.target) {
                record(format!("{id}${}", m.wire_name), &m.constraints);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions() {
        let p = decide("^[a-z]+$");
        assert_eq!(p.check, PatternCheck::RegexLite("^[a-z]+$".into()));
        assert!(p.is_checked() && p.not_checked_text().is_none());
        let p = decide("^(?!aws:).+$");
        assert_eq!(p.check, PatternCheck::NotChecked(PatternError::LookAround));
        assert_eq!(
            p.not_checked_text().as_deref(),
            Some(
                "Pattern `^(?!aws:).+$` is not checked client-side: look-around is not \
                 supported by the regex engine."
            )
        );
    }
}
