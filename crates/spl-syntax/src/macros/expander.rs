//! The recursive expansion walk: copy text, replace calls, expand what they produced.

use super::call::{parse_call, Call};
use super::scan::{next_token, ScanError, Token};
use super::set::{MacroDefinition, DEFAULT_FILTER_DEFINITION, DEFAULT_FILTER_ORIGIN};
use super::source_map::{Frame, MappedText, Provenance};
use super::substitute::{substitute, Binding};
use super::{ExpandOptions, MacroSet};
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::span::Span;

/// State shared by one call of [`super::expand`].
pub(crate) struct Expander<'a> {
    macros: &'a MacroSet,
    options: &'a ExpandOptions,
    pub(crate) frames: Vec<Frame>,
    /// Name and arity of every macro being expanded, outermost first.
    stack: Vec<(String, usize)>,
    input_len: usize,
}

impl<'a> Expander<'a> {
    pub(crate) fn new(macros: &'a MacroSet, options: &'a ExpandOptions, input_len: usize) -> Self {
        Expander {
            macros,
            options,
            frames: Vec::new(),
            stack: Vec::new(),
            input_len,
        }
    }

    /// Appends `source` to `output` with comments removed and calls expanded.
    pub(crate) fn expand_text(
        &mut self,
        source: &MappedText,
        depth: usize,
        output: &mut MappedText,
    ) -> Result<(), Diagnostic> {
        let mut position = 0;
        loop {
            let token = next_token(&source.text, position)
                .map_err(|error| self.scan_error(source, error))?;
            let Some(token) = token else {
                output.push_slice(source, Span::new(position, source.text.len()));
                return self.check_size(source, Span::new(position, source.text.len()), output);
            };
            match token {
                Token::Comment(span) => {
                    output.push_slice(source, Span::new(position, span.start));
                    // A comment separates what is around it, like whitespace.
                    output.push(" ", self.provenance_at(source, span.start));
                    position = span.end;
                }
                Token::Call(span) => {
                    output.push_slice(source, Span::new(position, span.start));
                    self.expand_call(source, span, depth, output)?;
                    position = span.end;
                }
            }
            self.check_size(source, Span::new(position, position), output)?;
        }
    }

    /// Expands the call at `span` of `source` into `output`.
    fn expand_call(
        &mut self,
        source: &MappedText,
        span: Span,
        depth: usize,
        output: &mut MappedText,
    ) -> Result<(), Diagnostic> {
        let call_span = self.input_span(source, span);
        let parent = self.frame_at(source, span.start);
        let call = parse_call(&source.text, span).map_err(|reason| {
            self.in_context(
                Diagnostic::error(
                    "spl::macro::invalid_call",
                    format!("invalid macro call: {reason}"),
                    call_span,
                ),
                parent,
            )
        })?;
        let definition = self.lookup(&call, call_span, parent)?;
        self.check_cycle(&call, call_span, parent)?;
        if depth >= self.options.max_depth {
            let message = format!(
                "macro calls are nested more than {} deep ({})",
                self.options.max_depth,
                self.chain_with(&call.name)
            );
            return Err(
                Diagnostic::error("spl::macro::too_deep", message, call_span)
                    .with_label("expanding this call goes too deep"),
            );
        }
        let bindings = bind(&definition, &call, &source.text);
        let frame = self.frames.len();
        self.frames.push(Frame {
            name: definition.name.clone(),
            origin: definition.origin.clone(),
            definition: definition.definition.clone(),
            call_span,
            parent,
        });
        let body = substitute(&definition.definition, frame, &bindings, source);
        self.check_size(source, span, &body)?;
        self.stack.push((call.name.clone(), call.arguments.len()));
        self.expand_text(&body, depth + 1, output)?;
        self.stack.pop();
        Ok(())
    }

