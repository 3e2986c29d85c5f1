//! Search, independent of the store: what text a customer is found by, and
//! how a typed query is read.
//!
//! A customer is indexed by name (its display name and contacts), email,
//! phone and address. Phones are indexed as digits forwards (national number
//! and E.164) and backwards, so a query can match the start of a number or its
//! last digits. Addresses are indexed with both the full and the abbreviated
//! form of each street word (`street`/`st`), so either finds the other.
//!
//! Text is folded here, not by a store's tokenizer ([`fold`]: lowercase,
//! accents removed, words split at anything not a letter or digit), so
//! every store indexes and matches the same words.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::model::Customer;

/// Folds text for search: lowercase, accents and other combining marks
/// removed (`José` → `jose`), every run of characters that are not letters
/// or digits made one space, none at either end (`maria@example.com` →
/// `maria example com`).
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.to_lowercase().nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if gap && !folded.is_empty() {
                folded.push(' ');
            }
            gap = false;
            folded.push(c);
        } else {
            gap = true;
        }
    }
    folded
}

/// Street words and their usual abbreviations (USPS Publication 28 style).
pub const ADDRESS_ABBREVIATIONS: &[(&str, &str)] = &[
    ("street", "st"),
    ("avenue", "ave"),
    ("drive", "dr"),
    ("road", "rd"),
    ("boulevard", "blvd"),
    ("lane", "ln"),
    ("court", "ct"),
    ("place", "pl"),
    ("circle", "cir"),
    ("parkway", "pkwy"),
    ("highway", "hwy"),
    ("terrace", "ter"),
    ("trail", "trl"),
    ("way", "wy"),
    ("square", "sq"),
    ("crescent", "cres"),
    ("expressway", "expy"),
    ("freeway", "fwy"),
    ("point", "pt"),
    ("mount", "mt"),
    ("apartment", "apt"),
    ("suite", "ste"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
    ("northeast", "ne"),
    ("northwest", "nw"),
    ("southeast", "se"),
    ("southwest", "sw"),
];

/// The text a customer is found by, one field per kind of match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchDocument {
    /// Display name and contact names.
    pub name: String,
    /// Email addresses.
    pub email: String,
    /// Phone digits, forwards: national number and full E.164 digits.
    pub phone: String,
    /// Phone digits reversed, so a prefix search matches the last digits.
    pub phone_tail: String,
    /// Street addresses, with abbreviations and full words both present.
    pub address: String,
}

impl SearchDocument {
    /// The search text of `customer`.
    pub fn of(customer: &Customer) -> Self {
        let mut names = vec![customer.display_name.clone()];
        let mut emails = Vec::new();
        let mut phones = Vec::new();
        let mut tails = Vec::new();
        for contact in &customer.contacts {
            if contact.name != customer.display_name {
                names.push(contact.name.clone());
            }
            emails.extend(contact.emails.iter().cloned());
            for phone in &contact.phones {
                let digits: String = phone.number.chars().filter(char::is_ascii_digit).collect();
                if let Some(national) = national_digits(&phone.number) {
                    phones.push(national.to_owned());
                }
                tails.push(digits.chars().rev().collect::<String>());
                phones.push(digits);
            }
        }
        let mut addresses: Vec<String> = customer
            .locations
            .iter()
            .map(|location| location.address.one_line())
            .collect();
        addresses.extend(
            customer
                .billing
                .address
                .as_ref()
                .map(|address| address.one_line()),
        );
        SearchDocument {
            name: fold(&names.join(" ")),
            email: fold(&emails.join(" ")),
            phone: phones.join(" "),
            phone_tail: tails.join(" "),
            address: fold(&expand_address(&addresses.join(" "))),
        }
    }
}

/// The national part of an E.164 number for the North American plan (`+1`),
/// which is how people there type it.
fn national_digits(e164: &str) -> Option<&str> {
    e164.strip_prefix("+1")
}

/// Adds the other form of every street word: "1420 Oak Street" also gets "st".
pub fn expand_address(text: &str) -> String {
    let mut extra = Vec::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let lower = word.to_lowercase();
        for (full, short) in ADDRESS_ABBREVIATIONS {
            if lower == *full {
                extra.push(*short);
            } else if lower == *short {
                extra.push(*full);
            }
        }
    }
    if extra.is_empty() {
        text.to_owned()
    } else {
        format!("{text} {}", extra.join(" "))
    }
}

/// A query as typed, read into the parts a store matches on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    /// Words to match, all required, against name, email and address, each
    /// folded (lowercase, accents removed): one or more tokens
    /// (`maria@example.com` is `maria example com`) that must follow one
    /// another, the last matched as a prefix.
    pub words: Vec<String>,
    /// If the query looks like (part of) a phone number: its digits.
    pub phone_digits: Option<String>,
}

/// Fewest digits a query needs to be treated as a phone number.
pub const MIN_PHONE_DIGITS: usize = 3;

impl SearchTerms {
    /// Reads `query`; `None` if it has nothing to search for.
    pub fn parse(query: &str) -> Option<Self> {
        let words: Vec<String> = query
            .split_whitespace()
            .map(fold)
            .filter(|word| !word.is_empty())
            .collect();
        let phone_like = query
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'));
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        let phone_digits = (phone_like && digits.len() >= MIN_PHONE_DIGITS).then_some(digits);
        (!words.is_empty() || phone_digits.is_some()).then_some(SearchTerms {
            words,
            phone_digits,
        })
    }
}

/// One customer found by a search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchHit {
    /// The customer.
    pub customer_id: crate::CustomerId,
    /// The customer's display name.
    pub display_name: String,
    /// Relevance: higher is better. Comparable only within one search.
    pub score: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_gain_the_other_form_of_street_words() {
        assert_eq!(expand_address("1420 Oak Street"), "1420 Oak Street st");
        assert_eq!(expand_address("9 Elm Ave."), "9 Elm Ave. avenue");
        assert_eq!(expand_address("77 Sunset"), "77 Sunset");
    }

    #[test]
    fn queries_are_read_as_words_and_phone_digits() {
        let terms = SearchTerms::parse("(555) 010-2233").unwrap();
        assert_eq!(terms.phone_digits.as_deref(), Some("5550102233"));
        let terms = SearchTerms::parse("Maria LO").unwrap();
        assert_eq!(terms.words, ["maria", "lo"]);
        assert_eq!(terms.phone_digits, None);
        assert_eq!(SearchTerms::parse("1420 oak").unwrap().phone_digits, None);
        assert_eq!(SearchTerms::parse("22").unwrap().phone_digits, None);
        assert_eq!(SearchTerms::parse("  - ( ) "), None);
        let terms = SearchTerms::parse("JOSÉ maria@example.com \"lo").unwrap();
        assert_eq!(terms.words, ["jose", "maria example com", "lo"]);
    }

    #[test]
    fn folding_lowercases_drops_accents_and_splits_at_punctuation() {
        assert_eq!(fold("José  Ñúñez-Ölçer"), "jose nunez olcer");
        assert_eq!(fold("  O'Brien & Sons, Ltd. "), "o brien sons ltd");
        assert_eq!(fold("İstanbul ÅSA"), "istanbul asa");
        assert_eq!(fold("東京 Straße"), "東京 straße");
        assert_eq!(fold("--"), "");
    }
}
