//! `replace`, `addtotals`.

#[path = "cmds_a_support/mod.rs"]
mod support;

use support::{column, error_codes, record, run, values};

#[test]
fn replace_whole_values_in_listed_fields() {
    let out = run(
        r#"* | replace "localhost" WITH "127.0.0.1" IN src, dest"#,
        vec![record(&[
            ("src", "localhost"),
            ("dest", "localhost.x"),
            ("other", "localhost"),
        ])],
    );
    assert_eq!(values(&out[0], "src"), ["127.0.0.1"]);
    assert_eq!(values(&out[0], "dest"), ["localhost.x"]);
    assert_eq!(values(&out[0], "other"), ["localhost"]);
}

#[test]
fn replace_wildcards_carry_text() {
    let out = run(
        r#"* | replace "*.corp.local" WITH "*", "a*b" WITH "x*y*z" IN h"#,
        vec![
            record(&[("h", "web1.corp.local")]),
            record(&[("h", "a12b")]),
            record(&[("h", "WEB.CORP.LOCAL")]),
        ],
    );
    assert_eq!(column(&out, "h"), [["web1"], ["x12yz"], ["WEB.CORP.LOCAL"]]);
}

#[test]
fn replace_without_in_touches_every_visible_field_and_multivalues() {
    let out = run(
        "* | replace 0 WITH no",
        vec![record(&[("a", "0"), ("b", "1|0"), ("_time", "0")])],
    );
    assert_eq!(values(&out[0], "a"), ["no"]);
    assert_eq!(values(&out[0], "b"), ["1", "no"]);
    assert_eq!(values(&out[0], "_time"), ["0"]);
}

#[test]
fn replace_errors() {
    assert_eq!(
        error_codes("* | replace a IN f"),
        ["spl::plan::missing_argument"]
    );
    assert_eq!(
        error_codes("* | replace a b c"),
        ["spl::plan::bad_argument"]
    );
    assert_eq!(error_codes("* | replace"), ["spl::plan::missing_argument"]);
    assert_eq!(
        error_codes("* | replace a WITH b IN"),
        ["spl::plan::missing_argument"]
    );
}

#[test]
fn addtotals_row_total_of_numeric_fields() {
    let out = run(
        "* | addtotals",
        vec![
            record(&[("a", "1"), ("b", "2.5"), ("name", "x"), ("_time", "100")]),
            record(&[("name", "y")]),
        ],
    );
    assert_eq!(values(&out[0], "Total"), ["3.5"]);
    assert!(out[1].get("Total").is_none());
}

#[test]
fn addtotals_fieldname_and_field_list() {
    let out = run(
        "* | addtotals fieldname=sum count*",
        vec![record(&[
            ("count_a", "2"),
            ("count_b", "3"),
            ("other", "100"),
        ])],
    );
    assert_eq!(values(&out[0], "sum"), ["5"]);
}

#[test]
fn addtotals_column_totals() {
    let out = run(
        "* | addtotals row=false col=true labelfield=name label=ALL",
        vec![
            record(&[("name", "x"), ("n", "1")]),
            record(&[("name", "y"), ("n", "2"), ("m", "5")]),
        ],
    );
    assert_eq!(out.len(), 3);
    assert_eq!(values(&out[2], "name"), ["ALL"]);
    assert_eq!(values(&out[2], "n"), ["3"]);
    assert_eq!(values(&out[2], "m"), ["5"]);
    assert!(out[0].get("Total").is_none());
    assert_eq!(
        error_codes("* | addtotals row=maybe"),
        ["spl::plan::bad_option_value"]
    );
    assert_eq!(
        error_codes("* | addtotals foo=1"),
        ["spl::plan::unknown_option"]
    );
}
