//! One call, start to finish. [`Client::invoke`] validates the input and serializes it
//! ([`OperationRequest::new`]); the call loop, compiled once for every operation, resolves the endpoint and
//! makes attempts until one succeeds or retrying stops: sign, send, judge; at the end
//! [`parse_response`] turns the last response into the operation's output or error.
//!
//! Every attempt carries the call's `amz-sdk-invocation-id` and its own `amz-sdk-request: attempt=N; max=M`
//! ([`crate::invocation`]). Each attempt is signed afresh: a new `x-amz-date` from the client's clock, corrected
//! by the latest clock skew estimate ([`crate::skew`]). It is limited by the attempt timeout if there is one,
//! and judged by the client's [`RetryStrategy`], which all its calls share; the waits between attempts go through
//! the configured [`Sleep`]. In adaptive retry mode each attempt first takes a token from the client's
//! [`ClientRateLimiter`] (waiting through the same [`Sleep`]), and every attempt's outcome updates it. The
//! operation timeout, if any, covers the whole loop.
//!
//! Tracing: a span `call` (`service`, `operation`, `invocation_id`) per call and a span `attempt` (`attempt`,
//! then `status` and `request_id`) per attempt. Request and response headers are logged at `DEBUG`, with
//! `authorization` and `x-amz-security-token` always redacted; bodies only at `TRACE`.

use crate::clock::Clock;
use crate::compression::{self, CompressionSettings};
use crate::config::resolve::{self, Settings};
use crate::config::{Config, ConfigError};
use crate::credentials::{CredentialsError, ProvideCredentials};
use crate::endpoint::{Endpoint, EndpointError, SigV4Settings};
use crate::error::SdkError;
use crate::invocation::{self, InvocationId, InvocationIdGenerator};
use crate::operation::{parse_response, Operation, OperationRequest, ServiceMeta};
use crate::protocol::json::{self, RequestParts};
use crate::retry::adaptive::ClientRateLimiter;
use crate::retry::{classify, AttemptOutcome, CallState, RandomJitter, RetryKind, RetryMode, RetryStrategy};
use crate::skew::{self, ClockSkew, SharedSkew};
use crate::time::Sleep;
use crate::transport::{loggable_headers, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
use crate::validate::{Validate, ValidationMode};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// A configured client for one service. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    service: &'static ServiceMeta,
    region: Result<String, ConfigError>,
    endpoint: Result<Endpoint, EndpointError>,
    credentials: Arc<dyn ProvideCredentials>,
    user_agent: String,
    validation: ValidationMode,
    compression: Result<CompressionSettings, ConfigError>,
    transport: Result<Arc<dyn Transport>, TransportError>,
    clock: Arc<dyn Clock>,
    retry: Result<RetryStrategy, ConfigError>,
    /// Adaptive mode's rate limiter; `None` in standard mode.
    rate_limiter: Option<ClientRateLimiter>,
    sleep: Arc<dyn Sleep>,
    invocation_ids: Arc<dyn InvocationIdGenerator>,
    clock_skew_correction: Result<bool, ConfigError>,
    #[cfg(feature = "test-util")]
    mocks: Option<crate::mock::Mocks>,
    clock_skew: SharedSkew,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_body_size: usize,
}

impl fmt::Debug for Client {
    // Hand-written: the credentials provider may hold secrets; it is shown only through its own redacting Debug.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("service", &inner.service.service_id)
            .field("region", &inner.region)
            .field("endpoint", &inner.endpoint)
            .field("credentials", &inner.credentials)
            .field("user_agent", &inner.user_agent)
            .field("validation", &inner.validation)
            .field("compression", &inner.compression)
            .field("transport", &inner.transport)
            .field("clock", &inner.clock)
            .field("retry", &inner.retry)
            .field("rate_limiter", &inner.rate_limiter)
            .field("sleep", &inner.sleep)
            .field("invocation_ids", &inner.invocation_ids)
            .field("clock_skew_correction", &inner.clock_skew_correction)
            .field("clock_skew", &inner.clock_skew.get())
            .field("attempt_timeout", &inner.attempt_timeout)
            .field("operation_timeout", &inner.operation_timeout)
            .field("max_response_body_size", &inner.max_response_body_size)
            .finish()
    }
}

