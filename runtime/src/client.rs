//! One call, start to finish: validate, serialize, resolve the endpoint, then attempts until one succeeds or
//! retrying stops: sign, send, parse.
//!
//! Generated crates describe each operation with [`Operation`] and their service with [`ServiceMeta`]; this
//! module does the rest, the same way for every operation.
//!
//! Each attempt is signed afresh (a new `x-amz-date` from the client's clock), limited by the attempt timeout if
//! there is one, and judged by the client's [`RetryStrategy`], which all its calls share; the waits between
//! attempts go through the configured [`Sleep`]. The operation timeout, if any, covers the whole loop.
//!
//! Tracing: a span `call` (`service`, `operation`) per call and a span `attempt` (`attempt`, then `status` and
//! `request_id`) per attempt. Request and response headers are logged at `DEBUG`, with `authorization` and
//! `x-amz-security-token` always redacted; bodies only at `TRACE`.

use crate::clock::Clock;
use crate::compression::{self, CompressionSettings};
use crate::config::resolve::Settings;
use crate::config::{resolve_retry_config, Config, ConfigError};
use crate::credentials::{DefaultChain, ProvideCredentials};
use crate::endpoint::{BuiltIns, Endpoint, EndpointError, Resolver};
use crate::error::{ErrorMetadata, ResponseError, SdkError};
use crate::protocol::json::{self, DecodeError, JsonWriter};
use crate::retry::{AttemptOutcome, CallState, RandomJitter, RetryStrategy, Sleep};
use crate::transport::{
    loggable_headers, HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError, TransportErrorKind,
    DEFAULT_CONNECT_TIMEOUT,
};
use crate::validate::{Validate, ValidationMode};
use serde_json::Value;
use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tracing::Instrument;

/// What a generated crate says about its service.
#[derive(Debug)]
pub struct ServiceMeta {
    /// The model's `serviceId`, e.g. `EMR`.
    pub service_id: &'static str,
    /// The suffix of the service's endpoint variable, `AWS_ENDPOINT_URL_<suffix>`, e.g. `EMR`.
    pub env_suffix: &'static str,
    /// The SigV4 signing name, e.g. `elasticmapreduce`.
    pub signing_name: &'static str,
    /// The `X-Amz-Target` prefix, e.g. `ElasticMapReduce`.
    pub target_prefix: &'static str,
    /// The awsJson version: `1.0` or `1.1`.
    pub json_version: &'static str,
    /// The user agent: the generated crate's name and version, e.g. `lean-emr/0.1.0`.
    pub user_agent: &'static str,
    /// The endpoint rule set (`endpoint-rule-set-1.json` text).
    pub endpoint_rule_set: &'static str,
    /// The partitions (`partitions.json` text).
    pub partitions: &'static str,
    /// The resolver built from the two texts above, on first use, then shared by every client.
    pub resolver: OnceLock<Result<Resolver, EndpointError>>,
}

/// One operation of a service, as the generator describes it.
pub trait Operation {
    /// The operation name, e.g. `UpdateStudioSessionMapping`.
    const NAME: &'static str;
    /// The input type.
    type Input: Validate;
    /// The output type.
    type Output;
    /// The operation's error enum: modelled errors plus a catch-all.
    type Error;

    /// Writes the input as the request body.
    fn serialize(input: &Self::Input, out: &mut JsonWriter);
    /// Reads a success response body.
    fn deserialize_output(body: &Value, request_id: Option<String>) -> Result<Self::Output, DecodeError>;
    /// Reads an error response: a modelled error when the code is known, else the catch-all.
    fn deserialize_error(body: &Value, meta: ErrorMetadata) -> Self::Error;

