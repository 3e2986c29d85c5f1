//! Phone numbers: any common formatting in, E.164 out.
//!
//! A number written with a leading `+` (or an international prefix `00` /
//! `011`) is taken as international; anything else is read in the book's
//! default region. The rules are the numbering-plan lengths of each region,
//! not a carrier database: poolbook checks that a number is well-formed, not
//! that it is in service.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A numbering region: how national numbers are written there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Region {
    /// ISO 3166-1 alpha-2 code, e.g. `US`.
    pub code: String,
    /// Country calling code, e.g. `1`.
    pub calling_code: String,
    /// Digit dialled before national numbers at home (`0` in the UK), if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub trunk_prefix: Option<String>,
    /// Fewest digits of a national significant number.
    pub min_national_length: u32,
    /// Most digits of a national significant number.
    pub max_national_length: u32,
}

/// A region's numbering plan, as the normaliser reads it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NumberingPlan {
    code: &'static str,
    calling_code: &'static str,
    trunk_prefix: Option<char>,
    national_lengths: RangeInclusive<usize>,
}

const fn plan(
    code: &'static str,
    calling_code: &'static str,
    trunk_prefix: Option<char>,
    min: usize,
    max: usize,
) -> NumberingPlan {
    NumberingPlan {
        code,
        calling_code,
        trunk_prefix,
        national_lengths: min..=max,
    }
}

/// The regions a book's default can be set to.
const PLANS: &[NumberingPlan] = &[
    plan("US", "1", None, 10, 10),
    plan("CA", "1", None, 10, 10),
    plan("PR", "1", None, 10, 10),
    plan("MX", "52", None, 10, 10),
    plan("GB", "44", Some('0'), 9, 10),
    plan("IE", "353", Some('0'), 7, 9),
    plan("AU", "61", Some('0'), 9, 9),
    plan("NZ", "64", Some('0'), 8, 10),
    plan("ZA", "27", Some('0'), 9, 9),
    plan("FR", "33", Some('0'), 9, 9),
    plan("ES", "34", None, 9, 9),
    plan("DE", "49", Some('0'), 6, 13),
];

impl Region {
    /// The region with ISO code `code` (any case).
    pub fn from_code(code: &str) -> Result<Region> {
        NumberingPlan::find(code).map(NumberingPlan::region)
    }

    /// Every region a book's default can be set to.
    pub fn supported() -> Vec<Region> {
        PLANS.iter().map(NumberingPlan::region).collect()
    }
}

impl NumberingPlan {
    /// The plan of the region with ISO code `code` (any case).
    pub(crate) fn find(code: &str) -> Result<&'static NumberingPlan> {
        let wanted = code.trim().to_ascii_uppercase();
        PLANS
            .iter()
            .find(|plan| plan.code == wanted)
            .ok_or_else(|| {
                let known: Vec<&str> = PLANS.iter().map(|plan| plan.code).collect();
                Error::invalid(
                    "default_region",
                    format!("unknown region; supported: {}", known.join(", ")),
                )
            })
    }

    /// The region's ISO code.
    pub(crate) fn code(&self) -> &'static str {
        self.code
    }

    fn region(&self) -> Region {
        Region {
            code: self.code.to_owned(),
            calling_code: self.calling_code.to_owned(),
            trunk_prefix: self.trunk_prefix.map(String::from),
            min_national_length: *self.national_lengths.start() as u32,
            max_national_length: *self.national_lengths.end() as u32,
        }
    }

    fn is_nanp(&self) -> bool {
        self.calling_code == "1"
    }
}

/// Normalises `input` to E.164 (`+15550102233`), reading national numbers in
/// the region with ISO code `region_code` (`US`). The error names `field` and
/// says what is wrong, without echoing the number.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn normalize_phone(input: &str, region_code: &str, field: &str) -> Result<String> {
    normalize(input, NumberingPlan::find(region_code)?, field)
}

