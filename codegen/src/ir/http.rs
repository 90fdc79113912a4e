//! HTTP bindings, protocol-neutral: `@http` on operations (method, URI template, status code)
//! and the location of each member in a request or response (`@httpLabel`, `@httpQuery`,
//! `@httpHeader`, ...), decided at generation time.
//!
//! The URI template is split into literal text and labels resolved to the input's `@httpLabel`
//! members, its query literals (`?a=b&c`) apart, so a protocol only fills in (and
//! percent-encodes) label values. Literal text is kept exactly as the model writes it (a
//! percent-encoded literal stays encoded). Every label names an `@httpLabel` member of the input
//! and every such member appears once; a greedy label (`{Key+}`) is the last label; labels
//! target strings, numbers, booleans, timestamps or enums (greedy ones strings). A binding that
//! does not check is an error naming the operation and the member.
//!
//! RPC protocols (awsQuery, awsJson) do not use `@http`: their protocol supplies its binding
//! (`POST /`); [`Operation::http`](super::Operation::http) is `None` for their operations.

use super::{BTreeMap, Error, Member, Operation, Shape, ShapeId, ShapeKind, Traits, Value};

/// `@http`: how an operation is sent over HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpBinding {
    /// `GET`, `PUT`, ... as the model writes it.
    pub method: String,
    /// The path, split, its labels resolved.
    pub uri: UriTemplate,
    /// The literal query parameters of the URI (`?x-id=GetObject&uploads`), in order: a key
    /// and its value (`None` for a key without `=`). Kept as written (not decoded).
    pub query_literals: Vec<(String, Option<String>)>,
    /// The status code of a successful response (200 unless the model says otherwise).
    pub code: u16,
}

/// The path of a URI template (`/{Bucket}/{Key+}`), split into literal text and labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriTemplate {
    /// The whole template as the model wrote it, query included (for docs and messages).
    pub template: String,
    /// Literal text (slashes included) and labels, in order; never empty (the path starts with
    /// `/`).
    pub segments: Vec<UriSegment>,
}

/// A piece of a URI path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UriSegment {
    /// Text copied as it is (`/`, `/vaults/`, ...).
    Literal(String),
    /// `{Name}` or `{Name+}`: the value of an input member.
    Label(UriLabel),
}

/// The input member a `{Name}` label refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriLabel {
    /// `Name`, the member's wire name.
    pub wire_name: String,
    /// Its Rust field.
    pub rust_name: String,
    /// `{Name+}`: the value may hold `/`, which is not percent-encoded.
    pub greedy: bool,
}

impl UriTemplate {
    /// The labels, in order.
    pub fn labels(&self) -> impl Iterator<Item = &UriLabel> {
        self.segments.iter().filter_map(|s| match s {
            UriSegment::Label(l) => Some(l),
            UriSegment::Literal(_) => None,
        })
    }
}

/// Where a member's value goes in an HTTP request or response. Meaningful for the members of
/// an operation's input, output and error structures; read for every member as its traits say.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Location {
    /// In the body, as the protocol's body format writes it (the default).
    #[default]
    Body,
    /// `@httpLabel`: a label of the URI path.
    Label,
    /// `@httpQuery("name")`: a query parameter of that name.
    Query(String),
    /// `@httpQueryParams`: a map whose entries are query parameters.
    QueryParams,
    /// `@httpHeader("Name")`: a header of that name.
    Header(String),
    /// `@httpPrefixHeaders("prefix")`: a map whose entries are headers, named the prefix then
    /// the key.
    PrefixHeaders(String),
    /// `@httpPayload`: the whole body.
    Payload,
    /// `@httpResponseCode`: the response's status code.
    ResponseCode,
}

/// The traits that give a member its [`Location`].
const LOCATION_TRAITS: &[&str] = &[
    "smithy.api#httpLabel",
    "smithy.api#httpQuery",
    "smithy.api#httpQueryParams",
    "smithy.api#httpHeader",
    "smithy.api#httpPrefixHeaders",
    "smithy.api#httpPayload",
    "smithy.api#httpResponseCode",
];

