//! Errors raised while opening or choosing a GeoIP database.
//!
//! Lookup failures on an open database are not here: they are the engine's
//! [`spl_engine::geo::LocateError`], because the engine reports them per event.

use std::path::PathBuf;

/// Why a GeoIP database could not be opened. Every variant names the database it is about
/// (a path, or the embedded test database) so the message stands on its own.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum GeoIpError {
    /// The file could not be read (missing, unreadable, a directory, ...).
    #[error("cannot read GeoIP database {}: {source}", path.display())]
    #[diagnostic(
        code(spl::geoip::read),
        help("pass a GeoLite2-City.mmdb with --geoip-db or set SPL_GEOIP_DB")
    )]
    Read {
        /// The path that was tried.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a usable MaxMind DB (bad metadata, truncated or corrupt tree).
    #[error("GeoIP database {origin} is not a valid MaxMind DB: {reason}")]
    #[diagnostic(
        code(spl::geoip::invalid),
        help("the file is truncated or corrupt; download GeoLite2-City.mmdb again")
    )]
    Invalid {
        /// The path, or `embedded test database`.
        origin: String,
        /// What the reader or our probe found wrong.
        reason: String,
    },
    /// A valid MaxMind DB that is not a City database (for example GeoLite2-ASN), so it has
    /// no city, country or location records for `iplocation`.
    #[error(
        "GeoIP database {origin} is a {database_type} database; iplocation needs a City \
         database such as GeoLite2-City"
    )]
    #[diagnostic(
        code(spl::geoip::not_city),
        help("use a GeoIP2-City or GeoLite2-City database")
    )]
    NotCity {
        /// The path, or `embedded test database`.
        origin: String,
        /// The `database_type` from the database's metadata.
        database_type: String,
    },
}
