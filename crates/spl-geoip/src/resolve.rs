//! Choosing the database: `--geoip-db`, then `SPL_GEOIP_DB`, then
//! `$SPLUNK_HOME/share/GeoLite2-City.mmdb` (where Splunk ships it, §3.3), then the embedded
//! MaxMind test database.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::GeoIpError;
use crate::locator::MaxMindLocator;

/// Environment variable naming a database file.
pub const ENV_GEOIP_DB: &str = "SPL_GEOIP_DB";

/// Environment variable of a Splunk installation.
pub const ENV_SPLUNK_HOME: &str = "SPLUNK_HOME";

/// Where Splunk keeps its database, relative to `$SPLUNK_HOME`.
pub const SPLUNK_HOME_DATABASE: &str = "share/GeoLite2-City.mmdb";

/// Which rule of the resolution order chose the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseSource {
    /// Given on the command line (`--geoip-db`).
    Explicit(PathBuf),
    /// Named by `SPL_GEOIP_DB`.
    Env(PathBuf),
    /// Found at `$SPLUNK_HOME/share/GeoLite2-City.mmdb`.
    SplunkHome(PathBuf),
    /// Nothing configured: MaxMind's embedded *test* database, whose answers are not real
    /// geography.
    EmbeddedTest,
}

impl DatabaseSource {
    /// True for the embedded test database; the CLI warns on stderr when it is used.
    pub fn is_test_database(&self) -> bool {
        matches!(self, DatabaseSource::EmbeddedTest)
    }
}

impl fmt::Display for DatabaseSource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseSource::Explicit(path) => write!(formatter, "{} (--geoip-db)", path.display()),
            DatabaseSource::Env(path) => write!(formatter, "{} ({ENV_GEOIP_DB})", path.display()),
            DatabaseSource::SplunkHome(path) => {
                write!(formatter, "{} ({ENV_SPLUNK_HOME})", path.display())
            }
            DatabaseSource::EmbeddedTest => formatter.write_str(
                "embedded MaxMind GeoLite2-City TEST database (made-up locations, not real geography)",
            ),
        }
    }
}

/// An opened database and the rule that chose it.
#[derive(Debug)]
pub struct ResolvedDatabase {
    /// The opened, validated database.
    pub locator: MaxMindLocator,
    /// Which rule chose it.
    pub source: DatabaseSource,
}

/// Finds and opens the GeoIP database: `explicit` (CLI `--geoip-db`), else the file named by
/// `SPL_GEOIP_DB`, else `$SPLUNK_HOME/share/GeoLite2-City.mmdb` if that file exists, else
/// the embedded test database. `env` reads environment variables (pass [`process_env`];
/// tests pass a closure). A configured path that cannot be opened is an error, never a
/// silent fallback; an empty variable counts as unset.
pub fn resolve_database(
    explicit: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<ResolvedDatabase, GeoIpError> {
    let source = choose_source(explicit, env);
    let locator = match &source {
        DatabaseSource::Explicit(path)
        | DatabaseSource::Env(path)
        | DatabaseSource::SplunkHome(path) => MaxMindLocator::open(path)?,
        DatabaseSource::EmbeddedTest => MaxMindLocator::embedded_test()?,
    };
    Ok(ResolvedDatabase { locator, source })
}

/// Applies the resolution order without opening anything.
fn choose_source(explicit: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> DatabaseSource {
    if let Some(path) = explicit {
        return DatabaseSource::Explicit(path.to_path_buf());
    }
    if let Some(path) = non_empty(env(ENV_GEOIP_DB)) {
        return DatabaseSource::Env(PathBuf::from(path));
    }
    if let Some(home) = non_empty(env(ENV_SPLUNK_HOME)) {
        let path = Path::new(&home).join(SPLUNK_HOME_DATABASE);
        if path.is_file() {
            return DatabaseSource::SplunkHome(path);
        }
    }
    DatabaseSource::EmbeddedTest
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.is_empty())
}

/// Reads a variable from the process environment; the `env` argument for real runs.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}
