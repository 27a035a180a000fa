//! SigV4 verification: the `Authorization` header is taken apart, the request is signed again with exactly the
//! headers it names, its `X-Amz-Date` and the emulator's secret (by `aws-sigv4`, the same canonicalisation the
//! runtime signs with), and the signatures are compared in constant time.
//!
//! Rejections carry the service's codes and words (AWS's Coral framework, as recorded in DynamoDB emulators and
//! in users' reports): `MissingAuthenticationTokenException`, `IncompleteSignatureException`,
//! `InvalidSignatureException` (a wrong signature, a date more than 15 minutes off, a credential scoped to
//! another region or service) and `UnrecognizedClientException` (an unknown access key or a session token).

use crate::model::server::SIGNING_NAME;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use lean_aws_runtime::Credentials;
use std::time::{Duration, SystemTime};
use subtle::ConstantTimeEq;

/// How far a request's `X-Amz-Date` may be from the emulator's clock.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// A rejected request: HTTP status, error code, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// 400 or 403.
    pub status: u16,
    /// e.g. `InvalidSignatureException`.
    pub code: &'static str,
    /// The service's words.
    pub message: String,
}

fn reject(status: u16, code: &'static str, message: impl Into<String>) -> Rejection {
    Rejection {
        status,
        code,
        message: message.into(),
    }
}

const MISSING: &str = "MissingAuthenticationTokenException";
const INCOMPLETE: &str = "IncompleteSignatureException";
const INVALID: &str = "InvalidSignatureException";
const UNRECOGNIZED: &str = "UnrecognizedClientException";

/// The service's message for a signature that does not match.
pub const SIGNATURE_MISMATCH: &str = "The request signature we calculated does not match the signature you \
    provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// The service's message for an access key it does not know.
pub const UNKNOWN_KEY: &str = "The security token included in the request is invalid.";

/// What a request offers for verification.
#[derive(Debug)]
pub struct SignedRequest<'a> {
    /// `POST`.
    pub method: &'a str,
    /// The path and query, as sent.
    pub uri: &'a str,
    /// Every header, names in lower case; values that are not text are left out (they cannot be signed).
    pub headers: Vec<(&'a str, &'a str)>,
    /// The body.
    pub body: &'a [u8],
}

impl<'a> SignedRequest<'a> {
    fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }
}

/// Checks requests against the one access key the emulator was started with.
#[derive(Debug, Clone)]
pub struct Verifier {
    /// `Debug` shows the access key only.
    credentials: Credentials,
    region: String,
}

/// The parts of an `Authorization` header.
struct Authorization<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(header: &str) -> Result<Authorization<'_>, Rejection> {
    let (algorithm, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    if !algorithm.starts_with("AWS4-") {
        return Err(reject(403, MISSING, "Request is missing Authentication Token"));
    }
    if algorithm != "AWS4-HMAC-SHA256" {
        return Err(reject(
            400,
            INCOMPLETE,
            format!("Unsupported AWS 'algorithm': '{algorithm}' (only AWS4-HMAC-SHA256 for now). "),
        ));
    }
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split([',', ' ']).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => {}
        }
    }
    let mut missing = String::new();
    for (name, value) in [
        ("Credential", credential),
        ("Signature", signature),
        ("SignedHeaders", signed_headers),
    ] {
        if value.is_none_or(str::is_empty) {
            missing.push_str(&format!("Authorization header requires '{name}' parameter. "));
        }
    }
    match (credential, signed_headers, signature) {
        (Some(credential), Some(signed_headers), Some(signature)) if missing.is_empty() => Ok(Authorization {
            credential,
            signed_headers,
            signature,
        }),
        _ => Err(reject(400, INCOMPLETE, format!("{missing}Authorization={header}"))),
    }
}

/// `20240102T030405Z` → the time it names.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !digits(0..8) || !digits(9..15) {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    let t = DateTime::from_str(&rfc3339, Format::DateTime).ok()?;
    SystemTime::try_from(t).ok()
}

/// A time as `X-Amz-Date` writes it.
pub fn amz_date(t: SystemTime) -> String {
    let secs = DateTime::from(t).secs();
    DateTime::from_secs(secs)
        .fmt(Format::DateTime)
        .unwrap_or_default()
        .replace(['-', ':'], "")
}

impl Verifier {
    /// A verifier for `credentials` (a session token in them is not used: requests with one are refused) in
    /// `region`.
    pub fn new(credentials: Credentials, region: impl Into<String>) -> Self {
        Verifier {
            credentials,
            region: region.into(),
        }
    }

