//! Compile errors for people and programs: each problem with its span in the search as
//! written (not the macro-expanded text), its line and column, and a rustc-style rendering.
//!
//! ```
//! let engine = spl::Engine::new();
//! let failure = spl::compile(&engine, "verb=get\n| stats cnt by user").unwrap_err();
//! let problem = &failure.problems[0];
//! assert_eq!((problem.line, problem.column), (2, 9));
//! assert!(failure.render().contains("^^^"));
//! ```

use spl_engine::{CompileError, CompileStage, Engine, Query};
use spl_syntax::diagnostic::Severity;
use spl_syntax::span::line_column;
use spl_syntax::{Diagnostic, Span};
use std::fmt::Write as _;

/// How diagnostics name an ad-hoc search.
pub const QUERY_NAME: &str = "<query>";

/// Expands, parses and plans `search`; a failure names the search [`QUERY_NAME`].
pub fn compile(engine: &Engine, search: &str) -> Result<Query, CompileFailure> {
    compile_named(engine, search, QUERY_NAME)
}

/// Like [`compile`], with `name` (a path, `file.yml (search)`) naming the search.
pub fn compile_named(engine: &Engine, search: &str, name: &str) -> Result<Query, CompileFailure> {
    engine
        .compile(search)
        .map_err(|error| CompileFailure::new(error, search, name))
}

/// One problem of a failed compilation, located in the search as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The diagnostic: stable code, message, label, help; its spans point into the search
    /// as written.
    pub diagnostic: Diagnostic,
    /// 1-based line of the primary span (1 when the problem has no place in the text).
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Why a search did not compile, with every problem located in the text as written.
#[derive(Clone, Debug)]
pub struct CompileFailure {
    /// How the search is named: `<query>`, or `path (search)` for a detection.
    pub source_name: String,
    /// The search as written.
    pub text: String,
    /// The problems, in the order found.
    pub problems: Vec<Problem>,
    /// The engine's error (spans in the expanded text for parse and plan problems).
    pub error: CompileError,
}

impl CompileFailure {
    /// Maps the spans of `error` back to `text` and computes lines and columns.
    pub fn new(error: CompileError, text: &str, source_name: &str) -> CompileFailure {
        let problems = error
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let mapped = match (&error.stage, &error.expanded) {
                    (CompileStage::Expand, _) | (_, None) => diagnostic.clone(),
                    (_, Some(expanded)) => expanded.source_map.map_diagnostic(diagnostic.clone()),
                };
                let (line, column) = mapped
                    .span
                    .map_or((1, 1), |span| line_column(text, span.start));
                Problem {
                    diagnostic: mapped,
                    line,
                    column,
                }
            })
            .collect();
        CompileFailure {
            source_name: source_name.to_string(),
            text: text.to_string(),
            problems,
            error,
        }
    }

    /// The diagnostics, spans in the text as written.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.problems.iter().map(|p| p.diagnostic.clone()).collect()
    }

    /// Every problem rendered in the plain rustc-like form of [`render_plain`].
    pub fn render(&self) -> String {
        self.problems
            .iter()
            .map(|problem| render_plain(&problem.diagnostic, &self.source_name, &self.text))
            .collect()
    }
}

impl std::fmt::Display for CompileFailure {
    /// One line per problem: `name:line:column: message`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| {
                format!(
                    "{}:{}:{}: {}",
                    self.source_name, p.line, p.column, p.diagnostic.message
                )
            })
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for CompileFailure {}

/// Renders `diagnostic`, whose spans point into `text`, in a plain rustc-like form:
///
/// ```text
/// error[spl::parse::unknown_option]: `fillnull` has no option `valeu`
///   --> queries/example.yml (search):2:12
///    |
///  2 | | fillnull valeu=0 count
///    |            ^^^^^ did you mean `value`?
///    = help: …
/// ```
pub fn render_plain(diagnostic: &Diagnostic, source_name: &str, text: &str) -> String {
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
            let (line, column) = line_column(text, span.start);
            let _ = writeln!(out, "  --> {source_name}:{line}:{column}");
            write_snippet(&mut out, text, span, diagnostic.label.as_deref());
            for label in &diagnostic.labels {
                let (line, column) = line_column(text, label.span.start);
                let _ = writeln!(out, "  --> {source_name}:{line}:{column}");
                write_snippet(&mut out, text, label.span, Some(&label.message));
            }
        }
        None => {
            let _ = writeln!(out, "  --> {source_name}");
        }
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "   = help: {help}");
    }
    out
}

