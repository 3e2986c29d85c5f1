//! Customer search on PostgreSQL: one `customer_search` row per customer
//! holding the folded text of [`SearchDocument`] (folded in Rust, as the
//! SQLite store's is), a generated, weighted `tsvector` over it, and
//! [`SearchTerms`] turned into a `tsquery` that matches exactly what the
//! SQLite store's FTS5 expression matches: every word as a prefix in name,
//! email or address (a word of several tokens as a phrase within one of
//! them), or a phone's digits at the start or end of a number. Ranked with
//! `ts_rank`, names weighing most.

use postgres::types::Type;
use uuid::Uuid;

use super::db::{Db, Query, get};
use crate::domain::search::{SearchDocument, SearchHit, SearchTerms};
use crate::{CustomerId, Result};

/// Writes the search row of the customer at `seq`.
pub fn index(db: &mut Db<'_>, seq: i64, document: &SearchDocument) -> Result<()> {
    db.execute(
        "indexing a customer for search",
        "INSERT INTO customer_search (customer_seq, name, email, phone, address) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (customer_seq) DO UPDATE SET \
         name = excluded.name, email = excluded.email, phone = excluded.phone, \
         address = excluded.address",
        &[
            &seq,
            &document.name,
            &document.email,
            &phone_text(document),
            &document.address,
        ],
    )?;
    Ok(())
}

/// Writes the search rows of new customers at `seqs`, one statement.
pub fn index_many(db: &mut Db<'_>, seqs: &[i64], documents: &[SearchDocument]) -> Result<()> {
    db.execute(
        "indexing customers for search",
        "INSERT INTO customer_search (customer_seq, name, email, phone, address) \
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])",
        &[
            &seqs,
            &documents
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>(),
            &documents
                .iter()
                .map(|d| d.email.as_str())
                .collect::<Vec<_>>(),
            &documents.iter().map(phone_text).collect::<Vec<_>>(),
            &documents
                .iter()
                .map(|d| d.address.as_str())
                .collect::<Vec<_>>(),
        ],
    )?;
    Ok(())
}

/// Writes the search rows of many new customers with one binary `COPY`.
pub fn copy_many(db: &mut Db<'_>, documents: &[(i64, SearchDocument)]) -> Result<()> {
    db.copy_in(
        "indexing customers for search",
        "COPY customer_search (customer_seq, name, email, phone, address) \
         FROM STDIN (FORMAT binary)",
        &[Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT, Type::TEXT],
        |out| {
            for (seq, document) in documents {
                out.write(&[
                    seq,
                    &document.name,
                    &document.email,
                    &phone_text(document),
                    &document.address,
                ])?;
            }
            Ok(())
        },
    )?;
    Ok(())
}

