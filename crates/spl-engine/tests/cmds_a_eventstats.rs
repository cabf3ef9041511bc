//! `eventstats`.

#[path = "cmds_a_support/mod.rs"]
mod support;

use support::{column, error_codes, record, run, values};

#[test]
fn adds_group_aggregates_in_order() {
    let out = run(
        "* | eventstats count, sum(v) AS total, values(v) BY g",
        vec![
            record(&[("g", "x"), ("v", "1")]),
            record(&[("g", "y"), ("v", "2")]),
            record(&[("g", "x"), ("v", "3")]),
        ],
    );
    assert_eq!(column(&out, "g"), [["x"], ["y"], ["x"]]);
    assert_eq!(column(&out, "count"), [["2"], ["1"], ["2"]]);
    assert_eq!(column(&out, "total"), [["4"], ["2"], ["4"]]);
    assert_eq!(values(&out[0], "values(v)"), ["1", "3"]);
}

#[test]
fn without_by_every_event_gets_the_total() {
    let out = run(
        "* | eventstats max(v) as top",
        vec![record(&[("v", "5")]), record(&[("v", "12")])],
    );
    assert_eq!(column(&out, "top"), [["12"], ["12"]]);
    assert_eq!(column(&out, "v"), [["5"], ["12"]]);
}

#[test]
fn unconfirmed_null_by_passes_through_and_existing_field_overwritten() {
    let out = run(
        "* | eventstats count BY g",
        vec![
            record(&[("g", "x"), ("count", "old")]),
            record(&[("v", "2")]),
        ],
    );
    assert_eq!(column(&out, "count"), [vec!["1"], vec![]]);
}

#[test]
fn errors() {
    assert_eq!(
        error_codes("* | eventstats"),
        ["spl::plan::missing_argument"]
    );
    assert_eq!(
        error_codes("* | eventstats cnt"),
        ["spl::plan::unknown_function"]
    );
    assert_eq!(
        error_codes("* | eventstats count(eval(x>1))"),
        ["spl::plan::unsupported_argument"]
    );
    assert_eq!(
        error_codes("* | eventstats count BY"),
        ["spl::plan::missing_argument"]
    );
}
