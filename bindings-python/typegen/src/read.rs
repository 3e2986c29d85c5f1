//! Reads core's source files with `syn` and collects every public type that
//! crosses to Python: `id_type!` identifiers, `text_enum!` enums, and structs
//! and enums deriving serde. A serde attribute or a type the generator does
//! not understand is an error, so a change in core cannot slip past it.

use std::fs;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Expr, Fields, GenericArgument, Item, Lit, PathArguments, Type};

use std::collections::BTreeMap;

use crate::model::{
    Constructor, Definition, Field, Init, TextVariant, Ty, UnionVariant, VariantShape,
};

/// Every definition under `src` (a crate's `src/`), files in path order.
pub fn read_crate(src: &Path) -> Result<Vec<Definition>, String> {
    let mut files = Vec::new();
    collect_rs_files(src, &mut files)?;
    files.sort();
    let mut definitions = Vec::new();
    let mut constructors: BTreeMap<String, Vec<Constructor>> = BTreeMap::new();
    for file in files {
        let text = fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        for item in &parsed.items {
            read_item(item, &mut definitions).map_err(|e| format!("{}: {e}", file.display()))?;
            if let Item::Impl(block) = item {
                read_constructors(block, &mut constructors);
            }
        }
    }
    for definition in &mut definitions {
        if let Definition::Record {
            name,
            constructors: found,
            ..
        } = definition
        {
            *found = constructors.remove(name.as_str()).unwrap_or_default();
        }
    }
    Ok(definitions)
}

/// The constructors in an `impl T` block (public functions returning a `T { … }`
/// literal) or an `impl Default for T` block, as field initialisers.
fn read_constructors(block: &syn::ItemImpl, out: &mut BTreeMap<String, Vec<Constructor>>) {
    let Type::Path(self_ty) = block.self_ty.as_ref() else {
        return;
    };
    let Some(type_name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
        return;
    };
    let is_default = match &block.trait_ {
        None => false,
        Some((_, path, _)) if path.is_ident("Default") => true,
        Some(_) => return,
    };
    for item in &block.items {
        let syn::ImplItem::Fn(function) = item else {
            continue;
        };
        if !is_default && !is_public(&function.vis) {
            continue;
        }
        let Some(syn::Stmt::Expr(Expr::Struct(literal), None)) = function.block.stmts.last() else {
            continue;
        };
        let names_self = literal.path.is_ident("Self") || literal.path.is_ident(&type_name);
        if !names_self || literal.rest.is_some() {
            continue;
        }
        let params: Vec<String> = function
            .sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(typed) => match typed.pat.as_ref() {
                    syn::Pat::Ident(ident) => Some(ident.ident.to_string()),
                    _ => None,
                },
                syn::FnArg::Receiver(_) => None,
            })
            .collect();
        if params.is_empty() && !is_default && function.sig.ident != "default" {
            // A no-argument constructor other than Default names a special value, not defaults.
            continue;
        }
        let constructor = literal
            .fields
            .iter()
            .filter_map(|field| match &field.member {
                syn::Member::Named(name) => Some((name.to_string(), init_of(&field.expr, &params))),
                syn::Member::Unnamed(_) => None,
            })
            .collect();
        out.entry(type_name.clone()).or_default().push(constructor);
    }
}

