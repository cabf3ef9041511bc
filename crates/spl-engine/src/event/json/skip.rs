//! Fast validation of JSON text nobody extracts: the values projection skips, and the
//! search for the end of a string.
//!
//! [`value_end`] walks a whole value (object, array or scalar) in one loop, with a bit stack
//! of open containers instead of recursion, and answers only "valid, ending here" or "not
//! sure". It accepts a subset of what the exact scanner in `json.rs` accepts, and ends where
//! that scanner ends; whenever it says "not sure" (malformed text, nesting deeper than its
//! stack), the caller reads the value again with the exact scanner, which reports the error
//! and its byte offset. So the fast path decides speed, never results.
//!
//! Strings are searched sixteen bytes at a time for the bytes that need a closer look (quote,
//! backslash, control characters), with portable SIMD from the `wide` crate (SSE2 on x86-64,
//! NEON on AArch64, plain arrays elsewhere).

use wide::u8x16;

/// Open containers [`value_end`] tracks itself; deeper values go to the exact scanner.
const STACK_BITS: usize = 64;

/// Bytes of a string looked at at once.
const BLOCK: usize = 16;

/// The position just past the JSON value starting at `start` (after optional whitespace),
/// when the value is valid RFC 8259 and nests at most `depth_room` objects and arrays deep
/// (the value itself counting one). `None` when it is not valid, or when this fast check
/// cannot tell.
pub(super) fn value_end(bytes: &[u8], start: usize, depth_room: usize) -> Option<usize> {
    let limit = depth_room.min(STACK_BITS);
    let mut position = start;
    // One bit per open container, the innermost lowest: 1 for an object, 0 for an array.
    let mut stack: u64 = 0;
    let mut depth = 0usize;
    loop {
        // A value is expected at `position`.
        position = skip_whitespace(bytes, position);
        match *bytes.get(position)? {
            b'"' => position = string_end(bytes, position + 1)?,
            open @ (b'{' | b'[') => {
                depth += 1;
                if depth > limit {
                    return None;
                }
                let object = open == b'{';
                let close = if object { b'}' } else { b']' };
                position = skip_whitespace(bytes, position + 1);
                if bytes.get(position) != Some(&close) {
                    stack = (stack << 1) | u64::from(object);
                    if object {
                        position = key_and_colon(bytes, position)?;
                    }
                    continue;
                }
                depth -= 1;
                position += 1;
            }
            b't' => position = literal_end(bytes, position, b"true")?,
            b'f' => position = literal_end(bytes, position, b"false")?,
            b'n' => position = literal_end(bytes, position, b"null")?,
            b'-' | b'0'..=b'9' => position = number_end(bytes, position)?,
            _ => return None,
        }
        // After a value: close containers until another element follows.
        loop {
            if depth == 0 {
                return Some(position);
            }
            position = skip_whitespace(bytes, position);
            let in_object = stack & 1 == 1;
            match (*bytes.get(position)?, in_object) {
                (b',', true) => {
                    position = key_and_colon(bytes, skip_whitespace(bytes, position + 1))?;
                    break;
                }
                (b',', false) => {
                    position += 1;
                    break;
                }
                (b'}', true) | (b']', false) => {
                    position += 1;
                    depth -= 1;
                    stack >>= 1;
                }
                _ => return None,
            }
        }
    }
}

/// The position of the first byte at or after `position` that is not JSON whitespace.
#[inline(always)]
fn skip_whitespace(bytes: &[u8], mut position: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(position) {
        position += 1;
    }
    position
}

/// Past `"key"` and `:` (with whitespace before the colon), the key starting at `position`.
#[inline(always)]
fn key_and_colon(bytes: &[u8], position: usize) -> Option<usize> {
    if bytes.get(position) != Some(&b'"') {
        return None;
    }
    let position = skip_whitespace(bytes, string_end(bytes, position + 1)?);
    if bytes.get(position) != Some(&b':') {
        return None;
    }
    Some(position + 1)
}

