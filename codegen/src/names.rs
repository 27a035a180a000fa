//! Every Rust name the generator emits comes from here, so that collisions can be checked in one place.

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Names that cannot be raw identifiers.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// An identifier from a name that is already valid Rust (raw when it is a keyword).
pub fn ident(name: &str) -> Ident {
    if RESERVED.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

fn camel(name: &str) -> String {
    let mut s = name.to_upper_camel_case();
    if s.is_empty() {
        s.push_str("Empty");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    s
}

/// The type for shape `shape`: `ClusterSummary`, `Ec2InstanceAttributes`.
pub fn type_name(shape: &str) -> String {
    camel(shape)
}

/// The builder of a type.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The builder method that sets or clears member `member` from an `Option`: `set_studio_id`.
pub fn setter_name(member: &str) -> String {
    format!("set_{}", field_name(member))
}

/// The builder method that shows member `member` as set so far: `get_studio_id`.
pub fn getter_name(member: &str) -> String {
    format!("get_{}", field_name(member))
}

/// The input type of operation `op`.
pub fn input_name(op: &str) -> String {
    format!("{}Input", camel(op))
}

/// The output type of operation `op`.
pub fn output_name(op: &str) -> String {
    format!("{}Output", camel(op))
}

/// The error enum of operation `op`.
pub fn error_name(op: &str) -> String {
    format!("{}Error", camel(op))
}

/// The marker type of operation `op`.
pub fn operation_name(op: &str) -> String {
    camel(op)
}

/// The client method for operation `op`.
pub fn method_name(op: &str) -> String {
    op.to_snake_case()
}

/// The client method that pages through operation `op`: `list_clusters_pages`.
pub fn paginator_method_name(op: &str) -> String {
    format!("{}_pages", op.to_snake_case())
}

/// The client method for waiter `waiter`: `wait_until_cluster_running`.
pub fn waiter_method_name(waiter: &str) -> String {
    format!("wait_until_{}", waiter.to_snake_case())
}

/// The method of an operation's error enum that tells whether it is modelled error `error`:
/// `is_invalid_request_exception`.
pub fn error_check_name(error: &str) -> String {
    format!("is_{}", error.to_snake_case())
}

/// The cargo feature that enables operation `op`: `describe-cluster`.
pub fn feature_name(op: &str) -> String {
    op.to_kebab_case()
}

/// The cargo feature of a client crate (and of the runtime) that compiles the test doubles: mocks, clocks, the
/// in-memory transport.
pub const TEST_UTIL_FEATURE: &str = "test-util";

/// The cargo feature of a client crate (and of the runtime) that builds a client's configuration from aws-config's
/// `SdkConfig`.
pub const AWS_CONFIG_FEATURE: &str = "aws-config";

/// The cargo feature that enables every operation.
pub const FULL_FEATURE: &str = "full";

/// The runtime's feature that compresses request bodies, as an operation's feature enables it.
pub const RUNTIME_COMPRESSION_FEATURE: &str = "lean-aws-runtime/compression";

/// The module tree of the operations: a client's `operation` (`operation::describe_cluster::..`, as aws-sdk-rust
/// has it), a server's `operations`.
pub fn operations_module(server: bool) -> &'static str {
    if server {
        "operations"
    } else {
        "operation"
    }
}

/// The module of builders beside the types they build: `operation::describe_cluster::builders`,
/// `types::builders`, `types::error::builders`.
pub const BUILDERS_MODULE: &str = "builders";

/// The module of `types` where a client's modelled errors are also found: `types::error`.
pub const TYPES_ERROR_MODULE: &str = "error";

/// The fluent builder that `client.<op>()` returns: `DescribeClusterFluentBuilder`.
pub fn fluent_builder_name(op: &str) -> String {
    format!("{}FluentBuilder", camel(op))
}

/// A paginator's type, which `into_paginator()` returns: `ListClustersPaginator`.
pub fn paginator_name(op: &str) -> String {
    format!("{}Paginator", camel(op))
}

/// The type a paginator's `items()` returns: `ListClustersPaginatorItems`.
pub fn paginator_items_name(op: &str) -> String {
    format!("{}PaginatorItems", camel(op))
}

/// A waiter's fluent builder: `ClusterRunningFluentBuilder`.
pub fn waiter_builder_name(waiter: &str) -> String {
    format!("{}FluentBuilder", camel(waiter))
}

/// The module of a waiter's types: `cluster_running` (in `waiters::`).
pub fn waiter_module_name(waiter: &str) -> String {
    waiter.to_snake_case()
}

/// The trait that holds a client's waiter methods, in `client::`.
pub const WAITERS_TRAIT: &str = "Waiters";

/// The crate-level error that every operation's error converts into: `Error`.
pub const CRATE_ERROR: &str = "Error";

/// The module (and file) of operation `op`: `describe_cluster`.
pub fn module_name(op: &str) -> String {
    op.to_snake_case()
}

/// The module (and file) in `types/` of the shared shapes grouped under `head`: `scaling_rule`.
pub fn group_module_name(head: &str) -> String {
    head.to_snake_case()
}

/// The inline module of `types/` that holds shared shape `shape`'s items behind their one `#[cfg]`:
/// `internal_server_error`.
pub fn shape_module_name(shape: &str) -> String {
    shape.to_snake_case()
}

/// The root module of a generated tree, as [`emit_all`](crate::emit::emit_all) names it: the `mod.rs` of a
/// module tree.
pub const ROOT_MODULE_FILE: &str = "mod.rs";

/// Where the root module goes when the tree is a crate's `src/` itself: the hand-written `lib.rs` (which keeps the
/// crate's docs, and rustfmt away) `include!`s it.
pub const CRATE_ROOT_INCLUDE_FILE: &str = "generated.rs";

/// The `types/` module of shared modelled errors.
pub const ERRORS_MODULE: &str = "errors";

/// The `types/` module of shared enums that no structure there owns.
pub const ENUMS_MODULE: &str = "enums";

/// The `types/` module of the helper functions of shared lists, maps and constrained values whose parents live in
/// several groups.
pub const COMMON_MODULE: &str = "common";

/// The field for member `member`: `studio_id`, `r#type`.
pub fn field_name(member: &str) -> String {
    let s = member.to_snake_case();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{s}")
    } else {
        s
    }
}

