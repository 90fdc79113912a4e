//! The typed protocol test cases the emitter walks: every field read, checked and resolved
//! against the IR's shapes, every Rust name decided. Nothing here is raw JSON.

use crate::ir::ShapeId;

/// Every group of cases, in emission order (the model's own first).
#[derive(Debug, Clone, Default)]
pub struct Suite {
    pub groups: Vec<Group>,
}

/// A group of cases emitted as one module.
#[derive(Debug, Clone)]
pub struct Group {
    /// The module name (`smithy`, `botocore`, ...), a plain lowercase identifier.
    pub module: String,
    pub cases: Vec<Case>,
}

/// What a case checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Request,
    Response,
    Error,
}

impl Kind {
    /// The word naming the kind in test names, docs and errors.
    pub fn suffix(self) -> &'static str {
        match self {
            Kind::Request => "request",
            Kind::Response => "response",
            Kind::Error => "error",
        }
    }
}

/// One case, whatever its source.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case id as written.
    pub id: String,
    pub kind: Kind,
    /// The test function's name, unique in its group.
    pub fn_name: String,
    pub operation: OperationRef,
    pub documentation: Option<String>,
    pub run: Run,
}

/// The names of the operation a case runs against.
#[derive(Debug, Clone)]
pub struct OperationRef {
    /// The awsQuery `Action` (`SetIdentityMailFromDomain`).
    pub wire_name: String,
    /// Its module under `crate::operation` (`set_identity_mail_from_domain`).
    pub module: String,
    /// Its error enum (`SetIdentityMailFromDomainError`).
    pub error_enum: String,
}

/// What the generated test does.
#[derive(Debug, Clone)]
pub enum Run {
    /// The case cannot apply to this client; the test is ignored with this reason.
    Ignored { reason: String },
    /// Build `input`, prepare the request against `endpoint` and check it.
    Request {
        endpoint: String,
        input: TestValue,
        expected: ExpectedRequest,
    },
    /// Parse `response` and compare the output with `expected`.
    Response {
        response: Response,
        expected: TestValue,
    },
    /// Parse `response` and check the error.
    Error {
        response: Response,
        expected: ExpectedError,
    },
}

#[derive(Debug, Clone, Default)]
pub struct ExpectedRequest {
    pub method: String,
    pub uri: String,
    pub resolved_host: Option<String>,
    pub headers: Vec<(String, String)>,
    pub require_headers: Vec<String>,
    pub forbid_headers: Vec<String>,
    pub query_params: Vec<String>,
    pub require_query_params: Vec<String>,
    pub forbid_query_params: Vec<String>,
    pub body: Option<String>,
    pub body_media_type: Option<String>,
}

/// An HTTP response fed to the parser.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct ExpectedError {
    /// The modeled error, or `None` for an error the operation does not model (`Unhandled`).
    pub modeled: Option<ModeledError>,
    /// The expected error code (the case's own, else the modeled error's).
    pub code: Option<String>,
    pub message: Option<String>,
    pub error_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ModeledError {
    /// The variant of the operation's error enum (the error shape's Rust name).
    pub variant: String,
    /// The expected members (a structure of the error shape).
    pub members: TestValue,
}

/// A value of a case (`params`, an expected output or error), resolved against the shape it
/// fills. At most [`super::MAX_TEST_VALUE_NESTING`] levels deep.
#[derive(Debug, Clone, PartialEq)]
pub enum TestValue {
    /// A structure (or `null` for one: no fields) with the members that are set, in the order
    /// written.
    Struct {
        shape: ShapeId,
        fields: Vec<Field>,
    },
    /// A union with its one member set.
    Union {
        shape: ShapeId,
        /// The enum variant of the member.
        variant: String,
        boxed: bool,
        value: Box<TestValue>,
    },
    List(Vec<TestValue>),
    /// A document, as JSON text.
    Document(String),
    /// An entry of a sparse list or map: a value, or `null`.
    Entry(Option<Box<TestValue>>),
    /// Entries in the order written; keys are `String` or `Enum` values.
    Map(Vec<(TestValue, TestValue)>),
    String(String),
    Enum {
        shape: ShapeId,
        value: String,
    },
    IntEnum {
        shape: ShapeId,
        value: i32,
    },
    Boolean(bool),
    Byte(i8),
    Short(i16),
    Integer(i32),
    Long(i64),
    Float(Float<f32>),
    Double(Float<f64>),
    /// Seconds and nanoseconds since the epoch, exact to the digits written.
    Timestamp {
        secs: i64,
        nanos: u32,
    },
    /// The bytes, as the UTF-8 string they were written as.
    Blob(String),
}

/// A member of a structure value.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name (possibly raw, `r#type`).
    pub rust_name: String,
    /// Whether the field holds a `Box`.
    pub boxed: bool,
    pub value: TestValue,
}

/// A `float` or `double` value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Float<T> {
    Finite(T),
    NaN,
    Infinity,
    NegInfinity,
}
