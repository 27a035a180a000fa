//! A small hand-written STS client: `AssumeRole` (SigV4-signed) and `AssumeRoleWithWebIdentity` (unsigned), over
//! the AWS query protocol (form-encoded POST, XML response).
//!
//! Only what the credential providers need: the `Credentials` element of a successful response, and the code,
//! message and request id of an error response.

use super::common::{check_endpoint, parse_timestamp, percent_encode, send_bounded, truncate, TransportSlot};
use super::{Credentials, CredentialsError};
use crate::clock::{Clock, SystemClock};
use crate::env::Env;
use crate::transport::{host_header, HttpRequest, Transport};
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

const CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Where and how to call STS. Cheap to clone.
#[derive(Clone)]
pub struct StsClient {
    region: Option<String>,
    endpoint: Option<String>,
    transport: TransportSlot,
    clock: Arc<dyn Clock>,
    timeout: Duration,
}

impl StsClient {
    /// STS in `region` (`https://sts.{region}.amazonaws.com`), or the global endpoint `https://sts.amazonaws.com`
    /// when `None`. Uses an [`HttpsTransport`](crate::transport::HttpsTransport) with the proxies of the process
    /// environment, the system clock and a 10 s timeout per call.
    pub fn new(region: Option<String>) -> Self {
        StsClient {
            region: region.filter(|r| !r.is_empty()),
            endpoint: None,
            transport: TransportSlot::default_with(Duration::from_secs(3), Some(Env::process())),
            clock: Arc::new(SystemClock),
            timeout: Duration::from_secs(10),
        }
    }

    /// Region from `AWS_REGION` (or `AWS_DEFAULT_REGION`), endpoint from `AWS_ENDPOINT_URL_STS`, proxies (of the
    /// default transport) from `HTTPS_PROXY` and the other proxy variables, all read from `env`.
    pub fn from_env(env: &Env) -> Self {
        let mut client = StsClient::new(env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION")));
        client.endpoint = env.get("AWS_ENDPOINT_URL_STS");
        client.transport.set_proxy_env(env.clone());
        client
    }

    /// Reads the default transport's proxy variables from `env` instead of the process environment.
    pub(crate) fn with_proxy_env(mut self, env: Env) -> Self {
        self.transport.set_proxy_env(env);
        self
    }

    /// Calls this endpoint (e.g. `AWS_ENDPOINT_URL_STS` or a profile's `services` section) instead of the default.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sends requests through `transport` instead of the default
    /// [`HttpsTransport`](crate::transport::HttpsTransport).
    pub fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport.set(transport);
        self
    }

    /// Reads the signing time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Gives up on a call after `timeout`, instead of 10 s.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The region requests are signed for: the configured one, or `us-east-1` for the global endpoint.
    pub fn signing_region(&self) -> &str {
        self.region.as_deref().unwrap_or("us-east-1")
    }

    /// The URL requests go to: the endpoint set (without a trailing `/`), else the regional one, else the
    /// global one (see [`new`](Self::new)).
    pub fn endpoint(&self) -> String {
        match (&self.endpoint, &self.region) {
            (Some(endpoint), _) => endpoint.trim_end_matches('/').to_owned(),
            (None, Some(region)) => format!("https://sts.{region}.amazonaws.com"),
            (None, None) => "https://sts.amazonaws.com".to_owned(),
        }
    }

    /// `AssumeRole` (API version 2011-06-15), signed with `source`: the role's temporary credentials, with their
    /// expiry. A refusal, an unreadable answer or no answer is a [`CredentialsError::Failed`] from `STS AssumeRole`
    /// naming the STS error code and message where there are some.
    pub async fn assume_role(
        &self,
        request: &AssumeRoleRequest,
        source: &Credentials,
    ) -> Result<Credentials, CredentialsError> {
        let mut params = vec![
            ("Action", "AssumeRole".to_owned()),
            ("Version", "2011-06-15".to_owned()),
            ("RoleArn", request.role_arn.clone()),
            ("RoleSessionName", request.session_name.clone()),
        ];
        if let Some(external_id) = &request.external_id {
            params.push(("ExternalId", external_id.clone()));
        }
        if let Some(duration) = request.duration {
            params.push(("DurationSeconds", duration.as_secs().to_string()));
        }
        self.call("AssumeRole", &params, Some(source)).await
    }

    /// `AssumeRoleWithWebIdentity`, unsigned: the web identity token is the proof.
    pub async fn assume_role_with_web_identity(
        &self,
        role_arn: &str,
        session_name: &str,
        web_identity_token: &str,
    ) -> Result<Credentials, CredentialsError> {
        let params = [
            ("Action", "AssumeRoleWithWebIdentity".to_owned()),
            ("Version", "2011-06-15".to_owned()),
            ("RoleArn", role_arn.to_owned()),
            ("RoleSessionName", session_name.to_owned()),
            ("WebIdentityToken", web_identity_token.to_owned()),
        ];
        self.call("AssumeRoleWithWebIdentity", &params, None).await
    }