/// The location member `member_id`'s traits give it. Two location traits on one member, and a
/// name that is not a string (or an empty query or header name), are errors naming the member.
pub(super) fn location(member_id: &str, traits: &Traits) -> Result<Location, Error> {
    let bad = |message: String| Error::Model {
        shape: member_id.to_owned(),
        message,
    };
    let present: Vec<&str> = LOCATION_TRAITS
        .iter()
        .copied()
        .filter(|t| traits.contains_key(*t))
        .collect();
    let Some(&which) = present.first() else {
        return Ok(Location::Body);
    };
    if present.len() > 1 {
        return Err(bad(format!(
            "has more than one HTTP location trait ({})",
            present.join(", ")
        )));
    }
    let name = |allow_empty: bool| -> Result<String, Error> {
        match traits.get(which) {
            Some(Value::String(s)) if allow_empty || !s.is_empty() => Ok(s.clone()),
            other => Err(bad(format!(
                "@{} needs a {}string, found {}",
                which.trim_start_matches("smithy.api#"),
                if allow_empty { "" } else { "non-empty " },
                other.map_or_else(|| "nothing".to_owned(), Value::to_string)
            ))),
        }
    };
    Ok(match which {
        "smithy.api#httpLabel" => Location::Label,
        "smithy.api#httpQuery" => Location::Query(name(false)?),
        "smithy.api#httpQueryParams" => Location::QueryParams,
        "smithy.api#httpHeader" => Location::Header(name(false)?),
        // `@httpPrefixHeaders("")` binds every header not bound otherwise.
        "smithy.api#httpPrefixHeaders" => Location::PrefixHeaders(name(true)?),
        "smithy.api#httpPayload" => Location::Payload,
        _ => Location::ResponseCode,
    })
}

/// A piece of a URI path before its labels are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawUriSegment<'a> {
    /// Text copied as it is.
    Literal(&'a str),
    /// `{name}` (`greedy`: `{name+}`).
    Label {
        /// The label's name.
        name: &'a str,
        /// Written `{name+}`.
        greedy: bool,
    },
}

/// A URI template split, before its labels are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawUri<'a> {
    /// The path's literal text and labels.
    pub path: Vec<RawUriSegment<'a>>,
    /// The query literals after `?`.
    pub query: Vec<(&'a str, Option<&'a str>)>,
}

/// Splits a URI template: the path must start with `/`; each label is a whole path segment
/// (`/{Name}/`, `/{Key+}`) named like a member, used once; a greedy label is the last label;
/// no segment is empty (`//`). After `?` come literals: `&`-separated `key` or `key=value`, no
/// key empty or used twice, no labels. Percent-encoded text is left as is.
pub fn split_uri(uri: &str) -> Result<RawUri<'_>, String> {
    let (path, query) = match uri.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (uri, None),
    };
    if !path.starts_with('/') {
        return Err(format!("the URI `{uri}` does not start with `/`"));
    }
    if path.contains("//") {
        return Err(format!("the URI `{uri}` has an empty path segment (`//`)"));
    }
    let mut out: Vec<RawUriSegment<'_>> = Vec::new();
    let mut literal_start = 0;
    let mut pos = 0;
    let mut names: Vec<&str> = Vec::new();
    // Path segments, each with its offset in `path` (the leading `/` skipped).
    for segment in path[1..].split('/') {
        let start = pos + 1;
        pos = start + segment.len();
        if !segment.contains(['{', '}']) {
            continue;
        }
        let label = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|s| !s.contains(['{', '}']))
            .ok_or_else(|| {
                format!(
                    "the URI `{uri}` has the segment `{segment}`: a label must be a whole path \
                     segment (`{{Name}}`)"
                )
            })?;
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!(
                "the URI `{uri}` has the label `{{{label}}}`, which is not a member name"
            ));
        }
        if names.contains(&name) {
            return Err(format!("the URI `{uri}` uses the label `{name}` twice"));
        }
        if let Some(RawUriSegment::Label {
            name: prev,
            greedy: true,
        }) = out.last()
        {
            return Err(format!(
                "the URI `{uri}` has the greedy label `{{{prev}+}}` before the label `{name}`: \
                 a greedy label must be the last"
            ));
        }
        names.push(name);
        out.push(RawUriSegment::Literal(&path[literal_start..start]));
        out.push(RawUriSegment::Label { name, greedy });
        literal_start = pos;
    }
    if literal_start < path.len() {
        out.push(RawUriSegment::Literal(&path[literal_start..]));
    }
    let mut query_out: Vec<(&str, Option<&str>)> = Vec::new();
    for part in query.into_iter().flat_map(|q| q.split('&')) {
        if part.contains(['{', '}']) {
            return Err(format!(
                "the URI `{uri}` has a label in its query (`{part}`); labels belong in the path"
            ));
        }
        let (key, value) = match part.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (part, None),
        };
        if key.is_empty() {
            return Err(format!("the URI `{uri}` has a query literal without a key"));
        }
        if query_out.iter().any(|(k, _)| *k == key) {
            return Err(format!(
                "the URI `{uri}` has the query literal `{key}` twice"
            ));
        }
        query_out.push((key, value));
    }
    Ok(RawUri {
        path: out,
        query: query_out,
    })
}

