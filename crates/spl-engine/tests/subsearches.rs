//! Subsearches at the level of a whole run: event buffering, limits, nesting, statistics.

#[path = "cmds_a_support/mod.rs"]
mod support;

use spl_engine::{Engine, Record, RunError};
use support::{column, error_codes, record, run, try_run, values};

/// `count` records `{kind, user}` with users `u0`, `u1`, …
fn users(kind: &str, count: usize) -> Vec<Record> {
    (0..count)
        .map(|i| record(&[("kind", kind), ("user", &format!("u{i}"))]))
        .collect()
}

#[test]
fn subsearch_filter_past_maxout_stops_the_run() {
    let mut events = users("b", 10_001);
    events.push(record(&[("kind", "a"), ("user", "u1")]));
    let error = try_run("kind=a [search kind=b | fields user]", events).expect_err("limit");
    assert!(
        matches!(&error, RunError::Limit { what, limit: 10_000, .. } if what == "subsearch results"),
        "{error:?}"
    );
}

#[test]
fn subsearch_filter_at_maxout_runs() {
    let mut events = users("b", 10_000);
    events.push(record(&[("kind", "a"), ("user", "u9999")]));
    let out = run("kind=a [search kind=b | fields user]", events);
    assert_eq!(column(&out, "user"), [["u9999"]]);
}

#[test]
fn join_subsearch_past_maxout_stops_the_run() {
    let mut events = users("b", 50_001);
    events.push(record(&[("kind", "a"), ("user", "u1")]));
    let error = try_run("kind=a | join user [search kind=b]", events).expect_err("limit");
    assert!(
        matches!(&error, RunError::Limit { what, limit: 50_000, .. } if what == "`join` subsearch results"),
        "{error:?}"
    );
}

#[test]
fn append_maxout_option_sets_the_limit() {
    let events = users("b", 3);
    let error =
        try_run("kind=a | append maxout=2 [search kind=b]", events.clone()).expect_err("limit");
    assert!(
        matches!(&error, RunError::Limit { what, limit: 2, .. } if what == "`append` subsearch results"),
        "{error:?}"
    );
    assert_eq!(
        run("kind=a | append maxout=0 [search kind=b]", events).len(),
        3
    );
}

#[test]
fn transaction_maxevents_starts_a_new_transaction() {
    let events = vec![
        record(&[("_time", "1"), ("user", "bob")]),
        record(&[("_time", "2"), ("user", "bob")]),
        record(&[("_time", "3"), ("user", "bob")]),
    ];
    let out = run("* | transaction user maxevents=2", events);
    assert_eq!(column(&out, "eventcount"), [["1"], ["2"]]);
    assert_eq!(column(&out, "_time"), [["3"], ["1"]]);
}

#[test]
fn transaction_without_fields_groups_everything() {
    let events = vec![
        record(&[("_time", "10"), ("a", "x")]),
        record(&[("_time", "5"), ("b", "y")]),
    ];
    let out = run("* | transaction", events);
    assert_eq!(out.len(), 1);
    assert_eq!(values(&out[0], "duration"), ["5"]);
    assert_eq!(values(&out[0], "a"), ["x"]);
    assert_eq!(values(&out[0], "b"), ["y"]);
}

#[test]
fn unconfirmed_transaction_event_missing_a_field_is_left_out() {
    let events = vec![
        record(&[("_time", "1"), ("user", "bob")]),
        record(&[("_time", "2"), ("other", "x")]),
    ];
    let out = run("* | transaction user", events);
    assert_eq!(column(&out, "eventcount"), [["1"]]);
}

#[test]
fn transaction_option_errors() {
    assert_eq!(
        error_codes("* | transaction user maxspan=2x"),
        ["spl::plan::bad_option_value"]
    );
    assert_eq!(
        error_codes("* | transaction user maxopentxn=5"),
        ["spl::plan::unknown_option"]
    );
    assert_eq!(
        error_codes("* | transaction user startswith=\"a OR\""),
        ["spl::plan::bad_option_value"]
    );
    assert!(
        error_codes("* | transaction user maxspan=-1 maxpause=1h startswith=\"a=b\"").is_empty()
    );
}

#[test]
fn nested_event_subsearches_see_every_event() {
    let events = vec![
        record(&[("kind", "a"), ("user", "bob")]),
        record(&[("kind", "b"), ("user", "bob"), ("y", "1")]),
        record(&[("kind", "c"), ("user", "bob"), ("z", "2")]),
    ];
    let out = run(
        "kind=a | join user [search kind=b | join user [search kind=c | fields user z]]",
        events,
    );
    assert_eq!(values(&out[0], "y"), ["1"]);
    assert_eq!(values(&out[0], "z"), ["2"]);
}

#[test]
fn buffered_events_are_counted_once() {
    let query = Engine::new()
        .compile("kind=a | join type=left user [search kind=b | fields user]")
        .expect("compiles");
    let output = query
        .run(vec![
            record(&[("kind", "a"), ("user", "bob")]),
            record(&[("kind", "b"), ("user", "bob")]),
            record(&[("kind", "a"), ("user", "ann")]),
        ])
        .expect("runs");
    assert_eq!(output.stats.events_read, 3);
    assert_eq!(output.stats.events_matched, 2);
    assert_eq!(output.stats.stages[0].records_in, 3);
    assert_eq!(output.rows.len(), 2);
}

