//! Wildcard arguments of `stats`/`eventstats` aggregations (`values(*) AS *`,
//! `avg(tcp.*) AS avg_tcp.*`, `count(B2BManagementPolicy*)`).
//!
//! Naming follows the Splunk `stats` docs: `<stats-func>(<wc-field>) [AS <wc-field>]`, the
//! `*` of the AS name standing for what the argument's `*` matched (as in `rename`).

#[path = "cmds_a_support/mod.rs"]
mod support;

use spl_engine::Record;
use support::{column, error_codes, record, run, values};

/// The field names of `row`, in order.
fn keys(row: &Record) -> Vec<&str> {
    row.iter().map(|(name, _)| name).collect()
}

#[test]
fn values_star_as_star_gives_each_field_its_own_name() {
    let out = run(
        "* | stats values(*) as * by src_ip",
        vec![
            record(&[("src_ip", "A"), ("user", "u2"), ("action", "allow")]),
            record(&[("src_ip", "A"), ("user", "u1")]),
            record(&[("src_ip", "B"), ("action", "deny"), ("port", "22")]),
        ],
    );
    assert_eq!(out.len(), 2);
    assert_eq!(keys(&out[0]), ["src_ip", "user", "action"]);
    assert_eq!(values(&out[0], "user"), ["u1", "u2"]);
    assert_eq!(values(&out[0], "action"), ["allow"]);
    // The group never saw `user`, so its row has no such column.
    assert_eq!(keys(&out[1]), ["src_ip", "action", "port"]);
    assert_eq!(values(&out[1], "src_ip"), ["B"]);
    assert_eq!(values(&out[1], "port"), ["22"]);
}

#[test]
fn expanded_columns_follow_first_appearance_in_the_whole_input() {
    let out = run(
        "* | stats max(*) as * by g",
        vec![
            record(&[("g", "A"), ("b", "1")]),
            record(&[("g", "B"), ("c", "2"), ("a", "3")]),
            record(&[("g", "A"), ("a", "4")]),
        ],
    );
    assert_eq!(keys(&out[0]), ["g", "b", "a"]);
    assert_eq!(keys(&out[1]), ["g", "c", "a"]);
    assert_eq!(column(&out, "a"), [["4"], ["3"]]);
}

