//! Macro expansion rules of spl-semantics §7.1–§7.5, one test per rule.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use spl_syntax::macros::{
    expand, ExpandOptions, Expanded, Location, MacroDefinition, MacroSet, BUILT_IN_ORIGIN,
};
use spl_syntax::{Diagnostic, Span};

/// A set from `(name, arguments, definition)` triples, each with origin `<name>.yml`.
fn set(definitions: &[(&str, &[&str], &str)]) -> MacroSet {
    definitions
        .iter()
        .map(|(name, arguments, definition)| {
            MacroDefinition::new(*name, *definition, format!("{name}.yml"))
                .with_arguments(arguments.iter().copied())
        })
        .collect()
}

fn expanded(text: &str, macros: &MacroSet) -> Expanded {
    expand(text, macros, &ExpandOptions::default()).unwrap()
}

fn give(text: &str, macros: &MacroSet, expected: &str) {
    assert_eq!(expanded(text, macros).text, expected, "expanding {text:?}");
}

fn fail(text: &str, macros: &MacroSet) -> Diagnostic {
    match expand(text, macros, &ExpandOptions::default()) {
        Ok(result) => panic!("expected an error for {text:?}, got {:?}", result.text),
        Err(diagnostic) => diagnostic,
    }
}

/// The span of the first occurrence of `needle` in `text`.
fn span_of(text: &str, needle: &str) -> Span {
    let start = text.find(needle).unwrap();
    Span::new(start, start + needle.len())
}

