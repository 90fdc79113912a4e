//! Generates lean, typed Rust clients for AWS awsQuery services from Smithy JSON AST models.
//!
//! The flow runs one way: [`model`] (serde types for the JSON AST) -> [`ir`] (resolved shapes,
//! Rust names decided once in [`naming`]) -> [`emit`] (one module per concern) -> formatted files.
//! Protocol test cases are read, checked and typed against the IR by [`protocol_tests`] before
//! emission, as doc examples are in [`ir`]. Emitters never read the raw model.

pub mod emit;
pub mod endpoints;
pub mod import;
pub mod ir;
pub mod model;
pub mod naming;
mod notes;
pub mod pattern;
pub mod protocol_tests;
#[doc(hidden)]
pub mod test_support;

use std::fmt;

/// Everything that can go wrong turning a model into code. Each variant names the shape (or
/// file) at fault so a user can find it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot parse the model: {0}")]
    Parse(String),
    #[error("the model has no service shape")]
    NoService,
    #[error("{shape}: {message}")]
    Model { shape: String, message: String },
    #[error("{shape}: unsupported: {what}")]
    Unsupported { shape: String, what: String },
    #[error(
        "generated code for {file} does not parse as Rust ({message}); this is a generator bug"
    )]
    Render { file: String, message: String },
    #[error("endpoint rules: {0}")]
    Endpoints(String),
    #[error("protocol test case {id}: {message}")]
    Case { id: String, message: String },
    /// Any of the above, found while generating `service`.
    #[error("cannot generate service `{service}`: {source}")]
    InService {
        service: String,
        #[source]
        source: Box<Error>,
    },
}

impl Error {
    /// This error with control characters (a newline in a shape id or a trait value, ...)
    /// escaped, so that it always reads as one line.
    pub fn one_line(self) -> Error {
        fn clean(s: String) -> String {
            if !s.chars().any(breaks_line) {
                return s;
            }
            s.chars()
                .map(|c| {
                    if breaks_line(c) {
                        c.escape_unicode().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        }
        fn breaks_line(c: char) -> bool {
            c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
        }
        match self {
            Error::Parse(m) => Error::Parse(clean(m)),
            Error::NoService => Error::NoService,
            Error::Model { shape, message } => Error::Model {
                shape: clean(shape),
                message: clean(message),
            },
            Error::Unsupported { shape, what } => Error::Unsupported {
                shape: clean(shape),
                what: clean(what),
            },
            Error::Render { file, message } => Error::Render {
                file: clean(file),
                message: clean(message),
            },
            Error::Endpoints(m) => Error::Endpoints(clean(m)),
            Error::Case { id, message } => Error::Case {
                id: clean(id),
                message: clean(message),
            },
            Error::InService { service, source } => Error::InService {
                service: clean(service),
                source: Box::new(source.one_line()),
            },
        }
    }

    /// This error with the service it was found in, unless it already names that service.
    pub fn in_service(self, service: &str) -> Error {
        match &self {
            Error::InService { .. } => self,
            _ => Error::InService {
                service: service.to_owned(),
                source: Box::new(self),
            },
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Keep only these operations (wire names) and the shapes they reach.
    pub operations: Option<Vec<String>>,
    /// Also emit one `#[test]` per `smithy.test#httpRequestTests` / `httpResponseTests` case.
    pub protocol_tests: bool,
    /// Extra protocol test cases (an `awsquery-conformance/1` document, such as botocore's copy
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
/// an error of [`generate`], so notes cannot rot silently.
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
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} operations, {} shapes", self.operations, self.shapes)
    }
}

/// The default crate name of a service's client: `SES` -> `ses-client`, `Elastic Beanstalk` ->
/// `elastic-beanstalk-client`.
pub fn default_crate_name(sdk_id: &str) -> String {
    let base: String = sdk_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{}-client", base.trim_matches('-'))
}

/// Parses, resolves and emits: the whole pipeline for one model document. Any model gives
/// files or one error (on one line) naming what is wrong; none makes it panic or recurse
/// without bound (`tests/hostile_models.rs` mutates real models to check).
pub fn generate(model_json: &str, opts: &Options) -> Result<(Vec<File>, Summary), Error> {
    pipeline(model_json, opts).map_err(Error::one_line)
}

fn pipeline(model_json: &str, opts: &Options) -> Result<(Vec<File>, Summary), Error> {
    let model = model::parse(model_json)?;
    opts.notes.check(&model)?;
    let service = ir::build(
        &model,
        &ir::BuildOptions {
            operations: opts.operations.clone(),
        },
    )?;
    let summary = Summary {
        operations: service.operations.len(),
        shapes: service.shapes.len(),
        sdk_id: service.sdk_id.clone(),
        title: service
            .title
            .clone()
            .unwrap_or_else(|| service.name.clone()),
        request_compression: service
            .operations
            .iter()
            .any(|op| op.request_compression.iter().any(|e| e == "gzip")),
    };
    let tests = if opts.protocol_tests || opts.extra_cases.is_some() {
        Some(protocol_tests::build(
            &model,
            &service,
            opts.extra_cases.as_ref(),
        )?)
    } else {
        None
    };
    let files = emit::emit(&service, opts, tests.as_ref())?;
    Ok((files, summary))
}

pub use protocol_tests::MAX_TEST_VALUE_NESTING;

/// [`generate`], with an error also naming the service it was found in (what `cargo xtask
/// codegen` reports): `cannot generate service `ns#Svc`: ns#Shape: unsupported: bigInteger shapes`.
pub fn generate_with_service_context(
    model_json: &str,
    opts: &Options,
) -> Result<(Vec<File>, Summary), Error> {
    generate(model_json, opts).map_err(|e| match service_id(model_json) {
        Some(id) if !matches!(e, Error::NoService) => e.in_service(&id).one_line(),
        _ => e,
    })
}

/// The id of the first service shape of a model document that at least parses as JSON.
fn service_id(model_json: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(model_json).ok()?;
    doc.get("shapes")?
        .as_object()?
        .iter()
        .find(|(_, s)| s.get("type").and_then(serde_json::Value::as_str) == Some("service"))
        .map(|(id, _)| id.clone())
}

/// The name part of a shape id (`com.amazonaws.ses#Identity` -> `Identity`).
pub(crate) fn ir_local(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, n)| n)
}
