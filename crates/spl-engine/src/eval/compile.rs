//! Lowering an [`Expr`] into a [`Node`] tree: functions resolved to table entries, arity
//! checked, literal regular expressions compiled once.

use super::functions::{self, Function};
use super::operators;
use super::value::EvalValue;
use super::EvalContext;
use crate::value::{parse_number, Record};
use fancy_regex::Regex;
use spl_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use spl_syntax::diagnostic::did_you_mean;
use spl_syntax::{Diagnostic, Span};
use std::sync::Arc;

/// Deepest expression nesting accepted (evaluation is recursive). A chain of one
/// left-associative operator (`a OR b OR …`, `1+2+…`) is one level however long it is.
const MAX_DEPTH: usize = 200;

/// A compiled expression node.
#[derive(Clone, Debug)]
pub enum Node {
    /// A literal.
    Constant(EvalValue),
    /// A field read.
    Field(String),
    /// A function call.
    Call(Call),
    /// `-x`, `NOT x`.
    Unary(UnaryOp, Box<Node>),
    /// `a op b`.
    Binary(BinaryOp, Box<Node>, Box<Node>),
    /// `a op b op c …`: three or more terms joined by left-associative operators of one
    /// precedence level (`1 - 2 + 3`, `a OR b OR c`), grouped from the left and evaluated
    /// in a loop.
    Chain(Box<Node>, Vec<(BinaryOp, Node)>),
    /// `x IN (…)`.
    In(Box<Node>, Vec<Node>),
}

/// A resolved function call.
#[derive(Clone, Debug)]
pub struct Call {
    /// The table entry.
    pub function: &'static Function,
    /// The arguments.
    pub args: Vec<Node>,
    /// The regular expression, when the function takes one and it was a literal.
    pub regex: Option<Arc<Regex>>,
}

/// Where an expression is evaluated: the record, the context, and (inside `mvfilter`) one
/// field bound to a single value.
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    /// The record.
    pub record: &'a Record,
    /// The search context.
    pub ctx: &'a EvalContext,
    /// `(field, value)` seen instead of the record's field.
    pub binding: Option<(&'a str, &'a str)>,
}

/// Compiles `expr`, checking function names and arity.
pub fn compile_node(expr: &Expr) -> Result<Node, Diagnostic> {
    compile_at(expr, 0)
}

fn compile_at(expr: &Expr, depth: usize) -> Result<Node, Diagnostic> {
    if depth > MAX_DEPTH {
        return Err(Diagnostic::error(
            "spl::plan::expression_too_deep",
            format!("expression nests deeper than {MAX_DEPTH} levels"),
            expr.span,
        ));
    }
    let next = depth + 1;
    Ok(match &expr.kind {
        ExprKind::Str(s) => Node::Constant(EvalValue::Str(s.clone())),
        ExprKind::Number(text) => Node::Constant(number_literal(text, expr.span)?),
        ExprKind::Field(name) => Node::Field(name.clone()),
        ExprKind::Unary { op, expr: inner } => Node::Unary(*op, Box::new(compile_at(inner, next)?)),
        ExprKind::Binary { op, .. } if operators::chain_level(*op).is_some() => {
            compile_chain(*op, expr, next)?
        }
        ExprKind::Binary { op, left, right } => Node::Binary(
            *op,
            Box::new(compile_at(left, next)?),
            Box::new(compile_at(right, next)?),
        ),
        ExprKind::In { expr: inner, list } => Node::In(
            Box::new(compile_at(inner, next)?),
            list.iter()
                .map(|e| compile_at(e, next))
                .collect::<Result<_, _>>()?,
        ),
        ExprKind::Call { name, args } => {
            Node::Call(compile_call(&name.node, name.span, args, expr.span, next)?)
        }
    })
}

/// Compiles the left spine of operators of `op`'s precedence level under `expr` as one
/// level: `((a - b) + c)` becomes `a`, `(-, b)`, `(+, c)` (two terms stay a
/// [`Node::Binary`]).
fn compile_chain(op: BinaryOp, expr: &Expr, depth: usize) -> Result<Node, Diagnostic> {
    let level = operators::chain_level(op);
    let mut rights = Vec::new();
    let mut spine = expr;
    while let ExprKind::Binary {
        op: spine_op,
        left,
        right,
    } = &spine.kind
    {
        if operators::chain_level(*spine_op) != level {
            break;
        }
        rights.push((*spine_op, right.as_ref()));
        spine = left;
    }
    let first = compile_at(spine, depth)?;
    let mut rest = Vec::with_capacity(rights.len());
    for (op, right) in rights.into_iter().rev() {
        rest.push((op, compile_at(right, depth)?));
    }
    if rest.len() == 1 {
        if let Some((op, right)) = rest.pop() {
            return Ok(Node::Binary(op, Box::new(first), Box::new(right)));
        }
    }
    Ok(Node::Chain(Box::new(first), rest))
}

