//! `client.rs`: the client type. Its methods live in the operations' files, one `impl` block each.

use super::Ctx;
use proc_macro2::TokenStream;
use quote::quote;

/// `client.rs`, with `waiters`: the `Waiters` trait and its impl.
pub fn emit(ctx: &Ctx<'_>, waiters: TokenStream) -> TokenStream {
    let root = &ctx.root;
    quote! {
        //! The client. Each operation's file adds its method; the waiters are the [`Waiters`] trait's.

        /// A client for the service. Cheap to clone; clones share configuration and connections.
        #[derive(Debug, Clone)]
        pub struct Client {
            runtime: lean_aws_runtime::Client,
            config: lean_aws_runtime::Config,
        }

        impl Client {
            /// A client with `config` (a [`Config`](lean_aws_runtime::Config) or a reference to one); settings it
            /// leaves unset come from the environment.
            pub fn new(config: impl Into<lean_aws_runtime::Config>) -> Self {
                Self::from_conf(config.into())
            }

            /// A client with `config`; settings it leaves unset come from the environment.
            pub fn from_conf(config: lean_aws_runtime::Config) -> Self {
                Client {
                    runtime: lean_aws_runtime::Client::new(&#root::service::SERVICE, config.clone()),
                    config,
                }
            }

            /// A client configured entirely from the environment.
            pub fn from_env() -> Self {
                Self::from_conf(lean_aws_runtime::Config::default())
            }

            /// The configuration the client was made with (what it left unset was resolved from the environment
            /// when the client was made).
            pub fn config(&self) -> &lean_aws_runtime::Config {
                &self.config
            }

            /// The runtime client that performs the calls (its retry quota, or operations of your own).
            pub fn runtime(&self) -> &lean_aws_runtime::Client {
                &self.runtime
            }
        }

        #waiters
    }
}
