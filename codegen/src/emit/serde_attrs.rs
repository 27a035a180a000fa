//! The generated crate's `serde` feature: `Serialize` and `Deserialize` for every input, output, shape and input
//! builder, in the service's own JSON form (the model's member names, timestamps as epoch seconds, enums as their
//! strings, unions as one-key objects, `None` members left out). Every attribute is behind
//! `#[cfg_attr(feature = "serde", ..)]`, made in [`gated`] only, so a build without the feature sees none of it.
//!
//! Only a client crate with a `[features]` table of its own gets them (the table declares the feature, see
//! [`super::features`]): a server's or a conformance suite's crate has no `serde` feature to gate on.
//!
//! Names: a structure says `rename_all = "PascalCase"` once, and a member is renamed only where serde's
//! PascalCase of its Rust field is not its wire name (`AMIVersion` is the field `ami_version`, PascalCase
//! `AmiVersion`).

use super::Ctx;
use crate::ir::{Kind, Member, Shape};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The feature's name, in the generated crate's and the runtime's `[features]`.
pub const FEATURE: &str = "serde";

/// The optional dependency the feature turns on, with the derive macros.
pub const DEPENDENCY: &str = "dep:serde";

/// The runtime's module for what a derive cannot say.
const SUPPORT: &str = "lean_aws_runtime::serde_support";

/// Whether this run emits serde attributes.
pub fn enabled(ctx: &Ctx<'_>) -> bool {
    ctx.features && !ctx.server
}

/// `#[cfg_attr(feature = "serde", #inner)]`, or nothing where the run has no serde.
fn gated(ctx: &Ctx<'_>, inner: TokenStream) -> TokenStream {
    if !enabled(ctx) || inner.is_empty() {
        return quote!();
    }
    quote!(#[cfg_attr(feature = "serde", #inner)])
}

/// A structure's (or builder's) attributes: the derives and `rename_all`, as two attributes (each fits a line).
pub fn structure(ctx: &Ctx<'_>) -> TokenStream {
    let derive = union(ctx);
    let rename = gated(ctx, quote!(serde(rename_all = "PascalCase")));
    quote!(#derive #rename)
}

/// A union's attributes: the derives (each variant names its member, see [`variant`]).
pub fn union(ctx: &Ctx<'_>) -> TokenStream {
    gated(ctx, quote!(derive(serde::Serialize, serde::Deserialize)))
}

/// A field that is not a member (request id, error metadata, a builder's handle): never written, default when read.
pub fn skip(ctx: &Ctx<'_>) -> TokenStream {
    gated(ctx, quote!(serde(skip)))
}

/// A structure member's field (`optional`: stored in an `Option`): its wire name where `rename_all` does not
/// give it, left out when `None`, and timestamps through the runtime.
pub fn field(ctx: &Ctx<'_>, member: &Member, field: &Ident, optional: bool) -> TokenStream {
    let mut args = Vec::new();
    if pascal_case(field) != member.name {
        let wire = &member.name;
        args.push(quote!(rename = #wire));
    }
    if optional {
        args.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if let Some(with) = with(ctx, member, optional) {
        args.push(quote!(with = #with));
        if optional {
            // `with` loses serde's own "a missing `Option` is `None`".
            args.push(quote!(default));
        }
    }
    let inner = (!args.is_empty()).then(|| quote!(serde(#(#args),*)));
    gated(ctx, inner.unwrap_or_default())
}

/// A union member's variant: its wire name where the variant's is not, and timestamps through the runtime.
pub fn variant(ctx: &Ctx<'_>, member: &Member, variant: &Ident) -> TokenStream {
    let wire = &member.name;
    let rename = (*variant != wire.as_str()).then(|| quote!(rename = #wire));
    let with = with(ctx, member, false).map(|with| quote!(with = #with));
    let args: Vec<TokenStream> = rename.into_iter().chain(with).collect();
    let inner = (!args.is_empty()).then(|| quote!(serde(#(#args),*)));
    gated(ctx, inner.unwrap_or_default())
}

/// A union's `Unknown` variant: read from a member no other variant names, written back as it came.
pub fn unknown_member(ctx: &Ctx<'_>) -> TokenStream {
    gated(ctx, quote!(serde(untagged)))
}

/// An enum's `Serialize` and `Deserialize`: its string (`as_str()` and `From<String>`).
pub fn enumeration(ctx: &Ctx<'_>, ident: &Ident) -> TokenStream {
    if !enabled(ctx) {
        return quote!();
    }
    let feature = FEATURE;
    quote! {
        #[cfg(feature = #feature)]
        lean_aws_runtime::string_enum!(#ident);
    }
}

/// The runtime function path for a member serde cannot write itself: timestamps. A timestamp inside a list or
/// map has none, and generation fails before this is asked (see [`check`]).
fn with(ctx: &Ctx<'_>, member: &Member, optional: bool) -> Option<String> {
    matches!(ctx.shape(&member.target).kind, Kind::Timestamp { .. }).then(|| {
        let option = if optional { "::option" } else { "" };
        format!("{SUPPORT}::epoch_seconds{option}")
    })
}

/// Fails on what serde support does not cover: timestamps and blobs inside lists or maps (the EMR model has
/// neither; a model that does needs a runtime adapter for them first).
pub fn check(ctx: &Ctx<'_>, shape: &Shape) -> Result<(), super::EmitError> {
    if !enabled(ctx) {
        return Ok(());
    }
    let inner = match &shape.kind {
        Kind::List { member, .. } => vec![member],
        Kind::Map { key, value, .. } => vec![key, value],
        Kind::Structure { members, .. } | Kind::Union { members } => {
            return match members
                .iter()
                .find(|m| matches!(ctx.shape(&m.target).kind, Kind::Blob { .. }))
            {
                Some(m) => Err(unsupported(&shape.name, &m.name, "a blob")),
                None => Ok(()),
            };
        }
        _ => return Ok(()),
    };
    for target in inner {
        match ctx.shape(target).kind {
            Kind::Timestamp { .. } => return Err(unsupported(&shape.name, target, "a timestamp")),
            Kind::Blob { .. } => return Err(unsupported(&shape.name, target, "a blob")),
            _ => {}
        }
    }
    Ok(())
}

fn unsupported(shape: &str, what: &str, kind: &str) -> super::EmitError {
    super::EmitError(format!(
        "serde: {shape} holds {kind} ({what}), which the `serde` feature cannot write in the service's JSON form yet"
    ))
}

/// serde's `rename_all = "PascalCase"` of a field (serde's own rule, on the name without `r#`): each `_`-separated
/// word's first letter upper-cased.
fn pascal_case(field: &Ident) -> String {
    let name = field.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    let mut out = String::with_capacity(name.len());
    let mut capitalize = true;
    for ch in name.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names;

    #[test]
    fn pascal_case_is_serdes() {
        for (member, pascal) in [
            ("ClusterId", "ClusterId"),
            ("AMIVersion", "AmiVersion"),
            ("Type", "Type"),
            ("EbsBlockDeviceConfigs", "EbsBlockDeviceConfigs"),
            ("S3LogUri", "S3LogUri"),
        ] {
            let field = names::ident(&names::field_name(member));
            assert_eq!(pascal_case(&field), pascal, "{member} -> {field}");
        }
    }
}
