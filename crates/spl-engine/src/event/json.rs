//! A strict single-pass JSON scanner that writes leaves straight into a [`Record`].
//!
//! Hand-written rather than serde-based so numbers keep their source text without enabling
//! serde_json's `arbitrary_precision` for the whole workspace. It follows RFC 8259 strictly
//! (no comments, trailing commas, control characters in strings, or lone surrogates) and
//! never panics: every byte access is checked, and nesting is bounded by `max_depth`.

use super::EventError;
use crate::value::Record;
use std::borrow::Cow;
use std::collections::HashSet;

/// Extracts the fields of the JSON object or array `text`.
pub(super) fn extract(text: &str, max_depth: usize) -> Result<Record, EventError> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        position: 0,
        depth: 0,
        max_depth,
        path: String::new(),
        record: Record::new(),
        keys: Vec::new(),
    };
    scanner.skip_whitespace();
    match scanner.peek() {
        Some(b'{') => scanner.object()?,
        Some(b'[') => scanner.array()?,
        Some(_) => return Err(scanner.error("the event is not a JSON object or array")),
        None => return Err(scanner.error("the event is empty")),
    }
    scanner.skip_whitespace();
    if scanner.position < scanner.bytes.len() {
        return Err(scanner.error("unexpected text after the JSON value"));
    }
    Ok(scanner.record)
}

/// Keys per object checked for repeats by a linear scan; beyond this a hash set is used.
const LINEAR_KEY_LIMIT: usize = 32;

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    position: usize,
    depth: usize,
    max_depth: usize,
    /// The field name of the value being read.
    path: String,
    record: Record,
    /// Raw key ranges of the objects being read (a stack shared by nested objects, so no
    /// object allocates its own list).
    keys: Vec<(usize, usize)>,
}

impl<'a> Scanner<'a> {
    fn error(&self, message: &str) -> EventError {
        EventError {
            message: format!("{message} (at byte {})", self.position),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.position += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), EventError> {
        self.skip_whitespace();
        if self.peek() != Some(byte) {
            return Err(self.error(&format!("expected {what}")));
        }
        self.position += 1;
        Ok(())
    }

    fn enter(&mut self) -> Result<(), EventError> {
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(self.error(&format!(
                "JSON nesting deeper than {} levels",
                self.max_depth
            )));
        }
        Ok(())
    }

