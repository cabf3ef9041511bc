//! The interface between `iplocation` and a GeoIP database.
//!
//! The engine only sees [`IpLocator`]; the `spl-geoip` crate implements it over MaxMind
//! databases, and embedders may plug in their own.

use std::net::IpAddr;

/// What a GeoIP database knows about one address. `None` means the database has no value
/// for that attribute (Splunk then sets the output field to the empty string).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Location {
    /// City name in the requested language.
    pub city: Option<String>,
    /// Country name in the requested language (ISO code for `lang=code`).
    pub country: Option<String>,
    /// First subdivision name (ISO code for `lang=code`).
    pub region: Option<String>,
    /// Continent name (code for `lang=code`).
    pub continent: Option<String>,
    /// Latitude.
    pub latitude: Option<f64>,
    /// Longitude.
    pub longitude: Option<f64>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// US metro code.
    pub metro_code: Option<u32>,
}

/// Looks up IP addresses. Implementations must be cheap to call from several threads.
pub trait IpLocator: Send + Sync {
    /// The location of `ip` with names in `lang` (`en` by default, `code` for ISO codes),
    /// or `None` when the database has no record for it (private ranges, unknown blocks).
    fn locate(&self, ip: IpAddr, lang: &str) -> Result<Option<Location>, LocateError>;

    /// A short description of the database, for `explain` and run summaries.
    fn describe(&self) -> String;
}

/// A database that could not answer (corrupt data).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("GeoIP lookup of {ip} failed: {reason}")]
pub struct LocateError {
    /// The address looked up.
    pub ip: String,
    /// What went wrong.
    pub reason: String,
}