/// The operation's `@http` binding (`None` without the trait), its labels resolved against the
/// input's members and checked.
pub(super) fn resolve(
    op: &Operation,
    traits: &Traits,
    shapes: &BTreeMap<ShapeId, Shape>,
) -> Result<Option<HttpBinding>, Error> {
    let Some(http) = traits.get("smithy.api#http") else {
        return Ok(None);
    };
    let bad = |message: String| Error::Model {
        shape: op.id.clone(),
        message,
    };
    let method = match http.get("method") {
        Some(Value::String(m)) if !m.is_empty() && m.bytes().all(|b| b.is_ascii_alphabetic()) => {
            m.clone()
        }
        other => {
            return Err(bad(format!(
                "@http method must be a method name such as \"GET\", found {}",
                other.map_or_else(|| "nothing".to_owned(), Value::to_string)
            )));
        }
    };
    let uri = match http.get("uri") {
        Some(Value::String(u)) => u,
        other => {
            return Err(bad(format!(
                "@http uri must be a string, found {}",
                other.map_or_else(|| "nothing".to_owned(), Value::to_string)
            )));
        }
    };
    let code = match http.get("code") {
        None => 200,
        Some(v) => v
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| (100..=599).contains(n))
            .ok_or_else(|| {
                bad(format!(
                    "@http code must be an HTTP status (100 to 599), found {v}"
                ))
            })?,
    };
    let raw = split_uri(uri).map_err(|e| bad(format!("@http: {e}")))?;
    let members: &[Member] = match shapes.get(&op.input).map(|s| &s.kind) {
        Some(ShapeKind::Structure(st)) => &st.members,
        _ => {
            return Err(bad(format!(
                "@http: the input {} is not a structure",
                op.input
            )));
        }
    };
    let mut segments = Vec::new();
    for seg in raw.path {
        segments.push(match seg {
            RawUriSegment::Literal(text) => UriSegment::Literal(text.to_owned()),
            RawUriSegment::Label { name, greedy } => {
                UriSegment::Label(label(op, uri, name, greedy, members, shapes)?)
            }
        });
    }
    let template = UriTemplate {
        template: uri.clone(),
        segments,
    };
    for m in members.iter().filter(|m| m.location == Location::Label) {
        if !template.labels().any(|l| l.wire_name == m.wire_name) {
            return Err(bad(format!(
                "the input member `{}` is an @httpLabel, but the URI `{uri}` has no label `{{{}}}`",
                m.wire_name, m.wire_name
            )));
        }
    }
    Ok(Some(HttpBinding {
        method,
        uri: template,
        query_literals: raw
            .query
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.map(str::to_owned)))
            .collect(),
        code,
    }))
}

/// Label `name` of `uri`, resolved to its `@httpLabel` input member and checked.
fn label(
    op: &Operation,
    uri: &str,
    name: &str,
    greedy: bool,
    members: &[Member],
    shapes: &BTreeMap<ShapeId, Shape>,
) -> Result<UriLabel, Error> {
    let bad = |message: String| Error::Model {
        shape: op.id.clone(),
        message,
    };
    let Some(m) = members.iter().find(|m| m.wire_name == name) else {
        return Err(bad(format!(
            "the URI `{uri}` has the label `{{{name}}}`, which is not a member of the input {}",
            op.input
        )));
    };
    if m.location != Location::Label {
        return Err(bad(format!(
            "the URI `{uri}` has the label `{{{name}}}`, but the input member `{name}` is not an \
             @httpLabel"
        )));
    }
    let kind = shapes.get(&m.target).map(|s| &s.kind);
    let fits = match kind {
        Some(ShapeKind::String | ShapeKind::Enum(_)) => true,
        Some(
            ShapeKind::IntEnum(_)
            | ShapeKind::Boolean
            | ShapeKind::Timestamp
            | super::number_kind!(),
        ) => !greedy,
        _ => false,
    };
    if !fits {
        return Err(bad(format!(
            "the label `{{{name}}}` targets `{}`: {}",
            m.target,
            if greedy {
                "a greedy label must target a string (or string enum)"
            } else {
                "a label must target a string, number, boolean, timestamp or enum"
            }
        )));
    }
    Ok(UriLabel {
        wire_name: m.wire_name.clone(),
        rust_name: m.rust_name.clone(),
        greedy,
    })
}

