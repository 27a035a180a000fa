//! A shape's JSON serializer (writes JSON directly) and deserializer (reads a parsed `serde_json::Value`, naming
//! the member path on any mismatch). A client serializes inputs and deserializes outputs and errors; a server the
//! other way round.
//!
//! A client's deserializers ([`Decoding::Forgiving`]) follow Smithy's client error correction: a member the
//! model marks required but the service left out (or sent as `null`) gets its type's zero value (an empty string,
//! 0, false, an empty list or map, the epoch, an enum or union's unknown variant, a structure corrected the same
//! way) instead of failing the call. Unknown members are ignored; unknown enum values and union members are kept.
//!
//! A server's ([`Decoding::Strict`]) correct nothing: a missing or `null` required member and an enum value
//! outside its set are violations, reported beside the validators' through `out` (the member gets its zero value
//! meanwhile, so that decoding goes on and every violation is found), and `null` list elements, map values and
//! unknown union members are decoding errors. Unknown members are ignored, as the service ignores them.

use super::{is_enum, mentions, Ctx};
use crate::ir::{Kind, Member, Shape};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

fn timestamp_format(format: Option<&str>) -> TokenStream {
    match format {
        Some("iso8601") => quote!(json::TimestampFormat::Iso8601),
        Some("rfc822") => quote!(json::TimestampFormat::HttpDate),
        _ => quote!(json::TimestampFormat::EpochSeconds),
    }
}

fn member_format<'a>(ctx: &'a Ctx<'_>, member: Option<&'a Member>, target: &'a str) -> Option<&'a str> {
    member
        .and_then(|m| m.timestamp_format.as_deref())
        .or(match &ctx.shape(target).kind {
            Kind::Timestamp { format } => format.as_deref(),
            _ => None,
        })
}

