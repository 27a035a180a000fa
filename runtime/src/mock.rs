//! Test doubles for users' own tests (feature `test-util`): a client whose calls are answered by rules instead
//! of the network, in the spirit of aws-smithy-mocks but simpler.
//!
//! A [`Rule`] belongs to one operation (its marker type, e.g. `DescribeCluster`): it matches on the typed input
//! ([`Rule::match_requests`]) and answers with an output, a modelled error, or an HTTP response, once
//! (the default), [`times`](Rule::times) or [`forever`](Rule::forever). A client configured with [`Mocks`]
//! validates and serializes every input as it would to send it (a bad input fails as it would), then asks the
//! rules, in the order they were added, instead of sending; an HTTP answer goes through the real response parser.
//! A call that no rule answers fails with [`SdkError::Mock`], naming the operation and every rule tried.

use crate::error::{SdkError, ServiceError};
use crate::operation::{parse_response, Operation};
use crate::transport::HttpResponse;
use std::any::Any;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// How many calls a rule answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Uses {
    Times(usize),
    Forever,
}

type Answer<O> = Box<dyn Fn() -> Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>> + Send + Sync>;

type Matcher<O> = Box<dyn Fn(&<O as Operation>::Input) -> bool + Send + Sync>;

struct RuleInner<O: Operation> {
    matcher: Matcher<O>,
    answer: Option<Answer<O>>,
    uses: Uses,
    calls: AtomicUsize,
}

/// A rule for operation `O` (its marker type): which inputs it matches, what it answers, how often. Clones share
/// the count of calls, so a test can keep one and read [`num_calls`](Rule::num_calls) after the client used it.
///
/// # Panics
///
/// The methods that configure a rule ([`match_requests`](Rule::match_requests), the `then_*` answers,
/// [`times`](Rule::times), [`forever`](Rule::forever)) panic on a rule that is already shared: configure it before
/// cloning it or adding it to [`Mocks`].
pub struct Rule<O: Operation> {
    inner: Arc<RuleInner<O>>,
}

impl<O: Operation> Clone for Rule<O> {
    fn clone(&self) -> Self {
        Rule {
            inner: self.inner.clone(),
        }
    }
}

impl<O: Operation> fmt::Debug for Rule<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("operation", &O::NAME)
            .field("uses", &self.inner.uses)
            .field("calls", &self.num_calls())
            .finish_non_exhaustive()
    }
}

impl<O> Default for Rule<O>
where
    O: Operation + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

impl<O> Rule<O>
where
    O: Operation + 'static,
{
    /// A rule that matches every input of `O` and has no answer yet.
    pub fn new() -> Self {
        Rule {
            inner: Arc::new(RuleInner {
                matcher: Box::new(|_| true),
                answer: None,
                uses: Uses::Times(1),
                calls: AtomicUsize::new(0),
            }),
        }
    }

    fn with(self, change: impl FnOnce(&mut RuleInner<O>)) -> Self {
        let mut inner = Arc::try_unwrap(self.inner)
            .unwrap_or_else(|_| panic!("a mock rule is configured before it is cloned or given to a client"));
        change(&mut inner);
        Rule { inner: Arc::new(inner) }
    }

    /// Matches only the inputs for which `matcher` is true.
    pub fn match_requests(self, matcher: impl Fn(&O::Input) -> bool + Send + Sync + 'static) -> Self {
        self.with(|r| r.matcher = Box::new(matcher))
    }

    /// Answers with the output `output` makes (called once per call answered).
    pub fn then_output(self, output: impl Fn() -> O::Output + Send + Sync + 'static) -> Self {
        self.with(|r| r.answer = Some(Box::new(move || Ok(output()))))
    }

    /// Answers with the modelled (or unhandled) error `error` makes, as the service's error.
    pub fn then_error(self, error: impl Fn() -> O::Error + Send + Sync + 'static) -> Self {
        self.with(|r| {
            r.answer = Some(Box::new(move || {
                Err(SdkError::ServiceError(ServiceError::new(error(), None)))
            }))
        })
    }

    /// Answers with the HTTP response `response` makes, read by the operation's real response parser.
    pub fn then_http_response(self, response: impl Fn() -> HttpResponse + Send + Sync + 'static) -> Self {
        self.with(|r| r.answer = Some(Box::new(move || parse_response::<O>(&response()))))
    }

    /// Answers `n` calls (the default is one).
    pub fn times(self, n: usize) -> Self {
        self.with(|r| r.uses = Uses::Times(n))
    }

    /// Answers every call it matches.
    pub fn forever(self) -> Self {
        self.with(|r| r.uses = Uses::Forever)
    }

    /// How many calls the rule (or any of its clones) has answered so far.
    pub fn num_calls(&self) -> usize {
        self.inner.calls.load(Ordering::SeqCst)
    }
}

