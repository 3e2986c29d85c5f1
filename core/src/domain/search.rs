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
//!
//! Typos are forgiven here too, the same on every store
//! ([`SearchTerms::with_corrections`]): when no customer matches every word
//! as typed, a word that begins no indexed name or address word is also
//! matched by the indexed words within one edit of it (two for long words)
//! that begin with the same letter, the store only listing the words that
//! begin with a letter.

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
    /// The search text of `customer` when it differs from that of
    /// `previous`, its stored version; `None` when an edit left every
    /// searched field as it was (checked before any text is built).
    pub fn changed(previous: &Customer, customer: &Customer) -> Option<Self> {
        let same_places = previous.locations.len() == customer.locations.len()
            && (previous.locations.iter())
                .zip(&customer.locations)
                .all(|(old, new)| old.address == new.address);
        if previous.display_name == customer.display_name
            && previous.contacts == customer.contacts
            && previous.billing.address == customer.billing.address
            && same_places
        {
            return None;
        }
        let document = SearchDocument::of(customer);
        (document != SearchDocument::of(previous)).then_some(document)
    }

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
    /// Words to match, all required, against name, email and address.
    pub words: Vec<SearchWord>,
    /// If the query looks like (part of) a phone number: its digits.
    pub phone_digits: Option<String>,
}

/// One word of a query, as a store matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchWord {
    /// The word as typed, folded (lowercase, accents removed): one or more
    /// tokens (`maria@example.com` is `maria example com`) that must follow
    /// one another, the last matched as a prefix.
    pub typed: String,
    /// Indexed words the typed one may be a typo of, each matched as a
    /// prefix like the typed word; empty unless the terms came from
    /// [`SearchTerms::with_corrections`].
    pub corrections: Vec<String>,
}

impl SearchWord {
    /// The typed word, then its corrections: a store matches any of them.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.typed.as_str()).chain(self.corrections.iter().map(String::as_str))
    }
}

/// Fewest digits a query needs to be treated as a phone number.
pub const MIN_PHONE_DIGITS: usize = 3;

/// Fewest characters a word needs before one typo in it is forgiven.
pub const MIN_CHARS_FOR_ONE_TYPO: usize = 4;

/// Fewest characters a word needs before two typos in it are forgiven.
pub const MIN_CHARS_FOR_TWO_TYPOS: usize = 8;

/// Most corrections tried for one word: the closest, then alphabetical.
pub const MAX_CORRECTIONS_PER_WORD: usize = 20;

