//! A lookup table: its columns, rows in file order, and the matching rules of its definition
//! (`transforms.conf` / ESCU lookup YAML: `match_type`, `case_sensitive_match`,
//! `min_matches`, `max_matches`, `default_match`).

use super::csv::{parse_csv, CsvError};

/// `max_matches` when the definition does not set it (non-temporal lookups).
pub const DEFAULT_MAX_MATCHES: usize = 100;

/// How one column's table values are compared with event values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MatchType {
    /// Equal text (subject to case sensitivity).
    #[default]
    Exact,
    /// `WILDCARD(col)`: `*` in the table value matches any sequence.
    Wildcard,
    /// `CIDR(col)`: the table value is a CIDR block; addresses inside it match.
    Cidr,
}

/// The matching rules of a lookup definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupOptions {
    /// Compare text case-sensitively (default true).
    pub case_sensitive: bool,
    /// Columns with a non-exact match type.
    pub match_types: Vec<(String, MatchType)>,
    /// Fewer matches than this are padded with `default_match` (default 0).
    pub min_matches: usize,
    /// At most this many rows match, in file order (default 100).
    pub max_matches: usize,
    /// The value used to reach `min_matches` (default empty).
    pub default_match: String,
}

impl Default for LookupOptions {
    fn default() -> Self {
        LookupOptions {
            case_sensitive: true,
            match_types: Vec::new(),
            min_matches: 0,
            max_matches: DEFAULT_MAX_MATCHES,
            default_match: String::new(),
        }
    }
}

impl LookupOptions {
    /// The match type of `column`.
    pub fn match_type(&self, column: &str) -> MatchType {
        self.match_types
            .iter()
            .find(|(name, _)| name == column)
            .map_or(MatchType::Exact, |(_, kind)| *kind)
    }
}

/// Parses a `match_type` value: `WILDCARD(a), CIDR(b)`.
pub fn parse_match_types(text: &str) -> Result<Vec<(String, MatchType)>, String> {
    let mut types = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((kind, rest)) = part.split_once('(') else {
            return Err(format!(
                "`{part}` is not of the form WILDCARD(field) or CIDR(field)"
            ));
        };
        let Some(column) = rest.strip_suffix(')') else {
            return Err(format!("`{part}` lacks its closing parenthesis"));
        };
        let kind = match kind.trim().to_ascii_uppercase().as_str() {
            "WILDCARD" => MatchType::Wildcard,
            "CIDR" => MatchType::Cidr,
            "EXACT" => MatchType::Exact,
            other => return Err(format!("unknown match type `{other}`")),
        };
        types.push((column.trim().to_string(), kind));
    }
    Ok(types)
}

/// A loaded lookup table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupTable {
    /// The definition name (`name:` in ESCU YAML).
    pub name: String,
    /// The file name (`filename:`), also accepted as the table name in searches.
    pub filename: String,
    /// The header row.
    pub columns: Vec<String>,
    /// The data rows in file order, each as long as `columns`.
    pub rows: Vec<Vec<String>>,
    /// The matching rules.
    pub options: LookupOptions,
}

impl LookupTable {
    /// Reads a table from CSV text whose first record is the header. Short rows are padded
    /// with empty cells; extra cells are an error.
    pub fn from_csv(
        name: &str,
        filename: &str,
        text: &str,
        options: LookupOptions,
    ) -> Result<LookupTable, CsvError> {
        let mut records = parse_csv(text)?.into_iter();
        let columns: Vec<String> = records
            .next()
            .ok_or_else(|| CsvError {
                line: 1,
                message: "the file has no header row".to_string(),
            })?
            .into_iter()
            .map(|c| c.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for (index, mut row) in records.enumerate() {
            if row.len() > columns.len() {
                return Err(CsvError {
                    line: index + 2,
                    message: format!(
                        "the row has {} fields, the header {}",
                        row.len(),
                        columns.len()
                    ),
                });
            }
            row.resize(columns.len(), String::new());
            rows.push(row);
        }
        Ok(LookupTable {
            name: name.to_string(),
            filename: filename.to_string(),
            columns,
            rows,
            options,
        })
    }

    /// The index of `column`.
    pub fn column(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }
}
