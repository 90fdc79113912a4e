//! Mocked responses for testing code that uses a generated client, offline, in the shape of
//! aws-smithy-mocks (feature `test-util`): [`mock!`](crate::mock) makes a rule for one
//! operation, [`mock_client!`](crate::mock_client) a client that answers with the rules.
//!
//! A rule matches a call by its typed input (`match_requests`) and answers each attempt with the
//! next response of its sequence: a modeled output (`then_output`), a modeled or unhandled
//! error (`then_error`), or a raw HTTP response (`then_http_response`, parsed as the service's
//! would be). Errors go through the client's retry rules, so a throttling error then an output
//! tests a retry; a waiter or paginator polls the same rules. No request is sent: a client from
//! `mock_client!` points at an endpoint nothing listens on, and no socket is opened.
//!
//! Rule modes, as in aws-smithy-mocks: [`RuleMode::Sequential`](crate::test_util::RuleMode::Sequential) (the default) takes the rules
//! in order, each call using the first rule that is not used up (a rule made with `then_…` is
//! used by one call, a `sequence()` by as many responses as it has) and failing when that rule
//! does not match; [`RuleMode::MatchAny`](crate::test_util::RuleMode::MatchAny) uses the first rule that matches and is not used up.
//! A call no rule answers fails with `SdkError::ConstructionFailure` naming the operation
//! (aws-smithy-mocks panics there).

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;

use super::error::{BuildError, HttpResponse, ProvideErrorMetadata, SdkError};

/// How a client's rules are chosen for each call. See the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleMode {
    /// In order: each call takes the first rule that is not used up, which must match.
    #[default]
    Sequential,
    /// The first rule that matches the call and is not used up.
    MatchAny,
}

/// One response of a rule, typed (as `then_compute_response` returns it).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // as aws-smithy-mocks' type: built once per response
pub enum MockResponse<O, E> {
    /// The operation's output.
    Output(O),
    /// The operation's error (a modeled one, or `E::generic(meta)` for any code).
    Error(E),
    /// A raw HTTP response, parsed as a real one would be.
    Http(HttpResponse),
}

/// A response with its types erased, as the runtime consumes it.
pub(crate) enum Erased {
    Output(Box<dyn Any + Send>),
    Error {
        error: Box<dyn Any + Send>,
        code: Option<String>,
        status: u16,
    },
    Http {
        status: u16,
        headers: http::HeaderMap,
        body: Bytes,
    },
}

type MatchFn = Arc<dyn Fn(&dyn Any) -> bool + Send + Sync>;
/// The response for the `n`th call of a rule; the input is there for the first attempt of a
/// call and absent for its retries.
type RespondFn = Arc<dyn Fn(usize, Option<&dyn Any>) -> Option<Erased> + Send + Sync>;

/// A rule: which calls it matches and what it answers. Cheap to clone; clones share the count
/// of calls, so the rule a test keeps sees the calls the client made.
#[derive(Clone)]
pub struct Rule {
    operation: &'static str,
    matcher: MatchFn,
    respond: RespondFn,
    calls: Arc<AtomicUsize>,
    max_responses: usize,
    /// Made with `then_…`: in sequential mode, used by one call (its retries included).
    simple: bool,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &self.operation)
            .field("calls", &self.num_calls())
            .field("max_responses", &self.max_responses)
            .finish_non_exhaustive()
    }
}

impl Rule {
    /// How many responses this rule has given (attempts, retries included).
    pub fn num_calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Whether every response of its sequence has been given.
    pub fn is_exhausted(&self) -> bool {
        self.num_calls() >= self.max_responses
    }

    fn next_response(&self, input: Option<&dyn Any>) -> Option<Erased> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        if n >= self.max_responses {
            return None;
        }
        (self.respond)(n, input)
    }
}

/// The operation types a [`RuleBuilder`] is for (no values of them are held).
type Types<I, O, E> = PhantomData<fn() -> (I, O, E)>;

