//! Clock skew correction, as aws-sdk-rust does it.
//!
//! A request signed with a clock that is more than a few minutes off is refused (`InvalidSignatureException`,
//! `SignatureDoesNotMatch`, `RequestTimeTooSkewed`, `AuthFailure`). The client therefore estimates how far the
//! service's clock is from its own, from every response:
//!
//! - the skew is the response's `Date` minus the midpoint of the send and receive times (the NTP offset
//!   estimate, which assumes the service stamped the response halfway through the round trip);
//! - a response with an `Age` header (served from a cache, so its `Date` is old), without a usable `Date`, or
//!   whose round trip took more than 15 minutes tells nothing and leaves the estimate alone;
//! - every other response replaces the estimate, whatever its status, so a stale estimate heals by itself.
//!
//! Later attempts and later calls of the same client sign at `now + skew`. An attempt refused with one of the
//! codes above while the estimate from that very response is over 4 minutes is retried once (as a transient
//! error: it counts as an attempt and costs retry quota), signed with the corrected time. Correction is off
//! with `AWS_DISABLE_CLOCK_SKEW_CORRECTION=true` or `Config::builder().disable_clock_skew_correction(true)`.

use crate::transport::HttpResponse;
use aws_smithy_types::date_time::{DateTime, Format};
use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

/// Above this skew, an error with a clock-skew code is retried with the corrected time; below it the error is
/// taken at its word.
pub const DETECTION_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// A response whose round trip took longer than this says too little about the service's clock to use.
pub const MAX_TRUSTED_ROUND_TRIP: Duration = Duration::from_secs(15 * 60);

/// The error codes that say the request's time may have been the problem.
pub const CLOCK_SKEW_ERROR_CODES: [&str; 4] = [
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "RequestTimeTooSkewed",
    "AuthFailure",
];

/// How far the service's clock is ahead of the client's (negative: behind), to the millisecond.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockSkew(i64);

impl ClockSkew {
    /// No skew.
    pub const ZERO: ClockSkew = ClockSkew(0);

    /// A skew of `millis` milliseconds; positive when the service's clock is ahead.
    pub const fn from_millis(millis: i64) -> Self {
        ClockSkew(millis)
    }

    /// The skew in milliseconds; positive when the service's clock is ahead.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// How large the skew is, whichever way.
    pub fn magnitude(self) -> Duration {
        Duration::from_millis(self.0.unsigned_abs())
    }

    /// `time` moved by the skew: the service's idea of `time`. Unchanged if that is not representable.
    pub fn apply(self, time: SystemTime) -> SystemTime {
        let shift = self.magnitude();
        let moved = if self.0 >= 0 {
            time.checked_add(shift)
        } else {
            time.checked_sub(shift)
        };
        moved.unwrap_or(time)
    }

    /// `server - client`, to the millisecond.
    fn between(server: SystemTime, client: SystemTime) -> Self {
        let millis = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        match server.duration_since(client) {
            Ok(ahead) => ClockSkew(millis(ahead)),
            Err(behind) => ClockSkew(-millis(behind.duration())),
        }
    }
}

impl fmt::Display for ClockSkew {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:+} ms", self.0)
    }
}

/// The skew `response` shows, sent at `sent` and received at what `received` returns (read only when the
/// response can tell anything), or `None` when it tells nothing (see the module docs).
pub fn measure(response: &HttpResponse, sent: SystemTime, received: impl FnOnce() -> SystemTime) -> Option<ClockSkew> {
    if response.header("age").is_some() {
        return None;
    }
    let date = DateTime::from_str(response.header("date")?.trim(), Format::HttpDate).ok()?;
    let server = SystemTime::try_from(date).ok()?;
    let round_trip = received().duration_since(sent).unwrap_or_default();
    if round_trip > MAX_TRUSTED_ROUND_TRIP {
        return None;
    }
    Some(ClockSkew::between(server, sent.checked_add(round_trip / 2)?))
}

