//! Hostile models: real models (the shared ones, the repo's own `models/ses.json`, the test
//! fixtures) mutated at random, structurally, and each generated in full, in process, the way
//! `cargo xtask codegen` does it (parse -> IR -> every emitter -> prettyplease). Whatever the
//! model, the generator must give files or exactly one clean error line: no panic, and no
//! recursion deep enough to overflow the stack (which would abort this test process).
//!
//! Deterministic (a fixed seed, a built-in PRNG) and bounded ([`MUTANTS`] generations, most of
//! them on models trimmed to a few operations so a debug build stays fast). To replay one
//! mutant: `HOSTILE_ONLY=<n> cargo test -p codegen --test hostile_models -- --nocapture`
//! (prints what was mutated; `HOSTILE_DUMP=<file>` also writes the mutant there;
//! `HOSTILE_VERBOSE=1` prints what was mutated for every mutant).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

/// The seed of every random choice below.
const SEED: u64 = 0x1157_5EED_C0DE_0011;
/// How many mutants are generated.
const MUTANTS: usize = 600;
/// One mutant in this many keeps its whole model (all operations) instead of a few.
const FULL_MODEL_EVERY: usize = 40;

/// SplitMix64: tiny, fast, and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// A model to mutate.
struct Source {
    name: String,
    doc: Value,
    /// Options it is generated with (protocol tests for the conformance model).
    protocol_tests: bool,
}

fn shared_dir() -> Option<PathBuf> {
    codegen::test_support::shared_dir("mutating the repo's own models only")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| !p.to_string_lossy().ends_with(".notes.json"))
        .collect();
    files.sort();
    files
}

fn sources() -> Vec<Source> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // (path, name shown, protocol tests)
    let mut paths: Vec<(PathBuf, String, bool)> = Vec::new();
    if let Some(shared) = shared_dir() {
        // The models the generator emits in full (awsQuery); `cargo xtask corpus` runs the
        // generator over every model of every protocol.
        for p in json_files(&shared.join("models")).into_iter().filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| t.contains("\"aws.protocols#awsQuery\""))
        }) {
            let name = format!(
                "shared/models/{}",
                p.file_name().unwrap_or_default().display()
            );
            paths.push((p, name, false));
        }
        let conformance = "conformance/awsquery/smithy-awsquery-model.json";
        if shared.join(conformance).is_file() {
            paths.push((
                shared.join(conformance),
                format!("shared/{conformance}"),
                true,
            ));
        }
    }
    paths.push((
        manifest.join("../models/ses.json"),
        "models/ses.json".into(),
        false,
    ));
    for p in json_files(&manifest.join("tests/fixtures")) {
        let name = format!(
            "codegen/tests/fixtures/{}",
            p.file_name().unwrap_or_default().display()
        );
        paths.push((p, name, false));
    }
    paths
        .into_iter()
        .map(|(path, name, protocol_tests)| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let doc = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
            Source {
                name,
                doc,
                protocol_tests,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Reading and trimming models
// ---------------------------------------------------------------------------------------------

fn shapes(doc: &Value) -> Option<&Map<String, Value>> {
    doc.get("shapes")?.as_object()
}

fn shapes_mut(doc: &mut Value) -> Option<&mut Map<String, Value>> {
    doc.get_mut("shapes")?.as_object_mut()
}

fn type_of(shape: &Value) -> &str {
    shape.get("type").and_then(Value::as_str).unwrap_or("")
}

fn ids(doc: &Value, types: &[&str]) -> Vec<String> {
    shapes(doc)
        .into_iter()
        .flatten()
        .filter(|(_, s)| types.is_empty() || types.contains(&type_of(s)))
        .map(|(id, _)| id.clone())
        .collect()
}

fn service_id(doc: &Value) -> Option<String> {
    ids(doc, &["service"]).into_iter().next()
}

/// Every `"target"` string in `v`.
fn targets_in(v: &Value, out: &mut Vec<String>) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(t)) = m.get("target") {
                    out.push(t.clone());
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
}

/// The model with its service keeping only a few random operations, and only the shapes those
/// reach: mutations then land on shapes that matter, and generation is quick.
fn trim(doc: &Value, rng: &mut Rng) -> Value {
    let (Some(all), Some(svc_id)) = (shapes(doc), service_id(doc)) else {
        return doc.clone();
    };
    let mut service = all[&svc_id].clone();
    let ops: Vec<Value> = service
        .get("operations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if ops.len() <= 4 {
        return doc.clone();
    }
    let mut kept = Vec::new();
    for _ in 0..1 + rng.below(3) {
        if let Some(op) = rng.pick(&ops)
            && !kept.contains(op)
        {
            kept.push(op.clone());
        }
    }
    service["operations"] = Value::Array(kept.clone());
    let mut out = Map::new();
    let mut pending = Vec::new();
    targets_in(&Value::Array(kept), &mut pending);
    if let Some(errors) = service.get("errors") {
        targets_in(errors, &mut pending);
    }
    out.insert(svc_id, service);
    while let Some(id) = pending.pop() {
        if out.contains_key(&id) {
            continue;
        }
        if let Some(shape) = all.get(&id) {
            targets_in(shape, &mut pending);
            out.insert(id, shape.clone());
        }
    }
    json!({ "smithy": doc["smithy"].clone(), "shapes": out })
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

fn get_mut<'a>(mut v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for seg in path {
        v = match seg {
            Seg::Key(k) => v.get_mut(k.as_str())?,
            Seg::Index(i) => v.get_mut(*i)?,
        };
    }
    Some(v)
}

