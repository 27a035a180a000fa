//! Waiters: call an operation until its answer says the resource reached a state.
//!
//! A generated crate compiles each waiter's acceptors into a plain Rust function over the call's result (no JMESPath
//! at run time) and calls [`Client::wait`] with the model's delay and attempt count. The first acceptor that
//! matches decides: success returns the output, failure ends the wait with [`WaiterError::FailureState`] naming
//! what matched, retry polls again. When none matches, a successful call polls again and an error ends the wait
//! ([`WaiterError::Operation`]), as in botocore. Polls are spaced by a fixed delay; the number of polls and the
//! total time can be capped ([`WaiterSettings`]). Time is read from the client's clock and waited through its
//! sleep, so tests run instantly with a `clock::ManualClock` (feature
//! `test-util`).

use crate::client::Client;
use crate::error::SdkError;
use crate::operation::Operation;
use std::fmt;
use std::time::Duration;

/// A waiter as the model defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiter {
    /// Its name, e.g. `ClusterRunning`.
    pub name: &'static str,
    /// The model's delay between polls.
    pub delay: Duration,
    /// The model's number of polls.
    pub max_attempts: u32,
}

/// What an acceptor decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over: success.
    Success,
    /// The wait is over: the resource will never get there.
    Failure,
    /// Poll again.
    Retry,
}

/// An acceptor that matched: its decision and what it matched, e.g. `Cluster.Status.State == "TERMINATED"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acceptance {
    /// What the acceptor decides: success, failure or another poll.
    pub state: AcceptorState,
    /// The acceptor, as text (the model's matcher and expected value), shown in
    /// [`WaiterError::FailureState`].
    pub matched: &'static str,
}

/// How a caller changes a waiter's pace. Unset values are the model's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaiterSettings {
    delay: Option<Duration>,
    max_attempts: Option<u32>,
    max_wait: Option<Duration>,
}

impl WaiterSettings {
    /// The model's delay and number of polls, and no limit on the total wait.
    pub fn new() -> Self {
        Self::default()
    }

    /// Time between polls, instead of the model's [`Waiter::delay`]. The first poll is not delayed.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// The most polls, instead of the model's [`Waiter::max_attempts`]. Must be at least 1: 0 makes
    /// [`Client::wait`] fail with [`WaiterError::InvalidSettings`] before any call.
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = Some(max_attempts);
        self
    }

    /// The longest the whole wait may take: no poll starts after it would have run out.
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = Some(max_wait);
        self
    }
}

/// The last poll of a wait that succeeded (aws-sdk-rust's `FinalPoll`): what the call returned. `O` is the
/// operation's output, `E` its error; the generated `wait_until_*` methods return it.
#[derive(Debug, Clone, PartialEq)]
pub struct FinalPoll<O, E> {
    result: Result<O, E>,
}

impl<O, E> FinalPoll<O, E> {
    /// The poll that returned `result`. Generated waiters call it with the output of the successful poll.
    pub fn new(result: Result<O, E>) -> Self {
        FinalPoll { result }
    }

    /// What the call returned.
    pub fn into_result(self) -> Result<O, E> {
        self.result
    }

    /// What the call returned, by reference.
    pub fn as_result(&self) -> Result<&O, &E> {
        self.result.as_ref()
    }
}

/// Why a wait ended without success. `T` is the operation's output, `E` its error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<T, E> {
    /// The settings cannot be used (no poll at all).
    InvalidSettings {
        /// The waiter's name, e.g. `ClusterRunning`.
        waiter: &'static str,
        /// What is wrong with the settings, e.g. `max_attempts must be at least 1`.
        message: String,
    },
    /// An acceptor said the resource will never reach the state waited for.
    FailureState {
        /// The waiter's name, e.g. `ClusterRunning`.
        waiter: &'static str,
        /// The acceptor that matched, e.g. `Cluster.Status.State == "TERMINATED"`.
        matched: &'static str,
        /// The result of the poll it matched: an output whose state is a failure, or the error an acceptor
        /// matched.
        last: Box<Result<T, SdkError<E>>>,
    },
    /// The polls or the time ran out first.
    MaxWaitExceeded {
        /// The waiter's name, e.g. `ClusterRunning`.
        waiter: &'static str,
        /// Time waited, by the client's clock.
        elapsed: Duration,
        /// Calls made, the last one included.
        polls: u32,
    },
    /// A call failed with an error no acceptor matches.
    Operation {
        /// The waiter's name, e.g. `ClusterRunning`.
        waiter: &'static str,
        /// The call's error, as the operation itself returns it.
        error: SdkError<E>,
    },
}

