//! Generates lean, typed Rust clients for AWS services from Smithy JSON AST models.
//!
//! The flow runs one way: [`model`] (serde types for the JSON AST) -> [`ir`] (resolved shapes,
//! protocol-neutral, Rust names decided once in [`naming`]) -> [`protocol`] (the service's
//! protocol, chosen from its traits: its rules, and what it cannot send) -> [`emit`] (one
//! module per concern, body formats in `emit/ser/` and `emit/de/`) -> formatted files.
//! `naming.rs` holds the naming primitives; `ir/names.rs` is the pass that applies them.
//! Protocol test cases are read, checked and typed against the IR by [`protocol_tests`] before
//! emission, as doc examples are in [`ir`]. Emitters never read the raw model.

pub mod emit;
pub mod endpoints;
pub mod error;
pub mod import;
pub mod ir;
pub mod model;
pub mod naming;
mod notes;
pub mod options;
pub mod pattern;
pub mod protocol;
pub mod protocol_tests;
#[doc(hidden)]
pub mod test_support;

pub use error::Error;
pub use options::{File, Notes, Options, Summary, parse_notes};

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
    let service = ir::build(
        &model,
        &ir::BuildOptions {
            operations: opts.operations.clone(),
        },
    )?;
    emit_service(&model, service, opts)
}

/// The steps of [`generate`] after [`ir::build`]: checks the notes against the model, picks the
/// protocol ([`protocol::for_service`]; a protocol the emitters do not speak is refused here),
/// lets it decide its part of the IR and leave out what it cannot send, reads the protocol
/// tests and emits. For callers that
/// want the IR too (`cargo xtask corpus` runs the endpoint tests from it); errors are not
/// made one-line here.
pub fn emit_service(
    model: &model::Model,
    mut service: ir::Service,
    opts: &Options,
) -> Result<(Vec<File>, Summary), Error> {
    opts.notes.check(model)?;
    let protocol = protocol::for_service(&service)?;
    protocol.decide(&mut service);
    protocol::leave_out_unsendable(protocol, &mut service);
    let service = &service;
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
        runtime_feature: protocol.framing().runtime_feature(),
        omissions: service.omissions.clone(),
    };
    let tests = if opts.protocol_tests || opts.extra_cases.is_some() {
        Some(protocol_tests::build(
            model,
            service,
            protocol.id(),
            opts.extra_cases.as_ref(),
        )?)
    } else {
        None
    };
    let files = emit::emit(service, protocol, opts, tests.as_ref())?;
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