/// The node at `path` from the `shapes` object of `doc`, to read.
fn node<'a>(doc: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    let mut v = doc.get("shapes")?;
    for seg in path {
        v = match seg {
            Seg::Key(k) => v.get(k.as_str())?,
            Seg::Index(i) => v.get(*i)?,
        };
    }
    Some(v)
}

/// The node at `path` from the `shapes` object of `doc`.
fn at<'a>(doc: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    get_mut(doc.get_mut("shapes")?, path)
}

/// Paths (from the `shapes` object) of every node of the model, and of those objects that have
/// a `target`.
fn paths(doc: &Value) -> (Vec<Vec<Seg>>, Vec<Vec<Seg>>) {
    let (mut all, mut with_target) = (Vec::new(), Vec::new());
    let Some(root) = doc.get("shapes") else {
        return (all, with_target);
    };
    let mut stack: Vec<(Vec<Seg>, &Value)> = vec![(Vec::new(), root)];
    while let Some((path, v)) = stack.pop() {
        match v {
            Value::Object(m) => {
                if m.get("target").is_some_and(Value::is_string) {
                    with_target.push(path.clone());
                }
                for (k, child) in m {
                    let mut p = path.clone();
                    p.push(Seg::Key(k.clone()));
                    stack.push((p, child));
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Seg::Index(i));
                    stack.push((p, child));
                }
            }
            _ => {}
        }
        if !path.is_empty() {
            all.push(path);
        }
    }
    (all, with_target)
}

fn weird_number(rng: &mut Rng) -> Value {
    let numbers = [
        json!(1.5),
        json!(-1),
        json!(1e30),
        json!(-1e30),
        json!(0),
        json!(0.0),
        json!(-0.5),
        json!(255),
        json!(300),
        json!(65536),
        json!(2147483648u64),
        json!(9223372036854775807i64),
        json!(-9223372036854775808i64),
        json!(18446744073709551615u64),
        json!(1e300),
        json!(4.9e-324),
    ];
    rng.pick(&numbers).cloned().unwrap_or(Value::Null)
}

fn weird_value(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0..=3 => weird_number(rng),
        4 => json!("str"),
        5 => Value::Null,
        6 => json!({}),
        7 => json!([]),
        8 => json!(true),
        9 => json!({ "min": weird_number(rng), "max": weird_number(rng) }),
        10 => json!([{ "id": "x" }, 7, "y"]),
        _ => json!("(\n\u{0}Ⓐ"),
    }
}