impl Client {
    /// A client for `service`. Settings missing from `config` are looked up now in its environment, then in the
    /// selected profile of the shared config files ([`crate::config::resolve`]); a missing
    /// region or unusable setting is reported on the first call, naming every place that was checked.
    pub fn new(service: &'static ServiceMeta, config: Config) -> Client {
        let settings = Settings::resolve(service, &config);
        let credentials = settings.credentials_provider(&config);
        let jitter = config.jitter.clone().unwrap_or_else(|| Arc::new(RandomJitter::new()));
        let retry = settings.retry.map(|retry| RetryStrategy::new(retry, jitter));
        let rate_limiter = match &retry {
            Ok(strategy) if strategy.config().mode == RetryMode::Adaptive => {
                Some(ClientRateLimiter::new(config.clock.now()))
            }
            _ => None,
        };
        Client {
            inner: Arc::new(Inner {
                service,
                region: settings.region,
                endpoint: settings.endpoint,
                credentials,
                user_agent: settings.user_agent,
                validation: config.validation,
                compression: settings.compression,
                transport: resolve::transport(&config),
                clock: config.clock,
                retry,
                rate_limiter,
                sleep: config.sleep,
                invocation_ids: config.invocation_ids,
                clock_skew_correction: settings.clock_skew_correction,
                #[cfg(feature = "test-util")]
                mocks: config.mocks.clone(),
                clock_skew: SharedSkew::default(),
                attempt_timeout: config.attempt_timeout,
                operation_timeout: config.operation_timeout,
                max_response_body_size: config.max_response_body_size,
            }),
        }
    }

    /// The clock the client signs with (and waiters measure elapsed time with).
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// How the client waits between attempts (and waiters between polls).
    pub fn sleep(&self) -> &Arc<dyn Sleep> {
        &self.inner.sleep
    }

    /// The balance of the retry quota this client's calls share, or `None` when the retry settings are invalid.
    pub fn retry_quota(&self) -> Option<u32> {
        self.inner.retry.as_ref().ok().map(RetryStrategy::quota_balance)
    }

    /// The client-side rate limiter of adaptive retry mode, which this client's calls and clones share; `None`
    /// in standard mode and when the retry settings are invalid.
    pub fn rate_limiter(&self) -> Option<&ClientRateLimiter> {
        self.inner.rate_limiter.as_ref()
    }

    /// The latest estimate of how far the service's clock is ahead of this client's (see [`crate::skew`]): zero
    /// until a response says otherwise, and always zero with clock skew correction off.
    pub fn clock_skew(&self) -> ClockSkew {
        self.inner.clock_skew.get()
    }

    /// Performs operation `O` with `input`, retrying as configured.
    ///
    /// Only validation, serialization and the reading of the last response depend on `O`: the call loop between
    /// them is the same code for every operation.
    pub async fn invoke<O: Operation>(&self, input: &O::Input) -> Result<O::Output, SdkError<O::Error>> {
        // Both checks run, so that a value the model forbids and a value that cannot be written (a timestamp
        // beyond its format) are reported together, in one error.
        let request = match (
            input.validate_with(self.inner.validation),
            OperationRequest::new::<O>(input),
        ) {
            (Ok(()), Ok(request)) => request,
            (Err(mut invalid), Err(unwritable)) => {
                invalid.violations.extend(unwritable.violations);
                return Err(SdkError::Validation(invalid));
            }
            (Err(e), _) | (_, Err(e)) => return Err(SdkError::Validation(e)),
        };
        #[cfg(feature = "test-util")]
        if let Some(mocks) = &self.inner.mocks {
            drop(request);
            return mocks.answer::<O>(input);
        }
        let last = self.call(request).await.map_err(CallError::into_sdk)?;
        let result = parse_response::<O>(&last.response);
        if result.is_ok() {
            last.succeeded();
        }
        result
    }

