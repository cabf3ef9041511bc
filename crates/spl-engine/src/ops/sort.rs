//! `sort [N] [+|-]field … [desc]` (§6.6).
//!
//! Blocking. Results are ordered by the keys, most significant first; each key compares the
//! first value of its field with the key's collation:
//!
//! * `auto` (default): numeric when both are numbers, address order when both are IPs,
//!   otherwise byte order ([`compare_auto`], a total order);
//! * `num`: numbers first in numeric order, then non-numbers in byte order;
//! * `str`: byte order;
//! * `ip`: addresses first in address order, then the rest in byte order.
//!
//! A null value sorts last whatever the direction. A trailing `desc` flips the direction of
//! every key (so nulls still sort last). The sort is stable: ties keep input order. At most
//! `N` results are emitted (default 10 000, `0` for all); memory stays near `2N` results.

use crate::limits::{record_bytes, Held};
use crate::ops::Operator;
use crate::run::{ExecContext, RunError};
use crate::value::{compare_auto, parse_number, Record};
use spl_syntax::ast::{Collation, Sort, SortKey};
use std::cmp::Ordering;
use std::net::IpAddr;

/// Results kept when `sort` has no count.
pub const DEFAULT_LIMIT: u64 = 10_000;

/// One sort key, resolved.
#[derive(Clone, Debug)]
pub struct Key {
    field: String,
    descending: bool,
    collation: Collation,
}

/// Resolves AST sort keys; `flip` reverses each key's direction (trailing `desc`).
pub fn keys(sort_keys: &[SortKey], flip: bool) -> Vec<Key> {
    sort_keys
        .iter()
        .map(|k| Key {
            field: k.field.name.clone(),
            descending: k.descending != flip,
            collation: k.collation,
        })
        .collect()
}

/// Compares two records by `keys`.
pub fn compare_records(keys: &[Key], a: &Record, b: &Record) -> Ordering {
    for key in keys {
        let left = a.get(&key.field).map(|v| v.first());
        let right = b.get(&key.field).map(|v| v.first());
        let ordering = match (left, right) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let ordering = compare_values(key.collation, x, y);
                if key.descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            }
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}

/// Compares two present values with `collation`.
pub fn compare_values(collation: Collation, a: &str, b: &str) -> Ordering {
    match collation {
        Collation::Auto => compare_auto(a, b),
        Collation::Str => a.as_bytes().cmp(b.as_bytes()),
        Collation::Num => compare_parsed(parse_number(a), parse_number(b), a, b),
        Collation::Ip => compare_parsed(a.parse::<IpAddr>().ok(), b.parse().ok(), a, b),
    }
}

/// Parsed values first in their order, then unparsable ones in byte order.
fn compare_parsed<T: PartialOrd>(x: Option<T>, y: Option<T>, a: &str, b: &str) -> Ordering {
    match (x, y) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.as_bytes().cmp(b.as_bytes()),
    }
}

/// The `sort` operator.
#[derive(Clone, Debug)]
pub struct SortOperator {
    keys: Vec<Key>,
    limit: Option<usize>,
    held: Vec<Record>,
    /// What the held results take in the run's memory budget.
    held_bytes: Held,
}

/// Builds the operator for `sort`.
pub fn build(sort: &Sort) -> SortOperator {
    let limit = sort.limit.unwrap_or(DEFAULT_LIMIT);
    SortOperator {
        keys: keys(&sort.keys, sort.descending),
        limit: if limit == 0 {
            None
        } else {
            Some(usize::try_from(limit).unwrap_or(usize::MAX))
        },
        held: Vec::new(),
        held_bytes: Held::default(),
    }
}

impl SortOperator {
    /// Sorts what is held and drops everything past the limit.
    fn sort_and_truncate(&mut self) {
        let keys = &self.keys;
        self.held.sort_by(|a, b| compare_records(keys, a, b));
        if let Some(limit) = self.limit {
            self.held.truncate(limit);
        }
    }
}

