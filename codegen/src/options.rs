//! What to generate ([`Options`], [`Notes`]) and what comes out ([`File`], [`Summary`]).

use std::fmt;

use crate::error::Error;

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Keep only these operations (wire names) and the shapes they reach.
    pub operations: Option<Vec<String>>,
    /// Also emit one `#[test]` per `smithy.test#httpRequestTests` / `httpResponseTests` case.
    pub protocol_tests: bool,
    /// Extra protocol test cases (a `<protocol>-conformance/1` document, `awsquery-conformance/1`
    /// for an awsQuery service, such as botocore's copy
    /// of the suite), emitted as tests against this service's operations (matched by name).
    /// Implies `protocol_tests`.
    pub extra_cases: Option<serde_json::Value>,
    /// A name for the model in the `@generated` header (a file name, never an absolute path).
    pub source_name: String,
    /// The Rust name of the crate the code goes into, for doc examples (`ses_client` if empty).
    pub crate_name: String,
    /// Descriptions in the project's own words (see [`parse_notes`]), shown in rustdoc before
    /// the facts from the model.
    pub notes: Notes,
}

/// Descriptions in the project's own words, by local shape name (no namespace). Where the
/// model has documentation of its own for an item, that is shown instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    /// `Operation` -> its description.
    pub operations: std::collections::BTreeMap<String, String>,
    /// `Structure` / `Enum` -> a description of the type (and of an error, what it means).
    pub shapes: std::collections::BTreeMap<String, String>,
    /// `Structure$Member` -> a description of the member.
    pub members: std::collections::BTreeMap<String, String>,
    /// `Enum$value` (the value as sent on the wire) -> what the value means.
    pub enums: std::collections::BTreeMap<String, String>,
}

/// Reads a notes file, such as `models/ses.notes.json`: one JSON object with
///
/// - `"about"` (optional): free text for people reading the file;
/// - `"operations"`: `{"SetIdentityMailFromDomain": "text", ...}`;
/// - `"shapes"`: `{"IdentityMailFromDomainAttributes": "text", ...}` (structures, errors,
///   enums);
/// - `"members"`: `{"SetIdentityMailFromDomainRequest$MailFromDomain": "text", ...}`;
/// - `"enums"`: `{"CustomMailFromStatus$Pending": "text", ...}` (by wire value).
///
/// Every section is optional (a file with only `operations` is the original format). Texts are
/// Markdown; keys use the model's local shape names. Any other top-level key, or a text that is
/// not a non-empty string, is an error here; a key naming something the model does not have is
/// an error of [`generate`](crate::generate), so notes cannot rot silently.
pub fn parse_notes(json: &str) -> Result<Notes, Error> {
    let doc: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::Parse(format!("notes: {e}")))?;
    let doc = doc
        .as_object()
        .ok_or_else(|| Error::Parse("notes: expected a JSON object".into()))?;
    let mut notes = Notes::default();
    for (section, value) in doc {
        let map = match section.as_str() {
            "about" => continue,
            "operations" => &mut notes.operations,
            "shapes" => &mut notes.shapes,
            "members" => &mut notes.members,
            "enums" => &mut notes.enums,
            other => {
                return Err(Error::Parse(format!(
                    "notes: unknown section `{other}` (about, operations, shapes, members, enums)"
                )));
            }
        };
        let entries = value
            .as_object()
            .ok_or_else(|| Error::Parse(format!("notes: `{section}` must be an object")))?;
        for (k, v) in entries {
            match v.as_str().map(str::trim) {
                Some(text) if !text.is_empty() => {
                    map.insert(k.clone(), text.to_owned());
                }
                _ => {
                    return Err(Error::Parse(format!(
                        "notes: `{section}` key `{k}` must be a non-empty string"
                    )));
                }
            }
        }
    }
    Ok(notes)
}

/// One generated file, with a path relative to the crate's `src/generated/` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// A summary for the one-line report of `cargo xtask codegen`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub operations: usize,
    pub shapes: usize,
    /// The service's SDK id (`SES`), for naming standalone crates.
    pub sdk_id: String,
    /// The service's title, for crate docs.
    pub title: String,
    /// Some operation gzips its requests (`@requestCompression`): the crate needs the runtime's
    /// `request-compression` feature.
    pub request_compression: bool,
    /// The runtime feature of the service's protocol module (`aws-query`, `ec2-query`), which
    /// the crate turns on.
    pub runtime_feature: &'static str,
    /// The details of the model the client leaves out (see [`crate::ir::Omission`]).
    pub omissions: Vec<crate::ir::Omission>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} operations, {} shapes", self.operations, self.shapes)?;
        if !self.omissions.is_empty() {
            write!(f, ", {} details left out", self.omissions.len())?;
        }
        Ok(())
    }
}