/// The member locations of each structure, checked together: at most one `@httpPayload`
/// member, and none bound to the body beside it; `@httpResponseCode` on an integer. An error
/// names the member.
pub(super) fn check_structures(shapes: &BTreeMap<ShapeId, Shape>) -> Result<(), Error> {
    for shape in shapes.values() {
        let ShapeKind::Structure(st) = &shape.kind else {
            continue;
        };
        let bad = |m: &Member, message: String| Error::Model {
            shape: format!("{}${}", shape.id, m.wire_name),
            message,
        };
        let mut payload: Option<&Member> = None;
        for m in &st.members {
            match &m.location {
                Location::Payload => {
                    if let Some(first) = payload {
                        return Err(bad(
                            m,
                            format!(
                                "is an @httpPayload, and so is `{}`: a structure has at most one",
                                first.wire_name
                            ),
                        ));
                    }
                    payload = Some(m);
                }
                Location::ResponseCode
                    if !matches!(
                        shapes.get(&m.target).map(|s| &s.kind),
                        Some(ShapeKind::Integer)
                    ) =>
                {
                    return Err(bad(
                        m,
                        format!(
                            "is an @httpResponseCode but targets `{}`, not an integer",
                            m.target
                        ),
                    ));
                }
                _ => {}
            }
        }
        if let Some(p) = payload
            && let Some(body) = st.members.iter().find(|m| m.location == Location::Body)
        {
            return Err(bad(
                body,
                format!(
                    "is bound to the body, but `{}` is the @httpPayload (the whole body); give it \
                     an HTTP location or drop the payload",
                    p.wire_name
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> RawUriSegment<'_> {
        RawUriSegment::Literal(s)
    }

    fn label(name: &str, greedy: bool) -> RawUriSegment<'_> {
        RawUriSegment::Label { name, greedy }
    }

    #[test]
    fn root_and_literal_paths() {
        let raw = split_uri("/").unwrap();
        assert_eq!(raw.path, [lit("/")]);
        assert!(raw.query.is_empty());
        let raw = split_uri("/2015-03-31/functions/").unwrap();
        assert_eq!(raw.path, [lit("/2015-03-31/functions/")]);
    }

    #[test]
    fn labels_split_the_path_and_keep_the_slashes_in_literals() {
        let raw = split_uri("/{accountId}/vaults/{vaultName}").unwrap();
        assert_eq!(
            raw.path,
            [
                lit("/"),
                label("accountId", false),
                lit("/vaults/"),
                label("vaultName", false)
            ]
        );
        let raw = split_uri("/a/{B}/").unwrap();
        assert_eq!(raw.path, [lit("/a/"), label("B", false), lit("/")]);
    }

    #[test]
    fn a_greedy_label_is_the_last_one() {
        let raw = split_uri("/{Bucket}/{Key+}").unwrap();
        assert_eq!(
            raw.path,
            [
                lit("/"),
                label("Bucket", false),
                lit("/"),
                label("Key", true)
            ]
        );
        // Literal text may follow the greedy label; another label may not.
        let raw = split_uri("/{Key+}/tail").unwrap();
        assert_eq!(raw.path, [lit("/"), label("Key", true), lit("/tail")]);
        let e = split_uri("/{Key+}/{Other}").unwrap_err();
        assert!(
            e.contains("greedy label `{Key+}` before the label `Other`"),
            "{e}"
        );
        let e = split_uri("/{A+}/x/{B+}").unwrap_err();
        assert!(e.contains("must be the last"), "{e}");
    }

    #[test]
    fn query_literals_are_split_out_in_order() {
        let raw = split_uri("/{Bucket}?x-id=GetObject&uploads&a=").unwrap();
        assert_eq!(raw.path, [lit("/"), label("Bucket", false)]);
        assert_eq!(
            raw.query,
            [
                ("x-id", Some("GetObject")),
                ("uploads", None),
                ("a", Some(""))
            ]
        );
        let raw = split_uri("/?tagging").unwrap();
        assert_eq!(raw.path, [lit("/")]);
        assert_eq!(raw.query, [("tagging", None)]);
        // A value may hold `=`: only the first splits.
        let raw = split_uri("/x?k=a=b").unwrap();
        assert_eq!(raw.query, [("k", Some("a=b"))]);
    }

    #[test]
    fn percent_encoded_literals_are_left_as_they_are() {
        let raw = split_uri("/a%2Fb/{Id}/c%20d?q%3D=v%26w").unwrap();
        assert_eq!(
            raw.path,
            [lit("/a%2Fb/"), label("Id", false), lit("/c%20d")]
        );
        assert_eq!(raw.query, [("q%3D", Some("v%26w"))]);
    }

    #[test]
    fn malformed_templates_are_errors() {
        for (uri, want) in [
            ("", "does not start with `/`"),
            ("foo/{A}", "does not start with `/`"),
            ("/a//b", "empty path segment"),
            ("/a{B}", "a label must be a whole path segment"),
            ("/{A}b", "a label must be a whole path segment"),
            ("/{A", "a label must be a whole path segment"),
            ("/A}", "a label must be a whole path segment"),
            ("/{{A}}", "a label must be a whole path segment"),
            ("/{}", "is not a member name"),
            ("/{+}", "is not a member name"),
            ("/{a-b}", "is not a member name"),
            ("/{A}/{A}", "uses the label `A` twice"),
            ("/x?{A}", "label in its query"),
            ("/x?a&&b", "without a key"),
            ("/x?=v", "without a key"),
            ("/x?a=1&a=2", "the query literal `a` twice"),
        ] {
            let e = split_uri(uri).unwrap_err();
            assert!(e.contains(want), "{uri}: {e}");
        }
    }

    fn traits(json: &str) -> Traits {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn locations_come_from_the_member_traits() {
        let cases = [
            ("{}", Location::Body),
            (r#"{"smithy.api#httpLabel": {}}"#, Location::Label),
            (
                r#"{"smithy.api#httpQuery": "max-items"}"#,
                Location::Query("max-items".into()),
            ),
            (
                r#"{"smithy.api#httpQueryParams": {}}"#,
                Location::QueryParams,
            ),
            (
                r#"{"smithy.api#httpHeader": "x-amz-meta"}"#,
                Location::Header("x-amz-meta".into()),
            ),
            (
                r#"{"smithy.api#httpPrefixHeaders": "x-amz-meta-"}"#,
                Location::PrefixHeaders("x-amz-meta-".into()),
            ),
            (
                r#"{"smithy.api#httpPrefixHeaders": ""}"#,
                Location::PrefixHeaders(String::new()),
            ),
            (r#"{"smithy.api#httpPayload": {}}"#, Location::Payload),
            (
                r#"{"smithy.api#httpResponseCode": {}}"#,
                Location::ResponseCode,
            ),
        ];
        for (json, want) in cases {
            assert_eq!(location("ns#S$m", &traits(json)).unwrap(), want, "{json}");
        }
    }

    #[test]
    fn bad_location_traits_name_the_member() {
        for (json, want) in [
            (
                r#"{"smithy.api#httpHeader": "A", "smithy.api#httpQuery": "a"}"#,
                "more than one HTTP location trait",
            ),
            (
                r#"{"smithy.api#httpHeader": ""}"#,
                "@httpHeader needs a non-empty string",
            ),
            (
                r#"{"smithy.api#httpQuery": 3}"#,
                "@httpQuery needs a non-empty string, found 3",
            ),
            (
                r#"{"smithy.api#httpPrefixHeaders": {}}"#,
                "@httpPrefixHeaders needs a string",
            ),
        ] {
            let e = location("ns#S$m", &traits(json)).unwrap_err().to_string();
            assert!(e.starts_with("ns#S$m: "), "{e}");
            assert!(e.contains(want), "{json}: {e}");
        }
    }
}
