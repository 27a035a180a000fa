//! The "adaptive" retry mode's client-side rate limiter: standard retries, plus a token bucket that every
//! attempt takes a token from, whose fill rate follows the service's throttling.
//!
//! It works as botocore's (`botocore/retries/adaptive.py`, `bucket.py`, `throttling.py`) and aws-sdk-rust's
//! (`aws-smithy-runtime/src/client/retries/client_rate_limiter.rs`, with the one-token-per-attempt send loop of
//! `orchestrator.rs`) do, with their constants:
//!
//! - **Off until the first throttle.** Until a response is a throttling error ([`classify`](super::classify)
//!   says [`RetryKind::Throttling`](super::RetryKind)), [`ClientRateLimiter::acquire`] never waits. The rates
//!   below are tracked from the start all the same.
//! - **Measured send rate** (`RateClocker` in `adaptive.py`): responses are counted in half-second buckets; when a
//!   response falls in a later bucket, `rate = count / (bucket - last_bucket)` and the measured rate becomes
//!   `0.8 × rate + 0.2 × measured` ([`SMOOTHING`]). The first bucket starts at the whole second the limiter was
//!   made in (`math.floor(now)` in both references).
//! - **CUBIC** (`CubicCalculator` in `throttling.py`): on a throttle, `W_max` becomes the rate that was in use
//!   (the measured rate, or the lower of it and the fill rate once the bucket is on), the time is remembered and
//!   the new rate is `W_max × 0.7` ([`BETA`]). After any other response the rate is
//!   `0.4 × (t - t_throttle - K)³ + W_max` ([`SCALE_CONSTANT`]), where `K = ∛(W_max × (1 - 0.7) / 0.4)` is the
//!   time it takes to climb back to `W_max`.
//! - **The bucket** (`TokenBucket` in `bucket.py`): after each response the fill rate becomes
//!   `max(min(new rate, 2 × measured rate), 0.5)` ([`MAX_RATE_ADJUST_SCALE`], [`MIN_FILL_RATE`]) and the capacity
//!   `max(min(new rate, 2 × measured rate), 1)` ([`MIN_CAPACITY`]); tokens earned at the old rate are added
//!   first, and what is held is cut to the new capacity. Each attempt takes one token; short of one, it waits
//!   `(1 - tokens) / fill rate` and asks again (other calls may have taken the tokens meanwhile), so the bucket
//!   never goes below zero.
//!
//! The limiter belongs to one client and is shared by its clones (botocore keeps one per client; aws-sdk-rust
//! shares one per retry partition). Time is the client's [`Clock`](crate::clock::Clock), in seconds since the
//! Unix epoch, as both references count it.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The lowest fill rate, in tokens per second (`TokenBucket._MIN_RATE`, `MIN_FILL_RATE`).
pub const MIN_FILL_RATE: f64 = 0.5;
/// The lowest bucket capacity, in tokens (`bucket.py` keeps at least 1; `MIN_CAPACITY`).
pub const MIN_CAPACITY: f64 = 1.0;
/// The weight of the newest half-second bucket in the measured send rate (`_DEFAULT_SMOOTHING`, `SMOOTH`).
pub const SMOOTHING: f64 = 0.8;
/// The width of the buckets the send rate is measured over, in seconds (`_TIME_BUCKET_RANGE`).
pub const TIME_BUCKET_SECS: f64 = 0.5;
/// How much of the rate is kept after a throttle (`_BETA`, `BETA`).
pub const BETA: f64 = 0.7;
/// How fast the rate climbs back after a throttle (`_SCALE_CONSTANT`, `SCALE_CONSTANT`).
pub const SCALE_CONSTANT: f64 = 0.4;
/// The fill rate is at most this many times the measured send rate (`_MAX_RATE_ADJUST_SCALE`).
pub const MAX_RATE_ADJUST_SCALE: f64 = 2.0;
/// Shorter waits are granted at once (see [`ClientRateLimiter::acquire`]).
const MIN_WAIT: Duration = Duration::from_micros(1);
/// What one attempt costs, in tokens: botocore's `acquire()` default, aws-sdk-rust's send token.
const ATTEMPT_COST: f64 = 1.0;