fn number_literal(text: &str, span: Span) -> Result<EvalValue, Diagnostic> {
    match parse_number(text) {
        Some(n) => Ok(EvalValue::Number(n)),
        None => Err(Diagnostic::error(
            "spl::plan::bad_number",
            format!("`{text}` is not a number"),
            span,
        )),
    }
}

fn compile_call(
    name: &str,
    name_span: Span,
    args: &[Expr],
    call_span: Span,
    depth: usize,
) -> Result<Call, Diagnostic> {
    let function = lookup(name, name_span)?;
    check_arity(function, name, args.len(), call_span)?;
    let nodes = args
        .iter()
        .map(|e| compile_at(e, depth))
        .collect::<Result<Vec<_>, _>>()?;
    let regex = literal_regex(function, args)?;
    Ok(Call {
        function,
        args: nodes,
        regex,
    })
}

fn lookup(name: &str, span: Span) -> Result<&'static Function, Diagnostic> {
    if let Some(f) = functions::find(name) {
        return Ok(f);
    }
    if functions::DEFERRED
        .iter()
        .any(|d| d.eq_ignore_ascii_case(name))
    {
        return Err(Diagnostic::error(
            "spl::plan::unsupported_function",
            format!("the eval function `{name}` is not supported yet"),
            span,
        ));
    }
    let diagnostic = Diagnostic::error(
        "spl::plan::unknown_function",
        format!("unknown eval function `{name}`"),
        span,
    );
    Err(
        match did_you_mean(name, functions::TABLE.iter().map(|f| f.name)) {
            Some(close) => diagnostic.with_label(format!("did you mean `{close}`?")),
            None => diagnostic,
        },
    )
}

fn check_arity(
    function: &Function,
    name: &str,
    count: usize,
    span: Span,
) -> Result<(), Diagnostic> {
    let too_many = function.max_args.is_some_and(|max| count > max);
    if count >= function.min_args && !too_many {
        return Ok(());
    }
    let expected = match function.max_args {
        Some(max) if max == function.min_args => format!("{max}"),
        Some(max) => format!("{} to {max}", function.min_args),
        None => format!("at least {}", function.min_args),
    };
    Err(Diagnostic::error(
        "spl::plan::wrong_arity",
        format!("`{name}` takes {expected} argument(s), found {count}"),
        span,
    )
    .with_help(format!("{}: {}", function.name, function.doc)))
}

fn literal_regex(function: &Function, args: &[Expr]) -> Result<Option<Arc<Regex>>, Diagnostic> {
    let Some(index) = function.regex_arg else {
        return Ok(None);
    };
    let Some(Expr {
        kind: ExprKind::Str(pattern),
        span,
    }) = args.get(index)
    else {
        return Ok(None);
    };
    operators::build_regex(pattern)
        .map(|r| Some(Arc::new(r)))
        .map_err(|message| {
            Diagnostic::error(
                "spl::plan::bad_regex",
                format!("invalid regular expression: {message}"),
                *span,
            )
        })
}

impl Node {
    /// Evaluates this node.
    pub fn evaluate(&self, env: &Env<'_>) -> EvalValue {
        match self {
            Node::Constant(v) => v.clone(),
            Node::Field(name) => read_field(name, env),
            Node::Call(call) => (call.function.run)(&call.args, env, call.regex.as_deref()),
            Node::Unary(op, inner) => operators::unary(*op, inner.evaluate(env)),
            Node::Binary(op, left, right) => operators::binary(*op, left, right, env),
            Node::Chain(first, rest) => operators::chain(first, rest, env),
            Node::In(inner, list) => operators::in_list(&inner.evaluate(env), list, env),
        }
    }

    /// True when the node's result is statically known to be a Boolean.
    pub fn is_boolean(&self) -> bool {
        match self {
            Node::Constant(v) => matches!(v, EvalValue::Bool(_)),
            Node::Unary(UnaryOp::Not, _) | Node::In(..) => true,
            Node::Binary(op, ..) => operators::is_boolean_op(*op),
            Node::Chain(_, rest) => rest
                .last()
                .is_some_and(|(op, _)| operators::is_boolean_op(*op)),
            Node::Call(call) => call.function.returns_bool,
            _ => false,
        }
    }

    /// The field names this node reads.
    pub fn fields<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Node::Constant(_) => {}
            Node::Field(name) => out.push(name),
            Node::Call(call) => call.args.iter().for_each(|a| a.fields(out)),
            Node::Unary(_, inner) => inner.fields(out),
            Node::Binary(_, left, right) => {
                left.fields(out);
                right.fields(out);
            }
            Node::Chain(first, rest) => {
                first.fields(out);
                rest.iter().for_each(|(_, a)| a.fields(out));
            }
            Node::In(inner, list) => {
                inner.fields(out);
                list.iter().for_each(|a| a.fields(out));
            }
        }
    }
}

fn read_field(name: &str, env: &Env<'_>) -> EvalValue {
    if let Some((bound, value)) = env.binding {
        if bound == name {
            return EvalValue::Multi(vec![value.to_string()]);
        }
    }
    EvalValue::from_field(env.record.get(name))
}
