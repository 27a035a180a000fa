//! One call, start to finish: validate, serialize, resolve the endpoint, sign, send, parse.
//!
//! Generated crates describe each operation with [`Operation`] and their service with [`ServiceMeta`]; this
//! module does the rest, the same way for every operation.

use crate::clock::Clock;
use crate::compression::{self, CompressionSettings};
use crate::config::{Config, ConfigError};
use crate::credentials::{CredentialsChain, EnvironmentProvider, ProvideCredentials};
use crate::endpoint::{BuiltIns, Endpoint, EndpointError, Resolver};
use crate::env::Env;
use crate::error::{ErrorMetadata, ResponseError, SdkError};
use crate::protocol::json::{self, DecodeError, JsonWriter};
use crate::transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError};
use crate::validate::{Validate, ValidationMode};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

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
    validation: ValidationMode,
    compression: Result<CompressionSettings, ConfigError>,
    transport: Result<Arc<dyn Transport>, TransportError>,
    clock: Arc<dyn Clock>,
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
            .field("validation", &inner.validation)
            .field("compression", &inner.compression)
            .field("transport", &inner.transport)
            .field("clock", &inner.clock)
            .finish()
    }
}

fn env_bool(env: &Env, name: &str) -> Result<Option<bool>, ConfigError> {
    match env.get(name) {
        None => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(v) => Err(ConfigError::Invalid {
            setting: name.to_owned(),
            reason: format!("expected true or false, got {v:?}"),
        }),
    }
}

impl Client {
    /// A client for `service`. Settings missing from `config` are looked up in its environment now; a missing
    /// region or unusable setting is reported on the first call, naming every place that was checked.
    pub fn new(service: &'static ServiceMeta, config: Config) -> Client {
        let env = &config.env;
        let region = config
            .region
            .clone()
            .or_else(|| env.get("AWS_REGION"))
            .or_else(|| env.get("AWS_DEFAULT_REGION"))
            .ok_or_else(|| ConfigError::NoRegion {
                looked_in: vec![
                    "Config::region".into(),
                    "AWS_REGION".into(),
                    "AWS_DEFAULT_REGION".into(),
                ],
            });
        let endpoint = resolve_endpoint(service, &config, region.as_ref().ok());
        let compression = compression_settings(&config);
        let credentials = config
            .credentials
            .clone()
            .unwrap_or_else(|| Arc::new(CredentialsChain::new().or_else(EnvironmentProvider::new(env.clone()))));
        let transport = match config.transport.clone() {
            Some(t) => Ok(t),
            None => ReqwestTransport::new().map(|t| Arc::new(t) as Arc<dyn Transport>),
        };
        Client {
            inner: Arc::new(Inner {
                service,
                region,
                endpoint,
                credentials,
                validation: config.validation,
                compression,
                transport,
                clock: config.clock.clone(),
            }),
        }
    }

    /// Performs operation `O` with `input`.
    pub async fn invoke<O: Operation>(&self, input: &O::Input) -> Result<O::Output, SdkError<O::Error>> {
        let inner = &*self.inner;
        input.validate_with(inner.validation).map_err(SdkError::Validation)?;
        let region = inner.region.as_ref().map_err(|e| SdkError::Config(e.clone()))?;
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
        let mut request = build_request(inner.service, O::NAME, endpoint, body);
        if let Some(encoding) = content_encoding {
            let value = compression::append_encoding(request.header("content-encoding"), encoding);
            request
                .headers
                .retain(|(n, _)| !n.eq_ignore_ascii_case("content-encoding"));
            request.headers.push(("content-encoding".into(), value));
        }

        let credentials = inner
            .credentials
            .provide_credentials()
            .await
            .map_err(SdkError::Credentials)?;
        crate::sign::sign(
            &mut request,
            &credentials,
            region,
            inner.service.signing_name,
            inner.clock.now(),
        )
        .map_err(SdkError::Signing)?;
        // Like botocore, the length is set on the prepared request, after signing.
        let length = request.body.len().to_string();
        request.headers.push(("content-length".into(), length));

        let response = transport.send(request).await.map_err(SdkError::Transport)?;
        parse_response::<O>(&response)
    }
}

fn compression_settings(config: &Config) -> Result<CompressionSettings, ConfigError> {
    let env = &config.env;
    let disabled = match config.disable_request_compression {
        Some(disabled) => disabled,
        None => env_bool(env, "AWS_DISABLE_REQUEST_COMPRESSION")?.unwrap_or(false),
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

fn resolve_endpoint(
    service: &ServiceMeta,
    config: &Config,
    region: Option<&String>,
) -> Result<Endpoint, EndpointError> {
    let env = &config.env;
    let invalid = |e: ConfigError| EndpointError { message: e.to_string() };
    let builtins = BuiltIns {
        region: region.cloned(),
        use_fips: match config.use_fips {
            Some(on) => on,
            None => env_bool(env, "AWS_USE_FIPS_ENDPOINT")
                .map_err(invalid)?
                .unwrap_or(false),
        },
        use_dual_stack: match config.use_dual_stack {
            Some(on) => on,
            None => env_bool(env, "AWS_USE_DUALSTACK_ENDPOINT")
                .map_err(invalid)?
                .unwrap_or(false),
        },
        endpoint: config
            .endpoint_url
            .clone()
            .or_else(|| env.get(&format!("AWS_ENDPOINT_URL_{}", service.env_suffix)))
            .or_else(|| env.get("AWS_ENDPOINT_URL")),
    };
    Resolver::new(service.endpoint_rule_set, service.partitions)?.resolve(&builtins)
}

/// The unsigned awsJson request for operation `name` with `body`.
pub fn build_request(service: &ServiceMeta, name: &str, endpoint: &Endpoint, body: Vec<u8>) -> HttpRequest {
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
            ("user-agent".into(), service.user_agent.to_owned()),
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
