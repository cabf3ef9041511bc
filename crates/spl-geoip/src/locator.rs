//! [`MaxMindLocator`]: the engine's [`IpLocator`] over a MaxMind City database.

use std::borrow::Cow;
use std::net::IpAddr;
use std::path::Path;

use maxminddb::{MaxMindDbError, Reader};
use spl_engine::geo::{IpLocator, LocateError, Location};

use crate::error::GeoIpError;
use crate::record::CityRecord;

/// MaxMind's public GeoLite2-City *test* database (MaxMind-DB repository test data,
/// Apache-2.0 / MIT). Its records are made up: useful for fixtures, not for real geography.
pub static EMBEDDED_TEST_DATABASE: &[u8] = include_bytes!("../data/GeoLite2-City-Test.mmdb");

/// How the embedded database is named in messages.
pub const EMBEDDED_ORIGIN: &str = "embedded test database";

/// An address every City database is asked for on open. A lookup walks the search tree and,
/// when it finds a record, decodes it; both can expose a corrupt file early. The answer
/// itself is ignored.
const PROBE_ADDRESSES: [&str; 2] = ["81.2.69.142", "2001:480::1"];

/// Looks up addresses in a MaxMind GeoIP2/GeoLite2 City database held in memory.
///
/// ```
/// use spl_engine::geo::IpLocator;
/// let locator = spl_geoip::MaxMindLocator::embedded_test().unwrap();
/// let london = locator.locate("81.2.69.142".parse().unwrap(), "en").unwrap().unwrap();
/// assert_eq!(london.city.as_deref(), Some("London"));
/// ```
pub struct MaxMindLocator {
    reader: Reader<Cow<'static, [u8]>>,
    origin: String,
}

impl std::fmt::Debug for MaxMindLocator {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.describe())
    }
}

impl MaxMindLocator {
    /// Reads the database at `path` into memory and validates it (§ "Opening" in the crate
    /// docs). Errors name the path.
    pub fn open(path: &Path) -> Result<Self, GeoIpError> {
        let bytes = std::fs::read(path).map_err(|source| GeoIpError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(Cow::Owned(bytes), path.display().to_string())
    }

    /// The embedded MaxMind test database ([`EMBEDDED_TEST_DATABASE`]).
    pub fn embedded_test() -> Result<Self, GeoIpError> {
        Self::from_bytes(
            Cow::Borrowed(EMBEDDED_TEST_DATABASE),
            EMBEDDED_ORIGIN.to_string(),
        )
    }

    /// Opens a database from bytes; `origin` names it in errors and in [`IpLocator::describe`].
    pub fn from_bytes(bytes: Cow<'static, [u8]>, origin: String) -> Result<Self, GeoIpError> {
        let reader = Reader::from_source(bytes).map_err(|error| GeoIpError::Invalid {
            origin: origin.clone(),
            reason: error.to_string(),
        })?;
        let database_type = &reader.metadata().database_type;
        if !is_city_database(database_type) {
            return Err(GeoIpError::NotCity {
                origin,
                database_type: database_type.clone(),
            });
        }
        let locator = MaxMindLocator { reader, origin };
        locator.probe()?;
        Ok(locator)
    }

    /// The metadata's `database_type`, e.g. `GeoLite2-City`.
    pub fn database_type(&self) -> &str {
        &self.reader.metadata().database_type
    }

    /// Where the database came from: its path, or [`EMBEDDED_ORIGIN`].
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Looks up the probe addresses so a database whose tree or data section is corrupt
    /// near the common paths fails on open, with its name, rather than on the first event.
    /// Corruption elsewhere can only show at lookup time; [`IpLocator::locate`] then returns
    /// an error for that address.
    fn probe(&self) -> Result<(), GeoIpError> {
        for address in PROBE_ADDRESSES {
            let Ok(ip) = address.parse::<IpAddr>() else {
                continue;
            };
            self.lookup_record(ip, "en")
                .map_err(|error| GeoIpError::Invalid {
                    origin: self.origin.clone(),
                    reason: error.to_string(),
                })?;
        }
        Ok(())
    }

    /// Looks up and decodes one address.
    fn lookup_record(&self, ip: IpAddr, lang: &str) -> Result<Option<Location>, MaxMindDbError> {
        if ip.is_ipv6() && self.reader.metadata().ip_version == 4 {
            // An IPv4-only database has no IPv6 records; that is "no record", not an error.
            return Ok(None);
        }
        let result = self.reader.lookup(ip)?;
        let record: Option<CityRecord<'_>> = result.decode()?;
        Ok(record.map(|record| record.to_location(lang)))
    }
}

/// City-schema databases: GeoIP2-City, GeoLite2-City, GeoIP2-City-Europe, ...,
/// and GeoIP2-Enterprise, which extends the City schema.
fn is_city_database(database_type: &str) -> bool {
    database_type.contains("City") || database_type.contains("Enterprise")
}

impl IpLocator for MaxMindLocator {
    fn locate(&self, ip: IpAddr, lang: &str) -> Result<Option<Location>, LocateError> {
        self.lookup_record(ip, lang).map_err(|error| LocateError {
            ip: ip.to_string(),
            reason: format!("{} ({})", error, self.origin),
        })
    }

    fn describe(&self) -> String {
        format!("{} ({})", self.database_type(), self.origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database that passes the reader's structural checks but has corrupt doubles in its
    /// data section: opened here without the probe, to exercise lookup-time errors.
    fn unprobed_broken_double() -> MaxMindLocator {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata/geoip/GeoIP2-City-Test-Broken-Double-Format.mmdb");
        let bytes = std::fs::read(path).expect("test database present");
        let reader = Reader::from_source(Cow::Owned(bytes)).expect("structure is valid");
        MaxMindLocator {
            reader,
            origin: "broken.mmdb".to_string(),
        }
    }

    #[test]
    fn corrupt_record_is_a_locate_error_naming_ip_and_database() {
        let locator = unprobed_broken_double();
        for address in [
            "81.2.69.142",
            "89.160.20.112",
            "216.160.83.56",
            "175.16.199.1",
        ] {
            let ip: IpAddr = address.parse().expect("literal");
            let error = locator.locate(ip, "en").expect_err("corrupt double");
            assert_eq!(error.ip, address);
            assert!(error.reason.contains("double"), "{}", error.reason);
            assert!(error.reason.contains("broken.mmdb"), "{}", error.reason);
        }
    }

    #[test]
    fn unknown_address_in_corrupt_database_is_still_none() {
        let locator = unprobed_broken_double();
        let ip: IpAddr = "10.0.0.5".parse().expect("literal");
        assert_eq!(locator.locate(ip, "en"), Ok(None));
    }

    #[test]
    fn city_database_types() {
        assert!(is_city_database("GeoLite2-City"));
        assert!(is_city_database("GeoIP2-City-Europe"));
        assert!(is_city_database("GeoIP2-Enterprise"));
        assert!(!is_city_database("GeoLite2-ASN"));
        assert!(!is_city_database("GeoLite2-Country"));
    }
}