/// The variant for enum value `value` or union member `value`.
pub fn variant_name(value: &str) -> String {
    camel(&value.replace(['.', '-', ':', '/', ' '], "_"))
}

/// The variant that keeps enum values and union members added after this code was generated.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The variant of an operation's error enum for errors the model does not list.
pub const UNHANDLED_VARIANT: &str = "Unhandled";

/// The field of an output structure that holds the request id.
pub const REQUEST_ID_FIELD: &str = "request_id";

/// The field of a modelled error that holds code, message, request id and status.
pub const ERROR_META_FIELD: &str = "meta";

/// Server mode: the trait a server implements, one method per operation (named like the client's methods).
pub const HANDLER_TRAIT: &str = "Handler";

/// Server mode: the function that performs the operation an `X-Amz-Target` names.
pub const DISPATCH_FN: &str = "dispatch";

/// Server mode: the function in each operation's file that decodes, validates, calls the handler and encodes.
pub const SERVE_FN: &str = "serve";

/// Server mode: the module of the handler trait and the dispatch.
pub const SERVER_MODULE: &str = "server";

/// A helper function for shape `shape`: `ser_cluster`, `de_cluster`, `validate_xml_string`.
pub fn fn_name(prefix: &str, shape: &str) -> String {
    format!("{prefix}_{}", shape.to_snake_case())
}

/// The regex static of shape `shape`.
pub fn regex_static(shape: &str) -> String {
    format!("RE_{}", shape.to_shouty_snake_case())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_aws_rust_conventions() {
        assert_eq!(type_name("EC2InstanceIdsList"), "Ec2InstanceIdsList");
        assert_eq!(
            input_name("UpdateStudioSessionMapping"),
            "UpdateStudioSessionMappingInput"
        );
        assert_eq!(field_name("StudioId"), "studio_id");
        assert_eq!(ident(&field_name("Type")).to_string(), "r#type");
        assert_eq!(variant_name("USER"), "User");
        assert_eq!(variant_name("TERMINATED_WITH_ERRORS"), "TerminatedWithErrors");
        assert_eq!(variant_name("m5.xlarge"), "M5Xlarge");
        assert_eq!(variant_name("1a"), "V1a");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(feature_name("DescribeCluster"), "describe-cluster");
        assert_eq!(feature_name("AddJobFlowSteps"), "add-job-flow-steps");
        assert_eq!(
            module_name("UpdateStudioSessionMapping"),
            "update_studio_session_mapping"
        );
        assert_eq!(setter_name("StudioId"), "set_studio_id");
        assert_eq!(paginator_method_name("ListClusters"), "list_clusters_pages");
        assert_eq!(waiter_method_name("ClusterRunning"), "wait_until_cluster_running");
        assert_eq!(
            error_check_name("InvalidRequestException"),
            "is_invalid_request_exception"
        );
    }
}