    /// The definition a call refers to, or the error saying why there is none.
    fn lookup(
        &self,
        call: &Call,
        call_span: Span,
        parent: Option<usize>,
    ) -> Result<MacroDefinition, Diagnostic> {
        let arity = call.arguments.len();
        if let Some(definition) = self.macros.get(&call.name, arity) {
            return Ok(definition.clone());
        }
        if arity == 0 && self.options.default_filter_macros && call.name.ends_with("_filter") {
            return Ok(MacroDefinition::new(
                call.name.clone(),
                DEFAULT_FILTER_DEFINITION,
                DEFAULT_FILTER_ORIGIN,
            ));
        }
        let arities = self.macros.arities(&call.name);
        if !arities.is_empty() {
            let message = format!(
                "macro `{}` takes {}, but the call passes {}",
                call.name,
                describe_arities(&arities),
                plural(arity, "argument")
            );
            let diagnostic = Diagnostic::error("spl::macro::wrong_arity", message, call_span)
                .with_label(format!("{} passed here", plural(arity, "argument")));
            return Err(self.in_context(diagnostic, parent));
        }
        let mut diagnostic = Diagnostic::error(
            "spl::macro::unknown",
            format!("unknown macro `{}`", call.name),
            call_span,
        );
        let names = self.macros.iter().map(|d| d.name.as_str());
        if let Some(suggestion) = did_you_mean(&call.name, names) {
            diagnostic = diagnostic
                .with_label(format!("did you mean `{suggestion}`?"))
                .with_help(format!("a macro named `{suggestion}` is defined"));
        } else {
            diagnostic = diagnostic.with_label("no macro with this name is defined");
        }
        Err(self.in_context(diagnostic, parent))
    }

    /// Fails when the call is already being expanded.
    fn check_cycle(
        &self,
        call: &Call,
        call_span: Span,
        parent: Option<usize>,
    ) -> Result<(), Diagnostic> {
        let key = (call.name.clone(), call.arguments.len());
        let Some(first) = self.stack.iter().position(|entry| *entry == key) else {
            return Ok(());
        };
        let mut chain: Vec<&str> = self.stack[first..]
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        chain.push(&call.name);
        let message = format!("macro `{}` calls itself: {}", call.name, chain.join(" -> "));
        let diagnostic = Diagnostic::error("spl::macro::cycle", message, call_span)
            .with_label("this call expands into itself");
        Err(self.in_context(diagnostic, parent))
    }

    /// Fails when the output (or a definition about to be expanded) is over the size limit.
    fn check_size(
        &self,
        source: &MappedText,
        span: Span,
        text: &MappedText,
    ) -> Result<(), Diagnostic> {
        if text.text.len() <= self.options.max_size {
            return Ok(());
        }
        let message = format!(
            "the expanded search is larger than {} bytes",
            self.options.max_size
        );
        Err(Diagnostic::error(
            "spl::macro::too_large",
            message,
            self.input_span(source, span),
        )
        .with_label("expanding this grows the search past the limit"))
    }

    /// The error for a lexical problem in `source`.
    fn scan_error(&self, source: &MappedText, error: ScanError) -> Diagnostic {
        let (code, message, offset, length) = match error {
            ScanError::TooManyBackticks { offset, length } => (
                "spl::macro::too_many_backticks",
                format!("{length} backticks in a row: use ` for a macro call or ``` to open or close a comment"),
                offset,
                length,
            ),
            ScanError::UnterminatedComment { offset } => (
                "spl::macro::unterminated_comment",
                "comment opened with ``` is never closed".to_string(),
                offset,
                3,
            ),
            ScanError::UnterminatedCall { offset } => (
                "spl::macro::unterminated",
                "macro call opened with ` is never closed".to_string(),
                offset,
                1,
            ),
        };
        let span = self.input_span(source, Span::new(offset, offset + length));
        let parent = self.frame_at(source, offset);
        self.in_context(Diagnostic::error(code, message, span), parent)
    }

    /// Adds "in the definition of …" help when the problem is inside a macro.
    fn in_context(&self, diagnostic: Diagnostic, frame: Option<usize>) -> Diagnostic {
        let Some(frame) = frame.and_then(|index| self.frames.get(index)) else {
            return diagnostic;
        };
        let context = format!(
            "in the definition of macro `{}` ({}), expanded from the call marked here",
            frame.name, frame.origin
        );
        match diagnostic.help.clone() {
            Some(help) => diagnostic.with_help(format!("{help}; {context}")),
            None => diagnostic.with_help(context),
        }
    }

