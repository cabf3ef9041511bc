//! The silent-drop linter: each rule with cases that must and must not warn.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use spl_engine::lint::{
    lint, LintOptions, BY_FIELD_MAYBE_UNSET, MISSING_LOOKUP, SEARCH_AFTER_STATS_RAW_TERM,
    WHERE_FIELD_NEVER_SET,
};
use spl_syntax::diagnostic::Severity;
use spl_syntax::{Diagnostic, Span};

/// Lints `text` with default options.
fn warnings(text: &str) -> Vec<Diagnostic> {
    warnings_with(text, &LintOptions::default())
}

fn warnings_with(text: &str, options: &LintOptions) -> Vec<Diagnostic> {
    let pipeline = spl_syntax::parse_pipeline(text).unwrap();
    lint(&pipeline, options)
}

/// The text under `span`.
fn at(text: &str, span: Span) -> &str {
    text.get(span.start..span.end).unwrap()
}

/// (code, text under the primary span) of each warning.
fn summary<'a>(text: &'a str, diagnostics: &[Diagnostic]) -> Vec<(&'static str, &'a str)> {
    diagnostics
        .iter()
        .map(|d| (d.code, at(text, d.span.unwrap())))
        .collect()
}

/// Only the warnings of one rule.
fn of(code: &str, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.into_iter().filter(|d| d.code == code).collect()
}

// ---------------------------------------------------------------------------------------
// by_field_maybe_unset
// ---------------------------------------------------------------------------------------

/// §4.4 [U-high]: `stats` ignores an event with a null `BY` field; §3.2 [C]: `iplocation`
/// adds nothing for a private address.
#[test]
fn unconfirmed_iplocation_fields_in_stats_by_warn_once_each() {
    let text = "index=k8s | iplocation sourceIPs{} | stats count BY sourceIPs{} Country City";
    let found = warnings(text);
    assert_eq!(
        summary(text, &found),
        vec![
            (BY_FIELD_MAYBE_UNSET, "Country"),
            (BY_FIELD_MAYBE_UNSET, "City")
        ]
    );
    let first = &found[0];
    assert_eq!(first.severity, Severity::Warning);
    assert_eq!(
        first.message,
        "`stats` drops events where `Country` is null, and `iplocation` sets no `Country` for \
         private or unknown addresses"
    );
    assert_eq!(first.labels.len(), 1);
    assert_eq!(at(text, first.labels[0].span), "iplocation sourceIPs{}");
    assert_eq!(
        first.help.as_deref(),
        Some("add `| fillnull value=unknown Country City` before `stats`")
    );
}

#[test]
fn fillnull_without_fields_covers_everything() {
    let text = "index=k8s | iplocation src | fillnull | stats count BY src Country City";
    assert!(warnings(text).is_empty());
}

#[test]
fn fillnull_with_fields_covers_only_those() {
    let text =
        "index=k8s | iplocation src | fillnull value=unknown Country | stats count BY Country City";
    assert_eq!(
        summary(text, &warnings(text)),
        vec![(BY_FIELD_MAYBE_UNSET, "City")]
    );
}

#[test]
fn eval_of_the_field_covers_it() {
    let text = "index=k8s | iplocation src | eval Country=coalesce(Country, \"unknown\") \
                | stats count BY Country";
    assert!(warnings(text).is_empty());
}

#[test]
fn fields_not_produced_by_iplocation_are_not_suspect() {
    let text = "index=k8s | iplocation src | stats count BY src user";
    assert!(warnings(text).is_empty());
}

#[test]
fn iplocation_prefix_and_allfields_name_the_outputs() {
    let text = "index=k8s | iplocation prefix=geo_ allfields=true src \
                | stats count BY Country geo_Country geo_Timezone";
    assert_eq!(
        summary(text, &warnings(text)),
        vec![
            (BY_FIELD_MAYBE_UNSET, "geo_Country"),
            (BY_FIELD_MAYBE_UNSET, "geo_Timezone")
        ]
    );
    let without_allfields = "index=k8s | iplocation src | stats count BY Timezone";
    assert!(warnings(without_allfields).is_empty());
}

