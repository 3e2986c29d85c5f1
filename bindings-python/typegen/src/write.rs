//! Writes the Python module `poolbook/_types.py` from core's definitions:
//! identifiers as `NewType`s of `str`, text enums as `TextEnum`s, records as
//! `Record` classes with slots, type hints and keyword-only constructors,
//! tagged unions as base classes their variants inherit from.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::defaults::{Defaults, ParamDefault};
use crate::model::{Constructor, Definition, Field, Ty, VariantShape};

/// Hand-written mixins giving some generated classes core's named constructors.
const MIXINS: &[(&str, &str)] = &[("Author", "AuthorConstructors")];

/// Python's keywords: a field with one of these names gets a trailing `_`.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Widest line of generated text (docstrings are wrapped to it).
const WIDTH: usize = 100;

/// The whole `_types.py`, or an error naming a type the module cannot express.
pub fn python_module(definitions: &[Definition]) -> Result<String, String> {
    let by_name: BTreeMap<&str, &Definition> = definitions.iter().map(|d| (d.name(), d)).collect();
    if by_name.len() != definitions.len() {
        let mut seen = BTreeSet::new();
        let twice: Vec<&str> = definitions
            .iter()
            .map(Definition::name)
            .filter(|n| !seen.insert(*n))
            .collect();
        return Err(format!("core defines these names twice: {twice:?}"));
    }
    let mut parents: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut tags: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    for definition in definitions {
        if let Definition::Union {
            name,
            tag_field,
            variants,
            ..
        } = definition
        {
            for variant in variants {
                if let VariantShape::Newtype(inner) = &variant.shape {
                    match by_name.get(inner.as_str()) {
                        Some(Definition::Record { fields, .. }) => {
                            if fields.iter().any(|f| &f.name == tag_field) {
                                return Err(format!("{inner} has a field named like {name}'s tag"));
                            }
                        }
                        _ => {
                            return Err(format!(
                                "{name}::{}: {inner} is not a record",
                                variant.name
                            ));
                        }
                    }
                    parents.entry(inner).or_default().push(name);
                    tags.entry(inner)
                        .or_default()
                        .push((tag_field.clone(), variant.tag.clone()));
                }
            }
        }
    }

    let defaults = Defaults::new(&by_name);
    let mut out = String::from(HEADER);
    let mixins: Vec<&str> = MIXINS
        .iter()
        .filter(|(owner, _)| by_name.contains_key(owner))
        .map(|(_, mixin)| *mixin)
        .collect();
    if !mixins.is_empty() {
        writeln!(out, "from ._mixins import {}", mixins.join(", ")).ok();
    }

    out.push_str(
        "\n\n# Identifiers: UUIDv7 strings ----------------------------------------------\n",
    );
    for definition in definitions {
        if let Definition::Id { name, doc } = definition {
            writeln!(out, "\n{name} = NewType(\"{name}\", str)").ok();
            writeln!(out, "{}", docstring(doc, "")).ok();
        }
    }

    out.push_str(
        "\n\n# Enums: fixed snake_case words -----------------------------------------------\n",
    );
    for definition in definitions {
        if let Definition::TextEnum {
            name,
            doc,
            variants,
            ..
        } = definition
        {
            writeln!(out, "\n\nclass {name}(TextEnum):").ok();
            writeln!(out, "{}\n", docstring(doc, "    ")).ok();
            for variant in variants {
                writeln!(
                    out,
                    "    {} = \"{}\"",
                    enum_member(&variant.name),
                    variant.text
                )
                .ok();
                writeln!(out, "{}", docstring(&variant.doc, "    ")).ok();
            }
        }
    }

    out.push_str(
        "\n\n# Unions: one class per variant, tagged on the wire -----------------------------\n",
    );
    for definition in definitions {
        if let Definition::Union {
            name,
            doc,
            tag_field,
            variants,
        } = definition
        {
            let names: Vec<String> = variants
                .iter()
                .map(|v| variant_class(name, v.name.as_str(), &v.shape))
                .collect();
            let doc = format!("{doc}\n\nOne of: {}.", names.join(", "));
            writeln!(out, "\n\nclass {name}(Record):").ok();
            writeln!(out, "{}\n", docstring(&doc, "    ")).ok();
            writeln!(
                out,
                "    __slots__ = ()\n    _tag_field: ClassVar[str] = \"{tag_field}\""
            )
            .ok();
        }
    }

    out.push_str(
        "\n\n# Records ---------------------------------------------------------------------\n",
    );
    for definition in definitions {
        match definition {
            Definition::Record {
                name,
                doc,
                fields,
                derives_default,
                constructors,
            } => {
                let mut bases: Vec<String> = MIXINS
                    .iter()
                    .filter(|(owner, _)| owner == name)
                    .map(|(_, mixin)| mixin.to_string())
                    .collect();
                match parents.get(name.as_str()) {
                    Some(unions) => bases.extend(unions.iter().map(|u| u.to_string())),
                    None => bases.push("Record".to_owned()),
                }
                let class = RecordClass {
                    name,
                    doc,
                    bases: &bases,
                    fields,
                    derives_default: *derives_default,
                    constructors,
                    tags: tags.get(name.as_str()).map(Vec::as_slice).unwrap_or(&[]),
                };
                class.write(&mut out, &by_name, &defaults)?;
            }
            Definition::Union {
                name,
                tag_field,
                variants,
                ..
            } => {
                for variant in variants {
                    if let VariantShape::Fields(fields) = &variant.shape {
                        let class = RecordClass {
                            name: &variant_class(name, &variant.name, &variant.shape),
                            doc: &variant.doc,
                            bases: std::slice::from_ref(name),
                            fields,
                            derives_default: false,
                            constructors: &[],
                            tags: &[(tag_field.clone(), variant.tag.clone())],
                        };
                        class.write(&mut out, &by_name, &defaults)?;
                    }
                }
            }
            Definition::Id { .. } | Definition::TextEnum { .. } => {}
        }
    }

    out.push_str(
        "\n\n# Which class each union tag names --------------------------------------------\n\n",
    );
    for definition in definitions {
        if let Definition::Union { name, variants, .. } = definition {
            let entries: Vec<String> = variants
                .iter()
                .map(|v| format!("\"{}\": {}", v.tag, variant_class(name, &v.name, &v.shape)))
                .collect();
            write_list(
                &mut out,
                "",
                &format!("register_variants({name}, {{"),
                &entries,
                "})",
            );
        }
    }

    let mut names: Vec<String> = definitions.iter().map(|d| d.name().to_owned()).collect();
    for definition in definitions {
        if let Definition::Union { name, variants, .. } = definition {
            names.extend(variants.iter().filter_map(|v| match &v.shape {
                VariantShape::Fields(_) => Some(variant_class(name, &v.name, &v.shape)),
                VariantShape::Newtype(_) => None,
            }));
        }
    }
    names.sort();
    out.push_str("\n__all__ = [\n");
    for name in names {
        writeln!(out, "    \"{name}\",").ok();
    }
    out.push_str("]\n");
    Ok(out)
}

