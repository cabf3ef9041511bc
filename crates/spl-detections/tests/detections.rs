//! Loading ESCU detection YAML, filter macro names, macro folder discovery and attack data.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use spl_detections::{
    attack_data_path, filter_macro_name, load_detection, load_macros_for, macro_dirs_for,
    DetectionError, LoadOptions, DEFAULT_ATTACK_DATA_ROOT,
};
use spl_syntax::macros::{expand, ExpandOptions};

fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(relative)
}

const FLAGSHIP: &str = "detections/cloud/kubernetes_scanning_by_unauthenticated_ip_address.yml";

/// Writes `files` (relative path, content) into a new temporary folder.
fn temp_tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

#[test]
fn loads_the_flagship_detection() {
    let path = data(FLAGSHIP);
    let detection = load_detection(&path).unwrap();
    assert_eq!(
        detection.name,
        "Kubernetes Scanning by Unauthenticated IP Address"
    );
    assert_eq!(detection.id, "f9cadf4e-df22-4f4e-a08f-9d3344c2165d");
    assert_eq!(detection.r#type, "Anomaly");
    assert_eq!(detection.data_source, vec!["Kubernetes Audit".to_string()]);
    assert_eq!(detection.path, path);
    assert!(detection
        .search
        .starts_with("`kube_audit` \"user.groups{}\""));
    assert!(detection
        .search
        .ends_with("`kubernetes_scanning_by_unauthenticated_ip_address_filter`"));

    let rba = detection.rba.as_ref().unwrap();
    assert_eq!(rba.message, "Kubernetes scanning from ip $src_ip$");
    assert_eq!(rba.risk_objects.len(), 1);
    assert_eq!(rba.risk_objects[0].field, "user");
    assert_eq!(rba.risk_objects[0].r#type, "user");
    assert_eq!(rba.risk_objects[0].score, 20);
    assert_eq!(rba.threat_objects.len(), 1);
    assert_eq!(rba.threat_objects[0].field, "src_ip");
    assert_eq!(rba.threat_objects[0].r#type, "ip_address");

    assert_eq!(detection.tests.len(), 1);
    let test = &detection.tests[0];
    assert_eq!(test.name, "True Positive Test");
    assert_eq!(test.attack_data.len(), 1);
    assert_eq!(
        test.attack_data[0].data,
        "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json"
    );
    assert_eq!(test.attack_data[0].source, "kubernetes");
    assert_eq!(test.attack_data[0].sourcetype, "_json");
}

#[test]
fn older_detections_without_rba_load() {
    let detection = load_detection(&data(
        "detections/cloud/kubernetes_abuse_of_secret_by_unusual_location.yml",
    ))
    .unwrap();
    assert_eq!(
        detection.name,
        "Kubernetes Abuse of Secret by Unusual Location"
    );
    assert!(detection.rba.is_none());
    assert_eq!(detection.tests.len(), 1);
}

#[test]
fn filter_macro_names_follow_contentctl() {
    assert_eq!(
        filter_macro_name("Kubernetes Scanning by Unauthenticated IP Address"),
        "kubernetes_scanning_by_unauthenticated_ip_address_filter"
    );
    assert_eq!(
        filter_macro_name("Windows Foo-Bar.exe/Baz Run"),
        "windows_foo_bar_exe_baz_run_filter"
    );
    let detection = load_detection(&data(FLAGSHIP)).unwrap();
    assert!(detection
        .search
        .contains(&format!("`{}`", detection.filter_macro_name())));
}

#[test]
fn minimal_detection_with_unknown_keys_loads() {
    let dir = temp_tree(&[(
        "d.yml",
        "name: X\nsearch: '`m` | stats count'\nsomething_new: {a: 1}\ntags: {x: [1, 2]}\n",
    )]);
    let detection = load_detection(&dir.path().join("d.yml")).unwrap();
    assert_eq!(detection.search, "`m` | stats count");
    assert!(detection.tests.is_empty());
    assert!(detection.data_source.is_empty());
}

#[test]
fn detection_without_search_is_an_error_with_position() {
    let dir = temp_tree(&[("d.yml", "name: X\nid: 1\n")]);
    let error = load_detection(&dir.path().join("d.yml")).unwrap_err();
    assert!(matches!(error, DetectionError::Yaml { .. }), "{error:?}");
    assert!(error.to_string().contains("search"), "{error}");
}

#[test]
fn macro_folder_is_found_by_walking_up_security_content_layout() {
    let dirs = macro_dirs_for(&data(FLAGSHIP), None);
    assert_eq!(dirs.len(), 1);
    assert_eq!(
        std::fs::canonicalize(&dirs[0]).unwrap(),
        std::fs::canonicalize(data("macros")).unwrap()
    );
}

#[test]
fn project_macros_come_first_and_are_not_repeated() {
    let content = temp_tree(&[
        (
            "content/macros/a.yml",
            "name: a\ndefinition: from_content\n",
        ),
        ("content/detections/cloud/d.yml", "name: D\nsearch: '`a`'\n"),
        (
            "project/macros/a.yml",
            "name: a\ndefinition: from_project\n",
        ),
    ]);
    let root = content.path();
    let detection = root.join("content/detections/cloud/d.yml");
    let dirs = macro_dirs_for(&detection, Some(&root.join("project")));
    let dirs: Vec<PathBuf> = dirs
        .iter()
        .map(|d| std::fs::canonicalize(d).unwrap())
        .collect();
    let canonical = |p: &str| std::fs::canonicalize(root.join(p)).unwrap();
    assert_eq!(
        dirs,
        vec![canonical("project/macros"), canonical("content/macros")]
    );

    // The same folder is listed once; a project without macros/ adds nothing.
    assert_eq!(
        macro_dirs_for(&detection, Some(&root.join("content"))).len(),
        1
    );
    assert_eq!(
        macro_dirs_for(&detection, Some(&root.join("nowhere"))).len(),
        1
    );

    // The folder near the detection wins over the project's.
    let macros = load_macros_for(
        &detection,
        Some(&root.join("project")),
        &[],
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(macros.get("a", 0).unwrap().definition, "from_content");
}

#[test]
fn user_macro_folders_win_and_built_ins_are_included() {
    let user = temp_tree(&[(
        "kube_audit.yml",
        "name: kube_audit\ndefinition: index=k8s\n",
    )]);
    let detection = data(FLAGSHIP);
    let macros = load_macros_for(
        &detection,
        None,
        &[user.path().to_path_buf()],
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(macros.get("kube_audit", 0).unwrap().definition, "index=k8s");
    assert!(macros.get("drop_dm_object_name", 1).is_some());
    let missing = load_macros_for(
        &detection,
        None,
        &[PathBuf::from("/nonexistent/dir")],
        &LoadOptions::default(),
    );
    assert!(missing.is_err());
}

#[test]
fn flagship_search_expands_with_discovered_macros() {
    let path = data(FLAGSHIP);
    let detection = load_detection(&path).unwrap();
    let macros = load_macros_for(&path, None, &[], &LoadOptions::default()).unwrap();
    let expanded = expand(&detection.search, &macros, &ExpandOptions::default()).unwrap();
    assert!(
        expanded.text.starts_with(
            r#"source="kubernetes" "user.groups{}"="system:unauthenticated" "responseStatus.code"=403"#
        ),
        "{}",
        expanded.text
    );
    assert!(expanded.text.ends_with("| search *"), "{}", expanded.text);
    assert!(!expanded.text.contains('`'));
}

#[test]
fn attack_data_urls_map_under_the_root() {
    let url = "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json";
    assert_eq!(
        attack_data_path(url, Path::new(DEFAULT_ATTACK_DATA_ROOT)).unwrap(),
        Path::new("testdata/attack_data/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json")
    );
    assert_eq!(
        attack_data_path(url, Path::new("/data")).unwrap(),
        Path::new("/data/attack_techniques/T1046/kubernetes_scanning/kubernetes_scanning.json")
    );
    let doubled = "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets//malware/x.log";
    assert_eq!(
        attack_data_path(doubled, Path::new("r")).unwrap(),
        Path::new("r/malware/x.log")
    );
}

#[test]
fn other_attack_data_urls_are_errors_naming_the_url() {
    for url in [
        "https://raw.githubusercontent.com/splunk/attack_data/master/datasets/a/b.log",
        "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/../../etc/passwd",
        "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/",
        "",
    ] {
        let error = attack_data_path(url, Path::new("root")).unwrap_err();
        assert!(matches!(error, DetectionError::AttackDataUrl { .. }), "{error:?}");
        assert!(error.to_string().contains(url), "{error}");
    }
}

#[test]
fn every_shipped_query_loads_and_expands_with_the_shipped_macros() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let queries = spl_detections::yaml_files(&project.join("queries")).unwrap();
    assert!(queries.len() >= 15, "found {} queries", queries.len());
    for path in queries {
        let detection = load_detection(&path).unwrap();
        let macros = load_macros_for(&path, Some(&project), &[], &LoadOptions::default()).unwrap();
        let expanded = expand(&detection.search, &macros, &ExpandOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !expanded.text.contains('`'),
            "{}: {}",
            path.display(),
            expanded.text
        );
    }
}

#[test]
fn older_detections_expose_tag_observables() {
    let detection = load_detection(&data(
        "detections/cloud/kubernetes_abuse_of_secret_by_unusual_location.yml",
    ))
    .unwrap();
    let observables = &detection.tags.observable;
    assert_eq!(observables.len(), 2);
    assert_eq!(observables[0].name, "user");
    assert_eq!(observables[0].r#type, "User");
    assert_eq!(observables[0].role, vec!["Victim".to_string()]);
    assert_eq!(observables[1].name, "src_ip");
    assert_eq!(observables[1].role, vec!["Attacker".to_string()]);
}