/// Whether an error response with error `code`, whose own skew estimate is `measured`, failed because of the
/// client's clock: a clock-skew code, and an estimate over [`DETECTION_THRESHOLD`].
pub fn is_clock_skew_error(code: Option<&str>, measured: Option<ClockSkew>) -> bool {
    let skewed = measured.is_some_and(|skew| skew.magnitude() > DETECTION_THRESHOLD);
    skewed && code.is_some_and(|code| CLOCK_SKEW_ERROR_CODES.contains(&code))
}

/// The latest estimate of one client, shared by its calls.
#[derive(Debug, Default)]
pub(crate) struct SharedSkew(AtomicI64);

impl SharedSkew {
    pub(crate) fn get(&self) -> ClockSkew {
        ClockSkew(self.0.load(Ordering::Relaxed))
    }

    pub(crate) fn set(&self, skew: ClockSkew) {
        self.0.store(skew.0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// 2026-01-01T00:00:00Z.
    const NEW_YEAR: u64 = 1_767_225_600;

    fn dated(date: &str) -> HttpResponse {
        HttpResponse::new(200, "{}").with_header("Date", date)
    }

    #[test]
    fn skew_is_the_date_against_the_midpoint() {
        let response = dated("Thu, 01 Jan 2026 00:05:01 GMT");
        let skew = measure(&response, at(NEW_YEAR), || at(NEW_YEAR + 2));
        assert_eq!(skew, Some(ClockSkew::from_millis(300_000)));
        let behind = measure(&dated("Wed, 31 Dec 2025 23:59:00 GMT"), at(NEW_YEAR), || at(NEW_YEAR));
        assert_eq!(behind, Some(ClockSkew::from_millis(-60_000)));
    }

    #[test]
    fn cached_undated_and_slow_responses_tell_nothing() {
        let cached = dated("Thu, 01 Jan 2026 00:05:01 GMT").with_header("Age", "10");
        assert_eq!(measure(&cached, at(NEW_YEAR), || at(NEW_YEAR)), None);
        let undated = HttpResponse::new(200, "{}");
        assert_eq!(measure(&undated, at(NEW_YEAR), || at(NEW_YEAR)), None);
        let garbled = dated("yesterday-ish");
        assert_eq!(measure(&garbled, at(NEW_YEAR), || at(NEW_YEAR)), None);
        let slow = dated("Thu, 01 Jan 2026 00:10:00 GMT");
        assert_eq!(measure(&slow, at(NEW_YEAR), || at(NEW_YEAR + 16 * 60)), None);
        // The receive time is not even read when the response cannot tell anything.
        assert_eq!(measure(&cached, at(NEW_YEAR), || unreachable!()), None);
    }

    #[test]
    fn only_clock_codes_beyond_the_threshold_are_skew_errors() {
        let five_minutes = Some(ClockSkew::from_millis(-300_000));
        let two_minutes = Some(ClockSkew::from_millis(120_000));
        assert!(is_clock_skew_error(Some("RequestTimeTooSkewed"), five_minutes));
        assert!(is_clock_skew_error(Some("AuthFailure"), five_minutes));
        assert!(!is_clock_skew_error(Some("InvalidSignatureException"), two_minutes));
        assert!(!is_clock_skew_error(Some("ThrottlingException"), five_minutes));
        assert!(!is_clock_skew_error(Some("RequestTimeTooSkewed"), None));
        assert!(!is_clock_skew_error(None, five_minutes));
    }

    #[test]
    fn applying_moves_the_time_either_way() {
        assert_eq!(ClockSkew::from_millis(5_000).apply(at(1_000)), at(1_005));
        assert_eq!(ClockSkew::from_millis(-5_000).apply(at(1_000)), at(995));
        assert_eq!(ClockSkew::from_millis(-1_500).to_string(), "-1500 ms");
    }
}
