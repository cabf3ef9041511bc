//! Lexical pieces shared by the commands, as nom parsers: whitespace, keywords, quoted
//! strings, bare words, field names, options, numbers and lists.

use super::error::{failure, Expected, ParseError};
use super::input::{Input, PResult};
use crate::ast::{CommandOption, Field};
use crate::span::{Span, Spanned};
use nom::bytes::complete::{is_not, tag, tag_no_case, take_while};
use nom::character::complete::{anychar, char};
use nom::combinator::{not, peek, value};
use nom::multi::{fold, many0};
use nom::sequence::preceded;
use nom::Parser;

/// Optional whitespace (any Unicode white space).
pub(crate) fn whitespace(input: Input) -> PResult<()> {
    value((), take_while(char::is_whitespace)).parse(input)
}

/// Whitespace and commas (`a, , b` has an empty item that Splunk ignores).
pub(crate) fn separator(input: Input) -> PResult<()> {
    value((), (whitespace, many0((char(','), whitespace)))).parse(input)
}

/// True when `c` ends a keyword: whitespace, a parenthesis, a quote or a bracket.
fn is_boundary(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '[' | ']')
}

/// Succeeds without consuming at the end or before a word boundary.
fn boundary(input: Input) -> PResult<()> {
    not(peek(nom::character::complete::satisfy(|c| !is_boundary(c)))).parse(input)
}

/// The word `word` in exact case followed by a boundary (`OR` in a search); its span.
pub(crate) fn keyword<'a>(word: &'static str) -> impl FnMut(Input<'a>) -> PResult<'a, Span> {
    move |input: Input<'a>| {
        let start = input.pos;
        let (rest, _) = (tag(word), boundary).parse(input)?;
        Ok((rest, rest.span_from(start)))
    }
}

/// The word `word` in any ASCII case followed by a boundary (`by`, `AS`); its span.
pub(crate) fn keyword_ignoring_case<'a>(
    word: &'static str,
) -> impl FnMut(Input<'a>) -> PResult<'a, Span> {
    move |input: Input<'a>| {
        let start = input.pos;
        let (rest, _) = (tag_no_case(word), boundary).parse(input)?;
        Ok((rest, rest.span_from(start)))
    }
}

/// A piece of a quoted string: a run of plain characters, or an escape.
#[derive(Clone, Copy)]
pub(crate) enum Piece<'a> {
    /// Characters taken as they are.
    Run(&'a str),
    /// A backslash pair giving one character (`\"` gives `"`).
    Char(char),
    /// A backslash pair kept as written (`\d`).
    Pair(char),
}

impl Piece<'_> {
    /// Appends the piece to `text`.
    pub(crate) fn push_to(self, text: &mut String) {
        match self {
            Piece::Run(run) => text.push_str(run),
            Piece::Char(c) => text.push(c),
            Piece::Pair(c) => {
                text.push('\\');
                text.push(c);
            }
        }
    }
}

/// A non-empty run of characters other than those in `stops`.
pub(crate) fn run_of<'a>(stops: &'static str) -> impl FnMut(Input<'a>) -> PResult<'a, Piece<'a>> {
    move |input: Input<'a>| {
        is_not(stops)
            .map(|run: Input<'a>| Piece::Run(run.rest()))
            .parse(input)
    }
}

/// The character after a backslash: `\"` and `\\` give the character alone, any other pair
/// is kept as written.
fn escape(input: Input) -> PResult<Piece> {
    preceded(char('\\'), anychar)
        .map(|c| match c {
            '"' | '\\' => Piece::Char(c),
            other => Piece::Pair(other),
        })
        .parse(input)
}

/// Reads the escape at a backslash into `text`; a backslash at the very end stays alone.
fn escape_into<'a>(input: Input<'a>, text: &mut String) -> PResult<'a, ()> {
    match escape(input) {
        Ok((rest, piece)) => {
            piece.push_to(text);
            Ok((rest, ()))
        }
        Err(_) => {
            text.push('\\');
            Ok((input.advance(1), ()))
        }
    }
}