/// What the limiter knows, as [`ClientRateLimiter::state`] reads it. Times are seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct RateLimiterState {
    /// Whether attempts take tokens: false until the first throttling response.
    pub enabled: bool,
    /// Tokens added per second.
    pub fill_rate: f64,
    /// The most tokens the bucket holds.
    pub max_capacity: f64,
    /// The tokens it holds now (as of `last_refill`), never below zero.
    pub capacity: f64,
    /// When tokens were last added (at first, when the limiter was made).
    pub last_refill: f64,
    /// The smoothed send rate, in responses per second.
    pub measured_rate: f64,
    /// The start of the half-second bucket the measured rate was last updated in.
    pub last_rate_bucket: f64,
    /// Responses counted since then.
    pub requests_in_bucket: u64,
    /// CUBIC's `W_max`: the rate in use at the last throttle.
    pub w_max: f64,
    /// When the last throttle arrived (at first, when the limiter was made).
    pub last_throttle: f64,
}

impl RateLimiterState {
    /// CUBIC's `K = ∛(W_max × (1 - β) / C)`: how long after a throttle the rate is back at `W_max`
    /// (`_calculate_zero_point` in `throttling.py`, `calculate_time_window` in `client_rate_limiter.rs`).
    pub fn k(&self) -> f64 {
        (self.w_max * (1.0 - BETA) / SCALE_CONSTANT).cbrt()
    }

    /// CUBIC's rate at `now` after a response that is not a throttle: `C × (now - t_throttle - K)³ + W_max`.
    fn cubic_success(&self, now: f64) -> f64 {
        SCALE_CONSTANT * (now - self.last_throttle - self.k()).powi(3) + self.w_max
    }

    /// Adds the tokens earned since the last refill at the current fill rate, up to the capacity. A clock that
    /// went backwards earns nothing (neither reference guards this; without it the bucket could go negative).
    fn refill(&mut self, now: f64) {
        let earned = (now - self.last_refill).max(0.0) * self.fill_rate;
        self.capacity = (self.capacity + earned).min(self.max_capacity);
        self.last_refill = now;
    }

    /// Counts a response into its half-second bucket and returns the measured send rate (`RateClocker.record`).
    fn measure(&mut self, now: f64) -> f64 {
        let bucket = (now / TIME_BUCKET_SECS).floor() * TIME_BUCKET_SECS;
        self.requests_in_bucket += 1;
        if bucket > self.last_rate_bucket {
            let rate = self.requests_in_bucket as f64 / (bucket - self.last_rate_bucket);
            self.measured_rate = rate * SMOOTHING + self.measured_rate * (1.0 - SMOOTHING);
            self.requests_in_bucket = 0;
            self.last_rate_bucket = bucket;
        }
        self.measured_rate
    }

    /// The new fill rate and capacity (the `max_rate` setter in `bucket.py`): refill at the old rate first.
    fn set_rate(&mut self, now: f64, rate: f64) {
        self.refill(now);
        self.fill_rate = rate.max(MIN_FILL_RATE);
        self.max_capacity = rate.max(MIN_CAPACITY);
        self.capacity = self.capacity.min(self.max_capacity);
    }
}

/// The adaptive mode's token bucket. Clones share it.
#[derive(Clone)]
pub struct ClientRateLimiter {
    state: Arc<Mutex<RateLimiterState>>,
}

impl ClientRateLimiter {
    /// A limiter made at `now`: off, nothing measured, CUBIC's clock started at `now` with `W_max` 0, the first
    /// rate bucket at `now`'s whole second, and an empty bucket filling at 1 token per second up to 1 from `now`
    /// (botocore's `TokenBucket(max_rate=1)`; aws-sdk-rust starts the bucket's clock at the first response
    /// instead, and its measured rate at 0.5 rather than botocore's 0).
    pub fn new(now: SystemTime) -> Self {
        let now = seconds(now);
        ClientRateLimiter {
            state: Arc::new(Mutex::new(RateLimiterState {
                enabled: false,
                fill_rate: 1.0,
                max_capacity: 1.0,
                capacity: 0.0,
                last_refill: now,
                measured_rate: 0.0,
                last_rate_bucket: now.floor(),
                requests_in_bucket: 0,
                w_max: 0.0,
                last_throttle: now,
            })),
        }
    }

