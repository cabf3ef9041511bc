//! `mvexpand`, `makemv`, `mvcombine`.

#[path = "cmds_a_support/mod.rs"]
mod support;

use support::{column, error_codes, record, run, values};

#[test]
fn mvexpand_one_result_per_value() {
    let out = run(
        "* | mvexpand m",
        vec![
            record(&[("id", "1"), ("m", "x|y")]),
            record(&[("id", "2"), ("m", "z")]),
        ],
    );
    assert_eq!(column(&out, "id"), [["1"], ["1"], ["2"]]);
    assert_eq!(column(&out, "m"), [["x"], ["y"], ["z"]]);
}

#[test]
fn mvexpand_limit_and_missing() {
    let out = run(
        "* | mvexpand m limit=2",
        vec![record(&[("m", "a|b|c")]), record(&[("other", "1")])],
    );
    assert_eq!(column(&out, "m"), [["a"], ["b"]]);
    assert_eq!(error_codes("* | mvexpand"), ["spl::plan::missing_argument"]);
    assert_eq!(
        error_codes("* | mvexpand m limit=x"),
        ["spl::plan::bad_option_value"]
    );
}

#[test]
fn makemv_default_space_collapses() {
    let out = run("* | makemv m", vec![record(&[("m", " a  b c ")])]);
    assert_eq!(values(&out[0], "m"), ["a", "b", "c"]);
}

#[test]
fn makemv_delim_allowempty_tokenizer() {
    let records = vec![record(&[("m", "a,,b")])];
    let out = run(r#"* | makemv delim="," m"#, records.clone());
    assert_eq!(values(&out[0], "m"), ["a", "b"]);
    let out = run(r#"* | makemv delim="," allowempty=true m"#, records);
    assert_eq!(values(&out[0], "m"), ["a", "", "b"]);
    let out = run(
        r#"* | makemv delim=":: " m"#,
        vec![record(&[("m", "x:: y:: z")])],
    );
    assert_eq!(values(&out[0], "m"), ["x", "y", "z"]);
    let out = run(
        r#"* | makemv tokenizer="(\d+)," m"#,
        vec![record(&[("m", "1,22,333,")])],
    );
    assert_eq!(values(&out[0], "m"), ["1", "22", "333"]);
}

#[test]
fn makemv_errors() {
    assert_eq!(
        error_codes("* | makemv setsv=true m"),
        ["spl::plan::unsupported_option"]
    );
    assert_eq!(
        error_codes(r#"* | makemv tokenizer="(" m"#),
        ["spl::plan::bad_regex"]
    );
    assert_eq!(error_codes("* | makemv"), ["spl::plan::missing_argument"]);
}

#[test]
fn mvcombine_groups_identical_results() {
    let out = run(
        "* | mvcombine v",
        vec![
            record(&[("k", "a"), ("v", "1")]),
            record(&[("k", "b"), ("v", "2")]),
            record(&[("k", "a"), ("v", "3")]),
            record(&[("k", "c")]),
        ],
    );
    assert_eq!(column(&out, "k"), [["a"], ["b"], ["c"]]);
    assert_eq!(values(&out[0], "v"), ["1", "3"]);
    assert_eq!(values(&out[1], "v"), ["2"]);
    assert!(out[2].get("v").is_none());
}
