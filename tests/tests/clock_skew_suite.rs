//! aws-sdk-rust's clock skew suite (vendored from aws-runtime 1.10.2, `clock-skew-test-cases.json`), run through
//! the real client: its call loop measures, records and applies the skew, and its retry strategy decides the
//! retries. Cases that cannot apply are listed in `clock_skew_suite.skip` with the reason.
//!
//! Each case is one client. The suite's client times drive an injected clock: the transport moves it to the
//! attempt's receive time when it answers, and the sleep between attempts moves it to the next send time. A case
//! whose first operation starts from a skew other than zero gets it the way a client would: one earlier call
//! answered with that skew in its `Date`.
//!
//! `cargo test -p emr-tests --test clock_skew_suite -- --nocapture` prints the counts.

use aws_smithy_types::date_time::{DateTime, Format};
use lean_aws_runtime::clock::Clock;
use lean_aws_runtime::retry::{FixedJitter, RetryConfig, RetryMode};
use lean_aws_runtime::skew::ClockSkew;
use lean_aws_runtime::time::BoxFuture;
use lean_aws_runtime::time::Sleep;
use lean_aws_runtime::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};
use lean_aws_runtime::Client;
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMapping;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

mod support;

const SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/vendor/aws-runtime/clock-skew-test-cases.json"
);
const SKIP: &str = include_str!("clock_skew_suite.skip");

/// A clock that reads whatever it was last set to.
#[derive(Debug, Clone)]
struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    fn set(&self, time: SystemTime) {
        *self.0.lock().unwrap() = time;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// Answers each request with the next scripted response, moving the clock to its receive time first. Clones
/// share the script and the record, so that the test can script the client's transport between calls.
#[derive(Debug, Clone)]
struct ScriptedTransport {
    clock: ManualClock,
    script: Arc<Mutex<VecDeque<(SystemTime, HttpResponse)>>>,
    sent: Arc<Mutex<Vec<HttpRequest>>>,
}

impl Transport for ScriptedTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.lock().unwrap().push(request);
        let next = self.script.lock().unwrap().pop_front();
        let answer = match next {
            Some((received, response)) => {
                self.clock.set(received);
                Ok(response)
            }
            None => Err(TransportError::new(
                TransportErrorKind::Other,
                "an attempt the case does not list",
            )),
        };
        Box::pin(async move { answer })
    }
}

/// Waits no time at all, but moves the clock to the next attempt's send time. Clones share the send times.
#[derive(Debug, Clone)]
struct ScriptedSleep {
    clock: ManualClock,
    sends: Arc<Mutex<VecDeque<SystemTime>>>,
}

impl Sleep for ScriptedSleep {
    fn sleep(&self, _: Duration) -> BoxFuture<'static, ()> {
        if let Some(send) = self.sends.lock().unwrap().pop_front() {
            self.clock.set(send);
        }
        Box::pin(std::future::ready(()))
    }
}

fn time(text: &str) -> SystemTime {
    SystemTime::try_from(DateTime::from_str(text, Format::DateTime).expect("an RFC 3339 time")).expect("in range")
}

fn http_date(time: SystemTime) -> String {
    DateTime::from(time).fmt(Format::HttpDate).expect("formattable")
}

/// The suite's `2026-01-01T00:05:02Z` as SigV4 writes it: `20260101T000502Z`.
fn amz_date(text: &str) -> String {
    text.replace(['-', ':'], "")
}

