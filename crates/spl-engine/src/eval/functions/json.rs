//! JSON functions: `spath(json, path)` and `json_extract(json [, path])` with the path syntax
//! of `spl-semantics.md` §6.14 (`a.b`, `a{}`, `a{N}`, 0-based).

use super::text_arg;
use crate::eval::compile::{Env, Node};
use crate::eval::value::EvalValue;
use fancy_regex::Regex;
use serde_json::Value as Json;

/// `spath(json, path)`.
pub fn spath(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let (Some(text), Some(path)) = (text_arg(args, 0, env), text_arg(args, 1, env)) else {
        return EvalValue::Null;
    };
    extract(&text, &path)
}

/// `json_extract(json [, path])`.
pub fn json_extract(args: &[Node], env: &Env<'_>, _: Option<&Regex>) -> EvalValue {
    let Some(text) = text_arg(args, 0, env) else {
        return EvalValue::Null;
    };
    if args.len() < 2 {
        return match serde_json::from_str::<Json>(&text) {
            Ok(json) => EvalValue::Str(render(&json)),
            Err(_) => EvalValue::Null,
        };
    }
    match text_arg(args, 1, env) {
        Some(path) => extract(&text, &path),
        None => EvalValue::Null,
    }
}

/// The values at `path` in the JSON `text` (null when it is not JSON or nothing matches).
pub fn extract(text: &str, path: &str) -> EvalValue {
    let Ok(json) = serde_json::from_str::<Json>(text) else {
        return EvalValue::Null;
    };
    let mut current: Vec<&Json> = vec![&json];
    for step in path.split('.').filter(|s| !s.is_empty()) {
        current = apply_step(current, step);
    }
    EvalValue::from_strings(current.into_iter().map(render).collect())
}

/// One step: `name`, `name{}`, `name{N}`, `{N}`, possibly with several `{…}`.
fn apply_step<'a>(values: Vec<&'a Json>, step: &str) -> Vec<&'a Json> {
    let name_end = step.find('{').unwrap_or(step.len());
    let (name, mut selectors) = step.split_at(name_end);
    let mut current: Vec<&Json> = if name.is_empty() {
        values
    } else {
        values.into_iter().filter_map(|v| v.get(name)).collect()
    };
    while let Some(rest) = selectors.strip_prefix('{') {
        let Some(close) = rest.find('}') else {
            return Vec::new();
        };
        let (inside, after) = rest.split_at(close);
        selectors = after.get(1..).unwrap_or("");
        current = current
            .into_iter()
            .flat_map(|v| select(v, inside))
            .collect();
    }
    current
}

fn select<'a>(value: &'a Json, selector: &str) -> Vec<&'a Json> {
    let Json::Array(items) = value else {
        return Vec::new();
    };
    if selector.is_empty() {
        return items.iter().collect();
    }
    selector
        .parse::<usize>()
        .ok()
        .and_then(|i| items.get(i))
        .into_iter()
        .collect()
}

/// Strings as their text, everything else as compact JSON.
fn render(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}