/// What a constructor's field expression puts in the field.
fn init_of(expr: &Expr, params: &[String]) -> Init {
    let is_param = |expr: &Expr| matches!(expr, Expr::Path(p) if p.path.get_ident().is_some_and(|i| params.iter().any(|n| i == n)));
    match expr {
        _ if is_param(expr) => Init::Param,
        Expr::MethodCall(call) if is_param(&call.receiver) => Init::Param,
        Expr::MethodCall(call)
            if call.args.is_empty()
                && ["into", "to_owned", "to_string"]
                    .contains(&call.method.to_string().as_str()) =>
        {
            match init_of(&call.receiver, params) {
                literal @ Init::Literal(_) => literal,
                _ => Init::Unknown,
            }
        }
        Expr::Lit(lit) => match &lit.lit {
            Lit::Bool(b) => Init::Literal(if b.value { "True" } else { "False" }.to_owned()),
            Lit::Int(i) => Init::Literal(i.base10_digits().to_owned()),
            Lit::Float(f) => Init::Literal(f.base10_digits().to_owned()),
            Lit::Str(s) => Init::Literal(format!("{:?}", s.value())),
            _ => Init::Unknown,
        },
        Expr::Path(path) if path.path.is_ident("None") => Init::Null,
        Expr::Path(path) if path.path.segments.len() == 2 => {
            let (ty, variant) = (&path.path.segments[0].ident, &path.path.segments[1].ident);
            Init::Variant(ty.to_string(), variant.to_string())
        }
        Expr::Call(call) if call.args.is_empty() => {
            let Expr::Path(func) = call.func.as_ref() else {
                return Init::Unknown;
            };
            let segments: Vec<String> = func
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            match segments
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                [.., "Utc", "now"] => Init::Now,
                [.., "Default", "default"] | [_, "default"] => Init::TypeDefault,
                [
                    "Vec" | "BTreeMap" | "BTreeSet" | "HashMap" | "HashSet",
                    "new",
                ] => Init::Empty,
                ["String", "new"] => Init::Literal("\"\"".to_owned()),
                [id, "new"] if id.ends_with("Id") => Init::FreshId,
                _ => Init::Unknown,
            }
        }
        Expr::Call(call) if call.args.len() == 1 => match call.func.as_ref() {
            Expr::Path(func) if func.path.is_ident("accounting_time") => match &call.args[0] {
                Expr::Path(day) => day
                    .path
                    .get_ident()
                    .map_or(Init::Unknown, |day| Init::AccountingTime(day.to_string())),
                _ => Init::Unknown,
            },
            Expr::Path(func) if func.path.is_ident("Some") => {
                match init_of(&call.args[0], params) {
                    literal @ (Init::Literal(_) | Init::Variant(..)) => literal,
                    _ => Init::Unknown,
                }
            }
            _ => Init::Unknown,
        },
        _ => Init::Unknown,
    }
}

fn collect_rs_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_rs_files(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn read_item(item: &Item, out: &mut Vec<Definition>) -> Result<(), String> {
    match item {
        Item::Macro(mac) if is_macro(&mac.mac.path, "id_type") => {
            let id: IdMacro = mac.mac.parse_body().map_err(|e| format!("id_type!: {e}"))?;
            out.push(Definition::Id {
                name: id.name,
                doc: id.doc,
            });
        }
        Item::Macro(mac) if is_macro(&mac.mac.path, "text_enum") => {
            let item: syn::ItemEnum = mac
                .mac
                .parse_body()
                .map_err(|e| format!("text_enum!: {e}"))?;
            out.push(text_enum(&item)?);
        }
        Item::Struct(item) if is_public(&item.vis) && derives_serde(&item.attrs) => {
            out.push(record(item)?);
        }
        Item::Enum(item) if is_public(&item.vis) && derives_serde(&item.attrs) => {
            out.push(union(item)?);
        }
        _ => {}
    }
    Ok(())
}

/// The body of an `id_type!(/// doc \n Name, "what")` invocation.
struct IdMacro {
    name: String,
    doc: String,
}

impl Parse for IdMacro {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let name: syn::Ident = input.parse()?;
        let _: syn::Token![,] = input.parse()?;
        let _: syn::LitStr = input.parse()?;
        Ok(IdMacro {
            name: name.to_string(),
            doc: doc_of(&attrs),
        })
    }
}