/// Past the keyword `word` (`true`, `false`, `null`) starting at `position`.
#[inline(always)]
fn literal_end(bytes: &[u8], position: usize, word: &[u8]) -> Option<usize> {
    let end = position + word.len();
    (bytes.get(position..end)? == word).then_some(end)
}

/// Past the number starting at `position`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn number_end(bytes: &[u8], mut position: usize) -> Option<usize> {
    if bytes.get(position) == Some(&b'-') {
        position += 1;
    }
    match bytes.get(position)? {
        b'0' => position += 1,
        b'1'..=b'9' => position = digits_end(bytes, position + 1),
        _ => return None,
    }
    if bytes.get(position) == Some(&b'.') {
        position = required_digits_end(bytes, position + 1)?;
    }
    if let Some(b'e' | b'E') = bytes.get(position) {
        position += 1;
        if let Some(b'+' | b'-') = bytes.get(position) {
            position += 1;
        }
        position = required_digits_end(bytes, position)?;
    }
    Some(position)
}

fn digits_end(bytes: &[u8], mut position: usize) -> usize {
    while let Some(b'0'..=b'9') = bytes.get(position) {
        position += 1;
    }
    position
}

fn required_digits_end(bytes: &[u8], position: usize) -> Option<usize> {
    let end = digits_end(bytes, position);
    (end > position).then_some(end)
}

/// Past the closing quote of the string whose text starts at `position` (just after the
/// opening quote), when the string is valid: no control characters, valid escapes, no lone
/// surrogates.
#[inline(always)]
fn string_end(bytes: &[u8], mut position: usize) -> Option<usize> {
    loop {
        if let Some(block) = bytes.get(position..).and_then(<[u8]>::first_chunk::<BLOCK>) {
            let (quotes, specials) = block_masks(block);
            if specials == 0 {
                position += BLOCK;
                continue;
            }
            let offset = specials.trailing_zeros() as usize;
            // The first special byte is a quote: read from the masks, not from memory, which
            // would wait for the address.
            if quotes & specials & specials.wrapping_neg() != 0 {
                return Some(position + offset + 1);
            }
            position += offset;
        } else {
            position = first_special(bytes, position);
        }
        match *bytes.get(position)? {
            b'"' => return Some(position + 1),
            b'\\' => position = escape_end(bytes, position + 1)?,
            _ => return None,
        }
    }
}

/// Past a valid escape whose letter is at `position` (just after the backslash).
fn escape_end(bytes: &[u8], position: usize) -> Option<usize> {
    match bytes.get(position)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(position + 1),
        b'u' => unicode_escape_end(bytes, position + 1),
        _ => None,
    }
}

/// Past the four hex digits at `position` (after `\u`), and the low surrogate escape that
/// must follow a high surrogate.
fn unicode_escape_end(bytes: &[u8], position: usize) -> Option<usize> {
    let first = hex4(bytes, position)?;
    if !(0xD800..0xE000).contains(&first) {
        return Some(position + 4);
    }
    if first >= 0xDC00 || bytes.get(position + 4..position + 6)? != b"\\u" {
        return None;
    }
    let second = hex4(bytes, position + 6)?;
    (0xDC00..0xE000).contains(&second).then_some(position + 10)
}

fn hex4(bytes: &[u8], position: usize) -> Option<u32> {
    bytes
        .get(position..position + 4)?
        .iter()
        .try_fold(0u32, |value, byte| {
            let digit = char::from(*byte).to_digit(16)?;
            Some(value << 4 | digit)
        })
}

/// The position of the first quote, backslash or control character (byte below 0x20) at or
/// after `position`; the length of `bytes` when there is none.
#[inline]
pub(super) fn first_special(bytes: &[u8], mut position: usize) -> usize {
    while let Some(block) = bytes.get(position..).and_then(<[u8]>::first_chunk::<BLOCK>) {
        let (_, specials) = block_masks(block);
        if specials != 0 {
            return position + specials.trailing_zeros() as usize;
        }
        position += BLOCK;
    }
    while let Some(&byte) = bytes.get(position) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            break;
        }
        position += 1;
    }
    position
}

