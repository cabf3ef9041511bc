//! `eval`/`where` expression semantics: `spl-semantics.md` §5.4–§5.6.

mod eval_support;

use eval_support::{describe, eval_on, parse, record, OFFSET};
use spl_engine::eval::{compile, EvalValue};
use spl_engine::{Record, Value};

fn check(expression: &str, expected: &str) {
    assert_eq!(describe(expression), expected, "{expression}");
}

// §5.6 test vectors.

#[test]
fn unconfirmed_numeric_field_strings_compare_numerically() {
    check("a < b", "true");
}

#[test]
fn unconfirmed_string_literals_compare_lexicographically() {
    check("\"5\" < \"10\"", "false");
}

#[test]
fn comparison_is_case_sensitive() {
    check("s=\"admin\"", "false");
    check("s=\"Admin\"", "true");
}

#[test]
fn dot_concatenates_field_text() {
    check("a . b", "\"510\"");
}

#[test]
fn plus_adds_numeric_fields() {
    check("a + b", "15");
}

#[test]
fn unconfirmed_arithmetic_with_null_is_null() {
    check("n + 1", "null");
    check("n . \"x\"", "null");
    check("-n", "null");
}

#[test]
fn if_with_null_condition_takes_else() {
    check("if(n > 1, \"y\", \"n\")", "\"n\"");
}

#[test]
fn coalesce_skips_null() {
    check("coalesce(n, s)", "\"Admin\"");
}

#[test]
fn multivalue_functions_vector() {
    check("mvcount(m)", "2");
    check("mvindex(m,-1)", "\"y\"");
    check("mvjoin(m,\";\")", "\"x;y\"");
}

#[test]
fn substr_and_replace_vectors() {
    check("substr(\"string\", 1, 3)", "\"str\"");
    check("substr(\"string\", -3)", "\"ing\"");
    check(
        r#"replace("1/12/2009", "^(\d{1,2})/(\d{1,2})/", "\2/\1/")"#,
        "\"12/1/2009\"",
    );
}

#[test]
fn unconfirmed_round_uses_decimal_rounding() {
    check("round(2.555, 2)", "2.56");
    check("round(3.5)", "4");
}

#[test]
fn unconfirmed_substr_start_zero_counts_length_from_position_zero() {
    check("substr(\"string\", 0, 2)", "\"s\"");
}

#[test]
fn tostring_hex() {
    check("tostring(15, \"hex\")", "\"0xF\"");
}

#[test]
fn unconfirmed_ne_on_null_field_is_null() {
    check("n != \"x\"", "null");
    check("NOT (n = \"x\")", "null");
}

#[test]
fn isnull_or_ne_is_true_for_missing_field() {
    check("isnull(n) OR n != \"x\"", "true");
}

// §5.4 operators and types.

#[test]
fn plus_concatenates_two_strings_and_mixed_is_null() {
    check("\"a\" + \"b\"", "\"ab\"");
    check("s + 1", "null");
}

#[test]
fn arithmetic_on_strings_and_division_by_zero_is_null() {
    check("s * 2", "null");
    check("a / 0", "null");
    check("a % 0", "null");
    check("b / 4", "2.5");
    check("b % 3", "1");
}

#[test]
fn dot_renders_numbers() {
    check("1 . 2", "\"12\"");
    check("2.50 . \"\"", "\"2.5\"");
}

#[test]
fn unconfirmed_number_against_string_compares_as_strings() {
    check("a = \"5\"", "true");
    check("b < \"9\"", "true");
}

#[test]
fn unconfirmed_multivalue_comparison_is_any_match() {
    check("m = \"y\"", "true");
    check("m = \"z\"", "false");
    check("m != \"x\"", "true");
}

#[test]
fn unconfirmed_three_valued_logic() {
    check("n = 1 AND 1 = 2", "false");
    check("n = 1 AND 1 = 1", "null");
    check("n = 1 OR 1 = 1", "true");
    check("n = 1 OR 1 = 2", "null");
    check("true() XOR false()", "true");
    check("NOT true()", "false");
}

#[test]
fn and_binds_tighter_than_or() {
    check("true() OR false() AND false()", "true");
}

#[test]
fn in_predicate_is_exact() {
    check("s IN (\"x\", \"Admin\")", "true");
    check("s IN (\"admin\")", "false");
    check("a IN (5, 6)", "true");
}

