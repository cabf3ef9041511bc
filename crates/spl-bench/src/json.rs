//! A minimal append-only JSON writer.
//!
//! Events are written field by field in the order the Kubernetes API server uses
//! (`kind`, `apiVersion`, `level`, `auditID`, …) rather than through a map, which would
//! reorder keys; and writing straight into one reused `String` keeps generation of 10M
//! events fast.

/// Builds one JSON document in a `String`, inserting commas automatically.
#[derive(Debug, Default)]
pub struct JsonWriter {
    out: String,
    /// Whether the innermost open object/array still has no member.
    first: Vec<bool>,
}

impl JsonWriter {
    /// Clears the buffer for the next document, keeping its capacity.
    pub fn clear(&mut self) {
        self.out.clear();
        self.first.clear();
    }

    /// The document written so far.
    pub fn as_str(&self) -> &str {
        &self.out
    }

    fn separate(&mut self) {
        if let Some(first) = self.first.last_mut() {
            if !*first {
                self.out.push(',');
            }
            *first = false;
        }
    }

    fn push_string(&mut self, text: &str) {
        self.out.push('"');
        for character in text.chars() {
            match character {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                control if u32::from(control) < 0x20 => {
                    self.out.push_str(&format!("\\u{:04x}", u32::from(control)));
                }
                other => self.out.push(other),
            }
        }
        self.out.push('"');
    }

    /// Writes `"name":` inside an object.
    pub fn key(&mut self, name: &str) -> &mut Self {
        self.separate();
        self.push_string(name);
        self.out.push(':');
        // The value that follows must not add a comma of its own.
        if let Some(first) = self.first.last_mut() {
            *first = true;
        }
        self
    }

    /// Opens an object (`{`).
    pub fn begin_object(&mut self) -> &mut Self {
        self.separate();
        self.out.push('{');
        self.first.push(true);
        self
    }

    /// Closes the innermost object (`}`).
    pub fn end_object(&mut self) -> &mut Self {
        self.first.pop();
        self.after_value();
        self.out.push('}');
        self
    }

    /// Opens an array (`[`).
    pub fn begin_array(&mut self) -> &mut Self {
        self.separate();
        self.out.push('[');
        self.first.push(true);
        self
    }

    /// Closes the innermost array (`]`).
    pub fn end_array(&mut self) -> &mut Self {
        self.first.pop();
        self.after_value();
        self.out.push(']');
        self
    }

    /// Writes a string value.
    pub fn string(&mut self, text: &str) -> &mut Self {
        self.separate();
        self.push_string(text);
        self.after_value();
        self
    }

    /// Writes an integer value.
    pub fn number(&mut self, value: i64) -> &mut Self {
        self.separate();
        self.out.push_str(&value.to_string());
        self.after_value();
        self
    }

    /// Writes a boolean value.
    pub fn boolean(&mut self, value: bool) -> &mut Self {
        self.separate();
        self.out.push_str(if value { "true" } else { "false" });
        self.after_value();
        self
    }

    /// Writes `"name":"text"`.
    pub fn field_str(&mut self, name: &str, text: &str) -> &mut Self {
        self.key(name).string(text)
    }

    /// Writes `"name":value` for an integer.
    pub fn field_number(&mut self, name: &str, value: i64) -> &mut Self {
        self.key(name).number(value)
    }

    /// Writes `"name":["a","b",…]`.
    pub fn field_strings(&mut self, name: &str, items: &[&str]) -> &mut Self {
        self.key(name).begin_array();
        for item in items {
            self.string(item);
        }
        self.end_array()
    }

    /// After a value the enclosing container has at least one member.
    fn after_value(&mut self) {
        if let Some(first) = self.first.last_mut() {
            *first = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_documents_with_commas_and_escapes() {
        let mut writer = JsonWriter::default();
        writer
            .begin_object()
            .field_str("a", "say \"hi\"\\")
            .field_number("b", -3)
            .field_strings("c", &["x", "y"])
            .key("d")
            .begin_object()
            .end_object()
            .key("e")
            .boolean(true)
            .end_object();
        assert_eq!(
            writer.as_str(),
            r#"{"a":"say \"hi\"\\","b":-3,"c":["x","y"],"d":{},"e":true}"#
        );
    }
}
