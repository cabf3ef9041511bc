//! The canonical printer: `Display` for the AST, printing SPL that parses back to the same
//! tree (spans aside).

use crate::ast::{
    Aggregation, AggregationArgument, BinaryOp, Collation, Command, CommandKind, CommandOption,
    Expr, ExprKind, Field, GenericArg, Pipeline, SearchExpr, SearchExprKind, SearchValue, SortKey,
    UnaryOp,
};
use std::fmt::{self, Display, Formatter, Write};

impl Display for Pipeline {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (index, command) in self.commands.iter().enumerate() {
            let implicit = index == 0 && command.name.span.is_empty() && is_search(command);
            if index > 0 {
                f.write_str(" | ")?;
            } else if !implicit && !is_search(command) {
                f.write_str("| ")?;
            }
            if implicit {
                write_arguments(f, &command.kind)?;
            } else {
                command.fmt(f)?;
            }
        }
        Ok(())
    }
}

/// True for a `search` command.
fn is_search(command: &Command) -> bool {
    matches!(command.kind, CommandKind::Search(_))
}

impl Display for Command {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut arguments = String::new();
        write_arguments(&mut arguments, &self.kind)?;
        f.write_str(&self.name.node.to_ascii_lowercase())?;
        if !arguments.is_empty() {
            write!(f, " {arguments}")?;
        }
        Ok(())
    }
}

/// The arguments of a command (without its name).
fn write_arguments(out: &mut impl Write, kind: &CommandKind) -> fmt::Result {
    match kind {
        CommandKind::Search(None) => Ok(()),
        CommandKind::Search(Some(expr)) => write!(out, "{expr}"),
        CommandKind::Where(expr) => write!(out, "{expr}"),
        CommandKind::Eval(assignments) => {
            let parts: Vec<String> = assignments
                .iter()
                .map(|a| format!("{}={}", quote_if_needed(&a.field.name), a.expr))
                .collect();
            out.write_str(&parts.join(", "))
        }
        CommandKind::IpLocation(ip) => {
            if let Some(prefix) = &ip.prefix {
                write!(out, "prefix={} ", quote_if_needed(prefix))?;
            }
            if ip.allfields {
                out.write_str("allfields=true ")?;
            }
            if let Some(lang) = &ip.lang {
                write!(out, "lang={} ", quote_if_needed(lang))?;
            }
            write!(out, "{}", field(&ip.field))
        }
        CommandKind::Stats(stats) => {
            let mut parts: Vec<String> = stats.options.iter().map(option).collect();
            parts.extend(stats.aggregations.iter().map(aggregation));
            if !stats.by.is_empty() {
                parts.push(format!("BY {}", field_list(&stats.by)));
            }
            out.write_str(&parts.join(" "))
        }
        CommandKind::Rename(pairs) => {
            let parts: Vec<String> = pairs
                .iter()
                .map(|p| format!("{} AS {}", field(&p.from), field(&p.to)))
                .collect();
            out.write_str(&parts.join(", "))
        }
        CommandKind::Fillnull(fill) => {
            let mut parts = Vec::new();
            if let Some(value) = &fill.value {
                parts.push(format!("value={}", quote_if_needed(value)));
            }
            if !fill.fields.is_empty() {
                parts.push(field_list(&fill.fields));
            }
            out.write_str(&parts.join(" "))
        }
        CommandKind::Table(fields) => out.write_str(&field_list(fields)),
        CommandKind::Fields(fields) => {
            let sign = if fields.remove { "- " } else { "" };
            write!(out, "{sign}{}", field_list(&fields.fields))
        }
        CommandKind::Head(head) => match head.count {
            Some(count) => write!(out, "{count}"),
            None => Ok(()),
        },
        CommandKind::Dedup(dedup) => {
            let mut parts = Vec::new();
            if let Some(count) = dedup.count {
                parts.push(count.to_string());
            }
            parts.push(field_list(&dedup.fields));
            for (name, value) in [
                ("keepevents", dedup.keepevents),
                ("keepempty", dedup.keepempty),
                ("consecutive", dedup.consecutive),
            ] {
                if value {
                    parts.push(format!("{name}=true"));
                }
            }
            if !dedup.sortby.is_empty() {
                parts.push(format!("sortby {}", sort_keys(&dedup.sortby)));
            }
            out.write_str(&parts.join(" "))
        }
        CommandKind::Sort(sort) => {
            let mut parts = Vec::new();
            if let Some(limit) = sort.limit {
                parts.push(format!("limit={limit}"));
            }
            parts.push(sort_keys(&sort.keys));
            if sort.descending {
                parts.push("desc".to_string());
            }
            out.write_str(&parts.join(" "))
        }
        CommandKind::Generic(generic) => out.write_str(&generic_arguments(&generic.args)),
    }
}

