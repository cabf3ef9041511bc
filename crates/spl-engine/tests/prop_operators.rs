//! Property tests of core operators: for any input, `dedup`, `sort`, `head`, `stats count BY`,
//! `fillnull` and `rename` keep the invariants their documentation states (§4, §6), checked
//! against a direct model of each invariant through the public `Engine` API.

use proptest::prelude::*;
use spl_engine::value::compare_auto;
use spl_engine::{Engine, Record};
use std::cmp::Ordering;
use std::collections::HashSet;

/// One generated event: `n` is its input position, `f` an optional value drawn from a small
/// alphabet (so keys repeat), `g` another optional field.
fn events(values: &[(Option<String>, Option<String>)]) -> Vec<Record> {
    values
        .iter()
        .enumerate()
        .map(|(position, (f, g))| {
            let mut record = Record::new();
            record.insert("n", position.to_string());
            if let Some(f) = f {
                record.insert("f", f.as_str());
            }
            if let Some(g) = g {
                record.insert("g", g.as_str());
            }
            record
        })
        .collect()
}

/// Values that repeat often and mix numbers, signs, decimals and words, so `compare_auto`
/// sees every kind of comparison.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,2}",
        "-[0-9]",
        "[0-9]\\.[05]",
        "[a-cA-C]{1,2}",
        Just("10".to_string()),
        Just("9".to_string()),
        Just("1.0".to_string()),
    ]
}

fn inputs() -> impl Strategy<Value = Vec<(Option<String>, Option<String>)>> {
    prop::collection::vec(
        (
            prop::option::weighted(0.85, value()),
            prop::option::of(value()),
        ),
        0..60,
    )
}

fn run(search: &str, records: Vec<Record>) -> Vec<Record> {
    Engine::new()
        .compile(search)
        .expect("the search compiles")
        .run(records)
        .expect("the run succeeds")
        .rows
}

fn text(record: &Record, field: &str) -> Option<String> {
    record.get(field).map(|value| value.first().to_string())
}

fn positions(rows: &[Record]) -> Vec<String> {
    rows.iter().filter_map(|row| text(row, "n")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn dedup_keeps_the_first_event_of_each_value_in_input_order(values in inputs()) {
        let records = events(&values);
        let mut seen = HashSet::new();
        let expected: Vec<String> = records
            .iter()
            .filter(|record| text(record, "f").is_some_and(|f| seen.insert(f)))
            .filter_map(|record| text(record, "n"))
            .collect();
        let rows = run("* | dedup f", records);
        prop_assert_eq!(positions(&rows), expected);
    }

    #[test]
    fn sort_is_a_stable_permutation_ordered_by_compare_auto_with_nulls_last(values in inputs()) {
        let records = events(&values);
        let rows = run("* | sort 0 f", records.clone());
        let mut sorted_positions = positions(&rows);
        sorted_positions.sort();
        let mut input_positions = positions(&records);
        input_positions.sort();
        prop_assert_eq!(sorted_positions, input_positions, "a permutation");
        for pair in rows.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let order = match (text(a, "f"), text(b, "f")) {
                (Some(x), Some(y)) => compare_auto(&x, &y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            prop_assert_ne!(order, Ordering::Greater, "ordered: {:?} then {:?}", a, b);
            if order == Ordering::Equal {
                let first = text(a, "n").and_then(|n| n.parse::<usize>().ok());
                let second = text(b, "n").and_then(|n| n.parse::<usize>().ok());
                prop_assert!(first < second, "stable: {:?} then {:?}", a, b);
            }
        }
    }

    #[test]
    fn compare_auto_is_a_total_order(a in value(), b in value(), c in value()) {
        prop_assert_eq!(compare_auto(&a, &b), compare_auto(&b, &a).reverse());
        prop_assert_eq!(compare_auto(&a, &a), Ordering::Equal);
        if compare_auto(&a, &b) != Ordering::Greater && compare_auto(&b, &c) != Ordering::Greater {
            prop_assert_ne!(compare_auto(&a, &c), Ordering::Greater, "transitive");
        }
    }

    #[test]
    fn head_n_is_the_first_n_events(values in inputs(), count in 0usize..80) {
        let records = events(&values);
        let expected: Vec<String> = positions(&records).into_iter().take(count).collect();
        let rows = run(&format!("* | head {count}"), records);
        prop_assert_eq!(positions(&rows), expected);
    }

    #[test]
    fn stats_count_by_f_sums_to_the_events_where_f_is_present(values in inputs()) {
        let records = events(&values);
        let present = records.iter().filter(|record| record.contains("f")).count();
        let distinct: HashSet<String> = records.iter().filter_map(|r| text(r, "f")).collect();
        let rows = run("* | stats count BY f", records);
        let total: usize = rows
            .iter()
            .filter_map(|row| text(row, "count"))
            .map(|count| count.parse::<usize>().expect("a count"))
            .sum();
        prop_assert_eq!(total, present);
        prop_assert_eq!(rows.len(), distinct.len(), "one row per distinct value");
    }

    #[test]
    fn fillnull_never_removes_a_field_or_changes_a_present_value(values in inputs()) {
        let records = events(&values);
        let rows = run("* | fillnull value=NULL", records.clone());
        prop_assert_eq!(rows.len(), records.len());
        for (before, after) in records.iter().zip(&rows) {
            for (name, value) in before.iter() {
                prop_assert_eq!(after.get(name), Some(value), "field {} kept", name);
            }
        }
    }

    #[test]
    fn rename_moves_every_value_to_the_new_name(values in inputs()) {
        let records = events(&values);
        let rows = run("* | rename f AS renamed", records.clone());
        prop_assert_eq!(rows.len(), records.len());
        for (before, after) in records.iter().zip(&rows) {
            prop_assert_eq!(after.get("renamed"), before.get("f"));
            prop_assert!(after.get("f").is_none(), "the old name is gone");
            prop_assert_eq!(after.get("g"), before.get("g"), "other fields untouched");
        }
    }
}
