//! Events from JSON: extraction the way Splunk's `INDEXED_EXTRACTIONS = json` names fields
//! (`a.b`, `a{}`, `a{}.b`), values as Splunk renders them, default fields, and `_time`.

use crate::value::Record;

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

/// Builds the record of one JSON event; `raw` becomes `_raw` unchanged.
pub fn record_from_json(raw: &str, meta: &EventMeta) -> Result<Record, EventError> {
    let _ = (raw, meta);
    Err(EventError {
        message: "not implemented".into(),
    })
}
