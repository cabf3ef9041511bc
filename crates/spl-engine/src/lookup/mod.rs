//! Lookup tables for `lookup` and `inputlookup`: the table model ([`LookupTable`]), a CSV
//! reader ([`parse_csv`]), row matching ([`Matcher`]), and the [`LookupSource`] trait through
//! which the planner finds tables by name (see `spl-semantics.md` §6.15).
//!
//! The engine does not read files itself: an embedder hands it a [`LookupSource`], for
//! example a [`LookupTables`] filled from a folder of lookup definitions.

mod csv;
mod matching;
mod table;

pub use csv::{parse_csv, CsvError};
pub use matching::{InputColumn, Matcher};
pub use table::{parse_match_types, LookupOptions, LookupTable, MatchType, DEFAULT_MAX_MATCHES};

use std::collections::BTreeMap;
use std::sync::Arc;

/// Where the planner finds lookup tables.
pub trait LookupSource: Send + Sync {
    /// The table called `name`: a definition name, or a file name such as `table.csv`.
    fn table(&self, name: &str) -> Option<Arc<LookupTable>>;

    /// Every definition name, sorted, for did-you-mean suggestions.
    fn names(&self) -> Vec<String>;
}

/// An in-memory set of tables, found by definition name or by file name.
#[derive(Clone, Debug, Default)]
pub struct LookupTables {
    by_name: BTreeMap<String, Arc<LookupTable>>,
}

impl LookupTables {
    /// An empty set.
    pub fn new() -> LookupTables {
        LookupTables::default()
    }

    /// Adds `table`, replacing a table of the same name.
    pub fn insert(&mut self, table: LookupTable) {
        self.by_name.insert(table.name.clone(), Arc::new(table));
    }

    /// Number of tables.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// True when there is no table.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The tables in name order.
    pub fn iter(&self) -> impl Iterator<Item = &LookupTable> {
        self.by_name.values().map(Arc::as_ref)
    }
}

impl LookupSource for LookupTables {
    fn table(&self, name: &str) -> Option<Arc<LookupTable>> {
        if let Some(table) = self.by_name.get(name) {
            return Some(table.clone());
        }
        self.by_name
            .values()
            .find(|table| !table.filename.is_empty() && table.filename == name)
            .cloned()
    }

    fn names(&self) -> Vec<String> {
        self.by_name.keys().cloned().collect()
    }
}

impl std::fmt::Debug for dyn LookupSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LookupSource")
            .field("tables", &self.names().len())
            .finish()
    }
}