const HEADER: &str = r#"# Generated from core's source by `cargo run -p poolbook-python-typegen`; do not
# edit. scripts/check-python fails when this file is out of date with core.
"""Core's records, unions, enums and identifiers as Python classes.

Generated from core's source, so every class has exactly core's fields under
core's names (a field named like a Python keyword gets a trailing
underscore, e.g. ``from_``). Records are :class:`poolbook.Record` classes
with type hints and keyword-only constructors; enums are
:class:`poolbook.TextEnum` members (``str`` subclasses: ``kind == "hoa"``
holds); identifiers are ``str`` under a ``NewType``; a union (core's tagged
enum) is a base class whose variants inherit from it.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, ClassVar, Dict, List, NewType, Optional, Tuple

from ._records import Record, Secret, TextEnum, new_id, register_variants
"#;

/// One generated record class: a core struct or a union's struct variant.
struct RecordClass<'a> {
    name: &'a str,
    doc: &'a str,
    bases: &'a [String],
    fields: &'a [Field],
    derives_default: bool,
    constructors: &'a [Constructor],
    tags: &'a [(String, String)],
}

impl RecordClass<'_> {
    fn write(
        &self,
        out: &mut String,
        by_name: &BTreeMap<&str, &Definition>,
        defaults: &Defaults<'_>,
    ) -> Result<(), String> {
        let mut doc = self.doc.to_owned();
        if !self.fields.is_empty() {
            doc.push_str("\n\nAttributes:");
            for field in self.fields {
                let text = field.doc.split_whitespace().collect::<Vec<_>>().join(" ");
                doc.push_str(&format!("\n    {}: {text}", python_name(&field.name)));
            }
        }
        writeln!(out, "\n\nclass {}({}):", self.name, self.bases.join(", ")).ok();
        writeln!(out, "{}\n", docstring(&doc, "    ")).ok();
        let slots: Vec<String> = self
            .fields
            .iter()
            .map(|f| format!("\"{}\"", python_name(&f.name)))
            .collect();
        // A one-element tuple needs its comma.
        if let [only] = slots.as_slice() {
            writeln!(out, "    __slots__ = ({only},)").ok();
        } else {
            write_list(out, "    ", "__slots__ = (", &slots, ")");
        }
        for (tag_field, tag) in self.tags {
            writeln!(out, "    {tag_field}: ClassVar[str] = \"{tag}\"").ok();
        }
        let renamed: Vec<String> = self
            .fields
            .iter()
            .filter(|f| python_name(&f.name) != f.name)
            .map(|f| format!("\"{}\": \"{}\"", python_name(&f.name), f.name))
            .collect();
        if !renamed.is_empty() {
            writeln!(
                out,
                "    _json_names: ClassVar[Dict[str, str]] = {{{}}}",
                renamed.join(", ")
            )
            .ok();
        }
        if !self.fields.is_empty() {
            out.push('\n');
        }
        let hints = self
            .fields
            .iter()
            .map(|f| hint(&f.ty, by_name).map_err(|e| format!("{}.{}: {e}", self.name, f.name)))
            .collect::<Result<Vec<String>, String>>()?;
        for (field, hint) in self.fields.iter().zip(&hints) {
            writeln!(out, "    {}: {hint}", python_name(&field.name)).ok();
        }

        // A keyword-only constructor; what each parameter defaults to is
        // worked out in `defaults` (core's constructors, else empty values).
        let mut params = Vec::new();
        let mut body = Vec::new();
        for (field, hint) in self.fields.iter().zip(hints) {
            let name = python_name(&field.name);
            match defaults.of(field, self.derives_default, self.constructors) {
                ParamDefault::Required => {
                    params.push(format!("{name}: {hint}"));
                    body.push(format!("self.{name} = {name}"));
                }
                ParamDefault::Literal(value) => {
                    params.push(format!("{name}: {hint} = {value}"));
                    body.push(format!("self.{name} = {name}"));
                }
                ParamDefault::Fresh(value) => {
                    let hint = if hint.starts_with("Optional[") {
                        hint
                    } else {
                        format!("Optional[{hint}]")
                    };
                    params.push(format!("{name}: {hint} = None"));
                    body.push(format!(
                        "self.{name} = {value} if {name} is None else {name}"
                    ));
                }
            }
        }
        if self.fields.is_empty() {
            return Ok(());
        }
        let params: Vec<String> = ["self".to_owned(), "*".to_owned()]
            .into_iter()
            .chain(params)
            .collect();
        out.push('\n');
        write_list(out, "    ", "def __init__(", &params, ") -> None:");
        for line in body {
            writeln!(out, "        {line}").ok();
        }
        Ok(())
    }
}

/// `{open}a, b{close}` at `indent` on one line when it fits in [`WIDTH`],
/// else each item on its own line, indented one step more, with a trailing comma.
fn write_list(out: &mut String, indent: &str, open: &str, items: &[String], close: &str) {
    let one_line = format!("{indent}{open}{}{close}", items.join(", "));
    if one_line.len() <= WIDTH {
        writeln!(out, "{one_line}").ok();
        return;
    }
    writeln!(out, "{indent}{open}").ok();
    for item in items {
        writeln!(out, "{indent}    {item},").ok();
    }
    writeln!(out, "{indent}{close}").ok();
}

/// The class name of a union variant: the record itself, or `{Union}{Variant}`.
fn variant_class(union: &str, variant: &str, shape: &VariantShape) -> String {
    match shape {
        VariantShape::Newtype(inner) => inner.clone(),
        VariantShape::Fields(_) => format!("{union}{variant}"),
    }
}

/// The Python type hint for `ty`.
fn hint(ty: &Ty, by_name: &BTreeMap<&str, &Definition>) -> Result<String, String> {
    Ok(match ty {
        Ty::Str => "str".to_owned(),
        Ty::Int => "int".to_owned(),
        Ty::Float => "float".to_owned(),
        Ty::Bool => "bool".to_owned(),
        Ty::Instant => "_dt.datetime".to_owned(),
        Ty::Day => "_dt.date".to_owned(),
        Ty::TimeOfDay => "_dt.time".to_owned(),
        Ty::Decimal => "Decimal".to_owned(),
        Ty::Secret => "Secret".to_owned(),
        Ty::Json => "Any".to_owned(),
        Ty::Named(name) if by_name.contains_key(name.as_str()) => name.clone(),
        Ty::Named(name) => return Err(format!("{name} is not a type core serialises")),
        Ty::Optional(inner) => format!("Optional[{}]", hint(inner, by_name)?),
        Ty::List(inner) => format!("List[{}]", hint(inner, by_name)?),
        Ty::Map(key, value) => format!("Dict[{}, {}]", hint(key, by_name)?, hint(value, by_name)?),
        Ty::Tuple(items) => {
            let items: Result<Vec<String>, String> =
                items.iter().map(|t| hint(t, by_name)).collect();
            format!("Tuple[{}]", items?.join(", "))
        }
    })
}

/// A field name usable as a Python attribute.
fn python_name(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// The Python member name of a text enum's Rust variant: `PerVisit` as `PER_VISIT`.
pub fn enum_member(variant: &str) -> String {
    crate::read::snake(variant).to_uppercase()
}

/// A docstring at `indent`, wrapped to [`WIDTH`]; empty text gives an empty docstring.
fn docstring(text: &str, indent: &str) -> String {
    let text = text.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
    let room = WIDTH - indent.len() - 3;
    let lines: Vec<String> = text.lines().flat_map(|line| wrap(line, room)).collect();
    match lines.as_slice() {
        [] => format!("{indent}\"\"\"\"\"\""),
        [only] if only.len() + 3 <= room => format!("{indent}\"\"\"{only}\"\"\""),
        [first, rest @ ..] => {
            let mut out = format!("{indent}\"\"\"{first}");
            for line in rest {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    write!(out, "\n{indent}{line}").ok();
                }
            }
            write!(out, "\n{indent}\"\"\"").ok();
            out
        }
    }
}

/// One line of text wrapped to `room` columns; continuations indent 4 past its own indent.
fn wrap(line: &str, room: usize) -> Vec<String> {
    let lead = line.len() - line.trim_start().len();
    let mut lines = Vec::new();
    let mut current = " ".repeat(lead);
    let mut has_word = false;
    for word in line.split_whitespace() {
        if has_word && current.len() + 1 + word.len() > room {
            let continuation = if lead > 0 { lead + 4 } else { 0 };
            lines.push(std::mem::replace(&mut current, " ".repeat(continuation)));
            has_word = false;
        }
        if has_word {
            current.push(' ');
        }
        current.push_str(word);
        has_word = true;
    }
    lines.push(current.trim_end().to_owned());
    lines
}