#[test]
fn internal_fields_are_not_matched_and_explicit_columns_keep_their_place() {
    let out = run(
        "* | stats min(_time) as _time values(*) as * sum(n) as total by g",
        vec![
            record(&[
                ("_time", "10"),
                ("_raw", "one"),
                ("g", "x"),
                ("n", "1"),
                ("host", "h1"),
            ]),
            record(&[
                ("_time", "5"),
                ("_raw", "two"),
                ("g", "x"),
                ("n", "2"),
                ("host", "h2"),
            ]),
        ],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(keys(&out[0]), ["g", "_time", "n", "host", "total"]);
    assert_eq!(values(&out[0], "_time"), ["5"]);
    assert_eq!(values(&out[0], "n"), ["1", "2"]);
    assert_eq!(values(&out[0], "host"), ["h1", "h2"]);
    assert_eq!(values(&out[0], "total"), ["3"]);
}

#[test]
fn a_pattern_starting_with_underscore_matches_internal_fields() {
    let out = run(
        "* | stats count(_*)",
        vec![
            record(&[("_time", "1"), ("_raw", "a"), ("x", "1")]),
            record(&[("_time", "2")]),
        ],
    );
    assert_eq!(keys(&out[0]), ["count(_time)", "count(_raw)"]);
    assert_eq!(values(&out[0], "count(_time)"), ["2"]);
    assert_eq!(values(&out[0], "count(_raw)"), ["1"]);
}

#[test]
fn alias_star_takes_the_matched_text() {
    let out = run(
        "* | stats avg(tcp.*) as avg_tcp.*",
        vec![
            record(&[("tcp.bytes", "10"), ("tcp.port", "80"), ("udp.bytes", "1")]),
            record(&[("tcp.bytes", "20")]),
        ],
    );
    assert_eq!(keys(&out[0]), ["avg_tcp.bytes", "avg_tcp.port"]);
    assert_eq!(values(&out[0], "avg_tcp.bytes"), ["15"]);
    assert_eq!(values(&out[0], "avg_tcp.port"), ["80"]);
}

#[test]
fn without_alias_the_column_names_the_concrete_field() {
    let out = run(
        "* | stats values(tcp.*)",
        vec![record(&[("tcp.bytes", "7"), ("other", "x")])],
    );
    assert_eq!(keys(&out[0]), ["values(tcp.bytes)"]);
}

#[test]
fn count_of_a_prefix_counts_every_value() {
    let out = run(
        "* | stats count(B2BManagementPolicy*)",
        vec![
            record(&[("B2BManagementPolicyA", "x|y"), ("B2BOther", "z")]),
            record(&[("B2BManagementPolicyB", "1")]),
            record(&[("B2BManagementPolicyA", "w")]),
        ],
    );
    assert_eq!(
        keys(&out[0]),
        ["count(B2BManagementPolicyA)", "count(B2BManagementPolicyB)"]
    );
    assert_eq!(values(&out[0], "count(B2BManagementPolicyA)"), ["3"]);
    assert_eq!(values(&out[0], "count(B2BManagementPolicyB)"), ["1"]);
}

#[test]
fn latest_star_takes_each_field_from_its_latest_event() {
    let out = run(
        "* | stats latest(*) as * by dest",
        vec![
            record(&[
                ("_time", "20"),
                ("dest", "d"),
                ("user", "late"),
                ("pid", "2"),
            ]),
            record(&[
                ("_time", "10"),
                ("dest", "d"),
                ("user", "early"),
                ("cmd", "ls"),
            ]),
        ],
    );
    assert_eq!(keys(&out[0]), ["dest", "user", "pid", "cmd"]);
    assert_eq!(values(&out[0], "user"), ["late"]);
    assert_eq!(values(&out[0], "pid"), ["2"]);
    assert_eq!(values(&out[0], "cmd"), ["ls"]);
}

#[test]
fn empty_input_without_by_gives_one_row_without_expanded_columns() {
    let out = run("* | stats count values(*) as *", vec![]);
    assert_eq!(out.len(), 1);
    assert_eq!(keys(&out[0]), ["count"]);
    assert_eq!(values(&out[0], "count"), ["0"]);
}

#[test]
fn unconfirmed_alias_without_star_names_every_column_the_same_last_wins() {
    let out = run(
        "* | stats max(x*) as top",
        vec![record(&[("x1", "5"), ("x2", "9")])],
    );
    assert_eq!(keys(&out[0]), ["top"]);
    assert_eq!(values(&out[0], "top"), ["9"]);
}

#[test]
fn eventstats_expands_wildcards_too() {
    let out = run(
        "* | eventstats sum(n*) as total_n* by g",
        vec![
            record(&[("g", "x"), ("n1", "1")]),
            record(&[("g", "x"), ("n1", "2"), ("n2", "5")]),
            record(&[("g", "y"), ("n2", "7")]),
        ],
    );
    assert_eq!(column(&out, "total_n1"), [vec!["3"], vec!["3"], vec![]]);
    assert_eq!(column(&out, "total_n2"), [["5"], ["5"], ["7"]]);
}

#[test]
fn streamstats_still_rejects_wildcards() {
    assert_eq!(
        error_codes("* | streamstats values(*) as *"),
        ["spl::plan::unsupported_wildcard"]
    );
}

#[test]
fn escu_forms_compile() {
    for spl in [
        "* | stats min(_time) as _time values(*) as * sum(total_challenges) as total by user",
        "* | stats values(*) as * by src_ip",
        "* | stats latest(*) as * by dest process_guid",
        "* | stats count values(requestParameters.*) as * by src",
        "* | stats count(B2BManagementPolicy*) by user",
    ] {
        assert!(error_codes(spl).is_empty(), "{spl}");
    }
}

#[test]
fn unconfirmed_an_expanded_name_equal_to_a_by_field_keeps_the_group_value() {
    let out = run(
        "* | stats values(req.*) as * by user",
        vec![
            record(&[("user", "alice"), ("req.user", "bob"), ("req.bucket", "b1")]),
            record(&[("user", "alice"), ("req.user", "carol")]),
        ],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(keys(&out[0]), ["user", "bucket"]);
    assert_eq!(values(&out[0], "user"), ["alice"]);
    assert_eq!(values(&out[0], "bucket"), ["b1"]);
}