fn text_enum(item: &syn::ItemEnum) -> Result<Definition, String> {
    let name = item.ident.to_string();
    let mut variants = Vec::new();
    let mut default = None;
    for variant in &item.variants {
        if variant.attrs.iter().any(|a| a.path().is_ident("default")) {
            default = Some(variant.ident.to_string());
        }
        let text = match &variant.discriminant {
            Some((_, Expr::Lit(lit))) => match &lit.lit {
                Lit::Str(text) => text.value(),
                _ => return Err(format!("{name}::{}: text is not a string", variant.ident)),
            },
            _ => return Err(format!("{name}::{}: no text", variant.ident)),
        };
        variants.push(TextVariant {
            name: variant.ident.to_string(),
            text,
            doc: doc_of(&variant.attrs),
        });
    }
    Ok(Definition::TextEnum {
        name,
        doc: doc_of(&item.attrs),
        variants,
        default,
    })
}

fn record(item: &syn::ItemStruct) -> Result<Definition, String> {
    let name = item.ident.to_string();
    if !item.generics.params.is_empty() {
        return Err(format!("{name}: generic serde structs are not supported"));
    }
    for word in serde_words(&item.attrs) {
        // Lets older stored JSON leave fields out; the shape written is unchanged.
        if word != "default" {
            return Err(format!("{name}: serde attribute `{word}` is not supported"));
        }
    }
    let Fields::Named(fields) = &item.fields else {
        return Err(format!(
            "{name}: only structs with named fields are supported"
        ));
    };
    let fields = named_fields(&name, fields)?;
    Ok(Definition::Record {
        name,
        doc: doc_of(&item.attrs),
        fields,
        derives_default: derives(&item.attrs, "Default"),
        constructors: Vec::new(),
    })
}

fn union(item: &syn::ItemEnum) -> Result<Definition, String> {
    let name = item.ident.to_string();
    let mut tag_field = None;
    let mut snake_case = false;
    for word in serde_words(&item.attrs) {
        if let Some(tag) = word.strip_prefix("tag = ") {
            tag_field = Some(tag.trim_matches('"').to_owned());
        } else if word == "rename_all = \"snake_case\"" {
            snake_case = true;
        } else {
            return Err(format!("{name}: serde attribute `{word}` is not supported"));
        }
    }
    let (Some(tag_field), true) = (tag_field, snake_case) else {
        return Err(format!(
            "{name}: only #[serde(tag = \"…\", rename_all = \"snake_case\")] enums are supported"
        ));
    };
    let mut variants = Vec::new();
    for variant in &item.variants {
        let variant_name = variant.ident.to_string();
        let shape = match &variant.fields {
            Fields::Named(fields) => VariantShape::Fields(named_fields(&name, fields)?),
            Fields::Unit => VariantShape::Fields(Vec::new()),
            Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                match type_of(&fields.unnamed[0].ty)? {
                    Ty::Named(inner) => VariantShape::Newtype(inner),
                    other => {
                        return Err(format!("{name}::{variant_name}: {other:?} is not a record"));
                    }
                }
            }
            Fields::Unnamed(_) => {
                return Err(format!(
                    "{name}::{variant_name}: tuple variants are not supported"
                ));
            }
        };
        variants.push(UnionVariant {
            tag: snake(&variant_name),
            name: variant_name,
            doc: doc_of(&variant.attrs),
            shape,
        });
    }
    Ok(Definition::Union {
        name,
        doc: doc_of(&item.attrs),
        tag_field,
        variants,
    })
}

fn named_fields(owner: &str, fields: &syn::FieldsNamed) -> Result<Vec<Field>, String> {
    let mut out = Vec::new();
    for field in &fields.named {
        let name = field
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        for word in serde_words(&field.attrs) {
            // Writes the secret's value as the same plain string, and lets
            // older stored JSON leave the field out: the shape is unchanged.
            if word != "with = \"poolbook::secret::revealed\"" && word != "default" {
                return Err(format!(
                    "{owner}.{name}: serde attribute `{word}` is not supported"
                ));
            }
        }
        let ty = type_of(&field.ty).map_err(|e| format!("{owner}.{name}: {e}"))?;
        out.push(Field {
            name,
            ty,
            doc: doc_of(&field.attrs),
        });
    }
    Ok(out)
}

