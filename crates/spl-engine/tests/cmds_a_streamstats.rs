//! `streamstats`.

#[path = "cmds_a_support/mod.rs"]
mod support;

use spl_engine::Record;
use support::{column, error_codes, record, run};

fn events(pairs: &[(&str, &str)]) -> Vec<Record> {
    pairs
        .iter()
        .map(|(g, v)| record(&[("g", g), ("v", v)]))
        .collect()
}

#[test]
fn running_count_and_sum() {
    let out = run(
        "* | streamstats count, sum(v) AS total",
        events(&[("a", "1"), ("a", "2"), ("b", "3")]),
    );
    assert_eq!(column(&out, "count"), [["1"], ["2"], ["3"]]);
    assert_eq!(column(&out, "total"), [["1"], ["3"], ["6"]]);
}

#[test]
fn by_groups_run_separately() {
    let out = run(
        "* | streamstats count BY g",
        events(&[("a", "1"), ("b", "2"), ("a", "3")]),
    );
    assert_eq!(column(&out, "count"), [["1"], ["1"], ["2"]]);
}

#[test]
fn current_false_excludes_the_event() {
    let out = run(
        "* | streamstats current=false sum(v) AS before count",
        events(&[("a", "1"), ("a", "2"), ("a", "4")]),
    );
    // sum of nothing has no result: the field is absent on the first event.
    assert_eq!(column(&out, "before"), [vec![], vec!["1"], vec!["3"]]);
    assert_eq!(column(&out, "count"), [["0"], ["1"], ["2"]]);
}

#[test]
fn window_global_and_per_group() {
    let input = events(&[("a", "1"), ("b", "10"), ("a", "2"), ("a", "4")]);
    let out = run("* | streamstats window=2 sum(v) AS s", input.clone());
    assert_eq!(column(&out, "s"), [["1"], ["11"], ["12"], ["6"]]);
    // global: the last 2 events of the stream, those of the same group count.
    let out = run("* | streamstats window=2 sum(v) AS s BY g", input.clone());
    assert_eq!(column(&out, "s"), [["1"], ["10"], ["2"], ["6"]]);
    let out = run(
        "* | streamstats window=2 global=false sum(v) AS s BY g",
        input,
    );
    assert_eq!(column(&out, "s"), [["1"], ["10"], ["3"], ["6"]]);
}

#[test]
fn reset_on_change() {
    let out = run(
        "* | streamstats reset_on_change=true count BY g",
        events(&[("a", "1"), ("a", "1"), ("b", "1"), ("a", "1")]),
    );
    assert_eq!(column(&out, "count"), [["1"], ["2"], ["1"], ["1"]]);
}

#[test]
fn null_by_passes_through() {
    let out = run(
        "* | streamstats count BY g",
        vec![record(&[("g", "a")]), record(&[("v", "1")])],
    );
    assert_eq!(column(&out, "count"), [vec!["1"], vec![]]);
}

#[test]
fn errors() {
    assert_eq!(
        error_codes("* | streamstats window=x count"),
        ["spl::plan::bad_option_value"]
    );
    assert_eq!(
        error_codes("* | streamstats time_window=1h count"),
        ["spl::plan::unknown_option"]
    );
    assert_eq!(
        error_codes("* | streamstats cnt"),
        ["spl::plan::unknown_function"]
    );
    assert_eq!(
        error_codes("* | streamstats"),
        ["spl::plan::missing_argument"]
    );
}
