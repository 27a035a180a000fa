//! `serde.rs`: a serializer per input-side shape (writing JSON directly) and a deserializer per output-side shape
//! (reading a parsed `serde_json::Value`, naming the member path on any mismatch).

use super::{is_enum, Ctx};
use crate::ir::{Kind, Member, Shape};
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(ctx: &Ctx<'_>) -> TokenStream {
    let sers = ctx
        .input_side
        .iter()
        .map(|s| ctx.shape(s))
        .filter_map(|s| ser_fn(ctx, s));
    let des = ctx
        .output_side
        .iter()
        .map(|s| ctx.shape(s))
        .filter_map(|s| de_fn(ctx, s));
    quote! {
        //! JSON serializers and deserializers.
        #![allow(unused_imports, clippy::needless_borrow)]
        use lean_aws_runtime::protocol::json::{
            de_array, de_blob, de_bool, de_f32, de_f64, de_i32, de_i64, de_object, de_string, de_timestamp, member,
            required, DecodeError, JsonWriter, TimestampFormat, Value,
        };
        #(#sers)*
        #(#des)*
    }
}

fn timestamp_format(format: Option<&str>) -> TokenStream {
    match format {
        Some("iso8601") => quote!(TimestampFormat::Iso8601),
        Some("rfc822") => quote!(TimestampFormat::HttpDate),
        _ => quote!(TimestampFormat::EpochSeconds),
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
            let f = format_ident!("{}", names::fn_name("ser", target));
            quote!(#f(#value, w);)
        }
    }
}