    /// Checks `request` at time `now`.
    pub fn verify(&self, request: &SignedRequest<'_>, now: SystemTime) -> Result<(), Rejection> {
        let Some(header) = request.header("authorization") else {
            return Err(reject(403, MISSING, "Missing Authentication Token"));
        };
        let auth = parse_authorization(header)?;
        let Some(date_text) = request.header("x-amz-date") else {
            return Err(reject(
                400,
                INCOMPLETE,
                format!(
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. \
                     Authorization={header}"
                ),
            ));
        };
        let date = parse_amz_date(date_text).ok_or_else(|| {
            reject(
                400,
                INCOMPLETE,
                format!("Date must be in ISO-8601 'basic format'. Got '{date_text}'. See http://en.wikipedia.org/wiki/ISO_8601"),
            )
        })?;
        if date + MAX_SKEW < now {
            return Err(reject(
                403,
                INVALID,
                format!(
                    "Signature expired: {date_text} is now earlier than {} ({} - 15 min.)",
                    amz_date(now - MAX_SKEW),
                    amz_date(now)
                ),
            ));
        }
        if date > now + MAX_SKEW {
            return Err(reject(
                403,
                INVALID,
                format!(
                    "Signature not yet current: {date_text} is still later than {} ({} + 15 min.)",
                    amz_date(now + MAX_SKEW),
                    amz_date(now)
                ),
            ));
        }
        let signed: Vec<&str> = auth.signed_headers.split(';').collect();
        if !signed.iter().any(|h| h.eq_ignore_ascii_case("host")) {
            return Err(reject(
                403,
                INVALID,
                "'Host' must be a 'SignedHeader' in the AWS Authorization.",
            ));
        }
        let scope: Vec<&str> = auth.credential.trim_end_matches('/').split('/').collect();
        let [key_id, day, region, service, terminator] = scope.as_slice() else {
            return Err(reject(
                400,
                INCOMPLETE,
                format!(
                    "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, \
                     got '{}'",
                    auth.credential
                ),
            ));
        };
        let mut wrong_scope = String::new();
        if *region != self.region {
            wrong_scope.push_str(&format!(
                "Credential should be scoped to a valid region, not '{region}'. "
            ));
        }
        if *service != SIGNING_NAME {
            wrong_scope.push_str(&format!(
                "Credential should be scoped to correct service: '{SIGNING_NAME}'. "
            ));
        }
        if *terminator != "aws4_request" {
            wrong_scope.push_str(&format!(
                "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. "
            ));
        }
        if *day != &date_text[..8] {
            wrong_scope.push_str(&format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: \
                 '{day}' != '{}', from '{date_text}'.",
                &date_text[..8]
            ));
        }
        if !wrong_scope.is_empty() {
            return Err(reject(403, INVALID, wrong_scope.trim_end().to_owned()));
        }
        if *key_id != self.credentials.access_key_id() || request.header("x-amz-security-token").is_some() {
            return Err(reject(403, UNRECOGNIZED, UNKNOWN_KEY));
        }
        let expected = self.signature(request, &signed, date)?;
        let given = auth.signature.as_bytes();
        if expected.len() == given.len() && bool::from(expected.as_bytes().ct_eq(given)) {
            Ok(())
        } else {
            Err(reject(403, INVALID, SIGNATURE_MISMATCH))
        }
    }

    /// The signature of `request` over the headers `signed`, made at `date` with the emulator's secret.
    fn signature(&self, request: &SignedRequest<'_>, signed: &[&str], date: SystemTime) -> Result<String, Rejection> {
        let mismatch = || reject(403, INVALID, SIGNATURE_MISMATCH);
        // `x-amz-date` is added by the signer from `date`; a header named as signed but absent cannot match.
        let mut headers = Vec::new();
        for name in signed.iter().filter(|n| !n.eq_ignore_ascii_case("x-amz-date")) {
            let values: Vec<&str> = request
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
                .collect();
            if values.is_empty() {
                return Err(mismatch());
            }
            headers.push((*name, values.join(",")));
        }
        let identity: Identity = aws_credential_types::Credentials::new(
            self.credentials.access_key_id(),
            self.credentials.secret_access_key(),
            None,
            None,
            "lean-emr-emulator",
        )
        .into();
        // Exactly the headers the client signed: nothing is excluded.
        let mut settings = SigningSettings::default();
        settings.excluded_headers = None;
        let params = SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(SIGNING_NAME)
            .time(date)
            .settings(settings)
            .build()
            .map_err(|_| mismatch())?
            .into();
        let signable = SignableRequest::new(
            request.method,
            request.uri,
            headers.iter().map(|(n, v)| (*n, v.as_str())),
            SignableBody::Bytes(request.body),
        )
        .map_err(|_| mismatch())?;
        // The signer is not expected to panic on what got this far (host is signed, values are text); should it,
        // the request is refused rather than left unanswered.
        let output = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sign(signable, &params)))
            .map_err(|_| mismatch())?
            .map_err(|_| mismatch())?;
        Ok(output.signature().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn amz_dates_read_and_write() {
        let t = parse_amz_date("20240102T030405Z").unwrap();
        assert_eq!(amz_date(t), "20240102T030405Z");
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1_704_164_645);
        for bad in [
            "",
            "20240102T030405",
            "2024-01-02T03:04:05Z",
            "20241302T030405Z",
            "2024010xT030405Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn authorization_headers_name_what_they_lack() {
        let e = parse_authorization("AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host")
            .err()
            .unwrap();
        assert_eq!(e.code, INCOMPLETE);
        assert!(e
            .message
            .starts_with("Authorization header requires 'Signature' parameter. Authorization="));
        assert_eq!(parse_authorization("Basic abc").err().unwrap().code, MISSING);
        assert_eq!(parse_authorization("AWS4-HMAC-SHA1 x").err().unwrap().code, INCOMPLETE);
        let ok = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=k/d/r/s/aws4_request, SignedHeaders=host;x-amz-date, Signature=ab",
        )
        .ok()
        .unwrap();
        assert_eq!(
            (ok.credential, ok.signed_headers, ok.signature),
            ("k/d/r/s/aws4_request", "host;x-amz-date", "ab")
        );
    }

    #[test]
    fn the_verifier_shows_no_secret() {
        let v = Verifier::new(Credentials::new("AKIDEXAMPLE", "very-secret-key", None), "us-east-1");
        let shown = format!("{v:?}");
        assert!(
            shown.contains("AKIDEXAMPLE") && !shown.contains("very-secret-key"),
            "{shown}"
        );
    }
}
