//! Field-name patterns with `*` wildcards, as `table`, `fields` and `rename` use them.
//!
//! Matching is case-sensitive (field names are, §0.3) and `*` matches any sequence of
//! characters, including none.

/// True when `name` matches `pattern` (`*` matches any run of characters).
pub fn matches(pattern: &str, name: &str) -> bool {
    captures(pattern, name).is_some()
}

/// The text each `*` of `pattern` matched in `name`, left to right, or `None` when `name`
/// does not match. Earlier stars take the shortest text that lets the rest match.
///
/// `captures("Web.*", "Web.src")` is `Some(["src"])`.
pub fn captures<'a>(pattern: &str, name: &'a str) -> Option<Vec<&'a str>> {
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut found = Vec::with_capacity(parts.len().saturating_sub(1));
    if match_parts(&parts, name, &mut found) {
        Some(found)
    } else {
        None
    }
}

/// Matches `name` against literal `parts` separated by stars, pushing each star's text.
fn match_parts<'a>(parts: &[&str], name: &'a str, found: &mut Vec<&'a str>) -> bool {
    let Some((first, rest)) = parts.split_first() else {
        return name.is_empty();
    };
    let Some(after_literal) = name.strip_prefix(first) else {
        return false;
    };
    if rest.is_empty() {
        return after_literal.is_empty();
    }
    // A star follows: try every split point, shortest first.
    for (offset, _) in after_literal
        .char_indices()
        .chain(std::iter::once((after_literal.len(), ' ')))
    {
        let (star_text, remainder) = after_literal.split_at(offset);
        found.push(star_text);
        if match_parts(rest, remainder, found) {
            return true;
        }
        found.pop();
    }
    false
}

/// Replaces the stars of `pattern`, left to right, with `captured`.
///
/// `substitute("src_*", &["ip"])` is `src_ip`. Missing captures become empty text.
pub fn substitute(pattern: &str, captured: &[&str]) -> String {
    let mut result = String::with_capacity(pattern.len());
    for (index, part) in pattern.split('*').enumerate() {
        if index > 0 {
            result.push_str(captured.get(index - 1).copied().unwrap_or(""));
        }
        result.push_str(part);
    }
    result
}

/// Number of `*` in `pattern`.
pub fn star_count(pattern: &str) -> usize {
    pattern.matches('*').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_and_star_matching() {
        assert!(matches("user", "user"));
        assert!(!matches("user", "User"));
        assert!(matches("user*", "user.name"));
        assert!(matches("*", ""));
        assert!(matches("a*b*c", "aXbYbc"));
        assert!(!matches("a*b", "ac"));
    }

    #[test]
    fn captures_take_shortest_prefix_first() {
        assert_eq!(captures("Web.*", "Web.src"), Some(vec!["src"]));
        assert_eq!(captures("*.*", "a.b.c"), Some(vec!["a", "b.c"]));
        assert_eq!(captures("x*", "y"), None);
    }

    #[test]
    fn substitution_fills_stars_in_order() {
        assert_eq!(substitute("src_*", &["ip"]), "src_ip");
        assert_eq!(substitute("*", &["src"]), "src");
        assert_eq!(substitute("*_*", &["a", "b"]), "a_b");
        assert_eq!(star_count("a*b*"), 2);
    }
}
