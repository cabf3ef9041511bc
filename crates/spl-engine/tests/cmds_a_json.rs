//! `spath`, `fromjson`.

#[path = "cmds_a_support/mod.rs"]
mod support;

use support::{error_codes, record, run, values};

const DOC: &str =
    r#"{"user":{"name":"bob","groups":["a","b"]},"n":1.50,"items":[{"id":1},{"id":2}]}"#;

#[test]
fn spath_auto_extracts_with_event_naming() {
    let out = run("* | spath", vec![record(&[("_raw", DOC)])]);
    assert_eq!(values(&out[0], "user.name"), ["bob"]);
    assert_eq!(values(&out[0], "user.groups{}"), ["a", "b"]);
    assert_eq!(values(&out[0], "n"), ["1.50"]);
    assert_eq!(values(&out[0], "items{}.id"), ["1", "2"]);
}

#[test]
fn spath_paths() {
    let input = || vec![record(&[("j", DOC)])];
    let out = run("* | spath input=j path=user.name", input());
    assert_eq!(values(&out[0], "user.name"), ["bob"]);
    let out = run("* | spath input=j output=g user.groups{1}", input());
    assert_eq!(values(&out[0], "g"), ["b"]);
    let out = run("* | spath input=j output=ids path=items{}.id", input());
    assert_eq!(values(&out[0], "ids"), ["1", "2"]);
    let out = run("* | spath input=j output=n path=n", input());
    assert_eq!(values(&out[0], "n"), ["1.50"]);
}

#[test]
fn unconfirmed_spath_object_gives_json_text() {
    let out = run(
        "* | spath input=j output=u path=user",
        vec![record(&[("j", DOC)])],
    );
    assert_eq!(
        values(&out[0], "u"),
        [r#"{"name":"bob","groups":["a","b"]}"#]
    );
}

#[test]
fn spath_top_level_array_and_non_json() {
    let out = run(
        "* | spath input=j",
        vec![record(&[("j", "[1,2]")]), record(&[("j", "not json")])],
    );
    assert_eq!(values(&out[0], "{}"), ["1", "2"]);
    assert_eq!(out[1].len(), 1);
    let out = run(
        "* | spath input=j path=missing",
        vec![record(&[("j", "{}")])],
    );
    assert!(out[0].get("missing").is_none());
}

#[test]
fn spath_errors() {
    assert_eq!(error_codes("* | spath a b"), ["spl::plan::bad_argument"]);
    assert_eq!(
        error_codes("* | spath inpt=x"),
        ["spl::plan::unknown_option"]
    );
}

#[test]
fn fromjson_with_and_without_prefix() {
    let input = || vec![record(&[("j", r#"{"a":{"b":1},"c":[true,null]}"#)])];
    let out = run("* | fromjson j", input());
    assert_eq!(values(&out[0], "a.b"), ["1"]);
    assert_eq!(values(&out[0], "c{}"), ["true", "null"]);
    let out = run("* | fromjson j prefix=p_", input());
    assert_eq!(values(&out[0], "p_a.b"), ["1"]);
    assert!(out[0].get("a.b").is_none());
    assert_eq!(error_codes("* | fromjson"), ["spl::plan::missing_argument"]);
    assert_eq!(
        error_codes("* | fromjson j x=1"),
        ["spl::plan::unknown_option"]
    );
}