impl<T, E: fmt::Display> fmt::Display for WaiterError<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::InvalidSettings { waiter, message } => write!(f, "waiter {waiter}: {message}"),
            WaiterError::FailureState { waiter, matched, .. } => {
                write!(f, "waiter {waiter} reached a failure state: {matched}")
            }
            WaiterError::MaxWaitExceeded { waiter, elapsed, polls } => write!(
                f,
                "waiter {waiter} gave up after {polls} poll{} over {:.1} s without reaching the state",
                if *polls == 1 { "" } else { "s" },
                elapsed.as_secs_f64()
            ),
            // The error is shown here and not returned by `source()`, so that it is printed once.
            WaiterError::Operation { waiter, error } => write!(f, "waiter {waiter} stopped on an error: {error}"),
        }
    }
}

impl<T: fmt::Debug, E: fmt::Debug + fmt::Display> std::error::Error for WaiterError<T, E> {}

impl Client {
    /// Polls `O` with `input` as `waiter` and `settings` say, deciding after each call with `accept`.
    ///
    /// `accept` returns the first acceptor that matches the call's result, or `None`. Success returns the output;
    /// failure ends with [`WaiterError::FailureState`]; retry, or no match on a successful call, polls again after
    /// the delay; no match on an error ends with [`WaiterError::Operation`]. The wait ends with
    /// [`WaiterError::MaxWaitExceeded`] after the last allowed poll, or when the next poll would start after
    /// [`WaiterSettings::max_wait`] by the client's clock.
    pub async fn wait<O: Operation>(
        &self,
        waiter: &Waiter,
        input: &O::Input,
        settings: &WaiterSettings,
        accept: impl Fn(&Result<O::Output, SdkError<O::Error>>) -> Option<Acceptance>,
    ) -> Result<O::Output, WaiterError<O::Output, O::Error>> {
        let delay = settings.delay.unwrap_or(waiter.delay);
        let max_attempts = settings.max_attempts.unwrap_or(waiter.max_attempts);
        if max_attempts == 0 {
            return Err(WaiterError::InvalidSettings {
                waiter: waiter.name,
                message: "max_attempts must be at least 1".into(),
            });
        }
        let clock = self.clock();
        let start = clock.now();
        let elapsed = || clock.now().duration_since(start).unwrap_or_default();
        let mut polls = 0;
        loop {
            let result = self.invoke::<O>(input).await;
            polls += 1;
            match (accept(&result), result) {
                (Some(a), Ok(output)) if a.state == AcceptorState::Success => return Ok(output),
                (Some(a), last) if a.state == AcceptorState::Failure => {
                    return Err(WaiterError::FailureState {
                        waiter: waiter.name,
                        matched: a.matched,
                        last: Box::new(last),
                    })
                }
                (Some(a), _) if a.state == AcceptorState::Retry => {}
                // No acceptor (or, which the generator does not emit, a success acceptor on an error).
                (_, Err(error)) => {
                    return Err(WaiterError::Operation {
                        waiter: waiter.name,
                        error,
                    })
                }
                (_, Ok(_)) => {}
            }
            let waited = elapsed();
            let out_of_time = settings.max_wait.is_some_and(|max| waited + delay > max);
            if polls >= max_attempts || out_of_time {
                return Err(WaiterError::MaxWaitExceeded {
                    waiter: waiter.name,
                    elapsed: waited,
                    polls,
                });
            }
            tracing::debug!(waiter = waiter.name, polls, ?delay, "waiting before the next poll");
            self.sleep().sleep(delay).await;
        }
    }
}
