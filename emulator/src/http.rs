//! HTTP over loopback (hyper): each request is size-checked, authenticated and dispatched to the generated server
//! code, and every answer carries `x-amzn-RequestId`. Nothing a client sends ends the server: a connection's task
//! ends with its connection, and each request gets a typed answer.
//!
//! The control endpoints, for tests, are unsigned `POST`s under `/_emulator/` with JSON bodies:
//! `/_emulator/advance` (`{"seconds": 30}`) moves the manual clock, `/_emulator/faults` (a
//! [`Faults`] object, such as `{"failing_steps": ["etl"], "throttle": 0.25}`) replaces
//! the faults. Both answer `{}`, or `{"__type": "...", "message": "..."}` with status 400.

use crate::auth::{SignedRequest, Verifier};
use crate::awsjson::{self, SERIALIZATION_EXCEPTION, UNKNOWN_OPERATION_EXCEPTION};
use crate::ids::Ids;
use crate::lifecycle::{in_share, Faults};
use crate::model::server::{dispatch, CONTENT_TYPE};
use crate::service::Emr;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::http::request::Parts;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use lean_aws_runtime::clock::Clock;

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

/// The largest request body the emulator reads: 1 MiB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The error code for a body over [`MAX_BODY_BYTES`].
pub const TOO_LARGE: &str = "RequestEntityTooLargeException";

/// What every connection shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) emr: Emr,
    pub(crate) faults: Arc<Mutex<Faults>>,
    /// Signed calls so far, which the fault shares count.
    pub(crate) calls: AtomicU64,
    pub(crate) verifier: Verifier,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) ids: Arc<dyn Ids>,
    pub(crate) log: bool,
}

/// Accepts connections until the task is dropped; dropping it drops every connection too.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let shared = shared.clone();
                    connections.spawn(async move {
                        let service = service_fn(move |request| {
                            let shared = shared.clone();
                            async move { Ok::<_, Infallible>(handle(&shared, request).await) }
                        });
                        // A client that shuts its side down after sending still gets its answer (half_close). A
                        // connection that breaks off, or that does not speak HTTP, is the client's business.
                        let _ = http1::Builder::new()
                            .half_close(true)
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                // Out of file descriptors, say: wait a little and go on serving.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn handle(shared: &Shared, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let request_id = shared.ids.request_id();
    let (parts, body) = request.into_parts();
    let target = header(&parts, "x-amz-target").unwrap_or_default().to_owned();
    let answer = answer(shared, &parts, body, &target).await;
    if shared.log {
        let outcome = answer.error_code().map(|code| format!(" {code}")).unwrap_or_default();
        eprintln!(
            "{} {target} -> {}{outcome} (request id {request_id})",
            parts.method, answer.status
        );
    }
    let mut response = Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = hyper::StatusCode::from_u16(answer.status).unwrap_or(hyper::StatusCode::BAD_REQUEST);
    let headers = response.headers_mut();
    headers.insert("content-type", hyper::header::HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = hyper::header::HeaderValue::from_str(&request_id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

fn header<'p>(parts: &'p Parts, name: &str) -> Option<&'p str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

fn too_large() -> awsjson::Response {
    awsjson::Response::error(
        400,
        TOO_LARGE,
        &format!("The request body is larger than {MAX_BODY_BYTES} bytes, the most this service reads"),
    )
}

async fn answer(shared: &Shared, parts: &Parts, body: Incoming, target: &str) -> awsjson::Response {
    let declared = header(parts, "content-length").and_then(|n| n.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => return too_large(),
        Err(_) => return awsjson::Response::error(400, SERIALIZATION_EXCEPTION, "The request body could not be read"),
    };
    if let Some(control) = parts.uri.path().strip_prefix(CONTROL_PREFIX) {
        return self::control(shared, parts, control, &body);
    }
    if parts.method != Method::POST {
        return awsjson::Response::error(
            400,
            UNKNOWN_OPERATION_EXCEPTION,
            &format!("awsJson requests are POST requests, not {}", parts.method),
        );
    }
    let content_type = header(parts, "content-type").unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case(CONTENT_TYPE) {
        return awsjson::Response::error(
            400,
            UNKNOWN_OPERATION_EXCEPTION,
            &format!("The Content-Type must be {CONTENT_TYPE}, not {content_type:?}"),
        );
    }
    let uri = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let signed = SignedRequest {
        method: parts.method.as_str(),
        uri,
        headers: parts
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect(),
        body: &body,
    };
    if let Err(rejection) = shared.verifier.verify(&signed, shared.clock.now()) {
        return awsjson::Response::error(rejection.status, rejection.code, &rejection.message);
    }
    let faults = shared.faults.lock().unwrap_or_else(PoisonError::into_inner).clone();
    if faults.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.delay_ms)).await;
    }
    let call = shared.calls.fetch_add(1, Ordering::Relaxed) + 1;
    if in_share(call, faults.throttle) {
        return awsjson::Response::error(400, THROTTLING, "Rate exceeded");
    }
    if in_share(call, faults.server_errors) {
        return awsjson::Response::error(
            500,
            INTERNAL_FAILURE,
            "The emulator's faults answer this call with a 500",
        );
    }
    dispatch(&shared.emr, target, &body).await
}

/// The path under which the control endpoints live.
pub const CONTROL_PREFIX: &str = "/_emulator/";

/// The error code of a throttled call, as the service answers it.
pub const THROTTLING: &str = "ThrottlingException";

/// The error code of a 500 that a fault asked for, as the service answers its own.
pub const INTERNAL_FAILURE: &str = "InternalFailure";

/// The error code of a control request that is not understood.
pub const BAD_CONTROL: &str = "InvalidControlRequest";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: f64,
}

fn control(shared: &Shared, parts: &Parts, endpoint: &str, body: &[u8]) -> awsjson::Response {
    let bad = |message: String| awsjson::Response::error(400, BAD_CONTROL, &message);
    if parts.method != Method::POST {
        return bad(format!("control requests are POST requests, not {}", parts.method));
    }
    let done = awsjson::Response::ok(|w| {
        w.begin_object();
        w.end_object();
    });
    match endpoint {
        "advance" => {
            let advance: Advance = match serde_json::from_slice(body) {
                Ok(a) => a,
                Err(e) => return bad(format!("expected {{\"seconds\": N}}: {e}")),
            };
            if !(advance.seconds.is_finite() && (0.0..=1e9).contains(&advance.seconds)) {
                return bad(format!("seconds: {} is not from 0 to 1e9", advance.seconds));
            }
            match shared.emr.clusters.advance(Duration::from_secs_f64(advance.seconds)) {
                Ok(()) => done,
                Err(e) => bad(e.to_string()),
            }
        }
        "faults" => {
            let faults: Faults = match serde_json::from_slice(body) {
                Ok(f) => f,
                Err(e) => return bad(format!("expected a faults object: {e}")),
            };
            if let Err(e) = faults.check() {
                return bad(e);
            }
            *shared.faults.lock().unwrap_or_else(PoisonError::into_inner) = faults;
            done
        }
        other => bad(format!(
            "there is no control endpoint {CONTROL_PREFIX}{other} (advance, faults)"
        )),
    }
}
