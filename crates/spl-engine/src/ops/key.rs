//! Group keys: several field values packed into one string so a hash map can be probed
//! with a reused buffer instead of a freshly allocated key per record.
//!
//! Each value is written as `<byte length>:<bytes>`, so different tuples never encode the
//! same way (`("a:", "b")` and `("a", ":b")` differ).

/// Appends one value to an encoded key.
pub fn push_value(key: &mut String, value: &str) {
    key.push_str(&value.len().to_string());
    key.push(':');
    key.push_str(value);
}

/// Appends a missing value (distinct from every present value, including `""`).
pub fn push_missing(key: &mut String) {
    key.push('-');
}

/// Appends a whole (possibly multivalue) value: its count, then each value.
pub fn push_values(key: &mut String, values: &[String]) {
    key.push_str(&values.len().to_string());
    key.push('#');
    for value in values {
        push_value(key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_unambiguous() {
        let mut first = String::new();
        push_value(&mut first, "a:");
        push_value(&mut first, "b");
        let mut second = String::new();
        push_value(&mut second, "a");
        push_value(&mut second, ":b");
        assert_ne!(first, second);

        let mut empty = String::new();
        push_value(&mut empty, "");
        let mut missing = String::new();
        push_missing(&mut missing);
        assert_ne!(empty, missing);
    }
}