#[test]
fn rex_named_groups_are_suspect() {
    let text = r#"index=web | rex field=url "https?://(?<domain>[^/]+)/(?P<path>\S*)" | stats count BY domain path"#;
    let found = warnings(text);
    assert_eq!(
        summary(text, &found),
        vec![
            (BY_FIELD_MAYBE_UNSET, "domain"),
            (BY_FIELD_MAYBE_UNSET, "path")
        ]
    );
    assert!(found[0]
        .message
        .contains("`rex` sets no `domain` when its regular expression does not match"));
}

#[test]
fn rex_in_sed_mode_sets_no_fields() {
    let text = r#"index=web | rex field=url mode=sed "s/(?<x>a)/b/" | stats count BY x"#;
    assert!(warnings(text).is_empty());
}

#[test]
fn lookup_outputs_and_as_renames_are_suspect() {
    let text = "index=win | lookup is_windows_system_file filename AS process_name \
                OUTPUT systemFile AS is_system, description \
                | stats count BY process_name is_system description systemFile";
    assert_eq!(
        summary(text, &warnings(text)),
        vec![
            (BY_FIELD_MAYBE_UNSET, "is_system"),
            (BY_FIELD_MAYBE_UNSET, "description")
        ]
    );
}

#[test]
fn lookup_without_output_clause_is_not_suspect() {
    let text = "index=win | lookup is_windows_system_file filename | stats count BY systemFile";
    assert!(warnings(text).is_empty());
}

#[test]
fn rename_carries_the_suspicion() {
    let text = "index=k8s | iplocation src | rename Country AS country | stats count BY country";
    assert_eq!(
        summary(text, &warnings(text)),
        vec![(BY_FIELD_MAYBE_UNSET, "country")]
    );
    let replaced = "index=k8s | iplocation src | rename region AS Country | stats count BY Country";
    assert!(warnings(replaced).is_empty());
}

#[test]
fn a_search_requiring_the_field_drops_nulls_on_purpose() {
    let text = "index=k8s | iplocation src | search Country=* | stats count BY Country";
    assert!(warnings(text).is_empty());
    let negated = "index=k8s | iplocation src | search NOT Country=\"United States\" \
                   | stats count BY Country";
    assert_eq!(
        summary(negated, &warnings(negated)),
        vec![(BY_FIELD_MAYBE_UNSET, "Country")]
    );
    let where_text = "index=k8s | iplocation src | where isnotnull(City) | stats count BY City";
    assert!(warnings(where_text).is_empty());
}

/// §4.7 [U-high]: `eventstats` passes events with a null `BY` field through unchanged.
#[test]
fn unconfirmed_eventstats_by_clause_is_checked_and_keeps_events() {
    let text = "index=k8s | iplocation src | eventstats count BY Country | stats count BY City";
    let found = warnings(text);
    assert_eq!(
        summary(text, &found),
        vec![
            (BY_FIELD_MAYBE_UNSET, "Country"),
            (BY_FIELD_MAYBE_UNSET, "City")
        ]
    );
    assert!(found[0]
        .message
        .starts_with("`eventstats` adds no aggregate to events where `Country` is null"));
}

#[test]
fn timechart_by_clause_is_checked() {
    let text = "index=k8s | iplocation src | timechart span=1h count BY Country limit=5";
    assert_eq!(
        summary(text, &warnings(text)),
        vec![(BY_FIELD_MAYBE_UNSET, "Country")]
    );
}

#[test]
fn only_the_first_transforming_command_is_checked() {
    let text = "index=k8s | iplocation src | stats count BY src | stats count BY Country";
    let found = of(BY_FIELD_MAYBE_UNSET, warnings(text));
    assert!(found.is_empty());
}

// ---------------------------------------------------------------------------------------
// where_field_never_set
// ---------------------------------------------------------------------------------------