/// A `name=value` option.
fn option(option: &CommandOption) -> String {
    format!(
        "{}={}",
        option.name.node,
        quote_if_needed(&option.value.node)
    )
}

/// One aggregation with its argument and alias.
fn aggregation(aggregation: &Aggregation) -> String {
    let mut text = aggregation.function.node.clone();
    match &aggregation.argument {
        None => {}
        Some(AggregationArgument::Field(f)) => {
            let _ = write!(text, "({})", field(f));
        }
        Some(AggregationArgument::Eval(expr)) => {
            let _ = write!(text, "(eval({expr}))");
        }
    }
    if let Some(alias) = &aggregation.alias {
        let _ = write!(text, " AS {}", field(alias));
    }
    text
}

/// Sort keys separated by spaces.
fn sort_keys(keys: &[SortKey]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|key| {
            let sign = if key.descending { "-" } else { "" };
            let name = field(&key.field);
            match key.collation {
                Collation::Auto => format!("{sign}{name}"),
                Collation::Num => format!("{sign}num({name})"),
                Collation::Str => format!("{sign}str({name})"),
                Collation::Ip => format!("{sign}ip({name})"),
            }
        })
        .collect();
    parts.join(" ")
}

/// Fields separated by `, `.
fn field_list(fields: &[Field]) -> String {
    let parts: Vec<String> = fields.iter().map(field).collect();
    parts.join(", ")
}

/// A field name, quoted when it contains characters that end a bare name.
fn field(field: &Field) -> String {
    quote_if_needed(&field.name)
}

/// `text` bare when it is a plain token, otherwise double-quoted with escapes.
fn quote_if_needed(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.chars().any(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    '"' | '\\'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | ','
                        | '='
                        | '<'
                        | '>'
                        | '!'
                        | '|'
                        | '`'
                        | '\''
                )
        })
        && !matches!(text, "AND" | "OR" | "NOT" | "IN" | "XOR");
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// `"text"` with `"` and `\` escaped.
fn quoted(text: &str) -> String {
    format!("\"{}\"", escaped(text))
}

/// `text` with `"` and `\` escaped, for inside double quotes.
fn escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `text` escaped for a bare token: `"` always, `\` only where the lexer would otherwise
/// read it as an escape (before `"`, `\` or at the end); other `\x` pairs are kept as
/// written, as the lexer keeps them.
fn escaped_bare(text: &str) -> String {
    let mut out = String::new();
    let mut characters = text.chars().peekable();
    while let Some(c) = characters.next() {
        match (c, characters.peek()) {
            ('"', _) => out.push_str("\\\""),
            ('\\', None | Some('"' | '\\')) => out.push_str("\\\\"),
            ('\\', Some(_)) => {
                out.push('\\');
                out.extend(characters.next());
            }
            _ => out.push(c),
        }
    }
    out
}

/// Generic arguments separated by spaces; a group written right after a word stays glued
/// to it (`ctime(firstTime)`).
fn generic_arguments(args: &[GenericArg]) -> String {
    let mut out = String::new();
    let mut previous_end = None;
    for arg in args {
        let text = match arg {
            GenericArg::Word(word) => generic_word(&word.node),
            GenericArg::Quoted(text) => quoted(&text.node),
            GenericArg::Option(o) => format!("{}={}", o.name.node, option_value(&o.value.node)),
            GenericArg::Group(group) => format!("({})", generic_arguments(&group.node)),
            GenericArg::Subsearch(pipeline) => format!("[{}]", subsearch(pipeline)),
            GenericArg::Template(text) => format!("[{}]", text.node),
        };
        let glued =
            matches!(arg, GenericArg::Group(group) if previous_end == Some(group.span.start));
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(&text);
        previous_end = match arg {
            GenericArg::Word(word) => Some(word.span.end),
            _ => None,
        };
    }
    out
}

