//! Wildcard aggregations of `stats`/`eventstats`: `values(*) AS *`, `avg(tcp.*) AS avg_tcp.*`,
//! `count(B2BManagementPolicy*)`.
//!
//! A wildcard argument stands for every field of the input whose name matches the pattern
//! (`*` matches any run of characters, case-sensitively). The fields are discovered from
//! the data: each group keeps one accumulator per matching field that occurred in the
//! group's events, and its output row carries one column per such field, in the order in
//! which the fields first appeared anywhere in the input (engine choice; Splunk does not
//! document the order).
//!
//! * Output names: without `AS`, `func(field)` with the concrete field name
//!   (`values(tcp.bytes)`). With an `AS` name containing `*`, its stars are replaced, left to
//!   right, by the text the argument's stars matched (`avg(tcp.*) AS avg_tcp.*` gives
//!   `avg_tcp.bytes`; `values(*) AS *` keeps each field's own name). An `AS` name without
//!   `*` names every expanded column the same, so the last matching field wins.
//! * Internal fields (names starting with `_`, such as `_raw` and `_time`) are matched only
//!   by a pattern that itself starts with `_`; ESCU writes `min(_time) AS _time` explicitly
//!   next to `values(*) AS *` [U-med].
//! * The BY fields are never matched, and an expanded column whose output name equals a BY
//!   field is left out: that column holds the group's value [U-med].

use super::functions::Function;
use crate::ops::wildcard;
use spl_syntax::ast::{Aggregation, Field};

/// One wildcard aggregation, resolved.
#[derive(Clone, Debug)]
pub struct WildcardColumn {
    function: Function,
    function_name: String,
    pattern: String,
    alias: Option<String>,
}

impl WildcardColumn {
    /// The column for `aggregation`, whose argument `field` is a wildcard.
    pub fn new(function: Function, aggregation: &Aggregation, field: &Field) -> WildcardColumn {
        WildcardColumn {
            function,
            function_name: aggregation.function.node.clone(),
            pattern: field.name.clone(),
            alias: aggregation.alias.as_ref().map(|alias| alias.name.clone()),
        }
    }

    /// The aggregate function.
    pub fn function(&self) -> Function {
        self.function
    }

    /// True when the field `name` feeds this column (BY fields never do).
    pub fn matches(&self, name: &str, by_fields: &[String]) -> bool {
        if name.starts_with('_') && !self.pattern.starts_with('_') {
            return false;
        }
        if by_fields.iter().any(|by| by == name) {
            return false;
        }
        wildcard::matches(&self.pattern, name)
    }

    /// The output column name for the matched field `name`.
    pub fn output_name(&self, name: &str) -> String {
        let Some(alias) = &self.alias else {
            return format!("{}({name})", self.function_name);
        };
        if !alias.contains('*') {
            return alias.clone();
        }
        let captured = wildcard::captures(&self.pattern, name).unwrap_or_default();
        wildcard::substitute(alias, &captured)
    }
}
