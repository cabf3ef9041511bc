//! `where <expr>`.

use crate::ast::CommandKind;
use crate::parser::expression::expression;
use crate::parser::input::{Input, PResult};
use crate::parser::lexical::expect_end;
use nom::Parser;

/// `where <expr>`: one expression filling the segment.
pub(crate) fn parse(input: Input) -> PResult<CommandKind> {
    (expression, expect_end)
        .map(|(expr, ())| CommandKind::Where(expr))
        .parse(input)
}