fn kube_macros() -> MacroSet {
    set(&[("kube_audit", &[], r#"source="kubernetes""#)])
}

const FLAGSHIP: &str = r#"`kube_audit` "user.groups{}"="system:unauthenticated" | `kubernetes_scanning_by_unauthenticated_ip_address_filter`"#;

#[test]
fn flagship_search_expands_with_default_filter() {
    give(
        FLAGSHIP,
        &kube_macros(),
        r#"source="kubernetes" "user.groups{}"="system:unauthenticated" | search *"#,
    );
}

#[test]
fn text_without_macros_is_unchanged() {
    give(
        r#"a=1 "b`c`d"=2 | stats count"#,
        &MacroSet::new(),
        r#"a=1 "b`c`d"=2 | stats count"#,
    );
}

#[test]
fn expansion_is_textual_without_added_parentheses() {
    // §7.1: `NOT \`m\`` with m = `a=1 b=2` becomes `NOT a=1 b=2`.
    give("NOT `m`", &set(&[("m", &[], "a=1 b=2")]), "NOT a=1 b=2");
}

#[test]
fn backticks_inside_double_quotes_are_not_calls() {
    give(
        r#"x="audit`users`local" y="a\"`m`" `m`"#,
        &set(&[("m", &[], "z")]),
        r#"x="audit`users`local" y="a\"`m`" z"#,
    );
}

#[test]
fn positional_arguments_are_substituted() {
    let macros = set(&[(
        "security_content_ctime",
        &["field"],
        r#"convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)"#,
    )]);
    give(
        "| `security_content_ctime(firstTime)`",
        &macros,
        r#"| convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(firstTime)"#,
    );
}

#[test]
fn arguments_split_on_top_level_commas_and_are_trimmed() {
    let macros = set(&[("m", &["a", "b", "c"], "[$a$][$b$][$c$]")]);
    give(
        r#"`m( "x,y" , f(1, 2),  z )`"#,
        &macros,
        r#"["x,y"][f(1, 2)][z]"#,
    );
}

#[test]
fn named_arguments_in_any_order() {
    let macros = set(&[("m", &["foo", "bar"], "foo=$foo$ bar=$bar$")]);
    give("`m(bar=2,foo=1)`", &macros, "foo=1 bar=2");
    give("`m(1, 2)`", &macros, "foo=1 bar=2");
}

#[test]
fn arguments_that_look_named_but_use_unknown_names_are_positional() {
    let macros = set(&[("m", &["foo", "bar"], "[$foo$][$bar$]")]);
    give("`m(x=1, foo=2)`", &macros, "[x=1][foo=2]");
}

#[test]
fn arguments_are_replaced_everywhere_even_inside_quotes() {
    let macros = set(&[("m", &["x"], r#"f="$x$" g=$x$ "$x$$x$" $y$"#)]);
    give("`m(v)`", &macros, r#"f="v" g=v "vv" $y$"#);
}

#[test]
fn quoted_argument_inside_quoted_definition_loses_its_quotes() {
    give(
        r#"| `drop_dm_object_name("Web")`"#,
        &MacroSet::with_builtins(),
        r#"| rename "Web.*" as *"#,
    );
    give(
        "| `drop_dm_object_name(Processes)`",
        &MacroSet::with_builtins(),
        r#"| rename "Processes.*" as *"#,
    );
}

#[test]
fn quoted_argument_outside_quotes_is_inserted_verbatim() {
    give(
        r#"`m("a b")`"#,
        &set(&[("m", &["x"], "f=$x$")]),
        r#"f="a b""#,
    );
}

#[test]
fn drop_dm_object_name_is_built_in() {
    let macros = MacroSet::with_builtins();
    let definition = macros.get("drop_dm_object_name", 1).unwrap();
    assert_eq!(definition.definition, r#"rename "$object$.*" as *"#);
    assert_eq!(definition.arguments, vec!["object".to_string()]);
    assert_eq!(definition.origin, BUILT_IN_ORIGIN);
}

#[test]
fn macros_are_overloaded_by_arity() {
    let macros = set(&[("m", &[], "zero"), ("m", &["a"], "one $a$")]);
    give("`m` `m(x)`", &macros, "zero one x");
}

#[test]
fn nested_macros_expand_recursively() {
    let macros = set(&[
        (
            "summariesonly",
            &[],
            "summariesonly=`summariesonly_config` allow_old_summaries=`oldsummaries_config`",
        ),
        ("summariesonly_config", &[], "false"),
        ("oldsummaries_config", &[], "true"),
    ]);
    give(
        "| tstats `summariesonly` count",
        &macros,
        "| tstats summariesonly=false allow_old_summaries=true count",
    );
}

#[test]
fn arguments_flow_into_nested_calls() {
    let macros = set(&[
        ("outer", &["v"], "`inner($v$)`"),
        ("inner", &["w"], "w=$w$"),
    ]);
    give("`outer(7)`", &macros, "w=7");
}

#[test]
fn missing_filter_macro_is_search_star_only_when_enabled() {
    give("| `my_detection_filter`", &MacroSet::new(), "| search *");
    let options = ExpandOptions {
        default_filter_macros: false,
        ..ExpandOptions::default()
    };
    let error = expand("| `my_detection_filter`", &MacroSet::new(), &options).unwrap_err();
    assert_eq!(error.code, "spl::macro::unknown");
}

#[test]
fn defined_filter_macro_wins_over_the_default() {
    give(
        "| `x_filter`",
        &set(&[("x_filter", &[], "search user!=admin")]),
        "| search user!=admin",
    );
}

#[test]
fn unknown_macro_points_at_the_call_and_suggests() {
    let text = "`kube_adit` verb=get";
    let error = fail(text, &kube_macros());
    assert_eq!(error.code, "spl::macro::unknown");
    assert_eq!(error.span, Some(span_of(text, "`kube_adit`")));
    assert_eq!(error.label.as_deref(), Some("did you mean `kube_audit`?"));
}

#[test]
fn unknown_macro_without_close_name_has_no_suggestion() {
    let error = fail("`zzzz`", &kube_macros());
    assert_eq!(error.code, "spl::macro::unknown");
    assert!(!error.label.unwrap_or_default().contains("did you mean"));
}

#[test]
fn wrong_arity_names_the_defined_arities() {
    let text = "x | `security_content_ctime(a, b)`";
    let error = fail(
        text,
        &set(&[("security_content_ctime", &["field"], "ctime($field$)")]),
    );
    assert_eq!(error.code, "spl::macro::wrong_arity");
    assert_eq!(
        error.span,
        Some(span_of(text, "`security_content_ctime(a, b)`"))
    );
    assert!(
        error.message.contains("takes 1 argument"),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("passes 2 arguments"),
        "{}",
        error.message
    );
}

#[test]
fn direct_cycle_is_an_error_with_the_chain() {
    let error = fail("`a`", &set(&[("a", &[], "x `a`")]));
    assert_eq!(error.code, "spl::macro::cycle");
    assert!(error.message.contains("a -> a"), "{}", error.message);
}

#[test]
fn indirect_cycle_shows_the_whole_chain_and_points_at_the_input_call() {
    let text = "x=1 `a` y=2";
    let macros = set(&[("a", &[], "`b`"), ("b", &[], "`a`")]);
    let error = fail(text, &macros);
    assert_eq!(error.code, "spl::macro::cycle");
    assert!(error.message.contains("a -> b -> a"), "{}", error.message);
    assert_eq!(error.span, Some(span_of(text, "`a`")));
}

#[test]
fn repeating_a_macro_side_by_side_is_not_a_cycle() {
    give(
        "`a`",
        &set(&[("a", &[], "`b` `b`"), ("b", &[], "x")]),
        "x x",
    );
}

#[test]
fn depth_limit_is_enforced() {
    let macros = set(&[("m1", &[], "`m2`"), ("m2", &[], "`m3`"), ("m3", &[], "end")]);
    let shallow = ExpandOptions {
        max_depth: 2,
        ..ExpandOptions::default()
    };
    let error = expand("`m1`", &macros, &shallow).unwrap_err();
    assert_eq!(error.code, "spl::macro::too_deep");
    assert_eq!(error.span, Some(Span::new(0, 4)));
    let enough = ExpandOptions {
        max_depth: 3,
        ..ExpandOptions::default()
    };
    assert_eq!(expand("`m1`", &macros, &enough).unwrap().text, "end");
}

#[test]
fn size_limit_stops_exponential_growth() {
    let mut definitions = Vec::new();
    for level in 0..40 {
        definitions.push(MacroDefinition::new(
            format!("m{level}"),
            format!("`m{next}` `m{next}`", next = level + 1),
            "bomb.yml",
        ));
    }
    definitions.push(MacroDefinition::new("m40", "x", "bomb.yml"));
    let macros: MacroSet = definitions.into_iter().collect();
    let options = ExpandOptions {
        max_size: 10_000,
        ..ExpandOptions::default()
    };
    let error = expand("`m0`", &macros, &options).unwrap_err();
    assert_eq!(error.code, "spl::macro::too_large");
}

#[test]
fn unterminated_backtick_is_reported_at_its_offset() {
    let error = fail("a=1 `kube_audit b=2", &kube_macros());
    assert_eq!(error.code, "spl::macro::unterminated");
    assert_eq!(error.span.map(|s| s.start), Some(4));
}

#[test]
fn comments_are_removed_before_macros_are_found() {
    give(
        "`kube_audit` ```ignore `nonexistent` here``` verb=get",
        &kube_macros(),
        r#"source="kubernetes"   verb=get"#,
    );
}

#[test]
fn comments_in_definitions_are_removed_too() {
    give("`m`", &set(&[("m", &[], "a ```note``` b")]), "a   b");
}

#[test]
fn four_backticks_are_rejected() {
    let text = "a ````b";
    let error = fail(text, &MacroSet::new());
    assert_eq!(error.code, "spl::macro::too_many_backticks");
    assert_eq!(error.span.map(|s| s.start), Some(2));
}

#[test]
fn unterminated_comment_is_an_error() {
    let error = fail("a ```b", &MacroSet::new());
    assert_eq!(error.code, "spl::macro::unterminated_comment");
    assert_eq!(error.span.map(|s| s.start), Some(2));
}

#[test]
fn malformed_call_is_an_error() {
    let error = fail("`m(a`", &MacroSet::new());
    assert_eq!(error.code, "spl::macro::invalid_call");
}

#[test]
fn error_inside_a_definition_points_at_the_outermost_call() {
    let text = "x | `outer` | y";
    let macros = set(&[("outer", &[], "`inner`"), ("inner", &[], "`missing`")]);
    let error = fail(text, &macros);
    assert_eq!(error.code, "spl::macro::unknown");
    assert_eq!(error.span, Some(span_of(text, "`outer`")));
    assert!(error.help.unwrap_or_default().contains("inner"));
}

#[test]
fn source_map_maps_input_text_to_itself() {
    let result = expanded(FLAGSHIP, &kube_macros());
    let expanded_span = span_of(&result.text, r#""user.groups{}""#);
    assert_eq!(
        result.source_map.to_input_span(expanded_span),
        span_of(FLAGSHIP, r#""user.groups{}""#)
    );
    assert_eq!(
        result.source_map.locate(expanded_span),
        Location::Input(span_of(FLAGSHIP, r#""user.groups{}""#))
    );
}

#[test]
fn source_map_maps_macro_text_to_the_call() {
    let result = expanded(FLAGSHIP, &kube_macros());
    // An error at `kubernetes` inside kube_audit's expansion points at the backtick call.
    let inside = span_of(&result.text, "kubernetes");
    assert_eq!(
        result.source_map.to_input_span(inside),
        span_of(FLAGSHIP, "`kube_audit`")
    );
    let Location::Macro(location) = result.source_map.locate(inside) else {
        panic!("expected a macro location");
    };
    assert_eq!(location.name, "kube_audit");
    assert_eq!(location.origin, "kube_audit.yml");
    assert_eq!(
        location.definition_span,
        span_of(r#"source="kubernetes""#, "kubernetes")
    );
    assert_eq!(location.call_span, span_of(FLAGSHIP, "`kube_audit`"));
    assert_eq!(location.call_chain, vec!["kube_audit".to_string()]);
}

#[test]
fn source_map_maps_text_after_an_expansion_with_shifted_offsets() {
    let result = expanded(FLAGSHIP, &kube_macros());
    let filter = span_of(&result.text, "search *");
    let call = span_of(
        FLAGSHIP,
        "`kubernetes_scanning_by_unauthenticated_ip_address_filter`",
    );
    assert_eq!(result.source_map.to_input_span(filter), call);
    let pipe = span_of(&result.text, "|");
    assert_eq!(
        result.source_map.to_input_span(pipe),
        span_of(FLAGSHIP, "|")
    );
}

#[test]
fn source_map_maps_substituted_arguments_to_the_input() {
    let text = "| `drop_dm_object_name(Processes)`";
    let result = expanded(text, &MacroSet::with_builtins());
    let argument = span_of(&result.text, "Processes");
    assert_eq!(
        result.source_map.to_input_span(argument),
        span_of(text, "Processes")
    );
    let rename = span_of(&result.text, "rename");
    assert_eq!(
        result.source_map.to_input_span(rename),
        span_of(text, "`drop_dm_object_name(Processes)`")
    );
}

#[test]
fn source_map_of_nested_macro_reports_the_chain_and_outermost_call() {
    let text = "`outer` z";
    let macros = set(&[("outer", &[], "a `inner`"), ("inner", &[], "deep=1")]);
    let result = expanded(text, &macros);
    assert_eq!(result.text, "a deep=1 z");
    let deep = span_of(&result.text, "deep");
    assert_eq!(result.source_map.to_input_span(deep), Span::new(0, 7));
    let Location::Macro(location) = result.source_map.locate(deep) else {
        panic!("expected a macro location");
    };
    assert_eq!(location.name, "inner");
    assert_eq!(location.definition_span, Span::new(0, 4));
    assert_eq!(
        location.call_chain,
        vec!["outer".to_string(), "inner".to_string()]
    );
    assert_eq!(location.call_span, Span::new(0, 7));
}

#[test]
fn source_map_span_across_input_and_macro_covers_both() {
    let text = "a `m` b";
    let result = expanded(text, &set(&[("m", &[], "xyz")]));
    assert_eq!(result.text, "a xyz b");
    assert_eq!(
        result.source_map.to_input_span(Span::new(0, 7)),
        Span::new(0, 7)
    );
    assert_eq!(
        result.source_map.to_input_span(Span::new(7, 7)),
        Span::new(7, 7)
    );
}

#[test]
fn escaped_quotes_outside_strings_do_not_hide_later_calls() {
    // From ESCU "Kubernetes Create or Update Privileged Pod": `\"` outside a string is a
    // literal quote, so the filter macro after it is still a call.
    give(
        r#"x=*\"privileged\":true* | `p_filter`"#,
        &MacroSet::new(),
        r#"x=*\"privileged\":true* | search *"#,
    );
}

#[test]
fn escaped_quote_inside_a_definition_keeps_the_quote_rule() {
    let macros = set(&[("m", &["v"], r#"a="\"$v$\"" b=$v$"#)]);
    give(r#"`m("x")`"#, &macros, r#"a="\"x\"" b="x""#);
}

#[test]
fn comments_removed_from_the_input_keep_later_offsets_mapped() {
    let text = "a ```note``` b";
    let result = expanded(text, &MacroSet::new());
    assert_eq!(result.text, "a   b");
    let b = span_of(&result.text, "b");
    assert_eq!(result.source_map.to_input_span(b), span_of(text, "b"));
}

/// Deterministic pseudo-random strings over the characters that matter to expansion.
fn noise(seed: u64, length: usize) -> String {
    const ALPHABET: &[char] = &[
        '`', '`', '"', '\\', '$', '(', ')', ',', '=', ' ', 'a', 'm', 'é',
    ];
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..length)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ALPHABET[(state >> 33) as usize % ALPHABET.len()]
        })
        .collect()
}

#[test]
fn arbitrary_input_never_panics_and_maps_inside_the_input() {
    let macros = set(&[
        ("m", &[], "x `a` \"$q$\""),
        ("m", &["q"], "\"$q$\" $q$ `a`"),
        ("a", &[], "é=\"1\""),
        ("a", &["x", "y"], "$x$ $y$ `m`"),
    ]);
    for seed in 0..3000 {
        let text = noise(seed, (seed % 40) as usize);
        let result = match expand(&text, &macros, &ExpandOptions::default()) {
            Ok(result) => result,
            Err(error) => {
                let span = error.span.unwrap_or_default();
                assert!(
                    span.start <= span.end && span.end <= text.len(),
                    "{text:?}: {error:?}"
                );
                continue;
            }
        };
        for start in 0..=result.text.len() {
            for end in start..=result.text.len().min(start + 3) {
                let mapped = result.source_map.to_input_span(Span::new(start, end));
                assert!(
                    mapped.end <= text.len(),
                    "{text:?}: {start}..{end} -> {mapped:?}"
                );
                let _ = result.source_map.locate(Span::new(start, end));
            }
        }
    }
}

#[test]
fn diagnostics_in_expanded_text_map_back_with_macro_context() {
    let result = expanded(FLAGSHIP, &kube_macros());
    let inside = span_of(&result.text, "kubernetes");
    let diagnostic = Diagnostic::error("spl::parse::example", "bad value", inside)
        .with_secondary(span_of(&result.text, "|"), "pipe");
    let mapped = result.source_map.map_diagnostic(diagnostic);
    assert_eq!(mapped.span, Some(span_of(FLAGSHIP, "`kube_audit`")));
    assert_eq!(mapped.labels[0].span, span_of(FLAGSHIP, "|"));
    let help = mapped.help.unwrap();
    assert!(help.contains("`kubernetes`"), "{help}");
    assert!(help.contains("kube_audit.yml"), "{help}");

    let plain = Diagnostic::error("spl::parse::example", "bad", span_of(&result.text, "|"));
    let mapped = result.source_map.map_diagnostic(plain);
    assert_eq!(mapped.span, Some(span_of(FLAGSHIP, "|")));
    assert_eq!(mapped.help, None);
}