/// Builds a [`Rule`] for one operation; made by [`mock!`](crate::mock).
pub struct RuleBuilder<I, O, E> {
    operation: &'static str,
    matcher: MatchFn,
    _types: Types<I, O, E>,
}

impl<I, O, E> RuleBuilder<I, O, E>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    E: ProvideErrorMetadata + Send + 'static,
{
    /// The types come from the two closures, which are never called (what `mock!` passes: the
    /// fluent builder's input and its `send()` future).
    #[doc(hidden)]
    pub fn new_from_mock<F, R>(
        _input: impl Fn() -> Result<I, BuildError>,
        _send: impl Fn() -> F,
    ) -> Self
    where
        F: std::future::Future<Output = Result<O, SdkError<E, R>>>,
    {
        RuleBuilder {
            operation: std::any::type_name::<I>()
                .rsplit("::")
                .next()
                .unwrap_or("operation")
                .trim_end_matches("Input"),
            matcher: Arc::new(|input: &dyn Any| input.is::<I>()),
            _types: PhantomData,
        }
    }

    /// Only calls whose input passes `filter`.
    pub fn match_requests(mut self, filter: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        self.matcher =
            Arc::new(move |input: &dyn Any| input.downcast_ref::<I>().is_some_and(&filter));
        self
    }

    /// Answers with this output.
    pub fn then_output(self, output: impl Fn() -> O + Send + Sync + 'static) -> Rule {
        self.sequence().output(output).build_simple()
    }

    /// Answers with this error: a modeled one, or `OperationError::generic(meta)` for any code
    /// (a `Throttling` code is retried like a real one).
    pub fn then_error(self, error: impl Fn() -> E + Send + Sync + 'static) -> Rule {
        self.sequence().error(error).build_simple()
    }

    /// Answers with this HTTP response, parsed as the service's would be.
    pub fn then_http_response(
        self,
        response: impl Fn() -> HttpResponse + Send + Sync + 'static,
    ) -> Rule {
        self.sequence().http_response(response).build_simple()
    }

    /// Answers with an output computed from the input.
    pub fn then_compute_output(self, compute: impl Fn(&I) -> O + Send + Sync + 'static) -> Rule {
        self.sequence().compute_output(compute).build_simple()
    }

    /// Answers with any response computed from the input.
    pub fn then_compute_response(
        self,
        compute: impl Fn(&I) -> MockResponse<O, E> + Send + Sync + 'static,
    ) -> Rule {
        self.sequence().compute_response(compute).build_simple()
    }

    /// A sequence of responses, one per attempt (`times(n)` repeats the last one added).
    pub fn sequence(self) -> ResponseSequenceBuilder<I, O, E> {
        ResponseSequenceBuilder {
            operation: self.operation,
            matcher: self.matcher,
            steps: Vec::new(),
        }
    }
}

type Generator<I, O, E> = Arc<dyn Fn(Option<&I>) -> Option<MockResponse<O, E>> + Send + Sync>;

/// A sequence of responses for one rule (retries and paginators step through it).
pub struct ResponseSequenceBuilder<I, O, E> {
    operation: &'static str,
    matcher: MatchFn,
    steps: Vec<(Generator<I, O, E>, usize)>,
}