fn ser_fn(ctx: &Ctx<'_>, shape: &Shape) -> Option<TokenStream> {
    let f = format_ident!("{}", names::fn_name("ser", &shape.name));
    let body = match &shape.kind {
        Kind::Structure { members, .. } => {
            let writes = members.iter().map(|m| {
                let field = names::ident(&names::field_name(&m.name));
                let key = &m.wire_name;
                let write = ser_value(ctx, &m.target, Some(m), quote!(x));
                if ctx.is_required(shape, m) {
                    quote! { let x = &v.#field; w.key(#key); #write }
                } else {
                    quote! { if let Some(x) = &v.#field { w.key(#key); #write } }
                }
            });
            let unused = members.is_empty().then(|| quote!(let _ = v;));
            quote! { #unused w.begin_object(); #(#writes)* w.end_object(); }
        }
        Kind::Union { members } => {
            let ty = ctx.type_path(&shape.name);
            let arms = members.iter().map(|m| {
                let variant = format_ident!("{}", names::variant_name(&m.name));
                let key = &m.wire_name;
                let write = ser_value(ctx, &m.target, Some(m), quote!(x));
                quote! { #ty::#variant(x) => { w.key(#key); #write } }
            });
            quote! { w.begin_object(); match v { #(#arms)* #ty::Unknown => {} } w.end_object(); }
        }
        Kind::List { member, .. } => {
            let write = ser_value(ctx, member, None, quote!(x));
            quote! { w.begin_array(); for x in v { w.element(); #write } w.end_array(); }
        }
        Kind::Map { value, .. } => {
            let write = ser_value(ctx, value, None, quote!(x));
            quote! { w.begin_object(); for (k, x) in v { w.key(k); #write } w.end_object(); }
        }
        _ => return None,
    };
    let ty = ctx.arg_type(&shape.name);
    Some(quote! {
        pub(crate) fn #f(v: #ty, w: &mut JsonWriter) {
            #body
        }
    })
}

/// An expression of type `Result<T, DecodeError>` reading `v: &Value` of shape `target`.
fn de_value(ctx: &Ctx<'_>, target: &str, member: Option<&Member>) -> TokenStream {
    let shape = ctx.shape(target);
    match &shape.kind {
        Kind::String { .. } if is_enum(shape) => {
            let ty = ctx.type_path(target);
            quote!(de_string(v).map(#ty::from))
        }
        Kind::String { .. } => quote!(de_string(v)),
        Kind::Integer { .. } => quote!(de_i32(v)),
        Kind::Long { .. } => quote!(de_i64(v)),
        Kind::Float { .. } => quote!(de_f32(v)),
        Kind::Double { .. } => quote!(de_f64(v)),
        Kind::Boolean => quote!(de_bool(v)),
        Kind::Timestamp { .. } => {
            let fmt = timestamp_format(member_format(ctx, member, target));
            quote!(de_timestamp(v, #fmt))
        }
        Kind::Blob { .. } => quote!(de_blob(v)),
        Kind::Document => quote!(Ok::<Value, DecodeError>(v.clone())),
        Kind::Structure { .. } | Kind::Union { .. } | Kind::List { .. } | Kind::Map { .. } => {
            let f = format_ident!("{}", names::fn_name("de", target));
            quote!(#f(v))
        }
    }
}

fn de_member(ctx: &Ctx<'_>, owner: &Shape, m: &Member) -> TokenStream {
    let key = &m.wire_name;
    let read = de_value(ctx, &m.target, Some(m));
    let read = if ctx.boxed(&owner.name, m) {
        quote!(#read.map(Box::new))
    } else {
        read
    };
    if ctx.is_required(owner, m) {
        quote!({ let v = required(obj, #key)?; #read.map_err(|e| e.at(#key))? })
    } else {
        quote!(match member(obj, #key) { Some(v) => Some(#read.map_err(|e| e.at(#key))?), None => None })
    }
}

fn de_fn(ctx: &Ctx<'_>, shape: &Shape) -> Option<TokenStream> {
    let f = format_ident!("{}", names::fn_name("de", &shape.name));
    let ty = ctx.rust_type(&shape.name);
    let fields = |members: &[Member]| -> Vec<TokenStream> {
        members
            .iter()
            .map(|m| {
                let field = names::ident(&names::field_name(&m.name));
                let read = de_member(ctx, shape, m);
                quote!(#field: #read,)
            })
            .collect()
    };
    Some(match &shape.kind {
        Kind::Structure {
            members,
            exception: true,
        } => {
            let fields = fields(members);
            let obj = if members.is_empty() { quote!(_obj) } else { quote!(obj) };
            quote! {
                pub(crate) fn #f(v: &Value, meta: lean_aws_runtime::ErrorMetadata) -> Result<#ty, DecodeError> {
                    let #obj = de_object(v)?;
                    Ok(#ty { #(#fields)* meta })
                }
            }
        }
        Kind::Structure { members, .. } if members.is_empty() => {
            let request_id = ctx.outputs.contains_key(&shape.name).then(|| quote!(request_id: None,));
            quote! {
                pub(crate) fn #f(v: &Value) -> Result<#ty, DecodeError> {
                    de_object(v)?;
                    Ok(#ty { #request_id })
                }
            }
        }
        Kind::Structure { members, .. } => {
            let fields = fields(members);
            let request_id = ctx.outputs.contains_key(&shape.name).then(|| quote!(request_id: None,));
            quote! {
                pub(crate) fn #f(v: &Value) -> Result<#ty, DecodeError> {
                    let obj = de_object(v)?;
                    Ok(#ty { #(#fields)* #request_id })
                }
            }
        }
        Kind::Union { members } => {
            let arms = members.iter().map(|m| {
                let variant = format_ident!("{}", names::variant_name(&m.name));
                let key = &m.wire_name;
                let read = de_value(ctx, &m.target, Some(m));
                let read = if ctx.boxed(&shape.name, m) {
                    quote!(#read.map(Box::new))
                } else {
                    read
                };
                quote!(#key => #read.map(#ty::#variant).map_err(|e| e.at(#key)),)
            });
            quote! {
                pub(crate) fn #f(v: &Value) -> Result<#ty, DecodeError> {
                    let obj = de_object(v)?;
                    // `__type` is not a member; nulls are unset members.
                    let mut set = obj.iter().filter(|(k, v)| *k != "__type" && !v.is_null());
                    let Some((key, v)) = set.next() else {
                        return Err(DecodeError::new("a union must have exactly one member set, got none"));
                    };
                    if set.next().is_some() {
                        return Err(DecodeError::new("a union must have exactly one member set, got several"));
                    }
                    match key.as_str() {
                        #(#arms)*
                        _ => Ok(#ty::Unknown),
                    }
                }
            }
        }
        Kind::List { member, .. } => {
            let read = de_value(ctx, member, None);
            quote! {
                pub(crate) fn #f(v: &Value) -> Result<#ty, DecodeError> {
                    de_array(v)?
                        .iter()
                        .enumerate()
                        .filter(|(_, v)| !v.is_null())
                        .map(|(i, v)| #read.map_err(|e| e.at(format!("[{i}]"))))
                        .collect()
                }
            }
        }
        Kind::Map { value, .. } => {
            let read = de_value(ctx, value, None);
            quote! {
                pub(crate) fn #f(v: &Value) -> Result<#ty, DecodeError> {
                    de_object(v)?
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