    /// Sends `request` until an attempt ends the call, within the operation timeout, in a `call` span; returns
    /// the last response, success or error.
    async fn call(&self, request: OperationRequest) -> Result<LastResponse<'_>, CallError> {
        let invocation_id = self.inner.invocation_ids.generate();
        let span = tracing::info_span!(
            "call",
            service = self.inner.service.service_id,
            operation = request.name,
            invocation_id = invocation_id.as_str()
        );
        let attempts = self.attempts(request, invocation_id).instrument(span);
        match self.inner.operation_timeout {
            Some(limit) => tokio::time::timeout(limit, attempts)
                .await
                .unwrap_or(Err(CallError::Timeout(limit))),
            None => attempts.await,
        }
    }

    /// The attempts of one call: what they share (settings, endpoint with its host prefix, compressed body, the
    /// unsigned request with the invocation id), then one attempt after another until one ends the call.
    async fn attempts(
        &self,
        request: OperationRequest,
        invocation_id: InvocationId,
    ) -> Result<LastResponse<'_>, CallError> {
        let inner = &*self.inner;
        let region = inner.region.as_ref().map_err(|e| CallError::Config(e.clone()))?;
        let retry = inner.retry.as_ref().map_err(|e| CallError::Config(e.clone()))?;
        let endpoint = inner.endpoint.as_ref().map_err(|e| CallError::Endpoint(e.clone()))?;
        let compression = inner.compression.as_ref().map_err(|e| CallError::Config(e.clone()))?;
        let transport = inner.transport.as_ref().map_err(|e| CallError::Transport(e.clone()))?;
        let correct_skew = *inner
            .clock_skew_correction
            .as_ref()
            .map_err(|e| CallError::Config(e.clone()))?;

        let prefixed;
        let endpoint = match &request.host_prefix {
            Some(prefix) => {
                prefixed = crate::host_prefix::apply(endpoint, prefix).map_err(CallError::Endpoint)?;
                &prefixed
            }
            None => endpoint,
        };
        let (content_encoding, body) =
            match compression::compress(&request.body, request.request_compression, compression) {
                Some((encoding, compressed)) => (Some(encoding), compressed),
                None => (None, request.body),
            };
        let parts = RequestParts {
            endpoint_url: &endpoint.url,
            json_version: inner.service.json_version,
            target_prefix: inner.service.target_prefix,
            operation: request.name,
            user_agent: &inner.user_agent,
            content_encoding,
        };
        let mut unsigned = json::build_request(&parts, body);
        unsigned
            .headers
            .push((invocation::INVOCATION_ID_HEADER.to_owned(), invocation_id.to_string()));
        // Everything the endpoint asks for is applied, or the call fails naming what could not be.
        let sigv4 = endpoint.sigv4().map_err(CallError::Endpoint)?;
        endpoint.apply_headers(&mut unsigned).map_err(CallError::Endpoint)?;
        let mut call = Call {
            transport: transport.as_ref(),
            retry,
            region,
            sigv4,
            unsigned,
            state: CallState::default(),
            correct_skew,
            skew: if correct_skew {
                inner.clock_skew.get()
            } else {
                ClockSkew::ZERO
            },
            skew_retried: false,
        };
        let mut attempt = 0u32;
        loop {
            // The strategy stops at its maximum, so this never saturates in practice; if it did, it would stop.
            attempt = attempt.saturating_add(1);
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty
            );
            let step = self.attempt(&mut call, attempt, &span).instrument(span.clone()).await;
            match step {
                Step::Done(response) => {
                    return response.map(|response| LastResponse {
                        response,
                        retry,
                        attempt,
                        state: call.state,
                    })
                }
                Step::Retry(delay) => {
                    tracing::debug!(attempt, ?delay, "retrying");
                    inner.sleep.sleep(delay).await;
                }
            }
        }
    }

    /// One attempt: sign, send, judge. Returns the response that ends the call, or how long to wait before the
    /// next attempt.
    async fn attempt(&self, call: &mut Call<'_>, attempt: u32, span: &tracing::Span) -> Step {
        let inner = &*self.inner;
        self.acquire_send_token().await;
        let credentials = match inner.credentials.provide_credentials().await {
            Ok(c) => c,
            Err(e) => return Step::Done(Err(CallError::Credentials(e))),
        };
        let mut request = call.unsigned.clone();
        let max_attempts = call.retry.config().max_attempts.max(1);
        request.headers.push((
            invocation::REQUEST_HEADER.to_owned(),
            invocation::request_header_value(attempt, max_attempts),
        ));
        let sent_at = inner.clock.now();
        let signed = crate::sign::sign_for_endpoint(
            &mut request,
            &credentials,
            call.region,
            inner.service.signing_name,
            &call.sigv4,
            call.skew.apply(sent_at),
        );
        if let Err(e) = signed {
            return Step::Done(Err(CallError::Signing(e)));
        }
        // Like botocore, the length is set on the prepared request, after signing.
        let length = request.body.len().to_string();
        request.headers.push(("content-length".into(), length));
        log_request(&request);

        let sent = match inner.attempt_timeout {
            Some(limit) => tokio::time::timeout(limit, call.transport.send(request))
                .await
                .unwrap_or_else(|_| {
                    Err(TransportError {
                        kind: TransportErrorKind::Timeout,
                        message: format!("no complete response within the attempt timeout of {limit:?}"),
                    })
                }),
            None => call.transport.send(request).await,
        };
        let sent = sent.and_then(|response| {
            if response.body.len() > inner.max_response_body_size {
                Err(TransportError::response_too_large(inner.max_response_body_size))
            } else {
                Ok(response)
            }
        });
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                tracing::debug!(kind = ?error.kind, error = %error.message, "no response");
                let outcome = AttemptOutcome::Transport(error.kind);
                self.update_rate_limiter(&outcome);
                return match call.retry.after_attempt(attempt, &outcome, &mut call.state) {
                    Some(delay) => Step::Retry(delay),
                    None => Step::Done(Err(CallError::Transport(error))),
                };
            }
        };
        log_response(&response, span);
        let measured = if call.correct_skew {
            skew::measure(&response, sent_at, || inner.clock.now())
        } else {
            None
        };
        if let Some(measured) = measured {
            call.skew = measured;
            inner.clock_skew.set(measured);
        }

        if (200..300).contains(&response.status) {
            // Whether it counts as a success for the retry quota depends on whether the operation can read it
            // (see `LastResponse`); for the rate limiter it is not a throttle either way.
            self.update_rate_limiter(&AttemptOutcome::Success);
            return Step::Done(Ok(response));
        }
        let (meta, _) = json::error_metadata(&response);
        let outcome = if !call.skew_retried && skew::is_clock_skew_error(meta.code(), measured) {
            tracing::debug!(skew = %call.skew, "the service refused the request's time; correcting the clock");
            call.skew_retried = true;
            AttemptOutcome::ClockSkew
        } else {
            AttemptOutcome::from_response(&response, meta.code())
        };
        self.update_rate_limiter(&outcome);
        match call.retry.after_attempt(attempt, &outcome, &mut call.state) {
            Some(delay) => Step::Retry(delay),
            None => Step::Done(Ok(response)),
        }
    }
}