const WEIRD_NAMES: &[&str] = &[
    "",
    "type",
    "Self",
    "self",
    "_",
    "__",
    "Ⓐ",
    "a²",
    "²",
    "1x",
    "٣x",
    "a b",
    "über",
    "\n",
    "meta",
    "builder",
    "set_value",
    "Unknown",
    "Value",
    "r#type",
    "$",
    "#",
    "Input",
    "FooBar",
    "foo_bar",
    "build",
    "send",
    "crate",
    "super",
];

const WEIRD_IDS: &[&str] = &[
    "example#",
    "#",
    "noNamespace",
    "a#b$c",
    "example#Line\nBreak",
    "example#Ⓐ",
    "example#1st",
    "example#Self",
    "smithy.api#String",
    "smithy.api#Unit",
    "smithy.api#Document",
    "smithy.api#BigInteger",
    "smithy.api#Nope",
    "",
];

const TYPES: &[&str] = &[
    "structure",
    "union",
    "list",
    "set",
    "map",
    "enum",
    "intEnum",
    "string",
    "blob",
    "boolean",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
    "document",
    "operation",
    "service",
    "resource",
    "teapot",
];

const TRAITS: &[&str] = &[
    "smithy.api#length",
    "smithy.api#range",
    "smithy.api#pattern",
    "smithy.api#required",
    "smithy.api#enumValue",
    "smithy.api#error",
    "smithy.api#httpError",
    "smithy.api#xmlName",
    "smithy.api#xmlFlattened",
    "smithy.api#xmlAttribute",
    "smithy.api#xmlNamespace",
    "smithy.api#timestampFormat",
    "smithy.api#default",
    "smithy.api#sensitive",
    "smithy.api#documentation",
    "smithy.api#deprecated",
    "smithy.api#paginated",
    "smithy.waiters#waitable",
    "smithy.api#endpoint",
    "smithy.api#hostLabel",
    "smithy.api#idempotencyToken",
    "smithy.api#clientOptional",
    "aws.protocols#awsQueryError",
    "smithy.api#examples",
    "smithy.test#httpRequestTests",
    "smithy.test#httpResponseTests",
    "smithy.api#requestCompression",
    "smithy.api#enum",
    "smithy.api#streaming",
];

/// A value for `name` that is wrong in an interesting way.
fn weird_trait(name: &str, rng: &mut Rng) -> Value {
    let n = |rng: &mut Rng| {
        if rng.one_in(4) {
            weird_value(rng)
        } else {
            weird_number(rng)
        }
    };
    match (name, rng.below(3)) {
        ("smithy.api#length" | "smithy.api#range", 0) => json!({ "min": n(rng) }),
        ("smithy.api#length" | "smithy.api#range", 1) => json!({ "max": n(rng) }),
        ("smithy.api#length" | "smithy.api#range", _) => json!({ "min": n(rng), "max": n(rng) }),
        ("smithy.api#pattern", 0) => json!("(unclosed"),
        ("smithy.api#pattern", 1) => json!("^[\\p{L}]+$"),
        ("smithy.waiters#waitable", 0) => json!({ "1st": { "acceptors": [] } }),
        ("smithy.waiters#waitable", 1) => json!({
            "Done": { "minDelay": n(rng), "maxDelay": n(rng), "acceptors": [
                { "state": "success", "matcher": { "output": { "path": "a.b[0]", "expected": "x", "comparator": "stringEquals" } } }
            ] }
        }),
        ("smithy.api#paginated", _) => json!({
            "inputToken": WEIRD_NAMES[rng.below(WEIRD_NAMES.len())],
            "outputToken": "NextToken",
            "items": "Items",
            "pageSize": "MaxItems",
        }),
        ("smithy.api#endpoint", 0) => json!({ "hostPrefix": "{Nope}." }),
        ("smithy.api#endpoint", 1) => json!({ "hostPrefix": "{" }),
        ("smithy.api#examples", 0) => {
            // A wide example value: many items for one list member.
            json!([{ "title": "wide", "input": { "Items": vec![json!("x"); 500] } }])
        }
        _ => weird_value(rng),
    }
}

