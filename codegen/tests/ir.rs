//! IR resolution: references resolved (prelude included), names decided once, homes of
//! operation inputs/outputs, recursion boxed, reachability and trimming.

use codegen::ir::{self, Home, ShapeKind};

fn mini() -> ir::Service {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mini.json"
    ))
    .unwrap();
    let model = codegen::model::parse(&json).unwrap();
    ir::build(&model, &ir::BuildOptions::default()).unwrap()
}

#[test]
fn service_facts_and_operations() {
    let svc = mini();
    assert_eq!(svc.api_version, "2024-01-01");
    assert_eq!(svc.sdk_id, "Mini");
    assert_eq!(svc.signing_name, "mini");
    assert_eq!(svc.endpoint_prefix, "mini");
    let ops: Vec<(&str, &str)> = svc
        .operations
        .iter()
        .map(|o| (o.wire_name.as_str(), o.fn_name.as_str()))
        .collect();
    assert_eq!(
        ops,
        [("GetThings", "get_things"), ("PutThing", "put_thing")]
    );
}

#[test]
fn inputs_and_outputs_live_in_their_operation_module() {
    let svc = mini();
    let put = svc
        .operations
        .iter()
        .find(|o| o.wire_name == "PutThing")
        .unwrap();
    let input = svc.shape(&put.input);
    assert_eq!(input.rust_name, "PutThingInput");
    assert_eq!(input.home, Home::Operation("put_thing".into()));
    // A Unit output becomes an empty synthetic output structure.
    let output = svc.shape(&put.output);
    assert_eq!(output.rust_name, "PutThingOutput");
    assert!(matches!(&output.kind, ShapeKind::Structure(s) if s.members.is_empty()));
    let err = svc.shape(&put.errors[0]);
    assert_eq!(
        (err.rust_name.as_str(), &err.home),
        ("ThingTooBig", &Home::Error)
    );
}

#[test]
fn members_keep_wire_names_order_and_traits() {
    let svc = mini();
    let put = svc
        .operations
        .iter()
        .find(|o| o.wire_name == "PutThing")
        .unwrap();
    let st = svc.structure(&put.input);
    let names: Vec<(&str, &str)> = st
        .members
        .iter()
        .map(|m| (m.wire_name.as_str(), m.rust_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Name", "name"),
            ("Kind", "kind"),
            ("Tags", "tags"),
            ("Attributes", "attributes"),
            ("Size", "size"),
            ("Created", "created"),
            ("Payload", "payload"),
            ("Type", "r#type")
        ]
    );
    assert!(st.members[0].required);
    assert_eq!(
        svc.shape(&st.members[0].target).constraints.length,
        Some((Some(1), Some(64)))
    );
    assert_eq!(
        st.members[4].constraints.range,
        Some((Some(1.0), Some(100.0)))
    );
    // Prelude targets resolve.
    assert!(matches!(
        svc.shape("smithy.api#Integer").kind,
        ShapeKind::Integer
    ));
}

#[test]
fn recursion_is_boxed_and_sensitive_is_tracked() {
    let svc = mini();
    let thing = svc.structure("example.mini#Thing");
    let parent = thing
        .members
        .iter()
        .find(|m| m.wire_name == "Parent")
        .unwrap();
    assert!(parent.boxed);
    assert!(
        thing
            .members
            .iter()
            .filter(|m| m.wire_name != "Parent")
            .all(|m| !m.boxed)
    );
    assert!(
        thing
            .members
            .iter()
            .find(|m| m.wire_name == "Secret")
            .unwrap()
            .sensitive
    );
}

#[test]
fn trimming_keeps_only_what_the_operations_reach() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mini.json"
    ))
    .unwrap();
    let model = codegen::model::parse(&json).unwrap();
    let svc = ir::build(
        &model,
        &ir::BuildOptions {
            operations: Some(vec!["GetThings".into()]),
        },
    )
    .unwrap();
    assert_eq!(svc.operations.len(), 1);
    assert!(!svc.shapes.contains_key("example.mini#PutThingRequest"));
    assert!(!svc.shapes.contains_key("example.mini#ThingTooBig"));
    assert!(svc.shapes.contains_key("example.mini#Thing"));
    let err = ir::build(
        &model,
        &ir::BuildOptions {
            operations: Some(vec!["Nope".into()]),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("`Nope`"), "{err}");
}

#[test]
fn dangling_references_name_the_referrer() {
    let json = r#"{"smithy":"2.0","shapes":{
        "x#S":{"type":"service","version":"1","operations":[{"target":"x#Op"}],"traits":{"aws.protocols#awsQuery":{}}},
        "x#Op":{"type":"operation","input":{"target":"x#In"}},
        "x#In":{"type":"structure","members":{"A":{"target":"x#Missing"}}}}}"#;
    let model = codegen::model::parse(json).unwrap();
    let err = ir::build(&model, &ir::BuildOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "x#In$A: refers to `x#Missing`, which the model does not define"
    );
}