impl Client {
    /// Adaptive mode, before an attempt: wait until the rate limiter grants a token, re-asking after each wait
    /// (other calls may have taken the tokens meanwhile), as `bucket.py`'s `acquire` and aws-sdk-rust's send loop
    /// (`orchestrator.rs`) do. A clock that did not move through a wait (a fixed test clock with a sleep that
    /// returns at once) would never earn the token: then the attempt goes ahead.
    async fn acquire_send_token(&self) {
        let Some(limiter) = &self.inner.rate_limiter else {
            return;
        };
        let mut now = self.inner.clock.now();
        while let Err(wait) = limiter.acquire(now) {
            tracing::debug!(?wait, "waiting for the adaptive retry mode's rate limiter");
            self.inner.sleep.sleep(wait).await;
            let after = self.inner.clock.now();
            if after <= now {
                tracing::debug!("the clock did not move while waiting for the rate limiter; sending anyway");
                return;
            }
            now = after;
        }
    }

    /// Adaptive mode, after an attempt: tell the rate limiter whether it was throttled (a throttling error as
    /// [`classify`] sees it, the same error codes and 429 that standard mode retries as throttling).
    fn update_rate_limiter(&self, outcome: &AttemptOutcome<'_>) {
        if let Some(limiter) = &self.inner.rate_limiter {
            let throttled = classify(outcome) == Some(RetryKind::Throttling);
            limiter.update(self.inner.clock.now(), throttled);
        }
    }
}

