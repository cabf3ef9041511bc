//! Rendering diagnostics for people: a rustc-style plain text form (stable, used when
//! stderr is not a terminal and in tests) and miette's graphical form on terminals.

use spl_syntax::diagnostic::Severity;
use spl_syntax::span::line_column;
use spl_syntax::{Diagnostic, Span};
use std::fmt::Write as _;

/// Where a diagnostic's text came from.
#[derive(Clone, Debug)]
pub struct SourceText<'a> {
    /// How to name it: a path, `path (search)` for a detection's search, or `<query>`.
    pub name: String,
    /// The text the spans point into.
    pub text: &'a str,
}

/// Renders `diagnostic` against `source`: graphical when `fancy`, plain otherwise.
pub fn render(diagnostic: &Diagnostic, source: &SourceText, fancy: bool) -> String {
    if fancy {
        render_fancy(diagnostic, source)
    } else {
        render_plain(diagnostic, source)
    }
}

/// The plain form:
///
/// ```text
/// error[spl::parse::unknown_option]: `fillnull` has no option `valeu`
///   --> queries/example.yml (search) 1:12
///    |
///  1 | | fillnull valeu=0 count
///    |            ^^^^^ did you mean `value`?
///    = help: …
/// ```
pub fn render_plain(diagnostic: &Diagnostic, source: &SourceText) -> String {
    let mut out = String::new();
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(
        out,
        "{severity}[{}]: {}",
        diagnostic.code, diagnostic.message
    );
    match diagnostic.span {
        Some(span) => {
            let (line, column) = line_column(source.text, span.start);
            let _ = writeln!(out, "  --> {}:{line}:{column}", source.name);
            write_snippet(&mut out, source.text, span, diagnostic.label.as_deref());
            for label in &diagnostic.labels {
                let (line, column) = line_column(source.text, label.span.start);
                let _ = writeln!(out, "  --> {}:{line}:{column}", source.name);
                write_snippet(&mut out, source.text, label.span, Some(&label.message));
            }
        }
        None => {
            let _ = writeln!(out, "  --> {}", source.name);
        }
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "   = help: {help}");
    }
    out
}

/// Widest source line shown whole; longer lines are cut to a window around the span.
const MAX_SNIPPET_CHARS: usize = 100;

/// One source line with a caret line under `span` (clipped to the first line of the span,
/// and to a window around it when the line is long).
fn write_snippet(out: &mut String, text: &str, span: Span, label: Option<&str>) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_chars: Vec<char> = text[line_start..line_end].chars().collect();
    let (line_number, _) = line_column(text, start);
    let gutter = line_number.to_string().len();
    let pad = " ".repeat(gutter);
    let caret_offset = text[line_start..start].chars().count();
    let caret_end = floor_char_boundary(text, span.end.clamp(start, line_end));
    let caret_len = text[start..caret_end].chars().count().max(1);
    let (window_start, prefix) = if line_chars.len() > MAX_SNIPPET_CHARS && caret_offset > 40 {
        (caret_offset - 40, "…")
    } else {
        (0, "")
    };
    let window_end = (window_start + MAX_SNIPPET_CHARS).min(line_chars.len());
    let suffix = if window_end < line_chars.len() {
        "…"
    } else {
        ""
    };
    let shown: String = line_chars[window_start..window_end].iter().collect();
    let caret_column = caret_offset - window_start + prefix.chars().count();
    let caret_len = caret_len.min(window_end.saturating_sub(caret_offset).max(1));
    let _ = writeln!(out, " {pad} |");
    let _ = writeln!(out, " {line_number} | {prefix}{shown}{suffix}");
    let _ = write!(
        out,
        " {pad} | {}{}",
        " ".repeat(caret_column),
        "^".repeat(caret_len)
    );
    match label {
        Some(label) => {
            let _ = writeln!(out, " {label}");
        }
        None => out.push('\n'),
    }
}

/// The largest char boundary at or before `index`.
fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn render_fancy(diagnostic: &Diagnostic, source: &SourceText) -> String {
    let report = miette::Report::new(diagnostic.clone()).with_source_code(
        miette::NamedSource::new(source.name.clone(), source.text.to_string()),
    );
    let mut out = String::new();
    let handler = miette::GraphicalReportHandler::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        return render_plain(diagnostic, source);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_to_a_window_around_the_span() {
        let text = format!("{} target {}", "a".repeat(200), "b".repeat(200));
        let start = text.find("target").unwrap();
        let diagnostic =
            Diagnostic::error("spl::test", "here", Span::new(start, start + 6)).with_label("x");
        let source = SourceText {
            name: "q".into(),
            text: &text,
        };
        let rendered = render_plain(&diagnostic, &source);
        let lines: Vec<&str> = rendered.lines().collect();
        let snippet = lines[3];
        let carets = lines[4];
        assert!(snippet.starts_with(" 1 | …"), "{snippet}");
        assert!(snippet.ends_with('…'), "{snippet}");
        let at = snippet.chars().position(|c| c == 't').unwrap();
        assert_eq!(
            carets.chars().position(|c| c == '^'),
            Some(at),
            "{rendered}"
        );
        assert!(carets.ends_with("^^^^^^ x"));
    }

    #[test]
    fn spans_inside_multibyte_characters_do_not_panic() {
        let text = "é=1";
        let diagnostic = Diagnostic::error("spl::test", "here", Span::new(1, 2));
        let source = SourceText {
            name: "q".into(),
            text,
        };
        assert!(render_plain(&diagnostic, &source).contains("^"));
    }

    #[test]
    fn plain_rendering_points_at_the_span() {
        let text = "index=main\n| fillnull valeu=0 count";
        let start = text.find("valeu").unwrap();
        let diagnostic = Diagnostic::error(
            "spl::parse::unknown_option",
            "`fillnull` has no option `valeu`",
            Span::new(start, start + 5),
        )
        .with_label("did you mean `value`?");
        let source = SourceText {
            name: "q.yml (search)".into(),
            text,
        };
        assert_eq!(
            render_plain(&diagnostic, &source),
            "error[spl::parse::unknown_option]: `fillnull` has no option `valeu`\n\
             \x20 --> q.yml (search):2:12\n\
             \x20  |\n\
             \x202 | | fillnull valeu=0 count\n\
             \x20  |            ^^^^^ did you mean `value`?\n"
        );
    }
}
