//! Every Rust name the generator emits comes from here, so that collisions can be checked in one place.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
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
    }
}
