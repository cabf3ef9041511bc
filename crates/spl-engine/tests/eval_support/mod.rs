//! Test helpers for eval expressions: a small expression reader (until the real parser is
//! merged), the standard test record of `spl-semantics.md` §5.6, and one-line assertions.
#![allow(dead_code)]

use spl_engine::eval::{compile, EvalContext, EvalValue};
use spl_engine::{Record, Value};
use spl_syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use spl_syntax::{Span, Spanned};

/// The record of §5.6: `a="5"`, `b="10"`, `s="Admin"`, `m=[x,y]`, `n` absent.
pub fn record() -> Record {
    let mut r = Record::new();
    r.insert("a", "5");
    r.insert("b", "10");
    r.insert("s", "Admin");
    r.insert("m", Value::Multi(vec!["x".into(), "y".into()]));
    r
}

/// Evaluates `text` against `record` with `now = 1000`.
pub fn eval_on(text: &str, record: &Record) -> EvalValue {
    let expr = parse(text);
    let compiled = compile(&expr).unwrap_or_else(|d| panic!("{text}: {}", d.message));
    compiled.evaluate(record, &EvalContext { now: 1000 })
}

/// Evaluates `text` against [`record`] and describes the result.
pub fn describe(text: &str) -> String {
    eval_on(text, &record()).describe()
}

/// Parses an expression (precedence of §5.3).
pub fn parse(text: &str) -> Expr {
    let mut reader = Reader {
        tokens: tokenize(text),
        position: 0,
    };
    let expr = reader.expression(0);
    assert!(
        reader.position == reader.tokens.len(),
        "trailing input in {text}"
    );
    expr
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Str(String),
    Number(String),
    Name(String),
    Quoted(String),
    Symbol(String),
}

fn tokenize(text: &str) -> Vec<(Token, Span)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let token;
        if c == '"' || c == '\'' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i].1 != c {
                if chars[i].1 == '\\' && i + 1 < chars.len() {
                    let next = chars[i + 1].1;
                    match next {
                        '"' | '\\' => s.push(next),
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                    i += 2;
                    continue;
                }
                s.push(chars[i].1);
                i += 1;
            }
            i += 1;
            token = if c == '"' {
                Token::Str(s)
            } else {
                Token::Quoted(s)
            };
        } else if c.is_ascii_digit() {
            let mut s = String::new();
            while i < chars.len() && (chars[i].1.is_ascii_digit() || chars[i].1 == '.') {
                s.push(chars[i].1);
                i += 1;
            }
            token = Token::Number(s);
        } else if c.is_alphabetic() || c == '_' {
            let mut s = String::new();
            while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '_') {
                s.push(chars[i].1);
                i += 1;
            }
            token = Token::Name(s);
        } else {
            let two: String = chars[i..].iter().take(2).map(|p| p.1).collect();
            if ["==", "!=", "<=", ">="].contains(&two.as_str()) {
                i += 2;
                token = Token::Symbol(two);
            } else {
                i += 1;
                token = Token::Symbol(c.to_string());
            }
        }
        let end = chars.get(i).map_or(text.len(), |p| p.0);
        tokens.push((token, Span::new(start, end)));
    }
    tokens
}

struct Reader {
    tokens: Vec<(Token, Span)>,
    position: usize,
}

fn binary_op(token: &Token) -> Option<(BinaryOp, u8)> {
    let text = match token {
        Token::Symbol(s) | Token::Name(s) => s.as_str(),
        _ => return None,
    };
    Some(match text {
        "XOR" => (BinaryOp::Xor, 1),
        "OR" => (BinaryOp::Or, 2),
        "AND" => (BinaryOp::And, 3),
        "=" | "==" => (BinaryOp::Eq, 5),
        "!=" => (BinaryOp::Ne, 5),
        "<" => (BinaryOp::Lt, 5),
        "<=" => (BinaryOp::Le, 5),
        ">" => (BinaryOp::Gt, 5),
        ">=" => (BinaryOp::Ge, 5),
        "LIKE" => (BinaryOp::Like, 5),
        "+" => (BinaryOp::Add, 6),
        "-" => (BinaryOp::Sub, 6),
        "." => (BinaryOp::Concat, 6),
        "*" => (BinaryOp::Mul, 7),
        "/" => (BinaryOp::Div, 7),
        "%" => (BinaryOp::Mod, 7),
        _ => return None,
    })
}

impl Reader {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|t| &t.0)
    }

    fn next(&mut self) -> (Token, Span) {
        let t = self.tokens[self.position].clone();
        self.position += 1;
        t
    }

    fn expect(&mut self, symbol: &str) -> Span {
        let (token, span) = self.next();
        assert_eq!(token, Token::Symbol(symbol.into()));
        span
    }

    fn expression(&mut self, min: u8) -> Expr {
        let mut left = self.prefix();
        loop {
            if self.peek() == Some(&Token::Name("IN".into())) && min <= 5 {
                self.next();
                self.expect("(");
                let list = self.list();
                let end = self.expect(")");
                let span = Span::new(left.span.start, end.end);
                left = Expr {
                    kind: ExprKind::In {
                        expr: Box::new(left),
                        list,
                    },
                    span,
                };
                continue;
            }
            let Some((op, level)) = self.peek().and_then(binary_op) else {
                break;
            };
            if level < min {
                break;
            }
            self.next();
            let right = self.expression(level + 1);
            let span = Span::new(left.span.start, right.span.end);
            left = Expr {
                kind: ExprKind::Binary {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                span,
            };
        }
        left
    }

    fn list(&mut self) -> Vec<Expr> {
        let mut args = Vec::new();
        if self.peek() == Some(&Token::Symbol(")".into())) {
            return args;
        }
        loop {
            args.push(self.expression(0));
            if self.peek() == Some(&Token::Symbol(",".into())) {
                self.next();
            } else {
                return args;
            }
        }
    }

    fn prefix(&mut self) -> Expr {
        let (token, span) = self.next();
        let kind = match token {
            Token::Str(s) => ExprKind::Str(s),
            Token::Number(n) => ExprKind::Number(n),
            Token::Quoted(q) => ExprKind::Field(q),
            Token::Symbol(s) if s == "-" => {
                let inner = self.expression(8);
                let span = Span::new(span.start, inner.span.end);
                return Expr {
                    kind: ExprKind::Unary {
                        op: UnaryOp::Neg,
                        expr: Box::new(inner),
                    },
                    span,
                };
            }
            Token::Symbol(s) if s == "(" => {
                let inner = self.expression(0);
                self.expect(")");
                return inner;
            }
            Token::Name(n) if n == "NOT" => {
                let inner = self.expression(4);
                let span = Span::new(span.start, inner.span.end);
                return Expr {
                    kind: ExprKind::Unary {
                        op: UnaryOp::Not,
                        expr: Box::new(inner),
                    },
                    span,
                };
            }
            Token::Name(n) if self.peek() == Some(&Token::Symbol("(".into())) => {
                self.next();
                let args = self.list();
                let end = self.expect(")");
                return Expr {
                    kind: ExprKind::Call {
                        name: Spanned { node: n, span },
                        args,
                    },
                    span: Span::new(span.start, end.end),
                };
            }
            Token::Name(n) => ExprKind::Field(n),
            other => panic!("unexpected {other:?}"),
        };
        Expr { kind, span }
    }
}