#[test]
fn where_after_stats_sees_only_by_and_aggregation_fields() {
    let text = "index=k8s | stats count dc(user) AS users BY src | where count > 5 AND users > 1";
    assert!(warnings(text).is_empty());
    let wrong = "index=k8s | stats count BY src | where user=\"admin\"";
    let found = warnings(wrong);
    assert_eq!(
        summary(wrong, &found),
        vec![(WHERE_FIELD_NEVER_SET, "user")]
    );
    assert_eq!(at(wrong, found[0].labels[0].span), "stats count BY src");
    assert_eq!(
        found[0].help.as_deref(),
        Some("fields available here: `src`, `count`")
    );
}

#[test]
fn where_suggests_a_close_name() {
    let text = "index=k8s | stats count BY src | where Count > 5";
    let found = warnings(text);
    assert_eq!(
        summary(text, &found),
        vec![(WHERE_FIELD_NEVER_SET, "Count")]
    );
    assert_eq!(found[0].label.as_deref(), Some("did you mean `count`?"));
}

#[test]
fn where_before_any_transforming_command_is_not_checked() {
    let text = "index=k8s | where user=\"admin\" | stats count BY src";
    assert!(warnings(text).is_empty());
}

#[test]
fn where_follows_renames_including_wildcards() {
    let text = "index=k8s | stats count BY Web.src Web.dest | rename Web.* AS * \
                | rename count AS total | where total > 1 AND src != dest";
    assert!(warnings(text).is_empty());
    let old_name = "index=k8s | stats count BY src | rename count AS total | where count > 1";
    assert_eq!(
        summary(old_name, &warnings(old_name)),
        vec![(WHERE_FIELD_NEVER_SET, "count")]
    );
}

#[test]
fn where_follows_eval_table_and_fields() {
    let eval = "index=k8s | stats count BY src | eval big=count>5 | where big";
    assert!(warnings(eval).is_empty());
    let table = "index=k8s | stats count BY src dest | table src | where dest=\"x\"";
    assert_eq!(
        summary(table, &warnings(table)),
        vec![(WHERE_FIELD_NEVER_SET, "dest")]
    );
    let fields = "index=k8s | stats count BY src dest | fields - dest | where dest=\"x\"";
    assert_eq!(
        summary(fields, &warnings(fields)),
        vec![(WHERE_FIELD_NEVER_SET, "dest")]
    );
}

#[test]
fn a_table_without_wildcards_fixes_the_fields() {
    let text = "index=k8s | table _time src | where user=\"x\"";
    assert_eq!(
        summary(text, &warnings(text)),
        vec![(WHERE_FIELD_NEVER_SET, "user")]
    );
    let wildcard = "index=k8s | table src* | where user=\"x\"";
    assert!(warnings(wildcard).is_empty());
}

#[test]
fn unknown_generic_commands_make_every_field_possible() {
    for text in [
        "index=k8s | stats count BY src | eventstats max(count) AS top | where top > 1",
        "| tstats count FROM datamodel=Endpoint BY Processes.user | where x=1",
        "| inputlookup assets.csv | where owner=\"me\"",
        "index=k8s | stats count BY src | lookup assets ip AS src | where owner=\"me\"",
    ] {
        assert!(warnings(text).is_empty(), "{text}");
    }
}

#[test]
fn known_generic_commands_keep_the_fields_known() {
    let lookup = "index=k8s | stats count BY src | lookup assets ip AS src OUTPUT owner \
                  | where owner=\"me\" AND zone=\"dmz\"";
    assert_eq!(
        summary(lookup, &warnings(lookup)),
        vec![(WHERE_FIELD_NEVER_SET, "zone")]
    );
    let convert = "index=k8s | stats min(_time) AS firstTime BY src \
                   | convert timeformat=\"%Y\" ctime(firstTime) AS first | where first!=\"\"";
    assert!(warnings(convert).is_empty());
}

#[test]
fn a_field_read_twice_is_reported_once() {
    let text = "index=k8s | stats count BY src | where user=\"a\" OR user=\"b\"";
    assert_eq!(
        summary(text, &warnings(text)),
        vec![(WHERE_FIELD_NEVER_SET, "user")]
    );
}

// ---------------------------------------------------------------------------------------
// missing_lookup
// ---------------------------------------------------------------------------------------

fn known(names: &[&str]) -> LintOptions {
    LintOptions {
        known_lookups: Some(names.iter().map(|n| n.to_string()).collect()),
    }
}

