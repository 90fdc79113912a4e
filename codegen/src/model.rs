//! Serde types for the Smithy 2.0 JSON AST, exactly as read from a model file.
//!
//! Nothing here interprets the model; `ir` resolves references and decides names. Member order is
//! kept as written (it is the wire order of awsQuery request bodies); shapes are kept sorted by id
//! so everything downstream iterates deterministically.
//!
//! The one rewrite done here is Smithy's own: mixins are applied as the document is read
//! ([`mixins`]), so every later step sees each shape with the members and traits Smithy gives
//! it (mixin members first, in the mixin's order).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;

pub mod mixins;

/// Traits by absolute shape id (`smithy.api#required`), in file order.
pub type Traits = serde_json::Map<String, Value>;

#[derive(Debug, Deserialize)]
pub struct Model {
    pub smithy: String,
    #[serde(default)]
    pub shapes: BTreeMap<String, Shape>,
}

#[derive(Debug, Deserialize)]
pub struct Target {
    pub target: String,
}

#[derive(Debug, Deserialize)]
pub struct Member {
    pub target: String,
    #[serde(default)]
    pub traits: Traits,
}

/// Members in declaration order.
pub type Members = Vec<(String, Member)>;

fn members<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Members, D::Error> {
    let map = serde_json::Map::<String, Value>::deserialize(d)?;
    map.into_iter()
        .map(|(name, v)| {
            let member = Member::deserialize(v)
                .map_err(|e| serde::de::Error::custom(format!("member `{name}`: {e}")))?;
            Ok((name, member))
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Shape {
    Structure {
        #[serde(default, deserialize_with = "members")]
        members: Members,
        #[serde(default)]
        traits: Traits,
    },
    Union {
        #[serde(default, deserialize_with = "members")]
        members: Members,
        #[serde(default)]
        traits: Traits,
    },
    List {
        member: Member,
        #[serde(default)]
        traits: Traits,
    },
    Set {
        member: Member,
        #[serde(default)]
        traits: Traits,
    },
    Map {
        key: Member,
        value: Member,
        #[serde(default)]
        traits: Traits,
    },
    Enum {
        #[serde(default, deserialize_with = "members")]
        members: Members,
        #[serde(default)]
        traits: Traits,
    },
    IntEnum {
        #[serde(default, deserialize_with = "members")]
        members: Members,
        #[serde(default)]
        traits: Traits,
    },
    String {
        #[serde(default)]
        traits: Traits,
    },
    Blob {
        #[serde(default)]
        traits: Traits,
    },
    Boolean {
        #[serde(default)]
        traits: Traits,
    },
    Byte {
        #[serde(default)]
        traits: Traits,
    },
    Short {
        #[serde(default)]
        traits: Traits,
    },
    Integer {
        #[serde(default)]
        traits: Traits,
    },
    Long {
        #[serde(default)]
        traits: Traits,
    },
    Float {
        #[serde(default)]
        traits: Traits,
    },
    Double {
        #[serde(default)]
        traits: Traits,
    },
    BigInteger {
        #[serde(default)]
        traits: Traits,
    },
    BigDecimal {
        #[serde(default)]
        traits: Traits,
    },
    Timestamp {
        #[serde(default)]
        traits: Traits,
    },
    Document {
        #[serde(default)]
        traits: Traits,
    },
    Operation {
        input: Option<Target>,
        output: Option<Target>,
        #[serde(default)]
        errors: Vec<Target>,
        #[serde(default)]
        traits: Traits,
    },
    Service {
        #[serde(default)]
        version: String,
        #[serde(default)]
        operations: Vec<Target>,
        #[serde(default)]
        resources: Vec<Target>,
        #[serde(default)]
        errors: Vec<Target>,
        #[serde(default)]
        traits: Traits,
    },
    /// A Smithy resource: the operations it binds (lifecycle, instance and collection
    /// operations) and its child resources. Identifiers and properties are not read.
    Resource {
        create: Option<Target>,
        put: Option<Target>,
        read: Option<Target>,
        update: Option<Target>,
        delete: Option<Target>,
        list: Option<Target>,
        #[serde(default)]
        operations: Vec<Target>,
        #[serde(default, rename = "collectionOperations")]
        collection_operations: Vec<Target>,
        #[serde(default)]
        resources: Vec<Target>,
        #[serde(default)]
        traits: Traits,
    },
}

impl Shape {
    /// Whether the shape is a mixin (`@mixin`): its members and traits are copied into the
    /// shapes that use it, and it is never a type of its own.
    pub fn is_mixin(&self) -> bool {
        self.traits()
            .is_some_and(|t| t.contains_key(mixins::MIXIN_TRAIT))
    }

    /// The shape's traits (every kind has them).
    pub fn traits(&self) -> Option<&Traits> {
        match self {
            Shape::Structure { traits, .. }
            | Shape::Union { traits, .. }
            | Shape::List { traits, .. }
            | Shape::Set { traits, .. }
            | Shape::Map { traits, .. }
            | Shape::Enum { traits, .. }
            | Shape::IntEnum { traits, .. }
            | Shape::String { traits }
            | Shape::Blob { traits }
            | Shape::Boolean { traits }
            | Shape::Byte { traits }
            | Shape::Short { traits }
            | Shape::Integer { traits }
            | Shape::Long { traits }
            | Shape::Float { traits }
            | Shape::Double { traits }
            | Shape::BigInteger { traits }
            | Shape::BigDecimal { traits }
            | Shape::Timestamp { traits }
            | Shape::Document { traits }
            | Shape::Operation { traits, .. }
            | Shape::Service { traits, .. }
            | Shape::Resource { traits, .. } => Some(traits),
        }
    }
}

/// The document before its shapes are read, so that a bad shape can be named.
#[derive(Deserialize)]
struct RawModel {
    smithy: String,
    #[serde(default)]
    shapes: serde_json::Map<String, Value>,
}

/// Parses a Smithy JSON AST document. A syntax error names the shape it is in (when it is in
/// one), a shape that is not a valid Smithy shape is named with what is wrong with it.
pub fn parse(json: &str) -> Result<Model, Error> {
    let raw: RawModel = serde_json::from_str(json).map_err(|e| {
        let place = match shape_at(json, e.line(), e.column()) {
            Some(shape) => format!(" (in shape `{shape}`)"),
            None => String::new(),
        };
        Error::Parse(format!("{e}{place}"))
    })?;
    let mut raw_shapes = raw.shapes;
    mixins::apply(&mut raw_shapes)?;
    let mut shapes = BTreeMap::new();
    for (id, value) in raw_shapes {
        let shape = Shape::deserialize(value).map_err(|e| Error::Model {
            shape: id.clone(),
            message: format!("not a valid Smithy shape: {e}"),
        })?;
        shapes.insert(id, shape);
    }
    let model = Model {
        smithy: raw.smithy,
        shapes,
    };
    if !model.smithy.starts_with('2') && !model.smithy.starts_with('1') {
        return Err(Error::Parse(format!(
            "unsupported Smithy IDL version `{}` (expected 1.0 or 2.0)",
            model.smithy
        )));
    }
    Ok(model)
}

/// The shapes every Smithy model may target without declaring them.
pub fn prelude_shape(id: &str) -> Option<Shape> {
    let traits = Traits::new();
    let name = id.strip_prefix("smithy.api#")?;
    Some(match name {
        "String" => Shape::String { traits },
        "Blob" => Shape::Blob { traits },
        "Boolean" | "PrimitiveBoolean" => Shape::Boolean { traits },
        "Byte" | "PrimitiveByte" => Shape::Byte { traits },
        "Short" | "PrimitiveShort" => Shape::Short { traits },
        "Integer" | "PrimitiveInteger" => Shape::Integer { traits },
        "Long" | "PrimitiveLong" => Shape::Long { traits },
        "Float" | "PrimitiveFloat" => Shape::Float { traits },
        "Double" | "PrimitiveDouble" => Shape::Double { traits },
        "BigInteger" => Shape::BigInteger { traits },
        "BigDecimal" => Shape::BigDecimal { traits },
        "Timestamp" => Shape::Timestamp { traits },
        "Document" => Shape::Document { traits },
        "Unit" => Shape::Structure {
            members: Vec::new(),
            traits,
        },
        _ => return None,
    })
}

/// The key of the `shapes` entry that (1-based) `line`/`column` of `json` lies in, found by
/// walking the JSON up to that point: for naming the shape at a syntax error.
fn shape_at(json: &str, line: usize, column: usize) -> Option<String> {
    let line_start: usize = json
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let end = json.len().min(line_start + column);
    // One entry per open container: for objects, the key whose value is being read.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut pending_key: Option<String> = None;
    let mut chars = json.get(..end)?.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '"' => {
                let mut text = String::new();
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, escaped)) = chars.next() {
                                text.push(escaped);
                            }
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        _ => text.push(c),
                    }
                }
                // A string directly followed by `:` is a key.
                while let Some((_, c)) = chars.peek() {
                    if c.is_whitespace() {
                        chars.next();
                    } else {
                        break;
                    }
                }
                if closed && matches!(chars.peek(), Some((_, ':'))) {
                    pending_key = Some(text);
                }
            }
            '{' | '[' => stack.push(pending_key.take()),
            '}' | ']' => {
                stack.pop();
                pending_key = None;
            }
            ',' => pending_key = None,
            _ => {}
        }
    }
    // `{ "shapes": { "<id>": {` : the shape is the key of the third level, or the pending key
    // at the second.
    match stack.as_slice() {
        [_, Some(shapes), Some(id), ..] if shapes == "shapes" => Some(id.clone()),
        [_, Some(shapes)] if shapes == "shapes" => pending_key,
        _ => None,
    }
}