    /// `a -> b -> name` for the current stack.
    fn chain_with(&self, name: &str) -> String {
        let mut chain: Vec<&str> = self.stack.iter().map(|(n, _)| n.as_str()).collect();
        chain.push(name);
        chain.join(" -> ")
    }

    /// The provenance of byte `offset` of `source`.
    fn provenance_at(&self, source: &MappedText, offset: usize) -> Provenance {
        source.piece_at(offset).map_or(
            Provenance::Input {
                offset: self.input_len,
            },
            |piece| match piece.provenance {
                Provenance::Input { offset: start } => Provenance::Input {
                    offset: start + offset.saturating_sub(piece.start),
                },
                Provenance::Macro {
                    frame,
                    offset: start,
                } => Provenance::Macro {
                    frame,
                    offset: start + offset.saturating_sub(piece.start),
                },
            },
        )
    }

    /// The macro frame whose definition byte `offset` of `source` came from.
    fn frame_at(&self, source: &MappedText, offset: usize) -> Option<usize> {
        match self.provenance_at(source, offset) {
            Provenance::Macro { frame, .. } => Some(frame),
            Provenance::Input { .. } => None,
        }
    }

    /// The input span that produced `span` of `source`.
    fn input_span(&self, source: &MappedText, span: Span) -> Span {
        let first = self.input_byte(source, span.start, span.is_empty());
        if span.is_empty() {
            return first;
        }
        first.to(self.input_byte(source, span.end - 1, false))
    }

    fn input_byte(&self, source: &MappedText, offset: usize, empty: bool) -> Span {
        match self.provenance_at(source, offset) {
            Provenance::Input { offset } => {
                let offset = offset.min(self.input_len);
                Span::new(
                    offset,
                    if empty {
                        offset
                    } else {
                        (offset + 1).min(self.input_len)
                    },
                )
            }
            Provenance::Macro { frame, .. } => self
                .frames
                .get(frame)
                .map_or(Span::new(self.input_len, self.input_len), |f| f.call_span),
        }
    }
}

/// Pairs the definition's argument names with the call's arguments: by name when every
/// argument is `name=value` with a distinct known name (`` `m(bar=2,foo=1)` ``), otherwise
/// by position.
fn bind<'d>(definition: &'d MacroDefinition, call: &Call, text: &str) -> Vec<Binding<'d>> {
    if let Some(named) = bind_by_name(definition, call, text) {
        return named;
    }
    definition
        .arguments
        .iter()
        .zip(&call.arguments)
        .map(|(name, value)| Binding {
            name: name.as_str(),
            value: *value,
        })
        .collect()
}

fn bind_by_name<'d>(
    definition: &'d MacroDefinition,
    call: &Call,
    text: &str,
) -> Option<Vec<Binding<'d>>> {
    let mut bindings: Vec<Binding<'d>> = Vec::new();
    for argument in &call.arguments {
        let argument_text = text.get(argument.start..argument.end)?;
        let equals = argument_text.find('=')?;
        let key = argument_text.get(..equals)?.trim();
        let name = definition.arguments.iter().find(|n| n.as_str() == key)?;
        if bindings.iter().any(|b| b.name == name.as_str()) {
            return None;
        }
        let value_text = argument_text.get(equals + 1..)?;
        let value_start =
            argument.start + equals + 1 + (value_text.len() - value_text.trim_start().len());
        bindings.push(Binding {
            name: name.as_str(),
            value: Span::new(value_start.min(argument.end), argument.end),
        });
    }
    Some(bindings)
}

fn describe_arities(arities: &[usize]) -> String {
    let listed: Vec<String> = arities.iter().map(|a| a.to_string()).collect();
    match listed.as_slice() {
        [one] if one == "1" => "1 argument".to_string(),
        [one] => format!("{one} arguments"),
        _ => format!("{} arguments", listed.join(" or ")),
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