    /// Before an attempt at `now`: `Ok` if it may be sent now (a token was taken, or the limiter is off), else
    /// `Err(wait)`: sleep `wait`, then ask again. No token is taken when it says wait.
    pub fn acquire(&self, now: SystemTime) -> Result<(), Duration> {
        let mut state = self.lock();
        if !state.enabled {
            return Ok(());
        }
        state.refill(seconds(now));
        if state.capacity >= ATTEMPT_COST {
            state.capacity -= ATTEMPT_COST;
            return Ok(());
        }
        let wait = Duration::try_from_secs_f64((ATTEMPT_COST - state.capacity) / state.fill_rate).unwrap_or_default();
        if wait < MIN_WAIT {
            // Short by a rounding error: a wait this small may not move the clock as a float of seconds since
            // the epoch counts it (steps of about 0.24 µs today), and asking again would ask forever. Grant it,
            // keeping the bucket at zero or above (aws-sdk-rust does the same below a nanosecond).
            state.capacity = (state.capacity - ATTEMPT_COST).max(0.0);
            return Ok(());
        }
        Err(wait)
    }

    /// After a response (or a failure to get one) at `now`: `throttled` when it was a throttling error. Updates
    /// the measured rate, CUBIC and the bucket; the first throttle turns the bucket on.
    pub fn update(&self, now: SystemTime, throttled: bool) {
        let now = seconds(now);
        let mut state = self.lock();
        let measured = state.measure(now);
        let rate = if throttled {
            let in_use = if state.enabled {
                measured.min(state.fill_rate)
            } else {
                measured
            };
            state.w_max = in_use;
            state.last_throttle = now;
            state.enabled = true;
            in_use * BETA
        } else {
            state.cubic_success(now)
        };
        state.set_rate(now, rate.min(MAX_RATE_ADJUST_SCALE * measured));
    }

    /// A snapshot of what the limiter knows now (its fields are documented on [`RateLimiterState`]); the limiter
    /// goes on changing after it.
    pub fn state(&self) -> RateLimiterState {
        *self.lock()
    }

    /// Whether `self` and `other` are the same limiter (clones of one another).
    pub fn ptr_eq(&self, other: &ClientRateLimiter) -> bool {
        Arc::ptr_eq(&self.state, &other.state)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, RateLimiterState> {
        // Every update leaves a whole state before anything can panic: recover it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl fmt::Debug for ClientRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientRateLimiter").field(&self.state()).finish()
    }
}

/// `time` in seconds since the Unix epoch, negative before it.
fn seconds(time: SystemTime) -> f64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

#[cfg(test)]
mod tests {
    //! Expected numbers are worked out by hand from the formulas in the module documentation (which follow
    //! `adaptive.py`, `bucket.py`, `throttling.py` and `client_rate_limiter.rs`); the steps are in the comments.

    use super::*;

    fn at(secs: f64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs_f64(secs)
    }

