use super::*;
use crate::value::Value;

fn record(pairs: &[(&str, &str)]) -> Record {
    let mut record = Record::new();
    for (name, value) in pairs {
        record.insert(*name, *value);
    }
    record
}

fn defs(text: &str) -> FieldDefinitions {
    FieldDefinitions::parse(text, "test.conf").expect("valid definitions")
}

fn applied(text: &str, pairs: &[(&str, &str)]) -> Record {
    let mut event = record(pairs);
    defs(text).apply(&mut event, &EvalContext::default());
    event
}

fn get<'a>(record: &'a Record, name: &str) -> Option<&'a str> {
    record.get(name).map(|v| v.first())
}

#[test]
fn alias_copies_the_value_and_keeps_the_original() {
    let event = applied(
        "[st]\nFIELDALIAS-src = sourceIPAddress AS src_ip\n",
        &[("sourcetype", "st"), ("sourceIPAddress", "1.2.3.4")],
    );
    assert_eq!(get(&event, "src_ip"), Some("1.2.3.4"));
    assert_eq!(get(&event, "sourceIPAddress"), Some("1.2.3.4"));
}

#[test]
fn other_sourcetypes_are_untouched() {
    let event = applied(
        "[st]\nFIELDALIAS-src = a AS b\n",
        &[("sourcetype", "other"), ("a", "1")],
    );
    assert_eq!(get(&event, "b"), None);
}

#[test]
fn unconfirmed_as_replaces_an_existing_field_and_removes_it_without_a_source() {
    // Splunk 7.2.4+ ("Field alias behavior change"): the alias follows its source field.
    // That `AS` is the overwriting form and `ASNEW` the preserving one (Splunk Web's
    // "Overwrite field values" on and off) is the most plausible reading, not confirmed.
    let text = "[st]\nFIELDALIAS-x = a AS b\n";
    let replaced = applied(text, &[("sourcetype", "st"), ("a", "new"), ("b", "old")]);
    assert_eq!(get(&replaced, "b"), Some("new"));
    let removed = applied(text, &[("sourcetype", "st"), ("b", "old")]);
    assert_eq!(get(&removed, "b"), None);
}

#[test]
fn unconfirmed_asnew_keeps_an_existing_field() {
    let text = "[st]\nFIELDALIAS-x = a ASNEW b\n";
    let kept = applied(text, &[("sourcetype", "st"), ("a", "new"), ("b", "old")]);
    assert_eq!(get(&kept, "b"), Some("old"));
    let added = applied(text, &[("sourcetype", "st"), ("a", "new")]);
    assert_eq!(get(&added, "b"), Some("new"));
}

#[test]
fn unconfirmed_an_alias_does_not_see_another_alias() {
    let event = applied(
        "[st]\nFIELDALIAS-1 = a AS b\nFIELDALIAS-2 = b AS c\n",
        &[("sourcetype", "st"), ("a", "1")],
    );
    assert_eq!(get(&event, "b"), Some("1"));
    assert_eq!(get(&event, "c"), None);
}

#[test]
fn eval_sees_aliases_but_not_other_evals() {
    let event = applied(
        "[st]\nEVAL-first = alias . \"!\"\nEVAL-second = first . \"?\"\nFIELDALIAS-a = a AS alias\n",
        &[("sourcetype", "st"), ("a", "x"), ("first", "raw")],
    );
    assert_eq!(get(&event, "first"), Some("x!"));
    // `second` read `first` as it was before any EVAL ran.
    assert_eq!(get(&event, "second"), Some("raw?"));
}

#[test]
fn eval_null_removes_the_field_and_multivalues_stay() {
    let mut event = record(&[("sourcetype", "st"), ("gone", "v")]);
    event.insert(
        "list",
        Value::from_values(vec!["1".into(), "2".into()]).expect("values"),
    );
    defs("[st]\nEVAL-gone = null()\nEVAL-copy = list\n").apply(&mut event, &EvalContext::default());
    assert_eq!(get(&event, "gone"), None);
    assert_eq!(
        event.get("copy").map(|v| v.values().to_vec()),
        Some(vec!["1".to_string(), "2".to_string()])
    );
}

#[test]
fn multiple_aliases_on_one_line_quotes_and_case() {
    let d = defs("[st]\nfieldalias-x = a as b \"c d\" AsNew e\n");
    let aliases = d.aliases("st");
    assert_eq!(aliases.len(), 2);
    assert_eq!(aliases[1].source, "c d");
    assert!(aliases[1].keep_existing);
}

#[test]
fn other_keys_and_stanzas_are_ignored_and_listed() {
    let d = defs(
        "# comment\nKV_MODE = json\n[source::x]\nFIELDALIAS-a = a AS b\n[st]\nREPORT-x = y\nEVAL-z = 1\n",
    );
    assert_eq!(d.sourcetypes().collect::<Vec<_>>(), vec!["st"]);
    let ignored: Vec<&str> = d.ignored().iter().map(|i| i.what.as_str()).collect();
    assert_eq!(
        ignored,
        vec![
            "[default] KV_MODE",
            "[source::x] FIELDALIAS-a",
            "[st] REPORT-x"
        ]
    );
    assert_eq!(d.ignored()[0].location, "test.conf:2");
}

#[test]
fn continuation_lines_join() {
    let d = defs("[st]\nEVAL-x = if(a==\"1\", \\\n  \"one\", \"other\")\n");
    assert_eq!(d.evals("st").len(), 1);
}

