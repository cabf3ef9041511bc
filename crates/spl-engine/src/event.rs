//! Events from JSON: extraction the way Splunk's `INDEXED_EXTRACTIONS = json` names fields
//! (spl-semantics.md §2), values as Splunk renders them, default fields, and `_time`.
//!
//! | JSON | fields |
//! |---|---|
//! | `{"a":{"b":1}}` | `a.b` = `1` |
//! | `{"a":[1,2,2]}` | `a{}` = `1`,`2`,`2` (document order, duplicates kept) |
//! | `{"a":[{"b":1},{"b":3}]}` | `a{}.b` = `1`,`3` |
//! | `{"a":[[1,2],[3]]}` | `a{}{}` = `1`,`2`,`3` |
//! | `[1,2]` (top level) | `{}` = `1`,`2` |
//! | `{"a":{}}`, `{"a":[]}` | no field |
//!
//! Strings are unescaped; numbers keep their source digits (`1.50` stays `1.50`; an exponent
//! is written with a sign, `1e3` → `1e+3`, a known divergence); `true`,
//! `false` and `null` become those words. Keys containing dots are not escaped. A key
//! repeated in one object keeps the last value. Fields appear in document order.

use crate::value::{format_number, Record};
use serde_json::Value as Json;

/// Default fields given to every event of one input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventMeta {
    /// `source` (default: the file path).
    pub source: String,
    /// `sourcetype` (default: `_json`).
    pub sourcetype: String,
    /// `host`.
    pub host: String,
    /// `index`.
    pub index: String,
}

impl Default for EventMeta {
    fn default() -> Self {
        EventMeta {
            source: String::new(),
            sourcetype: "_json".into(),
            host: "localhost".into(),
            index: "main".into(),
        }
    }
}

/// Why a JSON text is not an event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EventError {
    /// What is wrong, in plain words.
    pub message: String,
}

/// The fields `_time` is read from, in order of preference (RFC 3339 timestamps).
pub const TIME_FIELDS: [&str; 5] = [
    "requestReceivedTimestamp",
    "stageTimestamp",
    "timestamp",
    "@timestamp",
    "time",
];

/// Builds the record of one JSON event; `raw` becomes `_raw` unchanged.
///
/// `raw` must hold one JSON object (or array). serde_json's recursion limit (128 levels)
/// turns deeper nesting into an error instead of a stack overflow.
pub fn record_from_json(raw: &str, meta: &EventMeta) -> Result<Record, EventError> {
    let json: Json = serde_json::from_str(raw).map_err(|e| EventError {
        message: format!("invalid JSON: {e}"),
    })?;
    record_from_value(raw, &json, meta)
}

/// Builds the record of an already parsed event whose text is `raw`.
pub fn record_from_value(raw: &str, json: &Json, meta: &EventMeta) -> Result<Record, EventError> {
    let mut record = Record::new();
    match json {
        Json::Object(_) => flatten(json, String::new(), &mut record),
        Json::Array(_) => flatten(json, String::new(), &mut record),
        _ => {
            return Err(EventError {
                message: "an event must be a JSON object or array".into(),
            })
        }
    }
    let time = event_time(&record);
    record.insert("_raw", raw);
    if let Some(time) = time {
        record.insert("_time", format_number(time));
    }
    record.insert("source", meta.source.as_str());
    record.insert("sourcetype", meta.sourcetype.as_str());
    record.insert("host", meta.host.as_str());
    record.insert("index", meta.index.as_str());
    Ok(record)
}

/// Adds the leaves of `json` under `path` to `record`.
fn flatten(json: &Json, path: String, record: &mut Record) {
    match json {
        Json::Object(map) => {
            // A key repeated inside one object keeps only its last value (serde_json's map
            // already does this); across array elements, values accumulate.
            for (key, value) in map {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                flatten(value, child, record);
            }
        }
        Json::Array(items) => {
            let child = format!("{path}{{}}");
            for item in items {
                flatten(item, child.clone(), record);
            }
        }
        leaf => {
            if !path.is_empty() {
                record.append(&path, leaf_text(leaf));
            }
        }
    }
}

/// The text of a JSON leaf as Splunk shows it.
fn leaf_text(leaf: &Json) -> String {
    match leaf {
        Json::String(s) => s.clone(),
        // With serde_json's `arbitrary_precision`, a number keeps its source text.
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Null => "null".into(),
        Json::Object(_) | Json::Array(_) => String::new(),
    }
}

