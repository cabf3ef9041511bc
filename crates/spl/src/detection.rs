//! A detection YAML file: its search compiled with its macros (and its `<name>_filter`
//! macro, `search *` when not defined), and its `tests:` attack data as scan inputs.

use crate::builder::EngineBuilder;
use crate::diagnostics::{compile_named, CompileFailure};
use crate::error::Error;
use spl_detections::{
    attack_data_path, load_detection, parse_detection_yaml, Detection, LoadOptions,
    DEFAULT_ATTACK_DATA_ROOT,
};
use spl_engine::event::EventMeta;
use spl_engine::{Engine, Input, Query};
use std::path::{Path, PathBuf};

/// A loaded ESCU detection and the file it came from.
#[derive(Clone, Debug)]
pub struct DetectionFile {
    /// The YAML file.
    pub path: PathBuf,
    /// Its content.
    pub detection: Detection,
}

impl DetectionFile {
    /// Reads and checks the detection YAML at `path`.
    pub fn load(path: impl Into<PathBuf>) -> Result<DetectionFile, Error> {
        let path = path.into();
        let detection = load_detection(&path)?;
        Ok(DetectionFile { path, detection })
    }

    /// Reads a detection from YAML `text`; `path` names it in errors and decides which
    /// macro and `sourcetypes/` folders [`DetectionFile::engine_builder`] finds (the file
    /// need not exist).
    ///
    /// ```
    /// let yaml = "name: Get by bob\nsearch: user=bob verb=get | `get_by_bob_filter`\n";
    /// let detection = spl::DetectionFile::from_yaml(yaml, "get_by_bob.yml")?;
    /// // A missing `<name>_filter` macro is `search *`, as contentctl defines it.
    /// let query = detection.compile(&spl::Engine::new())?;
    /// let event = spl::record_from_json(r#"{"user":"bob","verb":"get"}"#, &spl::EventMeta::default())?;
    /// assert_eq!(query.run([event])?.rows.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_yaml(text: &str, path: impl Into<PathBuf>) -> Result<DetectionFile, Error> {
        let path = path.into();
        let detection = parse_detection_yaml(text, &path, &LoadOptions::default())?;
        Ok(DetectionFile { path, detection })
    }

    /// How diagnostics name the search: `path (search)`.
    pub fn source_name(&self) -> String {
        format!("{} (search)", self.path.display())
    }

    /// A builder holding the macro folders (and their lookups) this detection uses; add a
    /// GeoIP source and build.
    pub fn engine_builder(&self) -> EngineBuilder {
        EngineBuilder::new()
            .macros_for_detection(&self.path)
            .sourcetypes_for_detection(&self.path)
    }

    /// Compiles the detection's `search:` with `engine`.
    pub fn compile(&self, engine: &Engine) -> Result<Query, CompileFailure> {
        compile_named(engine, &self.detection.search, &self.source_name())
    }

    /// The detection's `tests:` attack data as scan inputs, mapped to local files under the
    /// default root ([`default_attack_data_root`]), with each test's `source` and
    /// `sourcetype`.
    pub fn attack_data(&self) -> Result<Vec<Input>, Error> {
        self.attack_data_under(&default_attack_data_root(&self.path))
    }

    /// The detection's `tests:` attack data, mapped under `root`: the URL
    /// `https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/<P>` is
    /// read from `root/<P>`.
    pub fn attack_data_under(&self, root: &Path) -> Result<Vec<Input>, Error> {
        let mut inputs = Vec::new();
        for test in &self.detection.tests {
            for data in &test.attack_data {
                inputs.push(Input {
                    path: attack_data_path(&data.data, root)?,
                    meta: EventMeta {
                        source: data.source.clone(),
                        sourcetype: if data.sourcetype.is_empty() {
                            EventMeta::default().sourcetype
                        } else {
                            data.sourcetype.clone()
                        },
                        ..EventMeta::default()
                    },
                });
            }
        }
        if inputs.is_empty() {
            return Err(Error::NoAttackData(self.path.clone()));
        }
        Ok(inputs)
    }
}

/// The attack-data root for a detection: the first `testdata/attack_data` folder in the
/// detection's folder or above it (the project layout), else `testdata/attack_data` under
/// the current folder.
pub fn default_attack_data_root(detection: &Path) -> PathBuf {
    let start = detection
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let mut folder = start.as_deref();
    while let Some(dir) = folder {
        let candidate = dir.join(DEFAULT_ATTACK_DATA_ROOT);
        if candidate.is_dir() {
            return candidate;
        }
        folder = dir.parent();
    }
    PathBuf::from(DEFAULT_ATTACK_DATA_ROOT)
}
