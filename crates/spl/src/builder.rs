//! Building an [`Engine`] from folders and sources: macros, lookup tables and a GeoIP
//! database, the way the `spl` command does.

use crate::error::Error;
use spl_detections::{
    load_field_definitions, load_lookup_dir, load_macro_dir, macro_dirs_for, sourcetype_dir_for,
    LoadOptions, LookupSet,
};
use spl_engine::lookup::{LookupSource, LookupTable};
use spl_engine::{Engine, FieldDefinitions, IpLocator};
use spl_geoip::{resolve_database, DatabaseSource, MaxMindLocator};
use spl_syntax::macros::{MacroDefinition, MacroSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which GeoIP database `iplocation` uses.
#[derive(Clone, Default)]
enum GeoIp {
    /// None: a search using `iplocation` does not compile.
    #[default]
    None,
    /// The `spl` command's order: `explicit`, `$SPL_GEOIP_DB`,
    /// `$SPLUNK_HOME/share/GeoLite2-City.mmdb`, then the embedded test database.
    Resolve(Option<PathBuf>),
    /// A MaxMind City database file.
    Database(PathBuf),
    /// MaxMind's embedded test database (made-up locations).
    EmbeddedTest,
    /// A locator supplied by the embedder.
    Locator(Arc<dyn IpLocator>),
}

/// Collects macros, lookup tables, search-time field definitions and a GeoIP source, then
/// builds an [`Engine`].
///
/// Macros: the built-ins, then each macro folder in the order added, then each single
/// definition (later definitions of the same name and arity win). Lookups: the `lookups/`
/// folder beside each macro folder (the security_content layout), then each lookup folder;
/// a custom [`LookupSource`] is asked first. Folders are read when [`EngineBuilder::build`]
/// runs.
///
/// ```
/// let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
/// let engine = spl::EngineBuilder::new()
///     .macro_dir(root.join("macros"))
///     .embedded_test_geoip()
///     .build()?;
/// assert!(engine.macros().get("kube_audit", 0).is_some());
/// # Ok::<(), spl::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct EngineBuilder {
    macro_dirs: Vec<PathBuf>,
    definitions: Vec<MacroDefinition>,
    lookup_dirs: Vec<PathBuf>,
    lookup_source: Option<Arc<dyn LookupSource>>,
    sourcetype_dirs: Vec<PathBuf>,
    geoip: GeoIp,
}

impl std::fmt::Debug for EngineBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineBuilder")
            .field("macro_dirs", &self.macro_dirs)
            .field("definitions", &self.definitions.len())
            .field("lookup_dirs", &self.lookup_dirs)
            .field("custom_lookups", &self.lookup_source.is_some())
            .field("sourcetype_dirs", &self.sourcetype_dirs)
            .finish()
    }
}

impl EngineBuilder {
    /// A builder with the built-in macros only, no lookups and no GeoIP database.
    pub fn new() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Adds a folder of ESCU macro YAML files (and the `lookups/` folder beside it, if any).
    pub fn macro_dir(mut self, dir: impl Into<PathBuf>) -> EngineBuilder {
        self.macro_dirs.push(dir.into());
        self
    }

    /// Adds the macro folders a detection file uses: the nearest `macros/` folder at or
    /// above it (the security_content layout).
    pub fn macros_for_detection(mut self, detection: &Path) -> EngineBuilder {
        self.macro_dirs.extend(macro_dirs_for(detection, None));
        self
    }

    /// Adds the search-time field definitions folder a detection file uses: the nearest
    /// `sourcetypes/` folder above it (see `docs/sourcetypes.md`), if there is one.
    pub fn sourcetypes_for_detection(mut self, detection: &Path) -> EngineBuilder {
        self.sourcetype_dirs
            .extend(sourcetype_dir_for(Some(detection)));
        self
    }

    /// Adds a folder of search-time field definitions (`*.conf` files with `[sourcetype]`
    /// stanzas of `FIELDALIAS-` and `EVAL-` keys, a props.conf subset). Later folders win
    /// for the same stanza key.
    pub fn sourcetype_dir(mut self, dir: impl Into<PathBuf>) -> EngineBuilder {
        self.sourcetype_dirs.push(dir.into());
        self
    }

    /// Adds one macro definition (after every folder).
    pub fn macro_definition(mut self, definition: MacroDefinition) -> EngineBuilder {
        self.definitions.push(definition);
        self
    }

    /// Adds a folder of ESCU lookup definitions (`*.yml` naming `*.csv` files).
    pub fn lookup_dir(mut self, dir: impl Into<PathBuf>) -> EngineBuilder {
        self.lookup_dirs.push(dir.into());
        self
    }

    /// Asks `source` for lookup tables before the folders.
    pub fn lookup_source(mut self, source: Arc<dyn LookupSource>) -> EngineBuilder {
        self.lookup_source = Some(source);
        self
    }

    /// `iplocation` uses the MaxMind City database at `path`.
    pub fn geoip_database(mut self, path: impl Into<PathBuf>) -> EngineBuilder {
        self.geoip = GeoIp::Database(path.into());
        self
    }