/// Widest source line shown whole; longer lines are cut to a window around the span.
const MAX_SNIPPET_CHARS: usize = 100;

/// Characters kept before the span when a long line is cut.
const CONTEXT_BEFORE_SPAN: usize = 40;

/// One source line with a caret line under `span` (clipped to the first line of the span,
/// and to a window around it when the line is long).
fn write_snippet(out: &mut String, text: &str, span: Span, label: Option<&str>) {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let before = text.get(..start).unwrap_or_default();
    let after = text.get(start..).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = after.find('\n').map_or(text.len(), |i| start + i);
    let line_chars: Vec<char> = text
        .get(line_start..line_end)
        .unwrap_or_default()
        .chars()
        .collect();
    let (line_number, _) = line_column(text, start);
    let pad = " ".repeat(line_number.to_string().len());
    let caret_offset = text
        .get(line_start..start)
        .unwrap_or_default()
        .chars()
        .count();
    let caret_end = floor_char_boundary(text, span.end.clamp(start, line_end));
    let caret_len = text
        .get(start..caret_end)
        .unwrap_or_default()
        .chars()
        .count()
        .max(1);
    let (window_start, prefix) =
        if line_chars.len() > MAX_SNIPPET_CHARS && caret_offset > CONTEXT_BEFORE_SPAN {
            (caret_offset - CONTEXT_BEFORE_SPAN, "…")
        } else {
            (0, "")
        };
    let window_end = (window_start + MAX_SNIPPET_CHARS).min(line_chars.len());
    let suffix = if window_end < line_chars.len() {
        "…"
    } else {
        ""
    };
    let shown: String = line_chars
        .get(window_start..window_end)
        .unwrap_or_default()
        .iter()
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_to_a_window_around_the_span() {
        let text = format!("{} target {}", "a".repeat(200), "b".repeat(200));
        let start = text.find("target").expect("target");
        let diagnostic =
            Diagnostic::error("spl::test", "here", Span::new(start, start + 6)).with_label("x");
        let rendered = render_plain(&diagnostic, "q", &text);
        let lines: Vec<&str> = rendered.lines().collect();
        let snippet = lines[3];
        let carets = lines[4];
        assert!(snippet.starts_with(" 1 | …"), "{snippet}");
        assert!(snippet.ends_with('…'), "{snippet}");
        let at = snippet.chars().position(|c| c == 't').expect("t");
        assert_eq!(
            carets.chars().position(|c| c == '^'),
            Some(at),
            "{rendered}"
        );
        assert!(carets.ends_with("^^^^^^ x"));
    }

    #[test]
    fn spans_inside_multibyte_characters_do_not_panic() {
        let diagnostic = Diagnostic::error("spl::test", "here", Span::new(1, 2));
        assert!(render_plain(&diagnostic, "q", "é=1").contains('^'));
    }

    #[test]
    fn spans_past_the_end_do_not_panic() {
        let diagnostic = Diagnostic::error("spl::test", "here", Span::new(50, 90));
        assert!(render_plain(&diagnostic, "q", "short").contains('^'));
    }

    #[test]
    fn plain_rendering_points_at_the_span() {
        let text = "index=main\n| fillnull valeu=0 count";
        let start = text.find("valeu").expect("valeu");
        let diagnostic = Diagnostic::error(
            "spl::parse::unknown_option",
            "`fillnull` has no option `valeu`",
            Span::new(start, start + 5),
        )
        .with_label("did you mean `value`?");
        assert_eq!(
            render_plain(&diagnostic, "q.yml (search)", text),
            "error[spl::parse::unknown_option]: `fillnull` has no option `valeu`\n\
             \x20 --> q.yml (search):2:12\n\
             \x20  |\n\
             \x202 | | fillnull valeu=0 count\n\
             \x20  |            ^^^^^ did you mean `value`?\n"
        );
    }

    #[test]
    fn unknown_macro_is_located_in_the_text_as_written() {
        let failure = compile(&Engine::new(), "verb=get | `nope`").expect_err("fails");
        assert_eq!(failure.problems.len(), 1);
        assert_eq!(
            (failure.problems[0].line, failure.problems[0].column),
            (1, 12)
        );
        assert_eq!(failure.to_string().lines().count(), 1);
        assert!(failure.to_string().starts_with("<query>:1:12: "));
    }
}
