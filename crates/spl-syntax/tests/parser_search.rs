//! `search` grammar: comparisons, terms, IN, boolean precedence (§1.1, §1.2, §1.7).

mod parser_support;

use parser_support::*;
use spl_syntax::ast::{CommandKind, CompareOp, SearchExpr, SearchExprKind};

/// A compact rendering of a search tree: `and(...)`, `or(...)`, `not(...)`, `f=v`, `t`.
fn shape(expr: &SearchExpr) -> String {
    let list = |parts: &[SearchExpr]| parts.iter().map(shape).collect::<Vec<_>>().join(",");
    match &expr.kind {
        SearchExprKind::And(parts) => format!("and({})", list(parts)),
        SearchExprKind::Or(parts) => format!("or({})", list(parts)),
        SearchExprKind::Not(inner) => format!("not({})", shape(inner)),
        SearchExprKind::Compare { field, op, value } => {
            format!("{}{}{}", field.name, op.as_str(), value.text)
        }
        SearchExprKind::In { field, values } => format!(
            "{} in [{}]",
            field.name,
            values
                .iter()
                .map(|v| v.text.as_str())
                .collect::<Vec<_>>()
                .join(",")
        ),
        SearchExprKind::Term(value) => value.text.clone(),
        SearchExprKind::Subsearch(_) => "[sub]".to_string(),
    }
}

fn shape_of(text: &str) -> String {
    shape(&search(text))
}

#[test]
fn adjacency_is_and_and_or_binds_tighter() {
    assert_eq!(shape_of("A B OR C D"), "and(A,or(B,C),D)");
    assert_eq!(shape_of("A OR B C"), "and(or(A,B),C)");
    assert_eq!(shape_of("NOT A B"), "and(not(A),B)");
    assert_eq!(shape_of("NOT A OR B"), "or(not(A),B)");
    assert_eq!(shape_of("NOT (A B)"), "not(and(A,B))");
    assert_eq!(shape_of("A AND B AND C"), "and(A,B,C)");
    assert_eq!(shape_of("A OR B OR C"), "or(A,B,C)");
    assert_eq!(shape_of("(A OR B) OR C"), "or(A,B,C)");
}

#[test]
fn escu_kubernetes_search_shape() {
    let text = r#"objectRef.resource=pods verb=create OR verb=update requestObject.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration=*\"privileged\":true*"#;
    assert_eq!(
        shape_of(text),
        r#"and(objectRef.resource=pods,or(verb=create,verb=update),requestObject.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration=*"privileged":true*)"#
    );
}

#[test]
fn lower_case_operators_are_terms() {
    assert_eq!(shape_of("a and b or c not d"), "and(a,and,b,or,c,not,d)");
}