/// A string between `quote`s made of pieces given by `piece`. Not at a quote: a
/// recoverable error; no closing quote: a failure at the opening one.
pub(crate) fn quoted_with<'a>(
    input: Input<'a>,
    quote: char,
    piece: impl Parser<Input<'a>, Output = Piece<'a>, Error = ParseError>,
) -> PResult<'a, Spanned<String>> {
    let start = input.pos;
    let (inside, _) = char(quote).parse(input)?;
    let (rest, text) = fold(0.., piece, String::new, |mut text, piece| {
        piece.push_to(&mut text);
        text
    })
    .parse(inside)?;
    match char::<_, ParseError>(quote).parse(rest) {
        Ok((rest, _)) => Ok((rest, Spanned::new(text, rest.span_from(start)))),
        Err(_) => Err(failure(Span::new(start, start + 1), Expected::ClosingQuote)),
    }
}

/// `"text"` with `\"` and `\\` escapes processed (other backslashes are kept). Not at a
/// quote: a recoverable error; no closing quote: a failure at the opening quote.
pub(crate) fn quoted_string(input: Input) -> PResult<Spanned<String>> {
    quoted_with(input, '"', nom::branch::alt((run_of("\"\\"), escape)))
}

/// A bare token: characters up to one for which `stop` is true. A backslash and the
/// character after it always belong to the token (as when splitting the pipeline); `\"` and
/// `\\` give the character alone, other pairs are kept as written (so `*\"a\"*` gives
/// `*"a"*`). May be empty.
pub(crate) fn bare_word<'a>(
    mut stop: impl FnMut(&Input, char) -> bool,
) -> impl FnMut(Input<'a>) -> PResult<'a, Spanned<String>> {
    move |input: Input<'a>| {
        let start = input.pos;
        let mut at = input;
        let mut text = String::new();
        while let Some(c) = at.peek() {
            if stop(&at, c) {
                break;
            }
            if c == '\\' {
                let (rest, ()) = escape_into(at, &mut text)?;
                at = rest;
                continue;
            }
            text.push(c);
            at = at.advance(c.len_utf8());
        }
        Ok((at, Spanned::new(text, at.span_from(start))))
    }
}

/// Stops a list item: whitespace or a comma (parentheses belong to names such as
/// `count(user)`).
pub(crate) fn list_stop(_: &Input, c: char) -> bool {
    c.is_whitespace() || c == ','
}

/// A field from a quoted string.
fn quoted_field(input: Input) -> PResult<Field> {
    quoted_string
        .map(|quoted| Field {
            name: quoted.node,
            span: quoted.span,
        })
        .parse(input)
}

/// A bare field name ending where `stop` says; empty is an error expecting `what`.
fn bare_field<'a>(
    what: &'static str,
    stop: fn(&Input, char) -> bool,
) -> impl FnMut(Input<'a>) -> PResult<'a, Field> {
    move |input: Input<'a>| {
        let (rest, word) = bare_word(stop)(input)?;
        if word.node.is_empty() {
            return Err(nom::Err::Error(input.error_here(Expected::Argument(what))));
        }
        let field = Field {
            name: word.node,
            span: word.span,
        };
        Ok((rest, field))
    }
}

/// A field name, double-quoted or bare (`user.groups{}`, `"a b"`, `c*`, `count(x)`); bare
/// names end at whitespace and commas. Nothing there: an error expecting `what`.
pub(crate) fn field_name<'a>(what: &'static str) -> impl FnMut(Input<'a>) -> PResult<'a, Field> {
    move |input: Input<'a>| {
        if input.peek() == Some('"') {
            return quoted_field(input);
        }
        bare_field(what, list_stop)(input)
    }
}

/// A field name inside parentheses (`num(x)`): quoted, or bare up to `)`, a comma or
/// whitespace.
pub(crate) fn parenthesised_field_name(input: Input) -> PResult<Field> {
    if input.peek() == Some('"') {
        return quoted_field(input);
    }
    bare_field("a field name", |_, c| {
        c.is_whitespace() || matches!(c, ')' | ',')
    })(input)
}

/// The length of an option name at the start of `text` when it is followed by a single `=`
/// (`limit=3`, not `a==b`).
pub(crate) fn option_name_length(text: &str) -> Option<usize> {
    let length = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(text.len(), |(i, _)| i);
    let first = text.chars().next()?;
    if length == 0 || !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let after = text.get(length..)?;
    (after.starts_with('=') && !after.starts_with("==")).then_some(length)
}