#[test]
fn lists_and_maps_of_sensitive_values_are_redacted_as_a_whole() {
    let json = r#"{"smithy":"2.0","shapes":{
        "x#S":{"type":"service","version":"1","operations":[{"target":"x#Op"}],"traits":{"aws.protocols#awsQuery":{}}},
        "x#Op":{"type":"operation","input":{"target":"x#In"}},
        "x#Secret":{"type":"string","traits":{"smithy.api#sensitive":{}}},
        "x#Secrets":{"type":"list","member":{"target":"x#Secret"}},
        "x#ByName":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"x#Secrets"}},
        "x#Plain":{"type":"list","member":{"target":"smithy.api#String"}},
        "x#In":{"type":"structure","members":{
            "A":{"target":"x#Secrets"},"B":{"target":"x#ByName"},"C":{"target":"x#Plain"},"D":{"target":"x#Secret"}}}}}"#;
    let model = codegen::model::parse(json).unwrap();
    let svc = ir::build(&model, &ir::BuildOptions::default()).unwrap();
    let st = svc.structure("x#In");
    let flags: Vec<(&str, bool)> = st
        .members
        .iter()
        .map(|m| (m.wire_name.as_str(), m.sensitive))
        .collect();
    assert_eq!(flags, [("A", true), ("B", true), ("C", false), ("D", true)]);
}

#[test]
fn xml_attributes_on_aggregates_are_rejected() {
    let json = r#"{"smithy":"2.0","shapes":{
        "x#S":{"type":"service","version":"1","operations":[{"target":"x#Op"}],"traits":{"aws.protocols#awsQuery":{}}},
        "x#Op":{"type":"operation","output":{"target":"x#Out"}},
        "x#L":{"type":"list","member":{"target":"smithy.api#String"}},
        "x#Out":{"type":"structure","members":{"A":{"target":"x#L","traits":{"smithy.api#xmlAttribute":{}}}}}}}"#;
    let model = codegen::model::parse(json).unwrap();
    let err = ir::build(&model, &ir::BuildOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "x#Out$A: unsupported: @xmlAttribute on a structure, union, list or map member"
    );
}

/// Unions (the `unions` fixture): variants and accessor names decided once, recursion through a
/// union and a structure boxed at its back edge only (`Filter` comes first in id order, so
/// `Filter::Not` stays inline and `NotFilter.filter` is the `Box`), a list of unions (which
/// allocates) left alone.
#[test]
fn unions_resolve_like_structures() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/unions.json"
    ))
    .unwrap();
    let model = codegen::model::parse(&json).unwrap();
    let svc = ir::build(&model, &ir::BuildOptions::default()).unwrap();
    let union = |id: &str| match &svc.shape(id).kind {
        ShapeKind::Union(u) => u.clone(),
        other => panic!("{id} is not a union: {other:?}"),
    };
    let filter = union("example.unions#Filter");
    assert_eq!(filter.variants, ["Prefix", "Not", "AnyOf"]);
    let names: Vec<(&str, bool)> = filter
        .members
        .iter()
        .map(|m| (m.rust_name.as_str(), m.boxed))
        .collect();
    assert_eq!(
        names,
        [("prefix", false), ("not", false), ("any_of", false)]
    );
    let not = svc.structure("example.unions#NotFilter");
    assert!(not.members[0].boxed);
    assert_eq!(svc.shape("example.unions#Filter").home, Home::Types);
    // No member of a union is required: exactly one is set by construction.
    let id = union("example.unions#NamespaceIdentifierUnion");
    assert!(id.members.iter().all(|m| !m.required && !m.boxed));
    // The sensitive member, and the union reached from both inputs and outputs.
    let credential = union("example.unions#Credential");
    assert!(credential.members[1].sensitive && !credential.members[0].sensitive);
    assert!(svc.input_closure().contains("example.unions#Target"));
    assert!(svc.output_closure().contains("example.unions#Target"));
}

/// Only the back edges of cycles are boxed: in `A -> B -> C -> A` plus `A -> C`, walking from
/// `A` in id order, `C.A` closes the cycle; `A.B`, `A.C` and `B.C` stay inline (every cycle
/// still has a `Box`, so every type has a finite size).
#[test]
fn cycles_are_boxed_at_their_back_edges_only() {
    let json = r#"{"smithy":"2.0","shapes":{
        "x#S":{"type":"service","version":"1","operations":[{"target":"x#Op"}],"traits":{"aws.protocols#awsQuery":{}}},
        "x#Op":{"type":"operation","input":{"target":"x#In"}},
        "x#In":{"type":"structure","members":{"A":{"target":"x#A"}}},
        "x#A":{"type":"structure","members":{"B":{"target":"x#B"},"C":{"target":"x#C"}}},
        "x#B":{"type":"structure","members":{"C":{"target":"x#C"}}},
        "x#C":{"type":"structure","members":{"A":{"target":"x#A"},"Me":{"target":"x#C"}}}}}"#;
    let model = codegen::model::parse(json).unwrap();
    let svc = ir::build(&model, &ir::BuildOptions::default()).unwrap();
    let boxed = |id: &str| -> Vec<(String, bool)> {
        svc.structure(id)
            .members
            .iter()
            .map(|m| (m.wire_name.clone(), m.boxed))
            .collect()
    };
    let pairs = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(n, b)| (n.to_string(), *b)).collect()
    };
    assert_eq!(boxed("x#A"), pairs(&[("B", false), ("C", false)]));
    assert_eq!(boxed("x#B"), pairs(&[("C", false)]));
    assert_eq!(boxed("x#C"), pairs(&[("A", true), ("Me", true)]));
    assert_eq!(boxed("x#In"), pairs(&[("A", false)]));
}