    async fn call(
        &self,
        action: &str,
        params: &[(&str, String)],
        signer: Option<&Credentials>,
    ) -> Result<Credentials, CredentialsError> {
        let source = format!("STS {action}");
        let fail = |reason: String| CredentialsError::failed(&source, reason);
        let url = check_endpoint(&format!("{}/", self.endpoint())).map_err(fail)?;
        let body = form_encode(params);
        // Signed as it is sent: the transport writes exactly this `Host`.
        let mut headers = vec![
            ("content-type".to_owned(), CONTENT_TYPE.to_owned()),
            ("host".to_owned(), host_header(&url)),
        ];
        if let Some(creds) = signer {
            let signed = self.sign(&url, &headers, &body, creds).map_err(fail)?;
            headers.extend(signed);
        }
        let request = HttpRequest {
            method: "POST".to_owned(),
            url,
            headers,
            body: body.into_bytes(),
        };
        let transport = self.transport.get(&source)?;
        let response = send_bounded(transport.as_ref(), request, self.timeout)
            .await
            .map_err(|e| fail(format!("calling {}: {e}", self.endpoint())))?;
        let text = String::from_utf8_lossy(&response.body);
        if response.status != 200 {
            return Err(fail(describe_error(response.status, &text)));
        }
        parse_credentials(&text).map_err(fail)
    }

    /// The SigV4 headers for a POST of `body` with `headers` to `url`.
    fn sign(
        &self,
        url: &str,
        headers: &[(String, String)],
        body: &str,
        creds: &Credentials,
    ) -> Result<Vec<(String, String)>, String> {
        let identity: Identity = aws_credential_types::Credentials::new(
            creds.access_key_id(),
            creds.secret_access_key(),
            creds.session_token().map(str::to_owned),
            creds.expiry(),
            "lean-aws-runtime",
        )
        .into();
        let params = SigningParams::builder()
            .identity(&identity)
            .region(self.signing_region())
            .name("sts")
            .time(self.clock.now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| format!("cannot sign: {e}"))?
            .into();
        let signable = SignableRequest::new(
            "POST",
            url,
            headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(body.as_bytes()),
        )
        .map_err(|e| format!("cannot sign: {e}"))?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| format!("cannot sign: {e}"))?
            .into_parts();
        Ok(instructions
            .headers()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned()))
            .collect())
    }
}

impl fmt::Debug for StsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StsClient")
            .field("endpoint", &self.endpoint())
            .field("signing_region", &self.signing_region())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// The parameters of an `AssumeRole` call.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssumeRoleRequest {
    /// The ARN of the role to assume, e.g. `arn:aws:iam::123456789012:role/Admin`.
    pub role_arn: String,
    /// The session name that appears in CloudTrail.
    pub session_name: String,
    /// The external id the role's trust policy asks for, if any. Treated as a secret: never shown by `Debug`.
    pub external_id: Option<String>,
    /// How long the credentials last; STS's default (one hour) when `None`.
    pub duration: Option<Duration>,
}

impl fmt::Debug for AssumeRoleRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleRequest")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("external_id", &self.external_id.as_ref().map(|_| "** redacted **"))
            .field("duration", &self.duration)
            .finish()
    }
}

/// `application/x-www-form-urlencoded`, with every byte outside the RFC 3986 unreserved set percent-encoded.
fn form_encode(params: &[(&str, String)]) -> String {
    let pairs: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect();
    pairs.join("&")
}

/// The credentials in a successful `AssumeRole*` response.
fn parse_credentials(xml: &str) -> Result<Credentials, String> {
    let creds = element(xml, "Credentials").ok_or("the response has no <Credentials> element")?;
    let field = |name: &str| -> Result<String, String> {
        let raw = element(creds, name).ok_or_else(|| format!("the response has no <{name}>"))?;
        unescape(raw.trim()).ok_or_else(|| format!("<{name}> holds a malformed XML entity"))
    };
    let expiration = field("Expiration")?;
    let expiry = parse_timestamp(&expiration)
        .ok_or_else(|| format!("<Expiration> is not an RFC 3339 timestamp: {expiration:?}"))?;
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        Some(field("SessionToken")?),
    )
    .with_expiry(expiry))
}

