//! Reading the arguments of commands the parser keeps as [`GenericCommand`] tokens: `rex`,
//! `lookup`, `inputlookup`, `convert`, and the `BY` clause of `eventstats`-like commands.

use spl_syntax::ast::{GenericArg, GenericCommand};
use spl_syntax::{Span, Spanned};

/// A bare word argument, or `None` for any other token.
fn word(arg: &GenericArg) -> Option<&Spanned<String>> {
    match arg {
        GenericArg::Word(word) => Some(word),
        _ => None,
    }
}

/// True when `arg` is the bare word `keyword`, ignoring case.
fn is_keyword(arg: &GenericArg, keyword: &str) -> bool {
    word(arg).is_some_and(|w| w.node.eq_ignore_ascii_case(keyword))
}

/// The fields after `BY` in `eventstats count BY a, b`, `timechart count BY host limit=5`:
/// bare words up to a keyword such as `where`, skipping commas and `name=value` options.
pub(super) fn by_clause_fields(command: &GenericCommand) -> Vec<Spanned<String>> {
    let Some(by) = command.args.iter().position(|a| is_keyword(a, "by")) else {
        return Vec::new();
    };
    let mut fields = Vec::new();
    for arg in command.args.iter().skip(by + 1) {
        match arg {
            GenericArg::Option(_) => continue,
            GenericArg::Word(w) if w.node == "," => continue,
            GenericArg::Word(w) if is_clause_keyword(&w.node) => break,
            GenericArg::Word(w) => fields.push(w.clone()),
            _ => break,
        }
    }
    fields
}

/// Words that end a `BY` field list.
fn is_clause_keyword(text: &str) -> bool {
    ["where", "over", "as"]
        .iter()
        .any(|keyword| text.eq_ignore_ascii_case(keyword))
}

/// The named groups of the regular expression of `rex "<regex>"`, with the span of the
/// quoted regex; empty for `rex mode=sed`.
pub(super) fn rex_group_names(command: &GenericCommand) -> (Vec<String>, Option<Span>) {
    let sed = command.args.iter().any(|arg| {
        matches!(arg, GenericArg::Option(option)
            if option.name.node.eq_ignore_ascii_case("mode")
                && option.value.node.eq_ignore_ascii_case("sed"))
    });
    if sed {
        return (Vec::new(), None);
    }
    let Some(regex) = command.args.iter().find_map(|arg| match arg {
        GenericArg::Quoted(text) => Some(text),
        _ => None,
    }) else {
        return (Vec::new(), None);
    };
    (named_groups(&regex.node), Some(regex.span))
}

/// The names of `(?<name>…)`, `(?P<name>…)` and `(?'name'…)` groups in a PCRE pattern.
/// Lookbehinds `(?<=`/`(?<!` and escaped parentheses `\(` are not groups.
pub(super) fn named_groups(regex: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut escaped = false;
    for (at, c) in regex.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if c != '(' {
            continue;
        }
        let rest = regex.get(at + 1..).unwrap_or("");
        let (body, close) = if let Some(body) = rest.strip_prefix("?P<") {
            (body, '>')
        } else if let Some(body) = rest.strip_prefix("?<") {
            (body, '>')
        } else if let Some(body) = rest.strip_prefix("?'") {
            (body, '\'')
        } else {
            continue;
        };
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let starts_well = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if starts_well && body.get(name.len()..).is_some_and(|r| r.starts_with(close)) {
            names.push(name);
        }
    }
    names
}

/// The table name of `lookup [options] <table> …` or `inputlookup [options] <table> …`: the
/// first argument that is not a `name=value` option.
pub(super) fn lookup_table(command: &GenericCommand) -> Option<Spanned<String>> {
    command.args.iter().find_map(|arg| match arg {
        GenericArg::Word(text) | GenericArg::Quoted(text) => Some(text.clone()),
        _ => None,
    })
}

/// The event fields written by `lookup <table> <in> [AS <ev>] OUTPUT|OUTPUTNEW <out> [AS
/// <ev>] …` (the `AS` names where given), or `None` without an `OUTPUT` clause (then every
/// column of the table is written and their names are unknown here).
pub(super) fn lookup_outputs(command: &GenericCommand) -> Option<Vec<Spanned<String>>> {
    let output = command
        .args
        .iter()
        .position(|a| is_keyword(a, "output") || is_keyword(a, "outputnew"))?;
    let words: Vec<&Spanned<String>> = command
        .args
        .iter()
        .skip(output + 1)
        .filter_map(|arg| match arg {
            GenericArg::Word(text) | GenericArg::Quoted(text) => Some(text),
            _ => None,
        })
        .filter(|text| text.node != ",")
        .collect();
    Some(with_as_renames(&words))
}

/// `a AS b c d AS e` → `b c e`: each name, replaced by its `AS` name when it has one.
fn with_as_renames(words: &[&Spanned<String>]) -> Vec<Spanned<String>> {
    let mut names: Vec<Spanned<String>> = Vec::new();
    let mut index = 0;
    while let Some(current) = words.get(index) {
        let is_as = current.node.eq_ignore_ascii_case("as");
        match (is_as, words.get(index + 1)) {
            (true, Some(alias)) => {
                names.pop();
                names.push((*alias).clone());
                index += 2;
            }
            (true, None) => index += 1,
            (false, _) => {
                names.push((*current).clone());
                index += 1;
            }
        }
    }
    names
}

/// The names after `AS` in `convert ctime(firstTime) AS first`, `bin _time AS t`.
pub(super) fn as_names(command: &GenericCommand) -> Vec<String> {
    command
        .args
        .windows(2)
        .filter_map(|pair| match pair {
            [first, GenericArg::Word(name) | GenericArg::Quoted(name)]
                if is_keyword(first, "as") =>
            {
                Some(name.node.clone())
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_named_groups_in_both_syntaxes() {
        assert_eq!(
            named_groups(r"(?<user>\w+)@(?P<domain>[^ ]+) (?'port'\d+)"),
            vec!["user", "domain", "port"]
        );
    }

    #[test]
    fn lookbehinds_and_escapes_are_not_groups() {
        assert!(named_groups(r"(?<=a)b(?<!c)\(?<x>y)").is_empty());
        assert!(named_groups(r"(?<1bad>x)(?<open").is_empty());
    }
}
