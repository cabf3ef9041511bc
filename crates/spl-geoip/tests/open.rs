//! Opening databases: valid, missing, corrupt, and not a City database.

mod common;

use std::borrow::Cow;
use std::path::Path;

use common::testdata;
use spl_geoip::{GeoIpError, MaxMindLocator};

#[test]
fn opens_from_path() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/GeoLite2-City-Test.mmdb");
    let locator = MaxMindLocator::open(&path).expect("valid database");
    assert_eq!(locator.database_type(), "GeoLite2-City");
    assert_eq!(locator.origin(), path.display().to_string());
}

#[test]
fn missing_file_names_path_and_os_error() {
    let path = testdata("no-such-file.mmdb");
    let error = MaxMindLocator::open(&path).expect_err("missing");
    assert!(matches!(error, GeoIpError::Read { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("no-such-file.mmdb"), "{message}");
    assert!(message.contains("No such file"), "{message}");
}

#[test]
fn directory_is_a_read_error() {
    let error = MaxMindLocator::open(&testdata("")).expect_err("directory");
    assert!(matches!(error, GeoIpError::Read { .. }), "{error:?}");
}

#[test]
fn invalid_node_count_is_rejected_on_open() {
    let path = testdata("GeoIP2-City-Test-Invalid-Node-Count.mmdb");
    let error = MaxMindLocator::open(&path).expect_err("corrupt");
    assert!(matches!(error, GeoIpError::Invalid { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("GeoIP2-City-Test-Invalid-Node-Count.mmdb"),
        "{message}"
    );
    assert!(message.contains("search tree"), "{message}");
}

#[test]
fn broken_double_is_caught_by_the_probe_on_open() {
    let path = testdata("GeoIP2-City-Test-Broken-Double-Format.mmdb");
    let error = MaxMindLocator::open(&path).expect_err("corrupt");
    assert!(matches!(error, GeoIpError::Invalid { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("GeoIP2-City-Test-Broken-Double-Format.mmdb"),
        "{message}"
    );
    assert!(message.contains("double"), "{message}");
}

#[test]
fn not_a_maxmind_file() {
    let error = MaxMindLocator::from_bytes(Cow::Borrowed(b"hello, world"), "junk.bin".into())
        .expect_err("garbage");
    assert!(matches!(error, GeoIpError::Invalid { .. }), "{error:?}");
    assert!(error.to_string().contains("junk.bin"));
}

#[test]
fn empty_file() {
    let error =
        MaxMindLocator::from_bytes(Cow::Borrowed(b""), "empty.mmdb".into()).expect_err("empty");
    assert!(matches!(error, GeoIpError::Invalid { .. }), "{error:?}");
}

#[test]
fn truncated_database_never_panics() {
    let bytes = spl_geoip::EMBEDDED_TEST_DATABASE;
    for cut in [1, 100, bytes.len() / 2, bytes.len() - 100, bytes.len() - 1] {
        let truncated = bytes.get(..cut).expect("cut within length").to_vec();
        // Either an error on open or a working locator; what matters is no panic.
        let _ = MaxMindLocator::from_bytes(Cow::Owned(truncated), format!("cut{cut}"));
    }
}

#[test]
fn non_city_database_type_is_rejected() {
    // Same bytes with the metadata's "GeoLite2-City" replaced by a same-length type name.
    let mut bytes = spl_geoip::EMBEDDED_TEST_DATABASE.to_vec();
    let needle = b"GeoLite2-City";
    let position = bytes
        .windows(needle.len())
        .rposition(|window| window == needle)
        .expect("metadata names the type");
    bytes.splice(
        position..position + needle.len(),
        b"GeoLite2-ASNx".iter().copied(),
    );
    let error = MaxMindLocator::from_bytes(Cow::Owned(bytes), "asn.mmdb".into())
        .expect_err("not a City database");
    match error {
        GeoIpError::NotCity {
            origin,
            database_type,
        } => {
            assert_eq!(origin, "asn.mmdb");
            assert_eq!(database_type, "GeoLite2-ASNx");
        }
        other => panic!("expected NotCity, got {other:?}"),
    }
}

#[test]
fn errors_carry_stable_codes() {
    use miette::Diagnostic;
    let missing = MaxMindLocator::open(&testdata("no-such-file.mmdb")).expect_err("missing");
    let code = missing.code().map(|code| code.to_string());
    assert_eq!(code.as_deref(), Some("spl::geoip::read"));
    let corrupt = MaxMindLocator::open(&testdata("GeoIP2-City-Test-Invalid-Node-Count.mmdb"))
        .expect_err("corrupt");
    let code = corrupt.code().map(|code| code.to_string());
    assert_eq!(code.as_deref(), Some("spl::geoip::invalid"));
}
