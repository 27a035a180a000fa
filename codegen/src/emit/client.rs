//! `client.rs`: the client type. Its methods live in the operations' files, one `impl` block each.

use super::Ctx;
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let root = &ctx.root;
    quote! {
        //! The client. Each operation's file adds its methods.

        /// A client for the service. Cheap to clone; clones share configuration and connections.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: lean_aws_runtime::Client,
        }

        impl Client {
            /// A client with `config`; settings it leaves unset come from the environment.
            pub fn new(config: lean_aws_runtime::Config) -> Self {
                Client { runtime: lean_aws_runtime::Client::new(&#root::service::SERVICE, config) }
            }

            /// A client configured entirely from the environment.
            pub fn from_env() -> Self {
                Self::new(lean_aws_runtime::Config::default())
            }

            /// The runtime client that performs the calls (its retry quota, or operations of your own).
            pub fn runtime(&self) -> &lean_aws_runtime::Client {
                &self.runtime
            }
        }
    }
}
