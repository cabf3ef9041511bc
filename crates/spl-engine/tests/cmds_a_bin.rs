//! `bin` / `bucket`.

#[path = "cmds_a_support/mod.rs"]
mod support;

use support::{column, error_codes, record, run, values};

#[test]
fn time_span_aligns_to_epoch() {
    // 1700000000 = 2023-11-14 22:13:20 UTC; its hour starts at 1699999200 (22:00).
    let out = run(
        "* | bin _time span=1h",
        vec![
            record(&[("_time", "1700000000")]),
            record(&[("_time", "1699999200.5")]),
        ],
    );
    assert_eq!(column(&out, "_time"), [["1699999200"], ["1699999200"]]);
}

#[test]
fn day_and_minute_spans() {
    let records = vec![record(&[("_time", "1700000000")])];
    let out = run("* | bucket _time span=1d", records.clone());
    assert_eq!(values(&out[0], "_time"), ["1699920000"]);
    let out = run("* | bin span=5m _time", records);
    assert_eq!(values(&out[0], "_time"), ["1699999800"]);
}

#[test]
fn unconfirmed_numeric_field_becomes_range() {
    let out = run(
        "* | bin n span=10",
        vec![
            record(&[("n", "23")]),
            record(&[("n", "-1")]),
            record(&[("n", "abc")]),
        ],
    );
    assert_eq!(column(&out, "n"), [["20-30"], ["-10-0"], ["abc"]]);
}

#[test]
fn as_keeps_the_original() {
    let out = run("* | bin n span=0.5 AS b", vec![record(&[("n", "1.2")])]);
    assert_eq!(values(&out[0], "b"), ["1-1.5"]);
    assert_eq!(values(&out[0], "n"), ["1.2"]);
}

#[test]
fn errors() {
    assert_eq!(
        error_codes("* | bin _time"),
        ["spl::plan::missing_argument"]
    );
    assert_eq!(
        error_codes("* | bin _time span=1mon"),
        ["spl::plan::bad_option_value"]
    );
    assert_eq!(
        error_codes("* | bin _time span=0"),
        ["spl::plan::bad_option_value"]
    );
    assert_eq!(
        error_codes("* | bin _time bins=10"),
        ["spl::plan::unsupported_option"]
    );
    assert_eq!(
        error_codes("* | bin _time span=1h foo=1"),
        ["spl::plan::unknown_option"]
    );
    assert_eq!(
        error_codes("* | bin span=1h"),
        ["spl::plan::missing_argument"]
    );
}
