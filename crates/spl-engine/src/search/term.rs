//! Free-text terms and phrases matched against `_raw` (spl-semantics.md §1.6).
//!
//! A term matches where it is a whole token: the character before it (if any) is a breaker
//! or the term starts with one, and the character after it (if any) is a breaker or the term
//! ends with one. Matching is case-insensitive (both sides lower-cased, see
//! [`super::lower`]). A `*` in a term matches any sequence of characters.
//! Whitespace in a phrase must match exactly (runs of whitespace are not normalised).

use super::glob::Glob;
use memchr::memmem;

/// True for the major and minor breakers of Splunk's default segmenter.
pub fn is_breaker(byte: u8) -> bool {
    matches!(
        byte,
        b'[' | b']'
            | b'<'
            | b'>'
            | b'('
            | b')'
            | b'{'
            | b'}'
            | b'|'
            | b'!'
            | b';'
            | b','
            | b'\''
            | b'"'
            | b'*'
            | b'\n'
            | b'\r'
            | b' '
            | b'\t'
            | b'&'
            | b'?'
            | b'+'
            | b'/'
            | b':'
            | b'='
            | b'@'
            | b'.'
            | b'-'
            | b'$'
            | b'#'
            | b'%'
            | b'\\'
            | b'_'
    )
}

/// A compiled free-text term (lower-cased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    glob: Glob,
}

impl Term {
    /// Compiles a lower-cased term; `*` pieces are wildcards.
    pub fn new(lowered: &str) -> Term {
        Term {
            glob: Glob::new(lowered),
        }
    }

    /// The literal pieces of the term (between `*`s).
    pub fn pieces(&self) -> &[String] {
        self.glob.pieces()
    }

    /// True when the term occurs as a token in `text` (already lower-cased).
    pub fn matches(&self, text: &str) -> bool {
        let text = text.as_bytes();
        let pieces = self.glob.pieces();
        let Some((first, rest)) = pieces.split_first() else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return find_bounded(text, first.as_bytes(), 0, true, true).is_some();
        };
        // First piece: its earliest occurrence with a left boundary leaves the most room.
        let mut position = if first.is_empty() {
            0
        } else {
            match find_bounded(text, first.as_bytes(), 0, true, false) {
                Some(end) => end,
                None => return false,
            }
        };
        for piece in middle {
            let Some(rest) = text.get(position..) else {
                return false;
            };
            match memmem::find(rest, piece.as_bytes()) {
                Some(offset) => position += offset + piece.len(),
                None => return false,
            }
        }
        if last.is_empty() {
            return true;
        }
        find_bounded(text, last.as_bytes(), position, false, true).is_some()
    }
}

/// Finds `needle` in `text` at or after `from` with the requested token boundaries and
/// returns the end offset of the first such occurrence.
fn find_bounded(text: &[u8], needle: &[u8], from: usize, left: bool, right: bool) -> Option<usize> {
    let (&needle_first, &needle_last) = (needle.first()?, needle.last()?);
    let mut start = from;
    loop {
        let offset = memmem::find(text.get(start..)?, needle)?;
        let begin = start + offset;
        let end = begin + needle.len();
        let left_ok = !left
            || is_breaker(needle_first)
            || begin == 0
            || text.get(begin - 1).copied().is_some_and(is_breaker);
        let right_ok =
            !right || is_breaker(needle_last) || text.get(end).is_none_or(|&b| is_breaker(b));
        if left_ok && right_ok {
            return Some(end);
        }
        start = begin + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::Term;

    fn term(text: &str, raw: &str) -> bool {
        Term::new(text).matches(raw)
    }

    #[test]
    fn token_boundaries() {
        assert!(!term("error", "request errors"));
        assert!(term("errors", "request errors"));
        assert!(term("10.0.0.1", "ip=10.0.0.1,"));
        assert!(!term("10.0.0.1", "ip=10.0.0.12"));
        assert!(term(
            "system:unauthenticated",
            r#"{"groups":["system:unauthenticated"]}"#
        ));
        assert!(term("unauthenticated", "system:unauthenticated"));
        assert!(term("error", "error"));
        assert!(term("user_name", "a user_name b"));
        assert!(!term("foo", "foobar foox"));
        assert!(term("foo", "foobar foo"));
    }

    #[test]
    fn wildcard_terms() {
        assert!(term("error*", "request errors"));
        assert!(term("fail*", "login failed"));
        assert!(!term("fail*", "nofailure"));
        assert!(term("*ors", "request errors"));
        assert!(!term("*ors", "request errorsx"));
        assert!(term("e*s", "request errors"));
        assert!(term("re*est", "a request b"));
    }
}