fn response(spec: &Value) -> HttpResponse {
    let status = spec["statusCode"].as_u64().expect("statusCode") as u16;
    let body = match spec["errorCode"].as_str() {
        Some(code) => format!(r#"{{"__type":"{code}","message":"from the clock skew suite"}}"#),
        None => "{}".to_owned(),
    };
    let mut response = HttpResponse::new(status, body);
    for (name, value) in spec["headers"].as_object().into_iter().flatten() {
        response = response.with_header(name, value.as_str().expect("a header value"));
    }
    response
}

fn skew_secs(value: &Value) -> ClockSkew {
    ClockSkew::from_millis(value.as_i64().expect("whole seconds") * 1000)
}

/// Runs one case; the error says which operation and attempt went wrong.
async fn run_case(case: &Value) -> Result<(), String> {
    let operations = case["operations"].as_array().expect("operations");
    let max_attempts: Vec<u32> = operations
        .iter()
        .filter_map(|op| op["maxAttempts"].as_u64())
        .map(|n| n as u32)
        .collect();
    if max_attempts.windows(2).any(|w| w[0] != w[1]) {
        return Err("operations with different maxAttempts: one client cannot run them".into());
    }
    let clock = ManualClock(Arc::new(Mutex::new(SystemTime::UNIX_EPOCH)));
    let transport = ScriptedTransport {
        clock: clock.clone(),
        script: Arc::default(),
        sent: Arc::default(),
    };
    let sleep = ScriptedSleep {
        clock: clock.clone(),
        sends: Arc::default(),
    };
    let config = test_support::offline_config()
        .clock(clock.clone())
        .transport(transport.clone())
        .sleep(sleep.clone())
        .jitter(FixedJitter(0.0))
        .retry_config(RetryConfig {
            max_attempts: max_attempts.first().copied().unwrap_or(3),
            mode: RetryMode::Standard,
        })
        .build();
    let client = Client::new(&lean_emr::service::SERVICE, config);
    let input = support::valid_input();
    let call = || client.invoke::<UpdateStudioSessionMapping>(&input);

    for (i, op) in operations.iter().enumerate() {
        let attempts = op["attempts"].as_array().expect("attempts");
        let first_send = time(attempts[0]["clientTimeAtSend"].as_str().expect("a send time"));
        let initial = skew_secs(&op["initialClientSkew"]);
        if i == 0 && client.clock_skew() != initial {
            // One earlier call, answered at once with the initial skew in its Date.
            clock.set(first_send);
            let date = initial.apply(first_send);
            let primer = HttpResponse::new(200, "{}").with_header("Date", http_date(date));
            transport.script.lock().unwrap().push_back((first_send, primer));
            call()
                .await
                .map_err(|e| format!("the call that sets the initial skew failed: {e}"))?;
            transport.sent.lock().unwrap().clear();
        }
        if client.clock_skew() != initial {
            return Err(format!(
                "operation {i}: starts with skew {}, the case says {initial}",
                client.clock_skew()
            ));
        }
        clock.set(first_send);
        for attempt in attempts {
            let received = time(attempt["clientTimeAtReceive"].as_str().expect("a receive time"));
            transport
                .script
                .lock()
                .unwrap()
                .push_back((received, response(&attempt["response"])));
        }
        *sleep.sends.lock().unwrap() = attempts[1..]
            .iter()
            .map(|a| time(a["clientTimeAtSend"].as_str().expect("a send time")))
            .collect();

        let outcome = match call().await {
            Ok(_) => "success",
            Err(_) => "error",
        };
        let sent = std::mem::take(&mut *transport.sent.lock().unwrap());
        if sent.len() != attempts.len() {
            return Err(format!(
                "operation {i}: {} attempts made, the case lists {}",
                sent.len(),
                attempts.len()
            ));
        }
        for (j, (request, attempt)) in sent.iter().zip(attempts).enumerate() {
            let expected = amz_date(attempt["expectedSigningTime"].as_str().expect("a signing time"));
            let signed = request.header("x-amz-date").unwrap_or_default();
            if signed != expected {
                return Err(format!(
                    "operation {i} attempt {j}: signed at {signed}, expected {expected}"
                ));
            }
        }
        if outcome != op["expectedOutcome"] {
            return Err(format!("operation {i}: {outcome}, expected {}", op["expectedOutcome"]));
        }
        let expected = skew_secs(&op["expectedClientSkew"]);
        if client.clock_skew() != expected {
            return Err(format!(
                "operation {i}: ends with skew {}, expected {expected}",
                client.clock_skew()
            ));
        }
    }
    Ok(())
}

#[tokio::test]
async fn clock_skew_suite() {
    let suite: Value =
        serde_json::from_str(&std::fs::read_to_string(SUITE).expect("the vendored suite")).expect("valid JSON");
    let cases = suite["tests"].as_array().expect("a `tests` array");
    let skips: BTreeMap<&str, &str> = SKIP
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once(": ").expect("`description: reason`"))
        .collect();
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for case in cases {
        let description = case["description"].as_str().expect("a description");
        if skips.contains_key(description) {
            skipped += 1;
            continue;
        }
        match run_case(case).await {
            Ok(()) => passed += 1,
            Err(e) => failures.push(format!("{description}: {e}")),
        }
    }
    for skip in skips.keys() {
        assert!(
            cases.iter().any(|c| c["description"] == *skip),
            "the skip list names unknown case {skip:?}"
        );
    }
    println!(
        "clock skew suite: {passed} passed, {} failed, {skipped} skipped",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(passed + skipped, cases.len());
    assert_eq!(cases.len(), 10, "the vendored suite has 10 cases");
}
