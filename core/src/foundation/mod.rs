//! The foundation every other layer stands on: the error type, typed ids,
//! secrets, the macro that gives closed sets of words one behaviour, and how
//! money and spans of time read in text.

pub(crate) mod error;
pub(crate) mod ids;
pub(crate) mod secret;
#[macro_use]
pub(crate) mod text_enum;
pub(crate) mod words;
