//! Differential property test of JSON extraction with projection: for random documents
//! (valid ones, and malformed ones made by mutating them), random selections and random
//! depth limits, extraction projected to a selection gives exactly what full extraction gives
//! for every selected field (presence, values, relative order), and fails with exactly the
//! same error message and byte offset.
//!
//! Why "every selected field" is the whole contract: a leaf field's name is the path of the
//! object key it sits under (plus `{}` per array level), and projection reads a key's value
//! whenever that path is a selected name or a prefix of one ending before `.` or `{`. So every
//! leaf that full extraction files under a selected name is read in both, and a repeated key
//! whose earlier fields could include a selected name is itself read, so the "last occurrence
//! wins" removal happens in both.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use spl_engine::event::{record_from_json_projected, EventError, EventMeta, ExtractOptions};
use spl_engine::projection::FieldSelection;
use spl_engine::Record;

/// Keys from a small alphabet, so selections match and keys repeat; dots and braces inside
/// keys, an escaped key (`\u0061` is `a`), the empty key and names of default fields.
const KEYS: [&str; 14] = [
    "a", "b", "c", "a.b", "x{}", "\\u0061", "", "kind", "user", "username", "time", "source",
    "_raw", "verb",
];

/// Field names a query could select (all generated keys can produce them).
const NAMES: [&str; 16] = [
    "a",
    "b",
    "a.b",
    "a.b.c",
    "a{}",
    "a{}.b",
    "b{}{}",
    "c.a",
    "x{}",
    "x{}.a",
    "user.username",
    "user",
    "kind",
    "verb",
    "a.c{}.b",
    "{}",
];

/// Escapes, valid and not: every simple escape, `\u` escapes of plain characters, surrogate
/// pairs (lower and upper case), lone and reversed surrogates, bad hex, unknown letters.
const ESCAPES: [&str; 26] = [
    r#"\""#,
    r"\\",
    r"\/",
    r"\b",
    r"\f",
    r"\n",
    r"\r",
    r"\t",
    r"\u00e9",
    r"\u0041",
    r"\uFFFF",
    r"\u0000",
    r"\ud83d\ude00",
    r"\uDBFF\uDFFF",
    r"\ud800",
    r"\udc00",
    r"\uDFFF\ud800",
    r"\ud800\u0041",
    r"\ud800x",
    r"\u12g4",
    r"\u00",
    r"\x",
    r"\a",
    r"\ ",
    r"\udc00\udc00",
    r"\ud800\udbff",
];

/// Valid escapes come first in [`ESCAPES`].
const VALID_ESCAPES: usize = 14;

/// What a string must not contain: invalid escapes, raw control characters.
fn bad_string_piece() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        3 => prop::sample::select(&ESCAPES[VALID_ESCAPES..]),
        1 => prop::sample::select(vec!["\u{1}", "\u{1f}", "\t", "\n"]),
    ]
}

/// A piece of valid string content: plain runs (short ones, and long ones that cross the
/// eight-byte blocks of the string search), multibyte text, escapes.
fn string_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[a-z]{1,12}",
        3 => "[ -~&&[^\"\\\\]]{1,40}",
        1 => prop::sample::select(vec!["é", "ü", "日本", "\u{7f}", "😀"]).prop_map(String::from),
        3 => prop::sample::select(&ESCAPES[..VALID_ESCAPES]).prop_map(String::from),
    ]
}

fn string_text() -> impl Strategy<Value = String> {
    prop::collection::vec(string_piece(), 0..5)
        .prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

fn number_text() -> impl Strategy<Value = String> {
    "-?(0|[1-9][0-9]{0,4})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?"
}

fn scalar_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => string_text(),
        2 => number_text(),
        1 => Just("true".to_string()),
        1 => Just("false".to_string()),
        1 => Just("null".to_string()),
    ]
}

/// Whitespace between tokens, usually none.
fn space() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just(""), 1 => Just(" "), 1 => Just("\n\t \r")]
}

fn key_text() -> impl Strategy<Value = String> {
    prop::sample::select(&KEYS[..]).prop_map(|key| format!("\"{key}\""))
}

/// A JSON value as text, nested up to six levels.
fn value_text() -> impl Strategy<Value = String> {
    scalar_text().prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            (prop::collection::vec(inner.clone(), 0..5), space())
                .prop_map(|(items, space)| format!("[{space}{}{space}]", items.join(","))),
            (prop::collection::vec((key_text(), inner), 0..6), space()).prop_map(
                |(members, space)| {
                    let members: Vec<String> = members
                        .into_iter()
                        .map(|(key, value)| format!("{key}{space}:{space}{value}"))
                        .collect();
                    format!("{{{space}{}{space}}}", members.join(&format!(",{space}")))
                }
            ),
        ]
    })
}

