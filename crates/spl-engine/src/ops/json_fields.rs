//! JSON text in a field → fields, for `spath` and `fromjson`: auto-extraction with the
//! event naming of §2.2 (through [`record_from_json`], so the two never differ) and `spath`
//! path evaluation.

use crate::event::{record_from_json, EventMeta};
use crate::value::{Record, Value};
use serde_json::Value as Json;

/// The key the text is wrapped under, so any JSON value extracts like an event field.
const WRAPPER: &str = "w";

/// Every leaf of the JSON `text` as `(name, value)` with the §2.2 naming (a top-level array
/// gives `{}`), or `None` when `text` is not JSON.
pub fn auto_extract(text: &str) -> Option<Vec<(String, Value)>> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    let wrapped = format!("{{\"{WRAPPER}\":{text}}}");
    let record = record_from_json(&wrapped, &EventMeta::default()).ok()?;
    Some(
        record
            .iter()
            .filter_map(|(name, value)| {
                let rest = name.strip_prefix(WRAPPER)?;
                let rest = rest.strip_prefix('.').unwrap_or(rest);
                (!rest.is_empty()).then(|| (rest.to_string(), value.clone()))
            })
            .collect(),
    )
}

/// One step of a path: a key, then the array selections written after it.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// `name`.
    Key(String),
    /// `{N}` (0-based).
    Index(usize),
    /// `{}`.
    All,
}

/// Parses `a.b{}.c{1}` into steps; `None` when a brace is unbalanced or an index is bad.
fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('{') {
            Some(at) => part.split_at(at),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        while let Some(after_open) = rest.strip_prefix('{') {
            let close = after_open.find('}')?;
            let (inside, after) = after_open.split_at(close);
            steps.push(if inside.is_empty() {
                Step::All
            } else {
                Step::Index(inside.trim().parse().ok()?)
            });
            rest = after.get(1..).unwrap_or("");
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// The values `path` reaches in the JSON `text`: leaves as text, objects and arrays as
/// their JSON text. Numbers keep their literal text when the path names a leaf exactly as
/// auto-extraction does. `None` when nothing is reached or `text` is not JSON.
pub fn extract_path(text: &str, path: &str) -> Option<Value> {
    let steps = parse_path(path)?;
    if !steps.iter().any(|step| matches!(step, Step::Index(_))) {
        if let Some(fields) = auto_extract(text) {
            if let Some((_, value)) = fields.into_iter().find(|(name, _)| name == path) {
                return Some(value);
            }
        }
    }
    let json: Json = serde_json::from_str(text).ok()?;
    let mut current = vec![&json];
    for step in &steps {
        let mut next = Vec::new();
        for node in current {
            match (step, node) {
                (Step::Key(key), Json::Object(map)) => next.extend(map.get(key)),
                (Step::Index(index), Json::Array(items)) => next.extend(items.get(*index)),
                (Step::All, Json::Array(items)) => next.extend(items.iter()),
                _ => {}
            }
        }
        current = next;
    }
    Value::from_values(current.into_iter().map(render).collect())
}

/// A JSON value as field text.
fn render(json: &Json) -> String {
    match json {
        Json::String(text) => text.clone(),
        Json::Null => "null".to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Sets every `(name, value)` on `record`, each name prefixed with `prefix`.
pub fn insert_all(record: &mut Record, fields: Vec<(String, Value)>, prefix: &str) {
    for (name, value) in fields {
        record.insert(format!("{prefix}{name}"), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse() {
        assert_eq!(
            parse_path("a.b{}.c{1}"),
            Some(vec![
                Step::Key("a".into()),
                Step::Key("b".into()),
                Step::All,
                Step::Key("c".into()),
                Step::Index(1)
            ])
        );
        assert_eq!(parse_path("{0}"), Some(vec![Step::Index(0)]));
        assert_eq!(parse_path("a{x}"), None);
        assert_eq!(parse_path("a{"), None);
    }
}
