//! Finding comments and macro calls: backticks outside double-quoted strings.
//!
//! ```text
//! `kube_audit` verb=get ```a comment``` "a `quoted` backtick" | `m("x", 2)`
//! ^^^^^^^^^^^^          ^^^^^^^^^^^^^^^                        ^^^^^^^^^^^
//!     call                  comment         (not a call)           call
//! ```
//!
//! A backslash escapes the next character, inside double quotes and outside them. Four or more backticks in a
//! row are rejected, as contentctl does, because they make comment and call boundaries
//! ambiguous.

use crate::span::Span;

/// A comment or a macro call, with the span of its backticks included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// ```` ```…``` ````
    Comment(Span),
    /// `` `…` ``
    Call(Span),
}

/// A lexical problem at a byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// ```` ```` ```` (four or more backticks) at this offset, length of the run.
    TooManyBackticks { offset: usize, length: usize },
    /// A ```` ``` ```` comment that is never closed.
    UnterminatedComment { offset: usize },
    /// A `` ` `` that is never closed.
    UnterminatedCall { offset: usize },
}

/// The first comment or call at or after `from`, which must be outside quotes.
pub(crate) fn next_token(text: &str, from: usize) -> Result<Option<Token>, ScanError> {
    let bytes = text.as_bytes();
    let mut index = from;
    let mut in_quotes = false;
    while let Some(&byte) = bytes.get(index) {
        if in_quotes {
            match byte {
                b'\\' => index += 1,
                b'"' => in_quotes = false,
                _ => {}
            }
            index += 1;
            continue;
        }
        match byte {
            // Outside quotes too, a backslash makes the next character literal: in
            // `a=*\"x\"*` the escaped quotes open no string.
            b'\\' => index += 1,
            b'"' => in_quotes = true,
            b'`' => return backtick_token(bytes, index).map(Some),
            _ => {}
        }
        index += 1;
    }
    Ok(None)
}

/// The token starting with the backtick at `start`.
fn backtick_token(bytes: &[u8], start: usize) -> Result<Token, ScanError> {
    let run = backtick_run(bytes, start);
    if run >= 4 {
        return Err(ScanError::TooManyBackticks {
            offset: start,
            length: run,
        });
    }
    if run == 3 {
        return comment(bytes, start);
    }
    let end =
        find_backtick(bytes, start + 1).ok_or(ScanError::UnterminatedCall { offset: start })?;
    Ok(Token::Call(Span::new(start, end + 1)))
}

/// The comment opened by the three backticks at `start`.
fn comment(bytes: &[u8], start: usize) -> Result<Token, ScanError> {
    let mut index = start + 3;
    while let Some(close) = find_backtick(bytes, index) {
        let run = backtick_run(bytes, close);
        if run >= 4 {
            return Err(ScanError::TooManyBackticks {
                offset: close,
                length: run,
            });
        }
        if run == 3 {
            return Ok(Token::Comment(Span::new(start, close + 3)));
        }
        index = close + run;
    }
    Err(ScanError::UnterminatedComment { offset: start })
}

/// The number of consecutive backticks starting at `start`.
fn backtick_run(bytes: &[u8], start: usize) -> usize {
    bytes
        .get(start..)
        .map_or(0, |rest| rest.iter().take_while(|&&b| b == b'`').count())
}

/// The offset of the next backtick at or after `from`.
fn find_backtick(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| b == b'`').map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_backticks_inside_quotes() {
        let text = r#"a="x`y\"`z" `m`"#;
        assert_eq!(
            next_token(text, 0),
            Ok(Some(Token::Call(Span::new(12, 15))))
        );
    }

    #[test]
    fn escaped_quotes_outside_strings_open_no_string() {
        let text = r#"a=*\"x\":y* | `m`"#;
        assert_eq!(
            next_token(text, 0),
            Ok(Some(Token::Call(Span::new(14, 17))))
        );
    }

    #[test]
    fn finds_comments_and_rejects_four_backticks() {
        assert_eq!(
            next_token("a ```c `m` d``` b", 0),
            Ok(Some(Token::Comment(Span::new(2, 15))))
        );
        assert_eq!(
            next_token("a ````", 0),
            Err(ScanError::TooManyBackticks {
                offset: 2,
                length: 4
            })
        );
        assert_eq!(
            next_token("a ```open", 0),
            Err(ScanError::UnterminatedComment { offset: 2 })
        );
        assert_eq!(
            next_token("a `open", 0),
            Err(ScanError::UnterminatedCall { offset: 2 })
        );
    }
}
