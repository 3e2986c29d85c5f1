//! What the generator reads out of core's source: identifiers, text enums,
//! records and tagged unions, in the shape serde gives them on the wire.

/// A field's type as it crosses to Python.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `String`, `&str`, `char`, `Uuid`.
    Str,
    /// Any integer type.
    Int,
    /// `f32` / `f64`.
    Float,
    /// `bool`.
    Bool,
    /// `DateTime<Utc>`: an RFC 3339 instant.
    Instant,
    /// `NaiveDate`: a calendar day.
    Day,
    /// `NaiveTime`: a time of day.
    TimeOfDay,
    /// `rust_decimal::Decimal`: money and quantities, written as a string.
    Decimal,
    /// `poolbook::Secret`.
    Secret,
    /// `serde_json::Value`: any JSON.
    Json,
    /// A record, union, enum or identifier defined in core, by name.
    Named(String),
    /// `Option<T>`.
    Optional(Box<Ty>),
    /// `Vec<T>` and sets.
    List(Box<Ty>),
    /// `BTreeMap<K, V>` / `HashMap<K, V>`.
    Map(Box<Ty>, Box<Ty>),
    /// A tuple, written as a JSON array.
    Tuple(Vec<Ty>),
}

/// A named field of a record or of a union's struct variant.
#[derive(Debug, Clone)]
pub struct Field {
    /// The field's name in core (and in JSON).
    pub name: String,
    /// Its type.
    pub ty: Ty,
    /// Its doc comment.
    pub doc: String,
}

/// One value of a text enum.
#[derive(Debug, Clone)]
pub struct TextVariant {
    /// The Rust variant name (`PropertyManagement`).
    pub name: String,
    /// The stored text (`property_management`).
    pub text: String,
    /// Its doc comment.
    pub doc: String,
}

/// The payload of one variant of a tagged union.
#[derive(Debug, Clone)]
pub enum VariantShape {
    /// `Visit(Visit)`: the record's own fields next to the tag.
    Newtype(String),
    /// `Kind { kind: CustomerKind }`: its own fields next to the tag.
    Fields(Vec<Field>),
}

/// One variant of a tagged union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The tag's value on the wire (snake_case of the name).
    pub tag: String,
    /// Its doc comment.
    pub doc: String,
    /// What it carries.
    pub shape: VariantShape,
}

/// A type core serialises, as the generator understood it.
#[derive(Debug, Clone)]
pub enum Definition {
    /// An `id_type!` identifier: a UUID string.
    Id {
        /// Type name.
        name: String,
        /// Doc comment.
        doc: String,
    },
    /// A `text_enum!`: fixed snake_case words.
    TextEnum {
        /// Type name.
        name: String,
        /// Doc comment.
        doc: String,
        /// Its values in declaration order.
        variants: Vec<TextVariant>,
        /// The variant marked `#[default]`, if it derives `Default`.
        default: Option<String>,
    },
    /// A struct with named fields, serialised as a JSON object.
    Record {
        /// Type name.
        name: String,
        /// Doc comment.
        doc: String,
        /// Its fields in declaration order.
        fields: Vec<Field>,
        /// Whether it derives `Default` (each field's type default).
        derives_default: bool,
        /// How each of core's constructors (`new`, a hand-written `Default`, …)
        /// fills each field; the Python constructor defaults what they agree on.
        constructors: Vec<Constructor>,
    },
    /// An internally tagged enum (`#[serde(tag = "…")]`).
    Union {
        /// Type name.
        name: String,
        /// Doc comment.
        doc: String,
        /// The tag field's name.
        tag_field: String,
        /// Its variants in declaration order.
        variants: Vec<UnionVariant>,
    },
}

impl Definition {
    /// The type's name.
    pub fn name(&self) -> &str {
        match self {
            Definition::Id { name, .. }
            | Definition::TextEnum { name, .. }
            | Definition::Record { name, .. }
            | Definition::Union { name, .. } => name,
        }
    }
}

/// How one core constructor fills a record's fields, by field name.
pub type Constructor = std::collections::BTreeMap<String, Init>;

/// What a core constructor puts in one field.
#[derive(Debug, Clone, PartialEq)]
pub enum Init {
    /// A constructor parameter (the caller's value).
    Param,
    /// An expression the generator does not read.
    Unknown,
    /// `None`.
    Null,
    /// `Vec::new()`, `BTreeMap::new()` and friends.
    Empty,
    /// A fresh identifier (`CustomerId::new()`).
    FreshId,
    /// `Utc::now()`.
    Now,
    /// `accounting_time(day)`: noon UTC of the day in the field `day`.
    AccountingTime(String),
    /// `T::default()` or `Default::default()`: the field type's default.
    TypeDefault,
    /// `Enum::Variant`.
    Variant(String, String),
    /// A bool, number or string literal, as Python source.
    Literal(String),
}
