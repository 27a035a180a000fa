//! `blocking.rs` (feature `blocking`): a client whose calls block, over the same builders. The input builders,
//! paginators and waiters are generic over what they are sent with, so the blocking client only adds, for its
//! own `C`, a `send` that returns the result (`into_paginator().send()` an iterator, a waiter's `wait` its
//! outcome); the runtime's `blocking` module runs the async call on its background runtime.

use super::Ctx;
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// The cargo feature that compiles the blocking client.
pub const FEATURE: &str = "blocking";

/// `blocking.rs`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let root = &ctx.root;
    let none = BTreeSet::new();
    let builders = format_ident!("{}", names::BUILDERS_MODULE);
    let mut methods = Vec::new();
    let mut impls = Vec::new();
    for op in &ctx.operations {
        let cfg = ctx.cfg(&BTreeSet::from([op.name.clone()]), &none);
        let module = ctx.operation_module(&op.name);
        let method = names::ident(&names::method_name(&op.name));
        let input = format_ident!("{}", names::input_name(&op.name));
        let output = format_ident!("{}", names::output_name(&op.name));
        let error = format_ident!("{}", names::error_name(&op.name));
        let input_builder = format_ident!("{}", names::builder_name(&input.to_string()));
        let doc = format!(
            " `{}`, blocking: set the input's members on the builder this returns, then `send()`.",
            op.name
        );
        let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
        methods.push(quote! {
            #[doc = #doc]
            #cfg
            #deprecated
            pub fn #method(&self) -> #module::#builders::#input_builder<Client> {
                #module::#input::builder().with_handle(self.clone())
            }
        });
        let paginator = ctx.paginators.contains_key(&op.name).then(|| {
            let paginator = format_ident!("{}", names::paginator_name(&op.name));
            let items = format_ident!("{}", names::paginator_items_name(&op.name));
            let marker = format_ident!("{}", names::operation_name(&op.name));
            quote! {
                #cfg
                impl #module::#builders::#input_builder<Client> {
                    /// Pages through the operation instead: `send()` gives an iterator of pages, `items().send()`
                    /// of their items.
                    pub fn into_paginator(self) -> #module::paginator::#paginator<Client> {
                        #module::paginator::#paginator::new(self)
                    }
                }

                #cfg
                impl #module::paginator::#paginator<Client> {
                    /// The pages, one per call, fetched as the iterator is advanced.
                    pub fn send(self) -> lean_aws_runtime::blocking::Pages<#module::#marker> {
                        let inner = self.inner;
                        let client = inner.handle.inner.runtime().clone();
                        lean_aws_runtime::blocking::Pages::new(lean_aws_runtime::paginator::Paginator::new(
                            client,
                            inner.build_input(),
                        ))
                    }
                }

                #cfg
                impl #module::paginator::#items<Client> {
                    /// The items of every page, fetched as the iterator is advanced.
                    pub fn send(self) -> lean_aws_runtime::blocking::PageItems<#module::#marker> {
                        self.0.send().items()
                    }
                }
            }
        });
        impls.push(quote! {
            #cfg
            impl #module::#builders::#input_builder<Client> {
                /// The input as set so far.
                pub fn as_input(&self) -> &Self {
                    self
                }
                /// Sends the request and waits for the answer: validated first (nothing is sent if the input
                /// breaks a rule of the model), then signed, sent and retried like any call.
                pub fn send(self) -> Result<#module::#output, lean_aws_runtime::SdkError<#module::#error>> {
                    let client = self.handle.inner.clone();
                    lean_aws_runtime::blocking::call(async move { self.send_with(&client).await })
                }
            }
            #paginator
        });
    }
    for w in ctx.waiters.values() {
        let cfg = ctx.cfg(&BTreeSet::from([w.operation.clone()]), &none);
        let op_module = ctx.operation_module(&w.operation);
        let input = format_ident!("{}", names::input_name(&w.operation));
        let input_builder = format_ident!("{}", names::builder_name(&input.to_string()));
        let method = names::ident(&names::waiter_method_name(&w.name));
        let module = names::ident(&names::waiter_module_name(&w.name));
        let handle = format_ident!("{}Waiter", names::type_name(&w.name));
        let final_poll = format_ident!("{}FinalPoll", names::type_name(&w.name));
        let wait_error = format_ident!("WaitUntil{}Error", names::type_name(&w.name));
        let doc = format!(
            " Waits until `{}`, blocking: set the input, then `wait(max_wait)`.",
            w.name
        );
        let name = &w.name;
        methods.push(quote! {
            #[doc = #doc]
            #cfg
            pub fn #method(&self) -> #op_module::#builders::#input_builder<#root::waiters::#module::#handle<Client>> {
                #op_module::#input::builder().with_handle(#root::waiters::#module::#handle {
                    client: self.clone(),
                    settings: Default::default(),
                })
            }
        });
        impls.push(quote! {
            #cfg
            impl #op_module::#builders::#input_builder<#root::waiters::#module::#handle<Client>> {
                /// Polls until the waiter's state is reached, as the async waiter does, blocking meanwhile.
                pub fn wait(
                    self,
                    max_wait: std::time::Duration,
                ) -> Result<#root::waiters::#module::#final_poll, #root::waiters::#module::#wait_error> {
                    let handle = #root::waiters::#module::#handle {
                        client: self.handle.client.inner.clone(),
                        settings: self.handle.settings,
                    };
                    let waiting = self.with_handle(handle);
                    lean_aws_runtime::blocking::block_on(async move { waiting.wait(max_wait).await }).unwrap_or_else(
                        |e| {
                            Err(lean_aws_runtime::waiter::WaiterError::Operation {
                                waiter: #name,
                                error: lean_aws_runtime::SdkError::Blocking(e),
                            })
                        },
                    )
                }
            }
        });
    }
    quote! {
        //! A client whose calls block: the same builders as the async client's, whose `send()` returns the
        //! result. Calls run on a background runtime the process starts on first use, so they work from plain
        //! threads, from many threads at once, and (though an async caller should use the async client) from
        //! inside an async runtime, without panicking.

        // `send` returns what the async call returns, `SdkError` and all, as it is.
        #![allow(clippy::result_large_err)]

        /// A client whose calls block. Cheap to clone; clones share configuration and connections.
        ///
        /// ```no_run
        /// # #[cfg(feature = "describe-cluster")]
        /// # fn run() -> Result<(), lean_emr::Error> {
        /// let client = lean_emr::blocking::Client::from_env();
        /// let output = client.describe_cluster().cluster_id("j-1").send()?;
        /// println!("{:?}", output.cluster().and_then(|c| c.name()));
        /// # Ok(())
        /// # }
        /// ```
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) inner: #root::client::Client,
        }

        impl Client {
            /// A client with `config`; settings it leaves unset come from the environment.
            pub fn new(config: impl Into<lean_aws_runtime::Config>) -> Self {
                Self::from_conf(config.into())
            }

            /// A client with `config`; settings it leaves unset come from the environment.
            pub fn from_conf(config: lean_aws_runtime::Config) -> Self {
                Client { inner: #root::client::Client::from_conf(config) }
            }

            /// A client configured entirely from the environment.
            pub fn from_env() -> Self {
                Self::from_conf(lean_aws_runtime::Config::default())
            }

            /// The configuration the client was made with.
            pub fn config(&self) -> &lean_aws_runtime::Config {
                self.inner.config()
            }

            /// The async client it calls through (sharing its configuration and connections).
            pub fn as_async(&self) -> &#root::client::Client {
                &self.inner
            }

            #(#methods)*
        }

        #(#impls)*
    }
}
