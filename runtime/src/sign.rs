//! SigV4 signing through `aws-sigv4`.
//!
//! The signed headers are exactly those on the request (minus `user-agent`, which proxies rewrite), plus
//! `x-amz-date` and, for temporary credentials, `x-amz-security-token`. For awsJson that is
//! `amz-sdk-invocation-id`, `amz-sdk-request`, `content-type`, `host`, `x-amz-date`, `x-amz-security-token` and
//! `x-amz-target`.

use crate::credentials::Credentials;
use crate::endpoint::SigV4Settings;
use crate::transport::HttpRequest;
use aws_sigv4::http_request::{
    sign as sigv4_sign, PercentEncodingMode, SignableBody, SignableRequest, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4::SigningParams;
use std::time::SystemTime;

/// Signs `request` in place: adds `x-amz-date`, `authorization` and, when there is a session token,
/// `x-amz-security-token`. `region` and `signing_name` (e.g. `elasticmapreduce`) form the credential scope; `time`
/// is the signing time (the client passes its clock's time, corrected for skew). The body is hashed as it is.
///
/// `Err` is `aws-sigv4`'s message when it cannot sign the request (a URL or header it cannot read); the client
/// returns it as [`SdkError::Signing`](crate::SdkError::Signing).
pub fn sign(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), String> {
    sign_for_endpoint(
        request,
        credentials,
        region,
        signing_name,
        &SigV4Settings::default(),
        time,
    )
}

/// [`sign`], with the endpoint's `sigv4` settings ([`crate::endpoint::Endpoint::sigv4`]): where set, they override
/// `region` and `signing_name`, and the path's encoding and normalisation.
pub fn sign_for_endpoint(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    endpoint: &SigV4Settings,
    time: SystemTime,
) -> Result<(), String> {
    let region = endpoint.signing_region.as_deref().unwrap_or(region);
    let signing_name = endpoint.signing_name.as_deref().unwrap_or(signing_name);
    let mut settings = SigningSettings::default();
    if endpoint.disable_double_encoding {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
    }
    if endpoint.disable_normalize_path {
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    let params = SigningParams::builder()
        .identity(credentials.identity())
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let signable = SignableRequest::new(
        &request.method,
        request.url.as_str(),
        request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(&request.body),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _signature) = sigv4_sign(signable, &params).map_err(|e| e.to_string())?.into_parts();
    let (headers, _params) = instructions.into_parts();
    for header in headers {
        request
            .headers
            .push((header.name().to_owned(), header.value().to_owned()));
    }
    Ok(())
}