/// A bare generic word: escapes re-added, quoted when it holds characters that would split
/// it or change the segment structure. Words with a backtick stay bare: the backtick pairs
/// with another one when the pipeline is split, and quoting would change that pairing.
fn generic_word(text: &str) -> String {
    let unsafe_character = text
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '|' | '(' | ')' | '[' | ']' | '"'));
    let punctuation = matches!(text, "," | ")" | "]");
    if (text.is_empty() || unsafe_character) && !punctuation && !text.contains('`') {
        return quoted(text);
    }
    escaped_bare(text)
}

/// The value of a generic `key=value` option: quoted when it would not lex back as one
/// value (spaces, pipes, commas, brackets, quotes, backticks: `map search="| tstats …"`,
/// `process="*/root,*"`).
fn option_value(text: &str) -> String {
    let unsafe_character = text
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '|' | '(' | ')' | '[' | ']' | '"' | ',' | '`'));
    if text.is_empty() || unsafe_character {
        return quoted(text);
    }
    escaped_bare(text)
}

/// A subsearch body: every command named explicitly.
fn subsearch(pipeline: &Pipeline) -> String {
    let parts: Vec<String> = pipeline.commands.iter().map(|c| c.to_string()).collect();
    parts.join(" | ")
}

// ---------------------------------------------------------------------------------------
// search
// ---------------------------------------------------------------------------------------

impl Display for SearchExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            SearchExprKind::And(parts) => {
                let texts: Vec<String> = parts.iter().map(|p| search_operand(p, true)).collect();
                f.write_str(&texts.join(" "))
            }
            SearchExprKind::Or(parts) => {
                let texts: Vec<String> = parts.iter().map(|p| search_operand(p, false)).collect();
                f.write_str(&texts.join(" OR "))
            }
            SearchExprKind::Not(inner) => write!(f, "NOT {}", search_operand(inner, false)),
            SearchExprKind::Compare { field, op, value } => {
                write!(
                    f,
                    "{}{}{}",
                    search_token(&field.name, true),
                    op.as_str(),
                    search_value(value)
                )
            }
            SearchExprKind::In { field, values } => {
                let texts: Vec<String> = values.iter().map(search_value).collect();
                write!(
                    f,
                    "{} IN ({})",
                    search_token(&field.name, true),
                    texts.join(", ")
                )
            }
            SearchExprKind::Term(value) => f.write_str(&search_value(value)),
            SearchExprKind::Subsearch(pipeline) => write!(f, "[{}]", subsearch(pipeline)),
        }
    }
}

/// An operand of `And` (`in_and`) or of `Or`/`Not`, parenthesised when it would bind wrongly.
fn search_operand(expr: &SearchExpr, in_and: bool) -> String {
    match &expr.kind {
        SearchExprKind::Or(_) if in_and => expr.to_string(),
        SearchExprKind::And(_) | SearchExprKind::Or(_) => format!("({expr})"),
        _ => expr.to_string(),
    }
}

/// A search value: quoted as written, or bare with `"` and `\` escaped.
fn search_value(value: &SearchValue) -> String {
    if value.quoted {
        return quoted(&value.text);
    }
    if value.text.starts_with("CASE(") || value.text.starts_with("TERM(") {
        return value.text.clone();
    }
    search_token(&value.text, false)
}