impl<I, O, E> ResponseSequenceBuilder<I, O, E>
where
    I: Send + Sync + 'static,
    O: Send + 'static,
    E: ProvideErrorMetadata + Send + 'static,
{
    fn push(mut self, g: Generator<I, O, E>) -> Self {
        self.steps.push((g, 1));
        self
    }

    /// Then this output.
    pub fn output(self, output: impl Fn() -> O + Send + Sync + 'static) -> Self {
        self.push(Arc::new(move |_| Some(MockResponse::Output(output()))))
    }

    /// Then an output computed from the input (not available on retries, which end the
    /// sequence there).
    pub fn compute_output(self, compute: impl Fn(&I) -> O + Send + Sync + 'static) -> Self {
        self.push(Arc::new(move |i| {
            i.map(|i| MockResponse::Output(compute(i)))
        }))
    }

    /// Then any response computed from the input (as [`compute_output`](Self::compute_output)).
    pub fn compute_response(
        self,
        compute: impl Fn(&I) -> MockResponse<O, E> + Send + Sync + 'static,
    ) -> Self {
        self.push(Arc::new(move |i| i.map(&compute)))
    }

    /// Then this error.
    pub fn error(self, error: impl Fn() -> E + Send + Sync + 'static) -> Self {
        self.push(Arc::new(move |_| Some(MockResponse::Error(error()))))
    }

    /// Then this HTTP response.
    pub fn http_response(
        self,
        response: impl Fn() -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        self.push(Arc::new(move |_| Some(MockResponse::Http(response()))))
    }

    /// Then an HTTP response with this status and body (empty when `None`).
    pub fn http_status(self, status: u16, body: Option<String>) -> Self {
        self.http_response(move || {
            let status =
                aws_smithy_runtime_api::http::StatusCode::try_from(status).unwrap_or_else(|_| {
                    aws_smithy_runtime_api::http::StatusCode::from(
                        http::StatusCode::INTERNAL_SERVER_ERROR,
                    )
                });
            let body = body.clone().unwrap_or_default();
            HttpResponse::new(status, aws_smithy_types::body::SdkBody::from(body))
        })
    }

    /// The last response added, `count` times in all (at least once).
    pub fn times(mut self, count: usize) -> Self {
        if let Some(last) = self.steps.last_mut() {
            last.1 = count.max(1);
        }
        self
    }

    /// The last response added, for every call from then on.
    pub fn repeatedly(self) -> Self {
        self.times(usize::MAX)
    }

    /// The rule.
    pub fn build(self) -> Rule {
        self.finish(false)
    }

    /// A `then_…` rule: its one response for every attempt (so a retried error is given again);
    /// in sequential mode, used by one call.
    fn build_simple(self) -> Rule {
        self.repeatedly().finish(true)
    }

    fn finish(self, simple: bool) -> Rule {
        let max_responses = self
            .steps
            .iter()
            .fold(0usize, |n, (_, times)| n.saturating_add(*times));
        let steps = self.steps;
        let respond: RespondFn = Arc::new(move |n: usize, input: Option<&dyn Any>| {
            let mut left = n;
            let (generator, _) = steps.iter().find(|(_, times)| {
                if left < *times {
                    true
                } else {
                    left -= times;
                    false
                }
            })?;
            let typed = input.and_then(|i| i.downcast_ref::<I>());
            generator(typed).map(erase)
        });
        Rule {
            operation: self.operation,
            matcher: self.matcher,
            respond,
            calls: Arc::new(AtomicUsize::new(0)),
            max_responses,
            simple,
        }
    }
}

fn erase<O: Send + 'static, E: ProvideErrorMetadata + Send + 'static>(
    response: MockResponse<O, E>,
) -> Erased {
    match response {
        MockResponse::Output(o) => Erased::Output(Box::new(o)),
        MockResponse::Error(e) => {
            let meta = e.meta();
            let code = meta.code().map(str::to_owned);
            let status = match meta.status() {
                0 => 400,
                s => s,
            };
            Erased::Error {
                error: Box::new(e),
                code,
                status,
            }
        }
        MockResponse::Http(r) => {
            let status = r.status().as_u16();
            let mut headers = http::HeaderMap::new();
            for (name, value) in r.headers() {
                if let (Ok(n), Ok(v)) = (
                    http::HeaderName::try_from(name),
                    http::HeaderValue::try_from(value),
                ) {
                    headers.append(n, v);
                }
            }
            let body = r
                .body()
                .bytes()
                .map(Bytes::copy_from_slice)
                .unwrap_or_default();
            Erased::Http {
                status,
                headers,
                body,
            }
        }
    }
}

/// The rules of a mocked client, in aws-smithy-mocks' name. Made by
/// [`mock_client!`](crate::mock_client).
#[derive(Debug, Default)]
pub struct MockResponseInterceptor {
    rules: Mutex<Vec<Rule>>,
    mode: RuleMode,
}

