//! One call, start to finish: validate, serialize, resolve the endpoint, sign, send, parse.
//!
//! Generated crates describe each operation with [`Operation`] and their service with [`ServiceMeta`]; this
//! module does the rest, the same way for every operation.

use crate::clock::Clock;
use crate::config::resolve::Settings;
use crate::config::{Config, ConfigError};
use crate::credentials::{DefaultChain, ProvideCredentials};
use crate::endpoint::{BuiltIns, Endpoint, EndpointError, Resolver};
use crate::error::{ErrorMetadata, ResponseError, SdkError};
use crate::protocol::json::{self, DecodeError, JsonWriter};
use crate::transport::{HttpRequest, HttpResponse, ReqwestTransport, Transport, TransportError};
use crate::validate::{Validate, ValidationMode};
use serde_json::Value;
use std::fmt;
use std::sync::{Arc, OnceLock};

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
            .field("user_agent", &inner.user_agent)
            .field("validation", &inner.validation)
            .field("transport", &inner.transport)
            .field("clock", &inner.clock)
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
                user_agent,
                validation: config.validation,
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
        let transport = inner.transport.as_ref().map_err(|e| SdkError::Transport(e.clone()))?;

        let mut body = JsonWriter::new();
        O::serialize(input, &mut body);
        let mut request = build_request(inner.service, O::NAME, endpoint, body.finish());
        set_header(&mut request, "user-agent", &inner.user_agent);

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

        let response = transport.send(request).await.map_err(SdkError::Transport)?;
        parse_response::<O>(&response)
    }
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

/// Replaces the value of header `name` (lower-case), or adds it.
fn set_header(request: &mut HttpRequest, name: &str, value: &str) {
    match request.headers.iter_mut().find(|(n, _)| n == name) {
        Some((_, v)) => value.clone_into(v),
        None => request.headers.push((name.to_owned(), value.to_owned())),
    }
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
