//! Diagnostics: errors and warnings as data, with a stable code, a message, spans and help.
//!
//! Rendering belongs to front ends; the CLI turns a [`Diagnostic`] into a `miette` report
//! with the source text attached.

use crate::span::Span;

/// Severity of a diagnostic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input works but probably not as intended.
    Warning,
}

/// A secondary location with its own message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The location (in the same text as the primary span).
    pub span: Span,
    /// What this location has to do with the problem.
    pub message: String,
}

/// One problem found in SPL text, with a stable code such as `spl::parse::unknown_option`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable identifier, never reused for another meaning (`spl::parse::unbalanced_quote`).
    pub code: &'static str,
    /// One line, plain words: what was expected and what was found.
    pub message: String,
    /// Where the problem is, when it has a place in the text.
    pub span: Option<Span>,
    /// Text printed under the primary span (for example "did you mean `value`?").
    pub label: Option<String>,
    /// Further locations.
    pub labels: Vec<Label>,
    /// A suggestion or the accepted values.
    pub help: Option<String>,
    /// Error or warning.
    pub severity: Severity,
}

impl Diagnostic {
    /// A new error with a code, a message and a primary span.
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            span: Some(span),
            label: None,
            labels: Vec::new(),
            help: None,
            severity: Severity::Error,
        }
    }

    /// A new error that has no place in the text.
    pub fn error_without_span(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            span: None,
            ..Diagnostic::error(code, message, Span::default())
        }
    }

    /// A new warning with a code, a message and a primary span.
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span)
        }
    }

    /// Sets the text printed under the primary span.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary location.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let primary = self
            .span
            .map(|span| miette::LabeledSpan::new_primary_with_span(self.label.clone(), span));
        let secondary = self
            .labels
            .iter()
            .map(|l| miette::LabeledSpan::new_with_span(Some(l.message.clone()), l.span));
        Some(Box::new(primary.into_iter().chain(secondary)))
    }
}

/// The closest of `candidates` to `name` by edit distance, if any is close enough to suggest.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(distance, c)| *distance <= (c.len().max(name.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("valeu", ["value", "field"]), Some("value"));
        assert_eq!(did_you_mean("xyz", ["value", "field"]), None);
        assert_eq!(did_you_mean("STATS", ["stats", "sort"]), Some("stats"));
    }
}
