//! `lookup`, `inputlookup`, `foreach` and `xmlkv` compiled from SPL text and run through the
//! engine, with expected values reasoned from `spl-semantics.md` §6.15 and the Splunk
//! `lookup`/`inputlookup`/`foreach`/`xmlkv` documentation.

use spl_engine::lookup::{parse_match_types, LookupOptions, LookupTable, LookupTables};
use spl_engine::{Engine, Record, Value};
use std::sync::Arc;

fn table(name: &str, csv: &str, options: LookupOptions) -> LookupTable {
    LookupTable::from_csv(name, &format!("{name}.csv"), csv, options).expect("valid table")
}

fn engine() -> Engine {
    let mut tables = LookupTables::new();
    tables.insert(table(
        "users",
        "user,department,level\nalice,finance,3\nbob,it,1\nbob,security,2\ncarol,,4\n",
        LookupOptions::default(),
    ));
    tables.insert(table(
        "tools",
        "tool,is_attacker_tool\n*mimikatz*,true\npsexec*.exe,true\n",
        LookupOptions {
            case_sensitive: false,
            match_types: parse_match_types("WILDCARD(tool)").expect("valid"),
            min_matches: 1,
            default_match: "false".to_string(),
            ..LookupOptions::default()
        },
    ));
    tables.insert(table(
        "networks",
        "cidr,zone\n10.0.0.0/8,internal\n10.1.0.0/16,lab\n",
        LookupOptions {
            match_types: parse_match_types("CIDR(cidr)").expect("valid"),
            ..LookupOptions::default()
        },
    ));
    Engine::new().with_lookups(Arc::new(tables))
}

fn record(pairs: &[(&str, &[&str])]) -> Record {
    pairs
        .iter()
        .filter_map(|(name, values)| {
            let values = values.iter().map(|v| v.to_string()).collect();
            Value::from_values(values).map(|v| (name.to_string(), v))
        })
        .collect()
}

fn run(spl: &str, records: Vec<Record>) -> Vec<Record> {
    let query = match engine().compile(spl) {
        Ok(query) => query,
        Err(error) => panic!("`{spl}` does not compile: {error}"),
    };
    match query.run(records) {
        Ok(output) => output.rows,
        Err(error) => panic!("`{spl}` failed: {error}"),
    }
}

fn values<'a>(record: &'a Record, name: &str) -> Vec<&'a str> {
    record
        .get(name)
        .map(|v| v.values().iter().map(String::as_str).collect())
        .unwrap_or_default()
}

fn compile_error(spl: &str) -> spl_engine::CompileError {
    match engine().compile(spl) {
        Ok(_) => panic!("`{spl}` compiled but should not"),
        Err(error) => error,
    }
}

#[test]
fn lookup_without_output_adds_every_other_column() {
    let rows = run(
        "* | lookup users user",
        vec![record(&[("user", &["alice"])])],
    );
    assert_eq!(values(&rows[0], "department"), ["finance"]);
    assert_eq!(values(&rows[0], "level"), ["3"]);
}

#[test]
fn unconfirmed_several_matching_rows_give_multivalues_in_file_order() {
    let rows = run(
        "* | lookup users user OUTPUT department",
        vec![record(&[("user", &["bob"])])],
    );
    assert_eq!(values(&rows[0], "department"), ["it", "security"]);
    assert!(rows[0].get("level").is_none());
}

#[test]
fn as_renames_the_event_field_and_the_output() {
    let rows = run(
        "* | lookup users user AS account OUTPUT department AS dept",
        vec![record(&[("account", &["alice"])])],
    );
    assert_eq!(values(&rows[0], "dept"), ["finance"]);
    assert!(rows[0].get("department").is_none());
}

#[test]
fn unconfirmed_output_overwrites_and_outputnew_keeps_existing_fields() {
    let event = || record(&[("user", &["alice"]), ("department", &["old"])]);
    let rows = run("* | lookup users user OUTPUT department", vec![event()]);
    assert_eq!(values(&rows[0], "department"), ["finance"]);
    let rows = run(
        "* | lookup users user OUTPUTNEW department, level",
        vec![event()],
    );
    assert_eq!(values(&rows[0], "department"), ["old"]);
    assert_eq!(values(&rows[0], "level"), ["3"]);
}

#[test]
fn no_match_leaves_outputs_untouched() {
    let rows = run(
        "* | lookup users user OUTPUT department",
        vec![record(&[("user", &["zed"]), ("department", &["kept"])])],
    );
    assert_eq!(values(&rows[0], "department"), ["kept"]);
}

#[test]
fn exact_match_is_case_sensitive_by_default() {
    let rows = run(
        "* | lookup users user OUTPUT department",
        vec![record(&[("user", &["ALICE"])])],
    );
    assert!(rows[0].get("department").is_none());
}

#[test]
fn wildcard_case_insensitive_and_default_match() {
    let rows = run(
        "* | lookup tools tool AS process_name OUTPUT is_attacker_tool",
        vec![
            record(&[("process_name", &["C:\\Tools\\MimiKatz.exe"])]),
            record(&[("process_name", &["PsExec64.exe"])]),
            record(&[("process_name", &["notepad.exe"])]),
        ],
    );
    assert_eq!(values(&rows[0], "is_attacker_tool"), ["true"]);
    assert_eq!(values(&rows[1], "is_attacker_tool"), ["true"]);
    // min_matches=1 with default_match=false: one default value when nothing matches.
    assert_eq!(values(&rows[2], "is_attacker_tool"), ["false"]);
}