/// [`normalize_phone`] with the region's plan already found.
pub(crate) fn normalize(input: &str, region: &NumberingPlan, field: &str) -> Result<String> {
    let text = input.trim();
    if text.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if text.chars().any(|c| c.is_alphabetic()) {
        return Err(Error::invalid(
            field,
            "contains letters; write the number in digits (put an extension in the label)",
        ));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+' | '/')))
    {
        return Err(Error::invalid(
            field,
            format!("contains '{bad}', which is not part of a phone number"),
        ));
    }
    if text.rfind('+').is_some_and(|at| at > 0) {
        return Err(Error::invalid(field, "has a '+' that is not at the start"));
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let international = if text.starts_with('+') {
        Some(digits.as_str())
    } else if region.is_nanp() {
        digits.strip_prefix("011")
    } else {
        digits.strip_prefix("00")
    };
    match international {
        Some(number) => normalize_international(number, field),
        None => normalize_national(&digits, region, field),
    }
}

fn normalize_international(digits: &str, field: &str) -> Result<String> {
    if digits.starts_with('0') {
        return Err(Error::invalid(field, "a country code cannot start with 0"));
    }
    if !(8..=15).contains(&digits.len()) {
        return Err(Error::invalid(
            field,
            format!(
                "has {} digits; an international number has 8 to 15",
                digits.len()
            ),
        ));
    }
    if let Some(national) = digits.strip_prefix('1') {
        check_nanp(national, field)?;
    }
    Ok(format!("+{digits}"))
}

fn normalize_national(digits: &str, region: &NumberingPlan, field: &str) -> Result<String> {
    let mut national = digits;
    if region.is_nanp() && national.len() == 11 {
        national = national.strip_prefix('1').unwrap_or(national);
    }
    if let Some(trunk) = region.trunk_prefix {
        national = national.strip_prefix(trunk).unwrap_or(national);
    }
    if !region.national_lengths.contains(&national.len()) {
        let lengths = &region.national_lengths;
        let expected = if lengths.start() == lengths.end() {
            lengths.start().to_string()
        } else {
            format!("{} to {}", lengths.start(), lengths.end())
        };
        return Err(Error::invalid(
            field,
            format!(
                "has {} digits; a {} number has {expected} (start with + and the country code for another country)",
                national.len(),
                region.code
            ),
        ));
    }
    if region.is_nanp() {
        check_nanp(national, field)?;
    }
    Ok(format!("+{}{national}", region.calling_code))
}

/// North American numbers: ten digits, area code not starting with 0 or 1.
fn check_nanp(national: &str, field: &str) -> Result<()> {
    if national.len() != 10 {
        return Err(Error::invalid(
            field,
            format!(
                "has {} digits after +1; North American numbers have 10",
                national.len()
            ),
        ));
    }
    if national.starts_with(['0', '1']) {
        return Err(Error::invalid(field, "area code cannot start with 0 or 1"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us(input: &str) -> Result<String> {
        normalize_phone(input, "us", "phone")
    }

    #[test]
    fn north_american_formats_normalise_to_e164() {
        for input in [
            "(555) 010-2233",
            "555-010-2233",
            "555.010.2233",
            "5550102233",
            "1 555 010 2233",
            "+1 (555) 010-2233",
            "011 1 555 010 2233",
        ] {
            assert_eq!(us(input).unwrap(), "+15550102233", "{input}");
        }
    }

    #[test]
    fn international_numbers_keep_their_country() {
        assert_eq!(us("+44 20 7946 0958").unwrap(), "+442079460958");
        assert_eq!(
            normalize_phone("020 7946 0958", "GB", "p").unwrap(),
            "+442079460958"
        );
        assert_eq!(
            normalize_phone("0044 20 7946 0958", "gb", "p").unwrap(),
            "+442079460958"
        );
        let gb = Region::from_code("gb").unwrap();
        assert_eq!(
            (gb.calling_code.as_str(), gb.trunk_prefix.as_deref()),
            ("44", Some("0"))
        );
        assert_eq!((gb.min_national_length, gb.max_national_length), (9, 10));
        assert_eq!(Region::supported().len(), 12);
    }

    #[test]
    fn malformed_numbers_are_refused_with_a_reason() {
        let cases = [
            ("", "is empty"),
            ("555-CALL-NOW", "contains letters"),
            ("555_010_2233", "contains '_'"),
            ("555 0102", "has 7 digits"),
            ("255 010 22334", "has 11 digits"),
            ("(055) 010-2233", "area code"),
            ("+0 555 010", "country code"),
            ("+1 555 010 223", "has 9 digits after +1"),
            ("55+5 010 2233", "'+'"),
            ("+1234567890123456", "8 to 15"),
        ];
        for (input, expected) in cases {
            let error = us(input).unwrap_err().to_string();
            assert!(error.starts_with("invalid phone: "), "{input}: {error}");
            assert!(error.contains(expected), "{input}: {error}");
        }
    }

    #[test]
    fn unknown_region_is_refused() {
        let error = Region::from_code("XX").unwrap_err().to_string();
        assert!(
            error.contains("default_region") && error.contains("US"),
            "{error}"
        );
    }
}
