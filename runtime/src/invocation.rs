//! The headers that tie the attempts of one operation together, as botocore and aws-sdk-rust send them:
//!
//! - `amz-sdk-invocation-id`: a random UUID v4, new for each operation, the same on every attempt of it;
//! - `amz-sdk-request: attempt=N; max=M`: which attempt this is, and how many the client will make at most.
//!
//! Both go on the request before it is signed, so they are signed like the other headers. The randomness is
//! injectable ([`InvocationIdGenerator`]) so that tests can predict the ids.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// The `amz-sdk-invocation-id` header: the operation's [`InvocationId`], the same on each of its attempts.
pub const INVOCATION_ID_HEADER: &str = "amz-sdk-invocation-id";

/// The `amz-sdk-request` header: `attempt=N; max=M` ([`request_header_value`]), different on each attempt.
pub const REQUEST_HEADER: &str = "amz-sdk-request";

/// The value of `amz-sdk-request` for attempt `attempt` (1-based) of at most `max`.
pub fn request_header_value(attempt: u32, max: u32) -> String {
    format!("attempt={attempt}; max={max}")
}

/// One operation's invocation id: a UUID v4 in its usual text form, e.g. `0e7b2d34-6f0a-4c1e-9a3b-5d2f8c7e1a90`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InvocationId(String);

impl InvocationId {
    /// The UUID v4 made of `bytes`: the version and variant bits are set, the other 122 bits kept.
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> Self {
        bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
        bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10xx (RFC 9562)
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        InvocationId(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// The id as sent in the header: 36 characters, lower-case hex in groups of 8-4-4-4-12.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InvocationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Makes the invocation id of each operation.
pub trait InvocationIdGenerator: Send + Sync + fmt::Debug {
    /// A new id; the client asks once per call, not once per attempt.
    fn generate(&self) -> InvocationId;
}

/// Ids from the operating system's random number generator (through `getrandom`). The default.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomInvocationIds;

impl InvocationIdGenerator for RandomInvocationIds {
    fn generate(&self) -> InvocationId {
        let mut bytes = [0u8; 16];
        if getrandom::getrandom(&mut bytes).is_err() {
            // No usable OS generator (it does not happen on the platforms this crate builds for): fall back on
            // std's per-process random hash keys, which still makes ids that differ between calls and processes.
            bytes = hashed_bytes();
        }
        InvocationId::from_random_bytes(bytes)
    }
}

/// 16 bytes from std's randomly keyed hasher, different on every call.
fn hashed_bytes() -> [u8; 16] {
    use std::hash::{BuildHasher, Hasher};
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let state = std::collections::hash_map::RandomState::new();
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let mut bytes = [0u8; 16];
    for (half, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut hasher = state.build_hasher();
        hasher.write_u64(call);
        hasher.write_usize(half);
        chunk.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    bytes
}

test_util! {
    /// Ids from a seeded generator (SplitMix64): the same sequence of valid UUID v4 ids for the same seed. For tests.
    #[derive(Debug)]
    pub struct SeededInvocationIds {
        state: AtomicU64,
    }

    impl SeededInvocationIds {
        /// A generator that starts from `seed`.
        pub fn new(seed: u64) -> Self {
            SeededInvocationIds {
                state: AtomicU64::new(seed),
            }
        }

        fn next_u64(&self) -> u64 {
            const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
            let mut z = self.state.fetch_add(GAMMA, Ordering::Relaxed).wrapping_add(GAMMA);
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
    }

    impl InvocationIdGenerator for SeededInvocationIds {
        fn generate(&self) -> InvocationId {
            let mut bytes = [0u8; 16];
            bytes[..8].copy_from_slice(&self.next_u64().to_be_bytes());
            bytes[8..].copy_from_slice(&self.next_u64().to_be_bytes());
            InvocationId::from_random_bytes(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_become_a_version_4_uuid() {
        assert_eq!(
            InvocationId::from_random_bytes([0xff; 16]).as_str(),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(
            InvocationId::from_random_bytes([0; 16]).as_str(),
            "00000000-0000-4000-8000-000000000000"
        );
    }

    #[test]
    fn the_fallback_bytes_differ_on_every_call() {
        let ids: std::collections::BTreeSet<String> = (0..100)
            .map(|_| InvocationId::from_random_bytes(hashed_bytes()).to_string())
            .collect();
        assert_eq!(ids.len(), 100);
    }

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let (a, b) = (SeededInvocationIds::new(42), SeededInvocationIds::new(42));
        assert_eq!(a.generate(), b.generate());
        assert_ne!(a.generate(), SeededInvocationIds::new(43).generate());
    }

    #[test]
    fn the_request_header_counts_attempts() {
        assert_eq!(request_header_value(2, 3), "attempt=2; max=3");
    }
}