    /// `iplocation` uses MaxMind's embedded **test** database: it answers only for
    /// MaxMind's test addresses, with made-up locations.
    pub fn embedded_test_geoip(mut self) -> EngineBuilder {
        self.geoip = GeoIp::EmbeddedTest;
        self
    }

    /// `iplocation` uses the database the `spl` command would: `explicit`, else
    /// `$SPL_GEOIP_DB`, else `$SPLUNK_HOME/share/GeoLite2-City.mmdb`, else the embedded test
    /// database.
    pub fn geoip_from_environment(mut self, explicit: Option<&Path>) -> EngineBuilder {
        self.geoip = GeoIp::Resolve(explicit.map(Path::to_path_buf));
        self
    }

    /// `iplocation` asks `locator`.
    pub fn ip_locator(mut self, locator: Arc<dyn IpLocator>) -> EngineBuilder {
        self.geoip = GeoIp::Locator(locator);
        self
    }

    /// Reads the macro folders: built-ins, folders, then single definitions.
    pub fn load_macros(&self) -> Result<MacroSet, Error> {
        let mut macros = MacroSet::with_builtins();
        for dir in &self.macro_dirs {
            require_folder(dir)?;
            for definition in load_macro_dir(dir)?.iter() {
                macros.insert(definition.clone());
            }
        }
        for definition in &self.definitions {
            macros.insert(definition.clone());
        }
        Ok(macros)
    }

    /// Reads the lookup folders: `lookups/` beside each macro folder, then each lookup
    /// folder (later tables of the same name win).
    pub fn load_lookups(&self) -> Result<LookupSet, Error> {
        let mut set = LookupSet::new();
        let beside_macros = self
            .macro_dirs
            .iter()
            .filter_map(|dir| dir.parent().map(|parent| parent.join("lookups")))
            .filter(|dir| dir.is_dir());
        for dir in beside_macros.collect::<Vec<_>>() {
            for table in load_lookup_dir(&dir)?.iter() {
                set.insert(table.clone());
            }
        }
        for dir in &self.lookup_dirs {
            require_folder(dir)?;
            for table in load_lookup_dir(dir)?.iter() {
                set.insert(table.clone());
            }
        }
        Ok(set)
    }

    /// Reads the search-time field definition folders, in the order added; `None` when
    /// there are none.
    pub fn load_field_definitions(&self) -> Result<Option<FieldDefinitions>, Error> {
        let mut merged: Option<FieldDefinitions> = None;
        for dir in &self.sourcetype_dirs {
            require_folder(dir)?;
            let loaded = load_field_definitions(dir, &LoadOptions::default())?;
            match &mut merged {
                Some(definitions) => definitions.merge(loaded),
                None => merged = Some(loaded),
            }
        }
        Ok(merged)
    }

    /// Reads every folder and opens the GeoIP database.
    pub fn build(self) -> Result<Engine, Error> {
        self.build_with_geoip_source().map(|(engine, _)| engine)
    }

    /// [`EngineBuilder::build`], also telling which database was opened (`None` without a
    /// MaxMind database) — the `spl` command warns when it is the test database.
    pub fn build_with_geoip_source(self) -> Result<(Engine, Option<DatabaseSource>), Error> {
        let macros = self.load_macros()?;
        let files = self.load_lookups()?.into_source();
        let lookups = match &self.lookup_source {
            Some(custom) => Arc::new(ChainedLookups {
                first: custom.clone(),
                second: files,
            }),
            None => files,
        };
        let mut engine = Engine::new().with_macros(macros).with_lookups(lookups);
        if let Some(definitions) = self.load_field_definitions()? {
            engine = engine.with_field_definitions(Arc::new(definitions));
        }
        let (locator, source) = match self.geoip {
            GeoIp::None => (None, None),
            GeoIp::Locator(locator) => (Some(locator), None),
            GeoIp::Database(path) => {
                let locator: Arc<dyn IpLocator> = Arc::new(MaxMindLocator::open(&path)?);
                (Some(locator), Some(DatabaseSource::Explicit(path)))
            }
            GeoIp::EmbeddedTest => {
                let locator: Arc<dyn IpLocator> = Arc::new(MaxMindLocator::embedded_test()?);
                (Some(locator), Some(DatabaseSource::EmbeddedTest))
            }
            GeoIp::Resolve(explicit) => {
                let resolved = resolve_database(explicit.as_deref(), &spl_geoip::process_env)?;
                let locator: Arc<dyn IpLocator> = Arc::new(resolved.locator);
                (Some(locator), Some(resolved.source))
            }
        };
        if let Some(locator) = locator {
            engine = engine.with_ip_locator(locator);
        }
        Ok((engine, source))
    }
}

fn require_folder(dir: &Path) -> Result<(), Error> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(Error::MissingFolder(dir.to_path_buf()))
    }
}

/// Two lookup sources: tables are looked up in `first`, then in `second`.
struct ChainedLookups {
    first: Arc<dyn LookupSource>,
    second: Arc<dyn LookupSource>,
}

impl LookupSource for ChainedLookups {
    fn table(&self, name: &str) -> Option<Arc<LookupTable>> {
        self.first.table(name).or_else(|| self.second.table(name))
    }

    fn names(&self) -> Vec<String> {
        let mut names = self.first.names();
        names.extend(self.second.names());
        names.sort();
        names.dedup();
        names
    }
}
