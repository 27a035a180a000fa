use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::time::BoxFuture;
use std::sync::Arc;

/// Tries providers in order; the first to produce credentials wins.
///
/// A provider that is not configured ([`CredentialsError::NotConfigured`]) passes to the next. A provider that is
/// configured but broken stops the chain with its error. When none is configured, the error lists every source.
#[derive(Debug, Clone, Default)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
}

impl CredentialsChain {
    /// An empty chain; add providers with [`CredentialsChain::or_else`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `provider` after those already in the chain.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// Adds a shared provider after those already in the chain.
    pub fn or_else_shared(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.providers.push(provider);
        self
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let mut tried = Vec::new();
            for provider in &self.providers {
                match provider.provide_credentials().await {
                    Ok(creds) => return Ok(creds),
                    Err(CredentialsError::NotConfigured { source, reason }) => tried.push((source, reason)),
                    Err(CredentialsError::NoneFound { tried: inner }) => tried.extend(inner),
                    Err(failed) => return Err(failed),
                }
            }
            Err(CredentialsError::NoneFound { tried })
        })
    }
}
