//! The eval function table: every function's name, arity, one-line doc, examples and
//! implementation (`spl-semantics.md` §5.5). A test runs every example.

mod conditional;
mod json;
mod math;
mod multivalue;
mod text;
mod time;

use super::compile::{Env, Node};
use super::operators::build_regex;
use super::value::EvalValue;
use fancy_regex::Regex;
use std::borrow::Cow;

/// How a function runs: its argument nodes (evaluated lazily), the environment, and the
/// regular expression compiled at plan time when the pattern argument was a literal.
pub type Implementation = fn(&[Node], &Env<'_>, Option<&Regex>) -> EvalValue;

/// One eval function.
#[derive(Debug)]
pub struct Function {
    /// Lower-case name.
    pub name: &'static str,
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments (`None`: unbounded).
    pub max_args: Option<usize>,
    /// One-line description.
    pub doc: &'static str,
    /// `(expression, expected)` pairs; the expected value is written as
    /// [`EvalValue::describe`] prints it. Fields available: `a="5"`, `b="10"`, `s="Admin"`,
    /// `m=["x","y"]`, `n` absent.
    pub examples: &'static [(&'static str, &'static str)],
    /// The implementation.
    pub run: Implementation,
    /// Which argument is a regular expression (compiled at plan time when literal).
    pub regex_arg: Option<usize>,
    /// True when the result is always a Boolean (or null).
    pub returns_bool: bool,
}

/// Functions recognised but not implemented yet (a plan error says so).
pub const DEFERRED: &[&str] = &["searchmatch"];

/// The function named `name` (case-insensitive).
pub fn find(name: &str) -> Option<&'static Function> {
    TABLE.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

const fn function(
    name: &'static str,
    min_args: usize,
    max_args: Option<usize>,
    doc: &'static str,
    examples: &'static [(&'static str, &'static str)],
    run: Implementation,
) -> Function {
    Function {
        name,
        min_args,
        max_args,
        doc,
        examples,
        run,
        regex_arg: None,
        returns_bool: false,
    }
}

const fn predicate(mut f: Function) -> Function {
    f.returns_bool = true;
    f
}

const fn with_regex(mut f: Function, index: usize) -> Function {
    f.regex_arg = Some(index);
    f
}

/// Every eval function.
pub static TABLE: &[Function] = &[
    // conditional
    function("if", 3, Some(3), "`if(c, a, b)`: `a` when `c` is true, else `b` (false or null)",
        &[("if(a < b, \"y\", \"n\")", "\"y\""), ("if(n > 1, \"y\", \"n\")", "\"n\"")], conditional::if_),
    function("case", 2, None, "`case(c1, v1, …)`: the first `vi` whose `ci` is true, else null",
        &[("case(a = 1, \"one\", a = 5, \"five\")", "\"five\""), ("case(a = 1, \"one\")", "null"),
          ("case(a = 1, \"one\", true(), \"other\")", "\"other\"")], conditional::case),
    function("coalesce", 1, None, "The first argument that is not null (`\"\"` is not null)",
        &[("coalesce(n, s)", "\"Admin\""), ("coalesce(n, \"\", s)", "\"\""), ("coalesce(n)", "null")], conditional::coalesce),
    function("ifnull", 1, None, "Same as `coalesce`", &[("ifnull(n, 1)", "1")], conditional::coalesce),
    predicate(function("isnull", 1, Some(1), "True when the value is null", &[("isnull(n)", "true"), ("isnull(\"\")", "false")], conditional::isnull)),
    predicate(function("isnotnull", 1, Some(1), "True when the value is not null", &[("isnotnull(s)", "true"), ("isnotnull(n)", "false")], conditional::isnotnull)),
    function("null", 0, Some(0), "The null value", &[("null()", "null")], conditional::null),
    predicate(function("true", 0, Some(0), "Boolean true", &[("true()", "true")], conditional::true_)),
    predicate(function("false", 0, Some(0), "Boolean false", &[("false()", "false")], conditional::false_)),
    function("nullif", 2, Some(2), "Null when the two values are equal, else the first", &[("nullif(a, 5)", "null"), ("nullif(a, 6)", "5")], conditional::nullif),
    predicate(function("in", 1, None, "True when the first value equals any of the others (case-sensitive)",
        &[("in(s, \"x\", \"Admin\")", "true"), ("in(s, \"admin\")", "false"), ("in(m, \"y\")", "true")], conditional::in_)),
    predicate(function("isnum", 1, Some(1), "True when the value is a number", &[("isnum(a)", "true"), ("isnum(s)", "false"), ("isnum(n)", "false")], conditional::isnum)),
    predicate(function("isint", 1, Some(1), "True when the value is an integer", &[("isint(a)", "true"), ("isint(1.5)", "false")], conditional::isint)),
    predicate(function("isstr", 1, Some(1), "True when the value is a string", &[("isstr(s)", "true"), ("isstr(a)", "false")], conditional::isstr)),
    predicate(function("isbool", 1, Some(1), "True when the value is a Boolean", &[("isbool(true())", "true"), ("isbool(s)", "false")], conditional::isbool)),
    function("typeof", 1, Some(1), "`Number`, `String`, `Bool` or `Invalid` (null)",
        &[("typeof(a)", "\"Number\""), ("typeof(\"5\")", "\"String\""), ("typeof(1 < 2)", "\"Bool\""), ("typeof(n)", "\"Invalid\"")], conditional::typeof_),
    predicate(function("cidrmatch", 2, Some(2), "True when the IP (second) is inside the CIDR (first); non-IP ⇒ false",
        &[("cidrmatch(\"10.0.0.0/8\", \"10.1.2.3\")", "true"), ("cidrmatch(\"10.0.0.0/8\", \"11.1.2.3\")", "false"),
          ("cidrmatch(\"10.0.0.0/8\", \"nope\")", "false"), ("cidrmatch(\"2001:db8::/32\", \"2001:db8::1\")", "true")], conditional::cidrmatch)),
    predicate(with_regex(function("match", 2, Some(2), "True when the regular expression matches anywhere in the string",
        &[("match(s, \"dmi\")", "true"), ("match(s, \"^dmi\")", "false"), ("match(s, \"(?i)^admin$\")", "true")], conditional::match_), 1)),
    predicate(function("like", 2, Some(2), "SQL pattern match on the whole string: `%` any run, `_` one character",
        &[("like(s, \"Ad%\")", "true"), ("like(s, \"ad%\")", "false"), ("like(s, \"Adm_n\")", "true"), ("like(s, \"Adm\")", "false")], conditional::like)),
    // text
    function("lower", 1, Some(1), "Lower-case", &[("lower(s)", "\"admin\"")], text::lower),
    function("upper", 1, Some(1), "Upper-case", &[("upper(s)", "\"ADMIN\"")], text::upper),
    function("len", 1, Some(1), "Number of characters (code points)", &[("len(s)", "5"), ("len(\"é\")", "1")], text::len),
    function("substr", 2, Some(3), "`substr(s, start [, len])`: 1-based; negative start counts from the end",
        &[("substr(\"string\", 1, 3)", "\"str\""), ("substr(\"string\", -3)", "\"ing\""), ("substr(\"string\", 2)", "\"tring\""),
          ("substr(\"string\", -3, 2)", "\"in\"")], text::substr),
    with_regex(function("replace", 3, Some(3), "Replaces every match of the regular expression; `\\1`… are groups",
        &[("replace(\"1/12/2009\", \"^(\\d{1,2})/(\\d{1,2})/\", \"\\2/\\1/\")", "\"12/1/2009\""), ("replace(\"aaa\", \"a\", \"b\")", "\"bbb\"")], text::replace), 1),
    function("trim", 1, Some(2), "Strips characters (default space and tab) from both ends",
        &[("trim(\"  x \")", "\"x\""), ("trim(\"xxabxx\", \"x\")", "\"ab\"")], text::trim),
    function("ltrim", 1, Some(2), "Strips characters (default space and tab) from the start",
        &[("ltrim(\"  x \")", "\"x \""), ("ltrim(\"xxabxx\", \"x\")", "\"abxx\"")], text::ltrim),
    function("rtrim", 1, Some(2), "Strips characters (default space and tab) from the end",
        &[("rtrim(\"  x \")", "\"  x\""), ("rtrim(\"xxabxx\", \"x\")", "\"xxab\"")], text::rtrim),
    function("split", 2, Some(2), "Multivalue of the parts; an empty delimiter splits into characters",
        &[("split(\"a,b,,c\", \",\")", "[\"a\",\"b\",\"\",\"c\"]"), ("split(\"abc\", \"\")", "[\"a\",\"b\",\"c\"]")], text::split),
    function("urldecode", 1, Some(1), "Decodes `%XX` escapes", &[("urldecode(\"a%20b%2Fc\")", "\"a b/c\"")], text::urldecode),
    function("md5", 1, Some(1), "MD5 digest as lower-case hex", &[("md5(\"abc\")", "\"900150983cd24fb0d6963f7d28e17f72\"")], text::md5),
    function("sha1", 1, Some(1), "SHA-1 digest as lower-case hex", &[("sha1(\"abc\")", "\"a9993e364706816aba3e25717850c26c9cd0d89d\"")], text::sha1),
    function("sha256", 1, Some(1), "SHA-256 digest as lower-case hex",
        &[("sha256(\"abc\")", "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"")], text::sha256),
    function("sha512", 1, Some(1), "SHA-512 digest as lower-case hex",
        &[("sha512(\"abc\")", "\"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f\"")], text::sha512),
    function("tostring", 1, Some(2), "Text of a value; format `hex`, `commas` or `duration`",
        &[("tostring(15, \"hex\")", "\"0xF\""), ("tostring(12345.6789, \"commas\")", "\"12,345.68\""), ("tostring(1234567, \"commas\")", "\"1,234,567\""),
          ("tostring(3725, \"duration\")", "\"01:02:05\""), ("tostring(1 == 1)", "\"True\""), ("tostring(a)", "\"5\"")], text::tostring),
    function("tonumber", 1, Some(2), "Number from text in a base (2–36, default 10); unparsable ⇒ null",
        &[("tonumber(\"0A4\", 16)", "164"), ("tonumber(\"101\", 2)", "5"), ("tonumber(\"x\")", "null"), ("tonumber(\"1.5\")", "1.5")], text::tonumber),
    // math
    function("round", 1, Some(2), "Rounds half away from zero to `n` decimals (decimal rounding)",
        &[("round(3.5)", "4"), ("round(2.555, 2)", "2.56"), ("round(-2.5)", "-3"), ("round(1.25, 1)", "1.3")], math::round),
    function("abs", 1, Some(1), "Absolute value", &[("abs(-3)", "3")], math::abs),
    function("floor", 1, Some(1), "Largest integer not above", &[("floor(1.7)", "1"), ("floor(-1.2)", "-2")], math::floor),
    function("ceil", 1, Some(1), "Smallest integer not below", &[("ceil(1.2)", "2")], math::ceil),
    function("ceiling", 1, Some(1), "Same as `ceil`", &[("ceiling(1.2)", "2")], math::ceil),
    function("pow", 2, Some(2), "`pow(x, y)`: x to the power y", &[("pow(2, 10)", "1024")], math::pow),
    function("sqrt", 1, Some(1), "Square root; negative ⇒ null", &[("sqrt(9)", "3"), ("sqrt(-1)", "null")], math::sqrt),
    function("exp", 1, Some(1), "e to the power x", &[("exp(0)", "1")], math::exp),
    function("ln", 1, Some(1), "Natural logarithm", &[("ln(1)", "0")], math::ln),
    function("log", 1, Some(2), "`log(x [, base])`, base 10 by default", &[("log(100)", "2"), ("log(8, 2)", "3")], math::log),
    function("pi", 0, Some(0), "π", &[("pi()", "3.141592653589793")], math::pi),
    function("exact", 1, Some(1), "The value unchanged (the engine does not round)", &[("exact(a)", "5")], math::exact),
    function("min", 1, None, "Smallest argument; numbers rank below strings", &[("min(3, a, 10)", "3"), ("min(\"x\", 7)", "7")], math::min),
    function("max", 1, None, "Largest argument; strings rank above numbers", &[("max(3, a, 10)", "10"), ("max(\"x\", 7)", "\"x\"")], math::max),
    // multivalue
    function("mvcount", 1, Some(1), "Number of values; null when null", &[("mvcount(m)", "2"), ("mvcount(s)", "1"), ("mvcount(n)", "null")], multivalue::mvcount),
    function("mvindex", 2, Some(3), "`mvindex(f, start [, end])`: 0-based, end inclusive, negative from the end",
        &[("mvindex(m, -1)", "\"y\""), ("mvindex(m, 0)", "\"x\""), ("mvindex(m, 0, 1)", "[\"x\",\"y\"]"), ("mvindex(m, 2)", "null")], multivalue::mvindex),
    function("mvjoin", 2, Some(2), "Values joined with a delimiter", &[("mvjoin(m, \";\")", "\"x;y\"")], multivalue::mvjoin),
    function("mvappend", 1, None, "All values of all arguments, in order (nulls skipped)",
        &[("mvappend(m, \"z\", n)", "[\"x\",\"y\",\"z\"]")], multivalue::mvappend),
    function("mvfilter", 1, Some(1), "Values of the one field for which the predicate holds; none ⇒ null", &[], multivalue::mvfilter),
    function("mvmap", 2, Some(2), "`mvmap(f, expr)`: `expr` for each value of field `f`; nulls dropped",
        &[("mvmap(m, \"<\" . m . \">\")", "[\"<x>\",\"<y>\"]"), ("mvmap(m, if(m = \"x\", m, null()))", "\"x\"")], multivalue::mvmap),
    with_regex(function("mvfind", 2, Some(2), "0-based index of the first value matching the regular expression",
        &[("mvfind(m, \"y\")", "1"), ("mvfind(m, \"z\")", "null")], multivalue::mvfind), 1),
    function("mvdedup", 1, Some(1), "Removes duplicate values, keeping first occurrences",
        &[("mvdedup(mvappend(\"b\", \"a\", \"b\"))", "[\"b\",\"a\"]")], multivalue::mvdedup),
    function("mvsort", 1, Some(1), "Values sorted lexicographically", &[("mvsort(mvappend(\"b\", \"a\", \"10\", \"9\"))", "[\"10\",\"9\",\"a\",\"b\"]")], multivalue::mvsort),
    function("mvzip", 2, Some(3), "Pairs the i-th values with a delimiter (default `,`)",
        &[("mvzip(m, mvappend(\"1\", \"2\"))", "[\"x,1\",\"y,2\"]"), ("mvzip(m, m, \"-\")", "[\"x-x\",\"y-y\"]")], multivalue::mvzip),
    function("mvrange", 2, Some(3), "Numbers from start to end (exclusive) by step (default 1)",
        &[("mvrange(1, 4)", "[\"1\",\"2\",\"3\"]"), ("mvrange(0, 10, 4)", "[\"0\",\"4\",\"8\"]")], multivalue::mvrange),
    // time
    function("now", 0, Some(0), "The search's start time (epoch seconds)", &[], time::now),
    function("time", 0, Some(0), "The wall-clock time, with microseconds", &[], time::time),
    function("strftime", 2, Some(2), "Formats epoch seconds (UTC) with C and Splunk codes (`%N`, `%3N`, `%Q`, `%s`)",
        &[("strftime(0, \"%Y-%m-%d %H:%M:%S\")", "\"1970-01-01 00:00:00\""), ("strftime(1.5, \"%s.%3N\")", "\"1.500\"")], time::strftime),
    function("strptime", 2, Some(2), "Parses text to epoch seconds (UTC unless the text has a zone); mismatch ⇒ null",
        &[("strptime(\"1970-01-02\", \"%Y-%m-%d\")", "86400"), ("strptime(\"x\", \"%Y\")", "null")], time::strptime),
    function("relative_time", 2, Some(2), "Applies a modifier such as `-1d@d` to epoch seconds (UTC)",
        &[("relative_time(100000, \"-1d@d\")", "0"), ("relative_time(432000, \"@w0\")", "259200"), ("relative_time(0, \"+1h\")", "3600")], time::relative_time),
    // json
    function("spath", 2, Some(2), "Value at a JSON path (`a.b{}.c`, `{0}`); several hits ⇒ multivalue",
        &[("spath(\"{\\\"a\\\":{\\\"b\\\":[1,2]}}\", \"a.b{}\")", "[\"1\",\"2\"]"), ("spath(\"{\\\"a\\\":1}\", \"x\")", "null")], json::spath),
    function("json_extract", 1, Some(2), "Value at a JSON path; no path ⇒ the whole document",
        &[("json_extract(\"{\\\"a\\\":{\\\"b\\\":\\\"c\\\"}}\", \"a.b\")", "\"c\"")], json::json_extract),
];

/// The value of argument `index` (null when absent).
pub fn arg(args: &[Node], index: usize, env: &Env<'_>) -> EvalValue {
    args.get(index).map_or(EvalValue::Null, |n| n.evaluate(env))
}

/// Argument `index` as text (the first value).
pub fn text_arg(args: &[Node], index: usize, env: &Env<'_>) -> Option<String> {
    arg(args, index, env).text()
}

/// Argument `index` as a number.
pub fn number_arg(args: &[Node], index: usize, env: &Env<'_>) -> Option<f64> {
    arg(args, index, env).number()
}

/// The regular expression of argument `index`: the plan-time one, or compiled now (an invalid
/// pattern computed at run time gives `None`).
pub fn regex_arg<'a>(
    cached: Option<&'a Regex>,
    args: &[Node],
    index: usize,
    env: &Env<'_>,
) -> Option<Cow<'a, Regex>> {
    if let Some(regex) = cached {
        return Some(Cow::Borrowed(regex));
    }
    let pattern = text_arg(args, index, env)?;
    build_regex(&pattern).ok().map(Cow::Owned)
}

/// A string result, null when `None`.
pub fn string_or_null(value: Option<String>) -> EvalValue {
    value.map_or(EvalValue::Null, EvalValue::Str)
}

/// A number result, null when `None` or not finite-able (NaN).
pub fn number_or_null(value: Option<f64>) -> EvalValue {
    match value {
        Some(n) if !n.is_nan() => EvalValue::Number(n),
        _ => EvalValue::Null,
    }
}