impl MockResponseInterceptor {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn rule_mode(mut self, mode: RuleMode) -> Self {
        self.mode = mode;
        self
    }

    /// Adds a rule (a clone sharing its call count).
    pub fn with_rule(self, rule: &Rule) -> Self {
        if let Ok(mut rules) = self.rules.lock() {
            rules.push(rule.clone());
        }
        self
    }

    /// The rule that answers this call, and its first response.
    pub(crate) fn select(&self, operation: &str, input: &dyn Any) -> Result<ActiveRule, MockError> {
        let mut rules = self
            .rules
            .lock()
            .map_err(|_| MockError::new(operation, "the rules' lock is poisoned"))?;
        match self.mode {
            RuleMode::Sequential => loop {
                let Some(rule) = rules.first() else {
                    return Err(MockError::new(operation, "every rule is used up"));
                };
                if rule.is_exhausted() || (rule.simple && rule.num_calls() > 0) {
                    rules.remove(0);
                    continue;
                }
                if !(rule.matcher)(input) {
                    return Err(MockError::new(
                        operation,
                        format!(
                            "the next rule (for {}) does not match it (rule mode Sequential)",
                            rule.operation
                        ),
                    ));
                }
                let rule = rule.clone();
                let first = rule.next_response(Some(input));
                return Ok(ActiveRule { rule, first });
            },
            RuleMode::MatchAny => {
                let rule = rules
                    .iter()
                    .find(|r| !r.is_exhausted() && (r.matcher)(input))
                    .cloned()
                    .ok_or_else(|| MockError::new(operation, "no rule matches it"))?;
                let first = rule.next_response(Some(input));
                Ok(ActiveRule { rule, first })
            }
        }
    }
}

/// The rule answering one call: its first response, then the next ones for retries.
pub(crate) struct ActiveRule {
    rule: Rule,
    first: Option<Erased>,
}

impl ActiveRule {
    /// The response for the next attempt, or `None` when the rule has no more.
    pub(crate) fn next(&mut self) -> Option<Erased> {
        match self.first.take() {
            Some(first) => Some(first),
            None => self.rule.next_response(None),
        }
    }
}

/// Why a mocked call got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockError {
    operation: String,
    reason: String,
}

