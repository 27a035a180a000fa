//! Studio, cluster, step, instance group and fleet ids and request ids: random by default, a counter for tests that
//! want the same ids every run.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};

/// The characters of a studio id after `es-`.
const ID_ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// How many characters follow `es-` in a studio id.
pub const STUDIO_ID_LEN: usize = 25;

/// How many characters follow the prefix (`j-`, `s-`, `ig-`, `if-`, `ci-`) in the other ids, as the service gives
/// them (`j-2AXXXXXXGAPLF`).
pub const RESOURCE_ID_LEN: usize = 13;

/// Where new ids come from.
pub trait Ids: Send + Sync + Debug {
    /// A studio id: `es-` and 25 upper-case letters and digits.
    fn studio_id(&self) -> String;
    /// A request id (`x-amzn-RequestId`), a UUID as the service gives.
    fn request_id(&self) -> String;
    /// A cluster, step, instance group, fleet or instance id: `prefix` and [`RESOURCE_ID_LEN`] upper-case letters
    /// and digits.
    fn resource_id(&self, prefix: &str) -> String;
}

/// Random ids from the operating system's random source.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    if getrandom::fill(&mut bytes).is_err() {
        // No random source: the clock's nanoseconds still tell ids apart, which is all an emulator needs.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (nanos >> ((i % 16) * 8)) as u8 ^ (i as u8).wrapping_mul(151);
        }
    }
    bytes
}

/// `prefix` and `len` random characters of [`ID_ALPHABET`].
fn random_id(prefix: &str, len: usize) -> String {
    // 252 is the largest multiple of 36 that fits a byte: bytes above it are dropped so that every character is as
    // likely as every other.
    let mut id = String::from(prefix);
    while id.len() < prefix.len() + len {
        for b in random_bytes::<32>() {
            if b < 252 && id.len() < prefix.len() + len {
                id.push(ID_ALPHABET[usize::from(b % 36)] as char);
            }
        }
    }
    id
}

impl Ids for RandomIds {
    fn studio_id(&self) -> String {
        random_id("es-", STUDIO_ID_LEN)
    }

    fn resource_id(&self, prefix: &str) -> String {
        random_id(prefix, RESOURCE_ID_LEN)
    }

    fn request_id(&self) -> String {
        uuid(u128::from_be_bytes(random_bytes::<16>()))
    }
}

/// Ids from a counter: `es-0000000000000000000000001`, request id `00000000-0000-4000-8000-000000000001`, and so
/// on. The same on every run.
#[derive(Debug, Default)]
pub struct SequentialIds {
    studios: AtomicU64,
    requests: AtomicU64,
    resources: AtomicU64,
}

impl SequentialIds {
    /// Counters at zero.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Resource ids from an [`Ids`] that none of the ids already held has: a counter that starts again after a restart
/// skips the ids the state file brought back.
pub struct Fresh<'a> {
    ids: &'a dyn Ids,
    taken: BTreeSet<String>,
}

impl<'a> Fresh<'a> {
    /// Ids from `ids`, none of them in `taken`.
    pub fn new(ids: &'a dyn Ids, taken: BTreeSet<String>) -> Self {
        Fresh { ids, taken }
    }

    /// A resource id no other has (see [`Ids::resource_id`]).
    pub fn resource_id(&mut self, prefix: &str) -> String {
        loop {
            let id = self.ids.resource_id(prefix);
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// `prefix` and `n` in `len` decimal digits.
fn counted_id(prefix: &str, len: usize, n: u64) -> String {
    format!("{prefix}{n:0len$}")
}

impl Ids for SequentialIds {
    fn studio_id(&self) -> String {
        counted_id("es-", STUDIO_ID_LEN, self.studios.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn resource_id(&self, prefix: &str) -> String {
        counted_id(
            prefix,
            RESOURCE_ID_LEN,
            self.resources.fetch_add(1, Ordering::Relaxed) + 1,
        )
    }

    fn request_id(&self) -> String {
        uuid(u128::from(self.requests.fetch_add(1, Ordering::Relaxed) + 1))
    }
}

/// A version 4 UUID's text from 128 bits (the version and variant bits are set).
fn uuid(bits: u128) -> String {
    let bits = (bits & !(0xF << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Whether `id` looks like a studio id.
pub fn is_studio_id(id: &str) -> bool {
    id.strip_prefix("es-")
        .is_some_and(|rest| rest.len() == STUDIO_ID_LEN && rest.bytes().all(|b| ID_ALPHABET.contains(&b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_studio_ids_have_the_services_form_and_differ() {
        let a = RandomIds.studio_id();
        let b = RandomIds.studio_id();
        assert!(is_studio_id(&a), "{a}");
        assert_ne!(a, b);
        let r = RandomIds.request_id();
        assert_eq!(r.len(), 36);
        assert_eq!(&r[14..15], "4", "{r}");
    }

    #[test]
    fn sequential_ids_count() {
        let ids = SequentialIds::new();
        assert_eq!(ids.studio_id(), "es-0000000000000000000000001");
        assert_eq!(ids.studio_id(), "es-0000000000000000000000002");
        assert_eq!(ids.request_id(), "00000000-0000-4000-8000-000000000001");
        assert!(is_studio_id(&ids.studio_id()));
        assert!(!is_studio_id("es-abc"));
        assert_eq!(ids.resource_id("j-"), "j-0000000000001");
        assert_eq!(ids.resource_id("s-"), "s-0000000000002");
    }

    #[test]
    fn fresh_ids_skip_the_ones_taken() {
        let ids = SequentialIds::new();
        let taken = ["j-0000000000001", "j-0000000000002"].map(str::to_owned).into();
        let mut fresh = Fresh::new(&ids, taken);
        assert_eq!(fresh.resource_id("j-"), "j-0000000000003");
        assert_eq!(fresh.resource_id("j-"), "j-0000000000004");
    }

    #[test]
    fn random_resource_ids_have_the_services_form() {
        let id = RandomIds.resource_id("j-");
        assert_eq!(id.len(), 2 + RESOURCE_ID_LEN, "{id}");
        assert!(id[2..].bytes().all(|b| ID_ALPHABET.contains(&b)), "{id}");
    }
}
