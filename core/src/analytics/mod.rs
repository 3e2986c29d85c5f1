//! Reports over a whole book: funnels, attribution, lead response time,
//! segments, questions across every customer and data quality. Each is a
//! `Book` method written over one journey scan, a store selection or the
//! store's summaries; and (feature `arrow`) the book's tables as Arrow
//! batches and Parquet files.

#[cfg(feature = "arrow")]
pub(crate) mod arrow;
pub(crate) mod attribution;
pub(crate) mod book_questions;
pub(crate) mod dropoff;
pub(crate) mod experiments;
pub(crate) mod funnel;
pub(crate) mod quality;
pub(crate) mod response;
pub(crate) mod retention;
pub(crate) mod segments;
pub(crate) mod stages;