#[test]
fn cidr_blocks_match_addresses_inside() {
    let rows = run(
        "* | lookup networks cidr AS src OUTPUT zone",
        vec![
            record(&[("src", &["10.1.2.3"])]),
            record(&[("src", &["10.200.0.1"])]),
            record(&[("src", &["192.168.0.1"])]),
        ],
    );
    assert_eq!(values(&rows[0], "zone"), ["internal", "lab"]);
    assert_eq!(values(&rows[1], "zone"), ["internal"]);
    assert!(rows[2].get("zone").is_none());
}

#[test]
fn unconfirmed_multivalue_input_looks_up_each_value() {
    let rows = run(
        "* | lookup users user OUTPUT level",
        vec![record(&[("user", &["alice", "zed", "bob"])])],
    );
    assert_eq!(values(&rows[0], "level"), ["3", "1", "2"]);
}

#[test]
fn table_can_be_named_by_file_name() {
    let rows = run(
        "* | lookup users.csv user OUTPUT level",
        vec![record(&[("user", &["alice"])])],
    );
    assert_eq!(values(&rows[0], "level"), ["3"]);
}

#[test]
fn unknown_table_is_a_plan_error_with_a_suggestion() {
    let spl = "* | lookup userz user";
    let error = compile_error(spl);
    let diagnostic = &error.diagnostics[0];
    assert_eq!(diagnostic.code, "spl::plan::unknown_lookup");
    let span = diagnostic.span.expect("has a span");
    let expanded = error.expanded.expect("expanded");
    assert_eq!(&expanded.text[span.start..span.end], "userz");
    assert!(diagnostic
        .help
        .as_deref()
        .is_some_and(|h| h.contains("users")));
}

#[test]
fn unknown_column_is_a_plan_error() {
    let error = compile_error("* | lookup users login OUTPUT department");
    assert_eq!(error.diagnostics[0].code, "spl::plan::unknown_lookup_field");
}

#[test]
fn unconfirmed_inputlookup_generates_rows_without_events_empty_cells_null() {
    let rows = run("| inputlookup users", Vec::new());
    assert_eq!(rows.len(), 4);
    assert_eq!(values(&rows[1], "user"), ["bob"]);
    assert_eq!(values(&rows[1], "department"), ["it"]);
    // An empty cell is a null field.
    assert!(rows[3].get("department").is_none());
    assert_eq!(values(&rows[3], "level"), ["4"]);
}

#[test]
fn inputlookup_where_filters_with_search_semantics() {
    let rows = run(
        "| inputlookup users where user=bob level>1 | table department",
        Vec::new(),
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(values(&rows[0], "department"), ["security"]);
}

#[test]
fn inputlookup_feeds_later_commands() {
    let rows = run(
        "| inputlookup users | stats count BY user",
        vec![record(&[("user", &["ignored event"])])],
    );
    let users: Vec<&str> = rows.iter().map(|r| values(r, "user")[0]).collect();
    assert_eq!(users, ["alice", "bob", "carol"]);
    assert_eq!(values(&rows[1], "count"), ["2"]);
}

#[test]
fn foreach_runs_the_eval_template_per_matching_field() {
    let rows = run(
        "* | foreach bytes_* [eval <<FIELD>> = <<FIELD>> * 2, seen_<<MATCHSTR>> = \"y\"]",
        vec![record(&[
            ("bytes_in", &["10"]),
            ("bytes_out", &["3"]),
            ("other", &["5"]),
        ])],
    );
    assert_eq!(values(&rows[0], "bytes_in"), ["20"]);
    assert_eq!(values(&rows[0], "bytes_out"), ["6"]);
    assert_eq!(values(&rows[0], "seen_in"), ["y"]);
    assert_eq!(values(&rows[0], "seen_out"), ["y"]);
    assert_eq!(values(&rows[0], "other"), ["5"]);
}

#[test]
fn foreach_template_errors_are_plan_errors() {
    let error = compile_error("* | foreach x* [eval <<FIELD>> = nosuchfunction(<<FIELD>>)]");
    assert_eq!(error.diagnostics[0].code, "spl::plan::unknown_function");
}

#[test]
fn xmlkv_extracts_innermost_elements_from_raw() {
    let rows = run(
        "* | xmlkv",
        vec![record(&[(
            "_raw",
            &["<Event><EventID>4688</EventID><Data>cmd.exe</Data><Data>a.exe</Data></Event>"],
        )])],
    );
    assert_eq!(values(&rows[0], "EventID"), ["4688"]);
    assert_eq!(values(&rows[0], "Data"), ["cmd.exe", "a.exe"]);
    assert!(rows[0].get("Event").is_none());
}

#[test]
fn unconfirmed_multivalue_input_outputs_follow_the_value_order() {
    let rows = run(
        "* | lookup users user OUTPUT level",
        vec![record(&[("user", &["bob", "alice"])])],
    );
    assert_eq!(values(&rows[0], "level"), ["1", "2", "3"]);
}

#[test]
fn unconfirmed_min_matches_applies_per_input_value() {
    let rows = run(
        "* | lookup tools tool AS process_name OUTPUT is_attacker_tool",
        vec![record(&[(
            "process_name",
            &["notepad.exe", "mimikatz.exe"],
        )])],
    );
    assert_eq!(values(&rows[0], "is_attacker_tool"), ["false", "true"]);
}