/// True when the input is on `name=`.
pub(crate) fn option_ahead(input: &Input) -> bool {
    option_name_length(input.rest()).is_some()
}

/// `name=value` with a quoted or bare value (bare values end at whitespace, commas,
/// parentheses and brackets). Not on `name=`: a recoverable error.
pub(crate) fn command_option(input: Input) -> PResult<CommandOption> {
    let Some(length) = option_name_length(input.rest()) else {
        return Err(nom::Err::Error(
            input.error_here(Expected::Token("`name=value`")),
        ));
    };
    let name = Spanned::new(
        input.rest().get(..length).unwrap_or("").to_string(),
        Span::new(input.pos, input.pos + length),
    );
    let after = input.advance(length + 1);
    let (rest, value) = if after.peek() == Some('"') {
        quoted_string(after)?
    } else {
        bare_word(|_, c| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '[' | ']'))(after)?
    };
    Ok((rest, CommandOption { name, value }))
}

/// The option, checked against the names a command accepts (a failure otherwise).
pub(crate) fn known_option<'a>(
    known: &'static [&'static str],
) -> impl FnMut(Input<'a>) -> PResult<'a, CommandOption> {
    move |input: Input<'a>| {
        let (rest, option) = command_option(input)?;
        let lower = option.name.node.to_ascii_lowercase();
        if known.contains(&lower.as_str()) {
            return Ok((rest, option));
        }
        Err(failure(
            option.name.span,
            Expected::KnownOption {
                found: option.name.node,
                known,
            },
        ))
    }
}

/// A Splunk Boolean option value (`true`, `false`, `t`, `f`, `1`, `0`).
pub(crate) fn boolean(value: &Spanned<String>) -> Result<bool, ParseError> {
    match value.node.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" => Ok(true),
        "false" | "f" | "0" | "no" => Ok(false),
        _ => Err(ParseError::new(
            value.span,
            Expected::Value("true or false"),
        )),
    }
}

/// A non-negative integer option value.
pub(crate) fn unsigned(value: &Spanned<String>) -> Result<u64, ParseError> {
    value
        .node
        .parse::<u64>()
        .map_err(|_| ParseError::new(value.span, Expected::Value("a whole number")))
}

/// A run of ASCII digits followed by whitespace, a comma or the end (`head 5`). Not there:
/// a recoverable error; too large: a failure.
pub(crate) fn leading_count(input: Input) -> PResult<u64> {
    let start = input.pos;
    let (rest, digits) = nom::character::complete::digit1.parse(input)?;
    if rest.peek().is_some_and(|c| !c.is_whitespace() && c != ',') {
        return Err(nom::Err::Error(
            input.error_here(Expected::Value("a number")),
        ));
    }
    let word = Spanned::new(digits.rest().to_string(), rest.span_from(start));
    match unsigned(&word) {
        Ok(count) => Ok((rest, count)),
        Err(error) => Err(nom::Err::Failure(error)),
    }
}

/// Fields separated by whitespace or commas, up to the end of the segment or a position for
/// which `stop` is true.
pub(crate) fn field_list<'a>(
    stop: fn(&Input) -> bool,
) -> impl FnMut(Input<'a>) -> PResult<'a, Vec<Field>> {
    move |input: Input<'a>| {
        let mut fields = Vec::new();
        let mut at = input;
        loop {
            (at, ()) = separator(at)?;
            if at.at_end() || stop(&at) {
                return Ok((at, fields));
            }
            let (rest, field) = nom::combinator::cut(field_name("a field name")).parse(at)?;
            fields.push(field);
            at = rest;
        }
    }
}

/// The span of the whitespace-delimited word at the input (for error messages).
pub(crate) fn word_span(input: &Input) -> Span {
    let end = input
        .rest()
        .find(char::is_whitespace)
        .map_or(input.end, |length| input.pos + length);
    Span::new(input.pos, end.max(input.pos))
}

/// Fails unless only whitespace is left.
pub(crate) fn expect_end(input: Input) -> PResult<()> {
    let (rest, ()) = whitespace(input)?;
    if rest.at_end() {
        return Ok((rest, ()));
    }
    let end = word_span(&rest)
        .end
        .max(rest.pos + rest.peek().map_or(0, char::len_utf8));
    Err(failure(
        Span::new(rest.pos, end),
        Expected::Token("the end of the command"),
    ))
}
