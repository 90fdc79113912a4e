//! What the generator leaves out of a client, visibly.
//!
//! A detail of a model that the generator cannot carry yet (a `@pattern` no engine here can
//! check, a waiter whose path it cannot evaluate, an operation it cannot send) is left out of the
//! client instead of refusing the whole service. Each such detail becomes an [`Omission`] on the
//! [`Service`](super::Service): the rustdoc of the item it touches says what is missing and why,
//! `cargo xtask codegen` counts them, and `cargo xtask corpus` lists every one.

use std::fmt;

/// One detail of the model that the generated client does not carry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Omission {
    /// What kind of detail it is (the report groups by it).
    pub kind: OmissionKind,
    /// The shape, member, operation or waiter it belongs to (`ns#Shape$member`,
    /// `ns#Operation`, `ns#Operation/WaiterName`).
    pub item: String,
    /// Why it is left out, in one line.
    pub reason: String,
}

/// The kinds of detail that can be left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OmissionKind {
    /// A `@pattern` that is not checked client-side (the value is sent unchecked, as
    /// aws-sdk-rust sends every value).
    Pattern,
    /// A waiter that is not generated.
    Waiter,
    /// A paginator that is not generated (the operation is).
    Paginator,
    /// An operation that is not generated.
    Operation,
    /// A member of a structure or union that is not generated (its value is neither sent
    /// nor read).
    Member,
}

impl OmissionKind {
    /// The kind's name in reports: `pattern`, `waiter`, `paginator`, `operation`, `member`.
    pub fn as_str(self) -> &'static str {
        match self {
            OmissionKind::Pattern => "pattern",
            OmissionKind::Waiter => "waiter",
            OmissionKind::Paginator => "paginator",
            OmissionKind::Operation => "operation",
            OmissionKind::Member => "member",
        }
    }
}

impl fmt::Display for Omission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.kind.as_str(), self.item, self.reason)
    }
}