#[test]
fn like_operator() {
    check("s LIKE \"A%\"", "true");
    check("s LIKE \"a%\"", "false");
    check("s LIKE \"%d%\"", "true");
    check("\"a%b\" LIKE \"a_b\"", "true");
    check("\"ab\" LIKE \"a_b\"", "false");
}

#[test]
fn typeof_types() {
    check("typeof(a)", "\"Number\"");
    check("typeof(s)", "\"String\"");
    check("typeof(a < b)", "\"Bool\"");
    check("typeof(n)", "\"Invalid\"");
    check("typeof(1 + 1)", "\"Number\"");
}

#[test]
fn nan_and_infinity_render() {
    assert_eq!(
        EvalValue::Number(f64::NAN).into_value(),
        Some(Value::from("nan"))
    );
    assert_eq!(
        EvalValue::Number(f64::INFINITY).into_value(),
        Some(Value::from("inf"))
    );
}

#[test]
fn field_text_is_kept_verbatim() {
    let mut r = Record::new();
    r.insert("price", "1.50");
    assert_eq!(eval_on("price", &r).into_value(), Some(Value::from("1.50")));
    assert_eq!(
        eval_on("coalesce(price, 2)", &r).into_value(),
        Some(Value::from("1.50"))
    );
    assert_eq!(
        eval_on("price * 2", &r).into_value(),
        Some(Value::from("3"))
    );
}

#[test]
fn quoted_field_names() {
    let mut r = record();
    r.insert("user.name", "bob");
    assert_eq!(eval_on("'user.name'", &r).describe(), "\"bob\"");
}

// §5.5 edge cases.

#[test]
fn if_and_case() {
    check("if(a = 5, \"y\", \"n\")", "\"y\"");
    check("case(a > 100, \"big\", true(), \"small\")", "\"small\"");
    check("case(a > 100, \"big\")", "null");
}

#[test]
fn isnull_of_empty_string_is_false() {
    check("isnull(\"\")", "false");
    check("isnotnull(\"\")", "true");
}

#[test]
fn match_is_unanchored_and_case_sensitive() {
    check("match(s, \"dm\")", "true");
    check("match(s, \"^dm\")", "false");
    check("match(s, \"ADMIN\")", "false");
    check("match(s, \"(?i)ADMIN\")", "true");
    check("match(n, \"x\")", "null");
    check("match(m, \"^y$\")", "true");
}

#[test]
fn len_counts_code_points() {
    check("len(\"日本\")", "2");
    check("len(n)", "null");
}

#[test]
fn trims() {
    check("trim(\"\t x \t\")", "\"x\"");
    check("ltrim(\"zzaz\", \"z\")", "\"az\"");
}

#[test]
fn split_on_empty_delimiter_gives_characters() {
    check("split(\"ab\", \"\")", "[\"a\",\"b\"]");
    check("split(\"a;b\", \";\")", "[\"a\",\"b\"]");
}

#[test]
fn tonumber_bases_and_failures() {
    check("tonumber(\"ff\", 16)", "255");
    check("tonumber(\"0xff\", 16)", "255");
    check("tonumber(\"12a\")", "null");
    check("tonumber(\"z\", 36)", "35");
    check("tonumber(\"1\", 37)", "null");
}

#[test]
fn tostring_formats() {
    check("tostring(12345.6789, \"commas\")", "\"12,345.68\"");
    check("tostring(90061, \"duration\")", "\"1+01:01:01\"");
    check("tostring(1 == 1)", "\"True\"");
    check("tostring(1 == 2)", "\"False\"");
    check("tostring(n)", "null");
}

#[test]
fn rounding_and_math() {
    check("round(-2.555, 2)", "-2.56");
    check("round(1.005, 2)", "1.01");
    check("round(2.5)", "3");
    check("round(1234.5678, 1)", "1234.6");
    check("round(9.995, 2)", "10");
    check("round(a)", "5");
    check("floor(-0.5)", "-1");
    check("ceiling(0.1)", "1");
    check("abs(n)", "null");
    check("log(1000)", "3");
    check("ln(exp(2))", "2");
    check("pow(2, 0.5) * pow(2, 0.5)", "2.0000000000000004");
}

#[test]
fn min_max_rank_strings_above_numbers() {
    check("max(1, 10, 9)", "10");
    check("max(\"abc\", 100)", "\"abc\"");
    check("min(\"abc\", 100)", "100");
    check("max(b, a)", "10");
    check("min(n)", "null");
}