/// Epoch seconds from the first [`TIME_FIELDS`] value that is an RFC 3339 timestamp.
fn event_time(record: &Record) -> Option<f64> {
    TIME_FIELDS.iter().find_map(|field| {
        let text = record.get(field)?.first();
        let time = chrono::DateTime::parse_from_rfc3339(text).ok()?;
        let micros = time.timestamp_micros();
        Some(micros as f64 / 1_000_000.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn fields(raw: &str) -> Vec<(String, Vec<String>)> {
        record_from_json(raw, &EventMeta::default())
            .unwrap()
            .iter()
            .filter(|(k, _)| {
                !["_raw", "_time", "source", "sourcetype", "host", "index"].contains(k)
            })
            .map(|(k, v)| (k.to_string(), v.values().to_vec()))
            .collect()
    }

    fn f(name: &str, values: &[&str]) -> (String, Vec<String>) {
        (
            name.to_string(),
            values.iter().map(|v| v.to_string()).collect(),
        )
    }

    #[test]
    fn nested_keys_join_with_dots() {
        assert_eq!(fields(r#"{"a":{"b":{"c":1}}}"#), [f("a.b.c", &["1"])]);
    }

    #[test]
    fn arrays_become_multivalue_with_braces() {
        assert_eq!(fields(r#"{"a":[1,2,2]}"#), [f("a{}", &["1", "2", "2"])]);
        assert_eq!(
            fields(r#"{"a":[{"b":1},{"c":2},{"b":3}]}"#),
            [f("a{}.b", &["1", "3"]), f("a{}.c", &["2"])]
        );
        assert_eq!(
            fields(r#"{"a":[[1,2],[3]]}"#),
            [f("a{}{}", &["1", "2", "3"])]
        );
        assert_eq!(fields(r#"[1,2]"#), [f("{}", &["1", "2"])]);
    }

    #[test]
    fn empty_containers_make_no_field() {
        assert_eq!(fields(r#"{"a":{},"b":[],"c":1}"#), [f("c", &["1"])]);
    }

    #[test]
    fn dotted_keys_are_not_escaped() {
        assert_eq!(
            fields(r#"{"annotations":{"kubectl.kubernetes.io/x":"y"}}"#),
            [f("annotations.kubectl.kubernetes.io/x", &["y"])]
        );
    }

    #[test]
    fn values_render_like_splunk() {
        assert_eq!(
            fields(r#"{"s":"a\"b\u00e9","n":1.50,"t":true,"f":false,"z":null,"i":403}"#),
            [
                f("s", &["a\"bé"]),
                f("n", &["1.50"]),
                f("t", &["true"]),
                f("f", &["false"]),
                f("z", &["null"]),
                f("i", &["403"]),
            ]
        );
    }

    /// Known divergence: serde_json keeps a number's digits but writes an exponent with an
    /// explicit sign, so `1e3` reads as `1e+3` (Splunk keeps `1e3`). Audit logs carry no
    /// exponents; numeric comparisons are unaffected.
    #[test]
    fn known_divergence_exponent_gets_a_sign() {
        assert_eq!(
            fields(r#"{"e":1e3,"m":-2.5E-7}"#),
            [f("e", &["1e+3"]), f("m", &["-2.5e-7"])]
        );
    }

    #[test]
    fn unconfirmed_duplicate_key_keeps_the_last_value() {
        assert_eq!(fields(r#"{"a":1,"a":2}"#), [f("a", &["2"])]);
    }

    #[test]
    fn default_fields_and_raw_text() {
        let meta = EventMeta {
            source: "kubernetes".into(),
            ..EventMeta::default()
        };
        let raw = r#"{"verb":"get", "stageTimestamp":"2024-01-02T03:04:05.500000Z"}"#;
        let record = record_from_json(raw, &meta).unwrap();
        assert_eq!(record.get("_raw"), Some(&Value::from(raw)));
        assert_eq!(record.get("source"), Some(&Value::from("kubernetes")));
        assert_eq!(record.get("sourcetype"), Some(&Value::from("_json")));
        assert_eq!(record.get("_time"), Some(&Value::from("1704164645.5")));
    }

    #[test]
    fn time_prefers_request_received_timestamp() {
        let raw = r#"{"stageTimestamp":"2024-01-02T03:04:06Z","requestReceivedTimestamp":"2024-01-02T03:04:05Z"}"#;
        let record = record_from_json(raw, &EventMeta::default()).unwrap();
        assert_eq!(record.get("_time"), Some(&Value::from("1704164645")));
    }

    #[test]
    fn non_objects_and_bad_json_are_errors() {
        assert!(record_from_json("42", &EventMeta::default()).is_err());
        assert!(record_from_json(r#"{"a":"#, &EventMeta::default()).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let error = record_from_json(&deep, &EventMeta::default()).unwrap_err();
        assert!(
            error.message.contains("recursion limit"),
            "{}",
            error.message
        );
    }
}