/// The phone column: digits forwards, then each number's digits backwards
/// prefixed with `t` (so a query for the last digits matches only those).
fn phone_text(document: &SearchDocument) -> String {
    let tails = document
        .phone_tail
        .split_whitespace()
        .map(|tail| format!("t{tail}"));
    std::iter::once(document.phone.clone())
        .chain(tails)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The distinct name and address words that begin with any of `initials`,
/// read from the folded text of the rows the trigram index finds holding
/// such a word (`LIKE 'l%' OR LIKE '% l%'` per letter; folded text has no
/// `%`, `_` or `\\` to escape).
pub fn vocabulary(db: &mut Db<'_>, initials: &[char]) -> Result<Vec<String>> {
    if initials.is_empty() {
        return Ok(Vec::new());
    }
    let letters: Vec<String> = initials.iter().map(char::to_string).collect();
    let patterns: Vec<String> = letters
        .iter()
        .flat_map(|letter| [format!("{letter}%"), format!("% {letter}%")])
        .collect();
    let mut sql = Query::new(
        "SELECT DISTINCT word \
         FROM customer_search, unnest(string_to_array(name || ' ' || address, ' ')) AS word \
         WHERE left(word, 1) = ANY($1::text[]) AND (false",
    );
    sql.bind(&letters);
    for pattern in &patterns {
        sql.filter(" OR (name || ' ' || address) LIKE ?", pattern);
    }
    sql.push(")");
    db.query("reading the search vocabulary", &sql.text, &sql.params)?
        .iter()
        .map(|row| get(row, 0))
        .collect()
}

/// Live customers matching `terms`, best first.
pub fn search(db: &mut Db<'_>, terms: &SearchTerms, limit: u32) -> Result<Vec<SearchHit>> {
    let query = tsquery(terms);
    db.query(
        "searching customers",
        "SELECT c.id, c.display_name, ts_rank('{0.4, 0.3, 0.6, 1.0}', s.document, q) AS rank \
         FROM customer_search s JOIN customers c ON c.seq = s.customer_seq, \
         CAST($1::text AS tsquery) q \
         WHERE s.document @@ q AND c.archived_at IS NULL \
         ORDER BY rank DESC, c.id LIMIT $2",
        &[&query, &i64::from(limit)],
    )?
    .iter()
    .map(|row| {
        Ok(SearchHit {
            customer_id: CustomerId::from(get::<Uuid>(row, 0)?),
            display_name: get(row, 1)?,
            score: f64::from(get::<f32>(row, 2)?),
        })
    })
    .collect()
}

/// The `tsquery`: every word as a prefix in name (A), email (B) or address
/// (C); or, for a phone-like query, its digits at the start (D) or, backwards
/// and prefixed with `t`, the end of a number.
fn tsquery(terms: &SearchTerms) -> String {
    let words: Vec<String> = terms
        .words
        .iter()
        .map(|word| {
            let spellings: Vec<String> = word.spellings().map(word_query).collect();
            match spellings[..] {
                [ref only] => only.clone(),
                _ => format!("({})", spellings.join(" | ")),
            }
        })
        .collect();
    let mut alternatives = Vec::new();
    if !words.is_empty() {
        alternatives.push(format!("({})", words.join(" & ")));
    }
    if let Some(digits) = &terms.phone_digits {
        let reversed: String = digits.chars().rev().collect();
        alternatives.push(format!("{}:*D", lexeme(digits)));
        alternatives.push(format!("{}:*D", lexeme(&format!("t{reversed}"))));
    }
    alternatives.join(" | ")
}

/// One folded word: a single token as a prefix in any of A, B and C; several
/// tokens as a phrase (the last a prefix) within one of them.
fn word_query(word: &str) -> String {
    let tokens: Vec<&str> = word.split_whitespace().collect();
    if let [token] = tokens[..] {
        return format!("{}:*ABC", lexeme(token));
    }
    let phrase = |weight: char| {
        let last = tokens.len() - 1;
        tokens
            .iter()
            .enumerate()
            .map(|(index, token)| {
                let prefix = if index == last { "*" } else { "" };
                format!("{}:{prefix}{weight}", lexeme(token))
            })
            .collect::<Vec<_>>()
            .join(" <-> ")
    };
    format!(
        "(({}) | ({}) | ({}))",
        phrase('A'),
        phrase('B'),
        phrase('C')
    )
}

/// A `tsquery` lexeme literal: quoted, quotes and backslashes escaped.
fn lexeme(token: &str) -> String {
    format!("'{}'", token.replace('\\', "\\\\").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_match_words_in_one_field_and_phone_digits_both_ways() {
        let terms = SearchTerms::parse("maria o'brien").unwrap();
        assert_eq!(
            tsquery(&terms),
            "('maria':*ABC & (('o':A <-> 'brien':*A) | ('o':B <-> 'brien':*B) \
             | ('o':C <-> 'brien':*C)))"
        );
        let terms = SearchTerms::parse("2233").unwrap();
        assert_eq!(tsquery(&terms), "('2233':*ABC) | '2233':*D | 't3322':*D");
        let mut terms = SearchTerms::parse("maria lopex").unwrap();
        terms.words[1].corrections = vec!["lopez".to_owned()];
        assert_eq!(
            tsquery(&terms),
            "('maria':*ABC & ('lopex':*ABC | 'lopez':*ABC))"
        );
    }

    #[test]
    fn the_phone_column_marks_numbers_read_backwards() {
        let document = SearchDocument {
            phone: "5550102233 15550102233".to_owned(),
            phone_tail: "33220105551".to_owned(),
            ..SearchDocument::default()
        };
        assert_eq!(phone_text(&document), "5550102233 15550102233 t33220105551");
        assert_eq!(phone_text(&SearchDocument::default()), "");
    }
}