/// A Rust type as the JSON shape serde writes for it.
fn type_of(ty: &Type) -> Result<Ty, String> {
    match ty {
        Type::Reference(reference) => type_of(&reference.elem),
        Type::Tuple(tuple) => tuple
            .elems
            .iter()
            .map(type_of)
            .collect::<Result<_, _>>()
            .map(Ty::Tuple),
        Type::Path(path) => {
            let segment = path.path.segments.last().ok_or("empty type path")?;
            let args: Vec<&Type> = match &segment.arguments {
                PathArguments::AngleBracketed(args) => args
                    .args
                    .iter()
                    .filter_map(|arg| match arg {
                        GenericArgument::Type(ty) => Some(ty),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            let arg = |i: usize| -> Result<Ty, String> {
                args.get(i)
                    .ok_or_else(|| format!("{} needs a type argument", segment.ident))
                    .and_then(|t| type_of(t))
            };
            Ok(match segment.ident.to_string().as_str() {
                "String" | "str" | "char" | "Uuid" => Ty::Str,
                "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
                    Ty::Int
                }
                "f32" | "f64" => Ty::Float,
                "bool" => Ty::Bool,
                "DateTime" => Ty::Instant,
                "NaiveDate" => Ty::Day,
                "NaiveTime" => Ty::TimeOfDay,
                "Decimal" => Ty::Decimal,
                "Secret" => Ty::Secret,
                "Value" => Ty::Json,
                "Box" => arg(0)?,
                "Option" => match arg(0)? {
                    // Option<Option<T>> (a patch's "clear") is null on the wire either way.
                    Ty::Optional(inner) => Ty::Optional(inner),
                    inner => Ty::Optional(Box::new(inner)),
                },
                "Vec" | "BTreeSet" | "HashSet" => Ty::List(Box::new(arg(0)?)),
                "BTreeMap" | "HashMap" => Ty::Map(Box::new(arg(0)?), Box::new(arg(1)?)),
                other if !args.is_empty() => {
                    return Err(format!("generic type {other} is not supported"));
                }
                other => Ty::Named(other.to_owned()),
            })
        }
        other => Err(format!(
            "type `{}` is not supported",
            other.to_token_stream()
        )),
    }
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Whether `path` names the macro `name` (`text_enum!`, `crate::text_enum!`).
fn is_macro(path: &syn::Path, name: &str) -> bool {
    path.segments
        .last()
        .is_some_and(|segment| segment.ident == name)
}

fn derives(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.meta
                .to_token_stream()
                .to_string()
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|word| word == name)
        })
}

fn derives_serde(attrs: &[Attribute]) -> bool {
    derives(attrs, "Serialize") || derives(attrs, "Deserialize")
}

/// The comma-separated settings of every `#[serde(…)]` attribute, as written.
fn serde_words(attrs: &[Attribute]) -> Vec<String> {
    let mut words = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        if let syn::Meta::List(list) = &attr.meta {
            let text = list.tokens.to_string();
            words.extend(
                text.split(',')
                    .map(|w| w.trim().to_owned())
                    .filter(|w| !w.is_empty()),
            );
        }
    }
    words
}

/// The `///` comment on an item, one line per source line.
fn doc_of(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(meta) = &attr.meta
            && let Expr::Lit(lit) = &meta.value
            && let Lit::Str(text) = &lit.lit
        {
            let value = text.value();
            lines.push(value.strip_prefix(' ').unwrap_or(&value).to_owned());
        }
    }
    lines.join("\n").trim().to_owned()
}

/// `OverdueMoreThan` as `overdue_more_than`.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
