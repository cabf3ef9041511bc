//! Operators: the runtime form of each command. One file per command, named like its parser.
//!
//! An operator takes one record at a time and emits zero or more; at end of input it emits
//! what it held back (`stats`, `sort`). Streaming commands emit as they go.
//!
//! Every operator documents its output order in its module doc; none depends on hash-map
//! iteration order.

use crate::run::{ExecContext, RunError};
use crate::value::Record;

/// The runtime form of one pipeline stage.
pub trait Operator: Send + std::fmt::Debug {
    /// Processes one record, pushing any output to `out`.
    fn push(
        &mut self,
        record: Record,
        ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError>;

    /// Called once after the last record; emits held-back results.
    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        let _ = (ctx, out);
        Ok(())
    }

    /// A new operator in its initial state, with the same configuration.
    fn fresh(&self) -> Box<dyn Operator>;
}

pub mod addtotals;
pub mod append;
pub mod appendpipe;
pub mod arguments;
pub mod bin;
pub mod convert;
pub mod dedup;
pub mod eval;
pub mod eventstats;
pub mod fields;
pub mod fillnull;
pub mod foreach;
pub mod format;
pub mod fromjson;
pub mod generic;
pub mod head;
pub mod inputlookup;
pub mod iplocation;
pub mod join;
pub mod json_fields;
pub mod key;
pub mod lookup;
pub mod makemv;
pub mod makeresults;
pub mod map;
pub mod mvcombine;
pub mod mvexpand;
pub mod regex;
pub mod rename;
pub mod replace;
pub mod r#return;
pub mod rex;
pub mod search;
pub mod search_subsearch;
pub mod sort;
pub mod spath;
pub mod stats;
pub mod stats_arguments;
pub mod streamstats;
pub mod table;
pub mod tail;
pub mod time_text;
pub mod transaction;
pub mod r#where;
pub mod wildcard;
pub mod xmlkv;

#[cfg(test)]
pub(crate) mod testing;
