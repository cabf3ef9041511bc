//! The inside of a macro call: `name` or `name(arg, arg, …)`.
//!
//! Arguments are split on commas that are neither inside double quotes nor inside
//! parentheses, and trimmed: `` `m("a,b", f(x, y), c)` `` has the three arguments `"a,b"`,
//! `f(x, y)` and `c`. `` `m()` `` has no argument.

use crate::span::Span;

/// A parsed macro call. Spans are byte ranges of the text the call was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Call {
    pub(crate) name: String,
    pub(crate) arguments: Vec<Span>,
}

/// Parses the call whose backticks span `call` in `text`; the error says what is wrong.
pub(crate) fn parse_call(text: &str, call: Span) -> Result<Call, String> {
    let inner = Span::new(call.start + 1, call.end.saturating_sub(1));
    let content = text.get(inner.start..inner.end).unwrap_or("");
    let Some(open) = content.find('(') else {
        let name = content.trim();
        check_name(name)?;
        return Ok(Call {
            name: name.to_string(),
            arguments: Vec::new(),
        });
    };
    let name = content.get(..open).unwrap_or("").trim();
    check_name(name)?;
    let after_open = inner.start + open + 1;
    let trimmed_end = inner.start + content.trim_end().len();
    if !text.get(..trimmed_end).unwrap_or("").ends_with(')') || trimmed_end <= after_open {
        return Err(format!(
            "the argument list of `{name}` is not closed by `)`"
        ));
    }
    let arguments = split_arguments(text, Span::new(after_open, trimmed_end - 1))?;
    Ok(Call {
        name: name.to_string(),
        arguments,
    })
}

/// Rejects empty names and names with characters a macro name cannot hold.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the macro name is empty".to_string());
    }
    let bad = |c: char| c.is_whitespace() || "()\"',=$`|[]".contains(c);
    if let Some(c) = name.chars().find(|&c| bad(c)) {
        return Err(format!("`{name}` is not a macro name (it contains `{c}`)"));
    }
    Ok(())
}

/// Splits `region` of `text` on top-level commas and trims each argument.
fn split_arguments(text: &str, region: Span) -> Result<Vec<Span>, String> {
    let bytes = text.as_bytes();
    let Some(slice) = bytes.get(region.start..region.end) else {
        return Ok(Vec::new());
    };
    if slice.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let mut arguments = Vec::new();
    let mut depth = 0usize;
    let mut in_quotes = false;
    let mut escaped = false;
    let mut start = region.start;
    for (i, &byte) in slice.iter().enumerate() {
        let offset = region.start + i;
        if in_quotes {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_quotes = false,
                _ => {}
            }
            continue;
        }
        if escaped {
            escaped = false;
            continue;
        }
        match byte {
            b'\\' => escaped = true,
            b'"' => in_quotes = true,
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                arguments.push(trim(text, Span::new(start, offset)));
                start = offset + 1;
            }
            _ => {}
        }
    }
    if in_quotes {
        return Err("an argument has an unclosed double quote".to_string());
    }
    arguments.push(trim(text, Span::new(start, region.end)));
    Ok(arguments)
}

/// `span` without surrounding whitespace.
fn trim(text: &str, span: Span) -> Span {
    let piece = text.get(span.start..span.end).unwrap_or("");
    let leading = piece.len() - piece.trim_start().len();
    let trailing = piece.len() - piece.trim_end().len();
    if leading == piece.len() {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + leading, span.end - trailing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arguments(text: &str) -> Vec<&str> {
        let call = parse_call(text, Span::new(0, text.len())).unwrap();
        call.arguments
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn splits_on_top_level_commas_only() {
        assert_eq!(
            arguments(r#"`m( "a,b" , f(x, y),c )`"#),
            vec![r#""a,b""#, "f(x, y)", "c"]
        );
        assert_eq!(arguments("`m()`"), Vec::<&str>::new());
        assert_eq!(arguments("`m`"), Vec::<&str>::new());
        assert_eq!(arguments("`m(a,,b)`"), vec!["a", "", "b"]);
    }

    #[test]
    fn rejects_malformed_calls() {
        assert!(parse_call("`m(a`", Span::new(0, 5)).is_err());
        assert!(parse_call("` `", Span::new(0, 3)).is_err());
        assert!(parse_call("`a b`", Span::new(0, 5)).is_err());
    }
}