impl Operator for SortOperator {
    fn push(
        &mut self,
        record: Record,
        ctx: &mut ExecContext,
        _out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        self.held_bytes
            .add(&mut ctx.memory, "sort", record_bytes(&record))?;
        self.held.push(record);
        // Stable sorting keeps earlier records ahead of later ties, so trimming early is
        // the same as trimming once at the end.
        if let Some(limit) = self.limit {
            if self.held.len() >= limit.saturating_mul(2).max(1024) {
                self.sort_and_truncate();
                let kept = self.held.iter().map(record_bytes).sum();
                self.held_bytes.set(&mut ctx.memory, "sort", kept)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, ctx: &mut ExecContext, out: &mut Vec<Record>) -> Result<(), RunError> {
        self.held_bytes.release(&mut ctx.memory);
        self.sort_and_truncate();
        out.append(&mut self.held);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(SortOperator {
            keys: self.keys.clone(),
            limit: self.limit,
            held: Vec::new(),
            held_bytes: Held::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::testing::{field, record, run, values};

    fn key(name: &str, descending: bool, collation: Collation) -> SortKey {
        SortKey {
            field: field(name),
            descending,
            collation,
        }
    }

    fn column(out: &[Record], name: &str) -> Vec<String> {
        out.iter()
            .map(|r| {
                values(r, name)
                    .first()
                    .map_or("-".to_string(), |v| v.to_string())
            })
            .collect()
    }

    fn inputs(name: &str, items: &[&str]) -> Vec<Record> {
        items
            .iter()
            .map(|v| {
                if *v == "-" {
                    record(&[("other", "x")])
                } else {
                    record(&[(name, v)])
                }
            })
            .collect()
    }

    fn sorted(sort: Sort, items: &[&str]) -> Vec<String> {
        column(&run(&build(&sort), inputs("f", items)), "f")
    }

    #[test]
    fn auto_collation_numbers_ips_strings_and_nulls_last() {
        let sort = Sort {
            limit: None,
            keys: vec![key("f", false, Collation::Auto)],
            descending: false,
        };
        assert_eq!(
            sorted(sort, &["b", "10", "-", "9", "A", "10.0.0.10", "10.0.0.9"]),
            ["9", "10", "10.0.0.9", "10.0.0.10", "A", "b", "-"]
        );
    }

    #[test]
    fn descending_keeps_nulls_last() {
        let minus = Sort {
            limit: None,
            keys: vec![key("f", true, Collation::Auto)],
            descending: false,
        };
        assert_eq!(sorted(minus, &["1", "-", "3", "2"]), ["3", "2", "1", "-"]);
        let trailing = Sort {
            limit: None,
            keys: vec![key("f", false, Collation::Auto)],
            descending: true,
        };
        assert_eq!(
            sorted(trailing, &["1", "-", "3", "2"]),
            ["3", "2", "1", "-"]
        );
    }

    #[test]
    fn forced_collations() {
        let with = |collation| Sort {
            limit: None,
            keys: vec![key("f", false, collation)],
            descending: false,
        };
        assert_eq!(
            sorted(with(Collation::Str), &["10", "9", "a"]),
            ["10", "9", "a"]
        );
        assert_eq!(
            sorted(with(Collation::Num), &["x", "10", "9"]),
            ["9", "10", "x"]
        );
        assert_eq!(
            sorted(with(Collation::Ip), &["z", "10.0.0.10", "10.0.0.9"]),
            ["10.0.0.9", "10.0.0.10", "z"]
        );
    }

    #[test]
    fn unconfirmed_stable_with_limits() {
        let sort = Sort {
            limit: Some(2),
            keys: vec![key("k", false, Collation::Auto)],
            descending: false,
        };
        let records = vec![
            record(&[("k", "1"), ("n", "a")]),
            record(&[("k", "0"), ("n", "b")]),
            record(&[("k", "1"), ("n", "c")]),
        ];
        let out = run(&build(&sort), records);
        assert_eq!(column(&out, "n"), ["b", "a"]);
    }

    #[test]
    fn default_limit_is_ten_thousand_and_zero_is_unlimited() {
        let many: Vec<String> = (0..10_005).map(|i| i.to_string()).collect();
        let items: Vec<&str> = many.iter().map(String::as_str).collect();
        let base = |limit| Sort {
            limit,
            keys: vec![key("f", true, Collation::Auto)],
            descending: false,
        };
        let out = sorted(base(None), &items);
        assert_eq!(out.len(), 10_000);
        assert_eq!(out[0], "10004");
        assert_eq!(sorted(base(Some(0)), &items).len(), 10_005);
    }

    #[test]
    fn unconfirmed_multivalue_sorts_by_first_value() {
        let sort = Sort {
            limit: None,
            keys: vec![key("f", false, Collation::Auto)],
            descending: false,
        };
        let out = run(
            &build(&sort),
            vec![record(&[("f", "b|a")]), record(&[("f", "a|z")])],
        );
        assert_eq!(values(&out[0], "f"), ["a", "z"]);
    }

    #[test]
    fn auto_order_is_total_even_where_pairwise_auto_is_cyclic() {
        let many = [
            "10.0.0.9",
            "10.0.0.5x",
            "10.0.0.10",
            "2",
            "-x",
            "",
            "abc",
            "::1",
            "fe80::1",
            "1abc",
            "9.9.9.9",
            "1e3",
            "Z",
            "1.5",
            "-3",
            " ",
            ":",
        ];
        for a in many {
            for b in many {
                for c in many {
                    let ab = compare_auto(a, b);
                    let bc = compare_auto(b, c);
                    if ab == bc && ab != Ordering::Equal {
                        assert_eq!(compare_auto(a, c), ab, "{a} {b} {c}");
                    }
                }
            }
        }
        let sort = Sort {
            limit: None,
            keys: vec![key("f", false, Collation::Auto)],
            descending: false,
        };
        let items = ["10.0.0.9", "10.0.0.5x", "10.0.0.10", "2", "-x"];
        assert_eq!(
            sorted(sort, &items),
            // `10.0.0.5x` is not an address: it starts with the number 10.0 (§6.6).
            ["2", "10.0.0.5x", "-x", "10.0.0.9", "10.0.0.10"]
        );
    }
}
