//! `xmlkv [<field>] [maxinputs=<n>]`: extracts `<tag>value</tag>` pairs from `_raw` (or the
//! named field) into fields named after the tags. Streaming; output order is input order.
//!
//! Only innermost elements give fields: a tag whose text is followed directly by its own
//! closing tag. Attributes on the opening tag are allowed and ignored; the five predefined
//! entities (`&lt;` `&gt;` `&amp;` `&quot;` `&apos;`) are decoded; empty elements give
//! nothing. A tag that occurs several times gives a multivalue in document order. Extracted
//! fields replace existing fields of the same name. `maxinputs` is accepted and ignored.

use crate::ops::lookup::word_or_quoted;
use crate::ops::Operator;
use crate::plan::PlanContext;
use crate::run::{ExecContext, RunError};
use crate::value::{Record, Value};
use spl_syntax::ast::{Command, GenericArg, GenericCommand};
use spl_syntax::Diagnostic;

/// The `xmlkv` operator.
#[derive(Clone, Debug)]
pub struct Xmlkv {
    field: String,
}

/// Builds the operator (generic-command builder for `xmlkv`).
pub fn build(
    command: &Command,
    generic: &GenericCommand,
    _ctx: &PlanContext,
) -> Result<Box<dyn Operator>, Vec<Diagnostic>> {
    let mut field = "_raw".to_string();
    for arg in &generic.args {
        match arg {
            GenericArg::Option(option) if option.name.node.eq_ignore_ascii_case("maxinputs") => {}
            other => match word_or_quoted(other) {
                Some(word) => field = word.node.clone(),
                None => {
                    return Err(vec![Diagnostic::error(
                        "spl::plan::bad_argument",
                        "`xmlkv` takes an optional field name and `maxinputs=`",
                        command.name.span,
                    )])
                }
            },
        }
    }
    Ok(Box::new(Xmlkv { field }))
}

/// The `(tag, value)` pairs of `text`, in document order.
pub fn extract(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        rest = rest.get(open + 1..).unwrap_or("");
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
            .unwrap_or(rest.len());
        let name = rest.get(..name_len).unwrap_or("");
        if name.is_empty() || !name.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            continue;
        }
        let Some(close) = rest.find('>') else {
            break;
        };
        let tag = rest.get(..close).unwrap_or("");
        let after = rest.get(close + 1..).unwrap_or("");
        if tag.ends_with('/') {
            rest = after;
            continue;
        }
        let content_len = after.find('<').unwrap_or(after.len());
        let content = after.get(..content_len).unwrap_or("");
        let closing = format!("</{name}>");
        let next = after.get(content_len..).unwrap_or("");
        if next.starts_with(&closing) && !content.is_empty() {
            pairs.push((name.to_string(), decode(content)));
        }
        rest = after;
    }
    pairs
}

/// Decodes the predefined XML entities.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

impl Operator for Xmlkv {
    fn push(
        &mut self,
        mut record: Record,
        _ctx: &mut ExecContext,
        out: &mut Vec<Record>,
    ) -> Result<(), RunError> {
        let text = record
            .get(&self.field)
            .map(|v| v.values().join("\n"))
            .unwrap_or_default();
        let mut fields: Vec<(String, Vec<String>)> = Vec::new();
        for (name, value) in extract(&text) {
            match fields.iter_mut().find(|(known, _)| *known == name) {
                Some((_, values)) => values.push(value),
                None => fields.push((name, vec![value])),
            }
        }
        for (name, values) in fields {
            if let Some(value) = Value::from_values(values) {
                record.insert(name, value);
            }
        }
        out.push(record);
        Ok(())
    }

    fn fresh(&self) -> Box<dyn Operator> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::extract;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn innermost_elements_only() {
        let found = extract(
            "<Event><System><EventID>4688</EventID><Computer>host1</Computer></System></Event>",
        );
        assert_eq!(found, pairs(&[("EventID", "4688"), ("Computer", "host1")]));
    }

    #[test]
    fn attributes_entities_and_empty_elements() {
        let found = extract(
            "<Data Name=\"CommandLine\">a &amp;&amp; b &lt;x&gt;</Data><Empty></Empty><Self/>",
        );
        assert_eq!(found, pairs(&[("Data", "a && b <x>")]));
    }

    #[test]
    fn malformed_text_gives_nothing() {
        assert!(extract("a < b and c > d").is_empty());
        assert!(extract("<unclosed>text").is_empty());
        assert!(extract("<").is_empty());
    }
}