/// What a rule said about one call, for the error when none answers.
enum Verdict<T> {
    Answer(T),
    NotThisOperation,
    NoMatch,
    UsedUp(usize),
    NoAnswer,
}

/// A rule of any operation, as [`Mocks`] keeps it.
trait AnyRule: Send + Sync {
    fn operation(&self) -> &'static str;
    /// `input` is `&O::Input` and the verdict's answer a `Result<O::Output, SdkError<O::Error>>`, boxed.
    fn decide(&self, input: &dyn Any) -> Verdict<Box<dyn Any>>;
}

impl<O> AnyRule for Rule<O>
where
    O: Operation + 'static,
    O::Input: 'static,
    O::Output: 'static,
    O::Error: 'static,
{
    fn operation(&self) -> &'static str {
        O::NAME
    }

    fn decide(&self, input: &dyn Any) -> Verdict<Box<dyn Any>> {
        let Some(input) = input.downcast_ref::<O::Input>() else {
            return Verdict::NotThisOperation;
        };
        let inner = &self.inner;
        if !(inner.matcher)(input) {
            return Verdict::NoMatch;
        }
        let Some(answer) = &inner.answer else {
            return Verdict::NoAnswer;
        };
        let taken = inner
            .calls
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |calls| match inner.uses {
                Uses::Times(n) if calls >= n => None,
                _ => Some(calls + 1),
            });
        match taken {
            Ok(_) => Verdict::Answer(Box::new(answer())),
            Err(calls) => Verdict::UsedUp(calls),
        }
    }
}

/// The rules a mocked client answers with, tried in the order they were added.
#[derive(Clone, Default)]
pub struct Mocks {
    rules: Vec<Arc<dyn AnyRule>>,
}

impl fmt::Debug for Mocks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.rules.iter().map(|r| r.operation()))
            .finish()
    }
}

impl Mocks {
    /// No rules: every call fails with [`SdkError::Mock`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `rule` after the rules already added; the rule stays shared with the caller's copy, so its
    /// [`num_calls`](Rule::num_calls) counts this client's calls.
    pub fn with<O>(mut self, rule: &Rule<O>) -> Self
    where
        O: Operation + 'static,
        O::Input: 'static,
        O::Output: 'static,
        O::Error: 'static,
    {
        self.rules.push(Arc::new(rule.clone()));
        self
    }

    /// The answer of the first rule that answers this call of `O`, or the error naming every rule tried.
    pub(crate) fn answer<O>(&self, input: &O::Input) -> Result<O::Output, SdkError<O::Error>>
    where
        O: Operation + 'static,
        O::Input: 'static,
        O::Output: 'static,
        O::Error: 'static,
    {
        let mut tried = Vec::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let why = match rule.decide(input) {
                Verdict::Answer(answer) => {
                    return *answer
                        .downcast::<Result<O::Output, SdkError<O::Error>>>()
                        .unwrap_or_else(|_| unreachable!("a rule of {} answers for {}", rule.operation(), O::NAME))
                }
                Verdict::NotThisOperation => continue,
                Verdict::NoMatch => "its matcher did not match the input".to_owned(),
                Verdict::UsedUp(calls) => {
                    format!("it was used up after {calls} call{}", if calls == 1 { "" } else { "s" })
                }
                Verdict::NoAnswer => "it has no answer (then_output, then_error or then_http_response)".to_owned(),
            };
            tried.push(format!("rule {} ({why})", i + 1));
        }
        Err(SdkError::Mock(NoRuleMatched {
            operation: O::NAME,
            tried,
        }))
    }
}

/// No mock rule answered a call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NoRuleMatched {
    /// The operation called, e.g. `DescribeCluster`.
    pub operation: &'static str,
    /// Each rule of that operation, by its place among all the rules, and why it did not answer.
    pub tried: Vec<String>,
}

impl fmt::Display for NoRuleMatched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.tried.is_empty() {
            write!(f, "no mock rule answers {}: there is no rule for it", self.operation)
        } else {
            write!(
                f,
                "no mock rule answers {}: tried {}",
                self.operation,
                self.tried.join(", ")
            )
        }
    }
}

impl std::error::Error for NoRuleMatched {}
