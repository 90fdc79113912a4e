//! Smithy waiters (`smithy.waiters#waitable`): poll an operation until an acceptor says the
//! resource reached the wanted state, failed, or the time ran out.
//!
//! Semantics follow the Smithy specification: acceptors are tried in order after every attempt
//! and the first that matches decides (`success`, `failure`, `retry`); when none matches, an
//! error ends the wait and a success retries. Delays grow exponentially from `min_delay` to
//! `max_delay` with jitter, and never overrun `max_wait`.

pub mod path;

use std::fmt;
use std::time::Duration;

use super::error::{ProvideErrorMetadata, SdkError};
use super::send::{Handle, Operation, SetRequestId};
pub use path::{Cmp, Expr, Func, Literal, Step, Value};

/// What an acceptor concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Success,
    Failure,
    Retry,
}

/// What a path matcher expects of the value at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// `stringEquals`: the value is this string.
    StringEquals(&'static str),
    /// `booleanEquals`: the value is this boolean.
    BooleanEquals(bool),
    /// `allStringEquals`: the value is a non-empty list of strings, all this one.
    AllStringEquals(&'static str),
    /// `anyStringEquals`: the value is a list with this string among its items.
    AnyStringEquals(&'static str),
}

/// What an acceptor looks at.
#[derive(Debug, Clone, Copy)]
pub enum Matcher {
    /// A path over the output.
    Output {
        path: &'static Expr,
        expected: Expected,
    },
    /// A path over `{"input": ..., "output": ...}`.
    InputOutput {
        path: &'static Expr,
        expected: Expected,
    },
    /// `true`: the operation succeeded; `false`: it failed with any error.
    Success(bool),
    /// The operation failed with this error code.
    ErrorType(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct Acceptor {
    pub state: State,
    pub matcher: Matcher,
}

/// A waiter as generated from the model.
#[derive(Debug)]
pub struct WaiterSpec {
    pub name: &'static str,
    pub min_delay: Duration,
    pub max_delay: Duration,
    pub acceptors: &'static [Acceptor],
}

/// How a wait ended: the result of the last poll (`into_result()`), the type AWS's Rust SDK
/// uses. Most waiters succeed on an output; some (a "gone" waiter) on an expected error.
pub use aws_smithy_runtime_api::client::waiters::FinalPoll;

/// Why a wait ended without success, with the variants of AWS's Rust SDK.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// The wait could not start (the waiter's definition cannot be evaluated).
    ConstructionFailure(ConstructionFailure),
    /// `max_wait` passed before an acceptor decided.
    ExceededMaxWait(ExceededMaxWait),
    /// A `failure` acceptor matched the last poll.
    FailureState(FailureState<O, E>),
    /// A poll failed with an error no acceptor handles.
    OperationFailed(OperationFailed<E>),
}

/// Why the wait could not start. Kept for the API of AWS's Rust SDK: the generator checks every
/// waiter's definition (paths included), so generated waiters do not fail this way.
#[derive(Debug)]
pub struct ConstructionFailure {
    waiter: &'static str,
    message: String,
}

impl fmt::Display for ConstructionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "waiter {}: {}", self.waiter, self.message)
    }
}

impl std::error::Error for ConstructionFailure {}

/// `max_wait` passed.
#[derive(Debug, Clone)]
pub struct ExceededMaxWait {
    waiter: &'static str,
    max_wait: Duration,
    elapsed: Duration,
    poll_count: u32,
}

impl ExceededMaxWait {
    /// The time the wait was allowed.
    pub fn max_wait(&self) -> Duration {
        self.max_wait
    }

    /// The time it took.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// How many times the operation was called.
    pub fn poll_count(&self) -> u32 {
        self.poll_count
    }
}

/// A `failure` acceptor matched.
#[derive(Debug)]
pub struct FailureState<O, E> {
    waiter: &'static str,
    poll_count: u32,
    final_poll: FinalPoll<O, SdkError<E>>,
}

impl<O, E> FailureState<O, E> {
    /// The poll the acceptor matched.
    pub fn final_poll(&self) -> &FinalPoll<O, SdkError<E>> {
        &self.final_poll
    }

