//! Loading ESCU macro YAML files (spl-semantics §7.3) and folders of them.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use spl_detections::{
    load_macro_dir, load_macro_file, load_macro_file_with, DetectionError, LoadOptions,
};
use spl_syntax::macros::{builtin_macros, expand, ExpandOptions};

fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

/// Writes `files` (name, content) into a new temporary folder.
fn temp_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

fn load_error(content: &str) -> DetectionError {
    let dir = temp_dir(&[("m.yml", content)]);
    load_macro_file(&dir.path().join("m.yml")).unwrap_err()
}

#[test]
fn loads_a_macro_without_arguments() {
    let path = data("macros/kube_audit.yml");
    let definition = load_macro_file(&path).unwrap();
    assert_eq!(definition.name, "kube_audit");
    assert_eq!(definition.definition, r#"source="kubernetes""#);
    assert!(definition.arguments.is_empty());
    assert_eq!(definition.origin, path.display().to_string());
}

#[test]
fn loads_a_macro_with_arguments() {
    let definition = load_macro_file(&data("macros/security_content_ctime.yml")).unwrap();
    assert_eq!(definition.name, "security_content_ctime");
    assert_eq!(definition.arguments, vec!["field".to_string()]);
    assert_eq!(
        definition.definition,
        r#"convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)"#
    );
}

#[test]
fn loads_a_folder_and_expands_nested_escu_macros() {
    let macros = load_macro_dir(&data("macros")).unwrap();
    assert_eq!(macros.len(), 11);
    // §7.5: security_content_summariesonly with the three config macros.
    let expanded = expand(
        "| tstats `security_content_summariesonly` count",
        &macros,
        &ExpandOptions::default(),
    )
    .unwrap();
    assert_eq!(
        expanded.text,
        "| tstats summariesonly=false allow_old_summaries=true fillnull_value=null count"
    );
}

#[test]
fn shipped_drop_dm_object_name_file_matches_the_built_in() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../macros/drop_dm_object_name.yml");
    let loaded = load_macro_file(&path).unwrap();
    let built_in = builtin_macros()
        .into_iter()
        .find(|d| d.name == "drop_dm_object_name")
        .unwrap();
    assert_eq!(loaded.arguments, built_in.arguments);
    assert_eq!(loaded.definition, built_in.definition);
    assert_eq!(loaded.definition, r#"rename "$object$.*" as *"#);
}

#[test]
fn later_files_in_a_folder_win_and_other_files_are_ignored() {
    let dir = temp_dir(&[
        ("b.yml", "name: m\ndefinition: second\n"),
        ("a.yml", "name: m\ndefinition: first\n"),
        (
            "c.yaml",
            "name: n\ndefinition: other\nid: 123\nauthor: someone\n",
        ),
        ("notes.txt", "not yaml: ["),
    ]);
    let macros = load_macro_dir(dir.path()).unwrap();
    assert_eq!(macros.len(), 2);
    assert_eq!(macros.get("m", 0).unwrap().definition, "second");
    assert_eq!(macros.get("n", 0).unwrap().definition, "other");
}

#[test]
fn missing_definition_names_file_and_position() {
    let error = load_error("name: m\ndescription: x\n");
    let message = error.to_string();
    assert!(
        matches!(error, DetectionError::Yaml { line: Some(_), .. }),
        "{error:?}"
    );
    assert!(message.contains("m.yml:"), "{message}");
    assert!(message.contains("definition"), "{message}");
}

#[test]
fn malformed_yaml_reports_line_and_column() {
    let error = load_error("name: m\ndefinition: [a, b\n");
    let DetectionError::Yaml { line, column, .. } = &error else {
        panic!("expected a YAML error, got {error:?}");
    };
    assert!(line.is_some() && column.is_some(), "{error:?}");
    assert!(line.unwrap() >= 2, "{error:?}");
}

#[test]
fn anchors_and_aliases_are_refused() {
    let error = load_error("name: &n m\ndefinition: *n\n");
    assert!(matches!(error, DetectionError::Yaml { .. }), "{error:?}");
    assert!(error.to_string().contains("anchors"), "{error}");
}

#[test]
fn alias_bomb_fails_fast() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let previous = (b'a' + level - 1) as char;
        let current = (b'a' + level) as char;
        bomb.push_str(&format!(
            "{current}: &{current} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"
        ));
    }
    bomb.push_str("name: m\ndefinition: x\n");
    let started = std::time::Instant::now();
    let error = load_error(&bomb);
    assert!(error.to_string().contains("anchors"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn oversize_files_are_refused() {
    let dir = temp_dir(&[(
        "m.yml",
        &format!("name: m\ndefinition: {}\n", "x".repeat(200)),
    )]);
    let options = LoadOptions {
        max_file_bytes: 100,
    };
    let error = load_macro_file_with(&dir.path().join("m.yml"), &options).unwrap_err();
    assert!(
        matches!(error, DetectionError::TooLarge { limit: 100, .. }),
        "{error:?}"
    );
    assert!(load_macro_file(&dir.path().join("m.yml")).is_ok());
}

#[test]
fn empty_definition_is_invalid() {
    let error = load_error("name: m\ndefinition: ''\n");
    assert!(matches!(error, DetectionError::Invalid { .. }), "{error:?}");
}

#[test]
fn argument_names_are_checked() {
    let error = load_error("name: m\narguments: [a b]\ndefinition: $a b$\n");
    assert!(matches!(error, DetectionError::Invalid { .. }), "{error:?}");
    let error = load_error("name: m\narguments: [a, a]\ndefinition: $a$\n");
    assert!(error.to_string().contains("twice"), "{error}");
}

#[test]
fn unreadable_inputs_are_errors_naming_the_path() {
    let error = load_macro_dir(Path::new("/nonexistent/macros")).unwrap_err();
    assert!(error.to_string().contains("/nonexistent/macros"), "{error}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.yml"), [0xff, 0xfe, b'\n']).unwrap();
    assert!(load_macro_file(&dir.path().join("m.yml")).is_err());
}