#[test]
fn unknown_lookup_names_warn_with_a_suggestion() {
    let text = "index=win | lookup update=true is_windows_sytem_file filename OUTPUT systemFile";
    let found = of(
        MISSING_LOOKUP,
        warnings_with(text, &known(&["is_windows_system_file"])),
    );
    assert_eq!(
        summary(text, &found),
        vec![(MISSING_LOOKUP, "is_windows_sytem_file")]
    );
    assert_eq!(
        found[0].label.as_deref(),
        Some("did you mean `is_windows_system_file`?")
    );
}

#[test]
fn known_lookup_names_match_with_or_without_csv() {
    let options = known(&["assets", "identities.csv"]);
    for text in [
        "| inputlookup assets.csv",
        "| inputlookup append=t identities",
        "index=x | lookup assets ip OUTPUT owner",
    ] {
        assert!(
            of(MISSING_LOOKUP, warnings_with(text, &options)).is_empty(),
            "{text}"
        );
    }
    let text = "| inputlookup append=t other.csv";
    assert_eq!(
        summary(text, &warnings_with(text, &options)),
        vec![(MISSING_LOOKUP, "other.csv")]
    );
}

#[test]
fn without_known_lookups_the_rule_is_skipped() {
    let text = "| inputlookup nothing_like_this.csv";
    assert!(warnings(text).is_empty());
}

#[test]
fn lookups_in_subsearches_are_checked() {
    let text = "index=x [| inputlookup missing_table | fields user] | stats count BY user";
    let found = warnings_with(text, &known(&["assets"]));
    assert_eq!(
        summary(text, &found),
        vec![(MISSING_LOOKUP, "missing_table")]
    );
}

// ---------------------------------------------------------------------------------------
// search_after_stats_raw_term
// ---------------------------------------------------------------------------------------

/// §1.6 [U-high]: after a transforming command free-text terms match nothing.
#[test]
fn unconfirmed_a_free_text_term_after_stats_matches_nothing() {
    let text = "index=k8s | stats count BY src | search forbidden";
    let found = warnings(text);
    assert_eq!(
        summary(text, &found),
        vec![(SEARCH_AFTER_STATS_RAW_TERM, "forbidden")]
    );
    assert_eq!(at(text, found[0].labels[0].span), "stats count BY src");
}

#[test]
fn terms_inside_boolean_expressions_and_quoted_phrases_are_found() {
    let text = "index=k8s | stats count BY src | search src=10.* OR \"access denied\" NOT fail*";
    assert_eq!(
        summary(text, &warnings(text)),
        vec![
            (SEARCH_AFTER_STATS_RAW_TERM, "\"access denied\""),
            (SEARCH_AFTER_STATS_RAW_TERM, "fail*")
        ]
    );
}

#[test]
fn a_lone_star_and_field_comparisons_are_fine() {
    for text in [
        "index=k8s | stats count BY src | search *",
        "index=k8s | stats count BY src | search src=10.0.0.1 count>5",
        "index=k8s error | search forbidden | stats count BY src",
    ] {
        assert!(warnings(text).is_empty(), "{text}");
    }
}

#[test]
fn a_search_keyword_doubled_by_a_filter_macro_gets_its_own_help() {
    let text = "index=k8s | stats count BY src | search search *";
    let found = warnings(text);
    assert_eq!(
        summary(text, &found),
        vec![(SEARCH_AFTER_STATS_RAW_TERM, "search")]
    );
    assert!(found[0]
        .help
        .as_deref()
        .unwrap()
        .contains("write `| <macro>` instead of `| search <macro>`"));
}

#[test]
fn table_and_tstats_also_remove_raw() {
    let table = "index=k8s | table src | search forbidden";
    assert_eq!(
        summary(table, &warnings(table)),
        vec![(SEARCH_AFTER_STATS_RAW_TERM, "forbidden")]
    );
    let tstats = "| tstats count FROM datamodel=Web BY Web.src | search curl";
    assert_eq!(
        summary(tstats, &warnings(tstats)),
        vec![(SEARCH_AFTER_STATS_RAW_TERM, "curl")]
    );
}
