//! Customer search on SQLite FTS5: turns [`SearchTerms`] into an FTS5 match
//! expression and ranks with bm25, names weighing most; lists the indexed
//! words a typo is forgiven against from the index's own vocabulary
//! (`fts5vocab`).

use rusqlite::{Connection, params};

use super::codec::{get_parsed, storage};
use crate::Result;
use crate::domain::search::{SearchHit, SearchTerms};

/// Live customers matching `terms`, best first.
pub fn search(conn: &Connection, terms: &SearchTerms, limit: u32) -> Result<Vec<SearchHit>> {
    conn.prepare_cached(
        "SELECT c.id, c.display_name, bm25(customer_search, 10.0, 6.0, 4.0, 4.0, 3.0) AS rank \
         FROM customer_search JOIN customers c ON c.seq = customer_search.rowid \
         WHERE customer_search MATCH ?1 AND c.archived_at IS NULL \
         ORDER BY rank, c.id LIMIT ?2",
    )
    .and_then(|mut stmt| {
        stmt.query_map(params![match_expression(terms), i64::from(limit)], |row| {
            Ok(SearchHit {
                customer_id: get_parsed(row, 0)?,
                display_name: row.get(1)?,
                score: -row.get::<_, f64>(2)?,
            })
        })?
        .collect()
    })
    .map_err(storage("searching customers"))
}

/// The distinct name and address words of the index that begin with any of
/// `initials`: a range of the index's own vocabulary per letter (FTS5 orders
/// terms by their UTF-8 bytes, so by code point).
pub fn vocabulary(conn: &Connection, initials: &[char]) -> Result<Vec<String>> {
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.customer_search_vocabulary \
         USING fts5vocab(main, customer_search, col)",
    )
    .map_err(storage("reading the search vocabulary"))?;
    let mut words = Vec::new();
    for &initial in initials {
        let from = initial.to_string();
        let below = (u32::from(initial) + 1..=u32::from(char::MAX))
            .find_map(char::from_u32)
            .map_or_else(|| char::MAX.to_string().repeat(2), |next| next.to_string());
        conn.prepare_cached(
            "SELECT DISTINCT term FROM temp.customer_search_vocabulary \
             WHERE term >= ?1 AND term < ?2 AND col IN ('name', 'address')",
        )
        .and_then(|mut stmt| {
            stmt.query_map(params![from, below], |row| row.get::<_, String>(0))?
                .try_for_each(|word| {
                    words.push(word?);
                    Ok(())
                })
        })
        .map_err(storage("reading the search vocabulary"))?;
    }
    Ok(words)
}

/// The FTS5 expression: every word, or one of its corrections, as a prefix in
/// name, email or address; or, for a phone-like query, its digits at the
/// start or the end of a number.
fn match_expression(terms: &SearchTerms) -> String {
    let words: Vec<String> = terms
        .words
        .iter()
        .map(|word| {
            let spellings: Vec<String> = word
                .spellings()
                .map(|spelling| format!("{}*", quoted(spelling)))
                .collect();
            match spellings[..] {
                [ref only] => format!("{{name email address}} : {only}"),
                _ => format!("{{name email address}} : ({})", spellings.join(" OR ")),
            }
        })
        .collect();
    let mut alternatives = Vec::new();
    if !words.is_empty() {
        alternatives.push(format!("({})", words.join(" AND ")));
    }
    if let Some(digits) = &terms.phone_digits {
        let reversed: String = digits.chars().rev().collect();
        alternatives.push(format!("phone : {}*", quoted(digits)));
        alternatives.push(format!("phone_tail : {}*", quoted(&reversed)));
    }
    alternatives.join(" OR ")
}

/// An FTS5 string literal: the text in double quotes, inner quotes doubled.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_quote_words_and_match_phone_digits_both_ways() {
        let terms = SearchTerms::parse("maria \"lo o'brien").unwrap();
        assert_eq!(
            match_expression(&terms),
            "({name email address} : \"maria\"* AND {name email address} : \"lo\"* \
             AND {name email address} : \"o brien\"*)"
        );
        let terms = SearchTerms::parse("2233").unwrap();
        assert_eq!(
            match_expression(&terms),
            "({name email address} : \"2233\"*) OR phone : \"2233\"* OR phone_tail : \"3322\"*"
        );
        let mut terms = SearchTerms::parse("maria lopex").unwrap();
        terms.words[1].corrections = vec!["lopez".to_owned(), "lopes".to_owned()];
        assert_eq!(
            match_expression(&terms),
            "({name email address} : \"maria\"* AND \
             {name email address} : (\"lopex\"* OR \"lopez\"* OR \"lopes\"*))"
        );
    }
}