/// What an error response says: `HTTP 403: AccessDenied: message (request id ...)`.
fn describe_error(status: u16, xml: &str) -> String {
    // Bounded: a hostile or broken server does not get to fill the error message.
    let text = |xml: &str, name: &str| {
        element(xml, name)
            .and_then(|raw| unescape(raw.trim()))
            .map(|t| truncate(&t, 500))
    };
    let error = element(xml, "Error");
    let code = error.and_then(|e| text(e, "Code"));
    let message = error.and_then(|e| text(e, "Message"));
    let request_id = text(xml, "RequestId");
    let mut out = format!("HTTP {status}");
    match (code, message) {
        (Some(code), Some(message)) => out.push_str(&format!(": {code}: {message}")),
        (Some(code), None) => out.push_str(&format!(": {code}")),
        (None, Some(message)) => out.push_str(&format!(": {message}")),
        (None, None) => out.push_str(" with no STS error in the body"),
    }
    if let Some(id) = request_id {
        out.push_str(&format!(" (request id {id})"));
    }
    out
}

/// The raw content of the first `<name>` element (attributes allowed), or `None`. Not a general XML parser: STS
/// responses are flat, unique-named elements without CDATA.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut from = 0;
    while let Some(found) = xml[from..].find(&open) {
        let after_name = from + found + open.len();
        let rest = &xml[after_name..];
        match rest.chars().next() {
            Some('>') => {
                let start = after_name + 1;
                return xml[start..].find(&close).map(|end| &xml[start..start + end]);
            }
            Some(c) if c.is_whitespace() => {
                let tag_end = rest.find('>')?;
                if rest[..tag_end].ends_with('/') {
                    return Some(""); // `<name attr="..."/>`
                }
                let start = after_name + tag_end + 1;
                return xml[start..].find(&close).map(|end| &xml[start..start + end]);
            }
            Some('/') if rest.starts_with("/>") => return Some(""),
            _ => from = after_name, // a longer name sharing the prefix, e.g. `<CredentialsX>`
        }
    }
    None
}

/// Resolves the five predefined XML entities and numeric character references; `None` on a malformed one.
fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = rest[amp..].find(';')? + amp;
        let entity = &rest[amp + 1..semi];
        let ch = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    entity.strip_prefix('#')?.parse::<u32>().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(ch);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_entities_and_references() {
        assert_eq!(
            unescape("a&amp;b&lt;&gt;&quot;&apos;&#65;&#x42;&#X43;").as_deref(),
            Some("a&b<>\"'ABC")
        );
        assert_eq!(unescape("plain").as_deref(), Some("plain"));
        for bad in ["&", "&bogus;", "&#xZZ;", "&#1114112;", "&#xD800;", "&#;"] {
            assert_eq!(unescape(bad), None, "{bad}");
        }
    }

    #[test]
    fn finds_elements_with_attributes_and_skips_longer_names() {
        let xml = r#"<R xmlns="x"><CredentialsX>no</CredentialsX><Credentials a="1"><A>1</A></Credentials><E/></R>"#;
        assert_eq!(element(xml, "Credentials"), Some("<A>1</A>"));
        assert_eq!(
            element(xml, "R").map(|r| r.len()),
            Some(xml.len() - "<R xmlns=\"x\">".len() - "</R>".len())
        );
        assert_eq!(element(xml, "E"), Some(""));
        assert_eq!(element(xml, "Missing"), None);
        assert_eq!(element("<A>unclosed", "A"), None);
        assert_eq!(element("<A", "A"), None);
    }

    #[test]
    fn form_encoding_escapes_reserved_bytes() {
        let params = [
            ("RoleArn", "arn:aws:iam::1:role/a b+c".to_owned()),
            ("X", "é~".to_owned()),
        ];
        assert_eq!(
            form_encode(&params),
            "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc&X=%C3%A9~"
        );
    }

    #[test]
    fn endpoints() {
        assert_eq!(StsClient::new(None).endpoint(), "https://sts.amazonaws.com");
        assert_eq!(
            StsClient::new(Some("eu-west-1".into())).endpoint(),
            "https://sts.eu-west-1.amazonaws.com"
        );
        let env = Env::from_pairs([
            ("AWS_DEFAULT_REGION", "ap-south-1"),
            ("AWS_ENDPOINT_URL_STS", "http://l:1/"),
        ]);
        let client = StsClient::from_env(&env);
        assert_eq!(
            (client.endpoint().as_str(), client.signing_region()),
            ("http://l:1", "ap-south-1")
        );
    }

    #[test]
    fn error_descriptions() {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no &amp; no</Message>\
                   </Error><RequestId>r-1</RequestId></ErrorResponse>";
        assert_eq!(
            describe_error(403, xml),
            "HTTP 403: AccessDenied: no & no (request id r-1)"
        );
        assert_eq!(
            describe_error(502, "<html>bad gateway</html>"),
            "HTTP 502 with no STS error in the body"
        );
    }

    #[test]
    fn request_debug_hides_external_id() {
        let request = AssumeRoleRequest {
            role_arn: "arn:aws:iam::1:role/r".into(),
            session_name: "s".into(),
            external_id: Some("shared-secret".into()),
            duration: None,
        };
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("shared-secret") && shown.contains("redacted"),
            "{shown}"
        );
    }
}
