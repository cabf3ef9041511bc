//! Rendering diagnostics for people: the library's rustc-style plain text form (stable,
//! used when stderr is not a terminal and in tests) and miette's graphical form on
//! terminals.

use spl_syntax::Diagnostic;

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
        spl::render_plain(diagnostic, &source.name, source.text)
    }
}

fn render_fancy(diagnostic: &Diagnostic, source: &SourceText) -> String {
    let report = miette::Report::new(diagnostic.clone()).with_source_code(
        miette::NamedSource::new(source.name.clone(), source.text.to_string()),
    );
    let mut out = String::new();
    let handler = miette::GraphicalReportHandler::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        return spl::render_plain(diagnostic, &source.name, source.text);
    }
    out
}
