//! Field-name helpers shared by the rules: wildcard matching, `rename` substitution and the
//! fields `iplocation` writes.

use spl_syntax::ast::IpLocation;

/// The parts of `name` matched by each `*` of `pattern`, or `None` when it does not match.
///
/// `glob_captures("Web.*", "Web.src")` is `Some(["src"])`; a pattern without `*` matches only
/// itself (with no captures). Each inner `*` takes the shortest text that lets the next
/// literal part follow; the last one takes the rest.
pub(super) fn glob_captures<'a>(pattern: &str, name: &'a str) -> Option<Vec<&'a str>> {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest_parts) = parts.split_first()?;
    let Some((last, middle)) = rest_parts.split_last() else {
        return (pattern == name).then(Vec::new);
    };
    if name.len() < first.len() + last.len() || !name.starts_with(first) || !name.ends_with(last) {
        return None;
    }
    let mut rest = name.get(first.len()..name.len() - last.len())?;
    let mut captures = Vec::new();
    for part in middle {
        let at = rest.find(part)?;
        captures.push(rest.get(..at)?);
        rest = rest.get(at + part.len()..)?;
    }
    captures.push(rest);
    Some(captures)
}

/// True when `name` matches `pattern` (`*` matches any text, including none).
pub(super) fn glob_matches(pattern: &str, name: &str) -> bool {
    glob_captures(pattern, name).is_some()
}

/// The new name of `name` under `rename from AS to`, or `None` when `from` does not match
/// it or the two sides have different numbers of `*`.
///
/// `renamed("Web.*", "*", "Web.src")` is `Some("src")`.
pub(super) fn renamed(from: &str, to: &str, name: &str) -> Option<String> {
    let captures = glob_captures(from, name)?;
    let pieces: Vec<&str> = to.split('*').collect();
    if pieces.len() != captures.len() + 1 {
        return None;
    }
    let mut result = String::new();
    for (index, piece) in pieces.iter().enumerate() {
        result.push_str(piece);
        if let Some(capture) = captures.get(index) {
            result.push_str(capture);
        }
    }
    Some(result)
}

/// The fields `iplocation` writes (§3.1): `City Country Region lat lon`, plus
/// `Continent MetroCode Timezone` with `allfields=true`, each with the prefix.
pub(super) fn iplocation_outputs(iplocation: &IpLocation) -> Vec<String> {
    let mut names = vec!["City", "Country", "Region", "lat", "lon"];
    if iplocation.allfields {
        names.extend(["Continent", "MetroCode", "Timezone"]);
    }
    let prefix = iplocation.prefix.as_deref().unwrap_or("");
    names
        .into_iter()
        .map(|name| format!("{prefix}{name}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_captures_each_star() {
        assert_eq!(glob_captures("Web.*", "Web.src"), Some(vec!["src"]));
        assert_eq!(glob_captures("a*b*c", "axxbyyc"), Some(vec!["xx", "yy"]));
        assert_eq!(glob_captures("*", ""), Some(vec![""]));
        assert_eq!(glob_captures("ab*ba", "aba"), None);
        assert_eq!(glob_captures("src", "src"), Some(vec![]));
        assert_eq!(glob_captures("src", "dest"), None);
    }

    #[test]
    fn rename_substitutes_captures() {
        assert_eq!(renamed("Web.*", "*", "Web.src"), Some("src".to_string()));
        assert_eq!(
            renamed("*_ip", "ip_*", "src_ip"),
            Some("ip_src".to_string())
        );
        assert_eq!(renamed("a", "b", "a"), Some("b".to_string()));
        assert_eq!(renamed("a*", "b", "ax"), None);
        assert_eq!(renamed("a", "b", "c"), None);
    }
}
