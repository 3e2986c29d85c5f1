//! The foundation every other layer stands on: the error type, typed ids,
//! secrets, the macro that gives closed sets of words one behaviour, how
//! money and spans of time read in text, and the one sort the library
//! carries.

pub(crate) mod error;
pub(crate) mod ids;
pub(crate) mod secret;
pub(crate) mod sorting;
#[macro_use]
pub(crate) mod text_enum;
pub(crate) mod words;