/// A bare search token (quoted when it would not lex back as one token).
fn search_token(text: &str, is_field: bool) -> String {
    let needs_quotes = text.is_empty()
        || !balanced_parentheses(text)
        || text.chars().any(|c| {
            c.is_whitespace()
                || matches!(c, '|' | '[' | ']')
                || (is_field && matches!(c, '=' | '<' | '>' | '!' | '(' | ')'))
        })
        || matches!(text, "AND" | "OR" | "NOT")
        || text.starts_with('(');
    if needs_quotes && !text.contains('`') {
        quoted(text)
    } else {
        escaped_bare(text)
    }
}

/// True when every `)` closes an earlier `(` and none is left open.
fn balanced_parentheses(text: &str) -> bool {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return false,
            ')' => depth -= 1,
            _ => {}
        }
    }
    depth == 0
}

// ---------------------------------------------------------------------------------------
// expressions
// ---------------------------------------------------------------------------------------

/// Binding strength of a binary operator (higher binds tighter).
fn precedence(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Xor => 1,
        BinaryOp::Or => 2,
        BinaryOp::And => 3,
        BinaryOp::Eq
        | BinaryOp::Ne
        | BinaryOp::Lt
        | BinaryOp::Le
        | BinaryOp::Gt
        | BinaryOp::Ge
        | BinaryOp::Like => 5,
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Concat => 6,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 7,
    }
}

/// Binding strength of an expression node as an operand.
fn node_precedence(expr: &Expr) -> u8 {
    match &expr.kind {
        ExprKind::Binary { op, .. } => precedence(*op),
        ExprKind::In { .. } => 5,
        ExprKind::Unary {
            op: UnaryOp::Not, ..
        } => 4,
        ExprKind::Unary {
            op: UnaryOp::Neg, ..
        } => 8,
        _ => 9,
    }
}

/// `expr`, parenthesised when it binds looser than `minimum`.
fn operand(expr: &Expr, minimum: u8) -> String {
    if node_precedence(expr) < minimum {
        format!("({expr})")
    } else {
        expr.to_string()
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Str(text) => write!(f, "\"{}\"", expression_string(text)),
            ExprKind::Number(text) => f.write_str(text),
            ExprKind::Field(name) => f.write_str(&expression_field(name)),
            ExprKind::Call { name, args } => {
                let texts: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                write!(f, "{}({})", name.node, texts.join(", "))
            }
            ExprKind::Unary {
                op: UnaryOp::Neg,
                expr,
            } => write!(f, "-{}", operand(expr, 8)),
            ExprKind::Unary {
                op: UnaryOp::Not,
                expr,
            } => write!(f, "NOT {}", operand(expr, 4)),
            ExprKind::Binary { op, .. } => write_chain(f, self, precedence(*op)),
            ExprKind::In { expr, list } => {
                let texts: Vec<String> = list.iter().map(|a| a.to_string()).collect();
                write!(f, "{} IN ({})", operand(expr, 6), texts.join(", "))
            }
        }
    }
}

/// A binary expression and the operators of its precedence `level` down its left side
/// (`a - b + c` is `(a - b) + c`), written in a loop: a chain of thousands of terms needs
/// no recursion per term and no parentheses.
fn write_chain(f: &mut Formatter<'_>, expr: &Expr, level: u8) -> fmt::Result {
    let mut rights = Vec::new();
    let mut spine = expr;
    while let ExprKind::Binary { op, left, right } = &spine.kind {
        if precedence(*op) != level {
            break;
        }
        rights.push((*op, right.as_ref()));
        spine = left;
    }
    f.write_str(&operand(spine, level))?;
    for (op, right) in rights.into_iter().rev() {
        write!(f, " {} {}", op.as_str(), operand(right, level + 1))?;
    }
    Ok(())
}

/// The inside of an expression string literal: `\`, `"`, tab and newline escaped.
fn expression_string(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

/// A field in an expression: bare when it is an identifier, else single-quoted.
fn expression_field(name: &str) -> String {
    let identifier = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || matches!(c, '_' | '@' | '$'))
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '@' | '$'))
        && !["AND", "OR", "NOT", "XOR", "LIKE", "IN"]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(name));
    if identifier {
        name.to_string()
    } else {
        quoted_field(name)
    }
}

/// `'name'` with `'` and `\` escaped.
fn quoted_field(name: &str) -> String {
    format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"))
}