/// Applies one random mutation to `doc`, returning what it did.
/// What a mutation asks of the run besides the model's new content.
#[derive(Default)]
struct Asks {
    /// Cut the serialized document near this byte.
    cut: Option<usize>,
    /// Generate protocol tests too.
    protocol_tests: bool,
}

fn mutate(doc: &mut Value, asks: &mut Asks, rng: &mut Rng) -> String {
    let all_ids = ids(doc, &[]);
    let (all_paths, target_paths) = paths(doc);
    match rng.below(19) {
        // Retarget a member (or an operation's input/output/error) to another shape, itself,
        // a collection, a prelude or missing shape.
        0..=2 => {
            let Some(path) = rng.pick(&target_paths).cloned() else {
                return "no member to retarget".into();
            };
            let owner = match path.first() {
                Some(Seg::Key(k)) => k.clone(),
                _ => String::new(),
            };
            let collections = ids(doc, &["list", "set", "map"]);
            let new = match rng.below(6) {
                0 => owner,
                1 => rng.pick(&collections).cloned().unwrap_or_default(),
                2 => WEIRD_IDS[rng.below(WEIRD_IDS.len())].to_owned(),
                _ => rng.pick(&all_ids).cloned().unwrap_or_default(),
            };
            if let Some(v) = at(doc, &path) {
                v["target"] = json!(new);
            }
            format!("retarget {path:?} -> {new:?}")
        }
        // A list or map that contains itself, directly or through a partner collection.
        3 => {
            let Some(id) = rng
                .pick(&ids(doc, &["list", "set", "map", "structure"]))
                .cloned()
            else {
                return "no collection".into();
            };
            let partner = format!("{id}Partner");
            let shapes = shapes_mut(doc).expect("shapes");
            let direct = rng.one_in(2);
            let inner = if direct { id.clone() } else { partner.clone() };
            shapes.insert(
                id.clone(),
                if rng.one_in(2) {
                    json!({ "type": "list", "member": { "target": inner } })
                } else {
                    json!({ "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": inner } })
                },
            );
            if !direct {
                shapes.insert(
                    partner,
                    json!({ "type": "map", "key": { "target": "smithy.api#String" }, "value": { "target": id } }),
                );
            }
            format!("self-containing collection {id} (direct: {direct})")
        }
        // Collections nested deep, or a long chain of structures (closing a cycle or not).
        4 => {
            let Some(path) = rng.pick(&target_paths).cloned() else {
                return "no member".into();
            };
            let n = 1 + rng.below(150);
            let structures = rng.one_in(2);
            let cycle = rng.one_in(2);
            let shapes = shapes_mut(doc).expect("shapes");
            for i in 0..n {
                let next = if i + 1 < n {
                    format!("hostile#N{}", i + 1)
                } else if cycle {
                    "hostile#N0".to_owned()
                } else {
                    "smithy.api#String".to_owned()
                };
                let shape = if structures {
                    json!({ "type": "structure", "members": { "Next": { "target": next } } })
                } else {
                    json!({ "type": "list", "member": { "target": next } })
                };
                shapes.insert(format!("hostile#N{i}"), shape);
            }
            if let Some(v) = at(doc, &path) {
                v["target"] = json!("hostile#N0");
            }
            format!(
                "{n} nested {} (cycle: {cycle}) at {path:?}",
                if structures { "structures" } else { "lists" }
            )
        }
        // Swap a shape's type.
        5 => {
            let Some(id) = rng.pick(&all_ids).cloned() else {
                return "no shape".into();
            };
            let ty = TYPES[rng.below(TYPES.len())];
            if let Some(s) = shapes_mut(doc).and_then(|s| s.get_mut(&id))
                && s.is_object()
            {
                s["type"] = json!(ty);
            }
            format!("{id} becomes a {ty}")
        }
        // Delete a shape: references to it dangle.
        6 => {
            let Some(id) = rng.pick(&all_ids).cloned() else {
                return "no shape".into();
            };
            shapes_mut(doc).map(|s| s.remove(&id));
            format!("delete {id}")
        }
        // A trait with a weird value, on a shape or a member.
        7..=9 => {
            let owners: Vec<Vec<Seg>> = all_ids
                .iter()
                .map(|id| vec![Seg::Key(id.clone())])
                .chain(target_paths.iter().cloned())
                .collect();
            let Some(path) = rng.pick(&owners).cloned() else {
                return "no shape".into();
            };
            let name = TRAITS[rng.below(TRAITS.len())];
            let value = weird_trait(name, rng);
            let shown = value.to_string().chars().take(80).collect::<String>();
            if let Some(owner) = at(doc, &path).and_then(Value::as_object_mut) {
                let traits = owner.entry("traits").or_insert_with(|| json!({}));
                if let Some(t) = traits.as_object_mut() {
                    t.insert(name.to_owned(), value);
                }
            }
            format!("{path:?}: {name} = {shown}")
        }
        // `@length` / `@range` with numbers that may not fit, on a shape or member whose type
        // takes them.
        10 => {
            let kinds = [
                "string", "blob", "list", "map", "byte", "short", "integer", "long", "float",
                "double",
            ];
            let Some(id) = rng.pick(&ids(doc, &kinds)).cloned() else {
                return "no constrainable shape".into();
            };
            let numeric = !["string", "blob", "list", "map"]
                .contains(&shapes(doc).map_or("", |s| type_of(&s[&id])));
            let name = if numeric {
                "smithy.api#range"
            } else {
                "smithy.api#length"
            };
            let value = weird_trait(name, rng);
            let shown = value.to_string();
            if let Some(shape) = shapes_mut(doc).and_then(|s| s.get_mut(&id))
                && let Some(shape) = shape.as_object_mut()
            {
                let traits = shape.entry("traits").or_insert_with(|| json!({}));
                if let Some(t) = traits.as_object_mut() {
                    t.insert(name.to_owned(), value);
                }
            }
            format!("{id}: {name} = {shown}")
        }
        // Rename or duplicate a member.
        11 => {
            let structures = ids(doc, &["structure", "enum", "intEnum", "union"]);
            let Some(id) = rng.pick(&structures).cloned() else {
                return "no structure".into();
            };
            let new = WEIRD_NAMES[rng.below(WEIRD_NAMES.len())];
            let duplicate = rng.one_in(2);
            let Some(members) = shapes_mut(doc)
                .and_then(|s| s.get_mut(&id))
                .and_then(|s| s.get_mut("members"))
                .and_then(Value::as_object_mut)
            else {
                return format!("{id} has no members");
            };
            let keys: Vec<String> = members.keys().cloned().collect();
            let Some(old) = rng.pick(&keys).cloned() else {
                return format!("{id} has no members");
            };
            let member = if duplicate {
                members.get(&old).cloned()
            } else {
                members.remove(&old)
            };
            if let Some(m) = member {
                members.insert(new.to_owned(), m);
            }
            format!(
                "{id}${old} {} {new:?}",
                if duplicate { "copied to" } else { "renamed" }
            )
        }
        // Rename a shape's id, references following or not.
        12 => {
            let Some(id) = rng.pick(&all_ids).cloned() else {
                return "no shape".into();
            };
            let new = WEIRD_IDS[rng.below(WEIRD_IDS.len())].to_owned();
            let follow = rng.one_in(2);
            if let Some(shapes) = shapes_mut(doc)
                && let Some(s) = shapes.remove(&id)
            {
                shapes.insert(new.clone(), s);
            }
            if follow {
                for path in &target_paths {
                    if let Some(v) = at(doc, path)
                        && v["target"] == json!(id)
                    {
                        v["target"] = json!(new);
                    }
                }
            }
            format!("shape {id} renamed {new:?} (references follow: {follow})")
        }
        // Corrupt the service: protocol, service traits, endpoint rules, operation list.
        13 => {
            let Some(id) = service_id(doc) else {
                return "no service".into();
            };
            let choice = rng.below(7);
            let op_ids = ids(doc, &["operation"]);
            let weird = weird_value(rng);
            let Some(svc) = shapes_mut(doc).and_then(|s| s.get_mut(&id)) else {
                return "no service".into();
            };
            if !svc.get("traits").is_some_and(Value::is_object) {
                svc["traits"] = json!({});
            }
            let traits = &mut svc["traits"];
            match choice {
                0 => {
                    traits
                        .as_object_mut()
                        .map(|t| t.remove("aws.protocols#awsQuery"));
                    traits["aws.protocols#awsJson1_0"] = json!({});
                }
                1 => traits["aws.api#service"] = weird.clone(),
                2 => traits["aws.auth#sigv4"] = json!({ "name": weird.clone() }),
                3 => {
                    // Somewhere inside the endpoint rules.
                    let mut node = &mut traits["smithy.rules#endpointRuleSet"];
                    for _ in 0..rng.below(6) {
                        let next = match &*node {
                            Value::Object(m) if !m.is_empty() => Seg::Key(
                                m.keys()
                                    .nth(rng.below(m.len()))
                                    .cloned()
                                    .unwrap_or_default(),
                            ),
                            Value::Array(a) if !a.is_empty() => Seg::Index(rng.below(a.len())),
                            _ => break,
                        };
                        node = get_mut(node, &[next]).expect("child exists");
                    }
                    *node = weird.clone();
                }
                4 => {
                    let op = rng.pick(&op_ids).cloned().unwrap_or_default();
                    let extra = [
                        json!({ "target": id.clone() }),
                        json!({ "target": op }),
                        json!(7),
                    ];
                    if let Some(ops) = svc.get_mut("operations").and_then(Value::as_array_mut) {
                        ops.push(extra[rng.below(extra.len())].clone());
                    }
                }
                5 => svc["resources"] = json!([{ "target": id.clone() }]),
                _ => svc["version"] = weird.clone(),
            }
            format!("service {id}: corruption {choice} ({weird})")
        }
        // Replace any node of the model with a weird value.
        14..=15 => {
            // Half the time inside a protocol test's values (they become Rust literals).
            let in_params: Vec<Vec<Seg>> = all_paths
                .iter()
                .filter(|p| p.iter().any(|s| matches!(s, Seg::Key(k) if k == "params")))
                .cloned()
                .collect();
            let (path, weird) = if !in_params.is_empty() && rng.one_in(2) {
                asks.protocol_tests = true;
                // Numbers there mostly become numbers of other sizes.
                let numbers: Vec<Vec<Seg>> = in_params
                    .iter()
                    .filter(|p| node(doc, p).is_some_and(Value::is_number))
                    .cloned()
                    .collect();
                match rng.pick(&numbers).cloned() {
                    Some(p) if !rng.one_in(4) => (Some(p), weird_number(rng)),
                    _ => (rng.pick(&in_params).cloned(), weird_value(rng)),
                }
            } else {
                (rng.pick(&all_paths).cloned(), weird_value(rng))
            };
            let Some(path) = path else {
                return "empty model".into();
            };
            if let Some(v) = at(doc, &path) {
                *v = weird.clone();
            }
            format!("{path:?} = {weird}")
        }
        // Documentation with HTML nested deep (or not).
        16 => {
            let owners: Vec<Vec<Seg>> = all_ids
                .iter()
                .map(|id| vec![Seg::Key(id.clone())])
                .chain(target_paths.iter().cloned())
                .collect();
            let Some(path) = rng.pick(&owners).cloned() else {
                return "no shape".into();
            };
            let n = 1 + rng.below(5000);
            let tag = ["b", "p", "ul", "a href=\"x\"", "i"][rng.below(5)];
            let doc_text = format!(
                "{}text [x]{}",
                format!("<{tag}>").repeat(n),
                "</b>".repeat(n / 2)
            );
            if let Some(owner) = at(doc, &path).and_then(Value::as_object_mut) {
                let traits = owner.entry("traits").or_insert_with(|| json!({}));
                if let Some(t) = traits.as_object_mut() {
                    t.insert("smithy.api#documentation".into(), json!(doc_text));
                }
            }
            format!("{path:?}: documentation nesting <{tag}> {n} deep")
        }
        // A protocol test whose params nest deep, on a recursive input structure.
        17 => {
            let Some(op) = rng.pick(&ids(doc, &["operation"])).cloned() else {
                return "no operation".into();
            };
            let n = 1 + rng.below(24);
            // Numbers of other sizes in the innermost value, for a float, an int and a timestamp.
            let big = [json!(1e300), json!(-1e300), json!(1e39), json!(3.5e38)];
            let number = |rng: &mut Rng| match rng.pick(&big) {
                Some(b) if rng.one_in(2) => b.clone(),
                _ => weird_number(rng),
            };
            let (f, i, t) = (number(rng), number(rng), number(rng));
            let mut params = json!({ "F": f, "I": i, "T": t, "Name": "x", "Items": ["a"] });
            for _ in 0..n {
                params = json!({ "Child": params });
            }
            let response = rng.one_in(2);
            let case = if response {
                json!([{ "id": "DeepResponse", "protocol": "aws.protocols#awsQuery", "code": 200,
                         "body": "<R/>", "params": params }])
            } else {
                json!([{ "id": "DeepRequest", "protocol": "aws.protocols#awsQuery", "method": "POST",
                         "uri": "/", "params": params }])
            };
            let Some(shapes) = shapes_mut(doc) else {
                return "no shapes".into();
            };
            shapes.insert(
                "hostile#Rec".into(),
                json!({ "type": "structure", "members": {
                    "Child": { "target": "hostile#Rec" },
                    "F": { "target": "smithy.api#Float" },
                    "I": { "target": "smithy.api#Integer" },
                    "T": { "target": "smithy.api#Timestamp" },
                    "Name": { "target": "smithy.api#String" },
                    "Items": { "target": "hostile#Items" },
                } }),
            );
            shapes.insert(
                "hostile#Items".into(),
                json!({ "type": "list", "member": { "target": "smithy.api#String" } }),
            );
            if let Some(o) = shapes.get_mut(&op).and_then(Value::as_object_mut) {
                let key = if response { "output" } else { "input" };
                o.insert(key.into(), json!({ "target": "hostile#Rec" }));
                let traits = o.entry("traits").or_insert_with(|| json!({}));
                if let Some(t) = traits.as_object_mut() {
                    let name = if response {
                        "smithy.test#httpResponseTests"
                    } else {
                        "smithy.test#httpRequestTests"
                    };
                    t.insert(name.into(), case);
                }
            }
            asks.protocol_tests = true;
            format!("{op}: protocol test params {n} deep (response: {response})")
        }
        // Cut the document short.
        _ => {
            let at = rng.below(1 << 20);
            asks.cut = Some(at);
            format!("truncated near byte {at}")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

/// Why `line` is not one clean error line, if it is not.
fn unclean(line: &str) -> Option<&'static str> {
    if line.trim().is_empty() {
        Some("empty")
    } else if line.contains(['\n', '\r']) {
        Some("more than one line")
    } else if line.chars().any(char::is_control) {
        Some("control characters")
    } else if !(line.contains('`')
        || line.contains('#')
        || line.starts_with("cannot parse")
        || line == "the model has no service shape")
    {
        Some("names nothing")
    } else {
        None
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(non-string panic)".to_owned())
}

/// How long one generation may take (a whole SES model takes about 1 s in a debug build).
const BUDGET: Duration = Duration::from_secs(30);
/// The stack of the thread generating each mutant: what a spawned thread gets by default (and
/// less than `cargo xtask codegen`'s main thread has).
const STACK: usize = 2 << 20;

enum Outcome {
    Generated,
    Rejected(String),
    Panic(String),
    Hung,
}

/// Generates on a thread of its own, so that a generation that never ends fails the test
/// (after [`BUDGET`]) instead of hanging it. (A stack overflow still aborts the process.)
fn run(text: String, opts: codegen::Options) -> Outcome {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("generate".into())
        .stack_size(STACK)
        .spawn(move || {
            let outcome = match catch_unwind(AssertUnwindSafe(|| {
                codegen::generate_with_service_context(&text, &opts)
            })) {
                Err(payload) => Outcome::Panic(panic_message(payload.as_ref())),
                Ok(Ok(_)) => Outcome::Generated,
                Ok(Err(e)) => Outcome::Rejected(e.to_string()),
            };
            // The receiver is gone only after a timeout, which has been reported.
            let _ = tx.send(outcome);
        })
        .expect("spawning a thread");
    rx.recv_timeout(BUDGET).unwrap_or(Outcome::Hung)
}

#[test]
fn hostile_models_give_files_or_one_error_line() {
    let sources = sources();
    let only: Option<usize> = std::env::var("HOSTILE_ONLY")
        .ok()
        .and_then(|s| s.parse().ok());
    let verbose = std::env::var_os("HOSTILE_VERBOSE").is_some() || only.is_some();
    let started = Instant::now();
    let mut rng = Rng(SEED);
    let (mut generated, mut rejected) = (0, 0);
    let mut failures: Vec<String> = Vec::new();
    for n in 0..MUTANTS {
        // Every mutant draws from the same stream whether or not it is replayed alone.
        let source = &sources[rng.below(sources.len())];
        let full = n % FULL_MODEL_EVERY == FULL_MODEL_EVERY - 1;
        let mut doc = if full {
            source.doc.clone()
        } else {
            trim(&source.doc, &mut rng)
        };
        let mut asks = Asks::default();
        let changes: Vec<String> = (0..1 + rng.below(3))
            .map(|_| mutate(&mut doc, &mut asks, &mut rng))
            .collect();
        let mut text = serde_json::to_string_pretty(&doc).expect("a Value serializes");
        if let Some(at) = asks.cut {
            let mut at = at % text.len().max(1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.truncate(at);
        }
        let opts = codegen::Options {
            protocol_tests: rng.one_in(4) || source.protocol_tests || asks.protocol_tests,
            operations: rng
                .one_in(20)
                .then(|| vec![WEIRD_NAMES[rng.below(WEIRD_NAMES.len())].to_owned()]),
            ..Default::default()
        };
        if only.is_some_and(|o| o != n) {
            continue;
        }
        let what = format!(
            "mutant {n} of {}{}: {}",
            source.name,
            if full { " (whole model)" } else { "" },
            changes.join("; ")
        );
        if verbose {
            eprintln!("{what}");
        }
        if let (Some(_), Some(path)) = (only, std::env::var_os("HOSTILE_DUMP")) {
            std::fs::write(&path, &text).expect("writing HOSTILE_DUMP");
        }
        let t = Instant::now();
        match run(text, opts) {
            Outcome::Panic(message) => failures.push(format!("{what}: PANIC: {message}")),
            Outcome::Generated => generated += 1,
            Outcome::Rejected(line) => {
                match unclean(&line) {
                    Some(why) => failures.push(format!("{what}: error {why}: {line:?}")),
                    None => rejected += 1,
                }
                if verbose {
                    eprintln!("  -> {line}");
                }
            }
            Outcome::Hung => panic!(
                "{what}: no result after {} s (the generator hangs or exhausts memory on this model); failures so far: {failures:#?}",
                BUDGET.as_secs()
            ),
        }
        if verbose {
            eprintln!("  ({:?})", t.elapsed());
        }
    }
    let panics = failures.iter().filter(|f| f.contains(": PANIC: ")).count();
    let total = if only.is_some() { 1 } else { MUTANTS };
    eprintln!(
        "hostile models: {total} mutants, {panics} panics, {generated} generated, {rejected} rejected with one line ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} mutants failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The unmutated models all generate, whole: the generator rejects what is wrong, not what is
/// merely unusual.
#[test]
fn unmutated_sources_generate() {
    for source in sources() {
        let text = serde_json::to_string(&source.doc).expect("a Value serializes");
        let opts = codegen::Options {
            protocol_tests: source.protocol_tests,
            ..Default::default()
        };
        if let Err(e) = codegen::generate_with_service_context(&text, &opts) {
            panic!("{}: {e}", source.name);
        }
    }
}