    fn value(&mut self) -> Result<(), EventError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let text = self.string()?.into_owned();
                self.leaf(text);
                Ok(())
            }
            Some(b't') => self.keyword("true"),
            Some(b'f') => self.keyword("false"),
            Some(b'n') => self.keyword("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of the event")),
        }
    }

    fn leaf(&mut self, value: String) {
        self.record.append(&self.path, value);
    }

    fn object(&mut self) -> Result<(), EventError> {
        self.enter()?;
        self.position += 1;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
            self.depth -= 1;
            return Ok(());
        }
        let parent_length = self.path.len();
        let keys_start = self.keys.len();
        let mut filter = 0u64;
        // Objects with many keys switch from a linear scan to a hash set, so an event with
        // 100,000 distinct keys stays linear instead of quadratic.
        let mut many_keys: Option<HashSet<&'a [u8]>> = None;
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a quoted object key"));
            }
            let key_start = self.position;
            let key = self.string()?;
            if parent_length > 0 {
                self.path.push('.');
            }
            self.path.push_str(&key);
            let repeated = match &mut many_keys {
                Some(set) => {
                    !set.insert(self.bytes.get(key_start..self.position).unwrap_or_default())
                }
                None => {
                    let repeated = self.is_repeated_key(keys_start, key_start, &mut filter);
                    if self.keys.len() - keys_start > LINEAR_KEY_LIMIT {
                        let bytes = self.bytes;
                        many_keys = Some(
                            self.keys[keys_start..]
                                .iter()
                                .map(|&(start, end)| bytes.get(start..end).unwrap_or_default())
                                .collect(),
                        );
                    }
                    repeated
                }
            };
            if repeated {
                self.remove_fields_under_path();
            }
            self.expect(b':', "`:` after an object key")?;
            self.value()?;
            self.path.truncate(parent_length);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.position += 1,
                Some(b'}') => {
                    self.position += 1;
                    break;
                }
                _ => return Err(self.error("expected `,` or `}` in an object")),
            }
        }
        self.keys.truncate(keys_start);
        self.depth -= 1;
        Ok(())
    }

    /// Records the key just read (from `key_start` to the current position, quotes included)
    /// and tells whether the object already had it. A 64-bit filter on (length, first
    /// character) avoids comparing keys in the common case. Keys are compared as written, so
    /// `"a"` and `"\u0061"` count as different.
    fn is_repeated_key(&mut self, keys_start: usize, key_start: usize, filter: &mut u64) -> bool {
        let key = (key_start, self.position);
        let bytes = self.bytes;
        let text_of = |(start, end): (usize, usize)| bytes.get(start..end).unwrap_or_default();
        let length = (key.1 - key.0) as u64;
        let first = u64::from(bytes.get(key_start + 1).copied().unwrap_or(0));
        let bit = 1u64 << ((length ^ first.rotate_left(3)) % 64);
        let maybe_seen = *filter & bit != 0;
        *filter |= bit;
        let seen = maybe_seen
            && self
                .keys
                .get(keys_start..)
                .unwrap_or_default()
                .iter()
                .any(|&other| text_of(other) == text_of(key));
        if !seen {
            self.keys.push(key);
        }
        seen
    }

    /// A repeated key: the fields its earlier occurrence produced are dropped (last wins).
    fn remove_fields_under_path(&mut self) {
        let path = self.path.as_str();
        self.record.retain(|name, _| {
            let Some(rest) = name.strip_prefix(path) else {
                return true;
            };
            !(rest.is_empty() || rest.starts_with('.') || rest.starts_with('{'))
        });
    }

    fn array(&mut self) -> Result<(), EventError> {
        self.enter()?;
        self.position += 1;
        let parent_length = self.path.len();
        self.path.push_str("{}");
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
        } else {
            loop {
                self.value()?;
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => self.position += 1,
                    Some(b']') => {
                        self.position += 1;
                        break;
                    }
                    _ => return Err(self.error("expected `,` or `]` in an array")),
                }
            }
        }
        self.path.truncate(parent_length);
        self.depth -= 1;
        Ok(())
    }

    fn keyword(&mut self, word: &'static str) -> Result<(), EventError> {
        let end = self.position + word.len();
        if self.bytes.get(self.position..end) != Some(word.as_bytes()) {
            return Err(self.error("expected a JSON value"));
        }
        self.position = end;
        self.leaf(word.to_string());
        Ok(())
    }

    /// A number, kept as its source text: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Result<(), EventError> {
        let start = self.position;
        if self.peek() == Some(b'-') {
            self.position += 1;
        }
        match self.peek() {
            Some(b'0') => self.position += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected digits in a number")),
        }
        if self.peek() == Some(b'.') {
            self.position += 1;
            self.required_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.position += 1;
            }
            self.required_digits()?;
        }
        let text = self.text.get(start..self.position).unwrap_or_default();
        self.leaf(text.to_string());
        Ok(())
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.position += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), EventError> {
        let start = self.position;
        self.digits();
        if self.position == start {
            return Err(self.error("expected digits in a number"));
        }
        Ok(())
    }

    /// A string starting at the opening quote; borrowed when it has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, EventError> {
        self.position += 1;
        let start = self.position;
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    let text = self.text.get(start..self.position).unwrap_or_default();
                    self.position += 1;
                    return Ok(Cow::Borrowed(text));
                }
                Some(b'\\') => break,
                Some(0x00..=0x1f) => return Err(self.error("control character in a string")),
                Some(_) => self.position += 1,
            }
        }
        let mut owned = self
            .text
            .get(start..self.position)
            .unwrap_or_default()
            .to_string();
        self.escaped_string_rest(&mut owned)?;
        Ok(Cow::Owned(owned))
    }

    fn escaped_string_rest(&mut self, owned: &mut String) -> Result<(), EventError> {
        loop {
            let chunk_start = self.position;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.position += 1;
            }
            owned.push_str(
                self.text
                    .get(chunk_start..self.position)
                    .unwrap_or_default(),
            );
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.position += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.position += 1;
                    let character = self.escape()?;
                    owned.push(character);
                }
                Some(_) => return Err(self.error("control character in a string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, EventError> {
        let byte = self.peek();
        self.position += 1;
        Ok(match byte {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(),
            _ => return Err(self.error("invalid escape in a string")),
        })
    }

    fn unicode_escape(&mut self) -> Result<char, EventError> {
        let first = self.hex4()?;
        if !(0xD800..0xE000).contains(&first) {
            return char::from_u32(first).ok_or_else(|| self.error("invalid \\u escape"));
        }
        if first >= 0xDC00 || self.bytes.get(self.position..self.position + 2) != Some(b"\\u") {
            return Err(self.error("lone surrogate in a \\u escape"));
        }
        self.position += 2;
        let second = self.hex4()?;
        if !(0xDC00..0xE000).contains(&second) {
            return Err(self.error("lone surrogate in a \\u escape"));
        }
        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, EventError> {
        let digits = self
            .text
            .get(self.position..self.position + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
        let value =
            u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid \\u escape"))?;
        self.position += 4;
        Ok(value)
    }
}
