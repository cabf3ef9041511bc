//! Runs every example of the eval function table, and checks the table itself.

mod eval_support;

use spl_engine::eval::functions::TABLE;

#[test]
fn every_example_gives_its_documented_result() {
    let mut failures = Vec::new();
    for function in TABLE {
        for (expression, expected) in function.examples {
            let actual = eval_support::describe(expression);
            if actual != *expected {
                failures.push(format!("{expression}: expected {expected}, got {actual}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn names_are_unique_and_lower_case_with_docs() {
    let mut names: Vec<&str> = TABLE.iter().map(|f| f.name).collect();
    names.sort_unstable();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count, "duplicate function names");
    for f in TABLE {
        assert_eq!(f.name, f.name.to_ascii_lowercase());
        assert!(!f.doc.is_empty(), "{} has no doc", f.name);
        assert!(f.max_args.is_none_or(|max| max >= f.min_args), "{}", f.name);
    }
}

#[test]
fn examples_respect_declared_arity() {
    for f in TABLE {
        for (expression, _) in f.examples {
            assert!(
                spl_engine::eval::compile(&eval_support::parse(expression)).is_ok(),
                "{expression}"
            );
        }
    }
}

#[test]
fn must_have_functions_are_present() {
    let required = [
        "if",
        "case",
        "coalesce",
        "isnull",
        "isnotnull",
        "null",
        "true",
        "false",
        "lower",
        "upper",
        "len",
        "substr",
        "replace",
        "trim",
        "ltrim",
        "rtrim",
        "match",
        "like",
        "mvcount",
        "mvindex",
        "mvjoin",
        "mvappend",
        "split",
        "tonumber",
        "tostring",
        "round",
        "abs",
        "cidrmatch",
        "now",
        "in",
        "nullif",
        "isnum",
        "isint",
        "isstr",
        "typeof",
        "floor",
        "ceil",
        "ceiling",
        "pow",
        "sqrt",
        "exp",
        "ln",
        "log",
        "pi",
        "min",
        "max",
        "mvfilter",
        "mvfind",
        "mvdedup",
        "mvsort",
        "mvzip",
        "mvrange",
        "urldecode",
        "md5",
        "sha1",
        "sha256",
        "sha512",
        "strftime",
        "strptime",
        "relative_time",
        "time",
        "spath",
        "json_extract",
    ];
    for name in required {
        assert!(spl_engine::eval::functions::find(name).is_some(), "{name}");
    }
}
