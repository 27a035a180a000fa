//! Server mode's own files: `server.rs`, with the service's constants, the handler trait (one method per operation,
//! taking its input and returning its output or error enum) and `dispatch`, which performs the operation an
//! `X-Amz-Target` names; and the tree's root module. The operations' files hold the `serve` functions it calls.

use super::{doc_attrs, file, Chunk, Ctx};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// The tree's root module, and `server.rs`.
pub fn emit(ctx: &Ctx<'_>) -> (TokenStream, Vec<(String, TokenStream)>) {
    let root = &ctx.root;
    let meta = &ctx.service.meta;
    let target_prefix = &meta.target_prefix;
    let signing_name = &meta.signing_name;
    let content_type = format!("application/x-amz-json-{}", meta.json_version);
    let handler = format_ident!("{}", names::HANDLER_TRAIT);
    let dispatch = format_ident!("{}", names::DISPATCH_FN);
    let serve = format_ident!("{}", names::SERVE_FN);
    let support = ctx.support();
    let op_names: Vec<&str> = ctx.operations.iter().map(|o| o.name.as_str()).collect();
    let methods = ctx.operations.iter().map(|op| {
        let method = names::ident(&names::method_name(&op.name));
        let input = format_ident!("{}", names::input_name(&op.name));
        let output = format_ident!("{}", names::output_name(&op.name));
        let error = format_ident!("{}", names::error_name(&op.name));
        let doc = doc_attrs(&op.doc);
        let name = &op.name;
        quote! {
            #doc
            ///
            /// Unless the handler performs it, the answer is the support module's `ServiceError::not_served`.
            fn #method(
                &self,
                input: #root::operations::#input,
            ) -> impl std::future::Future<
                Output = Result<#root::operations::#output, #root::operations::#error>,
            > + Send {
                let _ = input;
                std::future::ready(Err(#support::ServiceError::not_served(#name).into()))
            }
        }
    });
    let modules = ctx
        .operations
        .iter()
        .map(|op| format_ident!("{}", names::module_name(&op.name)));
    let server = quote! {
        /// The service's `X-Amz-Target` prefix: a request names its operation as `<prefix>.<Operation>`.
        pub const TARGET_PREFIX: &str = #target_prefix;

        /// The service's SigV4 signing name, the fourth part of a request's credential scope.
        pub const SIGNING_NAME: &str = #signing_name;

        /// The `Content-Type` of requests and answers.
        pub const CONTENT_TYPE: &str = #content_type;

        /// The operations this server performs.
        pub const OPERATIONS: &[&str] = &[#(#op_names),*];

        /// What the server does: a method per operation, given its decoded and validated input, returning its
        /// output or one of its errors. [`dispatch`] calls them. A method the handler does not provide answers that
        /// the server does not perform the operation.
        pub trait #handler: Send + Sync {
            #(#methods)*
        }

        /// Performs the operation that `target` (the request's `X-Amz-Target`) names with `handler`: decodes and
        /// validates `body`, calls the handler's method and encodes its answer. An operation this server does not
        /// have gets `UnknownOperationException`.
        pub async fn #dispatch<H: #handler>(handler: &H, target: &str, body: &[u8]) -> #support::Response {
            let operation = target
                .strip_prefix(TARGET_PREFIX)
                .and_then(|rest| rest.strip_prefix('.'));
            match operation {
                #(Some(#op_names) => #root::operations::#modules::#serve(handler, body).await,)*
                _ => #support::unknown_operation(target),
            }
        }
    };
    let server_module = format_ident!("{}", names::SERVER_MODULE);
    let service_id = &meta.service_id;
    let mod_doc = format!(
        " The service side of {service_id}'s operations, generated from its model: shapes, strict input decoders, \
         the same validators as the client's, output and error encoders, and the handler trait with its dispatch."
    );
    let root = quote! {
        #![doc = #mod_doc]
        pub mod operations;
        pub mod #server_module;
        pub mod types;
    };
    let files = vec![(
        format!("{}.rs", names::SERVER_MODULE),
        file(
            ctx,
            " The handler trait, one method per operation, and the dispatch on `X-Amz-Target`.",
            &BTreeSet::new(),
            vec![Chunk::new(BTreeSet::new(), server)],
        ),
    )];
    (root, files)
}