impl SearchTerms {
    /// Reads `query`; `None` if it has nothing to search for.
    pub fn parse(query: &str) -> Option<Self> {
        let words: Vec<SearchWord> = query
            .split_whitespace()
            .map(fold)
            .filter(|word| !word.is_empty())
            .map(|typed| SearchWord {
                typed,
                corrections: Vec::new(),
            })
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

    /// The letters that begin the words a typo could hide in: single-token
    /// words of at least [`MIN_CHARS_FOR_ONE_TYPO`] characters with a letter
    /// in them. Sorted, each once.
    pub fn typo_initials(&self) -> Vec<char> {
        let mut initials: Vec<char> = self
            .words
            .iter()
            .filter(|word| may_hold_a_typo(&word.typed))
            .filter_map(|word| word.typed.chars().next())
            .collect();
        initials.sort_unstable();
        initials.dedup();
        initials
    }

    /// These terms with typos forgiven, given `vocabulary`: the indexed name
    /// and address words that begin with any of [`SearchTerms::typo_initials`].
    /// A word that begins none of them gains as corrections the words that
    /// begin with its letter and are within its allowed edits (one from
    /// [`MIN_CHARS_FOR_ONE_TYPO`] characters, two from
    /// [`MIN_CHARS_FOR_TWO_TYPOS`]; an edit adds, drops, changes or swaps
    /// two neighbouring characters) of it or of their own beginning, so a
    /// word typed halfway is forgiven too. `None` if no word gained any.
    pub fn with_corrections(&self, vocabulary: &[String]) -> Option<SearchTerms> {
        let mut corrected = self.clone();
        let mut any = false;
        for word in &mut corrected.words {
            if !may_hold_a_typo(&word.typed)
                || vocabulary
                    .iter()
                    .any(|known| known.starts_with(&word.typed))
            {
                continue;
            }
            let allowed = allowed_typos(&word.typed);
            let typed: Vec<char> = word.typed.chars().collect();
            let mut near: Vec<(usize, &String)> = vocabulary
                .iter()
                .filter(|known| known.chars().next() == typed.first().copied())
                .filter_map(|known| {
                    typos_before_prefix(&typed, known, allowed).map(|typos| (typos, known))
                })
                .collect();
            near.sort();
            near.dedup();
            near.truncate(MAX_CORRECTIONS_PER_WORD);
            any |= !near.is_empty();
            word.corrections = near.into_iter().map(|(_, known)| known.clone()).collect();
        }
        any.then_some(corrected)
    }
}

/// Whether `word` is one token long enough, with a letter, to be forgiven a
/// typo.
fn may_hold_a_typo(word: &str) -> bool {
    !word.contains(' ')
        && word.chars().count() >= MIN_CHARS_FOR_ONE_TYPO
        && word.chars().any(char::is_alphabetic)
}

/// How many typos a word of this length is forgiven.
fn allowed_typos(word: &str) -> usize {
    if word.chars().count() >= MIN_CHARS_FOR_TWO_TYPOS {
        2
    } else {
        1
    }
}

/// The fewest edits (add, drop, change, or swap two neighbouring characters)
/// that turn `typed` into `known` or into a beginning of it, if at most
/// `allowed`. The optimal string alignment distance, free at `known`'s end.
fn typos_before_prefix(typed: &[char], known: &str, allowed: usize) -> Option<usize> {
    let known: Vec<char> = known.chars().collect();
    if known.len() + allowed < typed.len() {
        return None;
    }
    // rows[i][j]: edits from typed[..i] to known[..j]; three rows kept.
    let width = known.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=typed.len() {
        current[0] = i;
        let mut row_best = current[0];
        for j in 1..width {
            let change = usize::from(typed[i - 1] != known[j - 1]);
            let mut edits = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + change);
            if i > 1 && j > 1 && typed[i - 1] == known[j - 2] && typed[i - 2] == known[j - 1] {
                edits = edits.min(before[j - 2] + 1);
            }
            current[j] = edits;
            row_best = row_best.min(edits);
        }
        if row_best > allowed {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous
        .iter()
        .copied()
        .min()
        .filter(|&typos| typos <= allowed)
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
        let typed = |terms: &SearchTerms| -> Vec<String> {
            terms.words.iter().map(|word| word.typed.clone()).collect()
        };
        let terms = SearchTerms::parse("Maria LO").unwrap();
        assert_eq!(typed(&terms), ["maria", "lo"]);
        assert_eq!(terms.phone_digits, None);
        assert_eq!(SearchTerms::parse("1420 oak").unwrap().phone_digits, None);
        assert_eq!(SearchTerms::parse("22").unwrap().phone_digits, None);
        assert_eq!(SearchTerms::parse("  - ( ) "), None);
        let terms = SearchTerms::parse("JOSÉ maria@example.com \"lo").unwrap();
        assert_eq!(typed(&terms), ["jose", "maria example com", "lo"]);
        assert!(terms.words.iter().all(|word| word.corrections.is_empty()));
    }

    fn typos(typed: &str, known: &str, allowed: usize) -> Option<usize> {
        typos_before_prefix(&typed.chars().collect::<Vec<_>>(), known, allowed)
    }

    #[test]
    fn typos_are_counted_against_a_word_or_its_beginning() {
        assert_eq!(typos("lopez", "lopez", 1), Some(0));
        assert_eq!(typos("lopex", "lopez", 1), Some(1), "a changed letter");
        assert_eq!(typos("lpoez", "lopez", 1), Some(1), "two letters swapped");
        assert_eq!(typos("loopez", "lopez", 1), Some(1), "a letter added");
        assert_eq!(typos("lopz", "lopez", 1), Some(1), "a letter dropped");
        assert_eq!(typos("hernad", "hernandez", 1), Some(1), "typed halfway");
        assert_eq!(
            typos("lpoex", "lopez", 1),
            None,
            "two typos where one is allowed"
        );
        assert_eq!(typos("hernnadex", "hernandez", 2), Some(2));
        assert_eq!(typos("hrenandxz", "hernandez", 2), Some(2));
        assert_eq!(typos("xyzw", "lopez", 1), None);
        assert_eq!(
            typos("lopezzz", "lope", 2),
            None,
            "too long for any beginning"
        );
        assert_eq!(typos("josé", "jose", 1), Some(1), "characters, not bytes");
    }

    #[test]
    fn words_that_begin_no_indexed_word_gain_corrections() {
        let vocabulary: Vec<String> = ["lopez", "lopes", "lorenz", "lopezzi", "loyola", "maria"]
            .map(String::from)
            .to_vec();
        let terms = SearchTerms::parse("Maria Lopex").unwrap();
        assert_eq!(terms.typo_initials(), ['l', 'm']);
        let corrected = terms.with_corrections(&vocabulary).unwrap();
        assert!(
            corrected.words[0].corrections.is_empty(),
            "maria is indexed"
        );
        assert_eq!(
            corrected.words[1].corrections,
            ["lopes", "lopez", "lopezzi"],
            "within one edit of lopex or of a beginning, closest then alphabetical"
        );
        assert_eq!(
            corrected.words[1].spellings().collect::<Vec<_>>(),
            ["lopex", "lopes", "lopez", "lopezzi"]
        );
        assert_eq!(
            SearchTerms::parse("maria lop")
                .unwrap()
                .with_corrections(&vocabulary),
            None,
            "too short for a typo"
        );
        assert_eq!(
            SearchTerms::parse("kopez")
                .unwrap()
                .with_corrections(&vocabulary),
            None,
            "the first letter is never a typo"
        );
        assert_eq!(SearchTerms::parse("1234 5678").unwrap().typo_initials(), []);
        assert_eq!(
            SearchTerms::parse("o'brien smith").unwrap().typo_initials(),
            ['s']
        );
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
