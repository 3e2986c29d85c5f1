//! The foundation every other layer stands on: the error type, typed ids,
//! secrets, and the macro that gives closed sets of words one behaviour.

pub(crate) mod error;
pub(crate) mod ids;
pub(crate) mod secret;
#[macro_use]
pub(crate) mod text_enum;
