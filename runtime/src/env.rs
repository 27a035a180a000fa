//! Where configuration is read from: the process environment, or a fixed map for tests.

use std::collections::BTreeMap;
use std::sync::Arc;

/// A read-only view of environment variables.
///
/// The client never calls `std::env::var` directly; it asks an `Env`. Tests hand it a map, so they neither race
/// on the process environment nor depend on the machine they run on.
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<BTreeMap<String, String>>>,
}

impl Env {
    /// The real process environment, read at each [`get`](Self::get) (not a snapshot). Also `Env::default()`.
    pub fn process() -> Self {
        Env { fixed: None }
    }

    /// A fixed set of variables; everything else is unset.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let map = pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        Env {
            fixed: Some(Arc::new(map)),
        }
    }

    /// The value of `name`, if it is set and not empty. A process variable that is not valid Unicode reads as
    /// unset.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }
}

impl std::fmt::Debug for Env {
    // Environment values may hold secrets (AWS_SECRET_ACCESS_KEY): show only which variables a fixed Env has.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fixed {
            None => f.write_str("Env::process"),
            Some(map) => f
                .debug_tuple("Env::fixed")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}
