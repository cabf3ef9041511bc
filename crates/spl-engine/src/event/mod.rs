//! Events from JSON: extraction the way Splunk's `INDEXED_EXTRACTIONS = json` names fields
//! (`a.b`, `a{}`, `a{}.b`), values as Splunk renders them, default fields, and `_time`
//! (spl-semantics.md §2).
//!
//! Field naming and values:
//! * nested keys join with `.` (`{"a":{"b":1}}` → `a.b`); keys containing dots are not escaped;
//! * arrays append `{}` and give one value per element, in document order, duplicates kept
//!   (`a{}`, `a{}.b`, `a{}{}`); a top-level array gives the field `{}`;
//! * an empty object or array gives no field;
//! * strings are unescaped; numbers keep their source text exactly (`403`, `1.50`, `1e3`);
//!   `true`/`false` as written; `null` becomes the value `null`;
//! * a key repeated in one object: the last occurrence wins (the fields the earlier
//!   occurrence produced are removed; when the object sits in an array, values that earlier
//!   array elements gave the same field names are removed too; [U-low], rare);
//! * field order is the document order of first appearance, followed by the default fields;
//! * with a [`FieldSelection`] ([`record_from_json_projected`]), object keys whose values
//!   cannot hold a selected field are validated but not extracted.
//!
//! Default fields, added after the JSON fields (they replace JSON keys of the same name):
//! `_raw` (the exact text), `_time` (see [`event_time`]), `source`, `sourcetype`, `host`,
//! `index` from [`EventMeta`].

mod json;
mod time;

use crate::projection::FieldSelection;
use crate::value::Record;
#[cfg(test)]
use crate::value::Value;

pub use time::{event_time, TIME_FIELDS};

/// The nesting depth allowed by default (objects and arrays, the top level counting 1).
pub const DEFAULT_MAX_DEPTH: usize = 512;

/// The largest nesting depth that can be configured: the extractor is recursive, and this
/// bound keeps it far from the stack limit of any thread.
pub const MAX_SUPPORTED_DEPTH: usize = 1024;

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

/// Limits of JSON extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Maximum nesting depth of objects and arrays (clamped to [`MAX_SUPPORTED_DEPTH`]).
    pub max_depth: usize,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// Why a JSON text is not an event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EventError {
    /// What is wrong, in plain words (with the byte offset in the text when known).
    pub message: String,
}

/// Builds the record of one JSON event; `raw` becomes `_raw` unchanged.
///
/// ```
/// use spl_engine::event::{record_from_json, EventMeta};
/// let record = record_from_json(r#"{"a":{"b":[1,"x"]}}"#, &EventMeta::default()).unwrap();
/// assert_eq!(record.get("a.b{}").unwrap().values(), ["1", "x"]);
/// ```
pub fn record_from_json(raw: &str, meta: &EventMeta) -> Result<Record, EventError> {
    record_from_json_with(raw, meta, &ExtractOptions::default())
}

/// [`record_from_json`] with explicit limits.
pub fn record_from_json_with(
    raw: &str,
    meta: &EventMeta,
    options: &ExtractOptions,
) -> Result<Record, EventError> {
    record_from_json_projected(raw, meta, options, &FieldSelection::all())
}

/// [`record_from_json_with`] extracting only the fields `selection` can need (see
/// [`crate::projection`]): the values of other object keys are validated, so a malformed
/// event fails with the same error, but not extracted. `_raw`, `_time` and the default
/// fields are added when selected (a selection of every field selects them).
///
/// ```
/// use spl_engine::event::{record_from_json_projected, EventMeta, ExtractOptions};
/// use spl_engine::projection::FieldSelection;
/// let selection = FieldSelection::only(["a.b", "_raw"]);
/// let text = r#"{"a":{"b":1,"c":2},"d":[3]}"#;
/// let record =
///     record_from_json_projected(text, &EventMeta::default(), &ExtractOptions::default(), &selection)
///         .unwrap();
/// assert_eq!(record.get("a.b").unwrap().first(), "1");
/// assert_eq!(record.get("_raw").unwrap().first(), text);
/// assert!(record.get("a.c").is_none() && record.get("d{}").is_none());
/// assert!(record.get("source").is_none(), "not selected");
/// ```
pub fn record_from_json_projected(
    raw: &str,
    meta: &EventMeta,
    options: &ExtractOptions,
    selection: &FieldSelection,
) -> Result<Record, EventError> {
    let max_depth = options.max_depth.min(MAX_SUPPORTED_DEPTH);
    let extracted = json::extract(raw, max_depth, Some(selection))?;
    let mut record = extracted.record;
    if extracted.has_reserved_key {
        for name in json::RESERVED_FIELDS {
            record.remove(name);
        }
    }
    add_default_fields(&mut record, raw, meta, selection);
    Ok(record)
}

/// Appends the selected default fields (the record has none of them yet).
fn add_default_fields(
    record: &mut Record,
    raw: &str,
    meta: &EventMeta,
    selection: &FieldSelection,
) {
    let [raw_wanted, time_wanted, source, sourcetype, host, index] = selection.wants_added_fields();
    let time = if time_wanted {
        event_time(record)
    } else {
        None
    };
    if raw_wanted {
        record.insert("_raw", raw);
    }
    if let Some(time) = time {
        record.insert("_time", time);
    }
    for (wanted, name, value) in [
        (source, "source", &meta.source),
        (sourcetype, "sourcetype", &meta.sourcetype),
        (host, "host", &meta.host),
        (index, "index", &meta.index),
    ] {
        if wanted {
            record.insert(name, value.as_str());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_fields_replace_json_keys_of_the_same_name() {
        let text = r#"{"source":"json","a":1,"_raw":"x","host":{"n":1},"sour\u0063e":"y"}"#;
        let meta = EventMeta {
            source: "file.json".into(),
            ..EventMeta::default()
        };
        let defaults = ["_raw", "source", "sourcetype", "host", "index"];
        for selection in [
            FieldSelection::all(),
            FieldSelection::only(defaults.iter().copied().chain(["a"])),
        ] {
            let record =
                record_from_json_projected(text, &meta, &ExtractOptions::default(), &selection)
                    .expect("valid");
            let names: Vec<&str> = record.names().collect();
            assert_eq!(
                names,
                [
                    "a",
                    "host.n",
                    "_raw",
                    "source",
                    "sourcetype",
                    "host",
                    "index"
                ]
                .into_iter()
                .filter(|n| selection.is_all() || *n != "host.n")
                .collect::<Vec<_>>()
            );
            assert_eq!(record.get("source").map(Value::first), Some("file.json"));
            assert_eq!(record.get("_raw").map(Value::first), Some(text));
        }
    }

    #[test]
    fn default_fields_that_are_not_selected_are_left_out() {
        let text = r#"{"a":1,"host":"h","requestReceivedTimestamp":"2024-03-10T00:00:01Z"}"#;
        let extract = |names: &[&str]| {
            let selection = FieldSelection::only(names.iter().copied());
            let record = record_from_json_projected(
                text,
                &EventMeta::default(),
                &ExtractOptions::default(),
                &selection,
            )
            .expect("valid");
            record.names().map(str::to_string).collect::<Vec<_>>()
        };
        assert_eq!(extract(&["a"]), ["a"]);
        assert_eq!(extract(&["a", "host"]), ["a", "host"]);
        assert_eq!(
            extract(&["_time"]),
            ["requestReceivedTimestamp", "_time"],
            "`_time` needs the field it is computed from"
        );
        assert_eq!(extract(&["_raw", "index"]), ["_raw", "index"]);
    }
}
