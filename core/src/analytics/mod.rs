//! Reports over a whole book: funnels, attribution, lead response time,
//! segments and data quality. Each is a `Book` method written over one journey scan or the
//! store's summaries.

pub(crate) mod attribution;
pub(crate) mod funnel;
pub(crate) mod quality;
pub(crate) mod response;
pub(crate) mod segments;