    /// The encodings the operation accepts for a compressed request body (`requestcompression`), e.g. `["gzip"]`.
    const REQUEST_COMPRESSION: &'static [&'static str] = &[];

    /// The prefix for the endpoint's host name (the endpoint trait), with any `{label}` filled from `input`,
    /// e.g. `foo.bar.`.
    fn host_prefix(input: &Self::Input) -> Option<String> {
        let _ = input;
        None
    }
}

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
    sleep: Arc<dyn Sleep>,
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
            .field("sleep", &inner.sleep)
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
        let region = settings.region.clone();
        let endpoint = resolve_endpoint(service, &settings);
        let credentials = config.credentials.clone().unwrap_or_else(|| {
            let mut chain = DefaultChain::new(config.env.clone())
                .fs(config.fs.clone())
                .profiles_or_error(
                    settings.profiles.clone(),
                    settings.profile_error.as_ref().map(ToString::to_string),
                )
                .clock(config.clock.clone());
            if let Some(name) = &config.profile_name {
                chain = chain.profile_name(name.clone());
            }
            if let Ok(region) = &settings.region {
                chain = chain.region(region.clone());
            }
            Arc::new(chain.build())
        });
        let user_agent = settings.user_agent(service.user_agent);
        let compression = compression_settings(&config);
        let transport = match config.transport.clone() {
            Some(t) => Ok(t),
            None => ReqwestTransport::with_timeouts(
                config.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                config.read_timeout,
            )
            .map(|t| Arc::new(t.max_response_body_size(config.max_response_body_size)) as Arc<dyn Transport>),
        };
        let profile = settings.profiles.profile(&settings.profile_name);
        let retry = resolve_retry_config(config.retry_config, &config.env, profile).map(|retry| {
            let jitter = config.jitter.clone().unwrap_or_else(|| Arc::new(RandomJitter::new()));
            RetryStrategy::new(retry, jitter)
        });
        Client {
            inner: Arc::new(Inner {
                service,
                region,
                endpoint,
                credentials,
                user_agent,
                validation: config.validation,
                compression,
                transport,
                clock: config.clock.clone(),
                retry,
                sleep: config.sleep.clone(),
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

    /// Performs operation `O` with `input`, retrying as configured.
    pub async fn invoke<O: Operation>(&self, input: &O::Input) -> Result<O::Output, SdkError<O::Error>> {
        let span = tracing::info_span!("call", service = self.inner.service.service_id, operation = O::NAME);
        let call = self.call::<O>(input).instrument(span);
        match self.inner.operation_timeout {
            Some(limit) => tokio::time::timeout(limit, call)
                .await
                .unwrap_or(Err(SdkError::Timeout(limit))),
            None => call.await,
        }
    }

    async fn call<O: Operation>(&self, input: &O::Input) -> Result<O::Output, SdkError<O::Error>> {
        let inner = &*self.inner;
        input.validate_with(inner.validation).map_err(SdkError::Validation)?;
        let region = inner.region.as_ref().map_err(|e| SdkError::Config(e.clone()))?;
        let retry = inner.retry.as_ref().map_err(|e| SdkError::Config(e.clone()))?;
        let endpoint = inner.endpoint.as_ref().map_err(|e| SdkError::Endpoint(e.clone()))?;
        let compression = inner.compression.as_ref().map_err(|e| SdkError::Config(e.clone()))?;
        let transport = inner.transport.as_ref().map_err(|e| SdkError::Transport(e.clone()))?;

        let prefixed;
        let endpoint = match O::host_prefix(input) {
            Some(prefix) => {
                prefixed = crate::host_prefix::apply(endpoint, &prefix).map_err(SdkError::Endpoint)?;
                &prefixed
            }
            None => endpoint,
        };
        let mut body = JsonWriter::new();
        O::serialize(input, &mut body);
        let mut body = body.finish();
        let mut content_encoding = None;
        if let Some((encoding, compressed)) = compression::compress(&body, O::REQUEST_COMPRESSION, compression) {
            body = compressed;
            content_encoding = Some(encoding);
        }
        let mut request = build_request(inner.service, O::NAME, endpoint, &inner.user_agent, body);
        if let Some(encoding) = content_encoding {
            let value = compression::append_encoding(request.header("content-encoding"), encoding);
            request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("content-encoding"));
            request.headers.push(("content-encoding".into(), value));
        }
        let mut call = Call {
            transport: transport.as_ref(),
            retry,
            region,
            unsigned: request,
            state: CallState::default(),
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
            let step = self
                .attempt::<O>(&mut call, attempt, &span)
                .instrument(span.clone())
                .await;
            match step {
                Step::Done(result) => return result,
                Step::Retry(delay) => {
                    tracing::debug!(attempt, ?delay, "retrying");
                    inner.sleep.sleep(delay).await;
                }
            }
        }
    }

    /// One attempt: sign, send, judge. Returns the call's result, or how long to wait before the next attempt.
    async fn attempt<O: Operation>(&self, call: &mut Call<'_>, attempt: u32, span: &tracing::Span) -> Step<O> {
        let inner = &*self.inner;
        let credentials = match inner.credentials.provide_credentials().await {
            Ok(c) => c,
            Err(e) => return Step::Done(Err(SdkError::Credentials(e))),
        };
        let mut request = call.unsigned.clone();
        let signed = crate::sign::sign(
            &mut request,
            &credentials,
            call.region,
            inner.service.signing_name,
            inner.clock.now(),
        );
        if let Err(e) = signed {
            return Step::Done(Err(SdkError::Signing(e)));
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
                return match call.retry.after_attempt(attempt, &outcome, &mut call.state) {
                    Some(delay) => Step::Retry(delay),
                    None => Step::Done(Err(SdkError::Transport(error))),
                };
            }
        };
        log_response(&response, span);

        if (200..300).contains(&response.status) {
            let result = parse_response::<O>(&response);
            // A success feeds the quota; a malformed success is not retried and leaves the quota alone.
            let outcome = match result {
                Ok(_) => AttemptOutcome::Success,
                Err(_) => AttemptOutcome::from_response(&response, None),
            };
            let _ = call.retry.after_attempt(attempt, &outcome, &mut call.state);
            return Step::Done(result);
        }
        let (meta, body) = json::error_metadata(&response);
        let outcome = AttemptOutcome::from_response(&response, meta.code.as_deref());
        match call.retry.after_attempt(attempt, &outcome, &mut call.state) {
            Some(delay) => Step::Retry(delay),
            None => Step::Done(Err(SdkError::Service(O::deserialize_error(&body, meta)))),
        }
    }
}

