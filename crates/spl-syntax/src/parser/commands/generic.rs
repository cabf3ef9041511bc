//! Any command not modeled in detail: its arguments as tokens.

use super::search::bracketed_pipeline;
use crate::ast::{CommandKind, GenericArg, GenericCommand};
use crate::parser::error::{failure, Expected};
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::{bare_word, command_option, option_ahead, quoted_string, whitespace};
use crate::parser::split::matching_bracket;
use crate::span::{Span, Spanned};
use nom::Parser;

/// Commands whose `[ … ]` argument is a template, not a subsearch.
const TEMPLATE_COMMANDS: &[&str] = &["foreach", "map"];

/// Tokenises the rest of the segment; `name` is the lower-case command name.
pub(crate) fn parse<'a>(name: &str) -> impl FnMut(Input<'a>) -> PResult<'a, CommandKind> {
    let templates = TEMPLATE_COMMANDS.contains(&name);
    move |input: Input<'a>| {
        arguments(input, templates, None)
            .map(|(rest, args)| (rest, CommandKind::Generic(GenericCommand { args })))
    }
}

/// Tokens up to the end of the segment, or up to the `)` closing the `(` at `open`.
fn arguments(input: Input, templates: bool, open: Option<usize>) -> PResult<Vec<GenericArg>> {
    let mut args = Vec::new();
    let mut at = input;
    loop {
        (at, ()) = whitespace(at)?;
        let Some(c) = at.peek() else {
            return match open {
                Some(open) => Err(failure(Span::new(open, open + 1), Expected::ClosingParen)),
                None => Ok((at, args)),
            };
        };
        if c == ')' && open.is_some() {
            return Ok((at.advance(1), args));
        }
        let arg;
        (at, arg) = argument(at, c, templates)?;
        args.push(arg);
    }
}

/// One token starting with `c`.
fn argument(input: Input, c: char, templates: bool) -> PResult<GenericArg> {
    match c {
        '"' => quoted_string.map(GenericArg::Quoted).parse(input),
        '(' => group(input, templates),
        '[' if templates => template(input),
        '[' => bracketed_pipeline
            .map(|(pipeline, _)| GenericArg::Subsearch(Box::new(pipeline)))
            .parse(input),
        _ if option_ahead(&input) => command_option.map(GenericArg::Option).parse(input),
        ',' | ')' | ']' => {
            let rest = input.advance(1);
            let word = Spanned::new(c.to_string(), rest.span_from(input.pos));
            Ok((rest, GenericArg::Word(word)))
        }
        '=' | '<' | '>' | '!' => bare_word(|_, c| !matches!(c, '=' | '<' | '>' | '!'))
            .map(GenericArg::Word)
            .parse(input),
        _ => bare_word(word_stop).map(GenericArg::Word).parse(input),
    }
}

/// `( tokens… )`, one nesting level deeper.
fn group(input: Input, templates: bool) -> PResult<GenericArg> {
    let start = input.pos;
    let inside = input.deeper(Span::new(start, start + 1))?.advance(1);
    let (rest, inner) = arguments(inside, templates, Some(start))?;
    let group = GenericArg::Group(Spanned::new(inner, rest.span_from(start)));
    Ok((rest.shallower(&input), group))
}

/// Ends a bare word.
fn word_stop(at: &Input, c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '"' | '(' | ')' | '[' | ']' | ',' | '=' | '<' | '>')
        || (c == '!' && at.rest().get(1..).is_some_and(|s| s.starts_with('=')))
}

/// `[ … ]` kept as text.
fn template(input: Input) -> PResult<GenericArg> {
    let open = input.pos;
    let close = matching_bracket(input.text, open, input.end)
        .ok_or_else(|| failure(Span::new(open, open + 1), Expected::ClosingBracket))?;
    let text = input.text.get(open + 1..close).unwrap_or("").to_string();
    let rest = input.advance(close + 1 - open);
    Ok((
        rest,
        GenericArg::Template(Spanned::new(text, Span::new(open, close + 1))),
    ))
}