/// What every attempt of one call shares.
struct Call<'a> {
    transport: &'a dyn Transport,
    retry: &'a RetryStrategy,
    region: &'a str,
    /// The endpoint's SigV4 settings (signing name and region overrides).
    sigv4: SigV4Settings,
    /// The request before signing; each attempt signs a copy.
    unsigned: HttpRequest,
    state: CallState,
    /// Whether clock skew correction is on.
    correct_skew: bool,
    /// The skew the next attempt signs with: the client's at the start, then each response's.
    skew: ClockSkew,
    /// Whether an attempt was already retried as a clock-skew error: that happens once per call.
    skew_retried: bool,
}

/// What an attempt leaves the call to do.
enum Step {
    /// End the call with this response (success or error) or failure.
    Done(Result<HttpResponse, CallError>),
    /// Wait this long, then try again.
    Retry(Duration),
}

/// The response that ended a call. A 2xx is a success for the retry quota only once the operation has read it:
/// a success body that does not fit the model is not retried and leaves the quota alone.
struct LastResponse<'a> {
    response: HttpResponse,
    retry: &'a RetryStrategy,
    attempt: u32,
    state: CallState,
}

impl LastResponse<'_> {
    /// The operation read the response as its output: credit the retry quota.
    fn succeeded(mut self) {
        let _ = self
            .retry
            .after_attempt(self.attempt, &AttemptOutcome::Success, &mut self.state);
    }
}

/// Why the call loop produced no response. The same for every operation; [`CallError::into_sdk`] makes it the
/// operation's [`SdkError`].
#[derive(Debug)]
enum CallError {
    Config(ConfigError),
    Endpoint(EndpointError),
    Credentials(CredentialsError),
    Signing(String),
    Transport(TransportError),
    Timeout(Duration),
}

impl CallError {
    fn into_sdk<E>(self) -> SdkError<E> {
        match self {
            CallError::Config(e) => SdkError::Config(e),
            CallError::Endpoint(e) => SdkError::Endpoint(e),
            CallError::Credentials(e) => SdkError::Credentials(e),
            CallError::Signing(e) => SdkError::Signing(e),
            CallError::Transport(e) => SdkError::DispatchFailure(e),
            CallError::Timeout(limit) => SdkError::TimeoutError(limit),
        }
    }
}

fn log_request(request: &HttpRequest) {
    if tracing::enabled!(tracing::Level::DEBUG) {
        let headers = loggable_headers(&request.headers);
        tracing::debug!(method = %request.method, url = %request.url, ?headers, "sending request");
    }
    if tracing::enabled!(tracing::Level::TRACE) {
        tracing::trace!(body = %String::from_utf8_lossy(&request.body), "request body");
    }
}

fn log_response(response: &HttpResponse, span: &tracing::Span) {
    span.record("status", response.status);
    if let Some(id) = response.header("x-amzn-requestid") {
        span.record("request_id", id);
    }
    if tracing::enabled!(tracing::Level::DEBUG) {
        let headers = loggable_headers(&response.headers);
        tracing::debug!(status = response.status, ?headers, "received response");
    }
    if tracing::enabled!(tracing::Level::TRACE) {
        tracing::trace!(body = %String::from_utf8_lossy(&response.body), "response body");
    }
}
