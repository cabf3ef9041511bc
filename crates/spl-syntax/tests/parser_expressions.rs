//! `where`/`eval` expression grammar (§5.2, §5.3).

mod parser_support;

use parser_support::*;
use spl_syntax::ast::{CommandKind, Expr, ExprKind, UnaryOp};

/// A fully parenthesised rendering: `(a + b)`, `f(x)`, `'name'`, `"str"`.
fn shape(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Str(text) => format!("{text:?}"),
        ExprKind::Number(text) => text.clone(),
        ExprKind::Field(name) => format!("'{name}'"),
        ExprKind::Call { name, args } => format!(
            "{}({})",
            name.node,
            args.iter().map(shape).collect::<Vec<_>>().join(",")
        ),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            expr,
        } => format!("(-{})", shape(expr)),
        ExprKind::Unary {
            op: UnaryOp::Not,
            expr,
        } => format!("(NOT {})", shape(expr)),
        ExprKind::Binary { op, left, right } => {
            format!("({} {} {})", shape(left), op.as_str(), shape(right))
        }
        ExprKind::In { expr, list } => format!(
            "({} IN [{}])",
            shape(expr),
            list.iter().map(shape).collect::<Vec<_>>().join(",")
        ),
    }
}

fn where_expr(text: &str) -> Expr {
    match only_command(&format!("| where {text}")).kind {
        CommandKind::Where(expr) => expr,
        other => panic!("{other:?}"),
    }
}

fn where_shape(text: &str) -> String {
    shape(&where_expr(text))
}

#[test]
fn and_binds_tighter_than_or_and_or_than_xor() {
    assert_eq!(
        where_shape("count > 5 OR a=1 AND b=2"),
        "(('count' > 5) OR (('a' = 1) AND ('b' = 2)))"
    );
    assert_eq!(where_shape("a XOR b OR c"), "('a' XOR ('b' OR 'c'))");
}

#[test]
fn arithmetic_precedence_and_unary_minus() {
    assert_eq!(
        where_shape("a + b * c > -d"),
        "(('a' + ('b' * 'c')) > (-'d'))"
    );
    assert_eq!(where_shape("a - b - c = 1"), "((('a' - 'b') - 'c') = 1)");
    assert_eq!(where_shape("a % 2 == 0"), "(('a' % 2) = 0)");
}

#[test]
fn not_applies_to_the_comparison() {
    assert_eq!(
        where_shape(r#"NOT x="a" AND y"#),
        r#"((NOT ('x' = "a")) AND 'y')"#
    );
    assert_eq!(where_shape("!x"), "(NOT 'x')");
}

#[test]
fn dotted_identifiers_are_concatenation_but_numbers_are_numbers() {
    assert_eq!(where_shape("user.username"), "('user' . 'username')");
    assert_eq!(where_shape("x > 1.5"), "('x' > 1.5)");
    assert_eq!(where_shape("x > .25"), "('x' > .25)");
    assert_eq!(where_shape("x > 1e3"), "('x' > 1e3)");
}

#[test]
fn literals_fields_and_calls() {
    assert_eq!(
        where_shape(r#"'user.groups{}'="a \"b\"" AND match(src, "^10\.") AND isnull(f)"#),
        r#"((('user.groups{}' = "a \"b\"") AND match('src',"^10\\.")) AND isnull('f'))"#
    );
    assert_eq!(
        where_shape("if(a, true(), null())"),
        "if('a',true(),null())"
    );
    assert_eq!(where_shape("mvindex ('x', 1)"), "mvindex('x',1)");
}

#[test]
fn in_and_like_predicates() {
    assert_eq!(where_shape(r#"x IN ("a", "b")"#), r#"('x' IN ["a","b"])"#);
    assert_eq!(where_shape(r#"x LIKE "a%""#), r#"('x' LIKE "a%")"#);
    assert_eq!(
        where_shape(r#"x like "a%" and y"#),
        r#"(('x' LIKE "a%") AND 'y')"#
    );
    assert_eq!(where_shape(r#"LIKE (x, "a%")"#), r#"LIKE('x',"a%")"#);
}

#[test]
fn expression_spans() {
    let text = r#"| where status >= 400 AND lower(method)="get""#;
    let CommandKind::Where(expr) = only_command(text).kind else {
        panic!()
    };
    assert_eq!(
        at(text, expr.span),
        r#"status >= 400 AND lower(method)="get""#
    );
    let ExprKind::Binary { left, right, .. } = &expr.kind else {
        panic!()
    };
    assert_eq!(at(text, left.span), "status >= 400");
    let ExprKind::Binary { left: call, .. } = &right.kind else {
        panic!()
    };
    assert_eq!(at(text, call.span), "lower(method)");
    let ExprKind::Call { name, args } = &call.kind else {
        panic!()
    };
    assert_eq!(at(text, name.span), "lower");
    assert_eq!(at(text, args[0].span), "method");
}

#[test]
fn eval_assignments() {
    let text = r#"| eval a=1+2, "b c"=case(x=1,"one", true(), "other"), 'd'=a.b"#;
    let CommandKind::Eval(assignments) = only_command(text).kind else {
        panic!()
    };
    assert_eq!(assignments.len(), 3);
    assert_eq!(assignments[0].field.name, "a");
    assert_eq!(shape(&assignments[0].expr), "(1 + 2)");
    assert_eq!(assignments[1].field.name, "b c");
    assert_eq!(at(text, assignments[1].field.span), r#""b c""#);
    assert_eq!(
        shape(&assignments[1].expr),
        r#"case(('x' = 1),"one",true(),"other")"#
    );
    assert_eq!(assignments[2].field.name, "d");
    assert_eq!(at(text, assignments[2].span), "'d'=a.b");
}

#[test]
fn eval_with_spaces_around_equals() {
    let CommandKind::Eval(assignments) =
        only_command("| eval dest = SChannelName, user = UserName").kind
    else {
        panic!()
    };
    assert_eq!(assignments[1].field.name, "user");
    assert_eq!(shape(&assignments[1].expr), "'UserName'");
}

#[test]
fn expressions_round_trip() {
    for text in [
        "| where count > 5 OR a=1 AND b=2",
        "| where NOT (a OR b) AND -(x + 1) * 2 < 3",
        r#"| eval a='x y'.":".z, b=if(match(s, "\\d+"), "n", null())"#,
        r#"| where x IN ("a", "b") AND y LIKE "%c""#,
        "| eval n=(a - (b - c)) / (d * (e % f))",
        "| eval x=-(-1)",
    ] {
        assert_round_trip(text);
    }
}

#[test]
fn string_escapes_in_expressions() {
    let text = r#"| eval s="a\tb\"c\\d\x\n""#;
    let CommandKind::Eval(assignments) = only_command(text).kind else {
        panic!()
    };
    assert_eq!(
        assignments[0].expr.kind,
        ExprKind::Str("a\tb\"c\\d\\x\n".to_string())
    );
    assert_round_trip(text);
}
