//! `convert`.

#[path = "cmds_a_support/mod.rs"]
mod support;

use support::{error_codes, record, run, values};

#[test]
fn ctime_escu_format_in_place() {
    // 1700000000 is 2023-11-14 22:13:20 UTC.
    let out = run(
        r#"* | convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime) ctime(lastTime)"#,
        vec![record(&[("firstTime", "1700000000"), ("lastTime", "0")])],
    );
    assert_eq!(values(&out[0], "firstTime"), ["2023-11-14T22:13:20"]);
    assert_eq!(values(&out[0], "lastTime"), ["1970-01-01T00:00:00"]);
}

#[test]
fn ctime_default_format_as_new_field() {
    let out = run(
        "* | convert ctime(t) AS when",
        vec![record(&[("t", "86400.5")])],
    );
    assert_eq!(values(&out[0], "when"), ["01/02/1970 00:00:00"]);
    assert_eq!(values(&out[0], "t"), ["86400.5"]);
}

#[test]
fn unconfirmed_ctime_non_numeric_unchanged_and_missing_skipped() {
    let out = run(
        "* | convert ctime(t)",
        vec![record(&[("t", "soon")]), record(&[("x", "1")])],
    );
    assert_eq!(values(&out[0], "t"), ["soon"]);
    assert!(out[1].get("t").is_none());
}

#[test]
fn ctime_wildcard_fields() {
    let out = run(
        r#"* | convert timeformat="%Y" ctime(*Time)"#,
        vec![record(&[
            ("firstTime", "0"),
            ("lastTime", "31536000"),
            ("n", "5"),
        ])],
    );
    assert_eq!(values(&out[0], "firstTime"), ["1970"]);
    assert_eq!(values(&out[0], "lastTime"), ["1971"]);
    assert_eq!(values(&out[0], "n"), ["5"]);
}

#[test]
fn mktime_dur2sec_num_rmcomma_rmunit_memk() {
    let out = run(
        r#"* | convert timeformat="%Y-%m-%d" mktime(d) dur2sec(dur) num(n) num(bad) rmcomma(c) rmunit(u) memk(mem) auto(a)"#,
        vec![record(&[
            ("d", "1970-01-02"),
            ("dur", "1+01:00:05"),
            ("n", " 42 "),
            ("bad", "x"),
            ("c", "1,234,567"),
            ("u", "10kb"),
            ("mem", "2m"),
            ("a", "abc"),
        ])],
    );
    assert_eq!(values(&out[0], "d"), ["86400"]);
    assert_eq!(values(&out[0], "dur"), ["90005"]);
    assert_eq!(values(&out[0], "n"), ["42"]);
    assert!(out[0].get("bad").is_none());
    assert_eq!(values(&out[0], "c"), ["1234567"]);
    assert_eq!(values(&out[0], "u"), ["10"]);
    assert_eq!(values(&out[0], "mem"), ["2048"]);
    assert_eq!(values(&out[0], "a"), ["abc"]);
}

#[test]
fn none_excludes_a_field_from_later_conversions() {
    let out = run(
        "* | convert none(keep) num(*)",
        vec![record(&[("keep", "007"), ("other", "007")])],
    );
    assert_eq!(values(&out[0], "keep"), ["007"]);
    assert_eq!(values(&out[0], "other"), ["7"]);
}

#[test]
fn errors() {
    assert_eq!(error_codes("* | convert"), ["spl::plan::missing_argument"]);
    assert_eq!(
        error_codes("* | convert foo(x)"),
        ["spl::plan::unknown_function"]
    );
    assert_eq!(
        error_codes("* | convert ctime x"),
        ["spl::plan::bad_argument", "spl::plan::bad_argument"]
    );
    assert_eq!(
        error_codes("* | convert zone=1 ctime(x)"),
        ["spl::plan::unknown_option"]
    );
}
