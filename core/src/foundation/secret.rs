//! `Secret`: a gate code, lock combination or alarm code.
//!
//! A secret is either a value a caller supplied (to store it) or a sealed
//! blob read from a book: a book never decrypts a secret on read, only in
//! an audited [`crate::Book::reveal_secret`]. Its `Debug`, `Display` and
//! serde forms never show a value; [`Secret::reveal`] gives a supplied or
//! revealed value. [`to_json_revealed`] writes the value, or a sealed
//! secret's wire form, for a binding that hands it to its own masked type.
//! Values are wiped from memory when dropped.

use std::cell::Cell;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use crate::{Error, Result};

/// What a secret serialises and displays as.
pub const REDACTED: &str = "[redacted]";

/// How a sealed secret's wire form begins (what a binding receives for a
/// secret read from a book): the prefix, then the sealed blob in hex.
pub const SEALED_PREFIX: &str = "pbsealed1:";

/// A value that is shown only when asked for by name.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Held);

/// What a [`Secret`] holds.
#[derive(Clone, PartialEq, Eq)]
enum Held {
    /// A value in the clear: supplied by a caller or revealed by a book.
    Plain(Zeroizing<String>),
    /// A sealed blob as stored, opened only by the book that sealed it.
    Sealed(Vec<u8>),
}

impl Secret {
    /// Wraps a secret value, refusing empty, over-long or control-character values.
    ///
    /// `field` names the field in the error; the value itself is never in it.
    pub fn new(value: impl Into<String>, field: &str) -> Result<Self> {
        let value = Zeroizing::new(value.into());
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(Error::invalid(
                field,
                "must not be empty; leave it unset instead",
            ));
        }
        if trimmed.chars().count() > 64 {
            return Err(Error::invalid(field, "is longer than 64 characters"));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Error::invalid(field, "contains control characters"));
        }
        if trimmed == REDACTED {
            return Err(Error::invalid(
                field,
                "is the redaction marker, not a value; supply the real value",
            ));
        }
        if trimmed.starts_with(SEALED_PREFIX) {
            return Err(Error::invalid(
                field,
                "has the form of a sealed secret, not a value",
            ));
        }
        Ok(Secret(Held::Plain(Zeroizing::new(trimmed.to_owned()))))
    }

    /// The value, for a secret a caller supplied or a book revealed; `None`
    /// for a sealed secret read from a book (reveal it with
    /// [`crate::Book::reveal_secret`], which records who looked). Call this
    /// only where a person needs to see the value.
    pub fn reveal(&self) -> Option<&str> {
        match &self.0 {
            Held::Plain(value) => Some(value),
            Held::Sealed(_) => None,
        }
    }

    /// Whether this is a sealed secret read from a book.
    pub fn is_sealed(&self) -> bool {
        matches!(self.0, Held::Sealed(_))
    }

    /// A sealed secret holding `blob` as stored.
    pub(crate) fn sealed(blob: Vec<u8>) -> Self {
        Secret(Held::Sealed(blob))
    }

    /// The sealed blob, if this is a sealed secret.
    pub(crate) fn sealed_blob(&self) -> Option<&[u8]> {
        match &self.0 {
            Held::Sealed(blob) => Some(blob),
            Held::Plain(_) => None,
        }
    }

    /// The form a binding carries: the value, or [`SEALED_PREFIX`] and the
    /// sealed blob in hex.
    pub(crate) fn to_wire(&self) -> Zeroizing<String> {
        match &self.0 {
            Held::Plain(value) => value.clone(),
            Held::Sealed(blob) => {
                let mut wire = String::with_capacity(SEALED_PREFIX.len() + blob.len() * 2);
                wire.push_str(SEALED_PREFIX);
                for byte in blob {
                    wire.push_str(&format!("{byte:02x}"));
                }
                Zeroizing::new(wire)
            }
        }
    }

    /// A secret from its wire form (see [`Secret::to_wire`]); errors name
    /// `field`, never the value.
    pub(crate) fn from_wire(text: &str, field: &str) -> Result<Self> {
        let Some(hex) = text.strip_prefix(SEALED_PREFIX) else {
            return Secret::new(text, field);
        };
        let bad = || Error::invalid(field, "is a damaged sealed secret");
        if hex.len() % 2 != 0 || hex.len() > 1024 {
            return Err(bad());
        }
        let blob = (0..hex.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(hex.get(at..at + 2).unwrap_or("zz"), 16))
            .collect::<std::result::Result<Vec<u8>, _>>()
            .map_err(|_| bad())?;
        Ok(Secret::sealed(blob))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Held::Plain(_) => write!(f, "Secret({REDACTED})"),
            Held::Sealed(_) => write!(f, "Secret([sealed])"),
        }
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

thread_local! {
    /// Set while [`to_json_revealed`] runs on this thread.
    static REVEALING: Cell<bool> = const { Cell::new(false) };
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if REVEALING.with(Cell::get) {
            serializer.serialize_str(&self.to_wire())
        } else {
            serializer.serialize_str(REDACTED)
        }
    }
}

