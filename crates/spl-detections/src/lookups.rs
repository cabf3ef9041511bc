//! ESCU lookup definitions (`lookups/*.yml`) and the CSV tables they name, loaded into a
//! [`LookupSet`] that the engine's `lookup` and `inputlookup` use.
//!
//! ```yaml
//! name: 3cx_ioc_domains
//! filename: 3cx_ioc_domains.csv
//! description: A list of domains from the 3CX supply chain attack.
//! match_type: WILDCARD(domain)
//! min_matches: 1
//! default_match: 'false'
//! case_sensitive_match: 'false'
//! ```
//!
//! * `filename` ending in `.csv`: the table is read from that file, next to the YAML file.
//! * `collection` (a KV store collection) with `fields_list`: an empty table with those
//!   columns (there is no data offline), so searches using it still run.
//! * Any other `filename` (`.mlmodel` machine-learning models) is not a lookup table: the
//!   definition is skipped and listed in [`LookupSet::skipped`].
//!
//! `case_sensitive_match` defaults to true, `min_matches` to 0, `max_matches` to 100 and
//! `default_match` to the empty string (`spl-semantics.md` §6.15). Other keys (`description`,
//! `fields`, …) are ignored.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use spl_engine::lookup::{
    parse_match_types, LookupOptions, LookupSource, LookupTable, LookupTables,
};

use crate::error::DetectionError;
use crate::macro_file::yaml_files;
use crate::yaml::{parse, read_text, LoadOptions};

/// CSV tables larger than this many bytes are refused by default (64 MiB).
pub const DEFAULT_MAX_TABLE_BYTES: u64 = 64 << 20;

/// Limits for loading lookups.
#[derive(Clone, Debug)]
pub struct LookupLoadOptions {
    /// Limits for the YAML definition files.
    pub yaml: LoadOptions,
    /// CSV files larger than this many bytes are refused.
    pub max_table_bytes: u64,
}

impl Default for LookupLoadOptions {
    fn default() -> Self {
        LookupLoadOptions {
            yaml: LoadOptions::default(),
            max_table_bytes: DEFAULT_MAX_TABLE_BYTES,
        }
    }
}

/// A YAML scalar that may be written as text, number or Boolean (`min_matches: 1`,
/// `case_sensitive_match: 'false'`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Bool(bool),
    Integer(i64),
    Float(f64),
    Text(String),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Integer(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Text(s) => s.clone(),
        }
    }
}

/// The keys of a lookup definition that matter.
#[derive(Deserialize)]
struct LookupFile {
    name: String,
    #[serde(default)]
    filename: Option<String>,
    #[serde(default)]
    collection: Option<String>,
    #[serde(default)]
    fields_list: Option<String>,
    #[serde(default)]
    match_type: Option<String>,
    #[serde(default)]
    case_sensitive_match: Option<Scalar>,
    #[serde(default)]
    min_matches: Option<Scalar>,
    #[serde(default)]
    max_matches: Option<Scalar>,
    #[serde(default)]
    default_match: Option<Scalar>,
}

/// The lookup tables of a project, by definition name (or file name).
#[derive(Clone, Debug, Default)]
pub struct LookupSet {
    tables: LookupTables,
    skipped: Vec<(PathBuf, String)>,
}

impl LookupSet {
    /// An empty set.
    pub fn new() -> LookupSet {
        LookupSet::default()
    }

    /// Adds `table`, replacing one of the same name.
    pub fn insert(&mut self, table: LookupTable) {
        self.tables.insert(table);
    }

    /// Number of tables.
    pub fn len(&self) -> usize {
        self.tables.len()
    }

    /// True when there is no table.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The tables in name order.
    pub fn iter(&self) -> impl Iterator<Item = &LookupTable> {
        self.tables.iter()
    }

    /// Definitions that are not lookup tables (e.g. `.mlmodel` files): path and reason.
    pub fn skipped(&self) -> &[(PathBuf, String)] {
        &self.skipped
    }

    /// The set as the engine's lookup source (`Engine::with_lookups`).
    pub fn into_source(self) -> Arc<dyn LookupSource> {
        Arc::new(self)
    }
}

impl LookupSource for LookupSet {
    fn table(&self, name: &str) -> Option<Arc<LookupTable>> {
        self.tables.table(name)
    }

    fn names(&self) -> Vec<String> {
        self.tables.names()
    }
}