/// What every attempt of one call shares.
struct Call<'a> {
    transport: &'a dyn Transport,
    retry: &'a RetryStrategy,
    region: &'a str,
    /// The request before signing; each attempt signs a copy.
    unsigned: HttpRequest,
    state: CallState,
}

/// What an attempt leaves the call to do.
enum Step<O: Operation> {
    /// Return this.
    Done(Result<O::Output, SdkError<O::Error>>),
    /// Wait this long, then try again.
    Retry(Duration),
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

fn compression_settings(config: &Config) -> Result<CompressionSettings, ConfigError> {
    let env = &config.env;
    let disabled = match config.disable_request_compression {
        Some(disabled) => disabled,
        None => {
            let name = "AWS_DISABLE_REQUEST_COMPRESSION";
            crate::config::resolve::parse_bool(name, env.get(name).as_deref())?.unwrap_or(false)
        }
    };
    let (setting, min_size_bytes) = match config.request_min_compression_size_bytes {
        Some(bytes) => ("Config::request_min_compression_size_bytes", Some(bytes)),
        None => {
            let name = "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES";
            let bytes = env
                .get(name)
                .map(|v| {
                    v.trim().parse::<u32>().map_err(|_| ConfigError::Invalid {
                        setting: name.to_owned(),
                        reason: format!("expected a whole number of bytes, got {v:?}"),
                    })
                })
                .transpose()?;
            (name, bytes)
        }
    };
    let min_size_bytes = min_size_bytes.unwrap_or(compression::DEFAULT_MIN_SIZE_BYTES);
    if min_size_bytes > compression::MAX_MIN_SIZE_BYTES {
        return Err(ConfigError::Invalid {
            setting: setting.to_owned(),
            reason: format!(
                "must be at most {} bytes, got {min_size_bytes}",
                compression::MAX_MIN_SIZE_BYTES
            ),
        });
    }
    Ok(CompressionSettings {
        disabled,
        min_size_bytes,
    })
}

fn resolve_endpoint(service: &ServiceMeta, settings: &Settings) -> Result<Endpoint, EndpointError> {
    let invalid = |e: &ConfigError| EndpointError { message: e.to_string() };
    let builtins = BuiltIns {
        region: settings.region.as_ref().ok().cloned(),
        use_fips: *settings.use_fips.as_ref().map_err(invalid)?,
        use_dual_stack: *settings.use_dual_stack.as_ref().map_err(invalid)?,
        endpoint: settings.endpoint_url.as_ref().map_err(invalid)?.clone(),
    };
    let resolver = service
        .resolver
        .get_or_init(|| Resolver::new(service.endpoint_rule_set, service.partitions));
    resolver.as_ref().map_err(Clone::clone)?.resolve(&builtins)
}

/// The unsigned awsJson request for operation `name` with `body`; `user_agent` is the service's, with any app id.
pub fn build_request(
    service: &ServiceMeta,
    name: &str,
    endpoint: &Endpoint,
    user_agent: &str,
    body: Vec<u8>,
) -> HttpRequest {
    let base = endpoint.url.trim_end_matches('/');
    let authority = base.split_once("://").map_or(base, |(_, rest)| rest);
    let authority = authority.split(['/', '?']).next().unwrap_or(authority);
    // The operation's request URI is `/`, appended to any path the endpoint carries.
    let url = format!("{base}/");
    HttpRequest {
        method: "POST".into(),
        url,
        headers: vec![
            (
                "content-type".into(),
                format!("application/x-amz-json-{}", service.json_version),
            ),
            ("host".into(), authority.to_owned()),
            ("user-agent".into(), user_agent.to_owned()),
            ("x-amz-target".into(), format!("{}.{}", service.target_prefix, name)),
        ],
        body,
    }
}

/// Turns a response into the operation's output or error.
pub fn parse_response<O: Operation>(response: &HttpResponse) -> Result<O::Output, SdkError<O::Error>> {
    let request_id = json::request_id(response);
    if (200..300).contains(&response.status) {
        let malformed = |e: DecodeError| {
            SdkError::Response(ResponseError {
                message: e.to_string(),
                status: response.status,
                request_id: request_id.clone(),
            })
        };
        let body = json::parse_body(&response.body).map_err(malformed)?;
        if !body.is_object() {
            return Err(malformed(DecodeError::new("expected a JSON object")));
        }
        return O::deserialize_output(&body, request_id.clone()).map_err(malformed);
    }
    let (meta, body) = json::error_metadata(response);
    Err(SdkError::Service(O::deserialize_error(&body, meta)))
}
