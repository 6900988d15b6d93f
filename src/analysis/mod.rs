//! Analysis: the arithmetic on validated data (metrics and the citation
//! table), the rules that need computed values (reconcile), the sums of
//! townships (roll-up) and the contradiction check over what prints.

pub(crate) mod consistency;
pub(crate) mod metrics;
pub(crate) mod provenance;
pub(crate) mod reconcile;
pub(crate) mod rollup;