#[test]
fn only_queries_with_event_subsearches_lose_the_prefilter() {
    let engine = Engine::new();
    let streaming = engine.compile("error | stats count").expect("compiles");
    assert!(streaming.prefilter().is_some());
    let generating = engine
        .compile("error | join type=left user [| inputlookup x]")
        .map(|q| q.prefilter().is_some());
    // Without lookups the inputlookup does not plan; the prefilter question needs none.
    assert!(generating.is_err());
    let keeping = engine
        .compile("error | join user [search other]")
        .expect("compiles");
    assert!(keeping.prefilter().is_none());
}

#[test]
fn a_main_search_starting_with_a_command_still_feeds_event_subsearches() {
    let out = run(
        "| makeresults | append [search kind=b]",
        vec![record(&[("kind", "b")])],
    );
    // The one generated result (only `_time`), then the subsearch's event.
    assert_eq!(column(&out, "kind"), [vec![], vec!["b"]]);
    assert!(out[0].contains("_time"));
}

#[test]
fn subsearch_errors_are_reported_with_the_main_search() {
    assert_eq!(
        error_codes("* | join user [search x=1 | nosuchcommand]"),
        ["spl::plan::unsupported_command"]
    );
    assert_eq!(
        error_codes("* [search x=1 | eval y=nosuchfunction()]"),
        ["spl::plan::unknown_function"]
    );
    assert_eq!(
        error_codes("* | append [search x=1] [search y=2]"),
        ["spl::plan::bad_argument"]
    );
    assert_eq!(
        error_codes("* | join type=sideways user [search x=1]"),
        ["spl::plan::bad_option_value"]
    );
}

#[test]
fn explain_shows_the_subsearch() {
    let query = Engine::new()
        .compile("kind=a | join type=left user [search kind=b | fields user]")
        .expect("compiles");
    let plan = query.plan().to_string();
    assert!(
        plan.contains("2: join type=left user [search kind=b | fields user]"),
        "{plan}"
    );
}

#[test]
fn map_past_maxsearches_stops_the_run() {
    let events = users("a", 11);
    let error =
        try_run("kind=a | map search=\"search user=$user$\"", events.clone()).expect_err("limit");
    assert!(
        matches!(&error, RunError::Limit { what, limit: 10, .. } if what == "`map` searches"),
        "{error:?}"
    );
    let out = run(
        "kind=a | map maxsearches=11 search=\"search user=$user$\"",
        events,
    );
    assert_eq!(out.len(), 11);
}

#[test]
fn map_errors() {
    assert_eq!(error_codes("* | map"), ["spl::plan::missing_argument"]);
    assert_eq!(error_codes("* | map mysaved"), ["spl::plan::bad_argument"]);
    assert_eq!(
        error_codes("* | map maxsearches=0 search=\"search x\""),
        ["spl::plan::bad_option_value"]
    );
    assert_eq!(
        error_codes("* | map search=\"search `nosuchmacro`\""),
        ["spl::plan::bad_map_search"]
    );
    assert!(error_codes("* | map [search x=$y$]").is_empty());
    assert_eq!(
        error_codes("* | map search=\"search x | map search=y\""),
        ["spl::plan::bad_map_search"]
    );
}

#[test]
fn a_value_that_brings_in_a_map_stops_the_run_instead_of_recursing() {
    let template = r#"search kind=a | map search="$v$""#;
    let mut event = record(&[("kind", "a")]);
    event.insert("v", template);
    let events = vec![event];
    let spl = format!("kind=a | map search=\"{}\"", "$v$");
    let error = try_run(&spl, events).expect_err("refused");
    assert!(
        matches!(&error, RunError::Failed(message) if message.contains("`map` inside")),
        "{error}"
    );
}

#[test]
fn unconfirmed_multivalue_join_field_matches_only_the_same_values() {
    let events = vec![
        record(&[("kind", "a"), ("user", "bob|ann")]),
        record(&[("kind", "a"), ("user", "bob")]),
        record(&[("kind", "b"), ("user", "bob|ann"), ("n", "both")]),
        record(&[("kind", "b"), ("user", "bob"), ("n", "one")]),
    ];
    let out = run("kind=a | join user [search kind=b | fields user n]", events);
    assert_eq!(column(&out, "n"), [["both"], ["one"]]);
}

#[test]
fn unconfirmed_join_keeps_the_result_internal_fields() {
    let events = vec![
        record(&[("kind", "a"), ("user", "bob"), ("_raw", "left")]),
        record(&[("kind", "b"), ("user", "bob"), ("_raw", "right")]),
    ];
    let out = run("kind=a | join user [search kind=b]", events);
    assert_eq!(values(&out[0], "_raw"), ["left"]);
    assert_eq!(values(&out[0], "kind"), ["b"]);
}