    pub fn into_final_poll(self) -> FinalPoll<O, SdkError<E>> {
        self.final_poll
    }

    /// How many times the operation was called.
    pub fn poll_count(&self) -> u32 {
        self.poll_count
    }
}

/// A poll failed and no acceptor handled the error.
#[derive(Debug)]
pub struct OperationFailed<E> {
    waiter: &'static str,
    poll_count: u32,
    source: SdkError<E>,
}

impl<E> OperationFailed<E> {
    /// The error of the failed poll.
    pub fn error(&self) -> &SdkError<E> {
        &self.source
    }

    pub fn into_error(self) -> SdkError<E> {
        self.source
    }

    /// How many times the operation was called.
    pub fn poll_count(&self) -> u32 {
        self.poll_count
    }
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::ConstructionFailure(c) => fmt::Display::fmt(c, f),
            WaiterError::FailureState(s) => write!(
                f,
                "waiter {}: reached a failure state after {} attempt(s)",
                s.waiter, s.poll_count
            ),
            WaiterError::OperationFailed(o) => write!(
                f,
                "waiter {}: attempt {} failed: {}",
                o.waiter, o.poll_count, o.source
            ),
            WaiterError::ExceededMaxWait(e) => write!(
                f,
                "waiter {}: not done after {} attempt(s) within {:?}",
                e.waiter, e.poll_count, e.max_wait
            ),
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::ConstructionFailure(c) => Some(c),
            WaiterError::OperationFailed(o) => Some(&o.source),
            _ => None,
        }
    }
}

fn matches(value: &Value, expected: Expected) -> bool {
    let is = |v: &Value, want: &str| matches!(v, Value::String(s) if s == want);
    match expected {
        Expected::StringEquals(want) => is(value, want),
        Expected::BooleanEquals(want) => matches!(value, Value::Bool(b) if *b == want),
        Expected::AllStringEquals(want) => {
            matches!(value, Value::List(l) if !l.is_empty() && l.iter().all(|v| is(v, want)))
        }
        Expected::AnyStringEquals(want) => {
            matches!(value, Value::List(l) if l.iter().any(|v| is(v, want)))
        }
    }
}

/// Decides the state after one attempt, or `None` when no acceptor matched.
pub fn evaluate<O, E: ProvideErrorMetadata>(
    spec: &WaiterSpec,
    input: &Value,
    result: &Result<O, SdkError<E>>,
    output_value: impl Fn(&O) -> Value,
) -> Option<State> {
    let mut output_cache: Option<Value> = None;
    for a in spec.acceptors {
        let matched = match (&a.matcher, result) {
            (Matcher::Success(want), r) => r.is_ok() == *want,
            (Matcher::ErrorType(code), Err(e)) => e.code() == Some(*code),
            (Matcher::ErrorType(_), Ok(_)) => false,
            (Matcher::Output { path, expected }, Ok(o)) => {
                let out = output_cache.get_or_insert_with(|| output_value(o));
                matches(&path.eval(out), *expected)
            }
            (Matcher::InputOutput { path, expected }, Ok(o)) => {
                let out = output_cache.get_or_insert_with(|| output_value(o)).clone();
                let doc = Value::Object(
                    [
                        ("input".to_owned(), input.clone()),
                        ("output".to_owned(), out),
                    ]
                    .into(),
                );
                matches(&path.eval(&doc), *expected)
            }
            (Matcher::Output { .. } | Matcher::InputOutput { .. }, Err(_)) => false,
        };
        if matched {
            return Some(a.state);
        }
    }
    None
}

/// The delay before attempt `attempt + 1` (attempt counts from 1), or `None` when waiting any
/// longer would pass `remaining`. `unit` in `[0, 1)` supplies the jitter.
pub fn next_delay(
    attempt: u32,
    min: Duration,
    max: Duration,
    remaining: Duration,
    unit: f64,
) -> Option<Duration> {
    let min_s = min.as_secs_f64().max(0.001);
    let max_s = max.as_secs_f64().max(min_s);
    let ceiling = ((max_s / min_s).ln() / 2f64.ln()) + 1.0;
    let upper = if f64::from(attempt) > ceiling {
        max_s
    } else {
        (min_s * 2f64.powi(attempt as i32 - 1)).min(max_s)
    };
    let mut delay = min_s + (upper - min_s) * unit.clamp(0.0, 1.0);
    let remaining_s = remaining.as_secs_f64();
    // Too little time left for another delay of at least min_delay plus an attempt.
    if remaining_s <= min_s {
        return None;
    }
    if remaining_s - delay < min_s {
        delay = remaining_s - min_s;
    }
    Some(Duration::from_secs_f64(delay.max(0.0)))
}

