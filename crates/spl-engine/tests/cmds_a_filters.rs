//! `tail`, `regex`, `rex`.

#[path = "cmds_a_support/mod.rs"]
mod support;

use spl_engine::RunError;
use support::{column, error_codes, record, run, try_run, values};

fn numbered(count: usize) -> Vec<spl_engine::Record> {
    (1..=count)
        .map(|i| record(&[("n", &i.to_string())]))
        .collect()
}

#[test]
fn tail_default_is_last_ten_newest_first() {
    let out = run("* | tail", numbered(12));
    let expected: Vec<Vec<String>> = (3..=12).rev().map(|i| vec![i.to_string()]).collect();
    let got: Vec<Vec<String>> = column(&out, "n")
        .into_iter()
        .map(|v| v.into_iter().map(str::to_string).collect())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn tail_count_and_zero() {
    assert_eq!(column(&run("* | tail 2", numbered(3)), "n"), [["3"], ["2"]]);
    assert!(run("* | tail 0", numbered(3)).is_empty());
    assert_eq!(column(&run("* | tail 5", numbered(2)), "n"), [["2"], ["1"]]);
}

#[test]
fn tail_rejects_non_numbers() {
    assert_eq!(error_codes("* | tail x"), ["spl::plan::bad_argument"]);
    assert_eq!(
        error_codes("* | tail limit=3"),
        ["spl::plan::unknown_option"]
    );
}

#[test]
fn regex_keeps_matching_and_drops_missing() {
    let records = vec![
        record(&[("u", "admin1")]),
        record(&[("u", "guest")]),
        record(&[("v", "x")]),
    ];
    let out = run(r#"* | regex u="^adm""#, records.clone());
    assert_eq!(column(&out, "u"), [["admin1"]]);
    let out = run(r#"* | regex u!="^adm""#, records);
    assert_eq!(out.len(), 2);
    assert_eq!(values(&out[0], "u"), ["guest"]);
    assert_eq!(values(&out[1], "v"), ["x"]);
}

#[test]
fn regex_default_field_is_raw_and_multivalue_any() {
    let records = vec![
        record(&[("_raw", "GET /admin"), ("m", "a|zz")]),
        record(&[("_raw", "GET /home"), ("m", "b")]),
    ];
    assert_eq!(run(r#"* | regex "adm(in)?$""#, records.clone()).len(), 1);
    assert_eq!(run(r#"* | regex m="z+""#, records).len(), 1);
}

#[test]
fn regex_lookaround_and_bad_pattern() {
    let records = vec![record(&[("p", "a/b")]), record(&[("p", "b")])];
    let out = run(r#"* | regex p="(?<!/)b""#, records);
    assert_eq!(column(&out, "p"), [["b"]]);
    assert_eq!(error_codes(r#"* | regex p="(""#), ["spl::plan::bad_regex"]);
    assert_eq!(error_codes("* | regex"), ["spl::plan::missing_argument"]);
}

#[test]
fn regex_runaway_pattern_stops_the_run() {
    let text = format!("{}!", "a".repeat(30));
    let result = try_run(
        r#"* | regex s="^(a|aa)+$(?<!x)""#,
        vec![record(&[("s", &text)])],
    );
    match result {
        Err(RunError::Limit { what, .. }) => assert!(what.contains("(a|aa)+"), "{what}"),
        other => panic!("expected a limit error, got {other:?}"),
    }
}

#[test]
fn rex_named_groups_first_match() {
    let out = run(
        r#"* | rex field=m "user=(?<who>\w+) id=(?<num>\d+)""#,
        vec![record(&[("m", "user=bob id=42 user=al id=7")])],
    );
    assert_eq!(values(&out[0], "who"), ["bob"]);
    assert_eq!(values(&out[0], "num"), ["42"]);
}

#[test]
fn rex_max_match_zero_is_unlimited_multivalue() {
    let records = vec![record(&[("_raw", "k=1 k=2 k=3")])];
    let out = run(r#"* | rex "k=(?<k>\d)" max_match=0"#, records.clone());
    assert_eq!(values(&out[0], "k"), ["1", "2", "3"]);
    let out = run(r#"* | rex "k=(?<k>\d)" max_match=2"#, records);
    assert_eq!(values(&out[0], "k"), ["1", "2"]);
}

#[test]
fn unconfirmed_rex_no_match_leaves_fields() {
    let out = run(
        r#"* | rex field=m "user=(?<who>\w+)""#,
        vec![
            record(&[("m", "nothing"), ("who", "old")]),
            record(&[("x", "1")]),
        ],
    );
    assert_eq!(values(&out[0], "who"), ["old"]);
    assert!(out[1].get("who").is_none());
}

#[test]
fn rex_offset_field() {
    let out = run(
        r#"* | rex field=m "id=(?<num>\d+)" offset_field=off"#,
        vec![record(&[("m", "x id=42")])],
    );
    assert_eq!(values(&out[0], "off"), ["num=5-6"]);
}

#[test]
fn rex_sed_substitutions() {
    let records = vec![record(&[("m", "a-b-c")])];
    let out = run(r#"* | rex field=m mode=sed "s/-/+/g""#, records.clone());
    assert_eq!(values(&out[0], "m"), ["a+b+c"]);
    let out = run(r#"* | rex field=m mode=sed "s/-/+/""#, records.clone());
    assert_eq!(values(&out[0], "m"), ["a+b-c"]);
    let out = run(r#"* | rex field=m mode=sed "s/-/+/2""#, records.clone());
    assert_eq!(values(&out[0], "m"), ["a-b+c"]);
    let out = run(
        r#"* | rex field=m mode=sed "s/(\w)-(\w)/\2_\1/""#,
        records.clone(),
    );
    assert_eq!(values(&out[0], "m"), ["b_a-c"]);
    let out = run(r#"* | rex field=m mode=sed "y/abc/xyz/""#, records);
    assert_eq!(values(&out[0], "m"), ["x-y-z"]);
}

#[test]
fn rex_sed_escaped_delimiter() {
    let out = run(
        r#"* | rex field=p mode=sed "s/\//|/g""#,
        vec![record(&[("p", "/usr/bin")])],
    );
    assert_eq!(values(&out[0], "p"), ["|usr|bin"]);
}

#[test]
fn rex_plan_errors() {
    assert_eq!(error_codes(r#"* | rex "(?<a>""#), ["spl::plan::bad_regex"]);
    assert_eq!(
        error_codes("* | rex field=m"),
        ["spl::plan::missing_argument"]
    );
    assert_eq!(
        error_codes(r#"* | rex max_match=x "(?<a>b)""#),
        ["spl::plan::bad_option_value"]
    );
    assert_eq!(
        error_codes(r#"* | rex foo=1 "(?<a>b)""#),
        ["spl::plan::unknown_option"]
    );
    assert_eq!(
        error_codes(r#"* | rex mode=sed "q/a/b/""#),
        ["spl::plan::bad_sed_expression"]
    );
    assert_eq!(
        error_codes(r#"* | rex mode=sed "s/a/b/x""#),
        ["spl::plan::bad_sed_expression"]
    );
}