    #[track_caller]
    fn close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-7, "expected {expected}, got {actual}");
    }

    /// The measured rate, fill rate, capacity and tokens held.
    #[track_caller]
    fn rates(limiter: &ClientRateLimiter, measured: f64, fill_rate: f64, max_capacity: f64, capacity: f64) {
        let s = limiter.state();
        close(s.measured_rate, measured);
        close(s.fill_rate, fill_rate);
        close(s.max_capacity, max_capacity);
        close(s.capacity, capacity);
    }

    fn state(w_max: f64, last_throttle: f64) -> RateLimiterState {
        let mut state = ClientRateLimiter::new(at(0.0)).state();
        state.w_max = w_max;
        state.last_throttle = last_throttle;
        state
    }

    #[test]
    fn k_is_the_cube_root_of_w_max_times_0_3_over_0_4() {
        // K = ∛(W_max × (1 - 0.7) / 0.4)
        // W_max 10: ∛(3 / 0.4) = ∛7.5 = 1.9574338205844317 (1.9574338² = 3.8315, × 1.9574338 = 7.5000)
        close(state(10.0, 0.0).k(), 1.957_433_820_584_431_7);
        // W_max 8: ∛(2.4 / 0.4) = ∛6 = 1.8171205928321397
        close(state(8.0, 0.0).k(), 1.817_120_592_832_139_7);
        // W_max 0: ∛0 = 0
        close(state(0.0, 0.0).k(), 0.0);
    }

    #[test]
    fn cubic_starts_at_beta_times_w_max_reaches_w_max_after_k_then_grows_as_the_cube() {
        // rate(t) = 0.4 × (t - t_throttle - K)³ + W_max, W_max 10, t_throttle 50, K = ∛7.5
        let s = state(10.0, 50.0);
        let k = s.k();
        // At the throttle: 0.4 × (-K)³ + 10 = -0.4 × 7.5 + 10 = 7 = 0.7 × W_max, where the decrease left it.
        close(s.cubic_success(50.0), 7.0);
        // 1 s after: 0.4 × (1 - 1.9574338)³ + 10 = 0.4 × -0.8776598 + 10 = 9.6489360
        close(s.cubic_success(51.0), 9.648_936_009_66);
        // At K: 0 + 10.
        close(s.cubic_success(50.0 + k), 10.0);
        // K + 1: 0.4 × 1 + 10 = 10.4; K + 2: 0.4 × 8 + 10 = 13.2.
        close(s.cubic_success(51.0 + k), 10.4);
        close(s.cubic_success(52.0 + k), 13.2);
    }

    #[test]
    fn the_measured_rate_is_smoothed_over_half_second_buckets() {
        let limiter = ClientRateLimiter::new(at(100.0));
        // The first bucket starts at floor(100.0) = 100.0. Responses at 100.1 .. 100.4 fall in it: counted only.
        for t in [100.1, 100.2, 100.3, 100.4] {
            limiter.update(at(t), false);
            close(limiter.state().measured_rate, 0.0);
        }
        assert_eq!(limiter.state().requests_in_bucket, 4);
        // 100.5 opens bucket 100.5: 5 responses over 0.5 s = 10/s; 0.8 × 10 + 0.2 × 0 = 8.
        limiter.update(at(100.5), false);
        close(limiter.state().measured_rate, 8.0);
        assert_eq!(limiter.state().requests_in_bucket, 0);
        close(limiter.state().last_rate_bucket, 100.5);
        // 4 more in bucket 100.5, the 5th at 101.0: 10/s again; 0.8 × 10 + 0.2 × 8 = 9.6.
        for t in [100.6, 100.7, 100.8, 100.9, 101.0] {
            limiter.update(at(t), false);
        }
        close(limiter.state().measured_rate, 9.6);
        // One response at 102.2 (bucket 102.0, a second after 101.0): 1/s; 0.8 × 1 + 0.2 × 9.6 = 2.72.
        limiter.update(at(102.2), false);
        close(limiter.state().measured_rate, 2.72);
        close(limiter.state().last_rate_bucket, 102.0);
    }

    #[test]
    fn off_until_the_first_throttle_while_the_rates_are_tracked() {
        let limiter = ClientRateLimiter::new(at(100.0));
        for t in [100.1, 100.2, 100.3, 100.4, 100.5] {
            limiter.update(at(t), false);
            assert_eq!(limiter.acquire(at(t)), Ok(()));
        }
        let state = limiter.state();
        assert!(!state.enabled);
        // Rate 0.4 × (0.5 - 0)³ + 0 = 0.05 (W_max 0, K 0, t_throttle 100), under 2 × 8: fill max(0.05, 0.5),
        // capacity max(0.05, 1). Tokens: 1/s (the initial rate) from 100.0 to the first response at 100.1, then
        // 0.5/s to 100.5: 0.1 + 0.2 = 0.3, none taken.
        close(state.fill_rate, 0.5);
        close(state.max_capacity, 1.0);
        close(state.capacity, 0.3);
        // However many attempts, none waits.
        for _ in 0..100 {
            assert_eq!(limiter.acquire(at(100.5)), Ok(()));
        }
        close(limiter.state().capacity, 0.3);
    }

    #[test]
    fn throttles_cut_the_fill_rate_and_successes_raise_it_as_cubic_and_the_measured_rate_allow() {
        let limiter = ClientRateLimiter::new(at(100.0));
        for t in [100.1, 100.2, 100.3, 100.4] {
            limiter.update(at(t), false);
        }
        // First throttle at 100.5. Measured: 5 responses over the half second = 10/s, 0.8 × 10 = 8.
        // The bucket was off, so W_max = 8 (the measured rate); K = ∛(8 × 0.3 / 0.4) = ∛6.
        // New rate 8 × 0.7 = 5.6, under 2 × 8 = 16: fill 5.6, capacity 5.6.
        // Tokens: 1/s from 100.0 to 100.1, 0.5/s from 100.1 to 100.5: 0.3 (under the old capacity 1), kept.
        limiter.update(at(100.5), true);
        let s = limiter.state();
        assert!(s.enabled);
        close(s.w_max, 8.0);
        close(s.k(), 6f64.cbrt());
        close(s.last_throttle, 100.5);
        close(s.fill_rate, 5.6);
        close(s.max_capacity, 5.6);
        close(s.capacity, 0.3);

        // Now attempts take tokens. At 100.5: 0.3 < 1, wait (1 - 0.3) / 5.6 = 0.125 s, nothing taken.
        let wait = limiter.acquire(at(100.5)).expect_err("short of a token");
        close(wait.as_secs_f64(), 0.125);
        close(limiter.state().capacity, 0.3);
        // At 100.75: 0.3 + 0.25 × 5.6 = 1.7; one taken, 0.7 left.
        assert_eq!(limiter.acquire(at(100.75)), Ok(()));
        close(limiter.state().capacity, 0.7);
        // Again at 100.75: wait (1 - 0.7) / 5.6 = 0.0535714286 s.
        let wait = limiter.acquire(at(100.75)).expect_err("short of a token");
        close(wait.as_secs_f64(), 0.3 / 5.6);

        // Second throttle at 101.0. Measured: bucket 101.0 after 100.5, 1 response over 0.5 s = 2/s;
        // 0.8 × 2 + 0.2 × 8 = 3.2. The bucket is on: W_max = min(3.2, fill 5.6) = 3.2; new rate 3.2 × 0.7 = 2.24,
        // under 2 × 3.2 = 6.4: fill 2.24, capacity 2.24. Tokens: 0.7 + 0.25 × 5.6 = 2.1 at the old rate, under 2.24.
        limiter.update(at(101.0), true);
        close(limiter.state().w_max, 3.2);
        rates(&limiter, 3.2, 2.24, 2.24, 2.1);

        // A success at 102.0. Measured: bucket 102.0, 1 response over 1 s; 0.8 × 1 + 0.2 × 3.2 = 1.44.
        // CUBIC: K = ∛(3.2 × 0.3 / 0.4) = ∛2.4 = 1.338865900; 0.4 × (102 - 101 - 1.338865900)³ + 3.2
        //   = 0.4 × (-0.338865900)³ + 3.2 = 0.4 × -0.0389124 + 3.2 = 3.18443520.
        // Capped at 2 × 1.44 = 2.88: fill 2.88, capacity 2.88. Tokens: 2.1 + 1 × 2.24 = 4.34, cut to the old
        // capacity 2.24 when refilled, kept under 2.88.
        limiter.update(at(102.0), false);
        close(limiter.state().cubic_success(102.0), 3.184_435_198_150_232);
        rates(&limiter, 1.44, 2.88, 2.88, 2.24);

        // A throttle at 110.0 after a quiet spell. Measured: bucket 110.0, 1 response over 8 s = 0.125/s;
        // 0.8 × 0.125 + 0.2 × 1.44 = 0.388. W_max = min(0.388, 2.88) = 0.388; rate 0.2716, under 0.776: the fill
        // rate stops at its minimum 0.5 and the capacity at its minimum 1. Tokens: full (2.88), cut to 1.
        limiter.update(at(110.0), true);
        close(limiter.state().w_max, 0.388);
        rates(&limiter, 0.388, MIN_FILL_RATE, MIN_CAPACITY, 1.0);
        // One attempt now, the next 1 / 0.5 = 2 s later.
        assert_eq!(limiter.acquire(at(110.0)), Ok(()));
        close(limiter.acquire(at(110.0)).expect_err("empty").as_secs_f64(), 2.0);
        assert_eq!(limiter.acquire(at(112.0)), Ok(()));
    }

    #[test]
    fn a_clock_that_goes_back_earns_no_tokens_and_the_bucket_never_goes_negative() {
        let limiter = ClientRateLimiter::new(at(100.0));
        limiter.update(at(100.0), true);
        // Fill 0.5 (W_max 0), nothing held. Going back 10 s earns nothing rather than -5 tokens.
        let wait = limiter.acquire(at(90.0)).expect_err("empty");
        close(wait.as_secs_f64(), 2.0);
        assert!(limiter.state().capacity >= 0.0);
    }

    #[test]
    fn clones_share_one_limiter() {
        let a = ClientRateLimiter::new(at(100.0));
        let b = a.clone();
        a.update(at(100.0), true);
        assert!(b.state().enabled);
        assert!(a.ptr_eq(&b));
        assert!(!a.ptr_eq(&ClientRateLimiter::new(at(100.0))));
    }
}