/// Serialises `value` as JSON with every secret in it in its wire form: a
/// supplied or revealed value in the clear, a sealed one as its blob.
///
/// For a language binding that hands records to its own masked secret type;
/// never for logs or exports meant to be read. Other threads keep redacting.
pub fn to_json_revealed<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    revealing(|| serde_json::to_string(value))
}

/// Runs `serialize` with every secret it serialises in its wire form (as
/// [`to_json_revealed`] does), for a serialisation that writes straight to
/// a file (the book file, which holds only sealed secrets).
pub(crate) fn revealing<T>(serialize: impl FnOnce() -> T) -> T {
    /// Turns reveal mode off again however serialisation ends.
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            REVEALING.with(|flag| flag.set(self.0));
        }
    }
    let _reset = Reset(REVEALING.with(|flag| flag.replace(true)));
    serialize()
}

impl<'de> Deserialize<'de> for Secret {
    /// Reads a secret from its value; the redaction marker is refused, so a
    /// redacted export read back can never overwrite a real code with it.
    /// A value of the wrong type is refused without echoing it (serde's own
    /// message would quote a numeric gate code).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SecretVisitor)
    }
}

/// Reads a secret from text only; every other type is refused by its kind.
struct SecretVisitor;

impl SecretVisitor {
    fn refuse<E: serde::de::Error>(kind: &str) -> Result<Secret, E> {
        Err(E::custom(format!(
            "a secret must be text, not {kind} (the value is not shown)"
        )))
    }
}

impl<'de> serde::de::Visitor<'de> for SecretVisitor {
    type Value = Secret;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a secret as text")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Secret, E> {
        Secret::from_wire(value, "secret").map_err(E::custom)
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Secret, E> {
        let value = Zeroizing::new(value);
        Secret::from_wire(&value, "secret").map_err(E::custom)
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Secret, E> {
        Self::refuse("a boolean")
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Secret, E> {
        Self::refuse("a number")
    }

    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<Secret, E> {
        Self::refuse("a number")
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Secret, E> {
        Self::refuse("a number")
    }

    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<Secret, E> {
        Self::refuse("a number")
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Secret, E> {
        Self::refuse("a number")
    }

    fn visit_char<E: serde::de::Error>(self, value: char) -> Result<Secret, E> {
        Secret::new(value.to_string(), "secret").map_err(E::custom)
    }

    fn visit_bytes<E: serde::de::Error>(self, _: &[u8]) -> Result<Secret, E> {
        Self::refuse("bytes")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Secret, E> {
        Self::refuse("null")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Self::refuse("a list")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Secret, A::Error> {
        Self::refuse("an object")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Access {
        gate_code: Secret,
    }

    #[derive(Debug, Deserialize)]
    struct Incoming {
        #[allow(dead_code)]
        gate_code: Secret,
    }

    #[test]
    fn a_secret_of_the_wrong_type_is_refused_without_its_value() {
        for (input, kind) in [
            (r#"{"gate_code": 4417}"#, "a number"),
            (r#"{"gate_code": -4417}"#, "a number"),
            (r#"{"gate_code": 44.17}"#, "a number"),
            (r#"{"gate_code": true}"#, "a boolean"),
            (r#"{"gate_code": [4417]}"#, "a list"),
            (r#"{"gate_code": {"code": 4417}}"#, "an object"),
        ] {
            let error = serde_json::from_str::<Incoming>(input)
                .unwrap_err()
                .to_string();
            assert!(
                !error.contains("4417") && !error.contains("44.17"),
                "{error}"
            );
            assert!(error.contains(kind), "{input}: {error}");
        }
        let read: Incoming = serde_json::from_str(r#"{"gate_code": " 4417# "}"#).unwrap();
        assert_eq!(read.gate_code.reveal(), Some("4417#"));
    }

    #[test]
    fn to_json_revealed_shows_the_value_only_inside_the_call() {
        let access = Access {
            gate_code: Secret::new("4417#", "gate_code").unwrap(),
        };
        assert_eq!(
            to_json_revealed(&access).unwrap(),
            r#"{"gate_code":"4417#"}"#
        );
        assert_eq!(
            serde_json::to_string(&access).unwrap(),
            r#"{"gate_code":"[redacted]"}"#
        );
    }

    #[test]
    fn a_sealed_secret_crosses_as_its_blob_and_never_reveals() {
        let sealed = Secret::sealed(vec![1, 0xab, 0xff]);
        assert_eq!(sealed.reveal(), None);
        assert!(sealed.is_sealed());
        assert_eq!(
            format!("{sealed:?} {sealed}"),
            "Secret([sealed]) [redacted]"
        );
        let access = Access {
            gate_code: sealed.clone(),
        };
        let wire = to_json_revealed(&access).unwrap();
        assert_eq!(wire, r#"{"gate_code":"pbsealed1:01abff"}"#);
        let back: Incoming = serde_json::from_str(&wire).unwrap();
        assert_eq!(back.gate_code, sealed);
        assert!(Secret::new("pbsealed1:00", "gate_code").is_err());
        assert!(Secret::from_wire("pbsealed1:0g", "gate_code").is_err());
        assert!(Secret::from_wire("pbsealed1:012", "gate_code").is_err());
    }
}