#[test]
fn errors_name_the_line() {
    let bad = [
        ("[st]\nFIELDALIAS-a = a AS\n", 2),
        ("[st]\nFIELDALIAS-a = a TO b\n", 2),
        ("\n[st]\nEVAL-x = if(\n", 3),
        ("[st]\nEVAL-x = nosuchfunction(a)\n", 2),
        ("[st\n", 1),
        ("[st]\nno equals sign\n", 2),
        ("[st]\nEVAL-x = 1 | stats count\n", 2),
        ("[st]\nEVAL- = 1\n", 2),
    ];
    for (text, line) in bad {
        let error = FieldDefinitions::parse(text, "f.conf").expect_err(text);
        assert_eq!(error.line, line, "{text}: {error}");
        assert!(error.to_string().starts_with(&format!("f.conf:{line}: ")));
    }
}

#[test]
fn later_definitions_replace_earlier_keys() {
    let mut d = defs("[st]\nEVAL-x = \"first\"\nEVAL-y = \"kept\"\n");
    d.merge(defs("[st]\nEVAL-x = \"second\"\n"));
    let mut event = record(&[("sourcetype", "st")]);
    d.apply(&mut event, &EvalContext::default());
    assert_eq!(get(&event, "x"), Some("second"));
    assert_eq!(get(&event, "y"), Some("kept"));
}

#[test]
fn input_and_output_fields() {
    let d = defs("[st]\nFIELDALIAS-a = a AS b host AS dest\nEVAL-c = lower(d) . e\n");
    let inputs: Vec<String> = d.input_fields().into_iter().collect();
    assert_eq!(inputs, vec!["a", "d", "e", "host", "sourcetype"]);
    let outputs: Vec<String> = d.output_fields().into_iter().collect();
    assert_eq!(outputs, vec!["b", "c", "dest"]);
    // `b` copies raw text; `dest` copies `host`, which is not in the raw line.
    let computed: Vec<String> = d.computed_fields().into_iter().collect();
    assert_eq!(computed, vec!["c", "dest"]);
}

#[test]
fn computed_fields_are_not_required_by_the_prefilter() {
    use crate::prefilter::Prefilter;
    let pipeline = spl_syntax::parse_pipeline("action=failure user=bob").expect("parses");
    let all = Prefilter::for_pipeline(&pipeline).expect("literals");
    assert_eq!(all.groups().len(), 2);
    let some = Prefilter::for_pipeline_except(&pipeline, &|f| f == "action").expect("literals");
    assert_eq!(some.groups(), &[vec!["bob".to_string()]]);
}

#[test]
fn an_alias_of_a_multivalue_field_keeps_every_value() {
    let mut event = record(&[("sourcetype", "st")]);
    event.insert(
        "targetResources{}.userPrincipalName",
        Value::from_values(vec!["a@x".into(), "b@x".into()]).expect("values"),
    );
    defs("[st]\nFIELDALIAS-user = targetResources{}.userPrincipalName AS user\n")
        .apply(&mut event, &EvalContext::default());
    assert_eq!(
        event.get("user").map(|v| v.values().to_vec()),
        Some(vec!["a@x".to_string(), "b@x".to_string()])
    );
}

#[test]
fn unconfirmed_asnew_without_a_source_leaves_the_event_alone() {
    let event = applied(
        "[st]\nFIELDALIAS-x = a ASNEW b\n",
        &[("sourcetype", "st"), ("b", "old")],
    );
    assert_eq!(get(&event, "b"), Some("old"));
}

#[test]
fn eval_replaces_a_raw_field_and_reads_quoted_dotted_names() {
    let event = applied(
        "[st]\nEVAL-user_type = lower('userIdentity.type')\n",
        &[
            ("sourcetype", "st"),
            ("userIdentity.type", "IAMUser"),
            ("user_type", "raw"),
        ],
    );
    assert_eq!(get(&event, "user_type"), Some("iamuser"));
}

#[test]
fn a_stanza_may_not_rewrite_its_own_selector_for_other_definitions() {
    // Every EVAL reads the event before any EVAL ran, so changing `sourcetype` does not
    // change which stanza applies or what the other expressions see.
    let event = applied(
        "[st]\nEVAL-sourcetype = \"other\"\nEVAL-seen = sourcetype\n",
        &[("sourcetype", "st")],
    );
    assert_eq!(get(&event, "sourcetype"), Some("other"));
    assert_eq!(get(&event, "seen"), Some("st"));
}

#[test]
fn odd_input_gives_errors_not_panics() {
    let inputs = [
        "",
        "[",
        "]",
        "=",
        "[é]\nEVAL-é = \"é\"\n",
        "[st]\nEVAé = 1\n",
        "[st]\nFIELDALIAS-x = \"a AS b\n",
        "[st]\nFIELDALIAS-x = \"\" AS \"\"\n",
        "[st]\nEVAL-x = \\\n",
        "[st]\n\\\n\\\n",
        "[st]\nEVAL-x = \"unterminated\n",
        "[st]\nEVAL-x = ((((((((((((((((((((1))))))))))))))))))))\n",
        "[st]\nEVAL-x = 'a' | 'b'\n",
        "\u{feff}[st]\nFIELDALIAS-x = a AS b\n",
    ];
    let deep = format!("[st]\nEVAL-x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    for text in inputs.iter().copied().chain([deep.as_str()]) {
        // Either outcome is fine; it must not panic, and a success must apply cleanly.
        if let Ok(definitions) = FieldDefinitions::parse(text, "odd.conf") {
            let mut event = record(&[("sourcetype", "st"), ("a", "1")]);
            definitions.apply(&mut event, &EvalContext::default());
        }
    }
}
