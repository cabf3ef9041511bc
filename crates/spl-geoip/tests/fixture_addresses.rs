//! The addresses used by the detection fixtures resolve in the embedded test database as
//! `testdata/detections/kubernetes_scanning_by_unauthenticated_ip_address/README.md` states.
//! Expected names come from `testdata/geoip/GeoLite2-City-Test.json`.

mod common;

use common::locate;

/// (address, country, city); `None` city = the record has no city.
const RESOLVED: &[(&str, &str, Option<&str>)] = &[
    ("81.2.69.142", "United Kingdom", Some("London")),
    ("81.2.69.143", "United Kingdom", Some("London")),
    ("81.2.69.150", "United Kingdom", Some("London")),
    ("81.2.69.170", "United Kingdom", Some("London")),
    ("89.160.20.112", "Sweden", Some("Linköping")),
    ("89.160.20.130", "Sweden", Some("Linköping")),
    ("67.43.156.7", "Bhutan", None),
    ("67.43.156.8", "Bhutan", None),
    ("2001:480::52", "United States", Some("San Diego")),
    ("175.16.199.10", "China", Some("Changchun")),
    ("216.160.83.58", "United States", Some("Milton")),
    ("214.78.0.10", "United States", Some("San Diego")),
    ("2.125.160.218", "United Kingdom", Some("Boxford")),
    ("202.196.224.5", "Philippines", None),
];

const UNRESOLVED: &[&str] = &[
    "10.0.0.5",
    "192.168.1.20",
    "172.16.0.9",
    "fd12:3456:789a::1",
];

#[test]
fn fixture_scanner_addresses_resolve() {
    for (address, country, city) in RESOLVED {
        let location = locate(address, "en").unwrap_or_else(|| panic!("{address} has a record"));
        assert_eq!(location.country.as_deref(), Some(*country), "{address}");
        assert_eq!(location.city.as_deref(), *city, "{address}");
    }
}

#[test]
fn fixture_private_addresses_do_not_resolve() {
    for address in UNRESOLVED {
        assert_eq!(locate(address, "en"), None, "{address}");
    }
}