#[test]
fn mvindex_ranges_and_bounds() {
    check("mvindex(m, -2, -1)", "[\"x\",\"y\"]");
    check("mvindex(m, -3)", "null");
    check("mvindex(m, 1, 0)", "null");
    check("mvindex(s, 0)", "\"Admin\"");
}

#[test]
fn mvappend_skips_nulls_and_mvcount_null() {
    check("mvappend(n, n)", "null");
    check("mvcount(mvappend(m, m))", "4");
}

#[test]
fn mvfilter_keeps_matching_values() {
    check("mvfilter(match(m, \"y\"))", "\"y\"");
    check("mvfilter(m != \"q\")", "[\"x\",\"y\"]");
    check("mvfilter(m = \"q\")", "null");
}

#[test]
fn mvfind_mvdedup_mvsort_mvzip_mvrange() {
    check("mvfind(m, \"^x$\")", "0");
    check("mvdedup(mvappend(\"a\", \"a\", \"b\"))", "[\"a\",\"b\"]");
    check(
        "mvsort(mvappend(\"b\", \"B\", \"a\"))",
        "[\"B\",\"a\",\"b\"]",
    );
    check("mvzip(m, mvappend(\"1\"))", "\"x,1\"");
    check("mvrange(3, 0, -1)", "[\"3\",\"2\",\"1\"]");
}

#[test]
fn cidrmatch_edge_cases() {
    check("cidrmatch(\"192.168.0.0/16\", \"192.168.255.1\")", "true");
    check("cidrmatch(\"192.168.0.0/16\", \"192.169.0.1\")", "false");
    check("cidrmatch(\"0.0.0.0/0\", \"8.8.8.8\")", "true");
    check("cidrmatch(\"10.0.0.1/32\", \"10.0.0.1\")", "true");
    check("cidrmatch(\"10.0.0.0/8\", n)", "false");
    check("cidrmatch(\"10.0.0.0/8\", \"::1\")", "false");
}

#[test]
fn urldecode_and_digests() {
    check("urldecode(\"%41%zz%\")", "\"A%zz%\"");
    check("md5(\"\")", "\"d41d8cd98f00b204e9800998ecf8427e\"");
    check(
        "sha256(\"\")",
        "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"",
    );
}

#[test]
fn now_is_the_search_start_time() {
    check("now()", "1000");
}

#[test]
fn time_is_wall_clock_with_microseconds() {
    let text = describe("time()");
    let inner = text.trim_matches('"');
    let (seconds, micros) = inner.split_once('.').expect("a fraction");
    assert!(seconds.parse::<i64>().expect("seconds") > 1_600_000_000);
    assert_eq!(micros.len(), 6);
}

#[test]
fn strftime_codes() {
    check(
        "strftime(1700000000.123456, \"%Y-%m-%dT%H:%M:%S.%3N\")",
        "\"2023-11-14T22:13:20.123\"",
    );
    check("strftime(1700000000.123456, \"%6N\")", "\"123456\"");
    check("strftime(1700000000.123456, \"%N\")", "\"123\"");
    check("strftime(1700000000.5, \"%Q\")", "\"500\"");
    check("strftime(1700000000, \"%s\")", "\"1700000000\"");
    check("strftime(0, \"%A %b %j %%\")", "\"Thursday Jan 001 %\"");
    check("strftime(n, \"%Y\")", "null");
}

#[test]
fn strptime_parses_in_utc() {
    check(
        "strptime(\"2023-11-14 22:13:20\", \"%Y-%m-%d %H:%M:%S\")",
        "1700000000",
    );
    check(
        "strptime(\"2023-11-14T22:13:20.250\", \"%Y-%m-%dT%H:%M:%S.%3N\")",
        "1700000000.25",
    );
    check(
        "strptime(\"2023-11-14 23:13:20 +0100\", \"%Y-%m-%d %H:%M:%S %z\")",
        "1700000000",
    );
    check("strptime(\"2023-13-14\", \"%Y-%m-%d\")", "null");
}

#[test]
fn relative_time_modifiers() {
    // 1700000000 = 2023-11-14T22:13:20Z (a Tuesday).
    check("relative_time(1700000000, \"@d\")", "1699920000");
    check("relative_time(1700000000, \"-1d@d\")", "1699833600");
    check("relative_time(1700000000, \"@h\")", "1699999200");
    check("relative_time(1700000000, \"-15m\")", "1699999100");
    check("relative_time(1700000000, \"@w1\")", "1699833600");
    check("relative_time(1700000000, \"@mon\")", "1698796800");
    check("relative_time(1700000000, \"@y\")", "1672531200");
    check("relative_time(1700000000, \"+1mon@mon\")", "1701388800");
    check("relative_time(1700000000, \"@d+6h\")", "1699941600");
    check("relative_time(1700000000, \"bogus\")", "null");
}

