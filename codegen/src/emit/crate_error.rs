//! `error_meta.rs`: the crate-level `Error`, a variant per modelled error and `Unhandled`, into which every
//! operation's error, `SdkError`, `BuildError` and waiter error converts, so that `?` works in a function that
//! returns `Result<_, crate::Error>` (aws-sdk-rust's `aws_sdk_emr::Error`). Each operation's file converts its
//! own error ([`conversion`]); `SdkError` and waiter errors convert through that.

use super::Ctx;
use crate::ir::{Kind, Operation};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// `error_meta.rs`.
pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let error = format_ident!("{}", names::CRATE_ERROR);
    let unhandled = format_ident!("{}", names::UNHANDLED_VARIANT);
    let none = BTreeSet::new();
    let modelled: Vec<_> = ctx
        .named_types()
        .into_iter()
        .filter(|s| matches!(s.kind, Kind::Structure { exception: true, .. }))
        .map(|s| {
            let variant = format_ident!("{}", names::type_name(&s.name));
            let cfg = ctx.cfg(&ctx.users(&s.name), &none);
            (s, variant, cfg)
        })
        .collect();
    let variants = modelled.iter().map(|(s, variant, cfg)| {
        let path = ctx.type_path(&s.name);
        let doc = format!(" The modelled error `{}`.", s.name);
        quote!(#[doc = #doc] #cfg #variant(#path),)
    });
    let meta_arms = modelled
        .iter()
        .map(|(_, variant, cfg)| quote!(#cfg Self::#variant(e) => lean_aws_runtime::ProvideErrorMetadata::meta(e),));
    quote! {
        //! The crate-level error.

        /// Every way a call can fail, for code that handles them together: the service's modelled errors (each
        /// behind the features of the operations that return it), and `Unhandled` for the rest. Every operation's
        /// error, [`SdkError`](lean_aws_runtime::SdkError), [`BuildError`](lean_aws_runtime::BuildError) and waiter
        /// error converts into it, so `?` works in a function that returns `Result<_, Error>`. It shows the
        /// error's code, message and request id.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
            /// An error the model does not describe, or a failure that is not the service's answer.
            #unhandled(lean_aws_runtime::UnhandledError),
        }

        impl #error {
            fn unhandled(source: impl std::error::Error + Send + Sync + 'static) -> Self {
                let meta = lean_aws_runtime::ErrorMetadata::builder().message(source.to_string()).build();
                Self::#unhandled(lean_aws_runtime::UnhandledError::from_source(meta, source))
            }
        }

        impl std::fmt::Display for #error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    Self::#unhandled(e) => std::fmt::Display::fmt(e, f),
                    #[allow(unreachable_patterns)]
                    _ => lean_aws_runtime::error::fmt_metadata(self, f),
                }
            }
        }

        impl std::error::Error for #error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Self::#unhandled(e) => std::error::Error::source(e),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }

        impl lean_aws_runtime::ProvideErrorMetadata for #error {
            fn meta(&self) -> &lean_aws_runtime::ErrorMetadata {
                match self {
                    #(#meta_arms)*
                    Self::#unhandled(e) => &e.meta,
                }
            }
        }

        impl From<lean_aws_runtime::BuildError> for #error {
            fn from(err: lean_aws_runtime::BuildError) -> Self {
                Self::unhandled(err)
            }
        }

        impl<E: Into<#error> + lean_aws_runtime::error::CreateUnhandledError> From<lean_aws_runtime::SdkError<E>> for #error {
            fn from(err: lean_aws_runtime::SdkError<E>) -> Self {
                err.into_service_error().into()
            }
        }

        impl<O, E> From<lean_aws_runtime::waiter::WaiterError<O, E>> for #error
        where
            O: std::fmt::Debug + Send + Sync + 'static,
            E: Into<#error> + lean_aws_runtime::error::CreateUnhandledError + std::fmt::Debug + std::fmt::Display,
            E: Send + Sync + 'static,
        {
            fn from(err: lean_aws_runtime::waiter::WaiterError<O, E>) -> Self {
                match err {
                    lean_aws_runtime::waiter::WaiterError::Operation { error, .. } => Self::from(error),
                    other => Self::unhandled(other),
                }
            }
        }
    }
}

/// `From<XError> for crate::Error`, in operation `op`'s file.
pub fn conversion(ctx: &Ctx<'_>, op: &Operation) -> TokenStream {
    let root = &ctx.root;
    let error = format_ident!("{}", names::CRATE_ERROR);
    let unhandled = format_ident!("{}", names::UNHANDLED_VARIANT);
    let op_error = format_ident!("{}", names::error_name(&op.name));
    let variants: Vec<_> = op
        .errors
        .iter()
        .map(|e| format_ident!("{}", names::type_name(e)))
        .collect();
    quote! {
        impl From<#op_error> for #root::#error {
            fn from(err: #op_error) -> Self {
                match err {
                    #(#op_error::#variants(e) => Self::#variants(e),)*
                    #op_error::#unhandled(e) => Self::#unhandled(e),
                }
            }
        }
    }
}
