//! JSON event extraction per spl-semantics.md §2.

use spl_engine::event::{record_from_json, record_from_json_with, EventMeta, ExtractOptions};
use spl_engine::Record;

fn extract(json: &str) -> Record {
    record_from_json(json, &EventMeta::default()).expect("valid event")
}

fn values(record: &Record, name: &str) -> Vec<String> {
    record
        .get(name)
        .map(|v| v.values().to_vec())
        .unwrap_or_default()
}

fn json_names(record: &Record) -> Vec<&str> {
    let defaults = ["_raw", "_time", "source", "sourcetype", "host", "index"];
    record.names().filter(|n| !defaults.contains(n)).collect()
}

#[test]
fn nested_keys_join_with_dots() {
    assert_eq!(values(&extract(r#"{"a":{"b":{"c":1}}}"#), "a.b.c"), ["1"]);
}

#[test]
fn unconfirmed_array_order_and_duplicates() {
    assert_eq!(values(&extract(r#"{"a":[1,2,2]}"#), "a{}"), ["1", "2", "2"]);
}

#[test]
fn arrays_of_objects() {
    let r = extract(r#"{"a":[{"b":1},{"c":2},{"b":3}]}"#);
    assert_eq!(values(&r, "a{}.b"), ["1", "3"]);
    assert_eq!(values(&r, "a{}.c"), ["2"]);
    assert_eq!(json_names(&r), ["a{}.b", "a{}.c"]);
}

#[test]
fn unconfirmed_nested_arrays() {
    assert_eq!(
        values(&extract(r#"{"a":[[1,2],[3]]}"#), "a{}{}"),
        ["1", "2", "3"]
    );
}

#[test]
fn dotted_keys_are_not_escaped() {
    let r = extract(r#"{"a.b":{"c":1}}"#);
    assert_eq!(values(&r, "a.b.c"), ["1"]);
}

#[test]
fn unconfirmed_top_level_array() {
    let r = extract("[1,2]");
    assert_eq!(values(&r, "{}"), ["1", "2"]);
}

#[test]
fn unconfirmed_empty_containers_give_no_field() {
    let r = extract(r#"{"a":{},"b":[],"c":1}"#);
    assert_eq!(json_names(&r), ["c"]);
}

#[test]
fn unconfirmed_duplicate_key_last_wins() {
    let r = extract(r#"{"a":1,"b":2,"a":3}"#);
    assert_eq!(values(&r, "a"), ["3"]);
    let r = extract(r#"{"a":{"x":1},"a":{"y":2}}"#);
    assert!(r.get("a.x").is_none());
    assert_eq!(values(&r, "a.y"), ["2"]);
}

#[test]
fn value_rendering() {
    let r = extract(
        r#"{"s":"q\"uote\u00e9\/x","n":403,"f":1.50,"e":1e3,"neg":-0.5,"t":true,"no":false,"z":null}"#,
    );
    assert_eq!(values(&r, "s"), ["q\"uoteé/x"]);
    assert_eq!(values(&r, "n"), ["403"]);
    assert_eq!(values(&r, "f"), ["1.50"]);
    assert_eq!(values(&r, "e"), ["1e3"]);
    assert_eq!(values(&r, "neg"), ["-0.5"]);
    assert_eq!(values(&r, "t"), ["true"]);
    assert_eq!(values(&r, "no"), ["false"]);
    assert_eq!(values(&r, "z"), ["null"]);
}

#[test]
fn surrogate_pairs_decode() {
    assert_eq!(values(&extract(r#"{"s":"\ud83d\ude00"}"#), "s"), ["😀"]);
}

#[test]
fn field_order_then_default_fields() {
    let raw = r#"{"z":1,"a":{"b":2},"m":[3],"timestamp":"2023-11-14T22:13:20Z"}"#;
    let meta = EventMeta {
        source: "kubernetes".into(),
        sourcetype: "_json".into(),
        host: "h1".into(),
        index: "main".into(),
    };
    let r = record_from_json(raw, &meta).expect("valid");
    let names: Vec<&str> = r.names().collect();
    assert_eq!(
        names,
        [
            "z",
            "a.b",
            "m{}",
            "timestamp",
            "_raw",
            "_time",
            "source",
            "sourcetype",
            "host",
            "index"
        ]
    );
    assert_eq!(values(&r, "_raw"), [raw]);
    assert_eq!(values(&r, "_time"), ["1700000000"]);
    assert_eq!(values(&r, "source"), ["kubernetes"]);
    assert_eq!(values(&r, "host"), ["h1"]);
}

#[test]
fn no_time_field_means_no_time() {
    assert!(extract(r#"{"a":1}"#).get("_time").is_none());
}

#[test]
fn worked_example_kubernetes_audit() {
    let raw = r#"{"kind":"Event","verb":"get","requestURI":"/api/v1/secrets","sourceIPs":["81.2.69.142"],
 "user":{"username":"system:anonymous","groups":["system:unauthenticated"]},
 "userAgent":"curl/7.68.0","objectRef":{"resource":"secrets","namespace":"default"},
 "responseStatus":{"metadata":{},"status":"Failure","reason":"Forbidden","code":403},
 "requestObject":{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"spec\":{\"hostNetwork\":true}}\n"}}}}"#;
    let r = extract(raw);
    assert_eq!(values(&r, "kind"), ["Event"]);
    assert_eq!(values(&r, "sourceIPs{}"), ["81.2.69.142"]);
    assert_eq!(values(&r, "user.username"), ["system:anonymous"]);
    assert_eq!(values(&r, "user.groups{}"), ["system:unauthenticated"]);
    assert_eq!(values(&r, "objectRef.namespace"), ["default"]);
    assert_eq!(values(&r, "responseStatus.code"), ["403"]);
    assert!(r.get("responseStatus.metadata").is_none());
    assert_eq!(
        values(
            &r,
            "requestObject.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration"
        ),
        ["{\"spec\":{\"hostNetwork\":true}}\n"]
    );
}

#[test]
fn malformed_events_are_errors() {
    for bad in [
        "",
        "   ",
        "\"text\"",
        "42",
        "null",
        "{",
        "{\"a\":}",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\":1} x",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":-}",
        "{\"a\":tru}",
        "{\"a\":\"x\ny\"}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\u12\"}",
        "{a:1}",
        "{\"a\" 1}",
        "{\"a\":\"unterminated}",
    ] {
        assert!(
            record_from_json(bad, &EventMeta::default()).is_err(),
            "accepted {bad:?}"
        );
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "[".repeat(100_000);
    let error = record_from_json(&deep, &EventMeta::default()).expect_err("too deep");
    assert!(error.message.contains("nesting"), "{}", error.message);
    let deep_objects = "{\"a\":".repeat(100_000);
    assert!(record_from_json(&deep_objects, &EventMeta::default()).is_err());
}

#[test]
fn depth_limit_is_configurable() {
    let options = ExtractOptions { max_depth: 2 };
    let meta = EventMeta::default();
    assert!(record_from_json_with(r#"{"a":{"b":1}}"#, &meta, &options).is_ok());
    assert!(record_from_json_with(r#"{"a":{"b":[1]}}"#, &meta, &options).is_err());
    let at_default = format!("{}{}", "[".repeat(512), "]".repeat(512));
    assert!(record_from_json(&at_default, &meta).is_ok());
    let past_default = format!("{}{}", "[".repeat(513), "]".repeat(513));
    assert!(record_from_json(&past_default, &meta).is_err());
}

#[test]
fn search_over_extracted_event_vector() {
    use spl_engine::search::compile_search;
    use spl_syntax::ast::{CompareOp, Field, SearchExpr, SearchExprKind, SearchValue};
    use spl_syntax::span::Span;
    let r = extract(r#"{"responseStatus":{"code":"403"},"other":{"code":403}}"#);
    for name in ["responseStatus.code", "other.code"] {
        let expr = SearchExpr {
            kind: SearchExprKind::Compare {
                field: Field {
                    name: name.into(),
                    span: Span::default(),
                },
                op: CompareOp::Eq,
                value: SearchValue {
                    text: "403".into(),
                    quoted: false,
                    span: Span::default(),
                },
            },
            span: Span::default(),
        };
        assert!(compile_search(Some(&expr)).expect("compiles").matches(&r));
    }
}

#[test]
fn similar_keys_are_not_duplicates() {
    let r = extract(r#"{"ab":1,"ac":2,"ab2":3,"x":{"ab":4}}"#);
    assert_eq!(values(&r, "ab"), ["1"]);
    assert_eq!(values(&r, "ac"), ["2"]);
    assert_eq!(values(&r, "ab2"), ["3"]);
    assert_eq!(values(&r, "x.ab"), ["4"]);
}

#[test]
fn unconfirmed_colliding_names_become_multivalue() {
    // `{"a.b":1,"a":{"b":2}}`: two different keys produce the same field name.
    assert_eq!(
        values(&extract(r#"{"a.b":1,"a":{"b":2}}"#), "a.b"),
        ["1", "2"]
    );
}

#[test]
fn mutated_inputs_never_panic() {
    let seed_event = r#"{"a":[1,{"b":"x\"\u00e9\ud83d\ude00"}],"c":{"d":-1.5e+3,"e":null,"f":true},"g":[[],{}]}"#;
    let alphabet = b"{}[]\":,\\u0123456789abcdefnrtl-+.eE \t\n";
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let meta = EventMeta::default();
    for _ in 0..20_000 {
        let mut bytes = seed_event.as_bytes().to_vec();
        for _ in 0..(next() % 4 + 1) {
            let index = (next() as usize) % bytes.len();
            let replacement = alphabet[(next() as usize) % alphabet.len()];
            match next() % 3 {
                0 => bytes[index] = replacement,
                1 => bytes.truncate(index),
                _ => bytes.insert(index, replacement),
            }
            if bytes.is_empty() {
                bytes.push(b'{');
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = record_from_json(&text, &meta);
    }
}

/// Objects with many keys switch to a hash set for repeated-key detection: the rule (last
/// value wins, §2.2 [U-low]) must be the same on both sides of the switch.
#[test]
fn unconfirmed_repeated_key_in_an_object_with_many_keys_keeps_the_last_value() {
    let mut json = String::from("{");
    for i in 0..5000 {
        json.push_str(&format!("\"k{i}\":{i},"));
    }
    json.push_str("\"k10\":\"last\"}");
    let record =
        spl_engine::event::record_from_json(&json, &spl_engine::event::EventMeta::default())
            .expect("valid JSON");
    assert_eq!(
        record.get("k10").map(|v| v.values().to_vec()),
        Some(vec!["last".to_string()])
    );
    assert_eq!(
        record.get("k4999").map(|v| v.first().to_string()),
        Some("4999".to_string())
    );
    let keys = record.names().filter(|n| n.starts_with('k')).count();
    assert_eq!(keys, 5000);
}
