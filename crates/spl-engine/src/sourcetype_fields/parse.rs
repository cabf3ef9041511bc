//! Reading the props.conf subset: `[stanza]` headers, `KEY = value` lines, `#` comments,
//! and lines continued with a trailing `\`.

use super::{Alias, DefinitionError, FieldDefinitions, Ignored, Stanza};
use crate::eval::compile;
use spl_syntax::ast::CommandKind;
use spl_syntax::parse_pipeline;

/// One logical line: its 1-based first line number and its text (continuations joined).
struct Line {
    number: usize,
    text: String,
}

/// Parses `text` (see the module documentation); `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<FieldDefinitions, DefinitionError> {
    let mut definitions = FieldDefinitions::default();
    let mut stanza: Option<String> = None;
    for line in logical_lines(text) {
        let error = |message: String| DefinitionError {
            origin: origin.to_string(),
            line: line.number,
            message,
        };
        let trimmed = line.text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header
                .strip_suffix(']')
                .ok_or_else(|| error(format!("stanza header `{trimmed}` lacks its `]`")))?;
            stanza = Some(name.trim().to_string());
            continue;
        }
        let (key, value) = trimmed
            .split_once('=')
            .ok_or_else(|| error(format!("expected `KEY = value`, found `{trimmed}`")))?;
        let (key, value) = (key.trim(), value.trim());
        let location = format!("{origin}:{}", line.number);
        let target = match &stanza {
            Some(name) if is_sourcetype_stanza(name) => name.clone(),
            other => {
                let name = other.as_deref().unwrap_or("default");
                definitions.ignored.push(Ignored {
                    location,
                    what: format!("[{name}] {key}"),
                });
                continue;
            }
        };
        let entry = definitions.stanzas.entry(target.clone()).or_default();
        if !add_key(entry, key, value).map_err(error)? {
            definitions.ignored.push(Ignored {
                location,
                what: format!("[{target}] {key}"),
            });
        }
    }
    definitions
        .stanzas
        .retain(|_, s| !(s.aliases.is_empty() && s.evals.is_empty()));
    Ok(definitions)
}

/// A stanza naming a sourcetype, not `default`, `source::…`, `host::…`, `rule::…` or
/// `delayedrule::…`.
fn is_sourcetype_stanza(name: &str) -> bool {
    !name.is_empty() && name != "default" && !name.contains("::")
}

/// Adds one key to `stanza`; false when the key is not one this layer uses.
fn add_key(stanza: &mut Stanza, key: &str, value: &str) -> Result<bool, String> {
    if let Some(class) = strip_prefix_ignore_case(key, "FIELDALIAS-") {
        stanza
            .aliases
            .insert(class.to_string(), parse_aliases(value)?);
        return Ok(true);
    }
    if let Some(field) = strip_prefix_ignore_case(key, "EVAL-") {
        if field.is_empty() {
            return Err("`EVAL-` needs a field name".into());
        }
        let expr = parse_expression(value)?;
        stanza
            .evals
            .insert(field.to_string(), (value.to_string(), expr));
        return Ok(true);
    }
    Ok(false)
}

/// `key` without `prefix`, which is matched case-insensitively (`EVAL-`, `eval-`).
fn strip_prefix_ignore_case<'a>(key: &'a str, prefix: &str) -> Option<&'a str> {
    let head = key.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    key.get(prefix.len()..)
}

/// `a AS b c ASNEW d …`: one or more `<source> AS|ASNEW <target>` triples.
fn parse_aliases(value: &str) -> Result<Vec<Alias>, String> {
    let words = split_words(value)?;
    if words.is_empty() || words.len() % 3 != 0 {
        return Err(format!(
            "`FIELDALIAS` expects `<field> AS <alias>` (or `ASNEW`) triples, found `{value}`"
        ));
    }
    let mut aliases = Vec::new();
    for triple in words.chunks(3) {
        let [source, keyword, target] = triple else {
            continue;
        };
        let keep_existing = if keyword.eq_ignore_ascii_case("AS") {
            false
        } else if keyword.eq_ignore_ascii_case("ASNEW") {
            true
        } else {
            return Err(format!("expected `AS` or `ASNEW`, found `{keyword}`"));
        };
        aliases.push(Alias {
            source: source.clone(),
            target: target.clone(),
            keep_existing,
        });
    }
    Ok(aliases)
}

/// Whitespace-separated words; a word in double quotes may hold spaces (`"a b"`).
fn split_words(value: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut rest = value.trim_start();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| format!("unclosed quote in `{value}`"))?;
            words.push(quoted[..end].to_string());
            rest = quoted[end + 1..].trim_start();
            continue;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        words.push(rest[..end].to_string());
        rest = rest[end..].trim_start();
    }
    Ok(words)
}

/// Parses and compiles one eval expression with the `eval` command's own parser.
fn parse_expression(text: &str) -> Result<crate::eval::CompiledExpr, String> {
    let pipeline = parse_pipeline(&format!("| eval calculated_field={text}")).map_err(|d| {
        let messages: Vec<String> = d.into_iter().map(|d| d.message).collect();
        format!("bad eval expression `{text}`: {}", messages.join("; "))
    })?;
    let single = match pipeline.commands.as_slice() {
        [command] => match &command.kind {
            CommandKind::Eval(assignments) => match assignments.as_slice() {
                [assignment] => Some(&assignment.expr),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    };
    let expr = single.ok_or_else(|| format!("`{text}` is not one eval expression"))?;
    compile(expr).map_err(|d| format!("bad eval expression `{text}`: {}", d.message))
}

/// The logical lines of `text`: a line ending in `\` continues on the next one.
fn logical_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut pending: Option<Line> = None;
    for (index, raw) in text.lines().enumerate() {
        let (body, continues) = match raw.trim_end().strip_suffix('\\') {
            Some(body) => (body, true),
            None => (raw, false),
        };
        let line = match pending.take() {
            Some(mut open) => {
                open.text.push_str(body);
                open
            }
            None => Line {
                number: index + 1,
                text: body.to_string(),
            },
        };
        if continues {
            pending = Some(line);
        } else {
            lines.push(line);
        }
    }
    lines.extend(pending);
    lines
}
