//! Reports over a whole book: funnels, attribution, lead response time and
//! segments. Each is a `Book` method written over one journey scan or the
//! store's summaries; and (feature `arrow`) the book's tables as Arrow
//! batches and Parquet files.

#[cfg(feature = "arrow")]
pub(crate) mod arrow;
pub(crate) mod attribution;
pub(crate) mod funnel;
pub(crate) mod response;
pub(crate) mod segments;
