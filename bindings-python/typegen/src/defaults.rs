//! What each Python constructor parameter defaults to: what every one of
//! core's constructors for the type puts in the field (a derived `Default`
//! counts as one), else an empty value for options, lists and maps and a
//! fresh identifier for `id`; anything else must be given.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Constructor, Definition, Field, Init, Ty};
use crate::write::enum_member;

/// How a constructor parameter defaults.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamDefault {
    /// It must be given.
    Required,
    /// It defaults to an immutable value, written as Python source.
    Literal(String),
    /// It defaults to None, standing for a value made fresh per call (Python source).
    Fresh(String),
}

/// Defaults for the fields of every record, worked out together because a
/// field can default to `T()` only when every field of `T` has a default.
pub struct Defaults<'a> {
    by_name: &'a BTreeMap<&'a str, &'a Definition>,
    /// Records whose constructor can be called with no arguments.
    defaultable: BTreeSet<String>,
}

impl<'a> Defaults<'a> {
    /// Works out which records can be built with no arguments.
    pub fn new(by_name: &'a BTreeMap<&'a str, &'a Definition>) -> Self {
        let mut defaults = Defaults {
            by_name,
            defaultable: BTreeSet::new(),
        };
        loop {
            let grown: BTreeSet<String> = by_name
                .values()
                .filter_map(|definition| match definition {
                    Definition::Record {
                        name,
                        fields,
                        derives_default,
                        constructors,
                        ..
                    } => {
                        let all = fields.iter().all(|f| {
                            defaults.of(f, *derives_default, constructors) != ParamDefault::Required
                        });
                        all.then(|| name.clone())
                    }
                    _ => None,
                })
                .collect();
            if grown == defaults.defaultable {
                return defaults;
            }
            defaults.defaultable = grown;
        }
    }

    /// The default of `field` in a record built by `constructors`.
    pub fn of(
        &self,
        field: &Field,
        derives_default: bool,
        constructors: &[Constructor],
    ) -> ParamDefault {
        let mut inits: Vec<Init> = constructors
            .iter()
            .map(|c| c.get(&field.name).cloned().unwrap_or(Init::Unknown))
            .collect();
        if derives_default {
            inits.push(Init::TypeDefault);
        }
        if let Some(first) = inits.first()
            && inits.iter().all(|init| init == first)
            && let Some(default) = self.default_for_init(first, &field.ty)
        {
            return default;
        }
        let fresh_id = field.name == "id"
            && matches!(&field.ty, Ty::Named(id) if matches!(self.by_name.get(id.as_str()), Some(Definition::Id { .. })));
        match &field.ty {
            _ if fresh_id => self
                .type_default(&field.ty)
                .unwrap_or(ParamDefault::Required),
            Ty::Optional(_) | Ty::List(_) | Ty::Map(..) => self
                .type_default(&field.ty)
                .unwrap_or(ParamDefault::Required),
            _ => ParamDefault::Required,
        }
    }

    /// The Python default for what a core constructor puts in a field of type `ty`.
    fn default_for_init(&self, init: &Init, ty: &Ty) -> Option<ParamDefault> {
        match (init, ty) {
            (Init::Param | Init::Unknown, _) => None,
            (Init::Null, Ty::Optional(_)) => Some(ParamDefault::Literal("None".to_owned())),
            (Init::Empty | Init::FreshId | Init::TypeDefault, _) => self.type_default(ty),
            (Init::Now, Ty::Instant) => Some(ParamDefault::Fresh(
                "_dt.datetime.now(_dt.timezone.utc)".to_owned(),
            )),
            (Init::AccountingTime(day), Ty::Instant) => Some(ParamDefault::Fresh(format!(
                "_dt.datetime.combine({day}, _dt.time(12), tzinfo=_dt.timezone.utc)"
            ))),
            (Init::Variant(enum_name, variant), _) => {
                let name = match named(ty) {
                    Some(name) if name == enum_name => name,
                    _ => return None,
                };
                match self.by_name.get(name) {
                    Some(Definition::TextEnum { variants, .. })
                        if variants.iter().any(|v| &v.name == variant) =>
                    {
                        Some(ParamDefault::Literal(format!(
                            "{name}.{}",
                            enum_member(variant)
                        )))
                    }
                    _ => None,
                }
            }
            (Init::Literal(value), _) if is_decimal(ty) => {
                Some(ParamDefault::Literal(format!("Decimal(\"{value}\")")))
            }
            (Init::Literal(value), _) => Some(ParamDefault::Literal(value.clone())),
            _ => None,
        }
    }

    /// The default value of a type, as core's `Default` makes it.
    fn type_default(&self, ty: &Ty) -> Option<ParamDefault> {
        let literal = |text: &str| Some(ParamDefault::Literal(text.to_owned()));
        match ty {
            Ty::Optional(_) => literal("None"),
            Ty::List(_) => Some(ParamDefault::Fresh("[]".to_owned())),
            Ty::Map(..) => Some(ParamDefault::Fresh("{}".to_owned())),
            Ty::Bool => literal("False"),
            Ty::Int => literal("0"),
            Ty::Float => literal("0.0"),
            Ty::Str => literal("\"\""),
            Ty::Decimal => literal("Decimal(0)"),
            Ty::Named(name) => match self.by_name.get(name.as_str()) {
                Some(Definition::Id { .. }) => {
                    Some(ParamDefault::Fresh(format!("{name}(new_id())")))
                }
                Some(Definition::TextEnum {
                    default: Some(variant),
                    ..
                }) => Some(ParamDefault::Literal(format!(
                    "{name}.{}",
                    enum_member(variant)
                ))),
                Some(Definition::Record { .. }) if self.defaultable.contains(name) => {
                    Some(ParamDefault::Fresh(format!("{name}()")))
                }
                _ => None,
            },
            _ => None,
        }
    }
}

/// The name of a named type, or of the named type inside an `Option`.
fn named(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(name) => Some(name),
        Ty::Optional(inner) => named(inner),
        _ => None,
    }
}

/// Whether `ty` is a decimal, or an optional one.
fn is_decimal(ty: &Ty) -> bool {
    match ty {
        Ty::Decimal => true,
        Ty::Optional(inner) => is_decimal(inner),
        _ => false,
    }
}
