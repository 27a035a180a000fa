//! `service.rs`: the service's constants and its endpoint rule set, for the runtime.

use super::Ctx;
use proc_macro2::TokenStream;
use quote::quote;

/// Texts that go into the generated crate verbatim.
#[derive(Debug, Clone, Default)]
pub struct ServiceSources {
    /// `endpoint-rule-set-1.json`, minified.
    pub endpoint_rule_set: String,
    /// `partitions.json`, minified.
    pub partitions: String,
}

pub fn emit(ctx: &Ctx<'_>, sources: &ServiceSources) -> TokenStream {
    let meta = &ctx.service.meta;
    let service_id = &meta.service_id;
    let env_suffix = meta.service_id.to_uppercase().replace([' ', '-'], "_");
    let signing_name = &meta.signing_name;
    let target_prefix = &meta.target_prefix;
    let json_version = &meta.json_version;
    let rules = &sources.endpoint_rule_set;
    let partitions = &sources.partitions;
    quote! {
        //! What the runtime needs to know about the service.

        /// The service's constants, endpoint rule set and partitions.
        pub static SERVICE: lean_aws_runtime::ServiceMeta = lean_aws_runtime::ServiceMeta {
            service_id: #service_id,
            env_suffix: #env_suffix,
            signing_name: #signing_name,
            target_prefix: #target_prefix,
            json_version: #json_version,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            endpoint_rule_set: ENDPOINT_RULE_SET,
            partitions: PARTITIONS,
            resolver: std::sync::OnceLock::new(),
        };

        /// The endpoint rule set, from the model.
        pub const ENDPOINT_RULE_SET: &str = #rules;

        /// The partitions, from the model.
        pub const PARTITIONS: &str = #partitions;
    }
}