impl MockError {
    pub(crate) fn new(operation: &str, reason: impl Into<String>) -> Self {
        MockError {
            operation: operation.to_owned(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mocked client: no response for a {} call: {}",
            self.operation, self.reason
        )
    }
}

impl std::error::Error for MockError {}

/// A rule for one operation of a generated client, as aws-smithy-mocks' `mock!`:
/// `mock!(Client::set_identity_mail_from_domain).then_output(|| ...)`.
#[macro_export]
macro_rules! mock {
    ($operation:expr) => {
        #[allow(unreachable_code)]
        {
            $crate::test_util::RuleBuilder::new_from_mock(
                // Never called: the closures only carry the operation's types.
                || $operation(::std::todo!()).as_input().clone().build(),
                || $operation(::std::todo!()).send(),
            )
        }
    };
}

/// A client answered by rules, as aws-smithy-mocks' `mock_client!`:
/// `mock_client!(ses_client, [&rule_a, &rule_b])`, optionally with a `RuleMode` and a
/// function adjusting the config builder: `mock_client!(ses_client, RuleMode::MatchAny, [&r],
/// |b| b.max_attempts(5))`.
#[macro_export]
macro_rules! mock_client {
    ($client_crate:ident, $rules:expr) => {
        $crate::mock_client!(
            $client_crate,
            $crate::test_util::RuleMode::Sequential,
            $rules
        )
    };
    ($client_crate:ident, $rule_mode:expr, $rules:expr) => {
        $crate::mock_client!($client_crate, $rule_mode, $rules, |conf| conf)
    };
    ($client_crate:ident, $rule_mode:expr, $rules:expr, $adjust:expr) => {{
        let mut mocks = $crate::test_util::MockResponseInterceptor::new().rule_mode($rule_mode);
        for rule in $rules {
            mocks = mocks.with_rule(rule);
        }
        fn coerce<T: Fn($client_crate::config::Builder) -> $client_crate::config::Builder>(
            f: T,
        ) -> T {
            f
        }
        $client_crate::Client::from_conf(
            coerce($adjust)(
                $client_crate::Config::builder()
                    .with_test_defaults()
                    .mock_responses(mocks),
            )
            .build(),
        )
    }};
}

pub use crate::{mock, mock_client};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorMetadata, ProvideErrorMetadata};

    #[derive(Debug, Clone, PartialEq)]
    struct In(&'static str);
    #[derive(Debug, PartialEq)]
    struct Out(u32);
    #[derive(Debug)]
    struct Err(ErrorMetadata);
    impl ProvideErrorMetadata for Err {
        fn meta(&self) -> &ErrorMetadata {
            &self.0
        }
    }

    fn rule() -> RuleBuilder<In, Out, Err> {
        RuleBuilder {
            operation: "Op",
            matcher: Arc::new(|i: &dyn Any| i.is::<In>()),
            _types: PhantomData,
        }
    }

    fn output(r: Option<Erased>) -> Option<u32> {
        match r? {
            Erased::Output(o) => o.downcast::<Out>().ok().map(|o| o.0),
            _ => None,
        }
    }

    #[test]
    fn sequential_uses_simple_rules_once_and_in_order() {
        let a = rule().then_output(|| Out(1));
        let b = rule().match_requests(|i| i.0 == "b").then_output(|| Out(2));
        let mocks = MockResponseInterceptor::new().with_rule(&a).with_rule(&b);
        let mut first = mocks.select("Op", &In("a")).expect("rule a");
        assert_eq!(output(first.next()), Some(1));
        assert_eq!(a.num_calls(), 1);
        // Rule a is used: b is next, and it must match.
        let err = mocks
            .select("Op", &In("a"))
            .err()
            .expect("b does not match");
        assert!(err.to_string().contains("does not match"), "{err}");
        let mut second = mocks.select("Op", &In("b")).expect("rule b");
        assert_eq!(output(second.next()), Some(2));
        let err = mocks.select("Op", &In("b")).err().expect("used up");
        assert!(err.to_string().contains("used up"), "{err}");
    }

    #[test]
    fn match_any_reuses_rules_and_sequences_step_per_attempt() {
        let any = rule().then_output(|| Out(7));
        let seq = rule()
            .match_requests(|i| i.0 == "s")
            .sequence()
            .error(|| Err(ErrorMetadata::builder().code("Throttling").build()))
            .times(2)
            .output(|| Out(3))
            .build();
        let mocks = MockResponseInterceptor::new()
            .rule_mode(RuleMode::MatchAny)
            .with_rule(&seq)
            .with_rule(&any);
        for _ in 0..3 {
            let mut r = mocks.select("Op", &In("x")).expect("any");
            assert_eq!(output(r.next()), Some(7));
        }
        let mut call = mocks.select("Op", &In("s")).expect("seq");
        for _ in 0..2 {
            match call.next() {
                Some(Erased::Error { code, status, .. }) => {
                    assert_eq!((code.as_deref(), status), (Some("Throttling"), 400));
                }
                _ => panic!("expected the error twice"),
            }
        }
        assert_eq!(output(call.next()), Some(3));
        assert!(call.next().is_none(), "the sequence is over");
        assert!(seq.is_exhausted());
        assert_eq!(seq.num_calls(), 4, "one past the end is counted too");
    }

    #[test]
    fn computed_responses_see_the_input_and_other_types_never_match() {
        let echo = rule().then_compute_output(|i: &In| Out(u32::try_from(i.0.len()).unwrap_or(0)));
        let mocks = MockResponseInterceptor::new()
            .rule_mode(RuleMode::MatchAny)
            .with_rule(&echo);
        let mut r = mocks.select("Op", &In("four")).expect("matches");
        assert_eq!(output(r.next()), Some(4));
        assert!(mocks.select("Op", &"not an In").is_err());
    }
}
