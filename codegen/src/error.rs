//! The generator's one error type.

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