/// Statements writing `value` (an expression of type `&T`) of shape `target`.
fn ser_value(ctx: &Ctx<'_>, target: &str, member: Option<&Member>, value: TokenStream) -> TokenStream {
    let shape = ctx.shape(target);
    match &shape.kind {
        Kind::String { .. } if is_enum(shape) => quote!(w.string(#value.as_str());),
        Kind::String { .. } => quote!(w.string(#value);),
        Kind::Integer { .. } => quote!(w.integer(i64::from(*#value));),
        Kind::Long { .. } => quote!(w.integer(*#value);),
        Kind::Float { .. } => quote!(w.float32(*#value);),
        Kind::Double { .. } => quote!(w.float(*#value);),
        Kind::Boolean => quote!(w.boolean(*#value);),
        Kind::Timestamp { .. } => {
            let fmt = timestamp_format(member_format(ctx, member, target));
            quote!(w.timestamp(#value, #fmt);)
        }
        Kind::Blob { .. } => quote!(w.blob(#value);),
        Kind::Document => quote!(w.document(#value);),
        Kind::Structure { .. } | Kind::Union { .. } | Kind::List { .. } | Kind::Map { .. } => {
            let f = ctx.fn_path("ser", target);
            quote!(#f(#value, w);)
        }
    }
}

/// The serializer of a structure, union, list or map (`None` for other shapes, which are written inline).
pub fn ser_fn(ctx: &Ctx<'_>, shape: &Shape) -> Option<TokenStream> {
    let f = format_ident!("{}", names::fn_name("ser", &shape.name));
    let body = match &shape.kind {
        Kind::Structure { members, exception } => {
            // A modelled error says what it is (awsJson): only servers write errors.
            let error_type = exception.then(|| {
                let code = &shape.name;
                quote!(w.key("__type"); w.string(#code);)
            });
            let writes = members.iter().map(|m| {
                let field = names::ident(&names::field_name(&m.name));
                let key = &m.wire_name;
                let write = ser_value(ctx, &m.target, Some(m), quote!(x));
                if ctx.bare(shape, m) {
                    quote! { let x = &v.#field; w.key(#key); #write }
                } else {
                    quote! { if let Some(x) = &v.#field { w.key(#key); #write } }
                }
            });
            let unused = members.is_empty().then(|| quote!(let _ = v;));
            quote! { #unused w.begin_object(); #error_type #(#writes)* w.end_object(); }
        }
        Kind::Union { members } => {
            let ty = ctx.type_path(&shape.name);
            let unknown = format_ident!("{}", names::UNKNOWN_VARIANT);
            let arms = members.iter().map(|m| {
                let variant = format_ident!("{}", names::variant_name(&m.name));
                let key = &m.wire_name;
                let write = ser_value(ctx, &m.target, Some(m), quote!(x));
                quote! { #ty::#variant(x) => { w.key(#key); #write } }
            });
            quote! { w.begin_object(); match v { #(#arms)* #ty::#unknown(_) => {} } w.end_object(); }
        }
        Kind::List { member, .. } => {
            let write = ser_value(ctx, member, None, quote!(x));
            quote! { w.begin_array(); for x in v { w.element(); #write } w.end_array(); }
        }
        Kind::Map { value, .. } => {
            let write = ser_value(ctx, value, None, quote!(x));
            quote! { w.begin_object(); for (k, x) in json::in_key_order(v) { w.key(k); #write } w.end_object(); }
        }
        _ => return None,
    };
    let ty = ctx.arg_type(&shape.name);
    let vis = ctx.fn_vis(&shape.name);
    Some(quote! {
        #vis fn #f(v: #ty, w: &mut json::JsonWriter) {
            #body
        }
    })
}

/// How a deserializer treats what the model does not allow: see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// A client's: error correction, unknown values kept.
    Forgiving,
    /// A server's: violations reported, nothing corrected.
    Strict,
}

/// An expression of type `Result<T, DecodeError>` reading `v: &Value` of shape `target`. Strict reads also take
/// `path`, an expression of type `validate::Path`, and report to `out`.
fn de_value(
    ctx: &Ctx<'_>,
    target: &str,
    member: Option<&Member>,
    decoding: Decoding,
    path: TokenStream,
) -> TokenStream {
    if let Some(f) = plain_reader(ctx, target, decoding) {
        return quote!(#f(v));
    }
    let shape = ctx.shape(target);
    match &shape.kind {
        Kind::String { .. } if is_enum(shape) => {
            let ty = ctx.type_path(target);
            match decoding {
                Decoding::Forgiving => quote!(json::de_string(v).map(#ty::from)),
                Decoding::Strict => {
                    let support = ctx.support();
                    quote! {
                        json::de_string(v).map(|s| {
                            #support::check_enum(&s, #ty::values(), &#path, out);
                            #ty::from(s)
                        })
                    }
                }
            }
        }
        Kind::Timestamp { .. } => {
            let fmt = timestamp_format(member_format(ctx, member, target));
            quote!(json::de_timestamp(v, #fmt))
        }
        Kind::Document => quote!(Ok::<json::Value, json::DecodeError>(v.clone())),
        // The rest is a strict read of an aggregate: the plain readers cover every other case.
        _ => {
            let f = ctx.fn_path("de", target);
            quote!(#f(v, &#path, out))
        }
    }
}

/// The function that reads `v: &Value` of shape `target` when the read is one call of it on `v` (`json::de_string`,
/// a forgiving `de_cluster`).
fn plain_reader(ctx: &Ctx<'_>, target: &str, decoding: Decoding) -> Option<TokenStream> {
    let shape = ctx.shape(target);
    Some(match &shape.kind {
        Kind::String { .. } if !is_enum(shape) => quote!(json::de_string),
        Kind::Integer { .. } => quote!(json::de_i32),
        Kind::Long { .. } => quote!(json::de_i64),
        Kind::Float { .. } => quote!(json::de_f32),
        Kind::Double { .. } => quote!(json::de_f64),
        Kind::Boolean => quote!(json::de_bool),
        Kind::Blob { .. } => quote!(json::de_blob),
        Kind::Structure { .. } | Kind::Union { .. } | Kind::List { .. } | Kind::Map { .. }
            if decoding == Decoding::Forgiving =>
        {
            ctx.fn_path("de", target)
        }
        _ => return None,
    })
}

/// What reads `v: &Value` of shape `target`, as something callable: the [`plain_reader`] where there is one, else
/// a closure (for [`json::optional`]'s `read`).
fn de_callable(
    ctx: &Ctx<'_>,
    target: &str,
    member: Option<&Member>,
    decoding: Decoding,
    path: TokenStream,
) -> TokenStream {
    plain_reader(ctx, target, decoding).unwrap_or_else(|| {
        let read = de_value(ctx, target, member, decoding, path);
        quote!(|v| #read)
    })
}

/// The zero value of shape `target` (Smithy's client error correction), an expression of its Rust type. A
/// structure's zero is what its deserializer makes of `{}`, which cannot fail.
fn zero_value(ctx: &Ctx<'_>, target: &str, decoding: Decoding) -> TokenStream {
    let shape = ctx.shape(target);
    match &shape.kind {
        Kind::String { .. } if is_enum(shape) => {
            let ty = ctx.type_path(target);
            quote!(#ty::from(""))
        }
        Kind::String { .. } => quote!(String::new()),
        Kind::Integer { .. } | Kind::Long { .. } => quote!(0),
        Kind::Float { .. } | Kind::Double { .. } => quote!(0.0),
        Kind::Boolean => quote!(false),
        Kind::Timestamp { .. } => quote!(lean_aws_runtime::DateTime::from_secs(0)),
        Kind::Blob { .. } | Kind::List { .. } => quote!(Vec::new()),
        Kind::Map { .. } => quote!(Default::default()),
        Kind::Document => quote!(json::Value::Null),
        Kind::Union { .. } => {
            let ty = ctx.type_path(target);
            let unknown = format_ident!("{}", names::UNKNOWN_VARIANT);
            quote!(#ty::#unknown(lean_aws_runtime::UnknownMember::default()))
        }
        Kind::Structure { .. } => {
            let f = ctx.fn_path("de", target);
            match decoding {
                Decoding::Forgiving => quote!(#f(&json::Value::Object(Default::default()))?),
                // What the zero value's own members lack is moot: the member itself is reported missing.
                Decoding::Strict => quote!(#f(&json::Value::Object(Default::default()), path, &mut Vec::new())?),
            }
        }
    }
}

fn de_member(ctx: &Ctx<'_>, owner: &Shape, m: &Member, decoding: Decoding) -> TokenStream {
    let key = &m.wire_name;
    let name = &m.name;
    let boxed = ctx.boxed(&owner.name, m);
    let read = de_value(ctx, &m.target, Some(m), decoding, quote!(path.member(#name)));
    let read = if boxed { quote!(#read.map(Box::new)) } else { read };
    if ctx.bare(owner, m) {
        let zero = zero_value(ctx, &m.target, decoding);
        let zero = if boxed { quote!(Box::new(#zero)) } else { zero };
        let absent = match decoding {
            Decoding::Forgiving => zero,
            Decoding::Strict => {
                let support = ctx.support();
                quote!({ #support::missing(&path.member(#name), out); #zero })
            }
        };
        quote!(match json::member(obj, #key) { Some(v) => #read.map_err(|e| e.at(#key))?, None => #absent })
    } else {
        let read = if boxed {
            quote!(|v| #read)
        } else {
            de_callable(ctx, &m.target, Some(m), decoding, quote!(path.member(#name)))
        };
        quote!(json::optional(obj, #key, #read)?)
    }
}

/// The match arm that reads union member `m` of `shape` (whose type is `ty`).
fn union_arm(ctx: &Ctx<'_>, shape: &Shape, ty: &TokenStream, m: &Member, decoding: Decoding) -> TokenStream {
    let variant = format_ident!("{}", names::variant_name(&m.name));
    let key = &m.wire_name;
    let name = &m.name;
    let read = de_value(ctx, &m.target, Some(m), decoding, quote!(path.member(#name)));
    let read = if ctx.boxed(&shape.name, m) {
        quote!(#read.map(Box::new))
    } else {
        read
    };
    quote!(#key => #read.map(#ty::#variant).map_err(|e| e.at(#key)),)
}

/// The deserializer of a structure, union, list or map (`None` for other shapes, which are read inline).
pub fn de_fn(ctx: &Ctx<'_>, shape: &Shape, decoding: Decoding) -> Option<TokenStream> {
    let f = format_ident!("{}", names::fn_name("de", &shape.name));
    let vis = ctx.fn_vis(&shape.name);
    let ty = ctx.rust_type(&shape.name);
    let fields = |members: &[Member]| -> Vec<TokenStream> {
        members
            .iter()
            .map(|m| {
                let field = names::ident(&names::field_name(&m.name));
                let read = de_member(ctx, shape, m, decoding);
                quote!(#field: #read,)
            })
            .collect()
    };
    if decoding == Decoding::Strict {
        let body = strict_body(ctx, shape, &ty, fields)?;
        // Shapes without enums, required members or aggregates below them need neither path nor `out`.
        let unused_path = (!mentions(&body, "path")).then(|| quote!(let _ = path;));
        let unused_out = (!mentions(&body, "out")).then(|| quote!(let _ = out;));
        let support = ctx.support();
        return Some(quote! {
            #vis fn #f(
                v: &json::Value,
                path: &validate::Path<'_>,
                out: &mut Vec<#support::Violation>,
            ) -> Result<#ty, json::DecodeError> {
                #unused_path
                #unused_out
                #body
            }
        });
    }
    Some(match &shape.kind {
        Kind::Structure {
            members,
            exception: true,
        } => {
            let fields = fields(members);
            let obj = if members.is_empty() { quote!(_obj) } else { quote!(obj) };
            let meta = format_ident!("{}", names::ERROR_META_FIELD);
            quote! {
                impl lean_aws_runtime::error::ModelledError for #ty {
                    fn decode(v: &json::Value, #meta: lean_aws_runtime::ErrorMetadata) -> Result<Self, json::DecodeError> {
                        let #obj = json::de_object(v)?;
                        Ok(#ty { #(#fields)* #meta })
                    }
                }
            }
        }
        Kind::Structure { members, .. } => {
            let fields = fields(members);
            let request_id = format_ident!("{}", names::REQUEST_ID_FIELD);
            let request_id = ctx
                .outputs
                .contains_key(&shape.name)
                .then(|| quote!(#request_id: None,));
            let obj = if members.is_empty() { quote!(_obj) } else { quote!(obj) };
            quote! {
                #vis fn #f(v: &json::Value) -> Result<#ty, json::DecodeError> {
                    let #obj = json::de_object(v)?;
                    Ok(#ty { #(#fields)* #request_id })
                }
            }
        }
        Kind::Union { members } => {
            let unknown = format_ident!("{}", names::UNKNOWN_VARIANT);
            let arms = members.iter().map(|m| union_arm(ctx, shape, &ty, m, decoding));
            quote! {
                #vis fn #f(v: &json::Value) -> Result<#ty, json::DecodeError> {
                    let obj = json::de_object(v)?;
                    // `__type` is not a member; nulls are unset members.
                    let mut set = obj.iter().filter(|(k, v)| *k != "__type" && !v.is_null());
                    let Some((key, v)) = set.next() else {
                        return Err(json::DecodeError::new("a union must have exactly one member set, got none"));
                    };
                    if set.next().is_some() {
                        return Err(json::DecodeError::new("a union must have exactly one member set, got several"));
                    }
                    match key.as_str() {
                        #(#arms)*
                        _ => Ok(#ty::#unknown(lean_aws_runtime::UnknownMember::new(key, v.clone()))),
                    }
                }
            }
        }
        Kind::List { member, .. } => {
            let read = de_value(ctx, member, None, decoding, quote!());
            quote! {
                #vis fn #f(v: &json::Value) -> Result<#ty, json::DecodeError> {
                    json::de_array(v)?
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(i, v)| #read.map_err(|e| e.at(format!("[{i}]"))))
                        .collect()
                }
            }
        }
        Kind::Map { value, .. } => {
            let read = de_value(ctx, value, None, decoding, quote!());
            quote! {
                #vis fn #f(v: &json::Value) -> Result<#ty, json::DecodeError> {
                    json::de_object(v)?
                        .iter()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(k, v)| Ok((k.clone(), #read.map_err(|e| e.at(k.clone()))?)))
                        .collect()
                }
            }
        }
        _ => return None,
    })
}

/// The body of a strict deserializer (see [`Decoding::Strict`]); `fields` reads a structure's members.
fn strict_body(
    ctx: &Ctx<'_>,
    shape: &Shape,
    ty: &TokenStream,
    fields: impl Fn(&[Member]) -> Vec<TokenStream>,
) -> Option<TokenStream> {
    Some(match &shape.kind {
        // Errors are never read by a server.
        Kind::Structure { exception: true, .. } => return None,
        Kind::Structure { members, .. } => {
            let fields = fields(members);
            let obj = if members.is_empty() { quote!(_obj) } else { quote!(obj) };
            quote! {
                let #obj = json::de_object(v)?;
                Ok(#ty { #(#fields)* })
            }
        }
        Kind::Union { members } => {
            let arms = members.iter().map(|m| union_arm(ctx, shape, ty, m, Decoding::Strict));
            quote! {
                let obj = json::de_object(v)?;
                let mut set = obj.iter().filter(|(_, v)| !v.is_null());
                let Some((key, v)) = set.next() else {
                    return Err(json::DecodeError::new("a union must have exactly one member set, got none"));
                };
                if set.next().is_some() {
                    return Err(json::DecodeError::new("a union must have exactly one member set, got several"));
                }
                match key.as_str() {
                    #(#arms)*
                    other => Err(json::DecodeError::new(format!("{other} is not a member of this union"))),
                }
            }
        }
        Kind::List { member, .. } => {
            let read = de_value(ctx, member, None, Decoding::Strict, quote!(path.index(i)));
            quote! {
                let mut items = Vec::new();
                for (i, v) in json::de_array(v)?.iter().enumerate() {
                    items.push(#read.map_err(|e| e.at(format!("[{i}]")))?);
                }
                Ok(items)
            }
        }
        Kind::Map { value, .. } => {
            let map = ctx.map_type();
            let read = de_value(ctx, value, None, Decoding::Strict, quote!(path.key(k)));
            quote! {
                let mut entries = #map::new();
                for (k, v) in json::de_object(v)? {
                    entries.insert(k.clone(), #read.map_err(|e| e.at(k.clone()))?);
                }
                Ok(entries)
            }
        }
        _ => return None,
    })
}