/// A source of time and sleep, so tests can run waiters instantly.
pub trait Clock: Send + Sync {
    fn elapsed(&self) -> Duration;
    fn sleep(
        &self,
        d: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>>;
}

/// The real clock: tokio's timer.
pub struct TokioClock {
    start: std::time::Instant,
}

impl TokioClock {
    pub fn new() -> Self {
        TokioClock {
            start: std::time::Instant::now(),
        }
    }
}

impl Default for TokioClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TokioClock {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
    fn sleep(
        &self,
        d: Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        Box::pin(tokio::time::sleep(d))
    }
}

/// Polls `op` with `input` until the waiter decides.
#[allow(clippy::too_many_arguments)]
pub async fn wait<I, O, E>(
    handle: &Handle,
    op: &'static Operation<I, O, E>,
    input: I,
    spec: &'static WaiterSpec,
    max_wait: Duration,
    input_value: fn(&I) -> Value,
    output_value: fn(&O) -> Value,
    clock: &dyn Clock,
) -> Result<FinalPoll<O, SdkError<E>>, WaiterError<O, E>>
where
    I: Clone,
    O: SetRequestId,
    E: ProvideErrorMetadata,
{
    let input_doc = input_value(&input);
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let result = handle.invoke(op, input.clone()).await;
        let state = evaluate(spec, &input_doc, &result, output_value);
        match (state, result) {
            (Some(State::Success), r) => return Ok(FinalPoll::new(r)),
            (Some(State::Failure), r) => {
                return Err(WaiterError::FailureState(FailureState {
                    waiter: spec.name,
                    poll_count: attempt,
                    final_poll: FinalPoll::new(r),
                }));
            }
            (None, Err(source)) => {
                return Err(WaiterError::OperationFailed(OperationFailed {
                    waiter: spec.name,
                    poll_count: attempt,
                    source,
                }));
            }
            (Some(State::Retry) | None, _) => {}
        }
        let remaining = max_wait.saturating_sub(clock.elapsed());
        let Some(delay) = next_delay(
            attempt,
            spec.min_delay,
            spec.max_delay,
            remaining,
            super::retry::random_unit(),
        ) else {
            return Err(WaiterError::ExceededMaxWait(ExceededMaxWait {
                waiter: spec.name,
                max_wait,
                elapsed: clock.elapsed(),
                poll_count: attempt,
            }));
        };
        clock.sleep(delay).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorMetadata;

    static SPEC: WaiterSpec = WaiterSpec {
        name: "IdentityExists",
        min_delay: Duration::from_secs(3),
        max_delay: Duration::from_secs(120),
        acceptors: &[
            Acceptor {
                state: State::Success,
                matcher: Matcher::Output {
                    path: &Expr::Path(
                        &Expr::Current,
                        &[
                            Step::Field("VerificationAttributes"),
                            Step::Values,
                            Step::Field("VerificationStatus"),
                        ],
                    ),
                    expected: Expected::AllStringEquals("Success"),
                },
            },
            Acceptor {
                state: State::Failure,
                matcher: Matcher::ErrorType("AccessDenied"),
            },
        ],
    };

    fn statuses(list: &[&str]) -> Value {
        let attrs = list
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    format!("id{i}"),
                    Value::Object(
                        [(
                            "VerificationStatus".to_owned(),
                            Value::String(s.to_string()),
                        )]
                        .into(),
                    ),
                )
            })
            .collect();
        Value::Object([("VerificationAttributes".to_owned(), Value::Object(attrs))].into())
    }

    #[test]
    fn acceptors_decide_in_order() {
        let ok = |v: Value| -> Result<Value, SdkError<ErrorMetadata>> { Ok(v) };
        let id = |v: &Value| v.clone();
        assert_eq!(
            evaluate(
                &SPEC,
                &Value::Null,
                &ok(statuses(&["Success", "Success"])),
                id
            ),
            Some(State::Success)
        );
        assert_eq!(
            evaluate(
                &SPEC,
                &Value::Null,
                &ok(statuses(&["Success", "Pending"])),
                id
            ),
            None
        );
        assert_eq!(evaluate(&SPEC, &Value::Null, &ok(statuses(&[])), id), None);
        let denied: Result<Value, _> = Err(SdkError::service_error(
            ErrorMetadata::new("AccessDenied", None, 403),
            crate::error::HttpResponse::new(
                403.try_into().unwrap(),
                aws_smithy_types::body::SdkBody::empty(),
            ),
        ));
        assert_eq!(
            evaluate(&SPEC, &Value::Null, &denied, id),
            Some(State::Failure)
        );
        let other: Result<Value, _> = Err(SdkError::service_error(
            ErrorMetadata::new("Throttling", None, 400),
            crate::error::HttpResponse::new(
                400.try_into().unwrap(),
                aws_smithy_types::body::SdkBody::empty(),
            ),
        ));
        assert_eq!(evaluate(&SPEC, &Value::Null, &other, id), None);
    }

    #[test]
    fn expectations() {
        let l = |v: &[&str]| Value::List(v.iter().map(|s| Value::String(s.to_string())).collect());
        assert!(matches(
            &Value::String("a".into()),
            Expected::StringEquals("a")
        ));
        assert!(!matches(&l(&["a"]), Expected::StringEquals("a")));
        assert!(matches(&Value::Bool(true), Expected::BooleanEquals(true)));
        assert!(!matches(&Value::Bool(false), Expected::BooleanEquals(true)));
        assert!(matches(&Value::Bool(false), Expected::BooleanEquals(false)));
        assert!(!matches(
            &Value::String("true".into()),
            Expected::BooleanEquals(true)
        ));
        assert!(matches(&l(&["a", "a"]), Expected::AllStringEquals("a")));
        assert!(!matches(&l(&[]), Expected::AllStringEquals("a")));
        assert!(matches(&l(&["b", "a"]), Expected::AnyStringEquals("a")));
        assert!(!matches(&l(&["b"]), Expected::AnyStringEquals("a")));
    }

    #[test]
    fn delays_grow_cap_and_respect_max_wait() {
        let (min, max) = (Duration::from_secs(3), Duration::from_secs(120));
        let far = Duration::from_secs(10_000);
        // No jitter: the lower bound is min_delay; full jitter: the exponential ceiling.
        assert_eq!(next_delay(1, min, max, far, 0.0), Some(min));
        assert_eq!(next_delay(1, min, max, far, 1.0), Some(min));
        assert_eq!(
            next_delay(3, min, max, far, 1.0),
            Some(Duration::from_secs(12))
        );
        assert_eq!(next_delay(20, min, max, far, 1.0), Some(max));
        for attempt in 1..30 {
            let d = next_delay(attempt, min, max, far, 0.5).unwrap();
            assert!(d >= min && d <= max, "{attempt}: {d:?}");
        }
        // Near the end the delay shrinks so one more attempt fits; past it, stop.
        assert_eq!(
            next_delay(5, min, max, Duration::from_secs(10), 1.0),
            Some(Duration::from_secs(7))
        );
        assert_eq!(next_delay(5, min, max, Duration::from_secs(2), 1.0), None);
        assert_eq!(next_delay(5, min, max, min, 1.0), None);
    }

    /// The awkward snapshot's `ThingsSettled` spec, verbatim as the generator emits it
    /// (`codegen/tests/snapshots/awkward/waiters.rs`): filters, pipes, multi-selects,
    /// functions and list/object literals compile as static data.
    static THINGS_SETTLED: crate::waiter::WaiterSpec = {
        use crate::waiter::*;
        WaiterSpec {
            name: "ThingsSettled",
            min_delay: ::std::time::Duration::from_secs(2u64),
            max_delay: ::std::time::Duration::from_secs(120u64),
            acceptors: &[
                Acceptor {
                    state: State::Success,
                    matcher: Matcher::Output {
                        path: &Expr::Or(
                            &Expr::Call(
                                Func::Contains,
                                &[
                                    Expr::Pipe(
                                        &Expr::Path(
                                            &Expr::Current,
                                            &[
                                                Step::Field("Tags"),
                                                Step::Filter(&Expr::Call(
                                                    Func::StartsWith,
                                                    &[
                                                        Expr::Current,
                                                        Expr::Literal(Literal::String("a")),
                                                    ],
                                                )),
                                            ],
                                        ),
                                        &Expr::Path(&Expr::Current, &[Step::Index(0)]),
                                    ),
                                    Expr::Literal(Literal::String("x")),
                                ],
                            ),
                            &Expr::Compare(
                                Cmp::Eq,
                                &Expr::Path(
                                    &Expr::Current,
                                    &[
                                        Step::Select(&[
                                            Expr::Path(&Expr::Current, &[Step::Field("NextPage")]),
                                            Expr::Path(
                                                &Expr::Current,
                                                &[Step::Field("Tags"), Step::Index(0)],
                                            ),
                                        ]),
                                        Step::Index(1),
                                    ],
                                ),
                                &Expr::Call(
                                    Func::NotNull,
                                    &[
                                        Expr::Path(&Expr::Current, &[Step::Field("NextPage")]),
                                        Expr::Literal(Literal::String("y")),
                                    ],
                                ),
                            ),
                        ),
                        expected: Expected::BooleanEquals(true),
                    },
                },
                Acceptor {
                    state: State::Failure,
                    matcher: Matcher::Output {
                        path: &Expr::And(
                            &Expr::And(
                                &Expr::Compare(
                                    Cmp::Eq,
                                    &Expr::Path(
                                        &Expr::Current,
                                        &[Step::Field("Things"), Step::Values],
                                    ),
                                    &Expr::Literal(Literal::List(&[
                                        Literal::String("a"),
                                        Literal::Object(&[(
                                            "k",
                                            Literal::List(&[Literal::Number(1f64), Literal::Null]),
                                        )]),
                                    ])),
                                ),
                                &Expr::Compare(
                                    Cmp::Ne,
                                    &Expr::Call(
                                        Func::Keys,
                                        &[Expr::Path(&Expr::Current, &[Step::Field("Things")])],
                                    ),
                                    &Expr::Literal(Literal::List(&[])),
                                ),
                            ),
                            &Expr::Compare(
                                Cmp::Ne,
                                &Expr::Path(&Expr::Current, &[Step::Field("NextPage")]),
                                &Expr::Literal(Literal::String("z")),
                            ),
                        ),
                        expected: Expected::BooleanEquals(true),
                    },
                },
            ],
        }
    };

    #[test]
    fn emitted_spec_with_every_construct_compiles_and_evaluates() {
        let Matcher::Output { path, .. } = THINGS_SETTLED.acceptors[0].matcher else {
            panic!("an output matcher");
        };
        let out = |next: Option<&str>, tags: &[&str]| {
            let mut o = std::collections::BTreeMap::new();
            if let Some(n) = next {
                o.insert("NextPage".to_owned(), Value::String(n.into()));
            }
            o.insert(
                "Tags".to_owned(),
                Value::List(tags.iter().map(|t| Value::String((*t).into())).collect()),
            );
            Value::Object(o)
        };
        // contains(Tags[?starts_with(@, 'a')] | [0], 'x'): the first tag starting with `a`.
        assert_eq!(path.eval(&out(Some("n"), &["b", "axe"])), Value::Bool(true));
        // [NextPage, Tags[0]][1] == not_null(NextPage, 'y')
        assert_eq!(path.eval(&out(None, &["y"])), Value::Bool(true));
        assert_eq!(path.eval(&out(Some("n"), &["b"])), Value::Bool(false));
        let Matcher::Output { path, .. } = THINGS_SETTLED.acceptors[1].matcher else {
            panic!("an output matcher");
        };
        let mut things = std::collections::BTreeMap::new();
        things.insert("t".to_owned(), Value::String("a".into()));
        let mut o = std::collections::BTreeMap::new();
        o.insert("Things".to_owned(), Value::Object(things));
        assert_eq!(path.eval(&Value::Object(o)), Value::Bool(false));
    }
}