/// Loads every lookup definition of `dir` with the default [`LookupLoadOptions`].
pub fn load_lookup_dir(dir: &Path) -> Result<LookupSet, DetectionError> {
    load_lookup_dir_with(dir, &LookupLoadOptions::default())
}

/// Loads every `*.yml` / `*.yaml` definition directly in `dir`, in file-name order, with the
/// CSV files they name (also in `dir`); a later definition of the same name wins.
pub fn load_lookup_dir_with(
    dir: &Path,
    options: &LookupLoadOptions,
) -> Result<LookupSet, DetectionError> {
    let mut set = LookupSet::new();
    for path in yaml_files(dir)? {
        match load_lookup_file_with(&path, options)? {
            Loaded::Table(table) => set.insert(table),
            Loaded::Skipped(reason) => set.skipped.push((path, reason)),
        }
    }
    Ok(set)
}

/// What one definition file gave.
enum Loaded {
    Table(LookupTable),
    Skipped(String),
}

/// Loads one definition and its table.
fn load_lookup_file_with(
    path: &Path,
    options: &LookupLoadOptions,
) -> Result<Loaded, DetectionError> {
    let text = read_text(path, &options.yaml)?;
    let file: LookupFile = parse(&text, path, &options.yaml)?;
    let invalid = |message: String| DetectionError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    if file.name.trim().is_empty() {
        return Err(invalid("`name` is empty".to_string()));
    }
    let lookup_options = lookup_options(&file).map_err(invalid)?;
    if let Some(filename) = &file.filename {
        if !filename.to_ascii_lowercase().ends_with(".csv") {
            return Ok(Loaded::Skipped(format!(
                "`{filename}` is not a CSV lookup table"
            )));
        }
        let csv_path = csv_path(path, filename).map_err(invalid)?;
        let limits = LoadOptions {
            max_file_bytes: options.max_table_bytes,
        };
        let csv = read_text(&csv_path, &limits)?;
        let table =
            LookupTable::from_csv(&file.name, filename, &csv, lookup_options).map_err(|error| {
                DetectionError::Invalid {
                    path: csv_path.clone(),
                    message: format!("line {}: {}", error.line, error.message),
                }
            })?;
        return Ok(Loaded::Table(table));
    }
    if file.collection.is_some() {
        let columns: Vec<String> = file
            .fields_list
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        return Ok(Loaded::Table(LookupTable {
            name: file.name.clone(),
            filename: String::new(),
            columns,
            rows: Vec::new(),
            options: lookup_options,
        }));
    }
    Err(invalid(format!(
        "lookup `{}` names neither a `filename` nor a `collection`",
        file.name
    )))
}

/// The CSV file next to the definition; a name with folders or `..` is refused.
fn csv_path(definition: &Path, filename: &str) -> Result<PathBuf, String> {
    let plain = Path::new(filename)
        .file_name()
        .is_some_and(|name| name == std::ffi::OsStr::new(filename));
    if !plain {
        return Err(format!(
            "`filename: {filename}` must be a file name without folders"
        ));
    }
    let dir = definition.parent().unwrap_or_else(|| Path::new("."));
    Ok(dir.join(filename))
}

/// The matching rules of a definition.
fn lookup_options(file: &LookupFile) -> Result<LookupOptions, String> {
    let mut options = LookupOptions::default();
    if let Some(match_type) = &file.match_type {
        options.match_types = parse_match_types(match_type)?;
    }
    if let Some(value) = &file.case_sensitive_match {
        options.case_sensitive = match value.text().to_ascii_lowercase().as_str() {
            "true" | "t" | "1" | "yes" => true,
            "false" | "f" | "0" | "no" => false,
            other => return Err(format!("`case_sensitive_match: {other}` is not a Boolean")),
        };
    }
    if let Some(value) = &file.min_matches {
        options.min_matches = count("min_matches", value)?;
    }
    if let Some(value) = &file.max_matches {
        options.max_matches = count("max_matches", value)?.max(1);
    }
    if let Some(value) = &file.default_match {
        options.default_match = value.text();
    }
    Ok(options)
}

/// A non-negative whole number.
fn count(key: &str, value: &Scalar) -> Result<usize, String> {
    let text = value.text();
    text.trim()
        .parse()
        .map_err(|_| format!("`{key}: {text}` is not a non-negative whole number"))
}
