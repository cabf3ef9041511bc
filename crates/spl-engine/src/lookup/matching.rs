//! Which rows of a [`LookupTable`] match an event: every input column must match one of the
//! event's values for it (a multivalue event field is looked up value by value), under the
//! column's match type and the table's case sensitivity. Matches are in file order, at most
//! `max_matches`.

use super::table::{LookupTable, MatchType};
use crate::search::cidr::Cidr;
use crate::search::glob::Glob;

/// One input of a lookup, prepared for matching.
#[derive(Clone, Debug)]
pub struct InputColumn {
    /// The column's index in the table.
    pub index: usize,
    /// How its values compare.
    pub kind: MatchType,
}

/// A table cell prepared once for matching.
#[derive(Clone, Debug)]
enum Cell {
    Text(String),
    Wildcard(Glob),
    Cidr(Option<Cidr>, String),
}

/// A table prepared for repeated matching of some input columns.
#[derive(Clone, Debug)]
pub struct Matcher {
    case_sensitive: bool,
    max_matches: usize,
    /// Per row, the prepared cells of the input columns (in input order).
    rows: Vec<Vec<Cell>>,
}

impl Matcher {
    /// Prepares `table` for matching on `inputs`.
    pub fn new(table: &LookupTable, inputs: &[InputColumn]) -> Matcher {
        let case_sensitive = table.options.case_sensitive;
        let rows = table
            .rows
            .iter()
            .map(|row| {
                inputs
                    .iter()
                    .map(|input| {
                        let text = row.get(input.index).map_or("", String::as_str);
                        prepare(text, input.kind, case_sensitive)
                    })
                    .collect()
            })
            .collect();
        Matcher {
            case_sensitive,
            max_matches: table.options.max_matches.max(1),
            rows,
        }
    }

    /// The indexes of the matching rows; `values` holds, per input column, the event's
    /// values for it.
    pub fn find(&self, values: &[Vec<&str>]) -> Vec<usize> {
        let folded: Vec<Vec<String>> = values
            .iter()
            .map(|list| list.iter().map(|v| self.fold(v)).collect())
            .collect();
        let mut found = Vec::new();
        for (index, cells) in self.rows.iter().enumerate() {
            let all = cells
                .iter()
                .zip(&folded)
                .all(|(cell, list)| list.iter().any(|value| cell_matches(cell, value)));
            if all {
                found.push(index);
                if found.len() >= self.max_matches {
                    break;
                }
            }
        }
        found
    }

    fn fold(&self, text: &str) -> String {
        if self.case_sensitive {
            text.to_string()
        } else {
            text.to_lowercase()
        }
    }
}

fn prepare(text: &str, kind: MatchType, case_sensitive: bool) -> Cell {
    let folded = if case_sensitive {
        text.to_string()
    } else {
        text.to_lowercase()
    };
    match kind {
        MatchType::Exact => Cell::Text(folded),
        MatchType::Wildcard => Cell::Wildcard(Glob::new(&folded)),
        MatchType::Cidr => Cell::Cidr(Cidr::parse_block_or_address(text.trim()), folded),
    }
}

/// A CIDR cell that is not an address or block matches as text.
fn cell_matches(cell: &Cell, value: &str) -> bool {
    match cell {
        Cell::Text(text) => text == value,
        Cell::Wildcard(pattern) => pattern.matches(value),
        Cell::Cidr(Some(block), _) => block.contains(value.trim()),
        Cell::Cidr(None, text) => text == value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::table::LookupOptions;

    fn table(text: &str, options: LookupOptions) -> LookupTable {
        LookupTable::from_csv("t", "t.csv", text, options).expect("valid csv")
    }

    #[test]
    fn exact_match_respects_case_setting() {
        let sensitive = table("k,v\nAbc,1\nabc,2\n", LookupOptions::default());
        let inputs = [InputColumn {
            index: 0,
            kind: MatchType::Exact,
        }];
        assert_eq!(Matcher::new(&sensitive, &inputs).find(&[vec!["abc"]]), [1]);
        let insensitive = table(
            "k,v\nAbc,1\nabc,2\n",
            LookupOptions {
                case_sensitive: false,
                ..LookupOptions::default()
            },
        );
        assert_eq!(
            Matcher::new(&insensitive, &inputs).find(&[vec!["ABC"]]),
            [0, 1]
        );
    }

    #[test]
    fn wildcard_and_cidr_cells() {
        let globs = table("k,v\n*.exe,1\ncmd*,2\n", LookupOptions::default());
        let wildcard = [InputColumn {
            index: 0,
            kind: MatchType::Wildcard,
        }];
        assert_eq!(
            Matcher::new(&globs, &wildcard).find(&[vec!["cmd.exe"]]),
            [0, 1]
        );
        let blocks = table("k,v\n10.0.0.0/8,a\n10.1.2.3,b\n", LookupOptions::default());
        let cidr = [InputColumn {
            index: 0,
            kind: MatchType::Cidr,
        }];
        let matcher = Matcher::new(&blocks, &cidr);
        assert_eq!(matcher.find(&[vec!["10.1.2.3"]]), [0, 1]);
        assert_eq!(matcher.find(&[vec!["11.0.0.1"]]), Vec::<usize>::new());
    }

    #[test]
    fn max_matches_stops_in_file_order() {
        let limited = table(
            "k,v\na,1\na,2\na,3\n",
            LookupOptions {
                max_matches: 2,
                ..LookupOptions::default()
            },
        );
        let inputs = [InputColumn {
            index: 0,
            kind: MatchType::Exact,
        }];
        assert_eq!(Matcher::new(&limited, &inputs).find(&[vec!["a"]]), [0, 1]);
    }
}