#[test]
fn spath_paths() {
    let mut r = Record::new();
    r.insert("j", r#"{"a":{"b":[{"c":1},{"c":"two"}]},"k.l":3}"#);
    assert_eq!(
        eval_on("spath(j, \"a.b{}.c\")", &r).describe(),
        "[\"1\",\"two\"]"
    );
    assert_eq!(eval_on("spath(j, \"a.b{1}.c\")", &r).describe(), "\"two\"");
    assert_eq!(
        eval_on("spath(j, \"a.b{0}\")", &r).describe(),
        "\"{\\\"c\\\":1}\""
    );
    assert_eq!(eval_on("spath(\"not json\", \"a\")", &r).describe(), "null");
}

// Compile-time checks.

fn compile_error(text: &str) -> spl_syntax::Diagnostic {
    match compile(&parse(text)) {
        Ok(_) => panic!("{text} compiled"),
        Err(d) => d,
    }
}

#[test]
fn unknown_function_has_code_span_and_suggestion() {
    let d = compile_error("x + lenn(s)");
    assert_eq!(d.code, "spl::plan::unknown_function");
    assert_eq!(d.span, Some(spl_syntax::Span::new(OFFSET + 4, OFFSET + 8)));
    assert_eq!(d.label.as_deref(), Some("did you mean `len`?"));
    let d = compile_error("zzzzzz()");
    assert_eq!(d.label, None);
}

#[test]
fn function_names_are_case_insensitive() {
    check("LOWER(s)", "\"admin\"");
    check("If(true(), 1, 2)", "1");
}

#[test]
fn wrong_arity_has_code_and_call_span() {
    let d = compile_error("1 + substr(s)");
    assert_eq!(d.code, "spl::plan::wrong_arity");
    assert_eq!(d.span, Some(spl_syntax::Span::new(OFFSET + 4, OFFSET + 13)));
    assert_eq!(compile_error("if(1, 2)").code, "spl::plan::wrong_arity");
    assert_eq!(compile_error("pi(1)").code, "spl::plan::wrong_arity");
}

#[test]
fn invalid_literal_regex_is_a_plan_error_on_the_pattern() {
    let d = compile_error("match(s, \"(\")");
    assert_eq!(d.code, "spl::plan::bad_regex");
    assert_eq!(d.span, Some(spl_syntax::Span::new(OFFSET + 9, OFFSET + 12)));
}

#[test]
fn invalid_computed_regex_is_null() {
    check("match(s, \"(\" . \"\")", "null");
}

#[test]
fn catastrophic_regex_stops_at_the_backtrack_limit() {
    let mut r = Record::new();
    r.insert("x", format!("{}!", "a".repeat(40)));
    // `(a|a)*b`-style backtracking hits the limit: no match for this evaluation, and the
    // failure is recorded so that a run stops with it (docs/limits.md).
    let _ = spl_engine::eval::take_regex_failure();
    assert_eq!(
        eval_on("match(x, \"^(?:(a)\\\\1?)+(?=b)\")", &r),
        EvalValue::Bool(false)
    );
    let failure = spl_engine::eval::take_regex_failure().map(|e| e.to_string());
    assert!(
        failure
            .as_deref()
            .is_some_and(|f| f.contains("backtracking steps")),
        "{failure:?}"
    );
}

#[test]
fn searchmatch_is_reported_as_unsupported() {
    assert_eq!(
        compile_error("searchmatch(\"x=1\")").code,
        "spl::plan::unsupported_function"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // Deeper than the parser allows, so the tree is built by hand.
    use spl_syntax::ast::{Expr, ExprKind, UnaryOp};
    let mut expr = parse("1");
    for _ in 0..300 {
        expr = Expr {
            span: expr.span,
            kind: ExprKind::Unary {
                op: UnaryOp::Neg,
                expr: Box::new(expr),
            },
        };
    }
    match compile(&expr) {
        Ok(_) => panic!("compiled"),
        Err(d) => assert_eq!(d.code, "spl::plan::expression_too_deep"),
    }
}

#[test]
fn count_eval_counts_only_true() {
    assert_eq!(EvalValue::Bool(false).into_value(), None);
    assert!(EvalValue::Bool(true).into_value().is_some());
}