/// One bit per byte of `block` (bit `i` for byte `i`): the quotes, and every byte that needs
/// a closer look in a string (quote, backslash, control character).
#[inline(always)]
fn block_masks(block: &[u8; BLOCK]) -> (u32, u32) {
    let block = u8x16::new(*block);
    let quotes = block.cmp_eq(u8x16::splat(b'"'));
    let backslashes = block.cmp_eq(u8x16::splat(b'\\'));
    // Unsigned `byte <= 0x1f`, as `min(byte, 0x1f) == byte`.
    let controls = block.min(u8x16::splat(0x1f)).cmp_eq(block);
    let mask = |lanes: u8x16| lanes.move_mask() as u32;
    (mask(quotes), mask(quotes | backslashes | controls))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_special_byte_is_found_exactly() {
        for special in [b'"', b'\\', 0x00, 0x1f] {
            for length in 0..40 {
                for at in 0..length {
                    let mut bytes = vec![b'a'; length];
                    bytes[at] = special;
                    for later in bytes.iter_mut().skip(at + 1) {
                        *later = b'"';
                    }
                    assert_eq!(
                        first_special(&bytes, 0),
                        at,
                        "{special} at {at} of {length}"
                    );
                }
                assert_eq!(first_special(&vec![b'a'; length], 0), length);
            }
        }
    }

    #[test]
    fn ordinary_bytes_need_no_attention() {
        for plain in (0x20u8..=0xff).filter(|b| *b != b'"' && *b != b'\\') {
            assert_eq!(block_masks(&[plain; BLOCK]), (0, 0), "{plain}");
        }
        let mut block = [b'a'; BLOCK];
        block[3] = b'\\';
        block[5] = b'"';
        block[9] = 0x1f;
        block[15] = 0;
        assert_eq!(
            block_masks(&block),
            (1 << 5, 1 << 3 | 1 << 5 | 1 << 9 | 1 << 15)
        );
    }

    #[test]
    fn string_ends_are_found_in_and_across_blocks() {
        for length in 0..40 {
            let text = format!("{}\"", "x".repeat(length));
            assert_eq!(string_end(text.as_bytes(), 0), Some(length + 1), "{text}");
            let escaped = format!("{}\\\"\"", "x".repeat(length));
            assert_eq!(
                string_end(escaped.as_bytes(), 0),
                Some(length + 3),
                "{escaped}"
            );
            let control = format!("{}\u{1}\"", "x".repeat(length));
            assert_eq!(string_end(control.as_bytes(), 0), None, "{control}");
            assert_eq!(string_end("x".repeat(length).as_bytes(), 0), None);
        }
    }

    #[test]
    fn valid_values_end_where_they_end() {
        for (value, rest) in [
            (
                r#"{"a":[1,-2.5e+3,true,false,null,{}],"b":{"c":"\u00e9\ud83d\ude00"}}"#,
                " x",
            ),
            (" [ ]", " ,"),
            ("0", ","),
            ("-0.0e-0", "]"),
            ("12E5", "}"),
            (r#""\"\\\/\b\f\n\r\t""#, " "),
            ("[[[]]]", ""),
            ("{ \"a\" : [ 1 , { } ] }", ""),
        ] {
            let text = format!("{value}{rest}");
            assert_eq!(
                value_end(text.as_bytes(), 0, 3),
                Some(value.len()),
                "{text}"
            );
        }
    }

    #[test]
    fn invalid_or_too_deep_values_are_left_to_the_exact_scanner() {
        for text in [
            "[[[[]]]]",
            r#"{"a":1,}"#,
            "[1,]",
            "[01]",
            "[1.]",
            "[1e]",
            "[-]",
            "[tru]",
            r#"{"a" 1}"#,
            r#"{1:1}"#,
            r#"["\ud800"]"#,
            r#"["\udc00\ud800"]"#,
            r#"["\ud800\u0041"]"#,
            r#"["\x"]"#,
            r#"["\u12g4"]"#,
            "[\"\u{1}\"]",
            r#"["open"#,
            "[1}",
            r#"{"a":1]"#,
            "",
        ] {
            assert_eq!(value_end(text.as_bytes(), 0, 3), None, "{text}");
        }
    }
}
