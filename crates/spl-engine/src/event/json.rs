//! A strict single-pass JSON scanner that writes leaves straight into a [`Record`].
//!
//! Hand-written rather than serde-based so numbers keep their source text without enabling
//! serde_json's `arbitrary_precision` for the whole workspace. It follows RFC 8259 strictly
//! (no comments, trailing commas, control characters in strings, or lone surrogates) and
//! never panics: every byte access is checked, and nesting is bounded by `max_depth`.

mod skip;

use super::EventError;
use crate::projection::FieldSelection;
use crate::value::{Record, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

/// Fields the caller adds to every event, so a JSON key of the same name must be replaced.
pub(super) const RESERVED_FIELDS: [&str; 6] =
    ["_raw", "_time", "source", "sourcetype", "host", "index"];

/// Bytes reserved for field names (most are shorter), so the name being built rarely grows.
const INITIAL_PATH_CAPACITY: usize = 128;

/// Room reserved in a new record when every field is extracted (most events have fewer).
const INITIAL_FIELDS: usize = 24;

/// Room reserved beyond the selected names for the fields added after extraction (`_raw`,
/// `_time`, the default fields).
const ADDED_FIELDS: usize = 6;

/// An extracted event: its fields, and whether a top-level key has the name of one of
/// [`RESERVED_FIELDS`].
pub(super) struct Extracted {
    pub(super) record: Record,
    pub(super) has_reserved_key: bool,
}

/// Extracts the fields of the JSON object or array `text`; with a `selection`, values of
/// object keys that cannot hold a selected field are validated but not extracted.
pub(super) fn extract(
    text: &str,
    max_depth: usize,
    selection: Option<&FieldSelection>,
) -> Result<Extracted, EventError> {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        position: 0,
        depth: 0,
        max_depth,
        path: String::with_capacity(INITIAL_PATH_CAPACITY),
        fields: Fields::Plain(Record::with_capacity(
            selection
                .and_then(FieldSelection::count)
                .map_or(INITIAL_FIELDS, |count| {
                    count.min(INITIAL_FIELDS) + ADDED_FIELDS
                }),
        )),
        keys: Vec::new(),
        selection: selection.filter(|s| !s.is_all()),
        skipping: false,
        has_reserved_key: false,
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
    Ok(Extracted {
        has_reserved_key: scanner.has_reserved_key,
        record: scanner.fields.into_record(),
    })
}

/// True for the names of [`RESERVED_FIELDS`] (a `match`, so each is compared as a constant).
fn is_reserved_field(key: &str) -> bool {
    matches!(
        key,
        "_raw" | "_time" | "source" | "sourcetype" | "host" | "index"
    )
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
    fields: Fields,
    /// Raw key ranges of the objects being read (a stack shared by nested objects, so no
    /// object allocates its own list).
    keys: Vec<(usize, usize)>,
    /// The fields to extract (`None`: all).
    selection: Option<&'a FieldSelection>,
    /// True while reading a value nothing selected: it is validated, not extracted.
    skipping: bool,
    /// A top-level key is one of [`RESERVED_FIELDS`].
    has_reserved_key: bool,
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
            Some(b'"') if self.skipping => self.skip_string(),
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
        self.fields.append(&self.path, value);
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
            if self.skipping {
                self.skip_member()?;
            } else {
                self.member(parent_length, keys_start, &mut filter, &mut many_keys)?;
            }
            if !self.more_elements(b'}', "expected `,` or `}` in an object")? {
                break;
            }
        }
        self.keys.truncate(keys_start);
        self.depth -= 1;
        Ok(())
    }

    /// One `"key": value` member of an object inside a skipped value.
    fn skip_member(&mut self) -> Result<(), EventError> {
        self.skip_string()?;
        self.expect(b':', "`:` after an object key")?;
        self.value()
    }

    /// One `"key": value` member: the key extends the path; a repeated key drops what its
    /// earlier occurrence produced; a key that cannot hold a selected field is skipped.
    fn member(
        &mut self,
        parent_length: usize,
        keys_start: usize,
        filter: &mut u64,
        many_keys: &mut Option<HashSet<&'a [u8]>>,
    ) -> Result<(), EventError> {
        let key_start = self.position;
        let key = self.string()?;
        if parent_length > 0 {
            self.path.push('.');
        } else if is_reserved_field(&key) {
            self.has_reserved_key = true;
        }
        self.path.push_str(&key);
        // A top-level empty key leaves the path empty, so the keys inside it name fields as
        // top-level keys do: no selection rules its value out.
        let wanted =
            self.path.is_empty() || self.selection.is_none_or(|s| s.wants_path(&self.path));
        let repeated = wanted
            && match many_keys {
                Some(set) => {
                    !set.insert(self.bytes.get(key_start..self.position).unwrap_or_default())
                }
                None => {
                    let repeated = self.is_repeated_key(keys_start, key_start, filter);
                    if self.keys.len() - keys_start > LINEAR_KEY_LIMIT {
                        let bytes = self.bytes;
                        *many_keys = Some(
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
            self.fields.remove_under(&self.path);
        }
        self.expect(b':', "`:` after an object key")?;
        if wanted {
            self.value()?;
        } else {
            self.skip_value()?;
        }
        self.path.truncate(parent_length);
        Ok(())
    }

    /// Validates a value nothing selected without extracting it: the fast check of
    /// [`skip::value_end`] first, and where it cannot vouch for the value, the exact scanner
    /// (which finds the same error at the same byte).
    fn skip_value(&mut self) -> Result<(), EventError> {
        let depth_room = self.max_depth.saturating_sub(self.depth);
        if let Some(end) = skip::value_end(self.bytes, self.position, depth_room) {
            self.position = end;
            return Ok(());
        }
        self.skipping = true;
        let read = self.value();
        self.skipping = false;
        read
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

    fn array(&mut self) -> Result<(), EventError> {
        self.enter()?;
        self.position += 1;
        let parent_length = self.path.len();
        if !self.skipping {
            self.path.push_str("{}");
        }
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
        } else {
            loop {
                self.value()?;
                if !self.more_elements(b']', "expected `,` or `]` in an array")? {
                    break;
                }
            }
        }
        self.path.truncate(parent_length);
        self.depth -= 1;
        Ok(())
    }

    /// After an element of an object or array: `true` past a `,` (another element follows),
    /// `false` past `close` (the container ends), else the error `message`.
    fn more_elements(&mut self, close: u8, message: &'static str) -> Result<bool, EventError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.position += 1;
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.position += 1;
                Ok(false)
            }
            _ => Err(self.error(message)),
        }
    }

    fn keyword(&mut self, word: &'static str) -> Result<(), EventError> {
        let end = self.position + word.len();
        if self.bytes.get(self.position..end) != Some(word.as_bytes()) {
            return Err(self.error("expected a JSON value"));
        }
        self.position = end;
        if !self.skipping {
            self.leaf(word.to_string());
        }
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
        if !self.skipping {
            let text = self.text.get(start..self.position).unwrap_or_default();
            self.leaf(text.to_string());
        }
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
        self.position = skip::first_special(self.bytes, start);
        match self.peek() {
            None => return Err(self.error("unterminated string")),
            Some(b'"') => {
                let text = self.text.get(start..self.position).unwrap_or_default();
                self.position += 1;
                return Ok(Cow::Borrowed(text));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.error("control character in a string")),
        }
        let mut owned = self
            .text
            .get(start..self.position)
            .unwrap_or_default()
            .to_string();
        self.escaped_string_rest(&mut owned)?;
        Ok(Cow::Owned(owned))
    }

    /// Validates a string starting at the opening quote without building it (the exact
    /// scanner's path for skipped values that [`skip::value_end`] could not vouch for).
    fn skip_string(&mut self) -> Result<(), EventError> {
        self.string().map(drop)
    }

    fn escaped_string_rest(&mut self, owned: &mut String) -> Result<(), EventError> {
        loop {
            let chunk_start = self.position;
            self.position = skip::first_special(self.bytes, chunk_start);
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

/// The fields being built. Plain until a key repeats in an object; then indexed by name, so
/// that dropping a repeated key's fields costs O(log n + removed) instead of a pass over
/// every field (an object with 100 000 repeated keys stays O(n log n)).
enum Fields {
    Plain(Record),
    Indexed(IndexedFields),
}

/// Fields in order of first appearance, with removed ones left as holes, and a sorted index
/// from name to position for prefix removal.
#[derive(Default)]
struct IndexedFields {
    entries: Vec<Option<(String, Value)>>,
    positions: BTreeMap<String, usize>,
}

impl Fields {
    fn append(&mut self, name: &str, value: String) {
        match self {
            Fields::Plain(record) => record.append(name, value),
            Fields::Indexed(indexed) => indexed.append(name, value),
        }
    }

    /// Removes the field `path` and every field under it (`path.…`, `path{…`): the fields
    /// an earlier occurrence of a repeated key produced (last wins).
    fn remove_under(&mut self, path: &str) {
        if let Fields::Plain(record) = self {
            let taken = std::mem::take(record);
            *self = Fields::Indexed(IndexedFields::from_record(taken));
        }
        if let Fields::Indexed(indexed) = self {
            indexed.remove_under(path);
        }
    }

    fn into_record(self) -> Record {
        match self {
            Fields::Plain(record) => record,
            Fields::Indexed(indexed) => indexed.entries.into_iter().flatten().collect(),
        }
    }
}

impl IndexedFields {
    fn from_record(record: Record) -> IndexedFields {
        let mut indexed = IndexedFields::default();
        for (name, value) in record.iter() {
            indexed
                .positions
                .insert(name.to_string(), indexed.entries.len());
            indexed
                .entries
                .push(Some((name.to_string(), value.clone())));
        }
        indexed
    }

    fn append(&mut self, name: &str, value: String) {
        let existing = self.positions.get(name).copied();
        if let Some((_, field)) = existing
            .and_then(|at| self.entries.get_mut(at))
            .and_then(Option::as_mut)
        {
            field.push(value);
            return;
        }
        self.positions.insert(name.to_string(), self.entries.len());
        self.entries
            .push(Some((name.to_string(), Value::Single(value))));
    }

    fn remove_under(&mut self, path: &str) {
        let mut doomed: Vec<String> = Vec::new();
        if self.positions.contains_key(path) {
            doomed.push(path.to_string());
        }
        // Names starting with `path.` sort in [`path.`, `path/`), those starting with
        // `path{` in [`path{`, `path|`) (`/` and `|` follow `.` and `{`).
        for (separator, after) in [(".", "/"), ("{", "|")] {
            let low = format!("{path}{separator}");
            let high = format!("{path}{after}");
            doomed.extend(
                self.positions
                    .range(low..high)
                    .map(|(name, _)| name.clone()),
            );
        }
        for name in doomed {
            if let Some(at) = self.positions.remove(&name) {
                if let Some(entry) = self.entries.get_mut(at) {
                    *entry = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str, selection: Option<&FieldSelection>) -> Result<Record, EventError> {
        extract(text, 512, selection).map(|extracted| extracted.record)
    }

    #[test]
    fn repeated_keys_keep_the_last_value_among_many_fields() {
        // 50 000 distinct keys, then one key repeated 50 000 times: each repeat used to scan
        // every field (quadratic); the index makes each removal O(log n).
        let mut text = String::from("{");
        for index in 0..50_000 {
            text.push_str(&format!("\"b{index}\":{index},"));
        }
        for index in 0..50_000 {
            text.push_str(&format!("\"a\":{index},"));
        }
        text.push_str("\"z\":{\"y\":1}}");
        let record = fields(&text, None).expect("valid JSON");
        assert_eq!(record.len(), 50_002);
        assert_eq!(record.get("a").map(Value::first), Some("49999"));
        assert_eq!(record.get("b123").map(Value::first), Some("123"));
        let names: Vec<&str> = record.names().skip(49_999).collect();
        assert_eq!(
            names,
            ["b49999", "a", "z.y"],
            "a repeated key moves to its last place"
        );
    }

    #[test]
    fn one_key_repeated_100k_times() {
        let mut text = String::from("{");
        for index in 0..100_000 {
            text.push_str(&format!("\"a\":{index},"));
        }
        text.push_str("\"a\":\"last\"}");
        let record = fields(&text, None).expect("valid JSON");
        assert_eq!(record.len(), 1);
        assert_eq!(
            record.get("a").map(Value::values),
            Some(&["last".to_string()][..])
        );
    }

    #[test]
    fn a_repeated_key_drops_everything_under_it() {
        let record = fields(
            r#"{"a":{"x":1,"y":[2,3]},"ab":4,"a.":5,"a":{"z":6},"c":[{"k":1},{"k":2,"k":3}]}"#,
            None,
        )
        .expect("valid JSON");
        let names: Vec<&str> = record.names().collect();
        // `a.` is the field of the key "a." (nested keys join with a dot), so it is under `a`.
        assert_eq!(names, ["ab", "a.z", "c{}.k"]);
        assert_eq!(
            record.get("c{}.k").map(Value::values),
            Some(&["3".to_string()][..])
        );
    }

    #[test]
    fn projection_extracts_selected_fields_only() {
        let selection = FieldSelection::only(["user.name", "tags{}", "_time"]);
        let text = r#"{"user":{"name":"x","id":7},"tags":["a","b"],"big":{"deep":[1,{"k":"v\n"}]},"time":"t"}"#;
        let record = fields(text, Some(&selection)).expect("valid JSON");
        let names: Vec<&str> = record.names().collect();
        assert_eq!(names, ["user.name", "tags{}", "time"]);
        assert_eq!(record.get("tags{}").map(Value::len), Some(2));
    }

    #[test]
    fn reserved_fields_are_recognised() {
        for name in RESERVED_FIELDS {
            assert!(is_reserved_field(name), "{name}");
        }
        for name in ["", "raw", "_raw ", "Source", "hostname", "indexes"] {
            assert!(!is_reserved_field(name), "{name}");
        }
    }

    #[test]
    fn keys_under_an_empty_top_level_key_are_selected_like_top_level_keys() {
        // Under a top-level `""` the path stays empty, so `{"":{"user":1}}` gives the field
        // `user`, as `{"user":1}` does: projection must read the value of `""`.
        let selection = FieldSelection::only(["user"]);
        let record = fields(r#"{"":{"user":1,"other":2}}"#, Some(&selection)).expect("valid");
        let names: Vec<&str> = record.names().collect();
        assert_eq!(names, ["user"]);
    }

    #[test]
    fn skipped_values_are_still_validated_with_the_same_errors() {
        let selection = FieldSelection::only(["keep"]);
        for text in [
            r#"{"keep":1,"skip":"unterminated}"#,
            r#"{"keep":1,"skip":"bad \q escape"}"#,
            "{\"keep\":1,\"skip\":\"control \u{1} character\"}",
            r#"{"keep":1,"skip":"lone \ud800 surrogate"}"#,
            r#"{"keep":1,"skip":[1,2,}"#,
            r#"{"keep":1,"skip":{"a" 1}}"#,
            r#"{"keep":1,"skip":{"a":01}}"#,
            r#"{"keep":1,"skip":tru}"#,
            r#"{"keep":1,"skip":[[[[1]]]]}"#,
            r#"{"skip":{"a":1,}}"#,
            r#"{"skip":"0123456789abcdef\"0123456789abcdef\\"} x"#,
        ] {
            let full = extract(text, 4, None).map(|e| e.record);
            let projected = extract(text, 4, Some(&selection)).map(|e| e.record);
            assert_eq!(full.err(), projected.err(), "{text}");
        }
    }
}
