//! Helpers shared by the integration tests (included with `mod common;`).
#![allow(dead_code)]

use std::net::IpAddr;
use std::path::PathBuf;

use spl_engine::geo::{IpLocator, Location};
use spl_geoip::MaxMindLocator;

/// `testdata/geoip/<name>` in the workspace.
pub fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/geoip")
        .join(name)
}

/// Looks `address` up in the embedded test database.
pub fn locate(address: &str, lang: &str) -> Option<Location> {
    let locator = MaxMindLocator::embedded_test().expect("embedded database opens");
    let ip: IpAddr = address.parse().expect("test address parses");
    locator.locate(ip, lang).expect("lookup succeeds")
}