#[test]
fn comparison_operators() {
    let cases = [
        ("a=1", CompareOp::Eq),
        ("a!=1", CompareOp::Ne),
        ("a<1", CompareOp::Lt),
        ("a<=1", CompareOp::Le),
        ("a>1", CompareOp::Gt),
        ("a>=1", CompareOp::Ge),
        ("a = 1", CompareOp::Eq),
    ];
    for (text, expected) in cases {
        match search(text).kind {
            SearchExprKind::Compare { field, op, value } => {
                assert_eq!(field.name, "a", "{text}");
                assert_eq!(op, expected, "{text}");
                assert_eq!(value.text, "1", "{text}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn spaces_around_operator_and_quoted_value_spans() {
    let text = r#"search  user = "$user$""#;
    let expr = search(text);
    let SearchExprKind::Compare { field, value, .. } = &expr.kind else {
        panic!("{expr:?}")
    };
    assert_eq!(at(text, field.span), "user");
    assert_eq!(at(text, value.span), r#""$user$""#);
    assert!(value.quoted);
    assert_eq!(at(text, expr.span), r#"user = "$user$""#);
}

#[test]
fn quoted_field_names_and_escapes() {
    let text = r#""user.groups{}"="system:unauthenticated" msg="a \"b\" c\\d""#;
    assert_eq!(
        shape_of(text),
        r#"and(user.groups{}=system:unauthenticated,msg=a "b" c\d)"#
    );
}

#[test]
fn section_1_7_vectors_parse() {
    assert_eq!(shape_of("user.username=alice"), "user.username=alice");
    assert_eq!(shape_of(r#""user.groups{}"=dev"#), "user.groups{}=dev");
    assert_eq!(shape_of("user.groups{}!=Dev"), "user.groups{}!=Dev");
    assert_eq!(shape_of("NOT user.groups{}=Dev"), "not(user.groups{}=Dev)");
    assert_eq!(
        shape_of(r#"user.groups{} IN (admin, "system:auth*")"#),
        "user.groups{} in [admin,system:auth*]"
    );
    assert_eq!(shape_of("code>400 code<=403"), "and(code>400,code<=403)");
    assert_eq!(shape_of("nosuch!=x"), "nosuch!=x");
    assert_eq!(shape_of("error*"), "error*");
    assert_eq!(shape_of("*"), "*");
}

#[test]
fn in_list_spans_and_wildcards() {
    let text = r#"f IN (a, "b", *c*) x"#;
    let expr = search(text);
    let SearchExprKind::And(parts) = &expr.kind else {
        panic!("{expr:?}")
    };
    assert_eq!(at(text, parts[0].span), r#"f IN (a, "b", *c*)"#);
    let SearchExprKind::In { values, .. } = &parts[0].kind else {
        panic!()
    };
    assert_eq!(values.len(), 3);
    assert_eq!(at(text, values[1].span), r#""b""#);
    assert_eq!(values[2].text, "*c*");
}

#[test]
fn phrases_and_directives_are_terms() {
    assert_eq!(
        shape_of(r#""access denied" CASE(Foo) TERM(10.0.0.1)"#),
        "and(access denied,CASE(Foo),TERM(10.0.0.1))"
    );
}

#[test]
fn subsearch_term() {
    let text = "index=x [search user=bob | fields user]";
    let expr = search(text);
    let SearchExprKind::And(parts) = &expr.kind else {
        panic!("{expr:?}")
    };
    let SearchExprKind::Subsearch(pipeline) = &parts[1].kind else {
        panic!("{expr:?}")
    };
    assert_eq!(pipeline.commands.len(), 2);
    assert_eq!(at(text, parts[1].span), "[search user=bob | fields user]");
    assert_eq!(at(text, pipeline.commands[0].name.span), "search");
}

#[test]
fn implicit_and_explicit_search_names() {
    let text = "a=1 | search b=2";
    let pipeline = parse(text);
    assert_eq!(pipeline.commands[0].name.node, "search");
    assert!(pipeline.commands[0].name.span.is_empty());
    assert_eq!(pipeline.commands[0].name.span.start, 0);
    assert_eq!(at(text, pipeline.commands[1].name.span), "search");
    assert_eq!(at(text, pipeline.commands[1].span), "search b=2");
    assert!(matches!(only_command("").kind, CommandKind::Search(None)));
}

#[test]
fn leading_pipe_names_the_first_command() {
    let pipeline = parse("| inputlookup foo.csv | where a=1");
    assert_eq!(pipeline.commands[0].name.node, "inputlookup");
    assert!(matches!(pipeline.commands[0].kind, CommandKind::Generic(_)));
}

#[test]
fn pipes_inside_quotes_brackets_and_escapes_do_not_split() {
    assert_eq!(
        parse(r#"a="x|y" [search b | head 1] c=*\"x\"* d=\"y | head 2"#)
            .commands
            .len(),
        2
    );
    assert_eq!(parse(r#"a="x\"|y""#).commands.len(), 1);
}

#[test]
fn search_round_trips() {
    for text in [
        "A B OR C D",
        "NOT (A B) OR c=\"x y\"",
        r#"requestObject.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration=*\"privileged\":true*"#,
        r#""user.groups{}"="system:unauthenticated" NOT f IN (a, "b c")"#,
        "a=1 [search b=2 | head 3] (c OR d)",
        r#"path="C:\\Windows\\*" x=C:\Windows"#,
    ] {
        assert_round_trip(text);
    }
}

#[test]
fn subsearch_without_command_name_is_a_search() {
    let text = "a [index=x user=* | fields user] [| inputlookup u.csv]";
    let expr = search(text);
    let SearchExprKind::And(parts) = &expr.kind else {
        panic!("{expr:?}")
    };
    let SearchExprKind::Subsearch(first) = &parts[1].kind else {
        panic!("{expr:?}")
    };
    assert!(matches!(
        first.commands[0].kind,
        CommandKind::Search(Some(_))
    ));
    assert!(first.commands[0].name.span.is_empty());
    let SearchExprKind::Subsearch(second) = &parts[2].kind else {
        panic!("{expr:?}")
    };
    assert_eq!(second.commands[0].name.node, "inputlookup");
    assert_round_trip(text);
}