/// A document: mostly an object, sometimes an array.
fn document_text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (prop::collection::vec((key_text(), value_text()), 0..8)).prop_map(|members| {
            let members: Vec<String> =
                members.into_iter().map(|(key, value)| format!("{key}:{value}")).collect();
            format!("{{{}}}", members.join(","))
        }),
        1 => value_text().prop_map(|value| format!("[{value}]")),
    ]
}

/// One edit of a document: at a relative position, remove, replace or insert a character
/// taken from the characters that matter to JSON, or put something no string may contain
/// after the next quote (so about half the time inside a string).
#[derive(Clone, Debug)]
enum Mutation {
    Remove(f64),
    Replace(f64, char),
    Insert(f64, char),
    BadPiece(f64, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tricky = prop::sample::select(vec![
        '"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '-', '+', '.', 'e', 'u', 'x', 't', 'n',
        ' ', '\u{1}', '\u{1f}', 'é',
    ]);
    prop_oneof![
        (0.0..1.0).prop_map(Mutation::Remove),
        (0.0..1.0, tricky.clone()).prop_map(|(at, c)| Mutation::Replace(at, c)),
        (0.0..1.0, tricky).prop_map(|(at, c)| Mutation::Insert(at, c)),
        (0.0..1.0, bad_string_piece()).prop_map(|(at, piece)| Mutation::BadPiece(at, piece)),
    ]
}

fn mutated(text: &str, mutations: &[Mutation]) -> String {
    let mut characters: Vec<char> = text.chars().collect();
    for mutation in mutations {
        let index_of = |at: f64, length: usize| ((at * length as f64) as usize).min(length);
        match *mutation {
            Mutation::Remove(at) => {
                let index = index_of(at, characters.len());
                if index < characters.len() {
                    characters.remove(index);
                }
            }
            Mutation::Replace(at, character) => {
                let index = index_of(at, characters.len());
                if let Some(slot) = characters.get_mut(index) {
                    *slot = character;
                }
            }
            Mutation::Insert(at, character) => {
                let index = index_of(at, characters.len());
                characters.insert(index, character);
            }
            Mutation::BadPiece(at, piece) => {
                let start = index_of(at, characters.len());
                let quote = characters.iter().skip(start).position(|c| *c == '"');
                let index = quote.map_or(characters.len(), |offset| start + offset + 1);
                characters.splice(index..index, piece.chars());
            }
        }
    }
    characters.into_iter().collect()
}

fn extract(text: &str, selection: &FieldSelection, max_depth: usize) -> Result<Record, EventError> {
    let options = ExtractOptions { max_depth };
    record_from_json_projected(text, &EventMeta::default(), &options, selection)
}

/// The selected fields of `record`, in order, with their values.
fn selected_fields(record: &Record, selection: &FieldSelection) -> Vec<(String, Vec<String>)> {
    let names = selection.names().expect("a named selection");
    record
        .iter()
        .filter(|(name, _)| names.contains(*name))
        .map(|(name, value)| (name.to_string(), value.values().to_vec()))
        .collect()
}

fn check(text: &str, names: &[&str], max_depth: usize) -> Result<(), TestCaseError> {
    let selection = FieldSelection::only(names.iter().copied());
    let full = extract(text, &FieldSelection::all(), max_depth);
    let projected = extract(text, &selection, max_depth);
    match (full, projected) {
        (Ok(full), Ok(projected)) => prop_assert_eq!(
            selected_fields(&full, &selection),
            selected_fields(&projected, &selection),
            "text: {}",
            text
        ),
        (full, projected) => prop_assert_eq!(full.err(), projected.err(), "text: {}", text),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn projection_matches_full_extraction_on_valid_documents(
        text in document_text(),
        names in prop::collection::vec(prop::sample::select(&NAMES[..]), 0..4),
        max_depth in 1usize..9,
    ) {
        check(&text, &names, max_depth)?;
    }

    #[test]
    fn projection_matches_full_extraction_on_malformed_documents(
        text in document_text(),
        mutations in prop::collection::vec(mutation(), 1..3),
        names in prop::collection::vec(prop::sample::select(&NAMES[..]), 0..4),
        max_depth in 1usize..9,
    ) {
        check(&mutated(&text, &mutations), &names, max_depth)?;
    }
}

#[test]
fn generated_documents_are_valid_and_mutated_ones_mostly_not() {
    // A sanity check of the generators themselves: the properties above would pass trivially
    // if every document failed to parse, or if mutations never broke one.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..300 {
        let text = document_text()
            .new_tree(&mut runner)
            .expect("a document")
            .current();
        let mutations = prop::collection::vec(mutation(), 1..2)
            .new_tree(&mut runner)
            .expect("mutations")
            .current();
        if extract(&text, &FieldSelection::all(), 16).is_ok() {
            accepted += 1;
        }
        if extract(&mutated(&text, &mutations), &FieldSelection::all(), 16).is_err() {
            rejected += 1;
        }
    }
    assert_eq!(accepted, 300, "every generated document is valid JSON");
    assert!(
        rejected > 100,
        "only {rejected} of 300 mutated documents were rejected"
    );
}
