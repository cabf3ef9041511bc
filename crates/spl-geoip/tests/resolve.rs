//! The resolution order: `--geoip-db`, `SPL_GEOIP_DB`, `$SPLUNK_HOME/share/GeoLite2-City.mmdb`,
//! embedded test database. The environment is a closure so tests stay hermetic.

mod common;

use std::path::{Path, PathBuf};

use common::testdata;
use spl_geoip::{resolve_database, DatabaseSource, GeoIpError};

fn valid_database() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/GeoLite2-City-Test.mmdb")
}

/// A fake `$SPLUNK_HOME` holding `share/GeoLite2-City.mmdb`.
fn splunk_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(home.path().join("share")).expect("share dir");
    std::fs::copy(
        valid_database(),
        home.path().join("share/GeoLite2-City.mmdb"),
    )
    .expect("copy database");
    home
}

fn env_of(pairs: &[(&str, String)]) -> impl Fn(&str) -> Option<String> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.clone()))
        .collect();
    move |name| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }
}

#[test]
fn nothing_configured_uses_embedded_test_database() {
    let resolved = resolve_database(None, &|_| None).expect("embedded opens");
    assert_eq!(resolved.source, DatabaseSource::EmbeddedTest);
    assert!(resolved.source.is_test_database());
    assert!(resolved.source.to_string().contains("TEST"));
}

#[test]
fn explicit_path_wins_over_everything() {
    let home = splunk_home();
    let env = env_of(&[
        ("SPL_GEOIP_DB", "/nonexistent/env.mmdb".to_string()),
        ("SPLUNK_HOME", home.path().display().to_string()),
    ]);
    let resolved = resolve_database(Some(&valid_database()), &env).expect("opens");
    assert_eq!(resolved.source, DatabaseSource::Explicit(valid_database()));
    assert!(!resolved.source.is_test_database());
}

#[test]
fn env_wins_over_splunk_home() {
    let home = splunk_home();
    let env = env_of(&[
        ("SPL_GEOIP_DB", valid_database().display().to_string()),
        ("SPLUNK_HOME", home.path().display().to_string()),
    ]);
    let resolved = resolve_database(None, &env).expect("opens");
    assert_eq!(resolved.source, DatabaseSource::Env(valid_database()));
}

#[test]
fn splunk_home_database_used_when_present() {
    let home = splunk_home();
    let env = env_of(&[("SPLUNK_HOME", home.path().display().to_string())]);
    let resolved = resolve_database(None, &env).expect("opens");
    assert_eq!(
        resolved.source,
        DatabaseSource::SplunkHome(home.path().join("share/GeoLite2-City.mmdb"))
    );
}

#[test]
fn splunk_home_without_database_falls_back_to_embedded() {
    let home = tempfile::tempdir().expect("temp dir");
    let env = env_of(&[("SPLUNK_HOME", home.path().display().to_string())]);
    let resolved = resolve_database(None, &env).expect("embedded opens");
    assert_eq!(resolved.source, DatabaseSource::EmbeddedTest);
}

#[test]
fn empty_env_variable_counts_as_unset() {
    let env = env_of(&[("SPL_GEOIP_DB", String::new())]);
    let resolved = resolve_database(None, &env).expect("embedded opens");
    assert_eq!(resolved.source, DatabaseSource::EmbeddedTest);
}

#[test]
fn broken_explicit_path_is_an_error_not_a_fallback() {
    let path = testdata("GeoIP2-City-Test-Invalid-Node-Count.mmdb");
    let error = resolve_database(Some(&path), &|_| None).expect_err("corrupt");
    assert!(matches!(error, GeoIpError::Invalid { .. }), "{error:?}");
}

#[test]
fn missing_env_path_is_an_error_naming_it() {
    let env = env_of(&[("SPL_GEOIP_DB", "/nonexistent/geo.mmdb".to_string())]);
    let error = resolve_database(None, &env).expect_err("missing");
    assert!(
        error.to_string().contains("/nonexistent/geo.mmdb"),
        "{error}"
    );
}
