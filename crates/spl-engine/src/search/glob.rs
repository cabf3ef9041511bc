//! A `*` wildcard pattern matched in linear time: the pattern is split at `*` into literal
//! pieces; the first piece must be a prefix, the last a suffix, and the middle pieces are found
//! left to right (the leftmost place for each piece is always the best one).

use memchr::memmem;

/// A compiled `*` pattern (`search` lower-cases both sides first; lookups as configured).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    /// Literal pieces between the `*`s (the first/last may be empty).
    pieces: Vec<String>,
}

impl Glob {
    /// Compiles `pattern` (already lower-cased). `*` matches any sequence, also empty.
    pub fn new(pattern: &str) -> Glob {
        Glob {
            pieces: pattern.split('*').map(str::to_string).collect(),
        }
    }

    /// The literal pieces (between `*`s), for prefilters.
    pub fn pieces(&self) -> &[String] {
        &self.pieces
    }

    /// True when the whole of `text` matches (anchored at both ends).
    pub fn matches(&self, text: &str) -> bool {
        let text = text.as_bytes();
        let [first, middle @ .., last] = self.pieces.as_slice() else {
            // Only possible for a pattern without `*`, which has exactly one piece.
            return self.pieces.first().is_some_and(|p| p.as_bytes() == text);
        };
        if !text.starts_with(first.as_bytes()) {
            return false;
        }
        let mut position = first.len();
        for piece in middle {
            let Some(rest) = text.get(position..) else {
                return false;
            };
            match memmem::find(rest, piece.as_bytes()) {
                Some(offset) => position += offset + piece.len(),
                None => return false,
            }
        }
        text.len() >= position + last.len() && text.ends_with(last.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn anchored_matching() {
        assert!(Glob::new("10.9.165.*").matches("10.9.165.8"));
        assert!(!Glob::new("10.9.165.*").matches("110.9.165.8"));
        assert!(Glob::new("*a*").matches("a"));
        assert!(Glob::new("*").matches(""));
        assert!(Glob::new("a*b").matches("ab"));
        assert!(!Glob::new("ab*ab").matches("ab"));
        assert!(Glob::new("ab*ab").matches("abab"));
        assert!(Glob::new("*\"privileged\":true*").matches("{\"privileged\":true}"));
        assert!(!Glob::new("a*c").matches("abd"));
    }

    #[test]
    fn many_stars_are_linear() {
        let pattern = "*a".repeat(5000) + "*b";
        let text = "a".repeat(100_000);
        assert!(!Glob::new(&pattern).matches(&text));
    }

    #[test]
    fn wildcard_is_anchored() {
        assert!(Glob::new("*.exe").matches("cmd.exe"));
        assert!(!Glob::new("*.exe").matches("cmd.exe.txt"));
        assert!(Glob::new("a*b*c").matches("abc"));
        assert!(!Glob::new("ab*ab").matches("ab"));
        assert!(Glob::new("plain").matches("plain"));
        assert!(!Glob::new("plain").matches("plainer"));
    }
}
