//! `$arg$` substitution (spl-semantics §7.2 step 4).
//!
//! Every `$name$` whose `name` is an argument of the macro is replaced, wherever it is,
//! including inside double quotes. Quote rule (engine decision, §7.2): when the argument is
//! itself wrapped in double quotes and the `$name$` occurrence is inside a double-quoted
//! string of the definition, the argument goes in without its quotes, so
//! `` `drop_dm_object_name("Web")` `` with `rename "$object$.*" as *` gives
//! `rename "Web.*" as *`. Otherwise the argument goes in verbatim.

use super::source_map::{MappedText, Provenance};
use crate::span::Span;

/// One argument: its name in the definition and its text in the caller.
pub(crate) struct Binding<'a> {
    pub(crate) name: &'a str,
    pub(crate) value: Span,
}

/// The definition of frame `frame` with every `$name$` replaced by its binding.
pub(crate) fn substitute(
    definition: &str,
    frame: usize,
    bindings: &[Binding<'_>],
    caller: &MappedText,
) -> MappedText {
    let mut output = MappedText::default();
    let bytes = definition.as_bytes();
    let mut literal_start = 0;
    let mut index = 0;
    let mut in_quotes = false;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            // `\"` and `\\` do not open or close a string; `\$x$` is still substituted.
            b'\\' if matches!(bytes.get(index + 1), Some(b'"' | b'\\')) => {
                index += 2;
                continue;
            }
            b'"' => in_quotes = !in_quotes,
            b'$' => {
                if let Some((binding, end)) = binding_at(definition, index, bindings) {
                    push_literal(&mut output, definition, frame, literal_start, index);
                    push_argument(&mut output, caller, binding.value, in_quotes);
                    index = end;
                    literal_start = end;
                    continue;
                }
            }
            _ => {}
        }
        index += 1;
    }
    push_literal(
        &mut output,
        definition,
        frame,
        literal_start,
        definition.len(),
    );
    output
}

/// The binding named by `$name$` starting at `dollar`, and the offset after it.
fn binding_at<'b, 'a>(
    definition: &str,
    dollar: usize,
    bindings: &'b [Binding<'a>],
) -> Option<(&'b Binding<'a>, usize)> {
    let rest = definition.get(dollar + 1..)?;
    let close = rest.find('$')?;
    let name = rest.get(..close)?;
    let binding = bindings.iter().find(|b| b.name == name)?;
    Some((binding, dollar + 1 + close + 1))
}

fn push_literal(output: &mut MappedText, definition: &str, frame: usize, start: usize, end: usize) {
    let Some(text) = definition.get(start..end) else {
        return;
    };
    output.push(
        text,
        Provenance::Macro {
            frame,
            offset: start,
        },
    );
}

fn push_argument(output: &mut MappedText, caller: &MappedText, value: Span, in_quotes: bool) {
    let text = caller.text.get(value.start..value.end).unwrap_or("");
    let quoted = text.len() >= 2 && text.starts_with('"') && text.ends_with('"');
    if in_quotes && quoted {
        output.push_slice(caller, Span::new(value.start + 1, value.end - 1));
        return;
    }
    output.push_slice(caller, value);
}
